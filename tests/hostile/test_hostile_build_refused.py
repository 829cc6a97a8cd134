"""A real ``mkdocs build`` of a rejected hostile entry (values, exports, printing and
rendering-budget families) stops with the validator's finding, file and line, no
traceback, and publishes nothing; the hostile value never reaches the terminal raw."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hostile_corpus import expected, prepare
from sitebuild import mkdocs_build, site_root_with

pytestmark = [pytest.mark.slow]

FAMILIES = ["value-escaped-controls", "number-non-finite", "number-yaml-surprises",
            "date-trailing-newline", "text-tags-and-fillers", "js-split-lines", "html-bdo",
            "render-nested-lists", "render-nested-brackets", "render-unclosed-tags"]


@pytest.mark.parametrize("name", FAMILIES)
def test_the_build_stops_naming_file_and_line(name: str, tmp_path: Path) -> None:
    content = prepare(name, tmp_path / "kb") / "content"
    root = site_root_with(content, tmp_path / "root")
    result = mkdocs_build(root / "mkdocs.yml", root / "site", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output and "RecursionError" not in output
    first = expected(name)["diagnostics"][0]
    assert f"{first['file']}:{first['line']}:{first['column']}" in output, output[-2000:]
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e\ufffe]", output)
    assert not list((root / "site").rglob("cases/*/index.html"))
