"""The issue taxonomy: the packaged file, user overrides, and errors that name file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.errors import ConfigError
from storyline.taxonomy import GOLD_ISSUES, STANCES, load_taxonomy, parse_taxonomy

ISSUES = (
    "territory",
    "ceasefire",
    "nato",
    "neutrality",
    "sanctions",
    "negotiation_format",
    "security_guarantees",
    "military_aid",
    "humanitarian",
    "other",
)


def test_packaged_taxonomy_has_every_issue_and_stance() -> None:
    tax = load_taxonomy()
    assert tax.names == ISSUES
    assert set(tax.stances) == set(STANCES)
    assert ("call", "for") in tax.stances["demand"].verbs
    assert ("rule", "out") in tax.stances["rejection"].verbs


@pytest.mark.parametrize(
    ("issue", "gold"),
    [
        ("military_aid", "other"),
        ("humanitarian", "other"),
        ("nato", "nato"),
        ("other", "other"),
        ("unknown_issue", "other"),
    ],
)
def test_gold_issue_follows_parents(issue: str, gold: str) -> None:
    assert load_taxonomy().gold_issue(issue) == gold
    assert gold in GOLD_ISSUES


@pytest.mark.parametrize(
    ("text", "issues"),
    [
        ("Russia demands the Donbas and Crimea", ["territory", "territory"]),
        ("a 30-day ceasefire and a truce", ["ceasefire", "ceasefire"]),
        ("Ukraine's NATO membership and neutrality", ["nato", "neutrality"]),
        ("new sanctions and tariffs on oil buyers", ["sanctions", "sanctions", "sanctions"]),
        ("direct talks at a trilateral summit", ["negotiation_format"] * 3),
        ("written security guarantees and peacekeepers", ["security_guarantees"] * 2),
        ("more weapons and military support", ["military_aid", "military_aid"]),
        ("the return of prisoners and deported children", ["humanitarian"] * 3),
        ("nothing at all here", []),
    ],
)
def test_find_matches_in_text_order(text: str, issues: list[str]) -> None:
    assert [m.issue for m in load_taxonomy().find(text)] == issues


def test_user_file_overrides_extends_and_adds(tmp_path: Path) -> None:
    user = tmp_path / "issues.yaml"
    user.write_text(
        "issues:\n"
        "  - name: nato\n"
        "    extend: true\n"
        "    patterns:\n"
        "      regex: ['\\bthe alliance\\b']\n"
        "  - name: ceasefire\n"
        "    description: only truces\n"
        "    patterns:\n"
        "      regex: ['\\btruce\\b']\n"
        "  - name: energy\n"
        "    parent: sanctions\n"
        "    patterns:\n"
        "      lemmas: [gas pipeline]\n"
        "stances:\n"
        "  demand:\n"
        "    verbs: [clamor for]\n",
        encoding="utf-8",
    )
    tax = load_taxonomy(extra=[user])
    assert tax.names[-1] == "energy"
    assert [m.issue for m in tax.find("NATO and the alliance")] == ["nato", "nato"]
    # replaced: "ceasefire" no longer matches, "truce" does
    assert [m.issue for m in tax.find("a ceasefire or a truce")] == ["ceasefire"]
    assert tax.gold_issue("energy") == "sanctions"
    assert ("clamor", "for") in tax.stances["demand"].verbs
    assert ("demand", "") in tax.stances["demand"].verbs  # the packaged cues stay
    # lemma patterns match on a parse
    from storyline.analyze.nlp import get_nlp

    text = "They blew up the gas pipelines."
    assert [m.issue for m in tax.find(text, doc=get_nlp()(text))] == ["energy"]


def test_replace_drops_packaged_issues() -> None:
    tax = parse_taxonomy(
        "replace: true\nissues:\n  - name: water\n    patterns: {regex: ['\\bdam\\b']}\n",
        base=load_taxonomy(),
    )
    assert tax.names == ("water", "other")
    assert [m.issue for m in tax.find("the dam and NATO")] == ["water"]


@pytest.mark.parametrize(
    ("text", "line", "field", "problem"),
    [
        ("issues:\n  - name: nato\n    patterns:\n      regex: ['(unclosed']\n", 4,
         "issues[0].patterns.regex[0]", "bad regular expression"),
        ("issues:\n  - description: no name\n", 2, "issues[0].name", "missing required field"),
        ("issues:\n  - name: nato\n    colour: blue\n", 3, "issues[0].colour", "unknown key"),
        ("issues:\n  - name: a\n  - name: a\n", 3, "issues[1].name", "duplicate issue"),
        ("issues:\n  - name: x\n    parent: nowhere\n", 2, "issues[0].parent", "unknown parent"),
        ("issues:\n  - name: x\n    parent: y\n  - name: y\n    parent: x\n", 2, "issues[0].parent",
         "parent cycle"),
        ("issues:\n  - name: Bad Name\n", 2, "issues[0].name", "bad issue name"),
        ("issues:\n  - name: x\n    patterns: [a, b]\n", 3, "issues[0].patterns", "expected a mapping"),
        ("stances:\n  demand:\n    verbs: x\n", 3, "stances.demand.verbs", "expected a list"),
        ("stances:\n  pleading: {}\n", 2, "stances.pleading", "unknown key"),
        ("version: 2\n", 1, "version", "unsupported version"),
        ("issues: [\n  - name: x\n", 2, None, "malformed YAML"),
    ],
)  # fmt: skip
def test_malformed_file_names_file_line_and_field(
    tmp_path: Path, text: str, line: int, field: str | None, problem: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_taxonomy(extra=[bad])
    err = info.value
    assert err.path == str(bad)
    assert err.line == line
    assert err.field == field
    assert problem in str(err)
    assert str(err).startswith(f"[E201] {bad}:{line}")


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read taxonomy"):
        load_taxonomy(tmp_path / "missing.yaml")
