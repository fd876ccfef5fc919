"""Tensors as Qt widgets: a table model over a numpy array and a per-head heatmap.

Why separate from the Attention page: both are generic views of an N-d array with named axes
(rows are every axis but the last, a head axis gets its own colour), and both must be fast
enough to redraw on every step change, which is where most of their code goes.

Why the heatmap is painted with QPainter rather than matplotlib: its labels, colour bars and cell
values are a few hundred short texts, which matplotlib lays out at about 1 ms each (a first visit
to a layout took 55–80 ms); Qt draws the same in a few milliseconds, with no figure to keep.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from studyapp.core.attention.steps import Step

__all__ = [
    "HEAD_COLOURS",
    "HEAD_COLUMNS",
    "Heatmap",
    "TensorModel",
    "axis_label",
    "format_value",
    "heatmap_panels",
]

#: One hue per head (cycled), used by tables and heatmaps alike.
HEAD_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"]
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


def _ramp(*stops: str) -> np.ndarray:
    """A colour map as a 256 × 4 lookup table (floats 0..1), evenly through ``stops``."""
    colours = np.array([QColor(c).getRgbF() for c in stops], dtype=float)
    at = np.linspace(0.0, 1.0, len(stops))
    grid = np.linspace(0.0, 1.0, 256)
    return np.stack([np.interp(grid, at, colours[:, k]) for k in range(4)], axis=1)


#: One map per head: from a pale tint of the head's colour to a dark shade of it.
_HEAD_MAPS = [_ramp("#f7f7f7", c, QColor(c).darker(220).name()) for c in HEAD_COLOURS]
#: A single panel (no heads) is diverging around zero: blue below, red above.
_DIVERGING = _ramp("#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b")


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

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return self.rows.shape[0]

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
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

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
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


def heatmap_panels(
    array: np.ndarray, axes: Sequence[str], key: str, heads: int
) -> list[np.ndarray]:
    """The 2-D panels of one batch item (``axes`` without the batch axis): one per head (the
    head axis, or the d_model column blocks of Q, K, V and the merged tensor), else one."""
    if "head" in axes:  # (H, S, X) or (S, H, Dh)
        if axes[0] != "head":
            array = array.transpose(1, 0, 2)
        return list(array)
    if key in HEAD_COLUMNS:
        return np.split(array, heads, axis=-1)
    return [array]


def masked_cells(step: Step, steps: Sequence[Step]) -> np.ndarray | None:
    """Where the mask (causal or padding) removed a key, for a (query, key) step from the
    mask on; ``steps`` are the correct steps, in order."""
    keys = [s.key for s in steps]
    if step.axes[-2:] != ("query", "key") or "masked" not in keys:
        return None
    masked = steps[keys.index("masked")]
    if keys.index(step.key) < keys.index("masked") or masked.array.shape != step.array.shape:
        return None  # the mask is not applied yet
    return ~np.isfinite(masked.array)


def _value_range(panel: np.ndarray, diverging: bool) -> tuple[float, float]:
    finite = panel[np.isfinite(panel)]
    if not finite.size:
        return 0.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    if diverging and low < 0 < high:
        low, high = -max(-low, high), max(-low, high)  # zero sits in the middle, white
    return low, high if high > low else low + 1.0


def _rgba_image(rgba: np.ndarray) -> QImage:
    """A QImage owning a copy of an (h, w, 4) opaque uint8 RGBA array.

    Why RGB32 (bytes B, G, R, 0xff): the painter scales it without converting it first, which
    an RGBA8888 image cost on every paint.
    """
    height, width = rgba.shape[:2]
    bgra = np.ascontiguousarray(rgba[..., [2, 1, 0, 3]])
    bgra[..., 3] = 255
    return QImage(bgra.data, width, height, 4 * width, QImage.Format.Format_RGB32).copy()


_MASKED_RGBA = np.array([150, 150, 150, 255], dtype=np.uint8)
_DIFFERS_PEN = QColor("#e53935")
_BAR_HEIGHT = 10
#: Cells are never drawn larger than this (a 1 × 4 tensor must not fill the page).
_MAX_CELL = 72.0


@dataclass
class _Grid:
    """Where the last paint put the cells: the left edge, top, cell size and panel stride."""

    left: float
    top: float
    cell_w: float
    cell_h: float
    stride: float


class Heatmap(QWidget):
    """One panel per head, each in its head's colour ramp, with labels, colour bars and values.

    Rows are queries (or sequence positions), columns keys (or the last axis). Masked cells are
    hatched and named in the legend; cells that differ from a comparison tensor (mistake mode, a
    learner's trace) are outlined in red. Values are written on the cells when they fit.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(240, 160)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.panels: list[np.ndarray] = []
        self.ranges: list[tuple[float, float]] = []
        self.masked: list[np.ndarray] | None = None
        self.differs: list[np.ndarray] | None = None
        self.row_labels: list[str] = []
        self.column_labels: list[list[str]] = []
        self.titles: list[str] = []
        #: The corner caption naming the row and the column axis.
        self.corner = ""
        self.dark = False
        #: What the last paint drew: every text (labels, colour-bar ends, legend) and how many
        #: cells carry their value; tests read them.
        self.drawn_labels: list[str] = []
        self.values_drawn = 0
        self._images: list[QImage] = []
        self._bars: list[QImage] = []
        self._grid: _Grid | None = None

    def show_step(
        self,
        step: Step,
        tokens: Sequence[str],
        heads: int,
        batch_item: int,
        dark: bool,
        *,
        compare_to: np.ndarray | None = None,
        masked: np.ndarray | None = None,
    ) -> None:
        """Show ``step`` (batch item ``batch_item``); ``compare_to`` marks differing cells and
        ``masked`` (same shape, True = masked out) hatches cells besides the non-finite ones."""
        b = min(batch_item, step.array.shape[0] - 1)
        axes = step.axes[1:]

        def panels(array: np.ndarray) -> list[np.ndarray]:
            return heatmap_panels(array[b], axes, step.key, heads)

        self.panels, self.dark = panels(step.array), dark
        self.differs = None
        if compare_to is not None and compare_to.shape == step.array.shape:
            with np.errstate(invalid="ignore"):
                same = np.isclose(step.array, compare_to, rtol=1e-9, atol=1e-12, equal_nan=True)
            self.differs = panels(~same) if not same[b].all() else None
        hidden = ~np.isfinite(step.array)
        if masked is not None and masked.shape == step.array.shape:
            hidden |= masked
        self.masked = panels(hidden) if hidden[b].any() else None
        self._colour(len(self.panels) > 1)
        self._label(step, tokens, axes)
        self.update()

    def _colour(self, many: bool) -> None:
        self.ranges, self._images, self._bars = [], [], []
        for h, panel in enumerate(self.panels):
            table = _HEAD_MAPS[h % len(_HEAD_MAPS)] if many else _DIVERGING
            low, high = _value_range(panel, diverging=not many)
            finite = np.isfinite(panel)
            scaled = np.clip((np.where(finite, panel, low) - low) / (high - low), 0.0, 1.0)
            rgba = (table[np.rint(scaled * 255).astype(np.intp)] * 255).astype(np.uint8)
            rgba[~finite] = _MASKED_RGBA
            self.ranges.append((low, high))
            self._images.append(_rgba_image(rgba))
            self._bars.append(_rgba_image((table[None] * 255).astype(np.uint8)))

    def _label(self, step: Step, tokens: Sequence[str], axes: Sequence[str]) -> None:
        row_axis = next(a for a in axes[:-1] if a != "head")
        self.row_labels = [axis_label(row_axis, i, tokens) for i in range(len(self.panels[0]))]
        width = self.panels[0].shape[1]
        if step.key in HEAD_COLUMNS and "head" not in axes and len(self.panels) > 1:
            # Each head's block of d_model: its columns keep their d index.
            self.column_labels = [
                [f"d{h * width + j}" for j in range(width)] for h in range(len(self.panels))
            ]
        else:
            self.column_labels = [[axis_label(axes[-1], j, tokens) for j in range(width)]]
            self.column_labels *= len(self.panels)
        many = len(self.panels) > 1
        self.titles = (
            [self.tr("head {0}").format(h) for h in range(len(self.panels))] if many else []
        )
        self.corner = f"{row_axis} ↓  {axes[-1]} →"

    # ------------------------------------------------------------------ painting
    def cell_rect(self, panel: int, row: int, column: int) -> QRectF:
        """Where the last paint drew a cell (tests sample its pixels)."""
        grid = self._grid
        if grid is None:
            raise RuntimeError("the heatmap has not been painted yet")
        x = grid.left + panel * grid.stride + column * grid.cell_w
        return QRectF(x, grid.top + row * grid.cell_h, grid.cell_w, grid.cell_h)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        background, foreground = (
            (QColor("#29292b"), QColor("#e0e0e0"))
            if self.dark
            else (QColor("white"), QColor("#202020"))
        )
        painter.fillRect(self.rect(), background)
        self.drawn_labels, self.values_drawn, self._grid = [], 0, None
        if not self.panels:
            return
        grid = self._layout(painter.fontMetrics())
        if grid is None:
            return
        self._grid = grid
        painter.setPen(foreground)
        for h in range(len(self.panels)):
            self._paint_panel(painter, h, grid, foreground)
        self._paint_rows(painter, grid)
        self._paint_legend(painter, grid, foreground)
        painter.end()

    def _layout(self, metrics: QFontMetrics) -> _Grid | None:
        line = metrics.height()
        rows, columns = self.panels[0].shape
        count = len(self.panels)
        left = max(metrics.horizontalAdvance(t) for t in [*self.row_labels, "00"]) + 10
        top = line * (2 if self.titles else 1) + 6
        legend = line + 6 if self.masked is not None or self.differs is not None else 0
        bottom = 6 + _BAR_HEIGHT + 2 + line + legend
        gap = 12.0 if count > 1 else 0.0
        room_w = self.width() - left - 8 - gap * (count - 1)
        room_h = self.height() - top - bottom
        if room_w < count * columns or room_h < rows:
            return None
        cell_w = min(room_w / (count * columns), _MAX_CELL * 2)
        cell_h = min(room_h / rows, _MAX_CELL)
        return _Grid(left, top, cell_w, cell_h, columns * cell_w + gap)

    def _paint_panel(self, painter: QPainter, h: int, grid: _Grid, foreground: QColor) -> None:
        metrics = painter.fontMetrics()
        rows, columns = self.panels[h].shape
        x0 = grid.left + h * grid.stride
        width, height = columns * grid.cell_w, rows * grid.cell_h
        painter.drawImage(QRectF(x0, grid.top, width, height), self._images[h])
        if self.masked is not None:
            grey = QColor(*_MASKED_RGBA[:3].tolist())
            hatch = QBrush(QColor("#202020"), Qt.BrushStyle.BDiagPattern)
            for r, c in zip(*np.nonzero(self.masked[h]), strict=True):
                cell = self.cell_rect(h, int(r), int(c))
                painter.fillRect(cell, grey)
                painter.fillRect(cell, hatch)
        if self.differs is not None:
            painter.setPen(QPen(_DIFFERS_PEN, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for r, c in zip(*np.nonzero(self.differs[h]), strict=True):
                painter.drawRect(self.cell_rect(h, int(r), int(c)).adjusted(1, 1, -1, -1))
        fits = (
            grid.cell_w >= metrics.horizontalAdvance("−0.00") + 4
            and grid.cell_h >= metrics.height()
        )
        if fits:
            self._paint_values(painter, h)
        painter.setPen(foreground)
        self._paint_columns(painter, h, grid)
        # The colour bar: this panel's ramp, its lowest and highest value at the ends.
        bar = QRectF(x0, grid.top + height + 6, width, _BAR_HEIGHT)
        painter.drawImage(bar, self._bars[h])
        low, high = (format_value(v) for v in self.ranges[h])
        text_box = QRectF(x0, bar.bottom() + 2, width, metrics.height())
        painter.drawText(text_box, Qt.AlignmentFlag.AlignLeft, low)
        painter.drawText(text_box, Qt.AlignmentFlag.AlignRight, high)
        self.drawn_labels += [low, high]

    def _paint_values(self, painter: QPainter, h: int) -> None:
        image, panel = self._images[h], self.panels[h]
        dark_text, light_text = QColor("#101010"), QColor("#ffffff")
        for (r, c), value in np.ndenumerate(panel):
            light = QColor(image.pixel(c, r)).lightness() > 140
            painter.setPen(dark_text if light else light_text)
            painter.drawText(self.cell_rect(h, r, c), Qt.AlignmentFlag.AlignCenter,
                             format_value(float(value)))  # fmt: skip
        self.values_drawn += panel.size

    def _paint_columns(self, painter: QPainter, h: int, grid: _Grid) -> None:
        metrics = painter.fontMetrics()
        labels = self.column_labels[h]
        x0 = grid.left + h * grid.stride
        widest = max(metrics.horizontalAdvance(t) for t in labels) + 4
        every = max(1, int(np.ceil(widest / grid.cell_w)))
        y = grid.top - metrics.height() - 2
        for j in range(0, len(labels), every):
            box = QRectF(
                x0 + j * grid.cell_w - widest, y, grid.cell_w + 2 * widest, metrics.height()
            )
            painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                             labels[j])  # fmt: skip
            self.drawn_labels.append(labels[j])
        if self.titles:
            title_font = QFont(painter.font())
            title_font.setBold(True)
            painter.save()
            painter.setFont(title_font)
            painter.setPen(QColor(HEAD_COLOURS[h % len(HEAD_COLOURS)]))
            box = QRectF(x0, y - metrics.height() - 2, len(labels) * grid.cell_w, metrics.height())
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.titles[h])
            painter.restore()
            self.drawn_labels.append(self.titles[h])

    def _paint_rows(self, painter: QPainter, grid: _Grid) -> None:
        metrics = painter.fontMetrics()
        every = max(1, int(np.ceil(metrics.height() / grid.cell_h)))
        for i in range(0, len(self.row_labels), every):
            box = QRectF(0, grid.top + i * grid.cell_h, grid.left - 6, grid.cell_h)
            align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(box, align, self.row_labels[i])
            self.drawn_labels.append(self.row_labels[i])
        corner = QRectF(0, 0, grid.left + 200, metrics.height())
        painter.drawText(corner, Qt.AlignmentFlag.AlignLeft, self.corner)

    def _paint_legend(self, painter: QPainter, grid: _Grid, foreground: QColor) -> None:
        metrics = painter.fontMetrics()
        y = self.height() - metrics.height() - 4
        x = grid.left
        entries = []
        if self.masked is not None:
            entries.append(("masked", self.tr("masked (left out of the softmax)")))
        if self.differs is not None:
            entries.append(("differs", self.tr("differs from the correct step")))
        for kind, text in entries:
            swatch = QRectF(x, y + 2, metrics.height() - 4, metrics.height() - 4)
            if kind == "masked":
                painter.fillRect(swatch, QColor(*_MASKED_RGBA[:3].tolist()))
                painter.fillRect(swatch, QBrush(QColor("#202020"), Qt.BrushStyle.BDiagPattern))
            else:
                painter.setPen(QPen(_DIFFERS_PEN, 2))
                painter.drawRect(swatch)
            painter.setPen(foreground)
            painter.drawText(QPointF(swatch.right() + 6, y + metrics.ascent()), text)
            self.drawn_labels.append(text)
            x = swatch.right() + 6 + metrics.horizontalAdvance(text) + 18


class HeatmapPage(QWidget):
    """The Heatmap tab: the batch item to show, and the heatmap itself, created when first drawn
    (matplotlib's canvas is not built for a page nobody opens)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heatmap: Heatmap | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.batch_item = QSpinBox(minimum=0, maximum=0)
        batch_row = QHBoxLayout()
        # The page's text, in the Attention page's translation context.
        batch_row.addWidget(QLabel(QCoreApplication.translate("AttentionView", "Batch item")))
        batch_row.addWidget(self.batch_item)
        batch_row.addStretch(1)
        self._layout.addLayout(batch_row)

    def show_step(
        self,
        step: Step,
        tokens: Sequence[str],
        heads: int,
        dark: bool,
        *,
        compare_to: np.ndarray | None = None,
        masked: np.ndarray | None = None,
    ) -> None:
        """Draw the chosen batch item of ``step``."""
        if self.heatmap is None:
            self.heatmap = Heatmap()
            self._layout.addWidget(self.heatmap, 1)
        self.heatmap.show_step(
            step, tokens, heads, self.batch_item.value(), dark,
            compare_to=compare_to, masked=masked,
        )  # fmt: skip
