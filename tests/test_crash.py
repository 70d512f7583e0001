"""Crash safety: ``kill -9`` an ingest mid-run; the store stays sound and the ingest resumes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storyline.model import article_id, content_hash

N = 3000
BATCH = 10

SCRIPT = r"""
import sys, time
from storyline.config import IngestConfig
from storyline.corpus import open
from storyline.model import Article, OffsetMap, RawDocument, article_id, content_hash

db, n, batch, delay = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])

def documents():
    for i in range(n):
        if delay:
            time.sleep(delay)
        text = f"Article number {i}. " + " ".join(f"word{i}-{j}" for j in range(50 + i % 150))
        yield RawDocument(origin=f"gen/{i}.txt", source_key=f"gen/{i}", kind="text", text=text)

def build(doc, *, config):
    chash = content_hash(doc.text)
    return Article(
        id=article_id(doc.source_key, chash), source_key=doc.source_key, content_hash=chash,
        raw=doc.text, text=doc.text, offsets=OffsetMap.identity(len(doc.text)), origin=doc.origin,
    )

with open(db, config=IngestConfig(batch_size=batch)) as corpus:
    report = corpus.add(documents=documents(), builder=build)
    print(report.added, report.unchanged, report.revised, len(report.failed), flush=True)
"""


def start(db: Path, *, delay: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(db), str(N), str(BATCH), str(delay)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stored(db: Path) -> int:
    """Articles committed so far, read from another connection (0 before the schema exists)."""
    if not db.exists():
        return 0
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def kill_when(proc: subprocess.Popen[str], db: Path, *, at_least: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while stored(db) < at_least:
        if proc.poll() is not None:
            pytest.fail(f"ingest ended before it could be killed: {proc.communicate()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("ingest made no progress")
        time.sleep(0.01)
    assert proc.poll() is None, "ingest finished before the kill: make it slower"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL


def check(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = con.execute(
            "SELECT id, source_key, content_hash, raw, text, is_current, revision FROM articles"
        )
        count = 0
        for id_, key, chash, raw, text, current, revision in rows:
            count += 1
            assert content_hash(text) == chash, f"{id_}: text does not match its hash"
            assert raw == text and article_id(key, chash) == id_
            assert (current, revision) == (1, 1)
        keys = con.execute("SELECT count(DISTINCT source_key) FROM articles").fetchone()[0]
        assert keys == count, "duplicate articles"
        runs = con.execute("SELECT count(*) FROM ingest_runs").fetchone()[0]
    finally:
        con.close()
    assert count % BATCH == 0, f"{count} stored: a partial batch was committed"
    return int(runs)


@pytest.mark.slow
def test_kill_9_mid_ingest_then_resume(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"

    proc = start(db, delay=0.001)
    kill_when(proc, db, at_least=BATCH)
    first = stored(db)
    assert BATCH <= first < N
    assert check(db) == 0  # the killed run never got to record itself

    # killed again, later on: the second run resumes from what the first committed
    proc = start(db, delay=0.001)
    kill_when(proc, db, at_least=first + 5 * BATCH)
    second = stored(db)
    assert first + 5 * BATCH <= second < N
    check(db)

    # a full run completes the set: nothing duplicated, nothing lost
    proc = start(db, delay=0)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    added, unchanged, revised, failed = map(int, out.split())
    assert (added, unchanged, revised, failed) == (N - second, second, 0, 0)
    assert stored(db) == N
    assert check(db) == 1
