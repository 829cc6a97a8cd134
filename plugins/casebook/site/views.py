"""The site's building blocks: view models, URLs, dates and the relations index.

What a rendered page is made of (:class:`Item`, :class:`Row`, :class:`Notice`,
:class:`GeneratedPage`), where a page lives (:func:`page_url`, :func:`page_dest`),
when facts count as stale, the :class:`SiteIndex` of relations between entries,
and the Jinja2 environment of ``templates/pages/``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup, escape

from casebook.content.model import Entry, KnowledgeBase, start_year
from casebook.safety.urls import host_note
from casebook.site.facets import BROWSE_FACETS, KINDS, ORGANISATION_KINDS

STALE_AFTER_MONTHS = 24
#: Cases per kind on the home page, in each of its lists (newest, recently reviewed).
RECENT_CASES = 3
#: Columns of the overview tables (keys of ``ui.yaml``'s ``lists`` table).

# --- small formatting helpers ---------------------------------------------------------


def sort_key(text: str) -> str:
    """Accent- and case-insensitive sort key."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return folded.casefold()


def as_date(value: Any) -> dt.date | None:
    """A ``reviewed`` value as a date (YAML gives a date, a quoted one a string)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (clamped to the month's length)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_stale(reviewed: Any, today: dt.date, months: int) -> bool:
    """True when ``reviewed`` lies more than ``months`` months before ``today``."""
    date = as_date(reviewed)
    return date is not None and date < months_before(today, months)


def page_url(name: str, directory_urls: bool = True) -> str:
    """URL below the language root of a page whose source stem is ``name``.

    ``index`` → ``""``, ``themes/index`` → ``themes/``, ``cases/x`` → ``cases/x/``
    (``cases/x.html`` without directory URLs).
    """
    if name == "index" or name.endswith("/index"):
        folder = name[: -len("index")]
        return folder if directory_urls else f"{name}.html"
    return f"{name}/" if directory_urls else f"{name}.html"


def page_dest(name: str, directory_urls: bool = True) -> str:
    """File written for ``name``, below the language root."""
    if name == "index" or name.endswith("/index") or not directory_urls:
        return f"{name}.html"
    return f"{name}/index.html"


def relative_base(url: str) -> str:
    """Prefix from a page URL (below the language root) back to that root."""
    return "../" * url.count("/")


# --- view models ----------------------------------------------------------------------


@dataclass(slots=True)
class Item:
    """One value in a fact box or list: text, optional link, language and note."""

    text: str
    href: str | None = None
    lang: str | None = None
    note: str | None = None
    title: str | None = None

    @property
    def html(self) -> Markup:
        """The value as HTML: a link (or span) with its language, then the note.

        Built in Python rather than a template macro: overview tables hold
        thousands of these, and a macro call costs more than the whole string.
        """
        attrs = ""
        if self.lang:
            attrs += f' lang="{escape(self.lang)}"'
        if self.title:
            attrs += f' title="{escape(self.title)}"'
        text = escape(self.text)
        if self.href:
            out = f'<a href="{escape(self.href)}"{attrs}>{text}</a>'
            shown = host_note(self.href) if not self.href.isascii() else None
            if shown:  # a host a reader can check: its ASCII form beside it
                out += f' <span class="cb-host">({escape(shown)})</span>'
        elif attrs:
            out = f"<span{attrs}>{text}</span>"
        else:
            out = str(text)
        if self.note:
            out += f' <span class="cb-note">({escape(self.note)})</span>'
        return Markup(out)


def items_html(items: Iterable[Item]) -> Markup:
    """Values separated by commas."""
    return Markup(", ").join(item.html for item in items)


@dataclass(slots=True)
class Row:
    """One line of a fact box: a label and its values."""

    label: str
    items: list[Item]
    #: Render as a list, one value per line.
    block: bool = False


@dataclass(slots=True)
class Notice:
    """A notice above the content: kind (CSS modifier), title, text."""

    kind: str
    title: str
    text: str
    admonition: str = "note"


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    """A page made from the knowledge base: source stem, title and what it shows."""

    name: str
    title: str
    view: str
    args: tuple[str, ...] = ()
    #: Not listed in the navigation.
    hidden: bool = True
    #: Listed in the sitemap (False for a copy of another page in another order).
    listed: bool = True


# --- relations ------------------------------------------------------------------------


@dataclass(slots=True)
class SiteIndex:
    """Relations and groupings of a knowledge base, computed once per build."""

    kb: KnowledgeBase
    cases: dict[str, Entry] = field(default_factory=dict)
    organisations: dict[str, Entry] = field(default_factory=dict)
    #: Case id → related case ids, in both directions.
    related: dict[str, set[str]] = field(default_factory=dict)
    #: (repository id, block id) → ids of the cases that use the block.
    block_users: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    #: Organisation id → role → case ids.
    roles: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: Facet slug → key → case ids.
    facets: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: Start year → case ids (the statistics page links each year's bar to its page).
    years: dict[str, list[str]] = field(default_factory=dict)
    #: Organisation kind → organisation ids (``not-stated`` among them).
    organisation_kinds: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, kb: KnowledgeBase) -> SiteIndex:
        index = cls(kb)
        index.cases = {e.id: e for e in kb.valid_cases()}
        index.organisations = {e.id: e for e in kb.valid_organisations()}
        related: dict[str, set[str]] = defaultdict(set)
        users: dict[tuple[str, str], list[str]] = defaultdict(list)
        roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        facets: dict[str, dict[str, list[str]]] = {f.slug: defaultdict(list)
                                                   for f in (KINDS, *BROWSE_FACETS)}
        for case_id, entry in index.cases.items():
            facts = entry.facts
            for other in _strings(facts.get("related")):
                if other in index.cases and other != case_id:
                    related[case_id].add(other)
                    related[other].add(case_id)
            for ref in _strings(facts.get("uses")):
                repo, _, block = ref.partition("/")
                if case_id not in users[(repo, block)]:
                    users[(repo, block)].append(case_id)
            for org in facts.get("organisations") or []:
                if isinstance(org, dict) and org.get("id"):
                    ids = roles[str(org["id"])][str(org.get("role"))]
                    if case_id not in ids:
                        ids.append(case_id)
            for facet in (KINDS, *BROWSE_FACETS):
                for key in dict.fromkeys(facet.keys(facts)):
                    facets[facet.slug][key].append(case_id)
            year = start_year(entry)
            if year:
                index.years.setdefault(year, []).append(case_id)
        index.related = dict(related)
        index.block_users = dict(users)
        index.roles = {k: dict(v) for k, v in roles.items()}
        index.facets = {k: dict(v) for k, v in facets.items()}
        for org_id, org in index.organisations.items():
            for key in ORGANISATION_KINDS.keys(org.facts):
                index.organisation_kinds.setdefault(key, []).append(org_id)
        return index


#: Facets whose shared values make two cases related (beside shared building blocks).
RELATING_FACETS = ("themes", "mechanisms", "barriers")
#: Related cases found by shared values, shown after those the entry names.
SIMILAR_CASES = 5
#: A theme, mechanism or barrier more cases share than this says little about any
#: two of them, and is not counted (it would also make every case a candidate for
#: every other in a large knowledge base).
SHARED_BY_AT_MOST = 50


def case_blocks(index: SiteIndex, case_id: str) -> set[str]:
    """The building blocks (``repository/block``) a case uses or provides."""
    facts = index.cases[case_id].facts
    own = {f"{case_id}/{b['id']}" for b in facts.get("building_blocks") or []
           if isinstance(b, dict) and b.get("id")}
    return own | set(_strings(facts.get("uses")))


def similar_cases(index: SiteIndex, case_id: str, limit: int | None = SIMILAR_CASES
                  ) -> list[tuple[str, list[tuple[str, str]]]]:
    """The cases that share most with ``case_id``: themes, mechanisms, barriers (each
    held by at most :data:`SHARED_BY_AT_MOST` cases) or building blocks, as
    ``[(case id, [(facet slug or "blocks", key), ...])]``; ``limit=None``: all.

    The most shared values first (a value few cases have counts for more among
    equals); ties by id, so both languages show the same cases. Cases the entry
    names as ``related`` are left out (they come first, on their own).
    """
    facts = index.cases[case_id].facts
    shared: dict[str, list[tuple[str, str]]] = defaultdict(list)
    weight: dict[str, float] = defaultdict(float)
    for slug in RELATING_FACETS:
        field_name = next(f.field for f in BROWSE_FACETS if f.slug == slug)
        for key in dict.fromkeys(_strings(facts.get(field_name))):
            ids = index.facets.get(slug, {}).get(key, [])
            if len(ids) > SHARED_BY_AT_MOST:
                continue
            for other in ids:
                shared[other].append((slug, key))
                weight[other] += 1 / len(ids)
    blocks = case_blocks(index, case_id)
    for ref in sorted(blocks):
        repo, _, block = ref.partition("/")
        ids = {*index.block_users.get((repo, block), []), repo} - {case_id}
        for other in sorted(ids):
            if other in index.cases and ref in case_blocks(index, other):
                shared[other].append(("blocks", ref))
                weight[other] += 1 / (len(ids) + 1)
    named = index.related.get(case_id, set())
    others = [c for c in shared if c != case_id and c not in named and c in index.cases]
    others.sort(key=lambda c: (-len(shared[c]), -weight[c], c))
    return [(c, shared[c]) for c in others[:limit]]


def shared_values(index: SiteIndex, case_id: str, other: str) -> list[tuple[str, str]]:
    """What two cases share: ``[(facet slug or "blocks", key), ...]``."""
    a, b = index.cases[case_id].facts, index.cases[other].facts
    shared = []
    for slug in RELATING_FACETS:
        field_name = next(f.field for f in BROWSE_FACETS if f.slug == slug)
        theirs = set(_strings(b.get(field_name)))
        shared += [(slug, k) for k in dict.fromkeys(_strings(a.get(field_name))) if k in theirs]
    blocks = case_blocks(index, other)
    shared += [("blocks", ref) for ref in sorted(case_blocks(index, case_id)) if ref in blocks]
    return shared


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


# --- templates ------------------------------------------------------------------------


@functools.cache
def template_environment() -> jinja2.Environment:
    """The Jinja2 environment of ``templates/pages/`` (HTML autoescaped)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("casebook", "templates/pages"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # installed templates do not change during a build
    )
    env.filters["items"] = items_html
    return env
