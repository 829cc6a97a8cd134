"""Open data: the exports (JSON, CSV, schemas) and the DCAT-AP catalogue.

It may import :mod:`casebook.checks`, :mod:`casebook.safety`,
:mod:`casebook.content` and the bottom layer.
"""
