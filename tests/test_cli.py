"""The command line, end to end through typer's CliRunner on the bundled samples and fixtures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, db: Path, *args: str, input: str | bytes | None = None):  # noqa: ANN201
    return runner.invoke(app, ["--db", str(db), *args], input=input, catch_exceptions=False)


def test_ingest_samples_then_again_changes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    first = invoke(runner, db, "ingest", str(EXAMPLES), "--json")
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert report["added"] == 5 and report["failed"] == []
    second = invoke(runner, db, "ingest", str(EXAMPLES), "--json")
    assert second.exit_code == 0
    again = json.loads(second.stdout)
    assert again["added"] == 0 and again["unchanged"] == 5


def test_articles_show_stats_export_rm(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert invoke(runner, db, "ingest", str(EXAMPLES)).exit_code == 0
    listed = json.loads(invoke(runner, db, "articles", "--json").stdout)
    assert len(listed) == 5
    by_outlet = {a["outlet"]: a for a in listed}
    assert set(by_outlet) == {
        "Kyiv Insider",
        "NewsPage360",
        "Business Standard",
        "TopNewsPlus",
        "Interbellum News",
    }
    bs = by_outlet["Business Standard"]
    assert bs["published"] == "2025-05-19T09:11:00+05:30"
    assert bs["published_provenance"] == "given"

    shown = invoke(runner, db, "show", bs["id"], "--json")
    assert shown.exit_code == 0
    art = json.loads(shown.stdout)
    assert "₹900" not in art["text"]
    assert "Smart Quarterly" not in art["text"]
    assert any("₹900" in r["text"] for r in art["removed"])
    # the human view marks removed furniture
    human = invoke(runner, db, "show", bs["id"][:8])
    assert human.exit_code == 0
    assert "removed:" in human.stdout

    stats = json.loads(invoke(runner, db, "stats", "--json").stdout)
    assert stats["articles"] == 5

    out = tmp_path / "dump.jsonl"
    exported = invoke(runner, db, "export", "--format", "jsonl", "-o", str(out))
    assert exported.exit_code == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 5 and all(line["schema_version"].startswith("1.") for line in lines)

    removed = invoke(runner, db, "rm", bs["id"])
    assert removed.exit_code == 0
    assert len(json.loads(invoke(runner, db, "articles", "--json").stdout)) == 4
    missing = invoke(runner, db, "rm", "ffffffffffff")
    assert missing.exit_code == 2
    assert "no article" in missing.stderr


def test_ingest_without_sidecars_still_works(runner: CliRunner, tmp_path: Path) -> None:
    bare = tmp_path / "bare"
    bare.mkdir()
    for path in EXAMPLES.glob("*.txt"):
        shutil.copy(path, bare / path.name)
    db = tmp_path / "b.db"
    result = invoke(runner, db, "ingest", str(bare), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["added"] == 5
    listed = json.loads(invoke(runner, db, "articles", "--json").stdout)
    titles = {a["title"] for a in listed}
    assert "Putin heads into Trump call confident Russia has upper hand against Ukraine" in titles
    assert "Putin to Press On in Ukraine Despite Trump's Threats, Reuters Report" in titles
    bs = next(a for a in listed if a["title"].startswith("Putin heads into Trump call"))
    assert bs["published"] == "2025-05-19T09:11:00+05:30"
    assert bs["published_provenance"] == "text"


def test_bad_inputs_are_named_and_the_batch_goes_on(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(EXAMPLES / "003_194817203538f8a3.txt", src / "good.txt")
    (src / "empty.txt").write_text("", encoding="utf-8")
    (src / "latin1.txt").write_bytes(
        "Café owners in Paris said on Monday that prices would rise by ten percent soon.".encode("cp1252")
    )
    (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    db = tmp_path / "x.db"
    result = invoke(runner, db, "ingest", str(src), str(tmp_path / "nope.txt"))
    assert result.exit_code == 1
    err = result.stderr
    assert "empty.txt" in err and "binary.txt" in err and "nope.txt" in err
    assert "2 added" in err and "3 failed" in err
    assert "latin1.txt: decoded as cp1252 (guessed by charset-normalizer)" in err
    assert len(json.loads(invoke(runner, db, "articles", "--json").stdout)) == 2


def test_stdin_ingest(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "i.db"
    text = (EXAMPLES / "004_409c474fb3687218.txt").read_bytes()
    result = invoke(runner, db, "ingest", "-", "--json", input=text)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["added"] == 1


def test_usage_errors_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "u.db"
    assert invoke(runner, db, "export", "--format", "xml").exit_code == 2
    assert invoke(runner, db, "show", "nothere").exit_code == 2
    assert invoke(runner, db, "watch", "http://127.0.0.1:9/feed", "--every", "soon").exit_code == 2
    assert runner.invoke(app, ["ingest"]).exit_code == 2


def test_timeline_outlets_cell_counts_articles_of_unknown_outlet() -> None:
    from storyline.cli.views import _outlets_cell

    row = {
        "outlets": ["Reuters"],
        "citations": [
            {"article": "a1", "outlet": "Reuters"},
            {"article": "b2", "outlet": None},
            {"article": "b2", "outlet": None},
            {"article": "c3", "outlet": ""},
        ],
    }
    assert _outlets_cell(row) == "Reuters, 2 of unknown outlet (3)"
    assert _outlets_cell({"outlets": [], "citations": [{"article": "x", "outlet": None}]}) == (
        "1 of unknown outlet (1)"
    )


def test_a_broken_furniture_lexicon_stops_the_ingest_naming_it(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "s.db"
    assert invoke(runner, db, "ingest", str(EXAMPLES)).exit_code == 0
    lexicon = tmp_path / "furniture.yaml"
    lexicon.write_text("lines: [\n", encoding="utf-8")
    monkeypatch.setenv("STORYLINE_FURNITURE", str(lexicon))
    article = tmp_path / "new.txt"
    article.write_text("A headline\n\nThe ministry said talks would resume.\n", encoding="utf-8")
    result = invoke(runner, db, "ingest", str(article))
    assert result.exit_code == 2
    assert f"[E201] {lexicon}: cannot read furniture lexicon" in result.output
    monkeypatch.delenv("STORYLINE_FURNITURE")
    stats = invoke(runner, db, "articles", "--json")
    assert len(json.loads(stats.stdout)) == 5  # what was stored stays, nothing half-added


def test_a_bad_setting_or_no_scratch_space_for_a_view_is_one_error_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "s.db"
    assert invoke(runner, db, "run", str(EXAMPLES)).exit_code == 0
    monkeypatch.setenv("STORYLINE_SPILL_MB", "abc")
    result = invoke(runner, db, "stories")
    assert result.exit_code == 2
    assert "[E201] STORYLINE_SPILL_MB: expected a number of megabytes" in result.output
    assert "Traceback" not in result.output
    monkeypatch.setenv("STORYLINE_SPILL_MB", "0")
    monkeypatch.setenv("STORYLINE_SPILL_DIR", str(tmp_path / "missing"))
    result = invoke(runner, db, "stories")
    assert result.exit_code == 1
    assert f"[E601] {tmp_path / 'missing'}: cannot make the linked views' spill file" in result.output
    monkeypatch.delenv("STORYLINE_SPILL_DIR")
    assert invoke(runner, db, "stories").exit_code == 0  # nothing stored was touched
