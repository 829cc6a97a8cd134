"""Fixtures shared by the site tests: Chromium, and the repository's knowledge base."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from casebook.content.model import KnowledgeBase, load
from casebook.site.views import SiteIndex
from sitebuild import chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (module-scoped: Playwright's sync API allows one at a time)."""
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def kb(repo_root: Path) -> KnowledgeBase:
    """The repository's knowledge base."""
    return load(repo_root)


@pytest.fixture(scope="module")
def index(kb: KnowledgeBase) -> SiteIndex:
    """Its relations, as the site shows them."""
    return SiteIndex.build(kb)
