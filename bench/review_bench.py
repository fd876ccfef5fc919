"""Review-loop benchmark: a 100,000-card collection with 1,000,000 review-log rows.

Measures (a) open -> first card, (b) answer + fetch of the next card over 1,000 answers (median
and p99), (c) process start -> first card painted in the real window (offscreen), and (d) the
app's peak RSS. Prints a human summary, then one JSON line last.

Usage: python bench/review_bench.py [--cards 100000] [--logs 1000000] [--answers 1000]
       [--anki-python /tmp/ankienv/bin/python]  (Anki's figures in the same run; see
       bench/anki_baseline.py)
       [--synchronous-both]  (the answer loop also with synchronous=NORMAL and the window's
       deferred fsync, each on a copy of the same collection: keys ending in ``_normal`` and
       ``_window``; the plain keys are FULL, every commit fsynced before it returns)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studyapp.core.collection import Collection  # noqa: E402
from studyapp.core.rendering.math_render import MathRenderer  # noqa: E402
from studyapp.core.rendering.render import Renderer  # noqa: E402
from studyapp.core.scheduling.review_session import ReviewSession  # noqa: E402

CARD_FRONT = (
    "What does **softmax** do to logits $z$, and why subtract the max? (card {i})\n\n"
    "```python\nimport numpy as np\n\ndef softmax(z):\n    z = z - z.max(-1, keepdims=True)\n"
    "    e = np.exp(z)\n    return e / e.sum(-1, keepdims=True)\n```"
)
CARD_BACK = "It maps logits to probabilities; subtracting the max avoids overflow. Карточка {i}."


def build_collection(data_dir: Path, cards: int, logs: int) -> None:
    """Write the synthetic collection directly (setup is not what is measured)."""
    rng = random.Random(7)
    col = Collection.open(data_dir)
    try:
        today = col.today()
        with col.db.transaction() as conn:
            conn.execute(
                "INSERT INTO deck(key, title, description, tags, language, titles_json, "
                "source_path, enabled, retired) VALUES ('bench', 'Bench', '', '', 'en', '{}', "
                "'', 1, 0)"
            )
            conn.executemany(
                "INSERT INTO item(kind, key, deck_id, position, front, back, texts_json, tags, "
                "source, content_hash, repetitions, ef_hundredths, interval, due_day, suspended, "
                "retired, added_ms) VALUES ('card', ?, 1, ?, ?, ?, '{}', '', '', '', ?, ?, ?, ?, "
                "0, 0, 0)",
                (
                    (
                        f"bench-{i}",
                        i,
                        CARD_FRONT.format(i=i),
                        CARD_BACK.format(i=i),
                        rng.randint(1, 8),
                        rng.randrange(130, 300, 2),
                        rng.randint(1, 60),
                        today - rng.randint(0, 29),
                    )
                    for i in range(cards)
                ),
            )
            conn.executemany(
                "INSERT INTO review_log(item_id, reviewed_ms, study_day, quality, kind, seconds, "
                "reps_before, ef_before, interval_before, due_before, redrill_before, reps_after, "
                "ef_after, interval_after, due_after, redrill_after) "
                "VALUES (?, ?, ?, ?, 'review', 4.0, 1, 250, 1, ?, NULL, 2, 250, 6, ?, NULL)",
                (
                    (
                        rng.randint(1, cards),
                        1_700_000_000_000 + n * 1000,
                        today - 400 + n * 400 // logs,
                        rng.randint(3, 5),
                        today - 400 + n * 400 // logs,
                        today - 394 + n * 400 // logs,
                    )
                    for n in range(logs)
                ),
            )
        col.update_settings(reviews_per_day=100_000, new_per_day=0)
    finally:
        col.close()


def measure_core(data_dir: Path, answers: int, synchronous: str = "") -> dict[str, float]:
    """(a) and (b), in this process (imports already done, as in the app). ``synchronous``
    overrides the collection's setting (e.g. NORMAL, to compare with the app's FULL)."""
    t0 = time.perf_counter()
    col = Collection.open(data_dir)
    if synchronous == "DEFERRED":  # the window: the fsync runs after the result is shown
        col.db.defer_fsync()
    elif synchronous:
        col.db.conn.execute(f"PRAGMA synchronous={synchronous}")
    card = col.next_card()
    open_first = time.perf_counter() - t0
    assert card is not None
    times = []
    grades = [5, 4, 3, 5, 4, 2, 5, 4, 5, 1]
    rendered = []
    try:
        for n in range(answers):
            t = time.perf_counter()
            col.answer(card, grades[n % len(grades)], seconds=3.0)
            card = col.next_card()
            times.append(time.perf_counter() - t)
            col.db.sync()  # deferred mode: the worker's fsync, off the timed (GUI-visible) path
            assert card is not None
        # The app's real path: answer, next card, and both sides rendered to HTML.
        session = ReviewSession(col, Renderer(MathRenderer(data_dir / "cache" / "math")))
        screen = session.screen()
        for n in range(200):
            t = time.perf_counter()
            assert screen.card is not None
            screen = session.answer(screen.card, grades[n % len(grades)], 3.0)
            rendered.append(time.perf_counter() - t)
            col.db.sync()
    finally:
        col.close()
    times.sort()
    return {
        "answer_render_median_ms": round(statistics.median(rendered) * 1000, 3),
        "open_first_card_s": round(open_first, 4),
        "answer_median_ms": round(statistics.median(times) * 1000, 3),
        "answer_p99_ms": round(times[int(len(times) * 0.99) - 1] * 1000, 3),
    }


def measure_window(data_dir: Path) -> dict[str, float]:
    """(c) and (d): launch the real app offscreen; it reports when the first card is painted."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.time()
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "studyapp", "--data-dir", str(data_dir), "--bench-first-paint"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"the app failed:\n{out.stdout}\n{out.stderr}")
    report = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "start_to_paint_s": round(report["painted_at"] - started, 4),
        "start_to_paint_wall_s": round(wall, 4),
        "peak_rss_mb": round(report["peak_rss_mb"], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--logs", type=int, default=1_000_000)
    parser.add_argument("--answers", type=int, default=1_000)
    parser.add_argument("--skip-window", action="store_true")
    parser.add_argument(
        "--synchronous-both",
        action="store_true",
        help="also time the answers with synchronous=NORMAL (keys ending in _normal)",
    )
    parser.add_argument(
        "--anki-python",
        metavar="PYTHON",
        help="a Python with the `anki` package: also run bench/anki_baseline.py, side by side",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        t = time.perf_counter()
        build_collection(data, args.cards, args.logs)
        print(f"built {args.cards} cards / {args.logs} log rows in {time.perf_counter() - t:.1f} s")
        results: dict[str, float] = {}
        if not args.skip_window:
            # The first start renders and caches the card's formula (matplotlib is imported);
            # every later start reads the cache. Report both; the target is the daily start.
            cold = measure_window(data)
            results["start_to_paint_cold_s"] = cold["start_to_paint_s"]
            results["peak_rss_cold_mb"] = cold["peak_rss_mb"]
            results.update(measure_window(data))
        if args.synchronous_both:  # the same collection, copied: NORMAL, and the window's way
            for mode, tag in (("NORMAL", "normal"), ("DEFERRED", "window")):
                copy = Path(tmp) / tag
                shutil.copytree(data, copy)
                figures = measure_core(copy, args.answers, synchronous=mode)
                shutil.rmtree(copy)
                results.update({f"{k}_{tag}": v for k, v in figures.items() if "answer" in k})
        results.update(measure_core(data, args.answers))
    if args.anki_python:
        out = subprocess.run(
            [
                args.anki_python,
                str(ROOT / "bench" / "anki_baseline.py"),
                "--cards",
                str(args.cards),
                "--answers",
                str(args.answers),
            ],
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if out.returncode != 0:
            raise SystemExit(f"the Anki baseline failed:\n{out.stderr}")
        results.update(json.loads(out.stdout.strip().splitlines()[-1]))
    targets = {
        "open_first_card_s": 0.35,
        "answer_median_ms": 1.0,
        "answer_p99_ms": 5.0,
        "start_to_paint_s": 1.0,
        "peak_rss_mb": 200,
    }
    for key, value in results.items():
        target = targets.get(key)
        print(f"{key:24} {value:>10}" + (f"   (target <= {target})" if target else ""))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
