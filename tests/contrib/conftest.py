"""Fixtures for the contributor-path tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


@pytest.fixture
def kb_copy(tmp_path: Path, repo_root: Path) -> Path:
    """A temporary copy of the repository's knowledge base (content/ and mkdocs.yml)."""
    root = tmp_path / "repo"
    shutil.copytree(repo_root / "content", root / "content")
    shutil.copy2(repo_root / "mkdocs.yml", root / "mkdocs.yml")
    return root


@pytest.fixture
def casebook(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the ``casebook`` command of this environment without a terminal."""

    def run(*args: str, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
                    **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "casebook.cli", *args], cwd=cwd or tmp_path,
            stdin=subprocess.DEVNULL, capture_output=True, text=True, env=full_env,
            timeout=120, check=False,
        )

    return run
