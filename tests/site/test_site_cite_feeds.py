"""Beyond the peers, on the built real site: related cases with the reason, "cite
this case" (reference, BibTeX, CSL-JSON) and an Atom feed per kind, theme and
organisation, linked from its page.

Expectations come from the content (front-matter facts), not from the code under test.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
from casebook.content.model import KnowledgeBase
from casebook.content.uitext import ui_text
from casebook.content.vocab import LANGUAGES
from casebook.opendata import exports
from casebook.site import cite
from casebook.site.compounds import text_of
from casebook.site.search import indexed_part
from casebook.site.views import SiteIndex
from playwright.sync_api import expect
from sitehtml import article, fragment, hrefs, page, plain, resolve

pytestmark = [pytest.mark.xdist_group("site_cite_feeds")]

ATOM = "{http://www.w3.org/2005/Atom}"
PREFIX = {"nl": "/", "en": "/en/"}


def _recent(kb: KnowledgeBase, ids: set[str]) -> list[str]:
    """The ids a feed of these cases lists: newest review first, ties by id, at most 20."""
    chosen = sorted(ids)
    chosen.sort(key=lambda i: str(kb.cases[i].facts["reviewed"]), reverse=True)
    return chosen[:exports.FEED_SIZE]


def _topics(kb: KnowledgeBase) -> dict[str, set[str]]:
    """Every page that should have a feed (neutral path) and its cases."""
    out: dict[str, set[str]] = {}
    for case in kb.valid_cases():
        facts = case.facts
        out.setdefault(f"kinds/{facts['kind']}", set()).add(case.id)
        for theme in facts.get("themes") or []:
            out.setdefault(f"themes/{theme}", set()).add(case.id)
        for org in facts.get("organisations") or []:
            out.setdefault(f"organisations/{org['id']}", set()).add(case.id)
    return out


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_kind_theme_and_organisation_has_a_valid_atom_feed_of_its_cases(
        built_site: Path, kb: KnowledgeBase, lang: str) -> None:
    topics = _topics(kb)
    assert any(t.startswith("organisations/") for t in topics)
    for name, ids in topics.items():
        url = f"{PREFIX[lang]}{name}/"
        feed_path = built_site / url.lstrip("/") / "feed.xml"
        root = ET.fromstring(feed_path.read_bytes())  # well-formed XML
        assert root.tag == f"{ATOM}feed" and root.get(
            "{http://www.w3.org/XML/1998/namespace}lang") == lang
        for required in ("id", "title", "updated"):
            assert (root.findtext(f"{ATOM}{required}") or "").strip(), (name, required)
        assert root.find(f"{ATOM}author/{ATOM}name") is not None
        links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
        assert links == {"self": f"{url}feed.xml", "alternate": url}
        listed = [e.findtext(f"{ATOM}id", "").rsplit(":", 1)[-1]
                  for e in root.findall(f"{ATOM}entry")]
        assert listed == _recent(kb, ids), name
        for entry in root.findall(f"{ATOM}entry"):
            for required in ("id", "title", "updated"):
                assert entry.findtext(f"{ATOM}{required}"), (name, required)
            href = entry.find(f"{ATOM}link").get("href")
            assert href.startswith(f"{PREFIX[lang]}cases/")
        # The page links its feed: in its head (for feed readers) and visibly.
        html = page(built_site, url)
        alternates = re.findall(
            r'<link rel="alternate" type="application/atom\+xml" title="([^"]*)" '
            r'href="([^"]*)">', html)
        assert (alternates[0][1] and resolve(url, alternates[0][1]) == f"{url}feed.xml"), name
        visible = fragment(article(html), r'<p class="cb-feed">.*?</p>')
        assert [resolve(url, h) for h in hrefs(visible)] == [f"{url}feed.xml"]


def test_feeds_and_citations_use_absolute_addresses_with_a_site_url(kb: KnowledgeBase) -> None:
    case = kb.cases["sbir"]
    feed = ET.fromstring(exports.topic_feed(kb, "en", [case], "themes/procurement", "T",
                                            "https://example.org/casebook/"))
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"] == "https://example.org/casebook/en/themes/procurement/feed.xml"
    entry_link = feed.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert entry_link == "https://example.org/casebook/en/cases/sbir/"
    assert cite.case_url(case, "nl", "https://example.org/casebook") == \
        "https://example.org/casebook/cases/sbir/"


def test_related_cases_come_with_the_reason_named_ones_first(
        built_site: Path, index: SiteIndex, kb: KnowledgeBase) -> None:
    shown = 0
    for case_id, entry in index.cases.items():
        named = set(entry.facts.get("related") or []) | {
            o for o, e in index.cases.items() if case_id in (e.facts.get("related") or [])}
        for lang in LANGUAGES:
            url = f"{PREFIX[lang]}cases/{case_id}/"
            content = article(page(built_site, url))
            if 'id="cb-related"' not in content:
                assert not named
                continue
            items = re.findall(r"<li>(.*?)</li>", fragment(
                content, r'<ul class="cb-related">.*?</ul>'), re.S)
            ids = [resolve(url, hrefs(i)[0]).split("/")[-2] for i in items]
            assert set(ids[:len(named)]) == named, (case_id, ids)
            for other, item in zip(ids, items, strict=True):
                reason = plain(item)
                facts = index.cases[other].facts
                shared = {kb.vocabularies.label(v, k, lang)
                          for field, v in (("themes", "themes"), ("mechanisms", "mechanisms"),
                                           ("barriers", "barriers"))
                          for k in set(facts.get(field) or []) & set(entry.facts.get(field)
                                                                     or [])}
                for label in shared:
                    assert label in reason, (case_id, other, reason)
                word = "deelt:" if lang == "nl" else "shares:"
                assert other in named or word in reason, (case_id, other, reason)
                shown += 1
    assert shown > len(index.cases)


def test_citation_files_parse_and_name_the_case(built_site: Path, kb: KnowledgeBase) -> None:
    for case in kb.valid_cases():
        for lang in LANGUAGES:
            folder = built_site / PREFIX[lang].lstrip("/") / "cases" / case.id
            library = bibtexparser.parse_string(
                (folder / "cite.bib").read_text(encoding="utf-8"))
            assert not library.failed_blocks, case.id
            (bib,) = library.entries
            assert bib.entry_type == "online" and bib.key == f"casebook:{case.id}"
            fields = {f.key: f.value for f in bib.fields}
            assert fields["url"] == f"{PREFIX[lang]}cases/{case.id}/"
            assert fields["urldate"] == str(case.facts["reviewed"])
            (item,) = json.loads((folder / "cite.json").read_text(encoding="utf-8"))
            assert item["title"] == case.title(lang) and item["type"] == "webpage"
            assert item["URL"] == fields["url"] and item["container-title"] == "Casebook"
            year, month, day = (int(p) for p in str(case.facts["reviewed"]).split("-"))
            assert item["issued"] == {"date-parts": [[year, month, day]]}
            names = [kb.organisations[o["id"]].title(lang) for o in case.facts["organisations"]]
            assert [a["literal"] for a in item["author"]] == list(dict.fromkeys(names))


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_clicking_cite_shows_the_reference_and_the_files_download(
        browser: Any, site_server: str, kb: KnowledgeBase, lang: str, tmp_path: Path) -> None:
    case = kb.cases["stadslab2050"]
    context = browser.new_context(accept_downloads=True)
    tab = context.new_page()
    tab.goto(f"{site_server.rstrip('/')}{PREFIX[lang]}cases/{case.id}/")
    reference = tab.locator(".cb-cite__reference")
    expect(reference).to_be_hidden()
    summary = tab.locator("#cb-cite summary")
    expect(summary).to_have_text(ui_text("cite.show", lang))
    summary.click()
    expect(reference).to_be_visible()
    text = reference.inner_text()
    organisation = kb.organisations[case.facts["organisations"][0]["id"]].title(lang)
    for part in (case.title(lang), organisation, "Casebook", f"/cases/{case.id}/",
                 str(case.facts["reviewed"])):
        assert part in text, (part, text)
    tab.screenshot(path=str(tmp_path / f"cite-{lang}.png"))
    with tab.expect_download() as download:
        tab.get_by_role("link", name="BibTeX").click()
    saved = tmp_path / "cite.bib"
    download.value.save_as(saved)
    assert bibtexparser.parse_string(saved.read_text(encoding="utf-8")).entries
    # Closing it again with the keyboard.
    summary.focus()
    summary.press("Enter")
    expect(reference).to_be_hidden()
    context.close()


def test_feed_links_related_cases_and_citations_stay_out_of_the_search_index(
        built_site: Path) -> None:
    for lang in LANGUAGES:
        for url in (f"{PREFIX[lang]}organisations/stad-antwerpen/",
                    f"{PREFIX[lang]}cases/stadslab2050/"):
            html = page(built_site, url)
            indexed = text_of(indexed_part(html))
            assert "cb-feed" in html or "cb-cite" in html
            for key in ("feeds.link", "cite.show", "cite.intro", "relations.related"):
                assert ui_text(key, lang) not in indexed, (url, key)
