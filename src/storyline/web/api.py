"""The REST API, mounted at ``/api`` by :func:`storyline.web.app.create_app` (docs: ``docs/api.md``).

Every list answers one envelope, ``{"ok": true, "total", "limit", "offset", "items"}``, and
takes the filters that make sense for it: ``story`` (a story id), ``actor`` (an actor id or
name), ``outlet`` (case-insensitive), ``since``/``until`` (ISO dates, inclusive). Every error
answers ``{"ok": false, "status", "error": {"code", "message"}}`` with a code of
:mod:`storyline.errors` (:func:`install` registers the handlers). Ingest over the API
(``POST /api/ingest``) is off unless the app was made with an ingest token.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import InputError, NotFound, StorylineError, UsageError
from .deps import CorpusService, article_summary, get_service
from .schemas import (
    ActorOut,
    ArticleDetail,
    ArticleSummary,
    ErrorResponse,
    FigureGroupOut,
    IngestBody,
    IngestReportOut,
    OutletOut,
    Page,
    PositionCellOut,
    PositionHistoryOut,
    SearchHitOut,
    StatementOut,
    StoryOut,
    TimelineEntryOut,
)

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
#: the codes for HTTP errors that are not a StorylineError (unknown path, wrong method, bad token)
HTTP_CODES = {404: NotFound.code, 500: StorylineError.code}


class ApiError(StarletteHTTPException):
    """An HTTP error with a storyline error code, answered in the one error shape."""

    def __init__(self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None):
        super().__init__(status_code=status, detail=message, headers=headers)
        self.code = code


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Usage error (E401), e.g. an ambiguous actor name."},
    404: {"model": ErrorResponse, "description": "No such article, actor, story (E302)."},
    422: {"model": ErrorResponse, "description": "A parameter failed validation (E401)."},
    500: {"model": ErrorResponse, "description": "A store or internal error (E301, E000)."},
}

router = APIRouter(responses=ERRORS)

Service = Annotated[CorpusService, Depends(get_service)]


# -- the error shape ----------------------------------------------------------------------------


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"ok": False, "status": status, "error": {"code": code, "message": message}}
    return JSONResponse(body, status_code=status, headers=headers)


def _status_of(exc: StorylineError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, UsageError | InputError):
        return 400
    return 500  # StoreError, ConfigError: the server's problem, not the request's


def _describe(errors: Any) -> str:
    parts = []
    for e in errors:
        where = ".".join(str(x) for x in e.get("loc", ()) if x != "body") or "request"
        parts.append(f"{where}: {e.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install(app: FastAPI) -> None:
    """Answer every error under ``/api`` in the one shape (other paths keep FastAPI's defaults),
    and give the app its :class:`CorpusService`."""
    from fastapi.exception_handlers import (
        http_exception_handler,
        request_validation_exception_handler,
    )

    def is_api(request: Request) -> bool:
        return request.url.path == "/api" or request.url.path.startswith("/api/")

    async def on_http(request: Request, exc: Exception) -> Any:
        assert isinstance(exc, StarletteHTTPException)
        if not is_api(request):
            return await http_exception_handler(request, exc)
        code = getattr(exc, "code", None) or HTTP_CODES.get(exc.status_code, UsageError.code)
        message = str(exc.detail)
        if exc.status_code == 404 and not isinstance(exc, ApiError):
            message = f"no such path: {request.url.path}"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return error_response(exc.status_code, code, message, getattr(exc, "headers", None))

    async def on_validation(request: Request, exc: Exception) -> Any:
        assert isinstance(exc, RequestValidationError)
        if not is_api(request):
            return await request_validation_exception_handler(request, exc)
        return error_response(422, UsageError.code, _describe(exc.errors()))

    async def on_storyline(request: Request, exc: Exception) -> Any:
        assert isinstance(exc, StorylineError)
        status = _status_of(exc)
        if status == 500:
            logger.error("%s %s failed: %s", request.method, request.url.path, exc)
        if not is_api(request):
            return PlainTextResponse(str(exc), status_code=status)
        return error_response(status, exc.code, exc.message)

    async def on_crash(request: Request, exc: Exception) -> Any:
        logger.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        if not is_api(request):
            return PlainTextResponse("Internal Server Error", status_code=500)
        message = f"internal error while answering {request.method} {request.url.path}: {type(exc).__name__}"
        return error_response(500, StorylineError.code, message)

    app.state.corpus_service = CorpusService(
        app.state.corpus, ingest_token=getattr(app.state, "ingest_token", None)
    )
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StorylineError, on_storyline)
    app.add_exception_handler(Exception, on_crash)


# -- filters and pages --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Filters:
    story: str | None = None
    actor: str | None = None
    outlet: str | None = None
    since: date | None = None
    until: date | None = None

    def kwargs(self) -> dict[str, Any]:
        return {
            "story": self.story,
            "actor": self.actor,
            "outlet": self.outlet,
            "since": self.since,
            "until": self.until,
        }

    def key(self) -> tuple[Any, ...]:
        return (self.story, self.actor, self.outlet, self.since, self.until)


def filters(
    story: Annotated[str | None, Query(description="A story id (GET /api/stories).")] = None,
    actor: Annotated[str | None, Query(description="An actor id, or a name or part of one.")] = None,
    outlet: Annotated[str | None, Query(description="An outlet name (case-insensitive).")] = None,
    since: Annotated[date | None, Query(description="From this date (YYYY-MM-DD, inclusive).")] = None,
    until: Annotated[date | None, Query(description="Up to this date (YYYY-MM-DD, inclusive).")] = None,
) -> Filters:
    if since is not None and until is not None and since > until:
        raise UsageError(f"since ({since}) is after until ({until})")
    return Filters(story=story, actor=actor, outlet=outlet, since=since, until=until)


@dataclass(frozen=True, kw_only=True, slots=True)
class Paging:
    limit: int
    offset: int


def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, description="Items to skip.")] = 0,
) -> Paging:
    return Paging(limit=limit, offset=offset)


Scope = Annotated[Filters, Depends(filters)]
Pages = Annotated[Paging, Depends(paging)]


def page(rows: list[Any], paging: Paging) -> dict[str, Any]:
    return {
        "ok": True,
        "total": len(rows),
        "limit": paging.limit,
        "offset": paging.offset,
        "items": rows[paging.offset : paging.offset + paging.limit],
    }


def _view(service: CorpusService, name: str, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    return service.memo((name, *key), compute)


# -- articles -----------------------------------------------------------------------------------


@router.get("/articles", tags=["articles"], response_model=Page[ArticleSummary], summary="List articles")
def list_articles(service: Service, scope: Scope, paging: Pages) -> dict[str, Any]:
    """Current articles by publication date (undated last), then id. ``since``/``until`` bound the
    publication date; ``actor`` keeps the articles that mention the actor."""
    return page(service.article_list(**scope.kwargs()), paging)


@router.get("/articles/{article_id}", tags=["articles"], response_model=ArticleDetail, summary="One article")
def get_article(
    service: Service,
    article_id: Annotated[str, PathParam(description="An article id or a unique prefix (6+ characters).")],
    annotations: Annotated[bool, Query(description="Include the annotations (links the corpus).")] = True,
) -> dict[str, Any]:
    """The clean text, metadata with provenance, the furniture cleaning removed (offsets into the
    raw input), and every annotation with its span."""
    with service.lock:
        article = service.corpus.get(article_id)
        notes = service.corpus.annotations(article) if annotations else {}
    return {
        **article_summary(article),
        "text": article.text,
        "source_key": article.source_key,
        "origin": article.origin,
        "meta": article.meta.to_json(),
        "removed": [
            {"raw_start": r.raw_start, "raw_end": r.raw_end, "reason": r.reason, "text": r.text}
            for r in article.removed
        ],
        "annotations": notes,
    }


# -- actors and statements ----------------------------------------------------------------------


@router.get("/actors", tags=["actors"], response_model=Page[ActorOut], summary="Canonical actors")
def list_actors(
    service: Service,
    scope: Scope,
    paging: Pages,
    type: Annotated[str | None, Query(description="PERSON, ORG, GPE, LOC, …")] = None,  # noqa: A002
) -> dict[str, Any]:
    """Actors, most mentioned first, with the spellings seen and the articles mentioning them.
    With ``actor``: the actors named in the same articles."""
    rows = _view(service, "actors", scope.key(), lambda: service.corpus.actors(**scope.kwargs()))
    if type is not None:
        rows = [r for r in rows if r["type"] == type.upper()]
    return page(rows, paging)


@router.get("/statements", tags=["statements"], response_model=Page[StatementOut], summary="Who said what")
def list_statements(
    service: Service,
    scope: Scope,
    paging: Pages,
    speaker: Annotated[str | None, Query(description="A part of the speaker's name.")] = None,
) -> dict[str, Any]:
    """Direct, indirect and partial quotes with speakers resolved, newest first. ``actor`` keeps
    the statements that actor made; ``speaker`` matches names and anonymous descriptors."""
    return page(
        _view(
            service,
            "statements",
            (*scope.key(), speaker),
            lambda: service.corpus.quotes(speaker=speaker, **scope.kwargs()),
        ),
        paging,
    )


# -- positions ----------------------------------------------------------------------------------


def _names(service: CorpusService) -> dict[str, str]:
    def compute() -> dict[str, str]:
        return {a.id: a.name for a in service.corpus.actor_index().actors.values()}

    names: dict[str, str] = service.memo(("actor-names",), compute)
    return names


def _position_cells(service: CorpusService, scope: Filters) -> list[dict[str, Any]]:
    ledger = service.corpus.positions(**scope.kwargs())
    names = _names(service)
    rows = []
    for actor_id, issues in ledger.matrix().items():
        for issue in sorted(issues):
            entries = ledger.history(actor_id, issue)
            if not entries:
                continue
            stances: dict[str, int] = {}
            for e in entries:
                stances[e.stance] = stances.get(e.stance, 0) + 1
            rows.append(
                {
                    "actor": actor_id,
                    "actor_name": names.get(actor_id, actor_id),
                    "issue": issue,
                    "entries": len(entries),
                    "stances": stances,
                    "latest": entries[-1].to_json(),
                    "flags": len(ledger.flags(actor_id, issue)),
                }
            )
    rows.sort(key=lambda r: (-r["entries"], r["actor_name"], r["issue"]))
    return rows


@router.get(
    "/positions", tags=["positions"], response_model=Page[PositionCellOut], summary="The positions matrix"
)
def list_positions(
    service: Service,
    scope: Scope,
    paging: Pages,
    issue: Annotated[str | None, Query(description="One issue of the taxonomy.")] = None,
) -> dict[str, Any]:
    """One cell per actor × issue: how many positions, by stance, the latest, how many changes
    and contradictions are flagged. ``actor`` keeps the positions that actor holds."""
    rows = _view(service, "positions", scope.key(), lambda: _position_cells(service, scope))
    if issue is not None:
        rows = [r for r in rows if r["issue"] == issue]
    return page(rows, paging)


@router.get(
    "/positions/{actor_ref}/{issue}",
    tags=["positions"],
    response_model=PositionHistoryOut,
    summary="One actor's position on one issue over time",
)
def position_history(
    service: Service,
    actor_ref: Annotated[str, PathParam(description="An actor id or name.")],
    issue: str,
    scope: Scope,
) -> dict[str, Any]:
    """Every position the actor took on the issue, in date order with citations, and the changes
    and contradictions flagged between them."""
    actor = actor_ref
    if scope.actor is not None:
        raise UsageError("give the actor in the path, not as ?actor=")

    def compute() -> dict[str, Any]:
        actor_id = service.corpus.find_actor(actor)
        ledger = service.corpus.positions(**{**scope.kwargs(), "actor": actor_id})
        entries = ledger.history(actor_id, issue)
        if not entries:
            raise NotFound(f"no positions of {actor!r} on issue {issue!r}")
        flags = [
            {"kind": f.kind, "note": f.note, "before": f.before.to_json(), "after": f.after.to_json()}
            for f in ledger.flags(actor_id, issue)
        ]
        return {
            "ok": True,
            "actor": actor_id,
            "actor_name": _names(service).get(actor_id, actor_id),
            "issue": issue,
            "entries": [e.to_json() for e in entries],
            "flags": flags,
        }

    result: dict[str, Any] = _view(service, "position-history", (actor, issue, *scope.key()), compute)
    return result


# -- timeline, figures, stories, outlets ----------------------------------------------------------


@router.get("/timeline", tags=["timeline"], response_model=Page[TimelineEntryOut], summary="The timeline")
def list_timeline(
    service: Service,
    scope: Scope,
    paging: Pages,
    approximate: Annotated[
        bool, Query(description="Also events placed only by their article's date.")
    ] = False,
) -> dict[str, Any]:
    """Dated events merged across outlets, in date order, with every citation. Here
    ``since``/``until`` bound the event's date (not the report date); ``actor`` keeps the events
    it takes part in."""
    rows = _view(
        service,
        "timeline",
        (*scope.key(), approximate),
        lambda: service.corpus.timeline(include_approximate=approximate, **scope.kwargs()),
    )
    return page(rows, paging)


@router.get("/figures", tags=["figures"], response_model=Page[FigureGroupOut], summary="Figures")
def list_figures(
    service: Service,
    scope: Scope,
    paging: Pages,
    status: Annotated[
        Literal["agree", "conflict", "single"] | None, Query(description="Only groups with this status.")
    ] = None,
) -> dict[str, Any]:
    """Numbers with what they count, grouped across outlets; conflicts first."""
    rows = _view(service, "figures", scope.key(), lambda: service.corpus.figures(**scope.kwargs()))
    if status is not None:
        rows = [r for r in rows if r["status"] == status]
    return page(rows, paging)


@router.get("/stories", tags=["stories"], response_model=Page[StoryOut], summary="Story clusters")
def list_stories(service: Service, scope: Scope, paging: Pages) -> dict[str, Any]:
    """Clusters of articles, largest first; syndicated copies are counted once in ``origins``."""
    rows = _view(service, "stories", scope.key(), lambda: service.corpus.stories(**scope.kwargs()))
    return page(rows, paging)


@router.get("/stories/{story_id}", tags=["stories"], response_model=StoryOut, summary="One story")
def get_story(service: Service, story_id: str) -> dict[str, Any]:
    rows = _view(service, "story", (story_id,), lambda: service.corpus.stories(story=story_id))
    if not rows:
        raise NotFound(f"no story with id {story_id!r}")
    row: dict[str, Any] = rows[0]
    return row


@router.get("/outlets", tags=["outlets"], response_model=Page[OutletOut], summary="Outlets side by side")
def list_outlets(service: Service, scope: Scope, paging: Pages) -> dict[str, Any]:
    """Per outlet: opinion and bias scores, loaded language, sourcing, whom it quotes."""
    rows = _view(service, "outlets", scope.key(), lambda: service.corpus.outlets(**scope.kwargs()))
    return page(rows, paging)


# -- search -------------------------------------------------------------------------------------


@router.get("/search", tags=["search"], response_model=Page[SearchHitOut], summary="Full-text search")
def search(
    service: Service,
    paging: Pages,
    q: Annotated[str, Query(description="Words to find (SQLite FTS5 syntax on SQLite).", max_length=500)],
) -> dict[str, Any]:
    """Current articles matching ``q``, best first, with a snippet around the match."""
    if not q.strip():
        raise UsageError("search needs words in q (got an empty query)")
    result = service.corpus.search(q, limit=paging.limit, offset=paging.offset)
    hits = [
        {
            "article_id": h.article_id,
            "title": h.title,
            "outlet": h.outlet,
            "published": h.published,
            "snippet": h.snippet,
            "rank": h.rank,
        }
        for h in result.hits
    ]
    return {"ok": True, "total": result.total, "limit": paging.limit, "offset": paging.offset, "items": hits}


# -- ingest -------------------------------------------------------------------------------------


BodyModel = TypeVar("BodyModel", bound=BaseModel)


async def read_json_body(request: Request, model: type[BodyModel], *, cap: int) -> BodyModel:
    """The request's JSON body as ``model``: over ``cap`` bytes → 413 (a declared length is refused
    before reading), not JSON → 400, the wrong shape → 422 — all in the API's error shape."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise ApiError(413, UsageError.code, f"the body has {declared} bytes, over the cap of {cap}")
    raw = await request.body()
    if len(raw) > cap:
        raise ApiError(413, UsageError.code, f"the body has {len(raw)} bytes, over the cap of {cap}")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"the body is not JSON: {exc}") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None


def _check_token(request: Request, token: str | None) -> None:
    if token is None:
        raise ApiError(
            403,
            UsageError.code,
            "ingest over the API is off; start the server with `storyline serve --ingest-token TOKEN` "
            "(or set STORYLINE_INGEST_TOKEN) to enable it",
        )
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(
            401,
            UsageError.code,
            "POST /api/ingest needs the header 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(
            401, UsageError.code, "the ingest token is wrong", headers={"WWW-Authenticate": "Bearer"}
        )


def _documents(records: list[Any]) -> list[Any]:
    """The request's records as documents for :meth:`Corpus.add` (or the error of each bad one).

    A record without a URL gets the source key ``{outlet}:api:{hash of its title or text}``."""
    from ..ingest.jsonl import record_to_document

    out: list[Any] = []
    for i, record in enumerate(records):
        basis = ""
        if isinstance(record, dict):
            basis = str(record.get("title") or record.get("text") or record.get("html") or "")
        ref = ":" + hashlib.sha256(basis.encode()).hexdigest()[:16]
        origin = f"documents[{i}]"
        out.append(record_to_document(record, origin=origin, path=Path("api"), root=Path("."), ref=ref))
    return out


def _ingest(service: CorpusService, body: IngestBody) -> dict[str, Any]:
    with service.lock:
        try:
            report = service.corpus.add(documents=_documents(body.documents))
            analyzed = 0
            if body.analyze and (report.added or report.revised or report.updated):
                analyzed = service.corpus.analyze().analyzed
        finally:
            service.refresh()
    return {"ok": report.ok, **report.to_json(), "analyzed": analyzed}


@router.post(
    "/ingest",
    tags=["ingest"],
    response_model=IngestReportOut,
    summary="Ingest documents (needs a token)",
    responses={
        401: {"model": ErrorResponse, "description": "No token, or a wrong one (E401)."},
        403: {"model": ErrorResponse, "description": "Ingest over the API is off (E401)."},
        413: {"model": ErrorResponse, "description": "The body is over the size cap (E401)."},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": IngestBody.model_json_schema()}},
        }
    },
)
async def ingest(request: Request, service: Service) -> dict[str, Any]:
    """Store documents the way JSONL ingest does and analyse them; answers the ingest report.

    Off unless the server has an ingest token; then ``Authorization: Bearer <token>`` is needed.
    The token is checked before the body is read."""
    _check_token(request, service.ingest_token)
    body = await read_json_body(request, IngestBody, cap=service.corpus.config.max_bytes)
    result: dict[str, Any] = await run_in_threadpool(_ingest, service, body)
    return result


__all__ = ["ApiError", "install", "router"]
