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
    assert "category 'quantum-gardening' is not in the publiccode.yml standard's list" in err
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
    assert "licence 'GPL-3.0' is not recorded" in err
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
    assert (code, out) == (1, "")
    assert err == (f"casebook: error: {source}: the file names no owner (organisation/name, "
                   "legal/repoOwner or legal/mainCopyrightOwner); pass --owner ORG_ID with the "
                   "id of the organisation whose repository holds the file\n")
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
        1, "the description has no Dutch (nl) or English (en) text; Casebook entries are written "
           "in Dutch and English, so this file cannot be imported"),
    "not-yaml.yml": (1, "not a YAML file: expected ',' or ']', but got ':' at line 3"),
    "not-publiccode.yml": (
        1, "not a publiccode.yml file: it has no publiccodeYmlVersion, name, url (the standard's "
           "mandatory keys include publiccodeYmlVersion, name, url)"),
    "unknown-owner.yml": (
        1, "the owner 'Stichting Wijkdata' (legal/repoOwner) is not an organisation of the "
           "knowledge base and its name does not tell its kind and country; add it with "
           "'casebook new organisation' (its name as in the file) or pass --owner ORG_ID"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_gets_one_exact_line_and_nothing_is_written(
        name: str, kb: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(kb)
    expected_code, message = BAD[name]
    code, out, err = run(kb, str(FIXTURES / name), monkeypatch=monkeypatch, capsys=capsys)
    assert (code, out) == (expected_code, "")
    assert err == f"casebook: error: {FIXTURES / name}: {message}\n"
    assert snapshot(kb) == before


def test_one_bad_file_among_good_ones_writes_nothing(
        kb: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(kb)
    code, _, err = run(kb, str(FIXTURES / "v02-both.yml"), str(FIXTURES / "no-owner.yml"),
                       monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1 and "no-owner.yml: the file names no owner" in err
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
    assert (code, out) == (1, "")
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
            actual.pop("acknowledged", None)  # an editor's note on a warning, not imported
            assert actual == expected, planned.rel
            assert committed.content == planned.body, planned.rel
