"""Start the window: one instance per data folder, then the main window.

The instance lock is taken here, on the GUI thread, before any window appears, so a second
start on the same folder gets a clear message instead of a second writer.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from studyapp import version
from studyapp.core.errors import AlreadyRunningError, DataFolderError
from studyapp.core.storage.instance_lock import InstanceLock
from studyapp.logs import setup_logging
from studyapp.resources import ICON_SIZES, bundled
from studyapp.ui.main_window import MainWindow
from studyapp.ui.qt_compat import guard_none_refcount

__all__ = ["TRANSLATIONS_DIR", "create_application", "install_translations", "run_app"]

#: Overrides the system locale for the interface and the default card language, e.g. "ru".
LANG_ENV = "STUDYAPP_LANG"

#: Compiled Qt translations (``studyapp_ru.qm``), made from the ``.ts`` sources beside them.
TRANSLATIONS_DIR = bundled("i18n")

#: Answers the benchmark drives through the real window after the first paint.
BENCH_ANSWERS = 100


def create_application() -> QApplication:
    """The QApplication, created once, with the names Qt uses for settings and the title."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    guard_none_refcount()
    app = QApplication(sys.argv[:1])
    app.setApplicationName("StudyApp")
    app.setOrganizationName("StudyApp")
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("studyapp")  # Wayland's app_id: the installed .desktop file's name
    locale = QLocale(os.environ[LANG_ENV]) if os.environ.get(LANG_ENV) else QLocale.system()
    QLocale.setDefault(locale)  # the card language follows it too (see system_language)
    install_translations(app, locale)
    return app


def app_icon() -> QIcon:
    """The application icon in every bundled size (``studyapp install-desktop-entry`` installs
    the same files for the desktop's menu)."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(bundled("icons") / f"studyapp-{size}.png"))
    return icon


def install_translations(app: QApplication, locale: QLocale) -> list[QTranslator]:
    """Load StudyApp's and Qt's own translations for ``locale`` (none needed for English)."""
    installed = []
    for name, folder in (
        ("studyapp", TRANSLATIONS_DIR),
        ("qtbase", Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))),
    ):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", str(folder)):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def _bench_first_paint(window: MainWindow, app: QApplication) -> None:
    """Report when the first card is painted, then answer cards in the window and report RSS."""
    report: dict[str, float] = {}
    answered = 0

    def on_paint() -> None:
        nonlocal answered
        view = window.review_view
        if not report:
            report["painted_at"] = time.time()
        if view.shown_screen is None or view.shown_screen.card is None or answered >= BENCH_ANSWERS:
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            report["peak_rss_mb"] = rss
            report["answered"] = answered
            print(json.dumps(report), flush=True)
            QTimer.singleShot(0, window.close)
            return
        answered += 1
        view.reveal()
        QTimer.singleShot(0, lambda: view.grade(5))

    window.review_view.painted.connect(on_paint)


def run_app(data_dir: Path, *, bench_first_paint: bool = False) -> int:
    """Open the window on ``data_dir``; returns the process exit code."""
    app = create_application()
    lock = InstanceLock(data_dir)
    try:
        lock.acquire()
    except (AlreadyRunningError, DataFolderError) as exc:
        # Also a read-only folder: the lock file cannot be written, so say so before any
        # window (nothing would be saved there).
        if isinstance(exc, AlreadyRunningError):
            title = QCoreApplication.translate("App", "StudyApp is already running")
        else:
            title = QCoreApplication.translate("App", "The data folder cannot be used")
        QMessageBox.warning(None, title, str(exc))
        print(f"studyapp: {exc}", file=sys.stderr)
        return 2
    # Only now: the folder is ours and writable. A failed background job's traceback goes here.
    setup_logging(data_dir)
    try:
        window = MainWindow(data_dir)
        if bench_first_paint:
            _bench_first_paint(window, app)
        window.show()
        # Reading the package metadata costs ~70 ms of imports: after the first paint.
        QTimer.singleShot(0, lambda: app.setApplicationVersion(version()))
        return app.exec()
    finally:
        lock.release()
