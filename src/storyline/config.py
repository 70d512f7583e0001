"""Settings for ingest and analysis; plain frozen dataclasses with sensible defaults."""

from __future__ import annotations

from dataclasses import dataclass

from . import __version__

USER_AGENT = f"storyline/{__version__} (+https://pypi.org/project/storyline/; news dossier builder)"


@dataclass(frozen=True, kw_only=True, slots=True)
class IngestConfig:
    max_bytes: int = 20_000_000  # size cap per input (file, page, record)
    min_words: int = 5  # an article with fewer words after cleaning is "empty"
    fetch_timeout: float = 20.0  # seconds, per request
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    host_delay: float = 1.0  # seconds between two requests to one host
    respect_robots: bool = True
    fetch_feed_items: bool = True  # follow each feed item's link to its page
    batch_size: int = 50  # articles per store transaction
