"""Configuration of the ``casebook-search`` plugin."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class SearchConfig(base.Config):
    """Options of ``casebook-search``."""

    #: Knowledge base folder (holding ``content/``); default: the parent of ``docs_dir``.
    root = c.Optional(c.Type(str))
    #: Run Pagefind after the build (turn off for quick previews).
    index = c.Type(bool, default=True)
    #: Add a search box to the header of every page.
    header_box = c.Type(bool, default=True)
    #: Results shown at once; a button shows the next ones. Each shown result
    #: fetches its Pagefind fragment, so a page is what a query costs in bytes.
    page_size = c.Type(int, default=20)
