"""RSS and Atom feeds (feedparser), from a file or a fetched URL.

Each entry becomes one document, by this cascade:

1. with ``config.fetch_feed_items``, a fetcher and an entry link: the linked page is fetched and yielded
   as an html document (``origin`` = the link, ``source_key`` = the canonical final URL); a failed
   fetch (or a page that is not HTML/text) yields its error and falls through to 2, so nothing is lost
   (the error is marked ``recovered`` when 2 has a text to store: a note, not a failure);
2. the entry's full content (``content:encoded`` / Atom ``content``), else its summary: HTML → an html
   document, plain text → a text document (``origin`` = ``FEED#entry-N``, 1-based);
3. nothing to read → ``MalformedInput(FEED#entry-N, ...)``.

Entry fields (title, author, published, link) and the feed's title (→ outlet) are publisher-supplied:
provenance ``given``, evidence ``"feed entry: <field>"`` / ``"feed: title"``. A feed feedparser cannot
parse and that has no entries is ``MalformedInput(origin, "malformed feed: <reason>")``.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from html import unescape
from typing import Any

import feedparser

from ..config import IngestConfig
from ..errors import InputError, MalformedInput
from ..model import Metadata, MetaValue, RawDocument
from .decode import normalize_newlines
from .fetch import Fetcher, canonical_url
from .html import looks_like_html, page_document

logger = logging.getLogger(__name__)

FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".feed"})
FEED_CONTENT_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
)
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
_SAX_WHERE = re.compile(r"^<unknown>:(\d+):(\d+):\s*(.*)$")
_HTML_TAG = re.compile(r"<(?:p|div|br|a|span|em|strong|b|i|ul|ol|li|h[1-6]|img|blockquote)\b", re.IGNORECASE)


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """Whether ``data`` is an RSS/Atom/RDF feed: by media type, else by its root element."""
    if content_type in FEED_CONTENT_TYPES:
        return True
    head = data[:4096]
    m = _FEED_ROOT.search(head)
    if m is None:
        return False
    before = head[: m.start()].lower()
    return b"<html" not in before and b"<body" not in before


def parse_feed(data: bytes, *, origin: str) -> Any:
    """feedparser's result for ``data``; raises :class:`MalformedInput` for a broken feed without entries."""
    parsed = feedparser.parse(data)
    if not parsed.entries:
        if not looks_like_feed(data) and not parsed.get("version"):
            raise MalformedInput(origin, "malformed feed: not an RSS or Atom feed")
        if parsed.get("bozo"):
            reason = str(parsed.get("bozo_exception") or "unknown error").strip().splitlines()[0]
            where = _SAX_WHERE.match(reason)
            if where:  # "<unknown>:1:74: unclosed token" → "unclosed token (line 1, column 74)"
                reason = f"{where.group(3)} (line {where.group(1)}, column {where.group(2)})"
            raise MalformedInput(origin, f"malformed feed: {reason}")
        if not parsed.get("version"):
            raise MalformedInput(origin, "malformed feed: not an RSS or Atom feed")
        logger.info("%s: feed has no entries", origin)
    return parsed


def entry_key(entry: Any) -> str:
    """What identifies an entry across polls: its id/guid, else its link, else a hash of its text."""
    for name in ("id", "link"):
        value = entry.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    text = f"{entry.get('title', '')}\x00{entry.get('summary', '')}"
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:16]


def _iso_date(entry: Any, name: str) -> str | None:
    """An entry date as ISO 8601, keeping the offset the feed gave (feedparser's parsed form drops it)."""
    raw = entry.get(name)
    if isinstance(raw, str) and raw.strip():
        raw = raw.strip()
        try:
            return email.utils.parsedate_to_datetime(raw).isoformat()
        except (TypeError, ValueError, IndexError):
            pass
        try:
            return datetime.fromisoformat(raw.replace("Z", "+00:00")).isoformat()
        except ValueError:
            pass
    parsed = entry.get(f"{name}_parsed")
    if parsed:
        year, month, day, hour, minute, second = parsed[:6]
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC).isoformat()
    return None


def _given(value: str | None, evidence: str) -> MetaValue | None:
    value = (value or "").strip()
    return MetaValue(value=value, provenance="given", evidence=evidence) if value else None


def entry_metadata(entry: Any, *, feed_title: str | None) -> Metadata:
    link = entry.get("link")
    if not (isinstance(link, str) and link.lower().startswith(("http://", "https://"))):
        link = None  # feedparser copies a guid into link; only a web address is a link
    published = _iso_date(entry, "published")
    published_from = "published"
    if published is None:
        published, published_from = _iso_date(entry, "updated"), "updated"
    return Metadata(
        title=_given(entry.get("title"), "feed entry: title"),
        author=_given(entry.get("author"), "feed entry: author"),
        url=_given(canonical_url(link) if link else None, "feed entry: link"),
        published=_given(published, f"feed entry: {published_from}"),
        outlet=_given(feed_title, "feed: title"),
    )


def _entry_body(entry: Any) -> tuple[str, bool] | None:
    """``(body, is_html)`` of the fullest content an entry carries, or ``None``."""
    candidates: list[tuple[str, str]] = []
    for content in entry.get("content") or []:
        candidates.append((content.get("value") or "", content.get("type") or ""))
    detail = entry.get("summary_detail") or {}
    candidates.append((entry.get("summary") or "", detail.get("type") or ""))
    for value, media_type in candidates:
        if value.strip():
            # feedparser labels every RSS description text/html; trust the markup, not the label
            if _HTML_TAG.search(value) or looks_like_html(value):
                return normalize_newlines(value), True
            text = unescape(value) if "html" in media_type else value
            return normalize_newlines(text), False
    return None


def iter_entries(
    parsed: Any,
    *,
    origin: str,
    config: IngestConfig,
    fetcher: Fetcher | None,
    skip: frozenset[str] = frozenset(),
) -> Iterator[RawDocument | InputError]:
    """Documents for the entries of a parsed feed, following the cascade in the module docstring.

    Entries whose :func:`entry_key` is in ``skip`` are left out (already seen by a watch).
    """
    feed_title = feed_title_of(parsed)
    for n, entry in enumerate(parsed.entries, start=1):
        if entry_key(entry) in skip:
            continue
        yield from entry_documents(
            entry, n=n, origin=origin, feed_title=feed_title, config=config, fetcher=fetcher
        )


def feed_title_of(parsed: Any) -> str | None:
    title = parsed.feed.get("title") if parsed.get("feed") else None
    return title if isinstance(title, str) else None


def entry_documents(
    entry: Any,
    *,
    n: int,
    origin: str,
    feed_title: str | None,
    config: IngestConfig,
    fetcher: Fetcher | None,
) -> Iterator[RawDocument | InputError]:
    """The document for feed entry number ``n`` (1-based), preceded by the error of a failed page fetch."""
    entry_origin = f"{origin}#entry-{n}"
    meta = entry_metadata(entry, feed_title=feed_title)
    link = meta.get("url")
    fetch_error: InputError | None = None
    if config.fetch_feed_items and fetcher is not None and link:
        try:
            page = page_document(fetcher.fetch(link), origin=link, kind="feed", meta=meta)
        except InputError as err:
            page = err
        if isinstance(page, RawDocument):
            yield page
            return
        fetch_error = page
    body = _entry_body(entry)
    if body is None:
        if fetch_error is not None:
            yield fetch_error
        yield MalformedInput(entry_origin, "feed entry has no content or summary (and no page was fetched)")
        return
    if fetch_error is not None:
        fetch_error.recovered = True  # the entry's own text follows: a note, not a loss
        yield fetch_error
    value, is_html = body
    yield RawDocument(
        origin=entry_origin,
        source_key=link or f"{origin}#{entry_key(entry)}",
        kind="feed",
        text="" if is_html else value,
        html=value if is_html else None,
        meta=meta,
    )


def read_feed(
    data: bytes, *, origin: str, config: IngestConfig, fetcher: Fetcher | None
) -> Iterator[RawDocument | InputError]:
    """Documents for the entries of the feed in ``data`` (a file's bytes or a fetched body)."""
    try:
        parsed = parse_feed(data, origin=origin)
    except InputError as err:
        yield err
        return
    yield from iter_entries(parsed, origin=origin, config=config, fetcher=fetcher)
