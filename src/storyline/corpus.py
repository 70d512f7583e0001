"""The Python API: ``corpus = storyline.open("storyline.db"); corpus.add(paths)``.

A :class:`Corpus` wraps a :class:`~storyline.store.base.Store`. :meth:`Corpus.add` reads inputs
(``storyline.ingest.iter_documents``), builds articles (``storyline.build.build_article``) and
stores them in batches of ``config.batch_size``, one transaction per batch: an interrupted ingest
loses at most the batch in flight, and running it again resumes (stored articles are
``unchanged``). Bad inputs are logged with their reason and collected in the report; the run goes
on.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

from .config import IngestConfig
from .errors import InputError, UsageError
from .model import Article, RawDocument
from .store import Store, open_store
from .store.base import AddResult, now_utc

if TYPE_CHECKING:
    from .analyze.pipeline import Analysis
    from .ingest.watch import FeedState
    from .link.actors import ActorIndex
    from .views.analysis import AnalyzeReport

logger = logging.getLogger(__name__)

EventStatus = Literal["added", "unchanged", "revised", "updated", "failed"]
Builder = Callable[..., Article]  # called as builder(doc, config=config)


@dataclass(frozen=True, kw_only=True, slots=True)
class IngestEvent:
    """One input's outcome, sent to ``progress`` as soon as it is known (after its batch commits)."""

    status: EventStatus
    origin: str
    article_id: str | None = None
    revision: int | None = None
    error: InputError | None = None
    done: int = 0  # inputs finished so far, this one included


@dataclass(frozen=True, kw_only=True, slots=True)
class IngestReport:
    """What :meth:`Corpus.add` did: counts, the failed inputs, and one result per stored input."""

    added: int = 0
    unchanged: int = 0
    revised: int = 0
    updated: int = 0  # same content, new metadata (e.g. a sidecar added later)
    failed: list[InputError] = field(default_factory=list)
    results: list[AddResult] = field(default_factory=list)
    run_id: int | None = None
    notes: list[str] = field(default_factory=list)  # things a user should know, e.g. a guessed encoding

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def inputs(self) -> int:
        return len(self.results) + len(self.failed)

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "unchanged": self.unchanged,
            "revised": self.revised,
            "updated": self.updated,
            "failed": [
                {"origin": e.origin, "code": e.code, "problem": e.problem, "message": str(e)}
                for e in self.failed
            ],
            "results": [
                {
                    "id": r.id,
                    "status": r.status,
                    "revision": r.revision,
                    "origin": r.origin,
                    "source_key": r.source_key,
                }
                for r in self.results
            ],
            "run_id": self.run_id,
            "notes": self.notes,
        }


def open(db: str | os.PathLike[str] = "storyline.db", *, config: IngestConfig | None = None) -> Corpus:  # noqa: A001
    """Open (creating or upgrading) the corpus at ``db``.

    ``db`` is a path to an SQLite file, an SQLAlchemy URL (``sqlite:///…``), or ``":memory:"``
    for an in-memory corpus (:class:`~storyline.store.memory.MemoryStore`).
    """
    corpus = Corpus(open_store(db), config=config)
    corpus.location = os.fspath(db)
    return corpus


class Corpus:
    """A collection of stored articles and the operations on it."""

    def __init__(self, store: Store, *, config: IngestConfig | None = None) -> None:
        self.store = store
        self.config = config or IngestConfig()
        self.location: str | None = None  # the path or URL it was opened from (overrides live beside it)
        self._linked_cache: tuple[ActorIndex, dict[str, Analysis], dict[str, Article]] | None = None

    # -- ingest ---------------------------------------------------------------------------------

    def add(
        self,
        inputs: str | Path | Iterable[str | Path] | None = None,
        *,
        documents: Iterable[RawDocument | InputError] | None = None,
        builder: Builder | None = None,
        progress: Callable[[IngestEvent], None] | None = None,
    ) -> IngestReport:
        """Ingest ``inputs`` (paths, directories, URLs, feeds, ``-``) — or ready ``documents``.

        ``builder(doc, config=…)`` turns a document into an article (default
        :func:`storyline.build.build_article`); it raises an :class:`InputError` for an input
        that cannot be an article (empty, binary, too large), which is reported, not raised.
        """
        if (inputs is None) == (documents is None):
            raise UsageError("Corpus.add needs inputs or documents (exactly one of them)")
        self.refresh()
        config = self.config
        from_inputs = documents is None  # iter_documents logs the errors it yields
        if documents is None:
            from .ingest import iter_documents  # type: ignore[attr-defined,unused-ignore]

            items = [os.fspath(i) for i in ([inputs] if isinstance(inputs, str | Path) else inputs or [])]
            documents = iter_documents(items, config=config)
        if builder is None:
            from .build import build_article  # type: ignore[import-not-found,unused-ignore]

            builder = build_article
        assert documents is not None and builder is not None

        started = now_utc()
        t0 = time.perf_counter()
        counts = {"added": 0, "unchanged": 0, "revised": 0, "updated": 0}
        failed: list[InputError] = []
        notes: list[str] = []
        results: list[AddResult] = []
        pending: list[Article] = []
        done = 0

        def emit(event: IngestEvent) -> None:
            if progress is not None:
                progress(event)

        def fail(error: InputError, *, logged: bool = False) -> None:
            nonlocal done
            done += 1
            if not logged:
                logger.warning("skipped %s", error)
            failed.append(error)
            emit(IngestEvent(status="failed", origin=error.origin, error=error, done=done))

        def flush() -> None:
            nonlocal done
            if not pending:
                return
            batch_results = self.store.add_batch(pending)
            pending.clear()
            for result in batch_results:
                done += 1
                counts[result.status] += 1
                results.append(result)
                emit(
                    IngestEvent(
                        status=result.status,
                        origin=result.origin,
                        article_id=result.id,
                        revision=result.revision,
                        done=done,
                    )
                )

        finished = False
        try:
            for item in documents:
                if isinstance(item, InputError):
                    fail(item, logged=from_inputs)
                    continue
                try:
                    article = builder(item, config=config)
                except InputError as error:
                    fail(error)
                    continue
                except Exception as exc:  # a bug or an input no stage expected: report it, go on
                    logger.exception("could not build an article from %s", item.origin)
                    problem = f"could not build an article: {type(exc).__name__}: {exc}"
                    fail(InputError(item.origin, problem), logged=True)
                    continue
                encoding = dict(article.meta.extra).get("encoding")
                if encoding:
                    notes.append(f"{item.origin}: {encoding}")
                pending.append(article)
                if len(pending) >= config.batch_size:
                    flush()
            flush()
            finished = True
        finally:
            run_id = self._record_run(
                started, len(results) + len(failed), counts, len(failed), quiet=not finished
            )
        report = IngestReport(
            added=counts["added"],
            unchanged=counts["unchanged"],
            revised=counts["revised"],
            updated=counts["updated"],
            failed=failed,
            results=results,
            run_id=run_id,
            notes=notes,
        )
        logger.info(
            "ingested %d inputs in %.1fs: %d added, %d revised, %d unchanged, %d failed",
            report.inputs,
            time.perf_counter() - t0,
            report.added,
            report.revised,
            report.unchanged,
            len(report.failed),
        )
        return report

    def _record_run(
        self, started: datetime, inputs: int, counts: dict[str, int], failed: int, *, quiet: bool
    ) -> int | None:
        try:
            return self.store.record_run(
                started_at=started,
                finished_at=now_utc(),
                inputs=inputs,
                added=counts["added"],
                unchanged=counts["unchanged"],
                revised=counts["revised"],
                failed=failed,
            )
        except Exception:
            if not quiet:
                raise
            logger.warning("could not record the interrupted ingest run", exc_info=True)
            return None

    def watch(
        self,
        urls: Iterable[str],
        *,
        every: str | float,
        stop_after: int | None = None,
        on_report: Callable[[IngestReport], None] | None = None,
        fetcher: Any = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> int:
        """Poll feeds every ``every`` and ingest their new entries; returns the number of failed inputs.

        Feed state (ETag, Last-Modified, entries seen) is kept in the store, so a stopped watch
        resumes where it was. ``on_report`` gets each poll's :class:`IngestReport`.
        """
        from .ingest.fetch import Fetcher
        from .ingest.watch import parse_interval, poll_once

        interval = every if isinstance(every, int | float) else parse_interval(every)
        feeds = list(urls)
        own_fetcher = fetcher is None
        fetch = Fetcher(self.config) if own_fetcher else fetcher
        state = StoreFeedState(self.store)
        failed = polls = 0
        try:
            while True:
                report = self.add(documents=poll_once(feeds, state=state, fetcher=fetch, config=self.config))
                failed += len(report.failed)
                if on_report is not None:
                    on_report(report)
                polls += 1
                if stop_after is not None and polls >= stop_after:
                    return failed
                sleep(float(interval))
        finally:
            if own_fetcher:
                fetch.close()

    # -- analysis -------------------------------------------------------------------------------

    def analyze(self, *, force: bool = False, progress: Callable[[str], None] | None = None) -> AnalyzeReport:
        """Analyse every current article not yet analysed by this pipeline version (all with ``force``).

        Incremental and resumable: each article's analysis is committed on its own. Non-English
        articles are stored with the reason the English-only stages skipped them.
        """
        from .views.analysis import run_analysis

        self.refresh()
        return run_analysis(self.store, force=force, progress=progress)

    def analysis(self, id: str) -> Analysis | None:
        """The stored analysis of an article (``None`` before ``analyze``)."""
        from .views.analysis import load_analysis

        return load_analysis(self.store, self.get(id).id)

    def actor_index(self) -> ActorIndex:
        """Canonical actors over the current articles' analyses, with the user's overrides applied."""
        return self._linked()[0]

    def actors(self) -> list[dict[str, Any]]:
        """One row per canonical actor: id, name, type, mentions, spellings seen, articles."""
        from .views.analysis import actor_rows

        index, _, articles = self._linked()
        return actor_rows(index, articles)

    def annotations(self, article: Article) -> dict[str, Any]:
        """The export annotations of one article (mentions with actors, time expressions, statements)."""
        from .views.analysis import article_annotations

        index, analyses, _ = self._linked()
        return article_annotations(article, analyses.get(article.id), index)

    def quotes(self, *, speaker: str | None = None) -> list[dict[str, Any]]:
        """Attributed statements with resolved speakers (``speaker``: a name to filter on)."""
        from .views.analysis import quote_rows

        index, analyses, articles = self._linked()
        return quote_rows(index, analyses, articles, speaker=speaker)

    def positions(self) -> Any:
        """The positions ledger: actor × issue × stance × date, with changes and contradictions."""
        from .views.analysis import position_ledger

        index, analyses, articles = self._linked()
        return position_ledger(index, analyses, articles)

    def timeline(
        self,
        *,
        actor: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        include_approximate: bool = False,
    ) -> list[dict[str, Any]]:
        """The cross-outlet timeline: dated events, merged across outlets, with their evidence.

        ``actor`` is an actor id; entries placed only by a report date are left out unless
        ``include_approximate``.
        """
        from .views.analysis import build_timeline, timeline_rows

        index, analyses, articles = self._linked()
        entries = build_timeline(articles.values(), index, analyses).entries(
            actor=actor, since=since, until=until
        )
        if not include_approximate:
            entries = [e for e in entries if not e.approximate]
        return timeline_rows(entries, index, articles)

    def figures(self) -> list[dict[str, Any]]:
        """Figures grouped across outlets by what they count, with agreement or conflict marked."""
        from .views.analysis import figure_groups

        _, analyses, articles = self._linked()
        return figure_groups(analyses, articles)

    def outlets(self) -> list[dict[str, Any]]:
        """Outlets side by side: opinion, loaded language, sourcing, whom they quote, what they report."""
        from .views.analysis import outlet_rows

        index, analyses, articles = self._linked()
        return outlet_rows(index, analyses, articles)

    def stories(self) -> list[dict[str, Any]]:
        """Story clusters (size, outlets, date range, main actors) with syndicated copies marked."""
        from .views.analysis import story_rows

        index, analyses, articles = self._linked()
        return story_rows(index, analyses, articles)[0]

    def _linked(self) -> tuple[ActorIndex, dict[str, Analysis], dict[str, Article]]:
        """Actors linked over the current articles' analyses; built once and kept until the corpus
        changes through this object (add, analyze, remove)."""
        if self._linked_cache is not None:
            return self._linked_cache
        from .views.analysis import build_actor_index, load_overrides_for

        articles = {a.id: a for a in self.articles()}
        index, analyses = build_actor_index(
            self.store, articles.values(), overrides=load_overrides_for(self.location)
        )
        self._linked_cache = (index, analyses, articles)
        return self._linked_cache

    def refresh(self) -> None:
        """Forget the linked views, so the next one reads the store again (after another process
        wrote to it, or the overrides file changed)."""
        self._linked_cache = None

    # -- reading --------------------------------------------------------------------------------

    def articles(
        self,
        *,
        current_only: bool = True,
        outlet: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[Article]:
        """Stream articles by publication date (unknown last); see :meth:`Store.articles`."""
        return self.store.articles(
            current_only=current_only, outlet=outlet, since=since, until=until, limit=limit, offset=offset
        )

    def get(self, id: str) -> Article:
        """The article with this id or unique id prefix (≥ 6 characters); raises NotFound (E302)."""
        return self.store.get(id)

    def revisions(self, source_key: str) -> list[Article]:
        return self.store.revisions(source_key)

    def remove(self, id: str) -> bool:
        """Remove an article and everything derived from it; False when there is no such article."""
        self.refresh()
        return self.store.remove(id)

    def count(self, *, current_only: bool = True) -> int:
        return self.store.count(current_only=current_only)

    def stats(self) -> dict[str, Any]:
        return self.store.stats()

    def export(
        self,
        fp: TextIO,
        format: str = "jsonl",  # noqa: A002
        *,
        current_only: bool = True,
        annotations: Callable[[Article], dict[str, Any]] | None = None,
    ) -> int:
        """Write the articles to ``fp`` (schema: ``docs/export.md``); returns how many were written."""
        if format != "jsonl":
            raise UsageError(f"unknown export format {format!r} (known: jsonl)")
        from .export.jsonl import export_jsonl

        if annotations is None:
            from .views.analysis import article_annotations

            index, analyses, _ = self._linked()

            def annotations(article: Article) -> dict[str, Any]:
                return article_annotations(article, analyses.get(article.id), index)

        return export_jsonl(self.articles(current_only=current_only), fp, annotations=annotations)

    # -- lifecycle ------------------------------------------------------------------------------

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Corpus({self.store!r})"


class StoreFeedState:
    """The watch's ``FeedStateStore`` over a :class:`Store` (``storyline.ingest.watch.FeedState``)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, url: str) -> FeedState | None:
        from .ingest.watch import FeedState

        data = self.store.get_feed_state(url)
        return None if data is None else FeedState(**data)

    def put(self, state: FeedState) -> None:
        self.store.put_feed_state(
            url=state.url,
            etag=state.etag,
            last_modified=state.last_modified,
            seen=state.seen,
            checked_at=state.checked_at,
        )


__all__ = ["Corpus", "IngestEvent", "IngestReport", "StoreFeedState", "open"]
