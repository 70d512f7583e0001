"""End to end in a real headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright).

uvicorn serves the app on a free loopback port in a background thread, over the five samples plus a
hostile article (see ``test_web_pages.xss_document``). The tests load each page, click from a
timeline entry to its evidence span, zoom the timeline, toggle the removed furniture, prove that the
hostile article's payloads never run, and save screenshots (laptop 1366×768, phone 390×844) under
``build/screenshots/``. Skipped, with the reason, when Playwright or Chromium is missing.
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

try:
    from test_web_pages import build_corpus
except ImportError:  # run as a package
    from tests.test_web_pages import build_corpus

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
LAPTOP = {"width": 1366, "height": 768}
TIMEOUT_MS = 60_000  # generous: a loaded CI machine is slow, and a wait that ends early costs nothing
PHONE = {"width": 390, "height": 844}

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright (Python) is not installed")
uvicorn = pytest.importorskip("uvicorn", reason="uvicorn is not installed")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and shutil.which("chromium") is None,
    reason=f"no Chromium at {CHROMIUM} (Debian package 'chromium')",
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def site() -> Iterator[dict[str, Any]]:
    from storyline.web.app import create_app

    corpus, xss_id = build_corpus()
    port = _free_port()
    config = uvicorn.Config(
        create_app(corpus), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield {"base": f"http://127.0.0.1:{port}", "corpus": corpus, "xss_id": xss_id}
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        corpus.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


class Watch:
    """Dialogs, page errors and console messages of one page."""

    def __init__(self, page: Any) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.console: list[tuple[str, str]] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("console", lambda msg: self.console.append((msg.type, msg.text)))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def console_errors(self) -> list[str]:
        return [text for kind, text in self.console if kind == "error"]


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(viewport=LAPTOP)
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    watch = Watch(pg)
    try:
        yield pg, watch
    finally:
        context.close()


def _shot(pg: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


PAGES = [
    ("/", "stories", "h1", "Stories"),
    ("/timeline", "timeline", "h1", "Timeline"),
    ("/positions", "positions", "table.matrix caption", "Actor × issue"),
    ("/quotes", "quotes", "h1", "Quotes by speaker"),
    ("/figures", "figures", "h1", "Figures"),
    ("/outlets", "outlets", "table.compare caption", "Opinion and bias"),
    ("/articles", "articles", "table.list caption", "6 articles"),
    ("/articles/ef64b86a29c02dba", "reader", "h1", "Putin heads into Trump call"),
]


def test_pages_load_with_key_elements_on_laptop_and_phone(site: dict[str, Any], browser: Any) -> None:
    for name, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport, is_mobile=name == "phone", has_touch=name == "phone")
        context.set_default_timeout(TIMEOUT_MS)
        pg = context.new_page()
        watch = Watch(pg)
        try:
            for path, shot, selector, text in PAGES:
                response = pg.goto(site["base"] + path)
                assert response is not None and response.status == 200, path
                assert text in pg.locator(selector).first.inner_text(), (path, selector)
                assert pg.locator("main#main").count() == 1
                if path == "/timeline":
                    pg.wait_for_selector("#timeline-chart[data-ready=true]")
                # nothing wider than the screen but the deliberately scrolling tables
                overflow = pg.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, (name, path, overflow)
                _shot(pg, f"{shot}-{name}")
            assert watch.errors == [] and watch.console_errors() == [] and watch.dialogs == []
        finally:
            context.close()


def test_timeline_entry_leads_to_its_evidence_span(site: dict[str, Any], page: tuple[Any, Watch]) -> None:
    pg, watch = page
    corpus = site["corpus"]
    pg.goto(site["base"] + "/timeline")
    pg.wait_for_selector("#timeline-chart[data-ready=true]")
    entries = corpus.timeline()
    cards = pg.locator("#timeline-chart a.tl-card")
    assert cards.count() == len(entries)
    first = entries[0]
    card = pg.locator(f'#timeline-chart a.tl-card[data-entry="{first["id"]}"]')
    assert card.locator(".tl-card-date").inner_text() == f"{first['date']} · {first['precision']}"
    card.click()
    c = first["citations"][0]
    pg.wait_for_url(re.compile(rf"/articles/{c['article']}#span-{c['start']}-{c['end']}$"))
    target = pg.locator(f"#span-{c['start']}-{c['end']}")
    text = corpus.get(c["article"]).text[c["start"] : c["end"]]
    assert target.inner_text() == text
    assert "is-target" in (target.get_attribute("class") or "")
    assert pg.evaluate("document.querySelector(':target').id") == f"span-{c['start']}-{c['end']}"
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < LAPTOP["height"], box  # scrolled into view
    assert pg.locator("#tip").is_hidden()  # focused for screen readers, not covered by a tooltip
    _shot(pg, "evidence-laptop")
    assert watch.errors == [] and watch.console_errors() == []


def test_timeline_zooms_and_pans(site: dict[str, Any], page: tuple[Any, Watch]) -> None:
    pg, watch = page
    pg.goto(site["base"] + "/timeline")
    chart = pg.locator("#timeline-chart")
    pg.wait_for_selector("#timeline-chart[data-ready=true]")

    def span() -> float:
        return float(chart.get_attribute("data-span-ms") or "0")

    full = span()
    assert full > 0
    pg.get_by_role("button", name="Zoom in").click()
    assert span() == full / 2
    start = chart.get_attribute("data-start")
    pg.get_by_role("button", name="Later").click()
    assert chart.get_attribute("data-start") != start
    assert span() == full / 2
    pg.get_by_role("button", name="Zoom out").click()
    pg.get_by_role("button", name="Zoom out").click()
    assert span() == full * 2
    pg.get_by_role("button", name="Fit all").click()
    assert span() == full
    chart.focus()
    pg.keyboard.press("+")
    assert span() == full / 2
    pg.keyboard.press("0")
    assert span() == full
    box = chart.bounding_box()
    assert box is not None
    pg.mouse.move(box["x"] + box["width"] / 2, box["y"] + 10)
    pg.mouse.wheel(0, -300)
    pg.wait_for_function(f"Number(document.getElementById('timeline-chart').dataset.spanMs) < {full}")
    assert span() == full * 0.8
    # a drag to the right moves the view to earlier dates (the chart's height follows the lanes the
    # zoomed view needs: measure it again, so the drag starts on the axis, not below the chart)
    before = chart.get_attribute("data-start")
    box = chart.bounding_box()
    assert box is not None
    size = pg.viewport_size or {"width": 1280, "height": 720}
    if box["height"] + 40 > size["height"]:  # a chart taller than the window: the axis must be in view
        pg.set_viewport_size({"width": size["width"], "height": int(box["height"]) + 120})
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None
    pg.mouse.move(box["x"] + 200, box["y"] + box["height"] - 10)
    pg.mouse.down()
    pg.mouse.move(box["x"] + 400, box["y"] + box["height"] - 10, steps=4)
    pg.mouse.up()
    assert (chart.get_attribute("data-start") or "") < (before or "")
    assert "–" in pg.locator("#timeline-range").inner_text()
    assert watch.errors == [] and watch.console_errors() == []


def test_furniture_toggle_shows_removed_text(site: dict[str, Any], page: tuple[Any, Watch]) -> None:
    pg, _ = page
    pg.goto(site["base"] + "/articles/ef64b86a29c02dba")
    removed = pg.locator(".raw-text .hl-furniture").first
    assert not removed.is_visible()
    pg.locator("#furniture summary").click()
    assert removed.is_visible()
    assert pg.locator(".raw-text .hl-furniture").count() == len(
        site["corpus"].get("ef64b86a29c02dba").removed
    )
    # a highlight kind can be switched off without script
    actor = pg.locator(".article-text .hl-actor").first
    before = actor.evaluate("el => getComputedStyle(el).backgroundColor")
    pg.locator("#show-actor").uncheck()
    assert actor.evaluate("el => getComputedStyle(el).backgroundColor") == "rgba(0, 0, 0, 0)" != before
    # focus shows the interpretation
    actor.focus()
    assert pg.locator("#tip").inner_text() == actor.get_attribute("title")
    _shot(pg, "furniture-laptop")


def test_hostile_article_runs_nothing(site: dict[str, Any], page: tuple[Any, Watch]) -> None:
    pg, watch = page
    xss_id = site["xss_id"]
    for path in (
        "/",
        "/articles",
        "/timeline?approximate=1",
        "/quotes",
        "/figures",
        "/outlets",
        "/positions",
    ):
        pg.goto(site["base"] + path)
        pg.wait_for_load_state("load")
        if path.startswith("/timeline"):  # the chart draws the hostile entries from /timeline.json
            pg.wait_for_selector("#timeline-chart[data-ready=true]")
            assert pg.locator(".tl-card-what", has_text="<script>window.__xss").count() >= 1
    pg.goto(f"{site['base']}/articles/{xss_id}")
    pg.wait_for_load_state("load")
    title = pg.locator("h1.article-title").inner_text()
    assert title == "<script>window.__xss=1;alert(1)</script>Talks <img src=x onerror=alert(1)>"
    assert (
        pg.locator(".article-text")
        .inner_text()
        .startswith("<script>window.__xss=1;alert(1)</script> Kremlin")
    )
    assert pg.locator("main img, main script, main iframe").count() == 0
    # hover and focus every highlight, follow the page's links that stay on the article
    for el in pg.locator(".article-text .hl[tabindex]").all()[:20]:
        el.hover()
        el.focus()
    assert pg.evaluate("typeof window.__xss") == "undefined"
    assert pg.evaluate("document.title") == (
        "<script>window.__xss=1;alert(1)</script>Talks <img src=x onerror=alert(1)> · storyline"
    )
    # the only scripts on the page are ours
    srcs = pg.evaluate("Array.from(document.scripts).map(s => s.getAttribute('src'))")
    assert srcs == ["/static/reader.js", "/static/corrections.js"]
    assert watch.dialogs == []
    assert watch.errors == []
    csp = [t for t in watch.console_errors() if "Content Security Policy" in t]
    assert watch.console_errors() == csp  # any error at all is a blocked payload, nothing else
    _shot(pg, "hostile-laptop")


def test_csp_blocks_an_injected_inline_script(site: dict[str, Any], page: tuple[Any, Watch]) -> None:
    """The policy itself: even a script element put into the page is refused, and the refusal reported."""
    pg, watch = page
    pg.goto(site["base"] + "/")
    pg.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__xss = 1'; "
        "document.body.appendChild(s); }"
    )
    assert pg.evaluate("typeof window.__xss") == "undefined"
    assert any("Content Security Policy" in t for t in watch.console_errors()), watch.console


def test_correction_form_stores_and_marks_a_speaker(site: dict[str, Any], page: tuple[Any, Watch]) -> None:
    pg, watch = page
    corpus = site["corpus"]
    article = corpus.get("ef64b86a29c02dba")
    statement = next(
        s for s in corpus.annotations(article)["statements"] if s["speaker_name"] == "Sergei Markov"
    )
    start, end = statement["content"]["start"], statement["content"]["end"]
    pg.goto(site["base"] + "/articles/ef64b86a29c02dba")
    pg.locator("#corrections summary").click()
    # a bad date is refused with the server's reason, and nothing is stored
    date_form = pg.locator('form[data-kind="date"]')
    pg.fill("#correction-author", "Test editor")
    date_form.locator("input[name=date]").fill("May")
    date_form.get_by_role("button", name="Correct the date").click()
    status = pg.locator("#correction-status")
    status.filter(has_text="Not saved (400)").wait_for()
    assert "publication date 'May' is not an ISO date or datetime" in status.inner_text()
    assert corpus.corrections() == []
    form = pg.locator('form[data-kind="speaker"]')
    form.locator("select[name=span]").select_option(f"{start}-{end}")
    form.locator("input[name=actor]").fill("Dmitry Peskov")
    made: list[dict[str, Any]] = []
    try:
        with pg.expect_navigation():
            form.get_by_role("button", name="Correct the speaker").click()
        made = corpus.corrections()
        assert [(c["kind"], c["author"], c["value"]["actor"]) for c in made] == [
            ("speaker", "Test editor", "dmitry-peskov")
        ]
        marked = pg.locator(f"#span-{start}-{end}")
        assert "hl-corrected" in (marked.get_attribute("class") or "")
        assert "corrected by Test editor" in (marked.get_attribute("title") or "")
        _shot(pg, "corrected-laptop")
    finally:
        for c in made:
            corpus.uncorrect(c["id"])
    assert watch.errors == [] and watch.dialogs == []
    # the refused correction logged its 400 in the console; nothing else did
    assert all("400" in t for t in watch.console_errors()), watch.console_errors()
