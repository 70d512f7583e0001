"""Publication dates inferred for undated articles from events that dated articles report."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import storyline
from storyline.link.dates import DateEvidence, InferredDate, infer_publication_dates, with_inferred_date
from storyline.meta import dateline_month_day
from storyline.model import Article, Metadata, MetaValue, OffsetMap

DATED = (
    "Drone strike on Kyiv\n\n"
    "Russia launched a massive drone attack on Kyiv on Sunday, Ukraine's air force said. "
    "Vladimir Putin and Donald Trump held a phone call on Monday, the Kremlin said.\n"
)


def _write(folder: Path, name: str, text: str, meta: dict[str, str] | None = None) -> None:
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    if meta is not None:
        (folder / f"{name}.json").write_text(json.dumps(meta), encoding="utf-8")


def _corpus(tmp_path: Path, undated: str, *, dated: str = DATED) -> storyline.Corpus:
    folder = tmp_path / "in"
    folder.mkdir()
    # Wednesday 2025-05-21: Sunday is 05-18, Monday 05-19
    _write(folder, "dated", dated, {"outlet": "Wire One", "published": "2025-05-21", "title": "Strike"})
    _write(folder, "undated", undated, {"outlet": "Other Paper", "title": "Undated"})
    corpus = storyline.open(":memory:")
    corpus.add([folder])
    corpus.analyze()
    return corpus


def _undated(corpus: storyline.Corpus) -> Article:
    return next(a for a in corpus.articles() if a.outlet == "Other Paper")


def test_yesterday_pins_the_day_after_the_event(tmp_path: Path) -> None:
    corpus = _corpus(
        tmp_path,
        "Phone call\n\nVladimir Putin and Donald Trump held a phone call yesterday, the Kremlin said.\n",
    )
    article = _undated(corpus)
    assert article.published is None  # the store keeps what the input said
    inferred = corpus.inferred_dates()[article.id]
    assert inferred.day == date(2025, 5, 20)  # the call was on Monday 05-19
    assert inferred.evidence[0].kind == "exact"
    assert inferred.evidence[0].event_date == "2025-05-19"
    assert inferred.confidence >= 0.8
    # every view sees the inferred date, marked as inferred
    _, _, articles = corpus._linked()
    meta = articles[article.id].meta.published
    assert meta is not None
    assert (meta.value, meta.provenance) == ("2025-05-20", "inferred")
    assert "2025-05-19" in meta.evidence


def test_relative_values_resolve_from_the_inferred_date(tmp_path: Path) -> None:
    corpus = _corpus(
        tmp_path,
        "Phone call\n\nVladimir Putin and Donald Trump held a phone call yesterday, the Kremlin said. "
        "The two leaders will meet again next week.\n",
    )
    article = _undated(corpus)
    rows = [r for r in corpus.timeline() if r["type"] == "call"]
    assert [r["date"] for r in rows] == ["2025-05-19"]
    dated_id = corpus.inferred_dates()[article.id].evidence[0].article_id
    assert {c["article"] for c in rows[0]["citations"]} == {article.id, dated_id}
    # the article's own annotations too, whichever copy of the article is asked about
    for copy in (article, corpus.get(article.id)):
        values = {t["text"]: t["value"] for t in corpus.annotations(copy)["timexes"]}
        assert values == {"yesterday": "2025-05-19", "next week": "2025-W22"}


def test_weekday_window_prefers_the_nearest_day(tmp_path: Path) -> None:
    corpus = _corpus(
        tmp_path,
        "Attack\n\nRussia launched a huge drone attack on Kyiv on Sunday, Ukrainian officials said.\n",
    )
    inferred = corpus.inferred_dates()[_undated(corpus).id]
    # "on Sunday" (past) allows 05-18 … 05-24; news reports recent events
    assert inferred.day == date(2025, 5, 18)
    assert inferred.evidence[0].kind == "exact"


def test_yearless_dateline_takes_the_year_from_the_corpus(tmp_path: Path) -> None:
    corpus = _corpus(
        tmp_path,
        "Talks\n\nISTANBUL, May 16 (Reuters) - Ukrainian and Russian delegations met for talks.\n",
    )
    inferred = corpus.inferred_dates()[_undated(corpus).id]
    assert inferred.day == date(2025, 5, 16)
    assert [e.kind for e in inferred.evidence] == ["dateline"]
    assert inferred.evidence[0].text == "May 16"
    assert inferred.confidence == 0.5  # the year is the corpus' (its one dated article), not the text's


def test_a_yearless_dateline_takes_the_year_beside_the_corpus_whose_weekday_fits(tmp_path: Path) -> None:
    # the corpus is of May 2025; Oct 11 was a Saturday in 2025 and the Friday the lead tells of in 2024
    corpus = _corpus(
        tmp_path,
        "Job cuts\n\nSEATTLE, Oct 11 (Reuters) - The planemaker will cut 17,000 jobs, its chief executive "
        "said on Friday.\n",
    )
    inferred = corpus.inferred_dates()[_undated(corpus).id]
    assert inferred.day == date(2024, 10, 11)
    assert [e.kind for e in inferred.evidence] == ["dateline"]
    assert inferred.confidence == 0.35  # a weekday fits every few years: as sure as the weekdays alone


def test_nothing_aligns_nothing_inferred(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, "Weather\n\nIt rained a lot in the valley and the river rose.\n")
    assert corpus.inferred_dates() == {}
    assert _undated(corpus).id not in {a for a in corpus.inferred_dates()}


def test_a_given_date_is_never_replaced() -> None:
    article = Article(
        id="a" * 16,
        source_key="x",
        content_hash="h",
        raw="t",
        text="t",
        offsets=OffsetMap.identity(1),
        meta=Metadata(published=MetaValue(value="2025-01-02", provenance="given")),
    )
    found = InferredDate(
        article_id=article.id,
        day=date(2025, 5, 20),
        confidence=0.9,
        evidence=(DateEvidence(start=0, end=1, text="t", kind="exact"),),
    )
    assert with_inferred_date(article, found) is article


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("KYIV, May 18 (Reuters) - Russia launched", (5, 18, 6, 12)),
        ("WASHINGTON, Sept. 3 (AP) — The talks", (9, 3, 12, 19)),
        ("KYIV, May 18, 2025 (Reuters) - dated by parse_dateline", None),
        ("Kyiv, May 18 (Reuters) - place not in capitals", None),
        ("The talks went on.", None),
    ],
)
def test_dateline_month_day(paragraph: str, expected: tuple[int, int, int, int] | None) -> None:
    assert dateline_month_day(paragraph) == expected


def test_one_weak_mention_dates_nothing(tmp_path: Path) -> None:
    # no time expression: "held a phone call" fits any day up to a week after 05-19 — too weak alone
    corpus = _corpus(
        tmp_path,
        "Phone call\n\nVladimir Putin and Donald Trump held a phone call, the Kremlin said.\n",
    )
    assert corpus.inferred_dates() == {}


def test_negated_and_generic_mentions_are_not_evidence(tmp_path: Path) -> None:
    corpus = _corpus(
        tmp_path,
        "Calls\n\nVladimir Putin and Donald Trump held multiple phone calls. "
        "Russia did not attack Kyiv on Sunday, Vladimir Putin said.\n",
    )
    assert corpus.inferred_dates() == {}


def test_inferred_dates_are_stored_and_follow_the_corpus(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    undated = "Phone call\n\nVladimir Putin and Donald Trump held a phone call yesterday, the Kremlin said.\n"
    _write(folder, "undated", undated, {"outlet": "Other Paper", "title": "Undated"})
    db = tmp_path / "s.db"
    with storyline.open(db) as corpus:
        corpus.add([folder / "undated.txt"])
        corpus.analyze()
        assert corpus.inferred_dates() == {}  # nothing to align with yet
        # a dated report of the call arrives: the undated article it concerns is re-examined
        _write(folder, "dated", DATED, {"outlet": "Wire One", "published": "2025-05-21", "title": "Strike"})
        corpus.add([folder / "dated.txt"])
        corpus.analyze()
        (article_id,) = corpus.inferred_dates()
    with storyline.open(db) as corpus:  # stored, not recomputed when read
        stored = corpus.store.inferred_dates()
        assert list(stored) == [article_id]
        assert (stored[article_id]["day"], stored[article_id]["evidence"][0]["kind"]) == (
            "2025-05-20",
            "exact",
        )
        assert corpus.get(article_id).published is None
        assert corpus.inferred_dates()[article_id].day == date(2025, 5, 20)
        # the date becomes known: the given one wins and the inferred row goes
        _write(
            folder,
            "undated",
            undated,
            {"outlet": "Other Paper", "title": "Undated", "published": "2025-05-22"},
        )
        corpus.add([folder / "undated.txt"])
        corpus.analyze()
        assert corpus.store.inferred_dates() == {}
        assert corpus.inferred_dates() == {}


def test_only_the_undated_articles_a_new_article_concerns_are_examined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.link import dates

    corpus = _corpus(
        tmp_path,
        "Phone call\n\nVladimir Putin and Donald Trump held a phone call yesterday, the Kremlin said.\n",
    )
    folder = tmp_path / "more"
    folder.mkdir()
    _write(folder, "weather", "Weather\n\nIt rained in the valley and the river rose.\n", {"outlet": "Local"})
    examined: list[set[str]] = []
    real = dates.infer_publication_dates

    def spy(*args: object, only: set[str] | None = None, **kwargs: object) -> object:
        examined.append(set(only or ()))
        return real(*args, only=only, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dates, "infer_publication_dates", spy)
    corpus.add([folder])
    corpus.analyze()
    weather = next(a.id for a in corpus.articles() if a.outlet == "Local")
    assert examined == [{weather}]  # the new undated article; not the phone-call one it shares nothing with
    assert _undated(corpus).id in corpus.inferred_dates()  # still dated from before


def test_removing_an_article_removes_its_inferred_date(tmp_path: Path) -> None:
    corpus = _corpus(
        tmp_path,
        "Phone call\n\nVladimir Putin and Donald Trump held a phone call yesterday, the Kremlin said.\n",
    )
    article_id = _undated(corpus).id
    assert list(corpus.store.inferred_dates()) == [article_id]
    assert corpus.remove(article_id)
    assert corpus.store.inferred_dates() == {}


def test_cli_articles_shows_the_inferred_date(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storyline.cli import app

    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder, "dated", DATED, {"outlet": "Wire One", "published": "2025-05-21", "title": "Strike"})
    _write(
        folder,
        "undated",
        "Phone call\n\nVladimir Putin and Donald Trump held a phone call yesterday, the Kremlin said.\n",
        {"outlet": "Other Paper", "title": "Undated"},
    )
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "run", str(folder)], catch_exceptions=False).exit_code == 0
    result = runner.invoke(app, ["--db", db, "articles", "--json"], catch_exceptions=False)
    rows = {r["outlet"]: r for r in json.loads(result.stdout)}
    assert (rows["Other Paper"]["published"], rows["Other Paper"]["published_provenance"]) == (
        "2025-05-20",
        "inferred",
    )
    assert (rows["Wire One"]["published"], rows["Wire One"]["published_provenance"]) == (
        "2025-05-21",
        "given",
    )
    table = runner.invoke(app, ["--db", db, "articles"], catch_exceptions=False).stdout
    assert "2025-05-20 (inferred, 0." in table


def test_the_export_carries_the_inferred_date_and_values_resolved_from_it(tmp_path: Path) -> None:
    import io

    corpus = _corpus(
        tmp_path,
        "Phone call\n\nVladimir Putin and Donald Trump held a phone call yesterday, the Kremlin said.\n",
    )
    buf = io.StringIO()
    corpus.export(buf)
    records = {r["outlet"]: r for r in map(json.loads, buf.getvalue().splitlines())}
    undated = records["Other Paper"]
    assert (undated["published"]["value"], undated["published"]["provenance"]) == ("2025-05-20", "inferred")
    [yesterday] = [t for t in undated["annotations"]["timexes"] if t["text"] == "yesterday"]
    assert yesterday["value"] == "2025-05-19"


def test_an_analysis_stopped_by_an_error_still_links_what_it_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.views import analysis as views

    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder, "dated", DATED, {"outlet": "Wire One", "published": "2025-05-21", "title": "Strike"})
    _write(
        folder,
        "undated",
        "Phone call\n\nVladimir Putin and Donald Trump held a phone call yesterday, the Kremlin said.\n",
        {"outlet": "Other Paper", "title": "Undated"},
    )
    corpus = storyline.open(":memory:")
    corpus.add([folder])
    real = views.run_analysis

    def stops_after_storing(*args: object, **kwargs: object) -> object:
        real(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("worker lost")

    monkeypatch.setattr(views, "run_analysis", stops_after_storing)
    with pytest.raises(RuntimeError, match="worker lost"):
        corpus.analyze()
    assert [d["day"] for d in corpus.store.inferred_dates().values()] == ["2025-05-20"]


@pytest.mark.parametrize(
    ("weekday", "ingested", "expected", "confidence"),
    [
        # Dec 9 was a Tuesday in 2025 and 2031, a Wednesday in 2020: the latest fitting year before ingestion
        ("Tuesday", datetime(2026, 11, 27, tzinfo=UTC), date(2025, 12, 9), 0.35),
        ("Tuesday", datetime(2025, 6, 1, tzinfo=UTC), date(2014, 12, 9), 0.35),
        # a report of the day before fits half as well: Dec 9, 2024 was a Monday, a full fit
        ("Monday", datetime(2026, 11, 27, tzinfo=UTC), date(2024, 12, 9), 0.35),
    ],
)
def test_a_yearless_dateline_alone_takes_the_latest_year_its_weekdays_fit(
    tmp_path: Path, weekday: str, ingested: datetime, expected: date, confidence: float
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _write(
        folder,
        "only",
        f"Talks\n\nMOSCOW, Dec 9 (Reuters) - The Kremlin said on {weekday} that talks would go on.\n",
    )
    corpus = storyline.open(":memory:")
    corpus.add([folder])
    corpus.analyze()
    article = replace(next(iter(corpus.articles())), ingested_at=ingested)
    found = infer_publication_dates(
        {article.id: article}, {article.id: corpus.analysis(article.id)}, _no_actor
    )
    assert (found[article.id].day, found[article.id].confidence) == (expected, confidence)
    assert [e.kind for e in found[article.id].evidence] == ["dateline"]


def test_a_yearless_dateline_alone_without_weekdays_dates_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder, "only", "Talks\n\nMOSCOW, Dec 9 (Reuters) - The Kremlin said talks would go on.\n")
    corpus = storyline.open(":memory:")
    corpus.add([folder])
    corpus.analyze()
    assert corpus.inferred_dates() == {}


def _no_actor(article_id: str, start: int, end: int) -> str | None:
    return None


def test_the_leads_weekday_outweighs_the_weekdays_of_background(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _write(
        folder,
        "only",
        "Trade\n\nWASHINGTON, Oct. 22 (Reuters) - The White House said on Wednesday the leaders would meet. "
        "Bessent told CBS on Sunday a framework was agreed. China's foreign ministry said on Monday it "
        "hoped for progress.\n",
    )
    corpus = storyline.open(":memory:")
    corpus.add([folder])
    corpus.analyze()
    article = replace(next(iter(corpus.articles())), ingested_at=datetime(2026, 11, 27, tzinfo=UTC))
    found = infer_publication_dates(
        {article.id: article}, {article.id: corpus.analysis(article.id)}, _no_actor
    )
    # Oct 22, 2025 was a Wednesday; Oct 22, 2018 a Monday, which the two later weekdays alone would fit
    assert (found[article.id].day, found[article.id].confidence) == (date(2025, 10, 22), 0.17)


def test_the_leads_weekday_is_the_day_of_writing(tmp_path: Path) -> None:
    # the call (Monday 05-19, dated by the other article) is background in a lead about Thursday:
    # written on Thursday 05-22, not on the Monday of the call
    corpus = _corpus(
        tmp_path,
        "Aftermath\n\nOfficials met in Geneva on Thursday, three days after Vladimir Putin and Donald Trump "
        "held a phone call on Monday, the Kremlin said.\n",
    )
    inferred = corpus.inferred_dates()[_undated(corpus).id]
    assert inferred.day == date(2025, 5, 22)
    assert inferred.evidence[0].event_date == "2025-05-19"


def test_talks_in_the_plural_are_one_event_that_dates_a_report(tmp_path: Path) -> None:
    corpus = _corpus(
        tmp_path,
        "Talks end\n\nThe talks between Vladimir Putin and Donald Trump in Geneva ended late on Sunday, "
        "the Kremlin said.\n",
        dated="Talks\n\nVladimir Putin and Donald Trump will hold talks in Geneva on Sunday, officials "
        "said.\n",
    )
    inferred = corpus.inferred_dates()[_undated(corpus).id]
    assert inferred.evidence[0].text == "talks"
    assert inferred.evidence[0].event_date == "2025-05-25"  # the Sunday after the dated 05-21


def test_the_weekdays_a_report_tells_lie_close_before_it(tmp_path: Path) -> None:
    # the talks (Sunday 05-25, dated by the other article) ended "late on Sunday"; the Kremlin's
    # reaction "on Monday" puts the report on Monday 05-26, not on the Sunday (six days after a Monday)
    corpus = _corpus(
        tmp_path,
        "Talks end\n\nThe talks between Vladimir Putin and Donald Trump in Geneva ended late on Sunday, "
        "officials said.\n\nThe Kremlin said on Monday it had not received any details.\n",
        dated="Talks\n\nVladimir Putin and Donald Trump will hold talks in Geneva on Sunday, officials "
        "said.\n",
    )
    inferred = corpus.inferred_dates()[_undated(corpus).id]
    assert inferred.day == date(2025, 5, 26)
    assert inferred.evidence[0].event_date == "2025-05-25"


def test_a_local_event_of_no_one_aligns_through_its_place(tmp_path: Path) -> None:
    dated = (
        "Fire near Lyon\n\n"
        "A forest fire broke out near Lyon on Sunday and burned 400 hectares of pine, firefighters said.\n"
    )
    # no participants, few words in common: the fire is the same one because it is near Lyon
    undated = (
        "Evacuations\n\nA wildfire near Lyon drove 300 residents from their homes yesterday, police said.\n"
    )
    corpus = _corpus(tmp_path, undated, dated=dated)
    inferred = corpus.inferred_dates()[_undated(corpus).id]
    # the fire was on Sunday 2025-05-18: "yesterday" was written on Monday
    assert inferred.day == date(2025, 5, 19)
    assert inferred.evidence[0].event_date == "2025-05-18"


def test_a_measured_day_after_an_event_pins_the_report(tmp_path: Path) -> None:
    """ "The Kremlin said Tuesday …, a day after Putin and Trump held a phone call": the call (Monday
    05-19 in the dated article) is the day before the Tuesday of writing."""
    corpus = _corpus(
        tmp_path,
        "Kremlin on the call\n\nThe Kremlin said Tuesday that the talks needed more work, a day after "
        "Vladimir Putin and Donald Trump held a phone call.\n",
    )
    inferred = corpus.inferred_dates()[_undated(corpus).id]
    assert (inferred.day, inferred.evidence[0].event_date) == (date(2025, 5, 20), "2025-05-19")
