"""The corrections API, mounted at ``/api`` (see ``docs/corrections.md``).

``GET /api/corrections`` lists them with their status (``applied``, ``orphaned``, ``removed``);
``POST /api/corrections`` records one; ``DELETE /api/corrections/{id}`` withdraws one (kept in
the store, marked removed). Errors answer the API's one shape
(``{"ok": false, "status", "error": {"code", "message"}}``).

Who may write: when the server has a token (``storyline serve --ingest-token``, the one ingest
uses), a write needs ``Authorization: Bearer <token>``; without a token, writes are accepted only
from a loopback client (127.0.0.1, ::1) — a person correcting their own local dossier — and
refused with 403 from anywhere else. Behind a reverse proxy every request looks local: give the
server a token there. Reading is open, as the rest of the API.
"""

from __future__ import annotations

import hmac
import logging
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from ..corrections import KINDS
from ..errors import NotFound, UsageError
from .api import ERRORS, MAX_LIMIT, ApiError, Service, read_json_body
from .deps import CorpusService

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["CorrectionBody", "router"]

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
MAX_BODY = 64 * 1024

Kind = Literal[
    "speaker", "date", "actor_merge", "actor_split", "actor_rename", "event_merge", "event_split", "figure"
]
assert set(get_args(Kind)) == set(KINDS), "the API's kinds are storyline.corrections.KINDS"

router = APIRouter(responses=ERRORS, tags=["corrections"])


class CorrectionBody(BaseModel):
    """A correction a person makes (targets and values per kind: ``docs/corrections.md``)."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind
    target: dict[str, Any] = Field(description="The machine item, by article id and span, or actor names.")
    value: Any = Field(default=None, description="What it should be (per kind).")
    author: str = Field(min_length=1, max_length=200, description="Who makes the correction.")
    note: str | None = Field(default=None, max_length=2000, description="Why.")


class CorrectionOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: int
    kind: str
    target: dict[str, Any]
    value: Any
    author: str
    created_at: str
    note: str | None
    active: bool


class CorrectionPage(BaseModel):
    ok: Literal[True] = True
    total: int
    limit: int
    offset: int
    items: list[CorrectionOut]


class CorrectionMade(BaseModel):
    ok: Literal[True] = True
    correction: CorrectionOut


class CorrectionRemoved(BaseModel):
    ok: Literal[True] = True
    id: int
    status: Literal["removed"] = "removed"


def check_writer(request: Request, token: str | None) -> None:
    """Refuse a write the server's policy does not allow (see the module docstring)."""
    if token is None:
        host = request.client.host if request.client is not None else ""
        if host not in LOOPBACK:
            raise ApiError(
                403,
                UsageError.code,
                "corrections over the API are accepted from this machine only, unless the server has a "
                "token (`storyline serve --ingest-token TOKEN`); then send 'Authorization: Bearer <token>'",
            )
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(
            401,
            UsageError.code,
            "writing corrections needs the header 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(401, UsageError.code, "the token is wrong", headers={"WWW-Authenticate": "Bearer"})


def _token(request: Request, service: CorpusService) -> str | None:
    token = getattr(request.app.state, "ingest_token", None)
    return token if token is not None else service.ingest_token


@router.get("/corrections", response_model=CorrectionPage, summary="List corrections")
def list_corrections(
    service: Service,
    status: Annotated[
        Literal["applied", "orphaned", "removed"] | None,
        Query(description="Only corrections with this status."),
    ] = None,
    include_removed: Annotated[bool, Query(description="Also the withdrawn ones.")] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Every correction, oldest first, with ``status`` (``applied``; ``orphaned``: its target is gone
    after a re-analysis, ``reason`` says which; ``removed``), ``summary`` and who made it when."""
    with service.lock:
        rows = service.corpus.corrections(include_removed=include_removed or status == "removed")
    if status is not None:
        rows = [r for r in rows if r["status"] == status]
    return {
        "ok": True,
        "total": len(rows),
        "limit": limit,
        "offset": offset,
        "items": rows[offset : offset + limit],
    }


def _make(service: CorpusService, body: CorrectionBody) -> dict[str, Any]:
    with service.lock:
        try:
            made = service.corpus.correct(
                body.kind, body.target, body.value, author=body.author, note=body.note
            )
        finally:
            service.refresh()
        return {"ok": True, "correction": {**made.to_json(), "summary": made.describe()}}


@router.post(
    "/corrections",
    response_model=CorrectionMade,
    status_code=201,
    summary="Correct the machine's output",
    responses={
        401: {"description": "A token is configured and the request has none, or a wrong one (E401)."},
        403: {"description": "No token is configured and the client is not on this machine (E401)."},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CorrectionBody.model_json_schema()}},
        }
    },
)
async def create_correction(request: Request, service: Service) -> dict[str, Any]:
    """Record a correction. The target is checked against the corpus: a malformed one answers 400,
    one naming an item that does not exist 404; the body's shape is checked first (422)."""
    check_writer(request, _token(request, service))
    body = await read_json_body(request, CorrectionBody, cap=MAX_BODY)
    result: dict[str, Any] = await run_in_threadpool(_make, service, body)
    return result


def _remove(service: CorpusService, correction_id: int) -> bool:
    with service.lock:
        try:
            return service.corpus.uncorrect(correction_id)
        finally:
            service.refresh()


@router.delete(
    "/corrections/{correction_id}", response_model=CorrectionRemoved, summary="Withdraw a correction"
)
async def delete_correction(
    request: Request,
    service: Service,
    correction_id: Annotated[int, PathParam(ge=1, description="The correction's id.")],
) -> dict[str, Any]:
    """Withdraw a correction: it is kept (``status: removed``) and the machine's output shows again."""
    check_writer(request, _token(request, service))
    if not await run_in_threadpool(_remove, service, correction_id):
        raise NotFound(f"no active correction with id {correction_id}")
    return {"ok": True, "id": correction_id, "status": "removed"}
