"""Helpers shared by every Casebook MkDocs plugin (MkDocs side only).

mkdocs-static-i18n builds the default language first; from its own
``on_post_build`` (priority -100) it then runs one nested ``build()`` per other
language on the same config and plugin instances, with its ``building`` flag
set. A plugin event at a lower priority in the *outer* build therefore runs
once, after every language is built: :func:`is_nested_build` tells the two apart.
"""

from __future__ import annotations

import os
import re
import weakref
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from casebook.model import KnowledgeBase, load
from casebook.vocab import DEFAULT_LANGUAGE

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
    """A fingerprint of ``content/``: every entry file's name, size and mtime.

    A file swapped for one with an older mtime, or removed and another added,
    still changes it (a newest-mtime-and-count key would miss both).
    """
    seen = []
    for folder in ("cases", "organisations"):
        path = root / "content" / folder
        if not path.is_dir():
            continue
        with os.scandir(path) as it:
            for entry in it:
                st = entry.stat(follow_symlinks=False)
                seen.append((folder, entry.name, st.st_mtime_ns, st.st_size))
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
    page.alternates = {  # type: ignore[attr-defined]
        other: (page if other == lang else make(other)) for other in languages
    }
    files.append(page)
    return page


def insert_before(html: str, marker: str, snippet: str) -> str:
    """Insert ``snippet`` before the first ``marker`` (unchanged when absent)."""
    i = html.find(marker)
    return html if i < 0 else html[:i] + snippet + html[i:]
