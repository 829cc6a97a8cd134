"""The DCAT-AP catalogue of the open data (``/data/catalog.jsonld``): it parses as RDF
and has every mandatory DCAT-AP property, in both languages, with download addresses
that resolve to the open-data files of the built site."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from casebook.content.model import KnowledgeBase
from casebook.opendata.catalog import CATALOG_PATH, catalog_document

rdflib = pytest.importorskip("rdflib")
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF  # noqa: E402

VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
SITE = "https://casebook.example.org/"


def _graph(text: str, base: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=text, format="json-ld", publicID=base)
    return graph


def _languages(graph: rdflib.Graph, node: object, prop: object) -> set[str]:
    return {o.language for o in graph.objects(node, prop)
            if isinstance(o, rdflib.Literal) and str(o).strip()}


def _check_mandatory(graph: rdflib.Graph) -> list[rdflib.URIRef]:
    """Assert DCAT-AP's mandatory (and the main recommended) properties; returns
    every download URL."""
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogs) == 1
    catalog = catalogs[0]
    assert _languages(graph, catalog, DCTERMS.title) == {"nl", "en"}
    assert _languages(graph, catalog, DCTERMS.description) == {"nl", "en"}
    publisher = graph.value(catalog, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert _languages(graph, publisher, FOAF.name) == {"nl", "en"}
    assert graph.value(catalog, DCTERMS.license) is not None
    assert graph.value(catalog, FOAF.homepage) is not None
    datasets = list(graph.objects(catalog, DCAT.dataset))
    assert len(datasets) == 3
    downloads = []
    for dataset in datasets:
        assert (dataset, RDF.type, DCAT.Dataset) in graph
        assert _languages(graph, dataset, DCTERMS.title) == {"nl", "en"}
        assert _languages(graph, dataset, DCTERMS.description) == {"nl", "en"}
        assert graph.value(dataset, DCTERMS.publisher) == publisher
        contact = graph.value(dataset, DCAT.contactPoint)
        assert graph.value(contact, VCARD.hasURL) is not None
        assert list(graph.objects(dataset, DCAT.theme))
        assert list(graph.objects(dataset, DCAT.keyword))
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert distributions
        for dist in distributions:
            assert (dist, RDF.type, DCAT.Distribution) in graph
            assert graph.value(dist, DCAT.accessURL) is not None
            assert str(graph.value(dist, DCAT.mediaType)).startswith(
                "https://www.iana.org/assignments/media-types/")
            assert graph.value(dist, DCTERMS.license) is not None
            assert graph.value(dist, DCTERMS["format"]) is not None
            downloads.append(graph.value(dist, DCAT.downloadURL))
    return downloads


def test_catalog_of_the_built_site_is_complete(search_site: Path) -> None:
    text = (search_site / CATALOG_PATH).read_text("utf-8")
    # Served at any address, its relative addresses point at the site's own files.
    downloads = _graph(text, SITE + CATALOG_PATH)
    downloads = _check_mandatory(downloads)
    paths = {urlsplit(str(url)).path for url in downloads}
    assert {"/data/cases.json", "/data/cases.csv", "/data/organisations.json",
            "/feed.xml", "/en/feed.xml"} <= paths
    for path in paths:
        assert (search_site / path.lstrip("/")).is_file(), path


def test_catalog_with_a_site_url_is_absolute(repo_kb: KnowledgeBase) -> None:
    doc = catalog_document(repo_kb, ("nl", "en"), SITE)
    graph = _graph(json.dumps(doc), "https://elsewhere.example.net/")
    for url in _check_mandatory(graph):
        assert str(url).startswith(SITE)


def test_catalog_describes_the_content(repo_kb: KnowledgeBase) -> None:
    graph = _graph(json.dumps(catalog_document(repo_kb, ("nl", "en"), SITE)), SITE)
    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    # The countries of the cases, as EU authority URIs; the newest review date.
    countries = {str(c).rsplit("/", 1)[-1] for c in graph.objects(catalog, DCTERMS.spatial)}
    expected = {"NL": "NLD", "BE": "BEL"}
    named = {str(c) for e in repo_kb.valid_cases() for c in e.facts.get("countries") or []}
    assert {expected[c] for c in named if c in expected} <= countries
    newest = max(str(e.facts["reviewed"]) for e in repo_kb.entries() if e.facts.get("reviewed"))
    assert str(graph.value(catalog, DCTERMS.modified)) == newest


def test_catalog_is_listed_on_the_data_page(search_site: Path) -> None:
    for page in ("data/index.html", "en/data/index.html"):
        assert "data/catalog.jsonld" in (search_site / page).read_text("utf-8")
