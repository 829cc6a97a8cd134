"""Post-build scan of the published HTML: no script may reach the site unnoticed.

Every ``.html`` (and ``.htm``, ``.xhtml``, ``.svg``) file of a built site is
checked for

* ``<script>`` elements other than the allowlisted ones (see below);
* event-handler attributes (``onclick``, ``onerror``, ... any ``on*``);
* ``javascript:``, ``vbscript:``, ``data:`` and ``file:`` URLs in any URL
  attribute (``href``, ``src``, ``action``, ``formaction``, ``srcset``,
  ``poster``, ``xlink:href``, ...), after decoding character references and
  removing the whitespace and control characters browsers ignore;
* ``<iframe>``, ``<frame>``, ``<frameset>``, ``<object>``, ``<embed>``,
  ``<applet>``, ``<portal>``, ``<base>`` and ``<meta http-equiv="refresh">``;
* an element id used twice on a page, and inside an entry's body (between the
  markers of :data:`casebook.safety.ids.CONTENT_START`) any id that belongs
  to the theme (:func:`casebook.safety.ids.is_reserved_id`): the theme's
  script would read the content's element (``__config``) instead of its own.

**The allowlist** (this module's constants, the one place it lives):

* script files (``src``) on the same site below :data:`SCRIPT_DIRS` (the
  theme's ``assets/javascripts/``, where ``overrides/`` puts ``casebook.js``
  too; the Casebook plugins' ``assets/casebook/``; Pagefind's ``pagefind/``),
  optionally below a language folder (``en/pagefind/``), and existing in the
  site;
* inline scripts whose text is one of Material's own, read from the installed
  theme's :data:`MATERIAL_SCRIPT_PARTIALS` and compared after replacing every
  string literal by ``""`` (template values such as the base URL only ever sit
  inside string literals; a string literal cannot run code);
* data blocks: ``type`` in :data:`JSON_TYPES` whose text parses as JSON.

Speed: the page's bytes are lower-cased once (ASCII only, so offsets stay) and
searched with a few expressions that each start with a literal: openings of
forbidden elements, ``http-equiv``, ``on…=`` after a separator, every URL
attribute whose value is not plainly ``http(s)://``, ``mailto:`` or free of
``:`` and ``&``, and every ``<script``. A page whose only finds are allowlisted
scripts (verdicts are remembered for the whole scan) is clean; any other page is
parsed in full as a browser parses it: Lexbor's HTML5 parser (through selectolax,
C, a few milliseconds a page), where comments (``<!-->``, ``--!>``, unclosed),
raw text (``</script >``, ``<svg><style>``), ``<noscript>`` (parsed both with and
without scripting when present), ``<template>`` contents, unquoted attributes
and NUL bytes end where a browser ends them. The tree keeps no source positions:
:class:`_Locator` places a finding at its element's start tag. A test checks with
Hypothesis that the fast path never hides a finding.

One module (past 600 lines) on purpose: the fast path and the full parse apply the
same rules (the allowlist, URL attributes, forbidden elements, ids) from the same
constants, and the Hypothesis test holds the one against the other; split, each half
would hold a copy of the rules to keep in step.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import html
import importlib.util
import json
import os
import posixpath
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from casebook.safety.ids import CONTENT_END, CONTENT_START, is_reserved_id

#: Folders (below the site root or a language folder) that scripts may be loaded from.
SCRIPT_DIRS: tuple[str, ...] = ("assets/javascripts/", "assets/casebook/", "pagefind/")
#: A language folder in front of :data:`SCRIPT_DIRS` (``en/pagefind/...``).
_LANGUAGE_FOLDER = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]+)?/")
#: Material templates whose inline scripts are allowed (relative to its templates folder).
MATERIAL_SCRIPT_PARTIALS: tuple[str, ...] = (
    "partials/javascripts/base.html",
    "partials/javascripts/content.html",
    "partials/javascripts/palette.html",
    "partials/javascripts/announce.html",
    "partials/javascripts/outdated.html",
    "partials/javascripts/consent.html",
)
#: ``<script type>`` values that are data, not code (their text must parse as JSON).
JSON_TYPES: frozenset[str] = frozenset({"application/json", "application/ld+json"})
#: Elements that never belong in the site.
FORBIDDEN_ELEMENTS: frozenset[str] = frozenset({
    "iframe", "frame", "frameset", "object", "embed", "applet", "portal", "base",
})
#: Elements that navigate, submit or change the document, allowed to the theme only:
#: inside an entry's body (between the markers of casebook.safety.ids) they are errors.
CONTENT_FORBIDDEN: frozenset[str] = frozenset({
    "form", "input", "button", "textarea", "select", "meta", "link", "base", "style",
})
_CONTENT_OPENINGS = re.compile(rb"<(?:form|input|button|textarea|select|meta|link|base|style)\b")
#: Attributes holding a URL (or a list of URLs: ``srcset``, ``ping``, ``archive``).
URL_ATTRIBUTES: frozenset[str] = frozenset({
    "href", "src", "action", "formaction", "srcset", "poster", "data", "background",
    "ping", "cite", "codebase", "manifest", "lowsrc", "dynsrc", "longdesc", "usemap",
    "icon", "archive", "classid", "profile", "xlink:href", "xml:base",
    # SVG animation can set href: <animate attributeName="href" values="javascript:...">
    "to", "from", "values", "by",
})
#: URL schemes that are refused wherever they appear.
BAD_SCHEMES: tuple[str, ...] = ("javascript:", "vbscript:", "data:", "file:")
#: File name endings scanned.
SUFFIXES: tuple[str, ...] = (".html", ".htm", ".xhtml", ".svg")

# Places where a page may hold something forbidden, searched in the page's bytes in
# lower case (browsers ignore the case of names and schemes). Each expression starts
# with a literal, which the regular expression engine finds quickly. A page with any
# of these, or with a script that is not plainly allowlisted, is parsed in full.
#: Openings of forbidden elements.
_OPENINGS = re.compile(rb"<(?:iframe|frame|object|embed|applet|portal|base)")
# on...= after a separator: an event handler perhaps.
_HANDLER = re.compile(rb"""on(?<=[\s/"']on)[a-z]*\s*=""")
_CSP_META = b'<meta http-equiv="content-security-policy" content="'
_SCRIPT_START = re.compile(rb"<script(?=[\s/>])")
# An attribute value that cannot hold a scheme (no ':' and no '&', which could
# hide one as a character reference) or is plainly http(s) or mailto.
_SAFE_VALUE = (
    rb'"(?:(?:https?://|mailto:)[^"\s,]*|[^":&]*)"'
    rb"|'(?:(?:https?://|mailto:)[^'\s,]*|[^':&]*)'"
    rb"""|(?!["'])(?:(?:https?://|mailto:)[^\s>,"']*|[^\s>:&"']*)(?=[\s>"'])"""
)
_UNSAFE_VALUE = re.compile(rb"=\s*(?!" + _SAFE_VALUE + rb")")
#: Bytes that end an attribute name (besides whitespace).
_NAME_ENDS = b"\"'<>/="
_NAME_ENDS_AS_SPACE = bytes.maketrans(_NAME_ENDS, b" " * len(_NAME_ENDS))
_URL_ATTRIBUTE_BYTES = frozenset(name.encode() for name in URL_ATTRIBUTES)
_HANDLER_NAME = re.compile(r"on[a-z]+")
# The start tag of an ordinary script element (lower case, double-quoted attributes
# without < or >); its text runs to the next "</script>".
_SCRIPT_TAG = re.compile(rb'<script((?:\s+[\w:-]+(?:="[^"<>]*")?)*)\s*>')
_ATTRIBUTE = re.compile(r'([\w:-]+)(?:="([^"]*)")?')
_STRING_LITERAL = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'""")
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_IGNORED_IN_URL = re.compile(r"[\t\n\r]")
#: Every ``id`` attribute perhaps (also in text: the full parse decides), searched in
#: the lower-cased page: the literal ``id`` first, then the separator before it.
_ID_VALUE = re.compile(rb"""id(?<=[\s/"']id)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_CONTENT_START = CONTENT_START.encode()
_CONTENT_END = CONTENT_END.encode()


@dataclass(frozen=True, slots=True)
class Finding:
    """One forbidden construct in one file."""

    path: str
    line: int
    column: int
    code: str
    message: str

    def format_text(self) -> str:
        """``path:line:col: code: message``."""
        return f"{self.path}:{self.line}:{self.column}: {self.code}: {self.message}"


@dataclass(slots=True)
class Allowlist:
    """What the scan accepts; the defaults are this module's constants."""

    script_dirs: tuple[str, ...] = SCRIPT_DIRS
    inline_scripts: frozenset[str] = field(default_factory=lambda: material_scripts())
    json_types: frozenset[str] = JSON_TYPES


def script_fingerprint(text: str) -> str:
    """A hash of script text with every string literal replaced by ``""``."""
    normalised = _STRING_LITERAL.sub('""', text.strip())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def material_templates() -> Path | None:
    """The installed Material theme's templates folder (without importing it)."""
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        templates = Path(location) / "templates"
        if templates.is_dir():
            return templates
    return None


@lru_cache(maxsize=8)
def material_scripts(templates: Path | None = None) -> frozenset[str]:
    """Fingerprints of the inline scripts in Material's :data:`MATERIAL_SCRIPT_PARTIALS`."""
    templates = templates or material_templates()
    if templates is None:
        return frozenset()
    found = set()
    for name in MATERIAL_SCRIPT_PARTIALS:
        path = templates / name
        if not path.is_file():
            continue
        for text in _INLINE_SCRIPT.findall(path.read_text(encoding="utf-8")):
            # Template code outside a string literal could be anything: not allowlisted.
            if "{{" in _STRING_LITERAL.sub('""', text) or "{%" in text:
                continue
            found.add(script_fingerprint(text))
    return frozenset(found)


def bad_scheme(value: str) -> str | None:
    """The refused scheme of a URL attribute value (already entity-decoded), if any."""
    url = _IGNORED_IN_URL.sub("", value).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b"
                                                "\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16"
                                                "\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    lowered = url.lower()
    for scheme in BAD_SCHEMES:
        if lowered.startswith(scheme):
            return scheme
    return None


def _urls(name: str, value: str) -> list[str]:
    if name in ("srcset",):
        return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
    if name in ("ping", "archive"):
        return value.split()
    return [value]


@dataclass(slots=True)
class _Context:
    """Where the file being scanned sits in the site."""

    site: Path | None
    rel: str
    base_path: str
    site_url: str
    allow: Allowlist
    #: Verdicts on script elements already seen, by folder (shared by a whole scan).
    memo: dict[tuple[str, bytes], bool] = field(default_factory=dict)
    #: Whether script files must exist in ``site`` (not yet, while plugins still write).
    check_files: bool = True


def _script_source_problem(src: str, ctx: _Context) -> str | None:
    """Why a script ``src`` is not allowlisted, or None."""
    url = src.strip()
    if ctx.site_url and url.startswith(ctx.site_url):
        url = "/" + url[len(ctx.site_url):].lstrip("/")
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return f"the script '{src}' is loaded from another site"
    path = parts.path
    if path.startswith("/"):
        if ctx.base_path and path.startswith(ctx.base_path):
            path = path[len(ctx.base_path):]
        target = posixpath.normpath(path.lstrip("/"))
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(ctx.rel), path))
    if target.startswith("../") or target == "..":
        return f"the script '{src}' lies outside the site"
    inside = target
    match = _LANGUAGE_FOLDER.match(inside)
    if match and not any(inside.startswith(d) for d in ctx.allow.script_dirs):
        inside = inside[match.end():]
    if not any(inside.startswith(d) for d in ctx.allow.script_dirs):
        allowed = ", ".join(ctx.allow.script_dirs)
        return f"the script '{src}' is not in one of the allowed folders ({allowed})"
    if ctx.site is not None and ctx.check_files:
        key = ("exists", target.encode())
        exists = ctx.memo.get(key)
        if exists is None:
            exists = ctx.memo[key] = os.path.isfile(os.path.join(ctx.site, target))
        if not exists:
            return f"the script '{src}' does not exist in the site"
    return None


def _script_problem(attrs: dict[str, str], text: str, ctx: _Context) -> str | None:
    """Why a ``<script>`` element is not allowlisted, or None."""
    kind = attrs.get("type", "").strip().lower()
    if "href" in attrs or "xlink:href" in attrs:  # SVG scripts load from href
        return "a script loaded through href"
    if kind in ctx.allow.json_types:
        if "src" in attrs:
            return f"a data block ({kind}) with a src"
        try:
            json.loads(text)
        except ValueError:
            return f"a data block ({kind}) whose text is not JSON"
        return None
    if kind not in ("", "text/javascript", "module", "application/javascript"):
        return f"a script of type '{kind}'"
    if "src" in attrs:
        if text.strip():
            return "a script with both a src and inline code"
        return _script_source_problem(attrs["src"], ctx)
    if script_fingerprint(text) in ctx.allow.inline_scripts:
        return None
    snippet = " ".join(text.split())
    snippet = snippet if len(snippet) <= 60 else snippet[:57] + "..."
    return f"an inline script that is not one of the theme's own: '{snippet}'"


def _fast_clean(raw: bytes, ctx: _Context) -> bool:
    """True when nothing in the page can be a problem but allowlisted scripts."""
    low = raw.lower()  # ASCII only: the same length, the same offsets
    # Every page carries its Content-Security-Policy (casebook.safety.csp); any other
    # http-equiv (a refresh) is looked at in full.
    if (low.count(b"http-equiv") != low.count(_CSP_META)
            or _OPENINGS.search(low) or _HANDLER.search(low)):
        return False
    for match in _UNSAFE_VALUE.finditer(low):
        name = _name_before(low, match.start())
        if name is None or name in _URL_ATTRIBUTE_BYTES:
            return False
    if not _ids_clean(raw, low):
        return False
    start = low.find(CONTENT_START.encode().lower())
    if start >= 0 and _CONTENT_OPENINGS.search(low, start, max(start, low.find(
            CONTENT_END.encode().lower(), start))):
        return False
    folder = posixpath.dirname(ctx.rel)
    for match in _SCRIPT_START.finditer(low):
        tag = _SCRIPT_TAG.match(raw, match.start())
        end = raw.find(b"</script>", match.start())
        if tag is None or end < 0:
            return False
        element = raw[match.start():end]
        if b"<!--" in element:
            # "<!--<script>" in a script's text: a browser's script then runs past this
            # "</script>" (the script data escape states); the full parse settles it.
            return False
        # Only a src depends on the page's folder; the rest repeats on every page.
        key = (folder if b"src" in tag.group(1) else "", element)
        verdict = ctx.memo.get(key)
        if verdict is None:
            try:
                head, body = tag.group(1).decode(), raw[tag.end():end].decode()
            except UnicodeDecodeError:
                return False
            attrs = {name.lower(): html.unescape(value or "")
                     for name, value in _ATTRIBUTE.findall(head)}
            verdict = ctx.memo[key] = _script_problem(attrs, body, ctx) is None
        if not verdict:
            return False
    return True


def _name_before(low: bytes, end: int) -> bytes | None:
    """The attribute name that ends (perhaps followed by whitespace) at ``end``, from
    at most 40 bytes before it; None when a quote, ``<``, ``>``, ``/`` or ``=`` comes
    first (what ``([^\\s"'<>/=]+)\\s*$`` finds, without trying every start)."""
    stripped = low[max(0, end - 40):end].rstrip()
    if not stripped or stripped[-1] in _NAME_ENDS:
        return None
    return stripped.translate(_NAME_ENDS_AS_SPACE).rsplit(None, 1)[-1]


def _ids_clean(raw: bytes, low: bytes) -> bool:
    """True when no id can repeat on the page or be the theme's inside an entry's body.

    ``low`` is ``raw.lower()``: the attribute is found there (any case of ``id``),
    its value is read from ``raw`` at the same offsets (ids are case-sensitive).
    """
    if b"id" not in low:
        return True
    start = raw.find(_CONTENT_START)
    end = raw.find(_CONTENT_END, start) if start >= 0 else -1
    seen: set[bytes] = set()
    for m in _ID_VALUE.finditer(low):
        group = 1 if m.start(1) >= 0 else (2 if m.start(2) >= 0 else 3)
        value = raw[m.start(group):m.end(group)]
        if value in seen or b"&" in value:
            return False
        seen.add(value)
        if start <= m.start() < end and is_reserved_id(value.decode("utf-8", "replace")):
            return False
    return True


_FIX = {
    "script": "remove it from the template, hook, plugin or content that writes it (theme "
              "and Pagefind assets are allowed: see casebook.safety.htmlscan)",
    "event-handler": "remove the attribute; behaviour belongs in an allowlisted script file",
    "script-url": "link to an https:// address or a page of the site instead",
    "forbidden-element": "remove the element; embed nothing from elsewhere",
    "meta-refresh": "remove the refresh; link to the page instead",
    "duplicate-id": "give every element its own id (a script or link finds only the first)",
    "theme-id": "the theme's script would read this element instead of its own; choose "
                "another id in the entry (see casebook.content.allowlist)",
}


#: A start tag in the page's lower-cased text (for the line and column of a finding).
_TAG_OPENING = "<{}(?=[\\s/>]|$)"
_NEWLINE = re.compile("\n")


class _Locator:
    """Line and column of an element's start tag in the source.

    The HTML5 tree keeps no source positions, so an element is placed at the
    ``index``-th opening of its tag name (``<tag`` in the lower-cased text), or at
    the first opening from there whose tag holds ``needle`` (the attribute that is
    the problem: a second ``<body onload>`` adds its attributes to the first body).
    Openings the browser does not build (in a comment, in text) can shift the count:
    the line is then approximate, the finding itself is not.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._low: str | None = None
        self._lines: list[int] | None = None
        self._openings: dict[str, list[int]] = {}

    @property
    def low(self) -> str:
        """The text in lower case (made when the first finding is placed)."""
        if self._low is None:
            self._low = self.text.lower()
        return self._low

    def _offsets(self, tag: str) -> list[int]:
        found = self._openings.get(tag)
        if found is None:
            pattern = re.compile(_TAG_OPENING.format(re.escape(tag)))
            found = self._openings[tag] = [m.start() for m in pattern.finditer(self.low)]
        return found

    def position(self, tag: str, index: int, needle: str | None = None) -> tuple[int, int]:
        """``(line, column)`` (1-based line, 0-based column) of the element's start tag."""
        offsets = self._offsets(tag)
        if not offsets:
            return 1, 0
        at = offsets[min(index, len(offsets) - 1)]
        if needle:
            for offset in offsets[index:]:
                close = self.low.find(">", offset, offset + 4096)
                if needle in self.low[offset:close if close > 0 else offset + 4096]:
                    at = offset
                    break
        if self._lines is None:
            self._lines = [m.start() for m in _NEWLINE.finditer(self.text)]
        line = bisect.bisect_left(self._lines, at)
        return line + 1, at - (self._lines[line - 1] + 1 if line else 0)


class _Scanner:
    """Full scan of one document, parsed as a browser parses it (Lexbor's HTML5 parser,
    through selectolax): comments, raw text, foreign content (``<svg><style>``),
    ``<noscript>`` and attribute syntax end where a browser ends them; the content of
    every ``<template>`` is scanned too. Findings carry line and column."""

    def __init__(self, ctx: _Context, text: str) -> None:
        self.ctx = ctx
        self.findings: list[Finding] = []
        self._where = _Locator(text)
        self._counts: dict[str, int] = {}
        #: First position of every id; whether the walk is inside an entry's body.
        self._ids: dict[str, tuple[int, int]] = {}
        self._in_content = False

    def scan(self, root: LexborNode) -> None:
        """Check ``root`` and everything below it (template contents included)."""
        for node in root.traverse(include_text=False):
            if node.is_comment_node:
                marker = node.html
                if marker == CONTENT_START:
                    self._in_content = True
                elif marker == CONTENT_END:
                    self._in_content = False
            elif node.is_element_node:
                self._element(node)
                if node.tag == "template":
                    for fragment in node.template_fragments()[:1]:
                        self.scan(fragment)

    def _add(self, code: str, message: str, pos: tuple[int, int]) -> None:
        line, column = pos
        self.findings.append(Finding(self.ctx.rel, line, column + 1, code,
                                     f"{message}; {_FIX[code]}"))

    def _check_id(self, tag: str, value: str, pos: tuple[int, int]) -> None:
        first = self._ids.get(value)
        if first is not None:
            self._add("duplicate-id", f"the id '{value}' of <{tag}> is already used on line "
                                      f"{first[0]}", pos)
        else:
            self._ids[value] = pos
        if self._in_content and is_reserved_id(value):
            self._add("theme-id", f"the entry's text sets the id '{value}' (on <{tag}>), "
                                  "which belongs to the theme", pos)

    def _element(self, node: LexborNode) -> None:
        tag = (node.tag or "").lower()
        index = self._counts.get(tag, 0)
        self._counts[tag] = index + 1
        attrs = [(name.lower(), value) for name, value in node.attributes.items()]
        values = {name: value or "" for name, value in attrs}

        def at(needle: str | None = None) -> tuple[int, int]:
            return self._where.position(tag, index, needle)

        if "id" in values:
            self._check_id(tag, values["id"], at("id"))
        for name, value in attrs:
            if value is not None and _HANDLER_NAME.fullmatch(name):
                self._add("event-handler", f"<{tag}> has an event handler '{name}'", at(name))
            elif name in URL_ATTRIBUTES and value:
                for url in _urls(name, value):
                    scheme = bad_scheme(url)
                    if scheme:
                        self._add("script-url", f"<{tag} {name}> holds a {scheme} URL", at(name))
                        break
        if tag in FORBIDDEN_ELEMENTS or (self._in_content and tag in CONTENT_FORBIDDEN):
            self._add("forbidden-element", f"a <{tag}> element", at())
        elif tag == "meta" and values.get("http-equiv", "").strip().lower() == "refresh":
            self._add("meta-refresh", '<meta http-equiv="refresh">', at("http-equiv"))
        elif tag == "script":
            problem = _script_problem(values, node.text(deep=True), self.ctx)
            if problem:
                self._add("script", problem, at())


def _parse(text: str, ctx: _Context, *, scripting: bool) -> list[Finding]:
    scanner = _Scanner(ctx, text)
    scanner.scan(LexborHTMLParser(text, scripting=scripting).root)
    return scanner.findings


def scan_text(text: str, rel: str, *, site: Path | None = None, site_url: str | None = None,
              allow: Allowlist | None = None, thorough: bool = False) -> list[Finding]:
    """Findings in one document ``text`` at ``rel`` (its path below the site root)."""
    return scan_bytes(text.encode("utf-8", errors="surrogatepass"), rel, site=site,
                      site_url=site_url, allow=allow, thorough=thorough)


def scan_bytes(raw: bytes, rel: str, *, site: Path | None = None, site_url: str | None = None,
               allow: Allowlist | None = None,
               memo: dict[tuple[str, bytes], bool] | None = None,
               thorough: bool = False, check_files: bool = True) -> list[Finding]:
    """Findings in one UTF-8 document ``raw`` at ``rel`` (its path below the site root).

    ``memo`` (any dict, reused for every file of one scan) remembers verdicts on
    script elements, which repeat on every page. ``thorough`` skips the fast
    path and always parses the whole document. ``check_files``: script files
    must exist in ``site``.
    """
    site_url = site_url or ""
    ctx = _Context(site, rel, urlsplit(site_url).path.rstrip("/") + "/" if site_url else "",
                   site_url, allow or Allowlist(), {} if memo is None else memo,
                   check_files)
    if not thorough and _fast_clean(raw, ctx):
        return []
    text = raw.decode("utf-8", errors="replace")
    # As a browser that runs scripts parses it (<noscript> holds text) and, when the page
    # has a <noscript>, as one that does not (its content is markup: a refresh in it works).
    findings = _parse(text, ctx, scripting=True)
    if b"<noscript" in raw.lower():
        seen = set(findings)
        findings += [f for f in _parse(text, ctx, scripting=False) if f not in seen]
    return findings


def site_files(site: Path, *, under: str | None = None, skip: Iterable[str] = (),
               newer_than: int | None = None) -> Iterator[Path]:
    """Every file of ``site`` the scan reads, in a stable order.

    ``under``: only the files below this folder of the site; ``skip``: top-level
    folders left out; ``newer_than``: only files modified at or after this time
    (nanoseconds since the epoch).
    """
    skipped = set(skip)
    top = site / under if under else site
    for folder, folders, names in os.walk(top):
        if folder == str(top):
            folders[:] = [f for f in folders if f not in skipped]
        folders.sort()
        for name in sorted(names):
            if name.lower().endswith(SUFFIXES):
                path = Path(folder, name)
                if newer_than is None or path.stat().st_mtime_ns >= newer_than:
                    yield path


def scan_site(site: Path, *, site_url: str | None = None, allow: Allowlist | None = None,
              under: str | None = None, skip: Iterable[str] = (),
              newer_than: int | None = None,
              check_files: bool = True) -> tuple[list[Finding], int]:
    """Findings in every HTML file of a built ``site``, and the number of files read.

    ``under`` / ``skip`` as for :func:`site_files` (one language's folder is
    scanned by that language's build); paths stay relative to ``site``.
    ``check_files``: script files must exist (off while plugins still write them).
    """
    allow = allow or Allowlist()
    findings: list[Finding] = []
    memo: dict[tuple[str, bytes], bool] = {}
    count = 0
    for path in site_files(site, under=under, skip=skip, newer_than=newer_than):
        count += 1
        findings += scan_bytes(path.read_bytes(), path.relative_to(site).as_posix(),
                               site=site, site_url=site_url, allow=allow, memo=memo,
                               check_files=check_files)
    return findings, count


def report(findings: Iterable[Finding], *, limit: int = 20) -> str:
    """A readable summary: the same problem on many pages (a template's) is listed once,
    with the other files it is in; at most ``limit`` problems, then how many more."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.code, finding.message), []).append(finding)
    lines = []
    for same in list(groups.values())[:limit]:
        lines.append(same[0].format_text())
        if len(same) > 1:
            others = ", ".join(f.path for f in same[1:4])
            more = f" and {len(same) - 4} more" if len(same) > 4 else ""
            lines.append(f"  the same in {len(same) - 1} other file(s): {others}{more}")
    if len(groups) > limit:
        lines.append(f"... and {len(groups) - limit} more problem(s)")
    return "\n".join(lines)


def _scan_command(args: argparse.Namespace) -> int:
    site = Path(args.site)
    if not site.is_dir():
        print(f"casebook: error: {site}: no such folder (build the site first)",
              file=sys.stderr)
        return 2
    findings, count = scan_site(site, site_url=args.site_url)
    if findings:
        print("\n".join(f.format_text() for f in findings))
        print(f"{len(findings)} problem(s) in {count} files", file=sys.stderr)
        return 1
    print(f"{count} files scanned: no script, event handler, script URL or frame outside "
          "the allowlist")
    return 0


def add_subcommand(subparsers: argparse._SubParsersAction) -> None:
    """``casebook scan-html SITE_DIR``."""
    p = subparsers.add_parser(
        "scan-html", help="check a built site for script outside the allowlist",
        description="Scan every HTML file of a built site for scripts, event-handler "
                    "attributes, javascript:/vbscript:/data:/file: URLs, frames, objects, "
                    "<base> and meta refresh outside the allowlist (see casebook.safety.htmlscan).")
    p.add_argument("site", metavar="SITE_DIR", help="the built site (e.g. site/)")
    p.add_argument("--site-url", default=None,
                   help="the address the site is published at (mkdocs.yml site_url), if "
                        "set when it was built")
    p.set_defaults(func=_scan_command)
