"""The Drills page: the catalogue, then statement | editor | results for the open drill.

A thin view: it shows what it is given and emits what the user asks for; the controller
(``drills_controller``) talks to the collection worker and to the drill runner.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.drills.runner_protocol import RunReport, TestReport
from studyapp.core.drills.service import DrillStatus
from studyapp.ui.drills.code_editor import CodeEditor

__all__ = ["DrillsView"]

_OUTCOME_COLOURS = {
    "passed": "#2e9d4f",
    "failed": "#c0392b",
    "error": "#c0392b",
    "timeout": "#d9822b",
    "memory": "#d9822b",
    "crashed": "#8e44ad",
}
_TRACEBACK_LINE = re.compile(r'File "solution\.py", line (\d+)')
_KEY_ROLE = Qt.ItemDataRole.UserRole


class DrillsView(QWidget):
    """Catalogue on the left; the open drill's statement, editor and results beside it."""

    drill_selected = Signal(str)
    #: (drill key, code, stdin, force CPU)
    run_requested = Signal(str, str, str, bool)
    stop_requested = Signal()
    #: (drill key, code): Ctrl+S and the autosave.
    save_requested = Signal(str, str)
    reset_requested = Signal(str)
    reveal_requested = Signal(str)
    #: "Visualize my solution": trace (drill key, code) on the Attention page.
    visualize_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key: str | None = None
        self.running = False
        self._deadline_s = 0.0
        self._started = 0.0
        self._has_run = False
        self._torch_missing = False

        self._reports: list[str] = []
        self.catalogue = QTreeWidget()
        self.catalogue.setHeaderLabels([self.tr("Drill"), self.tr("Status")])
        self.catalogue.setRootIsDecorated(True)
        self.catalogue.itemSelectionChanged.connect(self._on_selected)
        # Built in this order (the keyboard focus chain follows it), shown statement first.
        editor_column = self._build_editor_column()
        results_column = self._build_results_column()
        statement_column = self._build_statement_column()
        work = QSplitter(Qt.Orientation.Horizontal)
        work.addWidget(statement_column)
        work.addWidget(editor_column)
        work.addWidget(results_column)
        work.setSizes([320, 460, 420])
        outer = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(self.catalogue)
        outer.addWidget(work)
        outer.setSizes([210, 1200])
        layout = QVBoxLayout(self)
        layout.addWidget(outer)
        self._update_buttons()

    def _build_statement_column(self) -> QWidget:
        """The drill's title above its statement."""
        self.title = QLabel(self.tr("Choose a drill on the left"))
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.statement = QTextBrowser()
        self.statement.setOpenLinks(False)
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.statement, 1)
        return column

    def _build_editor_column(self) -> QWidget:
        """The buttons, the editor (saved 1.5 s after the last change) and the stdin box."""
        self.editor = CodeEditor()
        self.editor.run_requested.connect(self.request_run)
        self.editor.save_requested.connect(self.save_now)
        self.editor.textChanged.connect(self._schedule_autosave)
        self._autosave = QTimer(self, singleShot=True, interval=1500)
        self._autosave.timeout.connect(self.save_now)
        self.run_button = QPushButton(self.tr("Run  (Ctrl+Enter)"))
        self.run_button.clicked.connect(self.request_run)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.clicked.connect(lambda: self.stop_requested.emit())
        self.reset_button = QPushButton(self.tr("Reset to starter"))
        self.reset_button.clicked.connect(self._on_reset)
        self.reveal_button = QPushButton(self.tr("Show reference solution"))
        self.reveal_button.setToolTip(
            self.tr("Available after a run; the drill then counts as given up today")
        )
        self.reveal_button.clicked.connect(self._on_reveal)
        self.visualize_button = QPushButton(self.tr("Visualize my solution"))
        self.visualize_button.setToolTip(
            self.tr("Trace your function step by step on the Attention page")
        )
        self.visualize_button.clicked.connect(self._on_visualize)
        self.visualize_button.hide()
        self.force_cpu = QCheckBox(self.tr("CPU only"))
        buttons = QHBoxLayout()
        for widget in (self.run_button, self.stop_button, self.reset_button, self.reveal_button,
                       self.visualize_button):  # fmt: skip
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.force_cpu)
        self.stdin_box = QPlainTextEdit()
        self.stdin_box.setPlaceholderText(self.tr("Input for input() / stdin (empty: EOF)"))
        self.stdin_box.setMaximumHeight(60)
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.stdin_box)
        return column

    def _build_results_column(self) -> QWidget:
        """Device and countdown, the verdict, the tests with their details, and the output."""
        self.device_label = QLabel()
        self.countdown = QLabel()
        self._ticker = QTimer(self, interval=200)
        self._ticker.timeout.connect(self._tick)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.tests = QTreeWidget()
        self.tests.setHeaderLabels([self.tr("Result"), self.tr("Test")])
        self.tests.setRootIsDecorated(False)
        self.tests.itemSelectionChanged.connect(self._on_test_selected)
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        self.details.anchorClicked.connect(self._on_link)
        self.output = QPlainTextEdit()
        self.output.setReadOnly(True)
        self.output.setPlaceholderText(self.tr("Output of print() appears here while it runs"))
        self.output.setMaximumBlockCount(5000)
        status_row = QHBoxLayout()
        status_row.addWidget(self.device_label)
        status_row.addStretch(1)
        status_row.addWidget(self.countdown)
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(status_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.tests, 1)
        layout.addWidget(self.details, 2)
        layout.addWidget(QLabel(self.tr("Output")))
        layout.addWidget(self.output, 1)
        return column

    # ------------------------------------------------------------------ painting
    def show_catalogue(self, statuses: Sequence[DrillStatus]) -> None:
        """Paint the catalogue grouped by track, keeping the selection."""
        self.catalogue.blockSignals(True)
        self.catalogue.clear()
        tracks: dict[str, QTreeWidgetItem] = {}
        for status in statuses:
            parent = tracks.get(status.track)
            if parent is None:
                parent = QTreeWidgetItem([status.track.replace("-", " "), ""])
                parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
                tracks[status.track] = parent
                self.catalogue.addTopLevelItem(parent)
            label = self._status_label(status)
            title = status.title + (" · torch" if status.needs_torch else "")
            item = QTreeWidgetItem([title, label])
            item.setData(0, _KEY_ROLE, status.key)
            item.setToolTip(0, f"{status.key} — {status.difficulty}")
            parent.addChild(item)
            if status.key == self.key:
                item.setSelected(True)
        for track, parent in tracks.items():  # progress per track: drills solved / all
            mine = [s for s in statuses if s.track == track]
            solved = sum(s.ever_passed for s in mine)
            parent.setText(1, self.tr("{0} of {1} solved").format(solved, len(mine)))
        self.catalogue.expandAll()
        self.catalogue.resizeColumnToContents(0)
        self.catalogue.blockSignals(False)

    def _status_label(self, status: DrillStatus) -> str:
        if status.ever_passed and not status.due:
            return self.tr("✓ done")
        if status.due and status.attempts:
            return self.tr("due · {0}").format(status.last_outcome or "")
        if status.due:
            return self.tr("due")
        return status.last_outcome or ""

    def show_drill(
        self,
        key: str,
        title: str,
        statement_html: str,
        code: str,
        torch_missing: bool,
        traceable: bool = False,
    ) -> None:
        """Open a drill: its statement, the learner's code, empty results."""
        self.key = key
        self._has_run = False
        self._torch_missing = torch_missing
        self.visualize_button.setVisible(traceable)
        self.title.setText(title)
        self.statement.setHtml(statement_html)
        self.editor.blockSignals(True)
        self.editor.set_text(code)
        self.editor.blockSignals(False)
        self.tests.clear()
        self.details.clear()
        self.output.clear()
        self.editor.set_error_lines(set())
        if torch_missing:
            self.summary.setText(
                "<b>{}</b><br>{}".format(
                    self.tr("This drill needs PyTorch, which is not installed."),
                    self.tr("Install it with: <code>pip install torch==2.13.0</code>"),
                )
            )
        else:
            self.summary.setText("")
        self._update_buttons()

    def set_device(self, text: str) -> None:
        """The device, then which sandbox protections this machine enforces for a run."""
        from studyapp.core.drills.sandbox import confine

        self.device_label.setText(f"{text} · {confine.summary()}")
        self.device_label.setToolTip("\n".join(confine.doctor_lines()))

    # ------------------------------------------------------------------ running
    def request_run(self) -> None:
        if self.key is None or self.running or self._torch_missing:
            return
        self.save_now()
        self.run_requested.emit(
            self.key, self.editor.text(), self.stdin_box.toPlainText(), self.force_cpu.isChecked()
        )

    def run_started(self, time_limit_s: float) -> None:
        """The run is under way: live output, a countdown and a Stop button."""
        self.running = True
        self._deadline_s = time_limit_s
        self._started = time.monotonic()
        self.output.clear()
        self.tests.clear()
        self.details.clear()
        self.editor.set_error_lines(set())
        self.summary.setText(self.tr("Running…"))
        self._ticker.start()
        self._tick()
        self._update_buttons()

    def append_output(self, stream: str, text: str) -> None:
        if stream == "stderr":
            self.output.appendHtml(
                f"<span style='color:#c0392b'>{_escape(text.rstrip(chr(10)))}</span>"
            )
        else:
            cursor = self.output.textCursor()
            cursor.movePosition(cursor.MoveOperation.End)
            cursor.insertText(text)
            self.output.setTextCursor(cursor)

    def show_report(self, report: RunReport) -> None:
        """Paint the verdict: one row per test with its details, hint, code and traceback."""
        self.running = False
        self._has_run = True
        self._ticker.stop()
        self.countdown.setText("")
        colour = _OUTCOME_COLOURS.get(report.outcome, "#555")
        where = "CUDA · " + report.device_name if report.device == "cuda" else report.device.upper()
        self.summary.setText(
            f"<b style='color:{colour}'>{report.outcome.upper()}</b> — {_escape(report.message)}"
            f"<br><small>{where} · {report.duration_s:.2f} s</small>"
        )
        if report.device:
            self.set_device(where)
        if not self.output.toPlainText() and (report.stdout or report.stderr):
            self.output.setPlainText(report.stdout + report.stderr)
        self.tests.clear()
        self._reports = []
        first_bad = None
        for test in report.tests:
            mark = {"passed": "✓", "failed": "✗", "error": "!"}.get(test.status, "?")
            item = QTreeWidgetItem([f"{mark} {test.status}", test.name])
            item.setForeground(0, QColor(_OUTCOME_COLOURS.get(test.status, "#555")))
            item.setToolTip(1, test.message or test.name)
            self.tests.addTopLevelItem(item)
            self._reports.append(self._details_html(test))
            if first_bad is None and test.status != "passed":
                first_bad = item
        self.tests.resizeColumnToContents(0)
        if report.traceback and not report.tests:
            self.details.setHtml(_traceback_html(report.traceback))
        elif first_bad is not None:
            self.tests.setCurrentItem(first_bad)
        else:
            self.details.setHtml("")
        if report.error_line:
            self.editor.set_error_lines({report.error_line})
        self._update_buttons()

    def _details_html(self, test: TestReport) -> str:
        """One test's verdict as HTML: message, values, hint, traceback (lines link to the
        editor), what it printed, and the test's own code."""
        parts = [f"<p><b>{_escape(test.name)}</b> — {_escape(test.status)}</p>"]
        if test.message:
            parts.append(f"<p>{_escape(test.message)}</p>")
        details = test.details or {}
        for key, label in (
            ("actual_slice", self.tr("got")),
            ("expected_slice", self.tr("expected")),
        ):
            if key in details:
                parts.append(f"<p>{label}:<pre>{_escape(str(details[key]))}</pre></p>")
        if test.hint:
            hint = self.tr("Hint")  # outside the f-string, where lupdate can see it
            parts.append(f"<p><b>{hint}:</b> {_escape(test.hint)}</p>")
        if test.traceback:
            parts.append(_traceback_html(test.traceback))
        if test.output.strip():
            printed = _escape(test.output.strip()[:2000])
            label = self.tr("Printed")
            parts.append(f"<p>{label}:<pre>{printed}</pre></p>")
        if test.code:
            label = self.tr("Test code")
            parts.append(f"<p>{label}:<pre>{_escape(test.code)}</pre></p>")
        return "".join(parts)

    def show_solution(self, code: str) -> None:
        """Show the reference solution in the output pane (the learner's code stays)."""
        self.output.setPlainText(self.tr("# Reference solution\n") + code)

    def set_code(self, code: str) -> None:
        self.editor.set_text(code)

    # ------------------------------------------------------------------ helpers
    def save_now(self) -> None:
        self._autosave.stop()
        if self.key is not None:
            self.save_requested.emit(self.key, self.editor.text())

    def _schedule_autosave(self) -> None:
        if self.key is not None:
            self._autosave.start()

    def _tick(self) -> None:
        left = max(0.0, self._deadline_s - (time.monotonic() - self._started))
        self.countdown.setText(self.tr("{0:.1f} s left").format(left))

    def _update_buttons(self) -> None:
        has_drill = self.key is not None
        self.run_button.setEnabled(has_drill and not self.running and not self._torch_missing)
        self.stop_button.setEnabled(self.running)
        self.reset_button.setEnabled(has_drill and not self.running)
        self.reveal_button.setEnabled(has_drill and self._has_run and not self.running)
        self.visualize_button.setEnabled(has_drill and not self.running and not self._torch_missing)
        self.editor.setReadOnly(not has_drill)

    def _on_selected(self) -> None:
        items = self.catalogue.selectedItems()
        key = items[0].data(0, _KEY_ROLE) if items else None
        if key and key != self.key:
            self.save_now()
            self.drill_selected.emit(key)

    def select(self, key: str) -> None:
        """Select a drill in the catalogue (opens it)."""
        for i in range(self.catalogue.topLevelItemCount()):
            track = self.catalogue.topLevelItem(i)
            if track is None:
                continue
            for j in range(track.childCount()):
                item = track.child(j)
                if item is not None and item.data(0, _KEY_ROLE) == key:
                    self.catalogue.setCurrentItem(item)
                    if self.key != key:
                        self.drill_selected.emit(key)
                    return

    def _on_visualize(self) -> None:
        if self.key is not None and not self._torch_missing:
            self.save_now()
            self.visualize_requested.emit(self.key, self.editor.text())

    def _on_reset(self) -> None:
        if self.key is not None:
            self.reset_requested.emit(self.key)

    def _on_reveal(self) -> None:
        if self.key is not None and self._has_run:
            self.reveal_requested.emit(self.key)

    def _on_test_selected(self) -> None:
        row = self.tests.currentIndex().row()
        if 0 <= row < len(self._reports):
            self.details.setHtml(self._reports[row])

    def _on_link(self, url: QUrl) -> None:
        """A traceback line was clicked: jump to it in the editor."""
        if url.scheme() == "line":
            self.editor.go_to_line(int(url.path() or url.host() or "1"))
            self.editor.setFocus()


def _traceback_html(text: str) -> str:
    """A traceback with each ``solution.py, line N`` turned into a link to that line."""
    html = _escape(text.rstrip())
    html = _TRACEBACK_LINE.sub(
        lambda m: f'<a href="line:{m.group(1)}">File "solution.py", line {m.group(1)}</a>', html
    )
    return f"<pre>{html}</pre>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
