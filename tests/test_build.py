"""Tests of storyline.build.build_article: the whole path from RawDocument to Article."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from storyline.build import build_article, looks_binary
from storyline.config import IngestConfig
from storyline.errors import BinaryInput, EmptyInput, InputError, TooLarge
from storyline.ingest.text import read_sidecar
from storyline.model import Metadata, MetaValue, RawDocument, article_id, content_hash

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CONFIG = IngestConfig()


def _doc(text: str, *, meta: Metadata | None = None, origin: str = "test.txt", **kw: object) -> RawDocument:
    return RawDocument(
        origin=origin, source_key=f"local:{origin}", kind="text", text=text, meta=meta or Metadata(), **kw
    )  # type: ignore[arg-type]


def _example_doc(name: str, *, with_sidecar: bool) -> RawDocument:
    path = EXAMPLES / name
    meta = read_sidecar(path)[0] if with_sidecar else None
    return _doc(path.read_text(encoding="utf-8"), meta=meta, origin=str(path))


def test_build_without_sidecar_harvests_from_text() -> None:
    article = build_article(_example_doc("002_00830faf4447810d.txt", with_sidecar=False), config=CONFIG)
    assert article.published == "2025-05-19T09:11:00+05:30"
    assert article.meta.published is not None and article.meta.published.provenance == "text"
    assert article.meta.get("original_source") == "Bloomberg"
    assert article.title == "Putin heads into Trump call confident Russia has upper hand against Ukraine"
    # the outlet names itself in its paywall ("Subscribe to Business Standard digital"): a weak guess
    assert article.meta.outlet is not None
    assert (article.outlet, article.meta.outlet.provenance, article.meta.outlet.confidence) == (
        "Business Standard",
        "text",
        0.5,
    )
    assert article.language == "en"
    assert article.content_hash == content_hash(article.text)
    assert article.id == article_id(article.source_key, article.content_hash)
    assert "₹" not in article.text
    assert article.raw.startswith("Putin heads into Trump call")
    start, end = (int(x) for x in dict(article.meta.extra)["title_span"].split(":"))
    assert article.text[start:end] == article.title


def test_build_with_sidecar_given_wins() -> None:
    article = build_article(_example_doc("004_409c474fb3687218.txt", with_sidecar=True), config=CONFIG)
    meta = article.meta
    assert meta.title is not None and meta.title.provenance == "given"
    assert meta.outlet is not None and (meta.outlet.value, meta.outlet.provenance) == (
        "Interbellum News",
        "given",
    )
    assert meta.author is not None and (meta.author.value, meta.author.provenance) == ("Naffah", "given")
    assert article.published == "2025-07-15"
    assert [r.reason for r in article.removed] == ["caption", "section", "byline", "navigation"]


def test_build_title_from_sidecar_not_in_text() -> None:
    article = build_article(_example_doc("001_8fb1dc4e35836920.txt", with_sidecar=True), config=CONFIG)
    assert article.title is not None and article.title.startswith("Putin lays out firm conditions")
    assert "title_span" not in dict(article.meta.extra)
    assert article.text.startswith("Key Takeaways\n")


def test_outlet_from_url_when_missing() -> None:
    meta = Metadata(url=MetaValue(value="https://www.kyivinsider.com/x", provenance="given"))
    text = "Russia fired 273 drones at Ukrainian cities overnight, officials said."
    article = build_article(_doc(text, meta=meta), config=CONFIG)
    assert article.outlet == "Kyiv Insider"
    assert article.meta.outlet is not None and article.meta.outlet.provenance == "given"


def test_url_outlet_beats_furniture_guess() -> None:
    raw = (
        "The Kremlin said on Monday that talks with Ukraine would resume next week in Istanbul.\n"
        "© 2025 Example Media Pvt Ltd. All rights reserved.\n"
    )
    meta = Metadata(url=MetaValue(value="https://www.reuters.com/world/x", provenance="given"))
    assert build_article(_doc(raw, meta=meta), config=CONFIG).outlet == "Reuters"
    assert build_article(_doc(raw), config=CONFIG).outlet == "Example Media"


def test_wire_credit_stands_in_for_an_unknown_outlet() -> None:
    raw = (
        "BEIJING (AP) — China's Commerce Ministry on Wednesday urged the United States to cancel "
        "its unilateral tariffs, as a temporary truce between the two countries took effect.\n"
    )
    article = build_article(_doc(raw), config=CONFIG)
    assert article.meta.get("original_source") == "Associated Press"
    assert article.meta.outlet is not None
    assert (article.outlet, article.meta.outlet.provenance, article.meta.outlet.confidence) == (
        "Associated Press",
        "inferred",
        0.5,
    )
    # an outlet the user gave, or the page's own, stays: the wire is then only the original source
    given = Metadata(outlet=MetaValue(value="ABC News", provenance="given"))
    assert build_article(_doc(raw, meta=given), config=CONFIG).outlet == "ABC News"
    url = Metadata(url=MetaValue(value="https://www.reuters.com/world/x", provenance="given"))
    assert build_article(_doc(raw, meta=url), config=CONFIG).outlet == "Reuters"


def test_precedence_given_over_front_matter_over_text() -> None:
    raw = (
        "---\ntitle: Front title\nauthor: Front Author\n---\n"
        "Last Updated : May 19 2025 | 9:11 AM IST\n"
        "The Kremlin said on Monday that talks with Ukraine would resume next week in Istanbul.\n"
    )
    given = Metadata(title=MetaValue(value="Given title", provenance="given"))
    article = build_article(_doc(raw, meta=given), config=CONFIG)
    assert article.title == "Given title"
    assert article.meta.get("author") == "Front Author"
    assert article.published == "2025-05-19T09:11:00+05:30"
    assert article.meta.published is not None and article.meta.published.provenance == "text"
    assert [r.reason for r in article.removed] == ["front-matter", "stamp"]


@pytest.mark.parametrize(
    "text", ["", "   \n\n", "Advertisement\nSCROLL FOR NEXT\nShare on Facebook\n", "Hi there."]
)
def test_empty_after_cleaning(text: str) -> None:
    with pytest.raises(EmptyInput) as info:
        build_article(_doc(text, origin="empty.txt"), config=CONFIG)
    assert info.value.origin == "empty.txt"
    assert "empty after cleaning" in str(info.value)
    assert info.value.code == "E104"


def test_too_large_checked_early() -> None:
    text = "word " * 3000
    with pytest.raises(TooLarge) as info:
        build_article(_doc(text, origin="big.txt"), config=IngestConfig(max_bytes=10_000))
    assert info.value.origin == "big.txt"
    assert "10,000" in str(info.value)


def test_too_large_html() -> None:
    doc = RawDocument(origin="page.html", source_key="k", kind="html", html="<p>x</p>" * 5000)
    with pytest.raises(TooLarge):
        build_article(doc, config=IngestConfig(max_bytes=1000))


@pytest.mark.parametrize(
    "text",
    [
        "abc\x00def ghi jkl mno pqr",
        bytes(range(256)).decode("latin-1") * 10,
        "\ufffd" * 200 + " some words here ok",
    ],
)
def test_binary_input(text: str) -> None:
    with pytest.raises(BinaryInput) as info:
        build_article(_doc(text, origin="junk.bin"), config=CONFIG)
    assert isinstance(info.value, InputError)
    assert info.value.origin == "junk.bin"


def test_looks_binary_accepts_ordinary_text() -> None:
    assert not looks_binary((EXAMPLES / "002_00830faf4447810d.txt").read_text(encoding="utf-8"))
    assert not looks_binary("Tabs\tand\x0cform feeds are fine.\r\n")


def test_build_is_deterministic() -> None:
    doc = _example_doc("000_91b67a5ff5f9ac02.txt", with_sidecar=True)
    assert build_article(doc, config=CONFIG) == build_article(doc, config=CONFIG)


def test_encoding_note_kept() -> None:
    article = build_article(
        _doc("The ministry said 12 people were hurt in the strike.", encoding_note="decoded as cp1252"),
        config=CONFIG,
    )
    assert dict(article.meta.extra)["encoding"] == "decoded as cp1252"


@pytest.mark.skipif(
    importlib.util.find_spec("storyline.ingest.html") is None, reason="storyline.ingest.html missing"
)
def test_build_from_html() -> None:
    body = " ".join(
        f"<p>Paragraph {i}: Russian forces advanced near Pokrovsk on Tuesday, the defence ministry said, "
        "while "
        "Ukraine reported heavy fighting along the eastern front.</p>"
        for i in range(6)
    )
    page = (
        "<html><head><title>Russia advances near Pokrovsk</title>"
        '<meta property="og:title" content="Russia advances near Pokrovsk"></head>'
        f"<body><nav>Home | World</nav><article><h1>Russia advances near Pokrovsk</h1>{body}</article>"
        "<footer>© 2025 Example</footer></body></html>"
    )
    doc = RawDocument(origin="page.html", source_key="https://example.com/a", kind="html", html=page)
    article = build_article(doc, config=CONFIG)
    assert article.html == page
    assert "Paragraph 5" in article.text
    assert "<p>" not in article.raw
    for seg in article.offsets.segments:
        assert article.text[seg.clean : seg.clean + seg.length] == article.raw[seg.raw : seg.raw + seg.length]
