"""Score story clustering against ECB+ document clusters (topics and seminal-event sub-topics).

Layout read (``path`` is the benchmark folder)::

    ECB+/<topic>/<topic>_<n>ecb.xml        token XML (``<token t_id sentence number>word</token>``)
    ECB+/<topic>/<topic>_<n>ecbplus.xml    the same for the second seminal event of the topic
    doc_clusters_gold.tsv                  doc <TAB> topic <TAB> subtopic_seminal_event

A document's text is rebuilt from its tokens (one line per sentence, tokens joined by spaces); in the
``ecbplus`` files sentence 0 is the URL the text was found at and is dropped (it is metadata, and it
would leak the outlet). ECB+ gives no publication dates, so time plays no part here.

Two granularities are predicted:

- **stories** (≈ topics): :class:`~storyline.link.stories.StoryClusterer` with ``story_threshold``;
- **events** (≈ sub-topics, the seminal event): inside each final story (after merges) a second
  clusterer with ``event_threshold`` and no merging (its IDF is estimated inside the story only, so
  the words the story shares weigh little and the names, places and numbers of one event weigh more).

Scores (:func:`bcubed` and :func:`pairwise`, both P/R/F1 over documents):

- B-cubed: for each document, precision = share of its predicted cluster that is in its gold cluster,
  recall = share of its gold cluster that is in its predicted cluster; averaged over documents.
- pairwise: over unordered document pairs, precision = gold-linked / predicted-linked pairs, recall =
  predicted-linked / gold-linked pairs (a score with no pairs to judge is 1.0).

Documents are clustered in sorted name order (deterministic); ``shuffles`` extra runs in seeded random
orders report the spread of F1 (order sensitivity).

The stories are the product's own :class:`~storyline.link.stories.StoryClusterer` with its defaults
(what ``corpus.stories()`` gives): join threshold ``STORY_THRESHOLD`` 0.15, text average-link merging
at ``merge_threshold`` 0.1 between stories of 2+ members; with ``--embeddings``
:data:`~storyline.link.stories.EMBEDDING_DEFAULTS` (threshold 0.2, weight 0.5, floor 0.3, embedding
average-link merging at ``merge_link`` 0.3 between stories of 2+ members, no text merging, deferred
joins ``revisit`` 1). The event level (``EVENT_THRESHOLD`` 0.15) runs inside each final story.
Everything was tuned on the odd topics of 1–35 only (text: join thresholds 0.12–0.2, merge
thresholds 0.08–0.15, ``merge_min_size`` 2–3, ``knn`` 1–3, ``centroid_weight`` 0.3–0.7; embeddings:
``merge_link`` 0.27–0.35, ``merge_min_size`` 2–4, ``revisit`` 0–4, thresholds 0.17–0.25; with
``revisit`` 1, ``merge_min_size`` 2 and 3 tie on the odd topics and 2 keeps the bundled samples one
story); the even topics were used to check, never to choose. Measured with ``storyline eval ecbplus
../shared/benchmarks/ecbplus [--topics 1,3,…,35 | 2,4,…,34] [--embeddings]`` (B-cubed F1 / pairwise
F1 in sorted order; the shuffles line is the range and mean of B-cubed F1 over 3 seeded orders)::

                          text only                       with embeddings (--embeddings)
                          topic          sub-topic        topic          sub-topic
    odd topics (16)       0.877 / 0.844  0.865 / 0.809    0.969 / 0.954  0.862 / 0.812
      3 shuffles, B3      0.853–0.897    0.774–0.851      0.923–0.969    0.803–0.863
                          (mean 0.879)   (mean 0.812)     (mean 0.952)   (mean 0.826)
    even topics (17)      0.854 / 0.847  0.829 / 0.749    0.943 / 0.867  0.848 / 0.775
      3 shuffles, B3      0.837–0.915    0.860–0.887      0.856–0.932    0.863–0.878
                          (mean 0.875)   (mean 0.870)     (mean 0.887)   (mean 0.868)
    all 33 topics         0.842 / 0.812  0.828 / 0.748    0.887 / 0.694  0.843 / 0.774
      3 shuffles, B3      0.849–0.890    0.828–0.846      0.858–0.869    0.823–0.848
                          (mean 0.873)   (mean 0.834)     (mean 0.863)   (mean 0.838)

With the larger encoder all-mpnet-base-v2 (``embeddings="mpnet"``, CLI ``--encoder mpnet``; 768
dimensions, about six times MiniLM's CPU per lead) and its
:func:`~storyline.link.stories_embedding.embedding_defaults` (the MiniLM settings with ``merge_link``
0.35), measured the same way (``--encoder mpnet``)::

                          topic                          sub-topic
    odd topics (16)       0.957 / 0.953 (P 0.99 R 0.92)  0.866 / 0.813
      3 shuffles, B3      0.965–0.977 (mean 0.973)       0.796–0.866 (mean 0.826)
    even topics (17)      0.936 / 0.899 (P 0.93 R 0.95)  0.846 / 0.769
      3 shuffles, B3      0.945–0.949 (mean 0.947)       0.867–0.899 (mean 0.878)
    all 33 topics         0.916 / 0.884 (P 0.91 R 0.93)  0.843 / 0.778
      3 shuffles, B3      0.902–0.929 (mean 0.920)       0.830–0.850 (mean 0.842)

Chosen on the odd topics by the mean topic B-cubed F1 of the sorted run and the 3 shuffles (0.969;
MiniLM's settings gave 0.956 there): ``merge_link`` 0.3 / 0.33 / 0.35 / 0.38 → 0.930 / 0.966 / 0.969 /
0.955, ``embedding_floor`` 0.35 and ``threshold`` 0.23 no better, nor ``revisit`` 2–3, ``merge_min_size``
3, ``knn`` 2, ``centroid_weight`` 0.7, ``embedding_weight`` 0.6, the embedding part of the join as the
mean cosine with the members instead of the cosine with their sum (all within 0.004), nor the first
line alone as the embedded text, nor MiniLM and mpnet vectors concatenated (fewer sibling sub-topics
linked above the cross-topic links). In sorted order on the odd topics mpnet is below MiniLM (0.957
vs 0.969: precision 0.99, but topics 3 and 13 stay split, sibling average links 0.30 and 0.37, and
topic 5 keeps two small fragments), above it in every shuffled order. mpnet keeps several
violent-crime topics apart that MiniLM chains (shuffled means 0.863 → 0.920 over all 33 topics), but
not all: what remains comes from merges of a 2-member story into a larger one of another topic
(average link 0.37–0.39 between shootings or killings in different places, as high as correct
merges of 2-member stories on the odd topics, 0.38–0.44, so a higher bar for small stories would
cost as much) and from the first article of a topic joining a story of a similar crime.

Before average-link merging, ``merge_min_size`` for embedding merges and deferred joins (join
threshold only, singletons merged by embeddings alone), the same runs gave topic B-cubed F1 0.840 /
0.817 / 0.821 text and 0.969 / 0.917 / 0.902 with embeddings (odd / even / all, sorted), shuffled means
0.866 / 0.818 / 0.850 and 0.922 / 0.846 / 0.846.

Text alone is precise (topic B-cubed P 0.90–0.94) but splits topics along their two seminal events:
the two events of one ECB+ topic often share few words; text average-link merging recovers part of
them (R 0.74 → 0.79 over all topics). Embeddings recover nearly all (R 0.98) but join several
violent-crime topics (shootings and killings in different places) through joins of single articles
(P 0.81 over all 33 topics, sorted order): their leads embed alike. Keeping singletons out of
embedding merges stopped merges that seeded such chains (shuffled means 0.846 → 0.863 over all
topics; 0.874 with a minimum of 3 members). Average link between sibling sub-topics (given the gold
sub-topics) is the best link for 56 of 66 sub-topics with IDF-weighted terms, 58 with embeddings, but
only 45 with capitalised words (names, places) alone: names separate events, not topics, and
weighting them up would help the event level, not the story level.
"""

from __future__ import annotations

import logging
import random
import re
import statistics
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..link.stories import StoryClusterer, embedding_text, embeddings_wanted
from ..link.stories_embedding import embedding_defaults

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "EcbDoc",
    "bcubed",
    "cluster_documents",
    "evaluate_ecbplus",
    "load_ecbplus",
    "pairwise",
]

STORY_THRESHOLD = 0.15  # the StoryClusterer default: the eval scores what users get
EVENT_THRESHOLD = 0.15

_NO_SPACE_BEFORE = re.compile(r" ([.,;:!?%)\]}'’]|n't|'s|'re|'ve|'ll|'d|'m)(?=\s|$)")
_NO_SPACE_AFTER = re.compile(r"([(\[{$]) ")


@dataclass(frozen=True, kw_only=True, slots=True)
class EcbDoc:
    name: str  # "1_10ecb.xml"
    topic: str  # "1"
    subtopic: str  # "1_ecb"
    text: str


def _detokenize(tokens: Sequence[str]) -> str:
    line = " ".join(tokens).replace("``", '"').replace("''", '"')
    line = _NO_SPACE_BEFORE.sub(r"\1", line)
    return _NO_SPACE_AFTER.sub(r"\1", line)


def read_tokens(path: Path) -> str:
    """The text of one token XML file: one line per sentence (the ``ecbplus`` URL line dropped)."""
    root = ET.parse(path).getroot()
    sentences: dict[int, list[str]] = defaultdict(list)
    for tok in root.iter("token"):
        sentences[int(tok.get("sentence", "0"))].append(tok.text or "")
    plus = path.name.endswith("ecbplus.xml")
    lines = [_detokenize(toks) for s, toks in sorted(sentences.items()) if not (plus and s == 0)]
    return "\n".join(line for line in lines if line)


def load_ecbplus(path: Path, *, topics: Iterable[int] | None = None) -> list[EcbDoc]:
    """Documents listed in ``doc_clusters_gold.tsv`` whose XML is present, sorted by name."""
    wanted = {str(t) for t in topics} if topics is not None else None
    gold_path = path / "doc_clusters_gold.tsv"
    if not gold_path.is_file():
        raise FileNotFoundError(f"no doc_clusters_gold.tsv in {path}")
    docs: list[EcbDoc] = []
    for line in gold_path.read_text(encoding="utf-8").splitlines()[1:]:
        if not line.strip():
            continue
        name, topic, subtopic = line.split("\t")[:3]
        if wanted is not None and topic not in wanted:
            continue
        xml = path / "ECB+" / topic / name
        if not xml.is_file():
            logger.warning("ECB+ document %s listed in the gold file is missing", xml)
            continue
        docs.append(EcbDoc(name=name, topic=topic, subtopic=subtopic, text=read_tokens(xml)))
    return sorted(docs, key=lambda d: d.name)


# -- scorers -------------------------------------------------------------------------------------
def _prf(p: float, r: float) -> dict[str, float]:
    f = 0.0 if p + r == 0 else 2 * p * r / (p + r)
    return {"p": p, "r": r, "f1": f}


def _groups(labels: Mapping[str, Hashable]) -> dict[Hashable, set[str]]:
    out: dict[Hashable, set[str]] = defaultdict(set)
    for item, label in labels.items():
        out[label].add(item)
    return out


def bcubed(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> dict[str, float]:
    """B-cubed P/R/F1 over the items of ``gold`` (an item missing from ``pred`` is a singleton)."""
    items = sorted(gold)
    if not items:
        return _prf(1.0, 1.0)
    pred_full = {i: pred.get(i, ("__singleton__", i)) for i in items}
    pg, gg = _groups(pred_full), _groups(gold)
    p_sum = r_sum = 0.0
    for i in items:
        pc, gc = pg[pred_full[i]], gg[gold[i]]
        inter = len(pc & gc)
        p_sum += inter / len(pc)
        r_sum += inter / len(gc)
    return _prf(p_sum / len(items), r_sum / len(items))


def pairwise(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> dict[str, float]:
    """Pairwise precision/recall/F1 over unordered pairs of the items of ``gold``."""
    items = sorted(gold)
    pred_full = {i: pred.get(i, ("__singleton__", i)) for i in items}

    def pairs(labels: Mapping[str, Hashable]) -> int:
        return sum(len(g) * (len(g) - 1) // 2 for g in _groups(labels).values())

    both = {i: (pred_full[i], gold[i]) for i in items}
    n_pred, n_gold, n_both = pairs(pred_full), pairs(gold), pairs(both)
    p = n_both / n_pred if n_pred else 1.0
    r = n_both / n_gold if n_gold else 1.0
    return _prf(p, r)


# -- clustering ----------------------------------------------------------------------------------
def cluster_documents(
    docs: Sequence[EcbDoc],
    *,
    story_threshold: float = STORY_THRESHOLD,
    event_threshold: float = EVENT_THRESHOLD,
    embeddings: Mapping[str, Any] | None = None,
    **params: Any,
) -> tuple[dict[str, str], dict[str, str]]:
    """``(story of doc, event of doc)`` clustering ``docs`` in the given order; ``embeddings`` (doc name
    -> vector) feed the story level only. The event level runs inside each final story (after the
    merges), over its documents in the same order."""
    stories = StoryClusterer(threshold=story_threshold, **params)
    for doc in docs:
        emb = None if embeddings is None else embeddings.get(doc.name)
        stories.add(doc.name, text=doc.text, embedding=emb)
    story_of = {doc.name: stories.story_of(doc.name) or "" for doc in docs}
    events: dict[str, StoryClusterer] = {}
    event_of: dict[str, str] = {}
    for doc in docs:
        sid = story_of[doc.name]
        sub = events.setdefault(sid, StoryClusterer(threshold=event_threshold, merge_threshold=None))
        event_of[doc.name] = sid + "/" + sub.add(doc.name, text=doc.text)
    return story_of, event_of


def _scores(
    story_of: Mapping[str, str], event_of: Mapping[str, str], docs: Sequence[EcbDoc]
) -> dict[str, Any]:
    topic = {d.name: d.topic for d in docs}
    sub = {d.name: d.subtopic for d in docs}
    return {
        "topic": {"bcubed": bcubed(story_of, topic), "pairwise": pairwise(story_of, topic)},
        "subtopic": {"bcubed": bcubed(event_of, sub), "pairwise": pairwise(event_of, sub)},
        "n_stories": len(set(story_of.values())),
        "n_events": len(set(event_of.values())),
    }


def evaluate_ecbplus(
    path: Path,
    *,
    system_out: Path | None = None,
    topics: Iterable[int] | None = None,
    story_threshold: float | None = None,
    event_threshold: float = EVENT_THRESHOLD,
    shuffles: int = 3,
    seed: int = 0,
    embeddings: bool | str = False,
) -> dict[str, Any]:
    """Cluster the ECB+ documents and score stories against topics and events against sub-topics.

    Returns ``{"n_docs", "n_topics", "n_subtopics", "topic": {"bcubed", "pairwise"}, "subtopic": {…},
    "n_stories", "n_events", "encoder", "shuffled": {"topic_bcubed_f1": [...], …}}``.
    ``system_out`` gets ``doc<TAB>story_id<TAB>event_id`` lines in document order. ``embeddings``
    (``True`` for MiniLM, or an encoder name: "minilm", "mpnet") adds sentence embeddings of each
    document's lead (:func:`~storyline.link.stories.embedding_text`, cached in
    :func:`storyline.embed.default_cache`) to the story level, with that encoder's
    :func:`~storyline.link.stories_embedding.embedding_defaults`; ``story_threshold`` defaults to the
    threshold of the mode.
    """
    encoder = _encoder(embeddings)
    docs = load_ecbplus(path, topics=topics)
    params: dict[str, Any] = {}
    vectors: dict[str, Any] | None = None
    if encoder is not None and embeddings_wanted(True, encoder=encoder):
        from .. import embed

        params = embedding_defaults(encoder)
        leads = [embedding_text(d.text) for d in docs]
        encoded = embed.encode_cached(leads, cache=embed.default_cache(), model=encoder)
        vectors = {d.name: v for d, v in zip(docs, encoded, strict=True)}
    threshold = params.pop("threshold", STORY_THRESHOLD) if story_threshold is None else story_threshold
    params.pop("threshold", None)

    def run(order: Sequence[EcbDoc]) -> tuple[dict[str, str], dict[str, str]]:
        return cluster_documents(
            order,
            story_threshold=threshold,
            event_threshold=event_threshold,
            embeddings=vectors,
            **params,
        )

    story_of, event_of = run(docs)
    result: dict[str, Any] = {
        "n_docs": len(docs),
        "n_topics": len({d.topic for d in docs}),
        "n_subtopics": len({d.subtopic for d in docs}),
        "embeddings": vectors is not None,
        "encoder": encoder,
        "story_threshold": threshold,
        "event_threshold": event_threshold,
        "story_params": params,
        **_scores(story_of, event_of, docs),
    }
    rng = random.Random(seed)
    runs: dict[str, list[float]] = defaultdict(list)
    for _ in range(shuffles):
        order = list(docs)
        rng.shuffle(order)
        s_of, e_of = run(order)
        sc = _scores(s_of, e_of, docs)
        for level in ("topic", "subtopic"):
            for metric in ("bcubed", "pairwise"):
                runs[f"{level}_{metric}_f1"].append(round(sc[level][metric]["f1"], 4))
    if shuffles:
        result["shuffled"] = {
            **dict(runs),
            **{f"{k}_mean": round(statistics.fmean(v), 4) for k, v in runs.items()},
        }
    if system_out is not None:
        system_out.parent.mkdir(parents=True, exist_ok=True)
        with system_out.open("w", encoding="utf-8") as fh:
            for d in docs:
                fh.write(f"{d.name}\t{story_of[d.name]}\t{event_of[d.name]}\n")
    return result


def _encoder(embeddings: bool | str) -> str | None:
    """The encoder asked for: ``None`` without embeddings, "minilm" for ``True``, else the name given
    (checked: an unknown name is a :class:`~storyline.errors.UsageError`)."""
    if embeddings is False or embeddings == "":
        return None
    encoder = "minilm" if embeddings is True else str(embeddings)
    embedding_defaults(encoder)
    return encoder


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m storyline.eval.ecbplus PATH [--topics 1,3] [--out sys.tsv] [--shuffles N]``: JSON."""
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m storyline.eval.ecbplus")
    parser.add_argument("path", type=Path)
    parser.add_argument("--topics", default=None, help="comma-separated topic numbers (default: all)")
    parser.add_argument("--out", type=Path, default=None, help="write doc<TAB>story<TAB>event here")
    parser.add_argument("--shuffles", type=int, default=3)
    parser.add_argument("--story-threshold", type=float, default=None)
    parser.add_argument("--event-threshold", type=float, default=EVENT_THRESHOLD)
    parser.add_argument(
        "--embeddings",
        nargs="?",
        const="minilm",
        default=None,
        metavar="ENCODER",
        help="add sentence embeddings (the extra): minilm (default) or mpnet",
    )
    args = parser.parse_args(argv)
    topics = [int(t) for t in args.topics.split(",")] if args.topics else None
    result = evaluate_ecbplus(
        args.path,
        system_out=args.out,
        topics=topics,
        story_threshold=args.story_threshold,
        event_threshold=args.event_threshold,
        shuffles=args.shuffles,
        embeddings=args.embeddings or False,
    )
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
