from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.model import (
    Metadata,
    MetaValue,
    OffsetMap,
    Segment,
    Span,
    article_id,
    content_hash,
)


def test_span_rejects_negative_and_reversed() -> None:
    with pytest.raises(ValueError):
        Span(start=-1, end=2)
    with pytest.raises(ValueError):
        Span(start=5, end=2)
    assert Span(start=2, end=5).slice("abcdefg") == "cde"


def test_dataclasses_are_frozen() -> None:
    span = Span(start=0, end=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 3  # type: ignore[misc]


def test_identity_map() -> None:
    m = OffsetMap.identity(10)
    assert [m.to_raw(i) for i in range(11)] == list(range(11))
    assert m.span_to_raw(2, 5) == (2, 5)
    assert m.to_clean(4) == 4


def test_map_with_gap_and_inserted_newline() -> None:
    raw = "HEADLINE\nAD AD AD\nbody text"
    # clean = "HEADLINE" + "\n" (inserted) + "body text"
    clean = raw[0:8] + "\n" + raw[18:]
    m = OffsetMap(
        segments=(Segment(clean=0, raw=0, length=8), Segment(clean=9, raw=18, length=9)),
        clean_length=len(clean),
        raw_length=len(raw),
    )
    assert clean == "HEADLINE\nbody text"
    start = clean.index("body")
    rs, re_ = m.span_to_raw(start, start + 4)
    assert raw[rs:re_] == "body"
    assert m.to_raw(8) == 8  # the inserted newline maps to the end of the first stretch
    assert m.to_clean(10) is None  # "AD" was removed
    assert m.to_clean(18) == 9
    with pytest.raises(ValueError):
        m.to_raw(len(clean) + 1)


def test_offset_map_json_round_trip() -> None:
    m = OffsetMap(segments=(Segment(clean=0, raw=3, length=4),), clean_length=4, raw_length=9)
    again = OffsetMap.from_json(m.to_json(), clean_length=4, raw_length=9)
    assert again == m


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(1, 8)), min_size=1, max_size=12))
def test_offset_map_round_trips_on_generated_layouts(layout: list[tuple[int, int]]) -> None:
    """Build raw = gap+kept+gap+kept…, clean = kept joined by one inserted char; every kept char maps back."""
    raw_parts: list[str] = []
    clean_parts: list[str] = []
    segments: list[Segment] = []
    raw_pos = clean_pos = 0
    for k, (gap, keep) in enumerate(layout):
        raw_parts.append("#" * gap)
        raw_pos += gap
        if k:
            clean_parts.append("\n")
            clean_pos += 1
        chunk = "".join(chr(ord("a") + (raw_pos + j) % 26) for j in range(keep))
        segments.append(Segment(clean=clean_pos, raw=raw_pos, length=keep))
        raw_parts.append(chunk)
        clean_parts.append(chunk)
        raw_pos += keep
        clean_pos += keep
    raw, clean = "".join(raw_parts), "".join(clean_parts)
    m = OffsetMap(segments=tuple(segments), clean_length=len(clean), raw_length=len(raw))
    for seg in segments:
        for i in range(seg.clean, seg.clean + seg.length):
            r = m.to_raw(i)
            assert raw[r] == clean[i]
            assert m.to_clean(r) == i
        rs, re_ = m.span_to_raw(seg.clean, seg.clean + seg.length)
        assert raw[rs:re_] == clean[seg.clean : seg.clean + seg.length]
    for i in range(len(clean) + 1):
        assert 0 <= m.to_raw(i) <= len(raw)


def test_content_hash_ignores_whitespace_and_nfkc() -> None:
    assert content_hash("a  b\n\nc") == content_hash("a b c")
    assert content_hash("ﬁre") == content_hash("fire")
    assert content_hash("Fire") != content_hash("fire")


def test_article_id_depends_on_source_and_content() -> None:
    h = content_hash("same text")
    assert article_id("a.com/x", h) != article_id("b.com/x", h)
    assert article_id("a.com/x", h) == article_id("a.com/x", h)
    assert len(article_id("a.com/x", h)) == 16


def test_metadata_merge_prefers_self_and_round_trips() -> None:
    given_meta = Metadata(title=MetaValue(value="Given", provenance="given"))
    text_meta = Metadata(
        title=MetaValue(value="From text", provenance="text", confidence=0.6),
        published=MetaValue(value="2025-05-19T09:11:00+05:30", provenance="text", evidence="Last Updated"),
    )
    merged = given_meta.merged(text_meta)
    assert merged.get("title") == "Given"
    assert merged.published is not None and merged.published.provenance == "text"
    assert Metadata.from_json(merged.to_json()) == merged
