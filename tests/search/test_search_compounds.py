"""Compound words in search: a part of a compound finds it, below the word itself.

The splitter is checked on words a reader would type (from its word list, not a
list in code); the built site is searched in headless Chromium the way a reader
does (typing in the Dutch search field); ``bench/compounds.py`` measures recall,
precision and order on the query set of ``bench/compound-queries.yaml`` and the
test holds it to the figures the README reports.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from casebook.content.model import KnowledgeBase
from casebook.site import compounds
from casebook.site.search import indexed_part
from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
LINKS = "#casebook-search-list a.casebook-result__link"
_WORD = re.compile(r"[^\W\d_]+")


@pytest.mark.parametrize(("lang", "word", "parts"), [
    ("nl", "stadslab", ("stad", "lab")),
    ("nl", "innovatielab", ("innovatie", "lab")),
    ("nl", "participatieplatform", ("participatie", "platform")),
    ("nl", "datagedreven", ("data", "gedreven")),
    ("nl", "inkoopstrategie", ("inkoop", "strategie")),
    ("nl", "Persoonsgegevens", ("persoon", "gegevens")),
    ("en", "crowdsourcing", ("crowd", "sourcing")),
    ("en", "stakeholders", ("stake", "holders")),
])
def test_a_compound_splits_into_its_words(lang: str, word: str, parts: tuple[str, ...]) -> None:
    assert compounds.splitter(lang).split(word) == parts


@pytest.mark.parametrize(("lang", "word"), [
    ("nl", "verkeer"),        # lexicalised: more common than "ver" and "keer" together
    ("nl", "overheid"),       # "-heid" is an ending
    ("nl", "tekenden"),       # "-den" is an ending
    ("nl", "onderhoud"),      # "onder-" is a prefix
    ("nl", "lab"),            # too short to hold two words
    ("en", "processing"),     # "-ing"
    ("en", "without"),        # lexicalised
])
def test_other_words_stay_whole(lang: str, word: str) -> None:
    assert compounds.splitter(lang).split(word) == ()


def test_the_parts_are_hidden_low_weight_text_at_the_end_of_the_indexed_part() -> None:
    page = ('<html><body><article class="md-content__inner" data-pagefind-body>'
            "<h1>Stadslab</h1><p>Een innovatielab en een lab.</p></article></body></html>")
    part = indexed_part(page, "nl")
    extra = part[part.index("<p hidden"):part.index("</article>")]
    assert "data-pagefind-weight=\"0.1\"" in extra
    # "lab" is on the page as a word already: only "stad" and "innovatie" are added.
    assert re.sub(r"<[^>]+>", "", extra) == "stad innovatie"
    assert 'data-pagefind-meta="parts:2"' in part
    assert indexed_part(page) == indexed_part(page, "xx")  # no rules: nothing added
    assert "<p hidden" not in indexed_part(page)


# --- in the browser -------------------------------------------------------------------


def _words(entry: Any, lang: str) -> set[str]:
    text = " ".join([entry.title(lang), str(entry.text("summary", lang) or ""),
                     entry.body(lang)])
    return {w.casefold() for w in _WORD.findall(text)}


@pytest.fixture
def page(search_browser: Any, search_url: str) -> Iterator[Page]:
    context = search_browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.xdist_group("search_compounds")
def test_lab_in_the_dutch_search_finds_the_innovation_labs_exact_matches_first(
    page: Page, search_url: str, repo_kb: KnowledgeBase, tmp_path: Path
) -> None:
    entries = {f"/{e.collection}/{e.id}/": e
               for e in [*repo_kb.valid_cases(), *repo_kb.valid_organisations()]}
    words = {url: _words(e, "nl") for url, e in entries.items()}
    # Pages with the word itself (a longer word that starts with it, "laboratorium",
    # is a prefix match, which Pagefind ranks by its own rules).
    exact = {u for u, w in words.items() if w & {"lab", "labs"}}
    labs = {u for u, w in words.items()
            if u not in exact and w & {"stadslab", "innovatielab", "innovatielabs", "citylab"}}
    assert labs, "the knowledge base has Dutch pages with an innovation lab"

    page.goto(f"{search_url}/search/")
    expect(page.locator("#casebook-search")).to_have_attribute("data-state", "ready")
    field = page.locator("#casebook-search-input")
    field.click()
    field.press_sequentially("lab", delay=30)
    expect(page).to_have_url(re.compile(r"/search/\?q=lab$"))
    expect(page.locator("#casebook-search-list")).to_have_attribute("data-query", "lab")
    # The first results are drawn before the rest of the first page: wait for all of it.
    expect(page.locator("#casebook-search")).to_have_attribute("data-state", "ready")
    more = page.locator("#casebook-search-more")
    total = int(re.sub(r"\D", "", page.locator("#casebook-search-count").inner_text()))
    while page.locator(LINKS).count() < total:  # every result drawn, none pending
        before = page.locator(LINKS).count()
        expect(more).to_be_visible()
        more.click()
        expect(page.locator(LINKS)).not_to_have_count(before)
    found = [urlsplit(a.get_attribute("href") or "").path for a in page.locator(LINKS).all()]
    assert labs <= set(found), labs - set(found)
    ranks = {u: n for n, u in enumerate(found)}
    # Exact matches lead, and nearly every one ranks above every compound-only page. Not
    # all: Pagefind scores a long page that says "lab" once below a short page whose
    # compound parts carry a tenth of the weight (issue 19 keeps this open).
    assert found[0] in exact, found
    pairs = [(e, c) for e in exact & set(found) for c in labs]
    in_order = sum(ranks[e] < ranks[c] for e, c in pairs) / len(pairs)
    assert in_order >= 0.8, (in_order, found)
    # The excerpt marks the compound, never shows the hidden parts.
    stadslab = page.locator("#casebook-search-list > li").filter(
        has=page.locator('a[href="/cases/stadslab2050/"]'))
    marks = [m.casefold() for m in stadslab.locator("mark").all_inner_texts()]
    assert marks and all("lab" in m for m in marks), marks
    page.screenshot(path=str(tmp_path / "search-lab-nl.png"), full_page=True)


@pytest.mark.slow
@pytest.mark.xdist_group("search_compounds")
def test_the_benchmark_measures_more_recall_and_no_less_precision(
    search_site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "compounds.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "compounds.py"), "--site", str(search_site),
         "--json", str(out)], capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads(out.read_text(encoding="utf-8"))
    for lang in ("nl", "en"):
        without, with_ = results["without"][lang], results["with"][lang]
        assert with_["recall"] > without["recall"]
        assert with_["precision"] >= without["precision"] - 0.05  # README: English -3.7
        assert with_["index_bytes"] < 1.15 * without["index_bytes"]
    assert results["with"]["nl"]["recall"] >= 0.95
    assert results["with"]["nl"]["queries"]["lab"]["hits"] == \
        results["with"]["nl"]["queries"]["lab"]["relevant"]
    assert "recall" in proc.stdout
