"""python-frontmatter with Casebook's handler: strict reading, faithful writing."""

from __future__ import annotations

from pathlib import Path

import frontmatter
import pytest
from casebook.content.entry_io import (
    CasebookHandler,
    EntryError,
    dumps_entry,
    load_entry,
    write_entry,
)
from casebook.content.model import load

REPO = Path(__file__).resolve().parents[2]


def test_every_entry_of_the_knowledge_base_loads_as_the_validator_reads_it() -> None:
    kb = load(REPO)
    files = list(kb.files())
    assert len(files) > 40
    for f in files:
        post = frontmatter.load(str(f.path), handler=CasebookHandler())
        assert post.metadata == f.data, f.rel
        assert post.content == f.doc.body.strip(), f.rel


@pytest.mark.parametrize(("front", "code", "line"), [
    ("title: a\ntitle: b\n", "duplicate-key", 3),
    ("title: !!str a\n", "yaml-tag", 2),
    ("a: &x 1\nb: *x\n", "yaml-anchor", 2),
    ("title: a\n---\nb: 1\n", None, None),  # '---' ends the front-matter: 'b: 1' is body
    ("- a\n- b\n", "front-matter", 2),
])
def test_strict_rules(front: str, code: str | None, line: int | None, tmp_path: Path) -> None:
    path = tmp_path / "x.nl.md"
    path.write_text(f"---\n{front}---\n\nBody.\n", encoding="utf-8")
    if code is None:
        post = load_entry(path)
        assert post.metadata == {"title": "a"} and post.content.startswith("b: 1")
        return
    with pytest.raises(EntryError) as caught:
        load_entry(path)
    assert (caught.value.code, caught.value.line) == (code, line)


def test_not_a_value_error_so_python_frontmatter_cannot_swallow_it(tmp_path: Path) -> None:
    path = tmp_path / "x.nl.md"
    path.write_text("no front-matter\n", encoding="utf-8")
    with pytest.raises(EntryError, match="must start with a front-matter block"):
        frontmatter.load(str(path), handler=CasebookHandler())
    assert not issubclass(EntryError, ValueError)


def test_dates_stay_text_and_writing_round_trips(tmp_path: Path) -> None:
    data = {"name": "Gemeente NO", "country": "NO", "reviewed": "2025-01-01",
            "identifiers": {"kvk": "01234567"}, "themes": ["data", "housing"]}
    text = dumps_entry(data, "## Over de organisatie\n\nTekst.")
    assert text.startswith("---\nname: Gemeente NO\ncountry: 'NO'\nreviewed: '2025-01-01'\n")
    assert text.endswith("---\n\n## Over de organisatie\n\nTekst.\n")
    path = tmp_path / "x.nl.md"
    write_entry(path, data, "## Over de organisatie\n\nTekst.")
    post = load_entry(path)
    assert post.metadata == data
    with pytest.raises(FileExistsError):
        write_entry(path, data)
    write_entry(path, {"name": "Other"}, overwrite=True)
    assert load_entry(path).metadata == {"name": "Other"}
