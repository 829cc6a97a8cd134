"""Values of a publiccode.yml file checked as facts before they enter an entry.

A ``releaseDate`` is a fact only when it is a real day between
``release_date_floor`` (``data/publiccode.yaml``) and today: the Unix epoch and
other placeholders, impossible months and dates in the future are not
recorded. Title and summary lengths come from the case schema, and a message
about a generated field names the field of the file it came from
(``source_fields``).
"""

from __future__ import annotations

import datetime as dt
import re

from casebook.content.schema import raw_schema
from casebook.i18n import Message, msg
from casebook.intake.publiccode_text import mapping

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PATH_SPLIT = re.compile(r"[.\[]")


def limits(key: str) -> tuple[int, int]:
    """Shortest and longest length of the case field ``key`` (``title``, ``summary``)."""
    spec = raw_schema("case")["properties"][key]
    return int(spec["minLength"]), int(spec["maxLength"])


def check_release(value: str, today: dt.date) -> tuple[dt.date | None, str | None]:
    """A stated ``releaseDate`` checked as a fact: ``(date, None)`` for a real release
    date, ``(None, reason)`` for a placeholder or impossible one, ``(None, None)`` for none.

    Reasons (keys of ``release_problems`` in ``data/publiccode.yaml``): ``form`` (not
    YYYY-MM-DD), ``impossible`` (no such day: ``2021-17-02``), ``epoch`` (1970-01-01,
    what an unset date prints as), ``early`` (before ``release_date_floor``, older than
    any software a public administration publishes), ``future`` (after today).
    """
    if not value:
        return None, None
    if not _ISO_DATE.fullmatch(value):
        return None, "form"
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        return None, "impossible"
    if date == dt.date(1970, 1, 1):
        return None, "epoch"
    if date.year < int(mapping()["release_date_floor"]):
        return None, "early"
    if date > today:
        return None, "future"
    return date, None


def release_warning(value: str, reason: str) -> Message:
    """The warning for a ``releaseDate`` that is not recorded, naming the field."""
    floor = mapping()["release_date_floor"]
    return {
        "form": msg("releaseDate: '{value}' is not a date of the form YYYY-MM-DD; it is not "
                    "recorded and the start is not stated", value=value),
        "impossible": msg("releaseDate: '{value}' is not a real date (no such month or day); "
                          "it is not recorded and the start is not stated", value=value),
        "epoch": msg("releaseDate: '{value}' is the Unix epoch, a placeholder for a date "
                     "never set; it is not recorded and the start is not stated", value=value),
        "early": msg("releaseDate: '{value}' is before {floor}, a placeholder rather than a "
                     "release of this software; it is not recorded and the start is not "
                     "stated", value=value, floor=floor),
        "future": msg("releaseDate: '{value}' is in the future; it is not recorded and the "
                      "start is not stated", value=value),
    }[reason]


def source_field(field_path: str, tags: dict[str, str], original: str) -> str:
    """The field of the publiccode.yml file a generated entry field comes from."""
    head = _PATH_SPLIT.split(field_path, maxsplit=1)[0]
    where = mapping()["source_fields"].get(head)
    if where is None:
        return field_path
    return where.format(tag=tags.get(original, original))
