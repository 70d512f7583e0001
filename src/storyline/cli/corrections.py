"""Corrections (storyline.corrections): `storyline correct …` and `storyline corrections`."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import NotFound, UsageError
from ._common import DbOption, JsonOption, _corpus, _print_json, _usage, app, err, out

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
