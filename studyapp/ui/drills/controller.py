"""Wires the Drills page to the database lane (drafts, attempts, grades) and to the drill runner.

A run blocks in ``DrillRunner.run`` on the "drill-run" lane (a trace for the Attention page on the
"trace" lane), so the window keeps painting while code runs or hangs; the run's output events come
back on the GUI thread through the job's token (see :mod:`studyapp.ui.tasks`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from studyapp.core.drills.i18n import statement_path
from studyapp.core.drills.runner import DrillRunner, torch_installed
from studyapp.core.drills.runner_protocol import Outcome, RunReport
from studyapp.core.drills.service import DrillService
from studyapp.core.rendering.render import theme_for
from studyapp.ui.context import AppContext
from studyapp.ui.drills.view import DrillsView

__all__ = ["DrillsController"]


class DrillsController(QObject):
    """The Drills page's behaviour; the view stays a view."""

    #: A drill's SM-2 schedule changed (a graded pass or a reveal): refresh the review page.
    graded = Signal()

    def __init__(self, view: DrillsView, context: AppContext) -> None:
        super().__init__(view)
        self.view, self.context = view, context
        self.worker = context.db
        self.service: DrillService | None = None
        self.runner = DrillRunner()
        #: True while a run is on the "drill-run" lane (one at a time), likewise for a trace.
        self.running = False
        self._tracing = False
        self._pending_trace: tuple[Any, ...] | None = None
        self._running = ("", "")
        self.torch_installed = torch_installed()
        # A closed session (restore, damaged file) takes its drills with it.
        context.session_changed.connect(self._session_changed)
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

    def _session_changed(self, session: object) -> None:
        if session is None:
            self.service = None

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
        theme = theme_for(self.context.dark())
        exercise = service.exercise(key)
        language = self.context.language()
        renderer = self.context.renderer

        def load() -> tuple[str, str, bool]:
            # On the worker: the tracer's module imports numpy.
            from studyapp.core.attention.trace import TRACEABLE

            # The statement in the card language (README.ru.md), English where none exists.
            path = statement_path(exercise.folder, language)
            statement = path.read_text(encoding="utf-8")
            html = renderer.markdown_to_html(statement, theme)
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
        if service is None or self.running:
            return
        exercise = service.exercise(key)
        runner = self.runner
        # The runner's events arrive on the lane; the token hands them to the GUI thread.
        events = self.context.tasks.token(on_progress=self._on_event)

        def job() -> RunReport:
            return runner.run(
                exercise, code, stdin=stdin, force_cpu=force_cpu, on_event=events.progress
            )

        self._running = (key, code)
        self.running = True
        self.view.run_started(exercise.time_limit_s)
        # A failure: the worker could not be started or died twice.
        self.context.tasks.submit("drill-run", job, self._finished, self._failed)

    def _on_event(self, message: dict[str, Any]) -> None:
        if message.get("type") == "output":
            self.view.append_output(message["stream"], message["text"])

    def _finished(self, report: RunReport) -> None:
        key, code = self._running
        self.running = False
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
        self.running = False
        self.view.show_report(
            RunReport("", Outcome.ERROR, self.tr("The drill runner failed: {0}").format(exc))
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
        if self._tracing:
            self._pending_trace = (key, code, inputs, answer)
            return
        from studyapp.core.attention.trace import trace_request

        runner, exercise, request = self.runner, self.service.exercise(key), trace_request(inputs)

        def job() -> RunReport:
            return runner.run(exercise, code, stdin="", force_cpu=True, trace=request)

        def done(report: RunReport) -> None:
            if report.outcome == Outcome.PASSED and report.trace:
                answer(report.trace, "")
            else:
                where = (
                    self.tr(" (line {0})").format(report.error_line) if report.error_line else ""
                )
                answer(None, report.message + where)
            self._trace_finished()

        def failed(exc: BaseException) -> None:
            answer(None, str(exc))
            self._trace_finished()

        self._tracing = True
        self.context.tasks.submit("trace", job, done, failed)

    def _trace_finished(self) -> None:
        self._tracing = False
        pending, self._pending_trace = self._pending_trace, None
        if pending is not None:
            self.trace(*pending)

    def stop(self) -> None:
        """Stop button: the worker kills the run's whole process group."""
        self.runner.stop()

    def close(self) -> None:
        """Stop any run and the worker process (the window then stops the lanes)."""
        self.runner.close()
