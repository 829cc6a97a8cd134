"""``casebook/data``: open data, JSON-LD and statistics for the bilingual site.

- After every language is built: ``/data/cases.json``, ``/data/cases.csv``,
  ``/data/organisations.json``, the DCAT-AP catalogue ``/data/catalog.jsonld``,
  ``/schema/<name>.schema.json`` and an Atom
  feed per language (``/feed.xml``, ``/en/feed.xml``).
- Case pages embed schema.org JSON-LD; every page links its language's feed.
- Beside every case page, its citation files (``cite.bib``, ``cite.json``:
  :mod:`casebook.site.cite`); beside every kind, theme and organisation page, an
  Atom feed of its cases (``feed.xml``: :mod:`casebook.site.feeds`), linked from
  the page's head.
- Generated pages per language: statistics (``/stats/``) and a description of
  the open data (``/data/``); the footer of every page links to them.
"""

from __future__ import annotations

import html
import shutil
from importlib import resources
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from casebook.content.model import KnowledgeBase
from casebook.content.schema import SCHEMA_NAMES
from casebook.content.uitext import ui_strings, ui_text
from casebook.mkdocs_plugins import common
from casebook.mkdocs_plugins.data.config import DataConfig
from casebook.opendata import exports
from casebook.opendata.catalog import CATALOG_PATH
from casebook.site import cite, feeds, stats
from casebook.site.views import SiteIndex

log = get_plugin_logger(__name__)

ASSETS = ("casebook-data.css",)


def _t(key: str, lang: str) -> str:
    return ui_text(f"data.{key}", lang)


class DataPlugin(BasePlugin[DataConfig]):
    """Open data exports, JSON-LD, statistics and data pages."""

    def __init__(self) -> None:
        self.kb: KnowledgeBase | None = None
        self.pages: dict[str, tuple[str, str]] = {}
        self._index: SiteIndex | None = None
        #: Pages with a feed, by language: source stem → topic.
        self._topics: dict[str, dict[str, feeds.Topic]] = {}

    @event_priority(-110)  # after static-i18n has built the language's file list
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self.kb = common.knowledge_base(common.kb_root(config, self.config.root), config)
        self._index = None
        self._topics.clear()
        lang = common.current_language(config)
        if self.config.statistics:
            page = common.add_page(files, config, "stats", lang, _t("stats", lang))
            self.pages[page.src_uri] = ("stats", lang)
        if self.config.exports:
            page = common.add_page(files, config, "data", lang, _t("data", lang))
            self.pages[page.src_uri] = ("data", lang)
        return files

    def on_page_content(self, html_text: str, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        found = self.pages.get(page.file.src_uri)
        if found is None or self.kb is None:
            return html_text
        kind, lang = found
        root = common.root_of(page.url)
        if kind == "stats":
            body = stats.render(self.kb, lang, directory_urls=config.use_directory_urls)
            return f"<h1>{html.escape(_t('stats', lang))}</h1>\n{body}"
        return self._data_page(lang, root, config)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        lang = common.current_language(config)
        root = common.root_of(page.url)
        pre = common.prefix(lang, config)
        head = f'<link rel="stylesheet" href="{root}assets/casebook/casebook-data.css">'
        if self.config.exports:
            topic = self._topic(lang, common.url_in_language(page.url, lang, config))
            if topic is not None:
                head += (f'<link rel="alternate" type="application/atom+xml" '
                         f'title="{html.escape(topic.title)}" href="{root}{pre}{topic.feed}">')
            head += (f'<link rel="alternate" type="application/atom+xml" '
                     f'title="{html.escape(_t("feed_title", lang))}" href="{root}{pre}feed.xml">')
        found = common.entry_of(page.url)
        if self.config.exports and found and found[0] == "cases" and self.kb is not None:
            self._write_citation(found[1], lang, config)
        if self.config.jsonld and found and found[0] == "cases" and self.kb is not None:
            entry = self.kb.cases.get(found[1])
            if entry is not None and entry.facts:
                head += exports.jsonld_script(
                    exports.case_jsonld(entry, self.kb, lang, config.site_url or None))
        output = common.insert_before(output, "</head>", head)
        return common.insert_before(output, '<div class="md-copyright">',
                                    self._footer(lang, root, pre))

    @event_priority(-200)  # after static-i18n's on_post_build ran the other languages
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if common.is_nested_build(config) or self.kb is None:
            return
        site = Path(config.site_dir)
        target = site / "assets" / "casebook"
        target.mkdir(parents=True, exist_ok=True)
        for name in ASSETS:
            with resources.as_file(resources.files(__package__).joinpath("assets", name)) as p:
                shutil.copyfile(p, target / name)
        if self.config.exports:
            written = exports.write_exports(self.kb, site, common.build_languages(config),
                                            config.site_url or None)
            log.info(f"Open data: {len(written)} files written")
            if not config.site_url:
                log.info("Open data: no DCAT catalogue without site_url (set SITE_URL): "
                         "its identifiers are addresses under the site's URL")
            count = self._write_feeds(site, config)
            log.info(f"Atom feeds: {count} written (kinds, themes, organisations)")

    # --- feeds and citations ---------------------------------------------------------

    def _site_index(self) -> SiteIndex:
        assert self.kb is not None
        if self._index is None or self._index.kb is not self.kb:
            self._index = SiteIndex.build(self.kb)
            self._topics.clear()
        return self._index

    def _topic(self, lang: str, url: str) -> feeds.Topic | None:
        """The feed of the page at ``url`` (below the language root), if it has one."""
        if self.kb is None:
            return None
        index = self._site_index()
        if lang not in self._topics:
            self._topics[lang] = {t.name: t for t in feeds.topics(index, lang)}
        return self._topics[lang].get(url.strip("/"))

    def _write_feeds(self, site: Path, config: MkDocsConfig) -> int:
        assert self.kb is not None
        index = self._site_index()
        count = 0
        for lang in common.build_languages(config):
            for topic in feeds.topics(index, lang):
                cases = [index.cases[i] for i in topic.case_ids]
                path = site / common.prefix(lang, config) / topic.feed
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(exports.topic_feed(self.kb, lang, cases, topic.name,
                                                    topic.title, config.site_url or None))
                count += 1
        return count

    def _write_citation(self, case_id: str, lang: str, config: MkDocsConfig) -> None:
        """``cite.bib`` and ``cite.json`` beside a case page."""
        assert self.kb is not None
        entry = self.kb.cases.get(case_id)
        if entry is None or not entry.facts:
            return
        url = cite.case_url(entry, lang, config.site_url or None, config.use_directory_urls)
        folder = Path(config.site_dir) / common.prefix(lang, config) / "cases" / case_id
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in cite.files(entry, self.kb, lang, url).items():
            (folder / name).write_text(text, encoding="utf-8", newline="\n")

    # --- HTML ------------------------------------------------------------------------

    def _footer(self, lang: str, root: str, pre: str) -> str:
        links = []
        if self.config.exports:
            links.append((f"{root}{pre}data/", _t("data", lang)))
        if self.config.statistics:
            links.append((f"{root}{pre}stats/", _t("stats", lang)))
        if self.config.exports:
            links.append((f"{root}{pre}feed.xml", _t("feed", lang)))
        if not links:
            return ""
        items = " · ".join(f'<a href="{href}">{html.escape(label)}</a>' for href, label in links)
        label = html.escape(_t("footer", lang))
        return f'<nav class="casebook-footer-links" aria-label="{label}">{items}</nav>'

    def _data_page(self, lang: str, root: str, config: MkDocsConfig) -> str:
        def link(path: str, label: str | None = None) -> str:
            return f'<a href="{root}{path}"><code>{html.escape(label or path)}</code></a>'

        schemas = "".join(f"<li>{link(f'schema/{n}.schema.json', f'/schema/{n}.schema.json')}</li>"
                          for n in (*SCHEMA_NAMES, exports.OPEN_DATA_SCHEMA))
        feeds = ""
        for other in common.build_languages(config):
            path = f"{common.prefix(other, config)}feed.xml"
            known = other in ui_strings()["languages"]
            name = ui_text(f"languages.{other}", lang) if known else other
            feeds += f"<li>{link(path, '/' + path)} ({html.escape(name)})</li>"
        catalog = (f"<li>{link(CATALOG_PATH, '/' + CATALOG_PATH)}: "
                   f"{html.escape(_t('catalog', lang))}</li>" if config.site_url else "")
        return (
            f"<h1>{html.escape(_t('data', lang))}</h1>"
            f"<p>{html.escape(_t('intro', lang))}</p>"
            f"<ul>"
            f"<li>{link('data/cases.json', '/data/cases.json')}: "
            f"{html.escape(_t('cases_json', lang))}</li>"
            f"<li>{link('data/cases.csv', '/data/cases.csv')}: "
            f"{html.escape(_t('cases_csv', lang))}</li>"
            f"<li>{link('data/organisations.json', '/data/organisations.json')}: "
            f"{html.escape(_t('organisations_json', lang))}</li>"
            f"{catalog}</ul>"
            f"<p>{html.escape(_t('schemas', lang))}</p><ul>{schemas}</ul>"
            f"<p>{html.escape(_t('feeds', lang))}</p><ul>{feeds}</ul>"
            f"<p>{html.escape(_t('jsonld', lang))}</p>"
        )
