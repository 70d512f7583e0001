"""Fetching URLs politely: robots.txt, a per-host delay, a size cap, conditional requests.

:class:`Fetcher` wraps one :class:`httpx.Client`. Every request, in order:

1. only ``http``/``https`` (else :class:`~storyline.errors.UnsupportedInput`);
2. robots.txt of the host, fetched once and cached (``config.respect_robots``); a robots.txt that cannot
   be fetched (error status, connection failure) allows everything; a disallow is
   ``FetchError(url, "disallowed by robots.txt")``;
3. the per-host delay: at least ``config.host_delay`` seconds between two requests to one host, or the
   host's robots.txt ``Crawl-delay`` when longer (capped at :data:`MAX_CRAWL_DELAY`); the clock and the
   sleep are injectable so tests observe it without waiting;
4. a streamed ``GET`` with ``User-Agent: config.user_agent``, ``If-None-Match`` / ``If-Modified-Since``
   when given, redirects followed up to ``config.max_redirects``, the body capped at
   ``config.max_bytes`` (:class:`~storyline.errors.TooLarge`);
5. a ``304`` is a :class:`FetchResult` with ``not_modified=True``; any other non-2xx status, a timeout,
   a refused connection is a :class:`~storyline.errors.FetchError` with a one-line reason.

Tests pass an ``httpx.MockTransport`` (or talk to ``tests/httpserver.py``).
"""

from __future__ import annotations

import logging
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import unquote_plus, urlsplit, urlunsplit

import httpx

from ..config import IngestConfig
from ..errors import FetchError, TooLarge, UnsupportedInput
from .decode import decode_bytes, sniff_html_charset

logger = logging.getLogger(__name__)

ROBOTS_MAX_BYTES = 512_000
MAX_CRAWL_DELAY = 60.0  # seconds: a robots.txt Crawl-delay above this is capped

_TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid", "_ga", "_gl", "cmpid"}
)


def canonical_url(url: str) -> str:
    """The form of ``url`` used as a source key.

    Lower-case scheme and host, credentials and default port dropped, fragment dropped, tracking
    parameters (``utm_*``, ``fbclid``, ``gclid``, …) dropped; the other query parameters are kept as
    written, in their order. Idempotent.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is not None and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    kept = [
        piece
        for piece in parts.query.split("&")
        if piece and not _is_tracking(unquote_plus(piece.partition("=")[0]).lower())
    ]
    path = parts.path or ("/" if host else "")
    return urlunsplit((scheme, host, path, "&".join(kept), ""))


def _is_tracking(key: str) -> bool:
    return key.startswith("utm_") or key in _TRACKING_PARAMS


def is_http_url(text: str) -> bool:
    return text[:8].lower().startswith(("http://", "https://"))


def url_key(url: str | None) -> str | None:
    """The source key a URL gives: its canonical form when it is an http(s) URL, else ``None``."""
    return canonical_url(url) if url and is_http_url(url.strip()) else None


@dataclass(frozen=True, kw_only=True, slots=True)
class FetchResult:
    """One fetched URL. ``url`` is the final URL after redirects; ``content`` is empty when not modified."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None

    @property
    def content_type(self) -> str:
        """The media type, lower case, without parameters (``"text/html"``); ``""`` when absent."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for param in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None

    @property
    def text(self) -> str:
        """The body as text: the declared charset (header, then ``<meta>``), else the decode cascade.

        Never raises: bytes that do not decode are replaced (use :func:`decode_bytes` for strictness).
        """
        if not self.content:
            return ""
        declared = self.charset or sniff_html_charset(self.content)
        try:
            return decode_bytes(self.content, origin=self.url, declared=declared).text
        except Exception:  # binary or undecodable: best effort
            return self.content.decode("utf-8", errors="replace")


class Fetcher:
    """Fetch http(s) URLs politely; see the module docstring for the rules.

    ``transport`` replaces the network (``httpx.MockTransport`` in tests); ``clock`` and ``sleep``
    replace :func:`time.monotonic` and :func:`time.sleep` for the per-host delay.
    """

    def __init__(
        self,
        config: IngestConfig,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self._clock = clock
        self._sleep = sleep
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._crawl_delay: dict[str, float] = {}
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(config.fetch_timeout),
            follow_redirects=True,
            max_redirects=config.max_redirects,
            headers={"User-Agent": config.user_agent},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- public -------------------------------------------------------------------------------------

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET ``url``; raises :class:`FetchError`, :class:`TooLarge` or :class:`UnsupportedInput`."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise UnsupportedInput(url, f"unsupported URL {url!r} (storyline fetches http and https URLs)")
        if self.config.respect_robots and not self._allowed(url):
            raise FetchError(url, "disallowed by robots.txt")
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        status, final_url, resp_headers, content = self._get(url, headers=headers, cap=self.config.max_bytes)
        if status == 304:
            return FetchResult(
                url=final_url,
                status=status,
                headers=resp_headers,
                not_modified=True,
                etag=resp_headers.get("etag", etag),
                last_modified=resp_headers.get("last-modified", last_modified),
            )
        return FetchResult(
            url=final_url,
            status=status,
            headers=resp_headers,
            content=content,
            etag=resp_headers.get("etag"),
            last_modified=resp_headers.get("last-modified"),
        )

    # -- internals ----------------------------------------------------------------------------------

    def _wait_for_host(self, host: str) -> None:
        last = self._last_request.get(host)
        if last is not None:
            delay = max(self.config.host_delay, self._crawl_delay.get(host, 0.0))
            wait = delay - (self._clock() - last)
            if wait > 0:
                logger.debug("waiting %.2f s before the next request to %s", wait, host)
                self._sleep(wait)
        self._last_request[host] = self._clock()

    def _get(
        self, url: str, *, headers: dict[str, str], cap: int, raise_status: bool = True
    ) -> tuple[int, str, dict[str, str], bytes]:
        host = (urlsplit(url).hostname or "").lower()
        self._wait_for_host(host)
        timeout = self.config.fetch_timeout
        started = time.monotonic()
        try:
            with self._client.stream("GET", url, headers=headers) as resp:
                final_url = str(resp.url)
                resp_headers = {k.lower(): v for k, v in resp.headers.items()}
                status = resp.status_code
                if raise_status and status != 304 and not 200 <= status < 300:
                    raise FetchError(url, f"HTTP {status} {resp.reason_phrase}".rstrip())
                declared = resp_headers.get("content-length", "")
                if declared.isdigit() and int(declared) > cap:
                    raise TooLarge(
                        url, f"{int(declared):,} bytes (Content-Length), over the {cap:,}-byte cap"
                    )
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > cap:
                        raise TooLarge(url, f"more than {cap:,} bytes, over the {cap:,}-byte cap")
                    if time.monotonic() - started > timeout:
                        raise FetchError(url, f"timed out after {timeout:g} s")
                    chunks.append(chunk)
                return status, final_url, resp_headers, b"".join(chunks)
        except httpx.TooManyRedirects:
            raise FetchError(url, f"too many redirects (more than {self.config.max_redirects})") from None
        except httpx.TimeoutException:
            raise FetchError(url, f"timed out after {timeout:g} s") from None
        except httpx.ConnectError as exc:
            reason = "connection refused" if "refused" in str(exc).lower() else f"cannot connect: {exc}"
            raise FetchError(url, reason) from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"{type(exc).__name__}: {exc}") from None

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        base = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        if base not in self._robots:
            self._robots[base] = self._load_robots(base)
        parser = self._robots[base]
        return parser is None or parser.can_fetch(self.config.user_agent, url)

    def _load_robots(self, base: str) -> urllib.robotparser.RobotFileParser | None:
        robots_url = f"{base}/robots.txt"
        try:
            status, _, _, content = self._get(
                robots_url, headers={}, cap=ROBOTS_MAX_BYTES, raise_status=False
            )
        except (FetchError, TooLarge) as exc:
            logger.info("%s: cannot read robots.txt (%s); allowing", base, exc.problem)
            return None
        if not 200 <= status < 300:
            logger.debug("%s: robots.txt answered HTTP %d; allowing", base, status)
            return None
        parser = urllib.robotparser.RobotFileParser(robots_url)
        parser.parse(content.decode("utf-8", errors="replace").splitlines())
        crawl_delay = parser.crawl_delay(self.config.user_agent)
        if crawl_delay:
            host = (urlsplit(base).hostname or "").lower()
            self._crawl_delay[host] = min(float(crawl_delay), MAX_CRAWL_DELAY)
        return parser
