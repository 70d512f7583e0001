"""Statement rules: speech/stance/attitude cue classes, clause cuts, "calling for", "seen in X as", lexicon
errors. Each case pins exact content, cue and speaker spans on a short sentence."""

from __future__ import annotations

import pytest

from storyline.analyze.quotes import find_statements, lexicon_from_data, load_cue_lexicon, parse
from storyline.errors import ConfigError


@pytest.fixture(scope="module", autouse=True)
def _nlp_loaded() -> None:
    parse("Warm up.")


def _span(text: str, sub: str) -> tuple[int, int]:
    start = text.index(sub)
    return start, start + len(sub)


def _rows(text: str) -> list[tuple[str, str | None, str | None, str]]:
    """(content, cue, speaker, kind) of every statement, in text order."""
    return [
        (
            text[s.content[0] : s.content[1]],
            text[s.cue[0] : s.cue[1]] if s.cue else None,
            text[s.speaker[0] : s.speaker[1]] if s.speaker else None,
            s.kind,
        )
        for s in find_statements(text)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The army welcomed the new recruits.",  # attitude verb, no speech structure
        "Russian forces are targeting the power grid.",
        "Ukraine defended its territory.",
        "The bill supports small farmers.",  # stance without a holder
    ],
)
def test_broad_cue_verbs_without_speech_structure_are_no_statements(text: str) -> None:
    assert find_statements(text) == []


def test_an_intended_act_under_a_cognition_verb_is_not_a_second_statement() -> None:
    text = "Russia plans to attack European countries."
    assert _rows(text) == [("to attack European countries", "plans", "Russia", "indirect")]


@pytest.mark.parametrize(
    ("text", "content", "cue", "speaker"),
    [
        # a predicative "as" complement makes the attitude verb an evaluation
        ("Zelensky welcomed the deal as a first step.", "the deal as a first step", "welcomed", "Zelensky"),
        # a speech frame makes it a statement; where it was said is not part of the content
        ("He defended the plan in an interview.", "the plan", "defended", "He"),
        # an object that is itself stance
        ("The senator raised concerns about the deal.", "concerns about the deal", "raised", "The senator"),
        # a stance with a holder
        ("Smith supports the bill.", "the bill", "supports", "Smith"),
    ],
)
def test_broad_cue_verbs_with_speech_structure(text: str, content: str, cue: str, speaker: str) -> None:
    stmts = find_statements(text)
    s = stmts[0]
    assert s.content == _span(text, content)
    assert s.cue == _span(text, cue)
    assert s.speaker == _span(text, speaker)
    assert s.kind == "indirect"


def test_second_report_joined_by_and_is_cut_and_keeps_the_speaker() -> None:
    text = "Valtonen noted Russia had made no concessions and called for a full ceasefire."
    assert _rows(text) == [
        ("Russia had made no concessions", "noted", "Valtonen", "indirect"),
        ("a full ceasefire", "called for", "Valtonen", "indirect"),
    ]


@pytest.mark.parametrize(
    ("text", "content", "cue", "speaker"),
    [
        ("Cruz is calling for his rivals to drop out.", "his rivals to drop out", "is calling for", "Cruz"),
        (
            "Clinton called on tech companies to become more aggressive.",
            "tech companies to become more aggressive",
            "called on",
            "Clinton",
        ),
    ],
)
def test_call_for_and_call_on_take_the_infinitive(text: str, content: str, cue: str, speaker: str) -> None:
    assert _rows(text) == [(content, cue, speaker, "indirect")]


def test_seen_in_a_place_as_attributes_the_view_to_the_place() -> None:
    text = "The attack was seen in Kyiv as a direct message from the Kremlin."
    # the noun cue "message" inside the view is part of it, not the Kremlin's statement
    assert _rows(text) == [("a direct message from the Kremlin", "seen", "Kyiv", "indirect")]


def test_reporters_gloss_after_a_quote_is_cut_and_its_own_holder_kept() -> None:
    text = (
        "Putin insisted that any peace must guarantee the “security of the Russian state,” a euphemism "
        "that Ukrainian officials interpret as justification for occupation."
    )
    stmts = find_statements(text)
    assert _rows(text) == [
        ("that any peace must guarantee the “security of the Russian state,”", "insisted", "Putin", "mixed"),
        ("security of the Russian state,", "insisted", "Putin", "direct"),
        ("as justification for occupation", "interpret", "Ukrainian officials", "indirect"),
    ]
    assert stmts[1].partial is True
    assert stmts[2].speaker_kind == "anonymous"


def test_scare_quote_stays_no_statement_next_to_the_new_rules() -> None:
    text = "The so-called “peace plan” was welcomed by nobody."
    assert find_statements(text) == []


def test_unbalanced_quote_keeps_the_later_indirect_statement() -> None:
    text = "“We will not stop, he said.\nMarkov told reporters that the talks would continue."
    rows = _rows(text)
    assert ("that the talks would continue", "told", "Markov", "indirect") in rows


def test_packaged_lexicon_classes() -> None:
    lex = load_cue_lexicon()
    assert lex.verbs["say"].cls == "speech"
    assert lex.verbs["believe"].cls == "cognition"
    assert lex.verbs["support"].cls == "stance"
    assert lex.verbs["welcome"].cls == "attitude"
    assert lex.verbs["call"].particles == frozenset({"for", "on", "out"})
    assert "statement" in lex.speech_frames and "concern" in lex.stance_objects
    assert "see" in lex.perception_verbs


def test_lexicon_rejects_a_yaml_boolean_particle() -> None:
    # an unquoted `on` in YAML 1.1 is the boolean True
    cues = {"verbs": {"call": {"content": ["object"], "particle": ["for", True]}}}
    with pytest.raises(ConfigError) as info:
        lexicon_from_data(cues, {}, source="mydata")
    assert str(info.value) == (
        '[E201] mydata/cues.yaml (verbs.call.particle): True is not a word (quote it: "on", "off")'
    )


def test_lexicon_rejects_an_unknown_class() -> None:
    cues = {"verbs": {"say": {"content": ["clause"], "class": "gossip"}}}
    with pytest.raises(ConfigError) as info:
        lexicon_from_data(cues, {}, source="mydata")
    assert str(info.value) == (
        "[E201] mydata/cues.yaml (verbs.say.class): unknown class 'gossip' "
        "(expected one of speech, cognition, stance, attitude)"
    )


def test_lexicon_reads_verdict_verbs_and_generic_descriptors() -> None:
    lex = load_cue_lexicon()
    assert {"reject", "dismiss"} <= lex.verdict_verbs and "cite" not in lex.verdict_verbs
    assert {"source", "official"} <= lex.generic_descriptors and "diplomat" not in lex.generic_descriptors
    with pytest.raises(ConfigError) as info:
        lexicon_from_data({}, {"generic_descriptors": "sources"}, source="mydata")
    assert str(info.value) == (
        "[E201] mydata/anonymous_sources.yaml (generic_descriptors): expected a list of words, got 'sources'"
    )
    with pytest.raises(ConfigError) as info:
        lexicon_from_data({"verdict_verbs": ["reject", 1]}, {}, source="mydata")
    assert str(info.value) == (
        '[E201] mydata/cues.yaml (verdict_verbs): 1 is not a word (quote it: "on", "off")'
    )


def test_lexicon_old_belief_flag_means_cognition() -> None:
    lex = lexicon_from_data({"verbs": {"reckon": {"content": ["clause"], "belief": True}}}, {}, source="d")
    assert lex.verbs["reckon"].cls == "cognition"


def test_transcript_turn_takes_its_whole_paragraph() -> None:
    text = (
        "Interview transcript follows.\n"
        "FALLIN: Well, the whole nation needs to work together. We all need unity.\n"
        "HOST: Thank you for joining us."
    )
    assert _rows(text) == [
        ("Well, the whole nation needs to work together. We all need unity", ":", "FALLIN", "indirect"),
        ("Thank you for joining us", ":", "HOST", "indirect"),
    ]


@pytest.mark.parametrize(
    ("text", "content", "cue", "speaker"),
    [
        (
            "Many voters see him as a fighter for working families.",
            "him as a fighter for working families",
            "see",
            "Many voters",
        ),
        ("The survey shows a small gender gap.", "a small gender gap", "shows", "The survey"),
        ("The Kremlin offered no meaningful proposals.", "no meaningful proposals", "offered", "The Kremlin"),
        # one word of content when it names whom the speech or stance is about
        ("Sanders praised Obama.", "Obama", "praised", "Sanders"),
        ("Elmendorf, who supports Clinton, spoke first.", "Clinton", "supports", "Elmendorf"),
    ],
)
def test_views_evidence_offers_and_one_word_contents(text: str, content: str, cue: str, speaker: str) -> None:
    assert _rows(text) == [(content, cue, speaker, "indirect")]


def test_an_offer_of_things_is_no_statement() -> None:
    assert find_statements("The Kremlin offered the visitors tea.") == []


def test_participle_report_after_a_closing_quote_is_cut() -> None:
    text = (
        "Trump insisted that he has “expanded the party,” claiming that he is responsible for higher turnout."
    )
    assert _rows(text) == [
        ("that he has “expanded the party,”", "insisted", "Trump", "mixed"),
        ("expanded the party,", "insisted", "Trump", "direct"),
        ("that he is responsible for higher turnout", "claiming", "he", "indirect"),
    ]


def test_according_to_wraps_the_whole_saying_and_is_cut_from_it() -> None:
    text = "Most voters said that Wall Street hurts the economy, according to exit polling."
    # the poll reports the whole saying: the "said" inside it is no statement of its own
    assert _rows(text) == [
        ("Most voters said that Wall Street hurts the economy", "according to", "exit polling", "indirect"),
    ]


def test_a_named_speakers_words_relayed_by_a_source_are_their_statement_too() -> None:
    text = (
        'He Lifeng called the meeting "an important step" toward a deal, according to the Xinhua news agency.'
    )
    rows = _rows(text)
    assert ("an important step", "called", "He Lifeng", "direct") in rows
    assert ('the meeting "an important step" toward a deal', "called", "He Lifeng", "mixed") in rows
    assert (
        'He Lifeng called the meeting "an important step" toward a deal',
        "according to",
        "the Xinhua news agency",
        "mixed",
    ) in rows
    # a thought stays the source's report
    text = "According to a person familiar with his thinking, Putin is confident that his forces can win."
    assert [r[1:3] for r in _rows(text)] == [("According to", "a person familiar with his thinking")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what shows a fact must be able to report it: a poll, data, a document, not an act or an event
        ("Trump's tariff climbdown shows the trade war was always a bluff.", []),
        ("He said the talks had shown respect.", [("the talks had shown respect", "said", "He", "indirect")]),
        (
            "A new poll shows that voters are angry.",
            [("that voters are angry", "shows", "A new poll", "indirect")],
        ),
        (
            "Data from the survey show that women earn less.",
            [("that women earn less", "show", "Data from the survey", "indirect")],
        ),
        # a free relative is a thing, not what someone said
        (
            "The ministry urged Washington to cancel what it called erroneous tariffs.",
            [("Washington to cancel what it called erroneous tariffs", "urged", "The ministry", "indirect")],
        ),
    ],
)  # fmt: skip
def test_showing_needs_a_holder_and_a_free_relative_is_no_report(
    text: str, expected: list[tuple[str, ...]]
) -> None:
    assert _rows(text) == expected


def test_a_frame_hung_on_a_trailing_noun_reports_the_clause_before_it() -> None:
    text = (
        "Donald Trump will meet Vladimir Putin on Friday, the first summit since 2021, the White House "
        "said, as Ukraine warned against any deal."
    )
    rows = _rows(text)
    assert (
        "Donald Trump will meet Vladimir Putin on Friday, the first summit since 2021",
        "said",
        "the White House",
        "indirect",
    ) in rows
    # a frame interrupting its clause keeps both sides
    text = "Climate change, Mr. Obama often says, is the greatest long-term threat facing the world."
    assert _rows(text) == [
        (
            "Climate change, Mr. Obama often says, is the greatest long-term threat facing the world",
            "says",
            "Mr. Obama",
            "indirect",
        )
    ]


def test_a_trailing_frame_ending_its_paragraph_reports_the_clause_before_it() -> None:
    # the parser hangs the paragraph break on the sentence's last token, so the frame's subtree runs
    # into the next paragraph: what follows the break is no part of the frame
    text = (
        "Zelensky is expected to travel to Washington next week to discuss the plan with Trump, a senior "
        "Ukrainian official said on condition of anonymity.\n\nRussia launched 464 drones overnight."
    )
    assert _rows(text)[0] == (
        "Zelensky is expected to travel to Washington next week to discuss the plan with Trump",
        "said",
        "a senior Ukrainian official",
        "indirect",
    )


def test_a_capital_the_model_takes_for_a_person_is_no_antecedent_of_he() -> None:
    text = (
        "Andriy Yermak, who led the Ukrainian delegation, said the two sides had agreed on most points. "
        'He said Kyiv would not recognise any Ukrainian land as Russian. "Ukraine will never accept a '
        "deal that rewards aggression,\" he told the Ukrainian parliament's foreign affairs committee."
    )
    doc = parse(text)
    assert [e.label_ for e in doc.ents if e.text == "Kyiv"] == ["PERSON"]  # the model's error
    last = find_statements(text, nlp_doc=doc)[-1]
    assert last.speaker_antecedent is not None
    assert text[last.speaker_antecedent[0] : last.speaker_antecedent[1]] == "Andriy Yermak"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("GENEVA, Nov 24 (Reuters) - U.S. negotiators said they had a framework.", "U.S. negotiators"),
        ("The well-known Kremlin-linked analyst said it was dead.", "The well-known Kremlin-linked analyst"),
    ],
)
def test_a_speaker_never_starts_in_the_dateline(text: str, speaker: str) -> None:
    assert _rows(text)[0][2] == speaker


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # holding a gathering is an act, not a report the learned model may take it for
        ("The strike came hours after American officials wrapped up talks in Geneva on Sunday.", []),
        ("Negotiators concluded two days of talks in Riyadh.", []),
        ("The officials concluded that talks had failed.",
         [("that talks had failed", "concluded", "The officials", "indirect")]),
        ("Zelensky praised the meeting.", [("the meeting", "praised", "Zelensky", "indirect")]),
    ],
)  # fmt: skip
def test_holding_talks_is_no_report(text: str, expected: list[tuple[str, ...]]) -> None:
    assert _rows(text) == expected


def test_the_us_is_no_pronoun() -> None:
    assert [
        (s.speaker_text, s.speaker_kind) for s in find_statements("The US said it would send weapons.")
    ] == [("The US", "institution")]
    assert [s.speaker_kind for s in find_statements("We said it was over.")] == ["pronoun"]


def test_trailing_according_to_is_cut_from_a_content_range() -> None:
    from storyline.analyze.quotes import _cut_trailing_clause

    text = "He said that the talks will fail, according to the transcript."
    doc = parse(text)
    start = next(t.i for t in doc if t.text == "that")
    start_end = _cut_trailing_clause(doc, (start, len(doc) - 1))
    assert doc[start_end[0] : start_end[1]].text == "that the talks will fail"


def test_one_word_addressee_of_a_clause_verb_is_no_content() -> None:
    # "warn" takes a clause: its lone object is whom it warns, not what
    assert find_statements("Kallas warns Moscow") == []


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        # where and when the speaker spoke is not what was reported
        ("Trump attacked Machado in early-morning tweets.", [("Machado", "attacked", "Trump", "indirect")]),
        # infinitives the parser hangs on the cue are one content
        (
            "She wants to triple the size of the program, grow the Peace Corps and create a new national "
            "service reserve.",
            [
                (
                    "to triple the size of the program, grow the Peace Corps and create a new national "
                    "service reserve",
                    "wants",
                    "She",
                    "indirect",
                )
            ],
        ),
        # a passive with an agent: the agent's view of the subject
        (
            "The Democratic nominee has been endorsed by The New York Times.",
            [("The Democratic nominee", "has been endorsed", "The New York Times", "indirect")],
        ),
        # "According to X, …" parsed with the clause under the source
        (
            "The plan failed.\n\nAccording to conservative radio host Rush Limbaugh, the move reeks of "
            "fear.\n",
            [("the move reeks of fear", "According to", "conservative radio host Rush Limbaugh", "indirect")],
        ),
        # an adjective's preposition
        (
            "Senator Graham has been critical of Trump.",
            [("Trump", "been critical", "Senator Graham", "indirect")],
        ),
        # a relative clause the content goes on after stays; a trailing one of place is cut
        (
            "Officials say the program, which was created in 1990, has expanded well beyond its original "
            "intent.",
            [
                (
                    "the program, which was created in 1990, has expanded well beyond its original intent",
                    "say",
                    "Officials",
                    "indirect",
                )
            ],
        ),
        (
            "The poll shows a close contest in the state, where 18 electoral votes are up for grabs.",
            [("a close contest in the state", "shows", "The poll", "indirect")],
        ),
        # a gloss after a dash is the reporter's
        (
            "Gingrich dismissed Estonia as being in the suburbs of St. Petersburg — a metaphor for the "
            "party's abandonment of principle.",
            [("Estonia as being in the suburbs of St. Petersburg", "dismissed", "Gingrich", "indirect")],
        ),
        # of two subjects the parser gives a headline verb, the one next to it
        (
            "The Latest: Trump urges supporters to monitor polling places.",
            [("supporters to monitor polling places", "urges", "Trump", "indirect")],
        ),
        # a possessive pronoun holds a reporting noun
        (
            "His decision to leave the race surprised his allies.",
            [("to leave the race", "decision", "His", "indirect")],
        ),
        # an agentless passive allegation: the subject and what it is accused of, no speaker
        (
            "Mr. Quiros was accused of using $50 million for personal expenses.",
            [
                (
                    "Mr. Quiros was accused of using $50 million for personal expenses",
                    "was accused",
                    None,
                    "indirect",
                )
            ],
        ),
        # "speaking to reporters": the addressee is no content
        ("The senator spoke to Reuters on Monday.", []),
    ],
)
def test_polnear_driven_boundaries(text: str, rows: list[tuple[str, str, str | None, str]]) -> None:
    assert _rows(text) == rows


def test_second_report_in_another_tense_is_its_own_statement() -> None:
    text = (
        "Merrill says Machado promised to continue supporting Clinton and said she would stand up to the "
        "attacks."
    )
    assert _rows(text) == [
        ("Machado promised to continue supporting Clinton", "says", "Merrill", "indirect"),
        ("to continue supporting Clinton", "promised", "Machado", "indirect"),
        ("she would stand up to the attacks", "said", "Machado", "indirect"),
    ]


def test_passive_by_nobody_and_scare_quote_is_no_statement() -> None:
    assert find_statements("The so-called “peace plan” was endorsed by nobody.") == []


def test_a_topic_before_a_headline_colon_is_no_speaker() -> None:
    # "Sanders: …" names who speaks; "Alvarez verdict: …" names what the article is about
    text = "Alvarez verdict: what happens next\n\nJorge Alvarez was convicted on March 4."
    assert find_statements(text) == []


def test_a_pronoun_continues_the_described_speaker_not_a_name_in_their_words() -> None:
    text = (
        "A senior Ukrainian official, who asked not to be named, said Kyiv expected a new aid package. "
        "She added that talks with Washington would continue."
    )
    (_, added) = find_statements(text)
    assert added.speaker is not None and text[added.speaker[0] : added.speaker[1]] == "She"
    assert added.speaker_antecedent is not None
    assert text[added.speaker_antecedent[0] : added.speaker_antecedent[1]] == "A senior Ukrainian official"


def test_an_unnamed_source_continued_by_a_pronoun_is_typed_and_named_by_its_description(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    import storyline

    text = (
        "A senior Ukrainian official, who asked not to be named, said Kyiv expected a new aid package. "
        "She added that talks with Washington would continue."
    )
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps({"text": text, "title": "Aid", "published": "2025-12-01"}) + "\n", encoding="utf-8"
    )
    with storyline.open(tmp_path / "s.db") as corpus:
        corpus.add([path])
        corpus.analyze()
        rows = corpus.quotes()
    added = next(q for q in rows if q["content"]["text"].startswith("that talks"))
    assert (added["speaker"], added["speaker_kind"]) == ("A senior Ukrainian official", "pronoun")
    assert added["anonymous"] == {
        "count": 1,
        "affiliation": "Ukrainian",
        "descriptor": "senior Ukrainian official",
    }


def test_a_frame_before_a_coordinated_clause_reports_the_clause_before_it() -> None:
    """ "A, the governor said, and B": the frame is no part of what was said."""
    text = (
        "At least three people were killed in Odesa, regional governor Oleh Kiper said, and a 12-year-old "
        "boy was injured in Dnipro."
    )
    assert _rows(text) == [
        ("At least three people were killed in Odesa", "said", "regional governor Oleh Kiper", "indirect")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Washington hoped to announce a deal before Christmas.",
        "Republicans have been trying to question several of those individuals.",
        "The ministry is preparing to announce new sanctions.",
        # one declined
        "Trump said it was too early to say whether a deal would follow.",
        "It is hard to say what Putin wants.",
    ],
)
def test_a_report_hoped_for_or_planned_is_not_made(text: str) -> None:
    """ "hoped to announce a deal": the announcement is no statement (what is hoped may be)."""
    assert [cue for _, cue, _, _ in _rows(text) if cue.endswith(("announce", "question", "say"))] == []


@pytest.mark.parametrize(
    ("text", "reports"),
    [
        # arms on either side of the verb, or a state attacking a city: an attack, not words
        ("Russian forces attacked Kyiv overnight.", []),
        ("Russia attacked Ukraine's grid with 412 drones and 28 missiles.", []),
        ("Russia attacked Kyiv overnight.", []),
        # a person attacks with words, and so may a state attack a state
        ("Trump attacked Machado in early-morning tweets.", [("attacked", "Trump")]),
        ("China attacked the US over tariffs.", [("attacked", "China")]),
    ],
)
def test_an_armed_attack_is_no_report(text: str, reports: list[tuple[str, str]]) -> None:
    assert [(cue, speaker) for _, cue, speaker, _ in _rows(text)] == reports


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Peskov was quick to say that Moscow was ready.", "Peskov"),
        ("Zelensky was careful to stress that Kyiv had not agreed.", "Zelensky"),
    ],
)
def test_an_adjective_controls_the_report_of_its_subject(text: str, speaker: str) -> None:
    """ "Peskov was quick to say …": who says is the subject of "was quick"."""
    assert [sp for _, _, sp, _ in _rows(text)] == [speaker]


def test_a_statement_on_a_website_is_not_about_it() -> None:
    """ "In a statement on its website, the ministry said …": where the statement is, not what about."""
    text = (
        "In a statement on its website, the Russian Defence Ministry said its forces had captured the "
        "village of Kurakhove."
    )
    assert [(content, cue) for content, cue, _, _ in _rows(text)] == [
        ("its forces had captured the village of Kurakhove", "said")
    ]
