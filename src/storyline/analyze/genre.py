"""Is an article opinion, analysis or reporting? A label with its confidence and the evidence behind it.

:func:`article_genre` weighs what the page says of itself before what the text reads like:

1. **Labels the outlet gives**: a headline prefix ("Opinion: …", "Analysis | …"), a section of the URL
   (``/opinion/``, ``/commentisfree/``, ``/analysis/``), the page's section (``article:section``), a
   kicker line that cleaning removed ("OPINION").
   Any of them decides (confidence 0.95; "analysis" and "explainer" give ``analysis``).
2. **An author's note** closing the text ("Clara Hoffmann is a senior fellow at …"): the signature of a
   column or op-ed (``opinion``, 0.8 when it names the known author; 0.65 with no author known, and
   only if the text does not read as plain reporting — a news story may end on who a source is).
3. **How the text reads**: the article's opinion score (the sentence model's mean, see
   :mod:`storyline.analyze.framing`), how little of it is attributed to sources and how often the writer
   says "I" outside quotations. An opinion score of 0.5 or more with under a third of the text attributed
   reads as ``opinion``; otherwise ``reporting``, surer the further the score is from 0.5.

Every judgement lists its evidence (kind, the words, their clean-text span when they are in the text).
Pure: the same inputs give the same label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["Genre", "GenreCue", "article_genre"]

Offsets = tuple[int, int]

_OPINION_WORDS = (
    "opinion|opinions|op-ed|oped|op-eds|comment|commentary|commentisfree|editorial|editorials|column|columns"
    "|columnist|columnists|letters?|perspective|perspectives|viewpoint|viewpoints|voices|ideas|blogs?"
)
_ANALYSIS_WORDS = "analysis|news-analysis|explainer|explainers|explained|fact-check|factcheck"
_TITLE_LABEL = re.compile(
    rf"^\s*(?P<label>{_OPINION_WORDS}|{_ANALYSIS_WORDS}|the big read|the view)\s*[:|–—-]\s+\S", re.IGNORECASE
)
_URL_SEGMENT = re.compile(rf"^(?:{_OPINION_WORDS}|{_ANALYSIS_WORDS})$", re.IGNORECASE)
_KICKER = re.compile(rf"^\W*(?:{_OPINION_WORDS}|{_ANALYSIS_WORDS})\W*$", re.IGNORECASE)
_ANALYSIS = re.compile(rf"^(?:{_ANALYSIS_WORDS}|the big read)$", re.IGNORECASE)
# "Clara Hoffmann is a senior fellow at the Centre for European Strategy." closing a column
_BIO = re.compile(
    r"(?:^|\n)\s*(?P<bio>(?:[A-Z][\w.'’-]+\s+){1,3}[A-Z][\w'’-]+,?\s+(?:is|was|has been)\s+(?:a|an|the)\s+"
    r"[^\n]{0,160}?\b(?:fellow|professor|columnist|contributor|contributing|writer|author|analyst|director|"
    r"editor|researcher|lecturer|scholar|chair|president|founder|former)\b[^\n]{0,200}?[.)]?)\s*$"
)
_FIRST_PERSON = re.compile(r"(?<![\w’'])(?<!War )(?:I|I['’]m|I['’]ve|I['’]d|[Mm]y|[Mm]e)(?![\w’'])")


@dataclass(frozen=True, kw_only=True, slots=True)
class GenreCue:
    """One piece of evidence: ``kind`` (title, url, kicker, author-note, score, first-person), the words,
    and their span in the clean text when they are in it."""

    kind: str
    text: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Genre:
    """``label`` is ``opinion``, ``analysis`` or ``reporting``; ``confidence`` in [0.5, 0.95]."""

    label: str
    confidence: float
    evidence: tuple[GenreCue, ...] = ()


def _label_of(word: str) -> str:
    return "analysis" if _ANALYSIS.match(word.strip().lower()) else "opinion"


def _outside(spans: Sequence[Offsets], start: int, end: int) -> bool:
    return not any(s <= start and end <= e for s, e in spans)


def article_genre(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    kickers: Iterable[str] = (),
    sections: Iterable[str] = (),
    author: str | None = None,
    opinion_score: float | None = None,
    attributed_share: float = 0.0,
    quoted: Sequence[Offsets] = (),
) -> Genre:
    """The genre of the article whose clean text is ``text`` (see the module docstring).

    ``kickers`` are short lines cleaning removed as section labels, ``sections`` the page's categories
    (HTML ``article:section``); ``quoted`` the spans of attributed
    content (first-person words inside them are the sources', not the writer's)."""
    labels: list[tuple[str, GenreCue]] = []
    if title and (m := _TITLE_LABEL.match(title)):
        labels.append((_label_of(m["label"]), GenreCue(kind="title", text=m["label"])))
    if url:
        try:
            path = urlsplit(url).path
        except ValueError:
            path = ""
        for segment in path.split("/")[:-1]:  # the last segment is the article's own slug
            if _URL_SEGMENT.match(segment):
                labels.append((_label_of(segment), GenreCue(kind="url", text=segment)))
                break
    for section in sections:  # the page's own section ("article:section" Opinion)
        if _URL_SEGMENT.match(section.strip().replace(" ", "-")):
            labels.append((_label_of(section.strip()), GenreCue(kind="section", text=section.strip())))
            break
    for line in kickers:
        if _KICKER.match(line.strip()):
            word = re.sub(r"\W+", " ", line).strip()
            labels.append((_label_of(word), GenreCue(kind="kicker", text=line.strip())))
            break
    if labels:
        label = labels[0][0]
        return Genre(label=label, confidence=0.95, evidence=tuple(c for lab, c in labels if lab == label))

    evidence: list[GenreCue] = []
    tail = text.rstrip()[-400:]
    bio = _BIO.search(tail)
    # the note names the author when the author is known; without one, the text must not read as plain
    # reporting (a news story may end on who a source is: "Smith is a senior fellow at …")
    surname = author.split()[-1].lower() if author and author.split() else None
    if bio is not None and (
        (surname is not None and surname in bio["bio"].lower().split(" is ")[0].split(" was ")[0])
        or (surname is None and (opinion_score is None or opinion_score >= 0.3))
    ):
        start = len(text.rstrip()) - len(tail) + bio.start("bio")
        evidence.append(
            GenreCue(kind="author-note", text=bio["bio"], start=start, end=start + len(bio["bio"]))
        )
        return Genre(label="opinion", confidence=0.8 if surname else 0.65, evidence=tuple(evidence))

    own = [m for m in _FIRST_PERSON.finditer(text) if _outside(quoted, m.start(), m.end())]
    if own:
        first = own[0]
        evidence.append(
            GenreCue(
                kind="first-person", text=f"{len(own)}× first person", start=first.start(), end=first.end()
            )
        )
    if opinion_score is None:
        return Genre(label="reporting", confidence=0.5, evidence=tuple(evidence))
    evidence.append(
        GenreCue(kind="score", text=f"opinion score {opinion_score:.2f}, {attributed_share:.0%} attributed")
    )
    reads_opinion = opinion_score >= 0.5 or (opinion_score >= 0.4 and len(own) >= 3)
    if reads_opinion and attributed_share < 1 / 3:
        confidence = min(0.9, 0.6 + (opinion_score - 0.4) + 0.05 * min(len(own), 4))
        return Genre(label="opinion", confidence=round(confidence, 2), evidence=tuple(evidence))
    confidence = min(0.9, 0.5 + abs(0.5 - opinion_score) + (0.1 if attributed_share >= 1 / 3 else 0.0))
    return Genre(label="reporting", confidence=round(confidence, 2), evidence=tuple(evidence))
