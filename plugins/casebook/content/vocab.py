"""Controlled vocabularies with Dutch and English labels.

Most vocabularies come from ``data/vocabularies.yaml``. Three are standard code
lists taken from well-kept libraries rather than copied by hand: ``countries``
and ``currencies`` (ISO 3166-1 and ISO 4217 via pycountry, which also carries
the Dutch country names) and ``licenses`` (SPDX identifiers via
license-expression). The YAML file may add terms to a standard list (``extends``):
``countries`` gains the honest unknowns ``international`` and ``not-stated``.
"""

from __future__ import annotations

import functools
import gettext
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from casebook.content import sections as body_sections
from casebook.content.languages import DEFAULT_LANGUAGE, LANGUAGES  # noqa: F401 (re-exported)
from casebook.content.similar import closest

#: Vocabularies backed by a standard code list rather than the YAML file.
STANDARD = ("countries", "currencies", "licenses")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """One vocabulary: its name, labels and terms with labels per language."""

    name: str
    label: dict[str, str]
    terms: dict[str, dict[str, str]]

    def __contains__(self, key: object) -> bool:
        return key in self.terms

    def term_label(self, key: str, lang: str) -> str:
        """Label of a term in a language; the key itself if unknown."""
        labels = self.terms.get(key)
        if not labels:
            return key
        return labels.get(lang) or labels.get("en") or key

    def suggest(self, value: str) -> str | None:
        """The closest existing key, for did-you-mean messages (only when really close)."""

        return closest(value, self.terms)


def _data_file(name: str) -> str:
    return resources.files("casebook").joinpath("data", name).read_text(encoding="utf-8")


@functools.cache
def _countries() -> Vocabulary:
    import pycountry

    nl = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["nl"], fallback=True)
    terms = {}
    for c in pycountry.countries:
        en = getattr(c, "common_name", None) or c.name
        terms[c.alpha_2] = {"nl": nl.gettext(c.name), "en": en}
    return Vocabulary("countries", {"nl": "Land", "en": "Country"}, terms)


@functools.cache
def _currencies() -> Vocabulary:
    import pycountry

    nl = gettext.translation("iso4217", pycountry.LOCALES_DIR, languages=["nl"], fallback=True)
    terms = {c.alpha_3: {"nl": nl.gettext(c.name), "en": c.name} for c in pycountry.currencies}
    return Vocabulary("currencies", {"nl": "Munteenheid", "en": "Currency"}, terms)


@functools.cache
def _licenses() -> Vocabulary:
    import license_expression

    index = Path(license_expression.__file__).parent / "data" / "scancode-licensedb-index.json"
    entries = json.loads(index.read_text(encoding="utf-8"))
    terms = {}
    for e in entries:
        key = e.get("spdx_license_key")
        if not key or key.startswith("LicenseRef") or e.get("is_exception") or e.get(
            "is_deprecated"
        ):
            continue
        terms[key] = {"nl": key, "en": key}
    return Vocabulary("licenses", {"nl": "Licentie", "en": "Licence"}, terms)


class Vocabularies:
    """All vocabularies of the content model, loaded once."""

    def __init__(self, source: str | None = None) -> None:
        raw = yaml.safe_load(source if source is not None else _data_file("vocabularies.yaml"))
        self._own = {
            name: Vocabulary(name, dict(v["label"]), {k: dict(t) for k, t in v["terms"].items()})
            for name, v in raw.items() if "extends" not in v
        }
        #: Terms the YAML file adds to a standard code list: ``{name: {key: labels}}``.
        self._extra = {
            v["extends"]: {k: dict(t) for k, t in v["terms"].items()}
            for v in raw.values() if "extends" in v
        }
        self._standard: dict[str, Vocabulary] = {}
        if "sections" not in self._own:  # the section keys of not_in_sources

            self._own["sections"] = Vocabulary("sections", {"nl": "Sectie", "en": "Section"},
                                               body_sections.headings())

    def __getitem__(self, name: str) -> Vocabulary:
        if name in self._own:
            return self._own[name]
        if name in self._standard:
            return self._standard[name]
        base = {"countries": _countries, "currencies": _currencies,
                "licenses": _licenses}.get(name)
        if base is None:
            raise KeyError(name)
        vocabulary = base()
        extra = self._extra.get(name)
        if extra:
            vocabulary = Vocabulary(name, vocabulary.label, {**vocabulary.terms, **extra})
        self._standard[name] = vocabulary
        return vocabulary

    def extra_terms(self, name: str) -> list[str]:
        """Keys the YAML file adds to the standard list ``name`` (``international``, ...)."""
        return list(self._extra.get(name, ()))

    def names(self) -> list[str]:
        """Names of every vocabulary, own ones first."""
        return [*self._own, *STANDARD]

    def own(self) -> dict[str, Vocabulary]:
        """The vocabularies defined in the project's YAML file."""
        return dict(self._own)

    def label(self, vocabulary: str, key: str, lang: str) -> str:
        """Label of ``key`` in ``vocabulary`` for language ``lang``."""
        return self[vocabulary].term_label(key, lang)


@functools.cache
def load_vocabularies() -> Vocabularies:
    """The project's vocabularies (cached)."""
    return Vocabularies()


@functools.cache
def sections() -> dict:
    """Recommended body section headings per kind and language.

    See :mod:`casebook.content.sections`.
    """
    return body_sections.by_language()
