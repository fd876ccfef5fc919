"""The Drills page shows a drill's statement in the card language (README.ru.md in Russian)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from studyapp.core.drills.catalog import bundled_exercises_dir
from studyapp.ui.main_window import MainWindow


@pytest.fixture
def window_exercises() -> Path:
    return bundled_exercises_dir()


def _open_softmax(qtbot: QtBot, win: MainWindow) -> str:
    win.nav.setCurrentRow(2)
    qtbot.waitUntil(lambda: win.drills_view.catalogue.topLevelItemCount() > 0, timeout=5000)
    win.drills_view.key = None  # open it afresh even if it was open
    win.drills_view.select("numpy-ml/softmax")
    view = win.drills_view
    qtbot.waitUntil(lambda: view.key == "numpy-ml/softmax" and win.worker.idle, timeout=10000)
    qtbot.waitUntil(lambda: "softmax" in view.statement.toPlainText(), timeout=5000)
    return view.statement.toPlainText()


def test_statement_follows_the_card_language(qtbot: QtBot, window: MainWindow) -> None:
    english = _open_softmax(qtbot, window)
    assert "numerically stable softmax" in english
    session = window.session
    assert session is not None
    window.worker.run_sync(lambda: session.collection.update_settings(language="ru"))
    window.nav.setCurrentRow(0)
    russian = _open_softmax(qtbot, window)
    assert "численно устойчив" in russian.lower()
    assert "def softmax(x: np.ndarray) -> np.ndarray: ..." in russian  # code as in English
