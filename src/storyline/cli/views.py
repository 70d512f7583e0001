"""The analysis views: actors, quotes, positions, timeline, figures, outlets, stories."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import UsageError
from ._common import DbOption, JsonOption, StoryOption, _corpus, _print_json, _usage, _view, app, out


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
            "entries": [e.to_json() for e in ledger.history(a, i)],
            "flags": [
                {
                    "kind": f.kind,
                    "note": f.note,
                    "before": f.before.to_json(),
                    "after": f.after.to_json(),
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
            _outlets_cell(r),
        )
    out.print(table)


def _outlets_cell(row: dict[str, Any]) -> str:
    """The outlets reporting an entry and how many; articles of unknown outlet counted apart."""
    unknown = len({c["article"] for c in row["citations"] if not c.get("outlet")})
    names = list(row["outlets"]) + ([f"{unknown} of unknown outlet"] if unknown else [])
    return escape(", ".join(names)) + f" ({len(row['outlets']) + unknown})"


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
            f"{escape(x['text'])}{_figure_event_note(x.get('event'))} "
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


def _figure_event_note(event: dict[str, Any] | None) -> str:
    """The event a figure belongs to, when it has one: " — fired, 2025-05-18"."""
    if not event:
        return ""
    return escape(f" — {event['text']}" + (f", {event['date']}" if event.get("date") else ""))


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
            num(r["opinion_score"])
            + (f" ({r['opinion_share']:.0%} pieces)" if r.get("opinion_share") is not None else ""),
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

        from ..link.stories import embeddings_wanted

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
