"""MkDocs glue shared by the ``casebook/pages`` and ``casebook/overviews`` plugins.

mkdocs-static-i18n builds the default language and then, from its own
``on_post_build``, one nested ``build()`` per other language with the same
config and plugin instances. The knowledge base is therefore loaded (through
:func:`casebook.mkdocs_plugins.data.common.knowledge_base`, shared with the
search and data plugins) and validated once, then reused by every language
build while ``content/`` is unchanged. Per-language state lives only in the
plugins' ``on_files`` and is replaced at every build.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section

from casebook.diagnostics import Diagnostic, count
from casebook.model import KnowledgeBase
from casebook.render import SiteIndex, page_dest, ui_strings
from casebook.reproducible import build_date
from casebook.validate import validate

from . import common

log = get_plugin_logger("casebook")

# Re-exported so that the site plugins have one place for language helpers.
current_language = common.current_language
default_language = common.default_language
build_languages = common.build_languages
prefix = common.prefix
is_nested_build = common.is_nested_build
url_in_language = common.url_in_language


@dataclass(slots=True)
class SiteState:
    """A loaded, validated knowledge base with its relations."""

    root: Path
    kb: KnowledgeBase
    today: dt.date
    diagnostics: list[Diagnostic]
    index: SiteIndex


_STATES: dict[Path, SiteState] = {}


def site_state(config: MkDocsConfig, root_option: str | None) -> SiteState:
    """The knowledge base of this site, validated once while ``content/`` is unchanged.

    Raises :class:`PluginError` with the validator's own ``file:line:col``
    lines when the knowledge base has errors; warnings are logged at info level
    (they must not break ``mkdocs build --strict``).
    """
    root = common.kb_root(config, root_option)
    if not (root / "content").is_dir():
        raise PluginError(
            f"Casebook: there is no content/ folder in {root}. Set docs_dir to the "
            "knowledge base's content folder, or the plugin's 'root' option to the folder "
            "that holds it."
        )
    kb = common.knowledge_base(root, config)
    try:  # SOURCE_DATE_EPOCH when set: a rebuild of a commit gives the same notices
        today = build_date()
    except ValueError as exc:
        raise PluginError(f"Casebook: {exc}") from exc
    state = _STATES.get(root)
    if state is None or state.kb is not kb or state.today != today:
        diagnostics, files = validate(root, kb=kb, today=today)
        state = SiteState(root, kb, today, diagnostics, SiteIndex.build(kb))
        _STATES[root] = state
        errors, warnings = count(diagnostics)
        for d in diagnostics:
            if d.severity == "warning":
                log.info(d.format_text())
        log.info(f"Knowledge base: {len(state.index.cases)} cases, "
                 f"{len(state.index.organisations)} organisations, {files} files, "
                 f"{errors} errors, {warnings} warnings")
    errors = [d for d in state.diagnostics if d.severity == "error"]
    if errors:
        lines = "\n".join(d.format_text() for d in errors)
        noun = "error" if len(errors) == 1 else "errors"
        raise PluginError(
            f"Casebook: the knowledge base has {len(errors)} {noun}, so the site is not "
            f"built. Fix and build again (`casebook validate` checks without building):"
            f"\n{lines}"
        )
    return state


def generated_file(
    config: MkDocsConfig,
    name: str,
    lang: str,
    *,
    content: str | None = None,
    abs_src_path: str | None = None,
    text_lang: str | None = None,
    in_nav: bool = False,
) -> File:
    """A page ``name`` (source stem, e.g. ``themes/mobility``) for the ``lang`` site.

    The source is named ``<name>.<lang>.md`` so that a nav entry ``<name>.md``
    resolves to it in every language, as static-i18n does for real files. It
    carries static-i18n's attributes (``locale`` = language of its text,
    ``alternates`` via :func:`set_alternates`) so that the language switcher
    and the sitemap treat it like any other page.
    """
    if content is not None:
        f = File.generated(config, f"{name}.{lang}.md", content=content)
    else:
        assert abs_src_path is not None
        f = File.generated(config, f"{name}.{lang}.md", abs_src_path=abs_src_path)
    f.dest_uri = prefix(lang, config) + page_dest(name, config.use_directory_urls)
    f.name = name.rsplit("/", 1)[-1]  # "index" makes the home page the homepage
    f.locale = text_lang or lang  # type: ignore[attr-defined]
    f.locale_alternate_of = lang  # type: ignore[attr-defined]
    f.localization = text_lang or lang  # type: ignore[attr-defined]
    f.norm_src_uri = f"{name}.md"  # type: ignore[attr-defined]
    f.inclusion = InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV
    return f


def set_alternates(file: File, config: MkDocsConfig, name: str, lang: str) -> None:
    """Point the page's alternates at ``name`` in every built language."""
    alternates: dict[str, Any] = {}
    for other in build_languages(config):
        if other == lang:
            alternates[other] = file
            continue
        alt = File(f"{name}.{other}.md", None, config.site_dir, config.use_directory_urls,
                   dest_uri=prefix(other, config) + page_dest(name, config.use_directory_urls))
        alt.locale = other  # type: ignore[attr-defined]
        alternates[other] = alt
    file.alternates = alternates  # type: ignore[attr-defined]


def register_pages(config: MkDocsConfig, lang: str, added: list[File]) -> None:
    """Add generated pages to static-i18n's per-language list (used for sitemap.xml)."""
    plugin = common.i18n_plugin(config)
    pages = getattr(plugin, "i18n_files_per_language", {}).get(lang) if plugin else None
    if isinstance(pages, list):
        pages.extend(added)


def documentation_by_dest(files: Files) -> dict[str, File]:
    """Documentation pages of this build by destination path."""
    return {f.dest_uri: f for f in files if f.is_documentation_page()}


def translate_nav(nav: Navigation, lang: str) -> None:
    """Replace nav titles that are keys of ``ui.yaml``'s ``nav`` table (``cases``)."""
    titles = ui_strings().get("nav", {})

    def walk(items: list[Any]) -> None:
        for item in items:
            title = getattr(item, "title", None)
            if isinstance(title, str) and title in titles:
                item.title = titles[title].get(lang) or title
            if isinstance(item, Section):
                walk(item.children)

    walk(nav.items)
