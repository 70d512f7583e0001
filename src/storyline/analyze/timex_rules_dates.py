"""Time-expression rules for calendar dates: ISO and slashed dates, month and day, years, decades,
centuries, weekdays, "today"/"yesterday", parts of the day and clock times.

Each rule turns a match into a :class:`~storyline.analyze.timex_lexicon.Candidate` (see
:mod:`.timex_rules` for the cascade that runs them).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from storyline.analyze.timex_lexicon import (
    DAYNUM,
    MON,
    MONTHS,
    ORDINALS,
    PARTS,
    POS_MOD,
    WD,
    WEEKDAYS,
    YEAR4,
    Candidate,
    _c,
    _day,
    _month_ok,
    _ymd,
    rule,
)


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


_DAY_JOIN = r"(?:\s+(?:and|or|to|through|until|till)\s+|\s*[-–]\s*)"  # "24 and 25", "4-5", "3 to 5"


@rule("month_day_and", rf"\b(?P<mon>{MON})\s+(?P<d>{DAYNUM}){_DAY_JOIN}(?P<d2>{DAYNUM})"
      rf"(?:\s*,\s*(?P<y>{YEAR4}))?(?![\d,.]?\d)"
      r"(?!\s*(?:%|percent|per\b|[ap]\.?m\b"
      r"|(?!(?:in|at|on|to|of|and|or|when|that|as|for|after|before|with)\b)[a-z]))")  # fmt: skip
def _md_and(m: re.Match[str], text: str) -> Candidate | list[Candidate] | None:
    """ "on April 24 and 25", "Dec. 4-5", "from June 3 to 5": the second day shares the month (and the
    year) of the first."""
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


@rule("day_and_day_month", rf"(?<![\d,.])\b(?P<d>{DAYNUM}){_DAY_JOIN}(?P<d2>{DAYNUM})"
      rf"\s+(?:of\s+)?(?P<mon>{MON})(?![\w])(?:\s*,?\s*(?P<y>{YEAR4})(?!\d))?")  # fmt: skip
def _d_and_dm(m: re.Match[str], text: str) -> Candidate | None:
    """ "10-12 June 2024", "on 24 and 25 April": the first day takes the month (and the year) named after
    the second (which the day-month rules find)."""
    if not _month_ok(text, m, "mon", bare=False):
        return None
    d, d2 = _day(m["d"]), _day(m["d2"])
    if d >= d2:
        return None
    mon = MONTHS[m["mon"].lower().rstrip(".")]
    rel: dict[str, Any] = {"kind": "date", "month": mon, "day": d, "anchor": "DCT"}
    if m["y"]:
        rel = {**rel, "year": int(m["y"]), "anchor": "ABS"}
    return Candidate(
        start=m.start("d"), end=m.end("d"), type="DATE", gran="day", rel=rel, rule="day_and_day_month",
        tense_sensitive=not m["y"],
    )  # fmt: skip


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
@rule("weekday", r"\b(?:(?P<the>the\s+)?(?P<rel>last|this|next|coming|past|previous|following)\s+)?"
      rf"(?P<wd>{WD})(?:\s+(?P<part>morning|afternoon|evening|night))?(?!\w)")  # fmt: skip
def _weekday(m: re.Match[str], text: str) -> Candidate | None:
    relw = (m["rel"] or "").lower()
    rel: dict[str, Any] = {"kind": "weekday", "weekday": WEEKDAYS[m["wd"].lower()], "anchor": "DCT"}
    if m["the"] and relw in ("previous", "following", "next"):
        # "the previous Friday", "the following Monday": a week day next to the day in view
        rel["direction"], rel["anchor"] = (-1 if relw == "previous" else 1), "REF"
        return Candidate(start=m.start(), end=m.end(), type="DATE", gran="day", rel=rel, rule="weekday")
    if relw == "following":
        return None
    if relw in ("last", "past", "previous"):
        rel["direction"], rel["week"] = -1, -1
    elif relw in ("next", "coming"):
        rel["direction"], rel["week"] = 1, 1
    if m["part"]:
        rel["part"] = PARTS[m["part"].lower()]
    # "Friday night" keeps its part of day in the value; TimeBank and AQUAINT type it DATE
    start = m.start("rel") if m["rel"] else m.start("wd")
    sensitive = relw in ("", "this")
    return Candidate(start=start, end=m.end(), type="DATE", gran="day", rel=rel, rule="weekday",
                     tense_sensitive=sensitive)  # fmt: skip


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


@rule("part_of_day", r"\b(?P<rel>this|last|tomorrow|yesterday|early\s+this|late\s+last|later\s+this|"
      r"the(?:\s+(?P<step>next|following|previous))?)\s+"
      r"(?P<part>morning|afternoon|evening|night)\b|\b(?P<on>overnight)\b"
      r"|\b(?P<pm>early|mid|late)[\s-]*(?P<bare>morning|afternoon|evening)\b")  # fmt: skip
def _part(m: re.Match[str], text: str) -> Candidate | None:
    if m["on"]:
        rel = {"kind": "shift", "unit": "day", "n": -1, "anchor": "DCT", "part": "NI"}
        return _c(m, type="TIME", gran="day", rel=rel, rule="overnight", tense_sensitive=True)
    if m["bare"]:
        # "by mid-afternoon", "early morning": a part of the day in view (joined to a day next to it)
        rel = {"kind": "shift", "unit": "day", "n": 0, "anchor": "REF", "part": PARTS[m["bare"].lower()]}
        mod = POS_MOD.get(m["pm"].lower())
        return _c(m, type="TIME", gran="day", rel=rel, rule="part_bare", mod=mod)
    relw = m["rel"].lower().split()[-1]
    part = PARTS[m["part"].lower()]
    n = (
        -1
        if relw in ("last", "yesterday", "previous")
        else (1 if relw in ("tomorrow", "next", "following") else 0)
    )
    if relw == "last" and part != "NI":
        n = -1
    anchor = "REF" if m["rel"].lower().startswith("the") else "DCT"
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
