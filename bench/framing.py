"""Per-article cost of the framing stage with each sentence model (classical / borderline / embeddings /
finetuned / mpnet).

    .venv/bin/python bench/framing.py [--dir examples] [--json bench/out/framing.json] [--threads 1]
        [--models finetuned,mpnet]

Parses every ``*.txt`` of ``--dir`` once, then times :func:`storyline.analyze.framing.analyze_framing`
per article with each model available (or each of ``--models``; models loaded and warmed up before
timing; the median of 3 runs per article, wall clock and process CPU time, the fine-tuned scorers' kept
logits forgotten before each run) on ``--threads`` torch threads
(default 1: the CPU time is then comparable on a busy machine). Prints and writes the mean per article
and the added wall time over classical.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline import embed  # noqa: E402
from storyline.analyze.bias_embed import sentence_scorer  # noqa: E402
from storyline.analyze.entities import find_mentions  # noqa: E402
from storyline.analyze.framing import analyze_framing  # noqa: E402
from storyline.analyze.nlp import parse  # noqa: E402
from storyline.analyze.quotes import find_statements  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, default=ROOT / "examples")
    parser.add_argument("--json", type=Path, default=ROOT / "bench/out/framing.json")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    parser.add_argument("--models", default=None, help="comma-separated scorers (default: all available)")
    args = parser.parse_args(argv)
    if embed.available():
        import torch

        torch.set_num_threads(args.threads)
    inputs = []
    for path in sorted(args.dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        doc = parse(text)
        inputs.append((text, doc, find_mentions(text, nlp_doc=doc), find_statements(text, nlp_doc=doc)))
    names = ["classical"] + (["borderline", "embeddings", "finetuned"] if embed.available() else [])
    names += ["mpnet"] if embed.available("mpnet") else []
    if args.models:
        names = ["classical"] + [n for n in args.models.split(",") if n and n != "classical"]
    result: dict[str, object] = {"articles": len(inputs), "threads": args.threads, "models": {}}
    for name in names:
        scorer = sentence_scorer(name)
        analyze_framing(inputs[0][0], nlp_doc=inputs[0][1], model=scorer)  # load and warm up
        per_article = []
        cpu_per_article = []
        judged = 0
        for text, doc, mentions, statements in inputs:
            runs = []
            cpu_runs = []
            for _ in range(3):
                if hasattr(scorer, "clear_memo"):
                    scorer.clear_memo()  # time the encoder, not the sentences kept from the last run
                t0 = time.perf_counter()
                c0 = time.process_time()
                framing = analyze_framing(
                    text, nlp_doc=doc, mentions=mentions, statements=statements, model=scorer
                )
                runs.append(time.perf_counter() - t0)
                cpu_runs.append(time.process_time() - c0)
            per_article.append(statistics.median(runs))
            cpu_per_article.append(statistics.median(cpu_runs))
            judged += framing.sentences_judged
        result["models"][name] = {  # type: ignore[index]
            "scorer": scorer.name,
            "ms_per_article": round(1000 * statistics.mean(per_article), 1),
            "cpu_ms_per_article": round(1000 * statistics.mean(cpu_per_article), 1),
            "sentences_per_article": round(judged / len(inputs), 1),
        }
    base = result["models"]["classical"]["ms_per_article"]  # type: ignore[index]
    for row in result["models"].values():  # type: ignore[attr-defined]
        row["added_ms_per_article"] = round(row["ms_per_article"] - base, 1)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
