"""How an article frames its story: opinion vs reporting, loaded language, who it lets speak, tone.

``analyze_framing(text)`` is a pure function of the text (plus an optional, already parsed spaCy ``Doc``,
its sentence offsets, the statements found by :mod:`storyline.analyze.quotes` and the entity mentions).
Four parts:

1. **Sentence classifiers** (bias and opinion) scored with a small linear model read from
   ``data/models/bias.json`` (reproduced by ``scripts/train_bias.py`` from BABE's SG2 sentences). The
   scorer is plain Python: per sentence, TF-IDF word 1-2-grams and char 3-5-grams (sublinear tf, L2
   norm per block) plus four dense features from a *word-level* model trained on BABE's ``biased_words``
   annotation (how likely each token is to be a marked bias word: max, top-3 mean, counts over 0.3/0.5),
   then a logistic head per label. Inference needs no scikit-learn.
2. **Loaded language** from the lexicon ``data/loaded_words.yaml`` (single words by form or lemma,
   multi-word expressions on consecutive tokens), each with the noun phrase it describes where the parse
   shows one: the noun a loaded adjective modifies, the subject of a predicative one ("X is naive"), the
   object of a loaded verb, the "of"-object of a loaded noun ("a mockery of peace talks"), the head of an
   apposition; a relative pronoun is followed to its antecedent.
3. **Sourcing profile** from the statements of another stage, read by duck typing (``speaker_kind``,
   ``content``): named / anonymous / institutional / pronoun-or-nominal / unknown sources, statements per
   100 words, and the share of the text's characters inside attributed content.

4. **Tone toward each actor** from the sentences that mention it (:mod:`storyline.analyze.tone`), given
   the entity mentions; the view maps mentions to canonical actors.

The sentence model is chosen at run time (:func:`storyline.analyze.bias_embed.sentence_scorer`: the
classical model by default, the stacked sentence-embedding heads with the optional extra and
``STORYLINE_FRAMING_MODEL=embeddings|borderline``, the fine-tuned MiniLM of
:mod:`storyline.analyze.bias_finetune` with ``STORYLINE_FRAMING_MODEL=finetuned``, the same recipe on
all-mpnet-base-v2 with ``STORYLINE_FRAMING_MODEL=mpnet``); ``Framing.model`` names the one that scored.

A text without judgeable sentences (a list, a table, a one-liner) gets neutral defaults with
``defaults_used=True`` and a ``note`` saying why; nothing raises on odd input.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .genre import Genre
from .tone import TargetTone, ToneLexicon, actor_tones

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from .bias_embed import SentenceScorer

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "BiasModel",
    "Framing",
    "LoadedLexicon",
    "LoadedSpan",
    "ScoredSpan",
    "SourcingProfile",
    "analyze_framing",
    "char_features",
    "load_bias_model",
    "load_loaded_lexicon",
    "sourcing_profile",
    "token_features",
    "word_features",
    "word_tokens",
]

MODEL_FORMAT = "storyline-linear/1"
Offsets = tuple[int, int]

# ------------------------------------------------------------------------------------------- data model


@dataclass(frozen=True, kw_only=True, slots=True)
class ScoredSpan:
    """A sentence (character offsets into the text, end exclusive) with a classifier probability;
    ``attributed`` when at least half of its characters are a source's statement content."""

    start: int
    end: int
    score: float
    attributed: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class LoadedSpan:
    """A loaded word or expression, its lexicon category and the noun phrase it describes, if found.

    ``attributed`` is true when the word sits inside a statement's content (a source's words, not the
    writer's)."""

    start: int
    end: int
    word: str
    category: str
    target: Offsets | None = None
    attributed: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class SourcingProfile:
    """Who the article quotes: counts per speaker kind, statement density and attributed text share."""

    named: int = 0
    anonymous: int = 0
    institutional: int = 0
    pronoun_or_nominal: int = 0
    unknown: int = 0
    quotes_per_100_words: float = 0.0
    attributed_share: float = 0.0


@dataclass(frozen=True, kw_only=True, slots=True)
class Framing:
    """The framing measures of one article (see the module docstring)."""

    opinion_score: float
    opinion_sentences: tuple[ScoredSpan, ...] = ()
    bias_score: float
    biased_sentences: tuple[ScoredSpan, ...] = ()
    loaded: tuple[LoadedSpan, ...] = ()
    loaded_per_100_words: float = 0.0
    sourcing: SourcingProfile = SourcingProfile()
    sentences_judged: int = 0
    defaults_used: bool = False
    note: str | None = None
    tones: tuple[TargetTone, ...] = ()
    model: str = "classical"
    genre: Genre | None = (
        None  # opinion / analysis / reporting (:mod:`.genre`), set with the article's metadata
    )


# ------------------------------------------------------------------------------------- feature analyzers
# The training script passes these same functions to scikit-learn, so inference reproduces training.

_APOS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_WORD_RE = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")
_ALPHA_RE = re.compile(r"[A-Za-z][A-Za-z'\u2019\-]*")


def _norm(text: str) -> str:
    return text.lower().translate(_APOS)


def word_tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters/digits with inner apostrophes and hyphens)."""
    return _WORD_RE.findall(_norm(text))


def word_features(text: str) -> list[str]:
    """Word unigrams and bigrams of a sentence."""
    toks = word_tokens(text)
    return toks + [f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False)]


def char_features(text: str) -> list[str]:
    """Character 3-5-grams inside space-padded words (like scikit-learn's ``char_wb``)."""
    out: list[str] = []
    for w in _norm(text).split():
        out.extend(_word_char_grams(w))
    return out


@lru_cache(maxsize=65536)
def _word_char_grams(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    return tuple(padded[i : i + n] for n in (3, 4, 5) for i in range(len(padded) - n + 1))


def token_features(word: str) -> list[str]:
    """Features of one word for the word-level bias model: the word and its char 2-5-grams."""
    padded = f"<{word}>"
    out = [f"w={word}"]
    for n in (2, 3, 4, 5):
        out.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return out


# ----------------------------------------------------------------------------------- the linear scorer


@dataclass(frozen=True, kw_only=True, slots=True)
class _Block:
    """One TF-IDF block (sublinear tf, L2-normalized) folded into linear heads: feature → (idf, idf·w_h…),
    so a block's contribution to head h is Σ tf·idf·w_h / ‖tf·idf‖ in one pass."""

    index: Mapping[str, tuple[float, ...]]
    heads: int

    def dot(self, feats: Iterable[str]) -> list[float]:
        if self.heads == 2:
            return self._dot2(feats)
        get = self.index.get
        sq = 0.0
        acc = [0.0] * self.heads
        for f, c in Counter(feats).items():
            entry = get(f)
            if entry is None:
                continue
            tf = 1.0 + math.log(c) if c > 1 else 1.0
            sq += (tf * entry[0]) ** 2
            for h in range(self.heads):
                acc[h] += tf * entry[h + 1]
        if sq <= 0.0:
            return acc
        norm = math.sqrt(sq)
        return [a / norm for a in acc]

    def _dot2(self, feats: Iterable[str]) -> list[float]:
        """:meth:`dot` unrolled for two heads (the sentence model), same operations in the same order;
        a feature seen once has tf 1, and ``1.0 * x`` is exactly ``x``."""
        get = self.index.get
        log = math.log
        sq = a0 = a1 = 0.0
        for f, c in Counter(feats).items():
            entry = get(f)
            if entry is None:
                continue
            if c > 1:
                tf = 1.0 + log(c)
                sq += (tf * entry[0]) ** 2
                a0 += tf * entry[1]
                a1 += tf * entry[2]
            else:
                sq += entry[0] ** 2
                a0 += entry[1]
                a1 += entry[2]
        if sq <= 0.0:
            return [a0, a1]
        norm = math.sqrt(sq)
        return [a0 / norm, a1 / norm]


def _block(data: Mapping[str, Any], coefs: Sequence[Sequence[float]]) -> _Block:
    index: dict[str, tuple[float, ...]] = {}
    for i, (f, idf) in enumerate(zip(data["vocab"], data["idf"], strict=True)):
        idf = float(idf)
        index[f] = (idf, *(idf * float(c[i]) for c in coefs))
    return _Block(index=index, heads=len(coefs))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class BiasModel:
    """The sentence bias/opinion scorer of ``data/models/bias.json`` (format ``storyline-linear/1``)."""

    __slots__ = ("_dense", "_heads", "_blocks", "_word_block", "_word_intercept", "_word_cache", "meta")

    def __init__(self, data: Mapping[str, Any]) -> None:
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"[F001] unknown bias model format {data.get('format')!r}")
        self.meta: dict[str, Any] = dict(data.get("meta", {}))
        names = tuple(data["heads"])
        coefs = [list(data["heads"][n]["coef"]) for n in names]
        n_words, n_chars = len(data["words"]["vocab"]), len(data["chars"]["vocab"])
        self._blocks = (
            _block(data["words"], [c[:n_words] for c in coefs]),
            _block(data["chars"], [c[n_words : n_words + n_chars] for c in coefs]),
        )
        dense = data["dense"]
        mean, scale = dense["mean"], dense["scale"]
        # dense z-scores folded in: Σ w_j (d_j - m_j) / s_j = Σ (w_j / s_j) d_j - Σ w_j m_j / s_j
        self._heads: dict[str, tuple[list[float], float]] = {}
        for n, c in zip(names, coefs, strict=True):
            w = [float(c[n_words + n_chars + j]) / float(scale[j]) for j in range(len(mean))]
            shift = sum(wj * float(m) for wj, m in zip(w, mean, strict=True))
            self._heads[n] = (w, float(data["heads"][n]["intercept"]) - shift)
        wm = data["word_model"]
        self._word_block = _block(wm["features"], [wm["coef"]])
        self._word_intercept = float(wm["intercept"])
        self._word_cache: dict[str, float] = {}

    @property
    def heads(self) -> tuple[str, ...]:
        return tuple(self._heads)

    def word_score(self, word: str) -> float:
        """Probability that ``word`` (lower-cased) is a marked bias word."""
        hit = self._word_cache.get(word)
        if hit is None:
            hit = _sigmoid(self._word_intercept + self._word_block.dot(token_features(word))[0])
            if len(self._word_cache) < 200_000:
                self._word_cache[word] = hit
        return hit

    def dense_features(self, text: str) -> list[float]:
        """Word-model summary of a sentence: max, top-3 mean, count > 0.3, count > 0.5."""
        scores = sorted((self.word_score(w) for w in word_tokens(text)), reverse=True) or [0.0]
        top = scores[:3]
        return [
            scores[0],
            sum(top) / len(top),
            float(sum(s > 0.3 for s in scores)),
            float(sum(s > 0.5 for s in scores)),
        ]

    def scores(self, text: str) -> dict[str, float]:
        """Probability per head (``bias``, ``opinion``) for one sentence."""
        words = self._blocks[0].dot(word_features(text))
        chars = self._blocks[1].dot(char_features(text))
        dense = self.dense_features(text)
        out: dict[str, float] = {}
        for h, (name, (w, intercept)) in enumerate(self._heads.items()):
            z = intercept + words[h] + chars[h] + sum(wj * d for wj, d in zip(w, dense, strict=True))
            out[name] = _sigmoid(z)
        return out


@lru_cache(maxsize=4)
def load_bias_model(path: Path | None = None) -> BiasModel:
    """The bias/opinion model at ``path`` (default: the packaged one), loaded once per process."""
    if path is None:
        logger.debug("loading the packaged bias model")
        text = (
            resources.files("storyline.data")
            .joinpath("models")
            .joinpath("bias.json")
            .read_text(encoding="utf-8")
        )
    else:
        logger.debug("loading bias model %s", path)
        text = path.read_text(encoding="utf-8")
    return BiasModel(json.loads(text))


# ---------------------------------------------------------------------------------------------- lexicon


@dataclass(frozen=True, kw_only=True, slots=True)
class LoadedLexicon:
    """Loaded words by form/lemma → category, and multi-word expressions as token tuples."""

    words: Mapping[str, str]
    phrases: Mapping[tuple[str, ...], str]
    max_phrase: int = 1
    hyphenated: frozenset[tuple[str, ...]] = frozenset()  # written "would-be": "would be" is no match

    @property
    def phrase_firsts(self) -> frozenset[str]:
        """The words a multi-word expression can start with (a cheap pre-check per token)."""
        return frozenset(p[0] for p in self.phrases if p)


def _split_entry(entry: str) -> tuple[str, ...]:
    return tuple(p for p in re.split(r"[\s\-]+", entry.strip().lower()) if p)


def load_loaded_lexicon(data: Mapping[str, Any] | None = None) -> LoadedLexicon:
    """The lexicon from ``data`` (same shape as ``data/loaded_words.yaml``) or the packaged file."""
    if data is None:
        return _packaged_lexicon()
    words: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    hyphenated: set[tuple[str, ...]] = set()
    for category, entries in (data.get("categories") or {}).items():
        for entry in entries or ():
            parts = _split_entry(str(entry))
            if not parts:
                continue
            # a hyphenated word is one token for the regex tokenizer but several for spaCy: keep both
            if len(parts) == 1 or ("-" in str(entry) and " " not in str(entry)):
                words.setdefault(str(entry).strip().lower(), str(category))
            if len(parts) > 1:
                phrases.setdefault(parts, str(category))
                if " " not in str(entry).strip():
                    hyphenated.add(parts)
    return LoadedLexicon(
        words=words,
        phrases=phrases,
        max_phrase=max((len(p) for p in phrases), default=1),
        hyphenated=frozenset(hyphenated),
    )


@lru_cache(maxsize=1)
def _packaged_lexicon() -> LoadedLexicon:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = resources.files("storyline.data").joinpath("loaded_words.yaml").read_text(encoding="utf-8")
    return load_loaded_lexicon(yaml.load(text, Loader=loader))  # noqa: S506 - a safe loader


# -------------------------------------------------------------------------------------------- targets

_NOUNS = {"NOUN", "PROPN", "PRON"}


def _np_span(tok: Token) -> Offsets:
    """The noun phrase headed by ``tok``: its left modifiers (without a leading determiner) through the
    head ("the Russian dictator" → "Russian dictator"); a relative pronoun stands for its antecedent."""
    if tok.tag_ in ("WP", "WDT") and tok.head.dep_ == "relcl":
        tok = tok.head.head
    left = tok
    for child in tok.lefts:
        if child.dep_ in ("amod", "compound", "nmod", "nummod", "poss", "npadvmod") and child.i < left.i:
            left = child
    left = min(left.subtree, key=lambda t: t.i) if left is not tok else tok
    while left.i < tok.i and left.dep_ in ("det", "punct", "predet"):
        left = left.doc[left.i + 1]
    return left.idx, tok.idx + len(tok.text)


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    if verb.dep_ in ("xcomp", "ccomp", "conj", "advcl", "oprd", "acomp") and verb.head is not verb:
        return _subject(verb.head)
    if verb.dep_ == "relcl":
        return verb.head
    return None


def _target(tok: Token) -> Offsets | None:
    """The noun phrase a loaded token describes (see the module docstring), or None."""
    pos, dep = tok.pos_, tok.dep_
    if pos in ("ADJ", "VERB") and dep == "amod" and tok.head.pos_ in _NOUNS:
        return _np_span(tok.head)
    if pos == "ADJ" and dep == "amod" and tok.head.pos_ in ("ADP", "SCONJ"):  # "seen as naive" (as a parse)
        subj = _subject(tok.head.head)
        return _np_span(subj) if subj is not None else None
    if pos == "ADJ" and dep in ("acomp", "oprd", "attr", "xcomp", "advcl", "pobj", "conj"):
        head = tok.head
        if dep == "pobj" and head.dep_ == "prep":  # "seen as naive"
            head = head.head
        subj = _subject(head) if head is not tok else None
        return _np_span(subj) if subj is not None else None
    if pos in ("VERB", "AUX"):
        for child in tok.children:
            if child.dep_ in ("dobj", "obj", "attr"):
                return _np_span(child)
        for child in tok.children:
            if child.dep_ == "prep":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return _np_span(obj)
        return None
    if pos in ("NOUN", "PROPN"):
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "on", "against", "toward", "towards"):
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return _np_span(obj)
        if dep == "appos":
            return _np_span(tok.head)
        if dep == "attr":
            subj = _subject(tok.head)
            if subj is not None:
                return _np_span(subj)
        return _np_span(tok)
    if pos == "ADV" and tok.head is not tok and tok.head.pos_ in ("ADJ", "VERB", "NOUN"):
        head = tok.head
        return (head.idx, head.idx + len(head.text))
    return None


def _span_target(doc: Doc, i: int, size: int) -> Offsets | None:
    """Target of the loaded tokens ``doc[i:i+size]``: the first target (root first, then the tokens from
    the last) that is more than the words themselves; a noun phrase that starts with them is cut after
    them ("so-called talks" → "talks")."""
    span = doc[i : i + size]
    start, end = span.start_char, span.end_char
    candidates = [span.root, *reversed(list(span))]
    for tok in candidates:
        target = _target(tok)
        if target is None or (target[0] >= start and target[1] <= end):
            continue
        if target[0] >= start and target[0] < end:  # the phrase opens the noun phrase: keep what follows
            rest = [t for t in doc[i + size :] if t.idx < target[1] and not t.is_punct]
            if not rest:
                continue
            target = (rest[0].idx, target[1])
        return target
    return None


# -------------------------------------------------------------------------------------- loaded language


def _inside(spans: Sequence[Offsets], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _pos_ok(tok: Token, category: str) -> bool:
    """A single-word match counts unless it is part of a name ("Regime Change Inc.", "Dodge") or, for
    the verb category, not a verb ("a hammer", "the torch")."""
    if tok.pos_ == "PROPN" and tok.is_title and not tok.is_sent_start:
        return False
    return category != "loaded_verb" or tok.pos_ in ("VERB", "AUX")


def find_loaded(doc: Doc, lexicon: LoadedLexicon, *, attributed: Sequence[Offsets] = ()) -> list[LoadedSpan]:
    """Lexicon matches in ``doc`` with their targets, in text order, without overlaps."""
    out: list[LoadedSpan] = []
    tokens = list(doc)
    n = len(tokens)
    lowers = [t.lower_ for t in tokens]
    lemmas_all = [t.lemma_.lower() for t in tokens]
    hyphen = [t.text == "-" for t in tokens]
    firsts = lexicon.phrase_firsts
    hyph = lexicon.hyphenated
    i = 0
    while i < n:
        tok = tokens[i]
        hit: tuple[int, str] | None = None
        j = i
        while j < n and hyphen[j]:
            j += 1  # a phrase's first word is its first non-hyphen token
        if j < n and (lowers[j] in firsts or lemmas_all[j] in firsts):
            for size in range(min(lexicon.max_phrase, n - i), 1, -1):
                keep = [k for k in range(i, i + size) if not hyphen[k]]
                forms = tuple(lowers[k] for k in keep)
                lemmas = tuple(lemmas_all[k] for k in keep)
                cat = lexicon.phrases.get(forms) or lexicon.phrases.get(lemmas)
                if cat is not None and len(keep) == size and (forms in hyph or lemmas in hyph):
                    cat = None  # a hyphenated entry written as separate words ("would be")
                if cat is not None:
                    hit = (size, cat)
                    break
        if hit is None and (tok.is_alpha or "-" in tok.text):
            cat = lexicon.words.get(lowers[i].translate(_APOS)) or lexicon.words.get(lemmas_all[i])
            if cat is not None and _pos_ok(tok, cat):
                hit = (1, cat)
        if hit is None:
            i += 1
            continue
        size, cat = hit
        span = doc[i : i + size]
        start, end = span.start_char, span.end_char
        target = _span_target(doc, i, size)
        out.append(
            LoadedSpan(
                start=start,
                end=end,
                word=span.text,
                category=cat,
                target=target,
                attributed=_inside(attributed, start, end),
            )
        )
        i += size
    return out


# ------------------------------------------------------------------------------------------- sourcing

_KIND_FIELD = {
    "named": "named",
    "anonymous": "anonymous",
    "institution": "institutional",
    "pronoun": "pronoun_or_nominal",
    "nominal": "pronoun_or_nominal",
}


def _non_space(text: str) -> int:
    """Characters of ``text`` that are not whitespace (``str.split`` splits on exactly ``str.isspace``)."""
    return len("".join(text.split()))


def _union_length(spans: Iterable[Offsets], text: str) -> int:
    """Non-space characters of ``text`` covered by the union of ``spans``."""
    covered = 0
    last = 0
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans):
        start = max(start, last)
        if end > start:
            covered += _non_space(text[start:end])
            last = end
    return covered


def sourcing_profile(text: str, statements: Sequence[Any], *, n_words: int | None = None) -> SourcingProfile:
    """Sourcing counts of ``statements`` (any objects with ``speaker_kind`` and ``content``)."""
    counts = Counter(
        _KIND_FIELD.get(str(getattr(s, "speaker_kind", "unknown")), "unknown") for s in statements
    )
    words = n_words if n_words is not None else len(_ALPHA_RE.findall(text))
    contents = [tuple(s.content) for s in statements if getattr(s, "content", None)]
    chars = _non_space(text)
    return SourcingProfile(
        named=counts["named"],
        anonymous=counts["anonymous"],
        institutional=counts["institutional"],
        pronoun_or_nominal=counts["pronoun_or_nominal"],
        unknown=counts["unknown"],
        quotes_per_100_words=round(100.0 * len(statements) / words, 3) if words else 0.0,
        attributed_share=round(_union_length(contents, text) / chars, 4) if chars else 0.0,
    )


# ----------------------------------------------------------------------------------------------- main

_MIN_WORDS = 5
_TOP = 5
_TABLE_RE = re.compile(r"\t|\|.*\|| {3,}\S+ {3,}")


def _judgeable(sentence: str) -> bool:
    """A sentence worth classifying: at least five words, mostly words, not a table row."""
    words = _ALPHA_RE.findall(sentence)
    if len(words) < _MIN_WORDS or _TABLE_RE.search(sentence):
        return False
    tokens = sentence.split()
    return len(words) >= 0.5 * len(tokens)


def _sentence_offsets(text: str, doc: Doc | None, sentences: Sequence[Offsets] | None) -> list[Offsets]:
    if sentences is not None:
        return [(s, e) for s, e in sentences]
    assert doc is not None
    out: list[Offsets] = []
    for sent in doc.sents:
        # a sentence spanning lines (headline + lede with no full stop) is judged line by line
        start = sent.start_char
        for line in text[sent.start_char : sent.end_char].split("\n"):
            if line.strip():
                left = start + len(line) - len(line.lstrip())
                out.append((left, start + len(line.rstrip())))
            start += len(line) + 1
    return out


def analyze_framing(
    text: str,
    *,
    nlp_doc: Doc | None = None,
    sentences: Sequence[Offsets] | None = None,
    statements: Sequence[Any] = (),
    mentions: Sequence[Any] = (),
    model: BiasModel | SentenceScorer | None = None,
    lexicon: LoadedLexicon | None = None,
    tone_lexicon: ToneLexicon | None = None,
) -> Framing:
    """The framing of one article (pure: same inputs, same output; see the module docstring).

    ``nlp_doc`` must be a parse of ``text`` (parsed here with :func:`storyline.analyze.nlp.get_nlp` when
    not given); ``sentences`` overrides the sentence offsets; ``statements`` come from
    :func:`storyline.analyze.quotes.find_statements` or anything with the same attributes."""
    from .bias_embed import classical_scorer, sentence_scorer

    scorer = (
        classical_scorer(model)
        if isinstance(model, BiasModel)
        else model
        if model is not None
        else sentence_scorer()
    )
    lexicon = lexicon or load_loaded_lexicon()
    if nlp_doc is None:
        from storyline.analyze.nlp import get_nlp

        nlp_doc = get_nlp()(text)
    n_words = len(_ALPHA_RE.findall(text))
    contents = [tuple(s.content) for s in statements if getattr(s, "content", None)]
    loaded = tuple(find_loaded(nlp_doc, lexicon, attributed=contents))
    sourcing = sourcing_profile(text, statements, n_words=n_words)
    tones = actor_tones(nlp_doc, mentions, lexicon=tone_lexicon, loaded=loaded, attributed=contents)
    loaded_density = round(100.0 * len(loaded) / n_words, 3) if n_words else 0.0

    judgeable: list[Offsets] = []
    quoted: set[Offsets] = set()
    for start, end in _sentence_offsets(text, nlp_doc, sentences):
        sentence = text[start:end]
        if _judgeable(sentence):
            judgeable.append((start, end))
            inside = _union_length(
                [(max(s, start), min(e, end)) for s, e in contents if s < end and e > start], text
            )
            if 2 * inside >= _non_space(sentence):
                quoted.add((start, end))
    scores = scorer.scores_many([text[s:e] for s, e in judgeable]) if judgeable else []
    judged = list(zip(judgeable, scores, strict=True))
    if not judged:
        return Framing(
            opinion_score=0.0,
            bias_score=0.0,
            loaded=loaded,
            loaded_per_100_words=loaded_density,
            sourcing=sourcing,
            defaults_used=True,
            tones=tones,
            model=scorer.name,
            note=f"no judgeable sentence (needs {_MIN_WORDS}+ words of running text); scores default to 0",
        )

    def top(head: str) -> tuple[ScoredSpan, ...]:
        ranked = sorted(judged, key=lambda j: (-j[1][head], j[0][0]))
        return tuple(
            ScoredSpan(start=s, end=e, score=round(sc[head], 4), attributed=(s, e) in quoted)
            for (s, e), sc in ranked[:_TOP]
            if sc[head] >= 0.5
        )

    opinion = sum(sc["opinion"] for _, sc in judged) / len(judged)
    biased = sum(sc["bias"] >= 0.5 for _, sc in judged) / len(judged)
    return Framing(
        opinion_score=round(opinion, 4),
        opinion_sentences=top("opinion"),
        bias_score=round(biased, 4),
        biased_sentences=top("bias"),
        loaded=loaded,
        loaded_per_100_words=loaded_density,
        sourcing=sourcing,
        sentences_judged=len(judged),
        tones=tones,
        model=scorer.name,
    )
