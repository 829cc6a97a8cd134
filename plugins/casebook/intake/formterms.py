"""Validator findings told in the terms of the issue form.

The validator speaks to people who edit files: keys, quotes, ids, ``not_in_sources:
[approach]``, ``casebook new``. A contributor who typed into the issue form sees
none of that: :func:`form_message` rewrites a finding on a file ``casebook
from-issue`` wrote into what to type in which form field, with the form's labels
and the vocabularies' labels in the form's language. Findings whose text already
speaks plainly (a length, a count, a web address, the body's HTML) pass unchanged;
any other finding becomes "this answer cannot be used" with the field's own help,
so no file vocabulary reaches the contributor. ``tests/contrib`` checks every report
against a list of file words (:data:`FILE_WORDS`).
"""

from __future__ import annotations

import re
from typing import Any

from babel.lists import format_list

from casebook.content import sections as body_sections
from casebook.content.model import value_at
from casebook.content.vocab import LANGUAGES, Vocabularies, load_vocabularies
from casebook.i18n import Bilingual, Message, msg
from casebook.intake.issueform import FormField, form_field

#: Words of files and tools that a report in form terms never contains (lower case;
#: matched as whole words). ``tests/contrib`` checks every report against them.
FILE_WORDS = ("yaml", "quotes", "quote", "aanhalingstekens", "key", "keys", "sleutel",
              "front-matter", "not_in_sources", "owner_stated", "casebook", "command",
              "opdracht", "id", "ids", "true", "false", "null")

#: Codes whose validator text already speaks plainly of the value typed.
PLAIN = frozenset({"length", "count", "duplicate-item", "range", "period", "placeholder",
                   "summary", "insecure-url", "url"})


_PATH_PART = re.compile(r"[^.\[\]]+")
_WORD = re.compile(r"[a-z_-]+")


def choices(vocabs: Vocabularies, vocabulary: str, most: int = 12) -> Bilingual:
    """"one of Eigenaar, Gastheer of Partner": the labels a person can choose, joined the
    way the language joins them (CLDR list patterns); a long code list gets an example."""
    v = vocabs[vocabulary]
    if len(v.terms) > most:
        return Bilingual("its name, for example Netherlands",
                         "de naam, bijvoorbeeld Nederland") if vocabulary == "countries" else \
            Bilingual("a name from the list", "een naam uit de lijst")
    text = {lang: format_list([v.term_label(k, lang) for k in v.terms], style="or",
                              locale=lang) for lang in LANGUAGES}
    return Bilingual(f"one of {text['en']}", f"een van {text['nl']}")


def _label(vocabs: Vocabularies, vocabulary: str, key: Any) -> Bilingual:
    v = vocabs[vocabulary]
    if key not in v.terms:
        return Bilingual(str(key), str(key))
    return Bilingual(v.term_label(key, "en"), v.term_label(key, "nl"))


def _field_label(f: FormField) -> Bilingual:
    return Bilingual(f.label["en"], f.label["nl"])


def _help(f: FormField | None) -> Message:
    if f is not None and f.help:
        return Bilingual(f.help["en"], f.help["nl"])
    return msg("see the explanation above the field")


def _stage(d: Any, data: dict[str, Any], vocabs: Vocabularies) -> Message:
    stages = "stages"
    stage = _label(vocabs, stages, data.get("stage"))
    period = data.get("period") or {}
    start, end = period.get("start"), period.get("end")
    start_label = _field_label(form_field("period.start"))
    end_label = _field_label(form_field("period.end"))
    template = getattr(d.message, "template", "")
    if "starts in" in template:
        return msg("the stage '{stage}' does not fit the start year {start}, which is still to "
                   "come; choose '{planned}', or correct '{field}'", stage=stage, start=start,
                   planned=_label(vocabs, stages, "planned"), field=start_label)
    if "ends in" in template:
        return msg("the stage '{stage}' does not fit the end year {end}, which is still to "
                   "come; choose '{active}', or correct '{field}'", stage=stage, end=end,
                   active=_label(vocabs, stages, "active"), field=end_label)
    if "ended in" in template:
        return msg("the stage '{stage}' does not fit the end year {end}, which has passed; "
                   "choose '{completed}' or '{discontinued}', or correct '{field}'",
                   stage=stage, end=end, completed=_label(vocabs, stages, "completed"),
                   discontinued=_label(vocabs, stages, "discontinued"), field=end_label)
    return msg("the stage '{stage}' does not fit the start year {start}, which has passed; "
               "choose '{active}', or correct '{field}'", stage=stage, start=start,
               active=_label(vocabs, stages, "active"), field=start_label)


def _missing_sections(d: Any) -> Message:
    keys = [k.strip() for k in str(getattr(d.message, "params", {}).get("keys", "")).split(",")
            if k.strip()]
    headings = body_sections.headings()
    names = {lang: format_list([f"## {headings[k][lang]}" for k in keys if k in headings],
                               style="standard", locale=lang) for lang in LANGUAGES}
    f = form_field("not_in_sources")
    return msg("the text has no section {sections}; add each heading with a few sentences, or "
               "choose the section under '{field}' when the sources say nothing about it",
               sections=Bilingual(names["en"], names["nl"]), field=_field_label(f))


def form_message(d: Any, f: FormField | None, data: dict[str, Any], in_body: bool) -> Message:
    """The finding ``d`` told as what to type in the form field ``f``."""
    vocabs = load_vocabularies()
    code = d.code
    value = value_at(data, _path(d.field)) if d.field else None
    if in_body and code != "missing-section":
        return d.message
    if code in PLAIN:
        return d.message
    if code == "missing-section":
        return _missing_sections(d)
    if code == "stage":
        return _stage(d, data, vocabs)
    if code in ("organisations", "owner-missing"):
        roles = format_list([vocabs["roles"].term_label(k, "nl") for k in ("owner", "host")],
                            style="or", locale="nl")
        roles_en = format_list([vocabs["roles"].term_label(k, "en") for k in ("owner", "host")],
                               style="or", locale="en")
        no = form_field("owner_stated")
        return msg("give at least one organisation the role {roles}, or answer '{answer}' under "
                   "'{field}'", roles=Bilingual(roles_en, roles),
                   answer=Bilingual(*(next(t for t, v in no.options.items() if v is False)
                                      .split(" / ")[::-1])), field=_field_label(no))
    if code == "owner-stated":
        return msg("you answered that the sources name no owner or host, but an organisation "
                   "has the role owner or host; change one of the two")
    if code == "countries":
        return msg("'{value}' cannot be combined with a country; choose either the countries "
                   "or '{value}' alone", value=_label(vocabs, "countries", value))
    if code == "required":
        return msg("this field is required")
    if code == "reference" and f is not None and f.key == "related":
        return msg("a case cannot be related to itself; remove it")
    if value is None or isinstance(value, dict | list):
        return msg("this answer cannot be used; {help}", help=_help(f))
    return msg("'{value}' cannot be used here; {help}", value=str(value), help=_help(f))


def _path(field: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in _PATH_PART.findall(field)]


def in_form_terms(text: str) -> list[str]:
    """The file words (:data:`FILE_WORDS`) a text contains; empty for a text in form terms."""
    words = set(_WORD.findall(text.casefold()))
    return [w for w in FILE_WORDS if w in words]
