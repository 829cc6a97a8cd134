"""``casebook review``: what needs an editor, in the order an editor should take it.

1. Issue forms waiting for an editor (labelled ``new case``, not yet ``accepted``):
   a person waits for an answer (from ``--issues``, the JSON of ``gh issue list``).
2. Entries whose ``reviewed`` date is older than ``--stale-after`` days (365 by
   default), oldest first: their facts may no longer hold.
3. Links that failed (from ``--links``, the JSON of ``casebook links --format json``):
   readers click them.
4. Entries waiting for a translation (one language file only), then machine
   translations waiting for a person.
5. Validator warnings (an acknowledged warning is not one).

Printed as text for a terminal or as Markdown for the issue a scheduled workflow
keeps up to date (``.github/workflows/review.yml``). Group counts are written as
"(3)"; a number in a sentence takes its plural form from the catalogue.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook.checks.validate import validate
from casebook.commandline import find_root
from casebook.content.model import KnowledgeBase, load
from casebook.i18n import LANGUAGES, Message, msg, msg_n, resolve_language, translate

#: Days after which a ``reviewed`` date counts as stale.
STALE_AFTER = 365
#: The labels of the issue form (``.github/ISSUE_TEMPLATE/new-case.yml``) and of acceptance.
FORM_LABEL, ACCEPTED_LABEL = "new case", "accepted"


@dataclass(slots=True)
class Item:
    """One thing to do: where (a file or an issue) and what."""

    where: str
    what: Message
    #: An issue number (the line links to the issue) or None (the line names a file).
    issue: int | None = None


@dataclass(slots=True)
class Group:
    """The items of one kind of work, in order."""

    title: Message
    items: list[Item] = field(default_factory=list)
    #: Said under the title when the group could not be filled (links not checked).
    note: Message | None = None


def _reviewed(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def stale(kb: KnowledgeBase, today: dt.date, days: int) -> list[Item]:
    """Entries whose facts were last checked more than ``days`` days before ``today``."""
    found: list[tuple[dt.date, Item]] = []
    for entry in kb.entries():
        original = entry.original
        day = _reviewed(entry.facts.get("reviewed")) if original is not None else None
        if day is not None and (today - day).days > days:
            found.append((day, Item(original.rel, msg_n(
                "reviewed on {date}, {n} day ago; check the facts against the sources and set "
                "a new date", "reviewed on {date}, {n} days ago; check the facts against the "
                "sources and set a new date", (today - day).days, date=day.isoformat()))))
    return [item for _, item in sorted(found, key=lambda pair: (pair[0], pair[1].where))]


def broken_links(report: dict[str, Any]) -> list[Item]:
    """The failing links of a ``casebook links --format json`` report."""
    items = []
    for d in report.get("diagnostics") or []:
        if isinstance(d, dict) and d.get("path"):
            items.append(Item(f"{d['path']}:{d.get('line', 1)}", msg(
                "{field}: {problem}", field=str(d.get("field") or ""),
                problem=str(d.get("message_localized") or d.get("message") or ""))))
    return items


def untranslated(kb: KnowledgeBase) -> list[Item]:
    """Entries with one language file, then translations a machine made."""
    missing, machine = [], []
    for entry in sorted(kb.entries(), key=lambda e: (e.collection, e.id)):
        original = entry.original
        if original is None:
            continue
        for lang in LANGUAGES:
            if lang not in entry.files:
                missing.append(Item(original.rel, msg(
                    "no {lang} text yet; add {file}", lang=_language_name(lang),
                    file=f"content/{entry.collection}/{entry.id}.{lang}.md")))
            elif entry.translation_kind(lang) == "machine":
                machine.append(Item(entry.files[lang].rel, msg(
                    "machine translation; a person reads it and sets translation: human")))
    return missing + machine


def _language_name(lang: str) -> Message:
    return {"nl": msg("Dutch"), "en": msg("English")}[lang]


def waiting_forms(issues: list[dict[str, Any]]) -> list[Item]:
    """Open issue forms not yet accepted, oldest first."""
    items = []
    for issue in sorted(issues, key=lambda i: (str(i.get("createdAt") or ""), i.get("number", 0))):
        labels = {str(label.get("name") if isinstance(label, dict) else label)
                  for label in issue.get("labels") or []}
        if FORM_LABEL in labels and ACCEPTED_LABEL not in labels and isinstance(
                issue.get("number"), int):
            since = str(issue.get("createdAt") or "")[:10]
            items.append(Item(f"#{issue['number']}", msg(
                "'{title}', submitted {date}; check it and add the label '{label}'",
                title=str(issue.get("title") or ""), date=since, label=ACCEPTED_LABEL),
                issue=issue["number"]))
    return items


def queue(root: Path, *, today: dt.date, days: int = STALE_AFTER,
          links: dict[str, Any] | None = None,
          issues: list[dict[str, Any]] | None = None) -> list[Group]:
    """The editor's queue: every group, in priority order (empty groups included)."""
    kb = load(root)
    diagnostics, _ = validate(root, kb=kb, today=today)
    warnings = [Item(f"{d.path}:{d.line}", msg("{field}: {problem}", field=d.field,
                                                 problem=d.message))
                for d in diagnostics if d.severity == "warning"]
    return [
        Group(msg("Issue forms waiting for an editor"), waiting_forms(issues or [])),
        Group(msg_n("Facts not reviewed for more than {n} day",
                    "Facts not reviewed for more than {n} days", days),
              stale(kb, today, days)),
        Group(msg("Links that failed"), broken_links(links or {}),
              None if links is not None else msg(
                  "not checked: run casebook links --format json and pass its report with "
                  "--links")),
        Group(msg("Waiting for a translation"), untranslated(kb)),
        Group(msg("Warnings of the validator"), warnings),
    ]


def render(groups: list[Group], lang: str, fmt: str, *, today: dt.date,
           file_url: str | None = None) -> str:
    """The queue as ``text`` or ``markdown`` in ``lang``."""
    say = lambda m: translate(m, lang)  # noqa: E731
    total = sum(len(g.items) for g in groups)
    title = say(msg("Editor's queue, {date}", date=today.isoformat()))
    lines = [f"# {title}" if fmt == "markdown" else title]
    if total == 0:
        lines += ["", say(msg("Nothing waits for an editor."))]
    for n, group in enumerate(groups, 1):
        head = f"{n}. {say(group.title)} ({len(group.items)})"
        lines += ["", f"## {head}" if fmt == "markdown" else head]
        if group.note is not None:
            lines.append(say(group.note) if fmt == "text" else f"_{_md_text(say(group.note))}_")
        for item in group.items:
            text = say(item.what)
            if fmt == "markdown":
                where = _md_where(item, file_url)
                lines.append(f"- {where}: {_md_text(text)}")
            else:
                lines.append(f"   {item.where}: {text}")
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_where(item: Item, file_url: str | None) -> str:
    if item.issue is not None:
        return f"#{item.issue}"
    path, _, line = item.where.partition(":")
    if file_url:
        anchor = f"#L{line}" if line else ""
        return f"[`{item.where}`]({file_url.rstrip('/')}/{path}{anchor})"
    return f"`{item.where}`"


def _md_text(text: str) -> str:
    """Text from entries and issues, inert in Markdown: no markup, no mentions."""
    out = []
    for ch in " ".join(text.split()):
        out.append("\\" + ch if ch in "\\`*_{}[]<>()#+!|@~&" else ch)
    return "".join(out)


def _read_json(path: Path | None) -> Any:
    if path is None:
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def run(args: argparse.Namespace) -> int:
    """``casebook review``: print the queue; exit 0 (the queue is information, not a check)."""
    root = args.root.resolve() if args.root else find_root(Path.cwd())
    if not (root / "content").is_dir():
        print(f"casebook: error: no content/ folder in {root}; pass --root", file=sys.stderr)
        return 2
    try:
        today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
        links = _read_json(args.links)
        issues = _read_json(args.issues)
        if links is not None and not isinstance(links, dict):
            raise ValueError(f"{args.links}: not the JSON of casebook links --format json")
        if issues is not None and not isinstance(issues, list):
            raise ValueError(f"{args.issues}: not the JSON list of gh issue list --json")
        lang = resolve_language(getattr(args, "ui_lang", None))
    except (OSError, ValueError) as exc:
        print(f"casebook: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    if args.stale_after < 0:
        print("casebook: error: --stale-after takes a number of days, 0 or more",
              file=sys.stderr)
        return 2
    groups = queue(root, today=today, days=args.stale_after, links=links, issues=issues)
    sys.stdout.write(render(groups, lang, args.format, today=today, file_url=args.file_url))
    return 0


def add_subcommand(subparsers: argparse._SubParsersAction) -> None:
    """Register ``casebook review``."""
    p = subparsers.add_parser(
        "review", help="what needs an editor, in priority order / wat op een redacteur wacht",
        description="List what needs an editor: issue forms waiting, entries whose reviewed "
                    "date is old, failing links, entries waiting for a translation, "
                    "validator warnings.")
    p.add_argument("--stale-after", type=int, default=STALE_AFTER, metavar="DAYS",
                   help=f"a reviewed date older than this many days is stale "
                        f"(default {STALE_AFTER})")
    p.add_argument("--links", type=Path, default=None,
                   help="the JSON report of 'casebook links --format json'")
    p.add_argument("--issues", type=Path, default=None,
                   help="open issues as 'gh issue list --json number,title,labels,createdAt' "
                        "writes them")
    p.add_argument("--format", choices=("text", "markdown"), default="text")
    p.add_argument("--file-url", default=None,
                   help="base URL of the repository's files, to link each file (Markdown)")
    p.add_argument("--today", metavar="YYYY-MM-DD", default=None,
                   help="the day to measure from (default: today)")
    p.add_argument("--lang", dest="ui_lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                   help="language of the text (default: the environment's)")
    p.add_argument("--root", type=Path, default=None,
                   help="knowledge base folder (default: the folder holding mkdocs.yml)")
    p.set_defaults(func=run)
