"""The ``storyline`` command line: thin commands over the Python API.

Data goes to stdout, messages and progress to stderr. Exit codes: 0 all went
well, 1 some inputs failed (the rest was processed), 2 usage error (bad option,
unknown id, unreadable config).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import __version__
from .config import IngestConfig
from .errors import NotFound, StorylineError, UsageError

app = typer.Typer(
    name="storyline",
    help="Turn news articles about an evolving story into a cited, time-resolved dossier.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)

DEFAULT_DB = "storyline.db"

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Store: a SQLite path (default ./storyline.db) or a database URL.", show_default=False
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Write JSON to stdout instead of a table.")]


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
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
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
    from .corpus import open as open_corpus

    try:
        corpus = open_corpus(db or state.db, config=config)
    except StorylineError as exc:
        raise _usage(str(exc)) from exc
    try:
        yield corpus
    finally:
        corpus.close()


def _print_json(data: Any) -> None:
    out.file.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@app.command()
def ingest(
    inputs: Annotated[
        list[str], typer.Argument(help="Files, directories, globs, URLs, feeds, or - for stdin.")
    ],
    db: DbOption = None,
    json_out: JsonOption = False,
    max_bytes: Annotated[int, typer.Option(help="Size cap per input, in bytes.")] = IngestConfig().max_bytes,
    batch_size: Annotated[
        int, typer.Option(help="Articles per store transaction.")
    ] = IngestConfig().batch_size,
    no_robots: Annotated[
        bool, typer.Option("--no-robots", help="Ignore robots.txt (your own sites).")
    ] = False,
) -> None:
    """Read articles, clean them and store them. Ingesting the same thing again changes nothing."""
    if max_bytes <= 0 or batch_size <= 0:
        raise _usage("--max-bytes and --batch-size must be positive")
    config = IngestConfig(max_bytes=max_bytes, batch_size=batch_size, respect_robots=not no_robots)
    with _corpus(db, config=config) as corpus:
        report = _run_ingest(corpus, inputs)
    if json_out:
        _print_json(report.to_json())
    else:
        _print_report(report)
    raise typer.Exit(code=1 if report.failed else 0)


def _run_ingest(corpus: Any, inputs: list[str]) -> Any:
    show_progress = err.is_terminal
    if not show_progress:
        return corpus.add(inputs)
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} articles"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("ingesting", total=None)

        def on_event(event: Any) -> None:
            progress.update(task, advance=1, description=f"ingesting {escape(str(event.origin))[-40:]}")

        return corpus.add(inputs, progress=on_event)


def _print_report(report: Any) -> None:
    for failure in report.failed:
        err.print(f"[yellow]skipped[/yellow] {escape(str(failure))}")
    summary = (
        f"{report.added} added, {report.revised} revised, {report.unchanged} unchanged, "
        f"{len(report.failed)} failed"
    )
    err.print(summary)


@app.command()
def articles(
    db: DbOption = None,
    json_out: JsonOption = False,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
    all_revisions: Annotated[
        bool, typer.Option("--all-revisions", help="Include superseded revisions.")
    ] = False,
) -> None:
    """List stored articles."""
    with _corpus(db) as corpus:
        rows = list(corpus.articles(outlet=outlet, limit=limit, current_only=not all_revisions))
    if json_out:
        _print_json([_article_summary(a) for a in rows])
        return
    table = Table(show_lines=False)
    table.add_column("id", no_wrap=True, min_width=16)
    table.add_column("published", no_wrap=True)
    table.add_column("outlet", overflow="fold", max_width=20)
    table.add_column("title", overflow="fold", ratio=1)
    table.add_column("words", justify="right", no_wrap=True)
    for a in rows:
        s = _article_summary(a)
        pub = s["published"] or "?"
        if s["published_provenance"] and s["published_provenance"] != "given":
            pub += f" ({s['published_provenance']})"
        table.add_row(
            s["id"], pub, escape(s["outlet"] or "?"), escape(s["title"] or "(no title)"), str(s["words"])
        )
    out.print(table)


def _article_summary(a: Any) -> dict[str, Any]:
    pub = a.meta.published
    return {
        "id": a.id,
        "source": a.source_key,
        "revision": a.revision,
        "outlet": a.outlet,
        "title": a.title,
        "published": pub.value if pub else None,
        "published_provenance": pub.provenance if pub else None,
        "language": a.language,
        "words": len(a.text.split()),
        "removed": len(a.removed),
    }


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (or a unique prefix).")],
    db: DbOption = None,
    json_out: JsonOption = False,
    furniture: Annotated[
        bool, typer.Option("--furniture/--no-furniture", help="Show the removed page furniture inline.")
    ] = True,
) -> None:
    """Show one article: metadata, clean text, and the furniture that cleaning removed."""
    with _corpus(db) as corpus:
        try:
            article = corpus.get(article_id)
        except NotFound as exc:
            raise _usage(str(exc)) from exc
    if json_out:
        from .export.jsonl import article_json

        _print_json(article_json(article))
        return
    meta = article.meta.to_json()
    out.print(f"[bold]{escape(article.title or '(no title)')}[/bold]")
    for name in ("outlet", "author", "published", "url", "original_source"):
        if name in meta:
            m = meta[name]
            out.print(f"[dim]{name}:[/dim] {escape(m['value'])} [dim]({m['provenance']})[/dim]")
    out.print(
        f"[dim]id:[/dim] {article.id}  [dim]revision:[/dim] {article.revision}  [dim]source:[/dim] "
        f"{escape(article.source_key)}"
    )
    if article.language:
        out.print(f"[dim]language:[/dim] {article.language}")
    out.rule()
    if not furniture:
        out.print(escape(article.text))
        return
    # Interleave removed furniture (struck, dim) with the kept raw text, in raw order.
    pos = 0
    for r in sorted(article.removed, key=lambda r: r.raw_start):
        if r.raw_start > pos:
            out.print(escape(article.raw[pos : r.raw_start]), end="")
        chunk = article.raw[r.raw_start : r.raw_end].strip("\n")
        if chunk.strip():
            out.print(
                f"[dim italic]⟨removed: {escape(r.reason)}⟩[/dim italic] "
                f"[dim strike]{escape(chunk)}[/dim strike]"
            )
        pos = max(pos, r.raw_end)
    if pos < len(article.raw):
        out.print(escape(article.raw[pos:]), end="")
    out.print()


@app.command()
def stats(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Counts: articles, revisions, outlets, languages, date range."""
    with _corpus(db) as corpus:
        data = corpus.stats()
    if json_out:
        _print_json(data)
        return
    table = Table(show_header=False)
    table.add_column("what")
    table.add_column("value", overflow="fold")
    for key, value in data.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items()) or "-"
        table.add_row(key, escape(str(value)))
    out.print(table)


@app.command()
def rm(
    article_ids: Annotated[list[str], typer.Argument(metavar="ID...", help="Article ids to remove.")],
    db: DbOption = None,
) -> None:
    """Remove articles and everything derived from them."""
    missing = 0
    with _corpus(db) as corpus:
        for aid in article_ids:
            try:
                article = corpus.get(aid)
            except NotFound as exc:
                err.print(f"[red]error:[/red] {escape(str(exc))}")
                missing += 1
                continue
            corpus.remove(article.id)
            err.print(f"removed {article.id} ({escape(article.title or article.source_key)})")
    if missing:
        raise typer.Exit(code=2)


@app.command()
def export(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Export format: jsonl.")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default stdout).")
    ] = None,
) -> None:
    """Export every current article with its annotations (schema: docs/export.md)."""
    if fmt != "jsonl":
        raise _usage(f"unknown export format {fmt!r} (known: jsonl)")
    with _corpus(db) as corpus:
        if output is None:
            n = corpus.export(sys.stdout, format=fmt)
        else:
            with output.open("w", encoding="utf-8") as fp:
                n = corpus.export(fp, format=fmt)
    err.print(f"exported {n} articles")


@app.command()
def watch(
    urls: Annotated[list[str], typer.Argument(metavar="FEED|URL...", help="Feeds or pages to poll.")],
    every: Annotated[str, typer.Option(help="Polling interval: 30s, 15m, 1h, 2h30m.")] = "15m",
    db: DbOption = None,
    times: Annotated[
        int | None, typer.Option(help="Stop after this many polls (default: run until Ctrl-C).")
    ] = None,
) -> None:
    """Poll feeds (conditional requests, robots.txt, a per-host rate limit) and ingest new items."""
    from .ingest.watch import parse_interval

    try:
        interval = parse_interval(every)
    except ValueError as exc:
        raise _usage(str(exc)) from exc
    if times is not None and times <= 0:
        raise _usage("--times must be positive")
    with _corpus(db) as corpus:
        try:
            failed = corpus.watch(urls, every=interval, stop_after=times, on_report=_print_report)
        except KeyboardInterrupt:
            err.print("stopped")
            failed = 0
    raise typer.Exit(code=1 if failed else 0)


def main() -> None:
    try:
        app()
    except UsageError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(2)
