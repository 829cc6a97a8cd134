"""``casebook import publiccode --refresh [ID...]``: imported cases kept current.

A case imported from a publiccode.yml file cites the file in ``sources`` (the
source titled "publiccode.yml of …", with its URL). Refreshing reads the file
again from that URL (a forge's page address becomes its raw-file address by
the ``raw_url_rules`` of ``data/publiccode.yaml``), works out the entry the
file gives now (:func:`casebook.intake.publiccode.plan_data`) and updates only
the facts that come from the file:

- ``stage`` (``developmentStatus``);
- ``period`` while its start is not known (``start_known: false``): an editor
  who recorded a known start keeps it;
- the software's building block (the block with the id the file gives);
- the source itself: ``read`` (the day it was read), its new ``url`` when the
  file has moved (the server redirected), ``gone`` (the day it was found gone)
  when the address answers 404 or 410: a warning on the entry, never a deletion.

Everything editors write is kept: title, summary, body, organisations,
themes, links, other sources and blocks. Each entry gets one report line:
unchanged, what changed (``stage: active → discontinued``), moved, gone, or
why it could not be read.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import re
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook.commandline import find_root
from casebook.content.entry_io import load_entry, write_entry
from casebook.content.model import Entry, KnowledgeBase, load
from casebook.content.vocab import LANGUAGES
from casebook.i18n import Message, msg, msg_n
from casebook.intake import publiccode as importer
from casebook.intake.publiccode_orgs import Organisations, PlannedFile
from casebook.intake.publiccode_text import mapping

#: Seconds to wait for a server.
TIMEOUT = 20
#: HTTP statuses that say the file is not there any more.
GONE = (404, 410)


@dataclass
class Refresh:
    """What refreshing one case found and would write."""

    case_id: str
    lines: list[Message] = field(default_factory=list)
    #: The new front-matter of the case's original file (None: nothing to write).
    metadata: dict[str, Any] | None = None
    body: str = ""
    rel: str = ""
    error: bool = False


def source_index(entry: Entry) -> int | None:
    """Position of the publiccode.yml source among the case's sources, if it has one."""
    prefixes = [mapping()["text"]["source_title"][lang].split("{")[0] for lang in LANGUAGES]
    for i, source in enumerate(entry.facts.get("sources") or []):
        if (isinstance(source, dict) and source.get("url")
                and str(source.get("title", "")).startswith(tuple(prefixes))):
            return i
    return None


def imported_cases(kb: KnowledgeBase) -> list[Entry]:
    """Every valid case imported from a publiccode.yml file, by id."""
    return sorted((e for e in kb.valid_cases() if source_index(e) is not None),
                  key=lambda e: e.id)


def raw_url(url: str) -> str:
    """The address of the file itself for a forge's page address (GitHub, GitLab)."""
    for rule in mapping()["raw_url_rules"]:
        if re.match(rule["pattern"], url):
            return re.sub(rule["pattern"], rule["replace"], url)
    return url


def fetch(url: str) -> tuple[int, str, bytes]:
    """(HTTP status, final address after redirects, body) of ``url``."""
    request = urllib.request.Request(url, headers={"User-Agent": "casebook-refresh"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, response.geturl(), response.read(1024 * 1024 + 1)
    except urllib.error.HTTPError as exc:
        return exc.code, url, b""


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def refresh_case(entry: Entry, kb: KnowledgeBase, orgs: Organisations,
                 today: dt.date) -> Refresh:
    """Read the case's publiccode.yml again and work out what changes."""
    result = Refresh(entry.id)
    index = source_index(entry)
    original = entry.files[entry.original_lang]
    result.rel = original.rel
    post = load_entry(original.path)
    facts = copy.deepcopy(dict(post.metadata))
    result.body = post.content
    sources = facts["sources"]
    source = sources[index]
    cited = str(source["url"])
    address = raw_url(cited)
    try:
        status, final, raw = fetch(address)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        result.lines.append(msg("{id}: could not read {url} ({reason}); nothing changed",
                                id=entry.id, url=cited, reason=reason))
        result.error = True
        return result
    if status in GONE:
        if not source.get("gone"):
            source["gone"] = today.isoformat()
            result.metadata = facts
        result.lines.append(msg(
            "{id}: the source is gone ({url} answers HTTP {status}); the case keeps its facts "
            "and shows a warning", id=entry.id, url=cited, status=status))
        return result
    if status != 200:
        result.lines.append(msg("{id}: {url} answers HTTP {status}; nothing changed",
                                id=entry.id, url=cited, status=status))
        result.error = True
        return result
    changes: list[str] = []
    new_url = cited
    if final != address:
        new_url = final
        changes.append(f"sources[{index}].url: {cited} → {final}")
    try:
        data, _ = importer.parse(raw)
        stated, _field = importer.find_stated_owner(data)
        owners = [o["id"] for o in facts.get("organisations") or [] if o.get("role") == "owner"]
        plan = importer.plan_data(data, new_url, Path(cited), kb, orgs,
                                  None if stated or not owners else owners[0], today, True)
    except importer.ImportProblem as exc:
        result.lines.append(msg("{id}: the file at {url} no longer imports: {problem}; "
                                "nothing changed", id=entry.id, url=cited, problem=exc.message))
        result.error = True
        return result
    new = next(pf for pf in plan.files if "building_blocks" in pf.metadata).metadata
    if facts.get("stage") != new["stage"]:
        changes.append(f"stage: {facts.get('stage')} → {new['stage']}")
        facts["stage"] = new["stage"]
    period = facts.get("period") if isinstance(facts.get("period"), dict) else {}
    if period.get("start_known") is False and period != new["period"]:
        changes.append(f"period: {_show(period)} → {_show(new['period'])}")
        facts["period"] = new["period"]
    block = new["building_blocks"][0]
    blocks = facts.get("building_blocks") or []
    for i, old in enumerate(blocks):
        if isinstance(old, dict) and old.get("id") == block["id"]:
            for key in sorted(set(old) | set(block)):
                if old.get(key) != block.get(key):
                    changes.append(f"building_blocks[{i}].{key}: {_show(old.get(key))} → "
                                   f"{_show(block.get(key))}")
            blocks[i] = block
    source.pop("gone", None)
    source["url"] = new_url
    source["read"] = today.isoformat()
    result.metadata = facts
    if changes:
        result.lines.append(msg("{id}: {changes}", id=entry.id, changes="; ".join(changes)))
    else:
        result.lines.append(msg("{id}: unchanged", id=entry.id))
    return result


def run(args: argparse.Namespace, *, today: dt.date | None = None) -> int:
    """``casebook import publiccode --refresh [ID...]``; returns the exit status."""
    today = today or dt.date.today()
    root = args.root.resolve() if args.root else find_root(Path.cwd())
    if not (root / "content").is_dir():
        text = msg("no content/ folder in {root}; pass --root", root=root)
        print(f"casebook: error: {text}", file=sys.stderr)
        return importer.USAGE
    ids = [str(i) for i in args.files]
    return run_refresh(root, load(root), ids, today, args.dry_run, sys.stdout, sys.stderr)


def run_refresh(root: Path, kb: KnowledgeBase, ids: list[str], today: dt.date,
                dry_run: bool, out: Any, err: Any) -> int:
    """Refresh the imported cases ``ids`` (all when empty); returns the exit status."""

    imported = {e.id: e for e in imported_cases(kb)}
    unknown = [i for i in ids if i not in imported]
    for case_id in unknown:
        text = msg("{id}: no case imported from a publiccode.yml file has this id", id=case_id)
        print(f"casebook: error: {text}", file=err)
    orgs = Organisations(kb)
    results = [refresh_case(imported[i], kb, orgs, today)
               for i in (ids or sorted(imported)) if i in imported]
    plans = []
    for r in results:
        if r.metadata is not None:
            plan = importer.Plan(Path(r.rel), r.case_id)
            plan.files = [PlannedFile(r.rel, r.metadata, r.body)]
            plans.append(plan)
    problems = importer.validate_plans(root, plans, today) if plans else {}
    bad = {plans[i].case_id for i in problems}
    for r in results:
        for line in r.lines:
            print(line, file=out)
        if r.case_id in bad:
            problem = next(p for i, p in problems.items() if plans[i].case_id == r.case_id)
            text = msg("{id}: not written: {problem}", id=r.case_id, problem=problem)
            print(f"casebook: error: {text}", file=err)
        elif r.metadata is not None and not dry_run:
            write_entry(root / r.rel, r.metadata, r.body, overwrite=True)
    print(msg("{cases} read, {errors} could not be refreshed",
              cases=msg_n("{n} case", "{n} cases", len(results)),
              errors=sum(r.error for r in results) + len(bad)), file=out)
    return 1 if unknown or bad or any(r.error for r in results) else 0
