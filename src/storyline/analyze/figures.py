"""Figures: numbers with what they count, a pure function of one article's clean text.

::

    find_figures("Russia launched more than 270 drones and gained 1,415 square kilometers.")
    # "more than 270 drones"     → 270, unit "drones", kind quantity, approx "more than"
    # "1,415 square kilometers"  → 1415, unit "km2", kind area

The cascade:

1. **Number cores** are found by one regular expression built from the lexicon
   ``data/units.yaml``: digits (``1,415``, ``1.5``), number words (``two hundred and fifty``,
   ``a dozen``), vague amounts (``hundreds of millions``), fractions (``one-fifth``, ``a third of``)
   and ordinals (``fourth``, ``2nd``).
2. **Guards** drop what is not a figure: calendar dates and years (own patterns plus the DATE/TIME
   spans of :func:`storyline.analyze.timex.find_timexes` when given), clock times, designators glued
   to letters (``G7``, ``F-16``, ``COVID-19``), version numbers, phone numbers, ISBNs, list
   numbering, "3 min read", and page furniture: numbers inside a run of short lines that holds
   bare price / plan lines (``₹900``, ``SAVE 25%``, ``1 Year``).
3. **Context** around each core: an approximation marker before it ("nearly", "more than"), a
   range ("200-300", "between 5 and 10"), a multiplier ("1.5 million", "$2bn"), a currency, a
   percent sign or a unit after it.
4. **The parse** names what is counted: the noun the number modifies, with its compound/amod
   modifiers and its "of"/relative-clause complements, cut at the first comma. Counts of people
   cited as sources ("according to three sources close to the Kremlin") get kind ``source_count``.

Offsets index the text given; ``number_span`` is the number alone, ``start``/``end`` the surface
("nearly one-fifth of Ukraine", "273 drones").
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

import yaml

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from .events import EventMention
    from .timex import TimeExpr

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["Figure", "FigureKind", "Units", "find_figures", "load_units", "units_from_dict"]

FigureKind = Literal[
    "quantity", "money", "percent", "area", "duration", "ordinal", "fraction", "source_count"
]

MONTH_RE = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_MONTH_BEFORE = re.compile(MONTH_RE + r"\.?,?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?$")
_MONTH_AFTER = re.compile(r"(?:st|nd|rd|th)?(?:\s+of)?\s+" + MONTH_RE + r"\b")
_YEAR_BEFORE = re.compile(
    r"(?:\b(?:in|since|by|from|until|till|before|after|during|of|early|late|mid|around|year|summer|"
    r"winter|spring|autumn|fall)|[-–])\s*$",
    re.IGNORECASE,
)
_TIME_AFTER = re.compile(r"(?::\d\d|\s*(?:[ap]\.?m\.?|GMT|UTC|IST|EST|CET|BST|local time)\b)", re.IGNORECASE)
_MIN_READ = re.compile(r"\s*(?:-\s*)?min(?:ute)?s?\.?\s+read\b", re.IGNORECASE)
_SPECIAL = re.compile(
    r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?)?\d{2,5}(?:[.-]\d{2,5}){2,}"  # phone, 555-123-4567
    r"|\+\d{1,3}(?:[\s.-]?\d{2,5}){2,}"  # international phone
    r"|\(\d{2,5}\)\s?\d{3,5}[\s.-]?\d{3,5}"
    r"|\bISBN(?:-1[03])?:?\s*[\dX-]{10,17}"
    r"|\b\d{1,4}[/.]\d{1,2}[/.]\d{1,4}\b"  # 18/05/2025
    r"|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b(?:v|version\s+)\d+(?:\.\d+)+"
    r"|^[ \t]*(?:read more|also read|read also|related|see also|more from|recommended|watch|listen)\b[^\n]*"
    r"|\b(?:https?://|www\.)\S+"  # URLs
    r"|(?<![\w.-])[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|html?|php|aspx?)\b\S*",
    re.IGNORECASE | re.MULTILINE,
)
_LIST_NUMBER = re.compile(r"^[ \t•*\-–]*$")
_BARE_FIGURE_LINE = re.compile(
    r"^\W*(?:save\s+\d+\s*%|(?:US)?[$£€₹¥]\s?[\d,.]+\s*(?:/\s*\w+)?|\d[\d,.]*\s*(?:%|/\s*\w+)"
    r"|\d+\s+(?:months?|years?|weeks?|days?))\W*$",
    re.IGNORECASE,
)
_PROSE_END = re.compile(r"[.!?\"”’)]\s*$")


@dataclass(frozen=True, kw_only=True, slots=True)
class Figure:
    """One figure: ``text[start:end]`` is its surface, ``text[number_span[0]:number_span[1]]`` the number."""

    start: int
    end: int
    text: str
    value: float | None
    value_high: float | None = None
    value_text: str | None = None  # vague amounts: "hundreds of millions", "dozens"
    unit: str | None = None
    what: str | None = None
    kind: str = "quantity"  # one of FigureKind
    approx: str | None = None  # the marker as written, lower-cased: "nearly", "more than", "up to"
    number_span: tuple[int, int] = (0, 0)
    predicate: str | None = None  # the verb the figure belongs to, lemma: "fire" (273 drones), "intercept"
    event: tuple[int, int] | None = None  # the trigger of the event it belongs to ("fired", "talks")


@dataclass(frozen=True, kw_only=True, slots=True)
class Units:
    """The lexicon of ``data/units.yaml``, with the regular expressions built from it."""

    number_words: dict[str, float]
    multipliers: dict[str, float]
    multiplier_suffixes: dict[str, float]
    vague: tuple[str, ...]
    ordinals: dict[str, int]
    ordinal_heads: frozenset[str]
    fractions: dict[str, float]
    currency_symbols: dict[str, str]
    currency_words: dict[str, str]
    currency_codes: frozenset[str]
    percent_words: dict[str, str]
    units: dict[str, tuple[str, str]]
    approx_markers: tuple[str, ...]
    source_nouns: frozenset[str]
    source_cues: tuple[str, ...]
    anaphoric_heads: frozenset[str]
    designator_words: frozenset[str]
    furniture_heads: frozenset[str]
    predicate_classes: dict[str, str]
    core_re: re.Pattern[str]
    approx_re: re.Pattern[str]
    unit_re: re.Pattern[str]
    percent_re: re.Pattern[str]
    currency_word_re: re.Pattern[str]
    multiplier_re: re.Pattern[str]


def _alt(words: Sequence[str]) -> str:
    """A regex alternation, longest first, whitespace in entries matching any whitespace."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in ordered)


@lru_cache(maxsize=1)
def load_units() -> Units:
    """The packaged lexicon ``units.yaml`` (cached)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = resources.files("storyline.data").joinpath("units.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    return units_from_dict(data)


def units_from_dict(data: dict[str, Any]) -> Units:
    """Build a :class:`Units` (and its regular expressions) from the YAML structure."""
    nw = {str(k): float(v) for k, v in data["number_words"].items()}
    mult = {str(k): float(v) for k, v in data["multipliers"].items()}
    fr = {str(k): float(v) for k, v in data["fractions"].items()}
    ords = {str(k): int(v) for k, v in data["ordinals"].items()}
    vague = tuple(str(v) for v in data["vague"])
    word = _alt([*nw, *mult])
    frac = _alt(list(fr))
    core = (
        r"(?P<vague>\b(?:" + _alt(vague) + r")\b)"
        r"|(?P<frac>\b(?:one|two|three|four|a|an)(?:\s+|-)(?:" + frac + r")\b|\bhalf\b)"
        r"|(?P<words>\b(?:(?:a|an)\s+(?=(?:dozen|hundred|thousand|million|billion)\b))?(?:" + word + r")"
        r"(?:(?:\s+and\s+|\s+|-)(?:" + word + r")){0,8}\b)"
        r"|(?P<ord>\b(?:" + _alt(list(ords)) + r")\b)"
        r"|(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)|\d+(?:\.\d+)?)"
    )
    units = {str(k).lower(): (str(v[0]), str(v[1])) for k, v in data["units"].items()}
    return Units(
        number_words=nw,
        multipliers=mult,
        multiplier_suffixes={str(k): float(v) for k, v in data["multiplier_suffixes"].items()},
        vague=vague,
        ordinals=ords,
        ordinal_heads=frozenset(str(v) for v in data["ordinal_heads"]),
        fractions=fr,
        currency_symbols={str(k): str(v) for k, v in data["currency_symbols"].items()},
        currency_words={str(k).lower(): str(v) for k, v in data["currency_words"].items()},
        currency_codes=frozenset(str(v) for v in data["currency_codes"]),
        percent_words={str(k).lower(): str(v) for k, v in data["percent_words"].items()},
        units=units,
        approx_markers=tuple(str(v) for v in data["approx_markers"]),
        source_nouns=frozenset(str(v) for v in data["source_nouns"]),
        source_cues=tuple(str(v) for v in data["source_cues"]),
        anaphoric_heads=frozenset(str(v) for v in data["anaphoric_heads"]),
        designator_words=frozenset(str(v) for v in data.get("designator_words", ())),
        furniture_heads=frozenset(str(v) for v in data.get("furniture_heads", ())),
        predicate_classes={
            str(lemma): str(cls)
            for cls, lemmas in (data.get("predicate_classes") or {}).items()
            for lemma in lemmas
        },
        core_re=re.compile(core, re.IGNORECASE),
        approx_re=re.compile(r"\b(" + _alt(data["approx_markers"]) + r")\s+$", re.IGNORECASE),
        unit_re=re.compile(r"(?:\s+|-)?(" + _alt(list(units)) + r")(?![\w²])", re.IGNORECASE),
        percent_re=re.compile(
            r"\s*(%)|\s+(" + _alt([w for w in data["percent_words"] if w != "%"]) + r")\b", re.IGNORECASE
        ),
        currency_word_re=re.compile(
            r"\s+(?:of\s+)?(" + _alt(list(data["currency_words"])) + r")\b(\s+of\b)?", re.IGNORECASE
        ),
        multiplier_re=re.compile(
            r"(?:\s+|-)?(" + _alt(list(mult)) + r")\b|\s?(bn|mn|tn|trn|m|k)\b", re.IGNORECASE
        ),
    )


# ---------------------------------------------------------------- values of cores
def _word_value(phrase: str, units: Units) -> float | None:
    total = 0.0
    current = 0.0
    seen = False
    for w in re.split(r"[\s-]+", phrase.lower()):
        if w in ("a", "an"):
            current = 1.0
            continue
        if w == "and":
            continue
        if w in units.number_words:
            current += units.number_words[w]
            seen = True
        elif w in units.multipliers:
            m = units.multipliers[w]
            current = (current or 1.0) * m
            seen = True
            if m >= 1000:
                total += current
                current = 0.0
        else:
            return None
    return total + current if seen else None


def _digits_value(s: str) -> float:
    return float(s.replace(",", ""))


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    num_start: int
    num_end: int
    value: float | None
    value_high: float | None = None
    value_text: str | None = None
    unit: str | None = None
    kind: str = "quantity"
    approx: str | None = None
    is_digits: bool = False
    is_words: bool = False
    has_multiplier: bool = False


# ---------------------------------------------------------------- furniture blocks
def _furniture_spans(text: str) -> list[tuple[int, int]]:
    """Runs of short (non-prose) lines holding at least two bare price / plan lines."""
    lines: list[tuple[int, int, str]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            lines.append((pos, pos + len(line), stripped))
        pos += len(line)
    spans: list[tuple[int, int]] = []
    run: list[tuple[int, int, str]] = []

    def close() -> None:
        if sum(1 for _, _, s in run if _BARE_FIGURE_LINE.match(s)) >= 2:
            spans.append((run[0][0], run[-1][1]))
        run.clear()

    for ln in lines:
        s = ln[2]
        prose = len(s) >= 80 and bool(_PROSE_END.search(s)) or len(s.split()) >= 20
        if prose:
            close()
        else:
            run.append(ln)
    close()
    return spans


def _excluded_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SPECIAL.finditer(text)]


class _Spans:
    """Sorted spans answering "does [start, end) overlap one of you?" in logarithmic time."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.max_end: list[int] = []
        running = -1
        for _, e in self.spans:
            running = max(running, e)
            self.max_end.append(running)

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self.starts, end)  # spans starting before ``end``
        return k > 0 and self.max_end[k - 1] > start


# ---------------------------------------------------------------- guards on the number itself
def _is_designator(text: str, start: int, end: int) -> bool:
    """``G7``, ``F-16``, ``Su-34``, ``COVID-19``, ``MH17``, ``5G``, ``1.2.3``, ``#3``."""
    before = text[start - 1] if start > 0 else " "
    if before.isalpha() or before in "#№_/\\":
        return True
    if before in "-‐‑" and start > 1 and (text[start - 2].isalpha() or text[start - 2].isdigit()):
        return True  # F-16; the second number of a range "200-300" is taken with the first
    if before == "." and start > 1 and text[start - 2].isdigit():
        return True
    if end < len(text) and text[end] == "." and end + 1 < len(text) and text[end + 1].isdigit():
        return True
    return False


def _is_list_number(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    if not _LIST_NUMBER.match(text[line_start:start]):
        return False
    rest = text[end : end + 2]
    line_end = text.find("\n", end)
    return rest[:1] in (".", ")") or text[end : line_end if line_end >= 0 else len(text)].strip() == ""


def _is_date_part(text: str, start: int, end: int, value: float) -> bool:
    if value <= 31 and value == int(value):
        if _MONTH_BEFORE.search(text, max(0, start - 20), start) or _MONTH_AFTER.match(text, end):
            return True
    return False


def _year_like(c: _Cand, raw: str) -> bool:
    return (
        c.is_digits
        and c.value is not None
        and "," not in raw
        and "." not in raw
        and len(raw) == 4
        and 1800 <= c.value <= 2100
        and c.unit is None
        and not c.has_multiplier
    )


# ---------------------------------------------------------------- the parse
class _DocIndex:
    """Character offset → token of a spaCy Doc."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        n = len(doc.text)
        self.at: list[int] = [-1] * (n + 1)
        for tok in doc:
            for k in range(tok.idx, min(n, tok.idx + len(tok.text))):
                self.at[k] = tok.i

    def token(self, char: int) -> Token | None:
        if 0 <= char < len(self.at) and self.at[char] >= 0:
            return self.doc[self.at[char]]
        return None


_GAP_STOP = re.compile(
    r"[,;:|/\n()\[\]]|\s(?:and|or|but|to|from|in|on|at|by|with|last|this|next|past|previous|every|per|a|an)\s",
    re.IGNORECASE,
)
_STOP_DEPS = frozenset({"punct", "cc", "conj", "appos", "advcl", "parataxis"})
_RIGHT_DEPS = frozenset({"prep", "relcl", "acl", "amod", "advmod", "pobj", "compound"})
_NOUN_POS = frozenset({"NOUN", "PROPN"})


def _is_noun(tok: Token) -> bool:
    return tok.pos_ in _NOUN_POS and tok.text[:1].isalpha()


def _head_noun(idx: _DocIndex, c: _Cand, text: str) -> Token | None:
    """The noun the number (or its unit) modifies."""
    last = idx.token(c.end - 1)
    if last is not None and _is_noun(last) and last.idx >= c.num_end:
        return last
    num = idx.token(c.num_end - 1)
    if num is None:
        return None
    head = num.head
    if head.i > num.i and _is_noun(head) and head.i - num.i <= 6:
        if _verb_as_noun(num, head, c):
            return None
        return head if _GAP_STOP.search(text, c.end, head.idx) is None else None
    if num.dep_ == "compound" and head.pos_ == "NUM" and _is_noun(head.head):
        return head.head if head.head.i > num.i else None
    # fall back: the first noun within four tokens, crossing only adjectives/numbers/hyphens
    for tok in num.doc[num.i + 1 : num.i + 5]:
        if _is_noun(tok):
            return tok if _GAP_STOP.search(text, c.end, tok.idx) is None else None
        if tok.pos_ not in ("ADJ", "NUM", "ADV") and tok.text not in ("-", "–"):
            return None
    return None


def _verb_as_noun(num: Token, head: Token, c: _Cand) -> bool:
    """ "… 12 million people were displaced and 25 million face acute hunger": a singular noun right
    after a plural count, modifying the next noun, with no article or possessive before the count, is
    the clause's verb misread (unlike "a 28 point plan")."""
    if c.value is None or c.value < 2 or head.tag_ != "NN" or head.i != num.i + 1:
        return False
    if head.dep_ != "compound" or head.head.i <= head.i:
        return False
    first = num
    while first.i > 0 and first.doc[first.i - 1].pos_ in ("NUM", "ADV", "ADJ", "ADP", "SYM"):
        first = first.doc[first.i - 1]
    before = first.doc[first.i - 1] if first.i > 0 else None
    return before is None or not (before.pos_ in ("DET", "PRON") or before.tag_ == "POS")


def _what(head: Token, num_end: int) -> tuple[str, int, int]:
    """The counted noun phrase: head + compound/amod before it + "of …"/relative clause after it."""
    doc = head.doc
    left = head.i
    for child in head.lefts:
        if child.idx >= num_end and child.dep_ in ("amod", "compound", "nmod", "nummod", "npadvmod", "poss"):
            left = min(left, child.left_edge.i)
    while left < head.i and (doc[left].idx < num_end or doc[left].pos_ in ("PUNCT", "NUM", "DET")):
        left += 1
    right = head.i
    for child in head.rights:
        if child.dep_ in _RIGHT_DEPS and not (child.dep_ == "prep" and child.lower_ not in ("of", "close")):
            right = max(right, child.right_edge.i)
        elif child.dep_ in _STOP_DEPS:
            break
    # cut at the first comma/semicolon/dash after the head, and cap the length
    for k in range(head.i + 1, right + 1):
        if doc[k].text in (",", ";", ":", "—", "–", "(", ")") or doc[k].is_sent_start or "\n" in doc[k].text:
            right = k - 1
            break
    right = min(right, head.i + 12)
    span = doc[left : right + 1]
    return span.text, span.start_char, span.end_char


# ---------------------------------------------------------------- main
def find_figures(
    text: str,
    *,
    nlp_doc: Doc | None = None,
    timexes: Sequence[TimeExpr] = (),
    units: Units | None = None,
) -> list[Figure]:
    """The figures of ``text``: numbers with their unit, what they count, range and approximation.

    ``nlp_doc`` is a spaCy parse of ``text`` to reuse (one is made with
    :func:`storyline.analyze.nlp.get_nlp` otherwise); ``timexes`` are the time expressions of
    the same text (their DATE/TIME spans are never figures; DURATION spans may be).
    """
    units = units or load_units()
    cands = _candidates(text, units, timexes)
    if not cands:
        return []
    if nlp_doc is None:
        from .nlp import get_nlp

        nlp_doc = get_nlp()(text)
    if nlp_doc.text != text:
        raise ValueError("[F001] nlp_doc is not a parse of the text given")
    idx = _DocIndex(nlp_doc)
    out: list[Figure] = []
    for c in cands:
        fig = _finish(text, c, idx, units)
        if fig is None:
            continue
        fig = _inherit(text, fig, out[-1] if out else None)
        if fig is not None:
            out.append(fig)
    return _drop_repeats(text, out)


# counts that continue one before them without a noun: "… and 40 wounded", "two more", "… of whom"
_CASUALTY_WORDS = ("wounded", "injured", "killed", "dead", "missing", "hurt", "arrested", "detained")
_ELLIPTIC = re.compile(
    r"\s+(more|others?|of\s+(?:them|whom|those|these)|" + "|".join(_CASUALTY_WORDS) + r")\b"
)
_BARE = "\x00bare"
_PARTITIVE = re.compile(r"\s+of\s+(?=(?:the|these|those|its|their|our|his|her|all\s+the)\s)", re.I)


def _inherit(text: str, fig: Figure, prev: Figure | None) -> Figure | None:
    """Elliptic figures take the unit of the figure before them in the same sentence.

    "killed two civilians and wounded two more", "12 people were killed and 40 wounded", "a cap of
    600,000 troops, down from about 880,000". A bare number with nothing to continue is dropped.
    """
    bare = fig.what == _BARE
    if (
        fig.kind == "quantity"
        and fig.unit is None
        and (fig.what or "").lower() in _TALLY_NOUNS
        and prev is not None
        and prev.kind == "quantity"
        and prev.unit is not None
        and 0 <= fig.start - prev.end < 400
        and "\n" not in text[prev.end : fig.start].strip()
    ):
        # "More than 5,000 workers have joined the walkout … The operators put the number at about
        # 3,000": the other side's count of the same thing
        return replace(fig, unit=prev.unit, what=prev.what)
    # "… and 25 million face acute hunger": a count of nothing continues the count before it
    uncounted = fig.kind == "quantity" and fig.unit is None and fig.what is None
    # "three civilians were killed and five others injured": "others" counts what came before
    others = fig.kind == "quantity" and (fig.unit or "").lower() in ("others", "more")
    if (
        not bare
        and not uncounted
        and not others
        and (fig.unit is not None or fig.what is None or _ELLIPTIC.match(" " + fig.what) is None)
    ):
        return fig
    same_sentence = (
        prev is not None
        and prev.unit is not None
        and 0 <= fig.start - prev.end < 150
        and re.search(r"[.!?]\s|\n", text[prev.end : fig.start]) is None
    )
    if not same_sentence or prev is None:
        return None if bare else fig
    if uncounted and prev.kind != "quantity":
        return fig  # "$5 billion … and 3 million": a count does not continue a sum of money
    what = prev.what if bare or uncounted or others or _OF_THEM.match(fig.what or "") else fig.what
    if (fig.what or "").lower() in _CASUALTY_WORDS and (prev.unit or "").lower() not in _PERSON_UNITS:
        # "sent 12 ambulances to a hospital which had received more than 500 wounded": people
        return replace(fig, unit="people", kind="quantity", what=fig.what)
    return replace(fig, unit=prev.unit, kind=prev.kind, what=what)


_OF_THEM = re.compile(r"of\s+(?:them|whom|those|these)\b", re.I)  # "1.4 million of whom": the count before
_PERSON_UNITS = frozenset(
    "people persons person civilians civilian soldiers soldier troops children child women men residents "
    "officials fighters prisoners patients workers migrants refugees victims members protesters "
    "demonstrators journalists police officers students servicemen militants passengers villagers "
    "inhabitants citizens adults minors infants babies".split()
)


def _context_key(text: str, fig: Figure) -> str:
    before = text[max(0, fig.start - 40) : fig.start]
    return _QUOTES.sub("'", " ".join(f"{before}\x00{fig.text}".split())).lower()


_QUOTES = re.compile(r"[’‘`´]")


def _drop_repeats(text: str, figures: list[Figure]) -> list[Figure]:
    """A figure repeated in a repeated sentence (a standfirst copied into the body) is kept once, last."""
    last: dict[str, int] = {}
    for i, fig in enumerate(figures):
        last[_context_key(text, fig)] = i
    return [fig for i, fig in enumerate(figures) if last[_context_key(text, fig)] == i]


def _candidates(text: str, units: Units, timexes: Sequence[TimeExpr]) -> list[_Cand]:
    furniture = _Spans(_furniture_spans(text))
    special = _Spans(_excluded_spans(text))
    dates = _Spans([(t.start, t.end) for t in timexes if t.type in ("DATE", "TIME", "SET")])
    out: list[_Cand] = []
    pos = 0
    while (m := units.core_re.search(text, pos)) is not None:
        pos = m.end()
        core = _core(text, m, units)
        if core is None:
            continue
        pos = core.num_end  # a cut core ("eight and fourteen") resumes after its first number
        c = _extend(text, core, units)
        if c is None:
            continue
        if furniture.overlaps(c.num_start, c.num_end) or special.overlaps(c.num_start, c.num_end):
            continue
        if c.kind != "ordinal" and dates.overlaps(c.num_start, c.num_end):
            continue
        out.append(c)
        pos = max(pos, c.end)
    return out


def _core(text: str, m: re.Match[str], units: Units) -> _Cand | None:
    s, e = m.start(), m.end()
    group = m.lastgroup
    raw = m.group()
    low = re.sub(r"\s+", " ", raw.lower())
    prev = _PREV_WORD.search(text, max(0, s - 24), s)
    if prev and prev.group(1).lower() in units.designator_words and group in ("digits", "words"):
        return None  # "Article 5", "Leopard 2 tanks", "No. 10", "World War Two"
    if group in ("words", "vague", "frac") and raw[:1].isupper() and not _sentence_start(text, s):
        return None  # "the Group of Seven", "the Big Three"
    if group == "digits":
        if _is_designator(text, s, e) or _is_list_number(text, s, e):
            return None
        value = _digits_value(raw)
        if _TIME_AFTER.match(text, e) or (s > 0 and text[s - 1] == ":"):
            return None
        if _MIN_READ.match(text, e) or _is_date_part(text, s, e, value):
            return None
        c = _Cand(start=s, end=e, num_start=s, num_end=e, value=value, is_digits=True)
        glued = re.match(r"[^\W\d_]+", text[e : e + 80])
        if glued:
            suffix = glued.group().lower()
            if suffix in ("st", "nd", "rd", "th"):
                c.kind, c.end, c.num_end = "ordinal", e + len(suffix), e + len(suffix)
            elif suffix in units.multiplier_suffixes and (
                suffix != "m" or _currency_before(text, s, units) is not None
            ):
                c.value = _scaled(value, units.multiplier_suffixes[suffix])
                c.end = c.num_end = e + len(suffix)
                c.has_multiplier = True
            elif suffix in units.units or suffix in ("km2", "pc"):
                pass  # handled as a unit / percent by _extend
            else:
                return None  # 5G, 3D, 1990s, 9am
        return c
    if group == "words":
        # "two hundred and fifty" is one number; "eight and fourteen percent" are two
        for a in re.finditer(r"\s+and\s+", raw):
            before_and = raw[: a.start()].lower().split()[-1].split("-")[-1]
            if before_and not in units.multipliers:
                e = s + a.start()
                raw = raw[: a.start()]
                low = re.sub(r"\s+", " ", raw.lower())
                break
        word_value = _word_value(low, units)
        if word_value is None:
            return None
        return _Cand(start=s, end=e, num_start=s, num_end=e, value=word_value, is_words=True)
    if group == "vague":
        if low in ("scores", "tens") or (low.startswith("tens") and " of " not in low):
            if not re.match(r"\s+of\b", text[e : e + 80]):
                return None
        return _Cand(start=s, end=e, num_start=s, num_end=e, value=None, value_text=low)
    if group == "frac":
        parts = re.split(r"[\s-]+", low)
        if parts == ["half"]:
            before = text[max(0, s - 12) : s].lower()
            if re.search(r"\b(?:first|second|other|a|and)\s+$", before) or not re.match(
                r"\s+(?:of|the|a|an|its|their|his|her)\b", text[e : e + 80], re.IGNORECASE
            ):
                return None
            return _Cand(start=s, end=e, num_start=s, num_end=e, value=0.5, kind="fraction")
        if parts[0] in ("a", "an") and not re.match(r"\s+of\b", text[e : e + 80]):
            return None
        if "-" not in raw and not re.match(r"\s+of\b", text[e : e + 80]):
            return None
        count = 1.0 if parts[0] in ("a", "an") else units.number_words[parts[0]]
        return _Cand(
            start=s, end=e, num_start=s, num_end=e, value=count * units.fractions[parts[-1]], kind="fraction"
        )
    if group == "ord":
        return _Cand(start=s, end=e, num_start=s, num_end=e, value=float(units.ordinals[low]), kind="ordinal")
    return None


_PREV_WORD = re.compile(r"\b([A-Za-z]+)\.?\s+$")


def _sentence_start(text: str, s: int) -> bool:
    k = s - 1
    while k >= 0 and text[k] in " \t\"“‘'(":
        k -= 1
    return k < 0 or text[k] in ".!?\n:;—–-•*"


def _currency_before(text: str, s: int, units: Units) -> tuple[str, int] | None:
    """The currency written before the number at ``s`` ("$", "US$", "Rs", "USD") and where it starts."""
    window = text[max(0, s - 5) : s]
    stripped = window.rstrip()
    if len(window) - len(stripped) <= 1:
        for sym in sorted(units.currency_symbols, key=len, reverse=True):
            if stripped.endswith(sym):
                start = s - (len(window) - len(stripped)) - len(sym)
                if sym[0].isalpha() and start > 0 and text[start - 1].isalpha():
                    continue  # "Mrs 5"
                return units.currency_symbols[sym], start
    m = re.search(r"\b([A-Z]{3})\s$", text[max(0, s - 5) : s])
    if m and m.group(1) in units.currency_codes:
        return m.group(1), s - len(m.group())
    return None


def _next_value(text: str, pos: int, units: Units) -> tuple[float, int] | None:
    m = units.core_re.match(text, pos)
    if m is None or m.lastgroup not in ("digits", "words"):
        return None
    if m.lastgroup == "digits":
        value = _digits_value(m.group())
    else:
        v = _word_value(m.group(), units)
        if v is None:
            return None
        value = v
    return value, m.end()


def _extend(text: str, c: _Cand, units: Units) -> _Cand | None:  # noqa: C901 - a cascade, read top-down
    # currency before
    cur = _currency_before(text, c.num_start, units) if c.kind == "quantity" else None
    if cur is not None:
        c.unit, c.kind, c.start = cur[0], "money", cur[1]
    if c.kind == "ordinal":
        m = re.match(r"((?:\s+[a-z]+){0,2}?)\s+([a-z]+)\b", text[c.end : c.end + 80])
        if c.value is None or c.value < 2 or m is None or m.group(2).lower() not in units.ordinal_heads:
            return None
        c.unit = f"{m.group(2).lower()} (ordinal)"
        c.end = c.end + m.end()
        return _approx(text, c, units)
    # multiplier words: "1.5 million", "$2bn" (suffix handled in _core)
    if (c.is_digits or c.is_words) and not c.has_multiplier and c.value is not None:
        m = units.multiplier_re.match(text, c.num_end)
        if m and (m.group(1) or c.kind == "money"):
            word = (m.group(1) or m.group(2)).lower()
            factor = units.multipliers.get(word) or units.multiplier_suffixes.get(word)
            if factor and (not c.is_words or factor >= 1000 or c.value < 100):
                c.value = _scaled(c.value, factor)
                c.end = c.num_end = m.end()
                c.has_multiplier = True
                m2 = units.multiplier_re.match(text, c.num_end)
                if m2 and m2.group(1) and units.multipliers[m2.group(1).lower()] > factor:
                    c.value = _scaled(c.value, units.multipliers[m2.group(1).lower()])  # "2 lakh crore"
                    c.end = c.num_end = m2.end()
    # "one in five Ukrainians"
    if (c.is_digits or c.is_words) and c.value is not None and c.kind == "quantity" and not c.has_multiplier:
        m = re.match(r"\s+in\s+(?:every\s+)?", text[c.end : c.end + 80])
        nxt = _next_value(text, c.end + m.end(), units) if m else None
        if nxt is not None and nxt[0] > c.value:
            c.value = c.value / nxt[0]
            c.kind = "fraction"
            c.end = c.num_end = nxt[1]
            return _approx(text, c, units)
    # "eight and fourteen percent": the first number shares the second's percent sign or unit
    m = re.match(r"\s*(?:,|and|or)\s+", text[c.end : c.end + 80])
    nxt = _next_value(text, c.end + m.end(), units) if m and c.kind == "quantity" else None
    if nxt is not None and c.value is not None:
        pm = units.percent_re.match(text, nxt[1])
        if pm:
            c.unit, c.kind = (
                units.percent_words[re.sub(r"\s+", " ", (pm.group(1) or pm.group(2)).lower())],
                "percent",
            )
            return _approx(text, c, units)
    # ranges: "200-300", "5 to 10", "between 5 and 10"
    before = text[max(0, c.start - 12) : c.start].lower()
    between = re.search(r"\b(between|from)\s+$", before)
    if c.value is not None and c.kind in ("quantity", "money"):
        sep = re.compile(r"\s*(?:--|-|–|—|to)\s*(?:[$£€₹]\s?)?" if c.is_digits else r"\s+(?:to|or)\s+")
        if between:
            sep = re.compile(
                r"\s*(?:and|to|-|–)\s*(?:[$£€₹]\s?)?" if between.group(1) == "between" else r"\s+to\s+"
            )
        m = sep.match(text, c.end)
        nxt = _next_value(text, m.end(), units) if m else None
        if m and nxt is not None:
            high, high_end = nxt
            mm = units.multiplier_re.match(text, high_end)
            if mm and mm.group(1):
                factor = units.multipliers[mm.group(1).lower()]
                high = _scaled(high, factor)
                if not c.has_multiplier:
                    c.value = _scaled(c.value, factor)
                high_end = mm.end()
            if high > c.value or between:
                c.value_high = high
                c.end = c.num_end = high_end
                if between:
                    c.start = c.start - len(between.group())
            elif c.is_digits and m.group().strip() in ("-", "–"):
                return None  # "a 43-39 record", "a 2-1 win": a score, not an amount
    # vague chains: "hundreds of millions"
    if c.value_text is not None:
        m = re.match(
            r"(\s+of\s+(?:" + _alt(["thousands", "millions", "billions"]) + r"))+\b", text[c.end : c.end + 80]
        )
        if m:
            c.end = c.num_end = c.end + m.end()
            c.value_text = re.sub(r"\s+", " ", text[c.num_start : c.num_end].lower())
    # percent
    m = units.percent_re.match(text, c.end)
    if m and c.kind in ("quantity",):
        word = (m.group(1) or m.group(2)).lower()
        c.unit, c.kind, c.end = units.percent_words[re.sub(r"\s+", " ", word)], "percent", m.end()
        return _approx(text, c, units)
    # currency words: "200 million dollars", "hundreds of millions of pounds"
    m = units.currency_word_re.match(text, c.end)
    if m and c.kind == "quantity":
        of_ok = c.value_text is not None or c.has_multiplier
        if "of" not in m.group().split()[0:1] or of_ok:
            word = re.sub(r"\s+", " ", m.group(1).lower())
            if word.startswith("pound") and m.group(2):
                c.unit = "lb"  # "300 pounds of explosives": weight
            else:
                c.unit, c.kind = units.currency_words[word], "money"
            c.end = c.start + (m.end(1) - c.start)
            return _approx(text, c, units)
    # units: "1,415 square kilometers", "five hours", "10km"
    m = units.unit_re.match(text, c.end)
    if m and c.kind == "quantity":
        unit, kind = units.units[re.sub(r"\s+", " ", m.group(1).lower())]
        c.unit, c.kind, c.end = unit, kind, m.end()
        if kind in ("length", "speed"):
            c.kind = "quantity"
        if kind == "duration" and (c.value_text is None and (c.value == 1 or c.value is None)):
            return None  # "a day earlier", "one year"
        if kind == "duration" and re.match(
            r"\s+(?:ago|earlier|later|before|after)\b", text[c.end : c.end + 80]
        ):
            return None  # "2 hours ago", "three days later": a date, not an amount
    return _approx(text, c, units)


def _approx(text: str, c: _Cand, units: Units) -> _Cand:
    m = units.approx_re.search(text, max(0, c.start - 30), c.start)
    if m and text[c.num_end : c.num_end + 1] == "-" and m.group(1).lower() in _PREPOSITION_MARKERS:
        return c  # "talks over 28-point plan": "over" governs the noun phrase, it does not bound the 28
    if (
        m
        and m.group(1).lower().startswith("up")
        and _UP_PARTICLE.search(text, max(0, m.start(1) - 20), m.start(1))
    ):
        return c  # "unemployment edged up to 6.3%": "up" is the verb's, the figure is no upper bound
    if m:
        c.approx = re.sub(r"\s+", " ", m.group(1).lower())
        c.start = m.start(1)
    return c


def _scaled(value: float, factor: float) -> float:
    """``value * factor`` as the decimal numbers they were written as: "4.1 billion" is 4100000000.0,
    not the binary product 4099999999.9999995 (which would not equal "4,100,000,000" elsewhere)."""
    return float(Decimal(repr(value)) * Decimal(repr(factor)))


_PREPOSITION_MARKERS = frozenset({"over", "under", "above", "below"})
_UP_PARTICLE = re.compile(
    r"\b(?:edg|tick|mov|went|go|goes|going|gone|crept|creep|inch|shot|shoot|revis|climb|jump|bump|"
    r"step|ramp|rack|pick|push|scal|round|rose|rise|risen|rising|pull|drove|driv)\w*\s+$",
    re.IGNORECASE,
)


def _finish(text: str, c: _Cand, idx: _DocIndex, units: Units) -> Figure | None:
    raw = text[c.num_start : c.num_end]
    head = _head_noun(idx, c, text)
    if head is None and c.value_text is not None and c.unit is None:
        head = _of_noun(idx, text, c.end)  # "tens of thousands of people"
    what: str | None = None
    end = c.end
    what_from = c.num_end
    unit = c.unit
    kind = c.kind
    if (
        head is not None
        and head.idx < c.end
        and c.kind in ("money", "percent", "area", "duration", "quantity")
    ):
        # the head is the unit itself: what is counted is its "of" complement, if any, or the noun a
        # hyphenated unit modifies ("a 30-day ceasefire", "a 1,000-km front line")
        of_head = _of_noun(idx, text, c.end, "of|in|worth\\s+of" if kind == "money" else "of")
        if of_head is not None and not (kind == "duration" and of_head.lemma_.lower() in _CALENDAR_NOUNS):
            what = _what(of_head, c.end)[0]  # not "the first two months of the year": a stretch of time
        elif text[c.num_end : c.num_end + 1] == "-" and head.head.i > head.i and _is_noun(head.head):
            what = _what(head.head, c.end)[0]

        old = re.match(r"[\s-]old\b[\s-]*", text[c.end : c.end + 80])
        if kind == "duration" and old is not None:
            kind, unit = "quantity", "years (age)"  # "a 45-year-old man": the man's age
            aged = idx.token(c.end + old.end())
            for _ in range(3):  # "a 45-year-old Ukrainian soldier": up to the noun
                if aged is None or aged.dep_ not in ("amod", "compound", "nmod") or aged.head.i < aged.i:
                    break
                aged = aged.head
            if what is None and aged is not None and _is_noun(aged):
                # the noun with what stands before it ("former employee", "Richard Viguerie"), not
                # its clauses: whose age it is
                after = c.end + old.end()
                mods = [
                    max(t.left_edge.idx, t.idx if t.left_edge.idx < after else 0)
                    for t in aged.lefts
                    if t.idx >= after
                ]
                what = text[min(mods, default=aged.idx) : aged.idx + len(aged)]
        head = None
    elif head is not None and text[c.end : c.end + 1] == "-" and head.idx == c.end + 1:
        # "a 28-point plan", "a 27-member bloc", "30,000-strong troops": the noun after
        if head.head.i > head.i and _is_noun(head.head):
            after = head.idx + len(head.text)
            if head.lower_ != "strong":
                unit = f"{head.lower_}s" if not head.lower_.endswith("s") else head.lower_
                what = _what(head.head, after)[0]
                end = after
                head = None
            else:
                head, what_from = head.head, after
    if c.kind == "quantity" and c.is_digits and _after_name(idx, c.num_start):
        return None  # "Trent 900 engines", "the Boeing 737 fleet": a model number
    if head is None and kind == "quantity" and unit is None:
        # "shot down 361 of the drones", "88 of the 273 drones": a count out of a plural set
        head = _partitive_noun(idx, text, c.end)
        if head is not None:  # what is counted starts after "the" / "their"
            what_from = max([t.idx + len(t) for t in head.lefts if t.pos_ in ("DET", "PRON")], default=c.end)
    if head is not None:
        if c.kind == "quantity" and _year_like(c, raw):
            # "2000 troops" is a count; "the 2022 invasion", "Ukraine's 1991 borders" are years
            num = idx.token(c.num_start)
            if num is None or head.tag_ != "NNS" or head.lower_ in units.units or num.i == 0:
                return None
            if num.doc[num.i - 1].pos_ in ("DET", "PART", "ADP", "PRON") or num.doc[num.i - 1].tag_ == "POS":
                return None
        if head.lower_ in units.furniture_heads:
            return None
        if (
            c.is_digits
            and c.kind == "quantity"
            and head.tag_ in ("NN", "NNP")
            and head.text[0].isupper()
            and not head.lower_.endswith("s")
            and not _title_case(text, c.num_start)
        ):
            return None  # "the 787 Dreamliner": a model name
        what, w_start, w_end = _what(head, what_from)
        if c.kind in ("quantity", "ordinal", "fraction") and head.idx >= c.end:
            gap = text[c.end : head.idx]
            if len(gap) <= 60 and "," not in gap and "\n" not in gap:
                end = head.idx + len(head.text)
        if c.kind == "fraction" and re.match(r"\s+of\b", text[c.end : c.end + 80]):
            end = max(end, w_end)
    elif c.kind == "quantity" and what is None:
        if _year_like(c, raw):
            return None
        nxt = re.match(_ELLIPTIC, text[c.end : c.end + 80])
        tally = None if nxt or unit is not None else _tally_noun(idx, c)
        if tally is not None:
            # "the death toll had risen to 2,053", "put the toll at 1,120": the number is the tally's
            mods = [m.i for m in tally.children if m.dep_ in ("compound", "amod") and m.i < tally.i]
            left = tally.doc[min(mods, default=tally.i)].idx
            what = text[left : tally.idx] + _what(tally, tally.idx + len(tally.text))[0]  # "death toll"
            unit = "people" if tally.lemma_.lower() == "toll" else None
        elif unit is None and c.value_text is None and not c.has_multiplier and not nxt:
            # a bare number: a label, a score, a reference — unless it continues an earlier figure
            # of the same sentence ("600,000 troops, down from about 880,000"); see _inherit — or a
            # verb of counting says what it counts ("the army numbers about 880,000")
            if not (c.value is not None and c.value >= 10 and re.search(r"\d,\d{3}|\.\d", raw)):
                return None
            what = _counted_subject(idx, c) or _BARE
        if nxt:
            what = nxt.group(1)
            end = c.end + nxt.end()
    elif c.kind == "fraction":
        of_head = _of_noun(idx, text, c.end)
        if of_head is not None:
            what, _, end = _what(of_head, c.end)
    if what is None and head is None and kind in ("money", "percent", "area"):
        of_head = _of_noun(idx, text, end, "of|in|worth\\s+of" if kind == "money" else "of")
        if of_head is not None:
            what = _what(of_head, end)[0]
        elif kind == "percent":
            unit_tok = idx.token(c.end - 1)  # "an additional 100% tariff": the noun the "%" modifies
            if (
                unit_tok is not None
                and unit_tok.dep_ in ("compound", "amod", "nmod")
                and unit_tok.head.i > unit_tok.i
                and _is_noun(unit_tok.head)
                and unit_tok.head.lemma_.lower() not in _CHANGE_NOUNS
                # not another unit: a gapped list ("… and X 29 percent") hangs one percentage off the next
                and unit_tok.head.lower_ not in ("percent", "%", "per", "cent")
            ):
                what = _what(unit_tok.head, c.end)[0]
    if what is None and head is None and unit is not None and kind in _CLAUSE_KINDS:
        what = _clause_what(idx, c)
    share = _share_holder(idx, c) if kind == "percent" and head is None else None
    if share is not None and (what is None or share[1]):
        what = share[0]
    # one, a: not a figure unless it carries a unit or a multiplier
    if c.value == 1 and kind in ("quantity", "source_count", "duration") and not c.has_multiplier:
        if head is not None or unit is None or kind == "duration":
            return None
    if c.value == 0 and head is not None and head.tag_ == "NN" and kind == "quantity" and unit is None:
        return None  # "zero gratitude", "zero tolerance": a manner of speaking, not a count
    if head is not None and kind == "quantity" and unit is None:
        lemma = head.lower_
        if _anaphoric(text, c, lemma, units):
            return None
        if _ranking(idx, c, head):
            return None
        unit = lemma
        if lemma in units.source_nouns and _source_context(text, head, units):
            kind = "source_count"
    return Figure(
        start=c.start,
        end=end,
        text=text[c.start : end],
        value=c.value,
        value_high=c.value_high,
        value_text=c.value_text,
        unit=unit,
        what=what,
        kind=kind,
        approx=c.approx,
        number_span=(c.num_start, c.num_end),
        predicate=_predicate(idx, c),
    )


def attach_events(figures: Sequence[Figure], events: Sequence[EventMention], *, doc: Doc) -> list[Figure]:
    """Each figure with the event mention it belongs to (``event`` = the trigger's span): the event
    whose trigger is the first verb above the number ("273 drones were *fired*"), a noun trigger the
    number modifies ("a 30-day *ceasefire*") or counts the "of" complement of ("two days of *talks*").
    A verb that is no trigger stops the search: "officials said 120 trucks crossed" links nothing,
    unless it is a participle hanging on a trigger ("*shelled* a camp, killing 42 people"; on a report
    after its clause, the reported event: "*launched* 464 drones, the air force said, killing seven")."""
    by_start = {e.start: e for e in events}
    out: list[Figure] = []
    for f in figures:
        span = doc.char_span(f.number_span[0], f.number_span[1], alignment_mode="expand")
        found: EventMention | None = None
        tok = span.root if span is not None and len(span) else None
        for _ in range(6):
            if tok is None:
                break
            if tok.idx in by_start:
                found = by_start[tok.idx]
                break
            of = [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children]
            hit = next((p for p in of if p.dep_ == "pobj" and p.idx in by_start), None)
            if hit is not None:
                found = by_start[hit.idx]
                break
            if tok.pos_ == "VERB" or tok.head.i == tok.i:
                # "shelled a camp, killing at least 42 people": a participle of the event's clause
                if tok.pos_ == "VERB" and tok.tag_ in ("VBG", "VBN") and tok.dep_ in ("advcl", "conj"):
                    found = by_start.get(tok.head.idx)
                    if found is not None and found.type == "statement":
                        # "Russia launched 464 drones, the air force said, killing at least seven": the
                        # parser hangs the participle on the report; it continues the reported clause
                        reported = next(
                            (c for c in tok.head.children if c.dep_ == "ccomp" and c.i < tok.head.i), None
                        )
                        if reported is not None and reported.idx in by_start:
                            found = by_start[reported.idx]
                break
            tok = tok.head
        out.append(replace(f, event=(found.start, found.end)) if found is not None else f)
    return out


def _predicate(idx: _DocIndex, c: _Cand) -> str | None:
    """The verb the figure is an argument of, as a lemma ("Russia fired 273 drones" → fire; "intercepted
    88 drones" → intercept; "the evacuation of 2,500 people" → evacuate), climbing at most four heads
    within the sentence; None without one."""
    tok = idx.token(c.num_start)
    for _ in range(4):
        if tok is None:
            return None
        if tok.pos_ == "VERB":
            return str(tok.lemma_).lower()
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in _DEVERBAL:
            return _DEVERBAL[tok.lemma_.lower()]  # "forced the evacuation of 2,500 people": evacuate
        if tok.pos_ == "NOUN" and tok.dep_ == "conj":
            # "three were killed and five others injured": the gapped clause's own participle
            part = next(
                (c for c in tok.children if c.dep_ == "acl" and c.tag_ == "VBN" and c.i == tok.i + 1), None
            )
            if part is not None:
                return str(part.lemma_).lower()
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


# nouns of an act whose "of" object a figure counts, and the act's verb
_DEVERBAL = {
    "evacuation": "evacuate", "displacement": "displace", "death": "die", "killing": "kill",
    "injury": "injure", "arrest": "arrest", "rescue": "rescue", "launch": "launch",
    "interception": "intercept", "capture": "capture", "release": "release", "exchange": "exchange",
}  # fmt: skip


_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


def _after_name(idx: _DocIndex, num_start: int) -> bool:
    """The number follows a proper name inside a sentence that is not in title case."""
    num = idx.token(num_start)
    if num is None or num.i == 0 or num.is_sent_start:
        return False
    prev = num.doc[num.i - 1]
    if prev.pos_ != "PROPN" or not prev.text[:1].isupper() or prev.is_sent_start or prev.lower_ in _MONTHS:
        return False
    return not _title_case(num.doc.text, num.idx)


_TALLY_NOUNS = frozenset({"toll", "tally", "count", "number", "total", "figure", "estimate"})
_TALLY_PREPS = frozenset({"to", "at"})


def _tally_noun(idx: _DocIndex, c: _Cand) -> Token | None:
    """The tally a bare number gives the value of: "the death toll rose *to* 2,053", "put the toll *at*
    1,120", "the number stood at 40" — the subject or object of the verb the number's preposition
    hangs on."""
    num = idx.token(c.num_start)
    if num is None:
        return None
    tok = num.head if num.dep_ in ("nummod", "quantmod", "compound") and num.head.like_num else num
    if tok.dep_ != "pobj" or tok.head.lower_ not in _TALLY_PREPS:
        return None
    verb = tok.head.head
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass", "dobj") and child.lemma_.lower() in _TALLY_NOUNS:
            return child
    return None


def _title_case(text: str, pos: int) -> bool:
    """The line at ``pos`` is a headline in title case ("Russia Fires 273 Drones"): capitals say nothing."""
    start = text.rfind("\n", max(0, pos - 300), pos) + 1
    end = text.find("\n", pos, pos + 300)
    words = _LONG_WORD.findall(text, start, end if end >= 0 else min(len(text), pos + 300))
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def _of_noun(idx: _DocIndex, text: str, pos: int, preps: str = "of") -> Token | None:
    """The noun of an "of" complement starting at ``pos``: "… of (the) people"."""
    m = re.match(rf"\s+(?:{preps})\s+", text[pos : pos + 16])
    if m is None:
        return None
    tok = idx.token(pos + m.end())
    for _ in range(4):
        if tok is None:
            return None
        if _is_noun(tok):
            for _ in range(4):  # "of Bayou La Batre's population" → population
                if tok.dep_ in ("compound", "poss", "nmod") and tok.head.i > tok.i and _is_noun(tok.head):
                    tok = tok.head
            if m.group().split()[0] == "in" and (
                tok.lemma_.lower() in _CALENDAR_NOUNS or tok.pos_ == "PROPN"
            ):
                return None  # "23.1 billion euros in the second quarter", "in China": when or where
            return tok
        if tok.pos_ not in ("DET", "ADJ", "NUM", "ADV") or tok.i + 1 >= len(tok.doc):
            return None
        tok = tok.doc[tok.i + 1]
    return None


def _partitive_noun(idx: _DocIndex, text: str, pos: int) -> Token | None:
    """The plural common noun of a partitive "of the …" at ``pos`` ("361 of the drones", "two of
    their officers", "88 of the 273 drones"); ``None`` when a name comes first ("two of the
    Rolls-Royce Trent 900 engines": a model) or no plural noun follows."""
    m = _PARTITIVE.match(text, pos)
    if m is None:
        return None
    tok = idx.token(m.end())  # the determiner or possessive
    for _ in range(5):
        if tok is None:
            return None
        if tok.pos_ == "NOUN":
            return tok if tok.tag_ == "NNS" else None
        if tok.pos_ not in ("DET", "PRON", "ADJ", "NUM", "ADV") or tok.i + 1 >= len(tok.doc):
            return None
        tok = tok.doc[tok.i + 1]
    return None


_CLAUSE_KINDS = frozenset({"money", "percent", "area", "quantity"})
# "an increase of 5%" says by how much something changed, not what it is
_CHANGE_NOUNS = frozenset(
    "increase rise fall drop decline growth cut reduction jump surge gain loss slump hike change "
    "total sum amount average maximum minimum rate level margin".split()
)
_CALENDAR_NOUNS = frozenset(
    "year month week day decade century quarter season summer winter spring autumn".split()
)
# verbs whose subject gets the share a percentage gives ("won 52.8%", "polled 31%")
_SHARE_VERBS = frozenset("win get receive secure garner poll score take capture gain".split())
# verbs that say what level something stands at: their subject is what the figure measures
_LEVEL_VERBS = frozenset(
    "be reach total stand rise fall climb grow drop hit top exceed amount increase decrease decline "
    "jump surge soar plunge slump double triple fetch near approach slow ease accelerate quicken edge dip "
    "tick shrink contract expand rebound widen narrow cool slip sink slide peak".split()
)


# verbs that set something at a level: with an object, the object is what the figure measures
_MOVE_VERBS = frozenset(
    "raise cut lower lift hike reduce keep hold set leave trim slash boost revise increase decrease "
    "double".split()
)


_SHARE_CONTEXT = re.compile(
    r"\b(?:polls?|polled|votes?|voted|ballots?|elections?|run-?offs?|surveys?|round)\b", re.I
)
_NAME_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def _share_holder(idx: _DocIndex, c: _Cand) -> tuple[str, bool] | None:
    """Whose share a vote or poll percentage is: the name just before it ("… and Karol Nawrocki 29.1
    percent", "put Trzaskowski at 46%"; ``True``: next to it, which beats a clause the parser made of a
    gapped list), or the subject of the share verb or of the verb "with" hangs off ("had won about
    30.8 percent", "finished first with about 31 percent")."""
    first = idx.token(c.start)
    if first is None or first.i == 0:
        return None
    sent = first.sent
    if not (
        _SHARE_CONTEXT.search(sent.text)
        or any(t.lemma_ in _SHARE_VERBS or t.lemma_ in ("put", "finish") for t in sent)
    ):
        return None
    doc = first.doc
    prev = doc[first.i - 1]
    adjacent = False
    if (prev.lower_ == "with" and prev.head.pos_ in ("VERB", "AUX")) or prev.lemma_ in _SHARE_VERBS:
        verb = prev.head if prev.lower_ == "with" else prev
        subj = next((t for t in verb.children if t.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None:
            return None
        prev = subj
    elif prev.lower_ in ("at", "on") and prev.i > sent.start:
        prev, adjacent = doc[prev.i - 1], True
    else:
        adjacent = True
    if prev.pos_ != "PROPN" or prev.ent_type_ not in _NAME_ENTS | {""} or not sent.start <= prev.i < sent.end:
        return None
    ent = next((e for e in doc.ents if e.start <= prev.i < e.end), None)
    if ent is not None:
        return str(ent.text), adjacent
    left = prev.i
    while left > sent.start and doc[left - 1].dep_ == "compound" and doc[left - 1].pos_ == "PROPN":
        left -= 1
    return str(doc[left : prev.i + 1].text), adjacent


_AS_MARKERS = frozenset({"high", "low", "much", "many", "little", "few"})  # "as high as", "as many as"


def _figure_top(tok: Token | None, c: _Cand) -> Token | None:
    """The token of figure ``c`` that hangs outside it, climbing from ``tok`` (one of its tokens)."""
    while tok is not None and tok.head.i != tok.i and c.start <= tok.head.idx < c.end:
        tok = tok.head
    return tok


_COUNTING_VERBS = frozenset({"number", "total", "count"})


def _counted_subject(idx: _DocIndex, c: _Cand) -> str | None:
    """What a bare number counts when a verb of counting says so: "Ukraine's army numbers about
    880,000" (the army), "the crowd numbered 5,000"."""
    tok = _figure_top(idx.token(c.num_end - 1), c)
    if tok is None:
        return None
    verb = tok.head
    if (
        tok.dep_ not in ("dobj", "attr", "npadvmod")
        or verb.pos_ != "VERB"
        or verb.lemma_.lower() not in _COUNTING_VERBS
    ):
        return None
    subj = next((ch for ch in verb.children if ch.dep_ == "nsubj" and _is_noun(ch)), None)
    return _what(subj, subj.sent.start_char)[0] if subj is not None else None


def _clause_what(idx: _DocIndex, c: _Cand) -> str | None:
    """What a figure that is only an amount ("110 billion euros", "30,000 tonnes") measures, read from
    its clause: the subject of a verb of level ("trade … reached 110 billion euros" → trade), the thing
    a change by that amount applies to ("raise its quota by 30,000 tonnes" → its quota). None when the
    clause says nothing usable ("saving companies 4 billion euros", a pronoun subject, no verb)."""
    tok = _figure_top(idx.token(c.end - 1), c)
    if tok is None:
        return None
    first = idx.token(c.num_start)
    if c.value_high is not None and first is not None and first.dep_ == "pobj" and tok.dep_ != "pobj":
        tok = first  # "earnings per share of 10.40 to 11.00 euros": a range the parser split at "to"
    prep = None
    if (
        tok.dep_ == "pobj"
        and tok.head.lower_ == "of"
        and _is_noun(tok.head.head)
        and tok.head.head.lemma_.lower() not in _CHANGE_NOUNS
    ):
        # "the duties of up to 35.3%", "a loan of $2 billion": the noun the amount is "of"
        noun = tok.head.head
        if noun.dep_ == "pobj" and noun.head.lower_ == "per" and _is_noun(noun.head.head):
            noun = noun.head.head  # "earnings per share of 10.40 euros": the earnings per share
        _, w_start, _ = _what(noun, tok.sent.start_char)
        phrase = tok.doc.text[w_start : tok.head.idx].strip()
        return phrase or None
    if tok.dep_ in ("pobj", "npadvmod") and tok.head.lower_ == "worth" and tok.head.dep_ != "acomp":
        # "contracts worth about 450 million euros", "taking bribes worth 1.2 million euros": the noun
        # the amount is the worth of
        worth = tok.head
        valued = worth.head if worth.dep_ == "amod" and _is_noun(worth.head) else None
        if valued is None and worth.i > 0:
            before = worth.doc[worth.i - 1]
            valued = before if _is_noun(before) and before.dep_ in ("dobj", "obj", "pobj", "nsubj") else None
        if valued is not None:
            phrase = _what(valued, valued.sent.start_char)[0]
            return phrase.split(" worth ", 1)[0].strip() or None
    if tok.lower_ in _AS_MARKERS and tok.dep_ in ("advmod", "acomp"):
        verb = tok.head  # "reach as high as 35 percent": the marker (part of the figure) hangs off the verb
    elif tok.dep_ in ("pobj", "npadvmod") and tok.head.lower_ == "worth" and tok.head.dep_ == "acomp":
        prep, verb = "worth", tok.head.head  # "the stake is worth about 14 billion euros": the stake
    elif tok.dep_ == "pobj" and tok.head.dep_ in ("prep", "agent", "dative"):
        prep, verb = tok.head.lower_, tok.head.head
    elif tok.dep_ in ("dobj", "attr", "oprd", "npadvmod", "nsubjpass"):
        verb = tok.head
    else:
        return None
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    if prep == "by" and (
        any(child.dep_ == "dobj" for child in verb.children) or verb.lemma_ not in _LEVEL_VERBS
    ):
        deps: tuple[str, ...] = ("dobj", "nsubjpass")  # "raise its quota by 30,000 tonnes"
    elif prep == "by":
        deps = ("nsubj",)  # "the economy contracted by 0.5%": the subject changed by it
    elif c.kind == "percent" and prep is None and verb.lemma_ in _SHARE_VERBS:
        deps = ("nsubj",)  # "PAS won 52.8% in 2021": the winner's share
    elif (
        prep in ("to", "at", "from")
        and verb.lemma_ in _MOVE_VERBS
        and any(child.dep_ == "dobj" for child in verb.children)
    ):
        deps = ("dobj",)  # "raised interest rates to 5.25%", "kept rates unchanged at 5%"
    elif tok.dep_ == "dobj" and verb.lemma_ in _MOVE_VERBS and verb.lemma_ not in _LEVEL_VERBS:
        # "had set aside 2 billion pesos for reconstruction": what the amount is for, not who set it
        deps = ()
        if c.kind == "money":
            for prep_tok in verb.children:
                if prep_tok.dep_ == "prep" and prep_tok.lower_ == "for":
                    obj = next((g for g in prep_tok.children if g.dep_ == "pobj" and _is_noun(g)), None)
                    if obj is not None:
                        return _what(obj, obj.sent.start_char)[0]
    elif prep == "worth":
        deps = ("nsubj",)
    else:
        deps = ("nsubj", "nsubjpass") if verb.lemma_ in _LEVEL_VERBS | _MOVE_VERBS else ()
    if deps == ("dobj",):
        # "lowered U.S. tariffs on Chinese goods to 30% and Chinese tariffs on American goods to 10%":
        # the parser hangs each "to" phrase and the second object on the verb; a level belongs to
        # the object just before it
        objects = [ch for ch in verb.children if ch.dep_ in ("dobj", "conj") and _is_noun(ch)]
        objects += [g for ch in objects for g in ch.conjuncts if _is_noun(g)]
        objects = [ch for ch in objects if ch.i < tok.i]
        if objects:
            last = max(objects, key=lambda ch: ch.i)
            return _what(last, last.sent.start_char)[0]
    for child in verb.children:
        if child.dep_ in deps and child.i != tok.i and _is_noun(child):
            return _what(child, child.sent.start_char)[0]
        if (
            child.dep_ in deps
            and child.lower_ in ("which", "that")
            and verb.dep_ == "relcl"
            and _is_noun(verb.head)
        ):
            return _what(verb.head, verb.head.sent.start_char)[0]  # "inflation, which fell to 7.9%"
    return None


def _ranking(idx: _DocIndex, c: _Cand, head: Token) -> bool:
    """A number picking the top of a ranking ("the world's two largest economies", "the three
    biggest banks", "the five most populous states") says which things, not how many of something."""
    num = idx.token(c.end - 1)
    if num is None or num.i + 1 >= head.i:
        return False
    between = num.doc[num.i + 1 : head.i]
    return between[0].tag_ == "JJS" or (between[0].lower_ in ("most", "least") and len(between) > 1)


def _anaphoric(text: str, c: _Cand, lemma: str, units: Units) -> bool:
    """A definite small count of people already named ("the two leaders") is not a figure."""
    if lemma not in units.anaphoric_heads or c.value is None or c.value > 10:
        return False
    return bool(re.search(r"\b(?:the|both|these|those|all)\s+$", text[max(0, c.start - 8) : c.start], re.I))


_SPEECH_VERBS = frozenset("say tell speak confirm report add insist warn claim describe brief".split())
_SOURCE_MODIFIERS = frozenset("familiar close briefed knowledgeable aware involved informed".split())


def _source_context(text: str, head: Token, units: Units) -> bool:
    """Whether the counted people are cited as sources: "according to two people close to the Kremlin"."""
    if head.lower_ in ("sources", "source"):
        return True
    gov = head.head
    if head.dep_ == "pobj" and gov.lower_ == "to" and gov.head.lower_ == "according":
        return True
    if head.dep_ in ("nsubj", "nsubjpass") and gov.lemma_ in _SPEECH_VERBS:
        return True
    if any(t.lower_ in _SOURCE_MODIFIERS for t in head.subtree if t.i > head.i and t.i - head.i <= 3):
        sent = head.sent.text.lower()
        return any(cue in sent for cue in units.source_cues)
    return False
