"""`make serve`: the built site, where a wrong address gets the site's own 404 page."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitebuild import REPO_ROOT, stop, wait_until_serving

pytestmark = pytest.mark.xdist_group("serve_404")


def _serve_command(site: Path, port: int) -> list[str]:
    """The command `make serve` runs after building, with this site and port."""
    out = subprocess.run(["make", "-n", "--no-print-directory", "serve", f"PORT={port}"],
                         cwd=REPO_ROOT, capture_output=True, text=True, check=True,
                         env={**os.environ, "SOURCE_DATE_EPOCH": "0"}).stdout
    line = next(line for line in out.splitlines() if "casebook.preview.siteserver" in line)
    args = shlex.split(line)
    args[args.index("--directory") + 1] = str(site)
    args[0] = sys.executable
    return args


@pytest.fixture(scope="module")
def served_site(built_site: Path) -> Iterator[str]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(_serve_command(built_site, port), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    wait_until_serving(process, url, "the site server did not start")
    try:
        yield url
    finally:
        stop(process)


def _fetch(url: str, method: str = "GET") -> tuple[int, bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_a_wrong_address_gets_the_sites_404_page(served_site: str, built_site: Path) -> None:
    status, body = _fetch(served_site + "cases/no-such-case/")
    assert status == 404
    assert body == (built_site / "404.html").read_bytes()
    assert b'<html lang="nl"' in body


def test_an_english_address_gets_the_english_404_page(served_site: str,
                                                      built_site: Path) -> None:
    status, body = _fetch(served_site + "en/no/such/page.html")
    assert status == 404
    assert body == (built_site / "en" / "404.html").read_bytes()
    assert b'<html lang="en"' in body


def test_pages_and_head_requests(served_site: str, built_site: Path) -> None:
    status, body = _fetch(served_site + "en/")
    assert status == 200 and body == (built_site / "en" / "index.html").read_bytes()
    status, body = _fetch(served_site + "nothing-here", method="HEAD")
    assert status == 404 and body == b""
    status, _ = _fetch(served_site + "../../etc/passwd")
    assert status == 404
