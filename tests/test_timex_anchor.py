"""Event-anchored time expressions ("on the eve of a planned phone call"), and the gold scorer's use."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.analyze.nlp import get_nlp
from storyline.analyze.timex import TimeExpr, find_timexes, resolve_all
from storyline.eval.gold import _dates_of, _expression_pos, _score_timexes
from storyline.eval.tempeval3 import default_system
from storyline.eval.timeml import TimeMLDoc

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


# ---------------------------------------------------------------- clauses on an event
CALL = "Trump will hold a phone call with Putin on Monday. "


def test_clause_on_a_dated_event_takes_its_day(nlp) -> None:  # type: ignore[no-untyped-def]
    text = CALL + "He promised to brief his allies once he’s finished speaking with his Russian counterpart."
    found = _find(nlp, text, SUN)
    assert [(e.text, e.type, e.value) for e in found] == [
        ("Monday", "DATE", "2025-05-19"),
        ("once he’s finished speaking with his Russian counterpart", "DATE", "2025-05-19"),
    ]
    clause = found[1]
    assert text[clause.start : clause.end] == "once he’s finished speaking with his Russian counterpart"
    assert clause.relative is not None
    assert (clause.relative["clause"], clause.relative["offset_days"]) == ("once", 0)
    assert clause.relative["event"] == "he’s finished speaking with his Russian counterpart"
    # resolved again for another publication date, without re-parsing: the Monday after it
    assert [e.value for e in resolve_all(found, date(2025, 5, 20))] == ["2025-05-26", "2025-05-26"]


def test_clause_ends_at_punctuation_and_skips_coordination(nlp) -> None:  # type: ignore[no-untyped-def]
    text = CALL + "Putin is unlikely to yield when the two leaders speak (officials say) and allies worry."
    found = _find(nlp, text, SUN)
    assert [(e.text, e.value) for e in found] == [
        ("Monday", "2025-05-19"),
        ("when the two leaders speak", "2025-05-19"),
    ]


def test_clause_without_a_dated_event_of_its_kind_gives_nothing(nlp) -> None:  # type: ignore[no-untyped-def]
    # the clause names a vote; only a call is dated
    text = CALL + "Allies will react once the parliament has voted."
    assert [e.text for e in _find(nlp, text, SUN)] == ["Monday"]
    # a "when" clause describing a date already given is no anchor of its own
    text = "Talks were held on May 18, when the two leaders spoke for an hour."
    assert [e.text for e in _find(nlp, text, SUN)] == ["May 18", "an hour"]


def test_clause_on_an_event_noun_needs_it_to_end_or_start(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The talks are set for Monday. Allies will react once the talks end."
    assert [(e.text, e.value) for e in _find(nlp, text, SUN)] == [
        ("Monday", "2025-05-19"),
        ("once the talks end", "2025-05-19"),
    ]
    # a poll that asks is a survey, not the vote dated before
    text = "The poll closes on Monday. When the poll asked about the candidates, Clinton led."
    assert [e.text for e in _find(nlp, text, SUN)] == ["Monday"]
    # "a time when …" is a relative clause on a noun
    text = CALL + "It comes at a time when Putin speaks of victory."
    assert [e.text for e in _find(nlp, text, SUN)] == ["Monday"]


def test_tempeval_system_leaves_clauses_out() -> None:
    text = CALL + "He will brief his allies once he has finished speaking with Putin."
    doc = TimeMLDoc(doc_id="d", text=text, dct=SUN, dct_value="2025-05-18", timexes=())
    assert [(s.text, s.value) for s in default_system(doc)] == [("Monday", "2025-05-19")]


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


def _gold_event(eid: str, day: str, expression: str, start: int, end: int) -> dict[str, object]:
    return {
        "id": eid,
        "date": day,
        "date_precision": "day",
        "certainty": "high",
        "seed_time_expression": expression,
        "evidence_by_seed": {"a.txt": [{"char_start": start, "char_end": end}]},
    }


def test_gold_expression_counts_for_the_event_of_its_sentence_it_dates() -> None:
    raw = "Trump has announced a call with Putin on May 19. Markets rose."
    end = raw.index(".") + 1
    timex = {"raw_start": raw.index("May 19"), "raw_end": raw.index("May 19") + 6, "value": "2025-05-19"}
    records = {"a.txt": {"annotations": {"timexes": [timex]}}}
    # the announcement (dated from elsewhere) and the call share the sentence: May 19 dates the call
    announced = _gold_event("E1", "2025-05-17", "May 19", 0, end)
    call = _gold_event("E2", "2025-05-19", "", 0, end)
    result = _score_timexes([announced, call], records, {"a.txt": raw})
    assert (result["scored"], result["correct"]) == (1, 1)
    assert result["details"][0]["dates_event"] == "E2"
    # alone in its sentence, the announcement is not dated by May 19
    result = _score_timexes([announced], records, {"a.txt": raw})
    assert (result["scored"], result["correct"]) == (1, 0)
    assert result["details"][0]["dates_event"] is None
