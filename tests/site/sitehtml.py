"""Reading built pages in the site tests: files by URL, fragments, text, links."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit


def page(site: Path, url: str) -> str:
    """The HTML of the page at ``url`` (``/en/cases/x/``)."""
    path = site / url.strip("/") / "index.html" if url.endswith("/") else site / url.lstrip("/")
    assert path.is_file(), f"no page at {url} ({path})"
    return path.read_text(encoding="utf-8")


def fragment(text: str, pattern: str) -> str:
    """The first match of a regular expression (dot matches newlines)."""
    m = re.search(pattern, text, re.S)
    assert m, f"no match for {pattern!r}"
    return m.group(0)


def article(text: str) -> str:
    """The page content (Material's ``<article>``)."""
    return fragment(text, r"<article\b.*?</article>")


def fact_box(text: str) -> str:
    """The fact box of an entry page."""
    return fragment(text, r'<aside class="cb-facts".*?</aside>')


def plain(text: str) -> str:
    """Text without tags, entities resolved, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def resolve(url: str, href: str) -> str:
    """Path that ``href`` on the page at ``url`` points to."""
    return urlsplit(urljoin(f"http://site{url}", href)).path


def hrefs(text: str) -> list[str]:
    """Every ``href`` of an ``<a>`` in ``text``."""
    return [html.unescape(h) for h in re.findall(r'<a\b[^>]*\bhref="([^"]*)"', text)]


def alternates(text: str) -> dict[str, str]:
    """``hreflang`` → ``href`` of the ``<link rel="alternate">`` in the head."""
    links = re.findall(r'<link rel="alternate" href="([^"]*)" hreflang="([^"]*)">', text)
    return {lang: href for href, lang in links}


class Resources(HTMLParser):
    """Collects every URL the browser would fetch by itself: scripts, styles, icons,
    fonts, images, media, frames, and ``url(...)`` in inline styles."""

    #: <link rel> values that make the browser fetch (or connect to) the target.
    FETCHING_RELS = frozenset({"stylesheet", "icon", "shortcut", "preload", "prefetch",
                               "preconnect", "dns-prefetch", "modulepreload", "manifest",
                               "apple-touch-icon"})

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "img", "iframe", "embed", "audio", "video", "source", "track",
                   "input"):
            self.urls.extend(v for k, v in a.items() if k in ("src", "poster") and v)
            if a.get("srcset"):
                self.urls.extend(part.split()[0] for part in a["srcset"].split(",") if part.strip())
        if tag == "object" and a.get("data"):
            self.urls.append(a["data"])
        if tag == "link" and set(a.get("rel", "").lower().split()) & self.FETCHING_RELS:
            self.urls.append(a.get("href", ""))
        if a.get("style"):
            self.urls.extend(css_urls(a["style"]))


def css_urls(css: str) -> list[str]:
    """URLs in ``url(...)`` and ``@import`` of a style sheet."""
    found = re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
    found += re.findall(r"@import\s+['\"]([^'\"]+)", css)
    return found


def is_external(url: str) -> bool:
    """True for a URL on another host (``https://…``, ``//…``)."""
    return bool(re.match(r"(?i)^\s*([a-z][a-z0-9+.-]*:)?//", url)) and not url.startswith(
        "data:")
