"""Every regular expression that reads contributed or imported text runs in linear time.

The patterns are found by introspection (every compiled pattern, text or bytes, at the
top level of the modules below, plus the patterns the data defines), so a new one is
covered without being listed; a test of the source refuses a pattern written inside a
function, where introspection cannot see it. For each, Hypothesis builds adversarial
inputs: a short unit made of the pattern's own literal characters plus separators
(``" "``, ``":"``, ``"a"``, a line break), repeated, between a prefix and a suffix of
its choosing. Time is never compared with a fixed number: the same input repeated four
times as long must take at most about four times as long (a quadratic pattern takes
sixteen), and every input is also compared with clean text of the same size.

Why not RE2: the patterns use lookahead and lookbehind (which RE2 lacks) and
Python's ``$``/``\\Z`` semantics; the property test shows each one linear, and the
watchdog (casebook.safety.watchdog) bounds the work around them whatever happens.
"""

from __future__ import annotations

import ast
import importlib
import re
import time
from pathlib import Path
from typing import Any

import pytest
from casebook.content.allowlist import policy
from casebook.intake import formread, notations
from casebook.intake.publiccode import ImportProblem, read_file
from casebook.intake.publiccode_orgs import name_rules
from casebook.safety import htmlscan
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

#: The modules whose patterns read text from contributors or imported files.
MODULES = [
    "casebook.safety.body", "casebook.safety.budget", "casebook.safety.values",
    "casebook.safety.ids", "casebook.safety.urls",
    "casebook.content.frontmatter", "casebook.content.sections",
    "casebook.content.allowlist", "casebook.content.model", "casebook.checks.validate",
    "casebook.intake.fromissue", "casebook.intake.formread", "casebook.intake.formorgs",
    "casebook.intake.formterms", "casebook.intake.publiccode",
    "casebook.intake.publiccode_facts", "casebook.intake.publiccode_orgs",
    "casebook.intake.publiccode_text", "casebook.opendata.exports",
    # added with the second round: the post-build scan (bytes patterns too), the
    # sanitizer, the notations of form answers and the issue form's reader
    "casebook.safety.htmlscan", "casebook.safety.sanitize", "casebook.intake.notations",
    "casebook.intake.issueform",
]

#: Functions allowed to compile a pattern: from data or a literal, each covered below.
COMPILING_FUNCTIONS = {
    "policy",               # casebook.content.allowlist: id and asset-name patterns (data)
    "name_rules",           # casebook.intake.publiccode_orgs: organisation names (data)
    "_currency_patterns",   # casebook.intake.notations: a currency word, anchored
    "_offsets",             # casebook.safety.htmlscan: "<" + a tag name, a literal
}


def _data_patterns() -> list[tuple[str, re.Pattern[Any]]]:
    """The patterns compiled from data or per word (see :data:`COMPILING_FUNCTIONS`)."""
    found: list[tuple[str, re.Pattern[Any]]] = [
        ("allowlist.policy.id_pattern", policy().id_pattern),
        ("allowlist.policy.asset_name", policy().asset_name),
        *((f"publiccode_orgs.name_rules[{i}]", rule[0])
          for i, rule in enumerate(name_rules())),
        ("htmlscan._Locator(script)", re.compile(htmlscan._TAG_OPENING.format("script"))),
    ]
    for word in ("€", "eur", "euro"):
        before, after = notations._currency_patterns(word)
        found += [(f"notations.currency({word}).before", before),
                  (f"notations.currency({word}).after", after)]
    return found


def _patterns() -> list[tuple[str, re.Pattern[Any]]]:
    found = []
    for name in MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found.append((f"{name.rsplit('.', 1)[1]}.{attr}", value))
    return found + _data_patterns()


PATTERNS = _patterns()
_LITERALS = re.compile(r"\\[nt]|\\.|[^\\\[\]()?*+{}|^$.]")
_ESCAPES = {"\\n": "\n", "\\t": "\t", "\\s": " ", "\\d": "1", "\\w": "a", "\\S": "a"}


def _alphabet(pattern: str) -> list[str]:
    chars = {" ", ":", "a", "\n", "<", ">", "#", "=", "{", "}", "[", "]", "(", ")", "`", "-"}
    for token in _LITERALS.findall(pattern):
        if token.startswith("\\"):
            token = _ESCAPES.get(token, token[1:])
        if token.isprintable() or token in "\n\t":
            chars.add(token)
    return sorted(chars)


def _cost(pattern: re.Pattern[Any], text: str) -> float:
    if isinstance(pattern.pattern, bytes):  # the scan's patterns read a page's bytes
        return _cost_of(pattern, text.encode("utf-8"))
    return _cost_of(pattern, text)


def _cost_of(pattern: re.Pattern[Any], text: Any) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _m in pattern.finditer(text):
            pass
        pattern.match(text)
        best = min(best, time.perf_counter() - started)
    return best


def _source(pattern: re.Pattern[Any]) -> str:
    raw = pattern.pattern
    return raw.decode("latin-1") if isinstance(raw, bytes) else raw


def _unit_strategy(pattern: re.Pattern[Any]) -> st.SearchStrategy[tuple[str, str, str]]:
    alphabet = _alphabet(_source(pattern))
    piece = st.text(alphabet=alphabet, min_size=1, max_size=6)
    return st.tuples(st.text(alphabet=alphabet, max_size=6), piece,
                     st.text(alphabet=alphabet, max_size=3))


def _grows_linearly(pattern: re.Pattern[Any], prefix: str, unit: str, suffix: str) -> None:
    small = 1500 // len(unit)
    short = prefix + unit * small + suffix
    long = prefix + unit * (small * 4) + suffix
    short_cost, long_cost = _cost(pattern, short), _cost(pattern, long)
    clean = _cost(pattern, ("Een gewone zin met woorden. " * len(long))[: len(long)])
    # 4x the input: a linear pattern takes ~4x (16x if quadratic); small times are noise.
    slack = 0.002
    assert long_cost <= 8 * short_cost + slack, (
        f"{_source(pattern)!r}: {long_cost * 1000:.1f} ms for 4x the input "
        f"({short_cost * 1000:.1f} ms), unit {unit!r}")
    assert long_cost <= 50 * clean + 0.01, (
        f"{_source(pattern)!r}: {long_cost * 1000:.1f} ms, clean text {clean * 1000:.2f} ms, "
        f"unit {unit!r}")


def test_the_patterns_are_found() -> None:
    names = {name for name, _ in PATTERNS}
    assert {"body._AUTOLINK", "sections.HEADING", "body._ATTR_LIST",
            "formread._HEADING", "htmlscan._UNSAFE_VALUE", "htmlscan._HANDLER",
            "notations._NUMBER", "formorgs._REPOSITORY_AT_END",
            "allowlist.policy.id_pattern"} <= names, sorted(names)


_RE_CALLS = {"compile", "match", "search", "sub", "subn", "fullmatch", "findall", "finditer",
             "split"}


@pytest.mark.parametrize("module", MODULES)
def test_no_pattern_is_written_inside_a_function(module: str) -> None:
    """A pattern inside a function escapes the introspection above: every one lives at
    module level (or in a function of :data:`COMPILING_FUNCTIONS`, covered by data)."""
    source = Path(importlib.import_module(module).__file__ or "").read_text(encoding="utf-8")
    inside = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if getattr(function, "name", "") in COMPILING_FUNCTIONS:
            continue
        for node in ast.walk(function):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in _RE_CALLS):
                inside.append(f"line {node.lineno}: re.{node.func.attr}(...)")
    assert inside == [], f"{module}: {inside}"


@pytest.mark.parametrize("name, pattern", PATTERNS, ids=[n for n, _ in PATTERNS])
def test_every_pattern_is_linear_on_adversarial_input(name: str,
                                                      pattern: re.Pattern[Any]) -> None:
    @settings(max_examples=12, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(_unit_strategy(pattern))
    def check(parts: tuple[str, str, str]) -> None:
        _grows_linearly(pattern, *parts)

    check()


@pytest.mark.parametrize("name, unit, prefix", [
    ("body._AUTOLINK", "a:", "<"),
    ("sections.HEADING", " #", "## a"),
    ("body._ATTR_LIST", " ", "{:"),
    ("formread._HEADING", " ", "### a"),
])
def test_the_known_offenders_are_linear(name: str, unit: str, prefix: str) -> None:
    pattern = dict(PATTERNS)[name]
    _grows_linearly(pattern, prefix, unit, "x")


def _alias_bomb() -> str:
    lines = ["publiccodeYmlVersion: '0.4'", "name: &l0 x"]
    for i in range(1, 10):  # 10^9 strings once expanded
        refs = ", ".join([f"*l{i - 1}"] * 10)
        lines.append(f"l{i}: &l{i} [{refs}]")
    return "\n".join([*lines, "url: https://example.org/x", ""])


ALIAS_BOMB = _alias_bomb()


def test_the_importer_refuses_an_alias_bomb_before_expanding_it(tmp_path: Path) -> None:
    path = tmp_path / "publiccode.yml"
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    assert len(ALIAS_BOMB) < 2000
    started = time.perf_counter()
    with pytest.raises(ImportProblem) as problem:
        read_file(path)
    assert time.perf_counter() - started < 1
    assert "aliases" in str(problem.value.message) and "line 3" in str(problem.value.message)


def test_the_importer_reads_anchors_free_yaml_as_before(tmp_path: Path) -> None:
    path = tmp_path / "publiccode.yml"
    path.write_text("publiccodeYmlVersion: '0.4'\nname: Signalen\nurl: https://example.org/x\n"
                    "description:\n  nl:\n    shortDescription: 'Meldingen: a;b & c'\n",
                    encoding="utf-8")
    data, _ = read_file(path)
    assert data["description"]["nl"]["shortDescription"] == "Meldingen: a;b & c"


@pytest.mark.parametrize("line, label", [
    ("### Naam", "Naam"), ("### Naam ###", "Naam"), ("### C#", "C"), ("### a ## # ", "a ##"),
    ("###   Titel van de case  ", "Titel van de case"),
])
def test_from_issue_headings_read_as_before(line: str, label: str) -> None:
    m = formread._HEADING.match(line)
    assert m is not None and formread._label(m.group("label")) == label


def test_from_issue_heading_of_spaces_is_read_in_linear_time() -> None:
    line = "### a" + " " * 4000 + "x"
    started = time.perf_counter()
    for _ in range(100):
        m = formread._HEADING.match(line)
        assert m is not None and formread._label(m.group("label")).endswith("x")
    assert time.perf_counter() - started < 1
