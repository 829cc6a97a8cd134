"""Reproducible builds: the build date from ``SOURCE_DATE_EPOCH`` and a stable Pagefind bundle.

Two builds of the same commit must give byte-identical sites. Two things stand
in the way and are handled here:

- The build date (staleness notices, the validator's "reviewed in the future"
  check). With ``SOURCE_DATE_EPOCH`` set (https://reproducible-builds.org/specs/
  source-date-epoch/; ``make site`` sets it to the time of the last commit)
  the build date is that moment's calendar date, so rebuilding an old commit
  gives the same notices. The date is taken in UTC+14, the time zone that is
  furthest ahead, so a ``reviewed`` date written anywhere on Earth by the time
  of the commit is never "in the future". Without the variable the build date
  is the local date of today, as before.
- Pagefind writes its filter indexes from Rust hash maps with a random seed per
  process, so the order of the filter values (and of the filters in the
  metadata file) changes from run to run, and with it the files' hashed names.
  :func:`stable_pagefind_files` rewrites those files in a sorted order and
  renames them after their new content, as Pagefind names them. (The bundle
  comes from Pagefind in memory and is written by :func:`write_files`:
  Pagefind's own writing does not flush its files before it answers, so a
  file could be cut short when the process ends.)
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: The environment variable of the reproducible-builds specification.
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
#: The time zone whose calendar date is the build date under SOURCE_DATE_EPOCH.
EARLIEST_ZONE = dt.timezone(dt.timedelta(hours=14))

#: The signature Pagefind puts before the CBOR data of its index files.
PAGEFIND_SIGNATURE = b"pagefind_dcd"


def source_date_epoch(environ: Mapping[str, str] | None = None) -> int | None:
    """The value of ``SOURCE_DATE_EPOCH`` (seconds since 1970), ``None`` when unset or empty.

    Raises :class:`ValueError` with a readable message for any other value.
    """
    value = (os.environ if environ is None else environ).get(SOURCE_DATE_EPOCH, "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValueError(f"{SOURCE_DATE_EPOCH}={value!r} is not a number of seconds since "
                         f"1970-01-01 (for example `git log -1 --format=%ct`)")
    return int(value)


def build_date(environ: Mapping[str, str] | None = None) -> dt.date:
    """The date the site is built for: from ``SOURCE_DATE_EPOCH`` when set, else today."""
    epoch = source_date_epoch(environ)
    if epoch is None:
        return dt.date.today()
    return dt.datetime.fromtimestamp(epoch, EARLIEST_ZONE).date()


# --- Pagefind --------------------------------------------------------------------------


def _decode(name: str, data: bytes) -> Any:
    import cbor2

    data = gzip.decompress(data)
    if not data.startswith(PAGEFIND_SIGNATURE):
        raise ValueError(f"{name}: not a Pagefind index file")
    return cbor2.loads(data[len(PAGEFIND_SIGNATURE):])


def _encode(value: Any) -> bytes:
    import cbor2

    return cbor2.dumps(value)


def _compress(encoded: bytes) -> bytes:
    # mtime=0: no time stamp in the gzip header.
    return gzip.compress(PAGEFIND_SIGNATURE + encoded, compresslevel=9, mtime=0)


def _short_hash(encoded: bytes, length: int, taken: set[str]) -> str:
    """Pagefind's naming: the first ``length`` hex digits of the SHA-1, longer on a clash."""
    digest = hashlib.sha1(encoded).hexdigest()
    while digest[:length] in taken and length < len(digest):
        length += 1
    return digest[:length]


def _by_name(items: list[Any]) -> list[Any]:
    """``[[name, ...], ...]`` sorted by name (the value lists Pagefind fills from hash maps)."""
    return sorted(items, key=lambda item: str(item[0]))


def stable_pagefind_files(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """A Pagefind bundle (``{path in the bundle: bytes}``) with its filter and metadata
    files rewritten in a fixed order.

    Every filter file gets its values sorted by name and a name from its new
    content; the metadata file lists the filters and sort orders by name and
    points at the new filter files; ``pagefind-entry.json`` points at the new
    metadata file. The search works as before: only the order of set-like
    lists changes. Raises :class:`ValueError` when the bundle is not in the
    layout this was written for (Pagefind 1.x).
    """
    out = dict(files)
    entry_text = out["pagefind-entry.json"].decode("utf-8")
    for lang, info in sorted(json.loads(entry_text).get("languages", {}).items()):
        old_meta = str(info["hash"])
        meta_name = f"pagefind.{old_meta}.pf_meta"
        meta = _decode(meta_name, out.pop(meta_name))
        if not (isinstance(meta, list) and len(meta) >= 4 and isinstance(meta[3], list)):
            raise ValueError(f"{meta_name}: not the Pagefind metadata layout this knows")
        prefix = old_meta.split("_", 1)[0] + "_" if "_" in old_meta else ""

        renamed: dict[str, str] = {}
        taken: set[str] = set()
        written: dict[str, bytes] = {}
        for _name, old in _by_name(meta[3]):
            path = f"filter/{old}.pf_filter"
            filter_name, values = _decode(path, out.pop(path))
            encoded = _encode([filter_name, _by_name(values)])
            new = prefix + _short_hash(encoded, 7, taken)
            taken.add(new[len(prefix):])
            renamed[old] = new
            written[f"filter/{new}.pf_filter"] = _compress(encoded)
        out.update(written)
        meta[3] = [[name, renamed[old]] for name, old in _by_name(meta[3])]
        if len(meta) >= 5 and isinstance(meta[4], list):
            meta[4] = _by_name(meta[4])  # sort orders: [[key, pages], ...]

        encoded = _encode(meta)
        new_meta = prefix + _short_hash(encoded, 10, set())
        out[f"pagefind.{new_meta}.pf_meta"] = _compress(encoded)
        if f'"{old_meta}"' not in entry_text:
            raise ValueError(f"pagefind-entry.json: no metadata hash for '{lang}'")
        entry_text = entry_text.replace(f'"{old_meta}"', f'"{new_meta}"')
    out["pagefind-entry.json"] = entry_text.encode("utf-8")
    return out


def write_files(files: Mapping[str, bytes], output: Path) -> None:
    """Write ``{relative path: bytes}`` under ``output``, in sorted order."""
    root = output.resolve()
    for name in sorted(files):
        target = (root / name).resolve()
        if root not in target.parents:
            raise ValueError(f"{name}: a path outside {output}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[name])
