"""Corrections a person makes to the machine's output, and how the views apply them.

A correction is stored in the store's own ``corrections`` table (never in ``analyses``), with who
made it and when, so ``storyline analyze --force`` does not touch it and it applies again to the
new analysis. It names the machine item it corrects by **stable keys** that survive re-analysis —
an article id and the character span of a statement, time expression, event trigger or figure;
actor ids and names — never by row numbers. When a re-analysis no longer finds the item, the
correction is kept and reported as *orphaned* (:func:`orphan_reason`).

========== ====================================================== ==========================================
kind       target                                                 value
========== ====================================================== ==========================================
speaker    ``{article, start, end}``: a statement's content span  ``{actor, name}`` or ``{anonymous}``
date       ``{article, of: "published"}``                         ``{date}``: an ISO date or datetime
date       ``{article, of: "timex" | "event", start, end}``       ``{date}``: a TIMEX3 / calendar value
actor_merge ``{actors: [id, …]}``                                 ``{into, names}``
actor_split ``{actor, articles, mentions: [[article, start]…]}``  ``{into}``
actor_rename ``{actor}``                                          ``{name}``
event_merge ``{events: [{article, start, end}, …]}``              ``{}``
event_split ``{article, start, end}``: an event trigger           ``{}``
figure     ``{article, start, end}``: a figure's span             ``{what?, unit?, value?, value_high?}``
========== ====================================================== ==========================================

Actor merges, splits and renames go through the same mechanism as the overrides file
(:mod:`storyline.overrides`): :meth:`Applied.overrides` adds them to the file's entries, the
corrections first (newest first), so a correction wins over the file. Everything a correction
changes carries ``"corrected": {"id", "by", "at", "note"}`` in the views.

:func:`prepare` turns what a person typed (an id prefix, an approximate span, an actor name) into
the stable target and value, checked against the corpus as it is now; it raises
:class:`~storyline.errors.UsageError` (E401) for a malformed correction and
:class:`~storyline.errors.NotFound` (E302) when the item it names does not exist.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

from .errors import NotFound, UsageError
from .gazetteer import normalize
from .model import Article, MetaValue

if TYPE_CHECKING:
    from .analyze.events import EventMention
    from .analyze.figures import Figure
    from .analyze.pipeline import Analysis
    from .analyze.timex import TimeExpr
    from .link.actors import ActorIndex
    from .link.timeline import Evidence, Timeline, TimelineEntry
    from .overrides import Overrides

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "KINDS",
    "Applied",
    "Correction",
    "orphan_reason",
    "prepare",
]

KINDS = (
    "speaker",
    "date",
    "actor_merge",
    "actor_split",
    "actor_rename",
    "event_merge",
    "event_split",
    "figure",
)
#: what a date correction can correct (``target["of"]``)
DATE_TARGETS = ("published", "timex", "event")
#: the fields of a figure a correction may set
FIGURE_FIELDS = ("what", "unit", "value", "value_high", "value_text")
#: the provenance of a publication date a person corrected (beside given/html/text/inferred)
CORRECTED = "corrected"

_TIMEX_VALUE = re.compile(
    r"^(?:\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}(?::\d{2}){0,2})?)?|-W\d{2}|-Q[1-4]|-H[12]|-(?:SP|SU|FA|WI))?"
    r"|\d{3}X|\d{2}XX|P[0-9YMWDTHS.X]+|PT[0-9HMS.X]+|PRESENT_REF|PAST_REF|FUTURE_REF)$"
)
_CALENDAR = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?|-W\d{2})?$")


@dataclass(frozen=True, kw_only=True, slots=True)
class Correction:
    """One stored correction (``target`` and ``value`` are plain JSON data)."""

    id: int
    kind: str
    target: dict[str, Any] = field(hash=False)
    value: Any = field(hash=False)
    author: str
    created_at: datetime
    note: str | None = None
    active: bool = True

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Correction:
        return cls(
            id=int(row["id"]),
            kind=str(row["kind"]),
            target=dict(row["target"]),
            value=row["value"],
            author=str(row["author"]),
            created_at=row["created_at"],
            note=row.get("note"),
            active=bool(row.get("active", True)),
        )

    def marker(self) -> dict[str, Any]:
        """What a corrected row carries: ``{"id", "by", "at", "note"}``."""
        return {"id": self.id, "by": self.author, "at": self.created_at.isoformat(), "note": self.note}

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "target": self.target,
            "value": self.value,
            "author": self.author,
            "created_at": self.created_at.isoformat(),
            "note": self.note,
            "active": self.active,
        }

    def describe(self) -> str:
        """One line for a person: what was corrected to what."""
        t, v = self.target, self.value
        if self.kind == "speaker":
            who = v.get("name") or v.get("actor") or f"anonymous: {v.get('anonymous')}"
            return f"speaker of {t['article']} {t['start']}-{t['end']} → {who}"
        if self.kind == "date":
            where = t["article"] if t["of"] == "published" else f"{t['article']} {t['start']}-{t['end']}"
            return f"{t['of']} date of {where} → {v['date']}"
        if self.kind == "actor_merge":
            return f"merge {', '.join(t['actors'])} → {v['into']}"
        if self.kind == "actor_split":
            return f"split {t['actor']} → {v['into']}"
        if self.kind == "actor_rename":
            return f"rename {t['actor']} → {v['name']}"
        if self.kind == "event_merge":
            return "merge events " + " + ".join(
                f"{e['article']} {e['start']}-{e['end']}" for e in t["events"]
            )
        if self.kind == "event_split":
            return f"split event {t['article']} {t['start']}-{t['end']} from its entry"
        if self.kind == "figure":
            return f"figure {t['article']} {t['start']}-{t['end']} → " + ", ".join(
                f"{k}={v[k]}" for k in FIGURE_FIELDS if k in v
            )
        return f"{self.kind} {t}"


SpanKey = tuple[str, int, int]


def _key(target: Mapping[str, Any]) -> SpanKey:
    return (str(target["article"]), int(target["start"]), int(target["end"]))


class Applied:
    """The active corrections, indexed for the views; built once per linking of the corpus.

    The latest correction of an item wins (corrections are given oldest first).
    """

    def __init__(self, corrections: Iterable[Correction]) -> None:
        self.corrections: tuple[Correction, ...] = tuple(c for c in corrections if c.active)
        self.published: dict[str, Correction] = {}
        self.speakers: dict[SpanKey, Correction] = {}
        self.timexes: dict[SpanKey, Correction] = {}
        self.events: dict[SpanKey, Correction] = {}
        self.figures: dict[SpanKey, Correction] = {}
        self.event_merges: list[Correction] = []
        self.event_splits: dict[SpanKey, Correction] = {}
        self.actor_changes: list[Correction] = []
        for c in self.corrections:
            t = c.target
            if c.kind == "speaker":
                self.speakers[_key(t)] = c
            elif c.kind == "date" and t["of"] == "published":
                self.published[t["article"]] = c
            elif c.kind == "date":
                (self.timexes if t["of"] == "timex" else self.events)[_key(t)] = c
            elif c.kind == "figure":
                self.figures[_key(t)] = c
            elif c.kind == "event_merge":
                self.event_merges.append(c)
            elif c.kind == "event_split":
                self.event_splits[_key(t)] = c
            elif c.kind in ("actor_merge", "actor_split", "actor_rename"):
                self.actor_changes.append(c)

    def __bool__(self) -> bool:
        return bool(self.corrections)

    # -- articles and actors ---------------------------------------------------------------------

    def article(self, article: Article) -> Article:
        """``article`` with its corrected publication date (provenance ``corrected``), if any."""
        c = self.published.get(article.id)
        if c is None:
            return article
        published = MetaValue(
            value=str(c.value["date"]),
            provenance=cast(Any, CORRECTED),
            confidence=1.0,
            evidence=f"correction #{c.id} by {c.author}",
        )
        return article.with_meta(replace(article.meta, published=published))

    def overrides(self, base: Overrides | None) -> Overrides | None:
        """``base`` (the overrides file) with the actor corrections added before its entries."""
        from .overrides import Merge, Overrides, Rename, Split

        if not self.actor_changes:
            return base
        merges, splits, renames = [], [], []
        for c in reversed(self.actor_changes):  # newest first: the first matching entry wins
            t, v = c.target, c.value
            if c.kind == "actor_merge":
                merges.append(Merge(into=v["into"], names=tuple(v["names"])))
            elif c.kind == "actor_split":
                mentions = tuple((str(a), int(s)) for a, s in t.get("mentions", ()))
                splits.append(
                    Split(
                        actor=t["actor"],
                        into=v["into"],
                        mentions=mentions,
                        articles=tuple(t.get("articles", ())),
                    )
                )
            else:
                renames.append(Rename(actor=t["actor"], name=v["name"]))
        base = base or Overrides()
        return Overrides(
            merges=(*merges, *base.merges),
            splits=(*splits, *base.splits),
            renames=(*renames, *base.renames),
            path=base.path,
        )

    def actor_markers(self, actors: Mapping[str, Any]) -> dict[str, Correction]:
        """Actor id → the latest correction that made it what it is (a merge, split, rename)."""
        out: dict[str, Correction] = {}
        by_name: dict[str, list[str]] = {}
        for actor in actors.values():
            by_name.setdefault(normalize(actor.name), []).append(actor.id)
        for c in self.actor_changes:
            if c.kind == "actor_rename":
                ids = (
                    [c.target["actor"]]
                    if c.target["actor"] in actors
                    else by_name.get(normalize(c.value["name"]), [])
                )
            else:
                ids = by_name.get(normalize(c.value["into"]), [])
            for actor_id in ids:
                out[actor_id] = c
        return out

    # -- per-article items ---------------------------------------------------------------------

    def resolved_timexes(self, article: Article, analysis: Analysis) -> tuple[TimeExpr, ...]:
        """The article's time expressions resolved against its (corrected) date, corrections applied."""
        from .analyze.pipeline import article_date, resolved_timexes

        timexes = resolved_timexes(analysis, article_date(article))
        if not self.timexes:
            return timexes
        out = []
        for t in timexes:
            c = self.timexes.get((article.id, t.start, t.end))
            out.append(t if c is None else replace(t, value=str(c.value["date"]), relative=None))
        return tuple(out)

    def resolved_events(self, article: Article, analysis: Analysis) -> tuple[EventMention, ...]:
        """The article's events dated from the corrected time expressions, event dates corrected."""
        from .analyze.events import resolve_events, value_precision
        from .analyze.pipeline import article_date

        events = resolve_events(
            analysis.events, self.resolved_timexes(article, analysis), article_date(article)
        )
        if not self.events:
            return events
        out = []
        for ev in events:
            c = self.events.get((article.id, ev.start, ev.end))
            if c is None:
                out.append(ev)
                continue
            value = str(c.value["date"])
            out.append(
                replace(
                    ev,
                    date_value=value,
                    date_source=cast(Any, CORRECTED),
                    precision=value_precision(value) or ev.precision,
                )
            )
        return tuple(out)

    def figure(self, article_id: str, figure: Figure) -> tuple[Figure, Correction | None]:
        """``figure`` with what a person set (what it counts, unit, value), and the correction."""
        c = self.figures.get((article_id, figure.start, figure.end))
        if c is None:
            return figure, None
        changes = {k: c.value[k] for k in FIGURE_FIELDS if k in c.value}
        for k in ("value", "value_high"):
            if changes.get(k) is not None:
                changes[k] = float(changes[k])
        return replace(figure, **changes), c

    def speaker(self, article_id: str, item: dict[str, Any], index: ActorIndex) -> None:
        """Set a statement item's speaker (``speaker_actor``, ``speaker_name``, ``speaker_kind``,
        ``anonymous``) to what a person said it is, and mark it."""
        content = item["content"]
        c = self.speakers.get((article_id, content["start"], content["end"]))
        if c is None:
            return
        if "anonymous" in c.value:
            item.update(
                speaker=None,  # the span the machine took for the speaker is not the speaker
                speaker_actor=None,
                speaker_name=None,
                speaker_kind="anonymous",
                anonymous={"count": None, "affiliation": None, "descriptor": c.value["anonymous"]},
            )
        else:
            actor = index.actors.get(c.value["actor"])
            item.update(
                speaker_actor=c.value["actor"],
                speaker_name=actor.name if actor is not None else c.value["name"],
                speaker_kind="named",
                anonymous=None,
            )
        item["corrected"] = c.marker()

    def position_holder(
        self, article_id: str, analysis: Analysis, position: Any
    ) -> tuple[str | None, dict[str, Any]] | None:
        """For a position held by the speaker of a statement whose speaker a person corrected: the
        corrected holder (an actor id, or ``None`` for an anonymous source) and the correction's
        marker; ``None`` when no correction concerns it."""
        k = position.statement
        if position.holder_source != "speaker" or k is None or not 0 <= k < len(analysis.statements):
            return None
        start, end = analysis.statements[k].content
        c = self.speakers.get((article_id, start, end))
        if c is None:
            return None
        return (None if "anonymous" in c.value else str(c.value["actor"])), c.marker()

    def annotate(self, annotations: dict[str, Any], article: Article, index: ActorIndex) -> None:
        """Apply the corrections to one article's export annotations (in place) and mark them."""
        for item in annotations.get("statements", ()):
            self.speaker(article.id, item, index)
        for name, table in (("timexes", self.timexes), ("events", self.events)):
            for item in annotations.get(name, ()):
                c = table.get((article.id, item["start"], item["end"]))
                if c is not None:
                    item["corrected"] = c.marker()
        for item in annotations.get("figures", ()):
            c = self.figures.get((article.id, item["start"], item["end"]))
            if c is not None:
                item.update({k: c.value[k] for k in FIGURE_FIELDS if k in c.value})
                item["corrected"] = c.marker()

    def mark(self, kind: str, article_id: str, start: int, end: int) -> dict[str, Any] | None:
        """The marker of the correction of one item (``kind``: speaker, timex, event, figure)."""
        table = {
            "speaker": self.speakers,
            "timex": self.timexes,
            "event": self.events,
            "figure": self.figures,
        }
        c = table[kind].get((article_id, start, end))
        return None if c is None else c.marker()

    # -- timeline ------------------------------------------------------------------------------

    def entries(
        self,
        timeline: Timeline,
        *,
        actor: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
    ) -> list[TimelineEntry]:
        """``timeline.entries(actor=…, since=…, until=…)`` with the event merges and splits applied
        before the filters (a merged entry is kept when the merged whole passes them)."""
        if not self.event_merges and not self.event_splits:
            return timeline.entries(actor=actor, since=since, until=until)
        return filter_entries(
            self.timeline_entries(timeline.entries()), actor=actor, since=since, until=until
        )

    def timeline_entries(self, entries: Sequence[TimelineEntry]) -> list[TimelineEntry]:
        """Entries with the event merges and splits applied (dates re-derived from the evidence)."""
        if not self.event_merges and not self.event_splits:
            return list(entries)
        groups: list[_Group] = []
        for e in entries:
            evidence = list(e.evidence)
            for ev in list(evidence):
                if (ev.article_id, ev.start, ev.end) in self.event_splits and len(evidence) > 1:
                    evidence.remove(ev)
                    groups.append(_Group([ev], e.type, e.stories, ()))
            groups.append(_Group(evidence, e.type, e.stories, e.places))
        for c in self.event_merges:
            keys = {_key(x) for x in c.target["events"]}
            hit = [g for g in groups if any((ev.article_id, ev.start, ev.end) in keys for ev in g.evidence)]
            if len(hit) < 2:
                continue
            groups = [g for g in groups if not any(g is h for h in hit)]
            groups.append(
                _Group(
                    [ev for g in hit for ev in g.evidence],
                    hit[0].type,
                    tuple(sorted({s for g in hit for s in g.stories})),
                    tuple(sorted({p for g in hit for p in g.places})),
                )
            )
        out = [_entry(g) for g in groups]
        from .link.timeline import _sort_key  # the timeline's own order

        out.sort(key=_sort_key)
        return out

    def entry_marker(self, entry: TimelineEntry) -> dict[str, Any] | None:
        """The latest correction that shaped a timeline entry (a merge, a split, a corrected date)."""
        keys = {(ev.article_id, ev.start, ev.end) for ev in entry.evidence}
        found: list[Correction] = [
            c for c in self.event_merges if keys & {_key(e) for e in c.target["events"]}
        ]
        found += [c for k, c in self.event_splits.items() if k in keys]
        found += [c for k, c in self.events.items() if k in keys]
        return max(found, key=lambda c: c.id).marker() if found else None


@dataclass(slots=True)
class _Group:
    """The evidence of one timeline entry being re-formed by event merges and splits."""

    evidence: list[Evidence]
    type: str
    stories: tuple[str, ...]
    places: tuple[str, ...]


def _entry(group: _Group) -> TimelineEntry:
    """A timeline entry of a group's evidence (as :class:`~storyline.link.timeline.Timeline` makes
    one: the day most articles give, else the finest value, else the report date, approximate)."""
    from .link.timeline import PRECISION_RANK, TimelineEntry

    evidence = sorted(group.evidence, key=lambda ev: (ev.article_id, ev.start, ev.end))
    days: Counter[str] = Counter()
    for _, day in {(ev.article_id, ev.date_value) for ev in evidence if ev.precision == "day"}:
        if day:
            days[day[:10]] += 1
    conflict: tuple[str, ...] = ()
    if days:
        value: str | None = sorted(days.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        precision, approximate = "day", False
        if len(days) > 1:
            conflict = tuple(sorted(days))
    else:
        dated = [ev for ev in evidence if ev.precision != "report" and ev.date_value]
        if dated:
            rank = min(PRECISION_RANK.get(ev.precision, 9) for ev in dated)
            values = Counter(ev.date_value for ev in dated if PRECISION_RANK.get(ev.precision, 9) == rank)
            value = sorted(values.items(), key=lambda kv: (-kv[1], kv[0] or ""))[0][0]
            precision = next(p for p, r in PRECISION_RANK.items() if r == rank)
            approximate = False
        else:
            reports = sorted(ev.published for ev in evidence if ev.published is not None)
            value = reports[0].isoformat() if reports else None
            precision, approximate = "report", True
    actors: Counter[str] = Counter(a for ev in evidence for a in ev.participants)
    first = evidence[0]
    digest = hashlib.sha1(f"{first.article_id}:{first.start}:{first.end}".encode()).hexdigest()[:12]
    return TimelineEntry(
        id=f"ev-{digest}",
        type=group.type,
        date=value,
        precision=precision,
        approximate=approximate,
        date_conflict=conflict,
        planned=all(ev.planned for ev in evidence),
        participants=tuple(a for a, _ in sorted(actors.items(), key=lambda kv: (-kv[1], kv[0]))),
        places=group.places,
        lemmas=tuple(sorted({ev.lemma for ev in evidence})),
        outlets=tuple(sorted({ev.outlet for ev in evidence if ev.outlet})),
        articles=tuple(sorted({ev.article_id for ev in evidence})),
        stories=group.stories,
        evidence=tuple(evidence),
    )


def filter_entries(
    entries: Iterable[TimelineEntry],
    *,
    actor: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
) -> list[TimelineEntry]:
    """The entries with ``actor`` among their participants, starting within ``since``..``until``."""
    lo = date.fromisoformat(since) if isinstance(since, str) else since
    hi = date.fromisoformat(until) if isinstance(until, str) else until
    out = []
    for e in entries:
        if actor is not None and actor not in e.participants:
            continue
        start = e.start
        if lo is not None and (start is None or start < lo):
            continue
        if hi is not None and (start is None or start > hi):
            continue
        out.append(e)
    return out


# ---------------------------------------------------------------------------------------------
# Making a correction: from what a person typed to stable keys, checked against the corpus


@dataclass(frozen=True, kw_only=True, slots=True)
class Linked:
    """What :func:`prepare` and :func:`orphan_reason` check a correction against."""

    index: ActorIndex
    analyses: Mapping[str, Analysis]
    articles: Mapping[str, Article]
    resolve_article: Callable[[str], str]  # an id or id prefix → the full id (NotFound otherwise)
    find_actor: Callable[[str], str]  # an actor id or name → its id (NotFound / UsageError)


def _int(value: Any, what: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        n = value
    elif isinstance(value, str) and value.strip().isdigit():
        n = int(value.strip())
    else:
        raise UsageError(f"{what} must be a character offset (a whole number >= 0), not {value!r}")
    if n < 0:
        raise UsageError(f"{what} must be a character offset (a whole number >= 0), not {value!r}")
    return n


def _str(mapping: Mapping[str, Any], key: str, what: str) -> str:
    value = mapping.get(key)
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"{what} needs {key!r} (a non-empty string)")
    return value.strip()


def _mapping(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise UsageError(f"{what} must be an object, not {type(value).__name__}")
    return dict(value)


def _span_target(target: Mapping[str, Any], linked: Linked, what: str) -> tuple[str, int, int]:
    article = linked.resolve_article(_str(target, "article", f"the target of a {what} correction"))
    start = _int(target.get("start"), f"{what} start")
    end = _int(target.get("end"), f"{what} end")
    if end <= start:
        raise UsageError(f"the {what} span {start}-{end} is empty or reversed (end must be > start)")
    if article not in linked.analyses:
        raise NotFound(f"article {article} has no analysis yet (run `storyline analyze`)")
    return article, start, end


def _pick(spans: Sequence[tuple[int, int]], start: int, end: int, what: str, article: str) -> tuple[int, int]:
    """The item whose span is ``start``-``end``, else the one item overlapping it."""
    if (start, end) in spans:
        return start, end
    near = sorted({s for s in spans if s[0] < end and start < s[1]})
    if len(near) == 1:
        return near[0]
    if near:
        shown = ", ".join(f"{s}-{e}" for s, e in near[:6])
        raise UsageError(
            f"{start}-{end} overlaps {len(near)} {what}s in article {article} ({shown}); give one span"
        )
    shown = ", ".join(f"{s}-{e}" for s, e in sorted(spans)[:8]) or "none"
    raise NotFound(f"article {article} has no {what} at {start}-{end} (its {what}s: {shown})")


def _actor_value(value: Mapping[str, Any], linked: Linked) -> dict[str, Any]:
    """``{actor, name}`` of the actor a person named: a corpus actor, else a gazetteer entry."""
    wanted = _str(value, "actor", "a speaker correction")
    try:
        actor_id = linked.find_actor(wanted)
    except NotFound:
        gz = linked.index.gazetteer
        entries = [] if gz is None else ([gz.get(wanted)] if wanted in gz else gz.by_alias(wanted))
        entries = [e for e in entries if e is not None]
        if len(entries) != 1:
            raise NotFound(f"no actor matching {wanted!r} in the corpus or the gazetteer") from None
        return {"actor": entries[0].id, "name": entries[0].name}
    return {"actor": actor_id, "name": linked.index.actors[actor_id].name}


def prepare(kind: str, target: Any, value: Any, *, linked: Linked) -> tuple[dict[str, Any], Any]:
    """The stable ``(target, value)`` of a correction a person asked for, checked against the corpus."""
    if kind not in KINDS:
        raise UsageError(f"unknown correction kind {kind!r} (known: {', '.join(KINDS)})")
    target = _mapping(target, f"the target of a {kind} correction")
    if kind == "speaker":
        article, start, end = _span_target(target, linked, "statement")
        spans = [st.content for st in linked.analyses[article].statements]
        start, end = _pick(spans, start, end, "statement", article)
        value = _mapping(value, "a speaker correction's value")
        if value.get("anonymous") is not None:
            descriptor = _str(value, "anonymous", "an anonymous speaker")
            return {"article": article, "start": start, "end": end}, {"anonymous": descriptor}
        return {"article": article, "start": start, "end": end}, _actor_value(value, linked)
    if kind == "date":
        return _prepare_date(target, value, linked)
    if kind == "figure":
        article, start, end = _span_target(target, linked, "figure")
        spans = [(f.start, f.end) for f in linked.analyses[article].figures]
        start, end = _pick(spans, start, end, "figure", article)
        return {"article": article, "start": start, "end": end}, _figure_value(value)
    if kind in ("event_merge", "event_split"):
        return _prepare_events(kind, target, linked)
    return _prepare_actor(kind, target, value, linked)


def _prepare_date(target: dict[str, Any], value: Any, linked: Linked) -> tuple[dict[str, Any], Any]:
    of = target.get("of", "published" if "start" not in target else "timex")
    if of not in DATE_TARGETS:
        raise UsageError(f"a date correction corrects {', '.join(DATE_TARGETS)}, not {of!r}")
    raw = value.get("date") if isinstance(value, Mapping) else value
    if not isinstance(raw, str) or not raw.strip():
        raise UsageError("a date correction needs a date value (e.g. 2025-12-04)")
    raw = raw.strip()
    if of == "published":
        article = linked.resolve_article(_str(target, "article", "the target of a date correction"))
        try:
            (datetime.fromisoformat(raw) if "T" in raw else date.fromisoformat(raw))
        except ValueError:
            raise UsageError(
                f"publication date {raw!r} is not an ISO date or datetime (e.g. 2025-12-03)"
            ) from None
        return {"article": article, "of": "published"}, {"date": raw}
    what = "time expression" if of == "timex" else "event"
    article, start, end = _span_target(target, linked, what)
    analysis = linked.analyses[article]
    if of == "timex":
        if not _TIMEX_VALUE.match(raw):
            raise UsageError(f"{raw!r} is not a TIMEX3 value (e.g. 2025-12-04, 2025-W49, 2025-11, P3M)")
        spans = [(t.start, t.end) for t in analysis.timexes]
    else:
        if not _CALENDAR.match(raw):
            raise UsageError(
                f"an event date must be a day, week, month or year (e.g. 2025-12-04), not {raw!r}"
            )
        spans = [(e.start, e.end) for e in analysis.events]
    start, end = _pick(spans, start, end, what, article)
    return {"article": article, "of": of, "start": start, "end": end}, {"date": raw}


def _figure_value(value: Any) -> dict[str, Any]:
    value = _mapping(value, "a figure correction's value")
    unknown = sorted(set(value) - set(FIGURE_FIELDS))
    if unknown:
        raise UsageError(f"a figure correction sets {', '.join(FIGURE_FIELDS)}; not {', '.join(unknown)}")
    out: dict[str, Any] = {}
    for k, v in value.items():
        if v is None:
            continue
        if k in ("value", "value_high"):
            try:
                out[k] = float(v)
            except (TypeError, ValueError):
                raise UsageError(f"figure {k} must be a number, not {v!r}") from None
        elif not isinstance(v, str) or not v.strip():
            raise UsageError(f"figure {k} must be a non-empty string, not {v!r}")
        else:
            out[k] = v.strip()
    if not out:
        raise UsageError(f"a figure correction needs at least one of {', '.join(FIGURE_FIELDS)}")
    return out


def _prepare_events(kind: str, target: dict[str, Any], linked: Linked) -> tuple[dict[str, Any], Any]:
    def one(t: Any) -> dict[str, Any]:
        article, start, end = _span_target(_mapping(t, "an event"), linked, "event")
        spans = [(e.start, e.end) for e in linked.analyses[article].events]
        start, end = _pick(spans, start, end, "event", article)
        return {"article": article, "start": start, "end": end}

    if kind == "event_split":
        return one(target), {}
    events = target.get("events")
    if not isinstance(events, list) or len(events) < 2:
        raise UsageError("an event merge needs 'events': a list of at least two {article, start, end}")
    found = [one(e) for e in events]
    if len({_key(e) for e in found}) < 2:
        raise UsageError("an event merge needs two different events")
    return {"events": found}, {}


def _prepare_actor(
    kind: str, target: dict[str, Any], value: Any, linked: Linked
) -> tuple[dict[str, Any], Any]:
    actors = linked.index.actors
    value = _mapping(value if value is not None else {}, f"an {kind} correction's value")
    if kind == "actor_merge":
        given = target.get("actors")
        if not isinstance(given, list) or len(given) < 2:
            raise UsageError("an actor merge needs 'actors': a list of at least two actor ids or names")
        ids = list(dict.fromkeys(linked.find_actor(str(a)) for a in given))
        if len(ids) < 2:
            raise UsageError(f"{', '.join(map(str, given))} name one actor ({ids[0]}): nothing to merge")
        into = str(value.get("into") or actors[ids[0]].name).strip()
        names = sorted({n for a in ids for n in (actors[a].name, *actors[a].aliases)} | {into})
        return {"actors": ids}, {"into": into, "names": names}
    actor = linked.find_actor(_str(target, "actor", f"an {kind} correction"))
    if kind == "actor_rename":
        return {"actor": actor}, {"name": _str(value, "name", "an actor rename")}
    into = _str(value, "into", "an actor split")
    articles = [linked.resolve_article(str(a)) for a in target.get("articles") or ()]
    mentions = []
    for m in target.get("mentions") or ():
        if isinstance(m, Mapping):
            a, s = m.get("article"), m.get("start")
        elif isinstance(m, list | tuple) and len(m) == 2:
            a, s = m
        else:
            raise UsageError(f"a split mention is [article, start] or {{article, start}}, not {m!r}")
        mentions.append([linked.resolve_article(str(a)), _int(s, "mention start")])
    if not articles and not mentions:
        raise UsageError("an actor split needs the articles or the mentions that are the other actor")
    mine = {(a, s) for a, s, _ in linked.index.mentions_of(actor)}
    for a in articles:
        if not any(ref[0] == a for ref in mine):
            raise NotFound(f"actor {actor} is not mentioned in article {a}")
    for a, s in mentions:
        if (a, s) not in mine:
            raise NotFound(f"no mention of actor {actor} starts at {s} in article {a}")
    return {"actor": actor, "articles": articles, "mentions": mentions}, {"into": into}


def orphan_reason(c: Correction, linked: Linked) -> str | None:
    """Why ``c`` no longer applies to the corpus (its target is gone), or ``None`` when it does."""
    t, v = c.target, c.value
    if c.kind in ("speaker", "figure", "event_split") or (c.kind == "date" and t.get("of") != "published"):
        article = t["article"]
        analysis = linked.analyses.get(article)
        if article not in linked.articles or analysis is None:
            return f"article {article} is not a current analysed article"
        what = {"speaker": "statement", "figure": "figure", "event_split": "event"}.get(c.kind) or (
            "time expression" if t["of"] == "timex" else "event"
        )
        if c.kind == "speaker":
            spans = {st.content for st in analysis.statements}
        elif c.kind == "figure":
            spans = {(f.start, f.end) for f in analysis.figures}
        elif what == "time expression":
            spans = {(x.start, x.end) for x in analysis.timexes}
        else:
            spans = {(e.start, e.end) for e in analysis.events}
        if (t["start"], t["end"]) not in spans:
            return f"no {what} at {t['start']}-{t['end']} in article {article} any more"
        return None
    if c.kind == "date":
        return None if t["article"] in linked.articles else f"article {t['article']} is not a current article"
    if c.kind == "event_merge":
        for e in t["events"]:
            analysis = linked.analyses.get(e["article"])
            if analysis is None or (e["start"], e["end"]) not in {(x.start, x.end) for x in analysis.events}:
                return f"no event at {e['start']}-{e['end']} in article {e['article']} any more"
        return None
    actors = linked.index.actors
    if c.kind == "actor_rename":
        if t["actor"] in actors:
            return None
        return f"no actor {t['actor']} any more"
    names = {normalize(n) for a in actors.values() for n in (a.name, *a.aliases)}
    if c.kind == "actor_merge":
        return None if normalize(v["into"]) in names else f"no actor named {v['into']!r} any more"
    return None if normalize(v["into"]) in names else f"no mention is split into {v['into']!r} any more"
