"""Messages that people read, kept translatable.

Every message a contributor reads (validator findings, ``casebook new``, build
errors) is written as ``msg("'{value}' is not a theme", value=value)``: an
English template and its values. The result is an ordinary ``str`` (the
English text), so code that only needs English keeps working, but it also
remembers its template and values, so it can be shown in another language
from the message catalogue.
"""

from __future__ import annotations

from typing import Any


class Message(str):
    """English text that remembers the template and values it was made from."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Message:
        obj = super().__new__(cls, template.format(**params) if params else template)
        obj.template = template
        obj.params = params
        return obj


def msg(template: str, /, **params: Any) -> Message:
    """A translatable message: ``template`` in English with ``{name}`` fields."""
    return Message(template, **params)
