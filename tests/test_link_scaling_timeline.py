"""The timeline's blocking: the same entries as comparing every pair, with work per node that does not
grow with a dense block (many articles reporting one event)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.analyze.events import EventMention
from storyline.link.timeline import Timeline, TimelineEntry

_ACTORS = ("putin", "trump", "zelensky", "witkoff")
_BASE = date(2025, 5, 1)


class _AllPairs(Timeline):
    """Every node compared with every other: the reference the blocks must agree with."""

    def _join_days(self, node):  # type: ignore[no-untyped-def]
        return None

    def _candidates(self, node):  # type: ignore[no-untyped-def]
        return set(self._nodes)


class _Counting(Timeline):
    """Counts the link tests and the candidates compared one by one."""

    def __init__(self) -> None:
        super().__init__()
        self.tests = 0
        self.candidates = 0

    def _linked(self, a, b):  # type: ignore[no-untyped-def]
        self.tests += 1
        return super()._linked(a, b)

    def _candidates(self, node):  # type: ignore[no-untyped-def]
        out = super()._candidates(node)
        self.candidates += len(out)
        return out


def _event(
    k: int,
    *,
    value: str | None,
    precision: str,
    actors: tuple[int, ...],
    kind: str = "meeting",
    lemma: str = "meet",
    planned: bool = False,
    words: tuple[str, ...] = ("meet", "talks"),
) -> EventMention:
    return EventMention(
        start=k * 100,
        end=k * 100 + 4,
        text=lemma,
        lemma=lemma,
        type=kind,
        participants=tuple((a * 10, a * 10 + 5, "agent") for a in actors),
        date_value=value,
        date_source="timex" if precision != "report" else "report",
        precision=precision,  # type: ignore[arg-type]
        planned=planned,
        sentence=(k * 100, k * 100 + 50),
        words=words,
    )


def _build(timeline: Timeline, articles: list[tuple[str, list[EventMention], date]]) -> list[TimelineEntry]:
    for aid, events, day in articles:
        timeline.add(aid, events, published=day, outlet=aid.upper(), actor_of=lambda s, e: _ACTORS[s // 10])
    return timeline.entries()


@st.composite
def _mixed(draw: st.DrawFn) -> list[tuple[str, list[EventMention], date]]:
    """Articles over ten weeks with day, week, month and report-dated mentions (past and planned),
    mentions without participants, and days a few apart (date conflicts)."""
    out = []
    for n in range(draw(st.integers(min_value=1, max_value=7))):
        published = _BASE + timedelta(days=draw(st.integers(min_value=0, max_value=70)))
        events = []
        for k in range(draw(st.integers(min_value=0, max_value=4))):
            precision = draw(st.sampled_from(["day", "day", "week", "month", "report"]))
            day = _BASE + timedelta(days=draw(st.integers(min_value=0, max_value=70)))
            value = {
                "day": day.isoformat(),
                "week": f"{day.isocalendar().year}-W{day.isocalendar().week:02d}",
                "month": day.isoformat()[:7],
                "report": None,
            }[precision]
            actors = tuple(
                sorted(
                    draw(
                        st.lists(
                            st.integers(min_value=0, max_value=len(_ACTORS) - 1), max_size=2, unique=True
                        )
                    )
                )
            )
            events.append(
                _event(
                    k,
                    value=value,
                    precision=precision,
                    actors=actors,
                    kind=draw(st.sampled_from(["meeting", "call"])),
                    lemma=draw(st.sampled_from(["meet", "talk"])),
                    planned=draw(st.booleans()),
                    words=tuple(sorted(draw(st.sets(st.sampled_from("abcdef"), max_size=4)))),
                )
            )
        out.append((f"art{n}", events, published))
    return out


@settings(max_examples=150, deadline=None)
@given(_mixed())
def test_blocks_give_the_entries_of_comparing_every_pair(articles) -> None:  # type: ignore[no-untyped-def]
    assert _build(Timeline(), articles) == _build(_AllPairs(), articles)


def test_a_report_dated_mention_meets_the_day_its_window_holds() -> None:
    # published May 20: a past event it reports without a date fits May 13-20, a planned one May 20 -
    # June 19; the dated meetings are found through the day blocks, not a month's scan
    dated = [
        ("d1", [_event(0, value="2025-05-13", precision="day", actors=(0,))], date(2025, 5, 14)),
        ("d2", [_event(0, value="2025-06-19", precision="day", actors=(0,))], date(2025, 6, 19)),
        # a day before d1 in other words: not the same meeting (no date conflict), outside the window
        (
            "d3",
            [_event(0, value="2025-05-12", precision="day", actors=(0,), words=("visit",))],
            date(2025, 5, 12),
        ),
    ]
    past = ("r1", [_event(0, value=None, precision="report", actors=(0,))], date(2025, 5, 20))
    planned = (
        "r2",
        [_event(0, value=None, precision="report", actors=(0,), planned=True)],
        date(2025, 5, 20),
    )
    for order in ([*dated, past, planned], [past, planned, *dated]):
        entries = _build(Timeline(), order)
        assert sorted((e.date, e.articles) for e in entries) == [
            ("2025-05-12", ("d3",)),
            ("2025-05-13", ("d1", "r1")),
            ("2025-06-19", ("d2", "r2")),
        ]


def test_a_dense_block_costs_no_comparisons_per_mention() -> None:
    # 3,000 outlets report Putin's meeting of May 19: each mention joins the entry through the day's
    # block; nothing is compared one by one (before, each mention met every earlier one)
    timeline = _Counting()
    articles = [
        (f"a{i:04d}", [_event(0, value="2025-05-19", precision="day", actors=(0,))], date(2025, 5, 20))
        for i in range(3000)
    ]
    entries = _build(timeline, articles)
    assert [(e.date, len(e.evidence), e.date_conflict) for e in entries] == [("2025-05-19", 3000, ())]
    assert (timeline.tests, timeline.candidates) == (0, 0)


def test_a_conflicting_day_is_tested_until_it_joins_then_skipped() -> None:
    # outlets disagree: May 19 or May 21 (similar wording): one link test joins the two days' blocks,
    # after which every mention of either day joins without a test
    timeline = _Counting()
    articles = [
        (
            f"a{i:04d}",
            [_event(0, value="2025-05-19" if i % 2 else "2025-05-21", precision="day", actors=(0,))],
            date(2025, 5, 22),
        )
        for i in range(1000)
    ]
    entries = _build(timeline, articles)
    assert [(e.date, len(e.evidence), e.date_conflict) for e in entries] == [
        ("2025-05-19", 1000, ("2025-05-19", "2025-05-21"))
    ]
    assert (timeline.tests, timeline.candidates) == (1, 0)
    # different wording: no conflict link, two entries; each mention tests the other day's block
    # while it is not the node's entry (here every time: the blocks never join), one member per wording
    apart = _Counting()
    few = [
        (
            f"b{i}",
            [
                _event(
                    0,
                    value="2025-05-19" if i % 2 else "2025-05-21",
                    precision="day",
                    actors=(0,),
                    words=("meet",) if i % 2 else ("talks",),
                )
            ],
            date(2025, 5, 22),
        )
        for i in range(6)
    ]
    assert [(e.date, len(e.evidence)) for e in _build(apart, few)] == [("2025-05-19", 3), ("2025-05-21", 3)]
    assert apart.tests == 5  # 0 for the first mention, then 1 each (the other day has one wording)
