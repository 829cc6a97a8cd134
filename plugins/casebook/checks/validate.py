"""Validation of the knowledge base: schema, vocabularies, references and more.

:func:`validate` returns diagnostics and never raises on bad content. Every
diagnostic names the file, the 1-based line and column, the field and a plain
message with a suggested fix.

One module, past 600 lines: the rules beyond the schema (references, periods,
stages, URLs, bodies, acknowledged warnings) are one pass over an entry that shares
its collector and positions; the schema findings live in
:mod:`casebook.checks.schema_errors`.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from casebook.checks.schema_errors import check_schema, description
from casebook.content import allowlist
from casebook.content import schema as schemas
from casebook.content import sections as body_sections
from casebook.content.diagnostics import Collector, Diagnostic, Severity, sort_key
from casebook.content.frontmatter import Path as DataPath
from casebook.content.frontmatter import parse_file, path_to_field
from casebook.content.model import (
    ID_MAX,
    ID_PATTERN,
    SCHEMAS,
    Entry,
    EntryFile,
    KnowledgeBase,
    load,
)
from casebook.content.similar import closest
from casebook.i18n import Ordinal, msg, msg_n
from casebook.safety import body as bodysafety
from casebook.safety import ids
from casebook.safety import values as valuesafety
from casebook.safety.budget import limits, over_budget
from casebook.safety.urls import host_problem
from casebook.safety.watchdog import OverBudget, bounded

_PLACEHOLDER = re.compile(r"\bTODO\b")
#: YYYY-MM-DD with a month and day in range (the schema's date form).
_DATE_FORM = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
_SUMMARY_MARKUP = re.compile(r"<[A-Za-z/!]|\]\(|\*\*|__|^#", re.M)


#: Errors about a value that is still a ``TODO`` placeholder; the placeholder
#: warning replaces them, so that fresh scaffolds validate with warnings only.
_PLACEHOLDER_HIDES = frozenset(
    {"length", "format", "unknown-term", "reference", "url", "url-scheme", "summary-format"}
)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_YEAR_MONTH = re.compile(r"(\d{4})(?:-(\d{2}))?")


def validate(
    root: Path | str,
    paths: Sequence[Path | str] = (),
    *,
    today: dt.date | None = None,
    kb: KnowledgeBase | None = None,
) -> tuple[list[Diagnostic], int]:
    """Validate the knowledge base under ``root``.

    Returns the diagnostics (sorted) and the number of files reported on. With
    ``paths`` only findings in those files (or folders) are returned, but
    references are still resolved against the whole base.
    """
    # Loading and checking create many small long-lived objects and no cyclic
    # garbage: the cyclic collector would rescan them over and over (a third of
    # the run time at 10,000 cases) while finding nothing to free.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        kb = kb or load(root)
        diagnostics = check(kb, today=today)
    finally:
        if gc_was_enabled:
            gc.enable()
    files = kb.files_read + len(kb.stray)
    if paths:
        wanted = [Path(p).resolve() for p in paths]

        def selected(rel: str) -> bool:
            target = (kb.root / rel).resolve() if not Path(rel).is_absolute() else Path(rel)
            return any(target == w or w in target.parents for w in wanted)

        diagnostics = [d for d in diagnostics if selected(d.path)]
        all_files = [f.rel for f in kb.files()] + [s[0] for s in kb.stray]
        files = sum(1 for rel in all_files if selected(rel))
    return diagnostics, files


def check(kb: KnowledgeBase, *, today: dt.date | None = None) -> list[Diagnostic]:
    """Every check over a loaded knowledge base."""
    today = today or dt.date.today()
    out = Collector()
    for rel, code, message in kb.stray:
        out.add(rel, (1, 1), "error", code, "", message)
    _check_ids(kb, out)
    budget = limits()
    _check_pages(kb, out, budget)
    for entry in kb.entries():
        # A hard budget per entry, whatever the construct (casebook.safety.watchdog).
        try:
            with bounded(budget["check_seconds"], budget["render_depth"]):
                _check_entry(kb, entry, out, today)
        except OverBudget as over:
            for f in entry.files.values():
                out.items.append(over_budget(f.rel, over, rendering=False))
    items = list(dict.fromkeys(out.items))  # one finding reached by two rules: once
    if out.placeholders:
        items = [d for d in items if not (d.code in _PLACEHOLDER_HIDES
                                          and d.field in out.placeholders.get(d.path, ()))]
    return sorted(_acknowledge(kb, items), key=sort_key)


def _acknowledge(kb: KnowledgeBase, items: list[Diagnostic]) -> list[Diagnostic]:
    """Drop the warnings an entry's ``acknowledged`` list keeps (code and field, in any of
    its files); an acknowledgement that matches no warning is a warning itself, so none
    outlives the problem it was for. Errors cannot be acknowledged."""
    entry_of = {f.rel: e for e in kb.entries() for f in e.files.values()}
    used: set[tuple[str, int]] = set()
    kept: list[Diagnostic] = []
    for d in items:
        entry = entry_of.get(d.path)
        acks = entry.facts.get("acknowledged") if entry is not None and d.severity == \
            "warning" and entry.original is not None else None
        match = next((i for i, a in enumerate(acks) if isinstance(a, dict)
                      and a.get("code") == d.code and a.get("field") == d.field), None) \
            if isinstance(acks, list) else None
        if match is None:
            kept.append(d)
        else:
            used.add((entry.id, match))
    out = Collector()
    for entry in kb.entries():
        acks = entry.facts.get("acknowledged") if entry.original is not None else None
        if not isinstance(acks, list) or entry.original.doc.data is None:
            continue
        for i, a in enumerate(acks):
            if isinstance(a, dict) and (entry.id, i) not in used and "code" in a:
                out.warning(entry.original, entry.original.doc.position(("acknowledged", i)),
                            "acknowledged", f"acknowledged[{i}]",
                            msg("no warning '{code}' on {field} is left to acknowledge; remove "
                                "this acknowledgement", code=a.get("code"), field=a.get("field")))
    return kept + out.items


def _check_pages(kb: KnowledgeBase, out: Collector, budget: dict[str, int]) -> None:
    """The pages of ``content/`` (``contribute.<lang>.md``) pass the same body and value
    checks as entries: they are published through the same renderer and sanitizer."""
    for rel in kb.published:
        if not rel.endswith(".md"):
            continue
        path = kb.root / rel
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        name, lang = path.name.split(".")[0], path.name.split(".")[-2]
        # A page may have no front-matter: its whole text is the body.
        bare = not raw.lstrip(b"\xef\xbb\xbf").startswith(b"---")
        doc = parse_file(b"---\n{}\n---\n" + raw if bare else raw)
        if bare:
            doc.body_line -= 3
        f = EntryFile("pages", name, lang, path, rel, doc)
        try:
            with bounded(budget["check_seconds"], budget["render_depth"]):
                bodysafety.check_text(f, out)
                for p in f.doc.problems:
                    out.error(f, (p.line, p.column), p.code, p.field, p.message)
                if f.doc.data is not None:
                    scan, at = bodysafety.check_body(f, out)
                    ids.check_body_ids(scan, lambda index, message, f=f, at=at: out.error(
                        f, at(index), "reserved-id", "body", message))
        except OverBudget as over:
            out.items.append(over_budget(f.rel, over, rendering=False))


def _check_ids(kb: KnowledgeBase, out: Collector) -> None:
    for collection in ("cases", "organisations"):
        folded: dict[str, list[Entry]] = defaultdict(list)
        for entry in kb.collection(collection).values():
            folded[entry.id.lower()].append(entry)
            f = next(iter(entry.files.values()))
            if not ID_PATTERN.match(entry.id) or len(entry.id) > ID_MAX:
                for ef in entry.files.values():
                    out.error(ef, (1, 1), "file-name", "",
                              msg("'{id}' is not a valid id: use at most {max} lower-case "
                                  "letters, digits and single hyphens (for example '{example}')",
                                  id=entry.id, max=ID_MAX, example=_slugify(entry.id)))
            del f
            if entry.id in allowlist.policy().reserved_ids:
                for ef in entry.files.values():
                    out.error(ef, (1, 1), "reserved-id", "", msg(
                        "'{id}' is the name of a page the site generates, so it cannot be an "
                        "entry's id; rename the file (for example '{example}')",
                        id=entry.id, example=f"my-{entry.id}.{ef.lang}.md"))
        for group in folded.values():
            if len(group) > 1:
                names = ", ".join(sorted(ef.rel for e in group for ef in e.files.values()))
                for e in group:
                    for ef in e.files.values():
                        out.error(ef, (1, 1), "duplicate-id", "",
                                  msg("ids must be unique regardless of case: {names}; "
                                      "rename one", names=names))


def _slugify(value: str) -> str:
    slug = _NOT_SLUG.sub("-", value.lower()).strip("-")
    return slug[:ID_MAX].rstrip("-") or "my-entry"


def _check_entry(kb: KnowledgeBase, entry: Entry, out: Collector, today: dt.date) -> None:
    for f in entry.files.values():
        bodysafety.check_text(f, out)
        for p in f.doc.problems:
            out.error(f, (p.line, p.column), p.code, p.field, p.message)
    original = entry.original
    if original is None:
        for f in entry.files.values():
            if f.doc.data is None:
                continue
            other = "en" if f.lang == "nl" else "nl"
            out.error(f, (1, 1), "missing-original", "",
                      msg("this file holds only translatable keys, and no original file "
                          "carries the facts; add the facts here or create {file} with them",
                          file=f"{Path(f.rel).parent.as_posix()}/{entry.id}.{other}.md"))
        return
    for lang, f in entry.files.items():
        if f.doc.data is None:
            continue
        is_original = lang == entry.original_lang
        if not is_original:
            for key in f.fact_keys():
                out.error(f, f.doc.key_position((key,)), "facts-in-translation", key,
                          msg("'{key}' is a fact and belongs only in the original {file}; "
                              "remove it from this translation", key=key, file=original.rel))
        if "TODO" in f.doc.text[:f.doc.body_start or None]:  # in the front-matter
            _check_placeholders(f, f.data, (), out)
        check_schema(kb, entry, f, is_original, out)
        valuesafety.check_values(f, out, SCHEMAS[(entry.collection, is_original)])
        _check_body(entry, f, is_original, out)
    if original.doc.data is not None:
        if entry.collection == "cases":
            _check_case(kb, entry, original, out, today)
        else:
            _check_reviewed(original, out, today)
            url = original.data.get("website")
            if isinstance(url, str):
                _check_url(original, ("website",), url, out)


def _check_placeholders(f: EntryFile, value: Any, path: DataPath, out: Collector) -> None:
    """Warn about ``TODO`` left in front-matter text (as ``casebook new`` writes it)."""
    if isinstance(value, str):
        if "TODO" in value and _PLACEHOLDER.search(value):
            field = path_to_field(path)
            out.placeholders.setdefault(f.rel, set()).add(field)
            out.warning(f, f.doc.position(path), "placeholder", field,
                        msg("placeholder text 'TODO' is still in this field; replace it with "
                            "the real value"))
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_placeholders(f, item, (*path, key), out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_placeholders(f, item, (*path, i), out)


# --- beyond the schema ---------------------------------------------------------

def _check_case(kb: KnowledgeBase, entry: Entry, f: EntryFile, out: Collector,
                today: dt.date) -> None:
    data = f.data
    pos = f.doc.position
    _check_reviewed(f, out, today)
    _check_kinds(kb, f, out)
    orgs = data.get("organisations")
    if isinstance(orgs, list):
        roles: set[str] = set()
        known_roles = kb.vocabularies["roles"].terms
        all_known = True  # an unknown role is reported already; do not guess
        for i, item in enumerate(orgs):
            if not isinstance(item, dict):
                all_known = False
                continue
            role = item.get("role")
            if isinstance(role, str) and role in known_roles:
                roles.add(role)
            else:
                all_known = False
            oid = item.get("id")
            if isinstance(oid, str) and ID_PATTERN.match(oid):
                _check_ref(kb.organisations, oid, f, ("organisations", i, "id"), "organisation",
                           out)
        stated = data.get("owner_stated") is not False
        if orgs and all_known and stated and not roles & {"owner", "host"}:
            out.error(f, pos(("organisations",)), "owner-missing", "organisations",
                      msg("at least one organisation needs the role 'owner' or 'host'; if the "
                          "sources name no owner or host, add 'owner_stated: false'"))
        elif not stated and roles & {"owner", "host"}:
            out.error(f, pos(("owner_stated",)), "owner-stated", "owner_stated",
                      msg("'owner_stated: false' says the sources name no owner or host, but "
                          "an organisation has the role 'owner' or 'host'; remove one of the two"))
    countries = data.get("countries")
    if isinstance(countries, list) and len(countries) > 1:
        for i, code in enumerate(countries):
            if code in kb.vocabularies.extra_terms("countries"):
                out.error(f, pos(("countries", i)), "country-unknown", f"countries[{i}]",
                          msg("'{code}' stands alone: it cannot be combined with country "
                              "codes; keep either '{code}' or the codes", code=code))
    related = data.get("related")
    if isinstance(related, list):
        for i, rid in enumerate(related):
            if not isinstance(rid, str) or not ID_PATTERN.match(rid):
                continue
            if rid == entry.id:
                out.error(f, pos(("related", i)), "reference", f"related[{i}]",
                          msg("a case cannot be related to itself; remove it"))
            else:
                _check_ref(kb.cases, rid, f, ("related", i), "case", out)
    uses = data.get("uses")
    if isinstance(uses, list):
        for i, ref in enumerate(uses):
            if isinstance(ref, str) and "/" in ref:
                _check_use(kb, f, i, ref, out)
    period = data.get("period")
    if isinstance(period, dict):
        start, end = _period_key(period.get("start"), False), _period_key(period.get("end"), True)
        if start and end and end < start:
            out.error(f, pos(("period", "end")), "period", "period.end",
                      msg("end {end} is before start {start}; swap them or correct the end",
                          end=period.get("end"), start=period.get("start")))
        elif isinstance(data.get("stage"), str):
            _check_stage(f, period, data["stage"], (start, end), today, out)
    challenge = data.get("challenge")
    if isinstance(challenge, dict):
        sub, sel = challenge.get("submissions"), challenge.get("selected")
        if isinstance(sub, int) and isinstance(sel, int) and sel > sub:
            out.error(f, pos(("challenge", "selected")), "range", "challenge.selected",
                      msg_n("{selected} selected is more than the {n} submission; check both "
                            "numbers", "{selected} selected is more than the {n} submissions; "
                            "check both numbers", sub, selected=sel))
    blocks = data.get("building_blocks")
    if isinstance(blocks, list):
        seen: dict[str, int] = {}
        for i, block in enumerate(blocks):
            if not isinstance(block, dict):
                continue
            bid = block.get("id")
            if isinstance(bid, str):
                if bid in seen:
                    out.error(f, pos(("building_blocks", i, "id")), "duplicate-id",
                              f"building_blocks[{i}].id",
                              msg("block id '{id}' is already used by the {ordinal} building "
                                  "block; block ids must be unique within the repository",
                                  id=bid, ordinal=Ordinal(seen[bid] + 1)))
                seen.setdefault(bid, i)
            maint = block.get("maintainer")
            if isinstance(maint, str) and ID_PATTERN.match(maint):
                _check_ref(kb.organisations, maint, f, ("building_blocks", i, "maintainer"),
                           "organisation", out)
            url = block.get("url")
            if isinstance(url, str):
                _check_url(f, ("building_blocks", i, "url"), url, out)
    for key in ("links", "sources"):
        items = data.get(key)
        if isinstance(items, list):
            for i, item in enumerate(items):
                if isinstance(item, dict) and isinstance(item.get("url"), str):
                    _check_url(f, (key, i, "url"), item["url"], out)
                if key == "sources" and isinstance(item, dict):
                    _check_real_date(f, ("sources", i, "date"), item.get("date"), out)
                    if item.get("gone"):  # marked by casebook import publiccode --refresh
                        out.warning(f, pos(("sources", i, "gone")), "source-gone",
                                    f"sources[{i}].gone",
                                    msg("the source {url} was gone on {date}: the facts can no "
                                        "longer be checked there; find where it moved, "
                                        "correct the URL and remove 'gone', or replace the "
                                        "source",
                                        url=item.get("url", ""), date=item["gone"]))


def _check_kinds(kb: KnowledgeBase, f: EntryFile, out: Collector) -> None:
    raw = schemas.raw_schema("case")
    kind = f.data.get("kind")
    if not isinstance(kind, str) or kind not in kb.vocabularies["kinds"]:
        return  # an unknown kind is reported by the schema
    for key, (owner, required) in schemas.kind_properties(raw).items():
        if key in f.data and owner != kind:
            out.error(f, f.doc.key_position((key,)), "kind-key", key,
                      msg("'{key}' only belongs on a case of kind '{owner}', and this case is "
                          "kind '{kind}'; remove it or change the kind", key=key, owner=owner,
                          kind=kind))
        elif required and owner == kind and key not in f.data:
            out.error(f, f.doc.position(("kind",)), "required", key,
                      msg("a case of kind '{kind}' needs '{key}'; add it ({description})",
                          kind=kind, key=key,
                          description=description(raw["properties"][key])))


def _check_ref(entries: dict[str, Entry], ref: str, f: EntryFile, path: DataPath, what: str,
               out: Collector) -> None:
    """A reference to an entry; a missing one names the command that adds it."""
    if ref in entries and entries[ref].original is not None:
        return
    guess = closest(ref, [k for k, e in entries.items() if e.original is not None])
    if what == "organisation":
        text = (msg("no organisation with id '{id}'; did you mean '{guess}'? If not, add it "
                    "with: casebook new organisation {id}", id=ref, guess=guess) if guess
                else msg("no organisation with id '{id}'; add it with: casebook new "
                         "organisation {id} (or correct the id)", id=ref))
    else:
        text = (msg("no case with id '{id}'; did you mean '{guess}'? If not, add it with: "
                    "casebook new case {id}", id=ref, guess=guess) if guess
                else msg("no case with id '{id}'; add it with: casebook new case {id} "
                         "(or correct the id)", id=ref))
    out.error(f, f.doc.position(path), "reference", path_to_field(path), text)


def _check_use(kb: KnowledgeBase, f: EntryFile, i: int, ref: str, out: Collector) -> None:
    repo_id, block_id = ref.split("/", 1)
    path = ("uses", i)
    repo = kb.cases.get(repo_id)
    if repo is None or repo.original is None:
        _check_ref(kb.cases, repo_id, f, path, "case", out)
        return
    if repo.facts.get("kind") != "repository":
        out.error(f, f.doc.position(path), "reference", f"uses[{i}]",
                  msg("'{id}' is not a repository case, so it has no building blocks",
                      id=repo_id))
        return
    listed = repo.facts.get("building_blocks")
    listed = listed if isinstance(listed, list) else []
    blocks = [b.get("id") for b in listed if isinstance(b, dict)]
    if block_id not in blocks:
        guess = closest(block_id, [b for b in blocks if isinstance(b, str)])
        if guess:
            tip = msg("did you mean '{guess}'?", guess=f"{repo_id}/{guess}")
        elif blocks:
            tip = msg("its blocks are: {blocks}", blocks=", ".join(str(b) for b in blocks))
        else:
            tip = msg("it lists no building blocks yet")
        out.error(f, f.doc.position(path), "reference", f"uses[{i}]",
                  msg("repository '{repo}' has no building block '{block}'; {tip}",
                      repo=repo_id, block=block_id, tip=tip))


def _months(value: Any, known: tuple[int, int] | None,
            known_is_last: bool) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The first and last month a period value (a year or ``YYYY-MM``) can mean;
    ``known`` is the one of them worked out already."""
    if known is None:
        return None
    other = _period_key(value, not known_is_last)
    if other is None:
        return None
    return (other, known) if known_is_last else (known, other)


def _check_stage(f: EntryFile, period: dict[str, Any], stage: str,
                 keys: tuple[tuple[int, int] | None, tuple[int, int] | None], today: dt.date,
                 out: Collector) -> None:
    """Warn where ``period`` and ``stage`` contradict each other on ``today``.

    Only certain contradictions count: a year is taken as any of its months, so
    a case that ends "2026" may be completed in 2026, and one that starts "2026"
    may still be planned in 2026.
    """
    now = (today.year, today.month)
    start = _months(period.get("start"), keys[0], False)
    end = _months(period.get("end"), keys[1], True)
    s, e = period.get("start"), period.get("end")
    if start and start[0] > now and stage in ("active", "completed", "discontinued"):
        text = msg("stage is '{stage}' but the period starts in {start}, in the future; "
                   "is it 'planned', or is the start wrong?", stage=stage, start=s)
    elif end and end[0] > now and stage == "completed":
        text = msg("stage is 'completed' but the period ends in {end}, in the future; "
                   "is it 'active', or is the end wrong?", end=e)
    elif end and end[1] < now and stage in ("planned", "active"):
        text = msg("stage is '{stage}' but the period ended in {end}; is it 'completed' "
                   "or 'discontinued'?", stage=stage, end=e)
    elif start and start[1] < now and stage == "planned":
        text = msg("stage is 'planned' but the period started in {start}; is it "
                   "'active', or is the start wrong?", start=s)
    else:
        return
    # Positions are worked out only for findings (a second parse of the file).
    out.warning(f, f.doc.position(("stage",)), "stage", "stage", text)


def _period_key(value: Any, is_end: bool) -> tuple[int, int] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (value, 12 if is_end else 1)
    if isinstance(value, str):
        m = _YEAR_MONTH.fullmatch(value)
        if m:
            return (int(m.group(1)), int(m.group(2)) if m.group(2) else (12 if is_end else 1))
    return None


def _check_real_date(f: EntryFile, path: DataPath, value: Any, out: Collector) -> None:
    """A well-formed YYYY-MM-DD must also be a day of the calendar (no 2023-02-30)."""
    if not isinstance(value, str) or not _DATE_FORM.fullmatch(value):
        return  # the schema reports a date of the wrong form
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        out.error(f, f.doc.position(path), "format", path_to_field(path),
                  msg("'{value}' is not a real date; check the day and the month", value=value))


def _check_reviewed(f: EntryFile, out: Collector, today: dt.date) -> None:
    value = f.data.get("reviewed")
    if not isinstance(value, str) or not _DATE_FORM.fullmatch(value):
        return
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        out.error(f, f.doc.position(("reviewed",)), "format", "reviewed",
                  msg("'{value}' is not a real date; check the day and the month", value=value))
        return
    if day > today:
        out.error(f, f.doc.position(("reviewed",)), "reviewed-future", "reviewed",
                  msg("{value} is in the future; use the date you checked the facts "
                      "(today is {today})", value=value, today=today.isoformat()))


def _check_url(f: EntryFile, path: DataPath, url: str, out: Collector) -> None:
    problem = _url_problem(url)
    if problem:  # positions are worked out only for findings (see Document)
        severity, code, message = problem
        out.add(f.rel, f.doc.position(path), severity, code, path_to_field(path), message)


def _url_problem(url: str) -> tuple[Severity, str, str] | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return "error", "url", msg("'{url}' is not a valid URL", url=url)
    scheme = parts.scheme.lower()
    misleading = host_problem(url) if scheme in ("http", "https") else None
    if misleading:
        return "error", "url-host", misleading
    if scheme == "https":
        if not parts.netloc:
            return ("error", "url", msg("'{url}' has no host name; write the full address, "
                                        "for example https://example.org/page", url=url))
        return None
    if scheme == "http":
        return ("warning", "insecure-url",
                msg("'{url}' uses plain http; use https:// if the site supports it", url=url))
    return ("error", "url-scheme",
            msg("'{scheme}:' URLs are not allowed; use an https:// address", scheme=scheme))


def _check_body(entry: Entry, f: EntryFile, is_original: bool, out: Collector) -> None:
    if f.doc.data is None:
        return
    scan, at = bodysafety.check_body(f, out)
    ids.check_body_ids(
        scan, lambda index, message: out.error(f, at(index), "reserved-id", "body", message))
    start = f.doc.body_line
    for m in _PLACEHOLDER.finditer(scan) if "TODO" in scan else ():
        out.warning(f, at(m.start()), "placeholder", "body",
                    msg("placeholder text 'TODO' is still in the body; replace it with real "
                        "text"))
    if entry.collection == "cases":
        summary = f.data.get("summary")
        if isinstance(summary, str) and _SUMMARY_MARKUP.search(summary):
            out.error(f, f.doc.position(("summary",)), "summary-format", "summary",
                      msg("the summary is plain text: remove Markdown and HTML markup"))
        kind = entry.facts.get("kind")
        wanted = body_sections.wanted("cases", kind if isinstance(kind, str) else "", f.lang)
    else:
        wanted = body_sections.wanted("organisations", "", f.lang)
    have = body_sections.present(scan)
    missing = [k for k, folded in wanted if folded not in have]
    settled = body_sections.settled(entry.facts) if entry.original is not None else []
    if settled:
        if is_original:
            _check_settled(f, [k for k, _ in wanted], settled, have, out)
        missing = [k for k in missing if k not in settled]
    if missing:
        names = ", ".join(f"'## {body_sections.heading(k, f.lang)}'" for k in missing)
        out.warning(f, (start, 1), "missing-section", "body",
                    msg("recommended section missing: {sections}; add the heading with a few "
                        "sentences, or, when the sources say nothing about it, record that "
                        "in the front-matter of the original file: not_in_sources: [{keys}]",
                        sections=names, keys=", ".join(missing))
                    if len(missing) == 1 else
                    msg("recommended sections missing: {sections}; add each heading with a few "
                        "sentences, or, when the sources say nothing about one, record that "
                        "in the front-matter of the original file: not_in_sources: [{keys}]",
                        sections=names, keys=", ".join(missing)))


def _check_settled(f: EntryFile, keys: list[str], settled: list[str], have: set[str],
                   out: Collector) -> None:
    """``not_in_sources`` names recommended sections of this entry that its body lacks."""
    for i, key in enumerate(settled):
        path = (body_sections.SETTLED_KEY, i)
        if key not in body_sections.headings():
            continue  # not a section key at all: the schema reports it
        if key not in keys:
            out.warning(f, f.doc.position(path), "not-in-sources", path_to_field(path),
                        msg("'{key}' is not a recommended section of this entry ({keys}); "
                            "remove it", key=key, keys=", ".join(keys)))
        elif body_sections.heading(key, f.lang).lower() in have:
            out.warning(f, f.doc.position(path), "not-in-sources", path_to_field(path),
                        msg("the body has the section '## {heading}', so the sources do say "
                            "something about it; remove '{key}' from not_in_sources",
                            heading=body_sections.heading(key, f.lang), key=key))


def iter_errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Only the errors."""
    return [d for d in diagnostics if d.severity == "error"]
