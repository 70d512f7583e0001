"""Average-link story merging (storyline.link.stories_merge) and its guards against chaining."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest

from storyline.link.packing import StateMismatch
from storyline.link.stories import STATE_VERSION, StoryClusterer, story_id_for
from storyline.link.stories_merge import embedding_link, text_link
from storyline.link.stories_model import Story, packed

DANUBE = "danube flood passau dikes river"
RHINE = "rhine flood cologne dikes river"


def _texts(c: StoryClusterer, *pairs: tuple[str, str]) -> None:
    for aid, text in pairs:
        c.add(aid, text=text)


def test_text_link_is_the_mean_pair_cosine_for_equal_norms() -> None:
    c = StoryClusterer(threshold=2.0, merge_threshold=None)  # nothing joins: four singletons
    texts = {"a1": "wolf xenon", "a2": "wolf yacht", "b1": "xenon zebra", "b2": "yacht zebra"}
    _texts(c, *texts.items())
    # every word is in two of the four texts: one IDF for all, a pair cosine is shared words / 2
    s = {aid: c._stories[story_id_for(aid)] for aid in texts}
    assert text_link(c, s["a1"], s["a2"]) == pytest.approx(0.5)
    assert text_link(c, s["a1"], s["b2"]) == pytest.approx(0.0)
    a, b = Story(sid="A"), Story(sid="B")
    for story, members in ((a, ("a1", "a2")), (b, ("b1", "b2"))):
        for aid in members:
            for t, v in c._docs[aid].items():
                story.centroid[t] = story.centroid.get(t, 0.0) + v
                story.squares[t] = story.squares.get(t, 0.0) + v * v
            story.members.append(aid)
    # a1-b1 0.5, a1-b2 0, a2-b1 0, a2-b2 0.5: the mean, 0.25 (a centroid cosine would say 0.5)
    assert text_link(c, a, b) == pytest.approx(0.25)
    assert embedding_link(c, a, b) is None  # no embeddings on either side
    a.emb_sum, a.emb_n = np.array([2.0, 0.0], dtype=np.float32), 2
    b.emb_sum, b.emb_n = np.array([1.0, 1.0], dtype=np.float32), 2
    assert embedding_link(c, a, b) == pytest.approx(0.5)


def test_text_merge_joins_two_stories_sharing_their_event_words() -> None:
    def run(merge_threshold: float | None) -> StoryClusterer:
        c = StoryClusterer(threshold=0.5, merge_threshold=merge_threshold)
        _texts(c, ("d1", DANUBE), ("d2", DANUBE), ("r1", RHINE), ("r2", RHINE))
        return c

    apart = run(None)
    assert len(apart.stories()) == 2 and apart.merged() == []
    merged = run(0.1)  # after r2 joins r1, the two stories have a link of 0.397
    assert merged.stories() == {story_id_for("d1"): ("d1", "d2", "r1", "r2")}
    assert merged.merged() == [story_id_for("r1")]
    assert merged.resolve(story_id_for("r1")) == story_id_for("d1")
    # under a threshold of 0.5 they stay apart
    assert len(run(0.5).stories()) == 2


def test_a_singleton_does_not_merge_below_merge_min_size() -> None:
    def run(min_size: int) -> StoryClusterer:
        c = StoryClusterer(threshold=0.5, merge_threshold=0.1, merge_min_size=min_size)
        _texts(c, ("d1", DANUBE), ("d2", DANUBE), ("r1", RHINE))
        return c

    # r1 was refused by the join rule (score under 0.5): with the default it stays alone
    assert run(2).stories() == {story_id_for("d1"): ("d1", "d2"), story_id_for("r1"): ("r1",)}
    assert run(1).stories() == {story_id_for("d1"): ("d1", "d2", "r1")}


def test_state_keeps_the_sums_of_squares_and_refuses_version_1() -> None:
    whole = StoryClusterer(threshold=0.5, merge_threshold=0.1)
    part = StoryClusterer(threshold=0.5, merge_threshold=0.1)
    docs = [("d1", DANUBE), ("d2", DANUBE), ("r1", RHINE), ("r2", RHINE)]
    for i, (aid, text) in enumerate(docs):
        expected = whole.add(aid, text=text)
        assert part.add(aid, text=text) == expected
        if i == 2:  # continue from the stored arrays before the merge happens
            part = StoryClusterer.from_state(part.to_state(), settings=part.settings())
    assert part.stories() == whole.stories() and part.merged() == whole.merged() == [story_id_for("r1")]
    sid = story_id_for("d1")
    assert part._stories[sid].squares == pytest.approx(whole._stories[sid].squares)
    state = whole.to_state()
    head = json.loads(bytes(state["header"]).decode())
    assert head["version"] == STATE_VERSION == 2
    head["version"] = 1
    old = {**state, "header": np.frombuffer(json.dumps(head).encode(), dtype=np.uint8)}
    with pytest.raises(StateMismatch) as info:
        StoryClusterer.from_state(old)
    assert str(info.value) == "story state version 1 (this storyline reads 2)"


def test_revisit_lets_a_refused_article_join_the_grown_story() -> None:
    texts = {
        "a": "danube flood passau dikes",
        "x": "danube flood cologne rhine barges",
        "b": "danube flood passau dikes cologne rhine",
    }

    def run(order: str, revisit: int) -> StoryClusterer:
        c = StoryClusterer(threshold=0.5, merge_threshold=None, revisit=revisit)
        _texts(c, *((aid, texts[aid]) for aid in order))
        return c

    # x comes before b: refused by {a} (score 0.291), alone without revisiting
    assert run("axb", 0).stories() == {story_id_for("a"): ("a", "b"), story_id_for("x"): ("x",)}
    late = run("axb", 1)  # once b has joined a, x is scored again and passes
    assert late.stories() == {story_id_for("a"): ("a", "b", "x")}
    assert late.merged() == [story_id_for("x")] and late.story_of("x") == story_id_for("a")
    # the same stories as when x comes last
    assert run("abx", 0).stories() == {story_id_for("a"): ("a", "b", "x")}


def test_text_merges_decay_with_time_embedding_merges_do_not() -> None:
    def run(gap: int, **params: Any) -> StoryClusterer:
        c = StoryClusterer(threshold=0.5, **params)
        day = date(2025, 1, 1)
        for aid, text, emb, when in (
            ("d1", DANUBE, [1.0, 0.0], day),
            ("d2", DANUBE, [1.0, 0.0], day),
            ("r1", RHINE, [0.8, 0.6], day + timedelta(days=gap)),
            ("r2", RHINE, [0.8, 0.6], day + timedelta(days=gap)),
        ):
            c.add(aid, text=text, published=when, embedding=None if "merge_link" not in params else emb)
        return c

    # text link 0.397: merged 10 days apart; 300 days apart it decays to 0.397 * 0.5 ** 9 (window 30)
    assert len(run(10, merge_threshold=0.1).stories()) == 1
    assert len(run(300, merge_threshold=0.1).stories()) == 2
    # embedding link 0.8 over all pairs: merged whatever the gap (the join rule still decays)
    far = run(300, merge_threshold=None, merge_link=0.5, embedding_weight=0.5, embedding_floor=0.3)
    assert far.stories() == {story_id_for("d1"): ("d1", "d2", "r1", "r2")}


def test_centroid_arrays_give_the_formulas_of_the_dicts() -> None:
    c = StoryClusterer(threshold=0.5, merge_threshold=None)
    _texts(c, ("d1", DANUBE), ("d2", DANUBE + " barges"), ("r1", RHINE), ("r2", RHINE + " cologne ferry"))
    d, r = c._stories[story_id_for("d1")], c._stories[story_id_for("r1")]
    assert d.members == ["d1", "d2"] and r.members == ["r1", "r2"]
    idf = c._idf
    for story in (d, r):
        terms, cen, squares = packed(story)
        assert terms.tolist() == list(story.centroid) and cen.tolist() == list(story.centroid.values())
        assert squares.tolist() == [story.squares[t] for t in story.centroid]
        assert c._idf_of(terms).tolist() == pytest.approx([idf(t) for t in story.centroid], rel=1e-14)
        norm = math.sqrt(sum((v * idf(t)) ** 2 for t, v in story.centroid.items()))
        assert c._centroid_norm(story) == pytest.approx(norm, rel=1e-12)
        spread = math.sqrt(2 * sum(v * idf(t) ** 2 for t, v in story.squares.items()))
        assert c._spread(story) == pytest.approx(spread, rel=1e-12)
        assert packed(story) is packed(story)  # kept until the story changes
    shared = sum(v * r.centroid[t] * idf(t) ** 2 for t, v in d.centroid.items() if t in r.centroid)
    link = text_link(c, d, r)
    assert link is not None and 0 < link == pytest.approx(shared / (c._spread(d) * c._spread(r)), rel=1e-12)
    lone = Story(sid="L", members=["d1"], centroid=dict(c._docs["d1"]))
    assert packed(lone) is not packed(lone) and lone.packed is None  # a lone article's are not kept
    before = packed(d)
    c.add("d3", text=DANUBE + " sandbags")
    assert d.members == ["d1", "d2", "d3"] and packed(d) is not before
    assert packed(d)[0].tolist() == list(d.centroid) and len(d.centroid) == len(before[0]) + 1
    again = StoryClusterer.from_state(c.to_state(), settings=c.settings())
    assert np.array_equal(again._df_array, c._df_array) and int(c._df_array.sum()) == sum(c._df.values())
