"""Sync benchmark: a new device replays a million reviews from a sync folder.

Three devices share 1,000,000 reviews of 20,000 cards made over two years. The bench writes them
as the devices would (a segment per sync, 500 answers each), then measures:

(a) a new device reading and replaying the folder as written (segments only, never compacted),
(b) each device compacting its own files into a snapshot, and
(c) a new device reading and replaying the compacted folder (a snapshot per device plus three
    segments each written since), which is what a joining device normally meets.

For each: seconds and the folder's size on disk. Target (issue 17): (c) within 30 s on the
project's 2-core machine. Prints a human summary, then one JSON line last.

Usage: python bench/sync_bench.py [--reviews 1000000] [--items 20000] [--skip-segments]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studyapp.core.sync import (  # noqa: E402
    DeviceLog,
    EventSet,
    Review,
    Schedule,
    read_folder,
    replay,
)
from studyapp.core.sync.eventset import REVIEW_COLUMNS  # noqa: E402

DEVICES = ("laptop-3f2a9c01", "desktop-77b0e412", "travel-c4d1a9e7")
START_MS = 1_704_067_200_000  # 2024-01-01
DAY_MS = 86_400_000
PER_SEGMENT = 500


def make_reviews(n: int, items: int, seed: int = 1) -> EventSet:
    """``n`` reviews spread over two years and three devices, with the before/after states a
    real device would have recorded (taken from a first replay)."""
    rng = np.random.default_rng(seed)
    ms = np.sort(START_MS + rng.integers(0, 730 * DAY_MS, n))
    dev = rng.integers(0, len(DEVICES), n)
    seq = np.zeros(n, dtype=np.int64)
    for d in range(len(DEVICES)):
        mask = dev == d
        seq[mask] = np.arange(1, mask.sum() + 1)
    grade = rng.choice([1, 2, 3, 4, 4, 4, 5, 5], n)
    cols = {name: np.zeros(n, dtype=np.int64) for name in REVIEW_COLUMNS}
    cols.update(
        dev=dev, n=seq, h=ms, i=rng.integers(0, items, n), q=grade, a=ms,
        sd=738_886 + (ms - START_MS) // DAY_MS, s=rng.uniform(1, 30, n).round(1),
        k=(rng.random(n) < 0.05).astype(np.int64),
    )  # fmt: skip
    cols["b3"][:] = cols["b4"][:] = cols["f3"][:] = cols["f4"][:] = -1
    names = [f"card:ml-{k % 7}-concept-{k:05d}" for k in range(items)]
    first = EventSet()
    first.add_review_columns(DEVICES, names, cols)
    log = replay(first).review_log  # the states each answer saw and wrote
    events = EventSet()
    events.add_review_columns(log.devices, log.items, log.columns)
    return events


def write_segments(events: EventSet, sync: Path) -> None:
    """Each device writes its reviews in order, a segment per 500 (a sync every few minutes)."""
    per_device: dict[str, list] = {d: [] for d in DEVICES}
    for review in events.reviews():
        per_device[review.device].append(review)
    for device, reviews in per_device.items():
        reviews.sort(key=lambda r: r.seq)
        log = DeviceLog(sync, device)
        for start in range(0, len(reviews), PER_SEGMENT):
            log.write_segment(reviews[start : start + PER_SEGMENT])


def write_recent(sync: Path) -> None:
    """After compaction each device syncs a few more times (segments beside the snapshot)."""
    for device in DEVICES:
        log = DeviceLog(sync, device)
        _, last = log.last_written()
        ms = START_MS + 731 * DAY_MS
        reviews = [
            Review(device, last + j, ms + j, 0, f"card:ml-{j % 7}-concept-{j:05d}", 4, ms + j,
                   739_617, 5.0, "review", Schedule(), Schedule(1, 250, 1, 739_618, None))
            for j in range(1, 3 * PER_SEGMENT + 1)
        ]  # fmt: skip
        for start in range(0, len(reviews), PER_SEGMENT):
            log.write_segment(reviews[start : start + PER_SEGMENT])


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def new_device(sync: Path) -> tuple[float, float, float, int, str]:
    """Read + replay as a device joining now: (read s, replay s, CPU s of both, reviews,
    fingerprint). CPU time is printed too: on a shared machine wall time includes waiting."""
    c0, t0 = time.process_time(), time.perf_counter()
    read = read_folder(sync)
    t1 = time.perf_counter()
    result = replay(read.events)
    t2, c2 = time.perf_counter(), time.process_time()
    assert not read.problems, read.problems
    return t1 - t0, t2 - t1, c2 - c0, len(result.review_log), result.fingerprint()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--skip-segments", action="store_true",
                        help="skip (a): build the compacted folder directly")  # fmt: skip
    args = parser.parse_args()
    out: dict[str, object] = {"reviews": args.reviews, "items": args.items}
    with tempfile.TemporaryDirectory() as tmp:
        sync = Path(tmp) / "sync"
        t0 = time.perf_counter()
        events = make_reviews(args.reviews, args.items)
        print(f"generated {args.reviews:,} reviews in {time.perf_counter() - t0:.1f} s")
        if not args.skip_segments:
            t0 = time.perf_counter()
            write_segments(events, sync)
            print(f"wrote segments in {time.perf_counter() - t0:.1f} s")
            out["segments_mb"] = round(folder_bytes(sync) / 1e6, 1)
            read_s, replay_s, cpu_s, n, print_a = new_device(sync)
            out.update(segments_read_s=round(read_s, 2), segments_replay_s=round(replay_s, 2),
                       segments_cpu_s=round(cpu_s, 2))  # fmt: skip
            print(f"(a) segments only: {out['segments_mb']} MB; new device reads "
                  f"{read_s:.1f} s + replays {replay_s:.1f} s (CPU {cpu_s:.1f} s) "
                  f"for {n:,} reviews")  # fmt: skip
        t0 = time.perf_counter()
        for device in DEVICES:
            log = DeviceLog(sync, device)
            if args.skip_segments:  # one segment holding everything, then compact it
                mine = events.of_devices([device])
                log.write_segment(sorted(mine.reviews(), key=lambda r: r.seq))
            log.compact(min_files=1)
        out["compact_s"] = round(time.perf_counter() - t0, 2)
        out["snapshot_mb"] = round(folder_bytes(sync) / 1e6, 1)
        print(f"(b) compaction of all three devices: {out['compact_s']} s, "
              f"folder now {out['snapshot_mb']} MB")  # fmt: skip
        if not args.skip_segments:
            print_c = new_device(sync)[-1]
            assert print_c == print_a, "the snapshot changed the state"
        write_recent(sync)
        read_s, replay_s, cpu_s, n, _ = new_device(sync)
        out.update(snapshot_read_s=round(read_s, 2), snapshot_replay_s=round(replay_s, 2))
        out.update(new_device_s=round(read_s + replay_s, 2), new_device_cpu_s=round(cpu_s, 2))
        print(f"(c) compacted: new device reads {read_s:.1f} s + replays {replay_s:.1f} s "
              f"= {read_s + replay_s:.1f} s (CPU {cpu_s:.1f} s) for {n:,} reviews "
              "(target 30 s)")  # fmt: skip
        out["load_average"] = round(os.getloadavg()[0], 1)
        print(f"load average while measuring: {out['load_average']} on {os.cpu_count()} cores")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
