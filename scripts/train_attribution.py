"""Train the cue-verb model ``src/storyline/data/models/attribution_cues.json`` from PolNeAR train.

    .venv/bin/python scripts/train_attribution.py [--train ../shared/benchmarks/polnear/data/train]
        [--out src/storyline/data/models/attribution_cues.json] [--threshold 0.5] [--cache FILE.spacy]

Examples: every verb and noun token (``pos_`` VERB or NOUN) of the train articles outside quotation marks
(the statement finder looks for cues outside quotations only); positive when it lies inside a gold ``Cue``
span. Features: :func:`storyline.analyze.attribution_model.verb_features` /
:func:`~storyline.analyze.attribution_model.noun_features` on the shared spaCy parse (the noun features are
named apart, so one model scores both). Model: L2 logistic
regression (liblinear, C from 3-fold grouped-by-article CV on train, F1 of the positive class), weights
rounded to 4 decimals and those below ``--prune`` (0.2) in magnitude dropped (a third of the features;
the dev scores do not move). Deterministic. No PolNeAR text is written: the model
holds feature names (lemmas, tags, dependency labels) and weights only.

``--threshold`` is the probability above which the statement finder takes a verb outside the lexicon as
a cue; it trades recall for precision end to end (``storyline eval polnear``), so it is a setting, not
fitted here. ``--cache`` keeps the parses in a spaCy DocBin so a rerun skips parsing.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.analyze.attribution_model import MODEL_FORMAT, noun_features, verb_features  # noqa: E402
from storyline.analyze.cue_lexicon import load_cue_lexicon  # noqa: E402
from storyline.analyze.quote_marks import find_quoted_spans  # noqa: E402
from storyline.eval.polnear import _documents, read_ann  # noqa: E402

logger = logging.getLogger("train_attribution")


def _parses(train: Path, cache: Path | None) -> list[tuple[str, object, list[tuple[int, int]]]]:
    """(name, spaCy Doc, gold cue fragments) per annotated train article."""
    from spacy.tokens import DocBin

    from storyline.analyze.nlp import get_nlp, parse

    items = _documents(train)
    texts = [txt.read_text(encoding="utf-8") for _name, txt, _ann in items]
    if cache is not None and cache.is_file():
        docs = list(DocBin().from_disk(cache).get_docs(get_nlp().vocab))
        if [d.text for d in docs] != texts:
            raise SystemExit(f"{cache}: the cached parses are not of {train}; delete the cache")
    else:
        docs = []
        for i, text in enumerate(texts):
            docs.append(parse(text))
            if i % 100 == 0:
                logger.info("parsed %d/%d", i, len(texts))
        if cache is not None:
            bin_ = DocBin(store_user_data=False)
            for d in docs:
                bin_.add(d)
            bin_.to_disk(cache)
    out = []
    for (name, _txt, ann), doc in zip(items, docs, strict=True):
        cues = [f for g in read_ann(ann.read_text(encoding="utf-8")) for f in g.cue]
        out.append((name, doc, cues))
    return out


def examples(train: Path, cache: Path | None) -> tuple[list[list[str]], list[int], list[int]]:
    """Feature lists, labels and article indices of every candidate verb."""
    lex = load_cue_lexicon()
    feats: list[list[str]] = []
    labels: list[int] = []
    groups: list[int] = []
    for gi, (_name, doc, cues) in enumerate(_parses(train, cache)):
        quotes = find_quoted_spans(doc.text)  # type: ignore[attr-defined]
        for tok in doc:  # type: ignore[attr-defined]
            if tok.pos_ not in ("VERB", "NOUN"):
                continue
            if any(q.open_pos <= tok.idx < q.outer_end for q in quotes):
                continue
            end = tok.idx + len(tok)
            feats.append(verb_features(tok, lex=lex) if tok.pos_ == "VERB" else noun_features(tok, lex=lex))
            labels.append(int(any(a < end and tok.idx < b for a, b in cues)))
            groups.append(gi)
    return feats, labels, groups


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, default=ROOT.parent / "shared/benchmarks/polnear/data/train")
    ap.add_argument("--out", type=Path, default=ROOT / "src/storyline/data/models/attribution_cues.json")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--prune", type=float, default=0.2)
    ns = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import GroupKFold

    feats, labels, groups = examples(ns.train, ns.cache)
    logger.info(
        "%d candidate verbs and nouns, %d cue tokens, %d articles", len(labels), sum(labels), len(set(groups))
    )
    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(f, 1) for f in feats]).tocsr()
    x.indices = x.indices.astype("int32")  # liblinear takes 32-bit sparse indices only
    x.indptr = x.indptr.astype("int32")
    best_c, best_f1 = 1.0, -1.0
    for c in (0.1, 0.3, 1.0, 3.0):
        preds = [0] * len(labels)
        for tr, te in GroupKFold(n_splits=3).split(x, labels, groups):
            clf = LogisticRegression(C=c, solver="liblinear", random_state=0, max_iter=1000)
            clf.fit(x[tr], [labels[i] for i in tr])
            for i, p in zip(te, clf.predict_proba(x[te])[:, 1], strict=True):
                preds[i] = int(p >= ns.threshold)
        f1 = f1_score(labels, preds)
        logger.info("C=%s cv F1=%.4f", c, f1)
        if f1 > best_f1:
            best_c, best_f1 = c, f1
    clf = LogisticRegression(C=best_c, solver="liblinear", random_state=0, max_iter=1000)
    clf.fit(x, labels)
    weights = {
        name: round(float(w), 4)
        for name, w in zip(vec.get_feature_names_out(), clf.coef_[0], strict=True)
        if abs(w) >= ns.prune
    }
    model = {
        "format": MODEL_FORMAT,
        "meta": {
            "trained_on": "PolNeAR train (brat Cue spans)",
            "articles": len(set(groups)),
            "examples": len(labels),
            "positives": sum(labels),
            "C": best_c,
            "cv_f1": round(best_f1, 4),
            "pruned_below": ns.prune,
        },
        "bias": round(float(clf.intercept_[0]), 4),
        "threshold": ns.threshold,
        "weights": dict(sorted(weights.items())),
    }
    ns.out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    logger.info("wrote %s (%d weights, C=%s, cv F1 %.4f)", ns.out, len(weights), best_c, best_f1)


if __name__ == "__main__":
    main()
