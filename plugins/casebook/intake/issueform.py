"""The GitHub issue form for a new case, described once for writing and for reading.

``data/issue-form.yaml`` says which form field fills which key of a case, with
labels and help in Dutch and English; the case schema and the vocabularies say
what kind of element each field is and which values it offers. From that one
description :func:`issue_form` generates ``.github/ISSUE_TEMPLATE/new-case.yml``
(through ``casebook guide --write``) and :mod:`casebook.intake.fromissue` reads a
submitted form back, so the two cannot disagree.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml
from babel import Locale

from casebook.content import schema as schemas
from casebook.content.vocab import LANGUAGES, STANDARD, Vocabularies, load_vocabularies, sections

#: How a bilingual text reads in the form: Dutch first, the default language.
SEPARATOR = " / "


def _data() -> dict[str, Any]:
    text = resources.files("casebook").joinpath("data", "issue-form.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def both(text: dict[str, str]) -> str:
    """A text in Dutch and English ("Titel / Title"), once when both read the same."""
    nl, en = str(text["nl"]), str(text["en"])
    return nl if nl == en else f"{nl}{SEPARATOR}{en}"


@dataclass(frozen=True, slots=True)
class Column:
    """One cell of a row in a list field (``id | role``)."""

    key: str
    required: bool
    vocabulary: str | None
    #: What the help text calls this cell, per language (``rol`` / ``role``).
    name: dict[str, str]
    #: A cell about a new entry the row names (``organisation``), not a key of the row.
    entity: str | None = None


@dataclass(slots=True)
class FormField:
    """One element of the form that the contributor fills in."""

    id: str
    element: str  # input | textarea | dropdown | checkboxes
    label: dict[str, str]
    key: str | None = None  # dotted path in the case front-matter
    special: str | None = None  # language | body | licence
    required: bool = False  # required on the form (for `kind`: required for that kind)
    kind: str | None = None  # only for this kind of case
    vocabulary: str | None = None
    multiple: bool = False
    columns: tuple[Column, ...] = ()
    value_type: str = "text"  # text | list | integer | number | year-or-month | boolean
    help: dict[str, str] = field(default_factory=dict)
    placeholder: str | None = None
    #: Option text as shown (and as GitHub writes it into the issue) → value.
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def heading(self) -> str:
        """The label as GitHub writes it above the answer: ``### Titel / Title``."""
        return both(self.label)

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.key.split(".")) if self.key else ()


@dataclass(frozen=True, slots=True)
class FormText:
    """A paragraph of explanation between the fields (not submitted)."""

    text: dict[str, str]


def cldr_name(vocabulary: str, key: str, lang: str) -> str | None:
    """A country's or currency's name in CLDR (through Babel), the source the form's labels
    come from: kept by the Unicode consortium and reviewed per language."""
    names = Locale.parse(lang).territories if vocabulary == "countries" else \
        Locale.parse(lang).currencies if vocabulary == "currencies" else {}
    return names.get(key)


def option_text(vocabs: Vocabularies, vocabulary: str, key: str) -> str:
    """How a vocabulary term reads as a dropdown option (a code list's names from CLDR)."""
    v = vocabs[vocabulary]
    text = both({lang: cldr_name(vocabulary, key, lang) or v.term_label(key, lang)
                 for lang in LANGUAGES})
    # A code list shows its code (NL, EUR); the project's own terms (International) do not.
    return f"{text} ({key})" if vocabulary in STANDARD and key != text and not key.islower() \
        else text


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def vocabulary_options(vocabs: Vocabularies, vocabulary: str) -> dict[str, str]:
    """Option text → key for a vocabulary as the form offers it.

    ``issue-form.yaml`` may put some terms first (the Netherlands and Belgium) or offer
    only a few (the currencies a Dutch or Belgian case uses); a code list's other terms
    follow in the order of their Dutch names, after the project's own terms (such as
    an honest "not stated")."""
    keys = list(vocabs[vocabulary].terms)
    choice = _data().get("options", {}).get(vocabulary, {})
    if vocabulary in STANDARD:
        extra = getattr(vocabs, "extra_terms", lambda name: [])(vocabulary)
        keys.sort(key=lambda k: (k not in extra, _fold(vocabs[vocabulary].term_label(k, "nl")),
                                 k))
    if choice.get("only"):
        keys = [k for k in choice["only"] if k in vocabs[vocabulary].terms]
    first = [k for k in choice.get("first", ()) if k in keys]
    keys = first + [k for k in keys if k not in first]
    out: dict[str, str] = {}
    for key in keys:
        text = option_text(vocabs, vocabulary, key)
        out[text if text not in out else f"{text} ({key})"] = key
    if choice.get("other"):
        out[both(choice["other"]["label"])] = OTHER
    return out


#: The value of the option "another country (type it below)".
OTHER = "\x00other"


def other_field(vocabulary: str) -> str | None:
    """The id of the field where a term the dropdown of ``vocabulary`` leaves out is typed."""
    other = _data().get("options", {}).get(vocabulary, {}).get("other")
    return other["field"] if other else None


def fold_name(text: str) -> str:
    """A name as compared: no accents, case, punctuation or repeated spaces."""
    return " ".join("".join(c if c.isalnum() else " " for c in _fold(text)).split())


@functools.cache
def name_lookup(vocabulary: str) -> dict[str, str]:
    """Every name of every term of ``vocabulary`` → its key, compared without accents,
    case or punctuation: the key, the vocabulary's labels and CLDR's Dutch and English
    names (``duitsland``, ``germany``, ``zuid korea``, ``cote d ivoire``)."""
    vocabs = load_vocabularies()
    out: dict[str, str] = {}
    for key, labels in vocabs[vocabulary].terms.items():
        names = [key, *labels.values(), *(cldr_name(vocabulary, key, lang) or ""
                                          for lang in LANGUAGES)]
        for name in names:
            if name:
                out.setdefault(fold_name(str(name)), key)
    return out


def term_lookup(vocabs: Vocabularies, vocabulary: str) -> dict[str, str]:
    """Every way a person may write a term (key, either label, option text) → key."""
    out: dict[str, str] = {}
    for key, labels in vocabs[vocabulary].terms.items():
        for text in (key, *labels.values()):
            out.setdefault(str(text).strip().casefold(), key)
    for text, key in vocabulary_options(vocabs, vocabulary).items():
        out[text.casefold()] = key
    return out


def _value_type(node: dict[str, Any], schema: dict[str, Any]) -> str:
    alternatives = [schemas._deref(schema, alt) for alt in node.get("anyOf", [])] or [node]
    types = {alt.get("type") for alt in alternatives}
    if types == {"integer", "string"}:
        return "year-or-month"
    for name in ("boolean", "integer", "number", "array"):
        if name in types:
            return "list" if name == "array" else name
    return "text"


def _column(schema: dict[str, Any], items: dict[str, Any], raw: dict[str, Any],
            i: int) -> Column:
    key = raw["columns"][i]
    node = schemas._deref(schema, items["properties"][key])
    names = {lang: raw["cells"][lang][i] for lang in LANGUAGES}
    return Column(key, key in (items.get("required") or ()), node.get("x-vocabulary"), names)


def _entity_column(raw: dict[str, Any], i: int) -> Column:
    """A cell that describes a new entry the row names (``kind``, ``country``, ``website`` of
    an organisation the base does not have yet): always optional."""
    new = raw["new"]
    key = new["columns"][i]
    node = schemas.raw_schema(new["entity"])["properties"][key]
    names = {lang: new["cells"][lang][i] for lang in LANGUAGES}
    return Column(key, False, node.get("x-vocabulary"), names, new["entity"])


def _field(raw: dict[str, Any], schema: dict[str, Any], vocabs: Vocabularies) -> FormField:
    f = FormField(id=raw["id"], element="input", label=dict(raw["label"]),
                  key=raw.get("key"), special=raw.get("special"),
                  required=bool(raw.get("required")), kind=raw.get("kind"),
                  help=dict(raw.get("help") or {}), placeholder=raw.get("placeholder"))
    if f.special == "language":
        f.element = "dropdown"
        f.options = {name: lang for lang, name in _data()["languages"].items()}
        return f
    if f.special == "body":
        f.element = "textarea"
        return f
    if f.special == "other-countries":
        f.value_type = "list"
        return f
    if f.special == "licence":
        f.element = "checkboxes"
        f.options = {both(raw["options"]): True}
        return f
    node = schemas.subschema(schema, f.path)
    if node is None:
        raise KeyError(f"issue-form.yaml: {f.key} is not a key of the case schema")
    if not f.help and node.get("description") and node.get("x-description-nl"):
        f.help = {"nl": node["x-description-nl"], "en": node["description"]}
    items = schemas._deref(schema, node.get("items") or {})
    f.value_type = _value_type(node, schema)
    f.vocabulary = node.get("x-vocabulary") or items.get("x-vocabulary")
    if f.vocabulary:
        f.element, f.multiple = "dropdown", f.value_type == "list"
        f.options = vocabulary_options(vocabs, f.vocabulary)
    elif f.value_type == "boolean":
        f.element = "dropdown"
        f.options = {both(raw["options"][value]): value for value in (True, False)}
    elif f.value_type == "list" and items.get("type") == "object":
        f.element = "textarea"
        f.columns = tuple(_column(schema, items, raw, i) for i in range(len(raw["columns"])))
        f.columns += tuple(_entity_column(raw, i) for i in range(len(raw.get("new", {}).get(
            "columns", ()))))
    elif f.value_type == "text" and (node.get("maxLength") or 0) > 120:
        f.element = "textarea"
    return f


@functools.cache
def form_elements() -> tuple[FormField | FormText, ...]:
    """Every element of the form in order: fields and explanations."""
    schema = schemas.raw_schema("case")
    vocabs = load_vocabularies()
    out: list[FormField | FormText] = []
    for raw in _data()["fields"]:
        out.append(FormText(dict(raw["markdown"])) if "markdown" in raw
                   else _field(raw, schema, vocabs))
    return tuple(out)


def form_fields() -> list[FormField]:
    """The fields of the form, in order."""
    return [e for e in form_elements() if isinstance(e, FormField)]


def form_field(key: str) -> FormField:
    """The form field that fills ``key`` (``challenge.budget.amount``)."""
    return next(f for f in form_fields() if f.key == key)


def skipped_keys() -> list[str]:
    """Keys of the case schema that the form does not ask for."""
    return list(_data()["skip"])


def languages() -> dict[str, str]:
    """Language code → its name in itself, as the form offers them."""
    return dict(_data()["languages"])


# --- the GitHub form ----------------------------------------------------------------

def _description(f: FormField, vocabs: Vocabularies) -> str:
    parts = [f"{f.help['nl']}\n\n{f.help['en']}"] if f.help else []
    if f.special == "body":
        secs = sections()["case"]
        kinds = schemas.raw_schema("case")["properties"]["kind"]["x-vocabulary"]
        parts.append("Aanbevolen secties per soort" + SEPARATOR + "Recommended sections per "
                     "kind:\n" + "\n".join(
            f"- {option_text(vocabs, kinds, kind)}: "
            + "; ".join(both({"nl": nl, "en": en})
                        for nl, en in zip(per["nl"], per["en"], strict=True))
            for kind, per in secs.items()))
        return "\n\n".join(parts)
    for column in f.columns:
        if column.vocabulary and column.vocabulary not in STANDARD:
            v = vocabs[column.vocabulary]
            parts.append(f"{both(v.label)}: " + ", ".join(
                option_text(vocabs, column.vocabulary, k) for k in v.terms) + ".")
    if f.kind and f.required:
        kinds = schemas.raw_schema("case")["properties"]["kind"]["x-vocabulary"]
        label = option_text(vocabs, kinds, f.kind)
        parts.append(f"Verplicht bij {label.split(SEPARATOR)[0].lower()}{SEPARATOR}"
                     f"required for {label.split(SEPARATOR)[-1].lower()}.")
    if f.multiple:
        parts.append("U kunt er meer kiezen" + SEPARATOR + "You can choose several.")
    return "\n\n".join(parts)


def _element(f: FormField, vocabs: Vocabularies) -> dict[str, Any]:
    attrs: dict[str, Any] = {"label": f.heading}
    description = _description(f, vocabs)
    if description:
        attrs["description"] = description
    if f.element == "dropdown":
        attrs["multiple"] = f.multiple
        attrs["options"] = list(f.options)
    elif f.element == "checkboxes":
        attrs["options"] = [{"label": text, "required": True} for text in f.options]
    if f.placeholder:
        attrs["placeholder"] = f.placeholder
    element: dict[str, Any] = {"type": f.element, "id": f.id, "attributes": attrs}
    # A field required only for one kind cannot be required by the form itself.
    if f.required and not f.kind and f.element != "checkboxes":
        element["validations"] = {"required": True}
    return element


def issue_form(vocabs: Vocabularies | None = None) -> dict[str, Any]:
    """The GitHub issue form for a new case, as a mapping."""
    vocabs = vocabs or load_vocabularies()
    data = _data()
    body = [{"type": "markdown", "attributes": {"value": "\n\n".join(
                (e.text["nl"], e.text["en"]))}}
            if isinstance(e, FormText) else _element(e, vocabs)
            for e in form_elements()]
    return {
        "name": both(data["name"]),
        "description": " · ".join((data["description"]["nl"], data["description"]["en"])),
        "title": f"[{both(data['title'])}]: ",
        "labels": list(data["labels"]),
        "body": body,
    }
