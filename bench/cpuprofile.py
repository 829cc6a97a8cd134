"""Where a site build's CPU time goes: ``make profile`` (``bench/cpuprofile.py``).

(Not ``profile.py``: that would hide the standard library module of that name.)

Builds the synthetic knowledge base of ``--cases`` cases (``bench/synth.py``)
with the repository's ``mkdocs.yml``, both languages in this one process
(``parallel_languages: false``, so every language's work is counted), and
reports CPU time (``time.process_time``):

* per plugin event handler (``plugin.method``), per language, exclusive of
  the handlers and pages nested in it (static-i18n's ``on_post_build`` runs
  the other languages' builds);
* per page kind (case, organisation, generated listing, other) and language:
  MkDocs reading and rendering the Markdown (``_populate_page``) and the theme
  template (``_build_page``), exclusive of the plugin events inside them;
* what is left: MkDocs itself (files, navigation, static files, theme templates);
* Pagefind's own processes (child CPU time, once they ended).

With ``--functions`` the build also runs under :mod:`cProfile` and the
functions with the most own time are listed (``--pstats FILE`` keeps the
statistics for ``python -m pstats``), timed in CPU time as well; the profiler
roughly doubles the time of Python code, so the event table of that run is
inflated. ``static-i18n: on_post_build`` holds the other languages' MkDocs work
outside pages and plugin events (it runs their builds).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import logging
import pstats
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mkdocs.commands.build as mkbuild
from casebook.mkdocs_plugins import common
from mkdocs.config import load_config

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build import one_process, prepare  # noqa: E402
from harness import knowledge_base  # noqa: E402

#: Folders of generated listing pages (overviews and the tables of cases).
LISTINGS = {"kinds", "themes", "mechanisms", "barriers", "countries", "stages", "cases",
            "organisations"}


class Clock:
    """Exclusive CPU time per label: a nested timed call is taken out of its caller."""

    def __init__(self) -> None:
        self.own: dict[tuple[str, str], float] = defaultdict(float)
        self.calls: dict[tuple[str, str], int] = defaultdict(int)
        self._stack: list[float] = []  # time spent in nested timed calls, per level

    def timed(self, label: Callable[..., tuple[str, str]],
              func: Callable[..., Any]) -> Callable[..., Any]:
        """``func`` with its exclusive CPU time added under ``label(*args, **kwargs)``."""

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            key = label(*args, **kwargs)
            self._stack.append(0.0)
            start = time.process_time()
            try:
                return func(*args, **kwargs)
            finally:
                spent = time.process_time() - start
                nested = self._stack.pop()
                self.own[key] += spent - nested
                self.calls[key] += 1
                if self._stack:
                    self._stack[-1] += spent

        return wrapper


def page_kind(url: str, languages: tuple[str, ...]) -> str:
    """``case``, ``organisation``, ``listing`` or ``other`` for a page URL."""
    parts = [p for p in url.split("/") if p]
    if parts and parts[0] in languages:
        parts = parts[1:]
    if len(parts) == 2 and parts[0] in ("cases", "organisations"):
        return "case page" if parts[0] == "cases" else "organisation page"
    if parts and parts[0] in LISTINGS:
        return "listing page"
    return "other page"


def instrument(config: Any, clock: Clock) -> None:
    """Time every plugin event handler and MkDocs' two per-page steps."""
    plugins = config.plugins

    def lang() -> str:
        return common.current_language(config)

    for event, methods in plugins.events.items():
        for i, method in enumerate(methods):
            origin = plugins._event_origins.get(method, "?")
            name = getattr(method, "__name__", "?")
            label = f"{origin}: {name}" if name == f"on_{event}" else f"{origin}: {name} ({event})"
            wrapped = clock.timed(lambda *a, _label=label, **k: (_label, lang()), method)
            methods[i] = wrapped
            plugins._event_origins[wrapped] = origin
    languages = tuple(common.build_languages(config))

    def page_label(step: str) -> Callable[..., tuple[str, str]]:
        return lambda page, *a, **k: (f"MkDocs {step}: {page_kind(page.url, languages)}", lang())

    mkbuild._populate_page = clock.timed(page_label("Markdown"), mkbuild._populate_page)
    mkbuild._build_page = clock.timed(page_label("template"), mkbuild._build_page)


def subject_config(cases: int) -> Path:
    """The repository's ``mkdocs.yml`` over the synthetic base, languages one by one."""
    subject, _ = prepare(knowledge_base(cases), cases, "-profile")
    return one_process(subject)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--top", type=int, default=40, help="rows of each table")
    parser.add_argument("--functions", action="store_true",
                        help="also run under cProfile and list the costliest functions")
    parser.add_argument("--pstats", type=Path, help="write the cProfile statistics here")
    args = parser.parse_args()

    config_file = subject_config(args.cases)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    config = load_config(str(config_file))
    clock = Clock()
    instrument(config, clock)
    profiler = cProfile.Profile(time.process_time) if args.functions or args.pstats else None
    children = children_cpu()
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkbuild.build(config)
    finally:
        config.plugins.on_shutdown()
        if profiler:
            profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    pagefind = children_cpu() - children

    timed = sum(clock.own.values())
    print(f"{args.cases} cases, both languages in one process: {cpu:.2f} s CPU "
          f"({wall:.2f} s wall), Pagefind processes {pagefind:.2f} s CPU"
          + (" (under cProfile)" if profiler else ""))
    print(f"\n{'CPU s':>7} {'share':>6} {'calls':>6}  lang  what")
    rows = sorted(clock.own.items(), key=lambda kv: -kv[1])
    rows.append((("MkDocs outside pages and events (files, nav, theme files)", "*"),
                 cpu - timed))
    rows.sort(key=lambda kv: -kv[1])
    for (label, lang), seconds in rows[:args.top]:
        calls = clock.calls.get((label, lang), 0)
        print(f"{seconds:7.2f} {seconds / cpu:6.1%} {calls:6d}  {lang:4}  {label}")
    totals: dict[str, float] = defaultdict(float)
    for (label, _), seconds in clock.own.items():
        totals[label] += seconds
    print("\nBoth languages together:")
    for label, seconds in sorted(totals.items(), key=lambda kv: -kv[1])[:args.top]:
        print(f"{seconds:7.2f} {seconds / cpu:6.1%}  {label}")
    if profiler:
        if args.pstats:
            profiler.dump_stats(str(args.pstats))
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(args.top)
        print("\nFunctions by own time (cProfile):")
        print(out.getvalue().split("\n", 6)[-1] if out.getvalue() else "")


if __name__ == "__main__":
    main()
