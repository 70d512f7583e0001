"""The briefing as Markdown or HTML.

Markdown: sections as ``##`` headings, one bullet per sentence, citations as ``[n]`` after the
sentence and a *Sources* list at the end — ``[n] outlet, “title”, date, article ID, chars
START–END: “evidence”``. Text from the articles is escaped for Markdown (``*``, ``_``, ``[``,
``<`` and the like are backslash-escaped; line breaks become spaces), so an article cannot add
links, emphasis or raw HTML to the briefing.

HTML: one page from ``templates/briefing.html`` (Jinja2 with autoescape), citations as
superscript links to the *Sources* list, each source linking to the storyline reader's evidence
span, ``{link_base}/articles/{id}#span-{start}-{end}``. No script.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import quote

import jinja2

from .briefing import Briefing, Citation, Sentence

__all__ = ["evidence_href", "md_escape", "render_html", "render_markdown"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~&!])")
TEMPLATES = Path(__file__).parent / "templates"


def md_escape(text: str) -> str:
    """``text`` as literal Markdown inline text: whitespace runs (line breaks too) collapsed to one
    space and Markdown's punctuation backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_sentence(sentence: Sentence) -> str:
    marks = "".join(f"[{n}]" for n in sentence.cites)
    return md_escape(sentence.text) + (f" {marks}" if marks else "")


def _md_citation(c: Citation) -> str:
    source = md_escape(c.outlet or "unknown outlet")
    if c.title:
        source += f", “{md_escape(c.title)}”"
    source += f", {md_escape((c.date or 'undated')[:10])}"
    return f"[{c.n}] {source}, article `{c.article}`, chars {c.start}–{c.end}: “{md_escape(c.quote)}”"


def render_markdown(briefing: Briefing) -> str:
    """The briefing as Markdown text (ends with a newline)."""
    lines = [f"# {md_escape(briefing.title)}", "", md_escape(briefing.summary)]
    for section in briefing.sections:
        lines += ["", f"## {section.title}", ""]
        if not section.groups:
            lines.append(md_escape(section.empty))
            continue
        for i, group in enumerate(section.groups):
            if group.heading:
                if i:
                    lines.append("")
                lines += [f"### {md_escape(group.heading)}", ""]
            lines += [f"- {_md_sentence(s)}" for s in group.sentences]
    if briefing.citations:
        lines += ["", "## Sources", ""]
        lines += [f"- {_md_citation(c)}" for c in briefing.citations]
    return "\n".join(lines) + "\n"


def evidence_href(article: str, start: int, end: int, *, link_base: str = "") -> str:
    """The reader's URL of an evidence span."""
    return f"{link_base.rstrip('/')}/articles/{quote(article, safe='')}#span-{int(start)}-{int(end)}"


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(briefing: Briefing, *, link_base: str = "") -> str:
    """The briefing as a standalone HTML page; evidence links go to ``{link_base}/articles/…``
    (the storyline web app; ``link_base=""`` for links relative to the site root)."""
    template = _environment().get_template("briefing.html")

    def href(c: Citation) -> str:
        return evidence_href(c.article, c.start, c.end, link_base=link_base)

    return template.render(briefing=briefing, evidence_href=href)
