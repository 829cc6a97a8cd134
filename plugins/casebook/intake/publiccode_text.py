"""The text of entries imported from publiccode.yml files, in Dutch and English.

Every sentence comes from ``data/publiccode.yaml`` with the facts of the file
filled in; nothing is said that the file does not state.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import yaml

from casebook.content import licences
from casebook.content.vocab import LANGUAGES, _data_file, load_vocabularies, sections


@functools.cache
def mapping() -> dict[str, Any]:
    """The mapping tables and texts of ``data/publiccode.yaml``."""
    return yaml.safe_load(_data_file("publiccode.yaml"))


def text(value: Any) -> str:
    """A scalar as text (YAML reads ``0.2`` as a number and dates as dates)."""
    if value is None or isinstance(value, dict | list | bool):
        return ""
    return " ".join(str(value).split())


def norm(name: str) -> str:
    """A name folded for comparison: case and runs of white space ignored."""
    return " ".join(name.casefold().split())


def licence_sentences(stated: str) -> tuple[str | None, dict[str, str]]:
    """The SPDX id to record (or None) and the sentence about it, per language."""
    texts = mapping()["text"]
    if not stated:
        return None, dict(texts["no_licence"])
    if licences.is_current(stated):
        return stated, {lg: texts["licence"][lg].format(licence=f"`{stated}`")
                        for lg in LANGUAGES}
    current = licences.replacements(stated)
    if len(current) == 1:
        return current[0], {lg: texts["licence_renamed"][lg].format(
            stated=stated, licence=f"`{current[0]}`") for lg in LANGUAGES}
    why = {lg: texts["licence_either"][lg].format(choices=", ".join(f"`{c}`" for c in current))
           if current else "" for lg in LANGUAGES}
    return None, {lg: texts["licence_unrecorded"][lg].format(stated=stated, why=why[lg])
                  for lg in LANGUAGES}


def quote(markdown: str) -> str:
    """``markdown`` as a block quote (the file's own words, kept apart from ours)."""
    lines = markdown.strip("\n").splitlines()
    return "\n".join(f"> {line}".rstrip() for line in lines)


def bullets(items: Sequence[Any]) -> str:
    """A Markdown list of the non-empty items, each on one line."""
    return "\n".join(f"- {' '.join(str(i).split())}" for i in items if text(i))


def body(lang: str, desc: dict[str, Any], c: dict[str, Any]) -> str:
    """The Markdown body of one language: the kind's sections, facts from the file only."""
    t = {k: (v[lang] if isinstance(v, dict) and lang in v else v)
         for k, v in mapping()["text"].items()}
    maps = mapping()
    heads = sections()["case"]["repository"][lang]
    context = [t["context_intro"].format(name=c["name"], version=c["version"])]
    if c["owner_stated"]:
        context.append(t["owner_stated"].format(owner=c["owner"], field=c["field_label"][lang]))
    else:
        context.append(t["owner_given"].format(owner=c["owner"]))
    for org, role in c["given"]:
        context.append(t["given_role"].format(
            org=org, role=load_vocabularies().label("roles", role, lang).lower()))
    holder = c["copyright_owner"]
    if holder and norm(holder) != norm(c["owner"]):
        context.append(t["copyright_owner"].format(holder=holder))
    long = str(desc.get("longDescription") or "").strip()
    if long:
        context += [t["description_heading"], quote(long)]
    else:
        context.append(t["no_long_description"])

    blocks = []
    kind = maps["software_types"].get(c["software_type"], {}).get(lang)
    line = (t["block"].format(name=c["name"], software_type=kind) if kind
            else t["block_no_type"].format(name=c["name"]))
    stage = c["stage"]
    if c["status"] in maps["statuses"]:
        meaning = maps["statuses"][c["status"]][lang]
        stage_label = load_vocabularies().label("stages", stage, lang).lower()
        line += " " + t["status"].format(status=c["status"], meaning=meaning, stage=stage_label)
    elif c["status"]:
        line += " " + t["odd_status"].format(status=c["status"])
    else:
        line += " " + t["no_status"]
    if c["release"]:
        version = (t["release_version"].format(version=c["software_version"])
                   if c["software_version"] else "")
        line += " " + t["release"].format(date=c["release"], version=version)
    elif c["release_unrecorded"]:
        reason = t["release_problems"][c["release_problem"]][lang]
        line += " " + t["release_unrecorded"].format(value=c["release_unrecorded"],
                                                     reason=reason)
    else:
        line += " " + t["no_release"]
    if c["clone_url"]:
        line += " " + t["clone_url"].format(url=c["clone_url"])
    blocks.append(line)
    line = c["licence_text"][lang]
    if c["maintainer"]:
        line += " " + t["maintained_by_owner"]
    elif c["maintenance"]:
        line += " " + t["maintenance"].format(type=c["maintenance"])
    else:
        line += " " + t["no_maintenance"]
    blocks.append(line)
    features = desc.get("features") if isinstance(desc.get("features"), list) else []
    if features and bullets(features):
        blocks += [t["features"], bullets(features)]
    else:
        blocks.append(t["no_features"])
    if c["categories"]:
        shown = [t["odd_category"].format(category=f"`{x}`") if str(x) in c["odd"]
                 else f"`{x}`" for x in c["categories"]]
        blocks.append(t["categories"].format(categories=", ".join(shown)))

    reuse = []
    if c["used_by"]:
        reuse += [t["used_by"], bullets(c["used_by"])]
    else:
        reuse.append(t["no_used_by"])
    if c["funders"]:
        reuse += [t["funded_by"], bullets(c["funders"])]
    reuse.append(t["period"].format(year=c["start_year"]))

    parts = []
    for head, paras in zip(heads, (context, blocks, reuse), strict=True):
        parts.append(f"## {head}\n\n" + "\n\n".join(paras))
    return "\n\n".join(parts)
