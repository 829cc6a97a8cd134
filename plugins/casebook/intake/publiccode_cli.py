"""The ``casebook import publiccode`` command: import files, or refresh imported cases."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from casebook.i18n import msg
from casebook.intake import publiccode
from casebook.intake import publiccode_refresh as refresh


def add_subcommand(subparsers: argparse._SubParsersAction) -> None:
    """Register ``casebook import publiccode``."""
    p = subparsers.add_parser(
        "import", help="import entries from other formats",
        description="Import entries from machine-readable descriptions.")
    kinds = p.add_subparsers(dest="format", metavar="publiccode")
    kinds.required = True
    pc = kinds.add_parser(
        "publiccode", help="repository cases from publiccode.yml files",
        description="Make one repository case per publiccode.yml file, with the software as "
                    "its building block, from the facts the file states. Files that do not "
                    "import or validate are refused and reported; the others are written. "
                    "With --refresh, read the files of imported cases again.")
    pc.add_argument("files", nargs="*", type=Path, metavar="FILE",
                    help="publiccode.yml files; with --refresh, ids of imported cases "
                         "(default: all of them)")
    pc.add_argument("--refresh", action="store_true",
                    help="read the source file of each imported case again from the URL it "
                         "cites and update the facts that come from it")
    pc.add_argument("--owner", metavar="ORG_ID",
                    help="the organisation that owns the software (an existing organisation "
                         "id), for a file that names no owner; a file's stated owner wins")
    pc.add_argument("--owner-role", metavar="ROLE", choices=("host", "partner", "funder",
                                                            "facilitator"),
                    help="when a file states another owner: record the --owner organisation "
                         "beside it in this role")
    pc.add_argument("--root", type=Path, default=None,
                    help="knowledge base folder (default: the folder holding mkdocs.yml)")
    pc.add_argument("--dry-run", action="store_true",
                    help="print the files that would be written; write nothing")
    pc.add_argument("--force", action="store_true", help="replace an existing case")
    pc.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    if args.refresh:
        return refresh.run(args)
    if not args.files:
        text = msg("name at least one publiccode.yml file, or pass --refresh")
        print(f"casebook: error: {text}", file=sys.stderr)
        return publiccode.USAGE
    return publiccode.run(args)
