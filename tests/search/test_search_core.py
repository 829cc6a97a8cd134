"""Search core: facets, page annotation and Pagefind indexing of a tiny site."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from casebook.content.model import KnowledgeBase
from casebook.site import pagefind_index, search


def test_facet_filters_are_keys_shared_by_both_languages(small_kb: KnowledgeBase) -> None:
    lab = small_kb.cases["fietsstraat-lab"]
    keys = search.facet_filters(lab)
    assert keys["kind"] == ["lab"] and keys["theme"] == ["mobility", "participation"]
    assert keys["country"] == ["BE"] and keys["year"] == ["2019"] and keys["type"] == ["case"]
    assert keys["mechanism"] == ["living-lab", "co-creation"]
    org = search.facet_filters(small_kb.organisations["stad-gent"])
    assert org == {"type": ["organisation"], "country": ["BE"],
                   "organisation-kind": ["municipality"]}


def test_facets_follow_the_content_model_kind_first() -> None:
    from casebook.content.schema import raw_schema

    fields = list(raw_schema("case")["properties"])
    organisations = search.ORGANISATION_FACETS
    order = [f.field for f in search.FACETS if f.field and f not in organisations]
    assert order[0] == "kind"
    assert order == sorted(order, key=fields.index)
    # The organisations' own facets come after the cases', then case or organisation.
    assert [f.param for f in search.FACETS][-2:] == ["organisation-kind", "type"]


def test_facet_config_lists_values_in_use_in_vocabulary_order(small_kb: KnowledgeBase) -> None:
    config = {f["param"]: f for f in search.facet_config(small_kb, "en")}
    assert list(config) == ["kind", "country", "theme", "mechanism", "year", "stage",
                            "organisation-kind", "type"]
    assert config["organisation-kind"]["name"] == "Organisation kind"
    assert config["organisation-kind"]["values"] == [
        ["municipality", "Municipality"], ["ngo", "Non-governmental organisation"]]
    assert config["kind"]["values"] == [["lab", "Innovation lab"], ["challenge", "Challenge"],
                                        ["practice", "Good practice"]]
    assert config["year"]["values"] == [["2017", "2017"], ["2019", "2019"], ["2021", "2021"]]
    assert config["country"]["values"] == [["BE", "Belgium"], ["NL", "Netherlands"]]
    assert config["theme"]["name"] == "Theme"
    nl = {f["param"]: f for f in search.facet_config(small_kb, "nl")}
    assert nl["country"]["values"] == [["BE", "België"], ["NL", "Nederland"]]
    assert nl["organisation-kind"]["name"] == "Soort organisatie"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_two_facet_values_read_the_same(lang: str, small_kb: KnowledgeBase) -> None:
    """Every value any facet can offer, across all facets, has a label of its own."""
    vocabs = small_kb.vocabularies
    seen: dict[str, str] = {}
    for facet in search.FACETS:
        if facet.vocabulary is None:
            keys = list(search.TYPES) if facet.param == "type" else []
        else:
            keys = list(vocabs[facet.vocabulary].terms)
        for key in keys:
            label = search.value_label(facet, key, vocabs, lang).casefold()
            assert label not in seen, f"{facet.param}:{key} reads like {seen[label]}"
            seen[label] = f"{facet.param}:{key}"


def test_result_metadata_and_sort_ranks(small_kb: KnowledgeBase) -> None:
    data = search.SearchData(small_kb, "en")
    lab = data.meta(small_kb.cases["fietsstraat-lab"])
    assert lab["title"] == "Cycle street lab in Ghent" and lab["kind"] == "Innovation lab"
    assert lab["organisations"] == "City of Ghent, Fietsbond"  # names in the page language
    assert lab["countries"] == "Belgium" and lab["period"] == "from 2019"
    assert "lang" not in lab
    # An English original without Dutch text: the Dutch result says its text is English.
    nl = search.SearchData(small_kb, "nl").meta(small_kb.cases["energy-challenge"])
    assert nl["lang"] == "en" and nl["countries"] == "Nederland, België"
    entries = [*small_kb.valid_cases(), *small_kb.valid_organisations()]

    def order(key: str) -> list[str]:
        ranks = {e.id: int(data.sort_keys(e)[key]) for e in entries}
        assert sorted(ranks.values()) == list(range(len(entries)))  # every page, once
        return sorted(ranks, key=ranks.__getitem__)

    titles = [e.title("en").casefold() for e in entries]
    assert order("title") == [
        e.id for e in sorted(entries, key=lambda e: e.title("en").casefold())]
    assert len(set(titles)) == len(titles)
    cases_newest = ["open-data-praktijk", "fietsstraat-lab", "energy-challenge"]
    assert order("start-desc")[:3] == cases_newest
    assert order("start-asc")[:3] == cases_newest[::-1]
    reviewed = order("reviewed")
    dates = [str(e.facts["reviewed"]) for e in sorted(entries, key=lambda e: reviewed.index(e.id))]
    assert dates == sorted(dates, reverse=True)


def test_pagefind_reads_only_the_entry_text(small_kb: KnowledgeBase) -> None:
    page = ('<html><body><nav>Menu</nav><article class="md-content__inner md-typeset">'
            '<h1>T</h1><p class="cb-summary">S</p><aside class="cb-facts" aria-label="x">F'
            '</aside><h2 id="context">C<a class="headerlink" href="#context">¶</a></h2>'
            '<h2 id="cb-related">R</h2><ul class="cb-related"><li>x</li></ul>'
            "</article><footer>f</footer></body></html>")
    markup = search.entry_markup(small_kb.cases["fietsstraat-lab"], small_kb, "nl")
    out = search.annotate_page(page, markup)
    assert out.count("data-pagefind-body") == 1
    assert '<article class="md-content__inner md-typeset" data-pagefind-body>' in out
    assert 'data-pagefind-filter="theme:mobility"' in out
    assert 'data-pagefind-meta="title:Fietsstraatlab in Gent"' in out
    assert 'data-pagefind-sort="title:' in out
    # The published page keeps its fact box as it is; Pagefind's copy leaves it out.
    assert '<aside class="cb-facts" aria-label="x">' in out
    out = search.indexed_part(out)
    assert out.startswith("<!doctype html>") and "<nav>" not in out and "<footer>" not in out
    assert '<aside class="cb-facts" aria-label="x" data-pagefind-ignore>' in out
    assert '<a class="headerlink" href="#context" data-pagefind-ignore>' in out
    assert '<h2 id="cb-related" data-pagefind-ignore>' in out
    assert '<ul class="cb-related" data-pagefind-ignore>' in out
    assert '<p class="cb-summary">S</p>' in out and '<h2 id="context">' in out
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
    for lang in ("nl", "en"):
        prefix = "" if lang == "nl" else "en/"
        for entry in [*small_kb.valid_cases(), *small_kb.valid_organisations()]:
            folder = tmp_path / f"{prefix}{entry.collection}" / entry.id
            folder.mkdir(parents=True)
            html = _page(lang, entry.title(lang), entry.body(lang))
            folder.joinpath("index.html").write_text(
                search.annotate_page(html, search.entry_markup(entry, small_kb, lang)), "utf-8")
        # A page outside cases/ and organisations/ is never indexed.
        (tmp_path / prefix / "about").mkdir(parents=True, exist_ok=True)
        (tmp_path / prefix / "about" / "index.html").write_text(
            _page(lang, "Over", "zebrapaden"), "utf-8")
    report = pagefind_index.index_site(tmp_path)
    assert [i.lang for i in report.languages] == ["nl", "en"]
    assert [i.pages for i in report.languages] == [6, 6]
    assert all(i.bytes > i.data_bytes > 0 for i in report.languages)
    assert (tmp_path / "pagefind" / "pagefind.js").is_file()
    assert (tmp_path / "en" / "pagefind" / "pagefind.js").is_file()
    entry = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["nl"]
    en = _fragments(tmp_path / "en" / "pagefind")
    # URLs are relative to the language folder: Pagefind's script prefixes the
    # folder its bundle is served from (/en/).
    urls = sorted(f["url"] for f in en)
    assert urls[0] == "/cases/energy-challenge/" and "/about/" not in urls
    assert "/en/cases/energy-challenge/" not in urls
    lab = next(f for f in en if f["url"] == "/cases/fietsstraat-lab/")
    assert lab["filters"]["kind"] == ["lab"]
    assert lab["meta"]["kind"] == "Innovation lab"
    assert "navigatie" not in lab["content"]
    assert lab["meta"]["title"] == "Cycle street lab in Ghent"


@pytest.mark.xdist_group("search_core")
def test_sending_only_the_indexed_part_gives_the_same_index(search_site: Path,
                                                             tmp_path: Path) -> None:
    """Pagefind gets the data-pagefind-body element, not the whole page: same bundle."""
    pages = sorted((search_site / "en" / "cases").glob("*/index.html"))
    assert pages
    bundles = []
    service = pagefind_index.PagefindService()
    try:
        for name, part in (("whole", search.mark_not_indexed), ("part", search.indexed_part)):
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


def test_index_site_splits_a_language_in_shards(small_kb: KnowledgeBase, tmp_path: Path) -> None:
    """At most ``pages_per_shard`` pages a shard; the shard index lists the shards and
    every page's shard, rank in each sort order and filter values, as the page itself
    carries them."""
    wanted: dict[str, dict[str, str]] = {}
    filter_values: dict[str, list[str]] = {}
    for entry in [*small_kb.valid_cases(), *small_kb.valid_organisations()]:
        folder = tmp_path / entry.collection / entry.id
        folder.mkdir(parents=True)
        markup = search.entry_markup(entry, small_kb, "nl")
        wanted[f"/{entry.collection}/{entry.id}/"] = dict(
            re.findall(r'data-pagefind-sort="([^":]+):(\d+)"', markup))
        filter_values[f"/{entry.collection}/{entry.id}/"] = sorted(
            f"{name}:{value}" for name, values in search.facet_filters(entry).items()
            for value in values)
        folder.joinpath("index.html").write_text(
            search.annotate_page(_page("nl", entry.title("nl"), entry.body("nl")), markup),
            "utf-8")
    report = pagefind_index.index_site(tmp_path, languages=("nl",), pages_per_shard=2)
    bundle = tmp_path / "pagefind"
    assert report.languages[0].pages == len(wanted) == 6
    index = json.loads((bundle / pagefind_index.SHARD_INDEX).read_text("utf-8"))
    assert index["shards"] == ["shards/1/", "shards/2/"]
    shards = [bundle, bundle / "shards" / "1", bundle / "shards" / "2"]
    urls = {}
    for shard in shards:
        fragments = sorted((shard / "fragment").glob("*.pf_fragment"))
        assert 1 <= len(fragments) <= 6  # a stable hash spreads them, not evenly
        for f in fragments:
            urls[f.stem] = json.loads(
                gzip.decompress(f.read_bytes()).decode("utf-8").removeprefix("pagefind_dcd")
            )["url"]
    assert sorted(urls.values()) == sorted(wanted)
    # The shards hold index data only; the scripts are the first bundle's. Two search
    # workers (the default) take the shards in turns, and a group's first shard also
    # keeps the WebAssembly of its language: its worker's Pagefind starts there.
    assert not list((bundle / "shards").rglob("*.js"))
    assert (bundle / "shards" / "1" / "pagefind-entry.json").is_file()
    assert index["workers"] == [["", "shards/2/"], ["shards/1/"]]
    assert sorted(p.name for p in (bundle / "shards").rglob("wasm.*")) == ["wasm.nl.pagefind"]
    assert (bundle / "shards" / "1" / "wasm.nl.pagefind").read_bytes() == \
        (bundle / "wasm.nl.pagefind").read_bytes()
    assert index["sorts"] == list(search.SORTS)
    assert set(index["pages"]) == set(urls)
    with_parts = 0
    for page, (shard, ranks, filters, parts_from) in index["pages"].items():
        expected = wanted[urls[page]]
        assert ranks == [int(expected[s]) if s in expected else None for s in search.SORTS]
        # The page's shard is where its fragment is, and its filters are the page's own.
        assert (shards[shard] / "fragment" / f"{page}.pf_fragment").is_file()
        assert sorted(index["filters"][n] for n in filters) == filter_values[urls[page]]
        # Where the page's compound parts start: after its own words (the search page
        # ranks a match found only there below the exact matches).
        fragment = json.loads(gzip.decompress(
            (shards[shard] / "fragment" / f"{page}.pf_fragment").read_bytes()
        ).decode("utf-8").removeprefix("pagefind_dcd"))
        parts = int(fragment["meta"].get("parts", 0))
        assert parts_from == (fragment["word_count"] - parts if parts else None)
        with_parts += parts_from is not None
    assert with_parts, "some Dutch page of the small base has a compound"


def test_search_workers_take_the_shards_in_turns() -> None:
    """Each worker's first shard leads it; there are never more workers than shards."""
    assert pagefind_index.worker_groups(5, 2) == [[0, 2, 4], [1, 3]]
    assert pagefind_index.worker_groups(3, 3) == [[0], [1], [2]]
    assert pagefind_index.worker_groups(2, 8) == [[0], [1]]
    assert pagefind_index.worker_groups(1, 2) == [[0]]
    assert pagefind_index.worker_groups(4, 0) == [[0, 1, 2, 3]]
