"""The plugins' shared knowledge-base cache notices every change to content/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from casebook.mkdocs_plugins import common

ONELANG = Path(__file__).parent / "fixtures" / "onelang"


def test_a_file_replaced_by_an_older_one_is_reloaded(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(ONELANG, root)
    first = common.knowledge_base(root)
    assert common.knowledge_base(root) is first  # unchanged: served from the cache
    case = next(f for f in sorted((root / "content" / "cases").iterdir()))
    stat = case.stat()
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("title: ", "title: Herzien ", 1), encoding="utf-8")
    # Same number of files and an mtime older than any before: still a change.
    os.utime(case, ns=(stat.st_atime_ns, stat.st_mtime_ns - 10**12))
    second = common.knowledge_base(root)
    assert second is not first
    entry = second.cases[case.name.split(".")[0]]
    assert entry.files[case.name.split(".")[1]].data["title"].startswith("Herzien ")
