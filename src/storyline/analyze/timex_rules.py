"""Recognition of time expressions: a HeidelTime-like cascade of regular expressions.

The rules are in :mod:`.timex_rules_dates` (calendar dates, weekdays, clock times) and
:mod:`.timex_rules_relative` (relative units, quarters, durations, sets, vague references), built
from the lexicon and atoms of :mod:`.timex_lexicon`; the word lists are data, in
``storyline/data/timex.yaml``. Each rule turns a match into a :class:`Candidate` carrying a TIMEX3
type, either a fixed value (durations, ``PRESENT_REF``…) or a relative description resolved later
(see :mod:`storyline.analyze.timex_resolve`). This module runs them: overlapping candidates are
settled by length (longest wins), then modifiers around a kept candidate are absorbed ("early",
"the end of", "more than"…), adjacent pieces are merged ("5 p.m. Tuesday", "Monday, Oct. 26"), and
names that only look like times (a quoted title such as "High Noon") are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

# the rule modules register their rules (in this order) when imported
from storyline.analyze import timex_rules_dates, timex_rules_relative  # noqa: F401
from storyline.analyze.timex_lexicon import (
    _MONTH_ABBR,
    _MONTH_FULL,
    _RULES,
    MOD_PREFIX,
    MONTHS,
    PARTS,
    POS_MOD,
    PREMOD,
    SEASONS,
    WEEKDAYS,
    Candidate,
    duration_value,
    lexicon_section,
    number_value,
)

__all__ = [
    "Candidate",
    "recognize",
    "MONTHS",
    "WEEKDAYS",
    "number_value",
    "duration_value",
    "lexicon_section",
]


# ---------------------------------------------------------------- the cascade
_PREFIX_POS = re.compile(r"(?:\b(?:the\s+)?(?P<b>start|beginning|end|middle|close|turn|dawn)\s+of\s+"
                         r"|\b(?P<pm>early|mid|late|mid-)[\s-]*)$", re.I)  # fmt: skip
_PREFIX_MOD = re.compile(rf"\b(?P<p>{PREMOD})\s+$", re.I)
_PREFIX_WEEK = re.compile(r"\bthe\s+week\s+of\s+$", re.I)
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
    "within_unit": "week|month|year|decade|century|quarter|day",
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
        m = _PREFIX_WEEK.search(before)
        crel = c.rel or {}
        if m and c.gran == "day" and crel.get("kind") == "date" and "time" not in crel:
            # "the week of March 6": the week that day is in
            rel = {**crel, "week_of": True}
            c = replace(c, start=c.start - (len(before) - m.start()), rel=rel, gran="week")
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


_HOURS_OF = re.compile(r"\s+hours\s+of\s+")
_JOIN = re.compile(r"^\s*(?:,\s*)?(?:on\s+|of\s+)?$")


def _merge(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Join a clock time with its day ("5 p.m. Tuesday") and a weekday with its date ("Monday, Oct. 26")."""
    out: list[Candidate] = []
    for c in cands:
        if out:
            p = out[-1]
            gap = text[p.end : c.start]
            cr0 = c.rel or {}
            if (
                p.rule == "part_bare"
                and _HOURS_OF.fullmatch(gap)
                and cr0.get("kind") in ("weekday", "date")
                and c.gran == "day"
                and "time" not in cr0
            ):
                # "the early morning hours of 30 April"
                rel = {**cr0, "part": (p.rel or {})["part"]}
                out[-1] = replace(c, start=p.start, type="TIME", rel=rel, mod=p.mod, rule="part+date")
                continue
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
                if (
                    p.rule == "part_bare"
                    and cr.get("kind") in day_like
                    and c.gran == "day"
                    and "time" not in cr
                ):
                    # "mid-afternoon yesterday"
                    rel = {**cr, "part": pr["part"]}
                    out[-1] = replace(c, start=p.start, type="TIME", rel=rel, mod=p.mod, rule="part+date")
                    continue
                if (
                    p.gran in ("season", "month")
                    and pr.get("kind") == "date"
                    and pr.get("year") is None
                    and c.rule in ("spelled_year", "year")
                    and c.gran == "year"
                    and re.fullmatch(r"\s+of\s+", gap)
                ):
                    # "the winter of nineteen ninety-four"
                    rel = {k: v for k, v in pr.items() if k not in ("direction", "year_rel")}
                    rel.update(year=cr["year"], anchor="ABS")
                    out[-1] = replace(p, end=c.end, rel=rel, tense_sensitive=False, check_number=False)
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


# a short quoted name: "This Week," ``High Noon.'' ''60 Minutes''
_QUOTED = re.compile(r"(?:``|\"|\u201c|'')(?P<q>[^\"\u201c\u201d`'\n]{3,60}?)[,.!?]?(?:''|\"|\u201d)")
_NAME_WORD = re.compile(r"[\w.'-]+")


def _title_spans(text: str) -> list[tuple[int, int]]:
    """Quoted titles of two to six capitalized words, one of them (after the first) a word that is
    no proper name of a time ("This Week", "High Noon", "60 Minutes"; not "Black Monday")."""
    out = []
    for m in _QUOTED.finditer(text):
        words = _NAME_WORD.findall(m["q"])
        if not 2 <= len(words) <= 6 or not all(w[0].isupper() or w[0].isdigit() for w in words):
            continue
        common = [w for w in words[1:] if w[0].isupper() and w.lower().rstrip(".") not in MONTHS]
        if any(w.lower() not in WEEKDAYS for w in common):
            out.append((m.start("q"), m.end("q")))
    return out


def _drop_titles(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Times that are only part of a title: "This Week" (a programme), "High Noon" (a film)."""
    if not any(q in text for q in ('"', "``", "''", "\u201c")):
        return cands
    titles = _title_spans(text)
    if not titles:
        return cands
    return [
        c
        for c in cands
        if not (_titled_unit(text, c) and any(a <= c.start and c.end <= b for a, b in titles))
    ]


_TIME_NAME = re.compile(r"\b[A-Z][a-z]+")
_CLOCK_NAMES = frozenset({"noon", "midnight", "today", "tonight", "tomorrow", "yesterday"})


def _titled_unit(text: str, c: Candidate) -> bool:
    """The candidate holds a capitalized common time word ("Week", "Noon", "Minutes"), not the name
    of a time (a month, a weekday, a season, a holiday: the "Chinese Spring Offensive" is in spring)."""
    if c.rule == "holiday":
        return False
    for m in _TIME_NAME.finditer(text, c.start, c.end):
        word = m.group().lower()
        if word in _CLOCK_NAMES:
            return True
        if m.start() > c.start and word not in MONTHS and word not in WEEKDAYS and word not in SEASONS:
            return True
    return False


def recognize(text: str) -> list[Candidate]:
    """All time expressions of ``text``, as candidates in text order."""
    cands = _select(list(_all_matches(text)))
    cands = [_extend(text, c) for c in cands]
    cands = _merge(text, cands)
    cands = _share_years(text, cands)
    cands = _drop_titles(text, cands)
    # extension may have grown a candidate over its neighbour
    out: list[Candidate] = []
    for c in cands:
        if out and c.start < out[-1].end:
            if c.end - c.start > out[-1].end - out[-1].start:
                out[-1] = c
            continue
        out.append(c)
    return out
