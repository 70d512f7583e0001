"""Merging stories after an add (:mod:`storyline.link.stories`), both optional and off by default.

- :func:`maybe_merge` (``merge_threshold``): the story's IDF-weighted centroid against the blocked
  candidate stories of at least ``merge_min_size`` members, with the same soft time decay as an
  article; on ECB+ it chained unrelated stories at every threshold tried (0.10–0.20).
- :func:`maybe_merge_linked` (``merge_link``, embeddings only): the highest **average link** (mean
  embedding cosine over all pairs of members, ``sum_a · sum_b / (n_a n_b)``) among the candidates;
  one close pair of members cannot pull two stories together.
- :func:`merge`: the younger story joins the older one; its id then resolves to the older id.

These functions read and update the clusterer's internal indexes directly.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .stories_model import Story

if TYPE_CHECKING:
    from .stories import StoryClusterer

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["maybe_merge", "maybe_merge_linked", "merge"]


def maybe_merge_linked(c: StoryClusterer, story: Story, candidates: Iterable[str]) -> Story:
    """Merge ``story`` with the candidate story of highest **average link** (mean embedding cosine
    over all pairs of their members: ``sum_a . sum_b / (n_a * n_b)``) when it reaches ``merge_link``.
    Unlike a centroid test, one close pair of members cannot pull two stories together (no chaining)."""
    assert c.merge_link is not None and story.emb_sum is not None
    n_story = _embedded_count(story)
    best: tuple[float, int, Story] | None = None
    for sid in dict.fromkeys(c._live(s) for s in candidates):
        other = c._stories.get(sid)
        if other is None or other is story or other.emb_sum is None:
            continue
        link = float(story.emb_sum @ other.emb_sum) / (n_story * _embedded_count(other))
        if best is None or link > best[0] or (link == best[0] and other.seq < best[1]):
            best = (link, other.seq, other)
    if best is None or best[0] < c.merge_link:
        return story
    return merge(c, story, best[2], best[0])


def _embedded_count(story: Story) -> int:
    return story.emb_n or 1


def maybe_merge(c: StoryClusterer, story: Story) -> Story:
    """Merge ``story`` with the most similar other story when their centroids are close enough."""
    if c.merge_threshold is None or len(story.members) < c.merge_min_size:
        return story
    cen_w, cen_norm = c._weighted(story.centroid)
    if cen_norm == 0:
        return story
    top = sorted(cen_w, key=lambda t: (-cen_w[t], t))[: c.top_terms]
    seen: dict[str, None] = {}
    for t in top:
        for sid in c._postings.get(t, ()):
            live = c._live(sid)
            if live != story.sid:
                seen[live] = None
    c.candidates_examined += len(seen)
    best: tuple[float, int, Story] | None = None
    for sid in seen:
        other = c._stories[sid]
        if len(other.members) < c.merge_min_size:
            continue
        o_w, o_norm = c._weighted(other.centroid)
        if o_norm == 0:
            continue
        small, large = (cen_w, o_w) if len(cen_w) <= len(o_w) else (o_w, cen_w)
        cos = sum(v * large.get(t, 0.0) for t, v in small.items()) / (cen_norm * o_norm)
        if story.first and story.last and other.first and other.last:
            gap = max(0, (story.first - other.last).days, (other.first - story.last).days)
            if gap > c.window_days > 0:
                cos *= 0.5 ** ((gap - c.window_days) / c.window_days)
        if best is None or cos > best[0] or (cos == best[0] and other.seq < best[1]):
            best = (cos, other.seq, other)
    if best is None or best[0] < c.merge_threshold:
        return story
    return merge(c, story, best[2], best[0])


def merge(c: StoryClusterer, story: Story, other: Story, score: float) -> Story:
    """The younger of the two stories joins the older one, which is returned."""
    keep, gone = (other, story) if other.seq < story.seq else (story, other)
    keep.members.extend(gone.members)
    for aid in gone.members:
        c._story_of[aid] = keep.sid
    for t, v in gone.centroid.items():
        keep.centroid[t] = keep.centroid.get(t, 0.0) + v
    for a, n in gone.actors.items():
        keep.actors[a] = keep.actors.get(a, 0) + n
    if gone.emb_sum is not None:
        keep.emb_sum = gone.emb_sum.copy() if keep.emb_sum is None else keep.emb_sum + gone.emb_sum
        keep.emb_n += gone.emb_n
    dates = [d for d in (keep.first, keep.last, gone.first, gone.last) if d is not None]
    keep.first, keep.last = (min(dates), max(dates)) if dates else (None, None)
    del c._stories[gone.sid]
    c._merged_into[gone.sid] = keep.sid
    logger.debug("story %s merged into %s (%.3f)", gone.sid, keep.sid, score)
    return keep
