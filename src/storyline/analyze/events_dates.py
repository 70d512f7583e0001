"""When an event happened: the time expression that dates an event trigger, and the date it gives.

Used by :mod:`storyline.analyze.events`. Three steps:

1. **attachment** (:func:`attach_dates`): the time expression syntactically tied to the trigger in
   the dependency parse: its head chain reaches the trigger ("met *on Tuesday*", "met Tuesday",
   "*the February 2022* invasion", "*Monday's* call"), a noun phrase holding the trigger ("five
   hours of talks on Tuesday"), a clause hanging off the date ("on May 18, *when* Russia launched
   …"), a relative clause of the trigger ("talks *held* on Tuesday"), else the trigger's own clause
   verb (a light verb: "*held* talks on Tuesday"; a verb of occurring: "the attack *took place*
   Monday"), else a verb the trigger is coordinated with ("arrived Monday and *met* …"). A path
   through "before", "after", "since", "until" or "by" does not date the event (it bounds it).
   "On the eve of a planned call" dates the call the day after the eve; an event in a measured
   "before"/"after" phrase takes its main clause's date, shifted ("said on Tuesday, hours before
   negotiators were due to meet": Tuesday; "on Sunday, a day before the talks": Monday; a weekday
   read with the main clause's tense). An event of a night running into the next day ("overnight",
   "on the night of Dec. 8-9") is dated by the morning it ends in, as its reports date it; an evening
   ("Monday night", "last night") is its own day.
2. **tense** (:func:`event_date`): a weekday resolved against the report date goes to the previous
   matching day for an event reported as past and to the next one for a planned or future event;
   a past event whose absolute date lies after the report is not dated by it.
3. **fallback**: without an expression the event carries the report date with ``date_source=
   "report"`` and ``precision="report"``; :mod:`storyline.analyze.events_context` then tries the
   article's other mentions of the event (``"event"``) and the narrative's reference time
   (``"narrative"``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

from .timex_resolve import resolve_relative

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from .timex import TimeExpr

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "Attached",
    "DateSource",
    "EventDate",
    "attach_dates",
    "calendar_value",
    "clause_verb",
    "datable",
    "directed_value",
    "event_date",
    "shift_value",
    "value_precision",
    "value_start",
]

DateSource = Literal["timex", "report", "anchor", "event", "narrative"]

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")  # a week, or its weekend ("this weekend": 2025-W48-WE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")

# a date reached through one of these bounds the event, it does not date it
BOUNDING_PREPS = frozenset({"before", "after", "since", "until", "till", "by", "following", "prior", "ahead"})
# verbs whose subject is the event they date: "the attack took place on Monday"
OCCUR_VERBS = frozenset(
    {"happen", "occur", "take", "begin", "start", "end", "resume", "continue", "come", "go", "open", "close",
     "conclude", "collapse", "fail", "break", "finish", "last", "hold", "schedule", "set", "plan", "expect",
     "postpone", "delay", "cancel", "move", "reschedule", "be"}
)  # fmt: skip
MAX_STEPS = 8


def value_precision(value: str | None) -> str | None:
    """``day`` / ``week`` / ``month`` / ``year`` for a calendar value, ``None`` for anything else."""
    if not value:
        return None
    if _DAY.match(value):
        return "day"
    if _WEEK.match(value):
        return "week"
    if _MONTH.match(value):
        return "month"
    if _YEAR.match(value):
        return "year"
    return None


def calendar_value(value: str | None) -> str | None:
    """A calendar value cut to the day ("2025-05-19T09:11" → "2025-05-19"), or ``None``."""
    p = value_precision(value)
    if p is None or value is None:
        return None
    return value[:10] if p == "day" else value


def value_start(value: str) -> date | None:
    """The first day of a calendar value (``None`` when it names no valid day)."""
    m = _DAY.match(value)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    m = _WEEK.match(value)
    if m:
        try:
            return date.fromisocalendar(int(m[1]), int(m[2]), 6 if m[3] else 1)
        except ValueError:
            return None
    m = _MONTH.match(value)
    if m:
        return date(int(m[1]), int(m[2]), 1) if 1 <= int(m[2]) <= 12 else None
    m = _YEAR.match(value)
    return date(int(m[1]), 1, 1) if m else None


def datable(expr: TimeExpr) -> bool:
    """A DATE/TIME expression with a calendar value, or one that will resolve to one."""
    if expr.type not in ("DATE", "TIME"):
        return False
    if expr.value is not None:
        return value_precision(expr.value) is not None
    # unresolved (no article date): a calendar description that will resolve
    return expr.relative is not None and expr.relative.get("kind") not in (
        "present",
        "past_ref",
        "future_ref",
    )


# ---------------------------------------------------------------- attachment
@dataclass(frozen=True, kw_only=True, slots=True)
class Attached:
    """The expression dating a trigger, how it was attached, and the cost (lower is closer)."""

    expr: TimeExpr
    how: str  # head | phrase | when | relcl | clause | conj | eve | purpose | measured
    cost: int
    offset_days: int = 0  # the event is this many days after the expression ("on the eve of X": 1)
    # the tense of the clause the expression dates when it is not the event's own ("said on Tuesday,
    # hours before negotiators were due to meet": a weekday goes the way of "said", not of the plan)
    clause_tense: str | None = None


def clause_verb(tok: Token) -> Token | None:
    """The verb (or auxiliary) heading the clause ``tok`` is in: ``tok`` or its nearest such head."""
    cur = tok
    for _ in range(10):
        if cur.pos_ in ("VERB", "AUX"):
            return cur
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def _phrase_with_of(tok: Token) -> set[int]:
    out: set[int] = set()
    stack = [tok]
    while stack:
        t = stack.pop()
        out.add(t.i)
        for c in t.children:
            if c.dep_ in ("relcl", "acl", "advcl", "ccomp", "punct") or (
                c.dep_ == "prep" and c.lower_ != "of"
            ):
                continue
            stack.append(c)
    return out


def _dates_noun_subject(verb: Token, noun: Token) -> bool:
    """``noun`` is the subject of a verb of occurring or scheduling: "the talks took place Monday"."""
    if noun.dep_ not in ("nsubj", "nsubjpass") or noun.head.i != verb.i:
        return False
    lemma = verb.lemma_.lower()
    if lemma == "be":
        # "the vote was on Sunday", "the meeting is set for Friday" (acomp)
        return True
    return lemma in OCCUR_VERBS


def attach_dates(
    doc: Doc,
    triggers: Mapping[int, Token],
    timexes: Sequence[TimeExpr],
    *,
    light: Mapping[int, Token | None],
) -> dict[int, Attached]:
    """Trigger token index → the time expression dating it (see the module doc).

    ``light`` maps a noun trigger to its light verb ("held" for "held talks"), when it has one."""
    found: dict[int, list[Attached]] = {}

    def add(i: int, expr: TimeExpr, how: str, cost: int, offset: int = 0) -> None:
        found.setdefault(i, []).append(Attached(expr=expr, how=how, cost=cost, offset_days=offset))

    clause_of = {i: clause_verb(t) for i, t in triggers.items()}
    for expr, span in _datable_spans(doc, timexes):
        inside = {t.i for t in span}
        # the date is told relative to the event under it ("on the eve of a planned call"): it does
        # not date that event as its clause's date would
        below = {t.i for t in span.root.subtree} - inside
        if span.root.lemma_.lower() == "eve":
            for c in span.root.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    held = [i for i in triggers if i in {t.i for t in c.subtree}]
                    if held:
                        add(min(held), expr, "eve", 0, 1)
        # a "when" clause hanging off the date: "on May 18, when Russia launched …"
        for t in span:
            for c in t.children:
                if c.dep_ in ("relcl", "advcl", "acl"):
                    for i, verb in clause_of.items():
                        if verb is not None and verb.i == c.i:
                            add(i, expr, "when", 0)
        speech = _said_on(span, triggers)
        if speech is not None:
            # "the ministry said on Sunday it would suspend …": the parser hangs the day on the
            # reported clause, but standing between the speech verb and that clause's subject it
            # tells when the words were said
            add(speech, expr, "head", 1)
            continue
        cur = span.root
        steps = 0
        while cur.head.i != cur.i and steps < MAX_STEPS:
            cur = cur.head
            steps += 1
            if cur.i in inside:
                continue
            if cur.pos_ == "ADP" and cur.lower_ in BOUNDING_PREPS:
                break  # "after Tuesday's talks", "since 2014", "by the end of the year"
            if cur.lower_ in BOUNDING_PREPS and cur.dep_ in ("advmod", "prep", "mark"):
                break
            if cur.i in triggers:
                add(cur.i, expr, "head", steps)
                if cur.pos_ not in ("VERB", "AUX"):
                    break
            if cur.pos_ in ("NOUN", "PROPN") and cur.i not in triggers:
                # "five hours of talks … on Tuesday": a noun phrase holding a noun trigger
                phrase = _phrase_with_of(cur)
                held = [i for i in triggers if i in phrase and i != cur.i]
                if held:
                    near = min(held, key=lambda i: abs(i - span.root.i))
                    add(near, expr, "phrase", steps + 1)
                    break
            if cur.pos_ in ("VERB", "AUX"):
                for i, verb in clause_of.items():
                    if verb is None or verb.i != cur.i or i == cur.i or i in below:
                        continue
                    tok = triggers[i]
                    lv = light.get(i)
                    if (lv is not None and lv.i == cur.i) or _dates_noun_subject(cur, tok):
                        add(i, expr, "clause", 20 + abs(i - span.root.i))
                    elif tok.pos_ not in ("VERB", "AUX") and not _subordinate_between(tok, cur):
                        # any other noun in the clause: a weak reading, after all the others (not one
                        # inside a subordinate clause the parser failed to head with a verb: "push the
                        # delivery into 2026, as the planemaker struggles with a strike")
                        add(i, expr, "clause", 60 + abs(i - span.root.i))
                if cur.dep_ in ("acl", "relcl") and cur.head.i in triggers and cur.i not in triggers:
                    # "talks held on Tuesday", "the attack that took place on Monday"
                    add(cur.head.i, expr, "relcl", steps + 1)
                elif cur.dep_ in ("acl", "relcl") and cur.i not in triggers and cur.head.pos_ == "NOUN":
                    # "the last round of talks, held in Doha on September 28": the noun phrase's trigger
                    held = [i for i in triggers if i in _phrase_with_of(cur.head) and i != cur.head.i]
                    if held:
                        add(min(held), expr, "relcl", steps + 2)
                # "arrived Monday and met …": a coordinated verb shares the date
                for c in cur.children:
                    if c.dep_ == "conj" and c.i in triggers and c.pos_ == "VERB":
                        add(c.i, expr, "conj", 40 + abs(c.i - span.root.i))
                break
    # "is due to travel to Washington on Monday to meet Trump": the meeting is what the trip is for,
    # on the day the trip is dated
    for i, tok in triggers.items():
        if tok.lemma_.lower() not in _TRIP_VERBS or i not in found:
            continue
        best = min(found[i], key=lambda a: (a.cost, a.expr.start))
        for c in tok.children:
            if not (
                c.dep_ in ("advcl", "xcomp")
                and c.pos_ == "VERB"
                and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
            ):
                continue
            # the purpose itself ("to meet Trump") or its object ("to attend talks with Xi")
            purposes = [c.i] + [o.i for o in c.children if o.dep_ in ("dobj", "obj")]
            for p in purposes:
                if p in triggers and p not in found:
                    add(p, best.expr, "purpose", best.cost + 1, best.offset_days)
    # "Kyiv was hit by … attacks overnight, with Russia firing 460 drones": an absolute clause tells what
    # happened when its main clause did
    for i, tok in triggers.items():
        if i in found or not _absolute_clause(tok):
            continue
        main = tok.head.head
        dated = [
            a
            for j, cands in found.items()
            if j != i and (j == main.i or clause_of.get(j) == main)
            for a in cands
        ]
        if dated:
            best = min(dated, key=lambda a: (a.cost, a.expr.start))
            add(i, best.expr, "conj", best.cost + 40, best.offset_days)
    # "officials said on Tuesday, hours before negotiators were due to meet": an event placed a
    # measured time before or after its main clause takes that clause's date, shifted by whole days
    verb_dates: dict[int, list[Attached]] | None = None
    for i, tok in triggers.items():
        if any(a.how != "clause" or a.cost < 60 for a in found.get(i, ())):
            continue  # dated by an expression of its own (a weak clause reading is replaced)
        measured = _measured_from(tok)
        if measured is None:
            continue
        found.pop(i, None)
        main, offset = measured
        if verb_dates is None:
            verb_dates = _verb_dates(doc, timexes)
        dated = []
        for _ in range(3):
            dated = list(verb_dates.get(main.i, ())) + [
                a for j, cands in found.items() if j == main.i or clause_of.get(j) == main for a in cands
            ]
            if dated or main.dep_ not in ("ccomp", "xcomp", "conj") or main.head.i == main.i:
                break
            # "the Kremlin said Wednesday that the plan needs work, a day after Putin met Witkoff": the
            # reported clause has no date of its own; the report's is the one measured from
            main = main.head
        if dated:
            best = min(dated, key=lambda a: (a.cost, a.expr.start))
            found.setdefault(i, []).append(
                Attached(
                    expr=best.expr,
                    how="measured",
                    cost=best.cost + 40,
                    offset_days=best.offset_days + offset,
                    clause_tense=best.expr.tense,  # the tense of the clause the expression dates
                )
            )
    out: dict[int, Attached] = {}
    for i, cands in found.items():
        best = min(cands, key=lambda a: (a.cost, a.expr.start))
        nth = _day_entered(triggers[i])
        if nth and best.how in ("head", "clause"):
            # "the strike entered its second day on Thursday": it began on Wednesday
            best = replace(best, offset_days=best.offset_days - (nth - 1))
        if _through_the_night(doc.text, best.expr):
            # "launched 412 drones overnight", "on the night of Dec. 8-9": an event of the night is
            # dated by the morning it ends in, as the reports of it are
            best = replace(best, offset_days=best.offset_days + 1)
        out[i] = best
    return out


_SAME_DAY_UNITS = frozenset({"hour", "minute"})
_DAY_UNITS = frozenset({"day"})
_SMALL_NUMBERS = {"a": 1, "one": 1, "the": 1, "two": 2, "three": 3, "2": 2, "3": 3}


def _measured_from(tok: Token) -> tuple[Token, int] | None:
    """The main clause's verb and the days to add to its date when ``tok`` sits in a "before" or
    "after" clause measured from it: "…, hours before negotiators were due to meet" (0), "…, a day
    before meeting Merz" (+1), "…, two days after the talks" (−2), "…, shortly after Putin spoke"
    (0). ``None`` otherwise (an unmeasured "before the talks" bounds the event, it does not date it)."""
    cur = tok
    for _ in range(6):
        head = cur.head
        if head.i == cur.i:
            return None
        if cur.dep_ == "advcl" and cur.pos_ in ("VERB", "AUX"):
            # "hours before U.S. negotiators were due to meet": the measure hangs off the clause
            marks = [c for c in cur.children if c.dep_ == "mark" and c.lower_ in ("before", "after")]
            if marks:
                days = _measure_days([c for c in cur.children if c.dep_ in ("npadvmod", "advmod")])
                if days is None:
                    return None
                return head, days if marks[0].lower_ == "before" else -days
        if cur.dep_ in ("pobj", "pcomp") and head.lower_ in ("before", "after") and head.dep_ == "prep":
            # "a day before the talks": the measure heads the preposition and hangs off the main verb;
            # "two days after the talks": the measure hangs off the preposition, which hangs off it
            inner = [c for c in head.children if c.dep_ in ("npadvmod", "advmod")]
            measure = inner[0] if inner else head.head
            main = head.head if inner else measure.head
            days = _measure_days([measure])
            if days is None or (not inner and measure.dep_ != "npadvmod") or main.pos_ not in ("VERB", "AUX"):
                return None
            return main, days if head.lower_ == "before" else -days
        cur = head
    return None


def _measure_days(mods: Sequence[Token]) -> int | None:
    """Whole days in "hours" / "minutes" / "shortly" (0), "a day" / "the day" (1), "two days" (2)."""
    for m in mods:
        lemma = m.lemma_.lower()
        if lemma in _SAME_DAY_UNITS or m.lower_ in ("shortly", "soon", "just", "moments"):
            return 0
        if lemma in _DAY_UNITS:
            firsts = [c.lower_ for c in m.children if c.dep_ in ("det", "nummod")]
            n = _SMALL_NUMBERS.get(firsts[0]) if firsts else None
            return n
    return None


def _datable_spans(doc: Doc, timexes: Sequence[TimeExpr]) -> Iterator[tuple[TimeExpr, Span]]:
    """The expressions that can date an event (:func:`datable`), each with its span of ``doc``."""
    for expr in timexes:
        if not datable(expr):
            continue
        span = doc.char_span(expr.start, expr.end, alignment_mode="expand")
        if span is not None and len(span) > 0:
            yield expr, span


def _verb_dates(doc: Doc, timexes: Sequence[TimeExpr]) -> dict[int, list[Attached]]:
    """Verb index → the day-precision expressions hanging on it ("said *on Tuesday*", "struck Kyiv
    *Monday*"), for :func:`_measured_from`'s main clauses that are not event triggers."""
    out: dict[int, list[Attached]] = {}
    for expr, span in _datable_spans(doc, timexes):
        cur = span.root
        for steps in range(1, 3):
            cur = cur.head
            if cur.lower_ in BOUNDING_PREPS:
                break
            if cur.pos_ in ("VERB", "AUX"):
                out.setdefault(cur.i, []).append(Attached(expr=expr, how="head", cost=steps))
                break
    return out


_NIGHT_RANGE = re.compile(r"\s*(?:-|–|to|into)\s*\d")


def _through_the_night(text: str, expr: TimeExpr) -> bool:
    """Whether ``expr`` is a night running into the next day: "overnight" (also "overnight into
    Sunday"), "the night of Dec. 8-9" / "of 17 to 18 May"; not "last night", "Monday night" (an
    evening)."""
    if not (expr.value or "").endswith("TNI"):
        return False
    words = text[expr.start : expr.end].lower()
    return "overnight" in words or ("night of" in words and _NIGHT_RANGE.match(text, expr.end) is not None)


def _absolute_clause(tok: Token) -> bool:
    """ "with Russia firing 460 drones": a participle with its own subject under "with"."""
    return (
        tok.tag_ == "VBG"
        and tok.dep_ == "pcomp"
        and tok.head.lower_ == "with"
        and tok.head.head.pos_ in ("VERB", "AUX")
        and any(c.dep_ == "nsubj" for c in tok.children)
    )


_TRIP_VERBS = frozenset({"travel", "fly", "go", "come", "arrive", "head", "visit", "return", "journey"})

_ORDINAL_DAYS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7,
}  # fmt: skip


def _day_entered(tok: Token) -> int:
    """N when the event ``tok`` is the subject of "entered its Nth day" (0 otherwise)."""
    verb = tok.head
    if tok.dep_ != "nsubj" or verb.lemma_.lower() != "enter":
        return 0
    for obj in verb.children:
        if obj.dep_ == "dobj" and obj.lemma_.lower() == "day":
            for mod in obj.children:
                if mod.dep_ in ("amod", "nummod") and mod.lower_ in _ORDINAL_DAYS:
                    return _ORDINAL_DAYS[mod.lower_]
    return 0


def _said_on(span: Span, triggers: Mapping[int, Token]) -> int | None:
    """The speech verb a date between it and its reported clause belongs to ("said on Sunday it
    would …", "said Monday he could …"), when the parser attached the date to the reported clause."""
    top = span.root.head if span.root.dep_ == "pobj" and span.root.head.pos_ == "ADP" else span.root
    verb = top.head
    if verb.dep_ != "ccomp" or verb.i <= span.end or verb.head.i not in triggers:
        return None
    said = verb.head
    if not said.i < span.start:
        return None
    between = said.doc[said.i + 1 : span.start]
    if any(not (t.dep_ in ("advmod", "npadvmod", "punct") or t.i in range(top.i, span.end)) for t in between):
        return None
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subj or subj[0].i < span.end or any(c.dep_ == "mark" and c.i < span.start for c in verb.children):
        return None
    return said.i


def _subordinate_between(tok: Token, verb: Token) -> bool:
    """Whether a word between ``tok`` and its clause's ``verb`` opens a subordinate clause ("as") or
    a bounding phrase ("met on Monday *before* the talks": the talks are not dated by Monday)."""
    cur = tok
    while cur.head.i != cur.i and cur.head.i != verb.i:
        cur = cur.head
        if any(c.dep_ == "mark" for c in cur.children):
            return True
        if cur.pos_ == "ADP" and cur.lower_ in BOUNDING_PREPS:
            return True
    return False


# ---------------------------------------------------------------- the date
@dataclass(frozen=True, kw_only=True, slots=True)
class EventDate:
    """The date an event gets: value, where it came from, its precision and the expression used."""

    date_value: str | None
    date_source: DateSource
    precision: str
    timex: tuple[int, int] | None = None
    relative: dict[str, Any] | None = None
    planned: bool = False


def _redirect(expr: TimeExpr, value: str | None, direction: int, published: date) -> str | None:
    """A weekday re-resolved towards the past (-1) or the future (+1) of the report date."""
    rel = expr.relative
    if value is None or rel is None or rel.get("kind") != "weekday" or rel.get("anchor", "DCT") != "DCT":
        return value
    if rel.get("week"):
        return value  # "last Tuesday", "next Tuesday" say which one themselves
    start = value_start(value)
    if start is None or (direction < 0 and start <= published) or (direction > 0 and start >= published):
        return value
    new, _ = resolve_relative({**rel, "direction": direction}, published)
    return calendar_value(new) or value


def shift_value(value: str | None, days: int) -> str | None:
    """A day value moved by ``days`` (other values unchanged: a month's eve is not a day)."""
    if value is None or value_precision(value) != "day":
        return value
    start = value_start(value)
    return (start + timedelta(days=days)).isoformat() if start is not None else value


def directed_value(expr: TimeExpr, *, tense: str, planned: bool, published: date | None) -> str | None:
    """The calendar value of ``expr`` for an event of this tense: a weekday before the report date for
    a past event, after it for a planned or future one."""
    value = calendar_value(expr.value)
    if published is None:
        return value
    if tense == "past" and not planned:
        return _redirect(expr, value, -1, published)
    if planned or tense == "future":
        return _redirect(expr, value, 1, published)
    return value


def event_date(att: Attached | None, *, tense: str, planned: bool, published: date | None) -> EventDate:
    """The event's date from its attached expression (or the report date), given its tense and plan."""
    if att is not None:
        expr = att.expr
        if expr.tense == "future" and not planned and tense != "past":
            planned = True
        relative = expr.relative
        if att.clause_tense is not None:
            # the expression dates another clause: read a weekday with that clause's tense
            value = directed_value(
                expr, tense=att.clause_tense, planned=att.clause_tense == "future", published=published
            )
            if relative is not None:
                relative = {**relative, "clause_tense": att.clause_tense}
        else:
            value = directed_value(expr, tense=tense, planned=planned, published=published)
        if att.offset_days:
            value = shift_value(value, att.offset_days)
            if relative is not None:
                relative = {**relative, "offset_days": int(relative.get("offset_days", 0)) + att.offset_days}
        start = value_start(value) if value else None
        after_report = start is not None and published is not None and start > published
        if not (after_report and tense == "past" and not planned):
            precision = value_precision(value) or "report"
            if value is None:
                precision = (
                    str(expr.granularity) if expr.granularity in ("day", "week", "month", "year") else "day"
                )
            if after_report and not planned and tense != "past":
                planned = True
            return EventDate(
                date_value=value,
                date_source="anchor" if expr.anchor == "REF" else "timex",
                precision=precision,
                timex=(expr.start, expr.end),
                relative=relative,
                planned=planned,
            )
        # "has announced a call … on May 19": a reported past event is not in the future
    return EventDate(
        date_value=published.isoformat() if published is not None else None,
        date_source="report",
        precision="report",
        planned=planned,
    )
