"""World-city names (GeoNames, 15,000 people or more) as place evidence for the actor finder.

The table ``data/cities.tsv`` is built by ``scripts/build_cities.py``. spaCy's small model often
takes a city it has not seen for a person or an organisation ("the port of Bandar Abbas", "drones
struck Ternopil and Zhytomyr"); a name in this table is a place when its context says so. The table
alone decides nothing: "Jackson", "Warren" and "Lincoln" are cities and surnames.

>>> city("Ternopil").country
'UA'
>>> city("Krakow").population == city("Kraków").population
True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

DEFAULT_PATH = Path(__file__).parent / "data" / "cities.tsv"


@dataclass(frozen=True, slots=True)
class City:
    name: str
    country: str  # ISO 3166-1 alpha-2 of the largest place so named
    population: int  # of the largest place so named
    places: int  # how many places bear the name


def city(name: str) -> City | None:
    """The city called ``name`` (exact spelling, diacritics optional), or ``None``."""
    return load_cities().get(name)


@functools.lru_cache(maxsize=4)
def load_cities(path: Path = DEFAULT_PATH) -> dict[str, City]:
    """The table at ``path`` by name; a malformed row is a :class:`ConfigError` naming its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), f"cannot read the city table: {exc}") from exc
    out: dict[str, City] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 4 or not parts[0] or not parts[2].isdigit() or not parts[3].isdigit():
            raise ConfigError(str(path), "expected name, country, population, places (tab-separated)", line=n)
        out[parts[0]] = City(parts[0], parts[1], int(parts[2]), int(parts[3]))
    return out
