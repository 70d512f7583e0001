"""Running the per-article analysis over a store, linking actors, and reading the results back.

``run_analysis`` analyses every current article whose stored analysis is missing or was made
by another pipeline version (all of them with ``force``), one transaction per article, so an
interrupted run resumes where it stopped. Linking builds the corpus-wide actor index from the
stored mentions; time expressions are resolved against each article's current publication
date when read, so a date learnt later needs no re-analysis.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..analyze.events_dates import value_precision, value_start
from ..analyze.pipeline import (
    Analysis,
    article_date,
    pipeline_version,
    resolved_events,
    resolved_timexes,
)
from ..export.jsonl import span_json
from ..model import Article

if TYPE_CHECKING:
    from datetime import date

    from ..analyze.events import EventMention
    from ..analyze.quotes import Statement
    from ..analyze.timex import TimeExpr
    from ..corrections import Applied
    from ..engines import Analyzer
    from ..gazetteer import Gazetteer
    from ..link.actors import Actor, ActorIndex
    from ..link.state import Links
    from ..link.timeline import Timeline
    from ..overrides import Overrides
    from ..store.base import Store
    from .packed import PackedAnalyses

logger = logging.getLogger(__name__)

__all__ = [
    "AnalyzeReport",
    "run_analysis",
    "load_analysis",
    "build_actor_index",
    "article_annotations",
    "actor_rows",
    "build_timeline",
]


@dataclass(frozen=True, kw_only=True, slots=True)
class AnalyzeReport:
    pipeline_version: str
    analyzed: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (article id, why)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (article id, error)
    up_to_date: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "pipeline_version": self.pipeline_version,
            "analyzed": self.analyzed,
            "up_to_date": self.up_to_date,
            "skipped": [{"id": i, "reason": r} for i, r in self.skipped],
            "failed": [{"id": i, "error": e} for i, e in self.failed],
        }


def run_analysis(
    store: Store,
    *,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
    gazetteer: Gazetteer | None = None,
    engine: str = "local",
    jobs: int | None = None,
    scheduler: str | None = None,
    batch_size: int | None = None,
    analyzer: Analyzer | None = None,
) -> AnalyzeReport:
    """Analyse the pending articles on ``engine`` (``storyline.engines``) and store the results.

    Only this process reads and writes the store: articles are read lazily in pending order and
    sent to the engine; each outcome is committed as it comes back (one transaction per
    article), so an interrupted run loses at most the articles in flight and the next resumes.
    """
    from ..engines import DEFAULT_BATCH_SIZE, make_engine

    version = pipeline_version()
    todo = store.pending_analysis(version, force=force)
    total = store.count()
    analyzed = 0
    skipped: list[tuple[str, str]] = []
    failed: list[tuple[str, str]] = []
    runner = make_engine(  # checks the options; starts nothing until it runs
        engine=engine,
        jobs=jobs,
        scheduler=scheduler,
        batch_size=batch_size or DEFAULT_BATCH_SIZE,
        gazetteer=gazetteer,
        analyzer=analyzer,
    )
    if todo:
        try:
            for outcome in runner.run((store.get(article_id) for article_id in todo), version=version):
                article_id = outcome.article_id
                if outcome.data is None:
                    failed.append((article_id, outcome.error or "no result"))
                    continue
                store.add_analysis(article_id, pipeline_version=version, data=outcome.data)
                reason = outcome.data.get("skipped")
                if reason:
                    article = store.get(article_id)
                    logger.warning("%s (%s): %s", article_id, article.origin or article.source_key, reason)
                    skipped.append((article_id, reason))
                else:
                    analyzed += 1
                if progress is not None:
                    progress(article_id)
        finally:
            runner.close()
    return AnalyzeReport(
        pipeline_version=version,
        analyzed=analyzed,
        skipped=skipped,
        failed=failed,
        up_to_date=total - len(todo),
    )


def load_analysis(store: Store, article_id: str) -> Analysis | None:
    rows = store.analyses(article_id)
    if not rows:
        return None
    return Analysis.from_json(rows[-1]["data"])


def build_actor_index(
    store: Store,
    articles: Iterable[Article],
    *,
    gazetteer: Gazetteer | None = None,
    overrides: Overrides | None = None,
    spill_dir: str | None = None,
) -> tuple[ActorIndex, PackedAnalyses]:
    """The corpus-wide actor index over ``articles``' stored analyses (and those analyses, kept
    packed: :class:`~storyline.views.packed.PackedAnalyses` decodes one when it is read; past its
    threshold it spills them to a temporary file in ``spill_dir``, M42)."""
    from ..gazetteer import load_gazetteer
    from ..link.actors import ActorIndex
    from .packed import PackedAnalyses

    index = ActorIndex(gazetteer=gazetteer or load_gazetteer(), overrides=overrides)
    analyses = PackedAnalyses(directory=spill_dir)
    articles = list(articles)
    # read and decode a batch at a time, and keep each analysis packed: the stored JSON of every
    # analysis at once is several times the size of the decoded analyses, and those take
    # ≈ 89 MB per 1,000 articles (docs/scaling.md M23, M40)
    try:
        for i in range(0, len(articles), ANALYSIS_BATCH):
            batch = articles[i : i + ANALYSIS_BATCH]
            stored = store.latest_analyses(a.id for a in batch)
            for article in batch:
                data = stored.pop(article.id, None)
                if data is None:
                    continue
                analysis = Analysis.from_json(data)
                analyses.put(article.id, analysis)
                index.add(article.id, analysis.mentions, article_date(article))
            del stored
    except BaseException:
        analyses.close()  # a spill file that failed: nothing half built is kept
        raise
    return index, analyses


ANALYSIS_BATCH = 250  # analyses read and decoded at a time when the actor index is built (M40)


def load_overrides_for(db: str | Path | None) -> Overrides | None:
    """The overrides file next to an SQLite store, if there is one."""
    from ..overrides import default_path, load_overrides

    if db is None or str(db).startswith(("postgresql:", ":memory:")):
        return None
    return load_overrides(default_path(Path(str(db).removeprefix("sqlite:///"))), missing_ok=True)


def _statement_speaker(article: Article, analysis: Analysis, index: ActorIndex, st: Statement) -> str | None:
    """The canonical actor who made a statement: its speaker span, else the antecedent it points to;
    a nominal speaker ("the Vermont senator") is only ever a person."""
    return _speaker_actor(
        article,
        analysis,
        index,
        (st.speaker, st.speaker_antecedent),
        nominal=st.speaker_kind == "nominal",
    )


# what follows these in a speaker span is whom the speaker is near, not who speaks: "people close to
# the Kremlin", "economists polled by Reuters", "a source familiar with the White House's thinking"
_NOT_THE_SPEAKER = re.compile(
    r"\b(?:(?:closely\s+)?(?:close|linked|connected|near)\s+to|familiar\s+with|with\s+(?:knowledge|"
    r"(?:close\s+)?ties|links|access)\s+(?:of|to)|briefed\s+(?:on|by)|aware\s+of|(?:polled|surveyed|"
    r"quoted|cited|interviewed|contacted|reached)\s+by)\b",
    re.IGNORECASE,
)


def _speaker_actor(
    article: Article,
    analysis: Analysis,
    index: ActorIndex,
    spans: Iterable[tuple[int, int] | None],
    *,
    nominal: bool = False,
) -> str | None:
    """The actor a speaker/holder span names: of the mentions inside it, a person before anything
    else, then the last one (the head of "Kremlin spokesman Dmitry Peskov" is Peskov, not the
    Kremlin); the first span that names an actor wins. A ``nominal`` speaker ("the Vermont senator")
    names only a person: the place or body modifying the role is not the speaker. Nor is what
    follows "close to", "familiar with", "polled by" … up to a comma (:data:`_NOT_THE_SPEAKER`):
    "three sources close to the Kremlin" are not the Kremlin."""
    article_id = article.id
    for span in spans:
        if span is None:
            continue
        s, e = span
        # the stretch from "close to" … to the next comma names whom the speaker is near ("a person
        # close to Putin, Ivan Petrov": Petrov still speaks)
        skip_from = skip_to = e
        near = _NOT_THE_SPEAKER.search(article.text, s, e)
        if near is not None:
            comma = article.text.find(",", near.end(), e)
            skip_from, skip_to = near.start(), (e if comma < 0 else comma)
        found = [
            (m.label == "PERSON", m.end, actor)
            for m in analysis.mentions
            if m.start < e
            and s < m.end
            and not (m.start < skip_to and skip_from < m.end)
            and (not nominal or m.label == "PERSON")
            and not _POSSESSIVE.match(article.text, m.end)  # "Putin's adviser": not Putin
            and (actor := index.actor_of(article_id, m.start, m.end)) is not None
        ]
        # "Yuri Ushakov, an aide to Putin": the name before the apposition's comma is who speaks
        comma = article.text.find(",", s, e)
        head = [f for f in found if comma > 0 and f[1] <= comma]
        if head or found:
            return max(head or found)[2]
    return None


_POSSESSIVE = re.compile(r"['’]s?\b")


def _statement_items(
    article: Article, analysis: Analysis, index: ActorIndex, actors: dict[str, Actor]
) -> list[dict[str, Any]]:
    """The ``statements`` of :func:`article_annotations` (before corrections): each statement with
    its spans and its speaker resolved. :func:`quote_rows` reads these alone, so it decodes only
    the statements and mentions of a packed analysis (``actors``: ``index.actors``, read once)."""
    statements = []
    for st in analysis.statements:
        actor = _statement_speaker(article, analysis, index, st)
        item: dict[str, Any] = {
            "kind": st.kind,
            "partial": st.partial,
            "continuation": st.continuation,
            "content": span_json(article, *st.content),
            "cue": span_json(article, *st.cue, lemma=st.cue_lemma) if st.cue else None,
            "speaker": span_json(article, *st.speaker) if st.speaker else None,
            "speaker_kind": st.speaker_kind,
            "speaker_antecedent": span_json(article, *st.speaker_antecedent)
            if st.speaker_antecedent
            else None,
            "speaker_actor": actor,
            "speaker_name": actors[actor].name if actor in actors else None,
            "anonymous": (
                {
                    "count": st.anonymous.count,
                    "affiliation": st.anonymous.affiliation,
                    "descriptor": st.anonymous.descriptor,
                }
                if st.anonymous
                else None
            ),
            "sentence": span_json(article, *st.sentence),
            "date": article.published,
        }
        statements.append(item)
    return statements


def _unnamed_speaker(item: dict[str, Any]) -> str:
    """How a statement with no actor names its speaker: an unnamed source a pronoun continues by the
    words that described it ("She" after "a senior Ukrainian official" → that), else the speaker's
    words."""
    ante = item.get("speaker_antecedent")
    if item.get("speaker_kind") == "pronoun" and item.get("anonymous") and ante:
        return str(ante.get("text") or "")
    return str((item.get("speaker") or {}).get("text") or "")


def article_annotations(
    article: Article,
    analysis: Analysis | None,
    index: ActorIndex,
    *,
    corrections: Applied | None = None,
) -> dict[str, Any]:
    """The export's ``annotations`` object for one article (every span in clean and raw offsets);
    with ``corrections``, what a person corrected replaces the machine's and is marked
    ``"corrected"`` (:mod:`storyline.corrections`)."""
    if analysis is None:
        return {}
    actors = index.actors
    mentions = []
    for m in analysis.mentions:
        actor = index.actor_of(article.id, m.start, m.end)
        affiliation = index.affiliation_of(article.id, m.start, m.end)
        mentions.append(
            span_json(
                article,
                m.start,
                m.end,
                label=m.label,
                kind=m.kind,
                actor=actor,
                actor_name=actors[actor].name if actor in actors else None,
                affiliation=affiliation,
                role=m.role,
            )
        )
    resolved = _timexes_of(article, analysis, corrections)
    timexes = [
        span_json(
            article,
            t.start,
            t.end,
            type=t.type,
            value=t.value,
            mod=t.mod,
            anchor=t.anchor,
            tense=t.tense,
            granularity=t.granularity,
            relative=t.relative,
        )
        for t in resolved
    ]
    statements = _statement_items(article, analysis, index, actors)
    dated = _dated_events(article, analysis, corrections)
    stated = _stated_dates(article.text, analysis, dated, resolved) if analysis.positions else None
    positions = [
        {
            "evidence": span_json(article, p.start, p.end),
            "clause": span_json(article, *p.clause),
            "issue": p.issue,
            "alt_issues": list(p.alt_issues),
            "stance": p.stance,
            "content": p.content,
            "holder": span_json(article, *p.holder) if p.holder else None,
            "holder_text": p.holder_text,
            "holder_actor": _speaker_actor(article, analysis, index, (p.holder,)),
            "cue": span_json(article, *p.cue) if p.cue else None,
            "negated": p.negated,
            # when the position was taken: the date its text gives the statement, else the article's
            "date": _position_date(p, stated, article.published),
        }
        for p in analysis.positions
    ]
    if corrections:  # a position held by a statement's speaker follows that speaker's correction
        for item, p in zip(positions, analysis.positions, strict=True):
            if (fixed := corrections.position_holder(article.id, analysis, p)) is not None:
                item["holder_actor"], item["corrected"] = fixed
    event_at = {(ev.start, ev.end): ev for ev in dated}
    events = [
        span_json(
            article,
            ev.start,
            ev.end,
            lemma=ev.lemma,
            type=ev.type,
            participants=[
                span_json(article, s, e, role=role, actor=index.party_of(article.id, s, e))
                for s, e, role in ev.participants
            ],
            place=span_json(article, *ev.place) if ev.place else None,
            date=ev.date_value,
            date_source=ev.date_source,
            precision=ev.precision,
            timex=span_json(article, *ev.timex) if ev.timex else None,
            tense=ev.tense,
            modality=ev.modality,
            planned=ev.planned,
            sentence=span_json(article, *ev.sentence),
            report_date=article.published,
        )
        for ev in dated
    ]
    framing = _framing_json(article, analysis, index=index)
    out = {
        "pipeline_version": analysis.pipeline_version,
        "skipped": analysis.skipped,
        "mentions": mentions,
        "timexes": timexes,
        "statements": statements,
        "events": events,
        "framing": framing,
        "figures": [
            span_json(
                article,
                f.start,
                f.end,
                value=f.value,
                value_high=f.value_high,
                value_text=f.value_text,
                unit=f.unit,
                what=f.what,
                kind=f.kind,
                approx=f.approx,
                predicate=f.predicate,
                number=span_json(article, *f.number_span),
                event=_figure_event(article, f.event, event_at),
            )
            for f in analysis.figures
        ],
        "positions": positions,
    }
    if corrections:
        corrections.annotate(out, article, index)
    return out


def actor_rows(index: ActorIndex, articles: dict[str, Article]) -> list[dict[str, Any]]:
    """One row per actor: id, name, type, mention count, spellings seen, articles (most mentioned first)."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    in_articles: dict[str, set[str]] = defaultdict(set)
    for (article_id, start, end), actor_id in index.assignments.items():
        article = articles.get(article_id)
        if article is None:
            continue
        spellings[actor_id][article.text[start:end]] += 1
        in_articles[actor_id].add(article_id)
    rows: list[dict[str, Any]] = []
    for actor_id, actor in index.actors.items():
        seen = spellings.get(actor_id, Counter())
        rows.append(
            {
                "id": actor_id,
                "name": actor.name,
                "type": actor.type,
                "mentions": sum(seen.values()),
                "spellings": [s for s, _ in seen.most_common()],
                "articles": sorted(in_articles.get(actor_id, ())),
                "affiliation": actor.affiliation,
                "wikidata": actor.wikidata,
            }
        )
    rows.sort(key=lambda r: (-int(r["mentions"]), str(r["name"])))
    return rows


def quote_rows(
    index: ActorIndex,
    analyses: Mapping[str, Analysis],
    articles: dict[str, Article],
    *,
    speaker: str | None = None,
    corrections: Applied | None = None,
) -> list[dict[str, Any]]:
    """Every statement with its speaker resolved, newest article first; ``speaker`` filters by a
    case-insensitive substring of the speaker's canonical name or mention text. A statement whose
    speaker a person corrected carries ``"corrected"``."""
    rows: list[dict[str, Any]] = []
    actors = index.actors
    for article_id, analysis in analyses.items():
        article = articles[article_id]
        items = _statement_items(article, analysis, index, actors)  # the annotations' statements
        if corrections:  # what Applied.annotate does to them
            for item in items:
                corrections.speaker(article_id, item, index)
        for item in items:
            who = item["speaker_name"] or _unnamed_speaker(item)
            if item["anonymous"]:
                who = who or item["anonymous"]["descriptor"]
            if speaker and speaker.casefold() not in who.casefold():
                continue
            rows.append(
                {
                    "article": article_id,
                    "outlet": article.outlet,
                    "date": article.published,
                    "speaker": who or None,
                    "speaker_actor": item["speaker_actor"],
                    "speaker_kind": item["speaker_kind"],
                    "anonymous": item["anonymous"],
                    "kind": item["kind"],
                    "partial": item["partial"],
                    "cue": (item["cue"] or {}).get("text"),
                    "content": item["content"],
                    **({"corrected": item["corrected"]} if "corrected" in item else {}),
                }
            )
    rows.sort(key=lambda r: (r["date"] or "", r["article"], r["content"]["start"]), reverse=True)
    return rows


def position_ledger(
    index: ActorIndex,
    analyses: Mapping[str, Analysis],
    articles: dict[str, Article],
    *,
    holder: str | None = None,
    corrections: Applied | None = None,
) -> Any:
    """The corpus' :class:`~storyline.link.positions.PositionLedger` (holders resolved to actors);
    ``holder``: only the positions this actor id holds. With ``corrections``, a position held by
    the speaker of a statement whose speaker a person corrected goes to the corrected speaker."""
    from ..link.positions import PositionLedger

    ledger = PositionLedger()
    for article_id, analysis in analyses.items():
        article = articles[article_id]

        def actor_of(start: int, end: int, a: Article = article, an: Analysis = analysis) -> str | None:
            return _speaker_actor(a, an, index, ((start, end),))

        def holder_fix(p: Any, a: Article = article, an: Analysis = analysis) -> Any:
            return corrections.position_holder(a.id, an, p) if corrections else None

        ledger.add(
            article_id,
            analysis.positions,
            actor_of=actor_of,
            published=article_date(article),
            outlet=article.outlet,
            holder_fix=holder_fix,
            only=holder,
            stated=(
                _stated_dates(
                    article.text,
                    analysis,
                    _dated_events(article, analysis, corrections),
                    _timexes_of(article, analysis, corrections),
                )
                if analysis.positions
                else None
            ),
        )
    return ledger


def _timexes_of(article: Article, analysis: Analysis, corrections: Applied | None) -> tuple[TimeExpr, ...]:
    """The article's time expressions resolved against its date, with people's corrections."""
    if corrections:
        return corrections.resolved_timexes(article, analysis)
    return resolved_timexes(analysis, article_date(article))


def _stated_dates(
    text: str, analysis: Analysis, events: Iterable[EventMention], timexes: Iterable[TimeExpr]
) -> Callable[[Any], tuple[str, date] | None]:
    """For the ledger and the export: the date the text gives the statement of a position — that of
    the event mention (of ``events``, dated) at its cue, or at the cue of the statement it lies in
    ("Lavrov said on Sunday that Moscow would demand …"), or of a time expression (of ``timexes``,
    resolved) opening its sentence ("In May, Zelensky rejected …"), when it is a day, week or month;
    else ``None`` (the report's date stands)."""
    told: list[tuple[int, int, str, date]] = []
    for ev in events:
        if ev.date_source not in ("timex", "anchor", "event") or not ev.date_value or ev.planned:
            continue
        if value_precision(ev.date_value) not in ("day", "week", "month"):
            continue
        start = value_start(ev.date_value)
        if start is not None:
            told.append((ev.start, ev.end, ev.date_value, start))

    # a time expression opening a sentence ("In May, Zelensky rejected …", "Last week he said …") sets
    # when all of it happened
    fronted: dict[int, tuple[str, date]] = {}
    for t in timexes:
        if (
            t.type not in ("DATE", "TIME")
            or not t.value
            or value_precision(t.value) not in ("day", "week", "month")
        ):
            continue
        before = text[max(0, t.start - 12) : t.start]
        lead = _FRONTED.search(before)
        begin = t.start - (len(before) - lead.start()) if lead is not None else t.start
        start = value_start(t.value)
        if lead is not None and start is not None and (begin == 0 or text[begin - 1] in "\n.!?\"”' "):
            fronted[begin] = (t.value, start)

    def stated(p: Any) -> tuple[str, date] | None:
        cues = [p.cue] if p.cue is not None else []
        if p.statement is not None and 0 <= p.statement < len(analysis.statements):
            cue = analysis.statements[p.statement].cue
            if cue is not None:
                cues.append(cue)
        for cs, ce in cues:
            for s, e, value, start in told:
                if s < ce and cs < e:
                    return value, start
        return fronted.get(p.start)

    return stated


def _position_date(
    p: Any, stated: Callable[[Any], tuple[str, date] | None] | None, published: str | None
) -> str | None:
    when = stated(p) if stated is not None else None
    return when[0] if when is not None else published


_FRONTED = re.compile(r"(?:^|(?<=\s))(?:(?:in|on|during|early|late|earlier|later)\s+)?$", re.IGNORECASE)


def build_timeline(
    articles: Iterable[Article],
    index: ActorIndex,
    analyses: Mapping[str, Analysis],
    *,
    stories: dict[str, str] | None = None,
    corrections: Applied | None = None,
) -> Timeline:
    """The cross-outlet timeline of ``articles``' stored events (see :mod:`storyline.link.timeline`);
    with ``corrections``, events dated by corrected dates. Event merges and splits apply to its
    entries: :meth:`storyline.corrections.Applied.timeline_entries`."""
    from functools import partial

    from ..link.timeline import Timeline

    timeline = Timeline()
    for article in articles:
        analysis = analyses.get(article.id)
        if analysis is None:
            continue
        day = article_date(article)
        timeline.add(
            article.id,
            _dated_events(article, analysis, corrections),
            published=day,
            outlet=article.outlet,
            actor_of=partial(index.party_of, article.id),
            story=(stories or {}).get(article.id),
        )
    return timeline


def _place_names(entry: Any, index: ActorIndex, articles: dict[str, Article]) -> list[str]:
    """Where an entry's event took place, as the articles write it ("Doha", though the place links
    to Qatar's actor: a capital stands for its country as an actor, not as a place); the actor's
    name when no article's words are at hand."""
    actors = index.actors
    written: dict[str, Counter[str]] = defaultdict(Counter)
    for ev in entry.evidence:
        article = articles.get(ev.article_id)
        if ev.place is None or article is None:
            continue
        actor = index.actor_of(ev.article_id, *ev.place)
        text = re.sub(r"[’']s$", "", article.text[ev.place[0] : ev.place[1]].strip())
        if actor is not None and text:
            written[actor][text.title() if text.isupper() and len(text) > 3 else text] += 1
    return [
        written[p].most_common(1)[0][0] if written.get(p) else (actors[p].name if p in actors else p)
        for p in entry.places
    ]


def timeline_rows(
    entries: Iterable[Any],
    index: ActorIndex,
    articles: dict[str, Article],
    *,
    corrections: Applied | None = None,
) -> list[dict[str, Any]]:
    """Timeline entries as plain rows: what happened, when, who, which outlets, and citations
    (an entry a person merged, split or re-dated carries ``"corrected"``)."""
    actors = index.actors
    rows: list[dict[str, Any]] = []
    for e in entries:
        # show the mention that dates the event (from a time expression) when there is one
        first = min(e.evidence, key=lambda ev: ev.date_source != "timex")
        article = articles.get(first.article_id)
        sentence = article.text[first.sentence[0] : first.sentence[1]] if article is not None else first.text
        rows.append(
            {
                "id": e.id,
                "date": e.date,
                "precision": e.precision,
                "approximate": e.approximate,
                "date_conflict": list(e.date_conflict),
                "planned": e.planned,
                "type": e.type,
                "what": sentence,
                "participants": [actors[a].name if a in actors else a for a in e.participants],
                "places": _place_names(e, index, articles),
                "outlets": list(e.outlets),
                "citations": [
                    {
                        "article": ev.article_id,
                        "outlet": ev.outlet,
                        "start": ev.sentence[0],
                        "end": ev.sentence[1],
                        "trigger": ev.text,
                        "date_value": ev.date_value,
                        "date_source": ev.date_source,
                    }
                    for ev in e.evidence
                ],
            }
        )
        if corrections and (marker := corrections.entry_marker(e)) is not None:
            rows[-1]["corrected"] = marker
    return rows


def _figure_key(unit: str | None, what: str | None) -> tuple[str, str]:
    """What a figure counts, reduced to (unit, head noun): "273 drones" and "more than 270 drones
    fired at Kyiv" share ("drones", "drone"); "four eastern regions" and "four regions" share
    ("regions", "region"). The head is the last word before any preposition or relative clause."""
    words: list[str] = []
    tokens = re.findall(r"[a-z]+", (what or "").casefold())
    for i, w in enumerate(tokens):
        if w in _FIGURE_BREAK or w in _FIGURE_PRONOUNS:
            break
        if words and _trailing_participle(w, tokens[i + 1 : i + 2]):
            break  # "drones fired at Kyiv", "people killed": the noun before the verb
        if w not in _FIGURE_STOP:
            words.append(w)
    head = words[-1] if words else re.sub(r"[^a-z]", "", (unit or "").casefold())
    head = _singular(head)
    if head == "toll" and unit == "people":
        head = "people"  # "the death toll rose to 2,053" counts the people killed
    return (unit or "", head)


def _trailing_participle(word: str, after: list[str]) -> bool:
    """Whether ``word`` is a participle after the counted noun ("drones *fired* at Kyiv", "people
    *killed*"), not one before it ("four partially *occupied* regions"): it ends the phrase or a
    preposition follows it."""
    if not (word in _PARTICIPLES or (word.endswith("ed") and len(word) > 4)):
        return False
    return not after or after[0] in _FIGURE_BREAK or after[0] in _FIGURE_PRONOUNS


def _singular(word: str) -> str:
    """A plural's singular, for grouping ("duties" → "duty", "drones" → "drone", "taxes" → "tax")."""
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")) or word in _UNCOUNTED:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    return word[:-1]


_UNCOUNTED = frozenset("news series species means headquarters".split())
_AMOUNT_KINDS = frozenset({"money", "percent", "area"})
_FIGURE_PRONOUNS = frozenset("he she they it we i you who whom".split())
_PARTICIPLES = frozenset(
    "shot hit held taken seen sent built made sold lost given paid spent struck left found brought won "
    "cut set put kept told".split()
)
_FIGURE_STOP = frozenset("the a an its their his her more other another some".split())
_FIGURE_BREAK = frozenset(
    "of in at to for from by on with that who which than as near across into over under during after "
    "before since against between among per via outside inside within without around".split()
)


def _agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two reports of one quantity agree when equal, or within 10% when either is approximate
    or a range ("273 drones" and "more than 270 drones")."""
    if a["value"] is None or b["value"] is None:
        if a.get("value_text") == b.get("value_text"):
            return True
        ra, rb = _bounds(a), _bounds(b)
        if ra is None or rb is None:
            return False
        # "hundreds of prisoners" and "about 1,000 prisoners": a vague amount agrees with what its
        # range holds (an approximate figure within 10% of it)
        slack = 0.10 if a.get("approx") or b.get("approx") else 0.0
        return ra[0] <= rb[1] * (1 + slack) and rb[0] <= ra[1] * (1 + slack)
    lo_a, hi_a = float(a["value"]), float(a.get("value_high") or a["value"])
    lo_b, hi_b = float(b["value"]), float(b.get("value_high") or b["value"])
    if lo_a <= hi_b and lo_b <= hi_a:
        return True
    if a.get("value_high") is None and b.get("value_high") is None:
        # "67.3 percent" and "67.31%": the same value written to fewer decimals
        da, db = _decimals(a), _decimals(b)
        if da is not None and db is not None and round(lo_a, min(da, db)) == round(lo_b, min(da, db)):
            return True
    if a.get("approx") or b.get("approx") or _in_dozens(a) or _in_dozens(b):
        scale = max(abs(hi_a), abs(hi_b), 1e-9)
        return min(abs(lo_a - hi_b), abs(lo_b - hi_a)) / scale <= 0.10
    return False


def _in_dozens(report: dict[str, Any]) -> bool:
    """ "two dozen missiles": a count in dozens is a round, approximate one (22 missiles agree)."""
    return re.search(r"\bdozens?\b", str(report.get("text") or ""), re.IGNORECASE) is not None


_VAGUE = {"dozens": (24.0, 99.0), "scores": (40.0, 99.0), "tens": (20.0, 99.0), "hundreds": (200.0, 999.0),
          "thousands": (2000.0, 9999.0), "millions": (2e6, 9.99e6), "billions": (2e9, 9.99e9)}  # fmt: skip
_SCALE = {"tens": 10.0, "hundreds": 100.0, "thousands": 1e3, "millions": 1e6, "billions": 1e9}


def _bounds(report: dict[str, Any]) -> tuple[float, float] | None:
    """A report's value as a range: its number(s), or what a vague amount spans ("hundreds" 200–999,
    "tens of thousands" 20,000–99,999, "hundreds of millions" 2×10⁸–9.99×10⁸); None if unknown."""
    if report.get("value") is not None:
        lo = float(report["value"])
        return lo, float(report.get("value_high") or lo)
    words = re.findall(r"[a-z]+", (report.get("value_text") or "").lower())
    words = [w for w in words if w != "of"]
    if not words or words[0] not in _VAGUE:
        return None
    lo, hi = _VAGUE[words[0]]
    for w in words[1:]:
        scale = _SCALE.get(w)
        if scale is None:
            return None
        lo, hi = lo * scale, hi * scale
    return lo, hi


_MULTIPLIED = re.compile(r"\d\s*(?:million|billion|trillion|bn|m)\b", re.I)


def _decimals(report: dict[str, Any]) -> int | None:
    """How many decimals the report's number is written with ("67.31%" → 2; "1,415" → 0); None when
    it is written in words or with a multiplier ("1.4 million": the decimals are not the value's)."""
    text = report.get("text") or ""
    m = re.search(r"\d[\d,]*(?:\.(\d+))?", text)
    if m is None or report.get("value_text") or _MULTIPLIED.search(text):
        return None
    return len(m.group(1) or "")


def _comparable(a: dict[str, Any], b: dict[str, Any], classes: dict[str, str]) -> bool:
    """Whether two reports of one thing can agree or conflict: not when their verbs fall in different
    classes ("fired 273 drones", "intercepted 88 drones"), nor when one verb has a class and the other
    none; a verb in no class compares with another such verb, and a report without a verb with any."""
    ca, cb = _predicate_class(a, classes), _predicate_class(b, classes)
    if not (ca is None or cb is None or ca == cb):
        return False
    if (ca is None) != (cb is None) and (a.get("predicate") if ca is None else b.get("predicate")):
        # a count under a verb of a known class ("the evacuation of 2,500 people") and one under some
        # other verb ("400 people spent the night in shelters") count different things
        return False
    oa, ob = _owner(a.get("what")), _owner(b.get("what"))
    return not (oa and ob and oa != ob)


def _owner(what: str | None) -> str:
    """Whose thing a figure counts, when its words say it before the noun: "U.S. duties" → "u.s",
    "Chinese duties" → "chinese", "its own duties" → "its" (someone the pronoun names: not comparable
    with a named owner). "U.S. duties" of 30% and "Chinese duties" of 10% are no conflict."""
    words: list[str] = []
    raw = (what or "").split()
    lows = [w.casefold().strip(",.;:") for w in raw]
    for i, (w, low) in enumerate(zip(raw, lows, strict=True)):
        if low in _FIGURE_BREAK or low in _FIGURE_PRONOUNS:
            break
        if words and _trailing_participle(low, lows[i + 1 : i + 2]):
            break
        words.append(w)
    owner = [
        low.removesuffix("'s").removesuffix("’s")
        for w in words[:-1]
        if (low := w.casefold().strip(",.;:")) in ("its", "their", "his", "her", "our")
        or (w[:1].isupper() and low not in _FIGURE_STOP)
    ]
    return " ".join(owner)


def _predicate_class(report: dict[str, Any], classes: dict[str, str]) -> str | None:
    """The class of a report's verb; a death toll ("the toll rose to 2,053") counts the killed."""
    if _figure_key(None, report.get("what"))[1] == "toll":
        return "kill"
    return classes.get(report.get("predicate") or "")


def figure_groups(
    analyses: Mapping[str, Analysis],
    articles: dict[str, Article],
    *,
    corrections: Applied | None = None,
) -> list[dict[str, Any]]:
    """Figures grouped across articles by what they count, with agreement or conflict marked.

    A group holds figures with the same unit and head noun; it is ``conflict`` when two articles
    each give one value of it and the values disagree, ``agree`` when otherwise some pair of reports
    from different articles agrees, ``single`` otherwise (no two articles report it comparably,
    :func:`_comparable`: counts of drones fired and of drones intercepted are not set against each
    other; or the articles that disagree give several values of it, naming several things by one
    noun); ``conflicts`` lists the pairs of reports (indexes into ``reports``) that disagree; a report
    its article says was replaced ("Earlier reports put the death toll at two") is marked
    ``superseded`` and conflicts with none. A figure a person corrected (what it counts, its unit or
    value) is grouped by the correction and carries ``"corrected"``, as does its group.
    """
    from ..analyze.figures import load_units

    classes = load_units().predicate_classes
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for article_id, analysis in analyses.items():
        article = articles[article_id]
        event_at: dict[tuple[int, int], EventMention] = {}
        if any(f.event for f in analysis.figures):
            event_at = {(ev.start, ev.end): ev for ev in _dated_events(article, analysis, corrections)}
        for f in analysis.figures:
            fixed = None
            if corrections:
                f, fixed = corrections.figure(article_id, f)
            if f.kind in ("ordinal", "source_count"):
                continue
            unit, head = _figure_key(f.unit, f.what)
            # an amount that does not say what it measures ("4 billion euros") is compared only
            # with the same amount: two unrelated sums of money are not a conflict
            unknown = f"{f.value}:{f.value_high}" if f.what is None and f.kind in _AMOUNT_KINDS else ""
            if unknown and f.kind == "area" and classes.get(f.predicate or "") in ("capture", "retake"):
                # "seized roughly 4,700 sq km" measures territory, as "captured 4,700 square kilometres
                # of Ukrainian territory" says
                head, unknown = "territory", ""
            elif unknown and f.kind == "area" and f.predicate:
                # "burned 700 hectares", "burned about 750 hectares": an area says what it measures
                # through its verb
                unknown = f"verb:{f.predicate}"
            groups[(unit, head, unknown)].append(
                {
                    "article": article_id,
                    "outlet": article.outlet,
                    "date": article.published,
                    "text": f.text,
                    "value": f.value,
                    "value_high": f.value_high,
                    "value_text": f.value_text,
                    "unit": f.unit,
                    "what": f.what,
                    "kind": f.kind,
                    "approx": f.approx,
                    "predicate": f.predicate,
                    "event": _figure_event(article, f.event, event_at),
                    "start": f.start,
                    "end": f.end,
                    **({"superseded": True} if _superseded(article.text, f.start) else {}),
                    **({"corrected": fixed.marker()} if fixed is not None else {}),
                }
            )
    rows: list[dict[str, Any]] = []
    for (unit, head, _), items in groups.items():
        if not head:
            continue
        items.sort(key=lambda r: (r["date"] or "", r["article"], r["start"]))
        cross = [
            (a, b)
            for i, a in enumerate(items)
            for b in items[i + 1 :]
            if a["article"] != b["article"] and _comparable(a, b, classes)
        ]
        # an article giving several values of one thing ("tariffs" of 30%, 10% and 20%) names several
        # things by one noun: its values are set against another article's only where they agree
        univocal = [
            all(_agree(a, b) for b in items if b["article"] == a["article"] and _comparable(a, b, classes))
            for a in items
        ]
        pos = {id(r): i for i, r in enumerate(items)}
        conflicts = [
            (a, b)
            for a, b in cross
            if not _agree(a, b)
            and univocal[pos[id(a)]]
            and univocal[pos[id(b)]]
            and not (a.get("superseded") or b.get("superseded"))
        ]
        agreeing = [(a, b) for a, b in cross if _agree(a, b)]
        status = "conflict" if conflicts else "agree" if agreeing else "single"
        rows.append(
            {
                "what": head,
                "unit": unit or None,
                "status": status,
                "outlets": sorted({r["outlet"] or "?" for r in items}),
                "reports": items,
                # which reports disagree (indexes into ``reports``): "355 drones downed" against "361 of
                # the drones shot down", not the "412 drones" both outlets agree were launched
                "conflicts": sorted(sorted((pos[id(a)], pos[id(b)])) for a, b in conflicts),
            }
        )
        fixes = [r["corrected"] for r in items if "corrected" in r]
        if fixes:
            rows[-1]["corrected"] = max(fixes, key=lambda m: int(m["id"]))
    order = {"conflict": 0, "agree": 1, "single": 2}
    rows.sort(key=lambda r: (order[r["status"]], -len(r["reports"]), r["what"]))
    return rows


# "Earlier reports put the death toll at two", "initially put at 10": a figure the article itself says
# was replaced, which disagrees with the current one by design
_SUPERSEDED = re.compile(
    r"\b(?:earlier|initial|previous|first|preliminary)\s+(?:reports?|figures?|estimates?|tolls?|counts?|"
    r"tallies)\b|\b(?:initially|previously|originally|earlier)\s+(?:put|reported|said|estimated|given|gave|"
    r"counted|cited)\b",
    re.IGNORECASE,
)


def _superseded(text: str, start: int) -> bool:
    """Whether the sentence of a figure, up to it, says the figure was replaced by a later one."""
    begin = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), start - 200)
    return _SUPERSEDED.search(text, max(0, begin), start) is not None


def _dated_events(
    article: Article, analysis: Analysis, corrections: Applied | None
) -> tuple[EventMention, ...]:
    """The analysis' event mentions dated against the article's (corrected) date, with the event
    corrections applied when there are any."""
    if corrections:
        return corrections.resolved_events(article, analysis)
    return resolved_events(analysis, article_date(article))


def _figure_event(
    article: Article, trigger: tuple[int, int] | None, event_at: dict[tuple[int, int], EventMention]
) -> dict[str, Any] | None:
    """The event a figure belongs to (``trigger``, its span): the trigger's span, type and date."""
    ev = event_at.get(trigger) if trigger is not None else None
    if ev is None:
        return None
    return span_json(article, ev.start, ev.end, type=ev.type, date=ev.date_value, precision=ev.precision)


def _framing_json(
    article: Article, analysis: Analysis, *, index: ActorIndex | None = None
) -> dict[str, Any] | None:
    f = analysis.framing
    if f is None:
        return None
    from .outlets import article_tones

    return {
        "opinion_score": round(f.opinion_score, 4),
        "bias_score": round(f.bias_score, 4),
        "opinion_sentences": [
            span_json(article, x.start, x.end, score=round(x.score, 4), attributed=x.attributed)
            for x in f.opinion_sentences
        ],
        "biased_sentences": [
            span_json(article, x.start, x.end, score=round(x.score, 4), attributed=x.attributed)
            for x in f.biased_sentences
        ],
        "loaded": [
            span_json(
                article,
                x.start,
                x.end,
                word=x.word,
                category=x.category,
                target=span_json(article, *x.target) if x.target else None,
                attributed=x.attributed,
            )
            for x in f.loaded
        ],
        "loaded_per_100_words": round(f.loaded_per_100_words, 3),
        "sourcing": {
            "named": f.sourcing.named,
            "anonymous": f.sourcing.anonymous,
            "institutional": f.sourcing.institutional,
            "pronoun_or_nominal": f.sourcing.pronoun_or_nominal,
            "unknown": f.sourcing.unknown,
            "quotes_per_100_words": round(f.sourcing.quotes_per_100_words, 3),
            "attributed_share": round(f.sourcing.attributed_share, 4),
        },
        "sentences_judged": f.sentences_judged,
        "defaults_used": f.defaults_used,
        "note": f.note,
        "model": f.model,
        "genre": _genre_json(article, f.genre),
        "tone": article_tones(article, analysis, index) if index is not None else [],
    }


def _genre_json(article: Article, genre: Any) -> dict[str, Any] | None:
    """Opinion, analysis or reporting, with its evidence (a span where the words are in the text)."""
    if genre is None:
        return None
    return {
        "label": genre.label,
        "confidence": genre.confidence,
        "evidence": [
            span_json(article, c.start, c.end, kind=c.kind, detail=c.text)
            if c.start is not None and c.end is not None
            else {"kind": c.kind, "detail": c.text}
            for c in genre.evidence
        ],
    }


def outlet_rows(
    index: ActorIndex,
    analyses: Mapping[str, Analysis],
    articles: dict[str, Article],
    *,
    stories: dict[str, str] | None = None,
    corrections: Applied | None = None,
) -> list[dict[str, Any]]:
    """Outlets side by side: opinion and bias scores, loaded-language density, sourcing, who they
    quote, how many events and figures they report, their tone toward each actor and the facts other
    outlets of the same story carry and they omit (:mod:`storyline.views.outlets`; ``stories`` maps
    article → story id, without it the articles given count as one story)."""
    from .outlets import omitted_facts, outlet_tones

    omitted = omitted_facts(index, analyses, articles, stories=stories, corrections=corrections)
    by_outlet: dict[str, list[tuple[Article, Analysis]]] = defaultdict(list)
    for article_id, analysis in analyses.items():
        article = articles[article_id]
        by_outlet[article.outlet or "(unknown outlet)"].append((article, analysis))
    actors = index.actors
    rows: list[dict[str, Any]] = []
    for outlet, items in sorted(by_outlet.items()):
        framed = [an.framing for _, an in items if an.framing is not None and not an.framing.defaults_used]
        speakers: Counter[str] = Counter()
        named = anonymous = statements = 0
        for article, analysis in items:
            for st in analysis.statements:
                statements += 1
                if st.speaker_kind == "anonymous":
                    anonymous += 1
                    continue
                actor = _statement_speaker(article, analysis, index, st)
                if actor is not None:
                    named += 1
                    speakers[actors[actor].name if actor in actors else actor] += 1

        def mean(values: list[float]) -> float | None:
            return round(sum(values) / len(values), 4) if values else None

        rows.append(
            {
                "outlet": outlet,
                "articles": len(items),
                "opinion_score": mean([f.opinion_score for f in framed]),
                "opinion_share": mean(
                    [1.0 if f.genre.label == "opinion" else 0.0 for f in framed if f.genre is not None]
                ),
                "bias_score": mean([f.bias_score for f in framed]),
                "loaded_per_100_words": mean([f.loaded_per_100_words for f in framed]),
                "statements": statements,
                "anonymous_share": round(anonymous / statements, 4) if statements else None,
                "attributed_to_actors": named,
                "quoted": [name for name, _ in speakers.most_common(8)],
                "events": sum(len(an.events) for _, an in items),
                "figures": sum(len(an.figures) for _, an in items),
                "defaults_used": len(framed) < len(items),
                "models": sorted({f.model for f in framed}),
                "tone": outlet_tones(items, index),
                "omits": omitted.get(outlet),
            }
        )
    return rows


def story_rows(
    index: ActorIndex,
    analyses: Mapping[str, Analysis],
    articles: dict[str, Article],
    *,
    embeddings: bool | None = None,
    links: Links | None = None,
    mention_actors: Callable[[str], list[str]] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, str], dict[str, str | None]]:
    """Stories (clusters of articles) and syndication (copies of one origin):
    ``(story rows, article -> story id, article -> origin id)``. ``links`` are the stored ones
    (:func:`storyline.link.state.current_links`); without them the articles are clustered here, in
    publication order, as the stored links would place them. ``embeddings`` (default:
    ``$STORYLINE_EMBEDDINGS``, off) adds sentence embeddings of each article's lead to the
    clustering, cached by text in :func:`storyline.embed.default_cache`. ``mention_actors`` gives
    an analysed article's mentions' actors in order (:meth:`ActorIndex.mention_actors`: no analysis
    decoded); without it they are read from the analyses."""
    if links is None:
        from ..link.state import Linker
        from ..link.stories import embeddings_wanted

        linker = Linker(embeddings=embeddings_wanted(embeddings))
        actor_lists = {
            a: [x for m in an.mentions if (x := index.actor_of(a, m.start, m.end)) is not None]
            for a, an in analyses.items()
        }
        vectors = None
        if linker.embeddings and articles:
            from ..link.state import embeddings_of

            vectors = embeddings_of(list(articles.values()))
        linker.add(list(articles.values()), actors=actor_lists, embeddings=vectors)
        links = linker.links()
    story_of = {a: links.story_of.get(a, "") for a in articles}
    origin_of = {a: links.origin_of.get(a) for a in articles}
    actor_ids: dict[str, list[str]] = {}  # every mention's actor, so counts weigh prominence
    by_story: dict[str, list[str]] = defaultdict(list)
    for article_id in sorted(articles, key=lambda a: (links.order.get(a, len(links.order)), a)):
        if mention_actors is not None:
            actor_ids[article_id] = mention_actors(article_id) if article_id in analyses else []
        else:
            analysis = analyses.get(article_id)
            actor_ids[article_id] = [
                a
                for m in (analysis.mentions if analysis is not None else ())
                if (a := index.actor_of(article_id, m.start, m.end)) is not None
            ]
        by_story[story_of[article_id]].append(article_id)
    actors = index.actors
    rows: list[dict[str, Any]] = []
    for story_id, members in by_story.items():
        items = [articles[m] for m in members]
        dates = sorted(a.published[:10] for a in items if a.published)
        origins = {origin_of[a.id] or a.id for a in items}
        counts: Counter[str] = Counter(x for a in items for x in actor_ids.get(a.id, ()))
        rows.append(
            {
                "id": story_id,
                "articles": len(items),
                "origins": len(origins),  # syndicated copies count once
                "outlets": sorted({a.outlet or "?" for a in items}),
                "from": dates[0] if dates else None,
                "to": dates[-1] if dates else None,
                "actors": [actors[a].name if a in actors else a for a, _ in counts.most_common(6)],
                "titles": [a.title for a in items if a.title][:5],
                "members": [
                    {"id": a.id, "outlet": a.outlet, "published": a.published, "copy_of": origin_of[a.id]}
                    for a in items
                ],
            }
        )
    rows.sort(key=lambda r: (-r["articles"], r["from"] or "", r["id"]))
    return rows, story_of, origin_of


# -- scopes: the story / actor / outlet / date filters every view takes -----------------------------


def find_actor(actors: dict[str, Actor], wanted: str) -> str:
    """The id of the actor ``wanted`` names: an actor id, else a name or alias (case-insensitive),
    else a part of exactly one actor's name. Raises NotFound (E302), or UsageError (E401) when
    the part names several actors."""
    from ..errors import NotFound, UsageError

    if wanted in actors:
        return wanted
    key = wanted.strip().casefold()
    if not key:
        raise UsageError("an actor filter needs a name or an id (got an empty value)")
    exact = sorted(
        a.id for a in actors.values() if a.name.casefold() == key or key in (x.casefold() for x in a.aliases)
    )
    if exact:
        return exact[0]
    partial = sorted(a.id for a in actors.values() if key in a.name.casefold())
    if len(partial) == 1:
        return partial[0]
    if partial:
        names = ", ".join(f"{actors[a].name} ({a})" for a in partial[:5])
        more = f" and {len(partial) - 5} more" if len(partial) > 5 else ""
        raise UsageError(f"actor {wanted!r} is ambiguous: {names}{more}; give an id")
    raise NotFound(f"no actor matching {wanted!r}")


def articles_by_actor(index: ActorIndex) -> dict[str, frozenset[str]]:
    """Actor id → the ids of the articles that mention it."""
    out: dict[str, set[str]] = defaultdict(set)
    for (article_id, _, _), actor_id in index.assignments.items():
        out[actor_id].add(article_id)
    return {a: frozenset(ids) for a, ids in out.items()}


def scope_articles(
    articles: dict[str, Article],
    *,
    ids: frozenset[str] | None = None,
    outlet: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
) -> dict[str, Article]:
    """The articles in a scope: among ``ids`` (a story's members, the articles mentioning an actor)
    when given, from ``outlet`` (case-insensitive), published within ``since``..``until`` (both
    inclusive; an undated article is outside any date range)."""
    from ..store.base import published_matches

    wanted = outlet.casefold() if outlet is not None else None
    out: dict[str, Article] = {}
    for article_id, article in articles.items():
        if ids is not None and article_id not in ids:
            continue
        if wanted is not None and (article.outlet or "").casefold() != wanted:
            continue
        dated = since is not None or until is not None
        if dated and not published_matches(article.published, since, until):
            continue
        out[article_id] = article
    return out
