"""The cited briefing: ``storyline report [--story ID] --format md|html``.

:func:`corpus_briefing` reads the views of a corpus (one story's with ``story``) and
:func:`~storyline.report.briefing.build_briefing` turns them into sections of cited sentences;
:func:`render` writes them as Markdown or HTML (:mod:`storyline.report.render`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

from ..errors import UsageError
from .briefing import ArticleInfo, Briefing, Citation, Group, Section, Sentence, build_briefing
from .render import evidence_href, md_escape, render_html, render_markdown

if TYPE_CHECKING:
    from ..corpus import Corpus

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "FORMATS",
    "ArticleInfo",
    "Briefing",
    "Citation",
    "Group",
    "Section",
    "Sentence",
    "build_briefing",
    "corpus_briefing",
    "evidence_href",
    "md_escape",
    "render",
    "render_html",
    "render_markdown",
]

ReportFormat = Literal["md", "html"]
FORMATS: tuple[str, ...] = ("md", "html")


def corpus_briefing(corpus: Corpus, *, story: str | None = None) -> Briefing:
    """The briefing of a corpus, or of one story (an unknown story raises NotFound, E302)."""
    from ..export.graphml import position_history

    title = "Briefing"
    if story is not None:
        rows = corpus.stories(story=story)  # raises NotFound for an unknown story
        titles = [t for r in rows for t in r.get("titles", ()) if t]
        title = f"Briefing: {titles[0]}" if titles else f"Briefing: story {story}"
    articles = list(corpus.articles(story=story))
    annotations = {a.id: corpus.annotations(a) for a in articles}
    infos = {
        a.id: ArticleInfo(id=a.id, text=a.text, outlet=a.outlet, title=a.title, published=a.published)
        for a in articles
    }
    return build_briefing(
        articles=infos,
        timeline=corpus.timeline(story=story),
        positions=position_history(corpus.positions(story=story)),
        actor_names={r["id"]: r["name"] for r in corpus.actors()},
        figures=corpus.figures(story=story),
        quotes=corpus.quotes(story=story),
        outlets=corpus.outlets(story=story),
        framing={a: ann["framing"] for a, ann in annotations.items() if ann.get("framing")},
        title=title,
        story=story,
        analysed=sum(1 for ann in annotations.values() if ann),
    )


def render(briefing: Briefing, *, format: str = "md", link_base: str = "") -> str:  # noqa: A002
    """The briefing as ``md`` (Markdown) or ``html``."""
    if format == "md":
        return render_markdown(briefing)
    if format == "html":
        return render_html(briefing, link_base=link_base)
    raise UsageError(f"unknown report format {format!r} (known: {', '.join(FORMATS)})")
