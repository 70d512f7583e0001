"""REST API latency: p50/p95 of the article list, timeline and search endpoints on a generated store.

The store is made from the real paragraphs of ``examples/``: each paragraph is varied (numbers
changed, actors swapped among the names the samples use, dates moved) into a pool of variants
that are analysed once with the real pipeline; an article is several variants recombined under
an outlet, a title and a publication date of its own, so deduplication and story clustering see
distinct articles. Its analysis is the variants' analyses with their spans shifted to where each
variant sits in the article's clean text (a variant cleaning changed is left unannotated).
Building the store therefore costs ingest (clean, metadata, identity, store) plus the variants'
analysis, not the analysis of every article.

Then, through the app (FastAPI's TestClient, in process; no network), it measures:

* ``cold``: the first call of each endpoint (the article list builds its catalog; linking the
  corpus, which the timeline needs, is timed on its own as ``link_s``, so the timeline's cold
  time is building the timeline alone);
* ``warm``: ``--requests`` calls per endpoint with varied pages (and, for search, varied words).

    python bench/api.py --n 10000            # store in bench/out/api-10000.db (reused if present)
    python bench/api.py --n 1000 --rebuild

Results go to ``bench/out/api-N.json`` and a table on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"

OUTLETS = [f"{a} {b}" for a in ("Daily", "Morning", "Evening", "Global", "City", "National", "Free", "Weekly")
           for b in ("Herald", "Post", "Courier", "Wire", "Ledger")]  # fmt: skip
SWAPS = [
    ("Putin", "Zelensky"), ("Zelensky", "Putin"), ("Trump", "Macron"), ("Witkoff", "Kellogg"),
    ("Kushner", "Rubio"), ("Peskov", "Lavrov"), ("Kyiv", "Odesa"), ("Moscow", "St Petersburg"),
    ("Ukraine", "Moldova"), ("Kremlin", "White House"),
]  # fmt: skip
SPAN_KEYS = frozenset(
    "place sentence timex number_span content cue speaker speaker_antecedent clause holder target".split()
)
INT_KEYS = frozenset({"start", "end", "role_start", "role_end"})
WORDS = ["Putin", "ceasefire", "drones", "Kremlin", "talks", "sanctions", "territory", "envoy", "Kyiv",
         "negotiations", "peace plan", "Trump", "missile", "regions", "security guarantees"]  # fmt: skip


def paragraphs() -> list[str]:
    out: list[str] = []
    for path in sorted((ROOT / "examples").glob("*.txt")):
        for block in re.split(r"\n\s*\n|\n", path.read_text(encoding="utf-8")):
            block = block.strip()
            if len(block.split()) >= 12:
                out.append(block)
    return out


def vary(text: str, rng: random.Random) -> str:
    def number(m: re.Match[str]) -> str:
        n = int(m.group())
        return m.group() if 1900 <= n <= 2100 else str(max(1, int(n * rng.uniform(0.5, 1.8))))

    text = re.sub(r"\b\d{1,6}\b", number, text)
    for a, b in rng.sample(SWAPS, 3):
        text = text.replace(a, b)
    return text


def shift(value: Any, by: int) -> Any:
    """An analysis JSON value with every character offset moved by ``by``."""
    if isinstance(value, list):
        return [shift(v, by) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for k, v in value.items():
        if k in INT_KEYS and isinstance(v, int):
            out[k] = v + by
        elif k in SPAN_KEYS and isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) for x in v):
            out[k] = [v[0] + by, v[1] + by]
        elif k == "participants" and isinstance(v, list):
            out[k] = [[s + by, e + by, *rest] for s, e, *rest in v]
        else:
            out[k] = shift(v, by)
    return out


def merge(article_id: str, parts: list[tuple[int, dict[str, Any]]], version: str) -> dict[str, Any]:
    """One article's analysis from its variants' analyses, each at its offset in the clean text."""
    data: dict[str, Any] = {
        "article_id": article_id,
        "pipeline_version": version,
        "language": "en",
        "skipped": None,
        "framing": None,
    }
    for key in ("mentions", "timexes", "statements", "positions", "events", "figures"):
        data[key] = []
    for offset, analysis in parts:
        statements_before = len(data["statements"])
        for key in ("mentions", "timexes", "statements", "events", "figures"):
            data[key].extend(shift(analysis[key], offset))
        for p in shift(analysis["positions"], offset):
            if p.get("statement") is not None:
                p["statement"] += statements_before
            data["positions"].append(p)
        if data["framing"] is None and analysis.get("framing"):
            data["framing"] = shift(analysis["framing"], offset)
    return data


def build_store(db: Path, n: int, *, variants: int, seed: int, analyses: bool = True) -> dict[str, float]:
    import storyline
    from storyline.analyze.pipeline import analyze_article, pipeline_version
    from storyline.build import build_article
    from storyline.config import IngestConfig
    from storyline.errors import InputError
    from storyline.gazetteer import load_gazetteer
    from storyline.ingest.text import metadata_from_mapping
    from storyline.model import RawDocument

    rng = random.Random(seed)
    timings: dict[str, float] = {}
    config = IngestConfig()
    version = pipeline_version()
    gazetteer = load_gazetteer()

    t0 = time.perf_counter()
    paras = paragraphs()
    pool: list[tuple[str, dict[str, Any]]] = []
    for i in range(variants):
        if not analyses:
            pool.append((vary(paras[i % len(paras)], rng), {}))
            continue
        text = vary(paras[i % len(paras)], rng)
        meta = metadata_from_mapping({"published": "2025-06-01"}, evidence="bench")
        doc = RawDocument(
            origin=f"variant {i}", source_key=f"bench:variant:{i}", kind="text", text=text, meta=meta
        )
        try:
            article = build_article(doc, config=config)
        except InputError:  # a paragraph that is all page furniture
            continue
        analysis = analyze_article(article, gazetteer=gazetteer, version=version).to_json()
        pool.append((article.text, analysis))
    timings["analyse_variants_s"] = time.perf_counter() - t0

    def documents() -> Any:
        for i in range(n):
            chosen = rng.sample(range(len(pool)), rng.randint(4, 8))
            text = "\n\n".join(pool[c][0] for c in chosen)
            day = f"2025-{rng.randint(5, 12):02d}-{rng.randint(1, 28):02d}"
            record = {
                "outlet": rng.choice(OUTLETS),
                "title": f"{pool[chosen[0]][0][:60].rstrip()} ({i})",
                "url": f"https://bench.example/{i}",
            }
            if rng.random() > 0.05:
                record["published"] = day
            meta = metadata_from_mapping(record, evidence="bench")
            yield RawDocument(
                origin=f"bench {i}", source_key=record["url"], kind="text", text=text, meta=meta
            )
            plan.append(chosen)

    plan: list[list[int]] = []
    t0 = time.perf_counter()
    with storyline.open(db) as corpus:
        report = corpus.add(documents=documents())
        timings["ingest_s"] = time.perf_counter() - t0
        timings["articles"] = corpus.count()
        if not analyses:
            return timings
        t0 = time.perf_counter()
        store = corpus.store
        unannotated = 0
        for result, chosen in zip(report.results, plan, strict=True):
            article = store.get(result.id)
            parts: list[tuple[int, dict[str, Any]]] = []
            pos = 0
            for c in chosen:
                text, analysis = pool[c]
                at = article.text.find(text, pos)
                if at < 0:
                    unannotated += 1
                    continue
                parts.append((at, analysis))
                pos = at + len(text)
            store.add_analysis(result.id, pipeline_version=version, data=merge(result.id, parts, version))
        timings["store_analyses_s"] = time.perf_counter() - t0
        timings["unannotated_paragraphs"] = unannotated
    return timings


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Clock:
    """Wall and CPU time (all threads of this process) of a stretch of work."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def measure(db: Path, *, requests: int, seed: int, timeline: bool) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    import storyline
    from storyline.web.app import create_app

    rng = random.Random(seed)
    results: dict[str, Any] = {}
    with storyline.open(db) as corpus:
        client = TestClient(create_app(corpus))
        total = corpus.count()

        def timed(url: str) -> tuple[float, float]:
            with Clock() as clock:
                response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url}: {response.status_code} {response.text[:300]}")
            return clock.wall * 1000, clock.cpu * 1000

        cold = {"articles": timed("/api/articles?limit=50")}  # builds the article catalog
        pages: dict[str, Any] = {
            "articles": lambda: f"/api/articles?limit=50&offset={rng.randrange(0, max(1, total - 50))}",
            "search": lambda: (
                f"/api/search?q={rng.choice(WORDS)}&limit=20&offset={rng.choice((0, 0, 20, 40))}"
            ),
        }
        cold["search"] = timed("/api/search?q=ceasefire&limit=20")
        if timeline:
            with Clock() as clock:
                corpus.actor_index()  # link the corpus: load every article and analysis, index actors
            results["link_s"] = round(clock.wall, 1)
            results["link_cpu_s"] = round(clock.cpu, 1)
            cold["timeline"] = timed("/api/timeline?limit=50")  # the timeline over the linked corpus
            events = client.get("/api/timeline?limit=1").json()["total"]
            results["timeline_entries"] = events
            pages["timeline"] = lambda: (
                f"/api/timeline?limit=50&offset={rng.randrange(0, max(1, events - 50))}"
            )
        for name, url in pages.items():
            warm = [timed(url()) for _ in range(requests)]
            walls = [w for w, _ in warm]
            results[name] = {
                "cold_ms": round(cold[name][0], 1),
                "cold_cpu_ms": round(cold[name][1], 1),
                "p50_ms": round(percentile(walls, 0.50), 2),
                "p95_ms": round(percentile(walls, 0.95), 2),
                "max_ms": round(max(walls), 2),
                "p50_cpu_ms": round(percentile([c for _, c in warm], 0.50), 2),
                "p95_cpu_ms": round(percentile([c for _, c in warm], 0.95), 2),
                "requests": requests,
            }
        # a filter seen for the first time computes its view; later pages reuse it
        results["articles_filtered_first_ms"] = round(
            timed("/api/articles?outlet=Daily%20Herald&since=2025-07-01&limit=50")[0], 1
        )
        if timeline:
            results["timeline_filtered_first_ms"] = round(
                timed("/api/timeline?since=2025-08-01&until=2025-08-31&limit=50")[0], 1
            )
        results["store_articles"] = total
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000, help="Articles in the generated store.")
    ap.add_argument("--variants", type=int, default=300, help="Analysed paragraph variants to recombine.")
    ap.add_argument("--requests", type=int, default=200, help="Warm requests per endpoint.")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rebuild", action="store_true", help="Build the store again even if it exists.")
    ap.add_argument(
        "--no-analyses",
        action="store_true",
        help="Store articles only (no analyses) and measure the list and search endpoints, not the timeline.",
    )
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import logging

    logging.getLogger("storyline").setLevel(logging.ERROR)
    OUT.mkdir(parents=True, exist_ok=True)
    name = f"api-{args.n}" + ("-articles" if args.no_analyses else "")
    db = OUT / f"{name}.db"
    build: dict[str, float] = {}
    if args.rebuild or not db.exists():
        for stale in OUT.glob(f"{name}.db*"):
            stale.unlink()
        with Clock() as clock:
            build = build_store(
                db, args.n, variants=args.variants, seed=args.seed, analyses=not args.no_analyses
            )
        build["total_s"], build["total_cpu_s"] = clock.wall, clock.cpu
        build = {k: round(v, 1) for k, v in build.items()}
    with Clock() as clock:
        results = measure(db, requests=args.requests, seed=args.seed, timeline=not args.no_analyses)
    results["measure_s"], results["measure_cpu_s"] = round(clock.wall, 1), round(clock.cpu, 1)
    load = os.getloadavg()[0]
    record = {
        "n": args.n,
        "build": build,
        "latency": results,
        "store_bytes": db.stat().st_size,
        "load1": load,
    }
    (OUT / f"{name}.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    if build:
        print("build: " + ", ".join(f"{k} {v}" for k, v in build.items()))
    print(
        f"{'endpoint':10} {'cold ms':>10} {'(cpu)':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
        f"{'p50 cpu':>8}"
    )
    for endpoint in ("articles", "timeline", "search"):
        if endpoint in results:
            r = results[endpoint]
            print(
                f"{endpoint:10} {r['cold_ms']:>10} {r['cold_cpu_ms']:>9} {r['p50_ms']:>8} {r['p95_ms']:>8} "
                f"{r['max_ms']:>8} {r['p50_cpu_ms']:>8}"
            )
    if "link_s" in results:
        print(
            f"linking the corpus (first view that needs it): {results['link_s']} s "
            f"({results['link_cpu_s']} s CPU)"
        )
        print(
            f"first call with a new filter: timeline {results['timeline_filtered_first_ms']} ms; "
            f"{results['timeline_entries']} timeline entries"
        )
    print(
        f"first call with a new filter: articles {results['articles_filtered_first_ms']} ms; "
        f"{results['store_articles']} articles; load average {load:.1f} on {os.cpu_count()} CPUs"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
