"""axe-core (WCAG 2.0/2.1 A and AA plus best practices) in headless Chromium on the
built site: no serious or critical violation on the pages readers land on, in
Dutch (``/``) and English (``/en/``), in the light and the dark palette (the
reader's system preference, ``prefers-color-scheme``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from a11ypages import path_for, prefix
from axe_playwright_python.sync_playwright import Axe
from casebook.content.vocab import LANGUAGES, load_vocabularies
from casebook.site.views import SiteIndex
from playwright.sync_api import Page, expect
from sitebuild import onelang_site, served

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("a11y_axe")]

AXE_OPTIONS = {
    "runOnly": {"type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}
BLOCKING = ("serious", "critical")
KINDS = load_vocabularies()["kinds"].terms
#: Page roles checked in each language; the concrete page comes from the content.
ROLES = ("home", *(f"case:{kind}" for kind in KINDS), "organisation", "kind-overview",
         "facet-overview", "facet-index", "organisations", "organisation-kind", "search",
         "stats", "all-cases", "all-cases-sorted", "year-overview", "contribute", "data",
         "not-found")
#: The reader's preference and the Material palette it selects.
SCHEMES = {"light": "default", "dark": "slate"}


def report(violations: list[dict[str, Any]]) -> str:
    """One line per violation: rule, impact, help and the selectors of its elements."""
    lines = []
    for v in violations:
        targets = "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:8])
        more = f" (+{len(v['nodes']) - 8} more)" if len(v["nodes"]) > 8 else ""
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} -> {targets}{more}")
    return "\n".join(lines)


def blocking(page: Page) -> list[dict[str, Any]]:
    """The serious and critical axe violations of the page as it is now."""
    result = Axe().run(page, options=AXE_OPTIONS).response
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")


@pytest.fixture(scope="module")
def dark_page(browser: Any) -> Iterator[Page]:
    """One page whose reader prefers dark colours (reused: axe runs take the time)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  color_scheme="dark")
    try:
        yield context.new_page()
    finally:
        context.close()


#: The page checks fall in four xdist groups, one per language and palette, so both
#: workers run axe at once (each group keeps its browser and its dark page).
@pytest.mark.parametrize("scheme", [pytest.param(s, marks=pytest.mark.xdist_group(f"axe-{s}"))
                                    for s in SCHEMES])
@pytest.mark.parametrize("lang", [pytest.param(lang, marks=pytest.mark.xdist_group(f"axe-{lang}"))
                                  for lang in LANGUAGES])
@pytest.mark.parametrize("role", ROLES)
def test_no_serious_violation(page: Page, dark_page: Page, site_server: str,
                              site_index: SiteIndex, role: str, lang: str,
                              scheme: str) -> None:
    if scheme == "dark":
        page = dark_page
    url = site_server.rstrip("/") + prefix(lang) + path_for(role, site_index)
    open_page(page, url)
    assert page.locator("html").get_attribute("lang") == lang
    # The palette follows the reader's preference.
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
    if role == "search":  # counts and results come once Pagefind's index loads
        expect(page.locator("#casebook-search")).to_have_attribute("data-state", "ready")
    found = blocking(page)
    assert not found, f"axe on {url} ({scheme}):\n{report(found)}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_palette_toggle_switches_and_is_named_in_the_page_language(
        page: Page, site_server: str, lang: str) -> None:
    """The reader can override their preference with the header's toggle; the choice
    holds on the next page, and the toggle is named in the page's language."""
    from casebook.content.uitext import ui_text

    open_page(page, site_server.rstrip("/") + prefix(lang))
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    toggle = page.locator(f'label[title="{ui_text("palette.to_dark", lang)}"]')
    expect(toggle).to_be_visible()
    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    open_page(page, site_server.rstrip("/") + prefix(lang) + "stats/")
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    found = blocking(page)
    assert not found, f"axe after switching to dark:\n{report(found)}"
    page.locator(f'label[title="{ui_text("palette.to_light", lang)}"]').click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")


def _query(index: SiteIndex, lang: str) -> str:
    """A word of a case title in ``lang``: a query that has results."""
    for entry in sorted(index.cases.values(), key=lambda e: e.id):
        words = [w for w in re.findall(r"\w+", entry.title(lang)) if len(w) >= 5]
        if words:
            return words[0].lower()
    raise AssertionError("no case title with a word to search for")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_with_results_and_filters(page: Page, site_server: str, site_index: SiteIndex,
                                         lang: str) -> None:
    url = site_server.rstrip("/") + prefix(lang) + "search/"
    open_page(page, url)
    page.locator("#casebook-search-input").fill(_query(site_index, lang))
    expect(page.locator("#casebook-search")).to_have_attribute("data-state", "ready")
    expect(page.locator("#casebook-search-list a.casebook-result__link").first).to_be_visible()
    # A filter chosen: chips, "clear all", disabled values and the open panel are checked too.
    page.locator(".casebook-facet input[type=checkbox]:enabled").first.check()
    expect(page.locator(".casebook-search__chip").first).to_be_visible()
    expect(page.locator("#casebook-search")).to_have_attribute("data-state", "ready")
    found = blocking(page)
    assert not found, f"axe on {url} with results:\n{report(found)}"


#: Pages of the site tests' small knowledge base (``sitebuild.ONELANG``): entries in one
#: language only (text marked with its own ``lang``), stale and machine-translation
#: notices, building blocks.
ONELANG_PAGES = ("/en/cases/fietslab/", "/cases/battery-challenge/",
                 "/organisations/widget-works/", "/en/cases/open-bouwstenen/",
                 "/cases/open-bouwstenen/")


@pytest.fixture(scope="module")
def onelang_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The one-language fixture built with the repository's configuration (the site
    tests' own build), served."""
    with served(onelang_site(tmp_path_factory)) as url:
        yield url.rstrip("/")


@pytest.mark.parametrize("path", ONELANG_PAGES)
def test_no_serious_violation_on_notices_and_untranslated_text(
    page: Page, onelang_url: str, path: str
) -> None:
    open_page(page, onelang_url + path)
    assert page.locator(".cb-notice, .cb-blocks").count(), "the page shows what it is for"
    found = blocking(page)
    assert not found, f"axe on {path}:\n{report(found)}"


def test_the_check_finds_a_planted_violation(page: Page, site_server: str) -> None:
    """The harness reports what axe finds: an unnamed image link on the real home page."""
    open_page(page, site_server)
    page.evaluate("""() => {
        const a = document.createElement('a');
        a.href = '#x';
        a.innerHTML = '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">';
        document.querySelector('article').append(a);
    }""")
    found = blocking(page)
    assert "link-name" in report(found) or "image-alt" in report(found), report(found)
