"""The command line: ``studyapp`` opens the window; sub-commands script the collection headless.

Why argparse and lazy imports: ``studyapp --version`` and ``studyapp decks list`` must not pay for
Qt, and the window must not pay for anything it does not show first.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from studyapp import __version__

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studyapp",
        description="Offline study app for ML interviews: SM-2 flashcards in one window.",
    )
    parser.add_argument("--version", action="version", version=f"StudyApp {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="PATH",
        help="use the collection in PATH (default: $STUDYAPP_DATA_DIR, else the user data folder)",
    )
    parser.add_argument("--bench-first-paint", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    decks = sub.add_parser("decks", help="list or check decks")
    decks_sub = decks.add_subparsers(dest="decks_command", metavar="ACTION", required=True)
    listing = decks_sub.add_parser("list", help="each deck with its card, due and new counts")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    check = decks_sub.add_parser("check", help="validate deck files; non-zero exit on any error")
    check.add_argument("paths", nargs="*", type=Path, help="files or folders (default: bundled)")
    return parser


def _decks_list(data_dir: Path, as_json: bool) -> int:
    from studyapp.core.collection import Collection
    from studyapp.core.deck_sync import sync_deck_folders
    from studyapp.core.errors import AlreadyRunningError, CollectionError
    from studyapp.core.paths import DataPaths

    paths = DataPaths(data_dir)
    try:
        try:
            col = Collection.open(data_dir)
            synced = True
        except AlreadyRunningError:
            # The window has the folder: read what it has written, without syncing.
            col = Collection.open(data_dir, lock=False)
            synced = False
    except CollectionError as exc:
        print(f"studyapp: {exc}", file=sys.stderr)
        return 2
    try:
        if synced:
            from studyapp.core.deck_sync import bundled_decks_dir

            report = sync_deck_folders(col, [bundled_decks_dir(), paths.user_decks])
            for problem in report.problems:
                print(f"warning: {problem}", file=sys.stderr)
        decks = col.decks()
    finally:
        col.close()
    if as_json:
        for d in decks:
            print(
                json.dumps(
                    {
                        "name": d.name,
                        "key": d.key,
                        "cards": d.cards,
                        "due": d.due,
                        "new": d.new,
                        "enabled": d.enabled,
                    },
                    ensure_ascii=False,
                )
            )
    else:
        width = max((len(d.name) for d in decks), default=4)
        print(f"{'Deck':<{width}}  {'Cards':>6} {'Due':>6} {'New':>6}")
        for d in decks:
            off = "" if d.enabled else "  (disabled)"
            print(f"{d.name:<{width}}  {d.cards:>6} {d.due:>6} {d.new:>6}{off}")
    return 0


def _decks_check(paths: list[Path]) -> int:
    from studyapp.core.deck_format import load_decks
    from studyapp.core.deck_sync import bundled_decks_dir

    folders = [p for p in paths if p.is_dir()] or ([] if paths else [bundled_decks_dir()])
    load = load_decks(folders)
    files = [p for p in paths if not p.is_dir()]
    if files:
        from studyapp.core.deck_format import parse_deck

        for path in files:
            deck, problems = parse_deck(path)
            load.problems.extend(problems)
            if deck is not None:
                load.decks.append(deck)
    for problem in load.problems:
        print(problem)
    cards = sum(len(d.cards) for d in load.decks)
    print(f"{len(load.decks)} decks, {cards} cards, {len(load.problems)} problems")
    return 1 if load.problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``studyapp`` console script and ``python -m studyapp``."""
    args = build_parser().parse_args(argv)
    from studyapp.core.paths import resolve_data_dir

    if args.command == "decks":
        if args.decks_command == "check":
            return _decks_check(args.paths)
        return _decks_list(resolve_data_dir(args.data_dir), args.json)
    from studyapp.ui.app import run_app

    return run_app(resolve_data_dir(args.data_dir), bench_first_paint=args.bench_first_paint)
