"""The real window, driven with qtbot: reveal, grade by key, undo, done page, deck problems."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from studyapp.core.collection import Collection
from studyapp.ui.main_window import MainWindow
from tests.conftest import FakeClock


def card_text(win: MainWindow) -> str:
    return win.review_view.browser.toPlainText()


def settle(qtbot: QtBot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: win.worker.idle, timeout=10000)


def test_reveal_and_grade_with_keys(qtbot: QtBot, window: MainWindow) -> None:
    view = window.review_view
    assert "Question a1?" in card_text(window) and "Answer a1." not in card_text(window)
    assert "New 5" in view.counts_label.text()
    qtbot.keyClick(view, Qt.Key.Key_5)  # grading before the reveal does nothing
    settle(qtbot, window)
    assert "Question a1?" in card_text(window)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert "Answer a1." in card_text(window)
    assert view.controls.currentIndex() == 1
    assert "1 d" in view.grade_buttons[5].text() and "Perfect" in view.grade_buttons[5].text()
    assert "again today" in view.grade_buttons[3].text()
    qtbot.keyClick(view, Qt.Key.Key_5)
    settle(qtbot, window)
    assert "Question b1?" in card_text(window)  # new cards come from each deck in turn
    assert "New 4" in view.counts_label.text()
    assert window.undo_action.isEnabled()


def test_enter_reveals_and_buttons_grade(qtbot: QtBot, window: MainWindow) -> None:
    view = window.review_view
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.mouseClick(view.grade_buttons[2], Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert "Re-drill 1" in view.counts_label.text()


def test_undo_brings_the_card_back(qtbot: QtBot, window: MainWindow) -> None:
    view = window.review_view
    for _ in range(2):
        qtbot.keyClick(view, Qt.Key.Key_Space)
        qtbot.keyClick(view, Qt.Key.Key_4)
        settle(qtbot, window)
    assert "Question a2?" in card_text(window)
    window.activateWindow()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert "Question b1?" in card_text(window)
    window.undo_action.trigger()
    settle(qtbot, window)
    assert "Question a1?" in card_text(window)
    assert not window.undo_action.isEnabled()
    assert "New 5" in view.counts_label.text()


def test_done_page_says_what_is_due_tomorrow(qtbot: QtBot, window: MainWindow) -> None:
    view = window.review_view
    for _ in range(5):
        qtbot.keyClick(view, Qt.Key.Key_Space)
        qtbot.keyClick(view, Qt.Key.Key_5)
        settle(qtbot, window)
    assert view.pages.currentWidget() is view.done_label
    text = view.done_label.text()
    assert "Done for today" in text and "<b>5</b> reviews due" in text


def test_answers_survive_closing_the_window(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, clock: FakeClock
) -> None:
    view = window.review_view
    qtbot.keyClick(view, Qt.Key.Key_Space)
    qtbot.keyClick(view, Qt.Key.Key_3)
    settle(qtbot, window)
    window.close()
    col = Collection.open(tmp_path / "data", clock=clock)
    try:
        assert col.db.conn.execute("SELECT quality FROM review_log").fetchall() == [(3,)]
    finally:
        col.close()


def test_malformed_deck_is_reported_on_decks_page(
    qtbot: QtBot, tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    (decks_dir / "broken.md").write_text("---\ntitle: Broken\n---\n## x1\n### Q\nonly q\n")
    win = MainWindow(
        tmp_path / "data", deck_folders=[decks_dir], exercises_dir=tmp_path / "none", clock=clock
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.session is not None and win.worker.idle, timeout=15000)
    assert "problem" in win.statusBar().currentMessage()
    win.nav.setCurrentRow(1)
    settle(qtbot, win)
    view = win.decks_view
    problems = [view.problems_list.item(i).text() for i in range(view.problems_list.count())]
    assert problems == [f"{decks_dir / 'broken.md'}:4: card 'x1' has no '### A'"]
    assert view.problems_list.isVisible()
    names = [view.decks_table.item(r, 1).text() for r in range(view.decks_table.rowCount())]
    assert names == ["Alpha", "Beta", "Broken"]
    assert "Question a1?" in win.review_view.browser.toPlainText()  # the rest still loads
    win.close()


def test_decks_page_toggle_search_and_history(qtbot: QtBot, window: MainWindow) -> None:
    view = window.review_view
    qtbot.keyClick(view, Qt.Key.Key_Space)
    qtbot.keyClick(view, Qt.Key.Key_4)
    settle(qtbot, window)
    window.nav.setCurrentRow(1)
    settle(qtbot, window)
    decks = window.decks_view
    assert decks.decks_table.rowCount() == 2
    assert decks.decks_table.item(0, 2).text() == "3"
    decks.decks_table.item(0, 0).setCheckState(Qt.CheckState.Unchecked)  # Alpha off
    settle(qtbot, window)
    assert "Question b1?" in card_text(window)
    decks.search_edit.setText("вопрос a1")  # QTest cannot type Cyrillic
    qtbot.waitUntil(lambda: decks.cards_table.rowCount() == 1, timeout=5000)
    assert decks.cards_table.item(0, 0).text() == "Question a1?"
    decks.cards_table.selectRow(0)
    qtbot.waitUntil(lambda: decks.history_table.rowCount() == 1, timeout=5000)
    assert decks.history_table.item(0, 1).text() == "4"
    assert "Answer a1." in decks.preview.toPlainText()


def test_failed_answer_keeps_the_app_running(qtbot: QtBot, window: MainWindow) -> None:
    """A stale answer (the card changed underneath) is reported, not lost silently or fatal."""
    view = window.review_view
    qtbot.keyClick(view, Qt.Key.Key_Space)
    session = window.session
    assert (
        session is not None and view.shown_screen is not None and view.shown_screen.card is not None
    )
    card = view.shown_screen.card
    window.worker.run_sync(lambda: session.collection.answer(card, 5))  # answered elsewhere
    qtbot.keyClick(view, Qt.Key.Key_4)
    settle(qtbot, window)
    assert "not recorded" in window.statusBar().currentMessage()
    assert "Question b1?" in card_text(window)


def test_card_follows_a_dark_palette(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    from studyapp.core.rendering.render import DARK, LIGHT

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    original = app.palette()
    view = window.review_view
    assert view.shown_screen is not None and LIGHT.background in view.shown_screen.question_html
    dark = QPalette(original)
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: DARK.background in view.shown_screen.question_html, timeout=5000)
        assert "Question a1?" in card_text(window)
    finally:
        app.setPalette(original)
    settle(qtbot, window)


def answer(qtbot: QtBot, win: MainWindow, quality: int) -> None:
    qtbot.keyClick(win.review_view, Qt.Key.Key_Space)
    qtbot.keyClick(win.review_view, Qt.Key.Key_0 + quality)  # type: ignore[operator]
    settle(qtbot, win)


def test_first_session_mixes_new_cards_from_every_deck(qtbot: QtBot, window: MainWindow) -> None:
    seen = []
    while window.review_view.pages.currentWidget() is not window.review_view.done_label:
        seen.append(card_text(window).split("?")[0].split()[-1])
        answer(qtbot, window, 5)
    assert seen == ["a1", "b1", "a2", "b2", "a3"]


def test_settings_offer_deck_by_deck_order(qtbot: QtBot, window: MainWindow) -> None:
    from studyapp.ui.main_window import SettingsDialog

    session = window.session
    assert session is not None
    dialog = SettingsDialog(session.collection.settings, window.paths.root, window)
    qtbot.addWidget(dialog)
    assert dialog.new_order.currentData() == "interleave"
    dialog.new_order.setCurrentIndex(dialog.new_order.findData("deck"))
    changes = dialog.changes()
    assert changes["new_order"] == "deck"
    window.worker.run_sync(lambda: session.collection.update_settings(**changes))
    window.refresh_review()
    settle(qtbot, window)
    answer(qtbot, window, 5)
    assert "Question a2?" in card_text(window)


def test_study_choice_narrows_the_session_to_one_deck(qtbot: QtBot, window: MainWindow) -> None:
    view = window.review_view
    qtbot.waitUntil(lambda: view.scope_combo.count() == 3, timeout=5000)
    items = [view.scope_combo.itemText(i) for i in range(view.scope_combo.count())]
    assert items == ["All decks", "Alpha (3)", "Beta (2)"]
    view.scope_combo.setCurrentIndex(2)
    view.scope_combo.activated.emit(2)  # what a choice in the list sends
    settle(qtbot, window)
    assert "Question b1?" in card_text(window) and "New 2" in view.counts_label.text()
    answer(qtbot, window, 5)
    assert "Question b2?" in card_text(window)
    view.scope_combo.setCurrentIndex(0)
    view.scope_combo.activated.emit(0)
    settle(qtbot, window)
    assert "Question a1?" in card_text(window) and "New 4" in view.counts_label.text()


def test_done_page_sums_up_the_session(qtbot: QtBot, window: MainWindow, clock: FakeClock) -> None:
    view = window.review_view
    for quality in (5, 4, 3, 5, 5):
        clock.advance(seconds=30)
        answer(qtbot, window, quality)
    answer(qtbot, window, 5)  # the card graded 3 comes back once today (a re-drill)
    assert view.pages.currentWidget() is view.done_label
    text = view.done_label.text()
    assert "Answered in this session</td><td>6" in text
    assert "Perfect: 4" in text and "Hesitant: 1" in text and "Hard: 1" in text
    assert "Blackout" not in text  # only the grades given
    assert "Time</td><td>" in text and " s</td>" in text
    assert "Next review due</td><td>tomorrow" in text


def test_grade_buttons_run_from_red_to_green(qtbot: QtBot, window: MainWindow) -> None:
    view = window.review_view
    qtbot.keyClick(view, Qt.Key.Key_Space)
    hues = []
    for q in range(6):
        button = view.grade_buttons[q]
        image = button.grab().toImage()
        edge = image.pixelColor(image.width() // 2, image.height() - 3)  # the coloured edge
        assert edge.saturation() > 100, (q, edge.name())
        hues.append(edge.hsvHue())
    assert hues == sorted(hues), hues
    assert hues[0] < 15 and hues[5] > 100  # red ... green
    assert "Perfect" in view.grade_buttons[5].text()  # the words stay


def test_status_messages_do_not_move_the_page(qtbot: QtBot, window: MainWindow) -> None:
    view = window.review_view
    qtbot.keyClick(view, Qt.Key.Key_Space)
    before = (view.mapTo(window, view.rect().bottomLeft()), view.controls.geometry())
    window.statusBar().showMessage("Decks synced", 3000)
    qtbot.wait(50)
    assert (view.mapTo(window, view.rect().bottomLeft()), view.controls.geometry()) == before
    window.statusBar().clearMessage()
    qtbot.wait(50)
    assert (view.mapTo(window, view.rect().bottomLeft()), view.controls.geometry()) == before
