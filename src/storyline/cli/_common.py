"""Shared pieces of the command line: the app and its callback (store, logging), the common
options, the consoles, and the helpers every command uses (opening the store, usage errors, JSON)."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from .. import __version__
from ..config import IngestConfig
from ..errors import ConfigError, NotFound, StorylineError, UsageError

app = typer.Typer(
    name="storyline",
    help="Turn news articles about an evolving story into a cited, time-resolved dossier.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DEFAULT_DB = "storyline.db"

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Store: a SQLite path (default ./storyline.db) or a database URL.", show_default=False
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Write JSON to stdout instead of a table.")]
StoryOption = Annotated[
    str | None, typer.Option("--story", help="Only this story (an id from `storyline stories`).")
]


class State:
    db: str = DEFAULT_DB
    verbose: int = 0


state = State()


def _version(value: bool) -> None:
    if value:
        out.print(f"storyline {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    db: DbOption = None,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="More log output (-vv: debug).")
    ] = 0,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """storyline: a cited dossier from news articles."""
    if db:
        state.db = db
    state.verbose = verbose
    # Skipped inputs and other outcomes are reported by the commands themselves; logs add detail.
    level = logging.ERROR if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("storyline")
    root.handlers = [h for h in root.handlers if isinstance(h, logging.NullHandler)] + [handler]
    root.setLevel(level)
    root.propagate = False


def _usage(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(message)}")
    return typer.Exit(code=2)


@contextmanager
def _corpus(db: str | None, *, config: IngestConfig | None = None) -> Iterator[Any]:
    from ..corpus import open as open_corpus

    try:
        corpus = open_corpus(db or state.db, config=config)
    except StorylineError as exc:
        raise _usage(str(exc)) from exc
    try:
        yield corpus
    except (ConfigError, UsageError) as exc:
        # a bad setting or data file met while working ("STORYLINE_SPILL_MB=abc"): one line, exit 2
        raise _usage(str(exc)) from exc
    except StorylineError as exc:
        # the machine's trouble, not the command's (no space for the spill file, the store gone)
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(code=1) from exc
    finally:
        corpus.close()


def _view(method: Any, **filters: Any) -> Any:
    """A corpus view; an unknown story or actor, or an ambiguous actor name, is a usage error."""
    try:
        return method(**filters)
    except (NotFound, UsageError) as exc:
        raise _usage(exc.message) from exc


def _print_json(data: Any) -> None:
    out.file.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
