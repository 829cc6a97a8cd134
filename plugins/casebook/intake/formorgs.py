"""Organisations named in a form as people name them, and new ones made from the form.

A contributor writes "Ministerie van BZK", "gemeente Utrecht" or "Stad Antwerpen",
not an id. :class:`OrganisationIndex` matches such a name to an existing entry by
its id, its name in either language or one of its ``aliases``, ignoring letter case,
accents and punctuation (a name whose web address would be an existing id matches
that id too: "Ministerie van BZK" → ``ministerie-van-bzk``). A name that matches
nothing becomes a :class:`NewOrganisation`: an organisation entry written in the
same change, from what the form says (kind, country, website) and otherwise the
honest unknown ``not-stated``; its body section is recorded as not in the sources.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from casebook.content.model import ID_MAX, ID_PATTERN, KnowledgeBase
from casebook.content.vocab import LANGUAGES
from casebook.intake.scaffold import slugify

#: The honest unknown for an organisation's kind and country.
NOT_STATED = "not-stated"


#: "(Repository)" at the end of a block's name: from a "(" to the last ")", no brackets
#: between (searched from each "(", each attempt ends at the next bracket: linear).
_REPOSITORY_AT_END = re.compile(r"\((?P<repo>[^()]*)\)\s*\Z")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """A name compared as people read it: no case, accents or punctuation."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(_NOT_ALNUM.sub(" ", ascii_text.casefold()).split())


@dataclass(slots=True)
class NewOrganisation:
    """An organisation the base does not have yet, to be written with the case."""

    id: str
    name: str
    kind: str = NOT_STATED
    country: str = NOT_STATED
    website: str | None = None

    def front_matter(self, reviewed: str, schema_version: int | None) -> dict[str, Any]:
        data: dict[str, Any] = {"schema": schema_version, "name": self.name, "kind": self.kind,
                                "country": self.country}
        if self.website:
            data["website"] = self.website
        data["not_in_sources"] = ["about"]
        data["reviewed"] = reviewed
        return data


@dataclass(slots=True)
class OrganisationIndex:
    """Every way the base's organisations are named → their ids."""

    names: dict[str, set[str]] = field(default_factory=dict)
    #: Organisation id → its name per language (as the site shows it).
    display: dict[str, dict[str, str]] = field(default_factory=dict)
    new: dict[str, NewOrganisation] = field(default_factory=dict)

    @classmethod
    def of(cls, kb: KnowledgeBase) -> OrganisationIndex:
        index = cls()
        for oid, entry in kb.organisations.items():
            texts = [oid, oid.replace("-", " ")]
            for f in entry.files.values():
                name = f.data.get("name")
                if isinstance(name, str):
                    texts.append(name)
            index.display[oid] = {lang: str(entry.text("name", lang) or oid)
                                  for lang in LANGUAGES}
            aliases = entry.facts.get("aliases")
            if isinstance(aliases, list):
                texts += [a for a in aliases if isinstance(a, str)]
            for text in texts:
                index.names.setdefault(fold(text), set()).add(oid)
        return index

    def find(self, name: str) -> list[str]:
        """The ids a name can mean: one, none, or several (then ask which)."""
        key = fold(name)
        found = set(self.names.get(key, ()))
        slug = slugify(name)
        if slug and slug.replace("-", " ") in self.names:
            found |= self.names[slug.replace("-", " ")]
        if key in {fold(n.name) for n in self.new.values()} | set(self.new):
            found |= {n.id for n in self.new.values() if fold(n.name) == key}
        return sorted(found)

    def add(self, name: str) -> NewOrganisation | None:
        """A new organisation for ``name`` (None when no id can be made from it)."""
        oid = slugify(name)
        if not oid or not ID_PATTERN.match(oid) or len(oid) > ID_MAX:
            return None
        if oid in self.new:
            return self.new[oid]
        org = NewOrganisation(oid, " ".join(name.split()))
        self.new[oid] = org
        return org


def find_case(kb: KnowledgeBase, text: str) -> list[str]:
    """The ids of the cases a title (in either language) or id names."""
    key = fold(text)
    found = []
    for cid, entry in kb.cases.items():
        titles = {fold(cid), fold(cid.replace("-", " "))}
        titles |= {fold(str(f.data.get("title", ""))) for f in entry.files.values()}
        if key in titles:
            found.append(cid)
    return sorted(found)


def find_block(kb: KnowledgeBase, text: str) -> list[tuple[str, str]]:
    """The building blocks a name names: ``(repository/block, "Name (Repository)")``.

    A block is named by its name or short name, alone or followed by its repository's
    title in brackets (``Open Zaak (Open Zaak)``), or as ``repository/block``."""
    m = _REPOSITORY_AT_END.search(text)
    name, repo = (text[:m.start()].strip(), m.group("repo")) if m else (text, None)
    if m and "\n" in name:
        name, repo = text, None
    found = []
    for cid, entry in kb.cases.items():
        blocks = entry.facts.get("building_blocks")
        if not isinstance(blocks, list):
            continue
        titles = {fold(cid)} | {fold(str(f.data.get("title", ""))) for f in entry.files.values()}
        if repo is not None and fold(repo) not in titles:
            continue
        title = entry.title(entry.original_lang or "nl")
        for block in blocks:
            if not isinstance(block, dict) or not isinstance(block.get("id"), str):
                continue
            ref = f"{cid}/{block['id']}"
            names = {fold(block["id"]), fold(str(block.get("name", ""))), fold(ref)}
            if fold(name) in names or fold(text) == fold(ref):
                found.append((ref, f"{block.get('name') or block['id']} ({title})"))
    return found
