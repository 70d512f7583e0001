"""Actor mentions in one article: spaCy's entities, repaired, relabelled and completed.

:func:`find_mentions` is a pure function of the text (plus the gazetteer and the article's date):
the same input always gives the same mentions. It runs a cascade, each stage documented here:

1. **candidates** from spaCy's ``doc.ents`` (PERSON, ORG, GPE, LOC, NORP, FAC);
2. **span repair**: split on line breaks and glued words ("Vladimir PutinDonald Trump"), keep the
   possessor of an inner possessive ("Putin’s Maximalist" → "Putin"), strip trailing possessives and
   punctuation, a leading "the", leading honorifics and titles ("Mr", "President"), split "Witkoff and
   Kushner", split a span made of several gazetteer names ("Ukraine NATO"), merge "Vladimir" +
   "Putin";
3. **headline fragments**: an unknown multi-word ORG/PERSON on a title-cased line that contains a verb
   (found by re-tagging the line in lower case: "Putin Rejects Concessions") is dropped;
4. **gazetteer relabelling**: a known country, place or capital is GPE/LOC, a known person PERSON,
   a known institution ORG (kind ``institution``), an adjective or demonym NORP (kind ``demonym``),
   whatever spaCy said;
5. **titles**: "the Russian president", "the Kremlin chief", "Ukraine’s foreign minister" become
   ``title`` mentions resolved by ``gazetteer.holder(role, published)`` (unresolved when the date is
   unknown; the normalized role phrase stays in :attr:`Mention.role` for the linker); a title before a
   name ("Russian President Vladimir Putin", "presidential adviser Yuri Ushakov", "lead negotiator,
   Rustem Umerov") makes the name a PERSON and gives it the role;
6. **additions**: capitalized n-grams spaCy missed that are gazetteer names or institutions;
7. **surnames**: a lone surname refers to the article's only full name ending with it ("Putin" after
   "Vladimir Putin", "Mr Trump"), and takes its label; uncovered occurrences of such surnames are
   added;
8. **label voting**: one name (``ref_key``) has one label per article: the gazetteer's, else the
   majority weighted by confidence.

Pronouns are not mentions here (see :mod:`storyline.analyze.quotes`).
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..cities import city
from ..gazetteer import TITLES, Entry, Gazetteer, normalize
from ..meta import dateline_places
from .timex_lexicon import MONTH_NAMES, WEEKDAYS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["KINDS", "LABELS", "Mention", "find_mentions", "name_key"]

LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "LOC", "NORP")
KINDS: tuple[str, ...] = ("name", "title", "institution", "demonym")


@dataclass(frozen=True, kw_only=True, slots=True)
class Mention:
    """One mention of an actor in an article's text: ``text == article_text[start:end]``.

    ``kind`` is ``name`` ("Vladimir Putin"), ``title`` ("the Russian president"), ``institution``
    ("the Kremlin") or ``demonym`` (NORP: "Ukrainian"; not an actor, the linker gives its country as
    an affiliation). ``key`` is the normalized surface form (no diacritics, casefolded, no possessive,
    no honorific); ``ref_key`` the normalized name the mention stands for in this article ("Putin"
    after "Vladimir Putin" → ``"vladimir putin"``); for titles both are the role phrase. ``role`` is
    the normalized role phrase of a title mention, or the title written before a name ("russian
    president" for "Russian President Vladimir Putin"), with its span in ``role_start``/``role_end``.
    ``entity_hint`` is a gazetteer id when resolved in the article (a capital's hint is its country:
    "Kyiv" → ``ukraine``). ``confidence`` is a heuristic score: 0.95 gazetteer name, 0.85 resolved
    title or surname linked to a full name, 0.7/0.6 spaCy's multi-/one-word name, 0.5 unresolved
    title or a label changed by the article's vote.
    """

    start: int
    end: int
    text: str
    label: str
    kind: str = "name"
    key: str = ""
    ref_key: str = ""
    entity_hint: str | None = None
    confidence: float = 0.5
    role: str | None = None
    role_start: int | None = None
    role_end: int | None = None


# --------------------------------------------------------------------------- normalization

_HONORIFICS = (
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "prime minister",
    "chancellor",
    "premier",
    "minister",
    "secretary",
    "senator",
    "sen",
    "rep",
    "gov",
    "governor",
    "gen",
    "general",
    "col",
    "colonel",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "ambassador",
    "envoy",
    "spokesman",
    "spokeswoman",
    # company titles: spaCy takes "Executive Kelly Ortberg" for one name after "Chief"
    "chief executive",
    "executive",
    "ceo",
    "chairman",
    "chairwoman",
    "chair",
)
_HONORIFIC_RE = re.compile(r"^(?:(?:" + "|".join(sorted(_HONORIFICS, key=len, reverse=True)) + r")\.?\s+)+")


def name_key(text: str, *, label: str = "PERSON") -> str:
    """The normalized key of a name: NFKC, diacritics folded, casefolded, no possessive, no leading
    "the" and, for people, no honorific ("Mr Trump’s" → "trump")."""
    k = normalize(unicodedata.normalize("NFKC", text))
    if label == "PERSON":
        stripped = _HONORIFIC_RE.sub("", k)
        if stripped:
            k = stripped
    return k


# --------------------------------------------------------------------------- candidates


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    label: str
    kind: str = "name"
    conf: float = 0.6
    hint: str | None = None
    fixed: bool = False  # the label comes from the gazetteer (or a title) and does not vote
    linked: bool = False  # a surname linked to a full name in the article
    role: str | None = None
    role_start: int | None = None
    role_end: int | None = None
    ref_key: str | None = None
    split: bool = False  # produced by splitting a spaCy span
    alts: tuple[str, ...] = ()  # ambiguous gazetteer ids
    written: str | None = None  # a title's phrase as written ("russian dictator")


_SPACY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
_POSSESSIVE_END = re.compile(r"(?:[’'`]s|(?<=s)[’'])$")
_INNER_POSSESSIVE = re.compile(r"[’'`]s\s+")
_CAMEL = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z])")
_LEAD_JUNK = re.compile(r"^[\s•·*\-–—:;,.\"“”‘’'()\[\]]+")
_TRAIL_JUNK = re.compile(r"[\s•·*\-–—:;,.\"“”‘’'()\[\]!?]+$")
_ABBREV_END = re.compile(r"(?<![\w.])(?:[A-Za-z]\.){2,}$")  # "U.S." keeps its last dot
_LEAD_THE = re.compile(r"^(?:the|The|THE)\s+")
_AND = re.compile(r"\s+(?:and|&)\s+|\s*,\s+")
_PAIR = re.compile(r"([A-Z][\w’'.]*(?:\s+[A-Z][\w’']+)*)[-–]([A-Z][\w’']+(?:\s+[A-Z][\w’']+)*)")
_SMALL_WORDS = {
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "and", "or", "but", "by", "with", "from",
    "as", "amid", "vs", "over", "into", "after", "despite", "is", "are", "be",
}  # fmt: skip
_LEADER_SYNONYMS = {"dictator": "leader", "strongman": "leader", "autocrat": "leader", "ruler": "leader"}
_EXTRA_TITLE_FORMS = ("leader", "dictator", "strongman", "autocrat", "spokesman", "negotiator", "envoy")
_GENERIC_MODS = {
    "presidential", "special", "lead", "chief", "senior", "top", "deputy", "foreign", "defence",
    "defense", "interior", "finance", "first", "vice", "prime", "national", "security",
}  # fmt: skip
_NOT_CURRENT = {"former", "ex", "ex-", "then", "late", "outgoing", "incoming", "future", "previous"}


def _title_forms() -> list[str]:
    forms: set[str] = set(_EXTRA_TITLE_FORMS)
    for t in TITLES.values():
        for f in t.forms:
            if f.isupper():
                continue  # "PM", "VP": too ambiguous in running text
            forms.add(f.lower())
    return sorted(forms, key=len, reverse=True)


_TITLE_RE = re.compile(
    r"(?<![\w-])("
    + "|".join(re.escape(f).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]+") for f in _title_forms())
    + r")(?![\w-])",
    re.IGNORECASE,
)


class _Ctx:
    def __init__(self, text: str, doc: Doc, gz: Gazetteer | None, published: date | None) -> None:
        self.text = text
        self.doc = doc
        self.gz = gz
        self.published = published
        self.toks = [t for t in doc if not t.is_space]
        self.tok_starts = [t.idx for t in self.toks]
        self.tok_ends = [t.idx + len(t.text) for t in self.toks]
        self._lookups: dict[str, tuple[str, str, str | None, tuple[str, ...]] | None] = {}
        self._verb_lines: dict[int, set[int]] = {}
        # the place of each dateline ("FRANKFURT, March 6 (Reuters) -" → "FRANKFURT"): a place,
        # whatever the model makes of a word in capitals
        self.dateline_places = dateline_places(text)
        # words of the names spaCy found, with the lines they were found on
        self.name_words: dict[str, set[int]] = defaultdict(set)
        for e in doc.ents:
            if e.label_ in ("PERSON", "GPE", "NORP"):
                line = text.rfind("\n", 0, e.start_char) + 1
                for w in e.text.split():
                    if w.isalpha():
                        self.name_words[w].add(line)

    # -- tokens

    def tokens(self, start: int, end: int) -> list[Token]:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return list(span) if span is not None else []

    def token_before(self, pos: int) -> Token | None:
        """The last non-space token ending at or before ``pos``."""
        i = bisect.bisect_right(self.tok_ends, pos) - 1
        return self.toks[i] if i >= 0 else None

    def tokens_from(self, pos: int) -> list[Token]:
        """Non-space tokens starting at or after ``pos`` (at most 8)."""
        i = bisect.bisect_left(self.tok_starts, pos)
        return self.toks[i : i + 8]

    def line_bounds(self, pos: int) -> tuple[int, int]:
        s = self.text.rfind("\n", 0, pos) + 1
        e = self.text.find("\n", pos)
        return s, (len(self.text) if e < 0 else e)

    # -- gazetteer

    def lookup(self, text: str) -> tuple[str, str, str | None, tuple[str, ...]] | None:
        """``(label, kind, entry id or None, ambiguous ids)`` for a gazetteer name, else ``None``."""
        if self.gz is None:
            return None
        k = normalize(text)
        if k in self._lookups:
            return self._lookups[k]
        res = _lookup(self.gz, text)
        self._lookups[k] = res
        return res


def _lookup(gz: Gazetteer, text: str) -> tuple[str, str, str | None, tuple[str, ...]] | None:
    k = normalize(text)
    if not k:
        return None
    entries = gz.by_alias(text)
    country = gz.country(text)
    if country is not None and not any(normalize(n) == k for n in country.names) and not entries:
        if any(normalize(a) == k for a in (*country.adjectives, *country.demonyms)):
            return ("NORP", "demonym", country.id, ())
        return ("GPE", "name", country.id, ())  # a capital: metonymy for the country
    if len(entries) == 1:
        e = entries[0]
        return (e.type, _kind_of(e), e.id, ())
    if entries:
        types = {e.type for e in entries}
        if len(types) == 1:
            return (entries[0].type, _kind_of(entries[0]), None, tuple(e.id for e in entries))
        return None
    inst = gz.institution(text)
    if inst is not None:
        return ("ORG", "institution", inst.id, ())
    return None


def _kind_of(e: Entry) -> str:
    return "institution" if e.type == "ORG" and (e.stands_for or e.affiliation) else "name"


# --------------------------------------------------------------------------- span repair


_REPORTING_END = re.compile(r"\s+(?:Reports?|Says|Said|Reveals?)$")


def _trim(text: str, s: int, e: int, label: str) -> tuple[int, int]:
    while True:
        piece = text[s:e]
        m = _LEAD_JUNK.match(piece) or _LEAD_THE.match(piece)
        if m and m.end() < len(piece):
            s += m.end()
            continue
        m = _TRAIL_JUNK.search(piece)
        if m and m.start() > 0 and not _ABBREV_END.search(piece):
            e = s + m.start()
            continue
        m = _POSSESSIVE_END.search(piece)
        if m and m.start() > 0:
            e = s + m.start()
            continue
        if label == "PERSON":  # not ORG: "General Motors"
            m = _HONORIFIC_RE.match(piece.lower())
            if m and m.end() < len(piece) and piece[m.end() :].strip()[:1].isupper():
                s += m.end()
                continue
        return s, e


def _repair(ctx: _Ctx, start: int, end: int, label: str) -> list[tuple[int, int, bool]]:
    """Repaired ``(start, end, split)`` pieces of one spaCy span."""
    text = ctx.text
    pieces: list[tuple[int, int, bool]] = []
    parts = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^\n•]+", text[start:end])]
    multi = len(parts) > 1
    for ps, pe in parts:
        cuts = [ps] + [ps + m.start() for m in _CAMEL.finditer(text[ps:pe])] + [pe]
        for cs, ce in zip(cuts, cuts[1:], strict=False):
            pieces.append((cs, ce, multi or len(cuts) > 2))
    out: list[tuple[int, int, bool]] = []
    for s, e, sp in pieces:
        s, e = _trim(text, s, e, label)
        # a known name and a headline's reporting word: "…, Reuters Report" (not "Drudge Report")
        m = _REPORTING_END.search(text[s:e])
        if m and m.start() > 0 and ctx.lookup(text[s : s + m.start()]) is not None:
            e = s + m.start()
        if e <= s:
            continue
        # an inner possessive: "Putin’s Maximalist" → "Putin" (a name followed by something owned)
        # (an ORG keeps it: "Ukraine’s Air Force" is an organization's name)
        m = _INNER_POSSESSIVE.search(text[s:e])
        if m and label != "ORG":
            e = s + m.start()
            sp = True
        # coordination: "Witkoff and Kushner"
        sub = _split_coordination(ctx, s, e, label)
        for ss, se in sub:
            for ds, de in _decompose(ctx, ss, se):
                ds, de = _trim(text, ds, de, label)
                if de > ds:
                    out.append((ds, de, sp or len(sub) > 1))
    return out


def _split_coordination(ctx: _Ctx, s: int, e: int, label: str) -> list[tuple[int, int]]:
    piece = ctx.text[s:e]
    pair = _PAIR.fullmatch(piece)
    if pair is not None and ctx.lookup(piece) is None:
        # "the Trump-Putin summit", "an EU-African Union summit": two known actors joined by a hyphen
        # are two mentions ("Guinea-Bissau", known as a whole, stays one)
        a, b = ctx.lookup(pair[1]), ctx.lookup(pair[2])
        if a is not None and b is not None and (a[0] == b[0] == "PERSON" or (a[2] and b[2])):
            return [(s, s + pair.end(1)), (s + pair.start(2), e)]
    seps = list(_AND.finditer(piece))
    if not seps:
        return [(s, e)]
    bounds = []
    prev = 0
    for m in seps:
        bounds.append((s + prev, s + m.start()))
        prev = m.end()
    bounds.append((s + prev, e))
    parts = [ctx.text[a:b] for a, b in bounds]
    namelike = all(p and p[0].isupper() and len(p.split()) <= 3 for p in parts)
    if (label == "PERSON" and namelike) or (namelike and all(ctx.lookup(p) for p in parts)):
        return bounds
    if namelike and label == "ORG":
        # "with Bessent and Trade Representative Jamieson Greer": a person named in full elsewhere
        # in the article, coordinated with the next name's title, is no organisation
        surnames = {ent[-1].text for ent in ctx.doc.ents if ent.label_ == "PERSON" and len(ent) > 1}
        if any(p.split()[-1] in surnames for p in parts):
            return bounds
    return [(s, e)]


def _decompose(ctx: _Ctx, s: int, e: int) -> list[tuple[int, int]]:
    """Split a span that is not one known name but several ("Ukraine NATO"), or drop a trailing
    unknown acronym after a known name ("Ukraine ASAP")."""
    if ctx.gz is None:
        return [(s, e)]
    words = [(s + m.start(), s + m.end()) for m in re.finditer(r"\S+", ctx.text[s:e])]
    if len(words) < 2 or ctx.lookup(ctx.text[s:e]) is not None:
        return [(s, e)]
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):
            if ctx.lookup(ctx.text[words[i][0] : words[j - 1][1]]) is not None:
                out.append((words[i][0], words[j - 1][1]))
                i = j
                break
        else:
            rest = ctx.text[words[i][0] : words[-1][1]]
            if out and i == len(words) - 1 and rest.isupper():
                return out
            return [(s, e)]
    return out


# --------------------------------------------------------------------------- headline fragments


def _is_headline_line(line: str) -> bool:
    words = re.findall(r"[^\W\d_][\w’'-]*", line)
    stripped = line.strip()
    if not (2 <= len(words) <= 25) or stripped.endswith(".") or re.search(r"[.!?]\s+[A-Z]", stripped):
        return False  # a headline is one line without a full stop
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    if len(content) < 2:
        return False
    caps = sum(1 for w in content if w[0].isupper())
    return caps / len(content) >= 0.6


def _verbs_on_line(ctx: _Ctx, pos: int) -> set[int]:
    """Start offsets of tokens tagged as finite verbs when the line around ``pos`` is re-tagged in
    lower case (title case hides verbs from the tagger: "Putin Rejects Concessions")."""
    ls, le = ctx.line_bounds(pos)
    if ls in ctx._verb_lines:
        return ctx._verb_lines[ls]
    line = ctx.text[ls:le]
    verbs: set[int] = set()
    if _is_headline_line(line):
        from .nlp import get_nlp

        lowered = _sentence_case(ctx, line, ls)
        retagged = get_nlp()(lowered, disable=["parser", "ner"])
        verbs = {ls + t.idx for t in retagged if t.tag_ in ("VBZ", "VBD", "VBP", "VB")}
    ctx._verb_lines[ls] = verbs
    return verbs


def _sentence_case(ctx: _Ctx, line: str, line_start: int) -> str:
    """``line`` in sentence case (same length): words stay capitalized only when they are the first
    word, a gazetteer name or a name spaCy found on another line of the article."""

    def fix(m: re.Match[str]) -> str:
        w = m.group(0)
        elsewhere = ctx.name_words.get(w, set()) - {line_start}
        if m.start() == 0 or elsewhere or ctx.lookup(w) is not None:
            return w
        low = w.lower()
        return low if len(low) == len(w) else w

    return re.sub(r"[^\W\d_]+", fix, line)


def _headline_fragment(ctx: _Ctx, c: _Cand) -> bool:
    if c.label not in ("ORG", "PERSON") or ctx.lookup(ctx.text[c.start : c.end]) is not None:
        return False
    toks = [t for t in ctx.tokens(c.start, c.end) if not t.is_punct and not t.is_space]
    if len(toks) == 1:
        # one capitalized word of a headline that the article also writes in lower case: a common
        # word ("Putin’s Maximalist Demands" … "his maximalist territorial demands")
        word = toks[0].text
        s, e = ctx.line_bounds(c.start)
        headline = ctx.text[s:e].rstrip()[-1:] not in '.!?"”’:;,'
        lower = word.lower()
        return (
            headline
            and word != lower
            and re.search(rf"(?<!\w){re.escape(lower)}(?!\w)", ctx.text) is not None
        )
    if len(toks) < 2:
        return False
    verbs = _verbs_on_line(ctx, c.start)
    line_start = ctx.line_bounds(c.start)[0]
    if any(t.idx in verbs and t.idx != line_start for t in toks):
        return True
    # "European Security Concerns Dismissed": the fragment is the subject of a headline's verb
    after = ctx.tokens_from(c.end)[:1]
    return c.label == "ORG" and bool(after) and after[0].idx in verbs and after[0].text[:1].isupper()


# --------------------------------------------------------------------------- titles


def _modifier(ctx: _Ctx, title_start: int) -> tuple[int, list[str], bool, bool]:
    """Walk left from a title: ``(start, modifier words, has an actor modifier, not current)``."""
    start = title_start
    words: list[str] = []
    actor = False
    not_current = False
    pos = title_start
    for _ in range(5):
        tok = ctx.token_before(pos)
        if tok is None or "\n" in ctx.text[tok.idx + len(tok.text) : pos]:
            break
        low = tok.text.lower()
        if tok.tag_ == "POS" or low in ("’s", "'s"):
            owner = ctx.token_before(tok.idx)
            if owner is None or not owner.text[:1].isupper():
                break
            words.insert(0, owner.text + "'s")
            start = owner.idx
            pos = owner.idx
            actor = True
            break
        if low in _NOT_CURRENT or low.rstrip("-") in _NOT_CURRENT:
            not_current = True
            break
        if low in _GENERIC_MODS:
            words.insert(0, low)
            start = tok.idx
            pos = tok.idx
            continue
        if tok.text[:1].isupper() and ctx.lookup(tok.text) is not None:
            words.insert(0, tok.text)
            start = tok.idx
            pos = tok.idx
            actor = True
            continue
        break
    before = ctx.token_before(start)
    if before is not None and before.text.lower() in _NOT_CURRENT:
        not_current = True
    return start, words, actor, not_current


def _name_after(ctx: _Ctx, pos: int, capitalized_title: bool) -> tuple[int, int] | None:
    """A proper-name run after a title (optionally after a comma when the title is lower case)."""
    toks = ctx.tokens_from(pos)
    i = 0
    comma = False
    if toks and toks[0].text == ",":
        comma = True
        i = 1
    if not capitalized_title and not comma and not (toks and toks[0].ent_type_ == "PERSON"):
        return None
    run: list[Token] = []
    while i < len(toks) and len(run) < 4:
        t = toks[i]
        gap = ctx.text[(run[-1].idx + len(run[-1].text)) if run else pos : t.idx]
        if run and gap != " ":
            break
        if not run and gap.strip(", ") != "":
            break
        if (
            t.is_alpha
            and t.text[:1].isupper()
            and t.pos_ in ("PROPN", "NOUN", "X")
            and t.text.lower() not in _SMALL_WORDS
        ):
            run.append(t)
            i += 1
            continue
        break
    if not run:
        return None
    # the rest of a longer title is no part of the name: "Chief [Executive] Kelly Ortberg"
    start, end = _trim(ctx.text, run[0].idx, run[-1].idx + len(run[-1].text), "PERSON")
    return (start, end) if end > start else None


_OF_RE = re.compile(r"\s+of\s+(?:the\s+)?")
_INDEFINITE = {"a", "an", "another", "one", "any", "every", "each", "no"}


def _find_titles(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """Title mentions ("the Russian president") and roles of names ("Russian President Vladimir Putin")."""
    out: list[_Cand] = []
    by_start = {c.start: c for c in cands}
    for m in _TITLE_RE.finditer(ctx.text):
        ts, te = m.start(), m.end()
        form = re.sub(r"[\s-]+", " ", m.group(1).lower())
        mstart, mods, actor, not_current = _modifier(ctx, ts)
        written = [*mods, form]
        phrase_words = [*mods, _LEADER_SYNONYMS.get(form, form)]
        # "president of Russia", "secretary-general of NATO"
        of = _OF_RE.match(ctx.text, te)
        if of is not None:
            target = by_start.get(of.end())
            if target is not None and target.fixed and target.label in ("GPE", "ORG"):
                tail = ctx.text[te : target.end]
                written.append(tail.strip())
                phrase_words.append(tail.strip())
                te = target.end
                actor = True
        phrase = " ".join(phrase_words)
        role = normalize(phrase)
        if not_current:
            role = f"former {role}"  # never resolved to the current holder
        capitalized = m.group(1)[:1].isupper()
        holder = None
        if ctx.gz is not None and ctx.published is not None and not not_current and (actor or mods):
            holder = ctx.gz.holder(phrase, ctx.published)
        elif ctx.gz is not None and not not_current and (actor or mods):
            # no date to say who held the role: the one holder of it, ever, whom the article names
            # ("Emmanuel Macron … the French president")
            named = {c.hint for c in cands if c.hint and c.label == "PERSON" and c.start < mstart}
            held = {e.id: e for e, _ in ctx.gz.role_holdings(phrase) if e.id in named}
            holder = next(iter(held.values())) if len(held) == 1 else None
        name = _name_after(ctx, te, capitalized or bool(mods))
        if name is not None and _attach_role(ctx, cands, by_start, name, role, mstart, te, holder):
            continue
        if not actor:
            continue  # "the president", "an envoy": no country or body to resolve it against
        before = ctx.token_before(mstart)
        if before is not None and before.text.lower() in _INDEFINITE:
            continue  # "a Russian envoy" is not one known person
        tc = _Cand(
            start=mstart,
            end=te,
            label="PERSON",
            kind="title",
            fixed=True,
            role=role,
            role_start=mstart,
            role_end=te,
            conf=0.85 if holder else 0.5,
        )
        tc.hint = holder.id if holder is not None else None
        tc.ref_key = role
        tc.written = normalize(" ".join(written))
        out.append(tc)
    return out


def _attach_role(
    ctx: _Ctx,
    cands: list[_Cand],
    by_start: dict[int, _Cand],
    name: tuple[int, int],
    role: str,
    role_start: int,
    role_end: int,
    holder: Entry | None,
) -> bool:
    """Make the name after a title a PERSON with that role; ``False`` if it is no person's name."""
    ns, ne = name
    c = by_start.get(ns)
    if c is None:
        ls, le = ctx.line_bounds(ns)
        if _is_headline_line(ctx.text[ls:le]):
            return False  # "Prime Minister Resigns": title case is no evidence of a name
        c = _Cand(start=ns, end=ne, label="PERSON", conf=0.7)
        cands.append(c)
        by_start[ns] = c
    if c.label != "PERSON" and not c.fixed:
        c.label = "PERSON"
        c.fixed = True
    if c.label != "PERSON":
        return False
    c.role, c.role_start, c.role_end = role, role_start, role_end
    c.conf = max(c.conf, 0.8)
    if holder is not None and c.hint is None and holder.surname:
        if normalize(holder.surname) in normalize(ctx.text[c.start : c.end]).split():
            c.hint, c.fixed = holder.id, True
    return True


# --------------------------------------------------------------------------- the cascade


def find_mentions(
    text: str,
    *,
    nlp_doc: Doc | None = None,
    gazetteer: Gazetteer | None = None,
    published: date | None = None,
) -> list[Mention]:
    """The actor mentions in ``text``, sorted by offset, non-overlapping.

    ``nlp_doc`` is spaCy's parse of ``text`` (parsed with :func:`storyline.analyze.nlp.get_nlp` when
    omitted); ``gazetteer`` resolves names, places, institutions and titles; ``published`` (the
    article's date) resolves titles to their holder on that day.
    """
    if nlp_doc is None:
        from .nlp import get_nlp

        nlp_doc = get_nlp()(text)
    if nlp_doc.text != text:
        raise ValueError("nlp_doc is not a parse of text")
    if isinstance(published, datetime):
        published = published.date()
    ctx = _Ctx(text, nlp_doc, gazetteer, published)

    cands = _spacy_candidates(ctx)
    cands = [c for c in cands if not _headline_fragment(ctx, c)]
    cands = _particle_names(ctx, cands)
    cands = _merge_adjacent(ctx, cands)
    cands = _hyphen_names(ctx, cands)
    for c in cands:
        _relabel(ctx, c)
    cands = [c for c in cands if _keep(ctx, c)]
    titles = _find_titles(ctx, cands)
    cands = [c for c in cands if not any(t.start <= c.start and c.end <= t.end for t in titles)]
    cands += titles
    cands += _gazetteer_additions(ctx, cands)
    cands += _speaker_additions(ctx, cands)
    cands = _acronyms(ctx, cands)
    cands += _org_anaphora(ctx, cands)
    _vote(ctx, [c for c in cands if c.kind == "name" and len(_words(ctx, c)) > 1])
    _link_surnames(ctx, cands)
    cands += _surname_additions(ctx, cands)
    _place_context(ctx, cands)
    _vote(ctx, [c for c in cands if c.kind == "name" and not c.linked])
    return _finish(ctx, cands)


def _words(ctx: _Ctx, c: _Cand) -> list[str]:
    return name_key(ctx.text[c.start : c.end], label=c.label).split()


def _spacy_candidates(ctx: _Ctx) -> list[_Cand]:
    out: list[_Cand] = []
    for ent in ctx.doc.ents:
        if ent.label_ not in _SPACY_LABELS:
            continue
        for s, e, sp in _repair(ctx, ent.start_char, ent.end_char, ent.label_):
            n_words = len(ctx.text[s:e].split())
            conf = (0.7 if n_words > 1 else 0.6) - (0.1 if sp else 0.0)
            out.append(_Cand(start=s, end=e, label=ent.label_, conf=conf, split=sp))
    return out


_PARTICLES = "von|van|der|den|de|da|di|du|del|della|dos|das|ter|zu|bin|ibn|al|el|le|la"
# a name's lower-case particles and the capitalized word they lead to: " von der Leyen"
_PARTICLE_TAIL = re.compile(r"(?:\s+(?:" + _PARTICLES + r"))+\s+[A-Z][\w’'-]*[a-z][\w’'-]*")
_PARTICLE_END = re.compile(r"(?:\s+(?:" + _PARTICLES + r"))+$")  # "Ursula von der" cut before "Leyen"
_PARTICLE_HEAD = re.compile(r"(?<![\w’'-])(?:(?:" + _PARTICLES + r")\s+)+$")  # "von der " before "Leyen"
_PARTICLE_NAME = re.compile(r"(?:(?:" + _PARTICLES + r")\s+)+[A-Z][\w’'-]*")  # "von der Leyen"
_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "his", "her", "its", "their", "our", "my"})
_NAME_LABELS = ("PERSON", "ORG", "GPE", "NORP")  # what spaCy calls the parts of such a name


def _particle_names(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """Names with lower-case particles made whole: "Ursula von der Leyen" (spaCy: "Ursula von der" +
    "Leyen"), "Ursula" + "von der Leyen", and a surname with its particles ("von der Leyen said",
    spaCy: "Leyen"). The whole is a person unless the gazetteer knows it otherwise; a capitalized
    word that is a known place is left alone ("Rio de Janeiro" is one span already)."""
    text = ctx.text
    cands = sorted(cands, key=lambda c: c.start)
    drop: set[int] = set()
    for i, c in enumerate(cands):
        if i in drop:
            continue
        cut = _PARTICLE_END.search(text, c.start, c.end)  # "Ursula von der" cut before "Leyen"
        m = _PARTICLE_TAIL.match(text, cut.start() if cut is not None else c.end)
        if m is not None and (c.label == "PERSON" or (cut is not None and c.label in _NAME_LABELS)):
            known = ctx.lookup(m.group().split()[-1])
            if known is None or known[0] == "PERSON":
                c.end, c.label = m.end(), "PERSON"
                drop.update(j for j in range(i + 1, len(cands)) if cands[j].start < c.end)
                continue
        # a surname with its particles and no first name: "… von der Leyen said"
        words = text[c.start : c.end].split()
        head = _PARTICLE_HEAD.search(text, max(0, c.start - 40), c.start)
        if head is None or len(words) != 1 or c.label not in _NAME_LABELS:
            continue
        known = ctx.lookup(text[c.start : c.end])
        before = ctx.token_before(head.start())
        if (known is not None and known[0] != "PERSON") or (
            before is not None and before.text.lower() in _DETERMINERS
        ):
            continue
        c.start = head.start()
        c.label = "PERSON"
    return [c for i, c in enumerate(cands) if i not in drop]


def _merge_adjacent(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """Merge "Vladimir" + "Putin" (two PERSON spans, or a PERSON and an untagged first name)."""
    cands.sort(key=lambda c: c.start)
    out: list[_Cand] = []
    for c in cands:
        if out:
            p = out[-1]
            gap = ctx.text[p.end : c.start]
            if gap == " " and p.label == "PERSON" and c.label == "PERSON":
                one_word = len(ctx.text[p.start : p.end].split()) == 1
                known = ctx.lookup(ctx.text[p.start : c.end])  # "Mohammed bin Abdulrahman" + "Al Thani"
                if (known is not None and known[0] == "PERSON") or (
                    one_word
                    and not (ctx.lookup(ctx.text[p.start : p.end]) and ctx.lookup(ctx.text[c.start : c.end]))
                ):
                    p.end = c.end
                    continue
        out.append(c)
    # an untagged first name before a known surname: "Vladimir [Putin]"
    if ctx.gz is not None:
        for c in out:
            tok = ctx.token_before(c.start)
            if (
                tok is not None
                and ctx.text[tok.idx + len(tok.text) : c.start] == " "
                and tok.text[:1].isupper()
                and tok.pos_ == "PROPN"
                and not any(o.start <= tok.idx < o.end for o in out)
            ):
                hit = ctx.lookup(ctx.text[tok.idx : c.end])
                if hit is not None and hit[0] == "PERSON":
                    c.start = tok.idx
    return out


_AFTER_HYPHEN = re.compile(r"[-–]([A-Z][\w’']+)")
_BEFORE_HYPHEN = re.compile(r"([A-Z][\w’']+)[-–]$")


def _hyphen_names(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """A candidate the tokenizer cut at a hyphen inside a known name grows to the whole name
    ("Guinea" of "Guinea-Bissau", "Timor" of "Timor-Leste"); candidates it then covers go."""
    if ctx.gz is None:
        return cands
    text = ctx.text
    grown: list[_Cand] = []
    for c in cands:
        after = _AFTER_HYPHEN.match(text, c.end)
        before = _BEFORE_HYPHEN.search(text, max(0, c.start - 40), c.start)
        if after is not None and ctx.lookup(text[c.start : after.end()]) is not None:
            c.end = after.end()
            grown.append(c)
        elif before is not None and ctx.lookup(text[before.start() : c.end]) is not None:
            c.start = before.start()
            grown.append(c)
    if not grown:
        return cands
    return [c for c in cands if c in grown or not any(g.start <= c.start and c.end <= g.end for g in grown)]


_POSSESSOR = re.compile(r"([A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})[’']s\s+$")


def _possessed_institution(ctx: _Ctx, c: _Cand) -> tuple[str, str, str | None, tuple[str, ...]] | None:
    """ "Russia's Foreign Ministry": an organisation after a country's possessive, known as the
    country's ("Russia's foreign ministry", "Russian Foreign Ministry")."""
    if c.label != "ORG" or ctx.gz is None:
        return None
    m = _POSSESSOR.search(ctx.text, max(0, c.start - 40), c.start)
    if m is None:
        return None
    span = ctx.text[c.start : c.end]
    names = [f"{m[1]}'s {span}"]
    country = ctx.gz.country(m[1])
    if country is not None and country.adjectives:
        names.append(f"{country.adjectives[0]} {span}")
    for name in names:
        hit = ctx.lookup(name)
        if hit is not None and hit[0] == "ORG" and hit[2]:
            return hit
    return None


def _relabel(ctx: _Ctx, c: _Cand) -> None:
    span = ctx.text[c.start : c.end]
    hit = ctx.lookup(span) or _possessed_institution(ctx, c)
    if hit is not None:
        label, kind, eid, alts = hit
        c.label, c.kind, c.hint, c.alts, c.fixed = label, kind, eid, alts, True
        c.conf = 0.95 if eid else 0.8
        return
    if c.label == "FAC":
        c.label = "LOC"
    if c.label in ("ORG", "PERSON", "NORP") and any(
        s <= c.start and c.end <= e for s, e in ctx.dateline_places
    ):
        # "FRANKFURT, March 6 (Reuters)": the model's ORG is the city, and the place of a dateline is
        # evidence enough to decide the name's label in the whole article ("Rotterdam port strike …")
        c.label, c.kind, c.fixed = "GPE", "name", True
    if c.label == "GPE":
        toks = ctx.tokens(c.start, c.end)
        if len(toks) == 1 and toks[0].tag_ == "JJ":
            c.label, c.kind = "NORP", "demonym"
    if c.label == "NORP":
        c.kind = "demonym"


_OFFICE_OF = re.compile(r"\b(?:Secretary|Minister|Ministry|Department|Secretariat)\s+of\s+(?:the\s+)?$")
_OFFICE_DOMAINS = frozenset(
    "State Defense Defence Justice Treasury Labor Labour Energy Commerce Interior Agriculture Education "
    "Health Transportation Homeland Finance War".split()
)


_TITLE_AFTER = re.compile(r"\s+(?:Minister|Secretary|Commissioner|Czar|Tsar)\b")
# what a name before these nouns names: a make or model of weapon or machine
_EQUIPMENT = frozenset(
    "system missile tank jet rocket launcher drone aircraft fighter howitzer vehicle battery interceptor "
    "warship submarine helicopter".split()
)


def _keep(ctx: _Ctx, c: _Cand) -> bool:
    span = ctx.text[c.start : c.end]
    if c.label not in LABELS or not (
        span[:1].isupper() or span[:1].isdigit() or _PARTICLE_NAME.match(span) is not None
    ):
        return False
    if len(span) < 2 or not any(ch.isalpha() for ch in span):
        return False
    if c.fixed:
        return True
    if (
        _OFFICE_OF.search(ctx.text, max(0, c.start - 24), c.start)
        and c.label in ("ORG", "GPE")
        and span in _OFFICE_DOMAINS
    ):
        return False  # "Secretary of State Marco Rubio": part of a title, no organisation or place
    if c.label in ("ORG", "GPE") and span in _OFFICE_DOMAINS and _TITLE_AFTER.match(ctx.text, c.end):
        return False  # "Energy Minister Svitlana Hrynchuk": the minister's title
    toks = [t for t in ctx.tokens(c.start, c.end) if not t.is_space]
    if (
        c.label == "PERSON"
        and toks
        and toks[-1].dep_ == "compound"
        and toks[-1].head.i > toks[-1].i
        and toks[-1].head.lemma_.lower() in _EQUIPMENT
    ):
        return False  # "more Patriot systems", "Leopard tanks": a weapon's name, not a person's
    if len(toks) == 1:
        t = toks[0]
        if c.split:
            return False  # a one-word piece of a broken span ("Demands\nPutin"); real names come back
        # a sentence-initial common word the tagger did not take for a name
        if t.is_sent_start and t.pos_ != "PROPN" and c.label != "NORP":
            return False
        if c.label == "PERSON" and opening_common_word(t):
            return False
    return True


def opening_common_word(tok: Token) -> bool:
    """ "Turnout was about 60%": a dictionary word, capitalized only because it opens its sentence,
    that the text capitalizes nowhere else — not a person's name, whatever the model says."""
    if not tok.is_sent_start or tok.lower_ not in _dictionary_words():
        return False
    return len(re.findall(rf"\b{re.escape(tok.text)}\b", tok.doc.text)) == 1


@functools.cache
def _dictionary_words() -> frozenset[str]:
    """English common nouns, verbs and adjectives: the lemma index of the pipeline's lemmatizer."""
    from .nlp import get_nlp

    try:
        lemmatizer: Any = get_nlp().get_pipe("lemmatizer")
        index = lemmatizer.lookups.get_table("lemma_index")
    except (KeyError, ValueError):  # a pipeline without a rule lemmatizer: no dictionary
        return frozenset()
    return frozenset(w for pos in ("noun", "verb", "adj") for w in index.get(pos, ()) if "_" not in w)


def _gazetteer_additions(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """Capitalized 1–3 word names spaCy missed that the gazetteer knows (not adjectives)."""
    if ctx.gz is None:
        return []
    covered = _covered(cands)
    toks = ctx.toks
    out: list[_Cand] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.idx in covered or not (t.text[:1].isupper() and t.is_alpha):
            i += 1
            continue
        found = False
        for n in (3, 2, 1):
            seq = toks[i : i + n]
            if len(seq) < n or any(s.idx in covered or s.is_punct for s in seq):
                continue  # "CHISINAU —": the dateline's dash is no part of the name
            if any(ctx.text[a.idx + len(a.text) : b.idx] != " " for a, b in zip(seq, seq[1:], strict=False)):
                continue
            if n == 1 and t.pos_ not in ("PROPN", "NOUN") and not t.is_upper:
                continue  # "Will", "May": a capitalized verb or auxiliary is no name
            if n == 1 and t.lower_ in _CALENDAR_WORDS:
                continue  # "on Friday" is a date, not Godwin Friday
            s, e = seq[0].idx, seq[-1].idx + len(seq[-1].text)
            hit = ctx.lookup(ctx.text[s:e])
            if hit is None or hit[1] == "demonym":
                continue
            if n > 1 and t.lower_ == "the" and ctx.lookup(ctx.text[seq[1].idx : e]) == hit:
                break  # "The Trump-Putin summit": the name starts after the article ("The Hague" keeps it)
            label, kind, eid, alts = hit
            out.append(
                _Cand(
                    start=s,
                    end=e,
                    label=label,
                    kind=kind,
                    hint=eid,
                    alts=alts,
                    fixed=True,
                    conf=0.9 if eid else 0.75,
                )
            )
            i += n
            found = True
            break
        if not found:
            i += 1
    return out


_SPEECH_LEMMAS = frozenset({"say", "tell", "add", "write", "ask", "insist", "warn", "explain"})
_NOT_PERSON_ENTS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "DATE", "TIME"})


def _speaker_additions(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """Two or three capitalized proper nouns, the subject of a verb of saying, that spaCy missed or
    took for a work of art (\u201c…,\u201d Karin Holmqvist said): a person."""
    covered = _covered(cands)
    out: list[_Cand] = []
    for t in ctx.toks:
        if t.dep_ != "nsubj" or t.pos_ != "PROPN" or t.head.lemma_.lower() not in _SPEECH_LEMMAS:
            continue
        seq = [c for c in t.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"] + [t]
        if not 2 <= len(seq) <= 3 or seq[-1].i - seq[0].i != len(seq) - 1:
            continue
        if any(
            not (x.is_alpha and x.text[:1].isupper() and not x.is_upper)
            or x.tag_ == "NNPS"  # "Founding Fathers"
            or sum(ch.isupper() for ch in x.text[1:]) > 1  # glued page furniture, not "McCain"
            or x.idx in covered
            or x.ent_type_ in _NOT_PERSON_ENTS
            or x.lower_ in _CALENDAR_WORDS
            for x in seq
        ):
            continue
        s, e = seq[0].idx, t.idx + len(t.text)
        if ctx.lookup(ctx.text[s:e]) is None:
            out.append(_Cand(start=s, end=e, label="PERSON", conf=0.6))
    return out


# Day and month names: alone, never a person's surname ("on Friday", not Godwin Friday)
_CALENDAR_WORDS = (frozenset(WEEKDAYS) | MONTH_NAMES) - {"may"}  # Theresa May


_ACRONYM_DEF = re.compile(r"\s\(([A-Z][A-Za-z]?[A-Z]{1,6})\)")
_ACRONYM_SKIP = frozenset({"of", "and", "for", "the", "de", "du", "des", "la", "le", "to", "on", "in", "&"})


def _initials_match(words: Sequence[str], acronym: str) -> bool:
    """ "Party of Action and Solidarity" spells PAS; "Rapid Support Forces" RSF."""
    initials = "".join(w[0] for w in words if w.lower() not in _ACRONYM_SKIP)
    return initials.upper() == acronym.upper()


def _acronyms(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """ "the Party of Action and Solidarity (PAS)": the long name is one organisation and the acronym,
    there and everywhere else in the article, stands for it (one ``ref_key``), whatever pieces the
    model tagged ("Solidarity", "PAS")."""
    text = ctx.text
    for m in _ACRONYM_DEF.finditer(text):
        acronym = m.group(1)
        line_start = text.rfind("\n", 0, m.start()) + 1
        words = list(re.finditer(r"[A-Za-z][\w’'-]*|&", text[line_start : m.start()]))[-12:]
        found: tuple[int, int] | None = None
        for k in range(len(words) - 1, -1, -1):
            first = words[k].group(0)
            if not first[0].isupper():
                continue
            span_words = [w.group(0) for w in words[k:]]
            if _initials_match(span_words, acronym):
                found = (line_start + words[k].start(), line_start + words[-1].end())
                break
        if found is None or found[1] - found[0] < len(acronym) + 3:
            continue
        start, end = found
        if any(c.fixed and c.start <= start and end <= c.end for c in cands):
            continue  # the gazetteer knows the name (and, through its aliases, the acronym)
        label = next((c.label for c in cands if c.start <= start < c.end and c.label == "PERSON"), "ORG")
        if label == "PERSON":
            continue
        long_key = name_key(text[start:end], label="ORG")
        cands = [c for c in cands if not (start <= c.start and c.end <= end) or c.kind == "title"]
        cands.append(_Cand(start=start, end=end, label="ORG", conf=0.8, ref_key=long_key, fixed=True))
        for c in cands:
            if text[c.start : c.end] == acronym and c.kind == "name":
                c.label, c.ref_key, c.fixed, c.conf = "ORG", long_key, True, max(c.conf, 0.8)
        covered = _covered(cands)
        for am in re.finditer(rf"\b{re.escape(acronym)}\b", text):
            if am.start() not in covered:
                cands.append(
                    _Cand(start=am.start(), end=am.end(), label="ORG", conf=0.8, ref_key=long_key, fixed=True)
                )
    return cands


# the kinds of body a definite description names again ("the bank" after "the Bank of England")
_ORG_TYPE_NOUNS = frozenset(
    "bank ministry committee commission agency council court party union alliance organisation "
    "organization company corporation fund office department parliament assembly board authority bureau "
    "service institute foundation federation league tribunal cabinet".split()
)
_THE_NOUN = re.compile(r"\b([Tt]he)\s+([a-z]+)\b(?!\s+of\b|[’']s\s+[A-Z]|\s+[A-Z])")


def _org_anaphora(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """ "The bank now expects …" after "the Bank of England": a definite description by the kind of body
    names the organisation again when one organisation named before it, and only one, has that noun
    first or last in its name ("the committee" → "Monetary Policy Committee", "the ministry" →
    "Ministry of Disaster Management")."""
    text = ctx.text
    orgs = sorted((c for c in cands if c.label == "ORG" and c.kind != "title"), key=lambda c: c.start)
    if not orgs:
        return []
    covered = _covered(cands)
    out: list[_Cand] = []
    for m in _THE_NOUN.finditer(text):
        noun = m.group(2)
        if noun not in _ORG_TYPE_NOUNS or m.start() in covered or m.start(2) in covered:
            continue
        keys: dict[str, _Cand] = {}
        for c in orgs:
            if c.end > m.start():
                break
            words = re.findall(r"[a-z]+", text[c.start : c.end].lower())
            if words and noun in (words[0], words[-1]):
                keys[c.ref_key or name_key(text[c.start : c.end], label="ORG")] = c
        if len(keys) != 1:
            continue  # none, or two banks named before: which one is meant is not sure
        (key,) = keys
        out.append(_Cand(start=m.start(), end=m.end(), label="ORG", conf=0.6, ref_key=key, fixed=True))
    return out


def _covered(cands: Iterable[_Cand]) -> set[int]:
    out: set[int] = set()
    for c in cands:
        out.update(range(c.start, c.end))
    return out


_INITIALS_RE = re.compile(r"(?:[A-Z]\.?){1,3}")


def _initialled(ctx: _Ctx, c: _Cand) -> str | None:
    """The first initial of a name written with initials before its surname ("O. Mertens",
    "J.D. Vance" → ``"o"``, ``"j"``), else ``None``."""
    raw = ctx.text[c.start : c.end].split()
    if len(raw) < 2 or not all(_INITIALS_RE.fullmatch(w) for w in raw[:-1]):
        return None
    return raw[0][0].lower()


def _link_surnames(ctx: _Ctx, cands: list[_Cand]) -> None:
    """A lone surname (or a shorter name) refers to the article's only full PERSON name ending with it;
    a name with initials ("O. Mertens") to the only one whose first name has that initial."""
    full: dict[str, set[str]] = defaultdict(set)
    hints: dict[str, str | None] = {}
    for c in cands:
        words = _words(ctx, c)
        if c.kind == "name" and c.label == "PERSON" and len(words) > 1 and _initialled(ctx, c) is None:
            k = " ".join(words)
            full[words[-1]].add(k)
            hints[k] = c.hint
    for c in cands:
        words = _words(ctx, c)
        initial = _initialled(ctx, c) if c.kind == "name" and c.label in ("PERSON", "ORG") else None
        if initial is not None:
            keys = {k for k in full.get(words[-1], set()) if k.startswith(initial)}
        elif c.kind == "name" and c.label == "PERSON" and _PARTICLE_NAME.fullmatch(ctx.text[c.start : c.end]):
            tail = " " + " ".join(words)  # "von der Leyen": a surname with its particles
            keys = {k for k in full.get(words[-1], set()) if k.endswith(tail)}
        elif (
            c.kind != "name"
            or len(words) != 1
            or not (c.label in ("PERSON", "ORG") or (c.label in ("GPE", "LOC") and not c.fixed))
        ):
            # spaCy confuses people and organisations, and a foreign surname with a place ("campaign
            # for Trzaskowski"): a place the gazetteer does not know may be the surname of the one full name
            continue
        else:
            keys = full.get(words[0], set())
        if len(keys) != 1:
            continue
        if c.fixed and c.label != "PERSON":
            continue
        (k,) = keys
        c.ref_key = k
        c.label = "PERSON"
        c.linked = True
        c.conf = max(c.conf, 0.85)
        if hints.get(k):
            c.hint, c.alts = hints[k], ()


def _surname_additions(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    surnames: dict[str, tuple[str, str | None]] = {}
    seen: dict[str, set[str]] = defaultdict(set)
    for c in cands:
        words = _words(ctx, c)
        if c.kind == "name" and c.label == "PERSON" and len(words) > 1:
            seen[words[-1]].add(" ".join(words))
            surnames[words[-1]] = (" ".join(words), c.hint)
    places = {" ".join(_words(ctx, c)) for c in cands if c.label in ("GPE", "LOC", "NORP")}
    covered = _covered(cands)
    out: list[_Cand] = []
    for t in ctx.toks:  # a space token is never alphabetic
        if not (t.is_alpha and t.text[:1].isupper()) or t.idx in covered or t.lower_ in _CALENDAR_WORDS:
            continue
        k = name_key(t.text)
        if k in surnames and len(seen[k]) == 1 and k not in places:
            ref, hint = surnames[k]
            out.append(
                _Cand(
                    start=t.idx,
                    end=t.idx + len(t.text),
                    label="PERSON",
                    conf=0.75,
                    hint=hint,
                    ref_key=ref,
                    linked=True,
                    fixed=True,
                )
            )
    return out


_LOCATIVE = {"in", "near", "across", "outside", "around", "throughout", "inside"}
_LIST_SEP = re.compile(r"^(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")
# "the port city of", "some 35 miles southwest of", "on the outskirts of" before a known city's name
_PLACE_OF = re.compile(
    r"\b(?:city|town|village|port|capital|suburbs?|outskirts|centre|center|region|province|district"
    r"|(?:north|south)(?:[\s-]?(?:east|west))?|east|west|(?:north|south|east|west)(?:ern)?\s+part)\s+of\s+$",
    re.IGNORECASE,
)
_POSSESSIVE_AFTER = re.compile(r"[’']s?\b")


def _place_context(ctx: _Ctx, cands: list[_Cand]) -> None:
    """A lone unknown one-word PERSON or ORG is a place after "in"/"near"…, or in a list with places
    ("Luhansk, Donetsk, Zaporizhzhia, and Kherson"). A name of the world-city table (any length) is a
    place on weaker evidence too: "the port of Bandar Abbas", "north of Ternopil", "Anchorage,
    Alaska", a list of two ("Ternopil and Zhytomyr")."""

    def known_city(c: _Cand) -> bool:
        return city(ctx.text[c.start : c.end]) is not None

    def open_(c: _Cand) -> bool:
        return (
            not c.fixed
            and not c.linked
            and c.kind == "name"
            and c.label in ("PERSON", "ORG")
            and (len(ctx.text[c.start : c.end].split()) == 1 or known_city(c))
        )

    def place(c: _Cand) -> bool:
        return c.label in ("GPE", "LOC") and not open_(c)

    names = sorted((c for c in cands if c.kind == "name"), key=lambda c: c.start)
    for i, c in enumerate(names):
        if not open_(c):
            continue
        tok = ctx.token_before(c.start)
        if tok is not None and tok.text.lower() in _LOCATIVE and tok.idx + len(tok.text) + 1 == c.start:
            c.label, c.conf = "GPE", 0.65
        elif known_city(c):
            after = names[i + 1] if i + 1 < len(names) else None
            if _PLACE_OF.search(ctx.text, max(0, c.start - 40), c.start) or (
                after is not None
                and place(after)
                and ctx.text[c.end : after.start] == ", "
                and not _POSSESSIVE_AFTER.match(ctx.text, after.end)
            ):
                c.label, c.conf = "GPE", 0.65
    runs: list[list[_Cand]] = []
    for c in names:
        if runs and _LIST_SEP.match(ctx.text[runs[-1][-1].end : c.start]):
            runs[-1].append(c)
        else:
            runs.append([c])
    for run in runs:
        places = [c for c in run if place(c)]
        if len(run) < 2 or not places:
            continue
        if len(run) == 2 and not re.search(r"\b(?:and|or)\b", ctx.text[run[0].end : run[1].start]):
            continue  # "… coming to Mexico, Honda is coming": a list of two is joined by "and"/"or"
        label = "GPE" if any(c.label == "GPE" for c in places) else "LOC"
        for c in run:
            if open_(c) and (len(run) >= 3 or known_city(c)):
                c.label, c.conf = label, 0.65


def _vote(ctx: _Ctx, cands: list[_Cand]) -> None:
    """One label per name in the article: the gazetteer's, else the confidence-weighted majority."""
    groups: dict[str, list[_Cand]] = defaultdict(list)
    for c in cands:
        groups[c.ref_key or " ".join(_words(ctx, c))].append(c)
    for group in groups.values():
        fixed = [c for c in group if c.fixed]
        if fixed:
            label = fixed[0].label
            hint = next((c.hint for c in fixed if c.hint), None)
        else:
            weights: dict[str, float] = defaultdict(float)
            for c in group:
                weights[c.label] += c.conf
            order = {lab: i for i, lab in enumerate(("PERSON", "GPE", "ORG", "LOC", "NORP"))}
            label = max(weights, key=lambda lab: (weights[lab], -order.get(lab, 9)))
            hint = None
        for c in group:
            if c.label != label:
                c.label = label
                c.conf = min(c.conf, 0.6)
                c.kind = "demonym" if label == "NORP" else ("name" if c.kind == "demonym" else c.kind)
            if hint and not c.hint:
                c.hint = hint


def _finish(ctx: _Ctx, cands: list[_Cand]) -> list[Mention]:
    def priority(c: _Cand) -> tuple[int, int, int]:
        return (0 if c.kind == "title" else 1, 0 if c.fixed else 1, -(c.end - c.start))

    kept: list[_Cand] = []
    taken: set[int] = set()
    for c in sorted(cands, key=lambda c: (priority(c), c.start)):
        if any(i in taken for i in range(c.start, c.end)):
            continue
        kept.append(c)
        taken.update(range(c.start, c.end))
    out: list[Mention] = []
    for c in sorted(kept, key=lambda c: c.start):
        span = ctx.text[c.start : c.end]
        key = (c.written or c.role or "") if c.kind == "title" else name_key(span, label=c.label)
        if not key:
            continue
        out.append(
            Mention(
                start=c.start,
                end=c.end,
                text=span,
                label=c.label,
                kind=c.kind,
                key=key,
                ref_key=(c.role or key) if c.kind == "title" else (c.ref_key or key),
                entity_hint=c.hint,
                confidence=round(c.conf, 3),
                role=c.role,
                role_start=c.role_start,
                role_end=c.role_end,
            )
        )
    return out
