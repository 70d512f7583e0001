"""GraphML export: actors, their statements, the issues they take positions on, and the articles.

Nodes (attribute ``kind``): ``actor`` (``actor:ID``), ``statement`` (``statement:ARTICLE:START-END``,
the content span), ``issue`` (``issue:NAME``) and ``article`` (``article:ID``). Directed edges
(attribute ``relation``):

- ``said``: actor → statement, with the article's date;
- ``about``: statement → issue, when a position on the issue was read in the statement's
  content (their spans overlap), with that position's stance;
- ``stance``: actor → issue, one edge per (actor, issue, stance) with ``weight`` = how many times
  it was reported, ``first_date``/``date`` (the latest) and the citation of the latest report;
- ``reported_in``: statement → article.

Every attribute is declared by a typed ``<key>`` (string, int, double, boolean), so Gephi, yEd,
networkx and igraph read the columns with their types; ``label`` names each node. The file is
written with :mod:`xml.etree.ElementTree`, which escapes markup; characters XML 1.0 cannot carry
(control characters, unpaired surrogates) are replaced with U+FFFD.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ..corpus import Corpus

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["GRAPHML_NS", "corpus_graphml", "graphml_tree", "position_history", "write_graphml"]

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

NODE_KEYS: tuple[tuple[str, str], ...] = (
    ("label", "string"),
    ("kind", "string"),
    ("actor_type", "string"),
    ("text", "string"),
    ("article", "string"),
    ("start", "int"),
    ("end", "int"),
    ("raw_start", "int"),
    ("raw_end", "int"),
    ("date", "string"),
    ("outlet", "string"),
    ("quote_kind", "string"),
    ("partial", "boolean"),
    ("cue", "string"),
    ("speaker", "string"),
    ("url", "string"),
    ("mentions", "int"),
)
EDGE_KEYS: tuple[tuple[str, str], ...] = (
    ("relation", "string"),
    ("stance", "string"),
    ("date", "string"),
    ("first_date", "string"),
    ("weight", "double"),
    ("article", "string"),
    ("start", "int"),
    ("end", "int"),
    ("content", "string"),
)


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def _value(value: Any, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "int":
        return str(int(value))
    if kind == "double":
        return repr(float(value))
    return _clean(str(value))


class _Graph:
    def __init__(self) -> None:
        self.root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
        self.types: dict[tuple[str, str], str] = {}
        for scope, keys in (("node", NODE_KEYS), ("edge", EDGE_KEYS)):
            for name, kind in keys:
                key_id = f"{scope[0]}_{name}"
                self.types[(scope, name)] = kind
                ET.SubElement(
                    self.root,
                    f"{{{GRAPHML_NS}}}key",
                    {"id": key_id, "for": scope, "attr.name": name, "attr.type": kind},
                )
        self.graph = ET.SubElement(
            self.root, f"{{{GRAPHML_NS}}}graph", {"id": "storyline", "edgedefault": "directed"}
        )
        self.nodes: set[str] = set()
        self.edges = 0

    def _data(self, element: ET.Element, scope: str, attrs: Mapping[str, Any]) -> None:
        for name, value in attrs.items():
            if value is None:
                continue
            kind = self.types[(scope, name)]
            data = ET.SubElement(element, f"{{{GRAPHML_NS}}}data", {"key": f"{scope[0]}_{name}"})
            data.text = _value(value, kind)

    def node(self, node_id: str, **attrs: Any) -> None:
        if node_id in self.nodes:
            return
        self.nodes.add(node_id)
        self._data(ET.SubElement(self.graph, f"{{{GRAPHML_NS}}}node", {"id": _clean(node_id)}), "node", attrs)

    def edge(self, source: str, target: str, **attrs: Any) -> None:
        self.edges += 1
        element = ET.SubElement(
            self.graph,
            f"{{{GRAPHML_NS}}}edge",
            {"id": f"e{self.edges}", "source": _clean(source), "target": _clean(target)},
        )
        self._data(element, "edge", attrs)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def statement_node_id(article: str, start: int, end: int) -> str:
    return f"statement:{article}:{start}-{end}"


def graphml_tree(
    *,
    actors: Sequence[Mapping[str, Any]],
    quotes: Sequence[Mapping[str, Any]],
    positions: Sequence[Mapping[str, Any]],
    articles: Mapping[str, Mapping[str, Any]],
) -> ET.ElementTree:
    """The graph of ``actors`` (rows of ``Corpus.actors()``), ``quotes`` (``Corpus.quotes()``),
    ``positions`` (:func:`position_history` rows) and ``articles`` (id → ``title``, ``outlet``,
    ``published``, ``url``)."""
    g = _Graph()
    names = {a["id"]: a for a in actors}

    def actor_node(actor_id: str) -> str:
        row = names.get(actor_id, {})
        node_id = f"actor:{actor_id}"
        g.node(
            node_id,
            label=row.get("name") or actor_id,
            kind="actor",
            actor_type=row.get("type"),
            mentions=row.get("mentions"),
        )
        return node_id

    def article_node(article_id: str) -> str:
        meta = articles.get(article_id, {})
        node_id = f"article:{article_id}"
        g.node(
            node_id,
            label=meta.get("title") or article_id,
            kind="article",
            article=article_id,
            outlet=meta.get("outlet"),
            date=meta.get("published"),
            url=meta.get("url"),
        )
        return node_id

    for a in actors:
        actor_node(a["id"])

    # positions by article, to find the issues a statement is about
    by_article: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for cell in positions:
        for e in cell["entries"]:
            by_article[e["article"]].append((e["start"], e["end"], cell["issue"], e["stance"]))

    for q in quotes:
        content = q["content"]
        start, end = int(content["start"]), int(content["end"])
        node_id = statement_node_id(q["article"], start, end)
        g.node(
            node_id,
            label=_short(content.get("text") or ""),
            kind="statement",
            text=content.get("text"),
            article=q["article"],
            start=start,
            end=end,
            raw_start=content.get("raw_start"),
            raw_end=content.get("raw_end"),
            date=q.get("date"),
            outlet=q.get("outlet"),
            quote_kind=q.get("kind"),
            partial=q.get("partial"),
            cue=q.get("cue"),
            speaker=q.get("speaker"),
        )
        if q.get("speaker_actor"):
            g.edge(actor_node(q["speaker_actor"]), node_id, relation="said", date=q.get("date"))
        seen: set[str] = set()
        for p_start, p_end, issue, stance in sorted(by_article.get(q["article"], ())):
            if p_start < end and start < p_end and issue not in seen:
                seen.add(issue)
                g.node(f"issue:{issue}", label=issue.replace("_", " "), kind="issue")
                g.edge(node_id, f"issue:{issue}", relation="about", stance=stance, date=q.get("date"))
        g.edge(node_id, article_node(q["article"]), relation="reported_in")

    for cell in positions:
        grouped: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
        for e in cell["entries"]:
            grouped[e["stance"]].append(e)
        issue = cell["issue"]
        g.node(f"issue:{issue}", label=issue.replace("_", " "), kind="issue")
        source = actor_node(cell["actor"])
        for stance, entries in sorted(grouped.items()):
            dated = [e for e in entries if e.get("date")]
            latest = dated[-1] if dated else entries[-1]
            g.edge(
                source,
                f"issue:{issue}",
                relation="stance",
                stance=stance,
                weight=len(entries),
                first_date=dated[0]["date"] if dated else None,
                date=latest.get("date"),
                article=latest["article"],
                start=latest["start"],
                end=latest["end"],
                content=latest.get("content"),
            )
    ET.indent(g.root)
    logger.info("graph: %d nodes, %d edges", len(g.nodes), g.edges)
    return ET.ElementTree(g.root)


def write_graphml(tree: ET.ElementTree, fp: TextIO) -> None:
    """Write the graph as UTF-8 GraphML text (with its XML declaration)."""
    ET.register_namespace("", GRAPHML_NS)
    fp.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = tree.getroot()
    if root is None:
        raise ValueError("an empty GraphML tree")
    fp.write(ET.tostring(root, encoding="unicode"))
    fp.write("\n")


def _entry(e: Any) -> dict[str, Any]:
    return {
        "date": e.stated or (e.published.isoformat() if e.published else None),
        "stance": e.stance,
        "content": e.content,
        "outlet": e.outlet,
        "article": e.article_id,
        "start": e.start,
        "end": e.end,
    }


def position_history(ledger: Any) -> list[dict[str, Any]]:
    """The positions ledger (:class:`~storyline.link.positions.PositionLedger`) as rows ``{actor,
    issue, entries: [{date, stance, content, outlet, article, start, end}], flags: [{kind, note,
    before, after}]}``, entries in the ledger's history order."""
    rows: list[dict[str, Any]] = []
    for actor_id, issues in sorted(ledger.matrix().items()):
        for issue in sorted(issues):
            rows.append(
                {
                    "actor": actor_id,
                    "issue": issue,
                    "entries": [_entry(e) for e in ledger.history(actor_id, issue)],
                    "flags": [
                        {"kind": f.kind, "note": f.note, "before": _entry(f.before), "after": _entry(f.after)}
                        for f in ledger.flags(actor_id, issue)
                    ],
                }
            )
    return rows


def corpus_graphml(corpus: Corpus, *, story: str | None = None) -> ET.ElementTree:
    """:func:`graphml_tree` over a corpus (one story's articles with ``story``)."""
    articles = {
        a.id: {"title": a.title, "outlet": a.outlet, "published": a.published, "url": a.meta.get("url")}
        for a in corpus.articles(story=story)
    }
    return graphml_tree(
        actors=corpus.actors(story=story),
        quotes=corpus.quotes(story=story),
        positions=position_history(corpus.positions(story=story)),
        articles=articles,
    )
