"""Merging stories after an add (:mod:`storyline.link.stories`), by **average link** with guards
against chaining. Both merges are optional:

- ``merge_threshold``: the mean text cosine over all pairs of members (:func:`text_link`), estimated
  from the stories' sums without visiting members;
- ``merge_link`` (embeddings): the mean embedding cosine over all pairs of members (:func:`embedding_link`:
  ``sum_a · sum_b / (n_a n_b)``).

The story the article joined is compared with the stories the article itself was blocked to (the
``MERGE_CANDIDATES`` best scored, so the work is bounded). It merges with the best one when:

- the link reaches the threshold (an average: one close pair of members cannot pull two stories
  together, unlike single link or a centroid cosine, which favours a diffuse story);
- both stories have at least ``merge_min_size`` members: a new singleton was just refused by the join
  rule and may not come in through the back door (on ECB+ such singletons seeded chains of
  violent-crime topics);
- for the text link, the stories are close in time (the join rule's soft decay applies to the gap
  between their date ranges); an embedding link of 0.3 over all pairs is strong enough evidence on
  its own (a story that pauses for months and resumes, e.g. peace talks, is still one story).

:func:`revisit` (``revisit``): deferred joins of lone articles into a story that has grown.

:func:`merge`: the younger story joins the older one; its id then resolves to the older id.
These functions read and update the clusterer's internal indexes directly.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from .stories_model import Story, packed

if TYPE_CHECKING:
    from .stories import StoryClusterer

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "MERGE_CANDIDATES",
    "embedding_link",
    "maybe_merge",
    "merge",
    "revisit",
    "text_link",
    "text_links",
]

MERGE_CANDIDATES = 16  # stories a merge looks at: the best scored for the article just added

Link = Callable[["StoryClusterer", Story, Story], float | None]


def text_link(c: StoryClusterer, a: Story, b: Story) -> float | None:
    """Mean IDF-weighted text cosine over all pairs of members of ``a`` and ``b``.

    With ``C`` a story's centroid (sum of unit term vectors) and ``Q`` its sum of squares, the sum of
    the pair dot products is ``Σ_t C_a[t] C_b[t] idf(t)²`` and ``sqrt(n Σ_t Q[t] idf(t)²)`` is ``n``
    times the members' root mean square weighted norm: their quotient is the mean pair cosine when
    the members' norms are equal (the current IDF is used throughout)."""
    small, large = (a, b) if len(a.centroid) <= len(b.centroid) else (b, a)
    s_terms, s_cen, _ = packed(small)
    l_terms, l_cen, _ = packed(large)
    in_small, in_large = c._overlap(s_terms, l_terms)
    idf = c._idf_of(s_terms[in_small])
    dot = float(np.dot(s_cen[in_small] * l_cen[in_large], idf * idf))
    spread = c._spread(a) * c._spread(b)
    return dot / spread if spread > 0 else None


def text_links(c: StoryClusterer, story: Story, others: Sequence[Story]) -> list[float | None]:
    """:func:`text_link` of ``story`` with each of ``others``, with the same floats to the last bit:
    ``story``'s terms are placed once (not once per candidate when ``story`` is the larger) and
    their IDF computed once, and each pair's shared terms are taken in the smaller story's order,
    as :func:`text_link` does (``tests/test_stories.py`` checks the equality)."""
    if not others:
        return []
    terms, cen, _ = packed(story)
    if c._slots is None:
        c._slots = np.zeros(c.n_features, dtype=np.int32)
    slots = c._slots
    spread = c._spread(story)
    story_idf = c._idf_of(terms)
    out: list[float | None] = []
    slots[terms] = np.arange(1, terms.size + 1, dtype=np.int32)
    try:
        for other in others:
            o_terms, o_cen, _ = packed(other)
            place = slots[o_terms]
            hit = np.flatnonzero(place)
            at = (place[hit] - 1).astype(np.intp)
            if len(story.centroid) <= len(other.centroid):  # ``story`` is the smaller: its order
                order = np.argsort(at, kind="stable")
                in_small, in_large = at[order], hit[order]
                small_cen, large_cen = cen, o_cen
                in_story = in_small
            else:
                in_small, in_large = hit, at
                small_cen, large_cen = o_cen, cen
                in_story = at
            # the IDF of a shared term is the same whichever array it is read from: the story's,
            # computed once (an elementwise ``np.log``, the same value at any place)
            idf = story_idf[in_story]
            dot = float(np.dot(small_cen[in_small] * large_cen[in_large], idf * idf))
            both = spread * c._spread(other)
            out.append(dot / both if both > 0 else None)
    finally:
        slots[terms] = 0
    return out


def embedding_link(c: StoryClusterer, a: Story, b: Story) -> float | None:
    """Mean embedding cosine over all pairs of members (``sum_a · sum_b / (n_a n_b)``)."""
    if a.emb_sum is None or b.emb_sum is None:
        return None
    return float(a.emb_sum @ b.emb_sum) / ((a.emb_n or 1) * (b.emb_n or 1))


def maybe_merge(c: StoryClusterer, story: Story, candidates: Sequence[str]) -> Story:
    """Merge ``story`` into or with one of ``candidates`` (story ids, best scored first) when the
    text link or the embedding link says so (see the module docstring); returns the live story."""
    if len(story.members) < c.merge_min_size:
        return story
    pool: dict[str, Story] = {}
    for sid in candidates:
        other = c._stories.get(c._live(sid))
        if other is not None and other is not story and len(other.members) >= c.merge_min_size:
            pool.setdefault(other.sid, other)
        if len(pool) >= MERGE_CANDIDATES:
            break
    c.candidates_examined += len(pool)
    for link, threshold, decay in (
        (text_link, c.merge_threshold, True),
        (embedding_link, c.merge_link, False),
    ):
        if threshold is None:
            continue
        found = _best(c, story, list(pool.values()), link, decay=decay)
        if found is not None and found[0] >= threshold:
            return merge(c, story, found[1], found[0])
    return story


def _best(
    c: StoryClusterer, story: Story, others: Sequence[Story], link: Link, *, decay: bool
) -> tuple[float, Story] | None:
    best: tuple[float, Story] | None = None
    others = [o for o in others if o is not story]
    if link is text_link:  # all at once, the same values
        values = text_links(c, story, others)
    else:
        values = [link(c, story, other) for other in others]
    for other, value in zip(others, values, strict=True):
        if value is None or math.isnan(value):
            continue
        if decay:
            value *= _decay(c, story, other)
        if best is None or value > best[0] or (value == best[0] and other.seq < best[1].seq):
            best = (value, other)
    return best


def _decay(c: StoryClusterer, a: Story, b: Story) -> float:
    """The join rule's soft time decay, for the gap between two stories' date ranges."""
    if a.first is None or a.last is None or b.first is None or b.last is None:
        return 1.0
    gap = max(0, (a.first - b.last).days, (b.first - a.last).days)
    if gap > c.window_days > 0:
        return float(0.5 ** ((gap - c.window_days) / c.window_days))
    return 1.0


def revisit(c: StoryClusterer, story: Story, ranked: Sequence[str]) -> Story:
    """Deferred joins: the articles left alone in a story of their own among ``ranked`` (the
    candidates of the article just added, best first; at most ``revisit`` of them) are scored
    again against ``story``, which has grown since they were refused, and join it when they pass
    the join rule now. A decision no longer depends on whether an article came before or after
    the story grew."""
    looked = 0
    for sid in ranked:
        if looked >= c.revisit:
            break
        lone = c._stories.get(c._live(sid))
        if lone is None or lone is story or len(lone.members) != 1:
            continue
        looked += 1
        aid = lone.members[0]
        tf = c._docs.get(aid)
        if tf is None:
            continue
        doc_w, doc_norm = c._weighted(tf)
        if doc_norm == 0:
            continue
        twice = {t: v * c._idf(t) for t, v in doc_w.items()}
        top = sorted(doc_w, key=lambda t: (-doc_w[t], t))[: c.top_terms]
        emb = c._emb.get(aid)
        sims = c._member_sims(top, twice, doc_norm, emb, doc_w).get(story.sid, [])
        match = c._score(story, twice, doc_norm, lone.first, sorted(lone.actors), sims, emb)
        if match.score >= c.threshold:
            story = merge(c, story, lone, match.score)
    return story


def merge(c: StoryClusterer, story: Story, other: Story, score: float) -> Story:
    """The younger of the two stories joins the older one, which is returned."""
    keep, gone = (other, story) if other.seq < story.seq else (story, other)
    keep.members.extend(gone.members)
    for aid in gone.members:
        c._story_of[aid] = keep.sid
    for t, v in gone.centroid.items():
        keep.centroid[t] = keep.centroid.get(t, 0.0) + v
    for t, v in gone.squares.items():
        keep.squares[t] = keep.squares.get(t, 0.0) + v
    for a, n in gone.actors.items():
        keep.actors[a] = keep.actors.get(a, 0) + n
    if gone.emb_sum is not None:
        keep.emb_sum = gone.emb_sum.copy() if keep.emb_sum is None else keep.emb_sum + gone.emb_sum
        keep.emb_n += gone.emb_n
    dates = [d for d in (keep.first, keep.last, gone.first, gone.last) if d is not None]
    keep.first, keep.last = (min(dates), max(dates)) if dates else (None, None)
    keep.changed()
    c._trim(keep)
    del c._stories[gone.sid]
    c._merged_into[gone.sid] = keep.sid
    logger.debug("story %s merged into %s (%.3f)", gone.sid, keep.sid, score)
    return keep
