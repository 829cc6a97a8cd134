"""The renderer's common ground: one language site's labels, links and items.

:class:`RendererBase` holds what both the fact boxes (:mod:`casebook.site.factbox`)
and the generated pages (:mod:`casebook.site.generated`) use: UI strings and
vocabulary labels in the page's language, links to entries and facet pages,
months and periods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from casebook.content.uitext import ui_strings, ui_text
from casebook.content.vocab import DEFAULT_LANGUAGE
from casebook.site import listing
from casebook.site.facets import FACETS, KINDS, Facet
from casebook.site.views import (
    RECENT_CASES,
    STALE_AFTER_MONTHS,
    Item,
    SiteIndex,
    page_url,
    sort_key,
    template_environment,
)


class RendererBase:
    """One language site's labels, links and items (shared by every page kind)."""

    def __init__(
        self,
        index: SiteIndex,
        lang: str,
        *,
        stale_after_months: int = STALE_AFTER_MONTHS,
        recent: int = RECENT_CASES,
        today: dt.date | None = None,
        directory_urls: bool = True,
        site_url: str | None = None,
    ) -> None:
        self.index = index
        self.kb = index.kb
        self.vocabs = index.kb.vocabularies
        self.lang = lang
        self.stale_after_months = stale_after_months
        self.recent = recent
        self.today = today or dt.date.today()
        self.directory_urls = directory_urls
        #: The address the site is published at (absolute links in citations), if known.
        self.site_url = site_url or None
        #: Source stem of the contributor guide linked from the home page (None: no link).
        self.contribute: str | None = "contribute"
        self._env = template_environment()
        #: Overview table rows by (case id, base, columns, sortable): each is built once.
        self._rows: dict[tuple[str, str, tuple[str, ...], bool], str] = {}
        #: Overview table cells by (case id, column), links relative to :data:`BASE`:
        #: one rendering serves every table and folder the case is listed in.
        self._cells: dict[tuple[str, str], str] = {}
        #: Each column's ``data-label`` attribute (the same in every row).
        self._cell_labels: dict[str, str] = {}
        self._title_keys: dict[str, str] = {}
        #: Each case's sort keys for the table of all cases (see :mod:`casebook.site.listing`).
        self._sort_keys: dict[str, listing.CaseKeys] = {}

    # -- helpers -----------------------------------------------------------------------

    def t(self, key: str, **values: Any) -> str:
        """A UI string in this site's language."""
        return ui_text(key, self.lang, **values)

    def label(self, vocabulary: str, key: Any) -> str:
        """Vocabulary label of ``key`` in this site's language."""
        return self.vocabs.label(vocabulary, str(key), self.lang)

    def vocab_name(self, vocabulary: str) -> str:
        """The vocabulary's own label (``Fase``, ``Stage``)."""
        return self.vocabs[vocabulary].label[self.lang]

    def url(self, name: str) -> str:
        """URL of a page (source stem) below the language root."""
        return page_url(name, self.directory_urls)

    def _render(self, template: str, base: str, **context: Any) -> str:
        return self._env.get_template(template).render(
            r=self, t=self.t, base=base, home=base or "./", **context)

    def _lang_attr(self, text_lang: str) -> str | None:
        return text_lang if text_lang != self.lang else None

    def case_item(self, case_id: str, base: str) -> Item:
        entry = self.index.cases[case_id]
        return Item(entry.title(self.lang), base + self.url(f"cases/{case_id}"),
                    self._lang_attr(entry.text_lang(self.lang)))

    def case_items(self, ids: Iterable[str], base: str) -> list[Item]:
        items = [self.case_item(i, base) for i in ids if i in self.index.cases]
        return sorted(items, key=lambda item: sort_key(item.text))

    def organisation_item(self, org_id: str, base: str, note: str | None = None) -> Item:
        entry = self.index.organisations.get(org_id)
        if entry is None:
            return Item(org_id, note=note)
        return Item(entry.title(self.lang), base + self.url(f"organisations/{org_id}"),
                    self._lang_attr(entry.text_lang(self.lang)), note)

    def facet_item(self, facet: Facet, key: str, base: str) -> Item:
        text = self.label(facet.vocabulary, key)
        if facet is KINDS:
            return Item(text, base + self.url(f"kinds/{facet.key_slug(key)}"))
        return Item(text, base + self.url(f"{facet.slug}/{facet.key_slug(key)}"))

    def month(self, value: Any) -> str:
        """``2020-11`` → ``november 2020`` (nl) or ``November 2020`` (en); a year stays."""
        text = str(value)
        year, _, month = text.partition("-")
        names = ui_strings()["months"].get(self.lang) or ui_strings()["months"][DEFAULT_LANGUAGE]
        if month.isdigit() and 1 <= int(month) <= 12:
            return f"{names[int(month) - 1]} {year}"
        return text

    def period(self, period: Any) -> str:
        """``2019 of eerder – 2021``, ``vanaf mei 2018``."""
        if not isinstance(period, dict) or period.get("start") is None:
            return ""
        start = self.month(period["start"])
        if period.get("start_known") is False:
            start = self.t("period.start_unknown", start=start)
        end = period.get("end")
        if end is not None and str(end) == str(period["start"]) and start == self.month(end):
            return start
        if end is not None:
            return self.t("period.range", start=start, end=self.month(end))
        return self.t("period.open", start=start)

    def language_name(self, lang: str) -> str:
        node = ui_strings()["languages"].get(lang)
        return node.get(self.lang, lang) if node else lang

    # -- notices -----------------------------------------------------------------------

    def country_item(self, key: str, base: str) -> Item:
        """A country, linked to its overview when cases are recorded there."""
        facet = FACETS["countries"]
        if key in self.index.facets.get(facet.slug, {}):
            return self.facet_item(facet, key, base)
        return Item(self.label(facet.vocabulary, key))
