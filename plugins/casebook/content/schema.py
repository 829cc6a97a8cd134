"""JSON Schemas of the content model, completed from the vocabularies.

The schema files under ``schema/`` mark vocabulary-controlled strings with
``x-vocabulary``; :func:`build_schema` adds the matching ``enum`` so that the
published schema serves editors' autocompletion, and adds the kind-specific
rules (``x-kind``) as ``if``/``then``. The schema plus the vocabularies are the
single source of truth for validation, the field reference, the issue form and
the editor schema.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from casebook.content.vocab import Vocabularies, load_vocabularies

SCHEMA_NAMES = ("case", "case-translation", "organisation", "organisation-translation")


@functools.cache
def raw_schema(name: str) -> dict[str, Any]:
    """The schema file as written, with ``x-`` annotations and without enums.

    Cached and shared: treat the result as read-only.
    """
    text = resources.files("casebook").joinpath("schema", f"{name}.schema.json").read_text(
        encoding="utf-8"
    )
    return json.loads(text)


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def kind_properties(schema: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    """Kind-specific top-level keys: ``{key: (kind, required_for_kind)}``."""
    return {
        key: (spec["x-kind"], bool(spec.get("x-required-for-kind")))
        for key, spec in schema.get("properties", {}).items()
        if "x-kind" in spec
    }


def build_schema(name: str, vocabularies: Vocabularies | None = None) -> dict[str, Any]:
    """The complete schema: enums from the vocabularies and kind rules added."""
    vocabularies = vocabularies or load_vocabularies()
    schema = copy.deepcopy(raw_schema(name))
    for node in _walk(schema):
        vocab = node.get("x-vocabulary")
        if vocab:
            node["enum"] = list(vocabularies[vocab].terms)
    rules = []
    for key, (kind, required) in kind_properties(schema).items():
        rules.append(
            {
                "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                "then": {"required": [key]} if required else True,
                "else": {"not": {"required": [key]}},
            }
        )
    if rules:
        schema["allOf"] = rules
    return schema


#: An unescaped ``$`` ending a pattern: ECMA-262 (the regex dialect of JSON Schema)
#: matches it only at the very end, Python also before a final newline.
_DOLLAR = re.compile(r"(?<!\\)\$$")


@functools.cache
def _whole_value(pattern: str) -> re.Pattern[str]:
    return re.compile(_DOLLAR.sub(r"\\Z", pattern))


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Any:
    """``pattern`` as JSON Schema means it: ``"2020-01-01\\n"`` does not match
    ``^...$`` (as in fastjsonschema, which also reads a final ``$`` as ``\\Z``)."""
    if isinstance(instance, str) and not _whole_value(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@functools.cache
def validator(name: str) -> Draft202012Validator:
    """A cached validator for one of :data:`SCHEMA_NAMES`."""
    schema = build_schema(name)
    Draft202012Validator.check_schema(schema)
    return _Validator(schema)


@functools.cache
def _fast(name: str) -> Any:
    # Without the kind rules (allOf of if/then): slow in fastjsonschema, and
    # checked with clearer messages by casebook.checks.validate anyway.
    # Local $refs are inlined: fastjsonschema formats an error prefix on every
    # call into a referenced definition, which costs more than the check.
    # Enums of strings (every vocabulary) become a set look-up through a custom
    # format: fastjsonschema tests the values one by one, with a type check each.
    schema = build_schema(name)
    schema.pop("allOf", None)
    formats: dict[str, Any] = {}
    return fastjsonschema.compile(_inline_refs(schema, schema, formats), formats=formats)


def _inline_refs(root: dict[str, Any], node: Any, formats: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        resolved = _deref(root, node)
        out = {k: _inline_refs(root, v, formats) for k, v in resolved.items() if k != "$defs"}
        enum = out.get("enum")
        if enum and out.get("type") == "string" and "format" not in out:
            key = f"casebook-enum-{out.get('x-vocabulary', len(formats))}"
            formats[key] = frozenset(enum).__contains__
            del out["enum"]
            out["format"] = key
        return out
    if isinstance(node, list):
        return [_inline_refs(root, v, formats) for v in node]
    return node


def is_valid(name: str, data: Any) -> bool:
    """Fast yes/no check of ``data`` against the schema ``name``.

    The same schema compiled to Python by fastjsonschema answers the common
    case (a valid file) many times faster than the jsonschema library; only
    when it says no does :func:`validator` run to explain every error. A
    differential test keeps the two in agreement.
    """
    try:
        _fast(name)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def subschema(schema: dict[str, Any], path: tuple[str | int, ...]) -> dict[str, Any] | None:
    """The (raw) schema node describing a data path, following local ``$ref``s."""
    node: Any = schema
    for part in path:
        node = _deref(schema, node)
        if isinstance(part, int):
            node = node.get("items") if isinstance(node, dict) else None
        else:
            node = node.get("properties", {}).get(part) if isinstance(node, dict) else None
        if node is None:
            return None
    return _deref(schema, node)


def resolve(schema: dict[str, Any], node: Any) -> Any:
    """``node`` with its local ``$ref`` (if any) followed."""
    return _deref(schema, node)


def _deref(schema: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/"):
        extra = {k: v for k, v in node.items() if k != "$ref"}
        target: Any = schema
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = {**target, **extra}
    return node
