"""Configuration of the ``casebook/pages`` plugin."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from casebook.site.views import STALE_AFTER_MONTHS
from casebook.site.ways import CORRECTION_FORM, NEW_CASE_FORM


class PagesConfig(base.Config):
    """Options of ``casebook/pages``."""

    #: Knowledge base folder (holding ``content/``); default: the parent of ``docs_dir``.
    root = c.Optional(c.Type(str))
    #: Months after the ``reviewed`` date at which a case shows a "possibly out of date" notice.
    stale_after_months = c.Type(int, default=STALE_AFTER_MONTHS)
    #: ``mkdocs build``: build the other languages in a second process at the same time
    #: (POSIX, more than one core); the output is the same as one after the other.
    parallel_languages = c.Type(bool, default=True)
    #: Issue forms (``.github/ISSUE_TEMPLATE/``) linked from every case and organisation
    #: page, with mkdocs.yml's ``repo_url`` and ``edit_uri``: proposing a case, and
    #: suggesting a correction (prefilled with the page's entry).
    new_case_form = c.Type(str, default=NEW_CASE_FORM)
    correction_form = c.Type(str, default=CORRECTION_FORM)
