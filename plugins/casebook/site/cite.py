"""Citing a case: a formatted reference, BibTeX and CSL-JSON.

Every case page shows "cite this case" with the reference in the page's
language, and links two files the build writes beside the page (the
Content-Security-Policy allows no ``data:`` downloads): ``cite.bib`` (biblatex
``@online``) and ``cite.json`` (CSL-JSON, as Zotero and citeproc read it). Each
names the case's title, its organisations, Casebook, the page's address
(absolute when the site has a ``site_url``) and the date the facts were reviewed.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urljoin

from casebook.content.model import Entry, KnowledgeBase
from casebook.content.uitext import ui_text
from casebook.content.vocab import DEFAULT_LANGUAGE
from casebook.site.views import as_date, page_url

#: The files written beside each case page.
BIBTEX_FILE = "cite.bib"
CSL_FILE = "cite.json"
SITE_NAME = "Casebook"


def case_url(entry: Entry, lang: str, site_url: str | None,
             directory_urls: bool = True) -> str:
    """The address of a case page: absolute with ``site_url``, else from the site root."""
    prefix = "" if lang == DEFAULT_LANGUAGE else f"{lang}/"
    path = prefix + page_url(f"cases/{entry.id}", directory_urls)
    if site_url:
        return urljoin(site_url.rstrip("/") + "/", path)
    return "/" + path


def organisation_names(entry: Entry, kb: KnowledgeBase, lang: str) -> list[str]:
    """The names of a case's organisations, in the order the entry gives them."""
    names = []
    for link in entry.facts.get("organisations") or []:
        if isinstance(link, dict) and link.get("id"):
            other = kb.organisations.get(str(link["id"]))
            names.append(other.title(lang) if other is not None else str(link["id"]))
    return list(dict.fromkeys(names))


def reviewed(entry: Entry) -> str:
    """The review date, ``YYYY-MM-DD`` (``""`` when there is none)."""
    date = as_date(entry.facts.get("reviewed"))
    return date.isoformat() if date else ""


def reference(entry: Entry, kb: KnowledgeBase, lang: str, url: str) -> str:
    """The reference as text: ``Title. Organisation. Casebook. URL (reviewed date).``"""
    parts = [entry.title(lang).rstrip(".")]
    names = organisation_names(entry, kb, lang)
    if names:
        parts.append(", ".join(names))
    parts.append(SITE_NAME)
    text = ". ".join(parts) + f". {url}"
    date = reviewed(entry)
    if date:
        text += f" ({ui_text('cite.reviewed', lang, date=date)})"
    return text + "."


_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%",
                   "&": r"\&", "$": r"\$", "#": r"\#", "_": r"\_",
                   "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _bibtex_text(text: str) -> str:
    """``text`` as BibTeX field content (special characters escaped, one line)."""
    return "".join(_BIBTEX_SPECIAL.get(c, c) for c in " ".join(text.split()))


def bibtex(entry: Entry, kb: KnowledgeBase, lang: str, url: str) -> str:
    """The case as a biblatex ``@online`` entry (key ``casebook:<id>``)."""
    fields = [("title", _bibtex_text(entry.title(lang)))]
    names = organisation_names(entry, kb, lang)
    if names:
        fields.append(("organization", " and ".join(f"{{{_bibtex_text(n)}}}" for n in names)))
    fields += [("publisher", SITE_NAME), ("url", url.replace("}", "%7D").replace("{", "%7B"))]
    date = reviewed(entry)
    if date:
        fields += [("date", date), ("urldate", date),
                   ("note", _bibtex_text(ui_text("cite.reviewed", lang, date=date)))]
    fields.append(("langid", "dutch" if entry.text_lang(lang) == "nl" else "english"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@online{{casebook:{entry.id},\n{body}\n}}\n"


def csl(entry: Entry, kb: KnowledgeBase, lang: str, url: str) -> list[dict[str, Any]]:
    """The case as CSL-JSON (a list of one item, as reference managers exchange them)."""
    item: dict[str, Any] = {
        "id": f"casebook:{entry.id}",
        "type": "webpage",
        "title": entry.title(lang),
        "container-title": SITE_NAME,
        "publisher": SITE_NAME,
        "URL": url,
        "language": entry.text_lang(lang),
    }
    names = organisation_names(entry, kb, lang)
    if names:
        item["author"] = [{"literal": n} for n in names]
    date = reviewed(entry)
    if date:
        year, month, day = (int(p) for p in date.split("-"))
        item["issued"] = {"date-parts": [[year, month, day]]}
        item["note"] = ui_text("cite.reviewed", lang, date=date)
    summary = entry.text("summary", lang)
    if summary:
        item["abstract"] = " ".join(str(summary).split())
    return [item]


def files(entry: Entry, kb: KnowledgeBase, lang: str, url: str) -> dict[str, str]:
    """The citation files of a case page: name → content."""
    return {BIBTEX_FILE: bibtex(entry, kb, lang, url),
            CSL_FILE: json.dumps(csl(entry, kb, lang, url), ensure_ascii=False, indent=2,
                                 allow_nan=False) + "\n"}
