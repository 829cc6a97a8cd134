"""Fixtures of the accessibility tests: one headless Chromium per module and the
pages to check, chosen from the real knowledge base."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from casebook.content.model import load
from casebook.site.views import SiteIndex
from sitebuild import chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (module scope: Playwright's sync API
    allows one instance at a time in a process)."""
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page in its own context (no focus or history left by another test)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="session")
def site_index(repo_root: Path) -> SiteIndex:
    """Relations and groupings of the repository's knowledge base."""
    return SiteIndex.build(load(repo_root))

