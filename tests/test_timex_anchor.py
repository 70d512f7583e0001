"""Event-anchored time expressions ("on the eve of a planned phone call"), and the gold scorer's use."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.analyze.nlp import get_nlp
from storyline.analyze.timex import TimeExpr, find_timexes, resolve_all
from storyline.eval.gold import _dates_of, _expression_pos

WED = date(2025, 12, 3)
SUN = date(2025, 5, 18)


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return get_nlp()


def _find(nlp, text: str, dct: date | None) -> list[TimeExpr]:  # type: ignore[no-untyped-def]
    return find_timexes(text, dct=dct, nlp_doc=nlp(text))


def test_eve_of_an_event_dated_in_the_article(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "President Trump has announced a call with Putin on May 19. "
        "His statement comes on the eve of a planned phone call with Trump."
    )
    found = _find(nlp, text, SUN)
    assert [(e.text, e.type, e.value) for e in found] == [
        ("May 19", "DATE", "2025-05-19"),
        ("the eve of a planned phone call", "DATE", "2025-05-18"),
    ]
    eve = found[1]
    assert text[eve.start : eve.end] == "the eve of a planned phone call"
    assert (eve.anchor, eve.granularity) == ("REF", "day")
    assert eve.relative is not None
    assert eve.relative["event"] == "a planned phone call"
    assert eve.relative["offset_days"] == -1


def test_day_after_an_event_of_the_same_kind(nlp) -> None:  # type: ignore[no-untyped-def]
    # "polls" and "vote" name the same kind of event (data/timex.yaml event_classes)
    text = "Voters went to the polls on Sunday. The day after the vote, the results were disputed."
    found = _find(nlp, text, WED)
    assert [(e.text, e.value) for e in found] == [
        ("Sunday", "2025-11-30"),
        ("The day after the vote", "2025-12-01"),
    ]


def test_an_undated_event_gives_no_expression(nlp) -> None:  # type: ignore[no-untyped-def]
    assert _find(nlp, "His statement comes on the eve of a summit whose date is unknown.", WED) == []
    # dated, but a different kind of event: no anchor
    text = "Voters went to the polls on Sunday. On the eve of the summit, leaders met."
    assert [e.text for e in _find(nlp, text, WED)] == ["Sunday"]


def test_eve_of_a_date_stays_a_plain_date(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _find(nlp, "Talks were held on the eve of May 19.", WED)
    assert [(e.text, e.value) for e in found] == [("the eve of May 19", "2025-05-18")]


def test_event_anchor_resolves_later_without_reparsing(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Trump announced a call with Putin on Monday. Markets rose on the eve of the call."
    unresolved = _find(nlp, text, None)
    assert [(e.text, e.value) for e in unresolved] == [("Monday", None), ("the eve of the call", None)]
    resolved = resolve_all(unresolved, SUN)
    # the call is the Monday before the article's Sunday (past tense), its eve the Sunday before that
    assert [(e.text, e.value) for e in resolved] == [
        ("Monday", "2025-05-12"),
        ("the eve of the call", "2025-05-11"),
    ]


# ---------------------------------------------------------------- the gold scorer's time-expression part
def test_gold_expression_is_looked_up_in_the_evidence_only() -> None:
    raw = "Last Updated: May 19 2025\nTrump promised a call on May 19, aides said."
    evidence = [{"text": "Trump promised a call on May 19, aides said.", "char_start": 26, "char_end": 70}]
    assert _expression_pos(raw, "May 19", evidence) == raw.index("May 19,")
    assert _expression_pos(raw, "on Tuesday", evidence) == -1
    assert _expression_pos(raw, "", evidence) == -1
    assert _expression_pos(raw, "May 19", None) == -1


def test_gold_dates_of_an_event_anchored_expression() -> None:
    eve = {"value": "2025-05-18", "relative": {"kind": "date", "event": "a planned call", "offset_days": -1}}
    assert _dates_of(eve) == ["2025-05-18", "2025-05-19"]
    plain = {"value": "2025-05-18", "relative": {"kind": "date", "offset_days": -1}}
    assert _dates_of(plain) == ["2025-05-18"]
    assert _dates_of({"value": None, "relative": None}) == [None]
    assert _dates_of({"value": "2025-W20", "relative": {"event": "x", "offset_days": 1}}) == ["2025-W20"]
