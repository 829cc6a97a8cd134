"""Run one benchmark task in this process and print its time and peak memory.

Each task runs in a fresh interpreter (started by ``bench/run.py``) so that
peak memory (``ru_maxrss``) belongs to that task alone (plus its largest
child process). CPU time counts the children too (Pagefind, a forked build). Imports happen before
the clock starts; the clock covers the work only.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def floor(root: Path) -> int:
    """Read every entry file and parse its front-matter with yaml.CSafeLoader."""
    import yaml

    n = 0
    for collection in ("cases", "organisations"):
        for path in sorted((root / "content" / collection).iterdir()):
            lines = path.read_bytes().decode("utf-8").split("\n")
            end = lines.index("---", 1)
            yaml.load("\n".join(lines[1:end]), Loader=yaml.CSafeLoader)
            n += 1
    return n


def validate(root: Path) -> int:
    """What ``casebook validate`` does, minus printing."""
    from casebook.checks.validate import validate as run

    diagnostics, files = run(root)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        raise SystemExit(f"synthetic base is not valid: {errors[0].format_text()}")
    return files


def build(config_file: Path) -> int:
    """``mkdocs build`` of one configuration, with the command's plugin events."""
    import logging

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    config = load_config(str(config_file))
    config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    return sum(1 for _ in Path(config["site_dir"]).rglob("*.html"))


TASKS = {"floor": floor, "validate": validate, "build": build}


def main() -> None:
    """``python bench/measure.py TASK PATH`` prints one JSON line."""
    task, arg = sys.argv[1], Path(sys.argv[2])
    if task == "build":  # import the engine before the clock starts
        import mkdocs.commands.build  # noqa: F401
    elif task == "validate":
        import casebook.checks.validate  # noqa: F401
        from casebook.content.vocab import load_vocabularies

        load_vocabularies()
    cpu_start = _cpu()
    start = time.perf_counter()
    count = TASKS[task](arg)
    seconds = time.perf_counter() - start
    cpu = _cpu() - cpu_start
    # This process plus its largest child (a forked language build, Pagefind): an
    # upper bound of what was in memory at once.
    peak_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
               + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    print(json.dumps({"task": task, "seconds": seconds, "cpu_s": cpu, "peak_mb": peak_mb,
                      "count": count}))


def _cpu() -> float:
    """CPU seconds of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
