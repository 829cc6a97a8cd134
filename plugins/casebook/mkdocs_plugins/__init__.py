"""MkDocs adapters over the Casebook core: thin plugins, one folder each.

Only this package imports MkDocs. Each plugin has a typed ``config.py`` and a
``plugin.py``, and is registered as ``casebook/<name>`` through the
``mkdocs.plugins`` entry points in ``pyproject.toml``.
"""
