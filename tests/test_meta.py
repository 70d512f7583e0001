"""Tests of storyline.meta (dates, sidecars, front matter, outlets, bylines) and storyline.lang."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.clean import load_lexicon
from storyline.ingest.text import read_sidecar
from storyline.lang import detect_language
from storyline.meta import (
    canonical_wire,
    dateline_month_day,
    dateline_places,
    dateline_spans,
    metadata_from_mapping,
    outlet_from_url,
    parse_byline,
    parse_date_text,
    parse_dateline,
    split_front_matter,
)
from storyline.model import Metadata

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
WIRES = load_lexicon().wires


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("May 19 2025 | 9:11 AM IST", "2025-05-19T09:11:00+05:30"),
        ("Mon 19 May 2025 09.11 BST", "2025-05-19T09:11:00+01:00"),
        ("3:42 PM EDT, Tue June 3, 2025", "2025-06-03T15:42:00-04:00"),
        ("May 19, 2025 at 9:11 a.m. EDT", "2025-05-19T09:11:00-04:00"),
        ("19 May 2025, 14:05 CEST", "2025-05-19T14:05:00+02:00"),
        ("20 May 2025 12:00 MSK", "2025-05-20T12:00:00+03:00"),
        ("Sept 3, 2025 8:00 pm PDT", "2025-09-03T20:00:00-07:00"),
        ("12:45 GMT+3, September 3, 2025", "2025-09-03T12:45:00+03:00"),
        ("2025-05-19T09:11:00Z", "2025-05-19T09:11:00+00:00"),
        ("2025-05-19 09:11:00+02:00", "2025-05-19T09:11:00+02:00"),
        ("2025-05-19", "2025-05-19"),
        ("19.05.2025 14:30", "2025-05-19T14:30:00"),
        ("25/12/2024", "2024-12-25"),
        ("19 May 2025", "2025-05-19"),
        ("November 27th, 2025", "2025-11-27"),
    ],
)
def test_parse_date_text(text: str, iso: str) -> None:
    assert parse_date_text(text) == iso


@pytest.mark.parametrize("text", ["", "yesterday", "2 hours ago", "05/06/2025", "May 32 2025", "the 1990s"])
def test_parse_date_text_unknown_stays_unknown(text: str) -> None:
    assert parse_date_text(text) is None


def test_sidecar_given(tmp_path: Path) -> None:
    meta, error = read_sidecar(EXAMPLES / "002_00830faf4447810d.txt")
    assert error is None
    assert meta.get("published") == "2025-05-19T09:11:00+05:30"
    assert meta.get("original_source") == "Bloomberg"
    assert meta.outlet is not None and meta.outlet.provenance == "given"
    assert read_sidecar(tmp_path / "none.txt") == (Metadata(), None)


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"title": "x",}'])
def test_bad_sidecar_is_reported_naming_the_file(tmp_path: Path, content: str) -> None:
    (tmp_path / "a.json").write_text(content, encoding="utf-8")
    meta, error = read_sidecar(tmp_path / "a.txt")
    assert meta == Metadata()
    assert error is not None and error.origin.endswith("a.json")
    assert error.code == "E106"


def test_metadata_from_mapping_aliases_and_extra() -> None:
    meta = metadata_from_mapping(
        {"headline": "H", "date": "2025-01-02", "authors": ["A B", "C D"], "section": "World", "x": None},
        provenance="given",
    )
    assert meta.get("title") == "H"
    assert meta.get("published") == "2025-01-02"
    assert meta.get("author") == "A B, C D"
    assert dict(meta.extra) == {"section": "World"}


def test_front_matter() -> None:
    raw = "---\ntitle: Talks stall\ndate: 2025-05-19\nsection: World\n---\nBody text here.\n"
    found = split_front_matter(raw)
    assert found is not None
    meta, end = found
    assert raw[end:] == "Body text here.\n"
    assert meta.get("title") == "Talks stall"
    assert meta.get("published") == "2025-05-19"
    assert meta.title is not None and meta.title.provenance == "given"
    assert split_front_matter("--- not front matter\ntext") is None
    assert split_front_matter("---\n: [unclosed\n---\ntext") is None  # invalid YAML is kept as text
    assert split_front_matter("Body\n---\ntitle: x\n---\n") is None


@pytest.mark.parametrize(
    ("url", "outlet", "confidence"),
    [
        ("https://kyivinsider.com/amid-more", "Kyiv Insider", 0.9),
        ("https://www.reuters.com/world/europe/x", "Reuters", 0.9),
        ("https://edition.cnn.com/2025/05/19/x", "CNN", 0.9),
        ("https://www.example-news.org/a/b", "example-news.org", 0.5),
    ],
)
def test_outlet_from_url(url: str, outlet: str, confidence: float) -> None:
    value = outlet_from_url(url)
    assert value is not None
    assert (value.value, value.confidence, value.provenance) == (outlet, confidence, "given")


def test_outlet_from_bad_url() -> None:
    assert outlet_from_url("not a url") is None
    assert outlet_from_url("http://[::1") is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jane Doe", ("author", "Jane Doe")),
        ("By JANE DOE", ("author", "JANE DOE")),
        ("By Jane Doe and John Roe, Reuters", ("author", "Jane Doe, John Roe")),
        ("By Maria Lopez | Updated 3:42 PM EDT", ("author", "Maria Lopez")),
        ("Written by Ana de la Cruz", ("author", "Ana de la Cruz")),
        ("By Reuters", ("wire", "Reuters")),
        ("By The Associated Press", ("wire", "Associated Press")),
        ("By the end of the year", None),
        ("By Tuesday, officials had left.", None),
        ("By 2030 the plan will cost more", None),
    ],
)
def test_parse_byline(line: str, expected: tuple[str, str] | None) -> None:
    assert parse_byline(line, wires=WIRES) == expected


def test_wires_and_datelines() -> None:
    assert canonical_wire("AP", WIRES) == "Associated Press"
    assert canonical_wire("Bloomberg News", WIRES) == "Bloomberg"
    assert canonical_wire("Kremlin", WIRES) is None
    assert parse_dateline("KYIV, May 18 (Reuters) - Russia launched", wires=WIRES) == (None, "Reuters")
    assert parse_dateline("WASHINGTON, May 20, 2025 (AP) — The Senate", wires=WIRES) == (
        "2025-05-20",
        "Associated Press",
    )
    assert parse_dateline("Kyiv, May 18 (Reuters) - x", wires=WIRES) == (
        None,
        None,
    )  # datelines are upper case
    assert parse_dateline("Russia said on Monday (Reuters) - x", wires=WIRES) == (None, None)
    # a newspaper's own dateline: no wire, a date and a dash
    assert parse_dateline("PARIS, Oct. 9, 2025 — French President", wires=WIRES) == ("2025-10-09", None)
    assert parse_dateline("NEW YORK, March 3, 2024 - Stocks fell", wires=WIRES) == ("2024-03-03", None)
    assert dateline_month_day("PARIS, Oct 9 — French President") == (10, 9, 7, 12)
    # without a wire, a date is needed, and a dash: these open no dateline
    for line in ("UPDATE: Oct 9, 2025 the vote", "BREAKING — the vote", "PARIS — The vote"):
        assert parse_dateline(line, wires=WIRES) == (None, None)
        assert dateline_month_day(line) is None


def test_sample_sidecars_parse() -> None:
    for side in sorted(EXAMPLES.glob("*.json")):
        meta, error = read_sidecar(side.with_suffix(".txt"))
        assert error is None and meta.get("outlet"), side
        assert json.loads(side.read_text(encoding="utf-8"))["published"] == meta.get("published")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Vladimir Putin has bluntly rejected a key element of the proposed peace plan for Ukraine.", "en"),
        ("RUSSIA LAUNCHES LARGEST DRONE ATTACK OF THE WAR ON UKRAINIAN CITIES, OFFICIALS SAY", "en"),
        ("| 2024 | 100 | 200 |\n| 2025 | 300 | 400 |\nDie Regierung hat am Dienstag neue Sanktionen gegen "
         "Russland beschlossen.", "de"),
        ("Le président russe a rejeté mardi le plan de paix proposé par les États-Unis.", "fr"),
    ],
)  # fmt: skip
def test_detect_language(text: str, code: str) -> None:
    guess = detect_language(text)
    assert guess.code == code
    assert 0.5 < guess.confidence <= 1.0


@pytest.mark.parametrize("text", ["", "12 34 56", "₹900\n3 Months\nSAVE 25%"])
def test_detect_language_too_little(text: str) -> None:
    assert detect_language(text).code is None


def test_an_unsure_language_guess_is_no_language() -> None:
    # py3langid's best guess for this one English line is Nigerian Pidgin, at 0.13
    guess = detect_language("Talks\n\nKarin Holmqvist met Anton Brandt in Geneva on Tuesday.")
    assert guess.code is None and guess.confidence < 0.5


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("PORT-AU-PRINCE, Haiti (AP) — Gangs attacked a police station.", "PORT-AU-PRINCE"),
        ("WINSTON-SALEM, N.C. (AP) — A man was arrested.", "WINSTON-SALEM"),
        ("KYIV, May 18 (Reuters)-Russia launched drones.", "KYIV"),
    ],
)
def test_a_hyphenated_place_opens_a_dateline(text: str, place: str) -> None:
    ((start, end),) = dateline_places(text)
    assert text[start:end] == place


def test_a_label_with_a_colon_or_a_dash_is_no_dateline() -> None:
    assert dateline_spans("UPDATE: talks resume") == []
    assert dateline_spans("BREAKING — talks resume") == []
