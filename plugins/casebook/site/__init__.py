"""The site, independent of the site generator: rendering (fact boxes, generated
pages), listings, statistics, search facets, the Pagefind service and
reproducible output.

It may import :mod:`casebook.checks`, :mod:`casebook.safety`,
:mod:`casebook.content` and the bottom layer; never MkDocs.
"""
