# ruff: noqa: E501 (golden strings are kept as written)
"""The cited briefing: exact Markdown and HTML for small cases built from view rows, the empty
cases, and a briefing of the bundled samples (built once for the module) whose every citation
resolves to the article text it quotes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html
from typer.testing import CliRunner

import storyline
from storyline.cli import app
from storyline.errors import NotFound, UsageError
from storyline.report import (
    ArticleInfo,
    Sentence,
    build_briefing,
    md_escape,
    render,
    render_html,
    render_markdown,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

K = 'Russia fired 273 drones at Kyiv on May 18. "We will never give up land," Putin said. Officials said *talks* failed. The brutal attack shocked [the] city.'
B = "Russia fired 300 drones at Kyiv. Putin offered a ceasefire on Monday."


def span(text: str, part: str) -> tuple[int, int]:
    s = text.index(part)
    return s, s + len(part)


def inputs() -> dict[str, Any]:
    articles = {
        "k1": ArticleInfo(
            id="k1", text=K, outlet="Kyiv Insider", title="Drones hit <Kyiv>", published="2025-05-18"
        ),
        "b1": ArticleInfo(
            id="b1", text=B, outlet="Business Standard", title="Talks", published="2025-05-19T09:11:00+05:30"
        ),
    }
    ks, ke = span(K, "Russia fired 273 drones at Kyiv on May 18.")
    bs, be = span(B, "Russia fired 300 drones at Kyiv.")
    timeline = [
        {
            "id": "ev-2",
            "date": "2025-05-19",
            "precision": "day",
            "date_conflict": [],
            "planned": True,
            "type": "call",
            "what": "Putin offered a ceasefire on Monday.",
            "participants": ["Vladimir Putin"],
            "outlets": ["Business Standard"],
            "citations": [
                {"article": "b1", "start": span(B, "Putin offered a ceasefire on Monday.")[0], "end": len(B)}
            ],
        },
        {
            "id": "ev-1",
            "date": "2025-05-18",
            "precision": "day",
            "date_conflict": ["2025-05-18", "2025-05-19"],
            "planned": False,
            "type": "attack",
            "what": K[ks:ke],
            "participants": ["Russia"],
            "outlets": ["Business Standard", "Kyiv Insider"],
            "citations": [
                {"article": "k1", "start": ks, "end": ke},
                {"article": "b1", "start": bs, "end": be},
            ],
        },
    ]
    land = span(K, "We will never give up land")
    cease = span(B, "offered a ceasefire")
    positions = [
        {
            "actor": "putin",
            "issue": "territory",
            "entries": [
                {
                    "date": "2025-05-18",
                    "stance": "rejection",
                    "content": "never give up land",
                    "outlet": "Kyiv Insider",
                    "article": "k1",
                    "start": land[0],
                    "end": land[1],
                },
                {
                    "date": "2025-05-19",
                    "stance": "offer",
                    "content": "a ceasefire",
                    "outlet": "Business Standard",
                    "article": "b1",
                    "start": cease[0],
                    "end": cease[1],
                },
            ],
            "flags": [
                {
                    "kind": "change",
                    "note": "rejection on 2025-05-18 → offer on 2025-05-19",
                    "before": {"article": "k1", "start": land[0], "end": land[1]},
                    "after": {"article": "b1", "start": cease[0], "end": cease[1]},
                },
            ],
        },
    ]
    d273 = span(K, "273 drones")
    d300 = span(B, "300 drones")
    figures = [
        {
            "what": "drone",
            "unit": "drones",
            "status": "conflict",
            "outlets": ["Business Standard", "Kyiv Insider"],
            "reports": [
                {
                    "article": "k1",
                    "outlet": "Kyiv Insider",
                    "date": "2025-05-18",
                    "text": "273 drones",
                    "start": d273[0],
                    "end": d273[1],
                },
                {
                    "article": "b1",
                    "outlet": "Business Standard",
                    "date": "2025-05-19T09:11:00+05:30",
                    "text": "300 drones",
                    "start": d300[0],
                    "end": d300[1],
                },
            ],
        },
        {"what": "city", "unit": None, "status": "single", "outlets": ["Kyiv Insider"], "reports": []},
    ]
    quotes = [
        {
            "article": "k1",
            "outlet": "Kyiv Insider",
            "date": "2025-05-18",
            "speaker": "Vladimir Putin",
            "speaker_actor": "putin",
            "speaker_kind": "named",
            "anonymous": None,
            "kind": "direct",
            "partial": False,
            "cue": "said",
            "content": {"start": land[0], "end": land[1] + 1, "text": K[land[0] : land[1] + 1]},
        },
        {
            "article": "k1",
            "outlet": "Kyiv Insider",
            "date": "2025-05-18",
            "speaker": "Officials",
            "speaker_actor": None,
            "speaker_kind": "anonymous",
            "anonymous": {"count": None, "affiliation": None, "descriptor": "Officials"},
            "kind": "indirect",
            "partial": False,
            "cue": "said",
            "content": {
                "start": span(K, "*talks* failed")[0],
                "end": span(K, "*talks* failed")[1],
                "text": "*talks* failed",
            },
        },
    ]
    outlets = [
        {
            "outlet": "Business Standard",
            "articles": 1,
            "opinion_score": None,
            "loaded_per_100_words": None,
            "statements": 0,
            "anonymous_share": None,
        },
        {
            "outlet": "Kyiv Insider",
            "articles": 1,
            "opinion_score": 0.5,
            "loaded_per_100_words": 3.333,
            "statements": 2,
            "anonymous_share": 0.5,
        },
    ]
    brutal = span(K, "brutal")
    op = span(K, "The brutal attack shocked [the] city.")
    framing = {
        "k1": {
            "opinion_sentences": [{"start": op[0], "end": op[1], "text": K[op[0] : op[1]], "score": 0.8}],
            "loaded": [{"start": brutal[0], "end": brutal[1], "text": "brutal"}],
        }
    }
    return dict(
        articles=articles,
        timeline=timeline,
        positions=positions,
        actor_names={"putin": "Vladimir Putin"},
        figures=figures,
        quotes=quotes,
        outlets=outlets,
        framing=framing,
        title="Briefing: drones <b>",
    )


GOLDEN_MD = """\
# Briefing: drones \\<b\\>

2 articles from 2 outlets, published 2025-05-18 to 2025-05-19.

## Key developments

- 2025-05-18 — attack (Russia); the outlets disagree on the date: 2025-05-18 / 2025-05-19; reported by \
Business Standard, Kyiv Insider: “Russia fired 273 drones at Kyiv on May 18.” [1][2]
- 2025-05-19 — call (Vladimir Putin), planned; reported by Business Standard: “Putin offered a ceasefire \
on Monday.” [3]

## Positions

### Vladimir Putin

- On territory, latest: offer — “a ceasefire” (2025-05-19, Business Standard) [4]
- Earlier on territory: rejection on 2025-05-18 [5]
- Changed on territory: rejection on 2025-05-18 → offer on 2025-05-19 [5][4]

## Disputed figures

- drone (drones): the outlets disagree — 273 drones (Kyiv Insider, 2025-05-18); 300 drones (Business \
Standard, 2025-05-19) [6][7]

## Who said what

### Vladimir Putin — 1 statement

- 2025-05-18, Kyiv Insider: said “We will never give up land,” [8]

### Anonymous sources — 1 statement

- Officials, 2025-05-18, Kyiv Insider: said “\\*talks\\* failed” [9]

## How outlets framed it

### Business Standard (1 article)

- No opinion score in its 1 article (its framing could not be scored).
- No loaded language found in its 1 article.
- No attributed statements in its 1 article.

### Kyiv Insider (1 article)

- Opinion score 0.50 (0 reporting – 1 opinion); its most opinionated sentence: “The brutal attack shocked \
\\[the\\] city.” [10]
- Loaded language: 3.33 loaded words per 100 words, such as “brutal” [11]
- 50% of its 2 statements come from anonymous sources, such as “Officials” [9]

## Sources

- [1] Kyiv Insider, “Drones hit \\<Kyiv\\>”, 2025-05-18, article `k1`, chars 0–42: “Russia fired 273 drones at \
Kyiv on May 18.”
- [2] Business Standard, “Talks”, 2025-05-19, article `b1`, chars 0–32: “Russia fired 300 drones at Kyiv.”
- [3] Business Standard, “Talks”, 2025-05-19, article `b1`, chars 33–69: “Putin offered a ceasefire on Monday.”
- [4] Business Standard, “Talks”, 2025-05-19, article `b1`, chars 39–58: “offered a ceasefire”
- [5] Kyiv Insider, “Drones hit \\<Kyiv\\>”, 2025-05-18, article `k1`, chars 44–70: “We will never give up land”
- [6] Kyiv Insider, “Drones hit \\<Kyiv\\>”, 2025-05-18, article `k1`, chars 13–23: “273 drones”
- [7] Business Standard, “Talks”, 2025-05-19, article `b1`, chars 13–23: “300 drones”
- [8] Kyiv Insider, “Drones hit \\<Kyiv\\>”, 2025-05-18, article `k1`, chars 44–71: “We will never give up land,”
- [9] Kyiv Insider, “Drones hit \\<Kyiv\\>”, 2025-05-18, article `k1`, chars 100–114: “\\*talks\\* failed”
- [10] Kyiv Insider, “Drones hit \\<Kyiv\\>”, 2025-05-18, article `k1`, chars 116–153: “The brutal attack shocked \
\\[the\\] city.”
- [11] Kyiv Insider, “Drones hit \\<Kyiv\\>”, 2025-05-18, article `k1`, chars 120–126: “brutal”
"""


def test_markdown_golden() -> None:
    assert render_markdown(build_briefing(**inputs())) == GOLDEN_MD


def test_citations_quote_the_span_they_name() -> None:
    briefing = build_briefing(**inputs())
    texts = {"k1": K, "b1": B}
    assert [c.n for c in briefing.citations] == list(range(1, 12))
    for c in briefing.citations:
        assert c.quote == texts[c.article][c.start : c.end]
    # every sentence that states something cites; the absence sentences cite nothing
    for section in briefing.sections:
        for s in section.sentences:
            assert bool(s.cites) != s.text.startswith(tuple(a[2:] for a in ABSENCE)), s.text


def test_html_escapes_and_links_to_the_reader() -> None:
    args = inputs()
    args["articles"]["k1"] = ArticleInfo(
        id="k1", text=K, outlet="<script>alert(1)</script>", title='x" onmouseover="y', published="2025-05-18"
    )
    args["quotes"][1]["anonymous"]["descriptor"] = "<img src=x onerror=alert(1)>"
    page = render_html(build_briefing(**args), link_base="http://127.0.0.1:8000/")
    assert "<script" not in page and 'onmouseover="' not in page and "<img" not in page
    assert "<title>Briefing: drones &lt;b&gt;</title>" in page
    assert (
        '<li id="cite-1"><a href="http://127.0.0.1:8000/articles/k1#span-0-42">&lt;script&gt;alert(1)&lt;/script&gt;, '
        "“x&#34; onmouseover=&#34;y”, 2025-05-18</a> — article <code>k1</code>, chars 0–42: "
        "<q>Russia fired 273 drones at Kyiv on May 18.</q></li>"
    ) in page
    assert (
        "<li>&lt;img src=x onerror=alert(1)&gt;, 2025-05-18, Kyiv Insider: said “*talks* failed”"
        '<sup><a href="#cite-9">[9]</a></sup></li>'
    ) in page
    tree = lxml_html.fromstring(page)
    assert tree.xpath("//script") == []
    cited = {a.get("href") for a in tree.xpath("//sup/a")}
    targets = {"#" + li.get("id") for li in tree.xpath("//ol[@class='sources']/li")}
    assert cited == targets and len(targets) == 9  # the outlet section no longer finds k1's framing


def test_markdown_renders_without_markup_from_the_articles() -> None:
    """A CommonMark renderer (markdown-it, which rich brings) shows article text as text."""
    markdown_it = pytest.importorskip("markdown_it")
    args = inputs()
    args["quotes"][1]["anonymous"]["descriptor"] = "<script>alert(1)</script> [x](javascript:alert(2))"
    args["articles"]["k1"] = ArticleInfo(
        id="k1", text=K, outlet="Kyiv *Insider*", title="![img](http://t/x.png)", published="2025-05-18"
    )
    page = markdown_it.MarkdownIt("commonmark").render(render_markdown(build_briefing(**args)))
    tree = lxml_html.fromstring(page)
    assert tree.xpath("//script | //a | //img | //em | //strong") == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(2)), 2025-05-18" in page
    assert (
        "<li>[1] Kyiv *Insider*, “![img](http://t/x.png)”, 2025-05-18, article <code>k1</code>, chars 0–42:"
        in page
    )


EMPTY_MD = """\
# Briefing

There are no articles to brief on (add some with storyline run PATH).
"""


def test_empty_corpus_is_a_short_report() -> None:
    briefing = build_briefing(articles={})
    assert render_markdown(briefing) == EMPTY_MD
    page = render_html(briefing)
    assert '<p class="meta">There are no articles to brief on (add some with storyline run PATH).</p>' in page
    assert "<section" not in page


NO_EVENTS_MD = """\
# Briefing: story s1

1 article from 1 outlet, published 2025-05-18. 1 of them are not analysed yet (storyline analyze analyses them).

## Key developments

No dated events in these articles.

## Positions

No positions of any actor were found.

## Disputed figures

No figure is disputed (0 figure groups, none with conflicting reports).

## Who said what

No attributed statements were found.

## How outlets framed it

No outlet has analysed articles.
"""


def test_story_without_events() -> None:
    articles = {"k1": ArticleInfo(id="k1", text=K, outlet="Kyiv Insider", published="2025-05-18")}
    briefing = build_briefing(articles=articles, title="Briefing: story s1", story="s1", analysed=0)
    assert render_markdown(briefing) == NO_EVENTS_MD


def test_long_timelines_are_cut_with_a_note() -> None:
    args = inputs()
    briefing = build_briefing(**args, max_developments=1)
    sentences = briefing.sections[0].sentences
    assert sentences[0].text.startswith("2025-05-18 — attack")
    assert sentences[1] == Sentence(text="Not shown: 1 later entry of the full timeline.")


def test_corrections_show_as_corrected() -> None:
    args = inputs()
    args["timeline"][1]["corrected"] = {"id": 3, "by": "ana", "at": "2026-11-27T07:00:00+00:00", "note": None}
    args["quotes"][0]["corrected"] = {
        "id": 4,
        "by": "<b>bo</b>",
        "at": "2026-11-27T07:00:00+00:00",
        "note": None,
    }
    text = render_markdown(build_briefing(**args))
    assert (
        "- 2025-05-18 — attack (Russia); the outlets disagree on the date: 2025-05-18 / 2025-05-19 (corrected by ana); reported by"
        in text
    )
    assert (
        "- 2025-05-18, Kyiv Insider: said “We will never give up land,” (corrected by \\<b\\>bo\\</b\\>) [8]"
        in text
    )


def test_unknown_citations_are_dropped() -> None:
    args = inputs()
    args["timeline"][0]["citations"].append({"article": "gone", "start": 0, "end": 5})
    args["timeline"][0]["citations"].append({"article": "b1", "start": 60, "end": 500})
    briefing = build_briefing(**args)
    assert briefing.sections[0].sentences[1].cites == (3,)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("*bold* _it_", "\\*bold\\* \\_it\\_"),
        ("[link](javascript:x)", "\\[link\\](javascript:x)"),
        ("<img src=x onerror=y>", "\\<img src=x onerror=y\\>"),
        ("a\n\n# heading", "a \\# heading"),
        ("C:\\path | `code`", "C:\\\\path \\| \\`code\\`"),
        ("plain, text.", "plain, text."),
    ],
)
def test_md_escape(text: str, escaped: str) -> None:
    assert md_escape(text) == escaped


def test_render_refuses_an_unknown_format() -> None:
    with pytest.raises(UsageError, match=r"unknown report format 'pdf' \(known: md, html\)"):
        render(build_briefing(articles={}), format="pdf")


# -- the bundled samples -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = tmp_path_factory.mktemp("report") / "s.db"
    corpus = storyline.open(db)
    corpus.add([str(EXAMPLES)])
    corpus.analyze()
    yield db, corpus
    corpus.close()


ABSENCE = ("- No ", "- None of ", "- Not shown: ")
_SOURCE = re.compile(r"^- \[(\d+)\] .*, article `([0-9a-f]+)`, chars (\d+)–(\d+): “(.*)”$")


def test_markdown_of_the_samples_cites_every_claim(samples: Any) -> None:
    _, corpus = samples
    text = corpus.report()
    body, _, sources = text.partition("\n## Sources\n")
    articles = {a.id: a for a in corpus.articles()}
    resolved: dict[int, str] = {}
    for line in sources.strip().splitlines():
        m = _SOURCE.match(line)
        assert m is not None, line
        n, article_id, start, end = int(m[1]), m[2], int(m[3]), int(m[4])
        assert md_escape(articles[article_id].text[start:end]) == m[5]
        resolved[n] = article_id
    assert sorted(resolved) == list(range(1, len(resolved) + 1))
    bullets = [line for line in body.splitlines() if line.startswith("- ")]
    assert len(bullets) > 40
    for line in bullets:
        marks = [int(n) for n in re.findall(r"\[(\d+)\]", line)]
        assert marks or line.startswith(ABSENCE), line
        assert all(n in resolved for n in marks)
    for title in (
        "## Key developments",
        "## Positions",
        "## Disputed figures",
        "## Who said what",
        "## How outlets framed it",
    ):
        assert title in body
    assert body.index("### Vladimir Putin") < body.index("## Disputed figures")
    dates = [line[2:12] for line in body.split("## Positions")[0].splitlines() if line.startswith("- ")]
    assert dates == sorted(dates)


def test_report_cli_story_html_and_errors(samples: Any, tmp_path: Path) -> None:
    db, corpus = samples
    runner = CliRunner()
    story = corpus.stories()[0]
    target = tmp_path / "b.html"
    result = runner.invoke(
        app, ["--db", str(db), "report", "--story", story["id"], "--format", "html", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    tree = lxml_html.fromstring(target.read_text(encoding="utf-8"))
    members = {m["id"] for m in story["members"]}
    hrefs = [a.get("href") for a in tree.xpath("//ol[@class='sources']/li/a")]
    assert hrefs
    for href in hrefs:
        m = re.fullmatch(r"/articles/([0-9a-f]+)#span-(\d+)-(\d+)", href)
        assert m is not None and m[1] in members, href
    assert tree.xpath("//h1")[0].text_content() == f"Briefing: {story['titles'][0]}"

    result = runner.invoke(app, ["--db", str(db), "report", "--story", "nope"])
    assert result.exit_code == 2
    assert "[E302] no story with id 'nope'" in result.output
    result = runner.invoke(app, ["--db", str(db), "report", "--format", "pdf"])
    assert result.exit_code == 2
    assert "unknown report format 'pdf' (known: md, html)" in result.output
    with pytest.raises(NotFound, match="no story with id 'nope'"):
        corpus.report(story="nope")


def test_report_cli_on_an_empty_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "e.db"), "report"])
    assert result.exit_code == 0, result.output
    assert result.stdout == EMPTY_MD
