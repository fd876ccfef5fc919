"""Wires the Drills page to the collection worker (drafts, attempts, grades) and to the drill
runner (runs in a thread, so the window keeps painting while code runs or hangs).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from studyapp.core.drills.catalog import Exercise
from studyapp.core.drills.i18n import statement_path
from studyapp.core.drills.runner import DrillRunner
from studyapp.core.drills.runner_protocol import RunReport
from studyapp.core.drills.service import DrillService
from studyapp.core.rendering.render import Renderer, theme_for
from studyapp.ui.drills.view import DrillsView
from studyapp.ui.tasks import DbWorker

__all__ = ["DrillsController", "RunThread"]


class RunThread(QThread):
    """One run: blocks in ``DrillRunner.run`` off the GUI thread; events arrive as signals."""

    event = Signal(object)
    done = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        runner: DrillRunner,
        exercise: Exercise,
        source: str,
        stdin: str,
        force_cpu: bool,
        parent: QObject | None = None,
        *,
        trace: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.exercise, self.source = runner, exercise, source
        self.stdin, self.force_cpu, self.trace = stdin, force_cpu, trace

    def run(self) -> None:
        try:
            report = self.runner.run(
                self.exercise,
                self.source,
                stdin=self.stdin,
                force_cpu=self.force_cpu,
                on_event=self.event.emit,
                trace=self.trace,
            )
        except Exception as exc:  # the worker could not be started or died twice
            self.failed.emit(exc)
        else:
            self.done.emit(report)


class DrillsController(QObject):
    """The Drills page's behaviour; the view stays a view."""

    #: A drill's SM-2 schedule changed (a graded pass or a reveal): refresh the review page.
    graded = Signal()

    def __init__(self, view: DrillsView, worker: DbWorker, renderer: Renderer, dark: Any) -> None:
        super().__init__(view)
        self.view, self.worker, self.renderer, self._dark = view, worker, renderer, dark
        #: The card language (statements are shown in it); the window sets its own.
        self.language: Callable[[], str] = lambda: "en"
        self.service: DrillService | None = None
        self.runner = DrillRunner()
        self.thread: RunThread | None = None
        self._trace_thread: RunThread | None = None
        self._pending_trace: tuple[Any, ...] | None = None
        self._running = ("", "")
        self.torch_installed = importlib.util.find_spec("torch") is not None
        view.drill_selected.connect(self.open)
        view.run_requested.connect(self.run)
        view.stop_requested.connect(self.stop)
        view.save_requested.connect(self.save)
        view.reset_requested.connect(self.reset)
        view.reveal_requested.connect(self.reveal)
        view.set_device(
            self.tr("Device: CUDA if available, else CPU")
            if self.torch_installed
            else self.tr("Device: CPU (PyTorch not installed)")
        )

    def attach(self, service: DrillService) -> None:
        """The collection is open: show the catalogue and warm the runner up."""
        self.service = service
        if service.exercises:
            self.runner.start()  # imports numpy/torch in its own process, in the background
        self.refresh()

    def refresh(self) -> None:
        service = self.service
        if service is not None:
            self.worker.submit(service.statuses, self.view.show_catalogue)

    def open(self, key: str) -> None:
        service = self.service
        if service is None:
            return
        theme = theme_for(self._dark())
        exercise = service.exercise(key)
        language = self.language()

        def load() -> tuple[str, str, bool]:
            # On the worker: the tracer's module imports numpy.
            from studyapp.core.attention.trace import TRACEABLE

            # The statement in the card language (README.ru.md), English where none exists.
            path = statement_path(exercise.folder, language)
            statement = path.read_text(encoding="utf-8")
            html = self.renderer.markdown_to_html(statement, theme)
            return html, service.draft(key), exercise.slug in TRACEABLE

        def show(result: tuple[str, str, bool]) -> None:
            html, code, traceable = result
            missing = exercise.needs_torch and not self.torch_installed
            self.view.show_drill(exercise.key, exercise.title, html, code, missing, traceable)

        self.worker.submit(load, show)

    def save(self, key: str, code: str) -> None:
        service = self.service
        if service is not None:
            self.worker.submit(lambda: service.save_draft(key, code))

    def reset(self, key: str) -> None:
        service = self.service
        if service is not None:
            self.worker.submit(lambda: service.reset_draft(key), self.view.set_code)

    def reveal(self, key: str) -> None:
        service = self.service
        if service is None:
            return

        def shown(code: str) -> None:
            self.view.show_solution(code)
            self.refresh()
            self.graded.emit()

        self.worker.submit(lambda: service.reveal(key), shown)

    def run(self, key: str, code: str, stdin: str, force_cpu: bool) -> None:
        service = self.service
        if service is None or self.thread is not None:
            return
        exercise = service.exercise(key)
        thread = RunThread(self.runner, exercise, code, stdin, force_cpu, self)
        # Bound methods of this GUI-thread object: Qt queues the calls onto the GUI thread.
        thread.event.connect(self._on_event)
        thread.done.connect(self._finished)
        thread.failed.connect(self._failed)
        self._running = (key, code)
        thread.finished.connect(thread.deleteLater)
        self.thread = thread
        self.view.run_started(exercise.time_limit_s)
        thread.start()

    def _on_event(self, message: dict[str, Any]) -> None:
        if message.get("type") == "output":
            self.view.append_output(message["stream"], message["text"])

    def _finished(self, report: RunReport) -> None:
        key, code = self._running
        self.thread = None
        self.view.show_report(report)
        service = self.service
        if service is None:
            return

        def recorded(grade: int | None) -> None:
            self.refresh()
            if grade is not None:
                self.graded.emit()

        self.worker.submit(lambda: service.record_run(key, code, report), recorded)

    def _failed(self, exc: BaseException) -> None:
        self.thread = None
        self.view.show_report(
            RunReport("", "error", self.tr("The drill runner failed: {0}").format(exc))
        )

    def trace(
        self,
        key: str,
        code: str,
        inputs: dict[str, Any],
        answer: Callable[[dict[str, Any] | None, str], None],
    ) -> None:
        """Trace the drill's function on ``inputs`` in the runner (Attention page).

        ``answer(records, "")`` gets the recorded tensors, or ``answer(None, why)`` the reason
        there are none. A request made while a trace runs waits, and only the newest one runs.
        """
        if self.service is None:
            return
        if self._trace_thread is not None:
            self._pending_trace = (key, code, inputs, answer)
            return
        from studyapp.core.attention.trace import trace_request

        thread = RunThread(
            self.runner,
            self.service.exercise(key),
            code,
            "",
            True,
            self,
            trace=trace_request(inputs),
        )

        def done(report: RunReport) -> None:
            if report.outcome == "passed" and report.trace:
                answer(report.trace, "")
            else:
                where = (
                    self.tr(" (line {0})").format(report.error_line) if report.error_line else ""
                )
                answer(None, report.message + where)

        thread.done.connect(done)
        thread.failed.connect(lambda exc: answer(None, str(exc)))
        thread.finished.connect(self._trace_finished)
        thread.finished.connect(thread.deleteLater)
        self._trace_thread = thread
        thread.start()

    def _trace_finished(self) -> None:
        self._trace_thread = None
        pending, self._pending_trace = self._pending_trace, None
        if pending is not None:
            self.trace(*pending)

    def stop(self) -> None:
        """Stop button: the worker kills the run's whole process group."""
        self.runner.stop()

    def close(self) -> None:
        """Stop any run and the worker process."""
        self.runner.close()
        for thread in (self.thread, self._trace_thread):
            if thread is not None:
                thread.wait(3000)
