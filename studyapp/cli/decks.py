"""``studyapp decks list`` and ``studyapp check decks`` (also ``decks check``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from studyapp.cli.common import data_dir, open_collection

__all__ = ["add_parsers"]


def add_parsers(sub: Any) -> None:
    """Add ``decks`` and ``check`` to the main parser's sub-commands."""
    decks = sub.add_parser("decks", help="list or check decks")
    decks_sub = decks.add_subparsers(dest="decks_command", metavar="ACTION", required=True)
    listing = decks_sub.add_parser("list", help="each deck with its card, due and new counts")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(handler=_decks_list)
    _add_check_arguments(
        decks_sub.add_parser("check", help="validate deck files (same as 'check decks')")
    )
    check = sub.add_parser("check", help="validate content")
    check_sub = check.add_subparsers(dest="check_command", metavar="WHAT", required=True)
    _add_check_arguments(
        check_sub.add_parser("decks", help="validate deck files; non-zero exit on any error")
    )


def _add_check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: bundled)")
    parser.add_argument(
        "--max-question",
        type=int,
        default=300,
        metavar="N",
        help="longest question allowed, in characters (default 300)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="fail on warnings (near-duplicate cards) too"
    )
    parser.set_defaults(handler=_check_decks)


def _decks_list(args: argparse.Namespace) -> int:
    # When the window has the folder, this reads what it has written, without syncing.
    with open_collection(data_dir(args), "decks list", "shared", sync_decks=True) as col:
        decks = col.decks()
    if args.json:
        for d in decks:
            row = {"name": d.name, "key": d.key, "cards": d.cards, "due": d.due, "new": d.new}
            print(json.dumps({**row, "enabled": d.enabled}, ensure_ascii=False))
        return 0
    width = max((len(d.name) for d in decks), default=4)
    print(f"{'Deck':<{width}}  {'Cards':>6} {'Due':>6} {'New':>6}")
    for d in decks:
        off = "" if d.enabled else "  (disabled)"
        print(f"{d.name:<{width}}  {d.cards:>6} {d.due:>6} {d.new:>6}{off}")
    return 0


def _check_decks(args: argparse.Namespace) -> int:
    from studyapp.core.decks.check import check_paths
    from studyapp.resources import bundled

    report = check_paths(args.paths or [bundled("decks")], max_question=args.max_question)
    for problem in [*report.problems, *report.warnings]:
        print(problem)
    print(
        f"{report.decks} decks, {report.cards} cards, {report.formulas} formulas, "
        f"{len(report.problems)} problems, {len(report.warnings)} warnings"
    )
    return 0 if report.ok and not (args.strict and report.warnings) else 1
