"""The long-running commands: `storyline watch` (poll feeds) and `serve` (the web app and API)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from ._common import DbOption, _corpus, _usage, app, err, state
from .ingest import _print_report


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
    from ..ingest.watch import parse_interval

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

    from ..web.app import create_app

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
