"""The stored articles: `storyline articles`, `show`, `stats` and `rm`."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import NotFound
from ._common import DbOption, JsonOption, StoryOption, _corpus, _print_json, _usage, _view, app, err, out


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
            from ..link.dates import with_inferred_date

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
        from ..export.jsonl import article_json

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
