"""The store's tables, in SQLAlchemy Core (no ORM).

Types are kept portable between SQLite and PostgreSQL: ``Text``, ``Integer``, ``Float``,
``Boolean``, timezone-aware ``DateTime`` (stored as UTC), JSON kept as ``Text``. No SQL that only
SQLite understands. This module describes the *current* schema; the Alembic revisions in
``store/migrations/versions`` create it, and a test checks that the two agree.

::

    articles      one row per stored revision of an article (id = hash of source + content)
    analyses      per-article results of analysis, deleted with their article (ON DELETE CASCADE)
    feed_state    per feed URL: ETag, Last-Modified, the item ids seen, when it was checked
    ingest_runs   one row per ``Corpus.add`` call with its counts
    corrections   what a person corrected (kind, target, value, who, when); never touched by analysis
    inferred_dates  publication days inferred by linking for undated articles (with their evidence)
    story_links   per linked article: its story and syndication origin (storyline.link.state)
    link_state    the linking indexes' state, a versioned blob of numpy arrays (storyline.link.state)

Full-text search is dialect-specific and lives outside this metadata (revision 0003 creates it):
on SQLite the FTS5 table ``articles_fts``, the view ``search_docs``, the key table
``search_keys`` and triggers on ``articles``; on PostgreSQL the generated column
``articles.search_vector`` with its GIN index and the text search configuration
``storyline_search``. :func:`include_name` hides them from schema comparisons.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

#: Full-text search objects made by revision 0003, not described by :data:`metadata`.
SEARCH_TABLES = frozenset({"search_keys", "search_docs", "articles_fts"})
SEARCH_COLUMNS = frozenset({"search_vector"})
SEARCH_INDEXES = frozenset({"ix_articles_search_vector"})


def include_name(name: str | None, type_: str, parent_names: MutableMapping[Any, str | None]) -> bool:
    """Alembic's ``include_name`` hook: leave the search objects out of schema comparisons."""
    if type_ == "table":
        return name not in SEARCH_TABLES and not (name or "").startswith("articles_fts_")
    if type_ == "column":
        return name not in SEARCH_COLUMNS
    if type_ == "index":
        return name not in SEARCH_INDEXES
    return True


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime, stored as UTC, read back as an aware UTC datetime.

    SQLite has no time zones, so the value is stored as naive UTC there; PostgreSQL stores a
    ``timestamp with time zone``. A naive value given to the store is taken to be UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


articles = Table(
    "articles",
    metadata,
    Column("id", Text, primary_key=True),
    Column("source_key", Text, nullable=False),
    Column("content_hash", Text, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("is_current", Boolean, nullable=False),
    Column("kind", Text, nullable=False),
    Column("origin", Text, nullable=False),
    Column("url", Text),
    Column("outlet", Text),
    Column("title", Text),
    Column("author", Text),
    Column("published", Text),  # ISO 8601 date or datetime, as given
    Column("published_provenance", Text),
    Column("published_confidence", Float),
    Column("original_source", Text),
    Column("meta_json", Text, nullable=False),  # the full Metadata (the columns above copy it for queries)
    Column("raw", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("html", Text),
    Column("offsets_json", Text, nullable=False),
    Column("removed_json", Text, nullable=False),
    Column("language", Text),
    Column("language_confidence", Float),
    Column("ingested_at", UTCDateTime, nullable=False),
    Column("pipeline_version", Text),
    Column("analyzed_at", UTCDateTime),
    UniqueConstraint("source_key", "content_hash", name="uq_articles_source_key_content_hash"),
    Index("ix_articles_source_key", "source_key"),
    Index("ix_articles_is_current", "is_current"),
    Index("ix_articles_published", "published"),
    Index("ix_articles_outlet", "outlet"),
)

analyses = Table(
    "analyses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "article_id",
        Text,
        ForeignKey("articles.id", ondelete="CASCADE", name="fk_analyses_article_id_articles"),
        nullable=False,
    ),
    Column("pipeline_version", Text, nullable=False),
    Column("data_json", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_analyses_article_id", "article_id"),
)

feed_state = Table(
    "feed_state",
    metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("seen_json", Text, nullable=False),
    Column("checked_at", UTCDateTime),
)

ingest_runs = Table(
    "ingest_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("inputs", Integer, nullable=False),
    Column("added", Integer, nullable=False),
    Column("unchanged", Integer, nullable=False),
    Column("revised", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
)


# -- corrections (storyline.corrections) -------------------------------------------------------
# Kept apart from ``analyses``: re-analysis never touches them. ``target_json`` names the machine
# item by stable keys (article id + character span, actor names), not by row numbers; removing a
# correction sets ``active`` to false, so its history stays.
corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", Text, nullable=False),
    Column("target_json", Text, nullable=False),
    Column("value_json", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("note", Text),
    Column("active", Boolean, nullable=False),
    Index("ix_corrections_kind", "kind"),
)


# -- inferred publication dates (storyline.link.dates) -----------------------------------------
# One row per undated article that linking could date; the article's own metadata is never
# changed (a date given later simply wins). Deleted with the article.
inferred_dates = Table(
    "inferred_dates",
    metadata,
    Column(
        "article_id",
        Text,
        ForeignKey("articles.id", ondelete="CASCADE", name="fk_inferred_dates_article_id_articles"),
        primary_key=True,
    ),
    Column("day", Text, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("evidence_json", Text, nullable=False),
    Column("inferred_at", UTCDateTime, nullable=False),
)


# -- persisted linking (storyline.link.state) ---------------------------------------------------
# Each linked article's story and origin, read by the views instead of clustering again; the
# indexes' state (a ``.npz`` of numpy arrays, loaded without pickle) that the next analysis
# continues from. ``generation`` grows by one per write: a writer that read an older one lost a race.
story_links = Table(
    "story_links",
    metadata,
    Column(
        "article_id",
        Text,
        ForeignKey("articles.id", ondelete="CASCADE", name="fk_story_links_article_id_articles"),
        primary_key=True,
    ),
    Column("story_id", Text, nullable=False),
    Column("origin_id", Text),
    Column("seq", Integer, nullable=False),
    Index("ix_story_links_story_id", "story_id"),
)

link_state = Table(
    "link_state",
    metadata,
    Column("name", Text, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("settings_json", Text, nullable=False),
    Column("generation", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
