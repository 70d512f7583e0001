"""Framing: loaded-language spans with targets, the JSON sentence model, sourcing, degenerate input."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from storyline.analyze.framing import (
    BiasModel,
    Framing,
    analyze_framing,
    load_bias_model,
    load_loaded_lexicon,
    sourcing_profile,
)
from storyline.analyze.nlp import get_nlp

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "src/storyline/data/models/bias.json"
EXAMPLES = ROOT / "examples"


def _loaded(text: str) -> dict[str, tuple[str, str | None]]:
    framing = analyze_framing(text)
    return {
        text[s.start : s.end]: (s.category, text[s.target[0] : s.target[1]] if s.target else None)
        for s in framing.loaded
    }


@pytest.mark.parametrize(
    ("text", "word", "category", "target"),
    [
        (
            "Critics said the Russian dictator ignored the proposal again.",
            "dictator",
            "insult",
            "Russian dictator",
        ),
        (
            "After making a mockery of peace talks, Russia sent junior envoys.",
            "making a mockery",
            "loaded_verb",
            "peace talks",
        ),
        (
            "The senator slammed the new tax bill on Monday in Washington.",
            "slammed",
            "loaded_verb",
            "new tax bill",
        ),
        ("These so-called talks are a cover for continued attacks on towns.", "so-called", "scare", "talks"),
        (
            "He met Trump, who is increasingly seen as naive in dealing with Moscow.",
            "naive",
            "judgement",
            "Trump",
        ),
        (
            "The shocking decision left residents of the town without water.",
            "shocking",
            "emotive",
            "decision",
        ),
        ("Officials dismissed the governor's bluster about the budget.", "bluster", "pejorative", None),
    ],
)
def test_lexicon_hits_with_targets(text: str, word: str, category: str, target: str | None) -> None:
    hits = _loaded(text)
    assert word in hits, hits
    assert hits[word][0] == category
    if target is not None:
        assert hits[word][1] is not None and target in hits[word][1]


def test_neutral_reporting_has_no_loaded_words() -> None:
    text = "The committee will meet on Tuesday to discuss the budget, a spokesperson said."
    assert analyze_framing(text).loaded == ()


def test_custom_lexicon_and_verb_pos_filter() -> None:
    lex = load_loaded_lexicon({"categories": {"loaded_verb": ["hammer"], "emotive": ["grim reality"]}})
    text = "She took a hammer to the wall. Rivals hammer the plan. It is a grim reality for the town today."
    framing = analyze_framing(text, lexicon=lex)
    words = [(s.word, s.category) for s in framing.loaded]
    assert words == [("hammer", "loaded_verb"), ("grim reality", "emotive")]
    assert framing.loaded[0].start == text.index("hammer the")


def test_model_file_small_and_well_formed() -> None:
    assert MODEL.stat().st_size < 2_000_000
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    assert data["format"] == "storyline-linear/1"
    assert set(data["heads"]) == {"bias", "opinion"}
    assert data["meta"]["dev"]["bias_macro_f1"] > 0.7


def test_classifier_deterministic_and_sensible() -> None:
    model = load_bias_model()
    fresh = BiasModel(json.loads(MODEL.read_text(encoding="utf-8")))
    loaded = "The deranged, corrupt regime keeps spewing its shameless lies at the gullible public."
    neutral = "The committee will meet on Tuesday to discuss the budget, a spokesperson said."
    for text in (loaded, neutral):
        first = model.scores(text)
        assert first == model.scores(text) == fresh.scores(text)
        assert set(first) == {"bias", "opinion"}
        assert all(0.0 <= v <= 1.0 for v in first.values())
    assert model.scores(loaded)["bias"] > 0.5 > model.scores(neutral)["bias"]
    assert model.scores(loaded)["opinion"] > model.scores(neutral)["opinion"]


def test_bad_model_format_raises() -> None:
    with pytest.raises(ValueError, match="F001"):
        BiasModel({"format": "pickle"})


@dataclass(frozen=True)
class StubStatement:
    speaker_kind: str
    content: tuple[int, int]
    kind: str = "direct"


def test_sourcing_profile_from_duck_typed_statements() -> None:
    text = "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj"  # 10 words, 40 non-space chars
    statements = [
        StubStatement("named", (0, 9)),  # aaaa bbbb → 8 chars
        StubStatement("anonymous", (5, 14)),  # overlaps: adds cccc → 4 chars
        StubStatement("institution", (40, 49)),  # iiii jjjj → 8 chars
        StubStatement("pronoun", (0, 0)),
        StubStatement("nominal", (0, 0)),
        StubStatement("mystery", (0, 0)),
    ]
    profile = sourcing_profile(text, statements)
    assert (profile.named, profile.anonymous, profile.institutional) == (1, 1, 1)
    assert (profile.pronoun_or_nominal, profile.unknown) == (2, 1)
    assert profile.quotes_per_100_words == 60.0
    assert profile.attributed_share == pytest.approx(20 / 40)


def test_attributed_loaded_words_are_marked() -> None:
    text = "The minister said the plan was a total fiasco. The dictator left early on Monday evening."
    framing = analyze_framing(text, statements=[StubStatement("named", (18, 46))])
    flags = {s.word: s.attributed for s in framing.loaded}
    assert flags == {"fiasco": True, "dictator": False}
    assert framing.sourcing.named == 1


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n ",
        "Breaking news.",
        "Name | Votes | Share\nSmith | 1,204 | 51%\nJones | 1,150 | 49%",
        "1. Apples\n2. Pears\n3. Plums",
    ],
)
def test_no_judgeable_sentences_gives_marked_defaults(text: str) -> None:
    framing = analyze_framing(text)
    assert framing.defaults_used and framing.note
    assert framing.opinion_score == 0.0 and framing.bias_score == 0.0
    assert framing.sentences_judged == 0 and framing.opinion_sentences == ()


def test_one_sentence_article() -> None:
    text = "The shocking, reckless decision by the regime betrays every family in the country."
    framing = analyze_framing(text)
    assert not framing.defaults_used and framing.sentences_judged == 1
    assert framing.bias_score == 1.0
    assert framing.biased_sentences[0].start == 0 and framing.biased_sentences[0].end == len(text)


def test_sentences_override_and_purity() -> None:
    text = "Prices rose by two percent in May, the agency said. The regime's shameless lies shocked everyone."
    doc = get_nlp()(text)
    sentences = [(0, 51), (52, len(text))]
    first = analyze_framing(text, nlp_doc=doc, sentences=sentences)
    assert first == analyze_framing(text, nlp_doc=doc, sentences=sentences)
    assert first.sentences_judged == 2
    top = first.biased_sentences[0]
    assert (top.start, top.end) == (52, len(text))


def _profile(name: str) -> Framing:
    from storyline.analyze.quotes import find_statements

    text = next(EXAMPLES.glob(f"{name}_*.txt")).read_text(encoding="utf-8")
    doc = get_nlp()(text)
    framing = analyze_framing(text, nlp_doc=doc, statements=find_statements(text, nlp_doc=doc))
    for span in framing.loaded:
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.word
        if span.target:
            assert 0 <= span.target[0] < span.target[1] <= len(text)
    for s in (*framing.opinion_sentences, *framing.biased_sentences):
        assert 0 <= s.start < s.end <= len(text)
    return framing


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="no examples/")
def test_opinion_piece_and_wire_report_differ() -> None:
    opinion, wire = _profile("000"), _profile("004")
    assert opinion.opinion_score > wire.opinion_score + 0.1
    assert opinion.bias_score > wire.bias_score + 0.1
    assert opinion.loaded_per_100_words > wire.loaded_per_100_words + 0.5
    assert {"naive", "dictator", "regime"} <= {s.word.lower() for s in opinion.loaded}
    wire_src, op_src = wire.sourcing, opinion.sourcing
    wire_total = wire_src.named + wire_src.anonymous + wire_src.institutional + wire_src.pronoun_or_nominal
    op_total = op_src.named + op_src.anonymous + op_src.institutional + op_src.pronoun_or_nominal
    assert wire_src.anonymous / wire_total > op_src.anonymous / op_total


def test_quoted_sentences_are_marked_attributed() -> None:
    first = "He said the corrupt, shameless regime keeps spewing disgusting lies at gullible voters."
    text = first + " The shameful, corrupt regime lied again to the naive public."
    framing = analyze_framing(text, statements=[StubStatement("named", (8, len(first)))])
    flags = {(s.start, s.end): s.attributed for s in framing.biased_sentences}
    assert flags == {(0, len(first)): True, (len(first) + 1, len(text)): False}


def test_hyphenated_entries_need_the_hyphen() -> None:
    text = "The so-called talks would be over soon, and a would-be mediator left the self-styled summit."
    assert [(s.word, s.category) for s in analyze_framing(text).loaded] == [
        ("so-called", "scare"),
        ("would-be", "scare"),
        ("self-styled", "scare"),
    ]


def _head_data(logit_weight: float) -> dict[str, object]:
    """An embedding head that ignores the embedding and passes the classical logit through."""
    w = [0.0] * 384 + [logit_weight] + [0.0] * 4
    layer = {"W": [w], "b": [0.0]}
    return {
        "format": "storyline-embed-head/1",
        "dense": {"mean": [0.0] * 4, "scale": [1.0] * 4},
        "heads": {"bias": {"layers": [layer]}, "opinion": {"layers": [layer]}},
    }


def test_embedding_head_stacks_on_the_classical_model(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from storyline import embed
    from storyline.analyze.bias_embed import EmbeddingBiasModel

    calls: list[list[str]] = []

    def fake_encode(texts: list[str], **_: object) -> np.ndarray:
        calls.append(list(texts))
        return np.ones((len(texts), 384), dtype=np.float32)

    monkeypatch.setattr(embed, "encode", fake_encode)
    classical = load_bias_model()
    sentences = [
        "The shocking, reckless decision by the regime betrays every family in the country.",
        "Prices rose by two percent in May, the agency said.",
    ]
    base = [classical.scores(s) for s in sentences]
    # logit / 3 * 3 = the classical logit: the head reproduces the classical probabilities
    same = EmbeddingBiasModel(_head_data(3.0), classical=classical)
    assert same.name == "embeddings"
    for got, want in zip(same.scores_many(sentences), base, strict=True):
        assert got == pytest.approx(want, abs=1e-5)
    assert calls == [sentences]
    # a zero head says 0.5 for every embedded sentence; borderline mode embeds only the unsure ones
    flat = EmbeddingBiasModel(_head_data(0.0), classical=classical, borderline=0.25)
    assert flat.name == "embeddings-borderline"
    calls.clear()
    out = flat.scores_many(sentences)
    unsure = [s for s, b in zip(sentences, base, strict=True) if any(abs(b[h] - 0.5) < 0.25 for h in b)]
    assert unsure == sentences[:1] and calls == [unsure]  # the plain report is sure: not embedded
    for s, got, want in zip(sentences, out, base, strict=True):
        assert got == ({"bias": 0.5, "opinion": 0.5} if s in unsure else want)


def test_model_choice_at_run_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline import embed
    from storyline.analyze.bias_embed import MODEL_ENV, sentence_scorer
    from storyline.errors import UsageError

    monkeypatch.delenv(MODEL_ENV, raising=False)
    assert sentence_scorer().name == "classical"
    monkeypatch.setattr(embed, "available", lambda: False)
    monkeypatch.setenv(MODEL_ENV, "embeddings")
    assert sentence_scorer().name == "classical"  # no extra: the classical model, with a warning
    text = "The shocking, reckless decision by the regime betrays every family in the country."
    assert analyze_framing(text).model == "classical"
    monkeypatch.setenv(MODEL_ENV, "bert")
    with pytest.raises(UsageError, match=r"\[E401\] STORYLINE_FRAMING_MODEL='bert': expected one of"):
        sentence_scorer()


def test_bad_embedding_head_format_raises() -> None:
    from storyline.analyze.bias_embed import EmbeddingBiasModel

    with pytest.raises(ValueError, match=r"\[F003\] unknown embedding head format 'x'"):
        EmbeddingBiasModel({"format": "x"}, classical=load_bias_model())


def _embeddings_available() -> bool:
    from storyline import embed

    return embed.available()


@pytest.mark.skipif(not _embeddings_available(), reason="the embeddings extra is not installed")
@pytest.mark.skipif(
    not (ROOT / "src/storyline/data/models/bias_embed.json").is_file(), reason="no embedding head file"
)
def test_packaged_embedding_model_scores_and_is_named() -> None:
    from storyline.analyze.bias_embed import load_embedding_model

    model = load_embedding_model()
    text = "The shocking, reckless decision by the regime betrays every family in the country."
    framing = analyze_framing(text, model=model)
    assert framing.model == "embeddings" and framing.sentences_judged == 1
    assert framing.bias_score == 1.0  # a plainly loaded sentence stays biased
    neutral = "Prices rose by two percent in May, the national statistics agency said on Tuesday."
    assert analyze_framing(neutral, model=model).bias_score == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "Name | Votes | Share\nSmith | 1,204 | 51%\nJones | 1,150 | 49%",
        "- Vladimir Putin\n- Donald Trump\n- Kyiv",
        "Vladimir Putin.",
    ],
)
def test_lists_tables_and_one_liners_with_actors_do_not_crash(text: str) -> None:
    from storyline.analyze.entities import find_mentions
    from storyline.analyze.nlp import parse

    doc = parse(text)
    framing = analyze_framing(text, nlp_doc=doc, mentions=find_mentions(text, nlp_doc=doc))
    assert framing.defaults_used and framing.note is not None and framing.note.startswith("no judgeable")
    assert framing.tones == ()
