"""What every ``casebook`` subcommand shares: exit codes, finding the knowledge
base, the language of messages and the error line.

Bottom layer beside :mod:`casebook.i18n`: it imports nothing else of Casebook,
so a subcommand's module anywhere in the package can use it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from casebook.i18n import msg, resolve_language, translate

#: Exit codes of the contract.
OK, FINDINGS, USAGE = 0, 1, 2


def find_root(start: Path) -> Path:
    """The folder holding ``mkdocs.yml``, searching upwards; else ``start``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return start


def message_language(args: argparse.Namespace) -> str:
    """The language people read messages in: ``--lang``, else the environment's."""
    return resolve_language(getattr(args, "ui_lang", None))


def error_line(message: str, lang: str) -> str:
    """``casebook: error: ...`` (``casebook: fout: ...``) for standard error."""
    return translate(msg("casebook: error: {message}", message=message), lang)
