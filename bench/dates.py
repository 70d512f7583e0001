"""Publication-date inference, leave one out: hide each article's date, infer it from the others.

Every article is analysed twice, once with its date and once without (the date line removed from
the text too, so cleaning cannot find it); then, for each article in turn, the corpus is linked with
that one article undated and the others dated, and the inferred day is compared with the true one.
Reports coverage (share of articles given a date) and, among those, the share within 0, 1 and 7
days, plus accuracy by confidence band.

    python bench/dates.py --dir examples            # .txt + .json sidecars with "published"
    python bench/dates.py --meantime ../shared/benchmarks/meantime_en
Without the data the benchmark says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def sidecar_docs(folder: Path) -> Iterator[tuple[str, str, dict[str, str]]]:
    for txt in sorted(folder.glob("*.txt")):
        side = txt.with_suffix(".json")
        meta = json.loads(side.read_text(encoding="utf-8")) if side.is_file() else {}
        if meta.get("published"):
            yield txt.stem, txt.read_text(encoding="utf-8"), meta


def meantime_docs(folder: Path) -> Iterator[tuple[str, str, dict[str, str]]]:
    """MEANTIME NAF-like files: tokens by sentence; sentence 0 is the title, 1 the date line."""
    for path in sorted((folder / "intra-doc_annotation").rglob("*.xml")):
        root = etree.parse(str(path)).getroot()
        dct = None
        for tx in root.iter("TIMEX3"):
            if tx.get("functionInDocument") == "CREATION_TIME":
                dct = tx.get("value")
        if not dct:
            continue
        sentences: dict[int, list[str]] = {}
        for tok in root.iter("token"):
            sentences.setdefault(int(tok.get("sentence", "0")), []).append(tok.text or "")
        lines = [_detok(" ".join(words)) for _, words in sorted(sentences.items())]
        title, body = lines[0], [ln for ln in lines[1:] if not _is_date_line(ln)]
        text = title + "\n\n" + " ".join(body) + "\n"
        if not re.match(r"\d{4}-\d\d-\d\d", dct):  # one file has "03-02-2009": trust its date line
            from dateutil import parser

            dct = parser.parse(lines[1]).date().isoformat()
        yield path.stem, text, {"title": title, "outlet": "Wikinews", "published": dct[:10]}


def _detok(text: str) -> str:
    text = re.sub(r" ([.,;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d)\b", r"\1", text)
    return text.replace(" ' ", "' ").replace('" ', '"')


def _is_date_line(line: str) -> bool:
    return bool(re.fullmatch(r"\w+ \d{1,2}, \d{4}|\w+, \w+ \d{1,2}, \d{4}", line.strip()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", type=Path, help="a folder of .txt articles with .json sidecars")
    ap.add_argument("--meantime", type=Path, help="the MEANTIME English folder")
    ap.add_argument("--json", type=Path, help="write the per-article results here")
    args = ap.parse_args()
    if args.meantime is not None:
        if not (args.meantime / "intra-doc_annotation").is_dir():
            print(f"bench/dates.py: skipped, no MEANTIME at {args.meantime}", file=sys.stderr)
            return 0
        docs = list(meantime_docs(args.meantime))
    elif args.dir is not None and args.dir.is_dir():
        docs = list(sidecar_docs(args.dir))
    else:
        print("bench/dates.py: give --dir or --meantime (an existing folder)", file=sys.stderr)
        return 0

    import storyline
    from storyline.analyze.pipeline import article_date
    from storyline.gazetteer import load_gazetteer
    from storyline.link.actors import ActorIndex
    from storyline.link.dates import infer_publication_dates

    started = time.perf_counter()
    versions = {}
    for dated in (True, False):
        with tempfile.TemporaryDirectory() as tmp:
            for name, text, meta in docs:
                (Path(tmp) / f"{name}.txt").write_text(text, encoding="utf-8")
                side = dict(meta) if dated else {k: v for k, v in meta.items() if k != "published"}
                (Path(tmp) / f"{name}.json").write_text(json.dumps(side), encoding="utf-8")
            corpus = storyline.open(":memory:")
            corpus.add([Path(tmp)])
            corpus.analyze()
            arts = {Path(a.origin).stem: a for a in corpus.articles()}
            versions[dated] = {name: (a, corpus.analysis(a.id)) for name, a in arts.items()}
    analysed = time.perf_counter() - started
    truth = {name: date.fromisoformat(meta["published"][:10]) for name, _, meta in docs}
    gazetteer = load_gazetteer()
    results = []
    for name in truth:
        undated, undated_analysis = versions[False][name]
        if article_date(undated) is not None:  # the text still dates it: not a test of inference
            results.append({"doc": name, "truth": str(truth[name]), "skipped": "dated by its text"})
            continue
        articles = {a.id: a for n, (a, _) in versions[True].items() if n != name}
        analyses = {a.id: an for n, (a, an) in versions[True].items() if n != name and an is not None}
        articles[undated.id] = undated
        if undated_analysis is not None:
            analyses[undated.id] = undated_analysis
        index = ActorIndex(gazetteer=gazetteer)
        for aid, an in analyses.items():
            index.add(aid, an.mentions, article_date(articles[aid]))
        found = infer_publication_dates(articles, analyses, index.actor_of, only=[undated.id]).get(undated.id)
        row = {"doc": name, "truth": str(truth[name])}
        if found is not None:
            row |= {
                "inferred": str(found.day),
                "error_days": abs((found.day - truth[name]).days),
                "confidence": found.confidence,
                "evidence": [e.describe() for e in found.evidence],
            }
        results.append(row)
    tested = [r for r in results if "skipped" not in r]
    dated_rows = [r for r in tested if "inferred" in r]
    print(f"articles {len(results)}, tested {len(tested)} (analysis {analysed:.0f} s)")
    if tested:
        print(f"coverage {len(dated_rows)}/{len(tested)} = {len(dated_rows) / len(tested):.3f}")
    for tol in (0, 1, 7):
        ok = sum(1 for r in dated_rows if r["error_days"] <= tol)
        share = ok / len(dated_rows) if dated_rows else 0.0
        print(f"  within {tol} day(s): {ok}/{len(dated_rows)} = {share:.3f}")
    for lo, hi in ((0.0, 0.5), (0.5, 0.8), (0.8, 1.01)):
        band = [r for r in dated_rows if lo <= r["confidence"] < hi]
        ok = sum(1 for r in band if r["error_days"] <= 1)
        print(f"  confidence [{lo:.1f}, {min(hi, 1.0):.1f}): {ok}/{len(band)} within 1 day")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
