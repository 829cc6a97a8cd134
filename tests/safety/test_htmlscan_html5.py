"""The post-build scan reads a page as a browser does (an HTML5 parser, not html.parser).

Each case below is markup where Python's ``html.parser`` and the HTML5 tokenizer
disagree about where a comment, a raw-text element or an attribute ends, or about
what ``<svg>``, ``<noscript>`` and ``<template>`` hold. The scan must find what a
browser builds: Chromium itself is asked whether the element is in its DOM, so a
case that stops being a browser behaviour fails here instead of lying.
"""

from __future__ import annotations

from typing import Any

import pytest
from casebook.safety.htmlscan import scan_text
from casebook.safety.ids import CONTENT_END, CONTENT_START
from sitebuild import chromium

REFRESH = '<meta http-equiv="refresh" content="3600">'

#: (name, markup, the finding's code, a CSS selector of what the browser builds, or None
#: when Chromium is not asked: declarative shadow roots and scripting-off parsing)
FOUND = [
    ("comment-<!-->", f"<!--> {REFRESH} -->", "meta-refresh", "meta[http-equiv=refresh]"),
    ("comment-<!--->", f"<!---> {REFRESH} -->", "meta-refresh", "meta[http-equiv=refresh]"),
    ("comment--!>", '<!-- a --!> <base href="https://e.example/"> -->', "forbidden-element",
     "base"),
    ("end-tag-with-attributes",
     f'<script type="application/json">{{}}</script foo="x">{REFRESH}',
     "meta-refresh", "meta[http-equiv=refresh]"),
    ("end-tag-with-space", f"<style>p{{}}</style >{REFRESH}", "meta-refresh",
     "meta[http-equiv=refresh]"),
    ("svg-style-breakout", '<svg><style><img src="x.png" onerror="alert(1)"></style></svg>',
     "event-handler", "img[onerror]"),
    ("svg-style-meta", f"<svg><style>{REFRESH}</style></svg>", "meta-refresh",
     "meta[http-equiv=refresh]"),
    ("math-style", '<math><style><img src="x.png" onerror="alert(1)"></style></math>',
     "event-handler", "img[onerror]"),
    ("noscript-attribute",
     '<noscript><p title="</noscript><img src=x.png onerror=alert(1)>"></p></noscript>',
     "event-handler", "img[onerror]"),
    ("noscript-refresh", f"<noscript>{REFRESH}</noscript>", "meta-refresh", None),
    ("template", '<template><iframe src="https://e.example/"></iframe></template>',
     "forbidden-element", None),
    ("shadow-root",
     '<div><template shadowrootmode="open"><img src="x.png" onerror="alert(1)"></template>'
     "</div>", "event-handler", None),
    ("unquoted", "<meta http-equiv=refresh content=3600;url=https://e.example/>",
     "meta-refresh", "meta[http-equiv=refresh]"),
    ("nul-byte", f"<p>a\x00b</p>{REFRESH}", "meta-refresh", "meta[http-equiv=refresh]"),
    ("slash-separated", '<img/src="x.png"/onerror=alert(1)>', "event-handler", "img[onerror]"),
]

#: Markup that looks forbidden to a naive reader and that no browser builds as such.
NOT_BUILT = [
    ("unclosed-comment", f"<!-- {REFRESH}"),
    ("comment-!>", f"<!--!> {REFRESH} -->"),
    ("textarea", f"<textarea>{REFRESH}</textarea>"),
    ("unquoted-value-slash", "<img src=x.png/onerror=alert(1)>"),
    ("nul-in-tag-name", '<ba\x00se href="https://e.example/">'),
    ("script-escape", "<script type=\"application/json\">\"<!--<script>\"</script>-->"
                      "</script>"),
]


def _page(markup: str) -> tuple[str, int]:
    """A page with ``markup`` on line 3 (outside an entry's body: these are errors anywhere)."""
    return (f"<!doctype html>\n<html><head><title>t</title></head><body>\n"
            f"{markup}\n</body></html>\n", 3)


@pytest.mark.parametrize(("name", "markup", "code", "selector"), FOUND,
                         ids=[c[0] for c in FOUND])
def test_what_a_browser_builds_is_found(name: str, markup: str, code: str,
                                        selector: str | None) -> None:
    page, line = _page(markup)
    for thorough in (True, False):  # the full parse, and the fast path in front of it
        findings = scan_text(page, "a/index.html", thorough=thorough)
        assert code in {f.code for f in findings}, (thorough, findings)
    found = next(f for f in scan_text(page, "a/index.html") if f.code == code)
    assert found.line == line, found


@pytest.mark.parametrize(("name", "markup"), NOT_BUILT, ids=[c[0] for c in NOT_BUILT])
def test_what_a_browser_does_not_build_is_not_reported(name: str, markup: str) -> None:
    page, _ = _page(markup)
    assert [f for f in scan_text(page, "a/index.html", thorough=True)
            if f.code != "script"] == []


def test_a_frameset_document_is_found() -> None:
    page = '<!doctype html><html><head></head><frameset><frame src="x.html"></frameset></html>'
    codes = [f.code for f in scan_text(page, "a/index.html", thorough=True)]
    assert codes.count("forbidden-element") == 2, codes


def test_a_second_body_tag_is_placed_where_it_stands() -> None:
    """A browser adds the attributes of a second <body> to the first: the finding
    points at the tag that wrote them."""
    page = "<html><head></head><body>\n<p>x</p>\n<body onload=\"alert(1)\">\n</body></html>"
    [found] = scan_text(page, "a/index.html", thorough=True)
    assert (found.code, found.line) == ("event-handler", 3)


@pytest.fixture(scope="module")
def browser() -> Any:
    with chromium() as browser:
        yield browser


@pytest.mark.parametrize(("name", "markup", "selector"),
                         [(c[0], c[1], c[3]) for c in FOUND if c[3]] +
                         [(c[0], c[1], None) for c in NOT_BUILT],
                         ids=[c[0] for c in FOUND if c[3]] + [c[0] for c in NOT_BUILT])
def test_chromium_builds_the_same(browser: Any, name: str, markup: str,
                                  selector: str | None) -> None:
    """The cases are browser behaviour: Chromium's DOM holds the element the scan
    reports, and none of the kind for the markup the scan lets through."""
    page = browser.new_page()
    try:
        page.route("**/*", lambda route: route.abort())  # no request leaves the test
        page.set_content(_page(markup)[0])
        dom = "meta[http-equiv=refresh], base, iframe, img[onerror]"
        count = page.evaluate("s => document.querySelectorAll(s).length", selector or dom)
        assert (count > 0) == (selector is not None), (name, count)
    finally:
        page.close()


def test_a_form_in_a_template_inside_an_entry_body_is_found() -> None:
    page = (f"<html><head></head><body>{CONTENT_START}<p>x</p><template>"
            f'<form action="https://e.example/"></form></template>{CONTENT_END}</body></html>')
    for thorough in (True, False):
        findings = scan_text(page, "a/index.html", thorough=thorough)
        assert [f.code for f in findings] == ["forbidden-element"], findings
        assert "<form>" in findings[0].message
