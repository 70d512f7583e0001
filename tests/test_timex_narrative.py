"""Years shared across ranges, histories (narrative mode), and the issue's tense cases, pinned exactly."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.analyze.nlp import get_nlp
from storyline.analyze.timex import TimeExpr, find_timexes

WED = date(2025, 12, 3)  # a Wednesday
HISTORY_DCT = date(2009, 12, 19)  # WikiWars' download date: no help for a history


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return get_nlp()


def _spans(found: list[TimeExpr]) -> list[tuple[int, int, str, str, str | None]]:
    return [(e.start, e.end, e.text, e.type, e.value) for e in found]


# ---------------------------------------------------------------- the cases of the issue, exact spans
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Russian officials held talks in the Kremlin on Tuesday.",
            [(47, 54, "Tuesday", "DATE", "2025-12-02")],
        ),
        (
            "Ukraine's negotiators are due to meet Umerov in Miami on Thursday.",
            [(57, 65, "Thursday", "DATE", "2025-12-04")],
        ),
        # a modal looks ahead, and "may" is not May
        ("Trump may call Putin on Monday.", [(24, 30, "Monday", "DATE", "2025-12-08")]),
        ("The envoys may meet in May.", [(23, 26, "May", "DATE", "2026-05")]),
        # the em dash glued to the next word
        (
            "Prices rose last month\u2014widely seen as a sign of trouble.",
            [(12, 22, "last month", "DATE", "2025-11")],
        ),
        # bare years, as dates and not as counts
        (
            "The war began in 2022 and by 2024 had killed thousands.",
            [(17, 21, "2022", "DATE", "2022"), (29, 33, "2024", "DATE", "2024")],
        ),
        ("The army sent 2000 troops.", []),
        # anaphoric: from the date just mentioned, not from the article's date
        (
            "Putin met Witkoff on Tuesday. A day earlier, the envoys had landed in Moscow.",
            [(21, 28, "Tuesday", "DATE", "2025-12-02"), (30, 43, "A day earlier", "DATE", "2025-12-01")],
        ),
        # the news present of a scheduled event looks ahead
        (
            "Arafat and Netanyahu meet separately Monday with the envoy.",
            [(37, 43, "Monday", "DATE", "2025-12-08")],
        ),
    ],
)
def test_issue_cases_exact(nlp, text: str, expected: list[tuple[int, int, str, str, str]]) -> None:  # type: ignore[no-untyped-def]
    assert _spans(find_timexes(text, dct=WED, nlp_doc=nlp(text))) == expected


def test_granularity_and_modifiers(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Talks stalled early last week, and again in mid-November, "
        "late in the third quarter of 2025 and earlier this year."
    )
    found = find_timexes(text, dct=WED, nlp_doc=nlp(text))
    assert [(e.text, e.value, e.mod, e.granularity) for e in found] == [
        ("early last week", "2025-W48", "START", "week"),
        ("mid-November", "2025-11", "MID", "month"),
        ("the third quarter of 2025", "2025-Q3", None, "quarter"),
        ("earlier this year", "2025", "START", "year"),
    ]


# ---------------------------------------------------------------- ranges share their year
@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("German casualties between March and April 1918 were heavy.", ["1918-03", "1918-04"]),
        ("The truce held from November 15 to February 15, 2025.", ["2024-11-15", "2025-02-15"]),
        ("Prices rose in the spring and early summer of 2024.", ["2024-SP", "2024-SU"]),
        ("The battle (26 June - 4 August 1952) was long.", ["1952-06-26", "1952-08-04"]),
        ("In August/September 1956, the leaders met.", ["1956-08", "1956-09"]),
    ],
)
def test_a_partial_date_joined_to_a_dated_one_takes_its_year(nlp, text: str, values: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert [e.value for e in find_timexes(text, dct=WED, nlp_doc=nlp(text))] == values


def test_a_partial_date_not_joined_keeps_the_article_year(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Talks resumed in March. Elections were held in April 1998."
    assert [e.value for e in find_timexes(text, dct=WED, nlp_doc=nlp(text))] == ["2025-03", "1998-04"]


# ---------------------------------------------------------------- histories
def _story(nlp, text: str) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    return [(e.text, e.value) for e in find_timexes(text, dct=HISTORY_DCT, nlp_doc=nlp(text), narrative=True)]


def test_a_history_moves_into_the_next_year(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Japan attacked on December 7, 1941. In January, the Allies signed a declaration. "
        "In November, they met."
    )
    assert _story(nlp, text) == [
        ("December 7, 1941", "1941-12-07"),
        ("January", "1942-01"),
        ("November", "1941-11"),
    ]


def test_a_year_far_from_the_story_does_not_move_it(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The war began in 1919. Fighting went on in 1920. In 1920 the army advanced. "
        "Peace talks began in 1921. Like Napoleon in 1812, the army retreated. "
        "On 21 September, the Soviets made an offer."
    )
    found = dict(_story(nlp, text))
    assert found["1812"] == "1812"
    assert found["21 September"] == "1921-09-21"


def test_a_day_later_in_a_history_counts_from_the_story(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The siege began on 3 March 1915. Four days later, the town fell."
    assert _story(nlp, text) == [("3 March 1915", "1915-03-03"), ("Four days later", "1915-03-07")]
