"""``casebook/safety``: the build publishes no script it does not know, and leaks no file.

- ``on_config``: if ``pymdownx.snippets`` is enabled, its configuration must keep
  includes inside a folder of the repository (``base_path`` below the folder of
  ``mkdocs.yml``, ``restrict_base_path: true``, ``check_paths: true``, no
  ``url_download``); otherwise the build stops and says what to change.
- ``on_config`` also adds :class:`RenderBudget` to the Markdown extensions: every
  page's Markdown (entries and the pages of ``content/`` alike) renders under the
  hard time and depth budget of ``data/render-budget.yaml``
  (:func:`casebook.safety.watchdog.bounded`); a page over it stops the build with
  a validation error naming the file and the budget, never a traceback or a hang.
- ``on_post_page`` and ``on_post_template`` (the 404 page): every page gets its
  Content-Security-Policy (:func:`casebook.safety.csp.add_policy`).
- ``on_post_build`` (after the other plugins wrote their files): every HTML file
  of the site is scanned with :func:`casebook.safety.htmlscan.scan_site`, each
  language's folder by that language's build (static-i18n's nested builds, in a
  second process when the languages are built in parallel) and the rest by the
  outermost build; any script, event-handler attribute, script URL, frame or
  object outside the allowlist fails the build with file, line and what to do.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger

from casebook.i18n import msg, msg_n
from casebook.mkdocs_plugins import common
from casebook.mkdocs_plugins.safety.config import SafetyConfig
from casebook.safety.budget import limits, over_budget
from casebook.safety.csp import add_policy
from casebook.safety.htmlscan import report, scan_site
from casebook.safety.watchdog import OverBudget, bounded

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


class RenderBudget(Extension):
    """Renders each page under the hard budget: ``convert`` of the Markdown instance
    MkDocs makes for a page runs inside :func:`bounded`."""

    def __init__(self, page: Callable[[], str]) -> None:
        super().__init__()
        self.page = page

    def extendMarkdown(self, md: Markdown) -> None:
        convert = md.convert
        budget = limits()

        def bounded_convert(source: str) -> str:
            try:
                with bounded(budget["render_seconds"], budget["render_depth"]):
                    return convert(source)
            except OverBudget as over:
                md.reset()
                problem = over_budget(self.page(), over, rendering=True)
                raise PluginError(common.build_message(msg(
                    "casebook/safety: a page is over its rendering budget, so the site is "
                    "not built:\n{problem}", problem=problem.format_text()))) from None

        md.convert = bounded_convert  # type: ignore[method-assign]


class SafetyPlugin(BasePlugin[SafetyConfig]):
    """Guards of the published output."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        #: When the outermost build's first scan started (``time.time_ns()``).
        self._since: int | None = None
        #: The source of the page being rendered, as the validator names files.
        self._page = ""

    # Before casebook/pages validates the content: a configuration problem comes first.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not any(isinstance(e, RenderBudget) for e in config.markdown_extensions):
            config.markdown_extensions.append(RenderBudget(lambda: self._page))
        if self.config.check_snippets:
            problems = snippet_problems(config)
            if problems:
                raise PluginError(common.build_message(msg(
                    "casebook/safety: the {extension} configuration in mkdocs.yml could "
                    "include files from outside the repository into published pages: "
                    "{problems}.", extension=SNIPPETS, problems="; ".join(problems))))
        return config

    def on_page_markdown(self, markdown: str, *, page: Any, config: MkDocsConfig,
                         files: Any) -> str:
        root = Path(config.config_file_path or ".").parent
        source = Path(page.file.abs_src_path or "")
        self._page = (source.relative_to(root).as_posix() if root in source.parents
                      else f"{Path(config.docs_dir).name}/{page.file.src_uri}")
        return markdown

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        return add_policy(output) if self.config.csp else output

    # Before casebook/pages keeps the 404 page to write it again after static-i18n.
    @event_priority(50)
    def on_post_template(self, output_content: str, *, template_name: str,
                         config: MkDocsConfig) -> str:
        if self.config.csp and template_name.endswith(".html"):
            return add_policy(output_content)
        return output_content

    # The default language's pages, before static-i18n (-100) builds (or waits for)
    # the other languages: so the scan overlaps with their build.
    @event_priority(-90)
    def _scan_default_language(self, *, config: MkDocsConfig) -> None:
        if not self.config.scan or common.is_nested_build(config):
            return
        self._since = time.time_ns()
        self._scan(config, skip=self._other_languages(config))

    # Last of all, after the Casebook plugins (-200) wrote their files. A language's
    # nested build (static-i18n writes it below site_dir/<lang>/, perhaps in a second
    # process, see ..parallel) scans its folder; the outermost build scans what was
    # written after its first scan (e.g. the 404 page restored by casebook/pages).
    @event_priority(-1000)
    def _scan_the_rest(self, *, config: MkDocsConfig) -> None:
        if not self.config.scan:
            return
        site = Path(config.site_dir)
        if common.is_nested_build(config):
            lang = common.current_language(config)
            root = site.parent if site.name == lang else site
            self._scan(config, root=root, under=lang)
        elif self._since is not None:
            self._scan(config, skip=self._other_languages(config), newer_than=self._since)
            self._since = None

    on_post_build = CombinedEvent(_scan_default_language, _scan_the_rest)

    def on_build_error(self, *, error: Exception) -> None:
        self._since = None

    @staticmethod
    def _other_languages(config: MkDocsConfig) -> list[str]:
        default = common.default_language(config)
        return [lang for lang in common.build_languages(config) if lang != default]

    def _scan(self, config: MkDocsConfig, *, root: Path | None = None,
              under: str | None = None, skip: list[str] | None = None,
              newer_than: int | None = None) -> None:
        started = time.perf_counter()
        findings, count = scan_site(root or Path(config.site_dir), site_url=config.site_url,
                                    under=under, skip=skip or (), newer_than=newer_than,
                                    # Pagefind and the plugins' assets may be written
                                    # later: `casebook scan-html` checks they exist.
                                    check_files=False)
        if findings:
            raise PluginError(common.build_message(msg_n(
                "casebook/safety: the built site holds {n} thing that could run script or "
                "load other pages, so it must not be published. The allowlist of theme and "
                "Pagefind scripts is in casebook/htmlscan.py.\n{report}",
                "casebook/safety: the built site holds {n} things that could run script or "
                "load other pages, so it must not be published. The allowlist of theme and "
                "Pagefind scripts is in casebook/htmlscan.py.\n{report}", len(findings),
                report=report(findings))))
        if count:
            log.info(f"Safety: {count} HTML files scanned in "
                     f"{time.perf_counter() - started:.2f} s, nothing outside the allowlist")
