"""The main window over a fresh data folder, opened and idle: shared by the GUI tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from studyapp.ui.main_window import MainWindow
from tests.conftest import FakeClock


@pytest.fixture
def window_exercises(tmp_path: Path) -> Path:
    """The exercises folder the window loads; a module overrides it to get the real drills."""
    return tmp_path / "none"


@pytest.fixture
def window(
    qtbot: QtBot, tmp_path: Path, decks_dir: Path, clock: FakeClock, window_exercises: Path
) -> Iterator[MainWindow]:
    win = MainWindow(
        tmp_path / "data", deck_folders=[decks_dir], exercises_dir=window_exercises, clock=clock
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.session is not None and win.worker.idle, timeout=15000)
    yield win
    win.close()
