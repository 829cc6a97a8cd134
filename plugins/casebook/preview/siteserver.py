"""``make serve``: serve a built site locally, with the site's own 404 page.

``python -m http.server`` answers a wrong address with Python's bare error
page; this server answers it with the site's ``404.html`` (``/en/404.html``
below ``/en/``, so the page is in the reader's language) and status 404.
Plain standard library; :mod:`casebook.mkdocs_plugins.preview` uses
:func:`not_found_page` for the live preview too.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import sys
from collections.abc import Sequence
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from casebook.i18n import msg

NOT_FOUND = "404.html"


def not_found_page(site: Path, url_path: str) -> Path | None:
    """The 404 page for a request path: ``/<lang>/404.html`` below a language folder that
    has one, else ``/404.html``; ``None`` when the site has none."""
    parts = [p for p in unquote(urlsplit(url_path).path).split("/") if p]
    if parts and parts[0] not in (".", "..") and "\\" not in parts[0]:
        page = site / parts[0] / NOT_FOUND
        if page.is_file():
            return page
    page = site / NOT_FOUND
    return page if page.is_file() else None


class SiteRequestHandler(SimpleHTTPRequestHandler):
    """Static files of a built site; a missing page gets the site's 404 page."""

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = (not_found_page(Path(self.directory), self.path)
                if code == 404 and self.command in ("GET", "HEAD") else None)
        if page is None:
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Only failed requests are worth a line in the terminal."""
        if len(args) > 1 and str(args[1]).startswith(("4", "5")):
            super().log_message(format, *args)


def make_server(site: Path, host: str, port: int) -> ThreadingHTTPServer:
    """A server for ``site`` bound to ``host:port`` (port 0: any free port)."""
    handler = functools.partial(SiteRequestHandler, directory=str(site))
    return ThreadingHTTPServer((host, port), handler)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m casebook.preview.siteserver [--bind HOST] [--directory SITE] [PORT]``."""
    parser = argparse.ArgumentParser(prog="casebook.preview.siteserver", description=__doc__)
    parser.add_argument("port", nargs="?", type=int, default=8000)
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--directory", type=Path, default=Path("site"))
    args = parser.parse_args(argv)
    if not (args.directory / "index.html").is_file():
        print(msg("There is no built site in {folder}: run `make site` first.",
                  folder=str(args.directory)), file=sys.stderr)
        return 2
    try:
        server = make_server(args.directory, args.bind, args.port)
    except OSError as exc:
        print(msg("Cannot serve on {host}:{port}: {reason}", host=args.bind, port=args.port,
                  reason=exc.strerror or str(exc)), file=sys.stderr)
        return 2
    host, port = server.server_address[:2]
    print(msg("Serving {folder} on http://{host}:{port}/ (Ctrl+C to stop)",
              folder=str(args.directory), host=host, port=port), flush=True)
    with server, contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
