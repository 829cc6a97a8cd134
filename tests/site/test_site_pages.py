"""The real site, built once into a temporary folder: pages, labels, relations, overviews."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from casebook.content.model import KnowledgeBase
from casebook.content.uitext import ui_text
from casebook.content.vocab import LANGUAGES
from casebook.site.facets import BROWSE_FACETS, KINDS
from casebook.site.render import Renderer
from casebook.site.views import RECENT_CASES, SiteIndex, page_url
from sitehtml import (
    Resources,
    alternates,
    article,
    css_urls,
    fact_box,
    fragment,
    hrefs,
    is_external,
    page,
    plain,
    resolve,
)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("site_pages")]

PREFIX = {"nl": "/", "en": "/en/"}
#: Fact box fields shown through a vocabulary, per front-matter key.
VOCAB_FIELDS = {"kind": "kinds", "stage": "stages", "themes": "themes",
                "mechanisms": "mechanisms", "barriers": "barriers", "countries": "countries"}


def _keys(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def test_every_case_and_organisation_exists_in_both_languages(built_site: Path,
                                                               index: SiteIndex) -> None:
    assert index.cases and index.organisations
    for collection, entries in (("cases", index.cases), ("organisations", index.organisations)):
        for entry_id, entry in entries.items():
            for lang in LANGUAGES:
                text = page(built_site, f"{PREFIX[lang]}{collection}/{entry_id}/")
                assert f'<html lang="{lang}"' in text
                assert plain(fragment(text, r"<h1\b.*?</h1>")) == entry.title(lang)


def test_fact_box_shows_labels_in_the_page_language(built_site: Path, index: SiteIndex,
                                                    kb: KnowledgeBase) -> None:
    """Every structured value shows its label in the page language, never the other
    language's label, never the raw key."""
    vocabs = kb.vocabularies
    differing = 0
    for case_id, entry in index.cases.items():
        boxes_html = {lang: fact_box(page(built_site, f"{PREFIX[lang]}cases/{case_id}/"))
                      for lang in LANGUAGES}
        for lang, other in (("nl", "en"), ("en", "nl")):
            box = plain(boxes_html[lang])
            assert box.startswith(ui_text("facts.heading", lang))
            assert ui_text("facts.themes", lang) in box
            assert vocabs["stages"].label[lang] in box
            # Values only, leaving out free text (names, places, titles of sources).
            rows = dict(re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", boxes_html[lang], re.S))
            free = {ui_text(f"facts.{k}", lang) for k in ("organisations", "places", "links",
                                                           "sources", "uses")}
            values = " | ".join(plain(v) for k, v in rows.items() if plain(k) not in free)
            mine = [vocabs.label(v, t, lang) for k, v in VOCAB_FIELDS.items()
                    for t in _keys(entry.facts.get(k, []))]
            for key, vocabulary in VOCAB_FIELDS.items():
                for term in _keys(entry.facts.get(key, [])):
                    label = vocabs.label(vocabulary, term, lang)
                    theirs = vocabs.label(vocabulary, term, other)
                    assert label in box, (case_id, lang, term)
                    if not any(theirs in m for m in mine):
                        differing += 1
                        assert not re.search(rf"(?<!\w){re.escape(theirs)}(?!\w)", values), (
                            case_id, lang, theirs)
                    if "-" in term:  # a raw key never shows as text
                        assert not re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", box)
            for org in entry.facts["organisations"]:
                assert vocabs.label("roles", org["role"], lang).lower() in box
            assert str(entry.facts["reviewed"]) in box
    assert differing > 20  # the check above is not vacuous


def test_organisation_page_lists_its_cases_by_role(built_site: Path, index: SiteIndex,
                                                   kb: KnowledgeBase) -> None:
    for case_id, entry in index.cases.items():
        for org in entry.facts["organisations"]:
            for lang in LANGUAGES:
                url = f"{PREFIX[lang]}organisations/{org['id']}/"
                content = article(page(built_site, url))
                cases = content[content.index('id="cb-cases"'):]
                role = kb.vocabularies.label("roles", org["role"], lang)
                section = fragment(cases, rf'<h3 class="cb-role">{re.escape(role)}</h3>'
                                          r".*?</ul>")
                targets = {resolve(url, h) for h in hrefs(section)}
                assert f"{PREFIX[lang]}cases/{case_id}/" in targets


def test_related_cases_show_on_both_pages(built_site: Path, index: SiteIndex) -> None:
    pairs = [(a, b) for a, e in index.cases.items() for b in e.facts.get("related", [])]
    assert pairs, "the real content relates cases"
    for a, b in pairs:
        for x, y in ((a, b), (b, a)):
            for lang in LANGUAGES:
                url = f"{PREFIX[lang]}cases/{x}/"
                related = fragment(article(page(built_site, url)),
                                   r'<h2 id="cb-related">.*?</ul>')
                assert f"{PREFIX[lang]}cases/{y}/" in {resolve(url, h) for h in hrefs(related)}


def test_repository_lists_its_building_blocks(built_site: Path, index: SiteIndex,
                                              kb: KnowledgeBase) -> None:
    repositories = [e for e in index.cases.values() if e.facts["kind"] == "repository"]
    assert repositories
    for entry in repositories:
        for lang in LANGUAGES:
            content = article(page(built_site, f"{PREFIX[lang]}cases/{entry.id}/"))
            table = fragment(content, r'<div class="cb-blocks">.*?</table>')
            for block in entry.facts["building_blocks"]:
                row = plain(fragment(table, rf'<tr id="block-{re.escape(block["id"])}">.*?</tr>'))
                assert block["name"] in row
                assert kb.vocabularies.label("block-kinds", block["kind"], lang) in row


def test_every_generated_page_exists_in_both_languages(built_site: Path,
                                                       index: SiteIndex) -> None:
    pages = {lang: Renderer(index, lang).generated_pages() for lang in LANGUAGES}
    assert sorted(p.name for p in pages["nl"]) == sorted(p.name for p in pages["en"])
    names = {p.name for p in pages["nl"]}
    assert {"index", "organisations/index", *(f"kinds/{k}" for k in
                                               index.kb.vocabularies["kinds"].terms)} <= names
    for facet in BROWSE_FACETS:
        assert f"{facet.slug}/index" in names
        for key in index.facets[facet.slug]:
            assert f"{facet.slug}/{key.lower()}" in names
    for lang in LANGUAGES:
        for generated in pages[lang]:
            text = page(built_site, PREFIX[lang] + page_url(generated.name))
            assert f'<html lang="{lang}"' in text
            heading = plain(fragment(text, r"<h1\b.*?</h1>"))
            if generated.view == "all-cases":  # one heading; the title names the order
                assert heading == ui_text("all_cases.title", lang)
                assert plain(fragment(text, r"<title>.*?</title>")).startswith(
                    generated.title)
            else:
                assert heading == generated.title


def test_overviews_list_their_cases(built_site: Path, index: SiteIndex) -> None:
    for lang in LANGUAGES:
        for facet in (KINDS, *BROWSE_FACETS):
            folder = "kinds" if facet is KINDS else facet.slug
            for key, ids in index.facets[facet.slug].items():
                url = f"{PREFIX[lang]}{folder}/{key.lower()}/"
                table = fragment(article(page(built_site, url)), r"<table.*?</table>")
                listed = {resolve(url, h) for h in hrefs(table)
                          if "/cases/" in resolve(url, h)}
                assert listed == {f"{PREFIX[lang]}cases/{i}/" for i in ids}, url
        url = f"{PREFIX[lang]}organisations/"
        listed = {resolve(url, h) for h in hrefs(article(page(built_site, url)))}
        assert {f"{PREFIX[lang]}organisations/{o}/" for o in index.organisations} <= listed


def test_home_page_counts_per_kind_and_theme_and_new_cases_of_every_kind(
        built_site: Path, index: SiteIndex, kb: KnowledgeBase) -> None:
    reviewed = {i: str(e.facts["reviewed"]) for i, e in index.cases.items()}

    def start(i: str) -> tuple[int, int]:
        text = str(index.cases[i].facts["period"]["start"])
        year, _, mon = text.partition("-")
        return int(year), int(mon or 0)

    for lang in LANGUAGES:
        url = PREFIX[lang]
        content = article(page(built_site, url))
        # Search right there: a form that sends q to the search page.
        form = fragment(content, r'<form class="cb-home-search".*?</form>')
        assert re.search(r'action="search/"', form) and 'name="q"' in form
        kinds = fragment(content, r'<ul class="cb-kinds">.*?</ul>')
        for kind in kb.vocabularies["kinds"].terms:
            n = len(index.facets["kinds"].get(kind, []))
            label = kb.vocabularies.label("kinds", kind, lang)
            item = plain(fragment(kinds, rf"<li><a [^>]*>{re.escape(label)} .*?</li>"))
            assert re.search(rf"\({n} ", item), (lang, kind, item)
        themes = fragment(content, r'<ul class="cb-themes">.*?</ul>')
        assert len(hrefs(themes)) == len(index.facets["themes"])
        for key, ids in index.facets["themes"].items():
            label = kb.vocabularies.label("themes", key, lang)
            item = fragment(themes, rf"<li><a href=\"themes/{key.lower()}/\">"
                                    rf"{re.escape(label)} .*?</li>")
            assert re.search(rf"\({len(ids)} ", plain(item)), (lang, key, item)
        # Every kind: its newest cases and its most recently reviewed ones.
        for kind in kb.vocabularies["kinds"].terms:
            ids = index.facets["kinds"].get(kind, [])
            card = fragment(content, rf'<section class="cb-kind-card" data-kind="{kind}".*?'
                                     r"</section>")
            lists = {name: [resolve(url, h).split("/")[-2] for h in hrefs(
                fragment(card, rf'<ul class="cb-{name}">.*?</ul>'))] if f"cb-{name}" in card
                else [] for name in ("newest", "reviewed")}
            assert len(lists["reviewed"]) == min(RECENT_CASES, len(ids)), (lang, kind)
            dates = [reviewed[i] for i in lists["reviewed"]]
            assert dates == sorted(dates, reverse=True)
            assert all(reviewed[i] <= dates[-1] for i in ids if i not in lists["reviewed"])
            starts = [start(i) for i in lists["newest"]]
            assert len(starts) == min(RECENT_CASES, len(ids)) and starts == sorted(
                starts, reverse=True), (lang, kind)
            assert all(start(i) <= starts[-1] for i in ids if i not in lists["newest"])
        assert f"{url}contribute/" in {resolve(url, h) for h in hrefs(content)}


def test_alternates_and_language_switcher_point_at_the_same_page(built_site: Path) -> None:
    pages = sorted(p for p in built_site.rglob("index.html")
                   if "pagefind" not in p.parts and "assets" not in p.parts)
    assert len(pages) > 50
    for path in pages:
        rel = path.parent.relative_to(built_site).as_posix()
        url = "/" if rel == "." else f"/{rel}/"
        lang = "en" if url.startswith("/en/") else "nl"
        neutral = url[len(PREFIX[lang]) - 1:]
        expected = {other: PREFIX[other] + neutral[1:] for other in LANGUAGES}
        text = path.read_text(encoding="utf-8")
        links = alternates(text)
        assert set(links) == set(LANGUAGES), url
        assert {k: resolve(url, v) for k, v in links.items()} == expected, url
        switcher = fragment(text, r'<ul class="md-select__list">.*?</ul>')
        targets = dict(re.findall(r'<a href="([^"]*)" hreflang="([^"]*)"', switcher))
        assert {lang: resolve(url, href) for href, lang in targets.items()} == expected, url


def test_cases_are_not_in_the_navigation(built_site: Path, index: SiteIndex) -> None:
    """No case page is in the navigation; the page of all cases is, first under Cases."""
    for lang in LANGUAGES:
        url = f"{PREFIX[lang]}cases/{next(iter(index.cases))}/"
        nav = fragment(page(built_site, url), r'<nav class="md-nav md-nav--primary".*?</nav>\s*'
                                               r"</div>\s*</div>\s*</div>")
        targets = [resolve(url, h) for h in hrefs(nav)]
        assert [t for t in targets if "/cases/" in t] == [f"{PREFIX[lang]}cases/"]
        section = fragment(nav, rf">\s*{re.escape(ui_text('nav.cases', lang))}\s*<.*?</ul>")
        first = next(resolve(url, h) for h in hrefs(section))
        assert first == f"{PREFIX[lang]}cases/", section
        assert ui_text("all_cases.title", lang) in plain(section)
        assert f"{PREFIX[lang]}organisations/" in targets
        assert f"{PREFIX[lang]}contribute/" in targets
        assert ui_text("nav.cases", lang) in plain(nav)


def test_no_resource_from_another_host(built_site: Path) -> None:
    pages = list(built_site.rglob("*.html"))
    assert pages
    for path in pages:
        parser = Resources()
        parser.feed(path.read_text(encoding="utf-8"))
        external = [u for u in parser.urls if is_external(u)]
        assert not external, (path, external)
    for path in built_site.rglob("*.css"):
        external = [u for u in css_urls(path.read_text(encoding="utf-8")) if is_external(u)]
        assert not external, (path, external)
    text = page(built_site, "/")
    assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_not_found_page_in_each_language(built_site: Path) -> None:
    for lang in LANGUAGES:
        text = (built_site / PREFIX[lang].lstrip("/") / "404.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in text
        assert plain(fragment(text, r"<h1\b.*?</h1>")) == ui_text("not_found.title", lang)
