"""The accepted hostile entries, built together into one site: shown as text, never run.

Every ``escaped`` string of an accepted folder must not appear raw in any HTML page
(``<title>``, meta tags, JSON-LD, the body, overviews) nor in the Atom feeds. The
open data (JSON, CSV) and the Pagefind index are *data*, not markup: there the text
must come back exactly as written (nothing silently changed). Then headless
Chromium opens every entry page in both languages, and searches for the entries,
and checks that no dialog opened, no script of the content ran and the console
shows no error.
"""

from __future__ import annotations

import csv
import gzip
import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from casebook.content.model import KnowledgeBase, load
from casebook.opendata.exports import FORMULA_START, neutralise
from hostile_corpus import ACCEPTED, accepted_content, accepted_pages, expected
from sitebuild import chromium as launch_chromium
from sitebuild import mkdocs_build, served, shared_folder, site_root_with

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hostile")]

_JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


@pytest.fixture(scope="session")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site root holding every accepted entry (and the harmless base), built once."""
    def make(work: Path) -> None:
        root = site_root_with(accepted_content(work / "kb"), work / "root")
        mkdocs_build(root / "mkdocs.yml", root / "site")
    return shared_folder(tmp_path_factory, "hostile-site", make) / "root"


@pytest.fixture(scope="session")
def hostile_site(hostile_root: Path) -> Path:
    return hostile_root / "site"


@pytest.fixture(scope="session")
def hostile_kb(hostile_root: Path) -> KnowledgeBase:
    """The same knowledge base as read by the core: the exact source text."""
    return load(hostile_root)


def _payloads() -> list[str]:
    return sorted({s for name in ACCEPTED for s in expected(name).get("escaped", [])})


def _page(site: Path, url: str) -> str:
    path = site / url / "index.html"
    assert path.is_file(), f"{url} was not built"
    return path.read_text(encoding="utf-8")


def _entries(kb: KnowledgeBase, name: str) -> list[Any]:
    found = []
    for url in accepted_pages(name):
        if url.startswith("en/"):
            continue
        collection, entry_id = url.strip("/").split("/")
        found.append(kb.collection(collection)[entry_id])
    return found


def test_every_accepted_entry_is_valid_and_built(hostile_kb: KnowledgeBase,
                                                 hostile_site: Path) -> None:
    assert len(ACCEPTED) >= 8
    for name in ACCEPTED:
        for url in accepted_pages(name):
            _page(hostile_site, url)
        for entry in _entries(hostile_kb, name):
            assert entry.original is not None and entry.facts, entry.id


@pytest.mark.parametrize("name", ACCEPTED)
def test_titles_meta_and_jsonld_carry_the_exact_text_escaped(
        name: str, hostile_kb: KnowledgeBase, hostile_site: Path) -> None:
    spec = expected(name)
    for entry in _entries(hostile_kb, name):
        for lang in ("nl", "en"):
            url = f"{'en/' if lang == 'en' else ''}{entry.collection}/{entry.id}/"
            text = _page(hostile_site, url)
            for payload in spec.get("escaped", []):
                assert payload not in text, f"{url}: raw {payload!r}"
            title = entry.title(lang)
            # <title>: the exact title, escaped once (no tag survives, nothing decoded twice).
            shown = _TITLE.search(text)
            assert shown and "<" not in shown.group(1)
            assert html.unescape(shown.group(1)).startswith(title), shown.group(1)
            # JSON-LD parses and names the entry with its exact title.
            scripts = _JSONLD.findall(text)
            if entry.collection == "cases":
                assert scripts, f"{url}: no JSON-LD"
            for script in scripts:
                assert "</" not in script
                data = json.loads(script)
                if entry.collection == "cases":
                    assert data.get("name") == title
            # Meta tags: attribute values stay inside their quotes.
            for tag in re.findall(r"<meta\b[^>]*>", text):
                assert tag.count('"') % 2 == 0 and "<" not in tag[1:], tag
            plain = html.unescape(re.sub(r"<[^>]+>", "", text))
            for kept in spec.get("present", []) if lang == "nl" else ():
                assert kept in plain, f"{url}: {kept!r} is not shown as written"
            for gone in spec.get("absent", []):
                assert gone not in plain, f"{url}: {gone!r} (an evaluated template)"


def test_no_html_page_or_feed_anywhere_holds_a_raw_payload(hostile_site: Path) -> None:
    payloads = _payloads()
    assert payloads
    checked = 0
    for path in sorted(hostile_site.rglob("*")):
        if path.suffix not in (".html", ".xml") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        checked += 1
        for payload in payloads:
            assert payload not in text, f"{path.relative_to(hostile_site)}: raw {payload!r}"
    assert checked > 20
    for feed in (hostile_site / "feed.xml", hostile_site / "en" / "feed.xml"):
        ET.fromstring(feed.read_bytes())  # still well-formed XML


def test_open_data_returns_the_exact_text(hostile_kb: KnowledgeBase, hostile_site: Path) -> None:
    cases = {c["id"]: c for c in json.loads(
        (hostile_site / "data" / "cases.json").read_text(encoding="utf-8"))["cases"]}
    orgs = {o["id"]: o for o in json.loads(
        (hostile_site / "data" / "organisations.json").read_text(encoding="utf-8"))[
        "organisations"]}
    with (hostile_site / "data" / "cases.csv").open(encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))
    header = table[0]
    assert {len(row) for row in table} == {len(header)}  # no text splits or shifts a row
    # No cell a spreadsheet would run as a formula (OWASP): such text gets a leading '.
    assert not [cell for row in table for cell in row if cell.startswith(FORMULA_START)]
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in table[1:]}
    for name in ACCEPTED:
        for entry in _entries(hostile_kb, name):
            for lang in ("nl", "en"):
                # Text in that language or nothing (null, an empty cell), never another's.
                own = entry.files[lang].data if lang in entry.files else {}
                if entry.collection == "cases":
                    assert cases[entry.id]["title"][lang] == own.get("title")
                    assert rows[entry.id][f"title.{lang}"] == neutralise(own.get("title", ""))
                    assert cases[entry.id]["summary"][lang] == own.get("summary")
                else:
                    assert orgs[entry.id]["name"][lang] == own.get("name")


def _fragments(site: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(language, fragment) of every page in the Pagefind bundles (/pagefind/, /en/pagefind/)."""
    for path in sorted(site.rglob("pagefind/fragment/*.pf_fragment")):
        lang = "en" if path.relative_to(site).parts[0] == "en" else "nl"
        raw = gzip.decompress(path.read_bytes())
        yield lang, json.loads(raw[raw.index(b"{"):])


def test_search_index_holds_the_exact_titles(hostile_kb: KnowledgeBase,
                                             hostile_site: Path) -> None:
    fragments = {(lang, f["url"]): f for lang, f in _fragments(hostile_site)}
    for name in ACCEPTED:
        for entry in _entries(hostile_kb, name):
            for lang in ("nl", "en"):
                url = f"/{entry.collection}/{entry.id}/"  # relative to the language's bundle
                assert (lang, url) in fragments, f"{lang} {url} is not indexed"
                fragment = fragments[(lang, url)]
                # Text, exactly as written: not decoded twice, no markup added.
                assert fragment["meta"]["title"] == entry.title(lang)
                assert entry.title(lang) in fragment["content"]


# --- in the browser ---------------------------------------------------------------


@pytest.fixture(scope="session")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    with served(hostile_site) as url:
        yield url


@pytest.fixture(scope="module")  # one sync Playwright per process at a time: end it here
def chromium() -> Iterator[Any]:
    with launch_chromium() as browser:
        yield browser


class _Watch:
    """Everything a page does that the content must never cause."""

    def __init__(self, page: Any) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def check(self, page: Any, where: str) -> None:
        assert self.dialogs == [], f"{where}: a dialog opened: {self.dialogs}"
        assert self.errors == [], f"{where}: console errors: {self.errors}"
        assert page.evaluate("typeof window.__pwned") == "undefined", f"{where}: script ran"


@pytest.mark.browser
@pytest.mark.parametrize("name", ACCEPTED)
def test_pages_run_no_script_of_the_content(name: str, chromium: Any, hostile_url: str) -> None:
    context = chromium.new_context()
    try:
        page = context.new_page()
        watch = _Watch(page)
        for url in accepted_pages(name):
            page.goto(hostile_url + url, wait_until="load")
            page.wait_for_timeout(100)  # let deferred handlers (onerror, onload) fire
            watch.check(page, url)
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_search_results_show_hostile_titles_as_text(lang: str, chromium: Any,
                                                    hostile_url: str,
                                                    hostile_kb: KnowledgeBase) -> None:
    expect = pytest.importorskip("playwright.sync_api").expect
    context = chromium.new_context()
    try:
        page = context.new_page()
        watch = _Watch(page)
        prefix = "en/" if lang == "en" else ""
        url = f"{hostile_url}{prefix}search/?q=lab"
        page.goto(url, wait_until="load")
        link = page.locator(
            f'#casebook-search-list a.casebook-result__link'
            f'[href="/{prefix}cases/ok-title-script/"]')
        expect(link).to_have_count(1, timeout=15_000)
        # The title is shown as text: every character of it, no element made of it.
        expect(link).to_have_text(hostile_kb.cases["ok-title-script"].title(lang))
        assert link.locator("script, img").count() == 0
        page.wait_for_timeout(300)
        watch.check(page, url)
    finally:
        context.close()
