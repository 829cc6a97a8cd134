"""A building block without licence or maintainer says "not recorded yet" in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from casebook.content.model import load
from casebook.site.render import Renderer
from casebook.site.views import SiteIndex
from core_kb import build_kb


def _cells(html: str) -> list[str]:
    row = re.search(r'<tr id="block-open-api">(.*?)</tr>', html, re.S)
    assert row, html
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


def test_missing_licence_and_maintainer_render_not_recorded(tmp_path: Path) -> None:
    root = build_kb(tmp_path / "kb")
    path = root / "content/cases/blocks.nl.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(", license: EUPL-1.2, maintainer: acme", ""), encoding="utf-8")
    index = SiteIndex.build(load(root))
    entry = index.cases["blocks"]
    nl = _cells(Renderer(index, "nl").case_page(entry, "", "cases/blocks/"))
    en = _cells(Renderer(index, "en").case_page(entry, "", "cases/blocks/"))
    assert nl[2:4] == ["Nog niet vastgelegd", "Nog niet vastgelegd"]
    assert en[2:4] == ["Not recorded yet", "Not recorded yet"]


def test_recorded_licence_and_maintainer_are_shown(tmp_path: Path) -> None:
    root = build_kb(tmp_path / "kb")
    index = SiteIndex.build(load(root))
    cells = _cells(Renderer(index, "en").case_page(index.cases["blocks"], "", "cases/blocks/"))
    assert cells[2] == "EUPL-1.2" and cells[3] == "Municipality of Acme"
