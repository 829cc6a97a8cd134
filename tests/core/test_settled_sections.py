"""Settling a missing section: ``not_in_sources`` silences the warning and the page
shows the heading with "not recorded in the sources" in the text's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from casebook.checks.validate import validate
from casebook.content.model import load
from casebook.content.sections import keys_for, settled_sections, with_settled
from core_kb import TODAY

NOTE_NL, NOTE_EN = "Niet vermeld in de bronnen.", "Not recorded in the sources."


def _settle(root: Path, name: str, settle: str | None) -> Path:
    """The missing-section fixture (no '## Resultaten'), optionally settled."""
    src = root / "content" / "cases" / f"{name}.nl.md"
    text = src.read_text(encoding="utf-8")
    if settle is not None:
        text = text.replace("reviewed:", f"not_in_sources: {settle}\nreviewed:", 1)
    src.write_text(text, encoding="utf-8")
    return src


def test_the_warning_names_the_key_that_settles_it(make_kb) -> None:
    root = make_kb("missing-section")
    (d,) = validate(root, today=TODAY)[0]
    assert d.code == "missing-section"
    assert "not_in_sources: [results]" in d.message
    assert "not_in_sources: [results]" in d.format_text("nl")


def test_not_in_sources_silences_the_warning(make_kb) -> None:
    root = make_kb("missing-section")
    _settle(root, "missing-section", "[results]")
    assert validate(root, today=TODAY)[0] == []


def test_an_english_translation_is_settled_by_its_original(make_kb) -> None:
    root = make_kb("missing-section")
    _settle(root, "missing-section", "[results]")
    (root / "content" / "cases" / "missing-section.en.md").write_text(
        "---\ntitle: A practice\nsummary: A practice that the town shares with other towns.\n"
        "---\n\n## Context\n\nText.\n\n## Approach\n\nText.\n\n## Lessons\n\nText.\n",
        encoding="utf-8")
    assert validate(root, today=TODAY)[0] == []


@pytest.mark.parametrize(("value", "code"), [
    ("[result]", "unknown-term"),        # not a section key: the schema's did-you-mean
    ("results", "type"),                 # a list is needed
    ("[]", "count"),
])
def test_bad_values_are_reported(make_kb, value: str, code: str) -> None:
    root = make_kb("missing-section")
    _settle(root, "missing-section", value)
    codes = {d.code for d in validate(root, today=TODAY)[0]}
    assert code in codes


def test_the_page_body_gets_the_heading_in_order() -> None:
    body = "Intro.\n\n## Context\n\nTekst.\n\n## Lessen\n\nTekst.\n"
    out = with_settled(body, keys_for("cases", "lab"), ["results", "approach"], "nl", NOTE_NL)
    assert out == ("Intro.\n\n## Context\n\nTekst.\n\n## Aanpak\n\n*Niet vermeld in de "
                   "bronnen.*\n\n## Resultaten\n\n*Niet vermeld in de bronnen.*\n\n"
                   "## Lessen\n\nTekst.\n")
    # a settled section the body has after all is not added twice
    assert with_settled(out, keys_for("cases", "lab"), ["results"], "nl", NOTE_NL) == out


def test_settled_sections_in_both_languages(make_kb) -> None:
    root = make_kb("missing-section")
    _settle(root, "missing-section", "[results, lessons]")
    kb = load(root)
    entry = kb.cases["missing-section"]
    body = entry.files["nl"].doc.body
    dutch = settled_sections(entry, body, "nl")
    assert "## Resultaten\n\n*Niet vermeld in de bronnen.*" in dutch
    assert dutch.count("## Lessen") == 1  # the body has it
    (root / "content" / "cases" / "missing-section.en.md").write_text(
        "---\ntitle: A practice\nsummary: A practice that the town shares with other towns.\n"
        "---\n\n## Context\n\nText.\n\n## Approach\n\nText.\n", encoding="utf-8")
    entry = load(root).cases["missing-section"]
    english = settled_sections(entry, entry.files["en"].doc.body, "en")
    assert english.endswith("## Results\n\n*Not recorded in the sources.*\n\n"
                            "## Lessons\n\n*Not recorded in the sources.*\n")


@pytest.mark.parametrize("body", [
    "## Context\n\nText.\n\n## Aanpak ##\n",
    "Intro\n##\tResultaten  \n## ##\n###  Not level two\n##NoSpace\n",
    "## Lessen\r\nText\r\n## Over  #  \r\n",
    "text ## Context\n  ## Indented\n",
])
def test_present_finds_the_headings_the_full_pattern_finds(body: str) -> None:
    """The fast heading finder agrees with ``HEADING`` over the whole text."""
    from casebook.content.sections import HEADING, present

    assert present(body) == {h.strip().lower() for h in HEADING.findall(body)}
