"""Speedup of the analysis with worker processes: in-process (1) vs a local pool and Dask (2 workers).

The same generated articles (``bench/scale.py``'s generator: real paragraphs recombined) are
ingested once into an SQLite store; each configuration analyses a fresh copy of it through
``run_analysis`` — the parent reads the articles, the engine analyses them, the parent writes
every result. Two rates per configuration:

  wall     articles / (whole analyze call: pool or cluster start-up and model loading included)
  steady   articles / (first result written → last result written), start-up left out

and the CPU seconds of this process and its children. The machine is shared: the load average
before and after each run is printed with it, so a slowed run can be told from a slow engine.

    python bench/workers.py --n 300 --json bench/out/workers.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = {
    "local-1": {"engine": "local", "jobs": 1},
    "local-2": {"engine": "local", "jobs": 2},
    "dask-2": {"engine": "dask", "jobs": 2},
}


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run_config(name: str, base: Path, work: Path, n: int) -> dict[str, Any]:
    import storyline

    db = work / f"{name}.db"
    shutil.copy(base, db)
    stamps: list[float] = []
    load_before = os.getloadavg()[0]
    with storyline.open(db) as corpus:
        cpu0 = cpu_seconds()
        t0 = time.perf_counter()
        report = corpus.analyze(progress=lambda _id: stamps.append(time.perf_counter()), **CONFIGS[name])
        wall = time.perf_counter() - t0
        cpu = cpu_seconds() - cpu0
    steady = stamps[-1] - stamps[0] if len(stamps) > 1 else wall
    done = report.analyzed + len(report.skipped)
    result = {
        "config": name,
        "articles": done,
        "failed": len(report.failed),
        "wall_s": round(wall, 1),
        "wall_articles_per_s": round(done / wall, 2),
        "steady_articles_per_s": round((len(stamps) - 1) / steady, 2),
        "cpu_s": round(cpu, 1),
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(result), flush=True)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--configs", default=",".join(CONFIGS))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "bench"))
    from scale import Generator

    import storyline

    work = Path(tempfile.mkdtemp(prefix="storyline-workers-"))
    try:
        src = work / "corpus"
        words = Generator(seed=11).write(src, args.n)
        base = work / "base.db"
        with storyline.open(base) as corpus:
            corpus.add([str(src)])
        print(f"{args.n} articles, {words:,} words", file=sys.stderr)
        results = [run_config(name, base, work, args.n) for name in args.configs.split(",")]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    by = {r["config"]: r for r in results}
    summary: dict[str, Any] = {"articles": args.n, "words": words, "runs": results}
    if "local-1" in by:
        one = by["local-1"]
        for name in by.keys() - {"local-1"}:
            summary[f"speedup_{name}_wall"] = round(
                by[name]["wall_articles_per_s"] / one["wall_articles_per_s"], 2
            )
            summary[f"speedup_{name}_steady"] = round(
                by[name]["steady_articles_per_s"] / one["steady_articles_per_s"], 2
            )
    print(json.dumps({k: v for k, v in summary.items() if k != "runs"}), flush=True)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
