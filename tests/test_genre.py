"""Opinion, analysis or reporting (storyline.analyze.genre): the page's own labels first, then an
author's note, then how the text reads; every judgement with its evidence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import storyline
from storyline.analyze.genre import article_genre

REPORT = "Russia fired 273 drones at Ukraine overnight, the air force said. Officials said six people died."


@pytest.mark.parametrize(
    ("kwargs", "label", "kind"),
    [
        ({"title": "Opinion: Europe cannot be a bystander"}, "opinion", "title"),
        ({"title": "Analysis | Why the talks stalled"}, "analysis", "title"),
        ({"url": "https://example.org/commentisfree/2025/nov/26/europe-peace"}, "opinion", "url"),
        ({"url": "https://example.org/world/analysis/why-talks-stalled"}, "analysis", "url"),
        ({"kickers": ["OPINION"]}, "opinion", "kicker"),
        ({"sections": ["World", "Opinion"]}, "opinion", "section"),
    ],
)
def test_the_pages_own_label_decides(kwargs: dict[str, object], label: str, kind: str) -> None:
    genre = article_genre(REPORT, opinion_score=0.1, attributed_share=0.8, **kwargs)  # type: ignore[arg-type]
    assert (genre.label, genre.confidence, [c.kind for c in genre.evidence]) == (label, 0.95, [kind])


def test_a_slug_or_a_news_section_is_no_label() -> None:
    # the last URL segment is the article's slug; "world" is a section of news
    genre = article_genre(
        REPORT,
        url="https://example.org/world/opinion-polls-show-support",
        opinion_score=0.1,
        attributed_share=0.8,
    )
    assert genre.label == "reporting"


def test_an_authors_note_closing_the_text_marks_a_column() -> None:
    text = "Europe must insist on a seat.\n\nClara Hoffmann is a senior fellow at the Centre for Strategy."
    genre = article_genre(text, author="Clara Hoffmann", opinion_score=0.1, attributed_share=0.0)
    assert (genre.label, genre.confidence) == ("opinion", 0.8)
    # no author known: the note counts less, and not against a text that reads as plain reporting
    assert article_genre(text, opinion_score=0.35).confidence == 0.65
    assert article_genre(text, opinion_score=0.1).label == "reporting"
    # a news story ending on who its source is, by another writer, is reporting
    assert article_genre(text, author="Tom Hale", opinion_score=0.2).label == "reporting"
    genre = article_genre(text, author="Clara Hoffmann", opinion_score=0.1, attributed_share=0.0)
    (cue,) = genre.evidence
    assert cue.kind == "author-note" and cue.start is not None and cue.end is not None
    assert text[cue.start : cue.end] == "Clara Hoffmann is a senior fellow at the Centre for Strategy."


@pytest.mark.parametrize(
    ("score", "attributed", "label"),
    [
        (0.7, 0.1, "opinion"),
        (0.7, 0.6, "reporting"),  # opinionated sentences, but most of them are the sources'
        (0.2, 0.1, "reporting"),
    ],
)
def test_without_labels_the_text_decides(score: float, attributed: float, label: str) -> None:
    genre = article_genre(REPORT, opinion_score=score, attributed_share=attributed)
    assert genre.label == label
    assert genre.evidence[-1].kind == "score"


def test_first_person_counts_only_outside_quotes() -> None:
    text = 'I think the plan is a trap. "I will never sign it," Zelensky said. My view: it rewards force.'
    quote = (text.index("I will"), text.index('," Zelensky'))
    genre = article_genre(text, opinion_score=0.45, attributed_share=0.2, quoted=[quote])
    first = next(c for c in genre.evidence if c.kind == "first-person")
    assert first.text == "2× first person" and (first.start, first.end) == (0, 1)
    # "World War I" is no writer speaking
    history = article_genre("The front recalls World War I trenches.", opinion_score=0.2)
    assert [c.kind for c in history.evidence] == ["score"]


def test_the_genre_is_in_the_export_and_the_outlets_view(tmp_path: Path) -> None:
    rows = [
        {"text": "Europe must insist on a seat at the table, and it must back that demand with money.\n\n"
                 "Clara Hoffmann is a senior fellow at the Centre for Strategy.",
         "title": "Europe cannot be a bystander", "outlet": "The Meridian", "published": "2025-11-26",
         "author": "Clara Hoffmann"},
        {"text": REPORT, "title": "Drones hit Ukraine", "outlet": "Wire", "published": "2025-11-25",
         "url": "https://wire.example/world/drones-hit-ukraine"},
    ]  # fmt: skip
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with storyline.open(tmp_path / "s.db") as corpus:
        corpus.add([path])
        corpus.analyze()
        labels = {a.outlet: corpus.annotations(a)["framing"]["genre"]["label"] for a in corpus.articles()}
        shares = {o["outlet"]: o["opinion_share"] for o in corpus.outlets()}
    assert labels == {"The Meridian": "opinion", "Wire": "reporting"}
    assert shares == {"The Meridian": 1.0, "Wire": 0.0}
