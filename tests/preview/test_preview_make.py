"""`make preview` on a synthetic knowledge base in a temporary folder, on a free port.

The preview is started through make, as a contributor starts it. Edits to
case and organisation files must show on the served pages in both languages
and on the overviews that list them; after the edits, every page the preview
serves must be the page a full `mkdocs build` of the same files makes. An
error is reported in the preview's output while the server keeps serving the
last valid version; the fix brings the page back.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sitebuild import REPO_ROOT, chromium, mkdocs_build, site_root_with

sys.path.insert(0, str(REPO_ROOT / "bench"))
from preview import stop
from synth import generate

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("preview")]

CASES = 24
#: Written by the full build only (the preview keeps those of its first build), or
#: different between a sequential and a parallel build (the English 404 page's
#: language switcher, see README).
NOT_COMPARED = ("pagefind/", "data/", "feed.xml", "404.html")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Running:
    url: str
    root: Path
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    def output(self) -> str:
        return "".join(self.lines)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=60) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8")

    def wait_for(self, what: str, check: Callable[[], bool], timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            if self.process.poll() is not None:
                pytest.fail(f"the preview stopped while waiting for {what}:\n{self.output()}")
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}:\n{self.output()}")
            time.sleep(0.2)


def _title(html: str) -> str:
    m = re.search(r"<title>(.*?)</title>", html, re.S)
    return m.group(1) if m else ""


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    base = tmp_path_factory.mktemp("preview")
    generate(base / "kb", CASES)
    root = site_root_with(base / "kb" / "content", base / "root")
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen(
        ["make", "--no-print-directory", "preview", f"CONFIG={root / 'mkdocs.yml'}",
         f"PORT={port}"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    running = Running(f"http://127.0.0.1:{port}/", root, process)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            running.lines.append(line)

    threading.Thread(target=read, daemon=True).start()
    try:
        running.wait_for("the preview to start", lambda: "Preview on" in running.output(),
                         timeout=600)
        # The line comes once the server listens: a connection right after it succeeds.
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        yield running
    finally:
        stop(process, timeout=30)


def _case(root: Path, case_id: str, lang: str) -> Path:
    return root / "content" / "cases" / f"{case_id}.{lang}.md"


def _replace_line(path: Path, prefix: str, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(rf"(?m)^{re.escape(prefix)}.*$", line, text, count=1)
    assert n == 1, f"no line starting with {prefix!r} in {path}"
    path.write_text(new, encoding="utf-8")


def _themes(path: Path) -> list[str]:
    m = re.search(r"(?m)^themes: \[(.*)\]$", path.read_text(encoding="utf-8"))
    assert m
    return [t.strip() for t in m.group(1).split(",")]


def test_an_edit_shows_in_both_languages_and_in_the_overviews(preview: Running) -> None:
    assert preview.get("cases/case-3/")[0] == 200
    nl, en = _case(preview.root, "case-3", "nl"), _case(preview.root, "case-3", "en")
    # A theme of case-3 swapped for one another case has (its page exists already).
    themes = _themes(nl)
    other = next(t for i in range(CASES) if i != 3
                 for t in _themes(_case(preview.root, f"case-{i}", "nl")) if t not in themes)
    _replace_line(nl, "title:", "title: Casus drie herschreven")
    _replace_line(nl, "themes:", f"themes: [{themes[0]}, {other}]")
    _replace_line(en, "title:", "title: Case three rewritten")

    def shows() -> bool:
        return ("Casus drie herschreven" in _title(preview.get("cases/case-3/")[1])
                and "Case three rewritten" in _title(preview.get("en/cases/case-3/")[1]))

    preview.wait_for("the edited case page in both languages", shows)
    preview.wait_for("the update's report", lambda: " updated in " in preview.output())
    # The overviews that list it: its kind, the theme it gained, the theme it lost.
    kind = re.search(r"(?m)^kind: (\S+)$", nl.read_text(encoding="utf-8")).group(1)
    assert "Casus drie herschreven" in preview.get(f"kinds/{kind}/")[1]
    assert "Case three rewritten" in preview.get(f"en/kinds/{kind}/")[1]
    assert "Casus drie herschreven" in preview.get(f"themes/{other}/")[1]
    assert "case-3/" not in preview.get(f"themes/{themes[1]}/")[1]

    # An organisation renamed: its page and the rows of its cases' overviews.
    org = preview.root / "content" / "organisations" / "org-1.en.md"
    _replace_line(org, "name:", "name: Renamed Organisation One")
    preview.wait_for("the renamed organisation", lambda: "Renamed Organisation One"
                     in preview.get("en/organisations/org-1/")[1])

    # Every page the preview serves is the page a full build of the same files makes.
    full = preview.root.parent / "full-site"
    mkdocs_build(preview.root / "mkdocs.yml", full, strict=False)
    compared = 0
    for page in sorted(full.rglob("*.html")):
        rel = page.relative_to(full).as_posix()
        if rel.startswith(NOT_COMPARED) or rel.endswith(NOT_COMPARED):
            continue
        status, served = preview.get(rel)
        assert status == 200, rel
        served = re.sub(r'<script src="/livereload\.js[^"]*"></script>', "", served)
        # The search ranks in a page feed the search index, which the preview keeps
        # from the last full build (like the open data).
        assert _without_search_ranks(served) == _without_search_ranks(
            page.read_text(encoding="utf-8")), f"{rel} differs from a full build"
        compared += 1
    assert compared > 2 * CASES


def _without_search_ranks(text: str) -> str:
    return re.sub(r'<span data-pagefind-sort="[^"]*"></span>', "", text)


def test_an_error_is_reported_and_the_server_keeps_serving(preview: Running) -> None:
    nl = _case(preview.root, "case-5", "nl")
    good = nl.read_text(encoding="utf-8")
    title = _title(preview.get("cases/case-5/")[1])
    _replace_line(nl, "kind:", "kind: labb")
    preview.wait_for("the error in the output",
                     lambda: re.search(r"case-5\.nl\.md:\d+:\d+: error\[unknown-term\]: kind",
                                       preview.output()) is not None)
    assert preview.process.poll() is None
    status, html = preview.get("cases/case-5/")
    assert status == 200 and _title(html) == title  # the last valid version
    # The open page says so, in its reader's language, above the last valid version.
    banner = _banner(html)
    assert "De voorvertoning toont de laatste geldige versie" in banner
    assert re.search(r"case-5\.nl\.md:\d+:\d+: fout\[unknown-term\]: soort: ", banner), banner
    assert "The preview shows the last valid version" in _banner(preview.get("en/cases/case-5/")[1])
    nl.write_text(good.replace("title: ", "title: Hersteld ", 1), encoding="utf-8")
    preview.wait_for("the fixed page",
                     lambda: "Hersteld" in _title(preview.get("cases/case-5/")[1]))
    assert _banner(preview.get("cases/case-5/")[1]) == ""


def _banner(html: str) -> str:
    m = re.search(r'<div class="admonition failure casebook-preview-problems".*?</div>', html,
                  re.S)
    return m.group(0) if m else ""


def test_a_missing_page_is_the_sites_404_page_in_its_language(preview: Running) -> None:
    status, html = preview.get("cases/no-such-case/")
    assert status == 404 and '<html lang="nl"' in html
    status, html = preview.get("en/cases/no-such-case/")
    assert status == 404 and '<html lang="en"' in html


@pytest.mark.browser
def test_the_open_page_reloads_when_its_file_is_saved(preview: Running) -> None:
    with chromium() as browser:
        page = browser.new_page()
        page.goto(preview.url + "en/cases/case-7/")
        page.evaluate("window.casebookNotReloaded = true")
        en = _case(preview.root, "case-7", "en")
        _replace_line(en, "title:", "title: Seen without pressing reload")
        # (expect polls outside the page: the site's Content-Security-Policy, which
        # forbids evaluating strings as script, stays in force and the reload works.)
        expect(page).to_have_title(re.compile("Seen without pressing reload"), timeout=180_000)
        assert page.evaluate("window.casebookNotReloaded === undefined")


def test_a_new_case_builds_the_site_again(preview: Running) -> None:
    cases = preview.root / "content" / "cases"
    assert preview.get("cases/case-new/")[0] == 404
    builds = preview.output().count("Site built in")
    for lang in ("nl", "en"):
        text = (cases / f"case-2.{lang}.md").read_text(encoding="utf-8")
        (cases / f"case-new.{lang}.md").write_text(
            re.sub(r"(?m)^title: .*$", f"title: Nieuwe casus {lang}", text, count=1),
            encoding="utf-8")
    preview.wait_for("the new case's page",
                     lambda: "Nieuwe casus en" in _title(preview.get("en/cases/case-new/")[1]))
    # The pages are written (and served) during the build; its report comes after it, so
    # wait for the report instead of reading the output the moment the page appears.
    preview.wait_for("the report of a full build",
                     lambda: preview.output().count("Site built in") > builds, timeout=60)


@pytest.mark.browser
def test_the_open_page_shows_the_errors_until_they_are_fixed(preview: Running) -> None:
    nl = _case(preview.root, "case-9", "nl")
    good = nl.read_text(encoding="utf-8")
    with chromium() as browser:
        page = browser.new_page()
        page.goto(preview.url + "en/cases/case-9/")
        banner = page.locator(".casebook-preview-problems")
        expect(banner).to_have_count(0)
        _replace_line(nl, "kind:", "kind: labb")
        # Shown without pressing reload, in the page's language, on top of the text.
        expect(banner).to_contain_text("The preview shows the last valid version",
                                       timeout=180_000)
        expect(banner).to_contain_text("error[unknown-term]")
        box = banner.bounding_box()
        heading = page.locator("article h1").first.bounding_box()
        assert box is not None and heading is not None and box["y"] < heading["y"]
        nl.write_text(good, encoding="utf-8")
        # Gone once fixed, again without pressing reload.
        expect(banner).to_have_count(0, timeout=180_000)
