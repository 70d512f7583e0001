"""The learned cue model: its file format and errors, its scoring, its features, and the statements it adds
(and those the rules still keep out)."""

from __future__ import annotations

import math

import pytest

from storyline.analyze.attribution_model import (
    MODEL_FORMAT,
    CueModel,
    load_cue_model,
    model_from_data,
    noun_features,
    verb_features,
)
from storyline.analyze.cue_lexicon import load_cue_lexicon
from storyline.analyze.quotes import find_statements, parse
from storyline.errors import ConfigError


@pytest.fixture(scope="module", autouse=True)
def _nlp_loaded() -> None:
    parse("Warm up.")


def _rows(text: str) -> list[tuple[str, str | None, str | None]]:
    return [
        (
            text[s.content[0] : s.content[1]],
            text[s.cue[0] : s.cue[1]] if s.cue else None,
            text[s.speaker[0] : s.speaker[1]] if s.speaker else None,
        )
        for s in find_statements(text)
    ]


def test_probability_is_the_logistic_of_bias_plus_weights() -> None:
    model = CueModel(bias=-1.0, threshold=0.5, weights={"a": 2.0, "b": 0.5})
    assert model.probability(["a", "b", "unknown"]) == pytest.approx(1 / (1 + math.exp(-1.5)))
    assert model.probability([]) == pytest.approx(1 / (1 + math.exp(1.0)))
    assert model.accepts(["a"]) is True
    assert model.accepts(["b"]) is False
    # no overflow far out on either side
    assert CueModel(bias=-1000.0, threshold=0.5).probability([]) == 0.0
    assert CueModel(bias=1000.0, threshold=0.5).probability([]) == 1.0


def test_model_from_data_reads_the_format() -> None:
    model = model_from_data(
        {"format": MODEL_FORMAT, "bias": -1, "threshold": 0.4, "weights": {"x": 1}, "meta": {"C": 1.0}},
        source="m.json",
    )
    assert model == CueModel(bias=-1.0, threshold=0.4, weights={"x": 1.0}, meta={"C": 1.0})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"format": "storyline-linear/1"},
            "m.json (format): expected format 'storyline-attribution-cues/1', got 'storyline-linear/1'",
        ),
        ([], "m.json (format): expected format 'storyline-attribution-cues/1', got 'list'"),
        (
            {"format": MODEL_FORMAT, "bias": 0, "threshold": 0.5, "weights": {"x": "high"}},
            "m.json (weights): expected an object of feature name → number",
        ),
        (
            {"format": MODEL_FORMAT, "bias": "0", "threshold": 0.5, "weights": {}},
            "m.json (bias): expected a number, got '0'",
        ),
        (
            {"format": MODEL_FORMAT, "bias": 0, "weights": {}},
            "m.json (threshold): expected a number, got None",
        ),
    ],
)
def test_model_from_data_names_the_file_and_field(data: object, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        model_from_data(data, source="m.json")
    assert str(err.value) == f"[E201] {message}"


def test_packaged_model_loads() -> None:
    model = load_cue_model()
    assert model is not None
    assert model.threshold == 0.5
    assert model.meta["trained_on"] == "PolNeAR train (brat Cue spans)"
    assert len(model.weights) > 1000


def test_verb_features_name_the_verb_its_object_and_subject() -> None:
    doc = parse("Senator Smith signed the bill.")
    assert verb_features(doc[2], lex=load_cue_lexicon()) == [
        "lemma=sign",
        "tag=VBD",
        "dep=ROOT",
        "class=none",
        "head_dep=self",
        "head_class=none",
        "child=dobj",
        "lemma_child=sign_dobj",
        "obj_ent=NOUN",
        "obj_src=False",
        "obj_lemma=bill",
        "struct=dobj",
        "subj_pos=PROPN",
        "subj_ent=PERSON",
        "subj_src=True",
        "subj_dep=nsubj",
        "lemma_subj_src=sign_True",
    ]


def test_noun_features_name_the_holder_and_the_clause() -> None:
    doc = parse("His decision to leave the race surprised his allies.")
    assert noun_features(doc[1], lex=load_cue_lexicon()) == [
        "pos=NOUN",
        "nlemma=decision",
        "ndep=nsubj",
        "nlex=True",
        "nhead=surprise",
        "nposs",
        "nposs_src=True",
        "nposs_ent=PRON",
        "nclause=to",
    ]


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        # a verb outside the lexicon the model takes for a cue
        ("Senator Smith signed the bill.", [("the bill", "signed", "Senator Smith")]),
        # an attitude verb the lexicon gates out, reported by a person
        ("Trump attacked Machado in early-morning tweets.", [("Machado", "attacked", "Trump")]),
    ],
)
def test_learned_cues_add_statements(text: str, rows: list[tuple[str, str, str]]) -> None:
    assert _rows(text) == rows


@pytest.mark.parametrize(
    "text",
    [
        "Ukraine defended its territory.",  # a country's act, not a report
        "Russian troops shelled the city overnight.",
        "Russia launched 40 drones at Kyiv.",
        "The bill supports small farmers.",  # no holder
    ],
)
def test_acts_stay_no_statements(text: str) -> None:
    assert find_statements(text) == []


def test_without_the_model_file_the_rules_run_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import storyline.analyze.quotes as quotes

    monkeypatch.setattr(quotes, "load_cue_model", lambda: None)
    assert find_statements("Senator Smith signed the bill.") == []
    text = "Smith said the plan would fail."
    assert _rows(text) == [("the plan would fail", "said", "Smith")]
