"""CSV export: one file per table, every span with clean and raw offsets.

:func:`dossier_tables` turns the views (articles with their annotations, actors, the timeline,
figures, stories, outlets) into :class:`Table` objects with a fixed column order;
:func:`write_tables` writes them as ``NAME.csv`` files into a directory, or into a ``.zip``.
Files are UTF-8 (no byte-order mark), RFC 4180 (comma separated, fields quoted when they hold a
comma, a quote or a line break, CRLF line ends), with a header row.

Spreadsheet formula injection is guarded: a text cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading ``'`` (OWASP's advice), so a spreadsheet shows
the text instead of evaluating it. Numbers are written as numbers and never prefixed. Several
values in one cell (outlets, participants) are joined with ``"; "``.

Span columns come in fours (``start, end, raw_start, raw_end``) — with a prefix for a table
holding several spans (``content_start`` …) — plus the span's text. A row a person corrected
(:mod:`storyline.corrections`) names the correction in ``corrected`` and ``corrected_by``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..model import Article
from .jsonl import title_span

if TYPE_CHECKING:
    from ..corpus import Corpus

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "Table",
    "corpus_tables",
    "dossier_tables",
    "figure_group_id",
    "safe_cell",
    "table_csv",
    "write_tables",
]

Cell = str | int | float | bool | None
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SPAN = ("start", "end", "raw_start", "raw_end")
CORRECTED = ("corrected", "corrected_by")  # the id and author of a person's correction of the row


@dataclass(frozen=True, kw_only=True, slots=True)
class Table:
    """One CSV file: its name (``articles`` → ``articles.csv``), header and rows."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def safe_cell(value: Cell) -> str:
    """A cell as written: ``None`` empty, booleans ``true``/``false``, numbers as they are, text
    that a spreadsheet would read as a formula prefixed with ``'``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if value.startswith(FORMULA_START):
        return "'" + value
    return value


def table_csv(table: Table) -> str:
    """The table as RFC 4180 CSV text (header first, CRLF line ends)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(table.columns)
    for row in table.rows:
        if len(row) != len(table.columns):
            raise ValueError(
                f"table {table.name}: a row of {len(row)} cells for {len(table.columns)} columns"
            )
        writer.writerow([safe_cell(c) for c in row])
    return buf.getvalue()


def write_tables(tables: Sequence[Table], dest: str | os.PathLike[str]) -> list[str]:
    """Write each table as ``NAME.csv`` into the directory ``dest`` (created when missing), or
    into the zip archive ``dest`` when it ends in ``.zip``; returns the file names written."""
    path = Path(dest)
    names = [f"{t.name}.csv" for t in tables]
    if path.suffix.lower() == ".zip":
        if path.is_dir():
            raise UsageError(f"{path}: is a directory, not a zip file")
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, table in zip(names, tables, strict=True):
                archive.writestr(name, table_csv(table).encode("utf-8"))
    else:
        if path.exists() and not path.is_dir():
            raise UsageError(f"{path}: exists and is not a directory (CSV goes to a directory or a .zip)")
        path.mkdir(parents=True, exist_ok=True)
        for name, table in zip(names, tables, strict=True):
            (path / name).write_text(table_csv(table), encoding="utf-8", newline="")
    logger.info("wrote %d CSV tables to %s", len(tables), path)
    return names


def figure_group_id(unit: str | None, what: str) -> str:
    """A stable id for a figure group: a hash of what it counts and its unit."""
    digest = hashlib.sha1(f"{unit or ''}\x1f{what}".encode()).hexdigest()[:10]
    return f"fg-{digest}"


def _joined(values: Iterable[Any] | None) -> str:
    return "; ".join(str(v) for v in values or ())


def _span_cells(article: Article | None, span: Mapping[str, Any] | None, *, text: bool = True) -> list[Cell]:
    """``start, end, raw_start, raw_end`` (+ text) of an exported span; raw offsets are computed
    from ``article`` when the span carries only clean ones; empty cells for no span."""
    if span is None:
        return [None] * (5 if text else 4)
    start, end = int(span["start"]), int(span["end"])
    raw = (span.get("raw_start"), span.get("raw_end"))
    if raw[0] is None and article is not None:
        raw = article.offsets.span_to_raw(start, end)
    cells: list[Cell] = [start, end, raw[0], raw[1]]
    if text:
        value = span.get("text")
        if value is None and article is not None:
            value = article.text[start:end]
        cells.append(value)
    return cells


def _corrected(item: Mapping[str, Any]) -> list[Cell]:
    marker = item.get("corrected") or {}
    return [marker.get("id"), marker.get("by")]


def _span_columns(prefix: str, *, text: bool = True) -> tuple[str, ...]:
    cols = tuple(f"{prefix}_{c}" if prefix else c for c in SPAN)
    return cols + ((f"{prefix}_text" if prefix else "text",) if text else ())


def _plain(value: Any) -> Cell:
    """A view value as a cell: lists joined with ``"; "``, objects as compact JSON (sorted keys)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return _joined(value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return str(value)


def _table(name: str, columns: tuple[str, ...], rows: Iterable[Sequence[Any]]) -> Table:
    return Table(name=name, columns=columns, rows=tuple(tuple(_plain(c) for c in r) for r in rows))


ARTICLE_COLUMNS = (
    "id",
    "source_key",
    "revision",
    "kind",
    "origin",
    "url",
    "outlet",
    "title",
    "author",
    "published",
    "published_provenance",
    "original_source",
    "language",
    "pipeline_version",
    "chars",
    "story",
    "copy_of",
    *_span_columns("title", text=False),
)
MENTION_COLUMNS = (
    "article",
    *_span_columns(""),
    "label",
    "kind",
    "actor",
    "actor_name",
    "affiliation",
    "role",
)
TIMEX_COLUMNS = (
    "article",
    *_span_columns(""),
    "type",
    "value",
    "mod",
    "anchor",
    "tense",
    "granularity",
    "relative",
    *CORRECTED,
)
STATEMENT_COLUMNS = (
    "article",
    "date",
    "kind",
    "partial",
    "continuation",
    "speaker_kind",
    "speaker_actor",
    "speaker_name",
    *_span_columns("speaker"),
    *_span_columns("antecedent"),
    "anonymous_count",
    "anonymous_affiliation",
    "anonymous_descriptor",
    "cue_lemma",
    *_span_columns("cue"),
    *_span_columns("content"),
    *_span_columns("sentence", text=False),
    *CORRECTED,
)
POSITION_COLUMNS = (
    "article",
    "date",
    "holder_actor",
    "holder_text",
    *_span_columns("holder", text=False),
    "issue",
    "alt_issues",
    "stance",
    "negated",
    "content",
    *_span_columns("evidence"),
    *_span_columns("clause", text=False),
    *_span_columns("cue"),
)
TIMELINE_COLUMNS = (
    "id",
    "date",
    "precision",
    "approximate",
    "date_conflict",
    "planned",
    "type",
    "participants",
    "places",
    "outlets",
    "evidence",
    "what",
    *CORRECTED,
)
EVIDENCE_COLUMNS = (
    "entry",
    "article",
    "outlet",
    "trigger",
    "date_value",
    "date_source",
    *_span_columns("sentence"),
)
FIGURE_GROUP_COLUMNS = ("id", "what", "unit", "status", "reports", "outlets")
FIGURE_COLUMNS = (
    "article",
    "group",
    *_span_columns(""),
    "value",
    "value_high",
    "value_text",
    "unit",
    "what",
    "kind",
    "approx",
    "predicate",
    *_span_columns("number", text=False),
    *CORRECTED,
)
STORY_COLUMNS = ("id", "articles", "origins", "from", "to", "outlets", "actors", "titles")
OUTLET_COLUMNS = (
    "outlet",
    "articles",
    "opinion_share",
    "opinion_score",
    "bias_score",
    "loaded_per_100_words",
    "statements",
    "anonymous_share",
    "attributed_to_actors",
    "quoted",
    "events",
    "figures",
    "defaults_used",
)
ACTOR_COLUMNS = ("id", "name", "type", "mentions", "articles", "spellings", "affiliation", "wikidata")


def dossier_tables(
    *,
    articles: Sequence[Article],
    annotations: Mapping[str, Mapping[str, Any]],
    actors: Sequence[Mapping[str, Any]] = (),
    timeline: Sequence[Mapping[str, Any]] = (),
    figures: Sequence[Mapping[str, Any]] = (),
    stories: Sequence[Mapping[str, Any]] = (),
    outlets: Sequence[Mapping[str, Any]] = (),
) -> list[Table]:
    """The export's tables from the views: ``articles`` in order, ``annotations`` by article id
    (as :func:`storyline.views.analysis.article_annotations` makes them), the rows of
    ``Corpus.actors()``, ``timeline(include_approximate=True)``, ``figures()``, ``stories()`` and
    ``outlets()``."""
    by_id = {a.id: a for a in articles}
    story_of: dict[str, tuple[str, str | None]] = {}
    for s in stories:
        for m in s.get("members", ()):
            story_of[m["id"]] = (s["id"], m.get("copy_of"))
    group_of: dict[tuple[str, int, int], str] = {}
    for g in figures:
        gid = figure_group_id(g.get("unit"), g["what"])
        for r in g["reports"]:
            group_of[(r["article"], r["start"], r["end"])] = gid

    article_rows = []
    mention_rows: list[list[Cell]] = []
    timex_rows: list[list[Cell]] = []
    statement_rows: list[list[Cell]] = []
    position_rows: list[list[Cell]] = []
    figure_rows: list[list[Cell]] = []
    for a in articles:
        pub = a.meta.published
        story, copy_of = story_of.get(a.id, (None, None))
        article_rows.append(
            [
                a.id,
                a.source_key,
                a.revision,
                a.kind,
                a.origin,
                a.meta.get("url"),
                a.outlet,
                a.title,
                a.meta.get("author"),
                pub.value if pub else None,
                pub.provenance if pub else None,
                a.meta.get("original_source"),
                a.language,
                a.pipeline_version,
                len(a.text),
                story,
                copy_of,
                *_span_cells(a, title_span(a), text=False),
            ]
        )
        ann = annotations.get(a.id) or {}
        for m in ann.get("mentions", ()):
            mention_rows.append(
                [
                    a.id,
                    *_span_cells(a, m),
                    m.get("label"),
                    m.get("kind"),
                    m.get("actor"),
                    m.get("actor_name"),
                    m.get("affiliation"),
                    m.get("role"),
                ]
            )
        for t in ann.get("timexes", ()):
            timex_rows.append(
                [
                    a.id,
                    *_span_cells(a, t),
                    t.get("type"),
                    t.get("value"),
                    t.get("mod"),
                    t.get("anchor"),
                    t.get("tense"),
                    t.get("granularity"),
                    t.get("relative"),
                    *_corrected(t),
                ]
            )
        for st in ann.get("statements", ()):
            anon = st.get("anonymous") or {}
            cue = st.get("cue")
            statement_rows.append(
                [
                    a.id,
                    st.get("date"),
                    st.get("kind"),
                    st.get("partial"),
                    st.get("continuation"),
                    st.get("speaker_kind"),
                    st.get("speaker_actor"),
                    st.get("speaker_name"),
                    *_span_cells(a, st.get("speaker")),
                    *_span_cells(a, st.get("speaker_antecedent")),
                    anon.get("count"),
                    anon.get("affiliation"),
                    anon.get("descriptor"),
                    cue.get("lemma") if cue else None,
                    *_span_cells(a, cue),
                    *_span_cells(a, st["content"]),
                    *_span_cells(a, st.get("sentence"), text=False),
                    *_corrected(st),
                ]
            )
        for p in ann.get("positions", ()):
            position_rows.append(
                [
                    a.id,
                    p.get("date"),
                    p.get("holder_actor"),
                    p.get("holder_text"),
                    *_span_cells(a, p.get("holder"), text=False),
                    p.get("issue"),
                    _joined(p.get("alt_issues")),
                    p.get("stance"),
                    p.get("negated"),
                    p.get("content"),
                    *_span_cells(a, p["evidence"]),
                    *_span_cells(a, p.get("clause"), text=False),
                    *_span_cells(a, p.get("cue")),
                ]
            )
        for f in ann.get("figures", ()):
            figure_rows.append(
                [
                    a.id,
                    group_of.get((a.id, f["start"], f["end"])),
                    *_span_cells(a, f),
                    f.get("value"),
                    f.get("value_high"),
                    f.get("value_text"),
                    f.get("unit"),
                    f.get("what"),
                    f.get("kind"),
                    f.get("approx"),
                    f.get("predicate"),
                    *_span_cells(a, f.get("number"), text=False),
                    *_corrected(f),
                ]
            )

    timeline_rows: list[list[Cell]] = []
    evidence_rows: list[list[Cell]] = []
    for e in timeline:
        citations = e.get("citations", ())
        timeline_rows.append(
            [
                e["id"],
                e.get("date"),
                e.get("precision"),
                e.get("approximate"),
                _joined(e.get("date_conflict")),
                e.get("planned"),
                e.get("type"),
                _joined(e.get("participants")),
                _joined(e.get("places")),
                _joined(e.get("outlets")),
                len(citations),
                e.get("what"),
                *_corrected(e),
            ]
        )
        for c in citations:
            evidence_rows.append(
                [
                    e["id"],
                    c["article"],
                    c.get("outlet"),
                    c.get("trigger"),
                    c.get("date_value"),
                    c.get("date_source"),
                    *_span_cells(by_id.get(c["article"]), {"start": c["start"], "end": c["end"]}),
                ]
            )

    return [
        _table("articles", ARTICLE_COLUMNS, article_rows),
        _table(
            "actors",
            ACTOR_COLUMNS,
            (
                [
                    r["id"],
                    r["name"],
                    r.get("type"),
                    r.get("mentions"),
                    len(r.get("articles", ())),
                    _joined(r.get("spellings")),
                    r.get("affiliation"),
                    r.get("wikidata"),
                ]
                for r in actors
            ),
        ),
        _table("mentions", MENTION_COLUMNS, mention_rows),
        _table("statements", STATEMENT_COLUMNS, statement_rows),
        _table("positions", POSITION_COLUMNS, position_rows),
        _table("timeline", TIMELINE_COLUMNS, timeline_rows),
        _table("timeline_evidence", EVIDENCE_COLUMNS, evidence_rows),
        _table(
            "figure_groups",
            FIGURE_GROUP_COLUMNS,
            (
                [
                    figure_group_id(g.get("unit"), g["what"]),
                    g["what"],
                    g.get("unit"),
                    g.get("status"),
                    len(g["reports"]),
                    _joined(g.get("outlets")),
                ]
                for g in figures
            ),
        ),
        _table("figures", FIGURE_COLUMNS, figure_rows),
        _table("time_expressions", TIMEX_COLUMNS, timex_rows),
        _table(
            "stories",
            STORY_COLUMNS,
            (
                [
                    s["id"],
                    s.get("articles"),
                    s.get("origins"),
                    s.get("from"),
                    s.get("to"),
                    _joined(s.get("outlets")),
                    _joined(s.get("actors")),
                    _joined(t or "" for t in s.get("titles", ())),
                ]
                for s in stories
            ),
        ),
        _table("outlets", OUTLET_COLUMNS, ([r.get(c) for c in OUTLET_COLUMNS] for r in outlets)),
    ]


def corpus_tables(corpus: Corpus, *, story: str | None = None) -> list[Table]:
    """:func:`dossier_tables` over a corpus (the articles of one story with ``story``)."""
    articles = list(corpus.articles(story=story))
    stories = corpus.stories(story=story)
    return dossier_tables(
        articles=articles,
        annotations={a.id: corpus.annotations(a) for a in articles},
        actors=corpus.actors(story=story),
        timeline=corpus.timeline(story=story, include_approximate=True),
        figures=corpus.figures(story=story),
        stories=stories,
        outlets=corpus.outlets(story=story),
    )
