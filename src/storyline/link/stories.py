"""Story clusters: articles about the same story, grouped incrementally.

:meth:`StoryClusterer.add` puts one article into the best existing story or starts a new one:

- **terms**: scikit-learn's :class:`~sklearn.feature_extraction.text.HashingVectorizer` (fixed
  ``n_features``, English stop words removed, no normalization) gives term counts; the title is counted
  ``title_weight`` times. A document's vector is ``(1 + log tf)`` L2-normalized; a story's **centroid** is
  the sum of its members' vectors. Both are weighted at comparison time by an IDF estimated from the
  document frequencies seen so far (``log((N + 1) / (df + 1)) + 1``), so early vectors benefit from
  later statistics.
- **text similarity** with a story: ``centroid_weight * cos(article, centroid) + (1 - centroid_weight) *
  mean of the knn best cos(article, member)`` (members found by blocking, below).
- **actors** (canonical ids from :mod:`storyline.link.actors`, any strings here) only reinforce textual
  similarity: ``score = sim * (1 + actor_weight * share)``, ``share`` being the part of the article's
  actors already seen in the story. Shared actors alone never link two articles.
- **time**: a story spans ``[first, last]`` published dates; an article ``gap`` days outside that range
  with ``gap > window_days`` gets ``score *= 0.5 ** ((gap - window_days) / window_days)`` (soft: a
  follow-up months later can still join when its words match strongly).
- **blocking**: candidate stories and members come from inverted indexes of each article's ``top_terms``
  most weighted terms (and of its actors) to the stories it joined and to the article itself; each posting
  list keeps the ``max_postings`` most recently updated entries. So one add examines at most
  ``(top_terms + len(actors)) * max_postings`` stories and ``max_members`` articles whatever the corpus
  size (never all pairs); ``candidates_examined`` counts them. When more than ``max_members`` earlier
  articles share a top term with the article (up to ``top_terms * max_postings`` once the posting lists
  are full), the ones whose shared top terms weigh most in the article are compared.
- **merging** (:mod:`~storyline.link.stories_merge`): after an add, the story is compared with the
  ``MERGE_CANDIDATES`` best scored candidate stories by **average link** (the mean cosine over all
  pairs of their members, estimated from the stories' sums: size-normalized, so one close pair of
  members or a diffuse story cannot chain two stories) and merged with the best one when the link
  reaches ``merge_threshold`` (text, 0.1 by default) or ``merge_link`` (embeddings) and both have
  ``merge_min_size`` members; the younger story joins the older one (its id then resolves to the
  older id through :meth:`resolve`). Text alone splits a story along its separate developments (on
  ECB+, the two seminal events of a topic share few words): the merge joins them afterwards.
- optional **deferred joins** (``revisit``): after an article joins a story of several members, up to
  ``revisit`` of its candidate stories that are still a lone article are scored again against that
  story with the join rule and join it when they pass now (an article refused by a story that was
  still small is not left alone for good because it came early).
- optional **sentence embeddings** (``add(..., embedding=)``, e.g. :func:`storyline.embed.encode` of
  :func:`embedding_text`): wherever both sides have one, a text cosine ``c`` becomes
  ``(1 - embedding_weight) * c + embedding_weight * max(0, (e - embedding_floor) / (1 - embedding_floor))``
  with ``e`` the embedding cosine (with the story's summed embedding, or with a member's for the knn
  part); the floor cuts the cosine that unrelated news texts reach anyway (on ECB+, 95 % of the pairs of
  documents from different topics are under 0.26). Blocking adds random-hyperplane LSH buckets of the
  embedding (``lsh_bands`` keys of ``lsh_bits`` signs; fixed seed) pointing to stories.
- with embeddings, :data:`EMBEDDING_DEFAULTS` (``threshold`` 0.2, weight 0.5, floor 0.3, embedding
  average-link merging at ``merge_link`` 0.3 between stories of at least 2 members, no text merging,
  ``revisit`` 1) were tuned on the odd ECB+ topics (see :mod:`storyline.eval.ecbplus`).
- IDF-weighted norms of stored vectors (and the stories' spreads, for the text link) are cached and
  recomputed when the vector changes or the corpus has grown by ``NORM_REFRESH`` - 1 (20 %) since;
  dot products use the current IDF. A story's centroid (up to ``2 * max_centroid_terms`` terms) is
  also kept as arrays until it changes (:func:`~storyline.link.stories_model.packed`): its norm, its
  spread, its trimming and the text link are numpy operations over them, with the IDF of all their
  terms at once (:meth:`StoryClusterer._idf_of`), so their cost per add stays small once the stories
  have grown to that size.

The article joins the best-scoring candidate when ``score >= threshold`` (ties: the older story), else it
starts a story whose id is ``story-`` + 10 hex digits of SHA-256 of its first member's id (stable).

State for the store: :meth:`StoryClusterer.to_state` gives numpy arrays (no pickled objects) with
a format version and the settings, :meth:`StoryClusterer.from_state` rebuilds a clusterer that
continues exactly where the first one stopped; a state of another version or other settings is
refused with a :class:`StateMismatch` (the caller rebuilds). :mod:`storyline.link.state` keeps it in
the store.

Modules: this one holds the clusterer (vectors, blocking, scoring, joining);
:mod:`~storyline.link.stories_model` its records (:class:`StoryMatch`, the story record, ids);
:mod:`~storyline.link.stories_embedding` the embedding helpers (:func:`embedding_text`,
:func:`embeddings_wanted`, :data:`EMBEDDING_DEFAULTS`, LSH buckets);
:mod:`~storyline.link.stories_merge` the merging; :mod:`~storyline.link.stories_state` the
state arrays (:data:`STATE_VERSION`).

Order sensitivity: the result is deterministic for a given insertion order but, as in any single-pass
clustering, not independent of it — an article compared with a story before or after that story grew may
land differently, and the IDF estimate evolves. Insert in a fixed order (published date, then id) for
reproducible runs; :func:`storyline.eval.ecbplus.evaluate_ecbplus` reports the effect of shuffling.
Merging and deferred joins take back part of it: stories split by an early decision can still come
together once they have grown.
"""

from __future__ import annotations

import logging
import math
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from itertools import chain, repeat
from operator import mul
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import HashingVectorizer

from .packing import Arrays, StateMismatch
from .stories_embedding import (
    EMBEDDING_DEFAULTS,
    combine,
    draw_planes,
    embedding_defaults,
    embedding_text,
    embeddings_wanted,
    lsh_keys,
    unit,
)
from .stories_merge import maybe_merge, revisit
from .stories_model import (
    DocVectors,
    Embedding,
    IdfTable,
    Story,
    StoryMatch,
    Vector,
    packed,
    story_id_for,
)
from .stories_state import STATE_VERSION, read_state, state_arrays

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "EMBEDDING_DEFAULTS",
    "STATE_VERSION",
    "StateMismatch",
    "StoryClusterer",
    "StoryMatch",
    "clusterer_for",
    "embedding_text",
    "embeddings_wanted",
    "story_id_for",
]

NORM_REFRESH = 1.2  # a cached vector norm is recomputed once the corpus grew by 20 %


def clusterer_for(*, embeddings: bool, encoder: str = "minilm") -> StoryClusterer:
    """A story clusterer with the defaults tuned for text alone or for text with embeddings by
    ``encoder`` (:func:`~storyline.link.stories_embedding.embedding_defaults`)."""
    if embeddings:
        return StoryClusterer(**embedding_defaults(encoder))
    return StoryClusterer()


class StoryClusterer:
    """Incremental single-pass story clustering; see the module docstring."""

    def __init__(
        self,
        *,
        threshold: float = 0.15,
        window_days: int = 30,
        actor_weight: float = 0.5,
        title_weight: int = 2,
        n_features: int = 2**20,
        top_terms: int = 30,
        max_postings: int = 64,
        max_centroid_terms: int = 2000,
        max_members: int = 256,
        knn: int = 1,
        centroid_weight: float = 0.5,
        merge_threshold: float | None = 0.1,
        merge_min_size: int = 2,
        embedding_weight: float = 0.5,
        embedding_floor: float = 0.3,
        lsh_bands: int = 16,
        lsh_bits: int = 8,
        merge_link: float | None = None,
        revisit: int = 0,
    ) -> None:
        self.threshold = threshold
        self.window_days = window_days
        self.actor_weight = actor_weight
        self.title_weight = title_weight
        self.top_terms = top_terms
        self.max_postings = max_postings
        self.max_centroid_terms = max_centroid_terms
        self.max_members = max_members
        self.knn = knn
        self.centroid_weight = centroid_weight
        self.merge_threshold = merge_threshold
        self.merge_min_size = merge_min_size
        if not 0.0 <= embedding_weight <= 1.0 or not 0.0 <= embedding_floor < 1.0:
            raise ValueError(
                f"embedding_weight must be in [0, 1] and embedding_floor in [0, 1), "
                f"got {embedding_weight} and {embedding_floor}"
            )
        self.embedding_weight = embedding_weight
        self.embedding_floor = embedding_floor
        self.lsh_bands = lsh_bands
        self.lsh_bits = lsh_bits
        self.merge_link = merge_link
        self.revisit = revisit
        self._planes: Embedding | None = None  # random hyperplanes, drawn for the first embedding
        self._emb: dict[str, Embedding] = {}
        self._norms: dict[str, tuple[int, int, float]] = {}  # key -> (version, n_docs then, norm)
        self._lsh_postings: dict[tuple[int, int], OrderedDict[str, None]] = {}
        self._merged_into: dict[str, str] = {}
        self._docs = DocVectors()
        self._doc_postings: dict[int, OrderedDict[str, None]] = {}
        self._doc_refs: dict[str, int] = {}  # article -> the article posting lists that hold it
        self._slots: npt.NDArray[np.int32] | None = None  # term -> place in the article compared, + 1
        self.n_features = n_features
        self._vectorizer = HashingVectorizer(
            n_features=n_features,
            alternate_sign=False,
            norm=None,
            stop_words="english",
            lowercase=True,
        )
        self._df: dict[int, int] = {}
        self._df_array = np.zeros(n_features, dtype=np.int64)  # the same counts, for the array IDF
        self._n_docs = 0
        self._idf = IdfTable(self._df, 0)  # IDF of the terms looked at since the count changed
        self._stories: dict[str, Story] = {}
        self._story_of: dict[str, str] = {}
        self._matches: dict[str, StoryMatch] = {}
        self._postings: dict[int, OrderedDict[str, None]] = {}
        self._actor_postings: dict[str, OrderedDict[str, None]] = {}
        self.candidates_examined = 0

    # -- queries -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._story_of)

    def story_of(self, article_id: str) -> str | None:
        """The article's current story id (after merges)."""
        return self._story_of.get(article_id)

    def resolve(self, story_id: str) -> str:
        """The live id of a story id returned earlier (a merged story resolves to the one it joined)."""
        return self._live(story_id)

    def explain(self, article_id: str) -> StoryMatch | None:
        """The match recorded when the article was added."""
        return self._matches.get(article_id)

    def merged(self) -> list[str]:
        """The ids of the stories merged into others so far, in the order they were merged."""
        return list(self._merged_into)

    def stories(self) -> dict[str, tuple[str, ...]]:
        """``story id -> members`` in insertion order."""
        return {sid: tuple(s.members) for sid, s in self._stories.items()}

    # -- vectors -------------------------------------------------------------------------------
    def _counts(self, text: str, title: str | None) -> Vector:
        docs = [text] + ([title] * self.title_weight if title else [])
        matrix = self._vectorizer.transform(docs).tocsr()
        out: Vector = {}
        for i, v in zip(matrix.indices.tolist(), matrix.data.tolist(), strict=True):
            out[i] = out.get(i, 0.0) + v
        return out

    @staticmethod
    def _dot(twice: Vector, raw: Vector) -> float:
        """``weighted · idf(raw)`` given ``twice`` = the weighted article times the IDF once more;
        only the article's terms are looked at. (``sum(v * raw[t] for t, v in twice.items() if t in raw)``
        to the last bit — a missing term adds ``0.0`` — with the loop in C: ``_score`` makes one per
        candidate story.)"""
        return float(sum(map(mul, twice.values(), map(raw.get, twice, repeat(0.0)))))

    def _norm(self, key: str, raw: Vector, version: int) -> float:
        """The IDF-weighted norm of ``raw``, kept until ``version`` changes or the corpus grows by
        ``NORM_REFRESH`` - 1 (the IDF drifts slowly: recomputing it at every comparison would cost the
        whole centroid each time)."""

        def compute() -> float:
            # sqrt(sum((v * idf(t)) ** 2 for t, v in raw.items())), the loop in C
            weighted = map(mul, raw.values(), map(self._idf.__getitem__, raw))
            return math.sqrt(sum(map(pow, weighted, repeat(2))))

        return self._kept(key, version, compute)

    def _kept(self, key: str, version: int, compute: Callable[[], float]) -> float:
        """``compute()``, kept under ``key`` until ``version`` changes or the corpus grows by
        ``NORM_REFRESH`` - 1 (the norms and spreads of :meth:`_norm`, :meth:`_centroid_norm` and
        :meth:`_spread`)."""
        cached = self._norms.get(key)
        if cached is not None and cached[0] == version and self._n_docs <= cached[1] * NORM_REFRESH:
            return cached[2]
        value = compute()
        self._norms[key] = (version, self._n_docs, value)
        return value

    def _idf_of(self, terms: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """The IDF of ``terms`` at once: :class:`IdfTable`'s formula over the arrays (``np.log``, which
        may differ from ``math.log`` in the last bit)."""
        return np.log((self._n_docs + 1) / (self._df_array[terms] + 1.0)) + 1.0

    def _overlap(
        self, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """The places in ``a`` and in ``b`` of the terms both hold (each array without repeats), in
        ``a``'s order."""
        if self._slots is None:
            self._slots = np.zeros(self.n_features, dtype=np.int32)
        slots = self._slots
        slots[b] = np.arange(1, b.size + 1, dtype=np.int32)
        try:
            place = slots[a]
        finally:
            slots[b] = 0
        hit = np.flatnonzero(place)
        return hit, (place[hit] - 1).astype(np.intp)

    def _centroid_norm(self, story: Story) -> float:
        """The IDF-weighted norm of a story's centroid, cached as :meth:`_norm` caches norms (version:
        the number of members), computed over the centroid's arrays."""

        def compute() -> float:
            terms, cen, _ = packed(story)
            weighted = cen * self._idf_of(terms)
            return math.sqrt(float(np.dot(weighted, weighted)))

        return self._kept("s:" + story.sid, len(story.members), compute)

    def _weighted(self, vec: Vector) -> tuple[Vector, float]:
        idf = self._idf
        out = {t: v * idf(t) for t, v in vec.items()}
        norm = math.sqrt(sum(v * v for v in out.values()))
        return out, norm

    # -- adding --------------------------------------------------------------------------------
    def add(
        self,
        article_id: str,
        *,
        text: str,
        published: date | None = None,
        actors: Sequence[str] = (),
        title: str | None = None,
        embedding: npt.ArrayLike | None = None,
    ) -> str:
        """Put one article into a story and return the story id (re-adding returns the same id).

        ``embedding`` (optional) is the article's sentence embedding, e.g. from
        :func:`storyline.embed.encode` over :func:`embedding_text`; any length, normalized here."""
        if article_id in self._story_of:
            return self._story_of[article_id]
        emb = self._normalized(article_id, embedding)
        counts = self._counts(text, title)
        for t in counts:
            self._df[t] = self._df.get(t, 0) + 1
        self._df_array[np.fromiter(counts, dtype=np.int64, count=len(counts))] += 1
        self._n_docs += 1
        self._idf.reset(self._df, self._n_docs)  # the document frequencies change only with the count
        tf = {t: 1.0 + math.log(c) for t, c in counts.items()}
        tf_norm = math.sqrt(sum(v * v for v in tf.values())) or 1.0
        tf = {t: v / tf_norm for t, v in tf.items()}
        doc_w, doc_norm = self._weighted(tf)
        top = sorted(doc_w, key=lambda t: (-doc_w[t], t))[: self.top_terms]
        actor_set = sorted(set(actors))

        twice = {t: v * self._idf(t) for t, v in doc_w.items()}
        member_sims = self._member_sims(top, twice, doc_norm, emb, doc_w)
        keys = self._lsh_keys(emb)
        best: StoryMatch | None = None
        best_seq = 0
        scored: list[tuple[float, int, str]] = []
        candidates = [self._stories[sid] for sid in self._candidates(top, actor_set, member_sims, keys)]
        dots = self._centroid_dots(twice, candidates)
        for story, dot in zip(candidates, dots, strict=True):
            sid = story.sid
            match = self._score(
                story, twice, doc_norm, published, actor_set, member_sims.get(sid, []), emb, dot=dot
            )
            scored.append((-match.score, story.seq, sid))
            if (
                best is None
                or match.score > best.score
                or (match.score == best.score and story.seq < best_seq)
            ):
                best, best_seq = match, story.seq
        if best is not None and best.score >= self.threshold and (doc_norm > 0 or emb is not None):
            story = self._stories[best.story_id]
            match = best
        else:
            story = Story(sid=story_id_for(article_id), seq=len(self._stories))
            if story.sid in self._stories:  # a hash collision on 40 bits: make it unique, deterministically
                story.sid = story_id_for(article_id + "\x00" + str(story.seq))
            self._stories[story.sid] = story
            match = StoryMatch(
                story_id=story.sid,
                score=0.0 if best is None else best.score,
                cosine=0.0 if best is None else best.cosine,
                actor_share=0.0,
                gap_days=None,
                new=True,
                embedding_cosine=None if best is None else best.embedding_cosine,
            )
        self._join(story, article_id, tf, published, actor_set, top, emb, keys)
        self._matches[article_id] = match
        ranked = [sid for _, _, sid in sorted(scored)]
        if self.revisit and len(story.members) > 1:
            story = revisit(self, story, ranked)
        if self.merge_threshold is not None or self.merge_link is not None:
            story = maybe_merge(self, story, ranked)
        return story.sid

    def _live(self, sid: str) -> str:
        while sid in self._merged_into:
            sid = self._merged_into[sid]
        return sid

    def _normalized(self, article_id: str, embedding: npt.ArrayLike | None) -> Embedding | None:
        if embedding is None:
            return None
        vec, norm = unit(article_id, embedding)
        if self._planes is None:
            self._planes = draw_planes(vec.size, bands=self.lsh_bands, bits=self.lsh_bits)
        elif self._planes.shape[1] != vec.size:
            raise ValueError(
                f"article {article_id!r}: embedding has {vec.size} dimensions, "
                f"earlier ones had {self._planes.shape[1]}"
            )
        return vec / norm

    def _lsh_keys(self, emb: Embedding | None) -> list[tuple[int, int]]:
        """Random-hyperplane LSH buckets of an embedding: ``lsh_bands`` keys of ``lsh_bits`` signs each."""
        if emb is None or self._planes is None or self.lsh_bands == 0:
            return []
        return lsh_keys(self._planes, emb, bands=self.lsh_bands, bits=self.lsh_bits)

    def _member_sims(
        self,
        top: Iterable[int],
        twice: Vector,
        doc_norm: float,
        emb: Embedding | None = None,
        doc_w: Vector | None = None,
    ) -> dict[str, list[float]]:
        """Similarity of the article with the earlier articles sharing one of its top terms, by story:
        the text cosine, or with embeddings on both sides the combined similarity (see ``_combine``).
        The dot products are computed for all of those articles at once (:meth:`_dots`).

        At most ``max_members`` of those articles are compared: when more share a top term, the
        ones whose shared top terms weigh most in the article (``doc_w``, the article's IDF-weighted
        vector; ties: the earlier found), so the work per add stays bounded once the posting lists
        are full."""
        found: dict[str, float] = {}
        get = found.get
        for t in top:
            w = 1.0 if doc_w is None else doc_w[t]
            for aid in self._doc_postings.get(t, ()):
                found[aid] = get(aid, 0.0) + w
        out: dict[str, list[float]] = {}
        if doc_norm == 0:
            return out
        members = self._heaviest(found, self.max_members)
        ids: list[str] = []
        norms: list[float] = []
        for aid in members:
            other_norm = self._doc_norm(aid)
            if other_norm != 0:
                ids.append(aid)
                norms.append(other_norm)
        for aid, dot, other_norm in zip(ids, self._dots(twice, ids), norms, strict=True):
            cos = dot / (doc_norm * other_norm)
            other_emb = self._emb.get(aid)
            if emb is not None and other_emb is not None:
                cos = self._combine(cos, float(emb @ other_emb))
            out.setdefault(self._story_of[aid], []).append(cos)
        self.candidates_examined += len(members)
        return out

    @staticmethod
    def _heaviest(found: dict[str, float], n: int) -> list[str]:
        """The ``n`` keys of ``found`` with the largest values (ties: the earlier in ``found``, the
        choice of ``heapq.nlargest``, i.e. of a stable sort), in ``found``'s order; the sort in
        numpy."""
        keys = list(found)
        if len(keys) <= n:
            return keys
        weights = np.fromiter(found.values(), dtype=np.float64, count=len(keys))
        kept = np.sort(np.argsort(-weights, kind="stable")[:n])
        return [keys[i] for i in kept.tolist()]

    def _doc_norm(self, article_id: str) -> float:
        """:meth:`_norm` of an earlier article's vector (version 0: it never changes)."""
        key = "d:" + article_id
        cached = self._norms.get(key)
        if cached is not None and cached[0] == 0 and self._n_docs <= cached[1] * NORM_REFRESH:
            return cached[2]
        return self._norm(key, self._docs[article_id], 0)

    def _dots(self, twice: Vector, ids: Sequence[str]) -> list[float]:
        """``_dot(twice, vector)`` for the vectors of the articles ``ids``, at once and with the same
        result to the last bit: a matrix of their weights at the article's terms (zero where they
        lack one) times ``twice``, summed term by term in the article's order (a cumulative sum: the
        order of :meth:`_dot`, whose ``sum`` adds in order on Python 3.11 — 3.12 compensates; adding a
        zero product changes nothing). ``tests/test_stories.py`` checks the equality."""
        if not ids or not twice:
            return [0.0] * len(ids)
        rows = [self._docs.arrays(aid) for aid in ids]
        return self._row_dots(twice, [r[0] for r in rows], [r[1] for r in rows])

    def _centroid_arrays(self, story: Story) -> tuple[npt.NDArray[np.integer[Any]], npt.NDArray[np.float64]]:
        """A story's centroid as ``(terms, values)`` arrays in the centroid's order, without making
        (or keeping) arrays for a lone article's story when its vector is kept anyway: such a
        centroid is the article's vector (``0.0 + v`` is ``v``), the same terms in the same order
        unless it was trimmed (then it has fewer terms, and is read from the centroid)."""
        if story.packed is not None:
            return story.packed[0], story.packed[1]
        if len(story.members) == 1 and story.members[0] in self._docs:
            doc_terms, weights = self._docs.arrays(story.members[0])
            if doc_terms.size == len(story.centroid):
                return doc_terms, weights
        if len(story.members) > 1:
            terms, cen, _ = packed(story)
            return terms, cen
        n = len(story.centroid)
        return (
            np.fromiter(story.centroid.keys(), dtype=np.int64, count=n),
            np.fromiter(story.centroid.values(), dtype=np.float64, count=n),
        )

    def _centroid_dots(self, twice: Vector, stories: Sequence[Story]) -> list[float]:
        """``_dot(twice, story.centroid)`` for each of ``stories``, at once and with the same result
        to the last bit (as :meth:`_dots`: a matrix of the centroids' values at the article's terms,
        summed term by term in the article's order). ``tests/test_stories.py`` checks the equality."""
        if not stories or not twice:
            return [0.0] * len(stories)
        rows = [self._centroid_arrays(story) for story in stories]
        return self._row_dots(twice, [r[0] for r in rows], [r[1] for r in rows])

    def _row_dots(
        self,
        twice: Vector,
        terms: Sequence[npt.NDArray[np.integer[Any]]],
        values: Sequence[npt.NDArray[np.float64]],
    ) -> list[float]:
        """``sum(v * row.get(t, 0.0) for t, v in twice.items())`` for each row given as (terms,
        values) arrays, added term by term in ``twice``'s order (a cumulative sum), so each equals
        :meth:`_dot` of the row as a dict to the last bit."""
        if self._slots is None:
            self._slots = np.zeros(self.n_features, dtype=np.int32)
        slots = self._slots
        n_terms = len(twice)
        keys = np.fromiter(twice.keys(), dtype=np.int64, count=n_terms)
        weights = np.fromiter(twice.values(), dtype=np.float64, count=n_terms)
        lengths = np.fromiter((t.size for t in terms), dtype=np.int64, count=len(terms))
        all_terms = np.concatenate(terms)
        all_values = np.concatenate(values)
        slots[keys] = np.arange(1, n_terms + 1, dtype=np.int32)
        try:
            place = slots[all_terms]
        finally:
            slots[keys] = 0
        hit = np.flatnonzero(place)
        matrix = np.zeros((len(terms), n_terms), dtype=np.float64)
        matrix[np.repeat(np.arange(len(terms)), lengths)[hit], place[hit] - 1] = all_values[hit]
        dots: list[float] = np.cumsum(matrix * weights, axis=1)[:, -1].tolist()
        return dots

    def _candidates(
        self,
        top: Iterable[int],
        actors: Iterable[str],
        member_sims: dict[str, list[float]],
        keys: Iterable[tuple[int, int]] = (),
    ) -> list[str]:
        seen: dict[str, None] = dict.fromkeys(member_sims)
        # the story ids of the posting lists once each, in the order first met (dict.fromkeys: the
        # loop in C), then their live ids in that order: the same candidates in the same order as
        # resolving every posting entry, with one ``_live`` per distinct id
        posted = dict.fromkeys(
            chain(
                chain.from_iterable(self._lsh_postings.get(key, ()) for key in keys),
                chain.from_iterable(self._postings.get(t, ()) for t in top),
                chain.from_iterable(self._actor_postings.get(a, ()) for a in actors),
            )
        )
        merged = self._merged_into
        for sid in posted:
            seen[self._live(sid) if sid in merged else sid] = None
        self.candidates_examined += len(seen)
        return list(seen)

    def _score(
        self,
        story: Story,
        twice: Vector,
        doc_norm: float,
        published: date | None,
        actors: Sequence[str],
        member_sims: Sequence[float],
        emb: Embedding | None = None,
        *,
        dot: float | None = None,
    ) -> StoryMatch:
        """The join rule's score of the article with ``story``; ``dot`` is ``_dot(twice,
        story.centroid)`` when the caller has it already (:meth:`_centroid_dots`)."""
        cen_norm = self._centroid_norm(story)
        if doc_norm == 0 or cen_norm == 0:
            cosine = 0.0
        else:
            if dot is None:
                dot = self._dot(twice, story.centroid)
            cosine = dot / (doc_norm * cen_norm)
        emb_cos: float | None = None
        if emb is not None and story.emb_sum is not None:
            emb_norm = float(np.linalg.norm(story.emb_sum))
            emb_cos = float(emb @ story.emb_sum) / emb_norm if emb_norm > 0 else 0.0
            cosine = self._combine(cosine, emb_cos)
        k = min(self.knn, len(story.members))
        nearest = sorted(member_sims, reverse=True)[:k]
        knn = sum(nearest) / k if k else 0.0
        cosine = self.centroid_weight * cosine + (1.0 - self.centroid_weight) * knn
        share = sum(1 for a in actors if a in story.actors) / len(actors) if actors else 0.0
        score = cosine * (1.0 + self.actor_weight * share)
        gap: int | None = None
        if published is not None and story.first is not None and story.last is not None:
            gap = max(0, (story.first - published).days, (published - story.last).days)
            if gap > self.window_days > 0:
                score *= 0.5 ** ((gap - self.window_days) / self.window_days)
        return StoryMatch(
            story_id=story.sid,
            score=round(score, 6),
            cosine=round(cosine, 6),
            actor_share=share,
            gap_days=gap,
            new=False,
            embedding_cosine=None if emb_cos is None else round(emb_cos, 6),
        )

    def _combine(self, text_cos: float, emb_cos: float) -> float:
        """Text cosine and embedding cosine in one similarity: the embedding part counts from
        ``embedding_floor`` up (rescaled to 0..1), weighted ``embedding_weight``."""
        return combine(text_cos, emb_cos, weight=self.embedding_weight, floor=self.embedding_floor)

    def _join(
        self,
        story: Story,
        article_id: str,
        tf: Vector,
        published: date | None,
        actors: Sequence[str],
        top: Sequence[int],
        emb: Embedding | None = None,
        keys: Sequence[tuple[int, int]] = (),
    ) -> None:
        story.members.append(article_id)
        if emb is not None:
            self._emb[article_id] = emb
            story.emb_sum = emb.copy() if story.emb_sum is None else story.emb_sum + emb
            story.emb_n += 1
            for key in keys:
                self._post(self._lsh_postings.setdefault(key, OrderedDict()), story.sid)
        self._story_of[article_id] = story.sid
        cen, squares = story.centroid, story.squares
        for t, v in tf.items():
            cen[t] = cen.get(t, 0.0) + v
            squares[t] = squares.get(t, 0.0) + v * v
        self._grown(story, tf)
        self._trim(story)
        for a in actors:
            story.actors[a] = story.actors.get(a, 0) + 1
        if published is not None:
            story.first = published if story.first is None else min(story.first, published)
            story.last = published if story.last is None else max(story.last, published)
        self._docs.put(article_id, tf)
        for t in top:
            self._post(self._postings.setdefault(t, OrderedDict()), story.sid)
            self._post_doc(self._doc_postings.setdefault(t, OrderedDict()), article_id)
        for a in actors:
            self._post(self._actor_postings.setdefault(a, OrderedDict()), story.sid)

    def _grown(self, story: Story, tf: Vector) -> None:
        """A story's centroid arrays (:func:`packed`) after ``tf`` was added to its dicts, made from
        the arrays it had rather than from the dicts again (a story of thousands of terms grows by
        the article's few hundred): the same additions (``c + v``, ``q + v * v``) at the terms it
        had, the new terms appended in the article's order (``0.0 + v`` is ``v``), which is the
        order the dicts give them. A story without arrays (a lone article's) is left to
        :func:`packed`."""
        if story.packed is None:
            return
        terms, cen, squares = story.packed
        n = len(tf)
        tf_terms = np.fromiter(tf.keys(), dtype=np.int64, count=n)
        tf_values = np.fromiter(tf.values(), dtype=np.float64, count=n)
        in_tf, in_story = self._overlap(tf_terms, terms)
        cen, squares = cen.copy(), squares.copy()  # new arrays: a caller may still hold the old ones
        v = tf_values[in_tf]
        cen[in_story] += v
        squares[in_story] += v * v
        new = np.ones(n, dtype=np.bool_)
        new[in_tf] = False
        if new.any():
            v = tf_values[new]
            terms = np.concatenate((terms, tf_terms[new]))
            cen = np.concatenate((cen, v))
            squares = np.concatenate((squares, v * v))
        story.packed = (terms, cen, squares)

    def _trim(self, story: Story) -> None:
        """Keep a story's ``max_centroid_terms`` most weighted terms once it has twice as many."""
        if len(story.centroid) > 2 * self.max_centroid_terms:
            terms, cen, squares = packed(story)
            # by weight, heaviest first, then by term (lexsort sorts by its last key first)
            keep = np.lexsort((terms, -(cen * self._idf_of(terms))))[: self.max_centroid_terms]
            terms, cen, squares = terms[keep], cen[keep], squares[keep]
            story.centroid = dict(zip(terms.tolist(), cen.tolist(), strict=True))
            story.squares = dict(zip(terms.tolist(), squares.tolist(), strict=True))
            story.packed = (terms, cen, squares)

    def _spread(self, story: Story) -> float:
        """``sqrt(n * sum of the members' squared IDF-weighted norms)`` from the story's sum of squares
        (``n`` times their root mean square norm), cached as :meth:`_norm` caches norms."""
        version = len(story.members)

        def compute() -> float:
            # sum(v * idf(t) ** 2 for t, v in story.squares.items()), over the arrays
            terms, _, squares = packed(story)
            idf = self._idf_of(terms)
            return math.sqrt(version * float(np.dot(squares, idf * idf)))

        return self._kept("q:" + story.sid, version, compute)

    def _post_doc(self, posting: OrderedDict[str, None], article_id: str) -> None:
        """:meth:`_post` for an article posting list. An article that no such list holds any more is
        never compared with again: its vector, norm and embedding are let go (unless ``revisit``,
        which scores a lone story's member again, may still read them)."""
        if article_id not in posting:
            self._doc_refs[article_id] = self._doc_refs.get(article_id, 0) + 1
        posting[article_id] = None
        posting.move_to_end(article_id)
        while len(posting) > self.max_postings:
            gone, _ = posting.popitem(last=False)
            left = self._doc_refs[gone] - 1
            if left:
                self._doc_refs[gone] = left
                continue
            del self._doc_refs[gone]
            if not self.revisit:
                self._docs.drop(gone)
                self._norms.pop("d:" + gone, None)
                self._emb.pop(gone, None)

    def _post(self, posting: OrderedDict[str, None], sid: str) -> None:
        posting[sid] = None
        posting.move_to_end(sid)
        while len(posting) > self.max_postings:
            posting.popitem(last=False)

    # -- state -----------------------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        """The constructor arguments: a state continues only under the same ones."""
        return {
            "threshold": self.threshold,
            "window_days": self.window_days,
            "actor_weight": self.actor_weight,
            "title_weight": self.title_weight,
            "n_features": self.n_features,
            "top_terms": self.top_terms,
            "max_postings": self.max_postings,
            "max_centroid_terms": self.max_centroid_terms,
            "max_members": self.max_members,
            "knn": self.knn,
            "centroid_weight": self.centroid_weight,
            "merge_threshold": self.merge_threshold,
            "merge_min_size": self.merge_min_size,
            "embedding_weight": self.embedding_weight,
            "embedding_floor": self.embedding_floor,
            "lsh_bands": self.lsh_bands,
            "lsh_bits": self.lsh_bits,
            "merge_link": self.merge_link,
            "revisit": self.revisit,
        }

    def to_state(self) -> Arrays:
        """Everything :meth:`add` reads, as flat arrays (see :mod:`storyline.link.stories_state`)."""
        return state_arrays(self)

    @classmethod
    def from_state(cls, arrays: Arrays, *, settings: dict[str, Any] | None = None) -> StoryClusterer:
        """A clusterer continuing from :meth:`to_state`'s arrays. :class:`StateMismatch` when they
        were written by another format version, or under other ``settings`` (when given)."""
        return read_state(cls, arrays, settings=settings)
