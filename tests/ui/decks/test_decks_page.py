"""The Decks page and its card browser, driven through the real window: the preview follows the
highlighted row, questions read as plain text, the preview has the room, matches are counted,
drills are found, a disabled deck is greyed out, and "Study this deck" starts a session on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from pytestqt.qtbot import QtBot

from studyapp.core.drills.catalog import bundled_exercises_dir
from studyapp.ui.decks.view import DecksView
from studyapp.ui.main_window import MainWindow
from tests.conftest import FakeClock
from tests.ui.review.test_review_window import card_text, settle

LONG_CODE = "x = [" + ", ".join(str(n) for n in range(120)) + "]"
GAMMA = f"""---
title: Gamma
---

## g-math

### Q
Given $n \\leq 10^5$, why is `sorted()` **fast enough**?

### A
$O(n \\log n)$ is about $1.7 \\times 10^6$ steps.

```python
{LONG_CODE}
```
"""


@pytest.fixture
def win(qtbot: QtBot, tmp_path: Path, decks_dir: Path, clock: FakeClock) -> Iterator[MainWindow]:
    """The window over Alpha (a1-a3), Beta (b1-b2) and Gamma (one card with maths and code),
    on the Decks page with every card listed."""
    (decks_dir / "gamma.md").write_text(GAMMA, encoding="utf-8")
    window = MainWindow(
        tmp_path / "data", deck_folders=[decks_dir], exercises_dir=tmp_path / "none", clock=clock
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.session is not None and window.worker.idle, timeout=15000)
    window.nav.setCurrentRow(1)
    qtbot.waitUntil(lambda: window.decks_view.cards_table.rowCount() == 6, timeout=5000)
    settle(qtbot, window)
    yield window
    window.close()


def search(qtbot: QtBot, view: DecksView, text: str, rows: int) -> None:
    view.search_edit.setText(text)
    qtbot.waitUntil(
        lambda: (
            view.cards_table.rowCount() == rows
            and view.search_edit.text() == text
            and view._shown_search is not None
            and view._shown_search[0] == text
        ),
        timeout=5000,
    )


def preview_shows(qtbot: QtBot, win: MainWindow, text: str) -> None:
    qtbot.waitUntil(lambda: text in win.decks_view.preview.toPlainText(), timeout=20000)
    settle(qtbot, win)


def click_row(qtbot: QtBot, view: DecksView, row: int) -> None:
    table = view.cards_table
    centre = table.visualRect(table.model().index(row, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def test_a_new_search_shows_its_first_row_and_the_highlighted_row_can_be_clicked(
    qtbot: QtBot, win: MainWindow
) -> None:
    view = win.decks_view
    search(qtbot, view, "a1", 1)
    preview_shows(qtbot, win, "Answer a1.")
    search(qtbot, view, "b2", 1)  # row 0 again, but another card: the preview must follow
    preview_shows(qtbot, win, "Answer b2.")
    assert view.cards_table.selectionModel().isRowSelected(0)
    assert "Answer a1." not in view.preview.toPlainText()

    view.preview.setHtml("<p>something else</p>")  # e.g. a stale paint
    with qtbot.waitSignal(view.card_selected, timeout=3000) as clicked:
        click_row(qtbot, view, 0)
    assert clicked.args == [view.selected_row().item_id]  # type: ignore[union-attr]
    preview_shows(qtbot, win, "Answer b2.")

    search(qtbot, view, "", 6)
    click_row(qtbot, view, 1)  # another row: shown once, through the selection
    preview_shows(qtbot, win, "Answer a2.")


def test_history_follows_the_highlighted_row(qtbot: QtBot, win: MainWindow) -> None:
    review = win.review_view
    win.nav.setCurrentRow(0)
    qtbot.keyClick(review, Qt.Key.Key_Space)
    qtbot.keyClick(review, Qt.Key.Key_4)  # a1 answered once
    settle(qtbot, win)
    win.nav.setCurrentRow(1)
    view = win.decks_view
    search(qtbot, view, "a1", 1)
    qtbot.waitUntil(lambda: view.history_table.rowCount() == 1, timeout=5000)
    search(qtbot, view, "a2", 1)
    qtbot.waitUntil(lambda: view.history_table.rowCount() == 0, timeout=5000)
    preview_shows(qtbot, win, "Answer a2.")


def test_questions_read_as_plain_text(qtbot: QtBot, win: MainWindow) -> None:
    view = win.decks_view
    search(qtbot, view, "sorted", 1)
    question = view.cards_table.item(0, 0).text()
    assert question == "Given n ≤ 10^5, why is sorted() fast enough?"
    assert view.cards_table.item(0, 1).text() == "Gamma"


def test_the_preview_gets_the_room_without_a_sideways_scroll(qtbot: QtBot, win: MainWindow) -> None:
    win.resize(1024, 700)
    view = win.decks_view
    assert view.minimumSizeHint().width() <= 1024 - win.nav.width() - 40  # fits a 1024 px screen
    search(qtbot, view, "sorted", 1)
    preview_shows(qtbot, win, "steps.")
    assert win.height() <= 700
    assert view.preview.height() >= 250, view.preview.height()
    assert view.preview.height() > view.cards_table.height()
    assert view.preview.height() > view.history_table.height()
    assert LONG_CODE[:40] in view.preview.toPlainText()
    assert view.preview.horizontalScrollBar().maximum() == 0  # long code lines wrap


def test_matches_are_counted_and_no_match_is_said(qtbot: QtBot, win: MainWindow) -> None:
    view = win.decks_view
    assert view.count_label.text() == "Matches: 6"
    search(qtbot, view, "question", 5)
    assert view.count_label.text() == "Matches: 5"
    search(qtbot, view, "zzzz", 0)
    assert "No cards or drills match “zzzz”" in view.count_label.text()
    preview_shows(qtbot, win, "Nothing to preview")
    assert view.history_table.rowCount() == 0


def test_a_disabled_deck_is_greyed_out(qtbot: QtBot, win: MainWindow) -> None:
    view = win.decks_view
    names = [view.decks_table.item(r, 1).text() for r in range(view.decks_table.rowCount())]
    beta = names.index("Beta")
    enabled = view.decks_table.item(0, 1).foreground().color()
    view.decks_table.item(beta, 0).setCheckState(Qt.CheckState.Unchecked)
    qtbot.waitUntil(
        lambda: (
            view.decks_table.item(beta, 1).foreground().color()
            == view.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        ),
        timeout=5000,
    )
    assert view.decks_table.item(beta, 1).foreground().color() != enabled
    assert view.decks_table.item(beta, 2).foreground().color() != enabled  # the whole row
    assert "Left out of reviews" in view.decks_table.item(beta, 1).toolTip()
    view.decks_table.selectRow(beta)
    assert not view.study_button.isEnabled()  # nothing to study in a deck left out
    view.decks_table.selectRow(0)
    assert view.study_button.isEnabled()


def test_study_this_deck_then_all_decks(qtbot: QtBot, win: MainWindow) -> None:
    view = win.decks_view
    names = [view.decks_table.item(r, 1).text() for r in range(view.decks_table.rowCount())]
    view.decks_table.selectRow(names.index("Beta"))
    qtbot.mouseClick(view.study_button, Qt.MouseButton.LeftButton)
    settle(qtbot, win)
    review = win.review_view
    assert win.pages.currentWidget() is review
    assert "Question b1?" in card_text(win) and "New 2" in review.counts_label.text()
    assert review.scope_combo.currentText().startswith("Beta")
    for _ in range(2):
        qtbot.keyClick(review, Qt.Key.Key_Space)
        qtbot.keyClick(review, Qt.Key.Key_5)
        settle(qtbot, win)
    assert review.pages.currentWidget() is review.done_label
    assert "Nothing more to study in “Beta” today" in review.done_label.text()
    review.done_label.linkActivated.emit("scope:all")  # the "Study all decks" link
    settle(qtbot, win)
    assert "sorted()" in card_text(win)  # every deck again; the turn passes from Beta to Gamma
    assert "New 4" in review.counts_label.text() and review.scope_combo.currentIndex() == 0


def test_drills_are_found_and_open_on_the_drills_page(
    qtbot: QtBot, tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    win = MainWindow(
        tmp_path / "data",
        deck_folders=[decks_dir],
        exercises_dir=bundled_exercises_dir(),
        clock=clock,
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.session is not None and win.worker.idle, timeout=15000)
    qtbot.waitUntil(lambda: win.drills.service is not None, timeout=15000)
    win.nav.setCurrentRow(1)
    view = win.decks_view
    view.search_edit.setText("layernorm")
    qtbot.waitUntil(lambda: view._shown_search == ("layernorm", ""), timeout=5000)
    settle(qtbot, win)
    row = next(i for i, r in enumerate(view._rows) if r.key.endswith("/layernorm"))
    assert view.cards_table.item(row, 1).text().startswith("Drill")
    key = view._rows[row].key
    view.cards_table.selectRow(row)
    preview_shows(qtbot, win, "LayerNorm")
    assert view.open_drill_button.isVisible()
    qtbot.mouseClick(view.open_drill_button, Qt.MouseButton.LeftButton)
    settle(qtbot, win)
    assert win.pages.currentWidget() is win.drills_view
    assert win.drills_view.key == key
    win.close()
