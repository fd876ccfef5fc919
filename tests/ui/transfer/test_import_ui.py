"""File → Import / Export through the real window: the deck dialog, progress, cancel, messages."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from studyapp.core.decks.format import parse_deck
from studyapp.ui.main_window import MainWindow
from studyapp.ui.transfer.controller import ExportDeckDialog, ImportDeckDialog
from tests.core.import_helpers import dump, write


def collection_rows(win: MainWindow) -> dict[str, object]:
    assert win.session is not None
    return win.worker.run_sync(lambda: dump(win.session.collection))


def finish(qtbot: QtBot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: not win.transfer.running and win.worker.idle, timeout=15000)


def test_csv_import_through_the_deck_dialog_adds_cards(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    csv = write(tmp_path / "capitals.csv", "front,back\nCapital of France?,Paris\nOf Peru?,Lima\n")
    window.transfer.start_import(csv)
    qtbot.waitUntil(lambda: window.transfer.deck_dialog is not None, timeout=5000)
    dialog = window.transfer.deck_dialog
    assert dialog is not None and dialog.deck.currentText() == "capitals"
    assert dialog.deck.count() == 0  # only imported decks are offered; alpha/beta are files
    dialog.deck.setEditText("Capitals")
    with qtbot.waitSignal(window.transfer.finished, timeout=15000):
        dialog.accept()
    finish(qtbot, window)
    box = window.transfer.message
    assert box is not None and "2 card(s) added" in box.text() and "Capitals" in box.text()
    box.close()
    decks = window.worker.run_sync(window.session.collection.decks)  # type: ignore[union-attr]
    [capitals] = [d for d in decks if d.name == "Capitals"]
    assert capitals.cards == 2 and capitals.new == 2
    assert "New 7" in window.review_view.counts_label.text()  # 5 deck cards + 2 imported
    # A second CSV can go into the deck the first one made.
    more = write(tmp_path / "more.csv", "Of Chile?,Santiago\n")
    window.transfer.start_import(more)
    qtbot.waitUntil(
        lambda: (
            window.transfer.deck_dialog is not None and window.transfer.deck_dialog is not dialog
        )
    )
    second = window.transfer.deck_dialog
    assert second is not None and second.deck.itemText(0) == "Capitals"
    second.deck.setCurrentIndex(0)
    assert second.choice() == ("Capitals", capitals.key)
    second.deck.setEditText("capitals")  # typed in another case: still that deck
    assert second.choice() == ("Capitals", capitals.key)
    with qtbot.waitSignal(window.transfer.finished, timeout=15000):
        second.accept()
    finish(qtbot, window)
    decks = window.worker.run_sync(window.session.collection.decks)  # type: ignore[union-attr]
    assert [d.cards for d in decks if d.name == "Capitals"] == [3]


def test_cancelling_leaves_the_collection_unchanged(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    rows = "".join(f"question {i},answer {i}\n" for i in range(3000))
    csv = write(tmp_path / "big.csv", rows)
    before = collection_rows(window)
    with qtbot.waitSignal(window.transfer.finished, timeout=15000):
        window.transfer.import_file(csv, deck_title="Big")
        progress = window.transfer.progress_dialog
        assert progress is not None and progress.isVisible()
        qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    finish(qtbot, window)
    assert collection_rows(window) == before
    assert "cancelled" in window.statusBar().currentMessage()
    assert window.transfer.progress_dialog is None


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("empty.csv", "", "the file is empty"),
        ("cols.csv", "q,a\nq2,a2,tag,extra\n", "line 2 has 4 column(s)"),
        ("notes.docx", "x", "cannot import this kind of file"),
    ],
)
def test_bad_file_shows_the_reason_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, name: str, text: str, message: str
) -> None:
    before = collection_rows(window)
    with qtbot.waitSignal(window.transfer.finished, timeout=15000):
        window.transfer.import_file(write(tmp_path / name, text), deck_title="Bad")
    finish(qtbot, window)
    box = window.transfer.message
    assert box is not None and box.icon() == QMessageBox.Icon.Warning
    assert "Nothing was imported" in box.text() and message in box.text() and name in box.text()
    box.close()
    assert collection_rows(window) == before


def test_export_deck_and_collection(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = ExportDeckDialog(window.worker.run_sync(window.session.collection.decks))  # type: ignore[union-attr]
    qtbot.addWidget(dialog)
    assert dialog.deck.count() == 2 and dialog.choice() == ("alpha", ".apkg")
    with qtbot.waitSignal(window.transfer.finished, timeout=15000):
        window.transfer.export_deck_to("alpha", tmp_path / "alpha.md")
    deck, problems = parse_deck(tmp_path / "alpha.md")
    assert problems == [] and deck is not None and len(deck.cards) == 3
    assert "Exported 3 card(s)" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.transfer.finished, timeout=15000):
        window.transfer.export_deck_to("alpha", tmp_path / "alpha.apkg")
    assert zipfile.is_zipfile(tmp_path / "alpha.apkg")
    with qtbot.waitSignal(window.transfer.finished, timeout=15000):
        window.transfer.export_collection_to(tmp_path / "all.studyapp-backup")
    assert (tmp_path / "all.studyapp-backup").stat().st_size > 0
    assert "Collection exported" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.transfer.finished, timeout=15000):
        window.transfer.export_deck_to("nope", tmp_path / "nope.md")
    box = window.transfer.message
    assert box is not None and "no deck 'nope'" in box.text()
    box.close()


def test_deck_dialog_needs_a_title(qtbot: QtBot) -> None:
    dialog = ImportDeckDialog([], "")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.deck.setEditText("  New deck ")
    assert ok.isEnabled() and dialog.choice() == ("New deck", None)
