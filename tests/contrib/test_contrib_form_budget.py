"""``casebook from-issue`` reads a form under a hard budget (casebook.safety.watchdog).

Its patterns are linear (tests/safety/test_linear_patterns.py), but the budget does
not count on that: whatever makes reading a form slow, known or not, ends as a
problem naming ``form_seconds``, and nothing is written.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from casebook.intake import formread, fromissue
from casebook.intake.fromissue import MAX_BODY_CHARS, convert, from_issue
from casebook.safety import budget
from issuebodies import FILLED, github_body


def _spin(*args: object, **kwargs: object) -> None:
    """A construct nobody anticipated: reading never ends."""
    while True:
        pass


@pytest.fixture
def one_second(monkeypatch: pytest.MonkeyPatch) -> None:
    """``form_seconds`` of 1 (the data says 5)."""
    limits = {**budget.limits(), "form_seconds": 1}
    monkeypatch.setattr(formread, "limits", lambda: limits)
    monkeypatch.setattr(fromissue, "limits", lambda: limits)


def test_reading_that_never_ends_is_a_problem_within_the_budget(
        monkeypatch: pytest.MonkeyPatch, one_second: None) -> None:
    monkeypatch.setattr(formread, "_label", _spin)
    started = time.process_time()
    conv = convert(github_body(FILLED["lab"]))
    assert time.process_time() - started < 3
    [problem] = conv.problems
    assert problem.field is None
    assert "form_seconds" in str(problem.message) and "1 s" in str(problem.message)


def test_names_that_never_resolve_are_a_problem_and_nothing_is_written(
        monkeypatch: pytest.MonkeyPatch, one_second: None, kb_copy: Path) -> None:
    monkeypatch.setattr(fromissue, "resolve", _spin)
    before = sorted(kb_copy.rglob("*"))
    started = time.process_time()
    out = from_issue(github_body(FILLED["lab"]), kb_copy)
    assert time.process_time() - started < 3
    assert not out.ok and out.written is None
    assert any("form_seconds" in str(p.message) for p in out.conv.problems)
    assert sorted(kb_copy.rglob("*")) == before
    assert any("form_seconds" in message for _, _, message in fromissue.findings(out))


def test_nesting_past_the_depth_budget_is_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    def deep(n: int = 0) -> None:
        deep(n + 1)

    monkeypatch.setattr(formread, "_label", lambda *a: deep())
    [problem] = convert(github_body(FILLED["lab"])).problems
    assert "render_depth" in str(problem.message)


def _cpu(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        convert(text)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize("unit", ["### a" + " " * 60 + "\n", "- [x] " * 20 + "\n",
                                  "#" * 70 + "\n", "### " + "# " * 40 + "x\n",
                                  "| a " * 30 + "|\n", "<" * 50 + "\n", "\n"])
def test_a_full_form_of_repeated_constructs_reads_like_ordinary_text(unit: str) -> None:
    """A body of the largest size GitHub allows, made of one construct repeated, costs
    a small multiple of a form of the same size in ordinary words, within budget."""
    form = github_body(FILLED["lab"])
    room = MAX_BODY_CHARS - len(form) - 10
    hostile = form + unit * (room // len(unit))
    clean = form + ("Een gewone zin met woorden.\n" * room)[:len(hostile) - len(form)]
    hostile_cost, clean_cost = _cpu(hostile), _cpu(clean)
    assert not any("form_seconds" in str(p.message) for p in convert(hostile).problems)
    assert hostile_cost <= 10 * clean_cost + 0.05, (unit, hostile_cost, clean_cost)
