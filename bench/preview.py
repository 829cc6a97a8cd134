"""The contributor's wait: ``make preview``'s loop and ``casebook validate FILE``.

* preview: the preview is started on a copy of a synthetic base; then, ``repeat``
  times, a case file is written with a new title and the clock runs until the
  preview serves that case's page with it (file watcher, incremental check,
  pages rendered again, the server's answer). The pages that list the case
  follow in the background: also reported are the time until the table of all
  cases (asked for right after the case page) shows the new title, and the time
  the preview says every page was up to date.
* validate one file: ``casebook validate content/cases/<id>.nl.md`` in a fresh
  process on the base (interpreter start included: what a person waits for),
  beside ``casebook validate`` on the whole base.

These are times a person waits, reported as measured (medians); the targets
are 2 s (preview, 1,000 cases), 3 s (preview, 10,000 cases) and 1 s (one file,
10,000 cases).
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _site_root(kb: Path, dest: Path) -> Path:
    """The repository's site configuration over a copy of ``kb``'s content."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    if (ROOT / "overrides").is_dir():
        shutil.copytree(ROOT / "overrides", dest / "overrides")
    shutil.copytree(kb / "content", dest / "content")
    return dest


def _page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read().decode("utf-8")


def _title(html: str) -> str:
    m = re.search(r"<title>(.*?)</title>", html, re.S)
    return m.group(1) if m else ""


def preview_loop(kb: Path, work: Path, repeat: int) -> dict:
    """Start the preview on a copy of ``kb``; time ``repeat`` edits until served."""
    root = _site_root(kb, work)
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "casebook.mkdocs_plugins.preview", "-f",
         str(root / "mkdocs.yml"), "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if "Preview on" in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()

    def served(url: str) -> str:
        """The page at ``url``; a refused connection is retried while the preview runs."""
        for _ in range(100):
            try:
                return _page(url)
            except urllib.error.URLError:
                if process.poll() is not None:
                    raise SystemExit("the preview stopped:\n" + "".join(lines)) from None
                time.sleep(0.1)
        raise SystemExit(f"the preview does not answer at {url}:\n" + "".join(lines))

    try:
        while not ready.wait(1):
            if process.poll() is not None:
                raise SystemExit("the preview stopped:\n" + "".join(lines))
        start_s = time.perf_counter() - started
        waits, tables, everything = [], [], []
        cases = sorted((root / "content" / "cases").glob("case-*.nl.md"))
        for i in range(repeat):
            path = cases[(i * 7919) % len(cases)]
            case_id = path.name.split(".")[0]
            marker = f"Preview benchmark {i}"
            text = re.sub(r"(?m)^title: .*$", f"title: {marker}", path.read_text("utf-8"),
                          count=1)
            url = f"http://127.0.0.1:{port}/cases/{case_id}/"
            done = sum("Every page is up to date" in line for line in lines)
            t0 = time.perf_counter()
            path.write_text(text, encoding="utf-8")
            while marker not in _title(served(url)):
                if time.perf_counter() - t0 > 300:
                    raise SystemExit("the preview did not show the change:\n" + "".join(lines))
                time.sleep(0.01)
            waits.append(time.perf_counter() - t0)
            while marker not in served(f"http://127.0.0.1:{port}/cases/"):
                time.sleep(0.01)
            tables.append(time.perf_counter() - t0)
            while sum("Every page is up to date" in line for line in lines) <= done:
                if time.perf_counter() - t0 > 600:
                    raise SystemExit("the preview did not finish:\n" + "".join(lines))
                time.sleep(0.05)
            said = [line for line in lines if "Every page is up to date" in line][-1]
            everything.append(float(re.search(r"\(([\d.]+) s", said).group(1)))
            time.sleep(0.5)  # the watcher settles before the next edit
        updated = [line.strip() for line in lines if " updated in " in line]
        return {"start_s": start_s, "wait_s": statistics.median(waits), "max_s": max(waits),
                "waits": waits, "table_s": statistics.median(tables),
                "all_s": statistics.median(everything), "updates": updated[-1:] or [""]}
    finally:
        stop(process, timeout=60)


def stop(process: subprocess.Popen[str], timeout: float) -> None:
    """End a process started in a session of its own, and everything it started
    (``make preview`` runs Python under make): SIGTERM, then SIGKILL after ``timeout``."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _validate_time(root: Path, *paths: str) -> tuple[float, float]:
    """Wall-clock and CPU time of ``casebook validate`` in a fresh process."""
    casebook = Path(sys.executable).with_name("casebook")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    # --root: the base may sit inside another (bench/.work is inside the repository,
    # whose mkdocs.yml the command would otherwise find and validate instead).
    subprocess.run([str(casebook), "validate", "--root", str(root), *paths], cwd=root,
                   check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def validate_one(kb: Path, repeat: int) -> dict:
    """``casebook validate FILE`` vs ``casebook validate`` on the base, fresh processes."""
    one, whole, one_cpu = [], [], []
    cases = sorted((kb / "content" / "cases").glob("*.nl.md"))
    for i in range(repeat):
        path = cases[(i * 7919) % len(cases)]
        wall, cpu = _validate_time(kb, str(path.relative_to(kb)))
        one.append(wall)
        one_cpu.append(cpu)
        whole.append(_validate_time(kb)[0])
    return {"one_file_s": statistics.median(one), "one_file_cpu_s": statistics.median(one_cpu),
            "whole_base_s": statistics.median(whole)}


def bench_preview(sizes: list[int], repeat: int, knowledge_base: Callable[[int], Path],
                  work: Path) -> list[dict]:
    """The preview loop at each size, then one-file validation at the largest."""
    rows: list[dict] = []
    for n in sizes:
        r = preview_loop(knowledge_base(n), work / f"preview-{n}", repeat)
        target = 2 if n <= 1000 else 3
        rows.append({"cases": n, **r})
        print(f"preview {n:>6} cases: change served after {r['wait_s']:.2f} s (median, "
              f"max {r['max_s']:.2f} s; target <= {target} s); first build {r['start_s']:.0f} s;"
              f" {r['updates'][0]}", flush=True)
        print(f"preview {n:>6} cases: the table of all cases shows it after "
              f"{r['table_s']:.2f} s, every page is up to date after {r['all_s']:.2f} s "
              "(medians)", flush=True)
    n = max(sizes)
    v = validate_one(knowledge_base(n), repeat)
    rows.append({"cases": n, **v})
    print(f"validate one file, {n} cases: {v['one_file_s']:.2f} s (median; target <= 1 s; "
          f"CPU time {v['one_file_cpu_s']:.2f} s), whole base {v['whole_base_s']:.2f} s",
          flush=True)
    return rows
