"""``studyapp import`` and ``studyapp export``: files in and out of the collection, headless.

Kept apart from :mod:`studyapp.cli` so that the import/export commands (and their lazy imports
of the readers and writers) live next to each other.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studyapp.core.collection import Collection

__all__ = ["add_parsers", "run"]


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``import`` and ``export`` commands to the main parser's sub-commands."""
    imp = sub.add_parser("import", help="import an Anki package (.apkg, .colpkg) or a CSV/TSV file")
    imp.add_argument("path", type=Path, help="the file to import")
    imp.add_argument(
        "--deck", metavar="TITLE", help="deck for CSV/TSV cards (default: the file's name)"
    )
    exp = sub.add_parser("export", help="export a deck (.apkg or .md) or the whole collection")
    exp_sub = exp.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    deck = exp_sub.add_parser("deck", help="one deck, as an Anki package or a Markdown deck")
    deck.add_argument("deck_key", metavar="DECK_KEY", help="the deck's key ('decks list --json')")
    deck.add_argument(
        "--to", dest="dest", type=Path, required=True, metavar="FILE", help="FILE.apkg or FILE.md"
    )
    whole = exp_sub.add_parser("collection", help="everything, progress included, as one backup")
    whole.add_argument("dest", type=Path, metavar="FILE", help="e.g. study.studyapp-backup")


def run(args: argparse.Namespace, data_dir: Path) -> int:
    """Run ``import`` or ``export``; 0 on success, 1 when the file or deck is refused."""
    if args.command == "import":
        return _import(data_dir, args.path, args.deck)
    if args.export_command == "collection":
        return _export_collection(data_dir, args.dest)
    return _export_deck(data_dir, args.deck_key, args.dest)


def _open(data_dir: Path, *, write: bool) -> Collection | None:
    """The collection, synced with the deck files when this process holds the folder.

    An import writes, so it needs the folder to itself; an export can read while the app runs.
    """
    from studyapp.core.collection import Collection
    from studyapp.core.deck_sync import bundled_decks_dir, sync_deck_folders
    from studyapp.core.errors import AlreadyRunningError
    from studyapp.core.paths import DataPaths

    try:
        purpose = "'studyapp import'" if write else "'studyapp export'"
        collection = Collection.open(data_dir, purpose=purpose)
    except AlreadyRunningError as exc:
        if write:
            # The message says what holds the folder: the window (close it) or another
            # import (wait for it).
            print(f"studyapp: {exc}", file=sys.stderr)
            return None
        return Collection.open(data_dir, lock=False)
    try:
        report = sync_deck_folders(
            collection, [bundled_decks_dir(), DataPaths(data_dir).user_decks]
        )
    except BaseException:
        collection.close()
        raise
    for problem in report.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return collection


def _import(data_dir: Path, path: Path, deck: str | None) -> int:
    from studyapp.core.import_model import ImportFailed
    from studyapp.core.importing import import_package, read_import_file
    from studyapp.core.paths import DataPaths, is_live_collection_file

    if is_live_collection_file(path, DataPaths(data_dir).collection):
        print(
            f"studyapp: {path} is the collection itself (or its WAL); nothing was imported",
            file=sys.stderr,
        )
        return 1
    try:
        package = read_import_file(path, deck=deck)
    except ImportFailed as exc:
        print(f"studyapp: {exc}", file=sys.stderr)
        return 1
    collection = _open(data_dir, write=True)
    if collection is None:
        return 2
    try:
        summary = import_package(collection, package)
    except ImportFailed as exc:
        print(f"studyapp: {exc}", file=sys.stderr)
        return 1
    finally:
        collection.close()
    print(f"Imported {path}: {summary.describe()}")
    for title in summary.decks:
        print(f"  deck: {title}")
    for warning in summary.warnings:
        print(f"warning: {warning}")
    return 0


def _export_deck(data_dir: Path, deck_key: str, dest: Path) -> int:
    from studyapp.core.exporting import ExportFailed, export_deck

    collection = _open(data_dir, write=False)
    if collection is None:
        return 2
    try:
        summary = export_deck(collection, deck_key, dest)
    except (ExportFailed, OSError) as exc:
        print(f"studyapp: {exc}", file=sys.stderr)
        return 1
    finally:
        collection.close()
    print(f"Exported {summary.cards} card(s) and {summary.media} media file(s) to {dest}")
    for warning in summary.warnings:
        print(f"warning: {warning}")
    return 0


def _export_collection(data_dir: Path, dest: Path) -> int:
    import sqlite3

    from studyapp.core.backups import BackupError
    from studyapp.core.exporting import ExportFailed, export_collection
    from studyapp.core.paths import DataPaths

    try:
        written = export_collection(DataPaths(data_dir).collection, dest)
    except (ExportFailed, BackupError, FileNotFoundError, sqlite3.DatabaseError) as exc:
        print(f"studyapp: {exc}", file=sys.stderr)
        return 1
    print(f"Exported the collection to {written}")
    return 0
