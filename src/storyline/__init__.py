"""storyline: a cited, time-resolved dossier from a pile of news articles."""

from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

from .corpus import Corpus, IngestReport, open  # noqa: E402
from .model import Article, Span  # noqa: E402

__all__ = ["Article", "Corpus", "IngestReport", "Span", "__version__", "open"]
