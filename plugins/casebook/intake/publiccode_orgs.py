"""Organisations of ``casebook import publiccode``: matching a stated owner, planning new ones.

A name stated in a publiccode.yml file is matched to an existing organisation
by its name in either language (a name in brackets counts too: 'Staat
(Ministerie van X)'), by one of its ``aliases``, or by its website or
Wikidata/ROR identifier against ``organisation/uri``. A name that matches
nothing becomes a new organisation: with kind and country when the name tells
them without doubt (``organisation_names`` in ``data/publiccode.yaml``), else
with both ``not-stated`` (the honest unknowns of the vocabularies).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from casebook.content.entry_io import dumps_entry
from casebook.content.model import KnowledgeBase
from casebook.content.vocab import DEFAULT_LANGUAGE, LANGUAGES, sections
from casebook.intake.publiccode_text import mapping
from casebook.intake.publiccode_text import norm as _norm
from casebook.intake.scaffold import slugify

#: The kind and country of an organisation whose name tells neither.
NOT_STATED = "not-stated"


@functools.cache
def name_rules() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """The data's organisation-name patterns (``organisation_names`` in
    ``data/publiccode.yaml``), compiled once: (pattern, kind, country)."""
    return tuple((re.compile(rule["pattern"], re.I), rule["kind"], rule["country"])
                 for rule in mapping()["organisation_names"])


_BRACKETED = re.compile(r"\(([^()]+)\)")
_SCHEME = re.compile(r"^[a-z]+://")


@dataclass
class PlannedFile:
    """One entry file the import would write."""

    rel: str
    metadata: dict[str, Any]
    body: str

    def text(self) -> str:
        return dumps_entry(self.metadata, self.body)


def _name_forms(name: str) -> list[str]:
    """``name`` and any part of it in brackets ('Staat (Ministerie van X)')."""
    return [name, *_BRACKETED.findall(name)]


def _uri(value: str) -> str:
    value = value.strip().lower()
    value = _SCHEME.sub("", value)
    return value.removeprefix("www.").rstrip("/") if "wikidata" not in value else value


class Organisations:
    """Existing organisations by name, alias, website and identifiers, plus new ones."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.by_name: dict[str, str] = {}
        self.by_uri: dict[str, str] = {}
        #: Id → original file of each organisation this run creates, and all their files.
        self.new: dict[str, PlannedFile] = {}
        self._files: list[PlannedFile] = []
        for entry in kb.valid_organisations():
            for lang in LANGUAGES:
                self.by_name.setdefault(_norm(entry.title(lang)), entry.id)
            facts = entry.facts
            for alias in facts.get("aliases") or []:
                self.by_name.setdefault(_norm(str(alias)), entry.id)
            if isinstance(facts.get("website"), str):
                self.by_uri.setdefault(_uri(facts["website"]), entry.id)
            ids = facts.get("identifiers") if isinstance(facts.get("identifiers"), dict) else {}
            for scheme, value in ids.items():
                base = {"wikidata": "www.wikidata.org/entity/", "ror": "ror.org/"}.get(scheme)
                if base:
                    self.by_uri.setdefault(_uri(base + str(value)), entry.id)

    def find(self, name: str, uri: str = "") -> str | None:
        """Id of the organisation named ``name`` (or identified by ``uri``)."""
        if uri and _uri(uri) in self.by_uri:
            return self.by_uri[_uri(uri)]
        for form in _name_forms(name):
            found = self.by_name.get(_norm(form))
            if found:
                return found
        return None

    def exists(self, org_id: str) -> bool:
        entry = self.kb.organisations.get(org_id)
        return bool(entry and entry.original and entry.facts) or org_id in self.new

    def name_tells(self, name: str) -> tuple[str, str] | None:
        """Kind and country when the name tells them without doubt."""
        for pattern, kind, country in name_rules():
            if pattern.fullmatch(name.strip()):
                return kind, country
        return None

    def create(self, name: str, lang: str, software: str, field_label: dict[str, str],
               today: dt.date) -> str | None:
        """Plan a new organisation named ``name``; its id, or None when the id is taken.

        Kind and country come from the name when it tells them, else they are
        ``not-stated``.
        """
        kind, country = self.name_tells(name) or (NOT_STATED, NOT_STATED)
        org_id = slugify(name)
        if not org_id or org_id in self.kb.organisations or org_id in self.new:
            return None
        texts = mapping()["text"]
        heading = {lg: sections()["organisation"][lg][0] for lg in LANGUAGES}
        intro = {lg: texts["organisation_intro"][lg].format(
            name=name, software=software, field=field_label[lg]) for lg in LANGUAGES}
        if kind == NOT_STATED:
            intro = {lg: intro[lg] + " " + texts["organisation_unknown"][lg]
                     for lg in LANGUAGES}
        facts = {"schema": 1, "name": name, "kind": kind, "country": country,
                 "reviewed": today.isoformat()}
        files = [PlannedFile(f"content/organisations/{org_id}.{lang}.md", facts,
                             f"## {heading[lang]}\n\n{intro[lang]}")]
        for other in LANGUAGES:
            if other != lang:
                files.append(PlannedFile(f"content/organisations/{org_id}.{other}.md",
                                         {"schema": 1, "name": name, "translation": "human"},
                                         f"## {heading[other]}\n\n{intro[other]}"))
        self.new[org_id] = files[0]
        self.by_name[_norm(name)] = org_id
        self._files += files
        return org_id

    def mark(self) -> int:
        """A point to go back to with :meth:`rollback`."""
        return len(self._files)

    def rollback(self, mark: int) -> list[PlannedFile]:
        """Forget the organisations planned since ``mark``; returns their files."""
        dropped, self._files = self._files[mark:], self._files[:mark]
        for pf in dropped:
            org_id = pf.rel.rsplit("/", 1)[-1].split(".")[0]
            if self.new.pop(org_id, None) is not None:
                self.by_name = {k: v for k, v in self.by_name.items() if v != org_id}
        return dropped

    def files_since(self, mark: int) -> list[PlannedFile]:
        """The files of the organisations planned since ``mark``."""
        return self._files[mark:]

    def planned_files(self) -> list[PlannedFile]:
        """Every file of the organisations this run creates."""
        return list(self._files)

    def name_of(self, org_id: str) -> str:
        """Display name of an existing or newly planned organisation."""
        entry = self.kb.organisations.get(org_id)
        if entry is not None and entry.facts:
            return entry.title(DEFAULT_LANGUAGE)
        return str(self.new[org_id].metadata["name"])
