"""The building blocks of time-expression rules: the lexicon, regex atoms, candidates and the rule registry.

The word lists (number words, holidays, modifiers, vague references…) are data, in
``storyline/data/timex.yaml``; the regular-expression atoms (month names, day numbers, amounts,
units) and the :func:`rule` decorator that registers a rule with its pattern are here. The rules
themselves are in :mod:`.timex_rules_dates` and :mod:`.timex_rules_relative`; the cascade that runs
them in :mod:`.timex_rules`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from storyline.errors import ConfigError

__all__ = ["Candidate", "MONTHS", "WEEKDAYS", "number_value", "duration_value", "lexicon_section", "rule"]

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
MONTH_NAMES = frozenset(_MONTH_FULL.split("|"))
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
