"""Cue frames other than a reporting verb with its subject (see :mod:`storyline.analyze.quotes`): headline
and transcript colons, "X said:" taking what follows the colon, reporting nouns ("Trump's claim that …"),
views ("was seen in Kyiv as …"), "according to X" and "in a … poll".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.analyze.attribution_context import _Context
from storyline.analyze.attribution_syntax import (
    _Cue,
    _cut_trailing_clause,
    _find_subject,
    _source_like,
    _speaker_range,
    _speech_circumstance,
    _subtree_range,
    _trim,
)
from storyline.analyze.cue_lexicon import CueEntry

if TYPE_CHECKING:
    from spacy.tokens import Token

# nouns whose "in …" reports a finding: "In a CBS News poll, Cruz had a 10-point lead"
_POLL_NOUNS = frozenset({"poll", "survey", "average", "ranking", "rankings"})
# words before a colon that are page furniture, not a speaker label
_NOT_LABELS = frozenset(
    "VIDEO PHOTO PHOTOS WATCH UPDATE BREAKING EXCLUSIVE READ NOTE CORRECTION LISTEN WARNING SOURCE CREDIT "
    "IMAGE CAPTION FILE RELATED SEE ALSO "
    # section labels of opinion and analysis pages: "Opinion: Macron's theatrics are …"
    "OPINION ANALYSIS COMMENTARY COMMENT EDITORIAL EXPLAINER FACTBOX FACT-CHECK REVIEW PERSPECTIVE INSIGHT "
    "OBITUARY LIVE".split()
) | {"FACT CHECK", "NEWS ANALYSIS"}


# "as X put it": the idiom the "as" frame takes besides the verbs of speech of the lexicon
_PUT_IT = CueEntry(lemma="put it", content=frozenset({"clause"}))


class _FrameCues(_Context):
    def _cue_words(self, tok: Token, entry: CueEntry) -> tuple[int, int]:
        start, end = tok.i, tok.i + 1
        for c in tok.children:
            if c.dep_ in ("aux", "auxpass", "neg") and c.i < tok.i and c.i >= tok.i - 3:
                start = min(start, c.i)
            if c.dep_ == "prt" and c.i == end:
                end = c.i + 1
            if c.dep_ == "prep" and c.lower_ in entry.particles and c.i == end:
                end = c.i + 1
            if c.dep_ == "advcl" and tok.i + 1 < len(tok.doc):
                mark = tok.doc[tok.i + 1]
                if mark.dep_ == "mark" and mark.head.i == c.i and mark.lower_ in entry.particles:
                    end = max(end, mark.i + 1)
        return start, end

    def _after_colon(self, i: int) -> tuple[int, int] | None:
        """ "He said: we will win." — an unquoted content after a colon, to the end of its sentence; "Limbaugh
        added:" ending its paragraph — the whole next paragraph."""
        doc = self.doc
        if i >= len(doc) or doc[i].text != ":":
            return None
        j = i + 1
        while j < len(doc) and doc[j].is_space and "\n" not in doc[j].text:
            j += 1
        next_para = j < len(doc) and doc[j].is_space
        while next_para and j < len(doc) and doc[j].is_space:
            j += 1
        if j >= len(doc) or self.tok_quote[j] >= 0 or doc[j].is_space:
            return None
        sent = self.sents[self.sent_of(j)]
        end = sent.end
        if next_para:
            para = self.para_of(doc[j].idx)
            k = self.sent_of(j) + 1
            while k < len(self.sents) and self.para_of(self.sents[k].start_char) == para:
                end = self.sents[k].end
                k += 1
        rng = _trim(doc, j, end)
        return rng if rng[1] - rng[0] >= 3 else None

    def _colon_cues(self) -> list[_Cue]:
        """Headline style "Pat Caddell: Democrat voters worried …" — a name, a colon, the content."""
        doc = self.doc
        out: list[_Cue] = []
        for si, sent in enumerate(self.sents):
            limit = min(sent.end, sent.start + 7)
            colon = next((t for t in doc[sent.start : limit] if t.text == ":"), None)
            if colon is None or self.tok_quote[colon.i] >= 0:
                continue
            pre = _trim(doc, sent.start, colon.i)
            if pre[1] <= pre[0]:
                continue
            toks = doc[pre[0] : pre[1]]
            # a transcript speaker label in capitals at a line start ("FALLIN:"), whatever its tag
            caps = (
                all(t.is_upper or not t.is_alpha for t in toks)
                and len(toks) <= 3
                and any(len(t) > 1 and t.is_alpha for t in toks)
                and (pre[0] == 0 or "\n" in doc[pre[0] - 1].text or doc[pre[0]].idx in self.para_starts_set)
            )
            # a title's source ("Poll: Clinton and Trump in dead heat", "Sanders: Clinton needs to …"): one to
            # three capitalised words before a colon in the article's first line, whatever the tagger says
            headline = (
                self.para_of(sent.start_char) == 0
                and len(toks) <= 3
                and all(t.is_title or t.is_upper for t in toks if not t.is_punct)
            )
            if not (caps or headline):
                if not all(t.pos_ in ("PROPN", "NOUN", "PUNCT", "ADJ", "DET") for t in toks):
                    continue
                if not any(t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") for t in toks):
                    continue
                last = next((t for t in reversed(toks) if not t.is_punct), None)
                if last is not None and last.pos_ == "NOUN" and not last.ent_type_:
                    continue  # "Alvarez verdict: what happens next": a topic, not who speaks
            if toks[0].lower_ == "the" or any(t.like_num for t in toks) or toks.text.upper() in _NOT_LABELS:
                continue
            end = sent.end
            if (caps or headline) and self.para_of(sent.start_char) == self.para_of(doc[pre[0]].idx):
                # a transcript turn ("FALLIN: I think … . We all need …") or a title: the whole paragraph
                para = self.para_of(sent.start_char)
                k = si + 1
                while k < len(self.sents) and self.para_of(self.sents[k].start_char) == para:
                    end = self.sents[k].end
                    k += 1
            content = _trim(doc, colon.i + 1, end)
            if content[1] - content[0] < 3:
                continue
            out.append(
                _Cue(
                    token=colon.i,
                    cue=(colon.i, colon.i + 1),
                    lemma=":",
                    speaker=pre,
                    content=content,
                    sent=si,
                    direct_ok=True,
                    wraps=True,
                )
            )
        return out

    def _extend_colon(self, content: tuple[int, int]) -> tuple[int, int]:
        """ "reiterated its demands: that …" — the content goes on after a colon to the sentence end."""
        doc = self.doc
        if content[1] < len(doc) and doc[content[1]].text == ":":
            sent = self.sents[self.sent_of(content[0])]
            if sent.end > content[1] + 1:
                return _trim(doc, content[0], sent.end)
        return content

    def _noun_cue(self, tok: Token, preps: frozenset[str]) -> _Cue | None:
        """ "Trump's claim that …", "her support for X", "made a promise to …" (``nouns`` in cues.yaml)."""
        doc = self.doc
        content: tuple[int, int] | None = None
        for c in tok.children:
            if c.i < tok.i:
                continue
            if c.dep_ in ("acl", "ccomp", "relcl") and any(
                g.dep_ == "mark" and g.lower_ == "that" for g in c.children
            ):
                content = _trim(doc, c.left_edge.i, c.right_edge.i + 1)
            elif c.dep_ in ("acl", "xcomp") and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
                content = _trim(doc, c.left_edge.i, c.right_edge.i + 1)
            elif c.dep_ == "prep" and c.lower_ in preps:
                pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                if pobj is not None and not (c.lower_ == "on" and _medium(pobj)):
                    # ("a statement on its website", "a post on Telegram": where, not what about)
                    content = _trim(doc, pobj.left_edge.i, pobj.right_edge.i + 1)
            if content is not None:
                break
        if content is None or sum(1 for t in doc[content[0] : content[1]] if t.is_alpha) < 1:
            return None
        if any(
            c.dep_ in ("amod", "compound") and c.i < tok.i and c.lower_ in self.lex.armed_modifiers
            for c in tok.children
        ):
            return None  # "an RSF artillery attack on a camp": an armed act, not speech
        source: Token | None = None
        for c in tok.children:
            if c.dep_ == "poss" and c.i < tok.i:
                source = c
            elif c.dep_ == "prep" and c.lower_ in ("by", "from") and c.i > tok.i:
                source = next((g for g in c.children if g.dep_ == "pobj"), None)
        if source is None:
            # "a European proposal", "the U.S. plan": the group the noun is of, not the subject of the verb
            # it is the object of ("rejecting a European proposal")
            source = next(
                (
                    c
                    for c in tok.children
                    if c.dep_ in ("amod", "compound")
                    and c.i < tok.i
                    and c.ent_type_ in ("NORP", "GPE", "ORG")
                ),
                None,
            )
        if source is None and tok.dep_ in ("dobj", "pobj"):
            verb = tok.head if tok.dep_ == "dobj" else tok.head.head
            if verb.pos_ in ("VERB", "AUX") and not _gloss_after_content(tok, verb):
                source = _find_subject(verb)
        if source is None or not _source_like(source, self.lex):
            return None
        if source.dep_ == "poss":
            speaker = _trim(doc, *_subtree_range(source))
            if speaker[1] > speaker[0] and doc[speaker[1] - 1].tag_ == "POS":
                speaker = (speaker[0], speaker[1] - 1)
        else:
            speaker = _speaker_range(source, tok)
        cue_start = tok.i
        for c in tok.children:
            if c.dep_ in ("amod", "compound") and c.i < tok.i:
                cue_start = min(cue_start, c.i)
        return _Cue(
            token=tok.i,
            cue=(cue_start, tok.i + 1),
            lemma=tok.lemma_.lower(),
            speaker=speaker,
            content=content,
            sent=self.sent_of(tok.i),
            direct_ok=False,
        )

    def _seen_as(self, tok: Token) -> _Cue | None:
        """ "The attack was seen in Kyiv as a message …", "is viewed by analysts as …": a passive
        perception verb whose holder is its agent or a place/organisation standing for its people."""
        doc = self.doc
        passive = any(c.dep_ == "auxpass" for c in tok.children)
        as_prep = next(
            (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "as" and c.i > tok.i), None
        )
        as_obj = next((g for g in as_prep.children if g.dep_ == "pobj"), None) if as_prep else None
        if as_prep is None or as_obj is None:
            return None
        if not passive:
            # "many voters see him as a fighter": the subject's view of the object
            subj = _find_subject(tok)
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "obj") and c.i < as_prep.i), None)
            if subj is None or obj is None or not _source_like(subj, self.lex):
                return None
            # "a euphemism that officials interpret as justification": the relative pronoun is not content
            first = as_prep.i if obj.lower_ in ("that", "which", "who", "whom") else obj.left_edge.i
            return _Cue(
                token=tok.i,
                cue=self._cue_words(tok, CueEntry(lemma=tok.lemma_.lower(), content=frozenset())),
                lemma=tok.lemma_.lower(),
                speaker=_speaker_range(subj, tok),
                content=_trim(doc, first, as_obj.right_edge.i + 1),
                sent=self.sent_of(tok.i),
                direct_ok=False,
                wraps=True,
            )
        holder: Token | None = None
        for c in tok.children:
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is None:
                continue
            if c.dep_ == "agent" or (
                c.dep_ == "prep"
                and c.lower_ in ("in", "among")
                and (pobj.ent_type_ in ("GPE", "ORG", "NORP") or _source_like(pobj, self.lex))
            ):
                holder = pobj
                break
        if holder is None or not _source_like(holder, self.lex):
            return None
        content = _trim(doc, as_obj.left_edge.i, as_obj.right_edge.i + 1)
        if sum(1 for t in doc[content[0] : content[1]] if t.is_alpha) < 2:
            return None
        return _Cue(
            token=tok.i,
            cue=(tok.i, tok.i + 1),
            lemma=tok.lemma_.lower(),
            speaker=_trim(doc, *_subtree_range(holder)),
            content=content,
            sent=self.sent_of(tok.i),
            direct_ok=False,
            wraps=True,
        )

    def _as_frame(self, tok: Token) -> _Cue | None:
        """ "…, as a Homeland Security memo put it", "As Smith said, the deal is dead": a verb of speech (or
        "put it") in an "as" clause hung on a clause is a report whose content is that clause, the frame
        left out."""
        doc = self.doc
        lemma = tok.lemma_.lower()
        entry = self.lex.verbs.get(lemma)
        put_it = lemma == "put" and any(c.dep_ == "dobj" and c.lower_ == "it" for c in tok.children)
        if put_it:
            entry = _PUT_IT
        elif entry is None or entry.cls != "speech":
            return None
        if tok.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children):
            return None
        for c in tok.children:
            if c.dep_ in ("mark", "nsubj", "aux", "advmod", "neg", "punct", "prt") or (
                put_it and c.dep_ == "dobj"
            ):
                continue
            if c.dep_ == "prep" and (put_it or _speech_circumstance(c, entry)):
                continue
            # "as he said he would", "as she announced the deal", "as she called for …", "as they speak to
            # …": what the verb itself takes, not a frame
            return None
        subj = _find_subject(tok)
        head = tok.head
        if subj is None or subj.head.i != tok.i or not _source_like(subj, self.lex) or head.i == tok.i:
            return None
        h_start, h_end = _trim(doc, *_subtree_range(head))
        f_start, f_end = _subtree_range(tok)
        if f_start <= h_start:
            content = _trim(doc, f_end, h_end)
        elif f_end >= h_end:
            content = _trim(doc, h_start, f_start)
        else:
            return None
        if content[1] - content[0] < 3:
            return None
        cue = (self._cue_words(tok, entry)[0], tok.i + 2) if put_it else self._cue_words(tok, entry)
        return _Cue(
            token=tok.i,
            cue=cue,
            lemma="put it" if put_it else lemma,
            speaker=_speaker_range(subj, tok),
            content=_cut_trailing_clause(doc, content),
            sent=self.sent_of(tok.i),
            direct_ok=True,
            wraps=True,
        )

    def _according(self, tok: Token) -> _Cue | None:
        doc = self.doc
        to = doc[tok.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return None
        speaker = _trim(doc, *_subtree_range(pobj))
        head = tok.head
        a_start = tok.i
        a_end = max(tok.right_edge.i, to.right_edge.i) + 1
        sent = self.sents[self.sent_of(tok.i)]
        comma = next((t.i for t in doc[pobj.i + 1 : a_end] if t.text in (",", ";", "—")), None)
        if head.i == tok.i and comma is not None and a_end >= sent.end - 1:
            # "According to Rush Limbaugh, the move reeks of fear": the parser hangs the clause under the
            # source; the source ends at the comma and the rest of the sentence is the content
            speaker = _trim(doc, speaker[0], comma)
            a_end = comma + 1
        if head.i == tok.i or head.dep_ == "pobj":
            sent = self.sents[self.sent_of(tok.i)]
            h_start, h_end = sent.start, sent.end
        else:
            # climb to the clause head
            while head.pos_ not in ("VERB", "AUX") and head.dep_ != "ROOT" and head.head is not head:
                head = head.head
            # "voters said that …, according to the poll": the poll reports the whole saying
            while head.dep_ == "ccomp" and head.head.lemma_.lower() in self.lex.verbs:
                head = head.head
            h_start, h_end = _subtree_range(head)
        if a_start <= h_start:
            content = _trim(doc, a_end, h_end)
        elif a_end >= h_end:
            content = _trim(doc, h_start, a_start)
        else:
            # in the middle: the longer side
            left, right = _trim(doc, h_start, a_start), _trim(doc, a_end, h_end)
            content = left if left[1] - left[0] >= right[1] - right[0] else right
        if content[1] - content[0] < 2:
            return None
        return _Cue(
            token=tok.i,
            cue=(tok.i, tok.i + 2),
            lemma="according to",
            speaker=speaker,
            content=content,
            sent=self.sent_of(tok.i),
            direct_ok=True,
            wraps=True,
        )

    def _in_poll(self, tok: Token) -> _Cue | None:
        """ "In a CBS News poll last month, Mr. Cruz had a 10-point lead", "Clinton fell 3 points in the
        latest CNN poll": the poll reports the clause the preposition opens or closes; the cue is "in", the
        source the poll. A preposition inside the clause, or a clause of under three words, makes none."""
        doc = self.doc
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if pobj is None or pobj.lemma_.lower() not in _POLL_NOUNS:
            return None
        head = tok.head
        if head.pos_ not in ("VERB", "AUX"):
            return None
        speaker = _trim(doc, *_subtree_range(pobj))
        p_start, p_end = tok.i, tok.right_edge.i + 1
        h_start, h_end = _subtree_range(head)
        if p_start <= h_start + 1:
            content = _trim(doc, p_end, h_end)
        elif p_end >= h_end - 1:
            content = _trim(doc, h_start, p_start)
        else:
            return None
        content = _cut_trailing_clause(doc, content)
        if sum(1 for t in doc[content[0] : content[1]] if t.is_alpha) < 3:
            return None
        return _Cue(
            token=tok.i,
            cue=(tok.i, tok.i + 1),
            lemma="in",
            speaker=speaker,
            content=content,
            sent=self.sent_of(tok.i),
            direct_ok=False,
            wraps=True,
        )


def _gloss_after_content(tok: Token, verb: Token) -> bool:
    """Whether noun ``tok``, parsed as an object of ``verb``, is a comma-set gloss after the verb's content
    ("told the AP that the army would attend “only to discuss the Jeddah declaration,” a 2023 pledge to
    protect civilians"): an apposition describing what came before it, not the verb's object, whose source
    is not the verb's subject."""
    doc = tok.doc
    left = tok.left_edge.i
    i = left - 1
    while i > verb.i and doc[i].text in ("”", "’", '"', "'") and doc[i].is_quote:
        i -= 1
    if i <= verb.i + 1 or doc[i].text != ",":
        return False
    return any(
        c.dep_ in ("ccomp", "xcomp", "dobj", "dative") and c.i < left for c in verb.children if c is not tok
    )


# where words are published: "a statement on its website", "a post on Telegram" say where, not about what
_MEDIA = frozenset(
    "website site page account channel telegram x twitter facebook instagram youtube tiktok truth social "
    "media television tv radio platform blog feed".split()
)


def _medium(pobj: Token) -> bool:
    return pobj.lower_ in _MEDIA or pobj.lemma_.lower() in _MEDIA
