"""Flat numpy arrays for the linking indexes' state (:mod:`storyline.link.state` stores them).

Everything is plain numbers and fixed-width unicode (``numpy`` ``U`` dtype), so a state read back
from the store is loaded with ``allow_pickle=False``: no object from the database is ever
unpickled. Ragged structures (posting lists, sparse vectors) are a ``counts`` array plus flat
``values``; dicts keep their insertion order, which the indexes depend on.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

__all__ = [
    "Arrays",
    "StateMismatch",
    "from_bytes",
    "header",
    "items",
    "pack_postings",
    "pack_vectors",
    "strings",
    "to_bytes",
    "unpack_postings",
    "unpack_vectors",
]

Arrays = dict[str, npt.NDArray[Any]]
K = TypeVar("K", bound=Hashable)


class StateMismatch(ValueError):
    """A stored state of another format version or other settings than the reader's (rebuild it)."""


def strings(values: Iterable[str]) -> npt.NDArray[np.uint8]:
    """Strings as the UTF-8 of a JSON list in a ``uint8`` array (a quarter of numpy's fixed-width
    unicode for ids, and decoded by one ``json.loads``); :func:`items` reads it back."""
    data = json.dumps(list(values), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return np.frombuffer(data, dtype=np.uint8).copy()


def items(arr: npt.NDArray[Any]) -> list[Any]:
    """The Python values of an array: the strings of :func:`strings`, else ``tolist()``."""
    if arr.dtype == np.uint8:
        value = json.loads(bytes(arr).decode("utf-8"))
        if not isinstance(value, list):
            raise StateMismatch("a string array of the state is not a JSON list")
        return value
    out: list[Any] = arr.tolist()
    return out


def header(data: Mapping[str, Any]) -> npt.NDArray[np.uint8]:
    """A JSON mapping as a ``uint8`` array (the state's version and settings)."""
    return np.frombuffer(json.dumps(dict(data), sort_keys=True).encode("utf-8"), dtype=np.uint8).copy()


def read_header(arr: npt.NDArray[Any]) -> dict[str, Any]:
    value = json.loads(bytes(np.asarray(arr, dtype=np.uint8)).decode("utf-8"))
    if not isinstance(value, dict):
        raise StateMismatch("state header is not a JSON object")
    return value


def pack_postings(prefix: str, postings: Mapping[Any, OrderedDict[str, None]], *, key_kind: str) -> Arrays:
    """``key -> ordered ids`` as ``{prefix}_keys`` (int64, str, or an ``(n, 2)`` int64 for pairs),
    ``{prefix}_counts`` and ``{prefix}_ids``."""
    keys = list(postings)
    if key_kind == "int":
        key_arr: npt.NDArray[Any] = np.array(keys, dtype=np.int32)
    elif key_kind == "pair":
        key_arr = np.array(keys, dtype=np.int64).reshape(len(keys), 2)
    else:
        key_arr = strings(str(k) for k in keys)
    return {
        f"{prefix}_keys": key_arr,
        f"{prefix}_counts": np.array([len(postings[k]) for k in keys], dtype=np.int32),
        f"{prefix}_ids": strings(i for k in keys for i in postings[k]),
    }


def unpack_postings(prefix: str, arrays: Mapping[str, npt.NDArray[Any]], *, key_kind: str) -> dict[Any, Any]:
    keys_arr = arrays[f"{prefix}_keys"]
    if key_kind == "pair":
        keys: list[Any] = [(int(a), int(b)) for a, b in items(keys_arr)]
    else:
        keys = items(keys_arr)
    ids = items(arrays[f"{prefix}_ids"])
    out: dict[Any, OrderedDict[str, None]] = {}
    pos = 0
    for key, n in zip(keys, items(arrays[f"{prefix}_counts"]), strict=True):
        out[key] = OrderedDict.fromkeys(ids[pos : pos + n])
        pos += n
    return out


def pack_vectors(prefix: str, owners: Sequence[str], vectors: Sequence[Mapping[int, float]]) -> Arrays:
    """Sparse vectors (term -> weight, in their own order) of ``owners``."""
    return {
        f"{prefix}_owners": strings(owners),
        f"{prefix}_counts": np.array([len(v) for v in vectors], dtype=np.int32),
        f"{prefix}_terms": np.array([t for v in vectors for t in v], dtype=np.int32),
        f"{prefix}_values": np.array([x for v in vectors for x in v.values()], dtype=np.float64),
    }


def unpack_vectors(prefix: str, arrays: Mapping[str, npt.NDArray[Any]]) -> list[tuple[str, dict[int, float]]]:
    terms = items(arrays[f"{prefix}_terms"])
    values = items(arrays[f"{prefix}_values"])
    out: list[tuple[str, dict[int, float]]] = []
    pos = 0
    for owner, n in zip(items(arrays[f"{prefix}_owners"]), items(arrays[f"{prefix}_counts"]), strict=True):
        out.append((owner, dict(zip(terms[pos : pos + n], values[pos : pos + n], strict=True))))
        pos += n
    return out


def to_bytes(arrays: Mapping[str, npt.NDArray[Any]] | Iterable[tuple[str, npt.NDArray[Any]]]) -> bytes:
    """An uncompressed ``.npz`` of ``arrays`` (what :func:`numpy.savez` writes), given as a mapping or
    as ``(name, array)`` pairs: pairs from a generator are written one at a time, so that the arrays
    of a large state are never all held beside their serialization."""
    pairs = arrays.items() if isinstance(arrays, Mapping) else arrays
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for name, array in pairs:
            with zf.open(f"{name}.npy", "w", force_zip64=True) as out:
                np.lib.format.write_array(out, np.asanyarray(array), allow_pickle=False)
    return buf.getvalue()


def from_bytes(data: bytes) -> Arrays:
    """The arrays of :func:`to_bytes`, loaded without pickle; a damaged blob is a :class:`StateMismatch`."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except (ValueError, OSError, EOFError, KeyError, zipfile.BadZipFile) as exc:
        raise StateMismatch(f"stored link state cannot be read: {exc}") from exc
