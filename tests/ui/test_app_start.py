"""Starting the app: a second instance on the same folder gets a message, not a window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from studyapp.core.storage.instance_lock import InstanceLock
from studyapp.ui.app import run_app


def test_second_instance_shows_message_and_exits(qtbot: QtBot, tmp_path: Path) -> None:
    seen: list[str] = []

    def close_box() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                seen.append(widget.text())
                widget.accept()
                return
        QTimer.singleShot(20, close_box)

    with InstanceLock(tmp_path):
        QTimer.singleShot(20, close_box)
        assert run_app(tmp_path) == 2
    assert seen and "already running" in seen[0] and str(tmp_path) in seen[0]
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_a_read_only_data_folder_shows_a_message_not_a_crash(qtbot: QtBot, tmp_path: Path) -> None:
    from tests.core.fs_helpers import read_only

    seen: list[str] = []

    def close_box() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                seen.append(widget.windowTitle() + ": " + widget.text())
                widget.accept()
                return
        QTimer.singleShot(20, close_box)

    data = tmp_path / "data"
    data.mkdir()
    with read_only(data):
        QTimer.singleShot(20, close_box)
        assert run_app(data) == 2
    assert seen and "cannot be used" in seen[0] and "cannot be written" in seen[0]
    assert str(data) in seen[0]


def test_the_window_icon_is_the_bundled_icon_in_every_size(qtbot: QtBot) -> None:
    from PySide6.QtCore import QSize

    from studyapp.resources import ICON_SIZES
    from studyapp.ui.app import app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert {(s.width(), s.height()) for s in icon.availableSizes()} >= {(n, n) for n in ICON_SIZES}
    assert not icon.pixmap(QSize(32, 32)).toImage().isNull()
