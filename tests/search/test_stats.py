"""Statistics on a small synthetic knowledge base (no MkDocs)."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

from casebook.content.model import KnowledgeBase, load
from casebook.site import stats


class _Tables(HTMLParser):
    """Collects each table's rows as lists of cell texts, and SVG facts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.svgs: list[dict[str, str]] = []
        self.svg_titles: list[str] = []
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_title = False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = dict(attrs)
        if tag == "table":
            self._table = a.get("id", "")
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "svg" and a.get("class") == "casebook-chart":
            self.svgs.append(a)
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._cell is not None:
            self._cell.append(data)
        if self._in_title:
            self.svg_titles.append(data)


def _parse(html: str) -> _Tables:
    p = _Tables()
    p.feed(html)
    return p


def test_counts(small_kb: KnowledgeBase) -> None:
    c = stats.counts(small_kb)
    assert c["kind"] == {"lab": 1, "challenge": 1, "practice": 1}
    assert c["theme"] == {"mobility": 2, "participation": 1, "energy": 1, "data": 1}
    assert c["country"] == {"BE": 2, "NL": 2}
    assert c["year"] == {"2017": 1, "2019": 1, "2021": 1}
    assert c["year_unknown"] == {"2021": 1}


def test_dutch_page_tables_match_the_content(small_kb: KnowledgeBase) -> None:
    page = _parse(stats.render(small_kb, "nl"))
    assert len(page.svgs) == 6
    for svg in page.svgs:
        # A named group of links (an image's children would be hidden from readers).
        assert svg["role"] == "group"
        assert svg["aria-labelledby"].endswith("-title")
        assert svg["aria-describedby"].endswith("-desc")
    assert page.svg_titles == ["Casussen per soort", "Casussen per thema",
                               "Casussen per startjaar", "Casussen per land",
                               "Casussen per fase", "Organisaties per soort organisatie"]
    assert page.tables["table-stage"][1:] == [["Actief", "2"], ["Afgerond", "1"]]
    organisations = page.tables["table-organisation-kind"]
    assert organisations == [["Soort organisatie", "Organisaties"], ["Gemeente", "2"],
                             ["Maatschappelijke organisatie", "1"]]
    kinds = page.tables["table-kind"]
    assert kinds[0] == ["Soort", "Casussen"]
    assert kinds[1:] == [["Innovatielab", "1"], ["Uitdaging", "1"], ["Goede praktijk", "1"]]
    assert page.tables["table-theme"][1] == ["Mobiliteit", "2"]
    # Years between the first and last start year are shown, with zero where none started.
    assert page.tables["table-year"][1:] == [["2017", "1", "0"], ["2018", "0", "0"],
                                             ["2019", "1", "0"], ["2020", "0", "0"],
                                             ["2021", "1", "1"]]
    assert sorted(page.tables["table-country"][1:]) == [["België", "2"], ["Nederland", "2"]]


def test_a_stage_not_stated_is_counted_as_such(small_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(small_root, root)
    case = next((root / "content/cases").glob("*.nl.md"))
    text = case.read_text("utf-8")
    case.write_text(re.sub(r"(?m)^stage: \w+$", "stage: not-stated", text), "utf-8")
    kb = load(root)
    assert stats.counts(kb)["stage"]["not-stated"] == 1
    page = _parse(stats.render(kb, "en"))
    assert ["Stage not stated in the sources", "1"] in page.tables["table-stage"]


def test_an_organisation_kind_not_stated_is_counted_as_such(small_root: Path,
                                                             tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(small_root, root)
    org = next(p for p in sorted((root / "content/organisations").glob("*.md"))
               if re.search(r"(?m)^kind: municipality$", p.read_text("utf-8")))
    org.write_text(re.sub(r"(?m)^kind: \w+$", "kind: not-stated", org.read_text("utf-8")),
                   "utf-8")
    kb = load(root)
    assert stats.counts(kb)["organisation_kind"] == {"municipality": 1, "ngo": 1,
                                                     "not-stated": 1}
    html = stats.render(kb, "en")
    page = _parse(html)
    # In vocabulary order, the unknown last; each row links to the page of that kind.
    assert page.tables["table-organisation-kind"][1:] == [
        ["Municipality", "1"], ["Non-governmental organisation", "1"],
        ["Kind not stated in the sources", "1"]]
    assert '<a href="../organisation-kinds/not-stated/">Kind not stated in the sources</a>' \
        in html
    assert "Bar chart of the number of organisations per organisation kind" in html
    assert 'aria-label="Kind not stated in the sources: 1 organisation"' in html


def test_english_page_uses_english_labels(small_kb: KnowledgeBase) -> None:
    page = _parse(stats.render(small_kb, "en"))
    assert page.tables["table-kind"][1:] == [["Innovation lab", "1"], ["Challenge", "1"],
                                             ["Good practice", "1"]]
    assert page.svg_titles[0] == "Cases per kind"
    html = stats.render(small_kb, "en")
    assert "Netherlands" in html and "Nederland" not in html


def test_every_bar_and_row_links_to_the_overview_it_counts(small_kb: KnowledgeBase) -> None:
    """Each bar with cases is a link to the page of those cases; a year without any
    (drawn as a zero-length bar) links nowhere, as there is no page to go to."""
    import re

    html = stats.render(small_kb, "en")
    svgs = re.findall(r'<svg\b[^>]*class="casebook-chart".*?</svg>', html, re.S)
    links = [re.findall(r'<a href="([^"]*)" aria-label="([^"]*)">', svg) for svg in svgs]
    assert links[0] == [("../kinds/lab/", "Innovation lab: 1 case"),
                        ("../kinds/challenge/", "Challenge: 1 case"),
                        ("../kinds/practice/", "Good practice: 1 case")]
    assert ("../themes/mobility/", "Mobility: 2 cases") in links[1]
    assert [h for h, _ in links[2]] == ["../years/2017/", "../years/2019/", "../years/2021/"]
    assert sorted(h for h, _ in links[3]) == ["../countries/be/", "../countries/nl/"]
    bars = sum(len(re.findall(r"<rect ", svg)) for svg in svgs)
    zero = len(re.findall(r'<rect [^>]*width="0(?:\.0)?"', html))
    assert sum(map(len, links)) == bars - zero
    # The tables under the charts carry the same links.
    table = re.search(r'<table [^>]*id="table-kind".*?</table>', html, re.S)
    assert table and '<th scope="row"><a href="../kinds/lab/">Innovation lab</a><svg' in \
        table.group(0)
    flat = stats.render(small_kb, "en", directory_urls=False)
    assert 'href="kinds/lab.html"' in flat


def test_table_bars_follow_the_counts(small_kb: KnowledgeBase) -> None:
    """The bar under each label of a table (the chart of narrow screens): its length in
    per cent of the longest, hidden from assistive technology (the count is a cell)."""
    import re

    chart = stats.charts(small_kb, "en")[1]  # themes: mobility 2, others 1
    table = stats.html_table(chart, "en")
    bars = re.findall(r'<svg class="casebook-stats-bar" aria-hidden="true"[^>]*>'
                      r'<rect width="([\d.]+)%"', table)
    assert len(bars) == len(chart.rows)
    assert [float(b) for b in bars] == [100 * n / 2 for _, _, n in chart.rows]


def test_bar_lengths_follow_the_counts(small_kb: KnowledgeBase) -> None:
    chart = stats.charts(small_kb, "en")[1]  # themes: mobility 2, others 1
    svg = stats.svg_bar_chart(chart, "en")
    import re

    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths[0] == 2 * widths[1] > 0
    assert "<script" not in svg and "http://" not in svg.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
