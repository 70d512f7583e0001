"""Recognition of time expressions: a HeidelTime-like cascade of regular expressions.

The grammar is here; the word lists (number words, holidays, modifiers, vague references…)
are data, in ``storyline/data/timex.yaml``. Each rule turns a match into a
:class:`Candidate` carrying a TIMEX3 type, either a
fixed value (durations, ``PRESENT_REF``…) or a relative description resolved later
(see :mod:`storyline.analyze.timex_resolve`). Overlapping candidates are settled by
length (longest wins), then modifiers around a kept candidate are absorbed
("early", "the end of", "more than"…), and adjacent pieces are merged ("5 p.m.
Tuesday", "Monday, Oct. 26").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

import yaml

from storyline.errors import ConfigError

__all__ = ["Candidate", "recognize", "MONTHS", "WEEKDAYS", "number_value", "lexicon_section"]

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}


def _load_lexicon() -> dict[str, Any]:
    """The word lists of ``data/timex.yaml``."""
    path = "data/timex.yaml"
    try:
        data: Any = yaml.safe_load(resources.files("storyline").joinpath(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(path, f"cannot read the time-expression lexicon: {exc}") from exc
    for key in _LEXICON_KEYS:
        if not isinstance(data, dict) or key not in data:
            raise ConfigError(path, "missing section", field=key)
    return dict(data)


_LEXICON_KEYS = ("numbers", "vague_numbers", "ordinals", "seasons", "parts_of_day", "set_words", "holidays",
                 "mod_prefixes", "position_mods", "references", "event_anchor_offsets",
                 "event_classes")  # fmt: skip
_LEX = _load_lexicon()


def lexicon_section(key: str) -> dict[str, Any]:
    """One section of ``data/timex.yaml`` (a mapping)."""
    section = _LEX[key]
    if not isinstance(section, dict):
        raise ConfigError("data/timex.yaml", "a section must be a mapping", field=key)
    return dict(section)


NUMBERS: dict[str, float] = {str(k): float(v) for k, v in _LEX["numbers"].items()}
VAGUE: frozenset[str] = frozenset(str(w) for w in _LEX["vague_numbers"])
ORDINALS: dict[str, int] = {str(k): int(v) for k, v in _LEX["ordinals"].items()}
SEASONS: dict[str, str] = {str(k): str(v) for k, v in _LEX["seasons"].items()}
PARTS: dict[str, str] = {str(k): str(v) for k, v in _LEX["parts_of_day"].items()}
SET_WORDS: dict[str, str] = {str(k): str(v) for k, v in _LEX["set_words"].items()}
HOLIDAYS: dict[str, str] = {str(k): str(v) for k, v in _LEX["holidays"].items()}
MOD_PREFIX: dict[str, str] = {str(k): str(v) for k, v in _LEX["mod_prefixes"].items()}
POS_MOD: dict[str, str] = {str(k): str(v) for k, v in _LEX["position_mods"].items()}
_REFS: dict[str, str] = {str(k): str(v) for k, v in _LEX["references"].items()}
UNIT_CODE = {
    "second": ("S", True), "minute": ("M", True), "hour": ("H", True), "day": ("D", False),
    "night": ("D", False), "week": ("W", False), "fortnight": ("W", False), "month": ("M", False),
    "quarter": ("Q", False), "year": ("Y", False), "decade": ("DE", False), "century": ("CE", False),
    "weekend": ("WE", False),
}  # fmt: skip


@dataclass(frozen=True, kw_only=True, slots=True)
class Candidate:
    """A recognized expression before tense and resolution."""

    start: int
    end: int
    type: str  # DATE TIME DURATION SET
    gran: str
    rel: dict[str, Any] | None = None  # relative description (see timex_resolve)
    value: str | None = None  # a value that needs no anchor
    mod: str | None = None
    rule: str = ""
    tense_sensitive: bool = False  # direction depends on the tense of the clause
    check_number: bool = False  # a bare number: the parse must not make it a count
    props: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- regex atoms
_MONTH_FULL = r"january|february|march|april|may|june|july|august|september|october|november|december"
_MONTH_ABBR = r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
MON = rf"(?:{_MONTH_FULL}|(?:{_MONTH_ABBR})\.?)"
WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
DAYNUM = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?"
YEAR4 = r"(?:1[6-9][0-9]{2}|20[0-9]{2})"
_NUMWORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
)
NUM = (
    rf"(?:\d+(?:\.\d+)?(?:\s+1/2)?|{_NUMWORD}(?:[\s-]{_NUMWORD})?(?:[\s-]and[\s-]a[\s-]half)?|"
    r"a\s+dozen|dozen|(?:a|one)\s+hundred|hundred|a\s+couple(?:\s+of)?|couple\s+of|a\s+few|few|several|"
    r"many|some|a\s+number\s+of|dozens\s+of|a|an|half\s+a|a\s+half)"
)
UNIT = r"(?:second|minute|hour|day|night|week|fortnight|month|quarter|year|decade|centur(?:y|ies)|weekend)"
PREMOD = r"(?:(?:more|less|fewer|longer)\s+than|just\s+(?:over|under)|over|under|at\s+least|at\s+most|nearly|almost|about|around|approximately|roughly|some|up\s+to|no\s+more\s+than|close\s+to|an\s+estimated)"  # noqa: E501

_FLAGS = re.I


def number_value(text: str) -> float | None:
    """``"three"`` → 3, ``"twenty-four"`` → 24, ``"5 1/2"`` → 5.5; vague amounts → None."""
    t = " ".join(text.lower().replace("-", " ").split())
    if t in VAGUE:
        return None
    if t in NUMBERS:
        return float(NUMBERS[t])
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(?: 1/2)?", t)
    if m:
        return float(m.group(1)) + (0.5 if t.endswith("1/2") else 0.0)
    half = t.endswith(" and a half")
    if half:
        t = t[: -len(" and a half")]
    total = 0.0
    for w in t.split():
        if w not in NUMBERS:
            return None
        total += NUMBERS[w]
    return total + (0.5 if half else 0.0)


def duration_value(n: float | None, unit: str) -> str:
    """``P3M``, ``PT5H``, ``PXY``…"""
    unit = unit.lower().rstrip("s")
    if unit == "centurie":
        unit = "century"
    code, is_time = UNIT_CODE.get(unit, ("D", False))
    if n is None:
        amount = "X"
    else:
        if unit == "decade":
            n, code = n * 10, "Y"
        elif unit == "century":
            n, code = n * 100, "Y"
        elif unit == "fortnight":
            n = n * 2
        elif unit == "weekend":
            n, code = n * 2, "D"
        if n != int(n):
            # 1.5 hours → PT1H30M, 1.5 years → P18M
            frac = n - int(n)
            if code == "H":
                return f"PT{int(n)}H{int(round(frac * 60))}M" if int(n) else f"PT{int(round(frac * 60))}M"
            if code == "M" and is_time:
                return f"PT{int(n)}M{int(round(frac * 60))}S" if int(n) else f"PT{int(round(frac * 60))}S"
            if code == "Y":
                return f"P{int(n)}Y{int(round(frac * 12))}M" if int(n) else f"P{int(round(frac * 12))}M"
            if code == "D":
                return f"PT{int(round(n * 24))}H"
            amount = f"{n:g}"
        else:
            amount = str(int(n))
    return f"PT{amount}{code}" if is_time else f"P{amount}{code}"


def _unit_name(text: str) -> str:
    u = text.lower()
    if u.startswith("centur"):
        return "century"
    return u[:-1] if u.endswith("s") else u


def _month_ok(text: str, m: re.Match[str], group: str, *, bare: bool) -> bool:
    """Month names must be capitalised; "May"/"March" alone need a preposition before them."""
    word = m.group(group)
    if not word or not word[0].isupper():
        return False
    low = word.lower().rstrip(".")
    if low in _MONTH_ABBR.split("|") and not word.endswith(".") and bare:
        return False
    if bare and low in ("may", "march"):
        before = text[max(0, m.start(group) - 25) : m.start(group)].lower()
        if not re.search(r"\b(?:in|of|since|until|till|by|from|to|through|during|before|after|early|late|mid|"
                         r"last|next|this|between|and|or|on|the)[\s-]+$", before):  # fmt: skip
            return False
    return True


def _ymd(year: str | None) -> int | None:
    if year is None:
        return None
    y = int(year.strip("'"))
    if len(year.strip("'")) == 2:
        y += 1900 if y > 30 else 2000
    return y


def _day(s: str) -> int:
    return int(re.sub(r"\D", "", s))


Rule = Callable[[re.Match[str], str], "Candidate | list[Candidate] | None"]
_RULES: list[tuple[str, re.Pattern[str], Rule]] = []


def rule(name: str, pattern: str, flags: int = _FLAGS) -> Callable[[Rule], Rule]:
    def deco(fn: Rule) -> Rule:
        _RULES.append((name, re.compile(pattern, flags), fn))
        return fn

    return deco


def _c(m: re.Match[str], **kw: Any) -> Candidate:
    return Candidate(start=m.start(), end=m.end(), **kw)


# ---------------------------------------------------------------- absolute and partial dates
@rule("iso", r"\b(?P<y>1[6-9]\d\d|20\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)\b")
def _iso(m: re.Match[str], text: str) -> Candidate | None:
    rel = {"kind": "date", "year": int(m["y"]), "month": int(m["m"]), "day": int(m["d"]), "anchor": "ABS"}
    return _c(m, type="DATE", gran="day", rel=rel, rule="iso")


@rule("slash", r"(?<![\d/])(?P<m>0?[1-9]|1[0-2])/(?P<d>[0-3]?\d)/(?P<y>\d{4}|\d{2})(?![\d/])")
def _slash(m: re.Match[str], text: str) -> Candidate | None:
    if not 1 <= int(m["d"]) <= 31:
        return None
    rel = {"kind": "date", "year": _ymd(m["y"]), "month": int(m["m"]), "day": int(m["d"]), "anchor": "ABS"}
    return _c(m, type="DATE", gran="day", rel=rel, rule="slash")


@rule(
    "month_day_year",
    rf"\b(?P<mon>{MON})\s+(?P<d>{DAYNUM})(?:\s*,\s*|\s+)(?P<y>{YEAR4})(?!\d)"
    rf"|\b(?P<d2>{DAYNUM})\s+(?:of\s+)?(?P<mon2>{MON})\s*,?\s*(?P<y2>{YEAR4})(?!\d)",
)
def _mdy(m: re.Match[str], text: str) -> Candidate | None:
    g = "mon" if m["mon"] else "mon2"
    if not _month_ok(text, m, g, bare=False):
        return None
    mon = MONTHS[m[g].lower().rstrip(".")]
    rel = {"kind": "date", "year": int(m["y"] or m["y2"]), "month": mon, "day": _day(m["d"] or m["d2"]),
           "anchor": "ABS"}  # fmt: skip
    return _c(m, type="DATE", gran="day", rel=rel, rule="month_day_year")


@rule("month_day_and", rf"\b(?P<mon>{MON})\s+(?P<d>{DAYNUM})\s+(?:and|or)\s+(?P<d2>{DAYNUM})"
      rf"(?:\s*,\s*(?P<y>{YEAR4}))?(?![\d,.]?\d)"
      r"(?!\s*(?:%|percent|per\b|[ap]\.?m\b"
      r"|(?!(?:in|at|on|to|of|and|or|when|that|as|for|after|before|with)\b)[a-z]))")  # fmt: skip
def _md_and(m: re.Match[str], text: str) -> Candidate | list[Candidate] | None:
    """ "on April 24 and 25": the second day shares the month (and the year) of the first."""
    if not _month_ok(text, m, "mon", bare=False):
        return None
    mon = MONTHS[m["mon"].lower().rstrip(".")]
    d2 = _day(m["d2"])
    if d2 <= _day(m["d"]):
        return None
    # the second day takes its year from the first, just resolved
    rel: dict[str, Any] = {"kind": "date", "month": mon, "day": d2, "year_from_ref": True, "anchor": "REF"}
    second = Candidate(
        start=m.start("d2"), end=m.end("d2"), type="DATE", gran="day", rel=rel, rule="month_day_and"
    )
    if not m["y"]:
        return second
    # "June 3 and 4, 1999": both days take the year
    first = {"kind": "date", "year": int(m["y"]), "month": mon, "day": _day(m["d"]), "anchor": "ABS"}
    rel = {"kind": "date", "year": int(m["y"]), "month": mon, "day": d2, "anchor": "ABS"}
    return [
        Candidate(start=m.start(), end=m.end("d"), type="DATE", gran="day", rel=first, rule="month_day_and"),
        replace(second, end=m.end(), rel=rel),
    ]


@rule("month_day", rf"\b(?P<mon>{MON})\s+(?P<d>{DAYNUM})(?![\d,.]?\d)(?!\s*(?:%|percent))"
      rf"|\b(?:the\s+)?(?P<d2>{DAYNUM})\s+(?:of\s+)?(?P<mon2>{MON})(?![\w])")  # fmt: skip
def _md(m: re.Match[str], text: str) -> Candidate | None:
    g = "mon" if m["mon"] else "mon2"
    if not _month_ok(text, m, g, bare=False):
        return None
    if m["d2"] and not re.search(r"(?:st|nd|rd|th)$|^\d", m["d2"]):
        return None
    mon = MONTHS[m[g].lower().rstrip(".")]
    d = _day(m["d"] or m["d2"])
    rel = {"kind": "date", "month": mon, "day": d, "anchor": "DCT"}
    return _c(m, type="DATE", gran="day", rel=rel, rule="month_day", tense_sensitive=True)


@rule("month_year", rf"\b(?P<mon>{MON})\s*(?:,|\s+of)?\s+(?P<y>{YEAR4}|'\d\d)(?!\d|,\d)")
def _my(m: re.Match[str], text: str) -> Candidate | None:
    if not _month_ok(text, m, "mon", bare=False):
        return None
    rel = {
        "kind": "date",
        "year": _ymd(m["y"]),
        "month": MONTHS[m["mon"].lower().rstrip(".")],
        "anchor": "ABS",
    }
    return _c(m, type="DATE", gran="month", rel=rel, rule="month_year")


@rule(
    "month",
    rf"\b(?:(?P<rel>last|next|this|past|coming)\s+)?(?P<mon>{MON})(?![\w'])(?!\s*\d)"
    r"(?:\s+(?P<ry>this|last|next)\s+year\b|(?P<ty>\s+of\s+(?:that|the\s+same)\s+year\b))?",
)
def _month(m: re.Match[str], text: str) -> Candidate | None:
    if not _month_ok(text, m, "mon", bare=True):
        return None
    rel: dict[str, Any] = {"kind": "date", "month": MONTHS[m["mon"].lower().rstrip(".")], "anchor": "DCT"}
    relw = (m["rel"] or "").lower()
    if m["ty"]:
        rel["year_from_ref"] = True
        rel["anchor"] = "REF"
    elif m["ry"]:
        rel["year_rel"] = {"this": 0, "last": -1, "next": 1}[m["ry"].lower()]
    elif relw == "this":
        rel["year_rel"] = 0
    elif relw in ("last", "past"):
        rel["direction"] = -1
        rel["strict"] = True
    elif relw in ("next", "coming"):
        rel["direction"] = 1
        rel["strict"] = True
    return _c(m, type="DATE", gran="month", rel=rel, rule="month", tense_sensitive=not relw)


@rule(
    "year",
    rf"(?<![\w$£€.,/-])(?:(?P<pm>mid|post|pre)-)?(?:(?P<fy>fiscal(?:\s+year)?|FY|calendar(?:\s+year)?)\s*)?"
    rf"(?P<y>{YEAR4})(?![\w%/-]|[.,]\d|\s*(?:%|percent|p\.m\.|a\.m\.))",
)
def _year(m: re.Match[str], text: str) -> Candidate | None:
    rel = {"kind": "date", "year": int(m["y"]), "anchor": "ABS"}
    mod = {"mid": "MID", "post": "AFTER", "pre": "BEFORE"}.get((m["pm"] or "").lower())
    return _c(
        m, type="DATE", gran="year", rel=rel, mod=mod, rule="year", check_number=not (m["fy"] or m["pm"])
    )


@rule("year_span", rf"(?<![\w$£€.,/-])(?P<y>{YEAR4})\s*[-\u2013]\s*(?P<y2>{YEAR4}|\d\d)(?![\w%/-]|[.,]\d)")
def _year_span(m: re.Match[str], text: str) -> list[Candidate]:
    """ "1861-1863", "1915-17": two years."""
    y1 = int(m["y"])
    y2 = int(m["y2"]) if len(m["y2"]) == 4 else y1 // 100 * 100 + int(m["y2"])
    if y2 <= y1:
        return []
    return [
        Candidate(start=m.start("y"), end=m.end("y"), type="DATE", gran="year", rule="year_span",
                  rel={"kind": "date", "year": y1, "anchor": "ABS"}),
        Candidate(start=m.start("y2"), end=m.end("y2"), type="DATE", gran="year", rule="year_span",
                  rel={"kind": "date", "year": y2, "anchor": "ABS"}),
    ]  # fmt: skip


@rule(
    "year_bc", r"\b(?:(?:ca\.|circa|c\.)\s+)?(?P<y>\d{1,4})\s*(?P<era>B\.?C\.?E?|BCE|A\.?D\.?|CE)(?![\w])", 0
)
def _year_bc(m: re.Match[str], text: str) -> Candidate | None:
    y = int(m["y"])
    era = m["era"].replace(".", "").upper()
    if era.startswith("B"):
        return _c(m, type="DATE", gran="year", value=f"BC{y:04d}", rule="year_bc")
    rel = {"kind": "date", "year": y, "anchor": "ABS"}
    return _c(m, type="DATE", gran="year", rel=rel, rule="year_bc")


@rule(
    "decade",
    r"\b(?:the\s+)?(?:(?P<pm>early|mid|late)[\s-]*)?(?:(?P<c>1[6-9]|20)(?P<d>\d)0|'(?P<d2>\d)0)'?s\b",
)
def _decade(m: re.Match[str], text: str) -> Candidate | None:
    century = int(m["c"]) if m["c"] else 19
    decade = century * 10 + int(m["d"] if m["d"] is not None else m["d2"])
    mod = POS_MOD.get((m["pm"] or "").lower())
    rel = {"kind": "date", "decade": decade, "anchor": "ABS"}
    return _c(m, type="DATE", gran="decade", rel=rel, mod=mod, rule="decade")


_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                 "eighties": 8, "nineties": 9}  # fmt: skip


@rule("decade_word", r"\b(?:the\s+)?(?:(?P<pm>early|mid|late)[\s-]+)?(?P<w>twenties|thirties|forties|fifties|"
      r"sixties|seventies|eighties|nineties)\b")  # fmt: skip
def _decade_word(m: re.Match[str], text: str) -> Candidate | None:
    if not m.group(0).lower().startswith(("the", "early", "mid", "late")):
        return None  # "in his forties" is an age
    if re.search(r"\b(?:his|her|their|my|your|our)\s+(?:early\s+|mid\s+|late\s+)?$", text[: m.start()][-20:]):
        return None
    rel = {"kind": "date", "decade": 190 + _DECADE_WORDS[m["w"].lower()], "anchor": "ABS"}
    return _c(m, type="DATE", gran="decade", rel=rel, mod=POS_MOD.get((m["pm"] or "").lower()), rule="decade")


@rule(
    "century",
    r"\b(?:the\s+)?(?:(?P<pm>early|mid|late)[\s-]+)?"
    r"(?P<o>\d{1,2}(?:st|nd|rd|th)|[a-z]+(?:-first)?)[\s-]+century\b",
)
def _century(m: re.Match[str], text: str) -> Candidate | None:
    o = m["o"].lower()
    n = int(o[:-2]) if o[:-2].isdigit() else ORDINALS.get(o)
    if n is None:
        return None
    rel = {"kind": "date", "century": n - 1, "anchor": "ABS"}
    return _c(
        m, type="DATE", gran="century", rel=rel, mod=POS_MOD.get((m["pm"] or "").lower()), rule="century"
    )


# ---------------------------------------------------------------- weekdays, today, parts of day
@rule("weekday", rf"\b(?:(?P<rel>last|this|next|coming|past|previous)\s+)?(?P<wd>{WD})"
      r"(?:\s+(?P<part>morning|afternoon|evening|night))?(?!\w)")  # fmt: skip
def _weekday(m: re.Match[str], text: str) -> Candidate | None:
    relw = (m["rel"] or "").lower()
    rel: dict[str, Any] = {"kind": "weekday", "weekday": WEEKDAYS[m["wd"].lower()], "anchor": "DCT"}
    if relw in ("last", "past", "previous"):
        rel["direction"], rel["week"] = -1, -1
    elif relw in ("next", "coming"):
        rel["direction"], rel["week"] = 1, 1
    if m["part"]:
        rel["part"] = PARTS[m["part"].lower()]
    # "Friday night" keeps its part of day in the value; TimeBank and AQUAINT type it DATE
    return _c(m, type="DATE", gran="day", rel=rel, rule="weekday", tense_sensitive=relw in ("", "this"))


@rule(
    "today",
    r"\b(?P<w>today|tonight|yesterday|tomorrow)(?:'s)?(?:\s+(?P<part>morning|afternoon|evening|night))?\b",
)
def _today(m: re.Match[str], text: str) -> Candidate | None:
    w = m["w"].lower()
    if (
        w == "today"
        and m.group(0).lower().endswith("'s")
        and re.match(
            r"\s+(?:world|youth|society|children|generation|young|kids|standards|technology|modern)\b",
            text[m.end() :],
            re.I,
        )
    ):
        return None  # "today's world", "today's youth": generic
    n = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[w]
    rel: dict[str, Any] = {"kind": "shift", "unit": "day", "n": n, "anchor": "DCT"}
    part = "NI" if w == "tonight" else PARTS.get((m["part"] or "").lower())
    end = m.end()
    if m.group(0).lower().endswith("'s"):
        end -= 2
    if part:
        rel["part"] = part
    return Candidate(
        start=m.start(), end=end, type="TIME" if part else "DATE", gran="day", rel=rel, rule="today"
    )


@rule("part_of_day", r"\b(?P<rel>this|last|tomorrow|yesterday|early\s+this|late\s+last|later\s+this|the)\s+"
      r"(?P<part>morning|afternoon|evening|night)\b|\b(?P<on>overnight)\b")  # fmt: skip
def _part(m: re.Match[str], text: str) -> Candidate | None:
    if m["on"]:
        rel = {"kind": "shift", "unit": "day", "n": -1, "anchor": "DCT", "part": "NI"}
        return _c(m, type="TIME", gran="day", rel=rel, rule="overnight", tense_sensitive=True)
    relw = m["rel"].lower().split()[-1]
    part = PARTS[m["part"].lower()]
    n = -1 if relw in ("last", "yesterday") else (1 if relw == "tomorrow" else 0)
    if relw == "last" and part != "NI":
        n = -1
    anchor = "REF" if relw == "the" else "DCT"
    rel = {"kind": "shift", "unit": "day", "n": n, "anchor": anchor, "part": part}
    mod = "END" if m["rel"].lower().startswith(("late", "later")) else None
    mod = "START" if m["rel"].lower().startswith("early") else mod
    return _c(m, type="TIME", gran="day", rel=rel, rule="part_of_day", mod=mod)


# ---------------------------------------------------------------- clock times
@rule("clock", r"(?<![\w.:$])(?:(?P<h>[01]?\d|2[0-3])(?::(?P<mi>[0-5]\d))?\s*"
      r"(?P<ap>a\.?\s?m\b\.?|p\.?\s?m\b\.?)"
      r"|(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)(?!\d)(?!\s*(?:%|percent|to\b|-))"
      r"|(?P<w>noon|midnight|midday))(?:\s+(?P<tz>[ECMP][SD]T|GMT|UTC|BST|CET))?(?![\w])")  # fmt: skip
def _clock(m: re.Match[str], text: str) -> Candidate | None:
    if m["w"]:
        hh, mm = {"noon": (12, 0), "midday": (12, 0), "midnight": (24, 0)}[m["w"].lower()]
    elif m["h"]:
        hh, mm = int(m["h"]), int(m["mi"] or 0)
        if hh > 12:
            return None
        pm = m["ap"].lower().startswith("p")
        if pm and hh < 12:
            hh += 12
        if not pm and hh == 12:
            hh = 0
    else:
        hh, mm = int(m["h2"]), int(m["mi2"])
        # a bare "10:30" is a time only next to a clock word
        around = text[max(0, m.start() - 12) : m.end() + 6].lower()
        if not re.search(r"\bat\b|gmt|\bet\b|local", around):
            return None
    rel = {"kind": "shift", "unit": "day", "n": 0, "anchor": "REF", "time": f"{hh:02d}:{mm:02d}"}
    return _c(m, type="TIME", gran="day", rel=rel, rule="clock")


# ---------------------------------------------------------------- relative units
@rule("rel_unit", r"\b(?P<rel>this|last|next|past|previous|coming|current|following|same|latest|prior"
      r"|preceding"
      r"|this\s+past|this\s+coming|the\s+following|the\s+previous|the\s+next|the\s+same|the\s+current"
      r"|the\s+latest|the\s+past|the\s+last|the\s+coming|the\s+prior|the\s+preceding|that)\s+"
      r"(?P<fy>(?:fiscal|calendar)[\s-]+)?"
      r"(?P<unit>week|month|year|quarter|weekend|decade|century|day|half)\b")  # fmt: skip
def _rel_unit(m: re.Match[str], text: str) -> Candidate | None:
    relw = " ".join(m["rel"].lower().split())
    unit = m["unit"].lower()
    the = relw.startswith("the ")
    core = relw[4:] if the else relw
    if core in ("past", "last", "coming") and the:
        if unit in ("day", "half"):
            return None
        if unit == "quarter":
            return _c(
                m, type="DATE", gran="quarter", rel={"kind": "same", "unit": "quarter", "n": -1}, rule="rel_q"
            )
        # "the past year" is the year before (TimeBank reads it as a date, 1988, not a stretch P1Y)
        n0 = 1 if core == "coming" else -1
        rel0 = {"kind": "shift", "unit": unit, "n": n0, "anchor": "DCT"}
        if unit == "weekend":
            rel0 = {"kind": "weekend", "n": n0, "anchor": "DCT"}
        return _c(m, type="DATE", gran=unit, rel=rel0, rule="rel_unit_the")
    if core == "past" and unit in ("decade", "century"):
        return _c(m, type="DURATION", gran="duration", value=duration_value(1, unit), rule="rel_unit_dur")
    n = {"this": 0, "current": 0, "same": 0, "last": -1, "past": -1, "previous": -1, "prior": -1,
         "preceding": -1, "latest": -1, "next": 1, "coming": 1, "following": 1, "this past": -1,
         "this coming": 1, "that": 0}[core]  # fmt: skip
    anchor = "DCT"
    if core in ("following", "previous", "same", "prior", "preceding", "that") and (the or core == "that"):
        anchor = "REF"
    elif core == "next" and the and unit == "day":
        anchor = "REF"  # "the next day"
    elif core in ("following", "prior", "preceding"):
        anchor = "REF"
    if unit == "day":
        if anchor != "REF":
            return None
        rel = {"kind": "shift", "unit": "day", "n": n, "anchor": "REF"}
        return _c(m, type="DATE", gran="day", rel=rel, rule="rel_day")
    if unit == "half":
        return None
    if core == "latest" and unit == "quarter":
        return _c(
            m, type="DATE", gran="quarter", rel={"kind": "same", "unit": "quarter", "n": -1}, rule="rel_unit"
        )
    if core == "latest" and unit != "quarter":
        return None
    gran = {"weekend": "weekend"}.get(unit, unit)
    rel = {"kind": "shift", "unit": unit, "n": n, "anchor": anchor}
    if unit == "weekend":
        rel = {"kind": "weekend", "n": n, "anchor": "DCT"}
        return _c(m, type="DATE", gran="weekend", rel=rel, rule="weekend", tense_sensitive=n == 0)
    if unit == "quarter" and n == -1 and anchor == "DCT":
        rel = {"kind": "same", "unit": "quarter", "n": -1}
    return _c(m, type="DATE", gran=gran, rel=rel, rule="rel_unit")


@rule("weekend", r"\b(?:the|a)\s+weekend\b(?!\s+of\b)")
def _weekend(m: re.Match[str], text: str) -> Candidate | None:
    if m.group(0).lower().startswith("a"):
        return None
    rel = {"kind": "weekend", "n": 0, "anchor": "DCT"}
    return _c(m, type="DATE", gran="weekend", rel=rel, rule="weekend", tense_sensitive=True)


@rule("season", r"\b(?:(?P<rel>this\s+past|this|last|next|the|early|late|mid|in|during|coming)\s+)?"
      r"(?:(?P<pm>early|late|mid)[\s-]+)?(?P<s>spring|summer|fall|autumn|winter)"
      r"(?:\s+(?:of\s+)?(?P<y>" + YEAR4 + r"))?\b")  # fmt: skip
def _season(m: re.Match[str], text: str) -> Candidate | None:
    relw = " ".join((m["rel"] or "").lower().split())
    s = SEASONS[m["s"].lower()]
    if not relw and not m["y"] and not m["pm"]:
        if m["s"].lower() == "fall":
            return None
    if m["s"].lower() == "fall" and relw in ("", "in", "during") and not m["y"]:
        return None
    start = m.start()
    if relw in ("in", "during"):
        start = m.start("pm") if m["pm"] else m.start("s")
    mod = POS_MOD.get((m["pm"] or "").lower()) or POS_MOD.get(relw)
    if m["y"]:
        rel: dict[str, Any] = {"kind": "date", "year": int(m["y"]), "season": s, "anchor": "ABS"}
        return Candidate(
            start=start, end=m.end(), type="DATE", gran="season", rel=rel, mod=mod, rule="season"
        )
    if relw in ("last", "this past", "next", "coming"):
        n = -1 if relw in ("last", "this past") else 1
        rel = {"kind": "shift", "unit": "season", "n": n, "anchor": "DCT", "season": s, "gran": "season"}
        return Candidate(
            start=start, end=m.end(), type="DATE", gran="season", rel=rel, mod=mod, rule="season"
        )
    rel = {"kind": "date", "season": s, "anchor": "DCT"}
    if relw == "this":
        rel["year_rel"] = 0
    return Candidate(start=start, end=m.end(), type="DATE", gran="season", rel=rel, mod=mod, rule="season",
                     tense_sensitive=True)  # fmt: skip


@rule("quarter", r"\b(?:(?P<the>the|its|this|last|next|a|their)\s+)?"
      r"(?P<ya>(?:comparable\s+)?(?:year-earlier|year-ago|"
      r"prior-year|year-before)\s+)?(?:(?P<yr>" + YEAR4 + r")(?:'s)?\s+|"
      r"(?P<ry>this|last|next)\s+year's\s+)?(?:(?:fiscal|calendar)[\s-]+)?"
      r"(?P<o>first|second|third|fourth|1st|2nd|3rd|4th|final)[\s-]+(?:(?:fiscal|calendar)[\s-]+)?quarter"
      r"(?:\s+of\s+(?:(?P<yr2>" + YEAR4 + r")|(?:the\s+)?(?P<ry2>this|last|next|current|previous)\s+"
      r"(?:fiscal\s+|calendar\s+)?year|(?:fiscal|calendar)\s+(?P<yr3>" + YEAR4 + r")))?\b")  # fmt: skip
def _quarter(m: re.Match[str], text: str) -> Candidate | None:
    o = m["o"].lower()
    q = 4 if o == "final" else ORDINALS[o]
    year = m["yr"] or m["yr2"] or m["yr3"]
    ry = (m["ry"] or m["ry2"] or "").lower()
    start = m.start()
    hyphenated = "-quarter" in m.group(0).lower()  # "the third-quarter loss": the adjective alone
    if m["the"] and (m["the"].lower() not in ("the", "this") or (m["the"].lower() == "the" and hyphenated)):
        start = m.start("ya") if m["ya"] else (m.start("yr") if m["yr"] else m.start("o"))
    if m["ya"] and not year and not ry:
        rel0: dict[str, Any] = {"kind": "date", "quarter": q, "anchor": "DCT", "year_shift": -1}
        return Candidate(start=start, end=m.end(), type="DATE", gran="quarter", rel=rel0, rule="quarter")
    if year:
        rel: dict[str, Any] = {"kind": "date", "year": int(year), "quarter": q, "anchor": "ABS"}
        return Candidate(start=start, end=m.end(), type="DATE", gran="quarter", rel=rel, rule="quarter")
    if ry:
        n = {"this": 0, "current": 0, "last": -1, "previous": -1, "next": 1}[ry]
        rel = {"kind": "shift", "unit": "year", "n": n, "anchor": "DCT", "gran": "quarter", "quarter": q}
        return Candidate(start=start, end=m.end(), type="DATE", gran="quarter", rel=rel, rule="quarter")
    rel = {"kind": "date", "quarter": q, "anchor": "DCT"}
    return Candidate(start=start, end=m.end(), type="DATE", gran="quarter", rel=rel, rule="quarter")


@rule("the_quarter", r"\b(?P<w>the|this|that)\s+(?:(?P<fy>fiscal|calendar)\s+)?(?P<u>quarter|fiscal\s+year)\b"
      r"(?!\s+(?:of|to)\b)")  # fmt: skip
def _the_quarter(m: re.Match[str], text: str) -> Candidate | None:
    u = m["u"].lower()
    if u.startswith("fiscal") or m["fy"]:
        if m["w"].lower() == "this":
            return _c(m, type="DATE", gran="year", rel={"kind": "shift", "unit": "year", "n": 0}, rule="fy")
        return _c(m, type="DURATION", gran="duration", value="P1Y", rule="fy")
    n = 0 if m["w"].lower() == "this" else -1
    return _c(
        m, type="DATE", gran="quarter", rel={"kind": "same", "unit": "quarter", "n": n}, rule="the_quarter"
    )


@rule("the_year", r"\bthe\s+(?P<full>full\s+|whole\s+|entire\s+)?year\b(?P<ended>\s+(?:ended|ending|to)\b)?")
def _the_year(m: re.Match[str], text: str) -> Candidate | None:
    """ "for the year ended June 30" is a stretch; "the full year", "of the year" the current one."""
    end = m.end("full") + 4 if m["full"] else m.start() + len("the year")
    if m["ended"]:
        return Candidate(
            start=m.start(), end=end, type="DURATION", gran="duration", value="P1Y", rule="the_year"
        )
    before = text[max(0, m.start() - 30) : m.start()].lower()
    if m["full"] or re.search(
        r"\b(?:months|weeks|days|half|quarter|part|rest|end|start|beginning)\s+of\s+$", before
    ):
        rel = {"kind": "shift", "unit": "year", "n": 0, "anchor": "DCT"}
        return Candidate(start=m.start(), end=end, type="DATE", gran="year", rel=rel, rule="the_year")
    after = text[end : end + 20]
    if re.search(r"\b(?:for|during|so\s+far\s+in)\s+$", before) and not re.match(
        r"\s*(?:-|\d|before|after|earlier|ago|later|that|when|in\s+which|two|one|nineteen)", after, re.I
    ):
        # "For the year, volume was flat", "a high for the year": the year being reported on
        rel = {"kind": "shift", "unit": "year", "n": 0, "anchor": "DCT"}
        return Candidate(start=m.start(), end=end, type="DATE", gran="year", rel=rel, rule="the_year")
    return None


@rule("half", r"\b(?:the\s+)?(?P<o>first|second|latter|last|1st|2nd)[\s-]+half(?:\s+of\s+(?:(?P<y>" + YEAR4 +
      r")|(?:the\s+)?(?P<ry>this|last|next|current)\s+(?:fiscal\s+)?year|the\s+year))?\b")  # fmt: skip
def _half(m: re.Match[str], text: str) -> Candidate | None:
    h = 1 if m["o"].lower() in ("first", "1st") else 2
    if m["y"]:
        rel: dict[str, Any] = {"kind": "date", "year": int(m["y"]), "half": h, "anchor": "ABS"}
        return _c(m, type="DATE", gran="half", rel=rel, rule="half")
    if m["ry"]:
        n = {"this": 0, "current": 0, "last": -1, "next": 1}[m["ry"].lower()]
        rel = {"kind": "shift", "unit": "year", "n": n, "anchor": "DCT", "gran": "half", "half": h}
        return _c(m, type="DATE", gran="half", rel=rel, rule="half")
    results = r"[\s-]*(?:profit|loss|results|earnings|net|sales|revenue|of)\b"
    if not re.search(r"\bhalf\s+of\b", m.group(0)) and not re.match(results, text[m.end() :]):
        return None
    rel = {"kind": "date", "half": h, "anchor": "DCT"}
    return _c(m, type="DATE", gran="half", rel=rel, rule="half", tense_sensitive=True)


# ---------------------------------------------------------------- boundaries and vague "earlier this year"
@rule("within_unit", r"\b(?P<w>earlier|later|early|late)\s+(?:(?P<rel>this|last|next|that)|in\s+the)\s+"
      r"(?P<unit>week|month|year|decade|century|quarter)\b")  # fmt: skip
def _within(m: re.Match[str], text: str) -> Candidate | None:
    w = m["w"].lower()
    relw = (m["rel"] or "this").lower()
    n = {"this": 0, "last": -1, "next": 1, "that": 0}[relw]
    anchor = "REF" if relw == "that" else "DCT"
    mod = "START" if w in ("early", "earlier") else "END"
    rel = {"kind": "shift", "unit": m["unit"].lower(), "n": n, "anchor": anchor}
    return _c(m, type="DATE", gran=m["unit"].lower(), rel=rel, mod=mod, rule="within_unit")


@rule("boundary", r"\b(?:the\s+)?(?P<b>start|beginning|end|middle|close|turn)\s+of\s+"
      r"(?:(?P<rel>the|this|next|last)\s+)?(?P<unit>year|month|week|quarter|decade|century|day)\b"
      r"|\b(?P<u2>year|month|quarter)(?:'s)?[\s-]+end\b")  # fmt: skip
def _boundary(m: re.Match[str], text: str) -> Candidate | None:
    if m["u2"]:
        unit, mod, n = m["u2"].lower(), "END", 0
    else:
        unit = m["unit"].lower()
        mod = POS_MOD.get(m["b"].lower(), "END")
        if m["b"].lower() == "turn":
            mod = "START"
        n = {"the": 0, "this": 0, "next": 1, "last": -1, None: 0}[(m["rel"] or "").lower() or None]
        if unit == "day" and (m["rel"] or "").lower() == "the":
            rel = {"kind": "shift", "unit": "day", "n": 0, "anchor": "REF"}
            return _c(m, type="DATE", gran="day", rel=rel, mod=mod, rule="boundary")
    rel = {"kind": "shift", "unit": unit, "n": n, "anchor": "DCT"}
    return _c(m, type="DATE", gran=unit, rel=rel, mod=mod, rule="boundary")


# ---------------------------------------------------------------- durations, "ago", "later"
_DUR_RE = (
    rf"\b(?P<pre>{PREMOD}\s+)?(?:(?P<det>the|its|their|his|her|our|this|that|these|those)\s+)?"
    r"(?P<adj>(?:past|last|next|first|final|previous|coming|following|latest|recent|initial|remaining|"
    r"further|additional|preceding|ensuing|subsequent|same|entire|whole|full|better\s+part\s+of\s+the|"
    r"year-earlier|year-ago|prior)\s+)?"
    rf"(?:(?P<num0>{NUM})\s+(?:to|or|-)\s+)?(?P<num>{NUM})[\s-]+(?:(?:more|additional|consecutive|straight|full|long|extra|further|other|"
    r"or\s+so|and\s+a\s+half)\s+)?"
    rf"(?P<unit>{UNIT})(?P<pl>s)?(?!\w)(?P<half>\s+and\s+a\s+half)?(?:(?P<post>[\s-]+(?:long|old))\b)?"
    r"(?:\s+(?P<dir>ago|earlier|later|before|after|previously|from\s+now|hence|back|on)(?![\w-]))?"
)


@rule("duration", _DUR_RE)
def _duration(m: re.Match[str], text: str) -> Candidate | None:
    unit = _unit_name(m["unit"])
    if unit == "centurie":
        unit = "century"
    numtxt = m["num"]
    if numtxt[0].isdigit() and m.start("num") > 0 and text[m.start("num") - 1] in ",.":
        return None  # "1,415 days": the tail of a bigger number
    n = number_value(numtxt)
    if m["half"] and n is not None:
        n += 0.5
    if m["num0"] is not None:
        n = None
    det = (m["det"] or "").lower()
    adj = " ".join((m["adj"] or "").lower().split())
    pre = " ".join((m["pre"] or "").lower().split())
    direction = (m["dir"] or "").lower()
    mod = MOD_PREFIX.get(pre)
    num_l = numtxt.lower()
    if num_l in ("a", "an") and m["pl"]:
        return None
    if num_l in ("a", "an", "half a", "a half") and unit == "night":
        return None
    if num_l == "some" and not m["pl"]:
        return None
    after = text[m.end() : m.end() + 6]
    if unit == "quarter" and re.match(r"\s+of\b", after) and not m["det"] and not m["adj"]:
        return None  # "three-quarters of its food", "more than a quarter of the market"
    if (
        unit == "second"
        and num_l in ("a", "an")
        and not re.search(
            r"\b(?:for|in|within|than|about|split|every|per)\s+$", text[max(0, m.start() - 12) : m.start()]
        )
    ):
        return None  # "a second betrayal": the ordinal
    if n is not None and n > 5000:
        return None
    if m["post"] and m["post"].strip(" -").lower() == "old" and not direction:
        return None
    if numtxt.isdigit() and len(numtxt) == 4 and not m["pl"] and not (m["post"] or "-" in m.group(0)):
        return None
    start, end = m.start(), m.end()
    if direction in ("before", "after", "on", "back") and re.match(r"\s*[\w$]", text[end:]):
        # "two days before the vote": the timex is the duration, the rest is a signal
        end = m.end("post") if m["post"] else m.end("unit") + (1 if m["pl"] else 0)
        direction = ""
    if direction == "on" or direction == "back":
        direction = "" if direction == "on" else "ago"
        if not direction:
            end = m.end("post") if m["post"] else m.end("unit") + (1 if m["pl"] else 0)
    if direction:
        sign = 1 if direction in ("later", "after", "from now", "hence") else -1
        anchor = "DCT" if direction in ("ago", "from now", "hence", "back") else "REF"
        if n is None:
            value = "PAST_REF" if sign < 0 else "FUTURE_REF"
            return Candidate(
                start=start, end=end, type="DATE", gran="ref", value=value, mod=mod, rule="ago_vague"
            )
        if n != int(n) or unit in ("hour", "minute", "second"):
            # "an hour later", "a minute and a half later": the timex is the stretch, "later" a signal
            end = m.end("half") if m["half"] else m.end("unit") + (1 if m["pl"] else 0)
            value = duration_value(n, unit)
            return Candidate(
                start=start, end=end, type="DURATION", gran="duration", value=value, mod=mod, rule="ago_frac"
            )
        u = "week" if unit == "fortnight" else unit
        k = int(n) * (2 if unit == "fortnight" else 1)
        if u == "night":
            u = "day"
        rel = {"kind": "shift", "unit": u, "n": sign * k, "anchor": anchor}
        if u == "year" and k == 1:
            rel["follow_ref"] = True
        gran = u if u not in ("weekend",) else "week"
        return Candidate(start=start, end=end, type="DATE", gran=gran, rel=rel, mod=mod, rule="ago")
    if adj in ("year-earlier", "year-ago"):
        start = m.start("num")
    if det and det not in ("the", "its", "their", "his", "her", "our"):
        start = m.start("adj") if m["adj"] else m.start("num")
    if unit == "weekend" and n is None:
        return None
    typ = "DURATION"
    value = duration_value(n, unit)
    if num_l in ("a", "an") and re.search(
        r"(?:\d|%|\bpercent|\btimes|\bonce|\btwice|\bcents?|\d\s+(?:million|billion|[a-z]+s)|\bdollars|"
        r"\d\s+\w+\s+[a-z]+s|\b(?!(?:was|is|has|this|its|his|as|us|yes|plus|less)\b)[a-z]{3,}s)\s*$",
        text[max(0, start - 40) : start],
    ):
        typ = "SET"
    if m["pre"] and (mod is None or (m["det"] and m["pre"].split()[-1].lower() in ("over", "under"))):
        # "over the past four months": "over" is the preposition, not a modifier
        start = m.start("det") if m["det"] else (m.start("adj") if m["adj"] else m.start("num"))
        mod = None if m["det"] else mod
    if m["det"] and start == m.start("det") and re.match(r"[\s-]*-", text[m.end("num") : m.end("num") + 1]):
        start = m.start("adj") if m["adj"] else m.start("num")  # "the 90-day period": the adjective alone
    return Candidate(start=start, end=end, type=typ, gran="duration", value=value, mod=mod, rule="duration")


@rule("plural_units", r"\b(?:(?P<adj>recent|coming|past|the\s+past|the\s+last|the\s+next|the\s+coming|"
      r"the\s+first|the\s+early|next|previous)\s+)?(?P<unit>minutes|hours|days|weeks|months|years|decades|centuries)"
      r"(?P<post>-long|-old)?\b")  # fmt: skip
def _plural_units(m: re.Match[str], text: str) -> Candidate | None:
    unit = _unit_name(m["unit"])
    before = text[max(0, m.start() - 20) : m.start()].lower()
    adj = (m["adj"] or "").lower()
    if not adj and not m["post"]:
        # bare "years" only as a stretch of time: "for years", "in days", "within weeks"
        if not re.search(
            r"\b(?:for|in|within|over|after|took|take|takes|lasted|last|spent|spend)\s+$", before
        ):
            return None
        if re.match(r"\s+(?:of|old|ago|earlier|later|before)\b", text[m.end() :]):
            return None
    stretch = re.search(r"\b(?:in|over)\s+$", before)
    if adj in ("recent", "coming", "the coming") and not m["post"] and stretch:
        # "in recent years", "in the coming weeks": the stretch the clause spans (TimeML: PXY, PXW)
        return _c(m, type="DURATION", gran="duration", value=duration_value(None, unit), rule="plural_units")
    if adj in ("recent", "past") and not m["post"]:
        return _c(m, type="DATE", gran="ref", value="PAST_REF", rule="plural_units")
    if adj in ("coming", "the coming") and not m["post"]:
        return _c(m, type="DATE", gran="ref", value="FUTURE_REF", rule="plural_units")
    return _c(m, type="DURATION", gran="duration", value=duration_value(None, unit), rule="plural_units")


@rule("year_period", r"\bthe\s+(?P<y>" + YEAR4 + r")\s+(?:fiscal\s+)?(?:period|quarter)\b")
def _year_period(m: re.Match[str], text: str) -> Candidate | None:
    rel = {"kind": "same", "unit": "quarter", "year": int(m["y"]), "anchor": "REF"}
    return _c(m, type="DATE", gran="quarter", rel=rel, rule="year_period")


@rule("year_earlier", r"\b(?:(?P<the>the)\s+)?(?:comparable\s+|corresponding\s+)?(?P<w>year-earlier|year-ago|"
      r"prior-year|year-before|latest|comparable|corresponding)(?:\s+(?P<u>period|quarter|nine\s+months|"
      r"six\s+months|half))?\b")  # fmt: skip
def _year_earlier(m: re.Match[str], text: str) -> Candidate | None:
    w = m["w"].lower()
    u = (m["u"] or "").lower()
    if w in ("latest", "comparable", "corresponding") and u not in ("period", "quarter"):
        return None
    if w == "latest" or (w in ("comparable", "corresponding") and not m["the"]):
        if w != "latest":
            return None
        return _c(
            m, type="DATE", gran="quarter", rel={"kind": "same", "unit": "quarter", "n": -1}, rule="latest"
        )
    if "months" in u or u == "half":
        n = 9 if u.startswith("nine") else 6
        return _c(m, type="DURATION", gran="duration", value=f"P{n}M", rule="year_earlier")
    start = m.start() if m["u"] else m.start("w")
    rel: dict[str, Any] = {"kind": "shift", "unit": "year", "n": -1, "anchor": "DCT", "follow_ref": True}
    if u == "quarter":
        rel["quarterly"] = True  # with no quarter in view: the last reported quarter, a year before
    return Candidate(start=start, end=m.end(), type="DATE", gran="year", rel=rel, rule="year_earlier")


_SPELLED_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_TENS = {"ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}  # fmt: skip


@rule("spelled_year", r"\b(?:(?P<mon>" + _MONTH_FULL + r")\s+)?(?:nineteen|eighteen)[\s-]+"
      r"(?:hundred\s+(?:and\s+)?)?"
      r"(?P<t>ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?P<u>one|two|three|four|five|six|"
      r"seven|eight|nine))?\b|\b(?:the\s+year\s+)?two\s+thousand(?:\s+and\s+(?P<u2>one|two|three|four|five|six|"
      r"seven|eight|nine))?\b")  # fmt: skip
def _spelled_year(m: re.Match[str], text: str) -> Candidate | None:
    g = m.group(0).lower()
    if "thousand" in g:
        if "the year" not in g:
            return None
        year = 2000 + _SPELLED_UNITS.get((m["u2"] or "").lower(), 0)
    else:
        century = 1900 if "nineteen" in g else 1800
        year = century + _TENS[m["t"].lower()] + _SPELLED_UNITS.get((m["u"] or "").lower(), 0)
    rel: dict[str, Any] = {"kind": "date", "year": year, "anchor": "ABS"}
    gran = "year"
    if m["mon"]:
        if not m["mon"][0].isupper():
            return None
        rel["month"] = MONTHS[m["mon"].lower()]
        gran = "month"
    return _c(m, type="DATE", gran=gran, rel=rel, rule="spelled_year")


# ---------------------------------------------------------------- sets
@rule("set", r"\b(?:(?P<w>daily|weekly|monthly|annually|yearly|hourly|nightly|biweekly)"
      r"|(?P<q>every|each|per)\s+(?:(?P<num>other|two|three|four|five|six|\d+)\s+)?(?P<unit>" + UNIT +
      r"|" + WD + r"|" + _MONTH_FULL + r")s?)\b")  # fmt: skip
def _set(m: re.Match[str], text: str) -> Candidate | None:
    if m["w"]:
        w = m["w"].lower()
        after = text[m.end() : m.end() + 20].lower()
        paper = r"\s+(?:newspaper|paper|magazine|news|mail|telegraph|express|star|record|show|journal)"
        if w in ("daily", "weekly", "monthly") and re.match(paper, after):
            return None
        return _c(m, type="SET", gran="set", value=SET_WORDS[w], rule="set")
    u = m["unit"].lower()
    if u in WEEKDAYS:
        return _c(m, type="SET", gran="set", value=f"XXXX-WXX-{WEEKDAYS[u] + 1}", rule="set")
    if u in MONTHS:
        return _c(m, type="SET", gran="set", value=f"XXXX-{MONTHS[u]:02d}", rule="set")
    k = 2 if (m["num"] or "").lower() == "other" else int(number_value(m["num"]) or 1) if m["num"] else 1
    return _c(m, type="SET", gran="set", value=duration_value(k, _unit_name(u)), rule="set")


# ---------------------------------------------------------------- vague references


@rule("ref", r"\b(?:right\s+now|now|currently|current|at\s+present|presently|nowadays|these\s+days|"
      r"at\s+the\s+moment|the\s+present|recently|recent|lately|the\s+past|formerly|then\s+current|"
      r"the\s+(?:near\s+)?future|someday|soon|a\s+later\s+date|"
      r"the\s+coming\s+(?:days|weeks|months))\b")  # fmt: skip
def _ref(m: re.Match[str], text: str) -> Candidate | None:
    key = " ".join(m.group(0).lower().split())
    after = text[m.end() : m.end() + 30]
    before = text[max(0, m.start() - 20) : m.start()].lower()
    if key == "now":
        # "now" as a discourse marker or in "now that"/"from now on" is still PRESENT_REF in TimeML,
        # but "just now"/"until now" are kept too; skip only "now" inside "from now" durations
        if re.search(r"\bfrom\s+$", before) and re.match(r"\s+on\b", after):
            return None
        if re.match(r",", after) and re.search(r"(?:^|[.!?:;]['\"`]*\s+|[\"`]|\n\s*)$", before):
            return None  # "Now, he says, ...": the sentence-initial discourse marker, not a time
    if key == "current":
        if re.match(r"\s+(?:account|accounts|affairs|events|members?|law|laws|rules?|system|policy|"
                    r"policies|plan|form|version|price|prices|rate|rates|level|levels|position|"
                    r"owner|owners|management|board|chairman|president)\b", after, re.I):  # fmt: skip
            return None
        if not re.match(r"\s+[a-z]", after):
            return None
    if key == "recent" and not re.match(
        r"\s+(?:days|weeks|months|years|times|decades|history|past|quarters|sessions|period)\b", after, re.I
    ):
        return None
    stretch = r"\s+(?:\d|few|several|two|three|four|five|six|seven|eight|nine|ten|year|month|week|decade|day)"
    if key.startswith("the coming") and re.search(r"\b(?:in|over)\s+$", before):
        return None  # "in the coming weeks": a stretch (see plural_units)
    if key == "the past" and re.match(stretch, after, re.I):
        return None
    if key == "the present" and not re.search(r"\b(?:at|until|to|in)\s+$", before):
        return None
    if key == "soon":
        # "as soon as possible" is a different construction; "soon after the vote" hangs on an event
        if re.search(r"\b(?:as|how|too|so)\s+$", before) or re.match(
            r"\s+(?:after|afterwards?|thereafter|as)\b", after, re.I
        ):
            return None
        # a reference to the future only in a clause about the future: "will soon begin", not "soon became"
        return _c(m, type="DATE", gran="ref", value=_REFS[key], rule="ref", props={"future_only": True})
    if key == "currently":
        return _c(m, type="DATE", gran="ref", value=_REFS[key], rule="ref", props={"verbal": True})
    return _c(m, type="DATE", gran="ref", value=_REFS[key], rule="ref")


@rule("holiday", r"\b(?P<h>Christmas(?:\s+(?:Day|Eve))?|New\s+Year's(?:\s+(?:Day|Eve))?"
      r"|Thanksgiving(?:\s+Day)?"
      r"|Easter(?:\s+Sunday)?|Good\s+Friday|Halloween|Independence\s+Day|Memorial\s+Day|Labor\s+Day"
      r"|Valentine's\s+Day|Veterans\s+Day|Boxing\s+Day|Election\s+Day)"
      r"(?:\s*,?\s*(?P<y>" + YEAR4 + r"))?\b", 0)  # fmt: skip
def _holiday(m: re.Match[str], text: str) -> Candidate | None:
    key = HOLIDAYS[" ".join(m["h"].lower().split())]
    rel: dict[str, Any] = {"kind": "date", "holiday": key, "anchor": "DCT"}
    if m["y"]:
        rel["year"] = int(m["y"])
        rel["anchor"] = "ABS"
    return _c(m, type="DATE", gran="day", rel=rel, rule="holiday", tense_sensitive=not m["y"])


# ---------------------------------------------------------------- the cascade
_PREFIX_POS = re.compile(r"(?:\b(?:the\s+)?(?P<b>start|beginning|end|middle|close|turn|dawn)\s+of\s+"
                         r"|\b(?P<pm>early|mid|late|mid-)[\s-]*)$", re.I)  # fmt: skip
_PREFIX_MOD = re.compile(rf"\b(?P<p>{PREMOD})\s+$", re.I)
_PREFIX_EVE = re.compile(r"\b(?:the\s+)?(?:eve|day\s+before|day\s+after|morning|night|evening)\s+of\s+$|"
                         r"\b(?:the\s+)?(?P<w>eve|day\s+before|day\s+after)\s+$", re.I)  # fmt: skip


# ---------------------------------------------------------------- trigger words (speed only)
# Every match of a rule holds one of its trigger tokens: a whole run of letters (lower-cased) that
# the pattern below matches in full, or "#", any run of digits. A rule is run only in windows around
# its triggers, wide enough for its longest match, so the matches are exactly those of a scan of the
# whole text (the window edges see the text around them: lookbehinds and \b read the real string).
_UNITS_T = (
    r"(?:second|minute|hour|day|night|week|fortnight|month|quarter|year|decade|weekend)s?|centur(?:y|ies)"
)
_MONTHS_T = rf"{_MONTH_FULL}|{_MONTH_ABBR}"
_TRIGGERS: dict[str, str] = {
    "iso": "#", "slash": "#", "month_day_year": "#", "month_day_and": "#", "year": "#", "year_span": "#",
    "year_bc": "#", "decade": "#", "year_period": "#",
    "month_day": _MONTHS_T, "month_year": _MONTHS_T, "month": _MONTHS_T,
    "decade_word": "twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties",
    "century": "century",
    "weekday": "monday|tuesday|wednesday|thursday|friday|saturday|sunday",
    "today": "today|tonight|yesterday|tomorrow",
    "part_of_day": "morning|afternoon|evening|night|overnight",
    "clock": "#|noon|midnight|midday",
    "rel_unit": "week|month|year|quarter|weekend|decade|century|day|half",
    "weekend": "weekend",
    "season": "spring|summer|fall|autumn|winter",
    "quarter": "quarter", "the_quarter": "quarter|year", "the_year": "year", "half": "half",
    "within_unit": "week|month|year|decade|century|quarter",
    "boundary": "year|month|week|quarter|decade|century|day|end",
    "duration": _UNITS_T, "plural_units": "minutes|hours|days|weeks|months|years|decades|centuries",
    "year_earlier": "year|prior|latest|comparable|corresponding",
    "spelled_year": "nineteen|eighteen|thousand",
    "set": "daily|weekly|monthly|annually|yearly|hourly|nightly|biweekly|every|each|per",
    "ref": "now|currently|current|present|presently|nowadays|days|moment|recently|recent|lately|past|formerly"
    "|future|someday|soon|later|coming",
    "holiday": "christmas|new|thanksgiving|easter|good|halloween|independence|memorial|labor|valentine"
    "|veterans|boxing|election",
}  # fmt: skip
_TRIGGER_RX = {name: re.compile(rx) for name, rx in _TRIGGERS.items()}
# the trigger tokens of all rules in one scan: a whole run of letters or a run of digits
_WORD_TRIGGERS = "|".join(f"(?:{rx})" for rx in _TRIGGERS.values() if rx != "#")
_TOKEN = re.compile(rf"(?<![^\W\d_])(?:{_WORD_TRIGGERS})(?![^\W\d_])|\d+", re.I)
_SPACE_RUN = re.compile(r"[\s\-\u2013]{8,}")
# characters a match may reach on either side of its trigger (seen on 11M characters: at most 24),
# widened by the longest blank run of the text
_REACH = 150
_fires: dict[str, tuple[str, ...]] = {}  # trigger token -> the rules it fires


def _rules_fired(key: str) -> tuple[str, ...]:
    fired = _fires.get(key)
    if fired is None:
        fired = tuple(name for name, trig in _TRIGGER_RX.items() if trig.fullmatch(key))
        if len(_fires) < 100_000:
            _fires[key] = fired
    return fired


def _windows(text: str) -> dict[str, list[tuple[int, int]]] | None:
    """Per rule, the stretches of ``text`` its matches can lie in (``None``: scan everything)."""
    if len(text) < 2 * _REACH:
        return None
    runs = [m.end() - m.start() for m in _SPACE_RUN.finditer(text)]
    reach = _REACH + 40 * max(runs, default=0)
    starts: dict[str, list[int]] = {name: [] for name in _TRIGGER_RX}
    for m in _TOKEN.finditer(text):
        tok = m.group()
        for name in _rules_fired("#" if tok[0].isdigit() else tok.lower()):
            starts[name].append(m.start())
    out: dict[str, list[tuple[int, int]]] = {}
    for name, positions in starts.items():
        spans: list[tuple[int, int]] = []
        for p in positions:
            lo, hi = max(0, p - reach), min(len(text), p + reach)
            if spans and lo <= spans[-1][1]:
                spans[-1] = (spans[-1][0], hi)
            else:
                spans.append((lo, hi))
        out[name] = spans
    return out


def _all_matches(text: str) -> Iterator[Candidate]:
    windows = _windows(text)
    for name, rx, fn in _RULES:
        spans = windows.get(name, [(0, len(text))]) if windows is not None else [(0, len(text))]
        for lo, hi in spans:
            for m in rx.finditer(text, lo, hi):
                if m.end() == m.start():
                    continue
                found = fn(m, text)
                for cand in found if isinstance(found, list) else [found]:
                    if cand is not None and cand.end > cand.start:
                        yield cand


def _select(cands: list[Candidate]) -> list[Candidate]:
    """Longest first; a candidate overlapping a kept one is dropped."""
    order = sorted(enumerate(cands), key=lambda ic: (-(ic[1].end - ic[1].start), ic[0]))
    kept: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for _i, c in order:
        if any(c.start < e and s < c.end for s, e in taken):
            continue
        kept.append(c)
        taken.append((c.start, c.end))
    kept.sort(key=lambda c: c.start)
    return kept


def _extend(text: str, c: Candidate) -> Candidate:
    before = text[max(0, c.start - 40) : c.start]
    if c.type in ("DATE", "TIME") and c.rel is not None:
        m = _PREFIX_POS.search(before)
        if m and c.mod is None:
            word = (m["b"] or m["pm"] or "").lower().rstrip("-")
            c = replace(c, start=c.start - (len(before) - m.start()), mod=POS_MOD.get(word, "MID"))
            before = text[max(0, c.start - 40) : c.start]
        m = _PREFIX_EVE.search(before)
        if m and c.gran == "day":
            phrase = m.group(0).lower()
            part = next((code for w, code in PARTS.items() if w in phrase), None)
            off = 1 if "after" in phrase else (0 if part else -1)
            rel = dict(c.rel or {})
            if off:
                rel["offset_days"] = off
            typ = c.type
            if part and "time" not in rel:
                rel["part"], typ = part, "TIME"
            c = replace(c, start=c.start - (len(before) - m.start()), rel=rel, type=typ)
            before = text[max(0, c.start - 40) : c.start]
    if c.type in ("DURATION", "DATE", "TIME") and c.mod is None:
        m = _PREFIX_MOD.search(before)
        if m and text[c.start : c.start + 4].lower() == "the " and m["p"].lower() in ("over", "under"):
            m = None
        if m:
            p = " ".join(m["p"].lower().split())
            ok = c.type == "DURATION" or p in (
                "about",
                "around",
                "approximately",
                "roughly",
                "nearly",
                "almost",
            )
            if p in ("some", "over", "under") and c.type != "DURATION":
                ok = False
            if ok:
                c = replace(c, start=c.start - (len(before) - m.start()), mod=MOD_PREFIX.get(p))
    return c


_JOIN = re.compile(r"^\s*(?:,\s*)?(?:on\s+|of\s+)?$")


def _merge(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Join a clock time with its day ("5 p.m. Tuesday") and a weekday with its date ("Monday, Oct. 26")."""
    out: list[Candidate] = []
    for c in cands:
        if out:
            p = out[-1]
            gap = text[p.end : c.start]
            if len(gap) <= 4 and _JOIN.match(gap) and "\n" not in gap:
                pr, cr = p.rel or {}, c.rel or {}
                day_like = {"weekday", "date", "shift"}
                if p.rule == "clock" and cr.get("kind") in day_like and c.gran == "day" and "time" not in cr:
                    rel = dict(cr)
                    rel["time"] = pr["time"]
                    rel.pop("part", None)
                    out[-1] = replace(c, start=p.start, type="TIME", rel=rel, rule="clock+date")
                    continue
                if c.rule == "clock" and pr.get("kind") in day_like and p.gran == "day" and "time" not in pr:
                    rel = dict(pr)
                    rel["time"] = cr["time"]
                    rel.pop("part", None)
                    out[-1] = replace(p, end=c.end, type="TIME", rel=rel, rule="date+clock")
                    continue
                if p.rule == "weekday" and c.gran == "day" and cr.get("kind") == "date":
                    out[-1] = replace(c, start=p.start)
                    continue
        out.append(c)
    return out


_RANGE_GAP = re.compile(r"\s*(?:-|\u2013|\u2014|/|,|and|or|to|through|until|till)\s*", re.I)


_SEASON_ORDER = {"WI": 1, "SP": 4, "SU": 7, "FA": 10}


def _month_of(rel: dict[str, Any]) -> int:
    if rel.get("month"):
        return int(rel["month"])
    return _SEASON_ORDER.get(str(rel.get("season")), 0)


def _share_years(text: str, cands: list[Candidate]) -> list[Candidate]:
    """ "between March and April 1918", "(26 June - 4 August 1952)", "the spring and early summer of
    1943": a partial date joined to a dated one takes its year (the year before when it is later)."""
    out = list(cands)
    for i in range(len(out) - 2, -1, -1):
        c, nxt = out[i], out[i + 1]
        rel, nrel = c.rel or {}, nxt.rel or {}
        month, nmonth = _month_of(rel), _month_of(nrel)
        if (
            rel.get("kind") != "date"
            or not month
            or rel.get("year") is not None
            or rel.get("year_rel") is not None
            or rel.get("year_from_ref")
            or nrel.get("kind") != "date"
            or nrel.get("year") is None
            or not nmonth
            or nxt.start - c.end > 12
            or not _RANGE_GAP.fullmatch(text, c.end, nxt.start)
        ):
            continue
        year = int(nrel["year"]) - (1 if month > nmonth else 0)
        shared = {**rel, "year": year, "anchor": "ABS"}
        shared.pop("direction", None)
        out[i] = replace(c, rel=shared, tense_sensitive=False)
    return out


def recognize(text: str) -> list[Candidate]:
    """All time expressions of ``text``, as candidates in text order."""
    cands = _select(list(_all_matches(text)))
    cands = [_extend(text, c) for c in cands]
    cands = _merge(text, cands)
    cands = _share_years(text, cands)
    # extension may have grown a candidate over its neighbour
    out: list[Candidate] = []
    for c in cands:
        if out and c.start < out[-1].end:
            if c.end - c.start > out[-1].end - out[-1].start:
                out[-1] = c
            continue
        out.append(c)
    return out
