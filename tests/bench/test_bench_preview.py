"""`make bench`'s preview loop works end to end (on a tiny base; no timing is asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.xdist_group("preview")
def test_preview_benchmark_times_edits_until_served(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    env = {**os.environ, "CASEBOOK_BENCH_WORK": str(tmp_path / "work"),
           "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--only", "preview", "--sizes", "12",
         "--repeat", "2", "--json", str(out)],
        capture_output=True, text=True, env=env, timeout=900, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    loop, one = json.loads(out.read_text(encoding="utf-8"))["preview"]
    assert loop["cases"] == 12 and len(loop["waits"]) == 2
    assert 0 < loop["wait_s"] <= loop["max_s"] and loop["start_s"] > 0
    assert "pages updated" in loop["updates"][0]
    # The edited page was served with the change (the loop waits for it), and the
    # edits are in the preview's copy, not in the shared synthetic base.
    copy = tmp_path / "work" / "preview-12" / "content" / "cases"
    assert any("Preview benchmark" in p.read_text(encoding="utf-8") for p in copy.iterdir())
    base = tmp_path / "work" / "kb-12" / "content" / "cases"
    assert not any("Preview benchmark" in p.read_text(encoding="utf-8") for p in base.iterdir())
    assert one["cases"] == 12 and one["one_file_s"] > 0 and one["whole_base_s"] > 0
    assert "change served after" in proc.stdout and "validate one file" in proc.stdout
