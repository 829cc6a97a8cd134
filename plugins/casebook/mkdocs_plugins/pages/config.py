"""Configuration of the ``casebook/pages`` plugin."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from casebook.site.views import STALE_AFTER_MONTHS


class PagesConfig(base.Config):
    """Options of ``casebook/pages``."""

    #: Knowledge base folder (holding ``content/``); default: the parent of ``docs_dir``.
    root = c.Optional(c.Type(str))
    #: Months after the ``reviewed`` date at which a case shows a "possibly out of date" notice.
    stale_after_months = c.Type(int, default=STALE_AFTER_MONTHS)
    #: ``mkdocs build``: build the other languages in a second process at the same time
    #: (POSIX, more than one core); the output is the same as one after the other.
    parallel_languages = c.Type(bool, default=True)
