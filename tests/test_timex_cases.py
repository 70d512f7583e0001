"""Time expressions: cases found by error analysis on TimeML news (quarterly reports, tense, titles,
parts of the day, anchors on the day in view), pinned with exact spans and values."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.analyze.nlp import get_nlp
from storyline.analyze.timex import TimeExpr, find_timexes

NOV2 = date(1989, 11, 2)  # a Thursday
OCT27 = date(1989, 10, 27)  # a Friday
OCT30 = date(1989, 10, 30)  # a Monday


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return get_nlp()


def _find(nlp, text: str, dct: date | None) -> list[TimeExpr]:  # type: ignore[no-untyped-def]
    return find_timexes(text, dct=dct, nlp_doc=nlp(text))


def _values(nlp, text: str, dct: date) -> list[tuple[str, str, str | None]]:  # type: ignore[no-untyped-def]
    return [(e.text, e.type, e.value) for e in _find(nlp, text, dct)]


# ---------------------------------------------------------------- the quarter a report is about
def test_latest_quarter_and_a_year_ago_are_the_reported_quarter(nlp) -> None:  # type: ignore[no-untyped-def]
    # a quarter still to come ("a fourth-quarter charge") does not change what the report is about
    text = (
        "Acme Corp.'s third-quarter net income rose 11%. Acme expects a fourth-quarter charge. "
        "Earnings fell 5% in the latest quarter, compared with $6 million a year ago."
    )
    assert _values(nlp, text, NOV2) == [
        ("third-quarter", "DATE", "1989-Q3"),
        ("fourth-quarter", "DATE", "1989-Q4"),
        ("the latest quarter", "DATE", "1989-Q3"),
        ("a year ago", "DATE", "1988-Q3"),
    ]


def test_a_quarter_mentioned_in_passing_is_not_the_topic(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Kimberly-Clark posted a 20% gain in third-quarter net income. After a flat second quarter, "
        "results improved. Charges were taken in the year-earlier period. In the 1989 period, taxes were "
        "lower than a year ago."
    )
    assert _values(nlp, text, NOV2) == [
        ("third-quarter", "DATE", "1989-Q3"),
        ("second quarter", "DATE", "1989-Q2"),
        ("the year-earlier period", "DATE", "1988-Q3"),
        ("the 1989 period", "DATE", "1989-Q3"),
        ("a year ago", "DATE", "1988-Q3"),
    ]


def test_an_old_quarter_is_no_topic_and_a_period_after_nine_months_is_a_year(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The utility stopped paying a dividend in the third quarter of 1984. It reported third-quarter "
        "net of $68 million, up from $66 million a year ago."
    )
    assert _values(nlp, text, OCT27)[-1] == ("a year ago", "DATE", "1988-Q3")
    text = "In the first nine months, net was $306 million, compared with a loss in the 1988 period."
    assert _values(nlp, text, NOV2)[-1] == ("the 1988 period", "DATE", "1988")


def test_corresponding_period_last_year_is_one_expression(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The publisher reported a net loss for the third quarter ended Sept. 30. These results compare "
        "with net income of $1.8 million for the corresponding period last year."
    )
    assert _values(nlp, text, date(1989, 11, 1)) == [
        ("the third quarter", "DATE", "1989-Q3"),
        ("Sept. 30", "DATE", "1989-09-30"),
        ("the corresponding period last year", "DATE", "1988-Q3"),
    ]


def test_fiscal_quarter_named_first_is_the_quarter(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Sun reported a loss for the fiscal first quarter. Sun shipped 28,000 systems in the quarter."
    assert _values(nlp, text, date(1989, 10, 26)) == [
        ("the fiscal first quarter", "DATE", "1989-Q1"),
        ("the quarter", "DATE", "1989-Q1"),
    ]


# ---------------------------------------------------------------- tense
@pytest.mark.parametrize(
    ("text", "dct", "phrase", "value"),
    [
        # a VBP with a singular noun subject is a past form ("hurt", "cut", "set")
        ("Weakness in technology stocks hurt the index on Friday.", OCT30, "Friday", "1989-10-27"),
        # … and so with a pronoun, inside a clause of a forecast
        ("The bank expects inflation to reach its target in 2025, later than it forecast in May.",
         date(2023, 8, 3), "May", "2023-05"),
        # a plan told in the past is no future cue
        ("The offer had been scheduled to expire at midnight Friday.", OCT30, "midnight Friday",
         "1989-10-27T24:00"),
        # a possible future ("could") does not reach a date hanging on a noun
        ("Clinton glossed over stern warnings from Moscow on Thursday that air strikes could do harm.",
         date(1998, 2, 13), "Thursday", "1998-02-12"),
        ("The bank is continuing to try to sell itself under a June agreement.", OCT27, "June", "1989-06"),
        # a past plan: the planned day is the nearest one
        ("Protesters planned a large demonstration on Saturday.", date(2000, 1, 7), "Saturday",
         "2000-01-08"),
        ("On Friday, the government planned to pay the first claims.", date(1998, 9, 30), "Friday",
         "1998-09-25"),
        # a time limit still to come
        ("The agency has given the relatives until 9 a.m. Tuesday to sign.", date(2000, 4, 3),
         "9 a.m. Tuesday", "2000-04-04T09:00"),
        ("Officials postponed until Tuesday any action on the case.", date(2000, 3, 30), "Tuesday",
         "2000-04-04"),
        # a deadline told in the past of the report is still to come
        ("Trump said on Friday that Kyiv had until Thursday to accept the plan.", date(2025, 11, 22),
         "Thursday", "2025-11-27"),
        ("Trump gave Kyiv until Thursday to respond.", date(2025, 11, 22), "Thursday", "2025-11-27"),
        ("The ceasefire lasted until Thursday.", date(2025, 11, 22), "Thursday", "2025-11-20"),
        # a deadline set or faced is still to come; one met or missed is not
        ("It set a deadline of Oct. 21 for its decision.", date(2026, 6, 3), "Oct. 21", "2026-10-21"),
        ("Kyiv faces a Thursday deadline to respond.", date(2026, 6, 3), "Thursday", "2026-06-04"),
        ("The union missed the deadline of Oct. 21.", date(2026, 6, 3), "Oct. 21", "2025-10-21"),
        ("Shareholders tendered 99% of the shares by the Tuesday deadline.", date(1989, 11, 2), "Tuesday",
         "1989-10-31"),
        # a condition's deadline in reported speech, and the future of a reported statement
        ("Stam said the union would extend the strike if no new offer was made by Thursday.",
         date(2026, 2, 11), "Thursday", "2026-02-12"),
        ("He said the report would be published on Oct. 21.", date(2026, 6, 3), "Oct. 21", "2026-10-21"),
        ("The talks had ended by Thursday.", date(2026, 6, 3), "Thursday", "2026-05-28"),
    ],
)  # fmt: skip
def test_tense_cases(nlp, text: str, dct: date, phrase: str, value: str) -> None:  # type: ignore[no-untyped-def]
    found = {e.text: e.value for e in _find(nlp, text, dct)}
    assert found.get(phrase) == value, found


# ---------------------------------------------------------------- titles are not times
@pytest.mark.parametrize(
    "text",
    [
        'James Baker, speaking on ABC News\' "This Week," said the request was legal.',
        "He compared the vote to the film ``High Noon.'' Nobody laughed.",
        "Gonzalez said on CBS's ''60 Minutes.'' The boy was silent.",
        'Baker said on "This Week With David Brinkley" that talks failed.',
    ],
)
def test_quoted_titles_hold_no_time(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _find(nlp, text, OCT27) == []


def test_a_quoted_time_is_still_a_time(nlp) -> None:  # type: ignore[no-untyped-def]
    # a season in a name is still a season
    text = 'The third offensive (the "Chinese Winter Offensive") began in 1950.'
    assert _values(nlp, text, OCT27) == [("Winter", "DATE", "1990-WI"), ("1950", "DATE", "1950")]
    assert _values(nlp, 'Traders recalled "Black Monday" with dread.', OCT27) == [
        ("Monday", "DATE", "1989-10-23")
    ]
    assert _values(nlp, 'He promised a deal "by Friday," aides said.', OCT27) == [
        ("Friday", "DATE", "1989-10-27")
    ]


# ---------------------------------------------------------------- parts of the day, the day in view
def test_parts_of_the_day(nlp) -> None:  # type: ignore[no-untyped-def]
    assert _values(nlp, "In London at mid-afternoon yesterday, shares rose.", NOV2) == [
        ("mid-afternoon yesterday", "TIME", "1989-11-01TAF")
    ]
    assert _values(nlp, "By mid afternoon, the operation was over.", NOV2) == [
        ("mid afternoon", "TIME", "1989-11-02TAF")
    ]
    assert _values(nlp, "In the early morning hours of 30 April, the last helicopters left.", NOV2) == [
        ("early morning hours of 30 April", "TIME", "1989-04-30TMO")
    ]
    text = "The hearing was on Oct. 12. He appeared in court the next morning."
    assert _values(nlp, text, NOV2) == [
        ("Oct. 12", "DATE", "1989-10-12"),
        ("the next morning", "TIME", "1989-10-13TMO"),
    ]


def test_a_quarter_point_is_a_size_not_a_time(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The bank raised rates by a quarter point on Thursday and by a half-percentage point in May."
    assert _values(nlp, text, date(2023, 8, 3)) == [
        ("Thursday", "DATE", "2023-08-03"),
        ("May", "DATE", "2023-05"),
    ]


def test_previous_weekday_counts_from_the_day_in_view(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Shares closed Friday at 2082.1, down 4.5% from the previous Friday."
    assert _values(nlp, text, OCT30) == [
        ("Friday", "DATE", "1989-10-27"),
        ("the previous Friday", "DATE", "1989-10-20"),
    ]
    text = "He arrived on Oct. 12. The following Monday he left."
    assert _values(nlp, text, OCT30)[-1] == ("The following Monday", "DATE", "1989-10-16")


def test_earlier_that_day_and_later_in_the_day(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Slepian was killed on Oct. 23, 1998. Earlier that day, the family sent a fax."
    found = _find(nlp, text, OCT30)
    assert [(e.text, e.value, e.mod) for e in found] == [
        ("Oct. 23, 1998", "1998-10-23", None),
        ("Earlier that day", "1998-10-23", "START"),
    ]
    # "later in the day" names no day of its own
    assert _find(nlp, "The president arrived in Philadelphia later in the day.", OCT30) == []


# ---------------------------------------------------------------- joined pieces, vague stretches
def test_season_of_a_spelled_year_and_the_week_of_a_date(nlp) -> None:  # type: ignore[no-untyped-def]
    assert _values(nlp, "Oil fell to the level we saw in the winter of nineteen ninety-four.", OCT30) == [
        ("the winter of nineteen ninety-four", "DATE", "1994-WI")
    ]
    assert _values(
        nlp, "It may be resolved at a hearing the week of March 6, he said.", date(2000, 2, 24)
    ) == [("the week of March 6", "DATE", "2000-W10")]


def test_a_clock_time_falls_on_a_day_its_tense_allows(nlp) -> None:  # type: ignore[no-untyped-def]
    thu = date(2025, 8, 14)
    text = (
        "Donald Trump will meet Vladimir Putin in Anchorage on Friday. Zelenskiy spoke in a video "
        "address late on Tuesday. Kremlin aide Yuri Ushakov said the talks would begin at 11:30 a.m. "
        "local time."
    )
    values = {t: v for t, _, v in _values(nlp, text, thu)}
    # after a paragraph about Tuesday, a time still to come is on the last day ahead named: Friday
    assert values["11:30 a.m."] == "2025-08-15T11:30"
    text = "The summit will open on Friday. The first session began at 9 a.m., officials said."
    assert {t: v for t, _, v in _values(nlp, text, thu)}["9 a.m."] == "2025-08-14T09:00"
