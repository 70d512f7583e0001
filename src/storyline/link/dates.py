"""Publication dates inferred for undated articles from the events other articles date.

An article saved without metadata still tells when it was written: "Russia launched 273 drones
*on Sunday*" can only have been written in the days after the Sunday of the attack, and the
attack's day is known when a dated article reports it. The inference aligns an undated article's
event mentions with the **day-dated** events of dated articles and searches the publication day
``P`` that best explains them:

- the two mentions must be the same kind of event about the same actors (same event type, at
  least one canonical participant in common, similar wording breaks ties); a mention whose
  participants did not resolve aligns by wording alone, more strictly (Jaccard of the clauses'
  content lemmas ≥ 0.3 and three shared lemmas besides the trigger); a local event of no one named
  (a fire, a protest, an accident, an evacuation) aligns through the places its sentence names
  ("a wildfire near Lyon"), whatever its wording;
- each alignment with a dated event of day ``D`` constrains ``P`` by the undated mention's own
  time expression, resolved with ``P`` as the anchor by the same code that resolves it once a date
  is known (:func:`~storyline.analyze.timex_resolve.resolve_relative`): "yesterday" pins ``P`` to
  ``D + 1``, "on Sunday" (past) to the week after ``D``, "on Thursday" (planned) to the week
  before; a mention with no time expression was written up to a week after a past event, or up
  to a month before a planned one; a year-less "May 18" fixes the year;
- a year-less wire dateline ("KYIV, May 18 (Reuters) -") is the strongest evidence of all: it is
  the publication day, the year coming from the aligned events or the corpus' dated articles
  (then the confidence is at most 0.5, scaled by the share of dated articles within half a year:
  an old article in a corpus of new ones gets a wrong year, flagged as unsure); with no dated
  article at all, the year is the latest one up to the article's ingestion in which the weekdays it
  reports ("the Kremlin said on Tuesday") fall on the dateline's day or the day before (confidence
  at most 0.35: the calendar repeats every few years);
- news reports recent events, so among the days a constraint allows the nearest ones weigh more.

Nothing aligned, nothing inferred: the latest day an article writes in full is no guide (measured
on MEANTIME, leave one out: 2 of 10 such guesses within a day — articles recall old dates).

The day with the largest total weight wins; the **confidence** says how much of the evidence agrees
and how sharp it is (an exact relative form such as "yesterday" or a dateline vs a one-week
window). Only articles dated by metadata (given, HTML or text) serve as anchors, so one inference
never feeds another. A given date is never replaced: only articles with no date are examined.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..analyze.events import LOCAL_TYPES, UNREALIZED, EventMention, load_event_lexicon, value_precision
from ..analyze.timex_resolve import resolve_relative
from ..model import Article, MetaValue
from .timeline import jaccard

if TYPE_CHECKING:
    from ..analyze.pipeline import Analysis

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "DateEvidence",
    "InferredDate",
    "affected_undated",
    "infer_publication_dates",
    "inferred_from_json",
    "with_inferred_date",
]

ActorOf = Callable[[str, int, int], "str | None"]

EXACT = 1.0  # a relative form that resolves to the aligned day for few publication days
YEARLESS = 0.4  # "May 18": it fixes the year, not the day
REPORT = 0.35  # no time expression: reported soon after (or before, if planned)
DATELINE = 3.0  # a year-less wire dateline names the publication day itself
YEAR_GUESS = 0.5  # the confidence at most when a dateline's year comes from the corpus alone
WEEKDAY_YEAR = 0.35  # … and when it comes from the weekdays the article names (no dated article at all)
HALF_YEAR = 183
REPORT_AFTER = 7  # a past event with no date is reported within a week
PLANNED_BEFORE = 30  # a planned event with no date is announced within a month
WINDOW = 45  # days around an aligned event searched for the publication day
LEAD_WEEKDAY = 2.0  # the lead's weekday is the day of writing (×2) or the day before (×1.5)
LEAD_CHARS = 400  # the lead: the headline and first sentence or two
WEEKDAY_SPREAD = 0.25  # a candidate day's weight ÷ (1 + this × the days its past weekdays span)
MIN_WORDS = 0.1  # the Jaccard of clause lemmas below which one shared actor is not enough
# A mention without a resolved participant aligns by wording alone: it must share this many
# content lemmas (besides the trigger) and this Jaccard; a lemma found in more than WORD_BLOCK
# dated mentions of the type is too common to find candidates by.
WORDING_ONLY = 0.3
SHARED_WORDS = 3
WORD_BLOCK = 500
WORD = "word:"
PLACE = "place:"
REPORT_WORDS = 0.2  # the Jaccard a mention with no time expression needs (it is weak evidence)
# Speech events ("said", "announced") recur for every actor: they align only on a close wording.
GENERIC_TYPES = frozenset({"statement"})
GENERIC_WORDS = 0.5


@dataclass(frozen=True, kw_only=True, slots=True)
class DateEvidence:
    """One alignment behind an inferred date: a mention of the undated article and the dated one."""

    start: int
    end: int
    text: str
    kind: str  # exact | yearless | report | dateline
    article_id: str | None = None  # the dated article (None for a dateline)
    event_start: int | None = None
    event_end: int | None = None
    event_date: str | None = None

    def describe(self) -> str:
        if self.kind == "dateline":
            return f"dateline {self.text!r}"
        return (
            f"{self.text!r} [{self.start}:{self.end}] ~ {self.event_date} in "
            f"{self.article_id}[{self.event_start}:{self.event_end}]"
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class InferredDate:
    """The publication day inferred for one undated article."""

    article_id: str
    day: date
    confidence: float
    evidence: tuple[DateEvidence, ...]

    def meta_value(self) -> MetaValue:
        """The article's ``published`` metadata value (provenance ``inferred``)."""
        described = "; ".join(e.describe() for e in self.evidence[:3])
        more = f"; +{len(self.evidence) - 3} more" if len(self.evidence) > 3 else ""
        return MetaValue(
            value=self.day.isoformat(),
            provenance="inferred",
            confidence=self.confidence,
            evidence=f"aligned with dated reports: {described}{more}",
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "day": self.day.isoformat(),
            "confidence": self.confidence,
            "evidence": [
                {
                    "start": e.start,
                    "end": e.end,
                    "text": e.text,
                    "kind": e.kind,
                    "article_id": e.article_id,
                    "event_start": e.event_start,
                    "event_end": e.event_end,
                    "event_date": e.event_date,
                }
                for e in self.evidence
            ],
        }


@dataclass(frozen=True, slots=True)
class _Anchor:
    day: date
    article_id: str
    start: int
    end: int
    words: frozenset[str]


def _article_day(article: Article) -> date | None:
    from ..analyze.pipeline import article_date

    return article_date(article)


def _participants(actor_of: ActorOf, article_id: str, ev: EventMention) -> frozenset[str]:
    out = set()
    for start, end, _role in ev.participants:
        actor = actor_of(article_id, start, end)
        if actor is not None:
            out.add(actor)
    return frozenset(out)


def _places(actor_of: ActorOf, article_id: str, analysis: Analysis, ev: EventMention) -> frozenset[str]:
    """Where a local event with no participants happened, for blocking: its place and the places
    its sentence names ("a wildfire raging north of Marseille"). Other events give none."""
    if ev.type not in LOCAL_TYPES:
        return frozenset()
    spans = [ev.place] if ev.place is not None else []
    s_start, s_end = ev.sentence
    spans += [
        (m.start, m.end)
        for m in analysis.mentions
        if m.label in ("GPE", "LOC") and m.kind != "demonym" and s_start <= m.start < s_end
    ]
    out = {actor_of(article_id, a, b) for a, b in spans}
    return frozenset(p for p in out if p is not None)


def _recency(distance: int) -> float:
    """How likely a report is ``distance`` days away from what it reports (1.0 at 0)."""
    return 1.0 / (1.0 + 0.25 * abs(distance))


def _anchors(
    articles: Mapping[str, Article], analyses: Mapping[str, Analysis], actor_of: ActorOf
) -> dict[tuple[str, str], list[_Anchor]]:
    """Day-precision events of dated articles, blocked by (event type, participant)."""
    from ..analyze.pipeline import resolved_events

    blocks: dict[tuple[str, str], list[_Anchor]] = defaultdict(list)
    for article_id, analysis in analyses.items():
        article = articles.get(article_id)
        if article is None or analysis.skipped:
            continue
        day = _article_day(article)
        if day is None or (article.meta.published and article.meta.published.provenance == "inferred"):
            continue
        for ev in resolved_events(analysis, day):
            if ev.precision != "day" or ev.date_value is None or ev.modality == "negated":
                continue
            try:
                when = date.fromisoformat(ev.date_value[:10])
            except ValueError:
                continue
            anchor = _Anchor(when, article_id, ev.start, ev.end, frozenset(ev.words))
            actors = _participants(actor_of, article_id, ev)
            for actor in actors:
                blocks[(ev.type, actor)].append(anchor)
            if not actors:
                for place in _places(actor_of, article_id, analysis, ev):
                    blocks[(ev.type, PLACE + place)].append(anchor)
            for word in anchor.words - {ev.lemma}:
                blocks[(ev.type, WORD + word)].append(anchor)
    return blocks


def _allowed(ev: EventMention, anchor_day: date) -> tuple[str, dict[date, float]]:
    """The publication days under which ``ev`` would be dated ``anchor_day``, with their weights."""
    rel = ev.relative
    days: dict[date, float] = {}
    if rel is not None and rel.get("anchor", "DCT") == "DCT":
        yearless = rel.get("kind") == "date" and rel.get("year") is None and rel.get("year_rel") is None
        for k in range(-WINDOW, WINDOW + 1):
            p = anchor_day + timedelta(days=k)
            value, _ = resolve_relative(rel, p)
            if value is None or value_precision(value) != "day" or value[:10] != anchor_day.isoformat():
                continue
            days[p] = (YEARLESS if yearless else EXACT) * _recency(k if not ev.planned else k + 1)
        return ("yearless" if yearless else "exact"), days
    if ev.date_source == "report" or rel is None and ev.timex is None:
        if ev.planned:
            span = range(-PLANNED_BEFORE, 1)
            for k in span:
                days[anchor_day + timedelta(days=k)] = REPORT * _recency(k + 1)
        else:
            for k in range(0, REPORT_AFTER + 1):
                days[anchor_day + timedelta(days=k)] = REPORT * _recency(k)
        return "report", days
    return "none", days


def _dateline(article: Article, analysis: Analysis) -> tuple[int, int, int, int] | None:
    """``(month, day, start, end)`` of a year-less date in a wire dateline opening the article."""
    from ..meta import dateline_month_day

    offset = 0
    for n, paragraph in enumerate(article.text.split("\n")):
        if n >= 4:
            break
        found = dateline_month_day(paragraph)
        if found is not None:
            month, day, start, end = found
            return month, day, offset + start, offset + end
        offset += len(paragraph) + 1
    return None


def _infer_one(
    article: Article,
    analysis: Analysis,
    blocks: Mapping[tuple[str, str], list[_Anchor]],
    actor_of: ActorOf,
    corpus_days: list[date],
) -> InferredDate | None:
    # score[day] = sum over mentions of that mention's best weight for the day
    score: dict[date, float] = defaultdict(float)
    support: dict[date, list[tuple[float, DateEvidence]]] = defaultdict(list)
    mentions = 0
    for ev in analysis.events:
        if ev.modality in UNREALIZED or _generic(ev):
            continue
        actors = _participants(actor_of, article.id, ev)
        words = frozenset(ev.words)
        if actors:
            keys = [(ev.type, actor) for actor in actors]
        else:
            keys = [(ev.type, WORD + w) for w in words - {ev.lemma}]
            keys = [k for k in keys if len(blocks.get(k, ())) <= WORD_BLOCK]
            keys += [(ev.type, PLACE + p) for p in sorted(_places(actor_of, article.id, analysis, ev))]
        placed = {
            (a.article_id, a.start) for key in keys if key[1].startswith(PLACE) for a in blocks.get(key, ())
        }
        best: dict[date, tuple[float, DateEvidence]] = {}
        seen: set[tuple[str, int]] = set()
        for key in keys:
            for anchor in blocks.get(key, ()):
                if anchor.article_id == article.id or (anchor.article_id, anchor.start) in seen:
                    continue
                seen.add((anchor.article_id, anchor.start))
                similarity = jaccard(words, anchor.words)
                at_place = (anchor.article_id, anchor.start) in placed
                if similarity < MIN_WORDS and not at_place:
                    continue
                if (
                    not actors
                    and (similarity < WORDING_ONLY or len((words & anchor.words) - {ev.lemma}) < SHARED_WORDS)
                    and not at_place
                ):
                    continue
                kind, days = _allowed(ev, anchor.day)
                if not days or (kind == "report" and similarity < REPORT_WORDS):
                    continue
                if ev.type in GENERIC_TYPES and similarity < GENERIC_WORDS:
                    continue
                evidence = DateEvidence(
                    start=ev.start,
                    end=ev.end,
                    text=ev.text,
                    kind=kind,
                    article_id=anchor.article_id,
                    event_start=anchor.start,
                    event_end=anchor.end,
                    event_date=anchor.day.isoformat(),
                )
                for p, w in days.items():
                    weighted = w * (0.5 + similarity)
                    if p not in best or weighted > best[p][0]:
                        best[p] = (weighted, evidence)
        if best:
            mentions += 1
        for p, (w, evidence) in best.items():
            score[p] += w
            support[p].append((w, evidence))

    _weekday_prior(analysis, score)
    dateline = _dateline(article, analysis)
    year_guessed = False  # the dateline's year taken from the corpus' dates, no event backing it
    weekday_share: float | None = None  # the year taken from the weekdays the article names
    if dateline is not None:
        month, day, start, end = dateline
        year_guessed = not score
        years = sorted({p.year for p in score} | {d.year for d in corpus_days})
        reference = max(score, key=lambda p: score[p]) if score else _median(corpus_days)
        options = [c for y in years if (c := _safe_date(y, month, day)) is not None]
        chosen: date | None = None
        if options and reference is not None and year_guessed:
            # the corpus' years, and the years beside them whose calendar puts the dateline on the
            # weekday the lead reports ("SEATTLE, Oct 11 … said on Friday": 2024 in a corpus of 2025)
            around = {c for y in years for k in (-1, 1) if (c := _safe_date(y + k, month, day)) is not None}
            fits = {c: _weekday_fit(analysis, c) or 0.0 for c in set(options) | around}
            if max(fits.values()) >= 0.5:  # the best fit ("on Friday" on the Friday), then the nearest
                chosen = min(fits, key=lambda c: (-fits[c], abs((c - reference).days)))
                weekday_share = fits[chosen]
            else:
                chosen = min(options, key=lambda c: abs((c - reference).days))
        elif options and reference is not None:
            chosen = min(options, key=lambda c: abs((c - reference).days))
        elif not options and (guess := _weekday_year(article, analysis, month, day)) is not None:
            chosen, weekday_share = guess  # no date anywhere in the corpus: the weekdays decide
        if chosen is not None:
            evidence = DateEvidence(start=start, end=end, text=article.text[start:end], kind="dateline")
            score[chosen] += DATELINE
            support[chosen].append((DATELINE, evidence))
            mentions += 1

    if not score:
        return None
    top = max(score.values())
    tied = sorted(p for p, s in score.items() if s >= top - 1e-9)
    best_day = tied[0]
    backers = sorted(support[best_day], key=lambda t: -t[0])
    if len(backers) < 2 and backers[0][1].kind == "report":
        return None  # one undated mention of a similar event is not enough to date an article
    agreeing = len(backers) / max(mentions, 1)
    kinds = {e.kind for _, e in backers}
    sharp = 0.95 if kinds & {"exact", "dateline"} else 0.6
    # a runner-up close behind (another day with almost the same weight) lowers the confidence
    runner = max((s for p, s in score.items() if abs((p - best_day).days) > 1), default=0.0)
    margin = 1.0 - runner / top if top > 0 else 0.0
    confidence = round(sharp * (0.4 + 0.6 * agreeing) * (0.5 + 0.5 * margin), 2)
    if year_guessed and kinds == {"dateline"}:
        # the day and month are the dateline's; the year is as sure as the weekdays that fit it (every
        # few years another year fits as well) or as the corpus' dated articles are close to it (an old
        # article in a new corpus gets it wrong), whichever is surer
        caps = [WEEKDAY_YEAR * weekday_share] if weekday_share is not None else []
        if corpus_days:
            near = sum(1 for d in corpus_days if abs((d - best_day).days) <= HALF_YEAR)
            caps.append(YEAR_GUESS * near / len(corpus_days))
        if caps:
            confidence = round(min(confidence, max(caps)), 2)
    return InferredDate(
        article_id=article.id,
        day=best_day,
        confidence=confidence,
        evidence=tuple(dict.fromkeys(e for _, e in backers)),
    )


def _weekday_prior(analysis: Analysis, score: dict[date, float]) -> None:
    """Weigh the candidate days by the weekdays the article tells in the past.

    A news lead tells the news of the day: "Rescuers were digging on Monday, two days after an
    earthquake …" was written on that Monday (×2) or the Tuesday after (×1.5), not on the Saturday of
    the quake that another article dates. And a report's weekdays lie in the few days before it: on
    the day that puts them closest together ("struck on Saturday", "visited on Sunday", "digging on
    Monday" span two days if written on Monday, six if on the Saturday) the weight is highest (÷ 1 +
    a quarter of the span in days). Only days that aligned evidence already proposes are weighed: the
    weekdays alone date nothing (every week has a Monday)."""
    weekdays = [
        t
        for t in sorted(analysis.timexes, key=lambda t: t.start)
        if t.relative and t.relative.get("kind") == "weekday" and int(t.relative.get("direction", -1)) <= 0
    ]
    if not weekdays:
        return
    lead = weekdays[0] if weekdays[0].start < LEAD_CHARS else None
    for p in list(score):
        days = []
        for t in weekdays:
            assert t.relative is not None
            value, _ = resolve_relative(t.relative, p)
            if value is not None and value_precision(value) == "day":
                days.append(date.fromisoformat(value[:10]))
                if t is lead:
                    gap = (p - days[-1]).days
                    score[p] *= LEAD_WEEKDAY if gap == 0 else (1.0 + LEAD_WEEKDAY) / 2 if gap == 1 else 1.0
        if len(days) > 1:
            score[p] /= 1.0 + WEEKDAY_SPREAD * (max(days) - min(days)).days


def _weekday_year(article: Article, analysis: Analysis, month: int, day: int) -> tuple[date, float] | None:
    """The year of a year-less dateline when the corpus dates nothing: the latest year up to the
    article's ingestion in which the weekdays the article reports in the past ("the Kremlin said on
    Tuesday") fall on the dateline's day, or the day before (the usual distance between a wire
    report and what it reports), with the share of those weekdays that fit; None when under half
    of them fit in any year of a 28-year calendar cycle (:func:`_weekday_fit`)."""
    until = article.ingested_at.date() if article.ingested_at is not None else date.today()
    best: tuple[date, float] | None = None
    for year in range(until.year, until.year - 28, -1):
        candidate = _safe_date(year, month, day)
        if candidate is None or candidate > until:
            continue
        fit = _weekday_fit(analysis, candidate)
        if fit is not None and (best is None or fit > best[1]):
            best = (candidate, fit)
    return best if best is not None and best[1] >= 0.5 else None


def _weekday_fit(analysis: Analysis, candidate: date) -> float | None:
    """The share of the weekdays an article reports in the past that fall on ``candidate`` (1) or the
    day before (½); None when it names none. The first such weekday (the lead's news: "the White
    House said on Wednesday") weighs as much as all later ones together: those tell of earlier days
    of the week ("told CBS on Sunday") and fit any year."""
    weekdays = [
        int(t.relative["weekday"])
        for t in sorted(analysis.timexes, key=lambda t: t.start)
        if t.relative and t.relative.get("kind") == "weekday" and int(t.relative.get("direction", -1)) <= 0
    ]
    if not weekdays:
        return None
    rest = len(weekdays) - 1
    weights = [1.0] + [1.0 / rest] * rest if rest else [1.0]
    wd = candidate.weekday()
    return sum(
        k * (1.0 if w == wd else 0.5 if w == (wd - 1) % 7 else 0.0)
        for w, k in zip(weekdays, weights, strict=True)
    ) / sum(weights)


def _generic(ev: EventMention) -> bool:
    """A plural or habitual trigger ("multiple phone calls", "he calls") names no one event — unless
    the noun names one event only in the plural ("the talks in Geneva")."""
    text = ev.text.lower()
    if load_event_lexicon().conditions.get(f"{ev.lemma}/NOUN", {}).get("plural"):
        return False
    return text != ev.lemma and text in (ev.lemma + "s", ev.lemma + "es")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _median(days: list[date]) -> date | None:
    if not days:
        return None
    ordered = sorted(days)
    return ordered[len(ordered) // 2]


def infer_publication_dates(
    articles: Mapping[str, Article],
    analyses: Mapping[str, Analysis],
    actor_of: ActorOf,
    *,
    only: Iterable[str] | None = None,
) -> dict[str, InferredDate]:
    """Publication days for the analysed articles of ``articles`` that have none.

    ``actor_of(article_id, start, end)`` maps a participant span to its canonical actor (the
    corpus' :class:`~storyline.link.actors.ActorIndex`); ``only`` limits the articles examined
    (the undated ones a batch of new articles links to). Articles for which nothing aligns are
    left out of the result.
    """
    wanted = set(only) if only is not None else None
    undated = [
        a
        for a in articles.values()
        if _article_day(a) is None
        and a.id in analyses
        and not analyses[a.id].skipped
        and (wanted is None or a.id in wanted)
    ]
    if not undated:
        return {}
    blocks = _anchors(articles, analyses, actor_of)
    corpus_days = [d for a in articles.values() if (d := _article_day(a)) is not None]
    out: dict[str, InferredDate] = {}
    for article in undated:
        inferred = _infer_one(article, analyses[article.id], blocks, actor_of, corpus_days)
        if inferred is not None:
            out[article.id] = inferred
            logger.info(
                "inferred publication date %s (confidence %.2f) for %s",
                inferred.day,
                inferred.confidence,
                article.id,
            )
    return out


def with_inferred_date(article: Article, inferred: InferredDate) -> Article:
    """``article`` with the inferred day as its ``published`` metadata (a given date is kept)."""
    from dataclasses import replace

    if article.meta.published is not None and _article_day(article) is not None:
        return article
    return replace(article, meta=replace(article.meta, published=inferred.meta_value()))


def _keys(article_id: str, analysis: Analysis, actor_of: ActorOf) -> set[tuple[str, str]]:
    """The blocks an article's events fall in (event type × participant, or × wording)."""
    keys: set[tuple[str, str]] = set()
    for ev in analysis.events:
        actors = _participants(actor_of, article_id, ev)
        keys.update((ev.type, a) for a in actors)
        if not actors:
            keys.update((ev.type, WORD + w) for w in ev.words if w != ev.lemma)
    return keys


def affected_undated(
    articles: Mapping[str, Article],
    analyses: Mapping[str, Analysis],
    actor_of: ActorOf,
    new: Iterable[str],
) -> set[str]:
    """The undated articles worth re-examining after ``new`` articles were analysed: the new
    undated ones, and the undated ones sharing an event block (type × actor) with a new one."""
    new_ids = [i for i in new if i in analyses]
    undated = {
        i
        for i, a in articles.items()
        if _article_day(a) is None and i in analyses and not analyses[i].skipped
    }
    out = {i for i in new_ids if i in undated}
    new_keys: set[tuple[str, str]] = set()
    for i in new_ids:
        new_keys |= _keys(i, analyses[i], actor_of)
    if new_keys:
        out |= {i for i in undated - out if _keys(i, analyses[i], actor_of) & new_keys}
    return out


def inferred_from_json(article_id: str, data: Mapping[str, Any]) -> InferredDate:
    """An :class:`InferredDate` back from its stored form (:meth:`InferredDate.to_json`)."""
    return InferredDate(
        article_id=article_id,
        day=date.fromisoformat(str(data["day"])),
        confidence=float(data["confidence"]),
        evidence=tuple(DateEvidence(**e) for e in data["evidence"]),
    )
