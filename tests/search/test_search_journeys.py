"""The search page by keyboard and when nothing is found, and its matches as CSV,
used as a reader uses them (keys pressed, links clicked, the file downloaded), in
both languages, on the real site."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from casebook.content.uitext import ui_text
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("search_journeys")]

PREFIX = {"nl": "/", "en": "/en/"}
LINKS = "#casebook-search-list a.casebook-result__link"


@pytest.fixture
def page(search_browser: Any, search_url: str) -> Iterator[Page]:
    """A fresh page (downloads kept); fails the test on a script error or a request to
    another host."""
    context = search_browser.new_context(viewport={"width": 1280, "height": 900},
                                         accept_downloads=True)
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


def ready(page: Page) -> None:
    expect(page.locator("#casebook-search")).to_have_attribute("data-state", "ready")


def t(key: str, lang: str, **values: Any) -> str:
    return ui_text(f"search.{key}", lang, **values)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_skip_to_the_results_from_the_query(page: Page, search_url: str, lang: str) -> None:
    page.goto(f"{search_url}{PREFIX[lang]}search/?q=data")
    ready(page)
    page.locator("#casebook-search-input").focus()
    page.keyboard.press("Tab")
    skip = page.locator(".casebook-search__skip")
    expect(skip).to_be_focused()
    expect(skip).to_have_text(t("skip_results", lang))
    box = skip.bounding_box()
    assert box and box["width"] > 20 and box["height"] > 10, box  # seen when focused
    page.keyboard.press("Enter")
    expect(page.locator("#casebook-search-results")).to_be_focused()
    # The next key goes on from the results (the sort menu), not through 40 filters.
    page.keyboard.press("Tab")
    expect(page.locator("#casebook-search-sort")).to_be_focused()
    assert not skip.bounding_box() or skip.bounding_box()["width"] <= 1


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_long_filter_groups_fold_and_unfold_by_keyboard(page: Page, search_url: str,
                                                        lang: str) -> None:
    page.goto(f"{search_url}{PREFIX[lang]}search/")
    ready(page)
    groups = page.locator(".casebook-facet:has(.casebook-facet__more)")
    assert groups.count() >= 1
    group = groups.first
    values = group.locator(".casebook-facet__values > li")
    total = values.count()
    assert total > 8
    expect(group.locator(".casebook-facet__values > li:visible")).to_have_count(5)
    more = group.locator(".casebook-facet__more")
    expect(more).to_have_text(t("more_values", lang, count=total - 5))
    expect(more).to_have_attribute("aria-expanded", "false")
    more.focus()
    page.keyboard.press("Enter")
    expect(group.locator(".casebook-facet__values > li:visible")).to_have_count(total)
    expect(more).to_have_attribute("aria-expanded", "true")
    expect(more).to_have_text(t("fewer_values", lang))
    # A value beyond the fifth, chosen by keyboard, stays in view when folded again.
    last = values.last.locator("input")
    last.focus()
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(re.escape(last.get_attribute("value") or "x")))
    more.focus()
    page.keyboard.press("Space")
    expect(more).to_have_attribute("aria-expanded", "false")
    expect(group.locator(".casebook-facet__values > li:visible")).to_have_count(6)
    expect(last).to_be_visible()
    expect(more).to_have_text(t("more_values", lang, count=total - 6))


@pytest.mark.parametrize(("lang", "typo", "word"), [("nl", "platfrom", "platform"),
                                                    ("en", "platfrom", "platform"),
                                                    ("nl", "gemmeente", "gemeente")])
def test_nothing_found_suggests_a_spelling_from_the_index(page: Page, search_url: str,
                                                          lang: str, typo: str,
                                                          word: str) -> None:
    page.goto(f"{search_url}{PREFIX[lang]}search/")
    ready(page)
    page.locator("#casebook-search-input").fill(typo)
    ready(page)
    expect(page.locator("#casebook-search-count")).to_have_text(t("results_none", lang))
    none = page.locator("#casebook-search-none")
    expect(none).to_be_visible()
    expect(none).to_contain_text(t("none_tips", lang))
    suggestion = none.get_by_role("link", name=re.compile(re.escape(f"‘{word}’")))
    expect(suggestion).to_be_visible()
    promised = re.findall(r"\d+", suggestion.inner_text())
    suggestion.click()
    ready(page)
    assert parse_qs(urlsplit(page.url).query)["q"] == [word]
    expect(page.locator("#casebook-search-input")).to_have_value(word)
    expect(page.locator(LINKS).first).to_be_visible()
    expect(none).to_be_hidden()
    # As many results as the suggestion promised.
    assert re.findall(r"\d+", page.locator("#casebook-search-count").inner_text()) == promised


def test_no_suggestion_for_nonsense(page: Page, search_url: str) -> None:
    page.goto(f"{search_url}/en/search/?q=qqxxzzkk")
    ready(page)
    expect(page.locator("#casebook-search-none")).to_be_visible()
    page.wait_for_timeout(500)
    assert page.locator("#casebook-search-none a").count() == 0


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_nothing_found_names_the_filter_to_drop(page: Page, search_url: str,
                                                lang: str) -> None:
    # A word only repositories hold (their publiccode.yml files), so some kinds have none.
    page.goto(f"{search_url}{PREFIX[lang]}search/?q=publiccode")
    ready(page)
    before = page.locator("#casebook-search-count").inner_text()
    # A kind none of the matches has: the reader could only reach it from the address.
    empty = page.locator('.casebook-facet[data-param="kind"] input:disabled').first
    key = empty.get_attribute("value")
    label = page.locator(f'label[for="casebook-filter-kind-{key}"] .casebook-facet__label') \
        .inner_text()
    page.goto(f"{search_url}{PREFIX[lang]}search/?q=publiccode&kind={key}")
    ready(page)
    none = page.locator("#casebook-search-none")
    expect(none).to_be_visible()
    kind = page.locator('.casebook-facet[data-param="kind"] legend').inner_text()
    drop = none.get_by_role("link", name=re.compile(re.escape(f"‘{kind}: {label}’")))
    expect(drop).to_contain_text(before)
    drop.click()
    ready(page)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["publiccode"]}
    expect(page.locator("#casebook-search-count")).to_have_text(before)
    expect(page.locator(f"#casebook-filter-kind-{key}")).not_to_be_checked()


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_matches_as_csv(page: Page, search_url: str, search_site: Path,
                            lang: str) -> None:
    page.goto(f"{search_url}{PREFIX[lang]}search/?q=data&sort=title")
    ready(page)
    link = page.locator("#casebook-search-csv")
    expect(link).to_have_text(t("csv", lang))
    while page.locator("#casebook-search-more").is_visible():
        page.locator("#casebook-search-more").click()
    shown = [urlsplit(a.get_attribute("href") or "").path
             for a in page.locator(LINKS).all()]
    cases = [p.rstrip("/").rsplit("/", 1)[1] for p in shown if "/cases/" in p]
    assert len(cases) >= 2
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "casebook-search.csv"
    got = Path(download.value.path()).read_text(encoding="utf-8")
    whole = (search_site / "data" / "cases.csv").read_text(encoding="utf-8")
    rows, all_rows = read_csv(got), read_csv(whole)
    assert rows[0] == all_rows[0]  # the same columns
    assert [row[0] for row in rows[1:]] == cases  # the matches, in the order shown
    by_id = {row[0]: row for row in all_rows[1:]}
    assert all(row == by_id[row[0]] for row in rows[1:])  # the same (safe) cells
    # The file's own bytes: each row exactly as /data/cases.csv writes it.
    assert all(line in whole for line in got.splitlines())
    assert json.loads((search_site / ("" if lang == "nl" else "en") / "pagefind" /
                       "casebook-urls.json").read_text(encoding="utf-8"))
