"""The linked corpus keeps its analyses packed (storyline.views.packed): the views read the same
analyses and give the same output as with every analysis decoded, the cache of decoded ones is
bounded, and removal and refresh show in the linked views."""

from __future__ import annotations

import dataclasses
import json
import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import storyline
from storyline.analyze.pipeline import Analysis, article_date
from storyline.views import analysis as views
from storyline.views.packed import LazyAnalysis, PackedAnalyses, pack, unpack

# Articles written for this test (not the bundled samples): two outlets on one story, with names,
# titles, quotes, positions, dates and figures for every view to find.
ARTICLES = [
    {
        "text": "Karin Holmqvist, the Swedish foreign minister, met Anton Brandt in Geneva on Tuesday, "
        'March 4, 2025. "We demand an immediate ceasefire," Holmqvist said. Brandt said 1,200 '
        "families had left the valley since January.",
        "title": "Geneva talks",
        "outlet": "North Wire",
        "published": "2025-03-05",
    },
    {
        "text": "Anton Brandt rejected the proposal on Wednesday. Holmqvist told reporters that about "
        "1,500 families had left the valley, and that the talks would resume on March 12, 2025.",
        "title": "Proposal rejected",
        "outlet": "South Herald",
        "published": "2025-03-06",
    },
    {
        "text": 'Lena Vogt, the mediator, arrived in Geneva on Monday. "The ceasefire must hold," Vogt '
        "said, adding that 300 observers would be sent to the valley in April 2025.",
        "title": "Mediator arrives",
        "outlet": "North Wire",
        "published": "2025-03-03",
    },
    {
        "text": "The government of Norway offered to host the next round. Karin Holmqvist welcomed the "
        "offer and said Sweden supports the talks.",
        "title": "Norway offers",
        "outlet": "East Daily",
    },
]


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An analysed SQLite store of :data:`ARTICLES` (copied by each test that changes it)."""
    work = tmp_path_factory.mktemp("packed")
    path = work / "a.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    db = work / "s.db"
    with storyline.open(db) as corpus:
        corpus.add([path])
        assert corpus.analyze().analyzed == len(ARTICLES)
    return db


@pytest.fixture
def db(analysed: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "s.db"
    for suffix in ("", "-wal", "-shm"):
        source = analysed.with_name(analysed.name + suffix)
        if source.exists():
            shutil.copy(source, copy.with_name(copy.name + suffix))
    return copy


@pytest.fixture
def corpus(db: Path) -> Iterator[storyline.Corpus]:
    with storyline.open(db) as c:
        yield c


class _Decoded(dict[str, Analysis]):
    def subset(self, keep: Any) -> dict[str, Analysis]:  # what Corpus._analyses_of did with the dict
        return {a: an for a, an in self.items() if a in keep}

    def close(self) -> None:  # Corpus.close closes the linked analyses (a spill file): none here
        pass


def _decoded_index(
    store: Any, articles: Any, *, gazetteer: Any = None, overrides: Any = None, spill_dir: Any = None
) -> tuple[Any, dict[str, Analysis]]:
    """What build_actor_index did before the analyses were packed: a dict of every decoded one."""
    from storyline.gazetteer import load_gazetteer
    from storyline.link.actors import ActorIndex

    index = ActorIndex(gazetteer=gazetteer or load_gazetteer(), overrides=overrides)
    out = _Decoded()
    articles = list(articles)
    stored = store.latest_analyses(a.id for a in articles)
    for article in articles:
        if article.id in stored:
            out[article.id] = Analysis.from_json(stored[article.id])
            index.add(article.id, out[article.id].mentions, article_date(article))
    return index, out


def _every_view(corpus: storyline.Corpus) -> dict[str, Any]:
    ledger = corpus.positions()
    some = next(iter(corpus.articles()))
    return {
        "timeline": corpus.timeline(include_approximate=True),
        "stories": corpus.stories(),
        "figures": corpus.figures(),
        "quotes": corpus.quotes(),
        "positions": {
            a: {i: [e.to_json() for e in es] for i, es in row.items()} for a, row in ledger.matrix().items()
        },
        "actors": corpus.actors(),
        "outlets": corpus.outlets(),
        "annotations": corpus.annotations(some),
        "inferred": {a: d.to_json() for a, d in corpus.inferred_dates().items()},
        "outlet_figures": corpus.figures(outlet="North Wire"),
        "outlet_timeline": corpus.timeline(outlet="North Wire", include_approximate=True),
    }


def test_views_are_the_same_packed_and_decoded(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with storyline.open(db) as corpus:
        packed = _every_view(corpus)
        analyses = corpus._linked()[1]
        assert isinstance(analyses, PackedAnalyses)
    monkeypatch.setattr(views, "build_actor_index", _decoded_index)
    with storyline.open(db) as corpus:
        decoded = _every_view(corpus)
        assert type(corpus._linked()[1]) is _Decoded
    assert json.dumps(packed, sort_keys=True, default=repr) == json.dumps(
        decoded, sort_keys=True, default=repr
    )
    # every view found something to compare
    assert {k: len(v) for k, v in packed.items()} == {
        "timeline": 3,  # with the undated "Norway offered to host the next round" (Norway hosts it)
        "stories": 2,
        "figures": 2,
        "quotes": 8,
        "positions": 3,  # "Holmqvist welcomed the offer" is Norway's offer, not hers: no position of hers
        "actors": 7,
        "outlets": 3,
        "annotations": 9,
        "inferred": 0,
        "outlet_figures": 2,
        "outlet_timeline": 1,
    }


def test_packed_analyses_equal_the_stored_ones(corpus: storyline.Corpus) -> None:
    _, analyses, articles = corpus._linked()
    stored = corpus.store.latest_analyses(articles)
    assert list(analyses) == [a.id for a in corpus.articles()]  # the articles' order
    assert len(analyses) == len(ARTICLES) and analyses.nbytes > 0
    for article_id, data in stored.items():
        plain = Analysis.from_json(data)
        lazy = analyses[article_id]
        assert isinstance(lazy, LazyAnalysis) and isinstance(lazy, Analysis)
        assert lazy == plain and plain == lazy and not (lazy != plain)
        assert lazy.to_json() == plain.to_json()  # every part, decoded
        assert corpus.analysis(article_id) == lazy
    assert "no-such-article" not in analyses
    assert analyses.get("no-such-article") is None
    with pytest.raises(KeyError):
        analyses["no-such-article"]


def test_a_part_is_decoded_when_read(corpus: storyline.Corpus) -> None:
    _, analyses, articles = corpus._linked()
    first = next(iter(articles))
    plain = corpus.analysis(first)
    assert plain is not None
    lazy = unpack(pack(plain))
    slot = Analysis.__dict__["mentions"]
    with pytest.raises(AttributeError):
        slot.__get__(lazy, Analysis)  # not decoded yet
    assert lazy.figures == plain.figures
    with pytest.raises(AttributeError):
        slot.__get__(lazy, Analysis)  # reading the figures left the mentions packed
    assert lazy.mentions == plain.mentions and len(lazy.mentions) >= 2
    assert slot.__get__(lazy, Analysis) is lazy.mentions  # decoded once, then kept


def test_a_packed_analysis_stays_frozen_and_copies(corpus: storyline.Corpus) -> None:
    _, analyses, _ = corpus._linked()
    article_id = next(iter(analyses))
    lazy = analyses[article_id]
    plain = corpus.analysis(article_id)
    assert plain is not None
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'mentions'"):
        lazy.mentions = ()  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(unpack(pack(plain)))) == plain
    changed = dataclasses.replace(unpack(pack(plain)), skipped="changed")
    assert changed == dataclasses.replace(plain, skipped="changed") and changed.skipped == "changed"
    assert dataclasses.asdict(unpack(pack(plain))) == dataclasses.asdict(plain)


def test_recently_read_analyses_are_kept_up_to_the_limit(corpus: storyline.Corpus) -> None:
    _, linked, _ = corpus._linked()
    a, b, c, d = list(linked)
    analyses = PackedAnalyses(recent=2)
    for article_id in (a, b, c, d):
        analyses.put(article_id, linked[article_id])
    first = analyses[a]
    assert analyses[a] is first and analyses.decoded == 1  # kept
    analyses[b]
    analyses[a]  # a is now the most recent
    analyses[c]  # drops b, the least recently read
    assert analyses.decoded == 3
    assert analyses[a] is first and analyses.decoded == 3
    analyses[b]
    assert analyses.decoded == 4  # decoded again; drops c
    analyses[c]
    assert analyses.decoded == 5
    assert analyses[a] is not first and analyses[a] == first  # a was dropped by b and c
    assert analyses.decoded == 6
    # iterating decodes each analysis once and keeps no more than the limit
    assert [x.article_id for x in analyses.values()] == [a, b, c, d]
    assert len(analyses._recent) == 2

    none_kept = PackedAnalyses(recent=0)
    none_kept.put(a, linked[a])
    assert none_kept[a] is not none_kept[a] and none_kept.decoded == 2


def test_put_and_discard_replace_and_forget(corpus: storyline.Corpus) -> None:
    _, linked, _ = corpus._linked()
    a, b, *_ = list(linked)
    analyses = PackedAnalyses()
    analyses.put(a, linked[a])
    old = analyses[a]
    analyses.put(a, linked[b])  # replaced: the decoded copy of the old one is not served again
    assert analyses[a] == linked[b] and analyses[a] is not old
    analyses.discard(a)
    analyses.discard("never-there")
    assert a not in analyses and len(analyses) == 0 and list(analyses) == []


def test_subset_keeps_the_order_and_decodes_nothing(corpus: storyline.Corpus) -> None:
    _, analyses, _ = corpus._linked()
    ids = list(analyses)
    before = analyses.decoded
    part = analyses.subset({ids[2], ids[0], "no-such-article"})
    assert list(part) == [ids[0], ids[2]] and part.decoded == 0 and analyses.decoded == before
    assert part[ids[2]] == analyses[ids[2]]
    assert part.nbytes == len(pack(analyses[ids[0]])) + len(pack(analyses[ids[2]]))


def test_removal_and_refresh_show_in_the_linked_analyses(corpus: storyline.Corpus, db: Path) -> None:
    _, analyses, _ = corpus._linked()
    gone = next(a for a in analyses if corpus.store.get(a).outlet == "East Daily")
    assert corpus.remove(gone)
    index, after, articles = corpus._linked()
    assert after is not analyses and gone not in after and gone not in articles
    assert len(after) == len(ARTICLES) - 1
    assert corpus.quotes() and all(q["article"] != gone for q in corpus.quotes())
    # another process writes: refresh() reads the store again
    with storyline.open(db) as other:
        path = db.with_name("more.jsonl")
        path.write_text(json.dumps(ARTICLES[3] | {"outlet": "West Post"}) + "\n", encoding="utf-8")
        other.add([path])
        assert other.analyze().analyzed == 1
    assert len(corpus._linked()[1]) == len(ARTICLES) - 1  # until refreshed
    corpus.refresh()
    assert len(corpus._linked()[1]) == len(ARTICLES)


def test_story_rows_take_the_mentions_actors_from_the_index(corpus: storyline.Corpus) -> None:
    from storyline.link.state import current_links

    index, analyses, articles = corpus._linked()
    for article_id, analysis in analyses.items():
        assert index.mention_actors(article_id) == [
            a for m in analysis.mentions if (a := index.actor_of(article_id, m.start, m.end)) is not None
        ]
    assert index.mention_actors("no-such-article") == []
    links = current_links(corpus.store, articles=articles, analyses=analyses, actor_of=index.actor_of)
    read = analyses.decoded
    from_index = views.story_rows(index, analyses, articles, links=links, mention_actors=index.mention_actors)
    assert analyses.decoded == read  # no analysis decoded
    assert from_index == views.story_rows(index, analyses, articles, links=links)
    assert from_index[0] == corpus.stories() and len(from_index[0]) == 2
    assert all(r["actors"] for r in from_index[0])  # the mentions' actors were counted


def read_from_threads(analyses: PackedAnalyses, expected: dict[str, Any], reads: int) -> list[BaseException]:
    """Four threads each read ``reads`` analyses of ``analyses`` round the ids, each from its own
    offset, and compare them with ``expected`` (article id → JSON); the errors they met."""
    import threading

    errors: list[BaseException] = []

    def read(offset: int) -> None:
        try:
            ids = list(analyses)
            for i in range(reads):
                a = ids[(i + offset) % len(ids)]
                assert analyses[a].to_json() == expected[a]
        except BaseException as exc:  # reported to the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=read, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_threads_read_one_mapping_at_once(corpus: storyline.Corpus) -> None:
    _, linked, _ = corpus._linked()
    analyses = PackedAnalyses(recent=2)
    for article_id in linked:
        analyses.put(article_id, linked[article_id])
    expected = {a: linked[a].to_json() for a in linked}
    errors = read_from_threads(analyses, expected, 200)
    assert errors == [] and len(analyses._recent) <= 2
