"""Suggestions only when really close, the command that adds a missing entry, and
warnings where ``period`` and ``stage`` contradict each other."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from casebook.checks.validate import validate
from casebook.content.similar import closest


@pytest.mark.parametrize(("value", "candidates", "expected"), [
    ("stad-gent", ["stad-brugge"], None),           # shares only 'stad-'
    ("stad-amsterdam", ["stad-rotterdam"], None),
    ("gent", ["brugge", "antwerpen"], None),
    ("acne", ["acme"], "acme"),                     # one letter wrong
    ("mobilty", ["mobility", "energy"], "mobility"),  # one letter missing
    ("stadgent", ["stad-gent"], "stad-gent"),       # one letter missing
    ("tsad-gent", ["stad-gent"], "stad-gent"),      # two neighbours swapped
    ("Mobility", ["mobility"], "mobility"),         # letter case
    ("orgnisations", ["organisations", "countries"], "organisations"),
    ("ab", ["ac"], None),                           # too short to guess
])
def test_only_real_similarity_suggests(value, candidates, expected) -> None:
    assert closest(value, candidates) == expected


def _with_orgs(root: Path, *ids: str) -> None:
    orgs = root / "content" / "organisations"
    for org_id in ids:
        shutil.copy(orgs / "acme.nl.md", orgs / f"{org_id}.nl.md")


def _reference(root: Path, org_id: str) -> None:
    case = root / "content" / "cases" / "lab-one.nl.md"
    case.write_text(case.read_text(encoding="utf-8").replace("{id: acme, role: owner}",
                    f"{{id: acme, role: owner}}\n  - {{id: {org_id}, role: partner}}"),
                    encoding="utf-8")


def test_a_missing_organisation_names_the_command_not_a_far_guess(make_kb) -> None:
    root = make_kb()
    _with_orgs(root, "stad-brugge")
    _reference(root, "stad-gent")
    (d,) = [d for d in validate(root, today=dt.date(2025, 1, 1))[0] if d.code == "reference"]
    assert d.field == "organisations[1].id"
    assert d.message == ("no organisation with id 'stad-gent'; add it with: casebook new "
                         "organisation stad-gent (or correct the id)")
    assert "stad-brugge" not in d.format_text("nl")
    assert d.format_text("nl").endswith(
        "organisaties, 2e waarde, id: er is geen organisatie met de id 'stad-gent'; maak die "
        "aan met: casebook new organisation stad-gent (of verbeter de id)")


def test_a_really_close_id_is_suggested_with_the_command(make_kb) -> None:
    root = make_kb()
    _with_orgs(root, "stad-gent")
    _reference(root, "stad-gnet")
    (d,) = [d for d in validate(root, today=dt.date(2025, 1, 1))[0] if d.code == "reference"]
    assert d.message == ("no organisation with id 'stad-gnet'; did you mean 'stad-gent'? If "
                         "not, add it with: casebook new organisation stad-gnet")


def _stage(root: Path, period: str, stage: str) -> None:
    case = root / "content" / "cases" / "lab-one.nl.md"
    text = case.read_text(encoding="utf-8")
    text = text.replace('period: {start: 2019, end: "2021-06"}', f"period: {period}")
    case.write_text(text.replace("stage: completed", f"stage: {stage}"), encoding="utf-8")


TODAY = dt.date(2026, 11, 29)


@pytest.mark.parametrize(("period", "stage", "warning"), [
    ("{start: 2028}", "active", "starts in 2028, in the future"),
    ("{start: 2028}", "completed", "starts in 2028, in the future"),
    ("{start: \"2026-12\"}", "active", "starts in 2026-12, in the future"),
    ("{start: 2020, end: 2027}", "completed", "ends in 2027, in the future"),
    ("{start: 2020, end: \"2026-12\"}", "completed", "ends in 2026-12, in the future"),
    ("{start: 2020, end: 2025}", "active", "ended in 2025"),
    ("{start: 2020, end: \"2026-10\"}", "planned", "ended in 2026-10"),
    ("{start: 2019}", "planned", "started in 2019"),
    # no contradiction: a year may mean any of its months
    ("{start: 2026}", "planned", None),
    ("{start: 2026}", "active", None),
    ("{start: 2020, end: 2026}", "completed", None),
    ("{start: 2020, end: 2026}", "active", None),
    ("{start: 2028}", "planned", None),
    ("{start: 2019}", "active", None),
    ("{start: 2019}", "completed", None),  # the sources often do not give the end
    ("{start: 2019, end: 2021}", "discontinued", None),
])
def test_period_and_stage_plausibility(make_kb, period: str, stage: str,
                                       warning: str | None) -> None:
    root = make_kb()
    _stage(root, period, stage)
    found = [d for d in validate(root, today=TODAY)[0] if d.path.endswith("lab-one.nl.md")]
    if warning is None:
        assert found == []
    else:
        (d,) = found
        assert (d.severity, d.code, d.field) == ("warning", "stage", "stage")
        assert warning in d.message
        assert "fase" in d.format_text("nl") and d.format_text("nl") != d.format_text("en")
