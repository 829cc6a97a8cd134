"""Configuration of the ``casebook/data`` plugin."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class DataConfig(base.Config):
    """Options of ``casebook/data``."""

    #: Knowledge base folder (holding ``content/``); default: the parent of ``docs_dir``.
    root = c.Optional(c.Type(str))
    #: Number of cases in each Atom feed.
    feed_size = c.Type(int, default=20)
    #: Write ``/data/``, ``/schema/`` and the feeds after the build.
    exports = c.Type(bool, default=True)
    #: Generate the statistics pages ``/stats/`` and ``/<lang>/stats/``.
    statistics = c.Type(bool, default=True)
    #: Embed schema.org JSON-LD in case pages.
    jsonld = c.Type(bool, default=True)
