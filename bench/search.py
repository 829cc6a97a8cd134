"""Search benchmark on the bilingual sites of 1,000 and 10,000 synthetic cases.

For each size, on the site built from the repository's ``mkdocs.yml``
(``bench/build.py``'s subject):

* Pagefind index time and size for both languages (``casebook.site.pagefind_index.index_site``).
* In headless Chromium, on the Dutch search page served from localhost:
  - the search page's own weight: every byte fetched until its first results
    are on screen (HTML, styles, scripts, Pagefind's WebAssembly, index entry,
    filter indexes and the first page of result fragments);
  - the time a reader waits from the last keystroke of a query, and from ticking
    a filter, to the first results on screen (target < 300 ms);
  - the bytes fetched for that query or filter change (target < 500 KB).

Each size is measured on two texts (``synth.TEXTS``): "uniform", where the
cases' words come from a list of 19, so each query word is on every page about
13 times (Pagefind's worst case: every page matches, with many positions), and
"real", where they come with the frequencies of the repository's own cases in
that language (a query word is on some of the pages, as in real text).

Times are what a person waits on this machine; no test asserts them. The
10,000-case site takes minutes to build: ``python bench/run.py --only search``
(``make bench-search``) runs this benchmark alone, and ``--sizes`` picks sizes.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

from build import prepare
from harness import measure
from synth import TEXTS

HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("CASEBOOK_BENCH_WORK", HERE / ".work"))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
QUERIES = ("innovatie", "bouwsteen", "mobiliteit")
#: Filter changes, one after the other: (facet, value key).
#: Filter changes, one after the other: OR, then AND (``None``: the first theme offered,
#: as the synthetic base draws its themes at random).
FILTERS = (("kind", "lab"), ("kind", "challenge"), ("theme", None))
SIZES = (1000, 10000)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{port}"


#: Arms a timer: from the last key up in the query field (``query``) or from a
#: filter's change event (``filter``) to the next time results are drawn: for a
#: query, the results of the whole query (``data-query``; not those of a part of
#: it that a pause in typing searched for), even if there are none. Gives up
#: after a minute (the benchmark then fails instead of waiting for ever).
_ARM = """
([kind, query]) => {
  const list = document.getElementById('casebook-search-list');
  const root = document.getElementById('casebook-search');
  let last = 0;
  const mark = () => { last = performance.now(); };
  if (kind === 'query') {
    document.getElementById('casebook-search-input').addEventListener('keyup', mark);
  } else {
    root.addEventListener('change', mark, {capture: true, once: true});
  }
  window.__casebookLatency = new Promise((resolve, reject) => {
    const observer = new MutationObserver(() => {
      const drawn = kind === 'query' ? list.getAttribute('data-query') === query
                                     : list.querySelector('a') !== null;
      if (last && drawn) {
        observer.disconnect();
        resolve(performance.now() - last);
      }
    });
    observer.observe(list, {subtree: true, childList: true, attributes: true,
                            attributeFilter: ['data-query']});
    setTimeout(() => { observer.disconnect(); reject(new Error('no results drawn')); }, 60000);
  });
}
"""


def _bytes(requests: list) -> int:
    """Response body bytes of finished requests (asked while the page is open)."""
    return sum(max(0, r.sizes()["responseBodySize"]) for r in requests)


def _settle(page: object) -> None:
    """Wait until the search page has drawn its results and fetched all it needs."""
    page.wait_for_selector("#casebook-search[data-state=ready]")  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]


def measure_page(base: str) -> dict:
    """Page weight, then latency and bytes of each query and filter change."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        finished: list = []
        queries, filters = [], []
        page_bytes = 0
        for query in QUERIES:  # each query on a freshly loaded page
            page = browser.new_page()
            page.on("requestfinished", lambda r: finished.append(r))
            page.goto(f"{base}/search/")
            _settle(page)
            page_bytes = _bytes(finished)
            finished.clear()
            page.evaluate(_ARM, ["query", query])
            page.locator("#casebook-search-input").press_sequentially(query, delay=40)
            latency = page.evaluate("() => window.__casebookLatency")
            _settle(page)
            queries.append({"query": query, "latency_ms": latency, "bytes": _bytes(finished)})
            finished.clear()
            page.close()
        page = browser.new_page()
        page.on("requestfinished", lambda r: finished.append(r))
        page.goto(f"{base}/search/")
        _settle(page)
        finished.clear()
        for param, key in FILTERS:  # one after the other: OR, then AND
            page.evaluate(_ARM, ["filter", ""])
            box = (page.locator(f"#casebook-filter-{param}-{key}") if key else
                   page.locator(f"[id^='casebook-filter-{param}-']:not([disabled])").first)
            key = key or box.get_attribute("id").removeprefix(f"casebook-filter-{param}-")
            box.check()
            latency = page.evaluate("() => window.__casebookLatency")
            _settle(page)
            filters.append({"filter": f"{param}={key}", "latency_ms": latency,
                            "bytes": _bytes(finished)})
            finished.clear()
        browser.close()
    return {"page_bytes": page_bytes, "queries": queries, "filters": filters}


def _code_stamp() -> str:
    """A digest of what builds the site (plugins, overrides, mkdocs.yml)."""
    root = HERE.parent
    digest = hashlib.sha256()
    files = [root / "mkdocs.yml", *sorted((root / "plugins").rglob("*")),
             *sorted((root / "overrides").rglob("*"))]
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _site(n: int, text: str, knowledge_base: Callable[[int, str], Path]) -> Path:
    """The built site of ``n`` cases in ``text``: built again when the code changed
    since (a site built by older code would measure that code)."""
    name = "" if text == "uniform" else f"-{text}"
    site = WORK / f"build-{n}{name}" / "site"
    stamp = WORK / f"build-{n}{name}.code"
    code = _code_stamp()
    if not (site / "search" / "index.html").exists() or \
            not stamp.exists() or stamp.read_text(encoding="utf-8") != code:
        subject, _ = prepare(knowledge_base(n, text), n, name)
        build = measure("build", subject)
        print(f"search   (built the {n:,}-case site, {text} text, in {build['seconds']:.1f} s)",
              flush=True)
        stamp.write_text(code, encoding="utf-8")
    return site


def bench_search(knowledge_base: Callable[[int, str], Path],
                 sizes: list[int] | tuple[int, ...] = SIZES,
                 texts: tuple[str, ...] = TEXTS) -> list[dict]:
    """Index time and size, page weight, latency and bytes per size and text."""
    from casebook.site.pagefind_index import index_site

    rows = []
    for n, text in [(n, text) for n in sizes for text in texts]:
        site = _site(n, text, knowledge_base)
        start = time.perf_counter()
        report = index_site(site)
        index_s = time.perf_counter() - start
        label = f"{n:>6} cases, {text} text"
        print(f"search   {label}: index {report.pages} pages in {index_s:.1f} s; "
              f"{report.bytes / 1e6:.1f} MB in all, {report.data_bytes / 1e6:.1f} MB of index "
              "data", flush=True)
        server, base = _serve(site)
        try:
            r = measure_page(base)
        finally:
            server.shutdown()
        print(f"search   {label}: the search page weighs {r['page_bytes'] / 1024:.0f} KB "
              "until its first results are on screen", flush=True)
        for q in r["queries"]:
            print(f"search   {label}: query '{q['query']}': first results "
                  f"{q['latency_ms']:.0f} ms after the last keystroke (target < 300), "
                  f"{q['bytes'] / 1024:.0f} KB fetched (target < 500)", flush=True)
        for f in r["filters"]:
            print(f"search   {label}: filter {f['filter']}: first results "
                  f"{f['latency_ms']:.0f} ms after the click (target < 300), "
                  f"{f['bytes'] / 1024:.0f} KB fetched (target < 500)", flush=True)
        rows.append({"cases": n, "text": text, "index_s": index_s, "index_bytes": report.bytes,
                     "pages": report.pages, **r})
    return rows
