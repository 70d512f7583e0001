"""Direct quotes (see :mod:`storyline.analyze.quotes`): whether a quotation stands as speech or is
embedded in a sentence, transcript turns quoted paragraph by paragraph, "“…” ― Name" bylines, and the cue
a quotation takes.
"""

from __future__ import annotations

import re
from dataclasses import replace

from storyline.analyze.attribution_context import Statement, _rstrip
from storyline.analyze.attribution_frames import _NOT_LABELS
from storyline.analyze.attribution_resolve import _SpeakerResolver
from storyline.analyze.attribution_syntax import (
    _Cue,
)
from storyline.analyze.quote_marks import Byline, QuotedSpan

# a quoted transcript turn: a paragraph opening with a quotation mark and a speaker label in capitals
_QUOTED_TURN = re.compile(
    r"^[ \t]*[\"“]([A-Z][A-Z.'’-]*(?: [A-Z][A-Z.'’-]*){0,2}):[ \t]+(?=\S)", re.MULTILINE
)


class _DirectQuotes(_SpeakerResolver):
    def _quote_role(self, q: QuotedSpan) -> str:
        """'full' (a quotation standing as speech), or 'embedded' (inside a sentence's syntax)."""
        text = self.text
        doc = self.doc
        open_tok = self.tok_at(q.open_pos)
        sent = self.sents[self.sent_of(open_tok)]
        para_start = self.para_starts[self.para_of(q.open_pos)]
        pre_start = max(sent.start_char, para_start)
        pre = text[pre_start : q.open_pos].strip()
        content = text[q.start : q.end]
        words = [
            t for t in doc[self.tok_at(q.start) : self.tok_at(max(q.end - 1, q.start)) + 1] if t.is_alpha
        ]
        multi_sentence = q.paragraphs > 1 or any(
            content[i] in ".?!" and content[i + 1 : i + 3].strip()[:1].isupper()
            for i in range(len(content) - 2)
        )
        if not pre or pre[-1] in ":—–-" or pre[-1] in "•*·":
            return "full"
        # a previous quote ending the same sentence: "“…,” he said, “…”"
        if pre.endswith(",") or pre.endswith("."):
            last_word_tok = self.tok_at(q.open_pos - 1)
            while last_word_tok > 0 and not doc[last_word_tok].is_alpha:
                last_word_tok -= 1
            lw = doc[last_word_tok]
            if lw.lemma_.lower() in self.lex.verbs or lw.lower_ in ("added", "continued", "saying"):
                return "full"
            if multi_sentence or (content[:1].isupper() and len(words) >= 6):
                return "full"
        if multi_sentence and content[:1].isupper():
            return "full"
        last = self.tok_at(q.open_pos - 1)
        while last > 0 and not doc[last].is_alpha:
            last -= 1
        if doc[last].lemma_.lower() in self.lex.verbs and content[:1].isupper() and len(words) >= 4:
            return "full"
        return "embedded"

    def _quoted_turns(self) -> list[Statement]:
        """``"WALLACE: Let's start …`` / ``"PENCE: Well, …``: a transcript quoted paragraph by paragraph;
        each turn is the label's direct statement, the colon its cue, the rest of the paragraph and of the
        quoted paragraphs without a label that follow it (not a stage note "(CROSSTALK.)") its content,
        without a closing mark."""
        out: list[Statement] = []
        text = self.text

        def para_end(i: int) -> int:
            j = text.find("\n", i)
            return _rstrip(text, i, len(text) if j < 0 else j)

        for m in _QUOTED_TURN.finditer(text):
            label = m.group(1)
            if label.rstrip(".") in _NOT_LABELS or len(label.replace(" ", "")) < 2:
                continue
            start = m.end()
            end = para_end(start)
            while True:
                nxt = end
                while nxt < len(text) and text[nxt].isspace():
                    nxt += 1
                if (
                    nxt >= len(text)
                    or "\n" not in text[end:nxt]
                    or text[nxt] not in '"“'
                    or text[nxt + 1 : nxt + 2] in ("(", "[", "")
                    or _QUOTED_TURN.match(text, text.rfind("\n", 0, nxt) + 1)
                ):
                    break
                end = para_end(nxt)
            if end > start and text[end - 1] in '"”':
                end = _rstrip(text, start, end - 1)
            if len(text[start:end].split()) < 2:
                continue
            colon = m.start(1) + len(label)
            toks = (self.tok_at(m.start(1)), self.tok_at(colon - 1) + 1)
            cue = _Cue(
                token=self.tok_at(colon),
                cue=(self.tok_at(colon), self.tok_at(colon) + 1),
                lemma=":",
                speaker=toks,
                content=None,
                sent=self.sent_of(self.tok_at(colon)),
            )
            st = self._statement(
                content=(start, end),
                content_is_chars=True,
                kind="direct",
                partial=False,
                cue=cue,
                sentence=self._sentence_chars(start, end),
            )
            out.append(replace(st, cue=(colon, colon + 1), speaker=(m.start(1), colon), speaker_text=label))
        return out

    def _byline_cue(self, byline: Byline) -> _Cue:
        """``“…” ― Sonya Herridge``: the dash is the cue, the name after it the speaker."""
        dash = self.tok_at(byline.dash[0])
        name = (self.tok_at(byline.name[0]), self.tok_at(byline.name[1] - 1) + 1)
        return _Cue(
            token=dash,
            cue=(dash, dash + 1),
            lemma=self.text[byline.dash[0] : byline.dash[1]],
            speaker=name,
            content=None,
            sent=self.sent_of(dash),
        )

    def _cue_for_quote(self, q: QuotedSpan, cues_by_sent: dict[int, list[_Cue]]) -> _Cue | None:
        doc = self.doc
        first = self.sent_of(self.tok_at(q.open_pos))
        last = self.sent_of(self.tok_at(max(q.outer_end - 1, q.open_pos)))
        cand_sents = list(range(first, last + 1))
        # the sentence after the quote when it starts in lower case ("“…?” he asks.")
        if last + 1 < len(self.sents):
            nxt = self.sents[last + 1]
            ft = next((t for t in nxt if not t.is_space), None)
            short = len([t for t in nxt if t.is_alpha]) <= 8 and nxt.start_char - q.outer_end <= 2
            if ft is not None and (ft.text[:1].islower() or ft.lower_ in ("said", "says") or short):
                if self.para_of(nxt.start_char) == self.para_of(q.outer_end - 1):
                    cand_sents.append(last + 1)
        # the sentence before, ending with a colon ("He said:\n“…”")
        if first > 0:
            prev = self.sents[first - 1]
            if self.text[prev.start_char : prev.end_char].rstrip().endswith(":"):
                cand_sents.insert(0, first - 1)
        best: _Cue | None = None
        best_key: tuple[int, int] | None = None
        q_tok_start = self.tok_at(q.start)
        q_tok_end = self.tok_at(max(q.end - 1, q.start)) + 1
        for si in cand_sents:
            for cue in cues_by_sent.get(si, ()):
                if not cue.direct_ok or cue.speaker is None:
                    continue
                # the cue must be outside every quotation, and its speaker outside this one
                if self.tok_quote[cue.token] >= 0:
                    continue
                if q_tok_start <= cue.speaker[0] < q_tok_end or q_tok_start < cue.speaker[1] <= q_tok_end:
                    continue
                overlaps = (
                    cue.content is not None and cue.content[0] < q_tok_end and q_tok_start < cue.content[1]
                )
                close_tok = self.tok_at(max(q.outer_end - 1, q.open_pos))
                open_tok = self.tok_at(q.open_pos)
                adjacent = 0 < cue.token - close_tok <= 5 or 0 < open_tok - cue.token <= 4
                # a cue whose content is other (unquoted) text is not this quote's cue
                if cue.content is not None and not overlaps and not adjacent:
                    cstart, cend = cue.content
                    if any(self.tok_quote[i] < 0 and doc[i].is_alpha for i in range(cstart, cend)):
                        if not (si == first - 1):
                            continue
                dist = min(abs(cue.token - q_tok_start), abs(cue.token - q_tok_end))
                key = (0 if overlaps else 1, dist)
                if best_key is None or key < best_key:
                    best, best_key = cue, key
        return best
