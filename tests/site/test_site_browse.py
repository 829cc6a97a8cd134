"""Browsing the built real site in headless Chromium, as a reader would: the page of
all cases sorted by each column with and without script, the home page (its search
box, theme counts and new cases of every kind), the statistics page's bars at every
width, and no sideways scrolling on a 320 px screen."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from casebook.content.model import Entry, KnowledgeBase
from casebook.content.uitext import ui_text
from casebook.content.vocab import LANGUAGES
from casebook.site.views import SiteIndex
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("site_browse")]

PREFIX = {"nl": "/", "en": "/en/"}
COLUMNS = ("title", "kind", "organisations", "countries", "period", "stage", "reviewed")


def new_page(browser: Any, *, width: int = 1280, height: int = 900,
             script: bool = True) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height},
                                  java_script_enabled=script)
    return context.new_page()


# --- the order a reader expects, computed from the content ---------------------------


def fold(text: str) -> str:
    """Case and accent do not count: 'Émile' sorts with 'emile'."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def month(value: Any) -> tuple[int, int]:
    year, _, mon = str(value).partition("-")
    return int(year), int(mon or 0)


def column_key(column: str, kb: KnowledgeBase, lang: str) -> Callable[[Entry], Any]:
    """What a column sorts by (None: no value, always last)."""
    vocabs = kb.vocabularies

    def org_name(org_id: str) -> str:
        org = kb.organisations.get(org_id)
        return org.title(lang) if org else org_id

    def key(entry: Entry) -> Any:
        facts = entry.facts
        if column == "title":
            return fold(entry.title(lang))
        if column == "kind":
            return list(vocabs["kinds"].terms).index(facts["kind"])
        if column == "stage":
            return list(vocabs["stages"].terms).index(facts["stage"])
        if column == "organisations":  # as the cell shows them, in front-matter order
            ids = list(dict.fromkeys(o["id"] for o in facts["organisations"]))
            return tuple(fold(org_name(i)) for i in ids) or None
        if column == "countries":
            return tuple(fold(vocabs.label("countries", c, lang))
                         for c in facts.get("countries") or []) or None
        if column == "period":
            period = facts.get("period")
            if not period:
                return None
            end = month(period["end"]) if period.get("end") is not None else (10_000, 0)
            return (*month(period["start"]), *end)
        if column == "reviewed":
            value = facts.get("reviewed")
            return dt.date.fromisoformat(str(value)) if value else None
        raise KeyError(column)

    return key


def expected_order(kb: KnowledgeBase, index: SiteIndex, lang: str, column: str,
                   direction: str) -> list[str]:
    """Case ids sorted by ``column``: ties by title (A to Z), cases without a value last."""
    entries = list(index.cases.values())
    by_title = sorted(entries, key=lambda e: (fold(e.title(lang)), e.id))
    key = column_key(column, kb, lang)
    with_value = [e for e in by_title if key(e) is not None]
    without = [e for e in by_title if key(e) is None]
    with_value.sort(key=key, reverse=direction == "desc")  # stable: ties keep title order
    return [e.id for e in with_value + without]


def shown_order(page: Any) -> list[str]:
    """Case ids in the order of the table's rows."""
    hrefs = page.locator("table[data-cb-sortable] tbody tr td:first-child a").evaluate_all(
        "links => links.map(a => a.href)")
    return [urlsplit(h).path.rstrip("/").rsplit("/", 1)[-1] for h in hrefs]


def heading(page: Any, column: str) -> Any:
    return page.locator(f'table[data-cb-sortable] th[data-column="{column}"]')


def first_direction(column: str) -> str:
    return "desc" if column == "reviewed" else "asc"


def other(direction: str) -> str:
    return "desc" if direction == "asc" else "asc"


# --- the page of all cases ---------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_all_cases_sorted_by_each_column_without_script(browser: Any, site_server: str,
                                                        kb: KnowledgeBase, index: SiteIndex,
                                                        lang: str) -> None:
    """Without JavaScript the headings of the other columns are links: choosing one
    shows the table in that column's order (reviewed: newest first, the others
    ascending); every case is listed every time. The sorted column's heading is not
    a link (there is no static page of the reverse order)."""
    page = new_page(browser, script=False)
    start = site_server.rstrip("/") + PREFIX[lang] + "cases/"
    page.goto(start)
    assert shown_order(page) == expected_order(kb, index, lang, "title", "asc")
    assert heading(page, "title").get_attribute("aria-sort") == "ascending"
    for column in COLUMNS[1:]:
        assert heading(page, column).get_attribute("aria-sort") is None
        heading(page, column).locator("a").click()
        page.wait_for_load_state("load")
        direction = first_direction(column)
        assert shown_order(page) == expected_order(kb, index, lang, column, direction), \
            (column, direction, page.url)
        sort = "ascending" if direction == "asc" else "descending"
        assert heading(page, column).get_attribute("aria-sort") == sort
        assert heading(page, column).locator("a").count() == 0
        assert page.locator("th[aria-sort]").count() == 1
        label = ui_text(f"lists.{column}", lang)
        status = ui_text(f"all_cases.sorted_{direction}", lang, column=label)
        assert page.locator("#cb-sort-status").inner_text() == status
    # And back to the title order from any of them.
    heading(page, "title").locator("a").click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == PREFIX[lang] + "cases/"
    assert shown_order(page) == expected_order(kb, index, lang, "title", "asc")
    page.context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_all_cases_sorted_in_place_by_script(browser: Any, site_server: str,
                                             kb: KnowledgeBase, index: SiteIndex,
                                             lang: str) -> None:
    """With JavaScript the table sorts without loading a page; the order goes into the
    address, survives a reload, and back and forward return to the previous order."""
    page = new_page(browser)
    start = site_server.rstrip("/") + PREFIX[lang] + "cases/"
    page.goto(start)
    page.evaluate("window.casebookSameDocument = true")
    direction = "asc"
    seen: list[tuple[str, str]] = [("title", "asc")]
    for column in COLUMNS:
        direction = other(direction) if column == "title" else first_direction(column)
        for _ in range(2):
            heading(page, column).locator("a").click()
            assert shown_order(page) == expected_order(kb, index, lang, column, direction), \
                (column, direction)
            sort = "ascending" if direction == "asc" else "descending"
            assert heading(page, column).get_attribute("aria-sort") == sort
            assert page.locator("th[aria-sort]").count() == 1
            expected_query = "" if (column, direction) == ("title", "asc") \
                else f"?sort={column}-{direction}"
            assert urlsplit(page.url).path == PREFIX[lang] + "cases/"
            assert ("?" + urlsplit(page.url).query if urlsplit(page.url).query else "") \
                == expected_query
            seen.append((column, direction))
            direction = other(direction)
    assert page.evaluate("window.casebookSameDocument") is True, "a page was loaded"

    # Back and forward walk through the orders chosen.
    page.go_back()
    column, direction = seen[-2]
    assert shown_order(page) == expected_order(kb, index, lang, column, direction)
    page.go_forward()
    column, direction = seen[-1]
    assert shown_order(page) == expected_order(kb, index, lang, column, direction)

    # A static page of one order sorts in place too, and reverses its own order.
    page.goto(site_server.rstrip("/") + PREFIX[lang] + "cases/sort/stage/")
    heading(page, "stage").locator("a").click()
    assert shown_order(page) == expected_order(kb, index, lang, "stage", "desc")
    assert urlsplit(page.url).query == "sort=stage-desc"

    # A reload (or a shared address) shows the same order.
    page.goto(start + "?sort=kind-desc")
    assert shown_order(page) == expected_order(kb, index, lang, "kind", "desc")
    assert heading(page, "kind").get_attribute("aria-sort") == "descending"

    # The language switch opens the other language in the same order.
    target = next(other_lang for other_lang in LANGUAGES if other_lang != lang)
    link = page.locator(f'a[hreflang="{target}"]').first
    assert urlsplit(urljoin(page.url, link.get_attribute("href"))).query == "sort=kind-desc"
    page.goto(urljoin(page.url, link.get_attribute("href")))
    assert shown_order(page) == expected_order(kb, index, target, "kind", "desc")
    page.context.close()


def test_all_cases_page_in_both_languages_and_in_the_navigation(
        browser: Any, site_server: str, index: SiteIndex) -> None:
    page = new_page(browser)
    for lang in LANGUAGES:
        page.goto(site_server.rstrip("/") + PREFIX[lang] + "cases/")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h1").inner_text() == ui_text("all_cases.title", lang)
        assert len(shown_order(page)) == len(index.cases)
        headings = page.locator("table[data-cb-sortable] thead th").evaluate_all(
            "ths => ths.map(th => th.dataset.column)")
        assert headings == list(COLUMNS)
        nav = page.locator(".md-nav--primary a.md-nav__link--active")
        assert nav.first.inner_text().strip() == ui_text("all_cases.title", lang)
        # The table fits its column at 1280 px: no cell is cut off.
        assert page.evaluate("""() => {
            const t = document.querySelector('table[data-cb-sortable]');
            const box = document.querySelector('article').getBoundingClientRect();
            return t.getBoundingClientRect().right <= box.right + 1
                && t.scrollWidth <= t.clientWidth + 1; }""")
    page.context.close()


# --- the home page -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_search_box_leads_to_results_and_theme_counts_to_overviews(
        browser: Any, site_server: str, index: SiteIndex, kb: KnowledgeBase,
        lang: str, tmp_path: Path) -> None:
    """A reader types in the home page's search box and presses Enter: the search
    page shows the results of that query. Back home, the count beside a theme opens
    the theme's overview with as many cases; "see all" opens the table of all cases."""
    page = new_page(browser)
    home = site_server.rstrip("/") + PREFIX[lang]
    page.goto(home)
    page.screenshot(path=str(tmp_path / f"home-{lang}.png"), full_page=True)
    box = page.locator("#cb-home-search-input")
    expect(page.locator("label[for=cb-home-search-input]")).to_have_text(
        ui_text("home.search_label", lang))
    box.click()
    box.press_sequentially("slager" if lang == "nl" else "butcher", delay=20)
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=(slager|butcher)$"))
    expect(page.locator("#casebook-search-input")).to_have_value(
        "slager" if lang == "nl" else "butcher")
    expect(page.locator("#casebook-search-list a.casebook-result__link").first
           ).to_have_attribute("href", f"{PREFIX[lang]}cases/sbir/")
    page.go_back()
    theme, ids = max(sorted(index.facets["themes"].items()), key=lambda kv: len(kv[1]))
    label = kb.vocabularies.label("themes", theme, lang)
    link = page.locator("ul.cb-themes a").filter(has_text=label)
    expect(link.locator(".cb-count")).to_contain_text(str(len(ids)))
    link.locator(".cb-count").click()
    expect(page).to_have_url(f"{home}themes/{theme.lower()}/")
    expect(page.locator("article h1")).to_contain_text(label)
    expect(page.locator(".cb-cases tbody tr")).to_have_count(len(ids))
    page.go_back()
    # Every kind shows its newest and recently reviewed cases, each a link that works.
    cards = page.locator(".cb-kind-card")
    expect(cards).to_have_count(len(kb.vocabularies["kinds"].terms))
    first = cards.first.locator("ul.cb-newest a").first
    title = first.inner_text()
    first.click()
    expect(page.locator("article h1")).to_have_text(title)
    page.go_back()
    link = page.locator(".cb-all-cases a").last
    assert str(len(index.cases)) in link.inner_text()
    link.click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == PREFIX[lang] + "cases/"
    assert len(shown_order(page)) == len(index.cases)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.context.close()


def test_home_title_is_the_same_kind_of_title_in_both_languages(browser: Any,
                                                                site_server: str) -> None:
    page = new_page(browser)
    titles = {}
    for lang in LANGUAGES:
        page.goto(site_server.rstrip("/") + PREFIX[lang])
        titles[lang] = page.title()
        assert titles[lang] == f"{ui_text('home.title', lang)} - Casebook"
    page.context.close()


# --- statistics ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_chart_bar_opens_the_overview_it_counts(browser: Any, site_server: str,
                                                      lang: str) -> None:
    """Each bar is a link; following it opens a page listing as many cases as the bar
    counts (the number drawn at the bar's end)."""
    page = new_page(browser)
    stats = site_server.rstrip("/") + PREFIX[lang] + "stats/"
    page.goto(stats)
    bars = page.locator("svg.casebook-chart a").evaluate_all(
        "links => links.map(a => [a.getAttribute('href'),"
        " a.querySelector('text:last-of-type').textContent])")
    drawn = page.locator("svg.casebook-chart rect").count()
    zero = page.locator("svg.casebook-chart rect").evaluate_all(  # an empty year: no link
        "rects => rects.filter(r => parseFloat(r.getAttribute('width')) === 0).length")
    assert bars and len(bars) == drawn - zero
    for href, count in bars:
        page.goto(urljoin(stats, href))
        assert page.locator("html").get_attribute("lang") == lang
        # A case chart opens a table of cases, the organisation chart one of organisations.
        rows = page.locator(".cb-cases tbody tr, .cb-organisations tbody tr").count()
        assert rows == int(count), (href, count, rows)
    # The bars are reached by keyboard, as links.
    page.goto(stats)
    first = page.locator("svg.casebook-chart a").first
    first.focus()
    assert page.evaluate("document.activeElement.closest('svg') !== null")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == urlsplit(urljoin(stats, bars[0][0])).path
    page.context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("width", [320, 375, 1280])
def test_statistics_read_at_every_width(browser: Any, site_server: str, lang: str,
                                        width: int, tmp_path: Path) -> None:
    """Every chart a reader sees has text of at least 12 px and bars as long as their
    counts: the scaled chart on wide screens, the bars under the table's labels on
    phones (where the chart's text would shrink to 6 px)."""
    page = new_page(browser, width=width)
    page.goto(site_server.rstrip("/") + PREFIX[lang] + "stats/")
    charts = page.locator("svg.casebook-chart")
    count = charts.count()
    shown = charts.evaluate_all("cs => cs.filter(c => c.getBoundingClientRect().width > 0)"
                                ".length")
    texts = page.locator("svg.casebook-chart text").evaluate_all(
        "ts => ts.map(t => t.getBoundingClientRect().height).filter(h => h > 0)")
    bars = page.locator("table.casebook-stats-table tbody tr").evaluate_all(
        """rows => rows.map(row => {
             const svg = row.querySelector('svg.casebook-stats-bar');
             const rect = svg.querySelector('rect').getBoundingClientRect();
             return [svg.getBoundingClientRect().width, rect.width,
                     parseInt(row.querySelector('td').textContent, 10),
                     row.closest('table').id];
           })""")
    page.screenshot(path=str(tmp_path / f"stats-{lang}-{width}.png"), full_page=True)
    page.context.close()
    assert bars
    if width >= 720:
        assert shown == count > 0
        assert min(texts) >= 12, min(texts)  # a 13 px font, drawn at least 12 px high
        assert all(outer == 0 for outer, *_ in bars)  # the table's bars stay hidden
        return
    assert shown == 0 and not texts  # the scaled chart is not drawn on a phone
    tops: dict[str, int] = {}
    for _, _, n, table in bars:
        tops[table] = max(tops.get(table, 0), n)
    for outer, inner, n, table in bars:
        assert outer >= 64, outer  # a bar a reader can compare (3 columns at 320 px: 72)
        assert abs(inner - outer * n / (tops[table] or 1)) <= 1, (table, n, inner, outer)


def test_statistics_tables_have_padded_cells(browser: Any, site_server: str) -> None:
    page = new_page(browser)
    page.goto(site_server.rstrip("/") + "/stats/")
    padding = page.locator("table.casebook-stats-table td").first.evaluate(
        "td => [getComputedStyle(td).paddingLeft, getComputedStyle(td).paddingTop]")
    assert all(float(p.rstrip("px")) >= 4 for p in padding), padding
    page.context.close()


# --- organisation pages ------------------------------------------------------------------


def test_organisation_country_links_to_its_overview(browser: Any, site_server: str,
                                                    kb: KnowledgeBase,
                                                    index: SiteIndex) -> None:
    org_id = next(i for i, e in sorted(index.organisations.items())
                  if str(e.facts.get("country", "")) in index.facets["countries"])
    country = str(index.organisations[org_id].facts["country"])
    page = new_page(browser)
    for lang in LANGUAGES:
        page.goto(site_server.rstrip("/") + PREFIX[lang] + f"organisations/{org_id}/")
        label = kb.vocabularies.label("countries", country, lang)
        link = page.locator(".cb-facts a", has_text=label).first
        link.click()
        page.wait_for_load_state("load")
        assert urlsplit(page.url).path == PREFIX[lang] + f"countries/{country.lower()}/"
        assert page.locator(".cb-cases tbody tr").count() == \
            len(index.facets["countries"][country])
    page.context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_organisations_are_browsed_by_kind(browser: Any, site_server: str, kb: KnowledgeBase,
                                           index: SiteIndex, lang: str) -> None:
    """The index of organisations lists every kind in use with its count; clicking one
    opens a page of the organisations of that kind, and a kind in the table leads there
    too."""
    vocabs = kb.vocabularies
    kinds = {str(e.facts["kind"]) for e in kb.valid_organisations()}
    page = new_page(browser)
    page.goto(site_server.rstrip("/") + PREFIX[lang] + "organisations/")
    listed = page.locator(".cb-organisation-kinds li")
    assert listed.count() == len(kinds)
    # In vocabulary order, each with the number of organisations of that kind.
    order = [k for k in vocabs["organisation-kinds"].terms if k in kinds]
    count = ui_text("lists.organisation_count.other", lang)
    for n, key in enumerate(order):
        of_kind = [e for e in kb.valid_organisations() if e.facts["kind"] == key]
        text = listed.nth(n).inner_text()
        assert text.startswith(vocabs.label("organisation-kinds", key, lang)), text
        expected = (count.format(n=len(of_kind)) if len(of_kind) > 1
                    else ui_text("lists.organisation_count.one", lang))
        assert f"({expected})" in text
    key = max(order, key=lambda k: len(index.organisation_kinds[k]))
    label = vocabs.label("organisation-kinds", key, lang)
    page.locator(".cb-organisation-kinds a", has_text=label).click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == PREFIX[lang] + f"organisation-kinds/{key}/"
    expected_names = sorted(fold(e.title(lang)) for e in kb.valid_organisations()
                            if e.facts["kind"] == key)
    names = page.locator(".cb-organisations tbody tr td:first-child").all_inner_texts()
    assert sorted(fold(n) for n in names) == expected_names
    # The page is that kind's: its table has no kind column (the index's has).
    heads = page.locator(".cb-organisations th").all_inner_texts()
    assert ui_text("lists.organisation_kind", lang) not in heads and len(heads) == 3
    assert page.locator("h1").inner_text().endswith(label)
    # Up to the index, then a kind in the table's kind column opens its page as well.
    page.locator(".cb-up a").click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == PREFIX[lang] + "organisations/"
    other = next(k for k in order if k != key)
    other_label = vocabs.label("organisation-kinds", other, lang)
    page.locator(".cb-organisations td a", has_text=other_label).first.click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == PREFIX[lang] + f"organisation-kinds/{other}/"
    assert page.locator(".cb-organisations tbody tr").count() == \
        len(index.organisation_kinds[other])
    page.context.close()


# --- narrow screens ------------------------------------------------------------------------


def page_types(index: SiteIndex) -> list[str]:
    """One page of every type (path below the language root)."""
    kinds = index.facets["kinds"]
    cases = [f"cases/{sorted(kinds[k])[0]}/" for k in sorted(kinds)]
    org = sorted(index.roles)[0]
    theme = sorted(index.facets["themes"])[0]
    year = sorted(index.years)[0]
    return ["", *cases, f"organisations/{org}/", "organisations/", "kinds/lab/",
            f"organisation-kinds/{sorted(index.organisation_kinds)[0]}/",
            f"themes/{theme.lower()}/", "themes/", f"years/{year}/", "cases/",
            "cases/sort/organisations/", "stats/", "data/", "contribute/", "404.html",
            "search/"]


OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const wide = [];
    for (const el of document.querySelectorAll('body *')) {
        const box = el.getBoundingClientRect();
        if (box.width && box.right > width + 1 && getComputedStyle(el).visibility !== 'hidden')
            wide.push(el.tagName.toLowerCase() + '.' + el.className);
    }
    // Nor does anything scroll sideways inside the page (a table in a scroll box).
    const scrolled = [...document.querySelectorAll('body *')].filter(el =>
        ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)
        && el.scrollWidth > el.clientWidth + 1).map(el => 'scrolls: ' + el.tagName.toLowerCase()
        + '.' + el.className);
    return {page: document.documentElement.scrollWidth, wide: wide.slice(0, 5), scrolled};
}"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_horizontal_scrolling_at_320_px(browser: Any, site_server: str, index: SiteIndex,
                                           lang: str) -> None:
    page = new_page(browser, width=320, height=640)
    problems = []
    for path in page_types(index):
        page.goto(site_server.rstrip("/") + PREFIX[lang] + path)
        page.wait_for_load_state("load")
        found = page.evaluate(OVERFLOW)
        if found["page"] > 320 or found["wide"] or found["scrolled"]:
            problems.append(f"{PREFIX[lang]}{path}: {found}")
    assert not problems, "\n".join(problems)
    page.context.close()


def test_overflow_check_sees_a_wide_element(browser: Any, site_server: str) -> None:
    """The check above finds what it looks for: a planted 400 px element."""
    page = new_page(browser, width=320, height=640)
    page.goto(site_server)
    page.evaluate("""() => { const d = document.createElement('div');
        d.style.width = '400px'; d.textContent = 'x';
        document.querySelector('article').append(d); }""")
    found = page.evaluate(OVERFLOW)
    assert found["page"] > 320 and found["wide"], found
    page.context.close()

