"""``casebook from-issue``: a submitted issue form becomes a case file that validates.

The form is read back by :mod:`casebook.intake.formread`. This module turns names into
ids (organisations by name, alias or id; related cases by title; building blocks by
name: :mod:`casebook.intake.formorgs`), writes ``content/cases/<id>.<lang>.md`` (the
original language file, the id a slug of the title) and one
``content/organisations/<id>.<lang>.md`` for every organisation the base does not
have yet, checks them with the normal validator, and tells the contributor what to
correct in form terms (:mod:`casebook.intake.formterms`). Every answer ends up as a
string, number or list written by ``yaml.safe_dump`` (never parsed as YAML).

The issue text is untrusted. It is read from a file (the workflow's event
payload), never from a command line or an environment variable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from casebook.checks.validate import validate
from casebook.commandline import find_root
from casebook.content import schema as schemas
from casebook.content.model import ID_MAX, ID_PATTERN, load
from casebook.content.vocab import LANGUAGES, load_vocabularies
from casebook.i18n import Bilingual, msg, translate
from casebook.intake.formorgs import NewOrganisation, OrganisationIndex, find_block, find_case
from casebook.intake.formread import (
    MAX_BODY_CHARS,
    NEW,
    Conversion,
    _cut,
    convert,
    over_form_budget,
)
from casebook.intake.formterms import form_message
from casebook.intake.issueform import SEPARATOR, FormField, form_field, form_fields
from casebook.intake.scaffold import slugify
from casebook.safety.budget import limits
from casebook.safety.watchdog import OverBudget, bounded

__all__ = ["MAX_BODY_CHARS", "Outcome", "convert", "findings", "from_issue", "report", "run"]

OK, FINDINGS, USAGE = 0, 1, 2

# --- the entry --------------------------------------------------------------------------

_ROW_INDEX = re.compile(r"\[([0-9]+)\]")
_GITHUB_LOGIN = re.compile(r"[A-Za-z0-9-]{1,39}")


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    order = list(schemas.raw_schema("case")["properties"])
    return {k: data[k] for k in sorted(data, key=lambda k: order.index(k))}


def entry_text(data: dict[str, Any], body: str) -> str:
    """The case file: front-matter written by ``yaml.safe_dump`` (every answer a plain
    value, quoted where YAML needs it) and the body as the contributor wrote it."""
    front = "".join(
        yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True, width=1000,
                       default_flow_style=None if isinstance(value, list | dict) else False)
        for key, value in data.items())
    return f"---\n{front}---\n\n{body}"


def case_id(title: str) -> str:
    """The id (slug) a title gives: lower-case ASCII letters, digits and single hyphens."""

    return slugify(title)


@dataclass(slots=True)
class Outcome:
    """The result of ``casebook from-issue``, for the terminal and for the issue."""

    conv: Conversion
    lang: str
    entry_id: str | None = None
    written: Path | None = None
    rel: str | None = None
    kept: bool = False
    diagnostics: list[Any] = field(default_factory=list)
    front_lines: int = 0
    #: Organisations written with the case (the form named them; the base had none).
    new_organisations: list[NewOrganisation] = field(default_factory=list)
    #: Every file written: the case first, then the new organisations.
    files: list[Path] = field(default_factory=list)
    #: Organisation id → its name, to show the facts as the contributor wrote them.
    names: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Any]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.conv.problems and self.rel is not None and not self.errors


def from_issue(text: str, root: Path, *, lang: str | None = None, entry_id: str | None = None,
               reviewed: dt.date | None = None, keep: bool = False) -> Outcome:
    """Turn a submitted form into ``content/cases/<id>.<lang>.md`` and validate it.

    Nothing is written when the form has problems; a written file that does not
    validate is removed again unless ``keep``.
    """

    kb = load(root)
    conv = convert(text, lang)  # under the form's hard budget (casebook.safety.watchdog)
    out = Outcome(conv, lang or conv.lang or _environment_language())
    budget = limits()
    try:
        with bounded(budget["form_seconds"], budget["render_depth"]):
            index = resolve(conv, kb)  # every problem at once: names too, even with others
    except OverBudget as over:
        conv.problem(None, over_form_budget(over))
        return out
    shown = conv.lang or out.lang
    out.names = {**{oid: names.get(shown, oid) for oid, names in index.display.items()},
                 **{o.id: o.name for o in index.new.values()}}
    if conv.problems:
        return out
    assert conv.lang is not None
    fields = form_fields()
    title_field = next(f for f in fields if f.key == "title")
    out.entry_id = entry_id if entry_id is not None else case_id(str(conv.data.get("title", "")))
    if not out.entry_id or not ID_PATTERN.match(out.entry_id) or len(out.entry_id) > ID_MAX:
        conv.problem(title_field, msg(
            "no web address can be made from this title: it needs letters or digits (a-z, "
            "0-9); or an editor chooses an id of at most {most} characters", most=ID_MAX))
        return out
    cases = (root / "content" / "cases").resolve()
    target = (cases / f"{out.entry_id}.{conv.lang}.md").resolve()
    if target.parent != cases or not cases.is_relative_to(root.resolve()):
        # content/cases is a link that leaves the repository: write nothing there.
        raise ValueError(f"{root / 'content' / 'cases'}: leads outside {root}")
    existing = kb.collection("cases")
    clash = next((i for i in existing if i.casefold() == out.entry_id.casefold()), None)
    if clash is not None or any(cases.glob(f"{out.entry_id}.*.md")):
        conv.problem(title_field, msg(
            "a case with this title is already on the site; choose another title, or an "
            "editor chooses another web address"))
        return out
    out.new_organisations = list(index.new.values())
    day = (reviewed or dt.date.today()).isoformat()
    schema_version = schemas.raw_schema("case")["properties"]["schema"].get("const")
    data = {"schema": schema_version, **conv.data, "reviewed": day}
    text_out = entry_text(_ordered(data), conv.body)
    out.front_lines = text_out.split("\n").index("---", 1) + 1
    orgs = (root / "content" / "organisations").resolve()
    if not orgs.is_relative_to(root.resolve()):
        raise ValueError(f"{root / 'content' / 'organisations'}: leads outside {root}")
    files = [(target, text_out)] + [
        (orgs / f"{org.id}.{conv.lang}.md",
         entry_text(org.front_matter(day, schema_version), "")) for org in out.new_organisations]
    for path, text_file in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text_file)
        out.files.append(path)
    out.written = target
    out.rel = target.relative_to(root.resolve()).as_posix()
    out.diagnostics, _ = validate(root, out.files)
    if out.errors and not keep:
        for path in out.files:
            path.unlink()
    else:
        out.kept = True
    return out


def resolve(conv: Conversion, kb: Any) -> OrganisationIndex:
    """Names become ids: organisations (a new one for a name the base does not have),
    related cases by title, reused building blocks by name. A name that can mean several
    entries is a question to the contributor."""
    index = OrganisationIndex.of(kb)
    for key, cell in (("organisations", "id"), ("building_blocks", "maintainer")):
        f = form_field(key)
        lines = conv.row_lines.get(f.id, [])
        for i, row in enumerate(conv.data.get(key, [])):
            new = row.pop(NEW, {})
            name = row.get(cell)
            if not isinstance(name, str) or not name:
                continue
            line = lines[i] if i < len(lines) else i + 1
            found = index.find(name)
            if len(found) > 1:
                conv.problem(f, msg("line {line}: '{value}' can mean several organisations on "
                                    "the site: {names}; write the full name of the one you "
                                    "mean", line=line, value=_cut(name),
                                    names=Bilingual(*("; ".join(
                                        index.display.get(o, {}).get(lang, o) for o in found)
                                        for lang in ("en", "nl")))))
            elif found:
                row[cell] = found[0]
            elif (org := index.add(name)) is None:
                conv.problem(f, msg("line {line}: '{value}' is not a name; write the name of "
                                    "the organisation in letters", line=line, value=_cut(name)))
            else:
                row[cell] = org.id
                for fact in ("kind", "country", "website"):
                    if new.get(fact):
                        setattr(org, fact, new[fact])
    f = form_field("related")
    for i, title in enumerate(conv.data.get("related", [])):
        found = find_case(kb, title)
        if len(found) == 1:
            conv.data["related"][i] = found[0]
        else:
            conv.problem(f, msg("there is no case called '{value}' on the site; write its "
                                "title as the site shows it, or leave it out", value=_cut(title))
                         if not found else msg("'{value}' can mean several cases: {names}; "
                                               "write the full title", value=_cut(title),
                                               names="; ".join(found)))
    f = form_field("uses")
    for i, name in enumerate(conv.data.get("uses", [])):
        found = find_block(kb, name)
        if len(found) == 1:
            conv.data["uses"][i] = found[0][0]
        else:
            conv.problem(f, msg("there is no building block called '{value}' on the site; "
                                "write its name as the page of its repository shows it, or "
                                "leave it out", value=_cut(name)) if not found else msg(
                "'{value}' can mean several building blocks: {names}; write the name of the "
                "one you mean together with its repository, as in: {example}",
                value=_cut(name), names="; ".join(label for _, label in found),
                example=found[0][1]))
    return index


def _environment_language() -> str:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            code = value.split("_")[0].split(".")[0].lower()
            return code if code in LANGUAGES else "en"
    return "en"


# --- telling the contributor -----------------------------------------------------------

def localise(message: str, lang: str) -> str:
    """A message in ``lang`` from the message catalogue."""
    return str(translate(message, lang))


def field_of(path: str) -> FormField | None:
    """The form field that fills a front-matter field path (``organisations[1].role``)."""
    plain = _ROW_INDEX.sub("", path)
    best: FormField | None = None
    for f in form_fields():
        if not f.key:
            continue
        related = plain == f.key or plain.startswith(f.key + ".") or f.key.startswith(plain + ".")
        if related and (best is None or len(f.key) > len(best.key or "")):
            best = f
    return best


def _row_note(out: Outcome, f: FormField | None, path: str, lang: str) -> str:
    m = _ROW_INDEX.search(path)
    lines = out.conv.row_lines.get(f.id, []) if f else []
    if m and int(m.group(1)) < len(lines):
        return localise(msg("line {line}", line=lines[int(m.group(1))]), lang) + ": "
    return ""


def findings(out: Outcome) -> list[tuple[str, str, str]]:
    """Every finding as (severity, form field label, message) in the outcome's language."""
    lang = out.lang
    body = next(f for f in form_fields() if f.special == "body")
    rows: list[tuple[str, str, str]] = []
    for p in out.conv.problems:
        label = p.field.label[lang] if p.field else ""
        rows.append(("error", label, localise(p.message, lang)))
    orgs = form_field("organisations")
    case_rel = out.rel or ""
    for d in out.diagnostics:
        if d.path != case_rel:  # a new organisation's file: its row of Organisations
            name = next((o.name for o in out.new_organisations
                         if d.path.endswith(f"/{o.id}.{out.conv.lang}.md")), "")
            message = msg("the new organisation '{name}': {problem}", name=name,
                          problem=form_message(d, None, {}, False))
            rows.append((d.severity, orgs.label[lang], localise(message, lang)))
            continue
        in_body = d.line > out.front_lines or d.field == "body"
        f = body if in_body else field_of(d.field)
        label = f.label[lang] if f else d.field
        note = _row_note(out, f, d.field, lang)
        message = form_message(d, f, out.conv.data, in_body)
        rows.append((d.severity, label, note + localise(message, lang)))
    return rows


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>@~&])")


def _md(text: str) -> str:
    """Text from the issue shown as literal text in a comment: no markup, no mentions."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def report(out: Outcome, issue: int | None = None, author: str | None = None) -> str:
    """Markdown for the issue (what to fix) or the pull request (what was made)."""
    lang = out.lang
    say = lambda m: localise(m, lang)  # noqa: E731
    lines: list[str] = []
    rows = findings(out)
    if out.ok:
        lines.append(say(msg("This pull request adds the case '{id}' from the issue form.",
                             id=out.entry_id)))
        if issue is not None:
            by = f" (@{author})" if author and _GITHUB_LOGIN.fullmatch(author) else ""
            lines.append(say(msg("Made from issue #{number}{by}.", number=issue, by=by)))
        lines += ["", *facts_table(out), ""]
        lines.append(say(msg("Validation: passed, warnings: {count}",
                             count=len(rows))) if rows else say(msg("Validation: passed")))
        lines += ["", say(msg("Files:")), *(f"- `{p.relative_to(p.parents[2]).as_posix()}`"
                                           for p in out.files)]
        if out.new_organisations:
            lines += ["", say(msg("New organisations, with what the form says about them; "
                                  "an editor completes them:"))]
            lines += [f"- {_md(o.name)} (`{o.id}`)" for o in out.new_organisations]
        if rows:
            lines += ["", say(msg("Warnings for the editor:"))]
        closing = [f"Closes #{issue}"] if issue is not None else []
    else:
        lines.append(say(msg("Thank you! The form cannot become a case yet. Please edit the "
                             "issue (the '...' menu, Edit) and correct:")))
        lines.append("")
        closing = [say(msg("An editor then adds the label again to make the case."))]
    for severity, label, message in rows:
        mark = "" if severity == "error" else say(msg("warning")) + ": "
        lines.append(f"- **{_md(label)}**: {mark}{_md(message)}" if label
                     else f"- {mark}{_md(message)}")
    return "\n".join([*lines, "", *closing]).rstrip("\n") + "\n"


def _shown(value: Any, f: FormField, lang: str, names: dict[str, str]) -> str:
    """An answer as the form showed it: a vocabulary key as its label, rows per line."""
    vocabs = load_vocabularies()
    if isinstance(value, list):
        return "; ".join(_shown(v, f, lang, names) for v in value)
    if isinstance(value, dict):
        cells = []
        for c in f.columns:
            v = value.get(c.key)
            if v is not None:
                org = (f.key, c.key) in (("organisations", "id"), ("building_blocks",
                                                                   "maintainer"))
                cells.append(vocabs.label(c.vocabulary, v, lang) if c.vocabulary
                             else names.get(v, str(v)) if org else str(v))
        return " | ".join(cells)
    if f.vocabulary and isinstance(value, str):
        return vocabs.label(f.vocabulary, value, lang)
    if f.options and not f.vocabulary:
        text = next((t for t, v in f.options.items() if v == value), str(value))
        return text.split(SEPARATOR)[0 if lang == "nl" else -1]
    return str(value)


def facts_table(out: Outcome) -> list[str]:
    """The facts of the case as a Markdown table: form field, answer."""
    lang = out.lang
    head = (localise(msg("Field"), lang), localise(msg("Answer"), lang))
    lines = [f"| {head[0]} | {head[1]} |", "|---|---|"]
    for f in form_fields():
        if not f.key:
            continue
        value = _get(out.conv.data, f.path)
        if value in (None, "", []):
            continue
        lines.append(f"| {_md(f.label[lang])} | {_md(_shown(value, f, lang, out.names))} |")
    return lines


def _get(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


# --- command ----------------------------------------------------------------------------

def _read(args: argparse.Namespace) -> tuple[str, int | None, str | None]:
    """The issue body (and, from an event, the issue's number and author)."""
    if args.event:
        event = json.loads(Path(args.event).read_text(encoding="utf-8"))
        issue = event.get("issue") if isinstance(event, dict) else None
        if not isinstance(issue, dict):
            raise ValueError(f"{args.event}: not the event of an issue")
        number = issue.get("number")
        user = issue.get("user") if isinstance(issue.get("user"), dict) else {}
        return (str(issue.get("body") or ""), number if isinstance(number, int) else None,
                str(user.get("login") or "") or None)
    if str(args.body) == "-":
        return sys.stdin.read(), None, None
    return Path(args.body).read_text(encoding="utf-8"), None, None


def run(args: argparse.Namespace) -> int:
    """``casebook from-issue``; returns the exit status."""

    root = args.root.resolve() if args.root else find_root(Path.cwd())
    if not (root / "content").is_dir():
        print(f"casebook: error: no content/ folder in {root}; pass --root", file=sys.stderr)
        return USAGE
    if (args.body is None) == (args.event is None):
        print("casebook: error: give the issue text as a file (or '-') or --event FILE",
              file=sys.stderr)
        return USAGE
    if args.id is not None and not (ID_PATTERN.match(args.id) and len(args.id) <= ID_MAX):
        print(f"casebook: error: --id {args.id!r}: not a valid id: use at most {ID_MAX} "
              "lower-case letters, digits and single hyphens", file=sys.stderr)
        return USAGE
    try:
        text, issue, author = _read(args)
        reviewed = dt.date.fromisoformat(args.reviewed) if args.reviewed else None
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        print(f"casebook: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return USAGE
    try:
        out = from_issue(text, root, lang=getattr(args, "ui_lang", None), entry_id=args.id,
                         reviewed=reviewed, keep=args.keep)
    except (OSError, ValueError) as exc:
        print(f"casebook: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return USAGE
    for severity, label, message in findings(out):
        print(f"{severity}: {label}: {message}" if label else f"{severity}: {message}")
    if out.rel and out.kept:
        print(localise(msg("written: {path}", path=out.rel), out.lang))
    if args.report:
        Path(args.report).write_text(report(out, issue, author), encoding="utf-8")
    return OK if out.ok else FINDINGS


def add_subcommand(subparsers: argparse._SubParsersAction) -> None:
    """Register ``casebook from-issue``."""
    p = subparsers.add_parser(
        "from-issue", help="turn a submitted issue form into a case / maak een casus van een "
                           "ingevuld issueformulier",
        description="Read the Markdown that GitHub writes for the 'new case' issue form, write "
                    "content/cases/<id>.<lang>.md in the language the form names, and validate "
                    "it. Exit 0 when the case validates, 1 when the form or the case has "
                    "problems (nothing is kept), 2 for a usage error.")
    p.add_argument("body", nargs="?", type=Path, default=None,
                   help="file holding the issue text ('-' for standard input)")
    p.add_argument("--event", type=Path, default=None,
                   help="the GitHub event payload ($GITHUB_EVENT_PATH) of an issue event")
    p.add_argument("--lang", dest="ui_lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                   help="language of the messages (default: the form's language, else the "
                        "environment's)")
    p.add_argument("--id", default=None, help="id of the case (default: made from the title)")
    p.add_argument("--reviewed", metavar="YYYY-MM-DD", default=None,
                   help="date the editor checked the facts (default: today)")
    p.add_argument("--report", type=Path, default=None,
                   help="write Markdown for the issue or the pull request to this file")
    p.add_argument("--keep", action="store_true",
                   help="keep the file even when it does not validate, to fix it by hand")
    p.add_argument("--root", type=Path, default=None,
                   help="knowledge base folder (default: the folder holding mkdocs.yml)")
    p.set_defaults(func=run)

