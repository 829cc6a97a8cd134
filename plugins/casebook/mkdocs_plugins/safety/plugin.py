"""``casebook/safety``: the build publishes no script it does not know, and leaks no file.

- ``on_config``: if ``pymdownx.snippets`` is enabled, its configuration must keep
  includes inside a folder of the repository (``base_path`` below the folder of
  ``mkdocs.yml``, ``restrict_base_path: true``, ``check_paths: true``, no
  ``url_download``); otherwise the build stops and says what to change.
- ``on_post_build`` (after the other plugins wrote their files): every HTML file
  of the site is scanned with :func:`casebook.htmlscan.scan_site`, each
  language's folder by that language's build (static-i18n's nested builds, in a
  second process when the languages are built in parallel) and the rest by the
  outermost build; any script, event-handler attribute, script URL, frame or
  object outside the allowlist fails the build with file, line and what to do.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger

from casebook.htmlscan import report, scan_site

from .. import common
from .config import SafetyConfig

log = get_plugin_logger("casebook")

SNIPPETS = "pymdownx.snippets"


def snippet_problems(config: MkDocsConfig) -> list[str]:
    """What makes the ``pymdownx.snippets`` configuration unsafe (empty: safe or unused)."""
    if SNIPPETS not in config.markdown_extensions:
        return []
    options: dict[str, Any] = dict(config.mdx_configs.get(SNIPPETS) or {})
    problems = []
    repository = Path(config.config_file_path or ".").resolve().parent
    bases = options.get("base_path", ["."])
    if isinstance(bases, str):
        bases = [bases]
    for base in bases:
        # pymdownx.snippets resolves base paths against the working directory.
        resolved = Path(os.path.abspath(str(base))).resolve()
        if resolved == repository or repository not in resolved.parents:
            problems.append(f"base_path '{base}' must be a folder inside the repository "
                            f"({repository}), such as 'content' or 'snippets'")
    if options.get("restrict_base_path", True) is not True:
        problems.append("restrict_base_path must be true")
    if options.get("check_paths", False) is not True:
        problems.append("check_paths must be true (a refused include then fails the build)")
    if options.get("url_download", False):
        problems.append("url_download must be false")
    return problems


class SafetyPlugin(BasePlugin[SafetyConfig]):
    """Guards of the published output."""

    supports_multiple_instances = False

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.config.check_snippets:
            problems = snippet_problems(config)
            if problems:
                raise PluginError(
                    f"casebook/safety: the {SNIPPETS} configuration in mkdocs.yml could "
                    "include files from outside the repository into published pages: "
                    + "; ".join(problems) + "."
                )
        return config

    # Last of all: after the Casebook plugins (-200) wrote their files. Each language's
    # build scans its own pages (static-i18n builds the other languages into
    # site/<lang>/, perhaps in a second process, see ..parallel); the outermost build
    # scans the rest.
    @event_priority(-1000)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.scan:
            return
        started = time.perf_counter()
        site = Path(config.site_dir)
        if common.is_nested_build(config):
            # static-i18n keeps site_dir and writes below site_dir/<lang>/.
            lang = common.current_language(config)
            root = site.parent if site.name == lang else site
            findings, count = scan_site(root, site_url=config.site_url, under=lang)
        else:
            default = common.default_language(config)
            others = [lang for lang in common.build_languages(config) if lang != default]
            findings, count = scan_site(site, site_url=config.site_url, skip=others)
        if findings:
            raise PluginError(
                f"casebook/safety: the built site holds {len(findings)} thing(s) that could "
                "run script or load other pages, so it must not be published. The "
                "allowlist of theme and Pagefind scripts is in casebook/htmlscan.py.\n"
                + report(findings)
            )
        log.info(f"Safety: {count} HTML files scanned in "
                 f"{time.perf_counter() - started:.2f} s, nothing outside the allowlist")
