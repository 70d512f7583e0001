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
  ``(top_terms + len(actors)) * max_postings`` stories and ``top_terms * max_postings`` articles whatever
  the corpus size (never all pairs); ``candidates_examined`` counts them.
- optional **merging** (``merge_threshold``): after an add, the story's centroid is compared with the
  blocked candidate stories of at least ``merge_min_size`` members; above the threshold the younger story
  is merged into the older one (its id then resolves to the older id through :meth:`resolve`). Off by
  default: on ECB+ it chained unrelated stories at every threshold tried (0.10–0.20).

- optional **sentence embeddings** (``add(..., embedding=)``, e.g. :func:`storyline.embed.encode` of
  :func:`embedding_text`): wherever both sides have one, a text cosine ``c`` becomes
  ``(1 - embedding_weight) * c + embedding_weight * max(0, (e - embedding_floor) / (1 - embedding_floor))``
  with ``e`` the embedding cosine (with the story's summed embedding, or with a member's for the knn
  part); the floor cuts the cosine that unrelated news texts reach anyway (on ECB+, 95 % of the pairs of
  documents from different topics are under 0.26). Blocking adds random-hyperplane LSH buckets of the
  embedding (``lsh_bands`` keys of ``lsh_bits`` signs; fixed seed) pointing to stories.
- optional **average-link merging** (``merge_link``, embeddings only): after an add, the story is merged
  with the candidate story whose members have the highest mean pairwise embedding cosine with its own
  (``sum_a · sum_b / (n_a n_b)``, cheap from the summed embeddings) when that mean reaches ``merge_link``;
  one close pair cannot chain two stories. :data:`EMBEDDING_DEFAULTS` (``threshold`` 0.2, weight 0.5,
  floor 0.3, ``merge_link`` 0.3) were tuned on the odd ECB+ topics (see :mod:`storyline.eval.ecbplus`).
- IDF-weighted norms of stored vectors are cached and recomputed when the vector changes or the corpus
  has grown by ``NORM_REFRESH`` - 1 (20 %) since; dot products use the current IDF.

The article joins the best-scoring candidate when ``score >= threshold`` (ties: the older story), else it
starts a story whose id is ``story-`` + 10 hex digits of SHA-256 of its first member's id (stable).

State for the store: :meth:`StoryClusterer.to_state` gives numpy arrays (no pickled objects) with
a format version and the settings, :meth:`StoryClusterer.from_state` rebuilds a clusterer that
continues exactly where the first one stopped (same IDF, cached norms, posting-list order, story
sums); an earlier article that has dropped out of every article posting list is never compared
with again, so its vector is left out. A state of another version or other settings is refused
with a :class:`StateMismatch` (the caller rebuilds). :mod:`storyline.link.state` keeps it in the
store.

Order sensitivity: the result is deterministic for a given insertion order but, as in any single-pass
clustering, not independent of it — an article compared with a story before or after that story grew may
land differently, and the IDF estimate evolves. Insert in a fixed order (published date, then id) for
reproducible runs; :func:`storyline.eval.ecbplus.evaluate_ecbplus` reports the effect of shuffling.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import HashingVectorizer

from ..errors import UsageError
from .packing import (
    Arrays,
    StateMismatch,
    header,
    items,
    pack_postings,
    pack_vectors,
    read_header,
    strings,
    unpack_postings,
    unpack_vectors,
)

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

Vector = dict[int, float]
Embedding = npt.NDArray[np.float32]

STATE_VERSION = 1  # of StoryClusterer.to_state; bump when the arrays or their meaning change
PLANES_SEED = 20250601  # the random hyperplanes of the embedding LSH
NORM_REFRESH = 1.2  # a cached vector norm is recomputed once the corpus grew by 20 %

# the clusterer's settings when articles carry embeddings (tuned on the odd ECB+ topics 1-35)
EMBEDDING_DEFAULTS: dict[str, Any] = {
    "threshold": 0.2,
    "embedding_weight": 0.5,
    "embedding_floor": 0.3,
    "merge_link": 0.3,
}


def embedding_text(text: str, *, title: str | None = None, lines: int = 3, max_chars: int = 1000) -> str:
    """What is embedded for an article: its title and its first ``lines`` non-empty lines (the lead),
    cut at a word boundary to ``max_chars`` (the model reads about 256 word pieces)."""
    head = [line.strip() for line in text.splitlines() if line.strip()][:lines]
    if title and title.strip() and (not head or head[0] != title.strip()):
        head.insert(0, title.strip())
    out = "\n".join(head)
    if len(out) > max_chars:
        cut = out.rfind(" ", 0, max_chars + 1)
        out = out[: cut if cut > 0 else max_chars]
    return out


def embeddings_wanted(flag: bool | None = None) -> bool:
    """Whether story clustering uses sentence embeddings: ``flag`` if given, else the environment
    variable ``STORYLINE_EMBEDDINGS`` (``1``/``true``/``yes``; off by default: loading the model takes
    about 20 s). Asking for them without the extra installed raises a :class:`UsageError`."""
    if flag is None:
        flag = os.environ.get("STORYLINE_EMBEDDINGS", "").strip().lower() in {"1", "true", "yes", "on"}
    if flag:
        from .. import embed

        if not embed.available():
            raise UsageError(f"story embeddings need the optional extra: {embed.INSTALL_HINT}")
    return flag


def clusterer_for(*, embeddings: bool) -> StoryClusterer:
    """A story clusterer with the defaults tuned for text alone or for text with embeddings."""
    if embeddings:
        return StoryClusterer(**EMBEDDING_DEFAULTS)
    return StoryClusterer()


def story_id_for(first_member: str) -> str:
    """``story-`` + 10 hex digits of the SHA-256 of the first member's id."""
    return "story-" + hashlib.sha256(first_member.encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True, kw_only=True, slots=True)
class StoryMatch:
    """Why an article went where it went (see :meth:`StoryClusterer.explain`)."""

    story_id: str
    score: float
    cosine: float
    actor_share: float
    gap_days: int | None
    new: bool
    embedding_cosine: float | None = None


@dataclass(slots=True)
class _Story:
    sid: str
    members: list[str] = field(default_factory=list)
    centroid: Vector = field(default_factory=dict)
    actors: dict[str, int] = field(default_factory=dict)
    first: date | None = None
    last: date | None = None
    seq: int = 0  # creation order, for ties
    emb_sum: Embedding | None = None  # sum of the members' embeddings (those that have one)
    emb_n: int = 0  # members with an embedding


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
        knn: int = 1,
        centroid_weight: float = 0.5,
        merge_threshold: float | None = None,
        merge_min_size: int = 2,
        embedding_weight: float = 0.5,
        embedding_floor: float = 0.3,
        lsh_bands: int = 16,
        lsh_bits: int = 8,
        merge_link: float | None = None,
    ) -> None:
        self.threshold = threshold
        self.window_days = window_days
        self.actor_weight = actor_weight
        self.title_weight = title_weight
        self.top_terms = top_terms
        self.max_postings = max_postings
        self.max_centroid_terms = max_centroid_terms
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
        self._planes: Embedding | None = None  # random hyperplanes, drawn for the first embedding
        self._emb: dict[str, Embedding] = {}
        self._norms: dict[str, tuple[int, int, float]] = {}  # key -> (version, n_docs then, norm)
        self._lsh_postings: dict[tuple[int, int], OrderedDict[str, None]] = {}
        self._merged_into: dict[str, str] = {}
        self._docs: dict[str, Vector] = {}
        self._doc_postings: dict[int, OrderedDict[str, None]] = {}
        self.n_features = n_features
        self._vectorizer = HashingVectorizer(
            n_features=n_features,
            alternate_sign=False,
            norm=None,
            stop_words="english",
            lowercase=True,
        )
        self._df: dict[int, int] = {}
        self._n_docs = 0
        self._stories: dict[str, _Story] = {}
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

    def _idf(self, term: int) -> float:
        return math.log((self._n_docs + 1) / (self._df.get(term, 0) + 1)) + 1.0

    @staticmethod
    def _dot(twice: Vector, raw: Vector) -> float:
        """``weighted · idf(raw)`` given ``twice`` = the weighted article times the IDF once more;
        only the article's terms are looked at."""
        return sum(v * raw[t] for t, v in twice.items() if t in raw)

    def _norm(self, key: str, raw: Vector, version: int) -> float:
        """The IDF-weighted norm of ``raw``, kept until ``version`` changes or the corpus grows by
        ``NORM_REFRESH`` - 1 (the IDF drifts slowly: recomputing it at every comparison would cost the
        whole centroid each time)."""
        cached = self._norms.get(key)
        if cached is not None and cached[0] == version and self._n_docs <= cached[1] * NORM_REFRESH:
            return cached[2]
        norm = math.sqrt(sum((v * self._idf(t)) ** 2 for t, v in raw.items()))
        self._norms[key] = (version, self._n_docs, norm)
        return norm

    def _weighted(self, vec: Vector) -> tuple[Vector, float]:
        out = {t: v * self._idf(t) for t, v in vec.items()}
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
        self._n_docs += 1
        tf = {t: 1.0 + math.log(c) for t, c in counts.items()}
        tf_norm = math.sqrt(sum(v * v for v in tf.values())) or 1.0
        tf = {t: v / tf_norm for t, v in tf.items()}
        doc_w, doc_norm = self._weighted(tf)
        top = sorted(doc_w, key=lambda t: (-doc_w[t], t))[: self.top_terms]
        actor_set = sorted(set(actors))

        twice = {t: v * self._idf(t) for t, v in doc_w.items()}
        member_sims = self._member_sims(top, twice, doc_norm, emb)
        keys = self._lsh_keys(emb)
        best: StoryMatch | None = None
        best_seq = 0
        candidates = self._candidates(top, actor_set, member_sims, keys)
        for sid in candidates:
            story = self._stories[sid]
            match = self._score(story, twice, doc_norm, published, actor_set, member_sims.get(sid, []), emb)
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
            story = _Story(sid=story_id_for(article_id), seq=len(self._stories))
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
        if self.merge_threshold is not None:
            story = self._maybe_merge(story)
        if self.merge_link is not None and story.emb_sum is not None:
            story = self._maybe_merge_linked(story, candidates)
        return story.sid

    def _live(self, sid: str) -> str:
        while sid in self._merged_into:
            sid = self._merged_into[sid]
        return sid

    def _maybe_merge_linked(self, story: _Story, candidates: Iterable[str]) -> _Story:
        """Merge ``story`` with the candidate story of highest **average link** (mean embedding cosine
        over all pairs of their members: ``sum_a . sum_b / (n_a * n_b)``) when it reaches ``merge_link``.
        Unlike a centroid test, one close pair of members cannot pull two stories together (no chaining)."""
        assert self.merge_link is not None and story.emb_sum is not None
        n_story = self._embedded_count(story)
        best: tuple[float, int, _Story] | None = None
        for sid in dict.fromkeys(self._live(c) for c in candidates):
            other = self._stories.get(sid)
            if other is None or other is story or other.emb_sum is None:
                continue
            link = float(story.emb_sum @ other.emb_sum) / (n_story * self._embedded_count(other))
            if best is None or link > best[0] or (link == best[0] and other.seq < best[1]):
                best = (link, other.seq, other)
        if best is None or best[0] < self.merge_link:
            return story
        return self._merge(story, best[2], best[0])

    def _embedded_count(self, story: _Story) -> int:
        return story.emb_n or 1

    def _maybe_merge(self, story: _Story) -> _Story:
        """Merge ``story`` with the most similar other story when their centroids are close enough."""
        if self.merge_threshold is None or len(story.members) < self.merge_min_size:
            return story
        cen_w, cen_norm = self._weighted(story.centroid)
        if cen_norm == 0:
            return story
        top = sorted(cen_w, key=lambda t: (-cen_w[t], t))[: self.top_terms]
        seen: dict[str, None] = {}
        for t in top:
            for sid in self._postings.get(t, ()):
                live = self._live(sid)
                if live != story.sid:
                    seen[live] = None
        self.candidates_examined += len(seen)
        best: tuple[float, int, _Story] | None = None
        for sid in seen:
            other = self._stories[sid]
            if len(other.members) < self.merge_min_size:
                continue
            o_w, o_norm = self._weighted(other.centroid)
            if o_norm == 0:
                continue
            small, large = (cen_w, o_w) if len(cen_w) <= len(o_w) else (o_w, cen_w)
            cos = sum(v * large.get(t, 0.0) for t, v in small.items()) / (cen_norm * o_norm)
            if story.first and story.last and other.first and other.last:
                gap = max(0, (story.first - other.last).days, (other.first - story.last).days)
                if gap > self.window_days > 0:
                    cos *= 0.5 ** ((gap - self.window_days) / self.window_days)
            if best is None or cos > best[0] or (cos == best[0] and other.seq < best[1]):
                best = (cos, other.seq, other)
        if best is None or best[0] < self.merge_threshold:
            return story
        return self._merge(story, best[2], best[0])

    def _merge(self, story: _Story, other: _Story, score: float) -> _Story:
        """The younger of the two stories joins the older one, which is returned."""
        keep, gone = (other, story) if other.seq < story.seq else (story, other)
        keep.members.extend(gone.members)
        for aid in gone.members:
            self._story_of[aid] = keep.sid
        for t, v in gone.centroid.items():
            keep.centroid[t] = keep.centroid.get(t, 0.0) + v
        for a, n in gone.actors.items():
            keep.actors[a] = keep.actors.get(a, 0) + n
        if gone.emb_sum is not None:
            keep.emb_sum = gone.emb_sum.copy() if keep.emb_sum is None else keep.emb_sum + gone.emb_sum
            keep.emb_n += gone.emb_n
        dates = [d for d in (keep.first, keep.last, gone.first, gone.last) if d is not None]
        keep.first, keep.last = (min(dates), max(dates)) if dates else (None, None)
        del self._stories[gone.sid]
        self._merged_into[gone.sid] = keep.sid
        logger.debug("story %s merged into %s (%.3f)", gone.sid, keep.sid, score)
        return keep

    def _normalized(self, article_id: str, embedding: npt.ArrayLike | None) -> Embedding | None:
        if embedding is None:
            return None
        vec = np.asarray(embedding, dtype=np.float32).ravel()
        norm = float(np.linalg.norm(vec))
        if not math.isfinite(norm) or norm == 0.0:
            raise ValueError(f"article {article_id!r}: embedding is zero or not finite")
        if self._planes is None:
            self._planes = self._draw_planes(vec.size)
        elif self._planes.shape[1] != vec.size:
            raise ValueError(
                f"article {article_id!r}: embedding has {vec.size} dimensions, "
                f"earlier ones had {self._planes.shape[1]}"
            )
        return vec / norm

    def _draw_planes(self, dim: int) -> Embedding:
        rng = np.random.default_rng(PLANES_SEED)  # fixed: the same buckets in every run
        planes: Embedding = rng.standard_normal((self.lsh_bands * self.lsh_bits, dim)).astype(np.float32)
        return planes

    def _lsh_keys(self, emb: Embedding | None) -> list[tuple[int, int]]:
        """Random-hyperplane LSH buckets of an embedding: ``lsh_bands`` keys of ``lsh_bits`` signs each."""
        if emb is None or self._planes is None or self.lsh_bands == 0:
            return []
        bits = (self._planes @ emb > 0).reshape(self.lsh_bands, self.lsh_bits)
        weights = 1 << np.arange(self.lsh_bits, dtype=np.int64)
        return [(band, int(code)) for band, code in enumerate(bits.astype(np.int64) @ weights)]

    def _member_sims(
        self, top: Iterable[int], twice: Vector, doc_norm: float, emb: Embedding | None = None
    ) -> dict[str, list[float]]:
        """Similarity of the article with the earlier articles sharing one of its top terms, by story:
        the text cosine, or with embeddings on both sides the combined similarity (see ``_combine``)."""
        found: dict[str, None] = {}
        for t in top:
            for aid in self._doc_postings.get(t, ()):
                found[aid] = None
        out: dict[str, list[float]] = {}
        if doc_norm == 0:
            return out
        for aid in found:
            other = self._docs[aid]
            other_norm = self._norm("d:" + aid, other, 0)
            if other_norm == 0:
                continue
            cos = self._dot(twice, other) / (doc_norm * other_norm)
            other_emb = self._emb.get(aid)
            if emb is not None and other_emb is not None:
                cos = self._combine(cos, float(emb @ other_emb))
            out.setdefault(self._story_of[aid], []).append(cos)
        self.candidates_examined += len(found)
        return out

    def _candidates(
        self,
        top: Iterable[int],
        actors: Iterable[str],
        member_sims: dict[str, list[float]],
        keys: Iterable[tuple[int, int]] = (),
    ) -> list[str]:
        seen: dict[str, None] = dict.fromkeys(member_sims)
        for key in keys:
            for sid in self._lsh_postings.get(key, ()):
                seen[self._live(sid)] = None
        for t in top:
            for sid in self._postings.get(t, ()):
                seen[self._live(sid)] = None
        for a in actors:
            for sid in self._actor_postings.get(a, ()):
                seen[self._live(sid)] = None
        self.candidates_examined += len(seen)
        return list(seen)

    def _score(
        self,
        story: _Story,
        twice: Vector,
        doc_norm: float,
        published: date | None,
        actors: Sequence[str],
        member_sims: Sequence[float],
        emb: Embedding | None = None,
    ) -> StoryMatch:
        cen_norm = self._norm("s:" + story.sid, story.centroid, len(story.members))
        if doc_norm == 0 or cen_norm == 0:
            cosine = 0.0
        else:
            cosine = self._dot(twice, story.centroid) / (doc_norm * cen_norm)
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
        lifted = max(0.0, (emb_cos - self.embedding_floor) / (1.0 - self.embedding_floor))
        return (1.0 - self.embedding_weight) * text_cos + self.embedding_weight * lifted

    def _join(
        self,
        story: _Story,
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
        cen = story.centroid
        for t, v in tf.items():
            cen[t] = cen.get(t, 0.0) + v
        if len(cen) > 2 * self.max_centroid_terms:
            keep = sorted(cen, key=lambda t: (-cen[t] * self._idf(t), t))[: self.max_centroid_terms]
            story.centroid = {t: cen[t] for t in keep}
        for a in actors:
            story.actors[a] = story.actors.get(a, 0) + 1
        if published is not None:
            story.first = published if story.first is None else min(story.first, published)
            story.last = published if story.last is None else max(story.last, published)
        self._docs[article_id] = tf
        for t in top:
            self._post(self._postings.setdefault(t, OrderedDict()), story.sid)
            self._post(self._doc_postings.setdefault(t, OrderedDict()), article_id)
        for a in actors:
            self._post(self._actor_postings.setdefault(a, OrderedDict()), story.sid)

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
            "knn": self.knn,
            "centroid_weight": self.centroid_weight,
            "merge_threshold": self.merge_threshold,
            "merge_min_size": self.merge_min_size,
            "embedding_weight": self.embedding_weight,
            "embedding_floor": self.embedding_floor,
            "lsh_bands": self.lsh_bands,
            "lsh_bits": self.lsh_bits,
            "merge_link": self.merge_link,
        }

    def to_state(self) -> Arrays:
        """Everything :meth:`add` reads, as flat arrays (see :mod:`storyline.link.packing`).

        Articles that no article posting list holds any more are never compared with again: their
        term vectors, norms and embeddings are left out."""
        live = {aid for posting in self._doc_postings.values() for aid in posting}
        doc_ids = [a for a in self._docs if a in live]
        stories = list(self._stories.values())
        norm_keys = [
            k for k in self._norms if (k[2:] in live if k.startswith("d:") else k[2:] in self._stories)
        ]
        dim = 0 if self._planes is None else int(self._planes.shape[1])
        emb_ids = [a for a in doc_ids if a in self._emb]
        with_sum = [s for s in stories if s.emb_sum is not None]
        matches = list(self._matches.items())
        out: Arrays = {
            "header": header(
                {
                    "kind": "stories",
                    "version": STATE_VERSION,
                    "settings": self.settings(),
                    "n_docs": self._n_docs,
                    "candidates_examined": self.candidates_examined,
                    "embedding_dim": dim,
                }
            ),
            "df_terms": np.array(list(self._df), dtype=np.int64),
            "df_counts": np.array(list(self._df.values()), dtype=np.int64),
            **pack_vectors("doc", doc_ids, [self._docs[a] for a in doc_ids]),
            "emb_ids": strings(emb_ids),
            "emb_vectors": np.array([self._emb[a] for a in emb_ids], dtype=np.float32).reshape(
                len(emb_ids), dim
            ),
            "norm_keys": strings(norm_keys),
            "norm_versions": np.array([self._norms[k][0] for k in norm_keys], dtype=np.int64),
            "norm_docs": np.array([self._norms[k][1] for k in norm_keys], dtype=np.int64),
            "norm_values": np.array([self._norms[k][2] for k in norm_keys], dtype=np.float64),
            **pack_postings("post", self._postings, key_kind="int"),
            **pack_postings("dpost", self._doc_postings, key_kind="int"),
            **pack_postings("apost", self._actor_postings, key_kind="str"),
            **pack_postings("lpost", self._lsh_postings, key_kind="pair"),
            "merged_from": strings(self._merged_into),
            "merged_into": strings(self._merged_into.values()),
            "story_ids": strings(s.sid for s in stories),
            "story_seq": np.array([s.seq for s in stories], dtype=np.int64),
            "story_first": np.array(
                [s.first.toordinal() if s.first else -1 for s in stories], dtype=np.int64
            ),
            "story_last": np.array([s.last.toordinal() if s.last else -1 for s in stories], dtype=np.int64),
            "story_emb_n": np.array([s.emb_n for s in stories], dtype=np.int64),
            "story_member_counts": np.array([len(s.members) for s in stories], dtype=np.int64),
            "story_members": strings(m for s in stories for m in s.members),
            "story_actor_counts": np.array([len(s.actors) for s in stories], dtype=np.int64),
            "story_actors": strings(a for s in stories for a in s.actors),
            "story_actor_n": np.array([n for s in stories for n in s.actors.values()], dtype=np.int64),
            **pack_vectors("cen", [s.sid for s in stories], [s.centroid for s in stories]),
            "emb_sum_ids": strings(s.sid for s in with_sum),
            "emb_sums": np.array([s.emb_sum for s in with_sum], dtype=np.float32).reshape(len(with_sum), dim),
            "match_ids": strings(a for a, _ in matches),
            "match_story": strings(m.story_id for _, m in matches),
            "match_score": np.array([m.score for _, m in matches], dtype=np.float64),
            "match_cosine": np.array([m.cosine for _, m in matches], dtype=np.float64),
            "match_share": np.array([m.actor_share for _, m in matches], dtype=np.float64),
            "match_gap": np.array(
                [-1 if m.gap_days is None else m.gap_days for _, m in matches], dtype=np.int64
            ),
            "match_new": np.array([m.new for _, m in matches], dtype=np.bool_),
            "match_emb": np.array(
                [np.nan if m.embedding_cosine is None else m.embedding_cosine for _, m in matches],
                dtype=np.float64,
            ),
        }
        return out

    @classmethod
    def from_state(cls, arrays: Arrays, *, settings: dict[str, Any] | None = None) -> StoryClusterer:
        """A clusterer continuing from :meth:`to_state`'s arrays. :class:`StateMismatch` when they
        were written by another format version, or under other ``settings`` (when given)."""
        try:
            head = read_header(arrays["header"])
        except KeyError:
            raise StateMismatch("story state has no header") from None
        if head.get("kind") != "stories" or head.get("version") != STATE_VERSION:
            raise StateMismatch(
                f"story state version {head.get('version')!r} (this storyline reads {STATE_VERSION})"
            )
        stored = dict(head["settings"])
        if settings is not None and stored != settings:
            changed = sorted(k for k in set(stored) | set(settings) if stored.get(k) != settings.get(k))
            raise StateMismatch(f"story state was built with other settings ({', '.join(changed)})")
        try:
            return cls._filled(cls(**stored), head, arrays)
        except (KeyError, ValueError, TypeError) as exc:
            raise StateMismatch(f"story state is incomplete: {exc!r}") from exc

    @staticmethod
    def _filled(c: StoryClusterer, head: dict[str, Any], arrays: Arrays) -> StoryClusterer:
        c._n_docs = int(head["n_docs"])
        c.candidates_examined = int(head["candidates_examined"])
        dim = int(head["embedding_dim"])
        if dim:
            c._planes = c._draw_planes(dim)
        c._df = dict(zip(items(arrays["df_terms"]), items(arrays["df_counts"]), strict=True))
        c._docs = dict(unpack_vectors("doc", arrays))
        c._emb = {a: arrays["emb_vectors"][i].copy() for i, a in enumerate(items(arrays["emb_ids"]))}
        c._norms = {
            k: (v, n, x)
            for k, v, n, x in zip(
                items(arrays["norm_keys"]),
                items(arrays["norm_versions"]),
                items(arrays["norm_docs"]),
                items(arrays["norm_values"]),
                strict=True,
            )
        }
        c._postings = unpack_postings("post", arrays, key_kind="int")
        c._doc_postings = unpack_postings("dpost", arrays, key_kind="int")
        c._actor_postings = unpack_postings("apost", arrays, key_kind="str")
        c._lsh_postings = unpack_postings("lpost", arrays, key_kind="pair")
        c._merged_into = dict(zip(items(arrays["merged_from"]), items(arrays["merged_into"]), strict=True))
        members = items(arrays["story_members"])
        actors = items(arrays["story_actors"])
        actor_n = items(arrays["story_actor_n"])
        emb_sums = {s: arrays["emb_sums"][i].copy() for i, s in enumerate(items(arrays["emb_sum_ids"]))}
        centroids = unpack_vectors("cen", arrays)
        pos = apos = 0
        rows = zip(
            items(arrays["story_ids"]),
            items(arrays["story_seq"]),
            items(arrays["story_first"]),
            items(arrays["story_last"]),
            items(arrays["story_emb_n"]),
            items(arrays["story_member_counts"]),
            items(arrays["story_actor_counts"]),
            centroids,
            strict=True,
        )
        for sid, seq, first, last, emb_n, n_members, n_actors, (_, centroid) in rows:
            story = _Story(
                sid=sid,
                members=members[pos : pos + n_members],
                centroid=centroid,
                actors=dict(
                    zip(actors[apos : apos + n_actors], actor_n[apos : apos + n_actors], strict=True)
                ),
                first=None if first < 0 else date.fromordinal(first),
                last=None if last < 0 else date.fromordinal(last),
                seq=seq,
                emb_sum=emb_sums.get(sid),
                emb_n=emb_n,
            )
            pos += n_members
            apos += n_actors
            c._stories[sid] = story
            for aid in story.members:
                c._story_of[aid] = sid
        for aid, sid, score, cos, share, gap, new, emb in zip(
            items(arrays["match_ids"]),
            items(arrays["match_story"]),
            items(arrays["match_score"]),
            items(arrays["match_cosine"]),
            items(arrays["match_share"]),
            items(arrays["match_gap"]),
            items(arrays["match_new"]),
            items(arrays["match_emb"]),
            strict=True,
        ):
            c._matches[aid] = StoryMatch(
                story_id=sid,
                score=score,
                cosine=cos,
                actor_share=share,
                gap_days=None if gap < 0 else gap,
                new=bool(new),
                embedding_cosine=None if math.isnan(emb) else emb,
            )
        return c
