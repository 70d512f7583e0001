"""Persisted, incremental linking: story clusters and syndication kept in the store.

The two corpus-level indexes that place an article — :class:`~storyline.link.stories.StoryClusterer`
and :class:`~storyline.link.dedup.SyndicationIndex` — are kept in the store between runs
(``Store.put_link_state``: one ``.npz`` blob of numpy arrays with a format version, read back
without pickle), and each article's story and origin in ``story_links`` rows. So:

- after ``analyze``, :func:`sync_links` loads the state, adds the newly analysed articles (sorted by
  publication date, then id — the order of a one-pass clustering) and writes it back with the links
  that changed: the clustering work grows with the new articles, not with the store (loading and
  writing the blob is a copy of flat arrays);
- the views read the links (:func:`current_links`) and cluster nothing, unless the store has
  analysed articles that are not linked yet (a store made before the links were persisted, or
  analysed by a run that stopped before linking): those are added once, on first need;
- what cannot be continued is rebuilt once, from every analysed article, with a log message: a
  state of another format version or other settings (e.g. embeddings switched on), a linked
  article that is gone (removed, or replaced by a new revision), an article analysed again
  (``analyze --force``, a new pipeline version), a stored state that cannot be read;
- a current article without an analysis is placed in a throw-away copy for the view (without
  actors, as before analysis) and linked for good once analysed;
- two writers: the state carries a generation; a writer whose generation is stale loads the newer
  state and adds its articles again (:data:`RETRIES` times).

Single-pass clustering depends on the order: the same articles added in the same order give the
same stories whether added at once or in several runs (the state round-trips exactly), but a
run that brings articles older than those already linked places them after them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..errors import StoreError
from .dedup import SyndicationIndex
from .packing import StateMismatch, from_bytes, header, items, read_header, strings, to_bytes
from .stories import StoryClusterer, clusterer_for, embedding_text, embeddings_wanted
from .stories_embedding import embedding_encoder
from .stories_state import iter_state_arrays

if TYPE_CHECKING:
    from ..analyze.pipeline import Analysis
    from ..model import Article
    from ..store.base import Store, StoryLink

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["STATE_VERSION", "Linker", "Links", "current_links", "embeddings_of", "link_key", "sync_links"]

STATE_VERSION = 1  # of the blob that wraps the two indexes' arrays
RETRIES = 3
ActorOf = Callable[[str, int, int], "str | None"]


def link_key(article: Article) -> tuple[str, str]:
    """The order articles are linked in: publication date (undated last), then id."""
    return (article.published or "9999", article.id)


@dataclass(frozen=True, kw_only=True, slots=True)
class Links:
    """Each article's story id, syndication origin (``None``: no copies) and link order."""

    story_of: dict[str, str]
    origin_of: dict[str, str | None]
    order: dict[str, int]


class Linker:
    """The story clusterer, the syndication index and the order articles were added in."""

    def __init__(self, *, embeddings: bool, encoder: str = "minilm") -> None:
        self.embeddings = embeddings
        self.encoder = encoder
        self.clusterer = clusterer_for(embeddings=embeddings, encoder=encoder)
        self.syndication = SyndicationIndex()
        self.order: dict[str, int] = {}

    @staticmethod
    def settings_for(*, embeddings: bool, encoder: str = "minilm") -> dict[str, Any]:
        """What a stored state must have been built under to be continued (vectors of one encoder
        cannot be compared with another's: the encoder is part of it when embeddings are on)."""
        return {
            "embeddings": embeddings,
            **({"encoder": encoder} if embeddings and encoder != "minilm" else {}),
            "stories": clusterer_for(embeddings=embeddings, encoder=encoder).settings(),
            "syndication": SyndicationIndex().settings(),
        }

    def link(self, article_id: str) -> StoryLink:
        from ..store.base import StoryLink

        return StoryLink(
            article_id=article_id,
            story_id=self.clusterer.story_of(article_id) or "",
            origin_id=self.syndication.origin_of(article_id),
            seq=self.order[article_id],
        )

    def links(self) -> Links:
        return Links(
            story_of={a: self.clusterer.story_of(a) or "" for a in self.order},
            origin_of={a: self.syndication.origin_of(a) for a in self.order},
            order=dict(self.order),
        )

    def add(
        self,
        articles: Sequence[Article],
        *,
        actors: Mapping[str, Sequence[str]],
        embeddings: Mapping[str, Any] | None = None,
    ) -> list[str]:
        """Add ``articles`` in :func:`link_key` order; the ids whose link changed (the new ones, the
        copies whose origin moved, the members of stories that merged)."""
        from ..analyze.pipeline import article_date

        changed: dict[str, None] = {}
        merged_before = len(self.clusterer.merged())
        for article in sorted(articles, key=link_key):
            if article.id in self.order:
                continue
            self.order[article.id] = len(self.order)
            found = self.syndication.add(
                article.id, article.text, published=article.published, outlet=article.outlet
            )
            self.clusterer.add(
                article.id,
                text=article.text,
                published=article_date(article),
                actors=sorted(set(actors.get(article.id, ()))),
                title=article.title,
                embedding=None if embeddings is None else embeddings.get(article.id),
            )
            changed[article.id] = None
            changed.update(dict.fromkeys(found.relinked))
        if len(self.clusterer.merged()) > merged_before:  # members of merged stories moved
            gone = self.clusterer.merged()[merged_before:]
            stories = self.clusterer.stories()
            for sid in dict.fromkeys(self.clusterer.resolve(g) for g in gone):
                changed.update(dict.fromkeys(stories.get(sid, ())))
        return [a for a in changed if a in self.order]

    # -- state -----------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        return to_bytes(self._arrays())

    def _arrays(self) -> Iterator[tuple[str, npt.NDArray[Any]]]:
        """The state's arrays, made as they are written (the stories' a group at a time)."""
        yield "header", header({"kind": "links", "version": STATE_VERSION, "embeddings": self.embeddings})
        yield "order_ids", strings(self.order)
        yield "order_seq", np.array(list(self.order.values()), dtype=np.int64)
        for k, v in iter_state_arrays(self.clusterer):
            yield f"s.{k}", v
        for k, v in self.syndication.to_arrays().items():
            yield f"d.{k}", v

    @classmethod
    def from_bytes(cls, data: bytes, *, settings: Mapping[str, Any]) -> Linker:
        """The linker :meth:`to_bytes` saved; :class:`StateMismatch` when it cannot be continued
        under ``settings``."""
        arrays = from_bytes(data)
        head = read_header(arrays["header"]) if "header" in arrays else {}
        if head.get("kind") != "links" or head.get("version") != STATE_VERSION:
            raise StateMismatch(
                f"link state version {head.get('version')!r} (this storyline reads {STATE_VERSION})"
            )
        if bool(head.get("embeddings")) != bool(settings["embeddings"]):
            raise StateMismatch(
                "link state was built "
                + ("with" if head.get("embeddings") else "without")
                + " sentence embeddings"
            )
        linker = cls(embeddings=bool(settings["embeddings"]), encoder=settings.get("encoder", "minilm"))
        linker.clusterer = StoryClusterer.from_state(
            {k[2:]: v for k, v in arrays.items() if k.startswith("s.")}, settings=settings["stories"]
        )
        linker.syndication = SyndicationIndex.from_arrays(
            {k[2:]: v for k, v in arrays.items() if k.startswith("d.")}, settings=settings["syndication"]
        )
        linker.order = dict(zip(items(arrays["order_ids"]), items(arrays["order_seq"]), strict=True))
        return linker


def _settings(stored: Mapping[str, Any]) -> dict[str, Any]:
    """The settings part of a stored state's settings (it also counts the linked articles)."""
    return {k: v for k, v in stored.items() if k != "linked"}


def _mismatch(version: int, stored: Mapping[str, Any], wanted: Mapping[str, Any]) -> str:
    """Why a stored state is not continued, in words."""
    if version != STATE_VERSION:
        return f"the stored state is of format version {version}, this storyline writes {STATE_VERSION}"
    if "embeddings" in stored and stored["embeddings"] != wanted["embeddings"]:
        return (
            "the stored state was built "
            + ("with" if stored.get("embeddings") else "without")
            + (" sentence embeddings")
        )
    changed = sorted(k for k in set(stored) | set(wanted) if stored.get(k) != wanted.get(k))
    return f"the stored state was built with other settings ({', '.join(changed)})"


def _actor_ids(
    article_ids: Iterable[str], analyses: Mapping[str, Analysis], actor_of: ActorOf
) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for article_id in article_ids:
        analysis = analyses.get(article_id)
        out[article_id] = [
            a
            for m in (analysis.mentions if analysis is not None else ())
            if (a := actor_of(article_id, m.start, m.end)) is not None
        ]
    return out


def _embeddings(articles: Sequence[Article], wanted: bool, encoder: str = "minilm") -> dict[str, Any] | None:
    return embeddings_of(articles, encoder=encoder) if wanted and articles else None


def embeddings_of(articles: Sequence[Article], *, encoder: str = "minilm") -> dict[str, Any]:
    """Sentence embeddings of the articles' leads (:func:`embedding_text`) by ``encoder``, cached by
    encoder and text."""
    from .. import embed

    leads = [embedding_text(a.text, title=a.title) for a in articles]
    encoded = embed.encode_cached(leads, cache=embed.default_cache(), model=encoder)
    return {a.id: vec for a, vec in zip(articles, encoded, strict=True)}


def sync_links(
    store: Store,
    *,
    articles: Mapping[str, Article],
    analyses: Mapping[str, Analysis],
    actor_of: ActorOf,
    embeddings: bool | None = None,
    reanalysed: Iterable[str] = (),
    rebuild: bool = False,
) -> Linker:
    """Bring the stored links up to date with the analysed ``articles`` (the current ones, with the
    publication dates the views use) and return the linker. ``reanalysed``: ids analysed by this
    run (one already linked means a rebuild); ``rebuild``: start over (``analyze --force``)."""
    encoder = embedding_encoder()
    use_embeddings = embeddings_wanted(embeddings, encoder=encoder)
    settings = Linker.settings_for(embeddings=use_embeddings, encoder=encoder)
    again = set(reanalysed)
    for _ in range(RETRIES):
        stored = store.link_state()
        expected = None if stored is None else stored.generation
        linker: Linker | None = None
        why = "no link state stored yet" if stored is None else ""
        if rebuild:
            why = "rebuild asked for"
        elif stored is not None and (
            stored.version != STATE_VERSION or _settings(stored.settings) != settings
        ):
            why = _mismatch(stored.version, _settings(stored.settings), settings)
        elif stored is not None:
            try:
                linker = Linker.from_bytes(stored.data, settings=settings)
            except StateMismatch as exc:
                why = str(exc)
        if linker is not None:
            gone = sum(1 for a in linker.order if a not in articles or a not in analyses)
            redone = sum(1 for a in again if a in linker.order)
            if gone or redone:
                why = f"{gone} linked articles are gone, {redone} were analysed again"
                linker = None
        reset = linker is None
        if linker is None:
            if stored is not None or rebuild:
                logger.info("rebuilding the story links from every analysed article: %s", why)
            linker = Linker(embeddings=use_embeddings, encoder=encoder)
        new = sorted(
            (a for a in articles.values() if a.id in analyses and a.id not in linker.order), key=link_key
        )
        if not new and not reset:
            return linker
        actors = _actor_ids((a.id for a in new), analyses, actor_of)
        changed = linker.add(new, actors=actors, embeddings=_embeddings(new, use_embeddings, encoder))
        generation = store.put_link_state(
            version=STATE_VERSION,
            settings={**settings, "linked": len(linker.order)},
            data=linker.to_bytes(),
            expected_generation=expected,
            links=[linker.link(a) for a in (linker.order if reset else changed)],
            reset=reset,
        )
        if generation is not None:
            logger.info(
                "linked %d articles (%d links written)",
                len(new),
                len(linker.order) if reset else len(changed),
            )
            return linker
        logger.warning("the story links were updated by another process meanwhile; linking again")
        rebuild = False
    raise RuntimeError(f"could not store the story links: {RETRIES} other writers in a row")


def current_links(
    store: Store,
    *,
    articles: Mapping[str, Article],
    analyses: Mapping[str, Analysis],
    actor_of: ActorOf,
    embeddings: bool | None = None,
) -> Links:
    """Every current article's story and origin for the views: read from the stored links when they
    cover the analysed articles (no clustering), else after :func:`sync_links`; current articles
    without an analysis are placed in a copy that is not stored."""
    encoder = embedding_encoder()
    use_embeddings = embeddings_wanted(embeddings, encoder=encoder)
    meta = store.link_state(data=False)
    wanted = Linker.settings_for(embeddings=use_embeddings, encoder=encoder)
    unanalysed = [a for a in articles.values() if a.id not in analyses]
    if (
        meta is not None
        and meta.version == STATE_VERSION
        and _settings(meta.settings) == wanted
        and not unanalysed
    ):
        rows = store.story_links()
        complete = len(rows) == meta.settings.get("linked")  # else a linked article was removed
        if (
            complete
            and all(a in rows for a in analyses if a in articles)
            and all(a in articles for a in rows)
        ):
            return Links(
                story_of={a: r.story_id for a, r in rows.items()},
                origin_of={a: r.origin_id for a, r in rows.items()},
                order={a: r.seq for a, r in rows.items()},
            )
    try:
        linker = sync_links(
            store, articles=articles, analyses=analyses, actor_of=actor_of, embeddings=use_embeddings
        )
    except StoreError as exc:  # e.g. a read-only database: link in memory for this view
        logger.warning("could not store the story links (%s); linking in memory", exc)
        linker = Linker(embeddings=use_embeddings, encoder=encoder)
        done = [a for a in articles.values() if a.id in analyses]
        linker.add(
            done,
            actors=_actor_ids((a.id for a in done), analyses, actor_of),
            embeddings=_embeddings(done, use_embeddings, encoder),
        )
    if unanalysed:  # not stored: placed without actors until they are analysed
        linker.add(unanalysed, actors={}, embeddings=_embeddings(unanalysed, use_embeddings, encoder))
    return linker.links()
