"""Ways on, as a reader finds them: from every case and organisation page to a
correction form prefilled with the page's entry, to the entry's own file, to the
new-case form and to the repository, in the page's language; from the 404 page to
search and the main ways in; and no promise the page cannot keep without script.

GitHub is never reached: a click on a link to it is answered by a stand-in page,
and the address it asked for is checked.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from casebook.content.uitext import ui_text
from casebook.content.vocab import LANGUAGES
from casebook.site.views import SiteIndex
from casebook.site.ways import Repository
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("site_ways")]

PREFIX = {"nl": "/", "en": "/en/"}
ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8")
                        .replace("!ENV", ""))
#: Builds in the tests take the repository from REPO_URL (tests/conftest.py sets it).
REPO = os.environ["REPO_URL"].rstrip("/")
WAYS = ("correction", "edit", "new_case", "repository")


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    """A fresh page whose requests to GitHub get a stand-in answer."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(re.compile(r"^https://github\.com/.*"), lambda route: route.fulfill(
        status=200, content_type="text/html", body="<title>GitHub</title>"))
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_page_has_its_ways_on(built_site: Path, index: SiteIndex,
                                          lang: str) -> None:
    """Read from the built pages: every case and organisation, in both languages."""
    problems = []
    entries = [("cases", i) for i in index.cases] + [("organisations", i)
                                                     for i in index.organisations]
    link = re.compile(r'<a href="([^"]+)" data-casebook-way="([a-z_]+)">([^<]+)</a>')
    for collection, entry_id in entries:
        html = (built_site / PREFIX[lang].strip("/") / collection / entry_id
                / "index.html").read_text(encoding="utf-8")
        found = {key: (href.replace("&amp;", "&"), text)
                 for href, key, text in link.findall(html)}
        if tuple(found) != WAYS:
            problems.append(f"{lang} {collection}/{entry_id}: {list(found)}")
            continue
        for key, (_, text) in found.items():
            if text != ui_text(f"ways.{key}", lang):
                problems.append(f"{lang} {collection}/{entry_id}: {key} reads {text!r}")
        correction = urlsplit(found["correction"][0])
        query = parse_qs(correction.query)
        if (f"{correction.scheme}://{correction.netloc}{correction.path}" != f"{REPO}/issues/new"
                or query.get("template") != ["correction.yml"]
                or query.get("entry") != [f"{collection}/{entry_id}"]):
            problems.append(f"{lang} {collection}/{entry_id}: correction {found['correction']}")
        edit = found["edit"][0]
        prefix = f"{REPO}/{CONFIG['edit_uri'].strip('/')}/"
        if not edit.startswith(prefix) or not (ROOT / "content" /
                                               edit[len(prefix):]).is_file():
            problems.append(f"{lang} {collection}/{entry_id}: edit {edit}")
        elif not edit.endswith(f"{entry_id}.{lang}.md") and (
                ROOT / "content" / collection / f"{entry_id}.{lang}.md").exists():
            problems.append(f"{lang} {collection}/{entry_id}: edit names another file {edit}")
    assert len(entries) > 20
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_suggest_a_correction_opens_the_form_with_the_page(page: Page, site_server: str,
                                                           index: SiteIndex,
                                                           lang: str) -> None:
    case = sorted(index.cases)[0]
    page.goto(f"{site_server.rstrip('/')}{PREFIX[lang]}cases/{case}/")
    link = page.get_by_role("link", name=ui_text("ways.correction", lang), exact=True)
    expect(page.get_by_role("heading", name=ui_text("ways.title", lang))).to_be_visible()
    link.click()
    page.wait_for_url(re.compile(r"^https://github\.com/"))
    parts = urlsplit(page.url)
    assert parts.path == urlsplit(REPO).path + "/issues/new"
    query = parse_qs(parts.query)
    assert query["template"] == ["correction.yml"]
    assert query["entry"] == [f"cases/{case}"]
    # The form it opens has that field.
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "correction.yml")
                          .read_text(encoding="utf-8"))
    assert "entry" in {item.get("id") for item in form["body"]}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_edit_this_page_opens_the_entry_file(page: Page, site_server: str,
                                             index: SiteIndex, lang: str) -> None:
    org = sorted(index.organisations)[0]
    page.goto(f"{site_server.rstrip('/')}{PREFIX[lang]}organisations/{org}/")
    page.get_by_role("link", name=ui_text("ways.edit", lang), exact=True).click()
    page.wait_for_url(re.compile(r"^https://github\.com/"))
    path = urlsplit(page.url).path
    assert path.endswith(".md") and f"/organisations/{org}." in path
    assert (ROOT / "content" / "organisations" / path.rsplit("/", 1)[1]).is_file()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_not_found_page_searches_and_leads_on(page: Page, site_server: str,
                                              lang: str) -> None:
    origin = site_server.rstrip("/")
    page.goto(f"{origin}{PREFIX[lang]}404.html")
    expect(page.locator("h1")).to_have_text(ui_text("not_found.title", lang))
    field = page.get_by_label(ui_text("search.label", lang), exact=True).last
    field.fill("participatie" if lang == "nl" else "participation")
    field.press("Enter")
    page.wait_for_url(re.compile(re.escape(f"{origin}{PREFIX[lang]}search/?q=")))
    expect(page.locator("#casebook-search")).to_have_attribute("data-state", "ready")
    expect(page.locator("#casebook-search-list a").first).to_be_visible()
    for key, path in (("all_cases", "cases/"), ("themes", "themes/"),
                      ("organisations", "organisations/"), ("contribute", "contribute/")):
        page.goto(f"{origin}{PREFIX[lang]}404.html")
        page.locator("#cb-main").get_by_role(
            "link", name=ui_text(f"not_found.{key}", lang), exact=True).click()
        assert urlsplit(page.url).path == f"{PREFIX[lang]}{path}"
        expect(page.locator("html")).to_have_attribute("lang", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_all_cases_promise_reversing_only_with_script(browser: Any, site_server: str,
                                                      lang: str) -> None:
    reverse = ui_text("all_cases.intro_reverse", lang)
    for script in (False, True):
        context = browser.new_context(java_script_enabled=script)
        page = context.new_page()
        for path in ("cases/", "cases/sort/kind/"):
            page.goto(f"{site_server.rstrip('/')}{PREFIX[lang]}{path}")
            intro = page.locator(".cb-intro").inner_text()
            assert (reverse in intro) is script, (script, path, intro)
        if script:  # and it is true: the sorted heading reverses the order
            page.locator('th[aria-sort="ascending"] a').click()
            expect(page).to_have_url(re.compile(r"\?sort=kind-desc$"))
            expect(page.locator('th[data-column="kind"]')).to_have_attribute(
                "aria-sort", "descending")
        context.close()


def test_repository_addresses() -> None:
    """GitHub's addresses: an issue form with fields filled in, an editor below docs_dir
    (relative to the repository or absolute), none without ``edit_uri``."""
    repo = Repository("https://example.org/o/r/", "edit/main/content/")
    assert repo.issue_form("correction.yml", entry="cases/x") == (
        "https://example.org/o/r/issues/new?template=correction.yml&entry=cases%2Fx")
    assert repo.edit("cases/x.nl.md") == "https://example.org/o/r/edit/main/content/cases/x.nl.md"
    assert Repository("https://example.org/o/r", "https://e.org/edit/").edit("a.md") == \
        "https://e.org/edit/a.md"
    assert Repository("https://example.org/o/r").edit("a.md") is None
