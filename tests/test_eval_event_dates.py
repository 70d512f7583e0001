"""The event-date scorer on a synthetic TimeML file, and a run on TBAQ when ../shared is there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.analyze.events import EventMention
from storyline.cli import app
from storyline.errors import MalformedInput
from storyline.eval.event_dates import (
    evaluate_docs,
    evaluate_event_dates,
    gold_event_dates,
    parse_event_doc,
    parse_meantime_doc,
    score_doc,
)
from storyline.eval.timeml import TimeMLDoc

SHARED = Path(__file__).resolve().parents[2] / "shared"
TBAQ = SHARED / "benchmarks" / "tempeval3" / "TBAQ-cleaned"

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>SYN002</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-08-08" temporalFunction="false" functionInDocument="CREATION_TIME">19980808</TIMEX3></DCT>
<TEXT>
Bombs <EVENT eid="e1" class="OCCURRENCE">exploded</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-08-07">Friday</TIMEX3> &amp; police <EVENT eid="e2" class="OCCURRENCE">met</EVENT> <TIMEX3 tid="t2" type="DATE" value="1998-W31">last week</TIMEX3>. Officials <EVENT eid="e3" class="REPORTING">said</EVENT> the <EVENT eid="e4" class="OCCURRENCE">talks</EVENT> <EVENT eid="e5" class="OCCURRENCE">ended</EVENT>.
</TEXT>
<MAKEINSTANCE eventID="e1" eiid="ei1" tense="PAST" aspect="NONE" polarity="POS" pos="VERB" />
<MAKEINSTANCE eventID="e2" eiid="ei2" tense="PAST" aspect="NONE" polarity="POS" pos="VERB" />
<MAKEINSTANCE eventID="e3" eiid="ei3" tense="PAST" aspect="NONE" polarity="POS" pos="VERB" />
<MAKEINSTANCE eventID="e4" eiid="ei4" tense="NONE" aspect="NONE" polarity="POS" pos="NOUN" />
<MAKEINSTANCE eventID="e5" eiid="ei5" tense="PAST" aspect="NONE" polarity="POS" pos="VERB" />
<TLINK lid="l1" relType="IS_INCLUDED" eventInstanceID="ei1" relatedToTime="t1" />
<TLINK lid="l2" relType="IS_INCLUDED" eventInstanceID="ei2" relatedToTime="t2" />
<TLINK lid="l3" relType="INCLUDES" timeID="t0" relatedToEventInstance="ei3" />
<TLINK lid="l4" relType="IS_INCLUDED" eventInstanceID="ei4" relatedToTime="t1" />
<TLINK lid="l5" relType="IS_INCLUDED" eventInstanceID="ei4" relatedToTime="t0" />
<TLINK lid="l6" relType="BEFORE" eventInstanceID="ei5" relatedToTime="t0" />
</TimeML>
"""  # noqa: E501


def _ev(
    doc: TimeMLDoc, word: str, value: str | None, precision: str = "day", source: str = "timex"
) -> EventMention:
    start = doc.text.index(word)
    return EventMention(
        start=start,
        end=start + len(word),
        text=word,
        lemma=word,
        type="other",
        date_value=value,
        precision=precision,
        date_source=source,  # type: ignore[arg-type]
    )


def test_reader_finds_events_with_offsets() -> None:
    edoc = parse_event_doc(TML)
    assert edoc.dct_tid == "t0"
    assert [(e.eid, e.text, e.eiids) for e in edoc.events] == [
        ("e1", "exploded", ("ei1",)),
        ("e2", "met", ("ei2",)),
        ("e3", "said", ("ei3",)),
        ("e4", "talks", ("ei4",)),
        ("e5", "ended", ("ei5",)),
    ]
    for e in edoc.events:
        assert edoc.doc.text[e.start : e.end] == e.text
    assert len(edoc.links) == 6


def test_gold_dates_from_links() -> None:
    # e1: in-text day; e2: a week is no day; e3: the DCT through a reversed link; e4: two different
    # days (ambiguous, left out); e5: BEFORE dates nothing
    gold = gold_event_dates(parse_event_doc(TML))
    assert [(g.event.text, g.date, g.anchor, g.tid) for g in gold] == [
        ("exploded", "1998-08-07", "timex", "t1"),
        ("said", "1998-08-08", "dct", "t0"),
    ]


def test_score_doc_coverage_and_dates() -> None:
    edoc = parse_event_doc(TML)
    doc = edoc.doc
    gold = gold_event_dates(edoc)
    system = [_ev(doc, "exploded", "1998-08-06"), _ev(doc, "said", "1998-08-08", "report", "report")]
    assert [(g.event.text, s is not None, ok) for g, s, ok in score_doc(gold, system)] == [
        ("exploded", True, False),
        ("said", True, True),
    ]
    # the right date wins among several overlapping triggers; a week is never a day
    assert score_doc(gold, [_ev(doc, "exploded", "1998-W32", "week"), _ev(doc, "exploded", "1998-08-07")])[0][
        2
    ]
    assert [ok for _, _, ok in score_doc(gold, [_ev(doc, "exploded", "1998-08-07T10:00")])] == [True, False]


def test_evaluate_docs_counts_and_system_out() -> None:
    edoc = parse_event_doc(TML)
    out: dict[str, list[dict[str, object]]] = {}
    errors: list[dict[str, object]] = []

    def system(doc: TimeMLDoc) -> list[EventMention]:
        return [_ev(doc, "exploded", "1998-08-07"), _ev(doc, "talks", "1998-08-08", "report", "report")]

    result = evaluate_docs([edoc], system=system, system_out=out, errors=errors)
    assert result["overall"] == {"gold": 2, "covered": 1, "correct": 1, "coverage": 0.5, "accuracy": 1.0}
    assert result["by_anchor"]["dct"] == {
        "gold": 1,
        "covered": 0,
        "correct": 0,
        "coverage": 0.0,
        "accuracy": None,
    }
    assert result["by_source"] == {
        "timex": {"gold": 1, "covered": 1, "correct": 1, "coverage": 1.0, "accuracy": 1.0}
    }
    assert [e["text"] for e in out["SYN002"]] == ["exploded", "talks"]
    assert out["SYN002"][1]["date_source"] == "report" and errors == []
    with pytest.raises(ValueError, match="triggers: expected one of system, gold, got 'both'"):
        evaluate_docs([edoc], system=system, triggers="both")


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(MalformedInput, match=r"no .tml \(TimeML\) or MEANTIME .xml files here"):
        evaluate_event_dates(tmp_path)
    result = CliRunner().invoke(app, ["eval", "event-dates", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "no such directory" in result.output


def test_gold_triggers_on_synthetic_file(tmp_path: Path) -> None:
    (tmp_path / "syn.tml").write_text(TML, encoding="utf-8")
    out = tmp_path / "sys.json"
    result = evaluate_event_dates(tmp_path, triggers="gold", system_out=out)
    # "exploded Friday" dated by its own expression; "said" (no expression) by the report date
    assert result["overall"] == {"gold": 2, "covered": 2, "correct": 2, "coverage": 1.0, "accuracy": 1.0}
    data = json.loads(out.read_text(encoding="utf-8"))
    dated = {e["text"]: (e["date"], e["precision"], e["date_source"]) for e in data["syn"]}
    assert dated["exploded"] == ("1998-08-07", "day", "timex")
    assert dated["said"] == ("1998-08-08", "report", "report")


MEANTIME_XML = """<?xml version="1.0" ?><Document doc_id="1" doc_name="1_Syn" lang="en">
<token number="0" sentence="0" t_id="1">March</token>
<token number="1" sentence="0" t_id="2">1</token>
<token number="0" sentence="1" t_id="3">Airbus</token>
<token number="1" sentence="1" t_id="4">``</token>
<token number="2" sentence="1" t_id="5">won</token>
<token number="3" sentence="1" t_id="6">''</token>
<token number="4" sentence="1" t_id="7">the</token>
<token number="5" sentence="1" t_id="8">contract</token>
<token number="6" sentence="1" t_id="9">on</token>
<token number="7" sentence="1" t_id="10">Friday</token>
<Markables>
<EVENT_MENTION m_id="5" pos="VERB" pred="win"><token_anchor t_id="5"/></EVENT_MENTION>
<EVENT_MENTION m_id="6" pos="NOUN" pred="contract"><token_anchor t_id="8"/></EVENT_MENTION>
<TIMEX3 functionInDocument="CREATION_TIME" m_id="20" type="DATE" value="2008-03-01">
<token_anchor t_id="1"/><token_anchor t_id="2"/></TIMEX3>
<TIMEX3 functionInDocument="NONE" m_id="21" type="DATE" value="2008-02-29"><token_anchor t_id="10"/></TIMEX3>
</Markables>
<Relations>
<TLINK r_id="1" reltype="IS_INCLUDED"><source m_id="5"/><target m_id="21"/></TLINK>
<TLINK r_id="2" reltype="INCLUDES"><source m_id="20"/><target m_id="6"/></TLINK>
<TLINK r_id="3" reltype="BEFORE"><source m_id="5"/><target m_id="20"/></TLINK>
</Relations>
</Document>
"""


def test_meantime_reader_and_links() -> None:
    edoc = parse_meantime_doc(MEANTIME_XML, doc_id="1_Syn")
    assert edoc.doc.text == 'March 1\nAirbus " won " the contract on Friday'
    assert edoc.doc.dct is not None and edoc.doc.dct.isoformat() == "2008-03-01" and edoc.dct_tid == "20"
    assert [(t.text, t.value) for t in edoc.doc.timexes] == [
        ("March 1", "2008-03-01"),
        ("Friday", "2008-02-29"),
    ]
    gold = gold_event_dates(edoc)
    assert [(g.event.text, g.date, g.anchor) for g in gold] == [
        ("won", "2008-02-29", "timex"),
        ("contract", "2008-03-01", "dct"),
    ]
    # no CREATION_TIME marked: the dateline the other expressions are anchored to is the DCT
    unmarked = MEANTIME_XML.replace(
        'functionInDocument="CREATION_TIME"', 'functionInDocument="NONE"'
    ).replace('m_id="21"', 'anchorTimeID="20" m_id="21"')
    edoc = parse_meantime_doc(unmarked, doc_id="1_Syn")
    assert edoc.dct_tid == "20" and edoc.doc.dct is not None and edoc.doc.dct.isoformat() == "2008-03-01"
    assert (
        parse_meantime_doc(
            MEANTIME_XML.replace('functionInDocument="CREATION_TIME"', 'functionInDocument="NONE"')
        ).doc.dct
        is None
    )
    with pytest.raises(MalformedInput, match="x: no <token> elements"):
        parse_meantime_doc("<Document/>", doc_id="x")


@pytest.mark.skipif(not TBAQ.is_dir(), reason="no ../shared TBAQ")
def test_tbaq_smoke() -> None:
    result = CliRunner().invoke(app, ["eval", "event-dates", str(TBAQ), "--limit", "2", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["documents"] == 2 and data["triggers"] == "system"
    assert data["overall"]["gold"] > 0
