"""`make bench` works end to end (on tiny sizes; no timing is asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path: Path, *args: str) -> tuple[dict, str]:
    out = tmp_path / "results.json"
    env = {**os.environ, "CASEBOOK_BENCH_WORK": str(tmp_path / "work"), "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), *args, "--repeat", "1",
         "--json", str(out)],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(out.read_text(encoding="utf-8")), proc.stdout


def test_validate_benchmark_reports_ratio_and_memory(tmp_path: Path) -> None:
    results, stdout = _run(tmp_path, "--only", "validate", "--sizes", "40")
    (row,) = results["validate"]
    assert row["cases"] == 40
    assert row["baseline_s"] > 0 and row["subject_s"] > 0
    assert row["ratio"] == pytest.approx(row["subject_s"] / row["baseline_s"])
    assert row["peak_mb"] > 10
    assert "ratio" in stdout and "peak memory" in stdout


@pytest.mark.slow
@pytest.mark.xdist_group("bench_harness")
def test_build_benchmark_builds_both_sites(tmp_path: Path) -> None:
    results, stdout = _run(tmp_path, "--only", "build", "--sizes", "8", "16")
    rows = [r for r in results["build"] if "cases" in r]
    assert [r["cases"] for r in rows] == [8, 16]
    growth = results["build"][-1]
    assert growth["growth"] == pytest.approx(rows[1]["subject_s"] / rows[0]["subject_s"])
    for n in (8, 16):
        subject = tmp_path / "work" / f"build-{n}" / "site"
        baseline = tmp_path / "work" / f"baseline-{n}" / "site"
        # Both builds rendered every synthetic case in both languages ...
        for site in (subject, baseline):
            assert len(list((site / "cases").glob("case-*/index.html"))) == n
            assert len(list((site / "en" / "cases").glob("case-*/index.html"))) == n
        # ... and only the subject has Casebook's generated pages and search index.
        assert (subject / "kinds").is_dir() and (subject / "pagefind").is_dir()
        assert not (baseline / "kinds").exists() and not (baseline / "pagefind").exists()
    # The largest size again with the languages built one after the other in one process.
    (one,) = [r for r in results["build"] if "one_process_cases" in r]
    assert one["one_process_cases"] == 16
    assert len(list((tmp_path / "work" / "build-16" / "site-one-process" / "en" / "cases")
                    .glob("case-*/index.html"))) == 16
    for row in (*rows, one):  # CPU time is reported beside wall-clock time
        assert row["subject_cpu_s"] > 0 and row["baseline_cpu_s"] > 0
        assert row["cpu_ratio"] == pytest.approx(row["subject_cpu_s"] / row["baseline_cpu_s"])
    cpu_growth = rows[1]["subject_cpu_s"] / rows[0]["subject_cpu_s"]
    assert growth["cpu_growth"] == pytest.approx(cpu_growth)
    assert "growth" in stdout and "CPU time ratio" in stdout and "one after the other" in stdout


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.xdist_group("bench_harness")
def test_search_benchmark_reports_waits_bytes_and_page_weight(tmp_path: Path) -> None:
    results, stdout = _run(tmp_path, "--only", "search", "--sizes", "12")
    rows = results["search"]
    assert [(r["cases"], r["text"]) for r in rows] == [(12, "uniform"), (12, "real")]
    for row in rows:
        assert row["pages"] > 2 * 12
        assert row["page_bytes"] > 0
        assert [q["query"] for q in row["queries"]] == ["innovatie", "bouwsteen", "mobiliteit"]
        filters = [f["filter"] for f in row["filters"]]
        assert filters[:2] == ["kind=lab", "kind=challenge"] and filters[2].startswith("theme=")
        for wait in (*row["queries"], *row["filters"]):
            assert wait["latency_ms"] > 0 and wait["bytes"] >= 0
    # The two texts are two sites, each with its own synthetic base.
    assert (tmp_path / "work" / "build-12" / "site" / "search").is_dir()
    assert (tmp_path / "work" / "build-12-real" / "site" / "search").is_dir()
    assert "12 cases, real text" in stdout and "12 cases, uniform text" in stdout
    assert "after the last keystroke" in stdout and "after the click" in stdout
    assert "the search page weighs" in stdout


def test_real_text_takes_each_languages_words_with_the_cases_frequencies(
    tmp_path: Path,
) -> None:
    """The search benchmark's "real" text: a valid base whose Dutch and English
    bodies use only the words of the repository's own cases in that language,
    the most frequent ones most often; the "uniform" text is the 19-word list."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import synth
    finally:
        sys.path.remove(str(ROOT / "bench"))
    vocabulary = synth.real_words()
    real = synth.generate(tmp_path / "real", 30, text="real")
    uniform = synth.generate(tmp_path / "uniform", 30)
    for base in (real, uniform):
        proc = subprocess.run([sys.executable, "-m", "casebook.cli", "validate", "--root",
                               str(base)],
                              capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    counts: dict[str, dict[str, int]] = {}
    for lang in ("nl", "en"):
        known = set(vocabulary[lang].words)
        words: dict[str, int] = {}
        for path in (real / "content" / "cases").glob(f"*.{lang}.md"):
            body = path.read_text(encoding="utf-8").split("\n---", 1)[1]
            for line in body.splitlines():
                if line and not line.startswith("#"):
                    for word in line.split():
                        words[word] = words.get(word, 0) + 1
        assert set(words) <= known, set(words) - known
        counts[lang] = words
        uniform_words = {w for path in (uniform / "content" / "cases").glob(f"*.{lang}.md")
                         for line in path.read_text(encoding="utf-8").split("\n---", 1)[1]
                         .splitlines() if line and not line.startswith("#")
                         for w in line.split()}
        assert uniform_words <= set(synth._WORDS)
    # Frequent words come often: the commonest word of each language's cases is drawn
    # more than a word the cases use once.
    assert counts["nl"].get("de", 0) > 20 and counts["en"].get("the", 0) > 20
    assert set(counts["nl"]) != set(counts["en"])
