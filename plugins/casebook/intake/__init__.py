"""How entries come in: ``casebook new``, the contributor guide and issue form,
``casebook from-issue`` and the ``publiccode.yml`` importer.

It may import :mod:`casebook.checks`, :mod:`casebook.safety`,
:mod:`casebook.content` and the bottom layer.
"""
