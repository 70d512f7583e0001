"""Baseline for the mpnet framing scorer: frozen all-mpnet-base-v2 embeddings + logistic heads, stacked on
the classical model as :mod:`storyline.analyze.bias_embed` does with MiniLM (measured, not packaged).

    STORYLINE_CACHE_DIR=... .venv/bin/python scripts/eval_bias_mpnet_embed.py
        [--csv ../shared/benchmarks/babe/babe_sg2_train.csv] [--embed-cache bench/out/babe_mpnet.npy]

Per label, features [mpnet embedding (768, L2-normalized), out-of-fold classical logit / 3, out-of-fold
word-model z-scores / 3] on the train part of :func:`storyline.eval.babe.dev_split`; C chosen by 5-fold CV
on the train part (``train_bias.EMBED_C_GRID``); the chosen heads are then fit on the whole train part and
the dev split is scored once through :class:`storyline.analyze.bias_embed.EmbeddingBiasModel` (with the
cached mpnet vectors in place of MiniLM's). The embeddings of every CSV row are cached in
``--embed-cache`` (derived from BABE text: never commit it).

Measured (one thread, busy machine; 132 CPU ms per embedded sentence): 5-fold CV on the train part bias
0.7863 (C 1), opinion 0.8270 (C 3); dev bias 0.7674, opinion 0.7992 (the packaged MiniLM heads of
``bias_embed.json``: 0.7504 / 0.8004).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from train_bias import classical_oof, embedding_head, label_targets  # noqa: E402

from storyline import embed  # noqa: E402
from storyline.analyze.bias_embed import EMBED_FORMAT, EmbeddingBiasModel  # noqa: E402
from storyline.analyze.framing import load_bias_model  # noqa: E402
from storyline.eval.babe import dev_split, evaluate_babe, read_babe  # noqa: E402

logger = logging.getLogger("eval_bias_mpnet_embed")


def mpnet_vectors(texts: list[str], cache: Path) -> np.ndarray:
    """all-mpnet-base-v2 embeddings of ``texts`` (every CSV row), cached in ``cache``."""
    if cache.is_file():
        cached = np.load(cache)
        if cached.shape == (len(texts), 768):
            return cached
    t0 = time.process_time()
    vectors = embed.encode(texts, model="mpnet")
    logger.info(
        "embedded %d sentences: %.1f CPU ms each", len(texts), 1000 * (time.process_time() - t0) / len(texts)
    )
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, vectors)
    return vectors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", type=Path, default=ROOT.parent / "shared/benchmarks/babe/babe_sg2_train.csv")
    parser.add_argument("--embed-cache", type=Path, default=ROOT / "bench/out/babe_mpnet.npy")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    rows = read_babe(args.csv)
    train_ids, _ = dev_split(rows)
    vectors = mpnet_vectors([r.get("text") or "" for r in rows], args.embed_cache)
    by_text = {r.get("text") or "": vectors[i] for i, r in enumerate(rows)}
    emb = vectors[train_ids]
    classical, dense_std = classical_oof(rows, train_ids)
    _, folds, targets = label_targets(rows, train_ids)
    heads: dict[str, Any] = {}
    chosen: dict[str, Any] = {}
    for name, (mask, y) in targets.items():
        feats = np.hstack([emb, classical[name][:, None] / 3.0, dense_std / 3.0])
        heads[name], chosen[name] = embedding_head(feats, y, mask, folds, label=name)
    packaged = json.loads((ROOT / "src/storyline/data/models/bias_embed.json").read_text(encoding="utf-8"))
    data: dict[str, Any] = {
        "format": EMBED_FORMAT,
        "meta": {"embedding": "all-mpnet-base-v2", "selection": chosen},
        "dense": packaged["dense"],
        "heads": heads,
    }
    real_encode = embed.encode
    embed.encode = lambda texts, **kw: np.asarray([by_text[t] for t in texts], dtype=np.float32)  # type: ignore[assignment]
    try:
        scorer = EmbeddingBiasModel(data, classical=load_bias_model())
        dev = evaluate_babe(args.csv, split="dev", model=scorer)
    finally:
        embed.encode = real_encode  # type: ignore[assignment]
    logger.info(
        "selection %s; dev bias %.4f opinion %.4f",
        chosen,
        dev["bias"]["macro_f1"],
        dev["opinion"]["macro_f1"],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
