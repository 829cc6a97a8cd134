"""Schema findings in people's words: a JSON Schema error becomes one diagnostic
with the field, what was found, what is expected and how to fix it.

:func:`check_schema` runs the compiled schema gate and explains each error;
:func:`describe`, :func:`type_name` and :func:`pattern_hint` also serve
``casebook new`` (:mod:`casebook.intake.scaffold`), which asks for the same values.
"""

from __future__ import annotations

import re
from typing import Any

from babel.lists import format_list
from jsonschema.exceptions import ValidationError

from casebook.content import schema as schemas
from casebook.content.diagnostics import Collector
from casebook.content.frontmatter import Path as DataPath
from casebook.content.frontmatter import path_to_field
from casebook.content.licences import problem, replacements
from casebook.content.model import (
    SCHEMAS,
    Entry,
    EntryFile,
    KnowledgeBase,
)
from casebook.content.similar import closest
from casebook.i18n import Bilingual, Message, msg, msg_n


def check_schema(kb: KnowledgeBase, entry: Entry, f: EntryFile, is_original: bool,
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
                          "the key is optional", type=type_name(expected)))
            return
        if coerced is not None and expected == "string":
            out.error(f, pos, "yaml-coercion", field, _coercion_message(coerced, err.instance))
            return
        fix = _TYPE_FIX.get(expected) if isinstance(expected, str) else None
        found = describe(err.instance)
        out.error(f, pos, "type", field,
                  msg("expected {type}, found {found}; {fix}", type=type_name(expected),
                      found=found, fix=fix) if fix
                  else msg("expected {type}, found {found}", type=type_name(expected),
                           found=found))
        return
    if keyword in ("minLength", "maxLength"):
        n = len(err.instance) if isinstance(err.instance, str) else 0
        lo, hi = node.get("minLength"), node.get("maxLength")
        out.error(f, pos, "length", field, length_problem(n, lo, hi))
        return
    if keyword in ("minItems", "maxItems"):
        lo, hi = node.get("minItems"), node.get("maxItems")
        n = len(err.instance) if isinstance(err.instance, list) else 0
        want = (msg("{lo} to {hi}", lo=lo, hi=hi) if lo is not None and hi is not None
                else msg("at least {lo}", lo=lo) if lo is not None else msg("at most {hi}", hi=hi))
        out.error(f, pos, "count", field,
                  msg_n("has {n} value; give {want}", "has {n} values; give {want}", n,
                        want=want))
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
                      problem=pattern_hint(node, field)))
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


def length_problem(n: int, lo: int | None, hi: int | None) -> Message:
    """``is 12 characters long; it must be at least 30 characters`` (the number's plural
    form from the catalogue)."""
    if lo is not None and hi is not None:
        return msg_n("is {n} character long; it must be {lo}–{hi} characters",
                     "is {n} characters long; it must be {lo}–{hi} characters", n, lo=lo, hi=hi)
    if lo is not None:
        return msg_n("is {n} character long; it must be at least {lo} characters",
                     "is {n} characters long; it must be at least {lo} characters", n, lo=lo)
    return msg_n("is {n} character long; it must be at most {hi} characters",
                 "is {n} characters long; it must be at most {hi} characters", n, hi=hi)


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
    return description(sub)


def description(node: dict[str, Any]) -> Message | None:
    """The schema's description of a field in both languages, as a sentence part."""
    desc = node.get("description")
    if not desc:
        return None
    return Bilingual(_sentence_part(desc), _sentence_part(node.get("x-description-nl") or desc))


def _unknown_term(kb: KnowledgeBase, f: EntryFile, pos: tuple[int, int], field: str,
                  vocab_name: str, value: Any, out: Collector) -> None:
    if vocab_name == "licenses" and isinstance(value, str):

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
    by_label = _key_of_label(vocab, value)
    guess = vocab.suggest(str(value)) if isinstance(value, str) else None
    if by_label:
        # A label written where the key belongs (themes: [mobiliteit]): the key stays
        # canonical, so name it with the label the contributor knows.
        guess = by_label
        tip = msg("did you mean '{guess}' ({label})?", guess=by_label, label=Bilingual(
            vocab.term_label(by_label, "en"), vocab.term_label(by_label, "nl")))
    elif guess:
        tip = msg("did you mean '{guess}'?", guess=guess)
    elif len(vocab.terms) <= 20:
        tip = msg("allowed values: {keys}", keys=", ".join(vocab.terms))
    else:
        tip = msg("see the field reference in the contributor guide")
    extra = kb.vocabularies.extra_terms(vocab_name)  # 'international', 'not-stated'
    if extra and not guess:
        quoted = [f"'{t}'" for t in extra]
        tip = msg("{tip}; or {terms}", tip=tip, terms=Bilingual(
            format_list(quoted, style="or", locale="en"),
            format_list(quoted, style="or", locale="nl")))
    out.error(f, pos, "unknown-term", field,
              msg("'{value}' is not {noun}; {tip}", value=value, noun=noun, tip=tip))


def _key_of_label(vocab: Any, value: Any) -> str | None:
    """The key whose label (in either language, any letter case) ``value`` is."""
    if not isinstance(value, str):
        return None
    folded = value.strip().casefold()
    for key, labels in vocab.terms.items():
        if key != value and any(str(text).casefold() == folded for text in labels.values()):
            return key
    return None


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


def type_name(expected: Any) -> Message:
    if isinstance(expected, list):
        first, *rest = expected
        name = _TYPE_NAMES.get(first) or msg("{name}", name=first)
        for e in rest:
            name = msg("{a} or {b}", a=name, b=_TYPE_NAMES.get(e) or e)
        return name
    return _TYPE_NAMES.get(expected) or msg("{name}", name=str(expected))


def describe(value: Any) -> Message:
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


def pattern_hint(node: dict[str, Any], field: str) -> Message:
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
    desc = description(node)
    if desc:
        return msg("does not have the expected form: {description}", description=desc)
    return msg("does not have the expected form ({pattern})", pattern=pattern)
