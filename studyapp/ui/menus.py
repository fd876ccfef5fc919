"""The main window's menu bar as a table, and Help → Keyboard shortcuts.

Why a table: the menus are data (title, shortcut, what it does); keeping them out of
``MainWindow`` leaves the window to navigation and wiring. Titles keep the "MainWindow"
translation context they always had, so the Russian texts carry over.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

__all__ = ["MENUS", "SHORTCUTS", "build_menus", "show_shortcuts"]

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

Shortcut = str | QKeySequence.StandardKey

#: Each menu: its title and its entries (slot name, title, shortcut); None is a separator.
#: (``QT_TRANSLATE_NOOP`` is typed as returning ``object``; the texts are all ``str``.)
MENUS: list[tuple[object, list[tuple[str, object, Shortcut] | None]]] = [
    (
        QT_TRANSLATE_NOOP("MainWindow", "&File"),
        [
            ("sync_decks", QT_TRANSLATE_NOOP("MainWindow", "Re-read deck files"), "F5"),
            ("import", QT_TRANSLATE_NOOP("MainWindow", "Import…"), "Ctrl+I"),
            ("export_deck", QT_TRANSLATE_NOOP("MainWindow", "Export deck…"), ""),
            ("export_collection", QT_TRANSLATE_NOOP("MainWindow", "Export collection…"), ""),
            ("settings", QT_TRANSLATE_NOOP("MainWindow", "Settings…"), "Ctrl+,"),
            None,
            ("quit", QT_TRANSLATE_NOOP("MainWindow", "Quit"), QKeySequence.StandardKey.Quit),
        ],
    ),
    (
        QT_TRANSLATE_NOOP("MainWindow", "&Edit"),
        [("undo", QT_TRANSLATE_NOOP("MainWindow", "Undo answer"), QKeySequence.StandardKey.Undo)],
    ),
    (
        QT_TRANSLATE_NOOP("MainWindow", "&View"),
        [
            ("page_review", QT_TRANSLATE_NOOP("MainWindow", "Review"), "Ctrl+1"),
            ("page_decks", QT_TRANSLATE_NOOP("MainWindow", "Decks"), "Ctrl+2"),
            ("page_drills", QT_TRANSLATE_NOOP("MainWindow", "Drills"), "Ctrl+3"),
            ("page_attention", QT_TRANSLATE_NOOP("MainWindow", "Attention"), "Ctrl+4"),
            ("page_stats", QT_TRANSLATE_NOOP("MainWindow", "Statistics"), "Ctrl+5"),
        ],
    ),
    (
        QT_TRANSLATE_NOOP("MainWindow", "&Help"),
        [("shortcuts", QT_TRANSLATE_NOOP("MainWindow", "Keyboard shortcuts"), "F1")],
    ),
]


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def build_menus(
    window: QMainWindow, slots: Mapping[str, Callable[[], object]]
) -> dict[str, QAction]:
    """Fill ``window``'s menu bar from :data:`MENUS`; returns the actions by slot name."""
    actions: dict[str, QAction] = {}
    bar = window.menuBar()
    for title, entries in MENUS:
        menu = bar.addMenu(_tr(str(title)))
        for entry in entries:
            if entry is None:
                menu.addSeparator()
                continue
            name, text, shortcut = entry
            action = QAction(_tr(str(text)), window)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slots[name])
            menu.addAction(action)
            actions[name] = action
    return actions


def show_shortcuts(parent: QWidget) -> None:
    """Help → Keyboard shortcuts: the table of :data:`SHORTCUTS`, translated."""
    rows = "".join(
        f"<tr><td><b>{keys}</b></td><td>{_tr(str(what))}</td></tr>" for keys, what in SHORTCUTS
    )
    QMessageBox.information(parent, _tr("Keyboard shortcuts"), f"<table>{rows}</table>")
