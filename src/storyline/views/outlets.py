"""The framing parts of the outlet comparison: tone toward each actor and the facts an outlet omits.

- **Tone per actor** (:func:`article_tones`, :func:`outlet_tones`): the per-article analysis stores a
  tone per actor *mention* (:mod:`storyline.analyze.tone`, only mentions with an evaluative cue); here
  each mention is mapped to its canonical actor through the actor index, and the tone of an actor in an
  article is the mean over the sentences that mention it (a sentence without a cue counts 0, a sentence
  with several mentions of the actor takes their mean). Per outlet, the tone of an actor is the mean over
  all those sentences in the outlet's articles. Each row points at its evidence: the sentences that
  moved the score, with their cue words.
- **Omitted facts** (:func:`omitted_facts`): per story with at least two outlets, the timeline entries
  (dated events, merged across outlets, approximate ones left out as in ``corpus.timeline()``) and the
  figure groups that some other outlet of the story reports and this outlet does not, with a citation
  into an article that carries each.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..analyze.tone import tone_label
from ..export.jsonl import span_json

if TYPE_CHECKING:
    from ..analyze.pipeline import Analysis
    from ..analyze.tone import TargetTone
    from ..corrections import Applied
    from ..link.actors import ActorIndex
    from ..model import Article

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["UNKNOWN_OUTLET", "article_tones", "omitted_facts", "outlet_tones"]

UNKNOWN_OUTLET = "(unknown outlet)"
_Evidence = tuple[float, str, tuple[int, int], "Article", list["TargetTone"]]
EVIDENCE_MAX = 3
LISTED_MAX = 10


def _sentence_scores(
    article: Article, analysis: Analysis, index: ActorIndex
) -> dict[str, dict[tuple[int, int], list[TargetTone]]]:
    """actor id → sentence → the tones of its mentions there (empty list: mentioned, no cue)."""
    out: dict[str, dict[tuple[int, int], list[TargetTone]]] = defaultdict(dict)
    framing = analysis.framing
    tones = {(t.start, t.end): t for t in framing.tones} if framing is not None else {}
    sentences = sorted({t.sentence for t in tones.values()})
    for m in analysis.mentions:
        actor = index.actor_of(article.id, m.start, m.end)
        if actor is None:
            continue
        tone = tones.get((m.start, m.end))
        if tone is not None:
            out[actor].setdefault(tone.sentence, []).append(tone)
            continue
        sentence = next(((s, e) for s, e in sentences if s <= m.start and m.end <= e), (m.start, m.end))
        out[actor].setdefault(sentence, [])
    return out


def _summaries(
    per_sentence: dict[tuple[int, int], list[TargetTone]],
) -> tuple[float, list[tuple[tuple[int, int], float, list[TargetTone]]]]:
    scored = [
        (sent, sum(t.score for t in tones) / len(tones) if tones else 0.0, tones)
        for sent, tones in per_sentence.items()
    ]
    mean = sum(s for _, s, _ in scored) / len(scored) if scored else 0.0
    return mean, scored


def _evidence(
    article: Article, sent: tuple[int, int], score: float, tones: list[TargetTone]
) -> dict[str, Any]:
    cues = sorted({(c.start, c.end, c.word, c.polarity, c.attributed) for t in tones for c in t.cues})
    return span_json(
        article,
        sent[0],
        sent[1],
        article_id=article.id,
        score=round(score, 3),
        cues=[span_json(article, s, e, word=w, polarity=p, attributed=a) for s, e, w, p, a in cues],
    )


def article_tones(article: Article, analysis: Analysis, index: ActorIndex) -> list[dict[str, Any]]:
    """Per actor of one article: tone (mean over the sentences mentioning it), label, sentence count
    and the sentences with a cue, strongest first."""
    actors = index.actors
    rows: list[dict[str, Any]] = []
    for actor, per_sentence in _sentence_scores(article, analysis, index).items():
        mean, scored = _summaries(per_sentence)
        cued = sorted((x for x in scored if x[2]), key=lambda x: (-abs(x[1]), x[0]))
        rows.append(
            {
                "actor": actor,
                "name": actors[actor].name if actor in actors else actor,
                "tone": round(mean, 3),
                "label": tone_label(mean),
                "sentences": len(scored),
                "evidence": [_evidence(article, s, sc, t) for s, sc, t in cued],
            }
        )
    rows.sort(key=lambda r: (-r["sentences"], r["actor"]))
    return rows


def outlet_tones(
    items: list[tuple[Article, Analysis]], index: ActorIndex, *, limit: int = 8
) -> list[dict[str, Any]]:
    """Per actor over an outlet's articles: tone over every sentence mentioning it, with the strongest
    evidence sentences; the ``limit`` actors mentioned in most sentences."""
    actors = index.actors
    acc: dict[str, list[float]] = defaultdict(list)
    evidence: dict[str, list[tuple[float, str, tuple[int, int], Article, list[TargetTone]]]] = defaultdict(
        list
    )
    for article, analysis in items:
        for actor, per_sentence in _sentence_scores(article, analysis, index).items():
            _, scored = _summaries(per_sentence)
            for sent, score, tones in scored:
                acc[actor].append(score)
                if tones:
                    evidence[actor].append((score, article.id, sent, article, tones))
    ranked = sorted(acc, key=lambda a: (-len(acc[a]), a))[:limit]
    rows: list[dict[str, Any]] = []
    for actor in ranked:
        scores = acc[actor]
        mean = sum(scores) / len(scores)
        top = sorted(evidence[actor], key=lambda x: (-abs(x[0]), x[1], x[2]))[:EVIDENCE_MAX]
        rows.append(
            {
                "actor": actor,
                "name": actors[actor].name if actor in actors else actor,
                "tone": round(mean, 3),
                "label": tone_label(mean),
                "sentences": len(scores),
                "evidence": [_evidence(art, sent, sc, tones) for sc, _, sent, art, tones in top],
            }
        )
    return rows


def omitted_facts(
    index: ActorIndex,
    analyses: Mapping[str, Analysis],
    articles: Mapping[str, Article],
    *,
    stories: Mapping[str, str] | None = None,
    corrections: Applied | None = None,
) -> dict[str, dict[str, Any]]:
    """outlet → ``{"stories", "events", "events_total", "figures", "figures_total"}``: what other outlets
    of the same story report and it does not (see the module docstring). Without ``stories`` the
    articles given are taken as one story. An outlet alone on its stories omits nothing (empty lists)."""
    from .analysis import build_timeline, figure_groups, timeline_rows

    by_story: dict[str, list[str]] = defaultdict(list)
    for article_id in analyses:
        story = (stories or {}).get(article_id, "") if stories is not None else ""
        by_story[story].append(article_id)
    out: dict[str, dict[str, Any]] = {}
    for story, ids in sorted(by_story.items()):
        outlets = sorted({articles[a].outlet or UNKNOWN_OUTLET for a in ids})
        for o in outlets:
            out.setdefault(
                o, {"stories": 0, "events": [], "events_total": 0, "figures": [], "figures_total": 0}
            )
        if len(outlets) < 2:
            continue
        scoped = {a: articles[a] for a in ids}
        timeline = build_timeline(scoped.values(), index, analyses, corrections=corrections)
        entries = corrections.entries(timeline) if corrections else timeline.entries()
        entries = [e for e in entries if not e.approximate]
        events = timeline_rows(entries, index, scoped, corrections=corrections)
        groups = figure_groups({a: analyses[a] for a in ids}, scoped, corrections=corrections)
        for outlet in outlets:
            row = out[outlet]
            row["stories"] += 1
            missing_events = [
                e for e in events if outlet not in {c["outlet"] or UNKNOWN_OUTLET for c in e["citations"]}
            ]
            missing_figures = [
                g for g in groups if outlet not in {r["outlet"] or UNKNOWN_OUTLET for r in g["reports"]}
            ]
            row["events_total"] += len(missing_events)
            row["figures_total"] += len(missing_figures)
            row["events"].extend(_event_row(story, e, articles) for e in missing_events)
            row["figures"].extend(_figure_row(story, g, articles) for g in missing_figures)
    for row in out.values():
        row["events"].sort(key=lambda r: (-len(r["outlets"]), r["date"] or "", r["id"]))
        row["figures"].sort(key=lambda r: (-len(r["outlets"]), r["what"]))
        del row["events"][LISTED_MAX:]
        del row["figures"][LISTED_MAX:]
    return out


def _empty_omits() -> dict[str, Any]:
    return {"stories": 0, "events": [], "events_total": 0, "figures": [], "figures_total": 0}


def _event_row(story: str, e: dict[str, Any], articles: Mapping[str, Article]) -> dict[str, Any]:
    cite = e["citations"][0]
    article = articles[cite["article"]]
    return {
        "story": story or None,
        "id": e["id"],
        "date": e["date"],
        "type": e["type"],
        "what": e["what"],
        "outlets": sorted({c["outlet"] or UNKNOWN_OUTLET for c in e["citations"]}),
        "evidence": span_json(article, cite["start"], cite["end"], article_id=article.id),
    }


def _figure_row(story: str, g: dict[str, Any], articles: Mapping[str, Article]) -> dict[str, Any]:
    first = g["reports"][0]
    article = articles[first["article"]]
    return {
        "story": story or None,
        "what": g["what"],
        "unit": g["unit"],
        "status": g["status"],
        "outlets": sorted({r["outlet"] or UNKNOWN_OUTLET for r in g["reports"]}),
        "values": sorted({r["text"] for r in g["reports"]}),
        "evidence": span_json(article, first["start"], first["end"], article_id=article.id),
    }
