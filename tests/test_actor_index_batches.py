"""The actor index reads the stored analyses a batch at a time and builds the same index."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import storyline
from storyline.views import analysis as views

# Articles written for this test (not the bundled samples).
ARTICLES = [
    {"text": "Karin Holmqvist met Anton Brandt in Geneva on Tuesday.", "title": "Talks", "outlet": "One"},
    {"text": "Anton Brandt said the talks with Holmqvist were useful.", "title": "Useful", "outlet": "Two"},
    {
        "text": "Lena Vogt, the mediator, arrived in Geneva on Monday and said the talks would resume.",
        "title": "Arrival",
        "outlet": "Three",
    },
]


def test_batches_give_the_same_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    with storyline.open(tmp_path / "s.db") as corpus:
        corpus.add([path])
        assert corpus.analyze().analyzed == 3
        articles = list(corpus.articles())
        whole, whole_analyses = views.build_actor_index(corpus.store, articles)

        calls: list[int] = []
        read = corpus.store.latest_analyses

        def counted(ids: Any) -> Any:
            ids = list(ids)
            calls.append(len(ids))
            return read(ids)

        monkeypatch.setattr(corpus.store, "latest_analyses", counted)
        monkeypatch.setattr(views, "ANALYSIS_BATCH", 2)
        batched, batched_analyses = views.build_actor_index(corpus.store, articles)
    assert calls == [2, 1]
    assert batched_analyses == whole_analyses
    assert sorted(batched.actors) == sorted(whole.actors) and len(whole.actors) >= 3
