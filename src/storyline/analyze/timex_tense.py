"""The tense of the clause that governs a time expression, from the spaCy parse.

"talks in the Kremlin on Tuesday" → past; "are due to meet … on Thursday" → future: the clause's
verb, its auxiliaries and modals ("will", "may"), the verbs that govern an infinitive ("due to",
"expected to", "plans to"), explicit cues next to the expression ("ahead of", "upcoming"), the
news present of a scheduled event ("talks resume Friday"), and plans that lie in the past ("had
been scheduled to expire Friday", "as previously planned"). Also the parse checks that drop bare
numbers read as counts ("2000 troops") and adverbs that qualify a noun ("currently unforgiving").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["Tense", "clause_tense", "is_count", "modifies_nominal"]

Tense = Literal["past", "present", "future", "none"]

FUTURE_GOVERNORS = frozenset(
    "due expect plan schedule set intend hope aim want seek prepare promise agree threaten vow likely "
    "poise go slate propose consider try wish need decide pledge arrange ready able about hold".split()
)
# present-tense verbs that report or describe rather than schedule ("says Tuesday", "is Tuesday")
STATIVE = frozenset(
    "be have say tell report show remain stay continue seem appear know believe think want need hold "
    "include contain mean own lead trade stand sit live mark come".split()
)


_REPORTING = frozenset("say tell announce add state confirm indicate insist predict expect warn".split())


# ---------------------------------------------------------------- tense from the parse
def _governing_verb(tok: Token, span_ids: set[int]) -> Token | None:
    cur = tok
    for _ in range(8):
        if cur.i not in span_ids and cur.pos_ in ("VERB", "AUX"):
            return cur
        if cur.head.i == cur.i:
            return cur if cur.pos_ in ("VERB", "AUX") else None
        cur = cur.head
    return None


def _was_past(tok: Token) -> bool:
    """A governor in the past: "was due", "had been scheduled", "planned" (VBD)."""
    cur = tok
    for _ in range(2):
        aux = {c.lower_ for c in cur.children if c.dep_ in ("aux", "auxpass")}
        if aux & {"had", "'d", "was", "were"} or cur.tag_ == "VBD" and cur.lower_ not in ("was", "were"):
            return True
        if cur.lower_ in ("was", "were") or cur.head.i == cur.i:
            return cur.lower_ in ("was", "were")
        cur = cur.head
    return False


def _verb_tense(verb: Token, depth: int = 0) -> Tense:
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    aux_l = [a.lower_ for a in aux]
    if any(a in ("will", "shall", "'ll", "wo") for a in aux_l):
        return "future"
    if any(a in ("should", "must") for a in aux_l):
        return "future"
    if any(a in ("may", "might", "could", "can", "ca") for a in aux_l) and verb.tag_ == "VB":
        # "Trump may call on Monday" looks ahead; "could be located Wednesday" (a participle) need not
        return "future"
    if "going" in aux_l and "to" in aux_l:
        return "future"
    if "would" in aux_l:
        # "said the report would be published on Oct. 21": the future of a reported statement
        if (
            verb.dep_ == "ccomp"
            and verb.head.lemma_.lower() in _REPORTING
            and (verb.tag_ == "VB" or "be" in aux_l)
        ):
            return "future"
        return "none"
    tag = verb.tag_
    # infinitives and participles take the tense of what governs them
    if (
        tag in ("VB", "VBG")
        and verb.dep_ in ("xcomp", "ccomp", "advcl", "acl", "relcl", "conj")
        or (tag == "VB" and "to" in aux_l)
    ):
        head = verb.head
        if head.lemma_.lower() in FUTURE_GOVERNORS or head.lower_ in ("due", "set", "scheduled", "poised"):
            if _was_past(head):
                # "had been due to expire Friday", "was scheduled to meet Tuesday": the plan is past
                return "none"
            if head.lemma_.lower() != "go" or verb.dep_ == "xcomp":
                return "future"
        if "to" in aux_l and head.i != verb.i and depth < 3:
            if head.pos_ in ("VERB", "AUX"):
                t = _verb_tense(head, depth + 1)
                return "future" if t == "present" else t
            if head.pos_ == "ADJ" and head.head.pos_ in ("VERB", "AUX"):
                return (
                    "future" if head.lower_ in ("due", "likely", "set", "ready", "able", "about") else "none"
                )
        if verb.dep_ == "conj" and depth < 3:
            return _verb_tense(head, depth + 1)
    if verb.lower_ == "due" or any(c.lower_ == "due" for c in verb.children if c.dep_ == "acomp"):
        return "future"
    if tag == "VBD":
        return "past"
    if tag == "VBN":
        if any(a in ("has", "have", "had", "was", "were", "'ve", "'d") for a in aux_l):
            return "past"
        if any(a in ("is", "are", "am", "'s", "'re", "be", "been") for a in aux_l):
            return "present"
        return "past" if verb.dep_ in ("ROOT", "conj", "ccomp") else "none"
    if tag in ("VBZ", "VBP"):
        for c in verb.children:
            if c.dep_ == "acomp" and c.lower_ in ("due", "likely", "set", "scheduled", "poised", "expected"):
                return "future"
        return "present"
    if tag == "VBG":
        if any(a in ("was", "were") for a in aux_l):
            return "past"
        if any(a in ("is", "are", "am", "'s", "'re") for a in aux_l):
            return "present"
    if tag == "MD":
        return "future"
    if tag in ("VB", "VBG", "VBN") and verb.head.i != verb.i and depth < 3:
        return _verb_tense(verb.head, depth + 1)
    return "none"


def clause_tense(doc: Doc, start: int, end: int) -> Tense:
    """The tense of the clause governing the characters ``[start, end)`` of ``doc``."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return "none"
    ids = {t.i for t in span}
    # explicit cues between the clause's verb and the expression
    left_toks = list(doc[max(span.sent.start, span.start - 4) : span.start])
    left = [t.lower_ for t in left_toks]
    if "ahead" in left or any(
        t.lower_ in ("upcoming", "planned", "scheduled") and not _plan_in_past(t) for t in left_toks
    ):
        return "future"
    if left and left[-1] == "since":
        return "past"
    until = bool(left) and left[-1] in ("until", "till")
    verb = _governing_verb(span.root, ids)
    if verb is not None and verb.dep_ == "ccomp" and verb.head.lemma_.lower() in _REPORTING:
        # "said on Wednesday the leaders would meet": a time between the report's verb and the
        # reported clause's subject dates the report, whatever the parse hung it on
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and verb.head.i < span.start and span.end <= subj.left_edge.i:
            verb = verb.head
    path: list[Token] = []
    cur = span.root
    for _ in range(8):
        if verb is not None and cur.i == verb.i:
            break
        path.append(cur)
        if cur.head.i == cur.i:
            break
        cur = cur.head
    direct = True
    for t in path:
        if t.i in ids:
            continue
        if t.lower_ in ("ahead", "upcoming", "planned", "scheduled", "forthcoming") and not _plan_in_past(t):
            return "future"
        if any(
            c.lower_ in ("upcoming", "planned", "scheduled", "forthcoming") and not _plan_in_past(c)
            for c in t.children
        ):
            return "future"
        if t.lemma_.lower() == "deadline" and _deadline_set(t):
            return "future"  # "set a deadline of Oct. 21": a time limit still to come
        if t.pos_ in ("NOUN", "PROPN", "ADJ", "NUM"):
            direct = False
    if verb is None:
        return "future" if until else "none"
    tense = _verb_tense(verb)
    if (
        left
        and left[-1] == "by"
        and any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children)
    ):
        # "would strike again if no offer was made by Thursday": a condition's deadline, still to come
        # (its past tense is the reported speech's)
        return "future"
    if until and (tense in ("present", "none") or _sets_a_deadline(verb)):
        return "future"
    if tense == "present" and verb.tag_ == "VBP" and _singular_subject(verb):
        # "Weakness in big stocks hurt the composite on Friday", "later than it forecast in May": a VBP
        # with a third-person singular subject is a past form read as a present ("hurt", "cut", "put")
        return "past" if direct else "none"
    if (
        tense == "past"
        and direct
        and verb.lemma_.lower() in ("plan", "schedule")
        and verb.tag_ == "VBD"
        and span.start > verb.i
    ):
        return "none"  # "planned a demonstration on Saturday": the plan is past, the day need not be
    if tense == "present" and direct and verb.tag_ in ("VBZ", "VBP") and verb.lemma_.lower() not in STATIVE:
        # the news present of a scheduled event: "Arafat and Netanyahu meet Monday", "talks resume Friday"
        return "future"
    if direct:
        return tense
    # a date hanging off a noun ("the Jan. 14 deadline", "payable Dec. 15") need not share the verb's
    # tense; a future that is certain ("will hold a meeting on Thursday") carries over, a possible one
    # ("warnings on Thursday that strikes could do harm") does not
    return "future" if tense == "future" and _firm_future(verb) else "none"


def _sets_a_deadline(verb: Token) -> bool:
    """ "has given them until Tuesday", "postponed until Tuesday morning", "had until Thursday to accept":
    a time limit still to come."""
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if verb.tag_ == "VBN" and aux & {"has", "have", "'s", "'ve"}:
        return True
    if verb.lemma_.lower() in ("have", "give") and any(
        c.dep_ in ("xcomp", "advcl", "acl") and any(g.lower_ == "to" and g.dep_ == "aux" for g in c.children)
        for c in verb.subtree
    ):
        # "Trump said Kyiv had until Thursday to accept the plan", "gave them until Friday to leave": a
        # deadline set when it was said, still to come then (the past tense is the report's)
        return True
    return verb.lemma_.lower() in ("postpone", "delay", "defer", "adjourn", "suspend", "recess", "extend")


def _deadline_set(tok: Token) -> bool:
    """ "set a deadline of Oct. 21", "gave them a Friday deadline": a time limit set (or faced) when it
    was reported, so still to come — not one "missed", "passed" or met ("tendering 99.3% of the shares
    by the Tuesday deadline")."""
    if any(
        t.lemma_.lower() in ("miss", "pass", "expire", "lapse", "elapse", "extend", "push", "postpone")
        or t.lower_ in ("missed", "passed", "expired", "lapsed")
        for t in tok.sent
    ):
        return False
    head = tok.head
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    return head.lemma_.lower() in ("set", "give", "impose", "announce", "face", "fix", "issue", "agree")


def _plan_in_past(tok: Token) -> bool:
    """ "had been scheduled to expire", "as previously planned": a plan told in the past."""
    kids = {c.lower_ for c in tok.children}
    if kids & {"previously", "originally", "initially", "had", "'d", "was", "were"}:
        return True
    return tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("previously", "originally", "initially")


_SINGULAR_PRONOUNS = frozenset({"he", "she", "it", "this", "that"})


def _singular_subject(verb: Token) -> bool:
    """Whether ``verb``'s subject is third-person singular (a present form would end in -s): a singular
    noun, not coordinated, or "he", "she", "it", "this", "that"."""
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return False
    if subj.lower_ in _SINGULAR_PRONOUNS:
        return True
    return subj.tag_ in ("NN", "NNP") and not any(c.dep_ == "cc" for c in subj.children)


def _firm_future(verb: Token) -> bool:
    """The future of ``verb`` is stated, not possible: "will", "shall", "is going to", "due to",
    "scheduled to", "set to", "expected to" (through infinitives)."""
    cur = verb
    for _ in range(4):
        aux = {c.lower_ for c in cur.children if c.dep_ in ("aux", "auxpass")}
        if aux & {"will", "shall", "'ll", "wo"} or ("going" in aux and "to" in aux):
            return True
        if cur.lemma_.lower() in ("due", "schedule", "set", "expect", "slate", "poise", "plan"):
            return True
        if any(c.dep_ == "acomp" and c.lower_ in ("due", "set", "scheduled", "poised") for c in cur.children):
            return True
        if cur.dep_ not in ("xcomp", "ccomp", "conj", "advcl") or cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def is_count(doc: Doc, start: int, end: int) -> bool:
    """A bare number the parser reads as a count or a measure ("2000 troops", "2010 votes")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    tok = span[-1]
    if tok.dep_ == "nummod" and tok.head.i > tok.i and tok.head.tag_ in ("NNS", "NNPS"):
        nxt = tok.head
        if nxt.i == tok.i + 1 and nxt.lower_ not in (
            "budget",
            "season",
            "election",
            "elections",
            "census",
            "campaign",
            "olympics",
            "games",
            "model",
            "level",
            "levels",
            "figures",
            "results",
            "earnings",
            "period",
        ):
            return True
    if tok.i > 0 and doc[tok.i - 1].lower_ in ("$", "no.", "number", "#", "rs", "route", "flight", "room"):
        return True
    return tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in ("%", "percent", "mw", "km", "kg", "miles")


def modifies_nominal(doc: Doc, start: int, end: int) -> bool:
    """The adverb at ``[start, end)`` qualifies a title or an adjective, not the time of a clause."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or span.end >= len(doc):
        return False
    nxt = doc[span.end]
    return nxt.pos_ in ("NOUN", "PROPN", "ADJ")
