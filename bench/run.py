"""Casebook benchmarks: ``make bench``.

Every figure is a ratio against a baseline measured in the same run, so the
numbers mean the same on a fast or a slow machine:

* validate: ``casebook validate`` on synthetic knowledge bases of 1,000 and
  10,000 cases against the floor of reading every file and parsing its
  front-matter with ``yaml.CSafeLoader``; plus peak memory.
* build: the site with every Casebook plugin against the same Markdown built
  with plain Material + mkdocs-static-i18n, at 500 and 1,000 bilingual cases;
  plus the growth from 500 to 1,000 and peak memory.
* search: at 1,000 and 10,000 cases, Pagefind index time and size, the search
  page's weight, and the wait and bytes per query and per filter change in
  headless Chromium (see ``bench/search.py``; ``--only search`` runs it alone).
* preview: the time from saving a case file to ``make preview`` serving the
  changed page, at 1,000 and 10,000 cases, and ``casebook validate FILE`` on a
  10,000-case base (times a person waits; see ``bench/preview.py``).

Each measurement runs in a fresh interpreter (``bench/measure.py``); timings
are the median of ``--repeat`` runs, alternating baseline and subject.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from build import bench_build  # noqa: E402
from harness import WORK, knowledge_base, measure, paired  # noqa: E402
from preview import bench_preview  # noqa: E402
from search import bench_search  # noqa: E402


def bench_validate(sizes: list[int], repeat: int) -> list[dict]:
    """validate vs the CSafeLoader floor."""
    rows = []
    for n in sizes:
        root = knowledge_base(n)
        r = paired("floor", root, "validate", root, repeat)
        rows.append({"cases": n, **r})
        print(f"validate {n:>6} cases: floor {r['baseline_s']:.2f} s, "
              f"casebook validate {r['subject_s']:.2f} s, ratio {r['ratio']:.2f} "
              f"(target <= 1.5), peak memory {r['peak_mb']:.0f} MB (target < 300)",
              flush=True)
    return rows


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=("validate", "build", "search", "preview"),
                        action="append")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="*", help="override the sizes")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()
    only = set(args.only or ("validate", "build", "search", "preview"))
    results: dict[str, object] = {}
    WORK.mkdir(exist_ok=True)
    if "validate" in only:
        results["validate"] = bench_validate(args.sizes or [1000, 10000], args.repeat)
    if "build" in only:
        results["build"] = bench_build(args.sizes or [500, 1000], args.repeat, knowledge_base,
                                       measure, paired)
    if "search" in only:
        results["search"] = bench_search(knowledge_base, args.sizes or [1000, 10000])
    if "preview" in only:
        results["preview"] = bench_preview(args.sizes or [1000, 10000], args.repeat,
                                           knowledge_base, WORK)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
