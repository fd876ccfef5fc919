"""The Review page: question, reveal, six SM-2 grades, counters, undo, and the done page.

The view keeps no domain state beyond the screen it shows: every action is sent to the database
worker (``ReviewSession``) and the next screen comes back to :meth:`show_screen`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
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
from studyapp.core.sm2 import REDRILL_BELOW

__all__ = ["LANGUAGE_NAMES", "ReviewView", "format_interval"]

#: Short button titles; the tooltip carries the full meaning from the 1987 text.
GRADE_TITLES = {
    0: QT_TRANSLATE_NOOP("ReviewView", "Blackout"),
    1: QT_TRANSLATE_NOOP("ReviewView", "Wrong, familiar"),
    2: QT_TRANSLATE_NOOP("ReviewView", "Wrong, seemed easy"),
    3: QT_TRANSLATE_NOOP("ReviewView", "Hard"),
    4: QT_TRANSLATE_NOOP("ReviewView", "Hesitant"),
    5: QT_TRANSLATE_NOOP("ReviewView", "Perfect"),
}
#: SuperMemo-2's own words for the six grades (Wozniak, 1987).
GRADE_MEANINGS = {
    5: QT_TRANSLATE_NOOP("ReviewView", "perfect response"),
    4: QT_TRANSLATE_NOOP("ReviewView", "correct response after a hesitation"),
    3: QT_TRANSLATE_NOOP("ReviewView", "correct response recalled with serious difficulty"),
    2: QT_TRANSLATE_NOOP(
        "ReviewView", "incorrect response; where the correct one seemed easy to recall"
    ),
    1: QT_TRANSLATE_NOOP("ReviewView", "incorrect response; the correct one remembered"),
    0: QT_TRANSLATE_NOOP("ReviewView", "complete blackout"),
}
#: Card languages, named in their own language (as language menus do).
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReviewView", text)


def format_interval(days: int) -> str:
    """Short label under a grade button: '1 d', '3 w', '4 mo', '1.5 y' (translated units)."""
    translate = QCoreApplication.translate
    if days < 14:
        return translate("ReviewView", "{0} d").format(days)
    if days < 60:
        return translate("ReviewView", "{0} w").format(round(days / 7))
    if days < 365:
        return translate("ReviewView", "{0} mo").format(round(days / 30))
    return translate("ReviewView", "{0} y").format(f"{days / 365:.1f}")


class ReviewView(QWidget):
    """Shows one card at a time; grades with keys 0-5, reveals with Space or Enter."""

    #: (quality, seconds taken) for the card on screen.
    graded = Signal(int, float)
    undo_requested = Signal()
    #: The language the current card should be shown in (the flip button or key L).
    language_requested = Signal(str)
    #: A due coding drill should be opened in the editor (its key).
    open_drill = Signal(str)
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
        self.flip_button = QPushButton()
        self.flip_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.flip_button.clicked.connect(self.flip_language)
        top = QHBoxLayout()
        top.addWidget(self.deck_label)
        top.addStretch(1)
        top.addWidget(self.counts_label)
        top.addWidget(self.flip_button)

        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)
        self.browser.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.browser.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.browser.document().setDocumentMargin(24)

        self.reveal_button = QPushButton(self.tr("Show answer  (Space)"))
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
            button.setToolTip(self.tr("{0}: {1}  (key {0})").format(q, _tr(GRADE_MEANINGS[q])))
            button.clicked.connect(self._grade_callback(q))
            self.grade_buttons[q] = button
            grade_row.addWidget(button)
        self.drill_button = QPushButton(self.tr("Open in editor  (Enter)"))
        self.drill_button.setMinimumHeight(44)
        self.drill_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.drill_button.setToolTip(self.tr("Passing the drill's tests grades it"))
        self.drill_button.clicked.connect(self._open_drill)
        self.controls = QStackedWidget()
        self.controls.addWidget(self.reveal_button)
        self.controls.addWidget(grades)
        self.controls.addWidget(self.drill_button)
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
        self.message_label = QLabel(self.tr("Opening your collection…"))
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
            "<span style='color:#2a7ae2'>{}</span> &nbsp; "
            "<span style='color:#2e9d4f'>{}</span> &nbsp; "
            "<span style='color:#d9822b'>{}</span>".format(
                self.tr("New {0}").format(counts.new),
                self.tr("Due {0}").format(counts.due),
                self.tr("Re-drill {0}").format(counts.redrill),
            )
        )
        if screen.card is None:
            done = screen.done
            assert done is not None
            self.flip_button.hide()
            self.done_label.setText(
                "<h2>{}</h2><p>{}</p><p>{}</p>".format(
                    self.tr("Done for today"),
                    self.tr("You answered {0} today.").format(done.answered_today),
                    self.tr(
                        "Tomorrow: <b>{0}</b> reviews due and up to <b>{1}</b> new cards."
                    ).format(done.reviews_tomorrow, done.new_tomorrow),
                )
                + ("<p>{}</p>".format(self.tr("Ctrl+Z brings back the last answer.")))
                * screen.can_undo
            )
            self.pages.setCurrentIndex(2)
        else:
            card = screen.card
            where = screen.deck_title or card.kind
            badge = {"redrill": self.tr(" · re-drill"), "new": self.tr(" · new")}
            self.deck_label.setText(where + badge.get(card.queue, ""))
            self.browser.setHtml(screen.question_html)
            for q, button in self.grade_buttons.items():
                button.setText(f"{q}  {_tr(GRADE_TITLES[q])}\n{self.interval_label(q)}")
            other = self.other_language()
            self.flip_button.setVisible(other is not None)
            if other is not None:
                self.flip_button.setText(other.upper())
                self.flip_button.setToolTip(
                    self.tr("Show this card in {0} (L)").format(LANGUAGE_NAMES.get(other, other))
                )
            self.controls.setCurrentIndex(2 if card.kind == "drill" else 0)
            self.pages.setCurrentIndex(1)
            self._shown_at = time.monotonic()
        self.setFocus()
        self.repaint()
        self.painted.emit()

    def interval_label(self, quality: int) -> str:
        """What the grade does: the next interval, and 'again today' below 4 (SM-2 step 7)."""
        assert self.screen is not None and self.screen.card is not None
        again = quality < REDRILL_BELOW
        if self.screen.card.is_redrill:
            return self.tr("again today") if again else self.tr("done today")
        days = self.screen.intervals[quality]
        label = format_interval(days) if days is not None else ""
        return label + self.tr(" + again today") if again else label

    def other_language(self) -> str | None:
        """The language the flip button switches to, if the card has another one."""
        if self.screen is None or self.screen.card is None:
            return None
        others = [lang for lang in self.screen.card.texts if lang != self.screen.language]
        return others[0] if others else None

    def flip_language(self) -> None:
        """Show the current card in its other language; the answer stays revealed if it was."""
        other = self.other_language()
        if other is not None and not self.busy:
            self.language_requested.emit(other)

    def show_flipped(self, screen: ReviewScreen) -> None:
        """Paint the same card in another language, keeping the revealed state."""
        revealed = self.revealed
        self.show_screen(screen)
        if revealed:
            self.reveal()

    def _open_drill(self) -> None:
        if self.screen is not None and self.screen.card is not None:
            self.open_drill.emit(self.screen.card.key)

    def reveal(self) -> None:
        """Show the answer and the grade buttons (a drill opens in the editor instead)."""
        if self.screen is None or self.screen.card is None or self.revealed or self.busy:
            return
        if self.screen.card.kind == "drill":
            self._open_drill()
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
        elif key == Qt.Key.Key_L and not event.modifiers():
            self.flip_language()
        elif Qt.Key.Key_0 <= key <= Qt.Key.Key_5 and not event.modifiers() & ~(
            Qt.KeyboardModifier.KeypadModifier
        ):
            self.grade(key - Qt.Key.Key_0)
        else:
            super().keyPressEvent(event)
