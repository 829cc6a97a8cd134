"""What every benchmark shares: a task measured in a fresh interpreter, baseline and
subject alternated, and the synthetic knowledge bases, made once per size and text."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from synth import generate

HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("CASEBOOK_BENCH_WORK", HERE / ".work"))


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
