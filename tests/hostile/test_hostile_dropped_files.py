"""Random files dropped into content/: nothing outside the allowlist reaches site/.

Hypothesis drops files with random names (allowed ones, near misses by case, space
or suffix, folders where none belong, theme paths) and random types (entries,
images, SVG, HTML, script, random bytes) into the content/ of a small knowledge
base. For many drops the validator must not crash and must account for every
file: published (an allowed page or image), read as an entry, or named by an
error. For a few drops a real ``mkdocs build --strict`` must fail whenever the
validator found an error, and no refused file's bytes may appear in site/.
"""

from __future__ import annotations

import base64
import shutil
import struct
import tempfile
import zlib
from pathlib import Path

import pytest
from casebook.checks.validate import validate
from casebook.content.allowlist import policy
from casebook.content.model import load
from hostile_corpus import BASE, TODAY
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from sitebuild import mkdocs_build, site_root_with

Drop = tuple[str, bytes]


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x00\x80\x80")) + chunk(b"IEND", b""))


ENTRY = (BASE / "organisations" / "safe-org.nl.md").read_bytes()
KINDS: dict[str, bytes] = {
    "entry": ENTRY,
    "png": _png(),
    "gif": bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c000000"
                         "00010001000002024401003b"),
    "webp": base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=="),
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "html": b"<!doctype html><script>alert(1)</script>",
    "script": b"window.__pwned = 1;",
    "markdown": b"# Kop\n\n<script>alert(1)</script>\n",
}
FOLDERS = ["", "cases/", "organisations/", "images/", "images/kaarten/", "images/Kaarten/",
           "cases/sub/", "assets/javascripts/", "assets/stylesheets/", "pagefind/", "en/",
           "images/a/b/c/d/"]
STEMS = ["x", "kaart", "index", "contribute", "search", "a-b", "Upper", "trail ", " lead",
         "ümlaut", "__config", "robots", "feed", "404", ".hidden"]
SUFFIXES = [".nl.md", ".en.md", ".de.md", ".nl.MD", ".NL.md", ".nl.markdown", ".nl.mdown",
            ".md", ".png", ".PNG", ".jpg", ".gif", ".webp", ".avif", ".svg", ".html", ".xml",
            ".xhtml", ".txt", ".js", ".css", ""]


@st.composite
def drops(draw: st.DrawFn) -> list[Drop]:
    """A few (path below content/, bytes) pairs; every file carries a unique marker."""
    count = draw(st.integers(1, 5))
    out: list[Drop] = []
    for i in range(count):
        path = (draw(st.sampled_from(FOLDERS)) + draw(st.sampled_from(STEMS))
                + draw(st.sampled_from(SUFFIXES)))
        kind = draw(st.sampled_from([*KINDS, "random"]))
        data = draw(st.binary(max_size=48)) if kind == "random" else KINDS[kind]
        marker = f"\n<!-- dropped-{i}-{draw(st.integers(0, 10**9))} -->\n".encode()
        out.append((path, data + marker))
    return out


def _lay(root: Path, files: list[Drop]) -> list[Drop]:
    """Copy the base knowledge base and the drops into ``root``; the drops written."""
    shutil.copytree(BASE, root / "content", dirs_exist_ok=True)
    written = []
    for rel, data in files:
        target = root / "content" / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                continue
            target.write_bytes(data)
        except (NotADirectoryError, FileExistsError, IsADirectoryError):
            continue  # a file where another drop put a folder: not this test's concern
        written.append((rel, data))
    return written


def _accounted(root: Path) -> tuple[bool, set[str]]:
    """Validate: (any error?, the content/ paths that are refused)."""
    diagnostics, _ = validate(root, today=TODAY)
    kb = load(root)
    published = set(kb.published) | {f.rel for f in kb.files()}
    named = {d.path for d in diagnostics if d.severity == "error"}
    for path in sorted((root / "content").rglob("*")):
        if path.is_file():
            rel = path.relative_to(root).as_posix()
            assert rel in published or rel in named, f"{rel} was neither published nor refused"
    for rel in kb.published:  # what is published is what the allowlist names
        inside = rel.split("/", 1)[1]
        rules = policy()
        assert (inside.startswith(f"{rules.asset_folder}/")
                or inside.split(".", 1)[0] in rules.pages), rel
    return bool(named), named


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drops())
def test_every_dropped_file_is_published_by_the_allowlist_or_refused(files: list[Drop]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _lay(root, files)
        _accounted(root)


@pytest.mark.slow
@settings(max_examples=3, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(drops())
@example([("images/kaarten/kaart.png", KINDS["png"] + b"<!-- dropped-0-1 -->"),
          ("images/punt.webp", KINDS["webp"] + b"<!-- dropped-1-1 -->")])  # all allowed
@example([("images/kaart.png", KINDS["png"] + b"<!-- dropped-0-2 -->"),
          ("assets/javascripts/casebook.js", KINDS["script"] + b"<!-- dropped-1-2 -->")])
def test_a_real_build_publishes_nothing_the_allowlist_refuses(files: list[Drop]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        written = _lay(work / "kb", files)
        has_errors, refused = _accounted(work / "kb")
        root = site_root_with(work / "kb" / "content", work / "root")
        result = mkdocs_build(root / "mkdocs.yml", root / "site", check=False)
        assert "Traceback" not in result.stdout + result.stderr
        if has_errors:
            assert result.returncode != 0, "the build went on although the validator refused"
        else:  # a known page (contribute) is not validated: the post-build scan guards it
            output = result.stdout + result.stderr
            assert result.returncode == 0 or "casebook/safety" in output, output
            for rel, data in written:
                if rel.startswith("images/"):
                    assert (root / "site" / rel).read_bytes() == data, rel
        markers = [data[data.rindex(b"<!-- dropped-"):] for rel, data in written
                   if f"content/{rel}" in refused]
        for path in (root / "site").rglob("*"):
            if path.is_file():
                raw = path.read_bytes()
                for marker in markers:
                    assert marker not in raw, f"{path}: a refused file reached the site"
