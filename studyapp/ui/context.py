"""What the window's views and controllers share, instead of reaching into the main window.

Why: the backup and import controllers used to hold the ``MainWindow`` and write its fields
(``window.session = None``, ``window.drills.service = None``), and the window imported them back:
an import cycle, and no way to see who may change what. Now they get an :class:`AppContext`:
they *read* the shared things here (the task lanes, the data paths, the clock, the open session,
the renderer and the current theme and card language), *say* things through its ``status``
signal, and *ask* the window for anything bigger through signals of their own (close the
session, reopen the collection), which the window alone carries out.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from studyapp.core.rendering.render import Renderer
from studyapp.core.scheduling.review_session import ReviewSession
from studyapp.core.scheduling.study_day import Clock, local_now
from studyapp.core.storage.paths import DataPaths
from studyapp.logs import log_file
from studyapp.ui.tasks import Lane, TaskRunner
from studyapp.ui.theme import is_dark

__all__ = ["AppContext"]


class AppContext(QObject):
    """The shared state of one window: lanes, paths, clock, session, renderer, theme, language."""

    #: The open session changed: the new one, or None while there is none (opening, restoring,
    #: a damaged file). Emitted on the GUI thread.
    session_changed = Signal(object)
    #: A message for the window's status bar: (text, milliseconds to show it; 0 = until replaced).
    status = Signal(str, int)

    def __init__(
        self,
        paths: DataPaths,
        *,
        renderer: Renderer,
        clock: Clock = local_now,
        tasks: TaskRunner | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.paths = paths
        self.clock = clock
        self.renderer = renderer
        self.tasks = tasks if tasks is not None else TaskRunner(self)
        #: Whether cards, charts and code are drawn dark (the window's palette decides).
        self.dark: Callable[[], bool] = is_dark
        #: The language cards are shown in; the window sets its own (the setting, else the
        #: system's).
        self.language: Callable[[], str] = lambda: "en"
        self._session: ReviewSession | None = None

    @property
    def db(self) -> Lane:
        """The lane that owns the collection: every database call goes through it."""
        return self.tasks.lane("db")

    @property
    def session(self) -> ReviewSession | None:
        """The open review session (and its collection), or None while there is none."""
        return self._session

    @session.setter
    def session(self, session: ReviewSession | None) -> None:
        if session is self._session:
            return
        self._session = session
        self.session_changed.emit(session)

    @property
    def log_file(self) -> Path:
        """Where a failed job's traceback is written (see :func:`studyapp.logs.setup_logging`)."""
        return log_file(self.paths.root)

    def show_status(self, text: str, timeout_ms: int = 0) -> None:
        """Show ``text`` in the window's status bar for ``timeout_ms`` (0: until replaced)."""
        self.status.emit(text, timeout_ms)
