"""Past a threshold the linked corpus's packed analyses go to an anonymous temporary file
(storyline.views.packed.SpillFile): the views give the same output, the file has no name and is gone
once the corpus is closed, and a disk that cannot take it gives a clear error and no half-built view."""

from __future__ import annotations

import errno
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import storyline
from storyline.errors import ConfigError, ScratchError
from storyline.views import packed
from storyline.views.packed import MB, PackedAnalyses, SpillFile, pack, spill_directory, spill_threshold
from test_packed_analyses import ARTICLES, _every_view, read_from_threads


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("spill")
    path = work / "a.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    db = work / "s.db"
    with storyline.open(db) as corpus:
        corpus.add([path])
        assert corpus.analyze().analyzed == len(ARTICLES)
    return db


@pytest.fixture
def spill_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty directory the spill files go to, and every analysis spilled."""
    where = tmp_path / "spill"
    where.mkdir()
    monkeypatch.setenv("STORYLINE_SPILL_DIR", str(where))
    monkeypatch.setenv("STORYLINE_SPILL_MB", "0")
    return where


def _open_in(directory: Path) -> list[str]:
    """The files this process has open in ``directory`` (as /proc names them)."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue  # the descriptor listdir itself used
        if target.startswith(str(directory) + os.sep):
            found.append(target)
    return found


@pytest.fixture(scope="module")
def linked(analysed: Path) -> Iterator[PackedAnalyses]:
    with storyline.open(analysed) as corpus:
        yield corpus._linked()[1]


def _filled(linked: PackedAnalyses, **options: Any) -> PackedAnalyses:
    out = PackedAnalyses(**options)
    for article_id in linked:
        out.put(article_id, linked[article_id])
    return out


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to see open files")
def test_every_view_is_the_same_spilled_and_in_memory(
    analysed: Path, spill_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with storyline.open(analysed) as corpus:
        spilled = _every_view(corpus)
        analyses = corpus._linked()[1]
        assert isinstance(analyses, PackedAnalyses) and analyses.spilled
        # the file has no name: nothing in the directory, one deleted file held open
        assert os.listdir(spill_dir) == []
        (held,) = _open_in(spill_dir)
        assert held.endswith(" (deleted)")
        assert f"spilled to a temporary file in {spill_dir}>" in repr(analyses)
    assert _open_in(spill_dir) == []  # closing the corpus closed the file
    with pytest.raises(ScratchError, match=r"^\[E601\] .*: the linked views' spill file is closed"):
        analyses[next(iter(analyses))]

    monkeypatch.setenv("STORYLINE_SPILL_MB", "inf")
    with storyline.open(analysed) as corpus:
        in_memory = _every_view(corpus)
        assert not corpus._linked()[1].spilled
    assert _open_in(spill_dir) == []
    assert json.dumps(spilled, sort_keys=True, default=repr) == json.dumps(
        in_memory, sort_keys=True, default=repr
    )
    assert {k: len(v) for k, v in spilled.items()} == {
        "timeline": 3,  # with the undated "Norway offered to host the next round" (Norway hosts it)
        "stories": 2,
        "figures": 2,
        "quotes": 8,
        "positions": 3,  # as in test_packed_analyses: no offer of Holmqvist in "welcomed the offer"
        "actors": 7,
        "outlets": 3,
        "annotations": 9,
        "inferred": 0,
        "outlet_figures": 2,
        "outlet_timeline": 1,
    }


def test_a_full_disk_is_a_clear_error_and_builds_nothing(
    analysed: Path, spill_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int, data: Any, offset: int) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with storyline.open(analysed) as corpus:
        monkeypatch.setattr(packed.os, "pwrite", full)
        first = next(iter(corpus.articles())).id
        size = len(pack(corpus.analysis(first)))  # type: ignore[arg-type]
        with pytest.raises(ScratchError) as caught:
            corpus.timeline()
        assert str(caught.value) == (
            f"[E601] {spill_dir}: cannot write {size:,} bytes to the linked views' spill file at offset 0: "
            "No space left on device (errno 28) (the linked views were not built; free space there "
            "or set STORYLINE_SPILL_DIR to another directory)"
        )
        assert caught.value.directory == str(spill_dir) and caught.value.code == "E601"
        assert corpus._linked_cache is None  # no half-built linked corpus kept
        if os.path.isdir("/proc/self/fd"):
            assert _open_in(spill_dir) == []  # the failed file was closed
        monkeypatch.undo()  # space again (and the in-memory default): the same corpus builds the view
        assert len(corpus.timeline()) == 2
        assert len(corpus.store.latest_analyses([first])) == 1  # nothing stored was touched


def test_the_spill_file_reports_what_went_wrong(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "no-such-dir"
    with pytest.raises(ScratchError) as caught:
        SpillFile(directory=str(missing))
    assert str(caught.value) == (
        f"[E601] {missing}: cannot make the linked views' spill file: No such file or directory (errno 2)"
    )
    file = SpillFile(directory=str(tmp_path))
    assert file.append(b"abc") == 0 << 32 | 3 and file.append(b"defgh") == 3 << 32 | 5
    assert file.read(3, 5) == b"defgh" and file.read(0, 3) == b"abc" and file.size == 8
    with pytest.raises(ScratchError) as short:
        file.read(6, 4)
    assert str(short.value) == (
        f"[E601] {tmp_path}: the linked views' spill file gave 2 of the 4 bytes at offset 6"
    )

    def no_room(fd: int, data: Any, offset: int) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(packed.os, "pwrite", no_room)
    with pytest.raises(ScratchError) as caught:
        file.append(b"x" * 1234)
    assert str(caught.value) == (
        f"[E601] {tmp_path}: cannot write 1,234 bytes to the linked views' spill file at offset 8: "
        "No space left on device (errno 28) (the linked views were not built; free space there or set "
        "STORYLINE_SPILL_DIR to another directory)"
    )
    monkeypatch.undo()
    assert file.size == 8 and file.append(b"ij") == 8 << 32 | 2  # the failed write took no place
    file.close()
    assert file.closed
    with pytest.raises(ScratchError, match=r"spill file is closed \(the corpus was closed\)$"):
        file.read(0, 3)
    with pytest.raises(ScratchError, match=r"spill file is closed"):
        file.append(b"k")
    file.close()  # twice is fine


def test_short_writes_are_completed(
    linked: PackedAnalyses, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.pwrite
    calls = []

    def three_at_a_time(fd: int, data: Any, offset: int) -> int:
        calls.append(offset)
        return real(fd, bytes(data[:3]), offset)

    monkeypatch.setattr(packed.os, "pwrite", three_at_a_time)
    analyses = _filled(linked, spill=0, directory=str(tmp_path))
    monkeypatch.undo()
    assert analyses.spilled and len(calls) == sum(-(-len(pack(linked[a])) // 3) for a in linked)
    assert all(analyses[a] == linked[a] for a in linked)
    analyses.close()


def test_it_spills_once_past_the_threshold(linked: PackedAnalyses, tmp_path: Path) -> None:
    ids = list(linked)
    sizes = [len(pack(linked[a])) for a in ids]
    analyses = PackedAnalyses(spill=sizes[0] + sizes[1], directory=str(tmp_path))
    analyses.put(ids[0], linked[ids[0]])
    analyses.put(ids[1], linked[ids[1]])
    assert not analyses.spilled and analyses.nbytes == sizes[0] + sizes[1]  # at the threshold, not past
    analyses.put(ids[2], linked[ids[2]])
    assert analyses.spilled and analyses.nbytes == sum(sizes[:3]) and analyses._blobs == {}
    analyses.put(ids[3], linked[ids[3]])
    assert list(analyses) == ids and len(analyses) == 4 and ids[3] in analyses
    assert all(analyses[a] == linked[a] for a in ids) and analyses.decoded == 4
    # replace and discard in the file: the order stays, the old bytes are no longer served
    analyses.put(ids[0], linked[ids[1]])
    assert list(analyses) == ids and analyses[ids[0]] == linked[ids[1]]
    analyses.discard(ids[2])
    analyses.discard("never-there")
    assert list(analyses) == [ids[0], ids[1], ids[3]] and ids[2] not in analyses
    with pytest.raises(KeyError):
        analyses[ids[2]]
    assert analyses.nbytes == sizes[1] + sizes[1] + sizes[3]
    # a subset reads the same file and decodes nothing
    part = analyses.subset({ids[3], ids[1]})
    assert part.spilled and list(part) == [ids[1], ids[3]] and part.decoded == 0
    assert part[ids[3]] == linked[ids[3]] and part.nbytes == sizes[1] + sizes[3]
    analyses.close()
    with pytest.raises(ScratchError, match="closed"):
        part[ids[1]]


def test_in_memory_until_the_threshold_and_subsets(linked: PackedAnalyses) -> None:
    analyses = _filled(linked, spill=sys.maxsize)
    assert not analyses.spilled and analyses.nbytes == sum(len(pack(linked[a])) for a in linked)
    assert repr(analyses).endswith("bytes packed, in memory>")
    part = analyses.subset(set(list(linked)[:2]))
    assert not part.spilled and part.nbytes == sum(len(pack(linked[a])) for a in list(linked)[:2])
    analyses.close()  # nothing to close
    assert analyses[next(iter(linked))] == linked[next(iter(linked))]


def test_threads_read_a_spilled_mapping_at_once(linked: PackedAnalyses, tmp_path: Path) -> None:
    analyses = _filled(linked, spill=0, recent=1, directory=str(tmp_path))
    expected = {a: linked[a].to_json() for a in linked}
    errors = read_from_threads(analyses, expected, 100)
    assert errors == [] and analyses.spilled
    analyses.close()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", 4 * MB), ("0", 0), ("2.5", int(2.5 * MB)), (" 64 ", 64 * MB), ("inf", sys.maxsize)],
)
def test_the_threshold_comes_from_the_environment(
    value: str, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STORYLINE_SPILL_MB", value)
    assert spill_threshold() == expected
    assert PackedAnalyses()._spill_at == expected


@pytest.mark.parametrize("value", ["-1", "lots", "nan", "1MB"])
def test_a_bad_threshold_names_the_variable(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYLINE_SPILL_MB", value)
    with pytest.raises(ConfigError) as caught:
        PackedAnalyses()
    assert str(caught.value) == (
        f"[E201] STORYLINE_SPILL_MB: expected a number of megabytes, 0 or more (or inf), got {value!r}"
    )


def test_the_spill_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STORYLINE_SPILL_DIR", raising=False)
    db = tmp_path / "stores" / "news.db"
    assert spill_directory(str(db)) == str(tmp_path / "stores")  # beside an SQLite store
    assert spill_directory(f"sqlite:///{db}") == str(tmp_path / "stores")
    assert spill_directory("postgresql://u@localhost/news") == tempfile.gettempdir()
    assert spill_directory(":memory:") == tempfile.gettempdir()
    assert spill_directory(None) == tempfile.gettempdir()
    monkeypatch.setenv("STORYLINE_SPILL_DIR", str(tmp_path / "scratch"))
    assert spill_directory(str(db)) == str(tmp_path / "scratch")


def test_quotes_decode_only_the_statements_and_mentions(analysed: Path) -> None:
    from storyline.analyze.pipeline import Analysis
    from storyline.views.analysis import article_annotations

    with storyline.open(analysed) as corpus:
        index, analyses, articles = corpus._linked()
        rows = corpus.quotes()
        kept = dict(analyses._recent)  # every analysis quotes() read (4 < RECENT)
        assert sorted(kept) == sorted(articles) and analyses.decoded == len(ARTICLES)
        decoded = {
            name
            for lazy in kept.values()
            for name in ("mentions", "timexes", "statements", "positions", "events", "figures", "framing")
            if _is_decoded(lazy, name)
        }
        assert decoded == {"statements", "mentions"}
        # the rows are the annotations' statements, with the same speakers
        expected = [
            (a, s["content"]["start"], s["speaker_actor"])
            for a in articles
            for s in article_annotations(articles[a], corpus.analysis(a), index)["statements"]
        ]
        assert sorted((r["article"], r["content"]["start"], r["speaker_actor"]) for r in rows) == sorted(
            expected
        )
        assert len(rows) == 8
        assert isinstance(corpus.analysis(next(iter(articles))), Analysis)


def _is_decoded(lazy: Any, name: str) -> bool:
    from storyline.analyze.pipeline import Analysis

    try:
        Analysis.__dict__[name].__get__(lazy, Analysis)
    except AttributeError:
        return False
    return True
