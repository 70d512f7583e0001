"""Full-text search: one suite over the memory store, SQLite (FTS5) and PostgreSQL."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pg  # tests/pg.py (on sys.path: see conftest.py)
from storyline.errors import UsageError
from storyline.model import Article, Metadata, MetaValue, OffsetMap, article_id, content_hash
from storyline.store import MemoryStore, SQLStore, Store
from storyline.store.base import SearchHit, SearchResult
from storyline.store.search import Term, parse_query, snippet_from_marks, to_fts5

BACKENDS = ["memory", "sqlite", "postgresql"]
T0 = datetime(2025, 5, 18, 12, 0, tzinfo=UTC)
KEY: dict[str, str] = {}  # article id -> source key, for every article made here


def make(source_key: str, text: str, *, title: str | None = None, published: str = "2025-05-18") -> Article:
    chash = content_hash(text)
    meta = Metadata(
        title=MetaValue(value=title or text.split(".")[0], provenance="given"),
        outlet=MetaValue(value=source_key.split("/")[0].upper(), provenance="given"),
        published=MetaValue(value=published, provenance="given"),
    )
    KEY[article_id(source_key, chash)] = source_key
    return Article(
        id=article_id(source_key, chash),
        source_key=source_key,
        content_hash=chash,
        raw=text,
        text=text,
        offsets=OffsetMap.identity(len(text)),
        meta=meta,
        kind="text",
        origin=f"{source_key}.txt",
    )


GENEVA = make(
    "ge/1", "Ceasefire talks resume in Geneva. The negotiators met on Tuesday to discuss the café terms."
)
PROTEST = make(
    "pa/1",
    "Protesters gathered outside parliament. Police said the protest over COVID-19 rules was peaceful.",
)
SUMMIT = make("ge/2", "Geneva summit postponed. Talks will resume later in the year.", published="2025-05-19")
BUDGET = make(
    "bu/1", "Lawmakers argued for hours. The budget was not put to a vote.", title="Budget vote delayed"
)
ARGUE = make("bu/2", "Lawmakers argued for hours. The budget was not put to a vote.", title="Lawmakers argue")
ELECTION = make("el/1", "Polls closed at eight. Counting began at once.", title="Election night")
ALL = [GENEVA, PROTEST, SUMMIT, BUDGET, ARGUE, ELECTION]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        s: Store = MemoryStore()
        s.add_batch(ALL)
        yield s
        s.close()
        return
    for url in pg.database_url(request, tmp_path, request.param):
        with SQLStore(url) as sql_store:
            sql_store.add_batch(ALL)
            yield sql_store


def keys(result: SearchResult) -> list[str]:
    return [KEY[h.article_id] for h in result.hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("geneva", {"ge/1", "ge/2"}),
        ("GENEVA talks", {"ge/1", "ge/2"}),
        ('"talks resume"', {"ge/1"}),
        ("geneva -summit", {"ge/1"}),
        ('geneva -"summit postponed"', {"ge/1"}),
        ("summit OR parliament", {"ge/2", "pa/1"}),
        ("parlia*", {"pa/1"}),
        ("cafe", {"ge/1"}),
        ("Café", {"ge/1"}),
        ("covid-19", {"pa/1"}),
        ("election", {"el/1"}),  # in the title only
        ("geneva parliament", set()),
        ("zeppelin", set()),
    ],
)
def test_matches(store: Store, query: str, expected: set[str]) -> None:
    result = store.search(query)
    assert set(keys(result)) == expected
    assert result.total == len(expected)


def test_hit_fields_and_snippet(store: Store) -> None:
    [hit] = store.search("café").hits
    # the whole (short) text, the matched word marked: the same on every backend
    assert hit == SearchHit(
        article_id=GENEVA.id,
        title="Ceasefire talks resume in Geneva",
        outlet="GE",
        published="2025-05-18",
        snippet=GENEVA.text.replace("café", "«café»"),
        rank=hit.rank,
    )
    assert hit.rank > 0


def test_phrase_marked_once(store: Store) -> None:
    [hit] = store.search('"talks resume"').hits
    assert "«talks resume»" in hit.snippet


def test_title_match_ranks_first(store: Store) -> None:
    result = store.search("budget")
    assert keys(result) == ["bu/1", "bu/2"]
    assert result.hits[0].rank > result.hits[1].rank


def test_pages(store: Store) -> None:
    whole = store.search("geneva OR budget OR protest*")
    assert whole.total == 5
    ids = [h.article_id for h in whole.hits]
    assert len(set(ids)) == 5
    assert [h.article_id for h in store.search("geneva OR budget OR protest*", limit=2).hits] == ids[:2]
    page = store.search("geneva OR budget OR protest*", limit=2, offset=2)
    assert (page.total, [h.article_id for h in page.hits]) == (5, ids[2:4])
    assert store.search("geneva OR budget OR protest*", limit=2, offset=4).total == 5
    assert [h.article_id for h in store.search("geneva OR budget OR protest*", offset=4).hits] == ids[4:]
    assert store.search("geneva OR budget OR protest*", offset=9) == SearchResult(total=5, hits=[])
    assert store.search("geneva", limit=0) == SearchResult(total=2, hits=[])


def test_only_current_articles(store: Store) -> None:
    revised = make("ge/1", "Ceasefire talks collapse in Vienna. Nobody met.")
    store.add_batch([revised])
    assert keys(store.search("geneva")) == ["ge/2"]
    assert keys(store.search("vienna")) == ["ge/1"]
    # removing the current revision brings the older one back into the index
    assert store.remove(revised.id)
    assert set(keys(store.search("geneva"))) == {"ge/1", "ge/2"}
    assert store.search("vienna").total == 0
    assert store.remove(SUMMIT.id)
    assert keys(store.search("geneva")) == ["ge/1"]


def test_new_title_is_searchable(store: Store) -> None:
    retitled = dataclasses.replace(
        ELECTION,
        meta=dataclasses.replace(ELECTION.meta, title=MetaValue(value="Landslide", provenance="html")),
    )
    [res] = store.add_batch([retitled])
    assert res.status == "updated"
    assert keys(store.search("landslide")) == ["el/1"]
    assert store.search("election").total == 0


def test_snippet_is_plain_text(store: Store) -> None:
    hostile = make("x/1", 'Markup <script>alert("x")</script> and <b>bold</b> claims about Geneva.')
    store.add_batch([hostile])
    [hit] = [h for h in store.search("claims").hits]
    assert "<script>alert" in hit.snippet and "«claims»" in hit.snippet
    assert "<b>claims" not in hit.snippet and "&lt;" not in hit.snippet


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ('peace "talks', 'a double quote (") is not closed'),
        ("-rumour", "only excluded terms; add a word to search for"),
        ("   ", "nothing to search for (no words)"),
        ("... !!", "nothing to search for (no words)"),
        ("OR talks", "OR needs a term on each side"),
        ("talks OR", "OR needs a term on each side"),
        ("talks OR OR summit", "OR needs a term on each side"),
        ("talks OR -summit", "an excluded term (-summit) cannot be one side of OR"),
    ],
)
def test_bad_query(store: Store, query: str, problem: str) -> None:
    with pytest.raises(UsageError) as info:
        store.search(query)
    assert str(info.value) == f"[E401] search query {query!r}: {problem}"


def test_bad_page(store: Store) -> None:
    with pytest.raises(UsageError) as info:
        store.search("geneva", limit=-1)
    assert str(info.value) == "[E401] search limit must be 0 or more, not -1"
    with pytest.raises(UsageError) as info:
        store.search("geneva", offset=-5)
    assert str(info.value) == "[E401] search offset must be 0 or more, not -5"


def test_long_query() -> None:
    with pytest.raises(UsageError, match=r"too long \(1001 characters; at most 1000\)"):
        parse_query("a" * 1001)


# -- the parser and the FTS5 compiler -----------------------------------------------------------


def test_parse_query() -> None:
    q = parse_query('Peace "Cease-fire  talks" OR truce -rumour* -"fake news" negotiat*')
    assert q.clauses == (
        (Term(words=("peace",), text="Peace"),),
        (
            Term(words=("cease", "fire", "talks"), text="Cease-fire  talks"),
            Term(words=("truce",), text="truce"),
        ),
        (Term(words=("negotiat",), prefix=True, text="negotiat"),),
    )
    assert q.excluded == (
        Term(words=("rumour",), prefix=True, text="rumour"),
        Term(words=("fake", "news"), text="fake news"),
    )
    assert to_fts5(q) == (
        '("peace" AND ("cease fire talks" OR "truce") AND "negotiat"*) NOT ("rumour"* OR "fake news")'
    )


def test_fts5_cannot_be_injected() -> None:
    # FTS5 operators and quotes in the text are words or separators, never syntax
    q = parse_query('NEAR(a b) title:x AND ^y "z"')
    assert to_fts5(q) == '"near a" AND "b" AND "title x" AND "and" AND "y" AND "z"'


# -- SQL only -----------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_stemming(request: pytest.FixtureRequest, tmp_path: Path, backend: str) -> None:
    for url in pg.database_url(request, tmp_path, backend):
        with SQLStore(url) as s:
            s.add_batch(ALL)
            assert keys(s.search("protester")) == ["pa/1"]
            assert keys(s.search("argue")) == ["bu/2", "bu/1"]  # title "Lawmakers argue" first


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_indexes_stored_articles(
    request: pytest.FixtureRequest, tmp_path: Path, backend: str
) -> None:
    """A store from before search (revision 0002) is indexed when it is upgraded."""
    from alembic import command
    from sqlalchemy import create_engine, insert

    from storyline.store import schema
    from storyline.store.migrations import alembic_config
    from storyline.store.sql import article_to_row

    for url in pg.database_url(request, tmp_path, backend):
        SQLStore(url).close()
        command.downgrade(alembic_config(url), "0002")
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        old = make("ge/1", "Geneva talks, the first draft.")
        with engine.begin() as conn:
            rows = [article_to_row(dataclasses.replace(a, revision=2), is_current=True) for a in ALL]
            rows.append(article_to_row(old, is_current=False))
            for row in rows:
                row["ingested_at"] = T0
            conn.execute(insert(schema.articles), rows)
        engine.dispose()
        with SQLStore(url) as s:
            assert set(keys(s.search("geneva"))) == {"ge/1", "ge/2"}
            assert s.search("draft").total == 0  # not current: not indexed
            assert keys(s.search("election")) == ["el/1"]


# -- the index follows every write (hypothesis) -------------------------------------------------

_WORDS = ["qaz", "wex", "plim", "drov", "snek", "yurt"]
_op = st.tuples(
    st.sampled_from(["add", "remove", "retitle"]),
    st.integers(min_value=0, max_value=3),  # which source
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4),  # its words
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(_op, max_size=12))
def test_index_follows_every_write(tmp_path_factory: pytest.TempPathFactory, ops: list[Any]) -> None:
    """After any mix of adds, revisions, removals and new titles, SQLite finds exactly what the
    memory store finds, and FTS5's own integrity check passes."""
    from sqlalchemy import text

    path = tmp_path_factory.mktemp("fts") / "s.db"
    memory, sql = MemoryStore(), SQLStore(path)
    try:
        for kind, n, words in ops:
            key = f"src/{n}"
            if kind == "remove":
                current = [a.id for a in memory.articles() if a.source_key == key]
                for s in (memory, sql):
                    assert s.remove(current[0]) if current else not s.remove(f"{key}-none")
                continue
            body = " ".join(words) + "."
            title = " ".join(reversed(words)) if kind == "retitle" else None
            article = make(key, body, title=title)
            assert [r.status for r in memory.add_batch([article])] == [
                r.status for r in sql.add_batch([article])
            ]
        for word in _WORDS:
            want = memory.search(word, limit=100)
            got = sql.search(word, limit=100)
            assert sorted(h.article_id for h in got.hits) == sorted(h.article_id for h in want.hits)
            assert got.total == want.total
        with sql._write() as conn:
            conn.execute(text("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)"))
            indexed = conn.execute(text("SELECT count(*) FROM articles_fts")).scalar()
        assert indexed == sql.count()
    finally:
        memory.close()
        sql.close()


def test_long_text_snippet_is_a_window(store: Store) -> None:
    words = [f"filler{i}" for i in range(60)]
    words[40] = "Zanzibar"
    long = make("lo/1", " ".join(words) + ".")
    store.add_batch([long])
    [hit] = store.search("zanzibar").hits
    # the same 24-word window around the match on every backend, cut text shown by ellipses
    expected = " ".join(words[34:40]) + " «Zanzibar» " + " ".join(words[41:58])
    if isinstance(store, SQLStore) and store.url.startswith("sqlite"):
        # FTS5 picks its own window (one that scores best, of the same length)
        assert hit.snippet.count("«Zanzibar»") == 1 and len(hit.snippet.split()) <= 26
    else:
        assert hit.snippet == f"…{expected}…"


def test_snippet_from_marks() -> None:
    marked = "A \ufdd1Minister\ufdd2 spoke; \ufdd1ministers\ufdd2 \ufdd1met\ufdd2 «again»."
    assert snippet_from_marks(marked, start="\ufdd1", end="\ufdd2") == (
        "A «Minister» spoke; «ministers met» «again»."
    )
