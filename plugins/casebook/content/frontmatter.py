"""Strict, position-aware front-matter loading.

The YAML is read as a stream of parser events (libyaml's ``CSafeLoader`` when
present, the pure-Python ``SafeLoader`` otherwise) and built into plain Python
values by hand, so that every value keeps its line and column and the loader can
refuse what the content contract forbids: duplicate keys, tags, anchors and
aliases, several documents. Dates stay strings exactly as written; plain scalars
that YAML 1.1 turns into booleans, numbers or null remember their source text so
that the validator can tell the contributor to quote them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from casebook.content.yamlproblems import explain
from casebook.i18n import msg

try:  # libyaml is much faster; fall back to pure Python where it is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1024 * 1024
MAX_FRONT_MATTER_BYTES = 64 * 1024
#: Deepest nesting of lists and mappings the front-matter may use.
MAX_DEPTH = 32

Path = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


@dataclass(slots=True)
class Problem:
    """A problem found while reading a file (before schema validation)."""

    line: int
    column: int
    code: str
    message: str
    field: str = ""


@dataclass(slots=True)
class Document:
    """A parsed Markdown file: front-matter data, positions and body.

    Positions are worked out lazily: the first parse builds only the data, and
    the front-matter is parsed again, recording every line and column, the
    first time a position is asked for (that is, only for files with findings).
    This keeps loading a large, valid knowledge base fast and small.
    """

    data: dict[str, Any] | None = None
    #: 1-based line on which the body starts.
    body_line: int = 1
    #: 1-based file line of the first front-matter line.
    line_offset: int = 2
    text: str = ""
    problems: list[Problem] = field(default_factory=list)
    #: Index in ``text`` where the body starts, and line index of the closing '---'.
    body_start: int = 0
    fm_end: int = 0
    #: A plain scalar became a float, or an int written with a sign, a leading zero,
    #: '_' or ':' (see casebook.safety.values): only then are the numbers looked at.
    odd_numbers: bool = False
    _marks: dict[Path, Any] | None = None
    _key_marks: dict[Path, Any] | None = None
    _coerced: dict[Path, str] | None = None

    @property
    def body(self) -> str:
        """The Markdown after the front-matter."""
        return self.text[self.body_start:] if self.body_start else ""

    def front_matter(self) -> str:
        """The front-matter text (without the '---' lines), line endings normalised."""
        lines = self.text.split("\n", self.fm_end + 1)[1:self.fm_end]
        return "\n".join(line.rstrip("\r") for line in lines)

    def _record(self) -> None:
        if self._marks is not None:
            return
        self._marks, self._key_marks, self._coerced = {}, {}, {}
        if self.fm_end:
            with contextlib.suppress(_Reject):  # the problem was recorded by the first pass
                _Builder(self.front_matter(), self, self.line_offset, record=True).build()

    @property
    def marks(self) -> dict[Path, Any]:
        """Parser marks of every value, keyed by path (see :meth:`position`)."""
        self._record()
        assert self._marks is not None
        return self._marks

    @property
    def key_marks(self) -> dict[Path, Any]:
        """Parser marks of every mapping key, keyed by the key's path."""
        self._record()
        assert self._key_marks is not None
        return self._key_marks

    @property
    def coerced(self) -> dict[Path, str]:
        """Source text of plain scalars that YAML turned into non-strings."""
        self._record()
        assert self._coerced is not None
        return self._coerced

    def _at(self, mark: Any) -> tuple[int, int]:
        return mark.line + self.line_offset, mark.column + 1

    def position(self, path: Path) -> tuple[int, int]:
        """Best position for a path: the value, else its key, else the nearest parent."""
        marks, key_marks = self.marks, self.key_marks
        p = tuple(path)
        while p:
            if p in marks:
                return self._at(marks[p])
            if p in key_marks:
                return self._at(key_marks[p])
            p = p[:-1]
        return self._at(marks[()]) if () in marks else (1, 1)

    def key_position(self, path: Path) -> tuple[int, int]:
        """Position of the key of a path, falling back to :meth:`position`."""
        mark = self.key_marks.get(tuple(path))
        return self._at(mark) if mark is not None else self.position(path)


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader that stops at the first alias, before it is expanded (the
    composer is the pure-Python one: libyaml's would compose the whole document)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, msg("aliases (*{anchor}) are not allowed; write the value out in "
                                "full", anchor=event.anchor), event.start_mark)
        return super().compose_node(parent, index)


#: For readers of whole YAML files that need their own resolvers (the importer).
NoAliasLoader = _NoAliasLoader


def load_yaml(text: str) -> Any:
    """A whole YAML document (for imported files), refusing aliases before any value is
    expanded: an alias bomb of a few hundred bytes cannot become 10^9 strings."""
    return yaml.load(text, Loader=_NoAliasLoader)


class _Reject(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    return line, index - start + 1


def path_to_field(path: Path) -> str:
    """Render a path as ``organisations[0].id``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def parse_file(raw: bytes, size: int | None = None) -> Document:
    """Parse a Markdown file with YAML front-matter; never raises on bad input.

    ``size`` is the size of the file on disk when ``raw`` holds only its start.
    """
    doc = Document()
    size = max(size or 0, len(raw))
    if size > MAX_FILE_BYTES:
        doc.problems.append(
            Problem(1, 1, "file-too-large",
                    msg("file is {size:,} bytes; the limit is {limit:,} bytes (1 MB): move large "
                        "material out of the entry", size=size, limit=MAX_FILE_BYTES))
        )
        return doc
    nul = raw.find(b"\x00")
    if nul >= 0:
        prefix = raw[:nul].decode("utf-8", errors="replace")
        line, col = _line_col(prefix, len(prefix))
        doc.problems.append(
            Problem(line, col, "nul-byte",
                    msg("file contains a NUL byte, so it is not plain text; save it again as "
                        "UTF-8 text or remove it from content/"), _part_of(prefix))
        )
        return doc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("utf-8", errors="replace")
        line, col = _line_col(prefix, len(prefix))
        doc.problems.append(
            Problem(line, col, "encoding",
                    msg("invalid UTF-8 (byte {byte}); save the file as UTF-8",
                        byte=f"0x{raw[exc.start]:02x}"),
                    _part_of(prefix))
        )
        return doc
    if text.startswith("\ufeff"):
        text = text[1:]
    doc.text = text
    _split(doc, text)
    return doc


def _part_of(prefix: str) -> str:
    """``front-matter`` or ``body``: where a file's text that starts with ``prefix`` is."""
    prefix = prefix.removeprefix("\ufeff")
    first = prefix.find("\n")
    if first < 0 or prefix[:first].rstrip("\r") != "---":
        return ""  # not (yet) in a front-matter block
    return "body" if _FENCE.search(prefix, first + 1) else "front-matter"


#: A line holding only '---' (a trailing CR tolerated): the end of the front-matter.
_FENCE = re.compile(r"^---\r*$", re.M)
_TRAILING_CR = re.compile(r"\r+$", re.M)
#: Every line that ends a front-matter block for MkDocs (``mkdocs.utils.meta.YAML_RE``:
#: ``---`` or the YAML end marker ``...``, then spaces or tabs). The first one ends it,
#: and only when a line break follows; a test keeps this in step with MkDocs.
_MKDOCS_CLOSE = re.compile(r"^(?:\.{3}|-{3})[ \t]*\r?$", re.M)
_LONE_CR = re.compile(r"\r(?!\n)")


def _split(doc: Document, text: str) -> None:
    """Front-matter and body, read exactly as MkDocs reads them, or a problem.

    One grammar: the body checked here is the body the site renders (the pages
    plugin hands MkDocs this body), and a file that MkDocs on its own would split
    elsewhere is refused: a lone CR (a line break for MkDocs and Markdown, not for
    a line-based check), a closing '...' or '---' followed by spaces, a closing
    line without a line break after it, values MkDocs' YAML loader cannot read.
    """
    if "\r" in text:
        lone = _LONE_CR.search(text)
        if lone is not None:
            line, col = _line_col(text, lone.start())
            doc.problems.append(Problem(
                line, col, "line-ending",
                msg("a carriage return (CR) without a line feed: Markdown reads a line break "
                    "here that other tools do not; save the file with LF (or CRLF) line "
                    "endings")))
            return
    first = text.find("\n")
    first_line = text if first < 0 else text[:first]
    if first_line.rstrip("\r") != "---":
        doc.problems.append(
            Problem(1, 1, "front-matter",
                    msg("file must start with a front-matter block: a line '---', the YAML "
                        "fields, and a closing line '---'"))
        )
        return
    close = _MKDOCS_CLOSE.search(text, first + 1) if first >= 0 else None
    if close is not None and close.group().rstrip("\r") != "---":
        line = text.count("\n", 0, close.start()) + 1
        doc.problems.append(Problem(
            line, 1, "front-matter",
            msg("'{text}' ends the front-matter here for the site builder, so the lines after "
                "it would be published as text; end the front-matter with a line holding only "
                "'---' (no YAML end marker '...', no spaces after it)",
                text=close.group().rstrip("\r"))))
        return
    if close is None or close.end() >= len(text):
        doc.problems.append(
            Problem(1, 1, "front-matter",
                    msg("front-matter block is not closed: add a line '---' after the last "
                        "field")
                    if close is None else
                    msg("the closing '---' must be followed by a line break (and the body); "
                        "add them after it"))
        )
        return
    fm = text[first + 1:max(first + 1, close.start() - 1)]
    if "\r" in fm:
        fm = _TRAILING_CR.sub("", fm)
    if len(fm) * 4 > MAX_FRONT_MATTER_BYTES and (
        len(fm.encode("utf-8")) > MAX_FRONT_MATTER_BYTES
    ):
        doc.problems.append(
            Problem(2, 1, "front-matter",
                    msg("front-matter is larger than {kb} KB; move long text into the body",
                        kb=MAX_FRONT_MATTER_BYTES // 1024))
        )
        return
    end = text.count("\n", 0, close.start())  # line index of the closing '---'
    if close.end() < len(text):
        doc.body_start = close.end() + 1
    doc.body_line = end + 2
    doc.fm_end = end
    try:
        data = _Builder(fm, doc, line_offset=2, record=False).build()
    except _Reject:
        # Parse again recording positions, so the problem names the exact place
        # (for a duplicate key: both lines).
        try:
            _Builder(fm, doc, line_offset=2, record=True).build()
        except _Reject as exc:
            doc.problems.append(exc.problem)
        return
    if data is None:
        doc.problems.append(Problem(2, 1, "front-matter",
                                    msg("front-matter is empty; put the fields between the "
                                        "two '---' lines")))
        return
    if not isinstance(data, dict):
        doc.problems.append(
            Problem(2, 1, "front-matter",
                    msg("front-matter must be a mapping of 'key: value' lines, not a list or "
                        "a single value"))
        )
        return
    doc.data = data


#: First characters with which a plain scalar may resolve to a non-string.
_IMPLICIT_FIRST = frozenset(k for k in _Loader.yaml_implicit_resolvers if k)
_Scalar = yaml.ScalarEvent
_SeqStart = yaml.SequenceStartEvent
_SeqEnd = yaml.SequenceEndEvent
_MapStart = yaml.MappingStartEvent
_MapEnd = yaml.MappingEndEvent
_Alias = yaml.AliasEvent
_StreamEnd = yaml.StreamEndEvent


class _Builder:
    """Builds Python values from parser events, recording positions."""

    def __init__(self, text: str, doc: Document, line_offset: int, record: bool) -> None:
        self.loader = _Loader(text)
        self.doc = doc
        self.record = record
        if record:
            doc._marks, doc._key_marks, doc._coerced = {}, {}, {}
        self.offset = line_offset
        doc.line_offset = line_offset
        self.text = text
        self.events: list[Any] = []
        self.i = 0
        self.depth = 0

    def _pos(self, mark: Any) -> tuple[int, int]:
        return mark.line + self.offset, mark.column + 1

    def _reject(self, mark: Any, code: str, message: str, path: Path = ()) -> _Reject:
        line, col = self._pos(mark)
        return _Reject(Problem(line, col, code, message, path_to_field(path)))

    def build(self) -> Any:
        try:
            get = self.loader.get_event
            events = self.events
            while True:  # read every event first: one call per event
                event = get()
                events.append(event)
                if event is None or type(event) is _StreamEnd:
                    break
            return self._build()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = self._pos(mark) if mark else (self.offset, 1)
            lines = self.text.split("\n")
            text = lines[mark.line] if mark and mark.line < len(lines) else ""
            problem, col = explain(str(exc.problem or ""), str(exc.context or ""), text, col)
            raise _Reject(Problem(line, col, "yaml-syntax",
                                  msg("invalid YAML: {problem}", problem=problem))) from None
        except yaml.reader.ReaderError as exc:
            line, col = _line_col(self.text, exc.position)
            char = exc.character
            code = ord(char) if isinstance(char, str) else int(char)
            raise _Reject(
                Problem(line + self.offset - 1, col, "yaml-syntax",
                        msg("character {code} is not allowed in YAML", code=f"U+{code:04X}"))
            ) from None
        except yaml.YAMLError as exc:
            problem, _ = explain(str(exc), "", "", 1)
            raise _Reject(Problem(self.offset, 1, "yaml-syntax",
                                  msg("invalid YAML: {problem}", problem=problem))) from None
        finally:
            self.loader.dispose()

    def _build(self) -> Any:
        events = self.events
        # StreamStart, [DocumentStart, node, DocumentEnd]*, StreamEnd
        if len(events) <= 2:
            return None
        self.i = 2
        value = self._node(())
        self.i += 1  # DocumentEnd
        event = events[self.i]
        if type(event) is not _StreamEnd:
            raise self._reject(
                event.start_mark, "yaml-documents",
                msg("front-matter holds several YAML documents; keep one block of fields"),
            )
        return value

    def _check_meta(self, event: Any, path: Path) -> None:
        if event.anchor is not None:
            raise self._reject(
                event.start_mark, "yaml-anchor",
                msg("anchors (&{anchor}) are not allowed; write every value out in full",
                    anchor=event.anchor),
                path,
            )
        tag = event.tag
        if tag is not None and not (type(event) is not _Scalar and event.implicit):
            raise self._reject(
                event.start_mark, "yaml-tag",
                msg("YAML tags ({tag}) are not allowed; remove the tag", tag=tag), path,
            )

    def _node(self, path: Path) -> Any:
        event = self.events[self.i]
        self.i += 1
        cls = type(event)
        if self.depth > MAX_DEPTH:
            raise self._reject(
                event.start_mark, "yaml-depth",
                msg("front-matter is nested more than {depth} levels deep; flatten it",
                    depth=MAX_DEPTH),
                path[:1],
            )
        if cls is _Alias:
            raise self._reject(
                event.start_mark, "yaml-alias",
                msg("aliases (*{anchor}) are not allowed; write the value out in full",
                    anchor=event.anchor), path,
            )
        if event.anchor is not None or event.tag is not None:
            self._check_meta(event, path)
        record = self.record
        if record:
            self.doc._marks[path] = event.start_mark  # type: ignore[index]
        if cls is _Scalar:
            return self._scalar(event, path)
        if cls is _SeqStart:
            items: list[Any] = []
            events = self.events
            self.depth += 1
            while type(events[self.i]) is not _SeqEnd:
                items.append(self._node((*path, len(items)) if record else path))
            self.i += 1
            self.depth -= 1
            return items
        if cls is _MapStart:
            self.depth += 1
            result = self._mapping(path)
            self.depth -= 1
            return result
        raise self._reject(event.start_mark, "yaml-syntax", msg("unexpected YAML structure"),
                           path)

    def _mapping(self, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        events = self.events
        record = self.record
        key_marks = self.doc._key_marks
        while True:
            event = events[self.i]
            cls = type(event)
            if cls is _MapEnd:
                self.i += 1
                return result
            self.i += 1
            if cls is not _Scalar:
                raise self._reject(
                    event.start_mark, "yaml-key",
                    msg("keys must be plain words, not lists, mappings or aliases"), path,
                )
            if event.anchor is not None or event.tag is not None:
                raise self._reject(
                    event.start_mark, "yaml-tag",
                    msg("keys may not carry YAML tags or anchors"), path,
                )
            key = event.value
            if not event.style and key in ("<<", "="):
                raise self._special(event, path)
            key_path = (*path, key) if record else path
            if key in result:
                if not record:  # the recording pass names both lines
                    raise _Reject(Problem(0, 0, "duplicate-key", key))
                first = self._pos(key_marks[key_path])[0]  # type: ignore[index]
                raise self._reject(
                    event.start_mark, "duplicate-key",
                    msg("key '{key}' appears twice, on line {first} and line {second}; keep one",
                        key=key, first=first, second=self._pos(event.start_mark)[0]),

                    key_path,
                )
            if record:
                key_marks[key_path] = event.start_mark  # type: ignore[index]
            result[key] = self._node(key_path)

    def _special(self, event: Any, path: Path) -> _Reject:
        return self._reject(
            event.start_mark, "yaml-syntax",
            msg("YAML reads a bare {value} as a special value that the site builder cannot "
                "load; put it in quotes: \"{value}\"", value=event.value), path)

    def _timestamp(self, event: Any, path: Path) -> str:
        """A date written without quotes, kept as text; it must be a real date, because
        MkDocs' YAML loader (reading the same front-matter) fails on 2024-02-30."""
        value: str = event.value
        if len(value) == 10:
            try:
                dt.date(int(value[:4]), int(value[5:7]), int(value[8:10]))
                return value
            except ValueError:
                pass
        node = yaml.ScalarNode(_TIMESTAMP, value, event.start_mark, event.end_mark)
        try:
            self.loader.construct_yaml_timestamp(node)
        except (ValueError, OverflowError, yaml.YAMLError):
            raise self._reject(
                event.start_mark, "format",
                msg("'{value}' is not a real date; check the day and the month", value=value),
                path) from None
        return value

    def _scalar(self, event: Any, path: Path) -> Any:
        value = event.value
        if event.style:  # quoted or block scalar: always a string
            return value
        if value and value[0] not in _IMPLICIT_FIRST:  # no implicit type starts so
            return value
        tag = self.loader.resolve(yaml.ScalarNode, value, (True, False))
        if tag == _STR:
            return value
        if tag == _TIMESTAMP:  # dates stay exactly as written, once known to be dates
            return self._timestamp(event, path)
        constructor = self.loader.yaml_constructors.get(tag)
        if constructor is None:  # '<<' (merge) or '=' (value): MkDocs cannot read them
            raise self._special(event, path)
        if tag == _TIMESTAMP:
            return self._timestamp(event, path)
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark)
        try:
            constructed = constructor(self.loader, node)
        except (ValueError, yaml.YAMLError):  # '0b_', or an int of 5,000 digits
            return value
        if tag == _FLOAT or (tag == _INT and (value[0] in "0+-" or "_" in value
                                               or ":" in value)):
            self.doc.odd_numbers = True
        if self.record:
            self.doc._coerced[path] = value  # type: ignore[index]
        return constructed
