"""Search in headless Chromium against the built site served on localhost."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from casebook.model import KnowledgeBase
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("site")]


@pytest.fixture
def page(search_browser: Any, search_url: str) -> Iterator[Page]:
    """A fresh page; fails the test on a script error or a request to another host."""
    context = search_browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda r: foreign.append(r.url)
            if not r.url.startswith((search_url, "data:", "blob:")) else None)
    yield page
    context.close()
    assert not errors, errors
    assert not foreign, foreign


def _results(page: Page) -> list[str]:
    return [urlsplit(a.get_attribute("href") or "").path
            for a in page.locator("pagefind-results a.pf-result-link").all()]


def _total(page: Page) -> int:
    summary = page.locator("pagefind-summary")
    expect(summary).to_contain_text(re.compile(r"\d"))
    return int(re.search(r"\d+", summary.inner_text()).group(0))


def _facet(page: Page, name: str, value: str) -> Any:
    group = page.locator("pagefind-filter-pane fieldset.pf-filter-group").filter(
        has=page.locator("legend", has_text=re.compile(rf"^{re.escape(name)}$", re.I)))
    return group.get_by_label(re.compile(rf"^{re.escape(value)}"))


def test_dutch_word_on_the_dutch_site_via_the_header_box(page: Page, search_url: str) -> None:
    page.goto(f"{search_url}/cases/stadslab2050/")
    box = page.locator("form.casebook-header-search input[name=q]")
    box.fill("slager")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=slager$"))
    expect(page.locator("pagefind-results a.pf-result-link").first).to_have_attribute(
        "href", re.compile(r"^/cases/sbir/$"))
    assert all(not url.startswith("/en/") for url in _results(page))


def test_dutch_stemming_finds_inflected_forms(page: Page, search_url: str) -> None:
    page.goto(f"{search_url}/search/?q=slagers")
    expect(page.locator("pagefind-results a.pf-result-link").first).to_have_attribute(
        "href", "/cases/sbir/")


def test_english_word_on_the_english_site(page: Page, search_url: str) -> None:
    page.goto(f"{search_url}/en/search/")
    page.locator("pagefind-input input").fill("butcher")
    expect(page.locator("pagefind-results a.pf-result-link").first).to_have_attribute(
        "href", "/en/cases/sbir/")
    expect(page).to_have_url(re.compile(r"/en/search/\?q=butcher$"))
    assert page.locator("html").get_attribute("lang") == "en"


def test_facets_browse_narrow_and_live_in_the_url(
    page: Page, search_url: str, search_browser: Any, repo_kb: KnowledgeBase
) -> None:
    everything = len(repo_kb.valid_cases()) + len(repo_kb.valid_organisations())
    labs = sorted(f"/cases/{c.id}/" for c in repo_kb.valid_cases() if c.facts["kind"] == "lab")
    assert labs
    page.goto(f"{search_url}/search/")
    # Without a query every case and organisation is listed.
    expect(page.locator("pagefind-summary")).to_contain_text(str(everything))
    assert _total(page) == everything
    _facet(page, "Soort", "Innovatielab").check()
    expect(page).to_have_url(re.compile(r"[?&]kind=lab(&|$)"))
    expect(page.locator("pagefind-summary")).to_contain_text(str(len(labs)))
    expect(page.locator("pagefind-results a.pf-result-link")).to_have_count(len(labs))
    assert sorted(_results(page)) == labs
    shared = page.url
    assert parse_qs(urlsplit(shared).query) == {"kind": ["lab"]}

    # Opening the shared URL restores the same view.
    other = search_browser.new_page()
    try:
        other.goto(shared)
        expect(other.locator("pagefind-results a.pf-result-link")).to_have_count(len(labs))
        assert sorted(_results(other)) == labs
        expect(_facet(other, "Soort", "Innovatielab")).to_be_checked()
    finally:
        other.close()

    # A second facet narrows further; the back button restores the previous view.
    _facet(page, "Startjaar", "2020").check()
    expect(page).to_have_url(re.compile(r"year=2020"))
    narrowed = sorted(f"/cases/{c.id}/" for c in repo_kb.valid_cases()
                      if c.facts["kind"] == "lab" and str(c.facts["period"]["start"])[:4] == "2020")
    expect(page.locator("pagefind-results a.pf-result-link")).to_have_count(len(narrowed))
    page.go_back()
    expect(page).to_have_url(shared)
    expect(page.locator("pagefind-results a.pf-result-link")).to_have_count(len(labs))
    expect(_facet(page, "Startjaar", "2020")).not_to_be_checked()


def test_query_and_facet_together_in_english(
    page: Page, search_url: str, repo_kb: KnowledgeBase
) -> None:
    page.goto(f"{search_url}/en/search/?q=butcher&kind=practice")
    expect(page.locator("pagefind-input input")).to_have_value("butcher")
    expect(_facet(page, "Kind", "Good practice")).to_be_checked()
    expect(page.locator("pagefind-results a.pf-result-link")).to_have_count(1)
    assert _results(page) == ["/en/cases/sbir/"]
    page.goto(f"{search_url}/en/search/?q=butcher&kind=lab")
    expect(page.locator("pagefind-summary")).to_contain_text(re.compile(r"No results", re.I))


def test_results_come_a_page_at_a_time(search_browser: Any, small_url: str) -> None:
    page = search_browser.new_page()
    try:
        page.goto(f"{small_url}/en/search/")
        links = page.locator("pagefind-results a.pf-result-link")
        more = page.locator("#casebook-search-more")
        expect(page.locator("pagefind-summary")).to_contain_text("6")
        expect(links).to_have_count(2)
        expect(more).to_be_visible()
        expect(more).to_have_text("Show more results")
        more.click()
        expect(links).to_have_count(4)
        more.click()
        expect(links).to_have_count(6)
        expect(more).to_be_hidden()
        # A new selection starts again at the first page.
        _facet(page, "Content", "Case").check()
        expect(page.locator("pagefind-summary")).to_contain_text("3")
        expect(links).to_have_count(2)
        expect(more).to_be_visible()
        assert "type=case" in page.url
    finally:
        page.close()
