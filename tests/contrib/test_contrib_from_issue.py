"""``casebook from-issue``: a submitted issue form, in GitHub's exact format, becomes a
case that validates; hostile forms are refused with a message naming the form field."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from casebook.content.frontmatter import parse_file
from casebook.intake.fromissue import MAX_BODY_CHARS, convert, from_issue, report
from issuebodies import FILLED, github_body


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def _front(path: Path) -> dict:
    doc = parse_file(path.read_bytes())
    assert not doc.problems, doc.problems
    return doc.data


def _form(kind: str, **changes: object) -> dict:
    answers = dict(FILLED[kind])
    answers.update(changes)
    return answers


# --- a filled form per kind ----------------------------------------------------------

@pytest.mark.parametrize("kind", ["lab", "challenge", "practice", "repository"])
def test_a_filled_form_of_each_kind_becomes_a_case_that_validates(kind, kb_copy, casebook,
                                                                   tmp_path):
    issue = tmp_path / "issue.md"
    issue.write_text(github_body(FILLED[kind]), encoding="utf-8")
    before = _files(kb_copy)
    result = casebook("from-issue", str(issue), "--root", str(kb_copy),
                      "--reviewed", "2025-01-02")
    assert result.returncode == 0, result.stdout + result.stderr
    new = _files(kb_copy) - before
    lang = "en" if FILLED[kind]["lang"] == "English" else "nl"
    assert len(new) == 1 and next(iter(new)).startswith("content/cases/")
    path = kb_copy / next(iter(new))
    assert path.name.endswith(f".{lang}.md")
    data = _front(path)
    assert data["kind"] == kind and data["reviewed"] == "2025-01-02"
    assert data["title"] == FILLED[kind]["title"]
    check = casebook("validate", str(path), "--root", str(kb_copy), "--format", "json")
    assert check.returncode == 0, check.stdout
    assert json.loads(check.stdout)["errors"] == 0


def test_every_answer_is_transferred_and_nothing_is_added(kb_copy):
    out = from_issue(github_body(FILLED["challenge"]), kb_copy,
                     reviewed=dt.date(2025, 1, 2))
    assert out.ok, out.conv.problems
    data = _front(kb_copy / out.rel)
    assert data == {
        "schema": 1, "title": "Uitdaging slimme parkeerdata",
        "summary": "Een open uitdaging aan bedrijven om parkeerdata bruikbaar te maken.",
        "kind": "challenge", "organisations": [{"id": "stad-brugge", "role": "owner"}],
        "countries": ["BE"], "themes": ["mobility", "data"], "mechanisms": ["open-challenge"],
        "barriers": ["funding"], "period": {"start": 2022, "start_known": False, "end": 2022},
        "stage": "completed",
        "links": [{"url": "https://www.example.org/oproep", "kind": "website",
                   "label": "De oproep"}],
        "sources": [{"title": "Oproep slimme parkeerdata", "publisher": "Stad Brugge",
                     "date": "2022-02"}],
        "reviewed": "2025-01-02",
        "challenge": {"procurement": "prize",
                      "budget": {"amount": 50000, "currency": "EUR", "per": "total"},
                      "submissions": 12, "selected": 3},
    }
    text = (kb_copy / out.rel).read_text(encoding="utf-8")
    assert text.split("---\n", 2)[2] == "\n" + FILLED["challenge"]["body"]


def test_crlf_bodies_and_a_country_typed_by_name(kb_copy):
    # The country list is short (NL and BE first); any other country is typed by name.
    answers = _form("practice", countries=[
        "Een ander land (typ het hieronder) / Another country (type it below)",
        "Nederland / Netherlands (NL)"], other_countries="Sint-Helena")
    out = from_issue(github_body(answers, crlf=True), kb_copy)
    assert out.ok, out.conv.problems
    data = _front(kb_copy / out.rel)
    assert data["countries"] == ["NL", "SH"]
    assert "\r" not in (kb_copy / out.rel).read_text(encoding="utf-8")


def test_the_original_language_comes_from_the_form(kb_copy):
    out = from_issue(github_body(_form("practice", lang="English")), kb_copy)
    assert out.ok and out.rel.endswith(".en.md")
    assert not list((kb_copy / "content" / "cases").glob("proeftuin-slimme-verlichting.nl.md"))


def test_the_event_payload_gives_body_number_and_author(kb_copy, casebook, tmp_path):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "labeled", "issue": {
        "number": 12, "user": {"login": "octo-cat"}, "body": github_body(FILLED["lab"])}}),
        encoding="utf-8")
    pr = tmp_path / "pr.md"
    result = casebook("from-issue", "--event", str(event), "--report", str(pr),
                      "--root", str(kb_copy))
    assert result.returncode == 0, result.stdout + result.stderr
    text = pr.read_text(encoding="utf-8")
    assert "Closes #12" in text and "@octo-cat" in text
    assert "content/cases/stadslab-voor-de-binnenstad.nl.md" in text


# --- hostile and broken forms --------------------------------------------------------

def test_an_injected_heading_is_refused_not_read_as_a_field(kb_copy):
    summary = ("Een samenvatting van dertig tekens of meer.\n\n### Soort casus / Kind of case"
               "\n\nInnovatielab / Innovation lab")
    out = from_issue(github_body(_form("practice", summary=summary)), kb_copy)
    assert not out.ok and out.rel is None
    messages = [(p.field.id, str(p.message)) for p in out.conv.problems]
    assert any(fid == "kind" and "more than once" in m for fid, m in messages), messages
    assert not list((kb_copy / "content" / "cases").glob("proeftuin*"))


def test_other_headings_in_the_text_stay_text(kb_copy):
    body = FILLED["practice"]["body"] + "\n### Een kopje van de bijdrager\n\nMeer tekst.\n"
    out = from_issue(github_body(_form("practice", body=body)), kb_copy)
    assert out.ok, out.conv.problems
    assert "### Een kopje van de bijdrager" in (kb_copy / out.rel).read_text(encoding="utf-8")


def test_yaml_in_a_field_is_a_quoted_string_never_yaml_structure(kb_copy):
    title = "x: {y: 1} &a *a !!python/object/apply:os.system ['id']"
    summary = "- [1, 2]\n--- \nkind: lab\n!!binary ZmFrZQ== # en genoeg tekens om te tellen"
    place = "'; reviewed: 1900-01-01"
    body = "---\nkind: lab\nreviewed: 1900-01-01\n---\n\n" + FILLED["practice"]["body"]
    out = from_issue(github_body(_form("practice", title=title, summary=summary,
                                       places=place, body=body)), kb_copy)
    assert out.ok, (out.conv.problems, out.diagnostics)
    data = _front(kb_copy / out.rel)
    assert data["title"] == title
    assert data["summary"] == " ".join(summary.split())
    assert data["places"] == [place]
    assert data["kind"] == "practice" and data["reviewed"] != "1900-01-01"
    # The YAML a reader would parse holds plain strings only (no tags, no aliases).
    front = (kb_copy / out.rel).read_text(encoding="utf-8").split("---\n")[1]
    assert yaml.safe_load(front)["title"] == title


def test_oversize_text_is_refused_and_nothing_is_written(kb_copy):
    before = _files(kb_copy)
    body = FILLED["practice"]["body"] + "x" * MAX_BODY_CHARS
    out = from_issue(github_body(_form("practice", body=body)), kb_copy)
    assert not out.ok and "65536" in str(out.conv.problems[0].message)
    assert _files(kb_copy) == before


def test_a_too_long_title_is_reported_on_the_title_field_and_not_kept(kb_copy):
    before = _files(kb_copy)
    out = from_issue(github_body(_form("practice", title="Lang " * 40)), kb_copy, lang="nl")
    assert not out.ok
    assert any(d.field == "title" for d in out.errors)
    assert "- **Titel**:" in report(out)
    assert _files(kb_copy) == before


@pytest.mark.parametrize("title, expected", [
    ("../../../etc/passwd", "etc-passwd"),
    ("..\\..\\Windows\\win.ini", "windows-win-ini"),
    ("/tmp/x/../../content/cases/evil", "tmp-x-content-cases-evil"),
])
def test_a_title_with_path_parts_gives_a_safe_slug_inside_content_cases(kb_copy, title,
                                                                        expected):
    before = _files(kb_copy)
    out = from_issue(github_body(_form("practice", title=title)), kb_copy)
    assert out.entry_id == expected
    assert _files(kb_copy) - before == {f"content/cases/{expected}.nl.md"}


def test_a_title_without_letters_is_refused_naming_the_title(kb_copy):
    before = _files(kb_copy)
    out = from_issue(github_body(_form("practice", title="../../..")), kb_copy)
    assert [p.field.id for p in out.conv.problems] == ["title"]
    assert _files(kb_copy) == before


def test_unknown_dropdown_values_are_refused_naming_the_field(kb_copy):
    answers = _form("practice", themes=["Energie / Energy", "!Ruimtevaart / Space"],
                    stage="!Bijna klaar")
    out = from_issue(github_body(answers), kb_copy)
    problems = {p.field.id: str(p.message) for p in out.conv.problems}
    assert "Ruimtevaart / Space" in problems["themes"]
    assert "Bijna klaar" in problems["stage"]
    assert out.rel is None


def test_keys_and_labels_in_either_language_are_accepted(kb_copy):
    answers = _form("practice", themes=["!energy", "!Public space"], stage="!afgerond",
                    organisations="stad-antwerpen | OWNER")
    out = from_issue(github_body(answers), kb_copy)
    assert out.ok, out.conv.problems
    data = _front(kb_copy / out.rel)
    assert data["themes"] == ["energy", "public-space"] and data["stage"] == "completed"


@pytest.mark.parametrize("lang, label, other", [("nl", "Titel", "Title"),
                                                ("en", "Title", "Titel")])
def test_a_missing_required_field_is_named_in_the_contributors_language(
        kb_copy, casebook, tmp_path, lang, label, other):
    issue = tmp_path / "issue.md"
    issue.write_text(github_body(_form("practice", title=None)), encoding="utf-8")
    result = casebook("from-issue", str(issue), "--root", str(kb_copy), "--lang", lang)
    assert result.returncode == 1
    assert f"error: {label}: " in result.stdout and f"{other}:" not in result.stdout
    assert not list((kb_copy / "content" / "cases").glob("*-.md"))


def test_a_field_required_for_the_kind_and_a_field_of_another_kind(kb_copy):
    answers = _form("challenge", challenge_procurement=None, lab_founded="2010")
    out = from_issue(github_body(answers), kb_copy)
    problems = {p.field.id: str(p.message) for p in out.conv.problems}
    assert "required for this kind" in problems["challenge_procurement"]
    assert "only for another kind" in problems["lab_founded"]


def test_rows_with_too_many_cells_or_a_missing_cell(kb_copy):
    answers = _form("practice",
                    organisations="stad-antwerpen | eigenaar | | | | extra\n\n| partner",
                    sources="| Uitgever zonder titel")
    out = from_issue(github_body(answers), kb_copy, lang="en")
    problems = [(p.field.id, str(p.message)) for p in out.conv.problems]
    assert ("organisations", "line 1 has 6 parts separated by '|', but this field takes at "
            "most 5: name | role | kind | country | website") in problems
    assert ("organisations", "line 3: the name is missing") in problems
    assert ("sources", "line 1: the title is missing") in problems


ANOTHER = "Een ander land (typ het hieronder) / Another country (type it below)"


@pytest.mark.parametrize("typed, expected", [
    ("Canada", ["BE", "CA"]),                       # the same in both languages
    ("Zuid-Korea, Verenigde Staten", ["BE", "KR", "US"]),  # Dutch names
    ("south korea, UNITED STATES", ["BE", "KR", "US"]),  # English, any case
    ("Curacao", ["BE", "CW"]),                      # without its accent (Curaçao)
    ("Ivoorkust", ["BE", "CI"]),                    # CLDR's Dutch name of Côte d'Ivoire
    ("Atlantis", None),                             # a name we do not know
])
def test_another_country_is_typed_by_name(kb_copy, typed, expected):
    answers = _form("practice", countries=["België / Belgium (BE)", ANOTHER],
                    other_countries=typed)
    out = from_issue(github_body(answers), kb_copy, lang="nl")
    if expected is None:
        problems = {p.field.id: str(p.message) for p in out.conv.problems}
        assert problems == {"other_countries": "'Atlantis' is not a country we know; write "
                            "its name in Dutch or English, for example Zwitserland or "
                            "Switzerland"}
        assert out.rel is None
        return
    assert out.ok, out.conv.problems
    assert _front(kb_copy / out.rel)["countries"] == expected


def test_another_country_chosen_but_not_typed_is_a_question_on_the_free_field(kb_copy):
    answers = _form("practice", countries=[ANOTHER])
    out = from_issue(github_body(answers), kb_copy, lang="nl")
    problems = [(p.field.id, str(p.message)) for p in out.conv.problems]
    assert problems == [("other_countries", "you chose another country above; type its "
                                            "name here")]
    # In Dutch, in the form's terms.
    text = report(out, "nl")
    assert "Andere landen" in text and "u koos hierboven een ander land; typ hier de naam" in text


def test_a_name_typed_without_choosing_another_country_is_still_read(kb_copy):
    answers = _form("practice", countries=["Nederland / Netherlands (NL)"],
                    other_countries="Zwitserland")
    out = from_issue(github_body(answers), kb_copy)
    assert out.ok, out.conv.problems
    assert _front(kb_copy / out.rel)["countries"] == ["NL", "CH"]


def test_the_licence_must_be_ticked(kb_copy):
    out = from_issue(github_body(_form("practice", licence=False)), kb_copy)
    assert [p.field.id for p in out.conv.problems] == ["licence"]


def test_an_existing_case_is_never_overwritten(kb_copy):
    existing = kb_copy / "content" / "cases" / "stadslab2050.nl.md"
    before = existing.read_bytes()
    out = from_issue(github_body(_form("lab", title="Stadslab2050")), kb_copy)
    assert [p.field.id for p in out.conv.problems] == ["title"]
    assert "already on the site" in str(out.conv.problems[0].message)
    assert existing.read_bytes() == before


def test_validator_findings_name_the_form_field_and_line_and_nothing_is_kept(kb_copy):
    before = _files(kb_copy)
    answers = _form("practice", sources="Eindrapport | Stad Antwerpen\nTweede bron | | | "
                    "javascript:alert(1)",
                    body=FILLED["practice"]["body"] + "\n<script>alert(1)</script>\n")
    out = from_issue(github_body(answers), kb_copy, lang="en")
    assert not out.ok and out.rel is not None
    text = report(out, 7)
    assert "**Sources**: line 2:" in text
    assert "**Text**:" in text
    assert "Closes" not in text
    assert _files(kb_copy) == before


def test_the_comment_shows_the_contributors_text_inert(kb_copy):
    answers = _form("practice", stage="!@octocat <img src=x onerror=alert(1)> [x](javascript:1)")
    out = from_issue(github_body(answers), kb_copy, lang="en")
    text = report(out, 3)
    for raw in ("@octocat", "<img", "](javascript"):
        assert not re.search(r"(?<!\\)" + re.escape(raw), text), raw
    assert "\\@octocat" in text


def test_the_issue_title_and_markdown_outside_fields_are_ignored(kb_copy):
    body = "### Something else\n\nnot a field\n\n" + github_body(FILLED["practice"])
    conv = convert(body)
    assert not conv.problems and conv.data["title"] == FILLED["practice"]["title"]


def test_an_optional_dropdown_left_at_none_is_empty(kb_copy):
    out = from_issue(github_body(_form("practice", practice_transferability="!None",
                                       innovation=["!None"])), kb_copy)
    assert out.ok, out.conv.problems
    data = _front(kb_copy / out.rel)
    assert "practice" not in data and "innovation" not in data


def test_messages_in_dutch_from_the_catalogue(kb_copy, casebook, tmp_path):
    issue = tmp_path / "issue.md"
    issue.write_text(github_body(_form("practice", title=None)), encoding="utf-8")
    result = casebook("from-issue", str(issue), "--root", str(kb_copy), "--lang", "nl")
    assert "error: Titel: dit veld is verplicht" in result.stdout


def test_usage_errors_are_one_line_and_write_nothing(kb_copy, casebook, tmp_path):
    before = _files(kb_copy)
    not_an_issue = tmp_path / "event.json"
    not_an_issue.write_text(json.dumps({"pull_request": {"body": "x"}}), encoding="utf-8")
    issue = tmp_path / "issue.md"
    issue.write_text(github_body(FILLED["lab"]), encoding="utf-8")
    for args in ((), ("--event", str(not_an_issue)), (str(tmp_path / "missing.md"),),
                 (str(issue), "--id", "../evil"), (str(issue), "--event", str(not_an_issue))):
        result = casebook("from-issue", *args, "--root", str(kb_copy))
        assert result.returncode == 2, args
        assert result.stderr.startswith("casebook: error: ") and result.stderr.count("\n") == 1
        assert "Traceback" not in result.stderr
    assert _files(kb_copy) == before


def test_an_editor_may_choose_the_id(kb_copy, casebook, tmp_path):
    issue = tmp_path / "issue.md"
    issue.write_text(github_body(_form("lab", title="Stadslab2050")), encoding="utf-8")
    result = casebook("from-issue", str(issue), "--id", "stadslab-binnenstad",
                      "--root", str(kb_copy))
    assert result.returncode == 0, result.stdout
    assert (kb_copy / "content" / "cases" / "stadslab-binnenstad.nl.md").is_file()


def test_a_cases_folder_linking_outside_the_repository_is_never_written(kb_copy, casebook,
                                                                        tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    cases = kb_copy / "content" / "cases"
    shutil.rmtree(cases)
    cases.symlink_to(outside, target_is_directory=True)
    issue = tmp_path / "issue.md"
    issue.write_text(github_body(FILLED["lab"]), encoding="utf-8")
    result = casebook("from-issue", str(issue), "--root", str(kb_copy))
    assert result.returncode == 2 and "leads outside" in result.stderr
    assert list(outside.iterdir()) == []
