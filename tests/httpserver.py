"""A tiny threaded HTTP server on 127.0.0.1 for tests: canned responses, recorded requests.

::

    with LocalServer({"/a": (200, {"Content-Type": "text/html"}, b"<html>…")}) as server:
        httpx.get(server.url("/a"))
        assert server.requests[0].path == "/a"

A route is ``(status, headers, body)`` or a :class:`Route` (for a ``delay`` before answering, or a body
sent without ``Content-Length``). A response with an ``ETag`` answers ``304`` to a matching
``If-None-Match``, as a real server would. Unknown paths are ``404``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass(frozen=True, kw_only=True, slots=True)
class Route:
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0  # seconds to wait before answering
    send_length: bool = True  # False: no Content-Length, the body ends when the connection closes


@dataclass(frozen=True, kw_only=True, slots=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    at: float


RouteSpec = Route | tuple[int, Mapping[str, str], bytes]


class LocalServer:
    """Serve ``routes`` (path with query → response) on an ephemeral port of 127.0.0.1."""

    def __init__(self, routes: Mapping[str, RouteSpec] | None = None) -> None:
        self.routes: dict[str, Route] = {}
        for path, spec in (routes or {}).items():
            self.set(path, spec)
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def set(self, path: str, spec: RouteSpec) -> None:
        if isinstance(spec, Route):
            self.routes[path] = spec
        else:
            status, headers, body = spec
            self.routes[path] = Route(status=status, headers=dict(headers), body=body)

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
                pass

            def do_GET(self) -> None:  # noqa: N802 - stdlib name
                with server._lock:
                    server.requests.append(
                        Request(
                            method="GET",
                            path=self.path,
                            headers={k.lower(): v for k, v in self.headers.items()},
                            at=time.monotonic(),
                        )
                    )
                route = server.routes.get(self.path) or Route(
                    status=404, headers={"Content-Type": "text/plain"}, body=b"not found"
                )
                if route.delay:
                    time.sleep(route.delay)
                etag = {k.lower(): v for k, v in route.headers.items()}.get("etag")
                try:
                    if etag and self.headers.get("If-None-Match") == etag:
                        self.send_response(304)
                        self.send_header("ETag", etag)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    self.send_response(route.status)
                    for key, value in route.headers.items():
                        self.send_header(key, value)
                    if route.send_length:
                        self.send_header("Content-Length", str(len(route.body)))
                    else:
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    self.end_headers()
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler


def news_page(
    *,
    title: str = "Ceasefire talks resume in Geneva",
    author: str = "Jane Doe",
    date: str = "2025-03-14",
    site: str = "Example Times",
    url: str = "https://news.example.com/world/ceasefire-talks",
    paragraphs: list[str] | None = None,
    cards: int = 0,
) -> str:
    """A news page like the ones tests serve: known title, author, date, paragraphs, some furniture."""
    paragraphs = paragraphs or [
        f"Negotiators returned to Geneva on Friday for round {i} of the talks, officials said, "
        "adding that the delegations would meet again next week to discuss the open issues."
        for i in range(1, 6)
    ]
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(12))
    teasers = "".join(
        f'<div class="card"><a href="/s/{i}"><h3>Teaser headline {i} on another topic</h3></a>'
        f'<p class="teaser">Short teaser text number {i} in a card.</p></div>'
        for i in range(cards)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | {site}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{site}">
<meta name="author" content="{author}">
<meta property="article:published_time" content="{date}T09:30:00+00:00">
<meta name="description" content="Talks resume.">
<link rel="canonical" href="{url}?utm_source=rss&amp;id=7#top">
</head><body>
<header><nav><ul>{nav}</ul></nav></header>
<main><article>
<h1>{title}</h1>
{body}
</article><section class="more">{teasers}</section></main>
<footer><p>Copyright 2025 {site}. All rights reserved.</p></footer>
</body></html>"""
