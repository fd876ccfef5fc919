"""Tensors as Qt widgets: a table model over a numpy array and a per-head matplotlib heatmap.

Why separate from the Attention page: both are generic views of an N-d array with named axes
(rows are every axis but the last, a head axis gets its own colour), and both must be fast
enough to redraw on every step change, which is where most of their code goes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from studyapp.core.attention import Step

__all__ = ["HEAD_COLOURS", "HEAD_COLUMNS", "Heatmap", "TensorModel", "axis_label", "format_value"]

#: One hue per head (cycled), used by tables and heatmaps alike.
HEAD_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"]
_CMAPS = ["Blues", "Oranges", "Greens", "Reds", "Purples", "copper_r", "RdPu"]
#: Steps whose last axis is d_model columns that belong to heads (h = d // Dh).
HEAD_COLUMNS = {"q", "k", "v", "merged"}
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


def _tinted(colour: str, alpha: int) -> QBrush:
    tint = QColor(colour)
    tint.setAlpha(alpha)
    return QBrush(tint)


_HEAD_BRUSHES = [_tinted(c, 45) for c in HEAD_COLOURS]
_HEAD_TEXT = [QBrush(QColor(c)) for c in HEAD_COLOURS]
_HIGHLIGHT = QBrush(QColor("#ffd54f"))
_DIFFERS = QBrush(QColor(198, 40, 40, 110))
_BLACK = QBrush(QColor("black"))


_COLOUR_TABLES: dict[str, np.ndarray] = {}


def _colour_table(name: str) -> np.ndarray:
    """A colour map as a 256 × 4 lookup table, built once (matplotlib copies maps on access)."""
    table = _COLOUR_TABLES.get(name)
    if table is None:
        from matplotlib import colormaps

        table = _COLOUR_TABLES[name] = colormaps[name](np.linspace(0.0, 1.0, 256))
    return table


def format_value(value: float) -> str:
    if np.isnan(value):
        return "nan"
    if np.isinf(value):
        return "−∞" if value < 0 else "∞"
    return f"{value:.2f}"


def axis_label(axis: str, index: int, tokens: Sequence[str]) -> str:
    if axis in ("seq", "query", "key"):
        return tokens[index] if index < len(tokens) else str(index)
    return {"batch": "b", "head": "h", "head_dim": "j", "d_model": "d"}.get(axis, axis) + str(index)


class TensorModel(QAbstractTableModel):
    """A tensor as a table: the last axis is the columns, the others are flattened into rows.

    Cells are tinted by head (the head axis of the row, or the column's head block), the
    highlighted cell (mapping) is outlined in yellow, and cells that differ from a comparison
    tensor (mistake mode) are red.
    """

    def __init__(
        self,
        step: Step,
        tokens: Sequence[str],
        head_dim: int,
        *,
        compare_to: np.ndarray | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.step, self.tokens, self.head_dim = step, tokens, head_dim
        array = step.array
        self.rows = array.reshape(-1, array.shape[-1]) if array.ndim > 1 else array[None]
        self.row_shape = array.shape[:-1]
        self.highlight: tuple[int, int] | None = None
        self._texts: dict[int, list[str]] = {}
        self._row_indices: list[tuple[int, ...]] | None = None
        self._row_labels: list[str] | None = None
        self._row_heads: np.ndarray | None = None
        if "head" in step.axes[:-1] and self.row_shape:
            grid = np.indices(self.row_shape)[step.axes.index("head")]
            self._row_heads = grid.reshape(-1)
        self.differs: np.ndarray | None = None
        if compare_to is not None and compare_to.shape == array.shape:
            with np.errstate(invalid="ignore"):
                same = np.isclose(array, compare_to, rtol=1e-9, atol=1e-12, equal_nan=True)
            self.differs = (~same).reshape(self.rows.shape)

    def rowCount(self, parent: QModelIndex | None = None) -> int:
        return self.rows.shape[0]

    def columnCount(self, parent: QModelIndex | None = None) -> int:
        return self.rows.shape[1]

    def row_index(self, row: int) -> tuple[int, ...]:
        if self._row_indices is None:
            self._row_indices = list(np.ndindex(*self.row_shape)) if self.row_shape else [()]
        return self._row_indices[row]

    def head_of(self, row: int, column: int) -> int | None:
        """The head a cell belongs to: its row's head axis, or its column's block of d_model."""
        if self._row_heads is not None:
            return int(self._row_heads[row])
        if self.step.key in HEAD_COLUMNS:
            return column // self.head_dim
        return None

    def _cell_brush(self, row: int, column: int) -> QBrush | None:
        head = self.head_of(row, column)
        return None if head is None else _HEAD_BRUSHES[head % len(_HEAD_BRUSHES)]

    def data(self, index: QModelIndex, role: int = _DISPLAY) -> Any:
        # Called thousands of times per paint: plain int roles and cached strings and brushes.
        row, column = index.row(), index.column()
        if role == _DISPLAY:
            texts = self._texts.get(row)
            if texts is None:
                texts = self._texts[row] = [format_value(float(v)) for v in self.rows[row]]
            return texts[column]
        if role == _ALIGN:
            return _RIGHT
        if role == _BACKGROUND:
            if self.highlight == (row, column):
                return _HIGHLIGHT
            if self.differs is not None and self.differs[row, column]:
                return _DIFFERS
            return self._cell_brush(row, column)
        if role == _FOREGROUND and self.highlight == (row, column):
            return _BLACK
        if role == _TOOLTIP:
            where = [*self.row_index(row), column]
            names = ", ".join(
                f"{axis}={axis_label(axis, i, self.tokens)}"
                for axis, i in zip(self.step.axes, where, strict=True)
            )
            return f"{self.step.key}[{names}] = {self.rows[row, column]!r}"
        return None

    def _row_label(self, row: int) -> str:
        if self._row_labels is None:
            skip_batch = bool(self.row_shape) and self.row_shape[0] == 1
            self._row_labels = [
                " · ".join(
                    axis_label(axis, i, self.tokens)
                    for axis, i in zip(self.step.axes[:-1], index, strict=True)
                    if not (axis == "batch" and skip_batch)
                )
                for index in (self.row_index(r) for r in range(self.rowCount()))
            ]
        return self._row_labels[row]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        # The vertical header asks for every row's label to size itself: cached, like data().
        if role == _DISPLAY:
            if orientation == Qt.Orientation.Horizontal:
                return axis_label(self.step.axes[-1], section, self.tokens)
            return self._row_label(section)
        if role == _FOREGROUND:
            head = (
                self.head_of(section, 0)
                if orientation == Qt.Orientation.Vertical and "head" in self.step.axes[:-1]
                else self.head_of(0, section)
                if orientation == Qt.Orientation.Horizontal and self.step.key in HEAD_COLUMNS
                else None
            )
            if head is not None:
                return _HEAD_TEXT[head % len(_HEAD_TEXT)]
        return None

    def set_highlight(self, cell: tuple[int, int] | None) -> None:
        self.highlight = cell
        self.dataChanged.emit(
            self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
        )


class Heatmap(QWidget):
    """A matplotlib canvas: one panel per head, each in its own colour map."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(6, 3.2), layout=None)
        self.canvas = FigureCanvasQTAgg(self.figure)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        self._ax: Any = None
        self._image: Any = None
        self._texts: list[Any] = []
        self._backgrounds: dict[tuple[Any, ...], Any] = {}
        self._layout: tuple[Any, ...] = ()
        self.canvas.mpl_connect("draw_event", self._on_draw)

    def show_step(
        self, step: Step, tokens: Sequence[str], heads: int, batch_item: int, dark: bool
    ) -> None:
        array = step.array[min(batch_item, step.array.shape[0] - 1)]
        axes = step.axes[1:]
        if "head" in axes:  # (H, S, X) or (S, H, Dh)
            if axes[0] != "head":
                array = array.transpose(1, 0, 2)
            panels = list(array)
        elif step.key in HEAD_COLUMNS:
            panels = np.split(array, heads, axis=-1)
        else:
            panels = [array]
        background = np.array([0.16, 0.16, 0.17, 1.0]) if dark else np.array([1.0, 1.0, 1.0, 1.0])
        masked_colour = np.array([0.55, 0.55, 0.55, 1.0])
        pieces = []
        for h, panel in enumerate(panels):
            finite = np.isfinite(panel)
            low = float(panel[finite].min()) if finite.any() else 0.0
            high = float(panel[finite].max()) if finite.any() else 1.0
            scaled = (np.where(finite, panel, low) - low) / (high - low or 1.0)
            table = _colour_table(_CMAPS[h % len(_CMAPS)] if len(panels) > 1 else "RdBu_r")
            rgba = table[np.rint((0.15 + 0.85 * scaled) * 255).astype(np.intp)]
            rgba[~finite] = masked_colour
            pieces.append(rgba)
            if h < len(panels) - 1:
                pieces.append(np.broadcast_to(background, (panel.shape[0], 1, 4)))
        image = (np.concatenate(pieces, axis=1) * 255).astype(np.uint8)  # uint8: no rescaling
        fg = "#e0e0e0" if dark else "#202020"
        rows, width = panels[0].shape
        row_axis = "query" if step.axes[-2] == "query" else "seq"
        # One persistent Axes with its ticks off and a pool of Text artists: creating tick
        # objects on every step cost ~100 ms; updating an image and a few labels costs ~15 ms.
        self.figure.set_facecolor(background)
        if self._image is None:
            self._ax = self.figure.add_axes((0.1, 0.04, 0.88, 0.86))
            self._ax.set_axis_off()
            self._image = self._ax.imshow(image, aspect="auto", interpolation="nearest")
            self._image.set_animated(True)  # drawn by _on_draw / blitting, not by draw()
        else:
            self._image.set_data(image)
        self._image.set_extent((-0.5, image.shape[1] - 0.5, rows - 0.5, -0.5))
        self._ax.set_xlim(-0.5, image.shape[1] - 0.5)
        self._ax.set_ylim(rows - 0.5, -0.5)
        labels = [
            (-0.7, i, axis_label(row_axis, i, tokens), fg, "right", "center", "normal")
            for i in range(rows)
        ]
        if len(panels) > 1:
            labels += [
                (h * (width + 1) + (width - 1) / 2, -0.6, f"head {h}",
                 HEAD_COLOURS[h % len(HEAD_COLOURS)], "center", "bottom", "bold")
                for h in range(len(panels))
            ]  # fmt: skip
        while len(self._texts) < len(labels):
            self._texts.append(self._ax.text(0, 0, "", fontsize=9, clip_on=False))
        for text, (x, y, label, colour, ha, va, weight) in zip(self._texts, labels, strict=False):
            text.set_position((x, y))
            text.set_text(label)
            text.set_color(colour)
            text.set_horizontalalignment(ha)
            text.set_verticalalignment(va)
            text.set_fontweight(weight)
            text.set_visible(True)
        for text in self._texts[len(labels) :]:
            text.set_visible(False)
        # Text is what costs (~1 ms a label); steps of the same layout share labels, so the
        # background with the labels is kept per layout and only the image is blitted over it.
        self._layout = (tuple(labels), image.shape, dark, self.canvas.get_width_height())
        background = self._backgrounds.get(self._layout)
        if background is None:
            self.canvas.draw()  # _on_draw stores the background and adds the image
        else:
            self.canvas.restore_region(background)
            self._ax.draw_artist(self._image)
            self.canvas.blit(self.figure.bbox)

    def _on_draw(self, _event: object) -> None:
        if self._image is None:
            return
        if len(self._backgrounds) > 16:
            self._backgrounds.clear()
        self._backgrounds[self._layout] = self.canvas.copy_from_bbox(self.figure.bbox)
        self._ax.draw_artist(self._image)
