"""bench/scale.py's resumable bookkeeping: the ledger, a chunk cut short, the summary, what is pending.

No analysis runs here (that is the benchmark's job); these pin what a resumed run relies on.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from repo_scripts import load_script

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def scale() -> ModuleType:
    return load_script("bench/scale.py", "bench_scale")


def test_a_chunk_is_entered_with_its_fields_and_without_the_bench_work(scale: Any, tmp_path: Path) -> None:
    ledger = scale.Ledger(tmp_path)
    entry = scale.run_chunk(
        ledger, "ingest", 3, lambda _cp: {"articles": 10, "exclude_cpu_s": 0.0, "exclude_s": 0.0}
    )
    assert entry["stage"] == "ingest" and entry["chunk"] == 3 and entry["articles"] == 10
    assert "exclude_cpu_s" not in entry and "exclude_s" not in entry
    assert entry["session"] == scale.SESSION
    assert json.loads((tmp_path / "ledger.json").read_text()) == [entry]
    assert not (tmp_path / "checkpoint.json").exists()
    assert [e["chunk"] for e in scale.Ledger(tmp_path).done("ingest")] == [3]


def test_an_interrupted_chunk_keeps_its_progress_and_the_interrupt_goes_on(
    scale: Any, tmp_path: Path
) -> None:
    ledger = scale.Ledger(tmp_path)

    def work(checkpoint: Any) -> dict[str, Any]:
        checkpoint({"articles": 40})
        raise KeyboardInterrupt("SIGTERM")

    with pytest.raises(KeyboardInterrupt):
        scale.run_chunk(ledger, "analyze", 0, work)
    (entry,) = json.loads((tmp_path / "ledger.json").read_text())
    assert entry["interrupted"] is True
    assert entry["articles"] == 40
    assert entry["error"] == "KeyboardInterrupt('SIGTERM')"
    assert ledger.done("analyze") == []


def test_a_killed_run_leaves_a_checkpoint_that_the_next_run_enters(scale: Any, tmp_path: Path) -> None:
    ledger = scale.Ledger(tmp_path)
    ledger.checkpoint({"stage": "analyze", "chunk": 2, "session": "s1", "articles": 60, "cpu_s": 12.5})
    again = scale.Ledger(tmp_path)
    recovered = again.recover()
    assert recovered == {
        "stage": "analyze",
        "chunk": 2,
        "session": "s1",
        "articles": 60,
        "cpu_s": 12.5,
        "interrupted": True,
    }
    assert not (tmp_path / "checkpoint.json").exists()
    assert again.recover() is None
    assert json.loads((tmp_path / "ledger.json").read_text()) == [recovered]


def test_the_summary_sums_chunks_and_sessions(scale: Any, tmp_path: Path) -> None:
    entries = [
        {"stage": "ingest", "chunk": 0, "session": "s1", "cpu_s": 4.0, "s": 10.0, "peak_rss_mb": 170,
         "articles": 1000},
        {"stage": "ingest", "chunk": 1, "session": "s1", "cpu_s": 5.0, "s": 11.0, "peak_rss_mb": 180,
         "articles": 1000},
        {"stage": "analyze", "chunk": 0, "session": "s1", "cpu_s": 30.0, "s": 90.0, "peak_rss_mb": 900,
         "articles": 20, "interrupted": True},
        {"stage": "analyze", "chunk": 1, "session": "s2", "cpu_s": 175.0, "s": 300.0, "peak_rss_mb": 1090,
         "articles": 1000, "analyzed": 1000, "analysis_cpu_s": 170.0, "pipeline_version": "v1"},
        {"stage": "analyze", "chunk": 2, "session": "s3", "cpu_s": 180.0, "s": 310.0, "peak_rss_mb": 1100,
         "articles": 980, "analyzed": 980, "analysis_cpu_s": 176.0, "pipeline_version": "v2"},
    ]  # fmt: skip
    (tmp_path / "ledger.json").write_text(json.dumps(entries))
    out = scale.summarize(2000, tmp_path)
    assert out["ingest"] == {
        "chunks": 2,
        "interrupted": 0,
        "sessions": 1,
        "cpu_s": 9.0,
        "s": 21.0,
        "peak_rss_mb": 180,
        "articles": 2000,
    }
    assert out["analyze"]["chunks"] == 3
    assert out["analyze"]["interrupted"] == 1
    assert out["analyze"]["sessions"] == 3
    assert out["analyze"]["cpu_s"] == 385.0  # the interrupted chunk's CPU counts too
    assert out["analyze"]["articles"] == 1980  # its articles are redone by the next chunk
    assert out["analyze"]["cpu_s_per_article"] == round(385.0 / 1980, 3)
    assert out["pipeline_versions"] == {"v1": 1000, "v2": 980}
    assert out["sessions"] == 3
    assert out["complete"] is False
    assert out["cpu_s"] == 394.0
    assert json.loads((tmp_path / "summary.json").read_text()) == out


def test_an_article_analysed_by_another_pipeline_version_is_not_pending_again(
    scale: Any, tmp_path: Path
) -> None:
    import storyline
    from storyline.analyze.pipeline import pipeline_version

    db = tmp_path / "s.db"
    with storyline.open(db) as corpus:
        corpus.add(sorted(str(p) for p in (ROOT / "examples").glob("00[01]_*.txt")))
        first, second = sorted(corpus.store.pending_analysis(pipeline_version()))
        corpus.store.add_analysis(first, pipeline_version="an-older-version", data={"mentions": []})
        assert sorted(corpus.store.pending_analysis(pipeline_version())) == [first, second]
    assert scale.never_analysed(db) == [second]
