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
import io
import logging
import pickle
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Container, Iterator, Mapping
from typing import Any

from ..analyze.pipeline import Analysis

logger = logging.getLogger(__name__)

__all__ = ["LazyAnalysis", "PackedAnalyses", "pack", "unpack", "RECENT"]

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
    """

    def __init__(self, *, recent: int = RECENT) -> None:
        self._blobs: dict[str, bytes] = {}
        self._recent: OrderedDict[str, Analysis] = OrderedDict()
        self._keep = recent
        self._lock = threading.Lock()  # guards ``_recent``
        self.decoded = 0  # analyses decoded so far (the cache's misses), for tests and benchmarks

    def put(self, article_id: str, analysis: Analysis) -> None:
        blob = pack(analysis)
        with self._lock:
            self._blobs[article_id] = blob
            self._recent.pop(article_id, None)

    def discard(self, article_id: str) -> None:
        with self._lock:
            self._blobs.pop(article_id, None)
            self._recent.pop(article_id, None)

    def __getitem__(self, article_id: str) -> Analysis:
        recent = self._recent
        with self._lock:
            found = recent.get(article_id)
            if found is not None:
                recent.move_to_end(article_id)
                return found
        analysis = unpack(self._blobs[article_id])  # KeyError for an article without an analysis
        with self._lock:
            self.decoded += 1
            if self._keep:
                recent[article_id] = analysis
                if len(recent) > self._keep:
                    recent.popitem(last=False)
        return analysis

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._blobs

    def __iter__(self) -> Iterator[str]:
        return iter(self._blobs)

    def __len__(self) -> int:
        return len(self._blobs)

    def __repr__(self) -> str:
        return f"<PackedAnalyses: {len(self._blobs)} analyses, {self.nbytes:,} bytes packed>"

    @property
    def nbytes(self) -> int:
        """The packed bytes held (the blobs alone, without the dict around them)."""
        return sum(len(b) for b in self._blobs.values())

    def subset(self, keep: Container[str]) -> PackedAnalyses:
        """The analyses of the articles in ``keep``, in this mapping's order, sharing the packed
        bytes (nothing is decoded)."""
        out = PackedAnalyses(recent=self._keep)
        out._blobs = {a: blob for a, blob in self._blobs.items() if a in keep}
        return out
