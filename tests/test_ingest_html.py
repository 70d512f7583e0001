"""HTML files and ``extract_html``; WARC archives."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.config import IngestConfig
from storyline.errors import InputError, MalformedInput
from storyline.ingest import extract_html, iter_documents
from storyline.ingest.html import find_canonical_url, looks_like_html
from storyline.model import MetaValue, RawDocument

try:
    from httpserver import news_page
except ImportError:  # tests/ is a package
    from tests.httpserver import news_page

CONFIG = IngestConfig(fetch_feed_items=False)
PARAGRAPHS = [
    "Negotiators from both sides returned to Geneva on Friday for a third round of talks, officials said.",
    "The delegations are expected to discuss a prisoner exchange and humanitarian corridors next week.",
    "“We are ready to sign if the other side keeps its word,” the chief negotiator told reporters.",
]


def run(*inputs: str) -> list[RawDocument | InputError]:
    return list(iter_documents(inputs, config=CONFIG))


def test_extract_html_text_and_metadata() -> None:
    text, meta = extract_html(news_page(paragraphs=PARAGRAPHS, cards=5), origin="page.html")
    assert text == "\n\n".join(["Ceasefire talks resume in Geneva", *PARAGRAPHS])
    assert meta.title == MetaValue(
        value="Ceasefire talks resume in Geneva",
        provenance="html",
        evidence="trafilatura: <title>/og:title/h1",
    )
    assert meta.get("author") == "Jane Doe"
    assert meta.get("outlet") == "Example Times"
    assert meta.published == MetaValue(
        value="2025-03-14", provenance="html", evidence="htmldate (original_date=True)"
    )
    assert meta.get("url") == "https://news.example.com/world/ceasefire-talks?id=7"
    assert dict(meta.extra)["description"] == "Talks resume."
    assert "Teaser headline" not in text
    assert "Copyright" not in text


def test_extract_html_without_article_text() -> None:
    with pytest.raises(MalformedInput) as info:
        extract_html("<html><head><title>x</title></head><body></body></html>", origin="p.html")
    assert str(info.value) == "[E106] p.html: no article text found in HTML"
    with pytest.raises(MalformedInput) as info:
        extract_html("\x00\x01 <<<", origin="q.html")
    assert info.value.problem == "no article text found in HTML"


def test_a_one_paragraph_fragment_is_its_own_text() -> None:
    # a feed description the extractor finds no main text in: the fragment is the text
    html = "<p>The ministry said on Monday that talks would &amp; could resume.</p>"
    html += "<script>x=1</script><p>More.</p>"
    text, _ = extract_html(html, origin="feed#entry-1")
    assert text == "The ministry said on Monday that talks would & could resume.\n\nMore."


def test_html_file_is_passed_through_for_the_builder(tmp_path: Path) -> None:
    page = news_page(paragraphs=PARAGRAPHS)
    path = tmp_path / "page.html"
    path.write_text(page)
    doc = run(str(path))[0]
    assert isinstance(doc, RawDocument)
    assert (doc.kind, doc.text, doc.html) == ("html", "", page)
    # the page's own canonical link is its source key (tracking parameters and fragment dropped)
    assert doc.source_key == "https://news.example.com/world/ceasefire-talks?id=7"
    assert doc.meta.title is None  # the builder extracts


def test_html_file_sidecar_url_wins(tmp_path: Path) -> None:
    (tmp_path / "p.html").write_text("<html><body><p>Hello there</p></body></html>")
    (tmp_path / "p.json").write_text('{"url": "https://other.example/p", "outlet": "Other"}')
    doc = run(str(tmp_path / "p.html"))[0]
    assert isinstance(doc, RawDocument)
    assert doc.source_key == "https://other.example/p"
    assert doc.meta.get("outlet") == "Other"


def test_html_file_in_cp1252_declared_by_meta(tmp_path: Path) -> None:
    page = '<html><head><meta charset="windows-1252"></head><body><p>Café “quoted”</p></body></html>'
    (tmp_path / "w.html").write_bytes(page.encode("cp1252"))
    doc = run(str(tmp_path / "w.html"))[0]
    assert isinstance(doc, RawDocument)
    assert doc.html == page
    assert doc.encoding_note == ""


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<!DOCTYPE html><html>", True),
        (b"\xef\xbb\xbf  <html lang=en>", True),
        (b"<!-- saved --><head><title>x</title>", True),
        ("<p>Hello</p>", True),
        (b"Plain text about <html> tags", False),
        (b'<?xml version="1.0"?><rss>', False),
    ],
)
def test_looks_like_html(data: bytes | str, expected: bool) -> None:
    assert looks_like_html(data) is expected


def test_find_canonical_url() -> None:
    assert find_canonical_url('<head><link href="https://a.example/x#y" rel="canonical"></head>') == (
        "https://a.example/x"
    )
    assert find_canonical_url(
        '<head><meta property="og:url" content="http://B.example/y?utm_x=1"></head>'
    ) == ("http://b.example/y")
    assert find_canonical_url('<head><link rel="canonical" href="/relative"></head>') is None


# -- WARC --------------------------------------------------------------------------------------------


def build_warc(gz: bool) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    writer.write_record(
        writer.create_warc_record(
            "https://news.example.com/a", "request", payload=io.BytesIO(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
        )
    )
    responses = [
        (
            "https://news.example.com/a?utm_source=feed",
            "text/html; charset=utf-8",
            "200 OK",
            news_page().encode(),
        ),
        ("https://news.example.com/logo.png", "image/png", "200 OK", b"\x89PNG\r\n\x1a\n"),
        ("https://news.example.com/gone", "text/html", "404 Not Found", b"<html>gone</html>"),
        ("https://news.example.com/b", "text/html", "200 OK", news_page(title="Second page").encode()),
    ]
    for uri, ctype, status, body in responses:
        http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2025-03-15T10:00:00Z"},
            )
        )
    return buf.getvalue()


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_html_responses(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(build_warc(gz=name.endswith(".gz")))
    items = run(str(path))
    assert [(type(i).__name__, i.origin) for i in items] == [
        ("RawDocument", f"{path}#record-2 https://news.example.com/a?utm_source=feed"),
        ("RawDocument", f"{path}#record-5 https://news.example.com/b"),
    ]
    first = items[0]
    assert isinstance(first, RawDocument)
    assert first.kind == "warc"
    assert first.source_key == "https://news.example.com/a"
    assert first.html == news_page()
    assert first.meta.url == MetaValue(
        value="https://news.example.com/a", provenance="given", evidence="WARC-Target-URI"
    )
    assert first.meta.published is None
    assert first.meta.extra == (("crawled", "2025-03-15T10:00:00Z"),)


def test_truncated_warc_gz_yields_what_was_readable(tmp_path: Path) -> None:
    data = build_warc(gz=True)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[:-300])  # into the last gzip member
    items = run(str(path))
    assert [(type(i).__name__, i.origin) for i in items] == [
        ("RawDocument", f"{path}#record-2 https://news.example.com/a?utm_source=feed"),
        ("MalformedInput", str(path)),
    ]
    err = items[-1]
    assert isinstance(err, MalformedInput)
    # the exact count of missing bytes depends on how the random record ids compress
    assert err.problem.startswith(
        "truncated or corrupt WARC: record 5 https://news.example.com/b is cut short ("
    )


def test_truncated_plain_warc_does_not_yield_the_cut_record(tmp_path: Path) -> None:
    data = build_warc(gz=False)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[:-500])
    items = run(str(path))
    assert [type(i).__name__ for i in items] == ["RawDocument", "MalformedInput"]
    err = items[-1]
    assert isinstance(err, MalformedInput)
    assert (
        err.problem
        == "truncated or corrupt WARC: record 5 https://news.example.com/b is cut short (496 bytes missing)"
    )


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc"
    path.write_text("this is not a WARC file\n")
    items = run(str(path))
    assert len(items) == 1
    assert isinstance(items[0], MalformedInput)
    assert items[0].problem == "not a WARC file (record 1 is not a WARC record)"


def test_warc_gz_cut_between_members_is_noticed(tmp_path: Path) -> None:
    data = build_warc(gz=True)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data + data[:40])  # a whole archive, then the start of a gzip member
    items = run(str(path))
    assert [type(i).__name__ for i in items] == ["RawDocument", "RawDocument", "MalformedInput"]
    err = items[-1]
    assert isinstance(err, MalformedInput)
    assert err.problem == (
        "truncated or corrupt WARC after record 5: "
        "Compressed file ended before the end-of-stream marker was reached"
    )
