"""The REST API's JSON shapes (pydantic, at the edge only): the page envelope, the error shape,
the items of each endpoint and the ingest body.

Item models name the fields a client can rely on; the views may add fields (``extra="allow"``),
which are passed through unchanged.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class ErrorBody(BaseModel):
    code: str = Field(description="A storyline error code (``storyline.errors``), e.g. E302.")
    message: str = Field(description="What went wrong, naming the input and the problem.")


class ErrorResponse(BaseModel):
    """Every error the API answers, whatever its status."""

    ok: Literal[False] = False
    status: int = Field(description="The HTTP status, repeated in the body.")
    error: ErrorBody


class Page(BaseModel, Generic[T]):
    """One page of a list: ``items`` from ``offset``, at most ``limit`` of them, out of ``total``."""

    ok: Literal[True] = True
    total: int = Field(description="How many items match the filters, over all pages.")
    limit: int
    offset: int
    items: list[T]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class SpanOut(_Open):
    """A character span: ``start``/``end`` index the clean text; ``raw_start``/``raw_end`` the input."""

    start: int
    end: int
    text: str


class ArticleSummary(_Open):
    id: str
    title: str | None
    outlet: str | None
    url: str | None
    author: str | None
    published: str | None
    published_provenance: str | None = Field(description="given | html | text | inferred")
    language: str | None
    words: int
    revision: int


class Removed(_Open):
    raw_start: int
    raw_end: int
    reason: str
    text: str


class ArticleDetail(ArticleSummary):
    """An article: clean text, metadata with provenance, removed furniture and every annotation."""

    text: str
    source_key: str
    origin: str
    meta: dict[str, Any]
    removed: list[Removed]
    annotations: dict[str, Any] = Field(
        description="mentions, timexes, statements, events, figures, positions, framing (docs/export.md)"
    )


class ActorOut(_Open):
    id: str
    name: str
    type: str
    mentions: int
    spellings: list[str]
    articles: list[str]


class StatementOut(_Open):
    article: str
    outlet: str | None
    date: str | None
    speaker: str | None
    speaker_actor: str | None
    speaker_kind: str | None
    kind: str
    partial: bool
    cue: str | None
    content: SpanOut


class PositionEntryOut(_Open):
    date: str | None = Field(
        description="When the position was taken: the date the text gives its statement (a day, "
        "week or month), else the article's date."
    )
    stance: str
    content: str
    outlet: str | None
    article: str
    start: int
    end: int
    holder_text: str | None
    reported: str | None = Field(
        default=None, description="The article's date, when the text dates the statement itself."
    )


class PositionFlagOut(_Open):
    kind: str
    note: str
    before: PositionEntryOut
    after: PositionEntryOut


class PositionCellOut(_Open):
    """One cell of the positions matrix: an actor on an issue."""

    actor: str
    actor_name: str
    issue: str
    entries: int
    stances: dict[str, int]
    latest: PositionEntryOut
    flags: int


class PositionHistoryOut(_Open):
    """How one actor's position on one issue moved, with changes and contradictions flagged."""

    ok: Literal[True] = True
    actor: str
    actor_name: str
    issue: str
    entries: list[PositionEntryOut]
    flags: list[PositionFlagOut]


class CitationOut(_Open):
    article: str
    outlet: str | None
    start: int
    end: int


class TimelineEntryOut(_Open):
    id: str
    date: str | None
    precision: str | None
    approximate: bool
    date_conflict: list[str]
    planned: bool
    type: str
    what: str
    participants: list[str]
    places: list[str]
    outlets: list[str]
    citations: list[CitationOut]


class FigureGroupOut(_Open):
    what: str
    unit: str | None
    status: Literal["agree", "conflict", "single"]
    outlets: list[str]
    reports: list[dict[str, Any]]
    conflicts: list[list[int]] = Field(
        default_factory=list, description="Pairs of reports (indexes into `reports`) that disagree."
    )


class StoryOut(_Open):
    id: str
    articles: int
    origins: int = Field(description="Articles counting syndicated copies once.")
    outlets: list[str]
    actors: list[str]
    titles: list[str | None]
    members: list[dict[str, Any]]


class OutletOut(_Open):
    outlet: str
    articles: int
    opinion_share: float | None = Field(default=None, description="Share of its articles labelled opinion.")
    opinion_score: float | None
    bias_score: float | None
    loaded_per_100_words: float | None
    statements: int
    anonymous_share: float | None


class SearchHitOut(_Open):
    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    snippet: str
    rank: float


class IngestDocument(BaseModel):
    """One document to ingest (the fields of a JSONL record; other scalar fields are kept as extra
    metadata). ``text`` or ``html`` is needed."""

    model_config = ConfigDict(extra="allow")

    text: str | None = None
    html: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = Field(default=None, description="ISO 8601 date or date-time.")
    author: str | None = None


class IngestBody(BaseModel):
    """Documents to ingest. A document that cannot be an article is reported in ``failed`` (with
    its index as ``origin``); the others are stored."""

    documents: list[Any] = Field(
        description="Objects with the fields of IngestDocument; each is checked on its own.",
        json_schema_extra={"items": IngestDocument.model_json_schema()},
    )
    analyze: bool = Field(default=True, description="Analyse the new articles before answering.")


class IngestFailure(BaseModel):
    origin: str
    code: str
    problem: str
    message: str


class IngestResult(BaseModel):
    id: str
    status: str
    revision: int
    origin: str
    source_key: str


class IngestReportOut(BaseModel):
    ok: bool = Field(description="False when some documents failed (the others were stored).")
    added: int
    unchanged: int
    revised: int
    updated: int
    failed: list[IngestFailure]
    results: list[IngestResult]
    run_id: int | None
    notes: list[str]
    analyzed: int = Field(description="Articles analysed by this call.")


__all__ = [
    "ActorOut",
    "ArticleDetail",
    "ArticleSummary",
    "ErrorBody",
    "ErrorResponse",
    "FigureGroupOut",
    "IngestBody",
    "IngestDocument",
    "IngestReportOut",
    "OutletOut",
    "Page",
    "PositionCellOut",
    "PositionHistoryOut",
    "SearchHitOut",
    "StatementOut",
    "StoryOut",
    "TimelineEntryOut",
]
