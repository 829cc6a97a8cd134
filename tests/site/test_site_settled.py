"""A section settled with ``not_in_sources`` shows on the built pages: its heading
and "not recorded in the sources", in Dutch and in English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from casebook.checks.validate import validate
from sitebuild import mkdocs_build, shared_folder, site_root_with
from sitehtml import article, page, plain

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("site_settled")]

FIXTURE = Path(__file__).parent / "fixtures" / "onelang" / "content"


def _drop_section(path: Path, heading: str, settle: str | None) -> None:
    text = path.read_text(encoding="utf-8")
    text = re.sub(rf"\n## {heading}\n\n[^\n]*\n", "\n", text)
    assert f"## {heading}" not in text
    if settle:
        text = text.replace("\nreviewed:", f"\nnot_in_sources: [{settle}]\nreviewed:", 1)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_folder(tmp_path_factory, "settled", _settle_and_build) / "site"


def _settle_and_build(folder: Path) -> None:
    root = site_root_with(FIXTURE, folder)
    cases = root / "content" / "cases"
    # both languages: the Dutch original settles 'reuse', the English text lacks it too
    _drop_section(cases / "open-bouwstenen.nl.md", "Hergebruik", "reuse")
    _drop_section(cases / "open-bouwstenen.en.md", "Reuse", None)
    # a Dutch-only case: the English site shows the Dutch text, settled in Dutch
    _drop_section(cases / "fietslab.nl.md", "Resultaten", "results")
    assert [d for d in validate(root)[0] if d.code == "missing-section"] == []
    mkdocs_build(root / "mkdocs.yml", root / "site")


def _section(html: str, heading: str) -> str:
    body = plain(article(html))
    at = body.find(heading)
    assert at >= 0, body
    return body[at:at + 80]


@pytest.mark.parametrize(("url", "heading", "note"), [
    ("/cases/open-bouwstenen/", "Hergebruik", "Niet vermeld in de bronnen."),
    ("/en/cases/open-bouwstenen/", "Reuse", "Not recorded in the sources."),
    ("/cases/fietslab/", "Resultaten", "Niet vermeld in de bronnen."),
    ("/en/cases/fietslab/", "Resultaten", "Niet vermeld in de bronnen."),
])
def test_settled_section_reads_not_recorded(site: Path, url: str, heading: str,
                                            note: str) -> None:
    html = page(site, url)
    assert re.search(rf"<h2[^>]*>{heading}", html), url
    # the heading (with its permalink mark), then the note
    assert re.match(rf"{heading}\W*{re.escape(note)}", _section(html, heading)), url
    # in its place: before the next recommended section the body has
    if "fietslab" in url:
        assert html.index(heading) < html.index("Lessen")
