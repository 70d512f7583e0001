"""The local engines: in this process (``jobs=1``), or a pool of spawned processes (``jobs>1``).

The pool keeps ``2 × jobs`` batches in flight and yields outcomes as batches finish, so memory
stays flat however many articles are pending. When a worker process dies (killed, out of
memory, a crash in native code), :class:`~concurrent.futures.process.BrokenProcessPool` fails
every unfinished batch and nothing says which one killed it: the pool is started again and
those batches become suspects, run one at a time with nothing else in flight. A suspect batch
that kills its worker alone is split into single articles; a single article that kills its
worker alone :data:`MAX_CRASHES` times is reported as failed; everything else goes through,
each article written once. Then the pool goes back to full speed.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import (
    Analyzer,
    BatchResult,
    EngineError,
    Outcome,
    analyze_batch,
    batched,
    check_version,
    set_worker_gazetteer,
)

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer
    from ..model import Article

logger = logging.getLogger(__name__)

__all__ = ["InProcessEngine", "ProcessPoolEngine", "MAX_CRASHES"]

MAX_CRASHES = 2  # a single article that kills its worker this many times, running alone, fails


class InProcessEngine:
    """Analyse in the calling process, one article after the other."""

    name = "local"

    def __init__(self, *, gazetteer: Gazetteer | None = None, analyzer: Analyzer | None = None) -> None:
        self.gazetteer = gazetteer
        self.analyzer = analyzer

    def run(self, articles: Iterable[Article], *, version: str) -> Iterator[Outcome]:
        if self.gazetteer is None:
            from ..gazetteer import load_gazetteer

            self.gazetteer = load_gazetteer()
        for article in articles:
            result = analyze_batch(
                (article,), version=version, analyzer=self.analyzer, gazetteer=self.gazetteer
            )
            yield from result.outcomes

    def close(self) -> None:
        pass


def init_worker(gazetteer: Gazetteer | None, load_models: bool) -> None:
    """A pool process starting: load the models of the default analyzer once."""
    if load_models:
        set_worker_gazetteer(gazetteer)


def worker_ready() -> bool:
    """Sent to a new pool first: it returns once a worker has started and loaded its models."""
    return True


@dataclass(frozen=True, kw_only=True, slots=True)
class _Batch:
    articles: tuple[Article, ...]
    suspect: bool = False  # in flight when a worker died: run alone until it goes through
    crashes: int = 0  # times this single article killed its worker running alone


class ProcessPoolEngine:
    """A pool of ``jobs`` spawned processes, each loading the models once."""

    name = "local"

    def __init__(
        self,
        *,
        jobs: int,
        batch_size: int,
        gazetteer: Gazetteer | None = None,
        analyzer: Analyzer | None = None,
        start_method: str = "spawn",
    ) -> None:
        self.jobs = jobs
        self.batch_size = batch_size
        self.gazetteer = gazetteer
        self.analyzer = analyzer
        self.start_method = start_method
        self.restarts = 0  # pools started again after a worker died
        self._pool: ProcessPoolExecutor | None = None

    def _start(self) -> ProcessPoolExecutor:
        """The pool, started (again) if needed: its processes are up and their models loaded
        (the default analyzer's; a custom ``analyzer`` loads what it needs itself)."""
        if self._pool is None:
            pool = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=multiprocessing.get_context(self.start_method),
                initializer=init_worker,
                initargs=(self.gazetteer, self.analyzer is None),
            )
            try:
                pool.submit(worker_ready).result()
            except BrokenProcessPool as exc:
                pool.shutdown(wait=True, cancel_futures=True)
                raise EngineError(
                    f"the {self.jobs} local worker processes could not start ({exc}); the log above says "
                    "why (a script run from stdin cannot start spawned workers: run it from a file)"
                ) from exc
            except BaseException:
                # interrupted while the workers load (Ctrl-C, SIGTERM): stop them, or the process
                # would hang at exit waiting for a pool nobody owns
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            self._pool = pool
        return self._pool

    def run(self, articles: Iterable[Article], *, version: str) -> Iterator[Outcome]:
        source = batched(articles, self.batch_size)
        suspects: deque[_Batch] = deque()
        running: dict[Future[BatchResult], _Batch] = {}
        seen: set[str] = set()

        def fill() -> None:
            if suspects:  # after a crash: one suspect at a time, nothing else in flight
                if not running:
                    batch = suspects.popleft()
                    running[self._submit(batch, version)] = batch
                return
            while len(running) < 2 * self.jobs:
                articles = next(source, None)
                if articles is None:
                    return
                batch = _Batch(articles=articles)
                running[self._submit(batch, version)] = batch

        def fresh(result: BatchResult) -> Iterator[Outcome]:
            check_version(result, version=version, where="a local worker process")
            for outcome in result.outcomes:
                if outcome.article_id not in seen:
                    seen.add(outcome.article_id)
                    yield outcome

        fill()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken: list[_Batch] = []
            for future in done:
                batch = running.pop(future)
                try:
                    yield from fresh(future.result())
                except BrokenProcessPool:
                    broken.append(batch)
            if broken:  # the pool is dead: every other unfinished batch fails the same way
                for future, batch in list(running.items()):
                    del running[future]
                    try:
                        yield from fresh(future.result())
                    except BrokenProcessPool:
                        broken.append(batch)
                yield from self._after_crash(broken, suspects)
            fill()

    def _submit(self, batch: _Batch, version: str) -> Future[BatchResult]:
        return self._start().submit(analyze_batch, batch.articles, version=version, analyzer=self.analyzer)

    def _after_crash(self, broken: list[_Batch], suspects: deque[_Batch]) -> Iterator[Outcome]:
        """Restart the pool; queue the unfinished batches as suspects, failing a proven culprit."""
        logger.warning(
            "a worker process died; restarting the pool and retrying %d articles one batch at a time",
            sum(len(b.articles) for b in broken),
        )
        self.restarts += 1
        self._shutdown()
        for batch in broken:
            if not batch.suspect:  # in flight with others: any of them may have done it
                suspects.append(_Batch(articles=batch.articles, suspect=True))
            elif len(batch.articles) > 1:  # this batch killed its worker alone: find the article
                suspects.extend(_Batch(articles=(a,), suspect=True) for a in batch.articles)
            elif batch.crashes + 1 < MAX_CRASHES:
                suspects.append(_Batch(articles=batch.articles, suspect=True, crashes=batch.crashes + 1))
            else:
                article = batch.articles[0]
                crashes = batch.crashes + 1
                logger.error("giving up on %s: its worker process died %d times", article.id, crashes)
                yield Outcome(
                    article_id=article.id, error=f"the worker process analysing it died {crashes} times"
                )

    def _shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        self._shutdown()
