"""Event-anchored time expressions: "on the eve of a planned phone call", "the day after the vote".

Such an expression names no date itself; it takes one from the event it hangs on. When the
article dates that event elsewhere ("President Trump has announced a call with both Zelensky and
Putin on May 19"), the expression becomes a DATE whose relative description is the dating
expression's own, shifted by the anchor's offset in days (``offset_days``) and labelled with the
event (``event``), so it is resolved — and re-resolved once a publication date is known — like any
other, without re-parsing. An event the article does not date gives no expression.
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


def event_anchored(doc: Doc, text: str, exprs: Sequence[TimeExpr]) -> list[TimeExpr]:
    """The event-anchored expressions of ``doc`` the day expressions ``exprs`` allow to date."""
    from storyline.analyze.timex import TimeExpr

    words = list(_ANCHOR_WORD.finditer(text))
    if not words:
        return []
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
    for m in words:
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
        same = _same_event(head.lemma_.lower())
        phrase = range(first, head.i + 1)
        best: tuple[int, TimeExpr] | None = None
        for d in dating:
            ev = _dated_event(doc, d, same, phrase)
            if ev is not None and (best is None or abs(ev.i - head.i) < best[0]):
                best = (abs(ev.i - head.i), d)
        if best is None:
            continue
        source = best[1]
        rel: dict[str, Any] = dict(source.relative or {})
        rel["offset_days"] = int(rel.get("offset_days", 0)) + offset
        rel["event"] = text[head.left_edge.idx : end]
        out.append(
            TimeExpr(
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
        )
        taken.append((start, end))
    return out
