"""Backups in the real window: on close, every 30 minutes of use, restore, a damaged start-up."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from studyapp.core.collection import Collection, Settings
from studyapp.core.decks.sync import sync_deck_folders
from studyapp.core.storage.backups import Backups
from studyapp.ui.main_window import MainWindow, SettingsDialog
from tests.conftest import FakeClock
from tests.core.fs_helpers import damage_table

WindowFactory = Callable[[], MainWindow]


@pytest.fixture
def make_window(
    qtbot: QtBot, tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> Iterator[WindowFactory]:
    made: list[MainWindow] = []

    def make() -> MainWindow:
        win = MainWindow(
            tmp_path / "data",
            deck_folders=[decks_dir],
            exercises_dir=tmp_path / "none",
            clock=clock,
        )
        qtbot.addWidget(win)
        win.show()
        made.append(win)
        return win

    yield make
    for win in made:
        if win.isVisible():
            win.close()


def opened(qtbot: QtBot, win: MainWindow) -> MainWindow:
    qtbot.waitUntil(lambda: win.session is not None and win.worker.idle, timeout=15000)
    return win


def grade(qtbot: QtBot, win: MainWindow, quality: int) -> None:
    qtbot.keyClick(win.review_view, Qt.Key.Key_Space)
    qtbot.keyClick(win.review_view, Qt.Key(Qt.Key.Key_0 + quality))
    qtbot.waitUntil(lambda: win.worker.idle, timeout=10000)


def answered_today(data_dir: Path, clock: FakeClock) -> int:
    col = Collection.open(data_dir, clock=clock)
    try:
        return col.answered_on(col.today())
    finally:
        col.close()


def test_closing_the_window_writes_a_backup(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, clock: FakeClock
) -> None:
    win = opened(qtbot, make_window())
    grade(qtbot, win, 5)
    win.close()
    backups = Backups(tmp_path / "data", clock=clock).list()
    assert [b.reason for b in backups] == ["close"]
    restored = tmp_path / "check"
    Backups(restored, clock=clock).restore(backups[0].path)
    assert answered_today(restored, clock) == 1


def test_thirty_minutes_of_use_make_an_automatic_backup(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, clock: FakeClock
) -> None:
    win = opened(qtbot, make_window())
    backups = Backups(tmp_path / "data", clock=clock)
    for _ in range(29):
        clock.advance(minutes=1)
        win.backup_ui.tick(active=True)
    for _ in range(30):  # in the background: not use
        clock.advance(minutes=1)
        win.backup_ui.tick(active=False)
    qtbot.waitUntil(lambda: win.worker.idle)
    assert backups.list() == []
    clock.advance(minutes=1)
    win.backup_ui.tick(active=True)
    qtbot.waitUntil(lambda: win.backup_ui.worker.idle)
    assert [b.reason for b in backups.list()] == ["auto"]
    assert "Backed up to" in win.statusBar().currentMessage()


def test_settings_show_the_backups_folder(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = SettingsDialog(Settings(), tmp_path / "data")
    qtbot.addWidget(dialog)
    assert dialog.backups_folder.text() == str(tmp_path / "data" / "backups")
    assert dialog.restore_button.text() == "Restore from backup…"


def test_restore_through_the_dialog_brings_back_the_earlier_state(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, clock: FakeClock
) -> None:
    win = opened(qtbot, make_window())
    grade(qtbot, win, 5)  # a1 answered
    win.backup_ui.backup_now("manual")
    qtbot.waitUntil(lambda: win.backup_ui.worker.idle)
    clock.advance(minutes=1)
    grade(qtbot, win, 5)
    grade(qtbot, win, 5)
    assert "Question b2?" in win.review_view.browser.toPlainText()  # new cards deck by deck in turn
    assert "New 2" in win.review_view.counts_label.text()

    dialog = win.backup_ui.open_restore_dialog()
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 2).text() == "manual"
    assert dialog.restore_button.isEnabled()  # the newest is preselected
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    box = dialog.confirm_box
    assert box is not None and box.isVisible()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: win.session is not None and win.worker.idle, timeout=15000)

    assert "Question b1?" in win.review_view.browser.toPlainText()
    assert "New 4" in win.review_view.counts_label.text()
    assert "Backup restored" in win.statusBar().currentMessage()
    reasons = [b.reason for b in Backups(tmp_path / "data", clock=clock).list()]
    assert reasons == ["before-restore", "manual"]


def test_cancelling_the_confirmation_changes_nothing(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    win = opened(qtbot, make_window())
    win.backup_ui.backup_now("manual")
    qtbot.waitUntil(lambda: win.backup_ui.worker.idle)
    grade(qtbot, win, 5)
    dialog = win.backup_ui.open_restore_dialog()
    dialog.confirm().button(QMessageBox.StandardButton.Cancel).click()
    assert dialog.isVisible()
    dialog.reject()
    qtbot.waitUntil(lambda: win.worker.idle)
    assert win.session is not None
    assert "Question b1?" in win.review_view.browser.toPlainText()


def _damaged_collection(data_dir: Path, decks_dir: Path, clock: FakeClock, *, backup: bool) -> int:
    """A collection with two answers (backed up or not), then cut in half."""
    col = Collection.open(data_dir, clock=clock)
    sync_deck_folders(col, [decks_dir])
    for _ in range(2):
        col.answer(col.next_card(), 5)
    col.close()
    if backup:
        Backups(data_dir, clock=clock).create("close")
        clock.advance(minutes=5)
    path = col.path
    with path.open("r+b") as f:
        f.truncate(path.stat().st_size // 2)
    return path.stat().st_size


def test_a_damaged_collection_at_start_up_offers_the_newest_good_backup(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    data = tmp_path / "data"
    damaged_size = _damaged_collection(data, decks_dir, clock, backup=True)
    win = make_window()
    qtbot.waitUntil(lambda: win.backup_ui.damage_box is not None, timeout=15000)
    box = win.backup_ui.damage_box
    assert box.isVisible() and win.session is None
    assert "damaged" in box.text()
    assert "cut short" in box.informativeText()
    assert str(data / "collection.sqlite") in box.informativeText()
    restore = next(b for b in box.buttons() if b.text().startswith("Restore newest good backup"))

    restore.click()
    opened(qtbot, win)

    assert "Question a2?" in win.review_view.browser.toPlainText()  # a1 and b1 were answered
    assert "New 3" in win.review_view.counts_label.text()
    aside = [p for p in data.iterdir() if p.name.startswith("collection.sqlite.damaged-")]
    assert len(aside) == 1 and aside[0].stat().st_size == damaged_size
    assert "damaged file was kept" in win.statusBar().currentMessage()


def test_a_damaged_collection_without_backup_says_so_and_quit_keeps_it(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    data = tmp_path / "data"
    _damaged_collection(data, decks_dir, clock, backup=False)
    before = (data / "collection.sqlite").read_bytes()
    win = make_window()
    qtbot.waitUntil(lambda: win.backup_ui.damage_box is not None, timeout=15000)
    box = win.backup_ui.damage_box
    assert "no usable backup" in box.informativeText()
    assert str(data / "backups") in box.informativeText()
    assert not any(b.text().startswith("Restore") for b in box.buttons())

    next(b for b in box.buttons() if b.text() == "Quit").click()
    qtbot.waitUntil(lambda: not win.isVisible())

    assert (data / "collection.sqlite").read_bytes() == before
    assert not (data / "backups").exists()  # no backup of the damaged file on closing


def test_a_damaged_collection_without_backup_can_start_anew(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    data = tmp_path / "data"
    _damaged_collection(data, decks_dir, clock, backup=False)
    before = (data / "collection.sqlite").read_bytes()
    win = make_window()
    qtbot.waitUntil(lambda: win.backup_ui.damage_box is not None, timeout=15000)
    box = win.backup_ui.damage_box
    next(b for b in box.buttons() if b.text() == "Start a new collection").click()
    opened(qtbot, win)
    assert "New 5" in win.review_view.counts_label.text()
    aside = [p for p in data.iterdir() if p.name.startswith("collection.sqlite.damaged-")]
    assert len(aside) == 1 and aside[0].read_bytes() == before


@pytest.mark.parametrize(
    ("table", "painted_first"),
    [("review_log", False), ("item_fts_docsize", True)],  # read when opening / only on search
)
def test_garbage_pages_are_found_at_start_up_before_any_answer(
    qtbot: QtBot,
    make_window: WindowFactory,
    tmp_path: Path,
    decks_dir: Path,
    clock: FakeClock,
    table: str,
    painted_first: bool,
) -> None:
    data = tmp_path / "data"
    col = Collection.open(data, clock=clock)
    sync_deck_folders(col, [decks_dir])
    col.answer(col.next_card(), 5)
    root = col.db.conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name=?", (table,)
    ).fetchone()[0]
    col.close()
    Backups(data, clock=clock).create("close")
    path = data / "collection.sqlite"
    page_size = int.from_bytes(path.read_bytes()[16:18], "big")
    with path.open("r+b") as f:  # the table's root page: the header and meta still read well
        f.seek((root - 1) * page_size)
        f.write(b"\xa5" * page_size)
    damaged_bytes = path.read_bytes()

    win = make_window()
    painted: list[bool] = []
    win.ready.connect(lambda: painted.append(True))
    qtbot.waitUntil(lambda: win.backup_ui.damage_box is not None, timeout=15000)
    qtbot.waitUntil(lambda: win.worker.idle)

    assert bool(painted) == painted_first
    assert win.session is None
    assert "damaged" in win.backup_ui.damage_box.informativeText()
    assert path.read_bytes() == damaged_bytes
    restore = next(
        b for b in win.backup_ui.damage_box.buttons() if b.text().startswith("Restore newest")
    )
    restore.click()
    opened(qtbot, win)
    assert "New 4" in win.review_view.counts_label.text()


def test_a_lost_collection_is_not_recreated_and_the_backup_is_offered(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    data = tmp_path / "data"
    col = Collection.open(data, clock=clock)
    sync_deck_folders(col, [decks_dir])
    col.answer(col.next_card(), 5)
    col.close()
    Backups(data, clock=clock).create("close")
    path = data / "collection.sqlite"
    path.write_bytes(b"")  # e.g. a sync tool or a full disk emptied it

    win = make_window()
    qtbot.waitUntil(lambda: win.backup_ui.damage_box is not None, timeout=15000)
    qtbot.waitUntil(lambda: win.worker.idle)
    box = win.backup_ui.damage_box
    assert "cannot find your collection" in box.text()
    assert win.session is None and path.stat().st_size == 0  # no empty collection made
    restore = next(b for b in box.buttons() if b.text().startswith("Restore newest"))
    restore.click()
    opened(qtbot, win)
    assert answered_today(data, clock) == 1


def test_start_up_writes_nothing_before_the_page_check(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    """A deck file gained a card (so the start-up sync has something to write), and a page
    only a search reads is damaged: the window paints, finds the damage, and the file is
    byte for byte what it was, with no WAL left to be checkpointed into it."""
    data = tmp_path / "data"
    col = Collection.open(data, clock=clock)
    sync_deck_folders(col, [decks_dir])
    col.close()
    (decks_dir / "gamma.md").write_text(
        "---\ntitle: Gamma\n---\n\n## g1\n\n### Q\nNew?\n\n### A\nYes.\n", encoding="utf-8"
    )
    path = data / "collection.sqlite"
    damage_table(path, "item_fts_docsize")
    before = path.read_bytes()

    win = make_window()
    qtbot.waitUntil(lambda: win.backup_ui.damage_box is not None, timeout=15000)
    qtbot.waitUntil(lambda: win.worker.idle)
    win.close()

    assert path.read_bytes() == before
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert Backups(data, clock=clock).list() == []  # no 'close' backup of a damaged file
