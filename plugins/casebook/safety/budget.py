"""Rendering budget: no accepted entry body can stall or crash the build.

Python-Markdown recurses once per level of nested lists and block quotes (a few
hundred levels end in ``RecursionError``) and, for some constructs, does work that
grows with the square of the input: every ``[`` is matched by reading on to its
``]`` (30 KB of nested or unclosed brackets take minutes), every ``<`` to its
``>``, and long definition lists, many headings, footnotes, tags and tiny blocks
cost more per character than text. :func:`check_budget` measures each of these
in linear time on the body as the validator sees it (code blanked out) and
refuses a body over the limits in ``data/render-budget.yaml``, with file, line
and a way out. Bodies within budget render within a small factor of ordinary
text of the same size (``tests/safety/test_render_budget.py`` measures it).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from importlib import resources

import yaml

from casebook.content.diagnostics import Collector, Diagnostic
from casebook.content.model import EntryFile
from casebook.i18n import msg
from casebook.safety.watchdog import OverBudget

Position = Callable[[int], tuple[int, int]]

_PREFIX = re.compile(r"^((?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))*)([ \t]*)(?=\S)",
                     re.M)
#: Two list or quote markers in a row (``1. 1.``, ``* >``): the start of nesting on one line.
_MARKER_PAIR = re.compile(r"(?:[-*+>]|\d{1,9}[.)])[ \t]+(?:[-*+>]|\d{1,9}[.)])(?:[ \t]|$)",
                          re.M)
_DEFINITION = re.compile(r"^[ \t]{0,3}:[ \t]", re.M)
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t]|$)|^[ \t]{0,3}(?:=+|-+)[ \t]*$", re.M)
_FOOTNOTE = re.compile(r"\[\^")
_TAG = re.compile(r"<[A-Za-z/!?]")
_BLOCK_BREAK = re.compile(r"\n[ \t]*\n")
_BRACKET = re.compile(r"[\[\]]|\n[ \t]*\n")


#: What is counted: the limit's key, where it is, a literal every occurrence holds, and
#: the message (made only for a body over the limit).
_COUNTED: list[tuple[str, re.Pattern[str], str, Callable[[int], str]]] = [
    ("max_definitions", _DEFINITION, ":", lambda limit: msg(
        "the body holds more than {limit} definition-list items; split the list with "
        "paragraphs or headings, or write it as a table", limit=limit)),
    ("max_headings", _HEADING, "#", lambda limit: msg(
        "the body holds more than {limit} headings; keep the body to the sections it "
        "needs", limit=limit)),
    ("max_footnotes", _FOOTNOTE, "[^", lambda limit: msg(
        "the body holds more than {limit} footnote marks ([^...]); cite the sources in "
        "the sources field instead", limit=limit)),
    ("max_tags", _TAG, "<", lambda limit: msg(
        "the body holds more than {limit} HTML tags; write it in Markdown", limit=limit)),
]


_ONE_PER_LINE = frozenset({"max_definitions", "max_headings"})


_LIST_MARKER = re.compile(r"[-*+\d][.)]?[ \t]")
_CLOSING = re.compile(">")


@functools.cache
def limits() -> dict[str, int]:
    """The limits, as ``data/render-budget.yaml`` states them."""
    text = resources.files("casebook").joinpath("data", "render-budget.yaml").read_text(
        encoding="utf-8")
    return {key: int(value) for key, value in yaml.safe_load(text).items()}


def over_budget(path: str, over: OverBudget, *, rendering: bool) -> Diagnostic:
    """The validation error of a file whose rendering (or checking) passed its hard
    budget (:func:`casebook.safety.watchdog.bounded`), naming the budget."""
    if over.kind == "depth":
        message = msg(
            "the Markdown of this file nests too deep to render (more than {limit} levels, "
            "render_depth in data/render-budget.yaml); flatten lists, quotes and "
            "brackets", limit=int(over.limit))
    elif rendering:
        message = msg(
            "rendering the Markdown of this file took longer than {limit} s (render_seconds "
            "in data/render-budget.yaml); shorten very long lines, headings, table cells "
            "and runs of spaces or brackets, and flatten nesting", limit=over.limit)
    else:
        message = msg(
            "checking this file took longer than {limit} s (check_seconds in "
            "data/render-budget.yaml); shorten very long lines and runs of repeated "
            "characters", limit=over.limit)
    return Diagnostic(path, 1, 1, "error", "render-budget", "body", message)


def check_budget(f: EntryFile, scan: str, at: Position, out: Collector) -> None:
    """Report where the body ``scan`` (code blanked out) goes over the budget."""
    budget = limits()
    _nesting(f, scan, at, budget["max_nesting"], out)
    lines = scan.count("\n")
    for key, pattern, literal, message in _COUNTED:
        limit = budget[key]
        if key in _ONE_PER_LINE and lines < limit:
            continue  # each needs a line of its own: too few lines to go over
        if literal[0] not in scan or scan.count(literal) <= limit:  # the common case
            continue
        for n, m in enumerate(pattern.finditer(scan), 1):
            if n > limit:
                out.error(f, at(m.start()), "render-budget", "body", message(limit))
                break
    blocks_allowed = budget["max_blocks"] + len(scan) // budget["characters_per_block"]
    if lines > blocks_allowed:  # every block ends with a line break
        for n, m in enumerate(_BLOCK_BREAK.finditer(scan), 1):
            if n > blocks_allowed:
                out.error(f, at(m.end()), "render-budget", "body", msg(
                    "the body is split into more than {limit} blocks (text between blank "
                    "lines), too many for its length; join short lines into paragraphs",
                    limit=blocks_allowed))
                break
    allowed = budget["work_allowance"] + budget["work_per_character"] * len(scan)
    _work(f, scan, at, allowed, out)


def _nesting(f: EntryFile, scan: str, at: Position, limit: int, out: Collector) -> None:
    if "\n" + " " * (4 * limit) not in scan and (">" not in scan or scan.count(">") <= limit) and (
            "\t" not in scan) and not _MARKER_PAIR.search(scan):
        return  # no line can be nested that deep (the common case: one search)
    for m in _PREFIX.finditer(scan):
        markers, indent = m.group(1), m.group(2)
        width = len(markers.expandtabs(4)) + len(indent.expandtabs(4))
        depth = max(width // 4, markers.count(">") + len(_LIST_MARKER.findall(markers)))
        if depth > limit:
            out.error(f, at(m.start()), "render-budget", "body", msg(
                "lists, quotes or indented blocks are nested more than {limit} levels deep "
                "here; Markdown cannot render that; flatten the structure", limit=limit))
            return


def _work(f: EntryFile, scan: str, at: Position, allowed: int, out: Collector) -> None:
    """The characters read past every ``[`` to its ``]`` (within its block) and past
    every tag-like ``<`` to the next ``>``; one finding at the opening that breaks
    the budget."""
    work = 0
    brackets = scan.count("[") if "[" in scan else 0
    if brackets and brackets * len(scan) > allowed:  # else even all unclosed fit
        stack: list[int] = []
        for m in _BRACKET.finditer(scan):
            ch = scan[m.start()]
            if ch == "[":
                stack.append(m.start())
            elif ch == "]":
                if stack:
                    work += m.start() - stack.pop()
            else:  # a blank line ends the block: the unclosed read to here
                work += sum(m.start() - s for s in stack)
                stack.clear()
            if work > allowed:
                _over(f, at, stack[0] if stack else m.start(), "[", out)
                return
        work += sum(len(scan) - s for s in stack)
        if work > allowed:
            _over(f, at, stack[0], "[", out)
            return
    tags = scan.count("<") if "<" in scan else 0
    if tags and tags * len(scan) > allowed - work:
        closings = [m.start() for m in _CLOSING.finditer(scan)]
        for m in _TAG.finditer(scan):
            k = bisect.bisect_left(closings, m.start())
            work += (closings[k] if k < len(closings) else len(scan)) - m.start()
            if work > allowed:
                _over(f, at, m.start(), "<", out)
                return


def _over(f: EntryFile, at: Position, index: int, what: str, out: Collector) -> None:
    closing = "]" if what == "[" else ">"
    out.error(f, at(index), "render-budget", "body", msg(
        "too many unclosed or deeply nested '{opening}' from here on: rendering the body "
        "would take minutes; close each '{opening}' with '{closing}', or write it as "
        "\\{opening} or in `code`", opening=what, closing=closing))
