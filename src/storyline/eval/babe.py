"""Score the sentence bias and opinion classifiers on BABE (Bias Annotations By Experts, SG2 format).

The CSV is ``;``-separated with a header; the columns read are ``text``, ``label_bias`` and
``label_opinion`` (others are ignored). Labels:

- **bias**: ``Biased`` vs ``Non-biased``; rows labelled ``No agreement`` are left out.
- **opinion** (binary): ``Entirely factual`` → ``Factual``; ``Somewhat factual but also opinionated`` and
  ``Expresses writer's opinion`` → ``Opinionated``; ``No agreement`` (or empty) rows are left out of the
  opinion score only. The 3-way label is not predicted.

Scores are macro F1 over the two classes of each label (a class absent from both gold and system counts
F1 = 0 only if it is present in either; see :func:`macro_f1`).

``split="all"`` scores every row (the held-out file); ``split="dev"`` re-creates the dev split that
``scripts/train_bias.py`` held out of the train file (:func:`dev_split`), so the figure can be reproduced.
``system_out`` writes one CSV row per input row: ``row`` (0-based data row index in the file), ``bias``
and ``opinion`` predictions (and the two probabilities), for independent scoring.
"""

from __future__ import annotations

import csv
import logging
import random
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from storyline.analyze.framing import load_bias_model

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "BIAS_LABELS",
    "OPINION_LABELS",
    "SentenceScorer",
    "DEV_FRACTION",
    "DEV_SEED",
    "bias_label",
    "dev_split",
    "stratified_split",
    "evaluate_babe",
    "macro_f1",
    "opinion_label",
    "read_babe",
]

BIAS_LABELS = ("Biased", "Non-biased")
OPINION_LABELS = ("Opinionated", "Factual")
DEV_FRACTION = 0.2
DEV_SEED = 20211101


class SentenceScorer(Protocol):
    """Anything that gives per-sentence probabilities for ``bias`` and ``opinion`` (e.g. ``BiasModel``);
    a ``scores_many(texts)`` method, when present, is used instead, in batches."""

    def scores(self, text: str) -> Mapping[str, float]: ...


def read_babe(csv_path: Path) -> list[dict[str, str]]:
    """The rows of a BABE CSV (``;``-separated, header line) as dicts, in file order."""
    with csv_path.open(newline="", encoding="utf-8-sig") as fh:
        return [dict(r) for r in csv.DictReader(fh, delimiter=";")]


def bias_label(raw: str | None) -> str | None:
    """``Biased`` / ``Non-biased``, or None for ``No agreement`` and anything else."""
    value = (raw or "").strip()
    return value if value in BIAS_LABELS else None


def opinion_label(raw: str | None) -> str | None:
    """The binary opinion label (see the module docstring), or None when unusable."""
    value = (raw or "").strip().lower().replace("\u2019", "'")
    if value == "entirely factual":
        return "Factual"
    if value in ("somewhat factual but also opinionated", "expresses writer's opinion"):
        return "Opinionated"
    return None


def dev_split(rows: Sequence[Mapping[str, str]]) -> tuple[list[int], list[int]]:
    """(train, dev) row indices: rows with a bias label, stratified by (bias, raw opinion) label pair;
    in each stratum the indices are shuffled with ``random.Random(DEV_SEED)`` and the first
    ``round(DEV_FRACTION * n)`` go to dev. Rows without a bias label are in neither."""
    keys: dict[int, tuple[str, str]] = {}
    for i, row in enumerate(rows):
        bias = bias_label(row.get("label_bias"))
        if bias is not None:
            keys[i] = (bias, (row.get("label_opinion") or "").strip())
    return stratified_split(keys, fraction=DEV_FRACTION, seed=DEV_SEED)


def stratified_split(
    keys: Mapping[int, tuple[str, str]], *, fraction: float, seed: int
) -> tuple[list[int], list[int]]:
    """(rest, held) of the indices of ``keys`` (index → stratum): in each stratum, in sorted order,
    the indices (in ``keys``' order) are shuffled with ``random.Random(seed)`` and the first
    ``round(fraction * n)`` are held out. Both lists sorted."""
    strata: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, key in keys.items():
        strata[key].append(i)
    rng = random.Random(seed)
    rest: list[int] = []
    held: list[int] = []
    for key in sorted(strata):
        ids = strata[key]
        rng.shuffle(ids)
        k = round(fraction * len(ids))
        held.extend(ids[:k])
        rest.extend(ids[k:])
    return sorted(rest), sorted(held)


def macro_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Macro F1 over ``labels`` with per-label precision/recall/F1 and support."""
    per: dict[str, dict[str, float]] = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[label] = {"precision": prec, "recall": rec, "f1": f1, "support": tp + fn}
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0
    return {
        "macro_f1": sum(v["f1"] for v in per.values()) / len(labels) if labels else 0.0,
        "accuracy": acc,
        "n": len(gold),
        "per_label": per,
    }


def evaluate_babe(
    csv_path: Path,
    *,
    system_out: Path | None = None,
    split: str = "dev",
    model: SentenceScorer | None = None,
    model_name: str | None = None,
    threshold: float = 0.5,
) -> dict[str, Any]:
    """Macro F1 of the bias and opinion labels on ``csv_path`` (see the module docstring).

    ``model`` is any scorer (a ``scores_many(texts)`` method is used when present, in batches);
    without it ``model_name`` picks one (:func:`storyline.analyze.bias_embed.sentence_scorer`:
    ``classical``, ``embeddings``, ``borderline``, ``finetuned``, ``mpnet``; default ``classical``)."""
    if split not in ("dev", "all"):
        raise ValueError(f"[F002] split must be 'dev' or 'all', not {split!r}")
    scorer: Any = model
    if scorer is None:
        from storyline.analyze.bias_embed import sentence_scorer

        scorer = sentence_scorer(model_name) if model_name else load_bias_model()
    name = str(getattr(scorer, "name", "classical"))
    rows = read_babe(csv_path)
    ids = dev_split(rows)[1] if split == "dev" else list(range(len(rows)))
    texts = [rows[i].get("text") or "" for i in ids]
    t0 = time.process_time()
    wall = time.perf_counter()
    many = getattr(scorer, "scores_many", None)
    if many is not None:
        scores = [dict(s) for k in range(0, len(texts), 256) for s in many(texts[k : k + 256])]
    else:
        scores = [dict(scorer.scores(t)) for t in texts]
    elapsed = time.process_time() - t0
    wall = time.perf_counter() - wall
    preds = [
        (
            "Biased" if s["bias"] >= threshold else "Non-biased",
            "Opinionated" if s["opinion"] >= threshold else "Factual",
        )
        for s in scores
    ]
    if system_out is not None:
        system_out.parent.mkdir(parents=True, exist_ok=True)
        with system_out.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["row", "bias", "opinion", "p_bias", "p_opinion"])
            for i, (b, o), s in zip(ids, preds, scores, strict=True):
                writer.writerow([i, b, o, f"{s['bias']:.4f}", f"{s['opinion']:.4f}"])
    gb: list[str] = []
    pb: list[str] = []
    go: list[str] = []
    po: list[str] = []
    for i, (b, o) in zip(ids, preds, strict=True):
        gold_b = bias_label(rows[i].get("label_bias"))
        if gold_b is not None:
            gb.append(gold_b)
            pb.append(b)
        gold_o = opinion_label(rows[i].get("label_opinion"))
        if gold_o is not None:
            go.append(gold_o)
            po.append(o)
    bias = macro_f1(gb, pb, BIAS_LABELS)
    opinion = macro_f1(go, po, OPINION_LABELS)
    result: dict[str, Any] = {
        "file": str(csv_path),
        "split": split,
        "rows_scored": len(ids),
        "bias": bias,
        "opinion": opinion,
        "model": name,
        "cpu_ms_per_sentence": round(1000.0 * elapsed / len(ids), 4) if ids else 0.0,
        "wall_ms_per_sentence": round(1000.0 * wall / len(ids), 4) if ids else 0.0,
    }
    logger.info(
        "BABE %s: bias macro F1 %.4f (n=%d), opinion macro F1 %.4f (n=%d)",
        split,
        bias["macro_f1"],
        bias["n"],
        opinion["macro_f1"],
        opinion["n"],
    )
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m storyline.eval.babe CSV [--split all|dev] [--system-out PATH]``: print the JSON result."""
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m storyline.eval.babe", description=main.__doc__)
    parser.add_argument("csv_path", type=Path)
    parser.add_argument("--split", choices=("all", "dev"), default="all")
    parser.add_argument("--system-out", type=Path, default=None)
    parser.add_argument(
        "--model",
        choices=("classical", "embeddings", "borderline", "finetuned", "mpnet"),
        default="classical",
    )
    args = parser.parse_args(argv)
    result = evaluate_babe(args.csv_path, split=args.split, system_out=args.system_out, model_name=args.model)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
