"""The generated contributor guide and issue form: current, complete and correct."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from casebook.content.schema import raw_schema, validator
from casebook.content.vocab import load_vocabularies, sections
from casebook.intake import guide

SITE = {"nl": "content/contribute.nl.md", "en": "content/contribute.en.md"}


def test_committed_outputs_match_the_generators(repo_root: Path):
    """Drift test: regenerate everything and compare with the committed files."""
    for rel, text in guide.outputs().items():
        path = repo_root / rel
        assert path.is_file(), f"{rel} is missing; run 'casebook guide --write'"
        assert path.read_text(encoding="utf-8") == text, (
            f"{rel} is out of date; run 'casebook guide --write'")


def test_guide_check_command_detects_drift(casebook, tmp_path: Path, repo_root: Path):
    root = tmp_path / "repo"
    for rel in guide.OUTPUTS.values():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(repo_root / rel, root / rel)
    (root / "content" / "cases").mkdir(parents=True, exist_ok=True)
    assert casebook("guide", "--check", "--root", str(root)).returncode == 0
    path = root / guide.OUTPUTS["site-en"]
    path.write_text(path.read_text(encoding="utf-8").replace("`housing`", "`homes`"),
                    encoding="utf-8")
    stale = casebook("guide", "--check", "--root", str(root))
    assert stale.returncode == 1 and guide.OUTPUTS["site-en"] in stale.stderr
    assert casebook("guide", "--write", "--root", str(root)).returncode == 0
    assert casebook("guide", "--check", "--root", str(root)).returncode == 0


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_vocabulary_key_and_label_appears(repo_root: Path, lang: str):
    text = (repo_root / SITE[lang]).read_text(encoding="utf-8")
    contributing = (repo_root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for name, vocab in load_vocabularies().own().items():
        assert f"### `{name}`: {vocab.label[lang]}" in text
        for key, labels in vocab.terms.items():
            row = f"| `{key}` | {labels['nl']} | {labels['en']} |"
            assert row in text, f"{name}.{key} missing from {SITE[lang]}"
            assert row in contributing


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_schema_field_and_description_appears(repo_root: Path, lang: str):
    text = (repo_root / SITE[lang]).read_text(encoding="utf-8")
    key = "x-description-nl" if lang == "nl" else "description"
    for name in guide.REFERENCE_SCHEMAS:
        for path, node, _required, _top in guide.rows(name):
            assert f"| `{path}` |" in text, f"{name}: {path}"
            if node.get(key):
                assert guide._cell(node[key]) in text
        schema = raw_schema(name)
        for req in schema["required"]:
            assert re.search(rf"^\| `{re.escape(req)}` \| (ja|yes) \|", text, re.M), req


def test_required_and_kind_rules_in_the_reference(repo_root: Path):
    text = (repo_root / SITE["en"]).read_text(encoding="utf-8")
    assert "| `challenge` | required on kind `challenge` |" in text
    assert "| `lab` | no (only on kind `lab`) |" in text
    assert "| `themes` | yes | list of text, 1–5 items, unique |" in text
    assert "| `summary` | yes | text, 30–300 characters |" in text
    nl = (repo_root / SITE["nl"]).read_text(encoding="utf-8")
    assert "| `summary` | ja | tekst, 30–300 tekens |" in nl


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_sections_per_kind_appear(repo_root: Path, lang: str):
    text = (repo_root / SITE[lang]).read_text(encoding="utf-8")
    for kind, per_lang in sections()["case"].items():
        row = next(line for line in text.splitlines() if line.startswith("|")
                   and f"(`{kind}`)" in line)
        assert [f"`## {h}`" for h in per_lang[lang]] == re.findall(r"`## [^`]+`", row)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_guide_explains_the_three_paths_and_the_licence(repo_root: Path, lang: str):
    text = (repo_root / SITE[lang]).read_text(encoding="utf-8")
    for needle in ("Add file → Create new file", "pull request", "Issues → New issue",
                   "casebook new case", "casebook validate", "CC BY 4.0",
                   "fout[unknown-term]" if lang == "nl" else "error[unknown-term]",
                   "--format json", "--format github"):
        assert needle in text, needle
    assert text.startswith("# ")  # a page title for the site


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_example_case_in_the_guide_validates(repo_root: Path, lang: str):
    text = (repo_root / SITE[lang]).read_text(encoding="utf-8")
    block = re.search(r"```markdown\n---\n(.*?)\n---\n(.*?)```", text, re.S)
    assert block
    data = yaml.safe_load(block.group(1))
    data["reviewed"] = str(data["reviewed"])
    errors = [e.message for e in validator("case").iter_errors(data)]
    assert errors == []
    heads = re.findall(r"^## (.+)$", block.group(2), re.M)
    assert heads == sections()["case"][data["kind"]][lang]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_example_command_in_the_guide_works(casebook, kb_copy: Path, repo_root: Path,
                                            lang: str):
    text = (repo_root / SITE[lang]).read_text(encoding="utf-8")
    m = re.search(r"\.venv/bin/casebook (new case --lang .*?)\n```", text, re.S)
    assert m
    argv = shlex.split(m.group(1).replace("\\\n", " "))
    org = argv[argv.index("--organisation") + 1].split(":")[0]
    made = casebook("new", "organisation", "--root", str(kb_copy), "--id", org, "--name",
                    "Voorbeeld", "--kind", "municipality", "--country", "NL")
    assert made.returncode == 0, made.stderr
    result = casebook(*argv, "--root", str(kb_copy))
    assert result.returncode == 0, result.stderr

