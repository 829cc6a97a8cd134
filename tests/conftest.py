"""Shared test fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitebuild import mkdocs_build, served

REPO_ROOT = Path(__file__).resolve().parent.parent
#: The repository the built pages link to (mkdocs.yml reads REPO_URL): a stand-in for
#: the tests, whatever remote the checkout has; no test follows it to the network.
os.environ["REPO_URL"] = "https://github.com/example/casebook"


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
    """The repository's real site, built once per session with ``--strict``.

    Returns the site folder; mark tests that use it ``xdist_group("site")``.
    """
    site = tmp_path_factory.mktemp("built-site") / "site"
    mkdocs_build(REPO_ROOT / "mkdocs.yml", site)
    return site


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:<port>/``) of ``built_site`` served by http.server."""
    with served(built_site) as url:
        yield url
