"""Tone toward each actor, from the sentences that mention it (target-dependent, lexicon + parse).

For every actor mention (a :class:`~storyline.analyze.entities.Mention` that is a name, a title or an
institution; demonyms are not actors) the evaluative words of its sentence are weighed by how close they
sit to the mention in the dependency tree:

- a *cue* is a word of the tone lexicon (``tone.positive`` / ``tone.negative`` in
  ``data/loaded_words.yaml``) or a loaded-language span of :mod:`storyline.analyze.framing` (negative,
  except intensifiers); a cue negated in the parse ("not honest", "never praised") flips polarity;
- a cue counts when it sits in the mention's clause (or in a relative clause of a noun there), or
  one arc away; the subject of an *evaluating* verb (``tone.evaluator_verbs``: "X praised Y",
  "X slammed Y") is not judged by it, its object is;
- its weight is 1.0 at a path of at most one arc from the mention's head token (or inside the mention,
  or when the cue is a loaded span whose target overlaps the mention), 0.75 at two arcs, 0.5 at three,
  0.25 at four; farther cues do not count. A loaded span that describes *another* noun phrase two or
  more arcs away counts at half weight;
- the mention's score is ``Σ weight·polarity / max(1, Σ weight)``, in [-1, 1], rounded to 3 places.

Only mentions with at least one counted cue are kept (a mention without one is neutral, score 0); the
view maps each mention to its canonical actor and averages per (article, actor) over the sentences that
mention it. Cues inside a source's quoted words are marked ``attributed``: the tone is the source's,
not necessarily the writer's.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["ToneCue", "ToneLexicon", "TargetTone", "actor_tones", "load_tone_lexicon", "tone_label"]

Offsets = tuple[int, int]
ACTOR_KINDS = frozenset({"name", "title", "institution"})
_WEIGHTS = {0: 1.0, 1: 1.0, 2: 0.75, 3: 0.5, 4: 0.25}
_NEUTRAL_BAND = 0.2


@dataclass(frozen=True, kw_only=True, slots=True)
class ToneCue:
    """An evaluative word (character offsets) with its polarity (+1/-1 after negation) and weight."""

    start: int
    end: int
    word: str
    polarity: int
    weight: float
    attributed: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class TargetTone:
    """The tone toward one actor mention (``start``/``end``) in its sentence, with the cues behind it."""

    start: int
    end: int
    sentence: Offsets
    score: float
    cues: tuple[ToneCue, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class ToneLexicon:
    """Evaluative words (forms or lemmas, lower case) → polarity."""

    polarity: Mapping[str, int]
    evaluators: frozenset[str] = frozenset()


def load_tone_lexicon(data: Mapping[str, Any] | None = None) -> ToneLexicon:
    """The tone lexicon from ``data`` (the shape of ``data/loaded_words.yaml``'s ``tone`` key) or the
    packaged file; a word listed under both polarities keeps the first (positive)."""
    if data is None:
        return _packaged()
    polarity: dict[str, int] = {}
    for key, sign in (("positive", 1), ("negative", -1)):
        for word in data.get(key) or ():
            polarity.setdefault(str(word).strip().lower(), sign)
    evaluators = frozenset(str(w).strip().lower() for w in data.get("evaluator_verbs") or ())
    return ToneLexicon(polarity=polarity, evaluators=evaluators)


@lru_cache(maxsize=1)
def _packaged() -> ToneLexicon:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = resources.files("storyline.data").joinpath("loaded_words.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=loader) or {}  # noqa: S506 - a safe loader
    return load_tone_lexicon(data.get("tone") or {})


def tone_label(score: float | None) -> str | None:
    """``negative`` below -0.2, ``positive`` above 0.2, ``neutral`` between; None for no score."""
    if score is None:
        return None
    if score < -_NEUTRAL_BAND:
        return "negative"
    if score > _NEUTRAL_BAND:
        return "positive"
    return "neutral"


def _negated(tok: Token) -> bool:
    """The cue or the word it hangs from has a negation child ("not honest", "never praised him")."""
    return any(c.dep_ == "neg" for c in tok.children) or (
        tok.dep_ in ("acomp", "attr", "amod", "xcomp", "dobj")
        and any(c.dep_ == "neg" for c in tok.head.children)
    )


def _ancestors(tok: Token) -> dict[int, int]:
    """Token index → arcs from ``tok`` up to each ancestor (``tok`` itself at 0)."""
    out = {tok.i: 0}
    depth = 0
    while tok.head.i != tok.i:
        tok = tok.head
        depth += 1
        out[tok.i] = depth
    return out


def _distance(a: Token, b: Token) -> int:
    """Arcs on the dependency path between two tokens of one sentence."""
    up_a = _ancestors(a)
    depth = 0
    tok = b
    while tok.i not in up_a:
        if tok.head.i == tok.i:
            return 99  # different trees (should not happen inside one sentence)
        tok = tok.head
        depth += 1
    return up_a[tok.i] + depth


def _clause(tok: Token) -> Token:
    """The predicate a token belongs to: the nearest verb (or auxiliary) at or above it."""
    while tok.pos_ not in ("VERB", "AUX") or tok.dep_ in ("aux", "auxpass", "amod"):
        if tok.head.i == tok.i:
            return tok
        tok = tok.head
    return tok


def _same_clause(head: Token, cue: Token) -> bool:
    """The cue is in the mention's clause, or in a relative clause of a noun in it ("an autocrat who
    undermines the courts")."""
    home = _clause(head)
    there = _clause(cue)
    if there.i == home.i:
        return True
    return there.dep_ == "relcl" and _clause(there.head).i == home.i


def _evaluator_subject(head: Token, cue: Token, lexicon: ToneLexicon) -> bool:
    """The mention is the subject of an evaluating verb ("X praised Y", "X slammed Y")."""
    if cue.pos_ != "VERB" or cue.lemma_.lower() not in lexicon.evaluators:
        return False
    tok = head
    while tok.dep_ in ("conj", "appos", "compound") and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ == "nsubj" and tok.head.i == cue.i


def _inside(spans: Sequence[Offsets], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def actor_tones(
    doc: Doc,
    mentions: Sequence[Any],
    *,
    lexicon: ToneLexicon | None = None,
    loaded: Sequence[Any] = (),
    attributed: Sequence[Offsets] = (),
) -> tuple[TargetTone, ...]:
    """The tone toward each actor mention with at least one cue (see the module docstring).

    ``mentions`` are objects with ``start``, ``end`` and ``kind``; ``loaded`` objects with ``start``,
    ``end``, ``word``, ``category``, ``target``; ``attributed`` the content spans of statements."""
    lexicon = lexicon or load_tone_lexicon()
    text = doc.text
    # cues per sentence start: (token, start, end, word, polarity, loaded target or None, is loaded)
    cues: dict[int, list[tuple[Token, int, int, str, int, Offsets | None]]] = {}
    loaded_starts: set[int] = set()
    for span in loaded:
        if span.category == "intensifier":
            continue
        chars = doc.char_span(span.start, span.end, alignment_mode="expand")
        if chars is None or len(chars) == 0:
            continue
        root = chars.root
        polarity = 1 if _negated(root) else -1
        loaded_starts.update(t.idx for t in chars)
        target = tuple(span.target) if span.target else None
        cues.setdefault(root.sent.start, []).append((root, span.start, span.end, span.word, polarity, target))
    for tok in doc:
        if tok.idx in loaded_starts or not tok.is_alpha:
            continue
        sign = lexicon.polarity.get(tok.lower_) or lexicon.polarity.get(tok.lemma_.lower())
        if sign is None:
            continue
        if tok.pos_ == "PROPN" and not tok.is_sent_start:
            continue  # part of a name ("Victory Day", "Justice Party")
        polarity = -sign if _negated(tok) else sign
        cues.setdefault(tok.sent.start, []).append(
            (tok, tok.idx, tok.idx + len(tok.text), tok.text, polarity, None)
        )
    out: list[TargetTone] = []
    for m in mentions:
        if getattr(m, "kind", "name") not in ACTOR_KINDS:
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        head = span.root
        sent = head.sent
        found: list[ToneCue] = []
        for tok, start, end, word, polarity, target in cues.get(sent.start, ()):
            if m.start <= start and end <= m.end:
                distance = 0
            elif target is not None and target[0] < m.end and m.start < target[1]:
                distance = 0
            elif _evaluator_subject(head, tok, lexicon):
                continue
            else:
                distance = _distance(head, tok)
                if distance > 1 and not _same_clause(head, tok):
                    continue
            weight = _WEIGHTS.get(distance)
            if weight is None:
                continue
            if distance > 1 and target is not None:
                weight /= 2  # a loaded word that describes another noun phrase
            found.append(
                ToneCue(
                    start=start,
                    end=end,
                    word=word,
                    polarity=polarity,
                    weight=weight,
                    attributed=_inside(attributed, start, end),
                )
            )
        if not found:
            continue
        total = sum(c.weight for c in found)
        score = sum(c.weight * c.polarity for c in found) / max(1.0, total)
        out.append(
            TargetTone(
                start=m.start,
                end=m.end,
                sentence=_sentence_offsets(text, sent.start_char, sent.end_char),
                score=round(max(-1.0, min(1.0, score)), 3),
                cues=tuple(sorted(found, key=lambda c: c.start)),
            )
        )
    return tuple(out)


def _sentence_offsets(text: str, start: int, end: int) -> Offsets:
    """The sentence without surrounding whitespace."""
    chunk = text[start:end]
    left = len(chunk) - len(chunk.lstrip())
    return start + left, start + len(chunk.rstrip())
