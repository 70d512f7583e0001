"""The state of a :class:`~storyline.link.stories.StoryClusterer` as flat numpy arrays, and back.

:func:`state_arrays` gives everything :meth:`~storyline.link.stories.StoryClusterer.add` reads (see
:mod:`storyline.link.packing`: numbers and JSON strings, no pickled objects) under a header with
:data:`STATE_VERSION` and the clusterer's settings; :func:`read_state` rebuilds a clusterer that
continues exactly where the first one stopped (same IDF, cached norms, posting-list order, story
sums). An earlier article that has dropped out of every article posting list is never compared with
again, so its vector is left out. A state of another version or other settings is refused with a
:class:`~storyline.link.packing.StateMismatch` (the caller rebuilds).

The clusterer's methods :meth:`~storyline.link.stories.StoryClusterer.to_state` and
:meth:`~storyline.link.stories.StoryClusterer.from_state` call these; this module reads and sets
the clusterer's internal indexes directly.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

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
from .stories_embedding import draw_planes
from .stories_model import Story, StoryMatch

if TYPE_CHECKING:
    from .stories import StoryClusterer

__all__ = ["STATE_VERSION", "iter_state_arrays", "read_state", "state_arrays"]

STATE_VERSION = 2  # of StoryClusterer.to_state; bump when the arrays or their meaning change
# 2: stories carry their sum of squares (average-link merging); a version-1 state is rebuilt


def state_arrays(c: StoryClusterer) -> Arrays:
    """Everything :meth:`StoryClusterer.add` reads, as flat arrays (see :mod:`storyline.link.packing`).

    Articles that no article posting list holds any more are never compared with again: their
    term vectors, norms and embeddings are left out."""
    return dict(iter_state_arrays(c))


def iter_state_arrays(c: StoryClusterer) -> Iterator[tuple[str, npt.NDArray[Any]]]:
    """:func:`state_arrays` one group of arrays at a time, so that a writer
    (:func:`~storyline.link.packing.to_bytes`) never holds all of them with their serialization
    (the state is ≈ 4.5 KB per linked article)."""
    live = {aid for posting in c._doc_postings.values() for aid in posting}
    doc_ids = [a for a in c._docs if a in live]
    stories = list(c._stories.values())
    norm_keys = [k for k in c._norms if (k[2:] in live if k.startswith("d:") else k[2:] in c._stories)]
    dim = 0 if c._planes is None else int(c._planes.shape[1])
    emb_ids = [a for a in doc_ids if a in c._emb]
    with_sum = [s for s in stories if s.emb_sum is not None]
    matches = list(c._matches.items())
    yield (
        "header",
        header(
            {
                "kind": "stories",
                "version": STATE_VERSION,
                "settings": c.settings(),
                "n_docs": c._n_docs,
                "candidates_examined": c.candidates_examined,
                "embedding_dim": dim,
            }
        ),
    )
    yield "df_terms", np.array(list(c._df), dtype=np.int64)
    yield "df_counts", np.array(list(c._df.values()), dtype=np.int64)
    yield from _doc_arrays(c, doc_ids).items()
    yield "emb_ids", strings(emb_ids)
    yield "emb_vectors", np.array([c._emb[a] for a in emb_ids], dtype=np.float32).reshape(len(emb_ids), dim)
    yield "norm_keys", strings(norm_keys)
    yield "norm_versions", np.array([c._norms[k][0] for k in norm_keys], dtype=np.int64)
    yield "norm_docs", np.array([c._norms[k][1] for k in norm_keys], dtype=np.int64)
    yield "norm_values", np.array([c._norms[k][2] for k in norm_keys], dtype=np.float64)
    yield from pack_postings("post", c._postings, key_kind="int").items()
    yield from pack_postings("dpost", c._doc_postings, key_kind="int").items()
    yield from pack_postings("apost", c._actor_postings, key_kind="str").items()
    yield from pack_postings("lpost", c._lsh_postings, key_kind="pair").items()
    yield "merged_from", strings(c._merged_into)
    yield "merged_into", strings(c._merged_into.values())
    yield "story_ids", strings(s.sid for s in stories)
    yield "story_seq", np.array([s.seq for s in stories], dtype=np.int64)
    yield "story_first", np.array([s.first.toordinal() if s.first else -1 for s in stories], dtype=np.int64)
    yield "story_last", np.array([s.last.toordinal() if s.last else -1 for s in stories], dtype=np.int64)
    yield "story_emb_n", np.array([s.emb_n for s in stories], dtype=np.int64)
    yield "story_member_counts", np.array([len(s.members) for s in stories], dtype=np.int64)
    yield "story_members", strings(m for s in stories for m in s.members)
    yield "story_actor_counts", np.array([len(s.actors) for s in stories], dtype=np.int64)
    yield "story_actors", strings(a for s in stories for a in s.actors)
    yield "story_actor_n", np.array([n for s in stories for n in s.actors.values()], dtype=np.int64)
    yield from pack_vectors("cen", [s.sid for s in stories], [s.centroid for s in stories]).items()
    yield from pack_vectors("sq", [s.sid for s in stories], [s.squares for s in stories]).items()
    yield "emb_sum_ids", strings(s.sid for s in with_sum)
    yield "emb_sums", np.array([s.emb_sum for s in with_sum], dtype=np.float32).reshape(len(with_sum), dim)
    yield "match_ids", strings(a for a, _ in matches)
    yield "match_story", strings(m.story_id for _, m in matches)
    yield "match_score", np.array([m.score for _, m in matches], dtype=np.float64)
    yield "match_cosine", np.array([m.cosine for _, m in matches], dtype=np.float64)
    yield "match_share", np.array([m.actor_share for _, m in matches], dtype=np.float64)
    yield (
        "match_gap",
        np.array([-1 if m.gap_days is None else m.gap_days for _, m in matches], dtype=np.int64),
    )
    yield "match_new", np.array([m.new for _, m in matches], dtype=np.bool_)
    yield (
        "match_emb",
        np.array(
            [np.nan if m.embedding_cosine is None else m.embedding_cosine for _, m in matches],
            dtype=np.float64,
        ),
    )


def _doc_arrays(c: StoryClusterer, doc_ids: list[str]) -> Arrays:
    """The articles' vectors in :func:`~storyline.link.packing.pack_vectors`' layout, from their arrays."""
    rows = [c._docs.arrays(a) for a in doc_ids]
    return {
        "doc_owners": strings(doc_ids),
        "doc_counts": np.array([t.size for t, _ in rows], dtype=np.int32),
        "doc_terms": np.concatenate([t for t, _ in rows]) if rows else np.zeros(0, dtype=np.int32),
        "doc_values": np.concatenate([v for _, v in rows]) if rows else np.zeros(0, dtype=np.float64),
    }


def _read_docs(c: StoryClusterer, arrays: Arrays) -> None:
    """The articles' vectors of :func:`_doc_arrays` into the clusterer (arrays, no dicts)."""
    terms = np.asarray(arrays["doc_terms"], dtype=np.int32)
    values = np.asarray(arrays["doc_values"], dtype=np.float64)
    counts = items(arrays["doc_counts"])
    owners = items(arrays["doc_owners"])
    if len(owners) != len(counts) or sum(counts) != terms.size or terms.size != values.size:
        raise ValueError("the article vectors' counts do not match their terms")
    pos = 0
    for owner, n in zip(owners, counts, strict=True):
        c._docs.put_arrays(owner, terms[pos : pos + n].copy(), values[pos : pos + n].copy())
        pos += n


def read_state(
    cls: type[StoryClusterer], arrays: Arrays, *, settings: dict[str, Any] | None = None
) -> StoryClusterer:
    """A clusterer (of class ``cls``) continuing from :func:`state_arrays`' arrays.
    :class:`StateMismatch` when they were written by another format version, or under other
    ``settings`` (when given)."""
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
        return _filled(cls(**stored), head, arrays)
    except (KeyError, ValueError, TypeError) as exc:
        raise StateMismatch(f"story state is incomplete: {exc!r}") from exc


def _filled(c: StoryClusterer, head: dict[str, Any], arrays: Arrays) -> StoryClusterer:
    c._n_docs = int(head["n_docs"])
    c.candidates_examined = int(head["candidates_examined"])
    dim = int(head["embedding_dim"])
    if dim:
        c._planes = draw_planes(dim, bands=c.lsh_bands, bits=c.lsh_bits)
    c._df = dict(zip(items(arrays["df_terms"]), items(arrays["df_counts"]), strict=True))
    c._idf.reset(c._df, c._n_docs)
    df_terms = np.asarray(arrays["df_terms"], dtype=np.int64)
    c._df_array[df_terms] = np.asarray(arrays["df_counts"], dtype=np.int64)
    _read_docs(c, arrays)
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
    for posting in c._doc_postings.values():
        for aid in posting:
            c._doc_refs[aid] = c._doc_refs.get(aid, 0) + 1
    c._actor_postings = unpack_postings("apost", arrays, key_kind="str")
    c._lsh_postings = unpack_postings("lpost", arrays, key_kind="pair")
    c._merged_into = dict(zip(items(arrays["merged_from"]), items(arrays["merged_into"]), strict=True))
    members = items(arrays["story_members"])
    actors = items(arrays["story_actors"])
    actor_n = items(arrays["story_actor_n"])
    emb_sums = {s: arrays["emb_sums"][i].copy() for i, s in enumerate(items(arrays["emb_sum_ids"]))}
    centroids = unpack_vectors("cen", arrays)
    squares = dict(unpack_vectors("sq", arrays))
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
        story = Story(
            sid=sid,
            members=members[pos : pos + n_members],
            centroid=centroid,
            squares=squares[sid],
            actors=dict(zip(actors[apos : apos + n_actors], actor_n[apos : apos + n_actors], strict=True)),
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
