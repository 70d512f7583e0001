"""JSON Lines export: one article per line, every span with clean and raw offsets.

The schema is documented in ``docs/export.md`` and versioned by :data:`SCHEMA_VERSION`
(``MAJOR.MINOR``): adding a field bumps the minor version, removing or changing one bumps the
major version. Later stages add their results under ``annotations`` and build every span with
:func:`span_json`, so that each carries ``start, end`` into the clean text *and*
``raw_start, raw_end`` into the raw text.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from ..model import Article, MetaValue, Span

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "1.2"


def span_json(article: Article, start: int, end: int, **extra: Any) -> dict[str, Any]:
    """A span of ``article.text`` as exported: clean offsets, raw offsets, its text, and ``extra``.

    ``raw_start, raw_end`` come from the article's offset map; when the span lies in one copied
    stretch, ``article.raw[raw_start:raw_end] == article.text[start:end]``.
    """
    if not 0 <= start <= end <= len(article.text):
        raise ValueError(
            f"span [{start}, {end}) outside the text of article {article.id} ({len(article.text)})"
        )
    raw_start, raw_end = article.offsets.span_to_raw(start, end)
    out: dict[str, Any] = {
        "start": start,
        "end": end,
        "raw_start": raw_start,
        "raw_end": raw_end,
        "text": article.text[start:end],
    }
    out.update(extra)
    return out


def span_of(article: Article, span: Span, **extra: Any) -> dict[str, Any]:
    """:func:`span_json` for a :class:`~storyline.model.Span`."""
    return span_json(article, span.start, span.end, **extra)


def _meta_value(mv: MetaValue | None) -> dict[str, Any] | None:
    if mv is None:
        return None
    return {
        "value": mv.value,
        "provenance": mv.provenance,
        "confidence": mv.confidence,
        "evidence": mv.evidence,
    }


def title_span(article: Article) -> dict[str, Any] | None:
    """Where the title appears in the clean text (its first occurrence), or None."""
    title = article.title
    if not title:
        return None
    start = article.text.find(title)
    if start < 0:
        return None
    return span_json(article, start, start + len(title))


def article_json(article: Article, *, annotations: dict[str, Any] | None = None) -> dict[str, Any]:
    """One article as an export record (schema ``SCHEMA_VERSION``, see ``docs/export.md``); the
    whole stored article (ValueError for one of the linked views', which has no raw text)."""
    if not article.has_raw:
        raise ValueError(f"article {article.id} was loaded without its raw text (Article.for_views)")
    meta = article.meta
    return {
        "schema_version": SCHEMA_VERSION,
        "id": article.id,
        "source_key": article.source_key,
        "content_hash": article.content_hash,
        "revision": article.revision,
        "kind": article.kind,
        "origin": article.origin,
        "url": meta.get("url"),
        "outlet": meta.get("outlet"),
        "title": meta.get("title"),
        "title_span": title_span(article),
        "author": meta.get("author"),
        "published": _meta_value(meta.published),
        "original_source": meta.get("original_source"),
        "meta": meta.to_json(),
        "language": article.language,
        "ingested_at": article.ingested_at.isoformat() if article.ingested_at else None,
        "pipeline_version": article.pipeline_version,
        "raw": article.raw,
        "text": article.text,
        "removed": [
            {"raw_start": r.raw_start, "raw_end": r.raw_end, "reason": r.reason, "text": r.text}
            for r in article.removed
        ],
        "offsets": {
            "segments": article.offsets.to_json(),
            "clean_length": article.offsets.clean_length,
            "raw_length": article.offsets.raw_length,
        },
        "annotations": dict(annotations or {}),
    }


def export_jsonl(
    articles: Iterable[Article],
    fp: TextIO,
    *,
    annotations: Callable[[Article], dict[str, Any]] | None = None,
) -> int:
    """Write one JSON object per article to ``fp``; returns the number written."""
    n = 0
    for article in articles:
        record = article_json(article, annotations=annotations(article) if annotations else None)
        fp.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        fp.write("\n")
        n += 1
    logger.debug("exported %d articles", n)
    return n


__all__ = ["SCHEMA_VERSION", "article_json", "export_jsonl", "span_json", "span_of", "title_span"]
