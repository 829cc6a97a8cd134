"""The preview writes the edited entry's own pages first; the pages that list it wait.

In-process, on a small synthetic base: after an edit the case's own pages carry
the new title at once, the table of all cases and the overviews are named as
waiting (still the old version on disk), and asking for one renders it then,
so no out-of-date page is ever served.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitebuild import REPO_ROOT, site_root_with

sys.path.insert(0, str(REPO_ROOT / "bench"))
from synth import generate

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("preview")]


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from casebook.mkdocs_plugins.preview import Preview

    base = tmp_path_factory.mktemp("waiting")
    generate(base / "kb", 12)
    root = site_root_with(base / "kb" / "content", base / "root")
    site = base / "site"
    preview = Preview(root / "mkdocs.yml", site)
    assert preview.full_build()
    yield preview
    preview.close()


def _retitle(path: Path, title: str) -> None:
    text = re.sub(r"(?m)^title: .*$", f"title: {title}", path.read_text(encoding="utf-8"),
                  count=1)
    path.write_text(text, encoding="utf-8")


def test_own_pages_first_then_the_pages_that_list_it(preview: object) -> None:
    from casebook.mkdocs_plugins.preview import Preview

    assert isinstance(preview, Preview) and preview.root is not None
    site = preview.site_dir
    case = preview.root / "content" / "cases" / "case-4.nl.md"
    _retitle(case, "Casus vier wacht niet")
    preview.update([str(case)])

    assert "Casus vier wacht niet" in (site / "cases/case-4/index.html").read_text("utf-8")
    waiting = dict(preview.waiting)
    assert "cases/index.html" in waiting and "en/cases/index.html" in waiting
    assert "cases/sort/kind/index.html" in waiting
    assert not any(dest.startswith(("cases/case-4/", "en/cases/case-4/")) for dest in waiting)
    table = site / "cases/index.html"
    assert "Casus vier wacht niet" not in table.read_text("utf-8")  # not rendered yet

    assert preview.render_waiting("cases/index.html")  # others still wait
    assert "cases/index.html" not in preview.waiting
    assert "Casus vier wacht niet" in table.read_text("utf-8")

    while preview.render_waiting():
        pass
    assert not preview.waiting
    for dest in waiting:
        if dest.startswith("cases/"):  # the Dutch pages that list it show the new title
            assert "Casus vier wacht niet" in (site / dest).read_text("utf-8"), dest


def test_a_new_edit_keeps_what_still_waits(preview: object) -> None:
    from casebook.mkdocs_plugins.preview import Preview

    assert isinstance(preview, Preview) and preview.root is not None
    cases = preview.root / "content" / "cases"
    _retitle(cases / "case-1.nl.md", "Eerste wijziging")
    preview.update([str(cases / "case-1.nl.md")])
    first = set(preview.waiting)
    _retitle(cases / "case-2.nl.md", "Tweede wijziging")
    preview.update([str(cases / "case-2.nl.md")])
    assert first <= set(preview.waiting)
    while preview.render_waiting():
        pass
    table = (preview.site_dir / "cases/index.html").read_text("utf-8")
    assert "Eerste wijziging" in table and "Tweede wijziging" in table
