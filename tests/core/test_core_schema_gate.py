"""The fast schema gate (fastjsonschema) agrees with the jsonschema library."""

from __future__ import annotations

import copy
from pathlib import Path

from casebook.content import schema as schemas
from casebook.content.model import load
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BASE = Path(__file__).parent / "fixtures" / "base"

# Values that exercise types, enums, patterns and bounds.
_values = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 3000), st.floats(allow_nan=False),
    st.sampled_from(["lab", "NL", "nl", "mobility", "mobilty", "2020", "2020-13", "2020-05",
                     "https://example.org", "javascript:x", "", "x" * 400, "EUR", "MIT"]),
    st.lists(st.sampled_from(["NL", "BE", "xx", "mobility", "data", 3]), max_size=7),
    st.dictionaries(st.sampled_from(["id", "role", "start", "end", "url", "kind", "title"]),
                    st.sampled_from(["owner", "x", 2020, "https://a.b", "org"]), max_size=3),
)


def _originals() -> list[tuple[str, dict]]:
    kb = load(BASE)
    out = [("case", e.facts) for e in kb.valid_cases()]
    out += [("organisation", e.facts) for e in kb.valid_organisations()]
    assert out, "the fixture base has entries"
    return out


ORIGINALS = _originals()


def _jsonschema_valid(name: str, data: dict) -> bool:
    errors = schemas.validator(name).iter_errors(data)
    return not [e for e in errors if not (e.schema_path and e.schema_path[0] == "allOf")]


@settings(max_examples=300, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(ORIGINALS) - 1), st.lists(st.tuples(st.text(max_size=12), _values),
                                                    max_size=3), st.data())
def test_gate_agrees_with_jsonschema(index: int, changes: list, data: st.DataObject) -> None:
    name, original = ORIGINALS[index]
    doc = copy.deepcopy(original)
    keys = list(doc)
    for key, value in changes:
        target = data.draw(st.sampled_from([*keys, key]))
        doc[target] = value
    assert schemas.is_valid(name, doc) == _jsonschema_valid(name, doc)


def test_gate_accepts_the_fixture_base_and_rejects_a_bad_term() -> None:
    name, original = next(o for o in ORIGINALS if o[0] == "case")
    assert schemas.is_valid(name, original)
    bad = {**original, "themes": ["mobilty"]}
    assert not schemas.is_valid(name, bad)
    assert not _jsonschema_valid(name, bad)
