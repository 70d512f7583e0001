from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from storyline import embed
from storyline.errors import UsageError
from storyline.link.stories import (
    StateMismatch,
    StoryClusterer,
    clusterer_for,
    embedding_text,
    embeddings_wanted,
    story_id_for,
)
from storyline.link.stories_model import packed

FLOOD = [
    "Floods in the Danube valley forced thousands to flee as river levels rose above the dikes in Passau.",
    "Rescue teams in Passau used boats as the Danube flood reached record levels and dikes broke.",
    "The Danube flood receded slowly; Passau residents returned to homes damaged by river water.",
    "Officials put flood damage along the Danube at 2 billion euros after the dikes failed near Passau.",
]
STRIKE = [
    "Rail workers walked out in a national strike over wages, halting trains across the country.",
    "The train drivers union extended its rail strike as wage talks with the railway operator collapsed.",
    "Commuters faced cancelled trains on the third day of the rail strike over pay.",
    "The railway operator and the drivers union reached a wage deal, ending the rail strike.",
]


def _interleaved() -> list[tuple[str, str, date]]:
    day = date(2025, 6, 1)
    docs = []
    for i in range(4):
        # an article is a few sentences of its story
        flood = " ".join(FLOOD[(i + k) % 4] for k in range(3))
        strike = " ".join(STRIKE[(i + k) % 4] for k in range(3))
        docs.append((f"flood-{i}", flood, day + timedelta(days=2 * i)))
        docs.append((f"strike-{i}", strike, day + timedelta(days=2 * i + 1)))
    return docs


def test_two_interleaved_stories_two_clusters() -> None:
    clusterer = StoryClusterer()
    ids = {aid: clusterer.add(aid, text=text, published=pub) for aid, text, pub in _interleaved()}
    assert len(set(ids.values())) == 2
    assert len({ids[a] for a in ids if a.startswith("flood")}) == 1
    assert len({ids[a] for a in ids if a.startswith("strike")}) == 1
    # ids are stable: story- + hash of the first member
    assert ids["flood-0"] == story_id_for("flood-0") and ids["strike-0"] == story_id_for("strike-0")
    assert clusterer.stories()[ids["flood-0"]] == tuple(f"flood-{i}" for i in range(4))
    match = clusterer.explain("flood-1")
    assert match is not None and not match.new and match.score >= clusterer.threshold


def test_same_actors_six_months_apart_different_words_are_different_stories() -> None:
    clusterer = StoryClusterer()
    actors = ["olaf-scholz", "germany"]
    a = clusterer.add(
        "budget",
        text="Scholz presented the federal budget with cuts to subsidies and a new debt brake plan.",
        published=date(2025, 1, 10),
        actors=actors,
    )
    b = clusterer.add(
        "summit",
        text="At the climate summit Scholz pledged coal exit funding and reforestation in Brazil.",
        published=date(2025, 7, 15),
        actors=actors,
    )
    assert a != b


def test_time_penalty_is_soft_and_actors_reinforce() -> None:
    near = StoryClusterer()
    far = StoryClusterer()
    for c, gap in ((near, 3), (far, 300)):
        c.add("a", text=FLOOD[0], published=date(2025, 1, 1))
        c.add("b", text=FLOOD[1], published=date(2025, 1, 1) + timedelta(days=gap))
    near_m, far_m = near.explain("b"), far.explain("b")
    assert near_m is not None and far_m is not None
    assert far_m.cosine == near_m.cosine and far_m.score < near_m.score
    with_actors = StoryClusterer()
    with_actors.add("a", text=FLOOD[0], actors=["passau"])
    with_actors.add("b", text=FLOOD[1], actors=["passau"])
    m = with_actors.explain("b")
    assert m is not None and m.actor_share == 1.0 and m.score > m.cosine


def test_deterministic_given_order_and_readd_is_noop() -> None:
    docs = _interleaved()
    runs = []
    for _ in range(2):
        c = StoryClusterer()
        runs.append([c.add(a, text=t, published=p) for a, t, p in docs])
        assert c.add(docs[0][0], text="anything") == runs[-1][0]
        assert len(c) == len(docs)
    assert runs[0] == runs[1]


def test_empty_text_starts_its_own_story() -> None:
    c = StoryClusterer()
    a = c.add("x", text="")
    b = c.add("y", text="")
    assert a != b


def test_candidates_bounded_by_blocking_not_corpus_size() -> None:
    rng = random.Random(0)
    vocab = [f"term{i}" for i in range(200)]
    c = StoryClusterer(max_postings=4, threshold=0.9)
    per_batch = []
    for _ in range(4):
        before = c.candidates_examined
        for _ in range(60):
            c.add(f"d{len(c)}", text=" ".join(rng.choice(vocab) for _ in range(30)))
        per_batch.append(c.candidates_examined - before)
    assert len(c.stories()) == 240  # unrelated: every article is its own story
    # each add looks at most top_terms * max_postings stories and as many articles ...
    assert max(per_batch) <= 60 * 2 * c.top_terms * c.max_postings
    # ... and once the posting lists are full, the work per add stops growing with the corpus
    assert per_batch[3] <= per_batch[2] * 1.1


def test_merging_keeps_older_id_and_resolves() -> None:
    c = StoryClusterer(threshold=0.99, merge_threshold=0.05, merge_min_size=1)
    first = c.add("f0", text=FLOOD[0])
    second = c.add("f1", text=FLOOD[1])
    assert second == first  # merged into the older story right away
    assert c.story_of("f1") == first and c.resolve(story_id_for("f1")) == first


# -- embeddings (vectors given here: no model needed) ----------------------------------------------
def test_embedding_joins_articles_without_shared_words() -> None:
    vec = [0.6, 0.8, 0.0]
    texts = ("Tara Reid entered a rehab clinic in Malibu.", "Actress checks into treatment centre again.")
    plain = StoryClusterer()
    assert plain.add("a", text=texts[0]) != plain.add("b", text=texts[1])
    emb = StoryClusterer(embedding_weight=0.5, embedding_floor=0.3)
    assert emb.add("a", text=texts[0], embedding=vec) == emb.add("b", text=texts[1], embedding=vec)
    m = emb.explain("b")
    assert m is not None and not m.new and m.embedding_cosine == 1.0
    # text cosine 0, embedding part (1 - 0.3) / (1 - 0.3) = 1 weighted 0.5: centroid 0.5, knn 0 -> 0.25
    assert m.cosine == 0.25 and m.score == 0.25
    # an article without an embedding is compared by its words only
    assert emb.add("c", text="Rail strike halts trains nationwide.") not in (emb.story_of("a"),)
    c = emb.explain("c")
    assert c is not None and c.new and c.embedding_cosine is None


def test_embedding_below_floor_adds_nothing() -> None:
    texts = ("Volcano erupts on Iceland's Reykjanes peninsula.", "Iceland central bank raises rates.")
    plain = StoryClusterer(threshold=0.9)
    c = StoryClusterer(threshold=0.9, embedding_weight=0.5, embedding_floor=0.3)
    for cl, vecs in ((plain, (None, None)), (c, ([1.0, 0.0], [0.29, 0.9570789]))):
        cl.add("a", text=texts[0], embedding=vecs[0])
        cl.add("b", text=texts[1], embedding=vecs[1])
    p, m = plain.explain("b"), c.explain("b")
    assert p is not None and m is not None and m.new and m.embedding_cosine == pytest.approx(0.29, abs=1e-4)
    # cosine 0.29 is under the floor: only the words count, at half weight
    assert p.cosine > 0 and m.cosine == pytest.approx(p.cosine / 2, abs=1e-6)


def test_merge_by_average_link_not_by_one_close_member() -> None:
    same = "Floods in the Danube valley forced thousands to flee Passau."
    other = "Rail workers walked out in a national wage strike."

    def run(merge_link: float) -> StoryClusterer:
        c = StoryClusterer(
            threshold=0.4,
            embedding_weight=0.5,
            embedding_floor=0.3,
            merge_threshold=None,
            merge_link=merge_link,
            merge_min_size=1,  # b alone may merge (the default, 2, keeps singletons out)
        )
        c.add("a1", text=same, embedding=[1.0, 0.0, 0.0])
        c.add("a2", text=same, embedding=[0.0, 1.0, 0.0])  # joins a1 by its words
        c.add("b", text=other, embedding=[1.0, 0.0, 0.0])  # as close as can be to a1, far from a2
        return c

    strict = run(0.6)  # average link of b with {a1, a2} is (1 + 0) / 2 = 0.5
    assert strict.story_of("a2") == story_id_for("a1")
    assert strict.story_of("b") == story_id_for("b")
    loose = run(0.5)
    assert loose.story_of("b") == story_id_for("a1") and loose.resolve(story_id_for("b")) == story_id_for(
        "a1"
    )
    assert loose.stories() == {story_id_for("a1"): ("a1", "a2", "b")}


def test_bad_embeddings_are_refused_with_the_article_named() -> None:
    c = StoryClusterer()
    with pytest.raises(ValueError, match=r"article 'z': embedding is zero or not finite"):
        c.add("z", text="x", embedding=[0.0, 0.0])
    c.add("a", text="x", embedding=[1.0, 0.0])
    with pytest.raises(ValueError, match=r"article 'b': embedding has 3 dimensions, earlier ones had 2"):
        c.add("b", text="y", embedding=[1.0, 0.0, 0.0])
    assert len(c) == 1  # nothing half-added
    with pytest.raises(ValueError, match=r"embedding_weight must be in \[0, 1\]"):
        StoryClusterer(embedding_weight=1.5)


def test_embedding_text_is_title_and_lead() -> None:
    text = "Quake hits Chile\n\nA strong quake hit the coast.\nTsunami warning issued.\nNo damage.\nMore."
    assert embedding_text(text) == "Quake hits Chile\nA strong quake hit the coast.\nTsunami warning issued."
    assert embedding_text(text, title="Chile quake") == (
        "Chile quake\nQuake hits Chile\nA strong quake hit the coast.\nTsunami warning issued."
    )
    assert embedding_text(text, title="Quake hits Chile", lines=1) == "Quake hits Chile"
    assert embedding_text("word " * 300, max_chars=20) == "word word word word"


def test_embeddings_wanted_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STORYLINE_EMBEDDINGS", raising=False)
    assert embeddings_wanted() is False and embeddings_wanted(False) is False
    monkeypatch.setattr("storyline.embed.available", lambda: False)
    monkeypatch.setenv("STORYLINE_EMBEDDINGS", "1")
    with pytest.raises(UsageError, match="story embeddings need the optional extra: pip install torch"):
        embeddings_wanted()
    monkeypatch.setenv("STORYLINE_EMBEDDINGS", "0")
    assert embeddings_wanted() is False


# -- with the model (skipped without the extra) -----------------------------------------------------
@pytest.mark.skipif(not embed.available(), reason="needs the embeddings extra")
def test_model_vectors_cached_and_cluster(tmp_path: Path) -> None:
    texts = [
        "A magnitude 7.1 earthquake struck off the coast of Chile, shaking buildings in Santiago.",
        "Strong quake hits Chile; residents of Santiago flee buildings as the ground shakes.",
        "The central bank raised its main interest rate by a quarter point to fight inflation.",
    ]
    cache = tmp_path / "emb.sqlite"
    vectors = embed.encode_cached(texts, cache=cache)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    with sqlite3.connect(cache) as db:
        assert db.execute("SELECT count(*) FROM embedding").fetchone() == (3,)
    embed._memo.clear()  # read back from the file, not from memory
    assert np.array_equal(embed.encode_cached(texts, cache=cache), vectors)
    assert float(vectors[0] @ vectors[1]) > 0.5 > float(vectors[0] @ vectors[2])
    c = clusterer_for(embeddings=True)
    ids = [c.add(f"d{i}", text=t, embedding=v) for i, (t, v) in enumerate(zip(texts, vectors, strict=True))]
    assert ids[0] == ids[1] != ids[2]


def test_cli_stories_embeddings_without_the_extra_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from storyline.cli import app

    monkeypatch.setattr("storyline.embed.available", lambda: False)
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "s.db"), "stories", "--embeddings"])
    assert result.exit_code == 2
    assert "story embeddings need the optional extra: pip install torch==2.13.0" in result.output


def _words(rng: random.Random, n: int, vocab_size: int = 400) -> str:
    vocab = [f"w{i:03d}" for i in range(vocab_size)]
    return " ".join(rng.choice(vocab) for _ in range(n))


def test_vectorised_member_dots_equal_the_dict_dot_to_the_last_bit() -> None:
    rng = random.Random(7)
    c = StoryClusterer(n_features=2**12)
    for i in range(40):
        c.add(f"a{i}", text=_words(rng, 60))
    doc_w, _ = c._weighted(c._docs["a3"])
    twice = {t: v * c._idf(t) for t, v in doc_w.items()}
    ids = [f"a{i}" for i in range(40) if f"a{i}" in c._docs]
    got = c._dots(twice, ids)
    assert got == [c._dot(twice, c._docs[a]) for a in ids]  # exact, not approx
    assert got[ids.index("a3")] > 0 and c._dots(twice, []) == [] and c._dots({}, ids) == [0.0] * len(ids)
    assert c._dot(twice, {}) == 0.0


def test_articles_dropped_from_every_posting_list_are_let_go() -> None:
    rng = random.Random(3)
    c = StoryClusterer(n_features=2**12, top_terms=2, max_postings=2, merge_threshold=None)
    for i in range(60):
        c.add(f"a{i}", text=_words(rng, 30, 12))
    live = {a for posting in c._doc_postings.values() for a in posting}
    assert set(c._docs) == live and len(live) < 60
    assert set(c._doc_refs) == live
    assert all(c._doc_refs[a] == sum(a in p for p in c._doc_postings.values()) for a in live)
    assert not [k for k in c._norms if k.startswith("d:") and k[2:] not in live]
    again = StoryClusterer.from_state(c.to_state())  # the reader counts the same postings
    assert again._doc_refs == c._doc_refs and set(again._docs) == live
    kept = StoryClusterer(n_features=2**12, top_terms=2, max_postings=2, merge_threshold=None, revisit=1)
    rng = random.Random(3)
    for i in range(60):
        kept.add(f"a{i}", text=_words(rng, 30, 12))
    assert len(kept._docs) == 60  # revisit may score a lone story's member again: nothing let go


def test_idf_table_is_the_formula_and_forgets_on_reset() -> None:
    from storyline.link.stories_model import IdfTable

    df = {5: 3}
    table = IdfTable(df, 9)
    assert table(5) == pytest.approx(np.log(10 / 4) + 1.0) and table(6) == pytest.approx(np.log(10) + 1.0)
    assert dict(table) == {5: table(5), 6: table(6)}
    df[5] = 9
    assert table(5) == pytest.approx(np.log(10 / 4) + 1.0)  # kept until reset
    table.reset(df, 9)
    assert len(table) == 0 and table(5) == pytest.approx(1.0)


def test_members_compared_are_capped_by_the_weight_of_their_shared_top_terms() -> None:
    earlier = [
        ("a1", "alpha beta gamma xylo"),
        ("a2", "alpha beta quartz"),
        ("a3", "alpha zephyr"),
        ("a4", "alpha lumen"),
        ("a5", "gamma pixel"),
    ]

    def run(cap: int) -> tuple[StoryClusterer, list[str], int]:
        c = StoryClusterer(threshold=2.0, merge_threshold=None, max_members=cap)  # nothing joins
        for aid, text in earlier:
            c.add(aid, text=text)
        compared: list[str] = []
        dots = c._dots

        def recording(twice: dict[int, float], ids: list[str]) -> list[float]:
            compared.extend(ids)
            return dots(twice, ids)

        c._dots = recording  # type: ignore[method-assign]
        before = c.candidates_examined
        c.add("q", text="alpha beta gamma")
        return c, compared, c.candidates_examined - before

    full, all_members, examined = run(256)
    assert sorted(all_members) == ["a1", "a2", "a3", "a4", "a5"]
    # beta and gamma (in 3 of the 6 texts) weigh more than alpha (in 5): a1 shares all three, a2 alpha
    # and beta, a5 gamma; a3 and a4 only alpha
    capped, kept, examined_capped = run(3)
    assert sorted(kept) == ["a1", "a2", "a5"] and examined - examined_capped == 2
    assert capped.explain("q") == full.explain("q")  # the nearest member (a1) is among them
    assert capped.settings()["max_members"] == 3
    with pytest.raises(StateMismatch) as info:  # a state continues only under the same cap
        StoryClusterer.from_state(capped.to_state(), settings=full.settings())
    assert str(info.value) == "story state was built with other settings (max_members)"


def test_a_trimmed_centroid_keeps_its_heaviest_terms_then_the_smallest_ids() -> None:
    c = StoryClusterer(threshold=0.0, merge_threshold=None, max_centroid_terms=3)  # every article joins
    texts = ["alpha beta gamma delta", "alpha beta epsilon zeta", "alpha beta theta iota"]
    for i, text in enumerate(texts):
        c.add(f"a{i}", text=text)
    (story,) = c._stories.values()
    ids = {w: next(iter(c._counts(w, None))) for w in " ".join(texts).split()}
    # 8 terms > 2 * 3 after the third article: alpha and beta (1.5 each, IDF 1) outweigh the six
    # others (0.5 each, IDF log 2 + 1); of those the smallest term id stays
    rare = min(ids[w] for w in ("gamma", "delta", "epsilon", "zeta", "theta", "iota"))
    expected = sorted([ids["alpha"], ids["beta"]]) + [rare]
    assert list(story.centroid) == expected and list(story.squares) == expected
    assert story.centroid[ids["alpha"]] == pytest.approx(1.5) and story.centroid[rare] == pytest.approx(0.5)
    assert story.squares[ids["alpha"]] == pytest.approx(0.75)
    assert packed(story)[0].tolist() == expected


def _unbatched(c: StoryClusterer) -> StoryClusterer:
    """``c`` with the candidate stories' dot products and the merge test computed one pair at a
    time (the code before they were batched)."""
    from storyline.link import stories_merge

    def one_by_one(twice: dict[int, float], stories: list[Any]) -> list[float]:
        return [c._dot(twice, s.centroid) for s in stories]

    def links(cl: StoryClusterer, story: Any, others: list[Any]) -> list[float | None]:
        return [stories_merge.text_link(cl, story, o) for o in others]

    c._centroid_dots = one_by_one  # type: ignore[method-assign]
    c._text_links = links  # type: ignore[attr-defined]
    return c


def test_batched_candidate_dots_and_merge_links_equal_the_pairwise_ones_to_the_last_bit() -> None:
    from storyline.link import stories_merge
    from storyline.link.stories_merge import text_link, text_links

    rng = random.Random(11)
    topics = [[f"t{k}w{i:02d}" for i in range(40)] for k in range(6)]

    def text(k: int) -> str:  # mostly one topic's words, some of another's: stories grow and merge
        words = rng.sample(topics[k], 25) + rng.sample(topics[(k + 1) % 6], 4) + [_words(rng, 5, 300)]
        return " ".join(words)

    docs = [(f"a{i:03d}", text(rng.randrange(6))) for i in range(150)]
    kwargs = {"n_features": 2**12, "threshold": 0.4, "merge_threshold": 0.05}
    kwargs |= {"max_centroid_terms": 40, "max_postings": 8}
    fast, slow = StoryClusterer(**kwargs), _unbatched(StoryClusterer(**kwargs))  # type: ignore[arg-type]
    checked = 0
    grew = 0
    original = stories_merge.text_links

    def both(c: StoryClusterer, story: Any, others: list[Any]) -> list[float | None]:
        nonlocal checked
        got = original(c, story, others)
        if getattr(c, "_text_links", None) is not None:
            return c._text_links(c, story, others)  # type: ignore[attr-defined,no-any-return]
        assert got == [text_link(c, story, o) for o in others]  # exact, not approx
        checked += len(others)
        return got

    stories_merge.text_links = both  # type: ignore[assignment]
    try:
        for i, (aid, body) in enumerate(docs):
            day = date(2025, 1, 1) + timedelta(days=i // 3)
            assert fast.add(aid, text=body, published=day) == slow.add(aid, text=body, published=day)
            for story in fast._stories.values():  # grown arrays: those made from the dicts again
                if story.packed is not None:
                    grown, story.packed = story.packed, None
                    again = packed(story)
                    assert all(
                        np.array_equal(x, y) and x.dtype == y.dtype for x, y in zip(grown, again, strict=True)
                    )
                    story.packed, grew = grown, grew + 1  # the grown ones go on growing
            if i % 10 == 9:  # every story's centroid against a member's vector, in one pass
                doc_w, _ = fast._weighted(fast._docs[aid])
                twice = {t: v * fast._idf(t) for t, v in doc_w.items()}
                stories = list(fast._stories.values())
                assert fast._centroid_dots(twice, stories) == [fast._dot(twice, s.centroid) for s in stories]
    finally:
        stories_merge.text_links = original  # type: ignore[assignment]
    assert checked > 50 and fast.merged() and fast.merged() == slow.merged() and grew
    assert any(len(s.centroid) > 40 for s in fast._stories.values())  # trimmed centroids were compared
    assert [fast.explain(a) for a, _ in docs] == [slow.explain(a) for a, _ in docs]
    a, b = fast.to_state(), slow.to_state()
    differ = [k for k in a if not np.array_equal(a[k], b[k], equal_nan=a[k].dtype.kind == "f")]
    assert a.keys() == b.keys() and differ == []
    assert text_links(fast, next(iter(fast._stories.values())), []) == []


def test_the_heaviest_members_are_heapq_nlargest_in_the_order_found() -> None:
    import heapq

    rng = random.Random(5)
    for trial in range(200):
        size = rng.randrange(0, 60)
        found = {
            f"a{rng.randrange(10_000)}": float(rng.choice([0.5, 1.0, 1.5, rng.random()])) for _ in range(size)
        }
        n = rng.randrange(1, 40)
        kept = set(heapq.nlargest(n, found, key=found.__getitem__))
        assert StoryClusterer._heaviest(found, n) == [a for a in found if a in kept], trial
