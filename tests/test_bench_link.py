"""bench/link.py's corpus generator: copies keep every stored span valid, and the batched write of
the analyses stores what ``Store.add_analysis`` stores. No analysis runs: the base is made by hand."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from repo_scripts import load_script

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def link() -> ModuleType:
    return load_script("bench/link.py", "bench_link")


def _mention(text: str, name: str, label: str) -> dict[str, Any]:
    start = text.index(name)
    return {"kind": "name", "label": label, "text": name, "key": name.casefold(), "start": start,
            "end": start + len(name), "ref_key": name.casefold(), "entity_hint": "Q1"}  # fmt: skip


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Any, dict[str, Any]]]:
    """Two sample articles, each with a hand-made analysis naming two people and a place."""
    import storyline

    db = tmp_path_factory.mktemp("base") / "base.db"
    with storyline.open(db) as corpus:
        corpus.add(sorted(str(p) for p in (ROOT / "examples").glob("00[01]_*.txt")))
        articles = list(corpus.articles())
    pairs = []
    for article in articles:
        names = [("Vladimir Putin", "PERSON"), ("Donald Trump", "PERSON"), ("Ukraine", "GPE")]
        mentions = [_mention(article.text, n, label) for n, label in names if n in article.text]
        assert mentions, article.id
        pairs.append((article, {"pipeline_version": "test-v1", "mentions": mentions, "timex": [[3, 9]]}))
    return pairs


def test_a_copy_keeps_every_span_and_changes_the_names_and_the_rest(
    link: Any, base: list[tuple[Any, dict[str, Any]]]
) -> None:
    varier = link.Varier(base, seed=5)
    for i in range(12):
        copy, data = varier.copy(i)
        original = next(a for a, d in base if len(a.text) == len(copy.text) and a.id != copy.id)
        assert len(copy.text) == len(original.text)
        for m in data["mentions"]:
            assert copy.text[m["start"] : m["end"]] == m["text"]
            assert m["key"] == m["text"].casefold()
            assert m["entity_hint"] is None
        assert copy.text[3:9] == original.text[3:9]  # inside a stored span: untouched
        assert copy.text != original.text
        assert data["article_id"] == copy.id
        assert copy.meta.published.provenance == "given"


def test_the_batched_write_stores_what_add_analysis_stores(
    link: Any, base: list[tuple[Any, dict[str, Any]]], tmp_path: Path
) -> None:
    import storyline

    batched, single = tmp_path / "batched.db", tmp_path / "single.db"
    link.generate(30, batched, base)
    varier = link.Varier(base, seed=30)  # generate() seeds with the size
    with storyline.open(single) as corpus:
        for i in range(30):
            article, data = varier.copy(i)
            (res,) = corpus.store.add_batch([article])
            corpus.store.add_analysis(res.id, pipeline_version=data["pipeline_version"], data=data)
    queries = [
        "SELECT article_id, pipeline_version, data_json FROM analyses ORDER BY article_id",
        "SELECT id, text, pipeline_version, analyzed_at IS NOT NULL FROM articles ORDER BY id",
    ]
    found = []
    for query in queries:
        with sqlite3.connect(batched) as a, sqlite3.connect(single) as b:
            rows = a.execute(query).fetchall()
            assert len(rows) == 30
            assert rows == b.execute(query).fetchall()
            found.append(rows)
    analyses = found[0]
    with storyline.open(batched) as corpus:
        stored = corpus.store.latest_analyses([r[0] for r in analyses])
    assert {d["pipeline_version"] for d in stored.values()} == {"test-v1"}
    assert sorted(stored) == [json.loads(r[2])["article_id"] for r in analyses]


def test_dumps_of_two_links_are_compared_part_by_part(
    link: Any, base: list[tuple[Any, dict[str, Any]]], tmp_path: Path
) -> None:
    import storyline
    from storyline.link.state import sync_links

    db = tmp_path / "c.db"
    link.generate(12, db, base)
    dumps = []
    for i in range(2):
        with storyline.open(db) as corpus:
            index, analyses, articles = corpus._linked()
            sync_links(
                corpus.store, articles=articles, analyses=analyses, actor_of=index.actor_of, rebuild=True
            )
            path = tmp_path / f"d{i}.json"
            link.write_dump(path, corpus, stories=corpus.stories(), timeline=corpus.timeline())
            dumps.append(json.loads(path.read_text()))
    first, second = dumps
    assert sorted(first) == ["actors", "links", "stories", "timeline"] and len(first["links"]) == 12
    assert link.compare_dumps(first, second) == []  # linked twice from scratch: the same decisions
    moved = next(iter(second["links"]))
    second["links"][moved][0] = "story-elsewhere"
    second["stories"] = second["stories"][:-1]
    assert link.compare_dumps(first, second) == [
        f"links: 1 of 12 differ, e.g. [{moved!r}]",
        f"stories: {len(first['stories'])} vs {len(first['stories']) - 1} rows, the first difference at row "
        f"{len(first['stories']) - 1}",
    ]
