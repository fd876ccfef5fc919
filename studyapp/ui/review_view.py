"""The Review page: question, reveal, six SM-2 grades, counters, undo, and the done page.

The view keeps no domain state beyond the screen it shows: every action is sent to the database
worker (``ReviewSession``) and the next screen comes back to :meth:`show_screen`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.review_session import ReviewScreen
from studyapp.core.sm2 import GRADE_MEANINGS

__all__ = ["ReviewView"]

#: Short button titles; the tooltip carries the full meaning from the 1987 text.
GRADE_TITLES = {
    0: "Blackout",
    1: "Wrong, familiar",
    2: "Wrong, seemed easy",
    3: "Hard",
    4: "Hesitant",
    5: "Perfect",
}


class ReviewView(QWidget):
    """Shows one card at a time; grades with keys 0-5, reveals with Space or Enter."""

    #: (quality, seconds taken) for the card on screen.
    graded = Signal(int, float)
    undo_requested = Signal()
    #: Emitted after a card (or the done page) has been painted; the benchmark listens to it.
    painted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.screen: ReviewScreen | None = None
        self.revealed = False
        self.busy = False
        self._shown_at = time.monotonic()

        self.deck_label = QLabel()
        self.deck_label.setObjectName("deckLabel")
        self.counts_label = QLabel()
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        top = QHBoxLayout()
        top.addWidget(self.deck_label)
        top.addStretch(1)
        top.addWidget(self.counts_label)

        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)
        self.browser.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.browser.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.browser.document().setDocumentMargin(24)

        self.reveal_button = QPushButton("Show answer  (Space)")
        self.reveal_button.setMinimumHeight(44)
        self.reveal_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reveal_button.clicked.connect(self.reveal)
        self.grade_buttons: dict[int, QPushButton] = {}
        grades = QWidget()
        grade_row = QHBoxLayout(grades)
        grade_row.setContentsMargins(0, 0, 0, 0)
        for q in range(6):
            button = QPushButton()
            button.setMinimumHeight(52)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolTip(f"{q}: {GRADE_MEANINGS[q]}  (key {q})")
            button.clicked.connect(self._grade_callback(q))
            self.grade_buttons[q] = button
            grade_row.addWidget(button)
        self.controls = QStackedWidget()
        self.controls.addWidget(self.reveal_button)
        self.controls.addWidget(grades)
        self.controls.setMaximumHeight(60)

        card_page = QWidget()
        card_layout = QVBoxLayout(card_page)
        card_layout.setContentsMargins(0, 0, 0, 0)
        card_layout.addLayout(top)
        card_layout.addWidget(self.browser, 1)
        card_layout.addWidget(self.controls)

        self.done_label = QLabel()
        self.done_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_label.setWordWrap(True)
        self.done_label.setTextFormat(Qt.TextFormat.RichText)
        self.message_label = QLabel("Opening your collection…")
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setWordWrap(True)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.message_label)
        self.pages.addWidget(card_page)
        self.pages.addWidget(self.done_label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    # ------------------------------------------------------------------ showing
    def show_message(self, text: str) -> None:
        """A loading or error message instead of a card."""
        self.screen = None
        self.message_label.setText(text)
        self.pages.setCurrentIndex(0)

    def show_screen(self, screen: ReviewScreen) -> None:
        """Paint the screen the worker computed; the question side first."""
        self.screen = screen
        self.busy = False
        self.revealed = False
        counts = screen.counts
        self.counts_label.setText(
            f"<span style='color:#2a7ae2'>New {counts.new}</span> &nbsp; "
            f"<span style='color:#2e9d4f'>Due {counts.due}</span> &nbsp; "
            f"<span style='color:#d9822b'>Re-drill {counts.redrill}</span>"
        )
        if screen.card is None:
            done = screen.done
            assert done is not None
            self.done_label.setText(
                "<h2>Done for today</h2>"
                f"<p>You answered {done.answered_today} today.</p>"
                f"<p>Tomorrow: <b>{done.reviews_tomorrow}</b> reviews due and up to "
                f"<b>{done.new_tomorrow}</b> new cards.</p>"
                + ("<p>Ctrl+Z brings back the last answer.</p>" if screen.can_undo else "")
            )
            self.pages.setCurrentIndex(2)
        else:
            card = screen.card
            where = card.deck_title or card.kind
            badge = {"redrill": " · re-drill", "new": " · new"}.get(card.queue, "")
            self.deck_label.setText(f"{where}{badge}")
            self.browser.setHtml(screen.question_html)
            for q, button in self.grade_buttons.items():
                button.setText(f"{q}  {GRADE_TITLES[q]}\n{screen.intervals[q]}")
            self.controls.setCurrentIndex(0)
            self.pages.setCurrentIndex(1)
            self._shown_at = time.monotonic()
        self.setFocus()
        self.repaint()
        self.painted.emit()

    def reveal(self) -> None:
        """Show the answer and the grade buttons."""
        if self.screen is None or self.screen.card is None or self.revealed or self.busy:
            return
        self.revealed = True
        scroll = self.browser.verticalScrollBar().value()
        self.browser.setHtml(self.screen.answer_html)
        self.browser.verticalScrollBar().setValue(scroll)
        self.controls.setCurrentIndex(1)

    def grade(self, quality: int) -> None:
        """Send the grade for the revealed card; ignored until the answer is shown."""
        if not self.revealed or self.busy or self.screen is None or self.screen.card is None:
            return
        self.busy = True
        self.graded.emit(quality, time.monotonic() - self._shown_at)

    def _grade_callback(self, quality: int) -> Callable[[], None]:
        return lambda: self.grade(quality)

    # ------------------------------------------------------------------ keys
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.revealed:
            self.reveal()
        elif Qt.Key.Key_0 <= key <= Qt.Key.Key_5 and not event.modifiers() & ~(
            Qt.KeyboardModifier.KeypadModifier
        ):
            self.grade(key - Qt.Key.Key_0)
        else:
            super().keyPressEvent(event)
