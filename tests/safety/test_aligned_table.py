"""No over-blocking: an aligned Markdown table aligns in the browser, under the CSP.

Python-Markdown's ``tables`` extension writes alignment as inline ``style``, which the
site's Content-Security-Policy refuses; the sanitizer keeps the ``align`` attribute
instead (casebook.safety.sanitize). A small site (the onelang fixture, one case given
an aligned table) is built and served; Chromium opens the case, and the text in every
cell is measured against its cell: left, centre and right as the table says, with no
``securitypolicyviolation`` and no console error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sitebuild import REPO_ROOT, chromium, mkdocs_build, served, site_root_with

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("aligned_table")]

ONELANG = REPO_ROOT / "tests" / "site" / "fixtures" / "onelang" / "content"
TABLE = """
| Links | Midden | Rechts |
|:------|:------:|-------:|
| a | b | 1 |
| een langere tekst in de cel | een langere tekst in de cel | 1.234.567 |
| bb | midden | 42 |
"""
ALIGNS = ["left", "center", "right"]

#: Every CSP violation the page reports, from before its first script.
_LISTEN = ("window.__csp = []; document.addEventListener('securitypolicyviolation', e =>"
           " window.__csp.push(e.effectiveDirective + ' ' + e.blockedURI));")

#: For every cell of the article's table: its content box and its text's box.
_MEASURE = """() => [...document.querySelectorAll('article table tr')].map(tr =>
  [...tr.children].map(cell => {
    const box = cell.getBoundingClientRect(), style = getComputedStyle(cell);
    const range = document.createRange(); range.selectNodeContents(cell);
    const text = range.getBoundingClientRect();
    return {left: box.left + parseFloat(style.paddingLeft),
            right: box.right - parseFloat(style.paddingRight),
            textLeft: text.left, textRight: text.right};
  }))"""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("aligned-table")
    root = site_root_with(ONELANG, tmp / "root")
    case = root / "content" / "cases" / "fietslab.nl.md"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("## Resultaten\n\nTekst.\n", "## Resultaten\n" + TABLE),
                    encoding="utf-8")
    assert TABLE in case.read_text(encoding="utf-8")
    mkdocs_build(root / "mkdocs.yml", tmp / "site")
    html = (tmp / "site" / "cases" / "fietslab" / "index.html").read_text(encoding="utf-8")
    assert 'align="right"' in html and "text-align" not in html
    with served(tmp / "site") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def test_an_aligned_table_aligns_without_a_policy_violation(
        browser: Any, site_url: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.add_init_script(_LISTEN)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(site_url + "cases/fietslab/", wait_until="load")
        table = page.locator("article table")
        table.scroll_into_view_if_needed()
        page.wait_for_timeout(200)
        page.screenshot(path=str(tmp_path / "aligned-table.png"))
        rows = page.evaluate(_MEASURE)
        assert len(rows) == 4 and all(len(row) == 3 for row in rows), rows
        for row in rows:
            for align, cell in zip(ALIGNS, row, strict=True):
                if align == "left":
                    assert abs(cell["textLeft"] - cell["left"]) < 1.5, (align, cell)
                elif align == "right":
                    assert abs(cell["right"] - cell["textRight"]) < 1.5, (align, cell)
                else:
                    middle = (cell["left"] + cell["right"]) / 2
                    assert abs((cell["textLeft"] + cell["textRight"]) / 2 - middle) < 1.5, cell
        # Short text in the right and centre columns really moved away from the left edge.
        short = rows[1]
        assert short[1]["textLeft"] - short[1]["left"] > 20, short
        assert short[2]["textLeft"] - short[2]["left"] > 20, short
        assert page.evaluate("window.__csp") == [] and errors == []
    finally:
        context.close()
