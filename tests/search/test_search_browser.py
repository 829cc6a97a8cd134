"""Search in headless Chromium against the built site served on localhost.

Expected results are computed here from the content itself (front-matter
facts), never from the search code under test.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from casebook.content.model import Entry, KnowledgeBase
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("search_browser")]

LINKS = "#casebook-search-list a.casebook-result__link"
COUNT = "#casebook-search-count"
MORE = "#casebook-search-more"


@pytest.fixture
def page(search_browser: Any, search_url: str, small_url: str) -> Iterator[Page]:
    """A fresh page; fails the test on a script error or a request to another host."""
    context = search_browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda r: foreign.append(r.url)
            if not r.url.startswith((search_url, small_url, "data:", "blob:")) else None)
    yield page
    context.close()
    assert not errors, errors
    assert not foreign, foreign


# --- helpers --------------------------------------------------------------------------


def _ready(page: Page) -> None:
    expect(page.locator("#casebook-search")).to_have_attribute("data-state", "ready")


def _open(page: Page, url: str) -> None:
    page.goto(url)
    _ready(page)


def _results(page: Page) -> list[str]:
    _ready(page)
    return [urlsplit(a.get_attribute("href") or "").path for a in page.locator(LINKS).all()]


def _all_results(page: Page) -> list[str]:
    """Every result, pressing "more" until it is gone."""
    _ready(page)
    more = page.locator(MORE)
    while more.is_visible():
        before = page.locator(LINKS).count()
        more.click()
        expect(page.locator(LINKS)).not_to_have_count(before)
    return _results(page)


def _total(page: Page) -> int:
    _ready(page)
    text = page.locator(COUNT).inner_text()
    found = re.search(r"\d+", text)
    return int(found.group(0)) if found else (1 if re.search(r"\b1\b|één", text) else 0)


def _box(page: Page, param: str, key: str) -> Any:
    """A filter's checkbox, its group unfolded first (a long group shows five values
    until "more" is pressed)."""
    more = page.locator(f'.casebook-facet[data-param="{param}"] '
                        '.casebook-facet__more[aria-expanded="false"]')
    if more.count() and more.is_visible():
        more.click()
    return page.locator(f"#casebook-filter-{param}-{key}")


def _count_of(page: Page, param: str, key: str) -> int:
    label = page.locator(f'label[for="casebook-filter-{param}-{key}"] .casebook-facet__count')
    return int(label.inner_text())


def _url(entry: Entry, prefix: str = "") -> str:
    return f"/{prefix}{entry.collection}/{entry.id}/"


def _entries(kb: KnowledgeBase) -> list[Entry]:
    return [*kb.valid_cases(), *kb.valid_organisations()]


def _kind(e: Entry) -> set[str]:
    return {str(e.facts["kind"])} if e.collection == "cases" else set()


def _countries(e: Entry) -> set[str]:
    if e.collection == "cases":
        return {str(c) for c in e.facts.get("countries") or []}
    return {str(e.facts["country"])}


def _themes(e: Entry) -> set[str]:
    return {str(t) for t in e.facts.get("themes") or []} if e.collection == "cases" else set()


def _matching(kb: KnowledgeBase, *tests: Callable[[Entry], bool]) -> list[str]:
    return sorted(_url(e) for e in _entries(kb) if all(t(e) for t in tests))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


# --- the query ------------------------------------------------------------------------


def test_dutch_word_on_the_dutch_site_via_the_header_box(page: Page, search_url: str) -> None:
    page.goto(f"{search_url}/cases/stadslab2050/")
    box = page.locator("form.casebook-header-search input[name=q]")
    box.fill("slager")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=slager$"))
    expect(page.locator(LINKS).first).to_have_attribute("href", re.compile(r"^/cases/sbir/$"))
    assert all(not url.startswith("/en/") for url in _results(page))
    expect(page.locator("#casebook-search-input")).to_have_value("slager")


def test_dutch_stemming_finds_inflected_forms(page: Page, search_url: str) -> None:
    _open(page, f"{search_url}/search/?q=slagers")
    expect(page.locator(LINKS).first).to_have_attribute("href", "/cases/sbir/")


def test_english_word_on_the_english_site(page: Page, search_url: str) -> None:
    _open(page, f"{search_url}/en/search/")
    page.locator("#casebook-search-input").fill("butcher")
    expect(page.locator(LINKS).first).to_have_attribute("href", "/en/cases/sbir/")
    expect(page).to_have_url(re.compile(r"/en/search/\?q=butcher$"))
    assert page.locator("html").get_attribute("lang") == "en"


def test_results_show_the_entry_and_an_excerpt_without_title_or_fact_box(
    page: Page, search_url: str, repo_kb: KnowledgeBase
) -> None:
    sbir = repo_kb.cases["sbir"]
    _open(page, f"{search_url}/search/?q=slager")
    result = page.locator("#casebook-search-list > li").first
    expect(result.locator("h3")).to_have_text(sbir.title("nl"))
    facts = result.locator(".casebook-result__facts").inner_text()
    assert "Goede praktijk" in facts and "Nederland" in facts and "2020" in facts
    organisation = repo_kb.organisations[sbir.facts["organisations"][0]["id"]]
    assert organisation.title("nl") in facts
    excerpt = result.locator(".casebook-result__excerpt")
    expect(excerpt.locator("mark").first).to_have_text(re.compile("slager", re.I))
    text = excerpt.inner_text()
    assert not text.startswith(sbir.title("nl")) and "Feiten" not in text and "¶" not in text
    # Browsing without a query: the excerpt is the summary.
    _open(page, f"{search_url}/search/?kind=practice")
    item = page.locator("#casebook-search-list > li").filter(
        has=page.locator('a[href="/cases/sbir/"]'))
    expect(item.locator(".casebook-result__excerpt")).to_have_text(
        " ".join(str(sbir.text("summary", "nl")).split()))


def test_the_index_holds_the_entry_text_without_fact_box(
    page: Page, search_url: str, repo_kb: KnowledgeBase
) -> None:
    _open(page, f"{search_url}/search/")
    content = page.evaluate("""async () => {
        const pf = await import('/pagefind/pagefind.js');
        const found = await pf.search('slager');
        return (await found.results[0].data()).content;
    }""")
    sbir = repo_kb.cases["sbir"]
    assert content.startswith(sbir.title("nl"))
    assert " ".join(str(sbir.text("summary", "nl")).split()) in content
    # Neither the fact box (its labels), the permalinks nor the related cases.
    for absent in ("Feiten", "Gecontroleerd op", "¶", "Verwante casussen"):
        assert absent not in content, absent


# --- facets ---------------------------------------------------------------------------


def test_or_within_a_facet_and_across_facets(
    page: Page, search_url: str, repo_kb: KnowledgeBase
) -> None:
    kinds = _matching(repo_kb, lambda e: bool(_kind(e) & {"lab", "challenge"}))
    _open(page, f"{search_url}/search/?kind=lab&kind=challenge")
    assert len(kinds) > max(len(_matching(repo_kb, lambda e: "lab" in _kind(e))),
                            len(_matching(repo_kb, lambda e: "challenge" in _kind(e))))
    assert _total(page) == len(kinds)
    assert sorted(_all_results(page)) == kinds

    countries = _matching(repo_kb, lambda e: bool(_countries(e) & {"BE", "NL"}))
    _open(page, f"{search_url}/search/?country=BE&country=NL")
    assert _total(page) == len(countries) and sorted(_all_results(page)) == countries

    both = _matching(repo_kb, lambda e: bool(_kind(e) & {"lab", "challenge"}),
                     lambda e: "BE" in _countries(e))
    assert 0 < len(both) < len(kinds)
    _open(page, f"{search_url}/search/?kind=lab&kind=challenge&country=BE")
    assert _total(page) == len(both) and sorted(_all_results(page)) == both


def test_counts_of_chosen_and_other_values_and_disabled_values(
    page: Page, search_url: str, repo_kb: KnowledgeBase
) -> None:
    _open(page, f"{search_url}/search/")
    _box(page, "kind", "lab").check()
    expect(page).to_have_url(re.compile(r"\?kind=lab$"))
    _ready(page)
    labs = [e for e in _entries(repo_kb) if "lab" in _kind(e)]
    # The chosen value shows its real count, the others of its facet what they add.
    for kind in ("lab", "challenge", "practice", "repository"):
        expected = len([e for e in _entries(repo_kb) if kind in _kind(e)])
        assert _count_of(page, "kind", kind) == expected, kind
    # Other facets count within the labs.
    themes = sorted({t for e in _entries(repo_kb) for t in _themes(e)})
    disabled = []
    for theme in themes:
        expected = len([e for e in labs if theme in _themes(e)])
        assert _count_of(page, "theme", theme) == expected, theme
        if expected:
            expect(_box(page, "theme", theme)).to_be_enabled()
        else:
            expect(_box(page, "theme", theme)).to_be_disabled()
            disabled.append(theme)
    assert disabled, "the content should have a theme no lab has"
    # A second value in the same facet stays available (OR), and adds its results.
    _box(page, "kind", "challenge").check()
    expect(page).to_have_url(re.compile(r"\?kind=lab&kind=challenge$"))
    _ready(page)
    assert _total(page) == len([e for e in _entries(repo_kb)
                                if _kind(e) & {"lab", "challenge"}])
    assert _count_of(page, "kind", "lab") == len(labs)
    # Choosing a theme narrows (AND across facets); a chosen value is never disabled.
    enabled_theme = next(t for t in themes if t not in disabled)
    _box(page, "theme", enabled_theme).check()
    _ready(page)
    assert _total(page) == len([e for e in _entries(repo_kb) if _kind(e) & {"lab", "challenge"}
                                and enabled_theme in _themes(e)])
    expect(_box(page, "theme", enabled_theme)).to_be_enabled()
    expect(_box(page, "theme", enabled_theme)).to_be_checked()


def test_organisations_filtered_by_their_kind(
    page: Page, search_url: str, repo_kb: KnowledgeBase, tmp_path: Path
) -> None:
    def org_kind(e: Entry) -> set[str]:
        return {str(e.facts["kind"])} if e.collection == "organisations" else set()

    _open(page, f"{search_url}/search/")
    group = page.locator('.casebook-facet[data-param="organisation-kind"]')
    expect(group.locator("legend")).to_contain_text("Soort organisatie")
    municipalities = _matching(repo_kb, lambda e: "municipality" in org_kind(e))
    assert municipalities and _count_of(page, "organisation-kind", "municipality") == \
        len(municipalities)
    _box(page, "organisation-kind", "municipality").check()
    expect(page).to_have_url(re.compile(r"\?organisation-kind=municipality$"))
    assert _total(page) == len(municipalities)
    assert sorted(_all_results(page)) == municipalities
    expect(page.locator(".casebook-search__chip")).to_contain_text(
        ["Soort organisatie: Gemeente"])
    # OR within the facet: networks too; AND with a country.
    _box(page, "organisation-kind", "network").check()
    _ready(page)
    both = _matching(repo_kb, lambda e: bool(org_kind(e) & {"municipality", "network"}))
    assert sorted(_all_results(page)) == both
    _box(page, "country", "BE").check()
    _ready(page)
    assert sorted(_all_results(page)) == _matching(
        repo_kb, lambda e: bool(org_kind(e) & {"municipality", "network"}),
        lambda e: "BE" in _countries(e))
    # In English, the same filter from the address, with English labels.
    _open(page, f"{search_url}/en/search/?organisation-kind=municipality")
    expect(page.locator(".casebook-search__chip")).to_contain_text(
        ["Organisation kind: Municipality"])
    assert _total(page) == len(municipalities)
    page.screenshot(path=str(tmp_path / "organisation-kind.png"))


def test_chips_remove_one_filter_and_clear_all_keeps_the_query(
    page: Page, search_url: str, repo_kb: KnowledgeBase
) -> None:
    _open(page, f"{search_url}/en/search/?q=innovation&kind=lab&country=NL&country=BE")
    chips = page.locator(".casebook-search__chip")
    expect(chips).to_have_count(3)
    expect(chips.nth(0)).to_contain_text("Kind: Innovation lab")
    expect(page.locator("#casebook-search-active")).to_have_text("3 active")
    chips.filter(has_text="Country: Netherlands").click()
    expect(page).to_have_url(re.compile(r"\?q=innovation&kind=lab&country=BE$"))
    expect(_box(page, "country", "NL")).not_to_be_checked()
    expect(chips).to_have_count(2)
    # Focus went to the chip that took its place, not to the top of the page.
    assert page.evaluate("document.activeElement.className") == "casebook-search__chip"
    page.locator("#casebook-search-clear").click()
    expect(page).to_have_url(re.compile(r"\?q=innovation$"))
    expect(page.locator("#casebook-search-chips")).to_be_hidden()
    expect(page.locator("#casebook-search-active")).to_be_hidden()
    expect(page.locator("#casebook-search-input")).to_have_value("innovation")
    assert page.locator(".casebook-facet input:checked").count() == 0
    # And back restores the filters one step at a time.
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?q=innovation&kind=lab&country=BE$"))
    expect(chips).to_have_count(2)


def test_groups_in_content_model_order_and_no_two_values_alike(
    page: Page, search_url: str
) -> None:
    orders = []
    for prefix in ("", "en/"):
        _open(page, f"{search_url}/{prefix}search/")
        orders.append([f.get_attribute("data-param")
                       for f in page.locator("fieldset.casebook-facet").all()])
        labels = [s.inner_text().strip().casefold()
                  for s in page.locator(".casebook-facet__label").all()]
        assert len(labels) == len(set(labels)), sorted(labels)
    assert orders[0] == orders[1] and orders[0][0] == "kind"


# --- sorting --------------------------------------------------------------------------


def _sorted_small(kb: KnowledgeBase, order: str, lang: str = "en") -> list[str]:
    entries = _entries(kb)
    by_title = sorted(entries, key=lambda e: _fold(e.title(lang)))

    def year(e: Entry) -> int | None:
        if e.collection != "cases":
            return None
        return int(str(e.facts["period"]["start"])[:4])

    if order == "title":
        ordered = by_title
    elif order == "start-desc":
        ordered = sorted(by_title, key=lambda e: (year(e) is None, -(year(e) or 0)))
    elif order == "start-asc":
        ordered = sorted(by_title, key=lambda e: (year(e) is None, year(e) or 0))
    else:
        ordered = sorted(by_title, key=lambda e: str(e.facts["reviewed"]), reverse=True)
    return [_url(e, "en/" if lang == "en" else "") for e in ordered]


@pytest.mark.parametrize("order", ["title", "start-desc", "start-asc", "reviewed"])
def test_each_sort_order(page: Page, small_url: str, small_kb: KnowledgeBase,
                         order: str) -> None:
    expected = _sorted_small(small_kb, order)
    _open(page, f"{small_url}/en/search/?page=3")
    if order != "title":  # the default without a query is by title
        page.select_option("#casebook-search-sort", order)
        expect(page).to_have_url(re.compile(rf"\?sort={order}$"))
    else:
        expect(page.locator("#casebook-search-sort")).to_have_value("title")
        expect(page).to_have_url(re.compile(r"/en/search/\?page=3$"))
    got = _all_results(page)
    assert got == expected
    # The order is in the URL: opening it again gives the same list.
    _open(page, page.url)
    expect(page.locator("#casebook-search-sort")).to_have_value(order)
    assert _all_results(page) == expected


def test_a_query_sorts_by_relevance_until_the_reader_chooses(
    page: Page, small_url: str, small_kb: KnowledgeBase
) -> None:
    _open(page, f"{small_url}/en/search/?sort=reviewed")
    relevance = page.locator('#casebook-search-sort option[value="relevance"]')
    expect(relevance).to_be_disabled()
    page.locator("#casebook-search-input").fill("traffic")
    expect(page).to_have_url(re.compile(r"\?q=traffic$"))
    expect(page.locator("#casebook-search-sort")).to_have_value("relevance")
    expect(relevance).to_be_enabled()
    page.select_option("#casebook-search-sort", "title")
    expect(page).to_have_url(re.compile(r"\?q=traffic&sort=title$"))
    _ready(page)
    assert _results(page) == [u for u in _sorted_small(small_kb, "title")
                              if u in set(_results(page))]


def test_an_index_in_shards_counts_and_finds_what_the_content_holds(
    page: Page, small_url: str, small_site: Path, small_kb: KnowledgeBase
) -> None:
    """The small site's index is split in shards: filters, counts and results over
    all of them are those of the content, and a query finds pages in every shard."""
    shards = json.loads((small_site / "en" / "pagefind" / "casebook-index.json").read_text())
    assert len(shards["shards"]) >= 2
    kinds = sorted({k for e in _entries(small_kb) for k in _kind(e)})
    chosen = kinds[:2]
    expected = sorted(_url(e, "en/") for e in _entries(small_kb) if _kind(e) & set(chosen))
    _open(page, f"{small_url}/en/search/?" + "&".join(f"kind={k}" for k in chosen))
    assert _total(page) == len(expected)
    assert sorted(_all_results(page)) == expected
    for kind in kinds:
        assert _count_of(page, "kind", kind) == len([e for e in _entries(small_kb)
                                                     if kind in _kind(e)]), kind
    _open(page, f"{small_url}/en/search/")
    assert _total(page) == len(_entries(small_kb))
    assert sorted(_all_results(page)) == sorted(_url(e, "en/") for e in _entries(small_kb))
    # The shards are searched in groups, each in a search worker of its own.
    assert len(shards["workers"]) == 2
    assert sorted(urlsplit(w.url).path for w in page.workers) == \
        ["/assets/casebook/casebook-search-worker.js"] * len(shards["workers"])


def test_without_its_workers_the_page_searches_the_shards_itself(
    page: Page, small_url: str, small_kb: KnowledgeBase
) -> None:
    """A browser that cannot start the search workers (here: their script does not
    load) searches on the page with Pagefind's own script: the same counts, results
    and orders."""
    page.route("**/casebook-search-worker.js", lambda route: route.abort())
    kinds = sorted({k for e in _entries(small_kb) for k in _kind(e)})
    chosen = kinds[:2]
    _open(page, f"{small_url}/en/search/?" + "&".join(f"kind={k}" for k in chosen) +
          "&sort=title")
    assert _results(page) == [u for u in _sorted_small(small_kb, "title")
                              if u in {_url(e, "en/") for e in _entries(small_kb)
                                       if _kind(e) & set(chosen)}]
    for kind in kinds:
        assert _count_of(page, "kind", kind) == len([e for e in _entries(small_kb)
                                                     if kind in _kind(e)]), kind
    assert not any(w.url.endswith("casebook-search-worker.js") for w in page.workers)


# --- the URL is the state -------------------------------------------------------------


def test_url_restores_the_view_and_back_and_forward_work(
    page: Page, search_url: str, search_browser: Any, repo_kb: KnowledgeBase
) -> None:
    labs = _matching(repo_kb, lambda e: "lab" in _kind(e))
    _open(page, f"{search_url}/search/")
    assert _total(page) == len(_entries(repo_kb))
    _box(page, "kind", "lab").check()
    expect(page).to_have_url(re.compile(r"\?kind=lab$"))
    assert sorted(_all_results(page)) == labs
    page.select_option("#casebook-search-sort", "start-desc")
    expect(page).to_have_url(re.compile(r"\?kind=lab&sort=start-desc$"))
    shared = page.url
    assert parse_qs(urlsplit(shared).query) == {"kind": ["lab"], "sort": ["start-desc"]}
    shown = _results(page)

    other = search_browser.new_page()
    try:
        _open(other, shared)
        assert _results(other) == shown
        expect(_box(other, "kind", "lab")).to_be_checked()
        expect(other.locator("#casebook-search-sort")).to_have_value("start-desc")
    finally:
        other.close()

    year = "2020"
    _box(page, "year", year).check()
    narrowed = _matching(repo_kb, lambda e: "lab" in _kind(e),
                         lambda e: str(e.facts.get("period", {}).get("start", ""))[:4] == year)
    expect(page.locator(LINKS)).to_have_count(len(narrowed))
    page.go_back()
    expect(page).to_have_url(shared)
    expect(page.locator(LINKS)).to_have_count(len(labs))
    expect(_box(page, "year", year)).not_to_be_checked()
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?kind=lab$"))
    expect(page.locator("#casebook-search-sort")).to_have_value("title")
    page.go_forward()
    expect(page).to_have_url(shared)
    expect(page.locator("#casebook-search-sort")).to_have_value("start-desc")


def test_language_switch_keeps_query_filters_and_sort(page: Page, search_url: str) -> None:
    _open(page, f"{search_url}/search/?q=innovatie&kind=lab&theme=participation")
    page.select_option("#casebook-search-sort", "title")
    expect(page).to_have_url(re.compile(r"sort=title"))
    switch = page.locator('a.md-select__link[hreflang="en"]')
    expect(switch).to_have_attribute(
        "href", "/en/search/?q=innovatie&kind=lab&theme=participation&sort=title")
    page.goto(search_url + switch.get_attribute("href"))
    _ready(page)
    expect(page.locator("#casebook-search-input")).to_have_value("innovatie")
    expect(_box(page, "kind", "lab")).to_be_checked()
    expect(_box(page, "theme", "participation")).to_be_checked()
    expect(page.locator(".casebook-search__chip").first).to_contain_text("Kind: Innovation lab")
    expect(page.locator("#casebook-search-sort")).to_have_value("title")
    back = page.locator('a.md-select__link[hreflang="nl"]')
    expect(back).to_have_attribute(
        "href", "/search/?q=innovatie&kind=lab&theme=participation&sort=title")


def test_results_come_a_page_at_a_time(page: Page, small_url: str) -> None:
    _open(page, f"{small_url}/en/search/")
    links = page.locator(LINKS)
    more = page.locator(MORE)
    expect(page.locator(COUNT)).to_have_text("6 results")
    expect(links).to_have_count(2)
    expect(more).to_have_text("Show more results")
    more.click()
    expect(links).to_have_count(4)
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    more.click()
    expect(links).to_have_count(6)
    expect(more).to_be_hidden()
    # The button went away: focus moved on to the first result it brought.
    assert page.evaluate("document.activeElement.getAttribute('href')") == \
        links.nth(4).get_attribute("href")
    # A new selection starts again at the first page.
    _box(page, "type", "case").check()
    expect(page.locator(COUNT)).to_have_text("3 results")
    expect(links).to_have_count(2)
    expect(more).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?type=case$"))


# --- phones ---------------------------------------------------------------------------


def test_phone_shows_the_first_result_on_the_first_screen(
    search_browser: Any, search_url: str
) -> None:
    context = search_browser.new_context(viewport={"width": 375, "height": 667},
                                         is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        _open(page, f"{search_url}/search/?kind=lab&country=BE")
        first = page.locator(LINKS).first
        box = first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 667, box
        # Filters are a closed panel that says how many are active.
        pane = page.locator("#casebook-search-filters")
        assert pane.evaluate("el => el.open") is False
        expect(pane.locator("summary")).to_contain_text("2 actief")
        pane.locator("summary").click()
        expect(_box(page, "kind", "lab")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("query", ["", "?q=innovatie&kind=lab&kind=challenge&country=BE"])
def test_no_horizontal_scroll_at_320_px(search_browser: Any, search_url: str,
                                        query: str) -> None:
    context = search_browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        _open(page, f"{search_url}/search/{query}")
        page.locator("#casebook-search-filters summary").click()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
    finally:
        context.close()


def test_without_script_only_the_open_data_note_shows(search_browser: Any,
                                                      search_url: str) -> None:
    context = search_browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{search_url}/search/?kind=lab")
        expect(page.locator("#casebook-search-input")).to_be_hidden()
        expect(page.locator(".casebook-facet").first).to_be_hidden()
        # (Playwright turns script off after parsing starts, so <noscript> stays text.)
        note = page.locator("#casebook-search noscript").inner_html()
        assert "Zoeken werkt met JavaScript" in note
        expect(page.locator("#open-data a").first).to_be_visible()
    finally:
        context.close()


def test_header_box_on_the_search_page_keeps_the_filters(page: Page, search_url: str) -> None:
    _open(page, f"{search_url}/search/?kind=practice")
    box = page.locator("form.casebook-header-search input[name=q]")
    box.fill("slager")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=slager&kind=practice$"))
    expect(page.locator("#casebook-search-input")).to_have_value("slager")
    expect(page.locator(LINKS).first).to_have_attribute("href", "/cases/sbir/")
    expect(_box(page, "kind", "practice")).to_be_checked()
