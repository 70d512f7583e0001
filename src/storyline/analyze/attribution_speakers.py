"""Typing the speaker mention of a statement: named, pronoun, nominal, institution, anonymous (with count,
affiliation and descriptor from ``data/anonymous_sources.yaml``) or unknown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from storyline.analyze.attribution_syntax import (
    _DEFINITE,
    _INSTITUTION_WORDS,
    _PRONOUNS,
    _TITLES,
    _subtree_range,
)
from storyline.analyze.cue_lexicon import CueLexicon

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

SpeakerKind = Literal["named", "pronoun", "nominal", "institution", "anonymous", "unknown"]


@dataclass(frozen=True, kw_only=True, slots=True)
class AnonymousSource:
    """An unnamed source: "three sources close to the Kremlin" → count 3, affiliation, descriptor."""

    count: int | None = None
    affiliation: str | None = None
    descriptor: str = ""


def _classify_speaker(span: Span, lex: CueLexicon) -> tuple[SpeakerKind, AnonymousSource | None]:
    if len(span) == 0:
        return "unknown", None
    root = span.root
    low = span.text.lower()
    if any(p in low for p in lex.anonymity_phrases):
        return "anonymous", _anonymous(span, lex)
    if root.pos_ == "PRON" or (
        root.lower_ in _PRONOUNS and not (root.pos_ == "PROPN" and root.text.isupper())
    ):
        return "pronoun", None  # "the US" is no "us"
    ent_labels = {t.ent_type_ for t in span if t.ent_type_}
    head_words = {t.lower_ for t in span if t.i <= root.i}
    if root.ent_type_ == "PERSON":
        return "named", None
    if (root.lemma_.lower() in lex.descriptors or root.lower_ in lex.descriptors) and not any(
        t.pos_ == "PROPN" and t.ent_type_ == "PERSON" for t in span
    ):
        dets = [c for c in root.children if c.dep_ in ("det", "poss") and c.i < root.i]
        definite = any(d.lower_ in _DEFINITE or d.dep_ == "poss" for d in dets)
        if definite and root.lemma_.lower() not in lex.always_anonymous:
            return "nominal", None
        return "anonymous", _anonymous(span, lex)
    if root.pos_ == "PROPN":
        titled = any(t.lower_.rstrip(".") in _TITLES for t in span if t.i < root.i)
        if head_words & _INSTITUTION_WORDS or ent_labels & {"GPE", "NORP", "LOC", "FAC"}:
            if "PERSON" not in ent_labels and not titled:
                return "institution", None
        return "named", None
    if "PERSON" in ent_labels:
        return "named", None
    if root.lower_ in _INSTITUTION_WORDS or root.ent_type_ in ("ORG", "GPE", "NORP"):
        return "institution", None
    if root.pos_ in ("NOUN",):
        return "nominal", None
    return "unknown", None


def _anonymous(span: Span, lex: CueLexicon) -> AnonymousSource:
    root = span.root
    count: int | None = None
    affiliation: list[str] = []
    descriptor_start = root.i
    descriptor_end = root.i + 1
    if partitive_pronoun(root) is not None:  # "one of them", "two of those"
        count = lex.counts.get(root.lower_)
        if count is None and root.text.isdigit():
            count = int(root.text)
    for child in root.children:
        if child.i < root.i:
            low = child.lower_
            if child.dep_ in ("nummod", "det", "quantmod") and count is None:
                if low in lex.counts:
                    count = lex.counts[low]
                elif child.like_num:
                    try:
                        count = int(child.text.replace(",", ""))
                    except ValueError:
                        count = None
            elif child.dep_ in ("amod", "compound"):
                if child.ent_type_ in ("NORP", "GPE", "ORG", "LOC") or child.pos_ == "PROPN":
                    affiliation.append(_doc_text(child))
                elif low not in ("other", "more", "several", "some", "many"):
                    descriptor_start = min(descriptor_start, child.left_edge.i)
        else:
            if child.dep_ == "amod" and child.lower_ in lex.knowledge_adjectives:
                descriptor_end = max(descriptor_end, child.right_edge.i + 1)
            elif partitive_pronoun(root) is not None and child.lower_ == "of":
                continue  # "one of them": the group is an earlier source, not an affiliation
            elif child.dep_ in ("amod", "prep", "acl") and child.lower_ in lex.affiliation_heads:
                affiliation.append(_doc_text(child, subtree=True))
            elif child.dep_ == "prep" and child.lower_ == "with" and descriptor_end == root.i + 1:
                affiliation.append(_doc_text(child, subtree=True))
    doc = root.doc
    descriptor = doc[descriptor_start:descriptor_end].text
    return AnonymousSource(
        count=count, affiliation=" ".join(affiliation) if affiliation else None, descriptor=descriptor
    )


_PARTITIVE_PRONOUNS = frozenset({"them", "those", "these"})


def partitive_pronoun(root: Token) -> Token | None:
    """The pronoun of a part of a group named before: "them" in "one of them", "two of those"."""
    if not (root.like_num or root.lower_ in ("one", "some", "several", "many", "each", "both", "either")):
        return None
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i > root.i:
            for obj in child.children:
                if obj.dep_ == "pobj" and obj.lower_ in _PARTITIVE_PRONOUNS:
                    return obj
    return None


_CLAUSE_DEPS = frozenset({"relcl", "acl", "appos", "advcl", "punct"})


def _doc_text(tok: Token, *, subtree: bool = False) -> str:
    """A token's text, or with ``subtree`` its phrase up to the first clause or comma hanging off it:
    "in Herat", not "in Herat, who spoke on condition of anonymity …"."""
    if not subtree:
        return str(tok.text)
    s, e = _subtree_range(tok)
    for t in tok.subtree:
        if t.i > tok.i and t.dep_ in _CLAUSE_DEPS and t.head.i < t.i:
            e = min(e, t.left_edge.i if t.dep_ != "punct" else t.i)
    while e > s + 1 and tok.doc[e - 1].is_punct:
        e -= 1
    return str(tok.doc[s:e].text)
