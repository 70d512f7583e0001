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


# -- a wire story of a ceasefire conference and a wire story of an election (statement errors 1-8)


def test_an_appositive_noun_glossing_the_quoted_thing_is_no_statement() -> None:
    # "a 2023 pledge to protect civilians" describes the Jeddah declaration; the official made no pledge
    text = (
        "A senior army official, Nabil Abdallah, told The Associated Press that the army would attend "
        '"only to discuss the implementation of the Jeddah declaration," a 2023 pledge to protect civilians '
        "that both sides have ignored."
    )
    assert _rows(text) == [
        (
            'that the army would attend "only to discuss the implementation of the Jeddah declaration',
            "told",
            "A senior army official, Nabil Abdallah",
            "mixed",
        ),
        ("only to discuss the implementation of the Jeddah declaration,", "told",
         "A senior army official, Nabil Abdallah", "direct"),
    ]  # fmt: skip


def test_it_speaking_is_the_organisation_that_spoke_just_before() -> None:
    text = (
        "The World Food Programme warned last month that famine was spreading. "
        "It said it had reached only 2.1 million people in May."
    )
    sts = find_statements(text)
    assert [(text[s.content[0] : s.content[1]], s.speaker_text, s.speaker_kind) for s in sts] == [
        ("that famine was spreading", "The World Food Programme", "named"),
        ("it had reached only 2.1 million people in May", "It", "pronoun"),
    ]
    ante = sts[1].speaker_antecedent
    assert ante is not None and text[ante[0] : ante[1]] == "The World Food Programme"


def test_it_without_an_organisation_before_it_stays_unresolved() -> None:
    text = "Famine was spreading across the region. It said aid had reached only 2.1 million people."
    (st,) = find_statements(text)
    assert (st.speaker_text, st.speaker_antecedent) == ("It", None)


@pytest.mark.parametrize(
    ("text", "content", "cue", "speaker"),
    [
        (
            "Saudi Foreign Minister Prince Faisal bin Farhan opened the session by urging both delegations "
            'to agree to a humanitarian truce "within days, not weeks."',
            'both delegations to agree to a humanitarian truce "within days, not weeks',
            "urging",
            "Saudi Foreign Minister Prince Faisal bin Farhan",
        ),
        (
            "The envoy closed the meeting after telling reporters that the talks would resume.",
            "that the talks would resume",
            "telling",
            "The envoy",
        ),
    ],
)
def test_a_gerund_after_by_or_after_speaks_for_the_subject_of_its_verb(
    text: str, content: str, cue: str, speaker: str
) -> None:
    st = next(s for s in find_statements(text) if not s.partial)
    assert st.cue is not None and st.speaker is not None
    assert (text[st.content[0] : st.content[1]], text[st.cue[0] : st.cue[1]], st.speaker_text) == (
        content,
        cue,
        speaker,
    )


def test_a_gerund_object_of_an_accusation_is_not_the_accusers_report() -> None:
    # "accused Kyiv of lying": the subject of "lying" is Kyiv, not Moscow; "of" never passes the subject on
    text = "Moscow accused Kyiv of lying about the talks."
    assert _rows(text) == [("Kyiv of lying about the talks", "accused", "Moscow", "indirect")]


@pytest.mark.parametrize(
    "text",
    [
        "The talks resumed on Friday, a day after an RSF artillery attack on a camp near El Fasher killed 42 "
        "people.",
        "Russia's missile attack on Kyiv killed three people.",
    ],
)
def test_an_armed_attack_is_no_speech_act(text: str) -> None:
    assert find_statements(text) == []


def test_trumps_attack_on_a_rival_stays_a_statement() -> None:
    text = "Trump's attack on Clinton dominated the news."
    assert _rows(text) == [("Clinton", "attack", "Trump", "indirect")]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("EU and China agree to resume tariff talks", "EU and China"),
        ("EU, China agree to resume tariff talks", "EU, China"),
        # a date before the comma is no coordinated speaker, nor is a dateline in capitals
        ("On Monday, Trump said he would go.", "Trump"),
        ("Monday, Trump said he would go.", "Trump"),
        ("WASHINGTON, Trump said he would go.", "Trump"),
    ],
)
def test_coordinated_speakers_keep_every_conjunct(text: str, speaker: str) -> None:
    (st,) = find_statements(text)
    assert st.speaker_text == speaker


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Moldova votes in tense election as Russia accused of meddling", "Russia accused of meddling"),
        ("Minister criticized for remarks on migrants", "Minister criticized for remarks on migrants"),
        ("Minister accused of lying", "Minister accused of lying"),
    ],
)
def test_a_headline_passive_without_is_has_no_speaker(text: str, content: str) -> None:
    (st,) = find_statements(text)
    assert (text[st.content[0] : st.content[1]], st.speaker, st.cue_lemma) == (
        content,
        None,
        st.cue_lemma,
    )
    assert st.cue is not None and text[st.cue[0] : st.cue[1]] in ("accused", "criticized")


def test_an_active_accusation_keeps_its_speaker() -> None:
    text = "Russia accused Moldova of meddling."
    assert _rows(text) == [("Moldova of meddling", "accused", "Russia", "indirect")]


def test_a_clock_time_ends_its_sentence_before_a_capitalised_word() -> None:
    text = (
        "Polls opened at 7 a.m. and were due to close at 9 p.m. Turnout stood at 31.2% by noon, the Central "
        "Electoral Commission said, higher than in the last election."
    )
    assert _rows(text) == [
        ("Turnout stood at 31.2% by noon", "said", "the Central Electoral Commission", "indirect")
    ]


def test_a_conjunct_of_a_conjunct_in_the_reporters_tense_is_the_reporters() -> None:
    text = (
        'Kremlin spokesman Dmitry Peskov said on Friday that Moscow "has never interfered and does not '
        "interfere\" in Moldova's affairs and accused European countries of doing so."
    )
    assert _rows(text) == [
        (
            'that Moscow "has never interfered and does not interfere" in Moldova\'s affairs',
            "said",
            "Kremlin spokesman Dmitry Peskov",
            "mixed",
        ),
        ("has never interfered and does not interfere", "said", "Kremlin spokesman Dmitry Peskov", "direct"),
        ("European countries of doing so", "accused", "Kremlin spokesman Dmitry Peskov", "indirect"),
    ]


def test_a_gerund_the_lexicon_does_not_list_takes_no_subject_through_by() -> None:
    # "by pretending he does not exist" is no report of "No leader"
    text = "No leader can achieve victory against an enemy by pretending he does not exist."
    assert all(s.speaker_text != "No leader" for s in find_statements(text))


def test_a_participle_accused_on_its_noun_is_an_allegation_against_it() -> None:
    text = "A man accused of murder said he was innocent."
    assert _rows(text) == [
        ("A man accused of murder", "accused", None, "indirect"),
        ("he was innocent", "said", "A man accused of murder", "indirect"),
    ]


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        ("The European Union and China said on Monday they would resume tariff talks.",
         "they would resume tariff talks", "The European Union and China"),
        ("The ministry said on Monday that famine was spreading.",
         "that famine was spreading", "The ministry"),
        ("Trump said Friday he would go.", "he would go", "Trump"),
    ],
)  # fmt: skip
def test_the_date_of_the_speech_is_no_part_of_the_content(text: str, content: str, speaker: str) -> None:
    assert _rows(text) == [(content, "said", speaker, "indirect")]


def test_an_act_coordinated_with_a_report_is_no_statement() -> None:
    # "raised rates" is what the bank did; only "signalled that …" reports
    text = (
        "The Bank of England raised interest rates by a quarter point to 5.25% on Thursday, its 14th "
        "increase in a row, but signalled that it may now be close to the end of its tightening campaign."
    )
    assert _rows(text) == [
        ("that it may now be close to the end of its tightening campaign", "signalled", "The Bank of England",
         "indirect"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "affiliation"),
    [
        ("Two officials in Herat, who spoke on condition of anonymity because they were not authorised to "
         "speak to the media, said rescue teams had not yet reached several remote villages.", "in Herat"),
        ("Three sources close to the Kremlin, who asked not to be named, said the talks had stalled.",
         "close to the Kremlin"),
    ],
)  # fmt: skip
def test_an_anonymous_sources_affiliation_ends_before_its_relative_clause(
    text: str, affiliation: str
) -> None:
    (st,) = find_statements(text)
    assert st.anonymous is not None
    assert st.anonymous.affiliation == affiliation


def test_he_continues_a_subject_the_ner_did_not_take_for_a_person() -> None:
    # spaCy's NER does not know the spelling "Zelenskiy": the reporting subject is still the topic
    text = (
        '"Thanksgiving is the deadline," Trump told reporters at the White House.\n\n'
        "Zelenskiy, in a video address, said Ukraine would not betray its national interests. "
        '"We will work calmly with all our partners," he said.'
    )
    last = find_statements(text)[-1]
    assert last.speaker_antecedent is not None
    assert text[last.speaker_antecedent[0] : last.speaker_antecedent[1]] == "Zelenskiy"


def test_what_a_thing_would_tell_in_an_argument_is_no_statement() -> None:
    text = (
        "Any deal that forces Ukraine to surrender territory would be a disgrace. "
        "It would tell every autocrat on earth that aggression pays."
    )
    assert find_statements(text) == []
    # a pronoun standing for a speaker still reports, "would" or not
    (outer, inner) = find_statements("The Kremlin said it would tell Washington that the offer stands.")
    assert (outer.cue_lemma, inner.cue_lemma, inner.speaker_antecedent) == ("say", "tell", (0, 11))


def test_a_report_still_to_be_made_inside_another_is_part_of_it() -> None:
    text = '"We will work with our partners," he said, adding that he would propose alternatives to the plan.'
    assert [s.cue_lemma for s in find_statements(text)] == ["say", "add"]
    # with a clause of its own, the nested report stays one
    text = "Peskov said Putin would tell Trump that the offer stands."
    assert [s.cue_lemma for s in find_statements(text)] == ["say", "tell"]


def test_one_of_them_is_one_of_the_earlier_anonymous_sources() -> None:
    text = (
        "Two EU diplomats familiar with the talks said the negotiators would meet in Beijing on April 8. "
        "One of them said Germany had pushed for a quick compromise."
    )
    first, second = find_statements(text)
    assert first.anonymous is not None and second.anonymous is not None
    assert (first.anonymous.count, first.anonymous.affiliation) == (2, "EU")
    assert (second.anonymous.count, second.anonymous.affiliation, second.anonymous.descriptor) == (
        1,
        "EU",
        "One of them",
    )
    assert second.speaker_antecedent is not None
    assert text[second.speaker_antecedent[0] : second.speaker_antecedent[1]] == (
        "Two EU diplomats familiar with the talks"
    )


def test_what_a_thing_will_tell_if_something_happens_is_no_statement() -> None:
    text = "If Brussels folds now, it will tell every autocrat that Europe's defences are for sale."
    assert find_statements(text) == []
    # without the condition, "it" standing for a speaker still reports
    (outer, inner) = find_statements("The Kremlin said it will tell Washington that the offer stands.")
    assert (outer.cue_lemma, inner.cue_lemma) == ("say", "tell")


@pytest.mark.parametrize(
    ("text", "contents"),
    [
        # the parser takes what was told for a relative clause of the addressee
        ("Two hospital chiefs told the paper they had been warned of cuts.",
         ["they had been warned of cuts"]),
        ("The mayor told the council the budget was too small.", ["the budget was too small"]),
        ("She told the reporters who had gathered outside that the talks had failed.",
         ["that the talks had failed"]),
        # whoever is warned is addressed, not accused: no statement of unnamed speakers
        ("They had been warned of cuts.", []),
        ("Peacekeepers have been accused of hurting civilians.",
         ["Peacekeepers have been accused of hurting civilians"]),
    ],
)  # fmt: skip
def test_what_was_told_to_an_addressee_and_who_was_warned(text: str, contents: list[str]) -> None:
    assert [text[s.content[0] : s.content[1]] for s in find_statements(text)] == contents


@pytest.mark.parametrize(
    ("text", "cues"),
    [
        # why people gathered is no statement
        ("President Emmanuel Macron hosted European and Arab ministers on Thursday to discuss the plan.",
         []),
        ("The ministers met in Paris to discuss aid.", []),
        ("Officials will travel to Cairo to negotiate the release of hostages.", []),
        # what someone said they want to discuss is
        ("Macron said he wanted to discuss the plan.", ["say"]),
    ],
)  # fmt: skip
def test_the_purpose_of_a_gathering_is_no_statement(text: str, cues: list[str]) -> None:
    assert [s.cue_lemma for s in find_statements(text)] == cues
