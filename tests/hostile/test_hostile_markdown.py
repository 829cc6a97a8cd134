"""The validator skips code when it looks for unsafe HTML; it must never skip what
Python-Markdown (with the site's extensions) renders as markup.

Hypothesis writes bodies from backticks, tildes, backslashes, blank lines, block
markers and a script tag. Whenever Markdown lets the script through as HTML, the
validator must report it. It may report more (text that Markdown shows as code):
that direction is only a false alarm.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from casebook.checks.validate import validate
from hostile_corpus import BASE, TODAY, prepare, site_markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SCRIPT = "<script>alert(1)</script>"
TOKENS = ["`", "``", "```", "~~~", "\\", "a", " ", "\n", "\n\n", "    ", "# ", "- ", "> ",
          SCRIPT, "<div markdown>", "</div>", "{: .x }", "py", "js x", "   ", "<!--", "-->",
          "* ", "1. ", "| ", "[", "](x)"]


@pytest.fixture(scope="module")
def case_file() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        root = prepare("ok-jinja-text", Path(tmp))
        assert (root / "content").is_dir() and BASE.is_dir()
        yield root / "content" / "cases" / "ok-jinja-text.nl.md"


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=24))
def test_script_that_markdown_renders_is_always_reported(case_file: Path,
                                                         tokens: list[str]) -> None:
    body = "".join(tokens)
    if SCRIPT not in body:
        body += SCRIPT
    md = site_markdown()
    rendered = md.convert(body)
    raw = md.htmlStash.rawHtmlBlocks
    runs_script = "<script>" in rendered or any("<script>" in str(block) for block in raw)
    text = case_file.read_text(encoding="utf-8")
    head = text[: text.index("\n---\n") + 5]
    case_file.write_text(head + "\n" + body + "\n", encoding="utf-8")
    diagnostics, _ = validate(case_file.parent.parent.parent, today=TODAY)
    reported = any(d.code == "unsafe-html" and "<script>" in d.message for d in diagnostics)
    if runs_script:
        assert reported, f"Markdown renders a script that the validator skipped:\n{body!r}"
