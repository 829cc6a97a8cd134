"""The allowlist sanitizer: real content unchanged, hostile markup neutralised.

The hostile bodies are rendered with the site's own Markdown extensions and go
straight to the sanitizer, bypassing the validator: the output must be safe even
when validation missed something.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from casebook.safety.htmlscan import bad_scheme, scan_text
from casebook.safety.sanitize import URL_SCHEMES, sanitize_html
from htmltokens import REPO_ROOT, body_of, elements, render, site_markdown, tokens

CONTENT_FILES = sorted((REPO_ROOT / "content").rglob("*.md"))
#: Every hostile body but the rendering-budget ones (render-*): the validator refuses
#: those because Python-Markdown cannot render them (see test_hostile_render_budget).
HOSTILE_FILES = sorted(p for p in (REPO_ROOT / "tests" / "hostile").glob("*/content/**/*.md")
                       if not p.relative_to(REPO_ROOT / "tests" / "hostile").parts[0]
                       .startswith("render-"))

#: Our own payloads, so that the test stands alone (Markdown bodies, raw HTML allowed
#: by Python-Markdown, attribute lists, md_in_html, every kind of URL disguise).
PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    "<img src=x onerror=alert(1)//>",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="x.swf"></object>',
    '<embed src="x.swf">',
    '<form action="https://evil.example/"><input name="q"><button formaction="javascript:alert(1)">'
    "b</button></form>",
    "<style>body{display:none}</style>",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<div markdown="1">\n<script>alert(1)</script>\n</div>',
    '<div markdown>\n\n*x* <img src=x onerror=alert(1)>\n\n</div>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x61;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "<a href=\"&#14;javascript:alert(1)\">x</a>",
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x](file:///etc/passwd)",
    "[x]\n\n[x]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "Tekst { onclick=\"alert(1)\" }\n{: onclick=\"alert(1)\" style=\"color:red\" }",
    "## Kop { onmouseover=\"alert(1)\" }",
    "[x](https://example.org){ onclick=\"alert(1)\" }",
    "![x](a.png){ onerror=\"alert(1)\" style=\"position:fixed\" }",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<a href="https://example.org" target="_blank" class="md-button evil">x</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<details open ontoggle=alert(1)>",
    "<template><script>alert(1)</script></template>",
    "<!-- <script>alert(1)</script> -->",
    '<table><td background="javascript:alert(1)">x</td></table>',
    '<img srcset="a.png 1x, javascript:alert(1) 2x" src="a.png">',
]

#: Payloads with an element left open that takes the rest of the page with it (as
#: it would in a browser).
SWALLOWS_THE_REST = {"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"}

#: Markdown using every extension of the site: its HTML must come out unchanged.
ALL_FEATURES = """\
# Titel

## Context { #context-id }

Tekst met *nadruk*, **sterk**, `code`, een [link](https://example.org "titel"),
een [relatieve link](../andere/), [mail](mailto:info@example.org), en een voetnoot[^1].

!!! note "Let op"
    Een notitie met een [link](https://example.org).

!!! warning
    Een waarschuwing.

Term
:   De uitleg.

| Links | Midden | Rechts |
|:------|:------:|-------:|
| a     | b      | c      |

    code block <b>

> citaat

1. een
2. twee

- a
- b

![Foto van het lab](foto.jpg "Het lab"){ width="300" height="200" }

***

[^1]: De voetnoot, met [link](https://example.org).
"""


@pytest.fixture(scope="module")
def md():
    return site_markdown()


def _relative(path: Path) -> str:
    return path.relative_to(REPO_ROOT).as_posix()


@pytest.mark.parametrize("path", CONTENT_FILES, ids=_relative)
def test_real_content_is_unchanged(md, path: Path) -> None:
    rendered = render(md, body_of(path))
    assert tokens(sanitize_html(rendered)) == tokens(rendered)


def test_every_markdown_extension_survives(md) -> None:
    rendered = render(md, ALL_FEATURES)
    # The sample really exercises the extensions.
    for marker in ('class="headerlink"', 'class="admonition note"', 'class="admonition-title"',
                   'class="footnote-ref"', 'class="footnote-backref"', 'class="footnote"',
                   "<dl>", "<table>", 'align="center"', 'width="300"', 'id="context-id"'):
        assert marker in rendered, marker
    assert tokens(sanitize_html(rendered)) == tokens(rendered)


def assert_safe(html: str) -> None:
    """No element, attribute or URL that could run script or load another page."""
    assert scan_text(html, "page.html", thorough=True) == []
    for tag, attrs in elements(html):
        assert tag not in {"script", "style", "iframe", "object", "embed", "form", "input",
                           "button", "base", "meta", "link", "svg", "math", "template",
                           "noscript", "frame", "frameset"}, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name != "style", (tag, value)  # the CSP allows no inline style
            if name in ("href", "src"):
                assert bad_scheme(value) is None, value
                scheme = urlsplit(value.strip()).scheme.lower()
                assert scheme in URL_SCHEMES | {""}, value
            if name == "class":
                assert "evil" not in value and "md-button" not in value


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised(md, payload: str) -> None:
    rendered = render(md, f"## Aanpak\n\nTekst.\n\n{payload}\n\nMeer tekst.\n")
    clean = sanitize_html(rendered)
    assert_safe(clean)
    if payload not in SWALLOWS_THE_REST:
        assert "Meer tekst." in clean  # the rest of the page is kept


@pytest.mark.parametrize("payload", PAYLOADS)
def test_raw_html_payload_is_neutralised(payload: str) -> None:
    """The same payloads handed over as HTML, not Markdown."""
    assert_safe(sanitize_html(f"<p>voor</p>{payload}<p>na</p>"))


@pytest.mark.skipif(not HOSTILE_FILES, reason="no hostile corpus in tests/hostile")
@pytest.mark.parametrize("path", HOSTILE_FILES, ids=_relative)
def test_hostile_corpus_body_is_neutralised(md, path: Path) -> None:
    assert_safe(sanitize_html(render(md, body_of(path))))


def test_hostile_markup_is_really_there_before_sanitizing(md) -> None:
    """The payloads reach the sanitizer (otherwise the tests above prove nothing)."""
    unsafe = 0
    for payload in PAYLOADS:
        rendered = render(md, f"{payload}\n")
        if scan_text(rendered, "page.html", thorough=True):
            unsafe += 1
    assert unsafe >= len(PAYLOADS) * 2 // 3


def test_empty_and_text() -> None:
    assert sanitize_html("") == ""
    assert sanitize_html("a &lt;b&gt; &amp; c") == "a &lt;b&gt; &amp; c"


def test_aligned_tables_align_without_inline_style(md) -> None:
    rendered = render(md, "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n")
    clean = sanitize_html(rendered)
    assert "style=" not in clean
    assert re.findall(r'<td align="(\w+)">', clean) == ["left", "center", "right"]


def test_an_inline_style_on_a_cell_is_dropped() -> None:
    assert "style" not in sanitize_html('<table><tr><td style="text-align: right">1</td></tr>'
                                        "</table>")
