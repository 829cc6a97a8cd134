"""casebook.content.allowlist: the allowlist data, ids, and one front-matter grammar."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from casebook.content.allowlist import policy, walk
from casebook.content.frontmatter import parse_file
from casebook.safety.htmlscan import material_templates
from casebook.safety.ids import drop_reserved_ids, guarded_slugify, is_reserved_id, site_path_owner
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

REPO = Path(__file__).resolve().parent.parent.parent


def test_the_allowlist_is_data_and_names_its_parts() -> None:
    rules = policy()
    assert rules.collections == ("cases", "organisations")
    assert rules.pages == ("contribute",)
    assert rules.asset_folder == "images"
    assert "index" in rules.reserved_ids
    names = {t.name for t in rules.image_types}
    assert names == {"PNG", "JPEG", "GIF", "WebP", "AVIF"}
    assert not any("svg" in t.extensions for t in rules.image_types)


_FORMATS = {"webp": "WEBP", "avif": "AVIF", "gif": "GIF", "jpeg": "JPEG", "png": "PNG"}


@pytest.mark.parametrize("head, name, ok", [
    (b"RIFF\x10\x00\x00\x00WEBPVP8L", "a.webp", True),
    (b"RIFF\x10\x00\x00\x00WAVEfmt ", "a.webp", False),          # RIFF, but sound
    (b"\x00\x00\x00\x1cftypavif\x00\x00", "a.avif", True),
    (b"\x00\x00\x00\x1cftypmp42\x00\x00", "a.avif", False),       # a video
    (b"GIF89a\x01\x00", "a.gif", True),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "a.gif", False),
    (b"\xff\xd8\xff\xe0", "a.jpeg", True),
])
def test_image_types_are_checked_by_their_bytes(tmp_path: Path, head: bytes, name: str,
                                                ok: bool) -> None:
    (tmp_path / "images").mkdir()
    if ok:  # a real image of the type, whose header also gives its dimensions
        Image.new("RGB", (4, 3)).save(tmp_path / "images" / name, _FORMATS[name[2:]])
        assert (tmp_path / "images" / name).read_bytes().startswith(head[:3].lstrip(b"\x00"))
    else:
        (tmp_path / "images" / name).write_bytes(head + b"\x00" * 32)
    tree = walk(tmp_path)
    assert (tree.published == [f"images/{name}"]) is ok
    assert (tree.problems == []) is ok


def _theme_ids() -> set[str]:
    """Literal ids the theme and Casebook write, or read from script."""
    found: set[str] = set()
    sources = [*REPO.joinpath("overrides").rglob("*.html"),
               *REPO.joinpath("overrides").rglob("*.js"),
               *REPO.joinpath("plugins", "casebook", "templates").rglob("*.j2"),
               *REPO.joinpath("plugins", "casebook", "mkdocs_plugins").rglob("*.py"),
               *REPO.joinpath("plugins", "casebook", "mkdocs_plugins").rglob("*.js")]
    templates = material_templates()
    if templates is not None:
        sources += [*templates.rglob("*.html")]
    for path in sources:
        text = path.read_text(encoding="utf-8", errors="replace")
        found.update(re.findall(r'\bid="([A-Za-z_][\w-]*)', text))
        found.update(re.findall(r'getElementById\("([\w-]+)"\)', text))
        found.update(re.findall(r'querySelector\("#([\w-]+)"\)', text))
    return found


def test_every_id_of_the_theme_is_reserved() -> None:
    ids = _theme_ids()
    assert {"__config", "cb-main", "casebook-search-config", "open-data"} <= ids
    assert [i for i in sorted(ids) if not is_reserved_id(i)] == []


@pytest.mark.parametrize("heading, anchor", [
    ("Context", "context"), ("__config", "config"), ("Open data", "section-open-data"),
    ("CB main", "section-cb-main"), ("Block chain", "section-block-chain"),
    ("Über uns 🚲", "uber-uns"), ("___", ""),
])
def test_heading_anchors_never_take_a_theme_id(heading: str, anchor: str) -> None:
    assert guarded_slugify()(heading, "-") == anchor


@given(st.text(max_size=30))
def test_no_heading_anchor_is_reserved(heading: str) -> None:
    assert not is_reserved_id(guarded_slugify()(heading, "-"))


def test_reserved_ids_are_dropped_from_rendered_bodies() -> None:
    html = '<h2 id="config">a</h2><p id="__config">{}</p><div id="cb-main" class="x">b</div>'
    assert drop_reserved_ids(html) == '<h2 id="config">a</h2><p>{}</p><div class="x">b</div>'


@pytest.mark.parametrize("dest, owned", [
    ("assets/javascripts/casebook.js", True), ("en/assets/stylesheets/x.css", True),
    ("robots.txt", True), ("index.html", True), ("en/organisations/index.html", True),
    ("pagefind/pagefind.js", True), ("images/kaart.png", False),
    ("cases/stadslab/index.html", False), ("en/contribute/index.html", False),
])
def test_site_paths_owned_by_the_theme_and_plugins(dest: str, owned: bool) -> None:
    assert (site_path_owner(dest) is not None) is owned


# --- one front-matter grammar -----------------------------------------------------

LINES = ["---", "...", "--- ", "...\t", "title: Een titel", "# een opmerking", "",
         "<script>alert(1)</script>", "tekst", "a: 2024-02-30", "b: =", "c: 2024-05-01",
         "  ...", "-- -", "--- x"]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(LINES), max_size=8), st.lists(st.sampled_from(LINES),
                                                               max_size=4),
       st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_the_validator_reads_front_matter_as_mkdocs_does(head: list[str], tail: list[str],
                                                        newline: str, final: bool) -> None:
    """Whenever the reader accepts a file, MkDocs' own reader (``get_data``, on the text
    as MkDocs reads it) finds the same keys and the same body; everything else is
    refused with a problem."""
    from mkdocs.utils.meta import get_data

    text = newline.join(["---", *head, *tail]) + (newline if final else "")
    doc = parse_file(text.encode("utf-8"))
    if doc.problems or doc.data is None:
        assert doc.problems
        return
    as_mkdocs_reads = text.replace("\r\n", "\n")
    body, meta = get_data(as_mkdocs_reads)
    assert set(meta) == set(doc.data), text
    assert body == doc.body.replace("\r\n", "\n").lstrip("\n"), text


def test_mkdocs_still_splits_front_matter_as_the_reader_expects() -> None:
    from mkdocs.utils.meta import YAML_RE

    assert YAML_RE.pattern == r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n"
