"""Which pages show an entry: what a preview renders again after a change.

Pages are named by their source stem, as :class:`casebook.site.views.GeneratedPage`
names them (``cases/x``, ``organisations/y``, ``themes/mobility``,
``kinds/lab``, ``index``...), the same in every language.

A change to an entry's text alone reaches only its own page. A case's facts
or title reach the overviews of every facet value it has or had, the home page
and the statistics, and the pages that show its title where that changed or
the link that came or went: its organisations, related cases, the
repositories whose blocks it uses, the cases that use its blocks and the
cases that list it as sharing themes, mechanisms, barriers or blocks. An
organisation's name reaches its cases and every overview listing them (their
rows show its name); its other facts reach the index of organisations and the
page of its kind (before and after). A case that gains or loses an organisation
changes that organisation's count of cases on both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from casebook.content.model import TRANSLATABLE, Entry, start_year
from casebook.content.vocab import LANGUAGES
from casebook.site import listing
from casebook.site.facets import BROWSE_FACETS, KINDS, ORGANISATION_KINDS
from casebook.site.views import SiteIndex, shared_values, similar_cases

#: The home page: counts per kind and the most recently reviewed cases, by title.
HOME = "index"
#: The statistics (the data plugin's): counts of facts, no titles.
STATISTICS = "stats"
#: The table of every case and its copies sorted by another column.
ALL_CASES = frozenset({listing.ALL_CASES, *(listing.variant_name(c) for c in listing.variants())})


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


def _organisation_kind_pages(org_ids: Iterable[str], old: SiteIndex,
                             new: SiteIndex) -> set[str] | None:
    """The pages of the kinds of ``org_ids`` (before and after); ``None`` when such a
    page comes or goes."""
    ids = set(org_ids)
    # From each index's own grouping: the entries themselves are updated in place.
    kinds = {key for index in (old, new) for key, orgs in index.organisation_kinds.items()
             if ids & set(orgs)}
    if any(key not in index.organisation_kinds for key in kinds for index in (old, new)):
        return None
    return {f"{ORGANISATION_KINDS.slug}/{ORGANISATION_KINDS.key_slug(key)}" for key in kinds}


@dataclass(frozen=True, slots=True)
class Shown:
    """What other pages may show of an entry: its facts and its title in each language."""

    facts: dict[str, Any]
    titles: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, entry: Entry) -> Shown:
        text = TRANSLATABLE[entry.collection]  # the title, and text only its page shows
        facts = {k: v for k, v in entry.facts.items() if k not in text}
        return cls(facts, tuple((lang, entry.title(lang)) for lang in LANGUAGES))


def _changed(before: set[str], after: set[str], everything: bool) -> set[str]:
    """All of both when ``everything`` (the title changed), else what came or went."""
    return before | after if everything else before ^ after


def _roles(facts: dict[str, Any]) -> set[tuple[str, str]]:
    items = facts.get("organisations")
    return {(str(o.get("id")), str(o.get("role"))) for o in items if isinstance(o, dict)} \
        if isinstance(items, list) else set()


def _year(index: SiteIndex, case_id: str) -> str | None:
    entry = index.cases.get(case_id)
    return start_year(entry) if entry is not None else None


def _case_pages(case_id: str, before: Shown, after: Shown,
                old: SiteIndex, new: SiteIndex) -> set[str] | None:
    pages = {f"cases/{case_id}"}
    retitled = before.titles != after.titles
    if before.facts == after.facts and not retitled:
        return pages  # only its text changed: no other page shows that
    pages.add(HOME)
    pages |= ALL_CASES  # a row of the table of all cases shows it
    if before.facts != after.facts:
        pages.add(STATISTICS)
    b, a = before.facts, after.facts
    facets_before, facets_after = _facet_pages(b, old, new), _facet_pages(a, old, new)
    if facets_before is None or facets_after is None:
        return None
    years = {_year(old, case_id), _year(new, case_id)} - {None}
    if any(y not in index.years for y in years for index in (old, new)):
        return None  # a year page comes or goes
    pages |= {f"years/{y}" for y in years}
    pages |= facets_before | facets_after  # their rows show it
    for facet in BROWSE_FACETS:  # a count on the facet's index page changed
        if set(facet.keys(b)) != set(facet.keys(a)):
            pages.add(f"{facet.slug}/index")
    roles_before, roles_after = _roles(b), _roles(a)
    orgs = {o for o, _ in (roles_before | roles_after if retitled else roles_before ^ roles_after)}
    pages |= {f"organisations/{o}" for o in orgs}
    counted = {o for o, _ in roles_before} ^ {o for o, _ in roles_after}
    if counted:
        kinds = _organisation_kind_pages(counted, old, new)
        if kinds is None:
            return None
        pages |= {"organisations/index"} | kinds
    related = _changed(old.related.get(case_id, set()), new.related.get(case_id, set()), retitled)
    uses = _changed(_ids(b.get("uses")), _ids(a.get("uses")), retitled)
    repositories = {ref.partition("/")[0] for ref in uses}
    users: set[str] = set()
    if retitled or b.get("building_blocks") != a.get("building_blocks"):
        users = {user for index in (old, new) for (repo, _), ids in index.block_users.items()
                 if repo == case_id for user in ids}
    pages |= {f"cases/{c}" for c in related | repositories | users if c != case_id}
    pages |= {f"cases/{c}" for c in _listing_as_similar(case_id, old, new)}
    return pages


def _listing_as_similar(case_id: str, old: SiteIndex, new: SiteIndex) -> set[str]:
    """The cases whose list of related cases the change of ``case_id`` changes: which
    cases it shows, or the values the reason beside one names."""
    candidates: set[str] = set()
    for index in (old, new):
        if case_id in index.cases:
            candidates |= index.related.get(case_id, set())
            candidates |= {other for other, _ in similar_cases(index, case_id, None)}
    return {c for c in candidates if c != case_id and (
        c not in old.cases or c not in new.cases
        or _related_shown(old, c) != _related_shown(new, c))}


def _related_shown(index: SiteIndex, case_id: str) -> tuple[Any, ...]:
    """What the list of related cases of ``case_id`` shows, titles aside."""
    named = sorted(c for c in index.related.get(case_id, ()) if c in index.cases)
    return (tuple((c, tuple(shared_values(index, case_id, c))) for c in named),
            tuple((c, tuple(shared)) for c, shared in similar_cases(index, case_id)))


def _organisation_pages(org_id: str, before: Shown, after: Shown, old: SiteIndex,
                        new: SiteIndex) -> tuple[set[str], set[str]] | None:
    pages = {f"organisations/{org_id}"}
    if before == after:
        return pages, set()  # only its text changed
    kinds = _organisation_kind_pages([org_id], old, new)
    if kinds is None:
        return None
    pages |= {"organisations/index", HOME, STATISTICS} | kinds
    if before.titles == after.titles:
        return pages, set()  # its kind or country: only the index shows them
    cases = {c for index in (old, new) for ids in index.roles.get(org_id, {}).values() for c in ids}
    for case_id in cases:  # they show its name, and so do their overview rows
        entry = new.cases.get(case_id)
        facets = _facet_pages(entry.facts, new) if entry is not None else None
        if facets is None:
            return None
        pages |= facets | {f"cases/{case_id}"} | ALL_CASES
        year = start_year(entry)
        if year is not None:
            pages.add(f"years/{year}")
    for case_id, entry in new.cases.items():  # repositories naming it as a block maintainer
        if org_id in _ids(entry.facts.get("building_blocks"), "maintainer"):
            pages.add(f"cases/{case_id}")
    return pages, cases


def affected_pages(changed: Iterable[tuple[str, str]], before: dict[tuple[str, str], Shown],
                   old: SiteIndex, new: SiteIndex) -> Affected:
    """The pages showing the entries ``changed`` ((collection, id) pairs).

    ``before`` holds what each entry showed before the change (:meth:`Shown.of`),
    ``old`` and ``new`` are the site index before and after it.
    """
    pages: set[str] = set()
    rows: set[str] = set()
    for collection, entry_id in changed:
        index_old, index_new = ((old.cases, new.cases) if collection == "cases"
                                else (old.organisations, new.organisations))
        entry = index_new.get(entry_id)
        shown = before.get((collection, entry_id))
        if entry is None or entry_id not in index_old or shown is None:
            return Affected(None, frozenset())
        if collection == "cases":
            found = _case_pages(entry_id, shown, Shown.of(entry), old, new)
            if found is None:
                return Affected(None, frozenset())
            pages |= found
            rows.add(entry_id)
        else:
            org = _organisation_pages(entry_id, shown, Shown.of(entry), old, new)
            if org is None:
                return Affected(None, frozenset())
            pages |= org[0]
            rows |= org[1]
    return Affected(frozenset(pages), frozenset(rows))
