"""Gold scoring of events (their dates) and positions (issue, stance, holder), by evidence overlap.

Part of ``storyline eval gold`` (:mod:`storyline.eval.gold`), by the rules of the gold README:

- **events**: a gold event of certainty ``high`` (exact day) or ``medium`` (± 1 day) with a day or
  month date is looked for in each seed whose evidence it lists; it is *found* when a system event
  mention lies in that evidence (trigger inside the evidence span, raw offsets), and its date is
  *correct* when one of those mentions carries the gold date at the gold's precision. Events the
  text cannot date (certainty low, ranges, several dates) are not scored. Each detail lists the
  mentions' dates with their provenance (``date_source``/``precision``: a report-dated mention shows
  ``report/report``).
- **positions**: a gold position is *found* when a system position's evidence overlaps the gold
  evidence span; the issue counts when it is in ``{issue} ∪ alt_issues``, the stance when it
  equals the gold ``stance_type``, the holder when the system holder names the gold actor (the
  surname at least). Precision counts the system positions in the gold seeds that overlap no gold
  position.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["score_events", "score_positions"]

ValueOk = Callable[[str | None, str, str, str], bool]


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def score_events(
    events: list[dict[str, Any]], records: dict[str, dict[str, Any]], *, value_ok: ValueOk
) -> dict[str, Any]:
    """Found and date-correct gold events (see the module doc); ``value_ok(value, gold, precision,
    certainty)`` is the date rule shared with the time expressions."""
    scored = found = correct = 0
    details: list[dict[str, Any]] = []
    for ev in events:
        if ev.get("certainty") not in ("high", "medium") or ev.get("date_precision") not in ("day", "month"):
            continue
        for seed, spans in ev.get("evidence_by_seed", {}).items():
            if seed not in records:
                continue
            system = records[seed].get("annotations", {}).get("events", [])
            hits = [
                s
                for s in system
                for g in spans
                if isinstance(g.get("char_start"), int)
                and g["char_start"] <= s["raw_start"]
                and s["raw_end"] <= g["char_end"]
            ]
            ok = any(value_ok(s.get("date"), ev["date"], ev["date_precision"], ev["certainty"]) for s in hits)
            scored += 1
            found += bool(hits)
            correct += ok
            details.append(
                {
                    "event": ev["id"],
                    "seed": seed,
                    "gold": ev["date"],
                    "system": sorted({f"{s['text']}={s.get('date')}" for s in hits}),
                    # where each date came from (timex, anchor, event, narrative, report) and its precision
                    "provenance": sorted(
                        {
                            f"{s['text']}={s.get('date')} {s.get('date_source')}/{s.get('precision')}"
                            for s in hits
                        }
                    ),
                    "correct": ok,
                }
            )
    return {
        "scored": scored,
        "found": found,
        "date_correct": correct,
        "date_accuracy": round(correct / scored, 4) if scored else None,
        "details": details,
    }


def _holder_ok(gold_actor: str, position: dict[str, Any]) -> bool:
    """The system's holder names the gold actor: its surname (last word), or the last word of one of
    the alternatives the gold gives ("Russia (Kremlin/Moscow)": Russia, Kremlin or Moscow)."""
    names = " ".join(str(position.get(k) or "") for k in ("holder_text", "holder_actor")).lower()
    names = names.replace("-", " ")
    alternatives = [a.split() for a in re.split(r"[()/]", gold_actor) if a.strip()]
    return any(words[-1].lower() in names.split() for words in alternatives)


def score_positions(positions: list[dict[str, Any]], records: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Found gold positions and the share with the right issue, stance and holder."""
    found = issue_ok = stance_ok = holder_ok = 0
    matched: set[tuple[str, int]] = set()
    misses: list[dict[str, Any]] = []
    for g in positions:
        seed = g["seed"]
        system = records.get(seed, {}).get("annotations", {}).get("positions", [])
        hits = [
            (i, p)
            for i, p in enumerate(system)
            if _overlaps(p["evidence"]["raw_start"], p["evidence"]["raw_end"], g["char_start"], g["char_end"])
        ]
        if not hits:
            misses.append(
                {"seed": seed, "actor": g["actor"], "issue": g["issue"], "evidence": g["evidence"][:80]}
            )
            continue
        found += 1
        matched.update((seed, i) for i, _ in hits)
        issues = {g["issue"], *g.get("alt_issues", [])}
        issue_ok += any(p["issue"] in issues for _, p in hits)
        stance_ok += any(p["stance"] == g["stance_type"] for _, p in hits)
        holder_ok += any(_holder_ok(g["actor"], p) for _, p in hits)
    seeds = {g["seed"] for g in positions}
    system_total = sum(len(records.get(s, {}).get("annotations", {}).get("positions", [])) for s in seeds)
    overlapping = sum(
        1
        for s in seeds
        for i, p in enumerate(records.get(s, {}).get("annotations", {}).get("positions", []))
        if (s, i) in matched
    )
    return {
        "gold": len(positions),
        "system": system_total,
        "found": found,
        "recall": round(found / len(positions), 4) if positions else None,
        "precision": round(overlapping / system_total, 4) if system_total else None,
        "issue_accuracy": round(issue_ok / found, 4) if found else None,
        "stance_accuracy": round(stance_ok / found, 4) if found else None,
        "holder_accuracy": round(holder_ok / found, 4) if found else None,
        "missed": misses,
    }
