"""A role noun phrase as a speaker ("the Vermont senator said", "the Russian leader insisted"): the person
it refers to is an earlier-named person with that role, never the place or body modifying the role.

The roles of a person are read off the parse around each mention of the name: the title before it ("Sen.
Bernie Sanders", "Russian President Vladimir Putin", "White House spokesman Josh Earnest") and an
apposition ("Bernie Sanders, the Vermont senator,", "the senator from Vermont, Bernie Sanders"). Mentions
of one person are grouped by surname. A role phrase refers to the most recently mentioned person holding
its role; one whose modifiers ("Vermont", "Russian") appear with that person is preferred, one whose place
or nationality words conflict with them ("Texas Sen. Ted Cruz" for "the Vermont senator") is excluded.
Without such a person the phrase stays an unresolved nominal descriptor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from spacy.tokens import Doc, Span, Token

__all__ = ["ROLE_NOUNS", "role_antecedent"]

# head nouns naming a person by the office or job they hold
ROLE_NOUNS = frozenset(
    "senator governor minister president spokesman spokeswoman spokesperson official leader secretary "
    "chancellor premier ambassador envoy mayor congressman congresswoman representative lawmaker legislator "
    "candidate nominee chairman chairwoman chair director chief head general commander admiral king queen "
    "prince pope judge justice prosecutor attorney ceo founder diplomat adviser advisor aide negotiator "
    "dictator strongman businessman billionaire mogul executive speaker host anchor coach".split()
)
# abbreviated titles written before a name
_ABBREVIATIONS = {
    "sen": "senator",
    "rep": "representative",
    "gov": "governor",
    "pres": "president",
    "gen": "general",
    "adm": "admiral",
    "amb": "ambassador",
    "sec": "secretary",
    "atty": "attorney",
    "lt": "lieutenant",
}
# forms of one role
_SAME_ROLE = {
    "spokeswoman": "spokesman",
    "spokesperson": "spokesman",
    "congresswoman": "congressman",
    "advisor": "adviser",
    "chairwoman": "chairman",
    "chair": "chairman",
    "legislator": "lawmaker",
    "premier": "prime",
}
# "the Russian leader" is the country's president, prime minister, chancellor or monarch
_LEADERS = frozenset({"president", "prime", "chancellor", "king", "queen", "dictator", "strongman", "leader"})
_PLACE_LABELS = frozenset({"GPE", "NORP", "LOC"})


def _norm(word: str) -> str:
    low = word.lower().rstrip(".")
    low = _ABBREVIATIONS.get(low, low)
    return _SAME_ROLE.get(low, low)


@dataclass(kw_only=True, slots=True)
class _Person:
    mentions: list[tuple[int, int]] = field(default_factory=list)  # token ranges, in text order
    roles: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)  # every word around the mentions' roles
    places: set[str] = field(default_factory=set)  # place and nationality words among them


def _context_tokens(ent: Span) -> list[Token]:
    """The title before ``ent`` and the apposition around it: the tokens that may name its role."""
    doc = ent.doc
    out: list[Token] = []
    i = ent.start - 1
    while i >= 0 and ent.start - i <= 5:
        t = doc[i]
        if t.is_space or t.pos_ in ("VERB", "AUX", "DET", "ADP", "PRON", "CCONJ", "SCONJ", "NUM"):
            break
        if t.is_punct and t.text not in (".", "-", "’s", "'s"):
            break
        out.append(t)
        i -= 1
    root = ent.root
    comma_after = ent.end < len(doc) and doc[ent.end].text == ","
    for child in root.children:
        # "Bernie Sanders, the Vermont senator, …"
        if child.dep_ == "appos" and child.i >= ent.end and comma_after and child.pos_ == "NOUN":
            out.extend(child.subtree)
    head = root.head
    if root.dep_ == "appos" and head.i < ent.start and head.pos_ == "NOUN" and doc[ent.start - 1].text == ",":
        # "the Vermont senator, Bernie Sanders, …"
        out.extend(doc[head.left_edge.i : head.i + 1])
    return out


def _people(doc: Doc, before: int, tok_quote: Sequence[int]) -> dict[str, _Person]:
    people: dict[str, _Person] = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON" or ent.start >= before or tok_quote[ent.start] >= 0:
            continue
        key = ent[-1].lower_
        person = people.setdefault(key, _Person())
        person.mentions.append((ent.start, ent.end))
        for t in _context_tokens(ent):
            if not t.text.rstrip(".").isalpha():  # "Sen." is a word here
                continue
            word = _norm(t.text)
            if word in ROLE_NOUNS or t.lower_.rstrip(".") in _ABBREVIATIONS or word in _LEADERS:
                person.roles.add(word)
            person.words.add(t.lower_)
            if t.ent_type_ in _PLACE_LABELS:
                person.places.add(t.lower_)
    return people


def _holds(person: _Person, role: str) -> bool:
    if role in person.roles:
        return True
    return role == "leader" and bool(person.roles & _LEADERS)


def role_antecedent(span: Span, tok_quote: Sequence[int]) -> tuple[int, int] | None:
    """The token range of the person the role phrase ``span`` ("the Vermont senator") refers to: the last
    mention before it of a person holding that role; None when its head is no person role or no such person
    was named before it (a nominal descriptor stays unresolved). ``tok_quote`` gives each token's quotation
    index (-1 outside quotations); names inside quotations are not antecedents."""
    root = span.root
    role = _norm(root.lemma_ or root.text)
    if role not in ROLE_NOUNS and role not in _LEADERS:
        return None
    if root.lower_ == "minister" and any(c.lower_ == "prime" for c in root.children):
        role = "prime"
    mods = [c for c in root.children if c.i < root.i and c.dep_ in ("compound", "amod", "nmod")]
    mod_words = {t.lower_ for c in mods for t in c.subtree if t.is_alpha}
    mod_places = {t.lower_ for c in mods for t in c.subtree if t.ent_type_ in _PLACE_LABELS}
    best: tuple[int, int, tuple[int, int]] | None = None
    for person in _people(span.doc, span.start, tok_quote).values():
        if not _holds(person, role):
            continue
        if mod_places and person.places and not (mod_places & person.places):
            continue  # "Texas Sen. Ted Cruz" is not "the Vermont senator"
        last = person.mentions[-1]
        key = (1 if mod_words & person.words else 0, last[0], last)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best is not None else None
