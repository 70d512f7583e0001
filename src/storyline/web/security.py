"""Security headers on every response of the web application.

Article text, titles, URLs and outlet names are untrusted input. Templates escape them (Jinja2
autoescape), the article reader escapes each text segment itself, and no page carries inline
script; this module adds the second line of defence: a strict Content Security Policy under which
a script can only come from this server's ``/static`` files — no inline ``<script>``, no ``on…``
attributes, no ``javascript:`` URLs, no plugins, no ``<base>`` rewriting, no framing — plus the
usual companions (``nosniff``, no referrer to the outlets an article links to).

``install(app)`` is called by :func:`storyline.web.app.create_app`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["CONTENT_SECURITY_POLICY", "SECURITY_HEADERS", "install"]

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class SecurityHeadersMiddleware:
    """A pure ASGI middleware: sets :data:`SECURITY_HEADERS` on every HTTP response (replacing any
    value a route set for the same header), streaming responses included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._encoded = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS]
        self._names = {k for k, _ in self._encoded}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in self._names]
                headers.extend(self._encoded)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI) -> None:
    """Add the security headers to every response ``app`` sends."""
    app.add_middleware(SecurityHeadersMiddleware)
    logger.debug("security headers installed")
