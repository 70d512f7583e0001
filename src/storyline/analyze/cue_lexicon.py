"""The cue lexicon: reporting verbs, adjectives and nouns (``data/cues.yaml``) and the anonymous-source
patterns (``data/anonymous_sources.yaml``), read once and validated.

A verb's ``class`` says what it reports — ``speech`` (its complement is what was said), ``cognition`` (a
thought or wish), ``stance`` (support or opposition: needs a holder) or ``attitude`` (a statement only with
speech structure); see the head of ``cues.yaml``. A malformed entry raises
:class:`storyline.errors.ConfigError` naming the file and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml

__all__ = ["CUE_CLASSES", "CueClass", "CueEntry", "CueLexicon", "lexicon_from_data", "load_cue_lexicon"]

CueClass = Literal["speech", "cognition", "stance", "attitude"]
CUE_CLASSES: tuple[CueClass, ...] = ("speech", "cognition", "stance", "attitude")


@dataclass(frozen=True, kw_only=True, slots=True)
class CueEntry:
    lemma: str
    content: frozenset[str]
    direct: bool = True
    cls: CueClass = "speech"
    particles: frozenset[str] = frozenset()
    particle_required: bool = False
    holder: bool = False  # a report only with a subject that can hold or publish a view


@dataclass(frozen=True, kw_only=True, slots=True)
class CueLexicon:
    verbs: dict[str, CueEntry] = field(default_factory=dict)
    adjectives: dict[str, CueEntry] = field(default_factory=dict)
    nouns: dict[str, frozenset[str]] = field(default_factory=dict)
    descriptors: frozenset[str] = frozenset()
    always_anonymous: frozenset[str] = frozenset()
    generic_descriptors: frozenset[str] = frozenset()
    counts: dict[str, int] = field(default_factory=dict)
    knowledge_adjectives: frozenset[str] = frozenset()
    affiliation_heads: frozenset[str] = frozenset()
    anonymity_phrases: tuple[str, ...] = ()
    speech_frames: frozenset[str] = frozenset()
    perception_verbs: frozenset[str] = frozenset()
    stance_objects: frozenset[str] = frozenset()
    verdict_verbs: frozenset[str] = frozenset()
    armed_modifiers: frozenset[str] = frozenset()
    allegation_verbs: frozenset[str] = frozenset()


def _read_yaml(name: str) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = resources.files("storyline.data").joinpath(name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader


@lru_cache(maxsize=1)
def load_cue_lexicon() -> CueLexicon:
    """The packaged cue and anonymous-source lexicons (read once)."""
    return lexicon_from_data(
        _read_yaml("cues.yaml") or {}, _read_yaml("anonymous_sources.yaml") or {}, source="storyline/data"
    )


def _words(value: Any, *, source: str, field: str) -> frozenset[str]:
    """A list of words from a lexicon file; anything but strings is an error naming the field (YAML reads
    an unquoted ``on``/``off``/``yes``/``no`` as a boolean: quote it)."""
    items = value or ()
    if isinstance(items, str) or not isinstance(items, list | tuple):
        from storyline.errors import ConfigError

        raise ConfigError(source, f"expected a list of words, got {value!r}", field=field)
    bad = [w for w in items if not isinstance(w, str)]
    if bad:
        from storyline.errors import ConfigError

        raise ConfigError(source, f'{bad[0]!r} is not a word (quote it: "on", "off")', field=field)
    return frozenset(w.lower() for w in items)


def lexicon_from_data(cues: dict[str, Any], anon: dict[str, Any], *, source: str) -> CueLexicon:
    """A lexicon from the parsed ``cues.yaml`` and ``anonymous_sources.yaml`` (``source`` names them in
    errors)."""
    cues_src = f"{source}/cues.yaml"

    def entries(section: dict[str, Any] | None, name: str) -> dict[str, CueEntry]:
        out: dict[str, CueEntry] = {}
        for lemma, flags in (section or {}).items():
            flags = flags or {}
            cls = flags.get("class", "cognition" if flags.get("belief") else "speech")
            if cls not in CUE_CLASSES:
                from storyline.errors import ConfigError

                raise ConfigError(
                    cues_src,
                    f"unknown class {cls!r} (expected one of {', '.join(CUE_CLASSES)})",
                    field=f"{name}.{lemma}.class",
                )
            out[str(lemma).lower()] = CueEntry(
                lemma=str(lemma).lower(),
                content=_words(flags.get("content"), source=cues_src, field=f"{name}.{lemma}.content"),
                direct=bool(flags.get("direct", True)),
                cls=cls,
                particles=_words(flags.get("particle"), source=cues_src, field=f"{name}.{lemma}.particle"),
                particle_required=bool(flags.get("particle_required", False)),
                holder=bool(flags.get("holder", False)),
            )
        return out

    anon_src = f"{source}/anonymous_sources.yaml"
    return CueLexicon(
        verbs=entries(cues.get("verbs"), "verbs"),
        adjectives=entries(cues.get("adjectives"), "adjectives"),
        nouns={
            str(k).lower(): _words((v or {}).get("preps"), source=cues_src, field=f"nouns.{k}.preps")
            for k, v in (cues.get("nouns") or {}).items()
        },
        descriptors=_words(anon.get("descriptors"), source=anon_src, field="descriptors"),
        always_anonymous=_words(anon.get("always_anonymous"), source=anon_src, field="always_anonymous"),
        generic_descriptors=_words(
            anon.get("generic_descriptors"), source=anon_src, field="generic_descriptors"
        ),
        counts={str(k).lower(): int(v) for k, v in (anon.get("counts") or {}).items()},
        knowledge_adjectives=_words(
            anon.get("knowledge_adjectives"), source=anon_src, field="knowledge_adjectives"
        ),
        affiliation_heads=_words(anon.get("affiliation_heads"), source=anon_src, field="affiliation_heads"),
        anonymity_phrases=tuple(
            sorted(_words(anon.get("anonymity_phrases"), source=anon_src, field="anonymity_phrases"))
        ),
        speech_frames=_words(cues.get("speech_frames"), source=cues_src, field="speech_frames"),
        perception_verbs=_words(cues.get("perception_verbs"), source=cues_src, field="perception_verbs"),
        stance_objects=_words(cues.get("stance_objects"), source=cues_src, field="stance_objects"),
        verdict_verbs=_words(cues.get("verdict_verbs"), source=cues_src, field="verdict_verbs"),
        armed_modifiers=_words(cues.get("armed_modifiers"), source=cues_src, field="armed_modifiers"),
        allegation_verbs=_words(cues.get("allegation_verbs"), source=cues_src, field="allegation_verbs"),
    )
