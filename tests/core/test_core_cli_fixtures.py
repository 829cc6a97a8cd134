"""Every bad fixture, run through ``casebook validate``: exit 1 with its line and field.

The expected diagnostics are those of ``test_core_rules.EXPECTED``; "today" is
pinned to the fixtures' date so that the date rules give the same answer on
every day the suite runs.
"""

from __future__ import annotations

import functools
from pathlib import Path

import casebook.checks.validate
import pytest
from casebook import cli
from casebook.content.fieldlabels import human_field
from core_kb import TODAY, build_kb
from test_core_rules import EXPECTED

WITH_ERRORS = sorted(name for name, rows in EXPECTED.items()
                     if any(row[3] == "error" for row in rows))


@pytest.mark.parametrize("fixture", WITH_ERRORS)
def test_bad_fixture_exits_1_naming_line_and_field(
    fixture: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = build_kb(tmp_path / "kb", fixture)
    monkeypatch.setattr(casebook.checks.validate, "validate",
                        functools.partial(casebook.checks.validate.validate, today=TODAY))
    monkeypatch.chdir(root)
    code = cli.main(["validate", "--lang", "en"])
    out = capsys.readouterr()
    assert code == 1, out.out
    assert out.err == ""
    for path, line, column, severity, rule, field, _ in EXPECTED[fixture]:
        prefix = f"{path}:{line}:{column}: {severity}[{rule}]: "
        # Text output names the field the way people count ("themes, 2nd value").
        label = human_field(field, "en")
        assert prefix + (f"{label}: " if label else "") in out.out, out.out
