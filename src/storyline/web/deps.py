"""What the API endpoints share: one :class:`CorpusService` per application.

FastAPI runs the (sync) endpoints in a thread pool. The store is safe there (``SQLStore`` writes
through one locked connection and reads on pooled connections opened with
``check_same_thread=False``; ``MemoryStore`` locks itself), but a :class:`~storyline.corpus.Corpus`
keeps its linked views in plain attributes. So every call that reads or builds those views, and
every ingest, runs under the service's lock, one at a time.

Results are memoised per corpus generation (``Corpus.generation``, bumped by ``refresh()``):
a list endpoint computes its view once for a set of filters and then slices pages from it, and
the article list reads a catalog of article summaries built by one pass over the store instead of
linking the corpus.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from fastapi import Request

from ..model import Article
from ..store.base import published_matches

if TYPE_CHECKING:
    from ..corpus import Corpus

logger = logging.getLogger(__name__)

T = TypeVar("T")

MEMO_SIZE = 128


def article_summary(article: Article) -> dict[str, Any]:
    """The list fields of an article (what ``GET /api/articles`` gives per item)."""
    published = article.meta.published
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "url": article.meta.get("url"),
        "author": article.meta.get("author"),
        "published": published.value if published else None,
        "published_provenance": published.provenance if published else None,
        "language": article.language,
        "words": len(article.text.split()),
        "revision": article.revision,
    }


class CorpusService:
    """A corpus with a lock and memoised views, for the API's threads."""

    def __init__(self, corpus: Corpus, *, ingest_token: str | None = None) -> None:
        self.corpus = corpus
        self.ingest_token = ingest_token
        self.lock = threading.RLock()
        self._memo: OrderedDict[Hashable, Any] = OrderedDict()
        self._generation = corpus.generation
        self._catalog: list[dict[str, Any]] | None = None

    def _check_generation(self) -> None:
        if self.corpus.generation != self._generation:
            self._memo.clear()
            self._catalog = None
            self._generation = self.corpus.generation

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per key and corpus generation (the last ``MEMO_SIZE`` keys are kept)."""
        with self.lock:
            self._check_generation()
            if key in self._memo:
                self._memo.move_to_end(key)
                value: T = self._memo[key]
                return value
            value = compute()
            self._check_generation()  # compute() may have refreshed the corpus
            self._memo[key] = value
            while len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)
            return value

    def refresh(self) -> None:
        """Forget every view (after this process changed the corpus)."""
        with self.lock:
            self.corpus.refresh()
            self._check_generation()

    def catalog(self) -> list[dict[str, Any]]:
        """Summaries of the current articles, in the store's order (publication date, undated last)."""
        with self.lock:
            self._check_generation()
            if self._catalog is None:
                self._catalog = [article_summary(a) for a in self.corpus.articles()]
                logger.info("article catalog: %d articles", len(self._catalog))
            return self._catalog

    def article_list(
        self,
        *,
        story: str | None,
        actor: str | None,
        outlet: str | None,
        since: date | None,
        until: date | None,
    ) -> list[dict[str, Any]]:
        """The catalog rows the filters keep (``story``/``actor`` link the corpus)."""

        def compute() -> list[dict[str, Any]]:
            rows = self.catalog()
            if story is not None or actor is not None:
                ids = set(self.corpus._scope(story=story, actor=actor) or ())
                rows = [r for r in rows if r["id"] in ids]
            if outlet is not None:
                wanted = outlet.casefold()
                rows = [r for r in rows if (r["outlet"] or "").casefold() == wanted]
            if since is not None or until is not None:
                rows = [r for r in rows if published_matches(r["published"], since, until)]
            return rows

        if story is None and actor is None and outlet is None and since is None and until is None:
            return self.catalog()
        return self.memo(("articles", story, actor, outlet, since, until), compute)


_MAKING = threading.Lock()


def get_service(request: Request) -> CorpusService:
    """The application's service (``storyline.web.api.install`` makes it; made here on first use
    when ``app.state.corpus`` was replaced)."""
    state = request.app.state
    with _MAKING:
        service: CorpusService | None = getattr(state, "corpus_service", None)
        if service is None or service.corpus is not state.corpus:
            service = CorpusService(state.corpus, ingest_token=getattr(state, "ingest_token", None))
            state.corpus_service = service
    return service


__all__ = ["CorpusService", "article_summary", "get_service"]
