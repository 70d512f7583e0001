"""TempEval-3 time-expression scorer and runner (task A: extent, type, value).

Measures, as in the official TempEval-3 toolkit (UzZaman et al. 2013):

* strict span P/R/F1: a system timex matches a gold one with exactly the same offsets;
* relaxed span P/R/F1: any character overlap (pairs matched one to one, greatest
  overlap first);
* type and value accuracy over relaxed-matched pairs;
* type F1 = relaxed F1 × type accuracy, value F1 = relaxed F1 × value accuracy.

The DCT timex (in the header, outside ``<TEXT>``) is not scored.

Command line: ``python -m storyline.eval.tempeval3 PATH [--limit N] [--out FILE] [--errors [--kind K]]
[--narrative]``; ``--errors`` prints one JSON line per miss, spurious expression and wrong
span/type/value, to read before changing a rule; ``--narrative`` resolves partial dates
from the years in the text (WikiWars).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.eval.timeml import GoldTimex, TimeMLDoc, read_timeml

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "SysTimex",
    "Counts",
    "match_doc",
    "scores",
    "evaluate_docs",
    "evaluate_tempeval3",
    "tml_files",
    "default_system",
    "narrative_system",
]


@dataclass(frozen=True, kw_only=True, slots=True)
class SysTimex:
    """A system's time expression, as the scorer sees it."""

    start: int
    end: int
    type: str
    value: str | None
    text: str = ""


@dataclass(kw_only=True, slots=True)
class Counts:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    type_ok: int = 0
    value_ok: int = 0

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.system += other.system
        self.strict += other.strict
        self.relaxed += other.relaxed
        self.type_ok += other.type_ok
        self.value_ok += other.value_ok


System = Callable[[TimeMLDoc], Sequence[SysTimex]]


def _prf(matched: int, system: int, gold: int) -> tuple[float, float, float]:
    p = matched / system if system else 0.0
    r = matched / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def match_doc(
    gold: Sequence[GoldTimex], system: Sequence[SysTimex]
) -> tuple[Counts, list[tuple[GoldTimex, SysTimex]], list[GoldTimex], list[SysTimex]]:
    """Counts for one document, the relaxed pairs, the missed gold and the spurious system timexes."""
    c = Counts(gold=len(gold), system=len(system))
    c.strict = len({(g.start, g.end) for g in gold} & {(s.start, s.end) for s in system})
    candidates: list[tuple[int, int, int]] = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            overlap = min(g.end, s.end) - max(g.start, s.start)
            if overlap > 0:
                candidates.append((-overlap, gi, si))
    candidates.sort()
    used_g: set[int] = set()
    used_s: set[int] = set()
    pairs: list[tuple[GoldTimex, SysTimex]] = []
    for _, gi, si in candidates:
        if gi in used_g or si in used_s:
            continue
        used_g.add(gi)
        used_s.add(si)
        pairs.append((gold[gi], system[si]))
    c.relaxed = len(pairs)
    c.type_ok = sum(1 for g, s in pairs if g.type == s.type)
    c.value_ok = sum(1 for g, s in pairs if s.value is not None and g.value == s.value)
    missed = [g for i, g in enumerate(gold) if i not in used_g]
    spurious = [s for i, s in enumerate(system) if i not in used_s]
    return c, pairs, missed, spurious


def scores(c: Counts) -> dict[str, float | int]:
    """The TempEval-3 measures from counts."""
    sp, sr, sf = _prf(c.strict, c.system, c.gold)
    rp, rr, rf = _prf(c.relaxed, c.system, c.gold)
    type_acc = c.type_ok / c.relaxed if c.relaxed else 0.0
    value_acc = c.value_ok / c.relaxed if c.relaxed else 0.0
    return {
        "gold": c.gold,
        "system": c.system,
        "strict_p": sp,
        "strict_r": sr,
        "strict_f1": sf,
        "relaxed_p": rp,
        "relaxed_r": rr,
        "relaxed_f1": rf,
        "type_accuracy": type_acc,
        "value_accuracy": value_acc,
        "type_f1": rf * type_acc,
        "value_f1": rf * value_acc,
    }


def default_system(doc: TimeMLDoc, *, narrative: bool = False) -> list[SysTimex]:
    """storyline's own recognizer and normalizer, with the document's DCT.

    Clauses dated through the event they name ("once he's finished speaking") are left out: TimeML
    marks those as a signal and an event, not as a TIMEX3."""
    from storyline.analyze.timex import find_timexes

    return [
        SysTimex(start=t.start, end=t.end, type=t.type, value=t.value, text=t.text)
        for t in find_timexes(doc.text, dct=doc.dct, narrative=narrative)
        if not (t.relative and t.relative.get("clause"))
    ]


def narrative_system(doc: TimeMLDoc) -> list[SysTimex]:
    """:func:`default_system` in narrative mode (WikiWars)."""
    return default_system(doc, narrative=True)


def tml_files(path: Path) -> list[Path]:
    """``path`` itself when it is a file, else every ``.tml`` below it, sorted."""
    if path.is_file():
        return [path]
    return sorted(path.rglob("*.tml"))


def evaluate_docs(
    docs: Iterable[tuple[str, TimeMLDoc]],
    *,
    system: System = default_system,
    errors: list[dict[str, Any]] | None = None,
    system_out: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """Score ``system`` on documents grouped by a subset name (e.g. ``TimeBank``)."""
    per_subset: dict[str, Counts] = {}
    total = Counts()
    n_docs = 0
    for subset, doc in docs:
        predicted = list(system(doc))
        c, pairs, missed, spurious = match_doc(doc.timexes, predicted)
        per_subset.setdefault(subset, Counts()).add(c)
        total.add(c)
        n_docs += 1
        if system_out is not None:
            system_out[doc.doc_id] = [
                {"start": s.start, "end": s.end, "type": s.type, "value": s.value} for s in predicted
            ]
        if errors is not None:
            dct = doc.dct.isoformat() if doc.dct else None
            for g in missed:
                errors.append({"doc": doc.doc_id, "dct": dct, "kind": "miss", **_gold_json(g, doc.text)})
            for s in spurious:
                errors.append(
                    {
                        "doc": doc.doc_id,
                        "dct": dct,
                        "kind": "spurious",
                        "text": doc.text[s.start : s.end],
                        "type": s.type,
                        "value": s.value,
                        "context": _context(doc.text, s.start, s.end),
                    }
                )
            for g, s in pairs:
                kind = []
                if (g.start, g.end) != (s.start, s.end):
                    kind.append("span")
                if g.type != s.type:
                    kind.append("type")
                if g.value != s.value:
                    kind.append("value")
                if kind:
                    errors.append(
                        {
                            "doc": doc.doc_id,
                            "dct": dct,
                            "kind": "+".join(kind),
                            "gold_text": g.text,
                            "sys_text": doc.text[s.start : s.end],
                            "gold": f"{g.type} {g.value}",
                            "sys": f"{s.type} {s.value}",
                            "context": _context(doc.text, g.start, g.end),
                        }
                    )
    result: dict[str, Any] = {"documents": n_docs, "overall": scores(total)}
    result["subsets"] = {name: scores(c) for name, c in sorted(per_subset.items())}
    return result


def _context(text: str, start: int, end: int, width: int = 60) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"{left}[[{text[start:end]}]]{right}"


def _gold_json(g: GoldTimex, text: str) -> dict[str, Any]:
    return {"text": g.text, "type": g.type, "value": g.value, "context": _context(text, g.start, g.end)}


def evaluate_tempeval3(
    path: Path,
    *,
    system_out: Path | None = None,
    limit: int | None = None,
    system: System = default_system,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Run ``system`` over the ``.tml`` files under ``path`` and score it.

    Subsets are the files' parent folders (``TimeBank``, ``AQUAINT``); ``limit`` keeps
    the first N files; ``system_out`` receives ``{doc: [{start, end, type, value}]}``.
    """
    files = tml_files(Path(path))
    if limit is not None:
        files = files[:limit]
    out: dict[str, list[dict[str, Any]]] | None = {} if system_out is not None else None
    result = evaluate_docs(
        ((f.parent.name, read_timeml(f)) for f in files), system=system, errors=errors, system_out=out
    )
    if system_out is not None:
        system_out.write_text(json.dumps(out, indent=1, sort_keys=True), encoding="utf-8")
    return result


def _fmt(s: dict[str, Any]) -> str:
    return (
        f"gold {s['gold']:5d} sys {s['system']:5d} | strict F1 {s['strict_f1']:.4f} "
        f"(P {s['strict_p']:.4f} R {s['strict_r']:.4f}) | relaxed F1 {s['relaxed_f1']:.4f} "
        f"(P {s['relaxed_p']:.4f} R {s['relaxed_r']:.4f}) | type acc {s['type_accuracy']:.4f} "
        f"F1 {s['type_f1']:.4f} | value acc {s['value_accuracy']:.4f} F1 {s['value_f1']:.4f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="storyline.eval.tempeval3", description=__doc__.split("\n")[0])
    ap.add_argument("path", type=Path)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--out", type=Path, default=None, help="write the system output as JSON")
    ap.add_argument("--errors", action="store_true", help="print misses, spurious and wrong values")
    ap.add_argument("--kind", default=None, help="with --errors: only this kind (miss, spurious, value…)")
    ap.add_argument(
        "--narrative", action="store_true", help="narrative documents (WikiWars): years from the text"
    )
    args = ap.parse_args(argv)
    errs: list[dict[str, Any]] | None = [] if args.errors else None
    system = narrative_system if args.narrative else default_system
    result = evaluate_tempeval3(args.path, system_out=args.out, limit=args.limit, errors=errs, system=system)
    if errs:
        for e in errs:
            if args.kind and args.kind not in e["kind"]:
                continue
            print(json.dumps(e, ensure_ascii=False), file=sys.stdout)
    for name, s in result["subsets"].items():
        print(f"{name:10s} {_fmt(s)}")
    print(f"{'overall':10s} {_fmt(result['overall'])}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
