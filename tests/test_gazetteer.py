"""The shipped actor gazetteer: its data is well-formed and its look-ups give the right people."""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml

from storyline import gazetteer as gz
from storyline.errors import ConfigError
from storyline.gazetteer import DEFAULT_PATH, TITLES, Gazetteer, load_gazetteer, normalize


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return load_gazetteer(disk_cache=False)


D = date.fromisoformat


# --------------------------------------------------------------------------- the shipped data


def test_size_and_types(g: Gazetteer) -> None:
    counts = Counter(e.type for e in g)
    assert len(g) >= 550
    assert counts["PERSON"] >= 350
    assert counts["ORG"] >= 100
    assert counts["LOC"] >= 50
    countries = [e for e in g if e.type == "GPE" and e.iso]
    # 193 UN members + Palestine, the Holy See, Taiwan, Kosovo
    assert len(countries) == 197
    assert len({e.iso for e in countries}) == 197


def test_ids_unique_in_the_raw_file() -> None:
    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    ids = [e["id"] for section, items in raw.items() if section != "version" for e in items]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


def test_every_alias_resolves(g: Gazetteer) -> None:
    missing = [
        (e.id, n)
        for e in g
        for n in (*e.names, *([e.surname] if e.surname else []))
        if e not in g.by_alias(n)
    ]
    assert not missing


def test_every_reference_resolves(g: Gazetteer) -> None:
    for e in g:
        if e.affiliation:
            assert e.affiliation in g, e.id
        for r in e.roles:
            assert r.of in g, (e.id, r.of)
            assert g[r.of].type in ("GPE", "ORG"), (e.id, r.of)
            assert r.title in TITLES, (e.id, r.title)


def test_people_have_a_role_or_affiliation(g: Gazetteer) -> None:
    assert not [e.id for e in g.of_type("PERSON") if not e.roles and not e.affiliation]


def test_date_ranges_well_formed_and_not_overlapping(g: Gazetteer) -> None:
    posts: dict[tuple[str, str], list[tuple[str, date, date | None]]] = {}
    for e in g:
        for r in e.roles:
            assert r.start >= date(1950, 1, 1), (e.id, r)
            assert r.end is None or r.end >= r.start, (e.id, r)
            assert r.end is None or r.end <= date(2026, 12, 31), (e.id, r)
            if TITLES[r.title].unique:
                posts.setdefault((r.title, r.of), []).append((e.id, r.start, r.end))
    overlaps = []
    for post, spans in posts.items():
        spans.sort(key=lambda s: s[1])
        for (a, _, a_end), (b, b_start, _) in zip(spans, spans[1:], strict=False):
            if a_end is None or a_end > b_start:
                overlaps.append((post, a, b))
    assert not overlaps


def test_wikidata_ids_well_formed(g: Gazetteer) -> None:
    qids = [e.wikidata for e in g if e.wikidata]
    assert all(re.fullmatch(r"Q[1-9][0-9]*", q) for q in qids)
    assert len(qids) == len(set(qids))


def test_generated_phrases_find_their_holder(g: Gazetteer) -> None:
    """Every phrase the gazetteer says names a role leads back to that role's holder."""
    for e in g:
        for r in e.roles:
            for phrase in g.phrases_for(r):
                assert e in [h for h, _ in g.holders(phrase, r.start)], (e.id, phrase)


# --------------------------------------------------------------------------- pinned look-ups


@pytest.mark.parametrize(
    ("phrase", "on", "expected"),
    [
        ("Russian president", "2025-12-03", "vladimir-putin"),
        ("the Kremlin chief", "2025-12-03", "vladimir-putin"),
        ("the Russian leader", "2025-12-03", "vladimir-putin"),
        ("president of Russia", "2025-12-03", "vladimir-putin"),
        ("Russia's president", "2025-12-03", "vladimir-putin"),
        ("Russia’s President", "2025-12-03", "vladimir-putin"),
        ("US president", "2024-06-01", "joe-biden"),
        ("US president", "2025-05-19", "donald-trump"),
        ("the U.S. president", "2020-06-01", "donald-trump"),
        ("American president", "2021-01-20", "joe-biden"),
        ("UK prime minister", "2024-08-01", "keir-starmer"),
        ("UK prime minister", "2024-06-01", "rishi-sunak"),
        ("British PM", "2022-10-01", "liz-truss"),
        ("German chancellor", "2025-06-01", "friedrich-merz"),
        ("German chancellor", "2023-01-01", "olaf-scholz"),
        ("German chancellor", "2020-01-01", "angela-merkel"),
        ("NATO secretary-general", "2025-01-01", "mark-rutte"),
        ("NATO secretary general", "2023-01-01", "jens-stoltenberg"),
        ("the NATO chief", "2025-06-01", "mark-rutte"),
        ("UN secretary-general", "2025-06-01", "antonio-guterres"),
        ("UN chief", "2025-06-01", "antonio-guterres"),
        ("US secretary of state", "2024-06-01", "antony-blinken"),
        ("US secretary of state", "2025-06-01", "marco-rubio"),
        ("US national security adviser", "2025-03-01", "mike-waltz"),
        ("US national security adviser", "2025-06-01", "marco-rubio"),
        ("Pentagon chief", "2025-06-01", "pete-hegseth"),
        ("Ukraine's foreign minister", "2024-01-01", "dmytro-kuleba"),
        ("Ukraine's foreign minister", "2025-06-01", "andrii-sybiha"),
        ("Ukrainian defence minister", "2024-06-01", "rustem-umerov"),
        ("Ukrainian defense minister", "2025-09-01", "denys-shmyhal"),
        ("Ukrainian prime minister", "2025-09-01", "yulia-svyrydenko"),
        ("Ukrainian president", "2025-09-01", "volodymyr-zelensky"),
        ("Russian foreign minister", "2025-09-01", "sergey-lavrov"),
        ("Russian defence minister", "2024-01-01", "sergei-shoigu"),
        ("Russian defence minister", "2025-01-01", "andrei-belousov"),
        ("Kremlin spokesman", "2025-01-01", "dmitry-peskov"),
        ("Russian foreign ministry spokeswoman", "2025-01-01", "maria-zakharova"),
        ("British foreign secretary", "2025-10-01", "yvette-cooper"),
        ("UK foreign secretary", "2025-01-01", "david-lammy"),
        ("French president", "2025-01-01", "emmanuel-macron"),
        ("French prime minister", "2025-10-01", "sebastien-lecornu"),
        ("Japanese prime minister", "2025-11-01", "sanae-takaichi"),
        ("Canadian prime minister", "2025-04-01", "mark-carney"),
        ("Polish president", "2025-09-01", "karol-nawrocki"),
        ("Chinese president", "2025-01-01", "xi-jinping"),
        ("Chinese premier", "2024-01-01", "li-qiang"),
        ("Turkish president", "2025-01-01", "recep-tayyip-erdogan"),
        ("Hungarian prime minister", "2025-01-01", "viktor-orban"),
        ("Israeli prime minister", "2022-01-01", "naftali-bennett"),
        ("EU foreign policy chief", "2024-06-01", "josep-borrell"),
        ("EU foreign policy chief", "2025-06-01", "kaja-kallas"),
        ("European Council president", "2024-06-01", "charles-michel"),
        ("European Council president", "2025-06-01", "antonio-costa"),
        ("European Commission president", "2025-06-01", "ursula-von-der-leyen"),
        ("IAEA chief", "2025-06-01", "rafael-grossi"),
        ("IMF managing director", "2025-06-01", "kristalina-georgieva"),
        ("Downing Street chief", "2025-06-01", "keir-starmer"),
        ("Iranian supreme leader", "2025-06-01", "ali-khamenei"),
        ("the Iranian leader", "2025-06-01", "ali-khamenei"),
        ("South Korean president", "2025-01-15", "choi-sang-mok"),
        ("South Korean president", "2025-07-01", "lee-jae-myung"),
    ],
)
def test_holder(g: Gazetteer, phrase: str, on: str, expected: str) -> None:
    found = g.holder(phrase, D(on))
    assert found is not None, phrase
    assert found.id == expected


def test_holder_none_outside_any_term(g: Gazetteer) -> None:
    assert g.holder("Ukrainian president", D("1980-01-01")) is None
    assert g.holder("Martian president", D("2025-01-01")) is None
    assert g.holder("", D("2025-01-01")) is None


def test_term_boundaries_are_half_open(g: Gazetteer) -> None:
    assert g.holder("US president", D("2025-01-19")).id == "joe-biden"
    assert g.holder("US president", D("2025-01-20")).id == "donald-trump"
    assert g.holder("German chancellor", D("2025-05-05")).id == "olaf-scholz"
    assert g.holder("German chancellor", D("2025-05-06")).id == "friedrich-merz"


@pytest.mark.parametrize(
    "spelling",
    [
        "Zelensky",
        "Zelenskyy",
        "Zelenskiy",
        "Zelenskyi",
        "Volodymyr Zelensky",
        "Volodymyr Zelenskyy",
        "ZELENSKYY",
        "Zelenskyy’s",
        "Zelensky's",
        "Selenskyj",
    ],
)
def test_zelensky_spellings(g: Gazetteer, spelling: str) -> None:
    assert [e.id for e in g.by_alias(spelling)] == ["volodymyr-zelensky"]


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("Putin", "vladimir-putin"),
        ("Vladimir Putin", "vladimir-putin"),
        ("Sybiha", "andrii-sybiha"),
        ("Sybiga", "andrii-sybiha"),
        ("Yermak", "andriy-yermak"),
        ("Peskov", "dmitry-peskov"),
        ("Lavrov", "sergey-lavrov"),
        ("Sergei Lavrov", "sergey-lavrov"),
        ("Ushakov", "yuri-ushakov"),
        ("Dmitriev", "kirill-dmitriev"),
        ("Kirill Dmitriyev", "kirill-dmitriev"),
        ("Witkoff", "steve-witkoff"),
        ("Kushner", "jared-kushner"),
        ("Umerov", "rustem-umerov"),
        ("Budanov", "kyrylo-budanov"),
        ("Syrsky", "oleksandr-syrskyi"),
        ("Erdogan", "recep-tayyip-erdogan"),
        ("Erdoğan", "recep-tayyip-erdogan"),
        ("Orban", "viktor-orban"),
        ("Lukashenka", "alexander-lukashenko"),
        ("J.D. Vance", "jd-vance"),
        ("JD Vance", "jd-vance"),
        ("MBS", "mohammed-bin-salman"),
        ("the Kremlin", "kremlin"),
        ("U.S.", "united-states"),
        ("the UK", "united-kingdom"),
    ],
)
def test_by_alias(g: Gazetteer, spelling: str, expected: str) -> None:
    assert expected in [e.id for e in g.by_alias(spelling)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ukrainian", "ukraine"),
        ("Ukrainians", "ukraine"),
        ("Kyiv", "ukraine"),
        ("Kiev", "ukraine"),
        ("Moscow", "russia"),
        ("Russian", "russia"),
        ("Russian Federation", "russia"),
        ("the U.S.", "united-states"),
        ("USA", "united-states"),
        ("America", "united-states"),
        ("American", "united-states"),
        ("Washington", "united-states"),
        ("Britain", "united-kingdom"),
        ("British", "united-kingdom"),
        ("London", "united-kingdom"),
        ("Türkiye", "turkey"),
        ("Turkiye", "turkey"),
        ("Beijing", "china"),
        ("Belarusian", "belarus"),
        ("Minsk", "belarus"),
        ("Vatican", "holy-see"),
        ("Palestinian", "palestine"),
        ("Côte d'Ivoire", "ivory-coast"),
        ("Cote d’Ivoire", "ivory-coast"),
    ],
)
def test_country(g: Gazetteer, text: str, expected: str) -> None:
    found = g.country(text)
    assert found is not None, text
    assert found.id == expected


def test_country_unknown(g: Gazetteer) -> None:
    assert g.country("Atlantis") is None


@pytest.mark.parametrize(
    ("text", "institution", "affiliation"),
    [
        ("Kremlin", "kremlin", "russia"),
        ("the Kremlin", "kremlin", "russia"),
        ("the White House", "white-house", "united-states"),
        ("Downing Street", "downing-street", "united-kingdom"),
        ("the Élysée", "elysee", "france"),
        ("the Elysee", "elysee", "france"),
        ("Bankova", "office-of-the-president-of-ukraine", "ukraine"),
        ("the Pentagon", "pentagon", "united-states"),
        ("State Department", "state-department", "united-states"),
        ("Foreign Office", "foreign-office", "united-kingdom"),
        ("Bundestag", "bundestag", "germany"),
        ("Verkhovna Rada", "verkhovna-rada", "ukraine"),
        ("the Duma", "state-duma", "russia"),
        ("GUR", "gur", "ukraine"),
        ("SBU", "sbu", "ukraine"),
        ("FSB", "fsb", "russia"),
        ("Armed Forces of Ukraine", "armed-forces-of-ukraine", "ukraine"),
        ("UN Security Council", "un-security-council", "united-nations"),
        ("European Commission", "european-commission", "european-union"),
    ],
)
def test_institution(g: Gazetteer, text: str, institution: str, affiliation: str) -> None:
    found = g.institution(text)
    assert found is not None, text
    assert (found.id, found.affiliation) == (institution, affiliation)


def test_institution_holder(g: Gazetteer) -> None:
    assert g.institution_holder("the Kremlin", D("2025-06-01")).id == "vladimir-putin"
    assert g.institution_holder("Downing Street", D("2022-10-01")).id == "liz-truss"
    assert g.institution_holder("the White House", D("2023-01-01")).id == "joe-biden"
    assert g.institution_holder("the Verkhovna Rada", D("2023-01-01")) is None


def test_history_is_ordered(g: Gazetteer) -> None:
    names = [e.id for e, _ in g.history("prime-minister", "united-kingdom") if _.start.year >= 2019]
    assert names == ["boris-johnson", "liz-truss", "rishi-sunak", "keir-starmer"]


def test_normalize() -> None:
    assert normalize("Zelenskyy’s") == "zelenskyy"
    assert normalize("the U.S.") == "us"
    assert normalize("  Secretary-General ") == "secretary general"
    assert normalize("Erdoğan") == "erdogan"
    assert normalize("Radosław Sikorski") == "radoslaw sikorski"
    assert normalize("Ukraine's foreign minister") == "ukraine's foreign minister"


def test_reload_is_cached() -> None:
    assert load_gazetteer(disk_cache=False) is load_gazetteer(disk_cache=False)


# --------------------------------------------------------------------------- errors and extra files

GOOD = """\
version: 1
countries:
- {id: ruritania, name: Ruritania, adjectives: [Ruritanian], capital: Strelsau, iso: RU}
people:
- id: rudolf-v
  name: Rudolf V
  roles:
  - {title: king, of: ruritania, from: 2020-01-01}
"""


def _write(tmp_path: Path, text: str, name: str = "g.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_small_file_loads(tmp_path: Path) -> None:
    g = load_gazetteer(_write(tmp_path, GOOD), disk_cache=False)
    assert g.holder("Ruritanian king", D("2021-01-01")).id == "rudolf-v"
    assert g.holder("the Ruritanian monarch", D("2021-01-01")).id == "rudolf-v"
    assert g.by_alias("Rudolf V")[0].id == "rudolf-v"


def test_malformed_yaml(tmp_path: Path) -> None:
    p = _write(tmp_path, GOOD + "- {id: broken, name: [unclosed\n")
    with pytest.raises(ConfigError) as err:
        load_gazetteer(p, disk_cache=False)
    assert err.value.path == str(p)
    assert err.value.line is not None and err.value.line >= 9
    assert "malformed YAML" in str(err.value)


@pytest.mark.parametrize(
    ("bad", "good", "field", "line", "words"),
    [
        ("from: 2020-01-01}", "from: 2020-13-45}", "roles[0].from", 8, "date"),
        ("title: king,", "title: kaiser,", "roles[0].title", 8, "unknown title"),
        ("of: ruritania,", "of: nowhere,", "roles[0].of", 8, "not a known entry"),
        ("  name: Rudolf V\n", "  name: Rudolf V\n  hair: red\n", "hair", 7, "unknown field"),
        ("iso: RU}", "iso: RUR}", "iso", 3, "ISO"),
        ("id: rudolf-v", "id: Rudolf V", "id", 5, "slug"),
    ],
)
def test_bad_field(tmp_path: Path, bad: str, good: str, field: str, line: int, words: str) -> None:
    text = GOOD
    assert bad in text
    p = _write(tmp_path, text.replace(bad, good, 1))
    with pytest.raises(ConfigError) as err:
        load_gazetteer(p, disk_cache=False)
    e = err.value
    assert e.path == str(p)
    assert e.field == field
    assert e.line == line
    assert words.lower() in str(e).lower()
    assert str(p) in str(e)


def test_overlapping_terms(tmp_path: Path) -> None:
    text = (
        GOOD + "- {id: rudolf-vi, name: Rudolf VI, roles: [{title: king, of: ruritania, from: 2024-01-01}]}\n"
    )
    with pytest.raises(ConfigError) as err:
        load_gazetteer(_write(tmp_path, text), disk_cache=False)
    assert "overlaps" in str(err.value)
    assert "rudolf-vi" in str(err.value)
    assert err.value.field == "roles[0].from"
    assert err.value.line == 9


def test_duplicate_id_and_key(tmp_path: Path) -> None:
    text = GOOD + "- {id: rudolf-v, name: Rudolf the Second, affiliation: ruritania}\n"
    with pytest.raises(ConfigError, match="duplicate id"):
        load_gazetteer(_write(tmp_path, text), disk_cache=False)
    text = GOOD + "countries:\n- {id: x, name: X}\n"
    with pytest.raises(ConfigError, match="duplicate key 'countries'") as err:
        load_gazetteer(_write(tmp_path, text, "h.yaml"), disk_cache=False)
    assert err.value.line == 9


def test_person_without_role_or_affiliation(tmp_path: Path) -> None:
    text = GOOD + "- {id: nobody, name: No Body}\n"
    with pytest.raises(ConfigError, match="role or an affiliation") as err:
        load_gazetteer(_write(tmp_path, text), disk_cache=False)
    assert err.value.line == 9


def test_extra_files_add_and_replace(tmp_path: Path) -> None:
    extra = _write(
        tmp_path,
        """\
        people:
        - id: vladimir-putin
          name: Vladimir Putin
          aliases: [VVP]
          roles: [{title: president, of: russia, from: 2012-05-07}]
        - {id: ivan-testov, name: Ivan Testov, affiliation: russia}
        """,
        "extra.yaml",
    )
    g = load_gazetteer(extra=[extra], disk_cache=False)
    assert g.by_alias("VVP")[0].id == "vladimir-putin"
    assert g.by_alias("Testov")[0].id == "ivan-testov"
    assert len(g) == len(load_gazetteer(disk_cache=False)) + 1


def test_disk_cache_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYLINE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("STORYLINE_NO_CACHE", raising=False)
    p = _write(tmp_path, GOOD)
    first = load_gazetteer(p)
    assert list((tmp_path / "cache").glob("gazetteer-*.pickle"))
    gz._parse_file_cached.cache_clear()
    gz._build_cached.cache_clear()
    second = load_gazetteer(p)
    assert second is not first
    assert second.entries == first.entries
