"""``casebook import publiccode FILE...``: repository cases from publiccode.yml files.

A `publiccode.yml <https://yml.publiccode.tools>`_ file describes the software
of a public administration. Each file becomes one ``repository`` case with the
software as its building block, using only what the file states; every
mapping (categories to themes, statuses to stages, ...) and every sentence of
the generated text comes from ``data/publiccode.yaml``. The ``description``
languages decide the files: Dutch and English give an original (Dutch) and a
translation, one of them a one-language entry.

Every message names the field of the publiccode.yml file it is about
(``description/en/shortDescription``), never the generated entry. A batch
imports every file that imports and validates, refuses the others with their
reason, reports each file's outcome and a summary, and exits 1 when any file
was refused. Stated facts win: ``--owner`` fills only an owner the file does
not state; dates are checked as facts (no epoch, no placeholder, no impossible
month).
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
from casebook.content.entry_io import write_entry
from casebook.content.frontmatter import NoAliasLoader
from casebook.content.model import ID_MAX, KnowledgeBase, load, value_at
from casebook.content.vocab import DEFAULT_LANGUAGE, LANGUAGES
from casebook.i18n import Message, msg, msg_n
from casebook.intake.publiccode_facts import check_release, limits, release_warning, source_field
from casebook.intake.publiccode_orgs import NOT_STATED, Organisations, PlannedFile
from casebook.intake.publiccode_text import body, licence_sentences, mapping
from casebook.intake.publiccode_text import text as _text
from casebook.intake.scaffold import slugify

OK, FINDINGS, USAGE = 0, 1, 2
#: Largest publiccode.yml read (the standard's files are a few KB).
MAX_BYTES = 1024 * 1024
#: A comment line recording where a saved copy of the file came from.
_SOURCE_COMMENT = re.compile(r"^#\s*source:\s*(https?://\S+)\s*$", re.I | re.M)


class _Loader(NoAliasLoader):
    """Safe YAML without implicit timestamps: dates stay text, checked as facts here
    (an impossible ``2021-17-02`` would otherwise stop the YAML reader itself); aliases
    are refused before any value is expanded."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


class ImportProblem(Exception):
    """A file that cannot be imported; the message is one line for the person."""

    def __init__(self, message: Message, code: int = FINDINGS) -> None:
        super().__init__(message)
        self.message, self.code = message, code


@dataclass
class Plan:
    """Everything one publiccode.yml file would write."""

    source: Path
    case_id: str
    files: list[PlannedFile] = field(default_factory=list)
    #: Existing files of the case that ``--force`` replaces (removed first).
    replaces: list[str] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    #: Files of the organisations this file's import creates.
    new_orgs: list[PlannedFile] = field(default_factory=list)
    #: Description tag per language (``en`` → ``en-GB``) and the original language.
    tags: dict[str, str] = field(default_factory=dict)
    original: str = DEFAULT_LANGUAGE


# --- reading -----------------------------------------------------------------

def read_file(path: Path) -> tuple[dict[str, Any], str | None]:
    """The publiccode.yml mapping and the URL recorded in a ``# source:`` comment."""
    try:
        raw = path.read_bytes()[: MAX_BYTES + 1]
    except OSError as exc:
        raise ImportProblem(msg("cannot read the file ({reason})",
                                reason=exc.strerror or str(exc)), USAGE) from None
    return parse(raw)


def parse(raw: bytes) -> tuple[dict[str, Any], str | None]:
    """The publiccode.yml mapping in ``raw`` and the URL of its ``# source:`` comment."""
    if len(raw) > MAX_BYTES:
        raise ImportProblem(msg("not a publiccode.yml file: it is larger than 1 MB"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblem(msg("not a YAML file: it is not UTF-8 text")) from None
    try:
        data = yaml.load(text, Loader=_Loader)
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


def description_tags(data: dict[str, Any]) -> dict[str, str]:
    """The tag of the Dutch and English description sections, keyed ``nl``/``en``.

    Keys are BCP 47 tags (``nl``, ``nl-BE``, ``en-GB``); an exact ``nl``/``en``
    wins over a regional variant.
    """
    section = data.get("description")
    if not isinstance(section, dict):
        return {}
    out: dict[str, str] = {}
    for lang in LANGUAGES:
        tags = [t for t in section if isinstance(t, str)
                and t.split("-")[0].lower() == lang and isinstance(section[t], dict)]
        tags.sort(key=lambda t: (t.lower() != lang, t))
        if tags:
            out[lang] = tags[0]
    return out


def descriptions(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The Dutch and English description sections, keyed ``nl``/``en``."""
    return {lang: data["description"][tag] for lang, tag in description_tags(data).items()}


# --- building the entries ----------------------------------------------------

def _is_web(url: str) -> bool:
    """True for an http(s) address; the standard also allows git:// and other clone URLs."""
    return url.lower().startswith(("https://", "http://"))


def _summary(short: str, title: str) -> str:
    summary = short
    if len(summary) < limits("summary")[0]:
        summary = f"{title}: {short}"
    return summary


def find_stated_owner(data: dict[str, Any]) -> tuple[str, str]:
    """The owner's name the file states and the field it is in (``organisation/name``)."""
    for fld in mapping()["owner_fields"]:
        value = _text(value_at(data, fld))
        if value:
            return value, ".".join(fld)
    return "", ""


def plan_file(path: Path, kb: KnowledgeBase, orgs: Organisations, owner_id: str | None,
              today: dt.date, force: bool, owner_role: str | None = None) -> Plan:
    """Work out the entries one publiccode.yml file becomes (nothing is written)."""
    data, source_url = read_file(path)
    return plan_data(data, source_url, path, kb, orgs, owner_id, today, force, owner_role)


def plan_data(data: dict[str, Any], source_url: str | None, path: Path, kb: KnowledgeBase,
              orgs: Organisations, owner_id: str | None, today: dt.date, force: bool,
              owner_role: str | None = None) -> Plan:
    """Work out the entries a parsed publiccode.yml file becomes (nothing is written)."""
    texts, maps = mapping()["text"], mapping()
    tags = description_tags(data)
    desc = descriptions(data)
    if not desc:
        raise ImportProblem(msg(
            "description: it has no Dutch (nl) or English (en) text; Casebook entries are "
            "written in Dutch and English, so this file cannot be imported"))
    name = _text(data["name"])
    version = _text(data.get("publiccodeYmlVersion"))
    langs = [lg for lg in LANGUAGES if lg in desc]
    original = DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in langs else langs[0]
    plan = Plan(path, slugify(name))
    plan.tags, plan.original = tags, original
    if not plan.case_id:
        raise ImportProblem(msg("name: '{name}' gives no usable id", name=name))

    # Texts that become the title and summary, checked against the source's fields.
    tmin, tmax = limits("title")
    smin, smax = limits("summary")
    for lang in langs:
        tag = tags[lang]
        title = _title(desc[lang], name)
        title_field = (f"description/{tag}/localisedName"
                       if _text(desc[lang].get("localisedName")) else "name")
        if not tmin <= len(title) <= tmax:
            raise ImportProblem(msg_n(
                "{field}: '{text}' is {n} character long; a title has {min} to {max}",
                "{field}: '{text}' is {n} characters long; a title has {min} to {max}",
                len(title), field=title_field, text=title, min=tmin, max=tmax))
        short = _text(desc[lang].get("shortDescription"))
        short_field = f"description/{tag}/shortDescription"
        if not short:
            raise ImportProblem(msg(
                "{field}: missing; the standard requires it and the summary is made from it",
                field=short_field))
        summary = _summary(short, title)
        if len(summary) < smin:
            raise ImportProblem(msg_n(
                "{field}: '{text}' is {n} character long, also with the name before it; a "
                "summary needs at least {min}: give a fuller shortDescription in the file",
                "{field}: '{text}' is {n} characters long, also with the name before it; a "
                "summary needs at least {min}: give a fuller shortDescription in the file",
                len(summary), field=short_field, text=short, min=smin))
        if len(summary) > smax:
            raise ImportProblem(msg_n(
                "{field}: it is {n} character long; a summary has at most {max} (the "
                "standard allows 150)",
                "{field}: it is {n} characters long; a summary has at most {max} (the "
                "standard allows 150)", len(summary), field=short_field, max=smax))

    # The owner: what the file states wins.
    stated_owner, owner_field = find_stated_owner(data)
    field_label = texts["owner_fields"].get(owner_field, {lg: owner_field for lg in LANGUAGES})
    given_id = owner_id
    if given_id and not orgs.exists(given_id):
        raise ImportProblem(msg("--owner '{id}': there is no organisation with this id; "
                                "create it first with 'casebook new organisation'",
                                id=given_id), USAGE)
    extra: list[dict[str, str]] = []
    if stated_owner:
        found = orgs.find(stated_owner, _text(value_at(data, ["organisation", "uri"])))
        if given_id and found != given_id and not owner_role:
            raise ImportProblem(msg(
                "{field}: the file states the owner '{owner}'{matched}, but --owner names "
                "'{given}'; what the file states wins: leave out --owner, or add --owner-role "
                "ROLE to record '{given}' beside it in its real role (host, partner, funder "
                "or facilitator)", field=owner_field.replace(".", "/"), owner=stated_owner,
                matched=f" (organisation '{found}')" if found else "", given=given_id), USAGE)
        if given_id and found != given_id and owner_role:
            extra.append({"id": given_id, "role": owner_role})
        owner_id = found or orgs.create(stated_owner, original, name, field_label, today)
        if owner_id is None:
            raise ImportProblem(msg(
                "{field}: the owner '{owner}' matches no organisation by name, alias or "
                "website, and the id '{id}' is already taken by another organisation; add "
                "'{owner}' to that organisation's aliases if it is the same one",
                field=owner_field.replace(".", "/"), owner=stated_owner,
                id=slugify(stated_owner)))
        if owner_id in orgs.new and orgs.new[owner_id].metadata["kind"] == NOT_STATED:
            plan.warnings.append(msg(
                "{field}: '{owner}' is a new organisation ({id}) whose kind and country "
                "the file does not state; they are recorded as not stated",
                field=owner_field.replace(".", "/"), owner=stated_owner, id=owner_id))
    elif given_id:
        owner_id = given_id
        if owner_role:
            raise ImportProblem(msg(
                "--owner-role: the file names no owner, so '{id}' is the owner; leave out "
                "--owner-role", id=given_id), USAGE)
    else:
        raise ImportProblem(msg(
            "organisation/name: the file names no owner (organisation/name, legal/repoOwner "
            "or legal/mainCopyrightOwner); pass --owner ORG_ID with the id of the "
            "organisation whose repository holds the file"))
    assert owner_id is not None

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
        plan.warnings.append(msg("categories: '{category}' is not in the publiccode.yml "
                                 "standard's list; it is kept in the text but gives no theme",
                                 category=c))
    status = _text(data.get("developmentStatus"))
    stage = maps["stages"].get(status)
    if stage is None:
        if status:
            plan.warnings.append(msg(
                "developmentStatus: '{status}' is not one of the standard's values "
                "({allowed}); the stage is recorded as not stated", status=status,
                allowed=", ".join(maps["stages"])))
        else:
            plan.warnings.append(msg(
                "developmentStatus: the file states none (the standard requires it); the "
                "stage is recorded as not stated"))
        stage = NOT_STATED
    software_type = _text(data.get("softwareType"))
    block_kind = maps["block_kinds"].get(software_type, maps["block_kinds"]["default"])
    release = _text(data.get("releaseDate"))
    release_date, release_problem = check_release(release, today)
    if release_problem:
        plan.warnings.append(release_warning(release, release_problem))
    start_year = release_date.year if release_date else today.year
    stated_licence = _text(value_at(data, ["legal", "license"]))
    licence, licence_text = licence_sentences(stated_licence)
    if stated_licence and licence is None:
        plan.warnings.append(msg("legal/license: '{licence}' is not recorded: {reason}",
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
    organisations = [{"id": owner_id, "role": "owner"}, *extra]
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
                              "publisher": stated_owner or orgs.name_of(owner_id),
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

    common = {
        "name": name, "version": version or "?", "status": status, "stage": stage,
        "software_type": software_type, "release": release if release_date else "",
        "release_unrecorded": release if release_problem else "",
        "release_problem": release_problem, "licence_text": licence_text,
        "maintenance": maintenance, "maintainer": maintainer, "categories": categories,
        "odd": odd, "owner": stated_owner or orgs.name_of(owner_id),
        "owner_stated": bool(stated_owner), "field_label": field_label,
        "given": [(orgs.name_of(o["id"]), o["role"]) for o in extra],
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
            plan.files.append(PlannedFile(rel, {
                "schema": 1, "title": _title(desc[lang], name),
                "summary": _summary(_text(desc[lang].get("shortDescription")),
                                    _title(desc[lang], name)),
                "translation": "human"}, markdown))
    return plan


def _title(desc: dict[str, Any], name: str) -> str:
    return _text(desc.get("localisedName")) or name


# --- checking and writing ----------------------------------------------------

def validate_plans(root: Path, plans: list[Plan], today: dt.date) -> dict[int, str]:
    """Write the planned files into a copy of the content and validate them there.

    Returns the first error of each plan that has one (by index), naming the field
    of the publiccode.yml file the value came from.
    """
    owner_of: dict[str, int] = {}
    for i, plan in enumerate(plans):
        for pf in [*plan.files, *plan.new_orgs]:
            owner_of[pf.rel] = i
    problems: dict[int, str] = {}
    with tempfile.TemporaryDirectory(prefix="casebook-import-") as tmp:
        copy = Path(tmp)
        if (root / "content").is_dir():
            shutil.copytree(root / "content", copy / "content", symlinks=True)
        for plan in plans:
            for rel in plan.replaces:
                (copy / rel).unlink(missing_ok=True)
        written = []
        for rel, i in owner_of.items():
            pf = next(f for f in [*plans[i].files, *plans[i].new_orgs] if f.rel == rel)
            target = copy / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(pf.text(), encoding="utf-8", newline="\n")
            written.append(target)
        diagnostics, _ = validate(copy, written, today=today)
        for d in diagnostics:
            i = owner_of.get(Path(d.path).as_posix().removeprefix(f"{copy.as_posix()}/"))
            if d.severity != "error" or i is None or i in problems:
                continue
            plan = plans[i]
            where = source_field(d.field, plan.tags, plan.original) if d.field else ""
            problems[i] = f"{where + ': ' if where else ''}{d.message}"
    return problems


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
    refused: dict[str, tuple[Message | str, int]] = {}
    seen: dict[str, Path] = {}
    for path in args.files:
        mark = orgs.mark()
        try:
            plan = plan_file(Path(path), kb, orgs, args.owner, today, args.force,
                             getattr(args, "owner_role", None))
            if plan.case_id in seen:
                raise ImportProblem(msg("name: it gives the same case id '{id}' as {other}",
                                        id=plan.case_id, other=seen[plan.case_id]))
        except ImportProblem as exc:
            orgs.rollback(mark)
            refused[str(path)] = (exc.message, exc.code)
            continue
        plan.new_orgs = orgs.files_since(mark)
        seen[plan.case_id] = Path(path)
        plans.append(plan)
    # Validate what is left; a plan with an error is refused and the rest checked again.
    while plans:
        problems = validate_plans(root, plans, today)
        if not problems:
            break
        for i, problem in problems.items():
            refused[str(plans[i].source)] = (msg(
                "the entry would not validate: {problem}", problem=problem), FINDINGS)
        plans = [p for i, p in enumerate(plans) if i not in problems]
    new_orgs = [pf for p in plans for pf in p.new_orgs]
    if not args.dry_run:
        for plan in plans:
            for rel in plan.replaces:
                (root / rel).unlink(missing_ok=True)
        for pf in new_orgs:
            write_entry(root / pf.rel, pf.metadata, pf.body)
        for plan in plans:
            for pf in plan.files:
                write_entry(root / pf.rel, pf.metadata, pf.body, overwrite=args.force)
    else:
        for pf in [*new_orgs, *(f for p in plans for f in p.files)]:
            out.write(f"--- {pf.rel}\n{pf.text()}")
    # Every file's outcome, in the order given, then a summary.
    by_source = {str(p.source): p for p in plans}
    warnings = 0
    for path in args.files:
        key = str(path)
        if key in refused:
            print(f"casebook: error: {path}: {refused[key][0]}", file=err)
            continue
        plan = by_source[key]
        for warning in plan.warnings:
            print(f"casebook: warning: {path}: {warning}", file=err)
        warnings += len(plan.warnings)
        rels = ", ".join(pf.rel for pf in plan.files)
        line = (msg("Would import {file}: {files}", file=path, files=rels) if args.dry_run
                else msg("Imported {file}: {files}", file=path, files=rels))
        out.write(f"{line}\n")
        for pf in plan.new_orgs:
            out.write(f"{msg('New organisation: {file}', file=pf.rel)}\n")
    summary = msg("{imported} imported, {refused} refused, {warnings}",
                  imported=len(plans), refused=len(refused),
                  warnings=msg_n("{n} warning", "{n} warnings", warnings))
    out.write(f"{summary}\n")
    if args.dry_run:
        out.write(f"{msg('Dry run: nothing was written.')}\n")
    if refused:
        return max(code for _, code in refused.values())
    return OK
