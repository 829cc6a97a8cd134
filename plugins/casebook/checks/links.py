"""``casebook links``: check the external links of every entry.

Collects the ``http(s)`` URLs of the front-matter (``links``, ``sources``,
building blocks, organisation websites) and of the Markdown bodies, requests
each distinct URL once (``HEAD``, falling back to ``GET`` where a server refuses
``HEAD``) with the standard library only, and reports the broken ones as
warnings in the validator's formats. With ``--format github`` the broken links
also go to the job summary. The exit status is 0 unless ``--strict`` is given:
a link that breaks is news for the editors, not a failed build.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from casebook.commandline import find_root
from casebook.content.diagnostics import FORMATTERS, Diagnostic
from casebook.content.frontmatter import path_to_field
from casebook.content.model import EntryFile, KnowledgeBase, load

OK, FINDINGS, USAGE = 0, 1, 2
USER_AGENT = "casebook-links/1 (+link check of a knowledge base)"
_BODY_LINK = re.compile(r"\]\(\s*<?(https?://[^)\s>]+)|<(https?://[^>\s]+)>", re.I)
#: Statuses after which a GET is tried because some servers refuse HEAD.
_RETRY_WITH_GET = {403, 404, 405, 429, 500, 501, 503}


@dataclass(frozen=True, slots=True)
class Link:
    """One occurrence of an external URL in a file."""

    url: str
    path: str
    line: int
    column: int
    field: str


@dataclass(frozen=True, slots=True)
class Result:
    """Outcome of requesting one URL."""

    url: str
    ok: bool
    status: str


def _fact_urls(f: EntryFile) -> Iterable[tuple[tuple[str | int, ...], str]]:
    data = f.data
    for key in ("links", "sources", "building_blocks"):
        items = data.get(key)
        if isinstance(items, list):
            for i, item in enumerate(items):
                if isinstance(item, dict) and isinstance(item.get("url"), str):
                    yield (key, i, "url"), item["url"]
    if isinstance(data.get("website"), str):
        yield ("website",), data["website"]


def collect(kb: KnowledgeBase) -> list[Link]:
    """Every external http(s) link of every file, in file order."""
    out: list[Link] = []
    for f in kb.files():
        if f.doc.data is None:
            continue
        for path, url in _fact_urls(f):
            if url.lower().startswith(("http://", "https://")):
                line, col = f.doc.position(path)
                out.append(Link(url, f.rel, line, col, path_to_field(path)))
        body = f.doc.body
        for m in _BODY_LINK.finditer(body):
            url = m.group(1) or m.group(2)
            start = m.start(1) if m.group(1) else m.start(2)
            line = f.doc.body_line + body.count("\n", 0, start)
            col = start - (body.rfind("\n", 0, start) + 1) + 1
            out.append(Link(url, f.rel, line, col, "body"))
    return out


def _request(url: str, method: str, timeout: float) -> int:
    req = urllib.request.Request(url, method=method, headers={
        "User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # http(s) only, checked above
            if method == "GET":
                resp.read(1024)
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def check_url(url: str, timeout: float = 15.0) -> Result:
    """Request ``url``: ``HEAD``, then ``GET`` where the server refuses ``HEAD``."""
    if not url.lower().startswith(("http://", "https://")):
        return Result(url, False, "not an http(s) URL")
    try:
        status = _request(url, "HEAD", timeout)
        if status in _RETRY_WITH_GET:
            status = _request(url, "GET", timeout)
    except urllib.error.URLError as exc:
        return Result(url, False, f"unreachable: {exc.reason}")
    except (TimeoutError, OSError, ValueError) as exc:
        return Result(url, False, f"unreachable: {exc}")
    if status >= 400:
        return Result(url, False, f"HTTP {status}")
    return Result(url, True, f"HTTP {status}")


def check(links: Sequence[Link], *, timeout: float = 15.0, workers: int = 8) -> dict[str, Result]:
    """Check each distinct URL once, several at a time."""
    urls = list(dict.fromkeys(link.url for link in links))
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(pool.map(lambda u: check_url(u, timeout), urls))
    return {r.url: r for r in results}


def diagnostics(links: Sequence[Link], results: dict[str, Result]) -> list[Diagnostic]:
    """A warning for every occurrence of a broken URL."""
    out = []
    for link in links:
        r = results.get(link.url)
        if r is None or r.ok:
            continue
        out.append(Diagnostic(link.path, link.line, link.column, "warning", "broken-link",
                              link.field, f"'{link.url}' does not answer ({r.status}); "
                              "fix or remove the link, or link to an archived copy"))
    return sorted(out)


def step_summary(found: Sequence[Diagnostic], checked: int) -> str:
    """Markdown for the job summary: how many URLs, and a table of broken ones."""
    lines = ["## Casebook links", "",
             f"{len(found)} broken link(s) among {checked} distinct URL(s) · "
             f"{len(found)} kapotte link(s) van {checked} verschillende URL('s)", ""]
    if found:
        lines += ["| File | Line | Field | Problem |", "|---|---:|---|---|"]
        for d in found:
            msg = d.message.replace("|", "\\|")
            lines.append(f"| `{d.path}` | {d.line} | `{d.field}` | {msg} |")
    return "\n".join(lines) + "\n"


def summary_line(found: Sequence[Diagnostic], checked: int) -> str:
    """``1 broken link among 12 URLs``."""
    return (f"{len(found)} broken link{'s' if len(found) != 1 else ''} among {checked} "
            f"URL{'s' if checked != 1 else ''}")


def render(found: Sequence[Diagnostic], checked: int, fmt: str) -> str:
    """The report in ``text``, ``json`` or ``github`` format."""
    if fmt == "json":
        return json.dumps({"broken": len(found), "checked": checked,
                           "diagnostics": [d.as_dict() for d in found]},
                          ensure_ascii=False, indent=2) + "\n"
    lines = FORMATTERS[fmt](found, checked).splitlines()[:-1]  # without its summary line
    return "\n".join([*lines, summary_line(found, checked)]) + "\n"


def run(args: argparse.Namespace) -> int:
    """The ``casebook links`` command."""

    root = args.root.resolve() if args.root else find_root(Path.cwd())
    if not (root / "content").is_dir():
        print(f"casebook: error: no content/ folder in {root}; pass --root\n"
              f"casebook: fout: geen map content/ in {root}; geef --root mee", file=sys.stderr)
        return USAGE
    kb = load(root)
    links = collect(kb)
    results = check(links, timeout=args.timeout, workers=args.workers)
    found = diagnostics(links, results)
    sys.stdout.write(render(found, len(results), args.format))
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if args.format == "github" and target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(step_summary(found, len(results)))
    return FINDINGS if (args.strict and found) else OK


def add_subcommand(subparsers: argparse._SubParsersAction) -> None:
    """Register ``casebook links``."""
    p = subparsers.add_parser(
        "links", help="check the external links of every entry / controleer externe links",
        description="Request every external link of the knowledge base once and report the "
                    "broken ones as warnings. Exit status 0 unless --strict.")
    p.add_argument("--root", type=Path, default=None,
                   help="knowledge base folder (default: the folder holding mkdocs.yml)")
    p.add_argument("--format", choices=("text", "json", "github"), default="text")
    p.add_argument("--timeout", type=float, default=15.0, help="seconds per request")
    p.add_argument("--workers", type=int, default=8, help="requests at a time")
    p.add_argument("--strict", action="store_true", help="exit 1 when a link is broken")
    p.set_defaults(func=run)
