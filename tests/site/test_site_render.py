"""The engine-independent renderer and the plugins' once-per-build loading."""

from __future__ import annotations

import datetime as dt
import logging
import re
import string
from pathlib import Path
from typing import Any

import pytest
from casebook.content.model import load
from casebook.content.schema import raw_schema
from casebook.content.uitext import format_number, ui_strings
from casebook.content.vocab import LANGUAGES
from casebook.site.facets import field_vocabularies
from casebook.site.render import Renderer
from casebook.site.views import SiteIndex, is_stale, months_before, page_dest, page_url
from sitebuild import site_root_with

FIXTURE = Path(__file__).parent / "fixtures" / "onelang" / "content"


def _leaves(node: Any, path: str = "") -> list[tuple[str, dict[str, str]]]:
    if isinstance(node, dict) and node and all(isinstance(v, list) for v in node.values()):
        # A list per language (month names): the same length, every item a string.
        assert set(node) == set(LANGUAGES), path
        assert len({len(v) for v in node.values()}) == 1, path
        assert all(isinstance(x, str) and x for v in node.values() for x in v), path
        return []
    if isinstance(node, dict) and all(isinstance(v, str) for v in node.values()):
        assert set(node) == set(LANGUAGES), path
        return [(path, node)]
    assert isinstance(node, dict), path
    return [leaf for k, v in node.items() for leaf in _leaves(v, f"{path}.{k}".strip("."))]


def test_every_ui_string_in_both_languages_with_the_same_placeholders() -> None:
    leaves = _leaves(ui_strings())
    assert len(leaves) > 50
    for path, texts in leaves:
        fields = {lang: {f for _, f, _, _ in string.Formatter().parse(texts[lang]) if f}
                  for lang in LANGUAGES}
        assert all(isinstance(texts[lang], str) and texts[lang].strip() for lang in LANGUAGES)
        assert fields["nl"] == fields["en"], path


def test_field_vocabularies_come_from_the_schema() -> None:
    case = field_vocabularies("case")
    raw = str(raw_schema("case"))
    assert len(case) >= raw.count("'x-vocabulary'") - 1  # $defs/country is reached via $ref
    assert case["themes"] == "themes"
    assert case["countries"] == "countries"
    assert case["organisations.role"] == "roles"
    assert case["challenge.budget.currency"] == "currencies"
    assert field_vocabularies("organisation")["country"] == "countries"


@pytest.mark.parametrize(("day", "months", "expected"), [
    (dt.date(2026, 11, 24), 24, dt.date(2024, 11, 24)),
    (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
    (dt.date(2024, 3, 31), 1, dt.date(2024, 2, 29)),
    (dt.date(2026, 1, 15), 13, dt.date(2024, 12, 15)),
])
def test_months_before(day: dt.date, months: int, expected: dt.date) -> None:
    assert months_before(day, months) == expected


def test_staleness_boundary() -> None:
    today = dt.date(2026, 11, 24)
    assert is_stale(dt.date(2024, 11, 23), today, 24)
    assert not is_stale(dt.date(2024, 11, 24), today, 24)
    assert is_stale("2020-01-01", today, 24)
    assert not is_stale("not a date", today, 24)


def test_numbers_per_language() -> None:
    assert format_number(50000, "nl") == "50.000"
    assert format_number(50000, "en") == "50,000"
    assert format_number(1234.5, "nl") == "1.234,50"


def test_urls_with_and_without_directory_urls() -> None:
    assert page_url("index") == "" and page_dest("index") == "index.html"
    assert page_url("themes/index") == "themes/"
    assert page_dest("themes/index") == "themes/index.html"
    assert page_url("cases/x") == "cases/x/" and page_dest("cases/x") == "cases/x/index.html"
    assert page_url("cases/x", directory_urls=False) == "cases/x.html"
    assert page_dest("cases/x", directory_urls=False) == "cases/x.html"


def test_period_and_stale_notice_through_the_renderer() -> None:
    index = SiteIndex.build(load(FIXTURE.parent))
    nl = Renderer(index, "nl", today=dt.date(2026, 11, 24))
    en = Renderer(index, "en", today=dt.date(2026, 11, 24), stale_after_months=200)
    assert nl.period({"start": 2019, "start_known": False}) == "vanaf 2019 of eerder"
    assert en.period({"start": "2017-05", "end": 2018}) == "May 2017 – 2018"
    assert nl.period({"start": "2020-11", "end": "2020-11"}) == "november 2020"
    assert en.period({"start": "2020-11", "end": "2020-11"}) == "November 2020"
    assert nl.period({"start": "2018-05"}) == "vanaf mei 2018"
    assert en.period({"start": 2018, "end": 2018}) == "2018"
    lab = index.cases["fietslab"]
    assert [n.kind for n in nl.notices(lab, staleness=True)] == ["stale"]
    assert [n.kind for n in en.notices(lab, staleness=True)] == ["untranslated"]
    assert index.related["battery-challenge"] == {"fietslab"}
    assert index.block_users[("open-bouwstenen", "route-api")] == ["fietslab"]


def test_knowledge_base_is_validated_once_per_build_and_reloaded_on_change(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Two language builds in one process share one validation; a changed content/
    is loaded again by the next build, with nothing left over from the previous one."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = site_root_with(FIXTURE, tmp_path / "kb")
    caplog.set_level(logging.INFO)

    def run() -> int:
        caplog.clear()
        build(load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site")))
        return sum("Knowledge base:" in r.getMessage() for r in caplog.records)

    assert run() == 1
    home = (root / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<strong>3 cases</strong>", home)
    new = root / "content" / "cases" / "tweede-lab.nl.md"
    new.write_text((FIXTURE / "cases" / "fietslab.nl.md").read_text(encoding="utf-8")
                   .replace("Het fietslab", "Het tweede lab"), encoding="utf-8")
    assert run() == 1
    for prefix in ("", "en/"):
        assert (root / "site" / prefix / "cases" / "tweede-lab" / "index.html").is_file()
    home = (root / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<strong>4 cases</strong>", home)
