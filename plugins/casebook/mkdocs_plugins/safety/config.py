"""Configuration of the ``casebook/safety`` plugin."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class SafetyConfig(base.Config):
    """Options of ``casebook/safety``."""

    #: Scan every HTML file of the finished site (see :mod:`casebook.safety.htmlscan`).
    scan = c.Type(bool, default=True)
    #: Refuse a ``pymdownx.snippets`` configuration that could read outside the repository.
    check_snippets = c.Type(bool, default=True)
    #: Write a Content-Security-Policy into every page (see :mod:`casebook.safety.csp`).
    csp = c.Type(bool, default=True)
