"""Value safety: what a front-matter value may hold *after* YAML has parsed it.

The raw text of a file is checked by :func:`casebook.safety.body.check_text`; but
YAML escapes (``"\\e"``, ``"\\u202E"``, ``"\\uFFFE"``) and YAML 1.1's implicit
types make values that the raw text does not show. :func:`check_values` walks
the parsed front-matter and refuses

* characters that no text of the site needs and that can hide, reorder or break
  it: C0 and C1 control characters (tab and newline aside), code points that XML
  forbids (surrogates, U+FFFE, U+FFFF), noncharacters, bidirectional controls,
  every invisible format character (Unicode category Cf, tag characters), the
  Hangul fillers and the line and paragraph separators;
* numbers that are not finite (``.nan``, ``.inf``, ``1.0e+400``): JSON has no
  such numbers;
* numbers that YAML 1.1 reads differently from how a person reads them
  (``10.000`` is ten, ``017`` is fifteen, ``1_2`` is twelve, ``190:20:30`` is a
  base-60 number), explained with how to write them.

Speed: a character can only appear in a parsed string without appearing in the
raw text through a backslash escape, and the loader notes when a plain scalar
became a float or an oddly written int; a file with neither is not walked at
all (the common case).
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from casebook.content import schema as schemas
from casebook.content.diagnostics import Collector
from casebook.content.frontmatter import Path as DataPath
from casebook.content.frontmatter import path_to_field
from casebook.content.model import EntryFile
from casebook.i18n import Message, msg

#: C0 and C1 controls and DEL, except tab and newline.
CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
#: Invisible format characters: Unicode category Cf (with every tag character,
#: U+E0000-U+E007F), the Hangul fillers, and the line and paragraph separators.
FORMAT_BMP = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\u115f\u1160\u3164\uffa0"
)
FORMAT = FORMAT_BMP + (
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e007f"
)
#: Surrogates (never valid text, refused by XML) and the noncharacters
#: (U+FDD0-U+FDEF and the last two code points of every plane).
NONCHARACTERS = "\ud800-\udfff\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
#: Every character a value may not hold.
UNSAFE = re.compile(f"[{CONTROLS}{FORMAT}{NONCHARACTERS}]")
#: What a raw file may not hold (the raw scan): the same without CR (line endings).
UNSAFE_IN_TEXT = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{FORMAT}{NONCHARACTERS}]")
#: The part of :data:`UNSAFE_IN_TEXT` below U+10000: a class the regular expression
#: engine tests with one table look-up, for text without characters above U+FFFF.
UNSAFE_IN_BMP_TEXT = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{FORMAT_BMP}\ud800-\udfff\ufdd0-\ufdef"
    "\ufffe\uffff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


_UNDERSCORED_NUMBER = re.compile(r"[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?")


def unsafe_in_text(text: str) -> re.Pattern[str]:
    """The fastest pattern that finds every character the raw ``text`` may not hold."""
    return UNSAFE_IN_TEXT if _ASTRAL.search(text) else UNSAFE_IN_BMP_TEXT

_NAMES = {
    "\u200b": "ZERO WIDTH SPACE", "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
    "\u3164": "HANGUL FILLER", "\uffa0": "HALFWIDTH HANGUL FILLER",
}
_EMOJI_TAG_BASE = "\U0001f3f4"  # WAVING BLACK FLAG: 🏴 + tag letters + CANCEL TAG
_CANCEL_TAG = "\U000e007f"


def character_name(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``; control characters by their code point."""
    code = ord(ch)
    name = _NAMES.get(ch) or unicodedata.name(ch, "")
    if not name:
        if code < 0x20 or code == 0x7F:
            name = "CONTROL CHARACTER"
        elif 0x80 <= code <= 0x9F:
            name = "C1 CONTROL CHARACTER"
        elif 0xD800 <= code <= 0xDFFF:
            name = "SURROGATE"
        elif (code & 0xFFFE) == 0xFFFE or 0xFDD0 <= code <= 0xFDEF:
            name = "NONCHARACTER"
        else:
            name = "UNNAMED CHARACTER"
    return f"U+{code:04X} {name}"


def why(ch: str) -> Message:
    """What the character does, for a message."""
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return msg("a control character, which can break the data files and fake terminal "
                   "output")
    if 0xD800 <= code <= 0xDFFF or (code & 0xFFFE) == 0xFFFE or 0xFDD0 <= code <= 0xFDEF:
        return msg("not a character of any text, and XML (the feeds) forbids it")
    return msg("invisible and can hide or reorder text")


def is_part_of_emoji(text: str, index: int) -> bool:
    """True for a character at ``index`` that belongs to an emoji: a ZERO WIDTH
    JOINER between two emoji (👩🏽‍💻), or a tag character of a subdivision flag
    (🏴 + tag letters + CANCEL TAG, as in the flag of Scotland)."""
    ch = text[index]
    if ch == "\u200d":
        before = text[index - 1] if index else ""
        if before == "\ufe0f" and index > 1:  # emoji presentation selector
            before = text[index - 2]
        after = text[index + 1] if index + 1 < len(text) else ""
        return bool(before and after) and _is_emoji(before) and _is_emoji(after)
    if "\U000e0020" <= ch <= _CANCEL_TAG:
        start = index
        while start and "\U000e0020" <= text[start - 1] <= "\U000e007e":
            start -= 1
        end = index
        while end < len(text) and "\U000e0020" <= text[end] <= "\U000e007e":
            end += 1
        return (start > 0 and text[start - 1] == _EMOJI_TAG_BASE and end > start
                and end < len(text) and text[end] == _CANCEL_TAG
                and (end > index or ch == _CANCEL_TAG))
    return False


def _is_emoji(ch: str) -> bool:
    return ord(ch) >= 0x1F000 or 0x2600 <= ord(ch) <= 0x27BF


def unsafe_characters(text: str, pattern: re.Pattern[str] = UNSAFE) -> list[int]:
    """Indexes in ``text`` of the characters a value may not hold."""
    if text.isascii() and text.isprintable():
        return []
    return [m.start() for m in pattern.finditer(text) if not is_part_of_emoji(text, m.start())]


#: Number spellings YAML 1.1 reads differently from a reader.
_OCTAL = re.compile(r"[-+]?0[0-7_]+")
# Starts only where a number can (the lookbehind): linear when searched, too.
_SEXAGESIMAL = re.compile(r"(?<![-+0-9_:])[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_GROUPED = re.compile(r"[-+]?[0-9]{1,3}(?:\.[0-9]{3})+")


def check_values(f: EntryFile, out: Collector, schema_name: str) -> None:
    """Report unsafe characters and surprising or non-finite numbers in ``f``'s values
    (``schema_name``: the schema the file is checked against)."""
    data = f.doc.data
    if not data:
        return
    # A character can only hide behind a backslash escape (the raw scan sees the rest),
    # and the loader notes floats and oddly written ints: the common case ends here.
    text, doc = f.doc.text, f.doc
    escapes = text.find("\\", text.find("\n") + 1, doc.body_start or len(text)) >= 0
    numbers = doc.odd_numbers
    if not (escapes or numbers):
        return
    front_matter = doc.front_matter()
    raw = schemas.raw_schema(schema_name)
    _walk(f, data, (), front_matter if escapes else "", raw, out)
    if not numbers:
        return
    for path, source in f.doc.coerced.items():
        message = number_surprise(source)
        if message and _is_number_field(raw, path):
            out.error(f, f.doc.position(path), "yaml-number", path_to_field(path), message)


def _is_number_field(raw: dict[str, Any], path: DataPath) -> bool:
    """True where the schema wants a number: a text field reports a number as a
    YAML coercion already (see ``casebook.checks.validate``)."""
    node = schemas.subschema(raw, path) or {}
    branches = [schemas.resolve(raw, b) for b in node.get("anyOf", ())]
    types = [node.get("type")] + [b.get("type") for b in branches if isinstance(b, dict)]
    return any(t in ("number", "integer") for t in types)


def number_surprise(source: str) -> str | None:
    """Why YAML 1.1 reads the plain scalar ``source`` as a number a reader would not
    expect, and how to write it (``None``: no surprise)."""
    text = source.strip()
    quoted = f'"{text}"'
    if _GROUPED.fullmatch(text):
        return msg("YAML reads {source} as the decimal number {value}, not as a number "
                   "with thousands separators; write it without separators ({plain}), or "
                   "in quotes if it is text: {quoted}",
                   source=text, value=float(text), plain=text.replace(".", ""), quoted=quoted)
    if _OCTAL.fullmatch(text) and text.strip("-+0_"):
        return msg("YAML reads {source} as an octal number ({value}) because of the leading "
                   "zero; write it without the zero ({plain}), or in quotes if it is text "
                   "(a code or a number with leading zeros): {quoted}",
                   source=text, value=int(text.replace("_", ""), 8),
                   plain=text.lstrip("-+").lstrip("0_") or "0", quoted=quoted)
    if _SEXAGESIMAL.fullmatch(text):
        return msg("YAML reads {source} as a base-60 number (like a time), not as written; "
                   "put it in quotes: {quoted}", source=text, quoted=quoted)
    if "_" in text and _UNDERSCORED_NUMBER.fullmatch(text):
        return msg("YAML drops the underscores in {source} and reads the number {plain}; "
                   "write {plain}, or put it in quotes if it is text: {quoted}",
                   source=text, plain=text.replace("_", ""), quoted=quoted)
    return None


def _walk(f: EntryFile, value: Any, path: DataPath, front_matter: str, raw: dict[str, Any],
          out: Collector) -> None:
    if isinstance(value, str):
        if front_matter:  # only when the front-matter holds an escape
            for index in unsafe_characters(value):
                ch = value[index]
                if ch in front_matter:
                    continue  # written as itself: the raw scan reports it at its place
                out.error(f, f.doc.position(path), "unsafe-character", path_to_field(path),
                          msg("{name} (written as an escape) is {why}; remove it",
                              name=character_name(ch), why=why(ch)))
    elif isinstance(value, float):
        if not math.isfinite(value) and _is_number_field(raw, path):
            source = f.doc.coerced.get(path, str(value))
            out.error(f, f.doc.position(path), "number", path_to_field(path),
                      msg("{source} is not a finite number (YAML reads it as {value}), and "
                          "the open data (JSON) cannot hold it; write an ordinary number",
                          source=source, value=str(value)))
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(f, item, (*path, key), front_matter, raw, out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk(f, item, (*path, i), front_matter, raw, out)
