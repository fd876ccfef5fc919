"""The Attention page: step through multi-head attention, see every tensor, its shape and its line.

A thin view over :mod:`studyapp.core.attention.steps` (the maths, checked against torch) and
:mod:`studyapp.core.attention.trace` (a learner's code, traced in the drill worker); the table and
the heatmap come from :mod:`studyapp.ui.attention.tensor_views`.

Imported only when the page is first opened (numpy and matplotlib stay off the start-up path).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.attention.steps import (
    DEFAULT_TOKENS,
    MISTAKES,
    AttentionInputs,
    Step,
    head_block,
    make_inputs,
    merged_column,
    mha_steps,
    split_position,
)
from studyapp.core.attention.trace import (
    StepVerdict,
    TraceResult,
    compare,
    records_from_payload,
)
from studyapp.ui.attention.tensor_views import HEAD_COLOURS, Heatmap, TensorModel, format_value

__all__ = ["HEAD_COLOURS", "AttentionView"]

#: Which (B, S, D) / (B, H, S, Dh) pair the split-merge mapping shows for each step.
_PAIRS = {"q": ("q", "q_heads"), "k": ("k", "k_heads"), "v": ("v", "v_heads")}
_MERGE_PAIR = ("merged", "context")
_STATUS_MARKS = {"match": "✓", "folded": "✓", "diverged": "✗", "after": "·"}
_STATUS_COLOURS = {
    "match": "#2e7d32",
    "folded": "#66bb6a",
    "diverged": "#c62828",
    "after": "#9e9e9e",
}


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
        self._heatmap: Heatmap | None = None
        self._mapping_shown: tuple[int, str] | None = None
        self._building = False

        # ---------------------------------------------------------------- controls
        self.batch = QSpinBox(minimum=1, maximum=4, value=1)
        self.seq_len = QSpinBox(minimum=1, maximum=32, value=len(DEFAULT_TOKENS))
        self.d_model = QSpinBox(minimum=1, maximum=128, value=6)
        self.heads_box = QSpinBox(minimum=1, maximum=16, value=3)
        self.causal = QCheckBox(self.tr("Causal mask"))
        self.padding = QSpinBox(minimum=0, maximum=31, value=0)
        self.padding.setToolTip(
            self.tr("The last N positions of the last sequence are padding keys (masked)")
        )
        self.seed = QSpinBox(minimum=0, maximum=99_999, value=0)
        self.tokens = QLineEdit(" ".join(DEFAULT_TOKENS))
        self.tokens.setToolTip(
            self.tr("Tokens separated by spaces; missing ones are named t4, t5, …")
        )
        self.mistake_mode = QCheckBox(self.tr("Mistake mode"))
        self.mistake = QComboBox()
        for key, mistake in MISTAKES.items():
            self.mistake.addItem(mistake.title.get(language, mistake.title["en"]), key)
        self.mistake.setEnabled(False)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828; font-weight: bold;")
        self.message.hide()
        form = QFormLayout()
        form.addRow(self.tr("Tokens"), self.tokens)
        form.addRow(self.tr("Batch"), self.batch)
        form.addRow(self.tr("seq_len"), self.seq_len)
        form.addRow(self.tr("d_model"), self.d_model)
        form.addRow(self.tr("Heads"), self.heads_box)
        form.addRow(self.tr("Padding keys"), self.padding)
        form.addRow(self.tr("Weights seed"), self.seed)
        form.addRow(self.causal)
        form.addRow(self.mistake_mode)
        form.addRow(self.mistake)
        for widget in (self.batch, self.seq_len, self.d_model, self.heads_box, self.padding,
                       self.seed):  # fmt: skip
            widget.valueChanged.connect(self.rebuild)
        self.causal.toggled.connect(self.rebuild)
        self.tokens.editingFinished.connect(self._tokens_edited)
        self.mistake_mode.toggled.connect(self.mistake.setEnabled)
        self.mistake_mode.toggled.connect(lambda on: self.mistake_box.setVisible(on))
        self.mistake_mode.toggled.connect(self.rebuild)
        self.mistake.currentIndexChanged.connect(self.rebuild)

        self.step_list = QListWidget()
        self.step_list.currentRowChanged.connect(self._show_current)
        self.previous_button = QPushButton(self.tr("◀ Previous"))
        self.next_button = QPushButton(self.tr("Next ▶"))
        self.previous_button.clicked.connect(self.previous_step)
        self.next_button.clicked.connect(self.next_step)
        self.timeline = QSlider(Qt.Orientation.Horizontal)
        self.timeline.setPageStep(1)
        self.timeline.valueChanged.connect(self.step_list.setCurrentRow)
        stepper = QHBoxLayout()
        stepper.addWidget(self.previous_button)
        stepper.addWidget(self.next_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addWidget(self.message)
        left_layout.addWidget(QLabel(self.tr("<b>Steps</b> (← → keys)")))
        left_layout.addWidget(self.step_list, 1)
        left_layout.addLayout(stepper)

        # ---------------------------------------------------------------- the current step
        self.trace_banner = QLabel()
        self.trace_banner.setWordWrap(True)
        self.trace_banner.setTextFormat(Qt.TextFormat.RichText)
        self.trace_banner.hide()
        self.clear_trace_button = QPushButton(self.tr("Clear trace"))
        self.clear_trace_button.clicked.connect(self.clear_trace)
        self.clear_trace_button.hide()
        self.title = QLabel()
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.badge = QLabel()
        self.badge.setStyleSheet(
            "QLabel { border: 1px solid #5c6bc0; border-radius: 9px; padding: 2px 8px; "
            "font-family: monospace; }"
        )
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        # Room for three lines, top-aligned: a step change must not resize the canvas below
        # (a resize means a full matplotlib redraw).
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.explanation.setMinimumHeight(self.explanation.fontMetrics().lineSpacing() * 3 + 4)
        self.code = QLabel()
        self.code.setTextFormat(Qt.TextFormat.RichText)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.your_line = QLabel()
        self.your_line.setWordWrap(True)
        self.your_line.setTextFormat(Qt.TextFormat.RichText)
        self.your_line.hide()
        self.mistake_note = QLabel()
        self.mistake_note.setWordWrap(True)
        self.mistake_note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.mistake_note.setStyleSheet("color: #c62828;")
        # The note sits in a box of fixed height whose room is kept when it is hidden: a note
        # that came and went (or grew) with the step or the mistake pushed the tabs down under
        # the pointer. A note longer than the box scrolls inside it.
        self.mistake_box = QScrollArea()
        self.mistake_box.setWidget(self.mistake_note)
        self.mistake_box.setWidgetResizable(True)
        self.mistake_box.setFrameShape(QFrame.Shape.NoFrame)
        self.mistake_box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.mistake_box.setFixedHeight(self.mistake_note.fontMetrics().lineSpacing() * 4 + 6)
        policy = self.mistake_box.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.mistake_box.setSizePolicy(policy)
        self.mistake_box.hide()

        self.table = QTableView()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setDefaultSectionSize(60)
        self.heatmap_page = QWidget()
        heat_layout = QVBoxLayout(self.heatmap_page)
        heat_layout.setContentsMargins(0, 0, 0, 0)
        self.batch_item = QSpinBox(minimum=0, maximum=0)
        batch_row = QHBoxLayout()
        batch_row.addWidget(QLabel(self.tr("Batch item")))
        batch_row.addWidget(self.batch_item)
        batch_row.addStretch(1)
        heat_layout.addLayout(batch_row)
        self.batch_item.valueChanged.connect(lambda _v: self._draw_heatmap())

        # Split ↔ merge mapping: the (B, S, D) tensor beside the (B, H, S, Dh) one.
        self.mapping_page = QWidget()
        self.merged_table = QTableView()
        self.heads_table = QTableView()
        for table in (self.merged_table, self.heads_table):
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
            table.verticalHeader().setDefaultSectionSize(26)
            table.horizontalHeader().setDefaultSectionSize(56)
            table.clicked.connect(self._mapping_clicked)
        self.mapping_pair = QComboBox()
        for label, pair in (("Q", _PAIRS["q"]), ("K", _PAIRS["k"]), ("V", _PAIRS["v"]),
                            (self.tr("merge (weights · V)"), _MERGE_PAIR)):  # fmt: skip
            self.mapping_pair.addItem(label, pair)
        self.mapping_pair.currentIndexChanged.connect(lambda _i: self._fill_mapping())
        self.mapping_text = QLabel(self.tr("Click a cell in either tensor."))
        self.mapping_text.setWordWrap(True)
        self.mapping_text.setTextFormat(Qt.TextFormat.RichText)
        self.merged_caption, self.heads_caption = QLabel(), QLabel()
        for caption in (self.merged_caption, self.heads_caption):
            caption.setWordWrap(True)  # a long caption must not decide the tables' widths
        mapping_layout = QVBoxLayout(self.mapping_page)
        pair_row = QHBoxLayout()
        pair_row.addWidget(QLabel(self.tr("Tensor")))
        pair_row.addWidget(self.mapping_pair)
        pair_row.addStretch(1)
        mapping_layout.addLayout(pair_row)
        tables = QSplitter()
        for caption, table in ((self.merged_caption, self.merged_table),
                               (self.heads_caption, self.heads_table)):  # fmt: skip
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            box_layout.addWidget(caption)
            box_layout.addWidget(table)
            tables.addWidget(box)
        tables.setSizes([600, 400])  # D columns on the left, only Dh on the right
        mapping_layout.addWidget(tables, 1)
        mapping_layout.addWidget(self.mapping_text)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, self.tr("Numbers"))
        self.tabs.addTab(self.heatmap_page, self.tr("Heatmap"))
        self.tabs.addTab(self.mapping_page, self.tr("Split ↔ merge"))
        self.tabs.currentChanged.connect(lambda _i: self._refresh_tab())
        self.export_button = QPushButton(self.tr("Export step as PNG…"))
        self.export_button.clicked.connect(self._export_clicked)

        self.detail = QWidget()
        detail_layout = QVBoxLayout(self.detail)
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.trace_banner, 1)
        banner_row.addWidget(self.clear_trace_button)
        detail_layout.addLayout(banner_row)
        head_row = QHBoxLayout()
        head_row.addWidget(self.title)
        head_row.addWidget(self.badge)
        head_row.addStretch(1)
        head_row.addWidget(self.export_button)
        detail_layout.addLayout(head_row)
        detail_layout.addWidget(self.code)
        detail_layout.addWidget(self.your_line)
        detail_layout.addWidget(self.explanation)
        detail_layout.addWidget(self.mistake_box)
        detail_layout.addWidget(self.tabs, 1)
        detail_layout.addWidget(self.timeline)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 800])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for key, slot in (
            (Qt.Key.Key_Right, self.next_step),
            (Qt.Key.Key_Left, self.previous_step),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)
        self.rebuild()

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
        words = self.tokens.text().split()
        count = self.seq_len.value()
        return (words + [f"t{i}" for i in range(len(words), count)])[:count]

    def _tokens_edited(self) -> None:
        words = self.tokens.text().split()
        if words and len(words) != self.seq_len.value() and len(words) <= self.seq_len.maximum():
            self.seq_len.setValue(len(words))  # rebuilds
        else:
            self.rebuild()

    def rebuild(self) -> None:
        """Recompute every step from the controls; an invalid combination shows a message."""
        if self._building:
            return
        self._building = True
        try:
            self.heads = self.heads_box.value()
            mistake = self.mistake.currentData() if self.mistake_mode.isChecked() else None
            self.inputs = make_inputs(
                self.token_list(),
                batch=self.batch.value(),
                d_model=self.d_model.value(),
                seed=self.seed.value(),
                padding=self.padding.value(),
            )
            args = (self.inputs.x, self.inputs.wq, self.inputs.wk, self.inputs.wv, self.inputs.wo)
            options = {"causal": self.causal.isChecked(),
                       "key_padding_mask": self.inputs.key_padding_mask}  # fmt: skip
            self.correct_steps = mha_steps(*args, self.heads, **options)
            self.steps = (
                mha_steps(*args, self.heads, **options, mistake=mistake)
                if mistake
                else self.correct_steps
            )
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
            self.trace_banner.setText(self.tr("Tracing your code in the drill runner…"))
            self.clear_trace_button.hide()
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
            text, colour = self._step_label(step), None
            verdict = verdicts.get(step.key)
            if verdict is not None:
                text = f"{_STATUS_MARKS[verdict.status]}  {text}"
                colour = _STATUS_COLOURS[verdict.status]
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
        self.title.setText(f"{row + 1}. {step.title(self.language)}")
        self.badge.setText(step.badge())
        self.explanation.setText(step.explanation.get(self.language, step.explanation["en"]))
        self.code.setText(
            "<table cellspacing='2'>"
            f"<tr><td><b>numpy</b>&nbsp;</td><td><code>{html.escape(step.numpy_code)}</code></td></tr>"
            f"<tr><td><b>torch</b>&nbsp;</td><td><code>{html.escape(step.torch_code)}</code></td></tr>"
            "</table>"
        )
        self._show_mistake_note(row)
        self._show_verdict(step)
        pair = (
            _MERGE_PAIR
            if step.key in ("context", "merge_transpose", "merged")
            else next((p for k, p in _PAIRS.items() if step.key.startswith(k)), None)
        )
        if pair is not None:
            self.mapping_pair.blockSignals(True)
            self.mapping_pair.setCurrentIndex(self.mapping_pair.findData(pair))
            self.mapping_pair.blockSignals(False)
        self._refresh_tab()
        self.step_shown.emit(row)

    def _show_mistake_note(self, row: int) -> None:
        if self.steps is self.correct_steps:
            self.mistake_note.clear()
            return
        mistake = MISTAKES[self.mistake.currentData()]
        step, right = self.steps[row], self.correct_steps[row]
        if np.array_equal(step.array, right.array, equal_nan=True):
            note = self.tr("This step is the same as without the mistake.")
        elif step.array.shape != right.array.shape:
            note = self.tr("Shape {0} instead of {1}.").format(
                "×".join(map(str, step.shape)), "×".join(map(str, right.shape))
            )
        else:
            with np.errstate(invalid="ignore"):
                finite = np.isfinite(step.array) & np.isfinite(right.array)
                error = float(np.abs(step.array - right.array)[finite].max(initial=0.0))
            note = self.tr("Differs from the correct step (red cells): max |Δ| = {0:.3g}.").format(
                error
            )
        if mistake.key == "mask_after_softmax" and not (
            self.causal.isChecked() or self.padding.value()
        ):
            note += " " + self.tr("Turn on the causal mask or padding to see this bug.")
        self.mistake_note.setText(
            f"{mistake.title.get(self.language, mistake.title['en'])}: "
            f"{mistake.why.get(self.language, mistake.why['en'])} {note}"
        )

    def verdict(self, key: str) -> StepVerdict | None:
        """The trace's verdict on a step, if a trace is shown."""
        if self.trace is None:
            return None
        return next((v for v in self.trace.verdicts if v.key == key), None)

    def _show_verdict(self, step: Step) -> None:
        verdict = self.verdict(step.key)
        if verdict is None:
            self.your_line.hide()
            return
        texts = {
            "match": self.tr("your code computes this step"),
            "folded": self.tr(
                "your code never holds this tensor on its own (folded into a later "
                "expression) — fine"
            ),
            "diverged": self.tr("your code goes wrong here"),
            "after": self.tr("not checked: it follows the first divergence"),
        }
        text = f"<b style='color:{_STATUS_COLOURS[verdict.status]}'>{texts[verdict.status]}</b>"
        if verdict.line:
            text += " — " + self.tr("line {0}: <code>{1}</code>").format(
                verdict.line, html.escape(verdict.source)
            )
        if verdict.max_error is not None and verdict.status == "diverged":
            text += " " + self.tr("(max |Δ| = {0:.3g})").format(verdict.max_error)
        if verdict.values is not None and verdict.values.shape == step.array.shape:
            text += "<br>" + self.tr(
                "Numbers: your tensor; red cells differ from the correct step."
            )
        self.your_line.setText(text)
        self.your_line.show()

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

    def _masked_cells(self, step: Step) -> np.ndarray | None:
        """Where the mask (causal or padding) removed a key, for a (query, key) step from the
        mask on."""
        keys = [s.key for s in self.correct_steps]
        if step.axes[-2:] != ("query", "key") or "masked" not in keys:
            return None
        masked = self.correct_steps[keys.index("masked")]
        if keys.index(step.key) < keys.index("masked") or masked.array.shape != step.array.shape:
            return None  # the mask is not applied yet
        return ~np.isfinite(masked.array)

    def _draw_heatmap(self) -> None:
        step = self.current_step()
        if step is None or self.tabs.currentWidget() is not self.heatmap_page:
            return
        if self._heatmap is None:
            self._heatmap = Heatmap()
            self.heatmap_page.layout().addWidget(self._heatmap, 1)
        shown, compare_to = self._shown_step(step)
        self._heatmap.show_step(
            shown, self.token_list(), self.heads, self.batch_item.value(), self._dark(),
            compare_to=compare_to, masked=self._masked_cells(step),
        )  # fmt: skip

    def _fill_mapping(self) -> None:
        merged_key, heads_key = self.mapping_pair.currentData()
        shown = (id(self.steps), merged_key)
        if shown == self._mapping_shown:  # same tensors: keep the tables and the highlight
            return
        self._mapping_shown = shown
        by_key = {s.key: s for s in self.steps}
        tokens, head_dim = self.token_list(), self._head_dim()
        for table, key, caption in ((self.merged_table, merged_key, self.merged_caption),
                                    (self.heads_table, heads_key, self.heads_caption)):  # fmt: skip
            step = by_key[key]
            old = table.model()
            table.setModel(TensorModel(step, tokens, head_dim, parent=table))
            if old is not None:
                old.deleteLater()
            caption.setText(f"<b>{html.escape(step.title(self.language))}</b> — {step.badge()}")
        self.mapping_text.setText(self.tr("Click a cell in either tensor."))

    def select_mapping_cell(self, in_merged: bool, row: int, column: int) -> None:
        """Highlight a cell and its counterpart (the click handler; tests call it directly)."""
        table = self.merged_table if in_merged else self.heads_table
        self._mapping_clicked(table.model().index(row, column))

    def _mapping_clicked(self, index: QModelIndex) -> None:
        merged_model: TensorModel = self.merged_table.model()
        heads_model: TensorModel = self.heads_table.model()
        head_dim = self._head_dim()
        tokens = self.token_list()
        if index.model() is merged_model:
            b, s = merged_model.row_index(index.row())
            d = index.column()
            h, j = split_position(d, head_dim)
        else:
            b, h, s = heads_model.row_index(index.row())
            j = index.column()
            d = merged_column(h, j, head_dim)
        merged_cell = (int(np.ravel_multi_index((b, s), merged_model.row_shape)), d)
        heads_cell = (int(np.ravel_multi_index((b, h, s), heads_model.row_shape)), j)
        merged_model.set_highlight(merged_cell)
        heads_model.set_highlight(heads_cell)
        self.merged_table.scrollTo(merged_model.index(*merged_cell))
        self.heads_table.scrollTo(heads_model.index(*heads_cell))
        self.highlighted = (merged_cell, heads_cell)
        merged_step, heads_step = merged_model.step, heads_model.step
        a = float(merged_step.array[b, s, d])
        c = float(heads_step.array[b, h, s, j])
        token = tokens[s] if s < len(tokens) else str(s)
        text = self.tr(
            "{0}[b={1}, «{2}», d={3}] ↔ {4}[b={1}, head {5}, «{2}», j={6}]: column d = h·Dh + j "
            "= {5}·{7} + {6}."
        ).format(merged_step.key, b, token, d, heads_step.key, h, j, head_dim)
        if np.isclose(a, c, equal_nan=True):
            text += " " + self.tr("Same number: {0}.").format(format_value(a))
        else:
            text += (
                " <b style='color:#c62828'>"
                + self.tr(
                    "Different numbers ({0} vs {1}): with this bug the head tensor does not "
                    "hold this token's values."
                ).format(format_value(a), format_value(c))
                + "</b>"
            )
        if merged_step.key in ("q", "k", "v") and self.inputs is not None:
            weights = {"q": self.inputs.wq, "k": self.inputs.wk, "v": self.inputs.wv}
            block = head_block(h, head_dim)
            per_head = self.inputs.x @ weights[merged_step.key][:, block]
            error = float(np.abs(per_head - heads_step.array[:, h]).max())
            text += "<br>" + self.tr(
                "Head {0} projects with the column block W_{1}[:, {2}:{3}] of the fused matrix: "
                "x @ W_{1}[:, {2}:{3}] equals head {0} of {1} (max |Δ| = {4:.2g})."
            ).format(h, merged_step.key.upper(), block.start, block.stop, error)
        self.mapping_text.setText(text)

    # ------------------------------------------------------------------ trace
    def trace_inputs(self) -> dict[str, Any]:
        """The page's inputs for a trace (drills have no mask, so none is sent)."""
        assert self.inputs is not None
        i = self.inputs
        return {"x": i.x, "wq": i.wq, "wk": i.wk, "wv": i.wv, "wo": i.wo, "heads": self.heads}

    def start_trace(self, key: str, code: str) -> None:
        """Remember the learner's code and ask for a trace (again after every input change)."""
        self._trace_source = (key, code)
        self.mistake_mode.setChecked(False)
        self.trace_banner.setText(self.tr("Tracing your code in the drill runner…"))
        self.trace_banner.show()
        self.clear_trace_button.hide()  # shown again with the answer
        self.trace_requested.emit(key, code)

    def show_trace(self, payload: dict[str, Any] | None, error: str = "") -> None:
        """The runner's answer: records to compare, or the error the code raised."""
        self.clear_trace_button.show()
        if payload is None:
            self.trace = None
            self.trace_banner.setText(
                "<b style='color:#c62828'>"
                + self.tr("Your code could not be traced:")
                + "</b> "
                + html.escape(error)
            )
            self._mark_steps()
            return
        assert self.inputs is not None
        steps = mha_steps(
            self.inputs.x, self.inputs.wq, self.inputs.wk, self.inputs.wv, self.inputs.wo,
            self.heads,
        )  # fmt: skip
        if self.causal.isChecked() or self.padding.value():
            self.causal.blockSignals(True)
            self.padding.blockSignals(True)
            self.causal.setChecked(False)
            self.padding.setValue(0)
            self.causal.blockSignals(False)
            self.padding.blockSignals(False)
        self.steps = self.correct_steps = steps
        inputs = (self.inputs.x, self.inputs.wq, self.inputs.wk, self.inputs.wv, self.inputs.wo)
        self.trace = compare(steps, records_from_payload(payload), inputs=inputs, heads=self.heads)
        if self.trace.correct:
            banner = (
                "<b style='color:#2e7d32'>" + self.tr("Your solution matches every step.") + "</b>"
            )
        else:
            step = next(s for s in steps if s.key == self.trace.first_divergence)
            banner = (
                "<b style='color:#c62828'>"
                + self.tr("First divergence: {0}").format(html.escape(step.title(self.language)))
                + "</b> — "
                + html.escape(self.trace.diagnosis.get(self.language, self.trace.diagnosis["en"]))
            )
        self.trace_banner.setText(
            banner + " " + self.tr("(traced without a mask, as in the drill)")
        )
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
