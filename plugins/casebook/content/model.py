"""Loading the knowledge base: entries, their language files and vocabularies.

An *entry* (a case or an organisation) has one or two language files. The
*original* carries the language-neutral facts; a *translation* carries only the
translatable keys. Loading never raises on bad content: problems become
diagnostics in :mod:`casebook.checks.validate`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook.content import allowlist
from casebook.content.frontmatter import MAX_FILE_BYTES, Document, Problem, parse_file
from casebook.content.vocab import DEFAULT_LANGUAGE, Vocabularies, load_vocabularies
from casebook.i18n import msg

COLLECTIONS = ("cases", "organisations")
#: A whole id (``\Z``: ``$`` would also match before a final line feed).
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")
ID_MAX = 60
FILE_PATTERN = allowlist.ENTRY_NAME
#: Keys a translation file may carry, per collection.
TRANSLATABLE = {
    "cases": ("schema", "title", "summary", "translation"),
    "organisations": ("schema", "name", "translation"),
}
SCHEMAS = {
    ("cases", True): "case",
    ("cases", False): "case-translation",
    ("organisations", True): "organisation",
    ("organisations", False): "organisation-translation",
}


_YEAR_START = re.compile(r"^(\d{4})")


@dataclass(slots=True)
class EntryFile:
    """One language file of an entry."""

    collection: str
    id: str
    lang: str
    path: Path
    rel: str
    doc: Document
    is_symlink: bool = False

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data or {}

    def fact_keys(self) -> list[str]:
        """Keys in this file that are facts, not translatable text."""
        allowed = TRANSLATABLE[self.collection]
        return [k for k in self.data if k not in allowed]


@dataclass(slots=True)
class Entry:
    """A case or organisation with its language files."""

    collection: str
    id: str
    files: dict[str, EntryFile] = field(default_factory=dict)
    original_lang: str | None = None

    @property
    def original(self) -> EntryFile | None:
        return self.files.get(self.original_lang) if self.original_lang else None

    @property
    def facts(self) -> dict[str, Any]:
        """The language-neutral facts (from the original file)."""
        original = self.original
        return original.data if original else {}

    def file_for(self, lang: str) -> EntryFile | None:
        """The file that provides text for ``lang``: its own, else the original."""
        return self.files.get(lang) or self.original

    def text_lang(self, lang: str) -> str:
        """Language of the text shown on the ``lang`` site."""
        f = self.file_for(lang)
        return f.lang if f else lang

    def is_translated(self, lang: str) -> bool:
        """True when a file in ``lang`` exists."""
        return lang in self.files

    def translation_kind(self, lang: str) -> str | None:
        """``human``/``machine`` for a translation file, ``None`` for the original."""
        f = self.files.get(lang)
        if not f or lang == self.original_lang:
            return None
        return str(f.data.get("translation", "human"))

    def text(self, key: str, lang: str) -> Any:
        """A translatable value in ``lang``, falling back to the original."""
        f = self.files.get(lang)
        if f is not None and key in f.data:
            return f.data[key]
        return self.facts.get(key)

    def title(self, lang: str) -> str:
        """Display title: ``title`` for cases, ``name`` for organisations."""
        key = "title" if self.collection == "cases" else "name"
        value = self.text(key, lang)
        return str(value) if value is not None else self.id

    def body(self, lang: str) -> str:
        """Markdown body in ``lang``, falling back to the original."""
        f = self.file_for(lang)
        return f.doc.body if f else ""


@dataclass(slots=True)
class KnowledgeBase:
    """Every entry under ``content/``, plus the vocabularies."""

    root: Path
    vocabularies: Vocabularies
    cases: dict[str, Entry] = field(default_factory=dict)
    organisations: dict[str, Entry] = field(default_factory=dict)
    #: Files that could not be assigned to an entry: (rel path, reason code, message).
    stray: list[tuple[str, str, str]] = field(default_factory=list)
    #: Pages and images the allowlist names (paths relative to the root), published as is.
    published: list[str] = field(default_factory=list)
    files_read: int = 0

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    def collection(self, name: str) -> dict[str, Entry]:
        return self.cases if name == "cases" else self.organisations

    def entries(self) -> Iterator[Entry]:
        yield from self.cases.values()
        yield from self.organisations.values()

    def files(self) -> Iterator[EntryFile]:
        for entry in self.entries():
            yield from entry.files.values()

    def valid_cases(self) -> list[Entry]:
        """Cases that have an original with facts, sorted by id."""
        return [e for _, e in sorted(self.cases.items()) if e.original and e.facts]

    def valid_organisations(self) -> list[Entry]:
        """Organisations that have an original with facts, sorted by id."""
        return [e for _, e in sorted(self.organisations.items()) if e.original and e.facts]


def rel_path(path: Path, root: Path) -> str:
    """A POSIX path relative to the root when possible."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _choose_original(entry: Entry) -> None:
    """Pick the file that carries the facts.

    The only file with fact keys wins. When no parsed file has facts but a file
    could not be read, that file is taken as the (broken) original, so that its
    translation is not blamed for the missing facts.
    """
    files = entry.files
    parsed = [lang for lang, f in files.items() if f.doc.data is not None]
    with_facts = [lang for lang in parsed if files[lang].fact_keys()]
    if len(with_facts) == 1:
        entry.original_lang = with_facts[0]
        return
    if not with_facts:
        broken = [lang for lang in files if lang not in parsed]
        if broken:
            entry.original_lang = DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in broken else broken[0]
            return
        if len(parsed) < 2:
            entry.original_lang = None  # a translation without an original
            return
    candidates = with_facts or parsed
    untagged = [lang for lang in candidates if "translation" not in files[lang].data]
    pool = untagged if len(untagged) == 1 else candidates
    entry.original_lang = DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in pool else sorted(pool)[0]


def read_document(path: Path) -> Document:
    """Read and parse one file; a file that cannot be read becomes a problem."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
            size = os.fstat(fh.fileno()).st_size if len(raw) > MAX_FILE_BYTES else None
    except OSError as exc:
        doc = Document()
        doc.problems.append(Problem(1, 1, "unreadable",
                                    msg("the file cannot be read ({reason}); check that it is "
                                        "a normal file you may read",
                                        reason=exc.strerror or str(exc))))
        return doc
    return parse_file(raw, size)


def start_year(entry: Entry) -> str | None:
    """The year ``period.start`` begins in, as text."""
    period = entry.facts.get("period")
    start = period.get("start") if isinstance(period, dict) else None
    if start is None:
        return None
    m = _YEAR_START.match(str(start))
    return m.group(1) if m else None


def value_at(data: Any, path: Iterable[str | int]) -> Any:
    """The value under ``path`` in nested mappings (``("legal", "license")``); None when a
    step is missing or not a mapping."""
    node: Any = data
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def load(root: Path | str, vocabularies: Vocabularies | None = None, *,
         read: Callable[[Path], Document] = read_document) -> KnowledgeBase:
    """Read every case and organisation file under ``root/content``.

    Every other file is classified by the allowlist (:mod:`casebook.content.allowlist`);
    what it refuses is kept in ``stray`` for the validator. ``read`` parses one
    entry file (:func:`read_document`); :mod:`casebook.preview.incremental` passes one that
    parses only the entries it needs.
    """
    root = Path(root).resolve()
    kb = KnowledgeBase(root=root, vocabularies=vocabularies or load_vocabularies())
    content = kb.content_dir
    base = f"{rel_path(content, root)}/"
    if content.is_symlink():
        kb.stray.append((rel_path(content, root), "symlink", allowlist.SYMLINK_MESSAGE))
        return kb
    tree = allowlist.walk(content)
    kb.published = [base + rel for rel in tree.published]
    for rel, code, message in tree.problems:
        kb.stray.append((base + rel, code, message))
    for collection, name, path in tree.entries:
        m = FILE_PATTERN.match(name)
        assert m is not None
        entry_id, lang = m.group("id"), m.group("lang")
        kb.files_read += 1
        ef = EntryFile(collection, entry_id, lang, path, f"{base}{collection}/{name}",
                       read(path))
        kb.collection(collection).setdefault(entry_id, Entry(collection, entry_id)).files[lang] = ef
    for entry in kb.entries():
        _choose_original(entry)
    return kb
