"""The Drills page with the real worker: run, fail, fix, pass (graded), stop a hang, autosave."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer, QUrl
from pytestqt.qtbot import QtBot

from studyapp.core.drills.catalog import bundled_exercises_dir, load_catalog
from studyapp.ui.main_window import MainWindow
from tests.conftest import FakeClock

SOFTMAX = next(e for e in load_catalog()[0] if e.key == "numpy-ml/softmax")


@pytest.fixture
def window_exercises() -> Path:
    return bundled_exercises_dir()


def open_softmax(qtbot: QtBot, win: MainWindow) -> None:
    win.nav.setCurrentRow(2)
    qtbot.waitUntil(lambda: win.drills_view.catalogue.topLevelItemCount() > 0, timeout=5000)
    win.drills_view.select("numpy-ml/softmax")
    qtbot.waitUntil(lambda: win.drills_view.key == "numpy-ml/softmax" and win.worker.idle)
    qtbot.waitUntil(lambda: "def softmax" in win.drills_view.editor.text(), timeout=5000)


def run_and_wait(qtbot: QtBot, win: MainWindow, timeout: int = 30000) -> None:
    view = win.drills_view
    qtbot.keyClick(view.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.running, timeout=5000)
    qtbot.waitUntil(lambda: not view.running and win.worker.idle, timeout=timeout)


def test_fail_then_pass_grades_the_drill(qtbot: QtBot, window: MainWindow) -> None:
    open_softmax(qtbot, window)
    view = window.drills_view
    assert "softmax" in view.statement.toPlainText().lower()
    tracks = [
        view.catalogue.topLevelItem(i).text(0) for i in range(view.catalogue.topLevelItemCount())
    ]
    assert "numpy ml" in tracks and "attention" in tracks
    run_and_wait(qtbot, window)
    count = SOFTMAX.tests_path.read_text().count("\ndef test_")
    assert "ERROR" in view.summary.text() and view.tests.topLevelItemCount() == count
    assert view.reveal_button.isEnabled()
    view.editor.set_text(SOFTMAX.mutants[0].path.read_text())  # the naive softmax
    run_and_wait(qtbot, window)
    assert "FAILED" in view.summary.text()
    failing = [
        view.tests.topLevelItem(i)
        for i in range(view.tests.topLevelItemCount())
        if "failed" in view.tests.topLevelItem(i).text(0)
    ]
    assert [f.text(1) for f in failing] == ["test_large_logits_do_not_overflow"]
    details = view.details.toPlainText()  # the first failing test is shown in full
    assert "nan" in details and "Hint:" in details and "def test_large_logits" in details
    view.editor.set_text(SOFTMAX.solution_path.read_text())
    run_and_wait(qtbot, window)
    assert "PASSED" in view.summary.text() and "CPU" in view.summary.text()
    session = window.session
    assert session is not None
    rows = window.worker.run_sync(
        lambda: session.collection.db.conn.execute(
            "SELECT l.quality FROM review_log l JOIN item i ON i.id = l.item_id "
            "WHERE i.key = 'numpy-ml/softmax'"
        ).fetchall()
    )
    assert rows == [(4,)]  # passed after two failed runs (the starter, the naive softmax)
    qtbot.waitUntil(lambda: "✓" in _status_of(view, "numpy-ml/softmax"), timeout=5000)
    numpy_track = next(
        view.catalogue.topLevelItem(i)
        for i in range(view.catalogue.topLevelItemCount())
        if view.catalogue.topLevelItem(i).text(0) == "numpy ml"
    )
    assert numpy_track.text(1).startswith("1 of ")


def _status_of(view, key: str) -> str:  # type: ignore[no-untyped-def]
    for i in range(view.catalogue.topLevelItemCount()):
        track = view.catalogue.topLevelItem(i)
        for j in range(track.childCount()):
            if track.child(j).data(0, Qt.ItemDataRole.UserRole) == key:
                return track.child(j).text(1)
    return ""


def test_stop_kills_a_hang_quickly_and_gui_stays_responsive(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_softmax(qtbot, window)
    view = window.drills_view
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer(interval=10)
    timer.timeout.connect(tick)
    timer.start()
    view.editor.set_text("while True:\n    pass\n")
    qtbot.keyClick(view.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.running, timeout=5000)
    qtbot.waitUntil(lambda: window.drills.runner._current_pid is not None, timeout=15000)
    qtbot.wait(1000)
    assert "left" in view.countdown.text() and view.stop_button.isEnabled()
    stopped_at = time.perf_counter()
    qtbot.mouseClick(view.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.running, timeout=5000)
    assert time.perf_counter() - stopped_at < 1.0
    assert "stopped" in view.summary.text()
    timer.stop()
    assert max(gaps) < 0.25, max(gaps)  # the window kept painting while the code hung


def test_traceback_line_jumps_and_autosave(qtbot: QtBot, window: MainWindow) -> None:
    open_softmax(qtbot, window)
    view = window.drills_view
    view.editor.set_text("import numpy as np\n\n\ndef softmax(x):\n    return x / 0 + undefined\n")
    run_and_wait(qtbot, window)
    assert view.editor.error_lines() == frozenset({5})
    assert 'href="line:5"' in view.details.toHtml()  # the traceback links to the line
    view.editor.go_to_line(1)
    view.details.anchorClicked.emit(QUrl("line:5"))  # what a click on that link does
    assert view.editor.textCursor().blockNumber() == 4
    qtbot.keyClicks(view.editor, "# note")
    qtbot.waitUntil(lambda: not view._autosave.isActive(), timeout=5000)
    qtbot.waitUntil(lambda: window.worker.idle)
    session = window.session
    assert session is not None
    saved = window.worker.run_sync(lambda: window.drills.service.draft("softmax"))
    assert "# note" in saved


def test_due_drill_in_review_opens_the_editor(
    qtbot: QtBot, tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    for deck in decks_dir.glob("*.md"):
        deck.unlink()  # only drills are left to review
    win = MainWindow(
        tmp_path / "data",
        deck_folders=[decks_dir],
        exercises_dir=bundled_exercises_dir(),
        clock=clock,
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.session is not None and win.worker.idle, timeout=15000)
    view = win.review_view
    assert view.shown_screen is not None and view.shown_screen.card is not None
    assert view.shown_screen.card.kind == "drill"
    assert view.controls.currentWidget() is view.drill_button
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.drills_view.key == view.shown_screen.card.key, timeout=5000)
    assert win.pages.currentWidget() is win.drills_view
    win.close()


def test_torch_drill_without_torch_says_how_to_install(qtbot: QtBot, window: MainWindow) -> None:
    window.drills.torch_installed = False  # as on a machine where torch is not installed
    window.nav.setCurrentRow(2)
    qtbot.waitUntil(lambda: window.drills_view.catalogue.topLevelItemCount() > 0, timeout=5000)
    window.drills_view.select("attention/multi-head-attention-torch")
    view = window.drills_view
    qtbot.waitUntil(lambda: view.key == "attention/multi-head-attention-torch", timeout=5000)
    qtbot.waitUntil(lambda: window.worker.idle)
    assert "pip install torch==2.13.0" in view.summary.text()
    assert not view.run_button.isEnabled()
    assert "def multi_head_attention" in view.editor.text()  # still readable and editable
