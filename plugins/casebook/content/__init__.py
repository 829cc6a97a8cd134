"""The content model: reading, writing and describing entries.

Front-matter reading and writing, the knowledge base model and its loader, the
allowlist of ``content/``, vocabularies, JSON Schemas, body sections, licences,
field and UI labels, and the diagnostics findings are reported as. It may import
only :mod:`casebook.i18n` and :mod:`casebook.commandline`.
"""
