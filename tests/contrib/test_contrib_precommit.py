"""pre-commit: the hook offered to other repositories and this repository's own hooks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

BIN = Path(sys.executable).parent


def _pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run([str(BIN / "pre-commit"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_manifest_and_config_are_valid(repo_root: Path, tmp_path: Path):
    for cmd, name in (("validate-manifest", ".pre-commit-hooks.yaml"),
                      ("validate-config", ".pre-commit-config.yaml")):
        result = _pre_commit(cmd, str(repo_root / name), cwd=repo_root, home=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr


def test_offered_hook_runs_casebook_validate_on_content(repo_root: Path):
    hooks = yaml.safe_load((repo_root / ".pre-commit-hooks.yaml").read_text("utf-8"))
    hook = next(h for h in hooks if h["id"] == "casebook-validate")
    assert hook["language"] == "python"
    assert hook["entry"] == "casebook validate"
    files = re.compile(hook["files"])
    assert files.search("content/cases/stadslab2050.nl.md")
    assert files.search("content/organisations/duo.en.md")
    assert not files.search("content/contribute.nl.md")
    assert not files.search("plugins/casebook/cli.py")


def test_local_hook_passes_and_then_catches_an_error(repo_root: Path, tmp_path: Path):
    """Runs this repository's own config (local hooks only: no network) in a scratch repo."""
    if shutil.which("git") is None:  # pragma: no cover - git is part of every setup here
        import pytest

        pytest.skip("git is not installed")
    work = tmp_path / "repo"
    shutil.copytree(repo_root / "content", work / "content")
    shutil.copy2(repo_root / "mkdocs.yml", work / "mkdocs.yml")
    shutil.copy2(repo_root / ".pre-commit-config.yaml", work / ".pre-commit-config.yaml")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=work, check=True)
    subprocess.run([*git, "add", "."], cwd=work, check=True)
    ok = _pre_commit("run", "casebook-validate", "--all-files", cwd=work, home=tmp_path / "h")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Passed" in ok.stdout
    case = sorted((work / "content" / "cases").glob("*.nl.md"))[0]
    text = case.read_text(encoding="utf-8")
    case.write_text(re.sub(r"^stage: \w+", "stage: finished", text, count=1, flags=re.M),
                    encoding="utf-8")
    bad = _pre_commit("run", "casebook-validate", "--files", str(case.relative_to(work)),
                      cwd=work, home=tmp_path / "h")
    assert bad.returncode == 1
    assert f"{case.relative_to(work).as_posix()}:" in bad.stdout
    assert "error[unknown-term]: stage:" in bad.stdout
