"""The syndication index's bounds: work per add that does not grow with copies of one text."""

from __future__ import annotations

import random

import pytest

from storyline.link.dedup import SyndicationIndex

_VOCAB = [f"w{i}" for i in range(5000)]


def _text(rng: random.Random, n: int = 300) -> str:
    return " ".join(rng.choice(_VOCAB) for _ in range(n))


def _edit(rng: random.Random, text: str, share: float) -> str:
    words = text.split(" ")
    for i in rng.sample(range(len(words)), int(len(words) * share)):
        words[i] = rng.choice(_VOCAB)
    return " ".join(words)


WIRE = _text(random.Random(1))


def test_many_copies_of_one_wire_all_join_one_group_with_bounded_checks() -> None:
    rng = random.Random(2)
    index = SyndicationIndex(max_candidates=8, max_bucket=16)
    results = [
        index.add(f"c{i:03d}", _edit(rng, WIRE, 0.01), published=f"2025-01-01T{i // 60:02d}:{i % 60:02d}")
        for i in range(300)
    ]
    # every copy joins: one group whose origin is the earliest
    assert index.groups() == {"c000": tuple(f"c{i:03d}" for i in range(300))}
    # every earlier copy collides, but at most 8 are verified per add, whatever the group's size
    assert [r.candidates for r in results] == list(range(9)) + [8] * 291
    assert index.candidates_examined == 36 + 8 * 291
    # the buckets keep their latest 16 members
    sizes = [len(bucket) for band in index._bands for bucket in band.values()]
    assert max(sizes) == 16
    assert all(list(b) == sorted(b)[-len(b) :] for band in index._bands for b in band.values())
    # without the bounds the 300th copy verifies the 299 before it
    free = SyndicationIndex(max_candidates=10_000, max_bucket=10_000)
    rng = random.Random(2)
    assert [free.add(f"c{i:03d}", _edit(rng, WIRE, 0.01)).candidates for i in range(300)][-1] == 299


def test_candidates_verified_per_add_are_capped_most_colliding_first() -> None:
    # 200 loose variants of one text (8 % of the words changed independently): they collide in LSH
    # bands but are not copies of each other; without the cap each add verifies up to 74 of them
    rng = random.Random(3)
    variants = [_edit(rng, WIRE, 0.08) for _ in range(200)]
    capped = SyndicationIndex(max_candidates=5)
    free = SyndicationIndex(max_candidates=10_000, max_bucket=10_000)
    per_add = []
    for i, text in enumerate(variants):
        per_add.append((capped.add(f"v{i:03d}", text).candidates, free.add(f"v{i:03d}", text).candidates))
    assert max(c for c, _ in per_add) == 5
    assert max(f for _, f in per_add) == 74  # the test can fail: the cap is what holds it
    assert capped.groups() == free.groups() == {}
    # a close copy and the wire find each other among the variants: they collide in the most bands
    assert capped.add("copy", _edit(rng, WIRE, 0.01)).origin_id is None
    assert capped.add("wire", WIRE, published="2025-01-01").origin_id == "wire"
    assert capped.groups() == {"wire": ("copy", "wire")}


def test_exact_duplicates_join_through_the_lowest_id_without_candidates() -> None:
    index = SyndicationIndex()
    ids = [f"x{i:02d}" for i in (5, 3, 8, 1, 9, 2)]
    results = [index.add(aid, WIRE, published="2025-01-02") for aid in ids]
    assert [r.candidates for r in results] == [0] * 6
    assert [r.match_id for r in results] == [None, "x05", "x03", "x03", "x01", "x01"]
    assert all(r.exact and r.similarity == 1.0 for r in results[1:])
    assert index.groups() == {"x01": ("x01", "x02", "x03", "x05", "x08", "x09")}
    # x01 (lowest id, same date) took over as origin: the members linked to x03 before moved
    assert results[3].relinked == ("x03", "x05", "x08")


def test_bounded_tables_round_trip_through_the_arrays() -> None:
    rng = random.Random(4)
    index = SyndicationIndex(max_candidates=4, max_bucket=3)
    for i in range(40):
        index.add(f"d{i:02d}", _edit(rng, WIRE, 0.02), published="2025-02-01")
    again = SyndicationIndex.from_arrays(index.to_arrays())
    assert again._bands == index._bands and max(len(b) for band in again._bands for b in band.values()) == 3
    assert (
        again.settings()
        == index.settings()
        == {
            "jaccard_threshold": 0.7,
            "containment_threshold": 0.8,
            "lsh_threshold": 0.4,
            "min_overlap_shingles": 20,
            "max_candidates": 4,
            "max_bucket": 3,
        }
    )
    assert (
        again.add("new", _edit(rng, WIRE, 0.01)).origin_id
        == index.add("new", _edit(rng, WIRE, 0.01)).origin_id
    )


@pytest.mark.parametrize(
    ("kwargs", "got"), [({"max_candidates": 0}, "0, 128"), ({"max_bucket": 0}, "256, 0")]
)
def test_bounds_must_be_positive(kwargs: dict[str, int], got: str) -> None:
    with pytest.raises(
        ValueError, match=rf"^max_candidates and max_bucket must be at least 1 \(got {got}\)$"
    ):
        SyndicationIndex(**kwargs)
