"""Full-text search over current articles' title and clean text, built from what is stored.

SQLite: an FTS5 index (``porter unicode61 remove_diacritics 2``) whose content is read through
the view ``search_docs``, so the text is not stored twice. ``search_keys`` gives each indexed
article a stable integer key (FTS5 needs one; ``articles`` has a text primary key, and SQLite's
own rowids may change on VACUUM). Triggers on ``articles`` keep the index equal to the current
articles inside every write transaction, whichever code writes. A later revision that rebuilds
``articles`` on SQLite (Alembic's batch mode copies the table) drops these triggers with the old
table and must create them again.

PostgreSQL: the text search configuration ``storyline_search`` (English stemming and
stop words, accents removed with the ``unaccent`` extension), a stored generated ``tsvector``
column ``articles.search_vector`` (title weighted A, text B) and a GIN index on it for
current articles.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

_SQLITE_UP = [
    "CREATE TABLE search_keys (key INTEGER PRIMARY KEY, article_id TEXT NOT NULL UNIQUE)",
    "CREATE VIEW search_docs AS SELECT k.key AS key, a.title AS title, a.text AS body "
    "FROM search_keys AS k JOIN articles AS a ON a.id = k.article_id",
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='search_docs', "
    "content_rowid='key', tokenize='porter unicode61 remove_diacritics 2')",
    """CREATE TRIGGER articles_search_insert AFTER INSERT ON articles WHEN new.is_current BEGIN
        INSERT INTO search_keys (article_id) VALUES (new.id);
        INSERT INTO articles_fts (rowid, title, body)
            SELECT key, new.title, new.text FROM search_keys WHERE article_id = new.id;
    END""",
    """CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, body)
            SELECT 'delete', key, old.title, old.text FROM search_keys WHERE article_id = old.id;
        DELETE FROM search_keys WHERE article_id = old.id;
    END""",
    """CREATE TRIGGER articles_search_update AFTER UPDATE OF id, is_current, title, text ON articles
    BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, body)
            SELECT 'delete', key, old.title, old.text FROM search_keys WHERE article_id = old.id;
        DELETE FROM search_keys WHERE article_id = old.id;
        INSERT INTO search_keys (article_id) SELECT new.id WHERE new.is_current;
        INSERT INTO articles_fts (rowid, title, body)
            SELECT key, new.title, new.text FROM search_keys WHERE article_id = new.id;
    END""",
    # Backfill: every current article, then the index from the view.
    "INSERT INTO search_keys (article_id) SELECT id FROM articles WHERE is_current ORDER BY id",
    "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')",
]

_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS articles_search_update",
    "DROP TRIGGER IF EXISTS articles_search_delete",
    "DROP TRIGGER IF EXISTS articles_search_insert",
    "DROP TABLE IF EXISTS articles_fts",
    "DROP VIEW IF EXISTS search_docs",
    "DROP TABLE IF EXISTS search_keys",
]

_PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION storyline_search (COPY = pg_catalog.english)",
    "ALTER TEXT SEARCH CONFIGURATION storyline_search "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    # The generated column fills itself for the rows already stored (the backfill). "<" becomes a
    # space: the text is plain text, and PostgreSQL's parser would skip "<b>" or "<script>" as tags.
    "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('storyline_search'::regconfig, replace(coalesce(title, ''), '<', ' ')), 'A') || "
    "setweight(to_tsvector('storyline_search'::regconfig, replace(text, '<', ' ')), 'B')) STORED",
    "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector) WHERE is_current",
]

_PG_DOWN = [
    "DROP INDEX IF EXISTS ix_articles_search_vector",
    "ALTER TABLE articles DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS storyline_search",
]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(_SQLITE_UP)
    elif dialect == "postgresql":
        _run(_PG_UP)
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(f"full-text search is not available on {dialect}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(_SQLITE_DOWN)
    elif dialect == "postgresql":
        _run(_PG_DOWN)
