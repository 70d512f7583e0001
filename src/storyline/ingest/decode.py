"""Bytes → ``str``: how storyline decides what an input's bytes say.

The cascade, first match wins:

1. **Magic numbers / NUL bytes** — bytes that start like a PNG, JPEG, GIF, PDF, ZIP or gzip file, or
   that contain NUL bytes without a byte order mark, are :class:`~storyline.errors.BinaryInput`.
2. **Byte order mark** — UTF-8, UTF-16 (LE/BE) or UTF-32 (LE/BE) with a BOM are decoded as such; the BOM
   is dropped.
3. **UTF-8, strict** — most inputs stop here.
4. **A declared encoding** — an HTTP ``Content-Type`` charset or an HTML ``<meta charset>``, when the
   caller passes one (``latin-1``/``ascii`` labels are read as ``cp1252``, as browsers do).
5. **charset-normalizer** — a guess (cp1252 preferred when it is a close candidate); the document then carries
   ``encoding_note = "decoded as cp1252 (guessed by charset-normalizer)"`` so a reader can tell.
6. Nothing decodes → :class:`~storyline.errors.DecodeError`.

A decoded text with more than :data:`MAX_CONTROL_RATIO` control characters (other than tab, newline,
carriage return, form feed) is :class:`~storyline.errors.BinaryInput` too.

**Newlines are normalised** (``\\r\\n`` and lone ``\\r`` → ``\\n``) here, once: the text returned is the
raw text storyline stores, and every raw offset indexes it (not the bytes on disk).
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

import charset_normalizer

from ..errors import BinaryInput, DecodeError

logger = logging.getLogger(__name__)

MAX_CONTROL_RATIO = 0.05
CP1252_MARGIN = 0.1  # chaos-score margin within which cp1252 beats charset-normalizer's first guess

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
)

_NEWLINES = re.compile(r"\r\n?")
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


@dataclass(frozen=True, kw_only=True, slots=True)
class Decoded:
    """The text of some bytes, the encoding used, and a note when the encoding was a guess."""

    text: str
    encoding: str
    note: str = ""


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` → ``\\n``."""
    return _NEWLINES.sub("\n", text) if "\r" in text else text


def binary_kind(data: bytes) -> str | None:
    """What binary format ``data`` looks like, or ``None`` when it does not start like a known one."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


# Control characters other than tab/newline/VT/FF/CR, surrogates and private-use characters: what
# unicodedata calls Cc, Cs and Co, as one character class (a regex scan is ~20x faster per char).
_BAD_CHARS = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]"
)


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:100_000]
    return len(_BAD_CHARS.findall(sample)) / len(sample)


def _guess(data: bytes, *, origin: str) -> tuple[str, str]:
    """charset-normalizer's guess, nudged towards cp1252.

    On short Western text charset-normalizer often ranks cp1257/cp1250 first with cp1252 a close second
    (they differ on a few letters only). News in Western scripts is far more often cp1252, so cp1252
    wins when it is a candidate within :data:`CP1252_MARGIN` of the best guess's chaos score.
    """
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        raise DecodeError(origin, "no encoding decodes the bytes (not UTF-8, and no good guess)")
    best = matches[0]
    for match in matches:
        if match.chaos > best.chaos + CP1252_MARGIN:
            break
        if "cp1252" in match.could_be_from_charset:
            try:
                return "cp1252", data.decode("cp1252")
            except UnicodeDecodeError:
                break
    return best.encoding, str(best)


def decode_bytes(data: bytes, *, origin: str, declared: str | None = None) -> Decoded:
    """Decode ``data`` following the cascade in the module docstring; newlines normalised.

    ``declared`` is an encoding announced by the container (an HTTP ``Content-Type`` charset, an HTML
    ``<meta charset>``): tried after strict UTF-8 and before guessing; not counted as a guess.

    Raises :class:`BinaryInput` or :class:`DecodeError` (both carry ``origin``).
    """
    kind = binary_kind(data)
    if kind is not None:
        raise BinaryInput(origin, f"binary data ({kind}), not text")
    text: str | None = None
    encoding = ""
    note = ""
    bom = _bom(data)
    if bom is not None:
        encoding, skip = bom
        try:
            text = data[skip:].decode(encoding)
        except UnicodeDecodeError as exc:
            raise DecodeError(
                origin, f"byte order mark says {encoding} but the bytes are not: {exc.reason}"
            ) from None
    elif b"\x00" in data:
        raise BinaryInput(origin, "binary data (contains NUL bytes), not text")
    if text is None:
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            pass
    if text is None and declared:
        try:
            name = codecs.lookup(declared).name
            # As browsers do (WHATWG Encoding): a page labelled latin-1 or ASCII is read as windows-1252.
            name = "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name
            text = data.decode(name)
            encoding = name
        except (LookupError, UnicodeDecodeError):
            logger.debug("%s: declared encoding %r does not decode the bytes", origin, declared)
    if text is None:
        encoding, text = _guess(data, origin=origin)
        note = f"decoded as {encoding} (guessed by charset-normalizer)"
    if _control_ratio(text) > MAX_CONTROL_RATIO:
        raise BinaryInput(origin, "binary data (too many control characters), not text")
    return Decoded(text=normalize_newlines(text), encoding=encoding, note=note)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def sniff_html_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag in its first 4 KB, if any."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None
