"""Who said what: direct, indirect and mixed statements with their cue and speaker mention.

``find_statements(text)`` is a pure function of the text (plus an optional, already parsed spaCy
``Doc`` of that same text). The cascade, in order:

1. **Quotation marks** (:mod:`storyline.analyze.quote_marks`): every double-quoted stretch, spanning
   sentences and paragraphs, with recovery from unbalanced marks. A quoted title of a show, book or film
   ("appeared on “Morning Joe”", "MSNBC’s “Morning Joe”") is a name, not a quotation.
2. **Cues** from the lexicon ``data/cues.yaml`` found on the dependency parse, outside quotations: a reporting
   verb with its subject (the speaker, inherited from the governing verb for participles such as "…, saying"
   and through relative clauses "X, who said"), and its content (a clausal complement on either side, an
   infinitive or an object, a parenthetical "…, they say, …"; object contents only with a source-like
   subject), predicative adjectives ("X is worried that …"; one the lexicon does not list with a person as
   subject and a preposition of attitude, "voters are tired of …"), reporting nouns ("Trump's claim that …",
   "her support for …"), "according to X" attached to its clause, headline/transcript colons ("Pat Caddell:
   …", "PENCE: …", a transcript turn "FALLIN: …" or a title "Poll: …" taking its whole paragraph; not "Photo:
   …"), "X added:" ending a paragraph taking the next one, "calling for/on X to …", views ("was seen in Kyiv
   as …", "voters see him as …"), and, as a fallback, any verb with a person-like subject and a
   subject-bearing that-clause. A verb or noun the lexicon does not list, or a lexicon verb its class gates
   out, is a cue when the learned model (:mod:`storyline.analyze.attribution_model`, trained on PolNeAR) takes
   it for one — a person's report at the model's threshold, an organisation's only from 0.6, an attitude verb
   only with a person as subject ("Trump attacked Machado", not "Ukraine defended its territory"). Each verb's
   lexicon ``class`` gates it: *speech* verbs report as they stand; *cognition* verbs inside another cue's
   content belong to it; *stance* verbs ("supports", "voted for") need a holder-like subject; *attitude* verbs
   ("welcomed", "targeting", "raised") need speech structure — a clausal/infinitive/predicative complement, a
   quotation, a speech frame ("in a statement") or a speech/stance object ("raised concerns"). An act under a
   cognition verb ("plans to attack …") is intended, not reported. A content stops before a second report
   joined by "and" ("noted A and called for B": two statements of the same speaker), a reporter's gloss (", a
   euphemism that …", "— a metaphor for …", a trailing ", where/when/although …") and ", according to …"; an
   object content stops before when and where the speaker spoke ("attacked X in tweets", "on Tuesday"). A
   passive with an agent ("X has been endorsed by Y") is Y's view of X; an agentless "X was accused of /
   criticized for Y" is an allegation without a speaker, its content the whole clause. A cue whose speaker
   cannot act — an abstract noun, a span of time, a thing ("brain cancer confirmed …", "many painful years …",
   "political correctness encourages …") — is no report. A speaker found inside a quotation the cue is outside
   of is a mis-parse ("“… young people do not want …” Sanders said, going on to say that …"): a participial
   continuation takes the subject of the report before it, else no speaker. A participle trailing a
   report's clausal content ("said that A until B withdrew, rejecting C") and a conjunct in the reporter's
   tense rather than its clause's ("said Putin had discussed A, but declined B") are the reporter's. A past
   participle between commas after its noun ("The agreement, first concluded in 2019, would …") describes
   the noun and reports nothing; so do a liking for a kind of thing ("loves a grand gesture") and "called
   … on Tuesday" ("on" with a date is no particle of "call on"). A section label before a colon
   ("Opinion: …") is no speaker. A content starts after a dateline ("BRUSSELS, Nov 12 (Reuters) - …"),
   stops before a trailing "…, X said, as …" circumstance and before where the speaker spoke hung on an
   object ("rejected the demand in his nightly video address"). A stance, an object-taking attitude verb or
   a reporting noun without a source of its own inside another cue's content is part of that report ("said
   he opposes the deal", "said Washington was pressing Kyiv to accept …"); a nested verb of speech or
   "Trump's claim that …" stays a statement. A comma-set participle of judgement (``verdict_verbs`` or a
   stance) with a plain noun-phrase object trailing a report ("the Kremlin said …, rejecting a European
   proposal") tells what the report did and is no statement, nor is a reporting noun inside its object; one
   whose object is what was said ("…, citing the release of prisoners") stays one. A trailing participle
   with no report in it is part of the content ("said the museum would put them in context, allowing
   people to see …"); one holding a cue ("…, saying …", "…, contradicting police's claim …") is not. A
   clause joined by "and"/"but" to a frame after its content goes on with it ("A, the agency said in a
   report, and B"), a second report does not ("A, officials said, and Russia accused …"); a frame hung on
   the subject it interrupts reports the subject's whole clause ("The difference now, he told me, is that
   …"); "as X put it" and "as X said" report the clause they hang on. To whom or how the speaker spoke is no
   content ("responded to a Gold Star mother", "responded with logic"). "continue" frames quotations only
   ("…,” she continued", "X continued: “…”"). A conjunct of a conjunct in the reporter's tense is the
   reporter's too ("said that Moscow has never interfered and does not interfere … and accused B"; a bare
   past participle counts as a past tense). A gerund after "by", "after", "while" … speaks for the subject
   of the verb it hangs on ("opened the session by urging …"; a lexicon verb only, never "of"/"for": "accused
   him of lying"). A comma-set noun phrase after a verb's content glosses it ("…,” a 2023 pledge to protect
   civilians") and takes no source from the verb; a reporting noun with an armed modifier
   (``armed_modifiers``: "an artillery attack on a camp") is no speech. A headline passive without "is"
   of an allegation verb (``allegation_verbs``: "Russia accused of meddling", "a man accused of murder")
   has no speaker. A headline's coordination by comma ("EU, China agree …") is one speaker. The date of the
   speech between the cue and a clause without "that" ("said on Monday they would …") is no content; a
   comma-set predicative after a frame set in its clause ("…, the commission said, higher than …") is no
   object of the frame.
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
   compatible antecedent in the article ("it": an organisation that is a subject in the same or the two
   sentences before); a role phrase ("the Vermont senator") gets the person named earlier
   with that role (:mod:`storyline.analyze.attribution_roles`), never the place modifying it, or none. A
   speaker's comma-set relative or participle clause is not its name ("The officials, who spoke on
   condition of anonymity" → "The officials", still anonymous), and a definite nominal ("the officials")
   is the earlier anonymous source (a subject or "according to X") with the same head ("three officials
   familiar with the discussions") or, for a generic head (``generic_descriptors``: "the sources", "the
   officials"), with any generic head of the same number ("two officials said …" … "the sources said"). A
   name the parser hangs as an adverbial on a subjectless verb because of a quoted title in an aside
   ("Trump, speaking on “Fox & Friends,” said …") is its subject.

Resolving mentions to canonical actors is the linking step's job, not this module's.

The finder is one class built up stage by stage, one module each: the run's text, parse and quotations
(:mod:`.attribution_context`), cue frames (:mod:`.attribution_frames`), verb cues
(:mod:`.attribution_verbs`), the cue cascade (:mod:`.attribution_cues`), speakers and statement records
(:mod:`.attribution_resolve`), direct quotes (:mod:`.attribution_direct`), and here the assembly of
direct, indirect and embedded statements.
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from storyline.analyze.attribution_context import Statement, StatementKind
from storyline.analyze.attribution_direct import _DirectQuotes
from storyline.analyze.attribution_model import load_cue_model
from storyline.analyze.attribution_speakers import AnonymousSource, SpeakerKind
from storyline.analyze.attribution_syntax import _Cue
from storyline.analyze.attribution_syntax import _cut_trailing_clause as _cut_trailing_clause
from storyline.analyze.cue_lexicon import CueLexicon, lexicon_from_data, load_cue_lexicon
from storyline.analyze.quote_marks import QuotedSpan, epigraph_byline

if TYPE_CHECKING:
    from spacy.tokens import Doc

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

_MODALS = frozenset({"would", "will", "could", "might", "may", "'ll", "wo"})

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

# ------------------------------------------------------------------------------------------------ main


def find_statements(text: str, *, nlp_doc: Doc | None = None) -> list[Statement]:
    """Statements of ``text`` in text order. ``nlp_doc`` is a parse of exactly ``text`` (else parsed)."""
    if not text.strip():
        return []
    if nlp_doc is None:
        nlp_doc = parse(text)
    elif nlp_doc.text != text:
        raise ValueError("nlp_doc is not a parse of text")
    return _Analyzer(text, nlp_doc, load_cue_lexicon(), load_cue_model()).run()


def parse(text: str) -> Doc:
    """Parse ``text`` with the shared pipeline, a line break always ending a sentence."""
    from storyline.analyze.nlp import parse as shared_parse

    return shared_parse(text)


class _Analyzer(_DirectQuotes):
    """The whole cascade: cues, direct quotes, indirect statements, embedded quotations."""

    def run(self) -> list[Statement]:
        cues = self.find_cues()
        self._cue_chars = [self.doc[c.token].idx for c in cues]
        cues_by_sent: dict[int, list[_Cue]] = {}
        for c in cues:
            cues_by_sent.setdefault(c.sent, []).append(c)
        used: set[int] = set()
        out, embedded = self._direct_statements(cues, cues_by_sent, used)
        cues = self._without_nested(cues, cues_by_sent, used)
        indirect = self._indirect_statements(cues, used, out)
        out.extend(st for _cue, st in indirect)
        out.extend(self._embedded_statements(embedded, indirect, cues_by_sent))
        out.sort(key=lambda s: (s.content[0], -s.content[1], s.partial))
        return out

    def _direct_statements(
        self, cues: list[_Cue], cues_by_sent: dict[int, list[_Cue]], used: set[int]
    ) -> tuple[list[Statement], list[QuotedSpan]]:
        """Transcript turns and quotations standing as speech, each with its cue (recorded in ``used``), the
        speaker it continues, or none; and the quotations embedded in a sentence, left for later."""
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
        return out, embedded

    def _without_nested(
        self, cues: list[_Cue], cues_by_sent: dict[int, list[_Cue]], used: set[int]
    ) -> list[_Cue]:
        """``cues`` without those nested in another cue's content (unless a direct quote uses them)."""
        # a cue inside the content of a wrapping attribution ("according to X, Putin is confident that …")
        # reports what X says, not a statement of its own
        wrapping = [c for c in cues if c.content is not None and c.wraps]
        weak = {e.lemma for e in self.lex.verbs.values() if e.cls == "cognition"} | set(self.lex.adjectives)
        # a stance, or an attitude with no clause of its own, inside what another cue reports ("said he
        # opposes the deal", "said Washington was pressing Kyiv to accept …", "said Putin had discussed the
        # issue") is part of that report, not a statement of its own; a nested verb of speech ("said X
        # warned that …") or a reporting noun ("said the criticism of …") is one
        acts = {e.lemma for e in self.lex.verbs.values() if e.cls == "stance"}
        attitudes = {e.lemma for e in self.lex.verbs.values() if e.cls == "attitude"}
        nested: set[int] = set()
        for cue in cues:
            near = [c for si in (cue.sent - 1, cue.sent, cue.sent + 1) for c in cues_by_sent.get(si, ())]
            for outer in (c for c in near if c.content is not None and c is not cue):
                assert outer.content is not None
                if outer.content[0] <= cue.token < outer.content[1] and (
                    (outer in wrapping and not self._relayed_speech(cue))
                    or cue.lemma in weak
                    or self._nested_act(cue, acts, attitudes)
                ):
                    nested.add(cue.token)
                    break
        cues = [c for c in cues if c.token not in nested or c.token in used]
        return cues

    def _relayed_speech(self, cue: _Cue) -> bool:
        """Whether ``cue``, inside a wrapping attribution's content, is a named speaker's own words
        relayed by that source ("He called the meeting 'an important step', according to Xinhua"):
        a verb of speech with a subject that names someone. Thoughts and stances stay the source's
        report ("according to a person familiar …, Putin is confident that …")."""
        tok = self.doc[cue.token]
        entry = self.lex.verbs.get(cue.lemma)
        if tok.pos_ != "VERB" or entry is None or entry.cls != "speech" or cue.speaker is None:
            return False
        root = self.doc[cue.speaker[0] : cue.speaker[1]].root
        return root.dep_ in ("nsubj", "nsubjpass") and root.pos_ == "PROPN"

    def _nested_act(self, cue: _Cue, acts: set[str], attitudes: set[str]) -> bool:
        """Whether ``cue`` is a stance, an object-taking attitude verb or a noun without a source of its own
        (not a clause-taking report), which inside another cue's content is part of it."""
        tok = self.doc[cue.token]
        if tok.pos_ == "NOUN" and cue.speaker is not None:
            # "rejecting a European proposal to …": a noun whose source is a modifier or the governing verb's
            # subject is part of the report around it; "Trump's criticism of …", "a demand from X" name
            # their own source
            root = self.doc[cue.speaker[0] : cue.speaker[1]].root
            return root.dep_ != "poss" and not (root.dep_ == "pobj" and root.head.lower_ in ("by", "from"))
        if tok.pos_ not in ("VERB", "AUX"):
            return False
        if cue.lemma in acts:
            return True
        if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in tok.children) and not any(
            c.dep_ in ("ccomp", "xcomp") for c in tok.children
        ):
            return True  # "adding that he would propose alternatives": a report still to be made, no clause
        # "said Brazil had offered to raise its quota": an offer or a refusal is a report of its own
        return cue.lemma in attitudes and not any(c.dep_ in ("ccomp", "xcomp") for c in tok.children)

    def _indirect_statements(
        self, cues: list[_Cue], used: set[int], out: list[Statement]
    ) -> list[tuple[_Cue, Statement]]:
        """An indirect or mixed statement for each cue with content not used by a direct quote in ``out``."""
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
        return indirect

    def _embedded_statements(
        self,
        embedded: list[QuotedSpan],
        indirect: list[tuple[_Cue, Statement]],
        cues_by_sent: dict[int, list[_Cue]],
    ) -> list[Statement]:
        """Embedded quotations: partial quotes of the reported speaker; a scare quote makes none."""
        out: list[Statement] = []
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
        return out
