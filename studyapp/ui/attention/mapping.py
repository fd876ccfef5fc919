"""The Attention page's "Split ↔ merge" tab: the (B, S, D) tensor beside the (B, H, S, Dh) one.

Clicking a cell in either table outlines its counterpart and says where it comes from: column
``d = h·Dh + j``. The texts keep the page's translation context (``AttentionView``), so the
Russian translation follows them here unchanged.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.attention.steps import (
    AttentionInputs,
    Step,
    head_block,
    merged_column,
    split_position,
)
from studyapp.ui.attention.tensor_views import TensorModel, format_value

translate = QCoreApplication.translate

#: Which (B, S, D) / (B, H, S, Dh) pair the mapping shows for each projection step.
PAIRS = {"q": ("q", "q_heads"), "k": ("k", "k_heads"), "v": ("v", "v_heads")}
MERGE_PAIR = ("merged", "context")


def pair_for(step_key: str) -> tuple[str, str] | None:
    """The pair the mapping follows to when a step is shown, or None to keep the current one."""
    if step_key in ("context", "merge_transpose", "merged"):
        return MERGE_PAIR
    return next((p for k, p in PAIRS.items() if step_key.startswith(k)), None)


class SplitMergeMapping(QWidget):
    """Two tensor tables, a pair chooser and the explanation of the clicked cell."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.merged_table = QTableView()
        self.heads_table = QTableView()
        for table in (self.merged_table, self.heads_table):
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
            table.verticalHeader().setDefaultSectionSize(26)
            table.horizontalHeader().setDefaultSectionSize(56)
        self.mapping_pair = QComboBox()
        merge = translate("AttentionView", "merge (weights · V)")
        for label, pair in (("Q", PAIRS["q"]), ("K", PAIRS["k"]), ("V", PAIRS["v"])):
            self.mapping_pair.addItem(label, pair)
        self.mapping_pair.addItem(merge, MERGE_PAIR)
        self.mapping_text = QLabel(translate("AttentionView", "Click a cell in either tensor."))
        self.mapping_text.setWordWrap(True)
        self.mapping_text.setTextFormat(Qt.TextFormat.RichText)
        self.merged_caption, self.heads_caption = QLabel(), QLabel()
        for caption in (self.merged_caption, self.heads_caption):
            caption.setWordWrap(True)  # a long caption must not decide the tables' widths
        self.highlighted: tuple[tuple[int, int], tuple[int, int]] | None = None
        self._shown: tuple[int, str] | None = None

        layout = QVBoxLayout(self)
        pair_row = QHBoxLayout()
        pair_row.addWidget(QLabel(translate("AttentionView", "Tensor")))
        pair_row.addWidget(self.mapping_pair)
        pair_row.addStretch(1)
        layout.addLayout(pair_row)
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
        layout.addWidget(tables, 1)
        layout.addWidget(self.mapping_text)

    def follow_step(self, step_key: str) -> None:
        """Show the pair a step belongs to, without refilling the tables yet."""
        pair = pair_for(step_key)
        if pair is not None:
            self.mapping_pair.blockSignals(True)
            self.mapping_pair.setCurrentIndex(self.mapping_pair.findData(pair))
            self.mapping_pair.blockSignals(False)

    def fill(
        self, steps: Sequence[Step], tokens: Sequence[str], head_dim: int, language: str
    ) -> None:
        """Put the chosen pair of ``steps`` in the tables (kept as they are for the same steps)."""
        merged_key, heads_key = self.mapping_pair.currentData()
        shown = (id(steps), merged_key)
        if shown == self._shown:  # same tensors: keep the tables and the highlight
            return
        self._shown = shown
        by_key = {s.key: s for s in steps}
        for table, key, caption in ((self.merged_table, merged_key, self.merged_caption),
                                    (self.heads_table, heads_key, self.heads_caption)):  # fmt: skip
            step = by_key[key]
            old = table.model()
            table.setModel(TensorModel(step, tokens, head_dim, parent=table))
            if old is not None:
                old.deleteLater()
            caption.setText(f"<b>{html.escape(step.title(language))}</b> — {step.badge()}")
        self.mapping_text.setText(translate("AttentionView", "Click a cell in either tensor."))

    def _models(self) -> tuple[TensorModel, TensorModel]:
        merged, heads = self.merged_table.model(), self.heads_table.model()
        assert isinstance(merged, TensorModel) and isinstance(heads, TensorModel)
        return merged, heads

    def select(
        self,
        index: QModelIndex | QPersistentModelIndex,
        tokens: Sequence[str],
        head_dim: int,
        inputs: AttentionInputs | None,
    ) -> None:
        """Outline a cell and its counterpart, and explain the pair in words."""
        merged_model, heads_model = self._models()
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
        text = translate(
            "AttentionView",
            "{0}[b={1}, «{2}», d={3}] ↔ {4}[b={1}, head {5}, «{2}», j={6}]: column d = h·Dh + j "
            "= {5}·{7} + {6}.",
        ).format(merged_step.key, b, token, d, heads_step.key, h, j, head_dim)
        text += " " + self._same_or_different(a, c)
        if merged_step.key in ("q", "k", "v") and inputs is not None:
            text += "<br>" + self._head_projection(inputs, merged_step.key, heads_step, h, head_dim)
        self.mapping_text.setText(text)

    @staticmethod
    def _same_or_different(a: float, c: float) -> str:
        if np.isclose(a, c, equal_nan=True):
            return translate("AttentionView", "Same number: {0}.").format(format_value(a))
        return (
            "<b style='color:#c62828'>"
            + translate(
                "AttentionView",
                "Different numbers ({0} vs {1}): with this bug the head tensor does not "
                "hold this token's values.",
            ).format(format_value(a), format_value(c))
            + "</b>"
        )

    @staticmethod
    def _head_projection(
        inputs: AttentionInputs, letter: str, heads_step: Step, h: int, head_dim: int
    ) -> str:
        """Head ``h`` of Q, K or V is x times a column block of the fused weight matrix."""
        weights = {"q": inputs.wq, "k": inputs.wk, "v": inputs.wv}
        block = head_block(h, head_dim)
        per_head = inputs.x @ weights[letter][:, block]
        error = float(np.abs(per_head - heads_step.array[:, h]).max())
        return translate(
            "AttentionView",
            "Head {0} projects with the column block W_{1}[:, {2}:{3}] of the fused matrix: "
            "x @ W_{1}[:, {2}:{3}] equals head {0} of {1} (max |Δ| = {4:.2g}).",
        ).format(h, letter.upper(), block.start, block.stop, error)
