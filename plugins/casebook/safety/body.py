"""Body safety: what an entry's text may contain before it is rendered.

The validator calls :func:`check_text` on every file and :func:`check_body` on
every body. They refuse active HTML, script URLs in every disguise, assets that
are not files inside ``content/``, snippet includes that leave the repository and
invisible characters, with file, line and column. Together with
:mod:`casebook.safety.sanitize` (after Markdown) and :mod:`casebook.safety.htmlscan` (after the
build) this module is the safety model for entry bodies.
"""

from __future__ import annotations

import bisect
import html
import os
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from casebook.content.diagnostics import Collector
from casebook.content.frontmatter import path_to_field
from casebook.content.model import EntryFile
from casebook.i18n import msg
from casebook.safety.budget import check_budget
from casebook.safety.htmlscan import BAD_SCHEMES
from casebook.safety.urls import host_problem
from casebook.safety.values import FORMAT, character_name, is_part_of_emoji, unsafe_in_text, why

#: Characters that can hide or reorder text (a subset of :data:`UNSAFE_IN_TEXT`).
UNSAFE_INVISIBLE = re.compile(f"[{FORMAT}]")
#: Deletes printable ASCII, tab and line breaks: what remains of ASCII text is control.
_DROP_PRINTABLE_ASCII = str.maketrans("", "", "".join(map(chr, range(32, 127))) + "\t\n\r")
# Code is skipped when looking for unsafe HTML, found as Python-Markdown finds it
# (see _blank_fences and _blank_code_spans); where in doubt the text is scanned.
# A comment is only skipped when it holds no markup at all.
#: Fence lines. Fences are found line by line (see :func:`_blank_fences`): a regular
#: expression over the whole body takes quadratic time on many unclosed fences.
_FENCE_OPEN = re.compile(
    r"(~{3,}|`{3,})[ ]*(?:\{[^\n]*\}|(?:\.?[\w#.+-]*[ ]*)?(?:hl_lines=(\"|').*?\2[ ]*)?)")
_FENCE_CLOSE = re.compile(r"(~{3,}|`{3,})[ ]*")
_BACKTICKS = re.compile(r"`+")
_HTML_COMMENT = re.compile(r"<!--(?!-?>)[^<>]*?-->")
_DANGEROUS_TAG = re.compile(
    r"<\s*(script|iframe|object|embed|form|style|base|meta|frame|frameset|applet|link|svg|math)\b",
    re.I,
)
#: A start tag up to its '>' (quoted values may hold '>'); possessive, so linear in time.
_TAG = re.compile(r"<[A-Za-z](?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+")
_EVENT_ATTR = re.compile(r"[\s/\"'](on[a-z]+)\s*=", re.I)
#: The refused schemes (the same list the post-build scan refuses), matched after
#: the characters browsers drop from a URL are removed.
_BAD_URL = re.compile("(" + "|".join(re.escape(s.rstrip(":")) for s in BAD_SCHEMES) + r")\s*:",
                      re.I)
_BAD_URL_WHY = {
    "file": msg("point at files on the reader's own computer"),
}
_URL_ATTR = re.compile(
    r"\b(href|src|srcset|action|formaction|poster|background|xlink:href|data)\s*=\s*"
    r"(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<uq>[^\s\"'>]+))",
    re.I,
)
#: Markdown link reference definitions: ``[label]: url``.
#: The address may stand on the next line (Python-Markdown reads it there too).
_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\n?[ \t]*<?(\S+?)>?(?:[ \t]|$)", re.M)
#: Characters browsers drop from URLs, so ``java&#9;script:`` still runs.
_URL_JUNK = re.compile(r"[\x00-\x20\x7f]+")
_MD_LINK = re.compile(r"(!?)\[[^\[\]\n]*\]\(\s*<?([^)\s>]+)")
#: The target of every inline link, whatever its text (nested brackets, line breaks).
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)")
#: A link target broken over lines (``](java`` newline ``script:...)``): Python-Markdown
#: keeps the line break in the address and browsers drop it, so it is read joined.
_SPLIT_TARGET = re.compile(r"\]\(\s*<?([^()<>\s]*(?:[ \t]*\n[ \t]*[^()<>\s]+)+)")
#: ``<bdo>`` overrides the direction of text, as U+202E does.
_BDO = re.compile(r"<\s*bdo\b", re.I)
#: ``![alt][label]``: an image that takes its address from a reference definition.
_IMAGE_REF = re.compile(r"!\[([^\[\]\n]*)\](?:\[([^\[\]\n]*)\])?")
_REF_LABEL = re.compile(r"^ {0,3}\[([^\]\n]+)\]:", re.M)
# The scheme holds no ':' (so ``<a:a:a:...`` is read once, not once per colon).
_AUTOLINK = re.compile(r"<([^<>\s\"':]+:[^<>\s\"']*)>")
#: Attribute lists (``attr_list``): ``{: #id .class key="value"}`` after a block or inline.
# No separate ``[ \t]*`` before the text: two runs that both take spaces backtrack
# quadratically on ``{:`` and 150,000 spaces.
_ATTR_LIST = re.compile(r"\{:?([^{}\n=]*=[^{}\n]*)\}")
_ATTR_ACTIVE = re.compile(r"(?:^|[\s:\"'])(on[a-z]+|style)\s*=", re.I)
_STYLE_ATTR = re.compile(r"[\s/\"'](style)\s*=", re.I)
#: pymdownx.snippets include lines: ``--8<-- "file"`` or a block between ``--8<--`` lines.
_SNIPPET_INLINE = re.compile(
    r"^[ \t]*-+8<-+[ \t]+(?:\"((?:\\\"|[^\"\n])+?)\"|'((?:\\'|[^'\n])+?)')[ \t]*$")
_SNIPPET_BLOCK = re.compile(r"^[ \t]*-+8<-+[ \t]*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


_PROTOCOL_RELATIVE = re.compile(r"(?i)^(https?:)?//")
_DRIVE_PATH = re.compile(r"^[A-Za-z]:[\\/]")
_SCHEME_SLASHES = re.compile(r"(?i)^[a-z][a-z0-9+.-]*://")
_DRIVE = re.compile(r"^[A-Za-z]:")
_PATH_SEPARATORS = re.compile(r"[\\/]+")


def check_body(f: EntryFile, out: Collector) -> tuple[str, Callable[[int], tuple[int, int]]]:
    """Report unsafe markup, URLs, assets and includes in the body of ``f``.

    Returns the body with code blanked out (so later checks skip code too) and
    the function that turns an index in it into a (line, column) position."""
    body = f.doc.body
    start = f.doc.body_line
    scan = body.replace("\r\n", "\n") if "\r" in body else body  # CRLF: same lines
    # Each multi-character search is guarded by a search for one of its characters:
    # one character is found many times faster, and most bodies hold none of them.
    if "<" in scan and "8<-" in scan:  # snippets are included before Markdown sees code blocks
        _check_snippets(f, scan, start, out)
    source = scan
    if "`" in scan or ("~" in scan and "~~~" in scan):
        scan = _blank_fences(scan)
        scan = _blank_code_spans(scan)
    if "\n    " in scan or "\n\t" in scan or scan[:1] in (" ", "\t"):
        scan = _blank_indented_code(scan, source)
    if "<" in scan and "<!--" in scan:
        scan = _HTML_COMMENT.sub(_blank, scan)
    has_tag = "<" in scan

    def at(index: int) -> tuple[int, int]:
        line = scan.count("\n", 0, index)
        col = index - (scan.rfind("\n", 0, index) + 1) + 1
        return start + line, col

    for m in _DANGEROUS_TAG.finditer(scan) if has_tag else ():
        out.error(f, at(m.start()), "unsafe-html", "body",
                  msg("<{tag}> is not allowed in the body: it can run script or load active "
                      "content; describe it in text or link to it", tag=m.group(1).lower()))
    for tag in _TAG.finditer(scan) if has_tag else ():
        text = tag.group()
        for m in _EVENT_ATTR.finditer(text):
            out.error(f, at(tag.start() + m.start(1)), "unsafe-html", "body",
                      msg("the event attribute '{name}' can run script; remove it",
                          name=m.group(1)))
        for m in _STYLE_ATTR.finditer(text):
            out.error(f, at(tag.start() + m.start(1)), "unsafe-html", "body",
                      msg("the 'style' attribute can restyle or hide the page and load "
                          "content; remove it"))
    for m in _URL_ATTR.finditer(scan) if has_tag else ():
        _attr_url(f, at, m, out)
    attr_lists = list(_ATTR_LIST.finditer(scan)) if "{" in scan else []
    for m in attr_lists:
        inner = m.group(1)
        for a in _ATTR_ACTIVE.finditer(inner):
            name = a.group(1)
            what = (msg("can run script") if name.lower() != "style"
                    else msg("can restyle or hide the page and load content"))
            out.error(f, at(m.start(1) + a.start(1)), "unsafe-html", "body",
                      msg("the attribute list sets '{name}', which {what}; remove it",
                          name=name, what=what))
        base = m.start(1)
        for a in _URL_ATTR.finditer(inner):
            _attr_url(f, lambda i, b=base: at(b + i), a, out)
    image_labels: set[str] = set()
    closes = "]" in scan
    links = closes and "](" in scan
    if "!" in scan and "![" in scan:
        for m in _IMAGE_REF.finditer(scan):
            image_labels.add((m.group(2) or m.group(1)).strip().lower())
    for m in _REF_DEF.finditer(scan) if closes and "]:" in scan else ():
        label = _REF_LABEL.match(scan, m.start())
        is_image = bool(label) and label.group(1).strip().lower() in image_labels
        _body_url(f, at(m.start(1)), m.group(1), is_image, out)
    images: set[int] = set()
    for m in _MD_LINK.finditer(scan) if links else ():
        if m.group(1) == "!":
            images.add(m.start(2))
            _body_url(f, at(m.start(2)), m.group(2), True, out)
    for m in _LINK_TARGET.finditer(scan) if links else ():
        if m.start(1) not in images:
            _body_url(f, at(m.start(1)), m.group(1), False, out)
    for m in _SPLIT_TARGET.finditer(scan) if links else ():
        joined = _URL_JUNK.sub("", html.unescape(m.group(1)))
        if _BAD_URL.match(joined):
            _body_url(f, at(m.start(1)), joined, False, out)
    for m in _BDO.finditer(scan) if has_tag else ():
        out.error(f, at(m.start()), "unsafe-html", "body",
                  msg("<bdo> reverses the direction of text, so what a reader sees is not "
                      "what is written; remove it"))
    for m in _AUTOLINK.finditer(scan) if has_tag else ():
        _body_url(f, at(m.start(1)), m.group(1), False, out)
    check_budget(f, scan, at, out)
    return scan, at


def check_text(f: EntryFile, out: Collector) -> None:
    """Report characters that can hide, reorder or break text, wherever they are
    written as themselves: bidirectional controls, invisible format characters
    (Unicode category Cf, tag characters, Hangul fillers), noncharacters and, in
    the body, control characters (YAML itself refuses them in the front-matter).
    See :mod:`casebook.safety.values` for characters written as YAML escapes."""
    text = f.doc.text
    if not text:
        return
    if text.isascii() and not text.translate(_DROP_PRINTABLE_ASCII):
        return  # only control characters were possible here (the common case)
    body_start = f.doc.body_start or len(text)
    for m in unsafe_in_text(text).finditer(text):
        index = m.start()
        ch = m.group()
        if is_part_of_emoji(text, index):
            continue  # 👩‍💻, 🏴󠁧󠁢󠁳󠁣󠁴󠁿: part of the emoji
        control = ch < "\xa0"
        if control and index < body_start and ch != "\x85":  # YAML reads NEL as a line break
            continue  # YAML refuses it in the front-matter, with its own message
        line = text.count("\n", 0, index) + 1
        col = index - (text.rfind("\n", 0, index) + 1) + 1
        if UNSAFE_INVISIBLE.match(ch):
            out.error(f, (line, col), "invisible-character", _field_on_line(f, line),
                      msg("{name} is invisible and can hide or reorder text; delete it",
                          name=character_name(ch)))
        else:
            out.error(f, (line, col), "unsafe-character", _field_on_line(f, line),
                      msg("{name} is {why}; delete it", name=character_name(ch), why=why(ch)))


def _field_on_line(f: EntryFile, line: int) -> str:
    """The field a file line belongs to: ``body``, the front-matter key, or ''."""
    doc = f.doc
    if doc.body_start and line >= doc.body_line:
        return "body"
    if doc.data is None or line < 2:
        return ""
    best: tuple[int, tuple[Any, ...]] | None = None
    for path, mark in doc.key_marks.items():
        key_line = mark.line + doc.line_offset
        if key_line <= line and (best is None or key_line > best[0]
                                 or (key_line == best[0] and len(path) > len(best[1]))):
            best = (key_line, path)
    return path_to_field(best[1]) if best else ""


def _blank_fences(text: str) -> str:
    """Blank out fenced code blocks exactly as Python-Markdown's ``fenced_code`` finds
    them: an opening fence at the start of a line, closed by the next line holding the
    same fence. An unclosed fence is text. Linear in time (no regex over the body)."""
    lines = text.split("\n")
    closers: dict[str, list[int]] = defaultdict(list)
    candidates = []
    for j, line in enumerate(lines):
        if line[:3] in ("```", "~~~"):
            candidates.append(j)
            m = _FENCE_CLOSE.fullmatch(line)
            if m:
                closers[m.group(1)].append(j)
    after = 0  # lines before this index are already inside a blanked block
    for i in candidates:
        if i < after:
            continue
        m = _FENCE_OPEN.fullmatch(lines[i])
        if not m:
            continue
        found = closers.get(m.group(1), [])
        k = bisect.bisect_right(found, i)
        if k == len(found):
            continue
        j = found[k]
        for n in range(i, j + 1):
            lines[n] = " " * len(lines[n])
        after = j + 1
    return "\n".join(lines)


_LIST_ITEM = re.compile(r"[ ]{0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_RAW_HTML_START = re.compile(r"[ ]{0,3}<[A-Za-z!?/]")


def _blank_indented_code(text: str, source: str) -> str:
    """Blank out of ``text`` the indented code blocks Python-Markdown finds in
    ``source`` (the body before other code was blanked; same lines and lengths): a
    block (after a blank line) indented four spaces or a tab, that does not continue
    a list item. Conservative where Markdown would read HTML instead: after the first
    line that starts a raw HTML block (whose indented lines are HTML), or any fenced
    code (whose lines the fence decides), nothing is blanked."""
    lines = text.split("\n")
    blank_before, in_list, in_code = True, False, False
    for n, line in enumerate(source.split("\n")):
        if line.lstrip(" ")[:3] in ("```", "~~~"):
            break
        if not line.strip():
            blank_before = True
            continue
        indented = line.startswith("\t") or line.startswith("    ")
        if not indented:
            if _RAW_HTML_START.match(line):
                break
            if _LIST_ITEM.match(line):
                in_list = True
            elif blank_before:
                in_list = False
            in_code = False
        elif in_code or (blank_before and not in_list):
            in_code = True
            lines[n] = " " * len(line)
        blank_before = False
    return "\n".join(lines)


def _blank_code_spans(text: str) -> str:
    """Blank out code spans: a run of backticks up to the next run of the same length
    on the same line. Linear in time, however many unmatched runs a line holds.

    Python-Markdown pairs backticks across the lines of a paragraph and splits
    unmatched runs, so once a paragraph holds an unmatched or escaped run, the rest
    of it is left to be scanned: text may then be reported that Markdown shows as
    code, but code is never assumed where Markdown shows markup."""
    lines = text.split("\n")
    unsure = False  # this paragraph had a run whose pairing is not known
    for n, line in enumerate(lines):
        if not line.strip():
            unsure = False
            continue
        if "`" not in line or unsure:
            continue
        runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
        following: list[int] = [-1] * len(runs)  # next run of the same length
        seen: dict[int, int] = {}
        for i in range(len(runs) - 1, -1, -1):
            size = runs[i][1] - runs[i][0]
            following[i] = seen.get(size, -1)
            seen[size] = i
        chars = list(line)
        i = 0
        while i < len(runs):
            start = runs[i][0]
            j = following[i]
            if j < 0 or (start and line[start - 1] == "\\"):
                unsure = True
                break
            chars[start:runs[j][1]] = " " * (runs[j][1] - start)
            i = j + 1
        lines[n] = "".join(chars)
    return "\n".join(lines)


def _blank(match: re.Match[str]) -> str:
    return "".join(c if c == "\n" else " " for c in match.group())


def _attr_url(f: EntryFile, at: Any, m: re.Match[str], out: Collector) -> None:
    """Check the URL of one ``name="value"`` attribute match of :data:`_URL_ATTR`."""
    group = next(g for g in ("dq", "sq", "uq") if m.group(g) is not None)
    name, value, begin = m.group(1).lower(), m.group(group), m.start(group)
    if name != "srcset":
        _body_url(f, at(begin), value, name in ("src", "poster", "background", "data"), out)
        return
    offset = 0
    for candidate in value.split(","):  # "a.png 1x, b.png 2x"
        stripped = candidate.lstrip()
        url = stripped.split()[0] if stripped.strip() else ""
        if url:
            lead = len(candidate) - len(stripped)
            _body_url(f, at(begin + offset + lead), url, True, out)
        offset += len(candidate) + 1


def _body_url(f: EntryFile, pos: tuple[int, int], url: str, is_asset: bool,
              out: Collector) -> None:
    plain = _URL_JUNK.sub("", html.unescape(url))
    if _BAD_URL.match(plain):
        scheme = plain.split(":", 1)[0].lower()
        why = _BAD_URL_WHY.get(scheme) or msg("can run script or embed active content")
        out.error(f, pos, "unsafe-html", "body",
                  msg("'{scheme}:' URLs {why}; remove the link", scheme=scheme, why=why))
        return
    misleading = host_problem(plain) if plain[:4].lower() == "http" else None
    if misleading:
        out.error(f, pos, "url-host", "body", misleading)
        return
    if is_asset and _PROTOCOL_RELATIVE.match(url):
        out.error(f, pos, "external-asset", "body",
                  msg("the image '{url}' is loaded from another site; put the file in the "
                      "repository and link to it with a relative path", url=url))
        return
    if is_asset:
        _asset_path(f, pos, url, out)


def _asset_path(f: EntryFile, pos: tuple[int, int], url: str, out: Collector) -> None:
    """An image or other asset must be a file inside ``content/`` (no link, no escape)."""
    if not url or url.startswith("#") or _SCHEME.match(url):
        return  # other schemes: https is allowed, the rest is reported above
    example = msg("for example ../images/plan.png (images live in content/images/)")
    if "\\" in url:
        out.error(f, pos, "asset-path", "body",
                  msg("the path '{url}' uses backslashes; write it with forward slashes (/), "
                      "{example}", url=url, example=example))
        return
    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    if _URL_JUNK.search(path.replace(" ", "")):
        out.error(f, pos, "asset-path", "body",
                  msg("'{url}' holds an encoded control character, so it cannot name a file; "
                      "use letters, digits and hyphens, {example}", url=url, example=example))
        return
    if path.startswith(("/", "~")) or "\\" in path:
        out.error(f, pos, "asset-path", "body",
                  msg("'{url}' is an absolute path; write the path relative to this file, "
                      "{example}", url=url, example=example))
        return
    content = f.path.parent.parent
    target = Path(os.path.normpath(f.path.parent / path))
    if target != content and content not in target.parents:
        out.error(f, pos, "asset-path", "body",
                  msg("'{url}' points outside content/; put the file inside content/ and "
                      "link to it with a relative path, {example}", url=url, example=example))
        return
    try:
        step = target
        while step != content:
            if step.is_symlink():
                out.error(f, pos, "asset-path", "body",
                          msg("'{url}' is (or passes through) a symbolic link ({link}); put "
                              "the file itself in the repository", url=url,
                              link=step.relative_to(content.parent).as_posix()))
                return
            step = step.parent
        found = target.is_file()
    except (OSError, ValueError):  # a NUL byte (%00) or a name too long for the system
        found = False
    if not found:
        out.error(f, pos, "missing-asset", "body",
                  msg("'{url}' does not exist ({file} was not found); add the file or correct "
                      "the path", url=url, file=target.relative_to(content.parent).as_posix()))


def _check_snippets(f: EntryFile, body: str, start: int, out: Collector) -> None:
    """Snippet includes (pymdownx.snippets) may not read outside the repository."""
    in_block = False
    for i, line in enumerate(body.split("\n")):
        if "8<-" not in line and not in_block:
            continue
        if _SNIPPET_BLOCK.match(line):
            in_block = not in_block
            continue
        name, col = "", 0
        m = _SNIPPET_INLINE.match(line)
        if m:
            g = 1 if m.group(1) is not None else 2
            name, col = m.group(g), m.start(g)
        elif in_block and line.strip() and not line.lstrip().startswith(";"):
            name, col = line.strip(), len(line) - len(line.lstrip())
        if name and _escapes_repository(name):
            out.error(f, (start + i, col + 1), "unsafe-include", "body",
                      msg("the snippet include '{name}' reads a file outside the repository; "
                          "copy the text you need into the entry instead", name=name))



def _escapes_repository(name: str) -> bool:
    """True for an include path that is absolute, remote, or climbs with '..'."""
    path = name.split(":", 1)[0] if not _DRIVE_PATH.match(name) else name
    if _SCHEME_SLASHES.match(name):
        return True
    if path.startswith(("/", "\\", "~")) or _DRIVE.match(path):
        return True
    return ".." in _PATH_SEPARATORS.split(path)
