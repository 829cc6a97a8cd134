"""Search: facets of cases and organisations, page annotation and Pagefind indexing.

The built site is indexed with Pagefind through its Python module
(``python -m pagefind``; the ``pagefind[bin]`` package ships the binary: nothing
is downloaded). There is one
index per language: ``/pagefind/`` for the default language and
``/<lang>/pagefind/`` for the others, each with that language's stemming. Only
case and organisation pages are indexed, and only the element that carries
``data-pagefind-body`` (the page content, not the navigation chrome).

Facet names and values are vocabulary labels in the page language, so the
Pagefind UI shows them as they are; the search page maps them to stable keys
(vocabulary keys) for its URLs.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Entry, KnowledgeBase
from .vocab import DEFAULT_LANGUAGE, LANGUAGES, Vocabularies

#: Collections whose pages are indexed, as URL folders.
INDEXED = ("cases", "organisations")


@dataclass(frozen=True, slots=True)
class Facet:
    """A search facet: URL parameter, where its values come from, its label."""

    param: str
    vocabulary: str | None
    label: dict[str, str] | None = None

    def name(self, vocabs: Vocabularies, lang: str) -> str:
        """Display name in ``lang`` (the vocabulary's own label when there is one)."""
        if self.label:
            return self.label[lang]
        assert self.vocabulary
        return vocabs[self.vocabulary].label[lang]

    def label_of(self, key: str, vocabs: Vocabularies, lang: str) -> str:
        """Display label of one value."""
        return vocabs.label(self.vocabulary, key, lang) if self.vocabulary else key


#: Facets in the order shown on the search page.
FACETS: tuple[Facet, ...] = (
    Facet("type", None, {"nl": "Inhoud", "en": "Content"}),
    Facet("kind", "kinds"),
    Facet("theme", "themes"),
    Facet("mechanism", "mechanisms"),
    Facet("country", "countries"),
    Facet("stage", "stages"),
    Facet("year", None, {"nl": "Startjaar", "en": "Start year"}),
)
FACET_BY_PARAM = {f.param: f for f in FACETS}
#: Values of the ``type`` facet.
TYPES = {
    "case": {"nl": "Casus", "en": "Case"},
    "organisation": {"nl": "Organisatie", "en": "Organisation"},
}


def start_year(entry: Entry) -> str | None:
    """The year ``period.start`` begins in, as text."""
    period = entry.facts.get("period")
    start = period.get("start") if isinstance(period, dict) else None
    if start is None:
        return None
    m = re.match(r"^(\d{4})", str(start))
    return m.group(1) if m else None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    return [str(value)]


def facet_keys(entry: Entry) -> dict[str, list[str]]:
    """Facet values of an entry as keys: ``{param: [key, ...]}`` (empty facets left out)."""
    facts = entry.facts
    if entry.collection == "organisations":
        keys = {"type": ["organisation"], "country": _as_list(facts.get("country"))}
    else:
        year = start_year(entry)
        keys = {
            "type": ["case"],
            "kind": _as_list(facts.get("kind")),
            "theme": _as_list(facts.get("themes")),
            "mechanism": _as_list(facts.get("mechanisms")),
            "country": _as_list(facts.get("countries")),
            "stage": _as_list(facts.get("stage")),
            "year": [year] if year else [],
        }
    return {k: v for k, v in keys.items() if v}


def _type_label(key: str, lang: str) -> str:
    return TYPES[key][lang]


def value_label(facet: Facet, key: str, vocabs: Vocabularies, lang: str) -> str:
    """Label of a facet value in ``lang``."""
    if facet.param == "type":
        return _type_label(key, lang)
    return facet.label_of(key, vocabs, lang)


def facet_filters(entry: Entry, vocabs: Vocabularies, lang: str) -> dict[str, list[str]]:
    """Pagefind filters of an entry: ``{facet name: [value label, ...]}`` in ``lang``."""
    out: dict[str, list[str]] = {}
    for param, keys in facet_keys(entry).items():
        facet = FACET_BY_PARAM[param]
        out[facet.name(vocabs, lang)] = [value_label(facet, k, vocabs, lang) for k in keys]
    return out


def facet_config(kb: KnowledgeBase, lang: str) -> list[dict[str, Any]]:
    """Facets for the search page: name, URL parameter and the values in use.

    ``[{"param": "theme", "name": "Thema", "values": {"mobility": "Mobiliteit"}}]``
    """
    vocabs = kb.vocabularies
    used: dict[str, set[str]] = {f.param: set() for f in FACETS}
    for entry in [*kb.valid_cases(), *kb.valid_organisations()]:
        for param, keys in facet_keys(entry).items():
            used[param].update(keys)
    config = []
    for facet in FACETS:
        if not used[facet.param]:
            continue
        values = {k: value_label(facet, k, vocabs, lang) for k in sorted(used[facet.param])}
        config.append({"param": facet.param, "name": facet.name(vocabs, lang), "values": values})
    return config


def pagefind_markup(
    filters: dict[str, list[str]], meta: dict[str, str], sort: dict[str, str] | None = None
) -> str:
    """Hidden HTML that carries Pagefind filters, metadata and sort keys."""
    parts = []
    for name, values in filters.items():
        for value in values:
            attr = html.escape(f"{name}:{value}", quote=True)
            parts.append(f'<span data-pagefind-filter="{attr}"></span>')
    for name, value in meta.items():
        attr = html.escape(f"{name}:{value}", quote=True)
        parts.append(f'<span data-pagefind-meta="{attr}"></span>')
    for name, value in (sort or {}).items():
        attr = html.escape(f"{name}:{value}", quote=True)
        parts.append(f'<span data-pagefind-sort="{attr}"></span>')
    return f'<div hidden data-pagefind-ignore>{"".join(parts)}</div>'


def entry_markup(entry: Entry, vocabs: Vocabularies, lang: str) -> str:
    """Pagefind filters, title/summary metadata and sort key for an entry's page."""
    meta = {"title": entry.title(lang)}
    summary = entry.text("summary", lang)
    if summary:
        meta["summary"] = str(summary).strip()
    sort = {}
    if entry.facts.get("reviewed"):
        sort["reviewed"] = str(entry.facts["reviewed"])
    return pagefind_markup(facet_filters(entry, vocabs, lang), meta, sort)


_CONTENT_OPEN = re.compile(r"<article\b[^>]*\bclass=\"[^\"]*\bmd-content__inner\b[^\"]*\"[^>]*>")


def annotate_page(page_html: str, markup: str) -> str:
    """Mark the page content as the Pagefind body and add the hidden ``markup``.

    The content element is Material's ``<article class="md-content__inner">``;
    the page is returned unchanged when there is none.
    """
    m = _CONTENT_OPEN.search(page_html)
    if not m:
        return page_html
    tag = m.group(0)
    if "data-pagefind-body" not in tag:
        tag = tag[:-1] + " data-pagefind-body>"
    return page_html[: m.start()] + tag + markup + page_html[m.end():]


@dataclass(slots=True)
class LanguageIndex:
    """One language's index: where it is, how many pages and bytes."""

    lang: str
    path: Path
    pages: int
    bytes: int
    files: int
    #: Bytes of the index data alone (without the UI scripts, styles and WebAssembly).
    data_bytes: int = 0


@dataclass(slots=True)
class IndexReport:
    """Result of :func:`index_site`."""

    languages: list[LanguageIndex] = field(default_factory=list)

    @property
    def bytes(self) -> int:
        return sum(i.bytes for i in self.languages)

    @property
    def data_bytes(self) -> int:
        return sum(i.data_bytes for i in self.languages)

    @property
    def pages(self) -> int:
        return sum(i.pages for i in self.languages)


def language_prefix(lang: str, default_language: str = DEFAULT_LANGUAGE) -> str:
    """URL folder of a language: ``""`` for the default, ``"en/"`` for English."""
    return "" if lang == default_language else f"{lang}/"


def _folder_size(path: Path) -> tuple[int, int, int]:
    """Total bytes, number of files and bytes of index data in a Pagefind bundle."""
    total = count = data = 0
    for dirpath, _dirs, names in os.walk(path):
        for name in names:
            size = os.path.getsize(os.path.join(dirpath, name))
            total += size
            count += 1
            if name.endswith((".pf_fragment", ".pf_index", ".pf_filter", ".pf_meta")):
                data += size
    return total, count, data


class IndexJob:
    """Pagefind indexing one language folder, running as its own process.

    Pagefind runs through its module (``python -m pagefind``, the binary that
    the ``pagefind[bin]`` wheel ships), in one pass over the folder. (Its
    asyncio API waits a tenth of a second before reading every answer, which
    adds up; the command line does the same work without that.)
    """

    def __init__(self, site: Path, lang: str, default_language: str,
                 collections: Iterable[str], threads: int | None = None) -> None:
        # Each language is indexed relative to its own folder: Pagefind's script
        # prefixes result URLs with the folder its bundle is served from, so the
        # site works at any base path without configuration.
        self.lang = lang
        folder = site / language_prefix(lang, default_language)
        self.output = folder / "pagefind"
        shutil.rmtree(self.output, ignore_errors=True)  # no stale fragments
        env = dict(os.environ)
        if threads is not None:  # Pagefind's parallel indexing obeys RAYON_NUM_THREADS
            env["RAYON_NUM_THREADS"] = str(threads)
        command = [
            sys.executable, "-m", "pagefind", "--site", str(folder),
            "--glob", "{" + ",".join(collections) + "}/**/*.html",
            "--force-language", lang, "--output-path", str(self.output), "--silent",
        ]
        self._process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, text=True)

    def wait(self) -> LanguageIndex:
        """Wait for Pagefind; the bundle's page count and sizes."""
        out, err = self._process.communicate()
        if self._process.returncode != 0:
            detail = (err or out).strip().splitlines()
            raise RuntimeError(f"Pagefind exited with {self._process.returncode} for "
                               f"'{self.lang}': {detail[-1] if detail else 'no output'}")
        size, files, data = _folder_size(self.output)
        # One fragment per indexed page (pages without data-pagefind-body are skipped).
        pages = sum(1 for _ in (self.output / "fragment").glob("*.pf_fragment"))
        return LanguageIndex(self.lang, self.output, pages, size, files, data)


def start_index(
    site_dir: Path | str,
    lang: str,
    default_language: str = DEFAULT_LANGUAGE,
    collections: Iterable[str] = INDEXED,
    threads: int | None = None,
) -> IndexJob:
    """Start indexing one language of a built site; returns at once."""
    site = Path(site_dir).resolve()
    if not site.is_dir():
        raise FileNotFoundError(f"{site}: no built site here")
    return IndexJob(site, lang, default_language, collections, threads)


def index_site(
    site_dir: Path | str,
    languages: Sequence[str] = LANGUAGES,
    default_language: str = DEFAULT_LANGUAGE,
    collections: Iterable[str] = INDEXED,
    threads: int | None = None,
) -> IndexReport:
    """Index a built site with Pagefind: one index per language, one after the other.

    Returns the page count and the size in bytes of each language's
    ``pagefind/`` folder (the whole search bundle, UI included). ``threads``
    limits Pagefind's worker threads (default: one per core).
    """
    report = IndexReport()
    for lang in languages:
        job = start_index(site_dir, lang, default_language, collections, threads)
        report.languages.append(job.wait())
    return report
