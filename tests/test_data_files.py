"""The packaged data files: YAML 1.1 reads an unquoted ``no``, ``on`` or ``off`` as a boolean, which a
word list then silently lacks (a "walked off" condition, a "No. 5" designator)."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
import yaml

_FILES = sorted(p.name for p in resources.files("storyline.data").iterdir() if p.name.endswith(".yaml"))


def _booleans_in_lists(node: Any, path: str) -> list[str]:
    if isinstance(node, dict):
        return [b for k, v in node.items() for b in _booleans_in_lists(v, f"{path}.{k}")]
    if isinstance(node, list):
        found = [f"{path}[{i}]" for i, v in enumerate(node) if isinstance(v, bool)]
        return found + [b for i, v in enumerate(node) for b in _booleans_in_lists(v, f"{path}[{i}]")]
    return []


@pytest.mark.parametrize("name", _FILES)
def test_no_word_list_holds_a_boolean(name: str) -> None:
    text = resources.files("storyline.data").joinpath(name).read_text(encoding="utf-8")
    assert _booleans_in_lists(yaml.safe_load(text), name) == []
