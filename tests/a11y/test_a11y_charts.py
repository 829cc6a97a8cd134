"""Text alternatives of the statistics charts: in the built HTML (a group named by its
title, a description that carries every number of the adjacent table, every bar a
named link) and as axe sees them."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from a11ypages import prefix
from axe_playwright_python.sync_playwright import Axe
from casebook.content.vocab import LANGUAGES
from playwright.sync_api import Page

pytestmark = [pytest.mark.xdist_group("a11y_charts")]

#: The charts (the bars under the tables' labels, for phones, are SVG too).
SVG = re.compile(r'<svg\b[^>]*class="casebook-chart"[^>]*>.*?</svg>', re.S)


def attr(tag: str, name: str) -> str | None:
    m = re.search(rf'\s{name}="([^"]*)"', tag)
    return html.unescape(m.group(1)) if m else None


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def content(site: Path, lang: str) -> str:
    page = (site / prefix(lang).strip("/") / "stats" / "index.html").read_text("utf-8")
    m = re.search(r"<article\b.*?</article>", page, re.S)
    assert m, "no <article> on the statistics page"
    return m.group(0)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_chart_has_a_text_alternative(built_site: Path, lang: str) -> None:
    article = content(built_site, lang)
    charts = SVG.findall(article)
    assert charts, "the statistics page shows no chart"
    for svg in charts:
        tag = svg[: svg.index(">") + 1]
        if attr(tag, "aria-hidden") == "true":
            continue  # decoration: the numbers must then be in a table (checked below)
        # Its bars are links: a group (an image's children are hidden from readers).
        assert attr(tag, "role") == "group", tag
        named = {}
        for attribute, element in (("aria-labelledby", "title"), ("aria-describedby", "desc")):
            ids = (attr(tag, attribute) or "").split()
            assert ids, f"chart without {attribute}: {tag}"
            for i in ids:
                m = re.search(rf'<{element} id="{re.escape(i)}">(.*?)</{element}>', svg, re.S)
                assert m, f"{attribute} names {i!r}, not the chart's <{element}>"
                named[element] = text(m.group(1))
        assert named.get("title") and named.get("desc"), named
        links = re.findall(r"<a\b[^>]*>", svg)
        assert links, "a chart without links"
        for link in links:
            assert attr(link, "href") and attr(link, "aria-label"), link


@pytest.mark.parametrize("lang", LANGUAGES)
def test_descriptions_and_tables_carry_every_number(built_site: Path, lang: str) -> None:
    """Each chart is followed by a captioned table with row and column headers whose
    rows (label, count) all appear in the chart's description."""
    article = content(built_site, lang)
    figures = re.findall(r'<section class="casebook-stats"[^>]*>.*?</section>', article, re.S)
    assert figures
    charted = 0
    for section in figures:
        svg = SVG.search(section)
        if not svg:
            continue
        charted += 1
        table = re.search(r"<table\b.*?</table>", section[svg.end():], re.S)
        assert table, "a chart without a table of its numbers"
        table_html = table.group(0)
        caption = re.search(r"<caption>(.*?)</caption>", table_html, re.S)
        assert caption and text(caption.group(1)), "table without caption"
        assert '<th scope="col">' in table_html
        desc = re.search(r"<desc\b[^>]*>(.*?)</desc>", svg.group(0), re.S)
        description = text(desc.group(1)) if desc else ""
        rows = re.findall(r'<th scope="row">(.*?)</th><td>(\d+)</td>', table_html, re.S)
        assert rows, "table without row headers"
        for label, count in rows:
            assert f"{text(label)} {count}" in description, (label, count, description)
    assert charted == len(SVG.findall(article))


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_names_every_chart_and_bar(page: Page, site_server: str, built_site: Path,
                                       lang: str) -> None:
    page.goto(site_server.rstrip("/") + prefix(lang) + "stats/")
    rules = ["link-name", "nested-interactive", "aria-allowed-role", "svg-img-alt"]
    result = Axe().run(page, context=".casebook-figure",
                       options={"runOnly": {"type": "rule", "values": rules},
                                "resultTypes": ["passes", "violations"]}).response
    assert not result["violations"], result["violations"]
    named = [n["target"] for r in result["passes"] if r["id"] == "link-name"
             for n in r["nodes"]]
    bars = sum(len(re.findall(r"<a\b", svg)) for svg in SVG.findall(content(built_site, lang)))
    assert bars and len(named) == bars, named
    # Each chart is a group named by its title.
    names = page.locator("svg.casebook-chart").evaluate_all(
        "svgs => svgs.map(s => document.getElementById("
        "s.getAttribute('aria-labelledby')).textContent)")
    assert len(names) == len(SVG.findall(content(built_site, lang))) and all(names), names
