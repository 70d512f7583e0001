"""Cost of linking at 10k and 100k articles: actor index, date inference, stories + dedup, timeline.

How the corpus is made (nothing generated is kept in the repository; ``bench/out/`` is gitignored):

1. **base**: ``--base`` real article texts from ``../shared/benchmarks`` (half PolNeAR article texts,
   half ECB+ documents rebuilt from their tokens) are ingested into a scratch SQLite store and analysed
   once with the real pipeline (``corpus.analyze``). The stored articles and analyses are cached in
   ``bench/out/link-base-<n>.pickle`` for later runs (delete it to re-analyse).
2. **copies**: each benchmark article is a varied copy of one base article and of its stored analysis,
   every change keeping the length of what it replaces so that every stored span stays valid:
   names (name mentions) are swapped for other names of the same length and label seen in the base
   (so the actors differ between copies; mention ``text``/``key``/``ref_key`` follow, the gazetteer
   hint is dropped), ~30 % of the other words of 4+ letters outside any annotated span are swapped
   for other base words of the same length (so MinHash dedup does not collapse the copies), digits
   outside annotated spans are redrawn, and the publication date (2024-01-01 + 0..729 days), outlet
   (16) and id are new. Time expressions keep their values.
3. **link**: in a fresh child process per size (so peak RSS is per size), a fresh ``storyline.open``
   and, each timed: ``linked`` (load articles and analyses, actor index, publication-date inference:
   what ``Corpus._linked`` runs), ``dedup`` (a :class:`SyndicationIndex` over the articles, alone),
   ``link_full`` (:func:`storyline.link.state.sync_links` with ``rebuild``: syndication + story
   clustering of every article, state and links written to the store — what the first ``analyze``
   or the first view of a store without links does), ``stories`` (``corpus.stories()``: the view,
   reading the stored links), ``timeline`` (``corpus.timeline()``). During ``link_full`` the child
   also records ``link_full_cpu_s_per_1000``: the CPU seconds of each successive 1,000 articles
   linked (syndication + clustering; printed as they complete), to see whether the cost per added
   article grows with the corpus.
4. **increment** (``--add``, default 1000): that many more copies (another seed) are stored with
   their analyses (not timed), then ``linked_again`` (``Corpus._linked`` over the larger store) and
   ``link_add`` (``sync_links``: load the stored state, add the new articles, write the state and the
   new links — what ``analyze`` does after analysing them); ``state_load`` / ``state_save`` time the
   state's read + decode and encode + write alone, ``state_mb`` is its size.

Peak memory is the child's ``ru_maxrss``. The child also reports ``total_cpu_s`` (the timed steps up
to the timeline), the candidates the syndication index and the story clusterer examined per article
(machine-independent measures of the blocking), and ``link_code``, a digest of
``src/storyline/link/*.py``: compare two sizes only when it is the same. The stores are written under
``bench/out/link-stores-*/`` (a 100k store takes about 3.3 GB) and deleted after each size; writing
the 100k store costs about 280 CPU-s (the analyses of a batch go in one transaction).

    python bench/link.py --sizes 1000,10000 --json bench/out/link.json
    OMP_NUM_THREADS=1 nice -n 10 python bench/link.py --sizes 100000 --skip dedup \\
        --json bench/out/link-100k.json
Without ../shared the benchmark says so and exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import json
import os
import pickle
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "benchmarks"
POLNEAR = [SHARED / "polnear/data/train/text", SHARED / "polnear/data/dev/text"]
ECBPLUS = SHARED / "ecbplus"
OUT = ROOT / "bench" / "out"
OUTLETS = [
    "Reuters", "AP", "BBC News", "The Guardian", "Al Jazeera", "Kyiv Independent", "DW", "France 24",
    "The Hindu", "NPR", "Euronews", "The Times", "Politico", "CNN", "Le Monde", "ABC News",
]  # fmt: skip
WORD_RE = re.compile(r"[a-z]{4,}")
DIGITS_RE = re.compile(r"\d+")


# -- base: real articles analysed once -------------------------------------------------------------
def build_base(n: int, work: Path) -> list[tuple[Any, dict[str, Any]]]:
    """``n`` real articles ingested and analysed; ``(Article, analysis JSON)`` pairs."""
    import storyline
    from storyline.eval.ecbplus import load_ecbplus

    texts = work / "base-texts"
    texts.mkdir(parents=True, exist_ok=True)
    paths = [p for d in POLNEAR if d.is_dir() for p in sorted(d.glob("*.txt"))][: n // 2]
    if ECBPLUS.is_dir():
        for doc in load_ecbplus(ECBPLUS)[::3][: n - len(paths)]:
            path = texts / (doc.name.replace(".xml", ".txt"))
            path.write_text(doc.text + "\n", encoding="utf-8")
            paths.append(path)
    db = work / "base.db"
    t0 = time.perf_counter()
    with storyline.open(db) as corpus:
        corpus.add([str(p) for p in paths])
        corpus.analyze(jobs=2)
        pairs = []
        for article in corpus.articles():
            rows = corpus.store.analyses(article.id)
            if rows:
                pairs.append((article, rows[-1]["data"]))
    print(f"base: {len(pairs)} articles analysed in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    return pairs


def load_base(n: int) -> list[tuple[Any, dict[str, Any]]]:
    cache = OUT / f"link-base-{n}.pickle"
    if cache.is_file():
        with cache.open("rb") as fh:
            data: list[tuple[Any, dict[str, Any]]] = pickle.load(fh)
        return data
    with tempfile.TemporaryDirectory(prefix="storyline-linkbase-") as tmp:
        pairs = build_base(n, Path(tmp))
    OUT.mkdir(parents=True, exist_ok=True)
    with cache.open("wb") as fh:
        pickle.dump(pairs, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return pairs


# -- varied copies -------------------------------------------------------------------------------
def _spans(node: Any, out: list[tuple[int, int]]) -> None:
    """Every ``start``/``end`` pair and every ``[int, int]`` pair in an analysis JSON."""
    if isinstance(node, dict):
        if isinstance(node.get("start"), int) and isinstance(node.get("end"), int):
            out.append((node["start"], node["end"]))
        for v in node.values():
            _spans(v, out)
    elif isinstance(node, list | tuple):
        if len(node) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in node):
            out.append((node[0], node[1]))
        else:
            for v in node:
                _spans(v, out)


class Varier:
    def __init__(self, base: list[tuple[Any, dict[str, Any]]], *, seed: int) -> None:
        self.base = base
        self.rng = random.Random(seed)
        self.words: dict[int, list[str]] = {}
        self.names: dict[tuple[str, int], list[str]] = {}
        for article, data in base:
            for w in sorted(set(WORD_RE.findall(article.text))):
                self.words.setdefault(len(w), []).append(w)
            for m in data.get("mentions", []):
                if m.get("kind") == "name":
                    self.names.setdefault((m["label"], len(m["text"])), []).append(m["text"])
        self.names = {k: sorted(set(v)) for k, v in self.names.items()}
        # per base article, computed once: its analysis as JSON text (each copy decodes it afresh:
        # cheaper than a deep copy) and the characters covered by an annotated span
        self.data_json = [json.dumps(data) for _, data in base]
        self.covered: list[bytes] = []
        for article, data in base:
            spans: list[tuple[int, int]] = []
            _spans(data, spans)
            covered = bytearray(len(article.text))
            for s, e in spans:
                s, e = max(0, s), max(0, min(e, len(covered)))
                if e > s:
                    covered[s:e] = b"\x01" * (e - s)
            self.covered.append(bytes(covered))

    def copy(self, i: int) -> tuple[Any, dict[str, Any]]:
        from storyline.model import Metadata, MetaValue, OffsetMap

        rng = self.rng
        b = rng.randrange(len(self.base))
        article, data = self.base[b]
        text = list(article.text)
        covered = self.covered[b]
        data = json.loads(self.data_json[b])
        swap: dict[str, str] = {}
        for m in data.get("mentions", []):
            if m.get("kind") != "name":
                continue
            old = m["text"]
            if old not in swap:
                pool = self.names.get((m["label"], len(old)), [old])
                swap[old] = rng.choice(pool)
            new = swap[old]
            text[m["start"] : m["end"]] = new
            old_key = m.get("key", "")
            m["text"], m["key"], m["entity_hint"] = new, new.casefold(), None
            if m.get("ref_key") == old_key:
                m["ref_key"] = m["key"]
        joined = "".join(text)
        out = list(joined)
        for match in WORD_RE.finditer(joined):
            if any(covered[match.start() : match.end()]) or rng.random() >= 0.3:
                continue
            out[match.start() : match.end()] = rng.choice(self.words[len(match.group())])
        for match in DIGITS_RE.finditer(joined):
            if not any(covered[match.start() : match.end()]):
                out[match.start() : match.end()] = "".join(rng.choice("0123456789") for _ in match.group())
        new_text = "".join(out)
        title = article.title or new_text.split("\n", 1)[0][:120]
        title = WORD_RE.sub(
            lambda mt: rng.choice(self.words[len(mt.group())]) if rng.random() < 0.3 else mt.group(), title
        )
        published = (date(2024, 1, 1) + timedelta(days=rng.randrange(730))).isoformat()
        aid = hashlib.sha256(f"link-bench-{i}".encode()).hexdigest()[:16]
        meta = Metadata(
            title=MetaValue(value=title, provenance="given"),
            outlet=MetaValue(value=OUTLETS[rng.randrange(len(OUTLETS))], provenance="given"),
            published=MetaValue(value=published, provenance="given"),
            url=MetaValue(value=f"https://bench.invalid/{aid}", provenance="given"),
        )
        copy = dataclasses.replace(
            article,
            id=aid,
            source_key=f"bench:{aid}",
            content_hash=hashlib.sha256(new_text.encode()).hexdigest(),
            raw=new_text,
            text=new_text,
            offsets=OffsetMap.identity(len(new_text)),
            removed=(),
            meta=meta,
            origin=f"https://bench.invalid/{aid}",
            html=None,
        )
        data["article_id"] = aid
        return copy, data


def generate(n: int, db: Path, base: list[tuple[Any, dict[str, Any]]]) -> None:
    import storyline

    varier = Varier(base, seed=n)
    with storyline.open(db) as corpus:
        store = corpus.store
        batch: list[tuple[Any, dict[str, Any]]] = []
        for i in range(n):
            batch.append(varier.copy(i))
            if len(batch) == 1000 or i == n - 1:
                results = store.add_batch([a for a, _ in batch])
                add_analyses(store, [(res.id, data) for res, (_, data) in zip(results, batch, strict=True)])
                batch = []


def add_analyses(store: Any, rows: list[tuple[str, dict[str, Any]]]) -> None:
    """What ``store.add_analysis`` does for each row, in one transaction for the whole batch (one
    commit per article made generating 100k articles take most of an hour). The rows are the same:
    the linking reads them back through the store as usual."""
    from sqlalchemy import insert, update

    from storyline.store import schema
    from storyline.store.base import now_utc

    a, t = schema.analyses, schema.articles
    with store._write() as conn:
        stamp = now_utc()
        conn.execute(
            insert(a),
            [
                {
                    "article_id": aid,
                    "pipeline_version": data["pipeline_version"],
                    "data_json": json.dumps(data, ensure_ascii=False, sort_keys=True),
                    "created_at": stamp,
                }
                for aid, data in rows
            ],
        )
        for version in sorted({data["pipeline_version"] for _, data in rows}):
            ids = [aid for aid, data in rows if data["pipeline_version"] == version]
            for k in range(0, len(ids), 500):
                conn.execute(
                    update(t)
                    .where(t.c.id.in_(ids[k : k + 500]))
                    .values(pipeline_version=version, analyzed_at=stamp)
                )


# -- linking, in a child process per size --------------------------------------------------------
def write_dump(path: Path, corpus: Any, *, stories: list[Any], timeline: list[Any]) -> None:
    """The stories, timeline entries, actors and stored links (story, origin, order) as JSON."""
    rows = corpus.store.story_links()
    dump = {
        "stories": stories,
        "timeline": timeline,
        "actors": corpus.actors(),
        "links": {a: [r.story_id, r.origin_id, r.seq] for a, r in sorted(rows.items())},
    }
    path.write_text(json.dumps(dump, sort_keys=True, default=repr))


def compare_dumps(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
    """What differs between two :func:`write_dump` results, part by part (empty: identical)."""
    out: list[str] = []
    for part in ("links", "stories", "timeline", "actors"):
        a, b = first.get(part), second.get(part)
        if a == b:
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            out.append(f"{part}: {len(keys)} of {len(set(a) | set(b))} differ, e.g. {keys[:3]}")
        elif isinstance(a, list) and isinstance(b, list):
            at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
            out.append(f"{part}: {len(a)} vs {len(b)} rows, the first difference at row {at}")
        else:
            out.append(f"{part}: {type(a).__name__} vs {type(b).__name__}")
    return out


@contextlib.contextmanager
def per_thousand() -> Iterator[list[float]]:
    """The marginal cost of linking: the process CPU seconds between the story clusterer's add of
    article 1000 k and that of article 1000 (k + 1), i.e. clustering and syndication of those 1,000
    articles (the last partial thousand is left out). ``StoryClusterer.add`` is wrapped while the
    block runs; each thousand is also printed as it completes, for long runs."""
    from storyline.link.stories import StoryClusterer

    original = StoryClusterer.add
    marks: list[float] = []
    last: list[float] = []
    count = [0]

    def add(self: Any, *args: Any, **kwargs: Any) -> str:
        if count[0] % 1000 == 0:
            now = time.process_time()
            if last:
                marks.append(round(now - last[0], 2))
                print(
                    f"    {count[0]} linked: {marks[-1]} CPU-s for the last 1,000",
                    file=sys.stderr,
                    flush=True,
                )
            last[:] = [now]
        count[0] += 1
        return original(self, *args, **kwargs)

    StoryClusterer.add = add  # type: ignore[method-assign]
    try:
        yield marks
    finally:
        StoryClusterer.add = original  # type: ignore[method-assign]


def link_child(
    db: Path, *, add: int, skip: set[str], base_n: int, dump: Path | None = None
) -> dict[str, Any]:
    import storyline
    from storyline.link.dedup import SyndicationIndex
    from storyline.link.state import Linker, sync_links

    # which linking code ran (other work may change it between runs): a digest of its sources
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src/storyline/link").glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    out: dict[str, Any] = {"link_code": digest.hexdigest()[:12]}
    print(f"  link code {out['link_code']}, pid {os.getpid()}", file=sys.stderr, flush=True)

    def timed(name: str, fn: Any) -> Any:
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        out[name] = {"s": round(time.perf_counter() - t0, 1), "cpu_s": round(time.process_time() - c0, 1)}
        print(f"  {name}: {out[name]}", file=sys.stderr, flush=True)
        return result

    with storyline.open(db) as corpus:
        t0 = time.perf_counter()
        index, _analyses, articles = timed("linked", corpus._linked)

        def dedup() -> int:
            syn = SyndicationIndex()
            for a in sorted(articles.values(), key=lambda a: (a.published or "9999", a.id)):
                syn.add(a.id, a.text, published=a.published, outlet=a.outlet)
            return sum(1 for a in articles if syn.origin_of(a) is not None)

        copies = timed("dedup", dedup) if "dedup" not in skip else None

        def link(rebuild: bool) -> Any:
            index, analyses, articles = corpus._linked()
            return sync_links(
                corpus.store, articles=articles, analyses=analyses, actor_of=index.actor_of, rebuild=rebuild
            )

        with per_thousand() as marginal:
            full = timed("link_full", lambda: link(True))
        out["link_full_cpu_s_per_1000"] = marginal
        # work per article that the blocking allows, independent of the machine's load
        out["syndication_candidates_per_article"] = round(
            full.syndication.candidates_examined / len(articles), 1
        )
        out["story_candidates_per_article"] = round(full.clusterer.candidates_examined / len(articles), 1)
        full = None
        stories = timed("stories", corpus.stories)
        timeline = timed("timeline", corpus.timeline) if "timeline" not in skip else []
        if dump is not None:  # not timed: what linking decided, to compare two versions of the code
            write_dump(dump, corpus, stories=stories, timeline=timeline)
        out["total_s"] = round(time.perf_counter() - t0, 1)
        out["total_cpu_s"] = round(sum(v["cpu_s"] for v in out.values() if isinstance(v, dict)), 1)
        out["rss_after_full_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        n, n_actors = len(articles), len(index.actors)
        index = _analyses = articles = None  # the linked corpus is built again below: hold one at a time
        if add:
            varier = Varier(load_base(base_n), seed=n + 7919)
            extra = [varier.copy(n + i) for i in range(add)]
            results = corpus.store.add_batch([a for a, _ in extra])
            for res, (_, data) in zip(results, extra, strict=True):
                corpus.store.add_analysis(res.id, pipeline_version=data["pipeline_version"], data=data)
            corpus.refresh()
            timed("linked_again", corpus._linked)
            linker = timed("link_add", lambda: link(False))
            settings = Linker.settings_for(embeddings=False)

            def load() -> Any:
                state = corpus.store.link_state()
                assert state is not None
                return Linker.from_bytes(state.data, settings=settings)

            timed("state_load", load)

            def save() -> int:
                state = corpus.store.link_state(data=False)
                assert state is not None
                data = linker.to_bytes()
                corpus.store.put_link_state(
                    version=state.version,
                    settings=state.settings,
                    data=data,
                    expected_generation=state.generation,
                    links=[],
                )
                return len(data)

            out["state_mb"] = round(timed("state_save", save) / 2**20, 1)
            out["linked_after_add"] = len(linker.order)
    out.update(
        articles=n,
        actors=n_actors,
        syndicated_copies=copies,
        stories_found=len(stories),
        timeline_entries=len(timeline),
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        load_avg=round(os.getloadavg()[0], 1),
    )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--base", type=int, default=240, help="real articles analysed to make the copies from")
    ap.add_argument("--json", type=Path, default=OUT / "link.json")
    ap.add_argument("--add", type=int, default=1000, help="articles added to each linked store (0: none)")
    ap.add_argument("--skip", default="", help="steps left out: dedup, timeline (comma-separated)")
    ap.add_argument(
        "--dump",
        type=Path,
        help="write what the first link of each size decided (stories, timeline, actors, links) to "
        "DUMP-<size>.json, to compare two versions of the linking code on the same corpus",
    )
    ap.add_argument(
        "--compare",
        nargs=2,
        type=Path,
        metavar=("A", "B"),
        help="compare two --dump files: exit 0 when they are identical, else 1 with what differs",
    )
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    skip = {s for s in args.skip.split(",") if s}
    if args.compare:
        first, second = (json.loads(p.read_text(encoding="utf-8")) for p in args.compare)
        differences = compare_dumps(first, second)
        for line in differences:
            print(line)
        counts = ", ".join(
            f"{len(first.get(k) or ())} {k}" for k in ("links", "stories", "timeline", "actors")
        )
        print("identical" if not differences else "DIFFERENT", f"({counts})")
        return 1 if differences else 0
    if args.child:
        print(json.dumps(link_child(args.child, add=args.add, skip=skip, base_n=args.base, dump=args.dump)))
        return 0
    if not POLNEAR[0].is_dir() and not ECBPLUS.is_dir():
        print(f"bench/link.py: skipped, no texts under {SHARED}", file=sys.stderr)
        return 0
    base = load_base(args.base)
    results = []
    OUT.mkdir(parents=True, exist_ok=True)  # the stores go there, not to /tmp: 100k articles take GBs
    with tempfile.TemporaryDirectory(prefix="link-stores-", dir=OUT) as tmp:
        for n in [int(s.replace("k", "000")) for s in args.sizes.split(",") if s]:
            db = Path(tmp) / f"link-{n}.db"
            t0, c0 = time.perf_counter(), time.process_time()
            generate(n, db, base)
            gen_s, gen_cpu = round(time.perf_counter() - t0, 1), round(time.process_time() - c0, 1)
            print(f"[{n}] generated in {gen_s}s ({gen_cpu} CPU-s); linking", file=sys.stderr, flush=True)
            proc = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    str(db),
                    "--add",
                    str(args.add),
                    "--skip",
                    args.skip,
                    "--base",
                    str(args.base),
                    *(["--dump", f"{args.dump}-{n}.json"] if args.dump else []),
                ],
                stdout=subprocess.PIPE,  # the child's stage timings go to stderr as they come
                text=True,
                check=False,
            )
            if proc.returncode != 0:
                raise SystemExit(f"linking {n} articles failed (exit {proc.returncode})")
            row = {
                "size": n,
                "base_articles": len(base),
                "generate_s": gen_s,
                "generate_cpu_s": gen_cpu,
                **json.loads(proc.stdout),
            }
            results.append(row)
            print(json.dumps(row), flush=True)
            for p in Path(tmp).glob(f"link-{n}.db*"):
                p.unlink()
            write(args.json, results)  # after each size: a long run leaves what it measured
    if len(results) >= 2:
        small, large = results[0], results[-1]
        ratio = large["total_cpu_s"] / max(small["total_cpu_s"], 1e-9)
        print(
            f"{large['size']} vs {small['size']}: linking CPU {ratio:.1f}x "
            f"(aim <= 12x for 10x the articles; wall {large['total_s'] / max(small['total_s'], 1e-9):.1f}x)"
        )
    write(args.json, results)
    return 0


def write(path: Path, results: list[dict[str, Any]]) -> None:
    summary = {
        "corpus": "varied copies of real analysed articles (PolNeAR + ECB+ texts), see bench/link.py",
        "runs": results,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    raise SystemExit(main())
