"""Atom feeds per kind, theme and organisation: which there are, and where.

Each feed sits beside the page it follows (``kinds/lab/feed.xml`` beside
``kinds/lab/``, ``themes/mobility/feed.xml``, ``organisations/<id>/feed.xml``)
and lists that page's most recently reviewed cases; the page links it, visibly
and with ``<link rel="alternate">``. :mod:`casebook.opendata.exports` writes the
Atom; this module only says which feeds a site has.
"""

from __future__ import annotations

from dataclasses import dataclass

from casebook.content.uitext import ui_text
from casebook.site.facets import FACETS, KINDS
from casebook.site.views import SiteIndex

#: The name of every feed file, beside its page.
FEED_FILE = "feed.xml"
#: Facets with a feed per value (beside the kinds, and the organisations).
FEED_FACETS = ("themes",)


@dataclass(frozen=True, slots=True)
class Topic:
    """A page that has a feed: its source stem (``kinds/lab``), title and cases."""

    name: str
    title: str
    case_ids: tuple[str, ...]

    @property
    def feed(self) -> str:
        """The feed's path below the language root."""
        return f"{self.name}/{FEED_FILE}"


def topics(index: SiteIndex, lang: str) -> list[Topic]:
    """Every page of the ``lang`` site that has a feed: kinds in use, themes in use,
    organisations with cases."""
    vocabs = index.kb.vocabularies

    def title(label: str) -> str:
        return ui_text("feeds.title", lang, topic=label)

    out = []
    for kind, ids in index.facets.get(KINDS.slug, {}).items():
        label = vocabs.label(KINDS.vocabulary, kind, lang)
        out.append(Topic(f"kinds/{KINDS.key_slug(kind)}", title(label), tuple(ids)))
    for slug in FEED_FACETS:
        facet = FACETS[slug]
        for key, ids in index.facets.get(slug, {}).items():
            label = vocabs.label(facet.vocabulary, key, lang)
            out.append(Topic(f"{slug}/{facet.key_slug(key)}", title(label), tuple(ids)))
    for org_id, roles in index.roles.items():
        entry = index.organisations.get(org_id)
        ids = tuple(dict.fromkeys(c for cases in roles.values() for c in cases))
        if entry is not None and ids:
            out.append(Topic(f"organisations/{org_id}", title(entry.title(lang)), ids))
    return sorted(out, key=lambda t: t.name)


def topic_of(index: SiteIndex, lang: str, name: str) -> Topic | None:
    """The feed of the page ``name`` (source stem), if it has one."""
    return next((t for t in topics(index, lang) if t.name == name), None)
