"""Getting articles in and analysed: `storyline ingest`, `analyze` and `run` (both in turn)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape

from ..config import IngestConfig
from ..errors import UsageError
from ._common import DbOption, JsonOption, _corpus, _print_json, _usage, app, err


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
    """Ingest ``inputs``; a broken lexicon or setting (a ConfigError, the same for every article) is an
    error naming it, exit 2, before anything is stored."""
    from ..errors import ConfigError

    try:
        return _ingest(corpus, inputs)
    except ConfigError as exc:
        raise _usage(str(exc)) from exc


def _ingest(corpus: Any, inputs: list[str]) -> Any:
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
    for note in report.notes:
        err.print(f"[cyan]note[/cyan] {escape(note)}")
    for failure in report.failed:
        err.print(f"[yellow]skipped[/yellow] {escape(str(failure))}")
    summary = (
        f"{report.added} added, {report.revised} revised, {report.updated} updated, "
        f"{report.unchanged} unchanged, "
        f"{len(report.failed)} failed"
    )
    err.print(summary)


EngineOption = Annotated[
    str,
    typer.Option(
        "--engine", help="Where the analysis runs: local (this machine) or dask (Dask distributed)."
    ),
]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help="Worker processes (local default 1: in this process; a local Dask cluster default 2).",
        show_default=False,
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="A running Dask scheduler, tcp://HOST:PORT (with --engine dask).",
        show_default=False,
    ),
]


@app.command()
def analyze(
    db: DbOption = None,
    json_out: JsonOption = False,
    force: Annotated[
        bool, typer.Option("--force", help="Re-analyse everything (after a model or data change).")
    ] = False,
    engine: EngineOption = "local",
    jobs: JobsOption = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Analyse what is not analysed yet: actors, time expressions, statements; then link actors."""
    with _corpus(db) as corpus:
        report = _run_analyze(corpus, force=force, engine=engine, jobs=jobs, scheduler=scheduler)
        if json_out:
            _print_json(report.to_json())
        else:
            _print_analyze(report, corpus)
    raise typer.Exit(code=1 if report.failed else 0)


def _run_analyze(
    corpus: Any, *, force: bool, engine: str = "local", jobs: int | None = None, scheduler: str | None = None
) -> Any:
    """Analyse on the chosen engine; an engine that cannot run (Dask missing, a scheduler that
    does not answer) is an error naming it, exit 2 (what was stored stays; run again to resume)."""
    from ..engines import EngineError

    options = {"force": force, "engine": engine, "jobs": jobs, "scheduler": scheduler}
    try:
        if not err.is_terminal:
            return corpus.analyze(**options)
        from rich.progress import Progress

        with Progress(console=err, transient=True) as progress:
            task = progress.add_task("analysing", total=None)
            return corpus.analyze(**options, progress=lambda _id: progress.advance(task))
    except (EngineError, UsageError) as exc:
        raise _usage(str(exc)) from exc


def _print_analyze(report: Any, corpus: Any = None) -> None:
    def named(article_id: str) -> str:
        # the article and the input it came from ("a1b2… (local:long.txt)")
        if corpus is None:
            return article_id
        try:
            return f"{article_id} ({corpus.get(article_id).source_key})"
        except Exception:  # noqa: BLE001 - a name for a message, never a reason to fail
            return article_id

    for article_id, reason in report.skipped:
        err.print(f"[yellow]not analysed[/yellow] {escape(named(article_id))}: {escape(reason)}")
    for article_id, error in report.failed:
        err.print(f"[red]failed[/red] {escape(named(article_id))}: {escape(error)}")
    err.print(
        f"{report.analyzed} analysed, {report.up_to_date} up to date, {len(report.skipped)} skipped, "
        f"{len(report.failed)} failed"
    )


@app.command()
def run(
    inputs: Annotated[
        list[str], typer.Argument(help="Files, directories, globs, URLs, feeds, or - for stdin.")
    ],
    db: DbOption = None,
    engine: EngineOption = "local",
    jobs: JobsOption = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Ingest, then analyse: `storyline ingest` followed by `storyline analyze`."""
    with _corpus(db) as corpus:
        report = _run_ingest(corpus, inputs)
        _print_report(report)
        analysis = _run_analyze(corpus, force=False, engine=engine, jobs=jobs, scheduler=scheduler)
        _print_analyze(analysis, corpus)
    raise typer.Exit(code=1 if report.failed or analysis.failed else 0)
