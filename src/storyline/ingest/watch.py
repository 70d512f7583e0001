"""Watching feeds: poll, fetch conditionally, yield only entries not seen before.

Per feed URL a :class:`FeedState` remembers the ``ETag`` / ``Last-Modified`` of the last response and
the keys (:func:`~storyline.ingest.feed.entry_key`: guid, else link) of the entries already turned into a
document. A poll sends ``If-None-Match`` / ``If-Modified-Since``; a ``304`` costs nothing more. The state
is saved after each feed, so an interrupted watch resumes where it stopped. The first poll of a feed
yields all its entries. An entry that gave only errors (its page could not be fetched and it has no
summary) is not marked seen, and the feed's validators are not kept, so the next poll retries it.

:class:`FeedStateStore` is the storage protocol; :class:`MemoryFeedStateStore` is the in-memory double
(the store package provides the SQL one).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from ..config import IngestConfig
from ..errors import InputError, MalformedInput
from ..model import RawDocument
from .feed import entry_documents, entry_key, feed_title_of, looks_like_feed, parse_feed
from .fetch import Fetcher

logger = logging.getLogger(__name__)

MAX_SEEN = 10_000  # entry keys remembered per feed before those no longer in the feed are forgotten


@dataclass(frozen=True, kw_only=True, slots=True)
class FeedState:
    """What a watch remembers about one feed URL."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    seen: frozenset[str] = frozenset()
    checked_at: datetime | None = None


class FeedStateStore(Protocol):
    def get(self, url: str) -> FeedState | None: ...

    def put(self, state: FeedState) -> None: ...


@dataclass(kw_only=True, slots=True)
class MemoryFeedStateStore:
    """A :class:`FeedStateStore` in a dict (tests, one-off runs)."""

    states: dict[str, FeedState] = field(default_factory=dict)

    def get(self, url: str) -> FeedState | None:
        return self.states.get(url)

    def put(self, state: FeedState) -> None:
        self.states[state.url] = state


_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*(h|m|s)")
_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0}


def parse_interval(text: str) -> float:
    """``"15m"``, ``"1h"``, ``"30s"``, ``"2h30m"`` (or a bare number of seconds) → seconds.

    Raises :class:`ValueError` naming the bad value and the expected form.
    """
    spec = text.strip().lower().replace(" ", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", spec):
        seconds = float(spec)
    else:
        pos = 0
        seconds = 0.0
        seen_units: list[str] = []
        for m in _INTERVAL.finditer(spec):
            if m.start() != pos or m.group(2) in seen_units:
                break
            seconds += float(m.group(1)) * _UNITS[m.group(2)]
            seen_units.append(m.group(2))
            pos = m.end()
        if not spec or pos != len(spec):
            raise ValueError(f"invalid interval {text!r}: expected a duration like 30s, 15m, 1h or 2h30m")
    if seconds <= 0:
        raise ValueError(f"invalid interval {text!r}: must be more than 0 seconds")
    return seconds


def poll_once(
    urls: Iterable[str],
    *,
    state: FeedStateStore,
    fetcher: Fetcher,
    config: IngestConfig,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Iterator[RawDocument | InputError]:
    """Poll each feed once; yield documents for entries not seen before, and errors."""
    for url in urls:
        previous = state.get(url)
        try:
            result = fetcher.fetch(
                url,
                etag=previous.etag if previous else None,
                last_modified=previous.last_modified if previous else None,
            )
        except InputError as err:
            yield err
            continue
        seen = previous.seen if previous else frozenset()
        if result.not_modified:
            logger.debug("%s: not modified", url)
            state.put(
                FeedState(
                    url=url,
                    etag=result.etag,
                    last_modified=result.last_modified,
                    seen=seen,
                    checked_at=now(),
                )
            )
            continue
        try:
            if not looks_like_feed(result.content, result.content_type):
                raise MalformedInput(url, f"not an RSS or Atom feed ({result.content_type or 'no type'})")
            parsed = parse_feed(result.content, origin=url)
        except InputError as err:
            yield err
            continue
        feed_title = feed_title_of(parsed)
        done: set[str] = set()
        failed = 0
        for n, entry in enumerate(parsed.entries, start=1):
            key = entry_key(entry)
            if key in seen or key in done:
                continue
            ok = False
            for item in entry_documents(
                entry, n=n, origin=url, feed_title=feed_title, config=config, fetcher=fetcher
            ):
                ok = ok or isinstance(item, RawDocument)
                yield item
            if ok:
                done.add(key)
            else:
                failed += 1
        logger.info("%s: %d entries, %d new, %d failed", url, len(parsed.entries), len(done), failed)
        current = frozenset(entry_key(e) for e in parsed.entries)
        remembered = seen | done
        if len(remembered) > MAX_SEEN:  # forget entries that left the feed; keep what it still lists
            remembered = remembered & current
        state.put(
            FeedState(
                url=url,
                # an entry that failed is retried at the next poll: ask for the whole feed again then
                etag=None if failed else result.etag,
                last_modified=None if failed else result.last_modified,
                seen=remembered,
                checked_at=now(),
            )
        )


def watch(
    urls: Iterable[str],
    every: str | float,
    *,
    state: FeedStateStore,
    fetcher: Fetcher,
    config: IngestConfig,
    on_document: Callable[[RawDocument], None],
    on_error: Callable[[InputError], None] | None = None,
    stop_after: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Poll ``urls`` every ``every`` (seconds or ``"15m"``) until interrupted or ``stop_after`` polls.

    Each new document goes to ``on_document``; each error is logged (WARNING) and given to ``on_error``.
    Returns the number of documents delivered.
    """
    interval = every if isinstance(every, int | float) else parse_interval(every)
    if interval <= 0:
        raise ValueError(f"invalid interval {every!r}: must be more than 0 seconds")
    feeds = list(urls)
    delivered = 0
    polls = 0
    while True:
        for item in poll_once(feeds, state=state, fetcher=fetcher, config=config):
            if isinstance(item, InputError):
                logger.warning("%s", item)
                if on_error is not None and not item.recovered:
                    on_error(item)
            else:
                on_document(item)
                delivered += 1
        polls += 1
        if stop_after is not None and polls >= stop_after:
            return delivered
        sleep(float(interval))
