"""``casebook validate`` prints a hostile entry's values escaped, in every format."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from casebook import cli
from hostile_corpus import expected, prepare


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_casebook_validate_prints_escaped_values_of_a_hostile_entry(
        fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = prepare("value-escaped-controls", tmp_path)
    code = cli.main(["validate", "--root", str(root), "--format", fmt])
    out = capsys.readouterr().out
    assert code == 1
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e\ufffe]", out)
    if fmt != "json":
        errors = len(expected("value-escaped-controls")["diagnostics"])
        assert len(out.splitlines()) == errors + 1
        assert out.splitlines()[-1].startswith(f"{errors} errors")
