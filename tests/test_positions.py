"""Positions per article (stance, issue, holder) and the corpus ledger (history, changes, contradictions)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import storyline
from storyline.analyze.entities import find_mentions
from storyline.analyze.nlp import get_nlp
from storyline.analyze.positions import Position, find_positions, gold_issue, gold_stance
from storyline.analyze.quotes import find_statements
from storyline.gazetteer import load_gazetteer
from storyline.link.positions import Entry, PositionLedger, opposite
from storyline.taxonomy import parse_taxonomy

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = SHARED / "gold" / "gold_positions.jsonl"
SEEDS = SHARED / "corpus" / "seeds"

# Measured on the two annotated seeds (000, 002) with the rules of this commit; a drop fails the test.
RECALL_FLOOR = 0.95  # 21 / 22
ISSUE_ACCURACY_FLOOR = 1.00  # 21 / 21
STANCE_ACCURACY_FLOOR = 0.90  # 19 / 21


def positions(text: str) -> list[Position]:
    doc = get_nlp()(text)
    statements = find_statements(text, nlp_doc=doc)
    mentions = find_mentions(text, nlp_doc=doc, gazetteer=load_gazetteer())
    return find_positions(text, statements=statements, mentions=mentions, nlp_doc=doc)


def only(text: str) -> Position:
    found = positions(text)
    assert len(found) == 1, [(p.holder_text, p.issue, p.stance, p.content) for p in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "holder", "issues", "stance"),
    [
        ("The Kremlin rejected any ceasefire before Ukrainian troops withdraw.", "Kremlin", {"ceasefire"},
         "rejection"),
        ("Zelensky offered to meet Putin in Istanbul.", "Zelensky", {"negotiation_format"}, "offer"),
        ("Moscow demands that Kyiv renounce NATO membership.", "Moscow", {"nato"}, "demand"),
        ("Speaking in Moscow, he said Russia never intended to attack Europe.", "he",
         {"security_guarantees", "other"}, "stance"),
        ("Putin rejected any concessions.", "Putin", {"other"}, "rejection"),
        ("Kyiv is ready to accept a truce only if Russia withdraws its troops from Kherson.", "Kyiv",
         {"ceasefire"}, "condition"),
        ("Sybiha said the proposal to freeze the front line was not correct.", "Sybiha", {"territory"},
         "rejection"),
        ("Peskov said talks with Kyiv were pointless.", "Peskov", {"negotiation_format"}, "rejection"),
        ("Zelensky refused to cede any territory in the Donbas.", "Zelensky", {"territory"}, "rejection"),
        ("Trump urged Europe to stop buying Russian oil.", "Trump", {"sanctions"}, "demand"),
        ("The European Union is willing to send peacekeepers to Ukraine.", "European Union",
         {"security_guarantees"}, "offer"),
        ("Ukraine will never recognise Crimea as Russian, Zelensky said.", "Zelensky", {"territory"},
         "rejection"),
        ("Kellogg said it was obvious that Russia is winning the war.", "Kellogg", {"other"}, "assessment"),
        ("Ushakov said no compromise has been found on the territorial question.", "Ushakov",
         {"territory"}, "assessment"),
        ("Witkoff proposed a trilateral summit in Budapest.", "Witkoff", {"negotiation_format"}, "offer"),
        ("Russia insists on a written security guarantee that NATO will not expand.", "Russia",
         {"security_guarantees"}, "demand"),
        ("Kyiv called for more weapons and air defense systems.", "Kyiv", {"military_aid"}, "demand"),
        ("The Ukrainian side wants the return of all prisoners and deported children.", "Ukrainian side",
         {"humanitarian"}, "demand"),
        ("Lavrov dismissed the European peacekeeping plan.", "Lavrov", {"security_guarantees"}, "rejection"),
        ("Zelensky has said he is open to a meeting with Putin.", "Zelensky", {"negotiation_format"},
         "offer"),
        ("Putin told Witkoff that Moscow would never give up the Donbas.", "Putin", {"territory"},
         "rejection"),
        ("The Kremlin is unlikely to offer any concessions on Crimea.", "Kremlin", {"territory"}, "stance"),
        ("Moscow has shown no sign that it is ready to stop the war.", "Moscow", {"ceasefire"}, "rejection"),
        # the alliance's members are no NATO issue
        ("Trump has promised to brief some of his NATO allies on the call.", "Trump", {"other"}, "offer"),
    ],
)  # fmt: skip
def test_stance_issue_and_holder(text: str, holder: str, issues: set[str], stance: str) -> None:
    p = only(text)
    assert p.holder_text == holder
    assert p.holder is not None and text[p.holder[0] : p.holder[1]] == holder
    assert p.issue in issues
    assert p.stance == stance
    assert 0 < len(p.content.split()) <= 15
    assert p.start <= p.clause[0] <= p.clause[1] <= p.end


@pytest.mark.parametrize(
    ("text", "holder", "stance"),
    [
        ("Putin rejected any concessions on the occupied territories.", "Putin", "rejection"),
        ("Witkoff is ready to travel to Moscow for talks.", "Witkoff", "offer"),
        ("European leaders are pressing for new sanctions on Russian oil buyers.", "European leaders",
         "demand"),
        ("The Kremlin ruled out a ceasefire.", "Kremlin", "rejection"),
        ("Ukrainian negotiators declined to discuss territory.", "Ukrainian negotiators", "rejection"),
    ],
)  # fmt: skip
def test_unattributed_sentences_are_positions(text: str, holder: str, stance: str) -> None:
    doc = get_nlp()(text)
    mentions = find_mentions(text, nlp_doc=doc, gazetteer=load_gazetteer())
    p = find_positions(text, statements=[], mentions=mentions, nlp_doc=doc)
    assert [(x.holder_text, x.stance, x.statement) for x in p] == [(holder, stance, None)]


@pytest.mark.parametrize(
    ("text", "stances"),
    [
        ("Zelensky called on Putin to agree to a ceasefire.", [("Zelensky", "ceasefire", "demand")]),
        ("Zelensky called for an unconditional ceasefire.", [("Zelensky", "ceasefire", "demand")]),
        # "call" without "for"/"on" names or judges: no demand
        ("Zelensky called the ceasefire proposal a trap.", [("Zelensky", "ceasefire", "stance")]),
    ],
)
def test_call_demands_only_with_for_or_on(text: str, stances: list[tuple[str, str, str]]) -> None:
    doc = get_nlp()(text)
    mentions = find_mentions(text, nlp_doc=doc, gazetteer=load_gazetteer())
    statements = find_statements(text, nlp_doc=doc)
    found = find_positions(text, statements=statements, mentions=mentions, nlp_doc=doc)
    assert [(p.holder_text, p.issue, p.stance) for p in found] == stances


@pytest.mark.parametrize(
    ("text", "holders"),
    [
        # a list of names, however the parser hangs it, holds the position together
        ("Keir Starmer, Emmanuel Macron and Friedrich Merz agreed that the front line should be the border.",
         ["Keir Starmer", "Emmanuel Macron", "Friedrich Merz"]),
        ("Starmer and Macron said that the front line should be the border.", ["Starmer", "Macron"]),
        # a name and a described person are no list; a title's country is no co-holder
        ("Putin and his aide Yuri Ushakov said the front line should be the border.", ["Putin"]),
        ("U.S. President Donald Trump said the front line should be the border.", ["Donald Trump"]),
    ],
)  # fmt: skip
def test_each_name_of_a_list_holds_the_position(text: str, holders: list[str]) -> None:
    assert [p.holder_text for p in positions(text)] == holders


@pytest.mark.parametrize(
    "text",
    [
        "Is this what Europe wants to reward?",
        "Will Russia accept a ceasefire?",
        '"Why would Ukraine accept a ceasefire?" Zelensky asked.',
    ],
)
def test_a_question_holds_no_position(text: str) -> None:
    assert positions(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a proposal, demand or refusal is held by who makes, voices or keeps it, not by who answers,
        # studies or receives it
        ("Ukraine presented a ceasefire proposal.", [("Ukraine", "ceasefire", "offer")]),
        ("Moscow is studying the ceasefire proposal.", []),
        ("Putin stuck to his demand for a ceasefire.", [("Putin", "ceasefire", "demand")]),
        ('"Russia answers every ceasefire proposal with missiles," Sybiha wrote.',
         [("Sybiha", "ceasefire", "stance")]),
    ],
)  # fmt: skip
def test_a_proposal_is_held_by_who_makes_it(text: str, found: list[tuple[str, str, str]]) -> None:
    assert [(p.holder_text, p.issue, p.stance) for p in positions(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # whom another presses, or sets a deadline for, to accept holds no view of their own: the one who
        # presses demands
        ("Washington has pressed Kyiv to accept the ceasefire.", [("Washington", "ceasefire", "demand")]),
        ("Rubio said a deadline set by Trump for Kyiv to accept the ceasefire was not fixed.",
         [("Rubio", "ceasefire", "stance")]),
        ("Trump called for Kyiv to accept the ceasefire.", [("Trump", "ceasefire", "demand")]),
        ("Kyiv agreed to accept the ceasefire.", [("Kyiv", "ceasefire", "offer")]),
        # "the US" is no "us": inside reported speech it holds its own position, not the speaker's
        ("Zelenskyy said Ukraine was in danger as the US pushes Kyiv to accept the ceasefire.",
         [("US", "ceasefire", "demand")]),
    ],
)  # fmt: skip
def test_who_is_pressed_to_act_holds_no_position(text: str, found: list[tuple[str, str, str]]) -> None:
    assert [(p.holder_text, p.issue, p.stance) for p in positions(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # what others are to do and when is a schedule reported, not the speaker's stance
        ("Two sources said senior U.S. and Ukrainian officials will meet in Geneva on Sunday.", []),
        ("The Commission said the talks are set to resume on April 8.", []),
        ("A senior official said the talks would resume on Thursday.", []),
        ("The Kremlin said the talks would take place in Istanbul.", []),
        ("Ushakov said U.S. envoy Steve Witkoff was expected in Moscow early next week.", []),
        ("Officials said the envoy is due in Kyiv on Friday.", []),
        # an intention, a demand, a refusal are
        ("Zelensky said he would meet Putin in Istanbul.", [("Zelensky", "negotiation_format", "stance")]),
        ("Peskov said negotiations must resume without preconditions.",
         [("Peskov", "negotiation_format", "demand")]),
    ],
)  # fmt: skip
def test_a_reported_schedule_is_no_position(text: str, found: list[tuple[str, str, str]]) -> None:
    assert [(p.holder_text, p.issue, p.stance) for p in positions(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a pause, the economy and a meeting of a central bank are not the war's issues
        ("The bank paused its rate cuts and Lagarde said more easing was possible.", []),
        ("Lagarde said the economic outlook was uncertain.", []),
        ("Lagarde said decisions would be taken meeting by meeting.", []),
        # a place things are at, a storm's region and a report of what a company is doing hold no view
        ("Officials said aid was waiting at the border.", []),
        ("Sheinbaum said she would travel to the region on Tuesday.", []),
        ("Maersk said it was diverting 14 vessels to Antwerp.", []),
        # a verdict on how a side behaves does
        (
            "“Russia is not negotiating—it’s stalling,” said one Ukrainian official.",
            [("one Ukrainian official", "negotiation_format", "assessment")],
        ),
        ("Ukraine will never accept new borders, Zelensky said.", [("Ukraine", "territory", "rejection")]),
        # a stance given up is not held; a civilian programme and weapons counted are no aid or civilians
        ("Russia dropped its demand for a buffer zone.", []),
        (
            "Iran agreed to direct talks, Araqchi said, reversing Tehran's refusal of a month ago.",
            [("Iran", "negotiation_format", "offer")],
        ),
        ("Witkoff said Iran can have a civilian nuclear programme.", []),
        ("The IAEA said Iran's stockpile of uranium was enough for six weapons.", []),
        ("Scholz said Germany would send more weapons to Kyiv.", [("Scholz", "military_aid", "stance")]),
        # the fighting's pause, pressure and meetings are
        (
            "The Kremlin said it has no intention of pausing its campaign of destruction.",
            [("Kremlin", "ceasefire", "stance")],
        ),
        ("Zelensky said Ukraine would accept a 30-day pause.", [("Ukraine", "ceasefire", "offer")]),
        (
            "Ukrainian leaders said the West must ramp up pressure on Moscow.",
            [("Ukrainian leaders", "sanctions", "demand")],
        ),
        (
            "Zelensky said he was ready for a meeting with Putin.",
            [("Zelensky", "negotiation_format", "offer")],
        ),
    ],
)
def test_issue_words_of_other_domains_hold_no_position(text: str, found: list[tuple[str, str, str]]) -> None:
    assert [(p.holder_text, p.issue, p.stance) for p in positions(text)] == found


def test_a_list_of_demands_gives_one_position_per_issue() -> None:
    text = (
        "Moscow reiterated its demands: that Ukraine surrender occupied territories, renounce NATO "
        "membership, and adopt permanent neutrality."
    )
    found = positions(text)
    assert [(p.holder_text, p.issue, p.stance) for p in found] == [
        ("Moscow", "territory", "demand"),
        ("Moscow", "nato", "demand"),
        ("Moscow", "neutrality", "demand"),
    ]
    assert {(p.start, p.end) for p in found} == {(0, len(text))}
    assert found[1].alt_issues == ("territory", "neutrality")


def test_holder_inside_reported_speech() -> None:
    text = "“Trump wants Putin to agree to a truce but he absolutely doesn’t want to,” said Sergei Markov."
    found = positions(text)
    assert [(p.holder_text, p.issue, p.stance) for p in found] == [
        ("Trump", "ceasefire", "demand"),
        ("Putin", "ceasefire", "rejection"),
    ]
    # first person: the speaker holds the position
    p = only("“We must eliminate the root causes of the crisis,” Putin said.")
    assert (p.holder_text, p.stance, p.holder_source) == ("Putin", "demand", "speaker")


def test_position_round_trips_through_json() -> None:
    from dataclasses import asdict

    for p in positions("Moscow demands that Kyiv renounce NATO membership, Peskov said."):
        assert Position.from_json(json.loads(json.dumps(asdict(p)))) == p


def test_headlines_and_topics_are_not_positions() -> None:
    assert find_positions("Putin Rejects Concessions, Vows to Capture Ukraine", statements=[]) == []
    assert find_positions("The proposal was discussed at length.", statements=[]) == []


def test_user_taxonomy_changes_issues() -> None:
    tax = parse_taxonomy(
        "replace: true\nissues:\n  - name: energy\n    patterns: {regex: ['\\bgas\\b']}\n"
        "stances:\n  demand:\n    verbs: [clamor for]\n"
    )
    text = "Hungary is clamoring for cheap gas."
    p = find_positions(text, statements=[], taxonomy=tax)
    assert [(x.issue, x.stance) for x in p] == [("energy", "demand")]


@pytest.mark.parametrize(
    ("issue", "gold"),
    [("military_aid", "other"), ("humanitarian", "other"), ("territory", "territory"), ("x", "other")],
)
def test_gold_issue(issue: str, gold: str) -> None:
    assert gold_issue(issue) == gold


@pytest.mark.parametrize(
    ("stance", "gold"),
    [("condition", "demand"), ("demand", "demand"), ("assessment", "assessment"), ("stance", "stance")],
)
def test_gold_stance(stance: str, gold: str) -> None:
    assert gold_stance(stance) == gold


_WORDS = st.sampled_from(
    "Putin Zelensky Moscow Kyiv rejected demanded offered wants ready to a the ceasefire NATO territory "
    "talks sanctions never must only if , . “ ” said he and troops withdraw".split()
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS, min_size=1, max_size=25))
def test_spans_stay_inside_the_text(words: list[str]) -> None:
    text = " ".join(words)
    for p in positions(text):
        assert 0 <= p.start <= p.end <= len(text)
        assert p.start <= p.clause[0] <= p.clause[1] <= p.end or p.statement is not None
        if p.holder is not None:
            assert 0 <= p.holder[0] < p.holder[1] <= len(text)
        if p.cue is not None:
            assert 0 <= p.cue[0] < p.cue[1] <= len(text)
        assert len(p.content.split()) <= 15


# ----------------------------------------------------------------------------------- gold evaluation


def evaluate_seeds() -> dict[str, Any]:
    """Recall (a gold position's evidence overlaps a system position's), issue accuracy (a system
    position overlapping it has a gold label in {issue} ∪ alt_issues) and stance accuracy over found."""
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    found = issue_ok = stance_ok = 0
    for seed in sorted({g["seed"] for g in gold}):
        text = (SEEDS / seed).read_text(encoding="utf-8")
        system = positions(text)
        for g in (g for g in gold if g["seed"] == seed):
            assert text[g["char_start"] : g["char_end"]] == g["evidence"]
            over = [p for p in system if p.start < g["char_end"] and g["char_start"] < p.end]
            if not over:
                continue
            found += 1
            labels = {g["issue"], *g["alt_issues"]}
            issue_ok += any(gold_issue(p.issue) in labels for p in over)
            stance_ok += any(gold_stance(p.stance) == g["stance_type"] for p in over)
    return {
        "gold": len(gold),
        "recall": found / len(gold),
        "issue_accuracy": issue_ok / max(found, 1),
        "stance_accuracy": stance_ok / max(found, 1),
    }


@pytest.mark.skipif(not GOLD.is_file(), reason="shared gold annotations absent")
def test_seed_scores_stay_above_their_floors() -> None:
    scores = evaluate_seeds()
    assert scores["gold"] == 22
    assert scores["recall"] >= RECALL_FLOOR, scores
    assert scores["issue_accuracy"] >= ISSUE_ACCURACY_FLOOR, scores
    assert scores["stance_accuracy"] >= STANCE_ACCURACY_FLOOR, scores


# ------------------------------------------------------------------------------------------- ledger


def pos(stance: str, issue: str = "ceasefire", *, start: int = 0, content: str = "a ceasefire") -> Position:
    return Position(
        start=start,
        end=start + 10,
        issue=issue,
        stance=stance,
        content=content,
        clause=(start, start + 10),
        holder=(start, start + 5),
        holder_text="Putin",
    )


def putin(start: int, end: int) -> str | None:
    return "vladimir-putin"


def test_ledger_history_is_in_date_order_with_citations() -> None:
    ledger = PositionLedger()
    ledger.add("b", [pos("offer")], actor_of=putin, published=date(2025, 8, 1), outlet="Reuters")
    ledger.add("c", [pos("demand", start=20)], actor_of=putin, published=None, outlet="TASS")
    ledger.add("a", [pos("rejection")], actor_of=putin, published=date(2025, 5, 18), outlet="Kyiv Insider")
    history = ledger.history("vladimir-putin", "ceasefire")
    assert [(e.article_id, e.stance) for e in history] == [
        ("a", "rejection"),
        ("b", "offer"),
        ("c", "demand"),
    ]
    assert history[0].citation == ("a", 0, 10)
    assert list(ledger.matrix()) == ["vladimir-putin"]
    assert [e.article_id for e in ledger.matrix()["vladimir-putin"]["ceasefire"]] == ["a", "b", "c"]


def test_ledger_flags_a_change() -> None:
    ledger = PositionLedger()
    ledger.add("a", [pos("rejection")], actor_of=putin, published=date(2025, 5, 18), outlet="X")
    ledger.add("b", [pos("rejection")], actor_of=putin, published=date(2025, 6, 1), outlet="X")
    ledger.add("c", [pos("offer")], actor_of=putin, published=date(2025, 8, 1), outlet="X")
    ledger.add("d", [pos("assessment")], actor_of=putin, published=date(2025, 9, 1), outlet="X")
    flags = ledger.flags("vladimir-putin", "ceasefire")
    assert [(f.kind, f.before.article_id, f.after.article_id) for f in flags] == [("change", "b", "c")]
    assert flags[0].note == "rejection on 2025-06-01 → offer on 2025-08-01"
    # declared views and a demand turning into a condition are no change
    ledger.add("e", [pos("stance")], actor_of=putin, published=date(2025, 10, 1), outlet="X")
    ledger.add("f", [pos("demand")], actor_of=putin, published=date(2025, 11, 1), outlet="X")
    ledger.add("g", [pos("condition")], actor_of=putin, published=date(2025, 12, 1), outlet="X")
    changes = [(f.before.article_id, f.after.article_id) for f in ledger.flags("vladimir-putin", "ceasefire")]
    assert changes == [("b", "c"), ("c", "f")]


@pytest.mark.parametrize(
    ("first", "second", "gap_days", "outlets", "contradiction"),
    [
        (("offer", "a ceasefire"), ("rejection", "a ceasefire"), 0, ("X", "X"), True),
        (("offer", "a ceasefire"), ("rejection", "a ceasefire"), 3, ("X", "Y"), True),
        (("offer", "a ceasefire"), ("rejection", "a ceasefire"), 3, ("X", "X"), False),
        (("offer", "a ceasefire"), ("rejection", "a ceasefire"), 30, ("X", "Y"), False),
        (("demand", "withdrawal from Donbas"), ("rejection", "any withdrawal"), 0, ("X", "X"), True),
        (("demand", "withdrawal from Donbas"), ("rejection", "new sanctions"), 0, ("X", "X"), False),
        (("demand", "a ceasefire"), ("offer", "a ceasefire"), 0, ("X", "X"), False),
        (("stance", "a ceasefire"), ("rejection", "a ceasefire"), 0, ("X", "X"), False),
    ],
)  # fmt: skip
def test_ledger_contradictions(
    first: tuple[str, str],
    second: tuple[str, str],
    gap_days: int,
    outlets: tuple[str, str],
    contradiction: bool,
) -> None:
    ledger = PositionLedger(window_days=7)
    d1 = date(2025, 5, 1)
    d2 = date.fromordinal(d1.toordinal() + gap_days)
    ledger.add("a", [pos(first[0], content=first[1])], actor_of=putin, published=d1, outlet=outlets[0])
    ledger.add("b", [pos(second[0], content=second[1])], actor_of=putin, published=d2, outlet=outlets[1])
    kinds = [f.kind for f in ledger.flags("vladimir-putin", "ceasefire")]
    assert ("contradiction" in kinds) is contradiction


@pytest.mark.parametrize(
    ("offer", "rejection", "flagged"),
    [
        # "other" holds what no issue names: an offer and a rejection there are opposite only when
        # they are about the same thing
        ("ready to study the proposals", "reject any plan that capped its army", False),
        ("ready to sign the plan", "reject the plan", True),
    ],
)
def test_on_the_other_issue_opposites_need_the_same_thing(offer: str, rejection: str, flagged: bool) -> None:
    day = date(2025, 11, 25)
    for later, kind in ((0, "contradiction"), (3, "change")):  # the same day; a later day
        ledger = PositionLedger(window_days=7)
        ledger.add("a", [pos("offer", "other", content=offer)], actor_of=putin, published=day, outlet="X")
        when = date.fromordinal(day.toordinal() + later)
        ledger.add(
            "b", [pos("rejection", "other", content=rejection)], actor_of=putin, published=when, outlet="X"
        )
        assert [f.kind for f in ledger.flags("vladimir-putin", "other")] == ([kind] if flagged else [])


def test_ledger_readding_an_article_replaces_it_and_unresolved_holders_are_counted() -> None:
    ledger = PositionLedger()
    ledger.add("a", [pos("offer"), pos("demand", "nato")], actor_of=putin, published=None, outlet=None)
    ledger.add("a", [pos("rejection")], actor_of=putin, published=None, outlet=None)
    assert len(ledger) == 1
    assert ledger.matrix() == {"vladimir-putin": {"ceasefire": ledger.history("vladimir-putin", "ceasefire")}}
    ledger.add("z", [pos("offer")], actor_of=lambda s, e: None, published=None, outlet=None)
    assert ledger.unresolved == 1 and len(ledger) == 1
    ledger.remove("a")
    assert ledger.matrix() == {}


def test_opposite_pairs() -> None:
    def e(stance: str, content: str = "x y z") -> Entry:
        return Entry(
            actor_id="a",
            issue="i",
            stance=stance,
            content=content,
            article_id="1",
            start=0,
            end=1,
            clause=(0, 1),
        )

    assert opposite(e("offer"), e("rejection"))
    assert opposite(e("rejection", "troops"), e("demand", "troops withdraw"))
    assert not opposite(e("demand"), e("offer"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a report of fact: no stance word, no issue of the taxonomy
        ("About 4,500 tractors took part in Monday's protests, according to the farmers' union.", []),
        ("The ministry said 120 trucks reached the city last week.", []),
        # a stance phrase in the content, or an issue, makes it a position
        ("The union said farmers must be protected from cheap imports.", [("union", "other", "demand")]),
        ("The ministry said the ceasefire was holding.", [("ministry", "ceasefire", "assessment")]),
    ],
)
def test_a_statement_is_a_position_only_with_a_stance_or_an_issue(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert [((p.holder_text or "").split()[-1], p.issue, p.stance) for p in positions(text)] == expected


def test_speaking_on_condition_of_anonymity_sets_no_condition() -> None:
    text = "An official, speaking on condition of anonymity, said Kyiv was ready to resume talks on Thursday."
    assert [(p.issue, p.stance) for p in positions(text)] == [("negotiation_format", "offer")]
    assert [p.stance for p in positions("Kyiv will talk only on condition that Russia withdraws.")] == [
        "condition"
    ]


@pytest.mark.parametrize(
    "text",
    [
        '"We will not give up our land," Karin Holmqvist said.',
        "Holmqvist said Kyiv won't recognise the occupied regions as Russian.",
        "Holmqvist said her government could not accept a ceasefire on those terms.",
    ],
)
def test_refusing_to_give_up_or_accept_is_a_rejection(text: str) -> None:
    assert [p.stance for p in positions(text)] == ["rejection"]


def test_each_sentence_of_a_long_quote_can_hold_a_position() -> None:
    text = (
        '"Ukraine will never give up its land. We are ready for a ceasefire along the current line, '
        'but not for capitulation," Volodymyr Zelensky said.'
    )
    assert [(p.issue, p.stance, p.content) for p in positions(text)] == [
        ("territory", "rejection", "Ukraine will never give up its land"),
        ("ceasefire", "offer", "ready for a ceasefire along the current line"),
    ]


def test_a_contrasted_clause_is_the_other_actors_position() -> None:
    text = (
        "Germany, whose carmakers sell more than a third of their cars in China, has pushed for a deal, "
        "while France has insisted on keeping the duties until China makes concrete commitments."
    )
    doc = get_nlp()(text)
    mentions = find_mentions(text, nlp_doc=doc, gazetteer=load_gazetteer())
    got = find_positions(text, statements=[], mentions=mentions, nlp_doc=doc)
    assert [(p.holder_text, p.stance, text[p.clause[0] : p.clause[1]]) for p in got] == [
        ("Germany", "demand", "pushed for a deal"),
        ("France", "demand", "insisted on keeping the duties until China makes concrete commitments"),
    ]


def test_insisting_that_something_is_so_is_no_demand() -> None:
    # "insist on" demands, and so does what is insisted with "must"; "insists she sees a path" asserts
    assert [(p.stance, p.content) for p in positions("Ursula von der Leyen insists she sees a path.")] == []
    got = positions("France has insisted the duties must stay until China makes concrete commitments.")
    assert [(p.stance, p.content) for p in got] == [
        ("demand", "insist the duties must stay until China makes concrete commitments")
    ]


def test_ready_for_a_settlement_is_an_offer_and_the_speakers_own_side_is_the_speaker() -> None:
    text = "Hemedti said his forces were ready for a comprehensive ceasefire."
    assert [(p.holder_text, p.issue, p.stance, p.content) for p in positions(text)] == [
        ("Hemedti", "ceasefire", "offer", "ready for a comprehensive ceasefire")
    ]
    # ready for a war declares a view; it offers nothing
    assert [(p.stance, p.content) for p in positions("Putin is ready for a protracted war.")] == [
        ("stance", "ready for a protracted war")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the deadline's day is no holder: the one who set it is
        ("U.S. President Donald Trump said on Friday that Kyiv had until Thursday to accept the plan, which "
         "would require Ukraine to cede the rest of the eastern Donetsk region.",
         [("Donald Trump", "territory")]),
        # what Kyiv might do in a condition is no position of Kyiv's
        ("Russian President Vladimir Putin warned that Russian troops would keep advancing if Kyiv rejected "
         "it.", []),
    ],
)  # fmt: skip
def test_a_condition_holds_no_position_and_a_date_no_view(text: str, expected: list[tuple[str, str]]) -> None:
    doc = get_nlp()(text)
    mentions = find_mentions(text, nlp_doc=doc, gazetteer=load_gazetteer())
    statements = find_statements(text, nlp_doc=doc)
    found = find_positions(text, statements=statements, mentions=mentions, nlp_doc=doc)
    assert [(p.holder_text, p.issue) for p in found] == expected


def test_the_speakers_own_country_is_the_speakers_side() -> None:
    got = only("Chinese Premier Li Qiang said his country was ready to import more European farm goods.")
    assert (got.holder_text, got.stance, got.content) == (
        "Li Qiang",
        "offer",
        "ready to import more European farm goods",
    )


def test_he_in_reported_speech_is_the_speaker_and_would_is_no_hedge() -> None:
    text = (
        "Nawrocki, who has never held elected office, told the broadcaster TV Republika that he would "
        "oppose sending Polish troops to Ukraine."
    )
    got = only(text)
    assert (got.holder_text, got.issue, got.stance, got.content) == (
        "Nawrocki",
        "security_guarantees",  # foreign troops sent to a country
        "rejection",
        "oppose sending Polish troops to Ukraine",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Trzaskowski, backed by Prime Minister Donald Tusk's Civic Coalition, won 31.36% of the vote.",
        "The president can veto legislation passed by parliament.",
    ],
)
def test_a_description_or_an_offices_power_is_no_position(text: str) -> None:
    assert positions(text) == []


def test_a_named_actor_that_can_accept_on_a_condition_still_holds_a_position() -> None:
    got = only("Russia can accept a ceasefire only if Ukraine withdraws.")
    assert (got.holder_text, got.issue, got.stance) == ("Russia", "ceasefire", "condition")


def test_an_indirect_question_holds_no_position() -> None:
    assert positions("European officials are watching whether Trump will ramp up pressure on Russia.") == []
    assert positions("Analysts asked whether Russia would accept a ceasefire.") == []
    got = only("Zelensky said Ukraine would accept a ceasefire whether or not Russia withdraws.")
    assert (got.holder_text, got.issue, got.stance) == ("Ukraine", "ceasefire", "offer")


def test_what_an_indefinite_thing_believes_in_a_relative_clause_is_a_description() -> None:
    text = "Ukraine defends its territory against a regime that still believes conquest is a right."
    assert positions(text) == []
    # an unnamed source in such a clause still speaks, and a named actor still holds its view
    got = only("They met an official who said Ukraine must withdraw from Donbas.")
    assert (got.holder_text, got.stance) == ("an official", "demand")
    got = only("Putin, who rejects any ceasefire, spoke on Monday.")
    assert (got.holder_text, got.issue, got.stance) == ("Putin", "ceasefire", "rejection")


@pytest.mark.parametrize(
    "text",
    [
        "A spokeswoman for the ministry declined to comment.",
        "Peskov declined to comment on the ceasefire proposal.",
        "The Kremlin declined to be drawn on the territory question.",
    ],
)
def test_declining_to_comment_is_no_position(text: str) -> None:
    assert positions(text) == []


def test_refusing_to_discuss_an_issue_is_still_a_rejection_and_a_later_clause_still_counts() -> None:
    got = only("Zelensky refused to discuss territorial concessions.")
    assert (got.holder_text, got.issue, got.stance) == ("Zelensky", "territory", "rejection")
    got = only("The Kremlin declined to comment, saying only that a ceasefire was not on the agenda.")
    assert (got.holder_text, got.issue) == ("Kremlin", "ceasefire")
    got = only("Peskov declined to comment on the ceasefire proposal, saying Moscow rejects any truce.")
    assert (got.holder_text, got.issue, got.stance, got.content) == (
        "Moscow",
        "ceasefire",
        "rejection",
        "reject any truce",
    )


def test_relayed_words_are_their_speakers_and_a_dateline_is_no_holder() -> None:
    # "according to Xinhua" reports He Lifeng's words: he holds the view, not the agency
    text = (
        'He Lifeng called the talks "an important step" toward a ceasefire, according to the Xinhua news '
        "agency."
    )
    (p,) = positions(text)
    assert (p.holder_text, p.cue_text, p.issue) == ("He Lifeng", "called", "negotiation_format")
    # the parser makes the dateline a second subject of the verb: the nearer one holds the position
    text = "BEIJING (AP) — China's Commerce Ministry on Wednesday urged the United States to lift sanctions."
    (p,) = positions(text)
    assert (p.holder_text, p.stance, p.issue) == ("Commerce Ministry", "demand", "sanctions")


def test_a_day_after_the_verb_is_no_particle() -> None:
    # "insisted on Tuesday that …" asserts; "insisted on a ceasefire" demands
    p = only("Scott Bessent insisted on Tuesday that the United States had kept its leverage on sanctions.")
    assert (p.holder_text, p.stance, p.issue) == ("Scott Bessent", "stance", "sanctions")
    p = only("Kyiv insisted on a ceasefire.")
    assert (p.holder_text, p.stance, p.issue) == ("Kyiv", "demand", "ceasefire")


def test_one_contradiction_per_pair_of_reports() -> None:
    # a headline and a lead restating one stance are one report of it
    ledger = PositionLedger(window_days=7)
    ledger.add(
        "a",
        [pos("rejection", start=0), pos("rejection", start=40)],
        actor_of=putin,
        published=date(2025, 5, 1),
        outlet="X",
    )
    ledger.add("b", [pos("offer")], actor_of=putin, published=date(2025, 5, 4), outlet="Y")
    flags = ledger.flags("vladimir-putin", "ceasefire")
    assert [(f.kind, f.before.article_id, f.after.article_id) for f in flags] == [
        ("change", "a", "b"),
        ("contradiction", "a", "b"),
    ]


def test_a_claim_the_sentence_denies_is_no_ones_stance() -> None:
    # Peskov denies that Putin rejected the plan: Putin's "rejection" is the claim Peskov denies
    text = (
        "Kremlin spokesman Dmitry Peskov insisted on Wednesday it was “not correct” to claim Putin had "
        "outright rejected the American plan."
    )
    assert [(p.holder_text, p.stance) for p in positions(text)] == [("Dmitry Peskov", "rejection")]
    assert [
        (p.holder_text, p.stance) for p in positions("Peskov said Putin had rejected the American plan.")
    ] == [("Putin", "rejection")]


def test_each_of_two_coordinated_subjects_holds_the_position() -> None:
    found = positions("Russia and Belarus rejected a ceasefire.")
    assert sorted((p.holder_text, p.stance, p.issue) for p in found) == [
        ("Belarus", "rejection", "ceasefire"),
        ("Russia", "rejection", "ceasefire"),
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # an act of force done, reported, is what happened: the timeline keeps it, no position
        ("The Air Force reported that Russian forces attacked Ukraine with 412 drones and 28 missiles.", []),
        ("Governor Oleh Kiper said three civilians were killed and five others injured in Odesa.", []),
        # a stance on the same acts is a position
        ("Zelensky said Russia must halt its strikes on power plants.",
         [("Zelensky", "ceasefire", "demand")]),
    ],
)  # fmt: skip
def test_a_reported_act_of_force_is_no_position(text: str, found: list[tuple[str, str, str]]) -> None:
    assert [(p.holder_text, p.issue, p.stance) for p in positions(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a relative clause whose object is the noun it describes says what the noun is
        ("Washington will send Kyiv the weapons it wants.", []),
        ("Leaders should send Kyiv the air defences it needs before winter deepens.", []),
        # a relative clause with its own object, or "that" as its object, states a position
        ("Putin, who wants a buffer zone, spoke on Friday.", [("Putin", "other", "demand")]),
        ("These are the guarantees that Ukraine demands.", [("Ukraine", "security_guarantees", "demand")]),
    ],
)  # fmt: skip
def test_a_gapped_relative_clause_holds_no_position(text: str, found: list[tuple[str, str, str]]) -> None:
    assert [(p.holder_text, p.issue, p.stance) for p in positions(text)] == found


def test_a_statement_the_text_dates_dates_its_position() -> None:
    """ "In May, Putin rejected …" in a December report is May's position: the ledger orders and flags
    by that date and keeps the report's."""
    ledger = PositionLedger()

    def stated(p: Position) -> tuple[str, date] | None:
        return ("2025-05", date(2025, 5, 1)) if p.start == 0 else None

    ledger.add(
        "a",
        [pos("rejection"), pos("offer", start=20)],
        actor_of=putin,
        published=date(2025, 12, 9),
        outlet="X",
        stated=stated,
    )
    history = ledger.history("vladimir-putin", "ceasefire")
    assert [(e.stance, e.to_json()["date"], e.to_json().get("reported")) for e in history] == [
        ("rejection", "2025-05", "2025-12-09"),
        ("offer", "2025-12-09", None),
    ]
    flags = ledger.flags("vladimir-putin", "ceasefire")
    assert [f.note for f in flags] == ["rejection on 2025-05 → offer on 2025-12-09"]


def _analysed(tmp_path: Path, text: str) -> storyline.Corpus:
    """A store with ``text`` as one article of outlet X published 2025-12-10 (its sidecar), analysed."""
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps({"outlet": "X", "published": "2025-12-10"}), encoding="utf-8")
    corpus = storyline.open(tmp_path / "s.db")
    corpus.add([tmp_path / "a.txt"])
    corpus.analyze()
    return corpus


def test_the_corpus_ledger_dates_positions_by_their_statements(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Zelensky shifts on territory\n\n"
        '"We are ready to discuss a ceasefire on the line of contact," Volodymyr Zelensky told reporters '
        "on Monday. In May, Zelensky rejected any territorial concessions. Sergei Lavrov said on Sunday "
        "that Moscow would demand the whole of the Donbas region.\n"
    )
    with _analysed(tmp_path, text) as corpus:
        rows = {
            (actor, issue, e.stance): e.to_json()
            for actor, cells in corpus.positions().matrix().items()
            for issue, entries in cells.items()
            for e in entries
        }
    assert rows[("volodymyr-zelensky", "ceasefire", "offer")]["date"] == "2025-12-08"  # told … on Monday
    assert rows[("volodymyr-zelensky", "territory", "rejection")]["date"] == "2025-05"  # In May, …
    assert rows[("russia", "territory", "demand")]["date"] == "2025-12-07"  # said on Sunday
    assert all(r["reported"] == "2025-12-10" for r in rows.values())


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # told what to do, in the writer's voice: not the subject's position
        ("Putin must agree to a ceasefire now.", []),
        ("European leaders should stop outsourcing their security to a mediator.", []),
        # in a statement, or in the first person, it is the speaker's
        ("We must never accept that deal, Zelensky said.", [("Zelensky", "other", "rejection")]),
        ("Russia must withdraw its troops, the minister said.", [("the minister", "territory", "demand")]),
    ],
)  # fmt: skip
def test_a_subject_told_what_to_do_holds_no_position(text: str, found: list[tuple[str, str, str]]) -> None:
    assert [(p.holder_text, p.issue, p.stance) for p in positions(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # on no issue and about nothing said: no position
        ("Russia, by contrast, has hardened its position.", []),
        ("Putin has softened his stance.", []),
        # on an issue, the word alone says where
        ("Moscow's position on the Donbas has not changed.", [("Moscow", "territory", "stance")]),
    ],
)  # fmt: skip
def test_a_position_about_nothing_is_none(text: str, found: list[tuple[str, str, str]]) -> None:
    assert [(p.holder_text, p.issue, p.stance) for p in positions(text)] == found


def test_the_export_dates_a_position_as_the_ledger_does(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Shift\n\nIn May, Zelensky rejected any territorial concessions. Zelensky said Kyiv was ready for "
        "a ceasefire.\n"
    )
    with _analysed(tmp_path, text) as corpus:
        article = next(iter(corpus.articles()))
        dates = {p["stance"]: p["date"] for p in corpus.annotations(article)["positions"]}
    assert dates == {"rejection": "2025-05", "offer": "2025-12-10"}


def test_a_corrected_time_expression_dates_the_position_it_opens(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = "Shift\n\nIn May, Zelensky rejected any territorial concessions.\n"
    with _analysed(tmp_path, text) as corpus:
        article = next(iter(corpus.articles()))
        start = article.text.index("May")
        corpus.correct(
            "date",
            {"article": article.id, "of": "timex", "start": start, "end": start + 3},
            "2025-05-14",
            author="al",
        )
        exported = [p["date"] for p in corpus.annotations(corpus.get(article.id))["positions"]]
        filed = [
            e.to_json()["date"]
            for cells in corpus.positions().matrix().values()
            for es in cells.values()
            for e in es
        ]
    assert exported == filed == ["2025-05-14"]
