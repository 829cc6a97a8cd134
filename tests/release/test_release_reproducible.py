"""Reproducible builds: the same commit with ``SOURCE_DATE_EPOCH`` set builds the same bytes."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import os
import shutil
import struct
import subprocess
import time
from pathlib import Path

import pytest
from casebook.content.uitext import ui_text
from casebook.site import reproducible
from casebook.site.pagefind_index import PagefindService
from sitebuild import REPO_ROOT, mkdocs_build, site_root_with

ONELANG = REPO_ROOT / "tests" / "site" / "fixtures" / "onelang" / "content"


def _epoch() -> int:
    """The last commit's time, as ``make site`` uses it (now, outside git)."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=REPO_ROOT,
                             capture_output=True, text=True, check=True, timeout=30).stdout
        return int(out.strip())
    except (OSError, subprocess.SubprocessError, ValueError):
        return int(time.time())


def _tree(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def tree_differences(a: Path, b: Path, limit: int = 20) -> list[str]:
    """What differs between two folders: missing files, and the first differing bytes."""
    files_a, files_b = _tree(a), _tree(b)
    out = [f"only in the first build: {n}" for n in sorted(files_a.keys() - files_b.keys())]
    out += [f"only in the second build: {n}" for n in sorted(files_b.keys() - files_a.keys())]
    for name in sorted(files_a.keys() & files_b.keys()):
        x, y = files_a[name].read_bytes(), files_b[name].read_bytes()
        if x == y:
            continue
        at = next((i for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q),
                  min(len(x), len(y)))
        out.append(f"{name}: differs at byte {at} ({len(x)} / {len(y)} bytes): "
                   f"{x[max(0, at - 40):at + 40]!r} / {y[max(0, at - 40):at + 40]!r}")
    return out[:limit] + ([f"... and {len(out) - limit} more"] if len(out) > limit else [])


def _reversed_copy(source: Path, dest: Path) -> Path:
    """A copy of ``source`` whose files are created in reverse order (another listing order
    on file systems that list in creation order)."""
    for path in sorted(source.rglob("*"), reverse=True):
        target = dest / path.relative_to(source)
        if path.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    return dest


@pytest.mark.slow
@pytest.mark.xdist_group("release")
def test_two_builds_of_the_repository_are_byte_identical(tmp_path: Path) -> None:
    """Built twice (the second time from a copy in another folder, with files created in
    another order and another hash seed), the site has the same files with the same bytes,
    Pagefind's index included."""
    epoch = str(_epoch())
    first = tmp_path / "first"
    mkdocs_build(REPO_ROOT / "mkdocs.yml", first,
                 env={"SOURCE_DATE_EPOCH": epoch, "PYTHONHASHSEED": "1"})
    content = _reversed_copy(REPO_ROOT / "content", tmp_path / "content-copy")
    copy = site_root_with(content, tmp_path / "elsewhere" / "casebook")
    second = tmp_path / "second-site"
    mkdocs_build(copy / "mkdocs.yml", second,
                 env={"SOURCE_DATE_EPOCH": epoch, "PYTHONHASHSEED": "2"})

    assert (first / "pagefind" / "pagefind-entry.json").is_file()
    assert (first / "en" / "pagefind" / "pagefind-entry.json").is_file()
    assert tree_differences(first, second) == []
    # No temporary folder of either build is written into the site.
    for path in _tree(first).values():
        data = path.read_bytes()
        assert str(tmp_path).encode() not in data, path
        assert str(REPO_ROOT).encode() not in data, path


def test_tree_differences_names_the_file_and_the_bytes(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for root, text in ((a, b"same start, then A"), (b, b"same start, then B")):
        (root / "x").mkdir(parents=True)
        (root / "x" / "page.html").write_bytes(text)
        (root / "same.txt").write_bytes(b"1")
    (a / "extra.txt").write_bytes(b"")
    found = tree_differences(a, b)
    assert found[0] == "only in the first build: extra.txt"
    assert found[1].startswith("x/page.html: differs at byte 17 ")
    assert "then A" in found[1] and "then B" in found[1]
    assert len(found) == 2


# --- SOURCE_DATE_EPOCH ----------------------------------------------------------------


def test_build_date_follows_source_date_epoch() -> None:
    # 2024-05-01 12:00 UTC is 2024-05-02 02:00 in UTC+14.
    noon = int(dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC).timestamp())
    assert reproducible.build_date({"SOURCE_DATE_EPOCH": str(noon)}) == dt.date(2024, 5, 2)
    morning = int(dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC).timestamp())
    assert reproducible.build_date({"SOURCE_DATE_EPOCH": str(morning)}) == dt.date(2024, 5, 1)
    assert reproducible.build_date({}) == dt.date.today()
    assert reproducible.build_date({"SOURCE_DATE_EPOCH": " "}) == dt.date.today()


@pytest.mark.parametrize("value", ["yesterday", "-5", "1.5e9"])
def test_a_bad_source_date_epoch_is_named(value: str) -> None:
    with pytest.raises(ValueError, match=r"SOURCE_DATE_EPOCH=.* is not a number of seconds"):
        reproducible.build_date({"SOURCE_DATE_EPOCH": value})


def _at(day: str) -> str:
    return str(int(dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC).timestamp()))


@pytest.fixture(scope="module")
def dated_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The one-language fixture built for two dates: a month and 28 months after
    open-bouwstenen was reviewed (2026-02-01; the site's staleness limit is 24 months)."""
    root = site_root_with(ONELANG, tmp_path_factory.mktemp("dated") / "root")
    sites = {}
    for day in ("2026-03-01", "2028-06-01"):
        sites[day] = root.parent / f"site-{day}"
        mkdocs_build(root / "mkdocs.yml", sites[day], env={"SOURCE_DATE_EPOCH": _at(day)})
    return sites


@pytest.mark.slow
@pytest.mark.xdist_group("release")
def test_staleness_notices_follow_source_date_epoch(dated_sites: dict[str, Path]) -> None:
    stale = ui_text("notices.stale", "nl")
    fresh, old = (dated_sites[d] / "cases" / "open-bouwstenen" / "index.html"
                  for d in ("2026-03-01", "2028-06-01"))
    assert stale not in fresh.read_text(encoding="utf-8")
    assert stale in old.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.xdist_group("release")
def test_sitemap_date_follows_source_date_epoch(dated_sites: dict[str, Path]) -> None:
    for day, site in dated_sites.items():
        header = (site / "sitemap.xml.gz").read_bytes()[:10]
        (mtime,) = struct.unpack("<I", header[4:8])  # the gzip header's time stamp
        assert dt.datetime.fromtimestamp(mtime, dt.UTC).date().isoformat() == day
        gzip.decompress((site / "sitemap.xml.gz").read_bytes())  # and it is a valid file


@pytest.mark.slow
@pytest.mark.xdist_group("release")
def test_the_validator_uses_the_same_date(tmp_path: Path) -> None:
    """Built for a date before a case was reviewed, the build fails naming the file."""
    root = site_root_with(ONELANG, tmp_path / "root")
    result = mkdocs_build(root / "mkdocs.yml", tmp_path / "site", check=False,
                          env={"SOURCE_DATE_EPOCH": _at("2025-01-01")})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "content/cases/open-bouwstenen.nl.md:" in output
    assert "reviewed-future" in output and "today is 2025-01-01" in output
    assert "Traceback" not in output


@pytest.mark.slow
@pytest.mark.xdist_group("release")
def test_a_bad_source_date_epoch_fails_the_build_with_a_message(tmp_path: Path) -> None:
    root = site_root_with(ONELANG, tmp_path / "root")
    result = mkdocs_build(root / "mkdocs.yml", tmp_path / "site", check=False,
                          env={"SOURCE_DATE_EPOCH": "last-tuesday"})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "SOURCE_DATE_EPOCH='last-tuesday' is not a number of seconds" in output
    assert "Traceback" not in output


# --- Pagefind -------------------------------------------------------------------------

PAGE = ('<html lang="en"><body><main data-pagefind-body><h1>{title}</h1><p>{text}</p>'
        '{filters}</main></body></html>')


def _pagefind(output: Path | None = None) -> dict[str, bytes]:
    """30 pages with many filter values in a new Pagefind process: the bundle as Pagefind
    hands it over (and, with ``output``, also written there by ``StreamingIndex.write``)."""
    service = PagefindService(threads=1)
    try:
        index = service.new_index("en")
        for n in range(30):
            filters = "".join(f'<span data-pagefind-filter="{name}:{name} {n % k}"></span>'
                              for name, k in (("colour", 7), ("shape", 11), ("size", 13)))
            index.add(f"/cases/page-{n}/", PAGE.format(title=f"Page {n}", text=f"word{n} common",
                                                      filters=filters))
        for future in index._added:
            future.result()
        answer = service.send({"type": "GetFiles", "index_id": index.index_id}).result()
        if output is not None:
            index.write(output).result()
    finally:
        service.close()
    return {f["path"]: base64.b64decode(f["content"]) for f in answer["files"]}


def _filters(files: dict[str, bytes]) -> dict[str, list[str]]:
    """``{filter: [value, ...]}`` in the order of the bundle's files."""
    import cbor2

    def load(name: str) -> object:
        data = gzip.decompress(files[name])
        assert data.startswith(reproducible.PAGEFIND_SIGNATURE), name
        return cbor2.loads(data[len(reproducible.PAGEFIND_SIGNATURE):])

    entry = json.loads(files["pagefind-entry.json"])
    meta = load(f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    out = {}
    for name, file_hash in meta[3]:
        filter_name, values = load(f"filter/{file_hash}.pf_filter")
        assert filter_name == name
        out[name] = [value for value, _pages in values]
    return out


@pytest.mark.slow
def test_pagefind_bundles_from_two_processes_become_identical() -> None:
    raw = [_pagefind(), _pagefind()]
    stable = [reproducible.stable_pagefind_files(files) for files in raw]
    assert stable[0] == stable[1]
    before, after = _filters(raw[0]), _filters(stable[0])
    # The same filters and values, now in order; the files they name exist.
    assert list(after) == sorted(before) == ["colour", "shape", "size"]
    assert all(after[name] == sorted(before[name]) for name in before)
    assert len([n for n in stable[0] if n.startswith("filter/")]) == 3
    assert stable[0].keys() - raw[0].keys() <= {n for n in stable[0] if ".pf_" in n}
    # Everything else is Pagefind's own bytes; a second pass changes nothing.
    assert {n: b for n, b in stable[0].items() if ".pf_filter" not in n and ".pf_meta" not in n
            and n != "pagefind-entry.json"} == {
        n: b for n, b in raw[0].items() if ".pf_filter" not in n and ".pf_meta" not in n
        and n != "pagefind-entry.json"}
    assert reproducible.stable_pagefind_files(stable[0]) == stable[0]


@pytest.mark.slow
def test_the_written_bundle_is_complete_and_stable(tmp_path: Path) -> None:
    """What ``StreamingIndex.write`` leaves on disk is the whole stable bundle, even though
    the Pagefind process ends right after (its own writing could cut files short)."""
    raw = _pagefind(tmp_path / "bundle")
    on_disk = {name: path.read_bytes() for name, path in _tree(tmp_path / "bundle").items()}
    assert on_disk == reproducible.stable_pagefind_files(raw)


def test_stabilising_something_else_is_refused() -> None:
    files = {"pagefind-entry.json": b'{"languages": {"en": {"hash": "en_123"}}}',
             "pagefind.en_123.pf_meta": gzip.compress(b"not pagefind")}
    with pytest.raises(ValueError, match="not a Pagefind index file"):
        reproducible.stable_pagefind_files(files)


def test_bundle_files_stay_inside_the_output(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="outside"):
        reproducible.write_files({"../escape.js": b""}, tmp_path / "out")
    assert not (tmp_path / "escape.js").exists()


def _git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
                           *args], cwd=cwd, capture_output=True, text=True, check=True,
                          timeout=60, env={**os.environ, **(env or {})}).stdout


def test_make_site_sets_source_date_epoch_from_the_last_commit(tmp_path: Path) -> None:
    """``make site`` in a clean clone passes the last commit's time to MkDocs, and today's
    date (no variable) once the working tree has changes."""
    if shutil.which("make") is None or shutil.which("git") is None:
        pytest.skip("make or git is not installed")
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "--quiet", str(REPO_ROOT), str(clone))
    shutil.copy2(REPO_ROOT / "Makefile", clone / "Makefile")  # this checkout's version
    _git(clone, "commit", "--quiet", "--allow-empty", "-m", "test", "--", "Makefile",
         env={"GIT_COMMITTER_DATE": "@1600000000 +0000"})
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}

    def dry_run() -> str:
        return subprocess.run(["make", "-n", "site"], cwd=clone, capture_output=True,
                              text=True, check=True, env=env, timeout=60).stdout

    clean = dry_run()
    assert "SOURCE_DATE_EPOCH=1600000000" in clean
    assert "mkdocs build --strict" in clean
    (clone / "content" / "cases" / "new.nl.md").write_text("---\n", encoding="utf-8")
    dirty = dry_run()
    assert "SOURCE_DATE_EPOCH" not in dirty
    assert "mkdocs build --strict" in dirty


def test_the_pages_workflow_builds_with_the_commit_date() -> None:
    import yaml

    workflow = yaml.safe_load((REPO_ROOT / ".github" / "workflows" / "pages.yml")
                              .read_text(encoding="utf-8"))
    runs = [str(step.get("run", "")) for step in workflow["jobs"]["build"]["steps"]]
    build = next(r for r in runs if "make site" in r)
    assert 'SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"' in build
