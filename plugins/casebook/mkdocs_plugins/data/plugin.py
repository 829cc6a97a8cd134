"""``casebook/data``: open data, JSON-LD and statistics for the bilingual site.

- After every language is built: ``/data/cases.json``, ``/data/cases.csv``,
  ``/data/organisations.json``, ``/schema/<name>.schema.json`` and an Atom
  feed per language (``/feed.xml``, ``/en/feed.xml``).
- Case pages embed schema.org JSON-LD; every page links its language's feed.
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

from casebook import exports, stats
from casebook.model import KnowledgeBase
from casebook.schema import SCHEMA_NAMES

from .. import common
from .config import DataConfig

log = get_plugin_logger(__name__)

ASSETS = ("casebook-data.css",)
TEXT: dict[str, dict[str, str]] = {
    "stats": {"nl": "Statistieken", "en": "Statistics"},
    "data": {"nl": "Open data", "en": "Open data"},
    "feed": {"nl": "Atom-feed", "en": "Atom feed"},
    "feed_title": {"nl": "Casebook: recent bijgewerkte casussen",
                   "en": "Casebook: recently reviewed cases"},
    "footer": {"nl": "Open data en statistieken", "en": "Open data and statistics"},
    "intro": {
        "nl": "Alle gegevens van Casebook zijn open data onder de licentie CC BY 4.0. "
              "De bestanden worden bij elke bouw van de site opnieuw gemaakt uit dezelfde "
              "bronbestanden als de pagina's.",
        "en": "All Casebook data is open data under the CC BY 4.0 licence. The files are "
              "regenerated on every build of the site from the same source files as the pages.",
    },
    "cases_json": {
        "nl": "alle casussen met al hun feiten, titel en samenvatting in beide talen en de "
              "adressen van beide pagina's. Zonder vertaling staat de oorspronkelijke tekst "
              "er, en zegt translation welke taal ontbreekt.",
        "en": "every case with all its facts, title and summary in both languages and the "
              "addresses of both pages. Without a translation the original text is given, and "
              "translation says which language is missing.",
    },
    "cases_csv": {
        "nl": "één regel per casus, UTF-8 met kopregel; lijsten zijn samengevoegd met "
              "\"; \". De kolommen volgen het JSON Schema (bijvoorbeeld organisations.id en "
              "organisations.role, in dezelfde volgorde).",
        "en": "one row per case, UTF-8 with a header row; lists are joined with \"; \". "
              "The columns follow the JSON Schema (for example organisations.id and "
              "organisations.role, in the same order).",
    },
    "organisations_json": {
        "nl": "alle organisaties, met hun casussen en rollen.",
        "en": "every organisation, with its cases and roles.",
    },
    "schemas": {"nl": "JSON Schema's van het inhoudsmodel:",
                "en": "JSON Schemas of the content model:"},
    "feeds": {"nl": "Atom-feeds van de laatst bijgewerkte casussen:",
              "en": "Atom feeds of the most recently reviewed cases:"},
    "jsonld": {
        "nl": "Elke casuspagina bevat bovendien JSON-LD (schema.org).",
        "en": "Every case page also embeds JSON-LD (schema.org).",
    },
    "lang_nl": {"nl": "Nederlands", "en": "Dutch"},
    "lang_en": {"nl": "Engels", "en": "English"},
}


def _t(key: str, lang: str) -> str:
    texts = TEXT[key]
    return texts.get(lang) or texts["en"]


class DataPlugin(BasePlugin[DataConfig]):
    """Open data exports, JSON-LD, statistics and data pages."""

    def __init__(self) -> None:
        self.kb: KnowledgeBase | None = None
        self.pages: dict[str, tuple[str, str]] = {}

    @event_priority(-110)  # after static-i18n has built the language's file list
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self.kb = common.knowledge_base(common.kb_root(config, self.config.root))
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
            return f"<h1>{html.escape(_t('stats', lang))}</h1>\n{stats.render(self.kb, lang)}"
        return self._data_page(lang, root, config)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        lang = common.current_language(config)
        root = common.root_of(page.url)
        pre = common.prefix(lang, config)
        head = f'<link rel="stylesheet" href="{root}assets/casebook/casebook-data.css">'
        if self.config.exports:
            head += (f'<link rel="alternate" type="application/atom+xml" '
                     f'title="{html.escape(_t("feed_title", lang))}" href="{root}{pre}feed.xml">')
        found = common.entry_of(page.url)
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
                          for n in SCHEMA_NAMES)
        feeds = ""
        for other in common.build_languages(config):
            path = f"{common.prefix(other, config)}feed.xml"
            name = _t(f"lang_{other}", lang) if f"lang_{other}" in TEXT else other
            feeds += f"<li>{link(path, '/' + path)} ({html.escape(name)})</li>"
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
            f"</ul>"
            f"<p>{html.escape(_t('schemas', lang))}</p><ul>{schemas}</ul>"
            f"<p>{html.escape(_t('feeds', lang))}</p><ul>{feeds}</ul>"
            f"<p>{html.escape(_t('jsonld', lang))}</p>"
        )
