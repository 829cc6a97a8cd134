"""The page of all cases: a table a reader can sort by each column, with or without script.

Every column has one order, computed here once per language build; the same
order is served three ways:

* the default page (``/cases/``) is sorted by title, A to Z;
* every other column has its own static page (``/cases/sort/<column>/``), in
  the column's first direction (most recently reviewed first, the others
  ascending), linked from the column headings, so sorting works without
  JavaScript (one page per column, not per direction: the table of thousands of
  cases is written once per column);
* every cell carries its row's rank in its column's order (``data-sort``), and
  ``casebook-sort.js`` sorts the table in place by those numbers, in either
  direction, so the script and the static pages always agree.

Ties within a column keep the rows in title order in both directions, and
rows without a value (a case without a period) come last in both directions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
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


def period_key(period: Any) -> tuple[int, int, int, int] | None:
    """``{start: 2017-05, end: 2018}`` → ``(2017, 5, 2018, 0)``; an open end sorts last."""
    if not isinstance(period, dict) or period.get("start") is None:
        return None

    def month(value: Any, open_value: tuple[int, int]) -> tuple[int, int]:
        if value is None:
            return open_value
        year, _, mon = str(value).partition("-")
        try:
            return int(year), int(mon or 0)
        except ValueError:
            return open_value

    start = month(period["start"], (0, 0))
    end = month(period.get("end"), (10_000, 0))
    return (*start, *end)


@dataclass(slots=True)
class CaseOrders:
    """Each column's rank of every case: equal values share a rank; None: no value."""

    #: Column → case id → rank (title ranks are unique: ties broken by id).
    ranks: dict[str, dict[str, int | None]]

    @classmethod
    def build(cls, ids: Iterable[str], keys: dict[str, Callable[[str], Any]]) -> CaseOrders:
        """Ranks from one sort-key function per column (returning None for no value)."""
        ids = list(ids)
        ranks: dict[str, dict[str, int | None]] = {}
        for column, key in keys.items():
            values = {i: key(i) for i in ids}
            distinct = sorted({v for v in values.values() if v is not None})
            position = {v: n for n, v in enumerate(distinct)}
            ranks[column] = {i: (None if v is None else position[v]) for i, v in values.items()}
        return cls(ranks)

    def order(self, ids: Iterable[str], column: str, direction: str) -> list[str]:
        """The cases sorted by ``column``: ties in title order, no value last."""
        rank, title = self.ranks[column], self.ranks["title"]
        sign = -1 if direction == "desc" else 1

        def key(i: str) -> tuple[bool, int, int]:
            r = rank[i]
            return (r is None, sign * (r or 0), title[i] or 0)

        return sorted(ids, key=key)

