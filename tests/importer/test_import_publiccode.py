"""``casebook import publiccode``: real publiccode.yml files of our own in, valid entries out.

The fixtures cover publiccode.yml versions 0.2 to 0.5, Dutch-only, English-only
and two-language descriptions, a description in neither language, a file
without owner, an owner matched by identifier, a new organisation, odd
categories, a deprecated licence and a git:// repository address. Every bad
file gets its exact one-line message and leaves the knowledge base untouched.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import frontmatter
import pytest
from casebook import cli
from casebook.checks.validate import validate
from casebook.content.entry_io import CasebookHandler
from casebook.content.model import load
from casebook.content.schema import raw_schema
from casebook.intake import publiccode

FIXTURES = Path(__file__).parent / "fixtures"
BASE = Path(__file__).parents[1] / "core" / "fixtures" / "base"
TODAY = dt.date(2025, 1, 1)
REAL_RUN = publiccode.run


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(BASE, root)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / "content").rglob("*")) if p.is_file()}


def run(root: Path, *args: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    monkeypatch.setattr(publiccode, "run", lambda a: REAL_RUN(a, today=TODAY))
    code = cli.main(["import", "publiccode", "--root", str(root), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def post(root: Path, rel: str) -> frontmatter.Post:
    return frontmatter.load(str(root / rel), handler=CasebookHandler())


def errors(root: Path) -> list[str]:
    diagnostics, _ = validate(root, today=TODAY)
    return [d.format_text() for d in diagnostics if d.severity == "error"]


def test_version_02_with_dutch_and_english_gives_original_and_translation(
        kb: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(kb, str(FIXTURES / "v02-both.yml"), monkeypatch=monkeypatch,
                         capsys=capsys)
    assert code == 0, err
    assert out.splitlines()[0].endswith(
        "content/cases/stadspas-acme.nl.md, content/cases/stadspas-acme.en.md")
    nl = post(kb, "content/cases/stadspas-acme.nl.md")
    en = post(kb, "content/cases/stadspas-acme.en.md")
    assert nl["kind"] == "repository" and nl["title"] == "Stadspas Acme"
    assert nl["summary"].startswith("Een digitale stadspas")
    assert nl["organisations"] == [{"id": "acme", "role": "owner"}]  # matched by name
    assert nl["countries"] == ["NL"]  # the owner's country
    assert nl["themes"] == ["digital-identity", "participation", "digital-government"]
    assert nl["mechanisms"] == ["open-source"]
    assert nl["stage"] == "active"  # developmentStatus: stable
    assert nl["period"] == {"start": 2023, "start_known": False}  # releaseDate year, or earlier
    assert nl["reviewed"] == "2025-01-01"
    # GPL-3.0+ is the deprecated name of exactly one current id, so it is recorded as such.
    assert nl["building_blocks"] == [{
        "id": "stadspas-acme", "name": "Stadspas Acme", "kind": "code",
        "url": "https://code.example.org/acme/stadspas.git", "license": "GPL-3.0-or-later",
        "maintainer": "acme"}]
    assert {(link["kind"], link["url"]) for link in nl["links"]} == {
        ("code", "https://code.example.org/acme/stadspas.git"),
        ("website", "https://stadspas.example.org")}
    assert nl["sources"] == [{"title": "publiccode.yml van Stadspas Acme",
                              "publisher": "Gemeente Acme",
                              "url": "https://code.example.org/acme/stadspas/-/blob/main/"
                                     "publiccode.yml"}]
    assert set(en.metadata) == {"schema", "title", "summary", "translation"}
    assert en["title"] == "Acme City Pass" and en["translation"] == "human"
    # The body: features, users, the odd category and the licence, in each language.
    assert "- Tegoeden bekijken" in nl.content and "- View credits" in en.content
    assert "- Gemeente Elders" in nl.content and "- Gemeente Elders" in en.content
    assert "`quantum-gardening` (niet in de lijst van de standaard)" in nl.content
    assert "`quantum-gardening` (not in the standard's list)" in en.content
    assert "‘GPL-3.0+’, the deprecated SPDX name of `GPL-3.0-or-later`" in en.content
    assert [h for h in en.content.splitlines() if h.startswith("## ")] == [
        "## Context", "## Building blocks", "## Reuse"]
    assert "categories: 'quantum-gardening' is not in the publiccode.yml standard's list" in err
    assert errors(kb) == []


def test_version_03_dutch_only_with_a_regional_tag(
        kb: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(kb, str(FIXTURES / "v03-dutch-only.yml"), monkeypatch=monkeypatch,
                       capsys=capsys)
    assert code == 0, err
    assert not (kb / "content/cases/meldingen-acme.en.md").exists()
    nl = post(kb, "content/cases/meldingen-acme.nl.md")
    assert nl["stage"] == "planned"  # developmentStatus: concept
    assert nl["themes"] == ["digital-government"]  # no categories
    assert "maintainer" not in nl["building_blocks"][0]  # maintenance: none
    assert nl["period"] == {"start": 2025, "start_known": False}  # no releaseDate: the source
    assert "uitgebreide beschrijving (longDescription)" in nl.content  # a thin file says so
    assert "noemt geen uitgavedatum" in nl.content
    assert errors(kb) == []


def test_version_04_english_only_new_organisation_and_unrecorded_licence(
        kb: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(kb, str(FIXTURES / "v04-english-only.yml"), monkeypatch=monkeypatch,
                         capsys=capsys)
    assert code == 0, err
    assert "New organisation: content/organisations/staat-der-nederlanden.en.md" in out
    org = post(kb, "content/organisations/staat-der-nederlanden.en.md")
    assert (org["name"], org["kind"], org["country"]) == (
        "Staat der Nederlanden", "national-government", "NL")
    en = post(kb, "content/cases/archive-bridge.en.md")
    assert not (kb / "content/cases/archive-bridge.nl.md").exists()
    assert en["stage"] == "discontinued"  # developmentStatus: obsolete
    assert en["organisations"] == [{"id": "staat-der-nederlanden", "role": "owner"}]
    block = en["building_blocks"][0]
    assert "license" not in block and "url" not in block  # GPL-3.0 is ambiguous; git:// no link
    assert "links" not in en.metadata
    assert ("(the deprecated identifier does not say whether later versions are allowed: "
            "`GPL-3.0-only`, `GPL-3.0-or-later`)") in en.content
    assert "`git://code.example.org/state/archive-bridge.git`" in en.content
    assert "legal/license: 'GPL-3.0' is not recorded" in err
    assert errors(kb) == []


def test_version_05_owner_found_by_organisation_uri_and_themes_capped(
        kb: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(kb, str(FIXTURES / "v05-organisation.yml"), monkeypatch=monkeypatch,
                       capsys=capsys)
    assert code == 0, err
    en = post(kb, "content/cases/subsidieloket.en.md")
    assert en["organisations"] == [{"id": "acme", "role": "owner"}]  # uri = acme's website
    assert len(en["themes"]) == 5 and en["themes"][-1] == "digital-government"
    assert "maintainer" not in en["building_blocks"][0]  # maintenance: contract
    assert "publishing organisation (organisation/name)" in en.content
    assert errors(kb) == []


def test_no_owner_needs_owner_option(
        kb: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(kb)
    source = FIXTURES / "no-owner.yml"
    code, out, err = run(kb, str(source), monkeypatch=monkeypatch, capsys=capsys)
    assert (code, out) == (1, "0 imported, 1 refused, 0 warnings\n")
    assert err == (f"casebook: error: {source}: organisation/name: the file names no owner "
                   "(organisation/name, legal/repoOwner or legal/mainCopyrightOwner); pass "
                   "--owner ORG_ID with the id of the organisation whose repository holds the "
                   "file\n")
    assert snapshot(kb) == before
    code, _, err = run(kb, str(source), "--owner", "acme", monkeypatch=monkeypatch,
                       capsys=capsys)
    assert code == 0, err
    nl = post(kb, "content/cases/parkeerkaart.nl.md")
    assert nl["organisations"] == [{"id": "acme", "role": "owner"}]
    assert "noemt geen eigenaar" in nl.content
    assert errors(kb) == []


BAD = {
    "no-description-language.yml": (
        1, "description: it has no Dutch (nl) or English (en) text; Casebook entries are written "
           "in Dutch and English, so this file cannot be imported"),
    "not-yaml.yml": (1, "not a YAML file: expected ',' or ']', but got ':' at line 3"),
    "not-publiccode.yml": (
        1, "not a publiccode.yml file: it has no publiccodeYmlVersion, name, url (the standard's "
           "mandatory keys include publiccodeYmlVersion, name, url)"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_gets_one_exact_line_and_nothing_is_written(
        name: str, kb: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(kb)
    expected_code, message = BAD[name]
    code, out, err = run(kb, str(FIXTURES / name), monkeypatch=monkeypatch, capsys=capsys)
    assert (code, out) == (expected_code, "0 imported, 1 refused, 0 warnings\n")
    assert err == f"casebook: error: {FIXTURES / name}: {message}\n"
    assert snapshot(kb) == before


def test_existing_entry_needs_force_and_dry_run_writes_nothing(
        kb: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    source = str(FIXTURES / "v02-both.yml")
    before = snapshot(kb)
    code, out, _ = run(kb, source, "--dry-run", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0 and "--- content/cases/stadspas-acme.nl.md\n---\n" in out
    assert out.endswith("Dry run: nothing was written.\n")
    assert snapshot(kb) == before
    assert run(kb, source, monkeypatch=monkeypatch, capsys=capsys)[0] == 0
    imported = snapshot(kb)
    code, out, err = run(kb, source, monkeypatch=monkeypatch, capsys=capsys)
    assert (code, out) == (1, "0 imported, 1 refused, 0 warnings\n")
    assert err == (f"casebook: error: {source}: the case 'stadspas-acme' already exists "
                   "(content/cases/stadspas-acme.en.md, content/cases/stadspas-acme.nl.md); "
                   "pass --force to replace it\n")
    assert snapshot(kb) == imported
    (kb / "content/cases/stadspas-acme.nl.md").write_text("edited", encoding="utf-8")
    code, _, err = run(kb, source, "--force", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0, err
    assert snapshot(kb) == imported


def test_owner_option_must_name_an_organisation(
        kb: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(kb, str(FIXTURES / "no-owner.yml"), "--owner", "nobody",
                       monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2
    assert err.endswith("--owner 'nobody': there is no organisation with this id; create it "
                        "first with 'casebook new organisation'\n")


def test_every_mapping_target_is_a_vocabulary_term() -> None:
    """The data file maps only to existing themes, stages and block kinds."""
    vocabs = load(BASE).vocabularies
    data = publiccode.mapping()
    for themes in data["categories"].values():
        assert set(themes) <= set(vocabs["themes"].terms)
    assert set(data["themes_always"]) <= set(vocabs["themes"].terms)
    assert set(data["stages"].values()) <= set(vocabs["stages"].terms)
    assert set(data["block_kinds"].values()) <= set(vocabs["block-kinds"].terms)
    assert set(data["mechanisms"]) <= set(vocabs["mechanisms"].terms)
    for rule in data["organisation_names"]:
        assert rule["kind"] in vocabs["organisation-kinds"].terms
        assert rule["country"] in vocabs["countries"].terms
    for value in data["text"].values():
        leaves = value.values() if "nl" not in value else [value]
        for leaf in leaves:
            assert set(leaf) == {"nl", "en"}


def _editorial_keys() -> set[str]:
    schema = raw_schema("case")
    return {k for k, spec in schema["properties"].items() if spec.get("x-editorial")}


def test_real_sources_import_to_the_cases_in_the_knowledge_base(tmp_path: Path) -> None:
    """The copies under sources/publiccode/ still give exactly the committed cases."""
    repo = Path(__file__).parents[2]
    sources = sorted((repo / "sources" / "publiccode").glob("*.yml"))
    assert len(sources) >= 15
    kb = load(repo)
    orgs = publiccode.Organisations(kb)
    for source in sources:
        plan = publiccode.plan_file(source, kb, orgs, None, dt.date(2026, 11, 29), force=True)
        assert orgs.planned_files() == [], source
        for planned in plan.files:
            committed = frontmatter.load(str(repo / planned.rel), handler=CasebookHandler())
            expected = dict(planned.metadata)
            expected.pop("reviewed", None)
            actual = dict(committed.metadata)
            actual.pop("reviewed", None)
            for key in _editorial_keys():  # the editors' own notes, not facts from the file
                actual.pop(key, None)
            assert actual == expected, planned.rel
            assert committed.content == planned.body, planned.rel


# --- publiccode.yml files of our own for stated facts, dates, batches, honest unknowns ---

GEONOVUM = """---
name: Stichting Geonovum
aliases: [Geonovum]
kind: agency
country: NL
website: https://www.geonovum.nl
reviewed: 2024-05-01
---

## Over de organisatie

Een stichting.
"""


def publiccode_file(folder: Path, name: str, *, owner: str | None = "Geonovum",
                    owner_field: str = "organisation", release: str | None = "2022-03-01",
                    status: str | None = "stable", short: str | None = None,
                    uri: str | None = None) -> Path:
    """A publiccode.yml 0.4 file with English text only; ``None`` leaves a key out."""
    lines = ['publiccodeYmlVersion: "0.4"', f"name: {name}",
             f"url: https://code.example.org/{name.lower().replace(' ', '-')}"]
    if release is not None:
        lines.append(f"releaseDate: {release}")
    if status is not None:
        lines.append(f"developmentStatus: {status}")
    short = short or "A library that checks addresses against the national register."
    lines += ["softwareType: library", "description:", "  en:",
              f"    shortDescription: {short}",
              "legal:", "  license: EUPL-1.2"]
    if owner is not None and owner_field == "legal":
        lines.append(f"  repoOwner: {owner}")
    if owner is not None and owner_field == "organisation":
        lines += ["organisation:", f"  name: {owner}"]
        if uri:
            lines.append(f"  uri: {uri}")
    lines += ["maintenance:", "  type: internal"]
    path = folder / f"{name.lower().replace(' ', '-')}.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def kb_geo(kb: Path) -> Path:
    (kb / "content/organisations/geonovum.nl.md").write_text(GEONOVUM, encoding="utf-8")
    return kb


def test_a_stated_owner_is_matched_by_alias_and_wins_over_owner(
        kb_geo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    source = publiccode_file(tmp_path, "Adrescheck")
    before = snapshot(kb_geo)
    # --owner names another organisation than the file: an error naming both, nothing written.
    code, _, err = run(kb_geo, str(source), "--owner", "acme", monkeypatch=monkeypatch,
                       capsys=capsys)
    assert code == 2
    assert err == (f"casebook: error: {source}: organisation/name: the file states the owner "
                   "'Geonovum' (organisation 'geonovum'), but --owner names 'acme'; what the "
                   "file states wins: leave out --owner, or add --owner-role ROLE to record "
                   "'acme' beside it in its real role (host, partner, funder or facilitator)\n")
    assert snapshot(kb_geo) == before
    # Without --owner the stated owner is matched by its alias.
    code, _, err = run(kb_geo, str(source), monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0, err
    en = post(kb_geo, "content/cases/adrescheck.en.md")
    assert en["organisations"] == [{"id": "geonovum", "role": "owner"}]
    assert en["building_blocks"][0]["maintainer"] == "geonovum"
    # --owner naming the stated owner itself is no conflict.
    code, _, err = run(kb_geo, str(source), "--owner", "geonovum", "--force",
                       monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0, err
    # With --owner-role the given organisation is recorded beside it, in that role.
    code, _, err = run(kb_geo, str(source), "--owner", "acme", "--owner-role", "partner",
                       "--force", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0, err
    en = post(kb_geo, "content/cases/adrescheck.en.md")
    assert en["organisations"] == [{"id": "geonovum", "role": "owner"},
                                   {"id": "acme", "role": "partner"}]
    assert "The file names Geonovum as its publishing organisation" in en.content
    assert ("Gemeente Acme is recorded as partner; the file does not say so, it was given "
            "when the file was imported.") in en.content
    assert errors(kb_geo) == []


def test_a_stated_owner_is_matched_by_website(
        kb_geo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    source = publiccode_file(tmp_path, "Kaartviewer", owner="GNV",
                             uri="https://geonovum.nl/")
    code, out, err = run(kb_geo, str(source), monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0, err
    assert "New organisation" not in out
    en = post(kb_geo, "content/cases/kaartviewer.en.md")
    assert en["organisations"] == [{"id": "geonovum", "role": "owner"}]


@pytest.mark.parametrize(("release", "words"), [
    ("1970-01-01", "is the Unix epoch, a placeholder for a date never set"),
    ("2021-17-02", "is not a real date (no such month or day)"),
    ("1985-06-01", "is before 1990, a placeholder rather than a release of this software"),
    ("2031-01-01", "is in the future"),
    ('"01/02/2021"', "is not a date of the form YYYY-MM-DD"),
])
def test_placeholder_and_impossible_dates_are_not_facts(
        release: str, words: str, kb_geo: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    source = publiccode_file(tmp_path, "Datumtest", release=release)
    code, _, err = run(kb_geo, str(source), monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0, err
    value = release.strip('"')
    assert (f"casebook: warning: {source}: releaseDate: '{value}' {words}; it is not recorded "
            "and the start is not stated") in err
    en = post(kb_geo, "content/cases/datumtest.en.md")
    # The start is not stated: the year the file was read, "or earlier".
    assert en["period"] == {"start": TODAY.year, "start_known": False}
    assert f"As release date (releaseDate) the file gives ‘{value}’" in en.content
    assert "so that date is not recorded" in en.content
    assert "The latest release the file names dates from" not in en.content
    assert errors(kb_geo) == []


def test_a_real_date_is_recorded(
        kb_geo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    source = publiccode_file(tmp_path, "Datumgoed", release="1990-01-02")
    code, _, err = run(kb_geo, str(source), monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0 and "releaseDate" not in err
    assert post(kb_geo, "content/cases/datumgoed.en.md")["period"]["start"] == 1990


def test_a_thin_summary_names_the_source_field(
        kb_geo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    source = publiccode_file(tmp_path, "Woobundle", short="Bundles Woo docs.")
    code, out, err = run(kb_geo, str(source), monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1 and out == "0 imported, 1 refused, 0 warnings\n"
    assert err == (f"casebook: error: {source}: description/en/shortDescription: 'Bundles Woo "
                   "docs.' is 28 characters long, also with the name before it; a summary needs "
                   "at least 30: give a fuller shortDescription in the file\n")
    assert "content/" not in err


def test_a_batch_reports_every_file_and_imports_the_good_ones(
        kb_geo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    good = publiccode_file(tmp_path, "Goede bouwsteen")
    thin = publiccode_file(tmp_path, "Dun", short="Too thin.")
    dated = publiccode_file(tmp_path, "Oude datum", release="1970-01-01")
    ownerless = FIXTURES / "no-owner.yml"
    code, out, err = run(kb_geo, str(good), str(thin), str(ownerless), str(dated),
                         monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1
    assert out.splitlines() == [
        f"Imported {good}: content/cases/goede-bouwsteen.en.md",
        f"Imported {dated}: content/cases/oude-datum.en.md",
        "2 imported, 2 refused, 1 warning"]
    lines = err.splitlines()
    assert [line.split(": ")[1:3] for line in lines] == [
        ["error", str(thin)], ["error", str(ownerless)], ["warning", str(dated)]]
    assert (kb_geo / "content/cases/goede-bouwsteen.en.md").is_file()
    assert not (kb_geo / "content/cases/dun.en.md").exists()
    assert errors(kb_geo) == []


def test_unknown_kind_and_stage_are_not_stated(
        kb_geo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    source = publiccode_file(tmp_path, "Wijkkaart", owner="Stichting Wijkdata",
                             owner_field="legal", status=None)
    code, out, err = run(kb_geo, str(source), monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0, err
    assert "New organisation: content/organisations/stichting-wijkdata.en.md" in out
    assert (f"casebook: warning: {source}: legal/repoOwner: 'Stichting Wijkdata' is a new "
            "organisation (stichting-wijkdata) whose kind and country the file does not state; "
            "they are recorded as not stated") in err
    assert (f"casebook: warning: {source}: developmentStatus: the file states none (the "
            "standard requires it); the stage is recorded as not stated") in err
    org = post(kb_geo, "content/organisations/stichting-wijkdata.en.md")
    assert (org["kind"], org["country"]) == ("not-stated", "not-stated")
    en = post(kb_geo, "content/cases/wijkkaart.en.md")
    assert en["stage"] == "not-stated" and en["countries"] == ["not-stated"]
    assert "so the stage is not stated" in en.content
    assert errors(kb_geo) == []
    # A status outside the standard's list is not stated either, with its own warning.
    source = publiccode_file(tmp_path, "Wijkkaart", owner="Stichting Wijkdata",
                             owner_field="legal", status="production")
    code, _, err = run(kb_geo, str(source), "--force", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0 and "developmentStatus: 'production' is not one of the standard's" in err
    assert post(kb_geo, "content/cases/wijkkaart.en.md")["stage"] == "not-stated"
