"""Gold scoring of event dates and positions by evidence overlap (storyline.eval.gold_links)."""

from __future__ import annotations

from typing import Any

import pytest

from storyline.eval.gold import _value_ok
from storyline.eval.gold_links import _holder_ok, score_events, score_positions


def _records() -> dict[str, dict[str, Any]]:
    return {
        "a.txt": {
            "annotations": {
                "events": [
                    {
                        "text": "call",
                        "raw_start": 10,
                        "raw_end": 14,
                        "date": "2025-05-19",
                        "date_source": "timex",
                        "precision": "day",
                    },
                    {"text": "talks", "raw_start": 60, "raw_end": 65, "date": "2025-05-18"},
                    {"text": "attack", "raw_start": 200, "raw_end": 206, "date": "2025-05-18"},
                ],
                "positions": [
                    {
                        "evidence": {"raw_start": 100, "raw_end": 150},
                        "issue": "territory",
                        "stance": "demand",
                        "holder_text": "Putin",
                        "holder_actor": "vladimir-putin",
                    },
                    {
                        "evidence": {"raw_start": 300, "raw_end": 320},
                        "issue": "ceasefire",
                        "stance": "offer",
                        "holder_text": None,
                        "holder_actor": None,
                    },
                ],
            }
        }
    }


def _event(eid: str, day: str, start: int, end: int, certainty: str = "high") -> dict[str, Any]:
    return {
        "id": eid,
        "date": day,
        "date_precision": "day",
        "certainty": certainty,
        "evidence_by_seed": {"a.txt": [{"char_start": start, "char_end": end}]},
    }


def test_event_dates_by_evidence() -> None:
    events = [
        _event("E1", "2025-05-19", 0, 40),  # "call" inside, right day
        _event("E2", "2025-05-17", 50, 90, certainty="medium"),  # "talks" 05-18: within a day
        _event("E3", "2025-05-16", 50, 90),  # high certainty: exact day needed
        _event("E4", "2025-05-18", 400, 450),  # no system event there
        _event("E5", "2025-05-18", 190, 210, certainty="low"),  # not scored
    ]
    out = score_events(events, _records(), value_ok=_value_ok)
    assert (out["scored"], out["found"], out["date_correct"], out["date_accuracy"]) == (4, 3, 2, 0.5)
    assert [d["correct"] for d in out["details"]] == [True, True, False, False]
    assert out["details"][0]["system"] == ["call=2025-05-19"]
    assert out["details"][0]["provenance"] == ["call=2025-05-19 timex/day"]
    assert out["details"][1]["provenance"] == ["talks=2025-05-18 None/None"]


def test_positions_by_evidence_overlap() -> None:
    gold = [
        {
            "seed": "a.txt",
            "actor": "Vladimir Putin",
            "issue": "other",
            "alt_issues": ["territory"],
            "stance_type": "demand",
            "char_start": 90,
            "char_end": 120,
            "evidence": "x",
        },
        {
            "seed": "a.txt",
            "actor": "Donald Trump",
            "issue": "ceasefire",
            "alt_issues": [],
            "stance_type": "demand",
            "char_start": 500,
            "char_end": 600,
            "evidence": "Trump wants a ceasefire",
        },
    ]
    out = score_positions(gold, _records())
    assert (out["gold"], out["system"], out["found"], out["recall"], out["precision"]) == (2, 2, 1, 0.5, 0.5)
    assert (out["issue_accuracy"], out["stance_accuracy"], out["holder_accuracy"]) == (1.0, 1.0, 1.0)
    assert out["missed"] == [
        {
            "seed": "a.txt",
            "actor": "Donald Trump",
            "issue": "ceasefire",
            "evidence": "Trump wants a ceasefire",
        }
    ]


@pytest.mark.parametrize(
    ("gold_actor", "holder_text", "holder_actor", "ok"),
    [
        ("Vladimir Putin", "Putin", "vladimir-putin", True),
        ("Russia (Kremlin/Moscow)", "Moscow", "russia", True),
        ("Russia (Kremlin/Moscow)", "the Kremlin", "kremlin", True),
        ("Russia (Kremlin/Moscow)", "Kyiv", "ukraine", False),
        ("European leaders/officials", "Vladimir Putin", "vladimir-putin", False),
    ],
)
def test_holder_names_the_gold_actor_or_one_of_its_alternatives(
    gold_actor: str, holder_text: str, holder_actor: str, ok: bool
) -> None:
    assert _holder_ok(gold_actor, {"holder_text": holder_text, "holder_actor": holder_actor}) is ok
