"""The layout of every page type measured in Chromium, not read from the CSS: at 320,
375 and 1280 px, in both languages and both palettes, no text is drawn over other
text, no card label over its value, nothing scrolls sideways, and the header shows
the site's name whole (not cut to "Cas…").

Every page is kept as a screenshot of its first screen under pytest's temporary
folder (``geometry/<width>/<palette>/<lang>/<page>.png``, the folder is printed when
a check fails); a page with a problem is also kept whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from casebook.content.vocab import LANGUAGES
from casebook.site.facets import FACETS
from casebook.site.views import SiteIndex
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("site_geometry")]

PREFIX = {"nl": "/", "en": "/en/"}
WIDTHS = (320, 375, 1280)
PALETTES = ("light", "dark")


def page_types(index: SiteIndex) -> dict[str, str]:
    """One page of every type, by name: path below the language root."""
    kinds = index.facets["kinds"]
    pages = {"home": "", "search": "search/", "all-cases": "cases/",
             "organisations": "organisations/", "facet-index": "themes/",
             "statistics": "stats/", "contribute": "contribute/", "not-found": "404.html"}
    for slug in ("kinds", "themes", "countries", "stages"):
        key = max(index.facets[slug], key=lambda k, s=slug: len(index.facets[s][k]))
        pages[f"overview-{slug}"] = f"{slug}/{FACETS[slug].key_slug(key)}/"
    pages["overview-year"] = f"years/{max(index.years, key=lambda y: len(index.years[y]))}/"
    for kind in sorted(kinds):
        pages[f"case-{kind}"] = f"cases/{sorted(kinds[kind])[0]}/"
    pages["organisation"] = f"organisations/{max(index.roles, key=lambda o: len(index.roles[o]))}/"
    kinds_of = index.organisation_kinds
    pages["organisation-kind"] = (
        f"organisation-kinds/{max(kinds_of, key=lambda k: len(kinds_of[k]))}/")
    return pages


#: Measures the page as shown: every line of visible text as a box (Range client
#: rects, per text node), the labels the narrow-screen cards draw before their values
#: (a ::before box, computed from its style), sideways scrolling and the header's name.
MEASURE = r"""() => {
  const vw = document.documentElement.clientWidth;
  const seen = new Map();
  function shown(el) {
    if (seen.has(el)) return seen.get(el);
    let ok = true;
    if (el && el.nodeType === 1 && el !== document.documentElement) {
      const s = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      ok = el.checkVisibility({opacityProperty: true, visibilityProperty: true})
        && !(el.parentElement && el.parentElement.tagName === 'DETAILS'
             && !el.parentElement.open && el.tagName !== 'SUMMARY')
        && s.display !== 'none' && s.visibility !== 'hidden' && s.visibility !== 'collapse'
        && parseFloat(s.opacity) > 0.05 && !(s.clip === 'rect(0px, 0px, 0px, 0px)')
        && !(s.overflow === 'hidden' && (box.width <= 1 || box.height <= 1))
        && !(s.position === 'absolute' && s.clipPath === 'inset(50%)')
        && shown(el.parentElement);
    }
    seen.set(el, ok);
    return ok;
  }
  function describe(el) {
    const cls = (el.getAttribute('class') || '').split(/\s+/).filter(Boolean).slice(0, 2);
    return el.tagName.toLowerCase() + (cls.length ? '.' + cls.join('.') : '');
  }
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node, n = 0;
  while ((node = walker.nextNode())) {
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName)) continue;
    if (!shown(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    n += 1;
    for (const r of range.getClientRects()) {
      if (r.width < 1 || r.height < 1 || r.right <= 0 || r.left >= vw) continue;
      boxes.push({n, el, text: node.textContent.trim().slice(0, 30),
                  l: r.left, r: r.right, t: r.top + scrollY, b: r.bottom + scrollY});
    }
  }
  // Card labels: td::before {content: attr(data-label)} beside the value.
  const labelsOver = [];
  for (const td of document.querySelectorAll('td[data-label]')) {
    if (!shown(td)) continue;
    const before = getComputedStyle(td, '::before');
    if (!before.content || before.content === 'none' || before.content === 'normal') continue;
    const cell = td.getBoundingClientRect();
    const left = cell.left + (parseFloat(before.left) || 0);
    const right = left + parseFloat(before.width || '0');
    const range = document.createRange();
    range.selectNodeContents(td);
    const first = [...range.getClientRects()].filter(r => r.width >= 1)[0];
    const line = parseFloat(before.lineHeight) || 20;
    if (first && first.left < right - 1 && first.top < cell.top + line) {
      labelsOver.push(td.getAttribute('data-label') + ' over "' + td.textContent.trim().slice(0, 30)
                      + '"');
    }
    // The label's own box, as tall as its text wraps in its width (a probe with its
    // font), joins the text boxes: a label running into the next row is an overlap.
    const probe = document.createElement('div');
    for (const p of ['fontFamily', 'fontSize', 'fontWeight', 'lineHeight', 'letterSpacing']) {
      probe.style[p] = before[p];
    }
    probe.style.position = 'absolute';
    probe.style.visibility = 'hidden';
    probe.style.width = before.width;
    probe.textContent = td.getAttribute('data-label');
    document.body.appendChild(probe);
    const high = probe.getBoundingClientRect().height;
    probe.remove();
    const top = cell.top + (parseFloat(getComputedStyle(td).paddingTop) || 0) + scrollY;
    n += 1;
    boxes.push({n, el: td, text: 'label ' + td.getAttribute('data-label'),
                l: left, r: right, t: top, b: top + high});
  }
  boxes.sort((a, b) => a.t - b.t);
  const overlaps = [];
  for (let i = 0; i < boxes.length && overlaps.length < 8; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].t < a.b - 3; j++) {
      const b = boxes[j];
      if (a.n === b.n) continue;
      const x = Math.min(a.r, b.r) - Math.max(a.l, b.l);
      const y = Math.min(a.b, b.b) - Math.max(a.t, b.t);
      if (x > 3 && y > 3) {
        overlaps.push(`"${a.text}" (${describe(a.el)}) and "${b.text}" (${describe(b.el)})`);
      }
    }
  }
  const name = document.querySelector('.md-header__topic .md-ellipsis');
  const header = name ? {text: name.textContent.trim(),
                         cut: name.scrollWidth > name.clientWidth + 1,
                         width: name.getBoundingClientRect().width} : null;
  return {boxes: boxes.length, overlaps, labelsOver: labelsOver.slice(0, 5),
          scrollWidth: document.documentElement.scrollWidth, vw, header};
}"""


def problems_of(found: dict[str, Any], site_name: str) -> list[str]:
    """What a person would see as broken, from the measurements."""
    problems = [f"text over text: {o}" for o in found["overlaps"]]
    problems += [f"label over value: {o}" for o in found["labelsOver"]]
    if found["scrollWidth"] > found["vw"]:
        problems.append(f"scrolls sideways: {found['scrollWidth']} px wide in {found['vw']}")
    header = found["header"]
    if not header or header["text"] != site_name or header["cut"]:
        problems.append(f"header name not readable: {header}")
    return problems


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("geometry")


@pytest.fixture(scope="module")
def pages(index: SiteIndex) -> dict[str, str]:
    return page_types(index)


def _context(browser: Any, width: int, palette: str) -> Any:
    return browser.new_context(viewport={"width": width, "height": 800 if width > 400 else 700},
                               color_scheme=palette, reduced_motion="reduce")


#: One test per width and palette (42 page views each), each its own xdist group: both
#: workers measure at once, each keeping its browser for the pages of its test.
LAYOUTS = [pytest.param(width, palette, id=f"{width}-{palette}",
                        marks=pytest.mark.xdist_group(f"site_geometry-{width}-{palette}"))
           for width in WIDTHS for palette in PALETTES]


@pytest.mark.parametrize(("width", "palette"), LAYOUTS)
def test_no_text_overlaps_and_the_header_keeps_its_name(browser: Any, site_server: str,
                                                        pages: dict[str, str], shots: Path,
                                                        width: int, palette: str) -> None:
    origin = site_server.rstrip("/")
    problems: list[str] = []
    context = _context(browser, width, "dark" if palette == "dark" else "light")
    page = context.new_page()
    try:
        for lang in LANGUAGES:
            for name, path in pages.items():
                page.goto(f"{origin}{PREFIX[lang]}{path}")
                page.wait_for_load_state("load")
                if name == "search":
                    page.locator('#casebook-search[data-state="ready"]').wait_for()
                scheme = page.locator("body").get_attribute("data-md-color-scheme")
                assert scheme == ("slate" if palette == "dark" else "default"), scheme
                found = page.evaluate(MEASURE)
                assert found["boxes"] > 3, f"{path}: no text measured"
                shot = shots / str(width) / palette / lang / f"{name}.png"
                shot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(shot))
                found_problems = problems_of(found, "Casebook")
                if found_problems:
                    page.screenshot(path=str(shot.with_suffix(".full.png")), full_page=True)
                    problems += [f"{width} {palette} {PREFIX[lang]}{path}: {p}"
                                 for p in found_problems]
    finally:
        context.close()
    assert not problems, f"screenshots in {shots}\n" + "\n".join(problems)


@pytest.fixture
def narrow(browser: Any) -> Iterator[Any]:
    # The planted styles are inline: the site's CSP would refuse them.
    context = browser.new_context(viewport={"width": 375, "height": 700}, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_the_measure_sees_labels_over_values_and_text_over_text(narrow: Any,
                                                                site_server: str) -> None:
    """The check finds what it looks for: the card padding of an earlier release (10 px
    beside a 100 px label), a paragraph pulled over the title, and a cut header name."""
    narrow.goto(site_server.rstrip("/") + "/cases/")
    narrow.add_style_tag(content=".md-typeset .cb-cases table tbody td "
                                 "{ padding-left: 10px !important; }")
    found = narrow.evaluate(MEASURE)
    assert found["labelsOver"], found
    narrow.goto(site_server.rstrip("/") + "/stats/")
    narrow.add_style_tag(content="article p:first-of-type { margin-top: -3em; }"
                                 ".md-header__title { flex-basis: 3em; flex-grow: 0; }")
    found = narrow.evaluate(MEASURE)
    assert found["overlaps"], found
    assert any(re.match("header name", p) for p in problems_of(found, "Casebook")), found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_phone_header_search_is_a_button_to_the_search_page(narrow: Any, site_server: str,
                                                            lang: str) -> None:
    """Below 480 px the header's search is its button alone (the name stays whole); a
    tap opens the search page, whose field comes first."""
    origin = site_server.rstrip("/")
    narrow.goto(f"{origin}{PREFIX[lang]}themes/")
    assert not narrow.locator("#casebook-search-box").is_visible()
    narrow.locator("form[data-casebook-search-box] button").click()
    narrow.wait_for_url(re.compile(re.escape(f"{origin}{PREFIX[lang]}search/")))
    field = narrow.locator("#casebook-search-input")
    expect(field).to_be_visible()
    field.fill("data")
    expect(narrow).to_have_url(re.compile(r"\?q=data$"))
    expect(narrow.locator("#casebook-search-list")).to_have_attribute("data-query", "data")
    expect(narrow.locator("#casebook-search-list a").first).to_be_visible()
