"""Scale curve: ingest + analyze + link at 1k / 10k / … articles — wall time, peak memory, store size.

The corpus is generated at bench time from real paragraphs — the bundled samples (examples/) and,
when present, the PolNeAR article texts in ../shared/benchmarks — recombined so that no two
articles are copies: each article takes 4–7 paragraphs from different sources in a new order,
its people swapped for others from the gazetteer, its numbers, years and months changed, and
its own outlet, date and URL (a .json sidecar). The texts are written to a temporary directory
and deleted afterwards; nothing generated is kept in the repository.

Stages, each timed on its own:
  ingest   ``corpus.add([dir])``: read, clean, metadata, store (SQLite, WAL)
  analyze  ``corpus.analyze(engine=…, jobs=…)``: per-article analysis, results written by the parent
  link     a fresh ``storyline.open``: actors linked over every analysis, stories and syndication
           clustered, the timeline merged (``corpus.stories()``, ``corpus.timeline()``)
Peak memory is the highest sum of RSS over this process and all its children (the workers),
sampled every 0.2 s. ``--analyze-sample K`` analyses only K articles of a large corpus (the
others stay pending) and says so in the output.

    python bench/scale.py --sizes 1000,10000 --jobs 2 --json bench/out/scale.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED_TEXTS = [
    ROOT.parent / "shared/benchmarks/polnear/data/train/text",
    ROOT.parent / "shared/benchmarks/polnear/data/dev/text",
]
OUTLETS = [
    "Reuters", "AP", "BBC News", "The Guardian", "Al Jazeera", "Kyiv Independent", "DW", "France 24",
    "The Hindu", "NPR", "Euronews", "The Times", "Politico", "CNN", "Le Monde", "ABC News",
]  # fmt: skip
MONTHS = "January February March April May June July August September October November December".split()
MONTH_RE = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")
NUMBER_RE = re.compile(r"\b\d+(?:[.,]\d+)?\b")


def paragraphs() -> list[str]:
    """Real paragraphs of 25–160 words from the samples and, if present, ../shared's PolNeAR texts."""
    files = sorted(EXAMPLES.glob("*.txt"))
    for d in SHARED_TEXTS:
        if d.is_dir():
            files += sorted(d.glob("*.txt"))
    out = []
    for path in files:
        for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8", errors="replace")):
            block = " ".join(block.split())
            if 25 <= len(block.split()) <= 160:
                out.append(block)
    return out


def people() -> list[str]:
    """Canonical names of the gazetteer's people (the actors swapped in and out)."""
    import yaml

    data = yaml.safe_load((ROOT / "src/storyline/data/gazetteer.yaml").read_text(encoding="utf-8"))
    return sorted({e["name"] for e in data.get("people", []) if len(e["name"].split()) >= 2})


class Generator:
    """Articles recombined from real paragraphs with varied actors, numbers and dates."""

    def __init__(self, *, seed: int = 7) -> None:
        self.paras = paragraphs()
        self.people = people()
        # full names and surnames, longest first, in one pattern
        names = sorted({n for p in self.people for n in (p, p.split()[-1])}, key=len, reverse=True)
        self.name_re = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
        self.seed = seed

    def article(self, i: int) -> tuple[str, dict[str, Any]]:
        rng = random.Random(self.seed * 1_000_003 + i)
        cast: dict[str, str] = {}

        def person(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in cast:
                cast[name] = rng.choice(self.people)
            new = cast[name]
            return new if " " in name else new.split()[-1]

        def number(m: re.Match[str]) -> str:
            s = m.group(0)
            if len(s) == 4 and s[:2] in ("19", "20"):
                return str(rng.randint(2015, 2026))
            digits = sum(c.isdigit() for c in s)
            return str(rng.randint(10 ** (digits - 1) if digits > 1 else 1, 10**digits - 1))

        chosen = rng.sample(self.paras, rng.randint(4, 7))
        body = []
        for para in chosen:
            para = self.name_re.sub(person, para)
            para = NUMBER_RE.sub(number, para)
            para = MONTH_RE.sub(lambda _m: rng.choice(MONTHS), para)
            body.append(para)
        head = " ".join(body[0].split()[: rng.randint(6, 11)]).rstrip(",;:")
        outlet = rng.choice(OUTLETS)
        day = rng.randint(0, 729)
        published = time.strftime("%Y-%m-%d", time.gmtime(1704067200 + day * 86400 + rng.randint(0, 86399)))
        slug = "-".join(re.findall(r"[a-z]+", head.lower())[:6])
        meta = {
            "outlet": outlet,
            "published": published,
            "title": head,
            "url": f"https://{outlet.lower().replace(' ', '')}.example/{published[:7]}/{slug}-{i}",
        }
        return head + "\n\n" + "\n\n".join(body) + "\n", meta

    def write(self, directory: Path, n: int) -> int:
        """Write ``n`` articles (NAME.txt + NAME.json) into ``directory``; returns the words written."""
        words = 0
        for i in range(n):
            text, meta = self.article(i)
            sub = directory / f"{i // 1000:04d}"
            sub.mkdir(parents=True, exist_ok=True)
            (sub / f"a{i:07d}.txt").write_text(text, encoding="utf-8")
            (sub / f"a{i:07d}.json").write_text(json.dumps(meta), encoding="utf-8")
            words += len(text.split())
        return words


class PeakRSS:
    """Highest total RSS of this process and its descendants, sampled in a thread."""

    def __init__(self, every: float = 0.2) -> None:
        import psutil

        self.proc = psutil.Process()
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _total(self) -> int:
        total = 0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except Exception:  # a worker that just exited
                continue
        return total

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._total())
            self._stop.wait(self.every)

    def __enter__(self) -> PeakRSS:
        self.peak = self._total()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._total())


def cpu_seconds() -> float:
    """CPU time of this process and its reaped children (the workers, once a stage has ended)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


LAST_CPU: list[float] = [0.0]


def timed(fn: Any) -> tuple[Any, float, int]:
    """``fn()``, its wall seconds and peak RSS; its CPU seconds are left in ``LAST_CPU[0]``."""
    with PeakRSS() as mem:
        cpu0 = cpu_seconds()
        t0 = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - t0
    LAST_CPU[0] = cpu_seconds() - cpu0
    return result, elapsed, mem.peak


def run_size(n: int, *, engine: str, jobs: int, sample: int | None, work: Path) -> dict[str, Any]:
    import storyline

    src = work / f"corpus-{n}"
    db = work / f"scale-{n}.db"
    gen = Generator()
    t0 = time.perf_counter()
    words = gen.write(src, n)
    gen_s = time.perf_counter() - t0
    result: dict[str, Any] = {"articles": n, "words": words, "generate_s": round(gen_s, 1)}

    with storyline.open(db) as corpus:
        report, secs, peak = timed(lambda: corpus.add([str(src)]))
        stored = corpus.count()
    result["ingest"] = {
        "s": round(secs, 1),
        "cpu_s": round(LAST_CPU[0], 1),
        "load_avg": round(os.getloadavg()[0], 1),
        "articles_per_s": round(n / secs, 1),
        "peak_rss_mb": peak // 2**20,
        "added": report.added,
        "failed": len(report.failed),
        "stored": stored,
    }
    print(f"[{n}] ingest {secs:.1f}s, {report.added} added, {len(report.failed)} failed", file=sys.stderr)

    with storyline.open(db) as corpus:
        if sample is not None and sample < stored:
            # analyse the first `sample` pending articles only: a run interrupted on purpose
            from storyline.analyze.pipeline import pipeline_version
            from storyline.views.analysis import run_analysis

            todo = corpus.store.pending_analysis(pipeline_version())[:sample]
            keep = set(todo)
            store = _OnlyPending(corpus.store, keep)
            an, secs, peak = timed(lambda: run_analysis(store, engine=engine, jobs=jobs))  # type: ignore[arg-type]
            analysed_n = len(todo)
        else:
            an, secs, peak = timed(lambda: corpus.analyze(engine=engine, jobs=jobs))
            analysed_n = stored
    result["analyze"] = {
        "s": round(secs, 1),
        "cpu_s": round(LAST_CPU[0], 1),
        "load_avg": round(os.getloadavg()[0], 1),
        "articles": analysed_n,
        "articles_per_s": round(analysed_n / secs, 2),
        "peak_rss_mb": peak // 2**20,
        "analyzed": an.analyzed,
        "failed": len(an.failed),
        "engine": engine,
        "jobs": jobs,
        "sampled": sample is not None and sample < stored,
    }
    print(f"[{n}] analyze {secs:.1f}s ({analysed_n / secs:.2f} articles/s)", file=sys.stderr)

    def link() -> tuple[int, int, int]:
        with storyline.open(db) as corpus:
            stories = corpus.stories()
            timeline = corpus.timeline()
            return len(corpus.actors()), len(stories), len(timeline)

    (actors, stories, entries), secs, peak = timed(link)
    result["link"] = {
        "s": round(secs, 1),
        "cpu_s": round(LAST_CPU[0], 1),
        "load_avg": round(os.getloadavg()[0], 1),
        "peak_rss_mb": peak // 2**20,
        "actors": actors,
        "stories": stories,
        "timeline_entries": entries,
    }
    print(f"[{n}] link {secs:.1f}s: {actors} actors, {stories} stories, {entries} entries", file=sys.stderr)
    size = sum(p.stat().st_size for p in work.glob(f"scale-{n}.db*"))
    result["store_bytes"] = size
    result["store_bytes_per_article"] = size // max(stored, 1)
    result["total_s"] = round(result["ingest"]["s"] + result["analyze"]["s"] + result["link"]["s"], 1)
    shutil.rmtree(src)
    return result


class _OnlyPending:
    """A store whose pending list is cut to a sample (everything else delegated)."""

    def __init__(self, store: Any, keep: set[str]) -> None:
        self._store = store
        self._keep = keep

    def pending_analysis(self, version: str, *, force: bool = False) -> list[str]:
        return [i for i in self._store.pending_analysis(version, force=force) if i in self._keep]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def sizes_arg(text: str) -> list[int]:
    return [int(s.replace("k", "000")) for s in text.split(",") if s]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=sizes_arg, default=[1000, 10000])
    ap.add_argument("--engine", default="local", choices=["local", "dask"])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--analyze-sample", type=int, default=None, help="analyse only this many articles")
    ap.add_argument("--work", type=Path, default=None, help="scratch directory (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the stores (not the generated texts)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    work = args.work or Path(tempfile.mkdtemp(prefix="storyline-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for n in args.sizes:
            results.append(
                run_size(n, engine=args.engine, jobs=args.jobs, sample=args.analyze_sample, work=work)
            )
            print(json.dumps(results[-1]), flush=True)
            if args.json:
                args.json.write_text(json.dumps(results, indent=2))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
