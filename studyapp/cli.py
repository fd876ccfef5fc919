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
    _add_check_arguments(
        decks_sub.add_parser("check", help="validate deck files (same as 'check decks')")
    )
    check = sub.add_parser("check", help="validate content")
    check_sub = check.add_subparsers(dest="check_command", metavar="WHAT", required=True)
    _add_check_arguments(
        check_sub.add_parser("decks", help="validate deck files; non-zero exit on any error")
    )
    return parser


def _add_check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: bundled)")
    parser.add_argument(
        "--max-question",
        type=int,
        default=300,
        metavar="N",
        help="longest question allowed, in characters (default 300)",
    )


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


def _check_decks(paths: list[Path], max_question: int) -> int:
    from studyapp.core.deck_check import check_paths
    from studyapp.core.deck_sync import bundled_decks_dir

    report = check_paths(paths or [bundled_decks_dir()], max_question=max_question)
    for problem in report.problems:
        print(problem)
    print(
        f"{report.decks} decks, {report.cards} cards, {report.formulas} formulas, "
        f"{len(report.problems)} problems"
    )
    return 0 if report.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``studyapp`` console script and ``python -m studyapp``."""
    args = build_parser().parse_args(argv)
    from studyapp.core.paths import resolve_data_dir

    if args.command == "check" or getattr(args, "decks_command", None) == "check":
        return _check_decks(args.paths, args.max_question)
    if args.command == "decks":
        return _decks_list(resolve_data_dir(args.data_dir), args.json)
    from studyapp.ui.app import run_app

    return run_app(resolve_data_dir(args.data_dir), bench_first_paint=args.bench_first_paint)
