"""The ``casebook`` command line."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from casebook import __version__
from casebook.commandline import (
    FINDINGS,
    OK,
    USAGE,
    error_line,
    find_root,
    message_language,
)
from casebook.content.diagnostics import Diagnostic
from casebook.i18n import LANGUAGES, msg, resolve_language, translate


def _add_root(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", type=Path, default=None,
                   help="knowledge base folder (default: the folder holding mkdocs.yml, "
                        "searched upwards from the current directory)")


def _validate(args: argparse.Namespace) -> int:
    # Imported here, not at the top, so that `casebook --help` and the other subcommands
    # start without loading the validator (speed, not a cycle: the layers allow both).
    from casebook.content.diagnostics import FORMATTERS, append_step_summary, count
    from casebook.preview.incremental import validate_paths

    lang = message_language(args)
    root = args.root.resolve() if args.root else find_root(Path.cwd())
    if not (root / "content").is_dir():
        print(error_line(msg("no content/ folder in {root}; pass --root", root=str(root)), lang),
              file=sys.stderr)
        return USAGE
    for p in args.paths:
        if not Path(p).exists():
            print(error_line(msg("{path}: no such file or folder", path=str(p)), lang),
                  file=sys.stderr)
            return USAGE
    diagnostics, files = validate_paths(root, args.paths)
    if args.format == "text" or args.format == "github":
        diagnostics = [_display(d, root) for d in diagnostics]
    sys.stdout.write(FORMATTERS[args.format](diagnostics, files, lang))
    if args.format == "github":
        append_step_summary(diagnostics, files, lang)
    errors, warnings = count(diagnostics)
    if errors or (args.strict and warnings):
        return FINDINGS
    return OK


def _display(d: Diagnostic, root: Path) -> Diagnostic:
    """Paths relative to the current directory when they lie below it."""
    from dataclasses import replace

    try:
        rel = (root / d.path).resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return d
    return replace(d, path=rel.as_posix())


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser: every subcommand, or (when ``argv`` names one) that one."""
    parser = argparse.ArgumentParser(
        prog="casebook",
        description="Casebook: validate and manage a knowledge base of public-sector "
                    "open innovation.",
    )
    parser.add_argument("--version", action="version", version=f"casebook {__version__}")
    parser.add_argument("--lang", dest="ui_lang", choices=LANGUAGES, default=None,
                        help="language of the messages: en or nl (default: from LC_ALL, "
                             "LC_MESSAGES or LANG, else en)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    p = sub.add_parser("validate", help="check cases and organisations against the content model",
                       description="Check cases and organisations. Without paths the whole "
                                   "knowledge base is checked; with paths only those files are "
                                   "reported on, with references resolved against the whole base.")
    p.add_argument("paths", nargs="*", type=Path, help="files or folders to report on")
    _add_root(p)
    p.add_argument("--format", choices=("text", "json", "github"), default="text",
                   help="output format (default: text)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
    p.add_argument("--lang", dest="ui_lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                   help="language of the messages: en or nl (default: from LC_ALL, "
                        "LC_MESSAGES or LANG, else en)")
    p.set_defaults(func=_validate)
    wanted = _command_in(argv)
    for name, module in SUBCOMMANDS.items():
        if wanted in (None, name):  # another command's module is not even imported
            importlib.import_module(module).add_subcommand(sub)
    return parser


#: The subcommands besides ``validate``: name → the module whose ``add_subcommand``
#: adds it (and its arguments) to the parser.
SUBCOMMANDS: dict[str, str] = {
    "new": "casebook.intake.scaffold",
    "guide": "casebook.intake.guide",
    "from-issue": "casebook.intake.fromissue",
    "export": "casebook.opendata.exports",
    "links": "casebook.checks.links",
    "review": "casebook.checks.review",
    "scan-html": "casebook.safety.htmlscan",
    "import": "casebook.intake.publiccode_cli",
}


def _command_in(argv: Sequence[str] | None) -> str | None:
    """The subcommand ``argv`` names (``None``: none, or help: every one is set up)."""
    args = list(sys.argv[1:] if argv is None else argv)
    for i, arg in enumerate(args):
        if arg in ("-h", "--help", "--version"):
            return None
        if arg.startswith("-") or (i and args[i - 1] == "--lang"):
            continue
        return arg if arg == "validate" or arg in SUBCOMMANDS else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; internal errors print one line and exit 2."""
    try:
        parser = build_parser(argv)
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:
            return int(exc.code) if isinstance(exc.code, int) else USAGE
        return int(args.func(args))
    except KeyboardInterrupt:
        print(translate(msg("casebook: interrupted"), resolve_language()), file=sys.stderr)
        return USAGE
    except BrokenPipeError:
        return USAGE
    except Exception as exc:  # one line, never a traceback
        message = " ".join(str(exc).split()) or translate(msg("no details"), resolve_language())
        print(translate(msg("casebook: internal error: {kind}: {message}",
                            kind=type(exc).__name__, message=message), resolve_language()),
              file=sys.stderr)
        return USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
