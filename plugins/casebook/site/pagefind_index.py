"""Pagefind indexing: pages in, one search bundle per language out, split in shards.

Pages are indexed with Pagefind (the binary that the ``pagefind[bin]`` wheel
ships: nothing is downloaded), through its service protocol: the site plugin
hands every page to Pagefind as soon as it is rendered, so indexing runs in
Pagefind's own process while the rest of the site is built. There is one index
per language: ``/pagefind/`` for the default language and ``/<lang>/pagefind/``
for the others, each with that language's stemming.

Shards. Pagefind's ranking takes time that grows with the square of the number
of pages a word is on (each matching page looks through every matching page's
word list; at 12,000 pages a common word takes 1.5 to 2 seconds in the browser).
A language's pages are therefore split by a stable hash of their URL into
shards of at most ``pages_per_shard`` pages: the first is the bundle itself,
the others sit in ``shards/<n>/`` inside it (index data only) and the search
page adds them with Pagefind's own ``mergeIndex``, which searches every shard
and merges the results. Pagefind's sort does not survive the merge (a shard
numbers its own pages), so ``casebook-index.json`` beside the bundle lists the
shards and, for every page, its shard, its rank in each sort order and its
filter values (as the page carries them in ``data-pagefind-sort`` and
``data-pagefind-filter``). The search page sorts, filters and counts with
those; Pagefind finds the pages a query matches. (Pagefind's own filter-only
search, ``search(null)``, fetches every index chunk of every shard: at 10,000
cases, megabytes before the first result.)

Workers. Searching every shard is still work in proportion to the matching
pages, and one Pagefind runs on one thread. ``casebook-index.json`` therefore
also splits the shards in up to ``workers`` groups; the search page searches
each group in a worker of its own, in parallel, and merges their sorted
results. A group's first shard is where its Pagefind starts, so a shard that
leads a group keeps the language's WebAssembly too.
"""

from __future__ import annotations

import base64
import gzip
import html
import json
import math
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import zlib
from collections.abc import Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook.content.vocab import DEFAULT_LANGUAGE, LANGUAGES
from casebook.site import reproducible
from casebook.site.compounds import PARTS_META
from casebook.site.search import INDEXED, SORTS, index_words, indexed_part

#: Pages per shard unless a site says otherwise (see the module docstring).
PAGES_PER_SHARD = 800
#: Search workers unless a site says otherwise (see the module docstring).
WORKERS = 2
#: Written beside a language's bundle: its shards, worker groups and pages.
SHARD_INDEX = "casebook-index.json"
#: Beside it, read only when needed: each page's address (``{page hash: URL}``, for a
#: download of the matches) and the index's words, on most pages first (for "did you
#: mean" when a query finds nothing), at most :data:`MAX_WORDS` of them.
PAGE_URLS = "casebook-urls.json"
WORDS = "casebook-words.json"
MAX_WORDS = 20_000
#: What a shard bundle keeps: Pagefind's data; the scripts come from the first bundle.
_SHARD_FILES = re.compile(r"^(?:pagefind-entry\.json|[^/]+\.pf_meta|(?:index|filter|fragment)/.+)$")
_SORT_SPAN = re.compile(r'data-pagefind-sort="([^":]+):([^"]*)"')
_FILTER_SPAN = re.compile(r'data-pagefind-filter="([^":]+):([^"]*)"')


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

    def write(self, output: Path, *, data_only: bool = False,
              wasm: bool = False) -> Future[dict[str, Any]]:
        """Write the bundle to ``output`` once every added page is indexed.

        Returns at once; the future fails if a page or the writing failed, and
        gives ``pages`` (``{page hash: URL}``). ``data_only`` leaves out the
        scripts, styles and WebAssembly (a shard's); ``wasm`` keeps the language's
        WebAssembly in such a bundle (a group's first shard). (Pagefind handles messages
        concurrently: a write sent before the pages are indexed would leave them out.)
        """
        shutil.rmtree(output, ignore_errors=True)  # no stale fragments
        added, self._added = self._added, []
        result: Future[dict[str, Any]] = Future()
        remaining = [len(added)]
        lock = threading.Lock()

        def written(future: Future[dict[str, Any]]) -> None:
            # The bundle comes back in memory and is written here, in a fixed order
            # (see casebook.site.reproducible): the same pages give the same bytes.
            try:
                files = {f["path"]: base64.b64decode(f["content"])
                         for f in future.result()["files"]}
                if data_only:
                    files = _shard_files(files, wasm=wasm)
                reproducible.write_files(reproducible.stable_pagefind_files(files), output)
                facts = _page_facts(files)
                result.set_result({"bundle_path": str(output), "files": len(files),
                                   "pages": {page: url for page, (url, _) in facts.items()},
                                   "parts_from": {page: at for page, (_, at) in facts.items()
                                                  if at is not None}})
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
    pages = sum(1 for _ in output.glob("**/fragment/*.pf_fragment"))  # every shard
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
    pages_per_shard: int = PAGES_PER_SHARD,
    workers: int = WORKERS,
    compounds: bool = True,
) -> IndexReport:
    """Index a built site with Pagefind: one index per language.

    Each language is indexed relative to its own folder (``/pagefind/`` for the
    default language, ``/<lang>/pagefind/`` for the others): Pagefind's script
    prefixes result URLs with the folder its bundle is served from, so the site
    works at any base path. Returns the page count and the size in bytes of each
    bundle (UI included). ``threads`` limits Pagefind's worker threads;
    ``compounds`` adds the parts of compound words (:mod:`casebook.site.compounds`).
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
            paths = [(url, path) for path in sorted(p for c in folders
                                                    for p in (folder / c).rglob("*.html"))
                     if (url := indexed_url(str(path.relative_to(folder)), folders))]
            index = ShardedIndex(service, lang, len(paths), pages_per_shard, workers)
            for url, path in paths:
                index.add(url, indexed_part(path.read_text(encoding="utf-8"),
                                            lang if compounds else None))
            index.write(folder / "pagefind").result()
            report.languages.append(language_index(folder / "pagefind", lang))
    finally:
        service.close()
    return report


def shard_count(pages: int, pages_per_shard: int = PAGES_PER_SHARD) -> int:
    """How many shards ``pages`` pages are split into."""
    return max(1, math.ceil(pages / max(1, pages_per_shard)))


def _shard_files(files: dict[str, bytes], *, wasm: bool) -> dict[str, bytes]:
    """What a shard keeps of a bundle: its data, and with ``wasm`` the WebAssembly
    its language loads (the one ``pagefind-entry.json`` names, as Pagefind's script reads it)."""
    kept = {name: data for name, data in files.items() if _SHARD_FILES.match(name)}
    if wasm:
        entry = json.loads(files["pagefind-entry.json"])
        for language in entry.get("languages", {}).values():
            name = f"wasm.{language.get('wasm') or 'unknown'}.pagefind"
            if name in files:
                kept[name] = files[name]
    return kept


def worker_groups(shards: int, workers: int = WORKERS) -> list[list[int]]:
    """The shards (0: the bundle) each search worker searches, first its leader."""
    count = max(1, min(workers, shards))
    return [list(range(first, shards, count)) for first in range(count)]


def _page_facts(files: dict[str, bytes]) -> dict[str, tuple[str, int | None]]:
    """``{page hash: (URL, parts from)}`` of a bundle, read from its fragments: where
    the page's compound parts start (the word location after its own text,
    :mod:`casebook.site.compounds`), None when it has none. A match found only at or
    after that location is a compound-only match, ranked below the exact ones."""
    pages: dict[str, tuple[str, int | None]] = {}
    for name, data in files.items():
        if name.startswith("fragment/") and name.endswith(".pf_fragment"):
            raw = gzip.decompress(data).removeprefix(reproducible.PAGEFIND_SIGNATURE)
            fragment = json.loads(raw)
            parts = int(fragment.get("meta", {}).get(PARTS_META, 0) or 0)
            at = int(fragment["word_count"]) - parts if parts else None
            pages[name[len("fragment/"):-len(".pf_fragment")]] = (fragment["url"], at)
    return pages


class ShardedIndex:
    """One language's index, split in shards (see the module docstring)."""

    def __init__(self, service: PagefindService, lang: str, pages: int,
                 pages_per_shard: int = PAGES_PER_SHARD, workers: int = WORKERS) -> None:
        self.lang = lang
        self.shards = [service.new_index(lang)
                       for _ in range(shard_count(pages, pages_per_shard))]
        self.groups = worker_groups(len(self.shards), workers)
        #: URL → (shard, {sort order: rank}, filter values), read from the pages.
        self.pages: dict[str, tuple[int, dict[str, int], list[str]]] = {}
        #: Word → the number of pages it is on.
        self.words: dict[str, int] = {}

    def add(self, url: str, page_html: str) -> None:
        """Index one page in its shard (see :meth:`StreamingIndex.add`)."""
        number = zlib.crc32(url.encode("utf-8")) % len(self.shards)
        self.shards[number].add(url, page_html)
        ranks = {}
        for name, value in _SORT_SPAN.findall(page_html):
            if value.isdigit():
                ranks[html.unescape(name)] = int(value)
        filters = sorted({html.unescape(f"{name}:{value}")
                          for name, value in _FILTER_SPAN.findall(page_html)})
        self.pages[url] = (number, ranks, filters)
        for word in index_words(page_html):
            self.words[word] = self.words.get(word, 0) + 1

    def write(self, output: Path) -> Future[dict[str, Any]]:
        """Write the first shard to ``output``, the others to ``output/shards/<n>``,
        and :data:`SHARD_INDEX`; the future fails as :meth:`StreamingIndex.write`'s."""
        written = [self.shards[0].write(output)]  # first: it empties ``output``
        leaders = {group[0] for group in self.groups}
        written += [shard.write(output / "shards" / str(n), data_only=True, wasm=n in leaders)
                    for n, shard in enumerate(self.shards[1:], 1)]
        result: Future[dict[str, Any]] = Future()
        remaining = [len(written)]
        lock = threading.Lock()

        def done(_: Future[dict[str, Any]]) -> None:
            with lock:
                remaining[0] -= 1
                if remaining[0]:
                    return
            try:
                pages: dict[str, str] = {}
                parts_from: dict[str, int] = {}
                for future in written:
                    pages.update(future.result()["pages"])
                    parts_from.update(future.result()["parts_from"])
                self._write_shard_index(output, pages, parts_from)
                result.set_result({"bundle_path": str(output), "shards": len(written),
                                   "pages": len(pages)})
            except Exception as exc:
                result.set_exception(exc)

        for future in written:
            future.add_done_callback(done)
        return result

    def _write_shard_index(self, output: Path, pages: dict[str, str],
                           parts_from: dict[str, int]) -> None:
        """:data:`SHARD_INDEX`: ``shards`` and ``workers`` (bundle paths, ``""`` the
        bundle itself), ``sorts``, ``filters`` (every ``name:value``) and ``pages``:
        ``{page hash: [shard, [rank in each sort], [indexes in filters], parts from]}``
        (parts from: see :func:`_page_facts`)."""
        known = {url: self.pages[url] for url in pages.values() if url in self.pages}
        filters = sorted({f for _, _, values in known.values() for f in values})
        position = {f: n for n, f in enumerate(filters)}
        entries: dict[str, list[Any]] = {}
        for page, url in sorted(pages.items()):
            shard, ranks, values = known.get(url, (None, {}, []))
            entries[page] = [shard, [ranks.get(name) for name in SORTS],
                             [position[f] for f in values], parts_from.get(page)]

        def path(n: int) -> str:
            return f"shards/{n}/" if n else ""

        data = {"shards": [path(n) for n in range(1, len(self.shards))],
                "workers": [[path(n) for n in group] for group in self.groups],
                "sorts": list(SORTS), "filters": filters, "pages": entries}
        (output / SHARD_INDEX).write_text(
            json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
            encoding="utf-8")
        urls = {page: url for page, url in sorted(pages.items()) if url in known}
        (output / PAGE_URLS).write_text(
            json.dumps(urls, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        words = sorted(self.words, key=lambda w: (-self.words[w], w))[:MAX_WORDS]
        (output / WORDS).write_text(
            json.dumps(words, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
