"""``MemoryStore``: the store in memory, a test double shipped with the library (as httpx's
``MockTransport``). Same protocol and same semantics as :class:`~storyline.store.sql.SQLStore` —
the identity rules are shared (:func:`~storyline.store.base.plan_batch`) and one parametrized test
suite runs over both — but nothing survives :meth:`close`.

A batch is applied all-or-nothing: the plan is computed first and applied without anything in
between that can fail.
"""

from __future__ import annotations

import copy
import itertools
import json
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from ..errors import NotFound, StoreError
from ..model import Article
from .base import (
    MIN_PREFIX,
    AddResult,
    LinkState,
    SearchHit,
    SearchResult,
    StoredRef,
    StoryLink,
    now_utc,
    plan_batch,
    published_matches,
    resolve_id,
    sort_key,
    stats_of,
    utc,
)
from .search import check_page, match_score, parse_query, snippet


@dataclass(kw_only=True, slots=True)
class _Row:
    article: Article
    is_current: bool


class MemoryStore:
    """An in-memory :class:`~storyline.store.base.Store`."""

    url = "memory://"

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._rows: dict[str, _Row] = {}
        self._by_source: dict[str, list[str]] = {}
        self._feeds: dict[str, dict[str, Any]] = {}
        self._runs: list[dict[str, Any]] = []
        self._analyses: dict[str, list[dict[str, Any]]] = {}
        self._corrections: list[dict[str, Any]] = []  # storyline.corrections
        self._inferred: dict[str, dict[str, Any]] = {}  # storyline.link.dates
        self._links: dict[str, StoryLink] = {}  # storyline.link.state
        self._link_state: LinkState | None = None
        self._run_ids = itertools.count(1)
        self._closed = False

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"store {self.url!r} is closed")

    # -- articles ------------------------------------------------------------------------------

    def add_batch(self, articles: Iterable[Article]) -> list[AddResult]:
        self._check_open()
        batch = list(articles)
        with self._lock:
            existing = [
                StoredRef(
                    id=row.article.id,
                    source_key=row.article.source_key,
                    content_hash=row.article.content_hash,
                    revision=row.article.revision,
                    meta=row.article.meta,
                )
                for key in {a.source_key for a in batch}
                for row in (self._rows[i] for i in self._by_source.get(key, ()))
            ]
            plan = plan_batch(batch, existing, now=now_utc())
            for article, _ in plan.inserts:
                if article.id in self._rows:
                    raise StoreError(
                        f"write to {self.url!r} failed: id {article.id!r} is already stored for another "
                        "source or content"
                    )
            for key in plan.superseded:
                for i in self._by_source.get(key, ()):
                    self._rows[i].is_current = False
            for article, is_current in plan.inserts:
                self._rows[article.id] = _Row(article=article, is_current=is_current)
                self._by_source.setdefault(article.source_key, []).append(article.id)
            for article_id, meta in plan.meta_updates:
                self._rows[article_id].article = replace(self._rows[article_id].article, meta=meta)
        return list(plan.results)

    def _resolve(self, id: str) -> str | None:
        if id in self._rows:
            return id
        if len(id) < MIN_PREFIX:
            return None
        candidates = [i for i in self._rows if i.startswith(id)]
        if not candidates:
            return None
        return resolve_id(id, candidates)

    def get(self, id: str) -> Article:
        self._check_open()
        with self._lock:
            full = self._resolve(id)
            if full is None:
                raise NotFound(f"no article with id {id!r}")
            return self._rows[full].article

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
        self._check_open()
        with self._lock:
            rows = list(self._rows.values())
        chosen = sorted(
            (
                r.article
                for r in rows
                if (r.is_current or not current_only)
                and (outlet is None or r.article.outlet == outlet)
                and published_matches(r.article.published, since, until)
            ),
            key=sort_key,
        )
        end = None if limit is None else offset + limit
        yield from chosen[offset:end]

    def revisions(self, source_key: str) -> list[Article]:
        self._check_open()
        with self._lock:
            found = [self._rows[i].article for i in self._by_source.get(source_key, ())]
        return sorted(found, key=lambda a: a.revision)

    def remove(self, id: str) -> bool:
        self._check_open()
        with self._lock:
            try:
                full = self._resolve(id)
            except NotFound:
                return False
            if full is None:
                return False
            row = self._rows.pop(full)
            self._analyses.pop(full, None)
            self._inferred.pop(full, None)
            self._links.pop(full, None)
            key = row.article.source_key
            remaining = [i for i in self._by_source[key] if i != full]
            if remaining:
                self._by_source[key] = remaining
                if row.is_current:
                    latest = max(remaining, key=lambda i: self._rows[i].article.revision)
                    self._rows[latest].is_current = True
            else:
                del self._by_source[key]
        return True

    def count(self, *, current_only: bool = True) -> int:
        self._check_open()
        with self._lock:
            return sum(1 for r in self._rows.values() if r.is_current or not current_only)

    def stats(self) -> dict[str, Any]:
        self._check_open()
        with self._lock:
            rows = [(r.article, r.is_current) for r in self._rows.values()]
            runs = len(self._runs)
        return stats_of(rows, runs=runs)

    # -- feed state ----------------------------------------------------------------------------

    def get_feed_state(self, url: str) -> dict[str, Any] | None:
        self._check_open()
        with self._lock:
            state = self._feeds.get(url)
            return None if state is None else dict(state)

    def put_feed_state(
        self,
        *,
        url: str,
        etag: str | None,
        last_modified: str | None,
        seen: Iterable[str],
        checked_at: datetime | None,
    ) -> None:
        self._check_open()
        with self._lock:
            self._feeds[url] = {
                "url": url,
                "etag": etag,
                "last_modified": last_modified,
                "seen": frozenset(seen),
                "checked_at": utc(checked_at),
            }

    # -- ingest runs ---------------------------------------------------------------------------

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
    ) -> int:
        self._check_open()
        with self._lock:
            run_id = next(self._run_ids)
            self._runs.append(
                {
                    "id": run_id,
                    "started_at": utc(started_at),
                    "finished_at": utc(finished_at),
                    "inputs": inputs,
                    "added": added,
                    "unchanged": unchanged,
                    "revised": revised,
                    "failed": failed,
                }
            )
            return run_id

    def runs(self, *, limit: int | None = None) -> list[dict[str, Any]]:
        self._check_open()
        with self._lock:
            newest_first = [dict(r) for r in reversed(self._runs)]
        return newest_first if limit is None else newest_first[:limit]

    # -- analyses ------------------------------------------------------------------------------

    def add_analysis(self, article_id: str, *, pipeline_version: str, data: Mapping[str, Any]) -> None:
        self._check_open()
        with self._lock:
            if article_id not in self._rows:
                raise NotFound(f"no article with id {article_id!r}")
            row = self._rows[article_id]
            row.article = replace(row.article, pipeline_version=pipeline_version)
            self._analyses[article_id] = [
                {
                    "article_id": article_id,
                    "pipeline_version": pipeline_version,
                    "data": copy.deepcopy(dict(data)),
                    "created_at": now_utc(),
                }
            ]

    def analyses(self, article_id: str) -> list[dict[str, Any]]:
        self._check_open()
        with self._lock:
            return copy.deepcopy(self._analyses.get(article_id, []))

    def latest_analyses(self, article_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        self._check_open()
        with self._lock:
            return {
                aid: copy.deepcopy(rows[-1]["data"])
                for aid in article_ids
                if (rows := self._analyses.get(aid))
            }

    def pending_analysis(self, pipeline_version: str, *, force: bool = False) -> list[str]:
        self._check_open()
        with self._lock:
            return sorted(
                aid
                for aid, row in self._rows.items()
                if row.is_current and (force or row.article.pipeline_version != pipeline_version)
            )

    # -- search --------------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> SearchResult:
        parsed = parse_query(query)
        check_page(limit, offset)
        self._check_open()
        with self._lock:
            current = [r.article for r in self._rows.values() if r.is_current]
        scored = []
        for article in current:
            score = match_score(parsed, article.title, article.text)
            if score is not None:
                scored.append((-score, article.id, article))
        scored.sort(key=lambda item: (item[0], item[1]))
        hits = [
            SearchHit(
                article_id=article.id,
                title=article.title,
                outlet=article.outlet,
                published=article.published,
                snippet=snippet(parsed, article.text),
                rank=-neg,
            )
            for neg, _, article in scored[offset : offset + limit]
        ]
        return SearchResult(total=len(scored), hits=hits)

    # -- corrections (storyline.corrections) ---------------------------------------------------

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
        self._check_open()
        with self._lock:
            row = {
                "id": len(self._corrections) + 1,
                "kind": kind,
                # a JSON round trip, as the SQL store does: what comes back is plain JSON data
                "target": json.loads(json.dumps(dict(target), ensure_ascii=False, sort_keys=True)),
                "value": json.loads(json.dumps(value, ensure_ascii=False, sort_keys=True)),
                "author": author,
                "created_at": utc(created_at) or now_utc(),
                "note": note,
                "active": True,
            }
            self._corrections.append(row)
            return int(row["id"])

    def corrections(self, *, active_only: bool = True) -> list[dict[str, Any]]:
        self._check_open()
        with self._lock:
            return [copy.deepcopy(r) for r in self._corrections if r["active"] or not active_only]

    def remove_correction(self, id: int) -> bool:
        self._check_open()
        with self._lock:
            for row in self._corrections:
                if row["id"] == id and row["active"]:
                    row["active"] = False
                    return True
            return False

    # -- inferred publication dates (storyline.link.dates) --------------------------------------

    def put_inferred_dates(self, rows: Mapping[str, Mapping[str, Any] | None]) -> None:
        self._check_open()
        with self._lock:
            for article_id, row in rows.items():
                self._inferred.pop(article_id, None)
                if row is None or article_id not in self._rows:
                    continue
                self._inferred[article_id] = {
                    "day": str(row["day"]),
                    "confidence": float(row["confidence"]),
                    "evidence": json.loads(json.dumps(list(row["evidence"]), ensure_ascii=False)),
                    "inferred_at": now_utc(),
                }

    def inferred_dates(self) -> dict[str, dict[str, Any]]:
        self._check_open()
        with self._lock:
            return {k: copy.deepcopy(v) for k, v in sorted(self._inferred.items())}

    # -- persisted linking (storyline.link.state) -----------------------------------------------

    def link_state(self, *, data: bool = True) -> LinkState | None:
        self._check_open()
        with self._lock:
            state = self._link_state
        return state if state is None or data else replace(state, data=b"")

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
        self._check_open()
        rows = list(links)
        with self._lock:
            current = None if self._link_state is None else self._link_state.generation
            if current != expected_generation:
                return None
            generation = 1 if current is None else current + 1
            self._link_state = LinkState(
                version=version,
                settings=json.loads(json.dumps(dict(settings))),
                generation=generation,
                data=bytes(data),
            )
            if reset:
                self._links.clear()
            for link in rows:
                if link.article_id in self._rows:
                    self._links[link.article_id] = link
            return generation

    def story_links(self, *, story: str | None = None) -> dict[str, StoryLink]:
        self._check_open()
        with self._lock:
            found = [x for x in self._links.values() if story is None or x.story_id == story]
        return {x.article_id: x for x in sorted(found, key=lambda x: (x.seq, x.article_id))}

    # -- lifecycle -----------------------------------------------------------------------------

    def integrity_check(self) -> str:
        return "ok"

    def close(self) -> None:
        self._closed = True

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"MemoryStore({len(self._rows)} articles)"
