"""Local inputs through the dispatcher: text, sidecars, directories, globs, stdin, JSON(L), bad inputs."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
from pathlib import Path

import pytest

from storyline.config import IngestConfig
from storyline.errors import (
    BinaryInput,
    EmptyInput,
    InputError,
    MalformedInput,
    TooLarge,
    UnreadableInput,
    UnsupportedInput,
)
from storyline.ingest import iter_documents
from storyline.model import MetaValue, RawDocument

CONFIG = IngestConfig(fetch_feed_items=False)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
ARTICLE = "Talks resume in Geneva\n\nNegotiators returned on Friday, officials said.\n"


def run(
    *inputs: str, config: IngestConfig = CONFIG, stdin: bytes | None = None
) -> list[RawDocument | InputError]:
    stream = io.BytesIO(stdin) if stdin is not None else None
    return list(iter_documents(inputs, config=config, stdin=stream))


def only(items: list[RawDocument | InputError]) -> RawDocument | InputError:
    assert len(items) == 1, items
    return items[0]


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- text and sidecars -------------------------------------------------------------------------------


def test_text_file_with_sidecar(cwd: Path) -> None:
    Path("a.txt").write_bytes(ARTICLE.replace("\n", "\r\n").encode())
    Path("a.json").write_text(
        json.dumps(
            {
                "url": "https://Example.com/story?utm_source=x&id=3#comments",
                "outlet": "Kyiv Insider",
                "published": "2025-05-18",
                "title": "Talks resume",
                "section": "World",
            }
        )
    )
    doc = only(run("a.txt"))
    assert isinstance(doc, RawDocument)
    assert doc.origin == "a.txt"
    assert doc.kind == "text"
    assert doc.text == ARTICLE  # \r\n normalised
    assert doc.html is None
    assert doc.source_key == "https://example.com/story?id=3"
    assert doc.meta.outlet == MetaValue(
        value="Kyiv Insider", provenance="given", evidence="sidecar a.json: outlet"
    )
    assert doc.meta.get("published") == "2025-05-18"
    assert doc.meta.get("url") == "https://example.com/story?id=3"
    assert doc.meta.extra == (("section", "World"),)
    assert doc.encoding_note == ""


def test_text_file_without_url_is_keyed_by_outlet_and_relative_path(cwd: Path) -> None:
    (cwd / "in" / "sub").mkdir(parents=True)
    Path("in/sub/b.txt").write_text(ARTICLE)
    Path("in/sub/b.json").write_text('{"outlet": "Le Monde"}')
    Path("in/c.md").write_text(ARTICLE)
    by_dir = run("in")
    assert [(d.origin, d.source_key) for d in by_dir if isinstance(d, RawDocument)] == [
        ("in/c.md", "local:c.md"),
        ("in/sub/b.txt", "Le Monde:sub/b.txt"),
    ]
    # the same file ingested again, from another working directory, has the same key
    os.chdir(cwd / "in")
    again = only(run(str(cwd / "in"))[1:])
    assert isinstance(again, RawDocument)
    assert again.source_key == "Le Monde:sub/b.txt"


def test_malformed_sidecar_is_reported_and_the_document_still_yielded(cwd: Path) -> None:
    Path("a.txt").write_text(ARTICLE)
    Path("a.json").write_text('{"url": "https://example.com/x",}')
    err, doc = run("a.txt")
    assert isinstance(err, MalformedInput)
    assert err.origin == "a.json"
    assert (
        err.problem
        == "invalid JSON sidecar: Expecting property name enclosed in double quotes (line 1, column 33)"
    )
    assert isinstance(doc, RawDocument)
    assert doc.source_key == "local:a.txt"
    assert doc.meta.url is None


def test_sidecar_that_is_not_an_object(cwd: Path) -> None:
    Path("a.txt").write_text(ARTICLE)
    Path("a.json").write_text("[1, 2]")
    err, doc = run("a.txt")
    assert isinstance(err, MalformedInput)
    assert (err.origin, err.problem) == ("a.json", "sidecar must be a JSON object, got list")
    assert isinstance(doc, RawDocument)


def test_cp1252_file_gets_an_encoding_note(cwd: Path) -> None:
    text = "Café crème, naïve “quoted” — résumé of the déjà vu.\nSecond line: à bientôt, garçon.\n"
    Path("fr.txt").write_bytes(text.encode("cp1252"))
    doc = only(run("fr.txt"))
    assert isinstance(doc, RawDocument)
    assert doc.text == text
    assert doc.encoding_note == "decoded as cp1252 (guessed by charset-normalizer)"


def test_utf16_with_bom(cwd: Path) -> None:
    Path("u.txt").write_bytes("\ufeffZürich, 3 March\r\nTalks resume.".encode("utf-16-le"))
    doc = only(run("u.txt"))
    assert isinstance(doc, RawDocument)
    assert doc.text == "Zürich, 3 March\nTalks resume."
    assert doc.encoding_note == ""


# -- bad inputs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "error", "problem"),
    [
        ("pic.txt", PNG, BinaryInput, "binary data (a PNG image), not text"),
        ("empty.txt", b"", EmptyInput, "empty file"),
        ("blank.txt", b"  \n\n ", EmptyInput, "empty file (only whitespace)"),
        ("big.txt", b"x" * 101, TooLarge, "101 bytes, over the 100-byte cap"),
        ("big.html", b"<p>" + b"x" * 200, TooLarge, "203 bytes, over the 100-byte cap"),
    ],
)
def test_bad_files(cwd: Path, name: str, content: bytes, error: type[InputError], problem: str) -> None:
    Path(name).write_bytes(content)
    err = only(run(name, config=IngestConfig(max_bytes=100, fetch_feed_items=False)))
    assert type(err) is error
    assert isinstance(err, InputError)
    assert (err.origin, err.problem) == (name, problem)


def test_missing_file_is_reported_and_the_batch_goes_on(cwd: Path, caplog: pytest.LogCaptureFixture) -> None:
    Path("ok.txt").write_text(ARTICLE)
    with caplog.at_level(logging.WARNING, logger="storyline.ingest"):
        items = run("nope.txt", "ok.txt")
    err, doc = items
    assert isinstance(err, UnreadableInput)
    assert str(err) == "[E101] nope.txt: no such file or directory"
    assert isinstance(doc, RawDocument)
    assert caplog.messages == ["[E101] nope.txt: no such file or directory"]


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("ftp://example.com/a.txt", "ftp"),
        ("file:///etc/passwd", "file"),
        ("javascript:alert(1)", "javascript"),
    ],
)
def test_unsupported_schemes(url: str, scheme: str) -> None:
    err = only(run(url))
    assert isinstance(err, UnsupportedInput)
    assert err.origin == url
    assert err.problem == (
        f"unsupported URL scheme '{scheme}:' "
        "(storyline reads http and https URLs, files, directories and globs)"
    )


def test_directory_recursion_skips_hidden_sidecars_and_unknown(cwd: Path) -> None:
    root = cwd / "corpus"
    (root / "b").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".git" / "x.txt").write_text(ARTICLE)
    (root / ".hidden.txt").write_text(ARTICLE)
    (root / "z.txt").write_text(ARTICLE)
    (root / "z.json").write_text('{"outlet": "Z"}')
    (root / "a.html").write_text("<html><body><p>Hi</p></body></html>")
    (root / "notes.docx").write_bytes(b"PK\x03\x04")
    (root / "b" / "c.txt").write_text(ARTICLE)
    (root / "b" / "d.jsonl").write_text('{"text": "Line one article.", "source": "AP"}\n')
    items = run("corpus")
    assert [(i.origin, i.kind) for i in items if isinstance(i, RawDocument)] == [
        ("corpus/a.html", "html"),
        ("corpus/b/c.txt", "text"),
        ("corpus/b/d.jsonl:1", "jsonl"),
        ("corpus/z.txt", "text"),
    ]
    assert all(isinstance(i, RawDocument) for i in items)
    z = items[-1]
    assert isinstance(z, RawDocument)
    assert z.source_key == "Z:z.txt"


def test_glob(cwd: Path) -> None:
    Path("examples").mkdir()
    for name in ("b.txt", "a.txt", "a.json", "c.html"):
        Path("examples", name).write_text("{}" if name.endswith(".json") else ARTICLE)
    items = run("examples/*.txt")
    assert [(i.origin, i.source_key) for i in items if isinstance(i, RawDocument)] == [
        ("examples/a.txt", "local:a.txt"),
        ("examples/b.txt", "local:b.txt"),
    ]
    err = only(run("nothing/*.txt"))
    assert isinstance(err, UnreadableInput)
    assert err.problem == "no files match this pattern"


def test_stdin_text_and_html() -> None:
    doc = only(run("-", stdin=ARTICLE.encode()))
    assert isinstance(doc, RawDocument)
    assert (doc.origin, doc.kind, doc.text, doc.html) == ("<stdin>", "stdin", ARTICLE, None)
    assert doc.source_key == "stdin:" + hashlib.sha256(ARTICLE.encode()).hexdigest()[:16]
    page = b"<!DOCTYPE html><html><body><p>Hello</p></body></html>"
    doc = only(run("-", stdin=page))
    assert isinstance(doc, RawDocument)
    assert doc.html == page.decode()
    assert doc.text == ""
    err = only(run("-", stdin=b""))
    assert isinstance(err, EmptyInput)
    assert err.origin == "<stdin>"


def test_named_file_with_unknown_extension_is_sniffed(cwd: Path) -> None:
    Path("page.php").write_text("<!doctype html><html><body><p>Hello</p></body></html>")
    Path("notes").write_text(ARTICLE)
    Path("photo.png").write_bytes(PNG)
    page, notes, photo = run("page.php", "notes", "photo.png")
    assert isinstance(page, RawDocument) and page.kind == "html"
    assert isinstance(notes, RawDocument) and notes.kind == "text"
    assert isinstance(photo, BinaryInput)
    assert photo.problem == "binary data (a PNG image), not text"


# -- JSON Lines / JSON -------------------------------------------------------------------------------


def test_jsonl_with_a_malformed_line_in_the_middle(cwd: Path) -> None:
    lines = [
        json.dumps({"text": "First article text.", "url": "https://ex.com/1?utm_medium=x", "source": "AP"}),
        '{"text": "broken", ',
        json.dumps({"html": "<p>Second</p>", "outlet": "BBC", "published_at": "2025-01-02T03:04:05Z"}),
        "",
        json.dumps({"title": "No content"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"body": "<div><p>Third</p></div>", "date": "2025-02-01"}),
    ]
    Path("data.jsonl").write_text("\n".join(lines) + "\n")
    items = run("data.jsonl")
    assert [(type(i).__name__, i.origin) for i in items] == [
        ("RawDocument", "data.jsonl:1"),
        ("MalformedInput", "data.jsonl:2"),
        ("RawDocument", "data.jsonl:3"),
        ("MalformedInput", "data.jsonl:5"),
        ("MalformedInput", "data.jsonl:6"),
        ("RawDocument", "data.jsonl:7"),
    ]
    first, bad, second, empty, array, third = items
    assert (
        isinstance(first, RawDocument) and isinstance(second, RawDocument) and isinstance(third, RawDocument)
    )
    assert (first.text, first.html, first.source_key) == ("First article text.", None, "https://ex.com/1")
    assert first.meta.outlet == MetaValue(value="AP", provenance="given", evidence="data.jsonl:1: source")
    assert isinstance(bad, MalformedInput)
    assert bad.problem == "invalid JSON: Expecting property name enclosed in double quotes (column 20)"
    assert (second.text, second.html, second.source_key) == ("", "<p>Second</p>", "BBC:data.jsonl:3")
    assert second.meta.get("published") == "2025-01-02T03:04:05Z"
    assert isinstance(empty, MalformedInput)
    assert empty.problem == "record has no 'text' or 'html' field (nor 'content' or 'body')"
    assert isinstance(array, MalformedInput)
    assert array.problem == "record is not a JSON object (got array)"
    assert third.html == "<div><p>Third</p></div>"
    assert third.meta.get("published") == "2025-02-01"


def test_json_array_and_single_object(cwd: Path) -> None:
    Path("many.json").write_text(json.dumps([{"text": "One."}, {"content": "Two."}, 3]))
    Path("one.json").write_text(json.dumps({"text": "Alone.", "title": "T"}))
    Path("bad.json").write_text("[{")
    items = run("many.json", "one.json", "bad.json")
    assert [(type(i).__name__, i.origin) for i in items] == [
        ("RawDocument", "many.json[0]"),
        ("RawDocument", "many.json[1]"),
        ("MalformedInput", "many.json[2]"),
        ("RawDocument", "one.json"),
        ("MalformedInput", "bad.json"),
    ]
    assert isinstance(items[1], RawDocument) and items[1].text == "Two."
    assert isinstance(items[1], RawDocument) and items[1].source_key == "local:many.json[1]"
    assert isinstance(items[4], MalformedInput)
    assert (
        items[4].problem
        == "invalid JSON: Expecting property name enclosed in double quotes (line 1, column 3)"
    )


def test_sidecar_given_directly_is_skipped(cwd: Path) -> None:
    Path("a.txt").write_text(ARTICLE)
    Path("a.json").write_text('{"outlet": "X"}')
    assert run("a.json") == []


def test_an_unexpected_exception_is_reported_and_the_batch_goes_on(
    cwd: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import storyline.ingest as ingest

    def boom(path: Path, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(ingest, "read_html_file", boom)
    Path("a.html").write_text("<p>x</p>")
    Path("b.txt").write_text(ARTICLE)
    with caplog.at_level(logging.WARNING, logger="storyline.ingest"):
        err, doc = run("a.html", "b.txt")
    assert isinstance(err, MalformedInput)
    assert str(err) == "[E106] a.html: unexpected error: RuntimeError: boom"
    assert isinstance(doc, RawDocument)
    assert caplog.records[0].exc_info is not None
