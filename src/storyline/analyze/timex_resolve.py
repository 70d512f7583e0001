"""Normalization of time expressions: a relative description + a DCT → a TIMEX3 value.

A *relative description* is a small JSON-able dict, kept on each ``TimeExpr`` so an
expression found in an article of unknown date can be resolved later without
re-parsing. Its ``kind`` is one of:

``date``
    A calendar date, maybe partial: ``year``, ``month``, ``day``, ``quarter``, ``half``,
    ``season`` (``SP``/``SU``/``FA``/``WI``), ``decade`` (``199``), ``century`` (``19``),
    ``part`` (``MO``/``AF``/``EV``/``NI``), ``time`` (``"17:00"``), ``holiday`` name.
    Without ``year`` (``"May 18"``) the year comes from the DCT and ``direction``
    (-1 past, +1 future, 0 nearest): ``{"kind": "date", "month": 5, "day": 18,
    "anchor": "DCT", "direction": 0}``.
``shift``
    ``n`` ``unit`` s from the anchor (``DCT`` or ``REF``, the running reference time):
    ``{"kind": "shift", "unit": "day", "n": -1, "anchor": "DCT"}`` is "yesterday",
    ``{"kind": "shift", "unit": "week", "n": 0, "anchor": "DCT"}`` is "this week".
    ``gran`` gives the granularity of the value when it differs from ``unit``
    ("a year earlier" after a quarter is a quarter), ``season``/``part`` narrow it.
``weekday``
    ``{"kind": "weekday", "weekday": 1, "direction": -1, "anchor": "DCT"}``: the
    Tuesday on or before the DCT (``direction`` +1: on or after; 0: the nearest, leaning to the past);
    with ``"after": True`` (the second of "Monday and Tuesday"), in the future, the next one after the
    reference day when the rest would put it on or before that day; with ``"in_week": True`` ("next
    week, possibly on Thursday") that day of the reference week.
``same``
    "the quarter": the reference time's ``unit`` when it has that granularity, else
    ``n`` of them from the DCT.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

__all__ = ["RefTime", "resolve_relative", "format_value", "easter", "nth_weekday"]

SEASON_MONTH = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}
SEASON_OF_MONTH = {
    1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU",
    7: "SU", 8: "SU", 9: "FA", 10: "FA", 11: "FA", 12: "WI",
}  # fmt: skip


@dataclass(frozen=True, kw_only=True, slots=True)
class RefTime:
    """A point of reference: a day and the granularity it was mentioned at."""

    day: date
    gran: str = "day"


def easter(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    day = ((h + el - 7 * m + 114) % 31) + 1
    return date(year, month, day)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th ``weekday`` (0 = Monday) of a month; ``n`` = -1 for the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def holiday_date(name: str, year: int) -> date | None:
    fixed = {
        "christmas": (12, 25),
        "christmas_eve": (12, 24),
        "new_year": (1, 1),
        "new_year_eve": (12, 31),
        "independence_day": (7, 4),
        "halloween": (10, 31),
        "valentine": (2, 14),
        "veterans_day": (11, 11),
        "boxing_day": (12, 26),
    }
    if name in fixed:
        mo, d = fixed[name]
        return date(year, mo, d)
    if name == "thanksgiving":
        return nth_weekday(year, 11, 3, 4)
    if name == "memorial_day":
        return nth_weekday(year, 5, 0, -1)
    if name == "labor_day":
        return nth_weekday(year, 9, 0, 1)
    if name == "election_day":
        return nth_weekday(year, 11, 0, 1) + timedelta(days=1)
    if name == "easter":
        return easter(year)
    if name == "good_friday":
        return easter(year) - timedelta(days=2)
    return None


def _add_months(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    y, m = divmod(total, 12)
    return date(y, m + 1, 1)


def format_value(d: date, gran: str, *, season: str | None = None, part: str | None = None,
                 time: str | None = None) -> str:  # fmt: skip
    """The TIMEX3 value of day ``d`` at granularity ``gran``."""
    if gran == "day":
        out = d.isoformat()
        if time:
            out += "T" + time
        elif part:
            out += "T" + part
        return out
    if gran == "week":
        iso = d.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    if gran == "weekend":
        iso = d.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}-WE"
    if gran == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if gran == "quarter":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    if gran == "half":
        return f"{d.year:04d}-H{(d.month - 1) // 6 + 1}"
    if gran == "season":
        s = season or SEASON_OF_MONTH[d.month]
        year = d.year - 1 if s == "WI" and d.month == 12 else d.year
        return f"{year:04d}-{s}"
    if gran == "year":
        return f"{d.year:04d}"
    if gran == "decade":
        return f"{d.year // 10:03d}"
    if gran == "century":
        return f"{d.year // 100:02d}"
    return d.isoformat()


def _shift(d: date, unit: str, n: int) -> date:
    if unit in ("day",):
        return d + timedelta(days=n)
    if unit in ("week", "weekend"):
        return d + timedelta(weeks=n)
    if unit == "fortnight":
        return d + timedelta(weeks=2 * n)
    if unit == "month":
        return _add_months(d, n).replace(day=1) if n else d
    if unit == "quarter":
        return _add_months(d, 3 * n) if n else d
    if unit == "half":
        return _add_months(d, 6 * n) if n else d
    if unit == "season":
        return _add_months(d, 3 * n) if n else d
    if unit == "year":
        try:
            return d.replace(year=d.year + n)
        except ValueError:  # 29 February
            return d.replace(year=d.year + n, day=28)
    if unit == "decade":
        return date(d.year + 10 * n, 1, 1) if n else d
    if unit == "century":
        return date(d.year + 100 * n, 1, 1) if n else d
    return d


def _candidate(rel: dict[str, Any], year: int) -> date | None:
    """The first day the partial date ``rel`` denotes in ``year``."""
    try:
        if "holiday" in rel:
            return holiday_date(str(rel["holiday"]), year)
        if rel.get("month"):
            return date(year, int(rel["month"]), int(rel.get("day") or 1))
        if rel.get("quarter"):
            return date(year, 3 * (int(rel["quarter"]) - 1) + 1, 1)
        if rel.get("half"):
            return date(year, 6 * (int(rel["half"]) - 1) + 1, 1)
        if rel.get("season"):
            return date(year, SEASON_MONTH[str(rel["season"])], 1)
    except ValueError:
        return None
    return date(year, 1, 1)


def _period_end(start: date, gran: str) -> date:
    if gran == "day":
        return start
    if gran == "month":
        return _add_months(start, 1) - timedelta(days=1)
    if gran in ("quarter", "season"):
        return _add_months(start, 3) - timedelta(days=1)
    if gran == "half":
        return _add_months(start, 6) - timedelta(days=1)
    return date(start.year, 12, 31)


def _date_gran(rel: dict[str, Any]) -> str:
    if rel.get("day") or rel.get("holiday"):
        return "day"
    if rel.get("month"):
        return "month"
    if rel.get("quarter"):
        return "quarter"
    if rel.get("half"):
        return "half"
    if rel.get("season"):
        return "season"
    if rel.get("decade") is not None:
        return "decade"
    if rel.get("century") is not None:
        return "century"
    return "year"


def _resolve_date(rel: dict[str, Any], dct: date | None) -> tuple[str | None, RefTime | None]:
    gran = _date_gran(rel)
    if gran == "decade":
        return f"{int(rel['decade']):03d}", None
    if gran == "century":
        return f"{int(rel['century']):02d}", None
    year = rel.get("year")
    if year is None and rel.get("year_rel") is not None and dct is not None:
        year = dct.year + int(rel["year_rel"])
    if year is None:
        if dct is None:
            return None, None
        direction = int(rel.get("direction", 0))
        options = [c for y in (dct.year - 1, dct.year, dct.year + 1) if (c := _candidate(rel, y)) is not None]
        if not options:
            return None, None

        def distance(c: date) -> int:
            end = _period_end(c, gran)
            if c <= dct <= end:
                return 0
            return (c - dct).days if c > dct else (dct - end).days

        if rel.get("strict"):
            if direction < 0:
                past = [c for c in options if _period_end(c, gran) < dct.replace(day=1)]
                d = max(past) if past else min(options)
            else:
                fut = [c for c in options if c > dct]
                d = min(fut) if fut else max(options)
        elif gran in ("quarter", "half"):
            # quarters and halves are reported once they are under way or over
            started = [c for c in options if c <= dct]
            d = max(started) if started else min(options)
        else:
            # news looks back more often than ahead: a future date must be twice as close
            ranked = sorted(options, key=lambda c: (distance(c) * (2 if c > dct else 1), c > dct))
            d = ranked[0]
            if direction != 0 and distance(d) > 30:
                side = [c for c in options if (c <= dct if direction < 0 else _period_end(c, gran) >= dct)]
                if side:
                    d = min(side, key=distance)
    else:
        d0 = _candidate(rel, int(year))
        if d0 is None:
            return None, None
        d = d0
    if rel.get("year_shift"):
        d = _shift(d, "year", int(rel["year_shift"]))
    if rel.get("week_of") and gran == "day":
        return format_value(d, "week"), RefTime(day=d, gran="week")
    value = format_value(d, gran, season=rel.get("season"), part=rel.get("part"), time=rel.get("time"))
    return value, RefTime(day=d, gran=gran)


def _resolve_weekend(rel: dict[str, Any], dct: date | None) -> tuple[str | None, RefTime | None]:
    if dct is None:
        return None, None
    direction = int(rel.get("direction", 0))
    n = int(rel.get("n", 0))
    back = dct - timedelta(days=(dct.weekday() - 5) % 7)  # the Saturday on or before
    if dct.weekday() == 6:
        back = dct - timedelta(days=1)
    fwd = back if dct.weekday() >= 5 else back + timedelta(days=7)
    if n:
        # "last weekend": on a weekday the one just past (the Saturday before), on a weekend day the
        # one before it; "next weekend": on a weekday the one to come, on a weekend day the one after
        d = (
            back + timedelta(weeks=n + (0 if dct.weekday() >= 5 else 1))
            if n < 0
            else fwd + timedelta(weeks=n - 1 if dct.weekday() < 5 else n)
        )
    elif direction < 0:
        d = back
    elif direction > 0:
        d = fwd
    else:
        d = back if dct.weekday() <= 2 else fwd
    return format_value(d, "weekend"), RefTime(day=d, gran="weekend")


def _resolve_weekday(
    rel: dict[str, Any], dct: date | None, ref: RefTime | None = None
) -> tuple[str | None, RefTime | None]:
    if dct is None:
        return None, None
    wd = int(rel["weekday"])
    direction = int(rel.get("direction", 0))
    if rel.get("anchor") == "REF" and ref is not None and ref.gran == "day" and direction:
        # "the previous Friday": the one before the day in view (never that day itself)
        step = (ref.day.weekday() - wd) % 7 or 7 if direction < 0 else (wd - ref.day.weekday()) % 7 or 7
        d = ref.day + timedelta(days=step * direction)
        return format_value(d, "day", part=rel.get("part"), time=rel.get("time")), RefTime(day=d, gran="day")
    if rel.get("in_week") and ref is not None and ref.gran == "week":
        # "next week, possibly on Thursday": that day of the week just named
        d = ref.day - timedelta(days=ref.day.weekday()) + timedelta(days=wd)
        return format_value(d, "day", part=rel.get("part"), time=rel.get("time")), RefTime(day=d, gran="day")
    back = dct - timedelta(days=(dct.weekday() - wd) % 7)
    fwd = dct + timedelta(days=(wd - dct.weekday()) % 7)
    if direction < 0:
        d = back
    elif direction > 0:
        d = fwd
    else:
        # no tense to go by: the nearest, leaning to the past, which news reports far more often
        # ("Thursday's closing price" in a Monday paper is the Thursday before)
        d = back if (dct - back).days <= (fwd - dct).days + 1 else fwd
    shift = int(rel.get("week", 0))
    if shift:
        # "last Tuesday"/"next Tuesday" move one week away from the DCT's own week
        d = back if shift < 0 else fwd
        if d == dct:
            d = d + timedelta(weeks=shift)
    if rel.get("after") and direction > 0 and ref is not None and ref.gran == "day" and d <= ref.day:
        # "will meet on Monday and Tuesday" in a Tuesday paper: the Tuesday after the Monday just
        # resolved, not today ("statements made Friday and Thursday" looks back and keeps its order)
        d = ref.day + timedelta(days=(wd - ref.day.weekday()) % 7 or 7)
    return format_value(d, "day", part=rel.get("part"), time=rel.get("time")), RefTime(day=d, gran="day")


def _resolve_shift(
    rel: dict[str, Any], dct: date | None, ref: RefTime | None
) -> tuple[str | None, RefTime | None]:
    anchor = rel.get("anchor", "DCT")
    unit = str(rel["unit"])
    n = int(rel.get("n", 0))
    gran = str(rel.get("gran") or unit)
    if rel.get("follow_ref") and ref is not None and ref.gran in ("quarter", "half"):
        # "a year earlier" after "the third quarter" is the third quarter of the year before
        base, gran = ref.day, ref.gran
    elif rel.get("follow_ref") and rel.get("quarterly") and dct is not None:
        base, gran = _add_months(dct, -3), "quarter"
    elif rel.get("follow_ref") and dct is not None:
        base = dct
    elif (
        anchor == "REF"
        and ref is not None
        and unit in ("day", "week")
        and ref.gran != "day"
        and dct is not None
    ):
        base = dct
    elif anchor == "REF" and ref is not None:
        base = ref.day
    elif dct is not None:
        base = dct
    else:
        return None, None
    if unit == "fortnight":
        unit, n = "week", 2 * n
    d = _shift(base, unit, n)
    if rel.get("quarter"):
        d = date(d.year, 3 * (int(rel["quarter"]) - 1) + 1, 1)
    elif rel.get("half"):
        d = date(d.year, 6 * (int(rel["half"]) - 1) + 1, 1)
    value = format_value(d, gran, season=rel.get("season"), part=rel.get("part"), time=rel.get("time"))
    if gran == "season" and rel.get("season"):
        season = str(rel["season"])
        y = d.year
        # "last fall": the most recent fall before the DCT's current season
        target = date(y, SEASON_MONTH[season], 1)
        if n < 0 and target >= base.replace(day=1):
            y -= 1
        elif n > 0 and target <= base:
            y += 1
        value = f"{y:04d}-{season}"
        d = date(y, SEASON_MONTH[season], 1)
    return value, RefTime(day=d, gran=gran)


def _resolve_same(
    rel: dict[str, Any], dct: date | None, ref: RefTime | None
) -> tuple[str | None, RefTime | None]:
    unit = str(rel["unit"])
    if rel.get("year") is not None:
        # "the 1988 period": the quarter under discussion, in 1988
        year = int(rel["year"])
        if ref is not None and ref.gran == unit:
            d = ref.day.replace(year=year, day=1)
            return format_value(d, unit), None
        return f"{year:04d}", None
    if ref is not None and ref.gran == unit:
        return format_value(ref.day, unit), ref
    if dct is None:
        return None, None
    d = _shift(dct, unit, int(rel.get("n", 0)))
    return format_value(d, unit), RefTime(day=d, gran=unit)


def resolve_relative(
    rel: dict[str, Any], dct: date | None, ref: RefTime | None = None
) -> tuple[str | None, RefTime | None]:
    """The TIMEX3 value of ``rel`` given the DCT and the running reference time.

    Returns the value (``None`` when it needs a DCT that is unknown) and the new
    reference time the expression sets (``None`` when it sets none).
    """
    kind = rel.get("kind")
    value: str | None
    new_ref: RefTime | None
    if kind == "date":
        value, new_ref = _resolve_date(rel, dct)
    elif kind == "weekday":
        value, new_ref = _resolve_weekday(rel, dct, ref)
    elif kind == "shift":
        value, new_ref = _resolve_shift(rel, dct, ref)
    elif kind == "same":
        value, new_ref = _resolve_same(rel, dct, ref)
    elif kind == "weekend":
        value, new_ref = _resolve_weekend(rel, dct)
    else:
        return None, None
    offset = int(rel.get("offset_days", 0))
    if offset and new_ref is not None and new_ref.gran == "day":
        d = new_ref.day + timedelta(days=offset)
        new_ref = RefTime(day=d, gran="day")
        value = format_value(d, "day", part=rel.get("part"), time=rel.get("time"))
    return value, new_ref
