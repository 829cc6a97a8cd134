"""Incremental work on a knowledge base: what changed, re-reading it, checking part of it.

- :func:`content_stamps` and :func:`changed_files`: which files under
  ``content/`` were added, removed or changed (name, size, mtime, inode).
- :func:`apply_changes`: re-read changed entry files into a loaded
  :class:`~casebook.content.model.KnowledgeBase`, in place.
- :func:`check_entries`: the validator's checks for some entries only; the
  findings in their files are the ones a check of the whole base gives.
- :func:`validate_paths`: ``casebook validate FILE``: parses only the entries
  the files belong to and the entries they name, not the whole base.

Plain Python: the preview (``casebook.mkdocs_plugins.preview``) and the command
line use it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path, PurePosixPath
from typing import Any

from casebook.checks import validate as validation
from casebook.content.diagnostics import Diagnostic
from casebook.content.frontmatter import Document
from casebook.content.model import (
    COLLECTIONS,
    FILE_PATTERN,
    ID_PATTERN,
    Entry,
    EntryFile,
    KnowledgeBase,
    _choose_original,
    load,
    read_document,
)
from casebook.content.vocab import LANGUAGES

#: A file's stamp: modification time (ns), size and inode.
Stamp = tuple[int, int, int]
#: An entry's key: (collection, id).
Key = tuple[str, str]


def content_stamps(root: Path) -> dict[str, Stamp]:
    """Every file below ``root/content`` (links not followed) by POSIX path relative to ``root``."""
    stamps: dict[str, Stamp] = {}
    content = root / "content"
    stack = [content] if content.is_dir() else []
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                for entry in it:
                    st = entry.stat(follow_symlinks=False)
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(Path(entry.path))
                        continue
                    rel = Path(entry.path).relative_to(root).as_posix()
                    stamps[rel] = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            continue
    return stamps


def changed_files(before: dict[str, Stamp], after: dict[str, Stamp]) -> set[str]:
    """Paths added, removed or changed between two :func:`content_stamps`."""
    return {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}


def restamp(root: Path, stamps: dict[str, Stamp], paths: Iterable[str]) -> set[str] | None:
    """Update ``stamps`` (of :func:`content_stamps`) for the files ``paths`` a watcher
    reported; returns the changed ones, ``None`` when one lies outside ``content/``."""
    content = root / "content"
    changed: set[str] = set()
    for path in paths:
        p = Path(path)
        if p != content and content not in p.parents:
            return None
        rel = p.relative_to(root).as_posix()
        try:
            st = p.lstat()
            stamp: Stamp | None = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            stamp = None
        if stamp != stamps.get(rel):
            changed.add(rel)
            if stamp is None:
                stamps.pop(rel, None)
            else:
                stamps[rel] = stamp
    return changed


@dataclass(slots=True)
class Changes:
    """What :func:`apply_changes` did."""

    #: Entries whose files changed.
    entries: set[Key] = field(default_factory=set)
    #: Entries or files appeared or disappeared, a file outside the entry folders
    #: changed, or an entry's original language changed: the site's set of pages
    #: may differ, so an incremental update is not enough.
    structural: bool = False


def _entry_key(rel: str) -> tuple[str, str, str] | None:
    """``(collection, id, lang)`` of an entry file path such as ``content/cases/x.nl.md``."""
    parts = PurePosixPath(rel).parts
    if len(parts) != 3 or parts[0] != "content" or parts[1] not in COLLECTIONS:
        return None
    m = FILE_PATTERN.match(parts[2])
    if not m or m.group("lang") not in LANGUAGES:
        return None
    return parts[1], m.group("id"), m.group("lang")


def apply_changes(kb: KnowledgeBase, rels: Iterable[str]) -> Changes:
    """Re-read the changed files ``rels`` (relative to ``kb.root``) into ``kb``, in place.

    Only changes to existing entry files are applied; anything else marks the
    result :attr:`Changes.structural` (load the knowledge base again then).
    """
    changes = Changes()
    for rel in sorted(rels):
        key = _entry_key(rel)
        if key is None:
            # Hidden files (an editor's swap file) are no part of the site.
            if not PurePosixPath(rel).name.startswith("."):
                changes.structural = True
            continue
        collection, entry_id, lang = key
        path = kb.root / rel
        entry = kb.collection(collection).get(entry_id)
        if (entry is None or lang not in entry.files or path.is_symlink()
                or path.parent.is_symlink() or not path.is_file()):
            changes.structural = True
            continue
        original = entry.original_lang
        entry.files[lang] = EntryFile(collection, entry_id, lang, path, rel, read_document(path))
        _choose_original(entry)
        if entry.original_lang != original:
            changes.structural = True
        changes.entries.add((collection, entry_id))
    return changes


@dataclass(slots=True)
class _Selection(KnowledgeBase):
    """A knowledge base whose checks visit only some entries (references see them all)."""

    selected: list[Entry] = field(default_factory=list)

    def entries(self) -> Iterator[Entry]:
        yield from self.selected


def _select(kb: KnowledgeBase, keys: Iterable[Key]) -> _Selection:
    selected = [kb.collection(c)[i] for c, i in sorted(set(keys)) if i in kb.collection(c)]
    return _Selection(**{f.name: getattr(kb, f.name) for f in fields(KnowledgeBase)},
                      selected=selected)


def check_entries(kb: KnowledgeBase, keys: Iterable[Key], *,
                  today: dt.date | None = None) -> list[Diagnostic]:
    """Findings in the files of the entries ``keys``: those a check of all of ``kb`` gives."""
    selection = _select(kb, keys)
    rels = {f.rel for e in selection.selected for f in e.files.values()}
    return [d for d in validation.check(selection, today=today) if d.path in rels]


# --- casebook validate FILE -----------------------------------------------------------


def _targets(root: Path, paths: Sequence[Path | str]) -> set[Key] | None:
    """The entries the files ``paths`` belong to; ``None`` unless every path is a plain
    entry file (folders, links and stray files are checked with the whole base)."""
    keys: set[Key] = set()
    content = (root / "content").resolve()
    for p in paths:
        path = Path(p)
        if path.is_symlink() or not path.is_file():
            return None
        path = path.resolve()
        folder = path.parent
        if folder.parent != content or folder.name not in COLLECTIONS or folder.is_symlink():
            return None
        m = FILE_PATTERN.match(path.name)
        if not m or m.group("lang") not in LANGUAGES:
            return None
        keys.add((folder.name, m.group("id")))
    return keys


def _named_ids(value: Any, out: set[str]) -> None:
    """Every string in ``value`` that could name an entry (``repo/block`` names ``repo``)."""
    if isinstance(value, str):
        head = value.split("/", 1)[0]
        for text in (value, head):
            if len(text) <= 200 and ID_PATTERN.match(text):
                out.add(text)
    elif isinstance(value, dict):
        for item in value.values():
            _named_ids(item, out)
    elif isinstance(value, list):
        for item in value:
            _named_ids(item, out)


def validate_paths(root: Path | str, paths: Sequence[Path | str], *,
                   today: dt.date | None = None) -> tuple[list[Diagnostic], int]:
    """:func:`casebook.checks.validate.validate` for ``paths``, reading only what they need.

    The files' entries are checked in full; the other entries are listed (their
    ids count for uniqueness and suggestions) and parsed only when the files
    name them. The result is the one :func:`~casebook.checks.validate.validate` gives.
    """
    root = Path(root).resolve()
    when = {"today": today} if today is not None else {}
    targets = _targets(root, paths) if paths else None
    if targets is None:
        return validation.validate(root, paths, **when)
    content = root / "content"
    parsed: dict[Path, Document] = {}

    def parse_entry(collection: str, entry_id: str) -> None:
        for lang in LANGUAGES:
            path = content / collection / f"{entry_id}.{lang}.md"
            if path not in parsed and not path.is_symlink() and path.is_file():
                parsed[path] = read_document(path)

    for collection, entry_id in targets:
        parse_entry(collection, entry_id)
    named: set[str] = set()
    for doc in list(parsed.values()):
        _named_ids(doc.data, named)
    for entry_id in named:
        for collection in COLLECTIONS:
            parse_entry(collection, entry_id)
    names = {path.name for path in parsed}
    unread = Document()  # never looked at: no check of the selected entries reads it

    def read(path: Path) -> Document:
        return (parsed.get(path) or unread) if path.name in names else unread

    kb = load(root, read=read)
    return validation.validate(root, paths, kb=_select(kb, targets), **when)
