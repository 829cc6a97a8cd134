"""Content-Security-Policy: what a browser lets a published page load and run.

The directives are data (``data/content-security-policy.yaml``); :func:`add_policy`
writes them into a page as ``<meta http-equiv="Content-Security-Policy">`` at the
top of ``<head>``, with ``script-src`` extended by the SHA-256 hash of every
inline script of the page that is one of the theme's own (the inline scripts
:mod:`casebook.safety.htmlscan` allowlists, compared the same way). The hashes are
computed from the page as it was built, so they are never kept by hand; a script
that is not the theme's gets no hash and does not run, even if it got past the
validator, the sanitizer and the scan.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import re
from collections.abc import Iterable
from importlib import resources

import yaml

from casebook.safety.htmlscan import material_scripts, script_fingerprint

#: An inline script: ``<script>`` without attributes (how the theme writes its own).
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_HEAD = re.compile(r"<head\b[^>]*>\s*(?:<meta charset=[^>]*>)?", re.I)


@functools.cache
def directives() -> dict[str, tuple[str, ...]]:
    """The policy's directives and their sources, as the data file states them."""
    text = resources.files("casebook").joinpath(
        "data", "content-security-policy.yaml").read_text(encoding="utf-8")
    return {name: tuple(sources) for name, sources in yaml.safe_load(text).items()}


def script_hash(text: str) -> str:
    """``'sha256-...'``: the CSP source that lets exactly this inline script run."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def policy(script_hashes: Iterable[str] = ()) -> str:
    """The policy text: the data file's directives, ``script-src`` with the hashes."""
    parts = []
    for name, sources in directives().items():
        if name == "script-src":
            sources = (*sources, *dict.fromkeys(script_hashes))
        parts.append(" ".join((name, *sources)))
    return "; ".join(parts)


def theme_script_hashes(page: str, allowed: frozenset[str] | None = None) -> list[str]:
    """Hashes of the inline scripts in ``page`` that are the theme's own."""
    allowed = material_scripts() if allowed is None else allowed
    hashes = (_theme_script_hash(text, allowed) for text in _INLINE_SCRIPT.findall(page))
    return [h for h in hashes if h is not None]


@functools.lru_cache(maxsize=256)
def _theme_script_hash(text: str, allowed: frozenset[str]) -> str | None:
    """The hash of one inline script when it is the theme's own (the same few scripts
    are on every page: each is fingerprinted and hashed once)."""
    return script_hash(text) if script_fingerprint(text) in allowed else None


def add_policy(page: str, allowed: frozenset[str] | None = None) -> str:
    """``page`` with its Content-Security-Policy as the first element of ``<head>``
    (after ``<meta charset>``), so that it covers every script of the page.

    It is inserted by position, never skipped because the page seems to hold a policy
    already: a second policy a page carries (say from text a theme printed) can only
    narrow ours, since a browser enforces every policy of a page."""
    head = _HEAD.search(page)
    if head is None:
        return page
    content = html.escape(policy(theme_script_hashes(page, allowed)), quote=False)
    meta = f'\n    <meta http-equiv="Content-Security-Policy" content="{content}">'
    if page.startswith(meta, head.end()):  # ours, already first: added once
        return page
    return page[:head.end()] + meta + page[head.end():]
