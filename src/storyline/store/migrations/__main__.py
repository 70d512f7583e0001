"""``python -m storyline.store.migrations [-x db=URL|PATH] COMMAND …``: the alembic CLI, no ini file."""

from __future__ import annotations

import os
import sys

from alembic.config import CommandLine

from . import alembic_config


def _url(value: str) -> str:
    return value if "://" in value else f"sqlite:///{os.path.abspath(value)}"


def main(argv: list[str] | None = None) -> None:
    cli = CommandLine(prog="python -m storyline.store.migrations")
    options = cli.parser.parse_args(argv if argv is not None else sys.argv[1:])
    if not hasattr(options, "cmd"):
        cli.parser.error("too few arguments")
    db = os.environ.get("STORYLINE_DB", "storyline.db")
    for item in options.x or []:
        key, _, value = item.partition("=")
        if key == "db":
            db = value
    cli.run_cmd(alembic_config(_url(db)), options)


if __name__ == "__main__":
    main()
