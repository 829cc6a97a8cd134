"""The issue form as Dutch and English civil servants fill it in: organisations by name
(new ones become entries), Dutch notations, questions instead of guesses, and every
problem told in form terms (no YAML, quotes, keys, ids or commands)."""

from __future__ import annotations

import datetime as dt

import pytest
from babel import Locale
from casebook.content.frontmatter import parse_file
from casebook.intake.formterms import FILE_WORDS, in_form_terms
from casebook.intake.fromissue import findings, from_issue, report
from casebook.intake.issueform import form_field, form_fields
from issuebodies import FILLED, github_body


def _form(kind: str, **changes: object) -> dict:
    answers = dict(FILLED[kind])
    answers.update(changes)
    return answers


def _front(path) -> dict:
    doc = parse_file(path.read_bytes())
    assert not doc.problems, doc.problems
    return doc.data


def _files(root) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def test_a_new_organisations_country_written_without_accents_or_in_english(kb_copy):
    orgs = ("Gemeente Leuven | Eigenaar | Gemeente | Belgie\n"
            "Curacao Innovation Hub | partner | netwerk | curaçao")
    out = from_issue(github_body(_form("practice", organisations=orgs)), kb_copy,
                     reviewed=dt.date(2025, 1, 2))
    assert out.ok, (out.conv.problems, [str(d) for d in out.diagnostics])
    assert _front(kb_copy / "content/organisations/gemeente-leuven.nl.md")["country"] == "BE"
    hub = _front(kb_copy / "content/organisations/curacao-innovation-hub.nl.md")
    assert (hub["country"], hub["kind"]) == ("CW", "network")


def test_organisations_by_name_and_a_new_one_in_the_same_change(kb_copy):
    orgs = ("Gemeente Utrecht | Eigenaar | Gemeente | Nederland | https://www.utrecht.nl\n"
            "ministerie van bzk | Financier\n"
            "STAD ANTWERPEN | partner\n"
            "Ministry of the Interior and Kingdom Relations | partner\n"
            "Stichting Óók Nieuw | partner")
    out = from_issue(github_body(_form("practice", organisations=orgs)), kb_copy,
                     reviewed=dt.date(2025, 1, 2))
    assert out.ok, (out.conv.problems, [str(d) for d in out.diagnostics])
    data = _front(kb_copy / out.rel)
    assert [o["id"] for o in data["organisations"]] == [
        "gemeente-utrecht", "ministerie-van-bzk", "stad-antwerpen", "ministerie-van-bzk",
        "stichting-ook-nieuw"]
    utrecht = _front(kb_copy / "content/organisations/gemeente-utrecht.nl.md")
    assert utrecht == {"schema": 1, "name": "Gemeente Utrecht", "kind": "municipality",
                       "country": "NL", "website": "https://www.utrecht.nl",
                       "not_in_sources": ["about"], "reviewed": "2025-01-02"}
    unknown = _front(kb_copy / "content/organisations/stichting-ook-nieuw.nl.md")
    assert unknown["name"] == "Stichting Óók Nieuw"
    assert unknown["kind"] == unknown["country"] == "not-stated"
    assert not (kb_copy / "content/organisations/ministerie-van-bzk.nl.md").read_text(
        encoding="utf-8").count("Financier")
    text = report(out, 4)
    assert "gemeente-utrecht" in text and "stichting-ook-nieuw" in text
    # The facts table names the organisations as the site does, with their roles.
    row = next(line for line in text.splitlines() if line.startswith("| Organisaties |"))
    assert "Gemeente Utrecht \\| Eigenaar" in row
    assert "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties \\| Financier" in row


def test_an_organisation_alias_matches(kb_copy):
    path = kb_copy / "content/organisations/ministerie-van-bzk.nl.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kind: national-government",
                                 "aliases: [BZK, Binnenlandse Zaken]\nkind: national-government"),
                    encoding="utf-8")
    out = from_issue(github_body(_form("practice", organisations=(
        "stad-antwerpen | eigenaar\nbinnenlandse zaken | financier"))), kb_copy)
    assert out.ok, out.conv.problems
    assert _front(kb_copy / out.rel)["organisations"][1]["id"] == "ministerie-van-bzk"


def test_dutch_notations_for_dates_amounts_and_counts(kb_copy):
    answers = _form("challenge", period_start="maart 2022", period_end="november 2022",
                    sources="Oproep | Stad Brugge | 14-03-2022 | https://www.example.org/o",
                    challenge_budget_amount="€ 250.000,-", challenge_budget_currency=None,
                    challenge_submissions="1.200", challenge_selected="12")
    out = from_issue(github_body(answers), kb_copy)
    assert out.ok, out.conv.problems
    data = _front(kb_copy / out.rel)
    assert data["period"]["start"] == "2022-03" and data["period"]["end"] == "2022-11"
    assert data["sources"][0]["date"] == "2022-03-14"
    assert data["challenge"]["budget"] == {"amount": 250000, "currency": "EUR", "per": "total"}
    assert data["challenge"]["submissions"] == 1200


@pytest.mark.parametrize("amount, expected", [("250.000,50", 250000.5), ("1.5 million", 1500000),
                                              ("2,5 miljoen", 2500000), ("$ 5000", 5000)])
def test_amounts_as_people_write_them(kb_copy, amount, expected):
    answers = _form("challenge", challenge_budget_amount=amount, challenge_budget_currency=None)
    out = from_issue(github_body(answers), kb_copy)
    assert out.ok, out.conv.problems
    budget = _front(kb_copy / out.rel)["challenge"]["budget"]
    assert budget["amount"] == expected
    assert budget["currency"] == ("USD" if "$" in amount else "EUR")


def test_an_ambiguous_answer_is_a_question_not_a_guess(kb_copy):
    before = _files(kb_copy)
    answers = _form("challenge", challenge_budget_amount="1,500 miljoen",
                    sources="Oproep | Stad Brugge | 03/04/2022")
    out = from_issue(github_body(answers), kb_copy, lang="nl")
    assert not out.ok and _files(kb_copy) == before
    text = report(out)
    assert "1500000 of als 1500000000" in text
    assert "3 april 2022 of als 4 maart 2022" in text
    assert "**Bronnen**: regel 1" in text


#: A wrong answer in every kind of field: text, dropdown, rows (name, vocabulary, date,
#: web address), count, amount, year, reference by title and by name, body.
WRONG = {
    "title": "Ab",
    "summary": "Te kort.",
    "organisations": "Stad Antwerpen | baas\nDigipolis Antwerpen | partner | innovatielab",
    "themes": ["Energie / Energy", "!Ruimtevaart"],
    "period_start": "in het voorjaar",
    "period_end": "2019",
    "stage": "Actief / Active",
    "sources": "Rapport | Stad Antwerpen | 31-02-2023 | ftp://example.org/r\n| Alleen uitgever",
    "links": "javascript:alert(1) | Website | Link",
    "related": "Een casus die niet bestaat",
    "uses": "Een onbekende bouwsteen",
    "practice_transferability": "!Enorm",
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_wrong_answer_in_every_field_type_is_told_in_form_terms(kb_copy, lang):
    before = _files(kb_copy)
    out = from_issue(github_body(_form("practice", **WRONG)), kb_copy, lang=lang)
    assert not out.ok and _files(kb_copy) == before
    rows = findings(out)
    labels = {label for _, label, _ in rows}
    for fid in ("organisations", "themes", "period_start", "sources", "related", "uses",
                "practice_transferability"):
        f = next(f for f in form_fields() if f.id == fid)
        assert f.label[lang] in labels, (fid, rows)
    text = report(out)
    assert in_form_terms(text) == [], text
    # What to type is said: the choices of a vocabulary cell in the form's language.
    assert ("Eigenaar, Gastheer" if lang == "nl" else "Owner, Host") in text


def test_validator_findings_are_rewritten_in_form_terms(kb_copy):
    # Valid for the form, refused by the validator: a stage that contradicts the end year,
    # a summary too short, a missing section, a new organisation with a web address on http.
    body = "## Context\n\nDe context.\n\n## Aanpak\n\nDe aanpak.\n"
    answers = _form("practice", stage="Actief / Active", period_start="2018", period_end="2019",
                    summary="Kort.", body=body,
                    organisations="stad-antwerpen | eigenaar\nNieuwe Stichting | partner | | | "
                                  "http://www.example.org")
    out = from_issue(github_body(answers), kb_copy, lang="nl")
    assert in_form_terms(report(out)) == [], report(out)
    text = "\n".join(m for _, _, m in findings(out))
    assert "de fase 'Actief' past niet bij het eindjaar 2019" in text
    assert "'Secties waarover de bronnen niets zeggen'" in text
    assert "## Resultaten en ## Lessen" in text
    assert "de nieuwe organisatie 'Nieuwe Stichting'" in text


def test_the_dropdowns_are_short_and_named_from_cldr():
    currency = form_field("challenge.budget.currency")
    assert next(iter(currency.options.values())) == "EUR" and len(currency.options) <= 10
    countries = form_field("countries")
    assert list(countries.options.values())[:2] == ["NL", "BE"]
    nl, en = Locale.parse("nl"), Locale.parse("en")
    for text, code in countries.options.items():
        if code.isupper():
            assert text == f"{nl.territories[code]} / {en.territories[code]} ({code})" or \
                text == f"{nl.territories[code]} ({code})", text
    for text, code in currency.options.items():
        names = {nl.currencies[code], en.currencies[code]}
        assert all(name in text for name in names), text
    assert "Sucre" not in " ".join(countries.options)


def test_the_file_words_are_caught():
    assert in_form_terms("schrijf de waarde tussen aanhalingstekens") == ["aanhalingstekens"]
    assert in_form_terms("ongeldige YAML: not_in_sources: [x]") == ["yaml", "not_in_sources"]
    assert "key" in FILE_WORDS and in_form_terms("Kies een van Eigenaar of Gastheer") == []


def test_a_name_two_organisations_share_is_a_question(kb_copy):
    for oid in ("stad-antwerpen", "digipolis-antwerpen"):
        path = kb_copy / f"content/organisations/{oid}.nl.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\nkind:", "\naliases: [Antwerpen]\nkind:", 1),
                        encoding="utf-8")
    before = _files(kb_copy)
    out = from_issue(github_body(_form("practice", organisations="antwerpen | eigenaar")),
                     kb_copy, lang="nl")
    assert not out.ok and _files(kb_copy) == before
    (severity, label, message), = findings(out)
    assert severity == "error"
    assert label == "Organisaties" and "kan verschillende organisaties" in message
    assert "Digipolis" in message and "Stad Antwerpen" in message
