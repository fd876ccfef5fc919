"""The Review page: question, reveal, six SM-2 grades, counters, undo, and the done page.

The view keeps no domain state beyond the screen it shows: every action is sent to the database
worker (``ReviewSession``) and the next screen comes back to :meth:`show_screen`.

"Study:" narrows the session to one deck or one tag; the done page sums up the session. Grade
buttons carry a colour from red (blackout) to green (perfect) as well as their words, so the scale
reads at a glance.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.collection import ItemKind, QueueSource
from studyapp.core.scheduling.review_session import (
    ReviewScreen,
    ScopeOption,
    SessionSummary,
    StudyScope,
)
from studyapp.core.scheduling.sm2 import REDRILL_BELOW

__all__ = ["GRADE_COLOURS", "LANGUAGE_NAMES", "ReviewView", "format_interval"]

#: Red for a blackout through amber to green for a perfect answer (readable on light and dark).
GRADE_COLOURS = {
    0: (192, 57, 43),
    1: (231, 76, 60),
    2: (230, 126, 34),
    3: (212, 172, 13),
    4: (124, 179, 66),
    5: (46, 157, 79),
}

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


def _tr(text: object) -> str:
    """A text marked with ``QT_TRANSLATE_NOOP("ReviewView", …)``, translated. The mark is the
    text itself at run time; PySide6's stub types it ``object``, hence the ``str``."""
    return QCoreApplication.translate("ReviewView", str(text))


def grade_style(quality: int) -> str:
    """The grade button's style sheet: a tinted face and a solid coloured bottom edge."""
    r, g, b = GRADE_COLOURS[quality]
    solid = f"rgb({r},{g},{b})"
    return (
        f"QPushButton {{ background-color: rgba({r},{g},{b},40); border: 1px solid {solid};"
        f" border-bottom: 5px solid {solid}; border-radius: 6px; padding: 4px; }}"
        f" QPushButton:hover {{ background-color: rgba({r},{g},{b},80); }}"
        f" QPushButton:pressed {{ background-color: rgba({r},{g},{b},130); }}"
    )


def format_duration(seconds: float) -> str:
    """'45 s', '3 min 05 s' or '1 h 02 min' (translated units)."""
    translate = QCoreApplication.translate
    total = round(seconds)
    if total < 60:
        return translate("ReviewView", "{0} s").format(total)
    if total < 3600:
        return translate("ReviewView", "{0} min {1:02d} s").format(total // 60, total % 60)
    return translate("ReviewView", "{0} h {1:02d} min").format(total // 3600, total % 3600 // 60)


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
    #: The learner chose what to study (a ``StudyScope``; every deck when empty).
    scope_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.shown_screen: ReviewScreen | None = None
        self.revealed = False
        self.busy = False
        self._shown_at = time.monotonic()
        self._scopes: list[StudyScope] = [StudyScope()]
        self._scope_titles: list[str] = [self.tr("All decks")]

        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)
        self.browser.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.browser.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.browser.document().setDocumentMargin(24)

        card_page = QWidget()
        card_layout = QVBoxLayout(card_page)
        card_layout.setContentsMargins(0, 0, 0, 0)
        card_layout.addLayout(self._build_top_bar())
        card_layout.addWidget(self.browser, 1)
        card_layout.addWidget(self._build_controls())

        self.done_label = QLabel()
        self.done_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_label.setWordWrap(True)
        self.done_label.setTextFormat(Qt.TextFormat.RichText)
        self.done_label.linkActivated.connect(self._on_done_link)
        self.message_label = QLabel(self.tr("Opening your collection…"))
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setWordWrap(True)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.message_label)
        self.pages.addWidget(card_page)
        self.pages.addWidget(self.done_label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    def _build_top_bar(self) -> QHBoxLayout:
        """The "Study:" choice, the card's deck, the counters and the language flip."""
        self.scope_combo = QComboBox()
        self.scope_combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scope_combo.setToolTip(self.tr("Study every deck, or only one deck or tag for now"))
        self.scope_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.scope_combo.setMaximumWidth(320)
        self.scope_combo.addItem(self.tr("All decks"))
        self.scope_combo.activated.connect(self._on_scope_chosen)
        self.deck_label = QLabel()
        self.deck_label.setObjectName("deckLabel")
        self.counts_label = QLabel()
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.flip_button = QPushButton()
        self.flip_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.flip_button.clicked.connect(self.flip_language)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Study:")))
        top.addWidget(self.scope_combo)
        top.addSpacing(12)
        top.addWidget(self.deck_label)
        top.addStretch(1)
        top.addWidget(self.counts_label)
        top.addWidget(self.flip_button)
        return top

    def _build_controls(self) -> QStackedWidget:
        """Under the card: Show answer, then the six grades; for a drill, Open in editor."""
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
            button.setStyleSheet(grade_style(q))
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
        return self.controls

    # ------------------------------------------------------------------ what to study
    def set_scope_options(self, options: Sequence[ScopeOption]) -> None:
        """Fill "Study:" with every deck and tag (the worker lists them after each sync)."""
        current = self.shown_screen.scope if self.shown_screen is not None else self._scopes[0]
        self._scopes = [StudyScope(), *(o.scope for o in options)]
        self._scope_titles = [self.tr("All decks")]
        self.scope_combo.blockSignals(True)
        self.scope_combo.clear()
        self.scope_combo.addItem(self._scope_titles[0])
        for option in options:
            title = (
                option.title if option.scope.deck_key else self.tr("Tag: {0}").format(option.title)
            )
            self._scope_titles.append(title)
            self.scope_combo.addItem(f"{title} ({option.waiting})" if option.waiting else title)
        self.scope_combo.blockSignals(False)
        self._show_scope(current)

    def _show_scope(self, scope: StudyScope) -> None:
        self.scope_combo.blockSignals(True)
        if scope not in self._scopes:  # chosen before the list arrived: name it as it is
            self._scopes.append(scope)
            self._scope_titles.append(scope.deck_key or self.tr("Tag: {0}").format(scope.tag))
            self.scope_combo.addItem(self._scope_titles[-1])
        self.scope_combo.setCurrentIndex(self._scopes.index(scope))
        self.scope_combo.blockSignals(False)

    def _on_scope_chosen(self, index: int) -> None:
        if 0 <= index < len(self._scopes) and not self.busy:
            self.scope_requested.emit(self._scopes[index])

    def _on_done_link(self, link: str) -> None:
        if link == "scope:all":
            self.scope_requested.emit(StudyScope())

    def scope_title(self, scope: StudyScope) -> str:
        """The name of a scope as "Study:" shows it, without the count."""
        if scope not in self._scopes:
            return scope.deck_key or scope.tag
        return self._scope_titles[self._scopes.index(scope)]

    # ------------------------------------------------------------------ showing
    def show_message(self, text: str) -> None:
        """A loading or error message instead of a card."""
        self.shown_screen = None
        self.message_label.setText(text)
        self.pages.setCurrentIndex(0)

    def show_screen(self, screen: ReviewScreen) -> None:
        """Paint the screen the worker computed; the question side first."""
        self.shown_screen = screen
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
        self._show_scope(screen.scope)
        if screen.card is None:
            self.flip_button.hide()
            self.done_label.setText(self.done_html(screen))
            self.pages.setCurrentIndex(2)
        else:
            card = screen.card
            where = screen.deck_title or card.kind
            badge = {
                QueueSource.REDRILL: self.tr(" · re-drill"),
                QueueSource.NEW: self.tr(" · new"),
            }
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
            self.controls.setCurrentIndex(2 if card.kind == ItemKind.DRILL else 0)
            self.pages.setCurrentIndex(1)
            self._shown_at = time.monotonic()
        self.setFocus()
        self.repaint()
        self.painted.emit()

    def done_html(self, screen: ReviewScreen) -> str:
        """The done page: today's total, this session's summary, what comes next."""
        done = screen.done
        assert done is not None
        if screen.scope.is_all:
            heading = self.tr("Done for today")
        else:
            heading = self.tr("Nothing more to study in “{0}” today").format(
                self.scope_title(screen.scope)
            )
        parts = [
            f"<h2>{heading}</h2>",
            "<p>{}</p>".format(self.tr("You answered {0} today.").format(done.answered_today)),
            self.summary_html(done.summary),
            "<p>{}</p>".format(
                self.tr("Tomorrow: <b>{0}</b> reviews due and up to <b>{1}</b> new cards.").format(
                    done.reviews_tomorrow, done.new_tomorrow
                )
            ),
        ]
        if not screen.scope.is_all:
            parts.append("<p><a href='scope:all'>{}</a></p>".format(self.tr("Study all decks")))
        if screen.can_undo:
            parts.append("<p>{}</p>".format(self.tr("Ctrl+Z brings back the last answer.")))
        return "".join(parts)

    def summary_html(self, summary: SessionSummary) -> str:
        """This session in one table: answers, each grade, time, and the next review."""
        rows = [(self.tr("Answered in this session"), str(summary.answered))]
        if summary.answered:
            grades = " &nbsp; ".join(
                "<span style='color:rgb({},{},{})'>■</span> {}: {}".format(
                    *GRADE_COLOURS[q], _tr(GRADE_TITLES[q]), n
                )
                for q, n in sorted(summary.grades.items())
            )
            rows.append((self.tr("Grades"), grades))
            rows.append((self.tr("Time"), format_duration(summary.seconds)))
        if summary.next_due_day is not None:
            rows.append(
                (
                    self.tr("Next review due"),
                    self.due_day_label(summary.next_due_day, summary.today),
                )
            )
        cells = "".join(
            f"<tr><td align='right' style='padding-right:12px'>{name}</td><td>{value}</td></tr>"
            for name, value in rows
        )
        return f"<table align='center' cellspacing='4'>{cells}</table>"

    def due_day_label(self, day: int, today: int) -> str:
        """'tomorrow', or 'in 5 days (2026-03-09)'."""
        if day <= today + 1:
            return self.tr("tomorrow")
        return self.tr("in {0} days ({1})").format(day - today, date.fromordinal(day).isoformat())

    def interval_label(self, quality: int) -> str:
        """What the grade does: the next interval, and 'again today' below 4 (SM-2 step 7)."""
        assert self.shown_screen is not None and self.shown_screen.card is not None
        again = quality < REDRILL_BELOW
        if self.shown_screen.card.is_redrill:
            return self.tr("again today") if again else self.tr("done today")
        days = self.shown_screen.intervals[quality]
        label = format_interval(days) if days is not None else ""
        return label + self.tr(" + again today") if again else label

    def other_language(self) -> str | None:
        """The language the flip button switches to, if the card has another one."""
        if self.shown_screen is None or self.shown_screen.card is None:
            return None
        others = [
            lang for lang in self.shown_screen.card.texts if lang != self.shown_screen.language
        ]
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
        if self.shown_screen is not None and self.shown_screen.card is not None:
            self.open_drill.emit(self.shown_screen.card.key)

    def reveal(self) -> None:
        """Show the answer and the grade buttons (a drill opens in the editor instead)."""
        if (
            self.shown_screen is None
            or self.shown_screen.card is None
            or self.revealed
            or self.busy
        ):
            return
        if self.shown_screen.card.kind == ItemKind.DRILL:
            self._open_drill()
            return
        self.revealed = True
        scroll = self.browser.verticalScrollBar().value()
        self.browser.setHtml(self.shown_screen.answer_html)
        self.browser.verticalScrollBar().setValue(scroll)
        self.controls.setCurrentIndex(1)

    def grade(self, quality: int) -> None:
        """Send the grade for the revealed card; ignored until the answer is shown."""
        if (
            not self.revealed
            or self.busy
            or self.shown_screen is None
            or self.shown_screen.card is None
        ):
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
