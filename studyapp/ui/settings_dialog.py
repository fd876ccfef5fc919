"""File → Settings…: the day start hour, daily limits, card language and where the data lives.

Kept out of the main window's module so the window reads as navigation and wiring only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from studyapp.core.collection import Settings
from studyapp.core.storage.paths import DataPaths
from studyapp.ui.review.view import LANGUAGE_NAMES

__all__ = ["SettingsDialog", "system_language"]


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
