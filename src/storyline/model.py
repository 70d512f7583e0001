"""The data model: frozen dataclasses, every fact with its evidence span.

Offsets are Python ``str`` indices (code points), end exclusive, as spaCy's
``Doc.char_span``. ``Span`` offsets index ``Article.text`` (the clean text);
``OffsetMap`` turns them into offsets into ``Article.raw`` (the text as read from
the input), so results can be checked against annotations made on original files.
"""

from __future__ import annotations

import bisect
import hashlib
import sys
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

Provenance = Literal["given", "html", "text", "inferred"]
PROVENANCES: tuple[str, ...] = ("given", "html", "text", "inferred")


@dataclass(frozen=True, kw_only=True, slots=True)
class Span:
    """A stretch of an article's clean text: ``text[start:end]``."""

    start: int
    end: int
    article_id: str = ""

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def slice(self, text: str) -> str:
        return text[self.start : self.end]

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, kw_only=True, slots=True)
class Segment:
    """``length`` characters of clean text starting at ``clean`` copy raw text starting at ``raw``."""

    clean: int
    raw: int
    length: int


@dataclass(frozen=True, kw_only=True, slots=True)
class OffsetMap:
    """Maps clean-text offsets to raw-text offsets.

    The clean text is a sequence of copied raw stretches (``segments``, sorted by
    ``clean``) with possibly a few inserted characters between them (for instance a
    newline joining two kept paragraphs). An offset inside a copied stretch maps
    exactly; an offset on an inserted character maps to the end of the previous
    stretch in the raw text.
    """

    segments: tuple[Segment, ...] = ()
    clean_length: int = 0
    raw_length: int = 0

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        segs = (Segment(clean=0, raw=0, length=length),) if length else ()
        return cls(segments=segs, clean_length=length, raw_length=length)

    def to_raw(self, offset: int) -> int:
        """Raw offset of clean ``offset`` (0 <= offset <= clean_length)."""
        if offset < 0 or offset > self.clean_length:
            raise ValueError(f"offset {offset} outside clean text of length {self.clean_length}")
        if not self.segments:
            return 0
        starts = [s.clean for s in self.segments]
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return self.segments[0].raw
        seg = self.segments[i]
        if offset <= seg.clean + seg.length:
            return seg.raw + (offset - seg.clean)
        return seg.raw + seg.length

    def span_to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``(start, end)`` of a clean span; an end is mapped as the end of its last character."""
        raw_start = self.to_raw(start)
        if end <= start:
            return raw_start, raw_start
        raw_end = self.to_raw(end - 1) + 1
        return raw_start, max(raw_start, raw_end)

    def to_clean(self, raw_offset: int) -> int | None:
        """Clean offset of a raw offset, or ``None`` when that raw character was removed."""
        for seg in self.segments:
            if seg.raw <= raw_offset < seg.raw + seg.length:
                return seg.clean + (raw_offset - seg.raw)
        return None

    def to_json(self) -> list[list[int]]:
        return [[s.clean, s.raw, s.length] for s in self.segments]

    @classmethod
    def from_json(cls, data: list[list[int]], *, clean_length: int, raw_length: int) -> OffsetMap:
        return cls(
            segments=tuple(Segment(clean=c, raw=r, length=n) for c, r, n in data),
            clean_length=clean_length,
            raw_length=raw_length,
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class Removed:
    """A stretch of the raw text that cleaning removed, with the reason (auditable)."""

    raw_start: int
    raw_end: int
    reason: str
    text: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class MetaValue:
    """One metadata value with where it came from."""

    value: str
    provenance: Provenance
    confidence: float = 1.0
    evidence: str = ""  # e.g. the stamp line, the HTML tag, the sidecar file


@dataclass(frozen=True, kw_only=True, slots=True)
class Metadata:
    title: MetaValue | None = None
    outlet: MetaValue | None = None
    author: MetaValue | None = None
    url: MetaValue | None = None
    published: MetaValue | None = None  # ISO 8601 date or datetime (with offset when known)
    original_source: MetaValue | None = None  # wire service behind a reprint ("Bloomberg")
    extra: tuple[tuple[str, str], ...] = ()

    def get(self, name: str) -> str | None:
        mv = getattr(self, name, None)
        return mv.value if isinstance(mv, MetaValue) else None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in ("title", "outlet", "author", "url", "published", "original_source"):
            mv = getattr(self, name)
            if mv is not None:
                out[name] = {
                    "value": mv.value,
                    "provenance": mv.provenance,
                    "confidence": mv.confidence,
                    "evidence": mv.evidence,
                }
        if self.extra:
            out["extra"] = dict(self.extra)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Metadata:
        kwargs: dict[str, Any] = {}
        for name in ("title", "outlet", "author", "url", "published", "original_source"):
            if name in data and data[name] is not None:
                d = data[name]
                kwargs[name] = MetaValue(
                    value=d["value"],
                    provenance=d["provenance"],
                    confidence=float(d.get("confidence", 1.0)),
                    evidence=d.get("evidence", ""),
                )
        extra = data.get("extra") or {}
        kwargs["extra"] = tuple(sorted((str(k), str(v)) for k, v in extra.items()))
        return cls(**kwargs)

    def merged(self, other: Metadata) -> Metadata:
        """Fields of ``self`` win; ``other`` fills what ``self`` lacks."""
        kwargs: dict[str, Any] = {}
        for name in ("title", "outlet", "author", "url", "published", "original_source"):
            kwargs[name] = getattr(self, name) or getattr(other, name)
        extra = dict(other.extra)
        extra.update(dict(self.extra))
        kwargs["extra"] = tuple(sorted(extra.items()))
        return Metadata(**kwargs)


SourceKind = Literal["text", "html", "jsonl", "feed", "url", "warc", "stdin"]


@dataclass(frozen=True, kw_only=True, slots=True)
class RawDocument:
    """What an ingest module yields: one article's input before cleaning.

    ``origin`` names the input for messages (a path, ``path:line``, a URL, a WARC
    record). ``source_key`` identifies the article's source: its URL when known,
    else ``outlet + path``. ``text`` is the raw text (for HTML, ``html`` holds the
    page and ``text`` is empty until extraction).
    """

    origin: str
    source_key: str
    kind: SourceKind
    text: str = ""
    html: str | None = None
    meta: Metadata = field(default_factory=Metadata)
    encoding_note: str = ""  # e.g. "decoded as cp1252 (guessed)"


@dataclass(frozen=True, kw_only=True, slots=True)
class Article:
    """One stored article: raw text, clean text, the map between them, metadata."""

    id: str
    source_key: str
    content_hash: str
    raw: str
    text: str
    offsets: OffsetMap
    removed: tuple[Removed, ...] = ()
    meta: Metadata = field(default_factory=Metadata)
    kind: str = "text"
    origin: str = ""
    html: str | None = None
    language: str | None = None
    revision: int = 1
    ingested_at: datetime | None = None
    pipeline_version: str | None = None

    @property
    def title(self) -> str | None:
        return self.meta.get("title")

    @property
    def outlet(self) -> str | None:
        return self.meta.get("outlet")

    @property
    def published(self) -> str | None:
        return self.meta.get("published")

    def span_text(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def raw_span(self, span: Span) -> tuple[int, int]:
        return self.offsets.span_to_raw(span.start, span.end)

    def with_meta(self, meta: Metadata) -> Article:
        return replace(self, meta=meta)

    def for_views(self) -> Article:
        """This article as the linked views keep it: the clean text, the offset map and the
        metadata, without the raw text, the HTML page and the removed stretches (an HTML page can
        weigh a hundred times its text, and the views keep every article of the corpus in memory).
        ``raw`` is empty in it (a stored article never has an empty text); :meth:`has_raw` tells,
        and :func:`storyline.export.jsonl.article_json` refuses it. Repeated strings are interned."""
        return replace(
            self,
            raw="",
            html=None,
            removed=(),
            kind=sys.intern(self.kind),
            language=None if self.language is None else sys.intern(self.language),
            pipeline_version=None if self.pipeline_version is None else sys.intern(self.pipeline_version),
        )

    @property
    def has_raw(self) -> bool:
        """False for an article from :meth:`for_views` (its raw text, page and removed stretches
        were left in the store)."""
        return bool(self.raw) or not self.text


def normalize_for_hash(text: str) -> str:
    """The form whose hash identifies content: NFKC, case kept, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def content_hash(text: str) -> str:
    return hashlib.sha256(normalize_for_hash(text).encode("utf-8")).hexdigest()


def article_id(source_key: str, chash: str) -> str:
    """Article id: 16 hex digits from the source and the content hash."""
    return hashlib.sha256(f"{source_key}\x00{chash}".encode()).hexdigest()[:16]
