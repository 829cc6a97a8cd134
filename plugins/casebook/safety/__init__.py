"""The safety model: what a body and a parsed value may hold, the rendering
budget, ids the theme reserves, the sanitizer, the post-build scan and the
Content-Security-Policy.

It may import :mod:`casebook.content` and the bottom layer only.
"""
