"""``casebook/overviews``: pages generated from the knowledge base, in every language.

The home page (counts per kind, the most recently reviewed cases), an overview
per kind, an index and a page per value in use of each browse facet (theme,
mechanism, barrier, country, stage) and the index of organisations. None of
them is written by hand: :class:`casebook.site.render.Renderer` lists them and
renders their content.

In ``mkdocs.yml`` a nav entry ``kinds/*`` stands for the kind overviews, in
vocabulary order, and nav titles that are keys of ``ui.yaml``'s ``nav`` table
(``home``, ``cases``, ...) are shown in the page language. Case pages are not
in the navigation, so it stays the same size whatever the number of cases.
"""

from __future__ import annotations

import glob
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from casebook.i18n import msg
from casebook.mkdocs_plugins import common
from casebook.mkdocs_plugins.overviews.config import OverviewsConfig
from casebook.site.render import Renderer
from casebook.site.views import GeneratedPage

log = get_plugin_logger(__name__)

#: The contributor guide (``content/contribute.<lang>.md``), linked from the home page.
CONTRIBUTE = "contribute"


class OverviewsPlugin(BasePlugin[OverviewsConfig]):
    """Generated overview pages and translated navigation titles."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.state: common.SiteState | None = None
        # Per-language build state, replaced in every on_files.
        self.lang = ""
        self.renderer: Renderer | None = None
        self.pages: dict[str, GeneratedPage] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.config.recent < 0:
            raise PluginError(common.build_message(
                msg("casebook/overviews: 'recent' must be 0 or more")))
        self.state = common.site_state(config, self.config.root)
        if config.nav:
            kinds = Renderer(self.state.index, common.default_language(config)).kind_keys()
            patterns: dict[str, list[str]] = {"kinds/*": [f"kinds/{k}.md" for k in kinds]}
            for page in self.config.optional_pages:
                if page in str(config.nav) and not _has_page(Path(config.docs_dir), page):
                    log.info(f"{page} is left out of the navigation: there is no such page")
                    patterns[page] = []
            config.nav = _expand_nav(config.nav, patterns)
        return config

    @event_priority(-150)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.state is not None
        lang = self.lang = common.current_language(config)
        self.renderer = Renderer(
            self.state.index, lang,
            recent=self.config.recent,
            today=self.state.today,
            directory_urls=config.use_directory_urls,
        )
        self.pages = {}
        existing = common.documentation_by_dest(files)
        contribute = common.prefix(lang, config) + common.page_dest(
            CONTRIBUTE, config.use_directory_urls)
        self.renderer.contribute = CONTRIBUTE if contribute in existing else None
        added = []
        for page in self.renderer.generated_pages():
            dest = common.prefix(lang, config) + common.page_dest(
                page.name, config.use_directory_urls)
            if dest in existing:  # a page of content/ may not replace a generated one
                raise PluginError(msg(
                    "Casebook: content/{src} would replace the generated page /{dest}; "
                    "rename or remove it", src=existing[dest].src_uri, dest=dest))
            # The heading's id: the skip link's target (see common.add_page).
            file = common.generated_file(config, page.name, lang,
                                          content=f"# {page.title} {{#{common.CONTENT_ID}}}\n",
                                          in_nav=not page.hidden)
            common.set_alternates(file, config, page.name, lang)
            files.append(file)
            if page.listed:
                added.append(file)
            self.pages[file.src_uri] = page
        common.register_pages(config, lang, added)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        common.translate_nav(nav, self.lang or common.current_language(config))
        return nav

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        generated = self.pages.get(page.file.src_uri)
        if generated is not None:
            # Read by overrides/main.html: the title and the sorting script.
            page.meta["title"] = escape(generated.title)
            if generated.view == "all-cases":
                # The table needs the width: the page has no headings to list anyway.
                page.meta["hide"] = ["toc"]
                page.meta["casebook_sortable"] = True
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        generated = self.pages.get(page.file.src_uri)
        if generated is None or self.renderer is None:
            return html
        url = common.url_in_language(page.url, self.lang, config)
        return self.renderer.render_page(generated, url)


def _has_page(docs_dir: Path, page: str) -> bool:
    """True when ``docs_dir`` has ``page`` (``contribute.md``) or a language version of it."""
    path = docs_dir / page
    return path.is_file() or any(path.parent.glob(f"{glob.escape(path.stem)}.*{path.suffix}"))


def _expand_nav(items: list[Any], patterns: dict[str, list[str]]) -> list[Any]:
    """Replace nav entries that are a pattern (``kinds/*``) by the pages they stand for.

    A pattern standing for no page removes the entry (titled or not).
    """
    out: list[Any] = []
    for item in items:
        if isinstance(item, str) and item in patterns:
            out.extend(patterns[item])
        elif isinstance(item, dict):
            entry = {}
            for title, value in item.items():
                if isinstance(value, list):
                    entry[title] = _expand_nav(value, patterns)
                elif isinstance(value, str) and value in patterns:
                    pages = patterns[value]
                    if pages:
                        entry[title] = pages[0] if len(pages) == 1 else pages
                else:
                    entry[title] = value
            if entry:
                out.append(entry)
        else:
            out.append(item)
    return out
