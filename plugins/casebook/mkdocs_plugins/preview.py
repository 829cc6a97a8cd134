"""``make preview``: a live-reloading local site that renders again only what a change touches.

The site is built once, in this process, as ``mkdocs serve`` builds it (each
language after the other, every plugin). While it builds, an injected plugin
keeps each language's files, navigation and template environment and the
state the plugins hold for that language. Then ``content/`` is watched:

- A saved entry file is read again into the loaded knowledge base
  (:func:`casebook.preview.incremental.apply_changes`) and checked together with the
  entries that name it (:func:`casebook.preview.incremental.check_entries`). Findings
  are printed; with an error nothing is rendered and the preview keeps the
  last valid version (the server keeps running).
- Otherwise :func:`casebook.preview.affected.affected_pages` names the pages that show
  the entry (its own, its organisations', related cases', the overviews of
  its facet values, the table of all cases, the home page, the statistics),
  and each of them is rendered again in every language through MkDocs' own
  page pipeline and Material's templates, with the plugins restored to that
  language's state. The entry's own pages come first: once they are written
  the open page reloads, and the other pages follow in the background. A page
  still waiting is rendered the moment it is asked for, so the preview never
  serves an out-of-date page (at 10,000 cases the table of all cases and its
  sorted copies are a few megabytes each: they no longer hold up the page the
  contributor is looking at).
- An entry or file added or removed, a facet value coming or going, a change
  to ``mkdocs.yml`` or the theme overrides: the whole site is built again.

Open pages reload (MkDocs' ``LiveReloadServer``, in :mod:`.preview_server`); a
missing page gets the site's 404 page in its language, with status 404. The
search index and the open-data downloads are those of the last full build.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.commands.build import _build_page, _populate_page, build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from casebook.content.diagnostics import Diagnostic
from casebook.i18n import msg, msg_n, resolve_language, translate
from casebook.mkdocs_plugins import common
from casebook.mkdocs_plugins.preview_server import PreviewServer
from casebook.preview.affected import Shown, affected_pages
from casebook.preview.incremental import (
    Key,
    apply_changes,
    changed_files,
    check_entries,
    content_stamps,
    restamp,
)
from casebook.site.render import Renderer
from casebook.site.views import SiteIndex, page_dest

log = logging.getLogger("casebook.preview")

#: The name the capturing plugin is registered under.
CAPTURE = "casebook/preview"


#: The language of the terminal's lines: ``--lang``, else the environment's (``LANG``).
_LANGUAGE = ["en"]


def say(text: str) -> None:
    """A line for the contributor in the terminal, in the preview's language."""
    print(translate(text, _LANGUAGE[0]), flush=True)


@dataclass(slots=True)
class LanguageBuild:
    """What one language's build leaves behind to render its pages again."""

    lang: str
    files: Files
    nav: Navigation
    env: Environment
    doc_files: list[File]
    by_dest: dict[str, File]
    #: Every plugin's attributes as they were when the pages were rendered.
    plugins: dict[str, dict[str, Any]] = field(default_factory=dict)


class _Capture(BasePlugin):  # type: ignore[type-arg]
    """Remembers each language build (injected into the preview's configuration)."""

    def __init__(self, builds: dict[str, LanguageBuild]) -> None:
        super().__init__()
        self.builds = builds
        self._nav: Navigation | None = None

    @event_priority(-10000)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._nav = nav
        return nav

    # Last of all: every plugin has set up its state for this language.
    @event_priority(-10000)
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        assert self._nav is not None
        lang = common.current_language(config)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        self.builds[lang] = LanguageBuild(
            lang, files, self._nav, env, doc_files, {f.dest_uri: f for f in doc_files},
            {name: dict(vars(p)) for name, p in config.plugins.items() if p is not self},
        )
        return env


def _renderers(builds: Iterable[LanguageBuild]) -> list[Renderer]:
    found: dict[int, Renderer] = {}
    for lb in builds:
        for state in lb.plugins.values():
            for value in state.values():
                if isinstance(value, Renderer):
                    found[id(value)] = value
    return list(found.values())


def _related_keys(index: SiteIndex, keys: set[Key]) -> set[Key]:
    """Entries that name one of ``keys``: their references may have changed."""
    cases = {i for c, i in keys if c == "cases"}
    orgs = {i for c, i in keys if c == "organisations"}
    out: set[Key] = set()
    for case_id in cases:
        out |= {("cases", c) for c in index.related.get(case_id, ())}
        out |= {("cases", u) for (repo, _), ids in index.block_users.items()
                if repo == case_id for u in ids}
    for org_id in orgs:
        out |= {("cases", c) for ids in index.roles.get(org_id, {}).values() for c in ids}
    return out


class Preview:
    """The preview site: one full build, then pages rendered again as content changes."""

    def __init__(self, config_file: Path, site_dir: Path) -> None:
        self.config_file = config_file.resolve()
        self.site_dir = site_dir
        self.config: MkDocsConfig | None = None
        self.builds: dict[str, LanguageBuild] = {}
        self.root: Path | None = None
        self.stamps: dict[str, tuple[int, int, int]] = {}
        self.watched: dict[str, float] = {}
        #: Changed entries not shown yet (the knowledge base had errors), and their
        #: facts as last shown.
        self.pending: set[Key] = set()
        self.before: dict[Key, Shown] = {}
        #: Pages that changed but are not rendered yet: site path → (language, name).
        self.waiting: dict[str, tuple[str, str]] = {}
        #: Held while the site changes: an update, or a waiting page rendered.
        self.lock = threading.RLock()
        #: The waiting page being rendered now (taken from ``waiting``, not written yet).
        self.rendering: str | None = None
        #: The errors of the last save: the open page shows them until they are fixed.
        self.problems: list[Diagnostic] = []
        self._started = 0.0

    # --- full builds ------------------------------------------------------------------

    def other_paths(self) -> list[Path]:
        """Files and folders whose change needs a full build (configuration, theme)."""
        paths = [self.config_file]
        overrides = self.config_file.parent / "overrides"
        if overrides.is_dir():
            paths.append(overrides)
        return paths

    def _other_stamps(self) -> dict[str, float]:
        stamps: dict[str, float] = {}
        for path in self.other_paths():
            for p in [path, *(path.rglob("*") if path.is_dir() else [])]:
                with contextlib.suppress(OSError):
                    stamps[str(p)] = p.stat().st_mtime
        return stamps

    def full_build(self) -> bool:
        """Build the whole site again; ``False`` (after saying why) when it fails."""
        started = time.perf_counter()
        self.watched = self._other_stamps()
        builds: dict[str, LanguageBuild] = {}
        config: MkDocsConfig | None = None
        try:
            config = load_config(str(self.config_file), site_dir=str(self.site_dir))
            config.plugins[CAPTURE] = _Capture(builds)
            config.plugins.on_startup(command="serve", dirty=False)
            pages = config.plugins.get("casebook/pages")
            root = common.kb_root(config, pages.config.root if pages else None)
            self.stamps = content_stamps(root)
            build(config)
        except Exception as exc:  # a failed build is reported, never a traceback
            if config is not None:
                with contextlib.suppress(Exception):
                    config.plugins.on_shutdown()
            self.config = None
            say(_failure(exc))
            say(msg("The site is built again when you save a file."))
            return False
        self._shutdown()
        self.config, self.builds, self.root = config, builds, root
        self.pending.clear()
        self.before.clear()
        self.waiting.clear()
        self.problems = []
        search = config.plugins.get("casebook/search")
        if search is not None and "index" in search.config:
            # The search index stays that of the full build: pages rendered again
            # are not handed to Pagefind.
            search.config["index"] = False
        say(msg("Site built in {seconds} s.", seconds=f"{time.perf_counter() - started:.1f}"))
        return True

    def _shutdown(self) -> None:
        if self.config is not None:
            with contextlib.suppress(Exception):
                self.config.plugins.on_shutdown()

    def close(self) -> None:
        """End the plugins' work (Pagefind processes and the like)."""
        self._shutdown()
        self.config = None

    # --- changes ----------------------------------------------------------------------

    def update(self, paths: Iterable[str] | None = None) -> None:
        """Bring the site up to date with the files (``LiveReloadServer``'s builder):
        the files ``paths`` a watcher reported, or every file.

        Never raises: the server would stop reloading pages.
        """
        with self.lock:
            try:
                self._update(paths)
            except Exception as exc:  # e.g. a page that fails to render: build it all again
                say(_failure(exc))
                with contextlib.suppress(Exception):
                    self.full_build()

    def _update(self, paths: Iterable[str] | None) -> None:
        if self.config is None or self.root is None or self._other_stamps() != self.watched:
            self.full_build()
            return
        if paths is None:
            stamps = content_stamps(self.root)
            changed: set[str] | None = changed_files(self.stamps, stamps)
            self.stamps = stamps
        else:
            changed = restamp(self.root, self.stamps, paths)
            if changed is None:
                self.full_build()
                return
        if not changed:
            return
        state = getattr(self.config.plugins.get("casebook/pages"), "state", None)
        if state is None:
            self.full_build()
            return
        started = time.perf_counter()
        kb = state.kb
        for rel in changed:
            for collection in ("cases", "organisations"):
                entry = kb.collection(collection).get(_entry_id(rel, collection) or "")
                if entry is not None and entry.original is not None:
                    self.before.setdefault((collection, entry.id), Shown.of(entry))
        changes = apply_changes(kb, changed)
        if changes.structural:
            self.full_build()
            return
        self.pending |= changes.entries
        old: SiteIndex = state.index
        new = SiteIndex.build(kb)
        checked = self.pending | _related_keys(old, self.pending) | _related_keys(new, self.pending)
        diagnostics = check_entries(kb, checked, today=state.today)
        _report(diagnostics)
        self.problems = [d for d in diagnostics if d.severity == "error"]
        if self.problems:
            say(msg("The preview keeps showing the last valid version until the errors are "
                    "fixed."))
            return
        affected = affected_pages(self.pending, self.before, old, new)
        if affected.pages is None:
            self.full_build()
            return
        for f in fields(SiteIndex):  # in place: every plugin and renderer holds this index
            setattr(old, f.name, getattr(new, f.name))
        for renderer in _renderers(self.builds.values()):
            renderer.forget(affected.rows)
        own = {f"{c}/{i}" for c, i in self.pending}
        rendered = 0
        for lb in self.builds.values():
            rendered += self._render(lb, sorted(own & affected.pages))
            for name in sorted(affected.pages - own):
                self.waiting[self._dest(lb.lang, name)] = (lb.lang, name)
        names = ", ".join(sorted(f"{c}/{i}" for c, i in self.pending))
        self.pending.clear()
        self.before.clear()
        seconds = f"{time.perf_counter() - started:.2f}"
        if self.waiting:
            self._started = started
            say(msg_n("{entries}: {n} page updated in {seconds} s; {following}",
                      "{entries}: {n} pages updated in {seconds} s; {following}", rendered,
                      entries=names, seconds=seconds,
                      following=msg_n("{n} page that lists it follows.",
                                      "{n} pages that list it follow.", len(self.waiting))))
        else:
            say(msg_n("{entries}: {n} page updated in {seconds} s.",
                      "{entries}: {n} pages updated in {seconds} s.", rendered, entries=names,
                      seconds=seconds))

    def _dest(self, lang: str, name: str) -> str:
        """The file of page ``name`` in ``lang``, below the site folder."""
        assert self.config is not None
        return common.prefix(lang, self.config) + page_dest(name,
                                                           self.config.use_directory_urls)

    def render_waiting(self, dest: str | None = None) -> bool:
        """Render the waiting page written to ``dest`` (None: any one of them).

        Returns whether pages are still waiting. Never raises (see :meth:`update`)."""
        with self.lock:
            if dest is None:
                dest = next(iter(self.waiting), None)
            if dest is None or dest not in self.waiting:
                return bool(self.waiting)
            self.rendering = dest  # first: a request sees it waiting or being rendered
            try:
                lang, name = self.waiting.pop(dest)
                if self.config is not None:
                    self._render(self.builds[lang], [name])
            except Exception as exc:
                say(_failure(exc))
                with contextlib.suppress(Exception):
                    self.full_build()
            finally:
                self.rendering = None
            if not self.waiting:
                say(msg("Every page is up to date ({seconds} s after the change).",
                        seconds=f"{time.perf_counter() - self._started:.2f}"))
            return bool(self.waiting)

    def _render(self, lb: LanguageBuild, names: Iterable[str]) -> int:
        """Render the pages ``names`` of one language again; returns how many."""
        config = self.config
        assert config is not None
        names = list(names)
        if not names:
            return 0
        self._enter(lb)
        done = 0
        for name in names:
            file = lb.by_dest.get(self._dest(lb.lang, name))
            if file is None or file.page is None:
                continue
            _populate_page(file.page, config, lb.files)
            _build_page(file.page, config, lb.doc_files, lb.nav, lb.env)
            done += 1
        return done

    def _enter(self, lb: LanguageBuild) -> None:
        """Put the configuration and the plugins in the state of ``lb``'s build."""
        config = self.config
        assert config is not None
        plugins = {name: p for name, p in config.plugins.items() if name in lb.plugins}
        for name, plugin in plugins.items():
            vars(plugin).update(lb.plugins[name])
        # static-i18n and the Casebook plugins set the language's configuration here.
        config.plugins.on_config(config)
        for name, plugin in plugins.items():
            vars(plugin).update(lb.plugins[name])


def _entry_id(rel: str, collection: str) -> str | None:
    prefix = f"content/{collection}/"
    if not rel.startswith(prefix):
        return None
    name = rel[len(prefix):]
    return name.split(".", 1)[0] if name.count(".") >= 2 else None


def _failure(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    if not isinstance(exc, MkDocsException):
        text = f"{type(exc).__name__}: {text}"
    return msg("The site could not be built:\n{reason}", reason=text)


def _report(diagnostics: Sequence[Diagnostic]) -> None:
    for d in diagnostics:
        say(d.format_text(_LANGUAGE[0]))


def _quiet_logging() -> None:
    """MkDocs' warnings (broken links...) and errors in the terminal, not its progress."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    for name in ("mkdocs", "casebook"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING)
        logger.propagate = False


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def serve(config_file: Path, host: str, port: int) -> int:
    """Build the site, serve it on ``host:port`` and keep it up to date until Ctrl+C."""
    _quiet_logging()
    signal.signal(signal.SIGTERM, _interrupt)
    try:  # a busy port is said before the first build, not after it
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        socket.create_server((host, port), family=family).close()
    except OSError as exc:
        say(msg("Cannot serve on {host}:{port}: {reason}", host=host, port=port,
                reason=exc.strerror or str(exc)))
        return 2
    site_dir = Path(tempfile.mkdtemp(prefix="casebook-preview-"))
    preview = Preview(config_file, site_dir)
    server: PreviewServer | None = None
    try:
        say(msg("Building the preview of {config}...", config=str(config_file)))
        preview.full_build()
        server = PreviewServer(preview, host=host, port=port, root=str(site_dir))
        content = (preview.root or config_file.parent) / "content"
        for path in (content, *preview.other_paths()):
            if path.exists():
                server.watch(str(path))
        # Said once the server listens (MkDocs' server binds its port in serve()):
        # whoever waits for this line can connect at once.
        server.listening = lambda: say(msg(
            "Preview on http://{host}:{port}/ : save a file and the open page reloads "
            "(Ctrl+C to stop).", host=host, port=port))
        server.look_at_everything()
        server.serve()
    except KeyboardInterrupt:
        say(msg("Preview stopped."))
    except OSError as exc:
        say(msg("Cannot serve on {host}:{port}: {reason}", host=host, port=port,
                reason=exc.strerror or str(exc)))
        return 2
    finally:
        if server is not None:
            server.shutdown()
        preview.close()
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m casebook.mkdocs_plugins.preview [-f mkdocs.yml] [--host H] [--port P]``."""
    parser = argparse.ArgumentParser(prog="casebook preview", description=__doc__.split("\n")[0])
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--lang", default=None,
                        help="language of the messages (default: the environment's, LANG)")
    args = parser.parse_args(argv)
    try:
        _LANGUAGE[0] = resolve_language(args.lang)
    except ValueError as exc:
        print(f"casebook preview: error: {exc}", file=sys.stderr)
        return 2
    if not args.config_file.is_file():
        say(msg("There is no MkDocs configuration at {path}.", path=str(args.config_file)))
        return 2
    return serve(args.config_file, args.host, args.port)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
