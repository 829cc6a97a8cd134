"""The YAML parser's complaints in people's words, in every language of the catalogue.

libyaml and PyYAML describe a syntax error in their own English ("did not find
expected key", "found character that cannot start any token"). :func:`explain`
recognises each mistake a contributor can make in front-matter by the parser's
phrase (both parsers' wordings) and the line it points at, and returns a message
from the catalogue that says what is wrong and what to write instead: a tab in
the indentation, a ': ' inside a value, a quote or bracket left open, a line out
of line with the field above it. Nothing of the parser's English reaches the
message; an unknown phrase gets a general explanation, never the phrase.
"""

from __future__ import annotations

import re

from casebook.i18n import Message, msg


def _tab(line: str) -> int | None:
    """The 1-based column of a tab in the indentation of ``line``, if any."""
    m = re.match(r"[ \t]*", line)
    indent = m.group(0) if m else ""
    return indent.index("\t") + 1 if "\t" in indent else None


#: Parser phrase (a regular expression over problem and context) → explanation.
_PHRASES: tuple[tuple[str, Message], ...] = (
    (r"tab", msg("a tab in the indentation; indent with spaces only")),
    (r"mapping values are not allowed",
     msg("a ': ' inside a value; put a text that contains ': ' in quotes, or give the field "
         "its own line")),
    (r"could not find expected ':'",
     msg("a line without 'field: value' among the fields; add the ':' or put a long text in "
         "quotes on one line")),
    (r"did not find expected ',' or '\]'|expected ',' or '\]'",
     msg("a list in square brackets is not closed; end it with ']' and separate the values "
         "with commas")),
    (r"did not find expected ',' or '\}'|expected ',' or '\}'",
     msg("a group in curly brackets is not closed; end it with a closing curly bracket and "
         "separate the parts with commas")),
    (r"unknown escape character|escape",
     msg("a backslash in a text between double quotes; put the text between single quotes "
         "instead")),
    (r"quoted scalar|unexpected end of stream",
     msg("a quote is opened but not closed; close the text with the same quote mark")),
    (r"did not find expected key|expected <block end>|did not find expected '-' indicator",
     msg("this line is not in line with the field above it; indent it as far as the other "
         "fields of the same level, or put a text with ': ' or ' #' in quotes")),
    (r"block sequence entries are not allowed",
     msg("a '- ' item where a value was expected; put the list on the lines under its field")),
    (r"did not find expected node content|expected the node content|while parsing a flow node",
     msg("a value is missing after a '-', ',' or ':'; write the value or remove the mark")),
    (r"document (start|end|indicator)|unexpected document",
     msg("a line '---' or '...' among the fields; remove it, the fields end at the last '---'")),
    (r"alias|anchor", msg("a value cannot start with '&' or '*'; put it in quotes")),
    (r"tag", msg("a value cannot start with '!'; put it in quotes")),
)


def explain(problem: str, context: str, line: str, column: int) -> tuple[Message, int]:
    """What the parser's ``problem`` means on ``line`` (and the column to point at)."""
    tab = _tab(line)
    if tab is not None and tab <= max(column, 1) + 1:
        return _PHRASES[0][1], tab
    text = f"{problem} {context}".casefold()
    if "cannot start any token" in text:
        char = line[column - 1] if 0 < column <= len(line) else ""
        if char == "\t":
            return _PHRASES[0][1], column
        if char:
            return msg("a value cannot start with '{char}'; put the value in quotes",
                       char=char), column
    for phrase, message in _PHRASES:
        if re.search(phrase, text):
            return message, column
    return msg("the fields cannot be read here; check the brackets, the indentation and the "
               "quotes, and put a text containing ': ' or ' #' in quotes"), column
