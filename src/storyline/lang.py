"""Language detection with py3langid, tolerant of tables, lists and all-caps text.

The text is reduced to its prose-like lines (tables, number-heavy and very short lines dropped),
lower-cased (all-caps text confuses character n-gram models) and capped in length before
classification. The model is loaded once per process, lazily.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

logger = logging.getLogger(__name__)

__all__ = ["LanguageGuess", "detect_language"]

_SAMPLE_CHARS = 600
_MIN_LETTERS = 20
_MIN_CONFIDENCE = 0.5  # below it the text is not said to be in any language
_URL_RE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")


@dataclass(frozen=True, kw_only=True, slots=True)
class LanguageGuess:
    code: str | None  # ISO 639-1, or None when the text gives too little to tell
    confidence: float


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


_LETTER_RE = re.compile(r"[^\W\d_]")  # a letter in any script (str.isalpha, give or take combining marks)


def _sample(text: str) -> str:
    kept: list[str] = []
    size = 0
    for line in text.splitlines():
        line = _URL_RE.sub(" ", line).strip()
        if not line or line.count("|") >= 2 or line.count("\t") >= 2:
            continue  # table rows
        letters = len(_LETTER_RE.findall(line))
        if letters < 12 or letters < 0.5 * len(line):
            continue  # numbers, prices, short labels
        kept.append(line)
        size += len(line)
        if size >= _SAMPLE_CHARS:
            break
    sample = " ".join(kept) if kept else text[:_SAMPLE_CHARS]
    return sample[:_SAMPLE_CHARS].lower()


def detect_language(text: str) -> LanguageGuess:
    """ISO 639-1 code and confidence (0–1) of the language of ``text``; ``code`` is ``None``
    when there is not enough text (fewer than 20 letters) or the best guess is under 0.5."""
    sample = _sample(text)
    if len(_LETTER_RE.findall(sample)) < _MIN_LETTERS:
        return LanguageGuess(code=None, confidence=0.0)
    code, prob = _identifier().classify(sample)
    if prob < _MIN_CONFIDENCE:
        # a guess this unsure is no answer: one short English line ("Karin Holmqvist met Anton Brandt
        # in Geneva on Tuesday.") comes out as Nigerian Pidgin at 0.13, English at 0.11
        return LanguageGuess(code=None, confidence=round(float(prob), 4))
    return LanguageGuess(code=str(code), confidence=round(float(prob), 4))
