"""A reporting verb (or predicative adjective) as a cue: its words, its speaker (the subject, inherited
through participles, conjunctions and passives), its content, and the class gates of the lexicon (see
:mod:`storyline.analyze.quotes`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.analyze.attribution_frames import _FrameCues
from storyline.analyze.attribution_syntax import (
    _NON_SPEAKER,
    _SUBJ,
    _content_for,
    _Cue,
    _cut_trailing_clause,
    _find_subject,
    _finite_tag,
    _parenthetical_content,
    _skip_dateline,
    _source_like,
    _speaker_range,
    _trim,
)
from storyline.analyze.cue_lexicon import CueClass, CueEntry, CueLexicon, load_cue_lexicon
from storyline.cities import city

if TYPE_CHECKING:
    from spacy.tokens import Token


class _VerbCues(_FrameCues):
    def _verb_cue(self, tok: Token, entry: CueEntry) -> _Cue | None:
        doc = self.doc
        next_tok = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if entry.particle_required and not any(
            c.lower_ in entry.particles and not _dated(c) for c in tok.children if c.dep_ in ("prt", "prep")
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
                "object" in entry.content
                and (any(c.dep_ in ("oprd", "xcomp") for c in tok.children) or _names_object(tok))
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
        if (tok.lemma_.lower() in _ASKED and tok.tag_ == "VBN" and tok.dep_ in ("acl", "advcl")) or (
            _parenthetical_ask(tok)
        ):
            # "Putin, asked about the talks, said …", "Asked about the talks, Putin said …": the one
            # asked is not the speaker ("Peskov was asked whether …" stays: a question whose asker
            # the text does not name)
            return None
        if _purpose_of_gathering(tok):
            # "Macron hosted ministers on Thursday to discuss the plan": why they met, not what was said
            return None
        if _unrealized(tok):
            # "Washington hoped to announce a deal": nothing has been announced
            return None
        if _armed_attack(tok):
            # "Russian forces attacked Kyiv overnight": an attack with arms, not with words
            return None
        cue = self._cue_words(tok, entry)
        subj = _find_subject(tok)
        if subj is None:
            # "Putin, asked about the talks, said …" parsed with "asked" as a clause of "said": the
            # subject of that parenthesis is the speaker
            aside = next((c for c in tok.children if c.dep_ == "ccomp" and _parenthetical_ask(c)), None)
            subj = _find_subject(aside) if aside is not None else _misparsed_subject(tok)
        if _reduced_relative(tok, subj):
            # "The agreement, first concluded in 2019, would create …": a participle describing its noun
            return None
        reporter = self._reporting_head(tok)
        if reporter is not None:
            # "X said that A until B withdrew, rejecting C": the participle after the report's content
            # continues the report; its speaker is the reporter, never an entity inside the content
            subj = _find_subject(reporter)
        if (
            subj is not None
            and self.tok_quote[subj.i] >= 0
            and self.tok_quote[subj.i] != self.tok_quote[tok.i]
        ):
            # "“… young people do not want …” Sanders said, going on to say that …": the parser hung the
            # participle on a verb of the quotation; a speaker never lies inside quoted content
            subj = self._governing_subject(tok)
        first = tok
        while first.dep_ == "conj" and first.head.i != first.i and first.i - first.head.i < 60:
            first = first.head  # "said that A has never interfered and does not interfere … and accused B"
        outer = first.head if first is not tok and first.dep_ == "ccomp" else None
        if (
            outer is not None
            and _finite_tag(tok) == outer.tag_
            and (tok.tag_ == outer.tag_ or tok.tag_ != tok.head.tag_)  # "had interfered and accused": shared
            # "X said Putin had discussed A but declined B": a conjunct in the reporter's tense, not in
            # its head's, is the reporter's own act
            and (entry.cls == "speech" or tok.tag_ != tok.head.tag_)
            and outer.lemma_.lower() in self.lex.verbs
            and not any(c.dep_ in _SUBJ for c in tok.children)
        ):
            # "X noted Russia had made no concessions and called for …": the second report is X's too
            subj = _find_subject(outer) or subj
        if (
            subj is not None
            and subj.lower_ in ("it", "this", "that")
            and tok.dep_ == "ROOT"
            and any(
                c.dep_ == "aux"
                and (
                    c.lower_ in ("would", "could", "might")
                    or (c.lower_ in ("will", "'ll") and _conditional(tok))
                )
                for c in tok.children
            )
        ):
            # "Any such deal would be a disgrace. It would tell every autocrat that aggression pays", "If
            # Brussels folds now, it will tell every regime that …": what a thing would tell, in a writer's
            # argument, is no one's statement
            return None
        if subj is not None and subj.lower_ in _NON_SPEAKER and subj.dep_ != "relcl":
            if subj.lower_ != "it" or (tok.dep_ == "ROOT" and subj.dep_ == "nsubjpass"):
                subj = None
        passive_object: Token | None = None
        reduced = False
        if subj is not None and subj.dep_ == "nsubjpass":
            # "he was quoted as saying" / "it was announced": the passive subject is not the speaker,
            # unless the verb is an infinitive-taking one ("X was urged to" is not a report of X)
            agent = next((c for c in tok.children if c.dep_ == "agent"), None)
            passive_object = subj if subj.lower_ not in _NON_SPEAKER else None
            subj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent else None
        elif subj is not None and self._reduced_passive(tok, subj):
            # "Moldova votes as Russia accused of meddling": a headline's passive without "is"; the subject
            # is the accused, the accusers are unnamed
            passive_object, subj = subj, None
            reduced = True
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
        elif (
            (content is None or reduced)
            and passive_object is not None
            and subj is None
            and "object" in entry.content
            and tok.lemma_.lower() in self.lex.allegation_verbs  # "they had been warned of cuts": addressed
        ):
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
        if (
            content is not None
            and "clause" in entry.content
            and tok.dep_ == "parataxis"
            and sum(1 for t in doc[content[0] : content[1]] if t.is_alpha) == 1
        ):
            content = None  # "…, he told me on Friday, is that …": the addressee; the frame's clause is said
        if content is None and speaker is not None and entry.direct:
            content = self._after_colon(cue[1])
        if content is None and "clause" in entry.content:
            content = _parenthetical_content(tok) if speaker else None
        if content is not None:
            content = self._extend_colon(_cut_trailing_clause(doc, _skip_dateline(doc, content)))
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
        if (
            content is not None
            and entry.lemma in _LIKING
            and doc[content[0]].lower_ in ("a", "an")
            and not any(c.dep_ in ("ccomp", "xcomp") for c in tok.children)
        ):
            # "Macron loves a grand gesture": a liking for a kind of thing is a trait, not a stance
            return None
        if content is not None and entry.cls == "attitude" and not self._speech_structure(tok, content):
            return None
        if (
            content is not None
            and (entry.cls == "stance" or entry.lemma in self.lex.verdict_verbs)
            and self._act_on_object_after_report(tok, content)
        ):
            self._act_objects.append(content)
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
        if content is not None and (
            (entry.cls == "stance" and (subj is None or not _source_like(subj, self.lex)))
            or (entry.holder and subj is not None and not _shows(subj, self.lex))
        ):
            # "the bill supports …", "pushing the limits": a stance needs a holder; so does a
            # showing ("the poll shows …" reports; "the climbdown shows …" is the writer's reading)
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

    def _reduced_passive(self, tok: Token, subj: Token) -> bool:
        """Whether verb ``tok`` of allegation or judgement (``allegation_verbs``) stands in a passive without
        its auxiliary, as headlines write it: "Russia accused of meddling", "Minister criticised over
        remarks" — a subject before it, no auxiliary, no object or clause, and "of", "for", "over" or "with"
        right after it."""
        doc = self.doc
        if tok.lemma_.lower() not in self.lex.allegation_verbs or tok.tag_ not in ("VBN", "VBD"):
            return False
        # "Russia accused of …" as a clause, or "A man accused of murder said …" as a participle on its noun
        headline = subj.dep_ == "nsubj" and subj.i < tok.i and subj.head.i == tok.i
        if not headline and not (tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.i == subj.i):
            return False
        if any(c.dep_ in ("aux", "auxpass", "dobj", "dative", "ccomp", "xcomp", "obj") for c in tok.children):
            return False
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        return (
            nxt is not None
            and nxt.head.i == tok.i
            and nxt.dep_ == "prep"
            and nxt.lower_ in ("of", "for", "over", "with")
        )

    def _reporting_head(self, tok: Token) -> Token | None:
        """The reporting verb whose clausal content participle ``tok`` (", rejecting …") trails: the
        participle hangs on a verb inside that content, which ends before it."""
        if (
            tok.tag_ != "VBG"
            or tok.dep_ != "advcl"
            or tok.i == 0
            or self.doc[tok.left_edge.i - 1].text != ","
        ):
            return None
        if any(c.dep_ in _SUBJ for c in tok.children):
            return None
        node = tok.head
        for _ in range(6):
            if node.dep_ == "ccomp" and node.head.i != node.i:
                verb = node.head
                entry = self.lex.verbs.get(verb.lemma_.lower())
                if entry is not None and entry.cls == "speech" and verb.i < tok.i:
                    return verb
                return None
            if node.head.i == node.i:
                return None
            node = node.head
        return None

    def _act_on_object_after_report(self, tok: Token, content: tuple[int, int]) -> bool:
        """ "The Kremlin said …, rejecting a European proposal": a comma-set participle of judgement
        trailing a report of speech, whose content is a plain noun phrase object (no clause, infinitive,
        predicative, "as", prepositional complement or quotation), tells what the report did to that object;
        the object is not something said, and the participle is no statement of its own."""
        doc = self.doc
        if tok.tag_ != "VBG" or tok.dep_ != "advcl" or doc[tok.left_edge.i - 1].text != ",":
            return False
        if any(c.dep_ in _SUBJ for c in tok.children):
            return False
        head = tok.head
        head_entry = self.lex.verbs.get(head.lemma_.lower()) if head.i < tok.i else None
        if not (head_entry is not None and head_entry.cls == "speech") and self._reporting_head(tok) is None:
            return False
        objects = [c for c in tok.children if c.i > tok.i and c.dep_ in ("dobj", "obj")]
        if len(objects) != 1 or content != _trim(doc, objects[0].left_edge.i, objects[0].right_edge.i + 1):
            return False
        if any(c.dep_ in ("ccomp", "xcomp", "oprd", "dative") for c in tok.children):
            return False
        if any(c.dep_ == "prep" and c.i > tok.i and not _speech_circumstance_prep(c) for c in tok.children):
            return False  # "accusing Kyiv of stalling": what the accusation says
        return not any(self.tok_quote[i] >= 0 for i in range(content[0], content[1]))

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
                    c.dep_ in ("advcl", "xcomp")  # "…, saying"; not "raised rates but signalled that …"
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


_ASKED = frozenset({"ask", "question"})
_TOPIC_VERBS = frozenset(
    {"discuss", "debate", "consider", "review", "negotiate", "talk", "address", "examine"}
)
_GATHERING_VERBS = frozenset(
    {
        "host",
        "meet",
        "gather",
        "convene",
        "travel",
        "fly",
        "arrive",
        "visit",
        "hold",
        "summon",
        "invite",
        "call",
    }
)


def _purpose_of_gathering(tok: Token) -> bool:
    """Whether ``tok`` is the purpose of a gathering: "hosted ministers to discuss the plan", "met in
    Paris to discuss aid" (an infinitive of a topic verb under a verb of meeting or travel)."""
    return (
        tok.lemma_.lower() in _TOPIC_VERBS
        and tok.dep_ in ("advcl", "xcomp", "relcl", "acl")
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
        and tok.head.lemma_.lower() in _GATHERING_VERBS
    )  # verbs whose passive subject is the one addressed


# verbs of wanting and planning: a report in their infinitive has not been made (their forms too: the
# model lemmatizes "hoped" as "hop")
_UNREALIZING = frozenset(
    "hope hopes hoped hoping want wants wanted wanting plan plans planned planning intend intends intended "
    "intending aim aims aimed aiming seek seeks sought seeking wish wishes wished wishing expect expects "
    "expected expecting try tries tried trying prepare prepares prepared preparing".split()
)


def _unrealized(tok: Token) -> bool:
    """ "hoped to announce a deal", "is expected to unveil the plan", "wants to tell Congress": a
    report hoped for, planned or expected, not one made; "too early to say whether …", "hard to say
    what …": one declined."""
    if (
        tok.tag_ != "VB"
        or tok.dep_ != "xcomp"
        or not any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
    ):
        return False
    head = tok.head
    if head.lower_ in _UNREALIZING or head.lemma_.lower() in _UNREALIZING:
        return True
    # the adjective itself, or the copula it completes ("It is hard to say")
    adjective = head if head.pos_ == "ADJ" else next((c for c in head.children if c.dep_ == "acomp"), None)
    return adjective is not None and adjective.lower_ in _TOO_SOON and tok.lemma_.lower() in ("say", "tell")


_TOO_SOON = frozenset({"early", "soon", "premature", "hard", "difficult", "impossible"})


# "attacked", "blasted" are reports of words only when no arms are in the clause
_FORCE_VERBS = frozenset({"attack", "blast", "hit", "strike", "pound", "target"})
_ARMED = frozenset(
    "force troop army military soldier drone missile rocket jet warplane aircraft artillery bomb shell "
    "navy fighter militant gunman weapon tank".split()
)


def _armed_attack(tok: Token) -> bool:
    """ "Russian forces attacked Kyiv", "attacked Ukraine with 412 drones", "drones attacked the port of
    Odesa": armed forces or arms on either side of the verb, or a state attacking a place."""
    if tok.lemma_.lower() not in _FORCE_VERBS and tok.lower_ not in ("attacked", "blasted", "pounded"):
        return False
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass", "agent") and (c.lemma_.lower() in _ARMED or c.lower_ in _ARMED):
            return True
        if c.dep_ == "agent" and any(g.lemma_.lower() in _ARMED for g in c.children):
            return True
        if c.dep_ == "prep" and c.lower_ == "with" and any(g.lemma_.lower() in _ARMED for g in c.children):
            return True
    # "Russia attacked Kyiv overnight": a state attacking a city or a site (a person attacks with words,
    # and so may a state attack a state: "China attacked the US over tariffs")
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if subj is None or obj is None or subj.ent_type_ not in ("GPE", "NORP"):
        return False
    return obj.ent_type_ in ("LOC", "FAC") or (obj.pos_ == "PROPN" and city(obj.text) is not None)


def _parenthetical_ask(tok: Token) -> bool:
    """ "Putin, asked about the talks, said": a past form of "ask" set off by commas right after its
    subject, before the clause's real verb, read by the parser as a finite verb."""
    if tok.lemma_.lower() not in _ASKED or tok.i == 0 or tok.doc[tok.i - 1].text != ",":
        return False
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.i != tok.i - 2:
        return False
    head = tok.head
    return tok.dep_ == "ccomp" and head.i > tok.i and head.pos_ == "VERB"


def _speech_circumstance_prep(prep: Token) -> bool:
    """Whether preposition ``prep`` tells when or where ("on Tuesday", "in a statement"), not what."""
    pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
    if pobj is None:
        return False
    frames = load_cue_lexicon().speech_frames
    return pobj.ent_type_ in ("DATE", "TIME") or pobj.lemma_.lower() in frames


def _misparsed_subject(tok: Token) -> Token | None:
    """ "Trump, speaking on “Fox & Friends,” said …": a quoted title in a comma-set aside makes the parser
    hang the subject on the verb as an adverbial; a noun opening the sentence, hung on verb ``tok`` before
    it as an adverbial, with the verb's subject missing, is that subject."""
    if tok.pos_ != "VERB" or any(c.dep_ in _SUBJ for c in tok.children):
        return None
    sent_start = tok.sent.start
    for c in tok.lefts:
        if c.dep_ not in ("advcl", "npadvmod", "dep") or c.pos_ not in ("PROPN", "NOUN"):
            continue
        if c.left_edge.i != sent_start:
            continue
        # the noun's own words up to the comma that opens the aside
        if any(t.pos_ in ("VERB", "AUX") for t in tok.doc[c.left_edge.i : c.i]):
            continue
        nxt = tok.doc[c.i + 1] if c.i + 1 < tok.i else None
        if nxt is not None and nxt.text == ",":
            return c
    return None


def _dated(prep: Token) -> bool:
    """Whether preposition ``prep`` governs a date or time ("called the meeting on Tuesday"): a circumstance,
    not the particle of "call on"."""
    return prep.dep_ == "prep" and any(
        g.dep_ == "pobj" and g.ent_type_ in ("DATE", "TIME") for g in prep.children
    )


# verbs of liking: "loves a grand gesture" states a taste, "loves Putin" a stance
_LIKING = frozenset({"love", "like", "hate", "enjoy", "adore", "relish", "dislike"})


def _reduced_relative(tok: Token, subj: Token | None) -> bool:
    """Whether past participle ``tok`` without an auxiliary stands between commas after its parsed
    subject ("The agreement, first concluded in 2019, would …"): a description of the noun, not a verb
    with a subject."""
    if subj is None or subj.i > tok.i or tok.dep_ not in ("ROOT", "parataxis"):
        return False
    if subj.head.i != tok.i or subj.dep_ != "nsubj":
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in tok.children):
        return False
    # the tagger reads such a participle as a past tense when the sentence's predicate follows without a
    # subject, as the participle's clause ("…, would create …") or as the head it is hung on
    headless = any(
        c.dep_ == "ccomp" and c.i > tok.i and not any(g.dep_ in _SUBJ for g in c.children)
        for c in tok.children
    ) or (
        tok.dep_ == "parataxis" and tok.head.i > tok.i and not any(g.dep_ in _SUBJ for g in tok.head.children)
    )
    if tok.tag_ != "VBN" and not (tok.tag_ == "VBD" and headless):
        return False
    doc = tok.doc
    first = min((c.left_edge.i for c in tok.lefts if c.i > subj.i and c.dep_ != "punct"), default=tok.i)
    # the comma right before the participle's phrase, and no verb (a relative clause) since the subject
    return (
        first - 1 > subj.i
        and doc[first - 1].text == ","
        # "Aaron Kall, the director of debate, compared …": after an apposition the verb is the sentence's
        and not any(t.pos_ in ("VERB", "AUX") or t.dep_ == "appos" for t in doc[subj.i + 1 : first - 1])
    )


def _names_object(tok: Token) -> bool:
    """ "called his actions “a crucial step”", "called the Texas senator “the next George Washington”": the
    parser hangs the second noun phrase of a naming verb on its object as an apposition with no comma."""
    doc = tok.doc
    return any(
        c.dep_ == "dobj"
        and c.i > tok.i
        and any(g.dep_ == "appos" and g.i > c.i and doc[g.left_edge.i - 1].text != "," for g in c.children)
        for c in tok.children
    )


def _conditional(verb: Token) -> bool:
    """Whether ``verb`` is the consequence of an if/unless clause ("If Brussels folds, it will tell …")."""
    return any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
        for c in verb.children
    )


def _shows(subj: Token, lex: CueLexicon) -> bool:
    """Whether ``subj`` can be what shows or indicates a fact as a source does: someone, a document,
    data, a pronoun standing for one, or a part of a document ("portions of his tax returns")."""
    if _source_like(subj, lex) or subj.lower_ in ("it", "this", "they", "these", "datum", "data"):
        return True
    if subj.text[:1].isupper() and subj.i > subj.sent.start:
        return True  # a name the tagger took for a common noun ("RealClearPolitics showing her ahead")
    return subj.lemma_.lower() in _SHOWING_NOUNS


# what can show a fact beyond the sources every cue accepts: records and parts of them
_SHOWING_NOUNS = frozenset(
    "portion part page excerpt copy section transcript slide review recording image photo photograph "
    "chart graph map filing log return".split()
)
