"""The corpus-level positions ledger: actor × issue × stance × date, with changes and contradictions.

:meth:`PositionLedger.add` takes one article's positions (from
:func:`storyline.analyze.positions.find_positions`), resolves each holder to a canonical actor with
``actor_of(start, end)`` (typically ``ActorIndex.actor_of`` bound to the article) and files an
:class:`Entry` under (actor, issue) with its citation: article id, evidence span, clause, outlet and
publication date. Positions whose holder resolves to no actor are counted in :attr:`unresolved` and
not filed. Adding an article again replaces its entries, so re-analysis is idempotent; the work is
proportional to the article's positions.

Reading:

- :meth:`matrix` — ``{actor: {issue: [entries]}}``, each list in date order;
- :meth:`history` — one actor's entries on one issue, dated ones by date (then article, offset),
  undated ones last;
- :meth:`flags` — **changes**: a dated commitment whose kind differs from the one the actor held at
  the previous date (``rejection`` → ``offer``; the kinds are asking — ``demand``/``condition`` —,
  offering and rejecting); declared views (``stance``) and assessments are not commitments and
  neither change nor contradict; **contradictions**: opposite stances (``offer`` vs ``rejection``, and
  ``demand`` vs ``rejection`` of the same content) on the same date, or reported by different outlets
  within ``window_days``. On ``other`` (what no issue names) both need content words in common.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from ..taxonomy import FALLBACK

if TYPE_CHECKING:
    from ..analyze.positions import Position

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["Entry", "Flag", "PositionLedger", "opposite"]

Offsets = tuple[int, int]
FlagKind = Literal["change", "contradiction"]
ActorOf = Callable[[int, int], str | None]
# a person's correction of one position's holder: (actor id or None, the correction's marker)
HolderFix = Callable[["Position"], tuple[str | None, dict[str, Any]] | None]
_COMMITMENT_KIND = {"demand": "ask", "condition": "ask", "offer": "offer", "rejection": "reject"}
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_STOP = frozenset(
    "the and any all for with that this from into its their his her our will would must should "
    "not never no demand reject refuse offer propose insist want call urge ready willing".split()
)


@dataclass(frozen=True, kw_only=True, slots=True)
class Entry:
    """One filed position with its citation."""

    actor_id: str
    issue: str
    stance: str
    content: str
    article_id: str
    start: int  # evidence span in the article's clean text
    end: int
    clause: Offsets
    published: date | None = None  # the day the position was taken: ``stated``'s first day, else the report's
    outlet: str | None = None
    holder_text: str | None = None
    alt_issues: tuple[str, ...] = ()
    corrected: dict[str, Any] | None = field(default=None, compare=False, hash=False)  # its marker
    # when the text dates the statement itself ("In May, Zelensky rejected …", "Lavrov said on Sunday"):
    # that date (day, week or month value) and the report's day
    stated: str | None = None
    reported: date | None = None

    @property
    def citation(self) -> tuple[str, int, int]:
        return (self.article_id, self.start, self.end)

    def to_json(self) -> dict[str, Any]:
        """The entry as the CLI and the REST API give it (``corrected`` only when a person did)."""
        return (
            {
                "date": self.stated or (self.published.isoformat() if self.published else None),
                "stance": self.stance,
                "content": self.content,
                "outlet": self.outlet,
                "article": self.article_id,
                "start": self.start,
                "end": self.end,
                "holder_text": self.holder_text,
            }
            | ({"reported": self.reported.isoformat()} if self.stated and self.reported else {})
            | ({"corrected": self.corrected} if self.corrected else {})
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class Flag:
    """A change (``before`` → ``after``) or a contradiction between two entries."""

    kind: FlagKind
    actor_id: str
    issue: str
    before: Entry
    after: Entry
    note: str = ""


def _words(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(text)) - _STOP


def _same_thing(a: Entry, b: Entry) -> bool:
    return bool(_words(a.content) & _words(b.content))


def opposite(a: Entry, b: Entry) -> bool:
    """Opposite stances on the same issue: offer vs rejection; demand vs rejection of the same content
    (content words shared, or either content empty). On ``other``, the issue of everything no issue
    names, offer vs rejection too must share content words: "ready to study the proposals" and
    "would reject any plan that capped its army" are about different things."""
    pair = {a.stance, b.stance}
    if pair == {"offer", "rejection"}:
        return a.issue != FALLBACK or _same_thing(a, b)
    if pair in ({"demand", "rejection"}, {"condition", "rejection"}):
        wa, wb = _words(a.content), _words(b.content)
        return not wa or not wb or bool(wa & wb)
    return False


def _order(e: Entry) -> tuple[int, date, str, int]:
    return (0 if e.published is not None else 1, e.published or date.max, e.article_id, e.start)


class PositionLedger:
    """Positions of every actor on every issue across the corpus (see the module docstring)."""

    def __init__(self, *, window_days: int = 7) -> None:
        self.window_days = window_days
        self._cells: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
        self._by_article: dict[str, list[Entry]] = {}
        self.unresolved: int = 0

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_article.values())

    def add(
        self,
        article_id: str,
        positions: Iterable[Position],
        *,
        actor_of: ActorOf,
        published: date | None,
        outlet: str | None,
        holder_fix: HolderFix | None = None,
        only: str | None = None,
        stated: Callable[[Position], tuple[str, date] | None] | None = None,
    ) -> list[Entry]:
        """File one article's positions (replacing what that article filed before); the new entries.

        ``holder_fix`` gives the holder a person set for a position (its speaker corrected), which
        wins over ``actor_of``; the entry then carries the correction's marker. ``only``: file just
        the positions this actor holds (the others are neither filed nor counted unresolved).
        ``stated`` gives the date the text gives the statement of a position (its value and first
        day), which dates the entry instead of ``published`` ("In May, Zelensky rejected …" in a
        December report is May's position)."""
        self.remove(article_id)
        added: list[Entry] = []
        for p in positions:
            fixed = holder_fix(p) if holder_fix is not None else None
            if fixed is not None:
                actor: str | None = fixed[0]
            else:
                actor = actor_of(*p.holder) if p.holder is not None else None
            if only is not None and actor != only:
                continue
            if actor is None:
                self.unresolved += 1
                continue
            when = stated(p) if stated is not None else None
            entry = Entry(
                actor_id=actor,
                issue=p.issue,
                stance=p.stance,
                content=p.content,
                article_id=article_id,
                start=p.start,
                end=p.end,
                clause=p.clause,
                published=when[1] if when is not None else published,
                outlet=outlet,
                holder_text=p.holder_text,
                alt_issues=p.alt_issues,
                corrected=fixed[1] if fixed is not None else None,
                stated=when[0] if when is not None else None,
                reported=published if when is not None else None,
            )
            cell = self._cells[actor][p.issue]
            cell.append(entry)
            cell.sort(key=_order)
            added.append(entry)
        self._by_article[article_id] = added
        return added

    def remove(self, article_id: str) -> None:
        """Forget what ``article_id`` filed."""
        for e in self._by_article.pop(article_id, []):
            cell = self._cells[e.actor_id][e.issue]
            cell[:] = [x for x in cell if x.article_id != article_id]
            if not cell:
                del self._cells[e.actor_id][e.issue]
            if not self._cells[e.actor_id]:
                del self._cells[e.actor_id]

    def matrix(self) -> dict[str, dict[str, list[Entry]]]:
        """``{actor id: {issue: [entries in date order]}}`` (a copy)."""
        return {a: {i: list(es) for i, es in issues.items()} for a, issues in self._cells.items()}

    def history(self, actor_id: str, issue: str) -> list[Entry]:
        """One actor's entries on one issue: by date (then article, offset); undated last."""
        cell = self._cells.get(actor_id, {}).get(issue, [])
        return sorted(cell, key=_order)

    def flags(self, actor_id: str, issue: str) -> list[Flag]:
        """Changes and contradictions in one actor's history on one issue."""
        entries = [e for e in self.history(actor_id, issue) if e.stance in _COMMITMENT_KIND]
        dated = [e for e in entries if e.published is not None]
        out: list[Flag] = []
        # changes: against the stance held at the previous date (its last entry)
        by_date: dict[date, list[Entry]] = defaultdict(list)
        for e in dated:
            assert e.published is not None
            by_date[e.published].append(e)
        days = sorted(by_date)
        for prev_day, day in zip(days, days[1:], strict=False):
            before = by_date[prev_day][-1]
            for e in by_date[day]:
                if _COMMITMENT_KIND[e.stance] != _COMMITMENT_KIND[before.stance] and (
                    issue != FALLBACK or _same_thing(before, e)
                ):
                    was, now = before.stated or prev_day, e.stated or day
                    out.append(
                        Flag(
                            kind="change",
                            actor_id=actor_id,
                            issue=issue,
                            before=before,
                            after=e,
                            note=f"{before.stance} on {was} → {e.stance} on {now}",
                        )
                    )
                    break
        # contradictions: same date, or different outlets within the window; one per pair of reports
        # (outlet, day, stance) however many sentences each article states it in
        reported: set[tuple[object, ...]] = set()
        for i, a in enumerate(dated):
            for b in dated[i + 1 :]:
                assert a.published is not None and b.published is not None
                gap = abs((b.published - a.published).days)
                if gap > self.window_days:
                    break
                same_day = gap == 0
                outlets = a.outlet is not None and b.outlet is not None and a.outlet != b.outlet
                if not (same_day or outlets) or not opposite(a, b):
                    continue
                pair = (a.article_id, b.article_id, a.stance, b.stance)
                if pair in reported:
                    continue
                reported.add(pair)
                where = "the same day" if same_day else f"{a.outlet} vs {b.outlet}, {gap} days apart"
                out.append(
                    Flag(
                        kind="contradiction",
                        actor_id=actor_id,
                        issue=issue,
                        before=a,
                        after=b,
                        note=f"{a.stance} vs {b.stance} ({where})",
                    )
                )
        return out

    def all_flags(self) -> list[Flag]:
        """Every flag of every (actor, issue) cell."""
        return [
            f for a, issues in sorted(self._cells.items()) for i in sorted(issues) for f in self.flags(a, i)
        ]
