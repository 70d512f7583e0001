"""Speakers that must not come from inside quoted content — participial continuations whose parse hangs on
a verb of the quotation, epigraph bylines ("“…” ― Name"), quoted transcript turns ("\"HOST: …") — and
speakers that must be actors (no "brain cancer confirmed …"). Exact content, cue and speaker spans."""

from __future__ import annotations

import pytest

from storyline.analyze.quote_marks import epigraph_byline, find_quoted_spans
from storyline.analyze.quotes import find_statements, parse


@pytest.fixture(scope="module", autouse=True)
def _nlp_loaded() -> None:
    parse("Warm up.")


def _rows(text: str) -> list[tuple[str, str | None, str | None, str, bool]]:
    """(content, cue, speaker, kind, partial) of every statement, in text order."""
    return [
        (
            text[s.content[0] : s.content[1]],
            text[s.cue[0] : s.cue[1]] if s.cue else None,
            text[s.speaker[0] : s.speaker[1]] if s.speaker else None,
            s.kind,
            s.partial,
        )
        for s in find_statements(text)
    ]


def test_participle_continuation_takes_the_main_clause_subject_not_a_phrase_of_the_quote() -> None:
    # the parser hangs "going" (and "said") on "want", the verb of "young voters" inside the quotation
    text = (
        '"We have fought this fight for a long time, and it is over," Warren said, going on to say that the '
        'party has spent "decades fighting against corruption, to start that fight again, young voters do '
        'not want to see that. They are tired of it."'
    )
    fragment = (
        "decades fighting against corruption, to start that fight again, young voters do not want to see "
        "that. They are tired of it."
    )
    assert _rows(text) == [
        ("We have fought this fight for a long time, and it is over,", "said", "Warren", "direct", False),
        (
            'that the party has spent "decades fighting against corruption, to start that fight again',
            "to say",
            "Warren",
            "mixed",
            False,
        ),
        (fragment, "to say", "Warren", "direct", True),
    ]
    for st in find_statements(text):
        assert st.speaker == (text.index("Warren"), text.index("Warren") + len("Warren"))
        assert st.speaker_kind == "named"


def test_adding_that_keeps_the_speaker_of_the_report() -> None:
    text = (
        '"The tax plan is a disaster for working families," Kasich said, adding that the budget "would hurt '
        'millions, and older workers do not deserve that."'
    )
    assert _rows(text) == [
        ("The tax plan is a disaster for working families,", "said", "Kasich", "direct", False),
        (
            'that the budget "would hurt millions, and older workers do not deserve that',
            "adding",
            "Kasich",
            "mixed",
            False,
        ),
        ("would hurt millions, and older workers do not deserve that.", "adding", "Kasich", "direct", True),
    ]


def test_epigraph_bylines_name_the_speaker_not_a_name_in_the_quote() -> None:
    text = (
        "Readers on the mayor.\n\n"
        "”Mayor Lopez embodies everything wrong with this city. He has failed us.” ― Dana Whitfield\n\n"
        "“During the debate Lopez said the river was clean. He is ignorant of our lives.”― Omar Castillo \n\n"
        "“Lopez must stop blaming the workers.” — Carla Mendes, a nurse from Riverside.\n\n"
        "“I am afraid that Lopez will win again.” – Edwin G. Marrow.\n"
    )
    rows = _rows(text)
    assert rows == [
        (
            "Mayor Lopez embodies everything wrong with this city. He has failed us.",
            "―",
            "Dana Whitfield",
            "direct",
            False,
        ),
        (
            "During the debate Lopez said the river was clean. He is ignorant of our lives.",
            "―",
            "Omar Castillo",
            "direct",
            False,
        ),
        ("Lopez must stop blaming the workers.", "—", "Carla Mendes", "direct", False),
        ("I am afraid that Lopez will win again.", "–", "Edwin G. Marrow", "direct", False),
    ]
    first = find_statements(text)[0]
    start = text.index("Mayor Lopez embodies")
    assert first.content == (start, text.index(" ― Dana") - 1)
    assert first.cue == (text.index("―"), text.index("―") + 1)
    assert first.speaker == (text.index("Dana"), text.index("Dana") + len("Dana Whitfield"))
    assert first.speaker_kind == "named"


def test_mistyped_closing_mark_at_a_paragraph_start_opens_a_quotation() -> None:
    text = "Intro line.\n”Mr. Smith is wrong.” ― Ann Lee\nNot ” a quote.\n"
    spans = find_quoted_spans(text)
    assert [(text[q.start : q.end], q.close_pos) for q in spans] == [
        ("Mr. Smith is wrong.", text.index("” ―"))
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("“We will win.” ― Sonya Herridge", "Sonya Herridge"),
        ("“We will win.”― Carla Sanchez.", "Carla Sanchez"),
        ("“We will win.” - Julie A. Diaz Martinez", "Julie A. Diaz Martinez"),
        ("“We will win.” — Mr. John Smith, retired teacher", "Mr. John Smith"),
        ("“We will win.” -- Ludwig van Beethoven", "Ludwig van Beethoven"),
        ("“We will win.” — NASA\nNext line.", "NASA"),
        ("“We will win.” - and then he left.", None),
        ("“We will win.” ― Trump said on Monday", None),
        ("“We will win.” ― Trump", None),  # one capitalised word: a sentence start as often as a name
        ("“We will win.” Sonya Herridge", None),
        ("“We will win — Sonya Herridge", None),  # unclosed: no byline
    ],
)
def test_epigraph_byline(text: str, name: str | None) -> None:
    (quote,) = find_quoted_spans(text)
    byline = epigraph_byline(text, quote)
    if name is None:
        assert byline is None
    else:
        assert byline is not None
        assert text[byline.name[0] : byline.name[1]] == name
        assert text[byline.dash[0] : byline.dash[1]] in ("―", "—", "–", "-", "--")


def test_quoted_transcript_turns_take_their_labels() -> None:
    text = (
        "The interview went on.\n\n"
        '"HOST: Let us start with the news of the day. Will the mayor attend the hearing?\n\n'
        '"GRANT: Well, look, the mayor thinks this is a “circus” and he will not attend.\n\n'
        '"VIDEO: Highlights of the hearing.\n\n'
        '"HOST: Thank you, sir."\n'
    )
    assert _rows(text) == [
        (
            "Let us start with the news of the day. Will the mayor attend the hearing?",
            ":",
            "HOST",
            "direct",
            False,
        ),
        (
            "Well, look, the mayor thinks this is a “circus” and he will not attend.",
            ":",
            "GRANT",
            "direct",
            False,
        ),
        ("Thank you, sir.", ":", "HOST", "direct", False),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Years of treatment for brain cancer, which confirmed what I always suspected, left me tired.",
        "The progress of these past eight years had shown us the way to go forward.",
        "Political correctness encourages people to be reluctant to speak.",
    ],
)
def test_an_abstract_noun_phrase_is_no_speaker(text: str) -> None:
    assert _rows(text) == []


@pytest.mark.parametrize(
    ("text", "content", "speaker", "cue"),
    [
        (
            "A majority of voters expect Clinton to win the debate.",
            "Clinton to win the debate",
            "A majority of voters",
            "expect",
        ),
        (
            "Authorities said officers encountered Scott near the car.",
            "officers encountered Scott near the car",
            "Authorities",
            "said",
        ),
        (
            "The business said it would appeal the ruling.",
            "it would appeal the ruling",
            "The business",
            "said",
        ),
    ],
)
def test_groups_named_like_abstract_nouns_stay_speakers(
    text: str, content: str, speaker: str, cue: str
) -> None:
    assert _rows(text) == [(content, cue, speaker, "indirect", False)]


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        (
            "Poll: Clinton and Trump in dead heat heading into first debate.\n\nThe race is close.\n",
            [("Clinton and Trump in dead heat heading into first debate", ":", "Poll", "indirect", False)],
        ),
        # a photo credit in the first line is no source
        ("Photo: Kremlin.ru / Source: Wikimedia Commons.\nPutin spoke.\n", []),
        (
            "The mayor spoke at length on Monday. Harris added:\n\nAnd from a supposed front-runner, "
            "this reeks of fear. She cannot win without help.\n\nThe debate is on Tuesday.\n",
            [
                (
                    "And from a supposed front-runner, this reeks of fear. She cannot win without help",
                    "added",
                    "Harris",
                    "indirect",
                    False,
                )
            ],
        ),
        (
            "Officials said the delay was not intentional; the report was finished on Friday.",
            [("the delay was not intentional", "said", "Officials", "indirect", False)],
        ),
        (
            "Senator Cruz is endorsing the campaign of Donald Trump, the latest chapter in a rocky "
            "relationship between the two men.",
            [("the campaign of Donald Trump", "is endorsing", "Senator Cruz", "indirect", False)],
        ),
    ],
)
def test_title_sources_next_paragraph_contents_and_reporter_glosses(
    text: str, rows: list[tuple[str, str, str, str, bool]]
) -> None:
    assert _rows(text) == rows


def test_a_quoted_turn_goes_on_through_unlabelled_quoted_paragraphs() -> None:
    text = (
        '"HOST: Will the mayor attend the hearing?\n\n'
        '"GRANT: Well, look, he will not attend.\n\n'
        '"But the truth is that he never liked hearings.\n\n'
        '"(CROSSTALK.)\n\n'
        '"HOST: Thank you."\n'
    )
    assert _rows(text) == [
        ("Will the mayor attend the hearing?", ":", "HOST", "direct", False),
        (
            'Well, look, he will not attend.\n\n"But the truth is that he never liked hearings.',
            ":",
            "GRANT",
            "direct",
            False,
        ),
        ("Thank you.", ":", "HOST", "direct", False),
    ]
