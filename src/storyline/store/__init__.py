"""Where articles live: the :class:`Store` protocol and its two implementations.

* :class:`SQLStore` — SQLite (a path or ``sqlite:///…``) or PostgreSQL (``postgresql://…`` or
  ``postgresql+psycopg://…``, through psycopg 3): one schema, one set of Alembic migrations.
* :class:`MemoryStore` — an in-memory double with the same semantics, for tests.

Every store answers :meth:`Store.search` (full text over current articles: FTS5 on SQLite,
``tsvector`` on PostgreSQL, token matching in memory) with a :class:`SearchResult`.
:func:`open_store` picks one from a path, a URL or ``":memory:"``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from .base import AddResult, AddStatus, SearchHit, SearchResult, Store
from .memory import MemoryStore

if TYPE_CHECKING:
    from .sql import SQLStore, sqlite_url


def __getattr__(name: str) -> Any:
    # SQLAlchemy and Alembic are imported on first use, so that ``import storyline`` stays quick.
    if name in ("SQLStore", "sqlite_url"):
        from . import sql

        return getattr(sql, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_store(db: str | os.PathLike[str]) -> Store:
    """A store for ``db``: ``":memory:"`` → :class:`MemoryStore`; a path or URL → :class:`SQLStore`."""
    text = os.fspath(db)
    if text == ":memory:":
        return MemoryStore()
    from .sql import SQLStore, sqlite_url

    return SQLStore(text if "://" in text else sqlite_url(text))


__all__ = [
    "AddResult",
    "AddStatus",
    "MemoryStore",
    "SQLStore",
    "SearchHit",
    "SearchResult",
    "Store",
    "open_store",
    "sqlite_url",
]
