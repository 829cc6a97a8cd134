"""Diagnostics: one finding with file, line, column, field, severity and code."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Literal

from casebook.content.fieldlabels import human_field
from casebook.i18n import msg, msg_n, translate

if TYPE_CHECKING:
    from casebook.content.model import EntryFile

Severity = Literal["error", "warning"]

#: What a terminal, a log or a reader could take for something else: control
#: characters (C0 with tab and newline, DEL, C1), bidirectional and other
#: invisible format characters, line and paragraph separators, lone surrogates.
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]")
#: The same, less what ``json.dumps`` escapes itself (C0): JSON's own newlines stay.
_UNPRINTABLE_IN_JSON = re.compile(
    "[\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    code = ord(ch)
    return _SHORT.get(ch) or (f"\\x{code:02x}" if code < 0x100 else
                              f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")


def printable(text: str) -> str:
    """``text`` with every control or invisible character written as an escape
    (``\\x1b``, ``\\n``, ``\\u202e``): an echoed value cannot move the cursor,
    start a new line (a fake "0 errors") or reorder what a reader sees."""
    return _UNPRINTABLE.sub(_escape, text) if not (text.isascii() and text.isprintable()) \
        else text


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """A single validation finding. Lines and columns are 1-based."""

    path: str
    line: int
    column: int
    severity: Severity
    code: str
    field: str
    message: str

    def format_text(self, lang: str = "en") -> str:
        """Render as ``path:line:col: severity[code]: field: message`` in ``lang``,
        the field named as people count (``themes, 2nd value``); control and
        invisible characters in echoed values are escaped (:func:`printable`)."""
        field = printable(human_field(self.field, lang))
        field = f"{field}: " if field else ""
        return (
            f"{printable(self.path)}:{self.line}:{self.column}: "
            f"{severity_word(self.severity, lang)}[{self.code}]: "
            f"{field}{printable(translate(self.message, lang))}"
        )

    def as_dict(self, lang: str = "en") -> dict[str, object]:
        """The JSON shape of the contract, unchanged (``message`` in English), plus
        ``message_localized`` and ``field_label`` (the field as people name it) in
        ``lang``."""
        out = asdict(self)
        out["message"] = str.__str__(self.message)
        out["message_localized"] = translate(self.message, lang)
        out["field_label"] = human_field(self.field, lang)
        return out


#: The severity as a word of the reader's language (``error`` stays ``error`` in English).
_SEVERITY = {"nl": {"error": "fout", "warning": "waarschuwing"}}


def severity_word(severity: str, lang: str) -> str:
    """``error`` → ``fout`` in Dutch; unchanged in English."""
    return _SEVERITY.get(lang, {}).get(severity, severity)


class Collector:
    """Gathers the findings of one validation run."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []
        #: Fields holding a placeholder, per file.
        self.placeholders: dict[str, set[str]] = {}

    def add(self, path: str, pos: tuple[int, int], severity: Severity, code: str,
            field: str, message: str) -> None:
        self.items.append(Diagnostic(path, pos[0], pos[1], severity, code, field, message))

    def error(self, f: EntryFile, pos: tuple[int, int], code: str, field: str, msg: str) -> None:
        self.add(f.rel, pos, "error", code, field, msg)

    def warning(self, f: EntryFile, pos: tuple[int, int], code: str, field: str, msg: str) -> None:
        self.add(f.rel, pos, "warning", code, field, msg)


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    """Stable order: by file, then position, then code."""
    return (d.path, d.line, d.column, d.code, d.field)


def count(diagnostics: Iterable[Diagnostic]) -> tuple[int, int]:
    """Return (errors, warnings)."""
    errors = warnings = 0
    for d in diagnostics:
        if d.severity == "error":
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def summary_line(diagnostics: Sequence[Diagnostic], files: int, lang: str = "en") -> str:
    """``2 errors, 1 warning in 37 files`` in ``lang``."""
    errors, warnings = count(diagnostics)
    line = msg("{errors}, {warnings} in {files}",
               errors=msg_n("{n} error", "{n} errors", errors),
               warnings=msg_n("{n} warning", "{n} warnings", warnings),
               files=msg_n("{n} file", "{n} files", files))
    return translate(line, lang)


def format_text(diagnostics: Sequence[Diagnostic], files: int, lang: str = "en") -> str:
    """Text report: one line per finding and a summary line."""
    lines = [d.format_text(lang) for d in diagnostics]
    lines.append(summary_line(diagnostics, files, lang))
    return "\n".join(lines) + "\n"


def _json_escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # as a UTF-16 surrogate pair, which JSON parsers join again
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def format_json(diagnostics: Sequence[Diagnostic], files: int, lang: str = "en") -> str:
    """JSON report as specified by the content contract (see :meth:`Diagnostic.as_dict`).
    Control and invisible characters are written as ``\\uXXXX`` escapes: the parsed
    values are exact, and the bytes printed on a terminal are plain."""
    errors, warnings = count(diagnostics)
    return _UNPRINTABLE_IN_JSON.sub(_json_escape, (
        json.dumps(
            {
                "errors": errors,
                "warnings": warnings,
                "files": files,
                "lang": lang,
                "diagnostics": [d.as_dict(lang) for d in diagnostics],
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    ))


def _escape_data(value: str) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(value)


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Sequence[Diagnostic], files: int, lang: str = "en") -> str:
    """GitHub workflow commands (annotations) plus the summary line."""
    lines = []
    for d in diagnostics:
        field = human_field(d.field, lang)
        title = f"{d.code}: {field}" if field else d.code
        lines.append(
            f"::{d.severity} file={_escape_property(d.path)},line={d.line},col={d.column},"
            f"title={_escape_property(title)}::{_escape_data(translate(d.message, lang))}"
        )
    lines.append(summary_line(diagnostics, files, lang))
    return "\n".join(lines) + "\n"


def _md_cell(value: str) -> str:
    return printable(value.replace("|", "\\|").replace("`", "'"))


def github_step_summary(diagnostics: Sequence[Diagnostic], files: int, lang: str = "en") -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: a heading, the summary and a table."""
    out = [translate(msg("## Casebook validation"), lang), "",
           summary_line(diagnostics, files, lang), ""]
    if diagnostics:
        out += [
            translate(msg("| File | Line | Column | Severity | Code | Field | Message |"), lang),
            "|---|---:|---:|---|---|---|---|",
        ]
        for d in diagnostics:
            out.append(
                f"| `{_md_cell(d.path)}` | {d.line} | {d.column} | "
                f"{severity_word(d.severity, lang)} | {d.code} | "
                f"{_md_cell(human_field(d.field, lang))} | "
                f"{_md_cell(translate(d.message, lang))} |"
            )
    return "\n".join(out) + "\n"


def append_step_summary(diagnostics: Sequence[Diagnostic], files: int, lang: str = "en") -> None:
    """Append the Markdown summary where ``GITHUB_STEP_SUMMARY`` names a file."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(github_step_summary(diagnostics, files, lang))


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
