"""Corpus-level actors: every mention of one person or organisation gets one canonical actor.

:func:`link_actors` (batch) and :meth:`ActorIndex.add` (incremental; the batch is a sequence of
adds, and adding articles in any order gives the same index) resolve each mention found by
:func:`storyline.analyze.entities.find_mentions`, in this order:

1. **overrides** (:mod:`storyline.overrides`): a merged name goes to its ``into`` actor; a split
   mention to its new actor;
2. **demonyms** (NORP, "Ukrainian") are not actors: their country becomes the mention's
   *affiliation* (:meth:`ActorIndex.affiliation_of`);
3. **gazetteer**: the mention's ``entity_hint``; a title ("the Russian president") resolved by
   ``gazetteer.holder(role, published)`` on the article's date (without a date it stays
   *unresolved* until :meth:`ActorIndex.add` is called again with one); a name by alias,
   capital (→ its country) or institution. Gazetteer actors have the gazetteer id as id and its
   affiliation ("the Kremlin" → ``russia``);
4. **unknown names**, merged conservatively: the same normalized full key and type is one actor
   (a name of two words or more written like a person's is one actor whether tagged PERSON or ORG:
   :func:`name_id`);
   a lone surname joins a full name only when exactly one unknown full PERSON name in the whole
   corpus ends with it (two "Smith"s: the lone "Smith" stays its own actor). Their ids are
   ``slug(key)-hash6`` of the key and type, so re-analysis gives the same ids.

Work per :meth:`ActorIndex.add` is proportional to the article's mentions plus the lone
surnames sharing a surname with it (never all pairs).
"""

from __future__ import annotations

import hashlib
import logging
import re
import string
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from sys import intern

from ..analyze.entities import _ORG_TYPE_NOUNS, Mention, name_key
from ..gazetteer import Entry, Gazetteer, normalize
from ..meta import is_person_name
from ..overrides import Overrides

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = ["Actor", "ActorIndex", "MentionRef", "actor_id_for", "link_actors"]

MentionRef = tuple[str, int, int]  # (article id, start, end)


@dataclass(frozen=True, kw_only=True, slots=True)
class Actor:
    """A canonical actor. ``affiliation`` is another actor's id (the Kremlin → ``russia``)."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    affiliation: str | None = None


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", normalize(text)).strip("-")
    return s[:60].strip("-") or "actor"


def actor_id_for(key: str, type_: str) -> str:
    """The stable id of an actor known only by its name: ``slug-hash6`` of the key and type."""
    k = normalize(key)
    digest = hashlib.sha1(f"{type_}\x00{k}".encode()).hexdigest()[:6]
    return f"{_slug(k)}-{digest}"


def name_id(key: str, label: str, surface: str) -> str:
    """The id of an unknown name: :func:`actor_id_for` of its key and label, except that a name of
    two words or more written like a person's ("Karin Holmqvist") gets one id whether the model
    tagged it PERSON or ORG in a given article; its type is then the label most mentions carry."""
    # (an acronym standing for a long name, "PAS", says nothing of the name's shape)
    words = key.split()
    if (
        label in ("PERSON", "ORG")
        and len(words) > 1
        and len(surface.split()) > 1
        and is_person_name(surface)
        # "Commerce Ministry", "Central Bank": a body's name, however it is written
        and not (label == "ORG" and (words[0] in _ORG_TYPE_NOUNS or words[-1] in _ORG_TYPE_NOUNS))
    ):
        label = "PERSON"
    return actor_id_for(key, label)


@dataclass(frozen=True, slots=True)
class _Rec:
    """What one mention contributed to the index (kept to undo it when the article is re-added)."""

    ref: MentionRef
    surface: str
    label: str
    actor: str | None = None  # resolved directly
    surname: str | None = None  # a lone unknown surname, resolved corpus-wide
    full: tuple[str, str] | None = None  # (surname, actor id) of an unknown full PERSON name
    affiliation: str | None = None  # a demonym's country
    role: str | None = None  # an unresolved title
    title: Mention | None = None  # a title mention, kept to re-resolve it when the date changes


class ActorIndex:
    """Actors and the mention → actor map of a corpus; grows one article at a time."""

    def __init__(self, *, gazetteer: Gazetteer | None = None, overrides: Overrides | None = None) -> None:
        self.gazetteer = gazetteer
        self.overrides = overrides or Overrides()
        self._merge_into = {
            normalize(n): m.into for m in reversed(self.overrides.merges) for n in (m.into, *m.names)
        }
        self._recs: dict[str, tuple[_Rec, ...]] = {}
        self._direct: dict[MentionRef, str] = {}
        self._pending: dict[MentionRef, str] = {}  # ref -> surname
        self._full: dict[str, Counter[str]] = defaultdict(Counter)  # surname -> unknown full-name actors
        self._affil: dict[MentionRef, str] = {}
        self._unresolved: dict[MentionRef, str] = {}
        self._surfaces: dict[str, Counter[str]] = defaultdict(Counter)
        self._pending_surfaces: dict[str, Counter[str]] = defaultdict(Counter)
        self._labels: dict[str, Counter[str]] = defaultdict(Counter)
        self._names: dict[str, str] = {}  # display names forced by merges and splits
        self._actors_memo: dict[str, Actor] | None = None  # ``actors``, until the next change

    # ------------------------------------------------------------------ building

    def add(self, article_id: str, mentions: Iterable[Mention], published: date | None = None) -> None:
        """Add (or replace) one article's mentions; ``published`` resolves its titles."""
        if isinstance(published, datetime):
            published = published.date()
        self._actors_memo = None
        self.remove(article_id)
        recs = tuple(self._resolve(article_id, m, published) for m in mentions)
        self._recs[article_id] = recs
        for r in recs:
            self._apply(r, +1)

    def set_published(self, article_id: str, published: date | None) -> None:
        """Re-resolve an article's titles for a date learnt later (given, or inferred by linking)."""
        if isinstance(published, datetime):
            published = published.date()
        old = self._recs.get(article_id)
        if old is None:
            return
        self._actors_memo = None
        new = tuple(self._resolve(article_id, r.title, published) if r.title is not None else r for r in old)
        for r in old:
            self._apply(r, -1)
        self._recs[article_id] = new
        for r in new:
            self._apply(r, +1)

    def remove(self, article_id: str) -> None:
        """Forget one article's mentions."""
        self._actors_memo = None
        for r in self._recs.pop(article_id, ()):
            self._apply(r, -1)

    def _apply(self, r: _Rec, sign: int) -> None:
        def bump(counter: Counter[str], key: str) -> None:
            counter[key] += sign
            if counter[key] <= 0:
                del counter[key]

        if r.affiliation is not None:
            if sign > 0:
                self._affil[r.ref] = r.affiliation
            else:
                self._affil.pop(r.ref, None)
        if r.role is not None:
            if sign > 0:
                self._unresolved[r.ref] = r.role
            else:
                self._unresolved.pop(r.ref, None)
        if r.actor is not None:
            if sign > 0:
                self._direct[r.ref] = r.actor
            else:
                self._direct.pop(r.ref, None)
            bump(self._surfaces[r.actor], r.surface)
            bump(self._labels[r.actor], r.label)
        if r.surname is not None:
            if sign > 0:
                self._pending[r.ref] = r.surname
            else:
                self._pending.pop(r.ref, None)
            bump(self._pending_surfaces[r.surname], r.surface)
        if r.full is not None:
            bump(self._full[r.full[0]], r.full[1])

    def _resolve(self, article_id: str, m: Mention, published: date | None) -> _Rec:
        ref = (article_id, m.start, m.end)
        gz = self.gazetteer
        # the strings a record keeps are interned: the same names, labels and ids recur in every
        # article, and the index holds one record per mention of the corpus (docs/scaling.md M41)
        surface, label = intern(m.text), intern(m.label)
        if m.kind == "demonym" or m.label == "NORP":
            country = m.entity_hint
            if country is None and gz is not None:
                c = gz.country(m.text)
                country = c.id if c is not None else None
            return _Rec(ref, surface, label, affiliation=_interned(country))
        base = self._base(m, published)
        title = m if m.kind == "title" else None
        if base is None and title is not None:
            return _Rec(ref, surface, label, role=intern(m.role or m.key), title=title)
        full = None
        surname = None
        if base is None:
            words = m.ref_key.split()
            if m.label == "PERSON" and len(words) == 1:
                surname = intern(words[0])
            else:
                base = intern(name_id(m.ref_key, m.label, m.text))
                if m.label == "PERSON" and len(words) > 1:
                    full = (intern(words[-1]), base)
        if base is not None:
            for s in self.overrides.splits_for(article_id, m.start):
                if self._matches(base, s.actor, m.label):
                    base = self._split_id(s.into)
                    self._names[base] = s.into
                    break
        return _Rec(ref, surface, label, actor=_interned(base), surname=surname, full=full, title=title)

    def _base(self, m: Mention, published: date | None) -> str | None:
        """A directly resolvable actor id: override merge, gazetteer hint, title holder, alias."""
        gz = self.gazetteer
        into = self._merge_into.get(normalize(m.ref_key)) or self._merge_into.get(normalize(m.text))
        if into is not None:
            target = self._merge_target(into)
            if gz is None or target not in gz:
                self._names[target] = into
            return target
        if m.entity_hint is not None and (gz is None or m.entity_hint in gz):
            return m.entity_hint
        if gz is None:
            return None
        if m.kind == "title":
            if published is None or not m.role:
                return None
            holder = gz.holder(m.role, published)
            return holder.id if holder is not None else None
        for text in dict.fromkeys((m.ref_key, m.text)):
            entries = gz.by_alias(text)
            typed = [e for e in entries if e.type == m.label] or entries
            if len(typed) == 1:
                return typed[0].id
        if m.label in ("GPE", "LOC"):
            c = gz.country(m.text)
            if c is not None and name_key(m.text, label="GPE") not in {normalize(a) for a in c.adjectives}:
                return c.id
        inst = gz.institution(m.text)
        return inst.id if inst is not None else None

    def _merge_target(self, into: str) -> str:
        """The actor a merge names: the gazetteer's when it knows the name, else one id for the name
        whatever label the model gave each merged mention ("Karin Holmqvist" tagged ORG once)."""
        gz = self.gazetteer
        if gz is not None:
            if into in gz:
                return into
            entries = gz.by_alias(into)
            if len(entries) == 1:
                return entries[0].id
        # the label comes from the name's shape, not from the mentions, so that every mention
        # merged lands on one id (and a person merged into keeps the id it had)
        label = "PERSON" if is_person_name(into) else "ORG"
        return actor_id_for(name_key(into, label=label), label)

    def _split_id(self, into: str) -> str:
        return actor_id_for(f"split {into}", "SPLIT")

    def _matches(self, actor: str, wanted: str, label: str) -> bool:
        """Is ``actor`` the actor an override names (by id or name)? Independent of the order of adds."""
        if actor == wanted:
            return True
        gz = self.gazetteer
        if gz is not None and actor in gz:
            return actor in {e.id for e in gz.by_alias(wanted)}
        if actor in self._names:
            return normalize(self._names[actor]) == normalize(wanted)
        return actor == name_id(name_key(wanted, label=label), label, wanted)

    # ------------------------------------------------------------------ surnames

    def _surname_actor(self, surname: str) -> str:
        """The one unknown full-name actor ending with ``surname``, else the surname's own actor."""
        fulls = [a for a, n in self._full.get(surname, Counter()).items() if n > 0]
        if len(fulls) == 1:
            return fulls[0]
        return actor_id_for(surname, "PERSON")

    # ------------------------------------------------------------------ reading

    def actor_of(self, article_id: str, start: int, end: int) -> str | None:
        """The actor id of a mention, or ``None`` (a demonym, an unresolved title, unknown span)."""
        ref = (article_id, start, end)
        if ref in self._direct:
            return self._direct[ref]
        surname = self._pending.get(ref)
        if surname is None:
            return None
        actor = self._surname_actor(surname)
        for s in self.overrides.splits_for(article_id, start):
            if self._matches(actor, s.actor, "PERSON"):
                return self._split_id(s.into)
        return actor

    def affiliation_of(self, article_id: str, start: int, end: int) -> str | None:
        """The country a demonym mention ("Ukrainian") points to."""
        return self._affil.get((article_id, start, end))

    def party_of(self, article_id: str, start: int, end: int) -> str | None:
        """Who takes part in an event through a mention: its actor, or for a demonym its country
        ("Russian forces attacked …": Russia)."""
        return self.actor_of(article_id, start, end) or self.affiliation_of(article_id, start, end)

    @property
    def assignments(self) -> dict[MentionRef, str]:
        """Every resolved mention → actor id."""
        out = dict(self._direct)
        for ref in self._pending:
            actor = self.actor_of(*ref)
            if actor is not None:
                out[ref] = actor
        return out

    @property
    def affiliations(self) -> dict[MentionRef, str]:
        return dict(self._affil)

    @property
    def unresolved(self) -> dict[MentionRef, str]:
        """Title mentions not resolved yet (no date, or no holder known) → their role phrase."""
        return dict(self._unresolved)

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(self._recs)

    def mention_actors(self, article_id: str) -> list[str]:
        """The actor of each of an article's mentions that has one, in the order its mentions were
        added (the analysis's order): ``actor_of`` of each mention, without the analysis."""
        actor_of = self.actor_of
        return [a for r in self._recs.get(article_id, ()) if (a := actor_of(*r.ref)) is not None]

    def mentions_of(self, actor_id: str) -> list[MentionRef]:
        return sorted(ref for ref, a in self.assignments.items() if a == actor_id)

    @property
    def actors(self) -> dict[str, Actor]:
        """Every actor with at least one mention, plus the affiliations they point to (a new dict
        each time; computed once until the index changes: views ask for it once per row)."""
        if self._actors_memo is None:
            self._actors_memo = self._all_actors()
        return dict(self._actors_memo)

    def _all_actors(self) -> dict[str, Actor]:
        surfaces: dict[str, Counter[str]] = defaultdict(Counter)
        # the most frequent label; a PERSON/ORG tie goes to PERSON (the model takes people for
        # organisations more often than the reverse)
        types: dict[str, str] = {
            a: sorted(c, key=lambda lab: (-c[lab], lab != "PERSON", lab))[0]
            for a, c in self._labels.items()
            if c
        }
        for a, c in self._surfaces.items():
            if c:
                surfaces[a].update(c)
        for surname, c in self._pending_surfaces.items():
            if c:
                a = self._surname_actor(surname)
                surfaces[a].update(c)
                types.setdefault(a, "PERSON")
        for ref, surname in self._pending.items():
            split_actor = self.actor_of(*ref)  # a lone surname moved by a split override
            if split_actor is not None and split_actor not in surfaces:
                surfaces[split_actor].update([surname])
                types.setdefault(split_actor, "PERSON")
        out: dict[str, Actor] = {}
        for a in sorted(surfaces):
            out[a] = self._actor(a, surfaces[a], types.get(a, "PERSON"))
        for a in list(out):
            aff = out[a].affiliation
            while aff is not None and aff not in out and self.gazetteer is not None and aff in self.gazetteer:
                out[aff] = self._actor(aff, Counter(), "GPE")
                aff = out[aff].affiliation
        return {a: self._renamed(out[a]) for a in sorted(out)}

    def get(self, actor_id: str) -> Actor | None:
        if self._actors_memo is None:
            self._actors_memo = self._all_actors()
        return self._actors_memo.get(actor_id)

    def __len__(self) -> int:
        if self._actors_memo is None:
            self._actors_memo = self._all_actors()
        return len(self._actors_memo)

    def _actor(self, actor_id: str, surfaces: Counter[str], type_: str) -> Actor:
        gz = self.gazetteer
        seen = sorted({_clean_surface(s) for s in surfaces})
        entry: Entry | None = gz.get(actor_id) if gz is not None else None
        if entry is not None:
            aliases = tuple(sorted(set(entry.aliases) | {s for s in seen if s != entry.name}))
            return Actor(
                id=actor_id,
                name=entry.name,
                type=entry.type,
                aliases=aliases,
                wikidata=entry.wikidata,
                affiliation=entry.affiliation,
            )
        name = self._names.get(actor_id) or _best_name(surfaces)
        if type_ in ("GPE", "LOC") and name.isupper() and len(name) > 4 and actor_id not in self._names:
            name = string.capwords(name)  # a dateline's "FRANKFURT", never written otherwise: Frankfurt
        return Actor(id=actor_id, name=name, type=type_, aliases=tuple(s for s in seen if s != name))

    def _renamed(self, actor: Actor) -> Actor:
        for r in self.overrides.renames:
            if r.actor == actor.id or normalize(r.actor) == normalize(actor.name):
                aliases = tuple(sorted({*actor.aliases, actor.name} - {r.name}))
                return replace(actor, name=r.name, aliases=aliases)
        return actor


def _interned(s: str | None) -> str | None:
    return None if s is None else intern(s)


def _clean_surface(s: str) -> str:
    return " ".join(s.split())


def _best_name(surfaces: Counter[str]) -> str:
    """The fullest, then most frequent, then alphabetically first surface form (mixed case and
    without a possessive preferred: "Karin Holmqvist" over "KARIN HOLMQVIST" and "Karin Holmqvist’s")."""
    if not surfaces:
        return ""
    cleaned: Counter[str] = Counter()
    for s, n in surfaces.items():
        cleaned[_clean_surface(s)] += n

    def rank(s: str) -> tuple[int, int, int, int, str]:
        return (-len(s.split()), s.isupper() and len(s) > 4, bool(_POSSESSIVE.search(s)), -cleaned[s], s)

    return sorted(cleaned, key=rank)[0]


_POSSESSIVE = re.compile(r"[’'`]s$|s[’']$")


def link_actors(
    mentions_by_article: Mapping[str, Sequence[Mention]],
    *,
    gazetteer: Gazetteer | None,
    published: Mapping[str, date | None],
    overrides: Overrides | None = None,
) -> ActorIndex:
    """Canonical actors for a corpus: one :meth:`ActorIndex.add` per article, in id order."""
    index = ActorIndex(gazetteer=gazetteer, overrides=overrides)
    for article_id in sorted(mentions_by_article):
        index.add(article_id, mentions_by_article[article_id], published.get(article_id))
    return index
