"""Shared test fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitebuild import mkdocs_build, served, shared_folder

REPO_ROOT = Path(__file__).resolve().parent.parent
#: The repository the built pages link to (mkdocs.yml reads REPO_URL): a stand-in for
#: the tests, whatever remote the checkout has; no test follows it to the network.
os.environ["REPO_URL"] = "https://github.com/example/casebook"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules with a ``slow`` test first: ``pytest -n 2`` hands out the tests in this
    order (after the xdist groups), so the minutes-long builds start early instead of
    leaving one worker busy at the end while the other waits."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English whatever the machine's locale (``casebook.i18n`` reads
    LANGUAGE, LC_ALL, LC_MESSAGES and LANG); tests of Dutch ask for it."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository checkout."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's real site, built once per test run with ``--strict`` (both
    xdist workers read the same build: tests only read it)."""
    root = shared_folder(tmp_path_factory, "repository-site",
                         lambda folder: mkdocs_build(REPO_ROOT / "mkdocs.yml", folder / "site"))
    return root / "site"


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:<port>/``) of ``built_site`` served by http.server."""
    with served(built_site) as url:
        yield url
