"""Ways on from an entry's page: the repository, its issue forms and the entry's file.

Addresses follow GitHub's: an issue form is ``<repository>/issues/new?template=<form>``
and takes a value for each of its fields by id in the query (the correction form's
``entry`` field is filled with the entry's id); "edit this page" is MkDocs' own
``repo_url`` + ``edit_uri`` + the file's path below ``docs_dir``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from casebook.content.model import Entry

#: The issue forms under ``.github/ISSUE_TEMPLATE/``.
NEW_CASE_FORM = "new-case.yml"
CORRECTION_FORM = "correction.yml"


@dataclass(frozen=True, slots=True)
class Repository:
    """Where the knowledge base is kept (``repo_url``, ``edit_uri`` of mkdocs.yml)."""

    url: str
    edit_uri: str = ""
    new_case_form: str = NEW_CASE_FORM
    correction_form: str = CORRECTION_FORM

    @property
    def base(self) -> str:
        return self.url.rstrip("/")

    def issue_form(self, form: str, **fields: str) -> str:
        """The address of a new issue from ``form`` with ``fields`` filled in."""
        return f"{self.base}/issues/new?" + urlencode({"template": form, **fields})

    def edit(self, docs_path: str) -> str | None:
        """The editor of a file given by its path below ``docs_dir`` (None without
        ``edit_uri``)."""
        if not self.edit_uri:
            return None
        if self.edit_uri.startswith(("http://", "https://")):
            return self.edit_uri.rstrip("/") + "/" + docs_path
        return f"{self.base}/{self.edit_uri.strip('/')}/{docs_path}"


def entry_ways(repo: Repository, entry: Entry, docs_path: str | None) -> dict[str, str]:
    """The ways on from ``entry``'s page: ``correction`` (the correction form with the
    entry's id), ``edit`` (its file, the one the page shows), ``new_case`` and
    ``repository``."""
    name = f"{entry.collection}/{entry.id}"
    ways = {"correction": repo.issue_form(repo.correction_form, entry=name,
                                          title=f"[Correctie / Correction]: {name}")}
    edit = repo.edit(docs_path) if docs_path else None
    if edit:
        ways["edit"] = edit
    ways["new_case"] = repo.issue_form(repo.new_case_form)
    ways["repository"] = repo.base
    return ways
