"""Fields named the way people count: ``themes[1]`` → "themes, 2nd value".

The machine path (``organisations[0].id``) stays in the JSON ``field`` of the
contract; text output and GitHub annotations show :func:`human_field`, with the
field names from ``data/fields.yaml`` and 1-based ordinals in the reader's
language ("thema's, 2e waarde").
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import yaml

from casebook.i18n import ordinal

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@functools.cache
def field_labels() -> dict[str, dict[str, str]]:
    """Field path (without list positions) → label per language."""
    text = resources.files("casebook").joinpath("data", "fields.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


_VALUE = {"en": "value", "nl": "waarde"}


@functools.cache
def human_field(field: str, lang: str) -> str:
    """``organisations[0].id`` → ``organisations, 1st value, id`` in ``lang``."""
    if not field:
        return ""
    labels = field_labels()
    parts: list[str] = []
    key_path: list[str] = []
    for m in _PART.finditer(field):
        if m.group(2) is not None:
            parts.append(f"{ordinal(int(m.group(2)) + 1, lang)} {_VALUE.get(lang, 'value')}")
            continue
        key_path.append(m.group(1))
        label = labels.get(".".join(key_path), {})
        parts.append(label.get(lang) or label.get("en") or m.group(1))
    return ", ".join(parts)
