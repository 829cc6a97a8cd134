"""Reading and writing entries with python-frontmatter, under Casebook's strict rules.

Scripts and tools that work on the knowledge base read and write entries as
:class:`frontmatter.Post` objects (the ``python-frontmatter`` library, imported
as the top-level module ``frontmatter``; Casebook's own position-aware reader is
:mod:`casebook.content.frontmatter` and stays the validator's reader)::

    import frontmatter
    from casebook.content.entry_io import CasebookHandler

    post = frontmatter.load("content/cases/x.nl.md", handler=CasebookHandler())
    post["reviewed"] = "2025-06-01"
    frontmatter.dump(post, "content/cases/x.nl.md", handler=CasebookHandler())

The handler reads exactly as the validator does: the file must start with a
``---`` line, the front-matter is one YAML mapping without tags, anchors,
aliases, duplicate keys or several documents, dates stay text as written, and
size limits apply. A file that breaks a rule raises :class:`EntryError` (not a
``ValueError``, which python-frontmatter would swallow and return the whole
file as body), naming line, column and the problem. Writing puts the keys in
the order given, lists and mappings of scalars in flow style, text that YAML
would read as something else (``NO``, ``2024-01-01``) in quotes, and ends the
file with one newline.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import BaseHandler

from casebook.content.frontmatter import parse_file


class EntryError(Exception):
    """A file that Casebook's strict reading refuses; ``line``/``column`` are 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1, code: str = "") -> None:
        super().__init__(f"{line}:{column}: {message}")
        self.message, self.line, self.column, self.code = message, line, column, code


class CasebookHandler(BaseHandler):
    """A python-frontmatter handler with Casebook's strict front-matter rules."""

    FM_BOUNDARY = re.compile(r"^---\r*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "---"

    def detect(self, text: str) -> bool:
        """True when ``text`` starts with a ``---`` line (a BOM tolerated)."""
        first = text.removeprefix("\ufeff").split("\n", 1)[0]
        return first.rstrip("\r") == "---"

    def split(self, text: str) -> tuple[str, str]:
        """Front-matter and body, refusing what the validator refuses."""
        # python-frontmatter strips the file's text before handing it over, so the
        # line break after the closing '---' of a file without a body is gone.
        if not text.endswith("\n"):
            text += "\n"
        doc = parse_file(text.encode("utf-8"))
        if doc.problems:
            p = doc.problems[0]
            raise EntryError(p.message, p.line, p.column, p.code)
        return doc.front_matter(), doc.body

    def load(self, fm: str, **kwargs: object) -> dict[str, Any]:
        """The front-matter mapping, read strictly (dates stay text)."""
        doc = parse_file(f"---\n{fm}\n---\n".encode())
        if doc.problems:
            p = doc.problems[0]
            raise EntryError(p.message, p.line, p.column, p.code)
        return doc.data or {}

    def export(self, metadata: dict[str, object], **kwargs: object) -> str:
        """The front-matter text, one top-level key after the other."""
        return "".join(
            yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True, width=100,
                           default_flow_style=None if isinstance(value, list | dict) else False)
            for key, value in metadata.items()
        ).rstrip("\n")

    def format(self, post: frontmatter.Post, **kwargs: object) -> str:
        """The whole file: front-matter, a blank line, the body, one final newline."""
        front = self.export(post.metadata)
        body = post.content.strip("\n")
        return f"---\n{front}\n---\n" + (f"\n{body}\n" if body else "")


def load_entry(path: Path | str) -> frontmatter.Post:
    """Read one entry file strictly; raises :class:`EntryError` on a refused file."""
    return frontmatter.load(str(path), handler=CasebookHandler())


def dumps_entry(metadata: dict[str, Any], body: str = "") -> str:
    """The text of an entry file with these front-matter keys and Markdown body."""
    return frontmatter.dumps(frontmatter.Post(body, **metadata), handler=CasebookHandler())


def write_entry(path: Path, metadata: dict[str, Any], body: str = "", *,
                overwrite: bool = False) -> None:
    """Write an entry file (UTF-8, LF); an existing file is kept unless ``overwrite``."""
    text = dumps_entry(metadata, body)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w" if overwrite else "x", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
