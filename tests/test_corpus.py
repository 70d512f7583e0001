"""The Python API: ``storyline.corpus.open`` and ``Corpus``."""

from __future__ import annotations

import importlib.util
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import pg  # tests/pg.py (on sys.path: see conftest.py)
from storyline.config import IngestConfig
from storyline.corpus import Corpus, IngestEvent, IngestReport, StoreFeedState, open
from storyline.errors import EmptyInput, InputError, NotFound, UnreadableInput, UsageError
from storyline.export.jsonl import SCHEMA_VERSION
from storyline.model import Article, Metadata, MetaValue, OffsetMap, RawDocument, article_id, content_hash
from storyline.store import MemoryStore, SQLStore

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def doc(key: str, text: str, *, outlet: str = "Daily") -> RawDocument:
    return RawDocument(
        origin=f"{key}.txt",
        source_key=key,
        kind="text",
        text=text,
        meta=Metadata(outlet=MetaValue(value=outlet, provenance="given")),
    )


def build(document: RawDocument, *, config: IngestConfig) -> Article:
    """A stand-in for ``storyline.build.build_article``: no cleaning."""
    text = document.text.strip()
    if text == "boom":
        raise RuntimeError("unexpected")
    if len(text.split()) < config.min_words:
        raise EmptyInput(document.origin, "nothing left after cleaning")
    chash = content_hash(text)
    return Article(
        id=article_id(document.source_key, chash),
        source_key=document.source_key,
        content_hash=chash,
        raw=document.text,
        text=text,
        offsets=OffsetMap.identity(len(text)),
        meta=document.meta,
        kind=document.kind,
        origin=document.origin,
    )


def words(n: int) -> str:
    return " ".join(f"w{i}" for i in range(n))


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def corpus(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Corpus]:
    if request.param == "memory":
        with open(":memory:", config=IngestConfig(batch_size=3)) as c:
            yield c
        return
    for url in pg.database_url(request, tmp_path, request.param):  # tests/pg.py
        with open(url, config=IngestConfig(batch_size=3)) as c:
            yield c


def docs(n: int, *, prefix: str = "d") -> list[RawDocument | InputError]:
    return [doc(f"{prefix}/{i}", f"Article {i}. " + words(8)) for i in range(n)]


def test_open_kinds(tmp_path: Path) -> None:
    with open(":memory:") as c:
        assert isinstance(c.store, MemoryStore)
    with open(tmp_path / "a.db") as c:
        assert isinstance(c.store, SQLStore)
    with open(str(tmp_path / "b.db")) as c:
        assert isinstance(c.store, SQLStore)
    with open(f"sqlite:///{tmp_path / 'c.db'}") as c:
        assert isinstance(c.store, SQLStore)
        assert c.config == IngestConfig()
    assert (tmp_path / "c.db").exists()


def test_add_report_and_events(corpus: Corpus) -> None:
    events: list[IngestEvent] = []
    items = docs(7)
    items.insert(2, UnreadableInput("missing.txt", "no such file"))
    items.insert(5, doc("d/empty", "too short"))
    items.insert(6, doc("d/bug", "boom"))
    report = corpus.add(documents=items, builder=build, progress=events.append)
    assert isinstance(report, IngestReport)
    assert (report.added, report.unchanged, report.revised) == (7, 0, 0)
    assert [type(e).__name__ for e in report.failed] == ["UnreadableInput", "EmptyInput", "InputError"]
    assert "RuntimeError: unexpected" in str(report.failed[2])
    assert not report.ok and report.inputs == 10
    assert len(report.results) == 7 and {r.status for r in report.results} == {"added"}
    assert len(events) == 10 and events[-1].done == 10
    assert sorted(e.status for e in events).count("failed") == 3
    assert corpus.count() == 7

    again = corpus.add(documents=docs(7), builder=build)
    assert (again.added, again.unchanged, again.revised, again.failed) == (0, 7, 0, [])
    assert again.ok

    changed = [doc("d/0", "Article 0, corrected. " + words(8))]
    rev = corpus.add(documents=changed, builder=build)
    assert (rev.added, rev.revised) == (0, 1)
    assert rev.results[0].revision == 2
    assert corpus.count() == 7 and corpus.count(current_only=False) == 8

    runs = corpus.store.runs()
    assert [(r["inputs"], r["added"], r["unchanged"], r["revised"], r["failed"]) for r in runs] == [
        (1, 0, 0, 1, 0),
        (7, 0, 7, 0, 0),
        (10, 7, 0, 0, 3),
    ]
    assert report.run_id == runs[-1]["id"]
    assert corpus.stats()["ingest_runs"] == 3


def test_report_json(corpus: Corpus) -> None:
    report = corpus.add(documents=[*docs(2), UnreadableInput("x.txt", "gone")], builder=build)
    data = json.loads(json.dumps(report.to_json()))
    assert data["added"] == 2
    assert data["failed"] == [
        {"origin": "x.txt", "code": "E101", "problem": "gone", "message": "[E101] x.txt: gone"}
    ]
    assert [r["status"] for r in data["results"]] == ["added", "added"]


def test_batches_are_transactions(corpus: Corpus) -> None:
    """Every batch of ``batch_size`` is committed before the next is built."""
    seen_counts: list[int] = []

    def counting_builder(document: RawDocument, *, config: IngestConfig) -> Article:
        seen_counts.append(corpus.count())
        return build(document, config=config)

    corpus.add(documents=docs(7), builder=counting_builder)
    assert seen_counts == [0, 0, 0, 3, 3, 3, 6]


def test_interrupted_ingest_keeps_committed_batches(corpus: Corpus) -> None:
    def items() -> Iterator[RawDocument]:
        yield from docs(5)  # type: ignore[misc]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        corpus.add(documents=items(), builder=build)
    assert corpus.count() == 3  # the last, partial batch is lost
    report = corpus.add(documents=docs(7), builder=build)
    assert (report.added, report.unchanged) == (4, 3)


def test_add_needs_inputs_or_documents(corpus: Corpus) -> None:
    with pytest.raises(UsageError):
        corpus.add()
    with pytest.raises(UsageError):
        corpus.add(["x"], documents=[])


def test_reading_api(corpus: Corpus) -> None:
    corpus.add(documents=[*docs(3), doc("o/1", "Other outlet. " + words(8), outlet="Other")], builder=build)
    arts = list(corpus.articles())
    assert len(arts) == 4
    assert [a.source_key for a in corpus.articles(outlet="Other")] == ["o/1"]
    first = arts[0]
    assert corpus.get(first.id[:6]) == first
    assert [a.id for a in corpus.revisions(first.source_key)] == [first.id]
    assert corpus.stats()["current"] == 4
    assert corpus.remove(first.id) is True
    assert corpus.remove(first.id) is False
    with pytest.raises(NotFound, match=r"\[E302\]"):
        corpus.get(first.id)
    assert corpus.count() == 3


def test_export(corpus: Corpus) -> None:
    corpus.add(documents=docs(3), builder=build)
    buf = io.StringIO()
    assert corpus.export(buf) == 3
    lines = buf.getvalue().splitlines()
    assert len(lines) == 3 and all(json.loads(line)["schema_version"] == SCHEMA_VERSION for line in lines)
    buf = io.StringIO()
    corpus.export(buf, annotations=lambda a: {"words": len(a.text.split())})
    assert json.loads(buf.getvalue().splitlines()[0])["annotations"] == {"words": 10}
    with pytest.raises(UsageError, match="unknown export format"):
        corpus.export(io.StringIO(), format="xml")


def test_feed_state_adapter(corpus: Corpus) -> None:
    watch = pytest.importorskip("storyline.ingest.watch")
    adapter = StoreFeedState(corpus.store)
    assert adapter.get("https://x.org/feed") is None
    state = watch.FeedState(url="https://x.org/feed", etag="e", seen=frozenset({"a"}))
    adapter.put(state)
    assert adapter.get("https://x.org/feed") == state


def test_sql_corpus_survives_reopen(tmp_path: Path) -> None:
    with open(tmp_path / "r.db", config=IngestConfig(batch_size=2)) as c:
        c.add(documents=docs(5), builder=build)
    with open(tmp_path / "r.db") as c:
        assert c.count() == 5
        report = c.add(documents=docs(5), builder=build)
        assert report.unchanged == 5


def _real_pipeline() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("storyline.build", "storyline.ingest"))


@pytest.mark.skipif(not _real_pipeline(), reason="storyline.ingest / storyline.build not there yet")
def test_examples_end_to_end(tmp_path: Path) -> None:
    with open(tmp_path / "e.db") as c:
        first = c.add(EXAMPLES)
        assert (first.added, first.unchanged, len(first.failed)) == (5, 0, 0), first.failed
        again = c.add([EXAMPLES])
        assert (again.added, again.unchanged, again.revised) == (0, 5, 0)
        assert c.count() == 5
        arts: list[Any] = list(c.articles())
        assert {a.outlet for a in arts} >= {"Kyiv Insider"}
        assert all(a.published for a in arts)


FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>urn:wire</id>
<updated>2025-05-18T10:00:00Z</updated>
{items}
</feed>"""
ITEM = """<entry><title>Story {n}</title><id>story-{n}</id><link href="https://news.example/story-{n}"/>
<updated>2025-05-18T10:0{n}:00Z</updated>
<content type="text">Story {n} says the talks went on for many hours and ended without a deal.</content>
</entry>"""


@pytest.mark.skipif(not _real_pipeline(), reason="storyline.ingest / storyline.build not there yet")
def test_watch_keeps_feed_state_in_the_store(tmp_path: Path) -> None:
    httpx = pytest.importorskip("httpx")
    from storyline.ingest.fetch import Fetcher

    items = [1, 2]
    requests: list[tuple[str, str | None]] = []

    def handler(request: Any) -> Any:
        url = str(request.url)
        requests.append((url, request.headers.get("if-none-match")))
        if url.endswith("/robots.txt"):
            return httpx.Response(404)
        etag = f'"v{len(items)}"'
        if request.headers.get("if-none-match") == etag:
            return httpx.Response(304, headers={"ETag": etag})
        body = FEED.format(items="\n".join(ITEM.format(n=n) for n in items))
        return httpx.Response(
            200, content=body.encode(), headers={"ETag": etag, "Content-Type": "application/rss+xml"}
        )

    config = IngestConfig(host_delay=0, fetch_feed_items=False)
    feed = "https://news.example/feed.xml"
    reports: list[IngestReport] = []
    with (
        open(tmp_path / "w.db", config=config) as c,
        Fetcher(config, transport=httpx.MockTransport(handler)) as f,
    ):
        failed = c.watch(
            [feed], every="1s", stop_after=2, on_report=reports.append, fetcher=f, sleep=lambda s: None
        )
        assert failed == 0
        assert [(r.added, r.unchanged) for r in reports] == [(2, 0), (0, 0)]
        state = c.store.get_feed_state(feed)
        assert state is not None and state["etag"] == '"v2"' and state["seen"] == {"story-1", "story-2"}
    # a new watch on the reopened store resumes: conditional request, then only the new item
    items.append(3)
    with (
        open(tmp_path / "w.db", config=config) as c,
        Fetcher(config, transport=httpx.MockTransport(handler)) as f,
    ):
        reports.clear()
        c.watch([feed], every=1, stop_after=1, on_report=reports.append, fetcher=f, sleep=lambda s: None)
        assert [(r.added, r.unchanged) for r in reports] == [(1, 0)]
        assert c.count() == 3
    feed_requests = [etag for url, etag in requests if url == feed]
    assert feed_requests == [None, '"v2"', '"v2"']


@pytest.mark.skipif(not _real_pipeline(), reason="storyline.ingest / storyline.build not there yet")
def test_a_source_close_to_an_actor_is_not_that_actor(tmp_path: Path) -> None:
    (tmp_path / "k.txt").write_text(
        "Kremlin talks\n\nThree sources close to the Kremlin said Putin would not stop the offensive. "
        "Economists polled by Reuters had expected the bank to hold. A Kremlin spokesman said the talks "
        "were over. A businessman close to Putin, Oleg Deripaska, said the war was a mistake.\n",
        encoding="utf-8",
    )
    with open(tmp_path / "k.db") as corpus:
        corpus.add([tmp_path / "k.txt"])
        corpus.analyze()
        speakers = {r["content"]["text"]: (r["speaker"], r["speaker_actor"]) for r in corpus.quotes()}
    assert speakers == {
        "Putin would not stop the offensive": ("Three sources close to the Kremlin", None),
        "the bank to hold": ("Economists polled by Reuters", None),
        "the talks were over": ("Kremlin", "kremlin"),  # a spokesman speaks for the Kremlin
        "the war was a mistake": ("Oleg Deripaska", "oleg-deripaska-a0c3bb"),  # named after the comma
    }


def test_a_speaker_is_not_whom_the_apposition_names(tmp_path: Path) -> None:
    """ "Yuri Ushakov, Putin's foreign policy adviser, told reporters": Ushakov speaks, not Putin."""
    (tmp_path / "u.txt").write_text(
        "Kremlin on the plan\n\n"
        '"Some of the proposals are acceptable, others are not," Yuri Ushakov, Putin\'s foreign policy '
        'adviser, told reporters. "We are ready to talk," Dmitry Peskov, an aide to Vladimir Putin, said. '
        "Putin's envoy said the talks would go on.\n",
        encoding="utf-8",
    )
    with open(tmp_path / "u.db") as corpus:
        corpus.add([tmp_path / "u.txt"])
        corpus.analyze()
        speakers = {r["content"]["text"]: r["speaker_actor"] for r in corpus.quotes()}
    assert speakers["Some of the proposals are acceptable, others are not,"] == "yuri-ushakov"
    assert speakers["We are ready to talk,"] == "dmitry-peskov"
    assert speakers["the talks would go on"] is None  # the envoy, not Putin
