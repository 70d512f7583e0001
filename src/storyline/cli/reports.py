"""The dossier as files: `storyline export` (jsonl, csv, timelinejs, graphml) and `report`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..errors import NotFound, UsageError
from ._common import DbOption, StoryOption, _corpus, _usage, app, err, out

EXPORTED = {"jsonl": "articles", "csv": "rows", "timelinejs": "timeline events", "graphml": "graph nodes"}
LinkBaseOption = Annotated[
    str | None,
    typer.Option("--link-base", help="Link evidence to this storyline web app, e.g. http://127.0.0.1:8000."),
]


@app.command()
def export(
    db: DbOption = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Export format: jsonl, csv, timelinejs, graphml.")
    ] = "jsonl",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (default stdout); for csv a directory or a .zip."),
    ] = None,
    story: StoryOption = None,
    link_base: LinkBaseOption = None,
) -> None:
    """Export the dossier (docs/export.md): jsonl (every article with its annotations), csv (one file
    per table), timelinejs (the timeline for Knight Lab TimelineJS), graphml (actors, statements,
    issues: opens in Gephi)."""
    if fmt not in EXPORTED:
        raise _usage(f"unknown export format {fmt!r} (known: {', '.join(EXPORTED)})")
    if fmt == "csv" and output is None:
        raise _usage("--format csv writes one file per table: give -o DIRECTORY or -o FILE.zip")
    with _corpus(db) as corpus:
        try:
            if story is not None:
                corpus.stories(story=story)  # an unknown story is a usage error, before any file is opened
            if output is None:
                n = corpus.export(sys.stdout, format=fmt, story=story, link_base=link_base)
            elif fmt == "csv":
                n = corpus.export(output, format=fmt, story=story)
            else:
                with output.open("w", encoding="utf-8") as fp:
                    n = corpus.export(fp, format=fmt, story=story, link_base=link_base)
        except (NotFound, UsageError) as exc:
            raise _usage(str(exc)) from exc
    err.print(f"exported {n} {EXPORTED[fmt]}" + (f" to {escape(str(output))}" if output else ""))


@app.command("report")
def report_command(
    db: DbOption = None,
    story: StoryOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md (Markdown) or html.")] = "md",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default stdout).")
    ] = None,
    link_base: Annotated[
        str, typer.Option("--link-base", help="HTML evidence links go to {link-base}/articles/{id}#span-….")
    ] = "",
) -> None:
    """A cited briefing: key developments, positions and how they moved, disputed figures, who said
    what, how outlets framed it; every sentence cites the article and span it rests on."""
    if fmt not in ("md", "html"):
        raise _usage(f"unknown report format {fmt!r} (known: md, html)")
    with _corpus(db) as corpus:
        try:
            text = corpus.report(story=story, format=fmt, link_base=link_base)
        except (NotFound, UsageError) as exc:
            raise _usage(str(exc)) from exc
    if output is None:
        out.file.write(text)
        return
    output.write_text(text, encoding="utf-8")
    err.print(f"wrote {escape(str(output))}")
