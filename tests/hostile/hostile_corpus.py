"""The hostile corpus: one folder per attack, each with its expected outcome.

A folder ``tests/hostile/<name>/`` holds ``content/...`` (the hostile files) and
``expected.yaml``::

    about: one line, what the attack is
    outcome: rejected | accepted
    diagnostics: [{file, line, column, code, field, message?}]   # rejected: every error
    escaped: [...]    # accepted: strings that must never appear raw in the output
    present: [...]    # accepted: text the Dutch page must show as written (nothing changed)
    absent: [...]     # accepted: text that must not appear (e.g. an evaluated template)
    pad: {file, where: front-matter | body}   # grown past the size limit at test time
    symlinks: [{path, target}]                # created at test time
    twin: true        # CRLF/BOM file: its LF twin without BOM must give the same result
    limits: {seconds, megabytes}              # time and memory bound of validating it

``_base/content`` (a harmless organisation) is laid under every folder.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import Any

import markdown
import yaml
from casebook.content.frontmatter import MAX_FILE_BYTES, MAX_FRONT_MATTER_BYTES

HERE = Path(__file__).resolve().parent
BASE = HERE / "_base" / "content"
#: A fixed "today", so that date rules give the same answer on every day.
TODAY = dt.date(2025, 1, 1)
FOLDERS = sorted(p.name for p in HERE.iterdir()
                 if p.is_dir() and (p / "expected.yaml").is_file())


def expected(name: str) -> dict[str, Any]:
    """The parsed ``expected.yaml`` of one folder."""
    data = yaml.safe_load((HERE / name / "expected.yaml").read_text(encoding="utf-8"))
    assert data["outcome"] in ("rejected", "accepted"), name
    return data


ACCEPTED = [name for name in FOLDERS if expected(name)["outcome"] == "accepted"]


def _pad(path: Path, where: str) -> None:
    """Grow a file just past its size limit: comment lines in the front-matter, or text."""
    raw = path.read_bytes()
    if where == "front-matter":
        head, sep, tail = raw.partition(b"\n---\n")
        filler = b"\n# " + b"x" * 96
        count = MAX_FRONT_MATTER_BYTES // len(filler) + 1
        path.write_bytes(head + filler * count + sep + tail)
    else:
        filler = b"Tekst die de regels vult. " * 3 + b"\n"
        count = (MAX_FILE_BYTES - len(raw)) // len(filler) + 1
        path.write_bytes(raw + filler * count)


def prepare(name: str, dest: Path, *, lf_twin: bool = False) -> Path:
    """Lay ``_base`` and the folder's content into ``dest`` (a knowledge-base root).

    With ``lf_twin`` every content file is written with LF line endings and without
    a byte-order mark: the twin a CRLF/BOM fixture must agree with.
    """
    spec = expected(name)
    shutil.copytree(BASE, dest / "content", dirs_exist_ok=True)
    source = HERE / name / "content"
    if source.is_dir():
        shutil.copytree(source, dest / "content", dirs_exist_ok=True)
    if lf_twin:
        for path in (dest / "content").rglob("*.md"):
            raw = path.read_bytes().replace(b"\r\n", b"\n")
            path.write_bytes(raw.removeprefix("\ufeff".encode()))
    pad = spec.get("pad")
    if pad:
        _pad(dest / pad["file"], pad["where"])
    for link in spec.get("symlinks", ()):
        target = dest / link["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(link["target"], target)
    return dest


def accepted_content(dest: Path) -> Path:
    """One ``content/`` folder holding ``_base`` and every accepted entry together."""
    for name in ACCEPTED:
        prepare(name, dest)
    return dest / "content"


def accepted_pages(name: str) -> list[str]:
    """Site paths (``cases/<id>/``, ``en/organisations/<id>/``) of an accepted folder's entries."""
    pages = []
    content = HERE / name / "content"
    for path in sorted(content.rglob("*.md")):
        collection = path.parent.name
        entry_id = path.name.split(".")[0]
        for prefix in ("", "en/"):
            url = f"{prefix}{collection}/{entry_id}/"
            if url not in pages:
                pages.append(url)
    return pages


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml with its ``!ENV`` and other tags read as plain values."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def site_markdown() -> markdown.Markdown:
    """Python-Markdown with mkdocs.yml's extensions and MkDocs' built-in ones: an entry
    body rendered as the build renders it."""
    config = yaml.load((HERE.parent.parent / "mkdocs.yml").read_text(encoding="utf-8"),
                       Loader=_AnyTagLoader)
    names: list[str] = ["toc", "tables", "fenced_code"]  # MkDocs always adds these
    configs: dict[str, Any] = {}
    for item in config.get("markdown_extensions") or []:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        if name not in names:
            names.append(name)
        if options:
            configs[name] = options
    return markdown.Markdown(extensions=names, extension_configs=configs)
