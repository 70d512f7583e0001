"""A learned cue detector for verbs the cue lexicon does not know: does this verb report what its subject
said, thought, wants or did to someone (PolNeAR's broad notion of attribution: "signed the legislation",
"offered no proof", "admires Putin as a strong leader")?

The model is a logistic regression over sparse, named features of one verb token and its dependency
neighbourhood (:func:`verb_features`), stored as JSON in ``data/models/attribution_cues.json`` (format
``storyline-attribution-cues/1``: ``bias``, ``threshold``, ``weights`` by feature name, ``meta``) and
reproduced by ``scripts/train_attribution.py`` from the PolNeAR train split. Scoring is a dot product in
plain Python: no scikit-learn at run time.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from storyline.analyze.attribution_syntax import _SUBJ, _find_subject, _source_like
from storyline.analyze.cue_lexicon import CueLexicon

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["MODEL_FORMAT", "CueModel", "load_cue_model", "model_from_data", "noun_features", "verb_features"]

MODEL_FORMAT = "storyline-attribution-cues/1"
MODEL_FILE = "attribution_cues.json"

_CLAUSAL = frozenset({"ccomp", "xcomp", "dobj", "dative", "oprd", "agent", "prt", "advcl", "csubj", "attr"})


def verb_features(tok: Token, *, lex: CueLexicon) -> list[str]:
    """Named features of verb ``tok``: its lemma and tag, its lexicon class, its dependents, its subject."""
    lemma = tok.lemma_.lower()
    entry = lex.verbs.get(lemma)
    feats = [
        f"lemma={lemma}",
        f"tag={tok.tag_}",
        f"dep={tok.dep_}",
        f"class={entry.cls if entry is not None else 'none'}",
        f"head_dep={tok.head.dep_}" if tok.head.i != tok.i else "head_dep=self",
    ]
    head_entry = lex.verbs.get(tok.head.lemma_.lower()) if tok.head.i != tok.i else None
    feats.append(f"head_class={head_entry.cls if head_entry is not None else 'none'}")
    structure: list[str] = []
    for c in tok.children:
        if c.dep_ in _SUBJ:
            continue
        if c.dep_ == "prep":
            feats.append(f"prep={c.lower_}")
            feats.append(f"lemma_prep={lemma}_{c.lower_}")
            if c.i > tok.i:
                structure.append("prep")
        elif c.dep_ == "prt":
            feats.append(f"prt={c.lower_}")
        elif c.dep_ in ("aux", "auxpass", "neg"):
            feats.append(f"aux={c.lower_}" if c.dep_ != "auxpass" else "passive")
        if c.dep_ in _CLAUSAL:
            feats.append(f"child={c.dep_}")
            feats.append(f"lemma_child={lemma}_{c.dep_}")
            structure.append(c.dep_)
            if c.dep_ in ("dobj", "dative"):
                feats.append(f"obj_ent={c.ent_type_ or c.pos_}")
                feats.append(f"obj_src={_source_like(c, lex)}")
                feats.append(f"obj_lemma={c.lemma_.lower()}")
            if c.dep_ == "ccomp":
                feats.append(f"ccomp_subj={any(g.dep_ in _SUBJ for g in c.children)}")
                if any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
                    feats.append("ccomp_that")
    feats.append("struct=" + "+".join(sorted(set(structure)) or ["none"]))
    subj = _find_subject(tok)
    if subj is None:
        feats.append("subj=none")
    else:
        feats.append(f"subj_pos={subj.pos_}")
        feats.append(f"subj_ent={subj.ent_type_ or 'none'}")
        feats.append(f"subj_src={_source_like(subj, lex)}")
        feats.append(f"subj_dep={subj.dep_}")
        if subj.pos_ == "PRON":
            feats.append(f"subj_pron={subj.lower_}")
        elif subj.pos_ == "NOUN":
            feats.append(f"subj_lemma={subj.lemma_.lower()}")
        feats.append(f"lemma_subj_src={lemma}_{_source_like(subj, lex)}")
    return feats


def noun_features(tok: Token, *, lex: CueLexicon) -> list[str]:
    """Named features of noun ``tok`` as a cue ("Trump's decision to …", "her disdain for …"): its lemma,
    its dependents (a possessive holder, prepositions, a that- or to-clause) and its governing verb."""
    lemma = tok.lemma_.lower()
    feats = [
        "pos=NOUN",
        f"nlemma={lemma}",
        f"ndep={tok.dep_}",
        f"nlex={lemma in lex.nouns}",
        f"nhead={tok.head.lemma_.lower()}" if tok.head.i != tok.i else "nhead=self",
    ]
    for c in tok.children:
        if c.dep_ == "poss":
            feats.append("nposs")
            feats.append(f"nposs_src={_source_like(c, lex)}")
            feats.append(f"nposs_ent={c.ent_type_ or c.pos_}")
        elif c.dep_ == "prep" and c.i > tok.i:
            feats.append(f"nprep={c.lower_}")
            feats.append(f"nlemma_prep={lemma}_{c.lower_}")
        elif c.dep_ in ("acl", "relcl", "ccomp") and c.i > tok.i:
            that = any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
            to = any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
            feats.append(f"nclause={'that' if that else 'to' if to else c.dep_}")
        elif c.dep_ in ("amod", "compound") and c.i < tok.i:
            feats.append(f"nmod={c.lemma_.lower()}")
    return feats


@dataclass(frozen=True, kw_only=True, slots=True)
class CueModel:
    """Logistic weights by feature name; :meth:`probability` of a feature list, :meth:`accepts` it."""

    bias: float
    threshold: float
    weights: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def probability(self, feats: list[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in feats)
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        ez = math.exp(z)
        return ez / (1.0 + ez)

    def accepts(self, feats: list[str]) -> bool:
        return self.probability(feats) >= self.threshold


def model_from_data(data: Any, *, source: str) -> CueModel:
    """A model from the parsed JSON; a wrong format or field raises ``ConfigError`` naming ``source``."""
    from storyline.errors import ConfigError

    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        got = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise ConfigError(source, f"expected format {MODEL_FORMAT!r}, got {got!r}", field="format")
    weights = data.get("weights")
    if not isinstance(weights, dict) or not all(
        isinstance(k, str) and isinstance(v, int | float) for k, v in weights.items()
    ):
        raise ConfigError(source, "expected an object of feature name → number", field="weights")
    for name in ("bias", "threshold"):
        if not isinstance(data.get(name), int | float):
            raise ConfigError(source, f"expected a number, got {data.get(name)!r}", field=name)
    return CueModel(
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        weights={k: float(v) for k, v in weights.items()},
        meta=dict(data.get("meta") or {}),
    )


@lru_cache(maxsize=1)
def load_cue_model() -> CueModel | None:
    """The packaged model (read once), or None when the file is absent (the lexicon rules alone run)."""
    path = resources.files("storyline.data").joinpath("models").joinpath(MODEL_FILE)
    if not path.is_file():
        return None
    return model_from_data(
        json.loads(path.read_text(encoding="utf-8")), source=f"storyline/data/models/{MODEL_FILE}"
    )
