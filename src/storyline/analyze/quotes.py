"""Who said what: direct, indirect and mixed statements with their cue and speaker mention.

``find_statements(text)`` is a pure function of the text (plus an optional, already parsed spaCy
``Doc`` of that same text). The cascade, in order:

1. **Quotation marks** (:mod:`storyline.analyze.quote_marks`): every double-quoted stretch, spanning
   sentences and paragraphs, with recovery from unbalanced marks.
2. **Cues** from the lexicon ``data/cues.yaml`` found on the dependency parse, outside quotations: a
   reporting verb with its subject (the speaker, inherited from the governing verb for participles such as
   "…, saying" and through relative clauses "X, who said"), and its content (a clausal complement on
   either side, an infinitive or an object, a parenthetical "…, they say, …"; object contents only with a
   source-like subject), predicative adjectives ("X is worried that …"), reporting nouns ("Trump's claim
   that …", "her support for …"), "according to X" attached to its clause, headline/transcript colons
   ("Pat Caddell: …", "PENCE: …", a transcript turn "FALLIN: …" or a title "Poll: …" taking its whole
   paragraph; not "Photo: …"), "X added:" ending a paragraph taking the next one, "calling for/on X to
   …", views ("was seen in Kyiv as …", "voters see him as …"), and, as a fallback, any verb with a
   person-like subject and a subject-bearing that-clause. A verb or noun the lexicon does not list,
   or a lexicon verb its class gates out, is a cue when the learned model
   (:mod:`storyline.analyze.attribution_model`, trained on PolNeAR) takes it for one — a person's report
   at the model's threshold, an organisation's only above 0.7, an attitude verb only with a person as
   subject ("Trump attacked Machado", not "Ukraine defended its territory"). Each verb's lexicon ``class``
   gates it:
   *speech* verbs report as they stand; *cognition* verbs inside another cue's content belong to it;
   *stance* verbs ("supports", "voted for") need a holder-like subject; *attitude* verbs ("welcomed",
   "targeting", "raised") need speech structure — a clausal/infinitive/predicative complement, a quotation,
   a speech frame ("in a statement") or a speech/stance object ("raised concerns"). An act under a
   cognition verb ("plans to attack …") is intended, not reported. A content stops before a second report
   joined by "and" ("noted A and called for B": two statements of the same speaker), a reporter's gloss
   (", a euphemism that …", "— a metaphor for …", a trailing ", where/when/although …") and ", according to
   …"; an object content stops before when and where the speaker spoke ("attacked X in tweets", "on
   Tuesday"). A passive with an agent ("X has been endorsed by Y") is Y's view of X; an agentless
   "X was accused of / criticized for Y" is an allegation without a speaker, its content the whole clause.
   A cue whose speaker cannot act — an abstract noun, a span of time, a thing ("brain cancer confirmed …",
   "many painful years …", "political correctness encourages …") — is no report. A speaker found inside a
   quotation the cue is outside of is a mis-parse ("“… young people do not want …” Sanders said, going on
   to say that …"): a participial continuation takes the subject of the report before it, else no speaker.
3. **Direct quotes**: a transcript quoted paragraph by paragraph (``"WALLACE: …``) gives one statement per
   turn, the label its speaker and the colon its cue; a quotation followed on its line by a dash and a name
   (``“…” ― Sonya Herridge``) is that person's. Otherwise a quotation that starts a sentence, follows a colon
   or "said,", or holds a whole sentence, takes the cue of its sentence ("“…,” he said", "X said: “…”",
   "said one official"), never one whose speaker lies inside the quotation; one without a cue that follows
   a quote by a known speaker in the same or the previous paragraph is a continuation of that speaker.
4. **Embedded quotations**: a quoted fragment inside reported content is a *partial* quote of that
   content's speaker and makes the statement *mixed*; a short verb-less fragment outside reported speech is
   a scare quote and no statement.
5. **Indirect statements**: every cue not used by a direct quote.
6. **Speaker mentions** are typed (named, pronoun, nominal, institution, anonymous, unknown); anonymous
   sources get count/affiliation/descriptor (``data/anonymous_sources.yaml``); pronouns get the nearest
   compatible antecedent in the article.

Resolving mentions to canonical actors is the linking step's job, not this module's.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from storyline.analyze.attribution_model import load_cue_model, noun_features, verb_features
from storyline.analyze.attribution_speakers import AnonymousSource, SpeakerKind, _classify_speaker
from storyline.analyze.attribution_syntax import (
    _INSTITUTION_WORDS,
    _NON_SPEAKER,
    _NOT_CUES,
    _PLURAL_PRON,
    _SUBJ,
    _THIRD_SG,
    _TITLES,
    _actor_like,
    _content_for,
    _Cue,
    _cut_trailing_clause,
    _find_subject,
    _parenthetical_content,
    _person_like,
    _source_like,
    _speaker_range,
    _subtree_range,
    _trim,
)
from storyline.analyze.cue_lexicon import (
    CueClass,
    CueEntry,
    CueLexicon,
    lexicon_from_data,
    load_cue_lexicon,
)
from storyline.analyze.quote_marks import Byline, QuotedSpan, epigraph_byline, find_quoted_spans

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "AnonymousSource",
    "CueLexicon",
    "Statement",
    "StatementKind",
    "SpeakerKind",
    "find_statements",
    "lexicon_from_data",
    "load_cue_lexicon",
]

StatementKind = Literal["direct", "indirect", "mixed"]
Offsets = tuple[int, int]
_LEARNED_CONTENT = frozenset({"clause", "inf", "object"})
_LEARNED_PREPS = frozenset({"of", "for", "about", "on", "over", "against", "to"})
# the learned model's bar for a verb whose subject is not a person (0.6: best content F1 on a PolNeAR train
# sample among 0.5/0.6/0.7)
_INSTITUTION_THRESHOLD = 0.6
# nouns whose "in …" reports a finding: "In a CBS News poll, Cruz had a 10-point lead"
_POLL_NOUNS = frozenset({"poll", "survey", "average", "ranking", "rankings"})
# a quoted transcript turn: a paragraph opening with a quotation mark and a speaker label in capitals
_QUOTED_TURN = re.compile(
    r"^[ \t]*[\"“]([A-Z][A-Z.'’-]*(?: [A-Z][A-Z.'’-]*){0,2}):[ \t]+(?=\S)", re.MULTILINE
)
_NOT_LABELS = frozenset(
    "VIDEO PHOTO PHOTOS WATCH UPDATE BREAKING EXCLUSIVE READ NOTE CORRECTION LISTEN WARNING SOURCE CREDIT "
    "IMAGE CAPTION FILE RELATED SEE ALSO".split()
)


@dataclass(frozen=True, kw_only=True, slots=True)
class Statement:
    """One attributed statement; every offset indexes the analysed text (end exclusive)."""

    content: Offsets
    kind: StatementKind
    partial: bool = False
    cue: Offsets | None = None
    cue_lemma: str | None = None
    speaker: Offsets | None = None
    speaker_text: str | None = None
    speaker_kind: SpeakerKind = "unknown"
    anonymous: AnonymousSource | None = None
    speaker_antecedent: Offsets | None = None
    continuation: bool = False
    sentence: Offsets = (0, 0)


# ------------------------------------------------------------------------------------------------ main


def find_statements(text: str, *, nlp_doc: Doc | None = None) -> list[Statement]:
    """Statements of ``text`` in text order. ``nlp_doc`` is a parse of exactly ``text`` (else parsed)."""
    if not text.strip():
        return []
    if nlp_doc is None:
        nlp_doc = parse(text)
    elif nlp_doc.text != text:
        raise ValueError("nlp_doc is not a parse of text")
    return _Analyzer(text, nlp_doc, load_cue_lexicon()).run()


def parse(text: str) -> Doc:
    """Parse ``text`` with the shared pipeline, a line break always ending a sentence."""
    from storyline.analyze.nlp import parse as shared_parse

    return shared_parse(text)


class _Analyzer:
    def __init__(self, text: str, doc: Doc, lex: CueLexicon) -> None:
        self.text = text
        self.doc = doc
        self.lex = lex
        self.tok_starts = [t.idx for t in doc]
        self.sents = _line_sents(doc)
        self.sent_starts = [s.start for s in self.sents]
        # paragraphs are the non-blank lines (blank lines between them do not count)
        self.para_starts = [0] + [
            i + 1 for i, c in enumerate(text) if c == "\n" and text[i + 1 : i + 2].strip()
        ]
        self.para_starts_set = frozenset(self.para_starts)
        self.quotes = find_quoted_spans(text)
        # quote index per token (-1 outside quotes; marks belong to their quote)
        self.tok_quote = [-1] * len(doc)
        qi = 0
        for t in doc:
            while qi < len(self.quotes) and self.quotes[qi].outer_end <= t.idx:
                qi += 1
            if qi < len(self.quotes) and self.quotes[qi].open_pos <= t.idx < self.quotes[qi].outer_end:
                self.tok_quote[t.i] = qi
        self.model = load_cue_model()
        self._person_mentions: list[tuple[int, int, int, bool]] | None = None
        self._person_starts: list[int] = []
        self._cue_chars: list[int] = []

    # -- helpers
    def tok_at(self, char: int) -> int:
        """Index of the token containing (or starting after) ``char``."""
        i = bisect.bisect_right(self.tok_starts, char) - 1
        return max(i, 0)

    def sent_of(self, tok: int) -> int:
        return bisect.bisect_right(self.sent_starts, tok) - 1

    def para_of(self, char: int) -> int:
        return bisect.bisect_right(self.para_starts, char) - 1

    def chars(self, rng: tuple[int, int]) -> Offsets:
        s, e = rng
        return self.doc[s].idx, self.doc[e - 1].idx + len(self.doc[e - 1])

    # -- cues
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
            if entry is None and tok.pos_ == "VERB" and lemma not in _NOT_CUES:
                # any verb with a person-like subject and a that-clause reports speech or thought
                ccomp = next((c for c in tok.children if c.dep_ == "ccomp" and c.i > tok.i), None)
                subj = _find_subject(tok)
                if (
                    ccomp is not None
                    and subj is not None
                    and _source_like(subj, lex)
                    and any(g.dep_ in _SUBJ for g in ccomp.children)
                ):
                    entry = CueEntry(lemma=lemma, content=frozenset({"clause"}), direct=False)
            if entry is None and tok.pos_ == "VERB" and self.model is not None:
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
        out.extend(self._colon_cues())
        out.sort(key=lambda c: c.token)
        return out

    def _learned_cue(self, tok: Token) -> bool:
        """Whether the learned model takes verb ``tok`` for a cue: a person's report at the model's
        threshold; an organisation's or a country's ("the FBI decided …") only when the model is surer,
        since their acts ("Ukraine defended its territory") are no reports."""
        if self.model is None:
            return False
        subj = _find_subject(tok)
        if subj is None or not _source_like(subj, self.lex):
            return False
        p = self.model.probability(verb_features(tok, lex=self.lex))
        return p >= self.model.threshold if _person_like(subj) else p >= _INSTITUTION_THRESHOLD

    def _learned_retry(self, tok: Token, entry: CueEntry) -> _Cue | None:
        """A lexicon verb its class gates out ("offered no proof", "has not mentioned Machado") that the
        learned model takes for a cue: a report with any content shape."""
        if self.model is None or not self.model.accepts(verb_features(tok, lex=self.lex)):
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

    def _verb_cue(self, tok: Token, entry: CueEntry) -> _Cue | None:
        doc = self.doc
        next_tok = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if entry.particle_required and not any(
            c.lower_ in entry.particles for c in tok.children if c.dep_ in ("prt", "prep")
        ):
            # "calling for his rivals to drop out": "for" parsed as the mark of the infinitive clause
            for_mark = (
                next_tok is not None
                and next_tok.dep_ == "mark"
                and next_tok.lower_ in entry.particles
                and next_tok.head.head.i == tok.i
            )
            # "called him a liar" needs no particle; "talk" without "about" is no report
            if not for_mark and not (
                "object" in entry.content and any(c.dep_ in ("oprd", "xcomp") for c in tok.children)
            ):
                return None
        if tok.pos_ == "ADJ":
            # "X is worried that …": subject of the copula
            head = tok.head if tok.dep_ == "acomp" else tok
            subj = _find_subject(head)
            clauses = [c for c in tok.children if c.dep_ == "ccomp"]
            if not clauses and head is not tok:
                clauses = [c for c in head.children if c.dep_ == "ccomp" and c.i > tok.i]
            if subj is None:
                return None
            if clauses:
                adj_content = _trim(doc, clauses[0].left_edge.i, clauses[-1].right_edge.i + 1)
            else:
                # "X has been critical of Trump": the object of the adjective's preposition
                prep = next(
                    (c for c in tok.children if c.dep_ == "prep" and c.lower_ in entry.particles), None
                )
                pobj = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None) if prep else None
                if pobj is None or not _source_like(subj, self.lex):
                    return None
                adj_content = _trim(doc, pobj.left_edge.i, pobj.right_edge.i + 1)
            cue = (head.i if head.i < tok.i else tok.i, tok.i + 1)
            return _Cue(
                token=tok.i,
                cue=cue,
                lemma=tok.lower_,
                speaker=_speaker_range(subj, tok),
                content=adj_content,
                sent=self.sent_of(tok.i),
                direct_ok=False,
            )
        cue = self._cue_words(tok, entry)
        subj = _find_subject(tok)
        if (
            subj is not None
            and self.tok_quote[subj.i] >= 0
            and self.tok_quote[subj.i] != self.tok_quote[tok.i]
        ):
            # "“… young people do not want …” Sanders said, going on to say that …": the parser hung the
            # participle on a verb of the quotation; a speaker never lies inside quoted content
            subj = self._governing_subject(tok)
        outer = tok.head.head if tok.dep_ == "conj" and tok.head.dep_ == "ccomp" else None
        if (
            outer is not None
            and entry.cls == "speech"
            and tok.tag_ == outer.tag_
            and outer.lemma_.lower() in self.lex.verbs
            and not any(c.dep_ in _SUBJ for c in tok.children)
        ):
            # "X noted Russia had made no concessions and called for …": the second report is X's too
            subj = _find_subject(outer) or subj
        if subj is not None and subj.lower_ in _NON_SPEAKER and subj.dep_ != "relcl":
            if subj.lower_ != "it" or (tok.dep_ == "ROOT" and subj.dep_ == "nsubjpass"):
                subj = None
        passive_object: Token | None = None
        if subj is not None and subj.dep_ == "nsubjpass":
            # "he was quoted as saying" / "it was announced": the passive subject is not the speaker,
            # unless the verb is an infinitive-taking one ("X was urged to" is not a report of X)
            agent = next((c for c in tok.children if c.dep_ == "agent"), None)
            passive_object = subj if subj.lower_ not in _NON_SPEAKER else None
            subj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent else None
        speaker = _speaker_range(subj, tok) if subj is not None else None
        content = _content_for(tok, entry, speaker or (0, 0))
        if (
            content is None
            and passive_object is not None
            and subj is not None
            and subj.pos_ != "PRON"  # "was welcomed by nobody"
            and _source_like(subj, self.lex)
            and entry.cls in ("speech", "stance", "attitude")
            and "object" in entry.content
        ):
            # "Clinton has been endorsed by dozens of papers": the agent holds a view of the passive subject
            content = _speaker_range(passive_object, tok)
        elif content is None and passive_object is not None and subj is None and "object" in entry.content:
            # "Peacekeepers have been accused of hurting civilians": an allegation of unnamed accusers, the
            # passive subject and what it is accused of around the cue
            prep = next(
                (c for c in tok.children if c.dep_ == "prep" and c.i > tok.i and c.lower_ in ("of", "for")),
                None,
            )
            if prep is not None and any(g.dep_ in ("pobj", "pcomp") for g in prep.children):
                content = _trim(doc, _speaker_range(passive_object, tok)[0], prep.right_edge.i + 1)
        if (
            content is not None
            and not any(c.dep_ == "ccomp" for c in tok.children)
            and subj is not None
            and not _source_like(subj, self.lex)
            and subj.pos_ not in ("NOUN", "PROPN")
        ):
            # "the bill includes …", "it supports …": only a source-like subject makes an object a report
            content = None
        if content is None and speaker is not None and entry.direct:
            content = self._after_colon(cue[1])
        if content is None and "clause" in entry.content:
            content = _parenthetical_content(tok) if speaker else None
        if content is not None:
            content = self._extend_colon(_cut_trailing_clause(doc, content))
            words = [t for t in doc[content[0] : content[1]] if t.is_alpha]
            # one word is content only when it names whom the speech or stance is about ("praised Obama",
            # "blasting me", "supports Clinton")
            if not words or (
                len(words) == 1
                and not (
                    entry.cls in ("speech", "stance")
                    and "clause" not in entry.content  # "warns Moscow": the addressee, not the content
                    and (words[0].pos_ == "PROPN" or words[0].lower_ in ("me", "him", "her", "us", "them"))
                )
            ):
                content = None
            elif (
                tok.dep_ == "relcl"
                and any(
                    c.dep_ in ("dobj", "nsubj") and c.lower_ in ("that", "which", "what")
                    for c in tok.children
                )
                and not any(c.dep_ == "ccomp" for c in tok.children)
            ):
                if sum(1 for t in doc[content[0] : content[1]] if t.is_alpha) < 3:
                    content = None
            else:
                low = doc[cue[0] : content[1]].text.lower()
                if any(low.startswith(p) or (" " + p) in low for p in ("asked not to", "declined to be")):
                    return None
        if content is not None and entry.cls == "attitude" and not self._speech_structure(tok, content):
            return None
        if (
            content is not None
            and tok.dep_ == "xcomp"
            and not any(c.dep_ == "ccomp" for c in tok.children)
            and (
                (entry.cls in ("stance", "attitude") and tok.head.lemma_.lower() not in self.lex.verbs)
                or self._cue_class(tok.head) == "cognition"
            )
            and not any(self.tok_quote[i] >= 0 for i in range(content[0], min(content[1], content[0] + 200)))
        ):
            # "plans to attack European countries", "tried to support": an intended act, not a report
            return None
        if (
            content is not None
            and entry.cls == "stance"
            and (subj is None or not _source_like(subj, self.lex))
        ):
            # "the bill supports …", "pushing the limits": a stance needs a holder
            return None
        if content is None or content[1] - content[0] < 1:
            if speaker is not None and entry.direct:
                # "X said:" / "“…,” he said" — the content may be a quotation found later
                return _Cue(
                    token=tok.i,
                    cue=cue,
                    lemma=entry.lemma,
                    speaker=speaker,
                    content=None,
                    sent=self.sent_of(tok.i),
                    direct_ok=True,
                )
            return None
        return _Cue(
            token=tok.i,
            cue=cue,
            lemma=entry.lemma,
            speaker=speaker,
            content=content,
            sent=self.sent_of(tok.i),
            direct_ok=entry.direct,
            wraps=content[1] <= tok.i or content[0] < tok.i < content[1],
        )

    def _governing_subject(self, tok: Token) -> Token | None:
        """The subject of the report a participial continuation ("…, adding that", "going on to say")
        follows: the nearest reporting verb before it in its sentence, outside quotations, with a subject
        outside quotations."""
        head = tok
        while head.dep_ in ("xcomp", "aux", "prt") and head.head is not head and head.head.i < head.i:
            head = head.head
        if head.tag_ != "VBG" or head.i == 0 or self.doc[head.left_edge.i - 1].text not in (",", "—", "–"):
            return None
        sent = self.sents[self.sent_of(head.i)]
        for i in range(head.left_edge.i - 1, sent.start - 1, -1):
            verb = self.doc[i]
            if self.tok_quote[i] >= 0 or verb.pos_ != "VERB" or verb.lemma_.lower() not in self.lex.verbs:
                continue
            subj = next((c for c in verb.children if c.dep_ in _SUBJ), None)
            if subj is not None and self.tok_quote[subj.i] < 0 and subj.lower_ not in _NON_SPEAKER:
                return subj
            return None
        return None

    def _cue_class(self, tok: Token) -> CueClass | None:
        entry = self.lex.verbs.get(tok.lemma_.lower())
        return entry.cls if entry is not None and tok.pos_ in ("VERB", "AUX") else None

    def _speech_structure(self, tok: Token, content: tuple[int, int]) -> bool:
        """Whether attitude verb ``tok`` ("welcomed", "targeting", "supports") reports a statement here.

        It does with a clausal or infinitive complement ("found that …", "refused to …"), a predicative
        complement ("welcomed the deal as a first step", "labelled it a hoax"), a quotation in its content,
        a speech frame on the verb or its clause ("in a statement", "on Twitter", "…, saying …"), or an
        object that is speech or stance itself ("raised concerns", "expressed support")."""
        doc = self.doc
        lex = self.lex
        if any(c.dep_ in ("ccomp", "xcomp", "oprd") for c in tok.children):
            return True
        if any(self.tok_quote[i] >= 0 for i in range(content[0], min(content[1], content[0] + 200))):
            return True
        heads = [tok]
        if tok.dep_ in ("xcomp", "conj", "advcl") and tok.head is not tok:
            heads.append(tok.head)
        for head in heads:
            for c in head.children:
                if c.dep_ == "prep" and c.lower_ == "as" and c.i > tok.i:
                    return True
                if c.dep_ == "prep":
                    pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    if pobj is not None and (
                        pobj.lemma_.lower() in lex.speech_frames or pobj.lower_ in lex.speech_frames
                    ):
                        return True
                if (
                    c.dep_ in ("advcl", "conj", "xcomp")
                    and c is not tok
                    and c.lemma_.lower() in lex.verbs
                    and lex.verbs[c.lemma_.lower()].cls == "speech"
                ):
                    return True
        for i in range(content[0], content[1]):
            t = doc[i]
            if t.dep_ == "pobj" and t.head.dep_ == "prep" and t.head.lower_ in ("in", "on", "during"):
                if t.lemma_.lower() in lex.speech_frames or t.lower_ in lex.speech_frames:
                    return True
        for c in tok.children:
            if c.dep_ in ("dobj", "obj") and c.lemma_.lower() in lex.stance_objects:
                return True
            if c.dep_ == "dobj":
                # "welcomed the decision as …" sometimes hangs the "as" phrase under the object
                if any(g.dep_ == "prep" and g.lower_ == "as" for g in c.children):
                    return True
        return doc[content[0]].lower_ == "that" and content[1] - content[0] > 3

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
                if pobj is not None:
                    content = _trim(doc, pobj.left_edge.i, pobj.right_edge.i + 1)
            if content is not None:
                break
        if content is None or sum(1 for t in doc[content[0] : content[1]] if t.is_alpha) < 1:
            return None
        source: Token | None = None
        for c in tok.children:
            if c.dep_ == "poss" and c.i < tok.i:
                source = c
            elif c.dep_ == "prep" and c.lower_ in ("by", "from") and c.i > tok.i:
                source = next((g for g in c.children if g.dep_ == "pobj"), None)
        if source is None and tok.dep_ in ("dobj", "pobj"):
            verb = tok.head if tok.dep_ == "dobj" else tok.head.head
            if verb.pos_ in ("VERB", "AUX"):
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

    # -- quotes
    def _quote_role(self, q: QuotedSpan) -> str:
        """'full' (a quotation standing as speech), or 'embedded' (inside a sentence's syntax)."""
        text = self.text
        doc = self.doc
        open_tok = self.tok_at(q.open_pos)
        sent = self.sents[self.sent_of(open_tok)]
        para_start = self.para_starts[self.para_of(q.open_pos)]
        pre_start = max(sent.start_char, para_start)
        pre = text[pre_start : q.open_pos].strip()
        content = text[q.start : q.end]
        words = [
            t for t in doc[self.tok_at(q.start) : self.tok_at(max(q.end - 1, q.start)) + 1] if t.is_alpha
        ]
        multi_sentence = q.paragraphs > 1 or any(
            content[i] in ".?!" and content[i + 1 : i + 3].strip()[:1].isupper()
            for i in range(len(content) - 2)
        )
        if not pre or pre[-1] in ":—–-" or pre[-1] in "•*·":
            return "full"
        # a previous quote ending the same sentence: "“…,” he said, “…”"
        if pre.endswith(",") or pre.endswith("."):
            last_word_tok = self.tok_at(q.open_pos - 1)
            while last_word_tok > 0 and not doc[last_word_tok].is_alpha:
                last_word_tok -= 1
            lw = doc[last_word_tok]
            if lw.lemma_.lower() in self.lex.verbs or lw.lower_ in ("added", "continued", "saying"):
                return "full"
            if multi_sentence or (content[:1].isupper() and len(words) >= 6):
                return "full"
        if multi_sentence and content[:1].isupper():
            return "full"
        last = self.tok_at(q.open_pos - 1)
        while last > 0 and not doc[last].is_alpha:
            last -= 1
        if doc[last].lemma_.lower() in self.lex.verbs and content[:1].isupper() and len(words) >= 4:
            return "full"
        return "embedded"

    def _quoted_turns(self) -> list[Statement]:
        """``"WALLACE: Let's start …`` / ``"PENCE: Well, …``: a transcript quoted paragraph by paragraph;
        each turn is the label's direct statement, the colon its cue, the rest of the paragraph and of the
        quoted paragraphs without a label that follow it (not a stage note "(CROSSTALK.)") its content,
        without a closing mark."""
        out: list[Statement] = []
        text = self.text

        def para_end(i: int) -> int:
            j = text.find("\n", i)
            return _rstrip(text, i, len(text) if j < 0 else j)

        for m in _QUOTED_TURN.finditer(text):
            label = m.group(1)
            if label.rstrip(".") in _NOT_LABELS or len(label.replace(" ", "")) < 2:
                continue
            start = m.end()
            end = para_end(start)
            while True:
                nxt = end
                while nxt < len(text) and text[nxt].isspace():
                    nxt += 1
                if (
                    nxt >= len(text)
                    or "\n" not in text[end:nxt]
                    or text[nxt] not in '"“'
                    or text[nxt + 1 : nxt + 2] in ("(", "[", "")
                    or _QUOTED_TURN.match(text, text.rfind("\n", 0, nxt) + 1)
                ):
                    break
                end = para_end(nxt)
            if end > start and text[end - 1] in '"”':
                end = _rstrip(text, start, end - 1)
            if len(text[start:end].split()) < 2:
                continue
            colon = m.start(1) + len(label)
            toks = (self.tok_at(m.start(1)), self.tok_at(colon - 1) + 1)
            cue = _Cue(
                token=self.tok_at(colon),
                cue=(self.tok_at(colon), self.tok_at(colon) + 1),
                lemma=":",
                speaker=toks,
                content=None,
                sent=self.sent_of(self.tok_at(colon)),
            )
            st = self._statement(
                content=(start, end),
                content_is_chars=True,
                kind="direct",
                partial=False,
                cue=cue,
                sentence=self._sentence_chars(start, end),
            )
            out.append(replace(st, cue=(colon, colon + 1), speaker=(m.start(1), colon), speaker_text=label))
        return out

    def _byline_cue(self, byline: Byline) -> _Cue:
        """``“…” ― Sonya Herridge``: the dash is the cue, the name after it the speaker."""
        dash = self.tok_at(byline.dash[0])
        name = (self.tok_at(byline.name[0]), self.tok_at(byline.name[1] - 1) + 1)
        return _Cue(
            token=dash,
            cue=(dash, dash + 1),
            lemma=self.text[byline.dash[0] : byline.dash[1]],
            speaker=name,
            content=None,
            sent=self.sent_of(dash),
        )

    def _cue_for_quote(self, q: QuotedSpan, cues_by_sent: dict[int, list[_Cue]]) -> _Cue | None:
        doc = self.doc
        first = self.sent_of(self.tok_at(q.open_pos))
        last = self.sent_of(self.tok_at(max(q.outer_end - 1, q.open_pos)))
        cand_sents = list(range(first, last + 1))
        # the sentence after the quote when it starts in lower case ("“…?” he asks.")
        if last + 1 < len(self.sents):
            nxt = self.sents[last + 1]
            ft = next((t for t in nxt if not t.is_space), None)
            short = len([t for t in nxt if t.is_alpha]) <= 8 and nxt.start_char - q.outer_end <= 2
            if ft is not None and (ft.text[:1].islower() or ft.lower_ in ("said", "says") or short):
                if self.para_of(nxt.start_char) == self.para_of(q.outer_end - 1):
                    cand_sents.append(last + 1)
        # the sentence before, ending with a colon ("He said:\n“…”")
        if first > 0:
            prev = self.sents[first - 1]
            if self.text[prev.start_char : prev.end_char].rstrip().endswith(":"):
                cand_sents.insert(0, first - 1)
        best: _Cue | None = None
        best_key: tuple[int, int] | None = None
        q_tok_start = self.tok_at(q.start)
        q_tok_end = self.tok_at(max(q.end - 1, q.start)) + 1
        for si in cand_sents:
            for cue in cues_by_sent.get(si, ()):
                if not cue.direct_ok or cue.speaker is None:
                    continue
                # the cue must be outside every quotation, and its speaker outside this one
                if self.tok_quote[cue.token] >= 0:
                    continue
                if q_tok_start <= cue.speaker[0] < q_tok_end or q_tok_start < cue.speaker[1] <= q_tok_end:
                    continue
                overlaps = (
                    cue.content is not None and cue.content[0] < q_tok_end and q_tok_start < cue.content[1]
                )
                close_tok = self.tok_at(max(q.outer_end - 1, q.open_pos))
                open_tok = self.tok_at(q.open_pos)
                adjacent = 0 < cue.token - close_tok <= 5 or 0 < open_tok - cue.token <= 4
                # a cue whose content is other (unquoted) text is not this quote's cue
                if cue.content is not None and not overlaps and not adjacent:
                    cstart, cend = cue.content
                    if any(self.tok_quote[i] < 0 and doc[i].is_alpha for i in range(cstart, cend)):
                        if not (si == first - 1):
                            continue
                dist = min(abs(cue.token - q_tok_start), abs(cue.token - q_tok_end))
                key = (0 if overlaps else 1, dist)
                if best_key is None or key < best_key:
                    best, best_key = cue, key
        return best

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
                    subj = ent.root.dep_ in ("nsubj", "nsubjpass") or (
                        ent.root.dep_ in ("compound", "appos") and ent.root.head.dep_ == "nsubj"
                    )
                    out.append((ent.start, ent.end, self.sent_of(ent.start), subj))
                    seen.update(range(ent.start, ent.end))
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
                return None
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
            return chosen[0], chosen[1]
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
            if kind_sp == "pronoun":
                a = self.antecedent(span.root.i)
                if a is not None and a[1] > a[0]:
                    ante = self.chars(a)
                    if doc[span.root.i].lower_ in _PLURAL_PRON:
                        akind, aanon = _classify_speaker(doc[a[0] : a[1]], self.lex)
                        if akind == "anonymous":
                            anon = aanon
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

    def _sentence_chars(self, start_char: int, end_char: int) -> Offsets:
        s = self.sents[self.sent_of(self.tok_at(start_char))]
        e = self.sents[self.sent_of(self.tok_at(max(end_char - 1, start_char)))]
        return s.start_char, _rstrip(self.text, e.start_char, e.end_char)

    def run(self) -> list[Statement]:
        cues = self.find_cues()
        self._cue_chars = [self.doc[c.token].idx for c in cues]
        cues_by_sent: dict[int, list[_Cue]] = {}
        for c in cues:
            cues_by_sent.setdefault(c.sent, []).append(c)
        used: set[int] = set()
        out: list[Statement] = []
        last_direct: Statement | None = None
        last_direct_para = -10
        embedded: list[QuotedSpan] = []
        turns = self._quoted_turns()
        out.extend(turns)
        # a quotation opening in a turn's paragraph is a piece of the turn (or a quotation inside it)
        turn_paras = {self.para_of(t.content[0]) for t in turns}
        for q in self.quotes:
            if self.para_of(q.open_pos) in turn_paras or any(
                q.start < t.content[1] and t.content[0] < q.end for t in turns
            ):
                continue
            byline = epigraph_byline(self.text, q)
            role = "full" if byline is not None else self._quote_role(q)
            if role == "embedded":
                embedded.append(q)
                continue
            sentence = self._sentence_chars(q.open_pos, q.outer_end)
            cue = self._byline_cue(byline) if byline is not None else self._cue_for_quote(q, cues_by_sent)
            para = self.para_of(q.open_pos)
            if cue is not None:
                used.add(cue.token)
                st = self._statement(
                    content=(q.start, q.end),
                    content_is_chars=True,
                    kind="direct",
                    partial=False,
                    cue=cue,
                    sentence=sentence,
                )
                if byline is not None:
                    st = replace(st, cue=byline.dash)  # the dash alone, even when glued to the mark
            elif last_direct is None or para - last_direct_para > 1:
                prev_st = self._last_reported_before(q.open_pos, cues)
                if prev_st is not None:
                    st = self._statement(
                        content=(q.start, q.end),
                        content_is_chars=True,
                        kind="direct",
                        partial=False,
                        cue=prev_st,
                        sentence=sentence,
                    )
                    st = replace(st, cue=None, cue_lemma=None, continuation=True)
                else:
                    st = self._statement(
                        content=(q.start, q.end),
                        content_is_chars=True,
                        kind="direct",
                        partial=False,
                        cue=None,
                        sentence=sentence,
                    )
            elif last_direct is not None and last_direct.speaker is not None and para - last_direct_para <= 1:
                st = self._statement(
                    content=(q.start, q.end),
                    content_is_chars=True,
                    kind="direct",
                    partial=False,
                    cue=None,
                    sentence=sentence,
                    continuation=True,
                    inherited=last_direct,
                )
            else:
                st = self._statement(
                    content=(q.start, q.end),
                    content_is_chars=True,
                    kind="direct",
                    partial=False,
                    cue=None,
                    sentence=sentence,
                )
            out.append(st)
            last_direct = st if st.speaker is not None else last_direct
            last_direct_para = self.para_of(q.end) if st.speaker is not None else last_direct_para
        # a cue inside the content of a wrapping attribution ("according to X, Putin is confident that …")
        # reports what X says, not a statement of its own
        wrapping = [c for c in cues if c.content is not None and c.wraps]
        weak = {e.lemma for e in self.lex.verbs.values() if e.cls == "cognition"} | set(self.lex.adjectives)
        nested: set[int] = set()
        for cue in cues:
            near = [c for si in (cue.sent - 1, cue.sent, cue.sent + 1) for c in cues_by_sent.get(si, ())]
            for outer in (c for c in near if c.content is not None and c is not cue):
                assert outer.content is not None
                if outer.content[0] <= cue.token < outer.content[1] and (
                    outer in wrapping or cue.lemma in weak
                ):
                    nested.add(cue.token)
                    break
        cues = [c for c in cues if c.token not in nested or c.token in used]
        # indirect statements: every cue with content not used by a direct quote
        indirect: list[tuple[_Cue, Statement]] = []
        direct_ranges = sorted((s.content for s in out), key=lambda r: r[0])
        direct_starts = [r[0] for r in direct_ranges]
        for cue in cues:
            if cue.token in used or cue.content is None:
                continue
            c_chars = self.chars(cue.content)
            # content that is (mostly) a direct quote already reported
            j = bisect.bisect_right(direct_starts, c_chars[1]) - 1
            dup = False
            while j >= 0 and direct_ranges[j][1] > c_chars[0]:
                ov = min(direct_ranges[j][1], c_chars[1]) - max(direct_ranges[j][0], c_chars[0])
                if ov >= 0.6 * (c_chars[1] - c_chars[0]):
                    dup = True
                    break
                j -= 1
            if dup:
                continue
            has_quote = any(
                self.tok_quote[i] >= 0
                for i in range(cue.content[0], min(cue.content[1], cue.content[0] + 400))
            )
            st = self._statement(
                content=cue.content,
                content_is_chars=False,
                kind="mixed" if has_quote else "indirect",
                partial=False,
                cue=cue,
                sentence=self._sentence_chars(c_chars[0], c_chars[1]),
            )
            indirect.append((cue, st))
            out.append(st)
        # embedded quotations: partial quotes of the reported speaker, or scare quotes
        indirect_by_sent: dict[int, list[tuple[_Cue, Statement]]] = {}
        for pair in indirect:
            indirect_by_sent.setdefault(pair[0].sent, []).append(pair)
        for q in embedded:
            owner: Statement | None = None
            best_len = None
            q_sent = self.sent_of(self.tok_at(q.open_pos))
            near_pairs = [
                pair for si in range(q_sent - 3, q_sent + 4) for pair in indirect_by_sent.get(si, ())
            ]
            for _cue, st in near_pairs:
                if st.content[0] <= q.open_pos and q.end <= st.content[1] + 1:
                    ln = st.content[1] - st.content[0]
                    if best_len is None or ln < best_len:
                        owner, best_len = st, ln
            sentence = self._sentence_chars(q.open_pos, q.outer_end)
            if owner is None:
                # a cue of the same sentence whose speaker is known ("accused Putin of “bluster”")
                si = self.sent_of(self.tok_at(q.open_pos))
                for cue in cues_by_sent.get(si, ()):
                    if cue.speaker is not None and cue.token < self.tok_at(q.open_pos):
                        owner = self._statement(
                            content=(q.start, q.end),
                            content_is_chars=True,
                            kind="direct",
                            partial=True,
                            cue=cue,
                            sentence=sentence,
                        )
                if owner is None:
                    continue  # a scare quote
                out.append(owner)
                continue
            # a quoted fragment of the owner's reported speech: same cue and speaker
            out.append(
                replace(
                    owner,
                    content=(q.start, q.end),
                    kind="direct",
                    partial=True,
                    continuation=False,
                    sentence=sentence,
                )
            )
        out.sort(key=lambda s: (s.content[0], -s.content[1], s.partial))
        return out


def _line_sents(doc: Doc) -> list[Span]:
    """The parser's sentences, cut again at line breaks (a headline is never part of the lead)."""
    out: list[Span] = []
    for sent in doc.sents:
        start = sent.start
        for tok in sent:
            if tok.is_space and "\n" in tok.text and tok.i + 1 < sent.end:
                if tok.i + 1 > start:
                    out.append(doc[start : tok.i + 1])
                start = tok.i + 1
        if start < sent.end:
            out.append(doc[start : sent.end])
    return out


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
