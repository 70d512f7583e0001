"""The records of story clustering (:mod:`storyline.link.stories`): a match, a story, a story's id.

:class:`StoryMatch` is what :meth:`~storyline.link.stories.StoryClusterer.explain` returns;
:class:`Story` is the clusterer's own mutable record of one story (members, centroid, actors,
date range, summed embedding), shared with :mod:`storyline.link.stories_state`, which writes and
reads it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

__all__ = ["Embedding", "Story", "StoryMatch", "Vector", "story_id_for"]

Vector = dict[int, float]
Embedding = npt.NDArray[np.float32]


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
