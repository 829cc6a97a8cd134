"""Property-based: whatever a file holds, validation only returns diagnostics.

Arbitrary YAML-ish front-matter and arbitrary bytes are written into a copy of
the minimal base; ``validate()`` must return diagnostics (never raise) and must
not change anything on disk.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from casebook.checks.validate import validate
from casebook.content.diagnostics import Diagnostic
from core_kb import TODAY, build_kb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TARGETS = ("content/cases/lab-one.nl.md", "content/cases/lab-one.en.md",
           "content/cases/fresh.nl.md", "content/organisations/acme.nl.md",
           "content/organisations/Acme.en.md")
KEYS = ("title", "summary", "kind", "organisations", "countries", "themes", "mechanisms",
        "period", "start", "end", "stage", "links", "url", "sources", "related", "uses",
        "reviewed", "lab", "challenge", "budget", "selected", "submissions", "building_blocks",
        "id", "role", "name", "country", "website", "identifiers", "translation", "schema",
        "<<", "?", "-", "x")
SCALARS = ("NO", "yes", "on", "~", "null", "", "1e3", "0x1F", "0b_", "0o7", "12:30", ".inf",
           "2024-02-30", "2019-13", "2024-05-01", "https://x.org", "http://x", "javascript:x",
           "acme", "blocks/open-api", "lab", "challenge", "repository", "TODO", "&a x", "*a",
           "!!str x", "!!python/object:os.system x", "'quoted'", '"dq\\u202e"', "[", "]", "{",
           "}", "|", ">", "- ", "---", "...", "%YAML 1.1", "9" * 50, "\u200b", "\t", "é")


def _scalar() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(SCALARS), st.text(max_size=12))


def _plain() -> st.SearchStrategy[str]:
    """Scalars that keep the surrounding YAML well-formed most of the time."""
    return st.one_of(st.sampled_from(SCALARS[:26]), st.from_regex(r"[A-Za-z0-9 ._/-]{0,12}",
                                                                   fullmatch=True))


@st.composite
def _value(draw: st.DrawFn, depth: int = 0) -> list[str]:
    """Lines of one YAML value (the first line follows ``key:``)."""
    form = draw(st.integers(0, 5 if depth < 2 else 2))
    if form == 0:
        return [f" {draw(_plain())}"]
    if form == 1:
        return [f" [{', '.join(draw(st.lists(_plain(), max_size=4)))}]"]
    if form == 2:
        pairs = draw(st.lists(st.tuples(st.sampled_from(KEYS[:30]), _plain()), max_size=3,
                              unique_by=lambda kv: kv[0]))
        return [" {" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"]
    if form == 3:
        return [""] + [f"  - {draw(_plain())}" for _ in range(draw(st.integers(1, 3)))]
    if form == 4:  # a list of mappings, like organisations or links
        lines = [""]
        for _ in range(draw(st.integers(1, 2))):
            pairs = draw(st.lists(st.tuples(st.sampled_from(KEYS[:30]), _plain()), min_size=1,
                                  max_size=3, unique_by=lambda kv: kv[0]))
            lines.append("  - " + "\n    ".join(f"{k}: {v}" for k, v in pairs))
        return lines
    nested = draw(_mapping(depth + 1))
    return [""] + ["  " + line for line in nested]


@st.composite
def _mapping(draw: st.DrawFn, depth: int = 0) -> list[str]:
    keys = draw(st.lists(st.sampled_from(KEYS), max_size=12 if depth == 0 else 3, unique=True))
    lines: list[str] = []
    for key in keys:
        value = draw(_value(depth))
        lines.append(f"{key}:{value[0]}")
        lines += value[1:]
    return lines


@st.composite
def _yamlish(draw: st.DrawFn) -> str:
    """Mostly well-formed front-matter, sometimes with a raw line of noise."""
    lines = "\n".join(draw(_mapping())).split("\n")
    if lines and draw(st.integers(0, 3)) == 0:
        noise = draw(st.one_of(_scalar(), st.sampled_from(("  - x", "? [a]", ": b", "x: &a 1",
                                                           "y: *a", "k: !!int 3")).map(str)))
        lines.insert(draw(st.integers(0, len(lines))), noise)
    return "\n".join(lines)


@st.composite
def _markdown_file(draw: st.DrawFn) -> bytes:
    body = draw(st.one_of(
        st.text(max_size=80),
        st.sampled_from(("## Context\n\nTekst.", "<script>x</script>", "```\n<iframe>\n```",
                         "[a](javascript:x)", "TODO", "`<embed>` <a onclick=x>")),
    ))
    newline = draw(st.sampled_from(("\n", "\r\n")))
    text = newline.join(["---", draw(_yamlish()), "---", body])
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text.encode("utf-8", errors="surrogatepass")


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file() and not path.is_symlink():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _check(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = build_kb(Path(tmp) / "kb")
        for rel, raw in files.items():
            (root / rel).write_bytes(raw)
        before = _tree_digest(root)
        diagnostics, count = validate(root, today=TODAY)
        assert _tree_digest(root) == before
        assert count >= 5
        for d in diagnostics:
            assert isinstance(d, Diagnostic)
            assert d.severity in ("error", "warning")
            assert d.line >= 1 and d.column >= 1
            assert (root / d.path).exists() or (root / d.path).is_symlink()
            d.format_text()
        # with a path, the same file is still checked without raising
        validate(root, [root / next(iter(files))], today=TODAY)


@SETTINGS
@given(target=st.sampled_from(TARGETS), raw=_markdown_file())
def test_yamlish_front_matter_only_gives_diagnostics(target: str, raw: bytes) -> None:
    _check({target: raw})


@SETTINGS
@given(target=st.sampled_from(TARGETS),
       raw=st.one_of(st.binary(max_size=300),
                     st.binary(max_size=300).map(lambda b: b"---\n" + b + b"\n---\n")))
def test_arbitrary_bytes_only_give_diagnostics(target: str, raw: bytes) -> None:
    _check({target: raw})


@SETTINGS
@given(nl=_markdown_file(), en=_markdown_file())
def test_pairs_of_files_only_give_diagnostics(nl: bytes, en: bytes) -> None:
    _check({"content/cases/pair.nl.md": nl, "content/cases/pair.en.md": en})


def test_digest_notices_a_change(tmp_path: Path) -> None:
    """The on-disk check above can fail: a changed byte changes the digest."""
    root = build_kb(tmp_path / "kb")
    before = _tree_digest(root)
    path = root / TARGETS[0]
    path.write_bytes(path.read_bytes() + b" ")
    assert _tree_digest(root) != before
    shutil.rmtree(root)
