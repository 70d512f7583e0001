"""CSV, TimelineJS and GraphML exports: exact output on small cases, and each format parsed back
from an export of the bundled samples (built once for the module)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from typer.testing import CliRunner

import storyline
from storyline.cli import app
from storyline.errors import NotFound, UsageError
from storyline.export.csv import (
    ARTICLE_COLUMNS,
    STATEMENT_COLUMNS,
    TIMELINE_COLUMNS,
    Table,
    dossier_tables,
    figure_group_id,
    safe_cell,
    table_csv,
    write_tables,
)
from storyline.export.graphml import GRAPHML_NS, graphml_tree, write_graphml
from storyline.export.timelinejs import ArticleRef, evidence_link, timeline_date, timelinejs
from storyline.model import Article, Metadata, MetaValue, OffsetMap, Segment

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
NS = {"g": GRAPHML_NS}
TABLES = [
    "articles",
    "actors",
    "mentions",
    "statements",
    "positions",
    "timeline",
    "timeline_evidence",
    "figure_groups",
    "figures",
    "time_expressions",
    "stories",
    "outlets",
]


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = tmp_path_factory.mktemp("formats") / "s.db"
    corpus = storyline.open(db)
    corpus.add([str(EXAMPLES)])
    corpus.analyze()
    yield db, corpus
    corpus.close()


def article(text: str = "Putin said: “No.” Kyiv disagreed.", *, raw_shift: int = 10) -> Article:
    """An article whose clean text is its raw text after ``raw_shift`` removed characters."""
    raw = "X" * raw_shift + text
    return Article(
        id="a1",
        source_key="https://example.org/a1",
        content_hash="h",
        raw=raw,
        text=text,
        offsets=OffsetMap(
            segments=(Segment(clean=0, raw=raw_shift, length=len(text)),),
            clean_length=len(text),
            raw_length=len(raw),
        ),
        meta=Metadata(
            title=MetaValue(value='=HYPERLINK("http://evil")', provenance="given"),
            outlet=MetaValue(value="Wire, Inc.", provenance="given"),
            published=MetaValue(value="2025-12-03", provenance="given"),
        ),
    )


# -- CSV ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-2 degrees", "'-2 degrees"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("a = b", "a = b"),
        ("", ""),
        (-3, "-3"),
        (-0.5, "-0.5"),
        (True, "true"),
        (False, "false"),
        (None, ""),
    ],
)
def test_safe_cell_guards_formulas_but_not_numbers(value: Any, written: str) -> None:
    assert safe_cell(value) == written


def test_table_csv_is_rfc4180_with_guarded_formulas() -> None:
    table = Table(
        name="t",
        columns=("a", "b", "c"),
        rows=(("x, y", 'say "hi"', "line\nbreak"), ("=cmd|' /C calc'!A0", -1, None)),
    )
    assert table_csv(table) == (
        'a,b,c\r\n"x, y","say ""hi""","line\nbreak"\r\n\'=cmd|\' /C calc\'!A0,-1,\r\n'
    )


def test_table_csv_refuses_a_short_row() -> None:
    with pytest.raises(ValueError, match="table t: a row of 1 cells for 2 columns"):
        table_csv(Table(name="t", columns=("a", "b"), rows=(("x",),)))


def test_dossier_tables_spans_in_clean_and_raw_offsets() -> None:
    a = article()
    annotations = {
        "a1": {
            "mentions": [
                {
                    "start": 0,
                    "end": 5,
                    "raw_start": 10,
                    "raw_end": 15,
                    "text": "Putin",
                    "label": "PERSON",
                    "kind": "name",
                    "actor": "vladimir-putin",
                    "actor_name": "Vladimir Putin",
                    "affiliation": None,
                    "role": None,
                }
            ],
            "statements": [
                {
                    "kind": "direct",
                    "partial": False,
                    "continuation": False,
                    "date": "2025-12-03",
                    "speaker": {"start": 0, "end": 5, "raw_start": 10, "raw_end": 15, "text": "Putin"},
                    "speaker_kind": "named",
                    "speaker_antecedent": None,
                    "speaker_actor": "vladimir-putin",
                    "speaker_name": "Vladimir Putin",
                    "anonymous": None,
                    "cue": {
                        "start": 6,
                        "end": 10,
                        "raw_start": 16,
                        "raw_end": 20,
                        "text": "said",
                        "lemma": "say",
                    },
                    "content": {"start": 13, "end": 16, "raw_start": 23, "raw_end": 26, "text": "No."},
                    "sentence": {"start": 0, "end": 17, "raw_start": 10, "raw_end": 27, "text": a.text[:17]},
                }
            ],
        }
    }
    timeline = [
        {
            "id": "ev-1",
            "date": "2025-12",
            "precision": "month",
            "approximate": False,
            "date_conflict": [],
            "planned": False,
            "type": "statement",
            "what": a.text[:17],
            "participants": ["Vladimir Putin"],
            "places": [],
            "outlets": ["Wire, Inc."],
            "corrected": {"id": 7, "by": "ana", "at": "2026-11-27T07:00:00+00:00", "note": "re-dated"},
            "citations": [
                {
                    "article": "a1",
                    "outlet": "Wire, Inc.",
                    "start": 18,
                    "end": 33,
                    "trigger": "disagreed",
                    "date_value": "2025-12",
                    "date_source": "timex",
                }
            ],
        }
    ]
    tables = {t.name: t for t in dossier_tables(articles=[a], annotations=annotations, timeline=timeline)}
    assert [t for t in tables] == TABLES
    assert tables["articles"].columns == ARTICLE_COLUMNS
    assert tables["articles"].rows == (
        (
            "a1",
            "https://example.org/a1",
            1,
            "text",
            "",
            None,
            "Wire, Inc.",
            '=HYPERLINK("http://evil")',
            None,
            "2025-12-03",
            "given",
            None,
            None,
            None,
            33,
            None,
            None,
            None,
            None,
            None,
            None,
        ),
    )
    assert tables["mentions"].rows == (
        ("a1", 0, 5, 10, 15, "Putin", "PERSON", "name", "vladimir-putin", "Vladimir Putin", None, None),
    )
    statement = dict(zip(STATEMENT_COLUMNS, tables["statements"].rows[0], strict=True))
    assert statement["content_text"] == "No." and statement["content_raw_start"] == 23
    assert (statement["cue_lemma"], statement["cue_raw_end"], statement["speaker_text"]) == (
        "say",
        20,
        "Putin",
    )
    assert statement["antecedent_start"] is None and statement["sentence_raw_end"] == 27
    assert (statement["corrected"], statement["corrected_by"]) == (None, None)
    assert tables["timeline"].columns == TIMELINE_COLUMNS
    assert tables["timeline"].rows == (
        (
            "ev-1",
            "2025-12",
            "month",
            False,
            "",
            False,
            "statement",
            "Vladimir Putin",
            "",
            "Wire, Inc.",
            1,
            a.text[:17],
            7,
            "ana",
        ),
    )
    # evidence rows carry clean offsets only in the view: the raw ones come from the offset map
    assert tables["timeline_evidence"].rows == (
        ("ev-1", "a1", "Wire, Inc.", "disagreed", "2025-12", "timex", 18, 33, 28, 43, "Kyiv disagreed."),
    )
    assert a.raw[28:43] == "Kyiv disagreed."
    # the title is guarded when written
    assert '\'=HYPERLINK(""http://evil"")' in table_csv(tables["articles"])


def test_figure_group_id_is_stable() -> None:
    assert figure_group_id("drones", "drone") == figure_group_id("drones", "drone")
    assert figure_group_id("drones", "drone") != figure_group_id(None, "drone")
    assert figure_group_id(None, "drone").startswith("fg-") and len(figure_group_id(None, "drone")) == 13


def test_write_tables_refuses_a_file_as_directory(tmp_path: Path) -> None:
    target = tmp_path / "plain.txt"
    target.write_text("x")
    with pytest.raises(UsageError, match="plain.txt: exists and is not a directory"):
        write_tables([Table(name="t", columns=("a",), rows=())], target)
    assert target.read_text() == "x"


def _read_zip(path: Path) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(path) as archive:
        return {
            name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))
            for name in archive.namelist()
        }


def test_csv_of_the_samples_through_the_cli(samples: Any, tmp_path: Path) -> None:
    db, corpus = samples
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(db), "export", "-f", "csv", "-o", str(tmp_path / "d.zip")])
    assert result.exit_code == 0, result.output
    tables = _read_zip(tmp_path / "d.zip")
    assert sorted(tables) == sorted(TABLES)
    texts = {a.id: a for a in corpus.articles()}
    assert len(tables["articles"]) == 5
    assert len(tables["statements"]) == len(corpus.quotes())
    assert len(tables["timeline"]) == len(corpus.timeline(include_approximate=True))
    assert len(tables["outlets"]) == 5
    for row in tables["statements"]:
        a = texts[row["article"]]
        start, end = int(row["content_start"]), int(row["content_end"])
        assert row["content_text"] == safe_cell(a.text[start:end])
        assert (int(row["content_raw_start"]), int(row["content_raw_end"])) == a.offsets.span_to_raw(
            start, end
        )
    for row in tables["timeline_evidence"]:
        a = texts[row["article"]]
        start, end = int(row["sentence_start"]), int(row["sentence_end"])
        assert row["sentence_text"] == safe_cell(a.text[start:end])
        assert (int(row["sentence_raw_start"]), int(row["sentence_raw_end"])) == a.offsets.span_to_raw(
            start, end
        )
    # no cell anywhere starts a formula; every row has as many cells as the header
    for rows in tables.values():
        for row in rows:
            assert None not in row and None not in row.values()
            assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values() if not _number(v))
    # a directory gets the same files
    assert corpus.export(tmp_path / "dir", format="csv") == sum(len(rows) for rows in tables.values())
    assert sorted(p.name for p in (tmp_path / "dir").iterdir()) == sorted(f"{t}.csv" for t in TABLES)


def _number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def test_csv_needs_an_output_path(samples: Any) -> None:
    db, _ = samples
    result = CliRunner().invoke(app, ["--db", str(db), "export", "-f", "csv"])
    assert result.exit_code == 2
    assert "--format csv writes one file per table: give -o DIRECTORY or -o FILE.zip" in result.output


def test_unknown_format_and_story_are_usage_errors(samples: Any, tmp_path: Path) -> None:
    db, corpus = samples
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(db), "export", "-f", "xlsx"])
    assert result.exit_code == 2
    assert "unknown export format 'xlsx' (known: jsonl, csv, timelinejs, graphml)" in result.output
    target = tmp_path / "g.graphml"
    result = runner.invoke(
        app, ["--db", str(db), "export", "-f", "graphml", "--story", "nope", "-o", str(target)]
    )
    assert result.exit_code == 2
    assert "[E302] no story with id 'nope'" in result.output
    assert not target.exists()
    with pytest.raises(UsageError, match="unknown export format 'xml'"):
        corpus.export(io.StringIO(), format="xml")
    with pytest.raises(UsageError, match="the csv export writes one file per table"):
        corpus.export(io.StringIO(), format="csv")


# -- TimelineJS ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "precision", "start", "end"),
    [
        ("2025-12-02", "day", {"year": 2025, "month": 12, "day": 2}, None),
        ("2025-12", "month", {"year": 2025, "month": 12}, None),
        ("2022", "year", {"year": 2022}, None),
        (
            "2025-W49",
            "week",
            {"year": 2025, "month": 12, "day": 1, "display_date": "week 49 of 2025"},
            {"year": 2025, "month": 12, "day": 7},
        ),
        (
            "2025-W48-WE",
            "week",
            {"year": 2025, "month": 11, "day": 29, "display_date": "the weekend of week 48 of 2025"},
            {"year": 2025, "month": 11, "day": 30},
        ),
        (
            "2025-12-03",
            "report",
            {"year": 2025, "month": 12, "day": 3, "display_date": "about 2025-12-03 (date of the report)"},
            None,
        ),
    ],
)
def test_timeline_date_keeps_precision(
    value: str, precision: str, start: dict[str, Any], end: dict[str, Any] | None
) -> None:
    assert timeline_date(value, precision) == (start, end)


@pytest.mark.parametrize(
    ("value", "precision"),
    [("2025-12", "day"), ("PRESENT_REF", "day"), (None, "day"), ("2025-W60", "week"), ("2025", "decade")],
)
def test_timeline_date_unreadable(value: str | None, precision: str) -> None:
    assert timeline_date(value, precision) is None


def test_evidence_link_only_http_or_the_reader() -> None:
    ref = ArticleRef(id="a1", url="javascript:alert(1)")
    assert evidence_link(ref, 1, 5, link_base=None) is None
    assert (
        evidence_link(ref, 1, 5, link_base="http://127.0.0.1:8000/")
        == "http://127.0.0.1:8000/articles/a1#span-1-5"
    )
    assert (
        evidence_link(ArticleRef(id="a1", url="https://x.org/a"), 1, 5, link_base=None) == "https://x.org/a"
    )


def test_timelinejs_golden_escapes_everything() -> None:
    entries = [
        {
            "id": "ev-2",
            "date": "2025-12",
            "precision": "month",
            "date_conflict": [],
            "planned": True,
            "type": "peace_talks",
            "what": "Talks <script>alert(1)</script> & more",
            "participants": ["A & B"],
            "outlets": ["<b>Wire</b>"],
            "citations": [{"article": "a1", "outlet": "<b>Wire</b>", "start": 3, "end": 9}],
        },
        {
            "id": "ev-1",
            "date": "2025-12-02",
            "precision": "day",
            "date_conflict": ["2025-12-02", "2025-12-03"],
            "planned": False,
            "type": "attack",
            "what": "Drones hit Kyiv.",
            "participants": [],
            "outlets": ["Wire"],
            "citations": [{"article": "zz", "outlet": None, "start": 0, "end": 16}],
        },
        {"id": "ev-0", "date": None, "precision": "day", "citations": []},
    ]
    refs = {"a1": ArticleRef(id="a1", title='T "1"', published="2025-12-03T10:00:00", url="javascript:x")}
    assert timelinejs(entries, articles=refs, title="Story <1>") == {
        "title": {
            "text": {
                "headline": "Story &lt;1&gt;",
                "text": "<p>2 events reported by 2 outlets in 2 articles.</p>",
            }
        },
        "events": [
            {
                "start_date": {"year": 2025, "month": 12},
                "text": {
                    "headline": "Peace talks: A &amp; B (planned)",
                    "text": "<p>Talks &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>"
                    "<p>Reported by &lt;b&gt;Wire&lt;/b&gt;.</p>"
                    "<p>Evidence:</p><ol><li>&lt;b&gt;Wire&lt;/b&gt;, “T &quot;1&quot;”, 2025-12-03"
                    " — article a1, chars 3–9</li></ol>",
                },
                "group": "peace talks",
                "unique_id": "ev-2",
            },
            {
                "start_date": {"year": 2025, "month": 12, "day": 2},
                "text": {
                    "headline": "Attack",
                    "text": "<p>Drones hit Kyiv.</p><p>Reported by Wire.</p>"
                    "<p>The outlets disagree on the date: 2025-12-02 / 2025-12-03.</p>"
                    "<p>Evidence:</p><ol><li>unknown outlet — article zz, chars 0–16</li></ol>",
                },
                "group": "attack",
                "unique_id": "ev-1",
            },
        ],
    }


def test_timelinejs_of_the_samples(samples: Any, tmp_path: Path) -> None:
    db, corpus = samples
    target = tmp_path / "t.json"
    result = CliRunner().invoke(
        app, ["--db", str(db), "export", "-f", "timelinejs", "-o", str(target), "--link-base", "http://h:1"]
    )
    assert result.exit_code == 0, result.output
    entries = corpus.timeline()
    data = json.loads(target.read_text(encoding="utf-8"))
    assert f"exported {len(data['events'])} timeline events" in result.output
    assert [e["unique_id"] for e in data["events"]] == [e["id"] for e in entries]
    for event, entry in zip(data["events"], entries, strict=True):
        start = event["start_date"]
        assert isinstance(start["year"], int)
        assert ("day" in start) == (entry["precision"] in ("day", "week"))
        assert ("month" in start) == (entry["precision"] in ("day", "week", "month"))
        for c in entry["citations"]:
            assert (
                f'href="http://h:1/articles/{c["article"]}#span-{c["start"]}-{c["end"]}"'
                in event["text"]["text"]
            )
        assert "<script" not in event["text"]["text"]


# -- GraphML -----------------------------------------------------------------------------------------


def _graph(tree: Any) -> Any:
    buf = io.StringIO()
    write_graphml(tree, buf)
    return etree.fromstring(buf.getvalue().encode("utf-8"))


def _edges(root: Any) -> set[tuple[str, str, str]]:
    out = set()
    for e in root.iterfind(".//g:edge", NS):
        relation = e.find("g:data[@key='e_relation']", NS).text
        out.add((e.get("source"), e.get("target"), relation))
    return out


def test_graphml_small_graph() -> None:
    tree = graphml_tree(
        actors=[{"id": "putin", "name": "Vladimir <Putin>", "type": "PERSON", "mentions": 3}],
        quotes=[
            {
                "article": "a1",
                "speaker_actor": "putin",
                "speaker": "Putin",
                "kind": "direct",
                "partial": False,
                "cue": "said",
                "date": "2025-12-03",
                "outlet": "Wire",
                "content": {
                    "start": 10,
                    "end": 30,
                    "raw_start": 12,
                    "raw_end": 32,
                    "text": "We want\x07 peace & land",
                },
            },
            {
                "article": "a1",
                "speaker_actor": None,
                "speaker": "sources",
                "speaker_kind": "anonymous",
                "kind": "indirect",
                "partial": False,
                "cue": None,
                "date": "2025-12-03",
                "outlet": "Wire",
                "content": {"start": 50, "end": 60, "text": "it failed"},
            },
        ],
        positions=[
            {
                "actor": "putin",
                "issue": "territory",
                "entries": [
                    {
                        "date": "2025-11-27",
                        "stance": "demand",
                        "content": "land",
                        "outlet": "Wire",
                        "article": "a0",
                        "start": 0,
                        "end": 4,
                    },
                    {
                        "date": "2025-12-03",
                        "stance": "demand",
                        "content": "peace & land",
                        "outlet": "Wire",
                        "article": "a1",
                        "start": 20,
                        "end": 40,
                    },
                    {
                        "date": "2025-12-01",
                        "stance": "offer",
                        "content": "talks",
                        "outlet": "Wire",
                        "article": "a2",
                        "start": 5,
                        "end": 9,
                    },
                ],
            }
        ],
        articles={"a1": {"title": "T", "outlet": "Wire", "published": "2025-12-03", "url": None}},
    )
    root = _graph(tree)
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.iterfind("g:key", NS)}
    assert keys[("node", "start")] == "int" and keys[("edge", "weight")] == "double"
    assert keys[("node", "partial")] == "boolean" and keys[("node", "label")] == "string"
    nodes = {n.get("id"): n for n in root.iterfind(".//g:node", NS)}
    assert sorted(nodes) == [
        "actor:putin",
        "article:a1",
        "issue:territory",
        "statement:a1:10-30",
        "statement:a1:50-60",
    ]
    assert nodes["actor:putin"].find("g:data[@key='n_label']", NS).text == "Vladimir <Putin>"
    # the bell character cannot be in XML: replaced
    assert nodes["statement:a1:10-30"].find("g:data[@key='n_text']", NS).text == "We want\ufffd peace & land"
    assert _edges(root) == {
        ("actor:putin", "statement:a1:10-30", "said"),
        ("statement:a1:10-30", "issue:territory", "about"),
        ("statement:a1:10-30", "article:a1", "reported_in"),
        ("statement:a1:50-60", "article:a1", "reported_in"),
        ("actor:putin", "issue:territory", "stance"),
    }
    stance = {
        e.find("g:data[@key='e_stance']", NS).text: {d.get("key"): d.text for d in e}
        for e in root.iterfind(".//g:edge", NS)
        if e.find("g:data[@key='e_relation']", NS).text == "stance"
    }
    assert stance["demand"] == {
        "e_relation": "stance",
        "e_stance": "demand",
        "e_weight": "2.0",
        "e_first_date": "2025-11-27",
        "e_date": "2025-12-03",
        "e_article": "a1",
        "e_start": "20",
        "e_end": "40",
        "e_content": "peace & land",
    }
    assert stance["offer"]["e_weight"] == "1.0" and stance["offer"]["e_date"] == "2025-12-01"


def test_graphml_of_the_samples(samples: Any, tmp_path: Path) -> None:
    db, corpus = samples
    target = tmp_path / "g.graphml"
    result = CliRunner().invoke(app, ["--db", str(db), "export", "-f", "graphml", "-o", str(target)])
    assert result.exit_code == 0, result.output
    root = etree.parse(str(target)).getroot()
    assert root.tag == f"{{{GRAPHML_NS}}}graphml"
    nodes = {n.get("id") for n in root.iterfind(".//g:node", NS)}
    assert f"exported {len(nodes)} graph nodes" in result.output
    edges = [(e.get("source"), e.get("target")) for e in root.iterfind(".//g:edge", NS)]
    assert all(s in nodes and t in nodes for s, t in edges)
    relations = [e.find("g:data[@key='e_relation']", NS).text for e in root.iterfind(".//g:edge", NS)]
    quotes = corpus.quotes()
    assert relations.count("reported_in") == len(quotes)
    assert relations.count("said") == sum(1 for q in quotes if q["speaker_actor"])
    assert relations.count("about") > 0 and relations.count("stance") > 0
    assert {n for n in nodes if n.startswith("actor:")} == {f"actor:{a['id']}" for a in corpus.actors()}
    # a reader that honours the typed keys (networkx is in the dev environment through textacy)
    nx = pytest.importorskip("networkx")
    graph = nx.read_graphml(str(target))
    assert graph.number_of_nodes() == len(nodes) and graph.number_of_edges() == len(edges)
    statement = next(n for n, d in graph.nodes(data=True) if d["kind"] == "statement")
    assert isinstance(graph.nodes[statement]["start"], int) and isinstance(
        graph.nodes[statement]["partial"], bool
    )


def test_story_scoped_exports(samples: Any, tmp_path: Path) -> None:
    _, corpus = samples
    story = corpus.stories()[0]
    members = {m["id"] for m in story["members"]}
    buf = io.StringIO()
    n = corpus.export(buf, format="timelinejs", story=story["id"])
    data = json.loads(buf.getvalue())
    assert n == len(data["events"]) == len(corpus.timeline(story=story["id"]))
    assert data["title"]["text"]["headline"].startswith("Timeline: ")
    rows = corpus.export(tmp_path / "s.zip", format="csv", story=story["id"])
    tables = _read_zip(tmp_path / "s.zip")
    assert {r["id"] for r in tables["articles"]} == members
    assert rows == sum(len(t) for t in tables.values())
    with pytest.raises(NotFound, match="no story with id 'nope'"):
        corpus.export(io.StringIO(), format="graphml", story="nope")
