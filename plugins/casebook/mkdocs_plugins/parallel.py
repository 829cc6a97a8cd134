"""Build the other languages in a second process while this one builds the default.

mkdocs-static-i18n builds the languages one after the other in one process:
the default language, then, from its ``on_post_build``, one nested ``build()``
per other language. Each build is single-threaded, so on a machine with more
than one core half of it sits idle. With ``parallel_languages`` (the default
for ``mkdocs build`` where ``os.fork`` exists), ``casebook/pages`` forks the
build just after the site folder is cleaned: the child runs static-i18n's
nested builds for the other languages at once, the parent builds the default
language, and static-i18n's own loop then waits for the child instead of
building those languages again (its module-level ``build`` is swapped for the
duration: static-i18n has no hook for this).

What the builds share is handled where it is written: each language's 404
page is taken from its own rendering (``casebook/pages``), the sitemap (which
static-i18n renders from every language's files) is written again by the
parent with the child's page addresses, and the child waits for its Pagefind
bundle before it ends. A failed child fails the build with a friendly message;
its own messages are printed as it goes. The output is byte for byte the
same as a sequential build (``tests/site/test_site_parallel.py``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import sys
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from casebook.i18n import msg
from casebook.mkdocs_plugins import common
from casebook.mkdocs_plugins.common import build_message

log = logging.getLogger("mkdocs.plugins.casebook")

#: True in the forked process that builds the other languages.
IN_WORKER = False


def supported() -> bool:
    """Whether this platform can fork a build (POSIX)."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1


class LanguageWorker:
    """The forked process building the non-default languages of one build."""

    def __init__(self, pid: int, read_fd: int, languages: list[str]) -> None:
        self.pid = pid
        self.languages = languages
        self._read_fd = read_fd
        self.status: int | None = None
        #: Sitemap entries of the child's languages: ``{lang: [{url, alternates}]}``.
        self.sitemap: dict[str, list[dict[str, Any]]] = {}

    def wait(self) -> None:
        """Wait for the child; raise :class:`PluginError` if its build failed."""
        if self.status is None:
            with os.fdopen(self._read_fd, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(self.pid, 0)
            self.status = os.waitstatus_to_exitcode(status)
            if self.status == 0 and data:
                self.sitemap = json.loads(data)
        if self.status != 0:
            names = ", ".join(self.languages)
            raise PluginError(build_message(msg(
                "casebook/pages: the build of '{languages}' (in a second process) failed; its "
                "messages are above. Set 'parallel_languages: false' to build the languages "
                "one after the other.", languages=names)))

    def stop(self) -> None:
        """Stop the child (the parent's build failed)."""
        if self.status is None:
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                os.kill(self.pid, signal.SIGTERM)
                os.waitpid(self.pid, 0)
            with contextlib.suppress(OSError):
                os.close(self._read_fd)
            self.status = -1


def _sitemap_entries(i18n: Any, languages: list[str]) -> dict[str, list[dict[str, Any]]]:
    """What the sitemap template reads of the child's files, as plain data."""
    out: dict[str, list[dict[str, Any]]] = {}
    for lang in languages:
        entries = []
        for file in getattr(i18n, "i18n_files_per_language", {}).get(lang, []):
            page = getattr(file, "page", None)
            if page is None or getattr(page, "is_link", False):
                continue
            alternates = {k: v.url for k, v in (getattr(file, "alternates", None) or {}).items()}
            entries.append({"url": file.url, "alternates": alternates})
        out[lang] = entries
    return out


def sitemap_files(entries: list[dict[str, Any]]) -> list[SimpleNamespace]:
    """Stand-ins for the child's files with what ``sitemap.xml`` uses of a file."""
    page = SimpleNamespace(is_link=False)
    return [SimpleNamespace(page=page, url=e["url"],
                            alternates={k: SimpleNamespace(url=u)
                                        for k, u in e["alternates"].items()})
            for e in entries]


def start(config: MkDocsConfig, dirty: bool) -> LanguageWorker | None:
    """Fork a child that builds every language but the default; ``None`` if none left."""
    global IN_WORKER
    i18n = common.i18n_plugin(config)
    default = common.default_language(config)
    others = [lang for lang in common.build_languages(config) if lang != default]
    if i18n is None or not others:
        return None
    from mkdocs.commands.build import build

    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid:  # the parent builds the default language
        os.close(write_fd)
        return LanguageWorker(pid, read_fd, others)
    # The child: static-i18n's nested builds, as its on_post_build runs them.
    os.close(read_fd)
    IN_WORKER = True
    status = 1
    try:
        from mkdocs import utils

        utils.clean_directory = lambda path: path  # the parent cleaned it
        # Like static-i18n: no second "Documentation built in" line.
        logging.getLogger("mkdocs.commands.build").addFilter(
            lambda record: not str(record.msg).startswith(
                ("Documentation built in", "Building documentation to directory")))
        i18n.building = True
        for lang in others:
            i18n.current_language = lang
            build(config, dirty=dirty)
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(json.dumps(_sitemap_entries(i18n, others)).encode("utf-8"))
        status = 0
    except BaseException as exc:  # any failure ends the child, never the parent
        log.error(build_message(msg("casebook/pages: building {languages} failed: {detail}",
                                    languages=", ".join(others), detail=str(exc))))
    finally:
        for handler in logging.getLogger().handlers + logging.getLogger("mkdocs").handlers:
            handler.flush()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        os._exit(status)


def waiting_builds(worker: LanguageWorker) -> Callable[[], None]:
    """Make static-i18n's loop wait for ``worker`` instead of building its languages.

    Returns the function that undoes it.
    """
    import mkdocs_static_i18n.plugin as i18n_module

    original = i18n_module.build

    def build(config: MkDocsConfig, *args: Any, **kwargs: Any) -> None:
        if common.current_language(config) in worker.languages:
            worker.wait()
        else:
            original(config, *args, **kwargs)

    i18n_module.build = build

    def restore() -> None:
        i18n_module.build = original

    return restore
