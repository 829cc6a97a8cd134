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
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = Path(os.environ.get("CASEBOOK_BENCH_WORK", HERE / ".work"))
sys.path.insert(0, str(HERE))

from synth import generate  # noqa: E402


def measure(task: str, path: Path) -> dict:
    """Run one task in a fresh interpreter and return its JSON report."""
    out = subprocess.run(
        [sys.executable, str(HERE / "measure.py"), task, str(path)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def paired(base_task: str, base_path: Path, task: str, path: Path, repeat: int) -> dict:
    """Alternate baseline and subject ``repeat`` times; medians and peak memory."""
    base, subject, base_cpu, subject_cpu = [], [], [], []
    peak = 0.0
    for _ in range(repeat):
        b = measure(base_task, base_path)
        s = measure(task, path)
        base.append(b["seconds"])
        subject.append(s["seconds"])
        base_cpu.append(b.get("cpu_s", 0.0))
        subject_cpu.append(s.get("cpu_s", 0.0))
        peak = max(peak, s["peak_mb"])
    b, s = statistics.median(base), statistics.median(subject)
    bc, sc = statistics.median(base_cpu), statistics.median(subject_cpu)
    return {"baseline_s": b, "subject_s": s, "ratio": s / b, "peak_mb": peak,
            "baseline_cpu_s": bc, "subject_cpu_s": sc, "cpu_ratio": sc / bc if bc else 0.0}


def knowledge_base(cases: int, text: str = "uniform") -> Path:
    """A synthetic knowledge base with ``cases`` cases, made once per size and text
    (``synth.TEXTS``)."""
    root = WORK / (f"kb-{cases}" if text == "uniform" else f"kb-{cases}-{text}")
    marker = root / ".complete"
    if not marker.exists():
        shutil.rmtree(root, ignore_errors=True)
        generate(root, cases, text=text)
        marker.touch()
    return root


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
        from build import bench_build

        results["build"] = bench_build(args.sizes or [500, 1000], args.repeat, knowledge_base,
                                       measure, paired)
    if "search" in only:
        from search import bench_search

        results["search"] = bench_search(knowledge_base, args.sizes or [1000, 10000])
    if "preview" in only:
        from preview import bench_preview

        results["preview"] = bench_preview(args.sizes or [1000, 10000], args.repeat,
                                           knowledge_base, WORK)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
