"""Recommended body sections: their keys, headings, and settling a missing one.

``data/sections.yaml`` names every section with a key and a heading per
language, and lists the keys each kind of entry should have. When the sources
say nothing about a section, the entry records its key in ``not_in_sources``;
the validator then stops warning, and :func:`with_settled` adds the heading with
"not recorded in the sources" to the page.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from importlib import resources
from typing import Any

import yaml

from casebook.content.uitext import ui_text

#: Level-2 headings as written in a body (the same rule as the validator's).
# The text ends at the last character that is not a space, tab or '#' (greedy, then
# one step back per trailing character: linear; a lazy ``(.+?)[ \t#]*$`` is quadratic
# on ``## a # # # ... x``).
HEADING = re.compile(r"^##[ \t]+([^\n]*[^ \t#\n]|[^\n])[ \t#]*$", re.M)
#: A line that may be a level-2 heading, found by its literal start (many times
#: faster than :data:`HEADING`, whose ``^`` is tried at every character).
_HEADING_LINE = re.compile(r"\n(##[ \t][^\n]*)")
#: The front-matter key that settles missing sections.
SETTLED_KEY = "not_in_sources"


@functools.cache
def _data() -> dict[str, Any]:
    text = resources.files("casebook").joinpath("data", "sections.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def headings() -> dict[str, dict[str, str]]:
    """Section key → heading per language."""
    return _data()["headings"]


def keys_for(collection: str, kind: str | None) -> list[str]:
    """The recommended section keys of a case of ``kind`` or of an organisation."""
    data = _data()
    if collection in ("organisation", "organisations"):
        return list(data["organisation"])
    return list(data["case"].get(kind or "", []))


@functools.cache
def wanted(collection: str, kind: str, lang: str) -> tuple[tuple[str, str], ...]:
    """``(key, heading folded to lower case)`` of every recommended section (cached:
    the validator asks once per file)."""
    return tuple((k, heading(k, lang).lower()) for k in keys_for(collection, kind or None))


def heading(key: str, lang: str) -> str:
    """The heading of section ``key`` in ``lang``."""
    labels = headings().get(key, {})
    return labels.get(lang) or labels.get("en") or key


def by_language() -> dict[str, Any]:
    """The old shape: ``{"case": {kind: {lang: [heading]}}, "organisation": {lang: [...]}}``."""
    data = _data()
    langs = ("nl", "en")
    return {
        "case": {kind: {lang: [heading(k, lang) for k in keys] for lang in langs}
                 for kind, keys in data["case"].items()},
        "organisation": {lang: [heading(k, lang) for k in data["organisation"]]
                         for lang in langs},
    }


def present(markdown: str) -> set[str]:
    """The level-2 headings of a body, folded to lower case."""
    return {m.group(1).strip().lower() for line in _HEADING_LINE.findall("\n" + markdown)
            if (m := HEADING.match(line))}


def settled(facts: dict[str, Any]) -> list[str]:
    """The section keys an entry records as not in its sources."""
    value = facts.get(SETTLED_KEY)
    return [k for k in value if isinstance(k, str)] if isinstance(value, list) else []


def settled_sections(entry: Any, markdown: str, lang: str) -> str:
    """The body of ``entry`` as shown on the ``lang`` site, with a heading and "not
    recorded in the sources" for each section its facts record as not in the sources.

    Heading and note are in the language of the text shown (the reader's, unless
    the page shows the untranslated original), so the body reads in one language.
    """
    keys = settled(entry.facts)
    if not keys:
        return markdown

    text_lang = entry.text_lang(lang)
    kind = entry.facts.get("kind") if entry.collection == "cases" else None
    return with_settled(markdown, keys_for(entry.collection, kind if isinstance(kind, str)
                                           else None), keys, text_lang,
                        ui_text("sections.not_in_sources", text_lang))


def with_settled(markdown: str, keys: Iterable[str], settled_keys: Iterable[str], lang: str,
                 note: str) -> str:
    """``markdown`` with a heading and ``note`` for every settled section it lacks,
    each placed before the next recommended section the body has (else at the end)."""
    order = list(keys)
    wanted = [k for k in order if k in set(settled_keys)]
    have = present(markdown)
    missing = [k for k in wanted if heading(k, lang).lower() not in have]
    if not missing:
        return markdown
    lines = markdown.split("\n")
    starts = {m.group(1).strip().lower(): markdown.count("\n", 0, m.start())
              for m in HEADING.finditer(markdown)}
    inserts: dict[int, list[str]] = {}
    for key in missing:
        later = [heading(k, lang).lower() for k in order[order.index(key) + 1:]]
        at = next((starts[h] for h in later if h in starts), len(lines))
        inserts.setdefault(at, []).append(heading(key, lang))
    out: list[str] = []
    for i, line in enumerate([*lines, None]):
        for title in inserts.get(i, ()):
            if out and out[-1].strip():
                out.append("")
            out += [f"## {title}", "", f"*{note}*", ""]
        if line is not None:
            out.append(line)
    return "\n".join(out)
