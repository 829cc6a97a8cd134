"""Open data stays well-formed for any text the validator accepts.

Hypothesis writes titles and summaries from every Unicode character (controls,
bidi, quotes, ``<``, formula starts); whatever ``casebook validate`` accepts must
give a CSV whose rows keep their columns and run no formula, Atom feeds that are
XML, and JSON (data files and JSON-LD) that a strict parser reads back exactly.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from casebook.checks.validate import validate
from casebook.content.model import load
from casebook.opendata import exports
from casebook.opendata.exports import FORMULA_START, neutralise
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

BASE = Path(__file__).resolve().parents[1] / "hostile" / "_base" / "content"
CASE = """---
title: {title}
summary: {summary}
kind: practice
organisations:
  - {{id: safe-org, role: owner}}
countries: [NL]
themes: [care]
mechanisms: [co-creation]
period: {{start: 2020}}
stage: active
sources:
  - {{title: Verslag}}
reviewed: 2024-05-01
---

Tekst.
"""


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _strict_json(text: str) -> Any:
    return json.loads(text, parse_constant=_no_constants)


@pytest.fixture(scope="module")
def root() -> Any:
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(BASE, Path(tmp) / "content")
        yield Path(tmp)


text = st.text(min_size=1, max_size=40)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lead=st.sampled_from(["", *FORMULA_START, "\"", "<", "'"]), title=text, summary=text)
def test_any_accepted_text_gives_well_formed_exports(root: Path, lead: str, title: str,
                                                     summary: str) -> None:
    title = lead + "Lab " + title
    summary = lead + "Een praktijk die een gemeente deelt en uitlegt: " + summary
    path = root / "content" / "cases" / "any-text.nl.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(CASE.format(title=json.dumps(title, ensure_ascii=False),
                                summary=json.dumps(summary, ensure_ascii=False)),
                    encoding="utf-8")
    diagnostics, _ = validate(root)
    assume(not [d for d in diagnostics if d.severity == "error"])
    kb = load(root)
    entry = kb.cases["any-text"]
    assert entry.title("nl") == title

    table = list(csv.reader(io.StringIO(exports.cases_csv(kb), newline="")))
    assert len(table) == 2 and len(table[1]) == len(table[0])
    row = dict(zip(table[0], table[1], strict=True))
    assert row["title.nl"] == neutralise(title) and row["summary.nl"] == neutralise(summary)
    assert not [cell for cell in table[1] if cell.startswith(FORMULA_START)]

    for lang in ("nl", "en"):
        feed = ET.fromstring(exports.atom_feed(kb, lang))
        titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
        assert title in titles
        script = exports.jsonld_script(exports.case_jsonld(entry, kb, lang))
        body = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', script, re.S)
        assert body and "</" not in body.group(1)
        assert _strict_json(body.group(1))["name"] == title

    for document in (exports.cases_document(kb), exports.organisations_document(kb)):
        assert _strict_json(exports._json(document)) == json.loads(json.dumps(document))


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_json_refuses_numbers_that_are_not_json(value: float) -> None:
    with pytest.raises(ValueError):
        exports._json({"amount": value})
    with pytest.raises(ValueError):
        exports.jsonld_script({"amount": value})


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    assert neutralise("a" + cell) == "a" + cell


def test_the_feed_refuses_text_xml_cannot_hold(root: Path) -> None:
    """Defence in depth: an unvalidated control character stops the export with the
    case named, instead of writing a feed that is not XML."""
    path = root / "content" / "cases" / "any-text.nl.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(CASE.format(title='"Lab \\e[2J"', summary="Een praktijk die deelt."),
                    encoding="utf-8")
    kb = load(root)
    with pytest.raises(ValueError, match=r"any-text.*U\+001B"):
        exports.atom_feed(kb, "nl")


def _semicolon_cells(line: str) -> list[str]:
    """How a spreadsheet in a Dutch or Belgian locale that splits on ";" without honouring
    quotes would cut a line (the worst case) into cells."""
    return [cell.strip('"') for cell in line.split(";")]


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(st.tuples(st.sampled_from(["", " ", "  "]),
                                 st.sampled_from([*FORMULA_START, "a", "1", "'"]),
                                 st.text(max_size=8)), min_size=1, max_size=5))
def test_no_cell_a_semicolon_locale_starts_is_a_formula(parts: list[tuple[str, str, str]]) -> None:
    cell = neutralise(";".join(space + lead + rest for space, lead, rest in parts))
    for piece in _semicolon_cells(cell):
        assert not piece.lstrip(" ").startswith(FORMULA_START), (cell, piece)


@pytest.mark.parametrize("cell, expected", [
    ("Gent;=1+1;", "Gent;'=1+1;"),
    ('a;=HYPERLINK("https://evil.example")', 'a;\'=HYPERLINK("https://evil.example")'),
    ("x; -1+2", "x; '-1+2"),
    # ordinary text with ';' stays as written
    ("Gemeente Gent; Stad Antwerpen", "Gemeente Gent; Stad Antwerpen"),
    ("werk;en;meer", "werk;en;meer"),
    ("1;2;3", "1;2;3"),
])
def test_semicolon_cells_are_neutralised(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


def _semicolons_outside_quotes(line: str) -> int:
    quoted, count = False, 0
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted:
            count += 1
    return count


def test_lists_and_semicolons_keep_their_cell_in_both_locales(root: Path) -> None:
    path = root / "content" / "cases" / "semi.nl.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(CASE.format(title=json.dumps("Lab; voor iedereen"),
                                summary=json.dumps("Een praktijk die een gemeente deelt en "
                                                   "uitlegt; met een ; erin.")),
                    encoding="utf-8")
    try:
        text = exports.cases_csv(load(root))
    finally:
        path.unlink()
    table = list(csv.reader(io.StringIO(text, newline="")))
    header, row = table[0], next(r for r in table if r[0] == "semi")
    assert len(header) == len(row)
    values = dict(zip(header, row, strict=True))
    assert values["title.nl"] == "Lab; voor iedereen"  # ordinary text kept as written
    # every ';' sits inside a quoted cell: a ';'-locale spreadsheet splits no cell
    assert all(_semicolons_outside_quotes(line) == 0 for line in text.splitlines())
    assert exports.LIST_SEPARATOR.strip() not in ",;"
