"""Open data exports on a small synthetic knowledge base (no MkDocs)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
from casebook import cli
from casebook.content.model import KnowledgeBase
from casebook.content.schema import SCHEMA_NAMES, build_schema, raw_schema
from casebook.opendata import exports

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_cases_json_has_every_case_with_facts_texts_and_urls(small_kb: KnowledgeBase) -> None:
    doc = json.loads(json.dumps(exports.cases_document(small_kb)))
    assert doc["count"] == 3
    by_id = {c["id"]: c for c in doc["cases"]}
    assert set(by_id) == {"fietsstraat-lab", "energy-challenge", "open-data-praktijk"}
    lab = by_id["fietsstraat-lab"]
    assert lab["title"] == {"nl": "Fietsstraatlab in Gent", "en": "Cycle street lab in Ghent"}
    assert lab["url"] == {"nl": "/cases/fietsstraat-lab/", "en": "/en/cases/fietsstraat-lab/"}
    assert lab["translation"] == {"nl": "original", "en": "human"}
    assert lab["lab"] == {"founded": 2019, "setting": "physical"}
    assert lab["reviewed"] == "2025-03-01"
    assert lab["organisations"] == [{"id": "stad-gent", "role": "host"},
                                    {"id": "fietsbond", "role": "partner"}]
    # An English-only case: no Dutch text, so nothing under nl; the text stands under en.
    battery = by_id["energy-challenge"]
    assert battery["original_language"] == "en"
    assert battery["title"] == {"nl": None, "en": "Neighbourhood battery challenge"}
    assert battery["summary"]["nl"] is None and battery["summary"]["en"]
    assert battery["translation"] == {"nl": None, "en": "original"}
    assert battery["challenge"]["budget"] == {"amount": 50000, "currency": "EUR", "per": "total"}
    assert by_id["open-data-praktijk"]["translation"]["en"] == "machine"


def test_every_fact_of_every_case_is_exported(small_kb: KnowledgeBase) -> None:
    by_id = {c["id"]: c for c in exports.cases_document(small_kb)["cases"]}
    for case in small_kb.valid_cases():
        record = by_id[case.id]
        for key, value in case.facts.items():
            if key in ("title", "summary"):
                assert record[key][case.original_lang] == value
            else:
                assert record[key] == exports.jsonable(value), key


def test_absolute_urls_with_a_site_url(small_kb: KnowledgeBase) -> None:
    doc = exports.cases_document(small_kb, site_url="https://example.org/casebook/")
    lab = next(c for c in doc["cases"] if c["id"] == "fietsstraat-lab")
    assert lab["url"]["en"] == "https://example.org/casebook/en/cases/fietsstraat-lab/"


def test_csv_one_row_per_case_lists_joined(small_kb: KnowledgeBase) -> None:
    text = exports.cases_csv(small_kb)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == ["energy-challenge", "fietsstraat-lab", "open-data-praktijk"]
    battery, lab, practice = rows
    assert battery["countries"] == "NL | BE"
    assert battery["organisations.id"] == "gemeente-delft | fietsbond"
    assert battery["organisations.role"] == "owner | funder"
    assert battery["links.url"] == "https://example.org/battery | https://example.org/report"
    assert battery["links.label"] == "Challenge site | "
    assert battery["challenge.budget.amount"] == "50000"
    assert battery["challenge.submissions"] == "12"
    assert battery["period.start"] == "2017-05" and battery["period.end"] == "2018"
    assert lab["themes"] == "mobility | participation"
    assert lab["title.en"] == "Cycle street lab in Ghent"
    # The Dutch columns hold Dutch or nothing: the English-only case leaves them empty.
    assert (battery["title.nl"], battery["summary.nl"]) == ("", "")
    assert battery["title.en"] == "Neighbourhood battery challenge"
    assert battery["original_language"] == "en" and battery["translation.nl"] == ""
    assert lab["url.nl"] == "/cases/fietsstraat-lab/"
    assert lab["lab.setting"] == "physical"
    assert lab["challenge.procurement"] == ""
    assert practice["period.start_known"] == "false"
    assert practice["related"] == "fietsstraat-lab"
    assert practice["translation.en"] == "machine"


def test_csv_columns_follow_the_schema() -> None:
    names = [c.name for c in exports.csv_columns()]
    assert len(names) == len(set(names))
    schema = raw_schema("case")
    for key, spec in schema["properties"].items():
        if spec.get("x-translatable") or spec.get("x-editorial"):  # texts; editors' notes
            assert key not in names
        else:
            assert any(n == key or n.startswith(key + ".") for n in names), key


def test_organisations_json_lists_cases_and_roles(small_kb: KnowledgeBase) -> None:
    doc = exports.organisations_document(small_kb)
    by_id = {o["id"]: o for o in doc["organisations"]}
    assert by_id["fietsbond"]["cases"] == [{"id": "energy-challenge", "role": "funder"},
                                           {"id": "fietsstraat-lab", "role": "partner"}]
    assert by_id["stad-gent"]["name"] == {"nl": "Stad Gent", "en": "City of Ghent"}
    # A Dutch-only organisation has no English name, not its Dutch one labelled English.
    assert by_id["fietsbond"]["name"] == {"nl": "Fietsbond", "en": None}
    assert by_id["fietsbond"]["translation"] == {"nl": "original", "en": None}
    assert by_id["gemeente-delft"]["website"] == "https://www.delft.nl"
    assert by_id["gemeente-delft"]["url"]["en"] == "/en/organisations/gemeente-delft/"


def test_open_data_documents_follow_their_published_schema(small_kb: KnowledgeBase) -> None:
    schema = raw_schema(exports.OPEN_DATA_SCHEMA)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for doc in (exports.cases_document(small_kb), exports.organisations_document(small_kb)):
        assert list(validator.iter_errors(json.loads(json.dumps(doc)))) == []
    # A text that is not a string or null breaks the form the schema gives.
    doc = json.loads(json.dumps(exports.cases_document(small_kb)))
    doc["cases"][0]["title"]["nl"] = 12
    assert list(validator.iter_errors(doc))


def test_atom_feed_is_well_formed_newest_first(small_kb: KnowledgeBase) -> None:
    for lang in ("nl", "en"):
        feed = ET.fromstring(exports.atom_feed(small_kb, lang))
        assert feed.tag == f"{ATOM}feed"
        entries = feed.findall(f"{ATOM}entry")
        ids = [e.findtext(f"{ATOM}id") for e in entries]
        assert ids == ["urn:casebook:case:energy-challenge", "urn:casebook:case:fietsstraat-lab",
                       "urn:casebook:case:open-data-praktijk"]
        assert feed.findtext(f"{ATOM}updated") == "2026-01-15T00:00:00Z"
        first = entries[0]
        link = first.find(f"{ATOM}link").get("href")
        assert link == ("/cases/energy-challenge/" if lang == "nl"
                        else "/en/cases/energy-challenge/")
        # The Dutch feed shows the English original of an untranslated case, marked as English.
        assert first.find(f"{ATOM}title").get(XML_LANG) == "en"
    nl = ET.fromstring(exports.atom_feed(small_kb, "nl"))
    titles = [e.findtext(f"{ATOM}title") for e in nl.findall(f"{ATOM}entry")]
    assert "Fietsstraatlab in Gent" in titles
    assert ET.fromstring(exports.atom_feed(small_kb, "nl", limit=1)).findall(f"{ATOM}entry")[
        0].findtext(f"{ATOM}id") == "urn:casebook:case:energy-challenge"


def test_jsonld_describes_the_case_and_is_safe_in_html(small_kb: KnowledgeBase) -> None:
    data = exports.case_jsonld(small_kb.cases["energy-challenge"], small_kb, "nl")
    assert data["@context"] == "https://schema.org"
    project = data["about"]
    assert project["@type"] == "Project"
    assert project["foundingDate"] == "2017-05" and project["dissolutionDate"] == "2018"
    assert [c["name"] for c in project["areaServed"]] == ["Nederland", "België"]
    assert project["funder"][0]["name"] == "Fietsbond"
    assert data["inLanguage"] == "en"
    practice = exports.case_jsonld(small_kb.cases["open-data-praktijk"], small_kb, "en")
    assert "foundingDate" not in practice["about"]  # start not known
    script = exports.jsonld_script({"name": "a </script><b>"})
    assert "</script><b>" not in script
    inner = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(inner) == {"name": "a </script><b>"}


def test_write_exports_writes_every_file(small_kb: KnowledgeBase, tmp_path: Path) -> None:
    written = exports.write_exports(small_kb, tmp_path)
    rel = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    assert rel == sorted(["data/cases.json", "data/cases.csv", "data/organisations.json",
                          "feed.xml", "en/feed.xml",  # no catalogue without a site URL
                          *(f"schema/{n}.schema.json" for n in SCHEMA_NAMES),
                          "schema/open-data.schema.json"])
    for name in SCHEMA_NAMES:
        published = json.loads((tmp_path / "schema" / f"{name}.schema.json").read_text("utf-8"))
        assert published == json.loads(json.dumps(build_schema(name)))
    raw = (tmp_path / "data" / "cases.csv").read_bytes()
    assert b"Fietsstraatlab in Gent" in raw
    assert "België".encode() not in raw  # countries are codes in the data
    assert raw.decode("utf-8").splitlines()[0].startswith('"id","title.nl","title.en"')


def test_cli_export(small_root: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = cli.main(["export", "--root", str(small_root), "--out", str(tmp_path / "out")])
    assert code == 0
    assert (tmp_path / "out" / "data" / "cases.json").is_file()
    assert "data/cases.csv" in capsys.readouterr().out


def test_cli_export_stops_on_invalid_content(small_root: Path, tmp_path: Path,
                                             capsys) -> None:  # type: ignore[no-untyped-def]
    import shutil

    root = tmp_path / "kb"
    shutil.copytree(small_root, root)
    bad = root / "content" / "cases" / "fietsstraat-lab.nl.md"
    bad.write_text(bad.read_text("utf-8").replace("kind: lab", "kind: labb"), "utf-8")
    code = cli.main(["export", "--root", str(root), "--out", str(tmp_path / "out")])
    assert code == 1
    err = capsys.readouterr().err
    assert "content/cases/fietsstraat-lab.nl.md:" in err and "error" in err
    assert not (tmp_path / "out").exists()
