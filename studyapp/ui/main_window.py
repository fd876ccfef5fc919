"""The main window: navigation between pages, menus, and the wiring of views to the worker.

Every database or rendering call goes through :class:`DbWorker`; the views only paint results.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.collection import Settings
from studyapp.core.decks.format import DeckProblem
from studyapp.core.decks.sync import SyncReport, bundled_decks_dir, sync_deck_folders
from studyapp.core.drills.catalog import load_catalog
from studyapp.core.drills.service import DrillService
from studyapp.core.rendering.math_render import MathRenderer
from studyapp.core.rendering.render import Renderer, theme_for
from studyapp.core.scheduling.review_session import ReviewScreen, ReviewSession, StudyScope
from studyapp.core.scheduling.study_day import Clock, local_now
from studyapp.core.storage.backups import open_checked
from studyapp.core.storage.paths import DataPaths
from studyapp.ui.backups.controller import BackupController
from studyapp.ui.decks.view import DecksView
from studyapp.ui.drills.controller import DrillsController
from studyapp.ui.drills.view import DrillsView
from studyapp.ui.review.view import LANGUAGE_NAMES, ReviewView
from studyapp.ui.stats.view import StatsView
from studyapp.ui.tasks import DbWorker
from studyapp.ui.theme import is_dark
from studyapp.ui.transfer.controller import TransferController

__all__ = ["SHORTCUTS", "MainWindow", "system_language"]

#: Shown in Help → Keyboard shortcuts and in the README.
SHORTCUTS = [
    ("Space / Enter", QT_TRANSLATE_NOOP("MainWindow", "show the answer")),
    ("0 – 5", QT_TRANSLATE_NOOP("MainWindow", "grade the card (SM-2 quality)")),
    ("L", QT_TRANSLATE_NOOP("MainWindow", "show the card in its other language")),
    ("Ctrl+Z", QT_TRANSLATE_NOOP("MainWindow", "undo the last answer (several levels)")),
    ("Ctrl+1 / 2 / 3", QT_TRANSLATE_NOOP("MainWindow", "Review / Decks / Drills page")),
    ("Ctrl+4", QT_TRANSLATE_NOOP("MainWindow", "Attention visualizer page")),
    ("Ctrl+5", QT_TRANSLATE_NOOP("MainWindow", "Statistics page")),
    ("← / →", QT_TRANSLATE_NOOP("MainWindow", "previous / next attention step")),
    ("Ctrl+Enter", QT_TRANSLATE_NOOP("MainWindow", "run the drill's tests (in the editor)")),
    ("Ctrl+S", QT_TRANSLATE_NOOP("MainWindow", "save the drill's code (it is also autosaved)")),
    ("Ctrl+/", QT_TRANSLATE_NOOP("MainWindow", "comment or uncomment lines (in the editor)")),
    ("F5", QT_TRANSLATE_NOOP("MainWindow", "re-read the deck files")),
    ("Ctrl+,", QT_TRANSLATE_NOOP("MainWindow", "settings")),
    ("Ctrl+Q", QT_TRANSLATE_NOOP("MainWindow", "quit")),
]


def system_language() -> str:
    """The app's locale language (system or STUDYAPP_LANG) if cards exist in it, else English."""
    language = QLocale().name()[:2]
    return language if language in LANGUAGE_NAMES else "en"


class SettingsDialog(QDialog):
    """Day start hour and daily limits; shows the data folder."""

    def __init__(self, settings: Settings, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.day_start = QSpinBox(minimum=0, maximum=23, value=settings.day_start_hour)
        self.day_start.setSuffix(":00")
        self.new_per_day = QSpinBox(minimum=0, maximum=100_000, value=settings.new_per_day)
        self.reviews_per_day = QSpinBox(minimum=0, maximum=100_000, value=settings.reviews_per_day)
        self.language = QComboBox()
        system = LANGUAGE_NAMES[system_language()]
        self.language.addItem(self.tr("System language ({0})").format(system), "")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        folder = QLabel(str(data_dir))
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout(self)
        form.addRow(self.tr("Card language"), self.language)
        form.addRow(self.tr("A new study day starts at"), self.day_start)
        form.addRow(self.tr("New cards per day"), self.new_per_day)
        form.addRow(self.tr("Reviews per day"), self.reviews_per_day)
        self.new_order = QComboBox()
        self.new_order.addItem(self.tr("Mixed across decks"), "interleave")
        self.new_order.addItem(self.tr("Deck by deck"), "deck")
        self.new_order.setCurrentIndex(max(0, self.new_order.findData(settings.new_order)))
        form.addRow(self.tr("New cards come"), self.new_order)
        form.addRow(self.tr("Data folder"), folder)
        self.backups_folder = QLabel(str(DataPaths(data_dir).backups))
        self.backups_folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Backups folder"), self.backups_folder)
        self.restore_button = QPushButton(self.tr("Restore from backup…"))
        form.addRow("", self.restore_button)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def changes(self) -> dict[str, int | str]:
        return {
            "language": self.language.currentData(),
            "day_start_hour": self.day_start.value(),
            "new_per_day": self.new_per_day.value(),
            "reviews_per_day": self.reviews_per_day.value(),
            "new_order": self.new_order.currentData(),
        }


class MainWindow(QMainWindow):
    """Review and Decks pages over one collection, opened on the worker thread."""

    #: Emitted once the collection is open and the first screen is painted.
    ready = Signal()

    def __init__(
        self,
        data_dir: Path,
        *,
        deck_folders: Sequence[Path] | None = None,
        exercises_dir: Path | None = None,
        clock: Clock = local_now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.paths = DataPaths(data_dir)
        #: Synced at start-up and on F5: the bundled decks, then the user's own folder.
        self.deck_folders = list(
            deck_folders
            if deck_folders is not None
            else [bundled_decks_dir(), self.paths.user_decks]
        )
        self.exercises_dir = exercises_dir
        self.clock = clock
        self.setWindowTitle("StudyApp")
        self.resize(1100, 760)
        self.worker = DbWorker(self)
        self.worker.failed.connect(self._show_error)
        self.session: ReviewSession | None = None
        self.last_sync: SyncReport | None = None

        self.review_view = ReviewView()
        self.decks_view = DecksView()
        self.drills_view = DrillsView()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.review_view)
        self.pages.addWidget(self.decks_view)
        self.pages.addWidget(self.drills_view)
        # Filled on first use: the visualizer needs numpy and matplotlib, kept off start-up.
        self.attention_page = QWidget()
        QVBoxLayout(self.attention_page).setContentsMargins(0, 0, 0, 0)
        self.attention_view: Any = None
        self.pages.addWidget(self.attention_page)
        self.stats_view = StatsView(dark=is_dark)
        self.pages.addWidget(self.stats_view)
        self.nav = QListWidget()
        self.nav.addItems(
            [self.tr("Review"), self.tr("Decks"), self.tr("Drills"), self.tr("Attention")]
        )
        self.nav.addItem(self.tr("Statistics"))
        self.nav.setFixedWidth(150)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setStyleSheet(
            "QListWidget { font-size: 15px; } QListWidget::item { padding: 10px; }"
        )
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.nav.currentRowChanged.connect(self._switch_page)
        central = QWidget()
        row = QHBoxLayout(central)
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.statusBar()  # made now: a first message must not shrink the pages under the pointer
        self.transfer = TransferController(self)
        self._build_menus()

        self.review_view.graded.connect(self._answer)
        self.review_view.undo_requested.connect(self.undo)
        self.review_view.language_requested.connect(self._flip_language)
        self.review_view.open_drill.connect(self.open_drill)
        self.decks_view.deck_toggled.connect(self._toggle_deck)
        self.decks_view.search_requested.connect(self._search)
        self.decks_view.card_selected.connect(self._show_card)
        self.review_view.scope_requested.connect(self.study)
        self.decks_view.study_requested.connect(self.study_deck)
        self.decks_view.open_drill.connect(self.open_drill)
        self.drills_view.visualize_requested.connect(self.visualize_solution)
        self.stats_view.refresh_requested.connect(self.refresh_stats)
        # Bound methods (not lambdas) so Qt drops these connections with the window.
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.refresh_review)
        QGuiApplication.instance().paletteChanged.connect(self.refresh_review)
        self.nav.setCurrentRow(0)
        self.backup_ui = BackupController(self)
        self._start()

    # ------------------------------------------------------------------ set-up
    def _build_menus(self) -> None:
        def action(menu: Any, title: str, shortcut: str | QKeySequence, slot: Any) -> QAction:
            act = QAction(title, self)
            act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            menu.addAction(act)
            return act

        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        action(file_menu, self.tr("Re-read deck files"), "F5", self.sync_decks)
        action(file_menu, self.tr("Import…"), "Ctrl+I", self.transfer.choose_import)
        action(file_menu, self.tr("Export deck…"), "", self.transfer.choose_export_deck)
        action(file_menu, self.tr("Export collection…"), "", self.transfer.choose_export_collection)
        action(file_menu, self.tr("Settings…"), "Ctrl+,", self.open_settings)
        file_menu.addSeparator()
        action(file_menu, self.tr("Quit"), QKeySequence.StandardKey.Quit, self.close)
        edit_menu = bar.addMenu(self.tr("&Edit"))
        self.undo_action = action(
            edit_menu, self.tr("Undo answer"), QKeySequence.StandardKey.Undo, self.undo
        )
        view_menu = bar.addMenu(self.tr("&View"))
        action(view_menu, self.tr("Review"), "Ctrl+1", lambda: self.nav.setCurrentRow(0))
        action(view_menu, self.tr("Decks"), "Ctrl+2", lambda: self.nav.setCurrentRow(1))
        action(view_menu, self.tr("Drills"), "Ctrl+3", lambda: self.nav.setCurrentRow(2))
        action(
            view_menu,
            self.tr("Attention"),
            "Ctrl+4",
            lambda: self.nav.setCurrentRow(self.pages.indexOf(self.attention_page)),
        )
        action(
            view_menu,
            self.tr("Statistics"),
            "Ctrl+5",
            lambda: self.nav.setCurrentRow(self.pages.indexOf(self.stats_view)),
        )
        help_menu = bar.addMenu(self.tr("&Help"))
        action(help_menu, self.tr("Keyboard shortcuts"), "F1", self._show_shortcuts)

    def _start(self) -> None:
        # Formulas are drawn at the screen's own pixel ratio: Qt scales images in rich text
        # without smoothing, and a 2x image shrunk to 1x can lose thin strokes such as "=".
        screen = QGuiApplication.primaryScreen()
        ratio = screen.devicePixelRatio() if screen is not None else 1.0
        renderer = Renderer(
            MathRenderer(self.paths.math_cache, scale=ratio, font_size=18),
            media_dir=self.paths.media,
        )
        dark = is_dark()
        self.drills = DrillsController(self.drills_view, self.worker, renderer, is_dark)
        self.drills.language = self.card_language
        self.drills.graded.connect(self.refresh_review)

        def open_collection() -> tuple[ReviewSession, ReviewScreen]:
            # The app already holds the folder's lock (taken before the window appeared).
            # A damaged file is not opened: the user is asked what to do (see backup_ui).
            # Nothing is written before every page is checked (right after the first paint):
            # the deck and drill sync run only once the file is known sound.
            col = open_checked(self.paths.root, clock=self.clock, lock=False, pages=False)
            col.db.defer_fsync()  # every commit is fsynced right after its result is shown
            self.worker.after_each = col.db.sync
            session = ReviewSession(col, renderer)
            language = col.settings.language or system_language()
            return session, session.screen(dark=dark, language=language)

        def opened(result: tuple[ReviewSession, ReviewScreen]) -> None:
            self.session, screen = result
            self.review_view.show_screen(screen)
            self._after_change()
            session = self.session
            self.backup_ui.check_pages(
                then=lambda: self._sync_on_worker(session), sound=self._synced
            )
            self.ready.emit()

        def failed(exc: BaseException) -> None:
            if self.backup_ui.handle_open_error(exc):
                return
            self.review_view.show_message(
                self.tr("The collection could not be opened.") + f"\n\n{exc}"
            )
            QMessageBox.critical(self, "StudyApp", str(exc))

        self._open_collection = lambda: self.worker.submit(open_collection, opened, failed)
        self._open_collection()

    def _sync_on_worker(self, session: ReviewSession) -> tuple[SyncReport, DrillService]:
        """On the worker, after the page check: sync the deck files and the drills."""
        col = session.collection
        report = sync_deck_folders(col, self.deck_folders)
        exercises, problems = load_catalog(self.exercises_dir)
        drills = DrillService(col, exercises)
        drills.sync()
        # A broken exercise folder is listed with the deck problems (the message names it).
        report.problems.extend(DeckProblem(Path("exercises"), 1, p) for p in problems)
        return report, drills

    def _synced(self, result: tuple[SyncReport, DrillService]) -> None:
        """The collection is sound and synced: the pages can show everything."""
        self.last_sync, drills = result
        self.drills.attach(drills)
        if not self.review_view.revealed:
            self.refresh_review()
        self.refresh_scopes()
        self._after_change()
        self._report_problems(self.last_sync)

    def reopen_collection(self) -> None:
        """Open the collection again on the worker (after a restore) and show it."""
        self._open_collection()

    # ------------------------------------------------------------------ review
    def refresh_review(self, *_changed: object) -> None:
        """Re-render the current screen (palette change, sync, settings)."""
        session = self.session
        if session is None:
            return
        dark, language = is_dark(), self.card_language()
        self.worker.submit(
            lambda: session.screen(dark=dark, language=language), self.review_view.show_screen
        )

    def card_language(self) -> str:
        """The language cards are shown in: the setting, else the system's."""
        session = self.session
        chosen = session.collection.settings.language if session is not None else ""
        return chosen or system_language()

    def _flip_language(self, language: str) -> None:
        session = self.session
        if session is None:
            return
        dark = is_dark()
        self.worker.submit(
            lambda: session.screen(dark=dark, language=language), self.review_view.show_flipped
        )

    def _answer(self, quality: int, seconds: float) -> None:
        session, screen = self.session, self.review_view.screen
        if session is None or screen is None or screen.card is None:
            return
        card, dark = screen.card, is_dark()

        def done(next_screen: ReviewScreen) -> None:
            self.review_view.show_screen(next_screen)
            self._after_change()

        def failed(exc: BaseException) -> None:
            self.statusBar().showMessage(
                self.tr("The answer was not recorded: {0}").format(exc), 8000
            )
            self.refresh_review()

        language = self.card_language()
        self.worker.submit(
            lambda: session.answer(card, quality, seconds, dark=dark, language=language),
            done,
            failed,
        )

    def undo(self) -> None:
        """Ctrl+Z: bring back the last answered card with its exact previous state."""
        session = self.session
        if session is None or not session.collection.can_undo:
            self.statusBar().showMessage(self.tr("Nothing to undo"), 3000)
            return
        dark = is_dark()

        def done(screen: ReviewScreen) -> None:
            self.nav.setCurrentRow(0)
            self.review_view.show_screen(screen)
            self.statusBar().showMessage(self.tr("Answer undone"), 3000)
            self._after_change()

        language = self.card_language()
        self.worker.submit(lambda: session.undo(dark=dark, language=language), done)

    def _after_change(self) -> None:
        screen = self.review_view.screen
        self.undo_action.setEnabled(bool(screen and screen.can_undo))
        if self.pages.currentWidget() is self.decks_view:
            self.refresh_decks()
        elif self.pages.currentWidget() is self.stats_view:
            self.refresh_stats()  # e.g. the page was chosen before the collection was open

    # ------------------------------------------------------------------ decks
    def sync_decks(self) -> None:
        """F5: re-read the bundled and user deck folders, keeping progress."""
        session = self.session
        if session is None:
            return
        folders = self.deck_folders

        def done(report: SyncReport) -> None:
            self.last_sync = report
            self._report_problems(report)
            self.statusBar().showMessage(
                self.tr("Decks synced: {0} added, {1} updated, {2} retired, {3} problem(s)").format(
                    report.added, report.updated, report.retired, len(report.problems)
                ),
                6000,
            )
            if not self.review_view.revealed:
                self.refresh_review()
            self.refresh_decks()
            self.refresh_scopes()

        self.worker.submit(lambda: sync_deck_folders(session.collection, folders), done)

    def _report_problems(self, report: SyncReport) -> None:
        if report.problems:
            self.statusBar().showMessage(
                self.tr("{0} problem(s) in deck files — see the Decks page").format(
                    len(report.problems)
                ),
                10000,
            )

    def refresh_decks(self) -> None:
        session = self.session
        if session is None:
            return
        problems = [str(p) for p in self.last_sync.problems] if self.last_sync else []
        language = self.card_language()
        self.worker.submit(
            lambda: session.collection.decks(),
            lambda decks: self.decks_view.show_decks(decks, problems, language),
        )
        self.decks_view.request_search()

    def _toggle_deck(self, key: str, enabled: bool) -> None:
        session = self.session
        if session is None:
            return

        def done(_: object) -> None:
            self.refresh_review()
            self.refresh_decks()
            self.refresh_scopes()

        self.worker.submit(lambda: session.collection.set_deck_enabled(key, enabled), done)

    # ------------------------------------------------------------------ what to study
    def study(self, scope: StudyScope) -> None:
        """Study one deck, one tag or every deck from now on ("Study:" or the Decks page)."""
        session = self.session
        if session is None:
            return
        dark, language = is_dark(), self.card_language()

        def done(screen: ReviewScreen) -> None:
            self.nav.setCurrentRow(0)
            self.review_view.show_screen(screen)
            self._after_change()

        self.worker.submit(lambda: session.set_scope(scope, dark=dark, language=language), done)

    def study_deck(self, key: str) -> None:
        """The Decks page's "Study this deck" button."""
        self.study(StudyScope(deck_key=key))

    def refresh_scopes(self) -> None:
        """List the decks and tags "Study:" offers (after a sync or a deck toggle)."""
        session = self.session
        if session is None:
            return
        language = self.card_language()
        self.worker.submit(
            lambda: session.scope_options(language), self.review_view.set_scope_options
        )

    def _search(self, query: str, deck_key: str) -> None:
        session = self.session
        if session is None:
            return
        col = session.collection
        self.worker.submit(
            lambda: (col.browse(query, deck_key=deck_key or None), col.today()),
            lambda result: self.decks_view.show_cards(*result),
        )

    def _show_card(self, item_id: int) -> None:
        session = self.session
        if session is None:
            return
        col, renderer, theme = session.collection, session.renderer, theme_for(is_dark())
        language = self.card_language()

        def load() -> tuple[str, list]:
            card = col.card(item_id)
            front, back = card.text(language)
            return renderer.card_document(front, back, theme), list(col.history(item_id))

        self.worker.submit(load, lambda result: self.decks_view.show_card(*result))

    def _switch_page(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        page = self.pages.currentWidget()
        if page is self.decks_view:
            self.refresh_decks()
        elif page is self.attention_page:
            self.ensure_attention_view()
        elif page is self.drills_view:
            self.drills.refresh()
        elif page is self.stats_view:
            self.refresh_stats()
        else:
            self.review_view.setFocus()

    # ------------------------------------------------------------------ statistics
    def refresh_stats(self, *_args: object) -> None:
        """Compute the Statistics page's aggregations on the worker, then draw them."""
        session = self.session
        if session is None:
            return
        from studyapp.core.stats.queries import collect_statistics

        col, span = session.collection, self.stats_view.span
        self.worker.submit(lambda: collect_statistics(col, span), self.stats_view.show_stats)

    # ------------------------------------------------------------------ attention
    def ensure_attention_view(self) -> Any:
        """Build the Attention page the first time it is shown."""
        if self.attention_view is None:
            from studyapp.ui.attention.view import AttentionView

            self.attention_view = AttentionView(language=self.card_language(), dark=is_dark)
            self.attention_view.trace_requested.connect(self._trace)
            self.attention_page.layout().addWidget(self.attention_view)
        return self.attention_view

    def visualize_solution(self, key: str, code: str) -> None:
        """From the MHA drill: show the Attention page and trace the learner's code on it."""
        view = self.ensure_attention_view()
        self.nav.setCurrentRow(self.pages.indexOf(self.attention_page))
        view.start_trace(key, code)

    def _trace(self, key: str, code: str) -> None:
        view = self.attention_view
        if view is not None:
            self.drills.trace(key, code, view.trace_inputs(), view.show_trace)

    def open_drill(self, key: str) -> None:
        """From a due drill in Review: open it in the editor."""
        self.nav.setCurrentRow(2)
        self.drills_view.select(key)

    # ------------------------------------------------------------------ dialogs
    def open_settings(self) -> None:
        session = self.session
        if session is None:
            return
        dialog = SettingsDialog(session.collection.settings, self.paths.root, self)
        dialog.restore_button.clicked.connect(dialog.reject)
        dialog.restore_button.clicked.connect(self.backup_ui.open_restore_dialog)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        changes = dialog.changes()
        self.worker.submit(
            lambda: session.collection.update_settings(**changes),
            lambda _s: self.refresh_review(),
        )

    def _show_shortcuts(self) -> None:
        rows = "".join(
            f"<tr><td><b>{keys}</b></td><td>{QCoreApplication.translate('MainWindow', what)}"
            "</td></tr>"
            for keys, what in SHORTCUTS
        )
        QMessageBox.information(self, self.tr("Keyboard shortcuts"), f"<table>{rows}</table>")

    def _show_error(self, exc: BaseException) -> None:
        self.statusBar().showMessage(self.tr("Error: {0}").format(exc), 10000)

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:
        session, self.session = self.session, None  # later signals find nothing to refresh
        self.drills.close()
        if session is not None:
            self.worker.run_sync(session.collection.close)
        self.backup_ui.close(backup=session is not None)  # only a collection that opened sound
        self.worker.shutdown()
        super().closeEvent(event)
