"""The Python API: ``corpus = storyline.open("storyline.db"); corpus.add(paths)``.

A :class:`Corpus` wraps a :class:`~storyline.store.base.Store`. :meth:`Corpus.add` reads inputs
(``storyline.ingest.iter_documents``), builds articles (``storyline.build.build_article``) and
stores them in batches of ``config.batch_size``, one transaction per batch: an interrupted ingest
loses at most the batch in flight, and running it again resumes (stored articles are
``unchanged``). Bad inputs are logged with their reason and collected in the report; the run goes
on.
"""

from __future__ import annotations

import builtins
import heapq
import itertools
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

from .config import IngestConfig
from .errors import ConfigError, InputError, UsageError
from .model import Article, RawDocument
from .store import Store, open_store
from .store.base import AddResult, SearchResult, now_utc, published_matches

if TYPE_CHECKING:
    from .analyze.pipeline import Analysis
    from .corrections import Applied, Correction
    from .ingest.watch import FeedState
    from .link.actors import ActorIndex
    from .link.dates import InferredDate
    from .views.analysis import AnalyzeReport
    from .views.packed import PackedAnalyses

logger = logging.getLogger(__name__)

EXPORT_FORMATS = ("jsonl", "csv", "timelinejs", "graphml")
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


def _date_order(article: Article) -> tuple[bool, str, str]:
    """The store's listing order: by publication date, undated last, then by id."""
    return (article.published is None, article.published or "", article.id)


def open(db: str | os.PathLike[str] = "storyline.db", *, config: IngestConfig | None = None) -> Corpus:  # noqa: A001
    """Open (creating or upgrading) the corpus at ``db``.

    ``db`` is a path to an SQLite file, an SQLAlchemy URL (``sqlite:///…``, or
    ``postgresql://…`` / ``postgresql+psycopg://…`` for PostgreSQL through psycopg 3), or
    ``":memory:"`` for an in-memory corpus (:class:`~storyline.store.memory.MemoryStore`).
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
        # the analyses are kept packed (storyline.views.packed): decoded ones would take ≈ 89 MB
        # per 1,000 articles (docs/scaling.md M23, M40)
        self._linked_cache: tuple[ActorIndex, PackedAnalyses, dict[str, Article]] | None = None
        self._inferred: dict[str, InferredDate] = {}
        self._uninferred: dict[str, Article] = {}  # the articles _linked() gave an inferred date, as stored
        # story rows and actor -> articles of one linking (the first item), for the view filters
        self._scope_cache: tuple[object, dict[Any, Any]] | None = None
        self._corrections_cache: Applied | None = None  # the active corrections (storyline.corrections)
        self.generation = 0  # bumped by refresh(): caches built over this corpus (the API's) compare it

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
                if isinstance(item, InputError) and item.recovered:
                    logger.warning("%s (stored from the feed's own text instead)", item)
                    notes.append(f"{item.origin}: {item.problem}; stored from the feed's own text instead")
                    continue
                if isinstance(item, InputError):
                    fail(item, logged=from_inputs)
                    continue
                try:
                    article = builder(item, config=config)
                except InputError as error:
                    fail(error)
                    continue
                except ConfigError:
                    raise  # a broken lexicon or setting fails every article alike: stop and say which
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

    def analyze(
        self,
        *,
        force: bool = False,
        progress: Callable[[str], None] | None = None,
        engine: str = "local",
        jobs: int | None = None,
        scheduler: str | None = None,
        batch_size: int | None = None,
    ) -> AnalyzeReport:
        """Analyse every current article not yet analysed by this pipeline version (all with ``force``).

        Incremental and resumable: each article's analysis is committed on its own. Non-English
        articles are stored with the reason the English-only stages skipped them. ``engine``
        (``"local"`` or ``"dask"``), ``jobs`` (worker processes) and ``scheduler`` (a Dask
        scheduler address, ``tcp://HOST:PORT``) say where the analysis runs (``storyline.engines``);
        the results are the same on every engine.
        """
        from .views.analysis import run_analysis

        self.refresh()
        analysed: list[str] = []

        def note(article_id: str) -> None:
            analysed.append(article_id)
            if progress is not None:
                progress(article_id)

        try:
            report = run_analysis(
                self.store,
                force=force,
                progress=note,
                engine=engine,
                jobs=jobs,
                scheduler=scheduler,
                batch_size=batch_size,
            )
        except Exception:
            # what a run stopped by an error stored is no longer pending: link it now
            try:
                self._link_dates(analysed)
                self._link_stories(analysed)
            except Exception:
                logger.exception("could not link the articles stored by the interrupted analysis")
            self.refresh()
            raise
        # corpus-level linking that is stored: publication dates of undated articles, then story
        # clusters and syndication (storyline.link.state), continued from the stored state
        self._link_dates(analysed)
        self._link_stories(analysed, rebuild=force)
        self.refresh()
        return report

    def _link_stories(self, analysed: Iterable[str], *, rebuild: bool = False) -> None:
        """Add the newly ``analysed`` articles to the stored story links (``rebuild``: start over,
        as after ``analyze --force``); see :mod:`storyline.link.state`."""
        from .link.state import sync_links

        analysed = list(analysed)
        if not analysed and not rebuild and self.store.link_state(data=False) is not None:
            return
        index, analyses, articles = self._linked()
        sync_links(
            self.store,
            articles=articles,
            analyses=analyses,
            actor_of=index.actor_of,
            reanalysed=analysed,
            rebuild=rebuild,
        )

    def analysis(self, id: str) -> Analysis | None:
        """The stored analysis of an article (``None`` before ``analyze``)."""
        from .views.analysis import load_analysis

        return load_analysis(self.store, self.get(id).id)

    def actor_index(self) -> ActorIndex:
        """Canonical actors over the current articles' analyses, with the user's overrides applied."""
        return self._linked()[0]

    def actors(
        self,
        *,
        story: str | None = None,
        actor: str | None = None,
        outlet: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
    ) -> list[dict[str, Any]]:
        """One row per canonical actor: id, name, type, mentions, spellings seen, articles.

        Filters (all optional) keep the articles of a story, those mentioning ``actor`` (an id or a
        name: the actors named alongside it), of an outlet, published in ``since``..``until``;
        a filtered list counts only those articles and leaves out actors they do not mention.
        """
        from .views.analysis import actor_rows

        index, _, articles = self._linked()
        scoped = self._scope(story=story, actor=actor, outlet=outlet, since=since, until=until)
        rows = actor_rows(index, articles if scoped is None else scoped)
        fixed = self._applied().actor_markers(index.actors)  # merged, split, renamed by a person
        for row in rows:
            if row["id"] in fixed:
                row["corrected"] = fixed[row["id"]].marker()
        return rows if scoped is None else [r for r in rows if r["mentions"]]

    def annotations(self, article: Article) -> dict[str, Any]:
        """The export annotations of one article (mentions with actors, time expressions, statements);
        an undated article's time expressions resolve from the publication day linking inferred."""
        from .analyze.pipeline import article_date
        from .views.analysis import article_annotations

        index, analyses, linked = self._linked()
        seen = linked.get(article.id)
        if seen is not None and article_date(article) is None and article_date(seen) is not None:
            article = article.with_meta(seen.meta)
        return article_annotations(article, analyses.get(article.id), index, corrections=self._applied())

    def quotes(
        self,
        *,
        speaker: str | None = None,
        story: str | None = None,
        actor: str | None = None,
        outlet: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
    ) -> list[dict[str, Any]]:
        """Attributed statements with resolved speakers (``speaker``: a part of a name to filter on;
        ``actor``: an actor id or name, only its statements); ``story``, ``outlet``, ``since`` and
        ``until`` keep the statements of those articles."""
        from .views.analysis import quote_rows

        index, analyses, articles = self._linked()
        scoped = self._scope(story=story, outlet=outlet, since=since, until=until)
        rows = quote_rows(
            index, self._analyses_of(analyses, scoped), articles, speaker=speaker, corrections=self._applied()
        )
        if actor is not None:
            actor_id = self.find_actor(actor)
            rows = [r for r in rows if r["speaker_actor"] == actor_id]
        return rows

    def positions(
        self,
        *,
        story: str | None = None,
        actor: str | None = None,
        outlet: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
    ) -> Any:
        """The positions ledger: actor × issue × stance × date, with changes and contradictions.

        ``actor`` (id or name) keeps the positions it holds; the other filters keep the positions
        reported by the articles of a story, an outlet, a publication-date range."""
        from .views.analysis import position_ledger

        index, analyses, articles = self._linked()
        scoped = self._scope(story=story, outlet=outlet, since=since, until=until)
        holder = self.find_actor(actor) if actor is not None else None
        return position_ledger(
            index, self._analyses_of(analyses, scoped), articles, holder=holder, corrections=self._applied()
        )

    def timeline(
        self,
        *,
        actor: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        include_approximate: bool = False,
        story: str | None = None,
        outlet: str | None = None,
    ) -> list[dict[str, Any]]:
        """The cross-outlet timeline: dated events, merged across outlets, with their evidence.

        ``actor`` is an actor id (or a name); ``since``/``until`` bound the event date (not the
        report date); ``story`` and ``outlet`` build the timeline from those articles only.
        Entries placed only by a report date are left out unless ``include_approximate``.
        """
        from .views.analysis import build_timeline, timeline_rows

        index, analyses, articles = self._linked()
        scoped = self._scope(story=story, outlet=outlet)
        actor_id = self.find_actor(actor) if actor is not None else None
        fix = self._applied()  # corrected event dates; event merges and splits
        memo, key = self._linked_memo(), ("timeline", story, outlet)
        built = memo.get(key)
        if built is None or built[0] is not fix:  # built once per linking and set of corrections
            built = memo[key] = (
                fix,
                build_timeline((scoped or articles).values(), index, analyses, corrections=fix),
            )
        timeline = built[1]
        entries = fix.entries(timeline, actor=actor_id, since=since, until=until)
        if not include_approximate:
            entries = [e for e in entries if not e.approximate]
        return timeline_rows(entries, index, articles, corrections=fix)

    def figures(
        self,
        *,
        story: str | None = None,
        actor: str | None = None,
        outlet: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
    ) -> list[dict[str, Any]]:
        """Figures grouped across outlets by what they count, with agreement or conflict marked;
        the filters keep the figures of a story's articles, of articles mentioning ``actor``, of
        an outlet, of articles published in ``since``..``until``."""
        from .views.analysis import figure_groups

        _, analyses, articles = self._linked()
        scoped = self._scope(story=story, actor=actor, outlet=outlet, since=since, until=until)
        return figure_groups(self._analyses_of(analyses, scoped), articles, corrections=self._applied())

    def outlets(
        self,
        *,
        story: str | None = None,
        actor: str | None = None,
        outlet: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
    ) -> list[dict[str, Any]]:
        """Outlets side by side: opinion, loaded language, sourcing, whom they quote, what they
        report — over the articles the filters keep (as for :meth:`figures`)."""
        from .views.analysis import outlet_rows

        index, analyses, articles = self._linked()
        scoped = self._scope(story=story, actor=actor, outlet=outlet, since=since, until=until)
        return outlet_rows(
            index,
            self._analyses_of(analyses, scoped),
            articles,
            stories=self._stories()[1],  # omitted facts are found within each story
            corrections=self._applied(),
        )

    def stories(
        self,
        *,
        story: str | None = None,
        actor: str | None = None,
        outlet: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
    ) -> list[dict[str, Any]]:
        """Story clusters (size, outlets, date range, main actors) with syndicated copies marked.

        Filters: one story by id; stories with an article mentioning ``actor``, with an article
        from ``outlet``, with an article published in ``since``..``until``."""
        rows = self._stories()[0]
        if story is None and actor is None and outlet is None and since is None and until is None:
            return rows
        scoped = self._scope(actor=actor, outlet=outlet, since=since, until=until)
        if story is not None:
            self._story_members(story)  # raises NotFound for an unknown story
        return [
            r
            for r in rows
            if (story is None or r["id"] == story)
            and (scoped is None or any(m["id"] in scoped for m in r["members"]))
        ]

    def find_actor(self, actor: str) -> str:
        """The id of the actor ``actor`` names (an id, a name or alias, or a part of one name);
        raises NotFound (E302) when none matches, UsageError (E401) when several do."""
        from .views.analysis import find_actor

        return find_actor(self._linked()[0].actors, actor)

    def _linked_memo(self) -> dict[Any, Any]:
        """A dict for what is built over the linked corpus, emptied when the corpus is linked again."""
        linked = self._linked()
        if self._scope_cache is None or self._scope_cache[0] is not linked:
            self._scope_cache = (linked, {})
        return self._scope_cache[1]

    def _derived(self, name: str) -> Any:
        """``story_rows`` (``"stories"``) or actor id → ids of the articles mentioning it
        (``"by_actor"``) over the linked corpus, each computed once per linking."""
        from .link.state import current_links
        from .views.analysis import articles_by_actor, story_rows

        cache = self._linked_memo()
        if name not in cache:
            index, analyses, articles = self._linked()
            if name == "stories":  # the stored links (storyline.link.state), made once when missing
                links = current_links(
                    self.store, articles=articles, analyses=analyses, actor_of=index.actor_of
                )
                cache[name] = story_rows(
                    index, analyses, articles, links=links, mention_actors=index.mention_actors
                )
            else:
                cache[name] = articles_by_actor(index)
        return cache[name]

    def _stories(self) -> tuple[list[dict[str, Any]], dict[str, str], dict[str, str | None]]:
        result: tuple[list[dict[str, Any]], dict[str, str], dict[str, str | None]] = self._derived("stories")
        return result

    def _story_members(self, story: str) -> frozenset[str]:
        from .errors import NotFound

        members = frozenset(a for a, s in self._stories()[1].items() if s == story)
        if not members:
            raise NotFound(f"no story with id {story!r}")
        return members

    def _scope(
        self,
        *,
        story: str | None = None,
        actor: str | None = None,
        outlet: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
    ) -> dict[str, Article] | None:
        """The linked articles the filters keep, or ``None`` when there is no filter (all of them)."""
        from .views.analysis import scope_articles

        if story is None and actor is None and outlet is None and since is None and until is None:
            return None
        ids: frozenset[str] | None = None
        if story is not None:
            ids = self._story_members(story)
        if actor is not None:
            mentioning = self._derived("by_actor").get(self.find_actor(actor), frozenset())
            ids = mentioning if ids is None else ids & mentioning
        return scope_articles(self._linked()[2], ids=ids, outlet=outlet, since=since, until=until)

    @staticmethod
    def _analyses_of(analyses: PackedAnalyses, scoped: dict[str, Article] | None) -> PackedAnalyses:
        """The analyses of the ``scoped`` articles (all without a scope), still packed."""
        return analyses if scoped is None else analyses.subset(scoped)

    def _linked(self) -> tuple[ActorIndex, PackedAnalyses, dict[str, Article]]:
        """Actors linked over the current articles' analyses; built once and kept until the corpus
        changes through this object (add, analyze, remove)."""
        if self._linked_cache is not None:
            return self._linked_cache
        from .views.analysis import build_actor_index, load_overrides_for
        from .views.packed import spill_directory

        # publication dates corrected; without raw text and HTML page (Article.for_views)
        articles = {a.id: a.for_views() for a in self.articles()}
        overrides = self._applied().overrides(load_overrides_for(self.location))  # + actor corrections
        index, analyses = build_actor_index(
            self.store, articles.values(), overrides=overrides, spill_dir=spill_directory(self.location)
        )
        self._inferred = self._apply_inferred_dates(articles, index)
        self._linked_cache = (index, analyses, articles)
        return self._linked_cache

    def _apply_inferred_dates(
        self, articles: dict[str, Article], index: ActorIndex
    ) -> dict[str, InferredDate]:
        """Give each still undated article the publication day linking inferred for it (stored by
        :meth:`_link_dates`), in ``articles`` and in the actor index (titles resolve by date)."""
        from .analyze.pipeline import article_date
        from .link.dates import inferred_from_json, with_inferred_date

        applied: dict[str, InferredDate] = {}
        self._uninferred = {}
        for article_id, row in self.store.inferred_dates().items():
            article = articles.get(article_id)
            if article is None or article_date(article) is not None:
                continue  # removed, or dated since (a given or corrected date always wins)
            found = inferred_from_json(article_id, row)
            self._uninferred[article_id] = article
            articles[article_id] = with_inferred_date(article, found)
            index.set_published(article_id, found.day)
            applied[article_id] = found
        return applied

    def _link_dates(self, analysed: Iterable[str]) -> int:
        """Infer publication dates (``storyline.link.dates``) for the undated articles that the newly
        ``analysed`` ones concern — themselves, and those sharing an event type and actor with them —
        and store them; drop the inferred dates of articles dated or removed since. Returns how many
        articles have an inferred date after the update."""
        from .analyze.pipeline import article_date
        from .link.dates import affected_undated, infer_publication_dates

        analysed = list(analysed)
        stored = self.store.inferred_dates()
        if not analysed and not stored:
            return 0
        index, analyses, linked = self._linked()
        raw = linked | self._uninferred  # the articles as stored: no inferred dates
        examine = affected_undated(raw, analyses, index.actor_of, analysed) if analysed else set()
        found = infer_publication_dates(raw, analyses, index.actor_of, only=examine)
        rows: dict[str, dict[str, Any] | None] = {
            i: (found[i].to_json() if i in found else None) for i in examine
        }
        for article_id in stored:
            article = raw.get(article_id)
            if article is None or article_date(article) is not None:
                rows[article_id] = None
        if rows:
            self.store.put_inferred_dates(rows)
            self.refresh()  # the linked articles' dates changed
        return len(self.store.inferred_dates())

    def inferred_dates(self) -> dict[str, InferredDate]:
        """The publication days inferred for undated articles, with confidence and evidence."""
        self._linked()
        return dict(self._inferred)

    def refresh(self) -> None:
        """Forget the linked views, so the next one reads the store again (after another process
        wrote to it, or the overrides file changed)."""
        self._linked_cache = None
        self._corrections_cache = None
        self.generation += 1

    # -- corrections (storyline.corrections) -----------------------------------------------------

    def correct(
        self,
        kind: str,
        target: dict[str, Any],
        value: Any = None,
        *,
        author: str,
        note: str | None = None,
    ) -> Correction:
        """Record a person's correction of the machine's output and return it (see
        :mod:`storyline.corrections` for the kinds, targets and values).

        The target is checked against the corpus as it is now and stored by stable keys (full
        article id, the exact span of the item); UsageError (E401) for a malformed correction,
        NotFound (E302) when the item it names does not exist."""
        from .corrections import Correction, prepare

        if not author or not author.strip():
            raise UsageError("a correction needs an author (who made it)")
        stable_target, stable_value = prepare(kind, target, value, linked=self._correction_context())
        new_id = self.store.add_correction(
            kind=kind, target=stable_target, value=stable_value, author=author.strip(), note=note or None
        )
        self.refresh()
        made = next(c for c in self.store.corrections() if c["id"] == new_id)
        logger.info("correction #%d by %s: %s", new_id, author, kind)
        return Correction.from_row(made)

    def corrections(self, *, include_removed: bool = False) -> list[dict[str, Any]]:
        """Every correction (oldest first) with ``status``: ``applied``, ``orphaned`` (its target is
        gone after a re-analysis; kept, with the ``reason``) or ``removed``."""
        from .corrections import Correction, orphan_reason

        rows = []
        context = None
        for row in self.store.corrections(active_only=not include_removed):
            c = Correction.from_row(row)
            item = c.to_json()
            item["summary"] = c.describe()
            if not c.active:
                item.update(status="removed", reason=None)
            else:
                context = context or self._correction_context()
                reason = orphan_reason(c, context)
                item.update(status="orphaned" if reason else "applied", reason=reason)
            rows.append(item)
        return rows

    def uncorrect(self, id: int) -> bool:
        """Withdraw correction ``id`` (kept in the store, marked removed); False when there is no
        active correction with this id."""
        done = self.store.remove_correction(id)
        if done:
            self.refresh()
        return done

    def _applied(self) -> Applied:
        if self._corrections_cache is None:
            from .corrections import Applied, Correction

            self._corrections_cache = Applied(Correction.from_row(r) for r in self.store.corrections())
        return self._corrections_cache

    def _correction_context(self) -> Any:
        from .corrections import Linked

        index, analyses, articles = self._linked()
        return Linked(
            index=index,
            analyses=analyses,
            articles=articles,
            resolve_article=lambda ref: self.store.get(ref).id,
            find_actor=self.find_actor,
        )

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
        story: str | None = None,
        actor: str | None = None,
    ) -> Iterator[Article]:
        """Stream articles by publication date (unknown last); see :meth:`Store.articles`.

        An article whose publication date a person corrected is listed, sorted and filtered by the
        corrected date (dates inferred for undated articles are the linked views'). ``story`` (a
        story id) and ``actor`` (an actor id or name: the articles mentioning it) need the linked
        corpus; the other filters are the store's."""
        moved = self._redated(current_only=current_only)
        if story is None and actor is None and not moved:
            return self.store.articles(
                current_only=current_only, outlet=outlet, since=since, until=until, limit=limit, offset=offset
            )
        ids = None if story is None and actor is None else set(self._scope(story=story, actor=actor) or ())
        stored = self.store.articles(current_only=current_only, outlet=outlet, since=since, until=until)
        kept = (a for a in stored if a.id not in moved)
        extra = sorted(
            (
                a
                for a in moved.values()
                if (outlet is None or a.outlet == outlet) and published_matches(a.published, since, until)
            ),
            key=_date_order,
        )
        merged = heapq.merge(kept, extra, key=_date_order)
        chosen = merged if ids is None else (a for a in merged if a.id in ids)
        return itertools.islice(chosen, offset, None if limit is None else offset + limit)

    def _redated(self, *, current_only: bool) -> dict[str, Article]:
        """The articles whose publication date a person corrected, with the corrected date."""
        from .errors import NotFound

        fix = self._applied()
        out: dict[str, Article] = {}
        for article_id in fix.published:
            try:
                article = self.store.get(article_id)
            except NotFound:
                continue  # removed since
            newer = (r for r in self.revisions(article.source_key) if r.revision > article.revision)
            if not (current_only and any(newer)):  # not an older revision
                out[article_id] = fix.article(article)
        return out

    def get(self, id: str) -> Article:
        """The article with this id or unique id prefix (≥ 6 characters); raises NotFound (E302).
        A publication date a person corrected replaces the stored one (provenance ``corrected``)."""
        return self._applied().article(self.store.get(id))

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> SearchResult:
        """Full-text search over the current articles (the store's: SQLite FTS5, …): ``total`` and
        the ``hits`` of one page (id, title, outlet, published, snippet, rank); a malformed query
        raises UsageError (E401)."""
        return self.store.search(query, limit=limit, offset=offset)

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
        fp: TextIO | str | os.PathLike[str],
        format: str = "jsonl",  # noqa: A002
        *,
        current_only: bool = True,
        annotations: Callable[[Article], dict[str, Any]] | None = None,
        story: str | None = None,
        link_base: str | None = None,
    ) -> int:
        """Write the corpus (one story's articles with ``story``) in ``format``; ``docs/export.md``
        describes each. ``jsonl``: one article per line to the text file ``fp``, returns the
        articles written; ``csv``: one file per table into ``fp``, a directory or a ``.zip`` path,
        returns the rows written; ``timelinejs``: TimelineJS3 JSON (evidence links to
        ``{link_base}/articles/…`` when given, else to the articles' URLs), returns the events;
        ``graphml``: actors, statements, issues and articles, returns the nodes."""
        if format not in EXPORT_FORMATS:
            raise UsageError(f"unknown export format {format!r} (known: {', '.join(EXPORT_FORMATS)})")
        if format != "jsonl":
            return self._export_view(fp, format, story=story, link_base=link_base)
        if isinstance(fp, str | os.PathLike):
            with builtins.open(fp, "w", encoding="utf-8") as out:
                return self.export(
                    out, format, current_only=current_only, annotations=annotations, story=story
                )
        from .export.jsonl import export_jsonl

        if annotations is None:
            from .views.analysis import article_annotations

            index, analyses, _ = self._linked()

            fix = self._applied()

            def annotations(article: Article) -> dict[str, Any]:
                return article_annotations(article, analyses.get(article.id), index, corrections=fix)

        # current articles with the metadata the views see: corrected and inferred publication dates
        _, _, linked = self._linked()
        chosen = (
            a.with_meta(linked[a.id].meta) if a.id in linked else a
            for a in self.articles(current_only=current_only, story=story)
        )
        return export_jsonl(chosen, fp, annotations=annotations)

    def _export_view(
        self,
        fp: TextIO | str | os.PathLike[str],
        format: str,  # noqa: A002
        *,
        story: str | None,
        link_base: str | None,
    ) -> int:
        """The csv, timelinejs and graphml exports (see :meth:`export`)."""
        if format == "csv":
            from .export.csv import corpus_tables, write_tables

            if not isinstance(fp, str | os.PathLike):
                raise UsageError("the csv export writes one file per table: give a directory or a .zip path")
            tables = corpus_tables(self, story=story)
            write_tables(tables, fp)
            return sum(len(t.rows) for t in tables)
        if isinstance(fp, str | os.PathLike):
            with builtins.open(fp, "w", encoding="utf-8") as out:
                return self._export_view(out, format, story=story, link_base=link_base)
        if format == "timelinejs":
            from .export.timelinejs import corpus_timelinejs, write_timelinejs

            data = corpus_timelinejs(self, story=story, link_base=link_base)
            write_timelinejs(data, fp)
            return len(data["events"])
        from .export.graphml import corpus_graphml, write_graphml

        tree = corpus_graphml(self, story=story)
        write_graphml(tree, fp)
        return len(tree.findall(".//{http://graphml.graphdrawing.org/xmlns}node"))

    def report(self, *, story: str | None = None, format: str = "md", link_base: str = "") -> str:  # noqa: A002
        """The cited briefing of the corpus, or of one story, as ``md`` or ``html`` (evidence links
        to ``{link_base}/articles/{id}#span-{start}-{end}``); see :mod:`storyline.report`."""
        from .report import FORMATS, corpus_briefing, render

        if format not in FORMATS:
            raise UsageError(f"unknown report format {format!r} (known: {', '.join(FORMATS)})")
        return render(corpus_briefing(self, story=story), format=format, link_base=link_base)

    # -- lifecycle ------------------------------------------------------------------------------

    def close(self) -> None:
        if self._linked_cache is not None:
            self._linked_cache[1].close()  # the packed analyses' spill file, if they spilled
            self._linked_cache = None
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
