"""Tone toward each actor: cues near the mention in the parse, negation, evaluating verbs, the views."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

import storyline
from storyline.analyze.entities import find_mentions
from storyline.analyze.framing import analyze_framing
from storyline.analyze.nlp import parse
from storyline.analyze.pipeline import framing_from_json
from storyline.analyze.tone import load_tone_lexicon, tone_label
from storyline.cli import app
from storyline.gazetteer import load_gazetteer

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _tones(text: str) -> dict[str, tuple[float, list[tuple[str, int, float]]]]:
    doc = parse(text)
    mentions = find_mentions(text, nlp_doc=doc, gazetteer=load_gazetteer())
    framing = analyze_framing(text, nlp_doc=doc, mentions=mentions)
    return {
        text[t.start : t.end]: (t.score, [(c.word, c.polarity, c.weight) for c in t.cues])
        for t in framing.tones
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The brutal dictator Vladimir Putin lied again on Monday.",
            {"Vladimir Putin": (-1.0, [("brutal", -1, 0.375), ("dictator", -1, 1.0), ("lied", -1, 0.75)])},
        ),
        # negation flips the cue
        (
            "Emmanuel Macron is not honest about the deal.",
            {"Emmanuel Macron": (-0.75, [("honest", -1, 0.75)])},
        ),
        # the subject of "praised" is not judged by it, the clause after "but" is another clause
        (
            "Olaf Scholz praised the reforms, but critics called Viktor Orban a corrupt autocrat who "
            "undermines the courts.",
            {
                "Viktor Orban": (
                    -1.0,
                    [("corrupt", -1, 0.375), ("autocrat", -1, 1.0), ("undermines", -1, 0.75)],
                )
            },
        ),
        # no evaluative word: no tone kept (neutral); a demonym is not an actor; a name is not a cue
        ("Donald Trump met Keir Starmer in London on Monday to discuss trade.", {}),
        ("Ukrainian officials said Victory Day parades would go ahead.", {}),
    ],
)
def test_tone_per_mention(text: str, expected: dict[str, tuple[float, list[tuple[str, int, float]]]]) -> None:
    assert _tones(text) == expected


def test_tone_lexicon_from_data_and_labels() -> None:
    lex = load_tone_lexicon(
        {"positive": ["Good", "bad"], "negative": ["bad", "awful"], "evaluator_verbs": ["Hail"]}
    )
    assert dict(lex.polarity) == {"good": 1, "bad": 1, "awful": -1}
    assert lex.evaluators == frozenset({"hail"})
    assert [tone_label(x) for x in (None, -0.21, -0.2, 0.0, 0.2, 0.21)] == [
        None,
        "negative",
        "neutral",
        "neutral",
        "neutral",
        "positive",
    ]


def test_tones_round_trip_through_the_stored_form() -> None:
    text = "The brutal dictator Vladimir Putin lied again on Monday. Emmanuel Macron is not honest."
    doc = parse(text)
    framing = analyze_framing(text, nlp_doc=doc, mentions=find_mentions(text, nlp_doc=doc))
    assert len(framing.tones) == 2
    assert framing_from_json(json.loads(json.dumps(asdict(framing)))) == framing


@pytest.fixture(scope="module")
def two_outlets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One story told by two outlets: a loaded opinion piece and a neutral report."""
    src = tmp_path_factory.mktemp("tone") / "src"
    src.mkdir()
    texts = {
        "a": (
            "Opinion Daily",
            "Putin's war drags on\n\nThe brutal dictator Vladimir Putin lied again on Monday when he "
            "claimed Russia wanted peace. Russian forces launched 300 drones at Kyiv on Sunday, "
            "officials said. Volodymyr Zelensky, a courageous leader, was praised by allies.",
        ),
        "b": (
            "Wire Report",
            "Russia launches drone attack on Kyiv\n\nRussian forces launched 300 drones at Kyiv on Sunday, "
            "Ukrainian officials said. Vladimir Putin spoke to reporters in Moscow on Monday. "
            "Two people were killed in the attack on Sunday, the mayor said.",
        ),
    }
    for name, (outlet, text) in texts.items():
        (src / f"{name}.txt").write_text(text, encoding="utf-8")
        meta = {"outlet": outlet, "published": "2025-05-19"}
        (src / f"{name}.json").write_text(json.dumps(meta), encoding="utf-8")
    db = src.parent / "t.db"
    with storyline.open(db) as corpus:
        corpus.add([str(src)])
        assert corpus.analyze().analyzed == 2
    return db


def test_outlets_tone_per_actor_with_evidence(two_outlets: Path) -> None:
    with storyline.open(two_outlets) as corpus:
        rows = {r["outlet"]: r for r in corpus.outlets()}
    opinion = {t["name"]: t for t in rows["Opinion Daily"]["tone"]}
    wire = {t["name"]: t for t in rows["Wire Report"]["tone"]}
    putin = opinion["Vladimir Putin"]
    # the headline mentions him without a cue (0), the lede calls him names (-1)
    assert putin["label"] == "negative" and putin["sentences"] == 2 and putin["tone"] == -0.5
    evidence = putin["evidence"][0]
    assert evidence["text"].startswith("The brutal dictator Vladimir Putin lied again")
    assert [c["word"] for c in evidence["cues"]] == ["brutal", "dictator", "lied"]
    assert opinion["Volodymyr Zelensky"]["label"] == "positive"
    assert wire["Vladimir Putin"] == {
        "actor": putin["actor"],
        "name": "Vladimir Putin",
        "tone": 0.0,
        "label": "neutral",
        "sentences": 1,
        "evidence": [],
    }
    assert rows["Opinion Daily"]["models"] == ["classical"]


def test_outlets_omitted_facts_point_at_the_other_outlets_evidence(two_outlets: Path) -> None:
    with storyline.open(two_outlets) as corpus:
        rows = {r["outlet"]: r for r in corpus.outlets()}
    opinion = rows["Opinion Daily"]["omits"]
    wire = rows["Wire Report"]["omits"]
    assert opinion["stories"] == 1 and wire["stories"] == 1
    # the wire's Monday press appearance and its casualty figure are missing from the opinion piece
    assert [(e["what"], e["outlets"], e["date"]) for e in opinion["events"]] == [
        ("Vladimir Putin spoke to reporters in Moscow on Monday.", ["Wire Report"], "2025-05-19")
    ]
    assert opinion["events"][0]["evidence"]["text"] == opinion["events"][0]["what"]
    assert (wire["events"], wire["events_total"], wire["figures"]) == ([], 0, [])
    assert opinion["figures_total"] == len(opinion["figures"])
    people = [f for f in opinion["figures"] if f["outlets"] == ["Wire Report"]]
    assert [f["values"] for f in people] == [["Two people"]]
    # both carry the 300 drones: nobody omits them
    assert not any("drone" in (f["what"] or "") for f in opinion["figures"] + wire["figures"])


def test_outlets_cli_shows_tone_and_omissions(two_outlets: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(two_outlets), "outlets", "--json"], catch_exceptions=False)
    rows = json.loads(result.stdout)
    assert {r["outlet"] for r in rows} == {"Opinion Daily", "Wire Report"}
    assert all({"tone", "omits", "models"} <= set(r) for r in rows)
    table = runner.invoke(app, ["--db", str(two_outlets), "outlets"], catch_exceptions=False).stdout
    assert "omits" in table


def test_single_outlet_story_omits_nothing(tmp_path: Path) -> None:
    src = tmp_path / "one"
    src.mkdir()
    shutil.copy(EXAMPLES / "004_409c474fb3687218.txt", src / "a.txt")
    (src / "a.json").write_text(json.dumps({"published": "2025-07-15"}), encoding="utf-8")
    with storyline.open(tmp_path / "one.db") as corpus:
        corpus.add([str(src)])
        corpus.analyze()
        rows = corpus.outlets()
    # no outlet given: the article's wire credit stands in for it
    assert [r["outlet"] for r in rows] == ["Reuters"]
    assert rows[0]["omits"] == {
        "stories": 0,
        "events": [],
        "events_total": 0,
        "figures": [],
        "figures_total": 0,
    }
