"""Ingest: turn input strings (paths, directories, globs, ``-``, URLs) into raw documents.

:func:`iter_documents` is the dispatcher. It never raises for a bad input: it yields the
:class:`~storyline.errors.InputError` (and logs it at WARNING, one line) and goes on with the batch.
The sub-modules yield errors without logging them; this is the one place that logs.

How an input string is read, first match wins:

====================================  ==========================================================
``-``                                  stdin: HTML when it sniffs as HTML, else text
``http://…`` / ``https://…``           fetched; a feed (by media type or root element) → feed entries,
                                       HTML → a page, ``text/plain`` → text, else unsupported
another ``scheme:…`` (not a file)      :class:`~storyline.errors.UnsupportedInput`
an existing directory                  every file below it, sorted, hidden files/dirs and sidecars
                                       skipped, unknown extensions skipped (debug log)
an existing file                       by extension (below); a sidecar given by name is skipped
a pattern with ``*``, ``?``, ``[``     the matching files, sorted, as if each was given
anything else                          ``UnreadableInput(input, "no such file or directory")``
====================================  ==========================================================

Extensions: ``.txt .text .md`` text · ``.html .htm`` HTML · ``.jsonl .ndjson`` JSON Lines · ``.json``
JSON records · ``.xml .rss .atom .feed`` feed (a ``.xml`` must sniff as a feed) · ``.warc .warc.gz``
WARC. A file named directly with another extension is sniffed: a feed, HTML, else text (the decoder
rejects binaries with a clear message).
"""

from __future__ import annotations

import glob
import hashlib
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..config import IngestConfig
from ..errors import EmptyInput, InputError, MalformedInput, TooLarge, UnreadableInput, UnsupportedInput
from ..model import Metadata, MetaValue, RawDocument
from .decode import decode_bytes, sniff_html_charset
from .feed import FEED_SUFFIXES, looks_like_feed, read_feed
from .fetch import Fetcher, FetchResult, canonical_url, is_http_url
from .html import extract_html, looks_like_html, page_document, read_html_file
from .jsonl import JSON_SUFFIXES, JSONL_SUFFIXES, read_json_file, read_jsonl_file
from .text import TEXT_SUFFIXES, is_sidecar, read_capped, read_text_file
from .warc import is_warc, read_warc_file
from .watch import FeedState, FeedStateStore, MemoryFeedStateStore, parse_interval, poll_once, watch

__all__ = [
    "FeedState",
    "FeedStateStore",
    "FetchResult",
    "Fetcher",
    "MemoryFeedStateStore",
    "canonical_url",
    "decode_bytes",
    "extract_html",
    "iter_documents",
    "parse_interval",
    "poll_once",
    "watch",
]

logger = logging.getLogger(__name__)

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES | FEED_SUFFIXES

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")
_GLOB_MAGIC = re.compile(r"[*?[]")


class _LazyFetcher:
    """Creates a :class:`Fetcher` on first use (and closes it) unless the caller gave one."""

    def __init__(self, config: IngestConfig, given: Fetcher | None) -> None:
        self._config = config
        self._given = given
        self._own: Fetcher | None = None

    def get(self) -> Fetcher:
        if self._given is not None:
            return self._given
        if self._own is None:
            self._own = Fetcher(self._config)
        return self._own

    def close(self) -> None:
        if self._own is not None:
            self._own.close()


def iter_documents(
    inputs: Iterable[str],
    *,
    config: IngestConfig,
    fetcher: Fetcher | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[RawDocument | InputError]:
    """Documents of every input, in order; bad inputs are yielded as errors (see the module docstring)."""
    fetchers = _LazyFetcher(config, fetcher)
    try:
        for raw_input in inputs:
            try:
                for item in _dispatch(raw_input, config=config, fetchers=fetchers, stdin=stdin):
                    if isinstance(item, InputError):
                        logger.warning("%s", item)
                    yield item
            except Exception as exc:  # a bug or a library surprise: report it, keep the batch going
                err = MalformedInput(raw_input, f"unexpected error: {type(exc).__name__}: {exc}")
                logger.warning("%s", err, exc_info=True)
                yield err
    finally:
        fetchers.close()


def _dispatch(
    raw_input: str, *, config: IngestConfig, fetchers: _LazyFetcher, stdin: BinaryIO | None
) -> Iterator[RawDocument | InputError]:
    text = raw_input.strip()
    if text == "-":
        yield _read_stdin(stdin if stdin is not None else sys.stdin.buffer, config=config)
        return
    if is_http_url(text):
        yield from _read_url(text, config=config, fetchers=fetchers)
        return
    scheme = _SCHEME.match(text)
    if scheme and not os.path.lexists(text):
        yield UnsupportedInput(
            text,
            f"unsupported URL scheme '{scheme.group(1).lower()}:' "
            "(storyline reads http and https URLs, files, directories and globs)",
        )
        return
    path = Path(raw_input)
    if path.is_dir():
        yield from _read_directory(path, config=config, fetchers=fetchers)
    elif path.exists():
        yield from _read_file(path, root=path.parent, config=config, fetchers=fetchers, named=True)
    elif _GLOB_MAGIC.search(raw_input):
        matches = sorted(glob.glob(raw_input, recursive=True))
        if not matches:
            yield UnreadableInput(raw_input, "no files match this pattern")
            return
        root = Path(_glob_root(raw_input))
        for match in matches:
            p = Path(match)
            if p.name.startswith(".") or p.is_dir():
                continue
            yield from _read_file(p, root=root, config=config, fetchers=fetchers, named=False)
    else:
        yield UnreadableInput(raw_input, "no such file or directory")


def _glob_root(pattern: str) -> str:
    """The fixed directory prefix of a glob pattern (``"examples/*.txt"`` → ``"examples"``)."""
    parts = Path(pattern).parts
    fixed: list[str] = []
    for part in parts[:-1]:
        if _GLOB_MAGIC.search(part):
            break
        fixed.append(part)
    return str(Path(*fixed)) if fixed else "."


def _read_directory(
    root: Path, *, config: IngestConfig, fetchers: _LazyFetcher
) -> Iterator[RawDocument | InputError]:
    """Every file below ``root`` in sorted relative-path order; hidden files and directories skipped."""
    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith("."):
                logger.debug("%s: hidden, skipped", os.path.join(dirpath, name))
                continue
            files.append(Path(dirpath) / name)
    files.sort(key=lambda p: p.relative_to(root).parts)
    for path in files:
        yield from _read_file(path, root=root, config=config, fetchers=fetchers, named=False)


def _suffix(path: Path) -> str:
    return ".warc.gz" if path.name.lower().endswith(".warc.gz") else path.suffix.lower()


def _read_file(
    path: Path, *, root: Path, config: IngestConfig, fetchers: _LazyFetcher, named: bool
) -> Iterator[RawDocument | InputError]:
    """One file by its extension; ``named`` when the user gave this very path (unknown kinds are sniffed)."""
    suffix = _suffix(path)
    if suffix in JSON_SUFFIXES and is_sidecar(path):
        (logger.info if named else logger.debug)("%s: a sidecar, read with its document; skipped", path)
        return
    if suffix in TEXT_SUFFIXES:
        yield from read_text_file(path, root=root, config=config)
    elif suffix in HTML_SUFFIXES:
        yield from read_html_file(path, root=root, config=config)
    elif suffix in JSONL_SUFFIXES:
        yield from read_jsonl_file(path, root=root, config=config)
    elif suffix in JSON_SUFFIXES:
        yield from read_json_file(path, root=root, config=config)
    elif is_warc(path):
        yield from read_warc_file(path, config=config)
    elif suffix in FEED_SUFFIXES or named:
        yield from _read_sniffed(
            path, root=root, config=config, fetchers=fetchers, feed_suffix=suffix in FEED_SUFFIXES
        )
    else:
        logger.debug("%s: unknown extension %r, skipped", path, suffix)


def _read_sniffed(
    path: Path, *, root: Path, config: IngestConfig, fetchers: _LazyFetcher, feed_suffix: bool
) -> Iterator[RawDocument | InputError]:
    """A feed file (``.rss``/``.atom``/``.feed`` are parsed as feeds, a ``.xml`` must sniff as one) or a
    named file of unknown kind (a feed, HTML, else text)."""
    try:
        data = read_capped(path, config=config)
    except InputError as err:
        yield err
        return
    if looks_like_feed(data) or (feed_suffix and path.suffix.lower() != ".xml"):
        feed_fetcher = fetchers.get() if config.fetch_feed_items else None
        yield from read_feed(data, origin=str(path), config=config, fetcher=feed_fetcher)
    elif feed_suffix:
        yield UnsupportedInput(str(path), "XML file is not an RSS or Atom feed")
    elif looks_like_html(data):
        yield from read_html_file(path, root=root, config=config)
    else:
        yield from read_text_file(path, root=root, config=config)


def _read_stdin(stream: BinaryIO, *, config: IngestConfig) -> RawDocument | InputError:
    origin = "<stdin>"
    data = stream.read(config.max_bytes + 1)
    if len(data) > config.max_bytes:
        return TooLarge(
            origin, f"more than {config.max_bytes:,} bytes, over the {config.max_bytes:,}-byte cap"
        )
    if not data.strip():
        return EmptyInput(origin, "nothing on stdin")
    is_html = looks_like_html(data)
    try:
        decoded = decode_bytes(data, origin=origin, declared=sniff_html_charset(data) if is_html else None)
    except InputError as err:
        return err
    key = "stdin:" + hashlib.sha256(data).hexdigest()[:16]
    if is_html:
        return RawDocument(
            origin=origin, source_key=key, kind="stdin", html=decoded.text, encoding_note=decoded.note
        )
    return RawDocument(
        origin=origin, source_key=key, kind="stdin", text=decoded.text, encoding_note=decoded.note
    )


def _read_url(
    url: str, *, config: IngestConfig, fetchers: _LazyFetcher
) -> Iterator[RawDocument | InputError]:
    try:
        result = fetchers.get().fetch(url)
    except InputError as err:
        yield err
        return
    if looks_like_feed(result.content, result.content_type):
        yield from read_feed(
            result.content,
            origin=url,
            config=config,
            fetcher=fetchers.get() if config.fetch_feed_items else None,
        )
        return
    final = canonical_url(result.url)
    meta = Metadata(url=MetaValue(value=final, provenance="given", evidence="fetched URL (after redirects)"))
    yield page_document(result, origin=url, kind="url", meta=meta)
