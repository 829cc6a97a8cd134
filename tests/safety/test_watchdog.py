"""The hard budget: any construct, known or not, ends as an error naming the file and
the budget, within the budget; legitimate content far below it renders as before."""

from __future__ import annotations

import re
import shutil
import threading
import time
from pathlib import Path

import pytest
from casebook.checks import validate as validate_module
from casebook.checks.validate import validate
from casebook.mkdocs_plugins.safety import plugin as safety_plugin
from casebook.safety import budget
from casebook.safety.watchdog import OverBudget, bounded
from htmltokens import site_markdown
from mkdocs.exceptions import PluginError

ENTRY = (Path(__file__).resolve().parents[1] / "hostile" / "_base").resolve()


def _slow_regex() -> None:
    re.match(r"(a+)+b", "a" * 40)  # exponential backtracking inside the C engine


def test_a_backtracking_regex_is_stopped_on_time() -> None:
    started = time.process_time()  # the budget is CPU time: load does not change it
    with pytest.raises(OverBudget) as over, bounded(0.3, 400):
        _slow_regex()
    assert over.value.kind == "time"
    assert time.process_time() - started < 1.5


def test_deep_recursion_ends_as_over_budget_not_recursion_error() -> None:
    def down(n: int) -> int:
        return down(n + 1)

    with pytest.raises(OverBudget) as over, bounded(5, 200):
        down(0)
    assert over.value.kind == "depth"


def test_work_on_another_thread_is_stopped_too() -> None:
    caught: list[BaseException] = []

    def work() -> None:
        try:
            with bounded(0.3, 400):
                while True:
                    sum(range(1000))
        except OverBudget as exc:
            caught.append(exc)

    thread = threading.Thread(target=work)
    started = time.process_time()
    thread.start()
    thread.join(60)
    assert not thread.is_alive()
    assert [e.kind for e in caught] == ["time"]  # type: ignore[attr-defined]
    assert time.process_time() - started < 2


def test_a_timeout_python_drops_is_raised_again() -> None:
    """Python prints and drops an exception raised in ``__del__`` (or a weakref
    callback): the budget still ends the work, because it is raised again."""
    class Slow:
        def __del__(self) -> None:  # the first raise lands here and is dropped
            until = time.process_time() + 0.5
            while time.process_time() < until:
                pass

    started = time.process_time()
    with pytest.raises(OverBudget) as over, bounded(0.2, 400):
        Slow()
        while time.process_time() - started < 3:  # without a second raise: no error
            sum(range(1000))
    assert over.value.kind == "time"


def test_work_within_budget_is_untouched_and_the_timer_is_disarmed() -> None:
    with bounded(0.2, 400):
        value = sum(range(1000))
    spent = time.process_time() + 0.4
    while time.process_time() < spent:  # a timer left armed would fire here
        sum(range(1000))
    assert value == 499500


# --- the renderer of every page -----------------------------------------------------


def _renderer(seconds: int, depth: int = 400, monkeypatch: pytest.MonkeyPatch | None = None):
    limits = {**budget.limits(), "render_seconds": seconds, "render_depth": depth}
    assert monkeypatch is not None
    monkeypatch.setattr(safety_plugin, "limits", lambda: limits)
    md = site_markdown()
    safety_plugin.RenderBudget(lambda: "content/cases/x.nl.md").extendMarkdown(md)
    return md


@pytest.mark.parametrize("body", [
    "1. " * 600 + "Stap\n",                       # 600 list markers on one line
    "> " * 10 + "* " * 600 + "x\n",                # quotes, then bullets
    "- " * 300 + "1. " * 300 + "x\n",
], ids=["ordered-markers", "quotes-then-bullets", "mixed-markers"])
def test_nesting_ends_as_an_error_naming_the_file_and_budget(
        body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    md = _renderer(20, monkeypatch=monkeypatch)
    started = time.process_time()
    with pytest.raises(PluginError) as error:
        md.convert(body)
    text = str(error.value)
    assert "content/cases/x.nl.md:1:1:" in text and "render-budget" in text
    assert "render_depth" in text and "Traceback" not in text
    assert time.process_time() - started < 5


@pytest.mark.parametrize("prefix, unit", [
    ("# a", " {a} x"),                   # attr_list on a heading
    ("# a", " " * 50 + "{a} x"),         # runs of spaces
    ("a | b\n--- | ---\nx", " {a} x"),   # a table cell
    ("term", " {a} x"),                  # a definition term...
    ("", "`a``a"),                       # and one we chose: backtick runs of two lengths
], ids=["heading", "heading-spaces", "table-cell", "definition-term", "backtick-runs"])
def test_slow_constructs_end_within_the_time_budget(
        prefix: str, unit: str, monkeypatch: pytest.MonkeyPatch) -> None:
    md = _renderer(1, monkeypatch=monkeypatch)
    body = prefix + unit * (300_000 // len(unit)) + ("\n:   definition\n" if prefix == "term"
                                                    else "\n")
    started = time.process_time()  # CPU seconds, as the budget
    with pytest.raises(PluginError) as error:
        md.convert(body)
    elapsed = time.process_time() - started
    assert "render_seconds" in str(error.value) and "content/cases/x.nl.md" in str(error.value)
    assert elapsed < 3, elapsed


def test_legitimate_large_bodies_render_within_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    md = _renderer(20, monkeypatch=monkeypatch)
    paragraph = ("Een gewone alinea met **nadruk**, een [link](https://example.org/) en "
                 "`code`; nog wat tekst. " * 8 + "\n\n")
    table = "| a | b |\n|:--|--:|\n" + "| een | twee |\n" * 200 + "\n"
    lists = "".join(f"{'    ' * (i % 4)}- punt {i}\n" for i in range(400)) + "\n"
    body = ("## Kop {#kop .klasse}\n\n" + paragraph * 200 + table + lists)
    started = time.process_time()
    html = md.convert(body)
    assert time.process_time() - started < 10
    assert 'id="kop"' in html and "<table>" in html


def test_the_validator_stops_a_slow_check_and_names_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ENTRY, tmp_path / "kb")  # _base: one organisation in two languages
    root = tmp_path / "kb"
    monkeypatch.setattr(validate_module, "limits",
                        lambda: {**budget.limits(), "check_seconds": 1})
    real = validate_module._check_entry

    def slow(*args, **kwargs):  # a check that never ends: an unknown pathological input
        _slow_regex()
        return real(*args, **kwargs)

    monkeypatch.setattr(validate_module, "_check_entry", slow)
    started = time.process_time()
    diagnostics, _ = validate(root)
    assert time.process_time() - started < 20
    over = [d for d in diagnostics if d.code == "render-budget"]
    assert over and all("check_seconds" in d.message for d in over)
    assert {d.path for d in over} == {"content/organisations/safe-org.nl.md",
                                      "content/organisations/safe-org.en.md"}


@pytest.mark.slow
def test_a_real_build_stops_with_the_budget_error_not_a_traceback(tmp_path: Path) -> None:
    from sitebuild import mkdocs_build, site_root_with

    root = tmp_path / "kb"
    shutil.copytree(ENTRY, root)
    shutil.copytree(ENTRY.parent / "ok-long-and-rtl" / "content", root / "content",
                    dirs_exist_ok=True)
    case = next((root / "content" / "cases").glob("*.nl.md"))
    text = case.read_text(encoding="utf-8")
    head = text[: text.index("\n---\n") + 5]
    # Python-Markdown's attr_list backtracks on this heading for minutes; the linear
    # checks of the validator do not know it.
    case.write_text(head + "\n## Kop" + " {a} x" * 50_000 + "\n\nTekst.\n", encoding="utf-8")
    assert not [d for d in validate(root)[0] if d.severity == "error"]
    site_root = site_root_with(root / "content", tmp_path / "root")
    started = time.perf_counter()
    result = mkdocs_build(site_root / "mkdocs.yml", tmp_path / "site", check=False)
    elapsed = time.perf_counter() - started
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    assert f"content/cases/{case.name}:1:1:" in output and "render_seconds" in output, output
    assert elapsed < budget.limits()["render_seconds"] + 240
