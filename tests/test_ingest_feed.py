"""RSS/Atom feeds (files and URLs) and the watch loop."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storyline.config import IngestConfig
from storyline.errors import FetchError, InputError, MalformedInput, UnsupportedInput
from storyline.ingest import iter_documents
from storyline.ingest.fetch import Fetcher
from storyline.ingest.watch import FeedState, MemoryFeedStateStore, parse_interval, poll_once, watch
from storyline.model import MetaValue, RawDocument

try:
    from httpserver import LocalServer, news_page
except ImportError:  # tests/ is a package
    from tests.httpserver import LocalServer, news_page

NO_FETCH = IngestConfig(fetch_feed_items=False)
FETCH = IngestConfig(fetch_timeout=1.0, host_delay=0.0)
RSS_TYPE = {"Content-Type": "application/rss+xml"}
HTML = {"Content-Type": "text/html; charset=utf-8"}


def rss(items: list[tuple[str, str, str]], *, base: str = "https://news.example.com") -> bytes:
    """An RSS 2.0 feed; items are ``(guid, title, description)``."""
    entries = "".join(
        f"""<item><title>{title}</title><link>{base}/{guid}?utm_source=rss</link><guid>{guid}</guid>
<author>desk@example.com (Jane Doe)</author><pubDate>Fri, 14 Mar 2025 09:30:00 +0100</pubDate>
<description><![CDATA[{desc}]]></description></item>"""
        for guid, title, desc in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example Times</title><link>{base}/</link>
<description>News</description>{entries}</channel></rss>""".encode()


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Wire Desk</title>
  <id>urn:uuid:feed</id>
  <updated>2025-03-15T12:00:00Z</updated>
  <entry>
    <title>Talks collapse</title>
    <id>urn:uuid:1</id>
    <link href="https://wire.example/talks-collapse"/>
    <updated>2025-03-15T11:00:00Z</updated>
    <published>2025-03-15T10:00:00-05:00</published>
    <author><name>Ann Smith</name></author>
    <content type="html">&lt;p&gt;The talks collapsed on Saturday.&lt;/p&gt;
&lt;p&gt;Both sides blamed each other.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Plain entry</title>
    <id>urn:uuid:2</id>
    <updated>2025-03-15T09:00:00Z</updated>
    <summary>Only a plain summary here.</summary>
  </entry>
</feed>
"""


def run(
    *inputs: str, config: IngestConfig = NO_FETCH, fetcher: Fetcher | None = None
) -> list[RawDocument | InputError]:
    return list(iter_documents(inputs, config=config, fetcher=fetcher))


def test_rss_file_without_fetching(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_bytes(rss([("a1", "First", "<p>First <b>summary</b></p>"), ("a2", "Second", "Plain summary")]))
    first, second = run(str(path))
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert (first.origin, first.kind, first.source_key) == (
        f"{path}#entry-1",
        "feed",
        "https://news.example.com/a1",
    )
    assert (first.html, first.text) == ("<p>First <b>summary</b></p>", "")
    assert (second.html, second.text) == (None, "Plain summary")
    assert first.meta.title == MetaValue(value="First", provenance="given", evidence="feed entry: title")
    assert first.meta.outlet == MetaValue(value="Example Times", provenance="given", evidence="feed: title")
    assert first.meta.get("published") == "2025-03-14T09:30:00+01:00"
    assert first.meta.get("author") == "desk@example.com (Jane Doe)"
    assert first.meta.get("url") == "https://news.example.com/a1"


def test_atom_file(tmp_path: Path) -> None:
    path = tmp_path / "wire.atom"
    path.write_bytes(ATOM)
    first, second = run(str(path))
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.html == "<p>The talks collapsed on Saturday.</p>\n<p>Both sides blamed each other.</p>"
    assert first.meta.get("published") == "2025-03-15T10:00:00-05:00"
    assert first.meta.get("author") == "Ann Smith"
    assert first.meta.get("outlet") == "Wire Desk"
    assert first.source_key == "https://wire.example/talks-collapse"
    # no link: keyed by the feed and the entry id; no published → updated
    assert second.source_key == f"{path}#urn:uuid:2"
    assert second.text == "Only a plain summary here."
    assert second.meta.published == MetaValue(
        value="2025-03-15T09:00:00+00:00", provenance="given", evidence="feed entry: updated"
    )


def test_xml_file_is_sniffed(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_bytes(ATOM)
    (tmp_path / "other.xml").write_text('<?xml version="1.0"?><catalog><book/></catalog>')
    items = run(str(tmp_path / "feed.xml"), str(tmp_path / "other.xml"))
    assert [type(i).__name__ for i in items] == ["RawDocument", "RawDocument", "UnsupportedInput"]
    assert isinstance(items[2], UnsupportedInput)
    assert items[2].problem == "XML file is not an RSS or Atom feed"


def test_malformed_feed(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</ti')
    (err,) = run(str(path))
    assert isinstance(err, MalformedInput)
    assert err.origin == str(path)
    assert err.problem == "malformed feed: unclosed token (line 1, column 74)"


def test_feed_items_are_fetched(tmp_path: Path) -> None:
    with LocalServer() as server:
        base = server.url("")
        server.set("/a1", (200, HTML, news_page(title="Fetched page").encode()))
        path = tmp_path / "feed.rss"
        path.write_bytes(
            rss([("a1", "First", "<p>summary one</p>"), ("gone", "Gone", "<p>summary two</p>")], base=base)
        )
        with Fetcher(FETCH) as fetcher:
            items = run(str(path), config=FETCH, fetcher=fetcher)
    assert [type(i).__name__ for i in items] == ["RawDocument", "FetchError", "RawDocument"]
    page, err, fallback = items
    assert isinstance(page, RawDocument)
    assert (page.origin, page.source_key) == (f"{base}/a1", f"{base}/a1")
    assert page.html == news_page(title="Fetched page")
    assert page.meta.get("title") == "First"  # the feed's, provenance given; the builder adds the page's
    assert isinstance(err, FetchError)
    assert str(err) == f"[E107] {base}/gone: HTTP 404 Not Found"
    assert err.recovered  # the summary follows: a note, not a failure
    assert isinstance(fallback, RawDocument)  # nothing lost: the summary stands in for the page
    assert (fallback.origin, fallback.html) == (f"{path}#entry-2", "<p>summary two</p>")


def test_a_page_that_could_not_be_fetched_is_a_note_when_the_feed_text_is_stored(tmp_path: Path) -> None:
    import storyline

    with LocalServer() as server:
        base = server.url("")
        path = tmp_path / "feed.rss"
        path.write_bytes(
            rss(
                [("gone", "Gone", "<p>The ministry said on Monday that talks would resume in Geneva.</p>")],
                base=base,
            )
        )
        with storyline.open(tmp_path / "s.db", config=FETCH) as corpus:
            report = corpus.add([str(path)])
    assert (report.added, report.failed) == (1, [])
    assert report.notes == [f"{base}/gone: HTTP 404 Not Found; stored from the feed's own text instead"]


def test_feed_url_is_treated_as_feed() -> None:
    with LocalServer() as server:
        server.set("/feed", (200, {"Content-Type": "text/xml"}, ATOM))
        with Fetcher(FETCH) as fetcher:
            items = run(server.url("/feed"), config=NO_FETCH, fetcher=fetcher)
    assert [i.origin for i in items] == [server.url("/feed#entry-1"), server.url("/feed#entry-2")]


# -- watch -------------------------------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as srv:
        yield srv


def test_parse_interval() -> None:
    assert [parse_interval(s) for s in ("15m", "1h", "30s", "2h30m", "90", "1.5h")] == [
        900.0,
        3600.0,
        30.0,
        9000.0,
        90.0,
        5400.0,
    ]
    for bad in ("", "m", "15x", "1h1h", "0s", "-5m", "15m junk"):
        with pytest.raises(ValueError, match=r"invalid interval .*"):
            parse_interval(bad)
    with pytest.raises(ValueError) as info:
        parse_interval("soon")
    assert str(info.value) == "invalid interval 'soon': expected a duration like 30s, 15m, 1h or 2h30m"


def test_poll_once_etag_round_trip_and_new_items_only(server: LocalServer) -> None:
    feed_url = server.url("/feed")
    server.set(
        "/feed", (200, {**RSS_TYPE, "ETag": '"v1"'}, rss([("a", "A", "<p>a</p>"), ("b", "B", "<p>b</p>")]))
    )
    store = MemoryFeedStateStore()
    fixed = datetime(2025, 3, 15, 12, 0, tzinfo=UTC)
    with Fetcher(NO_FETCH.__class__(fetch_feed_items=False, host_delay=0.0)) as fetcher:
        first = list(poll_once([feed_url], state=store, fetcher=fetcher, config=NO_FETCH, now=lambda: fixed))
        assert [d.source_key for d in first if isinstance(d, RawDocument)] == [
            "https://news.example.com/a",
            "https://news.example.com/b",
        ]
        assert store.get(feed_url) == FeedState(
            url=feed_url, etag='"v1"', last_modified=None, seen=frozenset({"a", "b"}), checked_at=fixed
        )
        # unchanged: the server answers 304 to If-None-Match
        assert list(poll_once([feed_url], state=store, fetcher=fetcher, config=NO_FETCH)) == []
        assert server.requests[-1].headers["if-none-match"] == '"v1"'
        # a new item appears
        server.set(
            "/feed",
            (200, {**RSS_TYPE, "ETag": '"v2"'}, rss([("c", "C", "<p>c</p>"), ("a", "A", "<p>a</p>")])),
        )
        third = list(poll_once([feed_url], state=store, fetcher=fetcher, config=NO_FETCH))
    assert [d.source_key for d in third if isinstance(d, RawDocument)] == ["https://news.example.com/c"]
    state = store.get(feed_url)
    assert state is not None
    assert (state.etag, state.seen) == ('"v2"', frozenset({"a", "b", "c"}))
    assert [r.headers.get("if-none-match") for r in server.requests if r.path == "/feed"] == [
        None,
        '"v1"',
        '"v1"',
    ]


def test_watch_loop(server: LocalServer) -> None:
    server.set("/feed", (200, {**RSS_TYPE, "ETag": '"v1"'}, rss([("a", "A", "<p>a</p>")])))
    docs: list[RawDocument] = []
    errors: list[InputError] = []
    sleeps: list[float] = []
    with Fetcher(IngestConfig(host_delay=0.0)) as fetcher:
        delivered = watch(
            [server.url("/feed"), server.url("/nope")],
            "15m",
            state=MemoryFeedStateStore(),
            fetcher=fetcher,
            config=NO_FETCH,
            on_document=docs.append,
            on_error=errors.append,
            stop_after=3,
            sleep=sleeps.append,
        )
    assert delivered == 1
    assert [d.source_key for d in docs] == ["https://news.example.com/a"]
    assert [e.problem for e in errors] == ["HTTP 404 Not Found"] * 3
    assert sleeps == [900.0, 900.0]


def test_poll_once_not_a_feed(server: LocalServer) -> None:
    server.set("/page", (200, HTML, b"<html><body><p>x</p></body></html>"))
    with Fetcher(IngestConfig(host_delay=0.0)) as fetcher:
        (err,) = list(
            poll_once([server.url("/page")], state=MemoryFeedStateStore(), fetcher=fetcher, config=NO_FETCH)
        )
    assert isinstance(err, MalformedInput)
    assert err.problem == "not an RSS or Atom feed (text/html)"


def test_feed_item_that_is_not_a_page_falls_back_to_the_summary(tmp_path: Path) -> None:
    with LocalServer() as server:
        base = server.url("")
        server.set("/doc.pdf", (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7"))
        server.set(
            "/plain", (200, {"Content-Type": "text/plain; charset=utf-8"}, "Plain page – text.".encode())
        )
        path = tmp_path / "feed.rss"
        path.write_bytes(rss([("doc.pdf", "PDF", "<p>pdf summary</p>"), ("plain", "Plain", "x")], base=base))
        with Fetcher(FETCH) as fetcher:
            items = run(str(path), config=FETCH, fetcher=fetcher)
    assert [type(i).__name__ for i in items] == ["UnsupportedInput", "RawDocument", "RawDocument"]
    assert isinstance(items[0], UnsupportedInput)
    assert items[0].problem == "unsupported content type 'application/pdf' (expected HTML or a feed)"
    assert isinstance(items[1], RawDocument) and items[1].html == "<p>pdf summary</p>"
    assert isinstance(items[2], RawDocument) and (items[2].text, items[2].origin) == (
        "Plain page – text.",
        f"{base}/plain",
    )


def test_rss_suffix_that_is_not_a_feed_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "news.rss"
    path.write_text("just some words, no markup")
    (err,) = run(str(path))
    assert isinstance(err, MalformedInput)
    assert err.problem == "malformed feed: not an RSS or Atom feed"


def test_watch_retries_an_entry_that_failed(server: LocalServer) -> None:
    base = server.url("")
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>Late</title><link>{base}/late</link><guid>late</guid></item></channel></rss>""".encode()
    server.set("/feed", (200, {**RSS_TYPE, "ETag": '"v1"'}, feed))
    store = MemoryFeedStateStore()
    with Fetcher(FETCH) as fetcher:
        first = list(poll_once([server.url("/feed")], state=store, fetcher=fetcher, config=FETCH))
        assert [type(i).__name__ for i in first] == ["FetchError", "MalformedInput"]
        state = store.get(server.url("/feed"))
        assert state is not None and (state.seen, state.etag) == (frozenset(), None)
        server.set("/late", (200, HTML, news_page().encode()))
        second = list(poll_once([server.url("/feed")], state=store, fetcher=fetcher, config=FETCH))
    assert [(type(i).__name__, i.origin) for i in second] == [("RawDocument", f"{base}/late")]
    state = store.get(server.url("/feed"))
    assert state is not None and (state.seen, state.etag) == (frozenset({"late"}), '"v1"')
    assert [r.headers.get("if-none-match") for r in server.requests if r.path == "/feed"] == [None, None]
