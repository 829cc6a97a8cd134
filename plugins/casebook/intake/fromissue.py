"""``casebook from-issue``: a submitted issue form becomes a case file that validates.

GitHub writes a submitted issue form as Markdown: for every field ``### Label``,
a blank line and the answer (``_No response_`` when empty; the chosen options of
a multiple dropdown joined by ``, ``; ``- [X] ...`` for a ticked checkbox). This
module reads that text back with the form's own description
(:mod:`casebook.intake.issueform`), so only the form's labels start a field and only
the form's options are accepted. It transfers what the form says and nothing
else: no value is guessed, every answer ends up as a string, number or list
written by ``yaml.safe_dump`` (never parsed as YAML), and the only file written
is ``content/cases/<id>.<lang>.md``, the original language file, with the id a
slug made from the title. The result is checked with the normal validator.

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
from casebook.i18n import Message, msg, translate
from casebook.intake.issueform import FormField, form_fields, term_lookup
from casebook.intake.scaffold import slugify

OK, FINDINGS, USAGE = 0, 1, 2

#: GitHub refuses an issue body longer than this; a longer text is not a submitted form.
MAX_BODY_CHARS = 65_536
#: What GitHub writes for a field left empty.
NO_RESPONSE = "_No response_"
# The label is what follows, less trailing spaces, '#'s and spaces (:func:`_label`):
# a lazy label before ``[ \t]*#*[ \t]*$`` is cubic on a line of spaces.
_HEADING = re.compile(r"^###[ \t]+(?P<label>[^\n]*)\Z")
_CHECKBOX = re.compile(r"^\s*[-*]\s+\[(?P<mark>[ xX])\]\s+(?P<label>(?:.*\S)?)\s*$")


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in the form that stops the conversion, tied to a form field."""

    field: FormField | None
    message: Message


@dataclass(slots=True)
class Conversion:
    """What a form says: the language, the front-matter, the body and any problems."""

    lang: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    problems: list[Problem] = field(default_factory=list)
    #: For a field of rows: the line of the answer that each row came from.
    row_lines: dict[str, list[int]] = field(default_factory=dict)

    def problem(self, f: FormField | None, message: Message) -> None:
        self.problems.append(Problem(f, message))


# --- reading GitHub's Markdown ---------------------------------------------------------

def split_answers(text: str, conv: Conversion) -> dict[str, str]:
    """The raw answer of each form field, by field id, from an issue body."""
    fields = {f.heading: f for f in form_fields()}
    fields_by_id = {f.id: f for f in fields.values()}
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    answers: dict[str, list[str]] = {}
    current: list[str] | None = None
    seen: set[str] = set()
    for line in text.split("\n"):
        m = _HEADING.match(line)
        f = fields.get(_label(m.group("label"))) if m else None
        if f is not None:
            if f.id in seen:
                conv.problem(f, msg("the heading '### {heading}' appears more than once; "
                                    "remove it from your answers so that each field is read "
                                    "from its own place", heading=f.heading))
                current = None
                continue
            seen.add(f.id)
            current = answers.setdefault(f.id, [])
            continue
        if current is not None:
            current.append(line)
    out: dict[str, str] = {}
    for fid, lines in answers.items():
        if fid in {p.field.id for p in conv.problems if p.field}:
            continue
        value = "\n".join(lines).strip("\n")
        empty = (NO_RESPONSE, "None") if fields_by_id[fid].element == "dropdown" else (
            NO_RESPONSE,)  # an optional dropdown left at GitHub's own "None"
        out[fid] = "" if value.strip() in empty else value
    return out


def _label(text: str) -> str:
    """A heading's label: ``text`` less trailing spaces, then '#'s, then spaces."""
    return text.rstrip(" \t").rstrip("#").rstrip(" \t")


def _choose(f: FormField, value: str, conv: Conversion) -> Any:
    """The value of one chosen dropdown option (by its text, a key or a label)."""
    if value in f.options:
        return f.options[value]
    if f.vocabulary:
        found = term_lookup(load_vocabularies(), f.vocabulary).get(value.strip().casefold())
        if found is not None:
            return found
    lowered = {text.casefold(): v for text, v in f.options.items()}
    if value.strip().casefold() in lowered:
        return lowered[value.strip().casefold()]
    conv.problem(f, msg("'{value}' is not one of the choices of this field", value=_cut(value)))
    return None


def _choose_many(f: FormField, value: str, conv: Conversion) -> list[Any]:
    """Options of a multiple dropdown: GitHub joins them with ', ', and an option's own
    text may hold ', ' too, so the longest run of parts that is an option wins."""
    parts = [p.strip() for p in value.split(", ")]
    out: list[Any] = []
    i = 0
    while i < len(parts):
        for j in range(len(parts), i, -1):
            text = ", ".join(parts[i:j])
            if text in f.options:
                out.append(f.options[text])
                i = j
                break
        else:
            for part in (p for p in parts[i].split(",") if p.strip()):
                chosen = _choose(f, part.strip(), conv)
                if chosen is not None:
                    out.append(chosen)
            i += 1
    return list(dict.fromkeys(out))


def _number(value: str, integer: bool) -> Any:
    text = value.strip()
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if not integer and re.fullmatch(r"-?[0-9]+\.[0-9]+", text):
        return float(text)
    return text  # the validator names what is wrong with it


def _rows(f: FormField, value: str, conv: Conversion, lang: str) -> list[dict[str, Any]]:
    vocabs = load_vocabularies()
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    for n, line in enumerate(value.split("\n"), 1):
        if not line.strip():
            continue
        line = line.strip()
        if len(line) > 1 and line[0] == line[-1] == "|":  # written as a Markdown table row
            line = line[1:-1]
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > len(f.columns):
            conv.problem(f, msg("line {line} has {count} parts separated by '|', but this "
                                "field takes at most {most}: {names}", line=n, count=len(cells),
                                most=len(f.columns),
                                names=" | ".join(c.name[lang] for c in f.columns)))
            continue
        row: dict[str, Any] = {}
        for column, cell in zip(f.columns, cells, strict=False):
            if column.vocabulary and cell:
                key = term_lookup(vocabs, column.vocabulary).get(cell.casefold())
                if key is None:
                    conv.problem(f, msg("line {line}: '{value}' is not a known {name}",
                                        line=n, value=_cut(cell), name=column.name[lang]))
                cell = key or ""
            if cell:
                row[column.key] = cell
        given = {c.key for c, cell in zip(f.columns, cells, strict=False) if cell}
        for column in f.columns:
            if column.required and column.key not in given:
                conv.problem(f, msg("line {line}: the {name} is missing", line=n,
                                    name=column.name[lang]))
        rows.append(row)
        lines.append(n)
    conv.row_lines[f.id] = lines
    return rows


def _convert(f: FormField, value: str, conv: Conversion, lang: str) -> Any:
    if f.element == "dropdown":
        return _choose_many(f, value, conv) if f.multiple else _choose(f, value.strip(), conv)
    if f.columns:
        return _rows(f, value, conv, lang)
    if f.value_type == "list":
        return list(dict.fromkeys(p.strip() for p in value.split(",") if p.strip()))
    if f.value_type in ("integer", "number"):
        return _number(value, f.value_type == "integer")
    if f.value_type == "year-or-month":
        return _number(value, True)
    return " ".join(value.split())  # plain text on one line: the form's line breaks go


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value


def convert(text: str, lang: str | None = None) -> Conversion:
    """Read a submitted form; ``lang`` only chooses the language of the problems."""
    conv = Conversion()
    if len(text) > MAX_BODY_CHARS:
        conv.problem(None, msg("the issue text has {count} characters, more than the "
                               "{most} that GitHub allows for a form", count=len(text),
                               most=MAX_BODY_CHARS))
        return conv
    answers = split_answers(text, conv)
    fields = form_fields()
    by_special = {f.special: f for f in fields if f.special}
    lang_field = by_special["language"]
    if answers.get(lang_field.id, "").strip():
        conv.lang = _choose(lang_field, answers[lang_field.id].strip(), conv)
    elif lang_field.id not in {p.field.id for p in conv.problems if p.field}:
        conv.problem(lang_field, msg("this field is required"))
    shown = lang or conv.lang or "en"
    kind_field = next(f for f in fields if f.key == "kind")
    kind = _choose(kind_field, answers[kind_field.id].strip(), Conversion()) if answers.get(
        kind_field.id, "").strip() else None
    for f in fields:
        if f.special in ("language",):
            continue
        value = answers.get(f.id, "")
        if f.special == "licence":
            ticked = [m for m in map(_CHECKBOX.match, value.split("\n")) if m]
            if not any(m.group("mark") in "xX" and m.group("label") in f.options
                       for m in ticked):
                conv.problem(f, msg("tick the box to publish the text under CC BY 4.0"))
            continue
        if not value.strip():
            if f.required and (not f.kind or f.kind == kind) and not any(
                    p.field is f for p in conv.problems):
                conv.problem(f, msg("this field is required") if not f.kind else msg(
                    "this field is required for this kind of case"))
            continue
        if f.special == "body":
            conv.body = value.strip("\n") + "\n"
            continue
        if f.kind and kind is not None and f.kind != kind:
            conv.problem(f, msg("this field is only for another kind of case; leave it "
                                "empty or choose that kind"))
            continue
        converted = _convert(f, value, conv, shown)
        if converted not in (None, [], ""):
            _set(conv.data, f.path, converted)
    return conv


def _cut(value: str, most: int = 80) -> str:
    value = " ".join(value.split())
    return value if len(value) <= most else value[: most - 1] + "…"


# --- the entry --------------------------------------------------------------------------

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

    conv = convert(text, lang)
    out = Outcome(conv, lang or conv.lang or _environment_language())
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
    existing = load(root).collection("cases")
    clash = next((i for i in existing if i.casefold() == out.entry_id.casefold()), None)
    if clash is not None or any(cases.glob(f"{out.entry_id}.*.md")):
        conv.problem(title_field, msg(
            "a case with the id '{id}' already exists; choose another title, or an editor "
            "chooses another id", id=out.entry_id))
        return out
    schema_version = schemas.raw_schema("case")["properties"]["schema"].get("const")
    data = {"schema": schema_version, **conv.data,
            "reviewed": (reviewed or dt.date.today()).isoformat()}
    text_out = entry_text(_ordered(data), conv.body)
    out.front_lines = text_out.split("\n").index("---", 1) + 1
    cases.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8", newline="\n") as fh:
        fh.write(text_out)
    out.written = target
    out.rel = target.relative_to(root.resolve()).as_posix()
    out.diagnostics, _ = validate(root, [target])
    if out.errors and not keep:
        target.unlink()
    else:
        out.kept = True
    return out


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
    plain = re.sub(r"\[[0-9]+\]", "", path)
    best: FormField | None = None
    for f in form_fields():
        if not f.key:
            continue
        related = plain == f.key or plain.startswith(f.key + ".") or f.key.startswith(plain + ".")
        if related and (best is None or len(f.key) > len(best.key or "")):
            best = f
    return best


def _row_note(out: Outcome, f: FormField | None, path: str, lang: str) -> str:
    m = re.search(r"\[([0-9]+)\]", path)
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
    for d in out.diagnostics:
        in_body = d.line > out.front_lines or d.field == "body"
        f = body if in_body else field_of(d.field)
        label = f.label[lang] if f else d.field
        note = _row_note(out, f, d.field, lang)
        rows.append((d.severity, label, note + localise(d.message, lang)))
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
            by = f" (@{author})" if author and re.fullmatch(r"[A-Za-z0-9-]{1,39}", author) else ""
            lines.append(say(msg("Made from issue #{number}{by}.", number=issue, by=by)))
        lines += ["", f"- `{out.rel}`"]
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

