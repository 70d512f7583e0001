"""Dated event mentions in one article: what happened (trigger + participants), where and when.

:func:`find_events` is a pure function of the article's parse, its time expressions and its actor
mentions. It runs a small cascade over the spaCy dependency parse:

1. **triggers**: verbs and nouns whose lemma is in the lexicon ``data/event_types.yaml`` (lemma →
   type: meeting, call, visit, attack, statement, sanction, agreement, election, withdrawal, …), with
   the lexicon's conditions for ambiguous words ("launched drones" is an attack, "calls for" is not a
   call); a noun that is the object of a *light verb* ("held talks", "announced a call") takes that
   verb's clause;
2. **participants**: the actor mentions (demonyms only before a group acting for their country:
   "Russian forces", "the Ukrainian delegation") in the subject, object, agent and
   ``with``/``between``/``against`` phrases of the trigger (coordination and apposition expanded;
   a country modifying a person, "US envoys Steve Witkoff", dropped when the person is there), and a
   noun trigger's name modifiers ("the Trump-Putin call");
3. **place**: a GPE/LOC mention in an ``in``/``at`` phrase of the trigger (or of its light verb);
4. **date** (:mod:`storyline.analyze.events_dates`): the time expression syntactically tied to the
   trigger (its head chain reaches the trigger or a noun phrase holding it, "the February 2022
   invasion", "met Monday", a "when" clause off the date, a relative clause "talks held on Tuesday",
   the trigger's light verb or verb of occurring, a coordinated verb; not through "after", "since",
   "by"…), read with the event's tense (a weekday goes back for a past event, ahead for a planned
   one; a past event cannot take a date after the report) (``date_source="timex"``, or ``"anchor"``
   when the expression counts from another date: "a day earlier"); else the date of another
   mention of the same event in the article ("the upcoming call" after "a call … on May 19":
   ``"event"``, :func:`share_dates`); else, for a past event, the last day the narrative named in
   its sentence or the one before (``"narrative"``, :func:`narrative_dates`). Without any, the
   event is dated by the report (``date_source="report"``, ``precision="report"``, ``date_value``
   = the article date when known): the timeline places it near the report date, flagged;
5. **tense and modality**: ``planned`` for events announced for later ("are due to meet … on
   Thursday", "ahead of a phone call Monday", "the upcoming call", a future date), ``negated``
   ("did not meet"), ``possible`` (modals), else ``asserted``.

The event date stays apart from the report date (the article's): the timeline keeps both. When the
article date is unknown the date keeps the expression's relative form (``relative``) and
:func:`resolve_events` fills the values in once the date is known, from the re-resolved time
expressions, without re-parsing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

import yaml

from ..cities import city
from ..meta import dateline_places, dateline_spans
from .events_context import REPORTING, narrative_dates, share_dates
from .events_dates import (
    Attached,
    DateSource,
    attach_dates,
    clause_verb,
    directed_value,
    event_date,
    shift_value,
    value_precision,
    value_start,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from .entities import Mention
    from .timex import TimeExpr

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "EventMention",
    "EventLexicon",
    "find_events",
    "date_spans",
    "load_event_lexicon",
    "narrative_dates",
    "resolve_events",
    "share_dates",
    "value_precision",
]

Modality = Literal["asserted", "planned", "negated", "possible"]
# events that did not or may not happen ("never intended to attack", "could meet"): they date nothing
# and are no timeline entries
UNREALIZED: frozenset[str] = frozenset({"negated", "possible"})

PARTICIPANT_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC"})
PLACE_LABELS = frozenset({"GPE", "LOC"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "agent"})
OBJECT_DEPS = frozenset({"dobj", "obj", "iobj", "attr", "dative"})
PARTICIPANT_PREPS = frozenset({"with", "between", "against", "by", "among"})
VISIT_TYPES = frozenset({"visit"})
TALK_TYPES = frozenset({"call"})
PLACE_PREPS = frozenset({"in", "at", "near", "inside", "outside"})
PRUNE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "punct", "prep", "parataxis"})
KEEP_PREPS = frozenset({"of", "from"})  # "representatives from the US" stay in the phrase
POSSIBLE_MODALS = frozenset({"may", "might", "could", "would", "can", "ca"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
ANNOUNCING = frozenset({"announce", "propose", "seek", "plan", "schedule", "arrange", "unveil"})
TELLING = frozenset({"announce", "unveil", "reveal", "disclose", "confirm"})  # they date the telling
NEGATIONS = frozenset({"not", "n't", "never", "no"})
# "refused to negotiate": the governed event does not take place
REFUSING = frozenset({"refuse", "decline", "reject", "rule", "oppose", "resist", "avoid", "fail"})
OBJECT_CONTROL = frozenset("urge ask press push pressure encourage persuade tell invite allow force".split())
URGING = frozenset("urge ask press push pressure encourage implore beg appeal demand request".split())
# "ready for a ceasefire", "called for talks": an event wished for or offered, not one that happened
WISHING = frozenset(
    "ready open willing prepared eager keen call push press hope ask appeal wait work argue".split()
)
STOP_LEMMAS = frozenset(
    "be have do say the a an and or of to in on at for with by from as that this it its their his her "
    "they he she we who which what when while will would could should may might can".split()
)


@dataclass(frozen=True, kw_only=True, slots=True)
class EventMention:
    """One event mention: the trigger ``text[start:end]``, who, where, when, and the evidence sentence.

    ``participants`` are ``(start, end, role)`` spans of actor mentions (role ``agent``,
    ``patient``, ``with`` or ``modifier``); ``place`` is a GPE/LOC mention span. ``date_value`` is an
    ISO value (``2025-12-02``, ``2025-W49``, ``2025-05``, ``2025``) with its ``precision`` (``day``,
    ``week``, ``month``, ``year``, or ``report`` when only the article's date dates the event);
    ``timex`` is the span of the time expression it came from and ``relative`` that expression's
    relative form (kept so the date resolves once the article date is known). ``planned`` marks an
    event announced for later; ``modality`` is ``asserted``, ``planned``, ``negated`` or ``possible``.
    ``words`` are the content lemmas of the event's clause, for comparing wordings across articles.
    """

    start: int
    end: int
    text: str
    lemma: str
    type: str
    participants: tuple[tuple[int, int, str], ...] = ()
    place: tuple[int, int] | None = None
    date_value: str | None = None
    date_source: DateSource = "report"
    precision: str = "report"
    timex: tuple[int, int] | None = None
    relative: dict[str, Any] | None = None
    tense: str = "none"
    modality: Modality = "asserted"
    planned: bool = False
    sentence: tuple[int, int] = (0, 0)
    words: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EventMention:
        """The inverse of ``dataclasses.asdict`` (lists back to tuples)."""
        d = dict(data)
        d["participants"] = tuple(tuple(p) for p in d.get("participants", ()))
        for key in ("place", "timex", "sentence"):
            if d.get(key) is not None:
                d[key] = tuple(d[key])
        d["words"] = tuple(d.get("words", ()))
        return cls(**d)


@dataclass(frozen=True, kw_only=True, slots=True)
class EventLexicon:
    verbs: dict[str, str]
    nouns: dict[str, str]
    conditions: dict[str, dict[str, Any]]
    light_verbs: frozenset[str]
    planned_cues: frozenset[str]
    dated_only: frozenset[str] = frozenset()
    planned_modifiers: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def load_event_lexicon() -> EventLexicon:
    """The trigger lexicon ``data/event_types.yaml`` (read once per process)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = resources.files("storyline.data").joinpath("event_types.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=loader) or {}  # noqa: S506 - a safe loader
    return EventLexicon(
        verbs={str(k).lower(): str(v) for k, v in (data.get("verbs") or {}).items()},
        nouns={str(k).lower(): str(v) for k, v in (data.get("nouns") or {}).items()},
        conditions={str(k): dict(v or {}) for k, v in (data.get("conditions") or {}).items()},
        light_verbs=frozenset(str(w) for w in data.get("light_verbs") or ()),
        planned_cues=frozenset(str(w) for w in data.get("planned_cues") or ()),
        dated_only=frozenset(str(w) for w in data.get("dated_only") or ()),
        planned_modifiers=frozenset(str(w) for w in data.get("planned_modifiers") or ()),
    )


# ---------------------------------------------------------------- helpers over the parse
class _Ctx:
    def __init__(self, text: str, doc: Doc, mentions: Sequence[Mention], lex: EventLexicon) -> None:
        self.text = text
        self.doc = doc
        self.lex = lex
        self.tok_mention: dict[int, Mention] = {}
        self.datelines = datelines = dateline_spans(text)
        # the place of the dateline opening the article ("ROTTERDAM, Netherlands (AP) —"), as a mention
        places = dateline_places(text)[:1]
        self.dateline_place: tuple[int, int] | None = next(
            (
                (m.start, m.end)
                for m in mentions
                if places and places[0][0] <= m.start < places[0][1] and m.label in ("GPE", "LOC")
            ),
            None,
        )
        for m in mentions:
            if m.kind == "demonym":
                if not _group_of(doc, m):
                    continue  # "the Russian-born writer": no side acts; "Russian forces" act for theirs
            elif m.label not in PARTICIPANT_LABELS:
                continue
            if any(s <= m.start < e for s, e in datelines):
                continue  # "PORT SUDAN, Sudan (AP) —": where the report was filed, and by whom
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                self.tok_mention.setdefault(t.i, m)

    def dated_by(self, timexes: Sequence[TimeExpr]) -> list[TimeExpr]:
        """The time expressions that can date an event: not a wire dateline's ("KYIV, Nov 22 (Wire) -"
        is when the report was filed, even when the parse joins it to the lead's sentence)."""
        return [t for t in timexes if not any(s <= t.start < e for s, e in self.datelines)]

    def mentions_in(self, tokens: Iterable[Token]) -> list[Mention]:
        seen: dict[tuple[int, int], Mention] = {}
        for t in tokens:
            m = self.tok_mention.get(t.i)
            if m is not None:
                seen.setdefault((m.start, m.end), m)
        return [seen[k] for k in sorted(seen)]


# the people a demonym before them acts for: "Russian forces attacked", "Ukrainian and U.S. delegations met"
_GROUP_NOUNS = frozenset(
    "force troop army military navy delegation negotiator official diplomat envoy government authority "
    "leader minister drone missile jet warplane soldier unit side team".split()
)


def _group_of(doc: Doc, m: Mention) -> bool:
    """Whether demonym mention ``m`` modifies a group acting for its country ("Russian forces", "the
    Ukrainian delegation", "Ukrainian and U.S. delegations")."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head  # "Ukrainian and U.S. delegations": the first conjunct modifies the noun
    head = tok.head
    return tok.dep_ in ("amod", "compound", "nmod") and head.i > tok.i and head.lemma_.lower() in _GROUP_NOUNS


def _phrase(tok: Token) -> list[Token]:
    """The noun phrase of ``tok``: its subtree without clauses and prepositions (but "of"/"from")."""
    out: list[Token] = []
    stack = [tok]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if c.dep_ in PRUNE_DEPS and not (c.dep_ == "prep" and c.lower_ in KEEP_PREPS):
                continue
            stack.append(c)
    return out


def _is_modifier(ctx: _Ctx, m: Mention) -> bool:
    """A place or institution modifying a common noun: "US envoys", "Ukraine's lead negotiator"."""
    if m.label == "PERSON":
        return False
    span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    nxt = span.end
    if nxt < len(ctx.doc) and ctx.doc[nxt].tag_ == "POS":
        nxt += 1
    while nxt < len(ctx.doc) and ctx.doc[nxt].pos_ == "ADJ":
        nxt += 1
    return (
        nxt < len(ctx.doc)
        and ctx.doc[nxt].pos_ in ("NOUN", "PROPN")
        and ctx.doc[nxt].i not in ctx.tok_mention
    )


def _city_named(m: Mention) -> bool:
    """A capital or large city the model or the gazetteer labels as its country ("the Abu Dhabi talks":
    Abu Dhabi stands for the UAE as an actor, but modifying a meeting it is the venue); small towns
    sharing a country's name ("Jordan", "Lebanon") are not."""
    found = city(m.text) if m.label == "GPE" else None
    return found is not None and found.population >= 100_000


def _is_place(m: Mention) -> bool:
    """A country, city or region, or a seat of power named as a place ("in the Kremlin")."""
    return m.label in PLACE_LABELS or (m.label in ("ORG", "FAC") and m.kind == "institution")


def _governing_subjects(verb: Token) -> list[Token]:
    """The subject a verb without its own takes from the verb governing it: "the envoys are due to
    meet …", "travels to Washington to meet …" (a purpose), "Trump urged Putin to meet Zelensky" (the
    object of a verb of control meets); none when ``verb`` is not an infinitive or a conjunct."""
    purpose = verb.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in verb.children)
    if not (verb.dep_ in ("xcomp", "conj") or purpose):
        return []
    node = verb.head
    for _ in range(3):
        subj = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        if _lemma(node) in OBJECT_CONTROL:
            subj = [c for c in node.children if c.dep_ in ("dobj", "obj")] or subj
        if subj:
            return subj
        if node.head.i == node.i:
            break
        node = node.head
    return []


def _participants_of(ctx: _Ctx, heads: Iterable[tuple[Token, str]]) -> list[tuple[Mention, str]]:
    out: list[tuple[Mention, str]] = []
    for head, role in heads:
        found = ctx.mentions_in(_phrase(head))
        if len(found) > 1 and any(m.label == "PERSON" for m in found):
            found = [m for m in found if not _is_modifier(ctx, m)]
        out.extend((m, role) for m in found)
    return out


def _prep_objects(tok: Token, preps: frozenset[str]) -> list[tuple[Token, str]]:
    out: list[tuple[Token, str]] = []
    for c in tok.children:
        if c.dep_ in ("prep", "agent") and c.lower_ in preps:
            out.extend((p, c.lower_) for p in c.children if p.dep_ in ("pobj", "pcomp"))
    return out


def _between_window(ctx: _Ctx, trig: Token) -> list[Token]:
    """A "between X and Y" phrase near a noun trigger the parser attached elsewhere."""
    sent = trig.sent
    for t in ctx.doc[trig.i + 1 : min(sent.end, trig.i + 10)]:
        if t.lower_ in ("between", "with") and t.pos_ == "ADP":
            out: list[Token] = []
            for u in ctx.doc[t.i + 1 : sent.end]:
                if u.is_punct and u.text not in ("-", "’", "'"):
                    break
                out.append(u)
            return out
        if t.pos_ == "VERB" and t.tag_ != "VBZ" or t.is_punct:
            break
    return []


# ---------------------------------------------------------------- triggers
def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _objects(tok: Token, children: list[Token]) -> list[Token]:
    """What a verb acts on: its direct object or passive subject, and for a past participle
    modifying a noun, that noun ("the deal struck in Geneva", "the drones launched overnight")."""
    objs = [c for c in children if c.dep_ in ("dobj", "nsubjpass", "obj")]
    if tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.pos_ in ("NOUN", "PROPN"):
        objs.append(tok.head)
    return objs


def _condition_ok(ctx: _Ctx, tok: Token, key: str) -> bool:
    cond = ctx.lex.conditions.get(key)
    if not cond:
        return True
    children = list(tok.children)
    preps = {c.lower_ for c in children if c.dep_ in ("prep", "agent")}
    if "not_prep" in cond and preps & set(cond["not_prep"]):
        return False
    if "prep" in cond and not preps & set(cond["prep"]):
        return False
    if "particle" in cond and not any(
        c.dep_ in ("prt", "advmod", "prep") and c.lower_ in cond["particle"] for c in children
    ):
        return False  # "walked off the job", "walked out": a strike; "walked to the car": nothing
    if "object" in cond:
        objs = _objects(tok, children)
        if not any(_lemma(o) in cond["object"] or o.lower_ in cond["object"] for o in objs):
            return False
    if "not_object" in cond:
        if any(_lemma(o) in cond["not_object"] for o in _objects(tok, children)):
            return False
    if "subject" in cond:
        subj = [c for c in children if c.dep_ in ("nsubj",)]
        if not any(_lemma(o) in cond["subject"] for o in subj):
            return False
    if "not_subject" in cond:
        subj = [c for c in children if c.dep_ in ("nsubj", "nsubjpass")]
        if any(_lemma(o) in cond["not_subject"] for o in subj):
            return False
    if cond.get("object_or_prep") and not any(c.dep_ in ("dobj", "prep", "obj") for c in children):
        return False
    if cond.get("plural") and tok.tag_ not in ("NNS", "NNPS"):
        return False
    if "not_modifier" in cond:  # "a clinical trial" is no court's trial
        mods = [c for c in children if c.dep_ in ("compound", "amod", "nmod")]
        if any(_lemma(c) in cond["not_modifier"] or c.lower_ in cond["not_modifier"] for c in mods):
            return False
    if "compound" in cond:
        mods = [c for c in children if c.dep_ in ("compound", "amod", "nmod", "poss")]
        ok = any(_lemma(c) in cond["compound"] for c in mods)
        ok = ok or bool(ctx.mentions_in(t for c in mods for t in c.subtree))
        ok = ok or bool(preps & {"with", "between"})
        governors = cond.get("governor") or ()
        ok = ok or (tok.dep_ in ("dobj", "obj", "nsubjpass") and _lemma(tok.head) in governors)
        if not ok:
            return False
    return True


def _expected_at(ctx: _Ctx, tok: Token) -> bool:
    """ "Witkoff was expected in Moscow early next week": someone expected at a place (no verb of what
    they are expected to do) is a visit planned there."""
    if (
        _lemma(tok) != "expect"
        or tok.tag_ != "VBN"
        or any(c.dep_ in ("xcomp", "ccomp") for c in tok.children)
    ):
        return False
    subjects = [c for c in tok.children if c.dep_ == "nsubjpass"]
    if not any(
        m.label in ("PERSON", "ORG", "NORP")
        for m in ctx.mentions_in([t for s in subjects for t in s.subtree])
    ):
        return False
    return any(
        _is_place(m) for p, _ in _prep_objects(tok, frozenset({"in", "at"})) for m in ctx.mentions_in([p])
    )


def _trigger_type(ctx: _Ctx, tok: Token) -> str | None:
    lemma = _lemma(tok)
    if tok.pos_ == "VERB" and _expected_at(ctx, tok):
        return "visit"
    if tok.pos_ == "VERB":
        if tok.dep_ == "amod":  # a participle describing a noun: "a negotiated solution"
            return None
        typ = ctx.lex.verbs.get(lemma)
        key = f"{lemma}/VERB"
    elif tok.pos_ == "NOUN":
        joined = _hyphen_compound(tok)  # "run-off" is parsed "run" + "-" + "off"
        if joined is not None and joined in ctx.lex.nouns:
            lemma = joined
        typ = ctx.lex.nouns.get(lemma) or ctx.lex.nouns.get(tok.lower_)
        key = f"{lemma}/NOUN"
    else:
        return None
    if typ is None or not _condition_ok(ctx, tok, key):
        return None
    retype = ctx.lex.conditions.get(key, {}).get("retype_prep_object") or {}
    if retype:
        pobjs = {_lemma(g) for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"}
        for other, lemmas in retype.items():
            if pobjs & set(lemmas):
                return str(other)  # "spoke to reporters": a statement to the press, not a call
    modifier = ctx.lex.conditions.get(key, {}).get("retype_modifier") or {}
    if modifier:
        mods = [c for c in tok.children if c.dep_ in ("compound", "amod", "poss", "nmod")]
        mods += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "by" for g in c.children]
        words = {_lemma(m) for m in mods} | {m.lower_ for m in mods}
        for other, lemmas in modifier.items():
            if words & set(lemmas):
                return str(other)  # "the machinists' strike", "a strike by 33,000 workers": labour action
    context = ctx.lex.conditions.get(key, {}).get("retype_context") or {}
    if context:
        sent = tok.sent
        start = tok.doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
        near = {_lemma(t) for t in tok.doc[start : sent.end]} | {t.lower_ for t in tok.doc[start : sent.end]}
        for other, lemmas in context.items():
            if near & set(lemmas):
                return str(other)  # "Sunday's first round" of an election, not of talks
    return typ


def _hyphen_compound(tok: Token) -> str | None:
    """The one-word lemma of a hyphenated compound noun the tokenizer split: "run-off" → "runoff"."""
    doc = tok.doc
    if tok.i < 2 or doc[tok.i - 1].text != "-" or doc[tok.i - 1].whitespace_ or doc[tok.i - 2].whitespace_:
        return None
    first = doc[tok.i - 2]
    if first.head.i != tok.i or not first.is_alpha:
        return None
    return first.lower_ + _lemma(tok)


def _light_verb(ctx: _Ctx, tok: Token) -> Token | None:
    """The light verb whose object (or passive subject) the noun trigger is: "held talks"."""
    if tok.pos_ != "NOUN":
        return None
    cur = tok
    while cur.dep_ == "conj" and cur.head.i != cur.i:
        cur = cur.head
    if cur.dep_ == "pobj" and cur.head.lower_ == "of" and cur.head.head.pos_ == "NOUN":
        cur = cur.head.head  # "ended two days of talks", "began a new round of negotiations"
    head = cur.head
    if (
        cur.dep_ in ("dobj", "nsubjpass", "obj")
        and head.pos_ == "VERB"
        and _lemma(head) in ctx.lex.light_verbs
    ):
        return head
    return None


# ---------------------------------------------------------------- tense and modality
def _aux_of(tok: Token) -> list[str]:
    return [c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")]


def _planned(ctx: _Ctx, tok: Token, verb: Token | None) -> bool:
    cues = ctx.lex.planned_cues
    if tok.pos_ == "VERB" and _expected_at(ctx, tok):
        return True  # "was expected in Moscow next week"
    if tok.pos_ == "NOUN":
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "advmod") and c.lower_ in ctx.lex.planned_modifiers:
                return True
        # "ahead of the call", "the call looming"
        if tok.dep_ == "pobj" and tok.head.head.lower_ == "ahead":
            return True
        if tok.dep_ in ("nsubj", "nsubjpass") and _lemma(tok.head) in cues:
            return True
        # "the meeting … will take place on the sidelines", "the talks will resume"
        if tok.dep_ in ("nsubj", "nsubjpass") and any(a in FUTURE_AUX for a in _aux_of(tok.head)):
            return True
    cur = verb if verb is not None else tok
    if cur.pos_ in ("VERB", "AUX"):
        aux = _aux_of(cur)
        if any(a in FUTURE_AUX for a in aux):
            return True
        # "are due to meet", "is expected to visit", "plans to travel"
        node = cur
        for _ in range(3):
            if node.dep_ not in ("xcomp", "ccomp", "acomp", "advcl") or node.head.i == node.i:
                break
            head = node.head
            if _lemma(head) in cues or head.lower_ in cues:
                return not any(a in ("had", "'d") for a in _aux_of(head))
            node = head
        if cur.dep_ == "xcomp" and cur.head.pos_ == "ADJ" and cur.head.lower_ in cues:
            return True
        # a headline's infinitive, no finite verb in the line: "Trump and Xi to meet in Busan next week"
        if "to" in aux and (
            cur.dep_ == "ROOT"  # "Sudan's warring sides to meet in Jeddah as famine spreads"
            or (
                cur.head.pos_ not in ("VERB", "AUX")
                and cur.head.dep_ == "ROOT"
                and not any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in cur.sent)
            )
        ):
            return True
    return False


def _tense(tok: Token) -> str:
    aux = _aux_of(tok)
    if any(a in FUTURE_AUX for a in aux):
        return "future"
    if tok.tag_ == "VBD" or (tok.tag_ == "VBN" and any(a in ("has", "have", "had", "'ve") for a in aux)):
        return "past"
    if tok.tag_ == "VBN" and any(a in ("was", "were") for a in aux):
        return "past"
    if tok.tag_ in ("VBZ", "VBP") or any(a in ("is", "are", "am") for a in aux):
        return "present"
    if tok.tag_ == "VB" and "to" in aux:
        return "none"  # an infinitive's time is its own: "had agreed to meet again in January"
    if tok.tag_ in ("VB", "VBG", "VBN") and tok.head.i != tok.i and tok.dep_ in ("xcomp", "conj", "advcl"):
        return _tense(tok.head)
    return "none"


def _modality(tok: Token, verb: Token | None, planned: bool) -> Modality:
    if tok.pos_ == "NOUN":
        # "rejected a ceasefire": one turned down; "the ceasefire proposal", "ceasefire talks": one
        # talked about (and turned down with the proposal: "rejected the ceasefire proposal")
        noun = tok
        if tok.dep_ in ("compound", "amod", "nmod") and tok.head.lemma_.lower() in _TOPIC_HEADS:
            noun = tok.head
        if noun.dep_ in ("dobj", "obj") and noun.head.lemma_.lower() in _TURNING_DOWN:
            return "negated"
        if noun.dep_ in ("dobj", "obj", "nsubjpass") and _called_off(noun.head):
            return "negated"  # "the summit … was cancelled", "called off the planned summit"
        if noun.dep_ in ("dobj", "obj", "nsubjpass") and noun.head.lemma_.lower() in _PUTTING_OFF:
            return "planned"  # "the talks were postponed until January": still to come
        if noun is not tok:
            return "possible"
    if tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.lower_ in _PRESUPPOSING:
        # "would meet them, after talks … on Sunday": what a clause is placed after or amid took
        # place, whatever the clause's own modality
        return "planned" if planned else "asserted"
    node = verb if verb is not None else tok
    children = [c.lower_ for c in node.children if c.dep_ in ("neg", "aux", "det")]
    if node.pos_ in ("VERB", "AUX") and any(c in NEGATIONS for c in children):
        return "negated"
    if node.dep_ == "xcomp" and _lemma(node.head) in REFUSING:
        return "negated"
    if node.dep_ in ("xcomp", "ccomp") and _lemma(node.head) in URGING:
        return "possible"  # "urging both delegations to agree to a truce": asked for, not done
    if (
        tok.pos_ == "NOUN"
        and tok.dep_ == "pobj"
        and tok.head.lower_ in ("for", "to")
        and _lemma(tok.head.head) in WISHING
    ):
        return "possible"
    if node.pos_ in ("VERB", "AUX") and any(
        c.dep_ == "mark" and c.lower_ == "whether" for c in node.children
    ):
        return "possible"  # "asked whether Putin would meet him": a question, not a plan
    aux = _aux_of(node) if node.pos_ in ("VERB", "AUX") else []
    if any(a in ("may", "might", "could") for a in aux):
        return "possible"  # "could meet on Friday" is talk of a meeting, not a plan ("would" reports one)
    if planned:
        return "planned"
    if any(a in POSSIBLE_MODALS for a in aux):
        return "possible"
    return "asserted"


_PRESUPPOSING = frozenset({"after", "since", "following", "amid", "despite"})
_TOPIC_HEADS = frozenset(
    "proposal plan offer talk talks negotiation negotiations demand call push bid effort framework term "
    "terms initiative draft idea option".split()
)
_TURNING_DOWN = frozenset("reject refuse dismiss spurn rebuff oppose veto".split())
# verbs whose subject is the event they tell of ("the summit took place in Alaska"): their place is its
_TAKING_PLACE = frozenset("happen occur take hold begin open start resume end conclude".split())
_CALLING_OFF = frozenset("cancel scrap abandon shelve".split())
# a postponed or delayed event still comes, later ("postponed until January", "delayed by two hours")
_PUTTING_OFF = frozenset("postpone delay reschedule".split())


def _called_off(verb: Token) -> bool:
    """A verb that stops an event from happening at all: "cancelled", "scrapped", "called off"."""
    lemma = verb.lemma_.lower()
    if lemma in _CALLING_OFF or verb.lower_ in ("cancelled", "canceled", "scrapped"):
        return True
    return lemma == "call" and any(c.dep_ == "prt" and c.lower_ == "off" for c in verb.children)


def _words(ctx: _Ctx, tok: Token, verb: Token | None) -> tuple[str, ...]:
    sent = tok.sent
    lo = max(sent.start, tok.i - 8)
    hi = min(sent.end, tok.i + 9)
    if verb is not None:
        lo = min(lo, max(sent.start, verb.i - 4))
    words = {
        _lemma(t)
        for t in ctx.doc[lo:hi]
        if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM") and _lemma(t) not in STOP_LEMMAS
    }
    return tuple(sorted(words))


# ---------------------------------------------------------------- public API
def find_events(
    text: str,
    *,
    nlp_doc: Doc,
    timexes: Sequence[TimeExpr],
    mentions: Sequence[Mention],
    published: date | datetime | None,
    lexicon: EventLexicon | None = None,
) -> list[EventMention]:
    """The event mentions of ``text``, in text order (pure: no I/O, no state kept).

    ``nlp_doc`` is spaCy's parse of ``text``; ``timexes`` its time expressions (resolved against
    ``published`` when known); ``mentions`` its actor mentions; ``published`` the article's date
    (the report date), used for events no expression dates.
    """
    if nlp_doc.text != text:
        raise ValueError("nlp_doc is not a parse of text")
    if isinstance(published, datetime):
        published = published.date()
    ctx = _Ctx(text, nlp_doc, mentions, lexicon or load_event_lexicon())
    timexes = ctx.dated_by(timexes)
    triggers: dict[int, Token] = {}
    types: dict[int, str] = {}
    for tok in nlp_doc:
        typ = _trigger_type(ctx, tok)
        if typ is not None:
            triggers[tok.i] = tok
            types[tok.i] = typ
    # a noun trigger that is the object of a verb trigger of the same type is the same event
    # ("launched the largest drone attack"): keep the noun, which carries the modifiers
    for i in list(triggers):
        tok = triggers[i]
        if tok.pos_ == "VERB":
            objs = [c for c in tok.children if c.dep_ in ("dobj", "obj") and c.i in triggers]
            if any(types[o.i] == types[i] for o in objs):
                del triggers[i]
    light = {i: _light_verb(ctx, t) for i, t in triggers.items()}
    dates = attach_dates(nlp_doc, triggers, timexes, light=light)
    for i in list(triggers):
        # a speech verb is an event when a date says when it was said ("Peskov insisted on Wednesday")
        retyped = triggers[i].pos_ == "VERB" and types[i] != ctx.lex.verbs.get(_lemma(triggers[i]))
        if (_lemma(triggers[i]) in ctx.lex.dated_only or retyped) and i not in dates:
            del triggers[i]
    out: list[EventMention] = []
    for i in sorted(triggers):
        ev = _event(ctx, triggers[i], types[i], dates.get(i), published)
        if ev is not None:
            out.append(ev)
    out = share_dates(out, text=text, published=published)
    return narrative_dates(out, doc=nlp_doc, timexes=timexes, published=published, reporting=_reporting(ctx))


def date_spans(
    text: str,
    *,
    nlp_doc: Doc,
    timexes: Sequence[TimeExpr],
    mentions: Sequence[Mention],
    published: date | datetime | None,
    spans: Sequence[tuple[int, int]],
    lexicon: EventLexicon | None = None,
) -> list[EventMention | None]:
    """Events at the given trigger spans, dated as :func:`find_events` dates its own (for evaluation
    against annotated events: the date attachment measured apart from trigger finding).

    A span's syntactic head is the trigger; its type is the lexicon's, else ``other``. ``None`` for a
    span that covers no token."""
    if nlp_doc.text != text:
        raise ValueError("nlp_doc is not a parse of text")
    if isinstance(published, datetime):
        published = published.date()
    ctx = _Ctx(text, nlp_doc, mentions, lexicon or load_event_lexicon())
    timexes = ctx.dated_by(timexes)
    heads: list[Token | None] = []
    for start, end in spans:
        span = nlp_doc.char_span(start, end, alignment_mode="expand")
        heads.append(span.root if span is not None and len(span) else None)
    triggers = {t.i: t for t in heads if t is not None}
    light = {i: _light_verb(ctx, t) for i, t in triggers.items()}
    dates = attach_dates(nlp_doc, triggers, timexes, light=light)
    made: dict[int, EventMention | None] = {}
    for i, tok in triggers.items():
        typ = _trigger_type(ctx, tok) or "other"
        made[i] = _event(ctx, tok, typ, dates.get(i), published, oracle=True)
    shared = share_dates([e for e in made.values() if e is not None], text=text, published=published)
    shared = narrative_dates(
        shared, doc=nlp_doc, timexes=timexes, published=published, reporting=_reporting(ctx)
    )
    by_start = {e.start: e for e in shared}
    return [by_start.get(t.idx) if t is not None else None for t in heads]


def _reporting(ctx: _Ctx) -> frozenset[str]:
    return ctx.lex.dated_only | REPORTING


# events that happen at a place rather than between parties: without a place or participant of their
# own they take the dateline's place
LOCAL_TYPES = frozenset({"protest", "disaster", "accident", "evacuation"})


def _event(
    ctx: _Ctx, tok: Token, typ: str, att: Attached | None, published: date | None, *, oracle: bool = False
) -> EventMention | None:
    light = _light_verb(ctx, tok)
    verb = tok if tok.pos_ == "VERB" else (light or clause_verb(tok))
    if (
        att is not None
        and light is not None
        and tok.dep_ == "nsubjpass"
        and _lemma(light) in TELLING
        and not tok.left_edge.idx <= att.expr.start < tok.right_edge.idx + len(tok.right_edge)
    ):
        att = None  # "the talks were announced on Tuesday": Tuesday dates the announcement, not the talks
    heads: list[tuple[Token, str]] = []
    if tok.pos_ == "VERB":
        for c in tok.children:
            if c.dep_ in SUBJECT_DEPS:
                role = "patient" if c.dep_ == "nsubjpass" else "agent"
                if c.dep_ == "agent":
                    heads.extend((p, "agent") for p in c.children if p.dep_ == "pobj")
                else:
                    heads.append((c, role))
            elif c.dep_ in OBJECT_DEPS:
                heads.append((c, "patient"))
        if not any(r == "agent" for _, r in heads):
            heads.extend((s, "agent") for s in _governing_subjects(tok))
        preps = PARTICIPANT_PREPS | {"to"} if typ in TALK_TYPES else PARTICIPANT_PREPS  # "spoke to Putin"
        heads.extend((p, "with") for p, _ in _prep_objects(tok, preps))
    else:
        mods = [c for c in tok.children if c.dep_ in ("compound", "nmod", "poss", "amod")]
        heads.extend((m, "modifier") for m in mods)
        heads.extend((p, "with") for p, _ in _prep_objects(tok, PARTICIPANT_PREPS))
        if light is not None:
            agents = [c for c in light.children if c.dep_ in ("nsubj", "agent") and c.i != tok.i]
            # "Putin and Witkoff are due to hold talks": the subject of the verb governing the light verb
            heads.extend((c, "agent") for c in agents or _governing_subjects(light))
            heads.extend((p, "with") for p, _ in _prep_objects(light, PARTICIPANT_PREPS))
    parts = _participants_of(ctx, heads)
    if tok.pos_ == "NOUN" and not any(r == "with" for _, r in parts):
        window = _between_window(ctx, tok)
        found = ctx.mentions_in(window)
        if len(found) > 1 and any(m.label == "PERSON" for m in found):
            found = [m for m in found if not _is_modifier(ctx, m)]
        parts.extend((m, "with") for m in found)
    cond = ctx.lex.conditions.get(f"{_lemma(tok)}/{'VERB' if tok.pos_ == 'VERB' else 'NOUN'}", {})
    if cond.get("participants") and not parts and not oracle:
        return None
    # place: a GPE/LOC in an "in"/"at" phrase of the trigger, its light verb, its object or the
    # participle describing it
    place: tuple[int, int] | None = None
    place_from = [tok] + ([light] if light is not None else [])
    place_from += [c for c in tok.children if c.dep_ in ("dobj", "obj")]
    if tok.pos_ == "NOUN" and tok.dep_ in ("nsubj", "nsubjpass") and _lemma(tok.head) in _TAKING_PLACE:
        place_from.append(tok.head)  # "the summit took place in Alaska", "the talks were held in Doha"
    if tok.pos_ == "NOUN":  # "the agreement reached in Geneva", "talks held in Doha"
        place_from += [c for c in tok.children if c.dep_ == "acl" and c.tag_ == "VBN"]
        # "talks between U.S. and Ukrainian officials in Florida": the parser hangs the place on the
        # participants
        place_from += [p for p, prep in _prep_objects(tok, frozenset({"between"}))]
    for node in place_from:
        for p, _ in _prep_objects(node, PLACE_PREPS):
            pobjs = [p, *(c for c in p.children if c.dep_ == "conj")]
            cands = [m for m in ctx.mentions_in(pobjs) if _is_place(m)]
            if cands:
                place = (cands[-1].start, cands[-1].end)
                break
        if place is not None:
            break
    if place is None and typ in VISIT_TYPES:
        # "his Kyrgyzstan visit": a place modifying the trip is where it went
        # "will visit Moscow" too: a place visited is not a participant
        visited = [m for m, role in parts if role in ("modifier", "patient") and _is_place(m)]
        if len(visited) == 1:
            place = (visited[0].start, visited[0].end)
    if place is None:
        # "the Geneva talks", "the Istanbul meeting": a city (the gazetteer's places) modifying the event
        # is where it happened; a country modifying it ("Russia-Ukraine talks") takes part
        venues = [m for m, role in parts if role == "modifier" and (m.label == "LOC" or _city_named(m))]
        if len(venues) == 1:
            place = (venues[0].start, venues[0].end)
    seen: set[tuple[int, int]] = set()
    participants: list[tuple[int, int, str]] = []
    for m, role in parts:
        if (m.start, m.end) in seen or (place is not None and (m.start, m.end) == place):
            continue
        seen.add((m.start, m.end))
        participants.append((m.start, m.end, role))
    participants.sort()
    if place is None and not participants and typ in LOCAL_TYPES:
        # "a wildfire raging north of Marseille", "a protest outside the parliament in Tbilisi": an event
        # of no one named happened at the place its sentence names nearest to it
        near = [m for m in ctx.mentions_in(tok.sent) if _is_place(m)]
        if near:
            m = min(near, key=lambda m: (abs(m.start - tok.idx), m.start))
            place = (m.start, m.end)
    if place is None and not participants and typ in LOCAL_TYPES and ctx.dateline_place is not None:
        # "ROTTERDAM (AP) — A strike by dockworkers …": an event of no one named, told from a dateline,
        # happened there (what lets two outlets' reports of it meet on the timeline)
        place = ctx.dateline_place
    # a noun's event takes its clause's tense only through a light verb ("held talks"): "the meeting,
    # scheduled for Friday, was cancelled" says nothing of when the meeting is
    tense = _tense(verb) if verb is not None and (tok.pos_ == "VERB" or light is not None) else "none"
    if light is not None and (_lemma(light) in ctx.lex.planned_cues or _lemma(light) in ANNOUNCING):
        tense = "none"  # "has announced a call … on May 19": the tense is the announcement's
    planned = _planned(ctx, tok, verb if tok.pos_ == "VERB" or light is not None else None)
    when = event_date(att, tense=tense, planned=planned, published=published)
    sent = tok.sent
    end = sent.end_char
    while end > sent.start_char and ctx.text[end - 1].isspace():
        end -= 1
    joined = _hyphen_compound(tok) if tok.pos_ == "NOUN" else None
    start = tok.doc[tok.i - 2].idx if joined is not None and joined in ctx.lex.nouns else tok.idx
    # the sentence as cited starts after a wire dateline that opens it ("KYIV, May 18 (Reuters) - …")
    sent_start = sent.start_char
    for d_start, d_end in ctx.datelines:
        if sent_start <= d_start < d_end <= start:
            sent_start = d_end
    while sent_start < start and ctx.text[sent_start].isspace():
        sent_start += 1
    return EventMention(
        start=start,
        end=tok.idx + len(tok.text),
        text=ctx.text[start : tok.idx + len(tok.text)],
        lemma=joined if start != tok.idx and joined is not None else _lemma(tok),
        type=typ,
        participants=tuple(participants),
        place=place,
        date_value=when.date_value,
        date_source=when.date_source,
        precision=when.precision,
        timex=when.timex,
        relative=when.relative,
        tense=tense,
        modality=_modality(tok, verb, when.planned),
        planned=when.planned,
        sentence=(sent_start, end),
        words=_words(ctx, tok, verb),
    )


def resolve_events(
    events: Iterable[EventMention], timexes: Sequence[TimeExpr], published: date | datetime | None
) -> tuple[EventMention, ...]:
    """Events with their dates recomputed from re-resolved ``timexes`` and the article date ``published``.

    Cheap (no parsing): pass the article's time expressions resolved against the date now known
    (``storyline.analyze.pipeline.resolved_timexes``).
    """
    if isinstance(published, datetime):
        published = published.date()
    by_span = {(e.start, e.end): e for e in timexes}
    out: list[EventMention] = []
    for ev in events:
        if ev.timex is not None and ev.timex in by_span:
            expr = by_span[ev.timex]
            clause_tense = (ev.relative or {}).get("clause_tense")
            if clause_tense is not None:  # dated through another clause (see events_dates.Attached)
                value = directed_value(
                    expr, tense=clause_tense, planned=clause_tense == "future", published=published
                )
            else:
                value = directed_value(expr, tense=ev.tense, planned=ev.planned, published=published)
            start = value_start(value) if value else None
            if (
                ev.date_source == "narrative"
                and published is not None
                and (start is None or start > published)
            ):
                # the narrative's day lands after the report: the report dates the event after all
                out.append(
                    replace(
                        ev,
                        date_value=published.isoformat(),
                        date_source="report",
                        precision="report",
                        timex=None,
                        relative=None,
                    )
                )
                continue
            offset = int((ev.relative or {}).get("offset_days", 0)) - int(
                (expr.relative or {}).get("offset_days", 0)
            )
            value = shift_value(value, offset) if offset else value
            precision = value_precision(value) or ev.precision
            start = value_start(value) if value else None
            if ev.date_source in ("timex", "anchor") and not ev.planned and ev.tense != "past":
                # a date after the report is a plan, as find_events reads it with the date known
                if start is not None and published is not None and start > published:
                    modality = "planned" if ev.modality in ("asserted", "possible") else ev.modality
                    out.append(
                        replace(ev, date_value=value, precision=precision, planned=True, modality=modality)
                    )
                    continue
            out.append(replace(ev, date_value=value, precision=precision))
        elif ev.date_source == "report":
            out.append(replace(ev, date_value=published.isoformat() if published else None))
        else:
            out.append(ev)
    return tuple(out)
