"""The store: identity rules, queries, removal, feed state, runs — one suite over both stores."""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pg  # tests/pg.py (on sys.path: see conftest.py)
from storyline.errors import NotFound, StoreError
from storyline.model import (
    PROVENANCES,
    Article,
    Metadata,
    MetaValue,
    OffsetMap,
    Removed,
    Segment,
    article_id,
    content_hash,
)
from storyline.store import MemoryStore, SQLStore, Store, open_store
from storyline.store.base import plan_batch

T0 = datetime(2025, 5, 18, 12, 0, tzinfo=UTC)


def make(
    source_key: str,
    text: str,
    *,
    outlet: str | None = "Daily",
    published: str | None = "2025-05-18",
    kind: str = "text",
    language: str | None = "en",
    id: str | None = None,
) -> Article:
    chash = content_hash(text)
    meta = Metadata(
        title=MetaValue(value=text.split(".")[0], provenance="text", confidence=0.5, evidence="first line"),
        outlet=MetaValue(value=outlet, provenance="given") if outlet else None,
        published=MetaValue(value=published, provenance="given", evidence="sidecar") if published else None,
    )
    return Article(
        id=id or article_id(source_key, chash),
        source_key=source_key,
        content_hash=chash,
        raw=text,
        text=text,
        offsets=OffsetMap.identity(len(text)),
        meta=meta,
        kind=kind,
        origin=f"{source_key}.txt",
        language=language,
        ingested_at=T0,
    )


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    for url in pg.database_url(request, tmp_path, request.param):
        s = SQLStore(url)
        yield s
        s.close()


def statuses(results: list[Any]) -> list[str]:
    return [r.status for r in results]


# -- identity -----------------------------------------------------------------------------------


def test_protocol(store: Store) -> None:
    assert isinstance(store, Store)


def test_added_then_unchanged(store: Store) -> None:
    a, b = make("daily/a", "Alpha text. More."), make("daily/b", "Beta text. More.")
    first = store.add_batch([a, b])
    assert statuses(first) == ["added", "added"]
    assert [r.revision for r in first] == [1, 1]
    assert [r.origin for r in first] == ["daily/a.txt", "daily/b.txt"]
    again = store.add_batch([a, b])
    assert statuses(again) == ["unchanged", "unchanged"]
    assert [r.id for r in again] == [a.id, b.id]
    assert store.count() == 2
    assert store.count(current_only=False) == 2


def test_new_metadata_for_the_same_content_is_updated_in_place(store: Store) -> None:
    a = make("daily/a", "Alpha text. More.", published=None)
    store.add_batch([a])
    dated = make("daily/a", "Alpha text. More.", published="2025-12-03")
    assert dated.id == a.id
    [res] = store.add_batch([dated])
    assert (res.status, res.revision, res.id) == ("updated", 1, a.id)
    assert store.get(a.id).published == "2025-12-03"
    assert store.count(current_only=False) == 1
    assert statuses(store.add_batch([dated])) == ["unchanged"]
    # within one batch: a new row followed by new metadata for it is stored with the latest
    b1 = make("daily/b", "Beta text. More.", published=None)
    b2 = make("daily/b", "Beta text. More.", published="2025-01-02")
    assert statuses(store.add_batch([b1, b2])) == ["added", "updated"]
    assert store.get(b1.id).published == "2025-01-02"


def test_revised(store: Store) -> None:
    v1, v2 = make("daily/a", "First version. Text."), make("daily/a", "Second version. Text.")
    store.add_batch([v1])
    [res] = store.add_batch([v2])
    assert (res.status, res.revision, res.id) == ("revised", 2, v2.id)
    assert [a.id for a in store.articles()] == [v2.id]
    assert {a.id for a in store.articles(current_only=False)} == {v1.id, v2.id}
    assert [(a.id, a.revision) for a in store.revisions("daily/a")] == [(v1.id, 1), (v2.id, 2)]
    assert store.count() == 1 and store.count(current_only=False) == 2
    # the old content again is unchanged: nothing is written
    assert statuses(store.add_batch([v1])) == ["unchanged"]
    assert store.count(current_only=False) == 2


def test_same_text_two_outlets_is_two_articles(store: Store) -> None:
    text = "Wire story. Same words everywhere."
    a, b = make("one/x", text, outlet="One"), make("two/x", text, outlet="Two")
    assert statuses(store.add_batch([a, b])) == ["added", "added"]
    assert a.id != b.id and a.content_hash == b.content_hash
    assert store.count() == 2


def test_revisions_and_duplicates_within_one_batch(store: Store) -> None:
    v1, v2, v3 = (make("s/k", f"Version {i}. Text.") for i in (1, 2, 3))
    results = store.add_batch([v1, v2, v1, v3])
    assert statuses(results) == ["added", "revised", "unchanged", "revised"]
    assert [r.revision for r in results] == [1, 2, 1, 3]
    assert [a.id for a in store.articles()] == [v3.id]
    assert [a.revision for a in store.revisions("s/k")] == [1, 2, 3]


def test_empty_batch(store: Store) -> None:
    assert store.add_batch([]) == []


def test_stored_article_gets_revision_and_ingested_at(store: Store) -> None:
    art = dataclasses.replace(make("s/a", "Some text. Here."), ingested_at=None, revision=7)
    store.add_batch([art])
    got = store.get(art.id)
    assert got.revision == 1
    assert got.ingested_at is not None and got.ingested_at.tzinfo is not None
    assert dataclasses.replace(got, ingested_at=None, revision=7) == art


def test_failed_batch_writes_nothing(store: Store) -> None:
    a = make("s/a", "Alpha. Text.")
    store.add_batch([a])
    # a different article claiming an id already stored cannot be written: the whole batch fails
    clash = make("s/other", "Other. Text.", id=a.id)
    fine = make("s/fine", "Fine. Text.")
    with pytest.raises(StoreError):
        store.add_batch([fine, clash])
    assert store.count() == 1
    with pytest.raises(NotFound):
        store.get(fine.id)


def test_plan_batch_is_pure() -> None:
    v1 = make("s/k", "One. Text.")
    plan = plan_batch([v1], [], now=T0)
    assert plan.superseded == frozenset()
    assert [(a.id, cur) for a, cur in plan.inserts] == [(v1.id, True)]


# -- get ----------------------------------------------------------------------------------------


def test_get_by_id_and_prefix(store: Store) -> None:
    a = make("s/a", "Alpha. Text.")
    store.add_batch([a])
    assert store.get(a.id) == store.get(a.id[:6]) == store.get(a.id[:10])
    with pytest.raises(NotFound) as info:
        store.get(a.id[:5])
    assert str(info.value) == f"[E302] no article with id '{a.id[:5]}'"
    with pytest.raises(NotFound) as info:
        store.get("xyz")
    assert str(info.value) == "[E302] no article with id 'xyz'"


def test_get_ambiguous_prefix(store: Store) -> None:
    store.add_batch([make("s/a", "Alpha. Text.", id="abcdef01"), make("s/b", "Beta. Text.", id="abcdef02")])
    with pytest.raises(NotFound, match="ambiguous"):
        store.get("abcdef")
    assert store.get("abcdef01").id == "abcdef01"
    assert store.remove("abcdef") is False
    assert store.count() == 2


def test_prefix_is_not_a_pattern(store: Store) -> None:
    store.add_batch([make("s/a", "Alpha. Text.", id="abc_ef01")])
    with pytest.raises(NotFound):
        store.get("abcXef")  # "_" is not a LIKE wildcard
    with pytest.raises(NotFound):
        store.get("%%%%%%")


# -- queries ------------------------------------------------------------------------------------


@pytest.fixture
def filled(store: Store) -> Store:
    store.add_batch(
        [
            make("a/1", "A one. Text.", outlet="A", published="2025-05-17"),
            make("a/2", "A two. Text.", outlet="A", published="2025-05-18T10:00:00+02:00"),
            make("b/1", "B one. Text.", outlet="B", published="2025-05-18", language="de", kind="html"),
            make("b/2", "B two. Text.", outlet="B", published=None, language=None),
            make("c/1", "C one. Text.", outlet=None, published="2025-05-20"),
        ]
    )
    store.add_batch([make("a/1", "A one, revised. Text.", outlet="A", published="2025-05-17")])
    return store


def test_articles_order_and_filters(filled: Store) -> None:
    keys = [a.source_key for a in filled.articles()]
    assert keys == ["a/1", "b/1", "a/2", "c/1", "b/2"]  # by date text, unknown last
    assert len(list(filled.articles(current_only=False))) == 6
    assert [a.source_key for a in filled.articles(outlet="A")] == ["a/1", "a/2"]
    assert [a.source_key for a in filled.articles(since="2025-05-18")] == ["b/1", "a/2", "c/1"]
    assert [a.source_key for a in filled.articles(until="2025-05-18")] == ["a/1", "b/1", "a/2"]
    assert [a.source_key for a in filled.articles(until=date(2025, 5, 17))] == ["a/1"]
    assert [a.source_key for a in filled.articles(since=date(2025, 5, 18), until="2025-05-18")] == [
        "b/1",
        "a/2",
    ]
    assert [a.source_key for a in filled.articles(until="2025-05-18T09")] == ["a/1", "b/1"]
    assert [a.source_key for a in filled.articles(limit=2, offset=1)] == ["b/1", "a/2"]
    assert [a.source_key for a in filled.articles(offset=4)] == ["b/2"]
    assert list(filled.articles(limit=0)) == []


def test_articles_streams(filled: Store) -> None:
    it = filled.articles()
    assert iter(it) is it
    first = next(it)
    filled.add_batch([make("d/1", "D one. Text.")])  # a write while a read is open
    rest = list(it)
    assert first.source_key == "a/1" and len(rest) >= 4


def test_stats(filled: Store) -> None:
    filled.record_run(started_at=T0, finished_at=T0, inputs=1, added=1, unchanged=0, revised=0, failed=0)
    assert filled.stats() == {
        "articles": 6,
        "current": 5,
        "revisions": 1,
        "sources": 5,
        "outlets": 2,
        "by_kind": {"html": 1, "text": 4},
        "by_language": {"de": 1, "en": 3, "unknown": 1},
        "published": {"min": "2025-05-17", "max": "2025-05-20", "unknown": 1},
        "ingest_runs": 1,
    }


def test_stats_empty(store: Store) -> None:
    stats = store.stats()
    assert stats["articles"] == 0 and stats["published"] == {"min": None, "max": None, "unknown": 0}


# -- remove -------------------------------------------------------------------------------------


def test_remove_current_promotes_previous_revision(store: Store) -> None:
    v1, v2, v3 = (make("s/k", f"Version {i}. Text.") for i in (1, 2, 3))
    store.add_batch([v1, v2, v3])
    store.add_analysis(v3.id, pipeline_version="t1", data={"entities": [1, 2]})
    assert store.analyses(v3.id)[0]["data"] == {"entities": [1, 2]}
    assert store.remove(v3.id[:8]) is True
    assert store.analyses(v3.id) == []
    with pytest.raises(NotFound):
        store.get(v3.id)
    assert [a.id for a in store.articles()] == [v2.id]
    # removing a non-current revision leaves the current one alone
    assert store.remove(v1.id) is True
    assert [a.id for a in store.articles()] == [v2.id]
    assert store.remove(v1.id) is False
    # a new content gets the next revision number after what remains
    [res] = store.add_batch([v3])
    assert (res.status, res.revision) == ("revised", 3)
    assert store.remove(v2.id) and store.remove(v3.id)
    assert store.count(current_only=False) == 0
    assert statuses(store.add_batch([v1])) == ["added"]


def test_remove_unknown(store: Store) -> None:
    assert store.remove("nope") is False
    assert store.remove("0123456789abcdef") is False


def test_latest_analyses_reads_many_at_once(store: Store) -> None:
    arts = [make(f"s/{i}", f"Article number {i}. Text.") for i in range(3)]
    store.add_batch(arts)
    store.add_analysis(arts[0].id, pipeline_version="t1", data={"n": 1})
    store.add_analysis(arts[0].id, pipeline_version="t2", data={"n": 2})  # replaces the first
    store.add_analysis(arts[2].id, pipeline_version="t1", data={"n": 3})
    ids = [a.id for a in arts] + ["0123456789abcdef"]
    assert store.latest_analyses(ids) == {arts[0].id: {"n": 2}, arts[2].id: {"n": 3}}
    assert store.latest_analyses([]) == {}


def test_inferred_dates_set_replace_clear(store: Store) -> None:
    a, b = make("s/a", "First text. Body."), make("s/b", "Second text. Body.")
    store.add_batch([a, b])
    evidence = [{"start": 0, "end": 5, "text": "First", "kind": "exact"}]
    store.put_inferred_dates({a.id: {"day": "2025-05-20", "confidence": 0.9, "evidence": evidence}})
    store.put_inferred_dates({"0123456789abcdef": {"day": "2025-01-01", "confidence": 1.0, "evidence": []}})
    got = store.inferred_dates()
    assert list(got) == [a.id]
    assert (got[a.id]["day"], got[a.id]["confidence"], got[a.id]["evidence"]) == ("2025-05-20", 0.9, evidence)
    store.put_inferred_dates({a.id: None, b.id: {"day": "2025-05-21", "confidence": 0.5, "evidence": []}})
    assert {k: v["day"] for k, v in store.inferred_dates().items()} == {b.id: "2025-05-21"}
    assert store.remove(b.id)
    assert store.inferred_dates() == {}


def test_analysis_needs_an_article(store: Store) -> None:
    with pytest.raises(NotFound):
        store.add_analysis("0123456789abcdef", pipeline_version="t", data={})


# -- feed state and runs ------------------------------------------------------------------------


def test_feed_state(store: Store) -> None:
    url = "https://example.org/feed.xml"
    assert store.get_feed_state(url) is None
    store.put_feed_state(url=url, etag='"e1"', last_modified=None, seen={"a", "b"}, checked_at=T0)
    assert store.get_feed_state(url) == {
        "url": url,
        "etag": '"e1"',
        "last_modified": None,
        "seen": frozenset({"a", "b"}),
        "checked_at": T0,
    }
    later = T0.astimezone(timezone(timedelta(hours=2))) + timedelta(minutes=5)
    store.put_feed_state(
        url=url, etag=None, last_modified="Sun, 18 May 2025", seen=frozenset("abc"), checked_at=later
    )
    state = store.get_feed_state(url)
    assert state is not None
    assert state["seen"] == frozenset("abc") and state["etag"] is None
    assert state["checked_at"] == later and state["checked_at"].tzinfo is not None


def test_runs(store: Store) -> None:
    r1 = store.record_run(started_at=T0, finished_at=T0, inputs=3, added=2, unchanged=0, revised=0, failed=1)
    r2 = store.record_run(started_at=T0, finished_at=T0, inputs=2, added=0, unchanged=2, revised=0, failed=0)
    runs = store.runs()
    assert [r["id"] for r in runs] == [r2, r1]
    assert runs[1]["failed"] == 1 and runs[1]["started_at"] == T0
    assert len(store.runs(limit=1)) == 1


def test_closed_store_refuses(store: Store) -> None:
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.count()
    store.close()  # twice is fine


# -- round trip (hypothesis) --------------------------------------------------------------------

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)
_meta_value = st.builds(
    MetaValue,
    value=_text,
    provenance=st.sampled_from(PROVENANCES),
    confidence=st.floats(min_value=0, max_value=1, allow_nan=False),
    evidence=_text,
)
_metadata = st.builds(
    Metadata,
    title=st.none() | _meta_value,
    outlet=st.none() | _meta_value,
    author=st.none() | _meta_value,
    url=st.none() | _meta_value,
    published=st.none() | _meta_value,
    original_source=st.none() | _meta_value,
    extra=st.dictionaries(_text, _text, max_size=3).map(lambda d: tuple(sorted(d.items()))),
)
_nat = st.integers(min_value=0, max_value=10_000)
_offsets = st.builds(
    OffsetMap,
    segments=st.lists(st.builds(Segment, clean=_nat, raw=_nat, length=_nat), max_size=4).map(tuple),
    clean_length=_nat,
    raw_length=_nat,
)
_removed = st.lists(st.builds(Removed, raw_start=_nat, raw_end=_nat, reason=_text, text=_text), max_size=3)
_when = st.datetimes(
    min_value=datetime(1970, 1, 2),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-7))]),
)


@st.composite
def articles(draw: st.DrawFn) -> Article:
    raw = draw(_text)
    text = draw(_text)
    source_key = f"{draw(_text)}#{uuid.uuid4().hex}"  # fresh source: every example is "added"
    chash = content_hash(text)
    return Article(
        id=article_id(source_key, chash),
        source_key=source_key,
        content_hash=chash,
        raw=raw,
        text=text,
        offsets=draw(_offsets),
        removed=tuple(draw(_removed)),
        meta=draw(_metadata),
        kind=draw(st.sampled_from(["text", "html", "jsonl", "feed", "url", "warc", "stdin"])),
        origin=draw(_text),
        html=draw(st.none() | _text),
        language=draw(st.none() | st.sampled_from(["en", "de", "uk"])),
        revision=1,
        ingested_at=draw(_when),
        pipeline_version=draw(st.none() | _text),
    )


@pytest.fixture(scope="module", params=["memory", "sqlite", "postgresql"])
def roundtrip_store(request: pytest.FixtureRequest) -> Iterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    with tempfile.TemporaryDirectory() as tmp:
        for url in pg.database_url(request, Path(tmp), request.param):
            s = SQLStore(url)
            yield s
            s.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(article=articles())
def test_round_trip(roundtrip_store: Store, article: Article) -> None:
    s = roundtrip_store
    [res] = s.add_batch([article])
    assert res.status == "added"
    got = s.get(article.id)
    assert got == article
    assert got.ingested_at is not None and got.ingested_at.tzinfo == UTC
    assert s.revisions(article.source_key) == [article]


# -- SQL only (SQLite, and PostgreSQL where it applies) ------------------------------------------


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    from storyline.store.migrations import alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def test_revision_chain() -> None:
    from alembic.script import ScriptDirectory

    from storyline.store.migrations import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    chain = [r.revision for r in script.walk_revisions("base", "heads")]
    assert chain[-3:] == ["0003", "0002", "0001"]  # newest first; search (0003) follows corrections


def test_sqlite_pragmas(tmp_path: Path) -> None:
    s = SQLStore(tmp_path / "p.db")
    try:
        with s._write() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
        with s._read() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA query_only").scalar() == 1
        assert s.integrity_check() == "ok"
        assert s.schema_revision() == (head_revision(),)
    finally:
        s.close()


def test_persists_across_opens(store_url: str) -> None:
    a = make("s/a", "Alpha. Text.")
    with SQLStore(store_url) as s:
        s.add_batch([a])
    with SQLStore(store_url) as s:
        assert s.get(a.id) == a
        assert statuses(s.add_batch([a])) == ["unchanged"]


def test_cascade_in_sql(store_url: str) -> None:
    from sqlalchemy import text

    a = make("s/a", "Alpha. Text.")
    with SQLStore(store_url) as s:
        s.add_batch([a])
        s.add_analysis(a.id, pipeline_version="t", data={"x": 1})
        # deleting the article row directly (foreign keys on) removes the analysis too
        with s._write() as conn:
            conn.execute(text("DELETE FROM articles WHERE id = :id"), {"id": a.id})
        with s._read() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM analyses").scalar() == 0


def test_refuses_newer_schema(store_url: str) -> None:
    with SQLStore(store_url) as s, s._write() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(StoreError, match=r"\[E301\].*'9999_future'.*newer than this storyline"):
        SQLStore(store_url)


def test_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite " * 100)
    with pytest.raises(StoreError, match="cannot open store"):
        SQLStore(path)


def test_refuses_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        SQLStore(tmp_path / "nope" / "x.db")


def test_in_memory_sqlite_url() -> None:
    s = SQLStore("sqlite://")
    tmpdir = s._tmpdir
    assert tmpdir is not None and os.path.isdir(tmpdir)
    a = make("s/a", "Alpha. Text.")
    s.add_batch([a])
    assert s.get(a.id) == a
    s.close()
    assert not os.path.exists(tmpdir)


def test_open_store(tmp_path: Path) -> None:
    assert isinstance(open_store(":memory:"), MemoryStore)
    s = open_store(tmp_path / "o.db")
    assert isinstance(s, SQLStore)
    s.close()


def test_migrations_match_schema(store_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from storyline.store.schema import include_name, metadata

    with SQLStore(store_url) as s, s._read() as conn:
        opts = {"compare_type": True, "include_name": include_name}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), metadata)
    assert diff == []


def test_migrations_downgrade_and_upgrade(store_url: str) -> None:
    from alembic import command
    from sqlalchemy import create_engine, inspect

    from storyline.store.migrations import alembic_config

    a = make("s/a", "Ceasefire talks. Text.")
    with SQLStore(store_url) as s:
        s.add_batch([a])
    command.downgrade(alembic_config(store_url), "base")
    engine = create_engine(store_url)
    try:
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) == {"alembic_version"}
            assert inspect(conn).get_view_names() == []
    finally:
        engine.dispose()
    with SQLStore(store_url) as s:
        assert s.schema_revision() == (head_revision(),)
        s.add_batch([a])
        assert [h.article_id for h in s.search("ceasefire").hits] == [a.id]


def test_migrations_cli(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    SQLStore(db).close()
    proc = subprocess.run(
        [sys.executable, "-m", "storyline.store.migrations", "-x", f"db={db}", "current"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"{head_revision()} (head)" in proc.stdout + proc.stderr


def test_row_json_is_plain(tmp_path: Path) -> None:
    a = dataclasses.replace(
        make("s/a", "Alpha. Text."),
        removed=(Removed(raw_start=0, raw_end=3, reason="furniture", text="Ad\u00e9"),),
    )
    with SQLStore(tmp_path / "j.db") as s:
        s.add_batch([a])
    con = sqlite3.connect(tmp_path / "j.db")
    meta_json, removed_json, published, outlet, current = con.execute(
        "SELECT meta_json, removed_json, published, outlet, is_current FROM articles"
    ).fetchone()
    con.close()
    assert json.loads(meta_json)["outlet"]["value"] == "Daily"
    assert json.loads(removed_json) == [
        {"raw_start": 0, "raw_end": 3, "reason": "furniture", "text": "Ad\u00e9"}
    ]
    assert (published, outlet, current) == ("2025-05-18", "Daily", 1)


def test_concurrent_writers_and_readers(store_url: str) -> None:
    """Threads share one store: writes are serialized through the one writer, reads run alongside."""
    import threading

    s = SQLStore(store_url)
    errors: list[BaseException] = []

    def write(t: int) -> None:
        try:
            for b in range(5):
                s.add_batch(
                    [make(f"t{t}/{b}/{i}", f"Thread {t} batch {b} item {i}. Text.") for i in range(4)]
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def read() -> None:
        try:
            for _ in range(10):
                n = sum(1 for _ in s.articles())
                assert n % 4 == 0  # a reader never sees half a batch
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(t,)) for t in range(4)]
    threads += [threading.Thread(target=read) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    try:
        assert errors == []
        assert s.count() == 4 * 5 * 4
    finally:
        s.close()


def test_two_stores_on_one_database(store_url: str) -> None:
    """Two processes (here two stores) on one database: both write, identity holds across them."""
    a, b = SQLStore(store_url), SQLStore(store_url)
    try:
        x = make("s/x", "Shared. Text.")
        assert statuses(a.add_batch([x])) == ["added"]
        assert statuses(b.add_batch([x])) == ["unchanged"]
        [res] = b.add_batch([make("s/x", "Shared, revised. Text.")])
        assert (res.status, res.revision) == ("revised", 2)
        assert [r.revision for r in a.revisions("s/x")] == [1, 2]
        assert a.count() == 1
    finally:
        a.close()
        b.close()
