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
        "on the waters it still controls, accusing Dublin of stalling."
    )
    assert _rows(text) == [
        (
            "that Britain would not sign the treaty until Norway lifted its quotas on the waters it still "
            "controls",
            "said",
            "Downing Street",
            "indirect",
        ),
        ("Dublin of stalling", "accusing", "Downing Street", "indirect"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The Kremlin said on Tuesday it would keep fighting, rejecting a European proposal.",
        "Moscow will not accept a ceasefire until a settlement is reached, the Kremlin said on Tuesday, "
        "dismissing a European proposal.",
        # the proposal inside the rejected object makes no statement of its own either
        "Downing Street said on Monday that Britain would not sign the treaty until Norway lifted its quotas "
        "on the waters it still controls, rejecting an Irish proposal to share the catch.",
    ],
)
def test_a_judgement_of_a_plain_object_trailing_a_report_is_no_statement(text: str) -> None:
    # what the report did to a noun phrase ("rejecting a European proposal") is not something said
    (st,) = find_statements(text)
    assert st.cue_lemma == "say"
    assert text[st.speaker[0] : st.speaker[1]] in ("The Kremlin", "the Kremlin", "Downing Street")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a participle whose object is what was said stays a report
        ("Analysts said Burma mattered, citing its border with China.",
         [("Burma mattered", "said", "Analysts", "indirect"),
          ("its border with China", "citing", "Analysts", "indirect")]),
        # a judgement on its own, not trailing a report, stays a statement
        ("The Kremlin rejected a European proposal.",
         [("a European proposal", "rejected", "The Kremlin", "indirect")]),
    ],
)  # fmt: skip
def test_objects_said_or_judged_outside_a_report_stay_statements(
    text: str, expected: list[tuple[str, str, str, str]]
) -> None:
    assert _rows(text) == expected


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


# -- anonymous sources named again with another generic head


@pytest.mark.parametrize(
    ("text", "antecedent", "count", "affiliation", "descriptor"),
    [
        ("Two officials said the talks had stalled. The sources said no date was set.",
         "Two officials", 2, None, "officials"),
        ("Three sources close to the Kremlin said Putin would not yield. The officials said no date was set.",
         "Three sources close to the Kremlin", 3, "close to the Kremlin", "sources"),
        # the first report through "according to"
        ("Putin will press on, according to three sources close to the Kremlin. The sources said no date "
         "was set.",
         "three sources close to the Kremlin", 3, "close to the Kremlin", "sources"),
    ],
)  # fmt: skip
def test_the_sources_or_the_officials_are_the_earlier_anonymous_source(
    text: str, antecedent: str, count: int, affiliation: str | None, descriptor: str
) -> None:
    second = find_statements(text)[-1]
    assert text[second.content[0] : second.content[1]] == "no date was set"
    assert second.speaker_text in ("The sources", "The officials")
    assert second.speaker_kind == "anonymous"
    assert second.speaker_antecedent is not None
    assert text[second.speaker_antecedent[0] : second.speaker_antecedent[1]] == antecedent
    assert second.anonymous is not None
    assert (second.anonymous.count, second.anonymous.affiliation, second.anonymous.descriptor) == (
        count,
        affiliation,
        descriptor,
    )


def test_a_plural_generic_source_is_not_an_earlier_single_official() -> None:
    text = "One official said the talks had stalled. The sources said no date was set."
    second = find_statements(text)[-1]
    assert second.speaker_text == "The sources"
    assert second.speaker_antecedent is None
    assert second.anonymous is not None
    assert (second.anonymous.count, second.anonymous.descriptor) == (None, "sources")


# -- a quoted show title in a comma-set aside


@pytest.mark.parametrize(
    "text",
    [
        "Trump, speaking on “Fox & Friends,” said the talks were going well.",
        'Trump, speaking on "Fox & Friends," said the talks were going well.',
    ],
)
def test_a_quoted_show_title_in_an_aside_keeps_the_speaker(text: str) -> None:
    assert _rows(text) == [("the talks were going well", "said", "Trump", "indirect")]
    (st,) = find_statements(text)
    assert st.speaker_kind == "named"


# -- where a frame's content goes on or ends


def test_a_trailing_participle_that_reports_nothing_is_part_of_the_content() -> None:
    text = (
        "Obama said the museum would put those problems into a larger context, allowing people to see the "
        "progress."
    )
    assert _rows(text) == [
        (
            "the museum would put those problems into a larger context, allowing people to see the progress",
            "said",
            "Obama",
            "indirect",
        )
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a clause joined to the frame by "and" goes on with what was said
        ("The middle fifth paid 8.9 percent, the agency said in a June report, and the bottom fifth paid "
         "0.8 percent.",
         [("The middle fifth paid 8.9 percent, the agency said in a June report, and the bottom fifth paid "
           "0.8 percent", "said", "the agency", "indirect")]),
        # unless it is a report of its own
        ("The talks collapsed, officials said, and Russia accused Kyiv of lying.",
         [("The talks collapsed", "said", "officials", "indirect"),
          ("Kyiv of lying", "accused", "Russia", "indirect")]),
        # a frame hung on the subject it interrupts, its addressee no content
        ("The difference now, he told me on Friday, is that he is the anchor of a news program.",
         [("The difference now, he told me on Friday, is that he is the anchor of a news program", "told",
           "he", "indirect")]),
        # "as X put it", "as X said": the clause the frame hangs on
        ("The main requirement is a lawful source of income, as a Homeland Security memo put it.",
         [("The main requirement is a lawful source of income", "put it", "a Homeland Security memo",
           "indirect")]),
        ("As Smith said, the deal is dead.", [("the deal is dead", "said", "Smith", "indirect")]),
        ("He left early, as he said he would.", [("he would", "said", "he", "indirect")]),
    ],
)  # fmt: skip
def test_frames_inside_and_around_their_content(text: str, expected: list[tuple[str, str, str, str]]) -> None:
    assert _rows(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # with whom or how the speaker spoke is no content
        ("Scott responded with logic.", []),
        ("She agreed to talk with police leaders about ways to mend relationships.",
         [("to talk with police leaders about ways to mend relationships", "agreed", "She", "indirect"),
          ("ways to mend relationships", "to talk", "She", "indirect")]),
        # what was responded to is
        ("The campaign did not respond to requests for comment.",
         [("to requests for comment", "did not respond", "The campaign", "indirect")]),
    ],
)  # fmt: skip
def test_the_addressee_or_manner_of_speaking_is_no_content(
    text: str, expected: list[tuple[str, str, str, str]]
) -> None:
    assert _rows(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“We will win,” she continued. “The talks are over.”",
         [("We will win,", "continued", "she", "direct"), ("The talks are over.", None, "she", "direct")]),
        ("Limbaugh continued: “They are demanding this.”",
         [("They are demanding this.", "continued", "Limbaugh", "direct")]),
        # "continue" frames quotations only: going on with an act reports nothing
        ("The talks continued on Monday.", []),
        ("Protesters continued to call for more information.",
         [("more information", "to call for", "Protesters", "indirect")]),
    ],
)  # fmt: skip
def test_continued_frames_a_quotation_and_nothing_else(
    text: str, expected: list[tuple[str, str | None, str, str]]
) -> None:
    assert _rows(text) == expected
