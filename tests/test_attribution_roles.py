"""A role noun phrase as speaker ("the Vermont senator said") resolves to the person named earlier with that
role, never to the place modifying it; a quoted title ("appeared on “Morning Joe”") is no statement."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import storyline
from storyline.analyze.quote_marks import find_quoted_spans, quoted_title
from storyline.analyze.quotes import find_statements


def _speakers(text: str) -> list[tuple[str, str | None, str, str | None]]:
    """(content, speaker, speaker kind, antecedent) of each statement."""
    out = []
    for s in find_statements(text):
        ante = text[s.speaker_antecedent[0] : s.speaker_antecedent[1]] if s.speaker_antecedent else None
        out.append((text[s.content[0] : s.content[1]], s.speaker_text, s.speaker_kind, ante))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Sen. Bernie Sanders spoke in Burlington on Monday.\n\n"
            "The Vermont senator said the plan would fail.",
            [("the plan would fail", "The Vermont senator", "nominal", "Bernie Sanders")],
        ),
        (
            # the senator from another state is not "the Vermont senator", however recent
            "Vermont Sen. Bernie Sanders and Texas Sen. Ted Cruz met on Monday. "
            "The Vermont senator said the plan would fail.",
            [("the plan would fail", "The Vermont senator", "nominal", "Bernie Sanders")],
        ),
        (
            # a governor is not "the senator"
            "Sen. Bernie Sanders met Gov. Phil Scott on Monday. The senator said the plan would fail.",
            [("the plan would fail", "The senator", "nominal", "Bernie Sanders")],
        ),
        (
            "Bernie Sanders, the Vermont senator, spoke on Monday. "
            "Later the senator said the plan would fail.",
            [("the plan would fail", "the senator", "nominal", "Bernie Sanders")],
        ),
        (
            "Russian President Vladimir Putin met the envoy. “We will see,” the Russian leader said.",
            [("We will see,", "the Russian leader", "nominal", "Vladimir Putin")],
        ),
        (
            # nobody named with the role: an unresolved nominal descriptor, not the state
            "The Vermont senator said the plan would fail.",
            [("the plan would fail", "The Vermont senator", "nominal", None)],
        ),
        (
            "Gov. Phil Scott spoke on Monday. The Vermont senator said the plan would fail.",
            [("the plan would fail", "The Vermont senator", "nominal", None)],
        ),
    ],
)
def test_role_phrase_speaker_resolves_to_the_person(text: str, expected: list[tuple[str, ...]]) -> None:
    assert _speakers(text) == expected


def _rows(text: str) -> list[tuple[str, bool, str, str | None]]:
    return [
        (s.kind, s.partial, text[s.content[0] : s.content[1]], s.speaker_text) for s in find_statements(text)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "She appeared on “Morning Joe” on Tuesday and said the deal was dead.",
            [("indirect", False, "the deal was dead", "She")],
        ),
        (
            "Sanders told MSNBC’s “Morning Joe” that the plan would fail.",
            [("indirect", False, "that the plan would fail", "Sanders")],
        ),
        (
            "He told “Fox News Sunday” that the talks would resume.",
            [("indirect", False, "that the talks would resume", "He")],
        ),
        (
            "“Morning Joe” host Joe Scarborough said the deal was dead.",
            [("indirect", False, "the deal was dead", "host Joe Scarborough")],
        ),
        (
            "In her book “What Happened,” Clinton wrote that she was shocked.",
            [("indirect", False, "that she was shocked", "Clinton")],
        ),
        # words someone said stay quotes, capitalised or not
        ("“We Will Win,” Trump said.", [("direct", False, "We Will Win,", "Trump")]),
        (
            "The senator said the plan was “dead on arrival.”",
            [
                ("mixed", False, "the plan was “dead on arrival", "The senator"),
                ("direct", True, "dead on arrival.", "The senator"),
            ],
        ),
    ],
)
def test_quoted_titles_are_no_statements(text: str, expected: list[tuple[object, ...]]) -> None:
    assert _rows(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She appeared on “Morning Joe” on Tuesday.", True),
        ("He told MSNBC’s “Morning Joe” so.", True),
        ("She starred in the film “Arrival” last year.", True),
        ('NBC\'s "Meet the Press" aired at nine.', True),
        ("“Fox & Friends” co-host Ainsley Earhardt asked.", True),
        ("He called it “a disaster” on Monday.", False),  # not capitalised
        ("“We Will Win,” Trump said.", False),  # nothing names a work around it
        ("She said in “Good Morning America.” Then she left.", False),  # ends a sentence
        ("He wrote in “The Atlantic”", True),
    ],
)
def test_quoted_title(text: str, expected: bool) -> None:
    (quote,) = find_quoted_spans(text)
    assert quoted_title(text, quote) is expected


ARTICLE = (
    "Sanders presses on with the bill\n\n"
    "WASHINGTON (AP) — Sen. Bernie Sanders spoke in Burlington on Monday.\n\n"
    "The Vermont senator said the plan would fail. He appeared on “Morning Joe” on Tuesday.\n\n"
    "Sanders told MSNBC’s “Morning Joe” that the vote was close.\n"
)


def test_export_names_the_senator_not_the_state(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with storyline.open(tmp_path / "s.db") as corpus:
        corpus.add([str(tmp_path / "a.txt")])
        corpus.analyze()
        buf = io.StringIO()
        corpus.export(buf)
    (record,) = map(json.loads, buf.getvalue().splitlines())
    rows = [
        (
            st["content"]["text"],
            st["speaker"]["text"],
            st["speaker_kind"],
            st["speaker_antecedent"]["text"] if st["speaker_antecedent"] else None,
            st["speaker_name"],
        )
        for st in record["annotations"]["statements"]
    ]
    assert rows == [
        ("the plan would fail", "The Vermont senator", "nominal", "Bernie Sanders", "Bernie Sanders"),
        ("that the vote was close", "Sanders", "named", None, "Bernie Sanders"),
    ]
