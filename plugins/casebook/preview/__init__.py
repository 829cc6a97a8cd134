"""The preview: re-reading a change incrementally, the pages it reaches, and the
static server of ``make serve`` and ``make preview``.

It may import :mod:`casebook.site` and everything below it.
"""
