"""Event date accuracy against TimeML temporal links (TempEval-3 TBAQ).

A gold *dated event* is a TimeML EVENT whose instance (``MAKEINSTANCE eiid``) has a TLINK that puts
it inside one day: ``IS_INCLUDED`` / ``DURING`` / ``SIMULTANEOUS`` to a DATE or TIME expression whose
value names a day (``1998-01-08``), or to the document creation time (DCT); the reverse links
(``INCLUDES`` / ``DURING_INV`` / ``SIMULTANEOUS`` from the time to the event) count the same. Its date
is that day. Events whose links name different days are left out (the annotation is ambiguous).

The system is storyline's event extractor (:func:`storyline.analyze.events.find_events`) run on the
document text with the DCT as the article date. A gold event is *covered* when a system event trigger
overlaps its EVENT span; it is *correct* when that system event's date equals the gold day (day
precision, or a report-dated event whose report date is that day). Reported: coverage (covered /
gold), accuracy (correct / covered), both split by the gold anchor (an in-text time expression or the
DCT) and by the system's date source (``timex``, ``anchor``, ``report``).

With ``triggers="gold"`` the system dates the gold EVENT spans themselves (oracle triggers), which
measures the date attachment on every gold dated event, apart from which triggers the event lexicon
knows.

The text and time expressions come from :mod:`storyline.eval.timeml`; this module adds the EVENT
spans, instances and TLINKs, read from the same markup with the same text offsets. MEANTIME
(``meantime_en``, NAF-like XML with token-anchored EVENT_MENTIONs, TIMEX3s and TLINKs) is read into the
same form (:func:`parse_meantime_doc`): the text is its tokens joined by spaces.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.errors import MalformedInput
from storyline.eval.timeml import GoldTimex, TimeMLDoc, parse_timeml

if TYPE_CHECKING:
    from storyline.analyze.events import EventMention

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "GoldEvent",
    "DatedEvent",
    "EventDoc",
    "parse_event_doc",
    "parse_meantime_doc",
    "read_event_doc",
    "gold_event_dates",
    "score_doc",
    "evaluate_event_dates",
    "default_system",
    "gold_trigger_system",
]

_TEXT_RE = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_DCT_RE = re.compile(r"<DCT>\s*<TIMEX3([^>]*)>", re.S)
_ATTR_RE = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"')
_PIECE_RE = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>|&[#\w]+;|[^<&]+|[<&]", re.S)
_TAG_RE = re.compile(r"<(MAKEINSTANCE|TLINK)\b([^>]*)/?>", re.S)
_DAY_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})")

# event → time relations that put the event inside the time, and their inverses (time → event)
INSIDE = frozenset({"IS_INCLUDED", "DURING", "SIMULTANEOUS", "IDENTITY"})
INSIDE_INV = frozenset({"INCLUDES", "DURING_INV", "SIMULTANEOUS", "IDENTITY"})


@dataclass(frozen=True, kw_only=True, slots=True)
class GoldEvent:
    """One TimeML EVENT: ``text[start:end]``, its id and its instance ids."""

    start: int
    end: int
    text: str
    eid: str
    eiids: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class DatedEvent:
    """A gold event with the day a TLINK puts it in; ``anchor`` is ``timex`` or ``dct``."""

    event: GoldEvent
    date: str
    anchor: str
    tid: str


@dataclass(frozen=True, kw_only=True, slots=True)
class EventDoc:
    doc: TimeMLDoc
    dct_tid: str | None
    events: tuple[GoldEvent, ...]
    links: tuple[dict[str, str], ...]


def _attrs(raw: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in _ATTR_RE.findall(raw)}


def _event_spans(body: str) -> list[tuple[int, int, dict[str, str]]]:
    """``(start, end, attrs)`` of every EVENT in ``body``, offsets into the tag-free text."""
    length = 0
    open_events: list[tuple[dict[str, str], int]] = []
    spans: list[tuple[int, int, dict[str, str]]] = []
    for piece in _PIECE_RE.finditer(body):
        tag = piece.group(2)
        if tag is not None:
            if tag == "EVENT":
                if piece.group(1) == "/":
                    if open_events:
                        attrs, start = open_events.pop()
                        spans.append((start, length, attrs))
                elif piece.group(4) != "/":
                    open_events.append((_attrs(piece.group(3)), length))
            continue
        chunk = piece.group(0)
        length += len(html.unescape(chunk) if chunk.startswith("&") else chunk)
    return spans


def parse_event_doc(source: str, *, doc_id: str = "") -> EventDoc:
    """A TimeML document with its EVENTs, instances and TLINKs."""
    doc = parse_timeml(source, doc_id=doc_id)
    m = _TEXT_RE.search(source)
    if m is None:  # parse_timeml has raised already; kept for the type checker
        raise MalformedInput(doc.doc_id or "<timeml>", "no <TEXT> element")
    dm = _DCT_RE.search(source)
    dct_tid = _attrs(dm.group(1)).get("tid") if dm else None
    eiids: dict[str, list[str]] = {}
    links: list[dict[str, str]] = []
    for tm in _TAG_RE.finditer(source[m.end() :]):
        attrs = _attrs(tm.group(2))
        if tm.group(1) == "MAKEINSTANCE":
            if attrs.get("eventID") and attrs.get("eiid"):
                eiids.setdefault(attrs["eventID"], []).append(attrs["eiid"])
        else:
            links.append(attrs)
    events = []
    for start, end, attrs in _event_spans(m.group(1)):
        text = doc.text[start:end]
        eid = attrs.get("eid", "")
        events.append(GoldEvent(start=start, end=end, text=text, eid=eid, eiids=tuple(eiids.get(eid, ()))))
    events.sort(key=lambda e: (e.start, e.end))
    return EventDoc(doc=doc, dct_tid=dct_tid, events=tuple(events), links=tuple(links))


def read_event_doc(path: Path) -> EventDoc:
    """Read one ``.tml`` file."""
    return parse_event_doc(path.read_text(encoding="utf-8"), doc_id=path.stem)


_MT_TOKEN_RE = re.compile(r"<token\b([^>]*)>(.*?)</token>", re.S)
_MT_MARKABLE_RE = re.compile(r"<(EVENT_MENTION|TIMEX3)\b([^>]*?)(/>|>(.*?)</\1>)", re.S)
_MT_ANCHOR_RE = re.compile(r'<token_anchor\s+t_id="([^"]+)"')
_MT_TLINK_RE = re.compile(r"<TLINK\b([^>]*)>(.*?)</TLINK>", re.S)
_MT_END_RE = re.compile(r'<(source|target)\s+m_id="([^"]+)"')
_MT_QUOTES = {"``": '"', "''": '"', "-LRB-": "(", "-RRB-": ")"}


def parse_meantime_doc(source: str, *, doc_id: str = "") -> EventDoc:
    """A MEANTIME (NAF-like) document as an :class:`EventDoc`: the tokens joined by spaces (a line per
    sentence), EVENT_MENTIONs and TIMEX3s over their token anchors, TLINKs in TimeML terms (the
    CREATION_TIME expression is the DCT; where none is marked, the day-valued expression the others
    are anchored to most, the dateline)."""
    offsets: dict[str, tuple[int, int]] = {}
    parts: list[str] = []
    length = 0
    last_sentence: str | None = None
    for m in _MT_TOKEN_RE.finditer(source):
        attrs = _attrs(m.group(1))
        word = html.unescape(m.group(2))
        word = _MT_QUOTES.get(word, word)
        sep = "" if last_sentence is None else ("\n" if attrs.get("sentence") != last_sentence else " ")
        last_sentence = attrs.get("sentence")
        parts.append(sep + word)
        length += len(sep)
        offsets[attrs.get("t_id", "")] = (length, length + len(word))
        length += len(word)
    if not parts:
        raise MalformedInput(doc_id or "<meantime>", "no <token> elements")
    text = "".join(parts)
    timexes: list[GoldTimex] = []
    events: list[GoldEvent] = []
    dct_tid: str | None = None
    dct_value: str | None = None
    anchors: list[str] = []
    for m in _MT_MARKABLE_RE.finditer(source):
        attrs = _attrs(m.group(2))
        spans = [offsets[t] for t in _MT_ANCHOR_RE.findall(m.group(4) or "") if t in offsets]
        mid = attrs.get("m_id", "")
        if m.group(1) == "TIMEX3":
            if attrs.get("anchorTimeID"):
                anchors.append(attrs["anchorTimeID"])
            if attrs.get("functionInDocument") == "CREATION_TIME":
                dct_tid, dct_value = mid, attrs.get("value")
            if spans:
                start, end = min(a for a, _ in spans), max(b for _, b in spans)
                timexes.append(
                    GoldTimex(
                        start=start,
                        end=end,
                        text=text[start:end],
                        tid=mid,
                        type=attrs.get("type", ""),
                        value=attrs.get("value", ""),
                    )
                )
        elif spans:
            start, end = min(a for a, _ in spans), max(b for _, b in spans)
            events.append(GoldEvent(start=start, end=end, text=text[start:end], eid=mid, eiids=(mid,)))
    if dct_tid is None and anchors:
        # no CREATION_TIME marked: the dateline, which the other expressions are anchored to
        day_tids = {t.tid: t.value for t in timexes if _DAY_RE.match(t.value)}
        refs = [a for a in anchors if a in day_tids]
        if refs:
            dct_tid = max(set(refs), key=lambda a: (refs.count(a), a))
            dct_value = day_tids[dct_tid]
    kinds = {t.tid: "time" for t in timexes} | {e.eid: "event" for e in events}
    if dct_tid is not None:
        kinds[dct_tid] = "time"
    links: list[dict[str, str]] = []
    for m in _MT_TLINK_RE.finditer(source):
        ends = dict(_MT_END_RE.findall(m.group(2)))
        src, tgt = ends.get("source", ""), ends.get("target", "")
        rel = _attrs(m.group(1)).get("reltype", "")
        if kinds.get(src) == "event" and kinds.get(tgt) == "time":
            links.append({"relType": rel, "eventInstanceID": src, "relatedToTime": tgt})
        elif kinds.get(src) == "time" and kinds.get(tgt) == "event":
            links.append({"relType": rel, "timeID": src, "relatedToEventInstance": tgt})
    dm = _DAY_RE.match(dct_value or "")
    dct = date.fromisoformat(dm.group(1)) if dm else None
    doc = TimeMLDoc(
        doc_id=doc_id,
        text=text,
        dct=dct,
        dct_value=dct_value,
        timexes=tuple(sorted(timexes, key=lambda t: (t.start, t.end))),
    )
    events.sort(key=lambda e: (e.start, e.end))
    return EventDoc(doc=doc, dct_tid=dct_tid, events=tuple(events), links=tuple(links))


def read_any_doc(path: Path) -> EventDoc:
    """A ``.tml`` (TimeML) or ``.xml`` (MEANTIME) file."""
    if path.suffix == ".xml":
        return parse_meantime_doc(path.read_text(encoding="utf-8"), doc_id=path.stem)
    return read_event_doc(path)


def gold_event_dates(edoc: EventDoc) -> list[DatedEvent]:
    """The gold events a TLINK puts inside one day (see the module doc), in text order."""
    day_of: dict[str, tuple[str, str]] = {}
    for t in edoc.doc.timexes:
        dm = _DAY_RE.match(t.value)
        if t.type in ("DATE", "TIME") and dm:
            day_of[t.tid] = (dm.group(1), "timex")
    if edoc.dct_tid and edoc.doc.dct is not None:
        day_of[edoc.dct_tid] = (edoc.doc.dct.isoformat(), "dct")
    by_eiid: dict[str, set[tuple[str, str, str]]] = {}
    for link in edoc.links:
        rel = link.get("relType", "")
        if link.get("eventInstanceID") and link.get("relatedToTime") and rel in INSIDE:
            eiid, tid = link["eventInstanceID"], link["relatedToTime"]
        elif link.get("timeID") and link.get("relatedToEventInstance") and rel in INSIDE_INV:
            eiid, tid = link["relatedToEventInstance"], link["timeID"]
        else:
            continue
        if tid in day_of:
            day, anchor = day_of[tid]
            by_eiid.setdefault(eiid, set()).add((day, anchor, tid))
    out: list[DatedEvent] = []
    for ev in edoc.events:
        found = {x for i in ev.eiids for x in by_eiid.get(i, ())}
        days = {d for d, _, _ in found}
        if len(days) != 1:
            continue
        # an in-text expression names the anchor before the DCT when both give the same day
        day, anchor, tid = min(found, key=lambda x: (x[1] != "timex", x[2]))
        out.append(DatedEvent(event=ev, date=day, anchor=anchor, tid=tid))
    return out


System = Callable[[TimeMLDoc], Sequence["EventMention"]]
TRIGGERS = ("system", "gold")


def default_system(doc: TimeMLDoc) -> list[EventMention]:
    """storyline's event extractor on the document text, dated against the DCT."""
    from storyline.analyze.entities import find_mentions
    from storyline.analyze.events import find_events
    from storyline.analyze.nlp import get_nlp, parse
    from storyline.analyze.timex import find_timexes
    from storyline.gazetteer import load_gazetteer

    nlp_doc = parse(doc.text, nlp=get_nlp())
    timexes = find_timexes(doc.text, dct=doc.dct, nlp_doc=nlp_doc)
    mentions = find_mentions(doc.text, nlp_doc=nlp_doc, gazetteer=load_gazetteer(), published=doc.dct)
    return find_events(doc.text, nlp_doc=nlp_doc, timexes=timexes, mentions=mentions, published=doc.dct)


def gold_trigger_system(edoc: EventDoc) -> list[EventMention]:
    """storyline's date attachment on the gold EVENT spans themselves (oracle triggers): the dating
    measured apart from trigger finding, on every gold dated event."""
    from storyline.analyze.entities import find_mentions
    from storyline.analyze.events import date_spans
    from storyline.analyze.nlp import get_nlp, parse
    from storyline.analyze.timex import find_timexes
    from storyline.gazetteer import load_gazetteer

    doc = edoc.doc
    nlp_doc = parse(doc.text, nlp=get_nlp())
    timexes = find_timexes(doc.text, dct=doc.dct, nlp_doc=nlp_doc)
    mentions = find_mentions(doc.text, nlp_doc=nlp_doc, gazetteer=load_gazetteer(), published=doc.dct)
    found = date_spans(
        doc.text,
        nlp_doc=nlp_doc,
        timexes=timexes,
        mentions=mentions,
        published=doc.dct,
        spans=[(e.start, e.end) for e in edoc.events],
    )
    return [e for e in found if e is not None]


def _date_ok(ev: EventMention, gold: str) -> bool:
    if ev.date_value is None:
        return False
    return ev.precision in ("day", "report") and ev.date_value[:10] == gold


@dataclass(kw_only=True, slots=True)
class _Tally:
    gold: int = 0
    covered: int = 0
    correct: int = 0

    def add(self, *, covered: bool, correct: bool) -> None:
        self.gold += 1
        self.covered += covered
        self.correct += correct

    def scores(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "covered": self.covered,
            "correct": self.correct,
            "coverage": round(self.covered / self.gold, 4) if self.gold else None,
            "accuracy": round(self.correct / self.covered, 4) if self.covered else None,
        }


def score_doc(
    gold: Sequence[DatedEvent], system: Sequence[EventMention]
) -> list[tuple[DatedEvent, EventMention | None, bool]]:
    """Each gold dated event with the system event covering it (or ``None``) and whether the date is right.

    When several system triggers overlap one gold event, the one with the right date wins (then the
    first in text order)."""
    out: list[tuple[DatedEvent, EventMention | None, bool]] = []
    for g in gold:
        hits = [s for s in system if s.start < g.event.end and g.event.start < s.end]
        if not hits:
            out.append((g, None, False))
            continue
        best = max(hits, key=lambda s: (_date_ok(s, g.date), -s.start))
        out.append((g, best, _date_ok(best, g.date)))
    return out


def tml_files(path: Path) -> list[Path]:
    """``path`` itself when it is a file, else every ``.tml`` below it, else every MEANTIME ``.xml``
    below it (the intra-document annotation when both it and the cross-document one are there), sorted."""
    if path.is_file():
        return [path]
    found = sorted(path.rglob("*.tml"))
    if found:
        return found
    xml = sorted(p for p in path.rglob("*.xml") if "<Document" in p.read_text(encoding="utf-8")[:400])
    intra = [p for p in xml if "intra-doc_annotation" in p.parts]
    return intra or xml


def evaluate_docs(
    docs: Iterable[EventDoc],
    *,
    system: System = default_system,
    triggers: str = "system",
    system_out: dict[str, list[dict[str, Any]]] | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Score ``system`` on TimeML documents with events (see the module doc); with ``triggers="gold"``
    the system dates the gold EVENT spans (:func:`gold_trigger_system`) instead of finding its own."""
    if triggers not in TRIGGERS:
        raise ValueError(f"triggers: expected one of {', '.join(TRIGGERS)}, got {triggers!r}")
    total = _Tally()
    by_anchor: dict[str, _Tally] = {}
    by_source: dict[str, _Tally] = {}
    n_docs = 0
    for edoc in docs:
        n_docs += 1
        doc = edoc.doc
        predicted = list(gold_trigger_system(edoc) if triggers == "gold" else system(doc))
        if system_out is not None:
            system_out[doc.doc_id] = [
                {
                    "start": e.start,
                    "end": e.end,
                    "text": e.text,
                    "type": e.type,
                    "date": e.date_value,
                    "precision": e.precision,
                    "date_source": e.date_source,
                    "modality": e.modality,
                }
                for e in predicted
            ]
        for g, s, ok in score_doc(gold_event_dates(edoc), predicted):
            total.add(covered=s is not None, correct=ok)
            by_anchor.setdefault(g.anchor, _Tally()).add(covered=s is not None, correct=ok)
            if s is None:
                continue
            by_source.setdefault(s.date_source, _Tally()).add(covered=True, correct=ok)
            if errors is not None and not ok:
                errors.append(
                    {
                        "doc": doc.doc_id,
                        "dct": doc.dct.isoformat() if doc.dct else None,
                        "event": g.event.text,
                        "gold": g.date,
                        "anchor": g.anchor,
                        "gold_timex": next((t.text for t in doc.timexes if t.tid == g.tid), "DCT"),
                        "system": s.date_value,
                        "precision": s.precision,
                        "source": s.date_source,
                        "context": _context(doc.text, g.event.start, g.event.end),
                    }
                )
    return {
        "documents": n_docs,
        "triggers": triggers,
        "overall": total.scores(),
        "by_anchor": {k: v.scores() for k, v in sorted(by_anchor.items())},
        "by_source": {k: v.scores() for k, v in sorted(by_source.items())},
    }


def _context(text: str, start: int, end: int, width: int = 80) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"{left}[[{text[start:end]}]]{right}"


def evaluate_event_dates(
    path: Path,
    *,
    system_out: Path | None = None,
    limit: int | None = None,
    system: System = default_system,
    triggers: str = "system",
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Run ``system`` over the ``.tml`` files under ``path`` and score its event dates.

    ``triggers`` is ``system`` (the extractor's own triggers) or ``gold`` (the gold EVENT spans dated
    by the system); ``limit`` keeps the first N files; ``system_out`` receives ``{doc: [{start, end,
    text, type, date, precision, date_source, modality}]}``.
    """
    files = tml_files(Path(path))
    if not files:
        raise MalformedInput(str(path), "no .tml (TimeML) or MEANTIME .xml files here")
    if limit is not None:
        files = files[:limit]
    out: dict[str, list[dict[str, Any]]] | None = {} if system_out is not None else None
    result = evaluate_docs(
        (read_any_doc(f) for f in files), system=system, triggers=triggers, system_out=out, errors=errors
    )
    if system_out is not None:
        system_out.write_text(json.dumps(out, indent=1, sort_keys=True), encoding="utf-8")
    return result
