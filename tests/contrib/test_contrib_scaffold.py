"""``casebook new``: options into a copy of the repository, and the terminal dialogue."""

from __future__ import annotations

import datetime as dt
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from casebook.checks.validate import validate
from casebook.content.model import load
from casebook.content.schema import raw_schema
from casebook.content.vocab import load_vocabularies, sections

TODAY = dt.date.today().isoformat()


def _front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n", 2)[1])


def _headings(path: Path) -> list[str]:
    return re.findall(r"^## (.+)$", path.read_text(encoding="utf-8"), re.M)


def _own_findings(root: Path, path: Path) -> tuple[list, list]:
    diagnostics, _ = validate(root, [path])
    errors = [d for d in diagnostics if d.severity == "error"]
    warnings = [d for d in diagnostics if d.severity == "warning"]
    return errors, warnings


def _new_org(casebook, root: Path, org_id: str = "test-gemeente") -> str:
    result = casebook("new", "organisation", "--root", str(root), "--id", org_id,
                      "--name", "Gemeente Proefstad", "--kind", "municipality",
                      "--country", "nl")
    assert result.returncode == 0, result.stderr
    return org_id


def test_new_organisation_validates_with_placeholder_warnings_only(casebook, kb_copy: Path):
    org_id = _new_org(casebook, kb_copy)
    path = kb_copy / "content" / "organisations" / f"{org_id}.nl.md"
    data = _front(path)
    assert set(raw_schema("organisation")["required"]) <= set(data)
    assert data["reviewed"] == TODAY and data["country"] == "NL"
    assert _headings(path) == sections()["organisation"]["nl"]
    errors, warnings = _own_findings(kb_copy, path)
    assert errors == []
    assert warnings and {w.code for w in warnings} == {"placeholder"}


CASE_OPTIONS = {
    "lab": [],
    "practice": [],
    "challenge": ["--procurement", "lean"],
    "repository": ["--block", "pdm-api:api:Personal data API"],
}


@pytest.mark.parametrize("kind", sorted(CASE_OPTIONS))
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_new_case_of_every_kind_validates(casebook, kb_copy: Path, kind: str, lang: str):
    assert set(CASE_OPTIONS) == set(load_vocabularies()["kinds"].terms)
    org_id = _new_org(casebook, kb_copy)
    result = casebook(
        "new", "case", "--root", str(kb_copy), "--lang", lang, "--kind", kind,
        "--title", "Buurtlab voor open data", "--summary",
        "Een buurtlab waar de gemeente met bewoners open data over de wijk verzamelt.",
        "--organisation", f"{org_id}:owner", "--theme", "data", "--theme", "participation",
        "--mechanism", "living-lab,co-creation", "--start", "2023-04", "--stage", "active",
        "--source", "Jaarverslag 2023", "--source-publisher", "Gemeente Proefstad",
        "--source-date", "2024", *CASE_OPTIONS[kind])
    assert result.returncode == 0, result.stderr
    path = kb_copy / "content" / "cases" / f"buurtlab-voor-open-data.{lang}.md"
    assert f"content/cases/buurtlab-voor-open-data.{lang}.md" in result.stdout
    data = _front(path)
    assert set(raw_schema("case")["required"]) <= set(data)
    assert data["kind"] == kind and data["reviewed"] == TODAY
    assert data["countries"] == ["NL"]  # from the organisation
    assert data["themes"] == ["data", "participation"]
    assert data["mechanisms"] == ["living-lab", "co-creation"]
    assert data["period"] == {"start": "2023-04"}
    assert data["sources"] == [{"title": "Jaarverslag 2023", "publisher": "Gemeente Proefstad",
                                "date": "2024"}]
    assert _headings(path) == sections()["case"][kind][lang]
    errors, warnings = _own_findings(kb_copy, path)
    assert errors == []
    assert {w.code for w in warnings} == {"placeholder"}
    assert len(warnings) == len(sections()["case"][kind][lang])
    entry = load(kb_copy).cases["buurtlab-voor-open-data"]
    assert entry.original_lang == lang


def test_never_overwrites(casebook, kb_copy: Path):
    org_id = _new_org(casebook, kb_copy)
    path = kb_copy / "content" / "organisations" / f"{org_id}.nl.md"
    before = path.read_bytes()
    again = casebook("new", "organisation", "--root", str(kb_copy), "--id", org_id,
                     "--name", "Iets anders", "--kind", "company", "--country", "BE")
    assert again.returncode == 1
    assert "already exists" in again.stderr and "bestaat al" not in again.stderr
    assert path.read_bytes() == before
    # in the contributor's language: the environment's, or casebook --lang
    dutch = casebook("new", "organisation", "--root", str(kb_copy), "--id", org_id,
                     "--name", "Iets anders", "--kind", "company", "--country", "BE",
                     env={"LANG": "nl_BE.UTF-8"})
    assert dutch.returncode == 1
    assert dutch.stderr.startswith("casebook: fout: ") and "bestaat al" in dutch.stderr
    assert "already exists" not in dutch.stderr
    option = casebook("--lang", "nl", "new", "organisation", "--root", str(kb_copy), "--id",
                      org_id, "--name", "Iets anders", "--kind", "company", "--country", "BE")
    assert option.stderr == dutch.stderr
    # another language of the same entry is refused too: facts would live twice
    other = casebook("new", "organisation", "--root", str(kb_copy), "--id", org_id,
                     "--lang", "en", "--name", "Test town", "--kind", "municipality",
                     "--country", "NL")
    assert other.returncode == 1
    assert not (path.parent / f"{org_id}.en.md").exists()


def test_missing_values_are_named_together(casebook, kb_copy: Path):
    result = casebook("new", "case", "--root", str(kb_copy), "--title", "Een titel")
    assert result.returncode == 2
    for option in ("--kind", "--summary", "--organisation", "--theme", "--mechanism",
                   "--start", "--stage", "--source"):
        assert option in result.stderr
    assert "Traceback" not in result.stderr
    assert not list((kb_copy / "content" / "cases").glob("een-titel.*"))


@pytest.mark.parametrize(("args", "expected"), [
    (["--theme", "mobilty"], "did you mean 'mobility'"),
    (["--organisation", "nobody-at-all:owner"],
     "no organisation 'nobody-at-all'; create it first with: casebook new organisation "
     "nobody-at-all"),
    (["--organisation", "test-gemeent:owner"], "did you mean 'test-gemeente'?"),
    (["--organisation", "ORG:partner"], "the role 'owner' or 'host'"),
    (["--start", "18"], "--start"),
    (["--summary", "Te kort."], "--summary"),
])
def test_bad_values_are_refused_with_a_reason(casebook, kb_copy: Path, args, expected):
    org_id = _new_org(casebook, kb_copy)
    base = {"--kind": "lab", "--title": "Een lab", "--organisation": f"{org_id}:owner",
            "--summary": "Een lab waar de gemeente met bewoners nieuwe diensten uitprobeert.",
            "--theme": "data", "--mechanism": "living-lab", "--start": "2020",
            "--stage": "active", "--source": "Een bron"}
    given = dict(zip(args[::2], [a.replace("ORG", org_id) for a in args[1::2]], strict=True))
    argv = [x for k, v in {**base, **given}.items() for x in (k, v)]
    result = casebook("new", "case", "--root", str(kb_copy), *argv)
    assert result.returncode == 2, result.stdout
    assert expected in result.stderr
    assert not (kb_copy / "content" / "cases" / "een-lab.nl.md").exists()


# --- the terminal dialogue -------------------------------------------------------

class Terminal:
    """A child process on a pseudo-terminal, driven by expect/send."""

    def __init__(self, argv: list[str], cwd: Path) -> None:
        self.master, slave = os.openpty()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd,
                                     close_fds=True)
        os.close(slave)
        self.buffer = ""
        self.seen = ""

    def expect(self, pattern: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while True:
            m = regex.search(self.buffer)
            if m:
                self.seen += self.buffer[:m.end()]
                self.buffer = self.buffer[m.end():]
                return m.group(0)
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out waiting for {pattern!r}; got:\n{self.buffer}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the child closed the terminal
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"process ended before {pattern!r}:\n{self.buffer}")
                self.buffer += chunk.decode("utf-8", "replace")

    def send(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def close(self) -> int:
        try:
            code = self.proc.wait(timeout=30)
        finally:
            os.close(self.master)
        return code


def _number(vocab: str, key: str) -> str:
    return str(list(load_vocabularies()[vocab].terms).index(key) + 1)


def test_interactive_dialogue_in_a_terminal(casebook, kb_copy: Path):
    org_id = _new_org(casebook, kb_copy)
    term = Terminal([sys.executable, "-m", "casebook.cli", "new", "case", "--root",
                     str(kb_copy)], kb_copy)
    try:
        term.expect(r"Language of the original \(nl/en\) \[nl\]: ")
        term.send("en")
        term.expect(r"practice\s+Goede praktijk / Good practice")  # choices with labels
        term.expect(r"Kind: ")
        term.send(_number("kinds", "practice"))
        term.expect(r"Title: ")
        term.send("Neighbourhood data lab")
        term.expect(r"Id \(URL\) \[neighbourhood-data-lab\]: ")
        term.send("")
        term.expect(r"Summary, 1–2 sentences: ")
        term.send("Too short.")
        term.expect(r"! ")  # the schema's complaint, then the same question again
        term.expect(r"Summary, 1–2 sentences: ")
        term.send("A lab where the town and its residents collect open data about the area.")
        term.expect(r"Organisation id: ")
        term.send("no-such-organisation")
        term.expect(r"no organisation 'no-such-organisation'; create it first with: casebook new "
                    r"organisation no-such-organisation")
        term.expect(r"Organisation id: ")
        term.send(org_id)
        term.expect(r"Role: ")
        term.send("Owner")  # a label, in other letter case
        term.expect(r"Organisation id \(empty = done\): ")
        term.send("")
        term.expect(r"Countries, ISO codes \(NL,BE\) \[NL\]: ")
        term.send("")
        term.expect(r"Themes \(numbers or names, separated by commas\): ")
        term.send(f"data,{_number('themes', 'care')}")
        term.expect(r"Mechanisms \(numbers or names, separated by commas\): ")
        term.send("co-creation")
        term.expect(r"Start \(YYYY or YYYY-MM\): ")
        term.send("2023")
        term.expect(r"End \(YYYY or YYYY-MM, once ended\) \(empty = skip\): ")
        term.send("")
        term.expect(r"Stage: ")
        term.send(_number("stages", "active"))
        term.expect(r"Source: title: ")
        term.send("Annual report 2023")
        for _ in range(3):  # publisher, date, url: optional
            term.expect(r"empty = skip\): ")
            term.send("")
        term.expect(r"Created: content/cases/neighbourhood-data-lab\.en\.md")
    finally:
        code = term.close()
    assert code == 0, term.seen + term.buffer
    assert "--" not in term.seen  # the dialogue never names a command-line option
    path = kb_copy / "content" / "cases" / "neighbourhood-data-lab.en.md"
    data = _front(path)
    assert data["kind"] == "practice"
    assert data["organisations"] == [{"id": org_id, "role": "owner"}]
    assert data["themes"] == ["data", "care"] and data["stage"] == "active"
    assert data["period"] == {"start": 2023} and data["reviewed"] == TODAY
    errors, warnings = _own_findings(kb_copy, path)
    assert errors == [] and {w.code for w in warnings} == {"placeholder"}


def test_interactive_dialogue_in_dutch_accepts_labels_and_numbers(kb_copy: Path):
    """The labels shown are accepted in either language, in any case; messages are Dutch
    and never name a command-line option."""
    term = Terminal([sys.executable, "-m", "casebook.cli", "--lang", "nl", "new",
                     "organisation", "--root", str(kb_copy)], kb_copy)
    try:
        term.expect(r"Taal van het origineel \(nl/en\) \[nl\]: ")
        term.send("Nederlands")
        term.expect(r"Naam: ")
        term.send("Gemeente Proefdorp")
        term.expect(r"Id \(URL\) \[gemeente-proefdorp\]: ")
        term.send("")
        term.expect(r"municipality\s+Gemeente / Municipality")
        term.expect(r"Soort: ")
        term.send("gemeentje")  # not a label: refused in Dutch, without an option name
        problem = term.expect(r"! [^\r\n]+")
        assert "onbekend" in problem and "--" not in problem
        term.expect(r"Soort: ")
        term.send("GEMEENTE")  # the Dutch label, in capitals
        term.expect(r"Land, ISO-code: ")
        term.send("nederland")  # a country name instead of the code
        term.expect(r"Website \(https://…\) \(leeg = overslaan\): ")
        term.send("")
        term.expect(r"Aangemaakt: content/organisations/gemeente-proefdorp\.nl\.md")
    finally:
        code = term.close()
    assert code == 0, term.seen + term.buffer
    assert "--" not in term.seen
    data = _front(kb_copy / "content" / "organisations" / "gemeente-proefdorp.nl.md")
    assert (data["kind"], data["country"]) == ("municipality", "NL")


@pytest.mark.parametrize(("answer", "key"), [
    ("3", "completed"), ("Afgerond", "completed"), ("completed", "completed"),
    ("  COMPLETED ", "completed"), ("afgerond", "completed"), ("Active", "active"),
    ("99", None), ("afgerondd", None),
])
def test_choices_accept_numbers_keys_and_labels_in_both_languages(answer, key) -> None:
    import io

    from casebook.intake.scaffold import Asker

    vocabs = load_vocabularies()
    stages = list(vocabs["stages"].terms)
    assert stages.index("completed") == 2  # so that "3" means completed
    ask = Asker(vocabs, True, io.StringIO(), io.StringIO(), "nl")
    assert ask._pick("stages", answer) == key


def test_no_input_never_asks_even_in_a_terminal(casebook, kb_copy: Path):
    term = Terminal([sys.executable, "-m", "casebook.cli", "new", "organisation", "--root",
                     str(kb_copy), "--no-input", "--name", "Proefstad"], kb_copy)
    try:
        term.expect(r"--kind, --country")
    finally:
        code = term.close()
    assert code == 2
