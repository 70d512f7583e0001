"""The ``storyline`` command line: thin commands over the Python API.

Data goes to stdout, messages and progress to stderr. Exit codes: 0 all went
well, 1 some inputs failed (the rest was processed), 2 usage error (bad option,
unknown id, unreadable config).

The commands live in modules along their groups; importing them registers them on
``app`` (``storyline --help`` lists them in import order, so keep the order below).
"""

from __future__ import annotations

import sys

from rich.markup import escape

from ..errors import UsageError

# Importing a command module registers its commands; the help lists them in this order.
# isort: off
from . import ingest  # noqa: F401
from . import views  # noqa: F401
from . import articles  # noqa: F401
from . import reports  # noqa: F401
from . import service  # noqa: F401
from . import corrections  # noqa: F401
from . import evaluation  # noqa: F401

# isort: on
from ._common import DEFAULT_DB, DbOption, JsonOption, State, StoryOption, app, err, out, state
from .corrections import correct_app, corrections_app
from .evaluation import eval_app

__all__ = [
    "DEFAULT_DB",
    "DbOption",
    "JsonOption",
    "State",
    "StoryOption",
    "app",
    "correct_app",
    "corrections_app",
    "err",
    "eval_app",
    "main",
    "out",
    "state",
]


def main() -> None:
    try:
        app()
    except UsageError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(2)
