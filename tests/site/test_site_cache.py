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


def test_content_is_looked_at_once_per_build_config(tmp_path: Path, monkeypatch) -> None:
    """The plugins and the language builds of one build share one look at content/;
    the next build (a new config, as every `mkdocs serve` rebuild has) looks again."""
    from mkdocs.config.defaults import MkDocsConfig

    root = tmp_path / "kb"
    shutil.copytree(ONELANG, root)
    looks = []
    real_stamp = common._stamp
    monkeypatch.setattr(common, "_stamp", lambda r: looks.append(r) or real_stamp(r))
    build = MkDocsConfig()
    first = common.knowledge_base(root, build)
    for _ in range(5):  # pages, overviews, search, data; nl and en
        assert common.knowledge_base(root, build) is first
    assert len(looks) == 1
    case = next(f for f in sorted((root / "content" / "cases").iterdir()))
    case.write_text(case.read_text(encoding="utf-8").replace("title: ", "title: Nieuw ", 1),
                    encoding="utf-8")
    rebuild = MkDocsConfig()
    second = common.knowledge_base(root, rebuild)
    assert len(looks) == 2 and second is not first
    unchanged = common.knowledge_base(root, MkDocsConfig())
    assert len(looks) == 3 and unchanged is second  # looked again, nothing to reload


def test_navigation_is_rendered_once_per_folder(repo_root: Path) -> None:
    """``casebook_once``: the theme's navigation for pages outside it is rendered
    once per folder (its relative links differ between folders, not within one)."""
    from casebook.mkdocs_plugins.pages.plugin import _once

    calls = []
    once = _once({})

    def caller() -> str:
        calls.append(1)
        return f"<nav>{len(calls)}</nav>"

    assert once("nav", "cases/a/", caller=caller) == "<nav>1</nav>"
    assert once("nav", "cases/b/", caller=caller) == "<nav>1</nav>"  # same folder
    assert once("nav", "organisations/x/", caller=caller) == "<nav>2</nav>"
    assert once("nav", "en/cases/a/", caller=caller) == "<nav>3</nav>"
    assert len(calls) == 3
    # The theme override uses it for the navigation sidebar.
    template = (repo_root / "overrides" / "main.html").read_text(encoding="utf-8")
    assert '{% call casebook_once("nav", page.url) %}' in template
