"""One register of Dutch: the site and the tools address the reader with the formal
"u", never with "je", "jij", "jouw" or "jullie". Checked over every Dutch text a
reader or contributor reads: the Dutch values of the data files (ui.yaml, the
vocabularies, fields, sections, the issue form), the Dutch message catalogue, the
Dutch guide template, the page templates and theme overrides, and the contributor
page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "plugins" / "casebook"

#: The informal forms of address (and their object and possessive forms).
INFORMAL = re.compile(r"(?<![\w-])(je|jij|jou|jouw|jouwe|jezelf|jullie)(?![\w-])",
                      re.IGNORECASE)
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def dutch_values(node: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string under an ``nl`` key of a YAML tree, with where it is."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "nl":
                yield from strings(value, f"{where}.nl")
            else:
                yield from dutch_values(value, f"{where}.{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from dutch_values(value, f"{where}[{n}]")


def strings(node: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from strings(value, f"{where}[{n}]")
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from strings(value, f"{where}.{key}")


def dutch_texts() -> Iterator[tuple[str, str]]:
    """(where, text) for every Dutch UI text of the repository."""
    for path in sorted((PACKAGE / "data").glob("*.yaml")):
        tree = yaml.safe_load(path.read_text(encoding="utf-8"))
        yield from dutch_values(tree, path.name)
    catalogue = PACKAGE / "locale" / "nl" / "LC_MESSAGES" / "casebook.po"
    with catalogue.open("rb") as handle:
        for message in read_po(handle):
            values = message.string if isinstance(message.string, tuple) else (message.string,)
            for value in values:
                if value:
                    yield f"casebook.po: {message.id!r}", value
    templates = [*sorted((PACKAGE / "templates").rglob("*.j2")),
                 *sorted((ROOT / "overrides").rglob("*.html"))]
    for path in templates:
        if ".en." in path.name:
            continue
        text = JINJA.sub(" ", path.read_text(encoding="utf-8"))
        for number, line in enumerate(text.splitlines(), 1):
            yield f"{path.relative_to(ROOT)}:{number}", line
    for path in sorted((ROOT / "content").glob("*.nl.md")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            yield f"{path.relative_to(ROOT)}:{number}", line


def informal(text: str) -> list[str]:
    return [m.group(0) for m in INFORMAL.finditer(text)]


def test_dutch_ui_texts_use_the_formal_u() -> None:
    texts = list(dutch_texts())
    assert len(texts) > 300, "the texts were not found"
    found = [f"{where}: {words} in {text.strip()[:90]!r}" for where, text in texts
             if (words := informal(text))]
    assert not found, "informal Dutch (use 'u' and 'uw'):\n" + "\n".join(found)


@pytest.mark.parametrize(("text", "words"), [
    ("Ken je een casus die hier hoort?", ["je"]),
    ("Jullie kunnen dit zelf doen; Jouw bijdrage telt.", ["Jullie", "Jouw"]),
    ("Kent u een casus die hier hoort? Lees hoe u er een toevoegt.", []),
    ("De jeugdzorg, Jersey (JE-code) en rijen data.", []),
])
def test_the_check_tells_informal_from_formal(text: str, words: list[str]) -> None:
    assert informal(text) == words
