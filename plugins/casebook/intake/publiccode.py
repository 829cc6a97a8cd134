"""``casebook import publiccode FILE...``: repository cases from publiccode.yml files.

A `publiccode.yml <https://yml.publiccode.tools>`_ file describes the software
of a public administration. Each file becomes one ``repository`` case with the
software as its building block, using only what the file states; every
mapping (categories to themes, statuses to stages, ...) and every sentence of
the generated text comes from ``data/publiccode.yaml``. The ``description``
languages decide the files: Dutch and English give an original (Dutch) and a
translation, one of them a one-language entry.

Nothing is written unless every file imports and every new entry validates
with zero errors: bad input gets one line naming the file and exit status 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from casebook.checks.validate import validate
from casebook.commandline import find_root
from casebook.content import licences
from casebook.content.entry_io import dumps_entry, write_entry
from casebook.content.frontmatter import load_yaml
from casebook.content.model import ID_MAX, KnowledgeBase, load, value_at
from casebook.content.vocab import DEFAULT_LANGUAGE, LANGUAGES, sections
from casebook.i18n import Message, msg
from casebook.intake.publiccode_text import body, licence_sentences, mapping
from casebook.intake.publiccode_text import norm as _norm
from casebook.intake.publiccode_text import text as _text
from casebook.intake.scaffold import slugify

OK, FINDINGS, USAGE = 0, 1, 2
#: Largest publiccode.yml read (the standard's files are a few KB).
MAX_BYTES = 1024 * 1024
#: A comment line recording where a saved copy of the file came from.
_SOURCE_COMMENT = re.compile(r"^#\s*source:\s*(https://\S+)\s*$", re.I | re.M)


class ImportProblem(Exception):
    """A file that cannot be imported; the message is one line for the person."""

    def __init__(self, message: Message, code: int = FINDINGS) -> None:
        super().__init__(message)
        self.message, self.code = message, code


@dataclass
class PlannedFile:
    """One entry file the import would write."""

    rel: str
    metadata: dict[str, Any]
    body: str

    def text(self) -> str:
        return dumps_entry(self.metadata, self.body)


@dataclass
class Plan:
    """Everything one publiccode.yml file would write."""

    source: Path
    case_id: str
    files: list[PlannedFile] = field(default_factory=list)
    #: Existing files of the case that ``--force`` replaces (removed first).
    replaces: list[str] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)


# --- reading -----------------------------------------------------------------

def read_file(path: Path) -> tuple[dict[str, Any], str | None]:
    """The publiccode.yml mapping and the URL recorded in a ``# source:`` comment."""
    try:
        raw = path.read_bytes()[: MAX_BYTES + 1]
    except OSError as exc:
        raise ImportProblem(msg("cannot read the file ({reason})",
                                reason=exc.strerror or str(exc)), USAGE) from None
    if len(raw) > MAX_BYTES:
        raise ImportProblem(msg("not a publiccode.yml file: it is larger than 1 MB"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblem(msg("not a YAML file: it is not UTF-8 text")) from None
    try:
        data = load_yaml(text)  # aliases refused before expansion
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}" if mark else "the file"
        raise ImportProblem(msg("not a YAML file: {problem} at {where}",
                                problem=exc.problem or exc.context or "invalid YAML",
                                where=where)) from None
    except yaml.YAMLError as exc:
        raise ImportProblem(msg("not a YAML file: {problem}", problem=str(exc))) from None
    if not isinstance(data, dict):
        raise ImportProblem(msg("not a publiccode.yml file: the YAML is not a mapping of keys"))
    missing = [k for k in mapping()["required_keys"] if not _text(data.get(k))]
    if missing:
        raise ImportProblem(msg(
            "not a publiccode.yml file: it has no {keys} (the standard's mandatory keys "
            "include {required})", keys=", ".join(missing),
            required=", ".join(mapping()["required_keys"])))
    head = "\n".join(line for line in text.splitlines()[:20] if line.startswith("#"))
    found = _SOURCE_COMMENT.search(head)
    return data, found.group(1) if found else None


def descriptions(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The Dutch and English description sections, keyed ``nl``/``en``.

    Keys are BCP 47 tags (``nl``, ``nl-BE``, ``en-GB``); an exact ``nl``/``en``
    wins over a regional variant.
    """
    section = data.get("description")
    if not isinstance(section, dict):
        return {}
    out: dict[str, dict[str, Any]] = {}
    for lang in LANGUAGES:
        tags = [t for t in section if isinstance(t, str)
                and t.split("-")[0].lower() == lang and isinstance(section[t], dict)]
        tags.sort(key=lambda t: (t.lower() != lang, t))
        if tags:
            out[lang] = section[tags[0]]
    return out


# --- organisations -----------------------------------------------------------

def _name_forms(name: str) -> list[str]:
    """``name`` and any part of it in brackets ('Staat (Ministerie van X)')."""
    return [name, *re.findall(r"\(([^()]+)\)", name)]


class Organisations:
    """Existing organisations by name, website and identifiers, plus new ones."""

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

    def create(self, name: str, lang: str, software: str, field_label: dict[str, str],
               today: dt.date) -> str | None:
        """Plan a new organisation when its name tells kind and country; its id, or None."""
        for rule in mapping()["organisation_names"]:
            if re.fullmatch(rule["pattern"], name.strip(), re.I):
                break
        else:
            return None
        org_id = slugify(name)
        if not org_id or org_id in self.kb.organisations or org_id in self.new:
            return None
        texts = mapping()["text"]
        heading = {lg: sections()["organisation"][lg][0] for lg in LANGUAGES}
        intro = {lg: texts["organisation_intro"][lg].format(
            name=name, software=software, field=field_label[lg]) for lg in LANGUAGES}
        facts = {"schema": 1, "name": name, "kind": rule["kind"], "country": rule["country"],
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

    def planned_files(self) -> list[PlannedFile]:
        """Every file of the organisations this run creates."""
        return list(self._files)


def _uri(value: str) -> str:
    value = value.strip().lower()
    value = re.sub(r"^[a-z]+://", "", value)
    return value.removeprefix("www.").rstrip("/") if "wikidata" not in value else value


# --- building the entries ----------------------------------------------------

def _is_web(url: str) -> bool:
    """True for an http(s) address; the standard also allows git:// and other clone URLs."""
    return url.lower().startswith(("https://", "http://"))


def _summary(short: str, title: str) -> str:
    summary = short
    if len(summary) < 30:
        summary = f"{title}: {short}"
    return summary


def plan_file(path: Path, kb: KnowledgeBase, orgs: Organisations, owner_id: str | None,
              today: dt.date, force: bool) -> Plan:
    """Work out the entries one publiccode.yml file becomes (nothing is written)."""
    data, source_url = read_file(path)
    texts, maps = mapping()["text"], mapping()
    desc = descriptions(data)
    if not desc:
        raise ImportProblem(msg(
            "the description has no Dutch (nl) or English (en) text; Casebook entries are "
            "written in Dutch and English, so this file cannot be imported"))
    name = _text(data["name"])
    version = _text(data.get("publiccodeYmlVersion"))
    langs = [lg for lg in LANGUAGES if lg in desc]
    original = DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in langs else langs[0]
    plan = Plan(path, slugify(name))
    if not plan.case_id:
        raise ImportProblem(msg("the name '{name}' gives no usable id", name=name))

    # The owner.
    stated_owner, owner_field = "", ""
    for fld in maps["owner_fields"]:
        value = _text(value_at(data, fld))
        if value:
            stated_owner, owner_field = value, ".".join(fld)
            break
    field_label = texts["owner_fields"].get(owner_field, {lg: owner_field for lg in LANGUAGES})
    if owner_id:
        if not orgs.exists(owner_id):
            raise ImportProblem(msg("--owner '{id}': there is no organisation with this id; "
                                    "create it first with 'casebook new organisation'",
                                    id=owner_id), USAGE)
    elif stated_owner:
        owner_id = (orgs.find(stated_owner, _text(value_at(data, ["organisation", "uri"])))
                    or orgs.create(stated_owner, original, name, field_label, today))
        if owner_id is None:
            raise ImportProblem(msg(
                "the owner '{owner}' ({field}) is not an organisation of the knowledge base "
                "and its name does not tell its kind and country; add it with 'casebook new "
                "organisation' (its name as in the file) or pass --owner ORG_ID",
                owner=stated_owner, field=owner_field.replace(".", "/")))
    else:
        raise ImportProblem(msg(
            "the file names no owner (organisation/name, legal/repoOwner or "
            "legal/mainCopyrightOwner); pass --owner ORG_ID with the id of the organisation "
            "whose repository holds the file"))

    # Existing entry.
    existing = kb.cases.get(plan.case_id)
    if existing is not None:
        files = ", ".join(f.rel for f in existing.files.values())
        if not force:
            raise ImportProblem(msg("the case '{id}' already exists ({files}); pass --force "
                                    "to replace it", id=plan.case_id, files=files))
        plan.replaces = [f.rel for f in existing.files.values()]

    # Facts.
    categories = [c for c in (data.get("categories") or []) if _text(c)] \
        if isinstance(data.get("categories"), list) else []
    known = maps["categories"]
    themes: list[str] = []
    for c in categories:
        for theme in known.get(str(c), []):
            if theme not in themes:
                themes.append(theme)
    always = [t for t in maps["themes_always"] if t not in themes]
    themes = themes[:5 - len(always)] + always
    odd = [str(c) for c in categories if str(c) not in known]
    for c in odd:
        plan.warnings.append(msg("category '{category}' is not in the publiccode.yml standard's "
                                 "list; it is kept in the text but gives no theme", category=c))
    status = _text(data.get("developmentStatus"))
    stage = maps["stages"].get(status)
    if stage is None:
        raise ImportProblem(msg(
            "developmentStatus '{status}' is not one of the standard's values ({allowed})",
            status=status or "(missing)", allowed=", ".join(maps["stages"])))
    software_type = _text(data.get("softwareType"))
    block_kind = maps["block_kinds"].get(software_type, maps["block_kinds"]["default"])
    release = _text(data.get("releaseDate"))
    release_year = int(release[:4]) if re.match(r"^\d{4}-\d{2}-\d{2}$", release) else None
    start_year = min(release_year or today.year, today.year)
    stated_licence = _text(value_at(data, ["legal", "license"]))
    licence, licence_text = licence_sentences(stated_licence)
    if stated_licence and licence is None:
        plan.warnings.append(msg("licence '{licence}' is not recorded: {reason}",
                                 licence=stated_licence,
                                 reason=licences.problem(stated_licence) or ""))
    maintenance = _text(value_at(data, ["maintenance", "type"]))
    maintainer = owner_id if maintenance in maps["owner_maintains"] else None
    stated_url = _text(data.get("url"))
    url = stated_url if _is_web(stated_url) else ""
    landing = _text(data.get("landingURL"))
    landing = landing if _is_web(landing) else ""
    owner_org = kb.organisations.get(owner_id)
    country = (owner_org.facts.get("country") if owner_org and owner_org.facts
               else orgs.new[owner_id].metadata["country"])

    block: dict[str, Any] = {"id": slugify(name)[:ID_MAX], "name": name, "kind": block_kind}
    if url:
        block["url"] = url
    if licence:
        block["license"] = licence
    if maintainer:
        block["maintainer"] = maintainer
    organisations = [{"id": owner_id, "role": "owner"}]
    funders = [f for f in (data.get("fundedBy") or []) if isinstance(f, dict) and
               _text(f.get("name"))] if isinstance(data.get("fundedBy"), list) else []
    for funder in funders:
        fid = orgs.find(_text(funder["name"]), _text(funder.get("uri")))
        if fid and fid != owner_id and all(o["id"] != fid for o in organisations):
            organisations.append({"id": fid, "role": "funder"})

    def label(kind: str, lang: str) -> str:
        return maps["links"][kind][lang]

    links = [{"url": url, "kind": "code", "label": label("code", original)}] if url else []
    if landing and landing != url:
        links.append({"url": landing, "kind": "website", "label": label("website", original)})
    documentation = _text(desc[original].get("documentation"))
    if _is_web(documentation):
        links.append({"url": documentation, "kind": "website",
                      "label": label("documentation", original)})
    source: dict[str, Any] = {"title": texts["source_title"][original].format(name=name),
                              "publisher": stated_owner or orgs_name(kb, orgs, owner_id),
                              }
    if source_url or url:
        source["url"] = source_url or url
    facts: dict[str, Any] = {
        "schema": 1,
        "title": _title(desc[original], name),
        "summary": _summary(_text(desc[original].get("shortDescription")),
                            _title(desc[original], name)),
        "kind": "repository",
        "organisations": organisations,
        "countries": [country],
        "themes": themes,
        "mechanisms": list(maps["mechanisms"]),
        "period": {"start": start_year, "start_known": False},
        "stage": stage,
        "links": links,
        "sources": [source],
        "reviewed": today.isoformat(),
        "building_blocks": [block],
    }
    if not links:
        del facts["links"]
    if not _text(desc[original].get("shortDescription")):
        raise ImportProblem(msg("description/{lang} has no shortDescription, which the "
                                "standard requires and the summary needs", lang=original))

    common = {
        "name": name, "version": version or "?", "status": status, "stage": stage,
        "software_type": software_type, "release": release, "licence_text": licence_text,
        "maintenance": maintenance, "maintainer": maintainer, "categories": categories,
        "odd": odd, "owner": stated_owner or orgs_name(kb, orgs, owner_id),
        "owner_stated": bool(stated_owner), "field_label": field_label,
        "used_by": [u for u in (data.get("usedBy") or []) if _text(u)]
        if isinstance(data.get("usedBy"), list) else [],
        "funders": [_text(f["name"]) for f in funders], "start_year": start_year,
        "software_version": _text(data.get("softwareVersion")),
        "clone_url": "" if url else stated_url,
        "copyright_owner": _text(value_at(data, ["legal", "mainCopyrightOwner"])),
    }
    for lang in langs:
        rel = f"content/cases/{plan.case_id}.{lang}.md"
        markdown = body(lang, desc[lang], common)
        if lang == original:
            plan.files.append(PlannedFile(rel, facts, markdown))
        else:
            summary = _text(desc[lang].get("shortDescription"))
            if not summary:
                raise ImportProblem(msg("description/{lang} has no shortDescription, which "
                                        "the standard requires", lang=lang))
            plan.files.append(PlannedFile(rel, {
                "schema": 1, "title": _title(desc[lang], name),
                "summary": _summary(summary, _title(desc[lang], name)),
                "translation": "human"}, markdown))
    return plan


def orgs_name(kb: KnowledgeBase, orgs: Organisations, org_id: str) -> str:
    """Display name of an existing or newly planned organisation."""
    entry = kb.organisations.get(org_id)
    if entry is not None and entry.facts:
        return entry.title(DEFAULT_LANGUAGE)
    return str(orgs.new[org_id].metadata["name"])


def _title(desc: dict[str, Any], name: str) -> str:
    return _text(desc.get("localisedName")) or name


# --- checking and writing ----------------------------------------------------

def _validate(root: Path, plans: list[Plan], new_orgs: list[PlannedFile],
              today: dt.date) -> str | None:
    """Write the planned files into a copy of the content and validate them there.

    Returns the first error (as ``path:line:col: message``), or ``None``.
    """

    with tempfile.TemporaryDirectory(prefix="casebook-import-") as tmp:
        copy = Path(tmp)
        if (root / "content").is_dir():
            shutil.copytree(root / "content", copy / "content", symlinks=True)
        for plan in plans:
            for rel in plan.replaces:
                (copy / rel).unlink(missing_ok=True)
        written = []
        for pf in [*new_orgs, *(f for p in plans for f in p.files)]:
            target = copy / pf.rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(pf.text(), encoding="utf-8", newline="\n")
            written.append(target)
        diagnostics, _ = validate(copy, written, today=today)
        errors = [d for d in diagnostics if d.severity == "error"]
        if errors:
            d = errors[0]
            return f"{d.path}:{d.line}:{d.column}: {d.field + ': ' if d.field else ''}{d.message}"
    return None


def run(args: argparse.Namespace, *, today: dt.date | None = None) -> int:
    """Import the files; returns the exit status."""

    err, out = sys.stderr, sys.stdout
    today = today or dt.date.today()
    root = args.root.resolve() if args.root else find_root(Path.cwd())
    if not (root / "content").is_dir():
        text = msg("no content/ folder in {root}; pass --root", root=root)
        print(f"casebook: error: {text}", file=err)
        return USAGE
    kb = load(root)
    orgs = Organisations(kb)
    plans: list[Plan] = []
    seen: dict[str, Path] = {}
    for path in args.files:
        try:
            plan = plan_file(Path(path), kb, orgs, args.owner, today, args.force)
            if plan.case_id in seen:
                raise ImportProblem(msg("it gives the same case id '{id}' as {other}",
                                        id=plan.case_id, other=seen[plan.case_id]))
        except ImportProblem as exc:
            print(f"casebook: error: {path}: {exc.message}", file=err)
            return exc.code
        seen[plan.case_id] = Path(path)
        plans.append(plan)
    new_orgs = orgs.planned_files()
    problem = _validate(root, plans, new_orgs, today)
    if problem:
        text = msg("the imported entries would not validate, nothing was written: {problem}",
                   problem=problem)
        print(f"casebook: error: {text}", file=err)
        return FINDINGS
    for plan in plans:
        for warning in plan.warnings:
            print(f"casebook: warning: {plan.source}: {warning}", file=err)
    if args.dry_run:
        for pf in [*new_orgs, *(f for p in plans for f in p.files)]:
            out.write(f"--- {pf.rel}\n{pf.text()}")
        out.write(f"{msg('Dry run: nothing was written.')}\n")
        return OK
    for plan in plans:
        for rel in plan.replaces:
            (root / rel).unlink(missing_ok=True)
    for pf in new_orgs:
        write_entry(root / pf.rel, pf.metadata, pf.body)
    for plan in plans:
        for pf in plan.files:
            write_entry(root / pf.rel, pf.metadata, pf.body, overwrite=args.force)
        rels = ", ".join(pf.rel for pf in plan.files)
        out.write(f"{msg('Imported {file}: {files}', file=plan.source, files=rels)}\n")
    for pf in new_orgs:
        out.write(f"{msg('New organisation: {file}', file=pf.rel)}\n")
    return OK


def add_subcommand(subparsers: argparse._SubParsersAction) -> None:
    """Register ``casebook import publiccode``."""
    p = subparsers.add_parser(
        "import", help="import entries from other formats",
        description="Import entries from machine-readable descriptions.")
    kinds = p.add_subparsers(dest="format", metavar="publiccode")
    kinds.required = True
    pc = kinds.add_parser(
        "publiccode", help="repository cases from publiccode.yml files",
        description="Make one repository case per publiccode.yml file, with the software as "
                    "its building block, from the facts the file states. Nothing is written "
                    "unless every file imports and validates.")
    pc.add_argument("files", nargs="+", type=Path, metavar="FILE", help="publiccode.yml files")
    pc.add_argument("--owner", metavar="ORG_ID",
                    help="the organisation that owns the software (an existing organisation "
                         "id); needed when a file names no owner")
    pc.add_argument("--root", type=Path, default=None,
                    help="knowledge base folder (default: the folder holding mkdocs.yml)")
    pc.add_argument("--dry-run", action="store_true",
                    help="print the files that would be written; write nothing")
    pc.add_argument("--force", action="store_true", help="replace an existing case")
    pc.set_defaults(func=run)
