"""The built real site in headless Chromium, served on localhost: the language
switcher, no console errors, no request to another host."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from casebook.content.model import load
from casebook.site.views import SiteIndex

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("site_browser")]


@pytest.fixture(scope="module")
def a_case(repo_root: Any) -> str:
    """A case with a Dutch and an English file."""
    index = SiteIndex.build(load(repo_root))
    return next(i for i, e in index.cases.items() if e.is_translated("nl")
                and e.is_translated("en"))


class Watched:
    """A browser page that records console errors, page errors, failed requests and
    every request that leaves the local server."""

    def __init__(self, browser: Any, base: str) -> None:
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.base = base
        self.problems: list[str] = []
        self.page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}")
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        self.page.on("response", lambda r: self.problems.append(f"HTTP {r.status}: {r.url}")
                     if r.status >= 400 else None)
        self.page.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.base) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:  # the network is "cut": anything else is a bug
            self.problems.append(f"request to another host: {url}")
            route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser: Any, site_server: str) -> Iterator[Watched]:
    w = Watched(browser, site_server)
    yield w
    w.close()


def _path(url: str) -> str:
    return urlsplit(url).path


@pytest.mark.parametrize(("start", "lang", "target"), [
    ("/cases/{case}/", "en", "/en/cases/{case}/"),
    ("/en/cases/{case}/", "nl", "/cases/{case}/"),
    ("/en/themes/", "nl", "/themes/"),
])
def test_language_switcher_lands_on_the_same_page(watched: Watched, site_server: str,
                                                  a_case: str, start: str, lang: str,
                                                  target: str) -> None:
    page = watched.page
    page.goto(site_server.rstrip("/") + start.format(case=a_case))
    page.locator(".md-header__option .md-select").hover()
    link = page.locator(f'.md-select__link[hreflang="{lang}"]')
    link.wait_for(state="visible")
    with page.expect_navigation():
        link.click()
    assert _path(page.url) == target.format(case=a_case)
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator(f'[data-casebook-case="{a_case}"]').count() == (
        1 if "cases" in target else 0)
    assert not watched.problems, watched.problems


@pytest.mark.parametrize("path", ["/", "/cases/{case}/", "/kinds/lab/", "/en/",
                                  "/en/cases/{case}/", "/en/themes/", "/en/organisations/"])
def test_no_console_errors_and_no_foreign_requests(watched: Watched, site_server: str,
                                                   a_case: str, path: str) -> None:
    page = watched.page
    page.goto(site_server.rstrip("/") + path.format(case=a_case), wait_until="networkidle")
    assert page.locator("article h1").count() == 1
    assert not watched.problems, watched.problems
