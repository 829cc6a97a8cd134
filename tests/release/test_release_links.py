"""Strict links: a broken link or anchor in Markdown fails ``mkdocs build --strict``, and
every internal link of the real built site (generated HTML included) resolves."""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from casebook.checks.validate import validate
from sitebuild import REPO_ROOT, mkdocs_build, site_root_with

sys.path.insert(0, str(REPO_ROOT / "tests" / "site"))
from sitehtml import is_external

ONELANG = REPO_ROOT / "tests" / "site" / "fixtures" / "onelang" / "content"
#: The case whose body gets the canary link, and the one it links to.
CASE = "cases/fietslab.nl.md"


def _site_with_link(tmp_path: Path, markdown: str) -> tuple[Path, str, int]:
    """The one-language fixture with ``markdown`` added to a case body, built with --strict.

    Returns the site root, MkDocs' output and its exit code, after checking that the
    validator accepts the link (so a failure is MkDocs' link validation, nothing else).
    """
    root = site_root_with(ONELANG, tmp_path / "root")
    path = root / "content" / CASE
    path.write_text(path.read_text(encoding="utf-8") + f"\nZie ook {markdown}.\n",
                    encoding="utf-8")
    diagnostics, _files = validate(root)
    assert [d.format_text() for d in diagnostics if d.severity == "error"] == []
    result = mkdocs_build(root / "mkdocs.yml", tmp_path / "site", check=False)
    return root, result.stdout + result.stderr, result.returncode


@pytest.mark.slow
@pytest.mark.xdist_group("release")
@pytest.mark.parametrize(("markdown", "message"), [
    pytest.param("[de fietsroutes](fietsroutes-2030.md)",
                 "contains a link 'fietsroutes-2030.md', but the target "
                 "'cases/fietsroutes-2030.md' is not found among documentation files",
                 id="missing-page"),
    pytest.param("[de context](open-bouwstenen.md#nergens)",
                 "contains a link 'open-bouwstenen.md#nergens', but the doc "
                 "'cases/open-bouwstenen.nl.md' does not contain an anchor '#nergens'",
                 id="missing-anchor"),
    pytest.param("[de organisatie](../organisations/gemeente-acme.md#nergens)",
                 "contains a link '../organisations/gemeente-acme.md#nergens', but the doc "
                 "'organisations/gemeente-acme.nl.md' does not contain an anchor '#nergens'",
                 id="missing-anchor-other-folder"),
    pytest.param("[de bouwstenen](open-bouwstenen/)",
                 "contains an unrecognized relative link 'open-bouwstenen/'",
                 id="folder-link"),
    pytest.param("[de bouwstenen](/cases/open-bouwstenen.md)",
                 "contains an absolute link '/cases/open-bouwstenen.md'", id="absolute-link"),
])
def test_a_broken_link_fails_the_strict_build(tmp_path: Path, markdown: str,
                                               message: str) -> None:
    _root, output, code = _site_with_link(tmp_path, markdown)
    assert code != 0, output
    assert f"Doc file '{CASE}' {message}" in output
    assert "Aborted with" in output and "warnings in strict mode" in output
    assert "Traceback" not in output


@pytest.mark.slow
@pytest.mark.xdist_group("release")
def test_the_same_site_with_a_working_link_builds(tmp_path: Path) -> None:
    """The control: the canary site builds when the link and its anchor exist."""
    _root, output, code = _site_with_link(
        tmp_path, "[de context](open-bouwstenen.md#context) en "
                  "[de gemeente](../organisations/gemeente-acme.md)")
    assert code == 0, output
    page = (tmp_path / "site" / "cases" / "fietslab" / "index.html").read_text(encoding="utf-8")
    assert 'href="../open-bouwstenen/#context"' in page
    assert 'href="../../organisations/gemeente-acme/"' in page


# --- every internal link of the built site --------------------------------------------


@dataclass
class PageLinks:
    """The URLs a page points to and the ids it has."""

    urls: list[tuple[str, str]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _Collector(HTMLParser):
    ATTRS: ClassVar[dict[str, tuple[str, ...]]] = {
             "a": ("href",), "link": ("href",), "area": ("href",), "script": ("src",),
             "img": ("src", "srcset"), "source": ("src", "srcset"), "iframe": ("src",),
             "video": ("src", "poster"), "audio": ("src",), "track": ("src",),
             "embed": ("src",), "object": ("data",), "form": ("action",)}

    def __init__(self) -> None:
        super().__init__()
        self.found = PageLinks()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        for key in ("id", "name") if tag in ("a", "map") else ("id",):
            if key in values:
                self.found.ids.add(values[key])
        for attr in self.ATTRS.get(tag, ()):
            value = values.get(attr)
            if value is None:
                continue
            if attr == "srcset":
                self.found.urls += [(f"{tag}[srcset]", part.split()[0])
                                    for part in value.split(",") if part.strip()]
            else:
                self.found.urls.append((f"{tag}[{attr}]", value))


def page_links(text: str) -> PageLinks:
    """Links and ids of an HTML page."""
    parser = _Collector()
    parser.feed(text)
    return parser.found


def _target(site: Path, path: str) -> Path | None:
    """The file a site path is served from (``/x/`` is ``/x/index.html``)."""
    candidate = site / unquote(path).lstrip("/")
    if path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def broken_links(site: Path) -> list[str]:
    """Every internal href/src in ``site``'s HTML that names no file, or an id that the
    target page does not have: ``page: tag[attr]=url: problem``."""
    cache: dict[Path, PageLinks] = {}

    def links_of(path: Path) -> PageLinks:
        if path not in cache:
            cache[path] = page_links(path.read_text(encoding="utf-8"))
        return cache[path]

    problems = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        for where, raw in links_of(path).urls:
            value = html.unescape(raw).strip()
            if not value or is_external(value) or re.match(r"(?i)^(mailto|tel):", value):
                continue
            if rel == "404.html":  # served at any depth: only its own links are relative
                continue
            parts = urlsplit(urljoin(f"http://site{url}", value))
            if parts.scheme != "http" or parts.netloc != "site":
                problems.append(f"{rel}: {where}={value}: not a link inside the site")
                continue
            target = _target(site, parts.path)
            if target is None:
                problems.append(f"{rel}: {where}={value}: no file at {parts.path}")
            elif parts.fragment and target.suffix == ".html":
                anchor = unquote(parts.fragment)
                if anchor not in links_of(target).ids:
                    problems.append(f"{rel}: {where}={value}: no id '{anchor}' on "
                                    f"{target.relative_to(site).as_posix()}")
    return problems


@pytest.mark.slow
@pytest.mark.xdist_group("release_links")
def test_every_internal_link_of_the_built_site_resolves(built_site: Path) -> None:
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 40
    assert broken_links(built_site) == []


def test_the_link_check_finds_a_missing_file_and_a_missing_id(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<h2 id="here">x</h2><a href="#here">ok</a><a href="../b/">ok</a>'
        '<a href="../b/#there">ok</a><a href="../b/#gone">id</a><a href="../c/">file</a>'
        '<img src="../img/x.png"><a href="https://example.org/">out</a>', encoding="utf-8")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.html").write_text('<a name="there"></a>', encoding="utf-8")
    assert broken_links(tmp_path) == [
        "a/index.html: a[href]=../b/#gone: no id 'gone' on b/index.html",
        "a/index.html: a[href]=../c/: no file at /c/",
        "a/index.html: img[src]=../img/x.png: no file at /img/x.png",
    ]
