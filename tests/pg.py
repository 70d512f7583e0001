"""A throwaway PostgreSQL server for the tests: ``initdb`` into a temporary directory, started
on a free loopback port (its unix socket in the same directory), removed at the end.

PostgreSQL refuses to run as root; under root (CI) the server runs as the ``postgres`` user
(made by Debian's ``postgresql`` package) through ``runuser``, the directory chowned to it.
``STORYLINE_TEST_PG`` set to an admin URL (``postgresql://user:pw@host:port/postgres``) uses
that server instead. When no server can start, :func:`start` raises :class:`Unavailable` with
the reason, and the PostgreSQL cases skip with it.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

USER = "storyline"
PASSWORD = "s3cret-test"
TEMPLATE = "storyline_template"


class Unavailable(RuntimeError):
    """The test server cannot start; the message says why."""


def _bindir() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]))
    if not dirs:
        raise Unavailable("PostgreSQL is not installed (no pg_ctl on PATH or in /usr/lib/postgresql/*/bin)")
    return Path(dirs[-1])


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A running server; :meth:`database` makes a fresh, migrated database from the template."""

    def __init__(
        self,
        admin_url: str,
        *,
        tmpdir: Path | None = None,
        stop: list[str] | None = None,
        watcher: subprocess.Popen[bytes] | None = None,
    ) -> None:
        self.admin_url = admin_url
        self.tmpdir = tmpdir
        self._stop = stop
        self._watcher = watcher
        self._names = itertools.count(1)
        self._head: str | None = None  # the template's schema revision, once it is made
        self._clean: list[str] = []  # emptied databases ready for the next test

    def url(self, database: str) -> str:
        base, _, _ = self.admin_url.rpartition("/")
        return f"{base}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(_libpq(self.admin_url), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def database(self) -> str:
        """The ``postgresql+psycopg://`` URL of an empty database at the newest schema revision:
        one given back by :meth:`release`, or a new copy of the migrated template."""
        if self._head is None:
            import psycopg

            self._admin(f"DROP DATABASE IF EXISTS {TEMPLATE}")
            self._admin(f"CREATE DATABASE {TEMPLATE}")
            from storyline.store import SQLStore

            SQLStore(self.url(TEMPLATE)).close()  # runs the migrations once
            with psycopg.connect(_libpq(self.url(TEMPLATE))) as conn:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            assert row is not None
            self._head = str(row[0])
        if self._clean:
            return self._clean.pop()
        name = f"storyline_test_{os.getpid()}_{next(self._names)}"
        self._admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)

    def release(self, url: str) -> None:
        """Take back a database from :meth:`database`: emptied (``TRUNCATE``) for the next test
        when it is still at the template's revision and nothing holds it, else dropped."""
        import psycopg

        try:
            with psycopg.connect(_libpq(url), autocommit=True) as conn:
                conn.execute("SET lock_timeout = '5s'")
                versions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
                if versions != [(self._head,)]:
                    raise LookupError(f"schema revision {versions}")
                tables = conn.execute(
                    "SELECT tablename FROM pg_tables "
                    "WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
                ).fetchall()
                names = ", ".join(f'"{t}"' for (t,) in tables)
                conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")  # type: ignore[arg-type]
        except (psycopg.Error, LookupError):
            self.drop(url)
            return
        self._clean.append(url)

    def drop(self, url: str) -> None:
        name = url.rpartition("/")[2]
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def close(self) -> None:
        if self._stop is None:  # a server we did not start: leave it as we found it
            for url in self._clean:
                self.drop(url)
            if self._head is not None:
                self._admin(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
        self._clean.clear()
        if self._stop is not None:
            subprocess.run(self._stop, capture_output=True, timeout=60, check=False)
            self._stop = None
        if self.tmpdir is not None:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None
        if self._watcher is not None:
            self._watcher.kill()
            self._watcher.wait()
            self._watcher = None


def start() -> Server:
    """Start a throwaway server (or use ``STORYLINE_TEST_PG``); raises :class:`Unavailable`."""
    given = os.environ.get("STORYLINE_TEST_PG")
    if given:
        return Server(given.replace("postgresql://", "postgresql+psycopg://", 1))
    bindir = _bindir()
    as_user: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise Unavailable("running as root and there is no 'postgres' user to run the server") from None
        runuser = shutil.which("runuser")
        if runuser is None:
            raise Unavailable("running as root and there is no runuser to drop privileges")
        as_user = [runuser, "-u", "postgres", "--"]
    tmpdir = Path(tempfile.mkdtemp(prefix="storyline-pg-"))
    try:
        data = tmpdir / "data"
        pwfile = tmpdir / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if owner is not None:
            for path in (tmpdir, pwfile):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        init = [
            *as_user,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            USER,
            f"--pwfile={pwfile}",
            "--auth=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ]
        proc = subprocess.run(init, capture_output=True, text=True, timeout=120, check=False)
        if proc.returncode != 0:
            raise Unavailable(f"initdb failed: {(proc.stderr or proc.stdout).strip()[-500:]}")
        port = _free_port()
        options = (
            f"-h 127.0.0.1 -p {port} -k {tmpdir} -c fsync=off -c full_page_writes=off -c max_connections=60"
        )
        pg_ctl = [*as_user, str(bindir / "pg_ctl"), "-D", str(data)]
        proc = subprocess.run(
            [*pg_ctl, "-o", options, "-l", str(tmpdir / "log"), "-w", "-t", "60", "start"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if proc.returncode != 0:
            log = (tmpdir / "log").read_text(errors="replace") if (tmpdir / "log").exists() else ""
            raise Unavailable(f"pg_ctl start failed: {(proc.stderr + log).strip()[-500:]}")
    except (OSError, subprocess.SubprocessError) as exc:
        shutil.rmtree(tmpdir, ignore_errors=True)
        raise Unavailable(f"cannot start PostgreSQL: {exc}") from exc
    except Unavailable:
        shutil.rmtree(tmpdir, ignore_errors=True)
        raise
    admin = f"postgresql+psycopg://{USER}:{PASSWORD}@127.0.0.1:{port}/postgres"
    stop = [*pg_ctl, "-m", "fast", "-w", "stop"]
    # Should this process die without closing the server (killed, timed out), a watcher stops it.
    watcher = subprocess.Popen(
        [sys.executable, "-c", _WATCHER, str(os.getpid()), str(tmpdir), *stop],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return Server(admin, tmpdir=tmpdir, stop=stop, watcher=watcher)


_WATCHER = """
import os, shutil, subprocess, sys, time
pid, tmpdir, stop = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
while True:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        break
    time.sleep(1)
subprocess.run(stop, capture_output=True, timeout=60, check=False)
shutil.rmtree(tmpdir, ignore_errors=True)
"""


def database_url(request: pytest.FixtureRequest, tmp_path: Path, backend: str) -> Iterator[str]:
    """A fresh, empty store URL on ``backend`` (``sqlite`` or ``postgresql``), emptied afterwards.

    The PostgreSQL case uses the session's ``pg_server`` fixture (tests/conftest.py), so it skips
    with the reason when no server can start.
    """
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    server: Server = request.getfixturevalue("pg_server")
    url = server.database()
    try:
        yield url
    finally:
        server.release(url)


if __name__ == "__main__":  # python tests/pg.py: a throwaway server by hand, until Ctrl-C
    import signal

    stop_signals = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    try:
        server = start()
    except Unavailable as exc:
        sys.exit(f"cannot start PostgreSQL: {exc}")
    try:
        print(server.database(), flush=True)
        signal.sigwait(stop_signals)
    finally:
        server.close()
