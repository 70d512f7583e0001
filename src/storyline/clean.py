"""Page-furniture removal: raw article text → clean text + offset map + what was removed and why.

How it works (one linear pass over the lines, then a check that a second pass changes nothing):

1. YAML front matter at the top is removed (reason ``front-matter``), its fields harvested as ``given``.
2. Each non-blank line gets features: its words, whether it reads as prose (long, or ending in
   sentence punctuation), its neighbours. Lines are then classified, strongest evidence first:
   date stamps (harvested before removal), photo captions and credits, wire-credit lines, bylines,
   the whole-line rules of the lexicon (``data/furniture.yaml``), subscription blocks (runs of short
   lines with prices and subscription words), then the header: the headline (kept, recorded in the
   metadata with its span), kicker/section labels above it, a lone byline below it, caption tag lines,
   repeated copies of the headline.
3. Kept lines are copied verbatim (stripped of surrounding whitespace) and joined with ``"\\n"``
   (same paragraph) or ``"\\n\\n"`` (a blank line or removed lines between); the offset map records
   one segment per kept line, so every clean character maps exactly to its raw character.

Story paragraphs are protected: only rules marked ``strong`` in the lexicon (copyright lines,
syndication notices…) and captions may remove a line that reads like prose.
"""

from __future__ import annotations

import bisect
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError
from .meta import (
    canonical_wire,
    is_person_name,
    parse_byline,
    parse_date_text,
    parse_dateline,
    split_front_matter,
)
from .model import Metadata, MetaValue, OffsetMap, Removed, Segment, Span

logger = logging.getLogger(__name__)

__all__ = [
    "CleanResult",
    "FurnitureLexicon",
    "TitleGuess",
    "clean_text",
    "find_title",
    "headline_key",
    "load_lexicon",
]

_MAX_PASSES = 4
_HEADER_LINES = 12  # lines near the top where headline, kicker and byline are looked for


@dataclass(frozen=True, kw_only=True, slots=True)
class LineRule:
    reason: str
    max_words: int
    strong: bool
    regex: re.Pattern[str]


@dataclass(frozen=True, kw_only=True, slots=True)
class FurnitureLexicon:
    """The compiled pattern lexicon (see ``data/furniture.yaml`` for the format)."""

    rules: tuple[LineRule, ...]
    stamp_re: re.Pattern[str]
    updated_words: frozenset[str]
    sub_keywords: re.Pattern[str]
    sub_prices: re.Pattern[str]
    captions: re.Pattern[str]
    tag_headers: re.Pattern[str]
    sub_hints: tuple[str, ...]
    caption_hints: re.Pattern[str]
    outlet_mentions: tuple[re.Pattern[str], ...]
    wires: Mapping[str, tuple[str, ...]]
    section_words: frozenset[str]
    content_labels: frozenset[str]
    source: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "<mapping>") -> FurnitureLexicon:
        try:
            rules = tuple(
                LineRule(
                    reason=str(rule["reason"]),
                    max_words=int(rule.get("max_words", 12)),
                    strong=bool(rule.get("strong", False)),
                    regex=re.compile("|".join(f"(?:{p})" for p in rule["patterns"]), re.I),
                )
                for rule in data.get("lines") or ()
            )
            stamps = data.get("stamps") or {}
            published = [str(s) for s in stamps.get("published") or ()]
            updated = [str(s) for s in stamps.get("updated") or ()]
            words = sorted(published + updated, key=len, reverse=True)
            stamp_re = re.compile(
                r"(?:\d+\s*(?:min|mins|minutes?)\s*(?:read|listen)\s*[|·•,\-–]?\s*)?"
                r"(?P<kw>" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")\b"
                r"\s*(?:on|at)?\s*[:\-–|]?\s*(?P<rest>.*)",
                re.I,
            )
            sub = data.get("subscription") or {}
            wires = {str(k): tuple(str(f) for f in v) for k, v in (data.get("wires") or {}).items()}
            return cls(
                rules=rules,
                stamp_re=stamp_re,
                updated_words=frozenset(w.lower() for w in updated),
                sub_keywords=re.compile("|".join(f"(?:{p})" for p in sub.get("keywords") or ["(?!)"]), re.I),
                sub_prices=re.compile("|".join(f"(?:{p})" for p in sub.get("prices") or ["(?!)"]), re.I),
                captions=re.compile("|".join(f"(?:{p})" for p in data.get("captions") or ["(?!)"])),
                tag_headers=re.compile(
                    "|".join(f"(?:{p})" for p in data.get("tag_headers") or ["(?!)"]), re.I
                ),
                caption_hints=re.compile(
                    "|".join(re.escape(h) for h in data.get("caption_hints") or ["(?!)"])
                ),
                sub_hints=tuple(str(h).lower() for h in sub.get("hints") or ()),
                outlet_mentions=tuple(re.compile(str(p)) for p in data.get("outlet_mentions") or ()),
                wires=wires,
                section_words=frozenset(str(w).lower() for w in data.get("section_words") or ()),
                content_labels=frozenset(str(w).lower() for w in data.get("content_labels") or ()),
                source=source,
            )
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise ConfigError(source, f"bad furniture lexicon: {exc}") from exc


def load_lexicon(path: Path | str | None = None) -> FurnitureLexicon:
    """The furniture lexicon from ``path``, ``$STORYLINE_FURNITURE``, or the packaged default."""
    path = path or os.environ.get("STORYLINE_FURNITURE") or None
    if path is None:
        return _default_lexicon()
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(str(p), f"cannot read furniture lexicon: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(str(p), "furniture lexicon must be a YAML mapping")
    return FurnitureLexicon.from_mapping(data, source=str(p))


@lru_cache(maxsize=1)
def _default_lexicon() -> FurnitureLexicon:
    res = resources.files("storyline").joinpath("data/furniture.yaml")
    data = yaml.safe_load(res.read_text(encoding="utf-8"))
    return FurnitureLexicon.from_mapping(data, source="storyline/data/furniture.yaml")


@dataclass(frozen=True, kw_only=True, slots=True)
class TitleGuess:
    """A headline found in a text: its span in that text and how sure the guess is."""

    text: str
    span: Span
    confidence: float


@dataclass(frozen=True, kw_only=True, slots=True)
class CleanResult:
    text: str
    offsets: OffsetMap
    removed: tuple[Removed, ...] = ()
    harvested: Metadata = field(default_factory=Metadata)
    title_span: Span | None = None  # the headline inside ``text`` when one was found


# --- lines and their features ----------------------------------------------------------------------

_CLOSERS = "\"'”’»)]*"
_LINE_RE = re.compile(r"[^\r\n]+")
_WS = (
    " \t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\u205f"
    "\u3000\ufeff\x0b\x0c"
)
_BULLET_RE = re.compile(r"[-•*·▪►◦‣–—]\s|\d{1,2}[.)]\s")
_NORM_RE = re.compile(r"[\W_]+")
_DIGIT = re.compile(r"\d")
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str
    para_break: bool
    words: int
    prose: bool
    reason: str | None = None


def _is_prose(text: str, words: int) -> bool:
    if words >= 25:
        return True
    return words >= 8 and text.rstrip(_CLOSERS)[-1:] in (".", "!", "?", "…", ";")


def _split_lines(raw: str, begin: int) -> list[_Line]:
    lines: list[_Line] = []
    prev_end = begin
    for m in _LINE_RE.finditer(raw, begin):
        s, e = m.span()
        chunk = m.group()
        stripped = chunk.strip(_WS)
        if not stripped:
            continue
        lead = len(chunk) - len(chunk.lstrip(_WS))
        start = s + lead
        gap = raw[prev_end:s]
        breaks = gap.count("\n") + gap.count("\r") - gap.count("\r\n")
        words = len(stripped.split())
        lines.append(
            _Line(
                start=start,
                end=start + len(stripped),
                text=stripped,
                para_break=not lines or breaks >= 2,
                words=words,
                prose=_is_prose(stripped, words),
            )
        )
        prev_end = e
    return lines


def headline_key(text: str) -> str:
    """A headline's comparison form: case-folded, punctuation and spacing collapsed."""
    return _NORM_RE.sub(" ", text.casefold()).strip()


_norm = headline_key


# --- classification --------------------------------------------------------------------------------

_WIRE_LINE_RE = re.compile(
    r"[\W_]*(?:(?:by|source|via|courtesy|credit)\s*:?\s+)?(?:the\s+)?"
    r"(?P<name>[A-Za-z][A-Za-z .&'\-]*?)(?:\s+(?:news|staff|reporters?|wire|news agency|report))?[\W_]*",
    re.I,
)
_DATE_WORDS_RE = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|"
    r"fri(?:day)?|sat(?:urday)?|sun(?:day)?|[ap]\.?m\.?|at|on|(?-i:[A-Z]{2,5})|utc|gmt|st|nd|rd|th)\b|[\d\W_]+",
    re.I,
)
_TITLE_WIRE_RE = re.compile(r".*[,:;\-–—|]\s*(?P<wire>[A-Za-z .]{2,30}?)\s+(?:reports?|says)\s*$", re.I)


class _Harvest:
    def __init__(self) -> None:
        self.values: dict[str, MetaValue] = {}
        self.extra: dict[str, str] = {}

    def put(self, name: str, value: MetaValue) -> None:
        old = self.values.get(name)
        if old is None or value.confidence > old.confidence:
            self.values[name] = value

    def metadata(self) -> Metadata:
        return Metadata(**self.values, extra=tuple(sorted(self.extra.items())))


def _harvest_stamp(harvest: _Harvest, lex: FurnitureLexicon, keyword: str, iso: str, evidence: str) -> None:
    """A "Published …" stamp gives ``published``; an "Updated …" one gives ``updated`` (and a weaker
    ``published`` when nothing better is found)."""
    if " ".join(keyword.lower().split()) in lex.updated_words:
        harvest.extra.setdefault("updated", iso)
        harvest.put("published", MetaValue(value=iso, provenance="text", confidence=0.7, evidence=evidence))
    else:
        harvest.put("published", MetaValue(value=iso, provenance="text", confidence=0.95, evidence=evidence))


def _harvest_wire(harvest: _Harvest, lex: FurnitureLexicon, text: str, confidence: float) -> None:
    wire = _wire_in(text, lex)
    if wire:
        harvest.put(
            "original_source", MetaValue(value=wire, provenance="text", confidence=confidence, evidence=text)
        )


def _classify_line(line: _Line, lex: FurnitureLexicon, harvest: _Harvest) -> str | None:
    text = line.text
    words = line.words
    # date stamps: harvest first
    if words <= 18 and not line.prose and _DIGIT.search(text):
        m = lex.stamp_re.fullmatch(text)
        if m:
            rest = m["rest"]
            iso = parse_date_text(rest) if rest else None
            if iso:
                _harvest_stamp(harvest, lex, m["kw"], iso, text)
                return "stamp"
            if re.search(r"\bago\b", rest, re.I):
                return "stamp"
        # "26 November 2025 · 6 min read": a date beside a reading time is the page's stamp
        if _READ_TIME.search(text):
            rest = _READ_TIME.sub(" ", text).strip(" |·•,-–—\t")
            iso = parse_date_text(rest) if rest else None
            if iso and _is_date_line(rest, len(rest.split())):
                _harvest_stamp(harvest, lex, "published", iso, text)
                return "stamp"
    # photo captions and credits
    if words <= 80 and lex.caption_hints.search(text) and lex.captions.search(text[-300:]):
        return "caption"
    # wire credit alone on a line ("Bloomberg", "(AFP)", "By Reuters")
    if words <= 5:
        m = _WIRE_LINE_RE.fullmatch(text)
        if m:
            wire = canonical_wire(m["name"], lex.wires)
            if wire:
                harvest.put(
                    "original_source", MetaValue(value=wire, provenance="text", confidence=0.9, evidence=text)
                )
                return "wire-credit"
    # bylines
    if words <= 16 and text[:1] in "BbWwRrSsPpAa":
        by = parse_byline(text, wires=lex.wires)
        if by:
            kind, value = by
            if kind == "wire":
                harvest.put(
                    "original_source",
                    MetaValue(value=value, provenance="text", confidence=0.9, evidence=text),
                )
                return "wire-credit"
            harvest.put("author", MetaValue(value=value, provenance="text", confidence=0.9, evidence=text))
            _harvest_wire(harvest, lex, text, 0.8)
            stamp = lex.stamp_re.search(text)
            iso = parse_date_text(stamp["rest"]) if stamp else None
            if stamp and iso:  # "By Jane Doe | Updated 3:42 PM EDT, Tue June 3, 2025"
                _harvest_stamp(harvest, lex, stamp["kw"], iso, text)
            return "byline"
    for rule in lex.rules:
        if words <= rule.max_words and (rule.strong or not line.prose) and rule.regex.fullmatch(text):
            if rule.reason == "credits" and re.search(r"\binputs?\b", text, re.I):
                _harvest_wire(harvest, lex, text, 0.6)  # "(With inputs from PTI)"
            elif rule.reason == "credits" and (names := _reporters(text)):
                # "Reporting by Ana Costa in Brasilia; Editing by Paul Meyer": the reporters wrote it
                harvest.put(
                    "author", MetaValue(value=names, provenance="text", confidence=0.7, evidence=text)
                )
            return rule.reason
    return None


_CREDIT_ROLE = (
    r"(?:additional\s+)?(?:reporting|reported|writing|written|editing|edited|compiled|graphics|photos?)\s+by"
)
_REPORTERS = re.compile(
    rf"(?<![\w\s])\s*(?:reporting|reported|writing|written)\s+by\s+"
    rf"(?P<names>.+?)(?=\s*[;)\]]|,\s*{_CREDIT_ROLE}|$)",
    re.I,
)
_IN_PLACE = re.compile(r"\s+(?:in|from)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*")


def _reporters(text: str) -> str | None:
    """The reporters of a wire credit line, "Ana Costa, Tom Hale", from "(Reporting by Ana Costa in
    Brasilia, Writing by Tom Hale; Editing by …)" — not its editors, not "additional reporting" helpers."""
    names: list[str] = []
    for m in _REPORTERS.finditer("." + text):
        for part in re.split(r"\s*(?:,|\band\b|&)\s*", _IN_PLACE.sub("", m["names"])):
            part = part.strip(" .")
            if not part:
                continue
            if not is_person_name(part):
                return None
            names.append(part)
    return ", ".join(names) or None


_READ_TIME = re.compile(r"\b\d+\s*(?:min|mins|minutes?)\s+(?:read|listen)\b", re.I)
_PLACE_PREFIX = re.compile(r"^[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,2}\s*[,:|–—-]\s*")


def _is_date_line(text: str, words: int) -> bool:
    """A line holding only a date (and time), possibly after a dateline place: ``Brussels, 20 May 2025``."""
    if words > 10 or not parse_date_text(text):
        return False
    if len(_DATE_WORDS_RE.sub("", text).strip()) <= 3:
        return True
    rest = _PLACE_PREFIX.sub("", text, count=1)
    return rest != text and len(_DATE_WORDS_RE.sub("", rest).strip()) <= 3


_OFFER_REASONS = frozenset({"promo", "share-prompt"})  # relabelled when inside a subscription block


def _mark_subscriptions(lines: list[_Line], lex: FurnitureLexicon) -> None:
    """Remove runs of short lines holding prices and subscription words (paywall offers)."""
    n = len(lines)
    anchors: list[int] = []
    kinds: list[tuple[bool, bool]] = []
    for i, ln in enumerate(lines):
        if ln.prose or ln.words > 25:
            continue
        lower = ln.text.lower()
        kw = any(h in lower for h in lex.sub_hints) and bool(lex.sub_keywords.search(ln.text))
        price = _DIGIT.search(ln.text) is not None and bool(lex.sub_prices.search(ln.text))
        if kw or price:
            anchors.append(i)
            kinds.append((kw, price))
    if len(anchors) < 2:
        return
    clusters: list[list[int]] = [[0]]
    for k in range(1, len(anchors)):
        a, b = anchors[k - 1], anchors[k]
        if b - a <= 5 and not any(lines[j].prose for j in range(a + 1, b)):
            clusters[-1].append(k)
        else:
            clusters.append([k])
    for cl in clusters:
        has_kw = any(kinds[k][0] for k in cl)
        prices = sum(kinds[k][1] for k in cl)
        if not (has_kw and prices >= 1 and len(cl) >= 3):
            continue
        first, last = anchors[cl[0]], anchors[cl[-1]]
        for j in range(first, last + 1):
            if (lines[j].reason is None and not lines[j].prose) or lines[j].reason in _OFFER_REASONS:
                lines[j].reason = "subscription"
        # a plan name or two just before the first price
        j = first - 1
        while (
            j >= 0
            and first - j <= 2
            and lines[j].reason is None
            and lines[j].words <= 6
            and not lines[j].prose
        ):
            if j > 0 and lines[j - 1].prose and lines[j].para_break is False:
                break
            lines[j].reason = "subscription"
            j -= 1
        # the offer's feature list after the last anchor: short lines, but not a subheading before prose
        j = last + 1
        while j < n and j - last <= 30:
            ln = lines[j]
            if ln.reason is not None:
                if ln.reason in _OFFER_REASONS:
                    ln.reason = "subscription"
                j += 1
                continue
            if ln.prose or ln.words > 20:
                break
            nxt = next((x for x in lines[j + 1 :] if x.reason is None), None)
            if nxt is not None and nxt.prose and not _BULLET_RE.match(ln.text):
                break
            ln.reason = "subscription"
            j += 1


def _mark_tag_blocks(lines: list[_Line], lex: FurnitureLexicon) -> None:
    """A tag header line ("Explore more on these topics") and the one-tag lines under it."""
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.reason is None and ln.words <= 8 and lex.tag_headers.fullmatch(ln.text):
            ln.reason = "tag-list"
            j = i + 1
            while j < len(lines) and lines[j].words <= 4 and not lines[j].prose:
                if lines[j].reason is None:
                    if lines[j].text.rstrip(_CLOSERS)[-1:] in (".", "!", "?"):
                        break
                    lines[j].reason = "tag-list"
                j += 1
            i = j
        else:
            i += 1


def _headline_case(text: str) -> bool:
    """Whether ``text`` is written in headline case: at least 80 % of its words of four letters or
    more after the first start with a capital ("Only 24 Percent of Clinton's Donors Are Small")."""
    long = [w for w in _WORD_RE.findall(text)[1:] if len(w) >= 4]
    return len(long) >= 3 and sum(w[0].isupper() for w in long) >= 0.8 * len(long)


def _title_score(
    ln: _Line, lex: FurnitureLexicon, *, first: bool, alone: bool, next_words: int = 0, deck: bool = False
) -> float:
    """1 for a title-like line; 0.5 for a first line ending in a period that stands alone and is
    short (12 words), or written in headline case (25), or followed by a paragraph at least five
    words longer (16), or ending in a semicolon while its paragraph holds one more line (``deck``:
    "Lawmaker urges retaliation on Russia;" over its standfirst)."""
    text = ln.text
    if not (4 if not first else 3) <= ln.words <= 25 or len(text) > 250:
        return 0.0
    if _BULLET_RE.match(text) or text.endswith(("-", "_", "—", "–")):
        return 0.0  # a list item, or a dateline standing alone ("HAVANA (AP) --")
    score = 1.0
    last = text.rstrip(_CLOSERS + "…")[-1:]
    if last == ";" and first and deck:
        score = 0.5
    elif last in (":", ";", ","):
        return 0.0
    if last == "." or text.endswith("…"):
        limit = 25 if _headline_case(text) else 16 if next_words >= ln.words + 5 else 12
        if not (first and alone and ln.words <= limit) or text.endswith("..."):
            return 0.0
        score = 0.5
    if _norm(text) in lex.content_labels:
        return 0.0
    if not any(c.isalpha() for c in text[:3]) and text[0] not in "\"'“‘" and not _headline_case(text):
        return 0.0
    return score


def _find_title_index(
    lines: list[_Line], lex: FurnitureLexicon, body_start: int, given: str | None
) -> tuple[int, float] | None:
    """Index of the headline line and a confidence."""
    if given:
        target = _norm(given)
        for i, ln in enumerate(lines[: _HEADER_LINES + 8]):
            if ln.reason is None and _norm(ln.text) == target:
                return i, 1.0
    first = True
    short: tuple[int, float] | None = (
        None  # a three-word first line: the headline unless a longer one follows
    )
    for i in range(min(len(lines), _HEADER_LINES)):
        ln = lines[i]
        if ln.reason is not None:
            continue
        alone = i + 1 < len(lines) and lines[i + 1].para_break
        next_words = lines[i + 1].words if alone else 0
        deck = i + 1 < len(lines) and not lines[i + 1].para_break
        deck = deck and (i + 2 == len(lines) or lines[i + 2].para_break)
        score = _title_score(ln, lex, first=first, alone=alone, next_words=next_words, deck=deck)
        if score > 0 and (i < body_start or score < 1):
            if score < 1:
                return short or (i, 0.6)
            if ln.words < 4:
                short = (i, 0.6)
            else:
                return i, (0.9 if first and (alone or i + 1 == len(lines)) else 0.75)
        if i >= body_start:
            break
        first = False
    return short


def _is_kicker(ln: _Line, lex: FurnitureLexicon) -> bool:
    if ln.words > 6 or ln.prose or ln.text.rstrip(_CLOSERS)[-1:] in (".", "!", "?"):
        return False
    if _norm(ln.text) in lex.content_labels:
        return False
    tokens = [t for t in re.split(r"[\s\-–—/|:&,]+", ln.text.lower()) if t]
    if not tokens:
        return False
    section = sum(1 for t in tokens if t.strip("'’s.") in lex.section_words or t in lex.section_words)
    return ln.words <= 2 or section * 2 >= len(tokens) or (ln.text.isupper() and ln.words <= 5)


_BYLINE_PARTS = re.compile(r"\s*(?:,|\band\b|&|\|)\s*")
_CREDIT_PARTS = re.compile(r"\s*(?:[,;|&/()]|\band\b|\bwith\b|\bfrom\b|\bby\b)\s*", re.I)


def _wire_in(text: str, lex: FurnitureLexicon) -> str | None:
    """The first wire service named in a byline or credit line (``"Jane Doe, Reuters"`` → Reuters)."""
    for part in _CREDIT_PARTS.split(text):
        wire = canonical_wire(part, lex.wires) if part and len(part) <= 40 else None
        if wire:
            return wire
    return None


_BYLINE_EXTRAS = {
    "agencies",
    "agency",
    "staff",
    "wires",
    "news agencies",
    "staff reporter",
    "our correspondent",
}


def _lone_byline(ln: _Line, lex: FurnitureLexicon) -> str | None:
    """Author names of a byline line without "By": ``Naffah``, ``Dan Sabbagh and agencies``,
    ``Shaun Walker in Kyiv``; ``None`` for anything else."""
    text = ln.text
    if ln.words > 12 or ln.prose or any(c.isdigit() for c in text):
        return None
    if text.endswith(".") and not re.search(r"\b[A-Z]\.$", text):
        return None
    names: list[str] = []
    for part in _BYLINE_PARTS.split(text):
        part = part.strip()
        if not part:
            continue
        place = re.split(r"\s+in\s+", part, maxsplit=1)
        person = place[0].strip()
        if len(place) == 2 and not is_person_name(place[1], max_tokens=3):
            return None
        if person.lower() in _BYLINE_EXTRAS or canonical_wire(person, lex.wires):
            continue
        if names and " " not in person and person.isupper():
            continue  # an outlet's initials after the names ("Jane Doe, CNN")
        if any(t.lower().strip(".,") in lex.section_words for t in person.split()):
            return None
        if not is_person_name(person, max_tokens=3):
            return None
        names.append(person)
    return ", ".join(names) if names else None


_CAPS_ITEM = re.compile(r"(?:[A-Z][\w'’.\-]*)(?:\s+(?:[A-Z][\w'’.\-]*|of|de|von|van|al|bin))*$")


def _is_tag_line(ln: _Line, neighbours: list[_Line]) -> bool:
    if "," not in ln.text or ln.words > 20 or ln.text.rstrip(_CLOSERS)[-1:] in (".", "!", "?", ":"):
        return False
    items = [it.strip() for it in ln.text.split(",")]
    if len(items) < 2 or not all(it and len(it.split()) <= 4 and _CAPS_ITEM.match(it) for it in items):
        return False
    tokens = [t.lower() for it in items for t in it.split()]
    repeated = len(set(tokens)) < len(tokens)
    by_caption = any(nb.reason == "caption" for nb in neighbours)
    return repeated or by_caption or len(items) >= 4


_MENTION_REASONS = frozenset({"legal", "syndication-notice", "subscription", "share-prompt", "promo"})
_COMPANY_SUFFIX = re.compile(r"(?:\s+(?:Pvt|Private|Ltd|Limited|Inc|LLC|Corp|Co|Group|plc|PLC)\.?)+$")


def _harvest_outlet(lines: list[_Line], lex: FurnitureLexicon, harvest: _Harvest) -> None:
    """The outlet (or wire) naming itself in removed furniture: "Subscribe to Business Standard digital"."""
    for ln in lines:
        if ln.reason not in _MENTION_REASONS:
            continue
        for rx in lex.outlet_mentions:
            m = rx.search(ln.text)
            if not m:
                continue
            name = re.split(r"\.\s", m["name"], maxsplit=1)[0]
            name = _COMPANY_SUFFIX.sub("", name.strip(" .,;:'’&-")).strip()
            if not name or len(name) > 60 or name.lower() in ("all rights reserved", "the", "our"):
                continue
            wire = canonical_wire(name, lex.wires)
            if wire:
                harvest.put(
                    "original_source",
                    MetaValue(value=wire, provenance="text", confidence=0.5, evidence=ln.text),
                )
            else:
                harvest.put(
                    "outlet", MetaValue(value=name, provenance="text", confidence=0.5, evidence=ln.text)
                )
            break


def _analyse(
    raw: str, begin: int, lex: FurnitureLexicon, given_title: str | None, harvest: _Harvest
) -> tuple[list[_Line], tuple[int, float] | None]:
    lines = _split_lines(raw, begin)
    for ln in lines:
        ln.reason = _classify_line(ln, lex, harvest)
    _mark_subscriptions(lines, lex)
    _mark_tag_blocks(lines, lex)
    body_start = next(
        (i for i, ln in enumerate(lines) if ln.reason is None and ln.prose and ln.words >= 12), len(lines)
    )
    # date-only lines in the header ("Mon 19 May 2025 09.11 BST")
    for ln in lines[: max(body_start, 1) + 1][:_HEADER_LINES]:
        if ln.reason is None and _is_date_line(ln.text, ln.words):
            iso = parse_date_text(ln.text)
            if iso:
                harvest.put(
                    "published", MetaValue(value=iso, provenance="text", confidence=0.8, evidence=ln.text)
                )
            ln.reason = "stamp"
    found = _find_title_index(lines, lex, body_start, given_title)
    title_i = found[0] if found else None
    top = min(len(lines), max(body_start, (title_i or 0) + 1) + 4, _HEADER_LINES + 4)
    for i in range(top):
        ln = lines[i]
        if ln.reason is None and i != title_i:
            nbs = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
            if _is_tag_line(ln, nbs):
                ln.reason = "tag-list"
    if title_i is not None:
        title = lines[title_i]
        for i in range(title_i):
            if lines[i].reason is None and _is_kicker(lines[i], lex):
                lines[i].reason = "section"
        between = 0
        for i in range(title_i + 1, min(len(lines), title_i + 5)):
            ln = lines[i]
            if ln.reason is not None:
                continue
            names = _lone_byline(ln, lex) if i + 1 < len(lines) else None
            if names:
                ln.reason = "byline"
                # the same byline repeated on the lines below it, between other furniture (a page's
                # author box scraped twice): up to the first line that stays
                for rep in lines[i + 1 : i + 13]:
                    if rep.text == ln.text and rep.reason is None:
                        rep.reason = "byline"
                    elif rep.reason is None and (
                        len(rep.text.split()) > 4 or rep.text.rstrip(_CLOSERS)[-1:] in (".", "!", "?")
                    ):
                        break
                harvest.put(
                    "author", MetaValue(value=names, provenance="text", confidence=0.7, evidence=ln.text)
                )
                _harvest_wire(harvest, lex, ln.text, 0.8)
                break
            between += 1
            if between > 1 or ln.text.rstrip(_CLOSERS)[-1:] in (".", "!", "?"):
                break
        key = _norm(title.text)
        size = len(title.text)
        conf = found[1] if found else 0.0
        for i, ln in enumerate(lines):
            if conf < 0.7:
                break  # a sentence-like first line may be a lead paragraph: its repeats stay
            if i != title_i and ln.reason is None and abs(len(ln.text) - size) <= 8 and _norm(ln.text) == key:
                ln.reason = "duplicate-headline"
        harvest.put(
            "title",
            MetaValue(
                value=title.text.rstrip(";" + _WS),
                provenance="text",
                confidence=conf,
                evidence="headline line",
            ),
        )
        wm = _TITLE_WIRE_RE.match(title.text)
        wire = canonical_wire(wm["wire"], lex.wires) if wm else None
        if wire:
            harvest.put(
                "original_source",
                MetaValue(value=wire, provenance="text", confidence=0.6, evidence=title.text),
            )
    elif given_title:
        key = _norm(given_title)
        seen = False
        for ln in lines:
            if ln.reason is None and _norm(ln.text) == key:
                if seen:
                    ln.reason = "duplicate-headline"
                seen = True
    _harvest_outlet(lines, lex, harvest)
    _mark_author_bio(lines, harvest)
    # wire datelines opening the first paragraphs ("KYIV, May 18 (Reuters) -")
    checked = 0
    for ln in lines:
        if ln.reason is None and ln.prose:
            published, wire = parse_dateline(ln.text, wires=lex.wires)
            if wire:
                harvest.put(
                    "original_source",
                    MetaValue(value=wire, provenance="text", confidence=0.8, evidence=ln.text[:80]),
                )
            if published:
                harvest.put(
                    "published",
                    MetaValue(value=published, provenance="text", confidence=0.85, evidence=ln.text[:80]),
                )
            checked += 1
            if checked >= 2:
                break
    return lines, found


_BIO_RE = re.compile(
    r"(?P<name>(?:[A-Z][\w.'’-]+\s+){0,3}[A-Z][\w.'’-]+|The (?:author|writer))\s+(?:is|was)\s+(?:a|an|the)\s+"
    r"(?:[\w'’-]+\s+){0,5}?(?:columnist|writer|author|contributor|contributing editor|editor|correspondent|"
    r"journalist|commentator|fellow|professor|lecturer|analyst|researcher|reporter)\b[^\n]{0,200}"
)


def _mark_author_bio(lines: list[_Line], harvest: _Harvest) -> None:
    """The writer's one-line biography closing a piece ("Helen Vogt is a columnist on European affairs.",
    "The author is a senior fellow at …"): page furniture when it is the last line of the body and
    names the byline's author or "the author"/"the writer"."""
    last = next((ln for ln in reversed(lines) if ln.reason is None), None)
    if last is None or last.words > 45:
        return
    m = _BIO_RE.fullmatch(last.text.strip())
    if m is None:
        return
    author = harvest.values.get("author")
    name = m["name"]
    if name.startswith("The ") or (author is not None and name in str(author.value).split(", ")):
        last.reason = "author-bio"


# --- one pass and the fixpoint -------------------------------------------------------------------


@dataclass(slots=True)
class _Pass:
    text: str
    segments: list[Segment]
    removed: list[Removed]
    harvest: _Harvest
    title_span: Span | None


def _clean_once(raw: str, lex: FurnitureLexicon, title: str | None) -> _Pass:
    harvest = _Harvest()
    removed: list[Removed] = []
    begin = 0
    fm = split_front_matter(raw)
    if fm is not None:
        meta, begin = fm
        removed.append(Removed(raw_start=0, raw_end=begin, reason="front-matter", text=raw[:begin]))
        for name in ("title", "outlet", "author", "url", "published", "original_source"):
            value = getattr(meta, name)
            if value is not None:
                harvest.values[name] = value
        harvest.extra.update(dict(meta.extra))
        if title is None and meta.title is not None:
            title = meta.title.value
    lines, found = _analyse(raw, begin, lex, title, harvest)
    title_i = found[0] if found else None
    parts: list[str] = []
    segments: list[Segment] = []
    clen = 0
    gap = False
    title_span: Span | None = None
    run: list[_Line] = []

    def flush() -> None:
        if run:
            s, e = run[0].start, run[-1].end
            removed.append(Removed(raw_start=s, raw_end=e, reason=run[0].reason or "", text=raw[s:e]))
            run.clear()

    for i, ln in enumerate(lines):
        if ln.reason is not None:
            if run and run[-1].reason != ln.reason:
                flush()
            run.append(ln)
            gap = True
            continue
        flush()
        if parts:
            sep = "\n\n" if (ln.para_break or gap) else "\n"
            parts.append(sep)
            clen += len(sep)
        segments.append(Segment(clean=clen, raw=ln.start, length=len(ln.text)))
        if i == title_i:
            title_span = Span(start=clen, end=clen + len(ln.text))
        parts.append(ln.text)
        clen += len(ln.text)
        gap = False
    flush()
    return _Pass(
        text="".join(parts), segments=segments, removed=removed, harvest=harvest, title_span=title_span
    )


def _map_removed(r: Removed, starts: list[int], segments: tuple[Segment, ...], raw: str) -> list[Removed]:
    """A stretch removed from a clean text, as raw stretches: one per copied piece it covers, so
    stretches removed by earlier passes are not recorded twice."""
    out: list[Removed] = []
    k = max(bisect.bisect_right(starts, r.raw_start) - 1, 0)
    while k < len(segments) and segments[k].clean < r.raw_end:
        seg = segments[k]
        lo, hi = max(r.raw_start, seg.clean), min(r.raw_end, seg.clean + seg.length)
        if lo < hi:
            s, e = seg.raw + (lo - seg.clean), seg.raw + (hi - seg.clean)
            if out and out[-1].raw_end == s:
                s = out.pop().raw_start
            out.append(Removed(raw_start=s, raw_end=e, reason=r.reason, text=raw[s:e]))
        k += 1
    return out


def _compose(outer: list[Segment], inner: OffsetMap) -> list[Segment]:
    """Segments of a pass over a clean text, re-expressed against that text's raw input."""
    starts = [s.clean for s in inner.segments]
    out: list[Segment] = []
    for seg in outer:
        k = bisect.bisect_right(starts, seg.raw) - 1
        base = inner.segments[k]
        out.append(Segment(clean=seg.clean, raw=base.raw + (seg.raw - base.clean), length=seg.length))
    return out


def clean_text(raw: str, *, title: str | None = None, lexicon: FurnitureLexicon | None = None) -> CleanResult:
    """Remove page furniture from ``raw`` (plain text, or text extracted from HTML).

    ``title`` (when known from metadata) lets repeated copies of the headline be removed. The result
    holds the clean text, the clean→raw offset map, every removed stretch with its reason, and the
    metadata harvested from removed lines (stamps, bylines, wire credits) and from the headline.
    Cleaning is idempotent: cleaning ``result.text`` again returns it unchanged.
    """
    lex = lexicon or load_lexicon()
    first = _clean_once(raw, lex, title)
    segments = first.segments
    removed = list(first.removed)
    harvest = first.harvest
    text = first.text
    title_span = first.title_span
    for _ in range(_MAX_PASSES - 1 if removed else 0):  # nothing removed: already a fixed point
        current = OffsetMap(segments=tuple(segments), clean_length=len(text), raw_length=len(raw))
        again = _clean_once(text, lex, title)
        if again.text == text:
            break
        logger.debug("cleaning needed another pass (%d chars removed)", len(text) - len(again.text))
        starts = [seg.clean for seg in current.segments]
        for r in again.removed:
            removed.extend(_map_removed(r, starts, current.segments, raw))
        for name, value in again.harvest.values.items():
            harvest.values.setdefault(name, value)
        segments = _compose(again.segments, current)
        text = again.text
        title_span = again.title_span
    removed.sort(key=lambda r: (r.raw_start, r.raw_end))
    meta = harvest.metadata()
    if title_span is not None:
        meta = Metadata(
            **{
                n: getattr(meta, n)
                for n in ("title", "outlet", "author", "url", "published", "original_source")
            },
            extra=tuple(
                sorted({**dict(meta.extra), "title_span": f"{title_span.start}:{title_span.end}"}.items())
            ),
        )
    return CleanResult(
        text=text,
        offsets=OffsetMap(segments=tuple(segments), clean_length=len(text), raw_length=len(raw)),
        removed=tuple(removed),
        harvested=meta,
        title_span=title_span,
    )


def find_title(
    text: str, *, given: str | None = None, lexicon: FurnitureLexicon | None = None
) -> TitleGuess | None:
    """The headline of ``text`` (span in ``text``), or ``None`` when the text opens with its body.

    The headline is a short title-like line (4–25 words, no final period) near the top, before the
    first paragraph of prose, that is not a caption, credit, stamp or label.
    """
    lex = lexicon or load_lexicon()
    fm = split_front_matter(text)
    begin = fm[1] if fm else 0
    lines, found = _analyse(text, begin, lex, given, _Harvest())
    if found is None:
        return None
    ln = lines[found[0]]
    return TitleGuess(text=ln.text, span=Span(start=ln.start, end=ln.end), confidence=found[1])
