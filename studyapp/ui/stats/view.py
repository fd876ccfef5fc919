"""The Statistics page: every chart of the overview on its own canvas, a range switch, streaks.

The view only paints: the main window computes :class:`Statistics` on the database worker when
the page is shown or the range changes (:attr:`StatsView.refresh_requested`) and hands the result
to :meth:`StatsView.show_stats`. matplotlib is imported when the page is first shown, not when
the window starts. Charts follow the window's light or dark palette and are redrawn when it
changes; each one can be saved as a PNG.

Why charts are drawn when they come into view: matplotlib needs tens of milliseconds per chart,
so the charts on screen are drawn at once and the ones below the fold when they are first
painted (scrolled to, or exported), which keeps the page's first screen fast. Charts drawn from
equal statistics keep their pictures, and their texts are painted by Qt where matplotlib laid
them out (see :func:`_canvas_class`). The mouse wheel over a chart scrolls the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLocale,
    QObject,
    QPointF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QPainter,
    QPaintEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.rendering.render import theme_for
from studyapp.ui.theme import is_dark

if TYPE_CHECKING:
    from matplotlib.backend_bases import GraphicsContextBase, ResizeEvent
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.font_manager import FontProperties
    from matplotlib.text import Text

    from studyapp.core.stats.plots import PlotText
    from studyapp.core.stats.queries import Statistics

__all__ = ["StatsView"]

#: Canvas heights in pixels: a day axis wide and low, the calendar lower still.
_HEIGHTS = {"calendar": 190, "reviews": 270}
_HEIGHT = 250
#: The range switch, in days: ``studyapp.core.stats.queries.RANGES``, written out so that the window
#: does not import the statistics modules (and their dataclasses) at start-up.
RANGES = (30, 90, 365)
#: Exported PNGs are drawn at this resolution, whatever the screen's.
EXPORT_DPI = 150


@dataclass(frozen=True, slots=True)
class ChartLabel:
    """One text of a chart where matplotlib laid it out: its baseline's left end in the
    canvas's physical pixels (y down: the Agg renderer flips matplotlib's y for texts),
    turned ``angle`` degrees."""

    text: str
    x: float
    y: float
    angle: float
    points: float
    rgba: tuple[float, ...]
    bold: bool


def _canvas_class() -> type[FigureCanvasQTAgg]:
    """A matplotlib canvas whose texts Qt paints over the picture.

    Why: laying out and rasterising glyphs was about two thirds of a chart's drawing time
    in matplotlib; its renderer is asked only where each text goes, and the canvas's
    paintEvent writes them with QPainter, which costs microseconds a text. Exports
    (``savefig``) use a fresh renderer, so a saved PNG carries matplotlib's own texts.
    """
    global _CANVAS
    if _CANVAS is not None:
        return _CANVAS
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    class ChartCanvas(FigureCanvasQTAgg):
        labels: list[ChartLabel]

        def draw(self) -> None:
            renderer = self.get_renderer()  # the one draw() reuses at this size
            labels: list[ChartLabel] = []

            def record(gc: GraphicsContextBase, x: float, y: float, s: str,
                       prop: FontProperties, angle: float, ismath: bool | str = False,
                       mtext: Text | None = None) -> None:  # fmt: skip
                weight = prop.get_weight()
                bold = weight in ("bold", "heavy", "black", "semibold", "demibold") or (
                    isinstance(weight, int) and weight >= 600
                )
                labels.append(ChartLabel(s, x, y, angle, prop.get_size_in_points(),
                                         tuple(gc.get_rgb()), bold))  # fmt: skip

            renderer.draw_text = record
            renderer._get_font_height_metrics = partial(_font_height_metrics, dpi=renderer.dpi)
            try:
                super().draw()
            finally:
                del renderer.draw_text
            self.labels = labels

        def paintEvent(self, event: QPaintEvent) -> None:
            super().paintEvent(event)
            labels = getattr(self, "labels", [])
            if labels:
                painter = QPainter(self)
                _paint_labels(painter, labels, self.figure.dpi, self.device_pixel_ratio)
                painter.end()

    _CANVAS = ChartCanvas
    return ChartCanvas


_CANVAS: type[FigureCanvasQTAgg] | None = None
#: (font, size in points, dpi) -> ascent, descent and line gap in pixels.
_FONT_METRICS: dict[tuple[int, float, float], tuple[float, float, float]] = {}


def _font_height_metrics(
    prop: FontProperties, dpi: float
) -> tuple[float | None, float | None, float | None]:
    """A font's ascent, descent and line gap in pixels at ``dpi``, measured once per font.

    Why: matplotlib reads them from the font's tables again for every text it lays out (a
    fifth of a chart's drawing time); its renderers may answer the question themselves.
    """
    key = (hash(prop), prop.get_size_in_points(), dpi)
    metrics = _FONT_METRICS.get(key)
    if metrics is None:
        from matplotlib.font_manager import fontManager, get_font

        try:
            font = get_font(fontManager._find_fonts_by_props(prop))
            table, head = font.get_sfnt_table("OS/2"), font.get_sfnt_table("head")
            if table is None or head is None:
                return None, None, None  # no such tables: matplotlib measures it the usual way
            scale = prop.get_size_in_points() * dpi / 72 / head["unitsPerEm"]
            metrics = (
                table["sTypoAscender"] * scale,
                -table["sTypoDescender"] * scale,
                table["sTypoLineGap"] * scale,
            )
        except (AttributeError, KeyError, TypeError):
            return None, None, None  # matplotlib measures it the usual way
        _FONT_METRICS[key] = metrics
    return metrics


#: matplotlib's own sans-serif font, so that Qt's texts are as wide as it measured them.
_FONT_FAMILY = "DejaVu Sans"


def _paint_labels(painter: QPainter, labels: list[ChartLabel], dpi: float, ratio: float) -> None:
    fonts: dict[tuple[float, bool], QFont] = {}
    for label in labels:
        key = (label.points, label.bold)
        font = fonts.get(key)
        if font is None:
            font = fonts[key] = QFont(_FONT_FAMILY)
            font.setPixelSize(max(1, round(label.points * dpi / 72 / ratio)))
            font.setBold(label.bold)
        painter.setFont(font)
        painter.setPen(QColor.fromRgbF(*label.rgba))
        x, y = label.x / ratio, label.y / ratio
        if label.angle:
            painter.save()
            painter.translate(x, y)
            painter.rotate(-label.angle)
            painter.drawText(QPointF(0, 0), label.text)
            painter.restore()
        else:
            painter.drawText(QPointF(x, y), label.text)


class StatsView(QWidget):
    """Charts of the review log, the schedule and the drills, over 30 days, 90 days or a year."""

    #: The page wants statistics for this many days (it was shown, or the range changed).
    refresh_requested = Signal(int)
    #: Every chart has been drawn from the latest statistics.
    drawn = Signal()

    def __init__(self, dark: Callable[[], bool] = is_dark, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dark = dark
        self.stats: Statistics | None = None
        self.canvases: dict[str, FigureCanvasQTAgg] = {}
        #: Charts whose picture is older than the statistics or the palette (drawn when shown).
        self.stale: set[str] = set()
        self._plot_of: dict[QObject, str] = {}
        self._theme = theme_for(dark=False)
        self._text: PlotText | None = None
        self._drawn_from: tuple[object, ...] = ()
        self._redraw_queued = False
        self.export_buttons: dict[str, QPushButton] = {}
        #: How many times the charts were drawn (the benchmark and tests wait on it).
        self.draw_count = 0
        #: How many charts were drawn from statistics, one by one (tests count them).
        self.charts_drawn = 0
        self._span = RANGES[0]

        title = QLabel(self.tr("Statistics"))
        title.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.range_buttons = QButtonGroup(self)
        self.range_buttons.setExclusive(True)
        names = {30: self.tr("30 days"), 90: self.tr("90 days"), 365: self.tr("1 year")}
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        for span in RANGES:
            button = QPushButton(names[span])
            button.setCheckable(True)
            button.setChecked(span == self._span)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self.range_buttons.addButton(button, span)
            header.addWidget(button)
        self.range_buttons.idClicked.connect(self.set_span)
        self.summary = QLabel()
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setWordWrap(True)

        self._charts = QWidget()
        self._grid = QGridLayout(self._charts)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(12)
        self._grid.setVerticalSpacing(6)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setWidget(self._charts)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.summary)
        layout.addWidget(self.scroll_area, 1)

    # ------------------------------------------------------------------ range
    @property
    def span(self) -> int:
        """The range shown, in days."""
        return self._span

    def set_span(self, span: int) -> None:
        """Show the last ``span`` days (one of RANGES); asks for new statistics."""
        if span not in RANGES:
            raise ValueError(f"the range must be one of {RANGES}, got {span}")
        self._span = span
        self.range_buttons.button(span).setChecked(True)
        self.refresh_requested.emit(span)

    # ------------------------------------------------------------------ drawing
    def show_stats(self, stats: Statistics) -> None:
        """Draw every chart from ``stats`` (computed on the worker)."""
        if stats.span != self._span:
            return  # an answer for a range the user has already left
        self.stats = stats
        streak = stats.streak
        self.summary.setText(
            self.tr(
                "Current streak: {0} d · Longest streak: {1} d · Days studied in the last year: "
                "{2} · Answers in this range: {3} ({4} reviews, {5} same-day re-drills)"
            ).format(
                streak.current,
                streak.longest,
                len(stats.calendar),
                stats.answers_in_range,
                stats.reviews_in_range,
                stats.redrills_in_range,
            )
        )
        self._draw()

    def showEvent(self, event: QShowEvent) -> None:
        """Make the canvases on first show, so they are laid out before statistics arrive."""
        super().showEvent(event)
        self._ensure_canvases()

    def _ensure_canvases(self) -> None:
        if self.canvases:
            return
        from matplotlib.figure import Figure

        from studyapp.core.stats.plots import FULL_WIDTH, PLOTS, style_figure

        canvas_class = _canvas_class()
        row = column = 0
        for plot in PLOTS:
            figure = Figure()
            style_figure(figure, theme_for(self._dark()))
            canvas = canvas_class(figure)
            canvas.setMinimumHeight(_HEIGHTS.get(plot, _HEIGHT))
            canvas.setObjectName(f"chart-{plot}")
            canvas.installEventFilter(self)
            canvas.mpl_connect("resize_event", self._refit_on_resize(plot))
            self._plot_of[canvas] = plot
            export = QPushButton(self.tr("Export PNG…"))
            export.setFlat(True)
            export.setToolTip(self.tr("Save this chart as a PNG image"))
            export.clicked.connect(lambda _=False, p=plot: self._export_dialog(p))
            cell = QWidget()
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(0)
            box.addWidget(canvas)
            box.addWidget(export, 0, Qt.AlignmentFlag.AlignRight)
            if plot in FULL_WIDTH:
                if column:
                    row, column = row + 1, 0
                self._grid.addWidget(cell, row, 0, 1, 2)
                row += 1
            else:
                self._grid.addWidget(cell, row, column)
                row, column = (row, 1) if column == 0 else (row + 1, 0)
            self.canvases[plot] = canvas
            self.export_buttons[plot] = export
        self._grid.setRowStretch(row + 1, 1)
        # Lay the charts out now (the scroll area sizes its content on a posted event), so the
        # ones below the fold are known to be out of view when the statistics arrive.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def plot_text(self) -> PlotText:
        """Every chart label in the interface language (month and day names from the locale)."""
        from studyapp.core.stats.plots import PlotText

        locale = QLocale()
        short = QLocale.FormatType.ShortFormat
        return PlotText(
            reviews_title=self.tr("Reviews per day"),
            calendar_title=self.tr("Study days (current streak {0} d, longest {1} d)"),
            forecast_title=self.tr("Due in the next 30 days"),
            time_title=self.tr("Time spent per day"),
            retention_interval_title=self.tr("Retention by interval"),
            retention_time_title=self.tr("Retention over time (per week)"),
            ease_title=self.tr("E-Factors"),
            intervals_title=self.tr("Intervals"),
            drills_title=self.tr("Drills per track"),
            answers=self.tr("answers"),
            items=self.tr("items"),
            minutes=self.tr("minutes"),
            passed_share=self.tr("graded ≥ 3, %"),
            interval_days=self.tr("interval before the review (days)"),
            current_interval=self.tr("current interval (days)"),
            ease=self.tr("E-Factor"),
            grade=self.tr("grade {0}"),
            redrill=self.tr("re-drill"),
            pass_rate=self.tr("pass rate"),
            first_try_rate=self.tr("first-try pass rate"),
            track_runs=self.tr("{0} ({1} runs)"),
            no_reviews=self.tr("No reviews yet"),
            no_retention=self.tr("No retention tests yet: an item's first answers only teach it;")
            + "\n"
            + self.tr("retention counts the answers when it comes back after a day or more"),
            no_drills=self.tr("No drill runs yet"),
            today=self.tr("today"),
            # A month alone (the calendar) in the nominative («май»), after a day number in
            # the form the language uses there («12 мая»).
            months=tuple(locale.standaloneMonthName(m, short) for m in range(1, 13)),
            day_months=tuple(locale.monthName(m, short) for m in range(1, 13)),
            weekdays=tuple(locale.standaloneDayName(d, short) for d in range(1, 8)),
        )

    def _draw(self) -> None:
        """Draw the charts on screen now; the others when they are first painted.

        Charts already drawn from equal statistics, in the same colours and language, keep
        their pictures: coming back to the page without having studied costs no drawing.
        """
        if self.stats is None:
            return
        self._ensure_canvases()
        theme, text = theme_for(self._dark()), self.plot_text()
        source = (self.stats, theme, text)
        if source != self._drawn_from:
            self._drawn_from = source
            self.stale = set(self.canvases)
        self._theme, self._text = theme, text
        for plot, canvas in self.canvases.items():
            if plot not in self.stale:
                continue
            if canvas.visibleRegion().isEmpty():
                canvas.update()  # painted (and drawn) if it comes into view
            else:
                self._render(plot)
        self.draw_count += 1
        self.drawn.emit()

    def _render(self, plot: str) -> None:
        stats = self.stats
        if stats is None or self._text is None or plot not in self.stale:
            return
        from studyapp.core.stats.plots import draw_plot, fit_margins, reset_axes, style_figure

        self.stale.discard(plot)
        self.charts_drawn += 1
        canvas = self.canvases[plot]
        figure = canvas.figure
        ax = figure.axes[0] if figure.axes else figure.add_subplot()
        reset_axes(ax)
        style_figure(figure, self._theme)
        draw_plot(ax, plot, stats, self._theme, self._text)
        fit_margins(figure, plot)
        canvas.draw()

    def render_all(self) -> None:
        """Draw every chart still waiting to be shown (before an export, or to measure)."""
        for plot in self.canvases:
            self._render(plot)

    def _refit_on_resize(self, plot: str) -> Callable[[ResizeEvent], None]:
        def refit(_event: ResizeEvent) -> None:
            self._refit(plot)

        return refit

    def _refit(self, plot: str) -> None:
        from studyapp.core.stats.plots import fit_margins

        fit_margins(self.canvases[plot].figure, plot)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A chart about to be painted for the first time since new statistics: draw it. The
        mouse wheel over a chart scrolls the page (a canvas would keep the wheel to itself)."""
        if event.type() == QEvent.Type.Wheel and watched in self._plot_of:
            QCoreApplication.sendEvent(self.scroll_area.verticalScrollBar(), event)
            return True
        if event.type() == QEvent.Type.Paint:
            plot = self._plot_of.get(watched)
            if plot is not None and plot in self.stale:
                self._render(plot)
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        """A new light or dark palette: draw the charts again in its colours."""
        super().changeEvent(event)
        palette = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if event.type() in palette and not self._redraw_queued:
            self._redraw_queued = True  # one redraw for the several events of one change
            QTimer.singleShot(0, self._redraw)

    def _redraw(self) -> None:
        self._redraw_queued = False
        self._draw()

    # ------------------------------------------------------------------ export
    def export_png(self, plot: str, path: Path) -> Path:
        """Save chart ``plot`` (one of PLOTS) as a PNG at ``path``, in the colours on screen."""
        if plot not in self.canvases:
            raise KeyError(f"no chart {plot!r}; charts: {', '.join(self.canvases)}")
        self._render(plot)
        figure = self.canvases[plot].figure
        path = Path(path)
        figure.savefig(path, format="png", dpi=EXPORT_DPI, facecolor=figure.get_facecolor())
        return path

    def _export_dialog(self, plot: str) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export chart"),
            str(Path.home() / f"studyapp-{plot}.png"),
            self.tr("PNG images (*.png)"),
        )
        if not name:
            return
        path = Path(name if name.lower().endswith(".png") else f"{name}.png")
        try:
            self.export_png(plot, path)
        except OSError as exc:
            QMessageBox.warning(
                self,
                self.tr("Export chart"),
                self.tr("Could not write {0}: {1}").format(path, exc.strerror or exc),
            )
