"""Backends: opening SQLite and PostgreSQL stores by URL, clear errors for bad ones, and two
processes writing one store at once (nothing lost, nothing duplicated)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

import pg  # tests/pg.py (on sys.path: see conftest.py)
import storyline
from storyline.cli import app
from storyline.errors import StoreError
from storyline.store import SQLStore, open_store
from storyline.store.sql import mask_password

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens there once the socket is closed


# -- URLs and errors ----------------------------------------------------------------------------


def test_mask_password() -> None:
    assert (
        mask_password("postgresql://ann:pa@ss@db.example:5432/news")
        == "postgresql://ann:***@db.example:5432/news"
    )
    assert mask_password("postgresql://ann@db/news") == "postgresql://ann@db/news"
    assert mask_password("/tmp/x.db") == "/tmp/x.db"


def test_unreachable_server_names_the_url_without_password() -> None:
    port = _closed_port()
    with pytest.raises(StoreError) as info:
        SQLStore(f"postgresql://ann:hunter2@127.0.0.1:{port}/news")
    message = str(info.value)
    assert message.startswith(
        f"[E301] cannot open store 'postgresql+psycopg://ann:***@127.0.0.1:{port}/news': "
    )
    assert "Connection refused" in message
    assert "hunter2" not in message


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "postgresql://ann:hunter2@localhost:port/news",
            "[E301] cannot open store 'postgresql://ann:***@localhost:port/news': not a path or database URL",
        ),
        (
            "mysql://ann:hunter2@localhost/news",
            "[E301] cannot open store 'mysql://ann:***@localhost/news': 'mysql' databases are not supported "
            "(use SQLite or PostgreSQL)",
        ),
        (
            "postgresql+psycopg2://ann:hunter2@127.0.0.1/news",
            "[E301] cannot open store 'postgresql+psycopg2://ann:***@127.0.0.1/news': "
            "No module named 'psycopg2'",
        ),
    ],
)
def test_wrong_url(url: str, message: str) -> None:
    with pytest.raises(StoreError) as info:
        SQLStore(url)
    assert str(info.value) == message


def test_wrong_password(pg_server: pg.Server) -> None:
    url = pg_server.admin_url.replace(pg.PASSWORD, "not-the-password")
    with pytest.raises(StoreError) as info:
        SQLStore(url)
    message = str(info.value)
    shown = url.replace("not-the-password", "***")
    assert message.startswith(f"[E301] cannot open store {shown!r}: ")
    assert 'password authentication failed for user "storyline"' in message
    assert "not-the-password" not in message


def test_missing_database(pg_server: pg.Server) -> None:
    url = pg_server.url("no_such_db")
    with pytest.raises(StoreError) as info:
        SQLStore(url)
    assert 'database "no_such_db" does not exist' in str(info.value)
    assert pg.PASSWORD not in str(info.value)


def test_url_forms(pg_server: pg.Server) -> None:
    url = pg_server.database()
    try:
        plain = url.replace("postgresql+psycopg://", "postgresql://")
        for form in (url, plain, plain.replace("postgresql://", "postgres://")):
            with SQLStore(form) as s:
                assert s.url == url.replace(pg.PASSWORD, "***")
                assert s.count() == 0
        s2 = open_store(plain)
        assert isinstance(s2, SQLStore) and s2.url.startswith("postgresql+psycopg://")
        s2.close()
    finally:
        pg_server.drop(url)


def test_corpus_and_cli_on_postgresql(pg_server: pg.Server) -> None:
    url = pg_server.database().replace("postgresql+psycopg://", "postgresql://")
    try:
        with storyline.open(url) as corpus:
            report = corpus.add(EXAMPLES)
            added = report.added
            assert added > 0 and not report.failed
        result = CliRunner().invoke(app, ["--db", url, "stats", "--json"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert '"current": ' + str(added) in result.output
        with storyline.open(url) as corpus:
            assert corpus.add(EXAMPLES).unchanged == added
    finally:
        pg_server.drop(url)


def test_cli_unreachable_database_is_a_usage_error() -> None:
    url = f"postgresql://ann:hunter2@127.0.0.1:{_closed_port()}/news"
    result = CliRunner().invoke(app, ["--db", url, "stats"])
    assert result.exit_code == 2
    assert "cannot open store" in result.output and "hunter2" not in result.output


def test_pg_writes_take_the_writer_lock(pg_server: pg.Server) -> None:
    """Writers queue on one advisory lock, as SQLite writers queue on BEGIN IMMEDIATE."""
    url = pg_server.database()
    try:
        a, b = SQLStore(url), SQLStore(url)
        try:
            with a._write() as conn:
                held = conn.execute(
                    text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
                ).scalar()
                assert held == 1
                # the other store cannot take it while this transaction is open
                with b._read() as other:
                    got = other.execute(
                        text("SELECT pg_try_advisory_xact_lock(8319396949114251630)")
                    ).scalar()
                    assert got is False
            with b._read() as other:
                assert other.execute(text("SELECT pg_try_advisory_xact_lock(8319396949114251630)")).scalar()
        finally:
            a.close()
            b.close()
    finally:
        pg_server.drop(url)


# -- two processes at once ----------------------------------------------------------------------

WRITER = r"""
import sys
from storyline.corpus import open
from storyline.config import IngestConfig
from storyline.model import Article, OffsetMap, RawDocument, article_id, content_hash

url, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])

def documents():
    for i in range(n):
        # shared sources (the same text from both writers), then one source each writer revises
        yield doc(f"shared/{i}", f"Shared story {i}. Words.")
        yield doc(f"{name}/{i}", f"{name} story {i}.")
        yield doc("both/rev", f"Revision {name} {i}. Words.")

def doc(key, text):
    return RawDocument(origin=key, source_key=key, kind="text", text=text)

def build(doc, *, config):
    chash = content_hash(doc.text)
    return Article(
        id=article_id(doc.source_key, chash), source_key=doc.source_key, content_hash=chash,
        raw=doc.text, text=doc.text, offsets=OffsetMap.identity(len(doc.text)), origin=doc.origin,
    )

with open(url, config=IngestConfig(batch_size=4)) as corpus:
    r = corpus.add(documents=documents(), builder=build)
    print(r.added, r.unchanged, r.revised, len(r.failed), flush=True)
"""


def _writer(url: str, name: str, n: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, url, name, str(n)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_ingest_at_once(store_url: str) -> None:
    n = 60
    SQLStore(store_url).close()  # the schema exists before the race starts
    procs = [_writer(store_url, name, n) for name in ("a", "b")]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    counts = [tuple(map(int, out.split())) for out, _ in outs]
    assert [c[3] for c in counts] == [0, 0]  # nothing failed
    added = sum(c[0] for c in counts)
    unchanged = sum(c[1] for c in counts)
    revised = sum(c[2] for c in counts)
    # each shared text stored once (the other writer finds it unchanged); every revision kept
    assert added == n + 2 * n + 1
    assert revised == 2 * n - 1
    assert unchanged == n
    with SQLStore(store_url) as s:
        assert s.count() == n + 2 * n + 1
        assert s.count(current_only=False) == n + 2 * n + 2 * n
        revs = s.revisions("both/rev")
        assert [r.revision for r in revs] == list(range(1, 2 * n + 1))
        assert [a.source_key for a in s.articles() if a.source_key == "both/rev"] == ["both/rev"]
        assert s.search("shared").total == n
        assert s.search("revision").total == 1  # only the current revision is indexed


@pytest.mark.slow
def test_kill_9_mid_ingest_on_postgresql(pg_server: pg.Server) -> None:
    """A writer killed mid-batch on PostgreSQL: its open transaction is rolled back, what it
    committed stays, and the next run resumes (the crash test of tests/test_crash.py, shortened)."""
    from test_crash import BATCH, SCRIPT

    n = 600

    url = pg_server.database()
    try:
        SQLStore(url).close()

        def stored() -> int:
            with SQLStore(url) as s:
                return s.count(current_only=False)

        proc = subprocess.Popen(
            [sys.executable, "-c", SCRIPT, url, str(n), str(BATCH), "0.002"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while stored() < 5 * BATCH:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "ingest made no progress"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        first = stored()
        assert first % BATCH == 0 and 5 * BATCH <= first < n
        proc = subprocess.Popen(
            [sys.executable, "-c", SCRIPT, url, str(n), str(BATCH), "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert tuple(map(int, out.split())) == (n - first, first, 0, 0)
        assert stored() == n
    finally:
        pg_server.drop(url)
