"""Where the per-article analysis runs: in this process, in a local process pool, or on Dask.

``analyze_article`` is a pure function of one article, so every engine runs the same code and
gives the same results; only the parent process reads articles from the store and writes the
analyses back (one writer), as results stream in::

    parent: store.pending_analysis ─► batches of articles ─► engine ─► outcomes ─► store.add_analysis
                                                                │
            local, jobs=1    analyse in this process (the default, as before engines existed)
            local, jobs=N    a ProcessPoolExecutor of N spawned processes; each loads the
                             spaCy pipeline and the gazetteer once (the pool's initializer)
            dask             Dask distributed: a LocalCluster of N one-thread worker processes,
                             or the cluster behind ``scheduler="tcp://HOST:PORT"``; each worker
                             loads the models once (a worker plugin)

A worker that dies mid-batch loses nothing: the unfinished batches are sent again (the process
pool is restarted; Dask reschedules by itself), and every article is written once. An article
that keeps killing its worker is reported as failed after a few tries, the run goes on. The
engine errors (an unknown engine, Dask not installed, an unreachable scheduler) are
:class:`EngineError` (``E501``); whatever was committed before stays, and the next run resumes
from the store's pending list.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import StorylineError, UsageError

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer
    from ..model import Article

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "ENGINES",
    "Analyzer",
    "BatchResult",
    "Engine",
    "EngineError",
    "Outcome",
    "analyze_batch",
    "batched",
    "make_engine",
    "set_worker_gazetteer",
]

ENGINES = ("local", "dask")
DEFAULT_BATCH_SIZE = 8
DASK_INSTALL = "pip install 'storyline[dask]'"

# (article, pipeline version, gazetteer or None) -> the analysis as stored (``Analysis.to_json()``)
Analyzer = Callable[["Article", str, "Gazetteer | None"], dict[str, Any]]


class EngineError(StorylineError):
    """An engine could not run: Dask missing, a scheduler unreachable, workers out of step."""

    code = "E501"


@dataclass(frozen=True, kw_only=True, slots=True)
class Outcome:
    """One article's result: its stored analysis (``data``) or why it failed (``error``)."""

    article_id: str
    data: dict[str, Any] | None = None
    error: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class BatchResult:
    """What a worker sends back for one batch, with the pipeline version it runs."""

    worker_version: str
    outcomes: tuple[Outcome, ...]


class Engine(Protocol):
    """Runs ``analyze_batch`` over batches of articles and yields each article's outcome once."""

    name: str

    def run(self, articles: Iterable[Article], *, version: str) -> Iterator[Outcome]: ...

    def close(self) -> None: ...


def analyze_one(article: Article, version: str, gazetteer: Gazetteer | None) -> dict[str, Any]:
    """The default analyzer: :func:`~storyline.analyze.pipeline.analyze_article` as stored JSON."""
    from ..analyze.pipeline import analyze_article

    return analyze_article(article, gazetteer=gazetteer, version=version).to_json()


_worker_gazetteer: Gazetteer | None = None


def set_worker_gazetteer(gazetteer: Gazetteer | None) -> None:
    """Load the models of this worker process once, keeping ``gazetteer`` (``None``: the shipped one)."""
    global _worker_gazetteer
    from ..analyze.nlp import get_nlp
    from ..gazetteer import load_gazetteer

    get_nlp()
    _worker_gazetteer = gazetteer if gazetteer is not None else load_gazetteer()


def analyze_batch(
    articles: Sequence[Article],
    *,
    version: str,
    analyzer: Analyzer | None = None,
    gazetteer: Gazetteer | None = None,
) -> BatchResult:
    """Analyse a batch in this process; one article's exception is its outcome, not the batch's."""
    from ..analyze.pipeline import pipeline_version

    analyze = analyzer or analyze_one
    gazetteer = gazetteer if gazetteer is not None else _worker_gazetteer
    outcomes = []
    for article in articles:
        try:
            outcomes.append(Outcome(article_id=article.id, data=analyze(article, version, gazetteer)))
        except Exception as exc:  # one article's failure must not stop the batch
            logger.exception("analysis failed for %s", article.id)
            outcomes.append(Outcome(article_id=article.id, error=f"{type(exc).__name__}: {exc}"))
    return BatchResult(worker_version=pipeline_version(), outcomes=tuple(outcomes))


def check_version(result: BatchResult, *, version: str, where: str) -> None:
    """Refuse results made by a worker running other code or data than this process."""
    if result.worker_version != version:
        raise EngineError(
            f"a worker at {where} runs pipeline version {result.worker_version!r}, this process "
            f"{version!r}: install the same storyline and data on every worker"
        )


def batched(items: Iterable[Article], size: int) -> Iterator[tuple[Article, ...]]:
    """``items`` in tuples of ``size`` (the last one shorter), read lazily."""
    it = iter(items)
    while batch := tuple(itertools.islice(it, size)):
        yield batch


def make_engine(
    *,
    engine: str = "local",
    jobs: int | None = None,
    scheduler: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    gazetteer: Gazetteer | None = None,
    analyzer: Analyzer | None = None,
    connect_timeout: float = 10.0,
) -> Engine:
    """The engine ``engine`` with ``jobs`` workers (default: 1 for local, 2 for a Dask LocalCluster).

    ``scheduler`` (Dask only) is the address of a running scheduler, ``tcp://HOST:PORT``;
    ``analyzer`` replaces the per-article function (tests use it to crash a worker).
    """
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
    if jobs is not None and jobs < 1:
        raise UsageError(f"jobs must be at least 1, got {jobs}")
    if batch_size < 1:
        raise UsageError(f"batch size must be at least 1, got {batch_size}")
    if engine == "local":
        if scheduler is not None:
            raise UsageError("a scheduler address needs the dask engine (--engine dask)")
        from .local import InProcessEngine, ProcessPoolEngine

        if (jobs or 1) == 1:
            return InProcessEngine(gazetteer=gazetteer, analyzer=analyzer)
        return ProcessPoolEngine(
            jobs=jobs or 1, batch_size=batch_size, gazetteer=gazetteer, analyzer=analyzer
        )
    try:
        from .dask import DaskEngine
    except ModuleNotFoundError as exc:
        if exc.name not in ("dask", "distributed"):
            raise
        raise EngineError(
            f"the dask engine needs Dask distributed, which is not installed ({exc}); "
            f"install it with: {DASK_INSTALL}"
        ) from exc
    return DaskEngine(
        jobs=jobs,
        scheduler=scheduler,
        batch_size=batch_size,
        gazetteer=gazetteer,
        analyzer=analyzer,
        connect_timeout=connect_timeout,
    )
