"""Figures grouped across outlets (``corpus.figures()``): the same count of the same thing agrees,
different counts of it conflict, and amounts that do not say what they measure are never set against
each other."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import storyline

# Articles written for these tests (not the bundled samples).
ARTICLES = [
    {
        "text": "Trade between the two blocs reached 110 billion euros last year. About 4,500 tractors "
        "joined the protest, the union said. The deal would cut tariffs, saving companies roughly "
        "4 billion euros a year.",
        "title": "Trade talks",
        "outlet": "Daily One",
        "published": "2025-11-12",
    },
    {
        "text": "Police said 3,200 tractors joined the protest. The deal would cut tariffs, saving "
        "companies 4 billion euros a year. Officials hope to sign it soon.",
        "title": "Farmers protest",
        "outlet": "Second Post",
        "published": "2025-11-12",
    },
    {
        "text": "Russia fired 273 drones at the city overnight, the air force said.",
        "title": "Drone attack",
        "outlet": "Daily One",
        "published": "2025-11-14",
    },
    {
        "text": "Air defences intercepted 88 drones overnight. Russia launched more than 270 drones in all.",
        "title": "Air defence",
        "outlet": "Second Post",
        "published": "2025-11-14",
    },
    {
        "text": "The fund was given 60 billion euros. Officials expect more to come.",
        "title": "A fund",
        "outlet": "Third Wire",
        "published": "2025-11-13",
    },
]


@pytest.fixture(scope="module")
def groups(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict[str, Any]]:
    root = tmp_path_factory.mktemp("figure-groups")
    path = root / "articles.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    with storyline.open(root / "s.db") as corpus:
        corpus.add([path])
        assert corpus.analyze().analyzed == 5
        rows = corpus.figures()
    return {(g["what"], g["status"]): g for g in rows}


def test_different_counts_of_the_same_thing_conflict(groups: dict[tuple[str, str], Any]) -> None:
    group = groups[("tractor", "conflict")]
    assert sorted((r["outlet"], r["text"]) for r in group["reports"]) == [
        ("Daily One", "About 4,500 tractors"),
        ("Second Post", "3,200 tractors"),
    ]


def test_amounts_without_what_they_measure_only_agree_with_the_same_amount(
    groups: dict[tuple[str, str], Any],
) -> None:
    # "110 billion euros" measures trade; the two "4 billion euros" say nothing of what they are,
    # so they are grouped only with each other, and "60 billion euros" stays alone: no conflict
    assert [r["text"] for r in groups[("trade", "single")]["reports"]] == ["110 billion euros"]
    assert sorted((r["outlet"], r["text"]) for r in groups[("eur", "agree")]["reports"]) == [
        ("Daily One", "roughly 4 billion euros"),
        ("Second Post", "4 billion euros"),
    ]
    assert [r["text"] for r in groups[("eur", "single")]["reports"]] == ["60 billion euros"]
    assert not [key for key in groups if key[1] == "conflict" and key[0] != "tractor"]


def test_counts_under_verbs_of_different_classes_are_not_set_against_each_other(
    groups: dict[tuple[str, str], Any],
) -> None:
    # 273 fired (Daily One) agrees with "more than 270" launched (Second Post); the 88 intercepted
    # are another count of drones, compared with neither
    group = groups[("drone", "agree")]
    assert sorted((r["outlet"], r["text"], r["predicate"]) for r in group["reports"]) == [
        ("Daily One", "273 drones", "fire"),
        ("Second Post", "88 drones", "intercept"),
        ("Second Post", "more than 270 drones", "launch"),
    ]


def test_a_figure_carries_the_event_it_belongs_to(groups: dict[tuple[str, str], Any]) -> None:
    reports = {r["text"]: r for r in groups[("drone", "agree")]["reports"]}
    fired = reports["273 drones"]["event"]
    # "fired … overnight" in an article of 2025-11-14: the night into the 14th, dated by its morning
    assert (fired["text"], fired["type"], fired["date"]) == ("fired", "attack", "2025-11-14")
    assert reports["88 drones"]["event"] is None  # "intercepted" is no event trigger
    assert groups[("trade", "single")]["reports"][0]["event"] is None


def _figure_groups(tmp_path: Any, rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """``corpus.figures()`` of a store that ingested and analysed ``rows`` (JSONL records)."""
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with storyline.open(tmp_path / "s.db") as corpus:
        corpus.add([path])
        corpus.analyze()
        return corpus.figures()


def test_a_death_toll_is_set_against_the_count_of_the_killed(tmp_path: Any) -> None:
    rows = [
        {"text": "The earthquake killed at least 1,120 people and injured 2,400, officials said on Sunday.",
         "title": "Quake", "outlet": "Wire One", "published": "2023-10-08"},
        {"text": "The death toll from the earthquake had risen to 2,053 by Monday, the ministry said.",
         "title": "Toll rises", "outlet": "Paper Two", "published": "2023-10-09"},
    ]  # fmt: skip
    (group,) = [g for g in _figure_groups(tmp_path, rows) if g["what"] == "people"]
    assert group["status"] == "conflict"
    assert sorted((r["outlet"], r["text"], r["what"]) for r in group["reports"]) == [
        ("Paper Two", "2,053", "death toll"),
        ("Wire One", "2,400", "people"),
        ("Wire One", "at least 1,120 people", "people"),
    ]


def test_rounded_values_agree_and_a_poll_is_not_set_against_a_result(tmp_path: Any) -> None:
    rows = [
        {"text": "Turnout was 67.31%, the electoral commission said. Official results showed Lena Varga "
                 "won 29.54% of the vote. A poll on Monday put Varga at 44%.",
         "title": "Results", "outlet": "Wire One", "published": "2025-05-19"},
        {"text": "Turnout reached 67.3 percent in the election on Sunday. Lena Varga won 29.1 percent of "
                 "the vote, exit polls suggested.",
         "title": "Exit polls", "outlet": "Paper Two", "published": "2025-05-18"},
    ]  # fmt: skip
    groups = {g["what"]: g for g in _figure_groups(tmp_path, rows)}
    # 67.3 is 67.31 to one decimal: the same figure
    assert groups["turnout"]["status"] == "agree"
    # 29.1 against 29.54 conflicts
    vote = groups["vote"]
    assert vote["status"] == "conflict"
    assert sorted(r["text"] for r in vote["reports"]) == ["29.1 percent", "29.54%"]


def test_a_polls_estimate_is_not_set_against_a_result() -> None:
    from storyline.analyze.figures import load_units
    from storyline.views.analysis import _comparable

    classes = load_units().predicate_classes
    poll, result, other = {"predicate": "put"}, {"predicate": "win"}, {"predicate": "take"}
    assert not _comparable(poll, result, classes)
    assert _comparable(result, other, classes)  # "won 31.36%" and "took 29.54%": both results


def test_one_noun_for_several_things_is_no_conflict_and_owners_keep_counts_apart(tmp_path: Any) -> None:
    rows = [
        {"text": "The deal lowered U.S. tariffs on Chinese goods to 30% and Chinese tariffs on American "
                 "goods to 10% for 90 days. A separate 20% tariff on fentanyl stays, officials said.",
         "title": "Tariffs cut", "outlet": "Wire One", "published": "2025-05-12"},
        {"text": "The 20% tariff linked to fentanyl will stay in place, the White House said. Chinese "
                 "duties fell to 10% on Wednesday.",
         "title": "Fentanyl tariff", "outlet": "Paper Two", "published": "2025-05-14"},
        {"text": "U.S. duties fell to 30% on Wednesday, the statement said.",
         "title": "Duties", "outlet": "Third Wire", "published": "2025-05-14"},
    ]  # fmt: skip
    groups = {g["what"]: g for g in _figure_groups(tmp_path, rows)}
    # Wire One gives three values of "tariff": they name three things; the 20% agrees across outlets
    tariff = groups["tariff"]
    assert tariff["status"] == "agree"
    assert sorted((r["outlet"], r["text"], r["what"]) for r in tariff["reports"]) == [
        ("Paper Two", "20%", "tariff linked to fentanyl"),
        ("Wire One", "10%", "Chinese tariffs"),
        ("Wire One", "20%", "tariff"),
        ("Wire One", "30%", "U.S. tariffs"),
    ]
    # Chinese duties at 10% and U.S. duties at 30%: two owners, no conflict
    duty = groups["duty"]
    assert duty["status"] == "single"
    assert sorted(r["what"] for r in duty["reports"]) == ["Chinese duties", "U.S. duties"]


@pytest.mark.parametrize(
    ("what", "key"),
    [
        ("drones fired at Kyiv", "drone"),
        ("tariff he imposed over fentanyl", "tariff"),
        ("U.S. duties", "duty"),
        ("casualties", "casualty"),
        ("taxes", "tax"),
        ("people killed", "people"),
        ("wounded civilians", "civilian"),
        ("four partially occupied Ukrainian regions", "region"),
        ("troops deployed near the border", "troop"),
        ("news", "news"),
        ("status", "status"),
    ],
)
def test_figure_key_is_the_head_noun_singular(what: str, key: str) -> None:
    from storyline.views.analysis import _figure_key

    assert _figure_key("%", what) == ("%", key)


def test_counts_under_a_classed_verb_and_another_verb_are_not_set_against_each_other(tmp_path: Any) -> None:
    rows = [
        {"text": "A wildfire north of Marseille forced the evacuation of about 2,500 people on Tuesday. "
                 "The fire had burned 720 hectares by evening, officials said.",
         "title": "Wildfire", "outlet": "Wire One", "published": "2025-07-08"},
        {"text": "Around 400 people spent the night in emergency shelters. The fire burned about 750 "
                 "hectares before it was contained, the fire service said.",
         "title": "Fire contained", "outlet": "Paper Two", "published": "2025-07-09"},
    ]  # fmt: skip
    groups = {g["what"]: g for g in _figure_groups(tmp_path, rows)}
    # the evacuated (a verb of a class, read from "the evacuation of") and those who spent the night
    # in shelters are two counts of people
    people = groups["people"]
    assert people["status"] == "single"
    assert sorted((r["text"], r["predicate"]) for r in people["reports"]) == [
        ("Around 400 people", "spend"),
        ("about 2,500 people", "evacuate"),
    ]
    # an area measures what its verb says: the burned area, reported by both, agrees within 10%
    burned = groups["ha"]
    assert burned["status"] == "agree"
    assert sorted(r["text"] for r in burned["reports"]) == ["720 hectares", "about 750 hectares"]


@pytest.mark.parametrize(
    ("vague", "other", "agree"),
    [
        ("hundreds", {"value": 1000.0, "approx": "about"}, True),  # within 10% of 999
        ("hundreds", {"value": 5000.0, "approx": None}, False),
        ("thousands", {"value": 5000.0, "approx": None}, True),
        ("tens of thousands", {"value": 30000.0, "approx": None}, True),
        ("tens of thousands", {"value": 3000.0, "approx": None}, False),
        ("hundreds of millions", {"value": 4e8, "approx": None}, True),
        ("dozens", {"value": None, "value_text": "hundreds"}, False),
    ],
)
def test_a_vague_amount_agrees_with_what_its_range_holds(
    vague: str, other: dict[str, Any], agree: bool
) -> None:
    from storyline.views.analysis import _agree

    report = {"value": None, "value_text": vague, "approx": None}
    assert _agree(report, {"value_text": None, **other}) is agree
    assert _agree({"value_text": None, **other}, report) is agree


def test_captured_area_is_territory_and_a_count_in_dozens_is_round(tmp_path: Any) -> None:
    rows = [
        {"text": "Russian forces have captured about 4,700 square kilometres of Ukrainian territory this "
                 "year, analysts said. Russia fired 22 missiles overnight.",
         "title": "Front", "outlet": "Wire One", "published": "2025-11-25"},
        {"text": "Russian troops have seized roughly 4,700 sq km this year, analysts say. Russia fired two "
                 "dozen missiles overnight.",
         "title": "Front line", "outlet": "Paper Two", "published": "2025-11-25"},
    ]  # fmt: skip
    groups = {g["what"]: g for g in _figure_groups(tmp_path, rows)}
    # "seized roughly 4,700 sq km" names no noun, but what is seized is territory
    territory = groups["territory"]
    assert (territory["status"], sorted(r["text"] for r in territory["reports"])) == (
        "agree",
        ["about 4,700 square kilometres", "roughly 4,700 sq km"],
    )
    # "two dozen" is a round count: 22 agrees with it
    missiles = groups["missile"]
    assert (missiles["status"], sorted(r["text"] for r in missiles["reports"])) == (
        "agree",
        ["22 missiles", "two dozen missiles"],
    )


def _figures_of(tmp_path: Path, articles: list[dict[str, str]]) -> tuple[list[dict[str, Any]], str]:
    """The figure groups and the briefing of ``articles`` (JSONL rows) analysed in a new store."""
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    with storyline.open(tmp_path / "s.db") as corpus:
        corpus.add([path])
        corpus.analyze()
        return corpus.figures(), corpus.report()


def test_a_conflict_names_the_reports_that_disagree(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Both outlets agree on the drones launched and disagree on those shot down: the group is a
    conflict, and ``conflicts`` points at the two shot-down counts only (so does the briefing)."""
    articles = [
        {"text": "Russia launched 412 drones overnight, the air force said. Air defences shot down "
         "355 drones.", "title": "Strike", "outlet": "Daily One", "published": "2025-12-09"},
        {"text": "Russia launched 412 drones at Ukraine overnight. The air force said it had shot down "
         "361 of the drones.", "title": "Barrage", "outlet": "Second Post", "published": "2025-12-09"},
    ]  # fmt: skip
    groups, report = _figures_of(tmp_path, articles)
    group = next(g for g in groups if g["what"] == "drone")
    assert group["status"] == "conflict"
    assert sorted(group["reports"][i]["text"] for pair in group["conflicts"] for i in pair) == [
        "355 drones",
        "361 of the drones",
    ]
    disputed = [line for line in report.splitlines() if "the outlets disagree" in line]
    assert len(disputed) == 1 and "412" not in disputed[0] and "355 drones" in disputed[0]


def test_a_figure_its_article_says_was_replaced_conflicts_with_none(tmp_path) -> None:  # type: ignore[no-untyped-def]
    articles = [
        {"text": "At least three people were killed in Odesa, the governor said.", "title": "Odesa",
         "outlet": "Daily One", "published": "2025-12-09"},
        {"text": "The governor said three civilians were killed. Earlier reports put the death toll at two "
         "people.", "title": "Toll", "outlet": "Second Post", "published": "2025-12-09"},
    ]  # fmt: skip
    groups, _ = _figures_of(tmp_path, articles)
    people = next(g for g in groups if any(r["text"] == "two people" for r in g["reports"]))
    assert sorted((r["text"], r.get("superseded", False)) for r in people["reports"]) == [
        ("At least three people", False),
        ("two people", True),
    ]
    assert (people["status"], people["conflicts"]) == ("single", [])


@pytest.mark.parametrize(
    ("text", "superseded"),
    [
        ("Earlier reports put the death toll at 2.", True),
        ("The toll, initially put at 10, rose.", True),
        # an earlier act or plan in the sentence replaces no figure
        ("Russia, which had previously denied it, said 20 soldiers died.", False),
        ("The summit, originally planned for Budapest, drew 300 people.", False),
    ],
)
def test_what_says_a_figure_was_replaced(text: str, superseded: bool) -> None:
    from storyline.views.analysis import _superseded

    start = next(i for i, ch in enumerate(text) if ch.isdigit())
    assert _superseded(text, start) is superseded
