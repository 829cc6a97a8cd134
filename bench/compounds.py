"""Compound search: recall, precision and order on a query set, and the index size.

Runs the query set of ``bench/compound-queries.yaml`` against the repository's
site indexed twice from the same built pages: without and with the parts of
compound words (``casebook.site.compounds``). Each query is searched in headless
Chromium with Pagefind's own API on the language's bundle (every shard merged),
as the search page does. Relevance is judged from the pages' indexed text (the
part Pagefind reads, without what it ignores): a page is *exact* for a query
when a word of it starts with the query (Pagefind matches the start of words),
and *compound* when it has none but holds a compound the query set lists.

* recall: relevant pages found / relevant pages;
* precision: relevant pages found / pages found;
* order: of the pairs (exact page, compound-only page) among the results, the
  share in which the exact page comes first.

``python bench/compounds.py`` builds the site into ``bench/.work/compounds``;
``--site DIR`` uses a built site instead (copied: its index is not touched);
``--json FILE`` writes the figures. Nothing is timed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from casebook.site import compounds, pagefind_index
from casebook.site.search import indexed_part
from search import CHROMIUM, CHROMIUM_ARGS, _serve

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = Path(os.environ.get("CASEBOOK_BENCH_WORK", HERE / ".work"))
QUERIES = HERE / "compound-queries.yaml"
_WORD = re.compile(r"[^\W\d_]+")
_CASE_CHANGE = re.compile(r"(?<=[a-z])(?=[A-Z])")


def page_words(site: Path, lang: str) -> dict[str, set[str]]:
    """Every indexed page of a language: its URL as Pagefind gives it, and its words."""
    prefix = "" if lang == "nl" else f"{lang}/"
    folder = site / prefix
    pages = {}
    for collection in pagefind_index.INDEXED:
        for path in sorted((folder / collection).glob("*/index.html")):
            text = compounds.text_of(indexed_part(path.read_text(encoding="utf-8")))
            text = _CASE_CHANGE.sub(" ", text)  # Pagefind also reads "CityLab" as "lab"
            url = "/" + prefix + path.parent.relative_to(folder).as_posix() + "/"
            pages[url] = {w.casefold() for w in _WORD.findall(text)}
    return pages


def judge(query: str, compounds: list[str], pages: dict[str, set[str]]
          ) -> tuple[set[str], set[str]]:
    """The exact and the compound-only pages of a query."""
    exact = {url for url, words in pages.items() if any(w.startswith(query) for w in words)}
    wanted = set(compounds)
    compound = {url for url, words in pages.items() if url not in exact and words & wanted}
    return exact, compound


_SEARCH = """
async ([bundle, queries]) => {
  const pf = await import(bundle + "pagefind.js");
  await pf.options({ basePath: bundle });
  const index = await (await fetch(bundle + "casebook-index.json")).json();
  for (const shard of index.shards) { await pf.mergeIndex(bundle + shard); }
  const out = {};
  for (const q of queries) {
    const found = await pf.search(q);
    // Ranked as the search page ranks (casebook-search-index.js): a match only in a
    // page's compound parts (from its partsFrom word on) after every other match.
    const tier = (r) => {
      const at = (index.pages[r.id] || [])[3];
      return at !== null && at !== undefined && Math.min(...r.words) >= at ? 1 : 0;
    };
    const ranked = found.results.map((r, n) => ({ r, n, t: tier(r) }))
      .sort((a, b) => a.t - b.t || a.n - b.n).map((x) => x.r);
    out[q] = await Promise.all(ranked.map(async (r) => (await r.data()).url));
  }
  return out;
}
"""


def search(base: str, lang: str, queries: list[str]) -> dict[str, list[str]]:
    """Each query's result URLs, best first, from the language's bundle in Chromium."""
    from playwright.sync_api import sync_playwright

    prefix = "" if lang == "nl" else f"{lang}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{base}/{prefix}search/")
            return page.evaluate(_SEARCH, [f"{base}/{prefix}pagefind/", queries])
        finally:
            browser.close()


def score(found: list[str], exact: set[str], compound: set[str]) -> dict[str, Any]:
    """Recall, precision and order of one query's results."""
    relevant = exact | compound
    hits = [u for u in found if u in relevant]
    pairs = in_order = 0
    rank = {u: n for n, u in enumerate(found)}
    for e in exact & set(found):
        for c in compound & set(found):
            pairs += 1
            in_order += rank[e] < rank[c]
    return {"found": len(found), "relevant": len(relevant), "hits": len(hits),
            "exact": len(exact), "compound": len(compound), "pairs": pairs,
            "in_order": in_order}


def _totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    found = sum(r["found"] for r in rows)
    relevant = sum(r["relevant"] for r in rows)
    hits = sum(r["hits"] for r in rows)
    pairs = sum(r["pairs"] for r in rows)
    return {"recall": hits / relevant if relevant else 1.0,
            "precision": hits / found if found else 1.0,
            "order": sum(r["in_order"] for r in rows) / pairs if pairs else 1.0,
            "pairs": pairs, "query_count": len(rows)}


def evaluate(built: Path) -> dict[str, Any]:
    """Index a copy of ``built`` without and with compounds; the figures of each."""
    queries = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="casebook-compounds-") as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(built, site)
        words = {lang: page_words(site, lang) for lang in queries}
        server, base = _serve(site)
        try:
            for variant, split in (("without", False), ("with", True)):
                report = pagefind_index.index_site(site, languages=list(queries),
                                                   compounds=split)
                figures: dict[str, Any] = {}
                for lang, index in zip(queries, report.languages, strict=True):
                    found = search(base, lang, list(queries[lang]))
                    rows = {}
                    for query, compounds in queries[lang].items():
                        exact, compound = judge(query, compounds, words[lang])
                        rows[query] = score(found[query], exact, compound)
                    figures[lang] = {**_totals(list(rows.values())), "queries": rows,
                                     "index_bytes": index.data_bytes}
                results[variant] = figures
        finally:
            server.shutdown()
    return results


def _print(results: dict[str, Any]) -> None:
    print(f"{'':8} {'lang':4} {'recall':>7} {'precision':>9} {'exact first':>11} "
          f"{'index data':>11}")
    for variant, figures in results.items():
        for lang, f in figures.items():
            print(f"{variant:8} {lang:4} {f['recall']:7.1%} {f['precision']:9.1%} "
                  f"{f['order']:11.1%} {f['index_bytes']:>9,} B")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    site = args.site
    if site is None:
        site = WORK / "compounds" / "site"
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                        str(ROOT / "mkdocs.yml"), "-d", str(site)], check=True,
                       env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    results = evaluate(site)
    _print(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
