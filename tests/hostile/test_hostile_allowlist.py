"""The allowlist of content/ in real builds: refused files stop the build and never
reach site/, even when the validator is bypassed; accepted ids and images build.

The folders ``allow-*``, ``fm-*`` (front-matter grammar) and ``ids-theme-ids`` are
rejected by the validator (``test_hostile_validate.py`` checks their exact errors
through the core API and the CLI); here each is built with ``mkdocs build --strict``.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from casebook.safety.ids import CONTENT_END, CONTENT_START, is_reserved_id
from hostile_corpus import FOLDERS, HERE, expected, prepare
from sitebuild import mkdocs_build, site_root_with

pytestmark = [pytest.mark.slow]

MINE = [name for name in FOLDERS
        if name.startswith(("allow-", "fm-end", "fm-closing", "fm-lone", "fm-mkdocs"))
        or name == "ids-theme-ids"]
_ID = re.compile(r'\sid="([^"]*)"')
_HREF_FRAGMENT = re.compile(r'\shref="#([^"]+)"')


def _site_root(name: str, tmp: Path) -> Path:
    kb = prepare(name, tmp / "kb")
    return site_root_with(kb / "content", tmp / "root")


def test_the_families_are_all_here() -> None:
    assert len(MINE) == 10, MINE
    assert all(expected(name)["outcome"] == "rejected" for name in MINE)


@pytest.mark.parametrize("name", MINE)
def test_the_build_refuses_and_publishes_nothing(name: str, tmp_path: Path) -> None:
    root = _site_root(name, tmp_path)
    site = tmp_path / "site"
    result = mkdocs_build(root / "mkdocs.yml", site, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output
    for row in expected(name)["diagnostics"]:
        assert f"{row['file']}:{row['line']}:{row['column']}:" in output, row
    published = [p for p in site.rglob("*") if p.is_file()] if site.exists() else []
    assert published == [], published[:5]


# --- the build's own guard, with the validator bypassed ------------------------------


def _build_without_validation(root: Path, site: Path, monkeypatch: pytest.MonkeyPatch,
                              caplog: pytest.LogCaptureFixture) -> str:
    """Build in this process with ``validate`` reporting nothing; the error text."""
    from casebook.mkdocs_plugins import common
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    monkeypatch.setattr(common, "validate", lambda *a, **k: ([], 0))
    monkeypatch.setattr(common, "_STATES", {})
    monkeypatch.setattr(common, "_KB_CACHE", {})
    monkeypatch.chdir(root)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    with pytest.raises(MkDocsException) as caught:
        build(config)
    return f"{caught.value}\n{caplog.text}"


@pytest.mark.parametrize("name, files", [
    ("allow-theme-files", ["assets/javascripts/casebook.js", "assets/stylesheets/casebook.css"]),
    ("allow-name-variants", ["index.nl.md", "search.en.md", "cases/upper.nl.MD",
                             "cases/sub/nested.nl.md"]),
    ("allow-documents", ["login.html", "robots.txt", "images/logo.svg"]),
    ("allow-image-content", ["images/script.png", "images/photo.png"]),
])
def test_the_build_guard_refuses_what_validation_let_through(
        name: str, files: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    root = _site_root(name, tmp_path)
    site = tmp_path / "site"
    message = _build_without_validation(root, site, monkeypatch, caplog)
    assert "allowlist of content/" in message
    for rel in files:
        assert f"content/{rel}:" in message, (rel, message)
    hostile = {(root / "content" / rel).read_bytes() for rel in files}
    for path in site.rglob("*") if site.exists() else ():
        if path.is_file():
            assert path.read_bytes() not in hostile, path


@pytest.mark.parametrize("page", ["index", "search", "stats"])
def test_a_wider_allowlist_still_cannot_replace_a_generated_page(
        page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """Even were the allowlist to name a page that a plugin generates, the build stops
    instead of letting the file of content/ replace it."""
    import dataclasses

    from casebook.content import allowlist as contentpolicy

    wider = dataclasses.replace(contentpolicy.policy(), pages=("contribute", page))
    monkeypatch.setattr(contentpolicy, "policy", lambda: wider)
    root = _site_root("allow-reserved-ids", tmp_path)
    shutil.rmtree(root / "content" / "cases")
    (root / "content" / "organisations" / "index.nl.md").unlink()
    (root / "content" / f"{page}.nl.md").write_text("# Gekaapt\n", encoding="utf-8")
    message = _build_without_validation(root, tmp_path / "site", monkeypatch, caplog)
    assert f"content/{page}.nl.md would " in message, message
    assert "replace the generated page" in message or "belongs to a page" in message


# --- what is accepted builds, with the theme's ids left alone -----------------------


@pytest.fixture(scope="module")
def accepted_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("allow-accepted")
    kb = work / "kb"
    for name in ("ok-ids-headings", "ok-image-types"):
        prepare(name, kb)
    root = site_root_with(kb / "content", work / "root")
    mkdocs_build(root / "mkdocs.yml", root / "site")
    return root / "site"


def _body(page: str) -> str:
    start, end = page.index(CONTENT_START), page.index(CONTENT_END)
    return page[start:end]


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_heading_ids_stay_out_of_the_theme_and_links_work(accepted_site: Path,
                                                          prefix: str) -> None:
    page = (accepted_site / prefix / "cases" / "ok-ids-headings" / "index.html").read_text(
        encoding="utf-8")
    body = _body(page)
    ids = _ID.findall(body)
    for wanted in ("config", "section-open-data", "eigen-kop", "fn:1", "fnref:1"):
        assert wanted in ids, (wanted, ids)
    assert not [i for i in ids if is_reserved_id(i)], ids
    all_ids = _ID.findall(page)
    assert len(all_ids) == len(set(all_ids))  # no id twice on the page
    assert page.count('id="__config"') == 1  # Material's own, outside the body
    for target in _HREF_FRAGMENT.findall(body):
        assert html.unescape(target) in all_ids, target  # every in-page link has a target
    # The table of contents links to the same anchors.
    assert 'href="#config"' in page and 'href="#section-open-data"' in page
    for construct in ("<table>", "<dl>", 'class="admonition note"', 'class="footnote"', "🎉"):
        assert construct in body, construct


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_images_in_the_assets_folder_are_published_as_they_are(accepted_site: Path,
                                                               prefix: str) -> None:
    source = HERE / "ok-image-types" / "content" / "images"
    for image in sorted(p for p in source.rglob("*") if p.is_file()):
        rel = image.relative_to(source.parent).as_posix()
        assert (accepted_site / rel).read_bytes() == image.read_bytes(), rel
    folder = accepted_site / prefix / "cases" / "ok-image-types"
    page = (folder / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r'<img [^>]*src="([^"]+)"', _body(page))
    assert len(sources) == 5
    for src in sources:  # every image of the page is there, in both languages
        assert (folder / src).resolve().is_file(), src
    assert 'alt="Straat in Gent 🚲"' in page
