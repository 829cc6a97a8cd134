"""Build benchmark: the Casebook site against plain Material + mkdocs-static-i18n.

The subject is the repository's own ``mkdocs.yml`` (every Casebook plugin,
overrides and all) over a synthetic bilingual knowledge base. The baseline
builds the very same Markdown with the same theme and i18n settings but
without any Casebook plugin, override or hook: plain Material with its own
search plugin (the one Casebook replaces with Pagefind) and mkdocs-static-i18n,
with cases kept out of the navigation as in the real site.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = Path(os.environ.get("CASEBOOK_BENCH_WORK", HERE / ".work"))


class _Loose(yaml.SafeLoader):
    """Reads mkdocs.yml, keeping ``!!python/name`` and ``!ENV`` tags as text."""


_Loose.add_multi_constructor("", lambda loader, suffix, node: None)


def _is_casebook(entry: Any) -> bool:
    name = next(iter(entry)) if isinstance(entry, dict) else entry
    return str(name).startswith("casebook")


def prepare(kb: Path, n: int, name: str = "") -> tuple[Path, Path]:
    """Write the subject and baseline configurations for a knowledge base
    (in ``build-<n><name>`` and ``baseline-<n><name>``)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loose)
    subject_dir = WORK / f"build-{n}{name}"
    base_dir = WORK / f"baseline-{n}{name}"
    for folder in (subject_dir, base_dir):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    # The same docs folder for both: the synthetic entries plus the repository's
    # own non-entry pages (contributor guide, assets).
    docs = subject_dir / "content"
    shutil.copytree(kb / "content", docs)
    for item in (ROOT / "content").iterdir():
        if item.name in ("cases", "organisations"):
            continue
        if item.is_dir():
            shutil.copytree(item, docs / item.name)
        else:
            shutil.copy2(item, docs / item.name)
    if (ROOT / "overrides").is_dir():
        shutil.copytree(ROOT / "overrides", subject_dir / "overrides")
    subject = dict(config, site_dir=str(subject_dir / "site"))
    (subject_dir / "mkdocs.yml").write_text(yaml.safe_dump(subject, allow_unicode=True),
                                            encoding="utf-8")
    baseline = {
        k: v for k, v in config.items()
        if k not in ("hooks", "extra_css", "extra_javascript", "nav", "validation")
    }
    baseline["theme"] = {k: v for k, v in config["theme"].items() if k != "custom_dir"}
    baseline["plugins"] = ["search"] + [
        p for p in config.get("plugins", []) if not _is_casebook(p)
    ]
    baseline["docs_dir"] = str(docs)
    baseline["site_dir"] = str(base_dir / "site")
    # Only the home page in the navigation: cases stay out of it, as in the real site.
    baseline["nav"] = [{"Casebook": "contribute.md"}]
    (base_dir / "mkdocs.yml").write_text(yaml.safe_dump(baseline, allow_unicode=True),
                                         encoding="utf-8")
    return subject_dir / "mkdocs.yml", base_dir / "mkdocs.yml"


def one_process(subject: Path) -> Path:
    """A copy of the subject configuration (beside it, ``mkdocs-one-process.yml``) that
    builds the languages one after the other in one process (``parallel_languages:
    false``), as on a single core; its site goes to ``site-one-process``."""
    config = yaml.safe_load(subject.read_text(encoding="utf-8"))
    plugins = []
    for entry in config["plugins"]:
        if entry == "casebook/pages" or (isinstance(entry, dict) and "casebook/pages" in entry):
            options = dict(entry["casebook/pages"] or {}) if isinstance(entry, dict) else {}
            entry = {"casebook/pages": {**options, "parallel_languages": False}}
        plugins.append(entry)
    config["plugins"] = plugins
    config["site_dir"] = str(subject.parent / "site-one-process")
    out = subject.parent / "mkdocs-one-process.yml"
    out.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return out


def bench_build(sizes: list[int], repeat: int, knowledge_base: Callable[[int], Path],
                measure: Callable[..., dict], paired: Callable[..., dict]) -> list[dict]:
    """Time both builds per size; report ratios, growth and peak memory; at the largest
    size also the Casebook build in one process (``parallel_languages: false``)."""
    rows = []
    for n in sizes:
        subject, baseline = prepare(knowledge_base(n), n)
        r = paired("build", baseline, "build", subject, repeat)
        rows.append({"cases": n, **r})
        print(f"build    {n:>6} cases: plain Material + i18n {r['baseline_s']:.1f} s "
              f"({r['baseline_cpu_s']:.1f} s CPU), Casebook {r['subject_s']:.1f} s "
              f"({r['subject_cpu_s']:.1f} s CPU), ratio {r['ratio']:.2f} (target <= 1.25), "
              f"CPU time ratio {r['cpu_ratio']:.2f} (target <= 1.5), "
              f"peak memory {r['peak_mb']:.0f} MB", flush=True)
    if rows:
        n = rows[-1]["cases"]
        r = paired("build", WORK / f"baseline-{n}" / "mkdocs.yml", "build",
                   one_process(WORK / f"build-{n}" / "mkdocs.yml"), repeat)
        rows.append({"one_process_cases": n, **r})
        print(f"build    {n:>6} cases, languages one after the other (parallel_languages: "
              f"false): plain {r['baseline_s']:.1f} s, Casebook {r['subject_s']:.1f} s, "
              f"ratio {r['ratio']:.2f}; CPU time ratio {r['cpu_ratio']:.2f} (target <= 1.5), "
              f"peak memory {r['peak_mb']:.0f} MB", flush=True)
    sized = [r for r in rows if "cases" in r]
    if len(sized) >= 2:
        growth = sized[-1]["subject_s"] / sized[0]["subject_s"]
        cpu_growth = sized[-1]["subject_cpu_s"] / sized[0]["subject_cpu_s"]
        size = sized[-1]["cases"] / sized[0]["cases"]
        print(f"build    growth {sized[0]['cases']} -> {sized[-1]['cases']} cases "
              f"(x{size:g}): time x{growth:.2f}, CPU time x{cpu_growth:.2f} (target <= 2.2)",
              flush=True)
        rows.append({"growth": growth, "cpu_growth": cpu_growth, "size_factor": size})
    return rows
