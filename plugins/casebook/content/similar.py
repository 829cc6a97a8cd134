"""Did-you-mean suggestions only when a value is really close to a known one.

``difflib``'s usual cutoff (0.6) pairs ``stad-gent`` with ``stad-brugge``
because they share ``stad-``: a wrong and tempting suggestion. A suggestion
here needs one typing mistake (a letter wrong, missing, added or two letters
swapped: ``acne`` → ``acme``), or a similarity ratio of at least
:data:`REAL_SIMILARITY` (``mobilty`` → ``mobility``, ``orgnisations`` →
``organisations``), or the same word in other letter case.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: The least ``difflib`` ratio of a suggestion (0.6 is difflib's default).
REAL_SIMILARITY = 0.8


def closest(value: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``value`` was most likely meant as, or ``None``."""
    options = [c for c in candidates if isinstance(c, str)]
    folded = value.casefold()
    for c in options:
        if c.casefold() == folded:
            return c
    by_fold = {c.casefold(): c for c in options}
    found = difflib.get_close_matches(folded, list(by_fold), n=1, cutoff=REAL_SIMILARITY)
    if found:
        return by_fold[found[0]]
    if len(folded) >= 3:
        for c in by_fold:
            if abs(len(c) - len(folded)) <= 1 and _one_typo(folded, c):
                return by_fold[c]
    return None


def _one_typo(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one letter changed, added, removed, or two
    neighbours swapped (an optimal string alignment distance of 1)."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:] or (
            i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:])
    return a[i:] == b[i + 1:]
