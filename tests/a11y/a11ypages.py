"""Which built pages stand for which kind of page, chosen from the real content."""

from __future__ import annotations

from casebook.content.vocab import LANGUAGES
from casebook.site.facets import FACETS
from casebook.site.views import SiteIndex


def facet_url(slug: str, key: str) -> str:
    """Path (without language prefix) of the overview of ``key`` in facet ``slug``."""
    return f"{slug}/{FACETS[slug].key_slug(key)}/"


def prefix(lang: str) -> str:
    """URL prefix of a language: the default language lives at the root."""
    return "/" if lang == LANGUAGES[0] else f"/{lang}/"


def path_for(role: str, index: SiteIndex) -> str:
    """The page (path without language prefix) that stands for ``role``."""
    if role.startswith("case:"):
        kind = role.partition(":")[2]
        ids = sorted(index.facets["kinds"].get(kind, []))
        assert ids, f"content/cases has no case of kind {kind!r} to check"
        return f"cases/{ids[0]}/"
    if role == "organisation":  # one with cases, so its page lists them
        return f"organisations/{sorted(index.roles)[0]}/"
    if role == "kind-overview":
        return facet_url("kinds", sorted(index.facets["kinds"])[0])
    if role == "facet-overview":
        return facet_url("themes", sorted(index.facets["themes"])[0])
    if role == "facet-index":
        return "themes/"
    if role == "organisation-kind":
        return f"organisation-kinds/{sorted(index.organisation_kinds)[0]}/"
    if role == "year-overview":
        return f"years/{sorted(index.years)[0]}/"
    return {"home": "", "organisations": "organisations/", "search": "search/",
            "stats": "stats/", "all-cases": "cases/",
            "all-cases-sorted": "cases/sort/reviewed/", "contribute": "contribute/",
            "data": "data/", "not-found": "404.html"}[role]
