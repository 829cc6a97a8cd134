"""Numbers in messages take their plural form from the catalogue (``msg_n``): a
message that counts something has a singular and a plural in English and both Dutch
forms, and no message writes "file(s)" or "{n} files" in one form only."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po
from casebook.checks.schema_errors import length_problem
from casebook.i18n import msg_n, translate

PLUGIN = Path(__file__).parents[2] / "plugins" / "casebook"
CATALOGUE = PLUGIN / "locale" / "nl" / "LC_MESSAGES" / "casebook.po"
UI = PLUGIN / "data" / "ui.yaml"

#: English nouns a number counts in the messages.
NOUNS = ("characters", "days", "files", "pages", "cases", "errors", "warnings", "values",
         "parts", "levels", "folders", "organisations", "entries", "submissions",
         "headings", "tags", "items", "marks", "blocks", "things", "lines", "results",
         "words", "issues", "frames", "bytes", "megapixels")
#: Placeholders that are no count a reader's data decides: configured bounds (always
#: more than one), sizes only reported above such a bound, and a list of names.
NOT_COUNTS = {"limit", "lo", "hi", "min", "max", "most", "depth", "kb", "want", "max_frames",
              "size", "mp", "frames", "kinds"}
ONE_FORM = re.compile(r"\{(\w+)(?::[^}]*)?\}(?:\s+\w+)?\s+(?:" + "|".join(NOUNS) + r")\b")


def one_form_counts(template: str) -> list[str]:
    """The problems of a template that is not plural-aware: ``(s)``, ``(en)`` or a
    counted placeholder before a plural noun."""
    found = [m.group(0) for m in re.finditer(r"\w\((?:s|en)\)", template)]
    found += [m.group(0) for m in ONE_FORM.finditer(template) if m.group(1) not in NOT_COUNTS]
    return found


def _catalogue() -> Any:
    with CATALOGUE.open("rb") as fh:
        return read_po(fh, locale="nl")


def test_the_check_sees_a_count_in_one_form() -> None:
    assert one_form_counts("{n} case(s) read") == ["e(s)"]
    assert one_form_counts("is {n} characters long") == ["{n} characters"]
    assert one_form_counts("holds {count} unknown files") == ["{count} unknown files"]
    assert one_form_counts("more than {limit} levels deep") == []
    assert one_form_counts("{n} bestand(en)") == ["d(en)"]


def test_no_message_counts_in_one_form() -> None:
    """Every message of the catalogue (the source's msg() templates) and its Dutch text."""
    bad = []
    for message in _catalogue():
        if not message.id or isinstance(message.id, tuple):
            continue
        problems = one_form_counts(message.id) + one_form_counts(message.string or "")
        if problems:
            bad.append((message.id[:80], problems))
    assert bad == []


def test_every_plural_has_both_forms_in_both_languages() -> None:
    plurals = [m for m in _catalogue() if isinstance(m.id, tuple)]
    assert len(plurals) >= 20
    for message in plurals:
        singular, plural = message.id
        assert singular != plural and "{n}" in singular and "{n}" in plural, message.id
        one, other = message.string
        assert one and other and one != other, message.id
        assert one_form_counts(one) == [] and one_form_counts(other) == []


def _strings(node: Any, path: str = "") -> list[tuple[str, dict[str, str]]]:
    if isinstance(node, dict) and set(node) >= {"nl", "en"} and isinstance(node["en"], str):
        return [(path, node)]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in _strings(v, f"{path}.{k}".strip("."))]
    return []


def test_site_texts_that_count_have_a_form_per_number() -> None:
    """A UI text with a counted number is a ``one``/``other`` pair, or has a ``_one``
    sibling the page chooses for 1."""
    strings = dict(_strings(yaml.safe_load(UI.read_text("utf-8"))))
    bad = []
    for path, texts in strings.items():
        if path.endswith((".one", ".other")):
            continue
        if any(one_form_counts(t) for t in texts.values()):
            key = path.rsplit("_", 1)[0] if path.endswith("_many") else path
            if f"{key}_one" not in strings:
                bad.append(path)
    assert bad == []


@pytest.mark.parametrize(("n", "nl", "en"), [
    (1, "is 1 teken lang; dat moeten er minstens 30 zijn",
     "is 1 character long; it must be at least 30 characters"),
    (12, "is 12 tekens lang; dat moeten er minstens 30 zijn",
     "is 12 characters long; it must be at least 30 characters"),
])
def test_the_form_follows_the_number(n: int, nl: str, en: str) -> None:
    message = length_problem(n, 30, None)
    assert translate(message, "nl") == nl and translate(message, "en") == en
    days = msg_n("Facts not reviewed for more than {n} day",
                 "Facts not reviewed for more than {n} days", n)
    assert translate(days, "nl").endswith(f"{n} dag{'' if n == 1 else 'en'} niet zijn "
                                          "gecontroleerd")
