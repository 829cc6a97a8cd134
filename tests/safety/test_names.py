"""Names by full match: whole names only, no control characters, no Windows device names.

The files are made in a temporary folder (a device name in this repository would
stop Windows users from cloning it).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from casebook.content.allowlist import ENTRY_NAME, policy, walk
from casebook.content.model import ID_PATTERN
from PIL import Image


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()
ENTRY = "---\ntitle: x\n---\n\nText.\n"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="names Windows refuses")


def _tree(tmp: Path, files: dict[str, bytes | str]):
    for rel, data in files.items():
        path = tmp / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    return walk(tmp)


@pytest.mark.parametrize("rel", [
    "cases/x.nl.md\n", "cases/x\n.nl.md", "contribute.nl.md\n", "images/kaart\n.png",
    "images/kaart.png\n", "images/kaart\t.png", "images/a\x1bb.png", "images/sub\n/a.png",
])
def test_a_final_line_feed_or_control_character_is_refused(tmp_path: Path, rel: str) -> None:
    tree = _tree(tmp_path, {rel: ENTRY if ".md" in rel else PNG})
    assert tree.entries == [] and tree.published == []
    assert [p[0] for p in tree.problems] == [rel]
    assert tree.problems[0][1] in ("file-name", "not-allowed")


@pytest.mark.parametrize("rel", [
    "cases/aux.nl.md", "cases/con.en.md", "cases/NUL.nl.md", "organisations/com1.nl.md",
    "images/lpt9.png", "images/aux.jpeg", "images/con/photo.png", "images/prn.png",
    "images/com0.gif",
])
def test_windows_device_names_are_refused(tmp_path: Path, rel: str) -> None:
    tree = _tree(tmp_path, {rel: ENTRY if rel.endswith(".md") else PNG})
    assert tree.entries == [] and tree.published == []
    assert [p[0] for p in tree.problems] == [rel]
    assert tree.problems[0][1] == "file-name"
    assert "Windows" in tree.problems[0][2]


@pytest.mark.parametrize("rel", [
    # legitimate names near the line: a device name inside or around a longer name
    "cases/auxiliary.nl.md", "cases/con-tact.en.md", "cases/com10.nl.md", "cases/null.nl.md",
    "cases/lpt.nl.md", "images/aux-kaart.png", "images/console/photo.png", "images/com.png",
    "organisations/prn-nl.nl.md", "contribute.en.md",
])
def test_names_near_the_line_are_accepted(tmp_path: Path, rel: str) -> None:
    tree = _tree(tmp_path, {rel: ENTRY if rel.endswith(".md") else PNG})
    assert tree.problems == []
    assert len(tree.entries) + len(tree.published) == 1


def test_the_patterns_match_whole_names_only() -> None:
    rules = policy()
    for pattern in (rules.id_pattern, rules.asset_name, ID_PATTERN):
        assert pattern.match("kaart")
        assert not pattern.match("kaart\n")
        assert not pattern.fullmatch("kaart\n")
    assert ENTRY_NAME.fullmatch("x.nl.md")
    assert not ENTRY_NAME.match("x.nl.md\n")
    assert rules.device_name("COM1.tar.gz") and rules.device_name("aux . png")
    assert not rules.device_name("com10") and not rules.device_name("auxiliary.png")
