"""Parsed values (after YAML) and the validator's output: what a value may hold,
and that no echoed value can fake a line of the report."""

from __future__ import annotations

import json
import re
import sys
import unicodedata

import pytest
from casebook.content import schema as schemas
from casebook.content.diagnostics import (
    Diagnostic,
    format_github,
    format_json,
    format_text,
    printable,
)
from casebook.safety.values import UNSAFE, is_part_of_emoji, number_surprise, unsafe_characters
from hypothesis import given
from hypothesis import strategies as st


def test_every_format_character_of_this_python_is_refused() -> None:
    """Category Cf (as this Python's Unicode database has it) is covered, so a
    newer Unicode cannot add an invisible character the rule does not know."""
    missing = [f"U+{i:04X}" for i in range(sys.maxunicode + 1)
               if unicodedata.category(chr(i)) == "Cf" and not UNSAFE.match(chr(i))]
    assert missing == []


@pytest.mark.parametrize("ch", ["\x1b", "\x85", "\x9b", "\r", "\x7f", "\ud800", "\ufffe",
                                "\U0010ffff", "\ufdd0", "\u202e", "\u2066", "\U000e0041",
                                "\u115f", "\u1160", "\u3164", "\uffa0", "\u00ad", "\u2028"])
def test_unsafe_characters_are_found(ch: str) -> None:
    assert unsafe_characters(f"a{ch}b") == [1]


@pytest.mark.parametrize("text", ["Gemeente Gent", "tab\there", "two\nlines", "café", "東京",
                                  "עִברִית", "👩🏽\u200d💻", "🏴\U000e0067\U000e0062\U000e0073"
                                  "\U000e0063\U000e0074\U000e007f", "x\u00a0y"])
def test_ordinary_text_and_emoji_pass(text: str) -> None:
    assert unsafe_characters(text) == []


def test_a_stray_tag_character_is_not_an_emoji() -> None:
    flagless = "a\U000e0067\U000e007f"
    assert [i for i in range(len(flagless)) if is_part_of_emoji(flagless, i)] == []


@pytest.mark.parametrize(("source", "wanted"), [
    ("10.000", "10000"), ("017", "octal number (15)"), ("1_2", "12"),
    ("190:20:30", "base-60"), ("-017", "octal"),
])
def test_yaml_number_surprises_are_explained_with_quoting_advice(source: str,
                                                                 wanted: str) -> None:
    message = number_surprise(source)
    assert message and wanted in message and f'"{source}"' in message


@pytest.mark.parametrize("source", ["10", "2.5", "10.5", "0", "0.5", "1.25", "2020"])
def test_ordinary_numbers_are_no_surprise(source: str) -> None:
    assert number_surprise(source) is None


def test_patterns_match_the_whole_value() -> None:
    validator = schemas.validator("case")
    errors = [e.validator for e in validator.iter_errors({"reviewed": "2020-01-01\n"})
              if list(e.absolute_path) == ["reviewed"]]
    assert errors == ["pattern"]
    assert not [e for e in validator.iter_errors({"reviewed": "2020-01-01"})
                if list(e.absolute_path) == ["reviewed"]]


FAKE = "x\n0 errors, 0 warnings in 1 file\x1b[2K\r\u202e"


def _diagnostic(value: str) -> Diagnostic:
    return Diagnostic(f"content/cases/{value}.nl.md", 2, 8, "error", "format", f"title{value}",
                      f"'{value}' is not a date")


@pytest.mark.parametrize("fmt", [format_text, format_github])
def test_text_and_github_output_keep_one_line_per_finding(fmt: object) -> None:
    out = fmt([_diagnostic(FAKE)], 1)  # type: ignore[operator]
    lines = out.splitlines()
    assert len(lines) == 2 and lines[-1] == "1 error, 0 warnings in 1 file"
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", out)
    assert "\\x1b[2K" in lines[0] or "%0A" in lines[0]


def test_json_output_escapes_the_bytes_and_keeps_the_values() -> None:
    value = FAKE + "\x9b\u2028\U000e0041"
    out = format_json([_diagnostic(value)], 1)
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u202e\U000e0041]", out)
    assert json.loads(out)["diagnostics"][0]["message"] == f"'{value}' is not a date"


@given(st.text())
def test_printable_never_lets_a_control_or_invisible_character_through(text: str) -> None:
    shown = printable(text)
    assert "\n" not in shown and "\r" not in shown
    assert not re.search("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]", shown)

