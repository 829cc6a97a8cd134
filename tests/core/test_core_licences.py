"""Licences: a deprecated SPDX id names its current ids; did-you-mean only when really close."""

from __future__ import annotations

from pathlib import Path

import pytest
from casebook import cli
from casebook.content.licences import problem, replacements, suggest
from core_kb import build_kb

BLOCKS = "content/cases/blocks.nl.md"


def _with_licence(root: Path, licence: str) -> None:
    path = root / BLOCKS
    text = path.read_text(encoding="utf-8")
    assert "license: EUPL-1.2" in text
    path.write_text(text.replace("license: EUPL-1.2", f"license: {licence}"), encoding="utf-8")


@pytest.mark.parametrize(("deprecated", "current"), [
    ("GPL-3.0", "'GPL-3.0-only' or 'GPL-3.0-or-later'"),
    ("AGPL-3.0", "'AGPL-3.0-only' or 'AGPL-3.0-or-later'"),
    ("LGPL-3.0", "'LGPL-3.0-only' or 'LGPL-3.0-or-later'"),
    ("GPL-2.0", "'GPL-2.0-only' or 'GPL-2.0-or-later'"),
])
def test_validate_names_the_current_ids_of_a_deprecated_one(
        deprecated: str, current: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    root = build_kb(tmp_path / "kb")
    line = (root / BLOCKS).read_text(encoding="utf-8").splitlines()[15]
    column = line.index("EUPL-1.2") + 1
    _with_licence(root, deprecated)
    monkeypatch.chdir(root)
    assert cli.main(["validate"]) == 1
    out = capsys.readouterr().out
    # Text output names the field as people count ("building blocks, 1st value, licence").
    assert (f"{BLOCKS}:16:{column}: error[deprecated-licence]: building blocks, 1st value, "
            "licence: "
            f"'{deprecated}' is a deprecated SPDX licence identifier that does not say whether "
            f"later versions are allowed; use {current}, as the source states") in out
    assert "did you mean" not in out  # no misleading TGPPL-1.0, APL-1.0, LPL-1.0, ZPL-2.0


def test_deprecated_id_with_one_current_name() -> None:
    assert replacements("GPL-3.0+") == ["GPL-3.0-or-later"]
    assert problem("GPL-3.0+") == (
        "'GPL-3.0+' is a deprecated SPDX licence identifier; use its current name "
        "'GPL-3.0-or-later'")
    assert replacements("EUPL-1.2") == [] and problem("EUPL-1.2") is None


def test_suggestions_only_when_really_close() -> None:
    assert suggest("EUPL1.2") == "EUPL-1.2"
    assert suggest("apache 2.0") == "Apache-2.0"
    assert suggest("GPLv3") is None
    assert problem("Foo-License") == (
        "'Foo-License' is not an SPDX licence identifier; see https://spdx.org/licenses/ for the "
        "identifiers")
    assert problem("EUPL-1.2+") == (
        "'EUPL-1.2+' means 'EUPL-1.2' or any later version, which no single SPDX licence "
        "identifier expresses; leave the licence out and name it in the text")
