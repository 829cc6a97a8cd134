"""The facets the site browses by, read from the JSON Schema's ``x-vocabulary``.

Which vocabulary a field uses is read from the schema, so nothing here restates
the content model.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from casebook.content.schema import raw_schema

# --- schema-derived knowledge ---------------------------------------------------------


def _vocabulary_paths(node: dict[str, Any], defs: dict[str, Any], path: str,
                      out: dict[str, str]) -> None:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        node = {**defs[ref.rsplit("/", 1)[-1]], **{k: v for k, v in node.items() if k != "$ref"}}
    if "x-vocabulary" in node:
        out[path] = node["x-vocabulary"]
    for key, sub in node.get("properties", {}).items():
        _vocabulary_paths(sub, defs, f"{path}.{key}" if path else key, out)
    if isinstance(node.get("items"), dict):
        _vocabulary_paths(node["items"], defs, path, out)


@functools.cache
def field_vocabularies(schema_name: str) -> dict[str, str]:
    """Vocabulary of each field, from the schema: ``{"themes": "themes", "lab.setting": ...}``.

    List items share their list's path (``organisations.role``).
    """
    schema = raw_schema(schema_name)
    out: dict[str, str] = {}
    _vocabulary_paths(schema, schema.get("$defs", {}), "", out)
    return out


def _case_vocab(path: str) -> str:
    return field_vocabularies("case")[path]


@dataclass(frozen=True, slots=True)
class Facet:
    """A dimension readers browse by: URL folder (and UI key) and front-matter field."""

    slug: str
    field: str
    #: Values are listed in vocabulary order (a life cycle) rather than by label.
    ordered: bool = False
    #: The schema whose field this is (``case`` or ``organisation``).
    schema: str = "case"

    @property
    def vocabulary(self) -> str:
        return field_vocabularies(self.schema)[self.field]

    def keys(self, facts: dict[str, Any]) -> list[str]:
        value = facts.get(self.field)
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    def key_slug(self, key: str) -> str:
        return key.lower()


KINDS = Facet("kinds", "kind", ordered=True)
#: Facets with a browse page (an index and a page per value in use).
BROWSE_FACETS: tuple[Facet, ...] = (
    Facet("themes", "themes"),
    Facet("mechanisms", "mechanisms"),
    Facet("barriers", "barriers", ordered=True),
    Facet("countries", "countries"),
    Facet("stages", "stage", ordered=True),
)
FACETS: dict[str, Facet] = {f.slug: f for f in (KINDS, *BROWSE_FACETS)}
#: Organisations browsed by kind (``/organisation-kinds/<kind>/``): a folder of its
#: own, so that no organisation id can take the address of a kind's page.
ORGANISATION_KINDS = Facet("organisation-kinds", "kind", ordered=True, schema="organisation")
