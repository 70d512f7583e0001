"""Scoring against hand-made gold annotations (the format of ``shared/gold/README.md``).

``evaluate_gold(gold_dir, articles_dir)`` ingests the articles the gold names (with their
sidecars when present), analyses them in an in-memory corpus, and compares the JSONL export's
*raw* offsets (gold offsets index the original files) with the gold:

- **cleaning**: every gold evidence / quote sentence must still be in the clean text, and no
  ``should_extract: false`` surface (page-furniture numbers) may remain;
- **statements**: a gold non-partial statement is found when one system statement's content
  covers at least half of the gold ``quote_core`` tokens; speaker accuracy over found ones (the
  system speaker names the gold person — surname at least, or the form a parenthesis gives
  ("Russian government (Moscow)") —, or — for an anonymous gold source —
  is marked anonymous); partial quotes are scored the same way, separately;
- **time expressions** anchored to gold events: for each gold event of certainty high/medium
  with day or month precision, each part of its ``seed_time_expression`` found in the event's
  evidence in a seed must be covered by a system time expression whose value — or, for an
  event-anchored one ("on the eve of a planned call"), the anchoring event's day — equals the gold
  date at the gold precision (±1 day for certainty medium), the date of that event or of another
  scored event whose evidence in that seed holds the expression (the sentence reports both);
- **figures**: matched one-to-one by value within an article; precision, recall, and how many
  page-furniture numbers (``should_extract: false``) the system extracted (must be 0);
- **publication dates**: the system's date of each article against ``seed_dates.json`` (day);
- **events** (their dates) and **positions** (issue, stance, holder): by evidence overlap, see
  :mod:`storyline.eval.gold_links`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .gold_links import score_events, score_positions

__all__ = ["evaluate_gold", "token_coverage"]

_TOKEN = re.compile(r"\w+", re.UNICODE)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def token_coverage(text: str, start: int, end: int, spans: Iterable[tuple[int, int]]) -> float:
    """The largest share of the word tokens of ``text[start:end]`` that one of ``spans`` covers."""
    tokens = [(start + m.start(), start + m.end()) for m in _TOKEN.finditer(text[start:end])]
    if not tokens:
        return 0.0
    best = 0.0
    for s, e in spans:
        covered = sum(1 for ts, te in tokens if ts >= s and te <= e)
        best = max(best, covered / len(tokens))
    return best


def _surname(name: str) -> str:
    parts = [p for p in re.split(r"\s+", name.strip()) if p]
    return parts[-1].casefold() if parts else ""


def _wanted_names(speaker: str) -> list[str]:
    """The surnames a system speaker may name: "Russian government (Moscow)" → government, moscow
    (a parenthesis gives the form the article uses)."""
    inner = re.findall(r"\(([^()]*)\)", speaker)
    outer = re.sub(r"\([^()]*\)", " ", speaker)
    return [w for w in (_surname(n) for n in (outer, *inner)) if w]


def _is_anonymous_gold(speaker: str) -> bool:
    s = speaker.casefold()
    return s.startswith(("anonymous", "unnamed", "two anonymous", "three anonymous")) or "anonymous" in s


def _speaker_ok(gold: dict[str, Any], st: dict[str, Any]) -> bool:
    speaker = gold["speaker"]
    if _is_anonymous_gold(speaker):
        return bool(st.get("speaker_kind") == "anonymous" or st.get("anonymous"))
    wanted = _wanted_names(speaker)
    names = [st.get("speaker_name") or ""]
    for key in ("speaker", "speaker_antecedent"):
        if st.get(key):
            names.append(st[key]["text"])
    return any(w in n.casefold() for w in wanted for n in names)


def _score_statements(
    gold: list[dict[str, Any]], records: dict[str, dict[str, Any]], raws: dict[str, str], *, partial: bool
) -> dict[str, Any]:
    rows = [g for g in gold if bool(g.get("partial")) == partial and g["seed"] in records]
    found = right = 0
    misses: list[dict[str, Any]] = []
    for g in rows:
        statements = records[g["seed"]].get("annotations", {}).get("statements", [])
        core = g.get("quote_core") or g["quote"]
        start = g["char_start"]
        end = start + len(core)
        raw = raws[g["seed"]]
        if raw[start:end] != core:  # the gold offsets index `quote`; find the core inside it
            pos = raw.find(core, max(0, start - 5))
            start, end = (pos, pos + len(core)) if pos >= 0 else (start, end)
        best: dict[str, Any] | None = None
        best_cov = 0.0
        for st in statements:
            cov = token_coverage(raw, start, end, [(st["content"]["raw_start"], st["content"]["raw_end"])])
            if cov > best_cov:
                best, best_cov = st, cov
        if best is not None and best_cov >= 0.5:
            found += 1
            if _speaker_ok(g, best):
                right += 1
            else:
                misses.append(
                    {
                        "seed": g["seed"],
                        "quote": core,
                        "gold_speaker": g["speaker"],
                        "system_speaker": best.get("speaker_name")
                        or (best.get("speaker") or {}).get("text")
                        or best.get("speaker_kind"),
                    }
                )
        else:
            misses.append(
                {"seed": g["seed"], "quote": core, "gold_speaker": g["speaker"], "system": "not found"}
            )
    return {
        "gold": len(rows),
        "found": found,
        "recall": round(found / len(rows), 4) if rows else None,
        "speaker_correct": right,
        "speaker_accuracy": round(right / found, 4) if found else None,
        "errors": misses,
    }


def _value_ok(value: str | None, gold_date: str, precision: str, certainty: str) -> bool:
    if not value:
        return False
    if precision == "month":
        return value[:7] == gold_date[:7]
    if value[:10] == gold_date:
        return True
    if certainty == "medium" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value[:10]):
        try:
            return abs(date.fromisoformat(value[:10]) - date.fromisoformat(gold_date)) <= timedelta(days=1)
        except ValueError:
            return False
    return False


def _expression_pos(raw: str, part: str, evidence: Any) -> int:
    """Where the gold's time expression ``part`` is in ``raw``: inside the event's evidence in that
    seed (the same words elsewhere — a page's "Last Updated: May 19" — date something else); -1 when
    the evidence does not hold it."""
    if not part:
        return -1
    for ev in evidence if isinstance(evidence, list) else []:
        start, end = ev.get("char_start"), ev.get("char_end")
        if isinstance(start, int) and isinstance(end, int):
            pos = raw.find(part, start, end)
            if pos >= 0:
                return pos
    return -1


def _dates_of(timex: dict[str, Any]) -> list[str | None]:
    """The dates a system time expression establishes: its value, and for an event-anchored one ("on
    the eve of a planned phone call", ``relative.event`` + ``offset_days``) the event's own day too."""
    value = timex.get("value")
    out: list[str | None] = [value]
    rel = timex.get("relative") or {}
    offset = rel.get("offset_days")
    day = value[:10] if value else ""
    if rel.get("event") and isinstance(offset, int) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        try:
            out.append((date.fromisoformat(day) - timedelta(days=offset)).isoformat())
        except ValueError:
            pass
    return out


def _scored_event(ev: dict[str, Any]) -> bool:
    return ev.get("certainty") in ("high", "medium") and ev.get("date_precision") in ("day", "month")


def _events_at(events: list[dict[str, Any]], seed: str, start: int, end: int) -> list[dict[str, Any]]:
    """The scored gold events whose evidence in ``seed`` holds the characters ``[start, end)``."""
    out = []
    for ev in events:
        for piece in ev.get("evidence_by_seed", {}).get(seed, []):
            s, e = piece.get("char_start"), piece.get("char_end")
            if isinstance(s, int) and isinstance(e, int) and s <= start and end <= e and _scored_event(ev):
                out.append(ev)
                break
    return out


def _score_timexes(
    events: list[dict[str, Any]], records: dict[str, dict[str, Any]], raws: dict[str, str]
) -> dict[str, Any]:
    """Each part of an event's ``seed_time_expression`` found in its evidence must be covered by a
    system expression dating it. The gold ties an expression to events only through evidence
    sentences; when a sentence is the evidence of several events ("Trump has announced a call …
    on May 19": the announcement, dated from elsewhere, and the call), the expression counts when
    its date is that of one of them — the words date the event they name, not every event the
    sentence reports."""
    scored = correct = 0
    details: list[dict[str, Any]] = []
    for ev in events:
        if not _scored_event(ev):
            continue
        expression = ev.get("seed_time_expression") or ""
        for seed in ev.get("evidence_by_seed", {}):
            if seed not in records:
                continue
            raw = raws[seed]
            for part in (p.strip() for p in expression.split(" / ")):
                pos = _expression_pos(raw, part, ev["evidence_by_seed"][seed])
                if pos < 0:
                    continue
                timexes = records[seed].get("annotations", {}).get("timexes", [])
                hit = next(
                    (t for t in timexes if t["raw_start"] < pos + len(part) and pos < t["raw_end"]), None
                )
                candidates = [ev, *(o for o in _events_at(events, seed, pos, pos + len(part)) if o is not ev)]
                dated = None
                if hit is not None:
                    dated = next(
                        (
                            o
                            for o in candidates
                            if any(
                                _value_ok(v, o["date"], o["date_precision"], o["certainty"])
                                for v in _dates_of(hit)
                            )
                        ),
                        None,
                    )
                scored += 1
                correct += dated is not None
                details.append(
                    {
                        "event": ev["id"],
                        "seed": seed,
                        "expression": part,
                        "gold": ev["date"],
                        "system": hit.get("value") if hit else None,
                        "correct": dated is not None,
                        "dates_event": dated["id"] if dated is not None else None,
                    }
                )
    return {
        "scored": scored,
        "correct": correct,
        "accuracy": round(correct / scored, 4) if scored else None,
        "details": details,
    }


def _score_cleaning(
    gold_rows: list[dict[str, Any]], figures: list[dict[str, Any]], records: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    sentences: set[tuple[str, str]] = set()
    for g in gold_rows:
        if g.get("should_extract") is False or g.get("boilerplate"):
            continue  # furniture rows: their "evidence" is the furniture itself
        for key in ("evidence", "sentence"):
            if g.get(key) and g["seed"] in records:
                sentences.add((g["seed"], g[key]))
    kept = [s for s in sentences if s[1] in records[s[0]]["text"]]
    furniture = [f for f in figures if f.get("should_extract") is False and f["seed"] in records]
    left = [f["surface"] for f in furniture if f["surface"] in records[f["seed"]]["text"]]
    return {
        "evidence_sentences": len(sentences),
        "kept": len(kept),
        "lost": sorted(s for _, s in set(sentences) - set(kept)),
        "furniture_numbers": len(furniture),
        "furniture_left_in_text": left,
    }


def _score_figures(figures: list[dict[str, Any]], records: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Figures matched one-to-one by value within an article (by wording for vague amounts)."""

    def key(value: Any, text: Any) -> str:
        if value is not None:
            return f"{float(value):g}"
        return str(text or "").casefold()

    gold_by_seed: dict[str, list[dict[str, Any]]] = {}
    for f in figures:
        if f["seed"] in records:
            gold_by_seed.setdefault(f["seed"], []).append(f)
    tp = n_gold = n_system = furniture = 0
    errors: list[dict[str, Any]] = []
    for seed, gold in gold_by_seed.items():
        system = records[seed].get("annotations", {}).get("figures", [])
        wanted = [g for g in gold if g.get("should_extract", True) and g.get("kind") != "year"]
        bad = [(g["char_start"], g["char_end"]) for g in gold if g.get("should_extract") is False]
        n_gold += len(wanted)
        n_system += len(system)
        pool = [key(f["value"], f.get("value_text")) for f in system]
        for f in system:  # a furniture number: found where the gold marks page furniture
            if any(f["raw_start"] < e and s < f["raw_end"] for s, e in bad):
                furniture += 1
                errors.append({"seed": seed, "furniture": f["text"]})
        for g in wanted:
            k = key(g["value"], g.get("value_text"))
            if k in pool:
                pool.remove(k)
                tp += 1
            else:
                errors.append({"seed": seed, "missed": g["surface"]})
        errors.extend({"seed": seed, "spurious": k} for k in pool)
    return {
        "gold": n_gold,
        "system": n_system,
        "matched": tp,
        "precision": round(tp / n_system, 4) if n_system else None,
        "recall": round(tp / n_gold, 4) if n_gold else None,
        "furniture_extracted": furniture,
        "errors": errors,
    }


def _score_dates(seed_dates: dict[str, Any], records: dict[str, dict[str, Any]]) -> dict[str, Any]:
    rows = []
    for seed, info in seed_dates.items():
        if seed not in records:
            continue
        pub = records[seed].get("published") or {}
        value: str | None = pub.get("value")
        rows.append(
            {
                "seed": seed,
                "gold": info.get("published"),
                "system": value,
                "provenance": pub.get("provenance"),
                "correct": value is not None and value[:10] == str(info.get("published"))[:10],
            }
        )
    correct = sum(r["correct"] for r in rows)
    return {"articles": len(rows), "correct": correct, "details": rows}


def evaluate_gold(
    gold_dir: Path, articles_dir: Path, *, system_out: Path | None = None, sidecars: bool = True
) -> dict[str, Any]:
    """Ingest and analyse the gold's articles from ``articles_dir``, then score them (see module doc)."""
    import shutil
    import tempfile

    from ..corpus import open as open_corpus
    from ..errors import UsageError

    quotes = _read_jsonl(gold_dir / "gold_quotes.jsonl")
    events = _read_jsonl(gold_dir / "gold_events.jsonl")
    positions = _read_jsonl(gold_dir / "gold_positions.jsonl")
    figures = _read_jsonl(gold_dir / "gold_figures.jsonl")
    dates_path = gold_dir / "seed_dates.json"
    seed_dates: dict[str, Any] = (
        json.loads(dates_path.read_text(encoding="utf-8")) if dates_path.is_file() else {}
    )
    seeds = sorted(
        {r["seed"] for r in (*quotes, *positions, *figures)}
        | {s for e in events for s in e.get("evidence_by_seed", {})}
        | set(seed_dates)
    )
    if not seeds:
        raise UsageError(f"{gold_dir}: no gold annotations found (expected gold_*.jsonl files)")
    missing = [s for s in seeds if not (articles_dir / s).is_file()]
    if missing:
        raise UsageError(f"{articles_dir}: gold articles not found: {', '.join(missing)}")

    with tempfile.TemporaryDirectory(prefix="storyline-gold-") as tmp:
        work = Path(tmp)
        for seed in seeds:
            shutil.copy(articles_dir / seed, work / seed)
            side = (articles_dir / seed).with_suffix(".json")
            if sidecars and side.is_file():
                shutil.copy(side, work / side.name)
        with open_corpus(":memory:") as corpus:
            corpus.add([str(work)])
            corpus.analyze()
            import io

            buf = io.StringIO()
            corpus.export(buf)
    records: dict[str, dict[str, Any]] = {}
    for line in buf.getvalue().splitlines():
        rec = json.loads(line)
        records[Path(rec["origin"]).name] = rec
    raws = {seed: rec["raw"] for seed, rec in records.items()}
    if system_out is not None:
        system_out.write_text(
            "\n".join(json.dumps(records[s], ensure_ascii=False) for s in sorted(records)) + "\n",
            encoding="utf-8",
        )
    return {
        "articles": sorted(records),
        "sidecars": sidecars,
        "cleaning": _score_cleaning([*quotes, *positions, *figures], figures, records),
        "statements": _score_statements(quotes, records, raws, partial=False),
        "partial_quotes": _score_statements(quotes, records, raws, partial=True),
        "timexes": _score_timexes(events, records, raws),
        "figures": _score_figures(figures, records),
        "published": _score_dates(seed_dates, records),
        "events": score_events(events, records, value_ok=_value_ok),
        "positions": score_positions(positions, records),
    }
