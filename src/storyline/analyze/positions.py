"""Positions: who wants, refuses, offers or judges what, on which issue.

``find_positions(text, statements=…)`` is a pure function of the text, its statements (from
:mod:`storyline.analyze.quotes`), its actor mentions (from :mod:`storyline.analyze.entities`), an
optional spaCy ``Doc`` of the same text and a taxonomy (:mod:`storyline.taxonomy`, the packaged
``data/issues.yaml`` by default). The cascade, sentence by sentence:

1. **Triggers**: a stance word of the taxonomy's ``stances`` lexicon on the parse — a verb ("rejected",
   "calling for", "is ready to" …), a predicative adjective ("ready", "opposed", "interested") or a
   position noun ("demands", "unwillingness", "proposal") — whose holder is an actor: the verb's subject
   (inherited through infinitives, conjuncts and copulas; the object of "wants X to …"), the noun's
   possessor or the subject of the verb governing it. A subject in the first person ("we must …"), or
   none, inside a statement's content makes the statement's speaker the holder; so does a declared-view
   verb ("intend", "believe") inside reported speech. Unattributed sentences count: "Putin rejected any
   concessions" is a position without a quote. A trigger inside the clause of another one with the same
   sentence ("insisted that any peace must …") is part of it.
2. **Statements** not covered by a trigger: the speaker holds the position; the stance comes from the
   cue verb ("rejected", "urged") or from cue phrases in the content ("must", "never", "only if").
3. **Stance** adjustments: negation turns a demand or an offer into a rejection ("doesn't want",
   "not ready to"); a hedge ("unlikely to offer") makes it a declared view (``stance``); a condition cue
   ("only if", "unless", "before any") makes a demand or offer a ``condition``.
4. **Issue**: the first taxonomy match in the position's clause, else in its sentence, else ``other``;
   the other issues matched go to ``alt_issues``. A clause listing parallel demands on several issues
   ("that Ukraine surrender occupied territories, renounce NATO membership, and adopt neutrality") gives
   one position per issue.
5. Headlines (title-case lines without final punctuation) are skipped: they repeat the body.

Offsets index ``text``; ``start, end`` is the evidence sentence (or the sentences of a quote), ``clause``
the part that states the position. :func:`gold_issue` and :func:`gold_stance` map labels onto the
gold annotation's smaller label sets.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..taxonomy import FALLBACK, GOLD_ISSUES, IssueMatch, StanceCues, Taxonomy, load_taxonomy

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from .entities import Mention
    from .quotes import Statement

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["GOLD_STANCES", "Position", "find_positions", "gold_issue", "gold_stance"]

Offsets = tuple[int, int]
GOLD_STANCES: frozenset[str] = frozenset({"demand", "rejection", "offer", "stance", "assessment"})
MAX_CONTENT_WORDS = 15


@dataclass(frozen=True, kw_only=True, slots=True)
class Position:
    """One actor's position on one issue, with its evidence (offsets into the analysed text)."""

    start: int  # evidence: the sentence(s) stating the position
    end: int
    issue: str
    stance: str  # demand | rejection | offer | condition | assessment | stance
    content: str  # short normalized content, at most MAX_CONTENT_WORDS words
    clause: Offsets  # the part of the evidence that states the position
    holder: Offsets | None = None  # the holder's mention (speaker, subject or possessor)
    holder_text: str | None = None
    holder_source: str = "subject"  # subject | possessor | speaker
    cue: Offsets | None = None
    cue_text: str | None = None
    alt_issues: tuple[str, ...] = ()
    negated: bool = False
    statement: int | None = None  # index of the statement it comes from, if any

    @property
    def evidence(self) -> tuple[Offsets, ...]:
        """Evidence spans: the sentence(s), then the clause."""
        return ((self.start, self.end), self.clause)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Position:
        """The inverse of ``dataclasses.asdict`` (lists back to tuples)."""
        d = dict(data)
        for key in ("clause", "holder", "cue"):
            if d.get(key) is not None:
                d[key] = (int(d[key][0]), int(d[key][1]))
        d["alt_issues"] = tuple(d.get("alt_issues") or ())
        return cls(**d)


def gold_issue(issue: str, *, taxonomy: Taxonomy | None = None) -> str:
    """The gold label of ``issue``: itself when the gold knows it, else its parent's, else ``other``."""
    if issue in GOLD_ISSUES:
        return issue
    return (taxonomy or load_taxonomy()).gold_issue(issue)


def gold_stance(stance: str) -> str:
    """The gold label of ``stance``: the gold has no ``condition`` (a conditional demand is a demand)."""
    if stance == "condition":
        return "demand"
    return stance if stance in GOLD_STANCES else "stance"


# ------------------------------------------------------------------------------------------- lexicon

_PERSONAL = frozenset({"he", "she", "they", "we", "i", "you"})
_FIRST_PERSON = frozenset({"i", "we", "us", "me"})
_ACTOR_NOUNS = frozenset(
    "leader official president minister government administration side diplomat negotiator envoy "
    "spokesman spokeswoman spokesperson kremlin country ally allies analyst expert army military "
    "chancellor premier commander general parliament lawmaker senator mp delegation ministry "
    "authorities authority regime capital capitals state states nation nations partner partners "
    "representative representatives source sources adviser advisor aide chief union bloc alliance "
    "party team camp officials leaders".split()
)
_HEDGES = frozenset({"unlikely", "likely", "may", "might", "could", "would", "possible", "possibly"})
_NEG_WORDS = frozenset({"not", "n't", "n’t", "never", "no"})
_CLAUSE_CUT = frozenset({"parataxis"})
_QUESTION = re.compile(r"whether\b(?!\s+or\s+not\b)", re.I)  # an indirect question: no view
_OWN_POSSESSIVES = frozenset({"his", "her", "its", "their", "our", "my"})
_SETTLEMENT_NOUNS = frozenset(
    "ceasefire truce talk talks negotiation negotiations dialogue deal agreement compromise peace "
    "meeting summit settlement exchange".split()
)
_CONTRAST_MARKS = frozenset({"while", "whereas", "although", "though", "whilst"})
_STANCE_ORDER = ("rejection", "condition", "offer", "demand", "assessment")
_NEVER_REJECT = re.compile(
    r"\b(?:will|would|shall|won[’']t|[’']ll)\s+never\b|\bnever\s+(?:accept|agree|recogni[sz]e|give\s+up|"
    r"surrender|concede|cede|allow|negotiate|trade)\w*",
    re.IGNORECASE,
)
_SPEAKER_VIEW_VERBS = frozenset({"intend", "plan", "aim", "believe"})
# verbs that give a stance up: their object noun ("reversed its refusal") is no longer held
_ABANDON = frozenset("reverse abandon drop scrap retract overturn rescind withdraw end lift".split())
# "declined to comment", "refused to elaborate": a source's silence, not a rejection of anything
_NO_COMMENT_VERBS = frozenset(
    {
        "comment",
        "elaborate",
        "speculate",
        "respond",
        "disclose",
        "detail",
        "confirm",
        "say",
        "specify",
        "answer",
        "reply",
        "react",
        "identify",
        "name",
    }
)


@dataclass(frozen=True, kw_only=True, slots=True)
class _Lexicon:
    verbs: dict[str, dict[str, str]]  # lemma -> particle ("" for none) -> stance
    adjectives: dict[str, str]
    nouns: dict[str, str]
    regex: dict[str, tuple[re.Pattern[str], ...]]


def _lexicon(taxonomy: Taxonomy) -> _Lexicon:
    verbs: dict[str, dict[str, str]] = {}
    adjectives: dict[str, str] = {}
    nouns: dict[str, str] = {}
    regex: dict[str, tuple[re.Pattern[str], ...]] = {}
    # later stances in this order do not override earlier ones
    order = ("rejection", "condition", "offer", "demand", "assessment", "stance")
    for name in order:
        cues: StanceCues | None = taxonomy.stances.get(name)
        if cues is None:
            continue
        for lemma, particle in cues.verbs:
            verbs.setdefault(lemma, {}).setdefault(particle, name)
        for a in cues.adjectives:
            adjectives.setdefault(a, name)
        for n in cues.nouns:
            nouns.setdefault(n, name)
        regex[name] = cues.regex
    return _Lexicon(verbs=verbs, adjectives=adjectives, nouns=nouns, regex=regex)


# ------------------------------------------------------------------------------------------ internals


@dataclass(kw_only=True, slots=True)
class _Unit:
    sent: Offsets
    clause: Offsets
    stance: str
    holder: Offsets | None
    holder_text: str | None
    holder_source: str
    cue: Offsets | None
    cue_text: str | None
    cue_lemma: str
    negated: bool = False
    statement: int | None = None
    scope: frozenset[int] = frozenset()  # token indices of the clause (triggers only)


def _particle_of(tok: Token) -> str | None:
    for c in tok.children:
        if c.dep_ in ("prep", "prt") and c.i > tok.i:
            if c.dep_ == "prep" and any(
                (g.dep_ == "pobj" and g.ent_type_ in ("DATE", "TIME")) or g.lower_ in _WEEKDAYS
                for g in c.children
            ):
                continue  # "insisted on Tuesday that …": a date, not "insist on"
            return c.lower_
    return None


_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())


def _cue_particle(doc: Doc, cue: tuple[int, int] | None) -> str | None:
    """The particle or preposition of a statement's cue verb ("call *for*"), from the cue's text when it
    holds two words, else from the parse."""
    if cue is None:
        return None
    words = doc.text[cue[0] : cue[1]].lower().split()
    if len(words) > 1:
        return words[-1]
    span = doc.char_span(cue[0], cue[1], alignment_mode="expand")
    return _particle_of(span.root) if span is not None and len(span) else None


# verbs whose object is made, pressed or asked to do what their infinitive says
_PRESSURE_VERBS = frozenset(
    "press pressure pressurise pressurize push urge force compel coerce ask tell order encourage persuade "
    "convince lean invite instruct oblige".split()
)
# … of which these state a demand of their subject ("ordered them to stop", "forced households to …" are
# acts, "asked the congregation to stand" no political position)
_PRESSING = frozenset({"press", "pressure", "pressurise", "pressurize", "push"})


def _trigger(tok: Token, lex: _Lexicon) -> tuple[str, str] | None:
    """``(stance, cue lemma)`` when ``tok`` is a stance word of the lexicon."""
    lemma = tok.lemma_.lower()
    if (
        tok.pos_ == "VERB"
        and lemma in _PRESSING
        and any(c.dep_ == "dobj" for c in tok.children)
        and any(c.dep_ == "xcomp" and any(g.lower_ == "to" for g in c.children) for c in tok.children)
    ):
        return "demand", lemma  # "Washington pressed Kyiv to accept the deal"
    if tok.pos_ in ("VERB", "AUX") and lemma in lex.verbs:
        if tok.dep_ in ("amod", "compound"):
            return None
        # "incentives for Russia to agree": an infinitive modifying a noun is hypothetical
        if (
            tok.dep_ in ("acl", "advcl")
            and tok.head.pos_ == "NOUN"
            and any(c.lower_ == "to" for c in tok.children)
        ):
            return None
        # "a deadline for Kyiv to accept", "called for Kyiv to accept": the subject of a for-infinitive is
        # who another wants to act, not one who holds that view
        if any(c.dep_ == "mark" and c.lower_ == "for" for c in tok.children) and any(
            c.lower_ == "to" for c in tok.children
        ):
            return None
        # "Washington pressed Kyiv to accept the deal": the object of pressure is asked to act; whose
        # position that is the pressing verb says, if it is a stance word itself ("urged")
        if (
            tok.dep_ == "xcomp"
            and tok.head.lemma_.lower() in _PRESSURE_VERBS
            and any(c.dep_ == "dobj" and c.i < tok.i for c in tok.head.children)
        ):
            return None
        # "send Kyiv the air defences it needs", "the weapons it wants": a relative clause whose object is
        # the noun it describes tells what that noun is, not a position taken
        if (
            tok.dep_ == "relcl"
            and not any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "acomp", "prep") for c in tok.children)
            and any(c.dep_ == "nsubj" and c.lower_ not in ("who", "that", "which") for c in tok.children)
        ):
            return None
        forms = lex.verbs[lemma]
        part = _particle_of(tok)
        if part is not None and part in forms:
            return forms[part], f"{lemma} {part}"
        if "" in forms:
            return forms[""], lemma
        return None
    if tok.pos_ == "ADJ" and lemma in lex.adjectives and tok.dep_ in ("acomp", "oprd", "conj"):
        stance = lex.adjectives[lemma]
        # "ready to talk" offers; "ready for a protracted war" declares a view
        # … but "ready for a ceasefire", "open to talks" offer what they name
        if stance == "offer" and not any(
            c.dep_ == "xcomp"
            or (c.dep_ == "prep" and c.lower_ == "to")
            or (
                c.dep_ == "prep"
                and c.lower_ == "for"
                and any(g.dep_ == "pobj" and g.lemma_.lower() in _SETTLEMENT_NOUNS for g in c.children)
            )
            for c in tok.children
        ):
            stance = "stance"
        return stance, lemma
    if tok.pos_ == "NOUN" and lemma in lex.nouns:
        if _ANONYMITY.match(tok.doc.text, tok.idx + len(tok.text)):
            return None  # "speaking on condition of anonymity" sets no condition
        return lex.nouns[lemma], lemma
    return None


_ANONYMITY = re.compile(
    r"\s+(?:of|that)\s+(?:anonymity|(?:they|he|she|his|her|their)\b[^.]{0,30}\bnamed?\b)", re.IGNORECASE
)


_CONTENT_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_OBLIGING = frozenset({"must", "should", "ought"})


def _told_to(tok: Token, subj: Token) -> bool:
    """Whether an unattributed clause tells its subject what to do ("Putin must agree to a
    ceasefire", "Europe should send air defences"): a modal of obligation on the trigger or the verb
    heading it, with a subject not in the first person (a "we must" is the speaker's own)."""
    if subj.lower_ in ("we", "i", "us"):
        return False
    cur = tok
    for _ in range(3):
        if any(c.dep_ == "aux" and c.lower_ in _OBLIGING for c in cur.children):
            return True
        if cur.dep_ not in ("xcomp", "conj") or cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _subject(tok: Token, depth: int = 0) -> Token | None:
    # the subject nearest the verb: a dateline the parser made a second subject ("BEIJING (AP) —
    # China's Commerce Ministry … urged") comes first
    subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
    for c in sorted(subjects, key=lambda c: (c.i > tok.i, -c.i if c.i < tok.i else c.i)):
        if c.lower_ in ("who", "that", "which") and tok.dep_ == "relcl":
            return tok.head
        return c
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        return None  # "Trzaskowski, backed by Tusk's Civic Coalition": a description of him, no stance
    if tok.dep_ in ("relcl", "acl") and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return tok.head
    # a mis-parsed subject: "… and European leaders are trying to": the noun right before the auxiliary
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass") and c.i < tok.i]
    if auxes and auxes[0].i > 0:
        before = tok.doc[auxes[0].i - 1]
        if (
            before.pos_ in ("NOUN", "PROPN", "PRON")
            and before.dep_ not in ("dobj", "poss")
            and before.ent_type_ not in _TIME_ENTS  # "had until Thursday to accept": a deadline
        ):
            return before
    # "- Russia refuses ceasefire": a finite verb right after a name the parse attached elsewhere
    if tok.tag_ in ("VBZ", "VBD", "VBP") and tok.i > 0 and tok.dep_ not in ("relcl", "acl"):
        before = tok.doc[tok.i - 1]
        if before.pos_ == "PROPN" and before.dep_ not in ("nsubj", "poss", "compound"):
            return before
    if depth < 4 and tok.head is not tok and tok.dep_ in ("xcomp", "advcl", "conj", "acomp", "oprd", "pcomp"):
        if tok.dep_ == "xcomp":
            for sib in tok.head.children:
                if sib.dep_ in ("dobj", "dative") and sib.i < tok.i:
                    return sib
        return _subject(tok.head, depth + 1)
    return None


# verbs whose subject makes, voices or keeps the proposal, demand or refusal that is their object
_VOICING_VERBS = frozenset(
    "make present put submit table issue send deliver offer unveil propose outline lay draft announce give "
    "float advance extend renew repeat reiterate voice express state signal restate stand stick maintain "
    "keep press push come set pose raise lodge file have circulate introduce bring take adopt "
    "hold assume lead mount".split()
)


def _holder_token(tok: Token) -> tuple[Token | None, str]:
    """The token naming who holds the position a trigger expresses, and how it was found."""
    if tok.pos_ == "NOUN":
        for c in tok.children:
            if c.dep_ == "poss":
                return c, "possessor"
        if tok.dep_ in ("dobj", "attr", "nsubjpass") or (tok.dep_ == "pobj" and tok.head.dep_ == "prep"):
            verb = tok.head if tok.dep_ != "pobj" else tok.head.head
            if verb.pos_ in ("VERB", "AUX"):
                if tok.dep_ == "dobj" and verb.lemma_.lower() not in _VOICING_VERBS:
                    # "Russia answers every peace proposal with missiles", "Moscow is studying the
                    # proposal": who answers or studies it does not hold it
                    return None, "subject"
                return _subject(verb), "subject"
        return None, "subject"
    return _subject(tok), "subject"


def _mention_at(tok: Token, mentions: Sequence[Mention]) -> Mention | None:
    for m in mentions:
        if m.start <= tok.idx < m.end and m.kind != "demonym":
            return m
    return None


def _holder_span(tok: Token, mentions: Sequence[Mention]) -> Offsets:
    m = _mention_at(tok, mentions)
    if m is not None:
        return m.start, m.end
    doc = tok.doc
    start = tok.left_edge.i
    for i in range(start, tok.i):
        if "\n" in doc[i].text or "\n" in doc[i].whitespace_:
            start = i + 1  # a line break: the part before it is another line
    while start < tok.i and (
        doc[start].is_punct or doc[start].is_space or doc[start].lower_ in ("the", "a", "an")
    ):
        start += 1
    end = tok.i + 1
    for c in tok.children:
        if c.dep_ in ("compound", "flat") and c.i > tok.i:
            end = max(end, c.i + 1)
    span = doc[start:end]
    text = span.text
    cut = len(text)
    for suffix in ("’s", "'s", "’", "'"):
        if text.endswith(suffix):
            cut = len(text) - len(suffix)
            break
    return span.start_char, span.start_char + cut


_TIME_ENTS = frozenset({"DATE", "TIME"})


_CLAIM_VERBS = frozenset("claim allege suggest say report assert argue state".split())
_FALSE_WORDS = frozenset("false untrue wrong incorrect inaccurate baseless unfounded nonsense absurd".split())
_DENYING = frozenset("deny dismiss reject refute rebut".split())


def _denied_claim(tok: Token) -> bool:
    """Whether ``tok`` is, or sits in, a claim the sentence denies: "it was not correct to claim Putin
    had rejected the plan", "it is false to say that …", "denied claims that …"."""
    cur = tok
    for _ in range(4):
        if cur.lemma_.lower() in _CLAIM_VERBS and cur.pos_ == "VERB" and _denies(cur.head):
            return True
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _denies(gov: Token) -> bool:
    """Whether ``gov``, governing a claim, denies it ("deny", "was not correct", "is false")."""
    if gov.lemma_.lower() in _DENYING:
        return True
    for c in gov.children:
        if c.dep_ in ("acomp", "attr") and (
            c.lemma_.lower() in _FALSE_WORDS
            or any(g.dep_ == "neg" for g in c.children)
            or any(g.dep_ == "neg" for g in gov.children)
        ):
            return True
    return False


def _abandoned(tok: Token) -> bool:
    """A position noun given up: the object of "reverse", "drop", "abandon" … ("dropped its demand")."""
    return tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_.lower() in _ABANDON


def _no_comment(tok: Token) -> bool:
    """``tok`` declines or refuses to comment, elaborate, be named … (its infinitive says so)."""
    if tok.lemma_.lower() not in ("decline", "refuse"):
        return False
    # "declined to be drawn on the question"
    if any(c.dep_ == "xcomp" and c.lower_ == "drawn" for c in tok.children):
        return True
    comps = [c for c in tok.children if c.dep_ == "xcomp"]
    if not comps:
        return False
    verb = comps[0]
    if verb.lemma_.lower() == "be":  # "declined to be named"
        verb = next((c for c in verb.children if c.dep_ in ("acomp", "attr", "xcomp")), verb)
    passive = next((c for c in verb.children if c.dep_ == "auxpass"), None)
    return verb.lemma_.lower() in _NO_COMMENT_VERBS and (
        passive is None or verb.lemma_.lower() in ("name", "identify")
    )


def _in_condition(tok: Token) -> bool:
    """Whether ``tok`` lies in an "if"/"unless"/"whether" clause: what someone would do in a case."""
    cur = tok
    for _ in range(4):
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in cur.children):
            return True
        if cur.dep_ not in ("conj", "xcomp", "ccomp") or cur.head is cur:
            return False
        cur = cur.head
    return False


def _first_person(tok: Token) -> bool:
    """ "we", "us", "I": the speaker — not "the US", whose lower case is "us"."""
    return tok.lower_ in _FIRST_PERSON and tok.pos_ == "PRON"


def _actor_like(tok: Token, mentions: Sequence[Mention]) -> bool:
    if tok.ent_type_ in _TIME_ENTS:
        return False  # "Thursday", "next week": never who holds a view
    if _mention_at(tok, mentions) is not None:
        return True
    low = tok.lower_
    if low in _PERSONAL or low in _FIRST_PERSON or low in ("his", "her", "their", "our"):
        return True
    if low in ("it", "its"):  # only when it stands for an actor named just before
        return _resolve_pronoun(tok, mentions, ()) is not None
    if tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    return tok.lemma_.lower() in _ACTOR_NOUNS or low in _ACTOR_NOUNS


def _resolve_pronoun(
    tok: Token, mentions: Sequence[Mention], statements: Sequence[Statement]
) -> tuple[Offsets, str] | None:
    """The antecedent of a third-person singular pronoun: a statement's, else the nearest person."""
    for st in statements:
        if st.speaker == (tok.idx, tok.idx + len(tok)) and st.speaker_antecedent is not None:
            s, e = st.speaker_antecedent
            return (s, e), tok.doc.text[s:e]
    low = tok.lower_
    if low not in ("he", "she", "him", "her", "it", "its", "his"):
        return None
    person = low in ("he", "she", "him", "her", "his")
    if person:
        # "Nawrocki told TV Republika that he would oppose …": in reported speech "he" is the speaker
        for st in statements:
            if (
                st.content[0] <= tok.idx < st.content[1]
                and st.speaker is not None
                and st.speaker_kind in ("named", "pronoun")
                and not st.partial
                # … unless a person named earlier in what is reported is nearer ("said Putin was ready
                # but he would reject …")
                and not any(
                    m.label == "PERSON" and st.content[0] <= m.start and m.end <= tok.idx for m in mentions
                )
            ):
                (hs, he), holder_text = _speaker_holder(tok.doc.text, st, mentions)
                return (hs, he), holder_text if holder_text is not None else tok.doc.text[hs:he]
    best: Mention | None = None
    for m in mentions:
        if m.end > tok.idx or m.kind == "demonym" or tok.idx - m.end > (1500 if person else 300):
            continue
        if (m.label == "PERSON") != person or m.label == "LOC":
            continue
        if not person:  # "it"/"its" stands for a subject or possessor, not any name in a phrase
            span = tok.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or span.root.dep_ not in ("nsubj", "nsubjpass", "poss"):
                continue
        if best is None or m.start > best.start:
            best = m
    if best is None:
        return None
    return (best.start, best.end), best.text


def _plural_antecedent(tok: Token, mentions: Sequence[Mention]) -> tuple[Offsets, str] | None:
    """What "they"/"their" stands for: the nearest plural subject naming actors before it, in its
    sentence or the one before ("the operators had refused to raise their offer" → the operators)."""
    doc = tok.doc
    start = tok.sent.start
    if start > 0:
        start = doc[start - 1].sent.start
    best: Token | None = None
    for t in doc[start : tok.i]:
        if (
            t.dep_ in ("nsubj", "nsubjpass")
            and t.tag_ in ("NNS", "NNPS")
            and (
                _mention_at(t, mentions) is not None
                or t.lemma_.lower() in _ACTOR_NOUNS
                or t.lower_ in _ACTOR_NOUNS
                or t.lemma_.lower() in _GROUP_NOUNS
            )
        ):
            best = t
    if best is None:
        return None
    left = min((c.i for c in best.children if c.dep_ in ("det", "amod", "compound", "poss")), default=best.i)
    left = min(left, best.i)
    span = (doc[left].idx, best.idx + len(best.text))
    return span, doc.text[span[0] : span[1]]


# plural nouns of people or bodies besides the actor nouns: "the operators", "the employers"
_GROUP_NOUNS = frozenset(
    "operator employer worker company firm bank investor producer member protester rebel troop force "
    "negotiator mediator regulator lender creditor airline carrier".split()
)


def _described_speaker(doc: Doc, st: Statement, mentions: Sequence[Mention]) -> bool:
    """Whether a statement is what the writer says some unnamed thing believes, in a relative clause on
    an indefinite noun ("a regime that still believes …"): a description, no one's position."""
    if st.cue is None or st.speaker_kind != "nominal" or st.speaker_antecedent is not None:
        return False  # an anonymous source ("an official who said …") still speaks
    cue = doc.char_span(st.cue[0], st.cue[1], alignment_mode="expand")
    return cue is not None and _describes_indefinite(cue.root, mentions)


def _describes_indefinite(verb: Token, mentions: Sequence[Mention]) -> bool:
    """Whether ``verb`` heads a relative clause on an indefinite noun that names no actor ("a regime
    that still believes …")."""
    head = verb.head
    return (
        verb.dep_ == "relcl"
        and _mention_at(head, mentions) is None
        and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in head.children)
    )


def _coordinated(subj: Token) -> list[Token]:
    """The other members of a list ``subj`` heads: its conjuncts, and a name the parser made its
    apposition when the list goes on ("Keir Starmer, Emmanuel Macron and Friedrich Merz": Macron is
    parsed as an apposition of Starmer, Merz as Macron's conjunct)."""
    out = list(subj.conjuncts)
    for a in subj.children:
        if a.dep_ == "appos" and a.pos_ == "PROPN" and a.conjuncts:
            out.extend([a, *a.conjuncts])
    return sorted({t.i: t for t in out}.values(), key=lambda t: t.i)


_LIST_GAP = re.compile(r"^(?:\s*,\s*|\s*,?\s+(?:and|&)\s+)$")


def _co_speakers(text: str, st: Statement, mentions: Sequence[Mention], first: Offsets) -> list[Offsets]:
    """The other names of a speaker phrase that is a list of them ("Keir Starmer, Emmanuel Macron and
    Friedrich Merz said …"): same-label actor mentions joined only by commas and "and"."""
    if st.speaker is None or st.speaker_antecedent is not None:
        return []
    s, e = st.speaker
    names = sorted(
        (m for m in mentions if s <= m.start and m.end <= e and m.kind == "name"), key=lambda m: m.start
    )
    if len(names) < 2 or (names[0].start, names[0].end) != first:
        return []
    if any(m.label != names[0].label for m in names) or any(
        not _LIST_GAP.match(text[a.end : b.start]) for a, b in zip(names, names[1:], strict=False)
    ):
        return []
    return [(m.start, m.end) for m in names[1:]]


def _speaker_holder(text: str, st: Statement, mentions: Sequence[Mention]) -> tuple[Offsets, str | None]:
    """A statement's speaker as a holder: its antecedent for a pronoun, else the first person, or the
    first actor, mentioned inside the speaker phrase ("Michael Kofman, a senior fellow at …" → "Michael
    Kofman", "U.S. President Donald Trump" → "Donald Trump")."""
    assert st.speaker is not None
    s, e = st.speaker_antecedent if st.speaker_antecedent is not None else st.speaker
    # a role phrase ("the Vermont senator") names a person, never the place or body modifying the role
    people_only = st.speaker_antecedent is None and st.speaker_kind == "nominal"
    inside = [m for m in mentions if s <= m.start and m.end <= e and m.kind != "demonym"]
    # a person named in the phrase is the speaker: "U.S. President Donald Trump" is Trump, not the U.S.
    for m in sorted(inside, key=lambda m: m.label != "PERSON"):
        if not people_only or m.label == "PERSON":
            return (m.start, m.end), m.text
    return (s, e), text[s:e] if st.speaker_antecedent is not None else st.speaker_text


def _negated(tok: Token, sent: Span) -> bool:
    heads = [tok]
    if tok.dep_ in ("acomp", "xcomp", "oprd") and tok.head is not tok:
        heads.append(tok.head)
    for h in heads:
        for c in h.children:
            if not sent.start <= c.i < sent.end:
                continue
            if c.dep_ == "neg" or (
                c.lower_ in _NEG_WORDS and c.i < tok.i and c.dep_ in ("punct", "advmod", "det")
            ):
                return True
    if tok.pos_ == "NOUN" and any(c.lower_ == "no" for c in tok.children):
        return True
    # "offering no meaningful proposals"
    for c in tok.children:
        if c.dep_ == "dobj" and any(g.lower_ == "no" and g.dep_ == "det" for g in c.children):
            return True
    # "no indication that he is ready to …", "no intention of …"
    cur = tok
    for _ in range(4):
        if cur.head is cur or not sent.start <= cur.head.i < sent.end:
            break
        cur = cur.head
        if cur.pos_ == "NOUN" and any(c.lower_ == "no" and c.dep_ == "det" for c in cur.children):
            return True
    return False


def _hedged(tok: Token, *, negated: bool = False, reported: bool = False) -> bool:
    """Whether a hedge ("may", "unlikely", "could") softens the trigger; a negated "could"/"would" is
    no hedge but a refusal ("could not accept", "would not sign"), and in reported speech ``reported``
    "would" is a "will" put in the past ("told TV that he would oppose sending troops")."""
    cur = tok
    hedge: str | None = None
    for _ in range(4):
        hedge = next((c.lower_ for c in cur.children if c.lower_ in _HEDGES and c.i < tok.i), None)
        if hedge is None and cur.lower_ in _HEDGES and cur is not tok:
            hedge = cur.lower_
        if hedge is not None or cur.dep_ not in ("xcomp", "acomp", "conj") or cur.head is cur:
            break
        cur = cur.head
    if hedge is None and cur.lower_ in _HEDGES and cur is not tok:
        hedge = cur.lower_
    if hedge == "would" and reported:
        return False
    return hedge is not None and not (negated and hedge in ("could", "would"))


def _scope(tok: Token, subject: Token | None, sent: Span) -> frozenset[int]:
    """Token indices of a trigger's clause: its subtree to the right of it, without conjoined clauses
    that have their own subject, parataxis, or the subject."""
    drop: set[int] = set()
    cut = sent.end
    for c in tok.children:
        own_subject = any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
        # "Germany pushed for a deal, while France insisted …": a contrasted clause is another's position
        contrast = c.dep_ == "advcl" and any(
            g.dep_ == "mark" and g.lower_ in _CONTRAST_MARKS for g in c.children
        )
        if (
            c.dep_ in _CLAUSE_CUT
            or (c.dep_ == "conj" and own_subject and c.pos_ in ("VERB", "AUX"))
            or (contrast and own_subject)
        ):
            drop.update(t.i for t in c.subtree)
            if contrast and c.i > tok.i:
                cut = min(cut, c.left_edge.i)
    if subject is not None:
        drop.update(t.i for t in subject.subtree if t.i < tok.i)
    drop.discard(tok.i)
    first = tok.i
    if tok.pos_ == "NOUN":  # "maximalist territorial demands": the modifiers say what is demanded
        mods = [c.left_edge.i for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i]
        first = min([tok.i, *mods])
    end = min(cut, sent.end)
    return frozenset(t.i for t in tok.subtree if t.i >= first and t.i not in drop and sent.start <= t.i < end)


_EDGE_WORDS = frozenset({"and", "or", "but", "nor"})


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    def edge(t: Token) -> bool:
        return t.is_punct or t.is_space or t.lower_ in _EDGE_WORDS

    while start < end and edge(doc[start]):
        start += 1
    while end > start and edge(doc[end - 1]):
        end -= 1
    return start, end


def _char_span(doc: Doc, start: int, end: int) -> Offsets:
    s, e = _trim(doc, start, end)
    if s >= e:
        return doc[start].idx, doc[start].idx + len(doc[start])
    return doc[s].idx, doc[e - 1].idx + len(doc[e - 1])


def _sentence_span(sent: Span) -> Offsets:
    """A sentence's offsets without surrounding whitespace (final punctuation kept)."""
    raw = sent.text
    start = sent.start_char + (len(raw) - len(raw.lstrip()))
    return start, max(start, sent.start_char + len(raw.rstrip()))


def _sentences(doc: Doc) -> list[Span]:
    """spaCy's sentences, also cut at line breaks (a headline is not part of the first sentence)."""
    out: list[Span] = []
    for sent in doc.sents:
        start = sent.start
        for t in sent:
            if t.is_space and "\n" in t.text and t.i > start:
                out.append(doc[start : t.i + 1])
                start = t.i + 1
        if start < sent.end:
            out.append(doc[start : sent.end])
    return [s for s in out if any(not t.is_space for t in s)]


def _question(sent: Span) -> bool:
    """Whether ``sent`` is a direct question: it ends with "?" (before any closing quotation mark)."""
    return sent.text.rstrip().rstrip("\"”’'").rstrip().endswith("?")


def _is_headline(sent: Span) -> bool:
    text = sent.text.strip()
    if not text or text[-1] in ".?!”\"’'…:":
        return False
    words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", text)]
    if len(words) < 3:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.6


def _regex_stance(text: str, lex: _Lexicon, order: Sequence[str] = _STANCE_ORDER) -> str | None:
    if _NEVER_REJECT.search(text) and "rejection" in order:
        return "rejection"
    for name in order:
        for rx in lex.regex.get(name, ()):
            if rx.search(text):
                return name
    return None


def _adjust(
    stance: str, *, negated: bool, hedged: bool, clause_text: str, lex: _Lexicon, cue_lemma: str = ""
) -> str:
    if negated:
        if stance in ("demand", "offer"):
            stance = "rejection"
        elif stance == "rejection":
            stance = "stance"
    if hedged and stance in ("demand", "offer", "rejection"):
        stance = "stance"
    # "insisted it was 'not correct'", "said Ukraine will never cede": a declared refusal
    if (stance == "stance" or cue_lemma == "insist") and _regex_stance(clause_text, lex, ("rejection",)):
        stance = "rejection"
    if stance in ("demand", "offer", "stance") and _regex_stance(clause_text, lex, ("condition",)):
        stance = "condition"
    return stance


def _content_pieces(doc: Doc, start: int, end: int) -> list[Offsets]:
    """A statement's content cut at its sentence boundaries (one piece for a one-sentence content)."""
    pieces: list[Offsets] = []
    for sent in doc.sents:
        if sent.start_char < end and start < sent.end_char:
            a, b = max(start, sent.start_char), min(end, sent.end_char)
            while a < b and doc.text[a].isspace():
                a += 1
            while b > a and doc.text[b - 1].isspace():
                b -= 1
            if a < b:
                pieces.append((a, b))
    return pieces or [(start, end)]


def _segments(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """Token ranges of a clause listing parallel verb phrases ("surrender X, renounce Y, and adopt Z")."""
    cuts = [start]
    i = start
    while i < end:
        t = doc[i]
        if t.text in (",", ";") and i + 1 < end:
            j = i + 1
            if doc[j].lower_ in ("and", "or") and j + 1 < end:
                j += 1
            nxt = doc[j]
            if nxt.tag_ in ("VB", "VBP") or (nxt.lower_ == "to" and j + 1 < end and doc[j + 1].tag_ == "VB"):
                cuts.append(i)
                i = j
                continue
        i += 1
    cuts.append(end)
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def _issues_in(matches: Sequence[IssueMatch], start: int, end: int) -> list[str]:
    out: list[str] = []
    for m in matches:
        if start <= m.start < end and m.issue not in out:
            out.append(m.issue)
    return out


def _content(lemma: str, text: str) -> str:
    words = " ".join(text.split()).strip(" \"“”‘’'.,;:—–-").split()
    lead = lemma.split() if lemma else []
    if lead and words and words[0].lower() == lead[-1]:
        words = words[1:]
    return " ".join([*lead, *words][:MAX_CONTENT_WORDS])


# ------------------------------------------------------------------------------------------ the stage


# verbs of a meeting's or a trip's schedule (not "end", "continue", "take": "the war will end soon",
# "strikes will continue" and "Russia will take the city" tell a view)
_SCHEDULE_VERBS = frozenset(
    "meet reconvene convene resume hold begin start lead head gather travel visit arrive".split()
)
_SCHEDULE_FRAMES = frozenset("set due schedule plan expect slate".split())


def _scheduled_report(doc: Doc, start: int, end: int) -> bool:
    """Whether a reported clause only tells what others are to do and when: a meeting, talks
    resuming, a delegation led by someone ("Senior officials will meet in Geneva on Sunday", "the
    talks are set to resume on April 8"), its subject a noun (not "we", "he": an intention)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    due_at = False
    if root.lemma_.lower() == "be":
        # "the envoy is due in Kyiv on Friday": the frame is the copula's complement
        root = next(
            (c for c in root.children if c.dep_ in ("acomp", "attr") and c.lower_ in _SCHEDULE_FRAMES), root
        )
    if root.lemma_.lower() in _SCHEDULE_FRAMES:
        xcomp = next((c for c in root.children if c.dep_ == "xcomp"), None)
        # "Witkoff was expected in Moscow early next week": due somewhere, no verb of its own
        due_at = xcomp is None and any(c.dep_ == "prep" and c.lower_ in ("in", "at") for c in root.children)
        root = xcomp if xcomp is not None else root
    place = due_at or (
        root.lemma_.lower() == "take" and any(c.dep_ == "dobj" and c.lower_ == "place" for c in root.children)
    )
    if not due_at and (
        root.pos_ not in ("VERB", "AUX") or not (place or root.lemma_.lower() in _SCHEDULE_VERBS)
    ):
        return False
    if any(c.dep_ == "neg" for t in {root, span.root} for c in t.children):
        return False  # "the talks will not resume until …" tells a stance
    subjects = [c for c in span.root.children if c.dep_ in ("nsubj", "nsubjpass")]
    return bool(subjects) and all(c.pos_ in ("NOUN", "PROPN") for c in subjects)


# verbs of force and its toll: a clause reporting one of them done tells what happened, not a stance
_ACT_VERBS = frozenset(
    "attack strike bomb shell launch fire kill injure wound hit damage destroy down intercept shoot "
    "target pound".split()
)


def _act_reported(doc: Doc, start: int, end: int) -> bool:
    """Whether a reported clause tells an act of force done, in the past, by or to someone named by a
    noun ("Russian forces attacked Ukraine with 412 drones", "three civilians were killed"): what
    happened, which the timeline and the figures keep; no position."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    if root.pos_ != "VERB" or root.lemma_.lower() not in _ACT_VERBS:
        return False
    aux = {c.lower_ for c in root.children if c.dep_ in ("aux", "auxpass")}
    past = root.tag_ == "VBD" or (root.tag_ == "VBN" and bool(aux & {"was", "were", "had", "has", "have"}))
    if not past or any(c.dep_ == "neg" for c in root.children):
        return False
    subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
    return bool(subjects) and all(c.pos_ in ("NOUN", "PROPN") for c in subjects)


def find_positions(
    text: str,
    *,
    statements: Sequence[Statement],
    mentions: Sequence[Mention] = (),
    nlp_doc: Doc | None = None,
    taxonomy: Taxonomy | None = None,
) -> list[Position]:
    """Every position stated in ``text`` (see the module docstring for the cascade)."""
    tax = taxonomy or load_taxonomy()
    if nlp_doc is None:
        from .nlp import get_nlp

        nlp_doc = get_nlp()(text)
    doc = nlp_doc
    lex = _lexicon(tax)
    units: list[_Unit] = []
    co_holders: list[tuple[_Unit, _Unit]] = []  # (a unit, the same held by its subject's conjunct)
    headline_sents: list[Offsets] = []

    def statement_at(i: int) -> tuple[int, Statement] | None:
        # the innermost: a speaker's words relayed inside another's report ("He called it …,
        # according to Xinhua") are the speaker's
        found = [
            (st.content[1] - st.content[0], k, st)
            for k, st in enumerate(statements)
            if not st.partial and st.content[0] <= i < st.content[1]
        ]
        if not found:
            return None
        _, k, st = min(found, key=lambda f: (f[0], f[1]))
        return k, st

    for sent in _sentences(doc):
        sent_span = _sentence_span(sent)
        if _is_headline(sent):
            headline_sents.append(sent_span)
            continue
        if _question(sent):
            continue  # "Is this what Europe wants to reward?", "Will Russia accept a ceasefire?": asked
        cands: list[_Unit] = []
        silences = [
            {t.i for c in tok.children if c.dep_ == "xcomp" for t in c.subtree}
            for tok in sent
            if _no_comment(tok)
        ]
        for tok in sent:
            trig = _trigger(tok, lex)
            if trig is None:
                continue
            stance, cue_lemma = trig
            if _no_comment(tok) or any(tok.i in silent for silent in silences):
                continue  # "a spokeswoman declined to comment (on the proposal)": no stance on anything
            if _abandoned(tok):
                continue  # "reversing Tehran's refusal of a month ago": a stance given up, not held
            if _denied_claim(tok):
                continue  # "it was not correct to claim Putin had rejected the plan": no one's stance
            subj, source = _holder_token(tok)
            if subj is not None and not sent.start <= subj.i < sent.end:
                # a parse across a line break: a conjunct inside the sentence, else no subject
                subj = next((c for c in subj.conjuncts if sent.start <= c.i < sent.end), None)
            inside = statement_at(tok.idx)
            if inside is not None and inside[1].cue is not None:
                cue_s, cue_e = inside[1].cue
                if cue_s <= tok.idx < cue_e:
                    inside = None  # the statement's own cue: its subject holds the position
            holder: Offsets | None = None
            holder_text: str | None = None
            stmt_index: int | None = None
            if subj is None and tok.pos_ == "NOUN":
                continue  # "the proposal … was not correct": a position noun as a topic, not a stance
            if _in_condition(tok):
                continue  # "troops would keep advancing if Kyiv rejected it": a hypothesis, no stance
            if subj is not None and subj.i == tok.head.i and _describes_indefinite(tok, mentions):
                continue  # "against a regime that still believes conquest is a right": a description
            if (
                subj is not None
                and _mention_at(subj, mentions) is None
                and any(c.dep_ == "aux" and c.lower_ == "can" for c in tok.children)
                and not _negated(tok, sent)
            ):
                continue  # "The president can veto legislation": a power of an office, no one's stance
            # "Kyiv maintains Russia must agree to a ceasefire": the speaker demands it
            must = any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in tok.children)
            if inside is not None and must and (subj is None or not _first_person(subj)):
                stance = "demand"
            use_speaker = inside is not None and (
                must
                or subj is None
                or _first_person(subj)
                # "Hemedti said his forces were ready …", "Li said his country was ready …": the
                # speaker's own side (a possessive's noun that names no actor of its own)
                or (
                    _mention_at(subj, mentions) is None
                    and subj.pos_ == "NOUN"
                    and any(c.dep_ == "poss" and c.lower_ in _OWN_POSSESSIVES for c in subj.children)
                )
                or (
                    stance == "stance"
                    and tok.lemma_.lower() in _SPEAKER_VIEW_VERBS
                    and inside[1].cue_lemma != "according to"
                )
            )
            if inside is not None and use_speaker:
                k, st = inside
                if st.speaker is None:
                    continue
                stmt_index = k
                holder, holder_text = _speaker_holder(text, st, mentions)
                source = "speaker"
            elif subj is not None and _actor_like(subj, mentions):
                if inside is None and _told_to(tok, subj):
                    continue  # "Putin must agree to a ceasefire": the writer's demand on him, not his offer
                holder = _holder_span(subj, mentions)
                holder_text = text[holder[0] : holder[1]]
                if subj.lower_ in ("he", "she", "it", "him", "her", "his", "its"):
                    resolved = _resolve_pronoun(subj, mentions, statements)
                    if resolved is not None:
                        holder, holder_text = resolved
                elif subj.lower_ in ("they", "their", "them"):
                    resolved = _plural_antecedent(subj, mentions)
                    if resolved is not None:
                        holder, holder_text = resolved
                if inside is not None:
                    stmt_index = inside[0]
            else:
                continue
            scope = _scope(tok, subj, sent)
            last = max(scope)
            # "reiterated demands: that …": the list after a colon is the content
            if last + 1 < sent.end and doc[last + 1].text == ":":
                scope = scope | frozenset(range(last + 1, sent.end))
                last = sent.end - 1
            clause = _char_span(doc, min(scope), last + 1)
            negated = _negated(tok, sent)
            # a condition may hang on the governing verb: "is ready to … only if …"
            rest = text[clause[0] : sent_span[1]]
            stance = _adjust(
                stance,
                negated=negated,
                hedged=_hedged(tok, negated=negated, reported=inside is not None),
                clause_text=rest,
                lex=lex,
                cue_lemma=tok.lemma_.lower(),
            )
            unit = _Unit(
                sent=sent_span,
                clause=clause,
                stance=stance,
                holder=holder,
                holder_text=holder_text,
                holder_source=source,
                cue=(tok.idx, tok.idx + len(tok)),
                cue_text=tok.text,
                cue_lemma=cue_lemma,
                negated=negated,
                statement=stmt_index,
                scope=scope,
            )
            cands.append(unit)
            if source == "subject" and subj is not None and holder is not None and stmt_index is None:
                # "The United States and China agreed to cut tariffs": each holds the position
                for conj in _coordinated(subj):
                    named = _mention_at(conj, mentions) is not None
                    if conj.i > subj.i and named and _actor_like(conj, mentions):
                        co_span = _holder_span(conj, mentions)
                        co_holders.append(
                            (unit, replace(unit, holder=co_span, holder_text=text[co_span[0] : co_span[1]]))
                        )
        # the widest clause first; a trigger inside an accepted clause belongs to it
        cands.sort(key=lambda u: (-len(u.scope), u.clause[0]))
        accepted: list[_Unit] = []
        for u in cands:
            assert u.cue is not None
            if any(u.cue[0] in {doc[i].idx for i in a.scope} for a in accepted):
                continue
            accepted.append(u)
        units.extend(accepted)
        units.extend(co for main, co in co_holders if any(main is a for a in accepted))
        co_holders.clear()

    # statements no trigger covers: the speaker holds the position
    matches = tax.find(text, doc=doc)
    # what someone declines to comment on ("declined to comment on the proposal")
    silent_tokens = {
        t.i for tok in doc if _no_comment(tok) for c in tok.children if c.dep_ == "xcomp" for t in c.subtree
    }
    # the innermost statement first: words relayed inside another's report ("X called it …,
    # according to Y", "the Kremlin said Putin warned that …") are their speaker's position
    by_width = sorted(enumerate(statements), key=lambda ks: (ks[1].content[1] - ks[1].content[0], ks[0]))
    for k, st in by_width:
        if st.partial or st.speaker is None:
            continue
        if st.speaker_kind not in ("named", "pronoun", "anonymous", "institution"):
            head = doc.char_span(st.speaker[0], st.speaker[1], alignment_mode="expand")
            if head is None or not _actor_like(head.root, mentions):
                continue
        pieces = _content_pieces(doc, *st.content)
        for cs, ce in pieces:
            # each sentence of a long quote no trigger covers: "Ukraine will never give up its land.
            # We are ready for a ceasefire …" holds a rejection besides the offer
            if len(text[cs:ce].split()) < 3:
                continue
            if any(u.clause[0] < ce and cs < u.clause[1] for u in units):
                continue
            if any(h[0] <= cs < h[1] for h in headline_sents):
                continue
            if len(pieces) > 1:
                sent_range = (cs, ce)
            elif st.sentence != (0, 0):
                sent_range = (min(st.sentence[0], cs), max(st.sentence[1], ce))
            else:
                sent_range = (cs, ce)
            clause_text = text[cs:ce]
            if _described_speaker(doc, st, mentions):
                continue  # "against a regime that still believes conquest is a right": a description
            if _QUESTION.match(clause_text):
                continue  # "watching whether Trump will ramp up pressure", "asked whether …": a question
            cue_tok = doc.char_span(*st.cue, alignment_mode="expand") if st.cue else None
            if clause_text.rstrip().rstrip("\"”’'").rstrip().endswith("?") or (
                cue_tok is not None and _question(cue_tok.root.sent)
            ):
                continue  # "Is this what Europe wants to reward?", "“Why would we accept?” he asked"
            if cue_tok is not None and (_no_comment(cue_tok.root) or cue_tok.root.i in silent_tokens):
                continue  # "declined to comment on the proposal": silence, no stance
            if cue_tok is not None and _in_condition(cue_tok.root):
                continue  # "if Europe wants to matter, it must …": a hypothesis, nobody's stance
            if cue_tok is not None and _abandoned(cue_tok.root):
                continue  # "Russia dropped its demand for a buffer zone": a stance given up
            if cue_tok is not None and _denied_claim(cue_tok.root):
                continue  # "not correct to claim Putin had rejected the plan": a claim denied
            stance_name: str | None = None
            lemma = (st.cue_lemma or "").lower()
            if lemma in lex.verbs:
                # "called for talks" demands; "called the decision a blow" judges: the particle decides
                forms = lex.verbs[lemma]
                stance_name = forms.get("") or forms.get(_cue_particle(doc, st.cue) or "")
            cued = stance_name is not None
            if stance_name is None or stance_name == "stance":
                found = _regex_stance(clause_text, lex)
                cued = cued or found is not None
                stance_name = found or stance_name or "stance"
            if not cued and not _issues_in(matches, *sent_range):
                continue  # a report of fact ("4,500 tractors took part"): no stance word, no issue
            if not cued and _scheduled_report(doc, cs, ce):
                continue  # "officials will meet in Geneva on Sunday": a schedule reported, no stance
            if not cued and _act_reported(doc, cs, ce):
                continue  # "Russian forces attacked Ukraine with 412 drones": a fact reported, no stance
            stance_name = _adjust(stance_name, negated=False, hedged=False, clause_text=clause_text, lex=lex)
            holder, holder_text = _speaker_holder(text, st, mentions)
            units.append(
                _Unit(
                    sent=sent_range,
                    clause=(cs, ce),
                    stance=stance_name,
                    holder=holder,
                    holder_text=holder_text,
                    holder_source="speaker",
                    cue=st.cue,
                    cue_text=text[st.cue[0] : st.cue[1]] if st.cue else None,
                    cue_lemma=lemma if lemma in lex.verbs else "",
                    statement=k,
                )
            )
            # "Keir Starmer, Emmanuel Macron and Friedrich Merz said …": each of them holds it
            for co in _co_speakers(text, st, mentions, holder):
                units.append(replace(units[-1], holder=co, holder_text=text[co[0] : co[1]]))
    if not units:
        return []
    return _to_positions(text, doc, units, matches)


def _to_positions(
    text: str, doc: Doc, units: Sequence[_Unit], matches: Sequence[IssueMatch]
) -> list[Position]:
    out: list[Position] = []
    seen: set[tuple[Offsets, str, str]] = set()
    for u in sorted(units, key=lambda u: (u.sent[0], u.clause[0])):
        parts = [u.clause]
        span = doc.char_span(u.clause[0], u.clause[1], alignment_mode="expand")
        if span is not None:
            segs = _segments(doc, span.start, span.end)
            if len(segs) > 1:
                seg_spans = [_char_span(doc, a, b) for a, b in segs]
                firsts = [_issues_in(matches, s, e)[:1] for s, e in seg_spans]
                distinct = {f[0] for f in firsts if f}
                if len(distinct) > 1:
                    parts = []
                    for (s, e), f in zip(seg_spans, firsts, strict=True):
                        if f or not parts:
                            parts.append((s, e))
                        else:
                            parts[-1] = (parts[-1][0], e)
        for cs, ce in parts:
            # the content drops the cue word itself, which the lemma stands for
            lemma = u.cue_lemma
            if u.cue is not None and lemma and cs == u.cue[0]:
                body = text[u.cue[1] : ce]
            else:  # "maximalist territorial demands": the phrase as written
                body, lemma = text[cs:ce], "" if u.cue is not None and cs < u.cue[0] < ce else lemma
            if not body.strip(" \"“”‘’'.,;:—–-") and u.cue is not None:
                body = text[u.cue[1] : u.sent[1]]  # a parse that left the cue bare: the rest of the sentence
            in_clause = _issues_in(matches, cs, ce)
            in_sent = _issues_in(matches, u.sent[0], u.sent[1])
            ranked = in_clause + [i for i in in_sent if i not in in_clause]
            issue = ranked[0] if ranked else FALLBACK
            alt = tuple(i for i in ranked[1:] if i != issue)
            key = (u.sent, (u.holder_text or "").casefold(), issue)
            if key in seen:
                continue
            content = _content(lemma, body)
            if issue == FALLBACK and len(_CONTENT_WORD.findall(content)) <= 1:
                continue  # "Russia has hardened its position": on no issue, about nothing said
            seen.add(key)
            out.append(
                Position(
                    start=u.sent[0],
                    end=u.sent[1],
                    issue=issue,
                    stance=u.stance,
                    content=content,
                    clause=(cs, ce),
                    holder=u.holder,
                    holder_text=u.holder_text,
                    holder_source=u.holder_source,
                    cue=u.cue,
                    cue_text=u.cue_text,
                    alt_issues=alt,
                    negated=u.negated,
                    statement=u.statement,
                )
            )
    return out
