"""Ids and site paths the theme reserves, kept out of what entries write.

:func:`id_problem` and :func:`check_body_ids` keep the ids an entry body writes
out of the theme's namespace; :func:`guarded_slugify` makes heading anchors the
same way; :func:`drop_reserved_ids` removes any that remain after rendering
(defence in depth, before the post-build scan); :func:`site_path_owner` says which
part of the site owns an output path. The reserved names are data
(``data/content-allowlist.yaml``, read by :func:`casebook.content.allowlist.policy`).
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable
from typing import Any

from casebook.content import allowlist
from casebook.content.vocab import LANGUAGES
from casebook.i18n import msg

# --- ids -------------------------------------------------------------------------


def id_problem(value: str) -> str | None:
    """Why ``value`` may not be an element id written in an entry body, or None."""
    rules = allowlist.policy()
    if value in rules.ids_reserved or value.startswith(rules.id_prefixes):
        prefixes = ", ".join(f"'{p}'" for p in rules.id_prefixes)
        return msg("the id '{value}' belongs to the site's theme (ids starting with {prefixes} "
                   "and {names} are its own); choose another id", value=value,
                   prefixes=prefixes, names=", ".join(sorted(rules.ids_reserved)))
    return None


def is_reserved_id(value: str) -> bool:
    """True for an id the theme or Casebook uses (or may use: a reserved prefix)."""
    rules = allowlist.policy()
    return value in rules.ids_reserved or value.startswith(rules.id_prefixes)


def guarded_slugify(inner: Callable[..., str] | None = None) -> Callable[..., str]:
    """A ``toc`` ``slugify`` that keeps heading anchors out of the theme's ids.

    ``inner`` (Python-Markdown's own by default) makes the anchor; leading
    underscores are dropped and a reserved id gets ``section-`` in front, so
    ``## __config`` becomes ``#config`` and ``## CB main`` ``#section-cb-main``.
    """
    if inner is None:
        from markdown.extensions.toc import slugify as inner  # only when rendering

    def slugify(value: str, separator: str, *args: Any, **kwargs: Any) -> str:
        slug = str(inner(value, separator, *args, **kwargs)).lstrip("_")
        return f"section{separator}{slug}" if slug and is_reserved_id(slug) else slug

    slugify.casebook_guarded = True  # type: ignore[attr-defined]
    return slugify


_TAG = re.compile(r"<[A-Za-z](?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+")
_ID_ATTR = re.compile(r"[\s/\"'](id)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+))", re.I)
#: Attribute lists (``attr_list``): ``{: #id .class key=value }``.
_ATTR_LIST = re.compile(r"\{:?[ \t]*([^{}\n]*)\}")
_HASH_ID = re.compile(r"(?:^|[ \t])#([^\s{}#.]+)")
_KEY_ID = re.compile(r"(?:^|[ \t])id\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'}]+))", re.I)


def check_body_ids(scan: str, report: Callable[[int, str], None]) -> None:
    """Report every explicit id in a body (code already blanked) that is the theme's.

    ``report(index, message)`` is called with the index of the id's value in ``scan``.
    """
    if "<" in scan:
        for tag in _TAG.finditer(scan):
            for m in _ID_ATTR.finditer(tag.group()):
                group = next(g for g in (2, 3, 4) if m.group(g) is not None)
                problem = id_problem(htmllib.unescape(m.group(group)).strip())
                if problem:
                    report(tag.start() + m.start(group), problem)
    if "{" in scan:
        for block in _ATTR_LIST.finditer(scan):
            inner, base = block.group(1), block.start(1)
            for m in _HASH_ID.finditer(inner):
                problem = id_problem(m.group(1))
                if problem:
                    report(base + m.start(1), problem)
            for m in _KEY_ID.finditer(inner):
                group = next(g for g in (1, 2, 3) if m.group(g) is not None)
                problem = id_problem(m.group(group))
                if problem:
                    report(base + m.start(group), problem)


_RENDERED_ID = re.compile(r'(\sid=)"([^"]*)"')

#: Comments around an entry's rendered body, for the post-build scan (a body
#: cannot write them: the sanitizer removes every comment from it).
CONTENT_START = "<!--casebook:content-->"
CONTENT_END = "<!--/casebook:content-->"


def drop_reserved_ids(html: str) -> str:
    """Rendered body HTML (sanitised: attributes in double quotes) without theme ids."""
    if "id=" not in html:
        return html
    return _RENDERED_ID.sub(
        lambda m: "" if is_reserved_id(htmllib.unescape(m.group(2))) else m.group(), html)


def mark_content(html: str) -> str:
    """The body between the markers the post-build scan looks for."""
    return f"{CONTENT_START}{html}{CONTENT_END}"


# --- the built site ---------------------------------------------------------------


def site_path_owner(dest: str, languages: tuple[str, ...] = LANGUAGES) -> str | None:
    """Which part of the site owns the output path ``dest`` (None: nobody)."""
    rules = allowlist.policy()
    path = dest
    first, _, rest = path.partition("/")
    if first in languages and rest:
        path = rest
    if path in rules.site_reserved:
        return msg("a page or file the Casebook plugins generate (/{path})", path=path)
    for prefix in rules.site_prefixes:
        if path.startswith(prefix):
            return msg("the folder /{prefix} of the theme or the Casebook plugins",
                       prefix=prefix)
    return None
