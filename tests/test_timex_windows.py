"""The trigger windows of the recognizer (a speed-up) find exactly what a scan of the whole text finds."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.analyze import timex_rules
from storyline.analyze.timex_rules import recognize

PIECES = [
    "Talks were held on Tuesday",
    "more than three years ago",
    "in the third quarter of 1989",
    "between March and April 1918",
    "at 5 p.m. EST, Nov. 6",
    "the 1990s and the late nineties",
    "every other week",
    "the eve of May 19",
    "currently",
    "a year-earlier period",
    "two thousand troops",
    "2000 troops in 2001",
    "the spring of next year",
    "Christmas Eve",
    "nineteen eighty-four",
    "the 20th century",
    "  \n\n   ",
    "----------------",
    "He said",
    "prices rose 3.5%",
    "the past several quarters",
    "yesterday morning",
    "midnight Friday",
    "the year ended June 30",
]


def _full_scan(text: str) -> list[timex_rules.Candidate]:
    saved = timex_rules._windows
    timex_rules._windows = lambda text: None  # type: ignore[assignment]
    try:
        return list(timex_rules._all_matches(text))
    finally:
        timex_rules._windows = saved  # type: ignore[assignment]


def _text(seed: int, n: int) -> str:
    rng = random.Random(seed)
    filler = " ".join(["word"] * rng.randint(0, 80))
    return ". ".join(rng.choice(PIECES) + (" " + filler if rng.random() < 0.5 else "") for _ in range(n))


@pytest.mark.parametrize("seed", range(8))
def test_windows_find_what_a_full_scan_finds(seed: int) -> None:
    text = _text(seed, 120)
    assert len(text) > 2 * timex_rules._REACH  # long enough for windows to be used
    windows = timex_rules._windows(text)
    assert windows is not None
    assert sum(hi - lo for spans in windows.values() for lo, hi in spans) < len(text) * len(windows)
    assert list(timex_rules._all_matches(text)) == _full_scan(text)


def test_rules_without_a_trigger_in_the_text_get_no_window() -> None:
    text = "The parliament met to discuss the budget and the new tax code. " * 10
    windows = timex_rules._windows(text)
    assert windows is not None
    assert windows["quarter"] == [] and windows["century"] == [] and windows["weekday"] == []
    assert recognize(text) == []


def test_short_texts_are_scanned_whole() -> None:
    assert timex_rules._windows("Talks on Tuesday.") is None


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), min_size=10, max_size=60), st.sampled_from([" ", "\n", " -- ", ", "])
)
def test_windows_equal_full_scan_on_any_mix(pieces: list[str], sep: str) -> None:
    text = sep.join(pieces)
    assert list(timex_rules._all_matches(text)) == _full_scan(text)
