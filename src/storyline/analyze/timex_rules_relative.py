"""Time-expression rules for relative and vague expressions: "last week", seasons, quarters and
halves, "the end of the year", durations and "ago"/"later", sets ("every week"), vague references
("now", "recently") and holidays.

Each rule turns a match into a :class:`~storyline.analyze.timex_lexicon.Candidate` (see
:mod:`.timex_rules` for the cascade that runs them).
"""

from __future__ import annotations

import re
from typing import Any

from storyline.analyze.timex_lexicon import (
    _MONTH_FULL,
    _REFS,
    HOLIDAYS,
    MOD_PREFIX,
    MONTHS,
    NUM,
    ORDINALS,
    POS_MOD,
    PREMOD,
    SEASONS,
    SET_WORDS,
    UNIT,
    WD,
    WEEKDAYS,
    YEAR4,
    Candidate,
    _c,
    _unit_name,
    duration_value,
    number_value,
    rule,
)


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


def _passing(rel: dict[str, Any], passing: bool) -> dict[str, Any]:
    return {**rel, "passing": True} if passing else rel


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
    # "after a flat second quarter": a quarter mentioned in passing, not the one a report is about
    passing = (m["the"] or "").lower() == "a" or bool(
        re.search(r"\b(?:a|an)\s+(?:[a-z]+\s+)?$", text[max(0, m.start() - 20) : m.start()], re.I)
    )
    if m["ya"] and not year and not ry:
        rel0: dict[str, Any] = {"kind": "date", "quarter": q, "anchor": "DCT", "year_shift": -1}
        return Candidate(
            start=start, end=m.end(), type="DATE", gran="quarter", rel=_passing(rel0, passing), rule="quarter"
        )
    if year:
        rel: dict[str, Any] = {"kind": "date", "year": int(year), "quarter": q, "anchor": "ABS"}
        return Candidate(
            start=start, end=m.end(), type="DATE", gran="quarter", rel=_passing(rel, passing), rule="quarter"
        )
    if ry:
        n = {"this": 0, "current": 0, "last": -1, "previous": -1, "next": 1}[ry]
        rel = {"kind": "shift", "unit": "year", "n": n, "anchor": "DCT", "gran": "quarter", "quarter": q}
        return Candidate(
            start=start, end=m.end(), type="DATE", gran="quarter", rel=_passing(rel, passing), rule="quarter"
        )
    rel = {"kind": "date", "quarter": q, "anchor": "DCT"}
    return Candidate(
        start=start, end=m.end(), type="DATE", gran="quarter", rel=_passing(rel, passing), rule="quarter"
    )


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
      r"(?P<unit>week|month|year|decade|century|quarter|day)\b")  # fmt: skip
def _within(m: re.Match[str], text: str) -> Candidate | None:
    w = m["w"].lower()
    relw = (m["rel"] or "this").lower()
    n = {"this": 0, "last": -1, "next": 1, "that": 0}[relw]
    anchor = "REF" if relw == "that" else "DCT"
    if m["unit"].lower() == "day":
        if relw != "that":
            return None  # "later in the day" is TimeML's "the day" at most
        anchor = "REF"  # "earlier that day": the day in view
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
    after = text[m.end() : m.end() + 24]
    if unit == "quarter" and re.match(r"\s+of\b", after) and not m["det"] and not m["adj"]:
        return None  # "three-quarters of its food", "more than a quarter of the market"
    if unit in ("quarter", "half") and re.match(r"[\s-]+(?:percentage[\s-]+)?points?\b", after):
        return None  # "raised rates by a quarter point", "a half-percentage-point cut": a size, not a time
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


@rule("year_period", r"\bthe\s+(?P<y>" + YEAR4 + r")\s+(?:fiscal\s+)?(?P<u>period|quarter)\b")
def _year_period(m: re.Match[str], text: str) -> Candidate | None:
    rel: dict[str, Any] = {"kind": "same", "unit": "quarter", "year": int(m["y"]), "anchor": "REF"}
    if m["u"].lower() == "period":
        rel["period"] = True  # a quarter only when one is under discussion
    return _c(m, type="DATE", gran="quarter", rel=rel, rule="year_period")


@rule("year_earlier", r"\b(?:(?P<the>the)\s+)?(?:comparable\s+|corresponding\s+)?(?P<w>year-earlier|year-ago|"
      r"prior-year|year-before|latest|comparable|corresponding)(?:\s+(?P<u>period|quarter|nine\s+months|"
      r"six\s+months|half)(?P<ly>\s+(?:last\s+year|a\s+year\s+(?:ago|earlier)))?)?\b")  # fmt: skip
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
    if u in ("period", "quarter"):
        rel["period"] = True  # "the corresponding period (last year)": the reported quarter, a year before
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
