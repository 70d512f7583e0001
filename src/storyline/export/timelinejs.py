"""TimelineJS export: the cross-outlet timeline as Knight Lab TimelineJS3 JSON.

The file is what TimelineJS3 reads (``new TL.Timeline(id, "timeline.json")``, or the embed
generator's ``source=`` URL)::

    {"title": {"text": {"headline": …, "text": …}},
     "events": [{"start_date": {"year": 2025, "month": 12, "day": 2},
                 "text": {"headline": …, "text": …}, "group": "meeting", "unique_id": "ev-…"}]}

Dates keep the entry's precision: a ``month`` entry has no ``day``, a ``year`` entry only a
``year``; a ``week`` entry spans Monday to Sunday with a ``display_date`` naming the week; an
approximate entry (placed only by its report date, left out unless asked for) says so in its
``display_date``. TimelineJS renders ``headline`` and ``text`` as HTML, so every piece of data in
them (sentences, outlets, titles) is HTML-escaped, and links are only made to ``http``/``https``
URLs. Each event's text holds the sentence behind it, the outlets reporting it, a date conflict
when the outlets disagree, and its evidence: outlet, title, date, article id and the character
span of each citing sentence.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

if TYPE_CHECKING:
    from ..corpus import Corpus

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "ArticleRef",
    "corpus_timelinejs",
    "evidence_link",
    "timeline_date",
    "timelinejs",
    "write_timelinejs",
]

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")


@dataclass(frozen=True, kw_only=True, slots=True)
class ArticleRef:
    """What a citation shows of an article."""

    id: str
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None


def timeline_date(value: str | None, precision: str) -> tuple[dict[str, Any], dict[str, Any] | None] | None:
    """TimelineJS ``start_date`` (and ``end_date`` for a week) of a timeline value at its precision;
    ``None`` when the value cannot be read."""
    if not value:
        return None
    if precision == "week":
        m = _WEEK.match(value)
        if m is None:
            return None
        year, week = int(m.group(1)), int(m.group(2))
        try:
            monday, sunday = (
                date.fromisocalendar(year, week, 6 if m.group(3) else 1),
                date.fromisocalendar(year, week, 7),
            )
        except ValueError:
            return None
        label = f"the weekend of week {week} of {year}" if m.group(3) else f"week {week} of {year}"
        start = {"year": monday.year, "month": monday.month, "day": monday.day, "display_date": label}
        return start, {"year": sunday.year, "month": sunday.month, "day": sunday.day}
    if precision in ("day", "report"):
        m = _DAY.match(value)
        if m is None:
            return None
        out: dict[str, Any] = {"year": int(m.group(1)), "month": int(m.group(2)), "day": int(m.group(3))}
        if precision == "report":
            out["display_date"] = f"about {m.group(0)} (date of the report)"
        return out, None
    if precision == "month":
        m = _MONTH.match(value)
        return None if m is None else ({"year": int(m.group(1)), "month": int(m.group(2))}, None)
    if precision == "year":
        m = _YEAR.match(value)
        return None if m is None else ({"year": int(m.group(1))}, None)
    return None


def evidence_link(ref: ArticleRef | None, start: int, end: int, *, link_base: str | None) -> str | None:
    """Where a citation links: the storyline reader (``{link_base}/articles/{id}#span-{s}-{e}``)
    when ``link_base`` is given, else the article's own URL when it is ``http(s)``, else nothing."""
    if ref is None:
        return None
    if link_base is not None:
        return f"{link_base.rstrip('/')}/articles/{quote(ref.id, safe='')}#span-{int(start)}-{int(end)}"
    url = (ref.url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _headline(entry: Mapping[str, Any]) -> str:
    kind = str(entry.get("type") or "event").replace("_", " ")
    head = kind[:1].upper() + kind[1:]
    who = [str(p) for p in entry.get("participants", ())]
    if who:
        head += ": " + ", ".join(who[:4]) + (" and others" if len(who) > 4 else "")
    if entry.get("planned"):
        head += " (planned)"
    return _esc(head)


def _citation_html(c: Mapping[str, Any], ref: ArticleRef | None, *, link_base: str | None) -> str:
    outlet = c.get("outlet") or (ref.outlet if ref else None) or "unknown outlet"
    label = _esc(outlet)
    if ref is not None and ref.title:
        label += f", “{_esc(ref.title)}”"
    if ref is not None and ref.published:
        label += f", {_esc(ref.published[:10])}"
    href = evidence_link(ref, c["start"], c["end"], link_base=link_base)
    shown = f'<a href="{_esc(href)}">{label}</a>' if href else label
    return f"<li>{shown} — article {_esc(c['article'])}, chars {int(c['start'])}–{int(c['end'])}</li>"


def _event_text(
    entry: Mapping[str, Any], articles: Mapping[str, ArticleRef], *, link_base: str | None
) -> str:
    parts = [f"<p>{_esc(str(entry.get('what') or ''))}</p>"]
    outlets = [str(o) for o in entry.get("outlets", ())]
    if outlets:
        parts.append(f"<p>Reported by {_esc(', '.join(outlets))}.</p>")
    conflict = [str(d) for d in entry.get("date_conflict", ())]
    if conflict:
        parts.append(f"<p>The outlets disagree on the date: {_esc(' / '.join(conflict))}.</p>")
    cites = [_citation_html(c, articles.get(c["article"]), link_base=link_base) for c in entry["citations"]]
    parts.append("<p>Evidence:</p><ol>" + "".join(cites) + "</ol>")
    return "".join(parts)


def timelinejs(
    entries: Sequence[Mapping[str, Any]],
    *,
    articles: Mapping[str, ArticleRef],
    title: str = "Timeline",
    link_base: str | None = None,
) -> dict[str, Any]:
    """TimelineJS3 JSON of timeline rows (as ``Corpus.timeline()`` gives them); entries whose date
    cannot be placed are left out (logged)."""
    events: list[dict[str, Any]] = []
    cited: set[str] = set()
    outlets: set[str] = set()
    for entry in entries:
        when = timeline_date(entry.get("date"), str(entry.get("precision")))
        if when is None:
            logger.warning(
                "timeline entry %s: cannot place date %r in TimelineJS", entry["id"], entry.get("date")
            )
            continue
        start, end = when
        event: dict[str, Any] = {
            "start_date": start,
            "text": {"headline": _headline(entry), "text": _event_text(entry, articles, link_base=link_base)},
            "group": _esc(str(entry.get("type") or "event").replace("_", " ")),
            "unique_id": str(entry["id"]),
        }
        if end is not None:
            event["end_date"] = end
        events.append(event)
        cited.update(c["article"] for c in entry["citations"])
        outlets.update(str(o) for o in entry.get("outlets", ()))
    if events:
        summary = (
            f"{_count(len(events), 'event')} reported by {_count(len(outlets), 'outlet')} "
            f"in {_count(len(cited), 'article')}."
        )
    else:
        summary = "No dated events."
    return {"title": {"text": {"headline": _esc(title), "text": f"<p>{_esc(summary)}</p>"}}, "events": events}


def write_timelinejs(data: Mapping[str, Any], fp: TextIO) -> None:
    """Write TimelineJS JSON (UTF-8 text, non-ASCII kept)."""
    fp.write(json.dumps(data, ensure_ascii=False, indent=1))
    fp.write("\n")


def article_refs(articles: Sequence[Any]) -> dict[str, ArticleRef]:
    """:class:`ArticleRef` of stored articles."""
    return {
        a.id: ArticleRef(
            id=a.id, outlet=a.outlet, title=a.title, published=a.published, url=a.meta.get("url")
        )
        for a in articles
    }


def corpus_timelinejs(
    corpus: Corpus,
    *,
    story: str | None = None,
    include_approximate: bool = False,
    link_base: str | None = None,
) -> dict[str, Any]:
    """:func:`timelinejs` of a corpus' timeline (one story's with ``story``); the title names the
    story by its first headline."""
    title = "Timeline"
    if story is not None:
        rows = corpus.stories(story=story)
        titles = [t for r in rows for t in r.get("titles", ()) if t]
        title = f"Timeline: {titles[0]}" if titles else f"Timeline of story {story}"
    entries = corpus.timeline(story=story, include_approximate=include_approximate)
    refs = article_refs(list(corpus.articles(story=story)))
    return timelinejs(entries, articles=refs, title=title, link_base=link_base)
