"""The DCAT-AP-NL 3.0 catalogue of the open data (``/data/catalog.jsonld``).

A build with the site's URL writes a catalogue that conforms to SHACL shapes
written from the profile's published requirements (``dcat-ap-nl-3.0.shapes.ttl``
beside this file: every mandatory and recommended property, typed references,
absolute identifiers), with no violation and no warning; removing any mandatory
property or a reference's type breaks it. It round-trips through rdflib, its
download addresses are the site's own files, and without a site URL there is
no catalogue at all.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from casebook.content.model import KnowledgeBase
from casebook.opendata import exports
from casebook.opendata.catalog import CATALOG_PATH, NoSiteURL, catalog_document

rdflib = pytest.importorskip("rdflib")
pyshacl = pytest.importorskip("pyshacl")
from rdflib.compare import isomorphic  # noqa: E402
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SH  # noqa: E402

SITE = "https://casebook.example.org/"
SHAPES = Path(__file__).with_name("dcat-ap-nl-3.0.shapes.ttl")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")


@pytest.fixture(scope="session")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES, format="turtle")


def _graph(text: str) -> rdflib.Graph:
    # Read from an unrelated address: nothing may depend on where it is read from.
    return rdflib.Graph().parse(data=text, format="json-ld",
                                publicID="https://elsewhere.example.net/x.jsonld")


def _report(graph: rdflib.Graph, shapes: rdflib.Graph) -> tuple[bool, rdflib.Graph]:
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none",
                                           allow_warnings=False)
    return conforms, report


def _results(report: rdflib.Graph) -> list[tuple[str, str]]:
    """(severity, path) of each result, e.g. ('Violation', 'http://purl.org/dc/terms/creator')."""
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        out.append((severity, str(report.value(result, SH.resultPath))))
    return sorted(out)


def test_the_built_catalogue_conforms_to_dcat_ap_nl(
        catalog_site: Path, shapes: rdflib.Graph) -> None:
    graph = _graph((catalog_site / CATALOG_PATH).read_text("utf-8"))
    conforms, report = _report(graph, shapes)
    assert conforms and _results(report) == [], report.serialize(format="turtle")
    # Absolute identifiers under the site's URL, and download addresses of its own files.
    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    assert str(catalog).startswith(SITE)
    datasets = list(graph.objects(catalog, DCAT.dataset))
    assert len(datasets) == 3
    for dataset in datasets:
        assert str(graph.value(dataset, DCTERMS.identifier)) == str(dataset)
    paths = set()
    for url in graph.objects(None, DCAT.downloadURL):
        assert str(url).startswith(SITE)
        paths.add(urlsplit(str(url)).path)
    assert {"/data/cases.json", "/data/cases.csv", "/data/organisations.json", "/feed.xml",
            "/en/feed.xml", "/schema/case.schema.json"} <= paths
    for path in paths:
        assert (catalog_site / path.lstrip("/")).is_file(), path
    for path in ("/schema/open-data.schema.json", "/schema/case.schema.json"):
        assert (catalog_site / path.lstrip("/")).is_file()
    # Both languages for every text, and the data page lists the catalogue.
    for node, prop in [(catalog, DCTERMS.title), (datasets[0], DCTERMS.description)]:
        assert {o.language for o in graph.objects(node, prop)} == {"nl", "en"}
    assert "data/catalog.jsonld" in (catalog_site / "data/index.html").read_text("utf-8")


@pytest.mark.parametrize(("target", "prop"), [
    (DCAT.Dataset, DCTERMS.creator),
    (DCAT.Dataset, DCTERMS.identifier),
    (DCAT.Dataset, DCTERMS.accessRights),
    (DCAT.Dataset, DCAT.contactPoint),
    (DCAT.Dataset, DCAT.theme),
    (DCAT.Dataset, DCTERMS.publisher),
    (DCAT.Catalog, DCAT.contactPoint),
    (DCAT.Catalog, DCTERMS.title),
    (DCAT.Catalog, DCAT.dataset),
    (DCAT.Distribution, DCTERMS.license),
    (DCAT.Distribution, DCAT.accessURL),
    (FOAF.Agent, FOAF.name),
])
def test_a_catalogue_without_a_mandatory_property_fails(
        target: rdflib.URIRef, prop: rdflib.URIRef, repo_kb: KnowledgeBase,
        shapes: rdflib.Graph) -> None:
    graph = _graph(json.dumps(catalog_document(repo_kb, ("nl", "en"), SITE)))
    assert _report(graph, shapes)[0]
    for subject in list(graph.subjects(RDF.type, target)):
        graph.remove((subject, prop, None))
    conforms, report = _report(graph, shapes)
    assert not conforms
    assert ("Violation", str(prop)) in _results(report)


@pytest.mark.parametrize("kind", ["LicenseDocument", "LinguisticSystem", "Location",
                                  "MediaType", "MediaTypeOrExtent", "RightsStatement"])
def test_an_untyped_reference_fails(kind: str, repo_kb: KnowledgeBase,
                                    shapes: rdflib.Graph) -> None:
    graph = _graph(json.dumps(catalog_document(repo_kb, ("nl", "en"), SITE)))
    graph.remove((None, RDF.type, DCTERMS[kind]))
    assert not _report(graph, shapes)[0]


def test_the_catalogue_round_trips_through_rdflib(repo_kb: KnowledgeBase) -> None:
    graph = _graph(json.dumps(catalog_document(repo_kb, ("nl", "en"), SITE)))
    assert len(graph) > 100
    for fmt in ("turtle", "xml", "json-ld", "nt"):
        again = rdflib.Graph().parse(data=graph.serialize(format=fmt), format=fmt)
        assert isomorphic(graph, again), fmt


def test_no_catalogue_without_a_site_url(repo_kb: KnowledgeBase, tmp_path: Path) -> None:
    with pytest.raises(NoSiteURL):
        catalog_document(repo_kb, ("nl", "en"), None)
    with pytest.raises(NoSiteURL):
        catalog_document(repo_kb, ("nl", "en"), "casebook.example.org")
    written = exports.write_exports(repo_kb, tmp_path)
    assert CATALOG_PATH not in {p.relative_to(tmp_path).as_posix() for p in written}
    written = exports.write_exports(repo_kb, tmp_path / "with", site_url=SITE)
    assert (tmp_path / "with" / CATALOG_PATH).is_file()


def test_catalog_describes_the_content(repo_kb: KnowledgeBase) -> None:
    graph = _graph(json.dumps(catalog_document(repo_kb, ("nl", "en"), SITE)))
    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    # The countries of the cases, as EU authority URIs; the newest review date.
    countries = {str(c).rsplit("/", 1)[-1] for c in graph.objects(catalog, DCTERMS.spatial)}
    expected = {"NL": "NLD", "BE": "BEL"}
    named = {str(c) for e in repo_kb.valid_cases() for c in e.facts.get("countries") or []}
    assert {expected[c] for c in named if c in expected} <= countries
    newest = max(str(e.facts["reviewed"]) for e in repo_kb.entries() if e.facts.get("reviewed"))
    assert str(graph.value(catalog, DCTERMS.modified)) == newest
    contact = graph.value(catalog, DCAT.contactPoint)
    assert str(graph.value(contact, VCARD.hasURL)) == SITE + "contribute/"


def test_the_data_page_lists_the_catalogue_only_when_there_is_one(search_site: Path) -> None:
    published = (search_site / CATALOG_PATH).is_file()
    for page in ("data/index.html", "en/data/index.html"):
        assert ("data/catalog.jsonld" in (search_site / page).read_text("utf-8")) == published
