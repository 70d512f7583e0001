"""Time expressions: recognition and TIMEX3 normalization, tense-aware, relative to the article date.

::

    find_timexes(text, dct=date(2025, 12, 3))
    # "talks in the Kremlin on Tuesday"  → DATE 2025-12-02 (past: the Tuesday before)
    # "are due to meet … on Thursday"    → DATE 2025-12-04 (future cue "due to")
    # "the past three months"            → DURATION P3M

The cascade: regular-expression rules (:mod:`.timex_rules`) propose candidates; the
spaCy parse decides the tense of the clause that governs each one (auxiliary
"will", modals, "due/expected/scheduled/plan to", "ahead of", past-tense verbs) and
drops bare numbers the parser reads as counts ("2000 troops") (:mod:`.timex_tense`); then
each candidate's relative description is resolved against the DCT and a running reference
time (the last date mentioned, for "a day earlier", "the following week", "the previous
Friday") (:mod:`.timex_resolve`). In a quarterly report "the quarter", "the latest quarter",
"the year-earlier period" and "a year ago" follow the quarter the report is about, not a
quarter mentioned in passing. Expressions anchored on an event ("on the eve of a planned phone
call", "once he's finished speaking with his Russian counterpart") take their day from a dated
mention of that event in the same text (:mod:`.timex_anchor`). In narrative mode (histories)
partial dates take their year from the story's time, which moves with the absolute dates
mentioned but not to years far from the ones the text is about.

When the DCT is unknown every expression keeps its relative description and its
value is ``None``; :func:`resolve_all` fills the values in later, cheaply, without
re-parsing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from storyline.analyze.timex_resolve import SEASON_MONTH, RefTime, resolve_relative
from storyline.analyze.timex_rules import Candidate, recognize
from storyline.analyze.timex_tense import Tense, clause_tense, is_count, modifies_nominal

if TYPE_CHECKING:
    from spacy.tokens import Doc

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["TimeExpr", "find_timexes", "resolve", "resolve_all", "clause_tense"]

Anchor = Literal["DCT", "REF", "ABS"]

# a history steps back a season at most: a month further back than this is the next year's
_NARRATIVE_BACKSTEP = 4
# between a week and a day of it: "next week, possibly on Thursday", "last week, on Friday"
_WEEK_THEN_DAY = re.compile(
    r"\s*,\s*(?:(?:possibly|probably|perhaps|likely|maybe|most likely|as early as|as soon as|either)\s+)?"
    r"(?:on\s+)?",
    re.IGNORECASE,
)
# "overnight into Sunday"
_INTO = re.compile(r"\s+(?:into|to)\s+", re.IGNORECASE)
# what joins two weekdays of one span or list: "on Monday and Tuesday", "from Friday to Sunday"
_PAIR_GAP = re.compile(r"\s*(?:,\s*)?(?:-|–|—|and|or|to|through|until|till)\s*", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True, slots=True)
class TimeExpr:
    """One TIMEX3: ``text[start:end]``, its type, normalized value and how it was anchored.

    ``relative`` is the description ``value`` was (or will be) resolved from (see
    :mod:`storyline.analyze.timex_resolve`); it is ``None`` for values that need no
    anchor (``P3M``, ``PRESENT_REF``, ``2022``).
    """

    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: str | None
    mod: str | None = None
    anchor: Anchor = "ABS"
    tense: Tense = "none"
    relative: dict[str, Any] | None = None
    granularity: str = "day"


def _as_date(dct: date | datetime | None) -> date | None:
    if isinstance(dct, datetime):
        return dct.date()
    return dct


# ---------------------------------------------------------------- public API
def _direction(tense: Tense) -> int:
    return {"past": -1, "future": 1}.get(tense, 0)


def _anchor_of(c: Candidate) -> Anchor:
    if c.rel is None:
        return "ABS"
    a = c.rel.get("anchor")
    if a in ("REF", "ABS"):
        return "REF" if a == "REF" else "ABS"
    if c.rel.get("kind") == "same":
        return "REF"
    return "DCT"


def _to_expr(text: str, c: Candidate, tense: Tense) -> TimeExpr:
    rel = None
    if c.rel is not None:
        rel = dict(c.rel)
        if c.tense_sensitive and "direction" not in rel:
            rel["direction"] = _direction(tense)
        rel.setdefault("anchor", _anchor_of(c))
    value = c.value
    anchor = _anchor_of(c)
    if rel is not None and anchor == "ABS":
        value, _ = resolve_relative(rel, None)
        if value is not None:
            pass
    return TimeExpr(
        start=c.start,
        end=c.end,
        text=text[c.start : c.end],
        type=c.type,
        value=value,
        mod=c.mod,
        anchor=anchor,
        tense=tense,
        relative=rel,
        granularity=c.gran,
    )


def find_timexes(
    doc_or_text: Doc | str,
    *,
    dct: date | datetime | None,
    nlp_doc: Doc | None = None,
    narrative: bool = False,
) -> list[TimeExpr]:
    """The time expressions of a text, normalized against ``dct`` (``None``: values stay unresolved).

    ``doc_or_text`` is a ``str`` or a spaCy ``Doc``; ``nlp_doc`` is a parse of the same text
    to reuse (one is made with :func:`storyline.analyze.nlp.get_nlp` otherwise). Offsets
    index the text given.
    """
    if isinstance(doc_or_text, str):
        text = doc_or_text
        doc = nlp_doc
    else:
        text = doc_or_text.text
        doc = nlp_doc if nlp_doc is not None else doc_or_text
    cands = recognize(text)
    if doc is None and cands:
        from storyline.analyze.nlp import get_nlp

        doc = get_nlp()(text)
    exprs: list[TimeExpr] = []
    for c in cands:
        if c.check_number and doc is not None and is_count(doc, c.start, c.end):
            continue
        tense: Tense = clause_tense(doc, c.start, c.end) if doc is not None else "none"
        if c.props.get("future_only") and tense != "future":
            continue  # "soon became a flood", "would soon be sent": narration, not a reference to the future
        if c.props.get("verbal") and doc is not None and modifies_nominal(doc, c.start, c.end):
            continue  # "Smith, currently vice president", "an edgy and currently unforgiving public"
        exprs.append(_to_expr(text, c, tense))
    exprs = _paired_weekdays(text, _overnight_into(text, exprs))
    if doc is not None:
        from storyline.analyze.timex_anchor import event_anchored

        exprs.extend(event_anchored(doc, text, exprs))
    return list(resolve_all(exprs, dct, narrative=narrative))


def _overnight_into(text: str, exprs: list[TimeExpr]) -> list[TimeExpr]:
    """ "overnight into Sunday" as one expression: the night before the day named (a Tuesday paper's
    "overnight" alone is the night just past; "into Sunday" moves it to Saturday night)."""
    out = sorted(exprs, key=lambda x: (x.start, x.end))
    merged: list[TimeExpr] = []
    i = 0
    while i < len(out):
        a = out[i]
        b = out[i + 1] if i + 1 < len(out) else None
        if (
            b is not None
            and a.text.lower() == "overnight"
            and b.type == "DATE"
            and b.relative is not None
            and b.relative.get("kind") in ("weekday", "date")
            and b.granularity == "day"
            and _INTO.fullmatch(text, a.end, b.start)
        ):
            rel = {**b.relative, "part": "NI", "offset_days": -1}
            merged.append(replace(b, start=a.start, text=text[a.start : b.end], type="TIME", relative=rel))
            i += 2
            continue
        merged.append(a)
        i += 1
    return merged


def _paired_weekdays(text: str, exprs: list[TimeExpr]) -> list[TimeExpr]:
    """The second of two joined weekdays ("on Monday and Tuesday", "from Friday to Sunday") marked to
    follow the first: the next such weekday after it, whatever the tense alone would give. ``exprs`` are
    in text order (as :func:`_overnight_into` returns them)."""
    out = list(exprs)
    for i in range(1, len(out)):
        a, b = out[i - 1], out[i]
        if a.relative is None or b.relative is None or b.relative.get("kind") != "weekday":
            continue
        if b.relative.get("week"):
            continue  # "last Tuesday", "next Friday": told apart already
        if a.relative.get("kind") == "weekday" and _PAIR_GAP.fullmatch(text, a.end, b.start):
            out[i] = replace(b, relative={**b.relative, "after": True})
        elif (
            a.relative.get("kind") == "shift"
            and a.relative.get("unit") == "week"
            and a.granularity == "week"
            and _WEEK_THEN_DAY.fullmatch(text, a.end, b.start)
        ):
            # "next week, possibly on Thursday": the Thursday of that week
            out[i] = replace(b, relative={**b.relative, "in_week": True})
    return out


def _resolve_with(expr: TimeExpr, dct: date | None, ref: RefTime | None) -> tuple[str | None, RefTime | None]:
    if expr.relative is None:
        return expr.value, None
    return resolve_relative(expr.relative, dct, ref)


def resolve(expr: TimeExpr, dct: date | datetime | None, *, ref: date | None = None) -> str | None:
    """The value of ``expr`` for a DCT (and a reference day for "a day earlier"; default the DCT)."""
    d = _as_date(dct)
    value, _ = _resolve_with(expr, d, RefTime(day=ref) if ref is not None else None)
    return value


def resolve_all(
    exprs: Iterable[TimeExpr], dct: date | datetime | None, *, narrative: bool = False
) -> tuple[TimeExpr, ...]:
    """Resolve (or re-resolve) expressions of one document in text order against ``dct``.

    Pure and cheap: no parsing. A running reference time starts at the DCT and moves to
    each date that is resolved, so "a day earlier" counts from the date just mentioned.
    With ``narrative`` (histories, encyclopedic text, as HeidelTime's narrative mode) the
    partial dates ("November 12", "that summer") take their year from the last absolute
    date mentioned rather than from the DCT.
    """
    d = _as_date(dct)
    ref: RefTime | None = RefTime(day=d) if d is not None else None
    ordered = sorted(exprs, key=lambda x: (x.start, x.end))
    story: RefTime | None = RefTime(day=d, gran="year") if d is not None else None
    core = _core_years(ordered) if narrative else None
    topic: RefTime | None = None  # the quarter a report is about
    days: list[RefTime] = []  # the days mentioned so far
    out: list[TimeExpr] = []
    for e in ordered:
        if e.relative is None:
            out.append(e)
            continue
        anchor_day = d
        rel = e.relative
        if rel.get("kind") == "date" and rel.get("year") is None and rel.get("year_rel") is None:
            if rel.get("year_from_ref") and ref is not None:
                rel = {**rel, "year": ref.day.year}  # "August of that year"
            elif narrative and story is not None:
                rel = {**rel, "year": _story_year(rel, story)}  # a history tells its years in order
        if narrative and e.anchor in ("DCT", "REF") and story is not None:
            anchor_day = story.day  # "the following day" with no day in view counts from the story's time
        use_ref = _topic_or_ref(rel, ref, topic)
        if d is not None and use_ref is not None and _time_of_day(rel) and not narrative:
            use_ref = _tense_ref(e.tense, use_ref, days, d)
        value, new_ref = resolve_relative(rel, anchor_day, use_ref)
        if new_ref is not None and new_ref.gran == "day" and e.type == "DATE":
            days.append(new_ref)
        if new_ref is not None and _reports_on(e, rel, new_ref, d):
            topic = new_ref
        if (
            narrative
            and new_ref is not None
            and e.anchor == "ABS"
            and (core is None or core[0] <= new_ref.day.year <= core[1])
        ):
            story = new_ref
        if new_ref is not None and e.type in ("DATE", "TIME") and not e.relative.get("follow_ref"):
            ref = new_ref
        out.append(replace(e, value=value))
    return tuple(out)


def _time_of_day(rel: dict[str, Any]) -> bool:
    """A clock time on the day in view ("at 11:30 a.m.", "at noon")."""
    return rel.get("kind") == "shift" and rel.get("n") == 0 and rel.get("unit") == "day" and "time" in rel


def _tense_ref(tense: str, ref: RefTime, days: Sequence[RefTime], dct: date) -> RefTime:
    """The day a clock time falls on: the day in view, unless its tense says otherwise. "The talks
    would begin at 11:30 a.m." after a paragraph about Tuesday, in a Thursday article about Friday's
    summit, is on the last day mentioned that is still to come (else the report's day); a past
    clock time after a future day, on the last past day mentioned."""
    if tense == "future" and ref.day < dct:
        return next((r for r in reversed(days) if r.day >= dct), RefTime(day=dct))
    if tense == "past" and ref.day > dct:
        return next((r for r in reversed(days) if r.day <= dct), RefTime(day=dct))
    return ref


def _follows_quarter(rel: dict[str, Any]) -> bool:
    return rel.get("kind") == "same" and rel.get("unit") == "quarter" or bool(rel.get("follow_ref"))


def _reports_on(e: TimeExpr, rel: dict[str, Any], new_ref: RefTime, dct: date | None) -> bool:
    """``e`` names the quarter a report is about: one over by the DCT, of the last fifteen months,
    named outright ("third-quarter profit", "the fiscal first quarter"; not "after a flat second
    quarter", nor the "fourth-quarter results" to come)."""
    if new_ref.gran != "quarter" or _follows_quarter(rel) or dct is None:
        return False
    if rel.get("passing"):
        return False
    q = new_ref.day
    end = date(q.year + (q.month > 9), (q.month + 2) % 12 + 1, 1)  # the day after the quarter
    return end <= dct and (dct - q).days <= 460


def _topic_or_ref(rel: dict[str, Any], ref: RefTime | None, topic: RefTime | None) -> RefTime | None:
    """The reference for ``rel``: in a quarterly report "the quarter", "the latest quarter", "the
    year-earlier period" and "a year ago" (after a quarter) are about the quarter the report is
    about (see :func:`_reports_on`), not a quarter mentioned in passing ("after a flat second
    quarter", "a fourth-quarter charge")."""
    if topic is None or not _follows_quarter(rel):
        return ref
    if ref is not None and ref.gran == "quarter" or rel.get("follow_ref") and rel.get("period"):
        return topic  # "a year ago" after a quarter; "the year-earlier period"
    if rel.get("kind") == "same" and not rel.get("period"):
        return topic  # "the quarter", "the latest quarter", "the 1988 quarter"
    return ref  # "the 1988 period" after "the first nine months" is the year


def _core_years(exprs: Sequence[TimeExpr]) -> tuple[int, int] | None:
    """The years a history is about: the middle half of the years it names, widened by half as much
    again on each side (two years at least).

    A year far outside ("the Estates-General had last met in 1614", "documents declassified in
    2005") is a look aside and does not move the story's time."""
    years = sorted(
        int(e.relative["year"])
        for e in exprs
        if e.relative is not None and e.anchor == "ABS" and isinstance(e.relative.get("year"), int)
    )
    if len(years) < 5:
        return None
    q1, q3 = years[len(years) // 4], years[len(years) * 3 // 4]
    margin = max(2, (q3 - q1) * 3 // 2)
    return q1 - margin, q3 + margin


def _story_year(rel: dict[str, Any], story: RefTime) -> int:
    """The year of a partial date in a history: the story's, or the next one when the month is
    well before the story's month (after "December 1941", "In January" is January 1942)."""
    year = story.day.year
    if story.gran not in ("day", "month", "season"):
        return year
    month = rel.get("month") or SEASON_MONTH.get(str(rel.get("season")), 0)
    if month and int(month) < story.day.month - _NARRATIVE_BACKSTEP:
        return year + 1
    return year


def to_json(exprs: Sequence[TimeExpr]) -> list[dict[str, Any]]:
    """Plain dicts, for exports and golden files."""
    return [
        {
            "start": e.start,
            "end": e.end,
            "text": e.text,
            "type": e.type,
            "value": e.value,
            "mod": e.mod,
            "anchor": e.anchor,
            "tense": e.tense,
            "relative": e.relative,
            "granularity": e.granularity,
        }
        for e in exprs
    ]
