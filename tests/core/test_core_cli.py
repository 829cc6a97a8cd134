"""The ``casebook validate`` command: output formats, exit codes, paths and root."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from casebook import cli
from casebook.content.diagnostics import Diagnostic, format_text, summary_line

_SCRIPT = Path(sys.executable).with_name("casebook")
COMMAND = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "casebook.cli"]
THEME = ("content/cases/unknown-term.nl.md:8:16: error[unknown-term]: themes, 2nd value: "
         "'mobilty' is not a theme; did you mean 'mobility'?")


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*COMMAND, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=env)


def test_valid_base_exits_0(make_kb) -> None:
    root = make_kb()
    result = run("validate", cwd=root)
    assert (result.returncode, result.stdout, result.stderr) == (
        0, "0 errors, 0 warnings in 5 files\n", "")


def test_error_exits_1_with_the_line_and_field(make_kb) -> None:
    root = make_kb("unknown-term")
    result = run("validate", cwd=root)
    assert result.returncode == 1
    assert result.stdout == f"{THEME}\n1 error, 0 warnings in 6 files\n"


def test_warnings_pass_unless_strict(make_kb) -> None:
    root = make_kb("missing-section")
    plain = run("validate", cwd=root)
    strict = run("validate", "--strict", cwd=root)
    assert plain.returncode == 0
    assert strict.returncode == 1
    assert plain.stdout == strict.stdout
    assert plain.stdout.endswith("0 errors, 1 warning in 6 files\n")
    assert "warning[missing-section]" in plain.stdout


def test_summary_line_counts_and_plurals() -> None:
    def diag(severity: str) -> Diagnostic:
        return Diagnostic("a.md", 1, 1, severity, "x", "", "m")  # type: ignore[arg-type]

    assert summary_line([diag("error"), diag("error"), diag("warning")], 37) == (
        "2 errors, 1 warning in 37 files")
    assert summary_line([diag("error")], 1) == "1 error, 0 warnings in 1 file"
    assert format_text([diag("warning")], 2).splitlines() == [
        "a.md:1:1: warning[x]: m", "0 errors, 1 warning in 2 files"]


def test_json_shape(make_kb) -> None:
    root = make_kb("url-scheme")
    result = run("validate", "--format", "json", cwd=root)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert {"errors", "warnings", "diagnostics"} <= set(report)
    assert (report["errors"], report["warnings"]) == (3, 1)
    keys = {"path", "line", "column", "severity", "code", "field", "message",
            "message_localized", "field_label"}
    assert all(set(d) == keys for d in report["diagnostics"])
    first = report["diagnostics"][0]
    english = "'http://example.org' uses plain http; use https:// if the site supports it"
    assert first == {
        "path": "content/cases/url-scheme.nl.md", "line": 13, "column": 11,
        "severity": "warning", "code": "insecure-url", "field": "links[0].url",
        "message": english, "message_localized": english,
        "field_label": "links, 1st value, URL",
    }
    assert report["lang"] == "en"
    assert all(isinstance(d["line"], int) and isinstance(d["column"], int)
               for d in report["diagnostics"])


def test_json_for_a_valid_base(make_kb) -> None:
    report = json.loads(run("validate", "--format", "json", cwd=make_kb()).stdout)
    assert (report["errors"], report["warnings"], report["diagnostics"]) == (0, 0, [])


def test_github_annotations_and_step_summary(make_kb, tmp_path: Path) -> None:
    root = make_kb("url-scheme")
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n", encoding="utf-8")
    env = {**_env(), "GITHUB_STEP_SUMMARY": str(summary)}
    result = run("validate", "--format", "github", cwd=root, env=env)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "::warning file=content/cases/url-scheme.nl.md,line=13,col=11,"
        "title=insecure-url%3A links%2C 1st value%2C URL::'http://example.org' uses plain http; "
        "use https:// if the site supports it")
    assert lines[1].startswith(
        "::error file=content/cases/url-scheme.nl.md,line=14,col=11,title=url-scheme%3A ")
    assert lines[-1] == "3 errors, 1 warning in 6 files"
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# Earlier step\n")  # appended, not overwritten
    assert "| File | Line | Column | Severity | Code | Field | Message |" in text
    assert ("| `content/cases/url-scheme.nl.md` | 14 | 11 | error | url-scheme | "
            "links, 2nd value, URL |") in text
    assert "3 errors, 1 warning in 6 files" in text


def test_github_without_step_summary(make_kb) -> None:
    env = {k: v for k, v in _env().items() if k != "GITHUB_STEP_SUMMARY"}
    result = run("validate", "--format", "github", cwd=make_kb(), env=env)
    assert (result.returncode, result.stdout) == (0, "0 errors, 0 warnings in 5 files\n")


def _env() -> dict[str, str]:
    return dict(os.environ)


def test_paths_report_only_on_those_files(make_kb) -> None:
    root = make_kb("reference-related")
    # The broken file is not reported when another file is named ...
    result = run("validate", "content/cases/lab-one.nl.md", cwd=root)
    assert (result.returncode, result.stdout) == (0, "0 errors, 0 warnings in 1 file\n")
    # ... but its references still resolve against the whole base.
    result = run("validate", "content/cases/reference-related.nl.md", cwd=root)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == "2 errors, 0 warnings in 1 file"
    assert "did you mean 'lab-one'?" in result.stdout


def test_root_defaults_to_the_folder_holding_mkdocs_yml(make_kb) -> None:
    root = make_kb("unknown-term")
    result = run("validate", "--format", "json", cwd=root / "content" / "cases")
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert [d["path"] for d in report["diagnostics"]] == ["content/cases/unknown-term.nl.md"]
    # Text output shows paths relative to where the command runs.
    text = run("validate", cwd=root / "content" / "cases").stdout
    assert text.startswith("unknown-term.nl.md:8:16: error[unknown-term]: themes, 2nd value:")


def test_explicit_root(make_kb, tmp_path: Path) -> None:
    root = make_kb("unknown-term")
    result = run("validate", "--root", str(root), "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout)["errors"] == 1


@pytest.mark.parametrize("args", [
    ["validate", "--format", "xml"],
    ["validate", "--no-such-option"],
    ["no-such-command"],
    [],
    ["validate", "content/cases/missing.nl.md"],
])
def test_usage_errors_exit_2(make_kb, args: list[str]) -> None:
    result = run(*args, cwd=make_kb())
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_root_without_content_is_a_usage_error(tmp_path: Path) -> None:
    result = run("validate", "--root", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"casebook: error: no content/ folder in {tmp_path}; pass --root\n"


def test_internal_error_is_one_line_and_exit_2(make_kb, monkeypatch, capsys) -> None:
    import casebook.checks.validate

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated failure\nwith a second line")

    monkeypatch.setattr(casebook.checks.validate, "validate", broken)
    monkeypatch.chdir(make_kb())
    assert cli.main(["validate"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "casebook: internal error: RuntimeError: simulated failure with a second line\n"


def test_internal_error_while_building_the_parser(monkeypatch, capsys) -> None:
    def broken(name: str) -> object:
        raise ImportError("a subcommand module is broken")

    monkeypatch.setattr(cli.importlib, "import_module", broken)
    assert cli.main(["new", "case"]) == 2
    assert capsys.readouterr().err == (
        "casebook: internal error: ImportError: a subcommand module is broken\n")


def test_only_the_named_subcommand_is_set_up(monkeypatch) -> None:
    """Each subcommand is registered by name; running one imports no other's module
    (``casebook validate FILE`` is what a contributor waits for), help shows them all."""
    imported: list[str] = []
    real = cli.importlib.import_module

    def recording(name: str) -> object:
        imported.append(name)
        return real(name)

    monkeypatch.setattr(cli.importlib, "import_module", recording)
    cli.build_parser(["--lang", "nl", "validate", "content"])
    assert imported == []
    cli.build_parser(["export", "--help"])
    assert imported == ["casebook.opendata.exports"]
    imported.clear()
    parser = cli.build_parser(["--help"])
    assert imported == list(cli.SUBCOMMANDS.values())
    assert set(cli.SUBCOMMANDS) <= set(parser.format_help().split())


def test_bad_input_never_gives_a_traceback(make_kb) -> None:
    root = make_kb()
    (root / "content/cases/binary.nl.md").write_bytes(bytes(range(256)) * 10)
    (root / "content/cases/deep.nl.md").write_text("---\na: " + "[" * 5000 + "\n---\n")
    result = run("validate", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr == ""


def test_repository_content_is_valid() -> None:
    """The real knowledge base passes (warnings allowed)."""
    repo_root = Path(__file__).resolve().parents[2]
    assert (repo_root / "mkdocs.yml").is_file()
    result = run("validate", "--root", str(repo_root), cwd=repo_root)
    assert result.returncode == 0, result.stdout
