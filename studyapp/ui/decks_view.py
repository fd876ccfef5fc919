"""The Decks page: decks with counts and an on/off switch, problems in deck files, and a card
browser with full-text search, a preview and each card's review history.

A thin view: it emits what the user asked for and paints what the worker sends back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.collection import CardRow, DeckSummary

if TYPE_CHECKING:
    from studyapp.core.schema import ReviewLog

__all__ = ["DecksView"]


def _cell(text: object, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(str(text))
    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class DecksView(QWidget):
    """Decks overview plus the card browser."""

    deck_toggled = Signal(str, bool)
    #: (query, deck key or "" for all decks)
    search_requested = Signal(str, str)
    card_selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._deck_keys: list[str] = []
        self._card_ids: list[int] = []
        self._painting = False

        self.decks_table = _table(
            [self.tr("On"), self.tr("Deck"), self.tr("Cards"), self.tr("Due"), self.tr("New")]
        )
        self.decks_table.horizontalHeader().setStretchLastSection(False)
        self.decks_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.decks_table.itemChanged.connect(self._on_deck_item_changed)
        self.decks_table.itemSelectionChanged.connect(self._on_deck_selected)
        self.problems_list = QListWidget()
        self.problems_list.setMaximumHeight(110)
        self.problems_label = QLabel()

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Search cards (every language; prefix match)"))
        self.search_edit.setClearButtonEnabled(True)
        self.deck_filter = QComboBox()
        self.deck_filter.addItem(self.tr("All decks"), "")
        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(self.request_search)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.deck_filter.currentIndexChanged.connect(lambda _i: self.request_search())

        self.cards_table = _table(
            [
                self.tr("Question"),
                self.tr("Deck"),
                self.tr("Due"),
                self.tr("Interval"),
                self.tr("EF"),
                self.tr("Reviews"),
            ]
        )
        header = self.cards_table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 140)
        self.cards_table.itemSelectionChanged.connect(self._on_card_selected)
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.history_table = _table(
            [
                self.tr("When"),
                self.tr("Grade"),
                self.tr("Kind"),
                self.tr("Interval"),
                self.tr("EF"),
                self.tr("Seconds"),
            ]
        )

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(
            QLabel(self.tr("<b>Decks</b> — untick to leave a deck out of reviews"))
        )
        left_layout.addWidget(self.decks_table, 1)
        left_layout.addWidget(self.problems_label)
        left_layout.addWidget(self.problems_list)

        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.deck_filter)
        detail = QSplitter(Qt.Orientation.Vertical)
        detail.addWidget(self.preview)
        detail.addWidget(self.history_table)
        browser_split = QSplitter(Qt.Orientation.Vertical)
        browser_split.addWidget(self.cards_table)
        browser_split.addWidget(detail)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(search_row)
        right_layout.addWidget(browser_split, 1)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 2)
        split.setSizes([340, 760])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.problems_label.hide()
        self.problems_list.hide()

    # ------------------------------------------------------------------ painting
    def show_decks(self, decks: Sequence[DeckSummary], problems: Sequence[str]) -> None:
        """Paint the deck table and the list of problems found in deck files."""
        self._painting = True
        self._deck_keys = [d.key for d in decks]
        self.decks_table.setRowCount(len(decks))
        for row, deck in enumerate(decks):
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            check.setCheckState(Qt.CheckState.Checked if deck.enabled else Qt.CheckState.Unchecked)
            self.decks_table.setItem(row, 0, check)
            name = _cell(deck.name)
            name.setToolTip(f"{deck.description}\n{deck.source_path}".strip())
            self.decks_table.setItem(row, 1, name)
            for col, value in enumerate((deck.cards, deck.due, deck.new), start=2):
                self.decks_table.setItem(row, col, _cell(value, align_right=True))
        current = self.deck_filter.currentData()
        self.deck_filter.blockSignals(True)
        self.deck_filter.clear()
        self.deck_filter.addItem(self.tr("All decks"), "")
        for deck in decks:
            self.deck_filter.addItem(deck.name, deck.key)
        index = self.deck_filter.findData(current)
        self.deck_filter.setCurrentIndex(max(index, 0))
        self.deck_filter.blockSignals(False)
        self.problems_list.clear()
        self.problems_list.addItems(list(problems))
        self.problems_label.setText(
            "<b style='color:#c0392b'>{}</b> {}".format(
                self.tr("{0} problem(s) in deck files").format(len(problems)),
                self.tr("— these cards were skipped"),
            )
        )
        self.problems_label.setVisible(bool(problems))
        self.problems_list.setVisible(bool(problems))
        self._painting = False

    def show_cards(self, rows: Sequence[CardRow], today: int) -> None:
        """Paint the card list returned by a search."""
        self._card_ids = [r.item_id for r in rows]
        self.cards_table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            first_line = (
                r.front.strip().splitlines()[0].replace("**", "") if r.front.strip() else ""
            )
            if r.retired:
                due = self.tr("retired")
            elif r.due_day is None:
                due = self.tr("new")
            else:
                due = date.fromordinal(r.due_day).isoformat()
                if r.due_day <= today:
                    due += self.tr(" (due)")
            question = _cell(first_line)
            question.setToolTip(f"{r.key}\n{r.front}")
            self.cards_table.setItem(i, 0, question)
            days = self.tr("{0} d").format(r.interval)
            values = (r.deck_title, due, days, f"{r.ef:.2f}", r.reviews)
            for col, value in enumerate(values, start=1):
                self.cards_table.setItem(i, col, _cell(value, align_right=col >= 3))

    def show_card(self, html: str, history: Sequence[ReviewLog]) -> None:
        """Paint one card's preview and its review history."""
        self.preview.setHtml(html)
        self.history_table.setRowCount(len(history))
        for i, log in enumerate(history):
            when = datetime.fromtimestamp(log.reviewed_ms / 1000).strftime("%Y-%m-%d %H:%M")
            interval = self.tr("{0} → {1} d").format(log.interval_before, log.interval_after)
            ef = f"{log.ef_before / 100:.2f} → {log.ef_after / 100:.2f}"
            kind = self.tr("re-drill") if log.kind == "redrill" else self.tr("review")
            values = (when, log.quality, kind, interval, ef, f"{log.seconds:.1f}")
            for col, value in enumerate(values):
                self.history_table.setItem(i, col, _cell(value))

    # ------------------------------------------------------------------ user actions
    def request_search(self) -> None:
        self.search_requested.emit(self.search_edit.text(), self.deck_filter.currentData() or "")

    def _on_deck_item_changed(self, item: QTableWidgetItem) -> None:
        if self._painting or item.column() != 0:
            return
        enabled = item.checkState() == Qt.CheckState.Checked
        self.deck_toggled.emit(self._deck_keys[item.row()], enabled)

    def _on_deck_selected(self) -> None:
        rows = self.decks_table.selectionModel().selectedRows()
        if rows:
            key = self._deck_keys[rows[0].row()]
            self.deck_filter.setCurrentIndex(max(self.deck_filter.findData(key), 0))

    def _on_card_selected(self) -> None:
        rows = self.cards_table.selectionModel().selectedRows()
        if rows:
            self.card_selected.emit(self._card_ids[rows[0].row()])
