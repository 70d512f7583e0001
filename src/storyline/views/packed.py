"""The linked corpus's analyses kept packed: compressed bytes, decoded when read.

:class:`PackedAnalyses` is the read-only ``Mapping[str, Analysis]`` that :meth:`Corpus._linked`
hands to every view. Decoded :class:`~storyline.analyze.pipeline.Analysis` objects take about
89 MB per 1,000 articles (docs/scaling.md M23), so a linked store of 100,000 articles would hold
most of 15 GB; packed, each analysis is its pickle (a compact encoding of the frozen dataclasses,
below) compressed with zlib, a few KB.

Reading ``analyses[article_id]`` decodes the analysis again (a fresh object equal to the one
packed); the last :data:`RECENT` decoded ones are kept, so a view that looks an article up more
than once in a pass decodes it once. Iterating ``items()`` or ``values()`` decodes each analysis
as it goes and lets it go, so memory stays flat whatever the size of the store.

The encoding: a dataclass instance (every part of an ``Analysis``) is pickled as a call to a
constructor made for its class, with its field values in order, and rebuilt by that constructor
without going through ``__init__`` (the values were valid when packed). That decodes about twice
as fast as the default pickling of frozen slotted dataclasses (their ``__setstate__`` loops over
``dataclasses.fields`` in Python) and several times faster than ``Analysis.from_json``. The bytes
live only in this process: they are never stored or sent anywhere.
"""

from __future__ import annotations

import dataclasses
import errno
import io
import logging
import math
import os
import pickle
import sys
import tempfile
import threading
import weakref
import zlib
from collections import OrderedDict
from collections.abc import Callable, Container, Iterator, Mapping
from typing import Any

from ..analyze.pipeline import Analysis
from ..errors import ConfigError, ScratchError

logger = logging.getLogger(__name__)

__all__ = [
    "LazyAnalysis",
    "PackedAnalyses",
    "SpillFile",
    "pack",
    "unpack",
    "spill_directory",
    "spill_threshold",
    "RECENT",
    "SPILL_MB",
]

RECENT = 64  # decoded analyses kept (least recently read dropped first)
LEVEL = 1  # zlib level: 6 saves ~6 % more and costs more to pack than the pickling itself

_new = object.__new__
_set = object.__setattr__
_FIELDS: dict[type, tuple[str, ...]] = {}
_MAKERS: dict[type, Callable[..., Any]] = {}


def _maker(cls: type) -> Callable[..., Any]:
    """A module-level function ``make(*values)`` that builds a ``cls`` from its field values."""
    made = _MAKERS.get(cls)
    if made is None:
        names = _FIELDS[cls]
        params = ", ".join(f"v{i}" for i in range(len(names)))
        sets = "".join(f"    set_(obj, {name!r}, v{i})\n" for i, name in enumerate(names))
        source = f"def make({params}):\n    obj = new(cls)\n{sets}    return obj\n"
        scope: dict[str, Any] = {"new": _new, "set_": _set, "cls": cls}
        exec(source, scope)  # straight-line code: no loop over the fields per object
        made = scope["make"]
        name = f"_make_{len(_MAKERS)}_{cls.__name__}"
        made.__name__ = made.__qualname__ = name
        made.__module__ = __name__
        globals()[name] = made  # pickled by reference, as this module's attribute
        _MAKERS[cls] = made
    return made


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        names = _FIELDS.get(cls)
        if names is None:
            if not dataclasses.is_dataclass(cls) or isinstance(obj, type):
                return NotImplemented
            names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
        return _maker(cls), tuple([getattr(obj, n) for n in names])


def _dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


# the parts of an analysis decoded only when read (each a tuple of dataclasses, or the framing)
LAZY = ("mentions", "timexes", "statements", "positions", "events", "figures", "framing")


class LazyAnalysis(Analysis):
    """An :class:`Analysis` whose parts (:data:`LAZY`) are decoded from its packed bytes the first
    time each is read: a view that reads the figures of every article decodes only the figures.
    It is equal to the analysis it was packed from (and to any equal ``Analysis``) and as frozen."""

    __slots__ = ("_parts",)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Analysis):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _NAMES)

    __hash__ = Analysis.__hash__


_NAMES = tuple(f.name for f in dataclasses.fields(Analysis))
_PARTS = object.__getattribute__  # reads LazyAnalysis._parts past the frozen dataclass machinery


def _lazy_part(name: str, position: int) -> property:
    slot = Analysis.__dict__[name]  # the member descriptor of the dataclass's slot

    def get(self: LazyAnalysis) -> Any:
        try:
            return slot.__get__(self, Analysis)
        except AttributeError:  # not decoded yet
            value = pickle.loads(_PARTS(self, "_parts")[position])
            slot.__set__(self, value)
            return value

    def set_(self: LazyAnalysis, value: Any) -> None:  # __init__ and unpickling set every field
        slot.__set__(self, value)

    return property(get, set_, doc=f"``{name}``, decoded when first read")


for _position, _name in enumerate(LAZY):
    setattr(LazyAnalysis, _name, _lazy_part(_name, _position))
_PARTS_SLOT = LazyAnalysis.__dict__["_parts"]
_HEAD = tuple(name for name in _NAMES if name not in LAZY)  # article id, version, language, skipped


def pack(analysis: Analysis) -> bytes:
    """``analysis`` as compressed bytes (:func:`unpack` gives back an equal object)."""
    head = tuple(getattr(analysis, name) for name in _HEAD)
    parts = tuple(_dumps(getattr(analysis, name)) for name in LAZY)
    return zlib.compress(pickle.dumps((head, parts), protocol=pickle.HIGHEST_PROTOCOL), LEVEL)


def unpack(blob: bytes) -> LazyAnalysis:
    """The analysis :func:`pack` packed, its parts still encoded (decoded when read)."""
    head, parts = pickle.loads(zlib.decompress(blob))
    analysis: LazyAnalysis = _new(LazyAnalysis)
    for name, value in zip(_HEAD, head, strict=True):
        _set(analysis, name, value)
    _PARTS_SLOT.__set__(analysis, parts)
    return analysis


class PackedAnalyses(Mapping[str, Analysis]):
    """Article id → its analysis, kept packed; a read-only mapping for the views.

    ``recent`` decoded analyses are kept (0: none). :meth:`put` and :meth:`discard` are for the
    code that builds it (:func:`storyline.views.analysis.build_actor_index`), not for views.
    Reading from several threads at once is safe (the API serves views from a thread pool).

    Once the packed bytes held pass ``spill`` bytes (default :func:`spill_threshold`; 0: from the
    first analysis), they go to an anonymous temporary file in ``directory`` (default
    :func:`spill_directory`) and only the place of each is kept: reads take the bytes back with
    one ``pread`` (the page cache serves them), so the process's memory no longer grows with them.
    :meth:`close` (or the mapping going out of use) removes the file; it has no name on disk, so
    a crash leaves nothing behind. A file that cannot be made or written raises
    :class:`~storyline.errors.ScratchError` naming the directory, and the mapping is not built.
    """

    def __init__(
        self, *, recent: int = RECENT, spill: int | None = None, directory: str | None = None
    ) -> None:
        self._blobs: dict[str, bytes] = {}  # the packed bytes, until spilled
        self._where: dict[str, int] = {}  # once spilled: article id -> offset << 32 | length
        self._file: SpillFile | None = None
        self._held = 0  # bytes in ``_blobs``
        self._spill_at = spill_threshold() if spill is None else spill
        self._directory = directory
        self._recent: OrderedDict[str, Analysis] = OrderedDict()
        self._keep = recent
        self._lock = threading.Lock()  # guards ``_recent``
        self.decoded = 0  # analyses decoded so far (the cache's misses), for tests and benchmarks

    def put(self, article_id: str, analysis: Analysis) -> None:
        blob = pack(analysis)
        if self._file is not None:
            place = self._file.append(blob)
            with self._lock:
                self._where[article_id] = place
                self._recent.pop(article_id, None)
            return
        with self._lock:
            old = self._blobs.get(article_id)
            self._held += len(blob) - (0 if old is None else len(old))
            self._blobs[article_id] = blob
            self._recent.pop(article_id, None)
        if self._held > self._spill_at:
            self._spill()

    def _spill(self) -> None:
        """Move every packed analysis held to a new spill file (nothing changes if that fails)."""
        file = SpillFile(directory=self._directory or spill_directory())
        try:
            where = {article_id: file.append(blob) for article_id, blob in self._blobs.items()}
        except BaseException:
            file.close()
            raise
        logger.info(
            "%d packed analyses (%s bytes) spilled to a temporary file in %s",
            len(where),
            f"{self._held:,}",
            file.directory,
        )
        with self._lock:
            self._where = where
            self._file = file
            self._blobs = {}
            self._held = 0

    def discard(self, article_id: str) -> None:
        with self._lock:
            blob = self._blobs.pop(article_id, None)
            if blob is not None:
                self._held -= len(blob)
            self._where.pop(article_id, None)  # its bytes stay in the file until it is closed
            self._recent.pop(article_id, None)

    def __getitem__(self, article_id: str) -> Analysis:
        recent = self._recent
        with self._lock:
            found = recent.get(article_id)
            if found is not None:
                recent.move_to_end(article_id)
                return found
        file = self._file
        if file is None:
            blob = self._blobs[article_id]  # KeyError for an article without an analysis
        else:
            place = self._where[article_id]
            blob = file.read(place >> 32, place & _LENGTH)
        analysis = unpack(blob)
        with self._lock:
            self.decoded += 1
            if self._keep:
                recent[article_id] = analysis
                if len(recent) > self._keep:
                    recent.popitem(last=False)
        return analysis

    def _ids(self) -> dict[str, Any]:
        return self._blobs if self._file is None else self._where

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._ids()

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids())

    def __len__(self) -> int:
        return len(self._ids())

    def __repr__(self) -> str:
        where = (
            "in memory" if self._file is None else f"spilled to a temporary file in {self._file.directory}"
        )
        return f"<PackedAnalyses: {len(self)} analyses, {self.nbytes:,} bytes packed, {where}>"

    @property
    def nbytes(self) -> int:
        """The packed bytes of the analyses (in memory or in the spill file)."""
        if self._file is None:
            return self._held
        return sum(place & _LENGTH for place in self._where.values())

    @property
    def spilled(self) -> bool:
        """Whether the packed bytes are in a temporary file rather than in memory."""
        return self._file is not None

    def close(self) -> None:
        """Remove the spill file, if any (every mapping sharing it, from :meth:`subset`, can then no
        longer be read). Nothing to do for analyses held in memory."""
        if self._file is not None:
            self._file.close()
            with self._lock:
                self._recent.clear()

    def subset(self, keep: Container[str]) -> PackedAnalyses:
        """The analyses of the articles in ``keep``, in this mapping's order, sharing the packed
        bytes (nothing is decoded; a spilled mapping's subset reads the same file)."""
        out = PackedAnalyses(recent=self._keep, spill=self._spill_at, directory=self._directory)
        if self._file is None:
            out._blobs = {a: blob for a, blob in self._blobs.items() if a in keep}
            out._held = sum(len(blob) for blob in out._blobs.values())
        else:
            out._where = {a: place for a, place in self._where.items() if a in keep}
            out._file = self._file
        return out


_LENGTH = (1 << 32) - 1  # the length bits of a spilled analysis's place


class SpillFile:
    """An anonymous temporary file that packed analyses are appended to and read back from.

    It has no name (``tempfile.TemporaryFile``): the disk space is given back when it is closed,
    when the last object using it goes, or when the process ends in any way. Appends and reads
    take a lock (``close`` must not let a read hit a reused descriptor); a read is one ``pread``.
    """

    def __init__(self, *, directory: str) -> None:
        self.directory = directory
        try:
            self._file = tempfile.TemporaryFile(dir=directory, prefix="storyline-packed-", buffering=0)
        except OSError as exc:
            raise ScratchError(
                directory, f"cannot make the linked views' spill file: {_reason(exc)}"
            ) from exc
        self._fd = self._file.fileno()
        self._end = 0
        self._lock = threading.Lock()
        self._closer = weakref.finalize(self, self._file.close)

    def append(self, blob: bytes) -> int:
        """Write ``blob`` at the end; its place (``offset << 32 | length``) to read it back by."""
        if len(blob) > _LENGTH:
            raise ValueError(
                f"a packed analysis of {len(blob):,} bytes is over the {_LENGTH:,} a place holds"
            )
        with self._lock:
            self._check_open()
            offset = self._end
            view = memoryview(blob)
            try:
                written = 0
                while written < len(view):
                    n = os.pwrite(self._fd, view[written:], offset + written)
                    if n <= 0:
                        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                    written += n
            except OSError as exc:
                raise ScratchError(
                    self.directory,
                    f"cannot write {len(blob):,} bytes to the linked views' spill file at offset {offset:,}: "
                    f"{_reason(exc)} (the linked views were not built; free space there or set "
                    f"{SPILL_DIR_ENV} to another directory)",
                ) from exc
            self._end = offset + len(blob)
        return offset << 32 | len(blob)

    def read(self, offset: int, length: int) -> bytes:
        """The ``length`` bytes written at ``offset``."""
        with self._lock:
            self._check_open()
            try:
                data = os.pread(self._fd, length, offset)
            except OSError as exc:
                raise ScratchError(
                    self.directory,
                    f"cannot read {length:,} bytes of the linked views' spill file at offset {offset:,}: "
                    f"{_reason(exc)}",
                ) from exc
        if len(data) != length:
            raise ScratchError(
                self.directory,
                f"the linked views' spill file gave {len(data):,} of the {length:,} bytes "
                f"at offset {offset:,}",
            )
        return data

    def _check_open(self) -> None:
        if not self._closer.alive:
            raise ScratchError(
                self.directory, "the linked views' spill file is closed (the corpus was closed)"
            )

    @property
    def closed(self) -> bool:
        return not self._closer.alive

    @property
    def size(self) -> int:
        """Bytes written to the file (analyses discarded or replaced since included)."""
        return self._end

    def close(self) -> None:
        with self._lock:
            self._closer()


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) if exc.errno is None else f"{os.strerror(exc.errno)} (errno {exc.errno})"


MB = 1 << 20
SPILL_MB = 4.0  # default spill threshold in MB of packed bytes, ≈ 1,200 analyses (docs/scaling.md M42)
SPILL_ENV = "STORYLINE_SPILL_MB"
SPILL_DIR_ENV = "STORYLINE_SPILL_DIR"


def spill_threshold() -> int:
    """The packed bytes a :class:`PackedAnalyses` holds in memory before it spills them to a
    temporary file: ``$STORYLINE_SPILL_MB`` megabytes (0: always spill, ``inf``: never), else
    :data:`SPILL_MB`."""
    raw = os.environ.get(SPILL_ENV, "").strip()
    if not raw:
        return int(SPILL_MB * MB)
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if math.isnan(value) or value < 0:
        raise ConfigError(SPILL_ENV, f"expected a number of megabytes, 0 or more (or inf), got {raw!r}")
    return sys.maxsize if math.isinf(value) else int(value * MB)


def spill_directory(location: str | None = None) -> str:
    """Where the spill file goes: ``$STORYLINE_SPILL_DIR``, else the directory of an SQLite store
    at ``location`` (on disk by the user's choice, where ``/tmp`` may be memory), else the system's
    temporary directory."""
    chosen = os.environ.get(SPILL_DIR_ENV, "").strip()
    if chosen:
        return chosen
    if location and not location.startswith(("postgresql:", "postgres:", ":memory:")):
        path = location.removeprefix("sqlite:///")
        if path and path != ":memory:" and not path.startswith("file:"):
            return os.path.dirname(os.path.abspath(path))
    return tempfile.gettempdir()
