"""The shared state of one statement-finding run (:mod:`storyline.analyze.quotes`): the text, its parse,
sentences cut at line breaks, paragraphs, the quotations and which token lies in which, and the index
helpers every stage uses. Also the :class:`Statement` record the stages produce.

The finder is one class assembled from stage classes, each in its own module and each adding to the one
before it: :class:`_Context` (here) → cue frames (:mod:`.attribution_frames`) → verb cues
(:mod:`.attribution_verbs`) → the cue cascade (:mod:`.attribution_cues`) → speaker resolution and statement
records (:mod:`.attribution_resolve`) → direct quotes (:mod:`.attribution_direct`) → assembly
(:mod:`.quotes`).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from storyline.analyze.attribution_speakers import AnonymousSource, SpeakerKind
from storyline.analyze.cue_lexicon import CueLexicon
from storyline.analyze.quote_marks import find_quoted_spans, quoted_title

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from storyline.analyze.attribution_model import CueModel

__all__ = ["Offsets", "Statement", "StatementKind"]

StatementKind = Literal["direct", "indirect", "mixed"]
Offsets = tuple[int, int]


@dataclass(frozen=True, kw_only=True, slots=True)
class Statement:
    """One attributed statement; every offset indexes the analysed text (end exclusive)."""

    content: Offsets
    kind: StatementKind
    partial: bool = False
    cue: Offsets | None = None
    cue_lemma: str | None = None
    speaker: Offsets | None = None
    speaker_text: str | None = None
    speaker_kind: SpeakerKind = "unknown"
    anonymous: AnonymousSource | None = None
    speaker_antecedent: Offsets | None = None
    continuation: bool = False
    sentence: Offsets = (0, 0)


class _Context:
    """Text, parse, sentences, paragraphs and quotations of one run, with index helpers."""

    def __init__(self, text: str, doc: Doc, lex: CueLexicon, model: CueModel | None) -> None:
        self.text = text
        self.doc = doc
        self.lex = lex
        self.tok_starts = [t.idx for t in doc]
        self.sents = _line_sents(doc)
        self.sent_starts = [s.start for s in self.sents]
        # paragraphs are the non-blank lines (blank lines between them do not count)
        self.para_starts = [0] + [
            i + 1 for i, c in enumerate(text) if c == "\n" and text[i + 1 : i + 2].strip()
        ]
        self.para_starts_set = frozenset(self.para_starts)
        # a quoted title ("appeared on “Morning Joe”") is a name, not words anyone said: no quotation
        self.quotes = [q for q in find_quoted_spans(text) if not quoted_title(text, q)]
        # quote index per token (-1 outside quotes; marks belong to their quote)
        self.tok_quote = [-1] * len(doc)
        qi = 0
        for t in doc:
            while qi < len(self.quotes) and self.quotes[qi].outer_end <= t.idx:
                qi += 1
            if qi < len(self.quotes) and self.quotes[qi].open_pos <= t.idx < self.quotes[qi].outer_end:
                self.tok_quote[t.i] = qi
        self.model = model
        self._person_mentions: list[tuple[int, int, int, bool]] | None = None
        self._person_starts: list[int] = []
        self._cue_chars: list[int] = []
        # objects of acts trailing a report ("…, rejecting a European proposal to …"): not said by anyone
        self._act_objects: list[tuple[int, int]] = []

    # -- helpers
    def tok_at(self, char: int) -> int:
        """Index of the token containing (or starting after) ``char``."""
        i = bisect.bisect_right(self.tok_starts, char) - 1
        return max(i, 0)

    def sent_of(self, tok: int) -> int:
        return bisect.bisect_right(self.sent_starts, tok) - 1

    def para_of(self, char: int) -> int:
        return bisect.bisect_right(self.para_starts, char) - 1

    def chars(self, rng: tuple[int, int]) -> Offsets:
        s, e = rng
        return self.doc[s].idx, self.doc[e - 1].idx + len(self.doc[e - 1])

    def _sentence_chars(self, start_char: int, end_char: int) -> Offsets:
        s = self.sents[self.sent_of(self.tok_at(start_char))]
        e = self.sents[self.sent_of(self.tok_at(max(end_char - 1, start_char)))]
        return s.start_char, _rstrip(self.text, e.start_char, e.end_char)


def _line_sents(doc: Doc) -> list[Span]:
    """The parser's sentences, cut again at line breaks (a headline is never part of the lead)."""
    out: list[Span] = []
    for sent in doc.sents:
        start = sent.start
        for tok in sent:
            if tok.is_space and "\n" in tok.text and tok.i + 1 < sent.end:
                if tok.i + 1 > start:
                    out.append(doc[start : tok.i + 1])
                start = tok.i + 1
        if start < sent.end:
            out.append(doc[start : sent.end])
    return out


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
