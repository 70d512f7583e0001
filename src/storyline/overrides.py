"""User overrides for actor linking: merge, split and rename.

The file is ``storyline.overrides.yaml`` next to the database (:func:`default_path`), or any path
given to :func:`load_overrides`. It is applied by :func:`storyline.link.actors.link_actors`. All
three sections are optional::

    # Names that are one actor. Every mention whose name (normalized: case, diacritics, possessive
    # and honorifics ignored) is one of `names` becomes the actor `into` (a gazetteer name or id,
    # or a new name); `into` is also the actor's display name.
    merge:
      - into: Volodymyr Zelensky
        names: [Zelenskiy, V. Zelensky]

    # One name that is two actors. The mentions listed (by article id and start offset), and every
    # mention of `actor` in the `articles` listed, become the new actor `into`. `actor` is an actor
    # id or a name; mentions of other actors are never moved.
    split:
      - actor: john-smith-3fa2b1
        into: John Smith (footballer)
        mentions:
          - {article: 91b67a5ff5f9ac02, start: 120}
        articles: [8fb1dc4e35836920]

    # A new display name for an actor (by id or current name). The id does not change.
    rename:
      - {actor: vladimir-putin, name: Vladimir V. Putin}

A malformed file raises :class:`~storyline.errors.ConfigError` naming the file, the line and the
field (``[E201] storyline.overrides.yaml:7 (merge[0].names): …``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import ConfigError
from .gazetteer import normalize

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "DEFAULT_NAME",
    "Merge",
    "Overrides",
    "Rename",
    "Split",
    "default_path",
    "load_overrides",
    "parse_overrides",
]

DEFAULT_NAME = "storyline.overrides.yaml"
_SECTIONS = ("merge", "split", "rename")


@dataclass(frozen=True, kw_only=True, slots=True)
class Merge:
    into: str
    names: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Split:
    actor: str
    into: str
    mentions: tuple[tuple[str, int], ...] = ()  # (article id, start offset)
    articles: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Rename:
    actor: str
    name: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Overrides:
    merges: tuple[Merge, ...] = ()
    splits: tuple[Split, ...] = ()
    renames: tuple[Rename, ...] = ()
    path: str | None = None

    def merge_target(self, name: str) -> str | None:
        """The ``into`` of the merge listing ``name`` (normalized), else ``None``."""
        k = normalize(name)
        for m in self.merges:
            if k in {normalize(n) for n in m.names} or k == normalize(m.into):
                return m.into
        return None

    def splits_for(self, article_id: str, start: int) -> tuple[Split, ...]:
        """The splits that name this mention or its article."""
        return tuple(s for s in self.splits if (article_id, start) in s.mentions or article_id in s.articles)

    def __bool__(self) -> bool:
        return bool(self.merges or self.splits or self.renames)


def default_path(db: str | Path) -> Path:
    """``storyline.overrides.yaml`` in the directory of the database file ``db``."""
    return Path(db).resolve().parent / DEFAULT_NAME


def load_overrides(path: str | Path, *, missing_ok: bool = True) -> Overrides:
    """Read an overrides file; a missing file is no overrides (unless ``missing_ok`` is false)."""
    p = Path(path)
    if not p.exists():
        if missing_ok:
            return Overrides(path=str(p))
        raise ConfigError(str(p), "no such overrides file")
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(p), f"cannot read overrides: {exc}") from exc
    return parse_overrides(text, where=str(p))


def parse_overrides(text: str, *, where: str = DEFAULT_NAME) -> Overrides:
    """Parse the text of an overrides file (``where`` names it in errors)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ConfigError(
            where, f"malformed YAML: {exc.problem or exc}", line=mark.line + 1 if mark is not None else None
        ) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(where, f"malformed YAML: {exc}") from exc
    if root is None:
        return Overrides(path=where)
    p = _Parser(where)
    top = p.mapping(root, "")
    unknown = [k for k in top if k not in _SECTIONS]
    if unknown:
        raise p.error(
            top[unknown[0]][0],
            f"unknown section {unknown[0]!r} (expected merge, split or rename)",
            unknown[0],
        )
    merges = tuple(_merge(p, n, f"merge[{i}]") for i, n in enumerate(p.items(top, "merge")))
    splits = tuple(_split(p, n, f"split[{i}]") for i, n in enumerate(p.items(top, "split")))
    renames = tuple(_rename(p, n, f"rename[{i}]") for i, n in enumerate(p.items(top, "rename")))
    seen: dict[str, str] = {}
    for i, m in enumerate(merges):
        for name in m.names:
            k = normalize(name)
            if k in seen and seen[k] != m.into:
                node = top["merge"][1]
                raise p.error(
                    node, f"{name!r} is merged into both {seen[k]!r} and {m.into!r}", f"merge[{i}].names"
                )
            seen[k] = m.into
    return Overrides(merges=merges, splits=splits, renames=renames, path=where)


class _Parser:
    def __init__(self, where: str) -> None:
        self.where = where

    def error(self, node: yaml.Node, problem: str, fld: str | None) -> ConfigError:
        return ConfigError(self.where, problem, line=node.start_mark.line + 1, field=fld or None)

    def mapping(self, node: yaml.Node, fld: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, "expected a mapping", fld)
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for k, v in node.value:
            out[str(k.value)] = (k, v)
        return out

    def items(self, top: Mapping[str, tuple[yaml.Node, yaml.Node]], section: str) -> list[yaml.Node]:
        if section not in top:
            return []
        _, v = top[section]
        if isinstance(v, yaml.ScalarNode) and v.value in ("", "~", "null"):
            return []
        if not isinstance(v, yaml.SequenceNode):
            raise self.error(v, f"{section} must be a list", section)
        return list(v.value)

    def string(
        self, m: Mapping[str, tuple[yaml.Node, yaml.Node]], key: str, parent: yaml.Node, fld: str
    ) -> str:
        if key not in m:
            raise self.error(parent, f"missing required field {key!r}", f"{fld}.{key}")
        v = m[key][1]
        if not isinstance(v, yaml.ScalarNode) or not str(v.value).strip():
            raise self.error(v, f"{key} must be a non-empty string", f"{fld}.{key}")
        return str(v.value).strip()

    def strings(self, m: Mapping[str, tuple[yaml.Node, yaml.Node]], key: str, fld: str) -> tuple[str, ...]:
        if key not in m:
            return ()
        v = m[key][1]
        if isinstance(v, yaml.ScalarNode) and str(v.value).strip():
            return (str(v.value).strip(),)
        if not isinstance(v, yaml.SequenceNode) or not all(
            isinstance(x, yaml.ScalarNode) and str(x.value).strip() for x in v.value
        ):
            raise self.error(v, f"{key} must be a list of non-empty strings", f"{fld}.{key}")
        return tuple(str(x.value).strip() for x in v.value)

    def check_fields(self, m: Mapping[str, tuple[yaml.Node, yaml.Node]], allowed: set[str], fld: str) -> None:
        for k, (kn, _) in m.items():
            if k not in allowed:
                raise self.error(
                    kn, f"unknown field {k!r} (expected {', '.join(sorted(allowed))})", f"{fld}.{k}"
                )


def _merge(p: _Parser, node: yaml.Node, fld: str) -> Merge:
    m = p.mapping(node, fld)
    p.check_fields(m, {"into", "names"}, fld)
    into = p.string(m, "into", node, fld)
    names = p.strings(m, "names", fld)
    if not names:
        raise p.error(node, "names must list at least one name", f"{fld}.names")
    return Merge(into=into, names=names)


def _split(p: _Parser, node: yaml.Node, fld: str) -> Split:
    m = p.mapping(node, fld)
    p.check_fields(m, {"actor", "into", "mentions", "articles"}, fld)
    actor = p.string(m, "actor", node, fld)
    into = p.string(m, "into", node, fld)
    mentions: list[tuple[str, int]] = []
    if "mentions" in m:
        seq = m["mentions"][1]
        if not isinstance(seq, yaml.SequenceNode):
            raise p.error(seq, "mentions must be a list of {article, start}", f"{fld}.mentions")
        for j, item in enumerate(seq.value):
            sub = f"{fld}.mentions[{j}]"
            mm = p.mapping(item, sub)
            p.check_fields(mm, {"article", "start"}, sub)
            article = p.string(mm, "article", item, sub)
            start_s = p.string(mm, "start", item, sub)
            try:
                start = int(start_s)
            except ValueError:
                raise p.error(
                    mm["start"][1], f"start must be a character offset, not {start_s!r}", f"{sub}.start"
                ) from None
            if start < 0:
                raise p.error(mm["start"][1], "start must be >= 0", f"{sub}.start")
            mentions.append((article, start))
    articles = p.strings(m, "articles", fld)
    if not mentions and not articles:
        raise p.error(node, "a split needs mentions or articles", fld)
    return Split(actor=actor, into=into, mentions=tuple(mentions), articles=articles)


def _rename(p: _Parser, node: yaml.Node, fld: str) -> Rename:
    m = p.mapping(node, fld)
    p.check_fields(m, {"actor", "name"}, fld)
    return Rename(actor=p.string(m, "actor", node, fld), name=p.string(m, "name", node, fld))
