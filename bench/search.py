"""Search benchmark on the 1,000-case bilingual site built by ``bench/build.py``.

* Pagefind index time and size for both languages (``casebook.search.index_site``),
  against the time of the build that produced the site (same run).
* In headless Chromium, on the Dutch search page served from localhost: the
  time from the last keystroke of a query to the first result on screen, and
  the bytes fetched for that query after the page itself had loaded.
"""

from __future__ import annotations

import functools
import http.server
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("CASEBOOK_BENCH_WORK", HERE / ".work"))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
QUERIES = ("innovatie", "bouwsteen", "mobiliteit")


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


_MEASURE = """
() => {
  const input = document.querySelector('pagefind-input input');
  const results = document.querySelector('pagefind-results');
  const first = () => results && results.querySelector('a.pf-result-link');
  const before = results ? results.innerHTML : '';
  let last = 0;
  input.addEventListener('keyup', () => { last = performance.now(); });
  input.focus();
  window.__casebookLatency = new Promise((resolve) => {
    const done = () => resolve(performance.now() - last);
    const observer = new MutationObserver(() => {
      if (last && first() && results.innerHTML !== before) { observer.disconnect(); done(); }
    });
    observer.observe(results, {subtree: true, childList: true});
  });
}
"""


def _bytes(requests: list) -> int:
    """Response body bytes of finished requests (asked while the page is open)."""
    return sum(r.sizes()["responseBodySize"] for r in requests)


def query_in_browser(base: str, query: str) -> dict:
    """Latency from the last keystroke to the first result, and bytes per query."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        finished: list = []
        page.on("requestfinished", lambda r: finished.append(r))
        page.goto(f"{base}/search/", wait_until="networkidle")
        page_bytes = _bytes(finished)
        finished.clear()
        page.evaluate(_MEASURE)
        page.locator("pagefind-input input").press_sequentially(query, delay=40)
        latency_ms = page.evaluate("() => window.__casebookLatency")
        page.wait_for_load_state("networkidle")
        query_bytes = _bytes(finished)
        browser.close()
    return {"query": query, "latency_ms": latency_ms, "bytes": query_bytes,
            "page_bytes": page_bytes}


def bench_search(knowledge_base: Callable[[int], Path]) -> dict:
    """Index time and size, query latency and bytes on the 1,000-case site."""
    from casebook.search import index_site

    site = WORK / "build-1000" / "site"
    if not (site / "search" / "index.html").exists():
        from build import prepare
        from run import measure

        subject, _ = prepare(knowledge_base(1000), 1000)
        build = measure("build", subject)
        print(f"search   (built the 1,000-case site in {build['seconds']:.1f} s)", flush=True)
    start = time.perf_counter()
    report = index_site(site)
    index_s = time.perf_counter() - start
    print(f"search   index {report.pages} pages in {index_s:.1f} s; index size "
          f"{report.bytes / 1e6:.1f} MB in all, {report.data_bytes / 1e6:.1f} MB of index data",
          flush=True)
    server, base = _serve(site)
    try:
        runs = [query_in_browser(base, q) for q in QUERIES]
    finally:
        server.shutdown()
    for r in runs:
        print(f"search   query '{r['query']}': first result {r['latency_ms']:.0f} ms after the "
              f"last keystroke (target < 300), {r['bytes'] / 1024:.0f} KB fetched "
              f"(target < 500; the search page itself with its index entry: "
              f"{r['page_bytes'] / 1024:.0f} KB)", flush=True)
    return {"index_s": index_s, "index_bytes": report.bytes, "pages": report.pages,
            "queries": runs}
