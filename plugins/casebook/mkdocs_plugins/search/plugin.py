"""``casebook/search``: Pagefind search for the bilingual site.

- Case and organisation pages get ``data-pagefind-body`` on their content and
  hidden Pagefind filters/metadata (labels in the page language).
- A generated search page per language (``/search/``, ``/en/search/``): a
  filter pane and result list of our own (``assets/casebook-search.js``) over
  the search index (``assets/casebook-search-index.js``: Pagefind, in workers,
  for the query; the page list in ``casebook-index.json`` for filters, counts
  and order), with OR within a facet and AND across facets, sorting, and the
  whole state in the URL; a search box in the header of every page sends the
  query there.
- Pagefind indexes every case and organisation page as soon as it is rendered
  (in its own process, beside the build) and writes one index per language
  (``/pagefind/``, ``/en/pagefind/``) when that language is built.
"""

from __future__ import annotations

import html
import json
import shutil
from concurrent.futures import Future
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from casebook.content.model import KnowledgeBase
from casebook.content.uitext import ui_text
from casebook.i18n import msg
from casebook.mkdocs_plugins import common, parallel
from casebook.mkdocs_plugins.search.config import SearchConfig
from casebook.site import pagefind_index, search

log = get_plugin_logger(__name__)

ASSETS = ("casebook-search.js", "casebook-search-index.js", "casebook-search-worker.js",
          "casebook-search.css")
PAGE = "search"
#: Pause after a keystroke before searching (Pagefind's default is 300 ms).
DEBOUNCE_MS = 100
_ICON = ('<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M9.5 3A6.5 '
         "6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52"
         " 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 "
         '14 14 12 14 9.5 12 5 9.5 5"/></svg>')


def _t(key: str, lang: str) -> str:
    return ui_text(f"search.{key}", lang)


class SearchPlugin(BasePlugin[SearchConfig]):
    """Pagefind search pages, page annotation and indexing."""

    def __init__(self) -> None:
        self.kb: KnowledgeBase | None = None
        self.search_pages: dict[str, str] = {}
        #: What results show of each entry, and its sort ranks, per language.
        self._data: dict[str, search.SearchData] = {}
        #: Pagefind, one process per language, started with its first indexed page.
        self._services: list[pagefind_index.PagefindService] = []
        #: Indexes being filled, by language; bundles being written.
        self._indexes: dict[str, pagefind_index.ShardedIndex] = {}
        self._written: list[tuple[str, Path, Future[dict[str, Any]]]] = []

    # --- build -----------------------------------------------------------------------

    @event_priority(-110)  # after static-i18n has built the language's file list
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not common.is_nested_build(config) and self._services:
            # What an interrupted earlier build (mkdocs serve) left behind.
            self._close_services()
            self._indexes.clear()
            self._written.clear()
        self.kb = common.knowledge_base(common.kb_root(config, self.config.root), config)
        self._data.clear()
        lang = common.current_language(config)
        page = common.add_page(files, config, PAGE, lang, _t("title", lang))
        self.search_pages[page.src_uri] = lang
        return files

    def on_page_content(self, html_text: str, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        lang = self.search_pages.get(page.file.src_uri)
        if lang is None or self.kb is None:
            return html_text
        return self._search_page(lang, page, config)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        root = common.root_of(page.url)
        lang = common.current_language(config)
        head = f'<link rel="stylesheet" href="{root}assets/casebook/casebook-search.css">'
        output = common.insert_before(output, "</head>", head)
        if self.config.header_box:
            output = self._header_box(output, root, lang, config)
        found = common.entry_of(page.url)
        if found and self.kb is not None:
            collection, entry_id = found
            entry = self.kb.collection(collection).get(entry_id)
            if entry is not None and entry.facts:
                data = self._data.get(lang)
                if data is None or data.kb is not self.kb:
                    data = self._data[lang] = search.SearchData(self.kb, lang)
                markup = data.markup(entry)
                output = search.annotate_page(output, markup)
        return output

    # Last, so Pagefind gets the page exactly as it is written.
    @event_priority(-100)
    def _index_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Hand a case or organisation page to Pagefind as soon as it is rendered."""
        if not self.config.index or common.entry_of(page.url) is None:
            return output
        lang = common.current_language(config)
        index = self._indexes.get(lang)
        if index is None:
            # One Pagefind thread while later languages still build beside it; the
            # last language's bundle is written when nothing else is left to do.
            last = common.build_languages(config)[-1] == lang
            try:
                service = pagefind_index.PagefindService(threads=None if last else 1)
            except Exception as exc:  # the binary missing: a build error, no traceback
                raise PluginError(common.build_message(msg(
                    "casebook/search: Pagefind could not start: {detail}", detail=str(exc),
                ))) from exc
            self._services.append(service)
            pages = len(self.kb.valid_cases()) + len(self.kb.valid_organisations()) \
                if self.kb is not None else 0
            index = self._indexes[lang] = pagefind_index.ShardedIndex(
                service, lang, pages, self.config.pages_per_shard, self.config.workers)
        url = pagefind_index.indexed_url(common.url_in_language(page.url, lang, config))
        if url is not None:
            split = lang if self.config.compounds else None
            index.add(url, search.indexed_part(output, split))
        return output

    on_post_page = CombinedEvent(on_post_page, _index_page)

    @event_priority(100)  # before static-i18n's on_post_build builds the other languages
    def _write_language_index(self, *, config: MkDocsConfig) -> None:
        """Have Pagefind write this language's bundle while the next language builds."""
        lang = common.current_language(config)
        index = self._indexes.pop(lang, None)
        if index is None:
            return
        output = Path(config.site_dir) / common.prefix(lang, config) / "pagefind"
        self._written.append((lang, output, index.write(output)))

    # After static-i18n's on_post_build ran the other languages, and last of all: the
    # other plugins' post-build work (exports, the safety scan) overlaps Pagefind's.
    @event_priority(-2000)
    def _finish_indexing(self, *, config: MkDocsConfig) -> None:
        # Once, after every language; in the process that builds the other
        # languages (casebook/pages' parallel_languages), at the end of its builds.
        if common.is_nested_build(config) and not parallel.IN_WORKER:
            return
        site = Path(config.site_dir)
        target = site / "assets" / "casebook"
        target.mkdir(parents=True, exist_ok=True)
        for name in ASSETS:
            source = resources.files(__package__).joinpath("assets", name)
            with resources.as_file(source) as path:
                shutil.copyfile(path, target / name)
        written, self._written = self._written, []
        self._indexes.clear()
        try:
            for lang, output, future in written:
                future.result()
                index = pagefind_index.language_index(output, lang)
                log.info(f"Pagefind: {index.pages} pages indexed for '{lang}' "
                         f"({index.data_bytes // 1024} KiB of index data)")
        except Exception as exc:  # Pagefind failing is a build error, not a traceback
            raise PluginError(common.build_message(msg(
                "casebook/search: Pagefind indexing failed: {detail}", detail=str(exc),
            ))) from exc
        finally:
            self._close_services()

    def _close_services(self) -> None:
        services, self._services = self._services, []
        for service in services:
            service.close()

    on_post_build = CombinedEvent(_write_language_index, _finish_indexing)

    # --- HTML ------------------------------------------------------------------------

    def _header_box(self, output: str, root: str, lang: str, config: MkDocsConfig) -> str:
        action = f"{root}{common.prefix(lang, config)}{PAGE}/"
        form = (
            f'<form class="casebook-header-search" role="search" action="{action}" '
            f'method="get" data-casebook-search-box>'
            f'<label class="casebook-sr-only" for="casebook-search-box">'
            f'{html.escape(_t("label", lang))}</label>'
            f'<input id="casebook-search-box" type="search" name="q" autocomplete="off" '
            f'enterkeyhint="search" placeholder="{html.escape(_t("placeholder", lang))}">'
            f'<button type="submit" aria-label="{html.escape(_t("submit", lang))}">{_ICON}'
            f"</button></form>"
        )
        start = output.find('class="md-header__inner')
        if start < 0:
            return output
        source = output.find('<div class="md-header__source">', start)
        end = output.find("</nav>", start)
        at = source if 0 <= source < end else end
        if at < 0:
            return output
        return output[:at] + form + output[at:]

    def _search_page(self, lang: str, page: Page, config: MkDocsConfig) -> str:
        assert self.kb is not None
        root = common.root_of(page.url)
        bundle = f"{root}{common.prefix(lang, config)}pagefind/"
        facets = search.facet_config(self.kb, lang)
        strings = {key: _t(key, lang) for key in _SCRIPT_STRINGS}
        data = json.dumps({"facets": facets, "sorts": list(search.SORTS), "strings": strings,
                           "pageSize": self.config.page_size, "debounce": DEBOUNCE_MS},
                          ensure_ascii=False).replace("</", "<\\/")
        data_page = f"{root}{common.prefix(lang, config)}data/"
        stats_page = f"{root}{common.prefix(lang, config)}stats/"
        files = [("data/cases.json", "cases.json"), ("data/cases.csv", "cases.csv"),
                 ("data/organisations.json", "organisations.json"),
                 (f"{common.prefix(lang, config)}feed.xml", "Atom feed")]
        links = ", ".join(f'<a href="{root}{href}">{label}</a>' for href, label in files)
        return (
            f"<h1>{html.escape(_t('title', lang))}</h1>"
            # The controls show once the script runs (without it they would do nothing).
            f'<div class="casebook-search casebook-search--waiting" id="casebook-search" '
            f'data-bundle="{bundle}" '
            f'data-worker="{root}assets/casebook/casebook-search-worker.js">'
            + _search_form(lang)
            # Keyboard: from the query straight to the results, past every filter.
            + f'<a class="casebook-search__skip" href="#casebook-search-results">'
            f"{html.escape(_t('skip_results', lang))}</a>"
            + '<div class="casebook-search__layout">'
            + _filter_pane(facets, lang) + _result_pane(lang, f"{root}data/cases.csv")
            + "</div>"
            f"<noscript><p>{html.escape(_t('noscript', lang))}</p></noscript></div>"
            # How it works, after the results: on a phone they come first.
            f'<p class="casebook-search__intro" id="casebook-search-intro">'
            f"{html.escape(_t('intro', lang))}</p>"
            f'<script type="application/json" id="casebook-search-config">{data}</script>'
            f'<script src="{root}assets/casebook/casebook-search-index.js"></script>'
            f'<script src="{root}assets/casebook/casebook-search.js"></script>'
            f'<section class="casebook-opendata" id="open-data">'
            f"<h2>{html.escape(_t('opendata', lang))}</h2>"
            f"<p>{html.escape(_t('opendata_text', lang))} {links} "
            f'(<a href="{data_page}">{html.escape(_t("more", lang))}</a>, '
            f'<a href="{stats_page}">{html.escape(_t("stats", lang))}</a>).</p></section>'
        )


#: ``ui.yaml`` strings (below ``search.``) the page script shows.
_SCRIPT_STRINGS = ("results_none", "results_one", "results_many", "searching", "failed",
                   "filters_active", "remove_filter", "sort_relevance", "more_values",
                   "fewer_values", "did_you_mean", "drop_filter", "none_tips", "csv")

#: A filter group with more values than this shows the first :data:`FOLDED_VALUES`
#: and a "more" button (values chosen stay in view).
FOLD_AFTER = 8
FOLDED_VALUES = 5


def _search_form(lang: str) -> str:
    """The query field (the page script searches as the reader types)."""
    label = html.escape(_t("label", lang))
    return (
        f'<form class="casebook-search__form" role="search" id="casebook-search-form">'
        f'<label for="casebook-search-input">{label}</label>'
        f'<input id="casebook-search-input" type="search" name="q" autocomplete="off" '
        f'enterkeyhint="search" spellcheck="false" aria-describedby="casebook-search-intro">'
        "</form>"
    )


def _filter_pane(facets: list[dict[str, Any]], lang: str) -> str:
    """Every facet and its values, as checkboxes (counts are filled in by the script)."""
    groups = []
    for facet in facets:
        param = facet["param"]
        items = []
        folds = len(facet["values"]) > FOLD_AFTER
        for n, (key, label) in enumerate(facet["values"]):
            ident = html.escape(f"casebook-filter-{param}-{key}", quote=True)
            extra = ' class="casebook-facet__extra"' if folds and n >= FOLDED_VALUES else ""
            items.append(
                f'<li{extra}><input type="checkbox" id="{ident}" name="{html.escape(param)}" '
                f'value="{html.escape(key, quote=True)}">'
                f'<label for="{ident}"><span class="casebook-facet__label">'
                f'{html.escape(label)}</span> <span class="casebook-facet__count"></span>'
                f"</label></li>")
        groups.append(
            f'<fieldset class="casebook-facet" data-param="{html.escape(param)}">'
            f"<legend>{html.escape(facet['name'])}</legend>"
            f'<ul class="casebook-facet__values" id="casebook-values-{html.escape(param)}">'
            f'{"".join(items)}</ul>'
            + (f'<button type="button" class="casebook-facet__more" aria-expanded="true" '
               f'aria-controls="casebook-values-{html.escape(param)}" '
               f'data-hidden="{len(facet["values"]) - FOLDED_VALUES}" hidden></button>'
               if folds else "")
            + "</fieldset>")
    return (
        '<details class="casebook-search__filters" id="casebook-search-filters">'
        f'<summary>{html.escape(_t("filters", lang))}'
        '<span class="casebook-search__active" id="casebook-search-active" hidden></span>'
        f'</summary><div class="casebook-search__groups">{"".join(groups)}</div></details>'
    )


def _result_pane(lang: str, csv_href: str) -> str:
    """Result count, sort order, the matches as CSV, chosen filters, the result list,
    what to try when nothing is found, and "more"."""
    options = "".join(
        f'<option value="{key}">{html.escape(_t(f"sort_{key}", lang))}</option>'
        for key in ("relevance", *search.SORTS))
    return (
        '<div class="casebook-search__results" id="casebook-search-results" tabindex="-1">'
        f'<h2 class="casebook-sr-only">{html.escape(_t("results", lang))}</h2>'
        '<div class="casebook-search__bar">'
        '<p class="casebook-search__count" id="casebook-search-count" role="status" '
        f'aria-live="polite" aria-atomic="true">{html.escape(_t("searching", lang))}</p>'
        '<p class="casebook-search__sort">'
        f'<label for="casebook-search-sort">{html.escape(_t("sort", lang))}</label> '
        f'<select id="casebook-search-sort" name="sort">{options}</select></p>'
        # The full file without script; the script makes it the matching cases' rows.
        f'<p class="casebook-search__csv"><a id="casebook-search-csv" href="{csv_href}" '
        f'download="casebook-search.csv" hidden></a></p></div>'
        '<div class="casebook-search__chips" id="casebook-search-chips" hidden>'
        f'<h3 class="casebook-sr-only">{html.escape(_t("active_filters", lang))}</h3>'
        '<ul class="casebook-search__chip-list"></ul>'
        '<button type="button" class="casebook-search__clear" id="casebook-search-clear">'
        f'{html.escape(_t("clear_all", lang))}</button></div>'
        '<ol class="casebook-search__list" id="casebook-search-list"></ol>'
        '<div class="casebook-search__none" id="casebook-search-none" hidden>'
        f'<p>{html.escape(_t("none_tips", lang))}</p><ul></ul></div>'
        '<button type="button" class="md-button casebook-search__more" '
        f'id="casebook-search-more" hidden>{html.escape(_t("more_results", lang))}</button>'
        "</div>"
    )
