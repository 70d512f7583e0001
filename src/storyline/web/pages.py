"""The HTML pages: story overview, timeline, positions, quotes, figures, outlets, article reader.

Pages are rendered on the server from Jinja2 templates (``web/templates``, autoescape on) over the
same corpus views the CLI and the API read (``corpus.stories()``, ``corpus.timeline()``, …). Every
claim on a page links to its evidence, ``/articles/{id}#span-{start}-{end}``, where the reader
highlights the span (CSS ``:target``) — see :func:`highlight_html`, which builds the reader's text
by escaping each segment itself.

Untrusted data (article text, titles, URLs, outlet names) never reaches a script: the timeline's
JavaScript gets its data from ``/timeline.json`` with ``fetch``, links to the outside are made only
for ``http``/``https`` URLs, and :mod:`storyline.web.security` forbids inline script altogether.

Every list page takes the scope filters ``story``, ``actor``, ``outlet``, ``since`` and ``until`` in
its query string and hands those the view accepts to it; a filter a view does not take is named on
the page instead of being silently dropped.
"""

from __future__ import annotations

import functools
import inspect
import logging
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from markupsafe import Markup, escape

from ..errors import NotFound, StorylineError, UsageError

if TYPE_CHECKING:
    from ..corpus import Corpus
    from ..model import Article

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["Filters", "Mark", "article_marks", "evidence_href", "highlight_html", "router", "safe_url"]

router = APIRouter(include_in_schema=False)

_LOCK = (
    threading.RLock()
)  # without the API's service: the corpus' linked views are built once, not per thread
FILTER_NAMES: tuple[str, ...] = ("story", "actor", "outlet", "since", "until")
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


# -- highlighting --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Mark:
    """A span of text to highlight: ``text[start:end]``, its kind (a CSS class ``hl-{kind}``) and
    what the machine made of it (shown on hover and focus)."""

    start: int
    end: int
    kind: str
    note: str = ""


@dataclass(kw_only=True, slots=True)
class _Group:
    start: int
    end: int
    kinds: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _groups(length: int, marks: Iterable[Mark]) -> list[_Group]:
    """Marks with the same offsets as one group (kinds and notes in first-seen order); empty marks and
    marks outside ``[0, length]`` are dropped. Sorted outermost first: by start, then longest."""
    by_offsets: dict[tuple[int, int], _Group] = {}
    for m in marks:
        if not 0 <= m.start < m.end <= length:
            continue
        g = by_offsets.setdefault((m.start, m.end), _Group(start=m.start, end=m.end))
        if m.kind not in g.kinds:
            g.kinds.append(m.kind)
        if m.note and m.note not in g.notes:
            g.notes.append(m.note)
    return sorted(by_offsets.values(), key=lambda g: (g.start, -g.end))


def _open_tag(g: _Group, *, first: bool, anchor_prefix: str | None) -> str:
    classes = " ".join(["hl", *(f"hl-{k}" for k in g.kinds), *([] if first else ["hl-cont"])])
    attrs = [f'class="{escape(classes)}"', f'data-span="{g.start}-{g.end}"']
    if first and anchor_prefix is not None:
        attrs.insert(0, f'id="{escape(anchor_prefix)}-{g.start}-{g.end}"')
    if g.notes:
        attrs.append(f'title="{escape(chr(10).join(g.notes))}"')
        if first:
            attrs.append('tabindex="0"')
    return "<span " + " ".join(attrs) + ">"


def highlight_html(text: str, marks: Iterable[Mark], *, anchor_prefix: str | None = "span") -> Markup:
    """``text`` as HTML with every mark wrapped in a ``<span>``; each text segment is escaped.

    Marks with the same offsets share one element (its classes ``hl-{kind}`` for each kind, its
    ``title`` the notes, one per line). Nested marks nest; a mark that crosses the end of an
    enclosing one is closed there and reopened after it as a continuation (class ``hl-cont``). The
    first element of a mark carries ``id="{anchor_prefix}-{start}-{end}"`` (the evidence anchor)
    and, when it has notes, ``tabindex="0"``; every element of it carries
    ``data-span="{start}-{end}"``.
    """
    groups = _groups(len(text), marks)
    starts: dict[int, list[_Group]] = defaultdict(list)
    for g in groups:
        starts[g.start].append(g)
    bounds = sorted({0, len(text), *(g.start for g in groups), *(g.end for g in groups)})
    out: list[str] = []
    stack: list[_Group] = []
    for i, pos in enumerate(bounds):
        # close what ends here; what was opened inside it and goes on is reopened afterwards
        reopen: list[_Group] = []
        while any(g.end == pos for g in stack):
            g = stack.pop()
            out.append("</span>")
            if g.end != pos:
                reopen.append(g)
        for g in reversed(reopen):
            out.append(_open_tag(g, first=False, anchor_prefix=anchor_prefix))
            stack.append(g)
        for g in starts.get(pos, ()):
            out.append(_open_tag(g, first=True, anchor_prefix=anchor_prefix))
            stack.append(g)
        if i + 1 < len(bounds):
            out.append(str(escape(text[pos : bounds[i + 1]])))
    out.extend("</span>" for _ in stack)
    return Markup("".join(out))


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def article_marks(annotations: dict[str, Any]) -> list[Mark]:
    """The marks of an article's annotations (``corpus.annotations(article)``): actors and other
    mentions, statements (content, speaker, cue), time expressions, figures, loaded language, event
    triggers and the sentences that date them, positions — each with its interpretation."""
    marks: list[Mark] = []
    for m in annotations.get("mentions", ()):
        linked = f"actor: {m['actor_name']}" if m.get("actor_name") else "no actor linked"
        role = f", {m['role']}" if m.get("role") else ""
        marks.append(
            Mark(start=m["start"], end=m["end"], kind="actor", note=f"{m['label']} · {linked}{role}")
        )
    for st in annotations.get("statements", ()):
        who = st.get("speaker_name") or (st.get("speaker") or {}).get("text")
        if st.get("anonymous"):
            who = who or st["anonymous"]["descriptor"]
        kind = st["kind"] + (", partial" if st.get("partial") else "")
        cue = f" · cue “{st['cue']['text']}”" if st.get("cue") else ""
        content = st["content"]
        marks.append(
            Mark(
                start=content["start"],
                end=content["end"],
                kind="statement",
                note=f"statement ({kind}) by {who or 'unknown speaker'}{cue}",
            )
        )
        if st.get("speaker"):
            sp = st["speaker"]
            kind_note = f" ({st['speaker_kind']})" if st.get("speaker_kind") else ""
            marks.append(
                Mark(start=sp["start"], end=sp["end"], kind="speaker", note=f"speaker{kind_note}: {who}")
            )
    for t in annotations.get("timexes", ()):
        anchor = f" · anchor {t['anchor']}" if t.get("anchor") else ""
        tense = f" · tense {t['tense']}" if t.get("tense") and t["tense"] != "none" else ""
        value = t.get("value") or "unresolved"
        marks.append(
            Mark(start=t["start"], end=t["end"], kind="date", note=f"{t['type']} {value}{anchor}{tense}")
        )
    for f in annotations.get("figures", ()):
        value = f.get("value_text") or (_num(f["value"]) if f.get("value") is not None else f["text"])
        if f.get("value_high") is not None:
            value += f"–{_num(f['value_high'])}"
        unit = f" {f['unit']}" if f.get("unit") else ""
        what = f" · counts: {f['what']}" if f.get("what") else ""
        approx = f" · {f['approx']}" if f.get("approx") else ""
        marks.append(
            Mark(
                start=f["start"],
                end=f["end"],
                kind="figure",
                note=f"figure ({f['kind']}): {value}{unit}{what}{approx}",
            )
        )
    framing = annotations.get("framing") or {}
    for x in framing.get("loaded", ()):
        target = f" about “{x['target']['text']}”" if x.get("target") else ""
        attributed = " · attributed to a source" if x.get("attributed") else ""
        marks.append(
            Mark(
                start=x["start"],
                end=x["end"],
                kind="loaded",
                note=f"loaded language: “{x['word']}” ({x['category']}){target}{attributed}",
            )
        )
    for ev in annotations.get("events", ()):
        planned = " · planned" if ev.get("planned") else ""
        when = f"{ev['date']} ({ev['precision']})" if ev.get("date") else "undated"
        note = f"event: {ev['type']} · {when}{planned}"
        marks.append(Mark(start=ev["start"], end=ev["end"], kind="event", note=note))
        sentence = ev["sentence"]
        marks.append(Mark(start=sentence["start"], end=sentence["end"], kind="evidence"))
    for name in ("statements", "timexes", "events", "figures"):
        for item in annotations.get(name, ()):
            fix = item.get("corrected")
            if not fix:
                continue
            span = item["content"] if name == "statements" else item
            note = f" — {fix['note']}" if fix.get("note") else ""
            marks.append(
                Mark(
                    start=span["start"],
                    end=span["end"],
                    kind="corrected",
                    note=f"corrected by {fix['by']} on {str(fix['at'])[:10]} (correction #{fix['id']}){note}",
                )
            )
    for p in annotations.get("positions", ()):
        holder = p.get("holder_text") or "unknown holder"
        note = f"position of {holder}: {p['stance']} on {p['issue']} — {p['content']}"
        ev = p["evidence"]
        marks.append(Mark(start=ev["start"], end=ev["end"], kind="position", note=note))
    return marks


# -- helpers -------------------------------------------------------------------------------------


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute ``http``/``https`` URL, else ``None`` (never a link then)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def evidence_href(article_id: str, start: int, end: int) -> str:
    """The reader's URL of a span: ``/articles/{id}#span-{start}-{end}``."""
    return f"/articles/{quote(article_id, safe='')}#span-{int(start)}-{int(end)}"


@dataclass(frozen=True, kw_only=True, slots=True)
class Filters:
    """The scope filters a page was asked for (``?story=…&actor=…&outlet=…&since=…&until=…``)."""

    story: str | None = None
    actor: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None

    @classmethod
    def from_request(cls, request: Request) -> Filters:
        values: dict[str, str | None] = {}
        for name in FILTER_NAMES:
            raw = request.query_params.get(name)
            value = raw.strip() if raw is not None else None
            if value and name in ("since", "until") and not _DATE.fullmatch(value):
                raise UsageError(f"{name}: expected a date like 2025-05-19, 2025-05 or 2025, got {raw!r}")
            values[name] = value or None
        return cls(**values)

    def active(self) -> list[tuple[str, str]]:
        return [(n, v) for n in FILTER_NAMES if (v := getattr(self, n)) is not None]

    def query(self, **changes: str | None) -> str:
        """The query string (with its ``?``, or empty) of these filters with ``changes`` applied."""
        values = dict(self.active())
        for name, value in changes.items():
            if value is None:
                values.pop(name, None)
            else:
                values[name] = value
        return "?" + urlencode(values) if values else ""


_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["safe_url"] = safe_url
_ENV.filters["num"] = _num
_ENV.globals["evidence_href"] = evidence_href
_ENV.globals["quote"] = lambda value: quote(str(value), safe="")


def _lock(request: Request) -> AbstractContextManager[Any]:
    """The lock every reader of the corpus' linked views holds: the API's service lock when the API
    is installed (pages and API then never build the views at the same time), else this module's."""
    try:
        from .deps import get_service
    except ImportError:
        return _LOCK
    lock: AbstractContextManager[Any] = get_service(request).lock
    return lock


def _corpus(request: Request) -> Corpus:
    corpus: Corpus = request.app.state.corpus
    return corpus


def _render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("filters", Filters())
    context.setdefault("ignored", [])
    context.setdefault("active", template.removesuffix(".html"))
    context["request_path"] = request.url.path
    html = _ENV.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status)


def _error(request: Request, status: int, message: str) -> HTMLResponse:
    return _render(request, "error.html", status=status, status_code=status, message=message, active="")


def _scoped(view: Callable[..., Any], filters: Filters, **extra: Any) -> tuple[Any, list[str]]:
    """``view(**extra, **filters it accepts)`` and the names of the active filters it does not take."""
    params = inspect.signature(view).parameters
    takes_all = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    kwargs = dict(extra)
    ignored: list[str] = []
    for name, value in filters.active():
        if takes_all or name in params:
            kwargs[name] = value
        else:
            ignored.append(name)
    return view(**kwargs), ignored


def _page(handler: Callable[..., HTMLResponse]) -> Callable[..., HTMLResponse]:
    """Run a page handler under the corpus lock; library errors become error pages (404 for a missing
    article or actor, 400 for a bad filter)."""

    @functools.wraps(handler)
    def run(request: Request, **kwargs: Any) -> HTMLResponse:
        try:
            with _lock(request):
                return handler(request, **kwargs)
        except NotFound as exc:
            return _error(request, 404, exc.message)
        except StorylineError as exc:
            return _error(request, 400, exc.message)

    return run


def _actor_ids(corpus: Corpus) -> dict[str, str]:
    """Actor name → id (the first actor of a name, by mentions)."""
    out: dict[str, str] = {}
    for row in corpus.actors():
        out.setdefault(row["name"], row["id"])
    return out


def _titles(request: Request) -> dict[str, str | None]:
    """Article id → title: from the API service's article catalog (read once per corpus change)
    when the API is installed, else from the store."""
    try:
        from .deps import get_service
    except ImportError:
        return {a.id: a.title for a in _corpus(request).articles()}
    return {row["id"]: row["title"] for row in get_service(request).catalog()}


# -- pages ---------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
@_page
def home(request: Request) -> HTMLResponse:
    """Story overview: the stories with size, outlets, date range and main actors."""
    corpus = _corpus(request)
    filters = Filters.from_request(request)
    stories, ignored = _scoped(corpus.stories, filters)
    return _render(
        request,
        "index.html",
        active="stories",
        stories=stories,
        titles=_titles(request),
        actor_ids=_actor_ids(corpus),
        counts={"articles": corpus.count(), "actors": len(corpus.actors())},
        filters=filters,
        ignored=ignored,
    )


@router.get("/articles", response_class=HTMLResponse)
@_page
def articles(request: Request) -> HTMLResponse:
    """Every current article (date, outlet, title), in the scope of the filters."""
    corpus = _corpus(request)
    filters = Filters.from_request(request)
    rows = list(corpus.articles(outlet=filters.outlet, since=filters.since, until=filters.until))
    if filters.story is not None:
        story = next((s for s in corpus.stories() if s["id"] == filters.story), None)
        if story is None:
            raise NotFound(f"no story {filters.story!r} (the stories are listed on the home page)")
        members = {m["id"] for m in story["members"]}
        rows = [a for a in rows if a.id in members]
    if filters.actor is not None:
        actor = corpus.find_actor(filters.actor)
        ids = {a for r in corpus.actors() if r["id"] == actor for a in r["articles"]}
        rows = [a for a in rows if a.id in ids]
    return _render(request, "articles.html", articles=rows, filters=filters)


def _timeline_rows(request: Request) -> tuple[list[dict[str, Any]], Filters, list[str], bool]:
    corpus = _corpus(request)
    filters = Filters.from_request(request)
    approximate = request.query_params.get("approximate") in ("1", "true", "on", "yes")
    rows, ignored = _scoped(corpus.timeline, filters, include_approximate=approximate)
    return rows, filters, ignored, approximate


@router.get("/timeline", response_class=HTMLResponse)
@_page
def timeline(request: Request) -> HTMLResponse:
    """The zoomable timeline (drawn by ``static/timeline.js`` from ``/timeline.json``) and, for
    reading without JavaScript, the same entries as a list."""
    rows, filters, ignored, approximate = _timeline_rows(request)
    json_query = filters.query(approximate="1" if approximate else None)
    return _render(
        request,
        "timeline.html",
        entries=rows,
        filters=filters,
        ignored=ignored,
        approximate=approximate,
        json_src="/timeline.json" + json_query,
    )


@router.get("/timeline.json")
def timeline_json(request: Request) -> JSONResponse:
    """The timeline entries for the chart: each with its evidence links (``href``)."""
    try:
        with _lock(request):
            rows, filters, ignored, approximate = _timeline_rows(request)
    except NotFound as exc:
        return JSONResponse({"ok": False, "error": exc.message, "status": 404}, status_code=404)
    except StorylineError as exc:
        return JSONResponse({"ok": False, "error": exc.message, "status": 400}, status_code=400)
    entries = []
    for row in rows:
        citations = [
            dict(c, href=evidence_href(c["article"], c["start"], c["end"])) for c in row["citations"]
        ]
        entries.append(dict(row, citations=citations, href=citations[0]["href"] if citations else None))
    return JSONResponse(
        {
            "ok": True,
            "filters": dict(filters.active()),
            "ignored_filters": ignored,
            "approximate": approximate,
            "entries": entries,
        }
    )


@router.get("/positions", response_class=HTMLResponse)
@_page
def positions(request: Request) -> HTMLResponse:
    """The positions matrix (actor × issue; the latest stance and its date in each cell) and, per
    cell, the history of the position with changes and contradictions flagged."""
    corpus = _corpus(request)
    filters = Filters.from_request(request)
    ledger, ignored = _scoped(corpus.positions, filters)
    names = {r["id"]: r["name"] for r in corpus.actors()}
    matrix = ledger.matrix()
    issues = sorted({issue for cells in matrix.values() for issue in cells})
    actors = sorted(matrix, key=lambda a: (-sum(len(v) for v in matrix[a].values()), names.get(a, a)))
    histories = []
    for actor in actors:
        for issue in issues:
            if issue in matrix[actor]:
                histories.append(
                    {
                        "actor": actor,
                        "issue": issue,
                        "entries": ledger.history(actor, issue),
                        "flags": ledger.flags(actor, issue),
                    }
                )
    return _render(
        request,
        "positions.html",
        matrix=matrix,
        issues=issues,
        actors=actors,
        names=names,
        histories=histories,
        titles=_titles(request),
        filters=filters,
        ignored=ignored,
    )


@router.get("/quotes", response_class=HTMLResponse)
@_page
def quotes(request: Request) -> HTMLResponse:
    """Who said what: statements grouped by speaker (most quoted first), each with its evidence."""
    corpus = _corpus(request)
    filters = Filters.from_request(request)
    speaker = (request.query_params.get("speaker") or "").strip() or None
    rows, ignored = _scoped(corpus.quotes, filters, speaker=speaker)
    by_speaker: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_speaker[row["speaker"] or "(unknown speaker)"].append(row)
    groups = sorted(by_speaker.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return _render(
        request,
        "quotes.html",
        groups=groups,
        total=len(rows),
        speaker=speaker,
        titles=_titles(request),
        filters=filters,
        ignored=ignored,
    )


@router.get("/figures", response_class=HTMLResponse)
@_page
def figures(request: Request) -> HTMLResponse:
    """Figures grouped by what they count, with agreement or conflict across outlets."""
    corpus = _corpus(request)
    filters = Filters.from_request(request)
    groups, ignored = _scoped(corpus.figures, filters)
    return _render(request, "figures.html", groups=groups, filters=filters, ignored=ignored)


@router.get("/outlets", response_class=HTMLResponse)
@_page
def outlets(request: Request) -> HTMLResponse:
    """Outlets side by side: opinion, bias, loaded language, sourcing, whom they quote."""
    corpus = _corpus(request)
    filters = Filters.from_request(request)
    rows, ignored = _scoped(corpus.outlets, filters)
    return _render(request, "outlets.html", outlets=rows, filters=filters, ignored=ignored)


def _removed_html(article: Article) -> Markup:
    """The raw text with every stretch cleaning removed marked (``hl-furniture``, reason as note)."""
    marks = [
        Mark(start=r.raw_start, end=r.raw_end, kind="furniture", note=f"removed: {r.reason}")
        for r in article.removed
    ]
    return highlight_html(article.raw, marks, anchor_prefix="raw")


def _kinds_present(marks: Iterable[Mark]) -> set[str]:
    return {m.kind for m in marks}


@router.get("/articles/{article_id}", response_class=HTMLResponse)
@_page
def article(request: Request, article_id: str) -> HTMLResponse:
    """The article reader: clean text with every extracted span highlighted by kind, metadata with
    provenance, the claims made from it, and the removed page furniture on demand."""
    corpus = _corpus(request)
    art = corpus.get(article_id)
    annotations = corpus.annotations(art)
    marks = article_marks(annotations)
    kinds = _kinds_present(marks)
    return _render(
        request,
        "article.html",
        active="articles",
        article=art,
        meta=art.meta.to_json(),
        annotations=annotations,
        text_html=highlight_html(art.text, marks),
        removed_html=_removed_html(art) if art.removed else None,
        kinds=[k for k in _KIND_LABELS if k in kinds],
        kind_labels=_KIND_LABELS,
        corrections=True,  # the reader shows the correction forms (storyline.web.api_corrections)
    )


_KIND_LABELS: dict[str, str] = {
    "actor": "Actors and mentions",
    "speaker": "Speakers",
    "statement": "Statements",
    "date": "Dates (time expressions)",
    "figure": "Figures",
    "loaded": "Loaded language",
    "event": "Events",
    "position": "Positions",
    "corrected": "Corrected by a person",
}
