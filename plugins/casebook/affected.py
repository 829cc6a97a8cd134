"""Which pages show an entry: what a preview renders again after a change.

Pages are named by their source stem, as :class:`casebook.render.GeneratedPage`
names them (``cases/x``, ``organisations/y``, ``themes/mobility``,
``kinds/lab``, ``index``...), the same in every language.

A case's change reaches its own page, the pages that list it or show its
title (its organisations, related cases, the repositories whose blocks it
uses and the cases that use its blocks), the overviews of every facet value it
has or had, the home page and the statistics. An organisation's change reaches
its page, the index of organisations and its cases with every overview that
lists them (their rows show its name).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .render import BROWSE_FACETS, KINDS, SiteIndex

#: Pages that summarise the whole knowledge base (the data plugin's statistics).
SUMMARY_PAGES = ("index", "stats")


@dataclass(frozen=True, slots=True)
class Affected:
    """Pages to render again, or ``None`` for ``pages`` when the set of pages changed."""

    pages: frozenset[str] | None
    #: Case ids whose overview rows must be made again.
    rows: frozenset[str]


def _ids(value: Any, key: str | None = None) -> set[str]:
    """Strings of a list (``related``), or the ``key`` of each mapping in it."""
    if not isinstance(value, list):
        return set()
    if key is None:
        return {str(v) for v in value if isinstance(v, (str, int))}
    return {str(v[key]) for v in value if isinstance(v, dict) and v.get(key) is not None}


def _facet_pages(facts: dict[str, Any], *indexes: SiteIndex) -> set[str] | None:
    """Overview pages for the facet values of ``facts``; ``None`` when a value has
    no page in one of ``indexes`` (a value came or went: the set of pages changes)."""
    pages: set[str] = set()
    for facet in (KINDS, *BROWSE_FACETS):
        for key in facet.keys(facts):
            if facet is not KINDS and any(key not in index.facets.get(facet.slug, {})
                                          for index in indexes):
                return None
            pages.add(f"{facet.slug}/{facet.key_slug(key)}")
    return pages


def _case_pages(case_id: str, before: dict[str, Any], after: dict[str, Any],
                old: SiteIndex, new: SiteIndex) -> set[str] | None:
    pages = {f"cases/{case_id}", *SUMMARY_PAGES}
    facets_before, facets_after = _facet_pages(before, old, new), _facet_pages(after, old, new)
    if facets_before is None or facets_after is None:
        return None
    pages |= facets_before | facets_after
    for facet in BROWSE_FACETS:  # a count on the facet's index page changed
        if set(facet.keys(before)) != set(facet.keys(after)):
            pages.add(f"{facet.slug}/index")
    orgs_before = _ids(before.get("organisations"), "id")
    orgs_after = _ids(after.get("organisations"), "id")
    pages |= {f"organisations/{o}" for o in orgs_before | orgs_after}
    if orgs_before != orgs_after:
        pages.add("organisations/index")
    related = old.related.get(case_id, set()) | new.related.get(case_id, set())
    related |= _ids(before.get("related")) | _ids(after.get("related"))
    uses = _ids(before.get("uses")) | _ids(after.get("uses"))
    repositories = {ref.partition("/")[0] for ref in uses}
    users = {user for index in (old, new) for (repo, _), ids in index.block_users.items()
             if repo == case_id for user in ids}
    pages |= {f"cases/{c}" for c in related | repositories | users if c != case_id}
    return pages


def _organisation_pages(org_id: str, old: SiteIndex,
                        new: SiteIndex) -> tuple[set[str], set[str]] | None:
    pages = {f"organisations/{org_id}", "organisations/index", *SUMMARY_PAGES}
    cases = {c for index in (old, new) for ids in index.roles.get(org_id, {}).values() for c in ids}
    for case_id in cases:
        entry = new.cases.get(case_id)
        facets = _facet_pages(entry.facts, new) if entry is not None else None
        if facets is None:
            return None
        pages |= facets | {f"cases/{case_id}"}
    for case_id, entry in new.cases.items():  # repositories naming it as a block maintainer
        if org_id in _ids(entry.facts.get("building_blocks"), "maintainer"):
            pages.add(f"cases/{case_id}")
    return pages, cases


def affected_pages(changed: Iterable[tuple[str, str]],
                   before: dict[tuple[str, str], dict[str, Any]],
                   old: SiteIndex, new: SiteIndex) -> Affected:
    """The pages showing the entries ``changed`` ((collection, id) pairs).

    ``before`` holds each entry's facts before the change, ``old`` and ``new``
    the site index before and after it.
    """
    pages: set[str] = set()
    rows: set[str] = set()
    for collection, entry_id in changed:
        if collection == "cases":
            entry = new.cases.get(entry_id)
            if entry is None or entry_id not in old.cases:
                return Affected(None, frozenset())
            found = _case_pages(entry_id, before.get((collection, entry_id), {}), entry.facts,
                                old, new)
            if found is None:
                return Affected(None, frozenset())
            pages |= found
            rows.add(entry_id)
        else:
            if entry_id not in new.organisations or entry_id not in old.organisations:
                return Affected(None, frozenset())
            org = _organisation_pages(entry_id, old, new)
            if org is None:
                return Affected(None, frozenset())
            pages |= org[0]
            rows |= org[1]
    return Affected(frozenset(pages), frozenset(rows))
