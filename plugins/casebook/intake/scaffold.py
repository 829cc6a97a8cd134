"""``casebook new case|organisation``: scaffold a new entry that validates.

The new file carries every required key, the kind's recommended body sections
(from ``data/sections.yaml``) in the chosen language with ``TODO`` placeholder
text, and today's ``reviewed`` date. Allowed values come from the schema and the
vocabularies, never from lists in this module. In a terminal the command asks
for every value it was not given; otherwise the values come from options and a
missing one is a usage error. An existing entry is never overwritten.

One module, past 600 lines: the questions, the check of each answer against the
schema and the file written from the answers are one conversation, and every
part reads the same schema nodes; split, each part would pass them back and forth.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from jsonschema import Draft202012Validator

from casebook.checks.schema_errors import describe, length_problem, pattern_hint, type_name
from casebook.commandline import error_line, find_root, message_language
from casebook.content import schema as schemas
from casebook.content.entry_io import dumps_entry
from casebook.content.frontmatter import path_to_field
from casebook.content.model import ID_MAX, ID_PATTERN, KnowledgeBase, load
from casebook.content.similar import closest
from casebook.content.vocab import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Vocabularies,
    load_vocabularies,
    sections,
)
from casebook.i18n import Bilingual, Message, msg, translate

OK, FINDINGS, USAGE = 0, 1, 2

#: Placeholder paragraph under every scaffolded heading; the validator warns on 'TODO'.
PLACEHOLDER = {
    "nl": "TODO: schrijf deze sectie. Noem alleen feiten die de bronnen onderbouwen.",
    "en": "TODO: write this section. State only facts that the sources support.",
}


class ScaffoldError(Exception):
    """A value or situation that stops scaffolding; ``code`` is the exit status."""

    def __init__(self, message: Message, code: int = USAGE) -> None:
        super().__init__(message)
        self.message, self.code = message, code


# --- schema helpers ----------------------------------------------------------

def _node(schema_name: str, path: tuple[str | int, ...]) -> dict[str, Any]:
    node = schemas.subschema(schemas.raw_schema(schema_name), path)
    if node is None:  # pragma: no cover - a programming error, not user input
        raise KeyError(f"{schema_name}: no schema node at {path}")
    return node


def vocabulary_of(schema_name: str, path: tuple[str | int, ...]) -> str:
    """Name of the vocabulary controlling a (list of) value(s) in a schema."""
    node = _node(schema_name, path)
    vocab = node.get("x-vocabulary") or (node.get("items") or {}).get("x-vocabulary")
    if not vocab:
        ref = (node.get("items") or {}).get("$ref") or node.get("$ref")
        if ref:
            target = schemas.subschema(schemas.raw_schema(schema_name), ())
            for part in ref[2:].split("/"):
                target = (target or {}).get(part)
            vocab = (target or {}).get("x-vocabulary")
    if not vocab:  # pragma: no cover - a programming error
        raise KeyError(f"{schema_name}: {path} has no vocabulary")
    return str(vocab)


def _field_errors(schema_name: str, path: tuple[str | int, ...], value: Any) -> list[Message]:
    """Schema errors of one value, checked against the published schema, in words
    a contributor reads (the validator's own messages)."""
    full = schemas.build_schema(schema_name)
    node = schemas.subschema(full, path) or {}
    check = Draft202012Validator({**node, "$defs": full.get("$defs", {})})
    return [_explain(e, schemas.subschema(full, (*path, *e.absolute_path)) or node)
            for e in check.iter_errors(value)]


def _explain(err: Any, node: dict[str, Any]) -> Message:
    """One schema error of a single value as a plain message."""

    keyword, value = err.validator, err.instance
    if keyword in ("minLength", "maxLength") and isinstance(value, str):
        lo, hi = node.get("minLength"), node.get("maxLength")
        return length_problem(len(value), lo, hi)
    if keyword == "pattern":
        return msg("'{value}' {problem}", value=value, problem=pattern_hint(node, ""))
    if keyword == "anyOf":
        return msg("'{value}' is not a year or year-month; write a year (2018) or a "
                   'year and month in quotes ("2018-05")', value=value)
    if keyword == "type":
        return msg("expected {type}, found {found}", type=type_name(node.get("type")),
                   found=describe(value))
    if keyword in ("minimum", "maximum"):
        return (msg("{value} must be at least {bound}", value=value, bound=err.validator_value)
                if keyword == "minimum" else
                msg("{value} must be at most {bound}", value=value, bound=err.validator_value))
    return msg("does not match the content model: {detail}", detail=err.message)


def _schema_errors(schema_name: str, data: dict[str, Any]) -> list[str]:
    """Every error of the whole front-matter, as ``field: message``."""

    out = []
    for err in schemas.validator(schema_name).iter_errors(data):
        field = path_to_field(tuple(err.absolute_path)) or "(front-matter)"
        out.append(f"{field}: {err.message}")
    return out


def slugify(text: str) -> str:
    """A valid id from a title: lower-case ASCII letters, digits and hyphens."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:ID_MAX].rstrip("-")


# --- the values of a new entry -----------------------------------------------

class Asker:
    """Gets values: from options, else (in a terminal) by asking, else fails."""

    def __init__(self, vocabs: Vocabularies, interactive: bool,
                 stdin: TextIO | None = None, stdout: TextIO | None = None,
                 lang: str = "en") -> None:
        self.vocabs = vocabs
        self.interactive = interactive
        #: The language the contributor reads the questions and messages in.
        self.lang = lang
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        #: Options that were needed but not given (non-interactive mode).
        self.missing: list[str] = []

    def t(self, text: Any) -> str:
        """``text`` in the contributor's language."""
        return translate(text, self.lang)

    def _input(self, prompt: Any) -> str:
        self.stdout.write(self.t(prompt))
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise ScaffoldError(msg("no answer (end of input)"))
        return line.strip()

    def _say(self, text: Any) -> None:
        self.stdout.write(self.t(text) + "\n")
        self.stdout.flush()

    def _complain(self, problem: Any) -> None:
        self._say(msg("  ! {problem}", problem=problem))

    def _missing(self, option: str) -> None:
        if option not in self.missing:
            self.missing.append(option)

    def check_complete(self) -> None:
        """Fail, naming every missing option at once."""
        if self.missing:
            names = ", ".join(self.missing)
            raise ScaffoldError(msg("missing values; pass {options} (or run the command in a "
                                    "terminal to be asked)", options=names))

    def _prompt(self, label: Message, suffix: str = "") -> Message:
        return msg("{label}{suffix}: ", label=label, suffix=suffix)

    def text(self, given: str | None, option: str, label: Message,
             check: Callable[[str], Message | None], default: str | None = None,
             optional: bool = False) -> str | None:
        """A text value, checked by ``check`` (returns an error or ``None``)."""
        if given is not None:
            problem = check(given)
            if problem:
                raise ScaffoldError(msg("{option} {value}: {problem}", option=option,
                                        value=repr(given), problem=problem))
            return given
        if not self.interactive:
            if default is not None or optional:
                return default
            self._missing(option)
            return ""
        hint = f" [{default}]" if default else (self.t(msg(" (empty = skip)"))
                                                 if optional else "")
        while True:
            answer = self._input(self._prompt(label, hint)) or (default or "")
            if not answer and optional:
                return None
            problem = check(answer) if answer else msg("an answer is required")
            if not problem:
                return answer
            self._complain(problem)

    def choice(self, given: str | None, option: str, label: Message, vocab: str,
               default: str | None = None) -> str:
        """One key of a vocabulary; in a terminal chosen from a numbered list by
        number, key or label (in either language, in any letter case)."""
        terms = self.vocabs[vocab].terms
        if given is not None:
            if given not in terms:
                raise ScaffoldError(_unknown(self.vocabs, vocab, given, option))
            return given
        if not self.interactive:
            if default is not None:
                return default
            self._missing(option)
            return ""
        self._show(vocab)
        while True:
            answer = self._input(self._prompt(label, f" [{default}]" if default else "")) or (
                default or "")
            key = self._pick(vocab, answer)
            if key:
                return key
            self._complain(_unknown(self.vocabs, vocab, answer, None))

    def choices(self, given: Sequence[str] | None, option: str, label: Message, vocab: str,
                lo: int = 1, hi: int | None = None,
                default: Sequence[str] | None = None) -> list[str]:
        """Several keys of a vocabulary (numbers, keys or labels, comma-separated)."""
        if given:
            for value in given:
                if value not in self.vocabs[vocab].terms:
                    raise ScaffoldError(_unknown(self.vocabs, vocab, value, option))
            return _unique(given)
        if not self.interactive:
            if default:
                return list(default)
            if lo > 0:
                self._missing(option)
            return []
        self._show(vocab)
        shown_default = ", ".join(default) if default else ""
        while True:
            suffix = f" [{shown_default}]" if default else ""
            answer = self._input(self._prompt(
                label, self.t(msg(" (numbers or names, separated by commas)")) + suffix,
            )) or shown_default
            parts = [p.strip() for p in answer.split(",") if p.strip()]
            picked = [self._pick(vocab, p) for p in parts]
            if any(k is None for k in picked):
                bad = parts[picked.index(None)]
                self._complain(_unknown(self.vocabs, vocab, bad, None))
                continue
            keys = _unique([k for k in picked if k])
            if len(keys) < lo or (hi is not None and len(keys) > hi):
                self._complain(msg("choose {lo} to {hi}", lo=lo, hi=hi) if hi
                               else msg("choose at least {lo}", lo=lo))
                continue
            return keys

    def _show(self, vocab: str) -> None:
        v = self.vocabs[vocab]
        for i, (key, labels) in enumerate(v.terms.items(), 1):
            self._say(f"  {i:>2}. {key:<24} {labels.get('nl', key)} / {labels.get('en', key)}")

    def _pick(self, vocab: str, answer: str) -> str | None:
        """The key meant by a number, a key or a label in either language (any case)."""
        terms = self.vocabs[vocab].terms
        keys = list(terms)
        answer = " ".join(answer.split())
        if answer.isdigit():
            return keys[int(answer) - 1] if 1 <= int(answer) <= len(keys) else None
        folded = answer.casefold()
        for key, labels in terms.items():
            if folded == key.casefold() or any(folded == str(label).casefold()
                                               for label in labels.values()):
                return key
        return None


def _unique(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _unknown(vocabs: Vocabularies, vocab: str, value: str, option: str | None) -> Message:
    """Why ``value`` is not a term of ``vocab``; names ``option`` only when the value
    came from the command line (``None`` in the terminal dialogue)."""
    v = vocabs[vocab]
    guess = v.suggest(value)
    if guess:
        problem = msg("'{value}' is unknown; did you mean '{guess}'?", value=value, guess=guess)
    elif len(v.terms) <= 30:
        problem = (msg("'{value}' is unknown; give a number, a name or a key from the list",
                       value=value) if option is None
                   else msg("'{value}' is unknown; allowed: {keys}", value=value,
                            keys=", ".join(v.terms)))
    else:
        problem = msg("'{value}' is not a known code ({vocabulary})", value=value,
                      vocabulary=Bilingual(v.label["en"].lower(), v.label["nl"].lower()))
    return msg("{option}: {problem}", option=option, problem=problem) if option else problem


def _checker(schema_name: str, path: tuple[str | int, ...],
             convert: Callable[[str], Any] = lambda s: s) -> Callable[[str], Message | None]:
    def check(value: str) -> Message | None:
        errors = _field_errors(schema_name, path, convert(value))
        return errors[0] if errors else None
    return check


def _year_or_month(value: str) -> Any:
    return int(value) if value.isdigit() else value


def _split_list(values: Sequence[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or ():
        out += [p.strip() for p in v.split(",") if p.strip()]
    return out


# --- entries -------------------------------------------------------------------

def _ordered(schema_name: str, data: dict[str, Any]) -> dict[str, Any]:
    """Keys in the order the schema lists them."""
    order = list(schemas.raw_schema(schema_name)["properties"])
    return {k: data[k] for k in sorted(data, key=lambda k: order.index(k) if k in order else 99)}


def _id_problem(kb: KnowledgeBase, collection: str, entry_id: str) -> Message | None:
    """Why ``entry_id`` cannot be used; ``None`` if it can."""
    if not ID_PATTERN.match(entry_id) or len(entry_id) > ID_MAX:
        return msg("not a valid id: use at most {max} lower-case letters, digits and single "
                   "hyphens", max=ID_MAX)
    existing = kb.collection(collection).get(entry_id)
    if existing is None:
        existing = next((e for i, e in kb.collection(collection).items()
                         if i.lower() == entry_id.lower()), None)
    if existing is not None:
        files = ", ".join(f.rel for f in existing.files.values())
        return msg("the entry already exists ({files}); casebook new never overwrites",
                   files=files)
    return None


def _check_id(kb: KnowledgeBase, collection: str, entry_id: str) -> Message | None:
    return _id_problem(kb, collection, entry_id)


def case_data(args: argparse.Namespace, kb: KnowledgeBase, ask: Asker,
              today: dt.date) -> tuple[str, str, dict[str, Any]]:
    """Collect the id, language and front-matter of a new case."""
    lang = _lang(args, ask)
    kind = ask.choice(args.kind, "--kind", msg("Kind"), vocabulary_of("case", ("kind",)))
    title = ask.text(args.title, "--title", msg("Title"), _checker("case", ("title",)))
    assert title is not None
    entry_id = ask.text(args.id, "--id", msg("Id (URL)"), lambda v: _check_id(kb, "cases", v),
                        default=slugify(title) or None) if title else ""
    summary = ask.text(args.summary, "--summary",
                       msg("Summary, 1–2 sentences"),
                       _checker("case", ("summary",)))
    organisations = _organisations(args, kb, ask)
    org_countries = _unique([str(kb.organisations[o["id"]].facts.get("country"))
                             for o in organisations
                             if kb.organisations[o["id"]].facts.get("country")])
    countries = _codes(args.country, ask, org_countries)
    places = _split_list(args.place)
    themes_node = _node("case", ("themes",))
    themes = ask.choices(_split_list(args.theme), "--theme", msg("Themes"),
                         vocabulary_of("case", ("themes",)), themes_node.get("minItems", 1),
                         themes_node.get("maxItems"))
    mechanisms = ask.choices(_split_list(args.mechanism), "--mechanism",
                             msg("Mechanisms"), vocabulary_of("case", ("mechanisms",)))
    start = ask.text(args.start, "--start", msg("Start (YYYY or YYYY-MM)"),
                     _checker("case", ("period", "start"), _year_or_month))
    end = ask.text(args.end, "--end", msg("End (YYYY or YYYY-MM, once ended)"),
                   _checker("case", ("period", "end"), _year_or_month), optional=True)
    stage = ask.choice(args.stage, "--stage", msg("Stage"), vocabulary_of("case", ("stage",)))
    source = _source(args, ask)
    data: dict[str, Any] = {
        "schema": 1, "title": title, "summary": summary, "kind": kind,
        "organisations": organisations, "countries": countries,
        "themes": themes, "mechanisms": mechanisms,
        "period": {"start": _year_or_month(start or "")}, "stage": stage,
        "sources": [source], "reviewed": today.isoformat(),
    }
    if places:
        data["places"] = places
    if end:
        data["period"]["end"] = _year_or_month(end)
    data.update(_kind_facts(args, kind, ask))
    ask.check_complete()
    return entry_id or "", lang, _ordered("case", data)


#: Names of the languages people may type instead of the code.
_LANGUAGE_NAMES = {"nederlands": "nl", "dutch": "nl", "engels": "en", "english": "en"}


def _lang(args: argparse.Namespace, ask: Asker) -> str:
    if args.lang is not None:
        if args.lang not in LANGUAGES:
            raise ScaffoldError(msg("--lang must be one of {languages}",
                                    languages=", ".join(LANGUAGES)))
        return str(args.lang)
    if not ask.interactive:
        return DEFAULT_LANGUAGE
    while True:
        answer = ask._input(msg("Language of the original ({languages}) [{default}]: ",
                                languages="/".join(LANGUAGES), default=DEFAULT_LANGUAGE))
        answer = (answer or DEFAULT_LANGUAGE).strip().lower()
        answer = _LANGUAGE_NAMES.get(answer, answer)
        if answer in LANGUAGES:
            return answer
        ask._complain(msg("answer {languages}", languages=" or ".join(LANGUAGES)))


def _organisations(args: argparse.Namespace, kb: KnowledgeBase,
                   ask: Asker) -> list[dict[str, str]]:
    roles_vocab = vocabulary_of("case", ("organisations", 0, "role"))
    leading = [k for k in ("owner", "host") if k in ask.vocabs[roles_vocab].terms]
    known = sorted(kb.valid_organisations(), key=lambda e: e.id)
    out: list[dict[str, str]] = []
    if args.organisation:
        for spec in args.organisation:
            org_id, _, role = spec.partition(":")
            problem = _org_problem(kb, org_id)
            if problem:
                raise ScaffoldError(msg("{option} {value}: {problem}", option="--organisation",
                                        value=repr(spec), problem=problem))
            role = ask.choice(role or None, "--organisation id:role", msg("Role"), roles_vocab)
            out.append({"id": org_id, "role": role})
    elif not ask.interactive:
        ask._missing("--organisation id:role")
        return out
    else:
        if not known:
            raise ScaffoldError(msg("no organisations yet: create one first with 'casebook new "
                                    "organisation'"))
        ask._say(msg("Organisations:"))
        for e in known:
            ask._say(f"  - {e.id:<32} {e.title(ask.lang)}")
        while True:
            prompt = (msg("Organisation id (empty = done): ") if out
                      else msg("Organisation id: "))
            org_id = ask._input(prompt)
            if not org_id:
                if out and _has_lead(out, leading):
                    break
                ask._complain(msg("at least one organisation needs the role 'owner' or 'host'"))
                continue
            problem = _org_problem(kb, org_id)
            if problem:
                ask._complain(problem)
                continue
            role = ask.choice(None, "--organisation id:role", msg("Role"), roles_vocab)
            out.append({"id": org_id, "role": role})
    if not _has_lead(out, leading) and not ask.missing:
        raise ScaffoldError(msg("{option}: {problem}", option="--organisation",
                                problem=msg("at least one organisation needs the role "
                                            "'owner' or 'host'")))
    return out


def _has_lead(orgs: list[dict[str, str]], leading: list[str]) -> bool:
    return any(o["role"] in leading for o in orgs)


def _org_problem(kb: KnowledgeBase, org_id: str) -> Message | None:
    if org_id in kb.organisations and kb.organisations[org_id].original is not None:
        return None

    guess = closest(org_id, [k for k, e in kb.organisations.items() if e.original is not None])
    if guess:
        return msg("no organisation '{id}'; did you mean '{guess}'?", id=org_id, guess=guess)
    return msg("no organisation '{id}'; create it first with: casebook new organisation {id}",
               id=org_id)


def _codes(given: Sequence[str] | None, ask: Asker, default: list[str]) -> list[str]:
    vocab = vocabulary_of("case", ("countries",))
    codes = [_country_code(ask.vocabs[vocab], c) for c in _split_list(given)]
    for c in codes:
        if c not in ask.vocabs[vocab].terms:
            raise ScaffoldError(_unknown(ask.vocabs, vocab, c, "--country"))
    if codes:
        return _unique(codes)
    if not ask.interactive:
        if not default:
            ask._missing("--country")
        return default
    shown = ",".join(default)
    while True:
        answer = ask._input(ask._prompt(msg("Countries, ISO codes (NL,BE)"),
                                        f" [{shown}]" if default else "")) or shown
        codes = [_country_code(ask.vocabs[vocab], c) for c in answer.split(",") if c.strip()]
        bad = [c for c in codes if c not in ask.vocabs[vocab].terms]
        if codes and not bad:
            return _unique(codes)
        ask._complain(_unknown(ask.vocabs, vocab, bad[0], None) if bad
                      else msg("an answer is required"))


def _country_code(countries: Any, answer: str) -> str:
    """An ISO code (or ``international``, ``not-stated``) from a code or a country name in
    either language (any case)."""
    answer = answer.strip()
    folded = answer.casefold()
    for code, labels in countries.terms.items():
        if folded == code.casefold() or any(folded == str(n).casefold()
                                            for n in labels.values()):
            return code
    return answer.upper()


def _source(args: argparse.Namespace, ask: Asker) -> dict[str, Any]:
    path = ("sources", 0)
    title = ask.text(args.source, "--source", msg("Source: title"),
                     _checker("case", (*path, "title")))
    source: dict[str, Any] = {"title": title}
    for key, option, label in (
        ("publisher", "--source-publisher", msg("Source: publisher")),
        ("date", "--source-date", msg("Source: date (YYYY[-MM[-DD]])")),
        ("url", "--source-url", msg("Source: https URL")),
    ):
        value = ask.text(getattr(args, f"source_{key}"), option, label,
                         _checker("case", (*path, key)), optional=True)
        if value:
            source[key] = value
    return source


def _kind_facts(args: argparse.Namespace, kind: str, ask: Asker) -> dict[str, Any]:
    """The kind-specific keys that the schema requires for ``kind``."""
    raw = schemas.raw_schema("case")
    out: dict[str, Any] = {}
    for key, (owner, required) in schemas.kind_properties(raw).items():
        if owner != kind or not required:
            continue
        if key == "challenge":
            vocab = vocabulary_of("case", ("challenge", "procurement"))
            out[key] = {"procurement": ask.choice(args.procurement, "--procurement",
                                                  msg("Procurement route"), vocab)}
        elif key == "building_blocks":
            out[key] = [_block(args, ask)]
        else:  # pragma: no cover - a new required kind key needs a prompt here
            raise ScaffoldError(msg("cannot scaffold '{key}' yet; add it by hand", key=key))
    return out


def _block(args: argparse.Namespace, ask: Asker) -> dict[str, Any]:
    path = ("building_blocks", 0)
    block_id = name = kind = None
    if args.block:
        block_id, _, rest = args.block.partition(":")
        kind, _, name = rest.partition(":")
    block_id = ask.text(block_id, "--block id:kind:name", msg("Building block: id"),
                        _checker("case", (*path, "id")))
    kind = ask.choice(kind or None, "--block id:kind:name", msg("Building block: kind"),
                      vocabulary_of("case", (*path, "kind")))
    name = ask.text(name or None, "--block id:kind:name", msg("Building block: name"),
                    _checker("case", (*path, "name")))
    return {"id": block_id, "name": name, "kind": kind}


def organisation_data(args: argparse.Namespace, kb: KnowledgeBase, ask: Asker,
                      today: dt.date) -> tuple[str, str, dict[str, Any]]:
    """Collect the id, language and front-matter of a new organisation."""
    lang = _lang(args, ask)
    name = ask.text(args.name, "--name", msg("Name"), _checker("organisation", ("name",)))
    assert name is not None
    entry_id = ask.text(args.id, "--id", msg("Id (URL)"),
                        lambda v: _check_id(kb, "organisations", v),
                        default=slugify(name) or None) if name else ""
    kind = ask.choice(args.kind, "--kind", msg("Kind"), vocabulary_of("organisation", ("kind",)))
    vocab = vocabulary_of("organisation", ("country",))
    countries = ask.vocabs[vocab]
    country = ask.text(args.country or None, "--country",
                       msg("Country, ISO code"),
                       lambda v: None if _country_code(countries, v) in countries.terms
                       else _unknown(ask.vocabs, vocab, v, None))
    country = _country_code(countries, country) if country else country
    website = ask.text(args.website, "--website", msg("Website (https://…)"),
                       _checker("organisation", ("website",)), optional=True)
    data: dict[str, Any] = {"schema": 1, "name": name, "kind": kind,
                            "country": country or "", "reviewed": today.isoformat()}
    if website:
        data["website"] = website
    ask.check_complete()
    return entry_id or "", lang, _ordered("organisation", data)


def render(data: dict[str, Any], headings: Sequence[str], lang: str) -> str:
    """The new file: YAML front-matter and the recommended sections.

    Written with python-frontmatter through :class:`casebook.content.entry_io.CasebookHandler`,
    the same writer scripts and ``casebook import`` use.
    """

    body = "\n\n".join(f"## {h}\n\n{PLACEHOLDER[lang]}" for h in headings)
    return dumps_entry(data, body)


# --- command -------------------------------------------------------------------

def run(args: argparse.Namespace, *, stdin: TextIO | None = None,
        stdout: TextIO | None = None, today: dt.date | None = None) -> int:
    """Scaffold one entry; returns the exit status."""

    out = stdout or sys.stdout
    err = sys.stderr
    ui = message_language(args)
    root = args.root.resolve() if args.root else find_root(Path.cwd())
    if not (root / "content").is_dir():
        print(error_line(msg("no content/ folder in {root}; pass --root", root=str(root)), ui),
              file=err)
        return USAGE
    if getattr(args, "given_id", None):
        if args.id is not None and args.id != args.given_id:
            print(error_line(msg("give the id once: {first} or {second}", first=args.given_id,
                                 second=args.id), ui), file=err)
            return USAGE
        args.id = args.given_id
    stdin = stdin or sys.stdin
    interactive = not args.no_input and stdin.isatty()
    ask = Asker(load_vocabularies(), interactive, stdin, out, ui)
    kb = load(root, ask.vocabs)
    today = today or dt.date.today()
    collection = "cases" if args.what == "case" else "organisations"
    try:
        if args.id is not None:
            problem = _id_problem(kb, collection, args.id)
            if problem:
                code = FINDINGS if ID_PATTERN.match(args.id) else USAGE
                raise ScaffoldError(msg("{option} {value}: {problem}", option="--id",
                                        value=repr(args.id), problem=problem), code)
        if args.what == "case":
            entry_id, lang, data = case_data(args, kb, ask, today)
            headings = sections()["case"][data["kind"]][lang]
            schema_name = "case"
        else:
            entry_id, lang, data = organisation_data(args, kb, ask, today)
            headings = sections()["organisation"][lang]
            schema_name = "organisation"
        problems = _schema_errors(schema_name, data)
        if problems:
            raise ScaffoldError(msg("the values do not validate: {problems}",
                                    problems="; ".join(problems)))
        target = root / "content" / collection / f"{entry_id}.{lang}.md"
        clash = _check_id(kb, collection, entry_id)
        if clash or target.exists():
            raise ScaffoldError(msg("{file}: the entry already exists; nothing was written "
                                    "(casebook new never overwrites)",
                                    file=target.relative_to(root).as_posix()), FINDINGS)
        text = render(data, headings, lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(target, "x", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except FileExistsError as exc:
            raise ScaffoldError(msg("{file}: the entry already exists; nothing was written "
                                    "(casebook new never overwrites)", file=str(target)),
                                FINDINGS) from exc
    except ScaffoldError as exc:
        print(error_line(exc.message, ui), file=err)
        return exc.code
    rel = target.relative_to(root).as_posix()
    other = "en" if lang == "nl" else "nl"
    out.write(ask.t(msg("Created: {file}\nReplace every 'TODO', optionally add {translation} "
                        "with the translation, and check with: casebook validate {file}\n",
                        file=rel, translation=f"{entry_id}.{other}.md")))
    return OK


def add_subcommand(subparsers: argparse._SubParsersAction) -> None:
    """Register ``casebook new case|organisation``."""
    p = subparsers.add_parser(
        "new", help="scaffold a new case or organisation / maak een nieuwe casus of organisatie",
        description="Create a new entry with every required key, the recommended sections and "
                    "today's reviewed date. In a terminal, missing values are asked for; "
                    "otherwise pass them as options. Never overwrites an existing entry. / "
                    "Maak een nieuw item met alle verplichte velden, de aanbevolen secties en "
                    "de datum van vandaag. In een terminal wordt naar ontbrekende waarden "
                    "gevraagd; geef ze anders mee als opties. Overschrijft nooit.")
    what = p.add_subparsers(dest="what", metavar="case|organisation")
    what.required = True
    case = what.add_parser("case", help="a new case / een nieuwe casus")
    org = what.add_parser("organisation", help="a new organisation / een nieuwe organisatie")
    for sp in (case, org):
        sp.add_argument("given_id", nargs="?", metavar="ID",
                        help="permanent id and URL slug, as --id")
        sp.add_argument("--id", help="permanent id and URL slug (default: from the title/name)")
        sp.add_argument("--lang", help=f"language of the original file: {', '.join(LANGUAGES)} "
                                       f"(default {DEFAULT_LANGUAGE})")
        sp.add_argument("--kind", help="kind (a vocabulary key)")
        sp.add_argument("--root", type=Path, default=None,
                        help="knowledge base folder (default: the folder holding mkdocs.yml)")
        sp.add_argument("--no-input", action="store_true",
                        help="never ask, even in a terminal / nooit vragen")
        sp.set_defaults(func=run)
    case.add_argument("--title")
    case.add_argument("--summary", help="one or two sentences of plain text")
    case.add_argument("--organisation", action="append", metavar="ID:ROLE",
                      help="an organisation entry and its role; repeat for more")
    case.add_argument("--country", action="append", metavar="CODE",
                      help="ISO 3166-1 alpha-2 code (default: the organisations' countries)")
    case.add_argument("--place", action="append")
    case.add_argument("--theme", action="append", metavar="KEY")
    case.add_argument("--mechanism", action="append", metavar="KEY")
    case.add_argument("--start", help="year or YYYY-MM")
    case.add_argument("--end", help="year or YYYY-MM, once ended")
    case.add_argument("--stage")
    case.add_argument("--source", metavar="TITLE", help="title of the source of the facts")
    case.add_argument("--source-publisher")
    case.add_argument("--source-date", metavar="YYYY[-MM[-DD]]")
    case.add_argument("--source-url")
    case.add_argument("--procurement", help="procurement route (challenges)")
    case.add_argument("--block", metavar="ID:KIND:NAME",
                      help="first building block (repositories)")
    org.add_argument("--name")
    org.add_argument("--country", metavar="CODE", help="ISO 3166-1 alpha-2 code")
    org.add_argument("--website")
