"""Who can be a source: a share of a group ("a majority of Republicans"), a person named by kinship or job, a
publication; a predicative adjective of attitude the lexicon does not list ("is upbeat about …"); "focus on";
"called X Y" without a particle."""

from __future__ import annotations

import pytest

from storyline.analyze.quotes import find_statements


def _rows(text: str) -> list[tuple[str, str, str | None, str | None]]:
    return [
        (s.kind, text[s.content[0] : s.content[1]], s.speaker_text, s.cue_lemma)
        for s in find_statements(text)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a share of a group holds the group's view
        (
            "A majority of Republicans oppose the deal.",
            [("indirect", "the deal", "A majority of Republicans", "oppose")],
        ),
        (
            "Half of the respondents blamed Congress for the shutdown.",
            [("indirect", "Congress for the shutdown", "Half of the respondents", "blame")],
        ),
        # a share of a thing holds no view
        ("A majority of the funds support small farmers.", []),
        # kin, jobs and publications
        (
            "His wife insisted that he was innocent.",
            [("indirect", "that he was innocent", "His wife", "insist")],
        ),
        (
            "The website reported that the senator had resigned.",
            [("indirect", "that the senator had resigned", "The website", "report")],
        ),
        # a person's attitude stated with an adjective the lexicon does not list
        (
            "Ted Cruz is upbeat about his chances in Iowa.",
            [("indirect", "his chances in Iowa", "Ted Cruz", "upbeat")],
        ),
        (
            "Most voters are unhappy with the direction of the country.",
            [("indirect", "the direction of the country", "Most voters", "unhappy")],
        ),
        (
            "The senator is appreciative of Obama's focus on mental health.",
            [("indirect", "Obama's focus on mental health", "The senator", "appreciative")],
        ),
        # "focus on" with a holder; "called X Y" without a particle names X
        (
            "First lady Michelle Obama has focused on childhood obesity.",
            [("indirect", "childhood obesity", "First lady Michelle Obama", "focus")],
        ),
        (
            "He has also called the Texas senator “the next George Washington”.",
            [
                ("mixed", "the Texas senator “the next George Washington", "He", "call"),
                ("direct", "the next George Washington", "He", "call"),
            ],
        ),
        # a thing's or a group's state is no attitude of a person
        ("The room is full of reporters.", []),
        ("The team is proud of the result.", []),
    ],
)
def test_sources_and_attitude_adjectives(text: str, expected: list[tuple[object, ...]]) -> None:
    assert _rows(text) == expected
