"""`storyline analyze`: per-article analysis stored, actors linked, time values resolved late, export."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import storyline
from storyline.analyze.pipeline import Analysis, analyze_article, pipeline_version
from storyline.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("an") / "s.db"
    with storyline.open(db) as corpus:
        corpus.add([str(EXAMPLES)])
        report = corpus.analyze()
        assert report.analyzed == 5 and not report.failed
    return db


def _export(db: Path) -> dict[str, dict]:
    buf = io.StringIO()
    with storyline.open(db) as corpus:
        corpus.export(buf)
    return {Path(r["origin"]).name: r for r in map(json.loads, buf.getvalue().splitlines())}


def test_analysis_round_trips_and_is_deterministic(analysed: Path) -> None:
    with storyline.open(analysed) as corpus:
        article = next(iter(corpus.articles()))
        stored = corpus.analysis(article.id)
    assert stored is not None
    again = analyze_article(article)
    assert again == stored
    assert Analysis.from_json(again.to_json()) == again
    assert stored.pipeline_version == pipeline_version()


def test_analyze_is_incremental_and_force_redoes(analysed: Path) -> None:
    with storyline.open(analysed) as corpus:
        assert corpus.analyze().to_json()["analyzed"] == 0
        assert corpus.analyze().up_to_date == 5
        assert corpus.analyze(force=True).analyzed == 5


def test_samples_actors_are_canonical(analysed: Path) -> None:
    with storyline.open(analysed) as corpus:
        rows = {r["name"]: r for r in corpus.actors()}
    putin = rows["Vladimir Putin"]
    assert putin["type"] == "PERSON" and len(putin["articles"]) == 5
    assert {"Putin", "Vladimir Putin", "Russian president", "Russian leader"} <= set(putin["spellings"])
    zelensky = rows["Volodymyr Zelensky"]
    assert {"Zelensky", "Zelenskyy", "Zelenskiy"} <= set(zelensky["spellings"])
    assert rows["Kremlin"]["affiliation"] == "russia"
    # one actor per real person: no second Putin/Trump/Zelensky under another name
    for surname in ("Putin", "Trump", "Zelensk", "Witkoff", "Kushner", "Peskov"):
        assert len([n for n in rows if surname in n]) == 1, surname
    for place in ("Zaporizhzhia", "Kherson", "Kyiv"):
        assert all(r["type"] != "PERSON" for r in rows.values() if place in r["spellings"])


def test_export_carries_mentions_timexes_statements_with_raw_offsets(analysed: Path) -> None:
    records = _export(analysed)
    rec = records["003_194817203538f8a3.txt"]
    ann = rec["annotations"]
    values = {t["text"]: t["value"] for t in ann["timexes"]}
    # the article is of Wednesday 2025-12-03 (sidecar): tense decides the weekday's side
    assert values["Tuesday"] == "2025-12-02"  # TIMEX3 spans leave the preposition out
    assert values["Thursday"] == "2025-12-04"
    assert values["last month"] == "2025-11"
    raw = rec["raw"]
    for item in ann["mentions"] + ann["timexes"]:
        assert raw[item["raw_start"] : item["raw_end"]] == item["text"]
    ushakov = [s for s in ann["statements"] if s["speaker_name"] == "Yuri Ushakov"]
    assert ushakov, "Ushakov's statement should have its speaker resolved"
    assert all(s["content"]["text"] in rec["text"] for s in ann["statements"])


def test_time_values_follow_a_date_learnt_later(tmp_path: Path) -> None:
    """Without a sidecar the article has no date: relative values stay open; a date given later
    resolves them without re-analysis."""
    bare = tmp_path / "in"
    bare.mkdir()
    shutil.copy(EXAMPLES / "003_194817203538f8a3.txt", bare / "a.txt")
    db = tmp_path / "late.db"
    with storyline.open(db) as corpus:
        corpus.add([str(bare)])
        corpus.analyze()
    first = next(iter(_export(db).values()))
    tuesday = next(t for t in first["annotations"]["timexes"] if t["text"] == "Tuesday")
    assert tuesday["value"] is None and tuesday["relative"]
    (bare / "a.json").write_text(json.dumps({"published": "2025-12-03"}), encoding="utf-8")
    with storyline.open(db) as corpus:
        report = corpus.add([str(bare)])
        assert report.updated == 1  # same text from the same source, new metadata: updated in place
        assert corpus.analyze().analyzed == 0  # nothing to re-parse: values resolve when read
    second = next(iter(_export(db).values()))
    tuesday = next(t for t in second["annotations"]["timexes"] if t["text"] == "Tuesday")
    assert tuesday["value"] == "2025-12-02"


def test_non_english_is_stored_flagged_and_skipped(tmp_path: Path) -> None:
    src = tmp_path / "de"
    src.mkdir()
    (src / "de.txt").write_text(
        "Der russische Präsident hat am Dienstag in Moskau die amerikanischen Gesandten empfangen. "
        "Nach fünf Stunden Gesprächen sagte sein Berater, man habe noch keinen Kompromiss gefunden. "
        "Die Ukraine und ihre europäischen Verbündeten reagierten mit scharfer Kritik auf das Treffen.\n",
        encoding="utf-8",
    )
    with storyline.open(tmp_path / "de.db") as corpus:
        corpus.add([str(src)])
        report = corpus.analyze()
        assert report.analyzed == 0
        assert len(report.skipped) == 1 and "language 'de'" in report.skipped[0][1]
        (article,) = corpus.articles()
        assert article.language == "de"
        analysis = corpus.analysis(article.id)
        assert analysis is not None and analysis.mentions == () and analysis.skipped


@pytest.mark.parametrize(
    "text",
    [
        "PUTIN SAYS NO DEAL. TRUMP SAYS TALKS WILL GO ON. KREMLIN SILENT ON TERMS FOR NOW.",
        "\n".join(f"{i} | {i * 7} | {i * 13.5} | {i * 1000:,}" for i in range(400)),
    ],
)
def test_tables_and_all_caps_do_not_crash(tmp_path: Path, text: str) -> None:
    src = tmp_path / "odd"
    src.mkdir()
    (src / "odd.txt").write_text(text, encoding="utf-8")
    with storyline.open(tmp_path / "odd.db") as corpus:
        corpus.add([str(src)])
        report = corpus.analyze()
        assert not report.failed
        buf = io.StringIO()
        corpus.export(buf)
    assert buf.getvalue().count("\n") == corpus_count(tmp_path / "odd.db")


def corpus_count(db: Path) -> int:
    with storyline.open(db) as corpus:
        return corpus.count()


def test_cli_analyze_actors_and_run(tmp_path: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "cli.db"
    result = runner.invoke(app, ["--db", str(db), "run", str(EXAMPLES)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "5 added" in result.stderr and "5 analysed" in result.stderr
    listed = runner.invoke(
        app, ["--db", str(db), "actors", "--json", "--type", "person"], catch_exceptions=False
    )
    rows = json.loads(listed.stdout)
    assert rows[0]["name"] == "Vladimir Putin"
    assert all(r["type"] == "PERSON" for r in rows)
    again = runner.invoke(app, ["--db", str(db), "analyze", "--json"], catch_exceptions=False)
    assert json.loads(again.stdout)["analyzed"] == 0


@pytest.mark.skipif(not (SHARED / "gold" / "gold_quotes.jsonl").is_file(), reason="needs ../shared/gold")
def test_eval_gold_on_the_annotated_samples(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "system.jsonl"
    result = runner.invoke(
        app,
        [
            "eval",
            "gold",
            str(SHARED / "gold"),
            "--articles",
            str(EXAMPLES),
            "--json",
            "--system-out",
            str(out),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["cleaning"]["kept"] == scores["cleaning"]["evidence_sentences"] > 0
    assert scores["cleaning"]["furniture_left_in_text"] == []
    assert scores["statements"]["recall"] >= 0.9
    assert scores["published"]["correct"] == scores["published"]["articles"] == 2
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_cli_quotes_positions_timeline(analysed: Path) -> None:
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, ["--db", str(analysed), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.stdout

    peskov = json.loads(run("quotes", "--speaker", "Peskov", "--json"))
    assert peskov and all(q["speaker"] == "Dmitry Peskov" for q in peskov)
    # "he refused to elaborate, stressing that …" follows Peskov's statement: he is Peskov
    assert any("the quieter these negotiations" in q["content"]["text"] for q in peskov)
    anonymous = [q for q in json.loads(run("quotes", "--json")) if q["speaker_kind"] == "anonymous"]
    assert any(q["anonymous"]["count"] == 3 for q in anonymous)  # "three sources close to the Kremlin"

    history = json.loads(run("positions", "--actor", "Putin", "--issue", "territory", "--json"))
    assert history and history[0]["actor_name"] == "Vladimir Putin"
    dates = [e["date"] for e in history[0]["entries"]]
    assert dates == sorted(dates)

    rows = json.loads(run("timeline", "--json"))
    dated = [(r["date"], r["type"]) for r in rows]
    assert ("2025-05-18", "attack") in dated
    call = next(r for r in rows if r["date"] == "2025-05-19" and r["type"] == "call")
    assert sorted(call["outlets"]) == ["Business Standard", "Kyiv Insider"]
    miami = next(r for r in rows if r["date"] == "2025-12-04")
    assert miami["planned"] and "Rustem Umerov" in miami["participants"]
    # in time order: a week ("2025-W49", from Monday 1 December) before a day inside it ("2025-12-02")
    from storyline.analyze.events_dates import value_start

    starts = [value_start(r["date"]) for r in rows]
    assert None not in starts and starts == sorted(starts)  # type: ignore[type-var]
    may = json.loads(run("timeline", "--from", "2025-05-01", "--to", "2025-05-31", "--json"))
    assert {r["date"][:7] for r in may} == {"2025-05"}


def test_figures_grouped_across_outlets(analysed: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(analysed), "figures", "--json"], catch_exceptions=False)
    groups = json.loads(result.stdout)
    regions = next(g for g in groups if g["what"] == "region")
    # "four regions", "four eastern regions", "four partially occupied Ukrainian regions"
    assert regions["status"] == "agree" and len(regions["outlets"]) == 3
    assert {r["value"] for r in regions["reports"]} == {4.0}
    texts = {r["text"] for g in groups for r in g["reports"]}
    assert "273 drones" in texts and "1,415 square kilometers" in texts
    assert not any("₹" in t or "min read" in t for t in texts)


def test_figure_agreement_rules() -> None:
    from storyline.views.analysis import _agree

    def fig(value: float, approx: str | None = None, high: float | None = None) -> dict:
        return {"value": value, "value_high": high, "approx": approx, "value_text": None}

    assert _agree(fig(273), fig(270, approx="more than"))
    assert not _agree(fig(273), fig(88))
    assert _agree(fig(250, high=300), fig(273))
    assert not _agree(fig(4), fig(5))


def test_framing_in_export_and_outlets_side_by_side(analysed: Path) -> None:
    records = _export(analysed)
    opinion = records["000_91b67a5ff5f9ac02.txt"]["annotations"]["framing"]
    wire = records["004_409c474fb3687218.txt"]["annotations"]["framing"]
    # the opinion piece is loaded ("Russian dictator", "naive", "mockery"); the wire copy is not
    words = {x["word"].casefold() for x in opinion["loaded"]}
    assert {"dictator", "naive"} <= words
    assert opinion["loaded_per_100_words"] > wire["loaded_per_100_words"]
    assert opinion["opinion_score"] > wire["opinion_score"]
    raw = records["000_91b67a5ff5f9ac02.txt"]["raw"]
    assert all(raw[x["raw_start"] : x["raw_end"]] == x["text"] for x in opinion["loaded"])
    runner = CliRunner()
    rows = json.loads(
        runner.invoke(app, ["--db", str(analysed), "outlets", "--json"], catch_exceptions=False).stdout
    )
    by = {r["outlet"]: r for r in rows}
    assert set(by) == {"Kyiv Insider", "NewsPage360", "Business Standard", "TopNewsPlus", "Interbellum News"}
    # the wire report rests on anonymous sources ("three sources close to the Kremlin")
    assert by["Interbellum News"]["anonymous_share"] > by["Kyiv Insider"]["anonymous_share"]


def test_weekday_is_not_a_surname_and_headline_is_its_own_sentence() -> None:
    from storyline.analyze.entities import find_mentions
    from storyline.analyze.nlp import parse
    from storyline.analyze.quotes import find_statements
    from storyline.gazetteer import load_gazetteer

    text = (
        "EU ministers agree new sanctions as Kallas warns Moscow\n\n"
        "Kremlin spokesman Dmitry Peskov dismissed the measures on Friday, saying they would "
        "“have no effect” on Russia’s economy."
    )
    doc = parse(text)
    mentions = find_mentions(text, nlp_doc=doc, gazetteer=load_gazetteer())
    assert "Friday" not in {m.text for m in mentions}  # the gazetteer holds a PM named Godwin Friday
    # the headline line never runs into the first sentence of the body
    assert [s.text for s in doc.sents][0] == "EU ministers agree new sanctions as Kallas warns Moscow\n\n"
    assert all(st.content[0] > text.index("Kremlin") for st in find_statements(text, nlp_doc=doc))


def test_stories_and_syndicated_copies(tmp_path: Path) -> None:
    src = tmp_path / "wire"
    src.mkdir()
    text = (EXAMPLES / "004_409c474fb3687218.txt").read_text(encoding="utf-8")
    for name, outlet, day in (("a", "Wire Daily", "2025-07-15"), ("b", "Copy Times", "2025-07-16")):
        (src / f"{name}.txt").write_text(text, encoding="utf-8")
        (src / f"{name}.json").write_text(json.dumps({"outlet": outlet, "published": day}), encoding="utf-8")
    shutil.copy(EXAMPLES / "003_194817203538f8a3.txt", src / "c.txt")
    (src / "c.json").write_text(json.dumps({"outlet": "Other", "published": "2025-12-03"}), encoding="utf-8")
    db = tmp_path / "st.db"
    runner = CliRunner()
    assert runner.invoke(app, ["--db", str(db), "run", str(src)], catch_exceptions=False).exit_code == 0
    rows = json.loads(
        runner.invoke(app, ["--db", str(db), "stories", "--json"], catch_exceptions=False).stdout
    )
    wire = next(r for r in rows if "Wire Daily" in r["outlets"])
    assert wire["articles"] == 2 and wire["origins"] == 1
    copy = next(m for m in wire["members"] if m["outlet"] == "Copy Times")
    original = next(m for m in wire["members"] if m["outlet"] == "Wire Daily")
    assert copy["copy_of"] == original["id"]  # the earliest published is the origin
    assert len(rows) == 2  # December's talks are another story


def test_linked_views_are_built_once_and_follow_changes(tmp_path: Path) -> None:
    src = tmp_path / "two"
    src.mkdir()
    for name in ("003_194817203538f8a3", "004_409c474fb3687218"):
        shutil.copy(EXAMPLES / f"{name}.txt", src / f"{name}.txt")
        shutil.copy(EXAMPLES / f"{name}.json", src / f"{name}.json")
    with storyline.open(tmp_path / "two.db") as corpus:
        corpus.add([str(src)])
        corpus.analyze()
        first = corpus._linked()
        assert corpus._linked() is first  # several views in one session share one linking
        names = {r["name"] for r in corpus.actors()}
        assert "Dmitry Peskov" in names
        december = next(a for a in corpus.articles() if a.published == "2025-12-03")
        corpus.remove(december.id)
        assert "Dmitry Peskov" not in {r["name"] for r in corpus.actors()}


def test_a_wire_dateline_opens_its_lead_sentence_and_is_never_split() -> None:
    from storyline.analyze.nlp import parse

    text = (
        "Sudan's warring sides to meet in Jeddah\n\n"
        "PORT SUDAN, Sudan (AP) — Delegations from Sudan's army will meet in Jeddah on Friday. "
        "Mediators said so."
    )
    assert [s.text for s in parse(text).sents] == [
        "Sudan's warring sides to meet in Jeddah\n\n",
        "PORT SUDAN, Sudan (AP) — Delegations from Sudan's army will meet in Jeddah on Friday.",
        "Mediators said so.",
    ]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Polls were due to close at 9 p.m. Turnout stood at 31.2% by noon.",
            ["Polls were due to close at 9 p.m.", "Turnout stood at 31.2% by noon."],
        ),
        # a day, a month or a time zone after the clock goes on with the same sentence
        ("Polls close at 9 p.m. Friday in the capital.", ["Polls close at 9 p.m. Friday in the capital."]),
        ("Polls close at 9 p.m. Moscow time on Sunday.", ["Polls close at 9 p.m. Moscow time on Sunday."]),
        ("Polls open at 7 a.m. Eastern on Tuesday.", ["Polls open at 7 a.m. Eastern on Tuesday."]),
    ],
)
def test_a_clock_time_ends_a_sentence_before_a_capitalised_word(text: str, sentences: list[str]) -> None:
    from storyline.analyze.nlp import parse

    assert [s.text.strip() for s in parse(text).sents] == sentences


def test_an_article_longer_than_the_parser_takes_is_skipped_with_the_reason() -> None:
    import spacy

    from storyline.build import build_article
    from storyline.config import IngestConfig
    from storyline.model import Metadata, RawDocument

    text = "The ministry said on Monday that talks would resume in Geneva. " * 5
    doc = RawDocument(origin="long.txt", source_key="local:long.txt", kind="text", text=text, meta=Metadata())
    article = build_article(doc, config=IngestConfig())
    nlp = spacy.blank("en")
    nlp.max_length = 100
    analysis = analyze_article(article, nlp=nlp)
    assert analysis.skipped == (
        f"too long to analyse: {len(article.text):,} characters of clean text (the parser takes at most 100)"
    )
    assert analysis.statements == () and analysis.events == ()
