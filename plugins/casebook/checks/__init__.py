"""Checks of a knowledge base: the content rules (``casebook validate``) and links.

It may import :mod:`casebook.safety` (the safety rules a validation applies),
:mod:`casebook.content` and the bottom layer (:mod:`casebook.i18n`,
:mod:`casebook.commandline`).
"""
