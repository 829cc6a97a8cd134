"""The page of all cases: a table a reader can sort by each column, with or without script.

Every column has one order, computed here once per language build; the same
order is served three ways:

* the default page (``/cases/``) is sorted by title, A to Z;
* every other column has its own static page (``/cases/sort/<column>/``), in
  the column's first direction (most recently reviewed first, the others
  ascending), linked from the column headings, so sorting works without
  JavaScript (one page per column, not per direction: the table of thousands of
  cases is written once per column);
* every cell carries its case's own sort key for its column (``data-sort``: a
  string that compares, character by character, as the column sorts; none when
  the case has no value), and ``casebook-sort.js`` sorts the table in place by
  those keys, in either direction, so the script and the static pages always
  agree. A key depends on its case alone (and on the labels it shows), so a
  change to one case changes one row: the preview writes the other rows as they
  were and only sorts again.

Ties within a column keep the rows in title order in both directions (the title
key, then the case id, which the row carries as ``data-id``), and rows without a
value (a case without a period) come last in both directions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

#: The columns of the table, in order: the keys of ``ui.yaml``'s ``lists`` table.
COLUMNS: tuple[str, ...] = ("title", "kind", "organisations", "countries", "period", "stage",
                            "reviewed")
#: Direction of a column's first sort: most recently reviewed first, the others ascending.
FIRST_DIRECTION: dict[str, str] = {"reviewed": "desc"}
#: The default order of the page of all cases.
DEFAULT_SORT: tuple[str, str] = ("title", "asc")
#: Source stem of the page of all cases.
ALL_CASES = "cases/index"


def first_direction(column: str) -> str:
    """The direction a column is sorted in when a reader first chooses it."""
    return FIRST_DIRECTION.get(column, "asc")


def variant_name(column: str) -> str:
    """Source stem of the page sorted by ``column`` in its first direction."""
    if column == DEFAULT_SORT[0]:
        return ALL_CASES
    return f"cases/sort/{column}"


def variants() -> list[str]:
    """The columns with a page of their own (every one but the default's)."""
    return [c for c in COLUMNS if c != DEFAULT_SORT[0]]


def period_key(period: Any) -> str | None:
    """``{start: 2017-05, end: 2018}`` → ``"02017-05/02018-00"``; an open end sorts last.

    Fixed-width numbers, so that the text compares as the months do."""
    if not isinstance(period, dict) or period.get("start") is None:
        return None

    def month(value: Any, open_value: tuple[int, int]) -> str:
        year, mon = open_value
        if value is not None:
            text_year, _, text_mon = str(value).partition("-")
            try:
                year, mon = int(text_year), int(text_mon or 0)
            except ValueError:
                year, mon = open_value
        return f"{year:05d}-{mon:02d}"

    return f"{month(period['start'], (0, 0))}/{month(period.get('end'), (10_000, 0))}"


def position_key(terms: Iterable[str], key: str) -> str:
    """The position of ``key`` in a vocabulary's ``terms`` (unknown keys last), as a key
    that compares as the number does."""
    order = list(terms)
    return f"{order.index(key) if key in order else len(order):04d}"


_SEPARATORS = str.maketrans("\t\n\r", "   ")


def joined_key(parts: Iterable[str]) -> str | None:
    """Several folded names as one key that compares as their sequence does: the
    separator (a tab) sorts before every character a name keeps."""
    names = [part.translate(_SEPARATORS) for part in parts]
    return "\t".join(names) if names else None


#: Sort keys of one case: column → key (None: no value).
CaseKeys = dict[str, "str | None"]


def order(ids: Iterable[str], keys: Callable[[str], CaseKeys], column: str,
          direction: str) -> list[str]:
    """The cases sorted by ``column``: ties in title order (then id), no value last.

    The same comparison ``casebook-sort.js`` makes with the keys in the page."""
    rows = [(keys(i), i) for i in ids]
    rows.sort(key=lambda row: (row[0]["title"] or "", row[1]))
    if column == "title" and direction == "asc":
        return [i for _, i in rows]
    with_value = [(k[column], i) for k, i in rows if k[column] is not None]
    without = [i for k, i in rows if k[column] is None]
    with_value.sort(key=lambda row: row[0], reverse=direction == "desc")  # stable
    return [i for _, i in with_value] + without
