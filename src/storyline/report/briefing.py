"""The briefing's content: cited sentences built from the views, nothing else.

:func:`build_briefing` takes the rows the views give (timeline, positions history, figure groups,
quotes, outlets, framing spans) and writes five sections — key developments, positions, disputed
figures, who said what, how outlets framed it. Each sentence carries the numbers of the citations
it rests on; a :class:`Citation` names the article (outlet, title, date, id) and the character
span, with the evidence text. Sentences are plain text: the renderers escape them.

A sentence that says something is *absent* (no disputed figure, no loaded language found) rests on
no span and cites nothing; every other sentence cites at least one span.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["ArticleInfo", "Briefing", "Citation", "Group", "Section", "Sentence", "build_briefing"]

QUOTE_CHARS = 300  # a quote shown in a sentence is cut here; the citation keeps the whole span
WHAT_CHARS = 220


@dataclass(frozen=True, kw_only=True, slots=True)
class ArticleInfo:
    """What the briefing needs of an article: how to cite it, and its text for the evidence."""

    id: str
    text: str
    outlet: str | None = None
    title: str | None = None
    published: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Citation:
    n: int
    article: str
    start: int
    end: int
    outlet: str | None
    title: str | None
    date: str | None
    quote: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Sentence:
    text: str
    cites: tuple[int, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Group:
    heading: str | None
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Section:
    key: str
    title: str
    groups: tuple[Group, ...]
    empty: str  # said when there are no groups

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for g in self.groups for s in g.sentences)


@dataclass(frozen=True, kw_only=True, slots=True)
class Briefing:
    title: str
    story: str | None
    summary: str
    sections: tuple[Section, ...]
    citations: tuple[Citation, ...]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _cut(text: str, limit: int) -> str:
    text = _squash(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _day(value: str | None) -> str:
    return (value or "undated")[:10]


class _Citations:
    def __init__(self, articles: Mapping[str, ArticleInfo]) -> None:
        self.articles = articles
        self.by_key: dict[tuple[str, int, int], Citation] = {}

    def cite(self, article_id: str, start: int, end: int) -> int | None:
        """The number of the citation of this span (a new one the first time); None for an
        article the briefing does not know or a span outside its text."""
        key = (article_id, int(start), int(end))
        found = self.by_key.get(key)
        if found is not None:
            return found.n
        info = self.articles.get(article_id)
        if info is None or not 0 <= key[1] <= key[2] <= len(info.text):
            return None
        citation = Citation(
            n=len(self.by_key) + 1,
            article=article_id,
            start=key[1],
            end=key[2],
            outlet=info.outlet,
            title=info.title,
            date=info.published,
            quote=_squash(info.text[key[1] : key[2]]),
        )
        self.by_key[key] = citation
        return citation.n

    def cites(self, spans: Iterable[tuple[str, int, int]]) -> tuple[int, ...]:
        out: list[int] = []
        for span in spans:
            n = self.cite(*span)
            if n is not None and n not in out:
                out.append(n)
        return tuple(out)


def _corrected(row: Mapping[str, Any]) -> str:
    """`` (corrected by …)`` for a row a person corrected (:mod:`storyline.corrections`), else ``""``."""
    marker = row.get("corrected")
    if not marker:
        return ""
    return f" (corrected by {marker.get('by') or 'a person'})"


def _when(entry: Mapping[str, Any]) -> str:
    value = str(entry.get("date") or "undated")
    precision = entry.get("precision")
    if precision == "week":
        return f"week {value}"
    if precision == "report":
        return f"about {value[:10]}"
    return value


def _developments(timeline: Sequence[Mapping[str, Any]], c: _Citations, *, limit: int) -> tuple[Group, ...]:
    entries = sorted(timeline, key=lambda e: (str(e.get("date") or "9999"), str(e["id"])))
    sentences: list[Sentence] = []
    for e in entries[:limit]:
        kind = str(e.get("type") or "event").replace("_", " ")
        who = list(e.get("participants", ()))
        head = f"{_when(e)} — {kind}" + (f" ({', '.join(who)})" if who else "")
        if e.get("planned"):
            head += ", planned"
        if e.get("date_conflict"):
            head += f"; the outlets disagree on the date: {' / '.join(e['date_conflict'])}"
        head += _corrected(e)
        outlets = ", ".join(e.get("outlets", ())) or "an unknown outlet"
        text = f"{head}; reported by {outlets}: “{_cut(str(e.get('what') or ''), WHAT_CHARS)}”"
        cites = c.cites((x["article"], x["start"], x["end"]) for x in e.get("citations", ()))
        sentences.append(Sentence(text=text, cites=cites))
    if len(entries) > limit:
        rest = len(entries) - limit
        sentences.append(
            Sentence(
                text=f"Not shown: {rest} later {'entry' if rest == 1 else 'entries'} of the full timeline."
            )
        )
    return (Group(heading=None, sentences=tuple(sentences)),) if sentences else ()


def _entry_span(e: Mapping[str, Any]) -> tuple[str, int, int]:
    return (e["article"], e["start"], e["end"])


def _positions(
    positions: Sequence[Mapping[str, Any]], names: Mapping[str, str], c: _Citations, *, limit: int
) -> tuple[Group, ...]:
    by_actor: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for cell in positions:
        if cell["entries"]:
            by_actor[cell["actor"]].append(cell)
    order = sorted(
        by_actor,
        key=lambda a: (-sum(len(x["entries"]) for x in by_actor[a]), names.get(a, a).casefold(), a),
    )
    groups: list[Group] = []
    for actor in order[:limit]:
        sentences: list[Sentence] = []
        for cell in sorted(by_actor[actor], key=lambda x: str(x["issue"])):
            entries = list(cell["entries"])
            dated = [e for e in entries if e.get("date")]
            current = dated[-1] if dated else entries[-1]
            issue = str(cell["issue"]).replace("_", " ")
            said = _cut(str(current["content"]), QUOTE_CHARS)
            sentences.append(
                Sentence(
                    text=(
                        f"On {issue}, latest: {current['stance']} — “{said}” "
                        f"({_day(current.get('date'))}, {current.get('outlet') or 'unknown outlet'})"
                    ),
                    cites=c.cites([_entry_span(current)]),
                )
            )
            earlier = [e for e in entries if e is not current]
            if earlier:
                listed = earlier[-3:]
                parts = "; ".join(f"{e['stance']} on {_day(e.get('date'))}" for e in listed)
                more = f" (and {len(earlier) - 3} more)" if len(earlier) > 3 else ""
                sentences.append(
                    Sentence(
                        text=f"Earlier on {issue}: {parts}{more}",
                        cites=c.cites(_entry_span(e) for e in listed),
                    )
                )
            for flag in cell.get("flags", ()):
                label = "Changed" if flag["kind"] == "change" else "Contradicted"
                sentences.append(
                    Sentence(
                        text=f"{label} on {issue}: {flag['note']}",
                        cites=c.cites([_entry_span(flag["before"]), _entry_span(flag["after"])]),
                    )
                )
        groups.append(Group(heading=names.get(actor, actor), sentences=tuple(sentences)))
    return tuple(groups)


def _figure_value(r: Mapping[str, Any]) -> str:
    return _squash(str(r.get("text") or r.get("value_text") or r.get("value")))


def _figures(figures: Sequence[Mapping[str, Any]], c: _Citations) -> tuple[Group, ...]:
    sentences: list[Sentence] = []
    for g in figures:
        if g.get("status") != "conflict":
            continue
        what = str(g["what"]) + (f" ({g['unit']})" if g.get("unit") and g["unit"] != g["what"] else "")
        reports = list(g["reports"])
        disputed = sorted({i for pair in g.get("conflicts") or () for i in pair})
        if disputed:  # the reports that disagree, not those of the group that agree or count else
            reports = [reports[i] for i in disputed]
        listed = "; ".join(
            f"{_figure_value(r)} ({r.get('outlet') or 'unknown outlet'}, {_day(r.get('date'))})"
            for r in reports
        )
        sentences.append(
            Sentence(
                text=f"{what}: the outlets disagree — {listed}",
                cites=c.cites((r["article"], r["start"], r["end"]) for r in reports),
            )
        )
    return (Group(heading=None, sentences=tuple(sentences)),) if sentences else ()


def _quote_rank(q: Mapping[str, Any]) -> tuple[int, int, int, str, int]:
    content = q["content"]
    return (
        0 if q.get("kind") == "direct" else 1,
        1 if q.get("partial") else 0,
        -(int(content["end"]) - int(content["start"])),
        str(q["article"]),
        int(content["start"]),
    )


def _quote_sentence(q: Mapping[str, Any], c: _Citations, *, who: str | None = None) -> Sentence:
    content = q["content"]
    cue = f"{q['cue']} " if q.get("cue") else ""
    prefix = f"{who}, " if who else ""
    text = (
        f"{prefix}{_day(q.get('date'))}, {q.get('outlet') or 'unknown outlet'}: "
        f"{cue}“{_cut(str(content.get('text') or ''), QUOTE_CHARS)}”{_corrected(q)}"
    )
    return Sentence(text=text, cites=c.cites([(q["article"], content["start"], content["end"])]))


def _statements(
    quotes: Sequence[Mapping[str, Any]], c: _Citations, *, speakers: int, per_speaker: int
) -> tuple[Group, ...]:
    by_actor: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    anonymous: list[Mapping[str, Any]] = []
    for q in quotes:
        if q.get("speaker_actor"):
            by_actor[q["speaker_actor"]].append(q)
            names[q["speaker_actor"]][str(q.get("speaker") or q["speaker_actor"])] += 1
        elif q.get("speaker_kind") == "anonymous":
            anonymous.append(q)
    order = sorted(by_actor, key=lambda a: (-len(by_actor[a]), names[a].most_common(1)[0][0].casefold(), a))
    groups: list[Group] = []
    for actor in order[:speakers]:
        items = sorted(by_actor[actor], key=_quote_rank)[:per_speaker]
        name = names[actor].most_common(1)[0][0]
        n = len(by_actor[actor])
        groups.append(
            Group(
                heading=f"{name} — {n} statement{'s' if n != 1 else ''}",
                sentences=tuple(_quote_sentence(q, c) for q in items),
            )
        )
    if anonymous:
        items = sorted(anonymous, key=_quote_rank)[:per_speaker]
        n = len(anonymous)
        groups.append(
            Group(
                heading=f"Anonymous sources — {n} statement{'s' if n != 1 else ''}",
                sentences=tuple(
                    _quote_sentence(
                        q, c, who=str((q.get("anonymous") or {}).get("descriptor") or q.get("speaker"))
                    )
                    for q in items
                ),
            )
        )
    return tuple(groups)


def _outlets(
    outlets: Sequence[Mapping[str, Any]],
    framing: Mapping[str, Mapping[str, Any]],
    quotes: Sequence[Mapping[str, Any]],
    articles: Mapping[str, ArticleInfo],
    c: _Citations,
) -> tuple[Group, ...]:
    by_outlet: dict[str, list[str]] = defaultdict(list)
    for info in sorted(articles.values(), key=lambda x: (x.published or "", x.id)):
        by_outlet[info.outlet or "(unknown outlet)"].append(info.id)
    groups: list[Group] = []
    for row in outlets:
        outlet = str(row["outlet"])
        ids = by_outlet.get(outlet, [])
        n = int(row.get("articles") or len(ids))
        in_articles = f"in its {n} article{'s' if n != 1 else ''}"
        sentences: list[Sentence] = []
        opinion = [(s, a) for a in ids for s in (framing.get(a) or {}).get("opinion_sentences", ())]
        if row.get("opinion_score") is None:
            sentences.append(
                Sentence(text=f"No opinion score {in_articles} (its framing could not be scored).")
            )
        else:
            top = max(opinion, key=lambda x: (x[0].get("score", 0), -x[0]["start"]), default=None)
            text = f"Opinion score {row['opinion_score']:.2f} (0 reporting – 1 opinion)"
            if top is None:
                sentences.append(
                    Sentence(text=f"No sentence {in_articles} reads as opinion; {text[0].lower()}{text[1:]}.")
                )
            else:
                sentences.append(
                    Sentence(
                        text=f"{text}; its most opinionated sentence: “{_cut(top[0]['text'], QUOTE_CHARS)}”",
                        cites=c.cites([(top[1], top[0]["start"], top[0]["end"])]),
                    )
                )
        loaded = [(s, a) for a in ids for s in (framing.get(a) or {}).get("loaded", ())]
        density = row.get("loaded_per_100_words")
        if not loaded:
            sentences.append(Sentence(text=f"No loaded language found {in_articles}."))
        else:
            words = Counter(_squash(s["text"]).casefold() for s, _ in loaded)
            shown = ", ".join(f"“{w}”" for w, _ in words.most_common(3))
            rate = f"{density:.2f} loaded words per 100 words" if density is not None else "loaded words"
            firsts: dict[str, tuple[str, int, int]] = {}
            for span, article_id in loaded:
                firsts.setdefault(_squash(span["text"]).casefold(), (article_id, span["start"], span["end"]))
            sentences.append(
                Sentence(
                    text=f"Loaded language: {rate}, such as {shown}",
                    cites=c.cites(firsts[w] for w, _ in words.most_common(3)),
                )
            )
        anon = [q for q in quotes if q.get("speaker_kind") == "anonymous" and q["article"] in ids]
        share = row.get("anonymous_share")
        statements = int(row.get("statements") or 0)
        if not statements:
            sentences.append(Sentence(text=f"No attributed statements {in_articles}."))
        elif not anon:
            sentences.append(
                Sentence(text=f"None of its {statements} statements comes from an anonymous source.")
            )
        else:
            first = min(anon, key=lambda q: (q["article"], q["content"]["start"]))
            pct = f"{share:.0%}" if share is not None else f"{len(anon)}/{statements}"
            descriptor = str(
                (first.get("anonymous") or {}).get("descriptor") or first.get("speaker") or "a source"
            )
            sentences.append(
                Sentence(
                    text=(
                        f"{pct} of its {statements} statements come from anonymous sources, "
                        f"such as “{_squash(descriptor)}”"
                    ),
                    cites=c.cites([(first["article"], first["content"]["start"], first["content"]["end"])]),
                )
            )
        label = f"{outlet} ({n} article{'s' if n != 1 else ''})"
        groups.append(Group(heading=label, sentences=tuple(sentences)))
    return tuple(groups)


def build_briefing(
    *,
    articles: Mapping[str, ArticleInfo],
    timeline: Sequence[Mapping[str, Any]] = (),
    positions: Sequence[Mapping[str, Any]] = (),
    actor_names: Mapping[str, str] | None = None,
    figures: Sequence[Mapping[str, Any]] = (),
    quotes: Sequence[Mapping[str, Any]] = (),
    outlets: Sequence[Mapping[str, Any]] = (),
    framing: Mapping[str, Mapping[str, Any]] | None = None,
    title: str = "Briefing",
    story: str | None = None,
    analysed: int | None = None,
    max_developments: int = 40,
    max_actors: int = 12,
    max_speakers: int = 10,
    per_speaker: int = 3,
) -> Briefing:
    """The briefing over ``articles`` (id → :class:`ArticleInfo`) from the view rows:
    ``timeline`` (``Corpus.timeline()``), ``positions`` (:func:`storyline.export.graphml.position_history`),
    ``figures`` (``Corpus.figures()``), ``quotes`` (``Corpus.quotes()``), ``outlets``
    (``Corpus.outlets()``), ``framing`` (article id → the ``framing`` annotation). ``analysed`` is
    how many of the articles have an analysis (default: all)."""
    c = _Citations(articles)
    names = dict(actor_names or {})
    sections: tuple[Section, ...] = (
        Section(
            key="developments",
            title="Key developments",
            groups=_developments(timeline, c, limit=max_developments),
            empty="No dated events in these articles.",
        ),
        Section(
            key="positions",
            title="Positions",
            groups=_positions(positions, names, c, limit=max_actors),
            empty="No positions of any actor were found.",
        ),
        Section(
            key="figures",
            title="Disputed figures",
            groups=_figures(figures, c),
            empty=(
                f"No figure is disputed ({len(figures)} figure group{'s' if len(figures) != 1 else ''}, "
                "none with conflicting reports)."
            ),
        ),
        Section(
            key="statements",
            title="Who said what",
            groups=_statements(quotes, c, speakers=max_speakers, per_speaker=per_speaker),
            empty="No attributed statements were found.",
        ),
        Section(
            key="outlets",
            title="How outlets framed it",
            groups=_outlets(outlets, framing or {}, quotes, articles, c),
            empty="No outlet has analysed articles.",
        ),
    )
    summary = _summary(articles, analysed)
    if not articles:
        sections = ()
    citations = tuple(sorted(c.by_key.values(), key=lambda x: x.n))
    return Briefing(title=title, story=story, summary=summary, sections=sections, citations=citations)


def _summary(articles: Mapping[str, ArticleInfo], analysed: int | None) -> str:
    n = len(articles)
    if n == 0:
        return "There are no articles to brief on (add some with storyline run PATH)."
    outlets = sorted({a.outlet or "(unknown outlet)" for a in articles.values()})
    dates = sorted(a.published[:10] for a in articles.values() if a.published)
    text = f"{n} article{'s' if n != 1 else ''} from {len(outlets)} outlet{'s' if len(outlets) != 1 else ''}"
    if dates:
        text += f", published {dates[0]}" + (f" to {dates[-1]}" if dates[-1] != dates[0] else "")
    text += "."
    if analysed is not None and analysed < n:
        text += f" {n - analysed} of them are not analysed yet (storyline analyze analyses them)."
    return text
