"""Drill-run overhead: submit -> report through the warm worker, against a cold interpreter.

For a trivial numpy drill and a trivial torch drill it measures (median of --runs each, same
run): the warm worker's submit-to-report time, a cold ``python -c`` doing the same work, and the
longest GUI event-loop stall while drills run on the window's "drill-run" lane (offscreen).

Each run is a judge process plus a confined learner process started before the request (a spare, see
``studyapp.core.drills.sandbox.worker``), so ``*_warm_ms`` is measured as a learner submits: with a
pause (--pause, not timed) between runs in which the replacement spares start.
``numpy_back_to_back_ms`` sends the runs without a pause, so it also pays for starting the spares.
With CUDA, ``torch_cuda_warm_ms`` is a torch drill computing on the GPU (its learner process already
holds its CUDA context) and ``torch_warm_ms`` the same drill forced to the CPU. Prints a summary,
then a JSON line last with numpy_warm_ms, torch_warm_ms, numpy_cold_ms, torch_cold_ms,
gui_max_stall_ms, numpy_back_to_back_ms, torch_cuda_warm_ms (with CUDA) and the device the runs
used.

Usage: python bench/drill_bench.py [--runs 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from studyapp.core.drills.catalog import Exercise, load_exercise  # noqa: E402
from studyapp.core.drills.runner import DrillRunner  # noqa: E402

WORK = {
    "numpy": ("import numpy as np", "np.arange(1000.0).sum()"),
    "torch": ("import torch", "torch.arange(1000.0).sum().item()"),
    "torch-device": (
        "import torch",
        'torch.arange(1000.0, device="cuda" if torch.cuda.is_available() else "cpu").sum().item()',
    ),
}


def make_exercise(folder: Path, library: str) -> Exercise:
    """A trivial drill: return the sum of 0..999, computed with ``library``."""
    imports, expression = WORK[library]
    folder.mkdir(parents=True)
    requires = library.split("-")[0]
    (folder / "exercise.toml").write_text(
        f'title = "Trivial {library}"\ndifficulty = "easy"\nrequires = ["{requires}"]\n'
        '[mutants]\nzero = "returns 0"\none = "returns 1"\nnone = "returns None"\n'
    )
    (folder / "README.md").write_text("Return the sum of 0..999.\n")
    solution = f"{imports}\n\n\ndef total():\n    return float({expression})\n"
    (folder / "solution.py").write_text(solution)
    (folder / "starter.py").write_text("def total():\n    return 0.0\n")
    (folder / "mutants").mkdir()
    for name, value in (("zero", "0.0"), ("one", "1.0"), ("none", "None")):
        (folder / "mutants" / f"{name}.py").write_text(f"def total():\n    return {value}\n")
    (folder / "tests.py").write_text(
        textwrap.dedent(
            """
            from studyapp.core.drills.sandbox.asserts import assert_close


            def test_total(sol, ctx):
                assert_close(sol.total(), 499500.0, what="total()")
            """
        )
    )
    return load_exercise(folder)


def warm(
    runner: DrillRunner, exercise: Exercise, runs: int, pause: float, force_cpu: bool = False
) -> tuple[float, str]:
    source = exercise.solution_path.read_text()
    runner.run(exercise, source, force_cpu=force_cpu)  # the first run of a kind may import
    times, device = [], ""
    for _ in range(runs):
        time.sleep(pause)
        started = time.perf_counter()
        report = runner.run(exercise, source, force_cpu=force_cpu)
        times.append(time.perf_counter() - started)
        assert report.passed, report.message
        device = report.device + (f" ({report.device_name})" if report.device_name else "")
    return statistics.median(times) * 1000, device


def cold(library: str, runs: int) -> float:
    imports, expression = WORK[library]
    code = f"{imports}\nassert float({expression}) == 499500.0\n"
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def gui_stall(runner: DrillRunner, exercises: list[Exercise], runs: int) -> float:
    """Drills run on the window's "drill-run" lane while a 5 ms timer watches the event loop."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from studyapp.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer(interval=5)
    timer.timeout.connect(tick)
    timer.start()
    tasks = TaskRunner()
    for n in range(runs):
        exercise = exercises[n % len(exercises)]
        source = exercise.solution_path.read_text()
        loop = QEventLoop()
        last[0] = time.perf_counter()
        tasks.submit(
            "drill-run",
            lambda ex=exercise, src=source: runner.run(ex, src, stdin="", force_cpu=False),
            lambda _report, loop=loop: loop.quit(),
            lambda _exc, loop=loop: loop.quit(),
        )
        loop.exec()
    timer.stop()
    tasks.shutdown()
    del app
    return max(gaps) * 1000 - 5  # minus the timer's own period


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between timed runs")
    args = parser.parse_args()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        numpy_ex = make_exercise(Path(tmp) / "bench" / "numpy-sum", "numpy")
        torch_ex = make_exercise(Path(tmp) / "bench" / "torch-sum", "torch")
        cuda_ex = make_exercise(Path(tmp) / "bench" / "torch-device-sum", "torch-device")
        with DrillRunner() as runner:
            started = time.perf_counter()
            info = runner.ready()
            results["worker_start_s"] = round(time.perf_counter() - started, 3)
            results["numpy_warm_ms"], device = warm(runner, numpy_ex, args.runs, args.pause)
            results["numpy_back_to_back_ms"], _ = warm(runner, numpy_ex, args.runs, 0.0)
            if info.torch:
                results["torch_warm_ms"], device = warm(
                    runner, torch_ex, args.runs, args.pause, force_cpu=True
                )
                cuda_ms, cuda_device = warm(runner, cuda_ex, args.runs, args.pause)
                if cuda_device.startswith("cuda"):
                    results["torch_cuda_warm_ms"], device = cuda_ms, cuda_device
            results["device"] = device
            exercises = [numpy_ex, torch_ex] if info.torch else [numpy_ex]
            results["gui_max_stall_ms"] = gui_stall(runner, exercises, args.runs)
        results["numpy_cold_ms"] = cold("numpy", args.runs)
        if info.torch:
            results["torch_cold_ms"] = cold("torch", args.runs)
    results = {k: round(v, 1) if isinstance(v, float) else v for k, v in results.items()}
    targets = {
        "numpy_warm_ms": 50,
        "torch_warm_ms": 100,
        "torch_cuda_warm_ms": 100,
        "gui_max_stall_ms": 50,
    }
    for key, value in results.items():
        target = targets.get(key)
        print(f"{key:22} {value!s:>12}" + (f"   (target <= {target})" if target else ""))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
