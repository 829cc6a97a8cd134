"""The generated issue form: valid GitHub form syntax, written for people, complete."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from casebook.content.schema import raw_schema
from casebook.content.vocab import STANDARD, load_vocabularies
from casebook.intake import guide
from casebook.intake.issueform import form_fields
from issuebodies import form as committed_form

ELEMENTS = {"markdown", "input", "textarea", "dropdown", "checkboxes"}
#: Keys each element type may carry (GitHub's form schema).
ATTRIBUTES = {
    "markdown": {"value"},
    "input": {"label", "description", "placeholder", "value"},
    "textarea": {"label", "description", "placeholder", "value", "render"},
    "dropdown": {"label", "description", "multiple", "options", "default"},
    "checkboxes": {"label", "description", "options"},
}


@pytest.fixture(scope="module")
def form() -> dict:
    return committed_form()


@pytest.fixture(scope="module")
def fields(form: dict) -> dict[str, dict]:
    return {f["id"]: f for f in form["body"] if "id" in f}


def _leaf_keys() -> list[str]:
    """Every simple fact of a case: top-level keys and the keys inside kind objects."""
    schema = raw_schema("case")
    out = []
    for key, node in schema["properties"].items():
        if node.get("x-kind") and node.get("type") == "object":
            for sub, subnode in node["properties"].items():
                if subnode.get("type") == "object":
                    out += [f"{key}.{sub}.{leaf}" for leaf in subnode["properties"]]
                else:
                    out.append(f"{key}.{sub}")
        elif node.get("type") == "object":
            out += [f"{key}.{sub}" for sub in node["properties"]]
        else:
            out.append(key)
    return out


def test_the_form_follows_githubs_form_schema(form: dict):
    assert {"name", "description", "body"} <= set(form) <= {
        "name", "description", "body", "title", "labels", "assignees", "projects", "type"}
    ids = [f["id"] for f in form["body"] if "id" in f]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", i) for i in ids)
    labels = [f["attributes"]["label"] for f in form["body"] if f["type"] != "markdown"]
    assert len(labels) == len(set(labels)), "GitHub needs unique labels"
    for element in form["body"]:
        assert element["type"] in ELEMENTS
        assert set(element) <= {"type", "id", "attributes", "validations"}
        assert set(element["attributes"]) <= ATTRIBUTES[element["type"]], element
        assert set(element.get("validations", {})) <= {"required"}
        if element["type"] != "markdown":
            assert "id" in element and element["attributes"]["label"].strip()
        if element["type"] == "dropdown":
            options = element["attributes"]["options"]
            assert options and len(options) == len(set(options))
            assert all(isinstance(o, str) and o.strip() and o != "None" for o in options)
            assert isinstance(element["attributes"]["multiple"], bool)


def test_labels_and_help_are_in_both_languages(form: dict):
    labels = {f.id: f.label for f in form_fields()}
    for element in form["body"]:
        attrs = element["attributes"]
        if element["type"] == "markdown":
            assert "**Nederlands.**" in attrs["value"] or "**Alleen" in attrs["value"]
            assert "**English.**" in attrs["value"] or "**Only" in attrs["value"]
            continue
        label = labels[element["id"]]
        assert label["nl"].strip() and label["en"].strip()
        assert attrs["label"] == (label["nl"] if label["nl"] == label["en"]
                                  else f"{label['nl']} / {label['en']}")
        assert not re.search(r"[a-z]+[._][a-z]+", attrs["label"]), "no raw keys in labels"
        if element["type"] in ("input", "textarea"):
            assert attrs.get("description"), element["id"]
    assert fields_by_label(form)["Titel / Title"]["type"] == "input"
    assert fields_by_label(form)["Samenvatting / Summary"]["type"] == "textarea"


def fields_by_label(form: dict) -> dict[str, dict]:
    return {f["attributes"]["label"]: f for f in form["body"] if f["type"] != "markdown"}


def test_one_input_per_simple_fact(fields: dict[str, dict]):
    for key in ("period.start", "period.end", "lab.founded", "challenge.submissions",
                "challenge.selected", "challenge.budget.amount"):
        assert fields[key.replace(".", "_")]["type"] == "input", key
    for field in fields.values():
        text = field["attributes"].get("description", "")
        assert "Keys:" not in text and "Sleutels" not in text, field["id"]


def test_every_fact_of_a_case_is_asked_for(fields: dict[str, dict]):
    skip = {"schema", "reviewed"} | set(_form_data()["skip"])  # acknowledged: editors only
    assert skip == {"schema", "reviewed", "acknowledged"}
    for key in _leaf_keys():
        if key.split(".")[0] in skip:
            continue
        assert key.replace(".", "_") in fields, key


def test_dropdowns_wherever_a_vocabulary_exists(fields: dict[str, dict]):
    vocabs = load_vocabularies()
    schema = raw_schema("case")
    checked = 0
    for key in _leaf_keys():
        node = schema
        for part in key.split("."):
            node = node["properties"][part]
        items = node.get("items") or {}
        vocab = node.get("x-vocabulary") or items.get("x-vocabulary")
        if "$ref" in items and items["$ref"].endswith("/country"):
            vocab = "countries"
        if not vocab:
            continue
        field = fields[key.replace(".", "_")]
        assert field["type"] == "dropdown", key
        assert field["attributes"]["multiple"] is (node.get("type") == "array"), key
        options = field["attributes"]["options"]
        choice = _form_data().get("options", {}).get(vocab, {})
        only = choice.get("only")
        terms = {t: v for t, v in vocabs[vocab].terms.items() if not only or t in only}
        other = choice.get("other")
        assert len(options) == len(terms) + bool(other), key
        if other:  # last: the way to any other term, typed in the field it names
            label = other["label"]
            assert options[-1] == f"{label['nl']} / {label['en']}"
            assert other["field"] in fields
        for term, labels in terms.items():
            if vocab in STANDARD and not term.islower():
                assert any(o.endswith(f"({term})") for o in options), (key, term)
            elif vocab in STANDARD:  # the project's own terms: International, Not stated
                assert any(o.startswith(f"{labels['nl']} / {labels['en']}") for o in options)
            else:
                text = labels["nl"] if labels["nl"] == labels["en"] else (
                    f"{labels['nl']} / {labels['en']}")
                assert text in options, (key, text)
        checked += 1
    assert checked >= 12


def test_the_country_dropdown_is_short_with_the_netherlands_and_belgium_first(
        fields: dict[str, dict]):
    options = fields["countries"]["attributes"]["options"]
    assert 30 <= len(options) <= 40  # not the 250 of ISO 3166
    assert options[:4] == ["Nederland / Netherlands (NL)", "België / Belgium (BE)",
                           "Internationaal / International",
                           "Niet vermeld in de bronnen / Not stated in the sources"]
    # Then the other EU and EEA members, Switzerland and the United Kingdom, by Dutch name.
    names = [o.split(" / ")[0].split(" (")[0] for o in options[4:-1]]
    assert names == sorted(names, key=lambda n: unicodedata.normalize("NFKD", n).casefold())
    assert {"Duitsland", "Frankrijk", "Luxemburg", "Noorwegen", "Zwitserland",
            "Verenigd Koninkrijk"} <= {n for n in names}
    assert fields["other_countries"]["type"] == "input"


def test_the_language_of_the_text_is_a_dropdown(fields: dict[str, dict]):
    lang = fields["lang"]
    assert lang["type"] == "dropdown" and lang["attributes"]["options"] == ["Nederlands",
                                                                            "English"]
    assert lang["validations"]["required"] is True


def test_lists_explain_their_format_with_an_example(fields: dict[str, dict]):
    for fid, columns in (("organisations", "`naam | rol`"), ("sources",
                         "`titel | uitgever | datum | url`"), ("links", "`url | soort |"),
                         ("building_blocks", "`korte naam | naam | soort |")):
        field = fields[fid]
        assert field["type"] == "textarea"
        assert columns in field["attributes"]["description"], fid
        assert " | " in field["attributes"]["placeholder"], fid
    roles = fields["organisations"]["attributes"]["description"]
    assert "Eigenaar / Owner" in roles


def test_the_form_requires_what_the_schema_requires(fields: dict[str, dict]):
    schema = raw_schema("case")
    required = {i for i, f in fields.items() if (f.get("validations") or {}).get("required")}
    for key in schema["required"]:
        if key == "reviewed":  # recorded by casebook from-issue when an editor accepts
            continue
        if schema["properties"][key].get("type") == "object":
            assert f"{key}_start" in required, key
            continue
        assert key in required, key
    # Required for one kind only: the form cannot require them, so it says so.
    for fid in ("challenge_procurement", "building_blocks"):
        assert fid not in required
        assert "Verplicht bij" in fields[fid]["attributes"]["description"]
    assert fields["licence"]["attributes"]["options"][0]["required"] is True


def test_the_form_file_is_generated(repo_root: Path):
    path = repo_root / guide.OUTPUTS["issue-form"]
    assert path.read_text(encoding="utf-8") == guide.issue_form_yaml()
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == guide.issue_form()


def _form_data() -> dict:
    path = Path(__file__).resolve().parents[2] / "plugins/casebook/data/issue-form.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))
