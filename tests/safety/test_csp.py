"""The Content-Security-Policy of every page (casebook.safety.csp), in the built site and
in headless Chromium: no violation on any page type in either language, search
and the language switch still work, and what an attacker would inject is blocked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from casebook.content.model import load
from casebook.safety import csp
from casebook.safety.htmlscan import material_scripts
from sitebuild import chromium

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("csp")]

_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S)


def _directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_policy_is_the_data_file_with_no_unsafe_inline_script() -> None:
    found = _directives(csp.policy(["'sha256-x'"]))
    assert found["script-src"] == ["'self'", "'wasm-unsafe-eval'", "'sha256-x'"]
    for name in ("default-src", "connect-src", "form-action", "base-uri"):
        assert found[name] == ["'self'"], name
    assert found["img-src"] == ["'self'", "data:"]
    assert found["object-src"] == ["'none'"]
    assert not [s for sources in found.values() for s in sources if "unsafe-inline" in s]
    assert not [s for sources in found.values() for s in sources
                if s.startswith(("http", "*")) or s in ("https:", "http:")]


def test_only_the_themes_inline_scripts_get_a_hash() -> None:
    page = ('<html><head><meta charset="utf-8"><title>t</title></head><body>'
            '<script>window.__pwned=1</script></body></html>')
    out = csp.add_policy(page, allowed=material_scripts())
    assert out.index("Content-Security-Policy") < out.index("<title>")
    assert "sha256" not in _META.search(out).group(1)  # type: ignore[union-attr]
    assert csp.add_policy(out) == out  # once


def test_every_built_page_carries_the_policy_before_any_script(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 50 and built_site / "404.html" in pages
    assert built_site / "en" / "404.html" in pages
    for path in pages:
        text = path.read_text(encoding="utf-8")
        metas = _META.findall(text)
        assert len(metas) == 1, path
        head = text[: text.index("</head>")]
        assert text.index("Content-Security-Policy") < min(
            [m.start() for m in _SCRIPT.finditer(head)] or [len(head)]), path
        sources = _directives(metas[0])["script-src"]
        for attrs, body in _SCRIPT.findall(text):
            if not attrs.strip():  # inline code: exactly the theme's, each hashed
                assert csp.script_hash(body) in sources, path


# --- in the browser -------------------------------------------------------------

#: Records every CSP violation the page reports, from before its first script.
_LISTEN = ("window.__csp = []; document.addEventListener('securitypolicyviolation', e =>"
           " window.__csp.push(e.effectiveDirective + ' ' + e.blockedURI));")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


class Visit:
    """A page whose CSP violations, console errors and foreign requests are recorded."""

    def __init__(self, browser: Any, base: str) -> None:
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.add_init_script(_LISTEN)
        self.page.on("console", lambda m: self.errors.append(m.text)
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        #: Requests to another host that failed, with the reason.
        self.foreign_failures: list[str] = []
        self.page.on("request", lambda r: None if r.url.startswith(
            (base, "data:", "blob:")) else self.foreign.append(r.url))
        self.page.on("requestfailed", lambda r: None if r.url.startswith(base)
                     else self.foreign_failures.append(f"{r.url} {r.failure}"))

    def violations(self) -> list[str]:
        return list(self.page.evaluate("window.__csp || []"))


@pytest.fixture
def visit(browser: Any, site_server: str) -> Iterator[Visit]:
    v = Visit(browser, site_server)
    yield v
    v.context.close()


@pytest.fixture(scope="module")
def kinds(repo_root: Path) -> dict[str, str]:
    """One case id per kind."""
    found: dict[str, str] = {}
    for entry in load(repo_root).valid_cases():
        found.setdefault(str(entry.facts["kind"]), entry.id)
    return found


def _page_types(kinds: dict[str, str], org: str) -> list[str]:
    return ["", *(f"cases/{case}/" for case in kinds.values()), f"organisations/{org}/",
            "kinds/lab/", "themes/", "organisations/", "stats/", "contribute/", "404.html"]


@pytest.fixture(scope="module")
def organisation(repo_root: Path) -> str:
    return next(iter(load(repo_root).valid_organisations())).id


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["", "en/"])
def test_no_violation_on_any_page_type(visit: Visit, site_server: str, lang: str,
                                       kinds: dict[str, str], organisation: str) -> None:
    assert len(kinds) >= 4
    for path in _page_types(kinds, organisation):
        visit.page.goto(site_server + lang + path, wait_until="load")
        visit.page.wait_for_timeout(150)
        assert visit.violations() == [], f"/{lang}{path}"
        # The theme's inline scripts ran (they are allowed by their hashes).
        assert visit.page.evaluate("typeof __md_get") == "function", f"/{lang}{path}"
    assert visit.errors == [] and visit.foreign == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["", "en/"])
def test_search_with_results_runs_under_the_policy(visit: Visit, site_server: str,
                                                   lang: str) -> None:
    visit.page.goto(f"{site_server}{lang}search/?q=lab", wait_until="load")
    results = visit.page.locator("#casebook-search-list a.casebook-result__link")
    results.first.wait_for(state="visible", timeout=20_000)
    assert results.count() > 0
    assert visit.violations() == [] and visit.errors == [] and visit.foreign == []


@pytest.mark.browser
def test_language_switch_runs_under_the_policy(visit: Visit, site_server: str,
                                               kinds: dict[str, str]) -> None:
    case = kinds["lab"]
    visit.page.goto(f"{site_server}cases/{case}/", wait_until="load")
    visit.page.locator(".md-header__option .md-select").hover()
    link = visit.page.locator('.md-select__link[hreflang="en"]')
    link.wait_for(state="visible")
    with visit.page.expect_navigation():
        link.click()
    assert urlsplit(visit.page.url).path == f"/en/cases/{case}/"
    assert visit.violations() == [] and visit.errors == []


@pytest.mark.browser
def test_an_injected_script_image_or_fetch_is_blocked(visit: Visit, site_server: str,
                                                      built_site: Path,
                                                      kinds: dict[str, str]) -> None:
    """A copy of a built page with an attacker's inline script, event handler and
    image from another host: the browser runs and loads none of them, and a fetch
    to another host is refused before it reaches the network."""
    case = kinds["practice"]
    page_html = (built_site / "cases" / case / "index.html").read_text(encoding="utf-8")
    other = "http://127.0.0.2:9/"
    injected = page_html.replace("</body>", (
        "<script>window.__pwned = 1</script>"
        f'<img src="{other}pixel.png" alt="">'
        '<img src="x.png" onerror="window.__pwned = 2" alt="">'
        "</body>"))
    url = f"{site_server}cases/{case}/injected.html"
    visit.page.route(url, lambda route: route.fulfill(body=injected, content_type="text/html"))
    visit.page.goto(url, wait_until="load")
    visit.page.wait_for_timeout(200)
    fetched = visit.page.evaluate(
        f"fetch('{other}steal').then(() => 'loaded', e => 'blocked: ' + e.name)")
    visit.page.wait_for_timeout(100)
    assert fetched.startswith("blocked")
    assert visit.page.evaluate("typeof window.__pwned") == "undefined"
    assert visit.page.evaluate("typeof __md_get") == "function"  # the theme's still run
    directives = {v.split()[0] for v in visit.violations()}
    assert {"script-src-elem", "script-src-attr", "img-src", "connect-src"} <= directives
    # Chromium names the image request, and fails it for the policy ("csp") before it
    # leaves the browser; the fetch is refused before it is even a request.
    assert visit.foreign == [f"{other}pixel.png"]
    assert visit.foreign_failures == [f"{other}pixel.png csp"]


def test_the_policy_is_inserted_by_position_even_when_the_page_seems_to_hold_one() -> None:
    page = ('<!doctype html><html><head><meta charset="utf-8">'
            '<meta name="description" content="x"><meta http-equiv="Content-Security-Policy" '
            'content="default-src * \'unsafe-inline\'"></head><body></body></html>')
    out = csp.add_policy(page, frozenset())
    head = out[out.index("<head>") + len("<head>"):]
    first, second = re.findall(r"<meta [^>]*>", head)[:2]
    assert first == '<meta charset="utf-8">'
    assert 'http-equiv="Content-Security-Policy"' in second and "'unsafe-inline'" not in second
    assert out.count("Content-Security-Policy") == 2  # theirs can only narrow ours
