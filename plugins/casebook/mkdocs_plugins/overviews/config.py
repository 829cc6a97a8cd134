"""Configuration of the ``casebook/overviews`` plugin."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from casebook.site.views import RECENT_CASES


class OverviewsConfig(base.Config):
    """Options of ``casebook/overviews``."""

    #: Knowledge base folder (holding ``content/``); default: the parent of ``docs_dir``.
    root = c.Optional(c.Type(str))
    #: Cases per kind on the home page, in each list (newest, most recently reviewed).
    recent = c.Type(int, default=RECENT_CASES)
    #: Nav entries (``contribute.md``) kept only when ``docs_dir`` has that page in some
    #: language, so that the same mkdocs.yml builds any knowledge base (tests, benchmarks).
    optional_pages = c.ListOfItems(c.Type(str), default=[])
