"""Scale curve: ingest + analyze + link at 1k / 10k / 100k articles — CPU, wall time, peak memory,
store size — resumable across sessions.

The corpus is generated at bench time from real paragraphs — the bundled samples (examples/) and,
when present, the PolNeAR article texts in ../shared/benchmarks — recombined so that no two
articles are copies: each article takes 4–7 paragraphs from different sources in a new order,
its people swapped for others from the gazetteer, its numbers, years and months changed, and
its own outlet, date and URL (a .json sidecar). Article ``i`` is always the same text (seeded by
``i``); the texts are written a chunk at a time, ingested and deleted.

Stages, in chunks, each chunk timed on its own and appended to a JSON ledger as it ends:
  ingest   ``corpus.add([dir])`` per chunk of 1,000 generated articles: read, clean, metadata,
           store (SQLite, WAL)
  analyze  per chunk of ``--chunk`` pending articles: the per-article analysis on the engine
           (``run_analysis``, results written by the parent), then what ``corpus.analyze`` does
           after it — publication dates inferred and the story links continued from the stored
           state for the new articles (``link_cpu_s`` in the ledger; ``--no-link-increment``
           leaves it to the link stage)
  link     once, in a fresh ``storyline.open``: actors linked over every analysis, stories read
           from the stored links, the timeline merged (``corpus.stories()``, ``corpus.timeline()``)
CPU seconds are user + system of this process and its workers (reaped ones from
``RUSAGE_CHILDREN``, live ones from psutil); peak memory is the highest sum of RSS over this
process and its children, sampled every 0.2 s.

With ``--workdir DIR`` the store and the ledger live in ``DIR/size-N/`` and the same command run
again resumes: ingest chunks already in the ledger are skipped, ``analyze`` goes on with the
articles that have no analysis yet — by any pipeline version, since the tree's code may change
between sessions (each chunk's version is in the ledger; each analysis is committed on its own),
and a chunk cut short — by Ctrl-C, SIGTERM, or a kill that left only its checkpoint file — is
entered in the ledger as
``interrupted`` with the CPU it had used. ``--stop-after SECONDS`` ends a session cleanly after
the chunk running at that point. Every run ends with a summary summing the chunks (and saying
over how many chunks and sessions), printed and written to ``DIR/size-N/summary.json``.

    python bench/scale.py --sizes 1000,10000 --jobs 2 --json bench/out/scale.json
    nohup nice -n 19 python bench/scale.py --sizes 100000 --workdir bench/out/scale-100k --jobs 2 \\
        --chunk 2000 --no-link-increment >> bench/out/scale-100k.log 2>&1 &   # again to resume
    python bench/scale.py --sizes 100000 --workdir bench/out/scale-100k --summary   # where it got to
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import shutil
import signal
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

    def write(self, directory: Path, start: int, stop: int) -> int:
        """Write articles ``start``..``stop - 1`` (NAME.txt + NAME.json) into ``directory``; returns the
        words written."""
        words = 0
        directory.mkdir(parents=True, exist_ok=True)
        for i in range(start, stop):
            text, meta = self.article(i)
            sub = directory
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
    """User + system CPU of this process, its reaped children and its live ones (the workers of a
    running pool, which ``RUSAGE_CHILDREN`` only counts once they have exited)."""
    import psutil

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:  # exited meanwhile: counted in RUSAGE_CHILDREN from now on
            continue
        total += times.user + times.system
    return total


SESSION = f"{dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%SZ}-{os.getpid()}"
INGEST_CHUNK = 1000


class Ledger:
    """The chunks done so far, one JSON object each, in ``ledger.json``; the chunk running now is in
    ``checkpoint.json`` (rewritten as it goes), so that a run killed outright still leaves what it
    spent: the next run enters it as ``interrupted``."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "ledger.json"
        self.checkpoint_path = directory / "checkpoint.json"
        self.entries: list[dict[str, Any]] = (
            json.loads(self.path.read_text(encoding="utf-8")) if self.path.is_file() else []
        )

    def append(self, entry: dict[str, Any]) -> None:
        self.entries.append(entry)
        _write_json(self.path, self.entries)
        self.checkpoint_path.unlink(missing_ok=True)

    def checkpoint(self, entry: dict[str, Any]) -> None:
        _write_json(self.checkpoint_path, entry)

    def recover(self) -> dict[str, Any] | None:
        """The chunk a killed run left in its checkpoint, entered in the ledger as interrupted."""
        if not self.checkpoint_path.is_file():
            return None
        entry = {**json.loads(self.checkpoint_path.read_text(encoding="utf-8")), "interrupted": True}
        self.append(entry)
        return entry

    def done(self, stage: str) -> list[dict[str, Any]]:
        return [e for e in self.entries if e["stage"] == stage and not e.get("interrupted")]


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    tmp.replace(path)


def run_chunk(ledger: Ledger, stage: str, chunk: int, fn: Any) -> dict[str, Any]:
    """``fn(checkpoint)`` timed — CPU (process + workers), wall, peak RSS — and entered in the ledger.
    ``fn`` returns the entry's other fields; ``exclude_cpu_s`` / ``exclude_s`` among them (bench
    work such as writing the generated texts) are taken off the stage's figures. ``checkpoint(fields)``
    records the progress of a long chunk. Interrupted (Ctrl-C, SIGTERM) or failed, the chunk is
    entered with what it spent, and the exception goes on."""
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    base = {"stage": stage, "chunk": chunk, "session": SESSION, "started": started}

    def figures(mem: PeakRSS) -> dict[str, Any]:
        return {
            "cpu_s": round(cpu_seconds() - cpu0, 2),
            "s": round(time.perf_counter() - t0, 2),
            "peak_rss_mb": max(mem.peak, mem._total()) // 2**20,
            "load_avg": round(os.getloadavg()[0], 1),
        }

    with PeakRSS() as mem:
        progress: dict[str, Any] = {}

        def checkpoint(fields: dict[str, Any]) -> None:
            progress.update(fields)
            ledger.checkpoint({**base, **progress, **figures(mem)})

        checkpoint({})
        try:
            fields = fn(checkpoint)
        except BaseException as exc:
            entry = {**base, **progress, **figures(mem), "interrupted": True, "error": repr(exc)[:300]}
            ledger.append(entry)
            raise
    entry = {**base, **fields, **figures(mem)}
    entry["cpu_s"] = round(entry["cpu_s"] - entry.pop("exclude_cpu_s", 0.0), 2)
    entry["s"] = round(entry["s"] - entry.pop("exclude_s", 0.0), 2)
    ledger.append(entry)
    return entry


class _OnlyPending:
    """A store whose pending list is cut to one chunk (everything else delegated)."""

    def __init__(self, store: Any, keep: set[str]) -> None:
        self._store = store
        self._keep = keep

    def pending_analysis(self, version: str, *, force: bool = False) -> list[str]:
        return [i for i in self._store.pending_analysis(version, force=force) if i in self._keep]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def never_analysed(db: Path) -> list[str]:
    """The current articles without any analysis, in the store's pending order. Not
    ``pending_analysis(version)``: that also lists the articles analysed by another pipeline
    version, and in a tree where the code changes between sessions a resumed run would start the
    analysis over; here an article analysed once is done (the ledger keeps each chunk's version)."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        rows = conn.execute(
            "SELECT id FROM articles WHERE is_current AND id NOT IN (SELECT article_id FROM analyses)"
        ).fetchall()
    return sorted(str(r[0]) for r in rows)


class Stop(Exception):
    """The session's time (``--stop-after``) is up: the next run resumes."""


def run_size(
    n: int,
    *,
    workdir: Path,
    engine: str,
    jobs: int,
    chunk: int,
    sample: int | None,
    deadline: float | None,
    link_increment: bool,
) -> dict[str, Any]:
    """Resume (or start) the ``n``-article run in ``workdir/size-n`` and return its summary."""
    import storyline
    from storyline.analyze.pipeline import pipeline_version
    from storyline.views.analysis import run_analysis

    directory = workdir / f"size-{n}"
    db = directory / "scale.db"
    ledger = Ledger(directory)
    recovered = ledger.recover()
    if recovered:
        print(
            f"[{n}] entered the chunk a killed run left: {recovered['stage']} {recovered['chunk']}",
            file=sys.stderr,
        )

    def time_up() -> None:
        if deadline is not None and time.monotonic() >= deadline:
            raise Stop

    # -- ingest, 1,000 generated articles at a time
    ingested = {e["chunk"] for e in ledger.done("ingest")}
    gens: list[Generator] = []  # made at the first chunk that needs it
    for k in range((n + INGEST_CHUNK - 1) // INGEST_CHUNK):
        if k in ingested:
            continue
        time_up()
        start, stop = k * INGEST_CHUNK, min(n, (k + 1) * INGEST_CHUNK)
        texts = directory / "texts" / f"{k:04d}"

        def ingest(
            _checkpoint: Any, start: int = start, stop: int = stop, texts: Path = texts
        ) -> dict[str, Any]:
            c0, t0 = cpu_seconds(), time.perf_counter()
            shutil.rmtree(texts, ignore_errors=True)
            gens[:] = gens or [Generator()]
            words = gens[0].write(texts, start, stop)
            gen_cpu, gen_s = cpu_seconds() - c0, time.perf_counter() - t0
            with storyline.open(db) as corpus:
                report = corpus.add([str(texts)])
            shutil.rmtree(texts)
            return {
                "articles": stop - start,
                "words": words,
                "added": report.added,
                "failed": len(report.failed),
                "generate_cpu_s": round(gen_cpu, 2),
                "exclude_cpu_s": gen_cpu,
                "exclude_s": gen_s,
            }

        e = run_chunk(ledger, "ingest", k, ingest)
        print(f"[{n}] ingest chunk {k}: {e['added']} added, {e['cpu_s']} CPU-s, {e['s']} s", file=sys.stderr)

    # -- analyze, `chunk` pending articles at a time, then the linking analyze does after them
    version = pipeline_version()
    with storyline.open(db) as corpus:
        while True:
            pending = never_analysed(db)
            analysed = corpus.count() - len(pending)
            if sample is not None:
                pending = pending[: max(0, sample - analysed)]
            if not pending:
                break
            time_up()
            ids = pending[:chunk]
            k = len(ledger.done("analyze")) + sum(
                1 for e in ledger.entries if e["stage"] == "analyze" and e.get("interrupted")
            )

            def analyze(checkpoint: Any, ids: list[str] = ids) -> dict[str, Any]:
                done: list[str] = []

                def progress(article_id: str) -> None:
                    done.append(article_id)
                    if len(done) % 20 == 0:
                        checkpoint({"articles": len(done)})

                c0, t0 = cpu_seconds(), time.perf_counter()
                store = _OnlyPending(corpus.store, set(ids))
                report = run_analysis(store, engine=engine, jobs=jobs, progress=progress)  # type: ignore[arg-type]
                fields: dict[str, Any] = {
                    "articles": len(ids),
                    "analyzed": report.analyzed,
                    "failed": len(report.failed),
                    "analysis_cpu_s": round(cpu_seconds() - c0, 2),
                    "analysis_s": round(time.perf_counter() - t0, 2),
                    "engine": engine,
                    "jobs": jobs,
                    "pipeline_version": version,
                }
                if link_increment:  # what Corpus.analyze does after run_analysis
                    c1, t1 = cpu_seconds(), time.perf_counter()
                    checkpoint({**fields, "linking": True})
                    corpus.refresh()
                    corpus._link_dates(done)
                    corpus._link_stories(done)
                    fields["link_cpu_s"] = round(cpu_seconds() - c1, 2)
                    fields["link_s"] = round(time.perf_counter() - t1, 2)
                return fields

            e = run_chunk(ledger, "analyze", k, analyze)
            print(
                f"[{n}] analyze chunk {k}: {e['analyzed']} analysed, {e['cpu_s']} CPU-s "
                f"(analysis {e['analysis_cpu_s']}, linking {e.get('link_cpu_s', '-')}), {e['s']} s, "
                f"{analysed + len(ids)}/{corpus.count()} done",
                file=sys.stderr,
            )

    # -- link: the views over the whole store, once
    if not ledger.done("link"):
        time_up()

        def link(checkpoint: Any) -> dict[str, Any]:
            # each part's CPU enters the ledger as it ends, so a cut-short link still shows its progress
            c0 = cpu_seconds()
            parts: dict[str, float] = {}

            def part(name: str) -> None:
                nonlocal c0
                c1 = cpu_seconds()
                parts[f"{name}_cpu_s"] = round(c1 - c0, 2)
                c0 = c1
                checkpoint(dict(parts))

            with storyline.open(db) as corpus:
                corpus._linked()  # the articles, the actor index, the packed analyses
                part("linked")
                stories = corpus.stories()  # the story links made and stored, the story rows
                part("stories")
                timeline = corpus.timeline()
                part("timeline")
                actors = corpus.actors()
                part("actors")
                return {
                    **parts,
                    "actors": len(actors),
                    "stories": len(stories),
                    "timeline_entries": len(timeline),
                }

        e = run_chunk(ledger, "link", 0, link)
        print(f"[{n}] link: {e['cpu_s']} CPU-s, {e['s']} s, peak {e['peak_rss_mb']} MB", file=sys.stderr)
    return summarize(n, directory)


def summarize(n: int, directory: Path) -> dict[str, Any]:
    """The ledger summed per stage — chunks, sessions, CPU, wall, peak RSS — with the store's state."""
    import storyline
    from storyline.analyze.pipeline import pipeline_version

    ledger = Ledger(directory)
    entries = list(ledger.entries)
    if ledger.checkpoint_path.is_file():  # a chunk running now, or killed and not yet entered
        entries.append({**json.loads(ledger.checkpoint_path.read_text(encoding="utf-8")), "running": True})
    out: dict[str, Any] = {"articles": n, "workdir": str(directory)}
    db = directory / "scale.db"
    if db.is_file():
        with storyline.open(db) as corpus:
            stored = corpus.count()
            stale = len(corpus.store.pending_analysis(pipeline_version()))
        pending = len(never_analysed(db))
        size = sum(p.stat().st_size for p in directory.glob("scale.db*"))
        out.update(
            stored=stored,
            analysed=stored - pending,
            analysed_by_another_version=stale - pending,  # pending for `storyline analyze` today
            store_bytes=size,
            store_bytes_per_article=size // max(stored, 1),
        )
    for stage in ("ingest", "analyze", "link"):
        rows = [e for e in entries if e["stage"] == stage]
        if not rows:
            continue
        summary: dict[str, Any] = {
            "chunks": len(rows),
            "interrupted": sum(1 for e in rows if e.get("interrupted") or e.get("running")),
            "sessions": len({e["session"] for e in rows}),
            "cpu_s": round(sum(e.get("cpu_s", 0.0) for e in rows), 1),
            "s": round(sum(e.get("s", 0.0) for e in rows), 1),
            "peak_rss_mb": max(e.get("peak_rss_mb", 0) for e in rows),
        }
        for key in ("articles", "words", "added", "failed", "analyzed", "analysis_cpu_s", "link_cpu_s"):
            if any(key in e for e in rows if not e.get("interrupted")):
                summary[key] = round(sum(e.get(key, 0) for e in rows if not e.get("interrupted")), 1)
        for key in ("actors", "stories", "timeline_entries"):
            if key in rows[-1]:
                summary[key] = rows[-1][key]
        if stage == "analyze" and summary.get("analyzed"):
            summary["cpu_s_per_article"] = round(
                summary["cpu_s"] / out.get("analysed", summary["analyzed"]), 3
            )
        out[stage] = summary
    versions: dict[str, int] = {}
    for e in entries:
        if e["stage"] == "analyze" and "pipeline_version" in e:
            versions[e["pipeline_version"]] = versions.get(e["pipeline_version"], 0) + e.get("analyzed", 0)
    if versions:
        out["pipeline_versions"] = versions  # articles analysed by each (interrupted chunks not counted)
    out["sessions"] = len({e["session"] for e in entries})
    out["complete"] = bool(ledger.done("link"))
    out["cpu_s"] = round(sum(out[s]["cpu_s"] for s in ("ingest", "analyze", "link") if s in out), 1)
    _write_json(directory / "summary.json", out)
    return out


def sizes_arg(text: str) -> list[int]:
    return [int(s.replace("k", "000")) for s in text.split(",") if s]


def _end_workers() -> None:
    """End the pool workers of a chunk cut short. When only this process was signalled (``kill PID``,
    not Ctrl-C in a terminal) they stay alive, and the interpreter waits for them at exit forever."""
    import psutil

    children = psutil.Process().children(recursive=True)
    for child in children:
        try:
            child.terminate()
        except psutil.Error:
            continue
    _gone, alive = psutil.wait_procs(children, timeout=10)
    for child in alive:
        try:
            child.kill()
        except psutil.Error:
            continue


def _terminate(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt("SIGTERM")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=sizes_arg, default=[1000, 10000])
    ap.add_argument("--engine", default="local", choices=["local", "dask"])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--chunk", type=int, default=1000, help="articles analysed per chunk (default 1000)")
    ap.add_argument("--analyze-sample", type=int, default=None, help="analyse only this many articles")
    ap.add_argument("--no-link-increment", action="store_true", help="no linking after each analyze chunk")
    ap.add_argument(
        "--workdir", type=Path, default=None, help="persistent, resumable (default: a temporary one)"
    )
    ap.add_argument(
        "--stop-after", type=float, default=None, help="end the session after N seconds (resumable)"
    )
    ap.add_argument("--summary", action="store_true", help="only print the summary of --workdir's ledgers")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.summary:
        if args.workdir is None:
            ap.error("--summary needs --workdir")
        results = [summarize(n, args.workdir / f"size-{n}") for n in args.sizes]
        print(json.dumps(results, indent=2))
        return 0
    signal.signal(signal.SIGTERM, _terminate)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="scale-", dir=ROOT / "bench" / "out"))
    deadline = None if args.stop_after is None else time.monotonic() + args.stop_after
    results = []
    try:
        for n in args.sizes:
            try:
                results.append(
                    run_size(
                        n,
                        workdir=workdir,
                        engine=args.engine,
                        jobs=args.jobs,
                        chunk=args.chunk,
                        sample=args.analyze_sample,
                        deadline=deadline,
                        link_increment=not args.no_link_increment,
                    )
                )
            except (Stop, KeyboardInterrupt) as exc:
                summary = summarize(n, workdir / f"size-{n}")
                print(json.dumps(summary), flush=True)
                print(
                    f"[{n}] stopped ({type(exc).__name__}); run the same command to resume", file=sys.stderr
                )
                if isinstance(exc, Stop):
                    return 0
                _end_workers()
                return 130
            print(json.dumps(results[-1]), flush=True)
            if args.json:
                args.json.parent.mkdir(parents=True, exist_ok=True)
                args.json.write_text(json.dumps(results, indent=2))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
