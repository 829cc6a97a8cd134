"""Validation of the knowledge base: schema, vocabularies, references and more.

:func:`validate` returns diagnostics and never raises on bad content. Every
diagnostic names the file, the 1-based line and column, the field and a plain
message with a suggested fix.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema.exceptions import ValidationError

from . import bodysafety, contentpolicy, valuesafety
from . import schema as schemas
from . import sections as body_sections
from .diagnostics import Collector, Diagnostic, Severity, sort_key
from .frontmatter import Path as DataPath
from .frontmatter import path_to_field
from .i18n import Bilingual, Message, Ordinal, msg
from .model import ID_MAX, ID_PATTERN, SCHEMAS, Entry, EntryFile, KnowledgeBase, load
from .similar import closest

_PLACEHOLDER = re.compile(r"\bTODO\b")
#: YYYY-MM-DD with a month and day in range (the schema's date form).
_DATE_FORM = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
_SUMMARY_MARKUP = re.compile(r"<[A-Za-z/!]|\]\(|\*\*|__|^#", re.M)


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
        out.add(rel, (1, 1), "error", code, "", message)
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
                              msg("'{id}' is not a valid id: use at most {max} lower-case "
                                  "letters, digits and single hyphens (for example '{example}')",
                                  id=entry.id, max=ID_MAX, example=_slugify(entry.id)))
            del f
            if entry.id in contentpolicy.policy().reserved_ids:
                for ef in entry.files.values():
                    out.error(ef, (1, 1), "reserved-id", "", msg(
                        "'{id}' is the name of a page the site generates, so it cannot be an "
                        "entry's id; rename the file (for example '{example}')",
                        id=entry.id, example=f"my-{entry.id}.{ef.lang}.md"))
        for group in folded.values():
            if len(group) > 1:
                names = ", ".join(sorted(ef.rel for e in group for ef in e.files.values()))
                for e in group:
                    for ef in e.files.values():
                        out.error(ef, (1, 1), "duplicate-id", "",
                                  msg("ids must be unique regardless of case: {names}; "
                                      "rename one", names=names))


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
                      msg("this file holds only translatable keys, and no original file "
                          "carries the facts; add the facts here or create {file} with them",
                          file=f"{Path(f.rel).parent.as_posix()}/{entry.id}.{other}.md"))
        return
    for lang, f in entry.files.items():
        if f.doc.data is None:
            continue
        is_original = lang == entry.original_lang
        if not is_original:
            for key in f.fact_keys():
                out.error(f, f.doc.key_position((key,)), "facts-in-translation", key,
                          msg("'{key}' is a fact and belongs only in the original {file}; "
                              "remove it from this translation", key=key, file=original.rel))
        if "TODO" in f.doc.text[:f.doc.body_start or None]:  # in the front-matter
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
                        msg("placeholder text 'TODO' is still in this field; replace it with "
                            "the real value"))
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
        hint = _hint(kb, sub)
        out.error(f, pos, "required", child,
                  msg("required key '{key}' is missing; add it ({hint})", key=key, hint=hint)
                  if hint else msg("required key '{key}' is missing; add it", key=key))
        return
    if keyword == "additionalProperties":
        allowed = list((node.get("properties") or {}).keys())
        for key in err.instance:
            if key in allowed:
                continue
            kpos = f.doc.key_position((*path, key))
            guess = closest(key, allowed)
            tip = (msg("did you mean '{guess}'?", guess=guess) if guess
                   else msg("allowed keys: {keys}", keys=", ".join(allowed)))
            if key == "translation" and "title" in allowed:
                tip = msg("'translation' belongs only in a translation file")
            out.error(f, kpos, "unknown-key", path_to_field((*path, key)),
                      msg("unknown key '{key}'; {tip}", key=key, tip=tip))
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
                      msg("has no value; write {type} after the colon, or remove the line if "
                          "the key is optional", type=_type_name(expected)))
            return
        if coerced is not None and expected == "string":
            out.error(f, pos, "yaml-coercion", field, _coercion_message(coerced, err.instance))
            return
        fix = _TYPE_FIX.get(expected) if isinstance(expected, str) else None
        found = _describe(err.instance)
        out.error(f, pos, "type", field,
                  msg("expected {type}, found {found}; {fix}", type=_type_name(expected),
                      found=found, fix=fix) if fix
                  else msg("expected {type}, found {found}", type=_type_name(expected),
                           found=found))
        return
    if keyword in ("minLength", "maxLength"):
        n = len(err.instance) if isinstance(err.instance, str) else 0
        lo, hi = node.get("minLength"), node.get("maxLength")
        if lo is not None and hi is not None:
            text = msg("is {n} characters long; it must be {lo}–{hi} characters", n=n, lo=lo,
                       hi=hi)
        elif lo is not None:
            text = msg("is {n} characters long; it must be at least {lo} characters", n=n, lo=lo)
        else:
            text = msg("is {n} characters long; it must be at most {hi} characters", n=n, hi=hi)
        out.error(f, pos, "length", field, text)
        return
    if keyword in ("minItems", "maxItems"):
        lo, hi = node.get("minItems"), node.get("maxItems")
        n = len(err.instance) if isinstance(err.instance, list) else 0
        want = (msg("{lo} to {hi}", lo=lo, hi=hi) if lo is not None and hi is not None
                else msg("at least {lo}", lo=lo) if lo is not None else msg("at most {hi}", hi=hi))
        out.error(f, pos, "count", field,
                  msg("has 1 value; give {want}", want=want) if n == 1
                  else msg("has {n} values; give {want}", n=n, want=want))
        return
    if keyword == "uniqueItems":
        out.error(f, pos, "duplicate-item", field,
                  msg("lists the same value twice; remove the repeat"))
        return
    if keyword in ("pattern", "anyOf") and isinstance(err.instance, str) and (
            err.instance != err.instance.strip()):
        out.error(f, pos, "format", field,
                  msg("'{value}' has a line break or spaces before or after it; write the "
                      "value alone", value=err.instance))
        return
    if keyword == "pattern":
        out.error(f, pos, "format", field,
                  msg("'{value}' {problem}", value=err.instance,
                      problem=_pattern_hint(node, field)))
        return
    if keyword == "anyOf":
        out.error(f, pos, "format", field,
                  msg("'{value}' is not a year or year-month; write a year (2018) or a "
                      'year and month in quotes ("2018-05")', value=err.instance))
        return
    if keyword == "const":
        out.error(f, pos, "format", field,
                  msg("must be {value}; this content model is version 1",
                      value=repr(err.validator_value)))
        return
    if keyword in ("minimum", "maximum"):
        out.error(f, pos, "range", field,
                  msg("{value} must be at least {bound}", value=err.instance,
                      bound=err.validator_value) if keyword == "minimum"
                  else msg("{value} must be at most {bound}", value=err.instance,
                           bound=err.validator_value))
        return
    out.error(f, pos, "schema", field,
              msg("does not match the content model: {detail}", detail=err.message))


def _coercion_message(source: str, value: Any) -> Message:
    """Explain a YAML 1.1 coercion (``NO`` → false) and how to quote it."""
    if isinstance(value, bool):
        what = msg("the boolean {value}", value=str(value).lower())
    elif value is None:
        what = msg("an empty value")
    else:
        what = msg("the number {value}", value=value)
    return msg('YAML reads {source} as {what}, not as text; put it in quotes: "{source}"',
               source=source, what=what)


def _sentence_part(text: str) -> str:
    """``'Title of the case.'`` → ``'title of the case'``; acronyms stay upper case."""
    text = text.rstrip(".")
    if text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def _hint(kb: KnowledgeBase, sub: dict[str, Any]) -> Message | None:
    vocab = sub.get("x-vocabulary") or (sub.get("items") or {}).get("x-vocabulary")
    if vocab and vocab not in ("countries", "currencies", "licenses"):
        keys = list(kb.vocabularies[vocab].terms)
        return msg("one of: {keys}", keys=", ".join(keys))
    return _description(sub)


def _description(node: dict[str, Any]) -> Message | None:
    """The schema's description of a field in both languages, as a sentence part."""
    desc = node.get("description")
    if not desc:
        return None
    return Bilingual(_sentence_part(desc), _sentence_part(node.get("x-description-nl") or desc))


def _unknown_term(kb: KnowledgeBase, f: EntryFile, pos: tuple[int, int], field: str,
                  vocab_name: str, value: Any, out: Collector) -> None:
    if vocab_name == "licenses" and isinstance(value, str):
        from .licences import problem, replacements

        code = "deprecated-licence" if replacements(value) else "unknown-term"
        out.error(f, pos, code, field, problem(value) or value)
        return
    vocab = kb.vocabularies[vocab_name]
    noun = {"countries": msg("an ISO 3166-1 alpha-2 country code"),
            "currencies": msg("an ISO 4217 currency code"),
            "licenses": msg("an SPDX licence identifier")}.get(vocab_name)
    if noun is None:
        singular = vocab.label["en"].lower()
        article = "an" if singular[:1] in "aeiou" else "a"
        noun = Bilingual(f"{article} {singular}", vocab.label["nl"].lower())
    guess = vocab.suggest(str(value)) if isinstance(value, str) else None
    if guess:
        tip = msg("did you mean '{guess}'?", guess=guess)
    elif len(vocab.terms) <= 20:
        tip = msg("allowed values: {keys}", keys=", ".join(vocab.terms))
    else:
        tip = msg("see the field reference in the contributor guide")
    extra = kb.vocabularies.extra_terms(vocab_name)  # 'international', 'not-stated'
    if extra and not guess:
        tip = msg("{tip}; or {terms}", tip=tip, terms=" or ".join(f"'{t}'" for t in extra))
    out.error(f, pos, "unknown-term", field,
              msg("'{value}' is not {noun}; {tip}", value=value, noun=noun, tip=tip))


_TYPE_FIX = {
    "array": msg("write a list, for example [a, b], or one '- item' line per value"),
    "object": msg("write 'key: value' lines indented under this key, or {example}",
                  example="{key: value}"),
    "string": msg("write the text, in quotes if it looks like a number or yes/no"),
    "integer": msg("write a whole number without quotes"),
    "number": msg("write a number without quotes"),
}

_TYPE_NAMES = {"string": msg("text"), "integer": msg("a whole number"),
               "number": msg("a number"), "array": msg("a list"),
               "object": msg("a mapping of keys"), "boolean": msg("true or false")}


def _type_name(expected: Any) -> Message:
    if isinstance(expected, list):
        first, *rest = expected
        name = _TYPE_NAMES.get(first) or msg("{name}", name=first)
        for e in rest:
            name = msg("{a} or {b}", a=name, b=_TYPE_NAMES.get(e) or e)
        return name
    return _TYPE_NAMES.get(expected) or msg("{name}", name=str(expected))


def _describe(value: Any) -> Message:
    if isinstance(value, bool):
        return msg("the boolean {value}", value=str(value).lower())
    if value is None:
        return msg("an empty value")
    if isinstance(value, int | float):
        return msg("the number {value}", value=value)
    if isinstance(value, str):
        return msg("the text '{value}'", value=value)
    if isinstance(value, list):
        return msg("a list")
    return msg("a mapping")


def _pattern_hint(node: dict[str, Any], field: str) -> Message:
    pattern = node.get("pattern", "")
    if pattern.startswith("^[a-z0-9]+(-[a-z0-9]+)*/"):
        return msg("must be <repository id>/<block id>, for example 'my-repository/open-api'")
    if pattern.startswith("^[a-z0-9]+"):
        return msg("is not a valid id: use lower-case letters, digits and single hyphens")
    if "(0[1-9]|[12][0-9]|3[01])$" in pattern and "?" not in pattern:
        return msg("is not a date; write YYYY-MM-DD, for example 2024-05-31")
    if pattern.startswith("^[0-9]{4}"):
        return msg("is not a date; write YYYY, YYYY-MM or YYYY-MM-DD in quotes")
    if pattern.startswith("^[A-Za-z][A-Za-z0-9+.-]*:"):
        return msg("is not an absolute URL; write it in full, starting with https://")
    desc = _description(node)
    if desc:
        return msg("does not have the expected form: {description}", description=desc)
    return msg("does not have the expected form ({pattern})", pattern=pattern)



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
                _check_ref(kb.organisations, oid, f, ("organisations", i, "id"), "organisation",
                           out)
        stated = data.get("owner_stated") is not False
        if orgs and all_known and stated and not roles & {"owner", "host"}:
            out.error(f, pos(("organisations",)), "owner-missing", "organisations",
                      msg("at least one organisation needs the role 'owner' or 'host'; if the "
                          "sources name no owner or host, add 'owner_stated: false'"))
        elif not stated and roles & {"owner", "host"}:
            out.error(f, pos(("owner_stated",)), "owner-stated", "owner_stated",
                      msg("'owner_stated: false' says the sources name no owner or host, but "
                          "an organisation has the role 'owner' or 'host'; remove one of the two"))
    countries = data.get("countries")
    if isinstance(countries, list) and len(countries) > 1:
        for i, code in enumerate(countries):
            if code in kb.vocabularies.extra_terms("countries"):
                out.error(f, pos(("countries", i)), "country-unknown", f"countries[{i}]",
                          msg("'{code}' stands alone: it cannot be combined with country "
                              "codes; keep either '{code}' or the codes", code=code))
    related = data.get("related")
    if isinstance(related, list):
        for i, rid in enumerate(related):
            if not isinstance(rid, str) or not ID_PATTERN.match(rid):
                continue
            if rid == entry.id:
                out.error(f, pos(("related", i)), "reference", f"related[{i}]",
                          msg("a case cannot be related to itself; remove it"))
            else:
                _check_ref(kb.cases, rid, f, ("related", i), "case", out)
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
                      msg("end {end} is before start {start}; swap them or correct the end",
                          end=period.get("end"), start=period.get("start")))
        elif isinstance(data.get("stage"), str):
            _check_stage(f, period, data["stage"], (start, end), today, out)
    challenge = data.get("challenge")
    if isinstance(challenge, dict):
        sub, sel = challenge.get("submissions"), challenge.get("selected")
        if isinstance(sub, int) and isinstance(sel, int) and sel > sub:
            out.error(f, pos(("challenge", "selected")), "range", "challenge.selected",
                      msg("{selected} selected is more than the {submissions} submissions; "
                          "check both numbers", selected=sel, submissions=sub))
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
                              msg("block id '{id}' is already used by the {ordinal} building "
                                  "block; block ids must be unique within the repository",
                                  id=bid, ordinal=Ordinal(seen[bid] + 1)))
                seen.setdefault(bid, i)
            maint = block.get("maintainer")
            if isinstance(maint, str) and ID_PATTERN.match(maint):
                _check_ref(kb.organisations, maint, f, ("building_blocks", i, "maintainer"),
                           "organisation", out)
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
                      msg("'{key}' only belongs on a case of kind '{owner}', and this case is "
                          "kind '{kind}'; remove it or change the kind", key=key, owner=owner,
                          kind=kind))
        elif required and owner == kind and key not in f.data:
            out.error(f, f.doc.position(("kind",)), "required", key,
                      msg("a case of kind '{kind}' needs '{key}'; add it ({description})",
                          kind=kind, key=key,
                          description=_description(raw["properties"][key])))


def _check_ref(entries: dict[str, Entry], ref: str, f: EntryFile, path: DataPath, what: str,
               out: Collector) -> None:
    """A reference to an entry; a missing one names the command that adds it."""
    if ref in entries and entries[ref].original is not None:
        return
    guess = closest(ref, [k for k, e in entries.items() if e.original is not None])
    if what == "organisation":
        text = (msg("no organisation with id '{id}'; did you mean '{guess}'? If not, add it "
                    "with: casebook new organisation {id}", id=ref, guess=guess) if guess
                else msg("no organisation with id '{id}'; add it with: casebook new "
                         "organisation {id} (or correct the id)", id=ref))
    else:
        text = (msg("no case with id '{id}'; did you mean '{guess}'? If not, add it with: "
                    "casebook new case {id}", id=ref, guess=guess) if guess
                else msg("no case with id '{id}'; add it with: casebook new case {id} "
                         "(or correct the id)", id=ref))
    out.error(f, f.doc.position(path), "reference", path_to_field(path), text)


def _check_use(kb: KnowledgeBase, f: EntryFile, i: int, ref: str, out: Collector) -> None:
    repo_id, block_id = ref.split("/", 1)
    path = ("uses", i)
    repo = kb.cases.get(repo_id)
    if repo is None or repo.original is None:
        _check_ref(kb.cases, repo_id, f, path, "case", out)
        return
    if repo.facts.get("kind") != "repository":
        out.error(f, f.doc.position(path), "reference", f"uses[{i}]",
                  msg("'{id}' is not a repository case, so it has no building blocks",
                      id=repo_id))
        return
    listed = repo.facts.get("building_blocks")
    listed = listed if isinstance(listed, list) else []
    blocks = [b.get("id") for b in listed if isinstance(b, dict)]
    if block_id not in blocks:
        guess = closest(block_id, [b for b in blocks if isinstance(b, str)])
        if guess:
            tip = msg("did you mean '{guess}'?", guess=f"{repo_id}/{guess}")
        elif blocks:
            tip = msg("its blocks are: {blocks}", blocks=", ".join(str(b) for b in blocks))
        else:
            tip = msg("it lists no building blocks yet")
        out.error(f, f.doc.position(path), "reference", f"uses[{i}]",
                  msg("repository '{repo}' has no building block '{block}'; {tip}",
                      repo=repo_id, block=block_id, tip=tip))


def _months(value: Any, known: tuple[int, int] | None,
            known_is_last: bool) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The first and last month a period value (a year or ``YYYY-MM``) can mean;
    ``known`` is the one of them worked out already."""
    if known is None:
        return None
    other = _period_key(value, not known_is_last)
    if other is None:
        return None
    return (other, known) if known_is_last else (known, other)


def _check_stage(f: EntryFile, period: dict[str, Any], stage: str,
                 keys: tuple[tuple[int, int] | None, tuple[int, int] | None], today: dt.date,
                 out: Collector) -> None:
    """Warn where ``period`` and ``stage`` contradict each other on ``today``.

    Only certain contradictions count: a year is taken as any of its months, so
    a case that ends "2026" may be completed in 2026, and one that starts "2026"
    may still be planned in 2026.
    """
    now = (today.year, today.month)
    start = _months(period.get("start"), keys[0], False)
    end = _months(period.get("end"), keys[1], True)
    s, e = period.get("start"), period.get("end")
    if start and start[0] > now and stage in ("active", "completed", "discontinued"):
        text = msg("stage is '{stage}' but the period starts in {start}, in the future; "
                   "is it 'planned', or is the start wrong?", stage=stage, start=s)
    elif end and end[0] > now and stage == "completed":
        text = msg("stage is 'completed' but the period ends in {end}, in the future; "
                   "is it 'active', or is the end wrong?", end=e)
    elif end and end[1] < now and stage in ("planned", "active"):
        text = msg("stage is '{stage}' but the period ended in {end}; is it 'completed' "
                   "or 'discontinued'?", stage=stage, end=e)
    elif start and start[1] < now and stage == "planned":
        text = msg("stage is 'planned' but the period started in {start}; is it "
                   "'active', or is the start wrong?", start=s)
    else:
        return
    # Positions are worked out only for findings (a second parse of the file).
    out.warning(f, f.doc.position(("stage",)), "stage", "stage", text)


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
                  msg("'{value}' is not a real date; check the day and the month", value=value))


def _check_reviewed(f: EntryFile, out: Collector, today: dt.date) -> None:
    value = f.data.get("reviewed")
    if not isinstance(value, str) or not _DATE_FORM.fullmatch(value):
        return
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        out.error(f, f.doc.position(("reviewed",)), "format", "reviewed",
                  msg("'{value}' is not a real date; check the day and the month", value=value))
        return
    if day > today:
        out.error(f, f.doc.position(("reviewed",)), "reviewed-future", "reviewed",
                  msg("{value} is in the future; use the date you checked the facts "
                      "(today is {today})", value=value, today=today.isoformat()))


def _check_url(f: EntryFile, path: DataPath, url: str, out: Collector) -> None:
    problem = _url_problem(url)
    if problem:  # positions are worked out only for findings (see Document)
        severity, code, message = problem
        out.add(f.rel, f.doc.position(path), severity, code, path_to_field(path), message)


def _url_problem(url: str) -> tuple[Severity, str, str] | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return "error", "url", msg("'{url}' is not a valid URL", url=url)
    scheme = parts.scheme.lower()
    if scheme == "https":
        if not parts.netloc:
            return ("error", "url", msg("'{url}' has no host name; write the full address, "
                                        "for example https://example.org/page", url=url))
        return None
    if scheme == "http":
        return ("warning", "insecure-url",
                msg("'{url}' uses plain http; use https:// if the site supports it", url=url))
    return ("error", "url-scheme",
            msg("'{scheme}:' URLs are not allowed; use an https:// address", scheme=scheme))


def _check_body(entry: Entry, f: EntryFile, is_original: bool, out: Collector) -> None:
    if f.doc.data is None:
        return
    scan, at = bodysafety.check_body(f, out)
    contentpolicy.check_body_ids(
        scan, lambda index, message: out.error(f, at(index), "reserved-id", "body", message))
    start = f.doc.body_line
    for m in _PLACEHOLDER.finditer(scan) if "TODO" in scan else ():
        out.warning(f, at(m.start()), "placeholder", "body",
                    msg("placeholder text 'TODO' is still in the body; replace it with real "
                        "text"))
    if entry.collection == "cases":
        summary = f.data.get("summary")
        if isinstance(summary, str) and _SUMMARY_MARKUP.search(summary):
            out.error(f, f.doc.position(("summary",)), "summary-format", "summary",
                      msg("the summary is plain text: remove Markdown and HTML markup"))
        kind = entry.facts.get("kind")
        wanted = body_sections.wanted("cases", kind if isinstance(kind, str) else "", f.lang)
    else:
        wanted = body_sections.wanted("organisations", "", f.lang)
    have = body_sections.present(scan)
    missing = [k for k, folded in wanted if folded not in have]
    settled = body_sections.settled(entry.facts) if entry.original is not None else []
    if settled:
        if is_original:
            _check_settled(f, [k for k, _ in wanted], settled, have, out)
        missing = [k for k in missing if k not in settled]
    if missing:
        names = ", ".join(f"'## {body_sections.heading(k, f.lang)}'" for k in missing)
        out.warning(f, (start, 1), "missing-section", "body",
                    msg("recommended section missing: {sections}; add the heading with a few "
                        "sentences, or, when the sources say nothing about it, record that "
                        "in the front-matter of the original file: not_in_sources: [{keys}]",
                        sections=names, keys=", ".join(missing))
                    if len(missing) == 1 else
                    msg("recommended sections missing: {sections}; add each heading with a few "
                        "sentences, or, when the sources say nothing about one, record that "
                        "in the front-matter of the original file: not_in_sources: [{keys}]",
                        sections=names, keys=", ".join(missing)))


def _check_settled(f: EntryFile, keys: list[str], settled: list[str], have: set[str],
                   out: Collector) -> None:
    """``not_in_sources`` names recommended sections of this entry that its body lacks."""
    for i, key in enumerate(settled):
        path = (body_sections.SETTLED_KEY, i)
        if key not in body_sections.headings():
            continue  # not a section key at all: the schema reports it
        if key not in keys:
            out.warning(f, f.doc.position(path), "not-in-sources", path_to_field(path),
                        msg("'{key}' is not a recommended section of this entry ({keys}); "
                            "remove it", key=key, keys=", ".join(keys)))
        elif body_sections.heading(key, f.lang).lower() in have:
            out.warning(f, f.doc.position(path), "not-in-sources", path_to_field(path),
                        msg("the body has the section '## {heading}', so the sources do say "
                            "something about it; remove '{key}' from not_in_sources",
                            heading=body_sections.heading(key, f.lang), key=key))


def iter_errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Only the errors."""
    return [d for d in diagnostics if d.severity == "error"]
