"""Ingest benchmark: articles/s and peak memory of ingest + clean + store.

The corpus is generated from real article texts in ../shared/benchmarks (PolNeAR
train/dev texts), varied so that no two generated articles share content: each
gets its paragraphs in a different order, a different headline, date and figures,
and typical page furniture (a subscription block, share prompts, a photo caption).
HTML articles wrap the same into a page with navigation, header and footer.

Each (kind, size) runs in a fresh subprocess so that peak memory (ru_maxrss) is measured per
run; speed is given per wall-clock second and per CPU second of the one process (the latter is
what one core delivers, whatever else the machine is doing); "memory flat in corpus size" means
peak RSS at 10,000 articles stays close to peak RSS at 1,000.

    python bench/ingest.py                     # txt and html, 1,000 and 10,000 articles
    python bench/ingest.py --kinds txt --sizes 2000
Without ../shared the benchmark says so and exits 0.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SOURCE_DIRS = [SHARED / "benchmarks/polnear/data/train/text", SHARED / "benchmarks/polnear/data/dev/text"]

FURNITURE_TOP = ["Photo: {agency} / Source: Wikimedia Commons.", "World News", "By {author}", "3 min read"]
FURNITURE_BOTTOM = [
    "Share this article",
    "Sign up for our newsletter",
    "*Subscribe to {outlet} digital",
    "₹{price}",
    "1 Year",
    "SAVE {save}%",
    "Subscribe",
    "SCROLL FOR NEXT",
]
OUTLETS = ["Daily Ledger", "Northern Courier", "Evening Wire", "Harbour Times", "Capital Post"]
AUTHORS = ["Ana Ruiz", "Tom Becker", "Li Wei", "Sara Novak", "Omar Haddad"]
AGENCIES = ["Reuters", "AFP", "AP", "EPA", "Getty Images"]


def load_sources() -> list[tuple[str, list[str]]]:
    docs = []
    for d in SOURCE_DIRS:
        for path in sorted(d.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            paras = [p.strip() for p in text.split("\n") if len(p.split()) >= 8]
            if len(paras) >= 3:
                title = text.strip().split("\n", 1)[0].strip()
                docs.append((title, paras))
    return docs


def vary(
    rng: random.Random, i: int, title: str, paras: list[str]
) -> tuple[str, str, list[str], dict[str, str]]:
    paras = paras[:]
    head, rest = paras[0], paras[1:]
    rng.shuffle(rest)
    n = rng.randint(2, min(12, len(rest))) if len(rest) >= 2 else len(rest)
    body = [head, *rest[:n]]
    # a unique figure and date per article so dedup cannot collapse the corpus
    body.append(
        f"Officials counted {rng.randint(10, 99999):,} cases in the region on {rng.randint(1, 28)} May."
    )
    fill = {
        "agency": rng.choice(AGENCIES),
        "author": rng.choice(AUTHORS),
        "outlet": rng.choice(OUTLETS),
        "price": f"{rng.randint(1, 9)},{rng.randint(100, 999)}",
        "save": str(rng.randint(10, 60)),
    }
    headline = f"{title} ({i})"
    date = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return headline, date, body, fill


def make_txt(headline: str, body: list[str], fill: dict[str, str]) -> str:
    top = [line.format(**fill) for line in FURNITURE_TOP]
    bottom = [line.format(**fill) for line in FURNITURE_BOTTOM]
    return "\n".join([top[0], top[1], "", headline, "", top[2], top[3], "", *body, "", *bottom]) + "\n"


def make_html(headline: str, date: str, body: list[str], fill: dict[str, str]) -> str:
    e = html.escape
    paras = "\n".join(f"<p>{e(p)}</p>" for p in body)
    nav = "".join(f'<li><a href="/s{k}">Section {k}</a></li>' for k in range(12))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(headline)} | {e(fill["outlet"])}</title>
<meta property="og:title" content="{e(headline)}"><meta name="author" content="{e(fill["author"])}">
<meta property="article:published_time" content="{date}T08:00:00Z">
<meta property="og:site_name" content="{e(fill["outlet"])}"></head>
<body><header><nav><ul>{nav}</ul></nav>
<div class="promo">Subscribe now: ₹{fill["price"]} a year</div></header>
<main><article><h1>{e(headline)}</h1><p class="byline">By {e(fill["author"])}</p>
<figure><img src="/a.jpg" alt=""><figcaption>Photo: {e(fill["agency"])}</figcaption></figure>
{paras}
<div class="share">Share on Facebook · Share on X · Sign up to our newsletter</div></article></main>
<footer><p>© 2025 {e(fill["outlet"])}. All rights reserved.</p><ul>{nav}</ul></footer></body></html>
"""


def generate(kind: str, n: int, out: Path, seed: int = 7) -> int:
    sources = load_sources()
    rng = random.Random(seed)
    total_bytes = 0
    out.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        title, paras = sources[i % len(sources)]
        headline, date, body, fill = vary(rng, i, title, paras)
        sub = out / f"{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        if kind == "txt":
            text = make_txt(headline, body, fill)
            (sub / f"a{i:06d}.txt").write_text(text, encoding="utf-8")
        else:
            text = make_html(headline, date, body, fill)
            (sub / f"a{i:06d}.html").write_text(text, encoding="utf-8")
        total_bytes += len(text.encode("utf-8"))
    return total_bytes


def run_one(kind: str, n: int, keep: bool) -> dict[str, object]:
    """Generate, then ingest in this process; print one JSON line."""
    sys.path.insert(0, str(ROOT / "src"))
    import storyline.corpus as corpus_mod

    work = Path(tempfile.mkdtemp(prefix=f"storyline-bench-{kind}-"))
    try:
        nbytes = generate(kind, n, work / "corpus")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0, c0 = time.perf_counter(), time.process_time()
        with corpus_mod.open(work / "bench.db") as corpus:
            report = corpus.add([str(work / "corpus")])
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return {
            "kind": kind,
            "articles": n,
            "stored": report.added,
            "failed": len(report.failed),
            "megabytes": round(nbytes / 1e6, 1),
            "seconds": round(elapsed, 2),
            "articles_per_s": round(report.added / elapsed, 1),
            "cpu_seconds": round(cpu, 2),
            "articles_per_cpu_s": round(report.added / cpu, 1),
            "peak_rss_mb": round(rss_peak / 1024, 1),
            "rss_before_mb": round(rss_before / 1024, 1),
        }
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kinds", default="txt,html")
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--one", nargs=2, metavar=("KIND", "N"), help=argparse.SUPPRESS)
    ap.add_argument("--keep", action="store_true", help="keep the generated corpus and store")
    ap.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = ap.parse_args()
    if not all(d.is_dir() for d in SOURCE_DIRS):
        print(f"bench/ingest.py: skipped, no source texts at {SOURCE_DIRS[0]}", file=sys.stderr)
        return 0
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]), args.keep)))
        return 0
    results = []
    for kind in args.kinds.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            proc = subprocess.run(
                [sys.executable, __file__, "--one", kind, str(size)] + (["--keep"] if args.keep else []),
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                return proc.returncode
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            results.append(row)
            print(
                f"{row['kind']:5} {row['articles']:>7,} articles  "
                f"{row['articles_per_s']:>8} articles/s wall  "
                f"{row['articles_per_cpu_s']:>8} articles/CPU-s  {row['seconds']:>8} s  "
                f"peak RSS {row['peak_rss_mb']} MB  failed {row['failed']}",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
