"""Fixtures for the core tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from core_kb import build_kb


@pytest.fixture
def make_kb(tmp_path: Path) -> Callable[..., Path]:
    """Factory: ``make_kb()`` or ``make_kb("unknown-term")`` → root of a fresh base."""
    counter = iter(range(1000))

    def make(overlay: str | None = None) -> Path:
        return build_kb(tmp_path / f"kb{next(counter)}", overlay)

    return make
