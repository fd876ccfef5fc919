"""The one way to run work off the GUI thread: named lanes, results back on the GUI thread.

Why (after Anki's task manager): SQLite work, backups, imports and drill runs must never block
painting. Each *lane* is one serial thread: the "db" lane owns the collection, so every database
call is serialised and the collection needs no locking; "backup", "import", "drill-run" and
"trace" keep slow work that needs no collection (gzip, unzipping, a child process) from queueing
behind answers. A job is a plain callable. Its result or exception is ALWAYS delivered to its
callback on the GUI thread, through a signal connected with ``Qt.QueuedConnection`` to a method
of an object that lives there: never a lambda connected to a signal emitted from the thread,
whose thread Qt does not guarantee.

A :class:`Token` gives a job cancellation (a ``threading.Event`` the job polls, checked again
before a queued job starts) and a progress callback that is likewise marshalled to the GUI
thread. A failed job's traceback is logged (see :mod:`studyapp.logs`); one that no ``on_error``
takes is announced by :attr:`TaskRunner.failed`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

from studyapp.core.errors import Cancelled

__all__ = ["Lane", "TaskRunner", "Token"]

T = TypeVar("T")
Callback = Callable[[Any], object]

log = logging.getLogger(__name__)

_QUEUED = Qt.ConnectionType.QueuedConnection


class _Relay(QObject):
    """Calls ``callback(*args)`` on the thread this object lives in (the GUI thread)."""

    _call = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._call.connect(self._run, _QUEUED)

    def post(self, callback: Callable[..., None], args: tuple[Any, ...]) -> None:
        """From any thread; dropped when the window (and this object) is already gone."""
        with contextlib.suppress(RuntimeError):
            self._call.emit(callback, args)

    def _run(self, callback: Callable[..., None], args: tuple[Any, ...]) -> None:
        callback(*args)


class Token:
    """Cancellation and progress for one piece of work, usable from any thread.

    One token may span several jobs on several lanes (an import reads on "import", then writes on
    "db"); cancelling it stops whichever runs and skips those still queued.
    """

    def __init__(self, relay: _Relay, on_progress: Callable[..., None] | None = None) -> None:
        self._relay = relay
        self._on_progress = on_progress
        #: Set by :meth:`cancel`; jobs poll it (``token.cancelled.is_set``).
        self.cancelled = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop; a job still queued is not started."""
        self.cancelled.set()

    def is_cancelled(self) -> bool:
        """For code that takes a ``cancel: Callable[[], bool]`` (the core's importers)."""
        return self.cancelled.is_set()

    def progress(self, *args: Any) -> None:
        """Report progress from the job; ``on_progress(*args)`` runs on the GUI thread."""
        if self._on_progress is not None:
            self._relay.post(self._on_progress, args)


class Lane(QObject):
    """One named serial thread whose jobs report back on the GUI thread."""

    _delivered = Signal(object, object, bool)
    #: On the GUI thread: (lane name, exception) for an exception no ``on_error`` took, or one
    #: from the ``after_each`` hook. It is already in the log.
    failed = Signal(str, object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"studyapp-{name}")
        self._pending = 0
        #: Run on the lane after each job's result is on its way to the GUI (the window sets the
        #: "db" lane's to the collection's WAL fsync, so answers are durable without the GUI
        #: waiting for the disk).
        self.after_each: Callable[[], None] | None = None
        self._delivered.connect(self._deliver, _QUEUED)

    @property
    def idle(self) -> bool:
        """True when no job is queued or running and every result was delivered (tests wait)."""
        return self._pending == 0

    def submit(
        self,
        job: Callable[[], Any],
        on_result: Callback | None = None,
        on_error: Callback | None = None,
        *,
        token: Token | None = None,
    ) -> None:
        """Run ``job`` here; then ``on_result(value)`` or ``on_error(exc)`` on the GUI thread.

        A job whose ``token`` was cancelled before it started is not run: ``on_error`` gets
        :class:`Cancelled`.
        """
        self._pending += 1
        self._pool.submit(self._run, job, on_result, on_error, token)

    def _run(
        self,
        job: Callable[[], Any],
        on_result: Callback | None,
        on_error: Callback | None,
        token: Token | None,
    ) -> None:
        try:
            if token is not None and token.cancelled.is_set():
                raise Cancelled()
            value = job()
        except Exception as exc:  # delivered to the GUI, never lost in the thread
            if isinstance(exc, Cancelled):
                log.info("a job on the %s lane was cancelled", self.name)
            else:  # the traceback goes to the log file; the handler shows the message
                level = logging.INFO if on_error is not None else logging.ERROR
                log.log(level, "a job on the %s lane failed", self.name, exc_info=exc)
            self._emit(on_error or self._unhandled, exc)
        else:
            self._emit(on_result, value)
        after = self.after_each
        if after is not None:
            try:
                after()
            except Exception as exc:  # e.g. the disk failed: say so, keep working
                log.error("after a job on the %s lane", self.name, exc_info=exc)
                self._emit(self._unhandled, exc, counted=False)

    def _emit(self, callback: Callback | None, value: object, *, counted: bool = True) -> None:
        with contextlib.suppress(RuntimeError):  # the window is gone: nobody is waiting
            self._delivered.emit(callback, value, counted)

    def _unhandled(self, exc: BaseException) -> None:
        self.failed.emit(self.name, exc)

    def _deliver(self, callback: Callback | None, value: object, counted: bool) -> None:
        if counted:
            self._pending -= 1
        if callback is not None:
            callback(value)

    def run_sync(self, job: Callable[[], T]) -> T:
        """Run ``job`` on this lane and wait for it (shutdown, tests)."""
        return self._pool.submit(job).result()

    def shutdown(self) -> None:
        """Finish the queued jobs and stop the thread."""
        self._pool.shutdown(wait=True)


class TaskRunner(QObject):
    """The app's lanes by name, made on first use; one place to wait for or stop them all."""

    #: On the GUI thread: (lane name, exception) for a failure no ``on_error`` took.
    failed = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lanes: dict[str, Lane] = {}
        self._relay = _Relay(self)

    def lane(self, name: str) -> Lane:
        """The serial thread called ``name`` ("db", "backup", "import", "drill-run", …)."""
        lane = self._lanes.get(name)
        if lane is None:
            lane = self._lanes[name] = Lane(name, self)
            lane.failed.connect(self.failed)
        return lane

    def submit(
        self,
        lane: str,
        job: Callable[[], Any],
        on_result: Callback | None = None,
        on_error: Callback | None = None,
        *,
        token: Token | None = None,
    ) -> None:
        """Run ``job`` on ``lane``; its result or exception comes back on the GUI thread."""
        self.lane(lane).submit(job, on_result, on_error, token=token)

    def token(self, on_progress: Callable[..., None] | None = None) -> Token:
        """A new cancellation/progress token; ``on_progress`` is called on the GUI thread."""
        return Token(self._relay, on_progress)

    def run_sync(self, lane: str, job: Callable[[], T]) -> T:
        """Run ``job`` on ``lane`` and wait for it (only for shutdown)."""
        return self.lane(lane).run_sync(job)

    @property
    def idle(self) -> bool:
        """No lane has work queued, running or undelivered."""
        return all(lane.idle for lane in self._lanes.values())

    def shutdown(self) -> None:
        """Finish every lane's queued jobs and stop the threads."""
        for lane in self._lanes.values():
            lane.shutdown()
