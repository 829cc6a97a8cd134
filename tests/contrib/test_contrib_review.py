"""`casebook review` on a base with stale, broken and untranslated entries, and
warnings acknowledged in the entry with a reason."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest


def _set(path: Path, prefix: str, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(rf"(?m)^{re.escape(prefix)}.*$", line, text, count=1)
    assert n == 1, (path, prefix)
    path.write_text(new, encoding="utf-8")


@pytest.fixture
def queue_base(kb_copy: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """Two stale entries, one lost translation, one machine translation, two warnings, a
    broken link (a `casebook links` report) and two open issue forms (one accepted)."""
    cases = kb_copy / "content" / "cases"
    _set(cases / "stadslab2050.nl.md", "reviewed:", "reviewed: '2020-01-15'")
    _set(kb_copy / "content" / "organisations" / "stad-brugge.nl.md", "reviewed:",
         "reviewed: '2024-06-01'")
    (cases / "citylab2800.en.md").unlink()
    text = (cases / "digicampus.en.md").read_text(encoding="utf-8")
    (cases / "digicampus.en.md").write_text(
        text.replace("translation: human", "translation: machine"), encoding="utf-8")
    inwoner = cases / "open-inwoner-platform.en.md"  # its two warnings, unacknowledged
    inwoner.write_text(re.sub(r"(?s)acknowledged:\n.*?(?=reviewed:)", "",
                              inwoner.read_text(encoding="utf-8")), encoding="utf-8")
    links = tmp_path / "links.json"
    links.write_text(json.dumps({"broken": 1, "checked": 40, "diagnostics": [
        {"path": "content/cases/sbir.nl.md", "line": 17, "column": 9, "severity": "warning",
         "code": "broken-link", "field": "links[1].url",
         "message": "https://www.example.org/gone answered 404"}]}), encoding="utf-8")
    issues = tmp_path / "issues.json"
    issues.write_text(json.dumps([
        {"number": 31, "title": "[Casus]: Later", "createdAt": "2026-11-30T10:00:00Z",
         "labels": [{"name": "new case"}]},
        {"number": 12, "title": "[Casus]: Eerder @someone", "createdAt": "2026-11-02T10:00:00Z",
         "labels": [{"name": "new case"}]},
        {"number": 20, "title": "Accepted already", "createdAt": "2026-11-01T10:00:00Z",
         "labels": [{"name": "new case"}, {"name": "accepted"}]},
        {"number": 21, "title": "A bug report", "createdAt": "2026-11-01T10:00:00Z",
         "labels": []}]), encoding="utf-8")
    return kb_copy, links, issues


def _groups(text: str) -> list[tuple[str, list[str]]]:
    """(group heading, its lines) in the order printed."""
    groups: list[tuple[str, list[str]]] = []
    for line in text.splitlines()[1:]:
        if re.match(r"^(## )?[0-9]\. ", line):
            groups.append((line, []))
        elif line.strip() and groups:
            groups[-1][1].append(line.strip())
    return groups


def test_the_queue_in_priority_order_as_text(queue_base, casebook):
    root, links, issues = queue_base
    result = casebook("review", "--root", str(root), "--today", "2026-12-03", "--links",
                      str(links), "--issues", str(issues), "--lang", "en")
    assert result.returncode == 0, result.stderr
    groups = _groups(result.stdout)
    waiting = len(groups[3][1])  # the committed base has entries in one language too
    assert [g for g, _ in groups] == [
        "1. Issue forms waiting for an editor (2)",
        "2. Facts not reviewed for more than 365 days (2)",
        "3. Links that failed (1)",
        f"4. Waiting for a translation ({waiting})",
        "5. Warnings of the validator (2)",
    ]
    forms, stale, broken, translate, warnings = (lines for _, lines in groups)
    assert all(w.startswith("content/cases/open-inwoner-platform.en.md:") for w in warnings)
    assert "uses plain http" in warnings[0]
    assert forms[0].startswith("#12: '[Casus]: Eerder @someone', submitted 2026-11-02")
    assert forms[1].startswith("#31:")
    assert stale[0].startswith("content/cases/stadslab2050.nl.md: reviewed on 2020-01-15, "
                               "2514 days ago")
    assert stale[1].startswith("content/organisations/stad-brugge.nl.md: reviewed on "
                               "2024-06-01")
    assert broken == ["content/cases/sbir.nl.md:17: links[1].url: "
                      "https://www.example.org/gone answered 404"]
    assert ("content/cases/citylab2800.nl.md: no English text yet; add "
            "content/cases/citylab2800.en.md") in translate
    # Missing texts first, then machine translations waiting for a person.
    assert translate[-1].startswith("content/cases/digicampus.en.md: machine translation")
    assert all("machine" not in line for line in translate[:-1])


def test_the_age_is_configurable_and_the_queue_speaks_dutch(queue_base, casebook):
    root = queue_base[0]
    result = casebook("review", "--root", str(root), "--today", "2026-12-03",
                      "--stale-after", "3000", "--lang", "nl")
    groups = dict(_groups(result.stdout))
    assert groups["2. Feiten die langer dan 3000 dagen niet zijn gecontroleerd (0)"] == []
    waiting = next(lines for g, lines in groups.items() if g.startswith("4. Wachten op een "
                                                                        "vertaling ("))
    assert ("content/cases/citylab2800.nl.md: nog geen Engelse tekst; voeg "
            "content/cases/citylab2800.en.md toe") in waiting
    assert groups["3. Links die niet werken (0)"] == [
        "niet gecontroleerd: voer casebook links --format json uit en geef het verslag mee "
        "met --links"]


def test_the_queue_as_markdown_links_files_and_keeps_issue_text_inert(queue_base, casebook):
    root, links, issues = queue_base
    result = casebook("review", "--root", str(root), "--today", "2026-12-03", "--links",
                      str(links), "--issues", str(issues), "--format", "markdown",
                      "--file-url", "https://github.com/o/r/blob/main", "--lang", "en")
    text = result.stdout
    assert text.startswith("# Editor's queue, 2026-12-03\n")
    assert "## 3. Links that failed (1)" in text
    assert ("- [`content/cases/sbir.nl.md:17`](https://github.com/o/r/blob/main/content/cases/"
            "sbir.nl.md#L17): links\\[1\\].url") in text
    assert "- #12: '\\[Casus\\]: Eerder \\@someone'" in text
    assert "@someone" not in text.replace("\\@someone", "")


def test_an_empty_queue_says_so(kb_copy, casebook):
    result = casebook("review", "--root", str(kb_copy), "--today", "2026-12-03",
                      "--stale-after", "100000", "--lang", "en")
    text = result.stdout
    assert "5. Warnings of the validator (0)" in text
    assert "Nothing waits" not in text  # there are entries waiting for a translation


def test_bad_input_is_a_usage_error(kb_copy, casebook, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2", encoding="utf-8")
    for args in (("--links", str(bad)), ("--issues", str(tmp_path / "missing.json")),
                 ("--stale-after", "-1"), ("--today", "yesterday")):
        result = casebook("review", "--root", str(kb_copy), *args)
        assert result.returncode == 2 and result.stderr.startswith("casebook: error: "), args
        assert "Traceback" not in result.stderr


# --- warnings acknowledged in the entry --------------------------------------------------

def test_the_committed_content_builds_without_a_warning(repo_root, casebook):
    result = casebook("validate", "--root", str(repo_root), "--format", "json")
    report = json.loads(result.stdout)
    assert report["errors"] == 0 and report["warnings"] == 0, report["diagnostics"]


def test_an_acknowledged_warning_is_gone_and_a_stale_acknowledgement_warns(kb_copy, casebook):
    path = kb_copy / "content" / "cases" / "objects-api.nl.md"
    check = casebook("validate", str(path), "--root", str(kb_copy), "--format", "json")
    assert json.loads(check.stdout)["warnings"] == 0
    # The link becomes https: its acknowledgement no longer matches a warning.
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{url: 'http://github.com/maykinmedia/objects-api.git'",
                                 "{url: 'https://github.com/maykinmedia/objects-api.git'"),
                    encoding="utf-8")
    found = json.loads(casebook("validate", str(path), "--root", str(kb_copy), "--format",
                                "json").stdout)["diagnostics"]
    assert [(d["code"], d["field"]) for d in found] == [("acknowledged", "acknowledged[0]")]
    assert "links[0].url" in found[0]["message"]
    # Without its acknowledgement the other warning shows again.
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?s)acknowledged:\n.*?(?=reviewed:)", "", text), encoding="utf-8")
    found = json.loads(casebook("validate", str(path), "--root", str(kb_copy), "--format",
                                "json").stdout)["diagnostics"]
    assert [(d["code"], d["field"]) for d in found] == [("insecure-url",
                                                         "building_blocks[0].url")]


def test_an_error_cannot_be_acknowledged(kb_copy, casebook):
    path = kb_copy / "content" / "cases" / "objects-api.nl.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kind: repository", "kind: repositry").replace(
        "acknowledged:\n", "acknowledged:\n- {code: unknown-term, field: kind, reason: "
        "we like this spelling very much}\n"), encoding="utf-8")
    found = json.loads(casebook("validate", str(path), "--root", str(kb_copy), "--format",
                                "json").stdout)["diagnostics"]
    codes = {d["code"] for d in found}
    assert "unknown-term" in codes and "acknowledged" in codes
