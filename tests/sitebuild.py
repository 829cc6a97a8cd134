"""Building and serving Casebook sites in tests (used by ``tests/conftest.py``)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

REPO_ROOT = Path(__file__).resolve().parent.parent


#: Headless Debian Chromium without the background traffic this machine's closed
#: network would refuse.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright's sync API (one at a time per process:
    use it in a module-scoped fixture)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian chromium is not installed at {CHROMIUM}")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def mkdocs_build(config: Path, site_dir: Path, *, strict: bool = True,
                 check: bool = True,
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build`` on ``config`` into ``site_dir`` in a subprocess.

    With ``check`` a failed build fails the test with MkDocs' own output;
    ``env`` adds to (or overrides) the environment.
    """
    args = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site_dir)]
    if strict:
        args.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    result = subprocess.run(args, capture_output=True, text=True, check=False, env=env,
                            cwd=config.parent, timeout=600)
    if check and result.returncode != 0:
        pytest.fail(f"mkdocs build failed ({result.returncode}):\n{result.stdout}\n"
                    f"{result.stderr}")
    return result


def shared_folder(tmp_path_factory: pytest.TempPathFactory, key: str,
                  make: Callable[[Path], object]) -> Path:
    """A folder that ``make(folder)`` fills once per test run, whichever xdist worker
    asks for it first; the other worker waits for it and then reads the same folder.

    For sites the tests only read: ``key`` names the content (one key, one build). The
    folder lives in the run's temporary folder that both workers share (their own
    ``popen-gwN`` folders sit in it); a build that failed is tried again by the next
    test that asks, so each sees the failure.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / f"shared-{key}"
    done = folder / ".done"
    with FileLock(f"{folder}.lock"):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def site_root_with(content: Path, dest: Path) -> Path:
    """A folder with the repository's mkdocs.yml and theme overrides and ``content`` copied
    in as its ``content/``: the same site configuration over another knowledge base."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO_ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for folder in ("overrides", "hooks"):
        if (REPO_ROOT / folder).is_dir():
            shutil.copytree(REPO_ROOT / folder, dest / folder, dirs_exist_ok=True)
    shutil.copytree(content, dest / "content", dirs_exist_ok=True)
    return dest


#: The site tests' small knowledge base of one-language entries (``test_site_onelang``).
ONELANG = REPO_ROOT / "tests" / "site" / "fixtures" / "onelang" / "content"


def onelang_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``ONELANG`` built with the repository's configuration, once per test run."""
    def make(folder: Path) -> None:
        root = site_root_with(ONELANG, folder)
        mkdocs_build(root / "mkdocs.yml", root / "site")
    return shared_folder(tmp_path_factory, "onelang", make) / "site"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Serve ``folder`` with ``python -m http.server`` on 127.0.0.1; returns (process, URL)."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    wait_until_serving(process, url, f"python -m http.server did not start on port {port}")
    return process, url


def wait_until_serving(process: subprocess.Popen[bytes], url: str, failure: str,
                       seconds: float = 30) -> None:
    """Wait until ``url`` answers; fail the test with ``failure`` when ``process`` ends
    or ``seconds`` pass first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(failure)
            time.sleep(0.1)


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """``folder`` served on 127.0.0.1 for the ``with`` block; yields its URL."""
    process, url = serve(folder)
    try:
        yield url
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started by :func:`serve`."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
