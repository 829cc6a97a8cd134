"""Fixtures of the search, open data and statistics tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from casebook.model import KnowledgeBase, load
from searchkb import write_kb


@pytest.fixture(scope="session")
def small_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the small synthetic knowledge base."""
    return write_kb(tmp_path_factory.mktemp("small-kb"))


@pytest.fixture(scope="session")
def small_kb(small_root: Path) -> KnowledgeBase:
    """The small synthetic knowledge base, loaded."""
    return load(small_root)
