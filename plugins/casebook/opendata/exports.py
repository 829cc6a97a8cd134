"""Open data: the knowledge base as JSON, CSV, JSON Schema, Atom and JSON-LD.

Everything here is derived from the loaded knowledge base, the schemas and the
vocabularies; nothing restates the content model by hand. The CSV columns, for
example, follow the properties of the case schema.

Layout written by :func:`write_exports` (the same in the built site)::

    data/cases.json            every case: facts, title and summary per language, URLs
    data/cases.csv             one row per case, list values joined with " | "
    data/organisations.json    every organisation, with its cases and roles
    schema/<name>.schema.json  the published JSON Schemas
    feed.xml, en/feed.xml      Atom feed per language of the most recently reviewed cases
    data/catalog.jsonld        the DCAT-AP-NL catalogue, only with the site's URL

A text field never mislabels its language: ``title.nl`` (in JSON, and the
CSV column of that name) holds Dutch text or nothing (``null``, an empty
cell). Where an entry has text in one language only, that text stands under
its own language and ``original_language`` names it; ``translation`` says per
language whether the text is the ``original``, a ``human`` or ``machine``
translation, or ``null`` (missing). ``schema/open-data.schema.json`` documents
the documents.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from casebook.checks.validate import validate
from casebook.commandline import FINDINGS, OK, USAGE, find_root
from casebook.content.diagnostics import count
from casebook.content.model import Entry, KnowledgeBase, load, value_at
from casebook.content.schema import SCHEMA_NAMES, build_schema, raw_schema
from casebook.content.vocab import DEFAULT_LANGUAGE, LANGUAGES, Vocabularies
from casebook.i18n import msg
from casebook.opendata.catalog import CATALOG_PATH, catalog_document

#: URL folder per collection.
FOLDERS = {"cases": "cases", "organisations": "organisations"}
#: Separator of list values in CSV cells: neither "," nor ";", so a spreadsheet in any
#: locale (Dutch and Belgian ones split on ";") keeps a list in one cell.
LIST_SEPARATOR = " | "
#: How many cases an Atom feed carries.
FEED_SIZE = 20
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_TITLE = {
    "nl": "Casebook: recent bijgewerkte casussen",
    "en": "Casebook: recently reviewed cases",
}
SITE_NAME = "Casebook"
#: The JSON Schema of cases.json and organisations.json (``schema/open-data.schema.json``).
OPEN_DATA_SCHEMA = "open-data"
#: Licence of the content, and so of the open data (see LICENSE-CONTENT).
DATA_LICENSE = "CC-BY-4.0"


def language_prefix(lang: str, default_language: str = DEFAULT_LANGUAGE) -> str:
    """URL folder of a language: ``""`` for the default language, else ``"<lang>/"``."""
    return "" if lang == default_language else f"{lang}/"


def absolute(path: str, site_url: str | None) -> str:
    """``path`` (starting with ``/``) made absolute against ``site_url`` when given."""
    if not site_url:
        return path
    return urljoin(site_url.rstrip("/") + "/", path.lstrip("/"))


def url_for(collection: str, entry_id: str, lang: str, site_url: str | None = None,
            default_language: str = DEFAULT_LANGUAGE) -> str:
    """URL of an entry page: ``/cases/<id>/``, ``/en/cases/<id>/``."""
    path = f"/{language_prefix(lang, default_language)}{FOLDERS[collection]}/{entry_id}/"
    return absolute(path, site_url)


def jsonable(value: Any) -> Any:
    """YAML values as JSON values: dates become ISO strings."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _translation_state(entry: Entry, lang: str) -> str | None:
    if lang == entry.original_lang:
        return "original"
    if not entry.is_translated(lang):
        return None
    return entry.translation_kind(lang) or "human"


def _translatable(collection: str) -> list[str]:
    schema = raw_schema("case" if collection == "cases" else "organisation")
    return [k for k, spec in schema["properties"].items() if spec.get("x-translatable")]


def own_text(entry: Entry, key: str, lang: str) -> Any:
    """A translatable value written in ``lang``, or ``None``: never the other language's."""
    f = entry.files.get(lang)
    return f.data.get(key) if f is not None else None


def _editorial(collection: str) -> set[str]:
    """Keys for the editors (``x-editorial`` in the schema), not facts for the open data."""
    schema = raw_schema("case" if collection == "cases" else "organisation")
    return {k for k, spec in schema["properties"].items() if spec.get("x-editorial")}


def entry_record(entry: Entry, languages: Sequence[str] = LANGUAGES,
                 site_url: str | None = None) -> dict[str, Any]:
    """One entry as a JSON object: id, texts and URLs per language, then the facts."""
    translatable = _translatable(entry.collection)
    record: dict[str, Any] = {"id": entry.id}
    for key in translatable:
        record[key] = {lang: own_text(entry, key, lang) for lang in languages}
    record["url"] = {lang: url_for(entry.collection, entry.id, lang, site_url)
                     for lang in languages}
    record["original_language"] = entry.original_lang
    record["translation"] = {lang: _translation_state(entry, lang) for lang in languages}
    editorial = _editorial(entry.collection)
    for key, value in entry.facts.items():
        if key not in translatable and key != "translation" and key not in editorial:
            record[key] = jsonable(value)
    return record


def cases_document(kb: KnowledgeBase, languages: Sequence[str] = LANGUAGES,
                   site_url: str | None = None) -> dict[str, Any]:
    """``cases.json``: every valid case."""
    cases = [entry_record(e, languages, site_url) for e in kb.valid_cases()]
    return {"version": 1, "license": DATA_LICENSE, "languages": list(languages),
            "count": len(cases), "cases": cases}


def organisations_document(kb: KnowledgeBase, languages: Sequence[str] = LANGUAGES,
                           site_url: str | None = None) -> dict[str, Any]:
    """``organisations.json``: every valid organisation with its cases and roles."""
    roles: dict[str, list[dict[str, str]]] = {}
    for case in kb.valid_cases():
        for link in case.facts.get("organisations") or []:
            if isinstance(link, dict) and link.get("id"):
                roles.setdefault(str(link["id"]), []).append(
                    {"id": case.id, "role": str(link.get("role", ""))}
                )
    orgs = []
    for entry in kb.valid_organisations():
        record = entry_record(entry, languages, site_url)
        record["cases"] = roles.get(entry.id, [])
        orgs.append(record)
    return {"version": 1, "license": DATA_LICENSE, "languages": list(languages),
            "count": len(orgs), "organisations": orgs}


# --- CSV ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    """A CSV column: its name and how to read it from a case's facts."""

    name: str
    path: tuple[str, ...]
    #: ``scalar``, ``list`` (list of scalars) or ``items`` (one property of a list of objects).
    mode: str
    item_key: str | None = None


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[-1]
        spec = {**schema["$defs"][name], **{k: v for k, v in spec.items() if k != "$ref"}}
    return spec


def csv_columns(schema: dict[str, Any] | None = None) -> list[Column]:
    """Fact columns of ``cases.csv``, in the order of the case schema."""
    schema = schema or raw_schema("case")
    columns: list[Column] = []

    def walk(props: dict[str, Any], path: tuple[str, ...]) -> None:
        for key, spec in props.items():
            spec = _resolve(spec, schema)
            if spec.get("x-translatable") or spec.get("x-editorial"):
                continue
            here = (*path, key)
            name = ".".join(here)
            if spec.get("type") == "object" and "properties" in spec:
                walk(spec["properties"], here)
            elif spec.get("type") == "array":
                items = _resolve(spec.get("items", {}), schema)
                if items.get("type") == "object" and "properties" in items:
                    for sub in items["properties"]:
                        columns.append(Column(f"{name}.{sub}", here, "items", sub))
                else:
                    columns.append(Column(name, here, "list"))
            else:
                columns.append(Column(name, here, "scalar"))

    walk(schema["properties"], ())
    return columns


#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV
#: Injection"): such a cell is given a leading ``'``, which spreadsheets show as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Where a spreadsheet in a ";"-separated locale (Dutch, Belgian) that splits the line
#: on ";" would start a cell with a formula: after a ";" and optional spaces.
_SEMICOLON_FORMULA = re.compile(r";([ ]*)(?=[=+\-@\t\r])")


def neutralise(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text in any locale: ``=HYPERLINK(...)`` →
    ``'=HYPERLINK(...)``, and ``Gent;=1+1`` → ``Gent;'=1+1`` (the cell a ";"-locale
    spreadsheet would start after the ";")."""
    if ";" in cell:
        cell = _SEMICOLON_FORMULA.sub(r";\1'", cell)
    return "'" + cell if cell.lstrip(" ").startswith(FORMULA_START) else cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def column_value(column: Column, facts: dict[str, Any]) -> str:
    """The CSV cell of ``column`` for a case."""
    value = value_at(facts, column.path)
    if column.mode == "scalar":
        return _cell(value)
    items = value if isinstance(value, list) else ([] if value is None else [value])
    if column.mode == "list":
        return LIST_SEPARATOR.join(_cell(v) for v in items)
    return LIST_SEPARATOR.join(
        _cell(item.get(column.item_key)) if isinstance(item, dict) else "" for item in items
    )


def cases_csv(kb: KnowledgeBase, languages: Sequence[str] = LANGUAGES,
              site_url: str | None = None) -> str:
    """``cases.csv``: one row per case, with a header row."""
    columns = csv_columns()
    translatable = _translatable("cases")
    header = ["id"]
    header += [f"{key}.{lang}" for key in translatable for lang in languages]
    header += [f"url.{lang}" for lang in languages]
    header += ["original_language"] + [f"translation.{lang}" for lang in languages]
    header += [c.name for c in columns]
    buffer = io.StringIO()
    # Every cell is quoted: a line break, a quote, a "," or a ";" (the separator of
    # Dutch and Belgian spreadsheets) inside a cell splits or shifts no row in any locale.
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    for entry in kb.valid_cases():
        row = [entry.id]
        row += [_cell(own_text(entry, key, lang)) for key in translatable for lang in languages]
        row += [url_for("cases", entry.id, lang, site_url) for lang in languages]
        row += [entry.original_lang or ""]
        row += [_translation_state(entry, lang) or "" for lang in languages]
        row += [column_value(c, entry.facts) for c in columns]
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


# --- Atom --------------------------------------------------------------------------


def _timestamp(value: Any) -> str:
    text = str(value)[:10] if value is not None else "1970-01-01"
    return f"{text}T00:00:00Z"


def recent_cases(kb: KnowledgeBase, limit: int = FEED_SIZE,
                 cases: Sequence[Entry] | None = None) -> list[Entry]:
    """The most recently reviewed cases (of ``cases``, else of all), newest first
    (ties by id)."""
    chosen = sorted(kb.valid_cases() if cases is None else cases, key=lambda e: e.id)
    chosen.sort(key=lambda e: str(e.facts.get("reviewed") or ""), reverse=True)
    return chosen[:limit]


#: Characters XML 1.0 cannot hold (a feed with one is not XML).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str, case: Entry, field: str) -> str:
    """``text`` for an XML element; refuses what XML cannot hold, naming the case."""
    found = _NOT_XML.search(text)
    if found:
        raise ValueError(msg(
            "case '{case}': {field} holds U+{code}, which XML (the Atom feed) cannot hold; "
            "run casebook validate and remove it", case=case.id, field=field,
            code=f"{ord(found.group()):04X}"))
    return text


def atom_feed(kb: KnowledgeBase, lang: str, site_url: str | None = None,
              limit: int = FEED_SIZE) -> bytes:
    """Atom feed (UTF-8 XML) of the most recently reviewed cases in ``lang``."""
    prefix = language_prefix(lang)
    return atom_document(kb, lang, recent_cases(kb, limit), feed_id=f"urn:casebook:feed:{lang}",
                         title=FEED_TITLE[lang], self_path=f"/{prefix}feed.xml",
                         alternate_path=f"/{prefix}", site_url=site_url)


def topic_feed(kb: KnowledgeBase, lang: str, cases: Sequence[Entry], name: str, title: str,
               site_url: str | None = None, limit: int = FEED_SIZE) -> bytes:
    """Atom feed of the most recently reviewed of ``cases`` (a kind's, a theme's, an
    organisation's), beside the page ``name`` (``kinds/lab``) in ``lang``."""
    chosen = recent_cases(kb, limit, cases)
    prefix = language_prefix(lang)
    return atom_document(kb, lang, chosen, feed_id=f"urn:casebook:feed:{lang}:{name}",
                         title=title, self_path=f"/{prefix}{name}/feed.xml",
                         alternate_path=f"/{prefix}{name}/", site_url=site_url)


def atom_document(kb: KnowledgeBase, lang: str, entries: Sequence[Entry], *, feed_id: str,
                  title: str, self_path: str, alternate_path: str,
                  site_url: str | None = None) -> bytes:
    """An Atom 1.0 feed of ``entries`` (in that order) in ``lang``."""
    vocabs = kb.vocabularies
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: lang})
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    updated = max((str(e.facts.get("reviewed")) for e in entries), default=None)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _timestamp(updated)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = SITE_NAME
    ET.SubElement(feed, f"{{{ATOM}}}link", {
        "rel": "self", "type": "application/atom+xml",
        "href": absolute(self_path, site_url)})
    ET.SubElement(feed, f"{{{ATOM}}}link", {
        "rel": "alternate", "type": "text/html", "href": absolute(alternate_path, site_url)})
    for case in entries:
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(item, f"{{{ATOM}}}id").text = f"urn:casebook:case:{case.id}"
        text_lang = case.text_lang(lang)
        ET.SubElement(item, f"{{{ATOM}}}title", {XML_LANG: text_lang}).text = _xml_text(
            case.title(lang), case, "title")
        ET.SubElement(item, f"{{{ATOM}}}link", {
            "rel": "alternate", "type": "text/html", "hreflang": lang,
            "href": url_for("cases", case.id, lang, site_url)})
        ET.SubElement(item, f"{{{ATOM}}}updated").text = _timestamp(case.facts.get("reviewed"))
        summary = case.text("summary", lang)
        if summary:
            ET.SubElement(item, f"{{{ATOM}}}summary",
                          {"type": "text", XML_LANG: text_lang}).text = _xml_text(
                              str(summary).strip(), case, "summary")
        kind = case.facts.get("kind")
        if kind:
            ET.SubElement(item, f"{{{ATOM}}}category", {
                "term": str(kind), "label": vocabs.label("kinds", str(kind), lang)})
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


# --- JSON-LD -----------------------------------------------------------------------


def case_jsonld(entry: Entry, kb: KnowledgeBase, lang: str,
                site_url: str | None = None) -> dict[str, Any]:
    """schema.org description of a case page: a ``WebPage`` about a ``Project``."""
    vocabs: Vocabularies = kb.vocabularies
    facts = entry.facts
    page_url = url_for("cases", entry.id, lang, site_url)
    project: dict[str, Any] = {
        "@type": "Project",
        "@id": f"{page_url}#case",
        "identifier": entry.id,
        "name": entry.title(lang),
        "url": page_url,
    }
    summary = entry.text("summary", lang)
    if summary:
        project["description"] = str(summary).strip()
    period = facts.get("period") if isinstance(facts.get("period"), dict) else {}
    if period.get("start") is not None and period.get("start_known", True):
        project["foundingDate"] = str(period["start"])
    if period.get("end") is not None:
        project["dissolutionDate"] = str(period["end"])
    places = [{"@type": "Place", "name": str(p)} for p in facts.get("places") or []]
    unknowns = vocabs.extra_terms("countries")  # 'not-stated' names no country
    countries = [{"@type": "Country", "identifier": str(c),
                  "name": vocabs.label("countries", str(c), lang)}
                 for c in facts.get("countries") or [] if str(c) not in unknowns]
    if places:
        project["location"] = places
    if countries:
        project["areaServed"] = countries
    keywords = [vocabs.label("kinds", str(facts["kind"]), lang)] if facts.get("kind") else []
    keywords += [vocabs.label("themes", str(t), lang) for t in facts.get("themes") or []]
    keywords += [vocabs.label("mechanisms", str(m), lang) for m in facts.get("mechanisms") or []]
    if keywords:
        project["keywords"] = keywords
    members, funders = [], []
    for link in facts.get("organisations") or []:
        if not isinstance(link, dict) or not link.get("id"):
            continue
        org_id = str(link["id"])
        org_entry = kb.organisations.get(org_id)
        org = {"@type": "Organization",
               "name": org_entry.title(lang) if org_entry else org_id,
               "url": url_for("organisations", org_id, lang, site_url)}
        role = str(link.get("role", ""))
        if role == "funder":
            funders.append(org)
        members.append({"@type": "OrganizationRole",
                        "roleName": vocabs.label("roles", role, lang), "member": org})
    if members:
        project["member"] = members
    if funders:
        project["funder"] = funders
    page: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "url": page_url,
        "name": entry.title(lang),
        "inLanguage": entry.text_lang(lang),
        "about": project,
    }
    if facts.get("reviewed"):
        page["dateModified"] = str(facts["reviewed"])
        page["lastReviewed"] = str(facts["reviewed"])
    citations = []
    for source in facts.get("sources") or []:
        if not isinstance(source, dict) or not source.get("title"):
            continue
        work: dict[str, Any] = {"@type": "CreativeWork", "name": str(source["title"])}
        if source.get("publisher"):
            work["publisher"] = {"@type": "Organization", "name": str(source["publisher"])}
        if source.get("date"):
            work["datePublished"] = str(source["date"])
        if source.get("url"):
            work["url"] = str(source["url"])
        citations.append(work)
    if citations:
        page["citation"] = citations
    return page


def jsonld_script(data: dict[str, Any]) -> str:
    """A ``<script type="application/ld+json">`` element, safe to embed in HTML."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'


# --- Writing -----------------------------------------------------------------------


def _json(data: Any, indent: int | None = None) -> str:
    # The large data files are written compact: indentation makes json use its
    # pure-Python encoder, ten times slower. The small schemas stay readable.
    if indent:
        return json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False) + "\n"
    # allow_nan=False: NaN and Infinity are not JSON; the validator refuses them first.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


def export_files(kb: KnowledgeBase, languages: Sequence[str] = LANGUAGES,
                 site_url: str | None = None) -> dict[str, Callable[[], str | bytes]]:
    """Every export file: relative path → function producing its content."""
    files: dict[str, Callable[[], str | bytes]] = {
        "data/cases.json": lambda: _json(cases_document(kb, languages, site_url)),
        "data/cases.csv": lambda: cases_csv(kb, languages, site_url),
        "data/organisations.json": lambda: _json(organisations_document(kb, languages, site_url)),
    }
    for name in SCHEMA_NAMES:
        files[f"schema/{name}.schema.json"] = (
            lambda name=name: _json(build_schema(name, kb.vocabularies), indent=2))
    files[f"schema/{OPEN_DATA_SCHEMA}.schema.json"] = (
        lambda: _json(raw_schema(OPEN_DATA_SCHEMA), indent=2))
    for lang in languages:
        files[f"{language_prefix(lang)}feed.xml"] = (
            lambda lang=lang: atom_feed(kb, lang, site_url))
    if site_url:  # the catalogue's identifiers are addresses under the site's URL
        files[CATALOG_PATH] = lambda: _json(catalog_document(kb, languages, site_url),
                                            indent=2)
    return files


def write_exports(kb: KnowledgeBase, out_dir: Path | str,
                  languages: Sequence[str] = LANGUAGES,
                  site_url: str | None = None) -> list[Path]:
    """Write every export under ``out_dir``; returns the paths written."""
    out = Path(out_dir)
    written = []
    for rel, produce in export_files(kb, languages, site_url).items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        content = produce()
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="\n")
        written.append(path)
    return written


# --- Command line ------------------------------------------------------------------


def _export(args: argparse.Namespace) -> int:

    root = args.root.resolve() if args.root else find_root(Path.cwd())
    if not (root / "content").is_dir():
        print(f"casebook: error: no content/ folder in {root}; pass --root", file=sys.stderr)
        return USAGE
    kb = load(root)
    diagnostics, _files = validate(root, kb=kb)
    errors, _warnings = count(diagnostics)
    if errors:
        for d in diagnostics:
            if d.severity == "error":
                print(d.format_text(), file=sys.stderr)
        print(f"casebook: export stopped: {errors} error(s) in the knowledge base",
              file=sys.stderr)
        return FINDINGS
    written = write_exports(kb, args.out, site_url=args.site_url)
    for path in written:
        print(path.as_posix())
    if not args.site_url:
        print(msg("casebook: note: no DCAT catalogue ({path}) without --site-url: its "
                  "identifiers are addresses under the site's URL", path=CATALOG_PATH),
              file=sys.stderr)
    return OK


def add_subcommand(subparsers: argparse._SubParsersAction) -> None:
    """Register ``casebook export``."""
    p = subparsers.add_parser(
        "export", help="write the open data: JSON, CSV, JSON Schemas and Atom feeds",
        description="Write cases.json, cases.csv, organisations.json, the JSON Schemas and "
                    "an Atom feed per language into a folder, laid out as on the site.")
    p.add_argument("--out", type=Path, required=True, help="folder to write into")
    p.add_argument("--root", type=Path, default=None,
                   help="knowledge base folder (default: the folder holding mkdocs.yml, "
                        "searched upwards from the current directory)")
    p.add_argument("--site-url", default=None,
                   help="make URLs absolute against this site URL (the DCAT catalogue is "
                        "written only with it)")
    p.set_defaults(func=_export)

