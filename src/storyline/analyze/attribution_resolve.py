"""Speakers and statement records (see :mod:`storyline.analyze.quotes`): a speaker mention typed, a
pronoun's antecedent in the article, a role phrase's person (:mod:`.attribution_roles`), the speaker a
continuation quote inherits, and one cue turned into a
:class:`~storyline.analyze.attribution_context.Statement`.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from storyline.analyze.attribution_context import Offsets, Statement, StatementKind
from storyline.analyze.attribution_cues import _CueFinder
from storyline.analyze.attribution_roles import role_antecedent
from storyline.analyze.attribution_speakers import SpeakerKind, _classify_speaker, partitive_pronoun
from storyline.analyze.attribution_syntax import (
    _INSTITUTION_WORDS,
    _PLURAL_PRON,
    _SUBJ,
    _THIRD_SG,
    _TITLES,
    _Cue,
    _subtree_range,
    _trim,
)
from storyline.analyze.entities import _lookup, opening_common_word
from storyline.gazetteer import load_gazetteer

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


@functools.lru_cache(maxsize=4096)
def _known_place(text: str) -> bool:
    """Whether the shipped gazetteer knows ``text`` as a country, a capital or a place only ("Kyiv",
    which the model sometimes takes for a person): no antecedent of "he" or "she"."""
    hit = _lookup(load_gazetteer(), text)
    return hit is not None and hit[0] in ("GPE", "LOC", "NORP")


def _without_comma_clause(span: Span) -> tuple[int, int]:
    """The token range of speaker mention ``span`` without a relative or participle clause set off by a
    comma after its head ("The officials, who spoke on condition of anonymity", "The report, released on
    Monday", a participle the parser hangs on a name, "Trump, speaking on “Fox & Friends,”"); an apposition
    ("Dmitry Peskov, the Kremlin spokesman") stays."""
    doc = span.doc
    root = span.root
    end = span.end
    for c in root.children:
        if (
            c.dep_ in ("relcl", "acl", "advcl")
            and c.i > root.i
            and c.left_edge.i > span.start
            and doc[c.left_edge.i - 1].text == ","
        ):
            end = min(end, c.left_edge.i - 1)
    return _trim(doc, span.start, end)


# what an unnamed spokesperson's employer may be called ("a company spokesperson", "a spokeswoman for the
# ministry"); the company-like ones stand for any named organisation that is no public body
_COMPANY_KINDS = frozenset(
    "company firm group carrier airline bank lender insurer manufacturer maker automaker carmaker chipmaker "
    "planemaker retailer operator conglomerate startup giant".split()
)
_BODY_KINDS = _COMPANY_KINDS | frozenset("ministry agency commission department union party council".split())


class _SpeakerResolver(_CueFinder):
    # -- pronouns
    def _persons(self) -> list[tuple[int, int, int, bool]]:
        """(start_tok, end_tok, sent, is_subject) of person-like mentions, in order."""
        if self._person_mentions is None:
            out: list[tuple[int, int, int, bool]] = []
            doc = self.doc
            seen: set[int] = set()
            for ent in doc.ents:
                if ent.label_ == "PERSON" or (
                    ent.label_ == "ORG"
                    and ent.root.pos_ == "PROPN"
                    and not ({t.lower_ for t in ent} & _INSTITUTION_WORDS)
                    and ent.root.dep_ in ("nsubj", "appos", "pobj", "compound")
                    and len(ent) <= 3
                    and (ent.start == 0 or doc[ent.start - 1].lower_ in _TITLES or ent.root.dep_ == "nsubj")
                ):
                    if self.tok_quote[ent.start] >= 0:
                        continue
                    if len(ent) == 1 and opening_common_word(ent[0]):
                        continue  # "Turnout was about 60%": no person a later "he" can be
                    if _known_place(ent.text):
                        continue  # "said Kyiv would not …": a capital the model took for a person
                    subj = ent.root.dep_ in ("nsubj", "nsubjpass") or (
                        ent.root.dep_ in ("compound", "appos") and ent.root.head.dep_ == "nsubj"
                    )
                    out.append((ent.start, ent.end, self.sent_of(ent.start), subj))
                    seen.update(range(ent.start, ent.end))
            # the last words of the persons named so far: "Mahama" after "John Mahama"
            surnames = {ent[-1].text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1}
            for tok in doc:
                # a name the NER missed as the subject of a report ("Zelenskiy, in a video address, said")
                # or as the subject of anything, once the person was named in full ("Mahama, who was
                # president from 2012 to 2017, campaigned on …")
                if (
                    tok.pos_ == "PROPN"
                    and tok.dep_ == "nsubj"
                    and not tok.ent_type_
                    and tok.i not in seen
                    and tok.text[:1].isupper()
                    and not tok.text.isupper()
                    and self.tok_quote[tok.i] < 0
                    and (tok.head.lemma_.lower() in self.lex.verbs or tok.text in surnames)
                ):
                    names = [c.i for c in tok.children if c.dep_ == "compound" and c.i < tok.i]
                    out.append((min(names, default=tok.i), tok.i + 1, self.sent_of(tok.i), True))
            out.sort()
            self._person_mentions = out
            self._person_starts = [p[0] for p in out]
        return self._person_mentions

    def _main_clause_subject(self, start: int, end: int) -> bool:
        """Whether the mention ``doc[start:end]`` is (part of) the subject of its sentence's root verb."""
        root = self.doc[start:end].root
        while root.dep_ in ("compound", "appos", "flat", "conj") and root.head is not root:
            root = root.head
        return root.dep_ in ("nsubj", "nsubjpass") and root.head.dep_ == "ROOT"

    def antecedent(self, pron_tok: int) -> tuple[int, int] | None:
        doc = self.doc
        low = doc[pron_tok].lower_
        sent_i = self.sent_of(pron_tok)
        if low in _THIRD_SG:
            persons = self._persons()
            idx = bisect.bisect_left(self._person_starts, pron_tok)
            cands = [p for p in persons[:idx] if p[2] >= sent_i - 4]
            if not cands:
                cands = persons[max(0, idx - 1) : idx]
            if not cands:
                # "A senior official … said Kyiv expected …. She added …": no name, the person described
                return self._described_subject(sent_i - 1) if sent_i > 0 else None
            best_sent = cands[-1][2]
            in_sent = [p for p in cands if p[2] == best_sent]
            subj = [p for p in in_sent if p[3]]
            # the subject of the main clause ("Peskov insisted it was wrong to claim Putin had …")
            # is the discourse topic a following "he" continues; a subject inside a complement is not
            main = [p for p in subj if self._main_clause_subject(p[0], p[1])]
            chosen = main[0] if main else subj[-1] if subj else in_sent[0]
            # a subject in the sentence just before beats a non-subject mention in the current one
            if not subj and best_sent == sent_i:
                prev = [p for p in cands if p[2] == sent_i - 1 and p[3]]
                if prev:
                    chosen = prev[-1]
            # "A senior official … said Kyiv expected a new package. She added …": the person the
            # sentence before is about, described rather than named, beats a name inside what they said
            described = self._described_subject(sent_i - 1) if sent_i > 0 else None
            if (
                described is not None
                and self.sent_of(chosen[0]) == sent_i - 1
                and not self._main_clause_subject(chosen[0], chosen[1])
                and not any(p[2] == sent_i and p[0] < pron_tok for p in cands)
            ):
                return described
            return chosen[0], chosen[1]
        if low == "it":
            return self._institution_antecedent(pron_tok)
        if low in _PLURAL_PRON:
            for si in range(sent_i, max(-1, sent_i - 3), -1):
                sent = self.sents[si]
                best = None
                for t in sent:
                    if t.i >= pron_tok:
                        break
                    if (
                        t.dep_ in ("nsubj", "nsubjpass")
                        and t.tag_ in ("NNS", "NNPS")
                        and self.tok_quote[t.i] < 0
                    ):
                        best = t
                if best is not None:
                    return _trim(doc, *_subtree_range(best))
        return None

    def _described_subject(self, si: int) -> tuple[int, int] | None:
        """The main-clause subject of sentence ``si`` when it is one person described, not named ("a
        senior Ukrainian official, who asked not to be named")."""
        root = self.sents[si].root
        subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if (
            subj is None
            or subj.pos_ != "NOUN"
            or subj.tag_ == "NNS"
            or self.tok_quote[subj.i] >= 0
            or subj.lemma_.lower() not in self.lex.descriptors
        ):
            return None
        return _without_comma_clause(self.doc[subj.left_edge.i : subj.right_edge.i + 1])

    def _institution_antecedent(self, pron_tok: int) -> tuple[int, int] | None:
        """For "it" as a speaker, the organisation that is the subject of the same or one of the two
        sentences before ("The World Food Programme warned … It said …"), the main clause's subject first,
        outside quotations."""
        doc = self.doc
        sent_i = self.sent_of(pron_tok)
        for si in range(sent_i, max(-1, sent_i - 3), -1):
            found: list[Token] = []
            for t in self.sents[si]:
                if t.i >= pron_tok:
                    break
                if t.dep_ in ("nsubj", "nsubjpass") and self.tok_quote[t.i] < 0 and _organisation(t):
                    found.append(t)
            if found:
                main = [t for t in found if t.head.dep_ == "ROOT"]
                best = main[0] if main else found[-1]
                return _without_comma_clause(doc[best.left_edge.i : best.right_edge.i + 1])
        return None

    # -- assembly
    def _statement(
        self,
        *,
        content: tuple[int, int] | Offsets,
        content_is_chars: bool,
        kind: StatementKind,
        partial: bool,
        cue: _Cue | None,
        sentence: Offsets,
        continuation: bool = False,
        inherited: Statement | None = None,
    ) -> Statement:
        doc = self.doc
        c_chars = content if content_is_chars else self.chars(content)
        if inherited is not None:
            # the speaker fields come from the statement this one continues; no cue of its own
            return replace(
                inherited,
                content=c_chars,
                kind=kind,
                partial=partial,
                cue=None,
                cue_lemma=None,
                continuation=continuation,
                sentence=sentence,
            )
        speaker = cue.speaker if cue else None
        sp_chars = self.chars(speaker) if speaker and speaker[1] > speaker[0] else None
        if speaker and sp_chars and cue is not None:
            inside = {self.tok_quote[i] for i in range(speaker[0], speaker[1])}
            if len(inside) == 1 and -1 not in inside and self.tok_quote[cue.token] not in inside:
                # a speaker never lies inside the quotation it is reported to have said (a mis-parse hung
                # the cue on a verb of the quote): no speaker
                speaker = sp_chars = None
        kind_sp: SpeakerKind = "unknown"
        anon = None
        ante = None
        if speaker and sp_chars:
            span = doc[speaker[0] : speaker[1]]
            kind_sp, anon = _classify_speaker(span, self.lex)
            short = _without_comma_clause(span)
            if short[1] > short[0] and short != speaker:
                # "The officials, who spoke on condition of anonymity, said": the clause describes the
                # speaker (and may make it anonymous) but is not its name
                span = doc[short[0] : short[1]]
                sp_chars = self.chars(short)
            if kind_sp in ("nominal", "anonymous") and span.root.pos_ == "NOUN":
                earlier = self._anonymous_antecedent(span)
                if earlier is not None:
                    # "three officials familiar with the discussions said … The officials said": the same
                    # unnamed sources
                    ante = self.chars(earlier)
                    kind_sp, anon = _classify_speaker(doc[earlier[0] : earlier[1]], self.lex)
            part_of = partitive_pronoun(span.root) if kind_sp == "anonymous" else None
            if part_of is not None:
                # "Two EU diplomats … said … One of them said": one of the same unnamed sources
                a = self._group_antecedent(span.start)
                if a is not None:
                    akind, aanon = _classify_speaker(doc[a[0] : a[1]], self.lex)
                    if akind == "anonymous" and aanon is not None and anon is not None:
                        ante = self.chars(a)
                        anon = replace(aanon, count=anon.count, descriptor=span.text)
            if kind_sp == "anonymous" and ante is None and anon is not None and anon.affiliation is None:
                # "a company spokesperson", "a spokeswoman for the ministry": the body named before
                a = self._body_antecedent(span)
                if a is not None:
                    ante = self.chars(a)
            if kind_sp == "pronoun":
                a = self.antecedent(span.root.i)
                if a is not None and a[1] > a[0]:
                    ante = self.chars(a)
                    # "they" after "three officials …", "she" after "a senior official …": the same
                    # unnamed source, typed as it was
                    akind, aanon = _classify_speaker(doc[a[0] : a[1]], self.lex)
                    if akind == "anonymous":
                        anon = aanon
            elif kind_sp == "nominal" and ante is None:
                # "the Vermont senator": the person named earlier with that role, never the place
                a = role_antecedent(span, self.tok_quote)
                if a is not None:
                    ante = self.chars(a)
        return Statement(
            content=c_chars,
            kind=kind,
            partial=partial,
            cue=self.chars(cue.cue) if cue else None,
            cue_lemma=cue.lemma if cue else None,
            speaker=sp_chars,
            speaker_text=self.text[sp_chars[0] : sp_chars[1]] if sp_chars else None,
            speaker_kind=kind_sp,
            anonymous=anon,
            speaker_antecedent=ante,
            continuation=continuation,
            sentence=sentence,
        )

    def _anonymous_antecedent(self, span: Span) -> tuple[int, int] | None:
        """For a definite nominal speaker ("the officials"), the nearest earlier anonymous source in the same
        or the two paragraphs before, speaking as a subject or through "according to": one with the same head
        noun ("three officials familiar with …"), or, for a generic head ("the sources", "the officials",
        ``generic_descriptors``), one with any generic head of the same number ("two officials said …" …
        "the sources said")."""
        doc = self.doc
        root = span.root
        if not any(c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in root.children):
            return None
        lemma = root.lemma_.lower()
        generic = self.lex.generic_descriptors
        para = self.para_of(doc[span.start].idx)
        for i in range(span.start - 1, -1, -1):
            t = doc[i]
            if para - self.para_of(t.idx) > 2:
                break
            if t.pos_ != "NOUN" or not _source_position(t):
                continue
            same = t.lemma_.lower() == lemma
            if not same and not (
                lemma in generic and t.lemma_.lower() in generic and _plural(t) == _plural(root)
            ):
                continue
            rng = _without_comma_clause(doc[t.left_edge.i : t.right_edge.i + 1])
            kind, _anon = _classify_speaker(doc[rng[0] : rng[1]], self.lex)
            if kind == "anonymous":
                return rng
            if same and kind != "nominal":
                return None  # the same head names someone known
        return None

    def _body_antecedent(self, span: Span) -> tuple[int, int] | None:
        """The organisation an unnamed spokesperson speaks for when the speaker names only its kind: "a
        company spokesperson", "a spokeswoman for the company / the ministry" → the nearest organisation
        named before, outside quotations, whose name has that word ("the Ministry of Health" for "the
        ministry") or, for a company-like word, any named organisation that is no public body."""
        root = span.root
        kinds = [c for c in root.children if c.dep_ == "compound" and c.i < root.i]
        kinds += [
            g
            for c in root.children
            if c.dep_ == "prep" and c.lower_ in ("for", "at", "of", "from")
            for g in c.children
            if g.dep_ == "pobj" and any(d.lower_ == "the" for d in g.children)
        ]
        kind = next((k.lemma_.lower() for k in kinds if k.lemma_.lower() in _BODY_KINDS), None)
        if kind is None:
            return None
        company = kind in _COMPANY_KINDS
        for ent in reversed(self.doc.ents):
            if ent.end > span.start or ent.label_ != "ORG" or self.tok_quote[ent.start] >= 0:
                continue
            words = {t.lower_ for t in ent}
            if kind in words or (company and ent.root.pos_ == "PROPN" and not words & _INSTITUTION_WORDS):
                if any(c.ent_type_ == "ORG" for c in ent.root.conjuncts):
                    return None  # "the merger of ASML and Zeiss": which company speaks is not said
                return ent.start, ent.end
        return None

    def _group_antecedent(self, before: int) -> tuple[int, int] | None:
        """For "one of them", the nearest earlier plural anonymous source in the same or the two paragraphs
        before, speaking as a subject or through "according to" ("Two EU diplomats familiar with the
        talks said …")."""
        doc = self.doc
        para = self.para_of(doc[before].idx)
        for i in range(before - 1, -1, -1):
            t = doc[i]
            if para - self.para_of(t.idx) > 2:
                break
            if t.pos_ != "NOUN" or not _plural(t) or not _source_position(t) or self.tok_quote[t.i] >= 0:
                continue
            rng = _without_comma_clause(doc[t.left_edge.i : t.right_edge.i + 1])
            if _classify_speaker(doc[rng[0] : rng[1]], self.lex)[0] == "anonymous":
                return rng
        return None

    def _last_reported_before(self, char: int, cues: Sequence[_Cue]) -> _Cue | None:
        """The last cue with a named/pronoun speaker in the paragraph before ``char``'s (or earlier in it)."""
        para = self.para_of(char)
        best = None
        j = bisect.bisect_left(self._cue_chars, char) - 1
        while j >= 0:
            cue = cues[j]
            c_char = self._cue_chars[j]
            if para - self.para_of(c_char) > 1:
                break
            if cue.speaker is not None and self.tok_quote[cue.token] < 0:
                best = cue
                break
            j -= 1
        if best is None or best.speaker is None:
            return None
        root = self.doc[best.speaker[0] : best.speaker[1]].root
        if root.pos_ not in ("PROPN", "PRON") and root.ent_type_ != "PERSON":
            return None
        return best


def _source_position(tok: Token) -> bool:
    """Whether noun ``tok`` stands where a source does: a subject, or the object of "according to"."""
    if tok.dep_ in _SUBJ:
        return True
    return tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according"


def _plural(tok: Token) -> bool:
    return tok.tag_ in ("NNS", "NNPS") or tok.lower_ == "people"


def _organisation(tok: Token) -> bool:
    """Whether subject ``tok`` names an organisation or a state ("The World Food Programme", "the ministry",
    "Moscow"), something "it" can stand for when it speaks."""
    if tok.pos_ == "PRON" or tok.tag_ in ("NNS", "NNPS"):
        return False
    return tok.ent_type_ in ("ORG", "GPE", "NORP") or tok.lower_ in _INSTITUTION_WORDS
