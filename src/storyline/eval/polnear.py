"""Score statement extraction against PolNeAR (Political News Attribution Relations, brat standoff).

Layout read (one compartment, e.g. ``data/dev``)::

    text/DOC.txt                     the article
    attributions/DOC_ANNOTATOR.ann   Source/Cue/Content text-bound spans linked by Attribution events

A document annotated by several annotators is scored against the first annotation file in name order.

Definitions (tokens are ``\\w+`` runs of the article text, so whitespace and punctuation never matter):

- **exact** content match: the system content and the gold content hold the same tokens.
- **overlap** content match: ``|S ∩ G| / |G| ≥ 0.5`` *and* ``|S ∩ G| / |S| ≥ 0.5`` — the system span covers
  at least half of the gold content and at least half of the system span is gold content (so one span
  swallowing a whole paragraph does not match everything in it).
- Matching is one-to-one: candidate pairs are taken greedily by decreasing Dice overlap.
- precision = matched / system statements, recall = matched / gold attributions, F1 their harmonic mean.
- **source accuracy**: over overlap-matched pairs whose gold attribution has a source, the share where the
  system source shares at least one token with the gold source (a pronoun source counts as itself: PolNeAR
  marks "he" as the source, not its antecedent). **cue accuracy** likewise for cues; a gold cue without
  words (the colon of "PENCE: …", the dash of "“…” ― Name") agrees with an overlapping system cue.

Only non-partial statements are scored (a partial quote lies inside the content of its reported
statement, and PolNeAR labels each token at most once). For the same reason a statement whose cue lies
inside the content of another kept statement either cuts that content short — when it follows a comma, a
dash, "and", "but" or "while" and the outer content keeps three words ("Merrill says Machado is brave,
while Trump has said …") — or is dropped.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "GoldAttribution",
    "SysAttribution",
    "evaluate_polnear",
    "read_ann",
    "score",
    "system_attributions",
    "textacy_attributions",
]

_WORD = re.compile(r"\w+")
Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class GoldAttribution:
    """One attribution relation; each role is a tuple of (start, end) fragments (possibly empty)."""

    content: Spans = ()
    source: Spans = ()
    cue: Spans = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class SysAttribution:
    content: tuple[int, int]
    fragments: Spans = ()
    source: tuple[int, int] | None = None
    cue: tuple[int, int] | None = None


@dataclass(kw_only=True, slots=True)
class _Counts:
    gold: int = 0
    system: int = 0
    exact: int = 0
    overlap: int = 0
    source_total: int = 0
    source_ok: int = 0
    cue_total: int = 0
    cue_ok: int = 0
    docs: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


def _fragments(spec: str) -> Spans:
    out: list[tuple[int, int]] = []
    for part in spec.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return tuple(out)


def read_ann(text: str) -> list[GoldAttribution]:
    """The attributions of one brat ``.ann`` file's text."""
    spans: dict[str, tuple[str, Spans]] = {}
    events: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = line.split("\t")
        ident = parts[0]
        if ident.startswith("T") and len(parts) >= 2:
            label, _, spec = parts[1].partition(" ")
            try:
                spans[ident] = (label, _fragments(spec))
            except ValueError:
                logger.warning("bad brat span line: %r", line)
        elif ident.startswith("E") and len(parts) >= 2:
            events.append([tuple(arg.split(":", 1)) for arg in parts[1].split() if ":" in arg])  # type: ignore[misc]
    out: list[GoldAttribution] = []
    for args in events:
        roles: dict[str, list[tuple[int, int]]] = {"Content": [], "Source": [], "Cue": []}
        for role, ref in args:
            base = re.sub(r"\d+$", "", role)
            if base in roles and ref in spans:
                roles[base].extend(spans[ref][1])
        if not roles["Content"]:
            continue
        out.append(
            GoldAttribution(
                content=tuple(sorted(roles["Content"])),
                source=tuple(sorted(roles["Source"])),
                cue=tuple(sorted(roles["Cue"])),
            )
        )
    return out


def _tokens(text: str, spans: Iterable[tuple[int, int]]) -> frozenset[int]:
    """Start offsets of the ``\\w+`` tokens overlapping ``spans``."""
    out: set[int] = set()
    for start, end in spans:
        for m in _WORD.finditer(text, max(0, start - 40), end):
            if m.end() > start and m.start() < end:
                out.add(m.start())
    return frozenset(out)


def system_attributions(text: str, *, nlp_doc: Any = None) -> list[SysAttribution]:
    """storyline's statements for ``text`` as PolNeAR-style attributions (see the module docstring).

    PolNeAR annotates "“A,” he said. “B.”" as one attribution whose content is both quotations, so a
    continuation quote, or a quote sharing the previous quote's cue, joins the previous quotation of the
    same paragraph (as a second content fragment).
    """
    from storyline.analyze.quotes import find_statements

    found = find_statements(text, nlp_doc=nlp_doc)
    stmts = [s for s in found if not s.partial]
    # "“A,” he said, but “B”": a partial quote right after a quote with the same cue is its second half
    tails = [s for s in found if s.partial and s.kind == "direct" and s.cue is not None]
    # longest content first; drop a statement whose cue lies inside a kept one's content
    stmts.sort(key=lambda s: -(s.content[1] - s.content[0]))
    kept: list[Any] = []
    for s in stmts:
        anchor = s.cue[0] if s.cue else s.content[0]
        outer = [
            k for k in kept if s.cue and k.content[0] <= anchor < k.content[1] and k.content != s.content
        ]
        if not outer:
            kept.append(s)
            continue
        # PolNeAR nests no attribution in another's content: "X said A and Y said B" is two. The outer
        # content ends before the inner attribution when that leaves it a few words; else the inner goes.
        start = min(r[0] for r in (s.content, s.cue, s.speaker) if r is not None)
        cuts = [(i, _end_before(text, kept[i].content[0], start)) for i, k in enumerate(kept) if k in outer]
        if _BOUNDARY.search(text, max(0, start - 12), start) and all(
            len(_WORD.findall(text, kept[i].content[0], end)) >= 3 for i, end in cuts
        ):
            for i, end in cuts:
                kept[i] = replace(kept[i], content=(kept[i].content[0], end))
            kept.append(s)
    kept.sort(key=lambda s: s.content[0])
    out: list[SysAttribution] = []
    last_direct: tuple[int, Any] | None = None  # (index in out, statement)
    for s in kept:
        if (
            last_direct is not None
            and s.kind == "direct"
            and (s.continuation or (s.cue is not None and s.cue == last_direct[1].cue))
            and "\n" not in text[last_direct[1].content[1] : s.content[0]]
        ):
            i = last_direct[0]
            a = out[i]
            out[i] = SysAttribution(
                content=(a.content[0], s.content[1]),
                fragments=(*a.fragments, s.content),
                source=a.source,
                cue=a.cue,
            )
            last_direct = (i, s)
            continue
        out.append(
            SysAttribution(content=s.content, fragments=_without_frame(text, s), source=s.speaker, cue=s.cue)
        )
        last_direct = (len(out) - 1, s) if s.kind == "direct" else last_direct
    for t in tails:
        for i, a in enumerate(out):
            if (
                a.cue == t.cue
                and a.content[1] <= t.content[0]
                and t.content[0] - a.content[1] < 80
                and "\n" not in text[a.content[1] : t.content[0]]
                and not any(b.content[0] > a.content[1] and b.content[0] < t.content[0] for b in out)
            ):
                out[i] = SysAttribution(
                    content=(a.content[0], t.content[1]),
                    fragments=(*a.fragments, t.content),
                    source=a.source,
                    cue=a.cue,
                )
                break
    return out


_BOUNDARY = re.compile(r"(?:[,;—–]|--|\b(?:and|but|while))\s*$")
_TRAILING = re.compile(r"(?:[\s,;:—–-]|\b(?:and|but|or|while|as|because)\b)+$")


def _end_before(text: str, start: int, end: int) -> int:
    """``end`` moved left over spaces, punctuation and a dangling conjunction ("… Clinton and")."""
    m = _TRAILING.search(text, start, end)
    return m.start() if m and m.start() > start else end


def _without_frame(text: str, s: Any) -> Spans:
    """Content fragments without a parenthetical frame inside it ("All of this, he acknowledges, could …")."""
    a, b = s.content
    marks = [r for r in (s.cue, s.speaker) if r is not None]
    if not marks:
        return ((a, b),)
    fa, fb = min(r[0] for r in marks), max(r[1] for r in marks)
    if not (a < fa and fb < b):
        return ((a, b),)
    left_end = fa
    while left_end > a and text[left_end - 1] in " ,—–-":
        left_end -= 1
    right_start = fb
    while right_start < b and text[right_start] in " ,—–-":
        right_start += 1
    return ((a, left_end), (right_start, b))


def _score_doc(
    text: str, gold: Sequence[GoldAttribution], system: Sequence[SysAttribution], counts: _Counts, doc: str
) -> None:
    counts.gold += len(gold)
    counts.system += len(system)
    g_toks = [_tokens(text, g.content) for g in gold]
    s_toks = [_tokens(text, s.fragments or [s.content]) for s in system]
    exact_used: set[int] = set()
    for gt in g_toks:
        for si, st in enumerate(s_toks):
            if gt and gt == st and si not in exact_used:
                exact_used.add(si)
                counts.exact += 1
                break
    pairs: list[tuple[float, int, int]] = []
    for gi, gt in enumerate(g_toks):
        if not gt:
            continue
        for si, st in enumerate(s_toks):
            if not st:
                continue
            inter = len(gt & st)
            if inter and inter / len(gt) >= 0.5 and inter / len(st) >= 0.5:
                pairs.append((2 * inter / (len(gt) + len(st)), gi, si))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    g_used: set[int] = set()
    s_used: set[int] = set()
    for _dice, gi, si in pairs:
        if gi in g_used or si in s_used:
            continue
        g_used.add(gi)
        s_used.add(si)
        counts.overlap += 1
        g, s = gold[gi], system[si]
        if g.source:
            counts.source_total += 1
            ok = s.source is not None and bool(_tokens(text, g.source) & _tokens(text, [s.source]))
            counts.source_ok += ok
            if not ok:
                counts.errors.append(
                    {
                        "doc": doc,
                        "type": "source",
                        "gold": " / ".join(text[a:b] for a, b in g.source),
                        "system": text[s.source[0] : s.source[1]] if s.source else None,
                        "content": text[s.content[0] : s.content[1]][:100],
                    }
                )
        if g.cue:
            counts.cue_total += 1
            counts.cue_ok += s.cue is not None and _role_agrees(text, g.cue, s.cue)
    for gi, g in enumerate(gold):
        if gi not in g_used:
            counts.errors.append(
                {
                    "doc": doc,
                    "type": "fn",
                    "content": " … ".join(text[a:b] for a, b in g.content)[:120],
                    "cue": " ".join(text[a:b] for a, b in g.cue),
                }
            )
    for si, s in enumerate(system):
        if si not in s_used:
            counts.errors.append(
                {
                    "doc": doc,
                    "type": "fp",
                    "content": text[s.content[0] : s.content[1]][:120],
                    "cue": text[s.cue[0] : s.cue[1]] if s.cue else None,
                }
            )


def _role_agrees(text: str, gold: Spans, system: tuple[int, int]) -> bool:
    """Whether a system cue agrees with the gold one: a shared word, or, for a gold cue without words (the
    colon of "PENCE: …", the dash of "“…” ― Name"), overlapping characters."""
    g_toks = _tokens(text, gold)
    if g_toks:
        return bool(g_toks & _tokens(text, [system]))
    return any(a < system[1] and system[0] < b for a, b in gold)


def _prf(match: int, system: int, gold: int) -> dict[str, float]:
    p = match / system if system else 0.0
    r = match / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _summary(counts: _Counts) -> dict[str, Any]:
    return {
        "docs": counts.docs,
        "gold": counts.gold,
        "system": counts.system,
        "matched": counts.overlap,
        "content_exact": _prf(counts.exact, counts.system, counts.gold),
        "content_overlap": _prf(counts.overlap, counts.system, counts.gold),
        "source_accuracy": round(counts.source_ok / counts.source_total, 4) if counts.source_total else 0.0,
        "cue_accuracy": round(counts.cue_ok / counts.cue_total, 4) if counts.cue_total else 0.0,
    }


def score(
    docs: Iterable[tuple[str, str, Sequence[GoldAttribution], Sequence[SysAttribution]]],
) -> dict[str, Any]:
    """Score ``(name, text, gold, system)`` documents (the metric of ``evaluate_polnear``, no NLP)."""
    counts = _Counts()
    for name, text, gold, system in docs:
        counts.docs += 1
        _score_doc(text, gold, system, counts, name)
    return _summary(counts)


def _documents(path: Path) -> list[tuple[str, Path, Path]]:
    text_dir = path / "text"
    ann_dir = path / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        from storyline.errors import UsageError

        raise UsageError(f"{path}: expected text/ and attributions/ folders (a PolNeAR compartment)")
    anns: dict[str, Path] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        anns.setdefault(stem, ann)
    out = []
    for txt in sorted(text_dir.glob("*.txt")):
        if txt.stem in anns:
            out.append((txt.stem, txt, anns[txt.stem]))
    return out


def _textacy_extractor() -> tuple[str, Any] | None:
    """``(label, direct_quotations)`` of the installed textacy, or None when textacy is absent."""
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError:
        return None
    from importlib.metadata import version

    return f"textacy {version('textacy')} direct_quotations", direct_quotations


def textacy_attributions(nlp_doc: Any, direct_quotations: Any) -> list[SysAttribution]:
    """textacy's direct quotations of a parsed document as attributions (its marks stay in the content).

    textacy refuses a document with an odd number of quotation marks (``ValueError``): that document then
    has no attributions, as a user of textacy would get.
    """
    out: list[SysAttribution] = []
    for triple in direct_quotations(nlp_doc):
        content = triple.content
        speaker = sorted(t.i for t in triple.speaker)
        cue = sorted(t.i for t in triple.cue)

        def chars(idx: list[int]) -> tuple[int, int] | None:
            if not idx:
                return None
            last = nlp_doc[idx[-1]]
            return nlp_doc[idx[0]].idx, last.idx + len(last)

        out.append(
            SysAttribution(
                content=(content.start_char, content.end_char), source=chars(speaker), cue=chars(cue)
            )
        )
    return out


REFERENCES = ("textacy", "none")


def evaluate_polnear(
    path: Path,
    *,
    system_out: Path | None = None,
    limit: int | None = None,
    errors_out: Path | None = None,
    reference: str = "textacy",
) -> dict[str, Any]:
    """Score ``find_statements`` on the PolNeAR compartment at ``path`` (e.g. ``…/data/dev``).

    Returns ``{docs, gold, system, content_exact: {precision, recall, f1}, content_overlap: {…},
    source_accuracy, cue_accuracy, matched}``. ``system_out`` receives the system attributions as JSON
    ``{doc: [{content_start, content_end, source_start, source_end, cue_start, cue_end}]}`` with offsets
    into ``text/DOC.txt``; ``errors_out`` a JSON list of misses for error analysis.

    ``reference="textacy"`` also scores textacy's ``direct_quotations`` on the same documents and parses
    (a reference point: it finds direct quotations only), under the key ``"reference: textacy …"`` with
    ``{content_exact, content_overlap, accuracy: {source, cue}, counts: {system, matched, docs_refused}}``;
    when textacy is not installed the key ``reference`` says it was skipped. ``"none"`` skips it.
    """
    from storyline.analyze.quotes import parse

    if reference not in REFERENCES:
        from storyline.errors import UsageError

        raise UsageError(f"unknown reference {reference!r}: expected one of {', '.join(REFERENCES)}")
    extractor = _textacy_extractor() if reference == "textacy" else None
    if reference == "textacy" and extractor is None:
        logger.warning("textacy is not installed: the reference scores are skipped")
    ref_counts = _Counts()
    refused = 0
    counts = _Counts()
    dump: dict[str, list[dict[str, Any]]] = {}
    docs = _documents(Path(path))
    if limit is not None:
        docs = docs[:limit]
    for name, txt, ann in docs:
        text = txt.read_text(encoding="utf-8")
        gold = read_ann(ann.read_text(encoding="utf-8"))
        nlp_doc = parse(text)
        system = system_attributions(text, nlp_doc=nlp_doc)
        counts.docs += 1
        _score_doc(text, gold, system, counts, name)
        if extractor is not None:
            try:
                ref_system = textacy_attributions(nlp_doc, extractor[1])
            except ValueError as exc:
                logger.info("%s: textacy refused the document: %s", name, exc)
                ref_system = []
                refused += 1
            ref_counts.docs += 1
            _score_doc(text, gold, ref_system, ref_counts, name)
        dump[name] = [
            {
                "content_start": s.content[0],
                "content_end": s.content[1],
                "source_start": s.source[0] if s.source else None,
                "source_end": s.source[1] if s.source else None,
                "cue_start": s.cue[0] if s.cue else None,
                "cue_end": s.cue[1] if s.cue else None,
                "content_fragments": [list(f) for f in s.fragments],
            }
            for s in system
        ]
    if system_out is not None:
        Path(system_out).write_text(json.dumps(dump, indent=1), encoding="utf-8")
    if errors_out is not None:
        Path(errors_out).write_text(json.dumps(counts.errors, indent=1, ensure_ascii=False), encoding="utf-8")
    result = _summary(counts)
    if extractor is not None:
        ref = _summary(ref_counts)
        result[f"reference: {extractor[0]}"] = {
            "content_exact": ref["content_exact"],
            "content_overlap": ref["content_overlap"],
            "accuracy": {"source": ref["source_accuracy"], "cue": ref["cue_accuracy"]},
            "counts": {"system": ref["system"], "matched": ref["matched"], "docs_refused": refused},
        }
    elif reference == "textacy":
        result["reference"] = "textacy is not installed: skipped"
    return result


if __name__ == "__main__":  # pragma: no cover - a developer convenience
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", type=Path)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--system-out", type=Path)
    ap.add_argument("--errors-out", type=Path)
    ap.add_argument("--reference", choices=REFERENCES, default="textacy")
    ns = ap.parse_args()
    print(
        json.dumps(
            evaluate_polnear(
                ns.path,
                system_out=ns.system_out,
                limit=ns.limit,
                errors_out=ns.errors_out,
                reference=ns.reference,
            ),
            indent=1,
        )
    )
