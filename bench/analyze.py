"""Analysis speed: words/s of the whole per-article analysis vs the bare spaCy pipeline.

Both run in the same process on the same texts (PolNeAR dev/train articles from
../shared/benchmarks, cleaned by storyline's ingest): first ``nlp(text)`` alone, then
``analyze_article`` (one parse + every per-article stage). The ratio bare/full is the share of
spaCy's own speed that the whole analysis keeps (the issue's aim: >= 0.8).

    python bench/analyze.py              # 200 articles
    python bench/analyze.py --n 500
Without ../shared the benchmark says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    ROOT.parent / "shared/benchmarks/polnear/data/dev/text",
    ROOT.parent / "shared/benchmarks/polnear/data/train/text",
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not SOURCES[0].is_dir():
        print(f"bench/analyze.py: skipped, no texts at {SOURCES[0]}", file=sys.stderr)
        return 0
    sys.path.insert(0, str(ROOT / "src"))
    import storyline
    from storyline.analyze.nlp import get_nlp
    from storyline.analyze.pipeline import analyze_article
    from storyline.gazetteer import load_gazetteer

    paths = [p for d in SOURCES for p in sorted(d.glob("*.txt"))][: args.n]
    with storyline.open(":memory:") as corpus:
        corpus.add([str(p) for p in paths])
        articles = list(corpus.articles())
    words = sum(len(a.text.split()) for a in articles)
    nlp = get_nlp()
    gazetteer = load_gazetteer()
    nlp("warm up the pipeline once.")
    analyze_article(articles[0], nlp=nlp, gazetteer=gazetteer)

    t0 = time.perf_counter()
    for a in articles:
        nlp(a.text)
    bare = time.perf_counter() - t0

    t0 = time.perf_counter()
    for a in articles:
        analyze_article(a, nlp=nlp, gazetteer=gazetteer)
    full = time.perf_counter() - t0

    result = {
        "articles": len(articles),
        "words": words,
        "spacy_words_per_s": round(words / bare),
        "analysis_words_per_s": round(words / full),
        "analysis_articles_per_s": round(len(articles) / full, 2),
        "ratio": round(bare / full, 3),
    }
    print(
        f"{result['articles']} articles, {words:,} words: "
        f"bare spaCy {result['spacy_words_per_s']:,} words/s, "
        f"full analysis {result['analysis_words_per_s']:,} words/s "
        f"({result['analysis_articles_per_s']} articles/s), ratio {result['ratio']}"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
