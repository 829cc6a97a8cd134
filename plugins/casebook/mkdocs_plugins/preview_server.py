"""The preview's web server: MkDocs' live-reload server, the site's own 404 pages, and
pages that are still waiting rendered when they are asked for (see :mod:`.preview`)."""

from __future__ import annotations

import html
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote

from mkdocs.livereload import _SCRIPT_TEMPLATE, LiveReloadServer, _timestamp
from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from casebook.i18n import msg, translate
from casebook.preview.siteserver import not_found_page


class Renders(Protocol):
    """What the server needs of the preview (:class:`casebook.mkdocs_plugins.preview.Preview`)."""

    #: Site paths whose pages wait to be rendered; the one being rendered now.
    waiting: Any
    rendering: str | None
    #: The errors of the last save (``Diagnostic``), shown in the open page until fixed.
    problems: Any

    def update(self, paths: Any) -> Any: ...

    def render_waiting(self, dest: str | None = None) -> Any: ...

#: Watcher events that may change the site (not a file opened or read).
WATCHED_EVENTS = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent,
                  FileClosedEvent, DirCreatedEvent, DirDeletedEvent, DirMovedEvent]

class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server; a missing page gets the site's 404 page, status 404.

    The reload script is a file of its own (``/livereload.js``), not inline
    script, so that a Content-Security-Policy allowing only the site's own
    scripts lets it run.
    """

    SCRIPT = "/livereload.js"

    def __init__(self, preview: Renders, **kwargs: Any) -> None:
        #: Paths the watcher reported since the last update (``None``: look at every file).
        self._events: set[str] | None = None
        self._events_lock = threading.Lock()
        super().__init__(builder=self._update, **kwargs)
        self.preview = preview
        # The native watcher (inotify on Linux): polling 20,000 files costs a core.
        self.observer = Observer()
        #: Set when pages wait to be rendered (see Preview.waiting).
        self._waiting = threading.Event()
        self._stopping = False
        threading.Thread(target=self._render_waiting, name="casebook-preview-pages",
                         daemon=True).start()

    #: Called once the server listens on its port.
    listening: Callable[[], None] | None = None

    def server_activate(self) -> None:
        """Listen on the port, then say so (see :attr:`listening`)."""
        super().server_activate()
        if self.listening is not None:
            self.listening()

    def _update(self) -> None:
        with self._events_lock:
            paths, self._events = self._events, set()
        self.preview.update(paths)
        if self.preview.waiting:
            self._waiting.set()

    def _render_waiting(self) -> None:
        """In the background: the pages an update left waiting, one at a time."""
        while not self._stopping:
            if not self._waiting.wait(timeout=1.0):
                continue
            self._waiting.clear()
            while not self._stopping and self.preview.render_waiting():
                pass

    def shutdown(self, wait: bool = False) -> None:
        """Stop rendering waiting pages, then MkDocs' server."""
        self._stopping = True
        super().shutdown(wait=wait)

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        """Watch ``path``, remembering which files changed (MkDocs' own watch does not)."""
        path = os.path.abspath(path)
        if path in self._watched_paths:
            return

        def changed(event: FileSystemEvent) -> None:
            if event.is_directory and event.event_type == "modified":
                return  # a file in it changed: that file's own event says which
            with self._events_lock:
                if self._events is not None:
                    self._events.update(os.fsdecode(p) for p in (event.src_path,
                                                                 event.dest_path) if p)
            with self._rebuild_cond:
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

        handler = FileSystemEventHandler()
        handler.on_any_event = changed  # type: ignore[method-assign]
        self._watched_paths[path] = 1
        self._watch_refs[path] = self.observer.schedule(
            handler, path, recursive=recursive, event_filter=WATCHED_EVENTS)

    def look_at_everything(self) -> None:
        """Have the first update compare every file (those saved during the first build)."""
        with self._rebuild_cond:
            self._want_rebuild = True

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        tag = f'<script src="{self.SCRIPT}?epoch={epoch}&amp;id={_timestamp()}"></script>'
        at = content.rfind(b"</body>")
        at = len(content) if at < 0 else at
        return _with_banner(content[:at] + tag.encode() + content[at:],
                            list(getattr(self.preview, "problems", None) or ()))

    def _serve_request(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == self.SCRIPT:
            query = parse_qs(environ.get("QUERY_STRING", ""))
            epoch = _number(query.get("epoch"), self._visible_epoch)
            script = _SCRIPT_TEMPLATE.substitute(epoch=epoch,
                                                 request_id=_number(query.get("id"), 0))
            body = script.encode()
            start_response("200 OK", [("Content-Type", "application/javascript"),
                                      ("Content-Length", str(len(body))),
                                      ("Cache-Control", "no-store")])
            return [body]
        dest = _site_file(environ.get("PATH_INFO", "/"))
        if dest in self.preview.waiting or dest == self.preview.rendering:
            # Asked for before the background has written it: now, or wait for it.
            self.preview.render_waiting(dest)
        result = super()._serve_request(environ, start_response)
        if result is not None:
            return result
        page = not_found_page(Path(self.root), environ.get("PATH_INFO", "/"))
        if page is None:
            return None
        content = self._inject_js_into_html(page.read_bytes(), self._visible_epoch)
        start_response("404 Not Found", [("Content-Type", "text/html; charset=utf-8"),
                                         ("Content-Length", str(len(content)))])
        return [content]


_HTML_LANG = re.compile(rb'<html[^>]*\slang="([a-z]{2})')
#: Where the banner goes: at the top of the page's text, else of the body.
_CONTENT = (re.compile(rb'<article class="md-content__inner[^"]*"[^>]*>'),
            re.compile(rb"<body[^>]*>"))


def _with_banner(content: bytes, problems: list[Any]) -> bytes:
    """The page with the current validation errors on top, in the page's language, as a
    Material admonition (styled by the theme's own CSS, so no inline style is needed)."""
    if not problems:
        return content
    found = _HTML_LANG.search(content)
    lang = found.group(1).decode() if found else "en"
    title = translate(msg("The preview shows the last valid version until these errors are "
                          "fixed:"), lang)
    items = "".join(f"<li><code>{html.escape(d.format_text(lang))}</code></li>"
                    for d in problems)
    banner = (f'<div class="admonition failure casebook-preview-problems" role="alert" '
              f'lang="{lang}"><p class="admonition-title">{html.escape(title)}</p>'
              f"<ul>{items}</ul></div>").encode()
    m = _CONTENT[0].search(content) or _CONTENT[1].search(content)
    at = m.end() if m else 0
    return content[:at] + banner + content[at:]


def _site_file(path: str) -> str:
    """The file below the site folder a request path asks for (``/cases/`` →
    ``cases/index.html``), as MkDocs' server finds it."""
    rel = unquote(path).lstrip("/")
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


def _number(values: list[str] | None, default: int) -> int:
    return int(values[0]) if values and values[0].isdigit() else default
