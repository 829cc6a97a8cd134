"""Messages that people read, kept translatable.

Every message a contributor reads (validator findings, ``casebook new``, build
errors) is written as ``msg("'{value}' is not a theme", value=value)``: an
English template and its values. The result is an ordinary ``str`` (the
English text), so code that only needs English keeps working, but it also
remembers its template and values, so it can be shown in another language
from the message catalogue.

The catalogue is one gettext file per language,
``locale/<lang>/LC_MESSAGES/casebook.po``, read at run time with Babel (no
compile step, so it works the same from a clean clone with ``pip install -e``
and from an installed wheel). Translation happens only when a message is
shown (:func:`translate`), never while validating. ``make messages`` brings
the catalogue up to date with the ``msg(...)`` calls in the code;
``tests/core/test_messages.py`` fails while it is not.
"""

from __future__ import annotations

import functools
import gettext
import os
from collections.abc import Mapping
from importlib import resources
from typing import Any

#: Languages people can read the messages in; English is the source language.
LANGUAGES = ("en", "nl")
SOURCE_LANGUAGE = "en"
DOMAIN = "casebook"


class Message(str):
    """English text that remembers the template and values it was made from."""

    template: str
    params: dict[str, Any]
    nl: str
    n: int

    def __new__(cls, template: str, /, **params: Any) -> Message:
        obj = super().__new__(cls, template.format(**params) if params else template)
        obj.template = template
        obj.params = params
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickles (the second build process) keep the template and the values.
        return (_rebuild, (self.template, self.params))

    def translated(self, lang: str) -> str:
        """This message in ``lang`` (English when the catalogue lacks it)."""
        if lang == SOURCE_LANGUAGE:
            return str.__str__(self)
        template = catalogue(lang).get(self.template, self.template)
        if not self.params:
            return template
        params = {k: v.translated(lang) if isinstance(v, Message) else v
                  for k, v in self.params.items()}
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):  # a broken translation: keep the message
            return str.__str__(self)


class Bilingual(Message):
    """Text that carries its own translation, from a data file (a vocabulary
    label, a schema description), so it needs no catalogue entry."""

    def __new__(cls, en: str, nl: str) -> Bilingual:
        obj = Message.__new__(cls, en)
        obj.nl = nl
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (Bilingual, (str.__str__(self), self.nl))

    def translated(self, lang: str) -> str:
        return self.nl if lang == "nl" else str.__str__(self)


class Ordinal(Message):
    """A position as people count it: ``2nd`` in English, ``2e`` in Dutch."""

    def __new__(cls, n: int) -> Ordinal:
        obj = Message.__new__(cls, ordinal(n, SOURCE_LANGUAGE))
        obj.n = n
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (Ordinal, (self.n,))

    def translated(self, lang: str) -> str:
        return ordinal(self.n, lang)


def ordinal(n: int, lang: str) -> str:
    """``2`` → ``2nd`` (English) or ``2e`` (Dutch)."""
    if lang == "nl":
        return f"{n}e"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _rebuild(template: str, params: dict[str, Any]) -> Message:
    return Message(template, **params)


def msg(template: str, /, **params: Any) -> Message:
    """A translatable message: ``template`` in English with ``{name}`` fields."""
    return Message(template, **params)


class Plural(Message):
    """A message whose words depend on a number (``1 error``, ``2 errors``): the form is
    chosen by the plural rule of the language's catalogue (``Plural-Forms``)."""

    singular: str
    plural: str
    count: int

    def __new__(cls, singular: str, plural: str, n: int, /, **params: Any) -> Plural:
        obj = Message.__new__(cls, singular if n == 1 else plural, n=n, **params)
        obj.singular, obj.plural, obj.count = singular, plural, n
        return obj  # type: ignore[return-value]

    def __reduce__(self) -> tuple[Any, ...]:
        params = {k: v for k, v in self.params.items() if k != "n"}
        return (_rebuild_plural, (self.singular, self.plural, self.count, params))

    def translated(self, lang: str) -> str:
        if lang == SOURCE_LANGUAGE:
            return str.__str__(self)
        forms, index = plural_catalogue(lang)
        choices = forms.get(self.singular)
        template = choices[min(index(self.count), len(choices) - 1)] if choices else \
            self.template
        params = {k: v.translated(lang) if isinstance(v, Message) else v
                  for k, v in self.params.items()}
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):
            return str.__str__(self)


def _rebuild_plural(singular: str, plural: str, n: int, params: dict[str, Any]) -> Plural:
    return Plural(singular, plural, n, **params)


def msg_n(singular: str, plural: str, n: int, /, **params: Any) -> Plural:
    """A translatable message in the form ``n`` needs; ``{n}`` is the number. In the
    catalogue it is one entry with ``msgid_plural`` and a ``msgstr[i]`` per form."""
    return Plural(singular, plural, n, **params)


@functools.cache
def plural_catalogue(lang: str) -> tuple[Mapping[str, tuple[str, ...]], Any]:
    """Singular template → translated forms for ``lang``, and the language's rule that
    picks a form for a number (from the catalogue's ``Plural-Forms`` header)."""
    from babel.messages.pofile import read_po

    path = catalogue_path(lang)
    if lang == SOURCE_LANGUAGE or not path.is_file():
        return {}, lambda n: int(n != 1)
    with path.open("rb") as fh:
        cat = read_po(fh, locale=lang, domain=DOMAIN)
    forms = {m.id[0]: tuple(m.string) for m in cat
             if isinstance(m.id, tuple) and not m.fuzzy and all(m.string)}
    return forms, gettext.c2py(cat.plural_expr)


def catalogue_path(lang: str) -> Any:
    """The ``.po`` file of ``lang`` inside the package (an importlib resource)."""
    return resources.files("casebook").joinpath("locale", lang, "LC_MESSAGES", f"{DOMAIN}.po")


@functools.cache
def catalogue(lang: str) -> Mapping[str, str]:
    """Template → translated template for ``lang``; empty for English.

    Untranslated and fuzzy entries are left out, so they show in English.
    """
    if lang == SOURCE_LANGUAGE:
        return {}
    from babel.messages.pofile import read_po

    path = catalogue_path(lang)
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        cat = read_po(fh, locale=lang, domain=DOMAIN)
    out: dict[str, str] = {}
    for m in cat:
        if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string \
                and not m.fuzzy:
            out[m.id] = m.string
    return out


def translate(text: Any, lang: str) -> str:
    """``text`` in ``lang``: a :class:`Message` is looked up in the catalogue
    (its values too, when they are messages); anything else is returned as text."""
    if isinstance(text, Message):
        return text.translated(lang)
    return str(text)


def _language_of(value: str) -> str | None:
    """``nl_BE.UTF-8`` → ``nl``; ``C``, ``POSIX`` and unknown languages → ``None``."""
    code = value.split(".", 1)[0].split("@", 1)[0].replace("-", "_").split("_", 1)[0].lower()
    return code if code in LANGUAGES else None


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The message language of the environment, as gettext looks for it.

    ``LANGUAGE`` (a colon-separated preference list) counts only when a locale
    is set, then the first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is
    set decides; English when none names a language Casebook speaks.
    """
    env = os.environ if environ is None else environ
    locale = next((env[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(k)), "")
    if locale and locale.split(".", 1)[0] not in ("C", "POSIX") and env.get("LANGUAGE"):
        for item in env["LANGUAGE"].split(":"):
            found = _language_of(item) if item else None
            if found:
                return found
    return _language_of(locale) or SOURCE_LANGUAGE


def resolve_language(requested: str | None = None,
                     environ: Mapping[str, str] | None = None) -> str:
    """``requested`` (``--lang``) when given, else the environment's language."""
    if requested:
        found = _language_of(requested)
        if found is None:
            raise ValueError(f"unknown language {requested!r}; use one of "
                             f"{', '.join(LANGUAGES)}")
        return found
    return language_from_environment(environ)
