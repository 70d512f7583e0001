"""Find quoted stretches in a text: a pure, linear scan over quotation marks.

Rules (news conventions):

- Double quotes open and close a quotation: curly ``“ ”`` (also ``„ «  »``), straight ``"`` and the
  doubled apostrophe ``''`` of some wire feeds, whose direction is told from its neighbours (after a
  space, an opening bracket, a dash or at a line start it opens; otherwise it closes).
- Single quotes ``‘ ’`` only count *inside* an open double quotation (a nested quote); outside they are
  apostrophes or headline quotes and are ignored.
- A paragraph (a line) that ends inside an open quotation continues it when the next non-empty paragraph
  starts with an opening mark: the quotation spans both paragraphs (the repeated opening mark is kept
  inside the content).
- Recovery: a quotation still open at the end of its paragraph (and not continued) is closed there, and an
  opening mark met while a quotation is open closes the open one just before it. A closing mark with no
  opening mark is ignored. The rest of the text is never lost.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["QuoteMark", "QuotedSpan", "find_quoted_spans"]

OPENERS = frozenset("“„«")
CLOSERS = frozenset("”»")
STRAIGHT = '"'
_OPEN_CONTEXT = frozenset(" \t\n\r([{—–-/:")
# the only characters the scan acts on (line breaks, double marks, single marks): it jumps between them
_SCAN_RE = re.compile("[\n" + re.escape("".join(sorted(OPENERS | CLOSERS)) + STRAIGHT + "'‘’") + "]")


@dataclass(frozen=True, kw_only=True, slots=True)
class QuoteMark:
    pos: int
    char: str


@dataclass(frozen=True, kw_only=True, slots=True)
class QuotedSpan:
    """One double-quoted stretch. ``start``/``end`` bound the content (marks excluded)."""

    open_pos: int  # index of the opening mark
    close_pos: int | None  # index of the closing mark; None when recovered (unbalanced)
    start: int
    end: int
    outer_end: int  # end of the quotation including its closing mark (``end`` when unclosed)
    paragraphs: int = 1  # number of paragraphs the quotation spans
    nested: tuple[tuple[int, int], ...] = ()  # single-quoted stretches inside (content offsets)


def _straight_opens(text: str, i: int) -> bool:
    return i == 0 or text[i - 1] in _OPEN_CONTEXT


def _line_end(text: str, i: int) -> int:
    j = text.find("\n", i)
    return len(text) if j < 0 else j


def _next_paragraph_start(text: str, i: int) -> int | None:
    """Index of the first non-space character after the newline at ``i`` (None at end)."""
    n = len(text)
    j = i
    while j < n and text[j].isspace():
        j += 1
    return j if j < n else None


def _rstrip_pos(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """All double-quoted stretches of ``text`` in order (see the module docstring)."""
    out: list[QuotedSpan] = []
    n = len(text)
    i = 0
    open_pos: int | None = None
    content_start = 0
    paragraphs = 1
    nested: list[tuple[int, int]] = []
    single_open: int | None = None

    def close(close_pos: int | None, end: int, mark_len: int = 1) -> None:
        nonlocal open_pos, paragraphs, nested, single_open
        assert open_pos is not None
        end = _rstrip_pos(text, content_start, end)
        if end > content_start:
            out.append(
                QuotedSpan(
                    open_pos=open_pos,
                    close_pos=close_pos,
                    start=content_start,
                    end=end,
                    outer_end=close_pos + mark_len if close_pos is not None else end,
                    paragraphs=paragraphs,
                    nested=tuple(nested),
                )
            )
        if close_pos is None:
            logger.debug("unbalanced quotation mark at %d closed at %d", open_pos, end)
        open_pos = None
        paragraphs = 1
        nested = []
        single_open = None

    while i < n:
        found = _SCAN_RE.search(text, i)
        if found is None:
            break  # nothing but ordinary characters left
        i = found.start()
        c = text[i]
        if c == "\n":
            if open_pos is not None:
                nxt = _next_paragraph_start(text, i)
                if nxt is not None and (
                    text[nxt] in OPENERS
                    or (text[nxt] == STRAIGHT and _straight_opens(text, nxt))
                    or text.startswith("''", nxt)
                ):
                    # News convention: the quotation goes on in the next paragraph.
                    paragraphs += 1
                    single_open = None
                    i = nxt + (2 if text.startswith("''", nxt) else 1)
                    continue
                close(None, i)
            i += 1
            continue
        mark_len = 1
        if c == "'" and text.startswith("''", i):
            c = STRAIGHT
            mark_len = 2
        is_open = c in OPENERS or (c == STRAIGHT and open_pos is None and _straight_opens(text, i))
        is_close = c in CLOSERS or (c == STRAIGHT and open_pos is not None)
        if c == STRAIGHT and open_pos is not None and _straight_opens(text, i) and i + mark_len < n:
            # A straight mark after a space while a quotation is open: closes it if followed by
            # a space/punctuation, else it is a new opening (the previous quote was unbalanced).
            if not (text[i + mark_len].isspace() or text[i + mark_len] in ".,;:!?)"):
                is_close = False
                is_open = True
        if is_open:
            if open_pos is not None:
                close(None, i)
            open_pos = i
            content_start = i + mark_len
        elif is_close:
            if open_pos is not None:
                close(i, i, mark_len)
        elif open_pos is not None and c in "‘’'" and mark_len == 1:
            # nested single quotes: ‘ opens, ’ closes (unless it is an apostrophe inside a word)
            prev_alpha = i > 0 and text[i - 1].isalnum()
            next_alpha = i + 1 < n and text[i + 1].isalnum()
            if c == "‘" or (c == "'" and not prev_alpha and next_alpha):
                single_open = i + 1
            elif single_open is not None and not (prev_alpha and next_alpha):
                nested.append((single_open, i))
                single_open = None
        i += mark_len
    if open_pos is not None:
        close(None, n)
    return out
