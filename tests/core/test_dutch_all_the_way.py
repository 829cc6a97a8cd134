"""Dutch all the way: the YAML parser's complaints, plurals, joiners and a label written
where a key belongs, each read in Dutch with nothing of the English left in."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from casebook.checks.validate import validate
from casebook.content.diagnostics import summary_line
from casebook.content.frontmatter import parse_file
from casebook.i18n import msg_n, plural_catalogue, translate

#: Phrases of libyaml's and PyYAML's own English (and English joiners): none of them may
#: reach a Dutch message.
PARSER_PHRASES = ("did not find", "could not find", "expected", "found", "token",
                  "mapping values", "while scanning", "while parsing", "block end",
                  "end of stream", "scalar", "not allowed here", "indicator", "character",
                  " or ", " and ", "eén ")

#: Each mistake a contributor can make in front-matter → (line, column, Dutch words).
MISTAKES = {
    "tab": ("title: X\norganisations:\n\t- id: a\n", 4, 1, "een tab in het inspringen"),
    "tab-deeper": ("title: X\nperiod:\n  \tstart: 2020\n", 4, 3, "een tab in het inspringen"),
    "colon-in-value": ("title: Een titel: met dubbele punt\n", 2, 17, "midden in een waarde"),
    "list-open": ("themes: [a, b\nkind: lab\n", 3, 5, "vierkante haken is niet gesloten"),
    "group-open": ("period: {start: 2020\nkind: lab\n", 3, 5, "accolades is niet gesloten"),
    "quote-open": ("title: 'abc\nkind: lab\n", 3, 10, "niet gesloten"),
    "double-quote-open": ('title: "abc\nkind: lab\n', 3, 10, "niet gesloten"),
    "escape": ('title: "a\\q"\n', 2, 10, "backslash"),
    "out-of-line": ("period:\n    start: 2020\n  end: 2021\n", 4, 3, "niet in lijn"),
    "item-out-of-line": ("title: x\nthemes: a\n- b\n", 4, 1, "niet in lijn"),
    "at-sign": ("title: @foo\n", 2, 8, "kan niet met '@' beginnen"),
    "backtick": ("title: `foo`\n", 2, 8, "kan niet met '`' beginnen"),
    "no-colon": ("title: X\njust words here\nkind: lab\n", 4, 1, "zonder 'veld: waarde'"),
    "missing-value": ("themes:\n- a\n-\n  - b: [\n", 6, 1, "ontbreekt een waarde"),
    "directive": ("title: X\n%YAML 1.1\n", 4, 1, "tussen de velden"),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_each_yaml_mistake_is_explained_in_dutch_with_line_and_column(name):
    front, line, column, words = MISTAKES[name]
    doc = parse_file(f"---\n{front}---\n\nTekst.\n".encode())
    assert len(doc.problems) == 1, doc.problems
    p = doc.problems[0]
    assert (p.line, p.column, p.code) == (line, column, "yaml-syntax")
    dutch = translate(p.message, "nl")
    assert dutch.startswith("ongeldige YAML: ") and words in dutch, dutch
    english_left = [phrase for phrase in PARSER_PHRASES if phrase in dutch.casefold()]
    assert english_left == [], (dutch, english_left)
    assert translate(p.message, "en") != dutch


def test_the_phrase_list_catches_the_parsers_english():
    # What the parser says for a tab, word for word, is caught by the list.
    assert any(p in "found character that cannot start any token" for p in PARSER_PHRASES)
    assert any(p in "ongeldige yaml: did not find expected key" for p in PARSER_PHRASES)


def test_plurals_come_from_the_catalogues_plural_forms():
    forms, rule = plural_catalogue("nl")
    assert forms["{n} error"] == ("{n} fout", "{n} fouten") and rule(1) == 0 and rule(2) == 1
    assert translate(msg_n("{n} error", "{n} errors", 1), "nl") == "1 fout"
    assert translate(msg_n("{n} error", "{n} errors", 0), "nl") == "0 fouten"
    assert summary_line([], 1, "nl") == "0 fouten, 0 waarschuwingen in 1 bestand"
    assert summary_line([], 1, "en") == "0 errors, 0 warnings in 1 file"


def test_every_plural_of_the_catalogue_has_all_its_forms():
    forms, _ = plural_catalogue("nl")
    assert len(forms) >= 6 and all(len(f) == 2 and all(f) for f in forms.values())


@pytest.fixture
def kb_copy(tmp_path: Path, repo_root: Path) -> Path:
    """A copy of the repository's knowledge base."""
    shutil.copytree(repo_root / "content", tmp_path / "content")
    shutil.copy2(repo_root / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def _set(path, prefix, line):
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(rf"(?m)^{re.escape(prefix)}.*$", line, text, count=1)
    assert n == 1
    path.write_text(new, encoding="utf-8")


def test_a_label_where_a_key_belongs_suggests_the_key_with_its_label(kb_copy):
    case = kb_copy / "content" / "cases" / "stadslab2050.nl.md"
    _set(case, "themes:", "themes: [mobiliteit, Public space]")
    _set(case, "kind:", "kind: innovatielab")
    _set(kb_copy / "content" / "organisations" / "stad-brugge.nl.md", "kind:", "kind: Gemeente")
    found = {(d.path.split("/")[-1], d.field): d for d in validate(kb_copy)[0]}
    theme = found[("stadslab2050.nl.md", "themes[0]")]
    assert translate(theme.message, "nl").endswith("bedoelt u 'mobility' (Mobiliteit)?")
    assert translate(theme.message, "en").endswith("did you mean 'mobility' (Mobility)?")
    space = found[("stadslab2050.nl.md", "themes[1]")]
    assert translate(space.message, "en").endswith(
        "did you mean 'public-space' (Public space)?")
    kind = found[("stadslab2050.nl.md", "kind")]
    assert translate(kind.message, "nl").endswith("bedoelt u 'lab' (Innovatielab)?")
    org = found[("stad-brugge.nl.md", "kind")]
    assert "bedoelt u 'municipality' (Gemeente)?" in translate(org.message, "nl")


def test_the_joiner_of_honest_unknowns_is_dutch(kb_copy):
    case = kb_copy / "content" / "cases" / "stadslab2050.nl.md"
    _set(case, "countries:", "countries: [Nederlandt]")
    d = next(d for d in validate(kb_copy)[0] if d.field == "countries[0]")
    dutch = translate(d.message, "nl")
    assert "'international' of 'not-stated'" in dutch and " or " not in dutch, dutch
