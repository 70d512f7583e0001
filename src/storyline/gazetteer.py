"""The actor gazetteer: countries, bodies, institutions, places and people, with dated roles.

It canonicalizes the names news articles give one actor ("Putin", "Vladimir Putin", "the
Russian president", "the Kremlin chief") by three kinds of look-up:

* ``by_alias(text)``: a name or spelling (case-, diacritics- and possessive-insensitive:
  "Zelenskyy’s" finds Volodymyr Zelensky);
* ``holder(role_phrase, on)``: who held a role on a date ("German chancellor" on 2025-06-01 is
  Friedrich Merz). Phrases are generated from each role's title and the names and adjectives of
  the country or body it is "of" ("Russian president", "president of Russia", "Russia's
  president", "the Russian leader"), plus the role's explicit ``phrases``;
* ``country(text)`` and ``institution(text)``: a country by name, alias, adjective, demonym or
  capital ("Ukrainian", "Kyiv"); an institution by name ("the Kremlin", "Downing Street").

The data lives in ``data/gazetteer.yaml`` (its schema is documented at the top of that file).
Parsing is cached per process, keyed on path, modification time and size.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import yaml

from .errors import ConfigError

__all__ = [
    "DEFAULT_PATH",
    "ENTRY_TYPES",
    "TITLES",
    "Entry",
    "Gazetteer",
    "Role",
    "Title",
    "load_gazetteer",
    "normalize",
]

DEFAULT_PATH = Path(__file__).parent / "data" / "gazetteer.yaml"

EntryType = Literal["PERSON", "ORG", "GPE", "LOC"]
ENTRY_TYPES: tuple[str, ...] = ("PERSON", "ORG", "GPE", "LOC")

# A section of the file and the type its entries have unless they say otherwise.
SECTIONS: dict[str, str] = {
    "countries": "GPE",
    "bodies": "ORG",
    "institutions": "ORG",
    "places": "LOC",
    "people": "PERSON",
}


_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_STR = "tag:yaml.org,2002:str"
_NULLS = frozenset({"~", "null", "Null", "NULL", ""})
_TRUES = frozenset({"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})
_BOOLS = _TRUES | {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}


class _Yaml(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Composes (never constructs) YAML; plain scalars resolve to null, bool or str only, so dates
    stay strings for the validator. With :func:`_to_python` about twice as fast as ``safe_load``."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                if value in _NULLS:
                    return _NULL
                if value in _BOOLS:
                    return _BOOL
            return _STR
        return "tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map"


# --------------------------------------------------------------------------- titles


@dataclass(frozen=True, kw_only=True, slots=True)
class Title:
    """A kind of role: the words news text uses for it, and whether one holder at a time."""

    id: str
    forms: tuple[str, ...]
    unique: bool = True  # at most one holder per (title, of) at a time


def _t(id_: str, *forms: str, unique: bool = True) -> Title:
    return Title(id=id_, forms=forms, unique=unique)


_TITLE_LIST: tuple[Title, ...] = (
    # heads of state and government
    _t("president", "president"),
    _t("vice-president", "vice president", "vice-president", "VP"),
    _t("prime-minister", "prime minister", "premier", "PM"),
    _t("chancellor", "chancellor"),
    _t("vice-chancellor", "vice chancellor", "vice-chancellor"),
    _t("first-minister", "first minister"),
    _t("king", "king", "monarch"),
    _t("queen", "queen", "monarch"),
    _t("emperor", "emperor", "monarch"),
    _t("emir", "emir", "amir", "ruler"),
    _t("sultan", "sultan", "ruler"),
    _t("grand-duke", "grand duke", "monarch"),
    _t("prince", "prince", "sovereign prince", "monarch"),
    _t("crown-prince", "crown prince"),
    _t("supreme-leader", "supreme leader"),
    _t("pope", "pope", "pontiff", "holy father", "head of the catholic church"),
    _t("chief-adviser", "chief adviser", "chief advisor", "interim leader"),
    _t("general-secretary", "general secretary", "party chief", "party leader"),
    _t("chairman", "chairman", "chair", "chairwoman", "chairperson"),
    _t("co-prince", "co-prince", "co prince", unique=False),
    _t("captain-regent", "captain regent", "captain-regent", unique=False),
    _t("presidency-member", "presidency member", "member of the presidency", unique=False),
    _t("governor-general", "governor-general", "governor general"),
    _t("deputy-prime-minister", "deputy prime minister", "deputy PM", "vice premier", unique=False),
    _t("first-deputy-prime-minister", "first deputy prime minister", "first deputy PM"),
    _t("speaker", "speaker", "parliament speaker", "parliamentary speaker"),
    # ministers
    _t(
        "foreign-minister",
        "foreign minister",
        "minister of foreign affairs",
        "foreign affairs minister",
        "top diplomat",
        "chief diplomat",
    ),
    _t("foreign-secretary", "foreign secretary", "foreign minister", "top diplomat", "chief diplomat"),
    _t("secretary-of-state", "secretary of state", "top diplomat", "chief diplomat"),
    _t(
        "defence-minister",
        "defence minister",
        "defense minister",
        "minister of defence",
        "minister of defense",
        "defence chief",
        "defense chief",
    ),
    _t("defence-secretary", "defence secretary", "defense secretary", "defence minister", "defence chief"),
    _t(
        "secretary-of-defense",
        "defense secretary",
        "secretary of defense",
        "defence secretary",
        "defense chief",
        "secretary of war",
        "war secretary",
    ),
    _t("secretary-of-the-army", "army secretary", "secretary of the army"),
    _t("interior-minister", "interior minister", "minister of internal affairs", "home minister"),
    _t("finance-minister", "finance minister", "minister of finance"),
    _t("minister", "minister", unique=False),
    _t("deputy-foreign-minister", "deputy foreign minister", unique=False),
    # officials, aides, envoys
    _t("spokesperson", "spokesperson", "spokesman", "spokeswoman", "press secretary"),
    _t("rotating-spokesperson", "spokesperson", "spokesman", "spokeswoman", unique=False),
    _t("press-secretary", "press secretary", "spokesperson", "spokeswoman", "spokesman"),
    _t("national-security-adviser", "national security adviser", "national security advisor"),
    _t("chief-of-staff", "chief of staff"),
    _t("head-of-office", "head of the presidential office", "presidential chief of staff", "chief of staff"),
    _t("aide", "aide", "adviser", "advisor", unique=False),
    _t("adviser", "adviser", "advisor", unique=False),
    _t("envoy", "envoy", "special envoy", "special representative", unique=False),
    _t("negotiator", "negotiator", "chief negotiator", unique=False),
    _t("secretary", "secretary"),
    _t("deputy-chairman", "deputy chairman", "deputy head", "deputy chair"),
    _t("ambassador", "ambassador", "envoy", unique=False),
    # heads of bodies and agencies
    _t("secretary-general", "secretary-general", "secretary general", "chief", "head"),
    _t(
        "high-representative", "high representative", "foreign policy chief", "top diplomat", "chief diplomat"
    ),
    _t("director-general", "director-general", "director general", "chief", "head"),
    _t("managing-director", "managing director", "chief", "head"),
    _t("director", "director", "chief", "head"),
    _t("head", "head", "chief", "leader"),
    _t("prosecutor", "prosecutor", "chief prosecutor"),
    _t("commissioner", "commissioner", unique=False),
    # the military
    _t("commander-in-chief", "commander-in-chief", "commander in chief", "top commander", "army chief"),
    _t("chief-of-general-staff", "chief of the general staff", "chief of general staff", "army chief"),
    _t("chief-of-defence-staff", "chief of the defence staff", "chief of defence staff", "military chief"),
    _t(
        "chairman-joint-chiefs",
        "chairman of the joint chiefs of staff",
        "top general",
        "top military officer",
    ),
    _t("commander", "commander", unique=False),
)
TITLES: dict[str, Title] = {t.id: t for t in _TITLE_LIST}


# --------------------------------------------------------------------------- model


@dataclass(frozen=True, kw_only=True, slots=True)
class Role:
    """A post held by a person: ``title`` of ``of`` (an entry id) from ``start`` to ``end``.

    ``end`` is exclusive and ``None`` while the post is held. ``approx`` marks dates known only
    roughly; ``acting`` an acting or interim holder.
    """

    title: str
    of: str
    start: date
    end: date | None = None
    phrases: tuple[str, ...] = ()
    approx: bool = False
    acting: bool = False
    note: str = ""

    def active(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on < self.end)


@dataclass(frozen=True, kw_only=True, slots=True)
class Entry:
    """One actor. ``type`` is PERSON, ORG, GPE or LOC."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    surname: str | None = None
    roles: tuple[Role, ...] = ()
    affiliation: str | None = None
    wikidata: str | None = None
    # countries (GPE)
    adjectives: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capital: str | None = None
    capital_aliases: tuple[str, ...] = ()
    iso: str | None = None
    leader: tuple[str, ...] = ()  # titles that are "the X leader" (the executive)
    # bodies and institutions (ORG)
    stands_for: str | None = None  # title of the affiliation's post the institution stands for
    members: tuple[str, ...] = ()
    note: str = ""
    source: str = ""  # the file the entry was read from

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name, then the aliases."""
        return (self.name, *self.aliases)

    def roles_on(self, on: date) -> tuple[Role, ...]:
        return tuple(r for r in self.roles if r.active(on))


# --------------------------------------------------------------------------- normalization

_CHAR_MAP = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "`": "'",
        "\u2032": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ß": "ss",
        "ħ": "h",
    }
)
_DROP = re.compile(r"[.\"“”«»()\[\]]")
_SPACE = re.compile(r"[\s\-/_,;:]+")
_POSSESSIVE = re.compile(r"(?:'s|(?<=s)')$")


@functools.lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """A look-up key: no diacritics, casefolded, no dots, hyphens as spaces, no leading "the",
    no trailing possessive ("Zelenskyy’s" → "zelenskyy", "the U.S." → "us")."""
    if text.isascii():
        s = text.lower()
    else:
        s = unicodedata.normalize("NFKD", text.translate(_CHAR_MAP))
        if not s.isascii():
            s = "".join(c for c in s if not unicodedata.combining(c))
        s = s.casefold()
    s = _DROP.sub("", s)
    s = _SPACE.sub(" ", s).strip(" '")
    s = _POSSESSIVE.sub("", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


# --------------------------------------------------------------------------- the gazetteer

_HEAD_WORDS = frozenset({"chief", "head", "leader"})
_Holding = tuple[Entry, Role]


@dataclass(frozen=True, kw_only=True, slots=True, eq=False)
class Gazetteer:
    """Entries and their look-up indexes. Build with :meth:`build` or :func:`load_gazetteer`.

    Role phrases are not enumerated: ``holder`` parses a phrase into a modifier or name ("Russian",
    "NATO", "Ukraine") and a title form ("president", "foreign minister", "chief"), in the shapes
    "<modifier> <form>", "<form> of <name>" and "<name>'s <form>", and also looks it up among the
    roles' explicit ``phrases``.
    """

    entries: tuple[Entry, ...]
    _by_id: dict[str, Entry] = field(default_factory=dict, repr=False)
    _aliases: dict[str, tuple[Entry, ...]] = field(default_factory=dict, repr=False)
    _countries: dict[str, Entry] = field(default_factory=dict, repr=False)
    _institutions: dict[str, Entry] = field(default_factory=dict, repr=False)
    _explicit: dict[str, tuple[_Holding, ...]] = field(default_factory=dict, repr=False)
    _mods: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)  # "russian" → russia
    _names: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)  # "russia" → russia
    _stands: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict, repr=False)
    _forms: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)  # form → titles
    _posts: dict[tuple[str, str], tuple[_Holding, ...]] = field(default_factory=dict, repr=False)

    # -- construction

    @classmethod
    def build(cls, entries: Iterable[Entry]) -> Gazetteer:
        ents = tuple(entries)
        by_id = {e.id: e for e in ents}
        aliases: dict[str, list[Entry]] = {}
        countries: dict[str, tuple[int, Entry]] = {}
        institutions: dict[str, Entry] = {}
        explicit: dict[str, list[_Holding]] = {}
        mods: dict[str, list[str]] = {}
        names: dict[str, list[str]] = {}
        stands: dict[str, list[tuple[str, str]]] = {}
        posts: dict[tuple[str, str], list[_Holding]] = {}

        def add(index: dict[str, list[Any]], key: str, value: Any) -> None:
            k = normalize(key)
            if k:
                lst = index.setdefault(k, [])
                if value not in lst:
                    lst.append(value)

        for e in ents:
            for n in e.names:
                add(aliases, n, e)
            if e.surname:
                add(aliases, e.surname, e)
            if e.type == "GPE":
                # rank: name/aliases 0, adjectives 1, demonyms 2, capital 3 (lower wins)
                for rank, keys in enumerate(
                    (e.names, e.adjectives, e.demonyms, (e.capital or "", *e.capital_aliases))
                ):
                    for key in keys:
                        k = normalize(key)
                        if k and (k not in countries or countries[k][0] > rank):
                            countries[k] = (rank, e)
                for a in e.adjectives:
                    add(mods, a, e.id)
            if e.type in ("GPE", "ORG"):
                for n in e.names:
                    add(names, n, e.id)
            if e.type == "ORG":
                for n in e.names:
                    add(mods, n, e.id)
                if e.affiliation:
                    for n in e.names:
                        institutions.setdefault(normalize(n), e)
                    if e.stands_for:
                        for n in e.names:
                            add(stands, n, (e.affiliation, e.stands_for))
            for r in e.roles:
                posts.setdefault((r.of, r.title), []).append((e, r))
                for p in r.phrases:
                    add(explicit, p, (e, r))

        forms: dict[str, set[str]] = {}
        for t in TITLES.values():
            for f in t.forms:
                forms.setdefault(normalize(f), set()).add(t.id)

        return cls(
            entries=ents,
            _by_id=by_id,
            _aliases={k: tuple(v) for k, v in aliases.items()},
            _countries={k: v[1] for k, v in countries.items()},
            _institutions=institutions,
            _explicit={k: tuple(v) for k, v in explicit.items()},
            _mods={k: tuple(v) for k, v in mods.items()},
            _names={k: tuple(v) for k, v in names.items()},
            _stands={k: tuple(v) for k, v in stands.items()},
            _forms={k: frozenset(v) for k, v in forms.items()},
            _posts={k: tuple(v) for k, v in posts.items()},
        )

    # -- access

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def __getitem__(self, entry_id: str) -> Entry:
        return self._by_id[entry_id]

    def of_type(self, type_: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.type == type_)

    # -- look-ups

    def by_alias(self, text: str) -> list[Entry]:
        """Entries one of whose names, aliases or (people) surname is ``text``."""
        return list(self._aliases.get(normalize(text), ()))

    def role_holdings(self, role_phrase: str) -> list[tuple[Entry, Role]]:
        """Every (person, role) a phrase can name, at any date."""
        s = normalize(role_phrase)
        out: dict[tuple[str, int], _Holding] = {}

        def take(holdings: Iterable[_Holding]) -> None:
            for e, r in holdings:
                out.setdefault((e.id, id(r)), (e, r))

        take(self._explicit.get(s, ()))
        for target, form in self._split(s):
            take(self._match(target, form))
        return list(out.values())

    def holders(self, role_phrase: str, on: date) -> list[tuple[Entry, Role]]:
        """Everyone holding a role that ``role_phrase`` names on ``on``, non-acting first."""
        if isinstance(on, datetime):
            on = on.date()
        found = [(e, r) for e, r in self.role_holdings(role_phrase) if r.active(on)]
        found.sort(key=lambda er: er[1].acting)
        return found

    def holder(self, role_phrase: str, on: date) -> Entry | None:
        """Who held the role ``role_phrase`` names ("Russian president", "the NATO chief") on ``on``.

        ``None`` if no one did. If several did (a non-unique title like "Kremlin aide", or a
        country with two executive titles), the first non-acting one; see :meth:`holders`.
        """
        found = self.holders(role_phrase, on)
        return found[0][0] if found else None

    def history(self, title: str, of: str) -> list[tuple[Entry, Role]]:
        """Everyone who held ``title`` of ``of`` (entry ids), by start date."""
        return sorted(self._posts.get((of, title), ()), key=lambda er: er[1].start)

    def phrases_for(self, role: Role) -> list[str]:
        """Typical phrases naming ``role`` (its explicit phrases, then generated ones); a sample for
        display and tests, every one of which ``holder`` understands."""
        return _role_phrases(role, self._by_id.get(role.of), self.entries)

    def country(self, text: str) -> Entry | None:
        """A country by name, alias, adjective, demonym or capital ("Ukrainian", "Kyiv")."""
        return self._countries.get(normalize(text))

    def institution(self, text: str) -> Entry | None:
        """An organization affiliated to a country or body by one of its names ("the Kremlin")."""
        return self._institutions.get(normalize(text))

    def institution_holder(self, text: str, on: date) -> Entry | None:
        """The person an institution stands for on a date ("the Kremlin" → the Russian president)."""
        inst = self.institution(text)
        if inst is None or inst.stands_for is None or inst.affiliation is None:
            return None
        for e, r in self._posts.get((inst.affiliation, inst.stands_for), ()):
            if r.active(on):
                return e
        return None

    # -- phrase parsing

    @staticmethod
    def _split(s: str) -> Iterator[tuple[tuple[str, str], str]]:
        """(("mod"|"name", key), form) readings of a normalized phrase."""
        tokens = s.split(" ")
        for i in range(1, len(tokens)):
            yield ("mod", " ".join(tokens[:i])), " ".join(tokens[i:])
        for i, tok in enumerate(tokens):
            if tok == "of" and 0 < i < len(tokens) - 1:
                name = " ".join(tokens[i + 1 :])
                yield ("name", name[4:] if name.startswith("the ") else name), " ".join(tokens[:i])
            if tok.endswith("'s") and i < len(tokens) - 1:
                yield ("name", " ".join([*tokens[:i], tok[:-2]])), " ".join(tokens[i + 1 :])

    def _match(self, target: tuple[str, str], form: str) -> Iterator[_Holding]:
        kind, key = target
        ids = self._mods.get(key, ()) if kind == "mod" else self._names.get(key, ())
        titles = self._forms.get(form, frozenset())
        for of in ids:
            wanted = set(titles)
            ent = self._by_id[of]
            if form in _HEAD_WORDS and (form == "leader" or ent.type == "ORG"):
                wanted.update(ent.leader)  # "the Russian leader", "the NATO chief"
            for t in wanted:
                yield from self._posts.get((of, t), ())
        if form in _HEAD_WORDS:  # "the Kremlin chief", "the Pentagon chief"
            for of, t in self._stands.get(key, ()):
                yield from self._posts.get((of, t), ())


def _bare(names: Iterable[str]) -> list[str]:
    """Names without a leading "the", one per normalized form."""
    out: dict[str, str] = {}
    for n in names:
        bare = n[4:] if n.lower().startswith("the ") else n
        out.setdefault(normalize(bare), bare)
    return list(out.values())


def _role_phrases(r: Role, of: Entry | None, ents: Iterable[Entry]) -> list[str]:
    out = list(r.phrases)
    if of is None:
        return out
    title = TITLES[r.title]
    forms = list(title.forms)
    if of.type == "GPE":
        mods = list(of.adjectives)
        if r.title in of.leader:
            forms.append("leader")
    else:
        mods = _bare(of.names)
        if r.title in of.leader:
            forms += sorted(_HEAD_WORDS)
    names = _bare(of.names)
    for f in forms:
        out += [f"{m} {f}" for m in mods]
        out += [f"{f} of {n}" for n in names]
        out += [f"{n}'s {f}" for n in names]
    for inst in ents:
        if inst.stands_for == r.title and inst.affiliation == r.of:
            out += [f"{n} {w}" for n in _bare(inst.names) for w in sorted(_HEAD_WORDS)]
    return out


# --------------------------------------------------------------------------- loading

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_ISO = re.compile(r"^[A-Z]{2}$")

_COMMON_FIELDS = {"id", "name", "type", "aliases", "wikidata", "note", "affiliation"}
_FIELDS: dict[str, set[str]] = {
    "GPE": _COMMON_FIELDS
    | {"adjectives", "demonyms", "capital", "capital_aliases", "iso", "leader", "members", "roles"},
    "ORG": _COMMON_FIELDS | {"stands_for", "members", "leader", "adjectives", "roles"},
    "LOC": _COMMON_FIELDS | {"adjectives"},
    "PERSON": _COMMON_FIELDS | {"surname", "roles"},
}
_ROLE_FIELDS = {"title", "of", "from", "to", "phrases", "approx", "acting", "note"}


class _Problem(Exception):
    def __init__(
        self,
        problem: str,
        *,
        section: str,
        index: int,
        entry: str | None,
        field: str | None,
        role: int | None = None,
    ) -> None:
        super().__init__(problem)
        self.problem = problem
        self.section = section
        self.index = index
        self.entry = entry
        self.field = field
        self.role = role


def load_gazetteer(
    path: Path | None = None, *, extra: Iterable[Path] = (), disk_cache: bool = True
) -> Gazetteer:
    """Load the shipped gazetteer (or ``path``), then ``extra`` files on top of it.

    An extra file has the same layout; its entries are added, and one whose ``id`` is already
    known replaces the earlier entry. Raises :class:`ConfigError` naming file, line and field.

    Results are cached per process (keyed on each file's path, mtime and size). With
    ``disk_cache`` the validated entries of each file are also kept between processes, as a pickle
    in ``$STORYLINE_CACHE_DIR`` (default ``$XDG_CACHE_HOME/storyline`` or ``~/.cache/storyline``)
    named by a hash of the file's bytes and of this module's source, so any change to either
    invalidates it; ``STORYLINE_NO_CACHE=1`` turns it off. A cache that cannot be read or written
    is ignored.
    """
    paths = [Path(path) if path is not None else DEFAULT_PATH, *(Path(p) for p in extra)]
    keys = tuple(_file_key(p) for p in paths)
    return _build_cached(keys, disk_cache and not os.environ.get("STORYLINE_NO_CACHE"))


def _file_key(p: Path) -> tuple[str, int, int]:
    try:
        st = p.stat()
    except OSError as exc:
        raise ConfigError(str(p), f"cannot read gazetteer: {exc.strerror or exc}") from exc
    return (str(p), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=16)
def _build_cached(keys: tuple[tuple[str, int, int], ...], disk_cache: bool) -> Gazetteer:
    merged: dict[str, Entry] = {}
    for key in keys:
        for e in _parse_file_cached(key, disk_cache):
            merged[e.id] = e
    entries = tuple(merged.values())
    _check_references(entries, keys)
    return Gazetteer.build(entries)


@functools.lru_cache(maxsize=32)
def _parse_file_cached(key: tuple[str, int, int], disk_cache: bool) -> tuple[Entry, ...]:
    path = Path(key[0])
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), f"cannot read gazetteer: {exc}") from exc
    cache_file = _cache_file(str(path), data) if disk_cache else None
    if cache_file is not None:
        try:
            with cache_file.open("rb") as fh:
                cached = pickle.load(fh)
            if isinstance(cached, tuple) and all(isinstance(e, Entry) for e in cached):
                return cached
        except Exception:  # noqa: BLE001 - a missing, stale or broken cache is rebuilt
            pass
    entries = _parse_text(text, str(path))
    if cache_file is not None:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump(entries, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache_file)
        except OSError:
            pass
    return entries


def _cache_file(where: str, data: bytes) -> Path | None:
    base = os.environ.get("STORYLINE_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (
            os.path.join(xdg, "storyline")
            if xdg
            else os.path.join(os.path.expanduser("~"), ".cache", "storyline")
        )
    h = hashlib.sha256()
    h.update(_code_digest())
    h.update(where.encode("utf-8", "surrogateescape"))
    h.update(data)
    return Path(base) / f"gazetteer-{h.hexdigest()[:32]}.pickle"


@functools.lru_cache(maxsize=1)
def _code_digest() -> bytes:
    try:
        return hashlib.sha256(Path(__file__).read_bytes()).digest()
    except OSError:
        return b"?"


def _parse_text(text: str, where: str) -> tuple[Entry, ...]:
    try:
        root = yaml.compose(text, Loader=_Yaml)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(where, f"malformed YAML: {exc.problem or exc}", line=line) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(where, f"malformed YAML: {exc}") from exc
    try:
        data = _to_python(root) if root is not None else None
    except _DuplicateKey as dup:
        raise ConfigError(where, f"duplicate key {dup.key!r}", line=dup.line, field=dup.key) from None
    try:
        return _parse_data(data, where)
    except _Problem as p:
        line = _locate(text, p)
        what = f"entry {p.entry!r}" if p.entry else f"{p.section}[{p.index}]"
        raise ConfigError(where, f"{what}: {p.problem}", line=line, field=p.field) from None


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int) -> None:
        super().__init__(key)
        self.key = key
        self.line = line


def _to_python(node: yaml.Node) -> Any:
    """A composed node as plain data (str, bool, None, list, dict); duplicate keys are errors."""
    cls = node.__class__
    if cls is yaml.ScalarNode:
        tag = node.tag
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return node.value in _TRUES
        return node.value
    if cls is yaml.SequenceNode:
        return [_to_python(n) for n in node.value]
    out = {k.value: _to_python(v) for k, v in node.value}
    if len(out) != len(node.value):
        seen: set[Any] = set()
        for k, _ in node.value:
            if k.value in seen:
                raise _DuplicateKey(str(k.value), k.start_mark.line + 1)
            seen.add(k.value)
    return out


def _parse_data(data: Any, where: str) -> tuple[Entry, ...]:
    if data is None:
        return ()
    if not isinstance(data, dict):
        raise _Problem("the file must be a mapping of sections", section="", index=-1, entry=None, field=None)
    out: list[Entry] = []
    seen: set[str] = set()
    for section, items in data.items():
        if section == "version":
            continue
        if section not in SECTIONS:
            raise _Problem(
                f"unknown section {section!r} (expected one of {', '.join(SECTIONS)})",
                section=str(section),
                index=-1,
                entry=None,
                field=str(section),
            )
        if items is None:
            continue
        if not isinstance(items, list):
            raise _Problem(
                "a section must be a list of entries", section=section, index=-1, entry=None, field=section
            )
        for i, raw in enumerate(items):
            e = _parse_entry(raw, section, i, where)
            if e.id in seen:
                raise _Problem(f"duplicate id {e.id!r}", section=section, index=i, entry=e.id, field="id")
            seen.add(e.id)
            out.append(e)
    return tuple(out)


def _parse_entry(raw: Any, section: str, i: int, where: str) -> Entry:
    def bad(problem: str, fld: str | None, role: int | None = None) -> _Problem:
        eid = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        return _Problem(problem, section=section, index=i, entry=eid, field=fld, role=role)

    if not isinstance(raw, dict):
        raise bad("an entry must be a mapping", None)
    for req in ("id", "name"):
        if req not in raw:
            raise bad(f"missing required field {req!r}", req)
    eid = raw["id"]
    if not isinstance(eid, str) or not _ID.match(eid):
        raise bad(f"id must be a lowercase slug like 'vladimir-putin', not {eid!r}", "id")
    type_ = raw.get("type", SECTIONS[section])
    if type_ not in ENTRY_TYPES:
        raise bad(f"type must be one of {', '.join(ENTRY_TYPES)}, not {type_!r}", "type")
    unknown = set(raw) - _FIELDS[type_]
    if unknown:
        raise bad(
            f"unknown field(s) for a {type_}: {', '.join(sorted(map(str, unknown)))}",
            sorted(map(str, unknown))[0],
        )

    def s(fld: str, required: bool = False) -> str | None:
        v = raw.get(fld)
        if v is None:
            if required:
                raise bad(f"{fld} is required", fld)
            return None
        if not isinstance(v, str) or not v.strip():
            raise bad(f"{fld} must be a non-empty string, not {v!r}", fld)
        return v.strip()

    def strs(fld: str) -> tuple[str, ...]:
        v = raw.get(fld)
        if v is None:
            return ()
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            raise bad(f"{fld} must be a list of non-empty strings", fld)
        return tuple(x.strip() for x in v)

    name = s("name", True)
    assert name is not None
    wikidata = s("wikidata")
    if wikidata is not None and not _QID.match(wikidata):
        raise bad(f"wikidata must be a Q-id like 'Q7747', not {wikidata!r}", "wikidata")
    iso = s("iso")
    if iso is not None and not _ISO.match(iso):
        raise bad(f"iso must be a two-letter ISO 3166 code, not {iso!r}", "iso")
    for ref in ("affiliation", "stands_for"):
        v = s(ref)
        if v is not None and ref == "affiliation" and not _ID.match(v):
            raise bad(f"{ref} must be an entry id, not {v!r}", ref)
    stands_for = s("stands_for")
    if stands_for is not None and stands_for not in TITLES:
        raise bad(f"stands_for must be a known title, not {stands_for!r}", "stands_for")
    leader = strs("leader")
    for t in leader:
        if t not in TITLES:
            raise bad(f"leader must name known titles, not {t!r}", "leader")
    surname = s("surname") if "surname" in raw else None
    if "surname" not in raw and type_ == "PERSON":
        surname = _default_surname(name)

    roles: list[Role] = []
    raw_roles = raw.get("roles") or []
    if not isinstance(raw_roles, list):
        raise bad("roles must be a list", "roles")
    for j, rr in enumerate(raw_roles):
        roles.append(_parse_role(rr, bad, j))

    return Entry(
        id=eid,
        name=name,
        type=type_,
        aliases=strs("aliases"),
        surname=surname,
        roles=tuple(roles),
        affiliation=s("affiliation"),
        wikidata=wikidata,
        adjectives=strs("adjectives"),
        demonyms=strs("demonyms"),
        capital=s("capital"),
        capital_aliases=strs("capital_aliases"),
        iso=iso,
        leader=leader or (("president",) if type_ == "GPE" else ()),
        stands_for=stands_for,
        members=strs("members"),
        note=s("note") or "",
        source=where,
    )


_PARTICLES = {"bin", "al", "de", "van", "von", "der", "da", "la", "le", "du", "dos", "do", "y", "ibn", "el"}


def _default_surname(name: str) -> str | None:
    """The last word of a Western-order name ("Vladimir Putin" → "Putin"); ``None`` for one word."""
    parts = name.split()
    if len(parts) < 2:
        return None
    last = parts[-1]
    if last.lower().rstrip(".") in {"jr", "sr", "ii", "iii"} and len(parts) > 2:
        last = parts[-2]
    return None if last.lower() in _PARTICLES else last


def _parse_role(rr: Any, bad: Any, j: int) -> Role:
    def fld(name: str) -> str:
        return f"roles[{j}].{name}"

    if not isinstance(rr, dict):
        raise bad("a role must be a mapping", f"roles[{j}]", j)
    unknown = set(rr) - _ROLE_FIELDS
    if unknown:
        raise bad(
            f"unknown role field(s): {', '.join(sorted(map(str, unknown)))}",
            fld(sorted(map(str, unknown))[0]),
            j,
        )
    title = rr.get("title")
    if not isinstance(title, str) or title not in TITLES:
        raise bad(f"unknown title {title!r} (see gazetteer.TITLES)", fld("title"), j)
    of = rr.get("of")
    if not isinstance(of, str) or not _ID.match(of):
        raise bad(f"'of' must be an entry id, not {of!r}", fld("of"), j)
    start = _date(rr.get("from"))
    if start is None:
        raise bad(f"'from' must be a date YYYY-MM-DD, not {rr.get('from')!r}", fld("from"), j)
    end = None
    if rr.get("to") is not None:
        end = _date(rr.get("to"))
        if end is None:
            raise bad(f"'to' must be a date YYYY-MM-DD or null, not {rr.get('to')!r}", fld("to"), j)
        if end < start:
            raise bad(f"'to' ({end}) is before 'from' ({start})", fld("to"), j)
    phrases = rr.get("phrases") or []
    if isinstance(phrases, str):
        phrases = [phrases]
    if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
        raise bad("phrases must be a list of non-empty strings", fld("phrases"), j)
    for flag in ("approx", "acting"):
        if flag in rr and not isinstance(rr[flag], bool):
            raise bad(f"{flag} must be true or false", fld(flag), j)
    note = rr.get("note") or ""
    if not isinstance(note, str):
        raise bad("note must be a string", fld("note"), j)
    return Role(
        title=title,
        of=of,
        start=start,
        end=end,
        phrases=tuple(p.strip() for p in phrases),
        approx=bool(rr.get("approx", False)),
        acting=bool(rr.get("acting", False)),
        note=note,
    )


def _date(v: Any) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        try:
            return date.fromisoformat(v.strip())
        except ValueError:
            return None
    return None


def _check_references(entries: tuple[Entry, ...], keys: tuple[tuple[str, int, int], ...]) -> None:
    """Cross-entry checks: references exist, persons have a role or affiliation, no overlaps."""
    by_id = {e.id: e for e in entries}

    def fail(e: Entry, problem: str, fld: str | None, role: int | None = None) -> None:
        p = _Problem(problem, section="", index=-1, entry=e.id, field=fld, role=role)
        line = None
        try:
            line = _locate(Path(e.source).read_text(encoding="utf-8"), p)
        except OSError:
            pass
        raise ConfigError(e.source, f"entry {e.id!r}: {problem}", line=line, field=fld)

    spans: dict[tuple[str, str], list[tuple[Entry, Role]]] = {}
    for e in entries:
        if e.affiliation is not None and e.affiliation not in by_id:
            fail(e, f"affiliation {e.affiliation!r} is not a known entry id", "affiliation")
        if e.type == "PERSON" and not e.roles and e.affiliation is None:
            fail(e, "a person needs at least one role or an affiliation", "roles")
        for j, r in enumerate(e.roles):
            target = by_id.get(r.of)
            if target is None:
                fail(e, f"role 'of' {r.of!r} is not a known entry id", f"roles[{j}].of", j)
            elif target.type not in ("GPE", "ORG"):
                fail(
                    e,
                    f"role 'of' {r.of!r} is a {target.type}, not a country or organization",
                    f"roles[{j}].of",
                    j,
                )
            if TITLES[r.title].unique:
                spans.setdefault((r.title, r.of), []).append((e, r))
    for (title, of), lst in spans.items():
        lst.sort(key=lambda er: er[1].start)
        for (e1, r1), (e2, r2) in zip(lst, lst[1:], strict=False):
            if r1.end is None or r1.end > r2.start:
                j = e2.roles.index(r2)
                fail(
                    e2,
                    f"{title} of {of} from {r2.start} overlaps {e1.id} ({r1.start}..{r1.end or ''})",
                    f"roles[{j}].from",
                    j,
                )


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _locate(text: str, p: _Problem) -> int | None:
    """The 1-based line of the entry (or its field) a problem is about, by composing the YAML."""
    try:
        root = yaml.compose(text, Loader=_Yaml)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return 1
    for knode, vnode in root.value:
        if p.section and knode.value != p.section:
            continue
        if p.index < 0 and not p.entry:
            return _line(knode)
        if not isinstance(vnode, yaml.SequenceNode):
            continue
        for i, item in enumerate(vnode.value):
            if not isinstance(item, yaml.MappingNode):
                if i == p.index:
                    return _line(item)
                continue
            fields = {k.value: v for k, v in item.value}
            idn = fields.get("id")
            if (p.entry and idn is not None and idn.value == p.entry) or (not p.entry and i == p.index):
                return _field_line(item, p) or _line(item)
    return None


def _field_line(item: yaml.MappingNode, p: _Problem) -> int | None:
    if not p.field:
        return None
    fname = p.field.split("[")[0].split(".")[0]
    for k, v in item.value:
        if k.value != fname:
            continue
        if p.role is not None and isinstance(v, yaml.SequenceNode) and p.role < len(v.value):
            role = v.value[p.role]
            sub = p.field.split(".", 1)[1] if "." in p.field else None
            if sub and isinstance(role, yaml.MappingNode):
                for rk, rv in role.value:
                    if rk.value == sub:
                        return _line(rv)
            return _line(role)
        return _line(v) if isinstance(v, yaml.ScalarNode) else _line(k)
    return None
