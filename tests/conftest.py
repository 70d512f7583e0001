"""Shared fixtures."""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pg  # noqa: E402  (tests/pg.py: the throwaway PostgreSQL server)

BACKENDS = ["sqlite", "postgresql"]

# The run's caches (parsed gazetteers, sentence embeddings) live in a directory of its own, removed
# at exit, not in the user's ~/.cache/storyline (test gazetteers would leave a file each there).
if "STORYLINE_CACHE_DIR" not in os.environ:
    _cache = tempfile.mkdtemp(prefix="storyline-test-cache-")
    os.environ["STORYLINE_CACHE_DIR"] = _cache
    atexit.register(shutil.rmtree, _cache, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pg.Server]:
    """A PostgreSQL server for the whole session; skips (with why) when none can start."""
    try:
        server = pg.start()
    except pg.Unavailable as exc:
        pytest.skip(f"PostgreSQL cases skipped: the test server cannot start: {exc}")
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, empty store: SQLite always, PostgreSQL when a server can start."""
    yield from pg.database_url(request, tmp_path, request.param)


@pytest.fixture(autouse=True)
def _storyline_logger() -> Iterator[None]:
    """Each test starts with the ``storyline`` logger as a library leaves it: the CLI, when a test
    invokes it, sets a level and stops propagation, which would hide later tests' log records from
    ``caplog``."""
    root = logging.getLogger("storyline")
    saved = (root.level, root.propagate, list(root.handlers))
    yield
    root.setLevel(saved[0])
    root.propagate = saved[1]
    root.handlers = saved[2]
