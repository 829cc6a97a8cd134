"""The language switch, used as a reader uses it: open the menu and click the other
language, or reach its link by keyboard and press Enter, then check what the page in
the other language shows (the query, the filters, the sort and the anchor kept).

Each journey runs with the site as built locally (no sitemap: every look-up of
Material's fails) and with a sitemap of every page and its alternates served at
``/sitemap.xml``, as a site built with ``SITE_URL`` publishes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.xdist_group("site_language_switch")]

PREFIX = {"nl": "/", "en": "/en/"}


def sitemap_for(site: Path, origin: str) -> str:
    """A sitemap of every built page with its other-language alternate, as Material
    reads one (absolute addresses at ``origin``)."""
    urls = []
    for html in sorted(site.rglob("index.html")):
        rel = html.parent.relative_to(site).as_posix()
        if rel.startswith(("en/", "assets", "pagefind")) or rel == "en":
            continue
        path = "" if rel == "." else rel + "/"
        nl, en = f"{origin}/{path}", f"{origin}/en/{path}"
        links = "".join(f'<xhtml:link rel="alternate" hreflang="{lang}" href="{href}"/>'
                        for lang, href in (("nl", nl), ("en", en)))
        urls += [f"<url><loc>{loc}</loc>{links}</url>" for loc in (nl, en)]
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:xhtml="http://www.w3.org/1999/xhtml">' + "".join(urls) + "</urlset>")


@pytest.fixture(params=[False, True], ids=["no-sitemap", "sitemap"])
def page(request: pytest.FixtureRequest, browser: Any, built_site: Path,
         site_server: str) -> Iterator[Page]:
    """A fresh page; with the ``sitemap`` parameter every sitemap.xml it asks for is
    the site's full sitemap. Fails the test on a script error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    origin = site_server.rstrip("/")
    if request.param:
        body = sitemap_for(built_site, origin)
        context.route("**/sitemap.xml", lambda route: route.fulfill(
            status=200, content_type="application/xml", body=body))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def switch(page: Page, lang: str, how: str) -> None:
    """Change the language with the header's menu: by mouse or by keyboard."""
    link = page.locator(f'.md-select a.md-select__link[hreflang="{lang}"]')
    # The page's own script sets the link's address once it has read the state.
    page.wait_for_load_state("load")
    with page.expect_navigation():
        if how == "mouse":
            page.locator(".md-header__option .md-select").hover()
            link.wait_for(state="visible")
            link.click()
        else:
            link.focus()
            expect(link).to_be_focused()
            page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == lang


def search_ready(page: Page) -> None:
    expect(page.locator("#casebook-search")).to_have_attribute("data-state", "ready")


@pytest.mark.parametrize(("start", "other", "how"), [("nl", "en", "mouse"),
                                                     ("en", "nl", "keyboard")])
def test_search_keeps_query_filters_and_sort(page: Page, site_server: str, start: str,
                                             other: str, how: str) -> None:
    origin = site_server.rstrip("/")
    page.goto(f"{origin}{PREFIX[start]}search/?q=data&kind=practice")
    search_ready(page)
    page.select_option("#casebook-search-sort", "start-desc")
    expect(page).to_have_url(re.compile(r"sort=start-desc"))
    search_ready(page)
    before = page.locator("#casebook-search-count").inner_text()
    switch(page, other, how)
    parts = urlsplit(page.url)
    assert parts.path == f"{PREFIX[other]}search/"
    assert parts.query == "q=data&kind=practice&sort=start-desc"
    search_ready(page)
    expect(page.locator("#casebook-search-input")).to_have_value("data")
    expect(page.locator("#casebook-filter-kind-practice")).to_be_checked()
    expect(page.locator("#casebook-search-sort")).to_have_value("start-desc")
    # The same matches in the other language's words ("12 resultaten", "12 results").
    assert re.findall(r"\d+", page.locator("#casebook-search-count").inner_text()) == \
        re.findall(r"\d+", before)


@pytest.mark.parametrize(("start", "other", "how"), [("nl", "en", "keyboard"),
                                                     ("en", "nl", "mouse")])
def test_all_cases_keep_their_order_and_anchor(page: Page, site_server: str, start: str,
                                              other: str, how: str) -> None:
    origin = site_server.rstrip("/")
    page.goto(f"{origin}{PREFIX[start]}cases/")
    page.locator('th[data-column="kind"] a').click()
    page.locator('th[data-column="kind"] a').click()  # again: reversed
    expect(page).to_have_url(re.compile(r"\?sort=kind-desc$"))
    page.evaluate("() => { location.hash = 'cb-sort-status'; }")
    switch(page, other, how)
    parts = urlsplit(page.url)
    assert (parts.path, parts.query, parts.fragment) == (f"{PREFIX[other]}cases/",
                                                          "sort=kind-desc", "cb-sort-status")
    expect(page.locator('th[data-column="kind"]')).to_have_attribute("aria-sort",
                                                                     "descending")
    keys = [cell.get_attribute("data-sort") for cell in
            page.locator("table[data-cb-sortable] tbody td:nth-child(2)").all()]
    assert len(set(keys)) > 1 and keys == sorted(keys, reverse=True), keys
    expect(page.locator("#cb-sort-status")).to_be_in_viewport()


@pytest.mark.parametrize(("start", "other", "how"), [("nl", "en", "mouse"),
                                                     ("en", "nl", "keyboard")])
def test_overviews_keep_the_anchor(page: Page, site_server: str, start: str, other: str,
                                   how: str) -> None:
    origin = site_server.rstrip("/")
    page.goto(f"{origin}{PREFIX[start]}kinds/lab/#cb-main")
    switch(page, other, how)
    parts = urlsplit(page.url)
    assert (parts.path, parts.fragment) == (f"{PREFIX[other]}kinds/lab/", "cb-main")


@pytest.mark.parametrize("start", ["nl", "en"])
def test_a_page_without_state_switches_to_its_twin(page: Page, site_server: str,
                                                   start: str) -> None:
    other = "en" if start == "nl" else "nl"
    origin = site_server.rstrip("/")
    for path in ("", "themes/", "stats/"):
        page.goto(f"{origin}{PREFIX[start]}{path}")
        switch(page, other, "mouse")
        parts = urlsplit(page.url)
        assert (parts.path, parts.query, parts.fragment) == (f"{PREFIX[other]}{path}", "", "")
