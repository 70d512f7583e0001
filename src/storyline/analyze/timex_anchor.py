"""Event-anchored time expressions: "on the eve of a planned phone call", "the day after the vote",
"once he's finished speaking with his Russian counterpart".

Such an expression names no date itself; it takes one from the event it hangs on. When the
article dates that event elsewhere ("President Trump has announced a call with both Zelensky and
Putin on May 19"), the expression becomes a DATE whose relative description is the dating
expression's own, shifted by the anchor's offset in days (``offset_days``) and labelled with the
event (``event``), so it is resolved — and re-resolved once a publication date is known — like any
other, without re-parsing. An event the article does not date gives no expression.

Two shapes are recognized: a noun phrase on a day word ("the eve of <event>", "the day after
<event>", offsets in ``data/timex.yaml``), and a subordinate clause on an event ("once he's finished
speaking with …", "after the talks end", "when the two leaders speak"), which is the event's own day
and is marked ``clause`` (its subordinator) in the relative description: it is no TIMEX3 in TimeML's
sense (there it is a signal and an event), so TimeML scorers leave it out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from storyline.analyze.timex_rules import lexicon_section

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from storyline.analyze.timex import TimeExpr

__all__ = ["event_anchored"]

_ANCHOR_WORD = re.compile(r"\b(?:eve|day|morning)\b", re.I)

_OFFSETS: dict[str, int] = {str(k): int(v) for k, v in lexicon_section("event_anchor_offsets").items()}
_CLASS_OF: dict[str, frozenset[str]] = {}
for _words in lexicon_section("event_classes").values():
    _members = frozenset(str(w).lower() for w in _words)
    for _w in _members:
        _CLASS_OF[_w] = _CLASS_OF.get(_w, frozenset()) | _members


def _same_event(word: str) -> frozenset[str]:
    return _CLASS_OF.get(word, frozenset({word}))


def _anchor_offset(tok: Token) -> tuple[int, int] | None:
    """``(offset in days, index of the first token)`` when ``tok`` is "eve"/"day" of an anchor phrase."""
    low = tok.lower_
    if low == "eve":
        start = tok.i - 1 if tok.i > 0 and tok.doc[tok.i - 1].lower_ == "the" else tok.i
        return _OFFSETS.get("eve", -1), start
    if low in ("day", "morning") and tok.i + 1 < len(tok.doc):
        nxt = tok.doc[tok.i + 1].lower_
        key = f"{low} {nxt}"
        if key in _OFFSETS and tok.i > 0 and tok.doc[tok.i - 1].lower_ == "the":
            return _OFFSETS[key], tok.i - 1
    return None


def _event_head(tok: Token) -> Token | None:
    """The event noun of "eve of <NP>" / "day before <NP>"."""
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "before", "after"):
            objs = [c for c in child.children if c.dep_ == "pobj" and c.pos_ == "NOUN"]
            if objs:
                return objs[0]
    if tok.lower_ == "day" and tok.i + 2 < len(tok.doc):
        # "the day after the vote" is often parsed with "after" as the head's sibling
        prep = tok.doc[tok.i + 1]
        objs = [c for c in prep.children if c.dep_ == "pobj" and c.pos_ == "NOUN"]
        if objs:
            return objs[0]
    return None


def _is_event(tok: Token, words: frozenset[str], skip: range) -> bool:
    return tok.i not in skip and tok.pos_ in ("NOUN", "VERB") and tok.lemma_.lower() in words


def _dated_event(doc: Doc, expr: TimeExpr, words: frozenset[str], skip: range) -> Token | None:
    """The event word of ``words`` the day expression ``expr`` dates: the word it hangs on ("a call
    … on May 19"), or the object of the verb it hangs on ("announced a call … on May 19", "went to
    the polls on Sunday")."""
    span = doc.char_span(expr.start, expr.end, alignment_mode="expand")
    if span is None:
        return None
    cur = span.root
    for _ in range(4):
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        if _is_event(cur, words, skip):
            return cur
        if cur.pos_ in ("VERB", "AUX"):
            for child in cur.children:
                if child.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") and _is_event(child, words, skip):
                    return child
                if child.dep_ == "prep":
                    for obj in child.children:
                        if obj.dep_ == "pobj" and _is_event(obj, words, skip):
                            return obj
            return None
    return None


_SUBORDINATORS = frozenset({"once", "after", "when"})
_ENDS = frozenset("end finish conclude break close wrap adjourn start begin open resume take".split())
_SUBORDINATOR_RX = re.compile(r"\b(?:once|after|when)\b", re.I)
# "once he has finished speaking": the event is the complement of the aspectual verb
_ASPECTUAL = frozenset({"finish", "complete", "end", "conclude", "wrap", "start", "begin"})


def _best_source(doc: Doc, head: Token, phrase: range, dating: Sequence[TimeExpr]) -> TimeExpr | None:
    """The day expression that dates the event ``head`` names: the one on the nearest mention of an
    event of the same kind."""
    same = _same_event(head.lemma_.lower())
    best: tuple[int, TimeExpr] | None = None
    for d in dating:
        ev = _dated_event(doc, d, same, phrase)
        if ev is not None and (best is None or abs(ev.i - head.i) < best[0]):
            best = (abs(ev.i - head.i), d)
    return None if best is None else best[1]


def _anchored(text: str, start: int, end: int, source: TimeExpr, offset: int, event: str,
              clause: str | None) -> TimeExpr:  # fmt: skip
    from storyline.analyze.timex import TimeExpr

    rel: dict[str, Any] = dict(source.relative or {})
    rel["offset_days"] = int(rel.get("offset_days", 0)) + offset
    rel["event"] = event
    if clause is not None:
        rel["clause"] = clause
    return TimeExpr(
        start=start,
        end=end,
        text=text[start:end],
        type="DATE",
        value=None,
        anchor="REF",
        tense=source.tense,
        relative=rel,
        granularity="day",
    )


def _clause_end(tok: Token) -> int:
    """The last token of the clause ``tok`` heads, without coordinated clauses and punctuation."""
    last = tok.i
    for child in tok.children:
        if child.i > tok.i and child.dep_ not in ("cc", "conj", "punct", "mark", "advcl", "relcl"):
            last = max(last, _clause_end(child))
    return last


def _clause_event(sub: Token) -> tuple[Token, Token] | None:
    """``(event word, clause verb)`` of the clause the subordinator ``sub`` opens: "once he's finished
    speaking" → (speaking, finished); "when the two leaders speak" → (speak, speak)."""
    doc = sub.doc
    sent_end = sub.sent.end
    for tok in doc[sub.i + 1 : min(sent_end, sub.i + 7)]:
        if tok.is_punct:
            return None
        if tok.pos_ not in ("VERB", "NOUN"):
            continue
        if tok.pos_ == "VERB" and tok.lemma_.lower() in _ASPECTUAL:
            comp = [c for c in tok.children if c.dep_ in ("xcomp", "dobj", "ccomp") and c.i > tok.i]
            if comp and comp[0].lemma_.lower() in _CLASS_OF:
                return comp[0], tok
            if tok.lemma_.lower() not in _CLASS_OF:
                return None
        if tok.lemma_.lower() in _CLASS_OF:
            if tok.pos_ == "VERB":
                return tok, tok
            # a noun names the event when its clause tells it ending or starting: "after the meeting
            # broke up", "once the talks end" (not "when the poll asked", a survey)
            if tok.head.pos_ in ("VERB", "AUX") and tok.head.lemma_.lower() in _ENDS:
                return tok, tok.head
            return None
        if tok.pos_ == "VERB":
            return None  # the clause's verb names no event of a known kind
    return None


def _clause_anchors(doc: Doc, text: str, dating: Sequence[TimeExpr],
                    taken: list[tuple[int, int]]) -> list[TimeExpr]:  # fmt: skip
    """ "once he's finished speaking with his Russian counterpart", "after the talks end": the day of
    the event the clause names, when the article dates that event elsewhere."""
    out: list[TimeExpr] = []
    for found_word in _SUBORDINATOR_RX.finditer(text):
        word = doc.char_span(found_word.start(), found_word.end())
        if word is None or len(word) != 1:
            continue
        sub = word[0]
        low = sub.lower_
        if low not in _SUBORDINATORS or sub.dep_ not in ("mark", "advmod"):
            continue
        before = doc[sub.i - 2] if sub.i > 1 and doc[sub.i - 1].is_punct else doc[sub.i - 1]
        if low == "when" and sub.i > 0 and any(s <= before.idx < e for s, e in taken):
            continue  # "on May 18, when Russia launched …": the clause describes a date already given
        if low == "when" and sub.i > 0 and doc[sub.i - 1].pos_ == "NOUN":
            continue  # "at a time when …": a relative clause on a noun
        found = _clause_event(sub)
        if found is None:
            continue
        event, verb = found
        last = max(_clause_end(verb), _clause_end(event)) if verb.i >= sub.i else _clause_end(event)
        stop = next((t.i for t in doc[sub.i + 1 : last + 1] if t.is_punct or t.is_space), None)
        if stop is not None:
            last = stop - 1  # a clause ends at its first punctuation: "… speak (Photo: PTI)"
        start, end = sub.idx, doc[last].idx + len(doc[last].text)
        if any(start < e and s < end for s, e in taken):
            continue  # "after the talks end on Friday" is dated by its own expression
        source = _best_source(doc, event, range(sub.i, last + 1), dating)
        if source is None:
            continue
        out.append(_anchored(text, start, end, source, 0, text[doc[sub.i + 1].idx : end], low))
        taken.append((start, end))
    return out


def event_anchored(doc: Doc, text: str, exprs: Sequence[TimeExpr]) -> list[TimeExpr]:
    """The event-anchored expressions of ``doc`` the day expressions ``exprs`` allow to date."""
    taken = [(e.start, e.end) for e in exprs]
    dating = [
        e
        for e in exprs
        if e.granularity == "day"
        and e.type == "DATE"
        and e.relative is not None
        and e.anchor in ("DCT", "ABS")
    ]
    if not dating:
        return []
    out: list[TimeExpr] = []
    for m in _ANCHOR_WORD.finditer(text):
        span = doc.char_span(m.start(), m.end())
        if span is None or len(span) != 1:
            continue
        tok = span[0]
        found = _anchor_offset(tok)
        if found is None:
            continue
        offset, first = found
        head = _event_head(tok)
        if head is None:
            continue
        start, end = doc[first].idx, head.idx + len(head.text)
        if any(start < e and s < end for s, e in taken):
            continue  # "the eve of May 19" is a date expression already
        source = _best_source(doc, head, range(first, head.i + 1), dating)
        if source is None:
            continue
        out.append(_anchored(text, start, end, source, offset, text[head.left_edge.idx : end], None))
        taken.append((start, end))
    out.extend(_clause_anchors(doc, text, dating, taken))
    return sorted(out, key=lambda e: (e.start, e.end))
