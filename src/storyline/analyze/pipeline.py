"""Per-article analysis: ``analyze_article(article) -> Analysis``, a pure function.

Stages run in a fixed order over one spaCy parse of the clean text:

============  =====================================================  ==========================
stage         what it finds                                          module
============  =====================================================  ==========================
entities      actor mentions (names, titles, institutions, NORP)     :mod:`.entities`
timex         TIMEX3 time expressions, relative form kept            :mod:`.timex`
statements    direct, indirect and partial quotes with speakers      :mod:`.quotes`
positions     what an actor demands, rejects, offers, judges         :mod:`.positions`
events        dated event mentions: trigger, participants, place     :mod:`.events`
figures       numbers with what they count, unit, approximation      :mod:`.figures`
framing       opinion vs reporting, loaded language, sourcing        :mod:`.framing`
============  =====================================================  ==========================

The result is deterministic and picklable, depends on nothing but the article and the
versioned resources (spaCy pipeline, gazetteer, lexicons), and does no I/O, so the same code
runs in-process, in a process pool or on a Dask worker. :func:`pipeline_version` names the
code and data an analysis was made with; ``storyline analyze --force`` re-runs after a change.

Time expressions are stored with their relative form: their values are (re)computed from the
article's publication date when read (:func:`resolved_timexes`), so a date given or inferred
later resolves them without re-parsing.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .. import __version__

if TYPE_CHECKING:
    from spacy.language import Language

    from ..gazetteer import Gazetteer
    from ..model import Article
    from .entities import Mention
    from .events import EventMention
    from .figures import Figure
    from .framing import Framing
    from .positions import Position
    from .quotes import Statement
    from .timex import TimeExpr

logger = logging.getLogger(__name__)

__all__ = [
    "Analysis",
    "analyze_article",
    "pipeline_version",
    "article_date",
    "resolved_timexes",
    "resolved_events",
]

# Bump a stage's version when its code changes what it outputs.
STAGE_VERSIONS: dict[str, str] = {
    "entities": "16",
    "timex": "10",
    "statements": "27",
    "positions": "23",
    "events": "25",
    "figures": "17",
    "framing": "4",
}
DATA_FILES = (
    "gazetteer.yaml",
    "cities.tsv",
    "cues.yaml",
    "anonymous_sources.yaml",
    "timex.yaml",
    "issues.yaml",
    "event_types.yaml",
    "units.yaml",
    "loaded_words.yaml",
    "models/bias.json",
    "models/bias_embed.json",
    "models/bias_finetune.npz",
    "models/bias_finetune_mpnet.npz",
    "models/attribution_cues.json",
)
ENGLISH_ONLY = "English-only stages skipped"


@dataclass(frozen=True, kw_only=True, slots=True)
class Analysis:
    """What the per-article stages found in one article's clean text."""

    article_id: str
    pipeline_version: str
    language: str | None = None
    skipped: str | None = None  # why the English stages did not run (e.g. a non-English article)
    mentions: tuple[Mention, ...] = field(default_factory=tuple)
    timexes: tuple[TimeExpr, ...] = field(default_factory=tuple)
    statements: tuple[Statement, ...] = field(default_factory=tuple)
    positions: tuple[Position, ...] = field(default_factory=tuple)
    events: tuple[EventMention, ...] = field(default_factory=tuple)
    figures: tuple[Figure, ...] = field(default_factory=tuple)
    framing: Framing | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "pipeline_version": self.pipeline_version,
            "language": self.language,
            "skipped": self.skipped,
            "mentions": [asdict(m) for m in self.mentions],
            "timexes": [asdict(t) for t in self.timexes],
            "statements": [asdict(s) for s in self.statements],
            "positions": [asdict(p) for p in self.positions],
            "events": [asdict(e) for e in self.events],
            "figures": [asdict(f) for f in self.figures],
            "framing": asdict(self.framing) if self.framing is not None else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Analysis:
        from .entities import Mention
        from .events import EventMention
        from .figures import Figure
        from .positions import Position
        from .quotes import AnonymousSource, Statement
        from .timex import TimeExpr

        def statement(d: dict[str, Any]) -> Statement:
            d = dict(d)
            for key in ("content", "cue", "speaker", "speaker_antecedent", "sentence"):
                if d.get(key) is not None:
                    d[key] = tuple(d[key])
            if d.get("anonymous") is not None:
                d["anonymous"] = AnonymousSource(**d["anonymous"])
            return Statement(**d)

        return cls(
            article_id=data["article_id"],
            pipeline_version=data["pipeline_version"],
            language=data.get("language"),
            skipped=data.get("skipped"),
            mentions=tuple(Mention(**m) for m in data.get("mentions", ())),
            timexes=tuple(TimeExpr(**t) for t in data.get("timexes", ())),
            statements=tuple(statement(s) for s in data.get("statements", ())),
            positions=tuple(Position.from_json(p) for p in data.get("positions", ())),
            events=tuple(EventMention.from_json(e) for e in data.get("events", ())),
            figures=tuple(
                Figure(
                    **{
                        **f,
                        "number_span": tuple(f["number_span"]),
                        "event": tuple(f["event"]) if f.get("event") else None,
                    }
                )
                for f in data.get("figures", ())
            ),
            framing=framing_from_json(data["framing"]) if data.get("framing") else None,
        )


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """``storyline-X/spacy-model-Y/stages-…/data-HASH``: changes when code or data changes."""
    from importlib.metadata import PackageNotFoundError, version

    from .nlp import MODEL_NAME

    try:
        model = f"{MODEL_NAME}-{version(MODEL_NAME)}"
    except PackageNotFoundError:  # pragma: no cover - an uninstalled pipeline fails later, clearly
        model = MODEL_NAME
    digest = hashlib.sha256()
    data = resources.files("storyline") / "data"
    for name in DATA_FILES:
        entry = data / name
        if entry.is_file():
            digest.update(name.encode())
            digest.update(entry.read_bytes())
    stages = ",".join(f"{k}{v}" for k, v in sorted(STAGE_VERSIONS.items()))
    from .bias_embed import sentence_scorer

    scorer = sentence_scorer().name  # the framing sentence model chosen at run time
    if scorer != "classical":
        stages += f"+{scorer}"
    return f"storyline-{__version__}/spacy-{version('spacy')}/{model}/{stages}/data-{digest.hexdigest()[:10]}"


def article_date(article: Article) -> date | None:
    """The day an article was published, from its metadata (any provenance), or ``None``."""
    value = article.published
    if not value:
        return None
    try:
        if len(value) >= 10:
            return datetime.fromisoformat(value).date() if "T" in value else date.fromisoformat(value[:10])
    except ValueError:
        logger.debug("unparseable publication date %r for %s", value, article.id)
    return None


def analyze_article(
    article: Article,
    *,
    nlp: Language | None = None,
    gazetteer: Gazetteer | None = None,
    version: str | None = None,
) -> Analysis:
    """Run every per-article stage on ``article.text``. Pure: no I/O, no state kept."""
    from .entities import find_mentions
    from .events import find_events
    from .figures import attach_events, find_figures
    from .framing import analyze_framing
    from .genre import article_genre
    from .positions import find_positions
    from .quotes import find_statements
    from .timex import find_timexes

    version = version or pipeline_version()
    if article.language not in (None, "en"):
        return Analysis(
            article_id=article.id,
            pipeline_version=version,
            language=article.language,
            skipped=f"language {article.language!r}: {ENGLISH_ONLY}",
        )
    if nlp is None:
        from .nlp import get_nlp

        nlp = get_nlp()
    if len(article.text) > nlp.max_length:
        # the parser's own limit (about a million characters: a book, not an article); the article
        # stays stored, its analysis says why it has none
        return Analysis(
            article_id=article.id,
            pipeline_version=version,
            language=article.language,
            skipped=(
                f"too long to analyse: {len(article.text):,} characters of clean text "
                f"(the parser takes at most {nlp.max_length:,})"
            ),
        )
    if gazetteer is None:
        from ..gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    from .nlp import parse

    doc = parse(article.text, nlp=nlp)
    published = article_date(article)
    mentions = find_mentions(article.text, nlp_doc=doc, gazetteer=gazetteer, published=published)
    timexes = find_timexes(article.text, dct=published, nlp_doc=doc)
    statements = find_statements(article.text, nlp_doc=doc)
    positions = find_positions(article.text, statements=statements, mentions=mentions, nlp_doc=doc)
    events = find_events(article.text, nlp_doc=doc, timexes=timexes, mentions=mentions, published=published)
    figures = attach_events(find_figures(article.text, nlp_doc=doc, timexes=timexes), events, doc=doc)
    framing = analyze_framing(article.text, nlp_doc=doc, statements=statements, mentions=mentions)
    framing = replace(
        framing,
        genre=article_genre(
            article.text,
            title=article.title,
            url=article.meta.get("url"),
            kickers=[
                r.text or article.raw[r.raw_start : r.raw_end]
                for r in article.removed
                if r.reason == "section"
            ],
            sections=[
                part for k, value in article.meta.extra if k == "categories" for part in value.split(", ")
            ],
            author=article.meta.get("author"),
            opinion_score=None if framing.defaults_used else framing.opinion_score,
            attributed_share=framing.sourcing.attributed_share,
            quoted=[st.content for st in statements],
        ),
    )
    return Analysis(
        article_id=article.id,
        pipeline_version=version,
        language=article.language,
        mentions=tuple(mentions),
        timexes=tuple(timexes),
        statements=tuple(statements),
        positions=tuple(positions),
        events=tuple(events),
        figures=tuple(figures),
        framing=framing,
    )


def resolved_timexes(analysis: Analysis, published: date | None) -> tuple[TimeExpr, ...]:
    """The analysis' time expressions resolved against ``published`` (cheap: no parsing)."""
    from .timex import resolve_all

    return resolve_all(analysis.timexes, published)


def resolved_events(analysis: Analysis, published: date | None) -> tuple[EventMention, ...]:
    """The analysis' event mentions dated against ``published`` (cheap: no parsing)."""
    from .events import resolve_events

    return resolve_events(analysis.events, resolved_timexes(analysis, published), published)


def framing_from_json(data: dict[str, Any]) -> Framing:
    """A :class:`~storyline.analyze.framing.Framing` back from its stored form."""
    from .framing import Framing, LoadedSpan, ScoredSpan, SourcingProfile
    from .genre import Genre, GenreCue
    from .tone import TargetTone, ToneCue

    def scored(items: Any) -> tuple[ScoredSpan, ...]:
        return tuple(ScoredSpan(**d) for d in items or ())

    genre = data.get("genre")
    return Framing(
        **{
            **data,
            "genre": Genre(**{**genre, "evidence": tuple(GenreCue(**c) for c in genre.get("evidence") or ())})
            if genre
            else None,
            "opinion_sentences": scored(data.get("opinion_sentences")),
            "biased_sentences": scored(data.get("biased_sentences")),
            "loaded": tuple(
                LoadedSpan(**{**d, "target": tuple(d["target"]) if d.get("target") else None})
                for d in data.get("loaded") or ()
            ),
            "sourcing": SourcingProfile(**(data.get("sourcing") or {})),
            "tones": tuple(
                TargetTone(
                    **{
                        **d,
                        "sentence": tuple(d["sentence"]),
                        "cues": tuple(ToneCue(**c) for c in d.get("cues") or ()),
                    }
                )
                for d in data.get("tones") or ()
            ),
        }
    )
