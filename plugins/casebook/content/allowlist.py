"""The allowlist of ``content/``: which files may exist, and which ids a body may set.

The rules are data (``data/content-allowlist.yaml``); this module applies them:

* :func:`walk` classifies every file under ``content/``: entry files
  (``cases/<id>.<lang>.md``, ``organisations/<id>.<lang>.md``), the known
  pages (``contribute.<lang>.md``) and images in the assets folder, whose first
  bytes must be the signature of their type (PNG, JPEG, GIF, WebP, AVIF; never
  SVG, XML or HTML). Everything else is a problem the validator reports as an
  error, and the build (``casebook/pages``) publishes nothing else.
* :func:`policy` also holds the ids and site paths the theme reserves, which
  :mod:`casebook.safety.ids` keeps out of entry bodies and pages.

The loader (:mod:`casebook.content.model`) walks ``content/`` with it, so it sits
in the content layer; with :mod:`casebook.safety` (what a body may contain, the
sanitizer, the post-build scan) it is the safety model of the site.
"""

from __future__ import annotations

import functools
import os
import re
import warnings
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from PIL import Image

from casebook.content.vocab import LANGUAGES
from casebook.i18n import msg

#: Entry file names as the loader reads them (the id is checked by the validator).
#: Whole names only: ``\Z``, never ``$`` (which also matches before a final line feed).
ENTRY_NAME = re.compile(r"^(?P<id>[^\x00-\x1f\x7f]+)\.(?P<lang>[A-Za-z-]+)\.md\Z")
_MARKDOWN_SUFFIX = re.compile(r"(?i)\.(md|markdown|mdown|mkdn|mkd|mdwn|mdtxt|mdtext|text|txt)\Z")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class ImageType:
    """An allowed image type: its extensions and byte signatures."""

    name: str
    extensions: tuple[str, ...]
    #: Alternatives; each a tuple of (offset, bytes) that must all match.
    signatures: tuple[tuple[tuple[int, bytes], ...], ...]

    def matches(self, head: bytes) -> bool:
        return any(all(head[o:o + len(b)] == b for o, b in alt) for alt in self.signatures)


@dataclass(frozen=True, slots=True)
class Policy:
    """``data/content-allowlist.yaml``, read once."""

    collections: tuple[str, ...]
    id_pattern: re.Pattern[str]
    id_max_length: int
    reserved_ids: frozenset[str]
    pages: tuple[str, ...]
    asset_folder: str
    asset_name: re.Pattern[str]
    asset_max_depth: int
    asset_max_bytes: int
    max_megapixels: float
    max_frames: int
    max_total_megapixels: float
    image_types: tuple[ImageType, ...]
    id_prefixes: tuple[str, ...]
    ids_reserved: frozenset[str]
    site_prefixes: tuple[str, ...]
    site_reserved: frozenset[str]
    device_names: frozenset[str]

    def device_name(self, name: str) -> bool:
        """Whether Windows reserves ``name`` for a device (``aux``, ``Con.nl.md``,
        ``com1.png``: the part before the first dot, trailing spaces and dots aside)."""
        return name.split(".", 1)[0].rstrip(" .").lower() in self.device_names

    def image_type(self, extension: str) -> ImageType | None:
        """The image type of a (lower-case) extension, if allowed."""
        for kind in self.image_types:
            if extension in kind.extensions:
                return kind
        return None

    def allowed_summary(self) -> str:
        """What ``content/`` may hold, in one line (for messages)."""
        langs = "|".join(LANGUAGES)
        entries = ", ".join(f"{c}/<id>.<{langs}>.md" for c in self.collections)
        pages = ", ".join(f"{p}.<{langs}>.md" for p in self.pages)
        return (f"{entries}, {pages} and images in {self.asset_folder}/ "
                f"({self.image_kinds()})")

    def image_kinds(self) -> str:
        return ", ".join(f"{t.name} .{'/.'.join(t.extensions)}" for t in self.image_types)


@functools.cache
def policy() -> Policy:
    """The allowlist (cached)."""
    text = resources.files("casebook").joinpath("data", "content-allowlist.yaml").read_text(
        encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    entries, assets, ids, site = data["entries"], data["assets"], data["ids"], data["site_paths"]
    return Policy(
        collections=tuple(entries["collections"]),
        id_pattern=re.compile(entries["id_pattern"]),
        id_max_length=int(entries["id_max_length"]),
        reserved_ids=frozenset(entries["reserved_ids"]),
        pages=tuple(data["pages"]),
        asset_folder=str(assets["folder"]),
        asset_name=re.compile(assets["name_pattern"]),
        asset_max_depth=int(assets["max_depth"]),
        asset_max_bytes=int(assets["max_bytes"]),
        max_megapixels=float(assets["max_megapixels"]),
        max_frames=int(assets["max_frames"]),
        max_total_megapixels=float(assets["max_total_megapixels"]),
        image_types=tuple(
            ImageType(t["name"], tuple(t["extensions"]),
                      tuple(tuple((int(o), bytes.fromhex(h)) for o, h in alt)
                            for alt in t["signatures"]))
            for t in assets["types"]),
        id_prefixes=tuple(ids["reserved_prefixes"]),
        ids_reserved=frozenset(ids["reserved"]),
        site_prefixes=tuple(site["reserved_prefixes"]),
        site_reserved=frozenset(site["reserved"]),
        device_names=frozenset(str(n).lower() for n in data["windows_device_names"]),
    )


# --- files ----------------------------------------------------------------------


@dataclass(slots=True)
class Tree:
    """What :func:`walk` found under ``content/``."""

    #: (collection, file name, path) of every entry file, sorted.
    entries: list[tuple[str, str, Path]] = field(default_factory=list)
    #: Allowed pages and assets, as paths relative to ``content/``.
    published: list[str] = field(default_factory=list)
    #: (path relative to content/, code, message) of everything refused.
    problems: list[tuple[str, str, str]] = field(default_factory=list)


SYMLINK_MESSAGE = msg("symbolic links are not allowed inside content/; replace the link with "
                      "the file or folder itself")


def walk(content: Path) -> Tree:
    """Classify every file below ``content`` (links are not followed)."""
    tree = Tree()
    if not content.is_dir() or content.is_symlink():
        return tree
    rules = policy()
    # (folder, its parts below content/, the problem of a refused folder above it)
    stack: list[tuple[str, tuple[str, ...], tuple[str, str] | None]] = [(str(content), (), None)]
    while stack:
        folder, parts, refused = stack.pop()
        folder_path = Path(folder)
        with os.scandir(folder) as it:
            children = sorted(it, key=lambda e: e.name)
        for entry in children:
            rel_parts = (*parts, entry.name)
            rel = "/".join(rel_parts)
            name_problem = _name_problem(rules, entry.name)
            if entry.is_symlink():
                tree.problems.append((rel, "symlink", SYMLINK_MESSAGE))
            elif name_problem is not None and entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, rel_parts, refused or name_problem))
            elif name_problem is not None:
                tree.problems.append((rel, *name_problem))
            elif entry.is_dir(follow_symlinks=False):
                problem = refused or _folder_problem(rules, rel_parts)
                stack.append((entry.path, rel_parts, problem))
            elif refused is not None:  # every file of a refused folder is named
                tree.problems.append((rel, *refused))
            else:
                _classify_file(rules, tree, entry, rel_parts, folder_path)
    tree.entries.sort()
    tree.published.sort()
    tree.problems.sort()
    return tree


def _name_problem(rules: Policy, name: str) -> tuple[str, str] | None:
    """Why a file or folder name may exist nowhere in ``content/`` (None: it may)."""
    if _CONTROL.search(name):
        return "file-name", msg(
            "the name {name} holds a control character (a line break, tab or other "
            "invisible code); rename it", name=ascii(name))
    if rules.device_name(name):
        return "file-name", msg(
            "'{name}' is a name Windows reserves for a device ({stem}), so the repository "
            "could no longer be checked out on Windows; choose another name",
            name=name, stem=name.split(".", 1)[0])
    return None


def _folder_problem(rules: Policy, parts: tuple[str, ...]) -> tuple[str, str] | None:
    """Why a folder may not exist (None: walk into it)."""
    top = parts[0]
    if len(parts) == 1 and top in (*rules.collections, rules.asset_folder):
        return None
    if top == rules.asset_folder:
        name = parts[-1]
        if len(parts) - 1 > rules.asset_max_depth:
            return "not-allowed", msg(
                "images may sit at most {depth} folders deep in content/{folder}/; "
                "move this image up", depth=rules.asset_max_depth, folder=rules.asset_folder)
        if not rules.asset_name.fullmatch(name):
            return "file-name", msg(
                "folder name '{name}' is not allowed: use lower-case letters, digits and "
                "single hyphens (for example '{suggestion}')",
                name=name, suggestion=_slug(name))
        return None
    if top in rules.collections:
        return "not-allowed", msg(
            "content/{collection}/ holds no folders, so this file would not be published: "
            "put each entry directly in content/{collection}/ as <id>.<lang>.md, and "
            "images in content/{folder}/",
            collection=top, folder=rules.asset_folder)
    if len(parts) == 1 and top.lower() == rules.asset_folder:
        return "file-name", msg(
            "the images folder is called '{folder}' (lower case); rename '{name}' to it",
            folder=rules.asset_folder, name=top)
    return "not-allowed", msg(
        "the folder '{name}' is not part of the knowledge base: content/ may hold only "
        "{allowed}; move this file to one of those places or remove it",
        name="/".join(parts), allowed=rules.allowed_summary())


def _classify_file(rules: Policy, tree: Tree, entry: os.DirEntry[str],
                   parts: tuple[str, ...], folder: Path) -> None:
    rel, name = "/".join(parts), parts[-1]
    regular = entry.is_file(follow_symlinks=False)
    if len(parts) == 2 and parts[0] in rules.collections:
        m = ENTRY_NAME.fullmatch(name)
        if m and m.group("lang") in LANGUAGES:
            if regular:  # a child of a Path: cheaper than parsing the whole path again
                tree.entries.append((parts[0], name, folder / name))
            else:
                tree.problems.append((rel, "unreadable", msg(
                    "this is not a normal file; replace it with a text file")))
            return
        if _MARKDOWN_SUFFIX.search(name.strip()):
            tree.problems.append((rel, "file-name", _entry_name_message(parts[0], name)))
        else:
            tree.problems.append((rel, "not-allowed", _not_allowed_message(rules, parts)))
        return
    if parts[0] == rules.asset_folder and len(parts) > 1:
        problem = _asset_problem(rules, entry, name, regular)
        if problem:
            tree.problems.append((rel, *problem))
        else:
            tree.published.append(rel)
        return
    if len(parts) == 1:
        m = ENTRY_NAME.fullmatch(name)
        if m and m.group("id") in rules.pages and m.group("lang") in LANGUAGES and regular:
            tree.published.append(rel)
            return
        fixed = _fixed_entry_name(name)
        if fixed and fixed.split(".", 1)[0] in rules.pages:
            tree.problems.append((rel, "file-name", msg(
                "'{name}' differs from the page name '{fixed}' only by case, spaces or the "
                "suffix; rename it to '{fixed}'", name=name, fixed=fixed)))
            return
    tree.problems.append((rel, "not-allowed", _not_allowed_message(rules, parts)))


def _entry_name_message(collection: str, name: str) -> str:
    langs = " or ".join(f"<id>.{lang}.md" for lang in LANGUAGES)
    fixed = _fixed_entry_name(name)
    tip = msg("rename it to '{fixed}'", fixed=fixed) if fixed else msg("rename it")
    return msg("'{name}' is not an entry file name: files in content/{collection}/ are named "
               "{langs}, the id made of lower-case letters, digits and single hyphens; {tip}",
               name=name, collection=collection, langs=langs, tip=tip)


def _fixed_entry_name(name: str) -> str | None:
    """The allowed name a near miss stands for (case, spaces, a .markdown suffix)."""
    stem = _MARKDOWN_SUFFIX.sub("", name.strip())
    if stem == name.strip() and not name.strip().lower().endswith(".md"):
        return None
    lang = stem.rsplit(".", 1)
    if len(lang) != 2 or lang[1].strip().lower() not in LANGUAGES:
        return None
    entry_id = lang[0].strip().lower()
    if not policy().id_pattern.fullmatch(entry_id):
        return None
    fixed = f"{entry_id}.{lang[1].strip().lower()}.md"
    return fixed if fixed != name else None


def _not_allowed_message(rules: Policy, parts: tuple[str, ...]) -> str:
    name = parts[-1]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    entry = ENTRY_NAME.fullmatch(name)
    if len(parts) == 1 and entry is not None and entry.group("id") == "index":
        tip = msg("the home page is generated from the knowledge base; remove this file")
    elif suffix in ("svg", "svgz", "xml", "xhtml", "xht", "html", "htm", "xsl", "xslt"):
        tip = msg("documents ({suffix}) can hold script and are never published; remove "
                  "it, and use a PNG, JPEG, GIF, WebP or AVIF image in content/{folder}/ "
                  "for a picture", suffix=suffix.upper(), folder=rules.asset_folder)
    elif rules.image_type(suffix):
        tip = msg("move the image to content/{folder}/ and link to it from there",
                  folder=rules.asset_folder)
    else:
        tip = msg("remove it, or move it to one of those places")
    return msg("'{path}' is not allowed: content/ may hold only {allowed}; {tip}",
               path="/".join(parts), allowed=rules.allowed_summary(), tip=tip)


def _asset_problem(rules: Policy, entry: os.DirEntry[str], name: str,
                   regular: bool) -> tuple[str, str] | None:
    folder = rules.asset_folder
    stem, dot, extension = name.rpartition(".")
    kind = rules.image_type(extension.lower()) if dot else None
    if kind is None:
        what = msg("'{name}' is not an allowed image: content/{folder}/ holds only {kinds} "
                   "files; convert it to one of those (SVG, XML and HTML are never published)",
                   name=name, folder=folder, kinds=rules.image_kinds())
        return "not-allowed", what
    if not rules.asset_name.fullmatch(stem) or extension != extension.lower():
        fixed = f"{_slug(stem)}.{extension.lower()}"
        return "file-name", msg(
            "image name '{name}' is not allowed: use lower-case letters, digits and single "
            "hyphens and a lower-case extension, for example '{fixed}'", name=name, fixed=fixed)
    if not regular:
        return "unreadable", msg("this is not a normal file; replace it with the image itself")
    try:
        size = entry.stat(follow_symlinks=False).st_size
        with open(entry.path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        return "unreadable", msg("the file cannot be read ({reason})",
                                 reason=exc.strerror or str(exc))
    if size > rules.asset_max_bytes:
        return "asset-size", msg(
            "the image is {size} bytes; the limit is {limit} bytes: make it smaller "
            "(fewer pixels, or a compressed format such as JPEG or WebP)",
            size=f"{size:,}", limit=f"{rules.asset_max_bytes:,}")
    if not kind.matches(head):
        actual = next((t for t in rules.image_types if t.matches(head)), None)
        if actual is not None:
            return "asset-type", msg(
                "'{name}' is a {actual} image, not {kind}: rename it to '{fixed}'",
                name=name, actual=actual.name, kind=kind.name,
                fixed=f"{stem}.{actual.extensions[0]}")
        return "asset-type", msg(
            "'{name}' is not a {kind} image: its content does not start like one (the type "
            "is checked by content, not by the name); save it again as a real image",
            name=name, kind=kind.name)
    return _dimension_problem(rules, entry.path, name)


def _dimension_problem(rules: Policy, path: str, name: str) -> tuple[str, str] | None:
    """The image's size and frame count as its header declares them (Pillow opens
    lazily: nothing is decoded), against the limits."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                frames = int(getattr(image, "n_frames", 1) or 1)
    except Image.DecompressionBombError:
        width, height, frames = 10**6, 10**6, 1  # far over any limit
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        return "asset-type", msg(
            "'{name}' cannot be read as an image ({reason}); save it again", name=name,
            reason=str(exc) or type(exc).__name__)
    megapixels = width * height / 1e6
    if megapixels > rules.max_megapixels:
        return "asset-size", msg(
            "the image is {width} x {height} pixels ({mp} megapixels); the limit is {limit} "
            "megapixels (a browser holds every pixel in memory): scale it down",
            width=f"{width:,}", height=f"{height:,}", mp=f"{megapixels:,.0f}",
            limit=f"{rules.max_megapixels:g}")
    if frames > rules.max_frames or frames * megapixels > rules.max_total_megapixels:
        return "asset-size", msg(
            "the animation has {frames} frames of {width} x {height} pixels; the limits are "
            "{max_frames} frames and {limit} megapixels in all: shorten or scale it down",
            frames=frames, width=f"{width:,}", height=f"{height:,}",
            max_frames=rules.max_frames, limit=f"{rules.max_total_megapixels:g}")
    return None


def _slug(value: str) -> str:
    slug = _NOT_SLUG.sub("-", value.lower()).strip("-")
    return slug or "image"
