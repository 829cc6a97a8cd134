"""Generated pages: home, the table of all cases, an overview per kind, facet
value and year, the facet indexes, the organisation index and a page of the
organisations of each kind."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from markupsafe import Markup, escape

from casebook.content.uitext import ui_count
from casebook.site import listing
from casebook.site.facets import BROWSE_FACETS, FACETS, KINDS, ORGANISATION_KINDS, Facet
from casebook.site.feeds import FEED_FACETS, FEED_FILE
from casebook.site.renderbase import RendererBase
from casebook.site.views import GeneratedPage, Item, as_date, items_html, relative_base, sort_key

OVERVIEW_COLUMNS: tuple[str, ...] = ("title", "kind", "organisations", "countries", "period",
                                     "stage")
#: Stands for a page's relative base (``../../``) in cached table cells, replaced
#: by the base of the page a row is written into (no text of an entry holds it).
BASE = "\x00casebook-base\x00"


class GeneratedPages(RendererBase):
    """Pages made from the knowledge base, not from an entry file."""

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
        self._cells = {k: v for k, v in self._cells.items() if k[0] not in ids}
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
            attrs = self._cell_labels.get(column)
            if attrs is None:
                attrs = self._cell_labels[column] = \
                    f' data-label="{escape(self.t(f"lists.{column}"))}"'
            if sortable:
                key = keys[column]
                attrs += f' data-sort="{"" if key is None else escape(key)}"'
            cell = self._cells.get((case_id, column))
            if cell is None:
                cell = self._cells[(case_id, column)] = str(self._cell(column, case_id, BASE))
            cells.append(f"<td{attrs}>{cell}</td>")
        tr = f'<tr data-id="{escape(case_id)}">' if sortable else "<tr>"
        row = (tr + "".join(cells) + "</tr>\n").replace(BASE, base)
        self._rows[cache_key] = row
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
        for key in self.organisation_kind_keys():
            title = (f"{self.vocab_name(ORGANISATION_KINDS.vocabulary)}: "
                     f"{self.label(ORGANISATION_KINDS.vocabulary, key)}")
            pages.append(GeneratedPage(f"{ORGANISATION_KINDS.slug}/"
                                       f"{ORGANISATION_KINDS.key_slug(key)}",
                                       title, "organisation-kind", (key,)))
        return pages

    def organisation_kind_keys(self) -> list[str]:
        """The organisation kinds in use, in vocabulary order (``not-stated`` last)."""
        order = list(self.vocabs[ORGANISATION_KINDS.vocabulary].terms)
        return sorted(self.index.organisation_kinds,
                      key=lambda k: (order.index(k) if k in order else len(order), k))

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
            "organisation-kind": self._organisation_kind,
        }
        return views[page.view](page, base, *page.args)

    def recent_cases(self, ids: Iterable[str] | None = None) -> list[str]:
        """The most recently reviewed cases (of ``ids``, else of all), newest first.

        The same cases in every language: ties on the date are broken by id, so
        the choice does not depend on titles; shown in title order within a date.
        """
        def reviewed(i: str) -> str:
            date = as_date(self.index.cases[i].facts.get("reviewed"))
            return date.isoformat() if date else ""

        chosen = sorted(self.index.cases if ids is None else ids)
        chosen.sort(key=reviewed, reverse=True)
        chosen = chosen[: self.recent]
        chosen.sort(key=self.title_key)
        chosen.sort(key=reviewed, reverse=True)
        return chosen

    def newest_cases(self, ids: Iterable[str]) -> list[str]:
        """The cases of ``ids`` that started last, newest first (ties by id, then
        shown by title); cases without a start are left out."""
        def start(i: str) -> str:
            key = listing.period_key(self.index.cases[i].facts.get("period"))
            return key.partition("/")[0] if key else ""

        chosen = sorted(i for i in ids if start(i))
        chosen.sort(key=start, reverse=True)
        chosen = chosen[: self.recent]
        chosen.sort(key=self.title_key)
        chosen.sort(key=start, reverse=True)
        return chosen

    def _home(self, page: GeneratedPage, base: str) -> str:
        kinds = []
        for kind in self.kind_keys():
            ids = self.index.facets["kinds"].get(kind, [])
            newest = [(self.case_item(i, base),
                       self.period(self.index.cases[i].facts.get("period")))
                      for i in self.newest_cases(ids)]
            reviewed = [(self.case_item(i, base),
                         str(as_date(self.index.cases[i].facts.get("reviewed")) or ""))
                        for i in self.recent_cases(ids)]
            kinds.append({"item": self.facet_item(KINDS, kind, base), "key": kind,
                          "count": ui_count("lists.count", len(ids), self.lang),
                          "newest": newest, "reviewed": reviewed})
        themes = FACETS["themes"]
        theme_items = [(self.facet_item(themes, key, base),
                        ui_count("lists.count", len(self.index.facets[themes.slug][key]),
                                 self.lang))
                       for key in self._facet_values(themes)]
        browse = [Item(self.t(f"facets.{f.slug}"), base + self.url(f"{f.slug}/index"))
                  for f in BROWSE_FACETS]
        browse.append(Item(self.t("organisations.title"), base + self.url("organisations/index")))
        total = ui_count("lists.count", len(self.index.cases), self.lang)
        return self._render(
            "home.html.j2", base, title=page.title,
            search=base + self.url("search"),
            kinds=kinds,
            themes=theme_items,
            themes_index=base + self.url(f"{themes.slug}/index"),
            total=total,
            organisations=ui_count("lists.organisation_count", len(self.index.organisations),
                                   self.lang),
            all_cases=Item(self.t("home.all_cases", total=total),
                           base + self.url(listing.ALL_CASES)),
            browse=browse,
            contribute=base + self.url(self.contribute) if self.contribute else None,
        )

    def _all_cases(self, page: GeneratedPage, base: str, column: str, direction: str) -> str:
        return self._render(
            "all_cases.html.j2", base, title=self.t("all_cases.title"),
            intro=self.t("all_cases.intro"), intro_reverse=self.t("all_cases.intro_reverse"),
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
            feed=base + f"kinds/{KINDS.key_slug(kind)}/{FEED_FILE}" if ids else None,
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
            feed=base + f"{slug}/{facet.key_slug(key)}/{FEED_FILE}"
            if ids and slug in FEED_FACETS else None,
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

    def _organisation_rows(self, org_ids: Iterable[str], base: str) -> list[dict[str, object]]:
        """Rows of the organisation table (name, kind, country, number of cases), by name."""
        rows = []
        for org_id in org_ids:
            facts = self.index.organisations[org_id].facts
            count = len({c for ids in self.index.roles.get(org_id, {}).values() for c in ids})
            rows.append({
                "name": self.organisation_item(org_id, base),
                "kind": self.facet_item(ORGANISATION_KINDS, str(facts["kind"]), base)
                if facts.get("kind") else None,
                "country": self.country_item(str(facts["country"]), base)
                if facts.get("country") else None,
                "cases": count,
            })
        rows.sort(key=lambda row: sort_key(row["name"].text))  # type: ignore[attr-defined]
        return rows

    def _organisation_kinds(self, base: str) -> list[tuple[Item, str]]:
        """Every organisation kind in use, linked to its page, with its count."""
        return [(self.facet_item(ORGANISATION_KINDS, key, base),
                 ui_count("lists.organisation_count",
                          len(self.index.organisation_kinds[key]), self.lang))
                for key in self.organisation_kind_keys()]

    def _organisations(self, page: GeneratedPage, base: str) -> str:
        return self._render("organisations.html.j2", base, title=page.title,
                            intro=self.t("organisations.intro"),
                            kinds=self._organisation_kinds(base),
                            rows=self._organisation_rows(self.index.organisations, base))

    def _organisation_kind(self, page: GeneratedPage, base: str, key: str) -> str:
        ids = self.index.organisation_kinds.get(key, [])
        return self._render(
            "organisations.html.j2", base, title=page.title,
            intro=self.t("organisations.kind_intro",
                         label=self.label(ORGANISATION_KINDS.vocabulary, key)),
            count=ui_count("lists.organisation_count", len(ids), self.lang),
            rows=self._organisation_rows(ids, base),  # no kind column: it is the page's
            up=Item(self.t("organisations.title"), base + self.url("organisations/index")))
