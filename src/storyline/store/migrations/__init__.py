"""Alembic migrations for the store, shipped inside the package and run from code.

No ``alembic.ini`` is needed: :func:`alembic_config` builds the configuration.
:class:`~storyline.store.sql.SQLStore` upgrades a store to the head revision when it opens it.
For the ``alembic`` commands (``history``, ``current``, ``revision --autogenerate``…), run::

    python -m storyline.store.migrations -x db=sqlite:///storyline.db current
    python -m storyline.store.migrations -x db=storyline.db revision --autogenerate -m "add x"

The revisions are frozen snapshots: never edit a released one, add a new one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPT_LOCATION = Path(__file__).resolve().parent


def alembic_config(url: str | None = None, *, connection: Any = None) -> Config:
    """An Alembic ``Config`` for the store's migrations, against ``url`` or an open ``connection``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    cfg.set_main_option("path_separator", "os")
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg
