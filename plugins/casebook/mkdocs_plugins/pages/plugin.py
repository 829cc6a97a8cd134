"""``casebook/pages``: validate the knowledge base and render case and organisation pages.

- At the start of every build the knowledge base is validated (once per change
  of ``content/``, see :mod:`..common`); an error stops the build with the
  validator's own ``file:line:col`` lines.
- Case and organisation pages get their fact box, notices and relations from
  :class:`casebook.site.render.Renderer`; the Markdown body is rendered by MkDocs.
- The allowlist of ``content/`` (:mod:`casebook.content.allowlist`) decides what is
  published: a file of ``content/`` it does not name, or one that would land on
  a path the theme, a plugin or a generated page owns, stops the build (MkDocs
  would otherwise let it replace the theme's file of the same name).
- An entry page renders the body the validator checked (one front-matter
  grammar), with ids outside the theme's, between markers the post-build scan
  reads.
- With ``repo_url`` in mkdocs.yml, every entry page has its ways on
  (``page.meta.casebook_ways``, shown by the theme's ``main.html``): suggest a
  correction, edit the entry's file (``edit_uri``), propose a case, the repository.
- An entry without a file in the language being built (static-i18n only falls
  back to the default language) gets a page made from its original file, so
  every entry exists in every language; the page says it is not translated and
  marks its text with the right ``lang``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment
from markupsafe import escape
from mkdocs.commands.build import _build_theme_template as build_theme_template
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from casebook.content.model import Entry, EntryFile
from casebook.content.sections import settled_sections
from casebook.content.uitext import ui_text
from casebook.i18n import msg, msg_n
from casebook.mkdocs_plugins import common, parallel
from casebook.mkdocs_plugins.pages.config import PagesConfig
from casebook.safety import ids
from casebook.safety.sanitize import sanitize_html
from casebook.safety.urls import annotate_links
from casebook.site.render import Renderer
from casebook.site.ways import Repository, entry_ways

COLLECTIONS = ("cases", "organisations")


def _once(cache: dict[tuple[str, str], str]) -> Callable[..., str]:
    """``{% call casebook_once(name, page.url) %}...{% endcall %}``: render once per folder.

    For theme parts that are the same on every page of a folder (their links
    are relative to it) in one language build; a new cache comes with every
    build's template environment.
    """

    def once(name: str, page_url: str, *, caller: Callable[[], str]) -> str:
        key = (name, page_url.rstrip("/").rpartition("/")[0])
        if key not in cache:
            cache[key] = caller()
        return cache[key]

    return once


class PagesPlugin(BasePlugin[PagesConfig]):
    """Case and organisation pages for every language of the site."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.state: common.SiteState | None = None
        # Per-language build state, replaced in every on_files.
        self.lang = ""
        self.renderer: Renderer | None = None
        self.entries: dict[str, Entry] = {}
        #: Each language's 404 page as rendered (every build writes /404.html).
        self.not_found: dict[str, str] = {}
        #: The mkdocs command (``build``, ``serve``...) and its ``--dirty``.
        self.command = ""
        self.dirty = False
        #: The process building the other languages (``parallel_languages``).
        self.worker: parallel.LanguageWorker | None = None
        self._restore: Callable[[], None] | None = None
        #: The default language's build, to write the sitemap again after the others.
        self._theme: tuple[Environment, Files, Navigation] | None = None
        self._nav: Navigation | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.config.stale_after_months < 1:
            raise PluginError(common.build_message(
                msg("casebook/pages: 'stale_after_months' must be 1 or more")))
        self.state = common.site_state(config, self.config.root)
        if not config.repo_url:
            # No repository named (REPO_URL unset): no edit links either, rather than a
            # relative edit_uri MkDocs would warn about on every page.
            config.edit_uri = None
        # Heading anchors never take an id of the theme's (``## __config``).
        toc = config.mdx_configs.setdefault("toc", {})
        if not getattr(toc.get("slugify"), "casebook_guarded", False):
            toc["slugify"] = ids.guarded_slugify(toc.get("slugify"))
        if not common.is_nested_build(config):
            self.not_found = {}
        lang = common.current_language(config)
        config.copyright = ui_text("site.licence", lang)
        config.site_description = ui_text("site.description", lang)
        return config

    # First of all, just after MkDocs cleaned the site folder.
    @event_priority(1000)
    def _fork_languages(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Start building the other languages in a second process (``parallel_languages``)."""
        self._stop_worker()
        if (self.config.parallel_languages and self.command in ("build", "gh-deploy")
                and not common.is_nested_build(config) and not parallel.IN_WORKER
                and parallel.supported()):
            self.worker = parallel.start(config, self.dirty)
            if self.worker is not None:
                self._restore = parallel.waiting_builds(self.worker)
        return files

    # After static-i18n (-100) has chosen the files of the language being built.
    @event_priority(-150)
    def _add_entry_pages(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.state is not None
        lang = self.lang = common.current_language(config)
        self.renderer = Renderer(
            self.state.index, lang,
            stale_after_months=self.config.stale_after_months,
            today=self.state.today,
            directory_urls=config.use_directory_urls,
            site_url=config.site_url or None,
        )
        self.entries = {}
        existing = common.documentation_by_dest(files)
        added = []
        index = self.state.index
        for collection, entries in (("cases", index.cases), ("organisations", index.organisations)):
            for entry in entries.values():
                name = f"{collection}/{entry.id}"
                dest = common.prefix(lang, config) + common.page_dest(
                    name, config.use_directory_urls)
                file = existing.get(dest)
                if file is None:
                    source = entry.file_for(lang)
                    if source is None:
                        continue
                    file = common.generated_file(config, name, lang,
                                                  abs_src_path=str(source.path),
                                                  text_lang=source.lang)
                    files.append(file)
                    added.append(file)
                common.set_alternates(file, config, name, lang)
                self.entries[file.src_uri] = entry
        common.register_pages(config, lang, added)
        return files

    # First: before any plugin turns content/ files into pages of a language.
    @event_priority(900)
    def _only_allowlisted(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Stop the build when ``content/`` holds a file the allowlist does not name."""
        assert self.state is not None
        kb = self.state.kb
        # Paths relative to content/ (= docs_dir, as MkDocs' src_uri of a docs file).
        allowed = {f.rel.split("/", 1)[1] for f in kb.files()}
        allowed.update(rel.split("/", 1)[1] for rel in kb.published)
        refused = {rel.split("/", 1)[1]: message for rel, _, message in kb.stray}
        problems = []
        for file in files:
            if file.generated_by is not None or file.src_dir != config.docs_dir:
                continue
            if file.src_uri in allowed:
                continue
            reason = refused.get(file.src_uri) or msg(
                "the allowlist of content/ does not name it")
            problems.append(f"content/{file.src_uri}: {reason}")
        if problems:
            raise PluginError(msg_n(
                "Casebook: content/ holds {n} file that the allowlist of content/ "
                "(casebook/data/content-allowlist.yaml) does not name, so the site is not "
                "built:\n{lines}",
                "Casebook: content/ holds {n} files that the allowlist of content/ "
                "(casebook/data/content-allowlist.yaml) does not name, so the site is not "
                "built:\n{lines}", len(problems), lines="\n".join(problems)))
        return files

    # After static-i18n (-100) gave every file its place in the language's site, before
    # the Casebook plugins add their pages (-150).
    @event_priority(-120)
    def _no_content_on_owned_paths(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Stop the build when a file from content/ would land where the theme or a plugin
        writes (a generated page is checked where it is added)."""
        theme_dirs = [Path(d) for d in config.theme.dirs]
        languages = tuple(common.build_languages(config))
        problems = []
        for file in files:
            if file.generated_by is not None or file.src_dir != config.docs_dir:
                continue
            dest = file.dest_uri
            inside = dest.split("/", 1)[1] if dest.split("/", 1)[0] in languages else dest
            owner = ids.site_path_owner(dest, languages)
            if owner is None and any((d / inside).is_file() for d in theme_dirs):
                owner = msg("the theme's file /{path}", path=inside)
            if owner is not None:
                problems.append(msg("content/{src} would be published as /{dest}, which "
                                    "belongs to {owner}; rename or remove it",
                                    src=file.src_uri, dest=dest, owner=owner))
        if problems:
            raise PluginError("Casebook: " + "\n".join(problems))
        return files

    on_files = CombinedEvent(_fork_languages, _only_allowlisted, _no_content_on_owned_paths,
                             _add_entry_pages)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if not common.is_nested_build(config):
            self._theme = None
            self._nav = nav
        return nav

    def on_post_template(self, output_content: str, *, template_name: str,
                         config: MkDocsConfig) -> str:
        if template_name == "404.html":
            self.not_found[common.current_language(config)] = output_content
        return output_content

    # After static-i18n (-100), which runs the other languages' builds from its own
    # on_post_build: every build writes Material's 404.html at the site root.
    @event_priority(-200)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Each language's 404 page (``/404.html``, ``/en/404.html``); the other process."""
        site = Path(config.site_dir)
        lang = common.current_language(config)
        if common.is_nested_build(config):
            if lang in self.not_found:
                (site / lang).mkdir(parents=True, exist_ok=True)
                (site / lang / "404.html").write_text(self.not_found[lang], encoding="utf-8")
            return
        worker, self.worker = self.worker, None
        if worker is not None:
            try:
                worker.wait()  # already done, unless static-i18n's loop did not run
            finally:
                self._undo_waiting()
            self._write_sitemap(config, worker)
        default = common.default_language(config)
        if default in self.not_found:
            (site / "404.html").write_text(self.not_found[default], encoding="utf-8")

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_worker()

    def _stop_worker(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.stop()
        self._undo_waiting()

    def _undo_waiting(self) -> None:
        restore, self._restore = self._restore, None
        if restore is not None:
            restore()

    def _write_sitemap(self, config: MkDocsConfig, worker: parallel.LanguageWorker) -> None:
        """static-i18n's sitemap lists every language's pages: write it again with the
        pages of the other process (as the last language's build would have)."""
        i18n = common.i18n_plugin(config)
        if (self._theme is None or i18n is None or not worker.sitemap
                or "sitemap.xml" not in config.theme.static_templates):
            return
        per_language = getattr(i18n, "i18n_files_per_language", None)
        if not isinstance(per_language, dict):
            return
        for lang, entries in worker.sitemap.items():
            per_language[lang] = parallel.sitemap_files(entries)
        env, files, nav = self._theme
        build_theme_template("sitemap.xml", env, files, config, nav)

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """``casebook_ui(key)``: a UI string in the language being built, for the overrides."""
        lang = self.lang or common.current_language(config)
        env.globals["casebook_ui"] = lambda key, **values: ui_text(key, lang, **values)
        env.globals["casebook_once"] = _once({})
        if not common.is_nested_build(config) and self._nav is not None:
            self._theme = (env, files, self._nav)
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        entry = self.entries.get(page.file.src_uri)
        if entry is None and page.file.generated_by is None:
            # A page of content/ (contribute.<lang>.md): the theme prints title and
            # description unescaped at the top of <head>; only those two keys reach it,
            # as plain text, escaped (no other front-matter key reaches the theme).
            page.meta = {key: escape(" ".join(str(page.meta[key]).split()))
                         for key in ("title", "description")
                         if isinstance(page.meta.get(key), str)}
        if entry is not None:
            # One grammar: the body rendered is the body the validator checked, split
            # from the front-matter by casebook.content.frontmatter (not MkDocs' own reading),
            # and no front-matter key reaches the theme.
            source = entry.file_for(self.lang)  # the page's own file, or the original
            markdown = source.doc.body if source is not None else ""
            page.meta = {}
            # Material prints page.meta.title and .description without escaping
            # (<title>, the header, <meta content="...">): hand it escaped Markup.
            page.meta["title"] = escape(entry.title(self.lang))
            summary = entry.text("summary", self.lang)
            if summary:
                page.meta["description"] = escape(str(summary).strip())
            markdown = settled_sections(entry, markdown, self.lang)
            if config.repo_url:
                page.meta["casebook_ways"] = self._ways(entry, source, config)
        return markdown

    def _ways(self, entry: Entry, source: EntryFile | None,
              config: MkDocsConfig) -> dict[str, str]:
        repo = Repository(str(config.repo_url), str(config.edit_uri or ""),
                          self.config.new_case_form, self.config.correction_form)
        docs_path = None
        if source is not None:
            try:
                docs_path = source.path.resolve().relative_to(
                    Path(config.docs_dir).resolve()).as_posix()
            except ValueError:  # a file outside docs_dir has no editor address
                docs_path = None
        return entry_ways(repo, entry, docs_path)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        entry = self.entries.get(page.file.src_uri)
        if entry is None and page.file.generated_by is None:
            # A page of content/ (contribute.<lang>.md): validated like an entry, and
            # sanitised like one.
            return annotate_links(sanitize_html(html))
        if entry is None or self.renderer is None:
            return html
        url = common.url_in_language(page.url, self.lang, config)
        # Defence in depth: the body is sanitised even though it was validated (no id of
        # the theme's survives either); the markers tell the post-build scan where it is.
        html = ids.mark_content(annotate_links(sanitize_html(html)))
        if entry.collection == "cases":
            return self.renderer.case_page(entry, html, url)
        return self.renderer.organisation_page(entry, html, url)
