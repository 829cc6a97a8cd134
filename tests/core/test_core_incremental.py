"""Incremental validation: one file's findings without reading the whole base, and a
loaded base brought up to date file by file, with the same findings as from scratch."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from casebook.checks.validate import validate
from casebook.content.model import load
from casebook.preview.affected import Shown, affected_pages
from casebook.preview.incremental import (
    apply_changes,
    changed_files,
    check_entries,
    content_stamps,
    validate_paths,
)
from casebook.site.views import SiteIndex, shared_values
from core_kb import BAD, TODAY, build_kb

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "bench"))
sys.path.insert(0, str(REPO_ROOT / "tests" / "hostile"))
from hostile_corpus import FOLDERS, prepare  # noqa: E402
from synth import generate  # noqa: E402


def _entry_files(root: Path) -> list[Path]:
    return sorted(p for folder in ("cases", "organisations")
                  for p in (root / "content" / folder).glob("*.md"))


def _same_as_whole_base(root: Path) -> int:
    compared = 0
    for path in _entry_files(root):
        if path.is_symlink():
            continue
        assert validate_paths(root, [path], today=TODAY) == validate(root, [path], today=TODAY), \
            path
        compared += 1
    return compared


@pytest.mark.parametrize("overlay", sorted(p.name for p in BAD.iterdir()))
def test_one_file_gives_the_findings_of_the_whole_base(tmp_path: Path, overlay: str) -> None:
    root = build_kb(tmp_path / "kb", overlay)
    assert _same_as_whole_base(root) > 0


@pytest.mark.parametrize("name", FOLDERS)
def test_hostile_files_give_the_findings_of_the_whole_base(tmp_path: Path, name: str) -> None:
    root = prepare(name, tmp_path / "kb")
    _same_as_whole_base(root)


def test_synthetic_base_with_references_between_files(tmp_path: Path) -> None:
    root = generate(tmp_path / "kb", 30)
    # A broken reference, a block of a case that is no repository, an id differing in case.
    case = root / "content" / "cases" / "case-9.nl.md"
    case.write_text(case.read_text(encoding="utf-8").replace(
        "related: [", "related: [case-99, ").replace("uses: [", "uses: [case-1/nope, "),
        encoding="utf-8")
    shutil.copy(root / "content" / "cases" / "case-4.nl.md",
                root / "content" / "cases" / "Case-4.nl.md")
    assert _same_as_whole_base(root) == len(_entry_files(root))
    both = [case, root / "content" / "cases" / "case-1.en.md"]
    assert validate_paths(root, both, today=TODAY) == validate(root, both, today=TODAY)
    findings, files = validate_paths(root, [case], today=TODAY)
    assert files == 1 and "reference" in {d.code for d in findings}


def test_a_folder_is_checked_with_the_whole_base(tmp_path: Path) -> None:
    root = build_kb(tmp_path / "kb", "unknown-term")
    folder = root / "content" / "cases"
    assert validate_paths(root, [folder], today=TODAY) == validate(root, [folder], today=TODAY)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_loaded_base_brought_up_to_date_checks_like_a_fresh_one(tmp_path: Path) -> None:
    root = generate(tmp_path / "kb", 30)
    kb = load(root)
    stamps = content_stamps(root)
    case = root / "content" / "cases" / "case-6.nl.md"
    _edit(case, "kind: ", "kind: labb-")
    org = root / "content" / "organisations" / "org-2.en.md"
    _edit(org, "name: ", "name: Renamed ")
    changed = changed_files(stamps, content_stamps(root))
    assert changed == {"content/cases/case-6.nl.md", "content/organisations/org-2.en.md"}
    changes = apply_changes(kb, changed)
    assert not changes.structural
    assert changes.entries == {("cases", "case-6"), ("organisations", "org-2")}
    assert kb.organisations["org-2"].title("en").startswith("Renamed ")
    fresh, _ = validate(root, today=TODAY)
    mine = check_entries(kb, changes.entries, today=TODAY)
    rels = {"content/cases/case-6.nl.md", "content/cases/case-6.en.md",
            "content/organisations/org-2.nl.md", "content/organisations/org-2.en.md"}
    assert mine == [d for d in fresh if d.path in rels]
    assert any(d.code == "unknown-term" for d in mine)


@pytest.mark.parametrize("change", ["add", "remove", "other"])
def test_added_or_removed_files_are_structural(tmp_path: Path, change: str) -> None:
    root = generate(tmp_path / "kb", 10)
    kb = load(root)
    stamps = content_stamps(root)
    cases = root / "content" / "cases"
    if change == "add":
        shutil.copy(cases / "case-1.nl.md", cases / "case-new.nl.md")
    elif change == "remove":
        (cases / "case-1.en.md").unlink()
    else:
        (root / "content" / "contribute.nl.md").write_text("# Bijdragen\n", encoding="utf-8")
    changes = apply_changes(kb, changed_files(stamps, content_stamps(root)))
    assert changes.structural


def test_affected_pages_follow_the_change(tmp_path: Path) -> None:
    root = generate(tmp_path / "kb", 40)
    kb = load(root)
    old = SiteIndex.build(kb)
    entry = kb.cases["case-6"]
    key = ("cases", "case-6")
    path = root / "content" / "cases" / "case-6.nl.md"
    orgs = {f"organisations/{o['id']}" for o in entry.facts["organisations"]}
    related = {f"cases/{c}" for c in old.related.get("case-6", ())}
    assert related

    # Only the text: only its own page.
    before = {key: Shown.of(entry)}
    _edit(path, "\n## ", "\nEen nieuwe zin.\n\n## ")
    apply_changes(kb, {"content/cases/case-6.nl.md"})
    new = SiteIndex.build(kb)
    assert affected_pages({key}, before, old, new).pages == {"cases/case-6"}

    # A theme swapped: the overviews of both themes, not the pages that only link to it.
    before = {key: Shown.of(entry)}
    themes = entry.facts["themes"]
    other = next(t for t in old.facets["themes"] if t not in themes)
    _edit(path, f"themes: [{', '.join(themes)}]", f"themes: [{themes[0]}, {other}]")
    apply_changes(kb, {"content/cases/case-6.nl.md"})
    new = SiteIndex.build(kb)
    affected = affected_pages({key}, before, old, new)
    assert affected.pages is not None
    assert {"cases/case-6", "index", "stats", f"themes/{themes[1]}", f"themes/{other}",
            f"kinds/{entry.facts['kind']}", "themes/index"} <= affected.pages
    assert not orgs & affected.pages
    # A related case's page shows what it shares with case-6: only where that changed.
    for page in related:
        other = page.split("/")[1]
        changed = shared_values(old, other, "case-6") != shared_values(new, other, "case-6")
        assert (page in affected.pages) == changed, page
    assert affected.rows == {"case-6"}

    # A new title: every page that shows it.
    before = {key: Shown.of(entry)}
    _edit(path, "title: ", "title: Nieuw ")
    apply_changes(kb, {"content/cases/case-6.nl.md"})
    affected = affected_pages({key}, before, new, SiteIndex.build(kb))
    assert affected.pages is not None and orgs | related <= affected.pages
    assert "stats" not in affected.pages  # counts of facts only

    # A country no case had before: its page is new, so the whole site is built again.
    before = {key: Shown.of(entry)}
    assert "DE" not in new.facets["countries"]
    _edit(path, "countries: [NL, BE]", "countries: [NL, DE]")
    apply_changes(kb, {"content/cases/case-6.nl.md"})
    assert affected_pages({key}, before, new, SiteIndex.build(kb)).pages is None


def test_an_organisation_reaches_the_overviews_of_its_cases(tmp_path: Path) -> None:
    root = generate(tmp_path / "kb", 40)
    kb = load(root)
    index = SiteIndex.build(kb)
    org = next(o for o in index.roles if index.roles[o])
    key = ("organisations", org)
    cases = {c for ids in index.roles[org].values() for c in ids}
    before = {key: Shown.of(kb.organisations[org])}
    _edit(root / "content" / "organisations" / f"{org}.en.md", "name: ", "name: New ")
    apply_changes(kb, {f"content/organisations/{org}.en.md"})
    affected = affected_pages({key}, before, index, SiteIndex.build(kb))
    assert affected.pages is not None and affected.rows == cases
    for case_id in cases:
        facts = index.cases[case_id].facts
        assert {f"cases/{case_id}", f"kinds/{facts['kind']}",
                *(f"themes/{t}" for t in facts["themes"])} <= affected.pages
    assert {f"organisations/{org}", "organisations/index"} <= affected.pages
    kind = str(kb.organisations[org].facts["kind"])
    assert f"organisation-kinds/{kind}" in affected.pages  # its row there shows the name


def test_an_organisation_kind_reaches_the_pages_of_both_kinds(tmp_path: Path) -> None:
    root = generate(tmp_path / "kb", 40)
    kb = load(root)
    index = SiteIndex.build(kb)
    org = sorted(index.organisations)[0]
    kind = str(index.organisations[org].facts["kind"])
    other = next(k for k in sorted(index.organisation_kinds) if k != kind
                 and len(index.organisation_kinds[k]) > 0)
    assert len(index.organisation_kinds[kind]) > 1  # the old kind keeps its page
    key = ("organisations", org)
    before = {key: Shown.of(kb.organisations[org])}
    path = next(p for p in (root / "content" / "organisations").glob(f"{org}.*.md")
                if f"kind: {kind}" in p.read_text(encoding="utf-8"))
    _edit(path, f"kind: {kind}", f"kind: {other}")
    apply_changes(kb, {path.relative_to(root).as_posix()})
    affected = affected_pages({key}, before, index, SiteIndex.build(kb))
    assert affected.pages is not None
    assert {f"organisation-kinds/{kind}", f"organisation-kinds/{other}", "organisations/index",
            "stats"} <= affected.pages
    # A kind no organisation had: its page is new, so the whole site is built again.
    before = {key: Shown.of(kb.organisations[org])}
    index = SiteIndex.build(kb)
    unused = next(k for k in kb.vocabularies["organisation-kinds"].terms
                  if k not in index.organisation_kinds)
    _edit(path, f"kind: {other}", f"kind: {unused}")
    apply_changes(kb, {path.relative_to(root).as_posix()})
    assert affected_pages({key}, before, index, SiteIndex.build(kb)).pages is None
