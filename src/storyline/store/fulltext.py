"""Full-text search in SQL: SQLite FTS5 and PostgreSQL text search, behind one function.

The index itself (made by migration 0003, see :mod:`storyline.store.schema`) holds the current
articles only, so a search never has to look at older revisions. A query is parsed once
(:func:`~storyline.store.search.parse_query`) and compiled for the engine: an FTS5 ``MATCH``
expression of quoted words, or a ``tsquery`` built from ``to_tsquery`` calls on bound
parameters — user text never becomes query syntax on either engine.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.exc import OperationalError

from ..errors import UsageError
from .base import SearchHit, SearchResult
from .search import (
    ELLIPSIS,
    MARK_END,
    MARK_START,
    SNIPPET_WORDS,
    Query,
    Term,
    snippet_from_marks,
    to_fts5,
    to_tsquery_text,
)

logger = logging.getLogger(__name__)

#: The PostgreSQL text search configuration made by migration 0003.
PG_CONFIG = "storyline_search"
#: Title matches weigh this much more than text matches (FTS5 ``bm25`` column weights).
TITLE_WEIGHT = 5.0

# PostgreSQL marks every matched word (its stemming decides what matched) with two
# noncharacters, never found in text; the window around the first match is chosen in Python,
# as for the other stores.
_PG_START, _PG_END = "\ufdd1", "\ufdd2"
_PG_HEADLINE = f"HighlightAll=true, StartSel={_PG_START}, StopSel={_PG_END}"


#: Stands in for "<" while PostgreSQL makes a headline: its parser would drop "<b>…" as a tag.
_PG_LT = "\ufdd0"  # a noncharacter: never in interchanged text


def search(conn: Connection, query: Query, *, limit: int, offset: int) -> SearchResult:
    """Search the store on ``conn`` (SQLite or PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        return _search_postgresql(conn, query, limit=limit, offset=offset)
    return _search_sqlite(conn, query, limit=limit, offset=offset)


def _tidy(snippet: str) -> str:
    """One space between words; adjacent marked words (a phrase, ``covid-19``) marked once."""
    text = " ".join(snippet.split())
    return text.replace(MARK_END + MARK_START, "").replace(f"{MARK_END} {MARK_START}", " ")


def _hit(row: Any) -> SearchHit:
    return SearchHit(
        article_id=row.article_id,
        title=row.title,
        outlet=row.outlet,
        published=row.published,
        snippet=_tidy(row.snippet or ""),
        rank=float(row.score),
    )


# -- SQLite -------------------------------------------------------------------------------------

_SQLITE_TOTAL = text("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH :q")
# The page is chosen first (ranking every match), then snippets are made for its rows only.
_SQLITE_PAGE = text(
    f"""
    SELECT articles_fts.rowid AS key, -bm25(articles_fts, {TITLE_WEIGHT}, 1.0) AS score
    FROM articles_fts JOIN search_keys AS k ON k.key = articles_fts.rowid
    WHERE articles_fts MATCH :q
    ORDER BY score DESC, k.article_id
    LIMIT :limit OFFSET :offset
    """
)
_SQLITE_HITS = text(
    f"""
    SELECT articles_fts.rowid AS key, k.article_id AS article_id, a.title AS title, a.outlet AS outlet,
           a.published AS published,
           snippet(articles_fts, 1, '{MARK_START}', '{MARK_END}', '{ELLIPSIS}', {SNIPPET_WORDS}) AS snippet
    FROM articles_fts
    JOIN search_keys AS k ON k.key = articles_fts.rowid
    JOIN articles AS a ON a.id = k.article_id
    WHERE articles_fts MATCH :q AND articles_fts.rowid IN :keys
    """
).bindparams(bindparam("keys", expanding=True))


def _search_sqlite(conn: Connection, query: Query, *, limit: int, offset: int) -> SearchResult:
    expr = to_fts5(query)
    try:
        total = int(conn.execute(_SQLITE_TOTAL, {"q": expr}).scalar_one())
        if limit == 0 or total <= offset:
            return SearchResult(total=total, hits=[])
        page = conn.execute(_SQLITE_PAGE, {"q": expr, "limit": limit, "offset": offset}).all()
        found = {r.key: r for r in conn.execute(_SQLITE_HITS, {"q": expr, "keys": [r.key for r in page]})}
    except OperationalError as exc:
        if "fts5" in str(exc.orig):  # pragma: no cover - the compiled expression is always valid
            raise UsageError(f"search query {query.text!r}: {exc.orig}") from exc
        raise
    hits = []
    for ranked in page:
        row = found[ranked.key]
        hits.append(
            SearchHit(
                article_id=row.article_id,
                title=row.title,
                outlet=row.outlet,
                published=row.published,
                snippet=_tidy(row.snippet or ""),
                rank=float(ranked.score),
            )
        )
    return SearchResult(total=total, hits=hits)


# -- PostgreSQL ---------------------------------------------------------------------------------


def _pg_tsquery(query: Query) -> tuple[str, str, dict[str, str]]:
    """The SQL of the ``tsquery`` for ``query``, of its positive part (for ranking), and their
    parameters."""
    params: dict[str, str] = {}

    def term(t: Term) -> str:
        name = f"t{len(params)}"
        if t.prefix:  # words are letters and digits only: safe as to_tsquery input
            params[name] = to_tsquery_text(t)
            return f"to_tsquery('{PG_CONFIG}', :{name})"
        # the term as written, split by PostgreSQL's own parser as the text was ("covid-19")
        params[name] = t.text
        return f"phraseto_tsquery('{PG_CONFIG}', :{name})"

    clauses = []
    for clause in query.clauses:
        alternatives = [term(t) for t in clause]
        clauses.append(alternatives[0] if len(alternatives) == 1 else "(" + " || ".join(alternatives) + ")")
    positive = " && ".join(clauses)
    full = positive
    for t in query.excluded:
        full = f"({full}) && !!{term(t)}"
    return full, positive, params


def _search_postgresql(conn: Connection, query: Query, *, limit: int, offset: int) -> SearchResult:
    tsquery, positive, params = _pg_tsquery(query)
    count = text(
        f"WITH q AS (SELECT {tsquery} AS q, {positive} AS p) "
        "SELECT count(*) FROM articles AS a, q WHERE a.is_current AND a.search_vector @@ q.q"
    )
    total = int(conn.execute(count, params).scalar_one())
    if limit == 0 or total <= offset:
        return SearchResult(total=total, hits=[])
    page = text(
        f"""
        WITH q AS (SELECT {tsquery} AS q, {positive} AS p),
        page AS (
            SELECT a.id, ts_rank(a.search_vector, q.p) AS score
            FROM articles AS a, q
            WHERE a.is_current AND a.search_vector @@ q.q
            ORDER BY score DESC, a.id
            LIMIT :limit OFFSET :offset
        )
        SELECT a.id AS article_id, a.title AS title, a.outlet AS outlet, a.published AS published,
               ts_headline('{PG_CONFIG}', replace(a.text, '<', :lt), q.q, :headline) AS snippet,
               page.score AS score
        FROM page JOIN articles AS a ON a.id = page.id, q
        ORDER BY page.score DESC, a.id
        """
    )
    values = {**params, "limit": limit, "offset": offset, "headline": _PG_HEADLINE, "lt": _PG_LT}
    hits = []
    for row in conn.execute(page, values):
        marked = (row.snippet or "").replace(_PG_LT, "<")
        hit = _hit(row)
        hits.append(replace(hit, snippet=snippet_from_marks(marked, start=_PG_START, end=_PG_END)))
    return SearchResult(total=total, hits=hits)


__all__ = ["PG_CONFIG", "search"]
