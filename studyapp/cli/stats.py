"""``studyapp stats --png FILE``: the statistics overview as an image, headless."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from studyapp.cli.common import CommandFailed, data_dir, open_collection

__all__ = ["add_parsers"]


def add_parsers(sub: Any) -> None:
    stats = sub.add_parser("stats", help="render the statistics overview to a PNG file")
    stats.add_argument("--png", type=Path, metavar="FILE", required=True, help="the image to write")
    stats.add_argument(
        "--days", type=int, choices=(30, 90, 365), default=30, help="the range (default 30)"
    )
    stats.set_defaults(handler=_stats_png)


def _stats_png(args: argparse.Namespace) -> int:
    from studyapp.core.stats.plots import render_overview
    from studyapp.core.stats.queries import collect_statistics

    # Only reads: works while the window has the folder open. A lost or damaged file is
    # refused here, naming the newest good backup.
    with open_collection(data_dir(args), "stats", "read") as col:
        stats = collect_statistics(col, args.days)
    try:
        render_overview(stats, args.png)
    except OSError as exc:
        raise CommandFailed(f"cannot write {args.png}: {exc.strerror or exc}") from exc
    print(f"{args.png}: {stats.reviews_in_range} reviews in the last {args.days} days")
    return 0
