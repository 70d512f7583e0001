"""Engines: the analysis in-process, in a local process pool and on Dask gives the same store;
a worker killed mid-run loses and duplicates nothing; engine errors are clear and lose nothing."""

from __future__ import annotations

import functools
import os
import pickle
import shutil
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import storyline
from storyline.analyze.pipeline import pipeline_version
from storyline.cli import app
from storyline.engines import EngineError, make_engine
from storyline.errors import UsageError
from storyline.views.analysis import run_analysis

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

SYNTHETIC = {
    "harbour.txt": (
        "Port talks stall as union rejects offer\n\n"
        "The dockworkers' union rejected the port authority's offer on Monday, its leader Mara Ellison "
        'said. "We will not sign a deal that cuts 300 jobs," Ellison told reporters in Rotterdam.\n\n'
        "The authority said it expected to resume talks next week and that about 1,200 containers were "
        "waiting to be unloaded. A spokesman for the Dutch government said on Tuesday that the cabinet "
        "was following the dispute closely.\n",
        '{"outlet": "Harbour Herald", "published": "2025-03-05", "url": "https://harbour.example/talks"}',
    ),
    "summit.txt": (
        "Ministers meet in Geneva over grain corridor\n\n"
        "Foreign ministers from six countries met in Geneva on Thursday to discuss reopening the grain "
        "corridor, two diplomats familiar with the talks said. Ukraine's foreign minister said Kyiv "
        "wanted guarantees for its ships, while Moscow demanded that sanctions on its banks be lifted.\n\n"
        "Exports fell by 40 percent last month, according to the trade ministry, and prices rose "
        "sharply in March. The talks are due to continue on Friday.\n",
        '{"outlet": "Wire Desk", "published": "2025-04-10", "url": "https://wire.example/geneva"}',
    ),
    "wetter.txt": (
        "Starker Regen in Bayern erwartet\n\n"
        "Der Deutsche Wetterdienst warnt vor starkem Regen in weiten Teilen Bayerns. Bis Sonntag "
        "können örtlich mehr als achtzig Liter pro Quadratmeter fallen, teilte der Dienst am Freitag "
        "mit. Die Behörden raten, Keller zu sichern und Flüsse zu meiden, weil die Pegel schnell "
        "steigen können und mehrere Straßen bereits gesperrt wurden.\n",
        '{"outlet": "Lokalblatt", "published": "2025-06-20", "url": "https://lokal.example/regen"}',
    ),
}
GERMAN_REASON = "language 'de': English-only stages skipped"


def counts(article: Any, version: str, gazetteer: Any) -> dict[str, Any]:
    """A cheap test analyzer (no models): what the crash and resume tests store per article."""
    words = article.text.split()
    return {"article_id": article.id, "pipeline_version": version, "words": len(words), "last": words[-1]}


def crash_once(article: Any, version: str, gazetteer: Any, *, marker: str, victim: str) -> dict[str, Any]:
    """The worker process analysing ``victim`` dies (``os._exit``) the first time; else :func:`counts`."""
    if article.id == victim and not os.path.exists(marker):
        Path(marker).write_text(str(os.getpid()))
        os._exit(17)
    return counts(article, version, gazetteer)


def always_crash(article: Any, version: str, gazetteer: Any, *, victim: str) -> dict[str, Any]:
    """Analysing ``victim`` always kills its worker process; else :func:`counts`."""
    if article.id == victim:
        os._exit(17)
    return counts(article, version, gazetteer)


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the samples and three synthetic articles ingested, none analysed."""
    work = tmp_path_factory.mktemp("engines")
    src = work / "inputs"
    shutil.copytree(EXAMPLES, src)
    for name, (text, meta) in SYNTHETIC.items():
        (src / name).write_text(text, encoding="utf-8")
        (src / name).with_suffix(".json").write_text(meta, encoding="utf-8")
    db = work / "base.db"
    with storyline.open(db) as corpus:
        report = corpus.add([str(src)])
        assert report.added == 8 and not report.failed, report.failed
    return db


def _copy(base: Path, dest: Path) -> Path:
    shutil.copy(base, dest)
    return dest


def _contents(db: Path) -> dict[str, tuple[str | None, list[tuple[str, Any]]]]:
    """Per current article: its pipeline version and its stored analyses (version, JSON)."""
    with storyline.open(db) as corpus:
        return {
            a.id: (
                a.pipeline_version,
                [(r["pipeline_version"], r["data"]) for r in corpus.store.analyses(a.id)],
            )
            for a in corpus.articles()
        }


@pytest.fixture(scope="module")
def reference(base_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The store contents after analysing in this process (the engine before engines existed)."""
    db = _copy(base_db, tmp_path_factory.mktemp("ref") / "ref.db")
    with storyline.open(db) as corpus:
        report = corpus.analyze()
    assert (report.analyzed, report.skipped, report.failed) == (
        7,
        [(report.skipped[0][0], GERMAN_REASON)],
        [],
    )
    contents = _contents(db)
    assert len(contents) == 8
    assert all(v == pipeline_version() and len(rows) == 1 for v, rows in contents.values())
    return contents


@pytest.fixture(scope="module")
def counted(base_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The store contents after :func:`counts` ran over every article in this process."""
    db = _copy(base_db, tmp_path_factory.mktemp("counted") / "c.db")
    with storyline.open(db) as corpus:
        report = run_analysis(corpus.store, analyzer=counts)
    assert (report.analyzed, report.failed) == (8, [])
    return _contents(db)


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """One LocalCluster for the module (two one-thread worker processes), by its address."""
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def _victim(db: Path) -> str:
    with storyline.open(db) as corpus:
        return sorted(a.id for a in corpus.articles() if a.language == "en")[3]


def test_articles_and_outcomes_pickle(base_db: Path) -> None:
    from storyline.engines import BatchResult, Outcome

    with storyline.open(base_db) as corpus:
        article = next(iter(corpus.articles()))
    assert pickle.loads(pickle.dumps(article)) == article
    result = BatchResult(worker_version="v", outcomes=(Outcome(article_id="a", data={"x": [1]}),))
    assert pickle.loads(pickle.dumps(result)) == result


def test_process_pool_gives_the_same_store(base_db: Path, reference: dict[str, Any], tmp_path: Path) -> None:
    db = _copy(base_db, tmp_path / "s.db")
    with storyline.open(db) as corpus:
        report = corpus.analyze(jobs=2, batch_size=2)
        assert (report.analyzed, len(report.skipped), report.failed, report.up_to_date) == (7, 1, [], 0)
        assert report.skipped[0][1] == GERMAN_REASON
        again = corpus.analyze(jobs=2)  # incremental: nothing pending, no pool started
        assert (again.analyzed, again.up_to_date) == (0, 8)
    assert _contents(db) == reference


def test_dask_on_a_running_scheduler_gives_the_same_store(
    base_db: Path, reference: dict[str, Any], tmp_path: Path, scheduler: str
) -> None:
    db = _copy(base_db, tmp_path / "s.db")
    result = CliRunner().invoke(
        app, ["--db", str(db), "analyze", "--engine", "dask", "--scheduler", scheduler, "--json"]
    )
    assert result.exit_code == 0, result.output
    assert _contents(db) == reference


def test_pool_worker_killed_mid_run_loses_and_duplicates_nothing(
    base_db: Path, counted: dict[str, Any], tmp_path: Path
) -> None:
    db = _copy(base_db, tmp_path / "s.db")
    victim = _victim(db)
    marker = tmp_path / "crashed"
    analyzer = functools.partial(crash_once, marker=str(marker), victim=victim)
    engine = make_engine(engine="local", jobs=2, batch_size=2, analyzer=analyzer)
    with storyline.open(db) as corpus:
        version = pipeline_version()
        todo = corpus.store.pending_analysis(version)
        try:
            outcomes = list(engine.run((corpus.store.get(i) for i in todo), version=version))
        finally:
            engine.close()
    assert marker.exists()  # the worker did die
    assert engine.restarts == 1  # type: ignore[attr-defined]
    assert sorted(o.article_id for o in outcomes) == todo  # each article once
    assert [o.error for o in outcomes if o.error] == []
    # through run_analysis the store ends complete and identical to an in-process run
    marker.unlink()
    db2 = _copy(base_db, tmp_path / "s2.db")
    with storyline.open(db2) as corpus:
        report = run_analysis(corpus.store, jobs=2, batch_size=2, analyzer=analyzer)
    assert marker.exists() and (report.analyzed, report.failed) == (8, [])
    assert _contents(db2) == counted


def test_pool_gives_up_on_an_article_that_always_kills_its_worker(
    base_db: Path, counted: dict[str, Any], tmp_path: Path
) -> None:
    db = _copy(base_db, tmp_path / "s.db")
    victim = _victim(db)
    with storyline.open(db) as corpus:
        report = run_analysis(
            corpus.store, jobs=2, batch_size=3, analyzer=functools.partial(always_crash, victim=victim)
        )
        assert report.failed == [(victim, "the worker process analysing it died 2 times")]
        assert report.analyzed == 7
    contents = _contents(db)
    assert contents.pop(victim) == _contents(base_db)[victim]  # as ingested: no analysis, still pending
    assert contents == {k: v for k, v in counted.items() if k != victim}


def test_dask_worker_killed_mid_run_is_retried(
    base_db: Path, counted: dict[str, Any], tmp_path: Path
) -> None:
    db = _copy(base_db, tmp_path / "s.db")
    marker = tmp_path / "crashed"
    analyzer = functools.partial(crash_once, marker=str(marker), victim=_victim(db))
    with storyline.open(db) as corpus:  # the engine's own LocalCluster of two workers
        report = run_analysis(corpus.store, engine="dask", jobs=2, batch_size=2, analyzer=analyzer)
    assert marker.exists()
    assert (report.analyzed, report.failed) == (8, [])
    assert _contents(db) == counted


def test_an_interrupted_run_resumes_on_another_engine(
    base_db: Path, counted: dict[str, Any], tmp_path: Path, scheduler: str
) -> None:
    db = _copy(base_db, tmp_path / "s.db")
    written: list[str] = []

    def stop_after_three(article_id: str) -> None:
        written.append(article_id)
        if len(written) == 3:
            raise KeyboardInterrupt

    with storyline.open(db) as corpus:
        with pytest.raises(KeyboardInterrupt):
            run_analysis(corpus.store, jobs=2, batch_size=1, progress=stop_after_three, analyzer=counts)
        assert len(corpus.store.pending_analysis(pipeline_version())) == 5
        report = run_analysis(corpus.store, engine="dask", scheduler=scheduler, analyzer=counts)
        assert (report.analyzed, report.up_to_date) == (5, 3)
    assert _contents(db) == counted


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_unreachable_scheduler_is_a_clear_error_and_loses_nothing(base_db: Path, tmp_path: Path) -> None:
    db = _copy(base_db, tmp_path / "s.db")
    address = f"tcp://127.0.0.1:{_free_port()}"
    with storyline.open(db) as corpus:
        store = corpus.store
        engine = make_engine(engine="dask", scheduler=address, connect_timeout=1)
        with pytest.raises(EngineError) as info:
            list(engine.run(iter(()), version=pipeline_version()))
        assert info.value.code == "E501"
        assert info.value.message.startswith(f"cannot reach the Dask scheduler at {address} within 1s: ")
        assert len(store.pending_analysis(pipeline_version())) == 8
        report = run_analysis(store, analyzer=counts)  # resumable: the next run does everything
        assert report.analyzed == 8


def test_cli_dask_without_dask_installed_says_how_to_install(
    base_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _copy(base_db, tmp_path / "s.db")
    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.delitem(sys.modules, "storyline.engines.dask", raising=False)
    result = CliRunner().invoke(app, ["--db", str(db), "analyze", "--engine", "dask"])
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "error: [E501] the dask engine needs Dask distributed, which is not installed" in message
    assert "install it with: pip install 'storyline[dask]'" in message
    with storyline.open(db) as corpus:
        assert len(corpus.store.pending_analysis(pipeline_version())) == 8


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"engine": "spark"}, "[E401] unknown engine 'spark' (known: local, dask)"),
        ({"jobs": 0}, "[E401] jobs must be at least 1, got 0"),
        ({"batch_size": 0}, "[E401] batch size must be at least 1, got 0"),
        (
            {"scheduler": "tcp://127.0.0.1:8786"},
            "[E401] a scheduler address needs the dask engine (--engine dask)",
        ),
    ],
)
def test_engine_usage_errors(options: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError) as info:
        make_engine(**options)
    assert str(info.value) == message


def test_cli_usage_errors_exit_2(base_db: Path, tmp_path: Path) -> None:
    db = _copy(base_db, tmp_path / "s.db")
    result = CliRunner().invoke(app, ["--db", str(db), "analyze", "--engine", "spark"])
    assert result.exit_code == 2
    assert "error: [E401] unknown engine 'spark' (known: local, dask)" in result.output
    result = CliRunner().invoke(app, ["--db", str(db), "analyze", "--jobs", "0"])
    assert result.exit_code == 2


def slow_counts(article: Any, version: str, gazetteer: Any) -> dict[str, Any]:
    """:func:`counts`, a little slower, so that a run is still going when its cluster goes away."""
    import time

    time.sleep(0.3)
    return counts(article, version, gazetteer)


def test_a_scheduler_lost_mid_run_is_a_clear_error_and_the_run_resumes(
    base_db: Path, counted: dict[str, Any], tmp_path: Path
) -> None:
    distributed = pytest.importorskip("distributed")
    db = _copy(base_db, tmp_path / "s.db")
    cluster = distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    )
    address = cluster.scheduler_address
    written: list[str] = []

    def close_after_two(article_id: str) -> None:
        written.append(article_id)
        if len(written) == 2:
            cluster.close()

    try:
        with storyline.open(db) as corpus:
            with pytest.raises(EngineError) as info:
                run_analysis(
                    corpus.store,
                    engine="dask",
                    scheduler=address,
                    batch_size=1,
                    analyzer=slow_counts,
                    progress=close_after_two,
                )
            assert info.value.message.startswith(f"lost the Dask scheduler at {address}: ")
            assert info.value.message.endswith("what was analysed is stored, run again to resume")
            pending = corpus.store.pending_analysis(pipeline_version())
            assert len(written) + len(pending) == 8 and not set(written) & set(pending)
            report = run_analysis(corpus.store, analyzer=counts)
            assert (report.analyzed, report.up_to_date) == (len(pending), len(written))
    finally:
        cluster.close()
    assert _contents(db) == counted


def test_a_pool_interrupted_while_its_workers_start_is_shut_down(monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.engines import local

    shutdowns: list[tuple[bool, bool]] = []

    class Interrupted:
        def result(self) -> bool:
            raise KeyboardInterrupt

    class Pool:
        def __init__(self, **_: Any) -> None:
            pass

        def submit(self, fn: Any) -> Interrupted:
            return Interrupted()

        def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
            shutdowns.append((wait, cancel_futures))

    monkeypatch.setattr(local, "ProcessPoolExecutor", Pool)
    engine = local.ProcessPoolEngine(jobs=2, batch_size=4)
    with pytest.raises(KeyboardInterrupt):
        engine._start()
    # the pool is stopped, not left behind for the interpreter to wait on at exit
    assert shutdowns == [(False, True)] and engine._pool is None
