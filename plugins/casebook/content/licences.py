"""SPDX licence identifiers: deprecated ones, their current names, close suggestions.

The identifiers come from the SPDX data shipped with license-expression (the
data behind the ``licenses`` vocabulary); the rules it cannot express live in
``data/licences.yaml``.
"""

from __future__ import annotations

import difflib
import functools
import json
from pathlib import Path

import yaml

from casebook.content.vocab import _data_file, load_vocabularies
from casebook.i18n import Message, msg


@functools.cache
def _rules() -> dict:
    return yaml.safe_load(_data_file("licences.yaml"))


@functools.cache
def _renamed() -> dict[str, str]:
    """Deprecated SPDX identifier → the current identifier the SPDX data names for it."""
    import license_expression

    index = Path(license_expression.__file__).parent / "data" / "scancode-licensedb-index.json"
    current = load_vocabularies()["licenses"].terms
    out: dict[str, str] = {}
    for entry in json.loads(index.read_text(encoding="utf-8")):
        key = entry.get("spdx_license_key")
        if not key or key not in current or entry.get("is_exception"):
            continue
        for old in entry.get("other_spdx_license_keys") or ():
            if not old.startswith("LicenseRef") and old not in current:
                out[old] = key
    return out


def is_current(value: str) -> bool:
    """True for a current SPDX licence identifier (exact spelling)."""
    return value in load_vocabularies()["licenses"].terms


def replacements(value: str) -> list[str]:
    """The current identifiers of a deprecated one (one or two); empty when not deprecated."""
    renamed = _renamed()
    key = renamed.get(value)
    if key is None:
        folded = {k.lower(): v for k, v in renamed.items()}
        key = folded.get(value.lower())
    if key is None:
        return []
    out = [key]
    current = load_vocabularies()["licenses"].terms
    for narrow, wide in _rules()["either_version"]:
        if key.endswith(narrow) and not value.endswith("+"):
            other = key[: -len(narrow)] + wide
            if other in current:
                out.append(other)
    return out


def suggest(value: str) -> str | None:
    """A current identifier that is really close to ``value`` (same licence, typo)."""
    terms = load_vocabularies()["licenses"].terms
    folded = {k.lower(): k for k in terms}
    if value.strip().lower() in folded:
        return folded[value.strip().lower()]
    match = difflib.get_close_matches(value.strip().lower(), list(folded), n=1,
                                      cutoff=float(_rules()["suggestion_cutoff"]))
    return folded[match[0]] if match else None


def _quoted_or(ids: list[str]) -> str:
    return " or ".join(f"'{i}'" for i in ids)


def problem(value: str) -> Message | None:
    """Why ``value`` is not a current SPDX identifier, with its fix; ``None`` if it is."""
    if is_current(value):
        return None
    current = replacements(value)
    if len(current) > 1:
        return msg("'{value}' is a deprecated SPDX licence identifier that does not say "
                   "whether later versions are allowed; use {choices}, as the source states",
                   value=value, choices=_quoted_or(current))
    if current:
        return msg("'{value}' is a deprecated SPDX licence identifier; use its current name "
                   "'{current}'", value=value, current=current[0])
    base = value.rstrip().removesuffix("+")
    if base != value.rstrip() and is_current(base):
        return msg("'{value}' means '{base}' or any later version, which no single SPDX licence "
                   "identifier expresses; leave the licence out and name it in the text",
                   value=value, base=base)
    guess = suggest(value)
    if guess:
        return msg("'{value}' is not an SPDX licence identifier; did you mean '{guess}'?",
                   value=value, guess=guess)
    return msg("'{value}' is not an SPDX licence identifier; see https://spdx.org/licenses/ "
               "for the identifiers", value=value)
