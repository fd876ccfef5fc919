"""Attention page step-change time (targets: ≤ 50 ms a step for seq_len ≤ 16 and d_model ≤ 64;
≤ 16 ms for the first visit to a heatmap layout).

Runs the real page offscreen at 1200 × 800, at the largest sizes the target names (batch 1,
seq_len 16, d_model 64, 8 heads), and times "select the next step → every pending paint done"
on each tab, first visits and repeat visits, plus rebuilding all steps after a control change.
Beside the heatmap figures: one repaint of the heatmap alone (labels, colour bars, cells).

    QT_QPA_PLATFORM=offscreen python bench/attention_bench.py

Prints a table; the last line is JSON.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HEATMAP_FIRST_VISIT_TARGET_MS = 16


def main() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from studyapp.ui.attention.view import AttentionView

    view = AttentionView()
    view.resize(1200, 800)
    view.show()
    app.processEvents()
    view.seq_len.setValue(16)
    view.d_model.setValue(64)
    view.heads_box.setValue(8)
    app.processEvents()

    def step_times(rounds: int) -> list[float]:
        times = []
        for _ in range(rounds):
            for row in range(len(view.steps)):
                start = time.perf_counter()
                view.step_list.setCurrentRow(row)
                app.processEvents()
                times.append((time.perf_counter() - start) * 1000)
        return times

    results: dict[str, float] = {}
    rows = []
    for name, page in (
        ("table", view.table),
        ("heatmap", view.heatmap_page),
        ("mapping", view.mapping_page),
    ):
        view.step_list.setCurrentRow(0)
        view.tabs.setCurrentWidget(page)
        app.processEvents()
        first = step_times(1)
        repeat = step_times(3)
        every = first + repeat
        results[f"{name}_step_median_ms"] = round(statistics.median(every), 1)
        results[f"{name}_step_p95_ms"] = round(sorted(every)[int(0.95 * (len(every) - 1))], 1)
        results[f"{name}_step_max_ms"] = round(max(every), 1)
        results[f"{name}_first_visit_max_ms"] = round(max(first), 1)
        rows.append((name, statistics.median(every), max(first), max(repeat)))

    # A repaint of the same heatmap (a resize or an expose): the cost of the painting alone.
    view.tabs.setCurrentWidget(view.heatmap_page)
    heatmap = view._heatmap
    full = []
    for _ in range(20):
        start = time.perf_counter()
        heatmap.repaint()
        full.append((time.perf_counter() - start) * 1000)
    results["heatmap_repaint_median_ms"] = round(statistics.median(full), 1)

    rebuild = []
    for seed in range(1, 11):
        start = time.perf_counter()
        view.seed.setValue(seed)
        app.processEvents()
        rebuild.append((time.perf_counter() - start) * 1000)
    results["rebuild_median_ms"] = round(statistics.median(rebuild), 1)
    results["step_change_max_ms"] = max(
        results[f"{n}_step_max_ms"] for n in ("table", "heatmap", "mapping")
    )

    print("Attention page, batch 1, seq_len 16, d_model 64, 8 heads, 1200 x 800 offscreen")
    print(f"{'tab':<10}{'median ms':>12}{'first-visit max':>18}{'repeat max':>12}")
    for name, median, first_max, repeat_max in rows:
        print(f"{name:<10}{median:>12.1f}{first_max:>18.1f}{repeat_max:>12.1f}")
    print(f"heatmap repaint: {results['heatmap_repaint_median_ms']} ms median")
    print(
        f"heatmap first visit to a layout: {results['heatmap_first_visit_max_ms']} ms max"
        f" (target <= {HEATMAP_FIRST_VISIT_TARGET_MS})"
    )
    print(f"rebuild after a control change: {results['rebuild_median_ms']} ms median")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
