"""Allowlist sanitizer for the HTML rendered from contributors' Markdown.

The validator rejects raw HTML, script URLs and the like in entries, but output
safety must not rest on one check: the body of every case and organisation page
goes through :func:`sanitize_html` (nh3, i.e. the Rust ``ammonia`` sanitizer)
after Markdown rendering and before the Renderer adds the fact box.

The allowlist is what the site's Markdown extensions (``mkdocs.yml``:
``toc`` with permalinks, ``admonition``, ``attr_list``, ``def_list``,
``footnotes``, ``md_in_html``, ``tables``) legitimately produce, so real
content comes out unchanged (tested on every entry in ``content/``).
Everything else is removed: ``script``/``style``/``iframe``/``object``/
``embed``/``form``/``base``/``meta`` elements, ``on*`` and every ``style``
attribute (the ``tables`` extension writes aligned columns as ``align``, which
the Content-Security-Policy allows and Material styles), classes other than the
extensions' own, URLs with any scheme other than ``http``, ``https`` and ``mailto``
(relative URLs stay), and every id that belongs to the theme
(:func:`casebook.safety.ids.drop_reserved_ids`: ``__config``, ``cb-main``...).
"""

from __future__ import annotations

import functools

import nh3

from casebook.safety.ids import drop_reserved_ids

#: Elements kept (their content is kept too unless listed in :data:`DROP_WITH_CONTENT`).
TAGS: frozenset[str] = frozenset({
    # text
    "p", "br", "hr", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small",
    "sub", "sup", "abbr", "cite", "q", "dfn", "kbd", "samp", "var", "span", "bdi", "bdo",
    "blockquote", "code", "pre", "time", "wbr",
    # structure
    "h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "figure", "figcaption",
    "details", "summary",
    # lists (def_list, footnotes)
    "ul", "ol", "li", "dl", "dt", "dd",
    # tables
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    # links and images
    "a", "img",
})

#: Elements removed together with everything inside them.
DROP_WITH_CONTENT: frozenset[str] = frozenset({
    "script", "style", "template", "noscript", "iframe", "object", "embed", "textarea",
    "select", "svg", "math", "title", "xmp", "noembed", "noframes",
})

#: Attributes allowed per element (``*``: on every element).
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "lang", "dir", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "th": {"colspan", "rowspan", "scope", "align"},
    "td": {"colspan", "rowspan", "align"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "details": {"open"},
}

#: Admonition types Material styles (``!!! note``, ...), with their aliases.
ADMONITION_TYPES: frozenset[str] = frozenset({
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important",
    "success", "check", "done", "question", "help", "faq", "warning", "caution",
    "attention", "failure", "fail", "missing", "danger", "error", "bug", "example",
    "quote", "cite",
})

#: Classes allowed per element: exactly those the Markdown extensions write.
CLASSES: dict[str, set[str]] = {
    "a": {"headerlink", "footnote-ref", "footnote-backref"},
    "div": {"admonition", "footnote", *ADMONITION_TYPES},
    "p": {"admonition-title"},
    "details": {*ADMONITION_TYPES},
}

#: URL schemes allowed in ``href`` and ``src`` (relative URLs are always allowed).
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})



@functools.cache
def _cleaner() -> nh3.Cleaner:
    """The allowlist as one reusable nh3 cleaner (built once per process, not per page)."""
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        allowed_classes={tag: set(names) for tag, names in CLASSES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def sanitize_html(html: str) -> str:
    """``html`` with everything outside the allowlist removed.

    Safe on any input; for HTML the site's Markdown extensions produce from
    harmless Markdown the result is the same markup (possibly serialised
    differently, e.g. ``<br>`` for ``<br />`` and ``¶`` for ``&para;``).
    """
    if not html:
        return html
    return drop_reserved_ids(_cleaner().clean(html))
