"""The Decks page: decks with counts and an on/off switch, problems in deck files, and a card
browser with full-text search, a preview and each card's review history.

A thin view: it emits what the user asked for and paints what the worker sends back.

The browser shows each question as one line of plain text (no Markdown or TeX marks), finds coding
drills too (opening one goes to the Drills page), says how many items match, and gives most of its
height to the preview of the selected item. A new search selects its first row afresh, so the
preview and history always belong to the highlighted row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.collection import CardRow, DeckSummary, ItemKind, ReviewKind
from studyapp.core.rendering.plain_text import plain_text


class ReviewLogEntry(Protocol):
    """One answer in a card's history, as :meth:`Collection.history` returns it (read by name;
    the view does not import the storage layer)."""

    @property
    def reviewed_ms(self) -> int: ...
    @property
    def quality(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def seconds(self) -> float: ...
    @property
    def ef_before(self) -> int: ...
    @property
    def ef_after(self) -> int: ...
    @property
    def interval_before(self) -> int: ...
    @property
    def interval_after(self) -> int: ...


__all__ = ["BROWSE_LIMIT", "DecksView"]

#: Rows a search shows at most (the collection's own default limit).
BROWSE_LIMIT = 500


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
    #: "Study this deck": review only this deck for the session (its key).
    study_requested = Signal(str)
    #: A coding drill found by the search should open on the Drills page (its key).
    open_drill = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._decks: list[DeckSummary] = []
        self._deck_keys: list[str] = []
        self._rows: list[CardRow] = []
        self._card_ids: list[int] = []
        self._painting = False
        #: The language deck titles and questions are shown in (set with the decks).
        self.language = ""
        self._titles: dict[str, str] = {}
        #: The search whose results are listed, and the row highlighted when a click began.
        self._shown_search: tuple[str, str] | None = None
        self._highlighted_at_press: int | None = None

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self._build_decks_panel())
        split.addWidget(self._build_browser())
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        split.setSizes([320, 780])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.problems_label.hide()
        self.problems_list.hide()

    def _build_decks_panel(self) -> QWidget:
        """The decks with their switches, Study this deck, and the problems in deck files."""
        self.decks_table = _table(
            [self.tr("On"), self.tr("Deck"), self.tr("Cards"), self.tr("Due"), self.tr("New")]
        )
        self.decks_table.horizontalHeader().setStretchLastSection(False)
        self.decks_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.decks_table.itemChanged.connect(self._on_deck_item_changed)
        self.decks_table.itemSelectionChanged.connect(self._on_deck_selected)
        self.study_button = QPushButton(self.tr("Study this deck"))
        self.study_button.setToolTip(self.tr("Review only this deck until you choose another"))
        self.study_button.setEnabled(False)
        self.study_button.clicked.connect(self._study_selected)
        self.problems_list = QListWidget()
        self.problems_list.setMaximumHeight(110)
        self.problems_label = QLabel()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(
            QLabel(self.tr("<b>Decks</b> — untick to leave a deck out of reviews"))
        )
        left_layout.addWidget(self.decks_table, 1)
        left_layout.addWidget(self.study_button)
        left_layout.addWidget(self.problems_label)
        left_layout.addWidget(self.problems_list)
        return left

    def _build_cards_table(self) -> None:
        """The search results: the question gets the room, the deck column can be resized."""
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
        self.cards_table.clicked.connect(self._on_card_clicked)  # the highlighted row too
        self.cards_table.doubleClicked.connect(self._on_card_activated)
        self.cards_table.activated.connect(self._on_card_activated)
        self.cards_table.setMinimumHeight(90)
        self.cards_table.viewport().installEventFilter(self)

    def _build_browser(self) -> QWidget:
        """Search and deck filter, the match count, the list, the preview and the history."""
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(
            self.tr("Search cards and drills (every language; prefix match)")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.deck_filter = QComboBox()
        self.deck_filter.addItem(self.tr("All decks"), "")
        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(self.request_search)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.deck_filter.currentIndexChanged.connect(lambda _i: self.request_search())

        self._build_cards_table()
        self.count_label = QLabel()
        self.count_label.setObjectName("matchCount")
        self.open_drill_button = QPushButton(self.tr("Open on the Drills page"))
        self.open_drill_button.clicked.connect(self._open_selected_drill)
        self.open_drill_button.hide()
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.preview.setMinimumHeight(160)
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

        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.deck_filter)
        count_row = QHBoxLayout()
        count_row.addWidget(self.count_label, 1)
        count_row.addWidget(self.open_drill_button)
        # The preview gets most of the height: the list is for finding, the preview for reading.
        self.detail_split = QSplitter(Qt.Orientation.Vertical)
        self.detail_split.addWidget(self.preview)
        self.detail_split.addWidget(self.history_table)
        self.detail_split.setStretchFactor(0, 3)
        self.detail_split.setStretchFactor(1, 1)
        self.detail_split.setSizes([300, 100])
        self.browser_split = QSplitter(Qt.Orientation.Vertical)
        self.browser_split.addWidget(self.cards_table)
        self.browser_split.addWidget(self.detail_split)
        self.browser_split.setStretchFactor(0, 2)
        self.browser_split.setStretchFactor(1, 3)
        self.browser_split.setSizes([200, 400])
        self.browser_split.setChildrenCollapsible(False)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(search_row)
        right_layout.addLayout(count_row)
        right_layout.addWidget(self.browser_split, 1)
        return right

    # ------------------------------------------------------------------ painting
    def show_decks(
        self, decks: Sequence[DeckSummary], problems: Sequence[str], language: str = ""
    ) -> None:
        """Paint the deck table (titles in ``language``; a disabled deck greyed out) and the
        list of problems found in deck files."""
        self._painting = True
        self.language = language
        self._decks = list(decks)
        self._deck_keys = [d.key for d in decks]
        self._titles = {d.name: d.title(language) for d in decks}
        self.decks_table.setRowCount(len(decks))
        grey = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        for row, deck in enumerate(decks):
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            check.setCheckState(Qt.CheckState.Checked if deck.enabled else Qt.CheckState.Unchecked)
            self.decks_table.setItem(row, 0, check)
            name = _cell(deck.title(language))
            tip = f"{deck.description}\n{deck.source_path}".strip()
            if not deck.enabled:
                tip = self.tr("Left out of reviews (tick to include it)") + "\n" + tip
            name.setToolTip(tip.strip())
            self.decks_table.setItem(row, 1, name)
            for col, value in enumerate((deck.cards, deck.due, deck.new), start=2):
                self.decks_table.setItem(row, col, _cell(value, align_right=True))
            if not deck.enabled:
                for col in range(1, 5):
                    cell = self.decks_table.item(row, col)
                    if cell is not None:
                        cell.setForeground(grey)
        current = self.deck_filter.currentData()
        self.deck_filter.blockSignals(True)
        self.deck_filter.clear()
        self.deck_filter.addItem(self.tr("All decks"), "")
        for deck in decks:
            self.deck_filter.addItem(deck.title(language), deck.key)
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
        self._update_study_button()

    def show_cards(self, rows: Sequence[CardRow], today: int) -> None:
        """Paint the list a search returned and select its first row afresh, so the preview and
        history follow the highlighted row (rows are reused, so selecting "row 0" again would
        otherwise change nothing). A refresh of the same search keeps the selected item."""
        search = (self.search_edit.text(), self.deck_filter.currentData() or "")
        previous = self.selected_row() if search == self._shown_search else None
        self._shown_search = search
        self.cards_table.blockSignals(True)
        self.cards_table.clearSelection()
        self.cards_table.setCurrentCell(-1, -1)
        self.cards_table.blockSignals(False)
        self._rows = list(rows)
        self._card_ids = [r.item_id for r in rows]
        self.cards_table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            self._paint_row(i, r, today)
        self._show_count(len(rows))
        if rows:
            ids = self._card_ids
            row = 0
            if previous is not None and previous.item_id in ids:
                row = ids.index(previous.item_id)  # a refresh keeps the selected item
            self.cards_table.selectRow(row)
        else:
            self.open_drill_button.hide()
            self.preview.setHtml(
                "<p style='color:gray'>{}</p>".format(
                    self.tr("Nothing to preview: no card or drill matches this search.")
                )
            )
            self.history_table.setRowCount(0)

    def _paint_row(self, i: int, r: CardRow, today: int) -> None:
        front = r.fronts.get(self.language, r.front)
        if r.retired:
            due = self.tr("retired")
        elif r.due_day is None:
            due = self.tr("new")
        else:
            due = date.fromordinal(r.due_day).isoformat()
            if r.due_day <= today:
                due += self.tr(" (due)")
        question = _cell(plain_text(front, limit=300))
        question.setToolTip(f"{r.key}\n{plain_text(front, limit=1000)}")
        self.cards_table.setItem(i, 0, question)
        deck = self._titles.get(r.deck_title, r.deck_title)
        if r.kind == ItemKind.DRILL:
            deck = self.tr("Drill · {0}").format(deck) if deck else self.tr("Drill")
        days = self.tr("{0} d").format(r.interval)
        values = (deck, due, days, f"{r.ef:.2f}", r.reviews)
        for col, value in enumerate(values, start=1):
            self.cards_table.setItem(i, col, _cell(value, align_right=col >= 3))

    def _show_count(self, found: int) -> None:
        query = self.search_edit.text().strip()
        if found == 0:
            text = (
                self.tr("No cards or drills match “{0}”.").format(query)
                if query
                else self.tr("No cards in this deck.")
            )
            self.count_label.setText(f"<b>{text}</b>")
        elif found >= BROWSE_LIMIT:
            self.count_label.setText(
                self.tr("The first {0} matches are shown; type more to narrow the search.").format(
                    found
                )
            )
        else:
            self.count_label.setText(self.tr("Matches: {0}").format(found))

    def show_card(self, html: str, history: Sequence[ReviewLogEntry]) -> None:
        """Paint one card's preview and its review history. Code lines wrap here: the preview
        is narrower than the review page, and a sideways scroll hides half of every line."""
        self.preview.setHtml(html.replace("white-space: pre;", "white-space: pre-wrap;"))
        self.history_table.setRowCount(len(history))
        for i, log in enumerate(history):
            when = datetime.fromtimestamp(log.reviewed_ms / 1000).strftime("%Y-%m-%d %H:%M")
            interval = self.tr("{0} → {1} d").format(log.interval_before, log.interval_after)
            ef = f"{log.ef_before / 100:.2f} → {log.ef_after / 100:.2f}"
            kind = self.tr("re-drill") if log.kind == ReviewKind.REDRILL else self.tr("review")
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
        self._update_study_button()

    def selected_deck(self) -> DeckSummary | None:
        rows = self.decks_table.selectionModel().selectedRows()
        return self._decks[rows[0].row()] if rows and rows[0].row() < len(self._decks) else None

    def _update_study_button(self) -> None:
        deck = self.selected_deck()
        self.study_button.setEnabled(deck is not None and deck.enabled and deck.cards > 0)

    def _study_selected(self) -> None:
        deck = self.selected_deck()
        if deck is not None and deck.enabled:
            self.study_requested.emit(deck.key)

    def selected_row(self) -> CardRow | None:
        rows = self.cards_table.selectionModel().selectedRows()
        return self._rows[rows[0].row()] if rows and rows[0].row() < len(self._rows) else None

    def _on_card_selected(self) -> None:
        row = self.selected_row()
        self.open_drill_button.setVisible(row is not None and row.kind == ItemKind.DRILL)
        if row is not None:
            self.card_selected.emit(row.item_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Note which row was highlighted before a click changes the selection."""
        if watched is self.cards_table.viewport() and event.type() == QEvent.Type.MouseButtonPress:
            row = self.selected_row()
            self._highlighted_at_press = row.item_id if row is not None else None
        return super().eventFilter(watched, event)

    def _on_card_clicked(self, index: QModelIndex) -> None:
        """A click on the row that was already highlighted shows it again: the selection does
        not change, so nothing else would (a click on another row is handled by the selection)."""
        row = self.selected_row()
        clicked = self._rows[index.row()] if index.row() < len(self._rows) else None
        if row is not None and clicked is row and row.item_id == self._highlighted_at_press:
            self.card_selected.emit(row.item_id)

    def _on_card_activated(self, index: QModelIndex) -> None:
        if index.row() < len(self._rows) and self._rows[index.row()].kind == ItemKind.DRILL:
            self.open_drill.emit(self._rows[index.row()].key)

    def _open_selected_drill(self) -> None:
        row = self.selected_row()
        if row is not None and row.kind == ItemKind.DRILL:
            self.open_drill.emit(row.key)
