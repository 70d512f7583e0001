"""The web application: the REST API under ``/api``, server-rendered pages, static files.

``create_app`` is the only entry point; ``storyline serve`` and the tests both use it. Routers
live in their own modules and are mounted here:

- ``storyline.web.api``              REST API (JSON, OpenAPI at ``/api/openapi.json``)
- ``storyline.web.api_corrections``  corrections a person makes (REST)
- ``storyline.web.pages``            the HTML pages (Jinja2 templates in ``web/templates``)
- ``storyline.web.security``         security headers (Content Security Policy) for every response
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from . import api, api_corrections, pages, security

if TYPE_CHECKING:
    from ..corpus import Corpus

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

STATIC_DIR = Path(__file__).parent / "static"


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
        docs_url=None,  # Swagger UI loads script from a CDN: offline and under the CSP it cannot run
        redoc_url=None,
    )
    app.state.corpus = corpus
    app.state.ingest_token = ingest_token
    app.include_router(api.router, prefix="/api")
    app.include_router(api_corrections.router, prefix="/api")
    app.include_router(pages.router)
    api.install(app)  # the one JSON error shape under /api, and the API's CorpusService
    security.install(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
