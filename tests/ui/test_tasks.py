"""The task runner with a real thread: results, errors and progress arrive on the GUI thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from studyapp.core.errors import Cancelled
from studyapp.logs import LOGGER_NAME, setup_logging
from studyapp.ui.tasks import TaskRunner


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


def on_gui_thread() -> bool:
    app = QApplication.instance()
    assert app is not None
    return QThread.currentThread() is app.thread()


def test_a_result_arrives_on_the_gui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    seen: list[tuple[object, bool, str]] = []
    worker_threads: list[str] = []

    def job() -> int:
        worker_threads.append(threading.current_thread().name)
        return 42

    runner.submit("db", job, lambda value: seen.append((value, on_gui_thread(), "")))
    qtbot.waitUntil(lambda: runner.idle, timeout=5000)
    assert seen == [(42, True, "")]
    assert worker_threads[0].startswith("studyapp-db")


def test_an_exception_reaches_on_error_and_the_log_file(
    qtbot: QtBot, runner: TaskRunner, tmp_path: Path
) -> None:
    log_path = setup_logging(tmp_path, stderr_level=None)
    assert log_path is not None
    errors: list[tuple[BaseException, bool]] = []

    def job() -> None:
        raise ValueError("broken deck 1234")

    try:
        runner.submit("import", job, on_error=lambda exc: errors.append((exc, on_gui_thread())))
        qtbot.waitUntil(lambda: runner.idle, timeout=5000)
    finally:
        for handler in logging.getLogger(LOGGER_NAME).handlers:
            handler.flush()
        setup_logging(None, stderr_level=None)  # close the file
    assert len(errors) == 1
    exc, on_gui = errors[0]
    assert isinstance(exc, ValueError) and on_gui
    text = log_path.read_text(encoding="utf-8")
    assert "broken deck 1234" in text and "Traceback" in text and "in job" in text


def test_an_unhandled_exception_is_announced_with_its_lane(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    def job() -> None:
        raise RuntimeError("disk full")

    with qtbot.waitSignal(runner.failed, timeout=5000) as blocker:
        runner.submit("backup", job)
    lane, exc = blocker.args
    assert lane == "backup" and isinstance(exc, RuntimeError)


def test_progress_is_marshalled_and_cancel_stops_the_job(qtbot: QtBot, runner: TaskRunner) -> None:
    progress: list[tuple[int, bool]] = []
    started = threading.Event()
    token = runner.token(on_progress=lambda n: progress.append((n, on_gui_thread())))
    errors: list[BaseException] = []

    def job() -> None:
        n = 0
        while not token.is_cancelled():
            token.progress(n)
            n += 1
            started.set()
            threading.Event().wait(0.005)
        raise Cancelled()

    runner.submit("import", job, on_error=errors.append, token=token)
    assert started.wait(5)
    qtbot.waitUntil(lambda: bool(progress), timeout=5000)
    token.cancel()
    # A job queued behind it with the same token never runs.
    ran: list[bool] = []
    runner.submit("import", lambda: ran.append(True), on_error=errors.append, token=token)
    qtbot.waitUntil(lambda: runner.idle, timeout=5000)
    assert [type(e) for e in errors] == [Cancelled, Cancelled] and not ran
    assert all(on_gui for _, on_gui in progress)


def test_after_each_runs_on_the_lane_and_run_sync_waits(qtbot: QtBot, runner: TaskRunner) -> None:
    lane = runner.lane("db")
    hooks: list[str] = []
    lane.after_each = lambda: hooks.append(threading.current_thread().name)
    lane.submit(lambda: None)
    assert runner.run_sync("db", lambda: 7) == 7
    assert hooks and hooks[0].startswith("studyapp-db")
    qtbot.waitUntil(lambda: runner.idle, timeout=5000)
