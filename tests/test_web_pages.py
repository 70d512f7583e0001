"""The HTML pages (storyline.web.pages) through FastAPI's test client, the security headers, and the
reader's highlighting (exact HTML).

One corpus is built per module: the five bundled samples plus one hostile article whose title, text,
outlet, author and URL carry script payloads; every page must show those escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import storyline
from storyline.corpus import Corpus
from storyline.model import Metadata, MetaValue, RawDocument
from storyline.web.pages import Filters, Mark, article_marks, evidence_href, highlight_html, safe_url

fastapi_testclient = pytest.importorskip("fastapi.testclient")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

XSS_TITLE = "<script>window.__xss=1;alert(1)</script>Talks <img src=x onerror=alert(1)>"
XSS_OUTLET = '<img src=x onerror="window.__xss=1;alert(1)">Evil Outlet'
XSS_URL = "javascript:window.__xss=1;alert(1)//"
XSS_AUTHOR = "<b onmouseover=alert(1)>Author</b>"
XSS_TEXT = (
    "<script>window.__xss=1;alert(1)</script> Kremlin spokesman Dmitry Peskov said on Tuesday that "
    '"<img src=x onerror="window.__xss=1;alert(1)"> the talks with Ukraine will go on in Istanbul."\n\n'
    "Ukrainian President Volodymyr Zelensky said Russia launched 300 drones at Kyiv on Monday. "
    '<a href="javascript:window.__xss=1;alert(1)">Read more</a>\n'
)


def xss_document() -> RawDocument:
    """An article whose every untrusted field carries a payload that sets ``window.__xss``."""

    def given(value: str) -> MetaValue:
        return MetaValue(value=value, provenance="given")

    return RawDocument(
        origin="hostile.txt",
        source_key="hostile-outlet/1",
        kind="text",
        text=XSS_TEXT,
        meta=Metadata(
            title=given(XSS_TITLE),
            outlet=given(XSS_OUTLET),
            url=given(XSS_URL),
            author=given(XSS_AUTHOR),
            published=given("2025-06-03"),
        ),
    )


def build_corpus() -> tuple[Corpus, str]:
    """The five samples and the hostile article, analysed; returns the corpus and the hostile id."""
    corpus = storyline.open(":memory:")
    samples = corpus.add([str(EXAMPLES)])
    assert samples.added == 5 and not samples.failed, samples.to_json()["failed"]
    report = corpus.add(documents=[xss_document()])
    corpus.analyze()
    return corpus, report.results[0].id


@pytest.fixture(scope="module")
def built() -> Iterator[tuple[Corpus, str]]:
    corpus, xss_id = build_corpus()
    yield corpus, xss_id
    corpus.close()


@pytest.fixture(scope="module")
def client(built: tuple[Corpus, str]) -> Any:
    from storyline.web.app import create_app

    return fastapi_testclient.TestClient(create_app(built[0]))


# -- highlighting: exact HTML -------------------------------------------------------------------


def test_highlight_without_marks_escapes_the_text() -> None:
    assert str(highlight_html("a < b & \"c\" 'd'", [])) == "a &lt; b &amp; &#34;c&#34; &#39;d&#39;"


def test_highlight_nested_marks_nest() -> None:
    marks = [Mark(start=0, end=14, kind="statement", note="s"), Mark(start=0, end=5, kind="actor", note="a")]
    assert str(highlight_html("Putin said no.", marks)) == (
        '<span id="span-0-14" class="hl hl-statement" data-span="0-14" title="s" tabindex="0">'
        '<span id="span-0-5" class="hl hl-actor" data-span="0-5" title="a" tabindex="0">Putin</span>'
        " said no.</span>"
    )


def test_highlight_crossing_mark_is_split_and_continued() -> None:
    marks = [Mark(start=2, end=6, kind="y"), Mark(start=0, end=4, kind="x")]
    assert str(highlight_html("abcdefg", marks)) == (
        '<span id="span-0-4" class="hl hl-x" data-span="0-4">ab'
        '<span id="span-2-6" class="hl hl-y" data-span="2-6">cd</span></span>'
        '<span class="hl hl-y hl-cont" data-span="2-6">ef</span>g'
    )


def test_highlight_three_levels_reopen_in_order() -> None:
    marks = [Mark(start=0, end=10, kind="a"), Mark(start=2, end=6, kind="b"), Mark(start=4, end=8, kind="c")]
    assert str(highlight_html("0123456789", marks, anchor_prefix=None)) == (
        '<span class="hl hl-a" data-span="0-10">01'
        '<span class="hl hl-b" data-span="2-6">23'
        '<span class="hl hl-c" data-span="4-8">45</span></span>'
        '<span class="hl hl-c hl-cont" data-span="4-8">67</span>89</span>'
    )


def test_highlight_same_offsets_share_one_element() -> None:
    marks = [
        Mark(start=0, end=3, kind="actor", note="n1"),
        Mark(start=0, end=3, kind="date", note="n2"),
        Mark(start=0, end=3, kind="actor", note="n1"),
    ]
    assert str(highlight_html("Foo bar", marks)) == (
        '<span id="span-0-3" class="hl hl-actor hl-date" data-span="0-3" title="n1\nn2" tabindex="0">'
        "Foo</span> bar"
    )


def test_highlight_escapes_segments_and_notes() -> None:
    marks = [Mark(start=3, end=4, kind="k", note='"><script>alert(1)</script>')]
    assert str(highlight_html("<b>x</b>", marks)) == (
        '&lt;b&gt;<span id="span-3-4" class="hl hl-k" data-span="3-4" '
        'title="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" tabindex="0">x</span>&lt;/b&gt;'
    )


def test_highlight_drops_empty_and_out_of_range_marks_and_keeps_neighbours_apart() -> None:
    marks = [
        Mark(start=2, end=2, kind="empty"),
        Mark(start=3, end=99, kind="outside"),
        Mark(start=-1, end=1, kind="outside"),
        Mark(start=0, end=2, kind="a"),
        Mark(start=2, end=4, kind="b"),
    ]
    assert str(highlight_html("abcd", marks)) == (
        '<span id="span-0-2" class="hl hl-a" data-span="0-2">ab</span>'
        '<span id="span-2-4" class="hl hl-b" data-span="2-4">cd</span>'
    )


def test_article_marks_interpret_each_kind() -> None:
    annotations = {
        "mentions": [{"start": 0, "end": 5, "label": "PERSON", "actor_name": "Vladimir Putin", "role": None}],
        "statements": [
            {
                "kind": "indirect",
                "partial": False,
                "content": {"start": 11, "end": 20},
                "cue": {"start": 6, "end": 10, "text": "said"},
                "speaker": {"start": 0, "end": 5, "text": "Putin"},
                "speaker_kind": "named",
                "speaker_name": "Vladimir Putin",
                "anonymous": None,
            }
        ],
        "timexes": [
            {"start": 21, "end": 28, "type": "DATE", "value": "2025-05-20", "anchor": "DCT", "tense": "past"}
        ],
        "figures": [
            {
                "start": 30,
                "end": 40,
                "text": "273 drones",
                "value": 273.0,
                "value_high": None,
                "value_text": None,
                "unit": "drones",
                "what": "drones",
                "kind": "quantity",
                "approx": None,
            }
        ],
        "framing": {
            "loaded": [{"start": 41, "end": 47, "word": "brutal", "category": "violence", "target": None}]
        },
        "events": [
            {
                "start": 6,
                "end": 10,
                "type": "statement",
                "date": "2025-05-20",
                "precision": "day",
                "planned": False,
                "sentence": {"start": 0, "end": 48},
            }
        ],
        "positions": [
            {
                "evidence": {"start": 0, "end": 48},
                "holder_text": "Putin",
                "stance": "rejection",
                "issue": "territory",
                "content": "reject concessions",
            }
        ],
    }
    assert article_marks(annotations) == [
        Mark(start=0, end=5, kind="actor", note="PERSON · actor: Vladimir Putin"),
        Mark(start=11, end=20, kind="statement", note="statement (indirect) by Vladimir Putin · cue “said”"),
        Mark(start=0, end=5, kind="speaker", note="speaker (named): Vladimir Putin"),
        Mark(start=21, end=28, kind="date", note="DATE 2025-05-20 · anchor DCT · tense past"),
        Mark(start=30, end=40, kind="figure", note="figure (quantity): 273 drones · counts: drones"),
        Mark(start=41, end=47, kind="loaded", note="loaded language: “brutal” (violence)"),
        Mark(start=6, end=10, kind="event", note="event: statement · 2025-05-20 (day)"),
        Mark(start=0, end=48, kind="evidence", note=""),
        Mark(
            start=0,
            end=48,
            kind="position",
            note="position of Putin: rejection on territory — reject concessions",
        ),
    ]


class _Pieces(HTMLParser):
    """The text of an highlighted HTML, and the text inside each ``data-span`` (all its pieces)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.inside: dict[str, list[str]] = {}
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        key = str(d["data-span"])
        self.stack.append(key)
        self.inside.setdefault(key, [])
        if d.get("id"):
            self.ids.append(str(d["id"]))

    def handle_endtag(self, tag: str) -> None:
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for key in set(self.stack):
            self.inside[key].append(data)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet="ab<>&\"' \n", max_size=30),
    spans=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30), st.sampled_from("xyz")), max_size=8),
)
def test_highlight_keeps_the_text_and_every_span(text: str, spans: list[tuple[int, int, str]]) -> None:
    marks = [Mark(start=a, end=b, kind=k) for a, b, k in spans]
    html = str(highlight_html(text, marks))
    parsed = _Pieces()
    parsed.feed(html)
    parsed.close()
    assert parsed.stack == []
    assert "".join(parsed.text) == text
    kept = {(m.start, m.end) for m in marks if 0 <= m.start < m.end <= len(text)}
    assert sorted(parsed.ids) == sorted(f"span-{a}-{b}" for a, b in kept)
    for a, b in kept:
        assert "".join(parsed.inside[f"{a}-{b}"]) == text[a:b]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//example.org/x", None),
        ("/relative", None),
        ("http://[::1", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_evidence_href_quotes_the_id() -> None:
    assert evidence_href("abc/../x", 3, 9) == "/articles/abc%2F..%2Fx#span-3-9"


# -- pages ----------------------------------------------------------------------------------------


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the ids seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        self.tags.append((tag, d))
        if d.get("id"):
            self.ids.add(str(d["id"]))


def parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    return p


PAGES = ["/", "/articles", "/timeline", "/positions", "/quotes", "/figures", "/outlets"]
SCRIPTS = {"/timeline": ["/static/timeline.js"]}


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_with_landmarks_and_only_static_scripts(client: Any, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    tags = parse(r.text)
    names = [t for t, _ in tags.tags]
    for landmark in ("header", "nav", "main", "footer", "h1"):
        assert landmark in names, landmark
    scripts = [a.get("src") for t, a in tags.tags if t == "script"]
    assert scripts == SCRIPTS.get(path, [])
    assert '<link rel="stylesheet" href="/static/style.css">' in r.text


def test_home_lists_stories_with_links_into_every_view(client: Any, built: tuple[Corpus, str]) -> None:
    corpus, _ = built
    html = client.get("/").text
    stories = corpus.stories()
    assert len(stories) >= 3
    for story in stories:
        assert f'id="{story["id"]}"' in html
        for view in ("timeline", "positions", "quotes", "figures", "outlets", "articles"):
            assert f'href="/{view}?story={story["id"]}"' in html
    assert '2025-05-18</time> – <time datetime="2025-05-19">2025-05-19</time>' in html
    assert '<a href="/timeline?story=story-9b725e2f9d&amp;actor=vladimir-putin">Vladimir Putin</a>' in html


def test_timeline_page_lists_every_entry_with_its_evidence(client: Any, built: tuple[Corpus, str]) -> None:
    corpus, _ = built
    entries = corpus.timeline()
    html = client.get("/timeline").text
    assert f'<h2 id="list-title">{len(entries)} entries</h2>' in html
    assert 'data-src="/timeline.json"' in html
    for e in entries:
        assert f'id="{e["id"]}"' in html
        for c in e["citations"]:
            assert f'href="/articles/{c["article"]}#span-{c["start"]}-{c["end"]}"' in html


def test_timeline_json_carries_evidence_links(client: Any, built: tuple[Corpus, str]) -> None:
    corpus, _ = built
    data = client.get("/timeline.json").json()
    assert data["ok"] is True and data["approximate"] is False and data["filters"] == {}
    assert [e["id"] for e in data["entries"]] == [e["id"] for e in corpus.timeline()]
    first = data["entries"][0]
    c = first["citations"][0]
    assert first["href"] == c["href"] == f"/articles/{c['article']}#span-{c['start']}-{c['end']}"
    with_approx = client.get("/timeline.json?approximate=1").json()
    assert with_approx["approximate"] is True
    assert len(with_approx["entries"]) == len(corpus.timeline(include_approximate=True))


def test_timeline_json_bad_filter_has_the_error_shape(client: Any) -> None:
    r = client.get("/timeline.json?since=May")
    assert r.status_code == 400
    assert r.json() == {
        "ok": False,
        "error": "since: expected a date like 2025-05-19, 2025-05 or 2025, got 'May'",
        "status": 400,
    }


def test_story_filter_narrows_the_timeline(client: Any, built: tuple[Corpus, str]) -> None:
    corpus, _ = built
    story = corpus.stories()[0]
    members = {m["id"] for m in story["members"]}
    data = client.get(f"/timeline.json?story={story['id']}").json()
    assert data["filters"] == {"story": story["id"]}
    assert data["entries"], "the largest story has dated events"
    for e in data["entries"]:
        assert {c["article"] for c in e["citations"]} <= members
    html = client.get(f"/timeline?story={story['id']}").text
    assert f'<span class="chip">story: <strong>{story["id"]}</strong></span>' in html


def test_every_evidence_link_lands_on_an_anchor(client: Any, built: tuple[Corpus, str]) -> None:
    links: set[str] = set()
    for path in ("/timeline", "/positions", "/quotes", "/figures"):
        for tag, attrs in parse(client.get(path).text).tags:
            href = attrs.get("href") or ""
            if tag == "a" and href.startswith("/articles/") and "#span-" in href:
                links.add(href)
    assert len(links) > 100
    by_article: dict[str, set[str]] = {}
    for href in links:
        path, anchor = href.split("#")
        by_article.setdefault(path, set()).add(anchor)
    for path, anchors in by_article.items():
        ids = parse(client.get(path).text).ids
        assert anchors <= ids, (path, sorted(anchors - ids)[:5])


def test_positions_matrix_and_history(client: Any, built: tuple[Corpus, str]) -> None:
    corpus, _ = built
    ledger = corpus.positions()
    html = client.get("/positions").text
    assert '<table class="matrix">' in html
    assert '<th scope="row">Vladimir Putin</th>' in html
    assert 'href="#history-vladimir-putin--territory"' in html
    assert 'id="history-vladimir-putin--territory"' in html
    for flag in ledger.all_flags():
        assert f"<strong>{flag.kind}</strong>: {flag.note}" in html


def test_quotes_grouped_by_speaker(client: Any, built: tuple[Corpus, str]) -> None:
    corpus, _ = built
    rows = corpus.quotes()
    speakers = {r["speaker"] or "(unknown speaker)" for r in rows}
    html = client.get("/quotes").text
    n = len(speakers)
    assert f"{len(rows)} statements from {n} speakers." in html
    assert html.count('<section class="speaker card"') == len(speakers)
    peskov = client.get("/quotes?speaker=Peskov").text
    assert re.findall(r"<h2>(.*?)</h2>", peskov) == ["Dmitry Peskov"]
    assert '<input name="speaker" value="Peskov"' in peskov


def test_figures_show_agreement(client: Any, built: tuple[Corpus, str]) -> None:
    corpus, _ = built
    groups = corpus.figures()
    html = client.get("/figures").text
    assert html.count('<section class="figure-group card') == len(groups)
    assert '<span class="badge agree">agree</span>' in html
    assert '<a class="evidence" href="/articles/ef64b86a29c02dba#span-541-553">four regions</a>' in html


def test_outlets_side_by_side(client: Any, built: tuple[Corpus, str]) -> None:
    corpus, _ = built
    html = client.get("/outlets").text
    for row in corpus.outlets():
        assert f"{row['outlet']}</a></th>" in html or "Evil Outlet" in row["outlet"]
    assert '<a href="/articles?outlet=Kyiv%20Insider">Kyiv Insider</a>' in html


def test_reader_highlights_and_shows_furniture_and_provenance(client: Any, built: tuple[Corpus, str]) -> None:
    corpus, _ = built
    article = corpus.get("ef64b86a29c02dba")
    html = client.get("/articles/ef64b86a29c02dba").text
    ann = corpus.annotations(article)
    ids = parse(html).ids
    for statement in ann["statements"]:
        assert f"span-{statement['content']['start']}-{statement['content']['end']}" in ids
    for kind in ("actor", "statement", "date", "figure", "event", "position"):
        assert f'<input type="checkbox" id="show-{kind}" checked>' in html
    assert '<details class="furniture" id="furniture">' in html
    assert f"({len(article.removed)} stretches)" in html
    assert '<span class="reason">wire-credit</span>: <q>Bloomberg</q>' in html
    assert html.count('class="hl hl-furniture"') == len(article.removed)
    assert (
        '<span class="provenance">given</span><br>'
        '<span class="meta">sidecar 002_00830faf4447810d.json: published</span>' in html
    )
    assert '<script src="/static/reader.js" defer></script>' in html


def test_reader_article_without_furniture_says_so(client: Any) -> None:
    html = client.get("/articles/e8fce8cc77b81ed5").text
    assert "Cleaning removed nothing from this article." in html
    assert 'id="furniture"' not in html


def test_unknown_article_is_a_404_page(client: Any) -> None:
    r = client.get("/articles/ffffffffffff")
    assert r.status_code == 404
    assert '<p class="error-message">[E302]' not in r.text
    assert "<h1>Not found</h1>" in r.text


def test_bad_date_filter_is_a_400_page(client: Any) -> None:
    r = client.get("/positions?until=yesterday")
    assert r.status_code == 400
    assert (
        '<p class="error-message">until: expected a date like 2025-05-19, 2025-05 or 2025, '
        "got &#39;yesterday&#39;</p>" in r.text
    )


# -- security ------------------------------------------------------------------------------------

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@pytest.mark.parametrize(
    "path", ["/", "/timeline.json", "/static/style.css", "/static/timeline.js", "/articles/ffffffffffff"]
)
def test_security_headers_exact(client: Any, path: str) -> None:
    headers = client.get(path).headers
    assert headers["content-security-policy"] == CSP
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert headers["permissions-policy"] == "camera=(), microphone=(), geolocation=()"
    assert headers.get_list("content-security-policy") == [CSP]


def _assert_inert(html: str) -> None:
    """No payload survives as markup: no event handler attribute, no javascript: URL, no script but
    ours, no raw payload tags."""
    for tag, attrs in parse(html).tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            if name in ("href", "src", "action", "formaction", "data"):
                assert not (value or "").strip().lower().startswith(("javascript:", "data:text")), (
                    tag,
                    value,
                )
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/"), attrs
        assert tag not in ("img", "iframe", "object", "embed", "b"), (tag, attrs)
    assert "<script>window" not in html
    assert "<img src=x" not in html


@pytest.mark.parametrize("path", [*PAGES, "/timeline?approximate=1", "/quotes?speaker=Peskov"])
def test_hostile_article_is_escaped_on_every_page(client: Any, path: str) -> None:
    _assert_inert(client.get(path).text)


def test_hostile_article_reader_shows_the_payloads_as_text(client: Any, built: tuple[Corpus, str]) -> None:
    _, xss_id = built
    r = client.get(f"/articles/{xss_id}")
    assert r.status_code == 200
    html = r.text
    _assert_inert(html)
    title = "&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;Talks &lt;img src=x onerror=alert(1)&gt;"
    assert f"<title>{title} · storyline</title>" in html
    assert f'<h1 class="article-title">{title}</h1>' in html
    outlet = "&lt;img src=x onerror=&#34;window.__xss=1;alert(1)&#34;&gt;Evil Outlet"
    assert f'<p class="meta">{outlet} · ' in html
    # the javascript: URL is shown as text and never linked
    assert '<td class="value">javascript:window.__xss=1;alert(1)//</td>' in html
    assert "source-link" not in html
    assert '<td class="value">&lt;b onmouseover=alert(1)&gt;Author&lt;/b&gt;</td>' in html
    # the text: every payload escaped, even inside highlights
    assert html.count("&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;") >= 3
    assert "&lt;a href=&#34;javascript:window.__xss=1;alert(1)&#34;&gt;Read more&lt;/a&gt;" in html
    assert re.search(r"&lt;img src=x onerror=(<[^>]+>)*&#34;window", html)
    _assert_inert(client.get("/articles").text)


def test_hostile_filter_values_are_escaped(client: Any, built: tuple[Corpus, str]) -> None:
    _, xss_id = built
    r = client.get("/articles", params={"outlet": XSS_OUTLET})
    assert r.status_code == 200
    _assert_inert(r.text)
    assert "<caption>1 article</caption>" in r.text and f'href="/articles/{xss_id}"' in r.text
    outlet = "&lt;img src=x onerror=&#34;window.__xss=1;alert(1)&#34;&gt;Evil Outlet"
    assert f'<input name="outlet" value="{outlet}" autocomplete="off">' in r.text
    assert f'<span class="chip">outlet: <strong>{outlet}</strong></span>' in r.text
    r = client.get("/figures", params={"actor": '"><script>alert(1)</script>'})
    assert r.status_code == 404
    _assert_inert(r.text)
    assert "no actor matching &#39;&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;" in r.text


# -- corrections ---------------------------------------------------------------------------------


def test_reader_has_correction_forms(client: Any, built: tuple[Corpus, str]) -> None:
    html = client.get("/articles/ef64b86a29c02dba").text
    assert '<details class="corrections" id="corrections">' in html
    for kind in ("speaker", "date", "figure"):
        assert f'<form class="correction-form" data-kind="{kind}" data-article="ef64b86a29c02dba">' in html
    assert '<option value="published">publication date (2025-05-19T09:11:00+05:30)</option>' in html
    assert '<script src="/static/corrections.js" defer></script>' in html
    _assert_inert(client.get(f"/articles/{built[1]}").text)


def test_corrected_items_are_marked(client: Any, built: tuple[Corpus, str]) -> None:
    corpus, _ = built
    article = corpus.get("ef64b86a29c02dba")
    statement = next(
        s for s in corpus.annotations(article)["statements"] if s["speaker_name"] == "Sergei Markov"
    )
    start, end = statement["content"]["start"], statement["content"]["end"]
    made = corpus.correct(
        "speaker",
        {"article": article.id, "start": start, "end": end},
        {"actor": "Dmitry Peskov"},
        author="<i>Editor</i>",
        note="checked <the> audio",
    )
    try:
        html = client.get(f"/articles/{article.id}").text
        title = (
            f"corrected by &lt;i&gt;Editor&lt;/i&gt; on {made.created_at.isoformat()[:10]} "
            f"(correction #{made.id}) — checked &lt;the&gt; audio"
        )
        anchor = f'id="span-{start}-{end}" class="hl hl-statement hl-corrected" data-span="{start}-{end}"'
        assert anchor in html
        assert title in html
        assert '<input type="checkbox" id="show-corrected" checked>' in html
        assert '<span class="corrected">corrected</span> <a href="#span-' in html
        quotes = client.get("/quotes?speaker=Peskov").text
        assert (
            '<span class="corrected" title="corrected by &lt;i&gt;Editor&lt;/i&gt;">corrected speaker</span>'
            in quotes
        )
        _assert_inert(html)
    finally:
        assert corpus.uncorrect(made.id)
    assert "hl-corrected" not in client.get(f"/articles/{article.id}").text


def test_article_list_filters(client: Any, built: tuple[Corpus, str]) -> None:
    corpus, _ = built
    story = corpus.stories()[0]
    html = client.get(f"/articles?story={story['id']}").text
    assert f"<caption>{story['articles']} articles</caption>" in html
    assert (
        '<a href="/articles/e8fce8cc77b81ed5">' in client.get("/articles?actor=putin&until=2025-05-18").text
    )
    assert "<caption>1 article</caption>" in client.get("/articles?actor=putin&until=2025-05-18").text
    missing = client.get("/articles?story=story-0000000000")
    assert missing.status_code == 404
    assert "no story &#39;story-0000000000&#39; (the stories are listed on the home page)" in missing.text


def test_scoped_passes_the_filters_a_view_takes_and_names_the_others() -> None:
    from storyline.web.pages import _scoped

    def view(*, story: str | None = None, limit: int = 0) -> tuple[str | None, int]:
        return story, limit

    filters = Filters(story="story-1", outlet="Reuters", since="2025-05")
    assert _scoped(view, filters, limit=3) == (("story-1", 3), ["outlet", "since"])
    assert Filters().query() == ""
    assert filters.query(outlet=None, actor="a b") == "?story=story-1&since=2025-05&actor=a+b"


def test_pages_of_an_empty_corpus_and_an_unanalysed_article() -> None:
    from storyline.web.app import create_app

    with storyline.open(":memory:") as corpus:
        client = fastapi_testclient.TestClient(create_app(corpus))
        expected = {
            "/": "No stories yet.",
            "/timeline": "No dated events in this scope.",
            "/positions": "No positions in this scope.",
            "/figures": "No figures in this scope.",
            "/outlets": "No analysed articles in this scope.",
            "/quotes": "0 statements from 0 speakers.",
            "/articles": "<caption>0 articles</caption>",
        }
        for path, text in expected.items():
            r = client.get(path)
            assert r.status_code == 200 and text in r.text, path
        report = corpus.add([str(EXAMPLES / "000_91b67a5ff5f9ac02.txt")])
        html = client.get(f"/articles/{report.results[0].id}").text
        assert "This article has not been analysed yet" in html
        assert 'class="hl' not in html
