"""Validation of the knowledge base: schema, vocabularies, references and more.

:func:`validate` returns diagnostics and never raises on bad content. Every
diagnostic names the file, the 1-based line and column, the field and a plain
message with a suggested fix.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import gc
import html
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jsonschema.exceptions import ValidationError

from . import schema as schemas
from .diagnostics import Diagnostic, Severity, sort_key
from .frontmatter import Path as DataPath
from .frontmatter import path_to_field
from .htmlscan import BAD_SCHEMES
from .model import ID_MAX, ID_PATTERN, SCHEMAS, Entry, EntryFile, KnowledgeBase, load
from .vocab import sections

# Characters that can hide or reorder text: bidirectional controls and zero-width.
INVISIBLE = re.compile("[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_INVISIBLE_NAMES = {
    "\u200b": "ZERO WIDTH SPACE", "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER", "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK", "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE", "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE", "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE", "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
    "\u2060": "WORD JOINER",
}
# Code is skipped when looking for unsafe HTML, found as Python-Markdown finds it
# (see _blank_fences and _blank_code_spans); where in doubt the text is scanned.
# A comment is only skipped when it holds no markup at all.
#: Fence lines. Fences are found line by line (see :func:`_blank_fences`): a regular
#: expression over the whole body takes quadratic time on many unclosed fences.
_FENCE_OPEN = re.compile(
    r"(~{3,}|`{3,})[ ]*(?:\{[^\n]*\}|(?:\.?[\w#.+-]*[ ]*)?(?:hl_lines=(\"|').*?\2[ ]*)?)")
_FENCE_CLOSE = re.compile(r"(~{3,}|`{3,})[ ]*")
_BACKTICKS = re.compile(r"`+")
_HTML_COMMENT = re.compile(r"<!--(?!-?>)[^<>]*?-->")
_DANGEROUS_TAG = re.compile(
    r"<\s*(script|iframe|object|embed|form|style|base|meta|frame|frameset|applet|link|svg|math)\b",
    re.I,
)
#: A start tag up to its '>' (quoted values may hold '>'); possessive, so linear in time.
_TAG = re.compile(r"<[A-Za-z](?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+")
_EVENT_ATTR = re.compile(r"[\s/\"'](on[a-z]+)\s*=", re.I)
#: The refused schemes (the same list the post-build scan refuses), matched after
#: the characters browsers drop from a URL are removed.
_BAD_URL = re.compile("(" + "|".join(re.escape(s.rstrip(":")) for s in BAD_SCHEMES) + r")\s*:",
                      re.I)
_BAD_URL_WHY = {
    "file": "point at files on the reader's own computer",
}
_URL_ATTR = re.compile(
    r"\b(href|src|srcset|action|formaction|poster|background|xlink:href|data)\s*=\s*"
    r"(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<uq>[^\s\"'>]+))",
    re.I,
)
#: Markdown link reference definitions: ``[label]: url``.
_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*<?(\S+?)>?(?:[ \t]|$)", re.M)
#: Characters browsers drop from URLs, so ``java&#9;script:`` still runs.
_URL_JUNK = re.compile(r"[\x00-\x20\x7f]+")
_MD_LINK = re.compile(r"(!?)\[[^\[\]\n]*\]\(\s*<?([^)\s>]+)")
#: The target of every inline link, whatever its text (nested brackets, line breaks).
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)")
#: ``![alt][label]``: an image that takes its address from a reference definition.
_IMAGE_REF = re.compile(r"!\[([^\[\]\n]*)\](?:\[([^\[\]\n]*)\])?")
_REF_LABEL = re.compile(r"^ {0,3}\[([^\]\n]+)\]:", re.M)
_AUTOLINK = re.compile(r"<([^<>\s\"']+:[^<>\s\"']*)>")
#: Attribute lists (``attr_list``): ``{: #id .class key="value"}`` after a block or inline.
_ATTR_LIST = re.compile(r"\{:?[ \t]*([^{}\n=]*=[^{}\n]*)\}")
_ATTR_ACTIVE = re.compile(r"(?:^|[\s:\"'])(on[a-z]+|style)\s*=", re.I)
_STYLE_ATTR = re.compile(r"[\s/\"'](style)\s*=", re.I)
#: pymdownx.snippets include lines: ``--8<-- "file"`` or a block between ``--8<--`` lines.
_SNIPPET_INLINE = re.compile(
    r"^[ \t]*-+8<-+[ \t]+(?:\"((?:\\\"|[^\"\n])+?)\"|'((?:\\'|[^'\n])+?)')[ \t]*$")
_SNIPPET_BLOCK = re.compile(r"^[ \t]*-+8<-+[ \t]*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
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


class _Collector:
    def __init__(self) -> None:
        self.items: list[Diagnostic] = []
        #: Fields holding a placeholder, per file.
        self.placeholders: dict[str, set[str]] = {}

    def add(self, path: str, pos: tuple[int, int], severity: Severity, code: str,
            field: str, message: str) -> None:
        self.items.append(Diagnostic(path, pos[0], pos[1], severity, code, field, message))

    def error(self, f: EntryFile, pos: tuple[int, int], code: str, field: str, msg: str) -> None:
        self.add(f.rel, pos, "error", code, field, msg)

    def warning(self, f: EntryFile, pos: tuple[int, int], code: str, field: str, msg: str) -> None:
        self.add(f.rel, pos, "warning", code, field, msg)


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
    out = _Collector()
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


def _check_ids(kb: KnowledgeBase, out: _Collector) -> None:
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


def _check_entry(kb: KnowledgeBase, entry: Entry, out: _Collector, today: dt.date) -> None:
    for f in entry.files.values():
        _check_text(f, out)
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
        _check_body(entry, f, is_original, out)
    if original.doc.data is not None:
        if entry.collection == "cases":
            _check_case(kb, entry, original, out, today)
        else:
            _check_reviewed(original, out, today)
            url = original.data.get("website")
            if isinstance(url, str):
                _check_url(original, ("website",), url, out)


def _check_placeholders(f: EntryFile, value: Any, path: DataPath, out: _Collector) -> None:
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
                  out: _Collector) -> None:
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
                  out: _Collector) -> None:
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
                  vocab_name: str, value: Any, out: _Collector) -> None:
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

def _check_case(kb: KnowledgeBase, entry: Entry, f: EntryFile, out: _Collector,
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


def _check_kinds(kb: KnowledgeBase, f: EntryFile, out: _Collector) -> None:
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
               folder: str, out: _Collector) -> None:
    if ref in entries and entries[ref].original is not None:
        return
    guess = difflib.get_close_matches(ref, list(entries), n=1, cutoff=0.6)
    tip = f"did you mean '{guess[0]}'?" if guess else f"add {folder}/{ref}.nl.md or fix the id"
    out.error(f, f.doc.position(path), "reference", path_to_field(path),
              f"no {noun} with id '{ref}'; {tip}")


def _check_use(kb: KnowledgeBase, f: EntryFile, i: int, ref: str, out: _Collector) -> None:
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


def _check_real_date(f: EntryFile, path: DataPath, value: Any, out: _Collector) -> None:
    """A well-formed YYYY-MM-DD must also be a day of the calendar (no 2023-02-30)."""
    if not isinstance(value, str) or not _DATE_FORM.fullmatch(value):
        return  # the schema reports a date of the wrong form
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        out.error(f, f.doc.position(path), "format", path_to_field(path),
                  f"'{value}' is not a real date; check the day and the month")


def _check_reviewed(f: EntryFile, out: _Collector, today: dt.date) -> None:
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


def _check_url(f: EntryFile, path: DataPath, url: str, out: _Collector) -> None:
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


# --- text and body ----------------------------------------------------------

def _check_text(f: EntryFile, out: _Collector) -> None:
    text = f.doc.text
    if not text or text.isascii():  # every invisible character is outside ASCII
        return
    for m in INVISIBLE.finditer(text):
        if m.group() == "\u200d" and _joins_emoji(text, m.start()):
            continue  # 👩‍💻: a joiner inside an emoji sequence is part of the emoji
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        ch = m.group()
        name = _INVISIBLE_NAMES.get(ch) or unicodedata.name(ch, "invisible control character")
        out.error(f, (line, col), "invisible-character", _field_on_line(f, line),
                  f"U+{ord(ch):04X} {name} is invisible and can hide or reorder text; "
                  "delete it")


def _field_on_line(f: EntryFile, line: int) -> str:
    """The field a file line belongs to: ``body``, the front-matter key, or ''."""
    doc = f.doc
    if doc.body_start and line >= doc.body_line:
        return "body"
    if doc.data is None or line < 2:
        return ""
    best: tuple[int, tuple[Any, ...]] | None = None
    for path, mark in doc.key_marks.items():
        key_line = mark.line + doc.line_offset
        if key_line <= line and (best is None or key_line > best[0]
                                 or (key_line == best[0] and len(path) > len(best[1]))):
            best = (key_line, path)
    return path_to_field(best[1]) if best else ""


def _is_emoji(ch: str) -> bool:
    return ord(ch) >= 0x1F000 or 0x2600 <= ord(ch) <= 0x27BF


def _joins_emoji(text: str, index: int) -> bool:
    """True when the ZERO WIDTH JOINER at ``index`` joins two emoji (👩🏽‍💻)."""
    before = text[index - 1] if index else ""
    if before == "\ufe0f" and index > 1:  # emoji presentation selector
        before = text[index - 2]
    after = text[index + 1] if index + 1 < len(text) else ""
    return bool(before and after) and _is_emoji(before) and _is_emoji(after)


def _blank_fences(text: str) -> str:
    """Blank out fenced code blocks exactly as Python-Markdown's ``fenced_code`` finds
    them: an opening fence at the start of a line, closed by the next line holding the
    same fence. An unclosed fence is text. Linear in time (no regex over the body)."""
    lines = text.split("\n")
    closers: dict[str, list[int]] = defaultdict(list)
    candidates = []
    for j, line in enumerate(lines):
        if line[:3] in ("```", "~~~"):
            candidates.append(j)
            m = _FENCE_CLOSE.fullmatch(line)
            if m:
                closers[m.group(1)].append(j)
    after = 0  # lines before this index are already inside a blanked block
    for i in candidates:
        if i < after:
            continue
        m = _FENCE_OPEN.fullmatch(lines[i])
        if not m:
            continue
        found = closers.get(m.group(1), [])
        k = bisect.bisect_right(found, i)
        if k == len(found):
            continue
        j = found[k]
        for n in range(i, j + 1):
            lines[n] = " " * len(lines[n])
        after = j + 1
    return "\n".join(lines)


def _blank_code_spans(text: str) -> str:
    """Blank out code spans: a run of backticks up to the next run of the same length
    on the same line. Linear in time, however many unmatched runs a line holds.

    Python-Markdown pairs backticks across the lines of a paragraph and splits
    unmatched runs, so once a paragraph holds an unmatched or escaped run, the rest
    of it is left to be scanned: text may then be reported that Markdown shows as
    code, but code is never assumed where Markdown shows markup."""
    lines = text.split("\n")
    unsure = False  # this paragraph had a run whose pairing is not known
    for n, line in enumerate(lines):
        if not line.strip():
            unsure = False
            continue
        if "`" not in line or unsure:
            continue
        runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
        following: list[int] = [-1] * len(runs)  # next run of the same length
        seen: dict[int, int] = {}
        for i in range(len(runs) - 1, -1, -1):
            size = runs[i][1] - runs[i][0]
            following[i] = seen.get(size, -1)
            seen[size] = i
        chars = list(line)
        i = 0
        while i < len(runs):
            start = runs[i][0]
            j = following[i]
            if j < 0 or (start and line[start - 1] == "\\"):
                unsure = True
                break
            chars[start:runs[j][1]] = " " * (runs[j][1] - start)
            i = j + 1
        lines[n] = "".join(chars)
    return "\n".join(lines)


def _blank(match: re.Match[str]) -> str:
    return "".join(c if c == "\n" else " " for c in match.group())


def _check_body(entry: Entry, f: EntryFile, is_original: bool, out: _Collector) -> None:
    if f.doc.data is None:
        return
    body = f.doc.body
    start = f.doc.body_line
    scan = body.replace("\r\n", "\n") if "\r" in body else body  # CRLF: same lines
    if "8<-" in scan:  # snippets are included before Markdown sees code blocks
        _check_snippets(f, scan, start, out)
    if "`" in scan or "~~~" in scan:
        scan = _blank_fences(scan)
        scan = _blank_code_spans(scan)
    if "<!--" in scan:
        scan = _HTML_COMMENT.sub(_blank, scan)
    has_tag = "<" in scan

    def at(index: int) -> tuple[int, int]:
        line = scan.count("\n", 0, index)
        col = index - (scan.rfind("\n", 0, index) + 1) + 1
        return start + line, col

    for m in _DANGEROUS_TAG.finditer(scan) if has_tag else ():
        out.error(f, at(m.start()), "unsafe-html", "body",
                  f"<{m.group(1).lower()}> is not allowed in the body: it can run script or "
                  "load active content; describe it in text or link to it")
    for tag in _TAG.finditer(scan) if has_tag else ():
        text = tag.group()
        for m in _EVENT_ATTR.finditer(text):
            out.error(f, at(tag.start() + m.start(1)), "unsafe-html", "body",
                      f"the event attribute '{m.group(1)}' can run script; remove it")
        for m in _STYLE_ATTR.finditer(text):
            out.error(f, at(tag.start() + m.start(1)), "unsafe-html", "body",
                      "the 'style' attribute can restyle or hide the page and load content; "
                      "remove it")
    for m in _URL_ATTR.finditer(scan) if has_tag else ():
        _attr_url(f, at, m, out)
    attr_lists = list(_ATTR_LIST.finditer(scan)) if "{" in scan else []
    for m in attr_lists:
        inner = m.group(1)
        for a in _ATTR_ACTIVE.finditer(inner):
            name = a.group(1)
            what = ("can run script" if name.lower() != "style"
                    else "can restyle or hide the page and load content")
            out.error(f, at(m.start(1) + a.start(1)), "unsafe-html", "body",
                      f"the attribute list sets '{name}', which {what}; remove it")
        base = m.start(1)
        for a in _URL_ATTR.finditer(inner):
            _attr_url(f, lambda i, b=base: at(b + i), a, out)
    image_labels: set[str] = set()
    if "![" in scan:
        for m in _IMAGE_REF.finditer(scan):
            image_labels.add((m.group(2) or m.group(1)).strip().lower())
    for m in _REF_DEF.finditer(scan) if "]:" in scan else ():
        label = _REF_LABEL.match(scan, m.start())
        is_image = bool(label) and label.group(1).strip().lower() in image_labels
        _body_url(f, at(m.start(1)), m.group(1), is_image, out)
    images: set[int] = set()
    for m in _MD_LINK.finditer(scan) if "](" in scan else ():
        if m.group(1) == "!":
            images.add(m.start(2))
            _body_url(f, at(m.start(2)), m.group(2), True, out)
    for m in _LINK_TARGET.finditer(scan) if "](" in scan else ():
        if m.start(1) not in images:
            _body_url(f, at(m.start(1)), m.group(1), False, out)
    for m in _AUTOLINK.finditer(scan) if has_tag else ():
        _body_url(f, at(m.start(1)), m.group(1), False, out)
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


def _attr_url(f: EntryFile, at: Any, m: re.Match[str], out: _Collector) -> None:
    """Check the URL of one ``name="value"`` attribute match of :data:`_URL_ATTR`."""
    group = next(g for g in ("dq", "sq", "uq") if m.group(g) is not None)
    name, value, begin = m.group(1).lower(), m.group(group), m.start(group)
    if name != "srcset":
        _body_url(f, at(begin), value, name in ("src", "poster", "background", "data"), out)
        return
    offset = 0
    for candidate in value.split(","):  # "a.png 1x, b.png 2x"
        stripped = candidate.lstrip()
        url = stripped.split()[0] if stripped.strip() else ""
        if url:
            lead = len(candidate) - len(stripped)
            _body_url(f, at(begin + offset + lead), url, True, out)
        offset += len(candidate) + 1


def _body_url(f: EntryFile, pos: tuple[int, int], url: str, is_asset: bool,
              out: _Collector) -> None:
    plain = _URL_JUNK.sub("", html.unescape(url))
    if _BAD_URL.match(plain):
        scheme = plain.split(":", 1)[0].lower()
        why = _BAD_URL_WHY.get(scheme, "can run script or embed active content")
        out.error(f, pos, "unsafe-html", "body",
                  f"'{scheme}:' URLs {why}; remove the link")
        return
    if is_asset and re.match(r"(?i)^(https?:)?//", url):
        out.error(f, pos, "external-asset", "body",
                  f"the image '{url}' is loaded from another site; put the file in the "
                  "repository and link to it with a relative path")
        return
    if is_asset:
        _asset_path(f, pos, url, out)


def _asset_path(f: EntryFile, pos: tuple[int, int], url: str, out: _Collector) -> None:
    """An image or other asset must be a file inside ``content/`` (no link, no escape)."""
    if not url or url.startswith("#") or _SCHEME.match(url):
        return  # other schemes: https is allowed, the rest is reported above
    example = "for example images/plan.png next to this file"
    if "\\" in url:
        out.error(f, pos, "asset-path", "body",
                  f"the path '{url}' uses backslashes; write it with forward slashes (/), "
                  f"{example}")
        return
    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    if _URL_JUNK.search(path.replace(" ", "")):
        out.error(f, pos, "asset-path", "body",
                  f"'{url}' holds an encoded control character, so it cannot name a file; "
                  f"use letters, digits and hyphens, {example}")
        return
    if path.startswith(("/", "~")) or "\\" in path:
        out.error(f, pos, "asset-path", "body",
                  f"'{url}' is an absolute path; write the path relative to this file, "
                  f"{example}")
        return
    content = f.path.parent.parent
    target = Path(os.path.normpath(f.path.parent / path))
    if target != content and content not in target.parents:
        out.error(f, pos, "asset-path", "body",
                  f"'{url}' points outside content/; put the file inside content/ and "
                  f"link to it with a relative path, {example}")
        return
    try:
        step = target
        while step != content:
            if step.is_symlink():
                out.error(f, pos, "asset-path", "body",
                          f"'{url}' is (or passes through) a symbolic link "
                          f"({step.relative_to(content.parent).as_posix()}); put the file "
                          "itself in the repository")
                return
            step = step.parent
        found = target.is_file()
    except (OSError, ValueError):  # a NUL byte (%00) or a name too long for the system
        found = False
    if not found:
        out.error(f, pos, "missing-asset", "body",
                  f"'{url}' does not exist ({target.relative_to(content.parent).as_posix()} "
                  "was not found); add the file or correct the path")


def _check_snippets(f: EntryFile, body: str, start: int, out: _Collector) -> None:
    """Snippet includes (pymdownx.snippets) may not read outside the repository."""
    in_block = False
    for i, line in enumerate(body.split("\n")):
        if "8<-" not in line and not in_block:
            continue
        if _SNIPPET_BLOCK.match(line):
            in_block = not in_block
            continue
        name, col = "", 0
        m = _SNIPPET_INLINE.match(line)
        if m:
            g = 1 if m.group(1) is not None else 2
            name, col = m.group(g), m.start(g)
        elif in_block and line.strip() and not line.lstrip().startswith(";"):
            name, col = line.strip(), len(line) - len(line.lstrip())
        if name and _escapes_repository(name):
            out.error(f, (start + i, col + 1), "unsafe-include", "body",
                      f"the snippet include '{name}' reads a file outside the repository; "
                      "copy the text you need into the entry instead")


def _escapes_repository(name: str) -> bool:
    """True for an include path that is absolute, remote, or climbs with '..'."""
    path = name.split(":", 1)[0] if not re.match(r"^[A-Za-z]:[\\/]", name) else name
    if re.match(r"(?i)^[a-z][a-z0-9+.-]*://", name):
        return True
    if path.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", path):
        return True
    return ".." in re.split(r"[\\/]+", path)


def iter_errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Only the errors."""
    return [d for d in diagnostics if d.severity == "error"]
