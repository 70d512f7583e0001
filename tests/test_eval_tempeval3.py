"""The TempEval-3 scorer on a synthetic TimeML file, and a smoke run on TBAQ when ../shared is there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.eval.tempeval3 import SysTimex, evaluate_tempeval3, match_doc, scores
from storyline.eval.timeml import TimeMLDoc, parse_timeml, read_timeml

SHARED = Path(__file__).resolve().parents[2] / "shared"
TBAQ = SHARED / "benchmarks" / "tempeval3" / "TBAQ-cleaned"

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>SYN001</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-08-08" temporalFunction="false" functionInDocument="CREATION_TIME">19980808</TIMEX3></DCT>
<TEXT>
Bombs <EVENT eid="e1" class="OCCURRENCE">exploded</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-08-07">Friday</TIMEX3> &amp; police met <TIMEX3 tid="t2" type="DATE" value="1998-W31">last week</TIMEX3> for <TIMEX3 tid="t3" type="DURATION" value="PT5H">five hours</TIMEX3> today.
</TEXT>
</TimeML>
"""  # noqa: E501


def _doc() -> TimeMLDoc:
    return parse_timeml(TML)


def test_reader_strips_tags_and_keeps_offsets() -> None:
    doc = _doc()
    assert doc.doc_id == "SYN001"
    assert doc.dct is not None and doc.dct.isoformat() == "1998-08-08"
    assert "<" not in doc.text and "&amp;" not in doc.text and " & police" in doc.text
    assert [(t.text, t.type, t.value) for t in doc.timexes] == [
        ("Friday", "DATE", "1998-08-07"),
        ("last week", "DATE", "1998-W31"),
        ("five hours", "DURATION", "PT5H"),
    ]
    for t in doc.timexes:
        assert doc.text[t.start : t.end] == t.text


def _system(doc: TimeMLDoc) -> list[SysTimex]:
    text = doc.text
    friday = text.index("Friday")
    week = text.index("week")
    today = text.index("today")
    return [
        SysTimex(start=friday, end=friday + 6, type="DATE", value="1998-08-07"),  # exact, right value
        SysTimex(start=week, end=week + 4, type="DATE", value="1998-W32"),  # overlap, wrong value
        SysTimex(start=today, end=today + 5, type="DATE", value="1998-08-08"),  # spurious
    ]  # "five hours" is missed


def test_scorer_counts_on_injected_predictions() -> None:
    doc = _doc()
    counts, pairs, missed, spurious = match_doc(doc.timexes, _system(doc))
    assert (counts.gold, counts.system, counts.strict, counts.relaxed) == (3, 3, 1, 2)
    assert [g.text for g in missed] == ["five hours"]
    assert len(spurious) == 1 and len(pairs) == 2
    s = scores(counts)
    assert s["strict_p"] == pytest.approx(1 / 3)
    assert s["strict_r"] == pytest.approx(1 / 3)
    assert s["strict_f1"] == pytest.approx(1 / 3)
    assert s["relaxed_p"] == pytest.approx(2 / 3)
    assert s["relaxed_r"] == pytest.approx(2 / 3)
    assert s["relaxed_f1"] == pytest.approx(2 / 3)
    assert s["type_accuracy"] == pytest.approx(1.0)
    assert s["type_f1"] == pytest.approx(2 / 3)
    assert s["value_accuracy"] == pytest.approx(0.5)
    assert s["value_f1"] == pytest.approx(1 / 3)


def test_relaxed_matching_is_one_to_one() -> None:
    doc = _doc()
    friday = doc.text.index("Friday")
    two = [
        SysTimex(start=friday, end=friday + 3, type="DATE", value="1998-08-07"),
        SysTimex(start=friday + 3, end=friday + 6, type="DATE", value="1998-08-07"),
    ]
    counts, *_ = match_doc(doc.timexes, two)
    assert counts.relaxed == 1 and counts.strict == 0


def test_evaluate_on_a_file_writes_system_output(tmp_path: Path) -> None:
    path = tmp_path / "SYN001.tml"
    path.write_text(TML, encoding="utf-8")
    out = tmp_path / "sys.json"
    errors: list[dict[str, object]] = []
    result = evaluate_tempeval3(path, system_out=out, system=_system, errors=errors)
    assert result["documents"] == 1
    assert result["overall"]["value_f1"] == pytest.approx(1 / 3)
    assert result["subsets"][tmp_path.name]["gold"] == 3
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"SYN001"} and len(data["SYN001"]) == 3
    assert {"start", "end", "type", "value"} <= set(data["SYN001"][0])
    kinds = sorted(str(e["kind"]) for e in errors)
    assert kinds == ["miss", "span+value", "spurious"]


@pytest.mark.shared
@pytest.mark.skipif(not TBAQ.is_dir(), reason="../shared benchmarks not available")
def test_tbaq_smoke_five_files() -> None:
    files = sorted((TBAQ / "TimeBank").glob("*.tml"))[:5]
    assert files
    for f in files:
        doc = read_timeml(f)
        assert doc.dct is not None
        assert all(doc.text[t.start : t.end] == t.text for t in doc.timexes)
    result = evaluate_tempeval3(TBAQ / "TimeBank", limit=5)
    overall = result["overall"]
    assert result["documents"] == 5
    assert overall["gold"] > 0
    assert overall["relaxed_f1"] > 0.6
    assert overall["value_f1"] > 0.4
