"""Search: facets of cases and organisations, page annotation and Pagefind indexing.

Pages are indexed with Pagefind (the binary that the ``pagefind[bin]`` wheel
ships: nothing is downloaded), through its service protocol: the site plugin
hands every page to Pagefind as soon as it is rendered, so indexing runs in
Pagefind's own process while the rest of the site is built. There is one
index per language: ``/pagefind/`` for the default language and
``/<lang>/pagefind/`` for the others, each with that language's stemming. Only
case and organisation pages are indexed, and only the element that carries
``data-pagefind-body`` (the page content, not the navigation chrome).

Facet names and values are vocabulary labels in the page language, so the
Pagefind UI shows them as they are; the search page maps them to stable keys
(vocabulary keys) for its URLs.
"""

from __future__ import annotations

import base64
import html
import json
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import reproducible
from .model import Entry, KnowledgeBase, start_year
from .render import Renderer, SiteIndex, sort_key
from .schema import raw_schema
from .vocab import DEFAULT_LANGUAGE, LANGUAGES, Vocabularies

#: Collections whose pages are indexed, as URL folders.
INDEXED = ("cases", "organisations")


@dataclass(frozen=True, slots=True)
class Facet:
    """A search facet: URL parameter (and Pagefind filter name), its source, its label.

    ``field`` is the case field of the content model the values come from
    (``None`` for the kind of entry, case or organisation).
    """

    param: str
    field: str | None
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


_TYPE = Facet("type", None, None, {"nl": "Inhoud", "en": "Content"})
_CASE_FACETS = (
    Facet("kind", "kind", "kinds"),
    Facet("country", "countries", "countries"),
    Facet("theme", "themes", "themes"),
    Facet("mechanism", "mechanisms", "mechanisms"),
    Facet("innovation", "innovation", "innovation"),
    Facet("barrier", "barriers", "barriers"),
    Facet("year", "period", None, {"nl": "Startjaar", "en": "Start year"}),
    Facet("stage", "stage", "stages"),
)


def _content_model_order() -> tuple[Facet, ...]:
    """Facets in the order of their fields in the case schema, then case/organisation."""
    fields = list(raw_schema("case")["properties"])
    return (*sorted(_CASE_FACETS, key=lambda f: fields.index(f.field)), _TYPE)


#: Facets in the order shown on the search page: the content model's (kind first).
FACETS: tuple[Facet, ...] = _content_model_order()
FACET_BY_PARAM = {f.param: f for f in FACETS}
#: Values of the ``type`` facet.
TYPES = {
    "case": {"nl": "Casus", "en": "Case"},
    "organisation": {"nl": "Organisatie", "en": "Organisation"},
}
#: Orders a reader can choose besides relevance (which needs a query), as
#: URL value and Pagefind sort key; the first is the default without a query.
SORTS = ("title", "start-desc", "start-asc", "reviewed")


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
        keys = {"type": ["case"]}
        for facet in _CASE_FACETS:
            if facet.param == "year":
                keys["year"] = [year] if year else []
            else:
                keys[facet.param] = _as_list(facts.get(facet.field or ""))
    return {k: list(dict.fromkeys(v)) for k, v in keys.items() if v}


def value_label(facet: Facet, key: str, vocabs: Vocabularies, lang: str) -> str:
    """Label of a facet value in ``lang``."""
    if facet.param == "type":
        return TYPES[key][lang]
    return facet.label_of(key, vocabs, lang)


def facet_filters(entry: Entry) -> dict[str, list[str]]:
    """Pagefind filters of an entry: ``{param: [key, ...]}``, the same in every language.

    Filters carry stable keys (``kind: lab``), so the URL, the filters and the
    language switch share one vocabulary; the search page shows their labels.
    """
    return facet_keys(entry)


def _value_order(facet: Facet, keys: set[str], vocabs: Vocabularies,
                 lang: str) -> list[str]:
    if facet.param == "type":
        return [k for k in TYPES if k in keys]
    if facet.param == "year":
        return sorted(keys)
    if facet.param == "country":  # by name, as a reader looks them up
        return sorted(keys, key=lambda k: (sort_key(value_label(facet, k, vocabs, lang)), k))
    terms = list(vocabs[facet.vocabulary].terms) if facet.vocabulary else []
    return sorted(keys, key=lambda k: (terms.index(k) if k in terms else len(terms), k))


def facet_config(kb: KnowledgeBase, lang: str) -> list[dict[str, Any]]:
    """Facets for the search page: URL parameter, name and the values in use, in order.

    ``[{"param": "theme", "name": "Thema", "values": [["mobility", "Mobiliteit"]]}]``
    (values as pairs: a JSON object would put ``"2019"`` before ``"challenge"``).
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
        values = [[k, value_label(facet, k, vocabs, lang)]
                  for k in _value_order(facet, used[facet.param], vocabs, lang)]
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


class SearchData:
    """What the search page shows of each entry in one language, and its sort ranks.

    Every indexed page carries every sort key (Pagefind leaves a page without
    one out of sorted results): a rank, precomputed here over the whole
    knowledge base, so that titles sort without regard to case or accents and
    organisations (which have no period) come after the cases when sorting by
    start year.
    """

    def __init__(self, kb: KnowledgeBase, lang: str) -> None:
        self.kb = kb
        self.lang = lang
        self.vocabs = kb.vocabularies
        self._renderer = Renderer(SiteIndex.build(kb), lang)
        self._ranks = self._sort_ranks()

    def _sort_ranks(self) -> dict[tuple[str, str], dict[str, int]]:
        entries = [*self.kb.valid_cases(), *self.kb.valid_organisations()]
        by_title = sorted(entries, key=lambda e: (sort_key(e.title(self.lang)), e.collection,
                                                  e.id))
        title = {(e.collection, e.id): n for n, e in enumerate(by_title)}

        def year(e: Entry) -> int | None:
            y = start_year(e) if e.collection == "cases" else None
            return int(y) if y else None

        def reviewed(e: Entry) -> str:
            return str(e.facts.get("reviewed") or "")

        orders = {
            "title": by_title,
            # Newest first: cases without a year (organisations) last, by title.
            "start-desc": sorted(by_title, key=lambda e: (year(e) is None, -(year(e) or 0))),
            "start-asc": sorted(by_title, key=lambda e: (year(e) is None, year(e) or 0)),
            "reviewed": sorted(by_title, key=lambda e: reviewed(e), reverse=True),
        }
        # sorted() is stable: within a year (or a date) the order stays by title;
        # the reverse sort above keeps that too (Python reverses by key only).
        ranks: dict[tuple[str, str], dict[str, int]] = {k: {} for k in title}
        for name, order in orders.items():
            for n, e in enumerate(order):
                ranks[(e.collection, e.id)][name] = n
        return ranks

    def meta(self, entry: Entry) -> dict[str, str]:
        """Title, summary and the facts a result shows, as text in this language."""
        lang, vocabs = self.lang, self.vocabs
        facts = entry.facts
        meta = {"title": entry.title(lang)}
        summary = entry.text("summary", lang)
        if summary:
            meta["summary"] = " ".join(str(summary).split())
        if entry.text_lang(lang) != lang:  # not translated yet: the text's own language
            meta["lang"] = entry.text_lang(lang)
        if entry.collection == "organisations":
            meta["type"] = "organisation"
            if facts.get("kind"):
                meta["kind"] = vocabs.label("organisation-kinds", str(facts["kind"]), lang)
            if facts.get("country"):
                meta["countries"] = vocabs.label("countries", str(facts["country"]), lang)
            return meta
        meta["type"] = "case"
        if facts.get("kind"):
            meta["kind"] = vocabs.label("kinds", str(facts["kind"]), lang)
        names = []
        for org in facts.get("organisations") or []:
            org_id = str(org.get("id")) if isinstance(org, dict) else ""
            other = self.kb.organisations.get(org_id)
            names.append(other.title(lang) if other is not None else org_id)
        if names:
            meta["organisations"] = ", ".join(dict.fromkeys(n for n in names if n))
        countries = [vocabs.label("countries", c, lang) for c in _as_list(facts.get("countries"))]
        if countries:
            meta["countries"] = ", ".join(countries)
        period = self._renderer.period(facts.get("period"))
        if period:
            meta["period"] = period
        return meta

    def sort_keys(self, entry: Entry) -> dict[str, str]:
        """The entry's rank in every order of :data:`SORTS`."""
        ranks = self._ranks.get((entry.collection, entry.id), {})
        return {name: str(ranks[name]) for name in SORTS if name in ranks}

    def markup(self, entry: Entry) -> str:
        """Pagefind filters, metadata and sort keys for an entry's page."""
        return pagefind_markup(facet_filters(entry), self.meta(entry), self.sort_keys(entry))


def entry_markup(entry: Entry, kb: KnowledgeBase, lang: str) -> str:
    """Pagefind filters, metadata and sort keys for one entry's page (see :class:`SearchData`)."""
    return SearchData(kb, lang).markup(entry)


_CONTENT_OPEN = re.compile(r"<article\b[^>]*\bclass=\"[^\"]*\bmd-content__inner\b[^\"]*\"[^>]*>")
#: Parts of an entry page that are not its own text, left out of the index (and so
#: of result excerpts): the fact box, and the lists of related cases and of an
#: organisation's cases (navigation), and the headings' permalinks (a pilcrow).
#: Matched by their opening tag's class or id.
NOT_INDEXED = ("cb-facts", "cb-related", "cb-cases", "cb-role", "cb-organisation-cases",
               "headerlink")
_NOT_INDEXED_OPEN = re.compile(
    r"<(?:aside|h2|h3|ul|div|section|a)\b(?=[^>]*\b(?:class|id)=\"(?:[^\"]*\s)?(?:"
    + "|".join(re.escape(name) for name in NOT_INDEXED)
    + r")(?:\s[^\"]*)?\")[^>]*>")


def mark_not_indexed(page_html: str) -> str:
    """``page_html`` with ``data-pagefind-ignore`` on the parts in :data:`NOT_INDEXED`.

    Applied to the copy handed to Pagefind (:func:`indexed_part`), not to the
    published page.
    """
    def mark(m: re.Match[str]) -> str:
        tag = m.group(0)
        return tag if "data-pagefind-ignore" in tag else tag[:-1] + " data-pagefind-ignore>"

    return _NOT_INDEXED_OPEN.sub(mark, page_html)


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


def indexed_part(page_html: str) -> str:
    """The part of a page Pagefind reads, as a document of its own.

    With ``data-pagefind-body`` on the content element (:func:`annotate_page`)
    Pagefind indexes that element only, so the navigation and the rest of the
    theme around it need not be sent: the index comes out the same, for a
    fraction of the bytes. Inside it, the fact box and the other parts of
    :data:`NOT_INDEXED` are marked to be left out. A page without it is
    returned whole.
    """
    at = page_html.find(" data-pagefind-body")
    start = page_html.rfind("<article", 0, at) if at >= 0 else -1
    end = page_html.rfind("</article>")
    if start < 0 or end < at:
        return page_html
    part = mark_not_indexed(page_html[start:end])
    return f"<!doctype html><html><body>{part}</article></body></html>"


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


class PagefindService:
    """A Pagefind ``--service`` process, driven from threads instead of asyncio.

    Pagefind's own Python client (``pagefind.index``) sleeps a tenth of a second
    before reading every answer, which for a site of a thousand pages adds
    minutes; its command line only reads finished files. This client speaks the
    same protocol (base64 JSON messages ending in a comma, on standard input and
    output) and does not wait for answers it does not need, so pages can be
    indexed while the site is still being built. The binary is the one the
    ``pagefind[bin]`` wheel ships, found by Pagefind's own ``get_executable``.
    """

    def __init__(self, threads: int | None = None) -> None:
        from pagefind.service import get_executable

        binary = get_executable()
        if binary is None:
            raise FileNotFoundError("the Pagefind binary is missing; install 'pagefind[bin]'")
        env = dict(os.environ)
        if threads is not None:  # Pagefind's parallel work obeys RAYON_NUM_THREADS
            env["RAYON_NUM_THREADS"] = str(threads)
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self._process = subprocess.Popen([str(binary), "--service"], env=env,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=self._errors)
        self._lock = threading.Lock()
        self._next_id = 0
        self._waiting: dict[int, Future[dict[str, Any]]] = {}
        # Encoding and writing happen in a thread of their own, so the build
        # never waits for Pagefind to read a page.
        self._outbox: queue.SimpleQueue[tuple[int, dict[str, Any]] | None] = \
            queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write, name="pagefind-writer",
                                        daemon=True)
        self._reader = threading.Thread(target=self._read, name="pagefind-reader",
                                        daemon=True)
        self._writer.start()
        self._reader.start()

    def _write(self) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        while (item := self._outbox.get()) is not None:
            message_id, payload = item
            message = json.dumps({"message_id": message_id, "payload": payload},
                                 ensure_ascii=False)
            try:
                stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
                stdin.flush()
            except (BrokenPipeError, OSError, ValueError) as exc:
                future = self._waiting.pop(message_id, None)
                if future is not None:
                    future.set_exception(RuntimeError(f"Pagefind is not running: {exc}"))

    def _read(self) -> None:
        stream = self._process.stdout
        assert stream is not None
        buffer = b""
        while chunk := stream.read1(1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b",")
            for message in messages:
                answer = json.loads(base64.b64decode(message))
                future = self._waiting.pop(answer.get("message_id"), None)
                if future is None:
                    continue
                payload = answer.get("payload") or {}
                if payload.get("type") == "Error":
                    future.set_exception(RuntimeError(payload.get("message", "error")))
                else:
                    future.set_result(payload)
        self._errors.seek(0)
        detail = self._errors.read().decode("utf-8", "replace").strip().splitlines()
        failure = RuntimeError("Pagefind stopped" + (f": {detail[-1]}" if detail else ""))
        for future in list(self._waiting.values()):
            future.set_exception(failure)
        self._waiting.clear()

    def send(self, payload: dict[str, Any]) -> Future[dict[str, Any]]:
        """Send one request; its answer arrives in the returned future.

        Returns at once: the message is written in the background.
        """
        future: Future[dict[str, Any]] = Future()
        with self._lock:
            self._next_id += 1
            self._waiting[self._next_id] = future
            self._outbox.put((self._next_id, payload))
        return future

    def new_index(self, lang: str) -> StreamingIndex:
        """A new empty index with ``lang``'s stemming."""
        answer = self.send({"type": "NewIndex", "config": {"force_language": lang}}).result()
        return StreamingIndex(self, int(answer["index_id"]), lang)

    def close(self) -> None:
        """Stop the service process."""
        self._outbox.put(None)
        self._writer.join(timeout=30)
        if self._process.stdin is not None and not self._process.stdin.closed:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reader.join(timeout=5)
        self._errors.close()


class StreamingIndex:
    """One language's index in a :class:`PagefindService`: pages in, bundle out."""

    def __init__(self, service: PagefindService, index_id: int, lang: str) -> None:
        self.service = service
        self.index_id = index_id
        self.lang = lang
        self._added: list[Future[dict[str, Any]]] = []

    def add(self, url: str, page_html: str) -> None:
        """Index one page (``url`` relative to the language folder, e.g. ``/cases/x/``).

        Returns at once; Pagefind works in its own process.
        """
        self._added.append(self.service.send({
            "type": "AddFile", "index_id": self.index_id, "url": url,
            "file_contents": page_html,
        }))

    def write(self, output: Path) -> Future[dict[str, Any]]:
        """Write the bundle to ``output`` once every added page is indexed.

        Returns at once; the future fails if a page or the writing failed.
        (Pagefind handles messages concurrently: a write sent before the pages
        are indexed would leave them out.)
        """
        shutil.rmtree(output, ignore_errors=True)  # no stale fragments
        added, self._added = self._added, []
        result: Future[dict[str, Any]] = Future()
        remaining = [len(added)]
        lock = threading.Lock()

        def written(future: Future[dict[str, Any]]) -> None:
            # The bundle comes back in memory and is written here, in a fixed order
            # (see casebook.reproducible): the same pages give the same bytes.
            try:
                files = {f["path"]: base64.b64decode(f["content"])
                         for f in future.result()["files"]}
                reproducible.write_files(reproducible.stable_pagefind_files(files), output)
                result.set_result({"bundle_path": str(output), "files": len(files)})
            except Exception as exc:
                result.set_exception(exc)

        def write_files() -> None:
            self.service.send({"type": "GetFiles", "index_id": self.index_id}
                              ).add_done_callback(written)

        def indexed(future: Future[dict[str, Any]]) -> None:
            if future.exception() is not None and not result.done():
                result.set_exception(future.exception())  # a page Pagefind refused
            with lock:
                remaining[0] -= 1
                last = remaining[0] == 0
            if last and not result.done():
                write_files()

        if not added:
            write_files()
        for future in added:
            future.add_done_callback(indexed)
        return result


def language_index(output: Path, lang: str) -> LanguageIndex:
    """Page count and sizes of the Pagefind bundle in ``output``."""
    size, files, data = _folder_size(output)
    # One fragment per indexed page (pages without data-pagefind-body are skipped).
    pages = sum(1 for _ in (output / "fragment").glob("*.pf_fragment"))
    return LanguageIndex(lang, output, pages, size, files, data)


def indexed_url(relative: str, collections: Iterable[str] = INDEXED) -> str | None:
    """The index URL of a built file or page URL relative to its language folder.

    ``cases/x/index.html`` and ``cases/x/`` give ``/cases/x/``; ``None`` for
    pages outside the indexed ``collections``.
    """
    relative = relative.replace(os.sep, "/").lstrip("/")
    if relative.endswith("index.html"):
        relative = relative[: -len("index.html")]
    elif relative.endswith(".html"):
        relative = relative[: -len(".html")] + "/"
    if relative.split("/", 1)[0] not in tuple(collections) or relative.count("/") < 2:
        return None
    return "/" + relative


def index_site(
    site_dir: Path | str,
    languages: Sequence[str] = LANGUAGES,
    default_language: str = DEFAULT_LANGUAGE,
    collections: Iterable[str] = INDEXED,
    threads: int | None = None,
) -> IndexReport:
    """Index a built site with Pagefind: one index per language.

    Each language is indexed relative to its own folder (``/pagefind/`` for the
    default language, ``/<lang>/pagefind/`` for the others): Pagefind's script
    prefixes result URLs with the folder its bundle is served from, so the site
    works at any base path. Returns the page count and the size in bytes of each
    bundle (UI included). ``threads`` limits Pagefind's worker threads.
    """
    site = Path(site_dir).resolve()
    if not site.is_dir():
        raise FileNotFoundError(f"{site}: no built site here")
    folders = tuple(collections)
    report = IndexReport()
    service = PagefindService(threads)
    try:
        for lang in languages:
            folder = site / language_prefix(lang, default_language)
            index = service.new_index(lang)
            for path in sorted(p for c in folders for p in (folder / c).rglob("*.html")):
                url = indexed_url(str(path.relative_to(folder)), folders)
                if url is not None:
                    index.add(url, indexed_part(path.read_text(encoding="utf-8")))
            index.write(folder / "pagefind").result()
            report.languages.append(language_index(folder / "pagefind", lang))
    finally:
        service.close()
    return report
