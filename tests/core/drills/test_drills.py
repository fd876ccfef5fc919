"""Drills on the SM-2 schedule, and the runner against real bad code, in the real worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from studyapp.core.collection import Collection
from studyapp.core.drills.catalog import load_catalog
from studyapp.core.drills.runner import DrillRunner
from studyapp.core.drills.runner_protocol import RunReport
from studyapp.core.drills.service import DrillService, grade_for
from tests.conftest import FakeClock

EXERCISES, PROBLEMS = load_catalog()
SOFTMAX = next(e for e in EXERCISES if e.key == "numpy-ml/softmax")
GOOD = SOFTMAX.solution_path.read_text()


@pytest.fixture(scope="module")
def runner() -> Iterator[DrillRunner]:
    with DrillRunner() as r:
        yield r


@pytest.fixture
def drills(tmp_path: Path, clock: FakeClock) -> Iterator[DrillService]:
    col = Collection.open(tmp_path / "data", clock=clock)
    service = DrillService(col, EXERCISES)
    service.sync()
    yield service
    col.close()


def test_catalogue_loads_without_problems() -> None:
    assert PROBLEMS == []
    assert len(EXERCISES) >= 6
    assert all(len(e.mutants) >= 3 for e in EXERCISES)


@pytest.mark.parametrize(
    ("failed", "passed", "revealed", "grade"),
    [
        (0, True, False, 5),
        (2, True, False, 4),
        (3, True, False, 3),
        (1, False, True, 1),
        (4, False, False, None),
    ],
)
def test_grade_mapping(failed: int, passed: bool, revealed: bool, grade: int | None) -> None:
    assert grade_for(failed, passed=passed, revealed=revealed) == grade


def report(outcome: str) -> RunReport:
    return RunReport("r", outcome, tests=[])


def test_drills_join_the_daily_queue_and_passing_grades_them(
    drills: DrillService, clock: FakeClock
) -> None:
    col = drills.collection
    statuses = {s.key: s for s in drills.statuses()}
    assert statuses["numpy-ml/softmax"].due and statuses["numpy-ml/softmax"].attempts == 0
    assert any(d.key == "drills-numpy-ml" for d in col.decks())
    assert drills.record_run("numpy-ml/softmax", "x", report("failed")) is None
    assert drills.record_run("softmax", GOOD, report("passed")) == 4  # one failed run first
    item = col.card(statuses["numpy-ml/softmax"].item_id)
    assert item.state.interval == 1 and item.due_day == col.today() + 1
    assert drills.record_run("softmax", GOOD, report("passed")) is None  # practice: not due
    clock.advance(days=1)
    assert drills.record_run("softmax", GOOD, report("passed")) == 5
    assert col.card(item.item_id).state.interval == 6
    kinds = [a[1] for a in drills.attempts("numpy-ml/softmax")]
    assert kinds == ["run"] * 4


def test_revealing_gives_up_and_drafts_survive(drills: DrillService, tmp_path: Path) -> None:
    assert (
        drills.draft("two-sum")
        == next(e for e in EXERCISES if e.slug == "two-sum").starter_path.read_text()
    )
    drills.save_draft("two-sum", "def two_sum(nums, target):\n    return []\n")
    solution = drills.reveal("two-sum")
    assert "def two_sum" in solution
    status = next(s for s in drills.statuses() if s.key == "algorithms/two-sum")
    card = drills.collection.card(status.item_id)
    assert card.state.repetitions == 0 and card.redrill_day == drills.collection.today()
    drills.collection.close()
    reopened = Collection.open(tmp_path / "data")
    try:
        service = DrillService(reopened, EXERCISES)
        assert service.draft("two-sum").endswith("return []\n")
        assert service.reset_draft("two-sum") == service.draft("two-sum")
    finally:
        reopened.close()


BAD_CODE = {
    "infinite loop": ("while True:\n    pass\n", "timeout"),
    "memory hog": ("x = []\nwhile True:\n    x.append(b'x' * 10**8)\n", "memory"),
    "fork bomb": ("import os\nwhile True:\n    os.fork()\n", None),
    "segfault": ("import ctypes\nctypes.string_at(0)\n", "crashed"),
    "sys.exit": ("import sys\nsys.exit(3)\n", "error"),
    "os._exit": ("import os\nos._exit(0)\n", "error"),
    "KeyboardInterrupt": ("raise KeyboardInterrupt\n", "error"),
    "100 MB of output": ("import sys\nfor _ in range(1000):\n    print('x' * 100_000)\n", "error"),
    "input()": ("name = input()\n", "error"),
    "deletes its folder": (
        "import os, shutil\nfor f in os.listdir('.'):\n    shutil.rmtree(f, True)\n"
        "open('scratch', 'w').write('x')\nos.remove('scratch')\n" + GOOD,
        "passed",
    ),
    "missing import": ("import no_such_module_anywhere\n", "error"),
    "syntax error": ("def softmax(x:\n    return x\n", "error"),
    "unbounded recursion": ("def f(n):\n    return f(n + 1)\nf(0)\n", "error"),
    "threads that never finish": (
        "import threading, time\nthreading.Thread(target=lambda: time.sleep(1e6)).start()\n" + GOOD,
        "passed",
    ),
    "closes sys.stdout": ("import sys\nsys.stdout.close()\nprint('gone')\n" + GOOD, "error"),
    "closes fd 1 and 2": ("import os\nos.close(1)\nos.close(2)\n" + GOOD, "passed"),
}


@pytest.mark.parametrize("name", list(BAD_CODE))
def test_bad_code_is_contained_and_the_next_run_passes(runner: DrillRunner, name: str) -> None:
    source, expected = BAD_CODE[name]
    exercise = SOFTMAX
    if name in ("infinite loop", "fork bomb"):
        exercise = _with_limits(SOFTMAX, time_limit_s=3.0, memory_mb=600)
    if name == "memory hog":  # generous time: filling memory is slow on some machines
        exercise = _with_limits(SOFTMAX, time_limit_s=30.0, memory_mb=300)
    result = runner.run(exercise, source)
    if expected is None:  # a fork bomb may end as an error, out of memory or out of time
        assert result.outcome in ("error", "memory", "timeout", "crashed"), result
    else:
        assert result.outcome == expected, (result.outcome, result.message)
    assert result.message
    after = runner.run(SOFTMAX, GOOD)
    assert after.outcome == "passed", after.message


def test_reports_explain_failures(runner: DrillRunner) -> None:
    syntax = runner.run(SOFTMAX, "import numpy as np\n\ndef softmax(x:\n    pass\n")
    assert syntax.outcome == "error" and syntax.error_line == 3 and "SyntaxError" in syntax.message
    crash = runner.run(SOFTMAX, "import ctypes\nctypes.string_at(0)\n")
    assert crash.signal == "SIGSEGV" and "SIGSEGV" in crash.message
    raising = runner.run(SOFTMAX, "import numpy as np\n\n\ndef softmax(x):\n    return 1 / 0\n")
    assert raising.outcome == "error" and raising.error_line == 5
    assert 'File "solution.py", line 5' in raising.traceback
    assert "exercise_tests" not in raising.traceback and "test_harness" not in raising.traceback
    printed = runner.run(
        SOFTMAX,
        "import numpy as np\n\n\ndef softmax(x):\n"
        "    e = np.exp(x - x.max(-1, keepdims=True))\n    print(e / e.sum(-1, keepdims=True))\n",
    )
    assert printed.outcome == "failed"
    assert any("instead of returning" in t.hint for t in printed.tests)
    naive = runner.run(SOFTMAX, SOFTMAX.mutants[0].path.read_text())
    failing = [t for t in naive.tests if t.status == "failed"]
    assert naive.outcome == "failed" and failing
    assert all(t.code.startswith("def test_") for t in naive.tests)
    timeout = runner.run(_with_limits(SOFTMAX, time_limit_s=1.0), "while True:\n    pass\n")
    assert timeout.outcome == "timeout" and timeout.duration_s < 2.5
    echoed = runner.run(SOFTMAX, "print(input())\n" + GOOD, stdin="hello\n")
    assert echoed.outcome == "passed" and echoed.stdout.startswith("hello")


def test_numeric_failure_names_shape_dtype_and_error() -> None:
    import numpy as np

    from studyapp.core.drills.sandbox.asserts import JudgeFailure, assert_close

    with pytest.raises(JudgeFailure, match=r"shape \(2, 3\), expected \(3, 2\)"):
        assert_close(np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(JudgeFailure, match="dtype float32, expected float64"):
        assert_close(np.zeros(3, np.float32), np.zeros(3))
    with pytest.raises(JudgeFailure) as caught:
        assert_close(np.array([1.0, 2.0, 3.5]), np.array([1.0, 2.0, 3.0]), rtol=1e-6, atol=0)
    details = caught.value.details
    assert details["first_index"] == [2] and details["max_abs_error"] == 0.5
    assert "rtol=1e-06" in caught.value.message


def _with_limits(exercise, **changes):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return replace(exercise, **changes)


def test_closing_the_runner_mid_run_leaves_no_process(tmp_path: Path) -> None:
    import os
    import threading
    import time

    runner = DrillRunner()
    runner.start()
    runner.ready()
    reports: list[object] = []
    thread = threading.Thread(
        target=lambda: reports.append(_safe_run(runner, "while True:\n    pass\n"))
    )
    thread.start()
    deadline = time.monotonic() + 10
    while runner._current_pid is None and time.monotonic() < deadline:
        time.sleep(0.02)
    child = runner._current_pid
    assert child is not None
    runner.close()
    thread.join(10)
    time.sleep(0.3)
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)


def test_killing_the_worker_kills_its_run() -> None:
    import os
    import signal
    import threading
    import time

    runner = DrillRunner()
    runner.start()
    info = runner.ready()
    thread = threading.Thread(target=lambda: _safe_run(runner, "while True:\n    pass\n"))
    thread.start()
    deadline = time.monotonic() + 10
    while runner._current_pid is None and time.monotonic() < deadline:
        time.sleep(0.02)
    child = runner._current_pid
    assert child is not None
    os.kill(info.pid, signal.SIGKILL)  # the worker dies, e.g. killed by the OS
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the run outlived its worker")
    runner.close()
    thread.join(10)


def _safe_run(runner: DrillRunner, source: str) -> object:
    try:
        return runner.run(SOFTMAX, source)
    except Exception as exc:  # the runner was closed under it
        return exc


SPARE_PROBE = """
import builtins, os, time
with open("/proc/self/stat") as stat:
    ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
age = time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
print("SPARE", os.getpid(), time.time() - age, time.time(),
      hasattr(builtins, "left_by_an_earlier_run"))
builtins.left_by_an_earlier_run = True
"""


def _probe(runner: DrillRunner) -> tuple[int, float, float, bool, int]:
    import time

    events: list[dict] = []
    sent = time.time()
    report = runner.run(SOFTMAX, SPARE_PROBE + GOOD, on_event=events.append)
    assert report.outcome == "passed", report.message
    fields = next(line for line in report.stdout.splitlines() if line.startswith("SPARE")).split()
    judge = next(e["judge"] for e in events if e["type"] == "started")
    return int(fields[1]), float(fields[2]), sent, fields[4] == "True", judge


def test_runs_are_served_by_prestarted_spares_each_used_once(runner: DrillRunner) -> None:
    """Section 6: the learner's process of a run was started before the run was asked for (it
    waited, warm, as a spare), and no process serves two runs."""
    import os
    import time

    _probe(runner)  # whatever came before, the next run finds a spare started after this one
    time.sleep(1.0)  # the replacement spare starts in the background
    pid, started, sent, leftover, judge = _probe(runner)
    assert started < sent - 0.5, "the learner's process was started only when the run was asked"
    assert not leftover
    pid2, _, _, leftover2, judge2 = _probe(runner)
    assert pid2 != pid and judge2 != judge and not leftover2
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the learner's process of a finished run is still alive")
