"""``SQLStore``: the store in SQLite (default) or PostgreSQL, through SQLAlchemy Core.

All writes go through one connection guarded by a lock (datasette's "one writer"); reads use
other pooled connections, read-only on SQLite. On SQLite the store runs in WAL mode with
``synchronous=NORMAL`` and ``foreign_keys=ON``, and a write transaction starts with
``BEGIN IMMEDIATE`` so that two processes writing the same file queue on ``busy_timeout``
instead of failing half-way. On PostgreSQL (``postgresql://`` means psycopg 3) every write
transaction first takes one advisory lock (:data:`WRITER_LOCK_KEY`), so that two processes
ingesting into one database queue the same way: the identity rules read, then write, and
nothing can slip in between. Opening a store upgrades it to the newest schema revision (under
the same lock); a store written by a newer storyline (a revision this code does not know) is
refused. A database that cannot be reached, a wrong URL or a refused login is a
:class:`~storyline.errors.StoreError` naming the URL, its password masked.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    RowMapping,
    Select,
    case,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ..errors import NotFound, StoreError
from ..model import Article, Metadata, OffsetMap, Removed
from . import schema
from .base import (
    MIN_PREFIX,
    AddResult,
    LinkState,
    SearchResult,
    StoredRef,
    StoryLink,
    empty_stats,
    now_utc,
    plan_batch,
    published_bounds,
    resolve_id,
    utc,
)
from .search import check_page, parse_query

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000
PG_CONNECT_TIMEOUT_S = 10
#: The PostgreSQL advisory lock every write transaction holds (a fixed key: "storyline" in ASCII).
WRITER_LOCK_KEY = 0x73746F72796C696E
_IN_CHUNK = 400  # bound parameters per IN (...) list, under SQLite's limits


def mask_password(url: str) -> str:
    """``url`` with any password replaced by ``***`` (for messages)."""
    return re.sub(r"(://[^/@:]*:)[^/]*@", r"\1***@", url)


def sqlite_url(path: str | os.PathLike[str]) -> str:
    """The SQLAlchemy URL of an SQLite file."""
    return f"sqlite:///{os.path.abspath(os.fspath(path))}"


# ---------------------------------------------------------------------------------------------
# Article <-> row


def meta_columns(meta: Metadata) -> dict[str, Any]:
    """The ``articles`` columns that hold metadata."""
    published = meta.published
    return {
        "url": meta.get("url"),
        "outlet": meta.get("outlet"),
        "title": meta.get("title"),
        "author": meta.get("author"),
        "published": published.value if published else None,
        "published_provenance": published.provenance if published else None,
        "published_confidence": published.confidence if published else None,
        "original_source": meta.get("original_source"),
        "meta_json": json.dumps(meta.to_json(), ensure_ascii=False, sort_keys=True),
    }


def article_to_row(article: Article, *, is_current: bool) -> dict[str, Any]:
    return {
        "id": article.id,
        "source_key": article.source_key,
        "content_hash": article.content_hash,
        "revision": article.revision,
        "is_current": is_current,
        "kind": article.kind,
        "origin": article.origin,
        **meta_columns(article.meta),
        "raw": article.raw,
        "text": article.text,
        "html": article.html,
        "offsets_json": json.dumps(
            {
                "segments": article.offsets.to_json(),
                "clean_length": article.offsets.clean_length,
                "raw_length": article.offsets.raw_length,
            }
        ),
        "removed_json": json.dumps(
            [
                {"raw_start": r.raw_start, "raw_end": r.raw_end, "reason": r.reason, "text": r.text}
                for r in article.removed
            ],
            ensure_ascii=False,
        ),
        "language": article.language,
        "language_confidence": None,
        "ingested_at": article.ingested_at,
        "pipeline_version": article.pipeline_version,
    }


def row_to_article(row: RowMapping | Mapping[str, Any]) -> Article:
    offsets = json.loads(row["offsets_json"])
    return Article(
        id=row["id"],
        source_key=row["source_key"],
        content_hash=row["content_hash"],
        raw=row["raw"],
        text=row["text"],
        offsets=OffsetMap.from_json(
            offsets["segments"], clean_length=offsets["clean_length"], raw_length=offsets["raw_length"]
        ),
        removed=tuple(
            Removed(raw_start=r["raw_start"], raw_end=r["raw_end"], reason=r["reason"], text=r["text"])
            for r in json.loads(row["removed_json"])
        ),
        meta=Metadata.from_json(json.loads(row["meta_json"])),
        kind=row["kind"],
        origin=row["origin"],
        html=row["html"],
        language=row["language"],
        revision=row["revision"],
        ingested_at=utc(row["ingested_at"]),
        pipeline_version=row["pipeline_version"],
    )


# ---------------------------------------------------------------------------------------------


def _chunks(items: Sequence[str], size: int = _IN_CHUNK) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class SQLStore:
    """The store in an SQL database. ``url`` is an SQLAlchemy URL or a path to an SQLite file.

    ``"sqlite://"`` (an in-memory SQLite database) is served from a temporary file deleted on
    :meth:`close`, so that the writer and the readers see the same database.
    """

    def __init__(self, url: str | os.PathLike[str], *, echo: bool = False) -> None:
        text = os.fspath(url)
        self._tmpdir: str | None = None
        try:
            parsed = make_url(text) if "://" in text else make_url(sqlite_url(text))
        except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
            shown = mask_password(text)
            raise StoreError(f"cannot open store {shown!r}: not a path or database URL") from exc
        if parsed.drivername in ("postgresql", "postgres"):
            parsed = parsed.set(drivername="postgresql+psycopg")  # psycopg 3, not SQLAlchemy's default
        backend = parsed.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            shown = parsed.render_as_string(hide_password=True)
            raise StoreError(
                f"cannot open store {shown!r}: {backend!r} databases are not supported (use SQLite or "
                "PostgreSQL)"
            )
        if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
            self._tmpdir = tempfile.mkdtemp(prefix="storyline-")
            parsed = make_url(sqlite_url(os.path.join(self._tmpdir, "store.db")))
        self.url = parsed.render_as_string(hide_password=True)
        self._lock = threading.RLock()
        self._closed = False
        self._is_sqlite = parsed.get_backend_name() == "sqlite"
        if self._is_sqlite and parsed.database:
            parent = os.path.dirname(os.path.abspath(parsed.database))
            if not os.path.isdir(parent):
                self._cleanup_tmp()
                raise StoreError(f"cannot open store {text!r}: directory {parent!r} does not exist")
        try:
            kwargs: dict[str, Any] = {"echo": echo}
            if self._is_sqlite:
                kwargs["connect_args"] = {"check_same_thread": False}
            else:
                kwargs["connect_args"] = {
                    "connect_timeout": PG_CONNECT_TIMEOUT_S,
                    "application_name": "storyline",
                }
                kwargs["pool_pre_ping"] = True
            self._write_engine = create_engine(parsed, **kwargs)
            self._read_engine = create_engine(parsed, **kwargs)
        except (SQLAlchemyError, ImportError) as exc:  # a driver that is not installed
            self._cleanup_tmp()
            raise StoreError(f"cannot open store {self.url!r}: {exc}") from exc
        if self._is_sqlite:
            self._sqlite_setup(self._write_engine, writer=True)
            self._sqlite_setup(self._read_engine, writer=False)
        try:
            self._writer: Connection = self._write_engine.connect()
            self._migrate()
        except StoreError:
            self._dispose()
            raise
        except SQLAlchemyError as exc:
            self._dispose()
            raise StoreError(f"cannot open store {self.url!r}: {_reason(exc)}") from exc

    # -- setup ---------------------------------------------------------------------------------

    @staticmethod
    def _sqlite_setup(engine: Engine, *, writer: bool) -> None:
        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's implicit one is lazy).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                if writer:
                    cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.execute("PRAGMA foreign_keys=ON")
                if not writer:
                    cursor.execute("PRAGMA query_only=ON")
            finally:
                cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

    def _migrate(self) -> None:
        from alembic import command
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory
        from alembic.util import CommandError

        from .migrations import alembic_config

        cfg = alembic_config(connection=self._writer)
        script = ScriptDirectory.from_config(cfg)
        heads = script.get_heads()
        with self._lock, self._writer.begin():
            self._lock_writers(self._writer)
            current = MigrationContext.configure(self._writer).get_current_heads()
            for rev in current:
                try:
                    script.get_revision(rev)
                except CommandError:
                    raise StoreError(
                        f"store {self.url!r} has schema revision {rev!r}, newer than this storyline "
                        f"knows (head {', '.join(heads)}); upgrade storyline to open it"
                    ) from None
            if set(current) != set(heads):
                logger.info("upgrading store %s from %s to %s", self.url, current or "empty", heads)
                command.upgrade(cfg, "heads")

    def schema_revision(self) -> tuple[str, ...]:
        from alembic.runtime.migration import MigrationContext

        with self._read_engine.connect() as conn:
            return tuple(MigrationContext.configure(conn).get_current_heads())

    # -- plumbing ------------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        self._check_open()
        with self._lock:
            try:
                with self._writer.begin():
                    self._lock_writers(self._writer)
                    yield self._writer
            except SQLAlchemyError as exc:
                raise StoreError(f"write to {self.url!r} failed: {_reason(exc)}") from exc

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        self._check_open()
        try:
            with self._read_engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"read from {self.url!r} failed: {_reason(exc)}") from exc

    def _lock_writers(self, conn: Connection) -> None:
        """One writer at a time across processes: SQLite's ``BEGIN IMMEDIATE`` does it there; on
        PostgreSQL a transaction-scoped advisory lock, released at commit or rollback."""
        if not self._is_sqlite:
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})")

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"store {self.url!r} is closed")

    # -- articles ------------------------------------------------------------------------------

    def add_batch(self, articles: Iterable[Article]) -> list[AddResult]:
        batch = list(articles)
        if not batch:
            return []
        t = schema.articles
        with self._write() as conn:
            keys = sorted({a.source_key for a in batch})
            existing: list[StoredRef] = []
            for chunk in _chunks(keys):
                q = select(t.c.id, t.c.source_key, t.c.content_hash, t.c.revision, t.c.meta_json).where(
                    t.c.source_key.in_(chunk)
                )
                existing.extend(
                    StoredRef(
                        id=r.id,
                        source_key=r.source_key,
                        content_hash=r.content_hash,
                        revision=r.revision,
                        meta=Metadata.from_json(json.loads(r.meta_json)),
                    )
                    for r in conn.execute(q)
                )
            plan = plan_batch(batch, existing, now=now_utc())
            superseded = sorted(plan.superseded)
            for chunk in _chunks(superseded):
                conn.execute(
                    update(t).where(t.c.source_key.in_(chunk), t.c.is_current).values(is_current=False)
                )
            if plan.inserts:
                conn.execute(insert(t), [article_to_row(a, is_current=cur) for a, cur in plan.inserts])
            for article_id, meta in plan.meta_updates:
                conn.execute(update(t).where(t.c.id == article_id).values(**meta_columns(meta)))
        return list(plan.results)

    def _resolve(self, conn: Connection, id: str) -> str | None:
        t = schema.articles
        if conn.execute(select(t.c.id).where(t.c.id == id)).first() is not None:
            return id
        if len(id) < MIN_PREFIX:
            return None
        q = select(t.c.id).where(t.c.id.startswith(id, autoescape=True)).limit(6)
        candidates = list(conn.execute(q).scalars())
        if not candidates:
            return None
        return resolve_id(id, candidates)

    def get(self, id: str) -> Article:
        t = schema.articles
        with self._read() as conn:
            full = self._resolve(conn, id)
            row = None if full is None else conn.execute(select(t).where(t.c.id == full)).mappings().first()
        if row is None:
            raise NotFound(f"no article with id {id!r}")
        return row_to_article(row)

    def _select(
        self,
        *,
        current_only: bool,
        outlet: str | None,
        since: str | date | None,
        until: str | date | None,
    ) -> Select[Any]:
        t = schema.articles
        q = select(t)
        if current_only:
            q = q.where(t.c.is_current)
        if outlet is not None:
            q = q.where(t.c.outlet == outlet)
        low, high, inclusive = published_bounds(since, until)
        if low is not None:
            q = q.where(t.c.published >= low)
        if high is not None:
            q = q.where(t.c.published <= high if inclusive else t.c.published < high)
        return q

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
        t = schema.articles
        q = self._select(current_only=current_only, outlet=outlet, since=since, until=until)
        q = q.order_by(case((t.c.published.is_(None), 1), else_=0), t.c.published, t.c.id)
        if limit is not None:
            q = q.limit(limit)
        if offset:
            q = q.offset(offset)
        with self._read() as conn:
            result = conn.execution_options(yield_per=200).execute(q).mappings()
            for row in result:
                yield row_to_article(row)

    def revisions(self, source_key: str) -> list[Article]:
        t = schema.articles
        q = select(t).where(t.c.source_key == source_key).order_by(t.c.revision)
        with self._read() as conn:
            return [row_to_article(r) for r in conn.execute(q).mappings()]

    def remove(self, id: str) -> bool:
        t = schema.articles
        with self._write() as conn:
            try:
                full = self._resolve(conn, id)
            except NotFound:
                return False
            if full is None:
                return False
            row = conn.execute(select(t.c.source_key, t.c.is_current).where(t.c.id == full)).first()
            if row is None:  # pragma: no cover - resolved above in the same transaction
                return False
            # ON DELETE CASCADE removes derived rows; deleting them here too keeps that true on a
            # connection whose foreign keys are off.
            conn.execute(delete(schema.analyses).where(schema.analyses.c.article_id == full))
            conn.execute(delete(schema.inferred_dates).where(schema.inferred_dates.c.article_id == full))
            conn.execute(delete(schema.story_links).where(schema.story_links.c.article_id == full))
            conn.execute(delete(t).where(t.c.id == full))
            if row.is_current:
                latest = conn.execute(
                    select(t.c.id)
                    .where(t.c.source_key == row.source_key)
                    .order_by(t.c.revision.desc())
                    .limit(1)
                ).scalar()
                if latest is not None:
                    conn.execute(update(t).where(t.c.id == latest).values(is_current=True))
        return True

    def count(self, *, current_only: bool = True) -> int:
        t = schema.articles
        q = select(func.count()).select_from(t)
        if current_only:
            q = q.where(t.c.is_current)
        with self._read() as conn:
            return int(conn.execute(q).scalar_one())

    def stats(self) -> dict[str, Any]:
        t = schema.articles
        cur = t.c.is_current
        out = empty_stats()
        with self._read() as conn:
            out["articles"] = int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            out["current"] = int(conn.execute(select(func.count()).select_from(t).where(cur)).scalar_one())
            out["revisions"] = out["articles"] - out["current"]
            out["sources"] = int(conn.execute(select(func.count(t.c.source_key.distinct()))).scalar_one())
            out["outlets"] = int(
                conn.execute(select(func.count(t.c.outlet.distinct())).where(cur)).scalar_one()
            )
            kinds = conn.execute(select(t.c.kind, func.count()).where(cur).group_by(t.c.kind))
            out["by_kind"] = dict(sorted((k, int(n)) for k, n in kinds))
            langs = conn.execute(select(t.c.language, func.count()).where(cur).group_by(t.c.language))
            by_lang: dict[str, int] = {}
            for lang, n in langs:
                key = lang or "unknown"
                by_lang[key] = by_lang.get(key, 0) + int(n)
            out["by_language"] = dict(sorted(by_lang.items()))
            low, high, unknown = conn.execute(
                select(
                    func.min(t.c.published),
                    func.max(t.c.published),
                    func.count().filter(t.c.published.is_(None)),
                ).where(cur)
            ).one()
            out["published"] = {"min": low, "max": high, "unknown": int(unknown or 0)}
            out["ingest_runs"] = int(
                conn.execute(select(func.count()).select_from(schema.ingest_runs)).scalar_one()
            )
        return out

    # -- feed state ----------------------------------------------------------------------------

    def get_feed_state(self, url: str) -> dict[str, Any] | None:
        f = schema.feed_state
        with self._read() as conn:
            row = conn.execute(select(f).where(f.c.url == url)).mappings().first()
        if row is None:
            return None
        return {
            "url": row["url"],
            "etag": row["etag"],
            "last_modified": row["last_modified"],
            "seen": frozenset(json.loads(row["seen_json"])),
            "checked_at": row["checked_at"],
        }

    def put_feed_state(
        self,
        *,
        url: str,
        etag: str | None,
        last_modified: str | None,
        seen: Iterable[str],
        checked_at: datetime | None,
    ) -> None:
        f = schema.feed_state
        values = {
            "etag": etag,
            "last_modified": last_modified,
            "seen_json": json.dumps(sorted(set(seen)), ensure_ascii=False),
            "checked_at": checked_at,
        }
        with self._write() as conn:
            done = conn.execute(update(f).where(f.c.url == url).values(**values))
            if done.rowcount == 0:
                conn.execute(insert(f).values(url=url, **values))

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
        r = schema.ingest_runs
        with self._write() as conn:
            result = conn.execute(
                insert(r).values(
                    started_at=started_at,
                    finished_at=finished_at,
                    inputs=inputs,
                    added=added,
                    unchanged=unchanged,
                    revised=revised,
                    failed=failed,
                )
            )
            pk = result.inserted_primary_key
            assert pk is not None
            return int(pk[0])

    def runs(self, *, limit: int | None = None) -> list[dict[str, Any]]:
        r = schema.ingest_runs
        q = select(r).order_by(r.c.id.desc())
        if limit is not None:
            q = q.limit(limit)
        with self._read() as conn:
            return [dict(row) for row in conn.execute(q).mappings()]

    # -- analyses ------------------------------------------------------------------------------

    def add_analysis(self, article_id: str, *, pipeline_version: str, data: Mapping[str, Any]) -> None:
        a = schema.analyses
        t = schema.articles
        with self._write() as conn:
            if conn.execute(select(t.c.id).where(t.c.id == article_id)).first() is None:
                raise NotFound(f"no article with id {article_id!r}")
            conn.execute(delete(a).where(a.c.article_id == article_id))
            conn.execute(
                update(t)
                .where(t.c.id == article_id)
                .values(pipeline_version=pipeline_version, analyzed_at=now_utc())
            )
            conn.execute(
                insert(a).values(
                    article_id=article_id,
                    pipeline_version=pipeline_version,
                    data_json=json.dumps(dict(data), ensure_ascii=False, sort_keys=True),
                    created_at=now_utc(),
                )
            )

    def analyses(self, article_id: str) -> list[dict[str, Any]]:
        a = schema.analyses
        q = select(a).where(a.c.article_id == article_id).order_by(a.c.id)
        with self._read() as conn:
            return [
                {
                    "article_id": row["article_id"],
                    "pipeline_version": row["pipeline_version"],
                    "data": json.loads(row["data_json"]),
                    "created_at": row["created_at"],
                }
                for row in conn.execute(q).mappings()
            ]

    def latest_analyses(self, article_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        a = schema.analyses
        ids = list(dict.fromkeys(article_ids))
        out: dict[str, dict[str, Any]] = {}
        with self._read() as conn:
            for i in range(0, len(ids), _IN_CHUNK):
                q = (
                    select(a.c.article_id, a.c.data_json)
                    .where(a.c.article_id.in_(ids[i : i + _IN_CHUNK]))
                    .order_by(a.c.id)
                )
                for article_id, data_json in conn.execute(q):
                    out[str(article_id)] = json.loads(data_json)  # later rows win
        return out

    def pending_analysis(self, pipeline_version: str, *, force: bool = False) -> list[str]:
        t = schema.articles
        q = select(t.c.id).where(t.c.is_current.is_(True))
        if not force:
            q = q.where((t.c.pipeline_version.is_(None)) | (t.c.pipeline_version != pipeline_version))
        with self._read() as conn:
            return sorted(str(r[0]) for r in conn.execute(q.order_by(t.c.id)))

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
        c = schema.corrections
        with self._write() as conn:
            result = conn.execute(
                insert(c).values(
                    kind=kind,
                    target_json=json.dumps(dict(target), ensure_ascii=False, sort_keys=True),
                    value_json=json.dumps(value, ensure_ascii=False, sort_keys=True),
                    author=author,
                    created_at=utc(created_at) or now_utc(),
                    note=note,
                    active=True,
                )
            )
            pk = result.inserted_primary_key
            assert pk is not None
            return int(pk[0])

    def corrections(self, *, active_only: bool = True) -> list[dict[str, Any]]:
        c = schema.corrections
        q = select(c).order_by(c.c.id)
        if active_only:
            q = q.where(c.c.active.is_(True))
        with self._read() as conn:
            return [
                {
                    "id": int(row["id"]),
                    "kind": row["kind"],
                    "target": json.loads(row["target_json"]),
                    "value": json.loads(row["value_json"]),
                    "author": row["author"],
                    "created_at": row["created_at"],
                    "note": row["note"],
                    "active": bool(row["active"]),
                }
                for row in conn.execute(q).mappings()
            ]

    def remove_correction(self, id: int) -> bool:
        c = schema.corrections
        with self._write() as conn:
            done = conn.execute(
                update(c).where(c.c.id == id).where(c.c.active.is_(True)).values(active=False)
            )
            return bool(done.rowcount)

    # -- inferred publication dates (storyline.link.dates) --------------------------------------

    def put_inferred_dates(self, rows: Mapping[str, Mapping[str, Any] | None]) -> None:
        d = schema.inferred_dates
        t = schema.articles
        with self._write() as conn:
            for article_id, row in rows.items():
                conn.execute(delete(d).where(d.c.article_id == article_id))
                if row is None:
                    continue
                if conn.execute(select(t.c.id).where(t.c.id == article_id)).first() is None:
                    continue  # removed meanwhile
                conn.execute(
                    insert(d).values(
                        article_id=article_id,
                        day=str(row["day"]),
                        confidence=float(row["confidence"]),
                        evidence_json=json.dumps(list(row["evidence"]), ensure_ascii=False, sort_keys=True),
                        inferred_at=now_utc(),
                    )
                )

    def inferred_dates(self) -> dict[str, dict[str, Any]]:
        d = schema.inferred_dates
        with self._read() as conn:
            return {
                str(row["article_id"]): {
                    "day": row["day"],
                    "confidence": float(row["confidence"]),
                    "evidence": json.loads(row["evidence_json"]),
                    "inferred_at": row["inferred_at"],
                }
                for row in conn.execute(select(d).order_by(d.c.article_id)).mappings()
            }

    # -- persisted linking (storyline.link.state) -----------------------------------------------

    def link_state(self, *, data: bool = True) -> LinkState | None:
        s = schema.link_state
        cols = [s.c.version, s.c.settings_json, s.c.generation] + ([s.c.data] if data else [])
        with self._read() as conn:
            row = conn.execute(select(*cols).where(s.c.name == "stories")).mappings().first()
        if row is None:
            return None
        return LinkState(
            version=int(row["version"]),
            settings=json.loads(row["settings_json"]),
            generation=int(row["generation"]),
            data=bytes(row["data"]) if data else b"",
        )

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
        s, sl, t = schema.link_state, schema.story_links, schema.articles
        values = {
            "version": version,
            "settings_json": json.dumps(dict(settings), sort_keys=True),
            "data": data,
            "updated_at": now_utc(),
        }
        rows = {link.article_id: link for link in links}
        with self._write() as conn:
            current = conn.execute(select(s.c.generation).where(s.c.name == "stories")).scalar()
            if (None if current is None else int(current)) != expected_generation:
                return None
            generation = 1 if current is None else int(current) + 1
            # the values go with the execution, not into the statement: SQLAlchemy's statement
            # cache keeps the first statement of each shape, and with it any value bound in it
            # (the state blob: tens of MB per 10,000 linked articles, held for the process's life)
            if current is None:
                conn.execute(insert(s), {"name": "stories", "generation": generation, **values})
            else:
                conn.execute(update(s).where(s.c.name == "stories"), {"generation": generation, **values})
            if reset:
                conn.execute(delete(sl))
            ids = sorted(rows)
            for chunk in _chunks(ids):
                conn.execute(delete(sl).where(sl.c.article_id.in_(chunk)))
                stored = {str(r[0]) for r in conn.execute(select(t.c.id).where(t.c.id.in_(chunk)))}
                batch = [
                    {
                        "article_id": i,
                        "story_id": rows[i].story_id,
                        "origin_id": rows[i].origin_id,
                        "seq": rows[i].seq,
                    }
                    for i in chunk
                    if i in stored
                ]
                if batch:
                    conn.execute(insert(sl), batch)
            return generation

    def story_links(self, *, story: str | None = None) -> dict[str, StoryLink]:
        sl = schema.story_links
        q = select(sl).order_by(sl.c.seq, sl.c.article_id)
        if story is not None:
            q = q.where(sl.c.story_id == story)
        with self._read() as conn:
            return {
                str(r["article_id"]): StoryLink(
                    article_id=str(r["article_id"]),
                    story_id=str(r["story_id"]),
                    origin_id=None if r["origin_id"] is None else str(r["origin_id"]),
                    seq=int(r["seq"]),
                )
                for r in conn.execute(q).mappings()
            }

    # -- search --------------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> SearchResult:
        from .fulltext import search

        parsed = parse_query(query)
        check_page(limit, offset)
        with self._read() as conn:
            return search(conn, parsed, limit=limit, offset=offset)

    # -- lifecycle -----------------------------------------------------------------------------

    def integrity_check(self) -> str:
        """``PRAGMA integrity_check`` on SQLite (``"ok"`` when healthy); ``"ok"`` elsewhere."""
        if not self._is_sqlite:
            return "ok"
        with self._read() as conn:
            return "\n".join(str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check"))

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with self._lock:
            self._dispose()

    def _dispose(self) -> None:
        try:
            writer = getattr(self, "_writer", None)
            if writer is not None:
                writer.close()
        finally:
            self._write_engine.dispose()
            self._read_engine.dispose()
            self._cleanup_tmp()

    def _cleanup_tmp(self) -> None:
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def __enter__(self) -> SQLStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLStore({self.url!r})"


def _reason(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig) if orig is not None else str(exc).splitlines()[0]


__all__ = ["SQLStore", "article_to_row", "row_to_article", "sqlite_url"]
