"""The shared context: the session lives there, and a restore is seen through session_changed."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from studyapp.ui.main_window import MainWindow


def test_session_changed_fires_on_restore(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    context = window.context
    assert context.session is window.session is not None
    window.backup_ui.backup_now("manual")
    qtbot.waitUntil(lambda: window.backup_ui.worker.idle, timeout=10000)
    backup = window.backup_ui.backups.list()[0]
    seen: list[object] = []
    context.session_changed.connect(seen.append)
    window.backup_ui.restore(backup.path)
    assert seen == [None]  # at once: the pages ignore input while restoring
    assert window.drills.service is None
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=15000)
    assert seen[1] is context.session is not None


def test_controllers_do_not_import_the_main_window() -> None:
    root = Path(__file__).resolve().parents[2] / "studyapp" / "ui"
    for name in ("backups/controller.py", "transfer/controller.py", "drills/controller.py"):
        text = (root / name).read_text(encoding="utf-8")
        assert "main_window" not in text, name
