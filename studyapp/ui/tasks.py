"""One thread owns the collection; results come back on the GUI thread.

Why (after Anki's task manager): SQLite work and card rendering must never block painting, and a
single worker thread serialises every database call so the collection needs no locking. Jobs
are plain callables; their result or exception is delivered to a callback on the GUI thread
through a queued Qt signal.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

__all__ = ["DbWorker"]

Callback = Callable[[Any], None]


class DbWorker(QObject):
    """A single background thread with GUI-thread callbacks."""

    _delivered = Signal(object, object)
    #: Emitted on the GUI thread with any exception a job raised and no on_error handled.
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studyapp-db")
        self._pending = 0
        #: Run on the worker after each job's result is on its way to the GUI (the window
        #: sets it to the collection's WAL fsync, so answers are durable without the GUI
        #: waiting for the disk).
        self.after_each: Callable[[], None] | None = None
        self._delivered.connect(self._deliver)

    @property
    def idle(self) -> bool:
        """True when no job is queued or running (tests wait on this)."""
        return self._pending == 0

    def submit(
        self,
        job: Callable[[], Any],
        on_result: Callback | None = None,
        on_error: Callback | None = None,
    ) -> None:
        """Run ``job`` on the worker; call ``on_result(value)`` or ``on_error(exc)`` afterwards."""
        self._pending += 1

        def run() -> None:
            try:
                value = job()
            except Exception as exc:  # delivered to the GUI, never lost in the thread
                self._delivered.emit(on_error or self.failed.emit, exc)
            else:
                self._delivered.emit(on_result, value)
            after = self.after_each
            if after is not None:
                try:
                    after()
                except Exception as exc:  # e.g. the disk failed: say so, keep working
                    self.failed.emit(exc)

        self._pool.submit(run)

    def _deliver(self, callback: Callback | None, value: object) -> None:
        self._pending -= 1
        if callback is not None:
            callback(value)

    def run_sync(self, job: Callable[[], Any]) -> Any:
        """Run ``job`` on the worker and wait for it (only for shutdown)."""
        return self._pool.submit(job).result()

    def shutdown(self) -> None:
        """Finish queued jobs and stop the thread."""
        self._pool.shutdown(wait=True)
