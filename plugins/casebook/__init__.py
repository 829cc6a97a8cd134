"""Casebook: content model, loading, validation and exports.

The core modules import nothing from MkDocs; the MkDocs adapters live in
:mod:`casebook.mkdocs_plugins` and are thin wrappers over this core.
"""

__version__ = "0.1.0"
