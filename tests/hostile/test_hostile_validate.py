"""Every hostile folder through the validator: the core API and ``casebook validate``.

Rejected folders must give exactly the errors in their ``expected.yaml`` (file,
line, column, code, field and message); accepted folders must give no error.
"""

from __future__ import annotations

import functools
import json
import time
import tracemalloc
from pathlib import Path
from typing import Any

import casebook.checks.validate
import pytest
from casebook import cli
from casebook.checks.validate import validate
from hostile_corpus import FOLDERS, HERE, TODAY, expected, prepare

Row = tuple[str, int, int, str, str, str]

TWINS = [name for name in FOLDERS if expected(name).get("twin")]
LIMITED = [name for name in FOLDERS if expected(name).get("limits")]


def _expected_rows(name: str) -> list[Row]:
    rows = expected(name).get("diagnostics") or []
    return sorted((r["file"], r["line"], r["column"], r["code"], r["field"], r["message"])
                  for r in rows)


def _rows(items: list[dict[str, Any]]) -> list[Row]:
    return sorted((d["path"], d["line"], d["column"], d["code"], d["field"], d["message"])
                  for d in items if d["severity"] == "error")


def test_the_corpus_is_large_and_every_folder_is_described() -> None:
    assert len(FOLDERS) >= 30
    for name in FOLDERS:
        spec = expected(name)
        assert spec["about"].strip(), name
        if spec["outcome"] == "rejected":
            assert spec.get("diagnostics"), f"{name}: a rejected folder lists its errors"
        else:
            assert "diagnostics" not in spec, name
            assert isinstance(spec.get("escaped", []), list), name
    assert len(TWINS) >= 3 and LIMITED


@pytest.mark.parametrize("name", FOLDERS)
def test_core_api_gives_exactly_the_expected_errors(name: str, tmp_path: Path) -> None:
    root = prepare(name, tmp_path)
    diagnostics, _ = validate(root, today=TODAY)
    found = _rows([{"path": d.path, "line": d.line, "column": d.column, "code": d.code,
                    "field": d.field, "message": d.message, "severity": d.severity}
                   for d in diagnostics])
    assert found == _expected_rows(name)
    for d in diagnostics:  # every finding can be located and read
        assert d.line >= 1 and d.column >= 1 and d.message, d
        assert "Traceback" not in d.message


@pytest.mark.parametrize("name", FOLDERS)
def test_cli_json_gives_the_same_errors_and_exit_status(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = prepare(name, tmp_path)
    monkeypatch.setattr(casebook.checks.validate, "validate",
                        functools.partial(casebook.checks.validate.validate, today=TODAY))
    code = cli.main(["validate", "--root", str(root), "--format", "json"])
    out = capsys.readouterr()
    assert out.err == ""  # no traceback, no stray output
    report = json.loads(out.out)
    rejected = expected(name)["outcome"] == "rejected"
    assert code == (1 if rejected else 0)
    assert report["errors"] == len(_expected_rows(name))
    assert _rows(report["diagnostics"]) == _expected_rows(name)


@pytest.mark.parametrize("name", TWINS)
def test_crlf_and_bom_give_the_same_findings_as_the_lf_twin(name: str, tmp_path: Path) -> None:
    files = list((HERE / name / "content").rglob("*.md"))
    raw = b"".join(p.read_bytes() for p in files)
    assert b"\r\n" in raw or raw.startswith(b"\xef\xbb\xbf"), "the checkout kept CRLF/BOM"
    hostile, _ = validate(prepare(name, tmp_path / "hostile"), today=TODAY)
    twin, _ = validate(prepare(name, tmp_path / "twin", lf_twin=True), today=TODAY)
    assert hostile == twin  # every finding, warnings included, at the same place


@pytest.mark.parametrize("name", LIMITED)
def test_rejected_in_bounded_time_and_memory(name: str, tmp_path: Path) -> None:
    limits = expected(name)["limits"]
    root = prepare(name, tmp_path)
    validate(root, today=TODAY)  # warm the schema and vocabulary caches
    started = time.perf_counter()
    diagnostics, _ = validate(root, today=TODAY)
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    try:
        validate(root, today=TODAY)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert any(d.severity == "error" for d in diagnostics)
    assert elapsed < limits["seconds"], f"took {elapsed:.2f} s"
    assert peak < limits["megabytes"] * 1024 * 1024, f"peak {peak / 2**20:.1f} MB"


#: Bodies that make a backtracking regular expression take quadratic (or worse) time:
#: many openings that never close. Each is repeated to about 256 KB.
ADVERSARIAL = {
    "unclosed-tags": "<a ", "unclosed-attributes": "<a href", "unclosed-quotes": '<a "',
    "unclosed-style": "<a style", "unclosed-attr-lists": "{a=", "attr-list-equals": "=",
    "unclosed-links": "![", "unclosed-link-targets": "![a](", "unclosed-fences": "```x\n~~~\n",
    "backtick-runs": "`", "split-runs": "``a`", "unclosed-comments": "<!--",
    "unclosed-autolinks": "<a:", "snippet-blocks": "--8<--\n", "entities": "&#",
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_bodies_validate_in_linear_time(name: str, tmp_path: Path) -> None:
    root = prepare("ok-jinja-text", tmp_path)
    path = root / "content" / "cases" / "ok-jinja-text.nl.md"
    text = path.read_text(encoding="utf-8")
    unit = ADVERSARIAL[name]
    prefix = "{" if name == "attr-list-equals" else ""
    path.write_text(text[: text.index("\n---\n") + 5] + prefix + unit * (256_000 // len(unit)),
                    encoding="utf-8")
    # CPU time, as the watchdog counts it: a loaded machine does not fail the test.
    started = time.process_time()
    validate(root, today=TODAY)
    elapsed = time.process_time() - started
    assert elapsed < 2, f"{name}: {elapsed:.1f} CPU s for 256 KB"
