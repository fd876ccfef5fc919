"""Answers in the window are fsynced by the database thread after the GUI has the next card."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from studyapp.ui.main_window import MainWindow


def test_each_answer_is_fsynced_on_the_database_thread(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    session = window.session
    assert session is not None
    db = session.collection.db
    assert db.deferred
    threads: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if os.readlink(f"/proc/self/fd/{fd}").endswith("-wal"):
            threads.append(threading.current_thread().name)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    qtbot.keyClick(window.review_view, Qt.Key.Key_Space)
    qtbot.keyClick(window.review_view, Qt.Key.Key_5)
    qtbot.waitUntil(lambda: window.worker.idle and bool(threads), timeout=10000)
    assert threads and all(t.startswith("studyapp-db") for t in threads)
    assert db.conn.total_changes == db._synced_changes  # nothing left unsynced
    assert threading.current_thread().name == "MainThread"
