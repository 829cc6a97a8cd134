"""Reading a submitted issue form: GitHub's Markdown back into the answers of the form.

GitHub writes a submitted issue form as Markdown: for every field ``### Label``,
a blank line and the answer (``_No response_`` when empty; the chosen options of
a multiple dropdown joined by ``, ``; ``- [X] ...`` for a ticked checkbox). This
module reads that text back with the form's own description
(:mod:`casebook.intake.issueform`), so only the form's labels start a field and only
the form's options are accepted. Dates, amounts and counts are read as people write
them (:mod:`casebook.intake.notations`); names of organisations, cases and building
blocks stay names here and become ids in :mod:`casebook.intake.fromissue`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from casebook.content.vocab import load_vocabularies
from casebook.i18n import Message, msg, msg_n
from casebook.intake.formterms import choices
from casebook.intake.issueform import (
    OTHER,
    FormField,
    fold_name,
    form_field,
    form_fields,
    name_lookup,
    other_field,
    term_lookup,
)
from casebook.intake.notations import Question, read_amount, read_date, read_number
from casebook.safety.budget import limits
from casebook.safety.watchdog import OverBudget, bounded

#: GitHub refuses an issue body longer than this; a longer text is not a submitted form.
MAX_BODY_CHARS = 65_536
#: What GitHub writes for a field left empty.
NO_RESPONSE = "_No response_"
# The label is what follows, less trailing spaces, '#'s and spaces (:func:`_label`):
# a lazy label before ``[ \t]*#*[ \t]*$`` is cubic on a line of spaces.
_HEADING = re.compile(r"^###[ \t]+(?P<label>[^\n]*)\Z")
_CHECKBOX = re.compile(r"^\s*[-*]\s+\[(?P<mark>[ xX])\]\s+(?P<label>(?:.*\S)?)\s*$")
#: Where a row keeps the cells about a new entry it names, until that entry is made.
NEW = "__new"
#: The currency of a budget whose currency field is empty and whose amount has no sign.
DEFAULT_CURRENCY = "EUR"


_YEAR = re.compile(r"[0-9]{4}")


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
    #: The currency written with the budget amount (``€ 250.000``), if any.
    currency: str | None = None

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
    conv.problem(f, msg("'{value}' is not one of the choices of this field; choose {choices}",
                        value=_cut(value), choices=choices(load_vocabularies(), f.vocabulary)
                        if f.vocabulary else ", ".join(f.options)))
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


def _number(f: FormField, value: str, conv: Conversion) -> Any:
    """A count or an amount as written (``1.200``, ``€ 250.000``, ``1,5 miljoen``); an
    amount's currency sign or code fills the currency field when that is empty."""
    if f.key == "challenge.budget.amount":
        read = read_amount(value, tuple(form_field("challenge.budget.currency").options.values()))
        if isinstance(read, Question):
            conv.problem(f, read.message)
            return None
        amount, currency = read
        if currency:
            conv.currency = currency
        return amount
    read_n = read_number(value, integer=f.value_type == "integer")
    if isinstance(read_n, Question):
        conv.problem(f, read_n.message)
        return None
    return read_n


def _date(f: FormField, value: str, conv: Conversion, precision: str = "day") -> Any:
    read = read_date(value, precision=precision)
    if isinstance(read, Question):
        conv.problem(f, read.message)
        return None
    return int(read) if _YEAR.fullmatch(read) and precision == "month" else read


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
            conv.problem(f, msg_n("line {line} has {n} part separated by '|', but this "
                                  "field takes at most {most}: {names}",
                                  "line {line} has {n} parts separated by '|', but this "
                                  "field takes at most {most}: {names}", len(cells), line=n,
                                  most=len(f.columns),
                                names=" | ".join(c.name[lang] for c in f.columns)))
            continue
        row: dict[str, Any] = {}
        for column, cell in zip(f.columns, cells, strict=False):
            if column.vocabulary and cell:
                key = term_lookup(vocabs, column.vocabulary).get(cell.casefold()) or \
                    name_lookup(column.vocabulary).get(fold_name(cell))  # "Belgie", "Curacao"
                if key is None:
                    conv.problem(f, msg("line {line}: '{value}' is not a known {name}; {choices}",
                                        line=n, value=_cut(cell), name=column.name[lang],
                                        choices=choices(vocabs, column.vocabulary)))
                cell = key or ""
            elif column.key == "date" and cell:
                read = read_date(cell)
                if isinstance(read, Question):
                    conv.problem(f, msg("line {line}: {problem}", line=n, problem=read.message))
                cell = read if isinstance(read, str) else ""
            if cell and column.entity:
                row.setdefault(NEW, {})[column.key] = cell
            elif cell:
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
        return _number(f, value, conv)
    if f.value_type == "year-or-month":
        return _date(f, value, conv, "month")
    return " ".join(value.split())  # plain text on one line: the form's line breaks go


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value


def over_form_budget(over: OverBudget) -> Message:
    """The problem of an issue text whose reading passed its hard budget."""
    if over.kind == "depth":
        return msg("the issue text nests too deep to read (more than {limit} levels, "
                   "render_depth in data/render-budget.yaml); flatten lists and quotes",
                   limit=int(over.limit))
    return msg("reading the issue text took longer than {limit} s (form_seconds in "
               "data/render-budget.yaml); shorten very long lines and runs of repeated "
               "characters", limit=over.limit)


def convert(text: str, lang: str | None = None) -> Conversion:
    """Read a submitted form; ``lang`` only chooses the language of the problems.

    The reading runs under the hard budget of :mod:`casebook.safety.watchdog`
    (``form_seconds`` and ``render_depth`` in ``data/render-budget.yaml``): whatever
    the text holds, it ends as a problem naming the budget, never a hang.
    """
    conv = Conversion()
    if len(text) > MAX_BODY_CHARS:
        conv.problem(None, msg_n("the issue text has {n} character, more than the "
                                 "{most} that GitHub allows for a form",
                                 "the issue text has {n} characters, more than the "
                                 "{most} that GitHub allows for a form", len(text),
                                 most=MAX_BODY_CHARS))
        return conv
    budget = limits()
    try:
        with bounded(budget["form_seconds"], budget["render_depth"]):
            return _read_form(text, lang, conv)
    except OverBudget as over:
        conv = Conversion()
        conv.problem(None, over_form_budget(over))
        return conv


def _read_form(text: str, lang: str | None, conv: Conversion) -> Conversion:
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
        if f.special in ("language", "other-countries"):
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
    _other_terms(conv, answers, fields)
    _budget_currency(conv)
    return conv


def _other_terms(conv: Conversion, answers: dict[str, str], fields: list[FormField]) -> None:
    """Terms typed by name in the field beside a short dropdown ("another country"):
    each matched in Dutch or English, without regard to accents or case."""
    for f in fields:
        free_id = other_field(f.vocabulary) if f.vocabulary and f.multiple else None
        free = next((g for g in fields if g.id == free_id), None)
        if free is None:
            continue
        chosen = conv.data.get(f.key or "") or []
        wanted = OTHER in chosen
        keys = [k for k in chosen if k != OTHER]
        typed = [p.strip() for p in answers.get(free.id, "").split(",") if p.strip()]
        lookup = name_lookup(f.vocabulary or "")
        for name in typed:
            key = lookup.get(fold_name(name))
            if key is None:
                conv.problem(free, msg("'{value}' is not a country we know; write its name "
                                       "in Dutch or English, for example Zwitserland or "
                                       "Switzerland", value=_cut(name)))
            else:
                keys.append(key)
        if wanted and not typed:
            conv.problem(free, msg("you chose another country above; type its name here"))
        if keys:
            conv.data[f.key or ""] = list(dict.fromkeys(keys))
        else:
            conv.data.pop(f.key or "", None)


def _budget_currency(conv: Conversion) -> None:
    """The currency from the amount (``€ 250.000``) or the field; euro when neither says."""
    budget = conv.data.get("challenge", {}).get("budget")
    if not isinstance(budget, dict) or "amount" not in budget:
        return
    chosen = budget.get("currency")
    if conv.currency and chosen and conv.currency != chosen:
        f = form_field("challenge.budget.amount")
        conv.problem(f, msg("the amount is written in {written}, but the currency chosen is "
                            "{chosen}; correct one of the two", written=conv.currency,
                            chosen=chosen))
    budget["currency"] = chosen or conv.currency or DEFAULT_CURRENCY


def _cut(value: str, most: int = 80) -> str:
    value = " ".join(value.split())
    return value if len(value) <= most else value[: most - 1] + "…"
