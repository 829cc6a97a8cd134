"""Helpers for the core tests: the minimal valid knowledge base and its overlays."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE = FIXTURES / "base"
BAD = FIXTURES / "bad"
#: A fixed "today" so that date rules give the same result on every day.
TODAY = dt.date(2025, 1, 1)


def build_kb(target: Path, overlay: str | None = None) -> Path:
    """Copy the minimal valid base to ``target`` and lay a bad fixture over it."""
    shutil.copytree(BASE, target, dirs_exist_ok=True)
    if overlay is not None:
        shutil.copytree(BAD / overlay, target, dirs_exist_ok=True)
    return target
