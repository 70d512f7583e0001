"""The web application: the REST API under ``/api``, server-rendered pages, static files.

``create_app`` is the only entry point; ``storyline serve`` and the tests both use it. Routers
live in their own modules and are mounted here:

- ``storyline.web.api``              REST API (JSON, OpenAPI at ``/api/openapi.json``)
- ``storyline.web.api_corrections``  corrections a person makes (REST)
- ``storyline.web.pages``            the HTML pages (Jinja2 templates in ``web/templates``)
- ``storyline.web.security``         security headers (Content Security Policy) for every response
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

if TYPE_CHECKING:
    from ..corpus import Corpus

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATES_DIR = Path(__file__).parent / "templates"

# (module, attribute, URL prefix); a module not yet present is skipped.
_ROUTERS: tuple[tuple[str, str, str], ...] = (
    ("storyline.web.api", "router", "/api"),
    ("storyline.web.api_corrections", "router", "/api"),
    ("storyline.web.pages", "router", ""),
)


def create_app(corpus: Corpus, *, ingest_token: str | None = None) -> FastAPI:
    """The application serving ``corpus``.

    ``ingest_token``: when given, ``POST /api/ingest`` is enabled and needs
    ``Authorization: Bearer <token>``; when ``None`` ingest over the API is off.
    """
    from .. import __version__

    app = FastAPI(
        title="storyline",
        version=__version__,
        description="A cited, time-resolved dossier of a news story.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.corpus = corpus
    app.state.ingest_token = ingest_token
    for module_name, attribute, prefix in _ROUTERS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        app.include_router(getattr(module, attribute), prefix=prefix)
    from . import api

    api.install(app)  # the one JSON error shape under /api, and the API's CorpusService
    try:
        security = importlib.import_module("storyline.web.security")
    except ModuleNotFoundError as exc:
        if exc.name != "storyline.web.security":
            raise
    else:
        security.install(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
