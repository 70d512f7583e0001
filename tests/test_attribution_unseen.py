"""Attribution errors first seen on articles the system had never met (a trade-talks wire story, an opinion
column, a government wire story), each pinned on an equivalent sentence with exact content, cue and speaker
spans."""

from __future__ import annotations

import pytest

from storyline.analyze.quotes import find_statements, parse
from test_quotes_rules import _rows


@pytest.fixture(scope="module", autouse=True)
def _nlp_loaded() -> None:
    parse("Warm up.")


# -- wrong speakers


def test_a_trailing_participle_is_the_reporters_never_an_entity_inside_the_content() -> None:
    text = (
        "Downing Street said on Monday that Britain would not sign the treaty until Norway lifted its quotas "
        "on the waters it still controls, rejecting an Irish proposal to share the catch."
    )
    assert _rows(text) == [
        (
            "that Britain would not sign the treaty until Norway lifted its quotas on the waters it still "
            "controls",
            "said",
            "Downing Street",
            "indirect",
        ),
        # the proposal inside what was rejected makes no statement of its own
        ("an Irish proposal to share the catch", "rejecting", "Downing Street", "indirect"),
    ]


def test_a_conjunct_in_the_reporters_tense_is_the_reporters_and_an_np_object_act_inside_is_no_statement() -> (
    None
):
    text = (
        "Carter said Prime Minister John Smith had discussed the matter with Irish envoy Mary Kelly during a "
        "long meeting in Dublin last month, but declined to give details."
    )
    assert _rows(text) == [
        (
            "Prime Minister John Smith had discussed the matter with Irish envoy Mary Kelly during a long "
            "meeting in Dublin last month",
            "said",
            "Carter",
            "indirect",
        ),
        ("to give details", "declined", "Carter", "indirect"),
    ]


# -- no verb of saying


@pytest.mark.parametrize(
    "text",
    [
        # a participle between commas describes its noun; the sentence's verb is "would open"
        "The pact, first concluded in 2017, would build a market of nearly 400 million people.",
        # the same, the parser hanging the participle on the predicate
        "The treaty, first agreed in 2021, would create a market of more than 300 million consumers.",
        # a liking for a kind of thing is a trait
        "Olaf Scholz loves a bold announcement.",
        # a section label before a colon is page furniture, not a speaker
        "Opinion: Scholz's budget games are wrecking Germany's credibility",
        # "on" governing a date is no particle of "call on"
        "She called the meeting on Friday.",
    ],
)
def test_sentences_without_a_report_give_no_statement(text: str) -> None:
    assert find_statements(text) == []


def test_call_on_with_a_person_stays_a_report() -> None:
    text = "She called on Berlin to act."
    assert _rows(text) == [("Berlin to act", "called on", "She", "indirect")]


def test_a_liking_for_someone_stays_a_stance() -> None:
    text = "Olaf Scholz loves Angela Merkel."
    assert _rows(text) == [("Angela Merkel", "loves", "Olaf Scholz", "indirect")]


# -- content and speaker spans


def test_the_dateline_and_a_trailing_circumstance_are_not_content() -> None:
    text = (
        "LONDON, Jan 5 (Newswire) - Britain and Norway ended three days of talks in Oslo on Monday without a "
        "fishing deal, two officials close to the talks said, as trawlers blocked a harbour near Bergen."
    )
    (st,) = find_statements(text)
    assert text[st.content[0] : st.content[1]] == (
        "Britain and Norway ended three days of talks in Oslo on Monday without a fishing deal"
    )
    assert st.speaker_text == "two officials close to the talks"
    assert st.speaker_kind == "anonymous"


def test_a_described_report_keeps_its_speaker_without_the_description() -> None:
    text = "The report, released on Monday, concluded that the deal would fail."
    assert _rows(text) == [("that the deal would fail", "concluded", "The report", "indirect")]


def test_a_relative_clause_is_not_the_speakers_name_and_the_officials_are_the_earlier_anonymous_ones() -> (
    None
):
    text = (
        "Two officials close to the talks said the deal was off. The officials, who spoke on condition of "
        "anonymity because the matter was sensitive, said the two sides remained far apart."
    )
    first, second = find_statements(text)
    assert first.speaker_text == "Two officials close to the talks"
    assert second.speaker_text == "The officials"
    assert text[second.content[0] : second.content[1]] == "the two sides remained far apart"
    assert second.speaker_kind == "anonymous"
    assert second.speaker_antecedent is not None
    assert (
        text[second.speaker_antecedent[0] : second.speaker_antecedent[1]]
        == "Two officials close to the talks"
    )
    assert second.anonymous is not None
    assert second.anonymous.count == 2


def test_where_the_speaker_spoke_is_not_the_content_of_an_object() -> None:
    text = "Prime Minister Ingrid Berg rejected the offer in her weekly radio address."
    assert _rows(text) == [("the offer", "rejected", "Prime Minister Ingrid Berg", "indirect")]


# -- nested acts inside reported content


def test_a_stance_inside_reported_content_is_no_second_statement() -> None:
    text = "Berg has repeatedly said she opposes the treaty in its present form."
    assert _rows(text) == [
        ("she opposes the treaty in its present form", "has repeatedly said", "Berg", "indirect")
    ]


def test_an_act_inside_a_mixed_statement_is_no_statement_of_the_place() -> None:
    text = 'He said London would not accept "a treaty at any cost".'
    assert _rows(text) == [
        ('London would not accept "a treaty at any cost"', "said", "He", "mixed"),
        ("a treaty at any cost", "said", "He", "direct"),
    ]


def test_acts_nested_in_reported_content_do_not_duplicate_it() -> None:
    text = (
        "Two Nordic diplomats familiar with the talks said Oslo was pressing Dublin to accept limits on the "
        "size of its fleet in exchange for market access."
    )
    assert _rows(text) == [
        (
            "Oslo was pressing Dublin to accept limits on the size of its fleet in exchange for market "
            "access",
            "said",
            "Two Nordic diplomats familiar with the talks",
            "indirect",
        )
    ]


def test_a_nested_report_of_speech_stays_a_statement() -> None:
    text = "Officials said Smith warned that the talks would fail."
    assert _rows(text) == [
        ("Smith warned that the talks would fail", "said", "Officials", "indirect"),
        ("that the talks would fail", "warned", "Smith", "indirect"),
    ]


def test_a_nested_reporting_noun_with_its_own_source_stays_a_statement() -> None:
    text = "Officials said Trump's claim that the vote was rigged was false."
    assert _rows(text) == [
        ("Trump's claim that the vote was rigged was false", "said", "Officials", "indirect"),
        ("that the vote was rigged", "claim", "Trump", "indirect"),
    ]


def test_a_nested_offer_with_an_infinitive_stays_a_statement_of_its_subject() -> None:
    text = "Vieira said that Brazil had already offered to raise its quota for European cheese."
    assert _rows(text) == [
        (
            "that Brazil had already offered to raise its quota for European cheese",
            "said",
            "Vieira",
            "indirect",
        ),
        ("to raise its quota for European cheese", "had already offered", "Brazil", "indirect"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Putin, asked about the talks, said Russia was ready for peace.",
         [("Russia was ready for peace", "said", "Putin", "indirect")]),
        ("Asked about the talks, Putin said Russia was ready.",
         [("Russia was ready", "said", "Putin", "indirect")]),
        ("Peskov was asked whether Putin would attend.",
         [("whether Putin would attend", "was asked", None, "indirect")]),
        ("Reporters asked Peskov whether Putin would attend.",
         [("whether Putin would attend", "asked", "Reporters", "indirect")]),
    ],
)  # fmt: skip
def test_the_one_asked_is_not_a_speaker(text: str, expected: list[tuple[str, str, str, str]]) -> None:
    assert _rows(text) == expected
