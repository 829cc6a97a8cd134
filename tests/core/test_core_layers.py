"""The package's layers are enforced: lint-imports keeps the contracts in
pyproject.toml, and a forbidden import in a copy of the package breaks them."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import casebook
import pytest

PACKAGE = Path(casebook.__file__).resolve().parent
REPO = PACKAGE.parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(package_parent: Path, workdir: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports with the repository's contracts, the package read from ``package_parent``."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    lines = ["[importlinter]", "root_package = casebook", "include_external_packages = True"]
    for contract in config["tool"]["importlinter"]["contracts"]:
        lines.append(f"[importlinter:contract:{contract['id']}]")
        for key, value in contract.items():
            if key == "id":
                continue
            if isinstance(value, list):
                lines.append(f"{key} =\n" + "\n".join(f"    {v}" for v in value))
            else:
                lines.append(f"{key} = {value}")
    (workdir / ".importlinter").write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", ".importlinter"],
                          cwd=workdir, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("layers")
    shutil.copytree(PACKAGE, root / "casebook",
                    ignore=shutil.ignore_patterns("__pycache__", "locale", "data", "schema"))
    return root


def _with_line(copy: Path, module: str, line: str, tmp_path: Path) -> Path:
    """A fresh copy of the package with ``line`` appended to ``module``."""
    target = tmp_path / "pkg"
    shutil.copytree(copy, target)
    path = target / "casebook" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return target


def test_the_contracts_hold_on_the_package(copy: Path, tmp_path: Path) -> None:
    result = _lint(copy, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "broken"), [
    # the content model reaching up into the site
    ("content/model.py", "from casebook.site import render  # noqa", "Layers"),
    # safety importing the checks that use it
    ("safety/body.py", "from casebook.checks import validate  # noqa", "Layers"),
    # two independent siblings of one layer
    ("opendata/exports.py", "from casebook.intake import guide  # noqa", "Layers"),
    # the engine seam
    ("site/stats.py", "import mkdocs.config  # noqa", "MkDocs"),
    # a cycle inside one subpackage (the model imports the vocabularies)
    ("content/vocab.py", "from casebook.content import model  # noqa", "cycles"),
])
def test_a_forbidden_import_breaks_a_contract(copy: Path, tmp_path: Path, module: str,
                                              line: str, broken: str) -> None:
    changed = _with_line(copy, module, line, tmp_path)
    result = _lint(changed, tmp_path)
    assert result.returncode != 0
    report = result.stdout.split("Broken contracts", 1)[-1]
    assert broken in report, result.stdout
    assert "0 broken" not in result.stdout


def test_every_subpackage_says_what_it_holds_and_may_import() -> None:
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert len(doc.split()) >= 12, init
        if init.parent.name != "mkdocs_plugins":
            assert "import" in doc, f"{init}: say what it may import"


def test_a_long_module_says_why_it_is_one_module() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > 600:
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
            assert "One module" in doc, f"{path} has {lines} lines and no reason in its docstring"


def _bench_imports() -> dict[str, set[str]]:
    bench = REPO / "bench"
    names = {p.stem for p in bench.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in bench.glob("*.py"):
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module in names:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name in names}
        graph[path.stem] = found
    return graph


def test_the_benchmarks_import_each_other_without_a_cycle() -> None:
    graph = _bench_imports()
    assert graph["run"] and graph["search"]

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n}))
                   for n in graph.get(start, ()))

    assert [m for m in graph if reaches(m, m, {m})] == []
