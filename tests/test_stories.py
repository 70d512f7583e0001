from __future__ import annotations

import random
from datetime import date, timedelta

from storyline.link.stories import StoryClusterer, story_id_for

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
