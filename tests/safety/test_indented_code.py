"""No over-blocking: indented code is code (as Python-Markdown renders it), while
indented text that Markdown reads as list content or HTML is still checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from casebook.checks.validate import validate
from htmltokens import render, site_markdown

ORG = """---
name: Gemeente Proef
kind: municipality
country: NL
website: "https://example.org/"
reviewed: 2024-05-01
---

{body}
"""
SNIPPET = '<iframe src="https://player.example/embed/1"></iframe>'
SCRIPT = "<script>alert(1)</script>"


def _unsafe(tmp_path: Path, body: str) -> list[str]:
    folder = tmp_path / "content" / "organisations"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "proef.nl.md").write_text(ORG.format(body=body), encoding="utf-8")
    diagnostics, _ = validate(tmp_path)
    return [d.message for d in diagnostics if d.code == "unsafe-html"]


@pytest.mark.parametrize("body", [
    f"Zo plaatst u de video:\n\n    {SNIPPET}\n\nEn verder.",
    f"Zo plaatst u de video:\n\n\t{SNIPPET}\n    {SCRIPT}\n",
    f"Voorbeeld:\n\n    regel 1\n\n    {SNIPPET}\n\nKlaar.",
])
def test_an_embed_snippet_in_code_is_accepted_and_renders_as_text(tmp_path: Path,
                                                                  body: str) -> None:
    assert _unsafe(tmp_path, body) == []
    html = render(site_markdown(), body)
    assert "<iframe" not in html and "&lt;iframe" in html


@pytest.mark.parametrize("body", [
    f"- een punt\n\n    {SNIPPET}\n",                      # list content, not code
    f"1. stap\n\n    {SCRIPT}\n",
    f"Tekst\n    {SNIPPET}\n",                               # a paragraph's continuation
    f"<div>\n\n    {SCRIPT}\n\n</div>\n",                    # inside a raw HTML block
])
def test_indented_html_that_markdown_does_not_treat_as_code_is_still_refused(
        tmp_path: Path, body: str) -> None:
    assert _unsafe(tmp_path, body)


def test_the_pages_of_content_are_validated_like_entries(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "contribute.nl.md").write_text(
        "# Bijdragen\n\nTekst.\n\n<script>alert(1)</script>\n", encoding="utf-8")
    (tmp_path / "content" / "contribute.en.md").write_text(
        "---\ndescription: 'x'\n---\n# Contribute\n\n    <script>code</script>\n\n"
        "[site](https://www.\u0430msterdam.nl/)\n", encoding="utf-8")
    diagnostics, _ = validate(tmp_path)
    found = sorted((d.path, d.line, d.code) for d in diagnostics if d.severity == "error")
    assert found == [("content/contribute.en.md", 8, "url-host"),
                     ("content/contribute.nl.md", 5, "unsafe-html")], diagnostics
