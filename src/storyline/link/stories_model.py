"""The records of story clustering (:mod:`storyline.link.stories`): a match, a story, a story's id.

:class:`StoryMatch` is what :meth:`~storyline.link.stories.StoryClusterer.explain` returns;
:class:`Story` is the clusterer's own mutable record of one story (members, centroid, actors,
date range, summed embedding), shared with :mod:`storyline.link.stories_state`, which writes and
reads it; :func:`packed` a story's centroid as arrays (cached on the story until it changes);
:class:`DocVectors` the articles' term vectors, kept as arrays.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

__all__ = [
    "DocVectors",
    "Embedding",
    "IdfTable",
    "Packed",
    "Story",
    "StoryMatch",
    "Vector",
    "packed",
    "story_id_for",
]

Vector = dict[int, float]
Embedding = npt.NDArray[np.float32]
Terms = npt.NDArray[np.int32]
Weights = npt.NDArray[np.float64]
Packed = tuple[npt.NDArray[np.int64], Weights, Weights]


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
class Story:
    """One story while it is clustered (mutable: it grows with each member and each merge)."""

    sid: str
    members: list[str] = field(default_factory=list)
    centroid: Vector = field(default_factory=dict)  # sum of the members' unit term vectors
    squares: Vector = field(default_factory=dict)  # sum of their squares (same terms as the centroid)
    actors: dict[str, int] = field(default_factory=dict)
    first: date | None = None
    last: date | None = None
    seq: int = 0  # creation order, for ties
    emb_sum: Embedding | None = None  # sum of the members' embeddings (those that have one)
    emb_n: int = 0  # members with an embedding
    packed: Packed | None = None  # the centroid and squares as arrays (:func:`packed`); None: stale

    def changed(self) -> None:
        """The centroid or the squares changed: their arrays are made again when next needed."""
        self.packed = None


def packed(story: Story) -> Packed:
    """A story's centroid as arrays ``(terms, centroid values, squares)`` in the centroid's order,
    kept on a story of several members until :meth:`Story.changed` (the merge test and the norms
    read a story many times between two changes of it). A lone article's arrays are not kept: they
    are cheap to make again, and most stories of a large corpus are lone articles (keeping them
    would double the memory of their centroids)."""
    if story.packed is not None:
        return story.packed
    n = len(story.centroid)
    squares = story.squares
    arrays = (
        np.fromiter(story.centroid.keys(), dtype=np.int64, count=n),
        np.fromiter(story.centroid.values(), dtype=np.float64, count=n),
        np.fromiter(map(squares.get, story.centroid, repeat(0.0)), dtype=np.float64, count=n),
    )
    if len(story.members) > 1:
        story.packed = arrays
    return arrays


class DocVectors(Mapping[str, Vector]):
    """The articles' term vectors (``article id -> {term: weight}``), each kept as two arrays (terms,
    weights) in the vector's own order: a dict of a few hundred terms takes about five times the
    memory, and the arrays of many articles concatenate for one vectorised comparison
    (:meth:`arrays`). Reading an item gives the vector as a dict, in its order."""

    __slots__ = ("_rows",)

    def __init__(self) -> None:
        self._rows: dict[str, tuple[Terms, Weights]] = {}

    def put(self, article_id: str, vector: Mapping[int, float]) -> None:
        n = len(vector)
        self._rows[article_id] = (
            np.fromiter(vector.keys(), dtype=np.int32, count=n),
            np.fromiter(vector.values(), dtype=np.float64, count=n),
        )

    def put_arrays(self, article_id: str, terms: Terms, weights: Weights) -> None:
        if terms.shape != weights.shape:
            raise ValueError(f"article {article_id!r}: {terms.size} terms but {weights.size} weights")
        self._rows[article_id] = (terms.astype(np.int32, copy=False), weights.astype(np.float64, copy=False))

    def arrays(self, article_id: str) -> tuple[Terms, Weights]:
        return self._rows[article_id]

    def drop(self, article_id: str) -> None:
        self._rows.pop(article_id, None)

    def __getitem__(self, article_id: str) -> Vector:
        terms, weights = self._rows[article_id]
        return dict(zip(terms.tolist(), weights.tolist(), strict=True))

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


class IdfTable(dict[int, float]):
    """``table(term)``: the IDF ``log((N + 1) / (df + 1)) + 1`` of a term for ``N`` documents with the
    document frequencies ``df``, computed on first use and kept until :meth:`reset` (the clusterer
    resets it whenever ``N`` changes). A call is a dict lookup (``dict.__getitem__``, a missing
    term goes through :meth:`__missing__`), several times cheaper than a method: the merging and the
    norms ask for millions of IDFs."""

    __slots__ = ("df", "n_docs")

    def __init__(self, df: dict[int, int], n_docs: int) -> None:
        super().__init__()
        self.df = df
        self.n_docs = n_docs

    def reset(self, df: dict[int, int], n_docs: int) -> None:
        self.clear()
        self.df = df
        self.n_docs = n_docs

    def __missing__(self, term: int) -> float:
        value = self[term] = math.log((self.n_docs + 1) / (self.df.get(term, 0) + 1)) + 1.0
        return value

    if TYPE_CHECKING:

        def __call__(self, term: int) -> float: ...

    else:
        __call__ = dict.__getitem__
