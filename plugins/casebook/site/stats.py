"""Statistics of the knowledge base, drawn at build time as accessible inline SVG.

Six counts: cases per kind, theme, start year, country and stage, and
organisations per kind (``not-stated`` counted as "not stated"). Each
chart is an ``<svg role="group">`` named by its ``<title>`` and described by its
``<desc>``; every bar is a link to the overview page of the cases it counts
(a kind, a theme, a country, a start year), named by its label and count. A
table of the same numbers, with the same links, follows each chart, so the
figures are readable without the picture. No script and no external request:
the page is plain HTML.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from typing import Any

from casebook.content.model import KnowledgeBase, start_year
from casebook.content.uitext import ui_count, ui_text
from casebook.content.vocab import Vocabularies
from casebook.site.facets import FACETS, ORGANISATION_KINDS
from casebook.site.views import page_url

#: Texts of the statistics page per language.


def _t(key: str, lang: str) -> str:
    return ui_text(f"stats.{key}", lang)


@dataclass(slots=True)
class Chart:
    """One count: its key, rows of (key, label, count) and an optional extra column."""

    key: str
    title: str
    what: str
    rows: list[tuple[str, str, int]]
    extra: dict[str, int] | None = None
    extra_label: str | None = None
    note: str | None = None
    #: Source stem of the overview page of a row's cases (``kinds/lab``), by key.
    pages: dict[str, str] | None = None
    #: What is counted: ``cases`` or ``organisations`` (the table's heading and the
    #: bar's name say which).
    unit: str = "cases"


def counts(kb: KnowledgeBase) -> dict[str, Counter[str]]:
    """Counts over the valid cases: ``kind``, ``theme``, ``year``, ``country``, ``stage``;
    ``organisation_kind`` over the valid organisations.

    ``year_unknown`` counts, per start year, the cases whose start is not known
    (``period.start_known: false``: the year is that of the earliest source).
    """
    out: dict[str, Counter[str]] = {k: Counter() for k in
                                    ("kind", "theme", "year", "country", "year_unknown",
                                     "stage", "organisation_kind")}
    for org in kb.valid_organisations():
        out["organisation_kind"].update(ORGANISATION_KINDS.keys(org.facts))
    for case in kb.valid_cases():
        facts = case.facts
        if facts.get("kind"):
            out["kind"][str(facts["kind"])] += 1
        if facts.get("stage"):  # 'not-stated' counts as such, "not stated in the sources"
            out["stage"][str(facts["stage"])] += 1
        out["theme"].update(dict.fromkeys(map(str, facts.get("themes") or []), 1))
        out["country"].update(dict.fromkeys(map(str, facts.get("countries") or []), 1))
        year = start_year(case)
        if year:
            out["year"][year] += 1
            period = facts.get("period") or {}
            if isinstance(period, dict) and period.get("start_known") is False:
                out["year_unknown"][year] += 1
    return out


def charts(kb: KnowledgeBase, lang: str) -> list[Chart]:
    """The six charts in ``lang``, with vocabulary labels."""
    vocabs: Vocabularies = kb.vocabularies
    c = counts(kb)

    def by_vocab(name: str, counter: Counter[str], order: str) -> list[tuple[str, str, int]]:
        rows = [(k, vocabs.label(name, k, lang), n) for k, n in counter.items()]
        if order == "vocabulary":
            position = {k: i for i, k in enumerate(vocabs[name].terms)}
            rows.sort(key=lambda r: (position.get(r[0], len(position)), r[0]))
        else:
            rows.sort(key=lambda r: (-r[2], r[1].casefold()))
        return rows

    def per(vocab_name: str) -> str:
        return vocabs[vocab_name].label[lang].lower()

    years = sorted(c["year"], key=int)
    year_rows = []
    if years:
        for y in range(int(years[0]), int(years[-1]) + 1):
            year_rows.append((str(y), str(y), c["year"].get(str(y), 0)))
    def pages(folder: str, rows: list[tuple[str, str, int]]) -> dict[str, str]:
        """The overview of each counted value: every value with a case has one."""
        facet = FACETS[folder]
        return {k: f"{folder}/{facet.key_slug(k)}" for k, _, n in rows if n}

    kinds = by_vocab("kinds", c["kind"], "vocabulary")
    themes = by_vocab("themes", c["theme"], "count")
    countries = by_vocab("countries", c["country"], "count")
    stages = by_vocab("stages", c["stage"], "vocabulary")
    org_vocab = ORGANISATION_KINDS.vocabulary
    org_kinds = by_vocab(org_vocab, c["organisation_kind"], "vocabulary")
    return [
        Chart("kind", _t("per", lang).format(what=per("kinds")), per("kinds"), kinds,
              pages=pages("kinds", kinds)),
        Chart("theme", _t("per", lang).format(what=per("themes")), per("themes"), themes,
              pages=pages("themes", themes)),
        Chart("year", _t("per", lang).format(what=_t("year", lang)), _t("year", lang),
              year_rows, extra={y: c["year_unknown"].get(y, 0) for y, _, _ in year_rows},
              extra_label=_t("estimated", lang), note=_t("year_note", lang),
              pages={y: f"years/{y}" for y, _, n in year_rows if n}),
        Chart("country", _t("per", lang).format(what=per("countries")), per("countries"),
              countries, pages=pages("countries", countries)),
        Chart("stage", _t("per", lang).format(what=per("stages")), per("stages"), stages,
              pages=pages("stages", stages)),
        Chart("organisation-kind", _t("organisations_per", lang).format(what=per(org_vocab)),
              per(org_vocab), org_kinds, unit="organisations",
              pages={k: f"{ORGANISATION_KINDS.slug}/{ORGANISATION_KINDS.key_slug(k)}"
                     for k, _, n in org_kinds if n}),
    ]


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _href(chart: Chart, key: str, base: str, directory_urls: bool) -> str | None:
    """Link from the statistics page to the overview of ``key``'s cases, if there is one."""
    name = (chart.pages or {}).get(key)
    return base + page_url(name, directory_urls) if name else None


def svg_bar_chart(chart: Chart, lang: str, width: int = 640, *, base: str = "../",
                  directory_urls: bool = True) -> str:
    """A horizontal bar chart as inline SVG: a named group of bars, each a link."""
    row_h, gap, label_w, pad = 24, 6, 200, 8
    height = max(1, len(chart.rows)) * (row_h + gap) + pad
    top = max((n for _, _, n in chart.rows), default=0) or 1
    bar_space = width - label_w - 60
    items = ", ".join(f"{label} {n}" for _, label, n in chart.rows) or _t("none", lang)
    desc = _t("desc" if chart.unit == "cases" else f"desc_{chart.unit}", lang).format(
        what=chart.what, items=items)
    tid, did = f"chart-{chart.key}-title", f"chart-{chart.key}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="group" class="casebook-chart" '
        f'aria-labelledby="{tid}" aria-describedby="{did}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{tid}">{_esc(chart.title)}</title>',
        f'<desc id="{did}">{_esc(desc)}</desc>',
    ]
    for i, (key, label, n) in enumerate(chart.rows):
        y = pad // 2 + i * (row_h + gap)
        w = round(bar_space * n / top, 1)
        row = (
            f'<g class="casebook-chart__row" data-key="{_esc(key)}">'
            f'<text x="{label_w - 8}" y="{y + row_h * 0.7:.1f}" text-anchor="end">'
            f"{_esc(label)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{row_h}" rx="2"></rect>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + row_h * 0.7:.1f}">{n}</text></g>'
        )
        href = _href(chart, key, base, directory_urls)
        if href:
            count = "lists.organisation_count" if chart.unit == "organisations" else "lists.count"
            name = f"{label}: {ui_count(count, n, lang)}"
            row = f'<a href="{_esc(href)}" aria-label="{_esc(name)}">{row}</a>'
        parts.append(row)
    parts.append("</svg>")
    return "".join(parts)


def html_table(chart: Chart, lang: str, *, base: str = "../",
               directory_urls: bool = True) -> str:
    """The numbers of a chart as a table; each row's label links to its overview and
    has the row's bar under it (the chart of narrow screens)."""
    head = f'<th scope="col">{_esc(chart.what[:1].upper() + chart.what[1:])}</th>'
    head += f'<th scope="col">{_esc(_t(chart.unit, lang))}</th>'
    if chart.extra is not None:
        head += f'<th scope="col">{_esc(chart.extra_label)}</th>'
    rows = []
    top = max((n for _, _, n in chart.rows), default=0) or 1
    for key, label, n in chart.rows:
        href = _href(chart, key, base, directory_urls)
        shown = f'<a href="{_esc(href)}">{_esc(label)}</a>' if href else _esc(label)
        # The bar again, under the label: shown instead of the chart on narrow screens
        # (the chart's text would shrink with it; casebook-data.css).
        bar = (f'<svg class="casebook-stats-bar" aria-hidden="true" focusable="false" '
               f'width="100%" height="8"><rect width="{round(100 * n / top, 1)}%" '
               f'height="8" rx="2"></rect></svg>')
        cells = f'<th scope="row">{shown}{bar}</th><td>{n}</td>'
        if chart.extra is not None:
            cells += f"<td>{chart.extra.get(key, 0)}</td>"
        rows.append(f'<tr data-key="{_esc(key)}">{cells}</tr>')
    return (
        f'<table class="casebook-stats-table" id="table-{chart.key}">'
        f"<caption>{_esc(chart.title)}</caption><thead><tr>{head}</tr></thead>"
        f'<tbody>{"".join(rows)}</tbody></table>'
    )


def render(kb: KnowledgeBase, lang: str, *, directory_urls: bool = True) -> str:
    """The statistics page body (HTML) in ``lang``, at ``stats/`` below the language root."""
    # From stats/ (stats.html without directory URLs) back to the language root.
    base = "../" if directory_urls else ""
    total = len(kb.valid_cases())
    parts = [f'<p>{_esc(ui_count("stats.intro", total, lang))}</p>']
    for chart in charts(kb, lang):
        parts.append(f'<section class="casebook-stats" id="{chart.key}">')
        parts.append(f'<h2 id="stats-{chart.key}">{_esc(chart.title)}</h2>')
        if chart.note:
            parts.append(f"<p>{_esc(chart.note)}</p>")
        if chart.rows:
            chart_html = svg_bar_chart(chart, lang, base=base, directory_urls=directory_urls)
            parts.append(f'<div class="casebook-figure">{chart_html}</div>')
            parts.append(html_table(chart, lang, base=base, directory_urls=directory_urls))
        else:
            parts.append(f'<p>{_esc(_t("none", lang))}</p>')
        parts.append("</section>")
    return "\n".join(parts)
