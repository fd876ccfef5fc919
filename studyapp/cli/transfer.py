"""``studyapp import`` and ``studyapp export``: files in and out of the collection, headless."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from studyapp.cli.common import CommandFailed, data_dir, open_collection

__all__ = ["add_parsers"]


def add_parsers(sub: Any) -> None:
    """Add the ``import`` and ``export`` commands to the main parser's sub-commands."""
    imp = sub.add_parser("import", help="import an Anki package (.apkg, .colpkg) or a CSV/TSV file")
    imp.add_argument("path", type=Path, help="the file to import")
    imp.add_argument(
        "--deck", metavar="TITLE", help="deck for CSV/TSV cards (default: the file's name)"
    )
    imp.set_defaults(handler=_import)
    exp = sub.add_parser("export", help="export a deck (.apkg or .md) or the whole collection")
    exp_sub = exp.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    deck = exp_sub.add_parser("deck", help="one deck, as an Anki package or a Markdown deck")
    deck.add_argument("deck_key", metavar="DECK_KEY", help="the deck's key ('decks list --json')")
    deck.add_argument(
        "--to", dest="dest", type=Path, required=True, metavar="FILE", help="FILE.apkg or FILE.md"
    )
    deck.set_defaults(handler=_export_deck)
    whole = exp_sub.add_parser("collection", help="everything, progress included, as one backup")
    whole.add_argument("dest", type=Path, metavar="FILE", help="e.g. study.studyapp-backup")
    whole.set_defaults(handler=_export_collection)


def _import(args: argparse.Namespace) -> int:
    from studyapp.core.storage.paths import DataPaths, is_live_collection_file
    from studyapp.core.transfer.import_model import ImportFailed
    from studyapp.core.transfer.importing import import_package, read_import_file

    folder, path = data_dir(args), args.path
    if is_live_collection_file(path, DataPaths(folder).collection):
        raise CommandFailed(
            f"{path} is the collection itself (or its WAL); nothing was imported", status=1
        )
    try:
        package = read_import_file(path, deck=args.deck)
        # An import writes, so it needs the folder to itself.
        with open_collection(folder, "import", "exclusive", sync_decks=True) as collection:
            summary = import_package(collection, package)
    except ImportFailed as exc:
        raise CommandFailed(str(exc), status=1) from exc
    print(f"Imported {path}: {summary.describe()}")
    for title in summary.decks:
        print(f"  deck: {title}")
    for warning in summary.warnings:
        print(f"warning: {warning}")
    return 0


def _export_deck(args: argparse.Namespace) -> int:
    from studyapp.core.transfer.exporting import ExportFailed, export_deck

    # An export only reads, so it works beside the window.
    with open_collection(data_dir(args), "export", "shared", sync_decks=True) as collection:
        try:
            summary = export_deck(collection, args.deck_key, args.dest)
        except (ExportFailed, OSError) as exc:
            raise CommandFailed(str(exc), status=1) from exc
    print(f"Exported {summary.cards} card(s) and {summary.media} media file(s) to {args.dest}")
    for warning in summary.warnings:
        print(f"warning: {warning}")
    return 0


def _export_collection(args: argparse.Namespace) -> int:
    import sqlite3

    from studyapp.core.storage.backups import BackupError
    from studyapp.core.storage.paths import DataPaths
    from studyapp.core.transfer.exporting import ExportFailed, export_collection

    try:
        written = export_collection(DataPaths(data_dir(args)).collection, args.dest)
    except (ExportFailed, BackupError, FileNotFoundError, sqlite3.DatabaseError) as exc:
        raise CommandFailed(str(exc), status=1) from exc
    print(f"Exported the collection to {written}")
    return 0
