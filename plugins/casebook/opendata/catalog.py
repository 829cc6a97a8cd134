"""A DCAT-AP catalogue of the open data, as JSON-LD (``/data/catalog.jsonld``).

Data portals (data.overheid.nl, data.europa.eu) harvest DCAT-AP: a
``dcat:Catalog`` with its ``dcat:Dataset``s and their ``dcat:Distribution``s.
The fixed texts and URIs live in ``data/catalog.yaml``; this module adds what
comes from the knowledge base (countries, the newest review date) and the
download addresses. Addresses are absolute when the site's URL is known, else
relative to the catalogue file, which JSON-LD resolves against the address the
catalogue is read from.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from collections.abc import Sequence
from importlib import resources
from typing import Any

import yaml

from casebook.content.model import KnowledgeBase
from casebook.content.uitext import ui_text
from casebook.content.vocab import DEFAULT_LANGUAGE, LANGUAGES

#: Where the catalogue is published, under the site root.
CATALOG_PATH = "data/catalog.jsonld"

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


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


def _iri(value: str) -> dict[str, str]:
    return {"@id": value}


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


def _countries(kb: KnowledgeBase, authority: str) -> list[str]:
    """EU country-authority URIs of the ISO 3166-1 countries the cases name."""
    import pycountry

    codes: set[str] = set()
    for entry in kb.valid_cases():
        for code in entry.facts.get("countries") or []:
            country = pycountry.countries.get(alpha_2=str(code))
            if country is not None:
                codes.add(country.alpha_3)
    return [authority + code for code in sorted(codes)]


def catalog_document(kb: KnowledgeBase, languages: Sequence[str] = LANGUAGES,
                     site_url: str | None = None) -> dict[str, Any]:
    """The DCAT-AP catalogue of the open data as a JSON-LD document."""
    data = catalog_data()
    cat = data["catalog"]
    languages = [lang for lang in languages if lang in cat["languages"]] or list(languages)

    def address(path: str) -> str:
        if site_url:
            return site_url.rstrip("/") + "/" + path
        return posixpath.relpath(path or ".", posixpath.dirname(CATALOG_PATH)) + (
            "/" if path.endswith("/") or not path else "")

    def prefix(lang: str) -> str:
        return "" if lang == DEFAULT_LANGUAGE else f"{lang}/"

    publisher = {
        "@id": address(CATALOG_PATH) + "#publisher",
        "@type": "foaf:Agent",
        "foaf:name": _texts(cat["publisher"]["name"], languages),
        "dct:type": _iri(cat["publisher"]["type"]),
    }
    contact = {
        "@type": "vcard:Organization",
        "vcard:fn": _texts(cat["publisher"]["name"], languages),
        "vcard:hasURL": _iri(address(cat["contact_page"])),
    }
    spatial = [_iri(uri) for uri in _countries(kb, cat["country_authority"])]
    modified = _newest_review(kb)
    common: dict[str, Any] = {
        "dct:publisher": {"@id": publisher["@id"]},
        "dct:language": [_iri(cat["languages"][lang]) for lang in languages],
    }
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
            "dcat:accessURL": _iri(url),
            "dcat:downloadURL": _iri(url),
            "dcat:mediaType": _iri(fmt["media_type"]),
            "dct:format": _iri(fmt["file_type"]),
            "dct:license": _iri(cat["license"]),
        }

    datasets = []
    for name, spec in data["datasets"].items():
        dists = [distribution(d) for d in spec.get("distributions", ())]
        for d in spec.get("per_language", ()):
            for lang in languages:
                dists.append(distribution(d, lang))
        dataset_id = address(CATALOG_PATH) + f"#{name}"
        datasets.append({
            "@id": dataset_id,
            "@type": "dcat:Dataset",
            "dct:identifier": dataset_id,
            "dct:title": _texts(spec["title"], languages),
            "dct:description": _texts(spec["description"], languages),
            "dcat:keyword": [{"@value": k, "@language": lang}
                             for lang in languages for k in cat["keywords"].get(lang, ())],
            "dcat:theme": [_iri(t) for t in cat["themes"]],
            "dcat:contactPoint": contact,
            "dcat:landingPage": _iri(address("data/")),
            "dct:accessRights": _iri(cat["access_rights"]),
            **common,
            "dcat:distribution": dists,
        })
    catalog = {
        "@id": address(CATALOG_PATH) + "#catalog",
        "@type": "dcat:Catalog",
        "dct:title": _texts(cat["title"], languages),
        "dct:description": _texts(cat["description"], languages),
        "foaf:homepage": _iri(address("")),
        "dct:license": _iri(cat["license"]),
        "dcat:themeTaxonomy": _iri(cat["theme_taxonomy"]),
        **common,
        "dcat:dataset": datasets,
    }
    return {"@context": CONTEXT, "@graph": [catalog, publisher]}
