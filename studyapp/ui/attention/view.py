"""The Attention page: step through multi-head attention, see every tensor, its shape and its line.

A thin view over :mod:`studyapp.core.attention.steps` (the maths, checked against torch) and
:mod:`studyapp.core.attention.trace` (a learner's code, traced in the drill worker). Its parts are
widgets of their own: the inputs and the step list (:mod:`studyapp.ui.attention.controls`), the
step in words (:mod:`studyapp.ui.attention.step_detail`), the split/merge tab
(:mod:`studyapp.ui.attention.mapping`), the table and the heatmap
(:mod:`studyapp.ui.attention.tensor_views`); this class wires them and keeps the steps.

Imported only when the page is first opened (numpy and matplotlib stay off the start-up path).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QListWidgetItem,
    QSlider,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.attention.steps import (
    MISTAKES,
    AttentionInputs,
    Step,
    make_inputs,
    mha_steps,
)
from studyapp.core.attention.trace import (
    StepVerdict,
    TraceResult,
    compare,
    records_from_payload,
)
from studyapp.ui.attention.controls import InputControls, StepList
from studyapp.ui.attention.mapping import SplitMergeMapping
from studyapp.ui.attention.step_detail import STATUS_COLOURS, StepDetail
from studyapp.ui.attention.tensor_views import (
    HEAD_COLOURS,
    Heatmap,
    HeatmapPage,
    TensorModel,
    masked_cells,
)

__all__ = ["HEAD_COLOURS", "AttentionView"]

_STATUS_MARKS = {"match": "✓", "folded": "✓", "diverged": "✗", "after": "·"}


class AttentionView(QWidget):
    """Controls, step list with Previous/Next and a timeline, and the current step in detail."""

    #: The current step changed (index); tests and benches wait on it.
    step_shown = Signal(int)
    #: Asks the app to run a trace of (exercise key, code) on this page's inputs.
    trace_requested = Signal(str, str)

    def __init__(self, *, language: str = "en", dark: Callable[[], bool] | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.language = language
        self._dark = dark or (lambda: False)
        self.steps: tuple[Step, ...] = ()
        self.correct_steps: tuple[Step, ...] = ()
        self.inputs: AttentionInputs | None = None
        self.heads = 3
        self.trace: TraceResult | None = None
        self._trace_source: tuple[str, str] | None = None
        self._building = False

        self.controls = InputControls(language)
        # The parts' widgets stay reachable under the names tests, benches and the window use.
        self.batch = self.controls.batch
        self.seq_len = self.controls.seq_len
        self.d_model = self.controls.d_model
        self.heads_box = self.controls.heads_box
        self.causal = self.controls.causal
        self.padding = self.controls.padding
        self.seed = self.controls.seed
        self.tokens = self.controls.tokens
        self.mistake_mode = self.controls.mistake_mode
        self.mistake = self.controls.mistake
        self.message = self.controls.message
        self.steps_panel = StepList()
        self.step_list = self.steps_panel.step_list
        self.previous_button = self.steps_panel.previous_button
        self.next_button = self.steps_panel.next_button
        self.timeline = QSlider(Qt.Orientation.Horizontal)
        self.timeline.setPageStep(1)
        self.tabs = self._build_tabs()
        self.detail = StepDetail(self.tabs, self.timeline)
        self.trace_banner = self.detail.trace_banner
        self.clear_trace_button = self.detail.clear_trace_button
        self.title = self.detail.title
        self.badge = self.detail.badge
        self.explanation = self.detail.explanation
        self.code = self.detail.code
        self.your_line = self.detail.your_line
        self.mistake_note = self.detail.mistake_note
        self.mistake_box = self.detail.mistake_box
        self.export_button = self.detail.export_button
        self._connect()
        self._lay_out()
        self.rebuild()

    def _build_tabs(self) -> QTabWidget:
        """Numbers (a table), Heatmap (created when first shown) and Split ↔ merge."""
        self.table = QTableView()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setDefaultSectionSize(60)
        self.heatmap_page = HeatmapPage()
        self.batch_item = self.heatmap_page.batch_item
        self.mapping_page = SplitMergeMapping()
        self.merged_table = self.mapping_page.merged_table
        self.heads_table = self.mapping_page.heads_table
        self.mapping_pair = self.mapping_page.mapping_pair
        self.mapping_text = self.mapping_page.mapping_text
        self.merged_caption = self.mapping_page.merged_caption
        self.heads_caption = self.mapping_page.heads_caption
        tabs = QTabWidget()
        tabs.addTab(self.table, self.tr("Numbers"))
        tabs.addTab(self.heatmap_page, self.tr("Heatmap"))
        tabs.addTab(self.mapping_page, self.tr("Split ↔ merge"))
        return tabs

    def _connect(self) -> None:
        for widget in self.controls.spin_boxes():
            widget.valueChanged.connect(self.rebuild)
        self.causal.toggled.connect(self.rebuild)
        self.tokens.editingFinished.connect(self._tokens_edited)
        self.mistake_mode.toggled.connect(lambda on: self.mistake_box.setVisible(on))
        self.mistake_mode.toggled.connect(self.rebuild)
        self.mistake.currentIndexChanged.connect(self.rebuild)
        self.step_list.currentRowChanged.connect(self._show_current)
        self.previous_button.clicked.connect(self.previous_step)
        self.next_button.clicked.connect(self.next_step)
        self.timeline.valueChanged.connect(self.step_list.setCurrentRow)
        self.clear_trace_button.clicked.connect(self.clear_trace)
        self.batch_item.valueChanged.connect(lambda _v: self._draw_heatmap())
        for table in (self.merged_table, self.heads_table):
            table.clicked.connect(self._mapping_clicked)
        self.mapping_pair.currentIndexChanged.connect(lambda _i: self._fill_mapping())
        self.tabs.currentChanged.connect(lambda _i: self._refresh_tab())
        self.export_button.clicked.connect(self._export_clicked)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for key, slot in (
            (Qt.Key.Key_Right, self.next_step),
            (Qt.Key.Key_Left, self.previous_step),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

    def _lay_out(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.controls)
        left_layout.addWidget(self.steps_panel, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 800])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    @property
    def _heatmap(self) -> Heatmap | None:
        """The heatmap, once the Heatmap tab was drawn (tests and the bench read it)."""
        return self.heatmap_page.heatmap

    @property
    def highlighted(self) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """The outlined (row, column) cells of the merged and the heads table."""
        return self.mapping_page.highlighted

    def showEvent(self, event: QShowEvent) -> None:
        """The page takes the keyboard when it is shown (Ctrl+4, the sidebar, Visualize), so
        ← and → step at once; a control that already has the focus keeps it."""
        super().showEvent(event)
        focus = QApplication.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            QTimer.singleShot(0, self._take_focus)

    def _take_focus(self) -> None:
        if self.isVisible():
            self.step_list.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------------ building the steps
    def token_list(self) -> list[str]:
        return self.controls.token_list()

    def _tokens_edited(self) -> None:
        words = self.tokens.text().split()
        if words and len(words) != self.seq_len.value() and len(words) <= self.seq_len.maximum():
            self.seq_len.setValue(len(words))  # rebuilds
        else:
            self.rebuild()

    def _compute_steps(self) -> None:
        """The correct steps for the controls, and the mistaken ones in mistake mode."""
        self.heads = self.heads_box.value()
        mistake = self.controls.mistake_key()
        self.inputs = inputs = make_inputs(
            self.token_list(),
            batch=self.batch.value(),
            d_model=self.d_model.value(),
            seed=self.seed.value(),
            padding=self.padding.value(),
        )
        args = (inputs.x, inputs.wq, inputs.wk, inputs.wv, inputs.wo, self.heads)
        causal, padding = self.causal.isChecked(), inputs.key_padding_mask
        self.correct_steps = mha_steps(*args, causal, padding)
        self.steps = (
            mha_steps(*args, causal, padding, mistake=mistake) if mistake else self.correct_steps
        )

    def rebuild(self) -> None:
        """Recompute every step from the controls; an invalid combination shows a message."""
        if self._building:
            return
        self._building = True
        try:
            self._compute_steps()
        except ValueError as exc:
            self.message.setText(str(exc))
            self.message.show()
            self._building = False
            return
        self.message.hide()
        self.trace = None
        row = max(0, self.step_list.currentRow())
        self.step_list.blockSignals(True)
        self.step_list.clear()
        for step in self.steps:
            QListWidgetItem(self._step_label(step), self.step_list)
        self.step_list.blockSignals(False)
        self.timeline.blockSignals(True)
        self.timeline.setRange(0, len(self.steps) - 1)
        self.timeline.blockSignals(False)
        self.batch_item.setMaximum(self.batch.value() - 1)
        self._building = False
        if self._trace_source is not None:  # new inputs: trace the same code again
            self.detail.show_tracing()
            self.trace_requested.emit(*self._trace_source)
        self._mark_steps()
        self.step_list.setCurrentRow(min(row, len(self.steps) - 1))
        self._show_current(self.step_list.currentRow())

    def _step_label(self, step: Step) -> str:
        shape = "×".join(str(n) for n in step.shape)
        return f"{step.title(self.language)}   ({shape})"

    def _mark_steps(self) -> None:
        """Trace verdicts (✓ ✗ ·) or mistake-mode differences (≠) in the step list."""
        verdicts = {v.key: v for v in self.trace.verdicts} if self.trace else {}
        for i, step in enumerate(self.steps):
            item = self.step_list.item(i)
            if item is None:
                continue
            text, colour = self._step_label(step), None
            verdict = verdicts.get(step.key)
            if verdict is not None:
                text = f"{_STATUS_MARKS[verdict.status]}  {text}"
                colour = STATUS_COLOURS[verdict.status]
            elif self.steps is not self.correct_steps and not np.array_equal(
                step.array, self.correct_steps[i].array, equal_nan=True
            ):
                text, colour = f"≠  {text}", "#c62828"
            item.setText(text)
            item.setForeground(QBrush(QColor(colour)) if colour else QBrush())

    # ------------------------------------------------------------------ stepping
    def current_step(self) -> Step | None:
        row = self.step_list.currentRow()
        return self.steps[row] if 0 <= row < len(self.steps) else None

    def next_step(self) -> None:
        self.step_list.setCurrentRow(min(self.step_list.currentRow() + 1, len(self.steps) - 1))

    def previous_step(self) -> None:
        self.step_list.setCurrentRow(max(self.step_list.currentRow() - 1, 0))

    def show_step(self, key: str) -> None:
        """Select a step by its key (``"scaled"``, ``"merged"``…)."""
        for i, step in enumerate(self.steps):
            if step.key == key:
                self.step_list.setCurrentRow(i)
                return

    def _show_current(self, row: int) -> None:
        step = self.current_step()
        if step is None or self._building:
            return
        self.timeline.blockSignals(True)
        self.timeline.setValue(row)
        self.timeline.blockSignals(False)
        self.previous_button.setEnabled(row > 0)
        self.next_button.setEnabled(row < len(self.steps) - 1)
        self.detail.show_step(row + 1, step, self.language)
        self._show_mistake_note(row)
        self.detail.show_verdict(self.verdict(step.key), step)
        self.mapping_page.follow_step(step.key)
        self._refresh_tab()
        self.step_shown.emit(row)

    def _show_mistake_note(self, row: int) -> None:
        if self.steps is self.correct_steps:
            self.mistake_note.clear()
            return
        self.detail.show_mistake_note(
            MISTAKES[self.mistake.currentData()],
            self.steps[row],
            self.correct_steps[row],
            masked=self.controls.masked(),
            language=self.language,
        )

    def verdict(self, key: str) -> StepVerdict | None:
        """The trace's verdict on a step, if a trace is shown."""
        if self.trace is None:
            return None
        return next((v for v in self.trace.verdicts if v.key == key), None)

    # ------------------------------------------------------------------ the tabs
    def _refresh_tab(self) -> None:
        step = self.current_step()
        if step is None:
            return
        page = self.tabs.currentWidget()
        if page is self.table:
            step, compare_to = self._shown_step(step)
            model = TensorModel(step, self.token_list(), self._head_dim(), compare_to=compare_to,
                                parent=self.table)  # fmt: skip
            old = self.table.model()
            self.table.setModel(model)
            if old is not None:
                old.deleteLater()
        elif page is self.heatmap_page:
            self._draw_heatmap()
        elif page is self.mapping_page:
            self._fill_mapping()

    def _head_dim(self) -> int:
        return max(1, self.d_model.value() // self.heads)

    def _shown_step(self, step: Step) -> tuple[Step, np.ndarray | None]:
        """The tensor the Numbers and Heatmap tabs show, and the one it is compared with: in
        mistake mode the buggy step against the correct one; with a trace, the learner's
        tensor against the reference."""
        compare_to = None
        if self.steps is not self.correct_steps:
            compare_to = self.correct_steps[self.step_list.currentRow()].array
        verdict = self.verdict(step.key)
        if (
            verdict is not None
            and verdict.values is not None
            and verdict.values.shape == step.array.shape
        ):
            compare_to = step.array
            step = replace(step, array=verdict.values)
        return step, compare_to

    def _draw_heatmap(self) -> None:
        step = self.current_step()
        if step is None or self.tabs.currentWidget() is not self.heatmap_page:
            return
        shown, compare_to = self._shown_step(step)
        self.heatmap_page.show_step(
            shown, self.token_list(), self.heads, self._dark(),
            compare_to=compare_to, masked=masked_cells(step, self.correct_steps),
        )  # fmt: skip

    def _fill_mapping(self) -> None:
        self.mapping_page.fill(self.steps, self.token_list(), self._head_dim(), self.language)

    def select_mapping_cell(self, in_merged: bool, row: int, column: int) -> None:
        """Highlight a cell and its counterpart (the click handler; tests call it directly)."""
        table = self.merged_table if in_merged else self.heads_table
        model = table.model()
        if model is not None:
            self._mapping_clicked(model.index(row, column))

    def _mapping_clicked(self, index: QModelIndex | QPersistentModelIndex) -> None:
        self.mapping_page.select(index, self.token_list(), self._head_dim(), self.inputs)

    # ------------------------------------------------------------------ trace
    def trace_inputs(self) -> dict[str, np.ndarray | int]:
        """The page's inputs for a trace (drills have no mask, so none is sent)."""
        assert self.inputs is not None
        i = self.inputs
        return {"x": i.x, "wq": i.wq, "wk": i.wk, "wv": i.wv, "wo": i.wo, "heads": self.heads}

    def start_trace(self, key: str, code: str) -> None:
        """Remember the learner's code and ask for a trace (again after every input change)."""
        self._trace_source = (key, code)
        self.mistake_mode.setChecked(False)
        self.detail.show_tracing()
        self.trace_banner.show()
        self.trace_requested.emit(key, code)

    def show_trace(self, payload: dict[str, Any] | None, error: str = "") -> None:
        """The runner's answer: records to compare, or the error the code raised."""
        self.clear_trace_button.show()
        if payload is None:
            self.trace = None
            self.detail.show_trace_failed(error)
            self._mark_steps()
            return
        assert self.inputs is not None
        i = self.inputs
        steps = mha_steps(i.x, i.wq, i.wk, i.wv, i.wo, self.heads)
        if self.controls.masked():
            self.controls.clear_mask()
        self.steps = self.correct_steps = steps
        inputs = (i.x, i.wq, i.wk, i.wv, i.wo)
        self.trace = compare(steps, records_from_payload(payload), inputs=inputs, heads=self.heads)
        self.detail.show_trace_result(self.trace, steps, self.language)
        self._mark_steps()
        if self.trace.first_divergence:
            self.show_step(self.trace.first_divergence)
        self._show_current(self.step_list.currentRow())

    def clear_trace(self) -> None:
        self._trace_source = None
        self.trace = None
        self.trace_banner.hide()
        self.clear_trace_button.hide()
        self._mark_steps()
        self._show_current(self.step_list.currentRow())

    # ------------------------------------------------------------------ export
    def export_png(self, path: Path) -> Path:
        """Save the current step (title, shape, code, numbers or heatmap) as a PNG."""
        path = Path(path)
        if not self.detail.grab().save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
        return path

    def _export_clicked(self) -> None:
        step = self.current_step()
        name = f"attention-{step.key if step else 'step'}.png"
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export step as PNG"), name, self.tr("PNG image (*.png)")
        )
        if path:
            self.export_png(Path(path))
