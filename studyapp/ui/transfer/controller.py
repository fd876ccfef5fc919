"""File → Import / Export deck / Export collection: dialogs and the off-thread import.

Why two lanes: reading a file (unzipping an Anki package, parsing a CSV) needs no database, so it
runs on the "import" lane and the window keeps painting; writing goes through the "db" lane, the
one thread that owns the collection (see :mod:`studyapp.ui.tasks`). One :class:`Token` spans both:
its progress comes back on the GUI thread and Cancel sets its ``threading.Event``, which both the
reader and the writer poll; the writer then rolls back its single transaction, so a cancelled
import changes nothing.

Messages are shown with ``open()`` (never a blocking ``exec()``), so tests and the review page
keep running while one is up.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from studyapp.core.collection import DeckSummary
from studyapp.core.errors import Cancelled
from studyapp.ui.context import AppContext
from studyapp.ui.tasks import Token

if TYPE_CHECKING:
    from studyapp.core.transfer.import_model import ImportPackage
    from studyapp.core.transfer.importing import ImportSummary

__all__ = ["ExportDeckDialog", "ImportDeckDialog", "TransferController"]

_CSV_SUFFIXES = (".csv", ".tsv", ".txt")


class ImportDeckDialog(QDialog):
    """Where CSV/TSV cards go: one of the imported decks, or a new deck by title.

    Decks that come from deck files are not offered: their cards are what the file says, and
    the next sync would retire cards imported into them.
    """

    def __init__(
        self, decks: list[DeckSummary], suggested: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import into which deck?"))
        self.deck = QComboBox()
        self.deck.setEditable(True)
        self.deck.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for deck in decks:
            if not deck.source_path:
                self.deck.addItem(deck.name, deck.key)
        self.deck.setEditText(suggested)
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("Pick an imported deck, or type the title of a new one.")))
        form.addRow(self.tr("Deck"), self.deck)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.deck.editTextChanged.connect(self._check)
        self._check(suggested)

    def _check(self, text: str) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(text.strip()))

    def choice(self) -> tuple[str, str | None]:
        """(title, key of the existing deck or None for a new one)."""
        title = self.deck.currentText().strip()
        index = self.deck.findText(title, Qt.MatchFlag.MatchFixedString)  # any letter case
        if index < 0:
            return title, None
        return self.deck.itemText(index), self.deck.itemData(index)


class ExportDeckDialog(QDialog):
    """Which deck, and as an Anki package or a Markdown deck."""

    def __init__(self, decks: list[DeckSummary], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export deck"))
        self.deck = QComboBox()
        for deck in decks:
            self.deck.addItem(self.tr("{0} ({1} cards)").format(deck.name, deck.cards), deck.key)
        self.format = QComboBox()
        self.format.addItem(self.tr("Anki package (.apkg)"), ".apkg")
        self.format.addItem(self.tr("Markdown deck (.md)"), ".md")
        form = QFormLayout(self)
        form.addRow(self.tr("Deck"), self.deck)
        form.addRow(self.tr("Format"), self.format)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def choice(self) -> tuple[str, str]:
        """(deck key, file suffix)."""
        return self.deck.currentData(), self.format.currentData()


class TransferController(QObject):
    """The import and export actions of one window."""

    #: Emitted on the GUI thread when an import or export has finished (ok or not).
    finished = Signal()
    #: An import wrote cards: the pages showing them should refresh.
    collection_changed = Signal()

    def __init__(self, context: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self.context = context
        #: The window the dialogs and messages open over.
        self.window = window
        self.progress_dialog: QProgressDialog | None = None
        self.deck_dialog: ImportDeckDialog | None = None
        #: The last message shown (tests read and close it).
        self.message: QMessageBox | None = None
        self.running = False
        self._token: Token | None = None

    # ------------------------------------------------------------------ import
    def choose_import(self) -> None:
        """File → Import…: pick a file, then :meth:`start_import`."""
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            self.tr("Import"),
            str(Path.home()),
            self.tr("Anki packages and CSV/TSV (*.apkg *.colpkg *.csv *.tsv *.txt);;All files (*)"),
        )
        if path:
            self.start_import(Path(path))

    def start_import(self, path: Path) -> None:
        """Import ``path``; a CSV/TSV first asks for the deck (the dialog is ``deck_dialog``)."""
        session = self.context.session
        if session is None or self.running:
            return
        if path.suffix.lower() not in _CSV_SUFFIXES:
            self.import_file(path)
            return

        def ask(decks: list[DeckSummary]) -> None:
            dialog = self.deck_dialog = ImportDeckDialog(decks, path.stem, self.window)

            def accepted() -> None:
                title, key = dialog.choice()
                self.import_file(path, deck_title=title, deck_key=key)

            dialog.accepted.connect(accepted)
            dialog.open()

        self.context.db.submit(session.collection.decks, ask)

    def import_file(
        self, path: Path, *, deck_title: str | None = None, deck_key: str | None = None
    ) -> None:
        """Read ``path`` on the "import" lane, write it on "db", with a cancellable progress."""
        session = self.context.session
        if session is None or self.running:
            return
        from studyapp.core.scheduling.study_day import epoch_ms

        self.running = True
        token = self._token = self.context.tasks.token(on_progress=self._show_progress)
        dialog = self.progress_dialog = QProgressDialog(
            self.tr("Reading {0}…").format(path.name), self.tr("Cancel"), 0, 0, self.window
        )
        dialog.setWindowTitle(self.tr("Import"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.canceled.connect(self.cancel)
        today_ms = epoch_ms(self.context.clock())
        dialog.show()

        def read() -> ImportPackage:
            from studyapp.core.transfer.importing import read_import_file

            return read_import_file(
                path,
                deck=deck_title,
                deck_key=deck_key,
                today_ms=today_ms,
                cancel=token.is_cancelled,
                progress=token.progress,
            )

        # A failure is shown to the user; nothing was written.
        self.context.tasks.submit("import", read, self._write, self._failed, token=token)

    def cancel(self) -> None:
        """Stop the import in progress; whatever it wrote is rolled back."""
        if self._token is not None:
            self._token.cancel()
        if self.progress_dialog is not None:
            self.progress_dialog.setLabelText(self.tr("Cancelling…"))

    def _show_progress(self, done: int, total: int) -> None:
        dialog = self.progress_dialog
        if dialog is not None and total > 0:
            dialog.setMaximum(total)
            dialog.setValue(done)

    def _write(self, package: ImportPackage) -> None:
        session, token = self.context.session, self._token
        if session is None or token is None:
            self._end()
            return
        if self.progress_dialog is not None and not token.is_cancelled():
            self.progress_dialog.setLabelText(
                self.tr("Importing {0} cards…").format(package.card_count)
            )
        from studyapp.core.transfer.importing import import_package

        collection = session.collection
        self.context.db.submit(
            lambda: import_package(
                collection, package, cancel=token.is_cancelled, progress=token.progress
            ),
            self._imported,
            self._failed,
        )

    def _imported(self, summary: ImportSummary) -> None:
        self._end()
        self.collection_changed.emit()
        text = self.tr(
            "{0} card(s) added, {1} updated, {2} unchanged; {3} review(s), {4} media file(s)."
        ).format(summary.added, summary.updated, summary.unchanged, summary.reviews, summary.media)
        decks = "\n".join(f"• {title}" for title in summary.decks)
        details = "\n".join(summary.warnings)
        self.context.show_status(text, 10000)
        self._show(QMessageBox.Icon.Information, f"{text}\n\n{decks}", details)

    def _failed(self, exc: BaseException) -> None:
        self._end()
        if isinstance(exc, Cancelled):
            self.context.show_status(self.tr("Import cancelled; nothing was changed."), 8000)
            return
        self._show(
            QMessageBox.Icon.Warning,
            self.tr("Nothing was imported.") + f"\n\n{exc}",
            "",
        )

    def _end(self) -> None:
        self.running = False
        if self.progress_dialog is not None:
            self.progress_dialog.canceled.disconnect(self.cancel)
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        self._token = None
        self.finished.emit()

    def _show(self, icon: QMessageBox.Icon, text: str, details: str) -> None:
        box = QMessageBox(icon, "StudyApp", text, QMessageBox.StandardButton.Ok, self.window)
        if details:
            box.setDetailedText(details)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message = box
        box.open()

    # ------------------------------------------------------------------ export
    def choose_export_deck(self) -> None:
        """File → Export deck…: pick the deck and format, then where to save it."""
        session = self.context.session
        if session is None:
            return
        self.context.db.submit(session.collection.decks, self._ask_export_deck)

    def _ask_export_deck(self, decks: list[DeckSummary]) -> None:
        dialog = ExportDeckDialog(decks, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        deck_key, suffix = dialog.choice()
        if not deck_key:
            return
        name = self.tr("Anki package") if suffix == ".apkg" else self.tr("Markdown deck")
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            self.tr("Export deck"),
            str(Path.home() / f"{deck_key}{suffix}"),
            f"{name} (*{suffix})",
        )
        if path:
            dest = Path(path)
            self.export_deck_to(deck_key, dest if dest.suffix else dest.with_suffix(suffix))

    def export_deck_to(self, deck_key: str, dest: Path) -> None:
        """Write the deck to ``dest`` (format from its suffix) on the database lane."""
        session = self.context.session
        if session is None:
            return
        collection = session.collection

        def export() -> object:
            from studyapp.core.transfer.exporting import export_deck

            return export_deck(collection, deck_key, dest)

        def done(summary: object) -> None:
            self.context.show_status(
                self.tr("Exported {0} card(s) to {1}").format(
                    getattr(summary, "cards", 0), str(dest)
                ),
                10000,
            )
            self.finished.emit()

        self.context.db.submit(export, done, self._export_failed)

    def choose_export_collection(self) -> None:
        """File → Export collection…: one backup file with everything."""
        from studyapp.core.storage.backups import BACKUP_SUFFIX

        path, _ = QFileDialog.getSaveFileName(
            self.window,
            self.tr("Export collection"),
            str(Path.home() / f"studyapp-collection{BACKUP_SUFFIX}"),
            self.tr("StudyApp backup (*{0})").format(BACKUP_SUFFIX),
        )
        if path:
            self.export_collection_to(Path(path))

    def export_collection_to(self, dest: Path) -> None:
        """Write the whole collection to ``dest`` as one backup file, off the GUI thread."""
        if self.context.session is None:
            return
        source = self.context.paths.collection

        def export() -> Path:
            from studyapp.core.transfer.exporting import export_collection

            return export_collection(source, dest)

        def done(written: Path) -> None:
            self.context.show_status(
                self.tr("Collection exported to {0}").format(str(written)), 10000
            )
            self.finished.emit()

        self.context.db.submit(export, done, self._export_failed)

    def _export_failed(self, exc: BaseException) -> None:
        self._show(QMessageBox.Icon.Warning, self.tr("The export failed.") + f"\n\n{exc}", "")
        self.finished.emit()
