"""The main window: navigation between pages and the wiring of views to the shared context.

Every database or rendering call goes through the context's "db" lane (:mod:`studyapp.ui.tasks`);
the views only paint results. Controllers (backups, import/export, drills) get the
:class:`~studyapp.ui.context.AppContext`, never this window, and ask it for changes by signals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.decks.format import DeckProblem
from studyapp.core.decks.sync import SyncReport, bundled_decks_dir, sync_deck_folders
from studyapp.core.drills.catalog import load_catalog
from studyapp.core.drills.service import DrillService
from studyapp.core.rendering.math_render import MathRenderer
from studyapp.core.rendering.render import Renderer
from studyapp.core.scheduling.review_session import ReviewScreen, ReviewSession, StudyScope
from studyapp.core.scheduling.study_day import Clock, local_now
from studyapp.core.storage.backups import open_checked
from studyapp.core.storage.paths import DataPaths
from studyapp.ui.backups.controller import BackupController
from studyapp.ui.context import AppContext
from studyapp.ui.decks.controller import DecksController
from studyapp.ui.decks.view import DecksView
from studyapp.ui.drills.controller import DrillsController
from studyapp.ui.drills.view import DrillsView
from studyapp.ui.menus import SHORTCUTS, build_menus, show_shortcuts
from studyapp.ui.review.view import ReviewView
from studyapp.ui.settings_dialog import SettingsDialog, system_language
from studyapp.ui.stats.view import StatsView
from studyapp.ui.tasks import Lane
from studyapp.ui.theme import is_dark
from studyapp.ui.transfer.controller import TransferController

__all__ = ["SHORTCUTS", "MainWindow", "SettingsDialog", "system_language"]


def _renderer(paths: DataPaths) -> Renderer:
    """Formulas are drawn at the screen's own pixel ratio: Qt scales images in rich text
    without smoothing, and a 2x image shrunk to 1x can lose thin strokes such as "="."""
    screen = QGuiApplication.primaryScreen()
    ratio = screen.devicePixelRatio() if screen is not None else 1.0
    return Renderer(
        MathRenderer(paths.math_cache, scale=ratio, font_size=18), media_dir=paths.media
    )


def _open_collection(
    context: AppContext, lane: Lane, dark: bool
) -> tuple[ReviewSession, ReviewScreen]:
    """On the "db" lane: open the collection and make the first screen."""
    # The app already holds the folder's lock (taken before the window appeared).
    # A damaged file is not opened: the user is asked what to do (see backup_ui).
    # Nothing is written before every page is checked (right after the first paint):
    # the deck and drill sync run only once the file is known sound.
    col = open_checked(context.paths.root, clock=context.clock, lock=False, pages=False)
    col.db.defer_fsync()  # every commit is fsynced right after its result is shown
    lane.after_each = col.db.sync
    session = ReviewSession(col, context.renderer)
    language = col.settings.language or system_language()
    return session, session.screen(dark=dark, language=language)


def _sync_folders(
    session: ReviewSession, deck_folders: list[Path], exercises_dir: Path | None
) -> tuple[SyncReport, DrillService]:
    """On the "db" lane, after the page check: sync the deck files and the drills."""
    col = session.collection
    report = sync_deck_folders(col, deck_folders)
    exercises, problems = load_catalog(exercises_dir)
    drills = DrillService(col, exercises)
    drills.sync()
    # A broken exercise folder is listed with the deck problems (the message names it).
    report.problems.extend(DeckProblem(Path("exercises"), 1, p) for p in problems)
    return report, drills


def _navigation(titles: list[str]) -> QListWidget:
    """The list of pages on the left."""
    nav = QListWidget()
    nav.addItems(titles)
    nav.setFixedWidth(150)
    nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    nav.setStyleSheet("QListWidget { font-size: 15px; } QListWidget::item { padding: 10px; }")
    nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return nav


def _side_by_side(nav: QWidget, pages: QWidget) -> QWidget:
    central = QWidget()
    row = QHBoxLayout(central)
    row.addWidget(nav)
    row.addWidget(pages, 1)
    return central


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
        self.paths = paths = DataPaths(data_dir)
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
        self.context = AppContext(paths, renderer=_renderer(paths), clock=clock, parent=self)
        self.context.language = self.card_language
        #: The "db" lane: the one thread that owns the collection.
        self.worker = self.context.db
        self.context.tasks.failed.connect(self._show_error)
        self.last_sync: SyncReport | None = None

        self.review_view = ReviewView()
        self.decks_view = DecksView()
        self.drills_view = DrillsView()
        # Filled on first use: the visualizer needs numpy and matplotlib, kept off start-up.
        self.attention_page = QWidget()
        self._attention_layout = QVBoxLayout(self.attention_page)
        self._attention_layout.setContentsMargins(0, 0, 0, 0)
        self.attention_view: Any = None
        self.stats_view = StatsView(dark=is_dark)
        self.pages = QStackedWidget()
        for page in (
            self.review_view,
            self.decks_view,
            self.drills_view,
            self.attention_page,
            self.stats_view,
        ):
            self.pages.addWidget(page)
        self.nav = _navigation(
            [
                self.tr("Review"),
                self.tr("Decks"),
                self.tr("Drills"),
                self.tr("Attention"),
                self.tr("Statistics"),
            ]
        )
        self.nav.currentRowChanged.connect(self._switch_page)
        self.setCentralWidget(_side_by_side(self.nav, self.pages))
        self.statusBar()  # made now: a first message must not shrink the pages under the pointer
        self.context.status.connect(self.statusBar().showMessage)
        self.transfer = TransferController(self.context, self)
        self.transfer.collection_changed.connect(self.refresh_review)
        self.transfer.collection_changed.connect(self.refresh_decks)
        self.drills = DrillsController(self.drills_view, self.context)
        self.decks = DecksController(self.decks_view, self.context)
        self.decks.decks_changed.connect(self._decks_changed)
        self.drills.graded.connect(self.refresh_review)
        self._build_menus()
        self._connect_views()
        self.nav.setCurrentRow(0)
        self.backup_ui = BackupController(self.context, self)
        self.backup_ui.close_session_requested.connect(self._close_session)
        self.backup_ui.reopen_requested.connect(self.reopen_collection)
        self.backup_ui.show_message.connect(self.review_view.show_message)
        self.backup_ui.quit_requested.connect(self.close)
        self.reopen_collection()

    def _connect_views(self) -> None:
        self.review_view.graded.connect(self._answer)
        self.review_view.undo_requested.connect(self.undo)
        self.review_view.language_requested.connect(self._flip_language)
        self.review_view.open_drill.connect(self.open_drill)
        self.review_view.scope_requested.connect(self.study)
        self.decks_view.study_requested.connect(self.study_deck)
        self.decks_view.open_drill.connect(self.open_drill)
        self.drills_view.visualize_requested.connect(self.visualize_solution)
        self.stats_view.refresh_requested.connect(self.refresh_stats)
        # Bound methods (not lambdas) so Qt drops these connections with the window.
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.refresh_review)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.paletteChanged.connect(self.refresh_review)

    @property
    def session(self) -> ReviewSession | None:
        """The open session (kept by the context, whose ``session_changed`` tells who cares)."""
        return self.context.session

    # ------------------------------------------------------------------ set-up
    def _build_menus(self) -> None:
        transfer = self.transfer
        slots: dict[str, Callable[[], object]] = {
            "sync_decks": self.sync_decks,
            "import": transfer.choose_import,
            "export_deck": transfer.choose_export_deck,
            "export_collection": transfer.choose_export_collection,
            "settings": self.open_settings,
            "quit": self.close,
            "undo": self.undo,
            "page_review": partial(self.show_page, self.review_view),
            "page_decks": partial(self.show_page, self.decks_view),
            "page_drills": partial(self.show_page, self.drills_view),
            "page_attention": partial(self.show_page, self.attention_page),
            "page_stats": partial(self.show_page, self.stats_view),
            "shortcuts": partial(show_shortcuts, self),
        }
        self.undo_action = build_menus(self, slots)["undo"]

    def show_page(self, page: QWidget) -> None:
        """Switch to ``page`` as if chosen in the navigation list."""
        self.nav.setCurrentRow(self.pages.indexOf(page))

    def reopen_collection(self) -> None:
        """Open the collection on the "db" lane (at start, after a restore) and show it."""
        context, lane = self.context, self.worker
        dark = is_dark()

        def opened(result: tuple[ReviewSession, ReviewScreen]) -> None:
            session, screen = result
            self.context.session = session
            self.review_view.show_screen(screen)
            self._after_change()
            self.backup_ui.check_pages(
                then=lambda: _sync_folders(session, self.deck_folders, self.exercises_dir),
                sound=self._synced,
            )
            self.ready.emit()

        def failed(exc: BaseException) -> None:
            if self.backup_ui.handle_open_error(exc):
                return
            self.review_view.show_message(
                self.tr("The collection could not be opened.") + f"\n\n{exc}"
            )
            QMessageBox.critical(self, "StudyApp", str(exc))

        lane.submit(lambda: _open_collection(context, lane, dark), opened, failed)

    def _synced(self, result: tuple[SyncReport, DrillService]) -> None:
        """The collection is sound and synced: the pages can show everything."""
        self.last_sync, drills = result
        self.drills.attach(drills)
        if not self.review_view.revealed:
            self.refresh_review()
        self.refresh_scopes()
        self._after_change()
        self._report_problems(self.last_sync)

    def _close_session(self) -> None:
        """A controller asked: the collection is being closed (restore, damage)."""
        self.context.session = None

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
        session, screen = self.session, self.review_view.shown_screen
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
        screen = self.review_view.shown_screen
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
        """List the decks on the Decks page (after a sync, a toggle, an import)."""
        self.decks.refresh(self.last_sync)

    def _decks_changed(self) -> None:
        self.refresh_review()
        self.refresh_decks()
        self.refresh_scopes()

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
            self._attention_layout.addWidget(self.attention_view)
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

    def _show_error(self, lane: str, exc: BaseException) -> None:
        """A background job failed and nobody handled it: its traceback is in the log file."""
        self.statusBar().showMessage(
            self.tr("Error: {0} (details in {1})").format(exc, self.context.log_file), 10000
        )

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:
        session, self.context.session = self.session, None  # later signals: nothing to refresh
        if self.transfer.running:
            self.transfer.cancel()  # a half-read import is dropped, a write rolled back
        self.drills.close()
        if session is not None:
            self.worker.run_sync(session.collection.close)
        self.backup_ui.close(backup=session is not None)  # only a collection that opened sound
        self.context.tasks.shutdown()
        super().closeEvent(event)
