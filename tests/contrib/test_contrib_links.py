"""``casebook links`` against a local HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from casebook.checks import links
from casebook.content.model import load


class Handler(BaseHTTPRequestHandler):
    """/ok 200, /missing 404, /nohead 405 on HEAD but 200 on GET, /moved → /ok, /error 500."""

    def _answer(self, head: bool) -> None:
        path = self.path
        if path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.end_headers()
            return
        status = {"/ok": 200, "/missing": 404, "/error": 500}.get(path, 404)
        if path == "/nohead":
            status = 405 if head else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if not head:
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:
        self._answer(True)

    def do_GET(self) -> None:
        self._answer(False)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy",
                "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def kb(tmp_path: Path, server: str) -> Path:
    root = tmp_path / "kb"
    (root / "content" / "cases").mkdir(parents=True)
    (root / "content" / "organisations").mkdir(parents=True)
    (root / "content" / "cases" / "probe.nl.md").write_text(
        "---\n"
        "title: Probe\n"
        "kind: lab\n"
        "links:\n"
        f"  - {{url: '{server}/ok', kind: website}}\n"
        f"  - {{url: '{server}/missing', kind: report}}\n"
        "sources:\n"
        f"  - {{title: Bron, url: '{server}/nohead'}}\n"
        f"  - {{title: Verhuisd, url: '{server}/moved'}}\n"
        "---\n\n## Context\n\n"
        f"Zie [het rapport]({server}/error) en <{server}/ok>.\n"
        "Een [interne link](../andere/) telt niet mee.\n",
        encoding="utf-8")
    (root / "content" / "organisations" / "org.nl.md").write_text(
        f"---\nname: Org\nwebsite: 'http://127.0.0.1:{_closed_port()}/'\n---\n",
        encoding="utf-8")
    return root


def test_collect_finds_front_matter_and_body_links_with_positions(kb: Path, server: str):
    found = links.collect(load(kb))
    where = {(link.url, link.path, link.field): (link.line, link.column) for link in found}
    case = "content/cases/probe.nl.md"
    assert where[(f"{server}/ok", case, "links[0].url")] == (5, 11)
    assert where[(f"{server}/missing", case, "links[1].url")] == (6, 11)
    assert where[(f"{server}/nohead", case, "sources[0].url")][0] == 8
    assert where[(f"{server}/error", case, "body")] == (14, 19)
    assert (f"{server}/ok", case, "body") in where
    assert any(link.field == "website" for link in found)
    assert not any("andere" in link.url for link in found)


def test_check_url_statuses(server: str):
    assert links.check_url(f"{server}/ok").ok
    assert links.check_url(f"{server}/moved").ok  # redirects are followed
    assert links.check_url(f"{server}/nohead").ok  # GET after a refused HEAD
    missing = links.check_url(f"{server}/missing")
    assert not missing.ok and missing.status == "HTTP 404"
    assert links.check_url(f"{server}/error").status == "HTTP 500"
    down = links.check_url(f"http://127.0.0.1:{_closed_port()}/", timeout=5)
    assert not down.ok and down.status.startswith("unreachable")
    assert not links.check_url("ftp://example.invalid/file").ok


def test_each_url_is_requested_once(kb: Path, server: str):
    found = links.collect(load(kb))
    results = links.check(found, timeout=5, workers=4)
    assert len(results) == len({link.url for link in found})
    assert sum(1 for link in found if link.url == f"{server}/ok") == 2


def test_command_reports_broken_links_in_annotations_and_summary(
        casebook, kb: Path, server: str, tmp_path: Path):
    summary = tmp_path / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary), "no_proxy": "127.0.0.1",
           "NO_PROXY": "127.0.0.1"}
    result = casebook("links", "--root", str(kb), "--format", "github", "--timeout", "5",
                      env=env)
    assert result.returncode == 0, result.stderr  # broken links never fail the run
    out = result.stdout
    assert "::warning file=content/cases/probe.nl.md,line=6,col=11," in out
    assert f"{server}/missing" in out and "HTTP 404" in out
    assert f"{server}/error" in out and "HTTP 500" in out
    assert "website" in out and "unreachable" in out
    assert f"'{server}/ok'" not in out and f"'{server}/nohead'" not in out
    assert out.rstrip().endswith("3 broken links among 6 URLs")
    table = summary.read_text(encoding="utf-8")
    assert "## Casebook links" in table and "| `content/cases/probe.nl.md` | 6 |" in table


def test_strict_and_json(casebook, kb: Path):
    strict = casebook("links", "--root", str(kb), "--strict", "--timeout", "5")
    assert strict.returncode == 1
    data = json.loads(casebook("links", "--root", str(kb), "--format", "json",
                               "--timeout", "5").stdout)
    assert data["broken"] == 3 and data["checked"] == 6
    assert {d["code"] for d in data["diagnostics"]} == {"broken-link"}
