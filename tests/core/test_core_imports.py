"""The core never imports MkDocs: only ``casebook.mkdocs_plugins`` may."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import casebook

PACKAGE = Path(casebook.__file__).resolve().parent
FORBIDDEN = ("mkdocs", "material", "mkdocs_static_i18n")


def _core_modules() -> list[Path]:
    adapters = PACKAGE / "mkdocs_plugins"
    return sorted(p for p in PACKAGE.rglob("*.py") if adapters not in p.parents)


def _is_forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call):  # importlib.import_module("x") / __import__("x")
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and node.args and isinstance(
                node.args[0], ast.Constant
            ) and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


def test_core_modules_do_not_import_mkdocs() -> None:
    modules = _core_modules()
    assert PACKAGE / "checks" / "validate.py" in modules
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line}: {name}"
        for path in modules
        for line, name in _imports(ast.parse(path.read_text(encoding="utf-8")))
        if _is_forbidden(name)
    ]
    assert offenders == []


def test_the_scan_finds_a_forbidden_import() -> None:
    tree = ast.parse("import os\nfrom mkdocs.config import base\n"
                     "importlib.import_module('material.plugins')\n")
    assert [n for _, n in _imports(tree) if _is_forbidden(n)] == ["mkdocs.config",
                                                                  "material.plugins"]


def test_importing_the_core_loads_no_mkdocs() -> None:
    names = sorted(
        "casebook." + str(p.relative_to(PACKAGE).with_suffix("")).replace("/", ".")
        for p in _core_modules() if p.name != "__init__.py" and p.parent == PACKAGE
    )
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "import casebook.cli as c\nc.build_parser()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{FORBIDDEN!r})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
