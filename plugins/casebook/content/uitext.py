"""The site's bilingual UI strings (``data/ui.yaml``) and counted phrases.

Text, not rendering: :mod:`casebook.content.sections`, the site, the open data and
the MkDocs adapters all read their labels here.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

from casebook.content.languages import DEFAULT_LANGUAGE


@functools.cache
def ui_strings() -> dict[str, Any]:
    """The bilingual UI strings of ``data/ui.yaml``."""
    text = resources.files("casebook").joinpath("data", "ui.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def ui_text(key: str, lang: str, **values: Any) -> str:
    """One UI string (``"notices.untranslated"``) in ``lang``, placeholders filled in."""
    node: Any = ui_strings()
    for part in key.split("."):
        node = node[part]
    text = node.get(lang) or node[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def ui_count(key: str, n: int, lang: str) -> str:
    """A counted phrase: ``1 casus``, ``3 casussen``."""
    return ui_text(f"{key}.{'one' if n == 1 else 'other'}", lang, n=format_number(n, lang))


def format_number(n: int | float, lang: str) -> str:
    """``50000`` → ``50.000`` (nl) or ``50,000`` (en)."""
    text = f"{n:,.2f}" if isinstance(n, float) and not n.is_integer() else f"{int(n):,}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "nl" else text
