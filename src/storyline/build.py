"""From a :class:`RawDocument` (what an ingest module yields) to an :class:`Article`.

::

    RawDocument ─► size cap ─► (HTML → main text + html metadata) ─► binary check ─► clean_text
                ─► metadata merge (given > front matter > html > text) ─► outlet from URL
                ─► language ─► content hash, article id ─► Article

For HTML input the extracted main text becomes ``Article.raw`` (offsets index it) and the page is
kept in ``Article.html``. Errors are raised from :mod:`storyline.errors` with ``origin`` set to
``doc.origin``.
"""

from __future__ import annotations

import importlib.util
import logging
import re
from dataclasses import fields
from typing import Any

from . import __version__
from .clean import FurnitureLexicon, clean_text, headline_key
from .config import IngestConfig
from .errors import BinaryInput, EmptyInput, TooLarge
from .lang import detect_language
from .meta import META_FIELDS, outlet_from_url
from .model import Article, Metadata, MetaValue, RawDocument, article_id, content_hash

logger = logging.getLogger(__name__)

__all__ = ["build_article", "looks_binary"]

_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_BINARY_SAMPLE = 65536


def looks_binary(text: str) -> bool:
    """Does ``text`` look like decoded binary data (NUL bytes, many control or replacement chars)?"""
    sample = text[:_BINARY_SAMPLE]
    if "\x00" in sample:
        return True
    bad = len(_CONTROL_RE.findall(sample))
    return bad > max(8, 0.02 * len(sample))


def _check_size(text: str, origin: str, limit: int, what: str) -> None:
    if len(text) * 4 <= limit:
        return
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise TooLarge(origin, f"{what} is {size:,} bytes, over the size cap of {limit:,} bytes")


def _extract_html(html: str, *, origin: str, url: str | None) -> tuple[str, Metadata]:
    if importlib.util.find_spec("storyline.ingest.html") is not None:
        from .ingest.html import extract_html  # written alongside the other source readers

        text, meta = extract_html(html, origin=origin, url=url)
        return text, meta
    logger.debug("storyline.ingest.html not available; using trafilatura directly for %s", origin)
    import trafilatura

    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False) or ""
    return text, Metadata()


def _only(meta: Metadata, provenance: str) -> Metadata:
    kwargs: dict[str, Any] = {}
    for name in META_FIELDS:
        value = getattr(meta, name)
        if value is not None and value.provenance == provenance:
            kwargs[name] = value
    return Metadata(**kwargs)


def _with_extra(meta: Metadata, extra: dict[str, str]) -> Metadata:
    kwargs: dict[str, Any] = {f.name: getattr(meta, f.name) for f in fields(meta) if f.name != "extra"}
    return Metadata(**kwargs, extra=tuple(sorted(extra.items())))


def build_article(
    doc: RawDocument, *, config: IngestConfig, lexicon: FurnitureLexicon | None = None
) -> Article:
    """Clean ``doc``, harvest and merge its metadata, detect its language, and identify it.

    Raises :class:`TooLarge` (over ``config.max_bytes``), :class:`BinaryInput`, :class:`EmptyInput`
    (fewer than ``config.min_words`` words after cleaning).
    """
    origin = doc.origin
    html_meta = Metadata()
    if doc.html is not None:
        _check_size(doc.html, origin, config.max_bytes, "the page")
        raw, html_meta = _extract_html(doc.html, origin=origin, url=doc.meta.get("url"))
    else:
        raw = doc.text
    _check_size(raw, origin, config.max_bytes, "the text")
    if looks_binary(raw):
        raise BinaryInput(origin, "the input looks like binary data, not text")

    title_hint = doc.meta.get("title") or html_meta.get("title")
    result = clean_text(raw, title=title_hint, lexicon=lexicon)
    words = len(result.text.split())
    if words < config.min_words:
        raise EmptyInput(
            origin, f"empty after cleaning ({words} words left, at least {config.min_words} needed)"
        )

    harvested = result.harvested
    meta = doc.meta.merged(_only(harvested, "given")).merged(html_meta).merged(_only(harvested, "text"))
    if meta.url is not None and (meta.outlet is None or meta.outlet.provenance == "text"):
        # the URL's domain beats an outlet guessed from the article's own furniture
        outlet = outlet_from_url(meta.url.value, provenance=meta.url.provenance)
        if outlet is not None and (meta.outlet is None or outlet.confidence > meta.outlet.confidence):
            meta = Metadata(outlet=outlet).merged(meta)
    if meta.outlet is None and meta.original_source is not None:
        # a wire credit and nothing else ("KYIV (Reuters) -"): the wire's own copy or a reprint;
        # either way the wire is who reported it, so views count it rather than an unknown outlet
        wire = meta.original_source
        outlet = MetaValue(
            value=wire.value,
            provenance="inferred",
            confidence=0.5,
            evidence=f"wire credit {wire.value!r}; the publishing outlet is unknown",
        )
        meta = Metadata(outlet=outlet).merged(meta)
    extra = dict(meta.extra)
    extra.update({k: v for k, v in harvested.extra if k not in extra})
    # the headline's span is kept only when it holds the title finally chosen
    span = result.title_span
    extra.pop("title_span", None)
    if (
        span is not None
        and meta.title is not None
        and headline_key(span.slice(result.text)) == headline_key(meta.title.value)
    ):
        extra["title_span"] = f"{span.start}:{span.end}"
    language = detect_language(result.text)
    if language.code is not None:
        extra["language_confidence"] = f"{language.confidence:.3f}"
    if doc.encoding_note:
        extra["encoding"] = doc.encoding_note
    meta = _with_extra(meta, extra)

    chash = content_hash(result.text)
    return Article(
        id=article_id(doc.source_key, chash),
        source_key=doc.source_key,
        content_hash=chash,
        raw=raw,
        text=result.text,
        offsets=result.offsets,
        removed=result.removed,
        meta=meta,
        kind=doc.kind,
        origin=origin,
        html=doc.html,
        language=language.code,
        pipeline_version=__version__,
    )
