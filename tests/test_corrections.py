"""Corrections a person makes: every kind applied in the views, stored apart from the machine's
output, surviving ``analyze --force``, orphaned when their target is gone, through the Python API,
the CLI and the REST API, on the in-memory and the SQL stores, and the 0001 → 0002 migration."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import storyline
from storyline.cli import app as cli_app
from storyline.corpus import Corpus
from storyline.errors import NotFound, UsageError
from storyline.store import open_store
from storyline.views.analysis import load_analysis
from storyline.web.app import create_app

# Three short articles written for these tests (not the bundled samples).
ARTICLES = [
    {
        "text": 'Talks in Geneva on Tuesday ended without a deal. "We will not give up our land," '
        "Karin Holmqvist said on Tuesday. The ministry said 273 drones were fired at the city "
        "overnight. A senior official, speaking on condition of anonymity, said the talks must restart "
        "on Thursday. Holmqvist met Anton Brandt in Geneva on Tuesday.",
        "title": "Talks end",
        "outlet": "Daily One",
        "url": "https://one.example/talks",
        "published": "2025-12-03",
    },
    {
        "text": 'Anton Brandt met Karin Holmqvist in Geneva on Tuesday, officials said. "The talks were '
        'useful," Brandt said. More than 270 drones hit the city, the ministry said.',
        "title": "Talks in Geneva",
        "outlet": "Second Post",
        "url": "https://two.example/geneva",
        "published": "2025-12-03",
    },
    {
        "text": 'Olaf Mertens, the mediator, arrived in Geneva on Monday. "Nothing is agreed yet," '
        "Ola Mertens told reporters. Lena Vogt, his deputy, said 40 observers would follow.",
        "title": "Mediator",
        "outlet": "Third Wire",
        "url": "https://three.example/m",
        "published": "2025-12-02",
    },
]


def _write_articles(path: Path) -> Path:
    path.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def analysed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite store with the three articles analysed, made once; tests work on copies."""
    root = tmp_path_factory.mktemp("corrections")
    db = root / "base.db"
    with storyline.open(db) as corpus:
        corpus.add([_write_articles(root / "articles.jsonl")])
        report = corpus.analyze()
        assert report.analyzed == 3
    return db


@pytest.fixture
def db(analysed_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "storyline.db"
    for suffix in ("", "-wal", "-shm"):
        src = analysed_db.with_name(analysed_db.name + suffix)
        if src.exists():
            shutil.copy(src, copy.with_name(copy.name + suffix))
    return copy


@pytest.fixture
def corpus(db: Path) -> Iterator[Corpus]:
    with storyline.open(db) as c:
        yield c


def ids(corpus: Corpus) -> tuple[str, str, str]:
    by_outlet = {a.outlet: a.id for a in corpus.articles()}
    return by_outlet["Daily One"], by_outlet["Second Post"], by_outlet["Third Wire"]


def quote(corpus: Corpus, article: str, start: int) -> dict[str, Any]:
    return next(q for q in corpus.quotes() if q["article"] == article and q["content"]["start"] == start)


def entry_with(rows: list[dict[str, Any]], article: str, trigger_start: int) -> dict[str, Any]:
    """The timeline row citing the event whose trigger starts at ``trigger_start``."""
    for row in rows:
        for c in row["citations"]:
            if c["article"] == article and c["start"] <= trigger_start < c["end"]:
                return row
    raise AssertionError(f"no timeline entry cites {article} at {trigger_start}")


def marker(correction: Any) -> dict[str, Any]:
    return {
        "id": correction.id,
        "by": correction.author,
        "at": correction.created_at.isoformat(),
        "note": correction.note,
    }


# -- each kind, applied in the views -------------------------------------------------------------


def test_speaker_to_an_actor_and_to_an_anonymous_source(corpus: Corpus) -> None:
    a, _, _ = ids(corpus)
    before = quote(corpus, a, 132)
    assert (before["speaker"], before["speaker_kind"], "corrected" in before) == (
        "The ministry",
        "institution",
        False,
    )
    # an approximate span inside the statement names it; the stable target is its exact span
    made = corpus.correct(
        "speaker",
        {"article": a[:8], "start": 140, "end": 150},
        {"actor": "Anton Brandt"},
        author="alice",
        note="ok",
    )
    assert made.target == {"article": a, "start": 132, "end": 175}
    assert made.value == {"actor": "anton-brandt-6cc611", "name": "Anton Brandt"}
    row = quote(corpus, a, 132)
    assert row["speaker"] == "Anton Brandt"
    assert row["speaker_actor"] == "anton-brandt-6cc611"
    assert row["speaker_kind"] == "named"
    assert row["corrected"] == {"id": made.id, "by": "alice", "at": made.created_at.isoformat(), "note": "ok"}
    assert [q["content"]["start"] for q in corpus.quotes(actor="Anton Brandt") if q["article"] == a] == [132]
    assert "corrected" not in quote(corpus, a, 50)

    anon = corpus.correct(
        "speaker", {"article": a, "start": 50, "end": 79}, {"anonymous": "a negotiator"}, author="bo"
    )
    row = quote(corpus, a, 50)
    assert (row["speaker"], row["speaker_actor"], row["speaker_kind"]) == ("a negotiator", None, "anonymous")
    assert row["anonymous"] == {"count": None, "affiliation": None, "descriptor": "a negotiator"}
    assert row["corrected"]["id"] == anon.id
    # the export carries the corrected statement too
    statement = next(
        s for s in corpus.annotations(corpus.get(a))["statements"] if s["content"]["start"] == 50
    )
    assert statement["speaker_kind"] == "anonymous" and statement["corrected"]["by"] == "bo"


def test_speaker_correction_moves_the_positions_the_speaker_holds(corpus: Corpus) -> None:
    a, b, _ = ids(corpus)
    brandt = "anton-brandt-6cc611"

    def cells(actor: str) -> dict[str, list[tuple[str, int, Any]]]:
        matrix = corpus.positions().matrix().get(actor, {})
        return {i: [(e.article_id, e.start, e.corrected) for e in es] for i, es in matrix.items()}

    assert cells(brandt) == {"negotiation_format": [(b, 71, None)]}
    # "A senior official … said the talks must restart on Thursday": the position goes to the corrected
    # speaker
    made = corpus.correct("speaker", {"article": a, "start": 237, "end": 271}, {"actor": brandt}, author="al")
    assert sorted(cells(brandt)["negotiation_format"], key=str) == sorted(
        [(b, 71, None), (a, 177, marker(made))], key=str
    )
    held = next(p for p in corpus.annotations(corpus.get(a))["positions"] if p["evidence"]["start"] == 177)
    assert (held["holder_actor"], held["corrected"]) == (brandt, marker(made))
    matrix = corpus.positions(actor="Anton Brandt").matrix()[brandt]
    assert sorted(e.article_id for e in matrix["negotiation_format"]) == sorted([a, b])
    # "The talks were useful," Brandt said → an anonymous source: Brandt no longer holds that position
    corpus.correct("speaker", {"article": b, "start": 72, "end": 94}, {"anonymous": "an aide"}, author="al")
    assert cells(brandt) == {"negotiation_format": [(a, 177, marker(made))]}


def test_publication_date_resolves_relative_dates_again(corpus: Corpus) -> None:
    _, b, _ = ids(corpus)
    timexes = corpus.annotations(corpus.get(b))["timexes"]
    assert [(t["text"], t["value"]) for t in timexes] == [("Tuesday", "2025-12-02")]
    made = corpus.correct("date", {"article": b}, "2025-12-10", author="alice")
    assert (made.target, made.value) == ({"article": b, "of": "published"}, {"date": "2025-12-10"})
    article = corpus.get(b)
    assert article.published == "2025-12-10"
    published = article.meta.published
    assert published is not None
    assert (published.provenance, published.evidence) == ("corrected", f"correction #{made.id} by alice")
    # "met … on Tuesday" in an article of Wednesday 2025-12-10 is Tuesday 2025-12-09
    timexes = corpus.annotations(article)["timexes"]
    assert [(t["text"], t["value"]) for t in timexes] == [("Tuesday", "2025-12-09")]
    assert [q["date"] for q in corpus.quotes() if q["article"] == b] == ["2025-12-10"] * 3
    # the stored article keeps the machine's date
    assert corpus.store.get(b).published == "2025-12-03"
    # listings sort and filter by the corrected date
    a, _, c = ids(corpus)
    assert [x.id for x in corpus.articles()] == [c, a, b]
    assert [x.id for x in corpus.articles(since="2025-12-04")] == [b]
    assert [x.id for x in corpus.articles(until="2025-12-03")] == [c, a]
    assert [x.id for x in corpus.articles(since="2025-12-03", limit=1, offset=1)] == [b]
    assert [x.id for x in corpus.articles(since="2025-12-04", outlet="Daily One")] == []


def test_time_expression_value_dates_its_event(corpus: Corpus) -> None:
    a, _, _ = ids(corpus)
    assert entry_with(corpus.timeline(), a, 241)["date"] == "2025-12-04"
    made = corpus.correct(
        "date", {"article": a, "of": "timex", "start": 263, "end": 271}, "2025-12-05", author="al"
    )
    timex = next(t for t in corpus.annotations(corpus.get(a))["timexes"] if t["start"] == 263)
    assert (timex["text"], timex["value"], timex["corrected"]["id"]) == ("Thursday", "2025-12-05", made.id)
    row = entry_with(corpus.timeline(), a, 241)
    assert row["date"] == "2025-12-05"
    assert [c["date_value"] for c in row["citations"]] == ["2025-12-05"]


def test_event_date(corpus: Corpus) -> None:
    a, _, _ = ids(corpus)
    # "273 drones were fired at the city overnight" in a paper of December 3: the night into the 3rd
    assert entry_with(corpus.timeline(), a, 148)["date"] == "2025-12-03"
    made = corpus.correct(
        "date", {"article": a, "of": "event", "start": 148, "end": 153}, "2025-12-01", author="al"
    )
    row = entry_with(corpus.timeline(), a, 148)
    assert (row["date"], row["type"], row["corrected"]["id"]) == ("2025-12-01", "attack", made.id)
    assert row["citations"][0]["date_source"] == "corrected"
    assert [r["id"] for r in corpus.timeline(since="2025-12-01", until="2025-12-01")] == [row["id"]]
    event = next(e for e in corpus.annotations(corpus.get(a))["events"] if e["start"] == 148)
    assert (event["date"], event["precision"], event["corrected"]["id"]) == ("2025-12-01", "day", made.id)


def test_event_merge_and_split(corpus: Corpus) -> None:
    a, _, _ = ids(corpus)
    before = corpus.timeline()
    said, fired = entry_with(before, a, 97), entry_with(before, a, 148)
    assert said["id"] != fired["id"]
    merged = corpus.correct(
        "event_merge",
        {"events": [{"article": a, "start": 148, "end": 153}, {"article": a, "start": 97, "end": 101}]},
        author="eve",
    )
    after = corpus.timeline()
    assert len(after) == len(before) - 1
    row = entry_with(after, a, 148)
    assert row is entry_with(after, a, 97)
    assert [(c["trigger"], c["start"]) for c in row["citations"]] == [("said", 49), ("fired", 114)]
    assert row["id"] == said["id"] and row["corrected"]["id"] == merged.id

    meeting = entry_with(after, a, 283)
    assert len(meeting["citations"]) == 4
    split = corpus.correct("event_split", {"article": a, "start": 283, "end": 286}, author="eve")
    rows = corpus.timeline()
    alone = entry_with(rows, a, 283)
    digest = hashlib.sha1(f"{a}:283:286".encode()).hexdigest()[:12]
    assert (alone["id"], alone["date"], alone["type"]) == (f"ev-{digest}", "2025-12-02", "meeting")
    assert [c["trigger"] for c in alone["citations"]] == ["met"]
    assert alone["corrected"]["id"] == split.id
    assert len(entry_with(rows, a, 0)["citations"]) == 3
    # the filters apply to the corrected entries
    with_brandt = [r["id"] for r in rows if "Anton Brandt" in r["participants"]]
    assert alone["id"] in with_brandt
    assert [r["id"] for r in corpus.timeline(actor="Anton Brandt")] == with_brandt
    assert [r["id"] for r in corpus.timeline(since="2025-12-03")] == [
        r["id"] for r in rows if r["date"] >= "2025-12-03"
    ]


def test_figure_meaning(corpus: Corpus) -> None:
    _, b, _ = ids(corpus)
    groups = corpus.figures()
    assert [(g["what"], g["status"], len(g["reports"])) for g in groups] == [
        ("drone", "agree", 2),
        ("observer", "single", 1),
    ]
    made = corpus.correct(
        "figure",
        {"article": b, "start": 109, "end": 129},
        {"what": "cruise missiles", "unit": "missiles", "value": "275"},
        author="fay",
    )
    assert made.value == {"what": "cruise missiles", "unit": "missiles", "value": 275.0}
    groups = {g["what"]: g for g in corpus.figures()}
    assert sorted(groups) == ["drone", "missile", "observer"]
    assert groups["drone"]["status"] == "single" and "corrected" not in groups["drone"]
    (report,) = groups["missile"]["reports"]
    assert (report["text"], report["value"], report["unit"]) == ("More than 270 drones", 275.0, "missiles")
    assert report["corrected"]["id"] == groups["missile"]["corrected"]["id"] == made.id


def test_actor_merge_split_rename(corpus: Corpus) -> None:
    _, b, c = ids(corpus)
    names = {r["id"]: r["name"] for r in corpus.actors()}
    assert names["ola-mertens-ada279"] == "Ola Mertens" and names["olaf-mertens-f1a06b"] == "Olaf Mertens"
    merge = corpus.correct("actor_merge", {"actors": ["Olaf Mertens", "Ola Mertens"]}, author="gus")
    assert merge.target == {"actors": ["olaf-mertens-f1a06b", "ola-mertens-ada279"]}
    assert merge.value == {"into": "Olaf Mertens", "names": ["Ola Mertens", "Olaf Mertens"]}
    rows = {r["id"]: r for r in corpus.actors()}
    assert "ola-mertens-ada279" not in rows
    assert (rows["olaf-mertens-f1a06b"]["mentions"], rows["olaf-mertens-f1a06b"]["corrected"]["id"]) == (
        2,
        merge.id,
    )
    assert quote(corpus, c, 58)["speaker"] == "Olaf Mertens"

    rename = corpus.correct("actor_rename", {"actor": "Lena Vogt"}, {"name": "Lena M. Vogt"}, author="gus")
    rows = {r["id"]: r for r in corpus.actors()}
    assert rows["lena-vogt-00bfe3"]["name"] == "Lena M. Vogt"
    assert rows["lena-vogt-00bfe3"]["corrected"]["id"] == rename.id

    split = corpus.correct(
        "actor_split",
        {"actor": "Anton Brandt", "articles": [b[:8]]},
        {"into": "Anton Brandt (envoy)"},
        author="gus",
    )
    assert split.target == {"actor": "anton-brandt-6cc611", "articles": [b], "mentions": []}
    rows = {r["name"]: r for r in corpus.actors()}
    assert rows["Anton Brandt (envoy)"]["articles"] == [b]
    assert rows["Anton Brandt (envoy)"]["mentions"] == 2
    assert rows["Anton Brandt (envoy)"]["corrected"]["id"] == split.id
    assert b not in rows["Anton Brandt"]["articles"] and "corrected" not in rows["Anton Brandt"]


def test_actor_corrections_and_the_overrides_file_both_apply(corpus: Corpus, db: Path) -> None:
    (db.parent / "storyline.overrides.yaml").write_text(
        "rename:\n  - {actor: geneva, name: Genève}\n", encoding="utf-8"
    )
    corpus.refresh()
    corpus.correct("actor_rename", {"actor": "Lena Vogt"}, {"name": "L. Vogt"}, author="hal")
    names = {r["id"]: r["name"] for r in corpus.actors()}
    assert (names["geneva"], names["lena-vogt-00bfe3"]) == ("Genève", "L. Vogt")


# -- storage, re-analysis, orphans, withdrawal ---------------------------------------------------


def test_corrections_survive_reanalysis(corpus: Corpus) -> None:
    a, b, _ = ids(corpus)
    corpus.correct(
        "speaker", {"article": a, "start": 132, "end": 175}, {"actor": "Anton Brandt"}, author="ivy"
    )
    corpus.correct("date", {"article": b}, "2025-12-10", author="ivy")
    report = corpus.analyze(force=True)
    assert report.analyzed == 3
    assert [r["status"] for r in corpus.corrections()] == ["applied", "applied"]
    assert quote(corpus, a, 132)["speaker"] == "Anton Brandt"
    assert corpus.get(b).published == "2025-12-10"
    assert len(corpus.store.analyses(a)) == 1  # analyses replaced, corrections untouched


def test_orphaned_when_the_target_is_gone(corpus: Corpus, db: Path) -> None:
    a, _, _ = ids(corpus)
    made = corpus.correct(
        "speaker", {"article": a, "start": 132, "end": 175}, {"actor": "Anton Brandt"}, author="jo"
    )
    corpus.correct("figure", {"article": a, "start": 132, "end": 142}, {"unit": "drones"}, author="jo")
    # a re-analysis that no longer finds that statement
    analysis = load_analysis(corpus.store, a)
    assert analysis is not None
    data = analysis.to_json()
    data["statements"] = [s for s in data["statements"] if tuple(s["content"]) != (132, 175)]
    corpus.store.add_analysis(a, pipeline_version=analysis.pipeline_version, data=data)
    corpus.refresh()
    rows = corpus.corrections()
    assert [(r["id"], r["status"], r["reason"]) for r in rows] == [
        (made.id, "orphaned", f"no statement at 132-175 in article {a} any more"),
        (made.id + 1, "applied", None),
    ]
    assert all("corrected" not in q for q in corpus.quotes())  # the views go on without it
    result = CliRunner().invoke(cli_app, ["corrections", "--orphaned", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert [(r["id"], r["status"]) for r in json.loads(result.stdout)] == [(made.id, "orphaned")]


def test_withdraw(corpus: Corpus) -> None:
    a, _, _ = ids(corpus)
    made = corpus.correct(
        "speaker", {"article": a, "start": 132, "end": 175}, {"actor": "Anton Brandt"}, author="kim"
    )
    assert corpus.uncorrect(made.id) is True
    assert corpus.uncorrect(made.id) is False
    assert quote(corpus, a, 132)["speaker"] == "The ministry"
    assert corpus.corrections() == []
    (row,) = corpus.corrections(include_removed=True)
    assert (row["status"], row["active"], row["author"]) == ("removed", False, "kim")


@pytest.mark.parametrize(
    ("kind", "target", "value", "error", "message"),
    [
        ("colour", {}, None, UsageError,
         "unknown correction kind 'colour' (known: speaker, date, actor_merge"),
        ("speaker", {"article": "A", "start": 10, "end": 5}, {"actor": "x"}, UsageError, "empty or reversed"),
        ("speaker", {"article": "A", "start": 0, "end": 5}, {"actor": "x"}, NotFound,
         "has no statement at 0-5"),
        ("speaker", {"article": "A", "start": 132, "end": 175}, {"actor": "Nobody Here"}, NotFound,
         "no actor matching 'Nobody Here' in the corpus or the gazetteer"),
        ("speaker", {"article": "A", "start": 132, "end": 175}, {}, UsageError, "needs 'actor'"),
        ("date", {"article": "A"}, "3 Dec", UsageError, "publication date '3 Dec' is not an ISO date"),
        ("date", {"article": "A", "of": "event", "start": 148, "end": 153}, "P3M", UsageError,
         "an event date must be a day, week, month or year"),
        ("date", {"article": "nosuch"}, "2025-01-01", NotFound, "no article with id 'nosuch'"),
        ("figure", {"article": "A", "start": 132, "end": 142}, {"colour": "red"}, UsageError, "not colour"),
        ("actor_merge", {"actors": ["Olaf Mertens"]}, None, UsageError, "at least two"),
        ("event_merge", {"events": [{"article": "A", "start": 148, "end": 153}] * 2}, None, UsageError,
         "two different events"),
    ],
)  # fmt: skip
def test_bad_corrections_are_refused_and_nothing_is_stored(
    corpus: Corpus, kind: str, target: dict[str, Any], value: Any, error: type[Exception], message: str
) -> None:
    a, _, _ = ids(corpus)
    target = {k: (a if v == "A" else v) for k, v in target.items()}
    if "events" in target:
        target["events"] = [{**e, "article": a} for e in target["events"]]
    with pytest.raises(error) as info:
        corpus.correct(kind, target, value, author="x")
    assert message in str(info.value)
    assert corpus.corrections(include_removed=True) == []


# -- the stores ---------------------------------------------------------------------------------


def _stored(store: Any) -> list[tuple[Any, ...]]:
    return [
        (
            r["id"],
            r["kind"],
            r["target"],
            r["value"],
            r["author"],
            r["note"],
            r["active"],
            r["created_at"].tzinfo,
        )
        for r in store.corrections(active_only=False)
    ]


def _check_store(store: Any) -> None:
    from datetime import UTC

    try:
        first = store.add_correction(
            kind="speaker", target={"article": "a", "start": 1, "end": 2}, value={"actor": "é"}, author="lu"
        )
        second = store.add_correction(
            kind="date", target={"article": "a"}, value={"date": "2025-01-02"}, author="lu", note="n"
        )
        assert (first, second) == (1, 2)
        assert store.remove_correction(first) is True
        assert store.remove_correction(first) is False
        assert store.remove_correction(99) is False
        assert [r["id"] for r in store.corrections()] == [2]
        assert _stored(store) == [
            (1, "speaker", {"article": "a", "start": 1, "end": 2}, {"actor": "é"}, "lu", None, False, UTC),
            (2, "date", {"article": "a"}, {"date": "2025-01-02"}, "lu", "n", True, UTC),
        ]
    finally:
        store.close()


def test_memory_store_keeps_corrections() -> None:
    _check_store(open_store(":memory:"))


def test_sql_store_keeps_corrections_alike(store_url: str) -> None:
    _check_store(open_store(store_url))


def test_views_alike_on_the_memory_store(tmp_path: Path) -> None:
    with storyline.open(":memory:") as corpus:
        corpus.add([_write_articles(tmp_path / "a.jsonl")])
        corpus.analyze()
        a, _, _ = ids(corpus)
        corpus.correct(
            "speaker", {"article": a, "start": 132, "end": 175}, {"actor": "Anton Brandt"}, author="mo"
        )
        row = quote(corpus, a, 132)
        assert (row["speaker"], row["corrected"]["id"], row["corrected"]["by"]) == ("Anton Brandt", 1, "mo")


def test_migration_upgrades_a_0001_store_keeping_its_rows(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine, insert, inspect

    from storyline.store import schema
    from storyline.store.migrations import alembic_config
    from storyline.store.sql import SQLStore, article_to_row

    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0001")
    with storyline.open(":memory:") as scratch:
        scratch.add([_write_articles(tmp_path / "a.jsonl")])
        article = next(iter(scratch.articles()))
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            assert "corrections" not in inspect(conn).get_table_names()
            conn.execute(insert(schema.articles).values(**article_to_row(article, is_current=True)))
    finally:
        engine.dispose()
    with SQLStore(url) as store:
        assert store.get(article.id).text == article.text
        assert store.corrections() == []
        assert (
            store.add_correction(
                kind="date", target={"article": article.id}, value={"date": "2025-01-01"}, author="x"
            )
            == 1
        )
    command.downgrade(alembic_config(url), "0001")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert "corrections" not in inspect(conn).get_table_names()
    finally:
        engine.dispose()
    with SQLStore(url) as store:
        assert store.get(article.id).text == article.text
        assert store.corrections() == []


# -- the CLI ------------------------------------------------------------------------------------


def test_cli_round_trip(db: Path) -> None:
    runner = CliRunner()
    with storyline.open(db) as corpus:
        a, b, _ = ids(corpus)
    result = runner.invoke(
        cli_app,
        [
            "correct",
            "speaker",
            a,
            "132",
            "175",
            "--actor",
            "Anton Brandt",
            "--note",
            "heard it",
            "--db",
            str(db),
        ],
        env={"USER": "carol"},
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"#1 speaker of {a} 132-175 → Anton Brandt\n"
    result = runner.invoke(
        cli_app, ["correct", "date", b, "2025-12-10", "--by", "dan", "--json", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    made = json.loads(result.stdout)
    assert (made["id"], made["kind"], made["target"], made["value"], made["author"]) == (
        2, "date", {"article": b, "of": "published"}, {"date": "2025-12-10"}, "dan"
    )  # fmt: skip
    result = runner.invoke(
        cli_app, ["correct", "date", a, "2025-12-05", "--timex", "263", "271", "--by", "dan", "--db", str(db)]
    )
    assert result.stdout == f"#3 timex date of {a} 263-271 → 2025-12-05\n"
    result = runner.invoke(
        cli_app, ["correct", "merge-events", f"{a}:148:153", f"{a}:97:101", "--by", "dan", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        cli_app, ["correct", "merge", "Olaf Mertens", "Ola Mertens", "--by", "dan", "--db", str(db)]
    )
    assert result.stdout == "#5 merge olaf-mertens-f1a06b, ola-mertens-ada279 → Olaf Mertens\n"
    result = runner.invoke(
        cli_app, ["correct", "figure", b, "109", "129", "--unit", "missiles", "--by", "dan", "--db", str(db)]
    )
    assert result.stdout == f"#6 figure {b} 109-129 → unit=missiles\n"

    result = runner.invoke(cli_app, ["corrections", "--json", "--db", str(db)])
    rows = json.loads(result.stdout)
    assert [(r["id"], r["kind"], r["author"], r["status"]) for r in rows] == [
        (1, "speaker", "carol", "applied"),
        (2, "date", "dan", "applied"),
        (3, "date", "dan", "applied"),
        (4, "event_merge", "dan", "applied"),
        (5, "actor_merge", "dan", "applied"),
        (6, "figure", "dan", "applied"),
    ]
    assert rows[0]["note"] == "heard it"
    result = runner.invoke(cli_app, ["quotes", "--json", "--db", str(db)])
    corrected = [q for q in json.loads(result.stdout) if "corrected" in q]
    assert [(q["speaker"], q["corrected"]["id"], q["corrected"]["by"]) for q in corrected] == [
        ("Anton Brandt", 1, "carol")
    ]
    result = runner.invoke(cli_app, ["corrections", "rm", "1", "--db", str(db)])
    assert result.exit_code == 0 and "withdrew correction #1" in result.stderr
    result = runner.invoke(cli_app, ["corrections", "rm", "1", "--db", str(db)])
    assert result.exit_code == 2 and "no active correction #1" in result.stderr
    result = runner.invoke(cli_app, ["corrections", "--orphaned", "--json", "--db", str(db)])
    assert json.loads(result.stdout) == []
    result = runner.invoke(cli_app, ["corrections", "--all", "--json", "--db", str(db)])
    assert [r["status"] for r in json.loads(result.stdout)][:2] == ["removed", "applied"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["correct", "speaker", "ARTICLE", "132", "175"], "give the speaker: --actor NAME or --anonymous"),
        (["correct", "speaker", "ARTICLE", "0", "3", "--actor", "Anton Brandt"], "has no statement at 0-3"),
        (["correct", "date", "ARTICLE", "tomorrow"], "publication date 'tomorrow' is not an ISO date"),
        (["correct", "merge-events", "ARTICLE:1", "x"], "an event is ARTICLE:START:END"),
        (["correct", "split", "Anton Brandt", "--into", "Other"], "needs the articles or the mentions"),
    ],
)
def test_cli_usage_errors_exit_2(db: Path, args: list[str], message: str) -> None:
    with storyline.open(db) as corpus:
        a, _, _ = ids(corpus)
    args = [x.replace("ARTICLE", a) for x in args]
    result = CliRunner().invoke(cli_app, [*args, "--by", "ned", "--db", str(db)])
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.stderr.split())
    with storyline.open(db) as corpus:
        assert corpus.corrections(include_removed=True) == []


def test_cli_needs_an_author(db: Path) -> None:
    result = CliRunner().invoke(
        cli_app, ["correct", "rename", "Lena Vogt", "L. V.", "--db", str(db)], env={"USER": ""}
    )
    assert result.exit_code == 2
    assert "pass --by NAME" in result.stderr


def test_export_carries_the_marker(corpus: Corpus) -> None:
    a, _, _ = ids(corpus)
    made = corpus.correct(
        "date", {"article": a, "of": "timex", "start": 19, "end": 26}, "2025-12-01", author="oz"
    )
    buf = io.StringIO()
    corpus.export(buf)
    record = next(r for r in map(json.loads, buf.getvalue().splitlines()) if r["id"] == a)
    timex = next(t for t in record["annotations"]["timexes"] if t["start"] == 19)
    assert (timex["value"], timex["corrected"]) == ("2025-12-01", marker(made))


# -- the REST API -------------------------------------------------------------------------------

LOCAL = ("127.0.0.1", 50000)


def test_rest_round_trip(corpus: Corpus) -> None:
    a, _, _ = ids(corpus)
    client = TestClient(create_app(corpus), client=LOCAL)
    body = {
        "kind": "speaker",
        "target": {"article": a, "start": 132, "end": 175},
        "value": {"actor": "Anton Brandt"},
        "author": "pat",
        "note": "from the video",
    }
    response = client.post("/api/corrections", json=body)
    assert response.status_code == 201, response.text
    made = response.json()
    assert made["ok"] is True
    assert {k: made["correction"][k] for k in ("id", "kind", "target", "author", "note", "active")} == {
        "id": 1,
        "kind": "speaker",
        "target": {"article": a, "start": 132, "end": 175},
        "author": "pat",
        "note": "from the video",
        "active": True,
    }
    statements = client.get("/api/statements", params={"limit": 500}).json()["items"]
    fixed = [s for s in statements if "corrected" in s]
    assert [(s["speaker"], s["corrected"]["id"], s["corrected"]["by"]) for s in fixed] == [
        ("Anton Brandt", 1, "pat")
    ]
    listed = client.get("/api/corrections").json()
    assert (listed["ok"], listed["total"], listed["items"][0]["status"]) == (True, 1, "applied")
    response = client.delete("/api/corrections/1")
    assert response.json() == {"ok": True, "id": 1, "status": "removed"}
    assert client.get("/api/corrections").json()["total"] == 0
    assert client.get("/api/corrections", params={"status": "removed"}).json()["items"][0]["id"] == 1
    response = client.delete("/api/corrections/1")
    assert response.status_code == 404
    assert response.json() == {
        "ok": False,
        "status": 404,
        "error": {"code": "E302", "message": "no active correction with id 1"},
    }


@pytest.mark.parametrize(
    ("body", "status", "code", "message"),
    [
        ({"kind": "speaker", "target": {"article": "A", "start": 0, "end": 4},
          "value": {"actor": "Anton Brandt"}},
         404, "E302", "article A has no statement at 0-4 (its statements: 50-79, 132-175, 237-271)"),
        ({"kind": "date", "target": {"article": "A"}, "value": "soon"},
         400, "E401", "publication date 'soon' is not an ISO date or datetime (e.g. 2025-12-03)"),
        ({"kind": "date", "target": {"article": "nothing-like-it"}, "value": "2025-01-01"},
         404, "E302", "no article with id 'nothing-like-it'"),
        ({"kind": "colour", "target": {}}, 422, "E401", None),
    ],
)  # fmt: skip
def test_rest_errors_have_the_one_shape(
    corpus: Corpus, body: dict[str, Any], status: int, code: str, message: str | None
) -> None:
    a, _, _ = ids(corpus)
    body = json.loads(
        json.dumps({**body, "author": "q"}).replace('"A"', f'"{a}"').replace("article A", f"article {a}")
    )
    client = TestClient(create_app(corpus), client=LOCAL)
    response = client.post("/api/corrections", json=body)
    assert response.status_code == status
    data = response.json()
    assert (data["ok"], data["status"], data["error"]["code"]) == (False, status, code)
    if message is not None:
        assert data["error"]["message"] == message.replace("article A", f"article {a}")
    assert corpus.corrections(include_removed=True) == []


def test_rest_writes_need_loopback_or_the_token(corpus: Corpus) -> None:
    a, _, _ = ids(corpus)
    body = {"kind": "date", "target": {"article": a}, "value": "2025-12-01", "author": "r"}
    remote = TestClient(create_app(corpus))  # client host "testclient": not this machine
    response = remote.post("/api/corrections", json=body)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "E401"
    assert "accepted from this machine only" in response.json()["error"]["message"]
    assert remote.delete("/api/corrections/1").status_code == 403
    assert remote.get("/api/corrections").status_code == 200  # reading is open

    guarded = TestClient(create_app(corpus, ingest_token="tok-123"), client=LOCAL)
    response = guarded.post("/api/corrections", json=body)
    assert response.status_code == 401
    assert (
        response.json()["error"]["message"]
        == "writing corrections needs the header 'Authorization: Bearer <token>'"
    )
    response = guarded.post("/api/corrections", json=body, headers={"Authorization": "Bearer wrong"})
    assert (response.status_code, response.json()["error"]["message"]) == (401, "the token is wrong")
    response = guarded.post("/api/corrections", json=body, headers={"Authorization": "Bearer tok-123"})
    assert response.status_code == 201
    assert corpus.get(a).published == "2025-12-01"
    article = guarded.get(f"/api/articles/{a}").json()
    assert (article["published"], article["published_provenance"]) == ("2025-12-01", "corrected")
