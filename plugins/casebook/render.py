"""Rendering of the Casebook site, independent of the site generator.

Everything here turns a loaded knowledge base into HTML strings with Jinja2
templates (``templates/pages/``): the fact box and notices of a case, the
relations (related cases, building blocks and where they are used, the cases of
an organisation) and the generated pages (home, an overview per kind, a page
per facet value in use, the organisation index). The MkDocs adapters under
``casebook.mkdocs_plugins`` only decide *when* to call these functions.

Every structured value is shown through its vocabulary label in the page's
language; which vocabulary a field uses is read from the JSON Schema
(``x-vocabulary``), so nothing here restates the content model.

Links are relative to the page, and every language site has the same layout
below its own root (``/`` or ``/en/``), so one rendering works for both.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import jinja2
import yaml
from markupsafe import Markup, escape

from . import listing
from .model import Entry, KnowledgeBase, start_year
from .schema import raw_schema
from .vocab import DEFAULT_LANGUAGE

#: Default age, in months, after which a case's facts count as possibly out of date.
STALE_AFTER_MONTHS = 24
#: Number of recently reviewed cases on the home page.
RECENT_CASES = 10
#: Columns of the overview tables (keys of ``ui.yaml``'s ``lists`` table).
OVERVIEW_COLUMNS: tuple[str, ...] = ("title", "kind", "organisations", "countries", "period",
                                     "stage")
#: Columns of the home page's table of recently reviewed cases: it fits its column.
HOME_COLUMNS: tuple[str, ...] = ("title", "kind", "countries", "reviewed")


# --- UI strings ----------------------------------------------------------------------


@functools.cache
def ui_strings() -> dict[str, Any]:
    """The bilingual UI strings of ``data/ui.yaml``."""
    text = resources.files("casebook").joinpath("data", "ui.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def ui_text(key: str, lang: str, **values: Any) -> str:
    """One UI string (``"notices.untranslated"``) in ``lang``, placeholders filled in."""
    node: Any = ui_strings()
    for part in key.split("."):
        node = node[part]
    text = node.get(lang) or node[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def ui_count(key: str, n: int, lang: str) -> str:
    """A counted phrase: ``1 casus``, ``3 casussen``."""
    return ui_text(f"{key}.{'one' if n == 1 else 'other'}", lang, n=format_number(n, lang))


# --- schema-derived knowledge ---------------------------------------------------------


def _vocabulary_paths(node: dict[str, Any], defs: dict[str, Any], path: str,
                      out: dict[str, str]) -> None:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        node = {**defs[ref.rsplit("/", 1)[-1]], **{k: v for k, v in node.items() if k != "$ref"}}
    if "x-vocabulary" in node:
        out[path] = node["x-vocabulary"]
    for key, sub in node.get("properties", {}).items():
        _vocabulary_paths(sub, defs, f"{path}.{key}" if path else key, out)
    if isinstance(node.get("items"), dict):
        _vocabulary_paths(node["items"], defs, path, out)


@functools.cache
def field_vocabularies(schema_name: str) -> dict[str, str]:
    """Vocabulary of each field, from the schema: ``{"themes": "themes", "lab.setting": ...}``.

    List items share their list's path (``organisations.role``).
    """
    schema = raw_schema(schema_name)
    out: dict[str, str] = {}
    _vocabulary_paths(schema, schema.get("$defs", {}), "", out)
    return out


def _case_vocab(path: str) -> str:
    return field_vocabularies("case")[path]


@dataclass(frozen=True, slots=True)
class Facet:
    """A dimension readers browse by: URL folder (and UI key) and front-matter field."""

    slug: str
    field: str
    #: Values are listed in vocabulary order (a life cycle) rather than by label.
    ordered: bool = False

    @property
    def vocabulary(self) -> str:
        return _case_vocab(self.field)

    def keys(self, facts: dict[str, Any]) -> list[str]:
        value = facts.get(self.field)
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    def key_slug(self, key: str) -> str:
        return key.lower()


KINDS = Facet("kinds", "kind", ordered=True)
#: Facets with a browse page (an index and a page per value in use).
BROWSE_FACETS: tuple[Facet, ...] = (
    Facet("themes", "themes"),
    Facet("mechanisms", "mechanisms"),
    Facet("barriers", "barriers", ordered=True),
    Facet("countries", "countries"),
    Facet("stages", "stage", ordered=True),
)
FACETS: dict[str, Facet] = {f.slug: f for f in (KINDS, *BROWSE_FACETS)}


# --- small formatting helpers ---------------------------------------------------------


def format_number(n: int | float, lang: str) -> str:
    """``50000`` → ``50.000`` (nl) or ``50,000`` (en)."""
    text = f"{n:,.2f}" if isinstance(n, float) and not n.is_integer() else f"{int(n):,}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "nl" else text


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
        return index


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


# --- the renderer ---------------------------------------------------------------------


class Renderer:
    """Renders pages of one language site."""

    def __init__(
        self,
        index: SiteIndex,
        lang: str,
        *,
        stale_after_months: int = STALE_AFTER_MONTHS,
        recent: int = RECENT_CASES,
        today: dt.date | None = None,
        directory_urls: bool = True,
    ) -> None:
        self.index = index
        self.kb = index.kb
        self.vocabs = index.kb.vocabularies
        self.lang = lang
        self.stale_after_months = stale_after_months
        self.recent = recent
        self.today = today or dt.date.today()
        self.directory_urls = directory_urls
        #: Source stem of the contributor guide linked from the home page (None: no link).
        self.contribute: str | None = "contribute"
        self._env = template_environment()
        #: Overview table rows by (case id, base, columns, sortable): each is built once.
        self._rows: dict[tuple[str, str, tuple[str, ...], bool], str] = {}
        self._title_keys: dict[str, str] = {}
        #: Each case's sort keys for the table of all cases (see :mod:`casebook.listing`).
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

    def notices(self, entry: Entry, *, staleness: bool) -> list[Notice]:
        """Translation and staleness notices for an entry page."""
        out = []
        text_lang = entry.text_lang(self.lang)
        if text_lang != self.lang:
            out.append(Notice("untranslated", self.t("notices.untranslated"),
                              self.t("notices.untranslated_text",
                                     language=self.language_name(text_lang)), "warning"))
        elif entry.translation_kind(self.lang) == "machine":
            original = entry.original_lang or DEFAULT_LANGUAGE
            out.append(Notice("machine", self.t("notices.machine"),
                              self.t("notices.machine_text",
                                     language=self.language_name(original)), "info"))
        reviewed = entry.facts.get("reviewed")
        if staleness and is_stale(reviewed, self.today, self.stale_after_months):
            out.append(Notice("stale", self.t("notices.stale"),
                              self.t("notices.stale_text", date=str(reviewed),
                                     months=self.stale_after_months), "warning"))
        return out

    # -- case pages --------------------------------------------------------------------

    def case_facts(self, entry: Entry, base: str) -> list[Row]:
        """The fact box rows of a case, labels and values in this site's language."""
        facts = entry.facts
        rows: list[Row] = []

        def vocab_row(label: str, path: str, keys: Any, facet: Facet | None = None) -> None:
            keys = keys if isinstance(keys, list) else ([] if keys is None else [keys])
            if not keys:
                return
            vocabulary = _case_vocab(path)
            items = [self.facet_item(facet, str(k), base) if facet
                     else Item(self.label(vocabulary, k)) for k in keys]
            rows.append(Row(label, items))

        vocab_row(self.vocab_name("kinds"), "kind", facts.get("kind"), KINDS)
        orgs: dict[str, list[str]] = {}
        for org in facts.get("organisations") or []:
            if isinstance(org, dict) and org.get("id"):
                orgs.setdefault(str(org["id"]), []).append(
                    self.label(_case_vocab("organisations.role"), org.get("role")))
        if orgs:
            rows.append(Row(self.t("facts.organisations"),
                            [self.organisation_item(i, base, ", ".join(r).lower())
                             for i, r in orgs.items()], block=True))
        if facts.get("owner_stated") is False:
            rows.append(Row(self.t("facts.owner"), [Item(self.t("facts.owner_not_stated"))]))
        facet = {f.field: f for f in BROWSE_FACETS}
        vocab_row(self.t("facts.countries"), "countries", facts.get("countries"),
                  facet["countries"])
        if facts.get("places"):
            rows.append(Row(self.t("facts.places"), [Item(str(p)) for p in facts["places"]]))
        if facts.get("period"):
            rows.append(Row(self.t("facts.period"), [Item(self.period(facts["period"]))]))
        vocab_row(self.vocab_name("stages"), "stage", facts.get("stage"), facet["stage"])
        vocab_row(self.t("facts.themes"), "themes", facts.get("themes"), facet["themes"])
        vocab_row(self.t("facts.mechanisms"), "mechanisms", facts.get("mechanisms"),
                  facet["mechanisms"])
        vocab_row(self.t("facts.barriers"), "barriers", facts.get("barriers"),
                  facet["barriers"])
        vocab_row(self.t("facts.innovation"), "innovation", facts.get("innovation"))
        rows.extend(self._kind_rows(facts))
        uses = [self._use_item(ref, base) for ref in _strings(facts.get("uses"))]
        if uses:
            rows.append(Row(self.t("facts.uses"), uses, block=True))
        links = [
            Item(str(link.get("label") or link.get("url")), str(link.get("url")),
                 note=self.label(_case_vocab("links.kind"), link["kind"])
                 if link.get("kind") else None)
            for link in facts.get("links") or [] if isinstance(link, dict) and link.get("url")
        ]
        if links:
            rows.append(Row(self.t("facts.links"), links, block=True))
        sources = [self._source_item(s) for s in facts.get("sources") or [] if isinstance(s, dict)]
        if sources:
            rows.append(Row(self.t("facts.sources"), sources, block=True))
        if facts.get("reviewed"):
            rows.append(Row(self.t("facts.reviewed"), [Item(str(facts["reviewed"]))]))
        return rows

    def _kind_rows(self, facts: dict[str, Any]) -> list[Row]:
        rows = []
        lab = facts.get("lab") if isinstance(facts.get("lab"), dict) else None
        if lab:
            if lab.get("setting"):
                vocabulary = _case_vocab("lab.setting")
                rows.append(Row(self.vocab_name(vocabulary),
                                [Item(self.label(vocabulary, lab["setting"]))]))
            if lab.get("founded") is not None:
                rows.append(Row(self.t("facts.founded"), [Item(str(lab["founded"]))]))
        challenge = facts.get("challenge") if isinstance(facts.get("challenge"), dict) else None
        if challenge:
            if challenge.get("procurement"):
                vocabulary = _case_vocab("challenge.procurement")
                rows.append(Row(self.vocab_name(vocabulary),
                                [Item(self.label(vocabulary, challenge["procurement"]))]))
            budget = challenge.get("budget")
            if isinstance(budget, dict) and budget.get("amount") is not None:
                rows.append(Row(self.t("facts.budget"), [self._budget_item(budget)]))
            for key in ("submissions", "selected"):
                if challenge.get(key) is not None:
                    rows.append(Row(self.t(f"facts.{key}"),
                                    [Item(format_number(challenge[key], self.lang))]))
        practice = facts.get("practice") if isinstance(facts.get("practice"), dict) else None
        if practice and practice.get("transferability"):
            vocabulary = _case_vocab("practice.transferability")
            rows.append(Row(self.vocab_name(vocabulary),
                            [Item(self.label(vocabulary, practice["transferability"]))]))
        return rows

    def _budget_item(self, budget: dict[str, Any]) -> Item:
        """``50.000 euro totaal``: the currency by its label, its ISO code as the title."""
        currency = str(budget.get("currency") or "")
        per = budget.get("per")
        vocabulary = _case_vocab("challenge.budget.currency")
        text = self.t(
            "budget.format",
            currency=self.label(vocabulary, currency) if currency else "",
            amount=format_number(budget["amount"], self.lang),
            per=self.label(_case_vocab("challenge.budget.per"), per) if per else "",
        )
        return Item(" ".join(text.split()), title=currency or None)

    def _source_item(self, source: dict[str, Any]) -> Item:
        note = ", ".join(str(source[k]) for k in ("publisher", "date") if source.get(k))
        return Item(str(source.get("title", "")), str(source["url"]) if source.get("url") else None,
                    note=note or None)

    def _block(self, ref: str) -> tuple[Entry | None, dict[str, Any] | None]:
        repo_id, _, block_id = ref.partition("/")
        repo = self.index.cases.get(repo_id)
        if repo is None:
            return None, None
        for block in repo.facts.get("building_blocks") or []:
            if isinstance(block, dict) and str(block.get("id")) == block_id:
                return repo, block
        return repo, None

    def _use_item(self, ref: str, base: str) -> Item:
        repo, block = self._block(ref)
        if repo is None or block is None:
            return Item(ref)
        repo_id, _, block_id = ref.partition("/")
        href = f"{base}{self.url(f'cases/{repo_id}')}#block-{block_id}"
        return Item(str(block.get("name") or block_id), href,
                    note=f"{self.t('facts.in')} {repo.title(self.lang)}")

    def building_blocks(self, entry: Entry, base: str) -> list[dict[str, Any]]:
        """Rows of a repository's building block table, each with the cases using it."""
        rows = []
        for block in entry.facts.get("building_blocks") or []:
            if not isinstance(block, dict):
                continue
            block_id = str(block.get("id"))
            kind = block.get("kind")
            licence = block.get("license")
            rows.append({
                "id": block_id,
                "name": Item(str(block.get("name") or block_id),
                             str(block["url"]) if block.get("url") else None),
                "kind": self.label(_case_vocab("building_blocks.kind"), kind) if kind else "",
                "licence": self.label(_case_vocab("building_blocks.license"), licence)
                if licence else "",
                "maintainer": self.organisation_item(str(block["maintainer"]), base)
                if block.get("maintainer") else None,
                "used_in": self.case_items(self.index.block_users.get((entry.id, block_id), []),
                                           base),
            })
        return rows

    def case_page(self, entry: Entry, body_html: str, url: str) -> str:
        """The content of a case page; ``url`` is the page URL below the language root."""
        base = relative_base(url)
        text_lang = entry.text_lang(self.lang)
        return self._render(
            "case.html.j2", base,
            entry=entry,
            title=entry.title(self.lang),
            summary=entry.text("summary", self.lang),
            text_lang=self._lang_attr(text_lang),
            notices=self.notices(entry, staleness=True),
            facts=self.case_facts(entry, base),
            body=Markup(body_html),
            blocks=self.building_blocks(entry, base),
            related=self.case_items(self.index.related.get(entry.id, ()), base),
        )

    # -- organisation pages ------------------------------------------------------------

    def country_item(self, key: str, base: str) -> Item:
        """A country, linked to its overview when cases are recorded there."""
        facet = FACETS["countries"]
        if key in self.index.facets.get(facet.slug, {}):
            return self.facet_item(facet, key, base)
        return Item(self.label(facet.vocabulary, key))

    def organisation_facts(self, entry: Entry, base: str) -> list[Row]:
        facts = entry.facts
        vocabularies = field_vocabularies("organisation")
        rows = []
        if facts.get("kind"):
            vocabulary = vocabularies["kind"]
            rows.append(Row(self.vocab_name(vocabulary),
                            [Item(self.label(vocabulary, facts["kind"]))]))
        if facts.get("country"):
            rows.append(Row(self.vocab_name(vocabularies["country"]),
                            [self.country_item(str(facts["country"]), base)]))
        if facts.get("website"):
            rows.append(Row(self.t("facts.website"),
                            [Item(str(facts["website"]), str(facts["website"]))]))
        identifiers = facts.get("identifiers")
        if isinstance(identifiers, dict) and identifiers:
            rows.append(Row(self.t("facts.identifiers"),
                            [Item(str(v), note=str(k).upper()) for k, v in identifiers.items()],
                            block=True))
        if facts.get("reviewed"):
            rows.append(Row(self.t("facts.reviewed"), [Item(str(facts["reviewed"]))]))
        return rows

    def organisation_cases(self, entry: Entry, base: str) -> list[tuple[str, list[Item]]]:
        """The organisation's cases grouped by role, roles in vocabulary order."""
        by_role = self.index.roles.get(entry.id, {})
        vocabulary = _case_vocab("organisations.role")
        order = list(self.vocabs[vocabulary].terms)
        roles = sorted(by_role, key=lambda r: order.index(r) if r in order else len(order))
        return [(self.label(vocabulary, role), self.case_items(by_role[role], base))
                for role in roles]

    def organisation_page(self, entry: Entry, body_html: str, url: str) -> str:
        """The content of an organisation page."""
        base = relative_base(url)
        return self._render(
            "organisation.html.j2", base,
            entry=entry,
            title=entry.title(self.lang),
            text_lang=self._lang_attr(entry.text_lang(self.lang)),
            notices=self.notices(entry, staleness=False),
            facts=self.organisation_facts(entry, base),
            body=Markup(body_html),
            groups=self.organisation_cases(entry, base),
        )

    # -- overviews ---------------------------------------------------------------------

    def title_key(self, case_id: str) -> str:
        """Sort key of a case's title in this language."""
        key = self._title_keys.get(case_id)
        if key is None:
            key = self._title_keys[case_id] = sort_key(self.index.cases[case_id].title(self.lang))
        return key

    def forget(self, case_ids: Iterable[str]) -> None:
        """Drop the overview rows, sort keys and title keys made for ``case_ids``
        (they changed); every other case's row stays as it was."""
        ids = set(case_ids)
        if not ids:
            return
        self._rows = {k: v for k, v in self._rows.items() if k[0] not in ids}
        for case_id in ids:
            self._title_keys.pop(case_id, None)
            self._sort_keys.pop(case_id, None)

    def _organisation_ids(self, case_id: str) -> list[str]:
        facts = self.index.cases[case_id].facts
        return list(dict.fromkeys(str(o["id"]) for o in facts.get("organisations") or []
                                  if isinstance(o, dict) and o.get("id")))

    def _cell(self, column: str, case_id: str, base: str) -> str:
        """One cell's content (HTML) in an overview table."""
        facts = self.index.cases[case_id].facts
        if column == "title":
            return self.case_item(case_id, base).html
        if column == "kind":
            return self.facet_item(KINDS, str(facts.get("kind")), base).html
        if column == "organisations":
            return items_html(self.organisation_item(o, base)
                              for o in self._organisation_ids(case_id))
        if column == "countries":
            countries = FACETS["countries"]
            return items_html(self.facet_item(countries, c, base)
                              for c in countries.keys(facts))
        if column == "period":
            return escape(self.period(facts.get("period")))
        if column == "stage":
            return self.facet_item(FACETS["stages"], str(facts.get("stage")), base).html
        if column == "reviewed":
            date = as_date(facts.get("reviewed"))
            return f'<time datetime="{date.isoformat()}">{date.isoformat()}</time>' if date else ""
        raise KeyError(column)

    def _case_row(self, case_id: str, base: str, columns: tuple[str, ...],
                  sortable: bool) -> str:
        cache_key = (case_id, base, columns, sortable)
        row = self._rows.get(cache_key)
        if row is not None:
            return row
        keys = self.sort_keys(case_id) if sortable else {}
        cells = []
        for column in columns:
            attrs = f' data-label="{escape(self.t(f"lists.{column}"))}"'
            if sortable:
                key = keys[column]
                attrs += f' data-sort="{"" if key is None else escape(key)}"'
            cells.append(f"<td{attrs}>{self._cell(column, case_id, base)}</td>")
        tr = f'<tr data-id="{escape(case_id)}">' if sortable else "<tr>"
        row = self._rows[cache_key] = tr + "".join(cells) + "</tr>\n"
        return row

    def sort_keys(self, case_id: str) -> listing.CaseKeys:
        """Each column's sort key of one case in this language (made once per case)."""
        keys = self._sort_keys.get(case_id)
        if keys is not None:
            return keys
        vocabs = self.vocabs
        facts = self.index.cases[case_id].facts
        countries = FACETS["countries"]
        date = as_date(facts.get("reviewed"))
        keys = self._sort_keys[case_id] = {
            "title": self.title_key(case_id),
            "kind": listing.position_key(vocabs[KINDS.vocabulary].terms,
                                         str(facts.get("kind"))),
            "organisations": listing.joined_key(
                sort_key(self.organisation_item(o, "").text)
                for o in self._organisation_ids(case_id)),
            "countries": listing.joined_key(
                sort_key(self.label(countries.vocabulary, c))
                for c in countries.keys(facts)),
            "period": listing.period_key(facts.get("period")),
            "stage": listing.position_key(vocabs[FACETS["stages"].vocabulary].terms,
                                          str(facts.get("stage"))),
            "reviewed": date.isoformat() if date else None,
        }
        return keys

    def case_table(self, ids: Iterable[str], base: str, *,
                   columns: tuple[str, ...] = OVERVIEW_COLUMNS,
                   by_title: bool = True) -> Markup:
        """An overview table of cases, sorted by title unless ``by_title`` is false."""
        known = [i for i in ids if i in self.index.cases]
        if by_title:
            known.sort(key=self.title_key)
        head = "".join(f'<th scope="col">{escape(self.t(f"lists.{c}"))}</th>' for c in columns)
        rows = "".join(self._case_row(i, base, columns, False) for i in known)
        # The class sits on a wrapper: Material styles only tables without one.
        return Markup(f'<div class="cb-cases">\n<table>\n<thead><tr>{head}</tr></thead>\n'
                      f"<tbody>\n{rows}</tbody>\n</table>\n</div>")

    def sortable_case_table(self, base: str, column: str, direction: str) -> Markup:
        """Every case in a table sorted by ``column``: headers link to the other orders."""
        ids = listing.order(self.index.cases, self.sort_keys, column, direction)
        label = self.t(f"lists.{column}")
        status = self.t(f"all_cases.sorted_{direction}", column=label)
        heads = []
        for c in listing.COLUMNS:
            first = listing.first_direction(c)
            path = self.url(listing.variant_name(c))
            attrs = (f'scope="col" data-column="{c}" data-first="{first}" '
                     f'data-path="{escape(path)}"')
            text = escape(self.t(f"lists.{c}"))
            if c == column:
                # The order shown: not a link (there is no page of the reverse order);
                # the script makes it one that reverses the table in place.
                sort = "ascending" if direction == "asc" else "descending"
                heads.append(f'<th {attrs} aria-sort="{sort}"><span>{text}</span></th>')
            else:
                hint = escape(self.t(f"all_cases.sort_{first}"))
                heads.append(f'<th {attrs}><a href="{escape(base + path)}">{text}'
                             f'<span class="cb-sort-hint"> ({hint})</span></a></th>')
        rows = "".join(self._case_row(i, base, listing.COLUMNS, True) for i in ids)
        # The texts the script needs ({column} is filled in by the script).
        texts = {key: self.t(f"all_cases.{key}", column="{column}")
                 for key in ("sorted_asc", "sorted_desc", "sort_asc", "sort_desc")}
        data = " ".join(f'data-{key.replace("_", "-")}="{escape(text)}"'
                        for key, text in texts.items())
        return Markup(
            f'<p class="cb-sort-status" id="cb-sort-status" aria-live="polite">'
            f"{escape(status)}</p>\n"
            f'<div class="cb-cases cb-cases--sortable">\n'
            f'<table data-cb-sortable data-base="{escape(base)}" '
            f'data-column="{column}" data-direction="{direction}" {data} '
            f'aria-describedby="cb-sort-status">\n'
            f'<thead><tr>{"".join(heads)}</tr></thead>\n'
            f"<tbody>\n{rows}</tbody>\n</table>\n</div>")

    def _facet_values(self, facet: Facet) -> list[str]:
        """Keys of ``facet`` in use, in display order."""
        used = self.index.facets.get(facet.slug, {})
        if facet.ordered:
            order = list(self.vocabs[facet.vocabulary].terms)
            return sorted(used, key=lambda k: order.index(k) if k in order else len(order))
        return sorted(used, key=lambda k: sort_key(self.label(facet.vocabulary, k)))

    def kind_keys(self) -> list[str]:
        """Every kind of case, in vocabulary order (an overview exists for each)."""
        return list(self.vocabs[KINDS.vocabulary].terms)

    def generated_pages(self) -> list[GeneratedPage]:
        """Every page generated for this language site."""
        pages = [GeneratedPage("index", self.t("home.title"), "home", hidden=False)]
        for kind in self.kind_keys():
            pages.append(GeneratedPage(f"kinds/{KINDS.key_slug(kind)}",
                                       self.label(KINDS.vocabulary, kind), "kind", (kind,),
                                       hidden=False))
        pages.append(GeneratedPage(listing.ALL_CASES, self.t("all_cases.title"), "all-cases",
                                   listing.DEFAULT_SORT, hidden=False))
        for column in listing.variants():
            direction = listing.first_direction(column)
            title = self.t(f"all_cases.title_{direction}", column=self.t(f"lists.{column}"))
            pages.append(GeneratedPage(listing.variant_name(column), title,
                                       "all-cases", (column, direction), listed=False))
        for facet in BROWSE_FACETS:
            pages.append(GeneratedPage(f"{facet.slug}/index", self.t(f"facets.{facet.slug}"),
                                       "facet-index", (facet.slug,), hidden=False))
            for key in self._facet_values(facet):
                title = f"{self.vocab_name(facet.vocabulary)}: {self.label(facet.vocabulary, key)}"
                pages.append(GeneratedPage(f"{facet.slug}/{facet.key_slug(key)}", title,
                                           "facet", (facet.slug, key)))
        for year in sorted(self.index.years):
            pages.append(GeneratedPage(f"years/{year}", self.t("years.title", year=year),
                                       "year", (year,)))
        pages.append(GeneratedPage("organisations/index", self.t("organisations.title"),
                                   "organisations", hidden=False))
        return pages

    def render_page(self, page: GeneratedPage, url: str) -> str:
        """The content of a generated page; ``url`` is its URL below the language root."""
        base = relative_base(url)
        views: dict[str, Callable[..., str]] = {
            "home": self._home,
            "all-cases": self._all_cases,
            "kind": self._kind,
            "facet-index": self._facet_index,
            "facet": self._facet,
            "year": self._year,
            "organisations": self._organisations,
        }
        return views[page.view](page, base, *page.args)

    def recent_cases(self) -> list[str]:
        """The most recently reviewed cases, newest first.

        The same cases in every language: ties on the date are broken by id, so
        the choice does not depend on titles; shown in title order within a date.
        """
        def reviewed(i: str) -> str:
            date = as_date(self.index.cases[i].facts.get("reviewed"))
            return date.isoformat() if date else ""

        chosen = sorted(self.index.cases)
        chosen.sort(key=reviewed, reverse=True)
        chosen = chosen[: self.recent]
        chosen.sort(key=self.title_key)
        chosen.sort(key=reviewed, reverse=True)
        return chosen

    def _home(self, page: GeneratedPage, base: str) -> str:
        kinds = [(self.facet_item(KINDS, k, base), len(self.index.facets["kinds"].get(k, [])))
                 for k in self.kind_keys()]
        recent = self.recent_cases()
        browse = [Item(self.t(f"facets.{f.slug}"), base + self.url(f"{f.slug}/index"))
                  for f in BROWSE_FACETS]
        browse.append(Item(self.t("organisations.title"), base + self.url("organisations/index")))
        total = ui_count("lists.count", len(self.index.cases), self.lang)
        return self._render(
            "home.html.j2", base, title=page.title,
            kinds=[(item, ui_count("lists.count", n, self.lang)) for item, n in kinds],
            total=total,
            organisations=ui_count("lists.organisation_count", len(self.index.organisations),
                                   self.lang),
            recent=self.case_table(recent, base, columns=HOME_COLUMNS, by_title=False)
            if recent else None,
            all_cases=Item(self.t("home.all_cases", total=total),
                           base + self.url(listing.ALL_CASES)),
            browse=browse,
            contribute=base + self.url(self.contribute) if self.contribute else None,
        )

    def _all_cases(self, page: GeneratedPage, base: str, column: str, direction: str) -> str:
        return self._render(
            "all_cases.html.j2", base, title=self.t("all_cases.title"),
            intro=self.t("all_cases.intro"),
            count=ui_count("lists.count", len(self.index.cases), self.lang),
            table=self.sortable_case_table(base, column, direction)
            if self.index.cases else None,
        )

    def _kind(self, page: GeneratedPage, base: str, kind: str) -> str:
        ids = self.index.facets["kinds"].get(kind, [])
        return self._render(
            "overview.html.j2", base, title=page.title,
            intro=self.t("lists.kind_intro", label=self.label(KINDS.vocabulary, kind)),
            count=ui_count("lists.count", len(ids), self.lang),
            table=self.case_table(ids, base, columns=tuple(
                c for c in OVERVIEW_COLUMNS if c != "kind")) if ids else None,
        )

    def _facet(self, page: GeneratedPage, base: str, slug: str, key: str) -> str:
        facet = FACETS[slug]
        ids = self.index.facets[slug].get(key, [])
        return self._render(
            "overview.html.j2", base, title=page.title,
            intro=self.t("lists.facet_intro", facet=self.vocab_name(facet.vocabulary).lower(),
                         label=self.label(facet.vocabulary, key)),
            count=ui_count("lists.count", len(ids), self.lang),
            table=self.case_table(ids, base) if ids else None,
            up=Item(self.t(f"facets.{slug}"), base + self.url(f"{slug}/index")),
        )

    def _year(self, page: GeneratedPage, base: str, year: str) -> str:
        ids = self.index.years.get(year, [])
        return self._render(
            "overview.html.j2", base, title=page.title,
            intro=self.t("years.intro", year=year),
            count=ui_count("lists.count", len(ids), self.lang),
            table=self.case_table(ids, base) if ids else None,
            up=Item(self.t("all_cases.title"), base + self.url(listing.ALL_CASES)),
        )

    def _facet_index(self, page: GeneratedPage, base: str, slug: str) -> str:
        facet = FACETS[slug]
        values = [(self.facet_item(facet, key, base),
                   ui_count("lists.count", len(self.index.facets[slug][key]), self.lang))
                  for key in self._facet_values(facet)]
        return self._render("facet_index.html.j2", base, title=page.title,
                            intro=self.t("lists.index_intro"), values=values)

    def _organisations(self, page: GeneratedPage, base: str) -> str:
        vocabularies = field_vocabularies("organisation")
        rows = []
        for org_id, entry in self.index.organisations.items():
            facts = entry.facts
            count = len({c for ids in self.index.roles.get(org_id, {}).values() for c in ids})
            rows.append({
                "name": self.organisation_item(org_id, base),
                "kind": self.label(vocabularies["kind"], facts["kind"])
                if facts.get("kind") else "",
                "country": self.country_item(str(facts["country"]), base)
                if facts.get("country") else None,
                "cases": count,
            })
        rows.sort(key=lambda row: sort_key(row["name"].text))
        return self._render("organisations.html.j2", base, title=page.title,
                            intro=self.t("organisations.intro"), rows=rows)
