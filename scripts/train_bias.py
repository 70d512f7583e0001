"""Train the sentence bias/opinion model ``src/storyline/data/models/bias.json`` from BABE SG2.

    .venv/bin/python scripts/train_bias.py [--csv ../shared/benchmarks/babe/babe_sg2_train.csv]
                                           [--out src/storyline/data/models/bias.json] [--no-cv]

Deterministic (fixed seeds, liblinear with a fixed random_state, rounded weights).

**Dev split** (:func:`storyline.eval.babe.dev_split`): the rows with a bias label (``No agreement`` left
out), stratified by the (bias, opinion) label pair, 20 % to dev with ``random.Random(20211101)``. The
dev rows are never used for training or model selection; the dev score is computed once, from the
exported JSON model, and written into the model's ``meta``.

**Model** (all features from :mod:`storyline.analyze.framing`, so inference matches training):

1. a *word-level* bias model: every token of the training sentences is an example, positive when the
   annotators listed it in ``biased_words``; features are the word and its char 2-5-grams (TF-IDF),
   logistic regression (C=3, not tuned); token examples are collapsed per word type with sample weights.
2. per sentence: TF-IDF word 1-2-grams (min_df 2) and char 3-5-grams (min_df 3), plus four dense
   features from the word model (max, top-3 mean, counts > 0.3 / > 0.5) — out-of-fold (5 folds) on the
   training rows so the sentence model does not learn from a word model that has seen the sentence.
3. one logistic head per label: ``bias`` (Biased=1) and ``opinion`` (Opinionated=1, binary mapping of
   :func:`storyline.eval.babe.opinion_label`; rows without an opinion label are left out of that head).

**Model selection**: 5-fold stratified CV on the train part only, over C and a weight on the dense
features; the sentence TF-IDF idf and the out-of-fold dense features are computed once over the whole
train part (unsupervised idf, and word-model features that never saw their own row), a small shortcut
in selection only.
"""

from __future__ import annotations

import argparse
import ast
import json
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.analyze.framing import (  # noqa: E402
    MODEL_FORMAT,
    BiasModel,
    char_features,
    token_features,
    word_features,
    word_tokens,
)
from storyline.eval.babe import bias_label, dev_split, evaluate_babe, opinion_label, read_babe  # noqa: E402

logger = logging.getLogger("train_bias")
SEED = 13
C_GRID = (1.0, 3.0, 10.0)
DENSE_WEIGHTS = (1.0, 3.0)
WORD_C = 3.0


def biased_words(raw: str) -> set[str]:
    try:
        words = ast.literal_eval(raw or "[]")
    except (ValueError, SyntaxError):
        return set()
    out: set[str] = set()
    for w in words:
        out.update(word_tokens(str(w)))
    return out


class WordModel:
    """The word-level bias model (sklearn side, for training)."""

    def __init__(self, texts: list[str], marked: list[set[str]]) -> None:
        pos: Counter[str] = Counter()
        neg: Counter[str] = Counter()
        for text, bw in zip(texts, marked, strict=True):
            for w in word_tokens(text):
                (pos if w in bw else neg)[w] += 1
        vocab = sorted(set(pos) | set(neg))
        words: list[str] = []
        labels: list[int] = []
        weights: list[float] = []
        for w in vocab:
            for lab, cnt in ((1, pos[w]), (0, neg[w])):
                if cnt:
                    words.append(w)
                    labels.append(lab)
                    weights.append(float(cnt))
        self.vec = TfidfVectorizer(analyzer=token_features, sublinear_tf=True, min_df=2)
        x = self.vec.fit_transform(words)
        self.lr = LogisticRegression(C=WORD_C, max_iter=5000).fit(x, labels, sample_weight=weights)
        self.cache: dict[str, float] = {}

    def score(self, w: str) -> float:
        if w not in self.cache:
            self.cache[w] = float(self.lr.predict_proba(self.vec.transform([w]))[0, 1])
        return self.cache[w]

    def dense(self, text: str) -> list[float]:
        toks = word_tokens(text)
        missing = sorted({w for w in toks if w not in self.cache})
        if missing:
            probs = self.lr.predict_proba(self.vec.transform(missing))[:, 1]
            self.cache.update(zip(missing, map(float, probs), strict=True))
        scores = sorted((self.cache[w] for w in toks), reverse=True) or [0.0]
        top = scores[:3]
        return [
            scores[0],
            sum(top) / len(top),
            float(sum(s > 0.3 for s in scores)),
            float(sum(s > 0.5 for s in scores)),
        ]


def oof_dense(texts: list[str], marked: list[set[str]], strat: list[str]) -> np.ndarray:
    out = np.zeros((len(texts), 4))
    folds = StratifiedKFold(5, shuffle=True, random_state=SEED)
    for a, b in folds.split(texts, strat):
        wm = WordModel([texts[i] for i in a], [marked[i] for i in a])
        for i in b:
            out[i] = wm.dense(texts[i])
    return out


def label_targets(
    rows: list[dict[str, Any]], train_ids: list[int]
) -> tuple[list[str], list[Any], dict[str, tuple[np.ndarray, np.ndarray]]]:
    """For the rows ``train_ids``: the bias|opinion strata, the 5 stratified folds (SEED) and per head
    ``(rows that carry the label, 0/1 labels)``."""
    y_bias = np.array([bias_label(rows[i]["label_bias"]) == "Biased" for i in train_ids], dtype=int)
    op = [opinion_label(rows[i].get("label_opinion")) for i in train_ids]
    strat = [f"{b}|{o}" for b, o in zip(y_bias, op, strict=True)]
    folds = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(np.zeros(len(strat)), strat))
    targets = {
        "bias": (np.ones(len(train_ids), bool), y_bias),
        "opinion": (np.array([o is not None for o in op]), np.array([o == "Opinionated" for o in op], int)),
    }
    return strat, folds, targets


def embedding_head(
    feats: np.ndarray, y: np.ndarray, mask: np.ndarray, folds: list[Any], *, label: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A logistic head over ``feats`` with C chosen from EMBED_C_GRID by cross-validated macro F1 on
    the rows ``mask`` keeps, then fit on all of them: ``(head as JSON layers, {"C", "cv_macro_f1"})``."""
    best = (0.0, -1.0)
    for c in EMBED_C_GRID:
        pred = np.zeros(len(y), dtype=int)
        for a, b in folds:
            a = a[mask[a]]
            pred[b] = LogisticRegression(C=c, max_iter=5000).fit(feats[a], y[a]).predict(feats[b])
        f1 = float(f1_score(y[mask], pred[mask], average="macro"))
        logger.info("  %s C=%s CV macro F1 %.4f", label, c, f1)
        if f1 > best[1] + 1e-9:
            best = (c, f1)
    head = LogisticRegression(C=best[0], max_iter=5000).fit(feats[mask], y[mask])
    layers = {"layers": [{"W": [rounded(head.coef_[0])], "b": rounded(head.intercept_)}]}
    return layers, {"C": best[0], "cv_macro_f1": round(best[1], 4)}


def block(vec: TfidfVectorizer) -> dict[str, Any]:
    vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
    return {"vocab": vocab, "idf": [round(float(v), 3) for v in vec.idf_]}


def rounded(values: Any) -> list[float]:
    return [float(f"{float(v):.4g}") for v in values]


def select(x: sparse.csr_matrix, dense: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """(C, dense weight, CV macro F1) maximizing 5-fold CV macro F1 on the given rows."""
    folds = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(np.zeros(len(y)), y))
    best = (0.0, 0.0, -1.0)
    for weight in DENSE_WEIGHTS:
        full = sparse.hstack([x, sparse.csr_matrix(dense * weight)]).tocsr()
        for c in C_GRID:
            pred = np.zeros(len(y), dtype=int)
            for a, b in folds:
                lr = LogisticRegression(C=c, solver="liblinear", random_state=SEED).fit(full[a], y[a])
                pred[b] = lr.predict(full[b])
            f1 = float(f1_score(y, pred, average="macro"))
            logger.info("  C=%-4s dense×%-3s CV macro F1 %.4f", c, weight, f1)
            if f1 > best[2] + 1e-9:
                best = (c, weight, f1)
    return best


EMBED_C_GRID = (0.3, 1.0, 3.0)


def row_embeddings(texts: list[str], cache: Path) -> np.ndarray:
    """all-MiniLM-L6-v2 embeddings of ``texts`` (every row of the CSV), cached in ``cache``."""
    from storyline import embed

    if cache.is_file():
        cached = np.load(cache)
        if cached.shape == (len(texts), embed.DIMENSIONS):
            return cached
    logger.info("embedding %d sentences (slow on a busy CPU; cached in %s)", len(texts), cache)
    vectors = embed.encode(texts)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, vectors)
    return vectors


def train_embeddings(
    args: argparse.Namespace,
    rows: list[dict[str, str]],
    train_ids: list[int],
    x: sparse.csr_matrix,
    dense: np.ndarray,
    dense_std: np.ndarray,
    selection: dict[str, Any],
    folds: list[tuple[np.ndarray, np.ndarray]],
    classical: BiasModel,
) -> None:
    """The stacked heads of :mod:`storyline.analyze.bias_embed`: per label, a logistic regression on
    [embedding, out-of-fold classical logit / 3, word-model z-scores / 3], C by 5-fold CV on the train
    part; writes ``--embed-out`` with its dev score (batch embeddings of dev rows come from the cache)."""
    from storyline import embed
    from storyline.analyze.bias_embed import EMBED_FORMAT, EmbeddingBiasModel

    vectors = row_embeddings([r.get("text") or "" for r in rows], args.embed_cache)
    by_text = {r.get("text") or "": vectors[i] for i, r in enumerate(rows)}
    emb = vectors[train_ids]
    y_all = {
        "bias": np.array([bias_label(rows[i]["label_bias"]) == "Biased" for i in train_ids], dtype=int),
        "opinion": np.array(
            [opinion_label(rows[i].get("label_opinion")) == "Opinionated" for i in train_ids], dtype=int
        ),
    }
    masks = {
        "bias": np.ones(len(train_ids), bool),
        "opinion": np.array([opinion_label(rows[i].get("label_opinion")) is not None for i in train_ids]),
    }
    heads: dict[str, Any] = {}
    chosen: dict[str, Any] = {}
    for name in ("bias", "opinion"):
        c_lin, weight = selection[name]["C"], selection[name]["dense_weight"]
        full = sparse.hstack([x, sparse.csr_matrix(dense_std * weight)]).tocsr()
        mask, y = masks[name], y_all[name]
        oof = np.zeros(len(train_ids))
        for a, b in folds:
            a = a[mask[a]]
            lr = LogisticRegression(C=c_lin, solver="liblinear", random_state=SEED).fit(full[a], y[a])
            oof[b] = lr.decision_function(full[b])
        feats = np.hstack([emb, oof[:, None] / 3.0, dense_std / 3.0])
        heads[name], chosen[name] = embedding_head(feats, y, mask, folds, label=f"embeddings {name}")
    data: dict[str, Any] = {
        "format": EMBED_FORMAT,
        "meta": {
            "embedding": embed.MODEL_NAME,
            "trained_on": args.csv.name,
            "train_rows": len(train_ids),
            "selection": chosen,
        },
        "dense": {"mean": rounded(dense.mean(axis=0)), "scale": rounded(dense.std(axis=0) + 1e-6)},
        "heads": heads,
    }
    real_encode = embed.encode
    embed.encode = lambda texts, **kw: np.asarray([by_text[t] for t in texts], dtype=np.float32)  # type: ignore[assignment]
    try:
        for label, borderline in (("dev", None), ("dev_borderline", 0.25)):
            scorer = EmbeddingBiasModel(data, classical=classical, borderline=borderline)
            dev = evaluate_babe(args.csv, split="dev", model=scorer)
            data["meta"][label] = {
                "bias_macro_f1": round(dev["bias"]["macro_f1"], 4),
                "opinion_macro_f1": round(dev["opinion"]["macro_f1"], 4),
            }
            logger.info("embeddings %s: %s", label, data["meta"][label])
    finally:
        embed.encode = real_encode  # type: ignore[assignment]
    args.embed_out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")


def classical_oof_logits(
    rows: list[dict[str, str]], train_ids: list[int], selection: dict[str, Any] | None = None
) -> dict[str, np.ndarray]:
    """The logits of :func:`classical_oof`."""
    return classical_oof(rows, train_ids, selection)[0]


def classical_oof(
    rows: list[dict[str, str]], train_ids: list[int], selection: dict[str, Any] | None = None
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Out-of-fold classical logits (``bias``, ``opinion``) for ``train_ids``, in that order: the features
    of :func:`main` (TF-IDF fit on the train part, out-of-fold word-model features) and, per head, the C
    and dense weight of ``selection`` (default: the packaged model's ``meta.selection``), 5 folds; and the
    standardized out-of-fold word-model features."""
    from storyline.analyze.framing import load_bias_model

    selection = selection or load_bias_model().meta["selection"]
    texts = [rows[i]["text"] for i in train_ids]
    marked = [biased_words(rows[i].get("biased_words", "")) for i in train_ids]
    strat, folds, targets = label_targets(rows, train_ids)
    dense = oof_dense(texts, marked, strat)
    dense_std = (dense - dense.mean(axis=0)) / (dense.std(axis=0) + 1e-6)
    wvec = TfidfVectorizer(analyzer=word_features, sublinear_tf=True, min_df=2)
    cvec = TfidfVectorizer(analyzer=char_features, sublinear_tf=True, min_df=3)
    x = sparse.hstack([wvec.fit_transform(texts), cvec.fit_transform(texts)]).tocsr()
    out: dict[str, np.ndarray] = {}
    for name, (mask, y) in targets.items():
        c, weight = selection[name]["C"], selection[name]["dense_weight"]
        full = sparse.hstack([x, sparse.csr_matrix(dense_std * weight)]).tocsr()
        oof = np.zeros(len(texts))
        for a, b in folds:
            a = a[mask[a]]
            lr = LogisticRegression(C=c, solver="liblinear", random_state=SEED).fit(full[a], y[a])
            oof[b] = lr.decision_function(full[b])
        out[name] = oof
    return out, dense_std


def embedding_oof_logits(
    rows: list[dict[str, str]],
    train_ids: list[int],
    classical: dict[str, np.ndarray],
    dense_std: np.ndarray,
    cache: Path,
) -> dict[str, np.ndarray]:
    """Out-of-fold logits of the stacked embedding heads (:func:`train_embeddings`' features and the
    packaged ``bias_embed.json``'s C per head) for ``train_ids``, 5 folds as in :func:`main`."""
    from storyline.analyze.bias_embed import load_embedding_model

    chosen = load_embedding_model().meta["selection"]
    emb = row_embeddings([r.get("text") or "" for r in rows], cache)[train_ids]
    _, folds, targets = label_targets(rows, train_ids)
    out: dict[str, np.ndarray] = {}
    for name, (mask, y) in targets.items():
        feats = np.hstack([emb, classical[name][:, None] / 3.0, dense_std / 3.0])
        oof = np.zeros(len(train_ids))
        for a, b in folds:
            a = a[mask[a]]
            lr = LogisticRegression(C=chosen[name]["C"], max_iter=5000).fit(feats[a], y[a])
            oof[b] = lr.decision_function(feats[b])
        out[name] = oof
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", type=Path, default=ROOT.parent / "shared/benchmarks/babe/babe_sg2_train.csv")
    parser.add_argument("--out", type=Path, default=ROOT / "src/storyline/data/models/bias.json")
    parser.add_argument("--no-cv", action="store_true", help="skip selection, use C=1 and dense weight 1")
    parser.add_argument(
        "--embeddings", action="store_true", help="also train the embedding heads (bias_embed.json)"
    )
    parser.add_argument("--embed-out", type=Path, default=ROOT / "src/storyline/data/models/bias_embed.json")
    parser.add_argument(
        "--embed-cache",
        type=Path,
        default=ROOT / "bench/out/babe_embeddings.npy",
        help="embeddings of every row of --csv, computed once (never commit: derived from BABE text)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    rows = read_babe(args.csv)
    train_ids, dev_ids = dev_split(rows)
    logger.info("rows %d: train %d, dev %d", len(rows), len(train_ids), len(dev_ids))
    texts = [rows[i]["text"] for i in train_ids]
    marked = [biased_words(rows[i].get("biased_words", "")) for i in train_ids]
    y_bias = np.array([bias_label(rows[i]["label_bias"]) == "Biased" for i in train_ids], dtype=int)
    op = [opinion_label(rows[i].get("label_opinion")) for i in train_ids]
    strat = [f"{b}|{o}" for b, o in zip(y_bias, op, strict=True)]

    dense = oof_dense(texts, marked, strat)
    mean = dense.mean(axis=0)
    scale = dense.std(axis=0) + 1e-6
    dense_std = (dense - mean) / scale
    wvec = TfidfVectorizer(analyzer=word_features, sublinear_tf=True, min_df=2)
    cvec = TfidfVectorizer(analyzer=char_features, sublinear_tf=True, min_df=3)
    x = sparse.hstack([wvec.fit_transform(texts), cvec.fit_transform(texts)]).tocsr()
    logger.info("features: %d words, %d chars", len(wvec.vocabulary_), len(cvec.vocabulary_))

    op_mask = np.array([o is not None for o in op])
    y_op = np.array([o == "Opinionated" for o in op], dtype=int)
    heads: dict[str, Any] = {}
    selection: dict[str, Any] = {}
    for name, rows_mask, y in (("bias", np.ones(len(texts), bool), y_bias), ("opinion", op_mask, y_op)):
        if args.no_cv:
            c, weight, cv_f1 = 1.0, 1.0, float("nan")
        else:
            logger.info("selecting %s head", name)
            c, weight, cv_f1 = select(x[rows_mask], dense_std[rows_mask], y[rows_mask])
        selection[name] = {"C": c, "dense_weight": weight, "cv_macro_f1": round(cv_f1, 4)}
        full = sparse.hstack([x, sparse.csr_matrix(dense_std * weight)]).tocsr()
        lr = LogisticRegression(C=c, solver="liblinear", random_state=SEED).fit(full[rows_mask], y[rows_mask])
        coef = lr.coef_[0].copy()
        coef[-4:] *= weight  # fold the dense weight into the coefficients: the scorer sees plain z-scores
        heads[name] = {"coef": rounded(coef), "intercept": float(f"{lr.intercept_[0]:.6g}")}
        logger.info("%s: C=%s dense×%s CV macro F1 %.4f", name, c, weight, cv_f1)

    wm = WordModel(texts, marked)
    model: dict[str, Any] = {
        "format": MODEL_FORMAT,
        "meta": {
            "trained_on": args.csv.name,
            "train_rows": len(train_ids),
            "dev_rows": len(dev_ids),
            "selection": selection,
            "labels": {"bias": "Biased vs Non-biased", "opinion": "Opinionated vs Entirely factual"},
        },
        "words": block(wvec),
        "chars": block(cvec),
        "dense": {
            "names": ["word_max", "word_top3", "word_over_0.3", "word_over_0.5"],
            "mean": rounded(mean),
            "scale": rounded(scale),
        },
        "word_model": {
            **block(wm.vec),
            "coef": rounded(wm.lr.coef_[0]),
            "intercept": float(f"{wm.lr.intercept_[0]:.6g}"),
        },
        "heads": heads,
    }
    model["word_model"] = {
        "features": block(wm.vec),
        **{k: model["word_model"][k] for k in ("coef", "intercept")},
    }
    classical = BiasModel(model)
    if args.embeddings:
        folds = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(np.zeros(len(strat)), strat))
        train_embeddings(args, rows, train_ids, x, dense, dense_std, selection, folds, classical)
    dev = evaluate_babe(args.csv, split="dev", model=classical)
    model["meta"]["dev"] = {
        "bias_macro_f1": round(dev["bias"]["macro_f1"], 4),
        "opinion_macro_f1": round(dev["opinion"]["macro_f1"], 4),
        "bias_n": dev["bias"]["n"],
        "opinion_n": dev["opinion"]["n"],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    logger.info(
        "dev: bias macro F1 %.4f (n=%d), opinion macro F1 %.4f (n=%d); %s %.2f MB, %.3f CPU ms/sentence",
        dev["bias"]["macro_f1"],
        dev["bias"]["n"],
        dev["opinion"]["macro_f1"],
        dev["opinion"]["n"],
        args.out,
        args.out.stat().st_size / 1e6,
        dev["cpu_ms_per_sentence"],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
