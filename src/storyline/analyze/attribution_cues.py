"""The cue cascade (see :mod:`storyline.analyze.quotes`): every cue outside quotations, from the lexicon,
the frames, the that-clause fallback and the learned model.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from storyline.analyze.attribution_model import noun_features, verb_features
from storyline.analyze.attribution_syntax import (
    _NOT_CUES,
    _SUBJ,
    _actor_like,
    _Cue,
    _find_subject,
    _person_like,
    _source_like,
)
from storyline.analyze.attribution_verbs import _VerbCues
from storyline.analyze.cue_lexicon import CueEntry

if TYPE_CHECKING:
    from spacy.tokens import Token

_LEARNED_CONTENT = frozenset({"clause", "inf", "object"})
# a predicative adjective of attitude the lexicon does not list ("is upbeat about …")
_ATTITUDE_ADJECTIVE = CueEntry(
    lemma="adjective",
    content=frozenset({"clause", "object"}),
    direct=False,
    particles=frozenset({"about", "of", "with", "over", "toward", "towards", "on"}),
)
_LEARNED_PREPS = frozenset({"of", "for", "about", "on", "over", "against", "to"})
# the learned model's bar for a verb whose subject is not a person (0.6: best content F1 on a PolNeAR train
# sample among 0.5/0.6/0.7)
_INSTITUTION_THRESHOLD = 0.6


class _CueFinder(_VerbCues):
    def find_cues(self) -> list[_Cue]:
        out: list[_Cue] = []
        lex = self.lex
        doc = self.doc
        for tok in doc:
            if self.tok_quote[tok.i] >= 0:
                continue
            low = tok.lower_
            if low == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                cue = self._according(tok)
                if cue:
                    out.append(cue)
                continue
            if low == "in" and tok.dep_ == "prep":
                cue = self._in_poll(tok)
                if cue:
                    out.append(cue)
                continue
            lemma = tok.lemma_.lower()
            if tok.pos_ == "VERB" and tok.dep_ == "advcl":
                cue = self._as_frame(tok)
                if cue:
                    out.append(cue)
                    continue
            if lemma in lex.perception_verbs and tok.pos_ == "VERB":
                cue = self._seen_as(tok)
                if cue:
                    out.append(cue)
                    continue
            entry = None
            if tok.pos_ == "NOUN" and (low in lex.nouns or lemma in lex.nouns):
                cue = self._noun_cue(tok, lex.nouns.get(low, lex.nouns.get(lemma, frozenset())))
                if cue:
                    out.append(cue)
                continue
            if (
                tok.pos_ == "NOUN"
                and self.model is not None
                and self.model.accepts(noun_features(tok, lex=lex))
            ):
                # a reporting noun the lexicon does not list ("his disdain for …", "the decision to …")
                cue = self._noun_cue(tok, _LEARNED_PREPS)
                if cue:
                    out.append(cue)
                    continue
            if tok.pos_ in ("VERB", "AUX") and lemma in lex.verbs:
                entry = lex.verbs[lemma]
            elif tok.pos_ == "ADJ" and low in lex.adjectives and tok.dep_ in ("acomp", "amod", "ROOT"):
                entry = lex.adjectives[low]
            elif tok.pos_ in ("NOUN", "PROPN", "ADJ") and lemma in lex.verbs and tok.dep_ == "ROOT":
                entry = lex.verbs[lemma]  # mis-tagged verbs in headlines
            elif tok.pos_ == "ADJ" and tok.dep_ == "acomp" and self._attitude_adjective(tok):
                entry = _ATTITUDE_ADJECTIVE
            if entry is None and tok.pos_ == "VERB" and lemma not in _NOT_CUES:
                # any verb with a person-like subject and a that-clause reports speech or thought
                ccomp = next((c for c in tok.children if c.dep_ == "ccomp" and c.i > tok.i), None)
                subj = _find_subject(tok)
                if (
                    ccomp is not None
                    and subj is not None
                    and _source_like(subj, lex)
                    and any(g.dep_ in _SUBJ for g in ccomp.children)
                    and not _free_relative(ccomp)
                ):
                    entry = CueEntry(lemma=lemma, content=frozenset({"clause"}), direct=False)
            if (
                entry is None
                and tok.pos_ == "VERB"
                and self.model is not None
                and not any(c.dep_ == "ccomp" and _free_relative(c) for c in tok.children)
            ):
                # a verb the lexicon does not know that the learned model takes for a cue ("signed the
                # bill", "admires Putin as a strong leader")
                if self._learned_cue(tok):
                    entry = CueEntry(lemma=lemma, content=_LEARNED_CONTENT, direct=False)
            if entry is None:
                continue
            cue = self._verb_cue(tok, entry)
            if (cue is None or cue.content is None) and tok.pos_ == "VERB":
                cue = self._learned_retry(tok, entry) or cue
            if cue:
                out.append(cue)
        # a speaker must be able to act: "brain cancer confirmed …", "many painful years to want …" are no
        # reports (a colon label is checked where it is found)
        out = [c for c in out if c.speaker is None or _actor_like(doc, c.speaker, lex)]
        # a reporting noun inside the object of an act trailing a report ("…, rejecting a European proposal
        # to …") is what the act is about, unless it names its own source ("Trump's claim that …")
        out = [
            c
            for c in out
            if not (
                doc[c.token].pos_ == "NOUN"
                and any(a <= c.token < b for a, b in self._act_objects)
                and (c.speaker is None or doc[c.speaker[0] : c.speaker[1]].root.dep_ != "poss")
            )
        ]
        out.extend(self._colon_cues())
        out.sort(key=lambda c: c.token)
        return out

    def _attitude_adjective(self, tok: Token) -> bool:
        """A predicative adjective the lexicon does not list that states a person's attitude towards
        something: "is upbeat about Cruz's chances", "are tired of a party with few accomplishments", "is
        appreciative of Obama's focus" — a person-like subject of its copula and a preposition of attitude
        with an object, or a that-clause."""
        subj = _find_subject(tok.head)
        if subj is None or not _person_like(subj):
            return False
        return any(
            (
                c.dep_ == "prep"
                and c.lower_ in _ATTITUDE_ADJECTIVE.particles
                and any(g.dep_ == "pobj" for g in c.children)
            )
            or c.dep_ == "ccomp"
            for c in tok.children
        )

    def _learned_cue(self, tok: Token) -> bool:
        """Whether the learned model takes verb ``tok`` for a cue: a person's report at the model's
        threshold; an organisation's or a country's ("the FBI decided …") only when the model is surer,
        since their acts ("Ukraine defended its territory") are no reports."""
        if self.model is None or _holds_gathering(tok):
            return False
        subj = _find_subject(tok)
        if subj is None or not _source_like(subj, self.lex):
            return False
        p = self.model.probability(verb_features(tok, lex=self.lex))
        return p >= self.model.threshold if _person_like(subj) else p >= _INSTITUTION_THRESHOLD

    def _learned_retry(self, tok: Token, entry: CueEntry) -> _Cue | None:
        """A lexicon verb its class gates out ("offered no proof", "has not mentioned Machado") that the
        learned model takes for a cue: a report with any content shape."""
        if not entry.content:
            return None  # a verb the lexicon gives no content frames quotations only ("…,” she continued")
        if (
            self.model is None
            or _holds_gathering(tok)
            or not self.model.accepts(verb_features(tok, lex=self.lex))
        ):
            return None
        subj = _find_subject(tok)
        if subj is None or not _source_like(subj, self.lex):
            return None  # "the bill supports small farmers": a stance needs a holder
        if entry.cls == "attitude" and not _person_like(subj):
            # "Trump attacked Machado" is a report; "Ukraine defended its territory", "the army welcomed the
            # recruits" are acts: without speech structure an attitude verb reports only a person's view
            return None
        # the class gate goes, and any content shape goes, except an object for a verb the lexicon gives an
        # infinitive: "agree to …" reports, "EU ministers agree new sanctions" is an act
        kinds = entry.content | _LEARNED_CONTENT
        if "inf" in entry.content and "object" not in entry.content and entry.cls in ("speech", "cognition"):
            kinds = kinds - {"object"}
        relaxed = replace(entry, content=kinds, cls="speech")
        cue = self._verb_cue(tok, relaxed)
        return cue if cue is not None and cue.content is not None else None


# what is held, not said: "wrapped up talks in Geneva", "concluded two days of talks"
_GATHERINGS = frozenset(
    "talk talks meeting negotiation negotiations summit visit trip session round conference consultation "
    "consultations tour ceremony exercise drill".split()
)


def _holds_gathering(verb: Token) -> bool:
    """Whether ``verb``'s object is a gathering ("wrapped up talks", "concluded two days of talks") and it
    has no clause: an act of holding it, which the learned model must not take for a report."""
    if any(c.dep_ in ("ccomp", "xcomp") for c in verb.children):
        return False
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        heads = [obj] + [p for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children]
        if any(h.lemma_.lower() in _GATHERINGS or h.lower_ in _GATHERINGS for h in heads):
            return True
    return False


def _free_relative(clause: Token) -> bool:
    """Whether a clause under a verb is a free relative, a thing and not a report: "cancel what it
    called erroneous tariffs", "fix whatever they broke"."""
    first = clause.left_edge
    return (
        first.tag_ in ("WP", "WDT")
        and first.lower_ in ("what", "whatever")
        and first.head.i == clause.i
        and first.dep_ in ("dobj", "obj", "attr", "oprd")
    )
