"""Full-text search: the query syntax every store accepts, and the in-memory matcher.

The syntax is the one web search engines taught everyone, and it is the same on every backend:

==================  =================================================================
``ceasefire talks``  both words (every term must match)
``"peace talks"``    the words in this order (a phrase)
``talks OR summit``  either (``OR`` in capitals, between two terms)
``-rumour``          not this word (or ``-"a phrase"``); needs at least one positive term
``negotiat*``        a word starting with ``negotiat`` (a prefix)
==================  =================================================================

A term is split into words the way the index splits text (runs of letters and digits;
``covid-19`` is the phrase ``covid 19``), case and accents are ignored. :func:`parse_query`
turns the text into a :class:`Query`; each store compiles it for its engine (SQLite FTS5,
PostgreSQL ``tsquery``, or :func:`match_text` here), so a bad query fails the same way
everywhere: a :class:`~storyline.errors.UsageError` naming the query and the problem.

Snippets mark matched words with ``«`` and ``»`` — plain text, never HTML; whoever renders a
snippet escapes it.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..errors import UsageError

#: The marks around a matched word in a snippet, and between two fragments.
MARK_START = "«"
MARK_END = "»"
ELLIPSIS = "…"
#: The words shown in a snippet (about).
SNIPPET_WORDS = 24
MAX_QUERY_LENGTH = 1000

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


@dataclass(frozen=True, kw_only=True, slots=True)
class Term:
    """Words that must appear in this order; ``prefix``: the last one may continue. ``text`` is
    the term as written (without ``-``, quotes and ``*``), for engines that split it themselves."""

    words: tuple[str, ...]
    prefix: bool = False
    text: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Query:
    """``all`` of the clauses (each: any one of its terms) and ``none`` of the excluded terms."""

    text: str
    clauses: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    def terms(self) -> Iterator[Term]:
        for clause in self.clauses:
            yield from clause


def fold(word: str) -> str:
    """A word as the index keeps it: lower case, accents removed."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(text: str) -> list[str]:
    return [fold(w) for w in _WORD.findall(text)]


def _bad(text: str, problem: str) -> UsageError:
    shown = text if len(text) <= 80 else text[:77] + "..."
    return UsageError(f"search query {shown!r}: {problem}")


def parse_query(text: str) -> Query:
    """Parse a search query; raises :class:`~storyline.errors.UsageError` when it is malformed."""
    if len(text) > MAX_QUERY_LENGTH:
        raise _bad(text, f"too long ({len(text)} characters; at most {MAX_QUERY_LENGTH})")
    if text.count('"') % 2:
        raise _bad(text, 'a double quote (") is not closed')
    items: list[tuple[bool, Term | None, str]] = []  # (negated, term, token)
    for m in _TOKEN.finditer(text):
        negated_phrase, phrase, bare = m.group(1), m.group(2), m.group(3)
        if bare is None:
            words = tuple(words_of(phrase))
            term = Term(words=words, text=phrase) if words else None
            items.append((bool(negated_phrase), term, m.group(0)))
            continue
        if bare == "OR":
            items.append((False, None, "OR"))
            continue
        negated = bare.startswith("-") and len(bare) > 1
        body = bare[1:] if negated else bare
        prefix = body.endswith("*")
        words = tuple(words_of(body))
        term = Term(words=words, prefix=prefix, text=body.rstrip("*")) if words else None
        items.append((negated, term, bare))

    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    for negated, term, token in items:
        if token == "OR" and term is None and not negated:
            if not clauses or pending_or:
                raise _bad(text, "OR needs a term on each side")
            pending_or = True
            continue
        if term is None:
            continue  # punctuation only: nothing to search for in it
        if negated:
            if pending_or:
                raise _bad(text, f"an excluded term ({token}) cannot be one side of OR")
            excluded.append(term)
        elif pending_or:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        pending_or = False
    if pending_or:
        raise _bad(text, "OR needs a term on each side")
    if not clauses:
        if excluded:
            raise _bad(text, "only excluded terms; add a word to search for")
        raise _bad(text, "nothing to search for (no words)")
    return Query(text=text, clauses=tuple(tuple(c) for c in clauses), excluded=tuple(excluded))


def check_page(limit: int, offset: int) -> None:
    if limit < 0:
        raise UsageError(f"search limit must be 0 or more, not {limit}")
    if offset < 0:
        raise UsageError(f"search offset must be 0 or more, not {offset}")


# ---------------------------------------------------------------------------------------------
# In memory


@dataclass(frozen=True, kw_only=True, slots=True)
class _Words:
    folded: list[str]
    spans: list[tuple[int, int]]


def _split(text: str) -> _Words:
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    return _Words(folded=[fold(text[s:e]) for s, e in spans], spans=spans)


def _word_matches(word: str, want: str, prefix: bool) -> bool:
    return word.startswith(want) if prefix else word == want


def _positions(term: Term, words: Sequence[str]) -> list[int]:
    """Indexes where ``term`` starts in ``words``."""
    n = len(term.words)
    found = []
    for i in range(len(words) - n + 1):
        if all(
            _word_matches(words[i + j], want, term.prefix and j == n - 1) for j, want in enumerate(term.words)
        ):
            found.append(i)
    return found


def _term_in(term: Term, docs: Sequence[_Words]) -> bool:
    return any(_positions(term, d.folded) for d in docs)


def match_score(query: Query, title: str | None, text: str) -> float | None:
    """How well ``title`` + ``text`` match ``query`` (higher is better); None when they do not.

    The score counts matched occurrences, a title occurrence weighing five body ones, and is
    divided by the body's length in words (so a short article about the thing ranks first).
    """
    title_words = _split(title or "")
    body_words = _split(text)
    docs = (title_words, body_words)
    if any(_term_in(t, docs) for t in query.excluded):
        return None
    score = 0.0
    for clause in query.clauses:
        hits = 0
        for term in clause:
            hits += 5 * len(_positions(term, title_words.folded)) + len(_positions(term, body_words.folded))
        if hits == 0:
            return None
        score += hits
    return score / (len(body_words.folded) + 10)


def snippet(query: Query, text: str, *, words: int = SNIPPET_WORDS) -> str:
    """About ``words`` words of ``text`` around its first match, matched words in « »."""
    split = _split(text)
    marked: set[int] = set()
    for term in query.terms():
        for start in _positions(term, split.folded):
            marked.update(range(start, start + len(term.words)))
    return _window(text, split, marked, words)


def snippet_from_marks(marked_text: str, *, start: str, end: str, words: int = SNIPPET_WORDS) -> str:
    """Like :func:`snippet`, for a text in which a database marked the matched words itself
    (between ``start`` and ``end``; PostgreSQL's ``ts_headline`` with ``HighlightAll``), so
    that its stemming decides what matched and the window is chosen the same way everywhere."""
    pieces = marked_text.split(start)
    plain = [pieces[0]]
    ranges: list[tuple[int, int]] = []
    length = len(pieces[0])
    for piece in pieces[1:]:
        inside, _, after = piece.partition(end)
        ranges.append((length, length + len(inside)))
        plain += [inside, after]
        length += len(inside) + len(after)
    text = "".join(plain)
    split = _split(text)
    starts = [s for s, _ in split.spans]
    marked: set[int] = set()
    for low, high in ranges:
        i = max(0, bisect.bisect_right(starts, low) - 1)
        while i < len(split.spans) and split.spans[i][0] < high:
            if split.spans[i][1] > low:
                marked.add(i)
            i += 1
    return _window(text, split, marked, words)


def _window(text: str, split: _Words, marked: set[int], words: int) -> str:
    if not split.spans:
        return ""
    first = min(marked) if marked else 0
    begin = max(0, min(first - words // 4, len(split.spans) - words))
    end = min(len(split.spans), begin + words)
    out: list[str] = [ELLIPSIS] if begin > 0 else []
    cursor = split.spans[begin][0]
    i = begin
    while i < end:
        s, e = split.spans[i]
        out.append(text[cursor:s])
        if i in marked:  # a run of matched words (a phrase) is marked once
            while i + 1 < end and i + 1 in marked:
                i += 1
            e = split.spans[i][1]
            out.append(f"{MARK_START}{text[s:e]}{MARK_END}")
        else:
            out.append(text[s:e])
        cursor = e
        i += 1
    if end < len(split.spans):
        out.append(ELLIPSIS)
    else:
        out.append(text[cursor:])
    return " ".join("".join(out).split())


# ---------------------------------------------------------------------------------------------
# SQLite FTS5


def _fts5_term(term: Term) -> str:
    # Words are letters and digits only, so quoting them cannot go wrong.
    return '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")


def to_fts5(query: Query) -> str:
    """The FTS5 ``MATCH`` expression for ``query``."""
    parts = []
    for clause in query.clauses:
        inner = " OR ".join(_fts5_term(t) for t in clause)
        parts.append(f"({inner})" if len(clause) > 1 else inner)
    expr = " AND ".join(parts)
    if query.excluded:
        expr = f"({expr}) NOT ({' OR '.join(_fts5_term(t) for t in query.excluded)})"
    return expr


def to_tsquery_text(term: Term) -> str:
    """A term as PostgreSQL ``to_tsquery`` input: words joined by ``<->``, ``:*`` for a prefix."""
    return " <-> ".join(term.words) + (":*" if term.prefix else "")


__all__ = [
    "ELLIPSIS",
    "MARK_END",
    "MARK_START",
    "Query",
    "Term",
    "check_page",
    "fold",
    "match_score",
    "parse_query",
    "snippet",
    "snippet_from_marks",
    "to_fts5",
    "to_tsquery_text",
    "words_of",
]
