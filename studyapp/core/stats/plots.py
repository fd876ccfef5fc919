"""The statistics charts, drawn with matplotlib onto Axes the caller owns.

Why here and without Qt: the Statistics page (Qt canvases) and ``studyapp stats --png`` (the Agg
backend, no window) draw the same charts from the same :class:`~studyapp.core.stats.queries.
Statistics`. matplotlib is imported only inside these functions, since importing it costs about a
third of a second and the window must start without it. Colours come from the card theme
(:mod:`studyapp.core.rendering.render`), so the charts match a light or a dark window. Every text on
a chart comes from :class:`PlotText`: the page passes translated strings, the command line English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from studyapp.core.rendering.render import LIGHT, Theme
from studyapp.core.stats.queries import (
    CALENDAR_DAYS,
    INTERVAL_BUCKETS,
    RETENTION_BUCKETS,
    Statistics,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "FULL_WIDTH",
    "PLOTS",
    "PlotText",
    "draw_plot",
    "fit_margins",
    "grade_colours",
    "render_overview",
    "reset_axes",
    "style_figure",
]

#: Every chart, in the order the page and the overview show them.
PLOTS: Final = (
    "reviews",
    "calendar",
    "forecast",
    "time",
    "retention_interval",
    "retention_time",
    "ease",
    "intervals",
    "drills",
)
#: Charts that take a whole row (a day axis reads better wide).
FULL_WIDTH: Final = frozenset({"reviews", "calendar"})

#: Room around a chart's axes, in points (left, right, top, bottom), for its tick labels, axis
#: labels and title. Fixed margins cost nothing to apply; matplotlib's automatic layouts measure
#: every text first and took half the page's drawing time.
_MARGINS: Final = {"calendar": (28, 6, 22, 16), "drills": (112, 10, 22, 30)}
_MARGIN: Final = (46, 10, 22, 32)

_GRADES_LIGHT: Final = ("#b71c1c", "#e65100", "#f9a825", "#9ccc65", "#43a047", "#1b5e20")
_GRADES_DARK: Final = ("#ff6b6b", "#ffa94d", "#ffd43b", "#c0eb75", "#69db7c", "#2f9e44")
#: SM-2's lowest E-Factor: the E-Factor chart's axis starts there.
EF_MIN: Final = 1.3
_HEAT_LIGHT: Final = ("#c6e48b", "#216e39")
_HEAT_DARK: Final = ("#0e4429", "#39d353")


@dataclass(frozen=True, slots=True)
class PlotText:
    """Every string drawn on a chart; ``{0}``/``{1}`` are filled in by the charts."""

    reviews_title: str = "Reviews per day"
    calendar_title: str = "Study days (current streak {0} d, longest {1} d)"
    forecast_title: str = "Due in the next 30 days"
    time_title: str = "Time spent per day"
    retention_interval_title: str = "Retention by interval"
    retention_time_title: str = "Retention over time (per week)"
    ease_title: str = "E-Factors"
    intervals_title: str = "Intervals"
    drills_title: str = "Drills per track"
    answers: str = "answers"
    items: str = "items"
    minutes: str = "minutes"
    passed_share: str = "graded ≥ 3, %"
    interval_days: str = "interval before the review (days)"
    current_interval: str = "current interval (days)"
    ease: str = "E-Factor"
    grade: str = "grade {0}"
    redrill: str = "re-drill"
    pass_rate: str = "pass rate"
    first_try_rate: str = "first-try pass rate"
    track_runs: str = "{0} ({1} runs)"
    no_reviews: str = "No reviews yet"
    no_retention: str = (
        "No retention tests yet: an item's first answers only teach it;\n"
        "retention counts the answers when it comes back after a day or more"
    )
    no_drills: str = "No drill runs yet"
    today: str = "today"
    overview_title: str = "StudyApp statistics: the last {0} days"
    months: tuple[str, ...] = (
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    )
    #: Month names after a day number ("12 May"; in Russian the genitive, «12 мая»).
    day_months: tuple[str, ...] = months
    weekdays: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

    def day(self, ordinal: int) -> str:
        """A study day as "12 May" (its day of the month and the month's short name)."""
        when = date.fromordinal(ordinal)
        return f"{when.day} {self.day_months[when.month - 1]}"


def grade_colours(theme: Theme) -> tuple[str, ...]:
    """Grade 0..5 from red to green, brighter on a dark background."""
    return _GRADES_DARK if theme.dark else _GRADES_LIGHT


def style_figure(figure: Figure, theme: Theme) -> None:
    """The figure's background in the theme's colour."""
    figure.set_facecolor(theme.background)


def fit_margins(figure: Figure, plot: str) -> None:
    """Place the axes of chart ``plot`` inside fixed margins (call again after a resize)."""
    left, right, top, bottom = _MARGINS.get(plot, _MARGIN)
    width, height = figure.get_size_inches() * 72
    if width <= left + right or height <= top + bottom:
        return
    figure.subplots_adjust(
        left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height
    )


def reset_axes(ax: Axes) -> None:
    """Empty ``ax`` for another chart, keeping its tick objects.

    Why not ``ax.clear()``: it throws the ticks away, and making them again was about a third of
    the time a chart takes to draw; the page redraws its charts on every visit.
    """
    from matplotlib.ticker import AutoLocator, ScalarFormatter

    children = (ax.patches, ax.lines, ax.collections, ax.images, ax.texts)
    for artist in [a for group in children for a in group]:
        artist.remove()
    ax.containers.clear()
    if ax.legend_ is not None:
        ax.legend_.remove()
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(AutoLocator())
        axis.set_major_formatter(ScalarFormatter())
        axis.set_label_text("")
    ax.set_title("", loc="left")
    for spine in ax.spines.values():
        spine.set_visible(True)
    ax.set_aspect("auto")
    ax.relim()
    ax.set_autoscale_on(True)


def _style_axes(ax: Axes, theme: Theme, title: str) -> None:
    """Colours, sizes and fixed places for the title and the axis labels.

    Why fixed places: matplotlib otherwise measures every tick label on each draw to keep the
    title and the axis labels clear of them, which was close to half of a chart's drawing
    time; the margins (:func:`fit_margins`) leave the same room for them.
    """
    from matplotlib.transforms import ScaledTranslation

    ax.set_facecolor(theme.background)
    ax.set_title(title, color=theme.text, fontsize=11, loc="left", y=1.0, pad=6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(theme.muted)
    if getattr(ax, "_studyapp_theme", None) != theme:  # restyling every tick costs
        ax.tick_params(colors=theme.muted, labelcolor=theme.text, labelsize=8)
        ax._studyapp_theme = theme  # type: ignore[attr-defined]
    figure = ax.get_figure(root=True)
    assert figure is not None  # the axes were made by a figure, never detached
    points = figure.dpi_scale_trans
    below = ax.transAxes + ScaledTranslation(0, -19 / 72, points)
    ax.xaxis.set_label_coords(0.5, 0.0, transform=below)
    # The y label's top 3 points inside the left margin (on the page, the figure's left edge).
    ax.yaxis.set_label_coords(
        0.0, 0.5, transform=ax.transAxes + ScaledTranslation((3 - _MARGIN[0]) / 72, 0, points)
    )
    for label in (ax.xaxis.label, ax.yaxis.label):
        label.set_color(theme.muted)
        label.set_fontsize(8)
    ax.yaxis.label.set_verticalalignment("top")  # turned: its top towards the left


def _empty(ax: Axes, theme: Theme, message: str) -> None:
    """An empty chart that says why, instead of an empty frame."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.text(
        0.5,
        0.5,
        message,
        transform=ax.transAxes,
        ha="center",
        va="center",
        color=theme.muted,
        fontsize=12,
    )


def _legend(ax: Axes, theme: Theme, columns: int) -> None:
    legend = ax.legend(
        loc="upper left",
        ncols=columns,
        fontsize=7,
        frameon=False,
        handlelength=1.0,
        columnspacing=1.0,
        labelcolor=theme.text,
    )
    legend.set_in_layout(True)


def _bars(
    ax: Axes, xs: Any, heights: Any, width: float, *, horizontal: bool = False, **style: Any
) -> None:
    """Bars as one collection, with the value axis from 0 to a little above the highest.

    Why not ``ax.bar``: it makes a Rectangle, a container and a data-limit update per bar,
    which was most of the forecast and E-Factor charts' time; one collection draws the same.
    """
    import numpy as np
    from matplotlib.collections import PolyCollection

    xs, heights = np.asarray(xs, dtype=float), np.asarray(heights, dtype=float)
    low, high = xs - width / 2, xs + width / 2
    zero = np.zeros_like(xs)
    corners = np.stack([[low, zero], [high, zero], [high, heights], [low, heights]])
    boxes = corners.transpose(2, 0, 1)  # (bar, corner, x/y)
    if horizontal:
        boxes = boxes[..., ::-1]
    label = style.pop("label", None)
    # matplotlib's stub wants a Sequence; an (N, 4, 2) array is its documented fast path.
    bars = PolyCollection(boxes, linewidths=0, label=label, **style)  # type: ignore[arg-type]
    ax.add_collection(bars, autolim=False)
    top = float(heights.max(initial=0.0)) or 1.0
    (ax.set_xlim if horizontal else ax.set_ylim)(0, top * 1.08)


def _count_axis(ax: Axes) -> None:
    """Whole numbers only on the y axis: a count of reviews or items has no 0.5."""
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))


def _day_axis(ax: Axes, stats: Statistics, text: PlotText, first: int, last: int) -> None:
    """An x axis of days counted from today (``first`` to ``last``), labelled "today" and
    with dates ("12 May"), not "-25": a week apart over a month, two weeks over a quarter,
    two months over a year."""
    days = last - first + 1
    step = 7 if days <= 31 else 14 if days <= 92 else 61
    ticks = list(range(0, last + 1, step)) if last > 0 else list(range(0, first - 1, -step))[::-1]
    ax.set_xticks(ticks, [text.today if t == 0 else text.day(stats.today + t) for t in ticks])


def _stairs(ax: Axes, values: Any, edges: Any, baseline: Any = 0, **style: Any) -> None:
    """A filled step chart, like ``ax.stairs`` without its data-limit update: the callers set
    their limits, and measuring a long step path was half of the reviews chart's time."""
    from matplotlib.patches import StepPatch

    # No outline: it would draw a line along the baseline through days without answers.
    ax.add_artist(StepPatch(values, edges, baseline=baseline, fill=True, linewidth=0, **style))


def draw_plot(ax: Axes, plot: str, stats: Statistics, theme: Theme, text: PlotText) -> None:
    """Draw chart ``plot`` (one of PLOTS) onto ``ax``."""
    _DRAW[plot](ax, stats, theme, text)


def _draw_reviews(ax: Axes, stats: Statistics, theme: Theme, text: PlotText) -> None:
    import numpy as np

    _style_axes(ax, theme, text.reviews_title)
    span = stats.span
    ax.set_xlim(-span + 0.5, 0.5)
    if not stats.reviews_in_range and not any(stats.redrills):
        _empty(ax, theme, text.no_reviews)
        return
    edges = np.arange(-span + 0.5, 1.0, 1.0)
    base = np.zeros(span)
    for grade, colour in enumerate(grade_colours(theme)):
        values = np.asarray(stats.reviews[grade], dtype=float)
        if values.any():
            _stairs(ax, base + values, edges, base.copy(), color=colour,
                    label=text.grade.format(grade))  # fmt: skip
        base += values
    redrills = np.asarray(stats.redrills, dtype=float)
    if redrills.any():
        _stairs(ax, base + redrills, edges, base.copy(), color=theme.muted, label=text.redrill)
        base += redrills
    ax.set_ylim(0, base.max() * 1.25)
    _day_axis(ax, stats, text, -span + 1, 0)
    _count_axis(ax)
    ax.set_ylabel(text.answers)
    _legend(ax, theme, columns=7)


def _draw_forecast(ax: Axes, stats: Statistics, theme: Theme, text: PlotText) -> None:
    _style_axes(ax, theme, text.forecast_title)
    days = len(stats.forecast)
    ax.set_xlim(-0.5, days - 0.5)
    if not any(stats.forecast):
        _empty(ax, theme, text.no_reviews)
        return
    _bars(ax, range(days), stats.forecast, 0.8, color=theme.link)
    _day_axis(ax, stats, text, 0, days - 1)
    _count_axis(ax)
    ax.set_ylabel(text.items)


def _draw_time(ax: Axes, stats: Statistics, theme: Theme, text: PlotText) -> None:
    import numpy as np

    _style_axes(ax, theme, text.time_title)
    span = stats.span
    ax.set_xlim(-span + 0.5, 0.5)
    if not any(stats.seconds):
        _empty(ax, theme, text.no_reviews)
        return
    minutes = np.asarray(stats.seconds) / 60.0
    _stairs(ax, minutes, np.arange(-span + 0.5, 1.0, 1.0), color=theme.link)
    ax.set_ylim(0, minutes.max() * 1.1)
    _day_axis(ax, stats, text, -span + 1, 0)
    ax.set_ylabel(text.minutes)


def _percent_axis(ax: Axes) -> None:
    ax.set_ylim(0, 105)
    ax.set_yticks([0, 25, 50, 75, 100])


def _draw_retention_interval(ax: Axes, stats: Statistics, theme: Theme, text: PlotText) -> None:
    _style_axes(ax, theme, text.retention_interval_title)
    labels = [b.label for b in RETENTION_BUCKETS]
    ax.set_xticks(range(len(labels)), labels)
    if not any(n for n, _ in stats.retention_by_interval):
        _empty(ax, theme, text.no_retention if stats.total_answers else text.no_reviews)
        return
    shown = [(x, 100.0 * passed / n, n) for x, (n, passed) in
             enumerate(stats.retention_by_interval) if n]  # fmt: skip
    _bars(ax, [x for x, _, _ in shown], [share for _, share, _ in shown], 0.7,
          color=grade_colours(theme)[4])  # fmt: skip
    ax.set_xlim(-0.5, len(labels) - 0.5)
    for x, share, n in shown:
        ax.text(x, share + 2, f"{share:.0f}% · {n}", ha="center", va="bottom", fontsize=7,
                color=theme.text)  # fmt: skip
    _percent_axis(ax)
    ax.set_ylim(0, 118)
    ax.set_xlabel(text.interval_days)
    ax.set_ylabel(text.passed_share)


def _draw_retention_time(ax: Axes, stats: Statistics, theme: Theme, text: PlotText) -> None:
    _style_axes(ax, theme, text.retention_time_title)
    ax.set_xlim(-stats.span + 0.5, 0.5)
    weeks = [(first - stats.today, n, passed) for first, n, passed in stats.retention_by_week]
    if not weeks:
        _empty(ax, theme, text.no_retention if stats.total_answers else text.no_reviews)
        return
    # Each point sits in the middle of its week.
    xs = [offset + 3 for offset, _, _ in weeks]
    ys = [100.0 * passed / n for _, n, passed in weeks]
    ax.plot(xs, ys, marker="o", markersize=4, color=grade_colours(theme)[4], linewidth=1.5)
    _percent_axis(ax)
    _day_axis(ax, stats, text, -stats.span + 1, 0)
    ax.set_ylabel(text.passed_share)


def _draw_ease(ax: Axes, stats: Statistics, theme: Theme, text: PlotText) -> None:
    _style_axes(ax, theme, text.ease_title)
    if not stats.ef_histogram:
        _empty(ax, theme, text.no_reviews)
        return
    xs = [low / 100 + 0.05 for low, _ in stats.ef_histogram]
    _bars(ax, xs, [n for _, n in stats.ef_histogram], 0.085, color=theme.link)
    # The whole E-Factor range SM-2 uses (1.3 and up), so one bin is one narrow bar, not the
    # whole width.
    ax.set_xlim(EF_MIN - 0.05, max(2.65, max(xs) + 0.1))
    _count_axis(ax)
    ax.set_xlabel(text.ease)
    ax.set_ylabel(text.items)


def _draw_intervals(ax: Axes, stats: Statistics, theme: Theme, text: PlotText) -> None:
    _style_axes(ax, theme, text.intervals_title)
    labels = [b.label for b in INTERVAL_BUCKETS]
    ax.set_xticks(range(len(labels)), labels)
    if not any(stats.interval_histogram):
        _empty(ax, theme, text.no_reviews)
        return
    _bars(ax, range(len(labels)), stats.interval_histogram, 0.7, color=theme.link)
    ax.set_xlim(-0.5, len(labels) - 0.5)
    _count_axis(ax)
    ax.set_xlabel(text.current_interval)
    ax.set_ylabel(text.items)


def _draw_calendar(ax: Axes, stats: Statistics, theme: Theme, text: PlotText) -> None:
    import numpy as np
    from matplotlib.colors import LinearSegmentedColormap

    streak = stats.streak
    _style_axes(ax, theme, text.calendar_title.format(streak.current, streak.longest))
    for spine in ax.spines.values():
        spine.set_visible(False)
    if not stats.total_answers:
        _empty(ax, theme, text.no_reviews)
        return
    # Columns are weeks (Monday first), rows weekdays; study-day ordinal 1 was a Monday.
    first = stats.today - CALENDAR_DAYS + 1
    monday = first - (first - 1) % 7
    weeks = (stats.today - monday) // 7 + 1
    grid = np.full((7, weeks), np.nan)
    days = np.arange(first, stats.today + 1)
    grid[(days - 1) % 7, (days - monday) // 7] = 0.0
    if stats.calendar:
        studied = np.asarray(stats.calendar)
        grid[(studied[:, 0] - 1) % 7, (studied[:, 0] - monday) // 7] = studied[:, 1]
        top = max(1.0, float(np.percentile(studied[:, 1], 95)))
    else:
        top = 1.0
    low, high = _HEAT_DARK if theme.dark else _HEAT_LIGHT
    cmap = LinearSegmentedColormap.from_list("studied", [low, high]).with_extremes(
        under=theme.code_background, bad=theme.background, over=high
    )
    ax.imshow(grid, cmap=cmap, vmin=0.5, vmax=top, aspect="equal", interpolation="nearest")
    ax.set_yticks([0, 2, 4], [text.weekdays[0], text.weekdays[2], text.weekdays[4]])
    month_starts = [
        (week, date.fromordinal(monday + 7 * week).month)
        for week in range(weeks)
        if date.fromordinal(monday + 7 * week).day <= 7
    ]
    ax.set_xticks([w for w, _ in month_starts], [text.months[m - 1] for _, m in month_starts])
    ax.tick_params(length=0)


def _draw_drills(ax: Axes, stats: Statistics, theme: Theme, text: PlotText) -> None:
    _style_axes(ax, theme, text.drills_title)
    if not stats.drills:
        _empty(ax, theme, text.no_drills)
        return
    rows = list(reversed(stats.drills))  # first track on top
    ys = range(len(rows))
    height = 0.38
    colours = grade_colours(theme)
    _bars(ax, [y + height / 2 for y in ys], [100 * t.pass_rate for t in rows], height,
          horizontal=True, color=colours[4], label=text.pass_rate)  # fmt: skip
    _bars(ax, [y - height / 2 for y in ys], [100 * t.first_try_rate for t in rows], height,
          horizontal=True, color=colours[5], label=text.first_try_rate)  # fmt: skip
    ax.set_yticks(list(ys), [text.track_runs.format(t.track, t.runs) for t in rows])
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(rows) - 0.4 + 0.8)
    ax.set_xlabel("%")
    _legend(ax, theme, columns=2)


_DRAW: Final[dict[str, Any]] = {
    "reviews": _draw_reviews,
    "calendar": _draw_calendar,
    "forecast": _draw_forecast,
    "time": _draw_time,
    "retention_interval": _draw_retention_interval,
    "retention_time": _draw_retention_time,
    "ease": _draw_ease,
    "intervals": _draw_intervals,
    "drills": _draw_drills,
}


def render_overview(
    stats: Statistics,
    path: Path,
    *,
    theme: Theme = LIGHT,
    text: PlotText | None = None,
    dpi: int = 100,
) -> Path:
    """Every chart in one PNG (the Agg backend: no window, no Qt)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    text = text or PlotText()
    figure = Figure(figsize=(14, 19), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    style_figure(figure, theme)
    figure.suptitle(text.overview_title.format(stats.span), color=theme.text, fontsize=15)
    halves = [p for p in PLOTS if p not in FULL_WIDTH]
    rows = len(FULL_WIDTH) + (len(halves) + 1) // 2
    grid = figure.add_gridspec(rows, 2, height_ratios=[1.2] * len(FULL_WIDTH) + [1.0] * (rows - 2))
    row = 0
    for plot in PLOTS:
        if plot in FULL_WIDTH:
            draw_plot(figure.add_subplot(grid[row, :]), plot, stats, theme, text)
            row += 1
    for n, plot in enumerate(halves):
        ax = figure.add_subplot(grid[row + n // 2, n % 2])
        draw_plot(ax, plot, stats, theme, text)
    path = Path(path)
    figure.savefig(path, format="png", facecolor=theme.background)
    return path
