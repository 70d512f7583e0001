"""Dates an article gives an event through its context rather than its own clause.

Used by :mod:`storyline.analyze.events` after each event got the date of its own clause (or the
report's):

- :func:`share_dates`: another mention of the same event in the article is dated ("a call … on
  May 19" dates "the upcoming phone call" and "a planned call"): ``date_source="event"``;
- :func:`narrative_dates`: a past event takes the last day the narrative named just before it
  ("reinforced on May 18, when Russia launched … . Ukraine's Air Force intercepted 88 drones"):
  ``date_source="narrative"``.

Both only replace a report date, and keep the expression used (``timex``, ``relative``) so that
:func:`storyline.analyze.events.resolve_events` re-dates them when the article date changes.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from .events_dates import calendar_value, datable, value_precision, value_start

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .events import EventMention
    from .timex import TimeExpr

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["NARRATIVE_PARAGRAPHS", "NARRATIVE_SENTENCES", "REPORTING", "narrative_dates", "share_dates"]

# types whose mentions are each their own event: no mention takes another's date
UNSHARED_TYPES = frozenset({"statement", "other"})
# verbs of reporting beyond the lexicon's speech verbs: their time is the report's
REPORTING = frozenset({"report", "add", "announce", "say", "tell"})
# how far back the narrative's last day still dates a past event: sentences before its own, paragraph
# breaks crossed
NARRATIVE_SENTENCES = 1
NARRATIVE_PARAGRAPHS = 0


def _actor_keys(text: str, ev: EventMention) -> set[str]:
    """The participants of ``ev`` by surname (or last word): "U.S. President Donald Trump" → trump."""
    keys: set[str] = set()
    for start, end, _ in ev.participants:
        words = text[start:end].replace("’", "'").split()
        if not words:
            continue
        # "the Trump-Putin call": a hyphenated pair names both
        names = re.split(r"[-–]", words[-1]) if len(words) == 1 else [words[-1]]
        keys.update(n.lower().removesuffix("'s").strip(".,") for n in names if n)
    return keys


def share_dates(events: Sequence[EventMention], *, text: str, published: date | None) -> list[EventMention]:
    """Events the article leaves undated, dated by another mention of the same event in it.

    A report-dated event takes the date of the article's dated mentions of its type that share a
    participant with it, or, for a planned event without participants ("the upcoming phone call"),
    of its planned mentions; only when those agree on one date, when both are planned or both are
    not, and never a date after the report for an event that is not planned. An event that is not
    planned must be a mention ("the talks"), not an assertion with a tense ("Russia struck Odesa").
    Statements are left alone (every statement is its own), as is ``other`` (words outside the
    lexicon). The event keeps that mention's expression (``timex``, ``relative``) with
    ``date_source="event"``.
    """
    dated = [
        e
        for e in events
        if e.date_source in ("timex", "anchor")
        and e.precision in ("day", "week")
        and e.modality != "negated"
        and (e.date_value or e.relative)  # a value, or one to come once the article date is known
    ]
    out: list[EventMention] = []
    for ev in events:
        if ev.date_source != "report" or ev.modality == "negated" or ev.type in UNSHARED_TYPES:
            out.append(ev)
            continue
        keys = _actor_keys(text, ev)
        cands: list[EventMention] = []
        for d in dated:
            if d.type != ev.type or d.planned != ev.planned and not (d.date_value is None and not d.planned):
                # (a dated mention not yet resolved may turn out planned once the article date is known)
                continue
            if not (keys & _actor_keys(text, d)) and not (ev.planned and not keys):
                continue
            if not ev.planned and ev.tense != "none":
                continue  # "Russia struck Odesa" asserts a strike: it is no mention of another one
            start = value_start(d.date_value) if d.date_value else None
            if not ev.planned and published is not None and (start is None or start > published):
                continue
            cands.append(d)
        if len({c.date_value or c.timex for c in cands}) != 1:
            out.append(ev)
            continue
        src = min(cands, key=lambda c: abs(c.start - ev.start))
        out.append(
            replace(
                ev,
                date_value=src.date_value,
                date_source="event",
                precision=src.precision,
                timex=src.timex,
                relative=src.relative,
            )
        )
    return out


def _adverbial(doc: Doc, expr: TimeExpr) -> bool:
    """``expr`` tells when a clause happened ("met *on Tuesday*", "*Tuesday*, Russia launched …"),
    rather than naming something ("the *September 11, 2001,* attacks"): only such a date moves the
    narrative's reference time."""
    span = doc.char_span(expr.start, expr.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    root = span.root
    head = root.head
    if root.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    return head.i != root.i and head.pos_ in ("VERB", "AUX")


def _present_perfect(doc: Doc, start: int) -> bool:
    """ "Russia's forces have captured about 1,500 square kilometres since January": a present perfect
    tells of a stretch up to now, not of a day in the story's past."""
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None or not len(span):
        return False
    tok = span[0]
    verb = tok if tok.pos_ in ("VERB", "AUX") else tok.head if tok.head.pos_ in ("VERB", "AUX") else None
    if verb is None or verb.tag_ != "VBN":
        return False
    return any(c.dep_ == "aux" and c.lower_ in ("has", "have", "'s", "'ve") for c in verb.children)


def narrative_dates(
    events: Sequence[EventMention],
    *,
    doc: Doc,
    timexes: Sequence[TimeExpr],
    published: date | None,
    reporting: frozenset[str] = frozenset(),
) -> list[EventMention]:
    """Past events the article leaves undated, dated by the narrative's reference time.

    A story told in the past moves on from the last day it named: "That skepticism was reinforced on
    May 18, when Russia launched … . Ukraine's Air Force intercepted 88 drones" — the interception is
    May 18 too. A report-dated event in the past tense (not planned, not a verb of saying: reports are
    the report's) takes the last day-precision date named before it in its sentence or the one
    before, in the same paragraph, when that day is not after the report and the expression is told
    relative to the report or is an adverbial of its clause (a full date naming a thing, "the
    September 11, 2001, attacks", is no reference time);
    ``date_source="narrative"``
    and ``timex`` the expression. On TBAQ with the gold triggers (``storyline eval event-dates
    --triggers gold``) 54 of the 60 events it dates get the gold day; a wider window (two sentences,
    a paragraph break) dates twice as many at 0.80.
    """
    if published is None:
        # not resolved yet: days and days to be (resolve_events drops one that lands after the report)
        days = [
            t
            for t in timexes
            if datable(t)
            and (
                value_precision(calendar_value(t.value)) == "day"
                or t.value is None
                and t.granularity == "day"
            )
        ]
    else:
        days = [t for t in timexes if datable(t) and value_precision(calendar_value(t.value)) == "day"]
        days = [
            t
            for t in days
            if (v := value_start(calendar_value(t.value) or "")) is not None and v <= published
        ]
    # a date told relative to the report ("Tuesday's talks") sets the narrative's time wherever it
    # sits; a full date only as an adverbial ("the September 11, 2001, attacks" name a past event)
    days = [t for t in days if t.anchor != "ABS" or _adverbial(doc, t)]
    if not days:
        return list(events)
    sent_starts = [s.start_char for s in doc.sents]
    out: list[EventMention] = []
    for ev in events:
        if (
            ev.date_source != "report"
            or ev.planned
            or ev.tense != "past"
            or ev.lemma in reporting
            or _present_perfect(doc, ev.start)
        ):
            out.append(ev)
            continue
        k = bisect_right(sent_starts, ev.start) - 1
        lo = sent_starts[max(0, k - NARRATIVE_SENTENCES)]
        before = [
            t
            for t in days
            if lo <= t.start
            and t.end <= ev.start
            and doc.text.count("\n\n", t.end, ev.start) <= NARRATIVE_PARAGRAPHS
        ]
        if not before:
            out.append(ev)
            continue
        t = max(before, key=lambda t: t.start)
        out.append(
            replace(
                ev,
                date_value=calendar_value(t.value),
                date_source="narrative",
                precision="day",
                timex=(t.start, t.end),
                relative=t.relative,
            )
        )
    return out
