"""Time expressions: recognition and TIMEX3 normalization, tense-aware, relative to the article date.

::

    find_timexes(text, dct=date(2025, 12, 3))
    # "talks in the Kremlin on Tuesday"  → DATE 2025-12-02 (past: the Tuesday before)
    # "are due to meet … on Thursday"    → DATE 2025-12-04 (future cue "due to")
    # "the past three months"            → DURATION P3M

The cascade: regular-expression rules (:mod:`.timex_rules`) propose candidates; the
spaCy parse decides the tense of the clause that governs each one (auxiliary
"will", modals, "due/expected/scheduled/plan to", "ahead of", past-tense verbs) and
drops bare numbers the parser reads as counts ("2000 troops"); then each candidate's
relative description is resolved against the DCT and a running reference time (the
last date mentioned, for "a day earlier", "the following week")
(:mod:`.timex_resolve`). Expressions anchored on an event ("on the eve of a planned phone
call") take their day from a dated mention of that event in the same text (:mod:`.timex_anchor`).
In narrative mode (histories) partial dates take their year from the story's time, which moves
with the absolute dates mentioned but not to years far from the ones the text is about.

When the DCT is unknown every expression keeps its relative description and its
value is ``None``; :func:`resolve_all` fills the values in later, cheaply, without
re-parsing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from storyline.analyze.timex_resolve import SEASON_MONTH, RefTime, resolve_relative
from storyline.analyze.timex_rules import Candidate, recognize

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["TimeExpr", "find_timexes", "resolve", "resolve_all", "clause_tense"]

Tense = Literal["past", "present", "future", "none"]
Anchor = Literal["DCT", "REF", "ABS"]

FUTURE_GOVERNORS = frozenset(
    "due expect plan schedule set intend hope aim want seek prepare promise agree threaten vow likely "
    "poise go slate propose consider try wish need decide pledge arrange ready able about hold".split()
)
FUTURE_MODALS = frozenset("will shall 'll wo ca can may might could should must".split())
FUTURE_WORDS = frozenset("ahead upcoming planned scheduled next coming forthcoming".split())
PAST_WORDS = frozenset("since ago".split())
# present-tense verbs that report or describe rather than schedule ("says Tuesday", "is Tuesday")
STATIVE = frozenset(
    "be have say tell report show remain stay continue seem appear know believe think want need hold "
    "include contain mean own lead trade stand sit live mark come".split()
)
# a history steps back a season at most: a month further back than this is the next year's
_NARRATIVE_BACKSTEP = 4


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


# ---------------------------------------------------------------- tense from the parse
def _governing_verb(tok: Token, span_ids: set[int]) -> Token | None:
    cur = tok
    for _ in range(8):
        if cur.i not in span_ids and cur.pos_ in ("VERB", "AUX"):
            return cur
        if cur.head.i == cur.i:
            return cur if cur.pos_ in ("VERB", "AUX") else None
        cur = cur.head
    return None


def _was_past(tok: Token) -> bool:
    """A governor in the past: "was due", "had been scheduled", "planned" (VBD)."""
    cur = tok
    for _ in range(2):
        aux = {c.lower_ for c in cur.children if c.dep_ in ("aux", "auxpass")}
        if aux & {"had", "'d", "was", "were"} or cur.tag_ == "VBD" and cur.lower_ not in ("was", "were"):
            return True
        if cur.lower_ in ("was", "were") or cur.head.i == cur.i:
            return cur.lower_ in ("was", "were")
        cur = cur.head
    return False


def _verb_tense(verb: Token, depth: int = 0) -> Tense:
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    aux_l = [a.lower_ for a in aux]
    if any(a in ("will", "shall", "'ll", "wo") for a in aux_l):
        return "future"
    if any(a in ("should", "must") for a in aux_l):
        return "future"
    if any(a in ("may", "might", "could", "can", "ca") for a in aux_l) and verb.tag_ == "VB":
        # "Trump may call on Monday" looks ahead; "could be located Wednesday" (a participle) need not
        return "future"
    if "going" in aux_l and "to" in aux_l:
        return "future"
    if "would" in aux_l:
        return "none"
    tag = verb.tag_
    # infinitives and participles take the tense of what governs them
    if (
        tag in ("VB", "VBG")
        and verb.dep_ in ("xcomp", "ccomp", "advcl", "acl", "relcl", "conj")
        or (tag == "VB" and "to" in aux_l)
    ):
        head = verb.head
        if head.lemma_.lower() in FUTURE_GOVERNORS or head.lower_ in ("due", "set", "scheduled", "poised"):
            if _was_past(head):
                # "had been due to expire Friday", "was scheduled to meet Tuesday": the plan is past
                return "none"
            if head.lemma_.lower() != "go" or verb.dep_ == "xcomp":
                return "future"
        if "to" in aux_l and head.i != verb.i and depth < 3:
            if head.pos_ in ("VERB", "AUX"):
                t = _verb_tense(head, depth + 1)
                return "future" if t == "present" else t
            if head.pos_ == "ADJ" and head.head.pos_ in ("VERB", "AUX"):
                return (
                    "future" if head.lower_ in ("due", "likely", "set", "ready", "able", "about") else "none"
                )
        if verb.dep_ == "conj" and depth < 3:
            return _verb_tense(head, depth + 1)
    if verb.lower_ == "due" or any(c.lower_ == "due" for c in verb.children if c.dep_ == "acomp"):
        return "future"
    if tag == "VBD":
        return "past"
    if tag == "VBN":
        if any(a in ("has", "have", "had", "was", "were", "'ve", "'d") for a in aux_l):
            return "past"
        if any(a in ("is", "are", "am", "'s", "'re", "be", "been") for a in aux_l):
            return "present"
        return "past" if verb.dep_ in ("ROOT", "conj", "ccomp") else "none"
    if tag in ("VBZ", "VBP"):
        for c in verb.children:
            if c.dep_ == "acomp" and c.lower_ in ("due", "likely", "set", "scheduled", "poised", "expected"):
                return "future"
        return "present"
    if tag == "VBG":
        if any(a in ("was", "were") for a in aux_l):
            return "past"
        if any(a in ("is", "are", "am", "'s", "'re") for a in aux_l):
            return "present"
    if tag == "MD":
        return "future"
    if tag in ("VB", "VBG", "VBN") and verb.head.i != verb.i and depth < 3:
        return _verb_tense(verb.head, depth + 1)
    return "none"


def clause_tense(doc: Doc, start: int, end: int) -> Tense:
    """The tense of the clause governing the characters ``[start, end)`` of ``doc``."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return "none"
    ids = {t.i for t in span}
    # explicit cues between the clause's verb and the expression
    left = [t.lower_ for t in doc[max(span.sent.start, span.start - 4) : span.start]]
    if "ahead" in left or any(w in ("upcoming", "planned", "scheduled") for w in left):
        return "future"
    if left and left[-1] == "since":
        return "past"
    until = bool(left) and left[-1] in ("until", "till")
    verb = _governing_verb(span.root, ids)
    path: list[Token] = []
    cur = span.root
    for _ in range(8):
        if verb is not None and cur.i == verb.i:
            break
        path.append(cur)
        if cur.head.i == cur.i:
            break
        cur = cur.head
    direct = True
    for t in path:
        if t.i in ids:
            continue
        if t.lower_ in ("ahead", "upcoming", "planned", "scheduled", "forthcoming"):
            return "future"
        if any(c.lower_ in ("upcoming", "planned", "scheduled", "forthcoming") for c in t.children):
            return "future"
        if t.pos_ in ("NOUN", "PROPN", "ADJ", "NUM"):
            direct = False
    if verb is None:
        return "future" if until else "none"
    tense = _verb_tense(verb)
    if until and tense in ("present", "none"):
        return "future"
    if tense == "present" and direct and verb.tag_ in ("VBZ", "VBP") and verb.lemma_.lower() not in STATIVE:
        # the news present of a scheduled event: "Arafat and Netanyahu meet Monday", "talks resume Friday"
        return "future"
    # a date hanging off a noun ("the Jan. 14 deadline", "payable Dec. 15") need not share the verb's tense
    return tense if direct or tense == "future" else "none"


def _is_count(doc: Doc, start: int, end: int) -> bool:
    """A bare number the parser reads as a count or a measure ("2000 troops", "2010 votes")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    tok = span[-1]
    if tok.dep_ == "nummod" and tok.head.i > tok.i and tok.head.tag_ in ("NNS", "NNPS"):
        nxt = tok.head
        if nxt.i == tok.i + 1 and nxt.lower_ not in (
            "budget",
            "season",
            "election",
            "elections",
            "census",
            "campaign",
            "olympics",
            "games",
            "model",
            "level",
            "levels",
            "figures",
            "results",
            "earnings",
            "period",
        ):
            return True
    if tok.i > 0 and doc[tok.i - 1].lower_ in ("$", "no.", "number", "#", "rs", "route", "flight", "room"):
        return True
    return tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in ("%", "percent", "mw", "km", "kg", "miles")


def _modifies_nominal(doc: Doc, start: int, end: int) -> bool:
    """The adverb at ``[start, end)`` qualifies a title or an adjective, not the time of a clause."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or span.end >= len(doc):
        return False
    nxt = doc[span.end]
    return nxt.pos_ in ("NOUN", "PROPN", "ADJ")


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
        if c.check_number and doc is not None and _is_count(doc, c.start, c.end):
            continue
        tense: Tense = clause_tense(doc, c.start, c.end) if doc is not None else "none"
        if c.props.get("future_only") and tense != "future":
            continue  # "soon became a flood", "would soon be sent": narration, not a reference to the future
        if c.props.get("verbal") and doc is not None and _modifies_nominal(doc, c.start, c.end):
            continue  # "Smith, currently vice president", "an edgy and currently unforgiving public"
        exprs.append(_to_expr(text, c, tense))
    if doc is not None:
        from storyline.analyze.timex_anchor import event_anchored

        exprs.extend(event_anchored(doc, text, exprs))
    return list(resolve_all(exprs, dct, narrative=narrative))


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
        value, new_ref = resolve_relative(rel, anchor_day, ref)
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
