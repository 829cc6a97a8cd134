"""``casebook import publiccode --refresh``: imported cases read again from a local server.

A server on 127.0.0.1 serves publiccode.yml files of our own; after the import
one file changes, one stays the same, one moves (a 301 to its new address) and
one vanishes (404). The refresh updates the facts that come from the file, keeps
what editors wrote, reports per case what changed, records when each source was
last read (shown on the page) and marks a vanished source instead of deleting.
"""

from __future__ import annotations

import datetime as dt
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import frontmatter
import pytest
from casebook import cli
from casebook.checks import review
from casebook.checks.validate import validate
from casebook.content.entry_io import CasebookHandler
from casebook.content.model import load
from casebook.intake import publiccode, publiccode_refresh
from casebook.site.render import Renderer
from casebook.site.views import SiteIndex

BASE = Path(__file__).parents[1] / "core" / "fixtures" / "base"
IMPORTED = dt.date(2025, 1, 1)
REFRESHED = dt.date(2025, 2, 1)

FILE = """# Source: {base}/{name}.yml
publiccodeYmlVersion: "0.4"
name: {title}
url: https://code.example.org/acme/{name}
releaseDate: "2023-05-01"
developmentStatus: {status}
softwareType: library
description:
  en:
    shortDescription: A library of the municipality of Acme that its services reuse.
legal:
  license: {licence}
  repoOwner: Gemeente Acme
maintenance:
  type: internal
"""


class _Files(http.server.BaseHTTPRequestHandler):
    files: ClassVar[dict[str, str]] = {}
    moved: ClassVar[dict[str, str]] = {}

    def do_GET(self) -> None:
        if self.path in self.moved:
            self.send_response(301)
            self.send_header("Location", self.moved[self.path])
            self.end_headers()
            return
        text = self.files.get(self.path)
        if text is None:
            self.send_error(404)
            return
        body = text.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/yaml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, type[_Files]]]:
    handler = type("Files", (_Files,), {"files": {}, "moved": {}})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}", handler
    finally:
        httpd.shutdown()
        httpd.server_close()


def _run(root: Path, today: dt.date, *args: str, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    real_import, real_refresh = publiccode.run, publiccode_refresh.run
    monkeypatch.setattr(publiccode, "run", lambda a: real_import(a, today=today))
    monkeypatch.setattr(publiccode_refresh, "run", lambda a: real_refresh(a, today=today))
    code = cli.main(["import", "publiccode", "--root", str(root), *args])
    monkeypatch.undo()
    out = capsys.readouterr()
    return code, out.out, out.err


def _post(root: Path, case_id: str) -> frontmatter.Post:
    return frontmatter.load(str(root / f"content/cases/{case_id}.en.md"),
                            handler=CasebookHandler())


def test_refresh_updates_facts_keeps_edits_and_reports_each_case(
        server: tuple[str, type[_Files]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    base, files = server
    root = tmp_path / "kb"
    shutil.copytree(BASE, root)
    sources = []
    for name in ("changed", "same", "moving", "vanishing"):
        text = FILE.format(base=base, name=name, title=f"Lib {name}", status="stable",
                           licence="EUPL-1.2")
        files.files[f"/{name}.yml"] = text
        path = tmp_path / f"{name}.yml"
        path.write_text(text, encoding="utf-8")
        sources.append(str(path))
    code, _, err = _run(root, IMPORTED, *sources, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0, err
    assert _post(root, "lib-changed")["sources"][0]["url"] == f"{base}/changed.yml"

    # An editor improves the title and the body of the case that will change.
    path = root / "content/cases/lib-changed.en.md"
    edited = path.read_text("utf-8").replace("title: Lib changed", "title: Lib changed (Acme)")
    path.write_text(edited + "\nAn editor's note.\n", encoding="utf-8")
    # The files change on the server: one is archived under another licence, one moves,
    # one vanishes, one stays as it was.
    files.files["/changed.yml"] = FILE.format(base=base, name="changed", title="Lib changed",
                                              status="obsolete", licence="MIT")
    files.files["/new/moving.yml"] = files.files.pop("/moving.yml")
    files.moved["/moving.yml"] = f"{base}/new/moving.yml"
    del files.files["/vanishing.yml"]

    code, out, err = _run(root, REFRESHED, "--refresh", monkeypatch=monkeypatch,
                          capsys=capsys)
    assert code == 0, err
    assert out.splitlines() == [
        "lib-changed: stage: active → discontinued; building_blocks[0].license: EUPL-1.2 → MIT",
        f"lib-moving: sources[0].url: {base}/moving.yml → {base}/new/moving.yml",
        "lib-same: unchanged",
        f"lib-vanishing: the source is gone ({base}/vanishing.yml answers HTTP 404); the case "
        "keeps its facts and shows a warning",
        "4 cases read, 0 could not be refreshed"]

    changed = _post(root, "lib-changed")
    assert changed["stage"] == "discontinued"
    assert changed["building_blocks"][0]["license"] == "MIT"
    assert changed["title"] == "Lib changed (Acme)"  # the editor's title is kept
    assert changed.content.endswith("An editor's note.")  # and the editor's text
    assert changed["sources"][0]["read"] == "2025-02-01"
    moved = _post(root, "lib-moving")
    assert moved["sources"][0]["url"] == f"{base}/new/moving.yml"
    vanished = _post(root, "lib-vanishing")
    assert vanished["sources"][0]["gone"] == "2025-02-01"  # a warning, not a deletion
    assert vanished["stage"] == "active" and "read" not in vanished["sources"][0]
    assert _post(root, "lib-same")["sources"][0]["read"] == "2025-02-01"
    diagnostics, _ = validate(root, today=REFRESHED)
    assert [d for d in diagnostics if d.severity == "error"] == []
    # The gone source is a validator warning on its entry (file, line, field), in both
    # languages, and the editor's queue lists it.
    gone = [d for d in diagnostics if d.code == "source-gone"]
    assert [(d.path, d.field, d.severity) for d in gone] == [
        ("content/cases/lib-vanishing.en.md", "sources[0].gone", "warning")]
    lines = (root / gone[0].path).read_text("utf-8").splitlines()
    assert lines[gone[0].line - 1][gone[0].column - 1:].strip("'\"").startswith("2025-02-01")
    assert gone[0].format_text("en").endswith(
        f"the source {base}/vanishing.yml was gone on 2025-02-01: the facts can no longer be "
        "checked there; find where it moved, correct the URL and remove 'gone', or replace "
        "the source")
    assert f"de bron {base}/vanishing.yml was op 2025-02-01 verdwenen" in \
        gone[0].format_text("nl")
    groups = review.queue(root, today=REFRESHED)
    listed = review.render(groups, "en", "text", today=REFRESHED)
    assert f"content/cases/lib-vanishing.en.md:{gone[0].line}: sources[0].gone: the source " \
        f"{base}/vanishing.yml was gone" in listed

    # The pages show when each source was last read, and that a source is gone.
    index = SiteIndex.build(load(root))
    page = Renderer(index, "en").case_page(index.cases["lib-same"], "", "cases/lib-same/")
    assert "last read on 2025-02-01" in page
    page = Renderer(index, "nl").case_page(index.cases["lib-vanishing"], "",
                                           "cases/lib-vanishing/")
    assert "niet meer op dit adres sinds 2025-02-01" in re.sub(r"\s+", " ", page)

    # A second refresh of one case: the moved file is read at its new address.
    code, out, _ = _run(root, REFRESHED, "--refresh", "lib-moving", "nothing-here",
                        monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1  # an id that is no imported case
    assert out.splitlines()[0] == "lib-moving: unchanged"


def test_imported_cases_are_found_by_their_source(tmp_path: Path) -> None:
    kb = load(Path(__file__).parents[2])
    found = [e.id for e in publiccode_refresh.imported_cases(kb)]
    assert len(found) >= 15 and "open-zaak" in found
    assert publiccode_refresh.raw_url(
        "https://github.com/open-zaak/open-zaak/blob/abc123/publiccode.yaml") == (
        "https://raw.githubusercontent.com/open-zaak/open-zaak/abc123/publiccode.yaml")
    assert publiccode_refresh.raw_url(
        "https://gitlab.com/acme/app/-/blob/main/publiccode.yml") == (
        "https://gitlab.com/acme/app/-/raw/main/publiccode.yml")
