"""WARC archives (``.warc``, ``.warc.gz``) via warcio.

Each ``response`` record with HTTP status 200 and an HTML media type (``text/html``,
``application/xhtml+xml``) becomes an html document: ``origin`` = ``f"{path}#record-{N} {uri}"`` (N
counts every record from 1), ``source_key`` = the canonical ``WARC-Target-URI``, ``meta.url`` = that URI
(provenance ``given``, evidence ``"WARC-Target-URI"``). ``WARC-Date`` is when the page was crawled, not
published: it goes to ``meta.extra`` as ``crawled``. Other records (requests, metadata, non-HTML or
non-200 responses, revisits) are skipped with a debug log. A body over ``config.max_bytes`` is
:class:`~storyline.errors.TooLarge` for that record. A truncated or corrupt archive yields what was
readable, then ``MalformedInput(path, "truncated or corrupt WARC …")``: a record shorter than its
``Content-Length`` is not yielded; a ``.warc.gz`` is checked to its end-of-stream marker (warcio stops
quietly at a cut-off gzip member, so a second pass with :mod:`gzip` decides).
"""

from __future__ import annotations

import gzip
import logging
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..config import IngestConfig
from ..errors import InputError, MalformedInput, TooLarge
from ..model import Metadata, MetaValue, RawDocument
from .decode import decode_bytes, sniff_html_charset
from .fetch import canonical_url
from .text import unreadable

logger = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def is_warc(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith((".warc", ".warc.gz"))


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def read_warc_file(path: Path, *, config: IngestConfig) -> Iterator[RawDocument | InputError]:
    """HTML responses of a WARC file as html documents; see the module docstring."""
    name = str(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield unreadable(name, exc)
        return
    n = 0
    with fh:
        try:
            archive = ArchiveIterator(fh)
            for record in archive:
                n += 1
                if not str(getattr(record, "format", "")).startswith("warc"):
                    yield MalformedInput(name, f"not a WARC file (record {n} is not a WARC record)")
                    return
                item = _record_document(record, n=n, name=name, config=config)
                missing = _drain(record)
                if missing:
                    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                    yield MalformedInput(
                        name,
                        f"truncated or corrupt WARC: record {n} {uri} is cut short "
                        f"({missing:,} bytes missing)",
                    )
                    return
                if item is not None:
                    yield item
        except Exception as exc:  # warcio / gzip / zlib raise many kinds on damaged archives
            known = isinstance(exc, ArchiveLoadFailed | EOFError | OSError | zlib.error)
            reason = _reason(exc) if known else f"unreadable record ({type(exc).__name__})"
            yield MalformedInput(name, f"truncated or corrupt WARC after record {n}: {reason}")
            return
        if name.lower().endswith(".gz"):
            problem = _gzip_problem(path)
        else:  # warcio also stops quietly at a cut-off record header
            fh.seek(int(getattr(archive, "offset", 0) or 0))
            rest = fh.read(1 << 16).strip()
            problem = f"{len(rest):,}+ bytes after the last whole record" if rest else None
        if problem:
            yield MalformedInput(name, f"truncated or corrupt WARC after record {n}: {problem}")


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _drain(record: Any) -> int:
    """Read what is left of a record's block; the number of bytes its Content-Length promised but the
    file did not have (0 for a whole record)."""
    stream = record.raw_stream
    while stream.read(1 << 16):
        pass
    return int(getattr(stream, "limit", 0) or 0)


def _gzip_problem(path: Path) -> str | None:
    """warcio stops quietly at a cut-off gzip member; a second pass with :mod:`gzip` notices."""
    try:
        with gzip.open(path, "rb") as gz:
            while gz.read(1 << 20):
                pass
    except (EOFError, OSError, zlib.error) as exc:
        return _reason(exc)
    return None


def _record_document(
    record: object, *, n: int, name: str, config: IngestConfig
) -> RawDocument | InputError | None:
    rec_type = getattr(record, "rec_type", "")
    headers = record.rec_headers  # type: ignore[attr-defined]
    uri = headers.get_header("WARC-Target-URI") or ""
    origin = f"{name}#record-{n} {uri}".rstrip()
    if rec_type != "response":
        logger.debug("%s: skipping %s record", origin, rec_type)
        return None
    http = record.http_headers  # type: ignore[attr-defined]
    if http is None:
        logger.debug("%s: skipping response without HTTP headers", origin)
        return None
    status = http.get_statuscode()
    content_type = http.get_header("Content-Type") or ""
    media_type = content_type.split(";")[0].strip().lower()
    if status != "200" or media_type not in HTML_TYPES:
        logger.debug("%s: skipping HTTP %s %s", origin, status, media_type or "(no type)")
        return None
    body: bytes = record.content_stream().read(config.max_bytes + 1)  # type: ignore[attr-defined]
    if len(body) > config.max_bytes:
        return TooLarge(origin, f"record body over the {config.max_bytes:,}-byte cap")
    try:
        decoded = decode_bytes(
            body, origin=origin, declared=_charset(content_type) or sniff_html_charset(body)
        )
    except InputError as err:
        return err
    extra: list[tuple[str, str]] = []
    crawled = headers.get_header("WARC-Date")
    if crawled:
        extra.append(("crawled", crawled))
    url = canonical_url(uri) if uri else None
    return RawDocument(
        origin=origin,
        source_key=url or origin,
        kind="warc",
        html=decoded.text,
        meta=Metadata(
            url=MetaValue(value=url, provenance="given", evidence="WARC-Target-URI") if url else None,
            extra=tuple(extra),
        ),
        encoding_note=decoded.note,
    )
