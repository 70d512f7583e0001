"""Persisted, incremental linking (storyline.link.state): the indexes' state round-trips exactly,
batches give the one-pass result for the same order, the store keeps links and state on every
backend, and the corpus links after analyze and reads the links in its views."""

from __future__ import annotations

import gc
import io
import json
import logging
import random
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

import pg  # tests/pg.py (on sys.path: see conftest.py)
import storyline
from storyline.errors import StoreError
from storyline.link.dedup import SyndicationIndex
from storyline.link.packing import StateMismatch, from_bytes, header, items, strings, to_bytes
from storyline.link.state import STATE_VERSION, Linker, current_links, link_key, sync_links
from storyline.link.stories import StoryClusterer
from storyline.link.stories_state import iter_state_arrays
from storyline.model import Article, Metadata, MetaValue, OffsetMap, article_id, content_hash
from storyline.store import MemoryStore, SQLStore, Store
from storyline.store.base import StoryLink
from storyline.views.analysis import story_rows

VOCAB = [f"w{i:03d}" for i in range(400)]


def _docs(n: int, seed: int = 0) -> list[tuple[str, str, date, list[str], np.ndarray]]:
    """Articles about 25 topics: topic words, noise, a date, actors and an embedding."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        topic = rng.randrange(25)
        words = [VOCAB[topic * 15 + rng.randrange(15)] for _ in range(25)] + [
            rng.choice(VOCAB) for _ in range(12)
        ]
        emb = np.random.default_rng(i).standard_normal(8) + topic
        day = date(2025, 1, 1) + timedelta(days=rng.randrange(240))
        out.append((f"d{i:03d}", " ".join(words), day, [f"actor-{topic}", f"actor-{rng.randrange(60)}"], emb))
    return out


def _arrays_equal(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> bool:
    return a.keys() == b.keys() and all(
        a[k].dtype == b[k].dtype and np.array_equal(a[k], b[k], equal_nan=a[k].dtype.kind == "f") for k in a
    )


# -- the indexes' state ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [{"max_postings": 8}, {"max_postings": 8, "threshold": 0.6, "merge_link": 0.3, "revisit": 1}],
    ids=["text", "embeddings-merging"],
)
def test_clusterer_continues_exactly_from_its_state(params: dict[str, Any]) -> None:
    docs = _docs(300)
    with_emb = "merge_link" in params
    whole = StoryClusterer(**params)
    part = StoryClusterer(**params)
    for k, (aid, text, day, actors, emb) in enumerate(docs):
        e = emb if with_emb else None
        expected = whole.add(aid, text=text, published=day, actors=actors, embedding=e)
        if k % 71 == 0:  # save and load through bytes now and then
            part = StoryClusterer.from_state(from_bytes(to_bytes(part.to_state())), settings=part.settings())
        assert part.add(aid, text=text, published=day, actors=actors, embedding=e) == expected
    assert part.stories() == whole.stories()
    assert part.candidates_examined == whole.candidates_examined
    assert {a: part.explain(a) for a, *_ in docs} == {a: whole.explain(a) for a, *_ in docs}
    state = part.to_state()
    assert _arrays_equal(StoryClusterer.from_state(state).to_state(), state)
    # articles out of every posting list are never compared again: their vectors are not kept
    assert len(items(state["doc_owners"])) < len(docs)
    if with_emb:
        assert whole.merged()  # merges happened and survived the round trips


def test_clusterer_state_of_other_settings_or_version_is_refused() -> None:
    c = StoryClusterer()
    c.add("a", text="floods in the valley", published=date(2025, 1, 1))
    state = c.to_state()
    with pytest.raises(StateMismatch) as info:
        StoryClusterer.from_state(state, settings={**c.settings(), "threshold": 0.3})
    assert str(info.value) == "story state was built with other settings (threshold)"
    head = json.loads(bytes(state["header"]).decode())
    head["version"] = 99
    old = {**state, "header": np.frombuffer(json.dumps(head).encode(), dtype=np.uint8)}
    with pytest.raises(StateMismatch) as info:
        StoryClusterer.from_state(old)
    assert str(info.value) == "story state version 99 (this storyline reads 2)"
    with pytest.raises(StateMismatch, match="stored link state cannot be read"):
        from_bytes(b"not an npz")


def test_syndication_continues_exactly_from_its_arrays() -> None:
    rng = random.Random(3)
    base = [" ".join(rng.choice(VOCAB) for _ in range(120)) for _ in range(6)]
    docs = []
    for g, text in enumerate(base):
        for k in range(3):
            words = text.split()
            for _ in range(k * 2):
                words[rng.randrange(len(words))] = rng.choice(VOCAB)
            docs.append((f"g{g}-{k}", " ".join(words), f"2025-0{1 + (g + k) % 9}-1{k}"))
    whole, part = SyndicationIndex(), SyndicationIndex()
    for i, (aid, text, pub) in enumerate(docs):
        if i % 5 == 0:
            part = SyndicationIndex.from_arrays(
                from_bytes(to_bytes(part.to_arrays())), settings=part.settings()
            )
        assert part.add(aid, text, published=pub, outlet=None if i % 2 else "X") == whole.add(
            aid, text, published=pub, outlet=None if i % 2 else "X"
        )
    assert part.groups() == whole.groups() and len(whole.groups()) == 6
    again = SyndicationIndex.from_arrays(part.to_arrays())
    assert _arrays_equal(again.to_arrays(), part.to_arrays())
    with pytest.raises(StateMismatch) as info:
        SyndicationIndex.from_arrays(part.to_arrays(), settings={**part.settings(), "lsh_threshold": 0.5})
    assert str(info.value) == "syndication state was built with other thresholds"


# -- the store ------------------------------------------------------------------------------------


def _article(i: int, text: str, published: str | None, outlet: str = "Daily") -> Article:
    source = f"t/{i}"
    chash = content_hash(text)
    meta = Metadata(
        title=MetaValue(value=f"Title {i}", provenance="given"),
        outlet=MetaValue(value=outlet, provenance="given"),
        published=MetaValue(value=published, provenance="given") if published else None,
    )
    return Article(
        id=article_id(source, chash),
        source_key=source,
        content_hash=chash,
        raw=text,
        text=text,
        offsets=OffsetMap.identity(len(text)),
        meta=meta,
        kind="text",
        origin=f"{source}.txt",
        language="en",
        ingested_at=datetime(2025, 5, 18, tzinfo=UTC),
    )


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    for url in pg.database_url(request, tmp_path, request.param):
        s = SQLStore(url)
        yield s
        s.close()


def _link(a: str, story: str, seq: int, origin: str | None = None) -> StoryLink:
    return StoryLink(article_id=a, story_id=story, origin_id=origin, seq=seq)


def test_store_keeps_links_and_state_with_a_generation(store: Store) -> None:
    a, b, c = (_article(i, f"Text number {i}.", f"2025-01-0{i + 1}") for i in range(3))
    store.add_batch([a, b, c])
    assert store.link_state() is None and store.story_links() == {}
    assert (
        store.put_link_state(
            version=1,
            settings={"k": 1},
            data=b"\x00blob\xff",
            expected_generation=None,
            links=[_link(b.id, "s2", 1), _link(a.id, "s1", 0), _link("gone", "s1", 2)],
        )
        == 1
    )
    state = store.link_state()
    assert state is not None and (state.version, state.settings, state.generation, state.data) == (
        1,
        {"k": 1},
        1,
        b"\x00blob\xff",
    )
    header = store.link_state(data=False)
    assert header is not None and (header.generation, header.data) == (1, b"")
    assert list(store.story_links()) == [a.id, b.id]  # seq order; the unknown id was skipped
    # a writer that read generation None lost the race: nothing is written
    assert store.put_link_state(version=1, settings={}, data=b"x", expected_generation=None, links=[]) is None
    assert (
        store.put_link_state(
            version=1, settings={"k": 2}, data=b"y", expected_generation=1, links=[_link(c.id, "s1", 2, a.id)]
        )
        == 2
    )
    assert store.story_links(story="s1") == {a.id: _link(a.id, "s1", 0), c.id: _link(c.id, "s1", 2, a.id)}
    # removing an article removes its link
    assert store.remove(a.id)
    assert list(store.story_links()) == [b.id, c.id]
    # reset: only the new links remain
    assert (
        store.put_link_state(
            version=1, settings={}, data=b"z", expected_generation=2, links=[_link(c.id, "s3", 0)], reset=True
        )
        == 3
    )
    assert store.story_links() == {c.id: _link(c.id, "s3", 0)}


# -- linking in batches ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _NoMentions:
    mentions: tuple[Any, ...] = ()


def _corpus_articles(n: int) -> list[Article]:
    rng = random.Random(5)
    out = []
    for i in range(n):
        topic = rng.randrange(12)
        words = [VOCAB[topic * 20 + rng.randrange(20)] for _ in range(40)] + [
            rng.choice(VOCAB) for _ in range(10)
        ]
        day = (date(2025, 3, 1) + timedelta(days=rng.randrange(90))).isoformat()
        out.append(_article(i, " ".join(words), day if i % 9 else None, outlet=f"O{i % 4}"))
    # a wire copy carried by another outlet, published later
    first = next(a for a in out if a.published)
    out.append(_article(n, first.text, "2025-06-30", outlet="Copy"))
    return out


def _sync(store: Store, articles: list[Article], **kw: Any) -> Linker:
    return sync_links(
        store,
        articles={a.id: a for a in articles},
        analyses={a.id: _NoMentions() for a in articles},
        actor_of=lambda *_: None,
        embeddings=False,
        **kw,
    )


def test_three_batches_in_date_order_give_the_one_batch_links(store: Store) -> None:
    articles = sorted(_corpus_articles(60), key=link_key)
    store.add_batch(articles)
    one = Linker(embeddings=False)
    one.add(articles, actors={})
    expected = one.links()
    for end in (20, 45, 61):  # three analyses, each of later articles than the one before
        _sync(store, articles[:end])
    stored = store.story_links()
    assert {a: (r.story_id, r.origin_id, r.seq) for a, r in stored.items()} == {
        a: (expected.story_of[a], expected.origin_of[a], expected.order[a]) for a in expected.order
    }
    copy = articles[-1] if articles[-1].outlet == "Copy" else next(a for a in articles if a.outlet == "Copy")
    assert stored[copy.id].origin_id == next(a.id for a in articles if a.text == copy.text and a is not copy)
    assert len(set(expected.story_of.values())) < len(articles)  # stories of several articles
    # the state stored after the last batch is the one-batch state
    state = store.link_state()
    assert state is not None and state.version == STATE_VERSION
    loaded = Linker.from_bytes(state.data, settings=Linker.settings_for(embeddings=False))
    assert _arrays_equal(from_bytes(loaded.to_bytes()), from_bytes(one.to_bytes()))
    # the views read the same links, and the in-memory story_rows agree
    by_id = {a.id: a for a in articles}
    links = current_links(
        store,
        articles=by_id,
        analyses={a: _NoMentions() for a in by_id},
        actor_of=lambda *_: None,
        embeddings=False,
    )
    assert links == expected

    class _Index:
        actors: dict[str, Any] = {}

        def actor_of(self, *_: Any) -> None:
            return None

    analyses: Any = {a: _NoMentions() for a in by_id}
    assert story_rows(_Index(), analyses, by_id, links=links, embeddings=False) == story_rows(  # type: ignore[arg-type]
        _Index(),  # type: ignore[arg-type]
        analyses,
        by_id,
        embeddings=False,
    )


def test_only_new_articles_are_added(store: Store) -> None:
    articles = sorted(_corpus_articles(30), key=link_key)
    store.add_batch(articles)
    first = _sync(store, articles[:20])
    examined = first.clusterer.candidates_examined
    second = _sync(store, articles)
    state = store.link_state()
    assert state is not None and state.generation == 2
    assert second.clusterer._n_docs == 31 and len(second.order) == 31
    assert second.clusterer.candidates_examined > examined
    assert _sync(store, articles).order == second.order  # nothing new: nothing written
    state = store.link_state()
    assert state is not None and state.generation == 2


def test_gone_reanalysed_or_unreadable_state_is_rebuilt_once(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    articles = sorted(_corpus_articles(24), key=link_key)
    store.add_batch(articles)
    _sync(store, articles)
    caplog.set_level(logging.INFO, logger="storyline.link.state")
    # a removed article: rebuilt without it
    store.remove(articles[3].id)
    rest = articles[:3] + articles[4:]
    rebuilt = _sync(store, rest)
    assert "rebuilding the story links from every analysed article: 1 linked articles are gone" in caplog.text
    assert articles[3].id not in store.story_links() and len(rebuilt.order) == len(rest)
    reference = Linker(embeddings=False)
    reference.add(rest, actors={})
    assert store.story_links() == {a: reference.link(a) for a in reference.order}
    # an article analysed again: rebuilt
    caplog.clear()
    _sync(store, rest, reanalysed=[rest[0].id])
    assert "0 linked articles are gone, 1 were analysed again" in caplog.text
    # a blob that cannot be read, and settings that changed: rebuilt, with the reason
    state = store.link_state()
    assert state is not None
    store.put_link_state(
        version=STATE_VERSION,
        settings=state.settings,
        data=b"garbage",
        expected_generation=state.generation,
        links=[],
    )
    caplog.clear()
    assert _sync(store, rest).links() == reference.links()
    assert "stored link state cannot be read" in caplog.text
    state = store.link_state()
    assert state is not None
    store.put_link_state(
        version=STATE_VERSION,
        settings={"old": True},
        data=state.data,
        expected_generation=state.generation,
        links=[],
    )
    caplog.clear()
    assert _sync(store, rest).links() == reference.links()
    assert (
        "rebuilding the story links from every analysed article: the stored state was built with other "
        "settings (embeddings, old, stories, syndication)" in caplog.text
    )
    state = store.link_state()
    assert state is not None
    store.put_link_state(
        version=STATE_VERSION,
        settings={**state.settings, "embeddings": True},
        data=state.data,
        expected_generation=state.generation,
        links=[],
    )
    caplog.clear()
    assert _sync(store, rest).links() == reference.links()
    assert "the stored state was built with sentence embeddings" in caplog.text


def test_a_writer_that_lost_the_race_links_again(store: Store) -> None:
    articles = sorted(_corpus_articles(20), key=link_key)
    store.add_batch(articles)
    _sync(store, articles[:10])
    real_put = store.put_link_state
    calls: list[int | None] = []

    def racing_put(**kw: Any) -> int | None:
        if not calls:  # another process links the next five first
            calls.append(None)
            _sync(store, articles[:15])
        out = real_put(**kw)
        calls.append(out)
        return out

    store.put_link_state = racing_put  # type: ignore[method-assign]
    linker = _sync(store, articles)
    assert calls == [None, 2, None, 3]
    reference = Linker(embeddings=False)
    reference.add(articles[:10], actors={})
    reference.add(articles[10:15], actors={})
    reference.add(articles[15:], actors={})
    assert linker.links() == reference.links()


def test_a_store_that_refuses_writes_still_shows_links(caplog: pytest.LogCaptureFixture) -> None:
    store = MemoryStore()
    articles = sorted(_corpus_articles(12), key=link_key)
    store.add_batch(articles)

    def refuse(**_: Any) -> int | None:
        raise StoreError("read-only database")

    store.put_link_state = refuse  # type: ignore[method-assign]
    links = current_links(
        store,
        articles={a.id: a for a in articles},
        analyses={a.id: _NoMentions() for a in articles},
        actor_of=lambda *_: None,
        embeddings=False,
    )
    reference = Linker(embeddings=False)
    reference.add(articles, actors={})
    assert links == reference.links()
    assert "could not store the story links ([E301] read-only database); linking in memory" in caplog.text
    assert store.story_links() == {}


# -- the corpus -----------------------------------------------------------------------------------

STORIES = [
    ("Floods", "Floods in the Danube valley forced thousands to flee as river levels rose above the dikes in "
     "Passau, officials said on Monday.", "2025-06-01", "River News"),
    ("Strike", "Rail workers walked out in a national strike over wages, halting trains across the country, "
     "the union said.", "2025-06-02", "Rail Daily"),
    ("Floods rise", "Rescue teams in Passau used boats as the Danube flood reached record levels and dikes "
     "broke, officials said.", "2025-06-03", "Valley Post"),
    ("Strike goes on", "The train drivers union extended its rail strike as wage talks with the railway "
     "operator collapsed.", "2025-06-04", "Rail Daily"),
]  # fmt: skip


def _write(path: Path, items: list[tuple[str, str, str, str]]) -> Path:
    rows = [
        {"title": t, "text": text, "published": day, "outlet": o, "url": f"https://x.example/{i}-{day}"}
        for i, (t, text, day, o) in enumerate(items)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def analysed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two stories' first two articles analysed and linked (made once; tests work on copies)."""
    root = tmp_path_factory.mktemp("links")
    db = root / "base.db"
    with storyline.open(db) as corpus:
        corpus.add([str(_write(root / "first.jsonl", STORIES[:2]))])
        corpus.analyze()
    return db


@pytest.fixture
def db(analysed_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "storyline.db"
    for suffix in ("", "-wal", "-shm"):
        src = analysed_db.with_name(analysed_db.name + suffix)
        if src.exists():
            shutil.copy(src, copy.with_name(copy.name + suffix))
    return copy


def _in_memory(corpus: storyline.Corpus) -> list[dict[str, Any]]:
    index, analyses, articles = corpus._linked()
    return story_rows(index, analyses, articles)[0]


def test_corpus_links_after_analyze_and_views_read_the_links(
    db: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="storyline.link.state")
    with storyline.open(db) as corpus:
        assert len(corpus.store.story_links()) == 2
        corpus.add([str(_write(tmp_path / "second.jsonl", STORIES[2:]))])
        caplog.clear()
        corpus.analyze()
        assert "linked 2 articles (2 links written)" in caplog.text  # only the new ones
        links = corpus.store.story_links()
        assert len(links) == 4 and len({x.story_id for x in links.values()}) == 2
        caplog.clear()
        rows = corpus.stories()
        assert caplog.text == ""  # read from the store: nothing linked, nothing rebuilt
        assert rows == _in_memory(corpus)  # the same order (by date) clustered at once
        assert [r["articles"] for r in rows] == [2, 2]
        flood = next(r for r in rows if "River News" in r["outlets"])
        assert flood["titles"] == ["Floods", "Floods rise"]
        assert {a.id for a in corpus.articles(story=flood["id"])} == {m["id"] for m in flood["members"]}


def test_store_without_links_gets_them_once_on_first_need(db: Path, caplog: pytest.LogCaptureFixture) -> None:
    with storyline.open(db) as corpus, corpus.store._write() as conn:  # type: ignore[attr-defined]
        conn.exec_driver_sql("DELETE FROM story_links")
        conn.exec_driver_sql("DELETE FROM link_state")  # as a store made before the links were kept
    caplog.set_level(logging.INFO, logger="storyline.link.state")
    with storyline.open(db) as corpus:
        rows = corpus.stories()
        assert "linked 2 articles" in caplog.text
        assert rows == _in_memory(corpus)
        assert len(corpus.store.story_links()) == 2
    caplog.clear()
    with storyline.open(db) as corpus:
        assert corpus.stories() == rows
        assert caplog.text == ""


def test_forced_analysis_and_removal_rebuild(db: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="storyline.link.state")
    with storyline.open(db) as corpus:
        before = corpus.stories()
        corpus.analyze(force=True)
        assert "rebuilding the story links from every analysed article: rebuild asked for" in caplog.text
        assert corpus.stories() == before
        gone = before[0]["members"][0]["id"]
        corpus.remove(gone)
        caplog.clear()
        after = corpus.stories()
        assert "1 linked articles are gone" in caplog.text
        assert gone not in corpus.store.story_links() and len(corpus.store.story_links()) == 1
        assert after == _in_memory(corpus)


def test_unanalysed_articles_are_shown_but_not_stored(db: Path, tmp_path: Path) -> None:
    with storyline.open(db) as corpus:
        corpus.add([str(_write(tmp_path / "second.jsonl", STORIES[2:]))])
        rows = corpus.stories()
        assert sum(r["articles"] for r in rows) == 4
        assert rows == _in_memory(corpus)
        assert len(corpus.store.story_links()) == 2  # placed for the view only


def test_the_actor_index_computes_its_actors_once_until_it_changes() -> None:
    from storyline.analyze.entities import Mention
    from storyline.link.actors import ActorIndex

    def name(text: str, label: str = "PERSON") -> Mention:
        key = text.casefold()
        return Mention(start=0, end=len(text), text=text, label=label, key=key, ref_key=key)

    index = ActorIndex()
    index.add("a1", [name("Ada Quill")])
    first = index.actors
    (ada,) = first
    assert ada.startswith("ada-quill-") and len(index) == 1
    assert index.actors == first and index.actors is not first  # a new dict, the same actors
    assert index._actors_memo is not None
    first.clear()  # the caller's copy: the index keeps its own
    assert index.get(ada) is not None
    index.add("a2", [name("Bo Renn"), name("Ada Quill")])
    both = sorted(index.actors)
    assert len(both) == 2 and both[0] == ada and both[1].startswith("bo-renn-") and len(index) == 2
    index.remove("a1")
    index.remove("a2")
    assert index.actors == {} and len(index) == 0 and index.get(both[1]) is None


def test_stored_links_name_their_encoder_only_when_it_is_not_the_default() -> None:
    from storyline.link.state import Linker

    minilm = Linker.settings_for(embeddings=True)
    mpnet = Linker.settings_for(embeddings=True, encoder="mpnet")
    assert "encoder" not in minilm and mpnet["encoder"] == "mpnet"
    assert mpnet["stories"] != minilm["stories"]  # mpnet's merge_link 0.35
    assert Linker.settings_for(embeddings=False, encoder="mpnet") == Linker.settings_for(embeddings=False)


def test_the_store_keeps_no_reference_to_a_state_it_wrote(store: Store) -> None:
    """The state blob grows with the corpus (tens of MB at 10,000 articles): once written, only the
    database holds it (SQLAlchemy's statement cache kept the first insert's and update's values)."""
    blobs = [bytes([i]) * 100_000 for i in range(3)]
    before = [sys.getrefcount(b) for b in blobs]
    generation = None
    for blob in blobs:  # an insert, then updates
        generation = store.put_link_state(
            version=1, settings={}, data=blob, expected_generation=generation, links=[]
        )
    del blob
    gc.collect()
    after = [sys.getrefcount(b) for b in blobs]
    held = [a - b for a, b in zip(after, before, strict=True)]
    # replaced states are held by nobody; the current one only by an in-memory store's own record
    assert held == [0, 0, 1 if isinstance(store, MemoryStore) else 0]
    state = store.link_state()
    assert state is not None and state.data == blobs[-1]


def test_arrays_written_one_pair_at_a_time_read_back_as_numpy_savez_writes_them() -> None:
    arrays = {
        "header": header({"kind": "x", "version": 1}),
        "ids": strings(["a", "bb", ""]),
        "values": np.array([0.5, -1.25], dtype=np.float64),
        "empty": np.zeros((0, 3), dtype=np.float32),
    }
    written: list[str] = []

    def pairs() -> Iterator[tuple[str, npt.NDArray[Any]]]:
        for name, array in arrays.items():
            written.append(name)
            yield name, array

    data = to_bytes(pairs())
    assert written == list(arrays)
    saved = io.BytesIO()
    np.savez(saved, **arrays)  # type: ignore[arg-type]
    assert len(data) == len(saved.getvalue())
    for blob in (data, saved.getvalue(), to_bytes(arrays)):
        loaded = from_bytes(blob)
        assert list(loaded) == list(arrays)
        assert all(
            loaded[k].dtype == v.dtype and loaded[k].shape == v.shape and np.array_equal(loaded[k], v)
            for k, v in arrays.items()
        )


def test_the_clusterers_state_arrays_are_the_same_given_at_once_or_one_at_a_time() -> None:
    clusterer = StoryClusterer()
    for i, text in enumerate(
        ["Talks in Istanbul on a ceasefire.", "Ceasefire talks resume in Istanbul.", "A flood."]
    ):
        clusterer.add(f"a{i}", text=text, published=date(2025, 5, 16 + i))
    whole = clusterer.to_state()
    parts = list(iter_state_arrays(clusterer))
    assert [k for k, _ in parts] == list(whole)
    assert all(np.array_equal(v, whole[k], equal_nan=v.dtype.kind == "f") for k, v in parts)
