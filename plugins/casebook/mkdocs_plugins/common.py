"""Helpers shared by every Casebook MkDocs plugin (MkDocs side only).

mkdocs-static-i18n builds the default language first; from its own
``on_post_build`` (priority -100) it then runs one nested ``build()`` per other
language on the same config and plugin instances, with its ``building`` flag
set. A plugin event at a lower priority in the *outer* build therefore runs
once, after every language is built: :func:`is_nested_build` tells the two apart.

The knowledge base is loaded (:func:`knowledge_base`) and validated
(:func:`site_state`) once, then reused by every language build while
``content/`` is unchanged. Per-language state lives only in the plugins'
``on_files`` and is replaced at every build.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section

from casebook.checks.validate import validate
from casebook.content.diagnostics import Diagnostic, count
from casebook.content.model import KnowledgeBase, load
from casebook.content.uitext import ui_strings
from casebook.content.vocab import DEFAULT_LANGUAGE
from casebook.i18n import Message, msg, msg_n, resolve_language, translate
from casebook.site.reproducible import build_date
from casebook.site.views import SiteIndex, page_dest

#: Case and organisation page URLs (``cases/<id>/``, ``en/organisations/<id>/``).
ENTRY_URL = re.compile(r"^(?:(?P<lang>[a-z]{2})/)?(?P<collection>cases|organisations)/"
                       r"(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)(?:/|\.html)$")


def i18n_plugin(config: MkDocsConfig) -> Any | None:
    """The mkdocs-static-i18n plugin instance, if configured."""
    return config.plugins.get("i18n")


def is_nested_build(config: MkDocsConfig) -> bool:
    """True inside static-i18n's per-language builds of the other languages."""
    plugin = i18n_plugin(config)
    return bool(plugin is not None and getattr(plugin, "building", False))


def default_language(config: MkDocsConfig) -> str:
    """The language built at the site root."""
    plugin = i18n_plugin(config)
    return str(getattr(plugin, "default_language", None) or DEFAULT_LANGUAGE)


def current_language(config: MkDocsConfig) -> str:
    """The language of the build in progress."""
    plugin = i18n_plugin(config)
    lang = getattr(plugin, "current_language", None) if plugin is not None else None
    return str(lang or config.theme.get("language") or default_language(config))


def build_languages(config: MkDocsConfig) -> list[str]:
    """Every language the site is built in, the default first."""
    plugin = i18n_plugin(config)
    langs = list(getattr(plugin, "build_languages", None) or []) if plugin else []
    default = default_language(config)
    if not langs:
        return [current_language(config)]
    return [default, *[lang for lang in langs if lang != default]]


def prefix(lang: str, config: MkDocsConfig) -> str:
    """URL folder of a language: ``""`` for the default, ``"en/"`` otherwise."""
    return "" if lang == default_language(config) else f"{lang}/"


def url_in_language(url: str, lang: str, config: MkDocsConfig) -> str:
    """A page URL below its language root: ``en/cases/x/`` → ``cases/x/``."""
    pre = prefix(lang, config)
    if pre and url.startswith(pre):
        return url[len(pre):]
    return "" if url in ("./", ".") else url


def root_of(page_url: str) -> str:
    """Relative path from a page URL to the site root (``"../../"``, ``"./"``)."""
    return "../" * page_url.count("/") or "./"


def entry_of(page_url: str) -> tuple[str, str] | None:
    """``(collection, id)`` when the URL is a case or organisation page."""
    m = ENTRY_URL.match(page_url)
    return (m.group("collection"), m.group("id")) if m else None


def kb_root(config: MkDocsConfig, configured: str | None) -> Path:
    """The knowledge base folder: configured, else the parent of ``docs_dir``."""
    if configured:
        base = Path(config.config_file_path or ".").parent
        return (base / configured).resolve()
    return Path(config.docs_dir).resolve().parent


#: Per folder: the fingerprint, the knowledge base and the build config it was
#: last checked for.
_KB_CACHE: dict[Path, tuple[int, KnowledgeBase, weakref.ref[MkDocsConfig] | None]] = {}


def _stamp(root: Path) -> int:
    """A fingerprint of ``content/``: every file's path, size and mtime.

    A file swapped for one with an older mtime, or removed and another added,
    still changes it (a newest-mtime-and-count key would miss both). Every file
    counts, not only entries: the allowlist is checked on all of them.
    """
    seen = []
    stack = [root / "content"]
    while stack:
        path = stack.pop()
        if not path.is_dir() or path.is_symlink():
            continue
        with os.scandir(path) as it:
            for entry in it:
                st = entry.stat(follow_symlinks=False)
                seen.append((entry.path, st.st_mtime_ns, st.st_size))
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
    return hash(tuple(sorted(seen)))


def knowledge_base(root: Path, config: MkDocsConfig | None = None) -> KnowledgeBase:
    """The loaded knowledge base, reloaded only when ``content/`` changed.

    With ``config``, ``content/`` is looked at once per build: the plugins and
    static-i18n's language builds of one build share its config object (every
    build of ``mkdocs serve`` loads a new one).
    """
    cached = _KB_CACHE.get(root)
    if cached and config is not None and cached[2] is not None and cached[2]() is config:
        return cached[1]
    stamp = _stamp(root)
    kb = cached[1] if cached and cached[0] == stamp else load(root)
    _KB_CACHE[root] = (stamp, kb, weakref.ref(config) if config is not None else None)
    return kb


#: The id of the page content's container (``overrides/main.html``).
CONTENT_ID = "cb-main"


def add_page(files: Files, config: MkDocsConfig, name: str, lang: str, title: str) -> File:
    """Add a generated page ``/<name>/`` (``/<lang>/<name>/``) for the current build.

    The source is named ``<name>.<lang>.md`` so that static-i18n resolves a nav
    entry ``<name>.md`` to it; its alternates point at the same page in every
    other language, for the language switcher.
    """
    languages = build_languages(config)

    def make(language: str) -> File:
        # The plugin replaces the page's HTML, heading included; the heading's id is the
        # one of the content container (overrides/main.html), so that Material's
        # "skip to content" link, made from this heading, has a target without script.
        f = File.generated(config, f"{name}.{language}.md",
                           content=f"# {title} {{#{CONTENT_ID}}}\n")
        suffix = f"{name}/index.html" if config.use_directory_urls else f"{name}.html"
        f.dest_uri = f"{prefix(language, config)}{suffix}"
        f.locale = language  # type: ignore[attr-defined]
        f.locale_alternate_of = language  # type: ignore[attr-defined]
        f.localization = language  # type: ignore[attr-defined]
        f.norm_src_uri = f"{name}.md"  # type: ignore[attr-defined]
        return f

    page = make(lang)
    taken = next((f for f in files if f.dest_uri == page.dest_uri), None)
    if taken is not None:  # a file of content/ (or another plugin) already writes there
        src = f"content/{taken.src_uri}" if taken.src_dir == config.docs_dir else taken.src_uri
        raise PluginError(msg("Casebook: {src} would replace the generated page /{dest}; "
                              "rename or remove it", src=src, dest=page.dest_uri))
    page.alternates = {  # type: ignore[attr-defined]
        other: (page if other == lang else make(other)) for other in languages
    }
    files.append(page)
    return page


def insert_before(html: str, marker: str, snippet: str) -> str:
    """Insert ``snippet`` before the first ``marker`` (unchanged when absent)."""
    i = html.find(marker)
    return html if i < 0 else html[:i] + snippet + html[i:]


log = get_plugin_logger("casebook")
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
    root = kb_root(config, root_option)
    if not (root / "content").is_dir():
        raise PluginError(build_message(msg(
            "Casebook: there is no content/ folder in {root}. Set docs_dir to the "
            "knowledge base's content folder, or the plugin's 'root' option to the folder "
            "that holds it.", root=str(root))))
    kb = knowledge_base(root, config)
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
        lang = build_language()
        for d in diagnostics:
            if d.severity == "warning":
                log.info(d.format_text(lang))
        log.info(build_message(msg(
            "Knowledge base: {cases}, {organisations}, {files}, {errors}, {warnings}",
            cases=msg_n("{n} case", "{n} cases", len(state.index.cases)),
            organisations=msg_n("{n} organisation", "{n} organisations",
                                len(state.index.organisations)),
            files=msg_n("{n} file", "{n} files", files),
            errors=msg_n("{n} error", "{n} errors", errors),
            warnings=msg_n("{n} warning", "{n} warnings", warnings))))
    errors = [d for d in state.diagnostics if d.severity == "error"]
    if errors:
        lang = build_language()
        lines = "\n".join(d.format_text(lang) for d in errors)
        raise PluginError(build_message(
            msg_n("Casebook: the knowledge base has {n} error, so the site is not built. Fix "
                  "it and build again (`casebook validate` checks without building):\n{lines}",
                  "Casebook: the knowledge base has {n} errors, so the site is not built. Fix "
                  "them and build again (`casebook validate` checks without building):\n{lines}",
                  len(errors), lines=lines)))
    return state


def build_language() -> str:
    """The language of the build's messages: the environment's (``LC_ALL``,
    ``LC_MESSAGES``, ``LANG``), else English, as for ``casebook validate``."""
    return resolve_language()


def build_message(message: Message) -> str:
    """A build error or notice in :func:`build_language`."""
    return translate(message, build_language())



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
    plugin = i18n_plugin(config)
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
