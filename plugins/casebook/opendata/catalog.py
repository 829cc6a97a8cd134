"""A DCAT-AP-NL 3.0 catalogue of the open data, as JSON-LD (``/data/catalog.jsonld``).

Data portals harvest DCAT-AP: data.overheid.nl its Dutch profile DCAT-AP-NL
3.0 (Geonovum), data.europa.eu DCAT-AP 3.0. The catalogue is a ``dcat:Catalog``
with its ``dcat:Dataset``s and their ``dcat:Distribution``s, with every
mandatory and recommended property of the profile that applies to static files
(no ``dcat:DataService``: nothing here is an API). Every referenced resource is
typed (licence ``dct:LicenseDocument``, language ``dct:LinguisticSystem``,
country ``dct:Location``, theme ``skos:Concept``, media type ``dct:MediaType``,
...), and every identifier is an absolute address under the site's URL: there
is no catalogue without one (:class:`NoSiteURL`). The fixed texts and URIs
live in ``data/catalog.yaml``; this module adds what comes from the knowledge
base (countries, period, the newest review date) and the addresses.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from importlib import resources
from typing import Any

import pycountry
import yaml

from casebook.content.model import KnowledgeBase
from casebook.content.uitext import ui_text
from casebook.content.vocab import DEFAULT_LANGUAGE, LANGUAGES

#: Where the catalogue is published, under the site root.
CATALOG_PATH = "data/catalog.jsonld"

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatap": "http://data.europa.eu/r5r/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


class NoSiteURL(ValueError):
    """A catalogue was asked for without the site's URL (its identifiers need it)."""


@functools.cache
def catalog_data() -> dict[str, Any]:
    """The fixed part of the catalogue (``data/catalog.yaml``)."""
    text = resources.files("casebook").joinpath("data", "catalog.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _texts(labels: dict[str, str], languages: Sequence[str],
           values: dict[str, dict[str, str]] | None = None) -> list[dict[str, str]]:
    """Language-tagged strings; ``values`` fills placeholders per language."""
    return [{"@value": labels[lang].format(**(values or {}).get(lang, {})), "@language": lang}
            for lang in languages if lang in labels]


def _iri(value: str, kind: str | None = None) -> dict[str, str]:
    """A reference to ``value``, typed ``kind`` (``dct:LicenseDocument``) when given."""
    return {"@id": value, "@type": kind} if kind else {"@id": value}


def _date(value: dt.date) -> dict[str, str]:
    return {"@value": value.isoformat(), "@type": "xsd:date"}


def _newest_review(kb: KnowledgeBase) -> dt.date | None:
    dates = []
    for entry in kb.entries():
        value = entry.facts.get("reviewed")
        if isinstance(value, dt.date):
            dates.append(value)
        elif isinstance(value, str):
            try:
                dates.append(dt.date.fromisoformat(value))
            except ValueError:
                continue
    return max(dates, default=None)


def _earliest_start(kb: KnowledgeBase) -> int | None:
    """The earliest start year of a case (``period.start``), for ``dct:temporal``."""
    years = []
    for entry in kb.valid_cases():
        period = entry.facts.get("period")
        start = period.get("start") if isinstance(period, dict) else None
        if start is not None and str(start)[:4].isdigit():
            years.append(int(str(start)[:4]))
    return min(years, default=None)


def _countries(kb: KnowledgeBase, authority: str) -> list[str]:
    """EU country-authority URIs of the ISO 3166-1 countries the cases name."""
    codes: set[str] = set()
    for entry in kb.valid_cases():
        for code in entry.facts.get("countries") or []:
            country = pycountry.countries.get(alpha_2=str(code))
            if country is not None:
                codes.add(country.alpha_3)
    return [authority + code for code in sorted(codes)]


def catalog_document(kb: KnowledgeBase, languages: Sequence[str] = LANGUAGES,
                     site_url: str | None = None) -> dict[str, Any]:
    """The DCAT-AP-NL catalogue of the open data as a JSON-LD document.

    Raises :class:`NoSiteURL` without ``site_url``: a harvester needs absolute
    identifiers, and the catalogue can only name them under the site's address.
    """
    if not site_url or not site_url.startswith(("https://", "http://")):
        raise NoSiteURL("the DCAT catalogue needs the site's URL (site_url in mkdocs.yml, "
                        "SITE_URL when building, --site-url for casebook export)")
    data = catalog_data()
    cat = data["catalog"]
    languages = [lang for lang in languages if lang in cat["languages"]] or list(languages)
    base = site_url.rstrip("/") + "/"

    def address(path: str) -> str:
        return base + path

    def prefix(lang: str) -> str:
        return "" if lang == DEFAULT_LANGUAGE else f"{lang}/"

    def document(path: str) -> dict[str, str]:
        return _iri(address(path), "foaf:Document")

    def standard(key: str) -> dict[str, str]:
        uri = cat["standards"].get(key) or address(key)
        return _iri(uri, "dct:Standard")

    catalog_id = address(CATALOG_PATH)
    publisher = {
        "@id": catalog_id + "#publisher",
        "@type": "foaf:Agent",
        "foaf:name": _texts(cat["publisher"]["name"], languages),
        "dct:type": _iri(cat["publisher"]["type"], "skos:Concept"),
    }
    contact = {
        "@id": catalog_id + "#contact",
        "@type": ["vcard:Kind", "vcard:Organization"],
        "vcard:fn": _texts(cat["publisher"]["name"], languages),
        "vcard:hasURL": _iri(address(cat["contact_page"])),
    }
    licence = _iri(cat["license"], "dct:LicenseDocument")
    language_refs = [_iri(cat["languages"][lang], "dct:LinguisticSystem") for lang in languages]
    spatial = [_iri(uri, "dct:Location") for uri in _countries(kb, cat["country_authority"])]
    modified = _newest_review(kb)
    agents: dict[str, Any] = {
        "dct:publisher": {"@id": publisher["@id"]},
        "dct:creator": {"@id": publisher["@id"]},
        "dcat:contactPoint": {"@id": contact["@id"]},
    }
    common: dict[str, Any] = {"dct:language": language_refs}
    if spatial:
        common["dct:spatial"] = spatial
    if modified:
        common["dct:modified"] = _date(modified)

    def distribution(spec: dict[str, Any], lang: str | None = None) -> dict[str, Any]:
        fmt = data["formats"][spec["format"]]
        url = address(spec["path"].format(prefix=prefix(lang) if lang else ""))
        names = {label_lang: {"language": ui_text(f"languages.{lang}", label_lang)}
                 for label_lang in languages} if lang else None
        return {
            "@id": url + "#distribution",
            "@type": "dcat:Distribution",
            "dct:title": _texts(spec["title"], languages, names),
            "dct:description": _texts(spec["description"], languages),
            "dcat:accessURL": _iri(url),
            "dcat:downloadURL": _iri(url),
            "dcat:mediaType": _iri(fmt["media_type"], "dct:MediaType"),
            "dct:format": _iri(fmt["file_type"], "dct:MediaTypeOrExtent"),
            "dct:license": licence,
            "dct:language": ([_iri(cat["languages"][lang], "dct:LinguisticSystem")]
                             if lang else language_refs),
            "dct:conformsTo": standard(spec["conforms_to"]),
            "dcatap:availability": _iri(cat["availability"], "skos:Concept"),
        }

    earliest = _earliest_start(kb)
    datasets = []
    for name, spec in data["datasets"].items():
        dists = [distribution(d) for d in spec.get("distributions", ())]
        for d in spec.get("per_language", ()):
            for lang in languages:
                dists.append(distribution(d, lang))
        dataset_id = catalog_id + f"#{name}"
        dataset = {
            "@id": dataset_id,
            "@type": "dcat:Dataset",
            "dct:identifier": dataset_id,
            "dct:title": _texts(spec["title"], languages),
            "dct:description": _texts(spec["description"], languages),
            "dcat:keyword": [{"@value": k, "@language": lang}
                             for lang in languages for k in cat["keywords"].get(lang, ())],
            "dcat:theme": [_iri(t, "skos:Concept") for t in cat["themes"]],
            "dcat:landingPage": document("data/"),
            "foaf:page": document(cat["documentation_page"]),
            "dct:accessRights": _iri(cat["access_rights"], "dct:RightsStatement"),
            "dct:conformsTo": standard(spec["conforms_to"]),
            **agents,
            **common,
            "dcat:distribution": dists,
        }
        if earliest is not None:
            dataset["dct:temporal"] = {
                "@type": "dct:PeriodOfTime",
                "dcat:startDate": {"@value": str(earliest), "@type": "xsd:gYear"}}
        datasets.append(dataset)
    catalog = {
        "@id": catalog_id + "#catalog",
        "@type": "dcat:Catalog",
        "dct:identifier": catalog_id + "#catalog",
        "dct:title": _texts(cat["title"], languages),
        "dct:description": _texts(cat["description"], languages),
        "foaf:homepage": document(""),
        "dct:license": licence,
        "dcat:themeTaxonomy": _iri(cat["theme_taxonomy"], "skos:ConceptScheme"),
        "dct:conformsTo": standard("dcat-ap-nl"),
        **agents,
        **common,
        "dcat:dataset": datasets,
    }
    return {"@context": CONTEXT, "@graph": [catalog, publisher, contact]}
