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
from datetime import date
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
    from .corpus import open as open_corpus

    try:
        corpus = open_corpus(db or state.db, config=config)
    except StorylineError as exc:
        raise _usage(str(exc)) from exc
    try:
        yield corpus
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
        _print_analyze(report)
    raise typer.Exit(code=1 if report.failed else 0)


def _run_analyze(
    corpus: Any, *, force: bool, engine: str = "local", jobs: int | None = None, scheduler: str | None = None
) -> Any:
    """Analyse on the chosen engine; an engine that cannot run (Dask missing, a scheduler that
    does not answer) is an error naming it, exit 2 (what was stored stays; run again to resume)."""
    from .engines import EngineError

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


def _print_analyze(report: Any) -> None:
    for article_id, reason in report.skipped:
        err.print(f"[yellow]not analysed[/yellow] {article_id}: {escape(reason)}")
    for article_id, error in report.failed:
        err.print(f"[red]failed[/red] {article_id}: {escape(error)}")
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
        _print_analyze(analysis)
    raise typer.Exit(code=1 if report.failed or analysis.failed else 0)


@app.command()
def actors(
    db: DbOption = None,
    json_out: JsonOption = False,
    type_: Annotated[
        str | None, typer.Option("--type", help="Only this type: PERSON, ORG, GPE, LOC.")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
    story: StoryOption = None,
) -> None:
    """Canonical actors: type, mentions, spellings seen, articles."""
    with _corpus(db) as corpus:
        rows = _view(corpus.actors, story=story)
    if type_:
        rows = [r for r in rows if r["type"] == type_.upper()]
    if limit is not None:
        rows = rows[:limit]
    if json_out:
        _print_json(rows)
        return
    table = Table()
    table.add_column("actor", overflow="fold")
    table.add_column("type", no_wrap=True)
    table.add_column("mentions", justify="right")
    table.add_column("articles", justify="right")
    table.add_column("spellings seen", overflow="fold", ratio=1)
    for r in rows:
        fixed = f" [corrected #{r['corrected']['id']}]" if "corrected" in r else ""  # storyline.corrections
        table.add_row(
            escape(r["name"] + fixed),
            r["type"],
            str(r["mentions"]),
            str(len(r["articles"])),
            escape(" · ".join(r["spellings"])),
        )
    out.print(table)


@app.command()
def quotes(
    db: DbOption = None,
    json_out: JsonOption = False,
    speaker: Annotated[
        str | None, typer.Option(help="Only statements whose speaker matches this name.")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
    story: StoryOption = None,
) -> None:
    """Who said what: direct, indirect and partial quotes with their speakers resolved."""
    with _corpus(db) as corpus:
        rows = _view(corpus.quotes, speaker=speaker, story=story)
    rows = rows[:limit] if limit is not None else rows
    if json_out:
        _print_json(rows)
        return
    table = Table()
    table.add_column("date", no_wrap=True)
    table.add_column("speaker", overflow="fold", max_width=28)
    table.add_column("kind", no_wrap=True)
    table.add_column("statement", overflow="fold", ratio=1)
    table.add_column("cite", no_wrap=True)
    for r in rows:
        kind = r["kind"] + (" (partial)" if r["partial"] else "")
        speaker_text = r["speaker"] or "?"
        if r["speaker_kind"] == "anonymous":
            speaker_text += " [anonymous]"
        if "corrected" in r:  # storyline.corrections: a person set the speaker
            speaker_text += f" [corrected #{r['corrected']['id']} by {r['corrected']['by']}]"
        cite = f"{r['article'][:8]}:{r['content']['start']}-{r['content']['end']}"
        table.add_row((r["date"] or "?")[:10], escape(speaker_text), kind, escape(r["content"]["text"]), cite)
    out.print(table)


@app.command()
def positions(
    db: DbOption = None,
    json_out: JsonOption = False,
    actor: Annotated[
        str | None, typer.Option(help="One actor (id or name): its positions over time.")
    ] = None,
    issue: Annotated[
        str | None, typer.Option(help="One issue (with --actor): how the position moved.")
    ] = None,
    story: StoryOption = None,
) -> None:
    """The positions ledger: actor × issue matrix; with --actor/--issue, the history with citations."""
    with _corpus(db) as corpus:
        ledger = _view(corpus.positions, story=story)
        names = {r["id"]: r["name"] for r in corpus.actors()}
    matrix = ledger.matrix()
    if actor is not None:
        wanted = actor.casefold()
        ids = [a for a in matrix if a == actor or wanted in names.get(a, a).casefold()]
        if not ids:
            raise _usage(f"no positions for an actor matching {actor!r}")
        matrix = {a: matrix[a] for a in ids}
    if issue is not None:
        matrix = {a: {i: v for i, v in by.items() if i == issue} for a, by in matrix.items()}
    history = [
        {
            "actor": a,
            "actor_name": names.get(a, a),
            "issue": i,
            "entries": [_entry_json(e) for e in ledger.history(a, i)],
            "flags": [
                {
                    "kind": f.kind,
                    "note": f.note,
                    "before": _entry_json(f.before),
                    "after": _entry_json(f.after),
                }
                for f in ledger.flags(a, i)
            ],
        }
        for a, by in matrix.items()
        for i in sorted(by)
        if by[i]
    ]
    if json_out:
        _print_json(history)
        return
    if actor is None:
        issues = sorted({h["issue"] for h in history})
        table = Table(title="positions: entries per actor and issue (! = change or contradiction)")
        table.add_column("actor", overflow="fold")
        for i in issues:
            table.add_column(i, justify="center")
        for a in matrix:
            cells = []
            for i in issues:
                h = next((h for h in history if h["actor"] == a and h["issue"] == i), None)
                cells.append("" if h is None else f"{len(h['entries'])}{'!' if h['flags'] else ''}")
            table.add_row(escape(names.get(a, a)), *cells)
        out.print(table)
        return
    for h in history:
        out.rule(f"{escape(h['actor_name'])} · {h['issue']}")
        for e in h["entries"]:
            out.print(
                f"{(e['date'] or '?'):10}  [bold]{e['stance']}[/bold]  {escape(e['content'])}  "
                f"[dim]({escape(e['outlet'] or '?')}, {e['article'][:8]}:{e['start']}-{e['end']})[/dim]"
            )
        for f in h["flags"]:
            out.print(f"[yellow]{f['kind']}[/yellow]: {escape(f['note'])}")


def _entry_json(e: Any) -> dict[str, Any]:
    return {
        "date": e.published.isoformat() if e.published else None,
        "stance": e.stance,
        "content": e.content,
        "outlet": e.outlet,
        "article": e.article_id,
        "start": e.start,
        "end": e.end,
        "holder_text": e.holder_text,
    } | ({"corrected": e.corrected} if e.corrected else {})


@app.command()
def timeline(
    db: DbOption = None,
    json_out: JsonOption = False,
    actor: Annotated[str | None, typer.Option(help="Only events with this actor (name or id).")] = None,
    since: Annotated[str | None, typer.Option("--from", help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Up to this date (YYYY-MM-DD).")] = None,
    approximate: Annotated[
        bool, typer.Option("--approximate", help="Also events placed only by their article's date.")
    ] = False,
    story: StoryOption = None,
) -> None:
    """The cross-outlet timeline: dated events, merged when outlets report the same one."""
    for value in (since, until):
        if value is not None:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise _usage(f"{value!r} is not a date (YYYY-MM-DD)") from None
    with _corpus(db) as corpus:
        actor_id = None
        if actor is not None:
            wanted = actor.casefold()
            matches = [r["id"] for r in corpus.actors() if r["id"] == actor or wanted in r["name"].casefold()]
            if not matches:
                raise _usage(f"no actor matching {actor!r}")
            actor_id = matches[0]
        rows = _view(
            corpus.timeline,
            actor=actor_id,
            since=since,
            until=until,
            include_approximate=approximate,
            story=story,
        )
    if json_out:
        _print_json(rows)
        return
    table = Table()
    table.add_column("date", no_wrap=True)
    table.add_column("what", overflow="fold", ratio=1)
    table.add_column("who", overflow="fold", max_width=30)
    table.add_column("outlets", overflow="fold", max_width=24)
    for r in rows:
        when = r["date"] or "?"
        if r["approximate"]:
            when = f"~{when}"
        if r["planned"]:
            when += " (planned)"
        if r["date_conflict"]:
            when += " [conflict: " + " / ".join(r["date_conflict"]) + "]"
        cites = ", ".join(f"{c['article'][:8]}:{c['start']}-{c['end']}" for c in r["citations"][:3])
        table.add_row(
            when,
            f"[bold]{r['type']}[/bold] {escape(r['what'])} [dim]({cites})[/dim]",
            escape(", ".join(r["participants"] + [f"@{p}" for p in r["places"]])),
            escape(", ".join(r["outlets"])) + f" ({len(r['outlets'])})",
        )
    out.print(table)


@app.command()
def figures(
    db: DbOption = None,
    json_out: JsonOption = False,
    conflicts: Annotated[
        bool, typer.Option("--conflicts", help="Only figures the outlets disagree on.")
    ] = False,
    story: StoryOption = None,
) -> None:
    """Figures with what they count, grouped across outlets: agreement and conflict."""
    with _corpus(db) as corpus:
        rows = _view(corpus.figures, story=story)
    if conflicts:
        rows = [r for r in rows if r["status"] == "conflict"]
    if json_out:
        _print_json(rows)
        return
    table = Table()
    table.add_column("what", overflow="fold")
    table.add_column("status", no_wrap=True)
    table.add_column("reports", overflow="fold", ratio=1)
    for r in rows:
        reports = "; ".join(
            f"{escape(x['text'])} "
            f"[dim]({escape(x['outlet'] or '?')}, {x['article'][:8]}:{x['start']}-{x['end']})[/dim]"
            for x in r["reports"]
        )
        style = {"conflict": "red", "agree": "green"}.get(r["status"], "dim")
        table.add_row(
            escape(r["what"] + (f" [{r['unit']}]" if r["unit"] else "")),
            f"[{style}]{r['status']}[/{style}]",
            reports,
        )
    out.print(table)


@app.command()
def outlets(db: DbOption = None, json_out: JsonOption = False, story: StoryOption = None) -> None:
    """Outlets side by side: opinion share, loaded language, anonymous sources, whom they quote."""
    with _corpus(db) as corpus:
        rows = _view(corpus.outlets, story=story)
    if json_out:
        _print_json(rows)
        return
    table = Table()
    for col in (
        "outlet",
        "articles",
        "opinion",
        "bias",
        "loaded/100w",
        "anonymous",
        "quoted",
        "events",
        "figures",
        "tone",
        "omits",
    ):
        table.add_column(col, overflow="fold")

    def num(value: float | None) -> str:
        return "?" if value is None else f"{value:.2f}"

    for r in rows:
        omits = r.get("omits") or {}
        table.add_row(
            escape(r["outlet"]) + (" (defaults)" if r["defaults_used"] else ""),
            str(r["articles"]),
            num(r["opinion_score"]),
            num(r["bias_score"]),
            num(r["loaded_per_100_words"]),
            num(r["anonymous_share"]),
            escape(", ".join(r["quoted"][:4])),
            str(r["events"]),
            str(r["figures"]),
            escape(", ".join(f"{t['name']} {t['tone']:+.2f}" for t in r.get("tone", [])[:3])),
            f"{omits.get('events_total', 0)} events, {omits.get('figures_total', 0)} figures",
        )
    out.print(table)


@app.command()
def stories(
    db: DbOption = None,
    json_out: JsonOption = False,
    embeddings: Annotated[
        bool,
        typer.Option(
            "--embeddings",
            help="Cluster with sentence embeddings too (the optional extra; also STORYLINE_EMBEDDINGS=1).",
        ),
    ] = False,
) -> None:
    """Stories: clusters of articles about one development, syndicated copies counted once."""
    if embeddings:
        import os

        from .link.stories import embeddings_wanted

        try:
            embeddings_wanted(True)  # a clear error when the extra is missing
        except UsageError as exc:
            raise _usage(exc.message) from exc
        os.environ["STORYLINE_EMBEDDINGS"] = "1"  # read by every story view of this process
    with _corpus(db) as corpus:
        rows = corpus.stories()
    if json_out:
        _print_json(rows)
        return
    table = Table()
    table.add_column("story", no_wrap=True)
    table.add_column("articles", justify="right")
    table.add_column("dates", no_wrap=True)
    table.add_column("outlets", overflow="fold")
    table.add_column("main actors", overflow="fold")
    table.add_column("titles", overflow="fold", ratio=1)
    for r in rows:
        size = str(r["articles"]) + (f" ({r['origins']} origins)" if r["origins"] != r["articles"] else "")
        table.add_row(
            r["id"],
            size,
            f"{r['from'] or '?'} – {r['to'] or '?'}",
            escape(", ".join(r["outlets"])),
            escape(", ".join(r["actors"])),
            escape(" | ".join(t or "" for t in r["titles"])),
        )
    out.print(table)


@app.command()
def articles(
    db: DbOption = None,
    json_out: JsonOption = False,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
    all_revisions: Annotated[
        bool, typer.Option("--all-revisions", help="Include superseded revisions.")
    ] = False,
    story: StoryOption = None,
) -> None:
    """List stored articles."""
    with _corpus(db) as corpus:
        rows = list(
            _view(corpus.articles, outlet=outlet, limit=limit, current_only=not all_revisions, story=story)
        )
        if any(a.published is None for a in rows):  # undated: the day linking inferred, if any
            from .link.dates import with_inferred_date

            inferred = corpus.inferred_dates()
            rows = [with_inferred_date(a, inferred[a.id]) if a.id in inferred else a for a in rows]
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
        if s["published_provenance"] == "inferred":
            pub += f" (inferred, {s['published_confidence']:.2f})"
        elif s["published_provenance"] and s["published_provenance"] != "given":
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
        "published_confidence": pub.confidence if pub else None,
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


# -- corrections (storyline.corrections): `storyline correct …`, `storyline corrections` --------

correct_app = typer.Typer(
    help="Correct what the machine got wrong (stored apart from its output, with who and when; "
    "survives re-analysis). Spans are character offsets into the article's clean text.",
    no_args_is_help=True,
)
app.add_typer(correct_app, name="correct")

ByOption = Annotated[
    str | None, typer.Option("--by", help="Who makes the correction (default: $USER).", show_default=False)
]
NoteOption = Annotated[str | None, typer.Option("--note", help="Why: a note kept with the correction.")]


def _author(by: str | None) -> str:
    import os

    author = (by or os.environ.get("USER") or "").strip()
    if not author:
        raise _usage("who makes this correction? pass --by NAME (USER is not set)")
    return author


def _correct(
    db: str | None, kind: str, target: dict[str, Any], value: Any, by: str | None, note: str | None, js: bool
) -> None:
    author = _author(by)
    with _corpus(db) as corpus:
        try:
            made = corpus.correct(kind, target, value, author=author, note=note)
        except (NotFound, UsageError) as exc:
            raise _usage(exc.message) from exc
    if js:
        _print_json(made.to_json())
    else:
        out.print(f"#{made.id} {escape(made.describe())}")
        err.print(f"correction #{made.id} by {escape(made.author)} stored")


def _event_ref(text: str) -> dict[str, Any]:
    parts = text.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
        raise _usage(f"an event is ARTICLE:START:END (the trigger's span), not {text!r}")
    return {"article": parts[0], "start": int(parts[1]), "end": int(parts[2])}


ArticleArg = Annotated[str, typer.Argument(metavar="ARTICLE", help="An article id (or a unique prefix).")]
StartArg = Annotated[int, typer.Argument(metavar="START", help="Start offset of the item's span.")]
EndArg = Annotated[int, typer.Argument(metavar="END", help="End offset (exclusive).")]


@correct_app.command("speaker")
def correct_speaker(
    article: ArticleArg,
    start: StartArg,
    end: EndArg,
    actor: Annotated[str | None, typer.Option("--actor", help="The actor who said it (id or name).")] = None,
    anonymous: Annotated[
        str | None, typer.Option("--anonymous", help="An unnamed source: its descriptor.")
    ] = None,
    by: ByOption = None,
    note: NoteOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Who said the statement whose content is START..END."""
    if (actor is None) == (anonymous is None):
        raise _usage("give the speaker: --actor NAME or --anonymous DESCRIPTOR (one of them)")
    value = {"actor": actor} if actor is not None else {"anonymous": anonymous}
    _correct(db, "speaker", {"article": article, "start": start, "end": end}, value, by, note, json_out)


@correct_app.command("date")
def correct_date(
    article: ArticleArg,
    value: Annotated[str, typer.Argument(metavar="DATE", help="The right value: 2025-12-04, 2025-W49, …")],
    timex: Annotated[
        tuple[int, int] | None, typer.Option("--timex", help="START END of the time expression to correct.")
    ] = None,
    event: Annotated[
        tuple[int, int] | None, typer.Option("--event", help="START END of the event trigger to re-date.")
    ] = None,
    by: ByOption = None,
    note: NoteOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """The article's publication date (relative dates resolve from it), or with --timex / --event
    the value of a time expression / the date of an event."""
    timex = timex if timex and None not in timex else None
    event = event if event and None not in event else None
    if timex is not None and event is not None:
        raise _usage("--timex and --event exclude each other")
    target: dict[str, Any] = {"article": article, "of": "published"}
    if timex is not None or event is not None:
        start, end = timex or event or (0, 0)
        target = {"article": article, "of": "timex" if timex else "event", "start": start, "end": end}
    _correct(db, "date", target, {"date": value}, by, note, json_out)


@correct_app.command("merge")
def correct_merge(
    actors: Annotated[list[str], typer.Argument(metavar="ACTOR ACTOR...", help="Actors that are one.")],
    into: Annotated[
        str | None, typer.Option("--into", help="The merged actor's name (default: the first's).")
    ] = None,
    by: ByOption = None,
    note: NoteOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Merge actors the machine kept apart."""
    _correct(db, "actor_merge", {"actors": actors}, {"into": into} if into else {}, by, note, json_out)


@correct_app.command("split")
def correct_split(
    actor: Annotated[str, typer.Argument(metavar="ACTOR", help="The actor that is really two.")],
    into: Annotated[str, typer.Option("--into", help="The name of the other actor.")],
    article: Annotated[
        list[str] | None, typer.Option("--article", help="Its mentions in this article are the other actor.")
    ] = None,
    mention: Annotated[
        list[str] | None, typer.Option("--mention", help="ARTICLE:START of one mention of the other actor.")
    ] = None,
    by: ByOption = None,
    note: NoteOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Split mentions off an actor into a new one."""
    mentions = []
    for m in mention or ():
        ref, _, start = m.rpartition(":")
        if not ref or not start.isdigit():
            raise _usage(f"--mention is ARTICLE:START, not {m!r}")
        mentions.append([ref, int(start)])
    target = {"actor": actor, "articles": list(article or ()), "mentions": mentions}
    _correct(db, "actor_split", target, {"into": into}, by, note, json_out)


@correct_app.command("rename")
def correct_rename(
    actor: Annotated[str, typer.Argument(metavar="ACTOR", help="An actor id or name.")],
    name: Annotated[str, typer.Argument(metavar="NAME", help="Its display name.")],
    by: ByOption = None,
    note: NoteOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Give an actor another display name (its id stays)."""
    _correct(db, "actor_rename", {"actor": actor}, {"name": name}, by, note, json_out)


@correct_app.command("merge-events")
def correct_merge_events(
    events: Annotated[
        list[str], typer.Argument(metavar="EVENT EVENT...", help="ARTICLE:START:END of each event trigger.")
    ],
    by: ByOption = None,
    note: NoteOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Make the timeline entries of these event mentions one entry."""
    _correct(db, "event_merge", {"events": [_event_ref(e) for e in events]}, {}, by, note, json_out)


@correct_app.command("split-event")
def correct_split_event(
    article: ArticleArg,
    start: StartArg,
    end: EndArg,
    by: ByOption = None,
    note: NoteOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Take the event mention START..END out of its timeline entry (it becomes an entry of its own)."""
    _correct(db, "event_split", {"article": article, "start": start, "end": end}, {}, by, note, json_out)


@correct_app.command("figure")
def correct_figure(
    article: ArticleArg,
    start: StartArg,
    end: EndArg,
    what: Annotated[str | None, typer.Option("--what", help="What the figure counts.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Its unit.")] = None,
    value: Annotated[float | None, typer.Option("--value", help="Its value.")] = None,
    value_high: Annotated[float | None, typer.Option("--value-high", help="The top of a range.")] = None,
    by: ByOption = None,
    note: NoteOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """What the figure START..END counts, its unit or value."""
    fields = {"what": what, "unit": unit, "value": value, "value_high": value_high}
    fixed = {k: v for k, v in fields.items() if v is not None}
    _correct(db, "figure", {"article": article, "start": start, "end": end}, fixed, by, note, json_out)


corrections_app = typer.Typer(help="The corrections people made, and withdrawing one.")
app.add_typer(corrections_app, name="corrections")


@corrections_app.callback(invoke_without_command=True)
def corrections_list(
    ctx: typer.Context,
    orphaned: Annotated[
        bool, typer.Option("--orphaned", help="Only those whose target a re-analysis no longer finds.")
    ] = False,
    all_: Annotated[bool, typer.Option("--all", help="Also the withdrawn ones.")] = False,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """List corrections with their status: applied, orphaned (kept; the reason), removed."""
    if ctx.invoked_subcommand is not None:
        return
    with _corpus(db) as corpus:
        rows = corpus.corrections(include_removed=all_)
    if orphaned:
        rows = [r for r in rows if r["status"] == "orphaned"]
    if json_out:
        _print_json(rows)
        return
    table = Table()
    for col in ("id", "kind", "correction", "by", "at", "status", "note"):
        table.add_column(col, overflow="fold")
    for r in rows:
        status = r["status"] + (f": {r['reason']}" if r["reason"] else "")
        table.add_row(
            str(r["id"]),
            r["kind"],
            escape(r["summary"]),
            escape(r["author"]),
            r["created_at"][:16].replace("T", " "),
            escape(status),
            escape(r["note"] or ""),
        )
    out.print(table)


@corrections_app.command("rm")
def corrections_rm(
    ids: Annotated[list[int], typer.Argument(metavar="ID...", help="Correction ids to withdraw.")],
    db: DbOption = None,
) -> None:
    """Withdraw corrections (they are kept, marked removed; the machine's output shows again)."""
    missing = 0
    with _corpus(db) as corpus:
        for cid in ids:
            if corpus.uncorrect(cid):
                err.print(f"withdrew correction #{cid}")
            else:
                err.print(f"[red]error:[/red] no active correction #{cid}")
                missing += 1
    if missing:
        raise typer.Exit(code=2)


eval_app = typer.Typer(
    help="Score storyline on public benchmarks and on gold annotations.", no_args_is_help=True
)
app.add_typer(eval_app, name="eval")

SystemOut = Annotated[
    Path | None,
    typer.Option("--system-out", help="Also write the system's raw output here, for independent scoring."),
]
LimitOpt = Annotated[int | None, typer.Option(help="Only the first N documents (a quick look).")]


def _existing_dir(path: Path) -> Path:
    if not path.is_dir():
        raise _usage(f"{path}: no such directory")
    return path


def _print_scores(result: dict[str, Any], json_out: bool, keys: tuple[str, ...]) -> None:
    if json_out:
        _print_json(result)
        return
    table = Table(show_header=False)
    table.add_column("measure")
    table.add_column("value", overflow="fold")
    rows: list[tuple[str, Any]] = []
    for key in keys:
        value = result.get(key)
        if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            rows.extend((f"{key}: {sub}", v) for sub, v in value.items())
        else:
            rows.append((key, value))
    for key, value in rows:
        if isinstance(value, dict):
            value = "  ".join(
                f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}" for k, v in value.items()
            )
        elif isinstance(value, float):
            value = f"{value:.4f}"
        table.add_row(key, escape(str(value)))
    out.print(table)


@eval_app.command("tempeval3")
def eval_tempeval3(
    path: Annotated[Path, typer.Argument(help="A TimeML folder (.tml files, searched recursively).")],
    system_out: SystemOut = None,
    limit: LimitOpt = None,
    json_out: JsonOption = False,
    narrative: Annotated[
        bool, typer.Option("--narrative", help="Histories (WikiWars): partial dates take the text's years.")
    ] = False,
) -> None:
    """TempEval-3 time expression scores: strict/relaxed span P/R/F1, type and value accuracy, value F1."""
    from .eval.tempeval3 import default_system, evaluate_tempeval3, narrative_system

    system = narrative_system if narrative else default_system
    result = evaluate_tempeval3(_existing_dir(path), system_out=system_out, limit=limit, system=system)
    _print_scores(result, json_out, tuple(k for k in result if k not in ("per_doc", "errors")))


@eval_app.command("event-dates")
def eval_event_dates(
    path: Annotated[
        Path,
        typer.Argument(help="A folder of TimeML .tml (TBAQ) or MEANTIME .xml files, searched recursively."),
    ],
    system_out: SystemOut = None,
    limit: LimitOpt = None,
    json_out: JsonOption = False,
    triggers: Annotated[
        str,
        typer.Option(
            "--triggers",
            help="'system': the event extractor's own triggers; 'gold': the gold EVENT spans, dated by the "
            "system (the date attachment measured on every gold dated event).",
        ),
    ] = "system",
) -> None:
    """Event date accuracy and coverage against TimeML links of events to day-precision dates."""
    from .errors import MalformedInput
    from .eval.event_dates import TRIGGERS, evaluate_event_dates

    if triggers not in TRIGGERS:
        raise _usage(f"--triggers: expected one of {', '.join(TRIGGERS)}, got {triggers!r}")
    try:
        result = evaluate_event_dates(
            _existing_dir(path), system_out=system_out, limit=limit, triggers=triggers
        )
    except MalformedInput as exc:
        raise _usage(str(exc)) from exc
    _print_scores(result, json_out, tuple(result))


@eval_app.command("polnear")
def eval_polnear(
    path: Annotated[Path, typer.Argument(help="A PolNeAR split folder (with attributions/ and text/).")],
    system_out: SystemOut = None,
    limit: LimitOpt = None,
    json_out: JsonOption = False,
    reference: Annotated[
        str,
        typer.Option(
            "--reference",
            help="Also score a reference extractor on the same documents: textacy (direct_quotations, "
            "skipped with a message when textacy is not installed) or none.",
        ),
    ] = "textacy",
) -> None:
    """PolNeAR attribution scores: content P/R/F1 (exact and ≥50% overlap), source and cue accuracy."""
    from .eval.polnear import REFERENCES, evaluate_polnear

    if reference not in REFERENCES:
        raise _usage(f"--reference: expected one of {', '.join(REFERENCES)}, got {reference!r}")
    result = evaluate_polnear(_existing_dir(path), system_out=system_out, limit=limit, reference=reference)
    _print_scores(result, json_out, tuple(k for k in result if k not in ("per_doc", "errors")))


@eval_app.command("gold")
def eval_gold(
    gold_dir: Annotated[Path, typer.Argument(help="A folder of gold_*.jsonl files (shared/gold format).")],
    articles: Annotated[Path, typer.Option("--articles", help="Folder holding the articles the gold names.")],
    no_sidecars: Annotated[
        bool, typer.Option("--no-sidecars", help="Ignore the articles' sidecars.")
    ] = False,
    system_out: SystemOut = None,
    json_out: JsonOption = False,
) -> None:
    """Score cleaning, statements, time expressions and dates against gold annotations."""
    from .eval.gold import evaluate_gold

    try:
        result = evaluate_gold(
            _existing_dir(gold_dir), _existing_dir(articles), system_out=system_out, sidecars=not no_sidecars
        )
    except UsageError as exc:
        raise _usage(str(exc)) from exc
    if json_out:
        _print_json(result)
        return
    summary = {
        "cleaning": {k: v for k, v in result["cleaning"].items() if k != "lost"},
        "statements": {k: v for k, v in result["statements"].items() if k != "errors"},
        "partial_quotes": {k: v for k, v in result["partial_quotes"].items() if k != "errors"},
        "timexes": {k: v for k, v in result["timexes"].items() if k != "details"},
        "figures": {k: v for k, v in result["figures"].items() if k != "errors"},
        "published": {k: v for k, v in result["published"].items() if k != "details"},
    }
    if "events" in result:
        summary["events"] = {k: v for k, v in result["events"].items() if k != "details"}
    _print_scores(summary, False, tuple(summary))


@eval_app.command("babe")
def eval_babe(
    csv_path: Annotated[Path, typer.Argument(help="A BABE CSV file (';'-separated).")],
    split: Annotated[
        str, typer.Option(help="'all' rows of the file, or the 'dev' split of the train file.")
    ] = "all",
    system_out: SystemOut = None,
    json_out: JsonOption = False,
    model: Annotated[
        str,
        typer.Option(
            help="Sentence model: 'classical' (default install), 'embeddings' (the optional extra, every "
            "sentence embedded), 'borderline' (embeddings only where the classical model is unsure) or "
            "'finetuned' (the same extra: MiniLM fine-tuned with adapters, blended with the classical model)."
        ),
    ] = "classical",
) -> None:
    """BABE sentence bias and opinion: macro F1 of each label ('No agreement' rows left out)."""
    from .eval.babe import evaluate_babe

    if not csv_path.is_file():
        raise _usage(f"{csv_path}: no such file")
    if split not in ("all", "dev"):
        raise _usage(f"--split must be 'all' or 'dev', not {split!r}")
    if model not in ("classical", "embeddings", "borderline", "finetuned"):
        raise _usage(
            f"--model must be 'classical', 'embeddings', 'borderline' or 'finetuned', not {model!r}"
        )
    if model != "classical":
        from . import embed

        if not embed.available():
            raise _usage(f"--model {model} needs the embeddings extra: {embed.INSTALL_HINT}")
    result = evaluate_babe(csv_path, system_out=system_out, split=split, model_name=model)
    _print_scores(result, json_out, tuple(result))


@eval_app.command("ecbplus")
def eval_ecbplus(
    path: Annotated[
        Path, typer.Argument(help="The ECB+ folder (ECB+/<topic>/*.xml and doc_clusters_gold.tsv).")
    ],
    topics: Annotated[str | None, typer.Option(help="Only these topics, e.g. 1,3,5 or 1-10.")] = None,
    system_out: SystemOut = None,
    json_out: JsonOption = False,
    embeddings: Annotated[
        bool, typer.Option("--embeddings", help="Add sentence embeddings (the optional extra).")
    ] = False,
) -> None:
    """ECB+ document clustering: B-cubed and pairwise P/R/F1 at topic and sub-topic level."""
    from .eval.ecbplus import evaluate_ecbplus

    chosen: list[int] | None = None
    if topics:
        try:
            chosen = []
            for part in topics.split(","):
                lo, _, hi = part.partition("-")
                chosen.extend(range(int(lo), int(hi or lo) + 1))
        except ValueError:
            raise _usage(f"--topics {topics!r}: expected numbers like 1,3,5 or 1-10") from None
    result = evaluate_ecbplus(
        _existing_dir(path), system_out=system_out, topics=chosen, embeddings=embeddings
    )
    _print_scores(result, json_out, tuple(k for k in result if k not in ("per_doc", "errors")))


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    ingest_token: Annotated[
        str | None,
        typer.Option(
            "--ingest-token",
            envvar="STORYLINE_INGEST_TOKEN",
            help="Enable POST /api/ingest for callers sending 'Authorization: Bearer TOKEN'.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the dossier: the web pages and the REST API (/api, OpenAPI description at /api/openapi.json)."""
    import uvicorn

    from .web.app import create_app

    if ingest_token is not None and len(ingest_token) < 16:
        raise _usage("--ingest-token must have at least 16 characters")
    with _corpus(db) as corpus:
        app_ = create_app(corpus, ingest_token=ingest_token)
        err.print(
            f"serving {escape(corpus.location or '')} on http://{host}:{port} "
            f"(API: http://{host}:{port}/api/openapi.json; ingest over the API "
            f"{'on, token needed' if ingest_token else 'off'})"
        )
        uvicorn.run(app_, host=host, port=port, log_level="warning" if state.verbose == 0 else "info")


def main() -> None:
    try:
        app()
    except UsageError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(2)
