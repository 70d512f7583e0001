"""Metadata harvesting: sidecars, YAML front matter, URLs, bylines, wire credits and date stamps.

Precedence when sources disagree: ``given`` (sidecar, front matter, JSONL fields) > ``html``
> ``text`` (harvested from the article's own lines). Unknown stays unknown: every parser
here returns ``None`` rather than guess a value it cannot support with evidence.

Date stamps are parsed by :func:`parse_date_text` into ISO 8601 (``2025-05-19`` or
``2025-05-19T09:11:00+05:30``); common timezone abbreviations are known (``TZ_OFFSETS``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import yaml

from .model import Metadata, MetaValue, Provenance

logger = logging.getLogger(__name__)

__all__ = [
    "META_FIELDS",
    "TZ_OFFSETS",
    "canonical_wire",
    "is_person_name",
    "metadata_from_mapping",
    "outlet_from_url",
    "parse_byline",
    "parse_date_text",
    "parse_dateline",
    "dateline_month_day",
    "dateline_places",
    "split_front_matter",
]

META_FIELDS: tuple[str, ...] = ("title", "outlet", "author", "url", "published", "original_source")
_ALIASES = {
    "headline": "title",
    "source": "outlet",
    "publisher": "outlet",
    "site_name": "outlet",
    "sitename": "outlet",
    "byline": "author",
    "authors": "author",
    "link": "url",
    "date": "published",
    "pubdate": "published",
    "published_at": "published",
    "date_published": "published",
    "datepublished": "published",
    "wire": "original_source",
}

# Offsets of timezone abbreviations as they appear in news stamps ("IST" is India's).
TZ_OFFSETS: dict[str, str] = {
    "UTC": "+00:00",
    "GMT": "+00:00",
    "Z": "+00:00",
    "WET": "+00:00",
    "BST": "+01:00",
    "IST": "+05:30",
    "CET": "+01:00",
    "CEST": "+02:00",
    "WEST": "+01:00",
    "EET": "+02:00",
    "EEST": "+03:00",
    "MSK": "+03:00",
    "TRT": "+03:00",
    "AST": "+03:00",  # Arabia (the Atlantic AST is rare in these stamps)
    "GST": "+04:00",
    "PKT": "+05:00",
    "NPT": "+05:45",
    "ICT": "+07:00",
    "WIB": "+07:00",
    "SGT": "+08:00",
    "HKT": "+08:00",
    "CST": "-06:00",
    "CDT": "-05:00",
    "EST": "-05:00",
    "EDT": "-04:00",
    "MST": "-07:00",
    "MDT": "-06:00",
    "PST": "-08:00",
    "PDT": "-07:00",
    "AKST": "-09:00",
    "AKDT": "-08:00",
    "HST": "-10:00",
    "JST": "+09:00",
    "KST": "+09:00",
    "AEST": "+10:00",
    "AEDT": "+11:00",
    "ACST": "+09:30",
    "AWST": "+08:00",
    "NZST": "+12:00",
    "NZDT": "+13:00",
    "SAST": "+02:00",
    "WAT": "+01:00",
    "EAT": "+03:00",
    "CAT": "+02:00",
    "IDT": "+03:00",
    "ET": "-05:00",
    "PT": "-08:00",
}

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ISO_RE = re.compile(
    r"(?<!\d)(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?(?!\d)"
)
_MDY_RE = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(\d{{4}})\b", re.I)
_DMY_RE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\.?\s*,?\s+(\d{{4}})\b", re.I)
_NUM_RE = re.compile(r"(?<![\d/.])(\d{1,2})([./])(\d{1,2})\2(\d{4})(?![\d/.])")
_TIME_RE = re.compile(
    r"(?<![\d:.])(\d{1,2})(?:[:.h](\d{2})(?:[:.](\d{2}))?)?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?(?![\d])", re.I
)
_TZ_RE = re.compile(
    r"\b(?:(?P<abbr>" + "|".join(sorted(TZ_OFFSETS, key=len, reverse=True)) + r")\b"
    r"(?:\s*(?P<sign1>[+-])\s*(?P<h1>\d{1,2})(?::?(?P<m1>\d{2}))?)?)"
    r"|(?P<sign2>[+-])(?P<h2>\d{2}):?(?P<m2>\d{2})\b"
)


def _offset(sign: str, hours: str, minutes: str | None) -> str:
    return f"{sign}{int(hours):02d}:{int(minutes or 0):02d}"


def parse_date_text(text: str) -> str | None:
    """ISO 8601 of the date (and time, and offset) written in a stamp, or ``None``.

    ``"May 19 2025 | 9:11 AM IST"`` → ``"2025-05-19T09:11:00+05:30"``;
    ``"Mon 19 May 2025 09.11 BST"`` → ``"2025-05-19T09:11:00+01:00"``; ``"2025-05-19"`` →
    ``"2025-05-19"``. Purely numeric dates are read day-first only when written with dots
    or when unambiguous.
    """
    text = text[:300]
    day: date | None = None
    rest = text
    m = _ISO_RE.search(text)
    if m:
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
        if m[4]:
            tz = m[7]
            off = "" if tz is None else ("+00:00" if tz == "Z" else _offset(tz[0], tz[1:3], tz[-2:]))
            hh, mm, ss = int(m[4]), int(m[5]), int(m[6] or 0)
            if hh > 23 or mm > 59 or ss > 59:
                return day.isoformat()
            if not off:
                tzm = _TZ_RE.search(text, m.end())
                if tzm and tzm["abbr"]:
                    off = _tz_from_match(tzm)
            return f"{day.isoformat()}T{hh:02d}:{mm:02d}:{ss:02d}{off}"
        rest = text[: m.start()] + " " + text[m.end() :]
    else:
        for rx, order in ((_MDY_RE, "mdy"), (_DMY_RE, "dmy")):
            m = rx.search(text)
            if not m:
                continue
            if order == "mdy":
                mon, dd, yy = m[1], m[2], m[3]
            else:
                dd, mon, yy = m[1], m[2], m[3]
            try:
                day = date(int(yy), _MONTHS[mon.lower()[:3]], int(dd))
            except (ValueError, KeyError):
                return None
            rest = text[: m.start()] + " | " + text[m.end() :]
            break
        else:
            m = _NUM_RE.search(text)
            if not m:
                return None
            a, sep, b, yy = int(m[1]), m[2], int(m[3]), int(m[4])
            if sep == "." or a > 12:
                dd, mo = a, b
            elif b > 12:
                dd, mo = b, a
            else:
                return None
            try:
                day = date(yy, mo, dd)
            except ValueError:
                return None
            rest = text[: m.start()] + " | " + text[m.end() :]
    assert day is not None
    return _with_time(day, rest)


def _tz_from_match(tzm: re.Match[str]) -> str:
    if tzm["abbr"]:
        if tzm["sign1"]:
            return _offset(tzm["sign1"], tzm["h1"], tzm["m1"])
        return TZ_OFFSETS[tzm["abbr"]]
    return _offset(tzm["sign2"], tzm["h2"], tzm["m2"])


def _with_time(day: date, rest: str) -> str:
    for tm in _TIME_RE.finditer(rest):
        hh_s, mm_s, ss_s, ampm = tm[1], tm[2], tm[3], tm[4]
        if mm_s is None and ampm is None:
            continue  # a bare number is not a time
        hh, mm, ss = int(hh_s), int(mm_s or 0), int(ss_s or 0)
        if ampm:
            if not 1 <= hh <= 12:
                continue
            pm = ampm.lower().startswith("p")
            hh = (hh % 12) + (12 if pm else 0)
        if hh > 23 or mm > 59 or ss > 59:
            continue
        tzm = _TZ_RE.search(rest, tm.end())
        off = ""
        if tzm and tzm.start() - tm.end() <= 4:
            off = _tz_from_match(tzm)
        else:
            before = _TZ_RE.search(rest[: tm.start()])
            if before and before["abbr"] and tm.start() - before.end() <= 3:
                off = _tz_from_match(before)
        try:
            return datetime(day.year, day.month, day.day, hh, mm, ss).isoformat() + off
        except ValueError:
            return day.isoformat()
    return day.isoformat()


# --- sidecars and front matter ------------------------------------------------------------------


def metadata_from_mapping(data: Mapping[str, Any], *, provenance: Provenance, evidence: str = "") -> Metadata:
    """Metadata from a mapping of field names (``title``, ``url``, ``published``…); aliases such as
    ``headline`` or ``date`` are understood, other keys go to ``extra``."""
    kwargs: dict[str, Any] = {}
    extra: dict[str, str] = {}
    for key, value in data.items():
        if value is None or value == "" or value == []:
            continue
        name = _ALIASES.get(str(key).lower(), str(key).lower())
        if isinstance(value, list | tuple):
            text = ", ".join(str(v) for v in value)
        elif isinstance(value, datetime | date):
            text = value.isoformat()
        else:
            text = str(value).strip()
        if not text:
            continue
        if name in META_FIELDS:
            if name not in kwargs:
                kwargs[name] = MetaValue(value=text, provenance=provenance, evidence=evidence)
        else:
            extra[str(key)] = text
    kwargs["extra"] = tuple(sorted(extra.items()))
    return Metadata(**kwargs)


_FRONT_RE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)(?:\r?\n|\A)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def split_front_matter(raw: str) -> tuple[Metadata, int] | None:
    """YAML front matter at the top of a text (``---`` … ``---``): its metadata (``given``) and the
    raw offset where the article begins, or ``None`` when there is none (or it is not a mapping)."""
    if not raw.lstrip("\ufeff").startswith("---"):
        return None
    m = _FRONT_RE.match(raw[:20000])
    if not m:
        return None
    try:
        data = yaml.safe_load(m[1])
    except yaml.YAMLError as exc:
        logger.warning("front matter is not valid YAML, kept as text: %s", exc)
        return None
    if not isinstance(data, dict):
        return None
    return metadata_from_mapping(data, provenance="given", evidence="front matter"), m.end()


# --- outlets, wires, bylines ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _outlets() -> dict[str, str]:
    text = resources.files("storyline").joinpath("data/outlets.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    return {str(k).lower(): str(v) for k, v in (data.get("outlets") or {}).items()}


def outlet_from_url(url: str, *, provenance: Provenance = "given") -> MetaValue | None:
    """The outlet behind a URL: its name for known domains, else the cleaned domain
    (``https://www.kyivinsider.com/x`` → ``kyivinsider.com``, confidence 0.5)."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    for prefix in ("www.", "amp.", "m.", "mobile.", "edition.", "beta."):
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
            break
    outlets = _outlets()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        name = outlets.get(".".join(parts[i:]))
        if name:
            return MetaValue(value=name, provenance=provenance, confidence=0.9, evidence=url)
    return MetaValue(value=host, provenance=provenance, confidence=0.5, evidence=url)


def canonical_wire(name: str, wires: Mapping[str, tuple[str, ...]]) -> str | None:
    """The canonical wire-service name of a credit (``"AP"`` → ``"Associated Press"``)."""
    key = " ".join(name.strip(" .,:;()[]-–—").split()).casefold()
    return _wire_table(wires).get(key)


_WIRE_TABLES: dict[int, tuple[Mapping[str, tuple[str, ...]], dict[str, str]]] = {}


def _wire_table(wires: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Casefolded credit form → canonical wire name (first listed wins), built once per mapping."""
    cached = _WIRE_TABLES.get(id(wires))
    if cached is not None and cached[0] is wires:
        return cached[1]
    table: dict[str, str] = {}
    for canon, forms in wires.items():
        for form in (canon, *forms):
            table.setdefault(form.casefold(), canon)
    if len(_WIRE_TABLES) > 16:
        _WIRE_TABLES.clear()
    _WIRE_TABLES[id(wires)] = (wires, table)  # the mapping is kept alive, so its id stays unique
    return table


_NAME_TOKEN = re.compile(
    r"(?:[A-Z][a-z]*\.|[A-Z][A-Za-z'’\-]*[a-z][A-Za-z'’\-]*|[A-Z]{2,4}|[A-Z]’[A-Z][a-z]+)$"
)
_PARTICLES = {
    "de",
    "da",
    "di",
    "van",
    "von",
    "der",
    "den",
    "del",
    "la",
    "le",
    "bin",
    "al",
    "el",
    "ibn",
    "du",
    "dos",
}
_NOT_NAMES = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "the", "a", "an", "this", "that", "our", "staff", "today",
    "yesterday", "tomorrow", "president", "minister", "officials", "news",
}  # fmt: skip
_BYLINE_RE = re.compile(
    r"(?:by|written by|reported by|story by|words by|author|authors|posted by|report by)"
    r"\s*[:\-]?\s+(?P<rest>.+)",
    re.I,
)
_NAME_SPLIT = re.compile(r"\s*(?:,|\band\b|&|\|| - | – | — |•|·| in |/)\s*")


def is_person_name(text: str, *, max_tokens: int = 4) -> bool:
    """Does ``text`` look like a person's name (1–4 capitalised tokens, particles allowed)?"""
    tokens = text.split()
    if not 1 <= len(tokens) <= max_tokens:
        return False
    caps = 0
    for tok in tokens:
        if tok.lower() in _PARTICLES and caps:
            continue
        if tok.lower().strip(".") in _NOT_NAMES or not _NAME_TOKEN.match(tok):
            return False
        caps += 1
    return caps >= 1


def parse_byline(line: str, *, wires: Mapping[str, tuple[str, ...]] | None = None) -> tuple[str, str] | None:
    """``("author", names)`` or ``("wire", canonical)`` for a byline line, else ``None``.

    ``"By Jane Doe and John Roe, Reuters"`` → ``("author", "Jane Doe, John Roe")``;
    ``"By Reuters"`` → ``("wire", "Reuters")``. Prose such as ``"By the end of the year…"`` is not a byline.
    """
    text = line.strip()
    if len(text) > 160 or len(text.split()) > 16:
        return None
    m = _BYLINE_RE.fullmatch(text)
    if not m:
        return None
    rest = m["rest"].strip()
    if rest.endswith(".") and not re.search(r"\b[A-Z]\.$", rest):
        return None
    parts = [p for p in _NAME_SPLIT.split(rest) if p]
    if not parts:
        return None
    wire = canonical_wire(parts[0], wires) if wires else None
    if wire:
        return ("wire", wire)
    names: list[str] = []
    for part in parts:
        part = part.strip(" .,;:")
        if wires and canonical_wire(part, wires):
            break
        if is_person_name(part):
            names.append(part)
        elif names:
            break  # an affiliation, a place or a date after the names
        else:
            return None
    return ("author", ", ".join(names)) if names else None


_DATELINE_RE = re.compile(
    rf"^(?P<place>[A-Z][A-Z.'’\- ]{{1,40}}?)(?:,\s*[A-Z][A-Za-z.]+)?\s*,?\s*"
    rf"(?P<date>{_MONTH_RE}\.?\s+\d{{1,2}}(?:,?\s+\d{{4}})?)?\s*"
    # a separator right after a letter is part of a hyphenated place ("PORT-AU-PRINCE"), not its end
    r"(?:\((?P<wire>[A-Za-z][A-Za-z .\-]{1,30})\)\s*)?(?<![A-Za-z])(?P<sep>[-–—:])",
    re.I,
)


def _dateline(paragraph: str) -> re.Match[str] | None:
    """The dateline opening ``paragraph``: a place in capitals, then a wire in brackets ("KYIV, May
    18 (Reuters) -") or, without one, a date and a dash ("PARIS, Oct. 9, 2025 —"); else ``None``."""
    m = _DATELINE_RE.match(paragraph[:120])
    if m is None or not m["place"].strip().isupper():
        return None
    if m["wire"] is None and (not m["date"] or m["sep"] == ":"):
        return None  # "UPDATE: …", "BREAKING —": no wire, no date
    return m


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each wire dateline opening a paragraph ("KYIV, May 18 (Reuters) -")."""
    return [(start, start + m.end()) for start, m in _datelines(text)]


def dateline_places(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the place of each dateline opening a paragraph ("FRANKFURT" of
    "FRANKFURT, March 6 (Reuters) -")."""
    return [
        (start + m.start("place"), start + m.start("place") + len(m["place"].rstrip()))
        for start, m in _datelines(text)
    ]


def _datelines(text: str) -> list[tuple[int, re.Match[str]]]:
    """Each dateline opening a paragraph of ``text``: the paragraph's offset and the match."""
    found: list[tuple[int, re.Match[str]]] = []
    for para in re.finditer(r"(?:^|\n)[ \t]*(?=\S)", text):
        m = _dateline(text[para.end() : para.end() + 120])
        if m is not None:
            found.append((para.end(), m))
    return found


def parse_dateline(paragraph: str, *, wires: Mapping[str, tuple[str, ...]]) -> tuple[str | None, str | None]:
    """``(published, wire)`` from a wire dateline opening a paragraph (``"KYIV, May 18, 2025 (Reuters) -"``);
    ``published`` only when the dateline carries a year."""
    m = _dateline(paragraph)
    if m is None:
        return None, None
    wire = canonical_wire(m["wire"], wires) if m["wire"] else None
    published = parse_date_text(m["date"]) if m["date"] and re.search(r"\d{4}", m["date"]) else None
    return published, wire


def dateline_month_day(paragraph: str) -> tuple[int, int, int, int] | None:
    """``(month, day, start, end)`` of the year-less date of a wire dateline opening ``paragraph``
    (``"KYIV, May 18 (Reuters) -"`` → ``(5, 18, 6, 12)``); ``None`` without one, or when the
    dateline gives a year (then :func:`parse_dateline` dates the article)."""
    m = _dateline(paragraph)
    if m is None or not m["date"] or re.search(r"\d{4}", m["date"]):
        return None
    words = m["date"].replace(".", " ").split()
    try:
        month = _MONTHS[words[0][:3].lower()]
        day = int(words[-1])
    except (KeyError, ValueError, IndexError):
        return None
    if not 1 <= day <= 31:
        return None
    return month, day, m.start("date"), m.end("date")
