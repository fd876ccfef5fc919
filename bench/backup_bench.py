"""Backup benchmark on the review benchmark's collection (100,000 cards, 1,000,000 reviews).

Measures the start-up checks (the header/format check before opening and the every-page
``quick_check`` run right after the first paint), one backup (snapshot + gzip), the full check
of a backup before a restore, and a restore. Prints a human summary, then one JSON line last.

Usage: python bench/backup_bench.py [--cards 100000] [--logs 1000000]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from review_bench import build_collection  # noqa: E402

from studyapp.core.storage.backups import Backups, check_collection  # noqa: E402
from studyapp.core.storage.paths import DataPaths  # noqa: E402


def timed(fn):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    value = fn()
    return value, round(time.perf_counter() - t, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--logs", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        build_collection(data, args.cards, args.logs)
        path = DataPaths(data).collection
        backups = Backups(data)
        results: dict[str, float] = {"collection_mb": round(path.stat().st_size / 1e6, 1)}
        problem, results["check_before_open_s"] = timed(lambda: check_collection(path, pages=False))
        assert problem is None, problem
        problem, results["check_pages_s"] = timed(lambda: check_collection(path))
        assert problem is None, problem
        made, results["backup_s"] = timed(lambda: backups.create("manual"))
        results["backup_mb"] = round(made.stat().st_size / 1e6, 1)
        _, results["verify_backup_s"] = timed(lambda: backups.verify(made))
        _, results["restore_s"] = timed(lambda: backups.restore(made))
    for key, value in results.items():
        print(f"{key:22} {value:>10}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
