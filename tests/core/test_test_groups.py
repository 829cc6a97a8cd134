"""The test suite's own scheduling: ``make test`` runs ``pytest -n 2 --dist loadgroup``
and relies on ``xdist_group`` keeping a module's tests (and its module-scoped browser
or site) on one worker. pytest 9.2 with pytest-xdist 3.8 dropped the groups without a
word (pytest-dev/pytest-xdist#1386): every module's fixtures were then set up on both
workers, again and again."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

MODULE = """\
import os
import pytest

pytestmark = [pytest.mark.xdist_group("{group}")]


@pytest.mark.parametrize("i", range(6))
def test_where(i):
    print("worker", os.environ["PYTEST_XDIST_WORKER"])
"""


def test_loadgroup_keeps_each_group_on_one_worker(tmp_path: Path) -> None:
    for group in ("one", "two"):
        (tmp_path / f"test_{group}.py").write_text(MODULE.format(group=group),
                                                   encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v",
         "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True, text=True, check=False, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    ran = re.findall(r"\[(gw\d)\] \[\s*\d+%\] PASSED test_(\w+)\.py::test_where\[\d\]",
                     result.stdout)
    assert len(ran) == 12, result.stdout
    workers = {group: {w for w, g in ran if g == group} for group in ("one", "two")}
    assert all(len(w) == 1 for w in workers.values()), workers
