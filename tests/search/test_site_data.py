"""The built site: open data, feeds, statistics, JSON-LD and Pagefind output."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from casebook.content.model import KnowledgeBase
from casebook.content.schema import SCHEMA_NAMES, build_schema
from casebook.opendata.exports import jsonable

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("site_data")]

ATOM = "{http://www.w3.org/2005/Atom}"


def _page(site: Path, url: str) -> Path:
    """The HTML file of a site URL path (``/en/cases/x/``)."""
    return site / urlsplit(url).path.lstrip("/") / "index.html"


def test_cases_json_matches_the_content(search_site: Path, repo_kb: KnowledgeBase) -> None:
    doc = json.loads((search_site / "data" / "cases.json").read_text("utf-8"))
    cases = {c["id"]: c for c in doc["cases"]}
    assert doc["count"] == len(cases) == len(repo_kb.valid_cases()) > 0
    for entry in repo_kb.valid_cases():
        record = cases[entry.id]
        for lang in ("nl", "en"):
            # Text in that language, or nothing: never the other language's text.
            own = entry.files[lang].data if lang in entry.files else {}
            assert record["title"][lang] == own.get("title")
            assert record["summary"][lang] == own.get("summary")
            assert urlsplit(record["url"][lang]).path == (
                f"/cases/{entry.id}/" if lang == "nl" else f"/en/cases/{entry.id}/")
            assert _page(search_site, record["url"][lang]).is_file()
        for key, value in entry.facts.items():
            if key == "acknowledged":  # an editor's note on a warning (x-editorial)
                assert key not in record
            elif key not in ("title", "summary"):
                assert record[key] == jsonable(value), (entry.id, key)


def test_cases_csv_matches_the_content(search_site: Path, repo_kb: KnowledgeBase) -> None:
    raw = (search_site / "data" / "cases.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    assert [r["id"] for r in rows] == [e.id for e in repo_kb.valid_cases()]
    for row in rows:
        facts = repo_kb.cases[row["id"]].facts
        assert row["kind"] == facts["kind"]
        assert row["themes"].split(" | ") == facts["themes"]
        assert row["countries"].split(" | ") == facts["countries"]
        assert row["organisations.id"].split(" | ") == [o["id"] for o in facts["organisations"]]
        assert row["organisations.role"].split(" | ") == [o["role"] for o in facts["organisations"]]
        assert row["reviewed"] == str(facts["reviewed"])
        files = repo_kb.cases[row["id"]].files
        for lang in ("nl", "en"):
            assert row[f"title.{lang}"] == (files[lang].data.get("title", "")
                                            if lang in files else "")


def test_organisations_json_and_schemas(search_site: Path, repo_kb: KnowledgeBase) -> None:
    doc = json.loads((search_site / "data" / "organisations.json").read_text("utf-8"))
    orgs = {o["id"]: o for o in doc["organisations"]}
    assert set(orgs) == {e.id for e in repo_kb.valid_organisations()}
    expected: dict[str, list[dict[str, str]]] = {}
    for case in repo_kb.valid_cases():
        for link in case.facts["organisations"]:
            expected.setdefault(link["id"], []).append({"id": case.id, "role": link["role"]})
    for org_id, org in orgs.items():
        assert org["cases"] == expected.get(org_id, [])
        files = repo_kb.organisations[org_id].files
        assert org["name"]["en"] == (files["en"].data.get("name") if "en" in files else None)
    for name in SCHEMA_NAMES:
        published = json.loads((search_site / "schema" / f"{name}.schema.json").read_text("utf-8"))
        assert published == json.loads(json.dumps(build_schema(name)))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_atom_feed_is_well_formed_with_the_recent_cases(
    search_site: Path, repo_kb: KnowledgeBase, lang: str
) -> None:
    path = search_site / ("feed.xml" if lang == "nl" else "en/feed.xml")
    feed = ET.fromstring(path.read_bytes())
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    cases = repo_kb.valid_cases()
    assert len(entries) == min(20, len(cases))
    newest = max(str(c.facts["reviewed"]) for c in cases)
    assert feed.findtext(f"{ATOM}updated") == f"{newest}T00:00:00Z"
    for item in entries:
        case_id = item.findtext(f"{ATOM}id").removeprefix("urn:casebook:case:")
        case = repo_kb.cases[case_id]
        assert item.findtext(f"{ATOM}title") == case.title(lang)
        href = item.find(f"{ATOM}link").get("href")
        assert _page(search_site, href).is_file()
    reviewed = [str(repo_kb.cases[i.findtext(f"{ATOM}id").split(":")[-1]].facts["reviewed"])
                for i in entries]
    assert reviewed == sorted(reviewed, reverse=True)


class _StatsPage(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, int]] = {}
        self.svg_roles: list[str] = []
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = dict(attrs)
        if tag == "table" and (a.get("id") or "").startswith("table-"):
            self._table = a["id"].removeprefix("table-")
            self.tables[self._table] = {}
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "svg" and "casebook-chart" in (a.get("class") or ""):
            self.svg_roles.append(a.get("role") or "")

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            if self._row and self._row[1].isdigit():
                self.tables[self._table][self._row[0]] = int(self._row[1])
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._cell is not None:
            self._cell.append(data)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_statistics_page_numbers_match_the_content(
    search_site: Path, repo_kb: KnowledgeBase, lang: str
) -> None:
    path = search_site / ("stats" if lang == "nl" else "en/stats") / "index.html"
    page = _StatsPage()
    page.feed(path.read_text("utf-8"))
    assert page.svg_roles == ["group"] * 6  # named groups of linked bars
    v = repo_kb.vocabularies
    cases = [c.facts for c in repo_kb.valid_cases()]
    kinds = Counter(v.label("kinds", f["kind"], lang) for f in cases)
    themes = Counter(v.label("themes", t, lang) for f in cases for t in f["themes"])
    countries = Counter(v.label("countries", c, lang) for f in cases for c in f["countries"])
    years = Counter(str(f["period"]["start"])[:4] for f in cases)
    assert page.tables["kind"] == dict(kinds)
    assert page.tables["theme"] == dict(themes)
    assert page.tables["country"] == dict(countries)
    assert {y: n for y, n in page.tables["year"].items() if n} == dict(years)
    # Organisations per kind, an unknown kind counted as "not stated".
    organisations = Counter(v.label("organisation-kinds", o.facts["kind"], lang)
                            for o in repo_kb.valid_organisations())
    assert page.tables["organisation-kind"] == dict(organisations)


def test_case_pages_embed_json_ld(search_site: Path, repo_kb: KnowledgeBase) -> None:
    pattern = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
    for entry in repo_kb.valid_cases():
        for lang, folder in (("nl", "cases"), ("en", "en/cases")):
            text = (search_site / folder / entry.id / "index.html").read_text("utf-8")
            head = text.split("</head>", 1)[0]
            blocks = [json.loads(b) for b in pattern.findall(head)]
            ours = [b for b in blocks if b.get("about", {}).get("identifier") == entry.id]
            assert len(ours) == 1, (entry.id, lang)
            assert ours[0]["about"]["name"] == entry.title(lang)


def test_pagefind_indexes_only_cases_and_organisations(search_site: Path) -> None:
    for lang, folder in (("nl", search_site / "pagefind"), ("en", search_site / "en/pagefind")):
        entry = json.loads((folder / "pagefind-entry.json").read_text("utf-8"))
        assert list(entry["languages"]) == [lang]
        assert (folder / "pagefind-component-ui.js").is_file()
    for html_file in search_site.rglob("*.html"):
        rel = html_file.relative_to(search_site).as_posix()
        marked = "data-pagefind-body" in html_file.read_text("utf-8")
        is_entry = re.match(r"^(en/)?(cases|organisations)/[a-z0-9-]+/index\.html$", rel)
        assert marked == bool(is_entry), rel


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_search_page_links_to_the_open_data(search_site: Path, lang: str) -> None:
    prefix = "" if lang == "nl" else "en/"
    text = (search_site / prefix / "search" / "index.html").read_text("utf-8")
    for target in ("data/cases.json", "data/cases.csv", "data/organisations.json",
                   f"{prefix}feed.xml", f"{prefix}data/"):
        assert re.search(rf'href="(\.\./)+{re.escape(target)}"', text), target
    assert f'lang="{lang}"' in text.split("<body", 1)[0]


def test_every_page_has_the_header_search_box_and_data_links(search_site: Path) -> None:
    pages = [p for p in search_site.rglob("index.html")
             if not p.relative_to(search_site).as_posix().startswith(("assets/", "pagefind/"))]
    assert pages
    for path in pages:
        text = path.read_text("utf-8")
        rel = path.relative_to(search_site).as_posix()
        prefix = "en/" if rel.startswith("en/") else ""
        box = re.search(r'<form class="casebook-header-search"[^>]*action="([^"]+)"', text)
        assert box, rel
        root = "../" * rel.count("/") or "./"
        assert box.group(1) == f"{root}{prefix}search/", rel
        assert f'href="{root}{prefix}data/"' in text, rel
