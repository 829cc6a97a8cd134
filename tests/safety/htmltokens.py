"""Helpers of the safety tests: the site's Markdown renderer and an HTML normaliser."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import yaml
from casebook.safety.ids import guarded_slugify

REPO_ROOT = Path(__file__).resolve().parents[2]


class _Loose(yaml.SafeLoader):
    """Reads mkdocs.yml, keeping ``!ENV`` and ``!!python/name`` tags as nothing."""


_Loose.add_multi_constructor("", lambda loader, suffix, node: None)


def site_markdown() -> markdown.Markdown:
    """A Markdown converter with exactly the extensions of the site's mkdocs.yml (and the
    heading anchors casebook/pages sets)."""
    config = yaml.load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loose)
    names: list[str] = []
    options: dict[str, dict[str, Any]] = {}
    for item in config["markdown_extensions"]:
        if isinstance(item, dict):
            ((name, value),) = item.items()
            names.append(name)
            options[name] = value or {}
        else:
            names.append(item)
    # As casebook/pages configures it for every build: heading anchors kept out of the
    # theme's ids (casebook.content.allowlist).
    toc = options.setdefault("toc", {})
    toc["slugify"] = guarded_slugify(toc.get("slugify"))
    return markdown.Markdown(extensions=names, extension_configs=options)


def render(md: markdown.Markdown, text: str) -> str:
    """``text`` rendered as MkDocs renders a page body."""
    md.reset()
    return md.convert(text)


def body_of(path: Path) -> str:
    """The Markdown body of a content file (after its front-matter), read as bytes."""
    text = path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")
    text = text.replace("\r\n", "\n")
    if text.startswith("---\n"):
        _, sep, rest = text[4:].partition("\n---\n")
        if sep:
            return rest
    return text


class _Tokens(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[tuple[Any, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "style" in values:  # "text-align: left;" and "text-align:left" are the same
            values["style"] = re.sub(r"\s+", "", values["style"]).rstrip(";")
        self.out.append(("start", tag, tuple(sorted(values.items()))))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.out.append(("end", tag))

    def handle_data(self, data: str) -> None:
        if self.out and self.out[-1][0] == "text":
            self.out[-1] = ("text", self.out[-1][1] + data)
        else:
            self.out.append(("text", data))

    def handle_comment(self, data: str) -> None:
        """Comments are not content (the sanitizer drops them): left out."""


def tokens(html: str) -> list[tuple[Any, ...]]:
    """The document as a list of tags (attributes sorted, values decoded) and texts.

    Two serialisations of the same markup (``<br />`` / ``<br>``, ``&para;`` /
    ``¶``, attribute order or quoting) give the same list. Comments are left out.
    """
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    return parser.out


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    """Every start tag with its decoded attributes."""
    return [(t[1], dict(t[2])) for t in tokens(html) if t[0] == "start"]
