"""The issue taxonomy and stance lexicon of the positions ledger, read from YAML.

The packaged file is ``data/issues.yaml`` (its header documents the layout). :func:`load_taxonomy`
reads it, then any user files on top: an issue with a known name replaces the packaged one (or,
with ``extend: true``, adds its patterns to it), a new issue is added, and ``replace: true`` at the
top of a user file drops the issues read so far. Stance sections merge the same way, per stance.

Every problem in a file raises :class:`~storyline.errors.ConfigError` naming the file, the line and
the field (``issues[2].patterns.regex[0]``): malformed YAML, unknown keys, a missing name, a bad
regular expression, a duplicate issue, an unknown or cyclic ``parent``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from .errors import ConfigError

if TYPE_CHECKING:
    from spacy.tokens import Doc

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "GOLD_ISSUES",
    "STANCES",
    "Issue",
    "IssueMatch",
    "StanceCues",
    "Taxonomy",
    "load_taxonomy",
    "parse_taxonomy",
]

STANCES: tuple[str, ...] = ("demand", "rejection", "offer", "condition", "assessment", "stance")
GOLD_ISSUES: frozenset[str] = frozenset(
    {
        "territory",
        "ceasefire",
        "nato",
        "neutrality",
        "sanctions",
        "negotiation_format",
        "security_guarantees",
        "other",
    }
)
DEFAULT_NAME = "issues.yaml"
FALLBACK = "other"
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_ISSUE_KEYS = frozenset({"name", "description", "parent", "patterns", "extend"})
_PATTERN_KEYS = frozenset({"regex", "lemmas"})
_STANCE_KEYS = frozenset({"verbs", "adjectives", "nouns", "regex"})
_TOP_KEYS = frozenset({"version", "issues", "stances", "replace"})


@dataclass(frozen=True, kw_only=True, slots=True)
class Issue:
    """One issue: its name, description, parent and patterns (compiled regexes, lemma sequences)."""

    name: str
    description: str = ""
    parent: str | None = None
    regex: tuple[re.Pattern[str], ...] = ()
    lemmas: tuple[tuple[str, ...], ...] = ()
    source: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class IssueMatch:
    """Where an issue's pattern matched: ``text[start:end]``."""

    issue: str
    start: int
    end: int


@dataclass(frozen=True, kw_only=True, slots=True)
class StanceCues:
    """Cue words of one stance type. ``verbs`` holds ``(lemma, particle or "")`` pairs."""

    verbs: frozenset[tuple[str, str]] = frozenset()
    adjectives: frozenset[str] = frozenset()
    nouns: frozenset[str] = frozenset()
    regex: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Taxonomy:
    """Issues in file order (``other``, the fallback, included) and the stance cues."""

    issues: tuple[Issue, ...] = ()
    stances: dict[str, StanceCues] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.issues)

    def issue(self, name: str) -> Issue | None:
        for i in self.issues:
            if i.name == name:
                return i
        return None

    def gold_issue(self, name: str, gold: frozenset[str] = GOLD_ISSUES) -> str:
        """The label ``name`` rolls up to in the ``gold`` label set (following ``parent``), else other."""
        seen: set[str] = set()
        current: str | None = name
        while current is not None and current not in seen:
            if current in gold:
                return current
            seen.add(current)
            it = self.issue(current)
            current = it.parent if it is not None else None
        return FALLBACK

    def find(self, text: str, *, doc: Doc | None = None) -> list[IssueMatch]:
        """Every match of every issue in ``text``, sorted by start (lemma patterns need ``doc``)."""
        out: list[IssueMatch] = []
        lemmas: list[str] = []
        if doc is not None and any(i.lemmas for i in self.issues):
            lemmas = [t.lemma_.lower() for t in doc]
        for issue in self.issues:
            for rx in issue.regex:
                out.extend(
                    IssueMatch(issue=issue.name, start=m.start(), end=m.end()) for m in rx.finditer(text)
                )
            if doc is None:
                continue
            for seq in issue.lemmas:
                n = len(seq)
                for i in range(len(lemmas) - n + 1):
                    if tuple(lemmas[i : i + n]) == seq:
                        start = doc[i].idx
                        end = doc[i + n - 1].idx + len(doc[i + n - 1])
                        out.append(IssueMatch(issue=issue.name, start=start, end=end))
        out.sort(key=lambda m: (m.start, -(m.end - m.start), m.issue))
        # one match per stretch and issue: "direct talks" is not also "talks"
        kept: list[IssueMatch] = []
        last_end: dict[str, int] = {}
        for m in out:
            if m.start < last_end.get(m.issue, -1):
                continue
            kept.append(m)
            last_end[m.issue] = max(m.end, last_end.get(m.issue, -1))
        return kept


# ------------------------------------------------------------------------------------------ loading


def load_taxonomy(path: str | Path | None = None, *, extra: Iterable[str | Path] = ()) -> Taxonomy:
    """The packaged taxonomy (or ``path``), then each of ``extra`` on top of it."""
    if path is None and not extra:
        return _default()
    if path is None:
        base = _default()
    else:
        base = _read(Path(path), Taxonomy())
    for p in extra:
        base = _read(Path(p), base)
    return base


@lru_cache(maxsize=1)
def _default() -> Taxonomy:
    text = resources.files("storyline.data").joinpath(DEFAULT_NAME).read_text(encoding="utf-8")
    return parse_taxonomy(text, where=f"storyline/data/{DEFAULT_NAME}")


def _read(p: Path, base: Taxonomy) -> Taxonomy:
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(p), f"cannot read taxonomy: {exc}") from exc
    return parse_taxonomy(text, where=str(p), base=base)


def parse_taxonomy(text: str, *, where: str = DEFAULT_NAME, base: Taxonomy | None = None) -> Taxonomy:
    """Parse taxonomy YAML ``text`` (``where`` names it in errors) on top of ``base``."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ConfigError(
            where, f"malformed YAML: {exc.problem or exc}", line=mark.line + 1 if mark is not None else None
        ) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(where, f"malformed YAML: {exc}") from exc
    base = base or Taxonomy()
    if root is None:
        return base
    return _Parser(where).taxonomy(root, base)


class _Parser:
    def __init__(self, where: str) -> None:
        self.where = where

    def error(self, node: yaml.Node, problem: str, fld: str | None) -> ConfigError:
        return ConfigError(self.where, problem, line=node.start_mark.line + 1, field=fld or None)

    def mapping(self, node: yaml.Node, fld: str, allowed: frozenset[str]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, "expected a mapping", fld)
        out: dict[str, yaml.Node] = {}
        for k, v in node.value:
            key = str(k.value)
            sub = f"{fld}.{key}" if fld else key
            if key not in allowed:
                raise self.error(
                    k, f"unknown key {key!r} (expected one of {', '.join(sorted(allowed))})", sub
                )
            if key in out:
                raise self.error(k, f"duplicate key {key!r}", sub)
            out[key] = v
        return out

    def scalar(self, node: yaml.Node, fld: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            raise self.error(node, "expected a non-empty string", fld)
        return str(node.value).strip()

    def boolean(self, node: yaml.Node, fld: str) -> bool:
        if not isinstance(node, yaml.ScalarNode) or node.value.lower() not in ("true", "false", "yes", "no"):
            raise self.error(node, "expected true or false", fld)
        return node.value.lower() in ("true", "yes")

    def seq(self, node: yaml.Node, fld: str) -> list[yaml.Node]:
        if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, "expected a list", fld)
        return list(node.value)

    def regexes(self, node: yaml.Node, fld: str) -> tuple[re.Pattern[str], ...]:
        out: list[re.Pattern[str]] = []
        for i, n in enumerate(self.seq(node, fld)):
            src = self.scalar(n, f"{fld}[{i}]")
            try:
                out.append(re.compile(src, re.IGNORECASE))
            except re.error as exc:
                raise self.error(n, f"bad regular expression {src!r}: {exc}", f"{fld}[{i}]") from None
        return tuple(out)

    def words(self, node: yaml.Node, fld: str) -> list[str]:
        return [self.scalar(n, f"{fld}[{i}]").lower() for i, n in enumerate(self.seq(node, fld))]

    # -------------------------------------------------------------------------------- sections

    def taxonomy(self, root: yaml.Node, base: Taxonomy) -> Taxonomy:
        top = self.mapping(root, "", _TOP_KEYS)
        if "version" in top:
            version = self.scalar(top["version"], "version")
            if version != "1":
                raise self.error(top["version"], f"unsupported version {version!r} (expected 1)", "version")
        issues: dict[str, Issue] = {}
        if not ("replace" in top and self.boolean(top["replace"], "replace")):
            issues = {i.name: i for i in base.issues}
        seen: set[str] = set()
        nodes: dict[str, tuple[yaml.Node, str]] = {}
        for idx, node in enumerate(self.seq(top["issues"], "issues") if "issues" in top else []):
            fld = f"issues[{idx}]"
            issue, extend = self.issue(node, fld)
            if issue.name in seen:
                raise self.error(node, f"duplicate issue {issue.name!r}", f"{fld}.name")
            seen.add(issue.name)
            nodes[issue.name] = (node, fld)
            old = issues.get(issue.name)
            if extend and old is not None:
                issue = Issue(
                    name=issue.name,
                    description=issue.description or old.description,
                    parent=issue.parent if issue.parent is not None else old.parent,
                    regex=old.regex + issue.regex,
                    lemmas=old.lemmas + issue.lemmas,
                    source=self.where,
                )
            issues[issue.name] = issue
        for name, issue in issues.items():
            if issue.parent is None:
                continue
            node, fld = nodes.get(name, (root, ""))
            if issue.parent not in issues:
                raise self.error(node, f"issue {name!r}: unknown parent {issue.parent!r}", f"{fld}.parent")
            chain = {name}
            cur: str | None = issue.parent
            while cur is not None:
                if cur in chain:
                    raise self.error(node, f"issue {name!r}: parent cycle through {cur!r}", f"{fld}.parent")
                chain.add(cur)
                cur = issues[cur].parent if cur in issues else None
        if FALLBACK not in issues:
            issues[FALLBACK] = Issue(name=FALLBACK, description="anything else", source=self.where)
        stances = dict(base.stances)
        if "stances" in top:
            stances.update(self.stances(top["stances"], stances))
        return Taxonomy(issues=tuple(issues.values()), stances=stances)

    def issue(self, node: yaml.Node, fld: str) -> tuple[Issue, bool]:
        m = self.mapping(node, fld, _ISSUE_KEYS)
        if "name" not in m:
            raise self.error(node, "missing required field 'name'", f"{fld}.name")
        name = self.scalar(m["name"], f"{fld}.name")
        if not _NAME_RE.match(name):
            raise self.error(m["name"], f"bad issue name {name!r} (lower case, digits, _)", f"{fld}.name")
        description = self.scalar(m["description"], f"{fld}.description") if "description" in m else ""
        parent = self.scalar(m["parent"], f"{fld}.parent") if "parent" in m else None
        extend = self.boolean(m["extend"], f"{fld}.extend") if "extend" in m else False
        regex: tuple[re.Pattern[str], ...] = ()
        lemmas: list[tuple[str, ...]] = []
        if "patterns" in m:
            pf = f"{fld}.patterns"
            pm = self.mapping(m["patterns"], pf, _PATTERN_KEYS)
            if "regex" in pm:
                regex = self.regexes(pm["regex"], f"{pf}.regex")
            if "lemmas" in pm:
                lemmas = [tuple(w.split()) for w in self.words(pm["lemmas"], f"{pf}.lemmas")]
        return (
            Issue(
                name=name,
                description=description,
                parent=parent,
                regex=regex,
                lemmas=tuple(lemmas),
                source=self.where,
            ),
            extend,
        )

    def stances(self, node: yaml.Node, base: dict[str, StanceCues]) -> dict[str, StanceCues]:
        top = self.mapping(node, "stances", frozenset(STANCES))
        out: dict[str, StanceCues] = {}
        for name, sub in top.items():
            fld = f"stances.{name}"
            m = self.mapping(sub, fld, _STANCE_KEYS)
            old = base.get(name, StanceCues())
            verbs: set[tuple[str, str]] = set()
            for w in self.words(m["verbs"], f"{fld}.verbs") if "verbs" in m else []:
                parts = w.split()
                verbs.add((parts[0], " ".join(parts[1:])))
            out[name] = StanceCues(
                verbs=old.verbs | verbs,
                adjectives=old.adjectives
                | frozenset(self.words(m["adjectives"], f"{fld}.adjectives") if "adjectives" in m else ()),
                nouns=old.nouns | frozenset(self.words(m["nouns"], f"{fld}.nouns") if "nouns" in m else ()),
                regex=old.regex + (self.regexes(m["regex"], f"{fld}.regex") if "regex" in m else ()),
            )
        return out
