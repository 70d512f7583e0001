"""The Dask engine: batches of articles analysed on Dask distributed workers.

Without ``scheduler`` a :class:`~distributed.LocalCluster` of ``jobs`` worker processes (one
thread each, behind nannies that restart a dead worker) is started for the run and stopped after
it; with ``scheduler="tcp://HOST:PORT"`` the run uses that cluster (its workers need storyline
and the spaCy pipeline installed, the same versions as here: a worker running another pipeline
version is refused). A worker plugin loads the models once per worker. The parent keeps about
two batches per worker thread in flight and writes results as they complete; a worker killed
mid-batch has its tasks rescheduled by the scheduler, up to Dask's
``distributed.scheduler.allowed-failures``, after which the batch's articles are reported as
failed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from concurrent.futures import CancelledError
from typing import TYPE_CHECKING, Any

import distributed
from distributed import WorkerPlugin

from . import Analyzer, BatchResult, EngineError, Outcome, analyze_batch, batched, check_version

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer
    from ..model import Article

logger = logging.getLogger(__name__)

__all__ = ["DaskEngine", "LoadModels"]

DEFAULT_LOCAL_WORKERS = 2

# distributed's functions are untyped: used through Any, typed at this module's edges
dd: Any = distributed


class LoadModels(WorkerPlugin):
    """Load the spaCy pipeline and the gazetteer once in each worker, when it joins."""

    name = "storyline-load-models"

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer

    def setup(self, worker: Any) -> None:
        from . import set_worker_gazetteer

        set_worker_gazetteer(self.gazetteer)


class DaskEngine:
    """Analyse on a Dask cluster: a LocalCluster of ``jobs`` processes, or the one at ``scheduler``."""

    name = "dask"

    def __init__(
        self,
        *,
        jobs: int | None = None,
        scheduler: str | None = None,
        batch_size: int,
        gazetteer: Gazetteer | None = None,
        analyzer: Analyzer | None = None,
        connect_timeout: float = 10.0,
    ) -> None:
        self.jobs = jobs
        self.scheduler = scheduler
        self.batch_size = batch_size
        self.gazetteer = gazetteer
        self.analyzer = analyzer
        self.connect_timeout = connect_timeout
        self._cluster: Any = None  # distributed.LocalCluster
        self._client: Any = None  # distributed.Client

    @property
    def address(self) -> str:
        return self.scheduler or "a local Dask cluster"

    def connect(self) -> Any:
        """Start the LocalCluster or connect to the scheduler (raises EngineError naming it)."""
        if self._client is not None:
            return self._client
        try:
            if self.scheduler is None:
                self._cluster = dd.LocalCluster(
                    n_workers=self.jobs or DEFAULT_LOCAL_WORKERS,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    host="127.0.0.1",
                )
                self._client = dd.Client(self._cluster, timeout=self.connect_timeout)
            else:
                self._client = dd.Client(self.scheduler, timeout=self.connect_timeout)
        except RuntimeError as exc:  # LocalCluster: a worker process could not start
            self.close()
            raise EngineError(f"could not start {self.address}: {exc}") from exc
        except (OSError, TimeoutError, ValueError) as exc:
            self.close()
            raise EngineError(
                f"cannot reach the Dask scheduler at {self.address} within {self.connect_timeout:g}s: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        if self.analyzer is None:  # a custom analyzer loads what it needs itself
            self._client.register_plugin(LoadModels(self.gazetteer), name=LoadModels.name)
        return self._client

    def _threads(self, client: Any) -> int:
        try:
            return max(1, int(sum(client.nthreads().values())))
        except Exception:  # an old or busy scheduler: fall back to what was asked
            return self.jobs or DEFAULT_LOCAL_WORKERS

    def run(self, articles: Iterable[Article], *, version: str) -> Iterator[Outcome]:
        client = self.connect()
        window = 2 * self._threads(client)
        source = batched(articles, self.batch_size)
        batches: dict[Any, tuple[Article, ...]] = {}  # distributed.Future -> its batch
        seen: set[str] = set()
        pending = dd.as_completed()

        def submit_next() -> bool:
            batch = next(source, None)
            if batch is None:
                return False
            future = client.submit(
                analyze_batch,
                batch,
                version=version,
                analyzer=self.analyzer,
                key=f"storyline-analyze-{batch[0].id}-{len(batch)}",
                pure=False,
                retries=0,
            )
            batches[future] = batch
            pending.add(future)
            return True

        for _ in range(window):
            if not submit_next():
                break
        try:
            for future in pending:
                batch = batches.pop(future)
                outcomes = self._outcomes(future, batch, version=version)
                future.release()
                for outcome in outcomes:
                    if outcome.article_id not in seen:
                        seen.add(outcome.article_id)
                        yield outcome
                submit_next()
        except (OSError, TimeoutError, CancelledError) as exc:  # the cluster went away mid-run
            raise EngineError(
                f"lost the Dask scheduler at {self.address}: {type(exc).__name__}: {exc}; "
                "what was analysed is stored, run again to resume"
            ) from exc

    def _outcomes(self, future: Any, batch: tuple[Article, ...], *, version: str) -> tuple[Outcome, ...]:
        from distributed.scheduler import KilledWorker

        try:
            result: BatchResult = future.result()
        except KilledWorker as exc:
            logger.error("giving up on a batch of %d articles: %s", len(batch), exc)
            return tuple(
                Outcome(article_id=a.id, error=f"the Dask workers analysing it died: {exc}") for a in batch
            )
        check_version(result, version=version, where=self.address)
        return result.outcomes

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client.close()
            except Exception:  # a client to a dead scheduler: nothing left to close
                logger.debug("closing the Dask client failed", exc_info=True)
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
