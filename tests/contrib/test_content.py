"""The real entries: both languages, a cited source, and no validation errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from casebook.checks.validate import validate
from casebook.content.model import load
from casebook.content.vocab import LANGUAGES


@pytest.fixture(scope="module")
def kb(repo_root: Path):
    return load(repo_root)


def test_there_are_cases_and_organisations(kb):
    assert kb.cases and kb.organisations


def _one_language_imports(repo_root: Path) -> dict[str, list[str]]:
    """Case id → missing languages, for cases imported from a one-language publiccode.yml."""
    from casebook.intake.publiccode import descriptions, read_file
    from casebook.intake.scaffold import slugify

    out = {}
    for source in sorted((repo_root / "sources" / "publiccode").glob("*.yml")):
        data, _ = read_file(source)
        missing = sorted(set(LANGUAGES) - set(descriptions(data)))
        if missing:
            out[slugify(str(data["name"]))] = missing
    return out


def test_every_case_has_both_languages(kb, repo_root: Path):
    """Both languages, except where the imported publiccode.yml has text in only one."""
    missing = {cid: sorted(set(LANGUAGES) - set(entry.files))
               for cid, entry in kb.cases.items() if set(entry.files) != set(LANGUAGES)}
    one_language = _one_language_imports(repo_root)
    assert {cid: langs for cid, langs in missing.items() if one_language.get(cid) != langs} == {}


def test_every_organisation_has_both_languages(kb):
    missing = {oid: sorted(set(LANGUAGES) - set(entry.files))
               for oid, entry in kb.organisations.items() if set(entry.files) != set(LANGUAGES)}
    assert missing == {}


def test_every_case_cites_a_source(kb):
    for cid, entry in kb.cases.items():
        sources = entry.facts.get("sources")
        assert isinstance(sources, list) and sources, f"{cid}: no sources"
        for source in sources:
            assert isinstance(source, dict) and str(source.get("title", "")).strip(), cid


def test_every_named_organisation_has_an_entry(kb):
    for cid, entry in kb.cases.items():
        for org in entry.facts.get("organisations") or []:
            assert org["id"] in kb.organisations, f"{cid}: {org['id']}"


def test_the_real_entries_validate_without_errors(repo_root: Path):
    diagnostics, files = validate(repo_root)
    errors = [d.format_text() for d in diagnostics if d.severity == "error"]
    assert errors == []
    assert files >= 2
