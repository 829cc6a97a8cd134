"""Honest unknowns (``fixtures/unknowns``): an intergovernmental organisation with no
country, a case whose countries are not stated and a case whose sources name only a
funder validate, and are shown as such in both languages, in the open data and in the
search facets."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from casebook.checks.validate import validate
from casebook.content.uitext import ui_text
from casebook.content.vocab import load_vocabularies
from sitebuild import mkdocs_build, shared_folder, site_root_with
from sitehtml import fact_box, page, plain

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("site_unknowns")]

FIXTURE = Path(__file__).parent / "fixtures" / "unknowns"
LANGS = ("nl", "en")


def _label(key: str, lang: str) -> str:
    return load_vocabularies().label("countries", key, lang)


def _prefix(lang: str) -> str:
    return "" if lang == "nl" else "/en"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def make(folder: Path) -> None:
        root = site_root_with(FIXTURE / "content", folder)
        mkdocs_build(root / "mkdocs.yml", root / "site")
    return shared_folder(tmp_path_factory, "unknowns", make) / "site"


def test_the_fixture_validates_without_findings() -> None:
    diagnostics, files = validate(FIXTURE)
    assert files == 7
    assert diagnostics == []


@pytest.mark.parametrize("lang", LANGS)
def test_intergovernmental_organisation_shows_international(site: Path, lang: str) -> None:
    text = plain(fact_box(page(site, f"{_prefix(lang)}/organisations/example-development-bank/")))
    assert _label("international", lang) in text
    kind = load_vocabularies().label("organisation-kinds", "intergovernmental", lang)
    assert kind in text


@pytest.mark.parametrize("lang", LANGS)
def test_funder_only_case_says_the_owner_is_not_stated(site: Path, lang: str) -> None:
    box = fact_box(page(site, f"{_prefix(lang)}/cases/funded-practice/"))
    text = plain(box)
    owner = ui_text("facts.owner", lang)
    not_stated = ui_text("facts.owner_not_stated", lang)
    assert re.search(rf"{re.escape(owner)}\s+{re.escape(not_stated)}", text)
    # The countries row names the unknown, linked to its overview like any country.
    assert re.search(r'<a href="[./]*countries/not-stated/">'
                     + re.escape(_label("not-stated", lang)) + "</a>", box)
    # A case with an owner has no such row.
    other = plain(fact_box(page(site, f"{_prefix(lang)}/cases/shared-registry/")))
    assert owner not in other
    assert _label("international", lang) in other


@pytest.mark.parametrize("lang", LANGS)
def test_unknowns_have_their_own_overview_pages(site: Path, lang: str) -> None:
    listing = page(site, f"{_prefix(lang)}/countries/not-stated/")
    assert "funded-practice/" in listing and "shared-registry/" not in listing
    index = plain(page(site, f"{_prefix(lang)}/countries/"))
    assert _label("not-stated", lang) in index and _label("international", lang) in index


def test_open_data_carries_the_explicit_values(site: Path) -> None:
    cases = {c["id"]: c for c in json.loads((site / "data/cases.json").read_text())["cases"]}
    assert cases["funded-practice"]["countries"] == ["not-stated"]
    assert cases["funded-practice"]["owner_stated"] is False
    assert cases["funded-practice"]["organisations"] == [{"id": "voorbeeldfonds",
                                                         "role": "funder"}]
    assert cases["shared-registry"]["countries"] == ["international"]
    orgs = json.loads((site / "data/organisations.json").read_text())["organisations"]
    bank = next(o for o in orgs if o["id"] == "example-development-bank")
    assert (bank["country"], bank["kind"]) == ("international", "intergovernmental")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((site / "data/cases.csv")
                                                           .read_text("utf-8-sig")))}
    assert rows["funded-practice"]["countries"] == "not-stated"
    assert rows["funded-practice"]["owner_stated"] == "false"


@pytest.mark.parametrize("lang", LANGS)
def test_json_ld_names_no_country_for_an_unknown(site: Path, lang: str) -> None:
    text = page(site, f"{_prefix(lang)}/cases/funded-practice/")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                text, re.S).group(1))
    assert "not-stated" not in json.dumps(data)
    assert "areaServed" not in json.dumps(data)


@pytest.mark.parametrize("lang", LANGS)
def test_search_facets_offer_the_unknowns(site: Path, lang: str) -> None:
    """The Pagefind filters of the pages carry the unknowns like any country."""
    for url, key in ((f"{_prefix(lang)}/cases/funded-practice/", "not-stated"),
                     (f"{_prefix(lang)}/cases/shared-registry/", "international"),
                     (f"{_prefix(lang)}/organisations/example-development-bank/",
                      "international")):
        filters = re.findall(r'data-pagefind-filter="([^"]*)"', page(site, url))
        assert any(f.endswith(":" + _label(key, lang)) or f.endswith(":" + key)
                   for f in filters), (url, filters)
