"""``Fetcher`` and URL inputs, against a real local HTTP server (and ``httpx.MockTransport``)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.config import IngestConfig
from storyline.errors import FetchError, InputError, TooLarge, UnsupportedInput
from storyline.ingest import iter_documents
from storyline.ingest.fetch import Fetcher, canonical_url
from storyline.model import RawDocument

try:
    from httpserver import LocalServer, Route, news_page
except ImportError:  # tests/ is a package
    from tests.httpserver import LocalServer, Route, news_page

HTML = {"Content-Type": "text/html; charset=utf-8"}
FAST = IngestConfig(
    fetch_timeout=0.5, host_delay=0.0, max_redirects=2, max_bytes=10_000, user_agent="storyline-test/1"
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as srv:
        yield srv


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FAST) as f:
        yield f


def test_fetch_page_sends_user_agent_and_reads_robots(server: LocalServer, fetcher: Fetcher) -> None:
    server.set(
        "/a", (200, {**HTML, "ETag": '"v1"', "Last-Modified": "Fri, 14 Mar 2025 09:00:00 GMT"}, b"<p>hi</p>")
    )
    result = fetcher.fetch(server.url("/a"))
    assert (result.status, result.content, result.text, result.not_modified) == (
        200,
        b"<p>hi</p>",
        "<p>hi</p>",
        False,
    )
    assert (result.etag, result.last_modified) == ('"v1"', "Fri, 14 Mar 2025 09:00:00 GMT")
    assert result.content_type == "text/html"
    assert server.paths() == ["/robots.txt", "/a"]  # robots.txt 404 → allowed
    assert {r.headers["user-agent"] for r in server.requests} == {"storyline-test/1"}
    fetcher.fetch(server.url("/a"))
    assert server.paths() == ["/robots.txt", "/a", "/a"]  # robots.txt cached per host


def test_conditional_request_round_trip(server: LocalServer, fetcher: Fetcher) -> None:
    server.set("/feed", (200, {"ETag": '"abc"', "Content-Type": "application/rss+xml"}, b"<rss/>"))
    first = fetcher.fetch(server.url("/feed"))
    again = fetcher.fetch(server.url("/feed"), etag=first.etag)
    assert server.requests[-1].headers["if-none-match"] == '"abc"'
    assert (again.status, again.not_modified, again.content, again.etag) == (304, True, b"", '"abc"')


def test_http_error_status(server: LocalServer, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError) as info:
        fetcher.fetch(server.url("/missing"))
    assert str(info.value) == f"[E107] {server.url('/missing')}: HTTP 404 Not Found"


def test_redirects_followed_up_to_the_limit(server: LocalServer, fetcher: Fetcher) -> None:
    for i in range(1, 5):
        server.set(f"/r{i}", (302, {"Location": f"/r{i + 1}"}, b""))
    server.set("/r5", (200, HTML, b"<p>end</p>"))
    result = fetcher.fetch(server.url("/r3"))  # two redirects: allowed
    assert result.url == server.url("/r5")
    with pytest.raises(FetchError) as info:
        fetcher.fetch(server.url("/r1"))  # four redirects: over max_redirects=2
    assert info.value.problem == "too many redirects (more than 2)"


def test_slow_endpoint_times_out(server: LocalServer) -> None:
    server.set("/slow", Route(headers=HTML, body=b"<p>late</p>", delay=1.0))
    with Fetcher(IngestConfig(fetch_timeout=0.2, host_delay=0.0)) as f, pytest.raises(FetchError) as info:
        f.fetch(server.url("/slow"))
    assert info.value.problem == "timed out after 0.2 s"


def test_connection_refused() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    with Fetcher(FAST) as f, pytest.raises(FetchError) as info:
        f.fetch(f"http://127.0.0.1:{port}/x")
    assert info.value.problem == "connection refused"


def test_robots_disallow(server: LocalServer, fetcher: Fetcher) -> None:
    server.set("/robots.txt", (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"))
    server.set("/private/a", (200, HTML, b"<p>secret</p>"))
    server.set("/public", (200, HTML, b"<p>open</p>"))
    with pytest.raises(FetchError) as info:
        fetcher.fetch(server.url("/private/a"))
    assert info.value.problem == "disallowed by robots.txt"
    assert fetcher.fetch(server.url("/public")).content == b"<p>open</p>"
    assert server.paths() == ["/robots.txt", "/public"]
    with Fetcher(IngestConfig(respect_robots=False, host_delay=0.0)) as rude:
        assert rude.fetch(server.url("/private/a")).content == b"<p>secret</p>"


def test_robots_failure_allows(server: LocalServer, fetcher: Fetcher) -> None:
    server.set("/robots.txt", (500, {}, b"oops"))
    server.set("/a", (200, HTML, b"<p>ok</p>"))
    assert fetcher.fetch(server.url("/a")).content == b"<p>ok</p>"


@pytest.mark.parametrize("send_length", [True, False])
def test_oversize_body(server: LocalServer, fetcher: Fetcher, send_length: bool) -> None:
    server.set("/big", Route(headers=HTML, body=b"x" * 20_000, send_length=send_length))
    with pytest.raises(TooLarge) as info:
        fetcher.fetch(server.url("/big"))
    if send_length:
        assert info.value.problem == "20,000 bytes (Content-Length), over the 10,000-byte cap"
    else:
        assert info.value.problem == "more than 10,000 bytes, over the 10,000-byte cap"


def test_per_host_rate_limit_with_injected_clock() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, headers=HTML, content=b"<p>x</p>")

    clock = FakeClock()
    config = IngestConfig(host_delay=2.0, respect_robots=False)
    with Fetcher(config, transport=httpx.MockTransport(handler), clock=clock, sleep=clock.sleep) as f:
        f.fetch("https://a.example/1")
        f.fetch("https://b.example/1")  # another host: no wait
        clock.now += 0.5
        f.fetch("https://a.example/2")  # 0.5 s after the last request to a.example: waits 1.5 s
        clock.now += 5
        f.fetch("https://a.example/3")  # long enough ago: no wait
    assert clock.sleeps == [1.5]
    assert len(seen) == 4


def test_rate_limit_counts_robots_fetch(server: LocalServer) -> None:
    server.set("/a", (200, HTML, b"<p>x</p>"))
    clock = FakeClock()
    with Fetcher(IngestConfig(host_delay=1.0), clock=clock, sleep=clock.sleep) as f:
        f.fetch(server.url("/a"))
    assert clock.sleeps == [1.0]  # robots.txt, then the page one delay later


def test_unsupported_scheme_in_fetcher(fetcher: Fetcher) -> None:
    with pytest.raises(UnsupportedInput) as info:
        fetcher.fetch("ftp://example.com/a")
    assert (
        info.value.problem == "unsupported URL 'ftp://example.com/a' (storyline fetches http and https URLs)"
    )


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "HTTPS://News.Example.COM:443/a?utm_source=x&id=2&fbclid=zz#frag",
            "https://news.example.com/a?id=2",
        ),
        ("http://example.com", "http://example.com/"),
        ("http://example.com:8080/x?b=2&a=1", "http://example.com:8080/x?b=2&a=1"),
        ("https://user:secret@example.com/p", "https://example.com/p"),
        ("http://[::1]:8080/x#y", "http://[::1]:8080/x"),
        ("http://x.com/p?q=%20s+t&UTM_Source=1&&b", "http://x.com/p?q=%20s+t&b"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


@given(
    st.sampled_from(["http", "HTTPS"]),
    st.from_regex(r"[A-Za-z0-9]{1,10}\.(com|org)", fullmatch=True),
    st.from_regex(r"(/[a-z0-9%._-]{0,8}){0,3}", fullmatch=True),
    st.lists(
        st.from_regex(r"(utm_[a-z]{1,5}|fbclid|[a-z]{1,5})=[a-z0-9%+]{0,5}", fullmatch=True), max_size=4
    ),
    st.text(alphabet="abc#", max_size=4),
)
def test_canonical_url_is_idempotent_and_drops_tracking(
    scheme: str, host: str, path: str, params: list[str], fragment: str
) -> None:
    url = (
        f"{scheme}://{host}{path}"
        + ("?" + "&".join(params) if params else "")
        + ("#" + fragment if fragment else "")
    )
    once = canonical_url(url)
    assert canonical_url(once) == once
    assert "utm_" not in once and "fbclid" not in once and "#" not in once


# -- URL inputs through the dispatcher ---------------------------------------------------------------


def run(*inputs: str, fetcher: Fetcher) -> list[RawDocument | InputError]:
    return list(iter_documents(inputs, config=fetcher.config, fetcher=fetcher))


def test_url_input_html_page(server: LocalServer, fetcher: Fetcher) -> None:
    page = news_page()
    server.set("/story?utm_campaign=x", (200, HTML, page.encode()))
    docs = run(server.url("/story?utm_campaign=x"), fetcher=fetcher)
    assert len(docs) == 1
    doc = docs[0]
    assert isinstance(doc, RawDocument)
    assert (doc.kind, doc.origin, doc.html, doc.text) == (
        "url",
        server.url("/story?utm_campaign=x"),
        page,
        "",
    )
    assert doc.source_key == server.url("/story")
    assert doc.meta.get("url") == server.url("/story")


def test_url_input_errors_do_not_stop_the_batch(server: LocalServer, fetcher: Fetcher) -> None:
    server.set("/ok", (200, {"Content-Type": "text/plain"}, b"Plain article text."))
    server.set("/pic", (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n"))
    items = run(server.url("/missing"), server.url("/pic"), server.url("/ok"), fetcher=fetcher)
    assert [type(i).__name__ for i in items] == ["FetchError", "UnsupportedInput", "RawDocument"]
    assert isinstance(items[1], UnsupportedInput)
    assert items[1].problem == "unsupported content type 'image/png' (expected HTML or a feed)"
    assert isinstance(items[2], RawDocument) and items[2].text == "Plain article text."


def test_robots_crawl_delay_lengthens_the_host_delay(server: LocalServer) -> None:
    server.set("/robots.txt", (200, {}, b"User-agent: storyline\nCrawl-delay: 3\nDisallow:\n"))
    server.set("/a", (200, HTML, b"<p>x</p>"))
    clock = FakeClock()
    with Fetcher(IngestConfig(host_delay=1.0), clock=clock, sleep=clock.sleep) as f:
        f.fetch(server.url("/a"))
        f.fetch(server.url("/a"))
    assert clock.sleeps == [3.0, 3.0]  # robots.txt → page, page → page: both 3 s apart
