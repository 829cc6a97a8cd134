"""Search: facets of cases and organisations, and what each page gives Pagefind.

Only case and organisation pages are indexed, and only the element that
carries ``data-pagefind-body`` (the page content, not the navigation chrome);
:mod:`casebook.site.pagefind_index` runs Pagefind on them.

Facet names and values are vocabulary labels in the page language, so the
Pagefind UI shows them as they are; the search page maps them to stable keys
(vocabulary keys) for its URLs.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from casebook.content.model import Entry, KnowledgeBase, start_year
from casebook.content.schema import raw_schema
from casebook.content.vocab import Vocabularies
from casebook.site import compounds
from casebook.site.render import Renderer
from casebook.site.views import SiteIndex, sort_key

#: Collections whose pages are indexed, as URL folders.
INDEXED = ("cases", "organisations")


@dataclass(frozen=True, slots=True)
class Facet:
    """A search facet: URL parameter (and Pagefind filter name), its source, its label.

    ``field`` is the case field of the content model the values come from
    (``None`` for the kind of entry, case or organisation).
    """

    param: str
    field: str | None
    vocabulary: str | None
    label: dict[str, str] | None = None

    def name(self, vocabs: Vocabularies, lang: str) -> str:
        """Display name in ``lang`` (the vocabulary's own label when there is one)."""
        if self.label:
            return self.label[lang]
        assert self.vocabulary
        return vocabs[self.vocabulary].label[lang]

    def label_of(self, key: str, vocabs: Vocabularies, lang: str) -> str:
        """Display label of one value."""
        return vocabs.label(self.vocabulary, key, lang) if self.vocabulary else key


_TYPE = Facet("type", None, None, {"nl": "Inhoud", "en": "Content"})
_CASE_FACETS = (
    Facet("kind", "kind", "kinds"),
    Facet("country", "countries", "countries"),
    Facet("theme", "themes", "themes"),
    Facet("mechanism", "mechanisms", "mechanisms"),
    Facet("innovation", "innovation", "innovation"),
    Facet("barrier", "barriers", "barriers"),
    Facet("year", "period", None, {"nl": "Startjaar", "en": "Start year"}),
    Facet("stage", "stage", "stages"),
)


#: Facets of organisations (``field`` is the organisation schema's).
ORGANISATION_FACETS = (
    Facet("organisation-kind", "kind", "organisation-kinds"),
)


def _content_model_order() -> tuple[Facet, ...]:
    """Facets in the order of their fields in the case schema, then the organisations'
    own, then case/organisation."""
    fields = list(raw_schema("case")["properties"])
    return (*sorted(_CASE_FACETS, key=lambda f: fields.index(f.field)), *ORGANISATION_FACETS,
            _TYPE)


#: Facets in the order shown on the search page: the content model's (kind first).
FACETS: tuple[Facet, ...] = _content_model_order()
FACET_BY_PARAM = {f.param: f for f in FACETS}
#: Values of the ``type`` facet.
TYPES = {
    "case": {"nl": "Casus", "en": "Case"},
    "organisation": {"nl": "Organisatie", "en": "Organisation"},
}
#: Orders a reader can choose besides relevance (which needs a query), as
#: URL value and Pagefind sort key; the first is the default without a query.
SORTS = ("title", "start-desc", "start-asc", "reviewed")


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    return [str(value)]


def facet_keys(entry: Entry) -> dict[str, list[str]]:
    """Facet values of an entry as keys: ``{param: [key, ...]}`` (empty facets left out)."""
    facts = entry.facts
    if entry.collection == "organisations":
        keys = {"type": ["organisation"], "country": _as_list(facts.get("country"))}
        for facet in ORGANISATION_FACETS:
            keys[facet.param] = _as_list(facts.get(facet.field or ""))
    else:
        year = start_year(entry)
        keys = {"type": ["case"]}
        for facet in _CASE_FACETS:
            if facet.param == "year":
                keys["year"] = [year] if year else []
            else:
                keys[facet.param] = _as_list(facts.get(facet.field or ""))
    return {k: list(dict.fromkeys(v)) for k, v in keys.items() if v}


def value_label(facet: Facet, key: str, vocabs: Vocabularies, lang: str) -> str:
    """Label of a facet value in ``lang``."""
    if facet.param == "type":
        return TYPES[key][lang]
    return facet.label_of(key, vocabs, lang)


def facet_filters(entry: Entry) -> dict[str, list[str]]:
    """Pagefind filters of an entry: ``{param: [key, ...]}``, the same in every language.

    Filters carry stable keys (``kind: lab``), so the URL, the filters and the
    language switch share one vocabulary; the search page shows their labels.
    """
    return facet_keys(entry)


def _value_order(facet: Facet, keys: set[str], vocabs: Vocabularies,
                 lang: str) -> list[str]:
    if facet.param == "type":
        return [k for k in TYPES if k in keys]
    if facet.param == "year":
        return sorted(keys)
    if facet.param == "country":  # by name, as a reader looks them up
        return sorted(keys, key=lambda k: (sort_key(value_label(facet, k, vocabs, lang)), k))
    terms = list(vocabs[facet.vocabulary].terms) if facet.vocabulary else []
    return sorted(keys, key=lambda k: (terms.index(k) if k in terms else len(terms), k))


def facet_config(kb: KnowledgeBase, lang: str) -> list[dict[str, Any]]:
    """Facets for the search page: URL parameter, name and the values in use, in order.

    ``[{"param": "theme", "name": "Thema", "values": [["mobility", "Mobiliteit"]]}]``
    (values as pairs: a JSON object would put ``"2019"`` before ``"challenge"``).
    """
    vocabs = kb.vocabularies
    used: dict[str, set[str]] = {f.param: set() for f in FACETS}
    for entry in [*kb.valid_cases(), *kb.valid_organisations()]:
        for param, keys in facet_keys(entry).items():
            used[param].update(keys)
    config = []
    for facet in FACETS:
        if not used[facet.param]:
            continue
        values = [[k, value_label(facet, k, vocabs, lang)]
                  for k in _value_order(facet, used[facet.param], vocabs, lang)]
        config.append({"param": facet.param, "name": facet.name(vocabs, lang), "values": values})
    return config


def pagefind_markup(
    filters: dict[str, list[str]], meta: dict[str, str], sort: dict[str, str] | None = None
) -> str:
    """Hidden HTML that carries Pagefind filters, metadata and sort keys."""
    parts = []
    for name, values in filters.items():
        for value in values:
            attr = html.escape(f"{name}:{value}", quote=True)
            parts.append(f'<span data-pagefind-filter="{attr}"></span>')
    for name, value in meta.items():
        attr = html.escape(f"{name}:{value}", quote=True)
        parts.append(f'<span data-pagefind-meta="{attr}"></span>')
    for name, value in (sort or {}).items():
        attr = html.escape(f"{name}:{value}", quote=True)
        parts.append(f'<span data-pagefind-sort="{attr}"></span>')
    return f'<div hidden data-pagefind-ignore>{"".join(parts)}</div>'


class SearchData:
    """What the search page shows of each entry in one language, and its sort ranks.

    Every indexed page carries every sort key (Pagefind leaves a page without
    one out of sorted results): a rank, precomputed here over the whole
    knowledge base, so that titles sort without regard to case or accents and
    organisations (which have no period) come after the cases when sorting by
    start year.
    """

    def __init__(self, kb: KnowledgeBase, lang: str) -> None:
        self.kb = kb
        self.lang = lang
        self.vocabs = kb.vocabularies
        self._renderer = Renderer(SiteIndex.build(kb), lang)
        self._ranks = self._sort_ranks()

    def _sort_ranks(self) -> dict[tuple[str, str], dict[str, int]]:
        entries = [*self.kb.valid_cases(), *self.kb.valid_organisations()]
        by_title = sorted(entries, key=lambda e: (sort_key(e.title(self.lang)), e.collection,
                                                  e.id))
        title = {(e.collection, e.id): n for n, e in enumerate(by_title)}

        def year(e: Entry) -> int | None:
            y = start_year(e) if e.collection == "cases" else None
            return int(y) if y else None

        def reviewed(e: Entry) -> str:
            return str(e.facts.get("reviewed") or "")

        orders = {
            "title": by_title,
            # Newest first: cases without a year (organisations) last, by title.
            "start-desc": sorted(by_title, key=lambda e: (year(e) is None, -(year(e) or 0))),
            "start-asc": sorted(by_title, key=lambda e: (year(e) is None, year(e) or 0)),
            "reviewed": sorted(by_title, key=lambda e: reviewed(e), reverse=True),
        }
        # sorted() is stable: within a year (or a date) the order stays by title;
        # the reverse sort above keeps that too (Python reverses by key only).
        ranks: dict[tuple[str, str], dict[str, int]] = {k: {} for k in title}
        for name, order in orders.items():
            for n, e in enumerate(order):
                ranks[(e.collection, e.id)][name] = n
        return ranks

    def meta(self, entry: Entry) -> dict[str, str]:
        """Title, summary and the facts a result shows, as text in this language."""
        lang, vocabs = self.lang, self.vocabs
        facts = entry.facts
        meta = {"title": entry.title(lang)}
        summary = entry.text("summary", lang)
        if summary:
            meta["summary"] = " ".join(str(summary).split())
        if entry.text_lang(lang) != lang:  # not translated yet: the text's own language
            meta["lang"] = entry.text_lang(lang)
        if entry.collection == "organisations":
            meta["type"] = "organisation"
            if facts.get("kind"):
                meta["kind"] = vocabs.label("organisation-kinds", str(facts["kind"]), lang)
            if facts.get("country"):
                meta["countries"] = vocabs.label("countries", str(facts["country"]), lang)
            return meta
        meta["type"] = "case"
        if facts.get("kind"):
            meta["kind"] = vocabs.label("kinds", str(facts["kind"]), lang)
        names = []
        for org in facts.get("organisations") or []:
            org_id = str(org.get("id")) if isinstance(org, dict) else ""
            other = self.kb.organisations.get(org_id)
            names.append(other.title(lang) if other is not None else org_id)
        if names:
            meta["organisations"] = ", ".join(dict.fromkeys(n for n in names if n))
        countries = [vocabs.label("countries", c, lang) for c in _as_list(facts.get("countries"))]
        if countries:
            meta["countries"] = ", ".join(countries)
        period = self._renderer.period(facts.get("period"))
        if period:
            meta["period"] = period
        return meta

    def sort_keys(self, entry: Entry) -> dict[str, str]:
        """The entry's rank in every order of :data:`SORTS`."""
        ranks = self._ranks.get((entry.collection, entry.id), {})
        return {name: str(ranks[name]) for name in SORTS if name in ranks}

    def markup(self, entry: Entry) -> str:
        """Pagefind filters, metadata and sort keys for an entry's page."""
        return pagefind_markup(facet_filters(entry), self.meta(entry), self.sort_keys(entry))


def entry_markup(entry: Entry, kb: KnowledgeBase, lang: str) -> str:
    """Pagefind filters, metadata and sort keys for one entry's page (see :class:`SearchData`)."""
    return SearchData(kb, lang).markup(entry)


_CONTENT_OPEN = re.compile(r"<article\b[^>]*\bclass=\"[^\"]*\bmd-content__inner\b[^\"]*\"[^>]*>")
#: Parts of an entry page that are not its own text, left out of the index (and so
#: of result excerpts): the fact box, and the lists of related cases and of an
#: organisation's cases (navigation), "cite this case", the link to the page's feed,
#: and the headings' permalinks.
#: Matched by their opening tag's class or id.
NOT_INDEXED = ("cb-facts", "cb-related", "cb-cases", "cb-role", "cb-organisation-cases",
               "cb-cite", "cb-feed", "headerlink")
_NOT_INDEXED_OPEN = re.compile(
    r"<(?:aside|h2|h3|ul|div|section|p|a)\b(?=[^>]*\b(?:class|id)=\"(?:[^\"]*\s)?(?:"
    + "|".join(re.escape(name) for name in NOT_INDEXED)
    + r")(?:\s[^\"]*)?\")[^>]*>")


def mark_not_indexed(page_html: str) -> str:
    """``page_html`` with ``data-pagefind-ignore`` on the parts in :data:`NOT_INDEXED`.

    Applied to the copy handed to Pagefind (:func:`indexed_part`), not to the
    published page.
    """
    def mark(m: re.Match[str]) -> str:
        tag = m.group(0)
        return tag if "data-pagefind-ignore" in tag else tag[:-1] + " data-pagefind-ignore>"

    return _NOT_INDEXED_OPEN.sub(mark, page_html)


def annotate_page(page_html: str, markup: str) -> str:
    """Mark the page content as the Pagefind body and add the hidden ``markup``.

    The content element is Material's ``<article class="md-content__inner">``;
    the page is returned unchanged when there is none.
    """
    m = _CONTENT_OPEN.search(page_html)
    if not m:
        return page_html
    tag = m.group(0)
    if "data-pagefind-body" not in tag:
        tag = tag[:-1] + " data-pagefind-body>"
    return page_html[: m.start()] + tag + markup + page_html[m.end():]


def indexed_part(page_html: str, lang: str | None = None) -> str:
    """The part of a page Pagefind reads, as a document of its own.

    With ``data-pagefind-body`` on the content element (:func:`annotate_page`)
    Pagefind indexes that element only, so the navigation and the rest of the
    theme around it need not be sent: the index comes out the same, for a
    fraction of the bytes. Inside it, the fact box and the other parts of
    :data:`NOT_INDEXED` are marked to be left out. With ``lang``, the parts of
    the compound words in its text follow as low-weight text of their own
    (:func:`casebook.site.compounds.parts_markup`), so ``lab`` finds ``stadslab``.
    A page without it is returned whole.
    """
    at = page_html.find(" data-pagefind-body")
    start = page_html.rfind("<article", 0, at) if at >= 0 else -1
    end = page_html.rfind("</article>")
    if start < 0 or end < at:
        return page_html
    part = mark_not_indexed(page_html[start:end])
    extra = compounds.parts_markup(part, lang) if lang else ""
    return f"<!doctype html><html><body>{part}{extra}</article></body></html>"


_WORD = re.compile(r"[^\W\d_]{3,}")


def index_words(page_html: str) -> set[str]:
    """The words of a page as the search page's spelling suggestions know them:
    letters only, three or more, in lower case, from the text Pagefind indexes
    (:func:`casebook.site.compounds.text_of`, the one reading of a page's text)."""
    return {word.casefold() for word in _WORD.findall(compounds.text_of(page_html))}
