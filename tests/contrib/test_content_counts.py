"""Issue 22: at least 60 real cases, every one traceable.

Counts over the committed knowledge base, read through the project's loader.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from casebook.content.model import load

LANGUAGES = {"nl", "en"}
NON_REPOSITORY_KINDS = {"lab", "challenge", "practice"}
MIN_CASES = 60
MIN_NON_REPOSITORY = 30
MIN_SHARE_WITH_URL = 0.8


@pytest.fixture(scope="module")
def cases(repo_root: Path):
    return load(repo_root).cases


def _kind(entry) -> str:
    return str(entry.facts.get("kind", ""))


def _sources(entry) -> list:
    sources = entry.facts.get("sources")
    return [s for s in sources if isinstance(s, dict)] if isinstance(sources, list) else []


def _is_import(entry) -> bool:
    """A repository case imported from a publiccode.yml file (its source names that file)."""
    return _kind(entry) == "repository" and any(
        "publiccode.yml" in str(s.get("title", "")) for s in _sources(entry))


def _has_https_source(entry) -> bool:
    return any(str(s.get("url", "")).startswith("https://") for s in _sources(entry))


def test_at_least_60_cases(cases):
    assert len(cases) >= MIN_CASES, f"{len(cases)} cases, want at least {MIN_CASES}"


def test_at_least_30_labs_challenges_and_practices(cases):
    found = sorted(cid for cid, e in cases.items() if _kind(e) in NON_REPOSITORY_KINDS)
    assert len(found) >= MIN_NON_REPOSITORY, f"{len(found)} of kind lab/challenge/practice"


def test_most_labs_challenges_and_practices_cite_an_https_source(cases):
    chosen = {cid: e for cid, e in cases.items() if _kind(e) in NON_REPOSITORY_KINDS}
    assert chosen
    without = sorted(cid for cid, e in chosen.items() if not _has_https_source(e))
    share = 1 - len(without) / len(chosen)
    assert share >= MIN_SHARE_WITH_URL, f"{share:.0%} cite an https:// source; without: {without}"


def test_every_case_that_is_not_an_import_has_both_languages(cases):
    missing = {cid: sorted(LANGUAGES - set(e.files)) for cid, e in cases.items()
               if not _is_import(e) and set(e.files) != LANGUAGES}
    assert missing == {}
