"""JSON Lines export: fields, spans with clean and raw offsets, schema version."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.export.jsonl import SCHEMA_VERSION, article_json, export_jsonl, span_json, span_of
from storyline.model import (
    Article,
    Metadata,
    MetaValue,
    OffsetMap,
    Removed,
    Segment,
    Span,
    article_id,
    content_hash,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def cleaned(
    pieces: list[tuple[str, str | None]], *, joiner: str = ""
) -> tuple[str, str, OffsetMap, list[Removed]]:
    """Raw text from ``(piece, removal reason or None)``; the clean text keeps the unremoved pieces."""
    raw = ""
    clean = ""
    segments: list[Segment] = []
    removed: list[Removed] = []
    for piece, reason in pieces:
        if reason is None:
            if clean and joiner:
                clean += joiner
            segments.append(Segment(clean=len(clean), raw=len(raw), length=len(piece)))
            clean += piece
        else:
            removed.append(
                Removed(raw_start=len(raw), raw_end=len(raw) + len(piece), reason=reason, text=piece)
            )
        raw += piece
    return (
        raw,
        clean,
        OffsetMap(segments=tuple(segments), clean_length=len(clean), raw_length=len(raw)),
        removed,
    )


def sample() -> Article:
    raw, text, offsets, removed = cleaned(
        [
            ("Home | World | Sport\n", "navigation"),
            ("Putin Rejects Concessions\n\nRussian President Vladimir Putin said on Sunday…\n", None),
            ("Subscribe to our newsletter!\n", "boilerplate"),
            ("“We will reach our goals,” he said.\n", None),
        ]
    )
    chash = content_hash(text)
    return Article(
        id=article_id("kyiv/putin", chash),
        source_key="kyiv/putin",
        content_hash=chash,
        raw=raw,
        text=text,
        offsets=offsets,
        removed=tuple(removed),
        meta=Metadata(
            title=MetaValue(value="Putin Rejects Concessions", provenance="given", evidence="sidecar"),
            outlet=MetaValue(value="Kyiv Insider", provenance="given"),
            published=MetaValue(value="2025-05-18", provenance="text", confidence=0.8, evidence="Sunday"),
            url=MetaValue(value="https://kyivinsider.com/x", provenance="given"),
        ),
        kind="text",
        origin="examples/000.txt",
        language="en",
    )


def test_record_fields() -> None:
    article = sample()
    buf = io.StringIO()
    quote = article.text.index("“We")

    def annotations(a: Article) -> dict[str, Any]:
        return {"quotes": [span_json(a, quote, quote + 25, speaker="Putin")]}

    assert export_jsonl([article, article], buf, annotations=annotations) == 2
    lines = buf.getvalue().splitlines()
    assert len(lines) == 2
    record = json.loads(lines[0])
    assert record["schema_version"] == SCHEMA_VERSION == "1.2"
    for name in ("id", "source_key", "revision", "kind", "origin", "language"):
        assert record[name] == getattr(article, name)
    assert (record["outlet"], record["title"], record["url"], record["author"]) == (
        "Kyiv Insider",
        "Putin Rejects Concessions",
        "https://kyivinsider.com/x",
        None,
    )
    assert record["published"] == {
        "value": "2025-05-18",
        "provenance": "text",
        "confidence": 0.8,
        "evidence": "Sunday",
    }
    assert record["original_source"] is None
    assert record["raw"] == article.raw and record["text"] == article.text
    assert [r["reason"] for r in record["removed"]] == ["navigation", "boilerplate"]
    for r in record["removed"]:
        assert article.raw[r["raw_start"] : r["raw_end"]] == r["text"]
    offsets = OffsetMap.from_json(
        record["offsets"]["segments"],
        clean_length=record["offsets"]["clean_length"],
        raw_length=record["offsets"]["raw_length"],
    )
    assert offsets == article.offsets

    # the title span and every annotation span slice the raw text to the same string
    title = record["title_span"]
    assert title["text"] == "Putin Rejects Concessions"
    assert (
        record["text"][title["start"] : title["end"]] == record["raw"][title["raw_start"] : title["raw_end"]]
    )
    assert title["raw_start"] > 0  # the removed navigation shifted it
    [q] = record["annotations"]["quotes"]
    assert q["speaker"] == "Putin"
    assert record["raw"][q["raw_start"] : q["raw_end"]] == record["text"][q["start"] : q["end"]] == q["text"]
    assert q["raw_start"] != q["start"]


def test_no_annotations_is_an_empty_object() -> None:
    record = article_json(sample())
    assert record["annotations"] == {}
    assert json.loads(json.dumps(record)) == record


def test_title_not_in_text() -> None:
    article = sample().with_meta(Metadata(title=MetaValue(value="Elsewhere", provenance="html")))
    assert article_json(article)["title_span"] is None


def test_span_helpers() -> None:
    article = sample()
    assert span_of(article, Span(start=0, end=5)) == span_json(article, 0, 5)
    with pytest.raises(ValueError):
        span_json(article, 0, len(article.text) + 1)
    empty = span_json(article, 3, 3)
    assert empty["raw_start"] == empty["raw_end"]


def test_unicode_is_written_as_is() -> None:
    buf = io.StringIO()
    export_jsonl([sample()], buf)
    assert "“We will" in buf.getvalue()


@st.composite
def pieces(draw: st.DrawFn) -> list[tuple[str, str | None]]:
    parts = draw(st.lists(st.tuples(st.text(min_size=1, max_size=12), st.booleans()), min_size=1, max_size=8))
    return [(text, None if keep else "furniture") for text, keep in parts]


@settings(max_examples=100, deadline=None)
@given(parts=pieces(), data=st.data())
def test_spans_inside_one_segment_slice_raw_identically(
    parts: list[tuple[str, str | None]], data: st.DataObject
) -> None:
    raw, text, offsets, removed = cleaned(parts)
    article = Article(
        id="x" * 16,
        source_key="k",
        content_hash="h",
        raw=raw,
        text=text,
        offsets=offsets,
        removed=tuple(removed),
    )
    for seg in offsets.segments:
        start = data.draw(st.integers(seg.clean, seg.clean + seg.length))
        end = data.draw(st.integers(start, seg.clean + seg.length))
        s = span_json(article, start, end)
        assert raw[s["raw_start"] : s["raw_end"]] == text[start:end]
    # and any span's raw offsets stay inside the raw text, in order
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    s = span_json(article, start, end)
    assert 0 <= s["raw_start"] <= s["raw_end"] <= len(raw)


def test_examples_export_slices_raw(tmp_path: Path) -> None:
    """The real pipeline on ``examples/``: removed spans and the title span slice the raw text."""
    pytest.importorskip("storyline.build")
    from storyline.corpus import open as open_corpus

    with open_corpus(tmp_path / "x.db") as corpus:
        corpus.add(EXAMPLES)
        buf = io.StringIO()
        assert corpus.export(buf) == 5
    titled = 0
    for line in buf.getvalue().splitlines():
        record = json.loads(line)
        raw, text = record["raw"], record["text"]
        for r in record["removed"]:
            assert raw[r["raw_start"] : r["raw_end"]] == r["text"]
        span = record["title_span"]
        if span is not None:
            titled += 1
            assert (
                raw[span["raw_start"] : span["raw_end"]]
                == text[span["start"] : span["end"]]
                == record["title"]
            )
        for seg_clean, seg_raw, length in record["offsets"]["segments"]:
            assert text[seg_clean : seg_clean + length] == raw[seg_raw : seg_raw + length]
    assert titled >= 1


def test_an_article_of_the_views_keeps_text_offsets_and_metadata_but_not_its_sources() -> None:
    article = replace(sample(), html="<html><body>" + "x" * 5000 + "</body></html>")
    light = article.for_views()
    assert (light.raw, light.html, light.removed) == ("", None, ())
    assert (light.text, light.offsets, light.meta, light.id) == (
        article.text,
        article.offsets,
        article.meta,
        article.id,
    )
    assert article.has_raw and not light.has_raw
    quote = article.text.index("“We")
    assert span_json(light, quote, quote + 3) == span_json(article, quote, quote + 3)  # raw offsets kept
    with pytest.raises(ValueError, match=f"article {article.id} was loaded without its raw text"):
        article_json(light)


def test_the_corpus_views_keep_no_page_and_the_export_still_writes_the_raw_text(tmp_path: Path) -> None:
    pytest.importorskip("storyline.build")
    from storyline.corpus import open as open_corpus

    page = tmp_path / "page.html"
    paragraph = "Negotiators from both sides met in Istanbul on Friday to discuss a ceasefire. " * 3
    page.write_text(
        "<html><head><title>Talks in Istanbul</title></head><body><nav>Home | World</nav>"
        f"<article><h1>Talks in Istanbul</h1><p>{paragraph}</p><p>{paragraph}</p></article>"
        "<footer>Subscribe to our newsletter</footer></body></html>",
        encoding="utf-8",
    )
    with open_corpus(tmp_path / "x.db") as corpus:
        assert corpus.add([page]).ok
        stored = next(corpus.articles())
        assert stored.html is not None and stored.raw
        linked = corpus._linked()[2][stored.id]
        assert (linked.raw, linked.html, linked.text) == ("", None, stored.text)
        buf = io.StringIO()
        assert corpus.export(buf) == 1
    record = json.loads(buf.getvalue())
    assert record["raw"] == stored.raw and record["text"] == stored.text
