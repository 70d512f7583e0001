"""The cross-outlet timeline: merging across articles, date conflicts, order independence, samples."""

from __future__ import annotations

import itertools
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.analyze.entities import find_mentions
from storyline.analyze.events import EventMention, find_events
from storyline.analyze.nlp import get_nlp
from storyline.analyze.timex import find_timexes
from storyline.gazetteer import load_gazetteer
from storyline.link.actors import ActorIndex
from storyline.link.timeline import Timeline, TimelineEntry

ROOT = Path(__file__).resolve().parents[1]
WED = date(2025, 12, 3)

Article = tuple[str, str, date, str]  # id, text, published, outlet


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return get_nlp()


@pytest.fixture(scope="module")
def gazetteer():  # type: ignore[no-untyped-def]
    return load_gazetteer()


def _analyse(nlp, gazetteer, articles: list[Article]):  # type: ignore[no-untyped-def]
    """Events per article and a corpus actor index (the way views/analysis.py links)."""
    index = ActorIndex(gazetteer=gazetteer)
    out: list[tuple[str, list[EventMention], date, str]] = []
    for aid, text, day, outlet in articles:
        doc = nlp(text)
        timexes = find_timexes(text, dct=day, nlp_doc=doc)
        mentions = find_mentions(text, nlp_doc=doc, gazetteer=gazetteer, published=day)
        index.add(aid, mentions, day)
        out.append(
            (
                aid,
                find_events(text, nlp_doc=doc, timexes=timexes, mentions=mentions, published=day),
                day,
                outlet,
            )
        )
    return out, index


def _timeline(analysed, index: ActorIndex, order: list[int] | None = None) -> Timeline:  # type: ignore[no-untyped-def]
    timeline = Timeline()
    for i in order if order is not None else range(len(analysed)):
        aid, events, day, outlet = analysed[i]
        timeline.add(
            aid, events, published=day, outlet=outlet, actor_of=lambda s, e, a=aid: index.actor_of(a, s, e)
        )
    return timeline


def _find(entries: list[TimelineEntry], typ: str, value: str) -> TimelineEntry:
    found = [e for e in entries if e.type == typ and e.date == value and not e.approximate]
    assert len(found) == 1, [(e.type, e.date, e.participants) for e in entries]
    return found[0]


# ---------------------------------------------------------------- invented articles
TWO_REPORTS: list[Article] = [
    ("a1", "Putin met Witkoff in Moscow on Tuesday. The talks lasted five hours.", WED, "Outlet A"),
    (
        "a2",
        "Russian President Vladimir Putin held talks with Steve Witkoff in the Kremlin on December 2.",
        date(2025, 12, 4),
        "Outlet B",
    ),
    ("a3", "The envoys are due to meet Rustem Umerov in Miami on Thursday.", WED, "Outlet B"),
]


def test_merge_across_articles(nlp, gazetteer) -> None:  # type: ignore[no-untyped-def]
    analysed, index = _analyse(nlp, gazetteer, TWO_REPORTS)
    entries = _timeline(analysed, index).entries()
    talks = _find(entries, "meeting", "2025-12-02")
    assert talks.outlets == ("Outlet A", "Outlet B")
    assert talks.articles == ("a1", "a2")
    assert {"vladimir-putin", "steve-witkoff"} <= set(talks.participants)
    assert talks.date_conflict == () and not talks.planned and not talks.approximate
    assert {e.lemma for e in talks.evidence} >= {"meet", "talk"}
    miami = _find(entries, "meeting", "2025-12-04")
    assert miami.planned and miami.articles == ("a3",)
    assert [e.date for e in entries] == sorted(e.date or "" for e in entries)


def test_date_conflict_flagged(nlp, gazetteer) -> None:  # type: ignore[no-untyped-def]
    articles: list[Article] = [
        ("c1", "Putin met Witkoff in Moscow on Tuesday for talks on the peace plan.", WED, "Outlet A"),
        ("c2", "Putin met Witkoff in Moscow on Monday for talks on the peace plan.", WED, "Outlet B"),
    ]
    analysed, index = _analyse(nlp, gazetteer, articles)
    entries = _timeline(analysed, index).entries()
    meetings = [e for e in entries if e.type == "meeting" and e.precision == "day"]
    assert len(meetings) == 1
    assert meetings[0].date_conflict == ("2025-12-01", "2025-12-02")
    assert meetings[0].outlets == ("Outlet A", "Outlet B")


def test_different_events_stay_apart(nlp, gazetteer) -> None:  # type: ignore[no-untyped-def]
    articles: list[Article] = [
        ("d1", "Putin met Witkoff in Moscow on Tuesday.", WED, "Outlet A"),
        ("d2", "Zelensky met Emmanuel Macron in Paris on Tuesday.", WED, "Outlet B"),
        ("d3", "Russia launched 273 drones at Kyiv on Tuesday.", WED, "Outlet B"),
    ]
    analysed, index = _analyse(nlp, gazetteer, articles)
    entries = _timeline(analysed, index).entries()
    assert len(entries) == 3
    assert all(len(e.articles) == 1 for e in entries)


def test_incremental_equals_batch(nlp, gazetteer) -> None:  # type: ignore[no-untyped-def]
    articles = [
        *TWO_REPORTS,
        ("a4", "Putin met Witkoff in Moscow on Monday for five hours.", WED, "Outlet C"),
    ]
    analysed, index = _analyse(nlp, gazetteer, articles)
    batch = _timeline(analysed, index).entries()
    for order in itertools.permutations(range(len(analysed))):
        assert _timeline(analysed, index, list(order)).entries() == batch
    # adding an article again replaces it: nothing changes
    twice = _timeline(analysed, index, [0, 1, 2, 3, 0])
    assert twice.entries() == batch
    # removing an article gives the timeline built without it
    twice.remove("a4")
    assert twice.entries() == _timeline(analysed, index, [0, 1, 2]).entries()


def test_filters(nlp, gazetteer) -> None:  # type: ignore[no-untyped-def]
    analysed, index = _analyse(nlp, gazetteer, TWO_REPORTS)
    timeline = Timeline()
    for aid, events, day, outlet in analysed:
        timeline.add(
            aid,
            events,
            published=day,
            outlet=outlet,
            actor_of=lambda s, e, a=aid: index.actor_of(a, s, e),
            story="s1" if aid != "a3" else "s2",
        )
    assert {e.date for e in timeline.entries(story="s2")} == {"2025-12-04"}
    assert {e.date for e in timeline.entries(actor="rustem-umerov")} == {"2025-12-04"}
    assert {e.date for e in timeline.entries(since=date(2025, 12, 3))} == {"2025-12-04"}
    assert {e.date for e in timeline.entries(until="2025-12-02")} == {"2025-12-02"}


def _mention(
    start: int, value: str, source: str, timex: tuple[int, int] | None, actors: int = 0
) -> EventMention:
    return EventMention(
        start=start,
        end=start + 4,
        text="call",
        lemma="call",
        type="call",
        participants=tuple((k * 10, k * 10 + 5, "agent") for k in range(actors)),
        date_value=value,
        date_source=source,  # type: ignore[arg-type]
        precision="day",
        timex=timex,
        planned=True,
        sentence=(start, start + 50),
        words=("call",),
    )


def test_mention_dated_by_another_joins_it() -> None:
    # "a call with A and B on May 19" … (far below) "the upcoming call": no participants, dated by the
    # first mention's expression; it joins that call rather than standing alone
    events = [
        _mention(10, "2025-05-19", "timex", (40, 46), actors=2),
        _mention(900, "2025-05-19", "event", (40, 46)),
    ]
    timeline = Timeline()
    timeline.add("s1", events, published=date(2025, 5, 18), outlet="O", actor_of=lambda s, e: f"actor-{s}")
    entries = timeline.entries()
    assert [(e.date, e.participants, len(e.evidence)) for e in entries] == [
        ("2025-05-19", ("actor-0", "actor-10"), 2)
    ]
    # the same without the shared expression: two entries
    alone = [events[0], _mention(900, "2025-05-19", "timex", (880, 886))]
    other = Timeline()
    other.add("s1", alone, published=date(2025, 5, 18), outlet="O", actor_of=lambda s, e: f"actor-{s}")
    assert len(other.entries()) == 2


def _attack(start: int, *, actor: bool = False, place: bool = False) -> EventMention:
    return EventMention(
        start=start,
        end=start + 6,
        text="attack",
        lemma="attack",
        type="attack",
        participants=((500, 506, "agent"),) if actor else (),
        place=(start + 20, start + 24) if place else None,
        date_value="2025-11-24",
        date_source="timex",
        precision="day",
        timex=(start + 30, start + 39),
        sentence=(start, start + 80),
        words=("attack",),
    )


@pytest.mark.parametrize(
    ("places", "entries"),
    [
        # "Kyiv was hit by … attacks overnight, with Russia firing 460 drones": one names the place,
        # the other who acted; nothing they name differs
        ({"at": "kyiv"}, 1),
        # both name a place, and not the same: two attacks
        ({"at": "kyiv", "actor": "odesa"}, 2),
    ],
)
def test_a_place_only_and_an_actor_only_mention_nearby_are_one_event(
    places: dict[str, str], entries: int
) -> None:
    def actor_of(s: int, e: int) -> str | None:
        return "russia" if s == 500 else places["at"] if s == 30 else places.get("actor")

    events = [_attack(10, place=True), _attack(200, actor=True, place="actor" in places)]
    timeline = Timeline()
    timeline.add("s1", events, published=date(2025, 11, 25), outlet="O", actor_of=actor_of)
    assert len(timeline.entries()) == entries


def test_narrative_day_gives_way_to_a_told_day() -> None:
    told = _mention(10, "2025-05-19", "timex", (40, 46), actors=1)
    read = _mention(300, "2025-05-18", "narrative", (250, 256), actors=1)
    timeline = Timeline()
    timeline.add("s1", [told], published=date(2025, 5, 19), outlet="O", actor_of=lambda s, e: "putin")
    timeline.add("s2", [read], published=date(2025, 5, 19), outlet="P", actor_of=lambda s, e: "putin")
    # one call, reported by both; the day the narrative suggests raises no conflict with the told day
    assert [(e.date, e.date_conflict, e.outlets) for e in timeline.entries()] == [
        ("2025-05-19", (), ("O", "P"))
    ]
    # two told days do conflict
    other = Timeline()
    other.add("s1", [told], published=date(2025, 5, 19), outlet="O", actor_of=lambda s, e: "putin")
    other.add(
        "s2",
        [_mention(300, "2025-05-18", "timex", (250, 256), actors=1)],
        published=date(2025, 5, 19),
        outlet="P",
        actor_of=lambda s, e: "putin",
    )
    assert [e.date_conflict for e in other.entries()] == [("2025-05-18", "2025-05-19")]


# ---------------------------------------------------------------- the five samples: the "done when"
def _samples() -> list[Article]:
    out: list[Article] = []
    for path in sorted((ROOT / "examples").glob("*.txt")):
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        value = meta["published"]
        day = datetime.fromisoformat(value).date() if "T" in value else date.fromisoformat(value[:10])
        out.append((path.stem, path.read_text(encoding="utf-8"), day, meta["outlet"]))
    return out


def test_sample_timeline(nlp, gazetteer) -> None:  # type: ignore[no-untyped-def]
    analysed, index = _analyse(nlp, gazetteer, _samples())
    entries = _timeline(analysed, index).entries()
    for e in entries:
        print(e.date, e.precision, e.type, ",".join(e.participants), "@" + ",".join(e.places), e.outlets)
    starts = [e.start for e in entries if e.start is not None]
    assert starts == sorted(starts)
    recent = [e for e in entries if e.start is not None and e.start.year == 2025]
    assert min(e.start for e in recent if e.start) >= date(2025, 5, 1)
    assert max(e.start for e in recent if e.start) <= date(2025, 12, 31)

    attack = _find(entries, "attack", "2025-05-18")
    assert "russia" in attack.participants and not attack.approximate

    call = _find(entries, "call", "2025-05-19")
    assert {"donald-trump", "vladimir-putin"} <= set(call.participants)
    assert call.outlets == ("Business Standard", "Kyiv Insider")

    talks = _find(entries, "meeting", "2025-12-02")
    assert {"vladimir-putin", "steve-witkoff", "jared-kushner"} <= set(talks.participants)
    assert not talks.planned

    miami = _find(entries, "meeting", "2025-12-04")
    assert "rustem-umerov" in miami.participants and miami.planned
    assert any(p.startswith("miami") for p in miami.places)


# ---------------------------------------------------------------- invariant: arrival order does not matter
_ACTORS = ("putin", "trump", "zelensky", "witkoff", "russia", "ukraine")


@st.composite
def _articles(draw: st.DrawFn) -> list[tuple[str, list[EventMention], date]]:
    out = []
    for n in range(draw(st.integers(min_value=1, max_value=5))):
        published = date(2025, 12, 1) + timedelta(days=draw(st.integers(min_value=0, max_value=20)))
        events = []
        for k in range(draw(st.integers(min_value=0, max_value=4))):
            actors = draw(
                st.lists(st.integers(min_value=0, max_value=len(_ACTORS) - 1), max_size=3, unique=True)
            )
            dated = draw(st.booleans())
            day = published - timedelta(days=draw(st.integers(min_value=0, max_value=9)))
            events.append(
                EventMention(
                    start=k * 100,
                    end=k * 100 + 4,
                    text="talk",
                    lemma=draw(st.sampled_from(["talk", "meet"])),
                    type=draw(st.sampled_from(["meeting", "call"])),
                    participants=tuple((a * 10, a * 10 + 5, "agent") for a in sorted(actors)),
                    date_value=day.isoformat() if dated else published.isoformat(),
                    date_source="timex" if dated else "report",
                    precision="day" if dated else "report",
                    planned=draw(st.booleans()),
                    sentence=(k * 100, k * 100 + 50),
                    words=tuple(sorted(draw(st.sets(st.sampled_from("abcdefgh"), max_size=5)))),
                )
            )
        out.append((f"art{n}", events, published))
    return out


@settings(max_examples=60, deadline=None)
@given(_articles(), st.randoms(use_true_random=False))
def test_order_independent(articles, rnd) -> None:  # type: ignore[no-untyped-def]
    def build(items: list[tuple[str, list[EventMention], date]]) -> list[TimelineEntry]:
        timeline = Timeline()
        for aid, events, day in items:
            timeline.add(
                aid, events, published=day, outlet=aid.upper(), actor_of=lambda s, e: _ACTORS[s // 10]
            )
        return timeline.entries()

    shuffled = list(articles)
    rnd.shuffle(shuffled)
    assert build(shuffled) == build(articles)
    entries = build(articles)
    assert sum(len(e.evidence) for e in entries) <= sum(len(ev) for _, ev, _ in articles)
    starts = [e.start for e in entries if e.start is not None]
    assert starts == sorted(starts)


def test_a_place_is_shown_as_the_articles_write_it(tmp_path: Path) -> None:
    import storyline

    path = tmp_path / "a.jsonl"
    rows = [
        {"text": "Israeli and Hamas negotiators met in DOHA on Tuesday, officials said.", "title": "Talks",
         "outlet": "One", "published": "2025-12-03"},
        {"text": "Negotiators met in Doha on Tuesday to discuss the truce, diplomats said.", "title": "Truce",
         "outlet": "Two", "published": "2025-12-03"},
    ]  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with storyline.open(tmp_path / "s.db") as corpus:
        corpus.add([path])
        corpus.analyze()
        meetings = [r for r in corpus.timeline() if r["type"] == "meeting"]
        # the capital links to its country as an actor; as a place it is the city the articles name
        assert [(r["date"], r["places"]) for r in meetings] == [("2025-12-02", ["Doha"])]
        assert "qatar" in {a["id"] for a in corpus.actors()}


def test_a_planned_meeting_and_the_meeting_held_that_day_are_one_entry(nlp, gazetteer) -> None:  # type: ignore[no-untyped-def]
    articles: list[Article] = [
        (
            "s1",
            "Delegations from Sudan's army and the paramilitary Rapid Support Forces will meet in the Saudi "
            "city of Jeddah on Friday, mediators said.",
            date(2025, 6, 10),
            "Outlet A",
        ),
        (
            "s2",
            "Negotiators for Sudan's army and the Rapid Support Forces sat down in Jeddah on Friday, the "
            "first face-to-face meeting between the two sides since December 2023.",
            date(2025, 6, 13),
            "Outlet B",
        ),
    ]
    analysed, index = _analyse(nlp, gazetteer, articles)
    entries = _timeline(analysed, index).entries()
    day = [e for e in entries if e.type == "meeting" and e.date == "2025-06-13"]
    assert [(e.articles, e.outlets, e.planned) for e in day] == [
        (("s1", "s2"), ("Outlet A", "Outlet B"), False)
    ]
    assert {ev.lemma for ev in day[0].evidence} == {"meet", "meeting"}


def test_events_that_did_not_or_may_not_happen_are_not_entries(nlp, gazetteer) -> None:  # type: ignore[no-untyped-def]
    articles: list[Article] = [
        ("n1", "Putin did not meet Zelensky in Istanbul on Tuesday.", WED, "Outlet A"),
        ("n2", "Zelensky could meet Putin in Istanbul on Friday.", WED, "Outlet B"),
        ("n3", "Putin met Witkoff in Moscow on Tuesday.", WED, "Outlet C"),
    ]
    analysed, index = _analyse(nlp, gazetteer, articles)
    assert {e.modality for _, evs, _, _ in analysed for e in evs} >= {"negated", "possible", "asserted"}
    entries = _timeline(analysed, index).entries()
    assert [(e.type, e.date, e.articles) for e in entries] == [("meeting", "2025-12-02", ("n3",))]
