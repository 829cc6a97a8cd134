"""Fixtures of the search, open data and statistics tests."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from casebook.content.model import KnowledgeBase, load
from searchkb import write_kb
from sitebuild import chromium, served, shared_folder


@pytest.fixture(scope="session")
def small_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the small synthetic knowledge base."""
    return write_kb(tmp_path_factory.mktemp("small-kb"))


@pytest.fixture(scope="session")
def small_kb(small_root: Path) -> KnowledgeBase:
    """The small synthetic knowledge base, loaded."""
    return load(small_root)


# --- the built site ---------------------------------------------------------------

#: Used while the repository's mkdocs.yml does not enable the Casebook search and
#: data plugins yet: the real content, built with Material + static-i18n + ours.
STANDALONE_CONFIG = """\
site_name: Casebook
docs_dir: {docs}
theme:
  name: material
  language: nl
  font: false
plugins:
  - i18n:
      docs_structure: suffix
      fallback_to_default: true
      languages:
        - {{locale: nl, default: true, name: Nederlands, build: true}}
        - {{locale: en, name: English, build: true}}
  - casebook/search
  - casebook/data
"""


def _build(config: Path, out: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config), "-d", str(out)],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    return out


@pytest.fixture(scope="session")
def search_site(request: pytest.FixtureRequest, repo_root: Path,
                tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real knowledge base built with the search and data plugins (once)."""
    config = repo_root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8") if config.is_file() else ""
    if "casebook/search" in text and "casebook/data" in text:
        try:
            built = request.getfixturevalue("built_site")
        except pytest.FixtureLookupError:
            return _build(config, tmp_path_factory.mktemp("site") / "site")
        return Path(getattr(built, "site_dir", built))
    folder = tmp_path_factory.mktemp("search-site")
    standalone = folder / "mkdocs.yml"
    standalone.write_text(STANDALONE_CONFIG.format(docs=repo_root / "content"), encoding="utf-8")
    return _build(standalone, folder / "site")


def _small_config(root: Path, extra: str = "") -> Path:
    """The small knowledge base written under ``root`` and its standalone mkdocs.yml."""
    write_kb(root)
    config = root / "mkdocs.yml"
    config.write_text(extra + STANDALONE_CONFIG.format(docs=root / "content"), encoding="utf-8")
    return config


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small synthetic knowledge base built with two search results per page, and
    each language's index split in shards of two pages (as a large base's are); one
    build that both xdist workers read."""
    def make(root: Path) -> None:
        config = _small_config(root)
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace(
            "  - casebook/search\n",
            "  - casebook/search:\n      page_size: 2\n      pages_per_shard: 2\n"),
            encoding="utf-8")
        _build(config, root / "site")
    return shared_folder(tmp_path_factory, "small-site", make) / "site"


#: The site URL of ``catalog_site``.
CATALOG_SITE_URL = "https://casebook.example.org/"


@pytest.fixture(scope="session")
def catalog_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small knowledge base built with a site URL, as the Pages workflow builds it
    (only then is there a DCAT catalogue); one build that both xdist workers read."""
    def make(root: Path) -> None:
        _build(_small_config(root, f"site_url: {CATALOG_SITE_URL}\n"), root / "site")
    return shared_folder(tmp_path_factory, "catalog-site", make) / "site"


def _serve(site: Path) -> Iterator[str]:
    with served(site) as url:
        yield url.rstrip("/")


@pytest.fixture(scope="session")
def small_url(small_site: Path) -> Iterator[str]:
    """Base URL of ``small_site`` served on 127.0.0.1."""
    yield from _serve(small_site)


@pytest.fixture(scope="session")
def repo_kb(repo_root: Path) -> KnowledgeBase:
    """The repository's knowledge base."""
    return load(repo_root)


def _shared_server(request: pytest.FixtureRequest, site: Path) -> str | None:
    """The URL of the shared ``site_server`` when it serves this very site."""
    try:
        built = request.getfixturevalue("built_site")
        server = request.getfixturevalue("site_server")
    except pytest.FixtureLookupError:
        return None
    if Path(getattr(built, "site_dir", built)) != site:
        return None
    url = server if isinstance(server, str) else (
        getattr(server, "url", None) or getattr(server, "base_url", None))
    return str(url).rstrip("/") if url else None


@pytest.fixture(scope="session")
def search_url(request: pytest.FixtureRequest, search_site: Path) -> Iterator[str]:
    """Base URL of the built site served by ``python -m http.server`` on 127.0.0.1."""
    shared = _shared_server(request, search_site)
    if shared:
        yield shared
        return
    yield from _serve(search_site)




@pytest.fixture(scope="module")
def search_browser() -> Iterator[Any]:
    """Headless Chromium (Debian's) driven by Playwright.

    Module-scoped, like the site tests' browser: Playwright's sync API allows one
    instance at a time in a process, and both run on the same xdist worker.
    """
    with chromium() as browser:
        yield browser
