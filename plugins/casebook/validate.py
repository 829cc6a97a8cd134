"""Validation of the knowledge base: schema, vocabularies, references and more.

:func:`validate` returns diagnostics and never raises on bad content. Every
diagnostic names the file, the 1-based line and column, the field and a plain
message with a suggested fix.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema.exceptions import ValidationError

from . import bodysafety, valuesafety
from . import schema as schemas
from .diagnostics import Collector, Diagnostic, Severity, sort_key
from .frontmatter import Path as DataPath
from .frontmatter import path_to_field
from .i18n import msg
from .model import ID_MAX, ID_PATTERN, SCHEMAS, Entry, EntryFile, KnowledgeBase, load
from .vocab import sections

_PLACEHOLDER = re.compile(r"\bTODO\b")
#: YYYY-MM-DD with a month and day in range (the schema's date form).
_DATE_FORM = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
_SUMMARY_MARKUP = re.compile(r"<[A-Za-z/!]|\]\(|\*\*|__|^#", re.M)
_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t#]*$", re.M)


#: Errors about a value that is still a ``TODO`` placeholder; the placeholder
#: warning replaces them, so that fresh scaffolds validate with warnings only.
_PLACEHOLDER_HIDES = frozenset(
    {"length", "format", "unknown-term", "reference", "url", "url-scheme", "summary-format"}
)


def validate(
    root: Path | str,
    paths: Sequence[Path | str] = (),
    *,
    today: dt.date | None = None,
    kb: KnowledgeBase | None = None,
) -> tuple[list[Diagnostic], int]:
    """Validate the knowledge base under ``root``.

    Returns the diagnostics (sorted) and the number of files reported on. With
    ``paths`` only findings in those files (or folders) are returned, but
    references are still resolved against the whole base.
    """
    # Loading and checking create many small long-lived objects and no cyclic
    # garbage: the cyclic collector would rescan them over and over (a third of
    # the run time at 10,000 cases) while finding nothing to free.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        kb = kb or load(root)
        diagnostics = check(kb, today=today)
    finally:
        if gc_was_enabled:
            gc.enable()
    files = kb.files_read + len(kb.stray)
    if paths:
        wanted = [Path(p).resolve() for p in paths]

        def selected(rel: str) -> bool:
            target = (kb.root / rel).resolve() if not Path(rel).is_absolute() else Path(rel)
            return any(target == w or w in target.parents for w in wanted)

        diagnostics = [d for d in diagnostics if selected(d.path)]
        all_files = [f.rel for f in kb.files()] + [s[0] for s in kb.stray]
        files = sum(1 for rel in all_files if selected(rel))
    return diagnostics, files


def check(kb: KnowledgeBase, *, today: dt.date | None = None) -> list[Diagnostic]:
    """Every check over a loaded knowledge base."""
    today = today or dt.date.today()
    out = Collector()
    for rel, code, message in kb.stray:
        out.add(rel, (1, 1), "error" if code != "unexpected-file" else "warning", code, "", message)
    _check_ids(kb, out)
    for entry in kb.entries():
        _check_entry(kb, entry, out, today)
    items = list(dict.fromkeys(out.items))  # one finding reached by two rules: once
    if out.placeholders:
        items = [d for d in items if not (d.code in _PLACEHOLDER_HIDES
                                          and d.field in out.placeholders.get(d.path, ()))]
    return sorted(items, key=sort_key)


def _check_ids(kb: KnowledgeBase, out: Collector) -> None:
    for collection in ("cases", "organisations"):
        folded: dict[str, list[Entry]] = defaultdict(list)
        for entry in kb.collection(collection).values():
            folded[entry.id.lower()].append(entry)
            f = next(iter(entry.files.values()))
            if not ID_PATTERN.match(entry.id) or len(entry.id) > ID_MAX:
                for ef in entry.files.values():
                    out.error(ef, (1, 1), "file-name", "",
                              f"'{entry.id}' is not a valid id: use at most {ID_MAX} lower-case "
                              "letters, digits and single hyphens (for example "
                              f"'{_slugify(entry.id)}')")
            del f
        for group in folded.values():
            if len(group) > 1:
                names = ", ".join(sorted(ef.rel for e in group for ef in e.files.values()))
                for e in group:
                    for ef in e.files.values():
                        out.error(ef, (1, 1), "duplicate-id", "",
                                  f"ids must be unique regardless of case: {names}; rename one")


def _slugify(value: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return slug[:ID_MAX].rstrip("-") or "my-entry"


def _check_entry(kb: KnowledgeBase, entry: Entry, out: Collector, today: dt.date) -> None:
    for f in entry.files.values():
        bodysafety.check_text(f, out)
        for p in f.doc.problems:
            out.error(f, (p.line, p.column), p.code, p.field, p.message)
    original = entry.original
    if original is None:
        for f in entry.files.values():
            if f.doc.data is None:
                continue
            other = "en" if f.lang == "nl" else "nl"
            out.error(f, (1, 1), "missing-original", "",
                      "this file holds only translatable keys, and no original file carries "
                      f"the facts; add the facts here or create {Path(f.rel).parent.as_posix()}/"
                      f"{entry.id}.{other}.md with them")
        return
    for lang, f in entry.files.items():
        if f.doc.data is None:
            continue
        is_original = lang == entry.original_lang
        if not is_original:
            for key in f.fact_keys():
                out.error(f, f.doc.key_position((key,)), "facts-in-translation", key,
                          f"'{key}' is a fact and belongs only in the original {original.rel}; "
                          "remove it from this translation")
        if "TODO" in f.doc.front_matter():
            _check_placeholders(f, f.data, (), out)
        _check_schema(kb, entry, f, is_original, out)
        valuesafety.check_values(f, out, SCHEMAS[(entry.collection, is_original)])
        _check_body(entry, f, is_original, out)
    if original.doc.data is not None:
        if entry.collection == "cases":
            _check_case(kb, entry, original, out, today)
        else:
            _check_reviewed(original, out, today)
            url = original.data.get("website")
            if isinstance(url, str):
                _check_url(original, ("website",), url, out)


def _check_placeholders(f: EntryFile, value: Any, path: DataPath, out: Collector) -> None:
    """Warn about ``TODO`` left in front-matter text (as ``casebook new`` writes it)."""
    if isinstance(value, str):
        if "TODO" in value and _PLACEHOLDER.search(value):
            field = path_to_field(path)
            out.placeholders.setdefault(f.rel, set()).add(field)
            out.warning(f, f.doc.position(path), "placeholder", field,
                        "placeholder text 'TODO' is still in this field; replace it with the "
                        "real value")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_placeholders(f, item, (*path, key), out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_placeholders(f, item, (*path, i), out)


# --- schema -----------------------------------------------------------------

def _check_schema(kb: KnowledgeBase, entry: Entry, f: EntryFile, is_original: bool,
                  out: Collector) -> None:
    name = SCHEMAS[(entry.collection, is_original)]
    validator = schemas.validator(name)
    data = f.data
    if not is_original:  # facts are reported once, as facts-in-translation
        data = {k: v for k, v in data.items() if k not in f.fact_keys()}
    if schemas.is_valid(name, data):
        return
    errors = list(validator.iter_errors(data))
    raw = schemas.raw_schema(name)
    for err in errors:
        if err.validator == "enum" and not isinstance(err.instance, str):
            continue  # not text at all: the type error (or YAML coercion) says it
        _schema_error(kb, f, raw, err, out)


def _schema_error(kb: KnowledgeBase, f: EntryFile, raw: dict[str, Any], err: ValidationError,
                  out: Collector) -> None:
    path: DataPath = tuple(err.absolute_path)
    field = path_to_field(path)
    keyword = err.validator
    node = schemas.subschema(raw, path) or {}
    pos = f.doc.position(path)
    if keyword == "allOf" or (err.schema_path and err.schema_path[0] == "allOf"):
        return  # kind-specific keys are checked with clearer messages in _check_kinds
    if keyword == "required":
        missing = re.match(r"'([^']+)'", err.message)
        key = missing.group(1) if missing else "?"
        sub = schemas.subschema(raw, (*path, key)) or {}
        child = path_to_field((*path, key))
        out.error(f, pos, "required", child,
                  f"required key '{key}' is missing; add it{_hint(kb, sub)}")
        return
    if keyword == "additionalProperties":
        allowed = list((node.get("properties") or {}).keys())
        for key in err.instance:
            if key in allowed:
                continue
            kpos = f.doc.key_position((*path, key))
            guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            tip = f"did you mean '{guess[0]}'?" if guess else f"allowed keys: {', '.join(allowed)}"
            if key == "translation" and "title" in allowed:
                tip = "'translation' belongs only in a translation file"
            out.error(f, kpos, "unknown-key", path_to_field((*path, key)),
                      f"unknown key '{key}'; {tip}")
        return
    vocab_name = node.get("x-vocabulary")
    if keyword == "enum" and vocab_name:
        _unknown_term(kb, f, pos, field, vocab_name, err.instance, out)
        return
    if keyword == "type":
        coerced = f.doc.coerced.get(path)
        expected = node.get("type")
        if coerced is not None and coerced.strip() in ("", "~"):
            out.error(f, pos, "empty-value", field,
                      f"has no value; write {_type_name(expected)} after the colon, or remove "
                      "the line if the key is optional")
            return
        if coerced is not None and expected == "string":
            out.error(f, pos, "yaml-coercion", field, _coercion_message(coerced, err.instance))
            return
        out.error(f, pos, "type", field,
                  f"expected {_type_name(expected)}, found {_describe(err.instance)}"
                  f"{_TYPE_FIX.get(expected, '') if isinstance(expected, str) else ''}")
        return
    if keyword in ("minLength", "maxLength"):
        n = len(err.instance) if isinstance(err.instance, str) else 0
        lo, hi = node.get("minLength"), node.get("maxLength")
        rng = f"{lo}–{hi}" if lo is not None and hi is not None else (
            f"at least {lo}" if lo is not None else f"at most {hi}")
        out.error(f, pos, "length", field,
                  f"is {n} characters long; it must be {rng} characters")
        return
    if keyword in ("minItems", "maxItems"):
        lo, hi = node.get("minItems"), node.get("maxItems")
        n = len(err.instance) if isinstance(err.instance, list) else 0
        want = (f"{lo} to {hi}" if lo is not None and hi is not None
                else f"at least {lo}" if lo is not None else f"at most {hi}")
        out.error(f, pos, "count", field, f"has {n} item{'s' if n != 1 else ''}; give {want}")
        return
    if keyword == "uniqueItems":
        out.error(f, pos, "duplicate-item", field, "lists the same value twice; remove the repeat")
        return
    if keyword in ("pattern", "anyOf") and isinstance(err.instance, str) and (
            err.instance != err.instance.strip()):
        out.error(f, pos, "format", field,
                  msg("'{value}' has a line break or spaces before or after it; write the "
                      "value alone", value=err.instance))
        return
    if keyword == "pattern":
        out.error(f, pos, "format", field,
                  f"'{err.instance}' {_pattern_hint(node, field)}")
        return
    if keyword == "anyOf":
        out.error(f, pos, "format", field,
                  f"'{err.instance}' is not a year or year-month; write a year (2018) or a "
                  'year and month in quotes ("2018-05")')
        return
    if keyword == "const":
        out.error(f, pos, "format", field,
                  f"must be {err.validator_value!r}; this content model is version 1")
        return
    if keyword in ("minimum", "maximum"):
        bound = "at least" if keyword == "minimum" else "at most"
        out.error(f, pos, "range", field, f"{err.instance} must be {bound} {err.validator_value}")
        return
    out.error(f, pos, "schema", field, err.message)


def _coercion_message(source: str, value: Any) -> str:
    """Explain a YAML 1.1 coercion (``NO`` → false) and how to quote it."""
    if isinstance(value, bool):
        what = f"the boolean {str(value).lower()}"
    elif value is None:
        what = "an empty value"
    else:
        what = f"the number {value}"
    return f'YAML reads {source} as {what}, not as text; put it in quotes: "{source}"'


def _sentence_part(text: str) -> str:
    """``'Title of the case.'`` → ``'title of the case'``; acronyms stay upper case."""
    text = text.rstrip(".")
    if text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def _hint(kb: KnowledgeBase, sub: dict[str, Any]) -> str:
    vocab = sub.get("x-vocabulary") or (sub.get("items") or {}).get("x-vocabulary")
    if vocab and vocab not in ("countries", "currencies", "licenses"):
        keys = list(kb.vocabularies[vocab].terms)
        return f" (one of: {', '.join(keys)})"
    desc = sub.get("description")
    return f" ({_sentence_part(desc)})" if desc else ""


def _unknown_term(kb: KnowledgeBase, f: EntryFile, pos: tuple[int, int], field: str,
                  vocab_name: str, value: Any, out: Collector) -> None:
    vocab = kb.vocabularies[vocab_name]
    noun = {"countries": "an ISO 3166-1 alpha-2 country code",
            "currencies": "an ISO 4217 currency code",
            "licenses": "an SPDX licence identifier"}.get(vocab_name)
    if noun is None:
        singular = vocab.label["en"].lower()
        noun = f"{'an' if singular[0] in 'aeiou' else 'a'} {singular}"
    guess = vocab.suggest(str(value)) if isinstance(value, str) else None
    if guess:
        tip = f"did you mean '{guess}'?"
    elif len(vocab.terms) <= 20:
        tip = f"allowed values: {', '.join(vocab.terms)}"
    else:
        tip = "see the field reference in the contributor guide"
    out.error(f, pos, "unknown-term", field, f"'{value}' is not {noun}; {tip}")


_TYPE_FIX = {
    "array": "; write a list, for example [a, b], or one '- item' line per value",
    "object": "; write 'key: value' lines indented under this key, or {key: value}",
    "string": "; write the text, in quotes if it looks like a number or yes/no",
    "integer": "; write a whole number without quotes",
    "number": "; write a number without quotes",
}


def _type_name(expected: Any) -> str:
    names = {"string": "text", "integer": "a whole number", "number": "a number",
             "array": "a list", "object": "a mapping of keys", "boolean": "true or false"}
    if isinstance(expected, list):
        return " or ".join(names.get(e, e) for e in expected)
    return names.get(expected, str(expected))


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if value is None:
        return "an empty value"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _pattern_hint(node: dict[str, Any], field: str) -> str:
    pattern = node.get("pattern", "")
    if pattern.startswith("^[a-z0-9]+(-[a-z0-9]+)*/"):
        return "must be <repository id>/<block id>, for example 'my-repository/open-api'"
    if pattern.startswith("^[a-z0-9]+"):
        return "is not a valid id: use lower-case letters, digits and single hyphens"
    if "(0[1-9]|[12][0-9]|3[01])$" in pattern and "?" not in pattern:
        return "is not a date; write YYYY-MM-DD, for example 2024-05-31"
    if pattern.startswith("^[0-9]{4}"):
        return "is not a date; write YYYY, YYYY-MM or YYYY-MM-DD in quotes"
    if pattern.startswith("^[A-Za-z][A-Za-z0-9+.-]*:"):
        return "is not an absolute URL; write it in full, starting with https://"
    desc = node.get("description")
    if desc:
        return f"does not have the expected form: {_sentence_part(desc)}"
    return f"does not have the expected form ({pattern})"


# --- beyond the schema ---------------------------------------------------------

def _check_case(kb: KnowledgeBase, entry: Entry, f: EntryFile, out: Collector,
                today: dt.date) -> None:
    data = f.data
    pos = f.doc.position
    _check_reviewed(f, out, today)
    _check_kinds(kb, f, out)
    orgs = data.get("organisations")
    if isinstance(orgs, list):
        roles: set[str] = set()
        known_roles = kb.vocabularies["roles"].terms
        all_known = True  # an unknown role is reported already; do not guess
        for i, item in enumerate(orgs):
            if not isinstance(item, dict):
                all_known = False
                continue
            role = item.get("role")
            if isinstance(role, str) and role in known_roles:
                roles.add(role)
            else:
                all_known = False
            oid = item.get("id")
            if isinstance(oid, str) and ID_PATTERN.match(oid):
                _check_ref(kb.organisations, oid, f, (*("organisations", i, "id"),), "organisation",
                           "content/organisations", out)
        if orgs and all_known and not roles & {"owner", "host"}:
            out.error(f, pos(("organisations",)), "owner-missing", "organisations",
                      "at least one organisation needs the role 'owner' or 'host'")
    related = data.get("related")
    if isinstance(related, list):
        for i, rid in enumerate(related):
            if not isinstance(rid, str) or not ID_PATTERN.match(rid):
                continue
            if rid == entry.id:
                out.error(f, pos(("related", i)), "reference", f"related[{i}]",
                          "a case cannot be related to itself; remove it")
            else:
                _check_ref(kb.cases, rid, f, ("related", i), "case", "content/cases", out)
    uses = data.get("uses")
    if isinstance(uses, list):
        for i, ref in enumerate(uses):
            if isinstance(ref, str) and "/" in ref:
                _check_use(kb, f, i, ref, out)
    period = data.get("period")
    if isinstance(period, dict):
        start, end = _period_key(period.get("start"), False), _period_key(period.get("end"), True)
        if start and end and end < start:
            out.error(f, pos(("period", "end")), "period", "period.end",
                      f"end {period.get('end')} is before start {period.get('start')}; "
                      "swap them or correct the end")
        if end and data.get("stage") in ("planned", "active") and end[0] < today.year:
            out.warning(f, pos(("stage",)), "stage", "stage",
                        f"stage is '{data.get('stage')}' but the period ended in {end[0]}; "
                        "is it 'completed'?")
    challenge = data.get("challenge")
    if isinstance(challenge, dict):
        sub, sel = challenge.get("submissions"), challenge.get("selected")
        if isinstance(sub, int) and isinstance(sel, int) and sel > sub:
            out.error(f, pos(("challenge", "selected")), "range", "challenge.selected",
                      f"{sel} selected is more than the {sub} submissions; check both numbers")
    blocks = data.get("building_blocks")
    if isinstance(blocks, list):
        seen: dict[str, int] = {}
        for i, block in enumerate(blocks):
            if not isinstance(block, dict):
                continue
            bid = block.get("id")
            if isinstance(bid, str):
                if bid in seen:
                    out.error(f, pos(("building_blocks", i, "id")), "duplicate-id",
                              f"building_blocks[{i}].id",
                              f"block id '{bid}' is already used by building_blocks[{seen[bid]}]; "
                              "block ids must be unique within the repository")
                seen.setdefault(bid, i)
            maint = block.get("maintainer")
            if isinstance(maint, str) and ID_PATTERN.match(maint):
                _check_ref(kb.organisations, maint, f, ("building_blocks", i, "maintainer"),
                           "organisation", "content/organisations", out)
            url = block.get("url")
            if isinstance(url, str):
                _check_url(f, ("building_blocks", i, "url"), url, out)
    for key in ("links", "sources"):
        items = data.get(key)
        if isinstance(items, list):
            for i, item in enumerate(items):
                if isinstance(item, dict) and isinstance(item.get("url"), str):
                    _check_url(f, (key, i, "url"), item["url"], out)
                if key == "sources" and isinstance(item, dict):
                    _check_real_date(f, ("sources", i, "date"), item.get("date"), out)


def _check_kinds(kb: KnowledgeBase, f: EntryFile, out: Collector) -> None:
    raw = schemas.raw_schema("case")
    kind = f.data.get("kind")
    if not isinstance(kind, str) or kind not in kb.vocabularies["kinds"]:
        return  # an unknown kind is reported by the schema
    for key, (owner, required) in schemas.kind_properties(raw).items():
        if key in f.data and owner != kind:
            out.error(f, f.doc.key_position((key,)), "kind-key", key,
                      f"'{key}' only belongs on a case of kind '{owner}', and this case is "
                      f"kind '{kind}'; remove it or change the kind")
        elif required and owner == kind and key not in f.data:
            out.error(f, f.doc.position(("kind",)), "required", key,
                      f"a case of kind '{kind}' needs '{key}'; add it "
                      f"({_sentence_part(raw['properties'][key]['description'])})")


def _check_ref(entries: dict[str, Entry], ref: str, f: EntryFile, path: DataPath, noun: str,
               folder: str, out: Collector) -> None:
    if ref in entries and entries[ref].original is not None:
        return
    guess = difflib.get_close_matches(ref, list(entries), n=1, cutoff=0.6)
    tip = f"did you mean '{guess[0]}'?" if guess else f"add {folder}/{ref}.nl.md or fix the id"
    out.error(f, f.doc.position(path), "reference", path_to_field(path),
              f"no {noun} with id '{ref}'; {tip}")


def _check_use(kb: KnowledgeBase, f: EntryFile, i: int, ref: str, out: Collector) -> None:
    repo_id, block_id = ref.split("/", 1)
    path = ("uses", i)
    repo = kb.cases.get(repo_id)
    if repo is None or repo.original is None:
        _check_ref(kb.cases, repo_id, f, path, "case", "content/cases", out)
        return
    if repo.facts.get("kind") != "repository":
        out.error(f, f.doc.position(path), "reference", f"uses[{i}]",
                  f"'{repo_id}' is not a repository case, so it has no building blocks")
        return
    listed = repo.facts.get("building_blocks")
    listed = listed if isinstance(listed, list) else []
    blocks = [b.get("id") for b in listed if isinstance(b, dict)]
    if block_id not in blocks:
        guess = difflib.get_close_matches(block_id, [b for b in blocks if isinstance(b, str)], 1)
        if guess:
            tip = f"did you mean '{repo_id}/{guess[0]}'?"
        elif blocks:
            tip = f"its blocks are: {', '.join(str(b) for b in blocks)}"
        else:
            tip = "it lists no building blocks yet"
        out.error(f, f.doc.position(path), "reference", f"uses[{i}]",
                  f"repository '{repo_id}' has no building block '{block_id}'; {tip}")


def _period_key(value: Any, is_end: bool) -> tuple[int, int] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (value, 12 if is_end else 1)
    if isinstance(value, str):
        m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", value)
        if m:
            return (int(m.group(1)), int(m.group(2)) if m.group(2) else (12 if is_end else 1))
    return None


def _check_real_date(f: EntryFile, path: DataPath, value: Any, out: Collector) -> None:
    """A well-formed YYYY-MM-DD must also be a day of the calendar (no 2023-02-30)."""
    if not isinstance(value, str) or not _DATE_FORM.fullmatch(value):
        return  # the schema reports a date of the wrong form
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        out.error(f, f.doc.position(path), "format", path_to_field(path),
                  f"'{value}' is not a real date; check the day and the month")


def _check_reviewed(f: EntryFile, out: Collector, today: dt.date) -> None:
    value = f.data.get("reviewed")
    if not isinstance(value, str) or not _DATE_FORM.fullmatch(value):
        return
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        out.error(f, f.doc.position(("reviewed",)), "format", "reviewed",
                  f"'{value}' is not a real date; check the day and the month")
        return
    if day > today:
        out.error(f, f.doc.position(("reviewed",)), "reviewed-future", "reviewed",
                  f"{value} is in the future; use the date you checked the facts "
                  f"(today is {today.isoformat()})")


def _check_url(f: EntryFile, path: DataPath, url: str, out: Collector) -> None:
    problem = _url_problem(url)
    if problem:  # positions are worked out only for findings (see Document)
        severity, code, message = problem
        out.add(f.rel, f.doc.position(path), severity, code, path_to_field(path), message)


def _url_problem(url: str) -> tuple[Severity, str, str] | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return "error", "url", f"'{url}' is not a valid URL"
    scheme = parts.scheme.lower()
    if scheme == "https":
        if not parts.netloc:
            return ("error", "url", f"'{url}' has no host name; write the full address, for "
                    "example https://example.org/page")
        return None
    if scheme == "http":
        return ("warning", "insecure-url",
                f"'{url}' uses plain http; use https:// if the site supports it")
    return "error", "url-scheme", f"'{scheme}:' URLs are not allowed; use an https:// address"


def _check_body(entry: Entry, f: EntryFile, is_original: bool, out: Collector) -> None:
    if f.doc.data is None:
        return
    scan, at = bodysafety.check_body(f, out)
    start = f.doc.body_line
    for m in _PLACEHOLDER.finditer(scan) if "TODO" in scan else ():
        out.warning(f, at(m.start()), "placeholder", "body",
                    "placeholder text 'TODO' is still in the body; replace it with real text")
    if entry.collection == "cases":
        summary = f.data.get("summary")
        if isinstance(summary, str) and _SUMMARY_MARKUP.search(summary):
            out.error(f, f.doc.position(("summary",)), "summary-format", "summary",
                      "the summary is plain text: remove Markdown and HTML markup")
        kind = entry.facts.get("kind")
        kind = kind if isinstance(kind, str) else ""
        wanted = sections().get("case", {}).get(kind, {}).get(f.lang, [])
    else:
        wanted = sections().get("organisation", {}).get(f.lang, [])
    have = {h.strip().lower() for h in _HEADING.findall(scan)}
    missing = [s for s in wanted if s.lower() not in have]
    if missing:
        out.warning(f, (start, 1), "missing-section", "body",
                    "recommended section"
                    f"{'s' if len(missing) > 1 else ''} missing: "
                    + ", ".join(f"'## {s}'" for s in missing)
                    + "; add the heading with a few sentences, or leave it out if the sources "
                    "say nothing about it")


def iter_errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Only the errors."""
    return [d for d in diagnostics if d.severity == "error"]
