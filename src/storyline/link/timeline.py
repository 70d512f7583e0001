"""The cross-outlet timeline: event mentions of many articles merged into dated entries.

::

    timeline = Timeline()
    for article, analysis in ...:
        timeline.add(article.id, analysis.events, published=day, outlet=article.outlet,
                     actor_of=lambda s, e, a=article.id: index.actor_of(a, s, e))
    timeline.entries(actor="vladimir-putin", since=date(2025, 5, 1))

Each event mention is a node; two nodes are **linked** when they can be the same event:

- the same event type;
- compatible dates: the same day, or one day inside the other's week/month/year; a mention dated
  only by its report (``precision="report"``) fits a date up to 7 days before the report (or up to
  30 days after it, for a planned event);
- at least one participant in common (canonical actor ids from ``actor_of``); a mention with no
  participants links only to a mention of the same type in the same article a few sentences away
  (coreference: "the attack"), or across articles to one with the same trigger lemma, the same
  day and a similar wording; in one article, a mention naming only its place and one naming only
  who acted link when near and of compatible dates ("Kyiv was hit by … attacks, with Russia
  firing …");
- a mention the article dates only through another mention of the same event (``date_source=
  "event"``: "the upcoming call" after "a call … on May 19") links to the mentions dated by the same
  expression in that article;
- two day-precision dates 1–7 days apart link only across articles with the same participants and
  a similar wording (Jaccard of the clause's content lemmas): the outlets disagree on the date; the
  entry keeps both values in ``date_conflict``.

An entry is a connected component of links (single link, union–find), so the result does not
depend on the order articles are added: adding articles one at a time gives the batch result.
**Blocking**: a node is compared only with nodes of its type sharing a participant (or place) whose
dates can fit its own, looked up where they can be: day-precision nodes by their day (the days of
the node's interval, widened by ``CONFLICT_DAYS`` for a day-precision node), week/month/year nodes
by the months their interval touches, report-dated nodes by their report day (those whose window can
overlap the node's interval); nodes without participants only with the same day's nodes or the same
article's. Day-precision mentions of one type, one day and one participant always link, so such a
block is one entry and a node joins it through its first member instead of meeting every member
(a story told by thousands of articles costs a lookup per node, not a scan of the block); a block of
another day within ``CONFLICT_DAYS`` is skipped when the node is already in its entry. Adding an
article costs work proportional to its mentions and the blocks that can hold a link, never all pairs
and never more than the candidates that ``_linked`` could accept; re-adding (a re-analysed article, a
date learnt later) or removing one re-links the rest (linear in the timeline's size, still no pairs
outside the blocks).

A mention dated only by its report never joins two dated events: its links are kept aside and, when
entries are read, it joins the dated event it fits best (most shared participants, same article,
wording, nearest date), or else the report-dated mentions it links to.

An entry's date is the day most articles give (ties: the earliest; a day only the narrative gives,
``date_source="narrative"``, counts when no expression dates the event), else the finest week/month/year
value, else the report date with ``approximate=True`` (no text dates the event). Components made
only of mentions with no participants, place or date expression ("sanctions", "a ceasefire") are
not entries: they are concepts more than events.
"""

from __future__ import annotations

import calendar
import hashlib
import logging
from bisect import bisect_left, insort
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from ..analyze.events import UNREALIZED, EventMention, value_precision

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["Evidence", "Timeline", "TimelineEntry"]

REPORT_BEFORE = 7  # a past event dated by its report happened up to a week before it
PLANNED_AFTER = 30  # a planned event dated by its report is due within a month after it
CONFLICT_DAYS = 7
NEAR_CHARS = 600  # same-article coreference window for mentions without participants
SIMILAR = 0.2  # Jaccard of clause lemmas for "similar wording"
RELATED = 0.25  # … when the two mentions use different trigger words
PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "report": 4}

NodeKey = tuple[str, int, int]
Day = (
    date  # ``TimelineEntry.date`` shadows the type inside the class  # article id, trigger start, trigger end
)


@dataclass(frozen=True, kw_only=True, slots=True)
class Evidence:
    """One article's mention of an entry's event."""

    article_id: str
    outlet: str | None
    published: date | None
    start: int
    end: int
    text: str
    lemma: str
    sentence: tuple[int, int]
    date_value: str | None
    date_source: str
    precision: str
    planned: bool
    modality: str
    participants: tuple[str, ...]
    place: tuple[int, int] | None = None  # the place mention's span ("in Doha")


@dataclass(frozen=True, kw_only=True, slots=True)
class TimelineEntry:
    """One event on the timeline with every piece of evidence and the outlets reporting it.

    ``date`` is an ISO value at ``precision`` (``day``/``week``/``month``/``year``), or the report
    date with ``precision="report"`` and ``approximate=True``. ``date_conflict`` lists the days the
    outlets disagree on (empty when they agree). ``planned`` is true while every mention announces
    the event for later.
    """

    id: str
    type: str
    date: str | None
    precision: str
    approximate: bool
    date_conflict: tuple[str, ...]
    planned: bool
    participants: tuple[str, ...]
    places: tuple[str, ...]
    lemmas: tuple[str, ...]
    outlets: tuple[str, ...]
    articles: tuple[str, ...]
    stories: tuple[str, ...]
    evidence: tuple[Evidence, ...]

    @property
    def start(self) -> Day | None:
        """The first day of the entry's date (of its week, month or year)."""
        return _value_interval(self.date)[0] if self.date else None


@dataclass(frozen=True, kw_only=True, slots=True)
class _Node:
    key: NodeKey
    type: str
    lemma: str
    actors: frozenset[str]
    place: str | None
    keys: frozenset[str]  # the actors and the place: what blocking and linking compare
    lo: date | None
    hi: date | None
    exact_day: date | None  # a day-precision date from a time expression
    report: bool
    words: frozenset[str]
    sentence: int
    bare: bool
    evidence: Evidence
    timex: tuple[int, int] | None = None  # the expression that dates the mention (article offsets)
    shared: bool = False  # dated by another mention of the same event in its article


def _value_interval(value: str | None) -> tuple[date | None, date | None]:
    p = value_precision(value)
    if p is None or value is None:
        return None, None
    try:
        if p == "day":
            d = date.fromisoformat(value[:10])
            return d, d
        year = int(value[:4])
        if p == "week":
            lo = date.fromisocalendar(year, int(value[6:8]), 1)
            if value.endswith("-WE"):
                return lo + timedelta(days=5), lo + timedelta(days=6)  # its weekend
            return lo, lo + timedelta(days=6)
        if p == "month":
            month = int(value[5:7])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None, None


def _months(lo: date, hi: date) -> list[str]:
    out: list[str] = []
    y, m = lo.year, lo.month
    while (y, m) <= (hi.year, hi.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


class _DayBlocks:
    """Node keys by ``(type, participant)`` block and day, the days of each block kept in order: the
    nodes of a day range are read without scanning the block's other days."""

    __slots__ = ("_days", "_order")

    def __init__(self) -> None:
        self._days: dict[tuple[str, str], dict[date, list[NodeKey]]] = {}
        self._order: dict[tuple[str, str], list[date]] = {}

    def add(self, block: tuple[str, str], day: date, key: NodeKey) -> None:
        days = self._days.setdefault(block, {})
        nodes = days.get(day)
        if nodes is None:
            days[day] = nodes = []
            insort(self._order.setdefault(block, []), day)
        nodes.append(key)

    def between(self, block: tuple[str, str], lo: date, hi: date) -> Iterator[tuple[date, list[NodeKey]]]:
        """``(day, node keys)`` of the block's days from ``lo`` to ``hi`` (inclusive), in day order."""
        order = self._order.get(block)
        if not order:
            return
        days = self._days[block]
        for i in range(bisect_left(order, lo), len(order)):
            day = order[i]
            if day > hi:
                return
            yield day, days[day]

    def clear(self) -> None:
        self._days.clear()
        self._order.clear()


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """The Jaccard similarity of two word sets (0 when either is empty): how alike two wordings are."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class Timeline:
    """An incremental, order-independent merge of event mentions into timeline entries."""

    def __init__(self) -> None:
        self._nodes: dict[NodeKey, _Node] = {}
        self._parent: dict[NodeKey, NodeKey] = {}
        # blocks (see the module docstring): every node of a day; nodes without participants of a
        # day; day-precision nodes by participant and day; report-dated ones by participant and
        # report day (past and planned apart); week/month/year ones by month and participant
        self._by_day: dict[tuple[str, date], list[NodeKey]] = defaultdict(list)
        self._keyless_day: dict[tuple[str, date], list[NodeKey]] = defaultdict(list)
        self._exact = _DayBlocks()
        self._past = _DayBlocks()
        self._planned = _DayBlocks()
        self._intervals: dict[tuple[str, str, str], list[NodeKey]] = defaultdict(list)
        # a day-precision block's members by their wording: whether a node 1-7 days off links to a
        # member of another article depends only on the wording (see ``_join_days``)
        self._wordings: dict[NodeKey, dict[frozenset[str], list[NodeKey]]] = {}
        self._by_article: dict[str, list[NodeKey]] = defaultdict(list)
        self._stories: dict[str, str] = {}
        # links involving a mention dated only by its report; resolved when entries are read, so
        # such a mention joins one dated event and never bridges two
        self._links: dict[NodeKey, set[NodeKey]] = defaultdict(set)

    # ------------------------------------------------------------ building
    def add(
        self,
        article_id: str,
        events: Iterable[EventMention],
        *,
        published: date | None,
        outlet: str | None,
        actor_of: Callable[[int, int], str | None],
        story: str | None = None,
    ) -> None:
        """Add one article's event mentions; an article added again replaces its earlier version."""
        if article_id in self._by_article:
            self.remove(article_id)
        if story is not None:
            self._stories[article_id] = story
        self._by_article[article_id] = []
        for ev in events:
            if ev.modality in UNREALIZED:
                continue  # "did not meet", "could meet", "urged to meet": nothing happened (yet)
            self._insert(self._node(article_id, ev, published, outlet, actor_of))

    def remove(self, article_id: str) -> None:
        """Take an article's mentions off the timeline (re-links the rest: linear in the timeline)."""
        if article_id not in self._by_article:
            return
        keep = [n for key, n in sorted(self._nodes.items()) if key[0] != article_id]
        articles = [a for a in self._by_article if a != article_id]
        self._stories.pop(article_id, None)
        self._nodes.clear()
        self._parent.clear()
        self._links.clear()
        self._by_day.clear()
        self._keyless_day.clear()
        self._exact.clear()
        self._past.clear()
        self._planned.clear()
        self._intervals.clear()
        self._wordings.clear()
        self._by_article.clear()
        for a in articles:
            self._by_article[a] = []
        for node in keep:
            self._insert(node)

    def _insert(self, node: _Node) -> None:
        if node.key in self._nodes:
            return
        self._nodes[node.key] = node
        self._parent[node.key] = node.key
        if not node.report:
            self._join_days(node)
        for other in self._candidates(node):
            if other == node.key:
                continue
            peer = self._nodes[other]
            # already one entry: a link would change nothing (the usual case when many articles
            # report one event, so dense blocks cost one comparison per entry, not per mention)
            if not node.report and not peer.report and self._find(other) == self._find(node.key):
                continue
            if not self._linked(node, peer):
                continue
            if node.report or self._nodes[other].report:
                self._links[node.key].add(other)
                self._links[other].add(node.key)
            else:
                self._union(node.key, other)
        self._index(node)

    def _node(
        self,
        article_id: str,
        ev: EventMention,
        published: date | None,
        outlet: str | None,
        actor_of: Callable[[int, int], str | None],
    ) -> _Node:
        actors = []
        for s, e, _role in ev.participants:
            a = actor_of(s, e)
            if a is not None and a not in actors:
                actors.append(a)
        place = actor_of(*ev.place) if ev.place is not None else None
        report = ev.date_source == "report" or ev.date_value is None or value_precision(ev.date_value) is None
        exact_day: date | None = None
        if report:
            if published is None:
                lo = hi = None
            elif ev.planned:
                lo, hi = published, published + timedelta(days=PLANNED_AFTER)
            else:
                lo, hi = published - timedelta(days=REPORT_BEFORE), published
        else:
            lo, hi = _value_interval(ev.date_value)
            if value_precision(ev.date_value) == "day":
                exact_day = lo
        evidence = Evidence(
            article_id=article_id,
            outlet=outlet,
            published=published,
            start=ev.start,
            end=ev.end,
            text=ev.text,
            lemma=ev.lemma,
            sentence=ev.sentence,
            date_value=ev.date_value if not report else (published.isoformat() if published else None),
            date_source="report" if report else ev.date_source,
            precision="report" if report else ev.precision,
            planned=ev.planned,
            modality=ev.modality,
            participants=tuple(actors),
            place=ev.place,
        )
        return _Node(
            key=(article_id, ev.start, ev.end),
            type=ev.type,
            lemma=ev.lemma,
            actors=frozenset(actors),
            place=place,
            keys=frozenset(actors) | ({place} if place is not None else frozenset()),
            lo=lo,
            hi=hi,
            exact_day=exact_day,
            report=report,
            words=frozenset(ev.words),
            sentence=ev.sentence[0],
            bare=not actors and place is None and report,
            evidence=evidence,
            timex=ev.timex if not report else None,
            shared=ev.date_source == "event" and not report,
        )

    def _index(self, node: _Node) -> None:
        key = node.key
        self._by_article[key[0]].append(key)
        if node.exact_day is not None:
            self._by_day[(node.type, node.exact_day)].append(key)
            if not node.keys:
                self._keyless_day[(node.type, node.exact_day)].append(key)
        if node.lo is None or node.hi is None:
            return
        for actor in node.keys:
            block = (node.type, actor)
            if node.exact_day is not None:
                self._exact.add(block, node.exact_day, key)
                first = next(self._exact.between(block, node.exact_day, node.exact_day))[1][0]
                self._wordings.setdefault(first, {}).setdefault(node.words, []).append(key)
            elif node.report and node.evidence.published is not None:
                days = self._planned if node.evidence.planned else self._past
                days.add(block, node.evidence.published, key)
            else:
                for month in _months(node.lo, node.hi):
                    self._intervals[(node.type, month, actor)].append(key)

    def _join_days(self, node: _Node) -> None:
        """Join a dated node to the day-precision blocks of its participants it links to: a block of
        a day inside the node's interval is one entry that the node joins (through its first
        member); a block 1-7 days off a day-precision node's day joins when a member links (two
        outlets disagreeing on the date), and is skipped when the node is in its entry already."""
        if node.lo is None or node.hi is None or not node.keys:
            return
        wide = timedelta(days=CONFLICT_DAYS if node.exact_day is not None else 0)
        off: list[list[NodeKey]] = []  # the other days' blocks, tried once the node is in its entry
        for actor in node.keys:
            for day, block in self._exact.between((node.type, actor), node.lo - wide, node.hi + wide):
                if node.lo <= day <= node.hi:
                    self._union(node.key, block[0])
                else:
                    off.append(block)
        for block in off:
            if self._find(block[0]) == self._find(node.key):
                continue
            # one type, one participant, one day 1-7 days off: a member of another article links
            # when the wording is similar, so one member per wording is tested
            for members in self._wordings[block[0]].values():
                other = next((m for m in members if m[0] != node.key[0]), None)
                if other is not None and self._linked(node, self._nodes[other]):
                    self._union(node.key, other)
                    break

    def _candidates(self, node: _Node) -> set[NodeKey]:
        """The nodes to compare ``node`` with one by one: its article's, the same day's without
        participants, and, per participant, the week/month/year nodes of its months and the
        report-dated nodes whose window can overlap its dates (plus, for a report-dated node, the
        day-precision nodes inside its window; a dated node meets those in :meth:`_join_days`)."""
        out: set[NodeKey] = set(self._by_article.get(node.key[0], ()))
        if node.exact_day is not None:
            same_day = self._keyless_day if node.keys else self._by_day
            out.update(same_day.get((node.type, node.exact_day), ()))
        lo, hi = node.lo, node.hi
        if lo is None or hi is None or not node.keys:
            return out
        months = _months(lo, hi)
        before, after = timedelta(days=REPORT_BEFORE), timedelta(days=PLANNED_AFTER)
        for actor in node.keys:
            block = (node.type, actor)
            for month in months:
                out.update(self._intervals.get((node.type, month, actor), ()))
            # a past report-dated mention of day q fits [q - 7, q], a planned one [q, q + 30]
            for _day, keys in self._past.between(block, lo, hi + before):
                out.update(keys)
            for _day, keys in self._planned.between(block, lo - after, hi):
                out.update(keys)
            if node.report:
                for _day, keys in self._exact.between(block, lo, hi):
                    out.update(keys)
        return out

    # ------------------------------------------------------------ the link relation (symmetric)
    @staticmethod
    def _dates_fit(a: _Node, b: _Node) -> bool:
        if a.lo is None or a.hi is None or b.lo is None or b.hi is None:
            return a.report and b.report and a.key[0] == b.key[0]
        if a.exact_day is not None and b.exact_day is not None:
            return a.exact_day == b.exact_day
        return a.lo <= b.hi and b.lo <= a.hi

    def _linked(self, a: _Node, b: _Node) -> bool:
        if a.type != b.type:
            return False
        same_article = a.key[0] == b.key[0]
        if same_article and (a.shared or b.shared) and a.timex is not None and a.timex == b.timex:
            # "the upcoming call" dated by "a call … on May 19" in the same article is that call
            return self._dates_fit(a, b)
        if a.bare or b.bare or not a.keys or not b.keys:
            if same_article:
                return abs(a.sentence - b.sentence) <= NEAR_CHARS and self._dates_fit(a, b)
            # across articles: the same day and wording; another word for it ("will meet" / "the
            # meeting") needs a closer wording
            return (
                not same_article
                and a.exact_day is not None
                and a.exact_day == b.exact_day
                and jaccard(a.words, b.words) >= (SIMILAR if a.lemma == b.lemma else RELATED)
            )
        if not a.keys & b.keys:
            # "Kyiv was hit by one of the largest attacks …, with Russia firing 460 drones": in one
            # article and a few sentences, a mention naming only the place and one naming only who
            # acted are one event when nothing they name differs
            return (
                same_article
                and (not a.actors or not b.actors)
                and (a.place is None or b.place is None or a.place == b.place)
                and abs(a.sentence - b.sentence) <= NEAR_CHARS
                and self._dates_fit(a, b)
            )
        if self._dates_fit(a, b):
            if (a.report or b.report) and not same_article and a.lemma != b.lemma:
                # a mention dated only by its report joins another article's event in its words
                return jaccard(a.words, b.words) >= SIMILAR
            if a.report and b.report and not same_article:
                # two mentions dated only by their reports: the same wording, the same report day
                return (
                    a.lemma == b.lemma
                    and a.evidence.published == b.evidence.published
                    and jaccard(a.words, b.words) >= SIMILAR
                )
            return True
        if a.exact_day is not None and b.exact_day is not None and not same_article:
            gap = abs((a.exact_day - b.exact_day).days)
            return 1 <= gap <= CONFLICT_DAYS and jaccard(a.words, b.words) >= SIMILAR
        return False

    # ------------------------------------------------------------ union-find
    def _find(self, key: NodeKey) -> NodeKey:
        root = key
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[key] != root:
            self._parent[key], key = root, self._parent[key]
        return root

    def _union(self, a: NodeKey, b: NodeKey) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self._parent[hi] = lo

    # ------------------------------------------------------------ reading
    def __len__(self) -> int:
        return len(self.entries())

    def entries(
        self,
        story: str | None = None,
        actor: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
    ) -> list[TimelineEntry]:
        """The timeline's entries in date order, filtered by story, actor and date range."""
        groups = self._groups()
        since_d = date.fromisoformat(since) if isinstance(since, str) else since
        until_d = date.fromisoformat(until) if isinstance(until, str) else until
        out: list[TimelineEntry] = []
        for nodes in groups.values():
            if all(n.bare for n in nodes):
                continue
            entry = self._entry(sorted(nodes, key=lambda n: n.key))
            if story is not None and story not in entry.stories:
                continue
            if actor is not None and actor not in entry.participants:
                continue
            start = entry.start
            if since_d is not None and (start is None or start < since_d):
                continue
            if until_d is not None and (start is None or start > until_d):
                continue
            out.append(entry)
        out.sort(key=_sort_key)
        return out

    def _groups(self) -> dict[NodeKey, list[_Node]]:
        """Dated mentions by component; each report-dated mention joins its best dated neighbour,
        or else groups with the report-dated mentions it links to."""
        groups: dict[NodeKey, list[_Node]] = defaultdict(list)
        loose: list[_Node] = []
        for key, node in self._nodes.items():
            if node.report:
                loose.append(node)
            else:
                groups[self._find(key)].append(node)
        unplaced: dict[NodeKey, NodeKey] = {}
        for node in loose:
            dated = [self._nodes[k] for k in self._links.get(node.key, ()) if not self._nodes[k].report]
            if dated:
                best = max(dated, key=partial(self._affinity, node))
                groups[self._find(best.key)].append(node)
            else:
                unplaced[node.key] = node.key
        # the report-dated mentions left: single link among themselves

        def find(k: NodeKey) -> NodeKey:
            while unplaced[k] != k:
                unplaced[k] = unplaced[unplaced[k]]
                k = unplaced[k]
            return k

        for key in sorted(unplaced):
            for other in self._links.get(key, ()):
                if other in unplaced:
                    ra, rb = find(key), find(other)
                    if ra != rb:
                        unplaced[max(ra, rb)] = min(ra, rb)
        for key in sorted(unplaced):
            groups[find(key)].append(self._nodes[key])
        return groups

    @staticmethod
    def _affinity(node: _Node, other: _Node) -> tuple[int, int, float, int, NodeKey]:
        distance = 0
        if node.evidence.published is not None and other.lo is not None:
            distance = abs((node.evidence.published - other.lo).days)
        return (
            len(node.keys & other.keys),
            int(node.key[0] == other.key[0]),
            jaccard(node.words, other.words),
            -distance,
            other.key,  # a deterministic tie-break
        )

    def _entry(self, nodes: list[_Node]) -> TimelineEntry:
        evidence = tuple(n.evidence for n in nodes)
        days: Counter[date] = Counter()
        seen: set[tuple[str, date]] = set()
        # a day read off the narrative ("narrative") counts only when no expression dates the event
        told = [n for n in nodes if n.exact_day is not None and n.evidence.date_source != "narrative"]
        for n in told or nodes:
            if n.exact_day is not None and (n.key[0], n.exact_day) not in seen:
                seen.add((n.key[0], n.exact_day))
                days[n.exact_day] += 1
        conflict: tuple[str, ...] = ()
        value: str | None
        if days:
            best = max(days.items(), key=lambda kv: (kv[1], -kv[0].toordinal()))[0]
            value, precision, approximate = best.isoformat(), "day", False
            if len(days) > 1:
                conflict = tuple(d.isoformat() for d in sorted(days))
        else:
            dated = [e for e in evidence if e.precision != "report" and e.date_value]
            if dated:
                rank = min(PRECISION_RANK.get(e.precision, 9) for e in dated)
                values = Counter(e.date_value for e in dated if PRECISION_RANK.get(e.precision, 9) == rank)
                value = sorted(values.items(), key=lambda kv: (-kv[1], kv[0] or ""))[0][0]
                approximate = False
                precision = next(p for p, r in PRECISION_RANK.items() if r == rank)
            else:
                reports = sorted(e.published for e in evidence if e.published is not None)
                value = reports[0].isoformat() if reports else None
                precision, approximate = "report", True
        actors: Counter[str] = Counter()
        for n in nodes:
            actors.update(n.actors)
        places = sorted({n.place for n in nodes if n.place is not None})
        outlets = sorted({e.outlet for e in evidence if e.outlet})
        articles = sorted({e.article_id for e in evidence})
        stories = sorted({self._stories[a] for a in articles if a in self._stories})
        first = nodes[0].key
        digest = hashlib.sha1(f"{first[0]}:{first[1]}:{first[2]}".encode()).hexdigest()[:12]
        return TimelineEntry(
            id=f"ev-{digest}",
            type=nodes[0].type,
            date=value,
            precision=precision,
            approximate=approximate,
            date_conflict=conflict,
            planned=all(e.planned for e in evidence),
            participants=tuple(a for a, _ in sorted(actors.items(), key=lambda kv: (-kv[1], kv[0]))),
            places=tuple(places),
            lemmas=tuple(sorted({e.lemma for e in evidence})),
            outlets=tuple(outlets),
            articles=tuple(articles),
            stories=tuple(stories),
            evidence=evidence,
        )


def _sort_key(entry: TimelineEntry) -> tuple[date, int, str, str]:
    start = entry.start or date.max
    return (start, PRECISION_RANK.get(entry.precision, 9), entry.type, entry.id)
