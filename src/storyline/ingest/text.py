"""Plain-text files (``.txt``, ``.text``, ``.md``) and their sidecars.

A sidecar is ``NAME.json`` next to ``NAME.txt`` (or ``NAME.html``): a JSON object with any of ``url``,
``outlet``, ``published``, ``title``, ``author``, ``original_source`` — publisher-supplied metadata,
provenance ``given``, evidence ``"sidecar NAME.json"``. Other scalar keys go to ``Metadata.extra``.
A sidecar that is not valid JSON (or not an object) yields a :class:`~storyline.errors.MalformedInput`
naming the sidecar, and the document is still yielded without it: nothing is lost.

The source key of a local file is its canonical URL when the sidecar gives one, else
``f"{outlet or 'local'}:{relative path}"`` with the path relative to the input root as given (the
directory given, a glob's fixed prefix, or the file's own directory), so ingesting the same file again
gives the same key wherever the command runs from.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..config import IngestConfig
from ..errors import EmptyInput, InputError, MalformedInput, TooLarge, UnreadableInput
from ..model import Metadata, MetaValue, RawDocument
from .decode import decode_bytes
from .fetch import canonical_url, url_key

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
SIDECAR_FIELDS = ("url", "outlet", "published", "title", "author", "original_source")
SIDECAR_OWNERS = (".txt", ".text", ".md", ".html", ".htm")


def unreadable(origin: str, exc: OSError) -> UnreadableInput:
    """The one-line error for a file that cannot be opened or read."""
    if isinstance(exc, FileNotFoundError):
        return UnreadableInput(origin, "no such file or directory")
    if isinstance(exc, IsADirectoryError):
        return UnreadableInput(origin, "is a directory, expected a file")
    if isinstance(exc, PermissionError):
        return UnreadableInput(origin, "permission denied")
    return UnreadableInput(origin, f"cannot read: {exc.strerror or exc}")


def read_capped(path: Path, *, config: IngestConfig) -> bytes:
    """The bytes of ``path``; the size is checked against ``config.max_bytes`` before reading.

    Raises :class:`UnreadableInput`, :class:`TooLarge` or :class:`EmptyInput` (an empty file).
    """
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > config.max_bytes:
            raise TooLarge(origin, f"{size:,} bytes, over the {config.max_bytes:,}-byte cap")
        if size == 0:
            raise EmptyInput(origin, "empty file")
        with path.open("rb") as fh:
            data = fh.read(config.max_bytes + 1)
    except OSError as exc:
        raise unreadable(origin, exc) from None
    if len(data) > config.max_bytes:  # the file grew while we looked
        raise TooLarge(origin, f"more than {config.max_bytes:,} bytes, over the cap")
    return data


def sidecar_path(path: Path) -> Path:
    return path.with_suffix(".json")


def is_sidecar(path: Path) -> bool:
    """Whether ``path`` is a ``NAME.json`` sitting next to a ``NAME.txt``/``.html``/… it describes."""
    return path.suffix.lower() == ".json" and any(
        path.with_suffix(ext).is_file() for ext in (*SIDECAR_OWNERS, *(e.upper() for e in SIDECAR_OWNERS))
    )


def read_sidecar(path: Path) -> tuple[Metadata, MalformedInput | None]:
    """The metadata of ``path``'s sidecar: ``(Metadata(), None)`` when there is none, and the error
    (with empty metadata) when it is broken."""
    side = sidecar_path(path)
    if not side.is_file():
        return Metadata(), None
    try:
        raw = side.read_bytes().decode("utf-8-sig")
        data = json.loads(raw)
    except UnicodeDecodeError:
        return Metadata(), MalformedInput(str(side), "sidecar is not UTF-8 JSON")
    except json.JSONDecodeError as exc:
        return Metadata(), MalformedInput(
            str(side), f"invalid JSON sidecar: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        )
    except OSError as exc:
        return Metadata(), MalformedInput(str(side), f"cannot read sidecar: {exc.strerror or exc}")
    if not isinstance(data, dict):
        return Metadata(), MalformedInput(
            str(side), f"sidecar must be a JSON object, got {type(data).__name__}"
        )
    return metadata_from_mapping(data, evidence=f"sidecar {side.name}"), None


def metadata_from_mapping(
    data: dict[str, object],
    *,
    evidence: str,
    aliases: dict[str, tuple[str, ...]] | None = None,
    skip: frozenset[str] = frozenset(),
) -> Metadata:
    """``Metadata`` (provenance ``given``) from a JSON object; ``aliases`` maps a field to alternative
    keys tried in order; other scalar keys (not in ``skip``) go to ``extra``."""
    aliases = aliases or {}
    values: dict[str, Any] = {}
    used: set[str] = set(skip)
    for name in SIDECAR_FIELDS:
        for key in (name, *aliases.get(name, ())):
            value = data.get(key)
            if isinstance(value, bool) or value is None:
                continue
            if isinstance(value, str | int | float) and str(value).strip():
                text = str(value).strip()
                if name == "url" and text.lower().startswith(("http://", "https://")):
                    text = canonical_url(text)
                values[name] = MetaValue(value=text, provenance="given", evidence=f"{evidence}: {key}")
                used.add(key)
                break
    extra = tuple(
        sorted(
            (k, str(v))
            for k, v in data.items()
            if k not in used and k not in SIDECAR_FIELDS and isinstance(v, str | int | float)
        )
    )
    return Metadata(**values, extra=extra)


def local_source_key(path: Path, *, root: Path, outlet: str | None, suffix: str = "") -> str:
    """``f"{outlet or 'local'}:{path relative to root}{suffix}"`` (POSIX separators)."""
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = path.name
    return f"{outlet or 'local'}:{rel}{suffix}"


def read_text_file(path: Path, *, root: Path, config: IngestConfig) -> Iterator[RawDocument | InputError]:
    """One text file (plus its sidecar) → a text :class:`RawDocument`, or the error."""
    origin = str(path)
    try:
        data = read_capped(path, config=config)
        decoded = decode_bytes(data, origin=origin)
    except InputError as err:
        yield err
        return
    if not decoded.text.strip():
        yield EmptyInput(origin, "empty file (only whitespace)")
        return
    meta, sidecar_error = read_sidecar(path)
    if sidecar_error is not None:
        yield sidecar_error
    key = url_key(meta.get("url")) or local_source_key(path, root=root, outlet=meta.get("outlet"))
    yield RawDocument(
        origin=origin,
        source_key=key,
        kind="text",
        text=decoded.text,
        meta=meta,
        encoding_note=decoded.note,
    )
