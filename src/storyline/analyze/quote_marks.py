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
  opening mark is ignored, except one that starts a paragraph before a word (``”Mr. Trump …”``, a
  mistyped opening mark), which opens a quotation. The rest of the text is never lost.
- An epigraph byline (:func:`epigraph_byline`): a quotation followed on its line by a dash and a name
  (``“…” ― Sonya Herridge``, ``“…” — Jane Doe, nurse.``) names its speaker.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["Byline", "QuoteMark", "QuotedSpan", "epigraph_byline", "find_quoted_spans", "quoted_title"]

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


def _starts_paragraph(text: str, i: int) -> bool:
    """Whether only spaces stand between the line start and ``i``, and a word follows ``i``."""
    j = i - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return (j < 0 or text[j] == "\n") and i + 1 < len(text) and text[i + 1].isalnum()


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
        is_open = (
            c in OPENERS
            or (c == STRAIGHT and open_pos is None and _straight_opens(text, i))
            or (c in CLOSERS and open_pos is None and _starts_paragraph(text, i))
        )
        is_close = not is_open and (c in CLOSERS or (c == STRAIGHT and open_pos is not None))
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


_BYLINE_DASHES = frozenset("―—–-")
_NAME_PARTICLES = frozenset({"de", "del", "della", "da", "van", "von", "der", "den", "la", "le", "bin", "al"})
_TITLES = frozenset({"Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Prof", "Rev", "Gen", "St"})
_NAME_PIECE = re.compile(r"[^\W\d_][\w.'’-]*")


@dataclass(frozen=True, kw_only=True, slots=True)
class Byline:
    """The dash and the name after a quotation (character offsets, end exclusive)."""

    dash: tuple[int, int]
    name: tuple[int, int]


def epigraph_byline(text: str, quote: QuotedSpan) -> Byline | None:
    """``“…” ― Sonya Herridge``: a dash (horizontal bar, em/en dash, hyphen) after the closing mark and a
    name of two to five capitalised words ending the line, optionally followed by ", title" or ".".

    The name is the quotation's speaker. None when the line goes on otherwise (``“…” - and then …``)."""
    if quote.close_pos is None:
        return None
    end = _line_end(text, quote.outer_end)
    i = quote.outer_end
    while i < end and text[i] in " \t\u00a0":
        i += 1
    if i >= end or text[i] not in _BYLINE_DASHES:
        return None
    dash = (i, i + 1)
    if text.startswith("--", i):
        dash = (i, i + 2)
    i = dash[1]
    while i < end and text[i] in " \t\u00a0":
        i += 1
    words: list[tuple[int, int]] = []
    for m in _NAME_PIECE.finditer(text, i, end):
        if text[i : m.start()].strip():  # something other than spaces between the words
            break
        word = m.group()
        if not (word[0].isupper() or (words and word.lower() in _NAME_PARTICLES)):
            break
        words.append((m.start(), m.end()))
        i = m.end()
        stem = word[:-1]
        if (
            word.endswith(".")
            and len(word) > 2
            and not stem.replace(".", "").isupper()
            and stem not in _TITLES
        ):
            break  # "Carla Sanchez." — a full stop ends the byline, an initial ("G.") does not
        if len(words) > 5:
            return None
    if len(words) < 2 and not (words and text[words[0][0] : words[0][1]].isupper()):
        return None  # one capitalised word is a sentence start more often than a name
    rest = text[words[-1][1] : end].strip()
    if rest and not (rest.startswith(",") or rest in (".",)):
        return None
    name_end = words[-1][1]
    if text[name_end - 1] == "." and not text[words[-1][0] : name_end - 1].replace(".", "").isupper():
        name_end -= 1  # the full stop ending the byline is not the name's
    return Byline(dash=dash, name=(words[0][0], name_end))


# words a title may keep in lower case ("Meet the Press", "Fox & Friends", "State of the Union")
_TITLE_SMALL = frozenset(
    "a an the and or nor but of on in at to for from by with as vs v. & de la le".split()
)
# what names a work or a programme right before its quoted title: a possessive ("MSNBC’s “Morning Joe”"),
# a preposition ("appeared on “Morning Joe”", "wrote in “The Atlantic”"), or a noun or verb naming it
# ("the film “Arrival”", "a book titled “Fear”"), or "told" ("told “Fox News Sunday” that …")
_BEFORE_TITLE = re.compile(
    r"(?:[’']s|\b(?:on|in|at|to|from|for|by|with|of|titled|entitled|dubbed|named|called|show|program|"
    r"programme|series|book|memoir|novel|film|movie|documentary|album|song|single|podcast|newspaper|"
    r"magazine|column|play|musical|episode|segment|broadcast|sitcom|drama|report|study|ad|spot|video|"
    r"poem|painting|exhibit|exhibition|campaign|hashtag|slogan|track|told|tells|telling))[ \t\u00a0]*$",
    re.IGNORECASE,
)
# what follows a quoted title naming someone or something of it ("“Morning Joe” host Joe Scarborough")
_AFTER_TITLE = re.compile(
    r"[,.]?[”\"]?[ \t\u00a0]+(?:co-?host|host|hosts|anchor|star|stars|creator|producer|author|director|"
    r"panel|panelist|segment|episode|appearance|interview|broadcast|viewers|audience|cast)\b",
    re.IGNORECASE,
)
_TITLE_WORD = re.compile(r"[^\W_][\w'’.-]*")


def quoted_title(text: str, quote: QuotedSpan) -> bool:
    """Whether ``quote`` is the title of a show, book, film, programme or the like, not words anyone said:
    one to eight words, each capitalised, a number or a small word ("Meet the Press"), ending without a
    sentence's punctuation, right after a possessive, a preposition or a noun naming a work
    (“appeared on “Morning Joe””, “MSNBC’s “Morning Joe””, “the film “Arrival””) or right before
    "host"/"anchor"/… (“Morning Joe” host Joe Scarborough). A quotation spanning lines is never a title."""
    if quote.close_pos is None or quote.paragraphs > 1:
        return False
    content = text[quote.start : quote.end].strip().rstrip(",")
    if not content or "\n" in content or content[-1] in ".?!:;":
        return False
    words = _TITLE_WORD.findall(content)
    if not 1 <= len(words) <= 8 or not (words[0][0].isupper() or words[0][0].isdigit()):
        return False
    if not all(w[0].isupper() or w[0].isdigit() or w.lower() in _TITLE_SMALL for w in words):
        return False
    line_start = text.rfind("\n", 0, quote.open_pos) + 1
    before = text[line_start : quote.open_pos]
    if _BEFORE_TITLE.search(before) and before.strip():
        return True
    return bool(_AFTER_TITLE.match(text, quote.outer_end, min(len(text), quote.outer_end + 40)))
