"""Links as readers see them: the host a reader reads is the host the browser visits.

:func:`host_problem` refuses, in every web address (organisation websites, links,
sources and body links alike):

* **user information** (``https://www.amsterdam.nl∕loket@evil.example/``: a reader
  sees the part before ``@`` as the site, the browser goes to what follows);
* a host that is not plain ASCII unless it is a valid internationalised name
  (IDNA 2008 with UTS #46 mapping, the ``idna`` library) whose every label is written
  in one script and is not confusable with an ASCII name, by the Unicode
  confusables data (UTS #39) of the ``confusable_homoglyphs`` library: a Latin
  label may not hold a letter that looks like an ASCII one (``ı`` for ``i``), and a
  label in another script may not consist only of such letters (``аmsterdam`` with a
  Cyrillic ``а`` is mixed; Cyrillic ``ѕсоре`` is whole-script confusable).

Accepted names are shown with their ASCII form, as a browser's address bar may show
it: in messages, and on pages beside every link to such a host
(:func:`host_note`, :func:`annotate_links`).
"""

from __future__ import annotations

import bisect
import functools
import html
import re
import unicodedata
from urllib.parse import urlsplit

import idna
from confusable_homoglyphs import categories, confusables

from casebook.i18n import msg

#: Scripts one label may combine (UTS #39 "highly restrictive": Japanese, Chinese with
#: Bopomofo, Korean); any other mix is refused.
_SCRIPT_SETS = (frozenset({"HAN", "HIRAGANA", "KATAKANA"}), frozenset({"HAN", "BOPOMOFO"}),
                frozenset({"HAN", "HANGUL"}))


_LINK_END = re.compile("</a>")


@functools.lru_cache(maxsize=4096)
def _ascii_lookalikes(ch: str) -> bool:
    """Whether the confusables data gives ``ch`` an ASCII look-alike."""
    found = confusables.is_confusable(ch, greedy=True) or []
    return any(h["c"].isascii() and h["c"].isalnum()
               for item in found for h in item["homoglyphs"])


def _label_problem(label: str) -> str | None:
    if label.isascii():
        return None
    scripts = {categories.alias(ch) for ch in label} - {"COMMON", "INHERITED"}
    if len(scripts) > 1 and not any(scripts <= allowed for allowed in _SCRIPT_SETS):
        return msg("'{label}' mixes scripts", label=label)
    letters = [ch for ch in label if not ch.isascii()]
    if scripts <= {"LATIN"}:
        lookalike = next((ch for ch in letters if _ascii_lookalikes(ch)), None)
        if lookalike is not None:
            return msg("'{label}' holds '{char}' (U+{code:04X}), which looks like an ASCII "
                       "letter", label=label, char=lookalike, code=ord(lookalike))
        return None
    core = [ch for ch in label if ch.isalpha()]
    if core and all(_ascii_lookalikes(ch) for ch in core):
        return msg("'{label}' is written only with letters that look like ASCII ones",
                   label=label)
    return None


def ascii_host(host: str) -> str:
    """The ASCII (punycode) form of ``host``, as a browser's address bar may show it."""
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        return host


def host_problem(url: str) -> str | None:
    """Why the web address ``url`` would mislead a reader (None: it would not)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None  # the caller reports invalid URLs
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if "@" in parts.netloc:
        shown, _, host = parts.netloc.rpartition("@")
        return msg("the address holds '{shown}@' before its host: a reader takes '{shown}' "
                   "for the site, but the browser goes to '{host}'; remove the part up to "
                   "and including '@'", shown=shown, host=host)
    host = parts.hostname or ""
    if host.isascii() or any(unicodedata.category(ch) == "Cf" for ch in host):
        return None  # invisible characters are reported as such (casebook.safety.values)
    try:
        encoded = idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        return msg("the host '{host}' is not a valid internationalised domain name "
                   "({reason}); write the address as the site gives it", host=host,
                   reason=str(exc))
    for label in idna.decode(encoded).split("."):
        problem = _label_problem(label)
        if problem:
            return msg("the host '{host}' ({ascii}) could be taken for another site: "
                       "{problem}; write the address with the site's own letters",
                       host=host, ascii=encoded, problem=problem)
    return None


def host_note(url: str) -> str | None:
    """The ASCII form of the host of ``url`` when it is not ASCII (None otherwise)."""
    if url.isascii():
        return None
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return None
    if host.isascii():
        return None
    shown = ascii_host(host)
    return shown if shown != host else None


#: The start of a link in sanitised HTML (nh3 writes ``href`` first, in double quotes).
_LINK_START = re.compile(r'<a href="([^"]*)"[^>]*>')


def annotate_links(page: str) -> str:
    """``page`` with the ASCII form of every non-ASCII host written after its link:
    ``<a href="https://münchen.de/">…</a> <span class="cb-host">(xn--mnchen-3ya.de)</span>``.
    Linear: each link's end is the first ``</a>`` after it, found by bisection."""
    if page.isascii():
        return page
    ends = [m.end() for m in _LINK_END.finditer(page)]
    out, done = [], 0
    for m in _LINK_START.finditer(page):
        shown = host_note(html.unescape(m.group(1))) if not m.group(1).isascii() else None
        k = bisect.bisect_left(ends, m.end())
        if shown is None or k == len(ends) or ends[k] <= done:
            continue
        out += [page[done:ends[k]], f' <span class="cb-host">({html.escape(shown)})</span>']
        done = ends[k]
    return "".join(out) + page[done:] if out else page
