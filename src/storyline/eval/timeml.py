"""A small reader for TimeML ``.tml`` files (TempEval-3 TBAQ, platinum).

The document text is the content of ``<TEXT>`` with every tag removed and XML
entities decoded; TIMEX3 offsets index that text. The document creation time (DCT)
comes from ``<DCT><TIMEX3 functionInDocument="CREATION_TIME" …>`` and is not part of
the text (it is not scored).
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from storyline.errors import MalformedInput

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["GoldTimex", "TimeMLDoc", "read_timeml", "parse_timeml"]

_TEXT_RE = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_DCT_RE = re.compile(r"<DCT>\s*<TIMEX3([^>]*)>", re.S)
_ATTR_RE = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"')
_PIECE_RE = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>|&[#\w]+;|[^<&]+|[<&]", re.S)


@dataclass(frozen=True, kw_only=True, slots=True)
class GoldTimex:
    """One TIMEX3 of a TimeML document; ``start``/``end`` index ``TimeMLDoc.text``."""

    start: int
    end: int
    text: str
    tid: str
    type: str
    value: str
    mod: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class TimeMLDoc:
    doc_id: str
    text: str
    dct: date | None
    dct_value: str | None
    timexes: tuple[GoldTimex, ...]


def _attrs(raw: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in _ATTR_RE.findall(raw)}


def _parse_dct(value: str | None) -> date | None:
    if not value:
        return None
    m = re.match(r"(\d{4})-?(\d{2})-?(\d{2})", value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_timeml(source: str, *, doc_id: str = "") -> TimeMLDoc:
    """Parse TimeML markup into text, DCT and gold TIMEX3 spans."""
    m = _TEXT_RE.search(source)
    if m is None:
        raise MalformedInput(doc_id or "<timeml>", "no <TEXT> element")
    body = m.group(1)
    if not doc_id:
        dm = re.search(r"<DOCID>(.*?)</DOCID>", source, re.S)
        doc_id = dm.group(1).strip() if dm else ""
    dct_value: str | None = None
    dm2 = _DCT_RE.search(source)
    if dm2:
        dct_value = _attrs(dm2.group(1)).get("value")
    out: list[str] = []
    length = 0
    open_timex: list[tuple[dict[str, str], int]] = []
    timexes: list[GoldTimex] = []
    for piece in _PIECE_RE.finditer(body):
        tag = piece.group(2)
        if tag is not None:
            closing, self_closing = piece.group(1) == "/", piece.group(4) == "/"
            if tag == "TIMEX3":
                if closing:
                    if open_timex:
                        attrs, start = open_timex.pop()
                        timexes.append(
                            GoldTimex(
                                start=start,
                                end=length,
                                text="".join(out)[start:length],
                                tid=attrs.get("tid", ""),
                                type=attrs.get("type", ""),
                                value=attrs.get("value", ""),
                                mod=attrs.get("mod") or None,
                            )
                        )
                elif not self_closing:
                    open_timex.append((_attrs(piece.group(3)), length))
            continue
        chunk = piece.group(0)
        if chunk.startswith("&"):
            chunk = html.unescape(chunk)
        out.append(chunk)
        length += len(chunk)
    text = "".join(out)
    timexes.sort(key=lambda t: (t.start, t.end))
    return TimeMLDoc(
        doc_id=doc_id, text=text, dct=_parse_dct(dct_value), dct_value=dct_value, timexes=tuple(timexes)
    )


def read_timeml(path: Path) -> TimeMLDoc:
    """Read one ``.tml`` file."""
    return parse_timeml(path.read_text(encoding="utf-8"), doc_id=path.stem)
