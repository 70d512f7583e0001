"""Time expressions: recognition, tense-aware normalization, unknown DCT and late resolution."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.analyze.nlp import get_nlp
from storyline.analyze.timex import TimeExpr, find_timexes, resolve, resolve_all
from storyline.analyze.timex_resolve import easter, resolve_relative
from storyline.analyze.timex_rules import duration_value, number_value, recognize

WED = date(2025, 12, 3)  # a Wednesday
MON = date(2025, 5, 19)  # a Monday
SUN = date(2025, 5, 18)


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return get_nlp()


def _find(nlp, text: str, dct: date | None) -> list[TimeExpr]:  # type: ignore[no-untyped-def]
    return find_timexes(text, dct=dct, nlp_doc=nlp(text))


def _one(nlp, text: str, dct: date | None, phrase: str) -> TimeExpr:  # type: ignore[no-untyped-def]
    found = [e for e in _find(nlp, text, dct) if e.text == phrase]
    assert found, f"{phrase!r} not found in {[e.text for e in _find(nlp, text, dct)]}"
    return found[0]


# ---------------------------------------------------------------- the cases of the issue
@pytest.mark.parametrize(
    ("text", "dct", "phrase", "typ", "value", "mod"),
    [
        (
            "Russian officials held talks in the Kremlin on Tuesday.",
            WED,
            "Tuesday",
            "DATE",
            "2025-12-02",
            None,
        ),
        (
            "Ukraine's negotiators are due to meet Umerov in Miami on Thursday.",
            WED,
            "Thursday",
            "DATE",
            "2025-12-04",
            None,
        ),
        (
            "Putin insisted on Wednesday that the war would go on.",
            WED,
            "Wednesday",
            "DATE",
            "2025-12-03",
            None,
        ),
        ("Prices rose sharply last month.", WED, "last month", "DATE", "2025-11", None),
        ("Earlier this week, troops advanced.", WED, "Earlier this week", "DATE", "2025-W49", "START"),
        ("Russia invaded Ukraine in 2022.", WED, "2022", "DATE", "2022", None),
        ("Drones struck Kyiv overnight, officials said.", WED, "overnight", "TIME", "2025-12-02TNI", None),
        # the night before the day named
        (
            "Drones struck Kyiv overnight into Sunday.",
            WED,
            "overnight into Sunday",
            "TIME",
            "2025-11-29TNI",
            None,
        ),
        ("Trump spoke ahead of a phone call Monday with Putin.", MON, "Monday", "DATE", "2025-05-19", None),
        (
            "Rubio said at a conference in Tallinn, Estonia, Sunday.",
            MON,
            "Sunday",
            "DATE",
            "2025-05-18",
            None,
        ),
        (
            "A deal could be reached by the end of the year.",
            MON,
            "the end of the year",
            "DATE",
            "2025",
            "END",
        ),
        ("The leaders will meet on May 19 in Rome.", SUN, "May 19", "DATE", "2025-05-19", None),
        ("The leaders met on May 18 in Rome.", SUN, "May 18", "DATE", "2025-05-18", None),
        ("The war began in February 2022.", WED, "February 2022", "DATE", "2022-02", None),
        ("He was born on 16 July 2018 in Kyiv.", WED, "16 July 2018", "DATE", "2018-07-16", None),
        ("Prices doubled in the past three months.", WED, "the past three months", "DURATION", "P3M", None),
        ("The talks lasted five hours.", WED, "five hours", "DURATION", "PT5H", None),
        ("Troops will withdraw next week.", WED, "next week", "DATE", "2025-W50", None),
        ("Talks continue this week in Geneva.", WED, "this week", "DATE", "2025-W49", None),
        ("The envoy recently visited Moscow.", WED, "recently", "DATE", "PAST_REF", None),
        ("He is now in Kyiv.", WED, "now", "DATE", "PRESENT_REF", None),
        ("Kyiv is currently without power.", WED, "currently", "DATE", "PRESENT_REF", None),
        ("The ministers met yesterday.", WED, "yesterday", "DATE", "2025-12-02", None),
        ("The ministers will meet tomorrow.", WED, "tomorrow", "DATE", "2025-12-04", None),
        ("Output fell in the third quarter.", WED, "the third quarter", "DATE", "2025-Q3", None),
        ("The offensive could come this summer.", MON, "this summer", "DATE", "2025-SU", None),
        ("Shops will close on Christmas.", WED, "Christmas", "DATE", "2025-12-25", None),
        ("Inflation was high in the 1990s.", WED, "the 1990s", "DATE", "199", None),
        ("Inspectors visit every week.", WED, "every week", "SET", "P1W", None),
        ("It has been more than two weeks.", WED, "more than two weeks", "DURATION", "P2W", "MORE_THAN"),
        ("The plant was shut two years ago.", WED, "two years ago", "DATE", "2023", None),
        ("The deal was signed last year.", WED, "last year", "DATE", "2024", None),
        ("Elections are planned for next year.", WED, "next year", "DATE", "2026", None),
        (
            "Fighting resumed at 5 p.m. on Tuesday.",
            WED,
            "5 p.m. on Tuesday",
            "TIME",
            "2025-12-02T17:00",
            None,
        ),
        ("He arrived late last month.", WED, "late last month", "DATE", "2025-11", "END"),
        ("Sales were weak in early 2024.", WED, "early 2024", "DATE", "2024", "START"),
        ("The vote is set for Jan. 12.", WED, "Jan. 12", "DATE", "2026-01-12", None),
        ("The vote was held on Nov. 28.", WED, "Nov. 28", "DATE", "2025-11-28", None),
        ("The summit took place in March.", WED, "March", "DATE", "2025-03", None),
        ("The ceasefire held for a week and a half.", WED, "a week and a half", "DURATION", "P1.5W", None),
        ("Trump may call Putin on Monday.", WED, "Monday", "DATE", "2025-12-08", None),
        ("The strikes happened three weeks ago.", WED, "three weeks ago", "DATE", "2025-W46", None),
        ("Prices rise 5% a year.", WED, "a year", "SET", "P1Y", None),
        ("Talks resumed on the eve of Christmas.", WED, "the eve of Christmas", "DATE", "2025-12-24", None),
    ],
)
def test_cases(nlp, text, dct, phrase, typ, value, mod) -> None:  # type: ignore[no-untyped-def]
    e = _one(nlp, text, dct, phrase)
    assert (e.type, e.value, e.mod) == (typ, value, mod)
    assert text[e.start : e.end] == e.text


def test_narrative_mode_takes_years_from_the_text(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The war began in 1941. In July, the armies met. On April 25, they linked up."
    news = {e.text: e.value for e in _find(nlp, text, WED)}
    story = {e.text: e.value for e in find_timexes(text, dct=WED, nlp_doc=nlp(text), narrative=True)}
    assert story["July"] == "1941-07" and story["April 25"] == "1941-04-25"
    assert str(news["July"]).startswith("2025") and news["1941"] == "1941"


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Fighting raged in 1861-1863 across the region.", ["1861", "1863"]),
        ("The siege (1915-16) failed.", ["1915", "1916"]),
        ("Persia invaded Greece in 490 BC.", ["BC0490"]),
        ("Voters go to the polls on Election Day.", ["2025-11-04"]),
        ("In 1940, the navy moved. In August of that year, it struck.", ["1940", "1940-08"]),
        ("He fought in mid-1996 and again in the nineties.", ["1996", "199"]),
    ],
)
def test_more_forms(nlp, text: str, values: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert [e.value for e in _find(nlp, text, WED)] == values


def test_a_day_earlier_counts_from_the_date_just_mentioned(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Putin spoke on Monday. A day earlier, the envoys had arrived in Moscow."
    e = _one(nlp, text, WED, "A day earlier")
    assert e.value == "2025-11-30" and e.anchor == "REF"
    text = "Putin insisted on Wednesday that talks go on. A day earlier, the envoys arrived."
    assert _one(nlp, text, WED, "A day earlier").value == "2025-12-02"


def test_year_from_dct_across_the_year_boundary(nlp) -> None:  # type: ignore[no-untyped-def]
    assert _one(nlp, "Talks were held on Dec. 30.", date(2026, 1, 2), "Dec. 30").value == "2025-12-30"
    assert _one(nlp, "Talks will resume on Jan. 5.", date(2025, 12, 29), "Jan. 5").value == "2026-01-05"


# ---------------------------------------------------------------- vague references and reporting periods
@pytest.mark.parametrize(
    ("text", "phrase", "typ", "value"),
    [
        ("The company will soon begin selling boxes for 99 cents.", "soon", "DATE", "FUTURE_REF"),
        ("Prosecutors may soon seek an indictment.", "soon", "DATE", "FUTURE_REF"),
        ("Kidnappings have risen in recent years.", "recent years", "DURATION", "PXY"),
        ("Lenders have extended credit in recent months.", "recent months", "DURATION", "PXM"),
        ("The Fed may cut rates in the coming weeks.", "the coming weeks", "DURATION", "PXW"),
        ("It owes its growth to the boom of recent years.", "recent years", "DATE", "PAST_REF"),
        ("For the year, pet food volume was flat.", "the year", "DATE", "2025"),
        ("The stock rose to a high for the year of $42 in June.", "the year", "DATE", "2025"),
        ("Sales for the year ended June 30 rose 5%.", "the year", "DURATION", "P1Y"),
        ("Officials now say the plan failed.", "now", "DATE", "PRESENT_REF"),
        ("The group currently holds 45% of the shares.", "currently", "DATE", "PRESENT_REF"),
    ],
)
def test_vague_references(nlp, text, phrase, typ, value) -> None:  # type: ignore[no-untyped-def]
    e = _one(nlp, text, WED, phrase)
    assert (e.type, e.value) == (typ, value)


@pytest.mark.parametrize(
    "text",
    [
        "The trickle of cash soon became a flood.",
        "He was soon released from the hospital.",
        "They will leave as soon as possible.",
        "He resigned soon after the vote.",
        "Now, he says, the plan looks doomed.",
        '"Now, we see that edge eroded," he said.',
        "Stephen Akerfeldt, currently vice president finance, will succeed him.",
    ],
)
def test_vague_references_that_are_not_timexes(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert [e.text for e in _find(nlp, text, WED) if e.text.lower() in ("soon", "now", "currently")] == []


@pytest.mark.parametrize(
    ("text", "dct", "values"),
    [
        ("The NATO summit will be held on April 24 and 25.", date(1999, 2, 10), ["1999-04-24", "1999-04-25"]),
        ("Talks were held on June 3 and 4 in Bonn.", date(1999, 2, 10), ["1998-06-03", "1998-06-04"]),
        ("Talks were held on June 3 and 4, 1999 in Bonn.", date(2001, 2, 10), ["1999-06-03", "1999-06-04"]),
        ("On May 5 and 6 people died.", date(1999, 2, 10), ["1998-05-05"]),
        # a range of days: the second (or, before the month, the first) takes the month and year
        ("A video call is planned for Dec. 4-5 in Paris.", date(2025, 11, 25), ["2025-12-04", "2025-12-05"]),
        ("The summit ran from March 3 to 5.", date(2025, 11, 25), ["2025-03-03", "2025-03-05"]),
        ("The summit was held on 10-12 June 2024.", date(2025, 11, 25), ["2024-06-10", "2024-06-12"]),
        ("Ministers will meet on 24 and 25 April.", date(2026, 2, 10), ["2026-04-24", "2026-04-25"]),
        ("The vote was March 3-1 in the end.", date(2025, 11, 25), ["2025-03-03"]),
    ],
)
def test_coordinated_days_share_the_month(nlp, text: str, dct: date, values: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert [e.value for e in _find(nlp, text, dct)] == values


@pytest.mark.parametrize(
    ("text", "values"),
    [
        # a Tuesday article: the Tuesday joined to the coming Monday is the day after it, not today
        ("European leaders will meet on Monday and Tuesday.", ["2025-12-01", "2025-12-02"]),
        ("The talks will run from Monday to Wednesday.", ["2025-12-01", "2025-12-03"]),
        ("They met on Sunday and Monday.", ["2025-11-23", "2025-11-24"]),
        ("They will meet on Tuesday.", ["2025-11-25"]),
        ("Following are statements made Tuesday and Monday by the minister.", ["2025-11-25", "2025-11-24"]),
        # a day of the week just named
        ("He will travel to Washington next week, possibly on Thursday.", ["2025-W49", "2025-12-04"]),
        ("Talks are planned for next week, on Tuesday.", ["2025-W49", "2025-12-02"]),
        ("He met Rubio last week, on Friday.", ["2025-W47", "2025-11-21"]),
    ],
)
def test_the_second_of_two_joined_weekdays_follows_the_first(nlp, text: str, values: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert [e.value for e in _find(nlp, text, date(2025, 11, 25))] == values


# ---------------------------------------------------------------- pitfalls
@pytest.mark.parametrize(
    "text",
    [
        "Trump may try to call Putin.",
        "Protesters march through the city.",
        "Officials counted 1,415 dead.",
        "He spent 1,415 days in jail.",
        "The war entered its fourth year.",
        "On the eve of the summit, he spoke.",
        "The army sent 2000 troops.",
        "The company may announce results.",
    ],
)
def test_no_timex(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert [e.text for e in _find(nlp, text, WED)] == []


def test_em_dash_glued(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Talks collapsed last month\u2014widely seen as a failure."
    e = _one(nlp, text, WED, "last month")
    assert e.value == "2025-11"
    assert text[e.end] == "\u2014"


def test_modal_may_and_month_may(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Trump may try again in May."
    found = _find(nlp, text, WED)
    assert [e.text for e in found] == ["May"]
    assert found[0].start == text.index("May.")


# ---------------------------------------------------------------- unknown DCT, late resolution
def test_unknown_dct_keeps_relative_forms_then_resolve_all(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Talks were held in the Kremlin on Tuesday. Negotiators are due to meet in Miami on Thursday. "
        "Prices rose last month. The war began in 2022. They met on May 18."
    )
    found = _find(nlp, text, None)
    by_text = {e.text: e for e in found}
    assert by_text["Tuesday"].value is None
    assert by_text["Tuesday"].relative == {"kind": "weekday", "weekday": 1, "anchor": "DCT", "direction": -1}
    assert by_text["Thursday"].relative is not None and by_text["Thursday"].relative["direction"] == 1
    assert by_text["last month"].relative == {"kind": "shift", "unit": "month", "n": -1, "anchor": "DCT"}
    assert by_text["May 18"].relative is not None and by_text["May 18"].relative["month"] == 5
    assert by_text["2022"].value == "2022"  # absolute: no DCT needed
    resolved = {e.text: e.value for e in resolve_all(found, WED)}
    assert resolved["Tuesday"] == "2025-12-02"
    assert resolved["Thursday"] == "2025-12-04"
    assert resolved["last month"] == "2025-11"
    assert resolved["May 18"] == "2025-05-18"
    # the same as resolving with the DCT at once
    direct = {e.text: e.value for e in _find(nlp, text, WED)}
    assert resolved == direct
    assert resolve(by_text["Tuesday"], datetime(2025, 12, 3, 9, 30)) == "2025-12-02"


def test_accepts_a_doc_and_a_datetime(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("The ministers met yesterday and will meet again next Tuesday.")
    found = find_timexes(doc, dct=datetime(2025, 12, 3, 18, 0))
    assert [(e.text, e.value) for e in found] == [("yesterday", "2025-12-02"), ("next Tuesday", "2025-12-09")]
    for e in found:
        assert doc.text[e.start : e.end] == e.text


def test_resolve_all_is_pure(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _find(nlp, "He left on Friday and returned a day later.", None)
    a = resolve_all(found, WED)
    b = resolve_all(found, WED)
    assert a == b
    assert all(e.value is None for e in found if e.relative is not None and e.anchor != "ABS")
    assert {e.text: e.value for e in a}["a day later"] == "2025-11-29"


# ---------------------------------------------------------------- pieces
@pytest.mark.parametrize(
    ("text", "value"),
    [("three", 3), ("twenty-four", 24), ("5 1/2", 5.5), ("a", 1), ("several", None), ("12", 12)],
)
def test_number_value(text: str, value: float | None) -> None:
    assert number_value(text) == value


@pytest.mark.parametrize(
    ("n", "unit", "value"),
    [
        (3, "months", "P3M"),
        (5, "hour", "PT5H"),
        (None, "years", "PXY"),
        (2, "decade", "P20Y"),
        (2.5, "years", "P2Y6M"),
        (1.5, "minute", "PT1M30S"),
    ],  # fmt: skip
)
def test_duration_value(n: float | None, unit: str, value: str) -> None:
    assert duration_value(n, unit) == value


@pytest.mark.parametrize(
    ("rel", "dct", "value"),
    [
        ({"kind": "weekday", "weekday": 6, "direction": -1}, MON, "2025-05-18"),
        ({"kind": "weekday", "weekday": 0, "direction": 1}, MON, "2025-05-19"),
        ({"kind": "weekday", "weekday": 4, "direction": 0}, WED, "2025-12-05"),
        # no tense: one day nearer ahead still leans to the past ("Thursday's close" in a Monday paper)
        ({"kind": "weekday", "weekday": 3, "direction": 0}, MON, "2025-05-15"),
        ({"kind": "weekday", "weekday": 2, "direction": 0}, MON, "2025-05-21"),
        ({"kind": "shift", "unit": "day", "n": -1, "anchor": "DCT"}, WED, "2025-12-02"),
        ({"kind": "shift", "unit": "week", "n": 0, "anchor": "DCT"}, WED, "2025-W49"),
        ({"kind": "shift", "unit": "quarter", "n": -1, "anchor": "DCT"}, WED, "2025-Q3"),
        ({"kind": "date", "month": 12, "day": 25, "direction": 0}, WED, "2025-12-25"),
        ({"kind": "date", "holiday": "thanksgiving"}, WED, "2025-11-27"),
        ({"kind": "date", "season": "SU", "direction": -1}, WED, "2025-SU"),
        ({"kind": "weekend", "n": 0, "direction": -1}, WED, "2025-W48-WE"),
        # "last weekend": from a Wednesday the one just past, from a Sunday the one before it
        ({"kind": "weekend", "n": -1}, WED, "2025-W48-WE"),
        ({"kind": "weekend", "n": -1}, SUN, "2025-W19-WE"),
        ({"kind": "weekend", "n": 1}, WED, "2025-W49-WE"),
        ({"kind": "weekend", "n": 1}, SUN, "2025-W21-WE"),
    ],
)
def test_resolve_relative(rel: dict[str, object], dct: date, value: str) -> None:
    assert resolve_relative(rel, dct)[0] == value
    assert resolve_relative(rel, None)[0] is None


def test_easter() -> None:
    assert easter(2025) == date(2025, 4, 20)
    assert easter(2024) == date(2024, 3, 31)


_PIECES = list("abcdefMTWSJ0123456789 ,.-\u2014'/:") + ["May ", "last ", "week", " Tuesday", " 2022", " ago"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_candidates_stay_inside_the_text(text: str) -> None:
    for c in recognize(text):
        assert 0 <= c.start < c.end <= len(text)
    cands = recognize(text)
    assert all(a.end <= b.start for a, b in zip(cands, cands[1:], strict=False))
