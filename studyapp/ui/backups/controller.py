"""Backups in the window: automatic backups, the restore dialog and the damaged-collection prompt.

"Use" for the 30-minute automatic backup is time the window is the active window and not
minimised, counted in one-minute ticks (see :class:`UseMeter`): a window left open overnight in
the background does not make 16 identical backups. Backups run on their own thread (they read
through their own connection, so answers never wait for gzip: 2 s for 100,000 cards with a million
reviews); restores run on the database lane, after any backup in flight.

The controller gets the window's :class:`~studyapp.ui.context.AppContext`, not the window: it asks
for the session to be closed or the collection reopened through its signals.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDate,
    QLocale,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.storage.backups import (
    BackupError,
    BackupInfo,
    Backups,
    DamagedCollectionError,
    RestoreResult,
    UseMeter,
    check_collection,
    damaged,
)
from studyapp.ui.context import AppContext

__all__ = ["BackupController", "RestoreDialog", "backup_time"]

log = logging.getLogger(__name__)

#: How often the window asks whether it is in use (and so whether a backup is due).
TICK_MS = 60_000

#: Why a backup was made, as the restore dialog shows it.
REASONS = {
    "auto": QT_TRANSLATE_NOOP("Backups", "automatic"),
    "close": QT_TRANSLATE_NOOP("Backups", "on closing"),
    "manual": QT_TRANSLATE_NOOP("Backups", "manual"),
    "before-restore": QT_TRANSLATE_NOOP("Backups", "before a restore"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("Backups", text)


def backup_time(info: BackupInfo) -> str:
    """When a backup was made, in local time and the locale's short date format."""
    local = info.created.astimezone()
    day = QDate(local.year, local.month, local.day)
    return f"{QLocale().toString(day, QLocale.FormatType.ShortFormat)} {local:%H:%M}"


class RestoreDialog(QDialog):
    """The backups, newest first (date, size, why); Restore asks for confirmation."""

    def __init__(self, backups: list[BackupInfo], folder: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Restore from backup"))
        self.resize(560, 420)
        self.backups = backups
        self.chosen: BackupInfo | None = None
        self.table = QTableWidget(len(backups), 3)
        self.table.setHorizontalHeaderLabels([self.tr("Date"), self.tr("Size"), self.tr("Made")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        locale = QLocale()
        for row, info in enumerate(backups):
            why = QCoreApplication.translate("Backups", str(REASONS.get(info.reason, info.reason)))
            if not info.ok:
                why = self.tr("{0} — unreadable").format(why)
            cells = [backup_time(info), locale.formattedDataSize(info.size), why]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.itemSelectionChanged.connect(self._selection_changed)
        intro = QLabel(
            self.tr(
                "Backups are kept in {0}. Restoring replaces your collection with the chosen "
                "backup; your current collection is backed up first."
            ).format(folder)
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        empty = QLabel(self.tr("There are no backups yet."))
        empty.setVisible(not backups)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton(self.tr("Restore…"))
        self.restore_button.setEnabled(False)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self.confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.confirm_box: QMessageBox | None = None
        if backups:
            self.table.selectRow(0)

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.chosen = self.backups[rows[0].row()] if rows else None
        self.restore_button.setEnabled(self.chosen is not None)

    def confirm(self) -> QMessageBox | None:
        """Ask before replacing the collection; Yes accepts the dialog with ``chosen`` set."""
        info = self.chosen
        if info is None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Restore from backup"),
            self.tr("Replace your collection with the backup from {0}?").format(backup_time(info)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setInformativeText(
            self.tr("Your current collection is backed up first, so this can be undone.")
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        self.confirm_box = box
        box.open()
        return box


class BackupController(QObject):
    """Owns the window's backups: the use meter and its timer, close/auto backups, restore."""

    #: The collection is about to be closed (restore, damage): drop the open session now.
    close_session_requested = Signal()
    #: Open the collection again (after a restore or a new start) and show it.
    reopen_requested = Signal()
    #: Put this text on the review page in place of a card (what is happening, what is wrong).
    show_message = Signal(str)
    #: The user chose to quit (a damaged collection, nothing restored).
    quit_requested = Signal()

    def __init__(self, context: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self.context = context
        #: The window whose use is metered and over which the dialogs open.
        self.window = window
        self.backups = Backups(context.paths.root, clock=context.clock)
        self.meter = UseMeter(context.clock())
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        #: Backups run on their own lane, beside the database lane.
        self.worker = context.tasks.lane("backup")
        self.dialog: RestoreDialog | None = None
        self.damage_box: QMessageBox | None = None

    # ------------------------------------------------------------------ automatic backups
    def in_use(self) -> bool:
        """The window is in front of the user: active and not minimised."""
        return self.window.isActiveWindow() and not self.window.isMinimized()

    def tick(self, active: bool | None = None) -> None:
        """Count a minute of use and start an automatic backup when one is due."""
        now = self.context.clock()
        self.meter.tick(now, active=self.in_use() if active is None else active)
        if self.context.session is None or not self.meter.due:
            return
        self.meter.restart(now)
        if self.backups.due(now, self.meter.interval):
            self.backup_now("auto")

    def backup_now(self, reason: str) -> None:
        """Back up on the worker (the open collection is read through its own connection)."""
        backups = self.backups

        def done(path: Path) -> None:
            self.context.show_status(self.tr("Backed up to {0}").format(path), 4000)

        def failed(exc: BaseException) -> None:
            self.context.show_status(self.tr("The backup failed: {0}").format(exc), 10000)

        self.worker.submit(lambda: backups.create(reason), done, failed)

    def close(self, *, backup: bool) -> None:
        """The window closes (the collection is closed): back up if asked, wait, stop."""
        self.timer.stop()
        if backup:
            try:
                self.worker.run_sync(lambda: self.backups.create("close"))
            except Exception as exc:  # closing must go on; say why (stderr and the log file)
                log.warning("the backup on closing failed: %s", exc, exc_info=exc)
        self.worker.shutdown()

    # ------------------------------------------------------------------ restore
    def open_restore_dialog(self) -> RestoreDialog:
        """Show the backups; a confirmed choice is restored (the dialog is not blocking)."""
        dialog = RestoreDialog(self.backups.list(), self.backups.folder, self.window)

        def accepted() -> None:
            if dialog.chosen is not None:
                self.restore(dialog.chosen.path)

        dialog.accepted.connect(accepted)
        self.dialog = dialog
        dialog.open()
        return dialog

    def restore(self, backup: Path) -> None:
        """Close the collection on the database lane, restore, reopen; the review page follows."""
        session = self.context.session
        self.close_session_requested.emit()  # the pages ignore input meanwhile
        self.show_message.emit(self.tr("Restoring the backup…"))
        backups = self.backups

        def job() -> RestoreResult:
            if session is not None:
                session.collection.close()
            self.worker.run_sync(lambda: None)  # a backup in flight finishes first
            return backups.restore(backup)

        def done(result: RestoreResult) -> None:
            self._report(result)
            self.reopen_requested.emit()

        def failed(exc: BaseException) -> None:
            self.reopen_requested.emit()
            title = self.tr("The backup was not restored")
            detail = str(exc) if isinstance(exc, BackupError) else repr(exc)
            QMessageBox.warning(
                self.window,
                title,
                self.tr("{0}\n\nYour collection was not changed.").format(detail),
            )

        self.context.db.submit(job, done, failed)

    def _report(self, result: RestoreResult) -> None:
        if result.previous_damaged and result.previous is not None:
            text = self.tr("Backup restored. The damaged file was kept as {0}").format(
                result.previous
            )
        else:
            text = self.tr("Backup restored. The previous state was backed up first.")
        self.context.show_status(text, 15000)

    # ------------------------------------------------------------------ damaged collection
    def check_pages(
        self,
        then: Callable[[], Any] | None = None,
        sound: Callable[[Any], None] | None = None,
    ) -> None:
        """The collection is open and painted: check every page on the worker. Answers queue
        behind this job, so none is written to a damaged file; if damaged, it is closed without
        a checkpoint. Only a sound file gets ``then`` (the start-up's writes: deck and drill
        sync), run in the same job; ``sound`` receives its result on the GUI thread."""
        context = self.context
        session, path, root, clock = (
            context.session,
            context.paths.collection,
            context.paths.root,
            context.clock,
        )

        def job() -> tuple[DamagedCollectionError | None, Any]:
            problem = check_collection(path)
            if problem is None:
                return None, then() if then is not None else None
            if session is not None:
                session.collection.close_damaged()
            return damaged(root, problem, clock=clock), None

        def done(result: tuple[DamagedCollectionError | None, Any]) -> None:
            error, value = result
            if error is not None:
                self.close_session_requested.emit()
                self.explain_damage(error)
            elif sound is not None and context.session is session:
                sound(value)

        context.db.submit(job, done)

    def handle_open_error(self, exc: BaseException) -> bool:
        """Route an error from opening the collection: True when it is damage (then explained)."""
        if isinstance(exc, DamagedCollectionError):
            self.explain_damage(exc)
            return True
        if not isinstance(exc, sqlite3.DatabaseError):
            return False
        paths, clock = self.context.paths, self.context.clock
        path, root = paths.collection, paths.root
        detail = str(exc)
        self.context.db.submit(
            lambda: damaged(root, check_collection(path) or detail, clock=clock),
            self.explain_damage,
        )
        return True

    def explain_damage(self, exc: DamagedCollectionError) -> QMessageBox:
        """Say what is wrong and offer the newest good backup, or say there is none."""
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(self.tr("The collection is damaged"))
        if exc.lost:
            text = self.tr(
                "StudyApp cannot find your collection: the file is missing or empty, although "
                "this folder had one. An empty collection was not created in its place."
            )
        else:
            text = self.tr(
                "StudyApp cannot open your collection because the file is damaged. "
                "It has not been changed."
            )
        box.setText(text)
        details = self.tr("What is wrong: {0}\nFile: {1}").format(exc.problem, exc.path)
        newest = exc.newest_good
        restore_button = new_button = None
        if newest is not None:
            details += "\n\n" + self.tr(
                "The newest good backup is from {0}. Restoring it keeps the damaged file "
                "beside it, renamed to collection.sqlite.damaged-YYYYMMDD-HHMMSS."
            ).format(backup_time(newest))
            restore_button = box.addButton(
                self.tr("Restore newest good backup ({0})").format(backup_time(newest)),
                QMessageBox.ButtonRole.AcceptRole,
            )
        else:
            details += "\n\n" + self.tr(
                "There is no usable backup in {0}. You can quit and keep the file for "
                "recovery, or start a new collection: the damaged file is then kept beside "
                "it, renamed to collection.sqlite.damaged-YYYYMMDD-HHMMSS."
            ).format(self.backups.folder)
            new_button = box.addButton(
                self.tr("Start a new collection"), QMessageBox.ButtonRole.DestructiveRole
            )
        quit_button = box.addButton(self.tr("Quit"), QMessageBox.ButtonRole.RejectRole)
        box.setInformativeText(details)
        box.setDefaultButton(restore_button or quit_button)

        def chosen(button: object) -> None:
            if newest is not None and button is restore_button:
                self.restore(newest.path)
            elif button is new_button:
                self._start_new()
            else:
                QTimer.singleShot(0, self.quit_requested.emit)

        box.buttonClicked.connect(chosen)
        self.show_message.emit(box.text() + "\n\n" + details)
        self.damage_box = box
        box.open()
        return box

    def _start_new(self) -> None:
        """Keep the damaged file aside, then open a new, empty collection."""

        def done(aside: Path | None) -> None:
            self.context.show_status(
                self.tr("Started a new collection. The damaged file was kept as {0}").format(aside),
                15000,
            )
            self.reopen_requested.emit()

        self.context.db.submit(self.backups.start_anew, done)
