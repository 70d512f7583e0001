"""Dependency-parse helpers of the statement finder (:mod:`storyline.analyze.quotes`): token ranges, the
subject of a cue, whether a subject can be a source, and the reported content of a cue verb.

Token ranges are ``(start, end)`` token indices of one spaCy ``Doc``, end exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.analyze.cue_lexicon import CueEntry, CueLexicon, load_cue_lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_SUBJ = frozenset({"nsubj", "nsubjpass", "csubj"})
_INHERIT_SUBJ = frozenset({"advcl", "xcomp", "conj", "pcomp", "acl", "ccomp"})
_STOP_RIGHT = frozenset({"punct", "cc", "conj", "parataxis", "advcl", "mark", "relcl"})
_OBJECT_DEPS = frozenset({"dobj", "prep", "dative", "attr", "oprd", "obj", "pobj", "acomp"})
_THIRD_SG = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_PLURAL_PRON = frozenset({"they", "them", "their"})
_PRONOUNS = frozenset(
    {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "me", "who", "which", "this"}
)
_NON_SPEAKER = frozenset({"it", "this", "that", "which", "what", "there", "these", "those"})
_INSTITUTION_WORDS = frozenset(
    "kremlin ministry house department commission party government council agency bank court congress "
    "senate parliament army forces office committee administration embassy police military navy "
    "campaign company corporation group union organization organisation board service services "
    "institute university times post news network cabinet duma pentagon nato un eu".split()
)
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
# prepositions whose gerund shares the subject of the verb they hang on ("opened the talks by urging …");
# not "accused him of lying", "praised her for saying" (the gerund's subject is the object)
_MANNER_PREPS = frozenset({"by", "after", "before", "while", "upon", "without", "through", "since"})
_TITLES = frozenset("mr mrs ms dr sen rep gov president minister senator governor".split())


@dataclass(kw_only=True, slots=True)
class _Cue:
    token: int  # index of the cue head token
    cue: tuple[int, int]  # token range of the cue words
    lemma: str
    speaker: tuple[int, int] | None  # token range
    content: tuple[int, int] | None  # token range
    sent: int  # sentence index
    direct_ok: bool = True
    wraps: bool = False  # content is a whole clause around/before the cue ("according to", "…, X said")


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range without punctuation/whitespace at its edges."""
    while start < end and (doc[start].is_punct or doc[start].is_space) and doc[start].text not in '“"':
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space) and doc[end - 1].text not in '”"':
        end -= 1
    return start, end


def _subtree_range(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def _speaker_range(tok: Token, cue_tok: Token) -> tuple[int, int]:
    """The mention of a subject token: its subtree, cut before a clause holding the cue; a headline's
    coordination by comma ("EU, China agree to …") is one subject."""
    start, end = _subtree_range(tok)
    doc = tok.doc
    if tok.dep_ == "nsubj" and start >= 2 and doc[start - 1].text == ",":
        first = doc[start - 2]
        while first.dep_ in ("compound", "flat") and first.head.i == first.i + 1:
            first = first.head
        if (
            first.pos_ == "PROPN"
            and first.head.i == tok.head.i
            and first.dep_ in ("npadvmod", "nsubj", "dep", "nmod")
            and first.right_edge.i == start - 2
            and first.left_edge.is_sent_start
            and first.ent_type_ in ("ORG", "GPE", "NORP", "PERSON", "LOC")
            and not (first.text.isupper() and len(first.text) > 4)  # "WASHINGTON, …": a dateline
        ):
            start = first.left_edge.i
    if start <= cue_tok.i < end:
        end = cue_tok.i
        for child in tok.children:
            if child.dep_ in ("relcl", "acl") and child.left_edge.i <= cue_tok.i <= child.right_edge.i:
                end = child.left_edge.i
    for i in range(start, end):
        if doc[i].is_space and "\n" in doc[i].text:
            if i < tok.i:
                start = i + 1
            else:
                end = i
                break
    s, e = _trim(doc, start, end)
    # a subject that swallowed a dateline ("GENEVA, Nov 24 (Reuters) - Ukrainian negotiators said") starts
    # after the dash that ends it
    for i in range(s, min(e, tok.i)):
        if doc[i].text in ("-", "–", "—", "--") and doc[i].whitespace_ and i > s and doc[i - 1].whitespace_:
            s = i + 1
    # a subject that swallowed an opening quote ("“Russia …” said X" mis-parses) is cut at the mark
    for i in range(s, e):
        if doc[i].text in ("“", "”", '"'):
            if i < tok.i:
                s = i + 1
            else:
                e = i
                break
    return _trim(doc, s, e)


def _find_subject(tok: Token, depth: int = 0) -> Token | None:
    subjects = [c for c in tok.children if c.dep_ in _SUBJ]
    if len(subjects) > 1:
        # "The Latest: Trump urges …": of two subjects the parser gives a headline, the one next to the verb
        before = [c for c in subjects if c.i < tok.i]
        subjects = [before[-1]] if before else subjects
    for child in subjects:
        if child.lower_ in ("who", "that", "which") and tok.dep_ == "relcl":
            return tok.head
        return child
    if tok.dep_ == "relcl" and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return tok.head
    if tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN"):
        return tok.head
    if (
        depth < 3
        and tok.dep_ == "pcomp"
        and tok.head.dep_ == "prep"
        and tok.head.lower_ in _MANNER_PREPS
        and tok.head.head.pos_ in ("VERB", "AUX")
        and tok.lemma_.lower() in _lex_verbs()
        and not any(c.dep_ == "auxpass" for c in tok.children)  # "without being told to smile"
    ):
        # "opened the session by urging both delegations to …": the gerund's subject is its verb's (a
        # reporting verb of the lexicon only: "by pretending he does not exist" is no report)
        return _find_subject(tok.head.head, depth + 1)
    if depth < 3 and tok.dep_ in _INHERIT_SUBJ and tok.head.i != tok.i:
        if tok.dep_ == "ccomp":
            return None
        if tok.dep_ == "xcomp":
            # "X wants to say": the controller is the head's subject; "told Y to say": the object
            for sib in tok.head.children:
                if sib.dep_ in ("dobj", "dative") and sib.i < tok.i:
                    return sib
            head = tok.head
            if head.pos_ == "ADJ" and head.dep_ == "acomp" and head.head.pos_ in ("AUX", "VERB"):
                # "Peskov was quick to say …", "was careful to stress …": the copula's subject
                return _find_subject(head.head, depth + 1)
        return _find_subject(tok.head, depth + 1)
    return None


def _after_speech_date(tok: Token, clauses: list[Token], start: int) -> int:
    """The start of a clausal content without "that" that the parser opened with the date of the speech
    ("said on Monday they would resume talks", "said Friday he would go"): a date phrase right after the
    cue and before the clause's subject tells when it was said, not what."""
    doc = tok.doc
    clause = min(clauses, key=lambda c: c.left_edge.i)
    if start != tok.i + 1 or any(g.dep_ == "mark" for g in clause.children):
        return start
    subj = next((g for g in clause.children if g.dep_ in _SUBJ), None)
    if subj is None or subj.left_edge.i <= start:
        return start
    before = [g for g in clause.children if start <= g.i < subj.left_edge.i]
    if not before or not all(
        g.dep_ in ("prep", "npadvmod")
        and any(t.ent_type_ in ("DATE", "TIME") for t in g.subtree)
        and (g.dep_ == "npadvmod" or g.lower_ in _CIRCUMSTANCE_PREPS)
        for g in before
    ):
        return start
    if any(doc[i].text == "," for i in range(start, subj.left_edge.i)):
        return start
    return int(subj.left_edge.i)


def _conjuncts(tok: Token) -> list[Token]:
    """The verbs conjoined to ``tok`` along its chain of conjuncts ("has never interfered and does not
    interfere … and accused …": both after "interfered")."""
    out: list[Token] = []
    todo = [c for c in tok.children if c.dep_ == "conj"]
    while todo and len(out) < 12:
        c = todo.pop(0)
        out.append(c)
        todo.extend(g for g in c.children if g.dep_ == "conj")
    return out


def _finite_tag(tok: Token) -> str:
    """The tag of verb ``tok``, a past participle without an auxiliary of its own counted as a past tense
    (the tagger's "VBN" for "accused" in "… and accused European countries of …")."""
    if tok.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in tok.children):
        return "VBD"
    return str(tok.tag_)


_ADDRESSEE_VERBS = frozenset({"tell", "inform", "assure", "warn", "remind", "notify", "advise", "brief"})
_RELATIVE_WORDS = frozenset({"who", "whom", "whose", "which", "that", "where", "when", "what"})


def _content_for(tok: Token, entry: CueEntry, skip: tuple[int, int]) -> tuple[int, int] | None:
    """Reported content of cue ``tok`` as a token range, or None."""
    doc = tok.doc
    kinds = entry.content
    clauses = [c for c in tok.children if c.dep_ in ("ccomp", "csubj") and not (skip[0] <= c.i < skip[1])]
    if not clauses and entry.direct:
        # "said after the convention he would not …": a subject-bearing clause mis-attached as advcl
        clauses = [
            c
            for c in tok.children
            if c.dep_ == "advcl"
            and c.i > tok.i
            and any(g.dep_ in _SUBJ for g in c.children)
            and not any(g.dep_ == "mark" and g.lower_ != "that" for g in c.children)
        ][:1]
    if "clause" in kinds and not clauses and tok.lemma_.lower() in _ADDRESSEE_VERBS:
        # "told the paper they had been warned": the parser takes the reported clause for a relative
        # clause of the addressee; a "relative clause" with a subject of its own right after the
        # addressee, and no relative word, is what was told
        for c in tok.children:
            if c.dep_ not in ("dobj", "dative") or c.i < tok.i:
                continue
            for r in c.children:
                if (
                    r.dep_ == "relcl"
                    and r.left_edge.i == c.i + 1
                    and any(g.dep_ in _SUBJ and g.lower_ not in _RELATIVE_WORDS for g in r.children)
                    and r.left_edge.lower_ not in _RELATIVE_WORDS
                ):
                    return _trim(doc, r.left_edge.i, r.right_edge.i + 1)
    if "clause" in kinds and clauses:
        start = min(c.left_edge.i for c in clauses)
        end = max(c.right_edge.i for c in clauses) + 1
        if start < tok.i < end:  # clause on both sides; keep the side after the cue
            right = [c for c in clauses if c.i > tok.i]
            if right:
                start = min(c.left_edge.i for c in right)
        elif end <= tok.i:
            # "A, the agency said in a June report, and B": a clause with its own subject joined to the
            # frame after a content before it goes on with what was said (the frame stays inside the span)
            more = _continued_clause(tok, clauses)
            if more is not None:
                return _trim(doc, start, more.right_edge.i + 1)
        if start > tok.i:
            start = _after_speech_date(tok, clauses, start)
        # "said A and Democrats accused B": a conjoined clause with its own report is not this content
        for c in clauses:
            for conj in _conjuncts(c):
                verbs = _lex_verbs()
                if (
                    conj.i > tok.i
                    and not any(g.dep_ == "mark" for g in conj.children)
                    and conj.lemma_.lower() in verbs
                    and (
                        any(g.dep_ in _SUBJ for g in conj.children)
                        # "says he respects her and calls her …": a second report by the same speaker
                        # "says Machado promised A and said B": B is Machado's, a report of its own
                        or verbs[conj.lemma_.lower()].cls == "speech"
                        # "said Putin had discussed A, but declined B": in the reporter's tense, not
                        # the clause's, the conjunct is the reporter's act
                        or (
                            _finite_tag(conj) == tok.tag_ != c.tag_
                            and tok.tag_ in ("VBD", "VBZ")
                            and conj.tag_ != conj.head.tag_
                        )
                    )
                ):
                    end = min(end, conj.left_edge.i)
        while end > start + 1 and (doc[end - 1].dep_ == "cc" or doc[end - 1].text == ","):
            end -= 1  # "… no concessions” and" → without the dangling conjunction
        return _trim(doc, start, end)
    rights = [c for c in tok.children if c.i > tok.i and not (skip[0] <= c.i < skip[1])]
    for c in rights:
        # "called for his rivals to drop out": the parser makes "for" the mark of an infinitive clause
        mark = next((g for g in c.children if g.dep_ == "mark" and g.lower_ in entry.particles), None)
        if c.dep_ == "advcl" and mark is not None and mark.i == tok.i + 1:
            return _trim(doc, mark.i + 1, c.right_edge.i + 1)
    if "inf" in kinds or "object" in kinds or "clause" in kinds:
        # contiguous right dependents: "urged supporters to monitor polling places",
        # "denied the report", "called for talks", "told reporters that …"
        chosen: list[Token] = []
        has_inf = False
        for c in rights:
            if chosen and has_inf and c.dep_ == "conj" and _continues_infinitive(tok, c):
                # "wants to triple X, grow Y and create Z": the parser hangs "grow" and "create" on the cue
                chosen.append(c)
                continue
            if c.dep_ in _STOP_RIGHT and chosen:
                break
            if (
                not chosen
                and tok.dep_ == "parataxis"
                and c.dep_ in ("acomp", "oprd", "attr")
                and any(t.text == "," for t in doc[tok.i + 1 : c.left_edge.i])
            ):
                # "Turnout stood at 31.2%, the commission said, higher than in …": after a frame set in
                # its clause, a comma-set predicative glosses that clause; it is not the frame's object
                break
            if (
                chosen
                and _speech_circumstance(c, entry)
                and not any(g.dep_ in ("xcomp", "ccomp", "oprd") for g in rights if g.i > c.i)
            ):
                # "attacked Machado in early-morning tweets", "denounced it Wednesday on …": when and where
                # the speaker spoke is not what was reported
                break
            if c.dep_ in ("punct", "cc", "npadvmod", "advmod", "prt", "mark", "neg"):
                continue
            if c.dep_ in ("xcomp",) and ("inf" in kinds or "clause" in kinds):
                chosen.append(c)
                has_inf = True
            elif c.dep_ == "prep" and not chosen and c.lower_ not in entry.particles:
                # "was published on Monday": a bare prepositional phrase is no reported content
                if any(g.dep_ == "auxpass" for g in tok.children) or c.lower_ in _CIRCUMSTANCE_PREPS:
                    break
                if c.lower_ == "with" or (c.lower_ == "to" and _to_person(c)):
                    # "responded to a Gold Star mother", "spoke to me", "responded with logic": to whom or
                    # how the speaker spoke, not what was said ("responded to requests" stays)
                    continue
                chosen.append(c)
            elif c.dep_ in _OBJECT_DEPS or c.dep_ in ("dative", "ccomp"):
                chosen.append(c)
            elif c.dep_ in _STOP_RIGHT:
                break
        if not chosen:
            return None
        if not has_inf and "object" not in kinds:
            # a clause-only verb with just an object: "told reporters …" with a later clause only
            if not any(c.dep_ == "ccomp" for c in chosen):
                return None
        if "object" not in kinds and not has_inf:
            return None
        first = chosen[0]
        if first.dep_ == "prep" and first.lower_ in entry.particles:
            pobj = next((g for g in first.children if g.dep_ in ("pobj", "pcomp")), None)
            if pobj is None:
                return None
            start = pobj.left_edge.i
        else:
            start = first.left_edge.i
        last = chosen[-1]
        end = last.right_edge.i + 1
        # "endorsed X's campaign, the latest chapter in …": a comma-set apposition or relative clause
        # of the object describes it and is not reported
        for g in last.children:
            if g.dep_ in ("appos", "relcl", "acl") and g.i > last.i and doc[g.left_edge.i - 1].text == ",":
                end = min(end, g.left_edge.i - 1)
            elif (
                g.dep_ == "prep"
                and g.i > last.i
                and last.pos_ in ("NOUN", "PROPN")
                and g.right_edge.i + 1 >= end
                and _speech_circumstance(g, entry)
            ):
                # "rejected the demand in his nightly video address": the parser hangs where the speaker
                # spoke on the object
                end = min(end, g.i)
        while end > start + 1 and (doc[end - 1].dep_ == "cc" or doc[end - 1].text == ","):
            end -= 1  # "to threaten Moscow or" → without the dangling conjunction
        return _trim(doc, start, end)
    return None


def _continued_clause(tok: Token, clauses: list[Token]) -> Token | None:
    """The conjunct that continues content ``clauses`` before frame ``tok`` ("A, the agency said in a June
    report, and B"): a verb joined to the frame by "and"/"but" after a comma, with a subject of its own,
    no cue of the lexicon, and only circumstances (when, where, in what) between the frame and it."""
    doc = tok.doc
    if not clauses or doc[max(c.right_edge.i for c in clauses) + 1].text != ",":
        return None
    first = min(c.left_edge.i for c in clauses)
    if any(t.text in ("“", "”", '"', "''", "``") for t in doc[max(0, first - 1) : tok.i]):
        return None  # a quotation before the frame is a direct quote, whole in itself
    conj = next((c for c in tok.children if c.dep_ == "conj" and c.i > tok.i), None)
    if conj is None or conj.pos_ not in ("VERB", "AUX") or conj.lemma_.lower() in _lex_verbs():
        return None
    if not any(g.dep_ in _SUBJ and g.lower_ not in ("which", "what", "who", "that") for g in conj.children):
        return None
    between = [c for c in tok.children if tok.i < c.i < conj.left_edge.i]
    if not any(c.dep_ == "cc" and c.lower_ in ("and", "but") for c in between):
        return None
    if any(c.dep_ not in ("prep", "npadvmod", "advmod", "punct", "cc") for c in between):
        return None
    comma = doc[conj.left_edge.i - 1].text == "," or any(
        doc[c.i - 1].text == "," for c in between if c.dep_ == "cc"
    )
    return conj if comma else None


def _speech_circumstance(c: Token, entry: CueEntry) -> bool:
    """Whether dependent ``c`` of a cue tells when or where the speaker spoke: a date ("Wednesday"), "during
    …"/"since …", or a preposition with a date or a speech frame ("in a statement", "on Twitter")."""
    if c.dep_ == "npadvmod":
        return c.ent_type_ in ("DATE", "TIME")
    if c.dep_ != "prep" or c.lower_ in entry.particles or c.lower_ not in _CIRCUMSTANCE_PREPS:
        return False
    if c.lower_ in ("during", "since", "amid"):
        return True
    pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
    if pobj is None:
        return False
    frames = load_cue_lexicon().speech_frames
    return pobj.ent_type_ in ("DATE", "TIME") or pobj.lemma_.lower() in frames or pobj.lower_ in frames


def _continues_infinitive(tok: Token, conj: Token) -> bool:
    """Whether ``conj``, a conjunct hung on cue ``tok``, is a further infinitive of its content: a bare
    verb ("wants to triple X, grow Y") without a subject of its own, under a cue that is no bare verb."""
    return (
        conj.pos_ == "VERB"
        and conj.tag_ == "VB"
        and tok.tag_ != "VB"
        and not any(g.dep_ in _SUBJ for g in conj.children)
    )


_CIRCUMSTANCE_PREPS = frozenset(
    "on in at during after before since until by from near over across through throughout amid".split()
)
_SOURCE_NOUNS = frozenset(
    "poll polls survey study report analysis data statement campaign spokesman spokeswoman memo letter "
    "lawsuit complaint document documents email emails tweet ad book article editorial average record "
    "video footage figure number result finding estimate model forecast".split()
)
_NOT_CUES = frozenset(
    "be have do make ensure mean seem appear look sound turn prove become remain get go come take "
    "help let see".split()
)
# shares of a group standing for its members ("52 percent say", "a majority of voters believe")
_SHARES = frozenset(
    "percent majority minority plurality half third quarter fifth share handful dozen dozens hundreds "
    "thousands millions".split()
)
# people named by kinship or job, and the media and bodies that publish, beyond the lists above
_KIN_NOUNS = frozenset(
    "wife husband daughter son mother father brother sister family friend rival backer ally developer "
    "interviewer anchor doctor physician nurse speechwriter checker teacher professor businessman "
    "businesswoman owner manager boss colleague aide staffer partner lawmaker official".split()
)
_MEDIA_NOUNS = frozenset(
    "website newspaper paper outlet network channel site magazine blog publication state city county "
    "team camp panel research clip spot".split()
)
_PERSONAL = frozenset({"he", "she", "they", "i", "we", "you", "who"})
_POSSESSIVE = frozenset({"his", "her", "their", "my", "our", "its", "whose"})
_PERSON_NOUNS = frozenset(
    "voter respondent supporter democrat republican candidate nominee woman man student american critic "
    "opponent activist protester crowd audience fan moderator reporter journalist lawyer attorney judge "
    "prosecutor senator governor president mayor chairman chairwoman director secretary ceo founder host "
    "conservative liberal progressive delegate donor resident citizen immigrant worker voter parent "
    "scientist economist researcher pollster author writer columnist commentator pundit organizer "
    "everyone everybody nobody many most some others both all".split()
)


def _source_like(tok: Token, lex: CueLexicon) -> bool:
    """Could ``tok`` (a subject) be the source of an attribution? People, groups, polls, documents."""
    low = tok.lower_
    if low in _PERSONAL or (tok.dep_ == "poss" and low in _POSSESSIVE):
        return True
    if low in ("those", "anyone", "someone", "people") and any(c.dep_ == "relcl" for c in tok.children):
        return True  # "those who said the economy was their top issue supported Clinton"
    if tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    if tok.pos_ == "PROPN":
        return True
    lemma = tok.lemma_.lower()
    if (
        lemma in lex.descriptors
        or lemma in _SOURCE_NOUNS
        or lemma in _INSTITUTION_WORDS
        or lemma in _PERSON_NOUNS
        or low in _PERSON_NOUNS
    ):
        return True
    if lemma in _KIN_NOUNS or lemma in _MEDIA_NOUNS:
        return True
    if lemma in _SHARES:
        # "52 percent of voters say", "a majority of Republicans believe", "half said": a share of a group
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
        return pobj is None or _source_like(pobj, lex)
    return False


# abstract nouns (qualities, states, processes) and spans of time or manner are no actors
_ABSTRACT_SUFFIXES = ("ness", "ity", "ism", "ance", "ence", "ship", "hood", "cy")
_NON_AGENT_NOUNS = frozenset(
    "year day week month hour minute time decade century moment period way chance side language cancer "
    "disease illness phrase word box stream haven matter thing progress".split()
)
# groups, bodies and people whose names end like abstract nouns
_COLLECTIVES = frozenset(
    "authority utility majority minority community university charity city society agency conference "
    "presidency embassy democracy audience business witness".split()
)


def _actor_like(doc: Doc, rng: tuple[int, int], lex: CueLexicon) -> bool:
    """Whether the speaker mention ``doc[start:end]`` can name an actor. It cannot when its head is an
    abstract noun (a quality, state or process: "political correctness", "the progress of these past eight
    years") or a span of time, a manner, a thing ("many painful years", "no way", "brain cancer", "the
    other side") and the mention holds no name."""
    start, end = rng
    if end <= start:
        return False
    span = doc[start:end]
    root = span.root
    if root.pos_ != "NOUN" or any(
        t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "NORP") for t in span
    ):
        return True
    if _source_like(root, lex) or _person_like(root):
        return True
    lemma = root.lemma_.lower()
    if lemma in _COLLECTIVES or lemma in _INSTITUTION_WORDS:
        return True
    for prep in (c for c in root.children if c.dep_ == "prep" and c.lower_ == "of"):
        # "a majority of voters", "many of the officials": the group named after "of"
        pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
        if pobj is not None and _actor_like(doc, (pobj.i, pobj.i + 1), lex) and pobj.lemma_ != lemma:
            return lemma not in _NON_AGENT_NOUNS
    return not (lemma in _NON_AGENT_NOUNS or lemma.endswith(_ABSTRACT_SUFFIXES))


def _content_after(doc: Doc, i: int, end: int) -> bool:
    """Whether tokens ``i:end`` hold a word (not just punctuation and closing marks)."""
    return any(doc[k].is_alpha for k in range(i, end))


def _person_like(tok: Token) -> bool:
    """Whether subject ``tok`` names a person: a PERSON entity, a personal pronoun or a person noun."""
    return (
        tok.ent_type_ == "PERSON"
        or tok.lower_ in _PERSONAL
        or tok.lemma_.lower() in _PERSON_NOUNS
        or tok.lower_ in _PERSON_NOUNS
    )


def _to_person(prep: Token) -> bool:
    """Whether "to" addresses someone ("to me", "to DuVernay", "to a Gold Star mother") or has no object."""
    pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
    if pobj is None:
        return True
    return pobj.tag_ == "PRP" or pobj.ent_type_ == "PERSON" or pobj.lemma_.lower() in _PERSON_NOUNS


def _cut_trailing_clause(doc: Doc, rng: tuple[int, int]) -> tuple[int, int]:
    """Drop a trailing non-restrictive ", which …" / ", who …" / ", forcing …" from a content range:
    it comments on the content and is the reporter's, not the source's."""
    start, end = rng
    for i in range(start + 2, end - 1):
        if doc[i].text == ";" and _quote_balance(doc, start, i) and _content_after(doc, i + 1, end):
            # "… was not intentional; they only learned on Friday …": a new sentence of the reporter's
            return _trim(doc, start, i)
        if doc[i].text in _DASHES:
            if _dash_gloss(doc, i, start, end):
                return _trim(doc, start, i)
            continue
        if doc[i].text != ",":
            continue
        j = i + 1
        while j < end - 1 and doc[j].text in ("”", '"'):
            j += 1
        gloss = doc[j]
        if (
            gloss.lower_ in ("a", "an", "the")
            and gloss.head.dep_ == "appos"
            and gloss.head.i > j
            and gloss.head.right_edge.i + 1 >= end
            and any(
                g.dep_ == "relcl" or (gloss.lower_ == "the" and g.dep_ in ("acl", "prep"))
                for g in gloss.head.children
            )
            and _quote_balance(doc, start, j)
        ):
            # "… the “security of the Russian state,” a euphemism that officials read as …": the reporter's
            # gloss on the content, not part of it
            return _trim(doc, start, j)
        nxt = doc[j]
        if (
            (
                nxt.lower_ in ("which", "who")
                and nxt.head.dep_ == "relcl"
                # "The program, which was created in 1990, has expanded …": a relative clause the content
                # goes on after describes its subject and stays
                and not _content_after(doc, nxt.head.right_edge.i + 1, end)
            )
            or (nxt.tag_ == "VBG" and nxt.dep_ == "advcl" and _reports(nxt))
            or _trailing_circumstance(doc, nxt, end)
        ):
            # outside any quotation: no mark opened before the comma, or none closes after the clause start
            if not any(doc[k].text in ("“", '"') for k in range(start, i)) or all(
                doc[k].text not in ("”", '"') for k in range(j, end)
            ):
                return _trim(doc, start, j if j > i + 1 else i)
        if nxt.lower_ == "according" and j + 1 < end and doc[j + 1].lower_ == "to":
            # "…, according to the poll": the attribution of the content, not part of it
            return _trim(doc, start, j if j > i + 1 else i)
    return rng


_DASHES = frozenset({"—", "–", "--"})


def _skip_dateline(doc: Doc, rng: tuple[int, int]) -> tuple[int, int]:
    """A content range without the dateline it opens with ("BRUSSELS, Nov 12 (Reuters) - …", "KYIV (AP) —
    …"): a place in capitals or an agency in parentheses, then a dash, with no verb before it."""
    start, end = rng
    for i in range(start + 1, min(end - 1, start + 14)):
        t = doc[i]
        if t.pos_ in ("VERB", "AUX") or "\n" in t.text:
            return rng
        if t.text in _DASHES or t.text == "-":
            prefix = doc[start:i]
            caps = doc[start].is_upper and doc[start].is_alpha and len(doc[start]) > 1
            agency = any(x.text == "(" for x in prefix) and any(x.text == ")" for x in prefix)
            # "-" inside a word ("farm-lobby") has no spaces around it
            spaced = bool(doc[i - 1].whitespace_) and bool(t.whitespace_) if t.text == "-" else True
            if (caps or agency) and spaced:
                return _trim(doc, i + 1, end)
            return rng
    return rng


def _quote_balance(doc: Doc, start: int, i: int) -> bool:
    """Whether no quotation opened in ``doc[start:i]`` is still open at ``i`` (straight marks alternate)."""
    depth = 0
    straight = 0
    for k in range(start, i):
        t = doc[k].text
        if t == "“":
            depth += 1
        elif t == "”":
            depth = max(0, depth - 1)
        elif t in ('"', "''", "``"):
            straight ^= 1
    return depth == 0 and straight == 0


def _trailing_circumstance(doc: Doc, nxt: Token, end: int) -> bool:
    """ "…, where 18 electoral votes are up for grabs", "…, although he refused …": a trailing clause of
    place, time or concession set off by a comma is the reporter's context."""
    if nxt.lower_ in ("where", "when"):
        clause = nxt.head
    elif nxt.lower_ in ("although", "though") and nxt.dep_ == "mark":
        clause = nxt.head
    else:
        return False
    return clause.dep_ in ("relcl", "advcl") and not _content_after(doc, clause.right_edge.i + 1, end)


def _dash_gloss(doc: Doc, i: int, start: int, end: int) -> bool:
    """Whether the dash at ``i`` opens a reporter's gloss running to the end of the content ("… Estonia as
    being in the suburbs — a metaphor for …", "… -- who cited her years …"): a noun phrase, a relative
    clause or a participle, with no quotation mark after the dash."""
    if i + 1 >= end:
        return False
    nxt = doc[i + 1]
    opener = nxt.lower_ in ("a", "an", "who", "which") or nxt.tag_ == "VBG"
    return opener and not any(
        doc[k].text in ("“", "”", '"') or doc[k].text in _DASHES for k in range(i + 1, end)
    )


def _reports(participle: Token) -> bool:
    """Whether a trailing participle (", saying …", ", citing …", ", contradicting police's claim that …")
    holds a report — a verb or noun of the cue lexicon — and so is a statement or a reporter's act of its
    own, not a consequence the source states (", allowing people to see …", ", prosecuting cases …")."""
    lex = load_cue_lexicon()
    return any(
        (t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in lex.verbs)
        or (t.pos_ == "NOUN" and (t.lower_ in lex.nouns or t.lemma_.lower() in lex.nouns))
        for t in participle.subtree
    )


def _lex_verbs() -> dict[str, CueEntry]:
    return load_cue_lexicon().verbs


def _parenthetical_content(tok: Token) -> tuple[int, int] | None:
    """ "…, they say, …" / "…, the sources said." — the governing clause around the cue."""
    head = tok.head
    if tok.dep_ not in ("parataxis", "advcl", "conj") or head.i == tok.i:
        return None
    doc = tok.doc
    if tok.dep_ != "parataxis":
        # "The deal is dead, the sources said" sometimes parses as conj/advcl; require the cue to end the
        # clause after a comma
        prev = doc[tok.left_edge.i - 1] if tok.left_edge.i > 0 else None
        if prev is None or prev.text != ",":
            return None
        last = tok.right_edge.i
        while last > tok.i and doc[last].is_space:
            last -= 1  # the paragraph break the parser hangs on the sentence's last token is no part of it
        nxt = doc[last + 1] if last + 1 < len(doc) else None
        if nxt is not None and nxt.text not in (".", "!", "?", "”", '"', "\n") and not nxt.is_space:
            return None
    if head.dep_ in _SUBJ and head.pos_ in ("NOUN", "PROPN", "PRON") and head.head.i > tok.i:
        # "The difference now, he told me, is that …": the parser hangs the frame on the subject it
        # interrupts; what was said is the subject's whole clause
        head = head.head
    start, end = _subtree_range(head)
    for conj in head.children:
        if (
            conj.dep_ == "conj"
            and conj.i > tok.i
            and conj.lemma_.lower() in _lex_verbs()
            and any(g.dep_ in _SUBJ for g in conj.children)
        ):
            # "A, officials said, and Russia accused Kyiv of …": a second report is not this content
            end = min(end, conj.left_edge.i)
            while end > tok.right_edge.i + 1 and (doc[end - 1].dep_ == "cc" or doc[end - 1].is_punct):
                end -= 1
    after = tok.right_edge.i + 1
    while after < end and doc[after].is_punct:
        after += 1
    if start < tok.left_edge.i and (
        "," in (doc[tok.left_edge.i - 1].text, doc[tok.left_edge.i].text)
        if after >= end
        else (doc[after].dep_ in ("mark", "cc") and doc[after].head.i == head.i)
    ):
        # "A ended the talks, officials said, as farmers blocked roads": what was said is the clause
        # before the cue, whether the parser hangs the trailing circumstance on the cue or makes it the
        # main clause; so is it before "…, the governor said, and a boy was injured in Dnipro": the
        # frame is no part of what was said, and the clause after it is told on its own
        return _trim(doc, start, tok.left_edge.i)
    if start <= tok.i < end and head.pos_ in ("NOUN", "PROPN") and head.i < tok.i:
        # the parser hung the frame on a noun after the clause's verb ("will meet Putin on Friday, the
        # first summit since 2021, the White House said, as …"): what was said is that clause up to
        # where the frame begins (a frame interrupting a clause, "Climate change, he says, is …",
        # hangs on its verb and keeps both sides)
        clause = head
        while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i and clause.i > clause.head.i:
            clause = clause.head
        if clause.pos_ in ("VERB", "AUX") and clause.i < tok.i:
            start = min(start, _subtree_range(clause)[0])
            if start < tok.left_edge.i:
                return _trim(doc, start, tok.left_edge.i)
    return _trim(doc, start, end)
