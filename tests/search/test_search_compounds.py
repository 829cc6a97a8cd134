"""Compound words in search: a part of a compound finds it, below the word itself.

The splitter is checked on words a reader would type (from its word list, not a
list in code); the built site is searched in headless Chromium the way a reader
does (typing in the Dutch search field); ``bench/compounds.py`` measures recall,
precision and order on the query set of ``bench/compound-queries.yaml`` and the
test holds it to the figures the README reports.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from casebook.content.model import KnowledgeBase
from casebook.site import compounds, pagefind_index, search
from casebook.site.search import index_words, indexed_part
from playwright.sync_api import Page, expect
from sitebuild import served

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


def test_suggestions_read_the_same_text_as_the_compound_splitter() -> None:
    """One reading of a page's indexed text: the spelling suggestions' words leave out
    what Pagefind leaves out (ignored elements, scripts), as the splitter does."""
    page = ('<article data-pagefind-body><h1>Stadslab</h1><div data-pagefind-ignore>'
            '<span>Feitenkader</span></div><script>var geheim</script><p>Gewone tekst</p>'
            '</article>')
    assert index_words(page) == {"stadslab", "gewone", "tekst"}
    assert set(re.findall(r"\w+", compounds.text_of(page).casefold())) == index_words(page)


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


def _own_words(bundle: Path) -> dict[str, set[str]]:
    """URL → the words of the page's own text in a Pagefind bundle (its fragments, the
    compound parts at the end left out), split where Pagefind splits: at every
    character that is not a letter and where a capital follows a small letter."""
    pages = {}
    for path in bundle.rglob("fragment/*.pf_fragment"):
        data = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8")
                          .removeprefix("pagefind_dcd"))
        words = data["content"].split()
        words = words[:len(words) - int(data["meta"].get("parts", 0))]
        text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", " ".join(words))
        pages[data["url"]] = {w.casefold() for w in _WORD.findall(text)}
    return pages


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
    page: Page, search_url: str, search_site: Path, repo_kb: KnowledgeBase, tmp_path: Path
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
    assert found[0] in exact, found
    # Every page whose own text has a word starting with "lab" (as Pagefind reads it:
    # "CityLab010" holds "Lab") ranks above every page that has it only inside a
    # compound: the search page puts a match in the hidden parts in a tier below.
    own = _own_words(search_site / "pagefind")
    matching = {u for u, w in own.items() if any(x.startswith("lab") for x in w)}
    assert exact & set(found) <= matching
    late = [(m, c) for m in matching & set(found) for c in set(found) - matching
            if ranks[m] > ranks[c]]
    assert not late, late
    assert labs - matching, "some pages have lab only inside a compound"
    # The excerpt marks the compound, never shows the hidden parts.
    stadslab = page.locator("#casebook-search-list > li").filter(
        has=page.locator('a[href="/cases/stadslab2050/"]'))
    marks = [m.casefold() for m in stadslab.locator("mark").all_inner_texts()]
    assert marks and all("lab" in m for m in marks), marks
    page.screenshot(path=str(tmp_path / "search-lab-nl.png"), full_page=True)


def _plain_page(title: str, text: str) -> str:
    return ('<html lang="nl"><body><article class="md-content__inner">'
            f"<h1>{title}</h1><p>{text}</p></article></body></html>")


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.xdist_group("search_compounds")
def test_a_compound_only_page_ranks_below_a_long_page_with_the_word(
    page: Page, search_site: Path, tmp_path: Path
) -> None:
    """Pagefind alone scores a short page whose only "lab" is a hidden compound part
    above a long page that says "lab" once; the search page ranks every match in a
    page's own words first, across shards and search workers."""
    site = tmp_path / "site"
    site.mkdir()
    for folder in ("search", "assets"):  # the real search page and its scripts
        shutil.copytree(search_site / folder, site / folder)
    filler = " ".join(f"alinea {n} over bestuur en beleid in de gemeente." for n in range(300))
    pages = {"lang-verslag": ("Lang verslag", f"{filler} Er is ook een lab. {filler}")}
    for n in range(5):
        pages[f"stadslab-{n}"] = (f"Stadslab {n}", "Het stadslab werkt met de buurt.")
    for slug, (title, text) in pages.items():
        folder = site / "cases" / slug
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(
            search.annotate_page(_plain_page(title, text), ""), "utf-8")
    pagefind_index.index_site(site, languages=("nl",), pages_per_shard=2)
    with served(site) as url:
        page.goto(f"{url.rstrip('/')}/search/")
        expect(page.locator("#casebook-search")).to_have_attribute("data-state", "ready")
        field = page.locator("#casebook-search-input")
        field.click()
        field.press_sequentially("lab", delay=30)
        expect(page.locator("#casebook-search-list")).to_have_attribute("data-query", "lab")
        expect(page.locator("#casebook-search")).to_have_attribute("data-state", "ready")
        expect(page.locator(LINKS)).to_have_count(len(pages))
        found = [urlsplit(a.get_attribute("href") or "").path
                 for a in page.locator(LINKS).all()]
    assert found[0] == "/cases/lang-verslag/", found
    assert sorted(found[1:]) == [f"/cases/stadslab-{n}/" for n in range(5)]


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
        assert with_["precision"] >= without["precision"] - 0.05  # README: English -3.8
        assert with_["order"] >= without["order"]  # the parts never push a page down
        assert with_["index_bytes"] < 1.15 * without["index_bytes"]
    assert results["with"]["nl"]["recall"] >= 0.95
    assert results["with"]["nl"]["queries"]["lab"]["hits"] == \
        results["with"]["nl"]["queries"]["lab"]["relevant"]
    assert "recall" in proc.stdout
