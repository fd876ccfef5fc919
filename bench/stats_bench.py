"""Statistics-page benchmark: 100,000 items, 1,000,000 review-log rows and drill attempts.

Measures (a) the aggregations in core (``collect_statistics``) for each range, and (b) opening
the Statistics page in the real window (offscreen, 1100 x 760), the aggregations on the worker
thread, at the page's default 30-day range: until the page is open with every chart in view
painted (``stats_open_s``, the target: what the learner sees when the page opens), and until all
nine charts are drawn (``stats_all_charts_s``: the five below the fold are drawn when scrolled
to, here as if scrolled to at once). The first open of a process also imports matplotlib; it is
reported apart (``stats_first_open_s``). Switching to 90 days and to a year is timed until every
chart is drawn. The page keeps its charts while the statistics are equal, so the repeated opens
draw nothing new; ``stats_redraw_all_s`` draws all nine from statistics that differ (what an open
after studying adds to the aggregation). Prints a summary, then one JSON line last.

Usage: python bench/stats_bench.py [--items 100000] [--logs 1000000] [--repeat 5]
       [--data-dir PATH]  (build there once, reuse on later runs)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from studyapp.core.collection import Collection  # noqa: E402
from studyapp.core.stats.queries import RANGES, collect_statistics  # noqa: E402

#: A card of realistic size: item scans read the whole row.
CARD_FRONT = (
    "What does **softmax** do to logits $z$, and why subtract the max? (card {i})\n\n"
    "```python\ndef softmax(z):\n    z = z - z.max(-1, keepdims=True)\n    e = np.exp(z)\n"
    "    return e / e.sum(-1, keepdims=True)\n```"
)
#: How far back the synthetic log goes: two years of study.
HISTORY_DAYS = 730
TRACKS = ("algorithms", "attention", "numpy-ml", "torch")
DRILL_ITEM_SQL = (
    "INSERT INTO item(kind, key, deck_id, position, front, back, texts_json, tags, source, "
    "content_hash, repetitions, ef_hundredths, interval, suspended, retired, added_ms) "
    "VALUES ('drill', ?, ?, ?, '', '', '{}', '', '', '', 0, 250, 0, 0, 0, 0)"
)


def build_collection(data_dir: Path, items: int, logs: int) -> None:
    """Write the synthetic collection directly (setup is not what is measured)."""
    rng = random.Random(11)
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
                "retired, added_ms) VALUES ('card', ?, 1, ?, ?, '', '{}', '', '', '', ?, ?, ?, ?, "
                "0, ?, 0)",
                (
                    (
                        f"bench-{i}",
                        i,
                        CARD_FRONT.format(i=i),
                        rng.randint(1, 12),
                        rng.randrange(130, 320),
                        interval := int(rng.lognormvariate(2.5, 1.2)) + 1,
                        today - rng.randint(-interval, 10) if i % 10 else None,
                        int(i % 97 == 0),
                    )
                    for i in range(items)
                ),
            )
            drill_ids = []
            for track in TRACKS:
                deck_id = conn.execute(
                    "INSERT INTO deck(key, title, description, tags, language, titles_json, "
                    "source_path, enabled, retired) VALUES (?, ?, '', 'drill', 'en', '{}', '', "
                    "1, 0)",
                    (f"drills-{track}", track),
                ).lastrowid
                for n in range(15):
                    drill_ids.append(
                        conn.execute(
                            DRILL_ITEM_SQL,
                            (f"{track}/d{n}", deck_id, n),
                        ).lastrowid
                    )
            conn.executemany(
                "INSERT INTO drill_attempt(item_id, started_ms, study_day, code, outcome, message, "
                "duration_s, device, tests_passed, tests_total, kind) "
                "VALUES (?, ?, ?, '', ?, '', 0.5, 'cpu', 0, 5, 'run')",
                (
                    (
                        rng.choice(drill_ids),
                        1_700_000_000_000 + n * 60_000,
                        today - HISTORY_DAYS + n * HISTORY_DAYS // 20_000,
                        "passed" if rng.random() < 0.6 else "failed",
                    )
                    for n in range(20_000)
                ),
            )
            conn.executemany(
                "INSERT INTO review_log(item_id, reviewed_ms, study_day, quality, kind, seconds, "
                "reps_before, ef_before, interval_before, due_before, redrill_before, reps_after, "
                "ef_after, interval_after, due_after, redrill_after) "
                "VALUES (?, ?, ?, ?, ?, ?, 1, 250, ?, ?, NULL, 2, 250, 6, ?, NULL)",
                _log_rows(rng, items, logs, today),
            )
        col.update_settings(reviews_per_day=100_000, new_per_day=0)
    finally:
        col.close()


def _log_rows(rng: random.Random, items: int, logs: int, today: int):  # type: ignore[no-untyped-def]
    for n in range(logs):
        day = today - HISTORY_DAYS + 1 + n * HISTORY_DAYS // logs
        interval = int(rng.lognormvariate(2.0, 1.3)) if rng.random() < 0.9 else 0
        quality = rng.choices(range(6), weights=(2, 3, 5, 15, 40, 35))[0]
        yield (
            rng.randint(1, items),
            1_700_000_000_000 + n * 1000,
            day,
            quality,
            "redrill" if rng.random() < 0.05 else "review",
            rng.uniform(2.0, 25.0),
            interval,
            day if interval else None,
            day + 6,
        )


def measure_core(data_dir: Path, repeat: int) -> dict[str, float]:
    """(a): median aggregation time per range, on an open collection."""
    col = Collection.open(data_dir)
    out: dict[str, float] = {}
    try:
        for span in RANGES:
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                stats = collect_statistics(col, span)
                times.append(time.perf_counter() - t)
            out[f"aggregate_{span}d_s"] = round(statistics.median(times), 4)
            print(f"  {span:>3} days: {stats.reviews_in_range} reviews in range", file=sys.stderr)
    finally:
        col.close()
    return out


def measure_page(data_dir: Path, repeat: int) -> dict[str, float]:
    """(b): the real window, offscreen: select the page, wait until every plot is drawn."""

    from PySide6.QtCore import QEventLoop, QTimer

    from studyapp.ui.app import create_application
    from studyapp.ui.main_window import MainWindow

    app = create_application()
    window = MainWindow(data_dir, deck_folders=[], exercises_dir=data_dir / "none")
    window.show()
    view = window.stats_view

    def wait(condition, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
        end = time.perf_counter() + timeout
        while not condition():
            if time.perf_counter() > end:
                raise SystemExit("timed out waiting for the window")
            app.processEvents()
            time.sleep(0.001)

    def wait_drawn() -> None:
        """Run the real event loop (no polling next to the worker) until the charts are drawn."""
        loop = QEventLoop()
        view.drawn.connect(loop.quit)
        QTimer.singleShot(60_000, loop.quit)
        loop.exec()
        view.drawn.disconnect(loop.quit)
        app.processEvents()  # paint what was drawn

    wait(lambda: window.session is not None and window.worker.idle)
    screens, opens = [], []
    first_open = 0.0
    for n in range(repeat + 1):
        window.nav.setCurrentRow(0)
        wait(lambda: window.worker.idle)
        t = time.perf_counter()
        window.nav.setCurrentRow(window.pages.indexOf(view))
        wait_drawn()
        screen = time.perf_counter() - t
        view.render_all()  # the charts below the fold, as if scrolled to
        app.processEvents()
        elapsed = time.perf_counter() - t
        if n == 0:
            first_open = elapsed
        else:
            screens.append(screen)
            opens.append(elapsed)
    # The page keeps its pictures while the statistics are equal, so the repeated opens above
    # draw nothing; this draws all nine charts from statistics that differ (what an open after
    # studying costs on top of the aggregation).
    redraws = []
    for n in range(repeat):
        changed = replace(view.stats, total_answers=view.stats.total_answers + n + 1)
        t = time.perf_counter()
        view.show_stats(changed)
        view.render_all()
        app.processEvents()
        redraws.append(time.perf_counter() - t)
    spans = {}
    for span in (90, 365):
        t = time.perf_counter()
        view.set_span(span)
        wait_drawn()
        view.render_all()
        app.processEvents()
        spans[f"stats_switch_{span}d_s"] = round(time.perf_counter() - t, 4)
    window.close()
    return {
        "stats_first_open_s": round(first_open, 4),
        "stats_open_s": round(statistics.median(screens), 4),
        "stats_all_charts_s": round(statistics.median(opens), 4),
        "stats_redraw_all_s": round(statistics.median(redraws), 4),
        **spans,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--logs", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--data-dir", type=Path, help="build the collection here, or reuse the one already there"
    )
    parser.add_argument("--skip-window", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data_dir or Path(tmp) / "data"
        if not (data / "collection.sqlite").exists():
            t = time.perf_counter()
            build_collection(data, args.items, args.logs)
            print(
                f"built {args.items} items / {args.logs} log rows in "
                f"{time.perf_counter() - t:.1f} s"
            )
        results = measure_core(data, args.repeat)
        if not args.skip_window:
            results.update(measure_page(data, args.repeat))
    for key, value in results.items():
        target = 0.3 if key in ("stats_open_s", "stats_all_charts_s") else None
        print(f"{key:24} {value:>10}" + (f"   (target <= {target})" if target else ""))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
