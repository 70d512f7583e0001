"""The REST API: every endpoint, the filters, pagination, the one error shape, ingest on/off/token,
OpenAPI, and untrusted text returned as data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import storyline
from storyline.corpus import Corpus
from storyline.errors import StoreError
from storyline.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "s3cret-token-for-tests"

PATHS = [
    "/api/articles",
    "/api/articles/{article_id}",
    "/api/actors",
    "/api/statements",
    "/api/positions",
    "/api/positions/{actor_ref}/{issue}",
    "/api/timeline",
    "/api/figures",
    "/api/stories",
    "/api/stories/{story_id}",
    "/api/outlets",
    "/api/search",
    "/api/ingest",
]


# -- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    """The bundled samples, ingested and analysed once for the module."""
    db = tmp_path_factory.mktemp("api") / "examples.db"
    corpus = storyline.open(db)
    corpus.add([ROOT / "examples"])
    corpus.analyze()
    yield corpus
    corpus.close()


@pytest.fixture(scope="module")
def client(examples: Corpus) -> TestClient:
    return TestClient(create_app(examples))


TINY = [
    {"text": "First report from the river town.", "title": "One", "outlet": "Outlet One",
     "url": "https://one.example/a", "published": "2025-05-01"},
    {"text": "Second report, about the bridge.", "title": "Two", "outlet": "Outlet Two",
     "url": "https://two.example/b", "published": "2025-05-03"},
    {"text": "Third report with no date at all.", "title": "Three", "outlet": "outlet one",
     "url": "https://one.example/c"},
    {"text": "Fourth report, the river again.", "title": "Four", "outlet": "Outlet Two",
     "url": "https://two.example/d", "published": "2025-05-02T10:00:00+00:00"},
]  # fmt: skip


@pytest.fixture
def tiny(tmp_path: Path) -> Iterator[Corpus]:
    """Four unanalysed articles from a JSONL file, in an in-memory corpus."""
    path = tmp_path / "tiny.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in TINY), encoding="utf-8")
    corpus = storyline.open(":memory:")
    report = corpus.add([path])
    assert report.added == 4
    yield corpus
    corpus.close()


def _titles(body: dict[str, Any]) -> list[str]:
    return [item["title"] for item in body["items"]]


# -- OpenAPI --------------------------------------------------------------------------------------


def test_openapi_documents_every_path(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    api_paths = sorted(p for p in spec["paths"] if p.startswith("/api/") and "correction" not in p)
    assert api_paths == sorted(PATHS)
    for path in PATHS:
        for method, op in spec["paths"][path].items():
            assert op["tags"], (path, method)
            assert op["summary"], (path, method)
            assert op["responses"]["404"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorResponse"
            }
    listing = spec["paths"]["/api/articles"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {
        "story", "actor", "outlet", "since", "until", "limit", "offset"
    }  # fmt: skip
    ok = listing["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = spec["components"]["schemas"][ok.rsplit("/", 1)[1]]
    assert set(page["required"]) == {"total", "limit", "offset", "items"}
    assert set(spec["paths"]["/api/ingest"]["post"]["responses"]) >= {"200", "401", "403"}
    body = spec["paths"]["/api/ingest"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["documents"]
    assert body["properties"]["documents"]["items"]["properties"]["text"]


# -- the error shape -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "status", "code", "message"),
    [
        ("get", "/api/nowhere", 404, "E302", "no such path: /api/nowhere"),
        ("get", "/api/articles/zzzzzzzz", 404, "E302", "no article with id 'zzzzzzzz'"),
        ("get", "/api/timeline?story=story-nope", 404, "E302", "no story with id 'story-nope'"),
        ("get", "/api/stories/story-nope", 404, "E302", "no story with id 'story-nope'"),
        ("get", "/api/statements?actor=Nobody%20Atall", 404, "E302", "no actor matching 'Nobody Atall'"),
        ("get", "/api/positions/putin/no-such-issue", 404, "E302",
         "no positions of 'putin' on issue 'no-such-issue'"),
        ("get", "/api/articles?limit=0", 422, "E401",
         "query.limit: Input should be greater than or equal to 1"),
        ("get", "/api/articles?limit=501", 422, "E401",
         "query.limit: Input should be less than or equal to 500"),
        ("get", "/api/figures?status=maybe", 422, "E401",
         "query.status: Input should be 'agree', 'conflict' or 'single'"),
        ("get", "/api/search", 422, "E401", "query.q: Field required"),
        ("get", "/api/articles?since=2025-06-01&until=2025-05-01", 400, "E401",
         "since (2025-06-01) is after until (2025-05-01)"),
        ("get", "/api/search?q=%20", 400, "E401", "search needs words in q (got an empty query)"),
        ("get", "/api/search?q=%22unclosed", 400, "E401",
         "search query '\"unclosed': a double quote (\") is not closed"),
        ("delete", "/api/articles", 405, "E401", "DELETE is not allowed on /api/articles"),
        ("post", "/api/ingest", 403, "E401",
         "ingest over the API is off; start the server with `storyline serve --ingest-token TOKEN` "
         "(or set STORYLINE_INGEST_TOKEN) to enable it"),
    ],
)  # fmt: skip
def test_error_shape(client: TestClient, method: str, url: str, status: int, code: str, message: str) -> None:
    response = client.request(method, url)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"ok", "status", "error"}
    assert body["ok"] is False and body["status"] == status
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert body["error"]["message"] == message


def test_bad_date_is_a_validation_error(client: TestClient) -> None:
    body = client.get("/api/articles?since=May").json()
    assert body["status"] == 422 and body["error"]["code"] == "E401"
    assert body["error"]["message"].startswith("query.since: Input should be a valid date")


def test_ambiguous_actor_is_a_usage_error(client: TestClient) -> None:
    body = client.get("/api/actors?actor=a").json()
    assert body["status"] == 400 and body["error"]["code"] == "E401"
    assert body["error"]["message"].startswith("actor 'a' is ambiguous: ")
    assert body["error"]["message"].endswith("; give an id")


@pytest.mark.parametrize(
    ("error", "code", "message"),
    [
        (RuntimeError("boom"), "E000", "internal error while answering GET /api/figures: RuntimeError"),
        (StoreError("read from 'x' failed: disk I/O error"), "E301", "read from 'x' failed: disk I/O error"),
    ],
)
def test_server_errors_have_the_shape(
    tiny: Corpus, monkeypatch: pytest.MonkeyPatch, error: Exception, code: str, message: str
) -> None:
    def broken(**_: Any) -> Any:
        raise error

    monkeypatch.setattr(tiny, "figures", broken)
    client = TestClient(create_app(tiny), raise_server_exceptions=False)
    response = client.get("/api/figures")
    assert response.status_code == 500
    assert response.json() == {"ok": False, "status": 500, "error": {"code": code, "message": message}}


def test_errors_outside_the_api_keep_their_own_shape(client: TestClient) -> None:
    response = client.get("/static/nothing-here.css")
    assert response.status_code == 404
    assert "ok" not in response.text


# -- articles: list, filters, pagination, detail ----------------------------------------------------


def test_article_list_order_filters_and_pages(tiny: Corpus) -> None:
    client = TestClient(create_app(tiny))
    body = client.get("/api/articles").json()
    assert (body["ok"], body["total"], body["limit"], body["offset"]) == (True, 4, 50, 0)
    assert _titles(body) == ["One", "Four", "Two", "Three"]  # by date, undated last
    first = body["items"][0]
    assert first["outlet"] == "Outlet One" and first["url"] == "https://one.example/a"
    assert first["published"] == "2025-05-01" and first["published_provenance"] == "given"
    assert first["words"] == 6 and first["revision"] == 1
    assert _titles(client.get("/api/articles?limit=2&offset=1").json()) == ["Four", "Two"]
    page = client.get("/api/articles?limit=2&offset=3").json()
    assert (page["total"], _titles(page)) == (4, ["Three"])
    assert client.get("/api/articles?offset=9").json()["items"] == []
    by_outlet = client.get("/api/articles?outlet=OUTLET%20ONE").json()  # case-insensitive
    assert (by_outlet["total"], _titles(by_outlet)) == (2, ["One", "Three"])
    dated = client.get("/api/articles?since=2025-05-02&until=2025-05-03").json()
    assert (dated["total"], _titles(dated)) == (2, ["Four", "Two"])
    both = client.get("/api/articles?outlet=Outlet%20Two&until=2025-05-02").json()
    assert _titles(both) == ["Four"]


def test_article_detail(tiny: Corpus) -> None:
    client = TestClient(create_app(tiny))
    listed = client.get("/api/articles?limit=1").json()["items"][0]
    body = client.get(f"/api/articles/{listed['id'][:8]}").json()  # a unique prefix works
    assert body["id"] == listed["id"]
    assert body["text"] == "First report from the river town."
    assert body["meta"]["outlet"]["value"] == "Outlet One"
    assert body["meta"]["outlet"]["provenance"] == "given"
    assert body["removed"] == []
    assert body["annotations"] == {}  # not analysed
    assert client.get(f"/api/articles/{listed['id']}?annotations=false").json()["annotations"] == {}


def test_search_pages(tiny: Corpus) -> None:
    client = TestClient(create_app(tiny))
    body = client.get("/api/search?q=river").json()
    assert body["total"] == 2
    assert sorted(h["title"] for h in body["items"]) == ["Four", "One"]
    hit = next(h for h in body["items"] if h["title"] == "One")
    assert hit["outlet"] == "Outlet One" and hit["published"] == "2025-05-01"
    assert "«river»" in hit["snippet"]
    page = client.get("/api/search?q=report&limit=3&offset=2").json()
    assert (page["total"], len(page["items"]), page["limit"], page["offset"]) == (4, 2, 3, 2)
    assert client.get("/api/search?q=zeppelin").json()["total"] == 0


# -- the views on the samples ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "view"),
    [
        ("/api/actors", lambda c: c.actors()),
        ("/api/statements", lambda c: c.quotes()),
        ("/api/timeline", lambda c: c.timeline()),
        ("/api/figures", lambda c: c.figures()),
        ("/api/stories", lambda c: c.stories()),
        ("/api/outlets", lambda c: c.outlets()),
    ],
)
def test_list_endpoints_page_through_the_views(
    client: TestClient, examples: Corpus, url: str, view: Any
) -> None:
    expected = json.loads(json.dumps(view(examples), default=str))
    assert client.get(url).json()["total"] == len(expected) > 0
    pages = [client.get(f"{url}?limit=4&offset={o}").json() for o in range(0, len(expected), 4)]
    items = [item for p in pages for item in p["items"]]
    assert items == expected


def test_story_filter(client: TestClient, examples: Corpus) -> None:
    story = next(s for s in examples.stories() if s["articles"] == 2)
    members = {m["id"] for m in story["members"]}
    arts = client.get(f"/api/articles?story={story['id']}").json()
    assert {a["id"] for a in arts["items"]} == members and arts["total"] == 2
    assert client.get(f"/api/stories/{story['id']}").json()["members"] == story["members"]
    for url in ("/api/statements", "/api/figures"):
        items = client.get(f"{url}?story={story['id']}&limit=500").json()["items"]
        articles = {r["article"] for r in items} if url == "/api/statements" else {
            r["article"] for g in items for r in g["reports"]
        }  # fmt: skip
        assert items and articles <= members
    outlets = client.get(f"/api/outlets?story={story['id']}").json()["items"]
    assert sorted(o["outlet"] for o in outlets) == story["outlets"]
    assert sum(o["articles"] for o in outlets) == 2
    timeline = client.get(f"/api/timeline?story={story['id']}&limit=500").json()["items"]
    assert timeline and all(c["article"] in members for e in timeline for c in e["citations"])
    filtered = client.get(f"/api/stories?story={story['id']}").json()
    assert filtered["total"] == 1 and filtered["items"][0]["id"] == story["id"]


def test_actor_filters(client: TestClient, examples: Corpus) -> None:
    statements = client.get("/api/statements?actor=Vladimir%20Putin&limit=500").json()
    assert statements["total"] == len(statements["items"]) > 0
    assert {s["speaker_actor"] for s in statements["items"]} == {"vladimir-putin"}
    by_id = client.get("/api/statements?actor=vladimir-putin&limit=500").json()
    assert by_id == statements
    timeline = client.get("/api/timeline?actor=putin&limit=500").json()["items"]
    assert timeline and all("Vladimir Putin" in e["participants"] for e in timeline)
    mentioning = set(next(a for a in examples.actors() if a["id"] == "vladimir-putin")["articles"])
    arts = client.get("/api/articles?actor=vladimir-putin").json()
    assert {a["id"] for a in arts["items"]} == mentioning
    cells = client.get("/api/positions?actor=putin&limit=500").json()["items"]
    assert cells and {c["actor"] for c in cells} == {"vladimir-putin"}
    cell = cells[0]
    history = client.get(f"/api/positions/putin/{cell['issue']}").json()
    assert history["actor"] == "vladimir-putin" and history["actor_name"] == "Vladimir Putin"
    assert len(history["entries"]) == cell["entries"]
    assert history["entries"][-1] == cell["latest"]
    dates = [e["date"] or "9999" for e in history["entries"]]
    assert dates == sorted(dates)


def test_outlet_and_date_filters(client: TestClient, examples: Corpus) -> None:
    outlet = examples.outlets()[0]["outlet"]
    figures = client.get(f"/api/figures?outlet={outlet}&limit=500").json()["items"]
    assert figures and {r["outlet"] for g in figures for r in g["reports"]} == {outlet}
    statements = client.get(f"/api/statements?outlet={outlet.upper()}&limit=500").json()["items"]
    assert statements and {s["outlet"] for s in statements} == {outlet}
    may = client.get("/api/statements?since=2025-05-01&until=2025-05-31&limit=500").json()["items"]
    assert may and all("2025-05-01" <= s["date"][:10] <= "2025-05-31" for s in may)
    events = client.get("/api/timeline?since=2025-06-01&until=2025-12-31&limit=500").json()["items"]
    from storyline.analyze.events_dates import value_start

    starts = [value_start(e["date"]) for e in events]  # "2025-W49" begins on 2025-12-01
    assert events and all(s is not None and "2025-06-01" <= s.isoformat() <= "2025-12-31" for s in starts)
    actors = client.get("/api/actors?since=2025-12-01&limit=500").json()["items"]
    december = {a.id for a in examples.articles(since="2025-12-01")}
    assert actors and all(set(a["articles"]) <= december for a in actors)


def test_article_detail_with_annotations(client: TestClient, examples: Corpus) -> None:
    article = next(examples.articles())
    body = client.get(f"/api/articles/{article.id}").json()
    assert body["text"] == article.text
    mentions = body["annotations"]["mentions"]
    assert mentions and all(article.text[m["start"] : m["end"]] == m["text"] for m in mentions)
    assert set(body["annotations"]) >= {"statements", "timexes", "events", "figures", "positions"}


def test_search_on_the_samples(client: TestClient, examples: Corpus) -> None:
    body = client.get("/api/search?q=Kremlin&limit=2").json()
    assert body["total"] == examples.search("Kremlin").total > 2
    assert len(body["items"]) == 2
    assert all("«Kremlin»" in h["snippet"] for h in body["items"])


def test_concurrent_first_requests_agree(examples: Corpus) -> None:
    """Cold views requested from many threads at once: each built once, same answers as in turn."""
    examples.refresh()
    client = TestClient(create_app(examples))
    urls = ["/api/actors", "/api/timeline", "/api/stories", "/api/figures", "/api/articles?actor=putin"] * 3
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda u: client.get(u).json(), urls))
    for url, answer in zip(urls, answers, strict=True):
        assert answer == client.get(url).json()
        assert answer["ok"] is True


# -- ingest ----------------------------------------------------------------------------------------


def test_ingest_tokens(tiny: Corpus) -> None:
    client = TestClient(create_app(tiny, ingest_token=TOKEN))
    docs = {"documents": [{"text": "x"}], "analyze": False}
    missing = client.post("/api/ingest", json=docs)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert missing.json()["error"] == {
        "code": "E401",
        "message": "POST /api/ingest needs the header 'Authorization: Bearer <token>'",
    }
    wrong = client.post("/api/ingest", json=docs, headers={"Authorization": f"Bearer {TOKEN}x"})
    assert wrong.status_code == 401
    assert wrong.json()["error"]["message"] == "the ingest token is wrong"
    basic = client.post("/api/ingest", json=docs, headers={"Authorization": f"Basic {TOKEN}"})
    assert basic.status_code == 401
    # the token is checked before the body is read: no token and a broken body is still 401
    assert client.post("/api/ingest", content=b"{not json").status_code == 401
    assert tiny.count() == 4  # nothing stored by refused calls


def test_ingest_body_errors(tiny: Corpus) -> None:
    client = TestClient(create_app(tiny, ingest_token=TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    broken = client.post("/api/ingest", content=b"{not json", headers=auth).json()
    assert broken["status"] == 400 and broken["error"]["code"] == "E401"
    assert broken["error"]["message"].startswith("the body is not JSON: ")
    shape = client.post("/api/ingest", json={"docs": []}, headers=auth).json()
    assert shape["status"] == 422
    assert shape["error"]["message"] == "documents: Field required"


def test_ingest_stores_good_documents_and_reports_bad_ones(tiny: Corpus) -> None:
    client = TestClient(create_app(tiny, ingest_token=TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/api/articles").json()["total"] == 4  # builds the catalog before ingest
    documents = [
        {"text": "A new report on the talks.", "title": "Five", "outlet": "Outlet Three",
         "published": "2025-05-04"},
        {"title": "no text"},
        "not an object",
        {"text": "Another report, from the harbour.", "title": "Six", "outlet": "Outlet Three",
         "url": "https://three.example/six"},
    ]  # fmt: skip
    response = client.post("/api/ingest", json={"documents": documents, "analyze": False}, headers=auth)
    assert response.status_code == 200
    report = response.json()
    assert (report["ok"], report["added"], report["unchanged"], report["analyzed"]) == (False, 2, 0, 0)
    assert [(f["origin"], f["code"]) for f in report["failed"]] == [
        ("documents[1]", "E106"),
        ("documents[2]", "E106"),
    ]
    assert report["failed"][0]["problem"] == "record has no 'text' or 'html' field (nor 'content' or 'body')"
    assert report["failed"][1]["problem"] == "record is not a JSON object (got string)"
    keys = [r["source_key"] for r in report["results"]]
    assert keys[0].startswith("Outlet Three:api:") and keys[1] == "https://three.example/six"
    listed = client.get("/api/articles?outlet=outlet%20three").json()  # the catalog was refreshed
    assert _titles(listed) == ["Five", "Six"]
    again = client.post("/api/ingest", json={"documents": documents, "analyze": False}, headers=auth).json()
    assert (again["added"], again["unchanged"]) == (0, 2)
    assert tiny.count() == 6


def test_ingest_analyses_and_refreshes_the_views(tmp_path: Path) -> None:
    with storyline.open(":memory:") as corpus:
        client = TestClient(create_app(corpus, ingest_token=TOKEN))
        assert client.get("/api/actors").json()["total"] == 0
        text = 'Vladimir Putin met Donald Trump in Alaska on Friday. "We talked," Putin said.'
        body = {"documents": [{"text": text, "title": "Summit", "outlet": "Wire", "published": "2025-08-16"}]}
        report = client.post("/api/ingest", json=body, headers={"Authorization": f"Bearer {TOKEN}"}).json()
        assert (report["added"], report["analyzed"]) == (1, 1)
        names = {a["name"] for a in client.get("/api/actors").json()["items"]}
        assert {"Vladimir Putin", "Donald Trump"} <= names
        quotes = client.get("/api/statements?actor=putin").json()["items"]
        assert [q["content"]["text"] for q in quotes] == ["We talked,"]


def test_untrusted_text_is_returned_as_data(tmp_path: Path) -> None:
    payload = {
        "text": 'He wrote <script>alert("x")</script> and <img src=x onerror=alert(1)> here.',
        "title": '<script>alert("t")</script> & "quotes"',
        "outlet": "<b onmouseover=alert(2)>Evil</b>",
        "url": "javascript:alert(3)",
        "author": "</script><script>alert(4)</script>",
        "published": "2025-05-05",
    }
    with storyline.open(":memory:") as corpus:
        client = TestClient(create_app(corpus, ingest_token=TOKEN))
        report = client.post(
            "/api/ingest",
            json={"documents": [payload], "analyze": False},
            headers={"Authorization": f"Bearer {TOKEN}"},
        ).json()
        assert report["added"] == 1, report
        listed = client.get("/api/articles")
        assert listed.headers["content-type"] == "application/json"
        item = listed.json()["items"][0]
        for field in ("title", "outlet", "url", "author"):
            assert item[field] == payload[field]
        detail = client.get(f"/api/articles/{item['id']}").json()
        assert detail["text"] == payload["text"]
        hits = client.get("/api/search?q=script").json()["items"]
        assert hits[0]["title"] == payload["title"]


def test_serve_command_refuses_a_short_token(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storyline.cli import app

    result = CliRunner().invoke(app, ["--db", str(tmp_path / "s.db"), "serve", "--ingest-token", "short"])
    assert result.exit_code == 2
    assert "--ingest-token must have at least 16 characters" in result.output


# -- the same filters in the Python API and the CLI --------------------------------------------------


def test_corpus_filters(examples: Corpus) -> None:
    story = next(s for s in examples.stories() if s["articles"] == 2)
    members = {m["id"] for m in story["members"]}
    assert {a.id for a in examples.articles(story=story["id"])} == members
    assert [a.id for a in examples.articles(story=story["id"], limit=1, offset=1)] == sorted(
        members, key=lambda i: examples.get(i).published or ""
    )[1:]
    assert set(examples.positions(actor="putin").matrix()) == {"vladimir-putin"}
    scoped = examples.actors(story=story["id"])
    assert scoped and all(set(r["articles"]) <= members and r["mentions"] > 0 for r in scoped)
    assert examples.stories(outlet=story["outlets"][0]) and all(
        story["outlets"][0] in s["outlets"] for s in examples.stories(outlet=story["outlets"][0])
    )
    assert examples.find_actor("Vladimir Putin") == examples.find_actor("vladimir-putin") == "vladimir-putin"


def test_cli_story_option(examples: Corpus) -> None:
    from typer.testing import CliRunner

    from storyline.cli import app

    story = next(s for s in examples.stories() if s["articles"] == 2)
    runner = CliRunner()
    db = str(examples.location)
    listed = runner.invoke(app, ["--db", db, "articles", "--story", story["id"], "--json"])
    assert listed.exit_code == 0, listed.output
    assert {a["id"] for a in json.loads(listed.stdout)} == {m["id"] for m in story["members"]}
    for command in ("actors", "quotes", "positions", "timeline", "figures", "outlets"):
        ok = runner.invoke(app, ["--db", db, command, "--story", story["id"], "--json"])
        assert ok.exit_code == 0, (command, ok.output)
    for command in ("quotes", "timeline"):
        bad = runner.invoke(app, ["--db", db, command, "--story", "story-nope"])
        assert bad.exit_code == 2, (command, bad.output)
        assert "no story with id 'story-nope'" in bad.output
