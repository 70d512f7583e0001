"""JSON Lines (``.jsonl``, ``.ndjson``) and JSON (``.json``: an array of records or one record).

A record is a JSON object with its content in ``text`` or ``html`` (or ``content``/``body``, read as
HTML when they look like HTML) and optional metadata: ``url``, ``outlet`` (or ``source``/``site``),
``title``, ``author``, ``published`` (or ``date``/``published_at``), ``original_source`` — provenance
``given``. Origins are ``path:LINE`` (JSONL, 1-based) or ``path[INDEX]`` (a JSON array, 0-based).

A bad line (invalid JSON, not an object, no content, over the size cap) yields its error and the
next lines go on. A ``.json`` file whose first line is a complete JSON object and that has more lines is
read as JSON Lines.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..config import IngestConfig
from ..errors import InputError, MalformedInput, TooLarge
from ..model import RawDocument
from .decode import normalize_newlines
from .fetch import url_key
from .html import looks_like_html
from .text import local_source_key, metadata_from_mapping, read_capped, unreadable

logger = logging.getLogger(__name__)

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
JSON_SUFFIXES = frozenset({".json"})

_ALIASES: dict[str, tuple[str, ...]] = {
    "outlet": ("source", "site"),
    "published": ("date", "published_at"),
}
_CONTENT_KEYS = frozenset({"text", "html", "content", "body"})


def _type_name(value: object) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


def record_to_document(
    record: Any, *, origin: str, path: Path, root: Path, ref: str
) -> RawDocument | MalformedInput:
    """One decoded JSON record → a :class:`RawDocument` (kind ``jsonl``), or why it cannot be one.

    ``ref`` distinguishes records of one file in the source key when the record has no URL.
    """
    if not isinstance(record, dict):
        return MalformedInput(origin, f"record is not a JSON object (got {_type_name(record)})")
    text: str | None = None
    html: str | None = None
    for key in ("text", "html", "content", "body"):  # text first: it needs no extraction
        value = record.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        if key == "html" or (key in ("content", "body") and looks_like_html(value)):
            html = normalize_newlines(value)
        else:
            text = normalize_newlines(value)
        break
    if text is None and html is None:
        return MalformedInput(origin, "record has no 'text' or 'html' field (nor 'content' or 'body')")
    meta = metadata_from_mapping(record, evidence=origin, aliases=_ALIASES, skip=_CONTENT_KEYS)
    key = url_key(meta.get("url")) or local_source_key(path, root=root, outlet=meta.get("outlet"), suffix=ref)
    return RawDocument(origin=origin, source_key=key, kind="jsonl", text=text or "", html=html, meta=meta)


def read_jsonl_file(path: Path, *, root: Path, config: IngestConfig) -> Iterator[RawDocument | InputError]:
    """Records of a ``.jsonl`` file, one per non-blank line; each bad line is its own error."""
    name = str(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield unreadable(name, exc)
        return
    with fh:
        for n, line in enumerate(fh, start=1):
            origin = f"{name}:{n}"
            if len(line) > config.max_bytes:
                yield TooLarge(
                    origin, f"record of {len(line):,} bytes, over the {config.max_bytes:,}-byte cap"
                )
                continue
            if n == 1:
                line = line.removeprefix(b"\xef\xbb\xbf")
            if not line.strip():
                continue
            try:
                record = json.loads(line.decode("utf-8").rstrip("\r\n"))
            except UnicodeDecodeError:
                yield MalformedInput(origin, "invalid JSON: not UTF-8")
                continue
            except json.JSONDecodeError as exc:
                yield MalformedInput(origin, f"invalid JSON: {exc.msg} (column {exc.colno})")
                continue
            yield record_to_document(record, origin=origin, path=path, root=root, ref=f":{n}")


def read_json_file(path: Path, *, root: Path, config: IngestConfig) -> Iterator[RawDocument | InputError]:
    """Records of a ``.json`` file: an array of records, one record, or (leniently) JSON Lines."""
    name = str(path)
    try:
        data = read_capped(path, config=config)
    except InputError as err:
        yield err
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        yield MalformedInput(name, "invalid JSON: not UTF-8")
        return
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        first = text.lstrip().split("\n", 1)[0]
        try:
            looks_jsonl = isinstance(json.loads(first), dict) and "\n" in text.strip()
        except json.JSONDecodeError:
            looks_jsonl = False
        if looks_jsonl:
            yield from read_jsonl_file(path, root=root, config=config)
        else:
            yield MalformedInput(name, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    if isinstance(doc, list):
        for i, record in enumerate(doc):
            yield record_to_document(record, origin=f"{name}[{i}]", path=path, root=root, ref=f"[{i}]")
    else:
        yield record_to_document(doc, origin=name, path=path, root=root, ref="")
