"""``parallel_languages``: the other languages built in a second process.

The parallel build must write exactly what the sequential one writes, and a
failure in the second process must fail the build with a clear message.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from sitebuild import REPO_ROOT, mkdocs_build, site_root_with

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("parallel")]


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _sequential(root: Path) -> Path:
    """``root``'s mkdocs.yml with ``parallel_languages: false`` beside it."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    text, n = re.subn(r"(\n  - casebook/pages:\n)", r"\1      parallel_languages: false\n", text)
    assert n == 1, "casebook/pages is not configured as expected in mkdocs.yml"
    config = root / "mkdocs-sequential.yml"
    config.write_text(text, encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The real site built in parallel and one language after the other."""
    root = site_root_with(REPO_ROOT / "content", tmp_path_factory.mktemp("parallel"))
    env = {"SITE_URL": "https://casebook.example/kb/",  # a sitemap with every page
           "SOURCE_DATE_EPOCH": str(int(time.time()))}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        parallel = root / "site-parallel"
        sequential = root / "site-sequential"
        mkdocs_build(root / "mkdocs.yml", parallel)
        mkdocs_build(_sequential(root), sequential)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return parallel, sequential


def test_parallel_build_writes_the_same_site(two_builds: tuple[Path, Path]) -> None:
    parallel, sequential = (_tree(site) for site in two_builds)
    assert sorted(parallel) == sorted(sequential)
    # The English 404 page is the one exception: in a sequential build static-i18n
    # leaves the language switcher of the last Dutch page it rendered in place.
    differ = [name for name in parallel
              if parallel[name] != sequential[name] and name != "en/404.html"]
    assert differ == []
    sitemap = parallel["sitemap.xml"].decode()
    assert "https://casebook.example/kb/cases/scifi/" in sitemap
    assert "https://casebook.example/kb/en/cases/scifi/" in sitemap


def test_each_404_page_switches_to_the_other_language_root(
        two_builds: tuple[Path, Path]) -> None:
    parallel, _ = two_builds
    for page, lang in (("404.html", "nl"), ("en/404.html", "en")):
        text = (parallel / page).read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in text
        assert 'href="/kb/" hreflang="nl"' in text
        assert 'href="/kb/en/" hreflang="en"' in text


def test_a_failure_in_the_second_process_fails_the_build(tmp_path: Path) -> None:
    root = site_root_with(REPO_ROOT / "tests/site/fixtures/onelang/content", tmp_path)
    # Only the English text has a broken link: only the second process sees it.
    english = root / "content/cases/open-bouwstenen.en.md"
    english.write_text(english.read_text(encoding="utf-8")
                       + "\nSee [the missing page](../missing.md).\n", encoding="utf-8")
    started = time.monotonic()
    result = mkdocs_build(root / "mkdocs.yml", tmp_path / "site", check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "cases/open-bouwstenen.en.md' contains a link '../missing.md'" in output
    assert "the build of 'en' (in a second process) failed" in output
    assert output.count("WARNING") == 1, output  # the Dutch build is clean
    assert "Traceback" not in output
    assert time.monotonic() - started < 120
