"""The message catalogue: every message in Dutch and English, and up to date.

The English templates are the ``msg("...")`` calls in the code, found with
Babel's own extractor (as ``make messages`` does), so rules added by anyone
are discovered here; the Dutch catalogue must hold each of them, translated,
with the same ``{fields}``, and nothing else. Then every diagnostic code is
produced from its fixture and shown in both languages.
"""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

import casebook
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from casebook import cli
from casebook.checks.validate import validate
from casebook.content.diagnostics import format_text
from casebook.content.fieldlabels import human_field
from casebook.i18n import Bilingual, Message, Ordinal, catalogue_path, language_from_environment
from core_kb import BAD, TODAY, build_kb
from test_core_rules import EXPECTED

PACKAGE = Path(casebook.__file__).parent
HINT = "run `make messages` and translate the new msgstr lines"


def _extracted() -> dict[str, list[str]]:
    """Template → where it is used, from Babel's extractor over the package."""
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords={"msg": None},
    ):
        if isinstance(message, str):
            found.setdefault(message, []).append(f"{filename}:{lineno}")
    return found


def _catalogue() -> dict[str, tuple[str, bool]]:
    with catalogue_path("nl").open("rb") as fh:
        cat = read_po(fh, locale="nl")
    return {m.id: (m.string, m.fuzzy) for m in cat if m.id and isinstance(m.id, str)}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_msg_call_has_a_literal_template() -> None:
    """A template built at run time (an f-string, a variable) cannot be translated."""
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "msg"
                    and not (node.args and isinstance(node.args[0], ast.Constant)
                             and isinstance(node.args[0].value, str))):
                bad.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert bad == [], f"msg() needs a plain string template: {bad}"


def test_the_catalogue_is_up_to_date_with_the_code() -> None:
    extracted, catalogue = _extracted(), _catalogue()
    assert len(extracted) > 150  # the extractor still finds the messages
    missing = {t: where for t, where in extracted.items() if t not in catalogue}
    assert missing == {}, f"messages missing from the Dutch catalogue ({HINT}): {missing}"
    obsolete = sorted(set(catalogue) - set(extracted))
    assert obsolete == [], f"catalogue entries no longer in the code ({HINT}): {obsolete}"


def test_every_message_is_translated_with_the_same_fields() -> None:
    problems = []
    for template, (translation, fuzzy) in _catalogue().items():
        if not translation or fuzzy:
            problems.append(f"untranslated: {template!r}")
        elif _fields(translation) != _fields(template):
            problems.append(f"fields differ: {template!r} -> {translation!r}")
    assert problems == []


def _messages(message: Message) -> list[Message]:
    """``message`` and every message among its values."""
    out = [message]
    for value in message.params.values():
        if isinstance(value, Message):
            out += _messages(value)
    return out


def _untranslated(message: Message, catalogue: dict[str, tuple[str, bool]]) -> list[str]:
    return [m.template for m in _messages(message)
            if type(m) is Message and m.template not in catalogue and _fields(m.template)
            != {m.template.strip("{}")}]


@pytest.fixture(scope="module")
def every_finding(tmp_path_factory: pytest.TempPathFactory) -> list:
    """Every diagnostic of every bad fixture (each code of the validator at least once),
    plus the file-level ones that need bytes a fixture cannot hold."""
    findings = []
    for name in sorted(EXPECTED):
        root = build_kb(tmp_path_factory.mktemp(name), name)
        findings += validate(root, today=TODAY)[0]
    root = build_kb(tmp_path_factory.mktemp("bytes"))
    cases = root / "content" / "cases"
    (cases / "latin1.nl.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    # ("nul" alone is a Windows device name, refused as a file name)
    (cases / "nul-byte.nl.md").write_bytes(b"---\ntitle: a\x00b\n---\n")
    (cases / "huge.nl.md").write_bytes(b"---\ntitle: x\n---\n" + b"a" * 1_100_000)
    (cases / "link.nl.md").symlink_to(cases / "lab-one.nl.md")
    findings += validate(root, today=TODAY)[0]
    return findings


def test_every_diagnostic_code_reads_in_dutch_and_english(every_finding) -> None:
    catalogue = _catalogue()
    codes = {d.code for d in every_finding}
    assert {e[4] for rows in EXPECTED.values() for e in rows} <= codes
    assert {"encoding", "nul-byte", "file-too-large", "symlink"} <= codes
    problems = []
    for d in every_finding:
        assert isinstance(d.message, Message), f"{d.code}: not written with msg(): {d.message}"
        missing = _untranslated(d.message, catalogue)
        if missing:
            problems.append(f"{d.code}: no Dutch for {missing}")
        english, dutch = d.format_text("en"), d.format_text("nl")
        assert english == d.format_text() and str(d.message) in english
        if dutch == english:
            problems.append(f"{d.code}: the Dutch line is the English one: {english}")
    assert problems == []


def test_dutch_findings_name_positions_as_people_count() -> None:
    assert human_field("themes[1]", "en") == "themes, 2nd value"
    assert human_field("themes[1]", "nl") == "thema's, 2e waarde"
    assert human_field("organisations[0].id", "en") == "organisations, 1st value, id"
    assert human_field("building_blocks[10].url", "en") == "building blocks, 11th value, URL"
    assert human_field("sources[22].title", "en") == "sources, 23rd value, title"
    assert human_field("challenge.budget.currency", "nl") == "uitdaging, budget, munteenheid"
    assert human_field("mystery[0]", "nl") == "mystery, 1e waarde"  # unknown key: as written
    assert Ordinal(2).translated("nl") == "2e" and Ordinal(12).translated("en") == "12th"
    assert Bilingual("a theme", "thema").translated("nl") == "thema"


def test_validate_lang_nl_prints_dutch(make_kb, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    root = make_kb("unknown-term")
    monkeypatch.chdir(root)
    assert cli.main(["validate", "--lang", "nl"]) == 1
    out = capsys.readouterr().out
    assert out == ("content/cases/unknown-term.nl.md:8:16: fout[unknown-term]: thema's, "
                   "2e waarde: 'mobilty' is geen thema; bedoelt u 'mobility'?\n"
                   "1 fout, 0 waarschuwingen in 6 bestanden\n")
    # --format json keeps the machine fields and adds the chosen language
    assert cli.main(["validate", "--lang", "nl", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    (d,) = report["diagnostics"]
    assert report["lang"] == "nl"
    assert (d["code"], d["field"], d["field_label"]) == ("unknown-term", "themes[1]",
                                                         "thema's, 2e waarde")
    assert d["message_localized"] == "'mobilty' is geen thema; bedoelt u 'mobility'?"
    assert d["message"] == "'mobilty' is not a theme; did you mean 'mobility'?"  # unchanged
    # GitHub annotations too
    assert cli.main(["validate", "--lang", "nl", "--format", "github"]) == 1
    assert "title=unknown-term%3A thema's%2C 2e waarde::'mobilty' is geen thema" in (
        capsys.readouterr().out)


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "en"),
    ({"LANG": "nl_NL.UTF-8"}, "nl"),
    ({"LANG": "nl_BE.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "nl_NL.UTF-8"}, "nl"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8", "LANGUAGE": "nl"}, "en"),  # LANGUAGE counts only with a locale set
    ({"LANG": "de_DE.UTF-8", "LANGUAGE": "fr:nl"}, "nl"),
])
def test_the_default_language_comes_from_the_environment(environ, expected) -> None:
    assert language_from_environment(environ) == expected


def test_environment_sets_the_language_of_validate(make_kb, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(make_kb("missing-section"))
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    assert cli.main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "waarschuwing[missing-section]: hoofdtekst: aanbevolen sectie ontbreekt" in out
    assert cli.main(["validate", "--lang", "en"]) == 0  # the option wins
    assert "warning[missing-section]: body text: recommended section missing" in (
        capsys.readouterr().out)


def test_translation_happens_at_output_not_during_validation(every_finding) -> None:
    """The validator keeps templates and values; text in a language is made when shown."""
    d = next(d for d in every_finding if d.code == "unknown-term")
    assert d.message.template == "'{value}' is not {noun}; {tip}"
    assert format_text([d], 1, "nl").splitlines()[-1] == "1 fout, 0 waarschuwingen in 1 bestand"


def test_bad_fixtures_still_exist() -> None:
    assert all((BAD / name).is_dir() for name in EXPECTED)


def test_a_valid_base_is_parsed_once(make_kb) -> None:
    """Positions (a second parse of a file) are worked out only for findings: the new
    plausibility and section rules must not ask for one on a valid entry."""
    from casebook.content.model import load

    root = make_kb()
    kb = load(root)
    assert validate(root, kb=kb, today=TODAY)[0] == []
    assert [f.rel for f in kb.files() if f.doc._marks is not None] == []
