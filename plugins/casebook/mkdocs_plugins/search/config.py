"""Configuration of the ``casebook-search`` plugin."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from casebook.site.pagefind_index import PAGES_PER_SHARD, WORKERS


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
    #: Pages per Pagefind shard: a language's index is split in shards of at most
    #: this many pages, because Pagefind's ranking slows down with the square of
    #: the pages a word is on (see casebook.site.pagefind_index).
    pages_per_shard = c.Type(int, default=PAGES_PER_SHARD)
    #: Search workers: the search page searches the shards in this many groups at
    #: once, each in a worker of its own (at most one per shard).
    workers = c.Type(int, default=WORKERS)
    #: Index the parts of compound words as extra low-weight text, so that a query
    #: for a part finds the compound ("lab" finds "stadslab"; casebook.site.compounds).
    compounds = c.Type(bool, default=True)
