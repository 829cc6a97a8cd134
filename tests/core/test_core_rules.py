"""Every rule of the content model has a failing fixture with its exact diagnostic.

Each fixture under ``fixtures/bad/<name>/`` is laid over the minimal valid base
in ``fixtures/base/``; the test asserts the complete set of diagnostics
(path, line, column, severity, code, field) and a telling part of each message.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest
from casebook.checks.validate import validate
from core_kb import BAD, TODAY

C = "content/cases/"
ORG = "content/organisations/"
#: fixture -> [(path, line, column, severity, code, field, part of the message)]
EXPECTED: dict[str, list[tuple[str, int, int, str, str, str, str]]] = {
    # --- strict YAML loading -------------------------------------------------------
    "duplicate-key": [(C + "duplicate-key.nl.md", 9, 1, "error", "duplicate-key", "themes",
                       "appears twice, on line 8 and line 9")],
    "yaml-tag": [(C + "yaml-tag.nl.md", 11, 8, "error", "yaml-tag", "stage", "remove the tag")],
    "yaml-anchor": [(C + "yaml-anchor.nl.md", 7, 12, "error", "yaml-anchor", "countries",
                     "anchors (&land) are not allowed")],
    "yaml-alias": [(C + "yaml-alias.nl.md", 8, 9, "error", "yaml-alias", "places",
                    "aliases (*land) are not allowed")],
    "yaml-documents": [(C + "yaml-documents.nl.md", 15, 1, "error", "yaml-documents", "",
                        "several YAML documents")],
    "line-ending": [(C + "line-ending.nl.md", 23, 7, "error", "line-ending", "",
                     "a carriage return (CR) without a line feed")],
    "yaml-syntax": [(C + "yaml-syntax.nl.md", 9, 11, "error", "yaml-syntax", "",
                     "invalid YAML")],
    "yaml-depth": [(C + "yaml-depth.nl.md", 8, 41, "error", "yaml-depth", "places",
                    "nested more than 32 levels")],
    "yaml-key": [(C + "yaml-key.nl.md", 12, 3, "error", "yaml-key", "",
                  "keys must be plain words")],
    "unterminated": [(C + "unterminated.nl.md", 1, 1, "error", "front-matter", "",
                      "front-matter block is not closed")],
    "no-front-matter": [(C + "no-front-matter.nl.md", 1, 1, "error", "front-matter", "",
                         "file must start with a front-matter block")],
    "empty-front-matter": [(C + "empty-front-matter.nl.md", 2, 1, "error", "front-matter", "",
                            "front-matter is empty")],
    "list-front-matter": [(C + "list-front-matter.nl.md", 2, 1, "error", "front-matter", "",
                           "must be a mapping")],
    "coercion-title": [(C + "coercion-title.nl.md", 2, 8, "error", "yaml-coercion", "title",
                        'YAML reads yes as the boolean true, not as text; put it in quotes: '
                        '"yes"')],
    "coercion-countries": [(C + "coercion-countries.nl.md", 7, 13, "error", "yaml-coercion",
                            "countries[0]", 'reads NO as the boolean false, not as text; put it '
                            'in quotes: "NO"')],
    "coercion-country": [(ORG + "coercion-country.nl.md", 4, 10, "error", "yaml-coercion",
                          "country", 'put it in quotes: "NO"')],
    "coercion-number": [(C + "coercion-number.nl.md", 2, 8, "error", "yaml-coercion", "title",
                         "reads 2030 as the number 2030")],
    "empty-value": [(C + "empty-value.nl.md", 2, 7, "error", "empty-value", "title",
                     "has no value; write text after the colon")],
    # --- schema --------------------------------------------------------------------
    "required": [(C + "required.nl.md", 2, 1, "error", "required", "mechanisms",
                  "required key 'mechanisms' is missing; add it (one of: innovation-lab")],
    "unknown-key": [(C + "unknown-key.nl.md", 12, 1, "error", "unknown-key", "status",
                     "unknown key 'status'; allowed keys: schema, title")],
    "unknown-term": [(C + "unknown-term.nl.md", 8, 16, "error", "unknown-term", "themes[1]",
                      "'mobilty' is not a theme; did you mean 'mobility'?")],
    "unknown-term-list": [(C + "unknown-term-list.nl.md", 11, 8, "error", "unknown-term", "stage",
                           "allowed values: planned, active, completed, discontinued")],
    "country-code": [
        (C + "country-code.nl.md", 7, 13, "error", "unknown-term", "countries[0]",
         "'nl' is not an ISO 3166-1 alpha-2 country code; did you mean 'NL'?"),
        (C + "country-code.nl.md", 7, 17, "error", "unknown-term", "countries[1]",
         "'XX' is not an ISO 3166-1 alpha-2 country code"),
    ],
    "type": [(C + "type.nl.md", 5, 16, "error", "type", "organisations",
              "expected a list, found the text 'acme'")],
    "length": [
        (C + "length.nl.md", 2, 8, "error", "length", "title", "must be 3–120 characters"),
        (C + "length.nl.md", 3, 10, "error", "length", "summary", "must be 30–300 characters"),
    ],
    "count": [(C + "count.nl.md", 8, 9, "error", "count", "themes", "has 6 values; give 1 to 5")],
    "duplicate-item": [(C + "duplicate-item.nl.md", 7, 12, "error", "duplicate-item", "countries",
                        "same value twice")],
    "period-format": [(C + "period-format.nl.md", 10, 17, "error", "format", "period.start",
                       "'2020-13' is not a year or year-month")],
    "schema-version": [(C + "schema-version.nl.md", 2, 9, "error", "format", "schema",
                        "must be 1")],
    "translation-key-in-original": [
        (C + "translation-key-in-original.nl.md", 12, 1, "error", "unknown-key", "translation",
         "'translation' belongs only in a translation file")],
    "identifier-format": [(ORG + "identifier-format.nl.md", 5, 20, "error", "format",
                           "identifiers.kbo", "KBO enterprise number")],
    # --- references and identity -----------------------------------------------
    "reference-organisation": [
        (C + "reference-organisation.nl.md", 6, 10, "error", "reference", "organisations[0].id",
         "no organisation with id 'acmee'; did you mean 'acme'?")],
    "reference-related": [
        (C + "reference-related.nl.md", 14, 11, "error", "reference", "related[0]",
         "no case with id 'lab-on'; did you mean 'lab-one'?"),
        (C + "reference-related.nl.md", 14, 19, "error", "reference", "related[1]",
         "cannot be related to itself"),
    ],
    "reference-uses": [
        (C + "reference-uses.nl.md", 14, 8, "error", "reference", "uses[0]",
         "no building block 'open-apii'; did you mean 'blocks/open-api'?"),
        (C + "reference-uses.nl.md", 14, 26, "error", "reference", "uses[1]",
         "'lab-one' is not a repository case"),
        (C + "reference-uses.nl.md", 14, 37, "error", "reference", "uses[2]",
         "no case with id 'nothing'; add it with: casebook new case nothing"),
    ],
    "duplicate-block": [
        (C + "blocks.nl.md", 17, 10, "error", "duplicate-id", "building_blocks[1].id",
         "block id 'open-api' is already used by the 1st building block"),
        (C + "blocks.nl.md", 17, 54, "warning", "insecure-url", "building_blocks[1].url",
         "uses plain http"),
    ],
    "reference-maintainer": [
        (C + "blocks.nl.md", 16, 93, "error", "unknown-term", "building_blocks[0].license",
         "'EUPL 1.2' is not an SPDX licence identifier; did you mean 'EUPL-1.2'?"),
        (C + "blocks.nl.md", 16, 115, "error", "reference", "building_blocks[0].maintainer",
         "no organisation with id 'acne'; did you mean 'acme'?"),
    ],
    "owner-missing": [(C + "owner-missing.nl.md", 6, 3, "error", "owner-missing", "organisations",
                       "role 'owner' or 'host'")],
    "owner-stated": [(C + "owner-stated.nl.md", 7, 15, "error", "owner-stated", "owner_stated",
                      "but an organisation has the role 'owner' or 'host'")],
    "country-unknown": [(C + "country-unknown.nl.md", 7, 17, "error", "country-unknown",
                         "countries[1]", "'not-stated' stands alone")],
    "duplicate-id": [
        (C + "Lab-One.nl.md", 1, 1, "error", "duplicate-id", "", "unique regardless of case"),
        (C + "Lab-One.nl.md", 1, 1, "error", "file-name", "", "(for example 'lab-one')"),
        (C + "lab-one.en.md", 1, 1, "error", "duplicate-id", "", "content/cases/Lab-One.nl.md"),
        (C + "lab-one.nl.md", 1, 1, "error", "duplicate-id", "", "content/cases/Lab-One.nl.md"),
    ],
    "reserved-id": [
        (C + "reserved-id.nl.md", 23, 8, "error", "reserved-id", "body",
         "the id '__config' belongs to the site's theme"),
        (C + "reserved-id.nl.md", 26, 5, "error", "reserved-id", "body", "the id 'cb-main'"),
        (C + "reserved-id.nl.md", 28, 17, "error", "reserved-id", "body",
         "the id 'casebook-search-config'"),
        (ORG + "index.nl.md", 1, 1, "error", "reserved-id", "",
         "'index' is the name of a page the site generates"),
    ],
    "file-name": [
        (C + "file-name.de.md", 1, 1, "error", "file-name", "",
         "are named <id>.nl.md or <id>.en.md"),
        (ORG + "notes/readme.md", 1, 1, "error", "not-allowed", "", "holds no folders"),
    ],
    "facts-in-translation": [
        (C + "lab-one.en.md", 3, 1, "error", "facts-in-translation", "kind",
         "belongs only in the original content/cases/lab-one.nl.md"),
        (C + "lab-one.en.md", 5, 1, "error", "facts-in-translation", "stage",
         "belongs only in the original content/cases/lab-one.nl.md"),
    ],
    "missing-original": [(C + "missing-original.en.md", 1, 1, "error", "missing-original", "",
                          "create content/cases/missing-original.nl.md")],
    # --- dates, numbers and kinds -----------------------------------------------
    "period-order": [(C + "period-order.nl.md", 10, 33, "error", "period", "period.end",
                      "end 2020-04 is before start 2020-05")],
    "stage-ended": [(C + "stage-ended.nl.md", 11, 8, "warning", "stage", "stage",
                     "the period ended in 2022")],
    "stage-start-future": [(C + "stage-start-future.nl.md", 11, 8, "warning", "stage", "stage",
                            "stage is 'active' but the period starts in 2026, in the future")],
    "stage-end-future": [(C + "stage-end-future.nl.md", 11, 8, "warning", "stage", "stage",
                          "stage is 'completed' but the period ends in 2025-06, in the future")],
    "stage-planned-started": [(C + "stage-planned-started.nl.md", 11, 8, "warning", "stage",
                               "stage", "stage is 'planned' but the period started in 2024-11")],
    "acknowledged": [(C + "acknowledged.nl.md", 18, 5, "warning", "acknowledged",
                      "acknowledged[1]", "no warning 'insecure-url' on links[1].url")],
    "not-in-sources": [
        (C + "not-in-sources.nl.md", 14, 18, "warning", "not-in-sources", "not_in_sources[0]",
         "'the-challenge' is not a recommended section of this entry"),
        (C + "not-in-sources.nl.md", 14, 33, "warning", "not-in-sources", "not_in_sources[1]",
         "the body has the section '## Resultaten'"),
    ],
    "reviewed-future": [(C + "reviewed-future.nl.md", 14, 11, "error", "reviewed-future",
                         "reviewed", "2025-01-02 is in the future")],
    "reviewed-date": [(C + "reviewed-date.nl.md", 14, 11, "error", "format", "reviewed",
                       "'2024-02-30' is not a real date")],
    "kind-key": [(C + "kind-key.nl.md", 15, 1, "error", "kind-key", "lab",
                  "only belongs on a case of kind 'lab'")],
    "kind-required": [(C + "kind-required.nl.md", 4, 7, "error", "required", "challenge",
                       "a case of kind 'challenge' needs 'challenge'")],
    "challenge-numbers": [
        (C + "challenge-numbers.nl.md", 17, 36, "error", "unknown-term",
         "challenge.budget.currency",
         "'EURO' is not an ISO 4217 currency code; did you mean 'EUR' (Euro)?"),
        (C + "challenge-numbers.nl.md", 19, 13, "error", "range", "challenge.selected",
         "4 selected is more than the 3 submissions"),
    ],
    "challenge-negative": [(C + "challenge-negative.nl.md", 15, 46, "error", "range",
                            "challenge.submissions", "-1 must be at least 0")],
    # --- URLs, text and body ----------------------------------------------------
    "source-gone": [(C + "source-gone.nl.md", 14, 32, "warning", "source-gone",
                     "sources[0].gone", "the source https://code.example.org/acme/lib/"
                     "publiccode.yml was gone on 2024-05-01: the facts can no longer be "
                     "checked there")],
    "url-scheme": [
        (C + "url-scheme.nl.md", 13, 11, "warning", "insecure-url", "links[0].url",
         "uses plain http"),
        (C + "url-scheme.nl.md", 14, 11, "error", "url-scheme", "links[1].url",
         "'ftp:' URLs are not allowed; use an https:// address"),
        (C + "url-scheme.nl.md", 15, 11, "error", "url-scheme", "links[2].url",
         "'javascript:' URLs are not allowed"),
        (C + "url-scheme.nl.md", 16, 11, "error", "url", "links[3].url", "has no host name"),
    ],
    "url-organisation": [(ORG + "url-organisation.nl.md", 5, 10, "warning", "insecure-url",
                          "website", "uses plain http")],
    "summary-format": [(C + "summary-format.nl.md", 3, 10, "error", "summary-format", "summary",
                        "plain text")],
    "missing-section": [(C + "missing-section.nl.md", 16, 1, "warning", "missing-section", "body",
                         "recommended section missing: '## Resultaten'")],
    "invisible-character": [
        (C + "invisible-character.nl.md", 2, 17, "error", "invisible-character", "title",
         "U+202E RIGHT-TO-LEFT OVERRIDE"),
        (C + "invisible-character.nl.md", 23, 3, "error", "invisible-character", "body",
         "U+200B ZERO WIDTH SPACE"),
    ],
    "unsafe-html": [
        (C + "unsafe-html.nl.md", 23, 1, "error", "unsafe-html", "body", "<script> is not allowed"),
        (C + "unsafe-html.nl.md", 24, 1, "error", "unsafe-html", "body", "<iframe> is not allowed"),
        (C + "unsafe-html.nl.md", 24, 14, "error", "external-asset", "body",
         "loaded from another site"),
        (C + "unsafe-html.nl.md", 25, 1, "error", "unsafe-html", "body", "<object> is not allowed"),
        (C + "unsafe-html.nl.md", 26, 1, "error", "unsafe-html", "body", "<embed> is not allowed"),
        (C + "unsafe-html.nl.md", 27, 1, "error", "unsafe-html", "body", "<form> is not allowed"),
        (C + "unsafe-html.nl.md", 28, 1, "error", "unsafe-html", "body", "<style> is not allowed"),
        (C + "unsafe-html.nl.md", 29, 1, "error", "unsafe-html", "body", "<base> is not allowed"),
        (C + "unsafe-html.nl.md", 30, 1, "error", "unsafe-html", "body", "<meta> is not allowed"),
        (C + "unsafe-html.nl.md", 31, 24, "error", "unsafe-html", "body",
         "event attribute 'onerror'"),
        (C + "unsafe-html.nl.md", 32, 10, "error", "unsafe-html", "body", "'javascript:' URLs"),
        (C + "unsafe-html.nl.md", 32, 46, "error", "unsafe-html", "body", "'javascript:' URLs"),
        (C + "unsafe-html.nl.md", 33, 5, "error", "unsafe-html", "body", "'vbscript:' URLs"),
        (C + "unsafe-html.nl.md", 33, 27, "error", "unsafe-html", "body", "'data:' URLs"),
        (C + "unsafe-html.nl.md", 35, 6, "error", "unsafe-html", "body", "'javascript:' URLs"),
        # The relative assets name files that do not exist.
        (C + "unsafe-html.nl.md", 25, 15, "error", "missing-asset", "body", "'x.swf' does"),
        (C + "unsafe-html.nl.md", 26, 13, "error", "missing-asset", "body", "'x.swf' does"),
        (C + "unsafe-html.nl.md", 31, 11, "error", "missing-asset", "body",
         "'plaatje.png' does not exist (content/cases/plaatje.png was not found)"),
    ],
    "asset-path": [
        (C + "asset-path.nl.md", 20, 9, "error", "asset-path", "body", "is an absolute path"),
        (C + "asset-path.nl.md", 21, 9, "error", "asset-path", "body", "points outside content/"),
        (C + "asset-path.nl.md", 22, 9, "error", "asset-path", "body", "uses backslashes"),
    ],
    "unsafe-include": [
        (C + "unsafe-include.nl.md", 20, 9, "error", "unsafe-include", "body",
         "the snippet include '/etc/passwd' reads a file outside the repository"),
        (C + "unsafe-include.nl.md", 25, 1, "error", "unsafe-include", "body",
         "'../../secret.txt'"),
    ],
    "external-asset": [
        (C + "external-asset.nl.md", 23, 9, "error", "external-asset", "body",
         "the image 'https://example.org/foto.jpg' is loaded from another site"),
        (C + "external-asset.nl.md", 24, 11, "error", "external-asset", "body",
         "the image '//example.org/x.png'"),
    ],
    "placeholder": [
        (C + "placeholder.nl.md", 2, 8, "warning", "placeholder", "title", "'TODO'"),
        (C + "placeholder.nl.md", 3, 10, "warning", "placeholder", "summary", "'TODO'"),
        (C + "placeholder.nl.md", 8, 10, "warning", "placeholder", "themes[0]", "'TODO'"),
        (C + "placeholder.nl.md", 14, 11, "warning", "placeholder", "reviewed", "'TODO'"),
        (C + "placeholder.nl.md", 23, 1, "warning", "placeholder", "body",
         "'TODO' is still in the body"),
    ],
}


def _run(root: Path) -> list[tuple[str, int, int, str, str, str, str]]:
    diagnostics, _ = validate(root, today=TODAY)
    return [(d.path, d.line, d.column, d.severity, d.code, d.field, d.message)
            for d in diagnostics]


def _assert_exact(found: list, expected: list) -> None:
    assert [f[:6] for f in found] == sorted(e[:6] for e in expected)
    for f, e in zip(found, sorted(expected), strict=True):
        assert e[6] in f[6], f"{f[:6]}: message {f[6]!r} lacks {e[6]!r}"


def test_minimal_base_is_valid(make_kb) -> None:
    diagnostics, files = validate(make_kb(), today=TODAY)
    assert diagnostics == []
    assert files == 5


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_fixture(make_kb, name: str) -> None:
    _assert_exact(_run(make_kb(name)), EXPECTED[name])


def test_every_fixture_has_expectations() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED)


# --- inputs that are easier to make in code than to keep as files -------------

LAB = "content/cases/lab-one.nl.md"


def _lab(root: Path) -> Path:
    return root / LAB


def test_invalid_utf8(make_kb) -> None:
    root = make_kb()
    raw = _lab(root).read_bytes().replace(b"## Aanpak\n\nTekst.", b"## Aanpak\n\nTe\xffkst.")
    _lab(root).write_bytes(raw)
    _assert_exact(_run(root), [(LAB, 29, 3, "error", "encoding", "body",
                                "invalid UTF-8 (byte 0xff); save the file as UTF-8")])


def test_nul_byte(make_kb) -> None:
    root = make_kb()
    _lab(root).write_bytes(_lab(root).read_bytes().replace(b"title: Het", b"title: \x00Het"))
    _assert_exact(_run(root), [(LAB, 3, 8, "error", "nul-byte", "front-matter", "NUL byte")])


def test_front_matter_over_64_kb(make_kb) -> None:
    root = make_kb()
    places = ", ".join(["Amsterdam"] * 7000)  # about 77 KB
    text = _lab(root).read_text().replace("countries: [NL]", f"countries: [NL]\nplaces: [{places}]")
    _lab(root).write_text(text)
    _assert_exact(_run(root), [(LAB, 2, 1, "error", "front-matter", "", "larger than 64 KB")])


def test_file_over_1_mb(make_kb) -> None:
    root = make_kb()
    _lab(root).write_text(_lab(root).read_text() + "x" * (1024 * 1024))
    _assert_exact(_run(root), [(LAB, 1, 1, "error", "file-too-large", "",
                                "the limit is 1,048,576 bytes")])


def test_unreadable_broken_original_does_not_blame_translation(make_kb) -> None:
    """A broken original stays the original: no 'required' errors on the translation."""
    root = make_kb()
    _lab(root).write_text("---\ntitle: [\n---\n")
    found = _run(root)
    assert [f[:5] for f in found] == [(LAB, 3, 1, "error", "yaml-syntax")]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_symlinks_inside_content(make_kb) -> None:
    root = make_kb()
    (root / "content/cases/link.nl.md").symlink_to(root / LAB)
    (root / "content/images").mkdir()
    (root / "content/images/logo.png").symlink_to("/etc/hostname")
    _assert_exact(_run(root), [
        ("content/cases/link.nl.md", 1, 1, "error", "symlink", "",
         "symbolic links are not allowed"),
        ("content/images/logo.png", 1, 1, "error", "symlink", "", "replace the link"),
    ])


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_symlinked_collection_folder(make_kb, tmp_path: Path) -> None:
    root = make_kb()
    elsewhere = tmp_path / "elsewhere"
    (root / "content/organisations").rename(elsewhere)
    (root / "content/organisations").symlink_to(elsewhere, target_is_directory=True)
    found = _run(root)
    assert ("content/organisations", 1, 1, "error", "symlink", "") in [f[:6] for f in found]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_special_file_is_not_read(make_kb) -> None:
    """A named pipe would block reading; it is reported instead."""
    root = make_kb()
    os.mkfifo(root / "content/cases/pipe.nl.md")
    _assert_exact(_run(root), [("content/cases/pipe.nl.md", 1, 1, "error", "unreadable", "",
                                "not a normal file")])


def _crlf(raw: bytes) -> bytes:
    return raw.replace(b"\n", b"\r\n")


def _bom(raw: bytes) -> bytes:
    return b"\xef\xbb\xbf" + raw


@pytest.mark.parametrize("transform", [_crlf, _bom, lambda raw: _bom(_crlf(raw))],
                         ids=["crlf", "bom", "bom+crlf"])
@pytest.mark.parametrize("name", ["duplicate-key", "unknown-term", "unsafe-html",
                                  "invisible-character", "missing-section", "placeholder"])
def test_crlf_and_bom_keep_positions(make_kb, name: str, transform) -> None:
    """CRLF line ends and a BOM are tolerated and every line and column stays right."""
    root = make_kb(name)
    for path in (root / "content").rglob("*.md"):
        path.write_bytes(transform(path.read_bytes()))
    _assert_exact(_run(root), EXPECTED[name])


def test_crlf_and_bom_on_the_whole_base_are_valid(make_kb) -> None:
    root = make_kb()
    for path in (root / "content").rglob("*.md"):
        path.write_bytes(_bom(_crlf(path.read_bytes())))
    assert _run(root) == []


def test_paths_report_only_those_files_but_resolve_against_the_base(make_kb) -> None:
    root = make_kb("reference-related")
    # lab-one relates to 'blocks' and uses 'blocks/open-api': both resolve.
    diagnostics, files = validate(root, [root / LAB], today=TODAY)
    assert (diagnostics, files) == ([], 1)
    diagnostics, files = validate(root, [root / "content/cases"], today=TODAY)
    assert files == 4
    assert {d.path for d in diagnostics} == {"content/cases/reference-related.nl.md"}


def test_scaffold_like_entry_has_warnings_only(make_kb) -> None:
    """TODO placeholders in front-matter are warnings, as ``casebook new`` writes them."""
    found = _run(make_kb("placeholder"))
    assert found and {f[3] for f in found} == {"warning"}


# --- every diagnostic code the core can emit has a fixture above -----------------

_CODE = re.compile(r"^[a-z]+(-[a-z]+)*$")
#: Where the code sits among the positional arguments of each reporting call.
_CODE_ARG = {"error": 2, "warning": 2, "Problem": 2, "stray": 1, "_reject": 1}


def _emitted_codes() -> set[str]:
    import casebook

    codes = set()
    package = Path(casebook.__file__).parent
    for module in ("content/frontmatter.py", "content/model.py", "checks/validate.py"):
        tree = ast.parse((package / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            index = _CODE_ARG.get(name)
            if index is None or len(node.args) <= index:
                continue
            arg = node.args[index]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _CODE.match(
                arg.value
            ):
                codes.add(arg.value)
    return codes


def test_every_code_has_a_failing_fixture() -> None:
    covered = {e[4] for rows in EXPECTED.values() for e in rows}
    covered |= {"encoding", "nul-byte", "file-too-large", "symlink", "unreadable"}  # in code
    emitted = _emitted_codes()
    assert len(emitted) > 20  # the scan still finds the reporting calls
    # 'schema' is the fallback for JSON Schema keywords the schemas do not use yet.
    assert emitted - covered <= {"schema"}
