"""The store protocol, its result types, and the identity rules every store shares.

An article is identified by its source (``source_key``) plus a content hash:

* the same ``(source_key, content_hash)`` already stored → ``unchanged`` (nothing is written);
* the same ``source_key`` with new content → a new row with ``revision = max + 1``, the
  source's older rows stop being current → ``revised``;
* otherwise → ``added``.

The same text from two outlets has two source keys, so it is two articles. The rules live in
:func:`plan_batch`, which both :class:`~storyline.store.sql.SQLStore` and
:class:`~storyline.store.memory.MemoryStore` use, so the two cannot drift apart.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, Protocol, runtime_checkable

from ..errors import NotFound
from ..model import Article, Metadata

logger = logging.getLogger(__name__)

AddStatus = Literal["added", "unchanged", "revised", "updated"]

#: The shortest id prefix :meth:`Store.get` accepts in place of a full id.
MIN_PREFIX = 6


@dataclass(frozen=True, kw_only=True, slots=True)
class AddResult:
    """What :meth:`Store.add_batch` did with one article."""

    id: str
    source_key: str
    content_hash: str
    status: AddStatus
    revision: int
    origin: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class StoredRef:
    """The identity columns of one stored row: all :func:`plan_batch` needs to know."""

    id: str
    source_key: str
    content_hash: str
    revision: int
    meta: Metadata | None = None  # the stored metadata (None: not compared)


@dataclass(frozen=True, kw_only=True, slots=True)
class BatchPlan:
    """The writes one batch needs: rows to insert (with ``is_current``), sources superseded, and
    stored rows whose metadata changed (same source and content, e.g. a sidecar added later)."""

    results: tuple[AddResult, ...]
    inserts: tuple[tuple[Article, bool], ...]
    superseded: frozenset[str]  # source keys whose already-stored rows stop being current
    meta_updates: tuple[tuple[str, Metadata], ...] = ()  # (stored id, new metadata)


@dataclass(frozen=True, kw_only=True, slots=True)
class SearchHit:
    """One article found by :meth:`Store.search`.

    ``snippet`` is plain text from the article's clean text with the matched words between
    ``«`` and ``»`` (never HTML: escape it to show it); ``rank`` orders the hits of one search,
    higher is better (its scale depends on the backend).
    """

    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    snippet: str
    rank: float


@dataclass(frozen=True, kw_only=True, slots=True)
class SearchResult:
    """A page of :meth:`Store.search` hits and how many current articles match in all."""

    total: int
    hits: list[SearchHit]


@dataclass(frozen=True, kw_only=True, slots=True)
class StoryLink:
    """One article's place in the persisted linking (:mod:`storyline.link.state`): its story, the
    origin of its syndication group (``None`` when it has no copies) and the order it was linked in."""

    article_id: str
    story_id: str
    origin_id: str | None
    seq: int


@dataclass(frozen=True, kw_only=True, slots=True)
class LinkState:
    """The stored state linking continues from: a format ``version``, the ``settings`` it was built
    under, a ``generation`` (one more at each write) and the ``data`` (an ``.npz`` of arrays)."""

    version: int
    settings: dict[str, Any]
    generation: int
    data: bytes


@runtime_checkable
class Store(Protocol):
    """Where articles, feed state, ingest runs and derived analyses live.

    Implementations: :class:`~storyline.store.sql.SQLStore` (SQLite, later PostgreSQL) and
    :class:`~storyline.store.memory.MemoryStore`, an in-memory double with the same semantics.
    """

    def add_batch(self, articles: Iterable[Article]) -> list[AddResult]:
        """Store a batch in one transaction; one result per article, in order."""
        ...

    def get(self, id: str) -> Article:
        """The article with this id (or unique id prefix of at least 6 characters); raises NotFound."""
        ...

    def articles(
        self,
        *,
        current_only: bool = True,
        outlet: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[Article]:
        """Stream articles ordered by publication date (unknown dates last), then id."""
        ...

    def revisions(self, source_key: str) -> list[Article]:
        """Every stored revision of a source, oldest first."""
        ...

    def remove(self, id: str) -> bool:
        """Delete an article and everything derived from it; False when there is no such article."""
        ...

    def count(self, *, current_only: bool = True) -> int: ...

    def stats(self) -> dict[str, Any]: ...

    def get_feed_state(self, url: str) -> dict[str, Any] | None: ...

    def put_feed_state(
        self,
        *,
        url: str,
        etag: str | None,
        last_modified: str | None,
        seen: Iterable[str],
        checked_at: datetime | None,
    ) -> None: ...

    def record_run(
        self,
        *,
        started_at: datetime,
        finished_at: datetime,
        inputs: int,
        added: int,
        unchanged: int,
        revised: int,
        failed: int,
    ) -> int: ...

    def runs(self, *, limit: int | None = None) -> list[dict[str, Any]]: ...

    def add_analysis(self, article_id: str, *, pipeline_version: str, data: Mapping[str, Any]) -> None:
        """Store ``article_id``'s analysis, replacing any earlier one, and stamp the article's
        ``pipeline_version`` (one transaction)."""
        ...

    def analyses(self, article_id: str) -> list[dict[str, Any]]: ...

    def latest_analyses(self, article_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The current analysis data of each of ``article_ids`` that has one, read in a few queries
        (the linked views load every article's analysis at once)."""
        ...

    def pending_analysis(self, pipeline_version: str, *, force: bool = False) -> list[str]:
        """Ids of current articles not analysed with ``pipeline_version`` (all of them with ``force``)."""
        ...

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> SearchResult:
        """Current articles whose title or clean text match ``query`` (syntax:
        :mod:`storyline.store.search`), best first, then by id; a malformed query raises
        :class:`~storyline.errors.UsageError`."""
        ...

    # -- corrections (storyline.corrections): kept apart from analyses, never touched by them --

    def add_correction(
        self,
        *,
        kind: str,
        target: Mapping[str, Any],
        value: Any,
        author: str,
        note: str | None = None,
        created_at: datetime | None = None,
    ) -> int:
        """Record a person's correction (``target`` and ``value`` as JSON); returns its id."""
        ...

    def corrections(self, *, active_only: bool = True) -> list[dict[str, Any]]:
        """Corrections oldest first: ``id, kind, target, value, author, created_at, note, active``."""
        ...

    def remove_correction(self, id: int) -> bool:
        """Withdraw a correction (kept, marked inactive); False when no active one has this id."""
        ...

    # -- inferred publication dates (storyline.link.dates) --------------------------------------

    def put_inferred_dates(self, rows: Mapping[str, Mapping[str, Any] | None]) -> None:
        """Set (a mapping ``day, confidence, evidence``) or clear (``None``) the inferred
        publication date of each article id, in one transaction; ids no longer stored are skipped."""
        ...

    def inferred_dates(self) -> dict[str, dict[str, Any]]:
        """Every inferred date by article id: ``day, confidence, evidence, inferred_at``."""
        ...

    # -- persisted linking (storyline.link.state) -----------------------------------------------

    def link_state(self, *, data: bool = True) -> LinkState | None:
        """The stored linking state, ``None`` before the first linking (``data=False``: all but the
        blob, which is then empty)."""
        ...

    def put_link_state(
        self,
        *,
        version: int,
        settings: Mapping[str, Any],
        data: bytes,
        expected_generation: int | None,
        links: Iterable[StoryLink],
        reset: bool = False,
    ) -> int | None:
        """In one transaction: write the state and upsert ``links`` (ids no longer stored are
        skipped; ``reset`` first deletes every link). Only when the stored generation is still
        ``expected_generation`` (``None``: no state yet); returns the new generation, or ``None``
        when another writer got there first (nothing written)."""
        ...

    def story_links(self, *, story: str | None = None) -> dict[str, StoryLink]:
        """The stored links by article id (of one story's articles with ``story``), in ``seq`` order."""
        ...

    def close(self) -> None: ...


# ---------------------------------------------------------------------------------------------
# Shared rules


def utc(value: datetime | None) -> datetime | None:
    """``value`` as an aware UTC datetime; a naive value is taken to be UTC already."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def now_utc() -> datetime:
    return datetime.now(UTC)


def plan_batch(articles: Sequence[Article], existing: Iterable[StoredRef], *, now: datetime) -> BatchPlan:
    """Apply the identity rules to a batch, given the stored rows of the batch's sources.

    Articles are taken in order, so a batch may itself hold two revisions of one source (the
    later one wins) or the same article twice (the second is ``unchanged``). Stored articles get
    the assigned ``revision`` and, when they have none, ``ingested_at = now``.
    """
    known: dict[tuple[str, str], StoredRef] = {}
    max_rev: dict[str, int] = {}
    for stored_ref in existing:
        known[(stored_ref.source_key, stored_ref.content_hash)] = stored_ref
        max_rev[stored_ref.source_key] = max(max_rev.get(stored_ref.source_key, 0), stored_ref.revision)
    stored_sources = set(max_rev)

    results: list[AddResult] = []
    new_rows: list[Article] = []
    meta_updates: dict[str, Metadata] = {}
    for article in articles:
        key = (article.source_key, article.content_hash)
        ref = known.get(key)
        if ref is not None:
            changed = ref.meta is not None and ref.meta != article.meta
            if changed:
                meta_updates[ref.id] = article.meta
                known[key] = replace(ref, meta=article.meta)
            results.append(
                AddResult(
                    id=ref.id,
                    source_key=ref.source_key,
                    content_hash=ref.content_hash,
                    status="updated" if changed else "unchanged",
                    revision=ref.revision,
                    origin=article.origin,
                )
            )
            continue
        previous = max_rev.get(article.source_key)
        revision = 1 if previous is None else previous + 1
        status: AddStatus = "added" if previous is None else "revised"
        stored = replace(article, revision=revision, ingested_at=utc(article.ingested_at) or now)
        new_rows.append(stored)
        max_rev[article.source_key] = revision
        known[key] = StoredRef(
            id=article.id,
            source_key=article.source_key,
            content_hash=article.content_hash,
            revision=revision,
            meta=article.meta,
        )
        results.append(
            AddResult(
                id=article.id,
                source_key=article.source_key,
                content_hash=article.content_hash,
                status=status,
                revision=revision,
                origin=article.origin,
            )
        )
    # Within the batch, the last new row of a source is its current one.
    last_of_source = {row.source_key: i for i, row in enumerate(new_rows)}
    inserts = tuple((row, last_of_source[row.source_key] == i) for i, row in enumerate(new_rows))
    superseded = frozenset(row.source_key for row in new_rows if row.source_key in stored_sources)
    # A row inserted by this batch carries its final metadata already.
    inserted = {row.id for row in new_rows}
    updates = tuple((i, m) for i, m in meta_updates.items() if i not in inserted)
    new_rows = [replace(row, meta=meta_updates.get(row.id, row.meta)) for row in new_rows]
    inserts = tuple((row, cur) for row, (_, cur) in zip(new_rows, inserts, strict=True))
    return BatchPlan(results=tuple(results), inserts=inserts, superseded=superseded, meta_updates=updates)


def resolve_id(id: str, candidates: Sequence[str]) -> str:
    """The one id ``id`` names among ``candidates`` (ids it equals or starts with); else NotFound."""
    if id in candidates:
        return id
    if len(id) < MIN_PREFIX or not candidates:
        raise NotFound(f"no article with id {id!r}")
    if len(candidates) > 1:
        shown = ", ".join(sorted(candidates)[:5])
        raise NotFound(f"id prefix {id!r} is ambiguous: it matches {len(candidates)} articles ({shown})")
    return candidates[0]


def _iso(value: str | date) -> str:
    return value if isinstance(value, str) else value.isoformat()


def _is_day(value: str | date) -> bool:
    if isinstance(value, datetime):
        return False
    if isinstance(value, date):
        return True
    return len(value) == 10


def published_bounds(
    since: str | date | None, until: str | date | None
) -> tuple[str | None, str | None, bool]:
    """``(low, high, high_inclusive)`` bounds on the ISO ``published`` text.

    ``since`` is inclusive. ``until`` is inclusive; a bare day (``"2025-05-18"`` or a ``date``)
    covers the whole day, so it becomes an exclusive bound on the next day.
    """
    low = None if since is None else _iso(since)
    if until is None:
        return low, None, True
    if _is_day(until):
        day = until if isinstance(until, date) else date.fromisoformat(until)
        return low, (day + timedelta(days=1)).isoformat(), False
    return low, _iso(until), True


def published_matches(published: str | None, since: str | date | None, until: str | date | None) -> bool:
    low, high, inclusive = published_bounds(since, until)
    if low is None and high is None:
        return True
    if published is None:
        return False
    if low is not None and published < low:
        return False
    if high is not None and (published > high if inclusive else published >= high):
        return False
    return True


def sort_key(article: Article) -> tuple[bool, str, str]:
    """The order of :meth:`Store.articles`: by date, unknown dates last, then by id."""
    published = article.published
    return (published is None, published or "", article.id)


def empty_stats() -> dict[str, Any]:
    return {
        "articles": 0,
        "current": 0,
        "revisions": 0,
        "sources": 0,
        "outlets": 0,
        "by_kind": {},
        "by_language": {},
        "published": {"min": None, "max": None, "unknown": 0},
        "ingest_runs": 0,
    }


def stats_of(rows: Iterable[tuple[Article, bool]], *, runs: int) -> dict[str, Any]:
    """Stats over ``(article, is_current)`` pairs; :class:`MemoryStore` uses it, SQLStore matches it.

    ``articles`` counts every stored row, ``current`` the current ones, ``revisions`` the older
    revisions kept (``articles - current``); the other figures are over current articles only.
    """
    out = empty_stats()
    outlets: set[str] = set()
    sources: set[str] = set()
    dates: list[str] = []
    for article, is_current in rows:
        out["articles"] += 1
        sources.add(article.source_key)
        if not is_current:
            continue
        out["current"] += 1
        if article.outlet is not None:
            outlets.add(article.outlet)
        out["by_kind"][article.kind] = out["by_kind"].get(article.kind, 0) + 1
        lang = article.language or "unknown"
        out["by_language"][lang] = out["by_language"].get(lang, 0) + 1
        if article.published is None:
            out["published"]["unknown"] += 1
        else:
            dates.append(article.published)
    out["revisions"] = out["articles"] - out["current"]
    out["sources"] = len(sources)
    out["outlets"] = len(outlets)
    out["by_kind"] = dict(sorted(out["by_kind"].items()))
    out["by_language"] = dict(sorted(out["by_language"].items()))
    if dates:
        out["published"]["min"] = min(dates)
        out["published"]["max"] = max(dates)
    out["ingest_runs"] = runs
    return out
