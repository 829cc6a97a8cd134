"""Search core: facets, page annotation and Pagefind indexing of a tiny site."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from casebook import search
from casebook.model import KnowledgeBase


def test_facet_filters_use_labels_of_the_page_language(small_kb: KnowledgeBase) -> None:
    lab = small_kb.cases["fietsstraat-lab"]
    nl = search.facet_filters(lab, small_kb.vocabularies, "nl")
    en = search.facet_filters(lab, small_kb.vocabularies, "en")
    assert nl["Soort"] == ["Innovatielab"] and en["Kind"] == ["Innovation lab"]
    assert nl["Thema"] == ["Mobiliteit", "Participatie"]
    assert nl["Land"] == ["België"] and en["Country"] == ["Belgium"]
    assert nl["Startjaar"] == ["2019"] and en["Start year"] == ["2019"]
    assert nl["Inhoud"] == ["Casus"]
    org = search.facet_filters(small_kb.organisations["stad-gent"], small_kb.vocabularies, "en")
    assert org == {"Content": ["Organisation"], "Country": ["Belgium"]}


def test_facet_config_lists_values_in_use(small_kb: KnowledgeBase) -> None:
    config = {f["param"]: f for f in search.facet_config(small_kb, "en")}
    assert list(config) == ["type", "kind", "theme", "mechanism", "country", "stage", "year"]
    assert config["kind"]["values"] == {"challenge": "Challenge", "lab": "Innovation lab",
                                        "practice": "Good practice"}
    assert config["year"]["values"] == {"2017": "2017", "2019": "2019", "2021": "2021"}
    assert config["theme"]["name"] == "Theme"


def test_annotate_page_marks_only_the_content(small_kb: KnowledgeBase) -> None:
    page = ('<html><body><nav>Menu</nav><article class="md-content__inner md-typeset">'
            "<h1>T</h1></article><footer>f</footer></body></html>")
    markup = search.entry_markup(small_kb.cases["fietsstraat-lab"], small_kb.vocabularies, "nl")
    out = search.annotate_page(page, markup)
    assert out.count("data-pagefind-body") == 1
    assert '<article class="md-content__inner md-typeset" data-pagefind-body>' in out
    assert 'data-pagefind-filter="Thema:Mobiliteit"' in out
    assert 'data-pagefind-meta="title:Fietsstraatlab in Gent"' in out
    assert search.annotate_page("<p>no article</p>", markup) == "<p>no article</p>"


def _page(lang: str, title: str, text: str) -> str:
    return (f'<html lang="{lang}"><body><nav>navigatie chrome</nav>'
            f'<article class="md-content__inner">'
            f"<h1>{title}</h1><p>{text}</p></article></body></html>")


def _fragments(folder: Path) -> list[dict]:
    out = []
    for f in sorted((folder / "fragment").iterdir()):
        raw = gzip.decompress(f.read_bytes()).decode("utf-8")
        out.append(json.loads(raw.removeprefix("pagefind_dcd")))
    return out


def test_index_site_builds_one_index_per_language(small_kb: KnowledgeBase, tmp_path: Path) -> None:
    vocabs = small_kb.vocabularies
    for lang in ("nl", "en"):
        prefix = "" if lang == "nl" else "en/"
        for entry in [*small_kb.valid_cases(), *small_kb.valid_organisations()]:
            folder = tmp_path / f"{prefix}{entry.collection}" / entry.id
            folder.mkdir(parents=True)
            html = _page(lang, entry.title(lang), entry.body(lang))
            folder.joinpath("index.html").write_text(
                search.annotate_page(html, search.entry_markup(entry, vocabs, lang)), "utf-8")
        # A page outside cases/ and organisations/ is never indexed.
        (tmp_path / prefix / "about").mkdir(parents=True, exist_ok=True)
        (tmp_path / prefix / "about" / "index.html").write_text(
            _page(lang, "Over", "zebrapaden"), "utf-8")
    report = search.index_site(tmp_path)
    assert [i.lang for i in report.languages] == ["nl", "en"]
    assert [i.pages for i in report.languages] == [6, 6]
    assert all(i.bytes > i.data_bytes > 0 for i in report.languages)
    assert (tmp_path / "pagefind" / "pagefind.js").is_file()
    assert (tmp_path / "en" / "pagefind" / "pagefind-component-ui.js").is_file()
    entry = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["nl"]
    en = _fragments(tmp_path / "en" / "pagefind")
    # URLs are relative to the language folder: Pagefind's script prefixes the
    # folder its bundle is served from (/en/).
    urls = sorted(f["url"] for f in en)
    assert urls[0] == "/cases/energy-challenge/" and "/about/" not in urls
    assert "/en/cases/energy-challenge/" not in urls
    lab = next(f for f in en if f["url"] == "/cases/fietsstraat-lab/")
    assert lab["filters"]["Kind"] == ["Innovation lab"]
    assert "navigatie" not in lab["content"]
    assert lab["meta"]["title"] == "Cycle street lab in Ghent"


@pytest.mark.xdist_group("site")
def test_sending_only_the_indexed_part_gives_the_same_index(search_site: Path,
                                                             tmp_path: Path) -> None:
    """Pagefind gets the data-pagefind-body element, not the whole page: same bundle."""
    pages = sorted((search_site / "en" / "cases").glob("*/index.html"))
    assert pages
    bundles = []
    service = search.PagefindService()
    try:
        for name, part in (("whole", lambda html: html), ("part", search.indexed_part)):
            index = service.new_index("en")
            for page in pages:
                html = page.read_text(encoding="utf-8")
                assert "data-pagefind-body" in html
                index.add(f"/cases/{page.parent.name}/", part(html))
            index.write(tmp_path / name).result()
            bundles.append({p.relative_to(tmp_path / name).as_posix(): p.read_bytes()
                            for p in sorted((tmp_path / name).rglob("*")) if p.is_file()})
    finally:
        service.close()
    whole, part = bundles
    assert len([n for n in whole if n.startswith("fragment/")]) == len(pages)
    assert whole == part
    html = pages[0].read_text(encoding="utf-8")
    assert len(search.indexed_part(html)) < len(html) / 2
    assert search.indexed_part("<html><body>no body</body></html>") == \
        "<html><body>no body</body></html>"
