"""``casebook new case|organisation``: scaffold a new entry that validates.

The new file carries every required key, the kind's recommended body sections
(from ``data/sections.yaml``) in the chosen language with ``TODO`` placeholder
text, and today's ``reviewed`` date. Allowed values come from the schema and the
vocabularies, never from lists in this module. In a terminal the command asks
for every value it was not given; otherwise the values come from options and a
missing one is a usage error. An existing entry is never overwritten.
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

from . import schema as schemas
from .model import ID_MAX, ID_PATTERN, KnowledgeBase, load
from .vocab import DEFAULT_LANGUAGE, LANGUAGES, Vocabularies, load_vocabularies, sections

OK, FINDINGS, USAGE = 0, 1, 2

#: Placeholder paragraph under every scaffolded heading; the validator warns on 'TODO'.
PLACEHOLDER = {
    "nl": "TODO: schrijf deze sectie. Noem alleen feiten die de bronnen onderbouwen.",
    "en": "TODO: write this section. State only facts that the sources support.",
}


class ScaffoldError(Exception):
    """A value or situation that stops scaffolding; ``code`` is the exit status."""

    def __init__(self, en: str, nl: str, code: int = USAGE) -> None:
        super().__init__(en)
        self.en, self.nl, self.code = en, nl, code


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


def _field_errors(schema_name: str, path: tuple[str | int, ...], value: Any) -> list[str]:
    """Schema errors of one value, checked against the published schema."""
    full = schemas.build_schema(schema_name)
    node = schemas.subschema(full, path) or {}
    check = Draft202012Validator({**node, "$defs": full.get("$defs", {})})
    return [e.message for e in check.iter_errors(value)]


def _schema_errors(schema_name: str, data: dict[str, Any]) -> list[str]:
    """Every error of the whole front-matter, as ``field: message``."""
    from .frontmatter import path_to_field

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
                 stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
        self.vocabs = vocabs
        self.interactive = interactive
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        #: Options that were needed but not given (non-interactive mode).
        self.missing: list[str] = []

    def _input(self, prompt: str) -> str:
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise ScaffoldError("no answer (end of input)", "geen antwoord (einde van de invoer)")
        return line.strip()

    def _say(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def _missing(self, option: str) -> None:
        if option not in self.missing:
            self.missing.append(option)

    def check_complete(self) -> None:
        """Fail, naming every missing option at once."""
        if self.missing:
            names = ", ".join(self.missing)
            raise ScaffoldError(
                f"missing values; pass {names} (or run the command in a terminal to be asked)",
                f"ontbrekende waarden; geef {names} mee (of start de opdracht in een terminal "
                "om ernaar gevraagd te worden)")

    def text(self, given: str | None, option: str, label: str,
             check: Callable[[str], str | None], default: str | None = None,
             optional: bool = False) -> str | None:
        """A text value, checked by ``check`` (returns an error or ``None``)."""
        if given is not None:
            problem = check(given)
            if problem:
                raise ScaffoldError(f"{option} {given!r}: {problem}",
                                    f"{option} {given!r}: {problem}")
            return given
        if not self.interactive:
            if default is not None or optional:
                return default
            self._missing(option)
            return ""
        hint = f" [{default}]" if default else (" (leeg = overslaan / empty = skip)"
                                                 if optional else "")
        while True:
            answer = self._input(f"{label}{hint}: ") or (default or "")
            if not answer and optional:
                return None
            problem = check(answer) if answer else "required / verplicht"
            if not problem:
                return answer
            self._say(f"  ! {problem}")

    def choice(self, given: str | None, option: str, label: str, vocab: str,
               default: str | None = None) -> str:
        """One key of a vocabulary; in a terminal chosen from a numbered list."""
        terms = self.vocabs[vocab].terms
        if given is not None:
            if given not in terms:
                raise ScaffoldError(*_unknown(self.vocabs, vocab, given, option))
            return given
        if not self.interactive:
            if default is not None:
                return default
            self._missing(option)
            return ""
        self._show(vocab)
        while True:
            answer = self._input(f"{label}{f' [{default}]' if default else ''}: ") or (
                default or "")
            key = self._pick(vocab, answer)
            if key:
                return key
            self._say(f"  ! {_unknown(self.vocabs, vocab, answer, option)[0]}")

    def choices(self, given: Sequence[str] | None, option: str, label: str, vocab: str,
                lo: int = 1, hi: int | None = None,
                default: Sequence[str] | None = None) -> list[str]:
        """Several keys of a vocabulary (numbers or keys, comma-separated)."""
        if given:
            for value in given:
                if value not in self.vocabs[vocab].terms:
                    raise ScaffoldError(*_unknown(self.vocabs, vocab, value, option))
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
            answer = self._input(f"{label} (1,3,… / key,key){suffix}: ") or shown_default
            parts = [p.strip() for p in answer.split(",") if p.strip()]
            picked = [self._pick(vocab, p) for p in parts]
            if any(k is None for k in picked):
                bad = parts[picked.index(None)]
                self._say(f"  ! {_unknown(self.vocabs, vocab, bad, option)[0]}")
                continue
            keys = _unique([k for k in picked if k])
            if len(keys) < lo or (hi is not None and len(keys) > hi):
                rng = f"{lo}–{hi}" if hi else f"≥ {lo}"
                self._say(f"  ! kies {rng} / choose {rng}")
                continue
            return keys

    def _show(self, vocab: str) -> None:
        v = self.vocabs[vocab]
        for i, (key, labels) in enumerate(v.terms.items(), 1):
            self._say(f"  {i:>2}. {key:<24} {labels.get('nl', key)} / {labels.get('en', key)}")

    def _pick(self, vocab: str, answer: str) -> str | None:
        terms = list(self.vocabs[vocab].terms)
        if answer.isdigit() and 1 <= int(answer) <= len(terms):
            return terms[int(answer) - 1]
        return answer if answer in terms else None


def _unique(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _unknown(vocabs: Vocabularies, vocab: str, value: str, option: str) -> tuple[str, str]:
    v = vocabs[vocab]
    guess = v.suggest(value)
    if guess:
        return (f"{option}: '{value}' is unknown; did you mean '{guess}'?",
                f"{option}: '{value}' is onbekend; bedoelt u '{guess}'?")
    if len(v.terms) <= 30:
        keys = ", ".join(v.terms)
        return (f"{option}: '{value}' is unknown; allowed: {keys}",
                f"{option}: '{value}' is onbekend; toegestaan: {keys}")
    return (f"{option}: '{value}' is not {v.label['en'].lower()} code",
            f"{option}: '{value}' is geen code voor {v.label['nl'].lower()}")


def _checker(schema_name: str, path: tuple[str | int, ...],
             convert: Callable[[str], Any] = lambda s: s) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
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


def _id_problem(kb: KnowledgeBase, collection: str, entry_id: str) -> tuple[str, str] | None:
    """Why ``entry_id`` cannot be used, in English and Dutch; ``None`` if it can."""
    if not ID_PATTERN.match(entry_id) or len(entry_id) > ID_MAX:
        return (f"not a valid id: use at most {ID_MAX} lower-case letters, digits and single "
                "hyphens",
                f"geen geldige id: gebruik hoogstens {ID_MAX} kleine letters, cijfers en "
                "enkele koppeltekens")
    existing = kb.collection(collection).get(entry_id)
    if existing is None:
        existing = next((e for i, e in kb.collection(collection).items()
                         if i.lower() == entry_id.lower()), None)
    if existing is not None:
        files = ", ".join(f.rel for f in existing.files.values())
        return (f"the entry already exists ({files}); casebook new never overwrites",
                f"dit item bestaat al ({files}); casebook new overschrijft nooit")
    return None


def _check_id(kb: KnowledgeBase, collection: str, entry_id: str) -> str | None:
    problem = _id_problem(kb, collection, entry_id)
    return f"{problem[0]} / {problem[1]}" if problem else None


def case_data(args: argparse.Namespace, kb: KnowledgeBase, ask: Asker,
              today: dt.date) -> tuple[str, str, dict[str, Any]]:
    """Collect the id, language and front-matter of a new case."""
    lang = _lang(args, ask)
    kind = ask.choice(args.kind, "--kind", "Soort / Kind", vocabulary_of("case", ("kind",)))
    title = ask.text(args.title, "--title", "Titel / Title", _checker("case", ("title",)))
    assert title is not None
    entry_id = ask.text(args.id, "--id", "Id (URL)", lambda v: _check_id(kb, "cases", v),
                        default=slugify(title) or None) if title else ""
    summary = ask.text(args.summary, "--summary",
                       "Samenvatting, 1–2 zinnen / Summary, 1–2 sentences",
                       _checker("case", ("summary",)))
    organisations = _organisations(args, kb, ask)
    org_countries = _unique([str(kb.organisations[o["id"]].facts.get("country"))
                             for o in organisations
                             if kb.organisations[o["id"]].facts.get("country")])
    countries = _codes(args.country, ask, org_countries)
    places = _split_list(args.place)
    themes_node = _node("case", ("themes",))
    themes = ask.choices(_split_list(args.theme), "--theme", "Thema's / Themes",
                         vocabulary_of("case", ("themes",)), themes_node.get("minItems", 1),
                         themes_node.get("maxItems"))
    mechanisms = ask.choices(_split_list(args.mechanism), "--mechanism",
                             "Mechanismen / Mechanisms", vocabulary_of("case", ("mechanisms",)))
    start = ask.text(args.start, "--start", "Begin (JJJJ of JJJJ-MM) / Start (YYYY or YYYY-MM)",
                     _checker("case", ("period", "start"), _year_or_month))
    end = ask.text(args.end, "--end", "Einde / End", _checker("case", ("period", "end"),
                   _year_or_month), optional=True)
    stage = ask.choice(args.stage, "--stage", "Fase / Stage", vocabulary_of("case", ("stage",)))
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


def _lang(args: argparse.Namespace, ask: Asker) -> str:
    if args.lang is not None:
        if args.lang not in LANGUAGES:
            raise ScaffoldError(f"--lang must be one of {', '.join(LANGUAGES)}",
                                f"--lang moet een van {', '.join(LANGUAGES)} zijn")
        return str(args.lang)
    if not ask.interactive:
        return DEFAULT_LANGUAGE
    while True:
        answer = ask._input(f"Taal van het origineel / Language of the original "
                            f"({'/'.join(LANGUAGES)}) [{DEFAULT_LANGUAGE}]: ") or DEFAULT_LANGUAGE
        if answer in LANGUAGES:
            return answer
        ask._say(f"  ! {' / '.join(LANGUAGES)}")


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
                raise ScaffoldError(f"--organisation {spec!r}: {problem[0]}",
                                    f"--organisation {spec!r}: {problem[1]}")
            role = ask.choice(role or None, "--organisation id:role", "Rol / Role", roles_vocab)
            out.append({"id": org_id, "role": role})
    elif not ask.interactive:
        ask._missing("--organisation id:role")
        return out
    else:
        if not known:
            raise ScaffoldError(
                "no organisations yet: create one first with 'casebook new organisation'",
                "nog geen organisaties: maak er eerst een met 'casebook new organisation'")
        ask._say("Organisaties / Organisations:")
        for e in known:
            ask._say(f"  - {e.id:<32} {e.title('nl')}")
        while True:
            prompt = ("Organisatie-id (leeg = klaar) / Organisation id (empty = done): "
                      if out else "Organisatie-id / Organisation id: ")
            org_id = ask._input(prompt)
            if not org_id:
                if out and _has_lead(out, leading):
                    break
                ask._say(f"  ! minstens één / at least one: {', '.join(leading)}")
                continue
            problem = _org_problem(kb, org_id)
            if problem:
                ask._say(f"  ! {problem[0]} / {problem[1]}")
                continue
            role = ask.choice(None, "--organisation id:role", "Rol / Role", roles_vocab)
            out.append({"id": org_id, "role": role})
    if not _has_lead(out, leading) and not ask.missing:
        raise ScaffoldError(
            f"--organisation: at least one organisation needs the role {' or '.join(leading)}",
            f"--organisation: minstens één organisatie heeft de rol {' of '.join(leading)}")
    return out


def _has_lead(orgs: list[dict[str, str]], leading: list[str]) -> bool:
    return any(o["role"] in leading for o in orgs)


def _org_problem(kb: KnowledgeBase, org_id: str) -> tuple[str, str] | None:
    if org_id in kb.organisations and kb.organisations[org_id].original is not None:
        return None
    import difflib

    guess = difflib.get_close_matches(org_id, list(kb.organisations), n=1, cutoff=0.6)
    if guess:
        return (f"no organisation '{org_id}'; did you mean '{guess[0]}'?",
                f"geen organisatie '{org_id}'; bedoelt u '{guess[0]}'?")
    return (f"no organisation '{org_id}'; create it first with 'casebook new organisation'",
            f"geen organisatie '{org_id}'; maak die eerst met 'casebook new organisation'")


def _codes(given: Sequence[str] | None, ask: Asker, default: list[str]) -> list[str]:
    vocab = vocabulary_of("case", ("countries",))
    codes = [c.upper() for c in _split_list(given)]
    for c in codes:
        if c not in ask.vocabs[vocab].terms:
            raise ScaffoldError(*_unknown(ask.vocabs, vocab, c, "--country"))
    if codes:
        return _unique(codes)
    if not ask.interactive:
        if not default:
            ask._missing("--country")
        return default
    shown = ",".join(default)
    while True:
        answer = ask._input("Landen, ISO-codes / Countries, ISO codes (NL,BE)"
                            f"{f' [{shown}]' if default else ''}: ") or shown
        codes = [c.strip().upper() for c in answer.split(",") if c.strip()]
        bad = [c for c in codes if c not in ask.vocabs[vocab].terms]
        if codes and not bad:
            return _unique(codes)
        ask._say(f"  ! {_unknown(ask.vocabs, vocab, bad[0], '--country')[0]}" if bad
                 else "  ! verplicht / required")


def _source(args: argparse.Namespace, ask: Asker) -> dict[str, Any]:
    path = ("sources", 0)
    title = ask.text(args.source, "--source", "Bron: titel / Source: title",
                     _checker("case", (*path, "title")))
    source: dict[str, Any] = {"title": title}
    for key, option, label in (
        ("publisher", "--source-publisher", "Bron: uitgever / Source: publisher"),
        ("date", "--source-date", "Bron: datum (JJJJ[-MM[-DD]]) / Source: date (YYYY[-MM[-DD]])"),
        ("url", "--source-url", "Bron: https-URL / Source: https URL"),
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
                                                  "Inkoopprocedure / Procurement route", vocab)}
        elif key == "building_blocks":
            out[key] = [_block(args, ask)]
        else:  # pragma: no cover - a new required kind key needs a prompt here
            raise ScaffoldError(f"cannot scaffold '{key}' yet; add it by hand",
                                f"'{key}' kan nog niet worden aangemaakt; voeg het zelf toe")
    return out


def _block(args: argparse.Namespace, ask: Asker) -> dict[str, Any]:
    path = ("building_blocks", 0)
    block_id = name = kind = None
    if args.block:
        block_id, _, rest = args.block.partition(":")
        kind, _, name = rest.partition(":")
    block_id = ask.text(block_id, "--block id:kind:name", "Bouwsteen: id / Building block: id",
                        _checker("case", (*path, "id")))
    kind = ask.choice(kind or None, "--block id:kind:name", "Bouwsteen: soort / Block: kind",
                      vocabulary_of("case", (*path, "kind")))
    name = ask.text(name or None, "--block id:kind:name", "Bouwsteen: naam / Block: name",
                    _checker("case", (*path, "name")))
    return {"id": block_id, "name": name, "kind": kind}


def organisation_data(args: argparse.Namespace, kb: KnowledgeBase, ask: Asker,
                      today: dt.date) -> tuple[str, str, dict[str, Any]]:
    """Collect the id, language and front-matter of a new organisation."""
    lang = _lang(args, ask)
    name = ask.text(args.name, "--name", "Naam / Name", _checker("organisation", ("name",)))
    assert name is not None
    entry_id = ask.text(args.id, "--id", "Id (URL)", lambda v: _check_id(kb, "organisations", v),
                        default=slugify(name) or None) if name else ""
    kind = ask.choice(args.kind, "--kind", "Soort / Kind", vocabulary_of("organisation", ("kind",)))
    vocab = vocabulary_of("organisation", ("country",))
    country = ask.text(args.country.upper() if args.country else None, "--country",
                       "Land, ISO-code / Country, ISO code",
                       lambda v: None if v in ask.vocabs[vocab].terms
                       else _unknown(ask.vocabs, vocab, v, "--country")[0])
    website = ask.text(args.website, "--website", "Website (https://…)",
                       _checker("organisation", ("website",)), optional=True)
    data: dict[str, Any] = {"schema": 1, "name": name, "kind": kind,
                            "country": (country or "").upper(), "reviewed": today.isoformat()}
    if website:
        data["website"] = website
    ask.check_complete()
    return entry_id or "", lang, _ordered("organisation", data)


def render(data: dict[str, Any], headings: Sequence[str], lang: str) -> str:
    """The new file: YAML front-matter and the recommended sections.

    Written with python-frontmatter through :class:`casebook.entry_io.CasebookHandler`,
    the same writer scripts and ``casebook import`` use.
    """
    from .entry_io import dumps_entry

    body = "\n\n".join(f"## {h}\n\n{PLACEHOLDER[lang]}" for h in headings)
    return dumps_entry(data, body)


# --- command -------------------------------------------------------------------

def run(args: argparse.Namespace, *, stdin: TextIO | None = None,
        stdout: TextIO | None = None, today: dt.date | None = None) -> int:
    """Scaffold one entry; returns the exit status."""
    from .cli import find_root

    out = stdout or sys.stdout
    err = sys.stderr
    root = args.root.resolve() if args.root else find_root(Path.cwd())
    if not (root / "content").is_dir():
        print(f"casebook: error: no content/ folder in {root}; pass --root\n"
              f"casebook: fout: geen map content/ in {root}; geef --root mee", file=err)
        return USAGE
    stdin = stdin or sys.stdin
    interactive = not args.no_input and stdin.isatty()
    ask = Asker(load_vocabularies(), interactive, stdin, out)
    kb = load(root, ask.vocabs)
    today = today or dt.date.today()
    collection = "cases" if args.what == "case" else "organisations"
    try:
        if args.id is not None:
            problem = _id_problem(kb, collection, args.id)
            if problem:
                code = FINDINGS if ID_PATTERN.match(args.id) else USAGE
                raise ScaffoldError(f"--id {args.id!r}: {problem[0]}",
                                    f"--id {args.id!r}: {problem[1]}", code)
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
            raise ScaffoldError("the values do not validate: " + "; ".join(problems),
                                "de waarden zijn niet geldig: " + "; ".join(problems))
        target = root / "content" / collection / f"{entry_id}.{lang}.md"
        clash = _check_id(kb, collection, entry_id)
        if clash or target.exists():
            raise ScaffoldError(f"{target.relative_to(root)}: the entry already exists; "
                                "nothing was written (casebook new never overwrites)",
                                f"{target.relative_to(root)}: dit item bestaat al; er is niets "
                                "geschreven (casebook new overschrijft nooit)", FINDINGS)
        text = render(data, headings, lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(target, "x", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except FileExistsError as exc:
            raise ScaffoldError(f"{target}: already exists; nothing was written",
                                f"{target}: bestaat al; er is niets geschreven",
                                FINDINGS) from exc
    except ScaffoldError as exc:
        print(f"casebook: error: {exc.en}\ncasebook: fout: {exc.nl}", file=err)
        return exc.code
    rel = target.relative_to(root).as_posix()
    other = "en" if lang == "nl" else "nl"
    out.write(
        f"Aangemaakt / created: {rel}\n"
        f"Vervang elke 'TODO', voeg eventueel {entry_id}.{other}.md toe met de vertaling, en "
        f"controleer met / Replace every 'TODO', optionally add {entry_id}.{other}.md with the "
        f"translation, and check with: casebook validate {rel}\n"
    )
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
