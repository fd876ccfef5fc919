"""The Statistics page in the real window: every chart, the range switch, export, empty state."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QLocale, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from studyapp.core.collection import Collection
from studyapp.core.decks.sync import sync_deck_folders
from studyapp.core.drills.catalog import bundled_exercises_dir, load_catalog
from studyapp.core.drills.runner_protocol import RunReport
from studyapp.core.drills.service import DrillService
from studyapp.core.rendering.render import DARK, LIGHT
from studyapp.core.stats.plots import PLOTS
from studyapp.core.stats.queries import RANGES
from studyapp.ui.app import install_translations
from studyapp.ui.main_window import MainWindow
from tests.conftest import FakeClock

EMPTY_MESSAGES = {"No reviews yet", "No drill runs yet"}


def make_window(qtbot: QtBot, data: Path, decks_dir: Path, clock: FakeClock) -> MainWindow:
    win = MainWindow(
        data, deck_folders=[decks_dir], exercises_dir=bundled_exercises_dir(), clock=clock
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.session is not None and win.worker.idle, timeout=15000)
    return win


def open_stats(qtbot: QtBot, win: MainWindow) -> None:
    view = win.stats_view
    drawn = view.draw_count
    win.activateWindow()
    qtbot.keyClick(win, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.draw_count > drawn and win.worker.idle, timeout=15000)


def scroll_to(qtbot: QtBot, win: MainWindow, plot: str) -> None:
    """Bring a chart into view, as a user scrolling down would; it is drawn when painted."""
    view = win.stats_view
    view.scroll_area.ensureWidgetVisible(view.canvases[plot])
    qtbot.waitUntil(lambda: plot not in view.stale, timeout=5000)


def texts(win: MainWindow, plot: str) -> set[str]:
    return {t.get_text() for t in win.stats_view.canvases[plot].figure.axes[0].texts}


def drawn_artists(win: MainWindow, plot: str) -> int:
    ax = win.stats_view.canvases[plot].figure.axes[0]
    return len(ax.patches) + len(ax.collections) + len(ax.lines) + len(ax.images)


@pytest.fixture
def studied_window(
    qtbot: QtBot, tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> Iterator[MainWindow]:
    """Five cards studied on days 0 and 1, softmax run three times (failed, failed, passed);
    the clock is left on day 2."""
    col = Collection.open(tmp_path / "data", clock=clock)
    assert sync_deck_folders(col, [decks_dir]).problems == []
    drills = DrillService(col, load_catalog()[0])
    drills.sync()
    for key, outcome in (("softmax", "failed"), ("softmax", "failed"), ("softmax", "passed")):
        drills.record_run(f"numpy-ml/{key}", "code", RunReport(run_id="r", outcome=outcome))
    # Only the cards in the queue: drills are graded by their runs, as above.
    for deck in col.decks():
        if deck.key.startswith("drills-"):
            col.set_deck_enabled(deck.key, False)
    for _day in range(2):
        while (card := col.next_card()) is not None:
            col.answer(card, 4 if card.is_redrill else 3, seconds=30.0)
        clock.advance(days=1)
    col.close()
    win = make_window(qtbot, tmp_path / "data", decks_dir, clock)
    yield win
    win.close()


def test_every_chart_is_drawn_from_a_studied_collection(
    qtbot: QtBot, studied_window: MainWindow
) -> None:
    win, view = studied_window, studied_window.stats_view
    open_stats(qtbot, win)
    assert win.pages.currentWidget() is view
    assert win.nav.currentItem().text() == "Statistics"
    assert set(view.canvases) == set(PLOTS)
    assert "reviews" not in view.stale and "drills" in view.stale  # below the fold: not yet
    for plot in PLOTS:
        scroll_to(qtbot, win, plot)
        assert not texts(win, plot) & EMPTY_MESSAGES, plot
        assert drawn_artists(win, plot) > 0, plot
        assert view.canvases[plot].isVisibleTo(view)
    # Studied on days 0 and 1; the clock is on day 2, nothing answered yet: still alive.
    assert "Current streak: 2 d" in view.summary.text()
    assert "Days studied in the last year: 2" in view.summary.text()
    calendar_title = view.canvases["calendar"].figure.axes[0].get_title(loc="left")
    assert calendar_title == "Study days (current streak 2 d, longest 2 d)"
    drills = view.canvases["drills"].figure.axes[0]
    assert [t.get_text() for t in drills.get_yticklabels()] == ["numpy-ml (3 runs)"]


def test_range_switch_changes_the_reviews_span(qtbot: QtBot, studied_window: MainWindow) -> None:
    win, view = studied_window, studied_window.stats_view
    open_stats(qtbot, win)

    def shown_days() -> float:
        low, high = view.canvases["reviews"].figure.axes[0].get_xlim()
        return high - low

    assert view.span == 30 and shown_days() == 30
    assert [b.text() for b in view.range_buttons.buttons()] == ["30 days", "90 days", "1 year"]
    assert [view.range_buttons.id(b) for b in view.range_buttons.buttons()] == list(RANGES)
    for span in (90, 365, 30):
        drawn = view.draw_count
        qtbot.mouseClick(view.range_buttons.button(span), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda d=drawn: view.draw_count > d and win.worker.idle, timeout=15000)
        assert view.stats is not None and view.stats.span == span
        assert shown_days() == span
        assert view.range_buttons.checkedId() == span
    with pytest.raises(ValueError, match="one of"):
        view.set_span(7)


def test_export_writes_a_png_of_the_chart(
    qtbot: QtBot, studied_window: MainWindow, tmp_path: Path
) -> None:
    win, view = studied_window, studied_window.stats_view
    open_stats(qtbot, win)
    path = view.export_png("reviews", tmp_path / "reviews.png")
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    figure_width = view.canvases["reviews"].figure.get_figwidth()
    assert width == round(figure_width * 150) and len(data) > 10_000
    with pytest.raises(KeyError, match="no chart 'pie'; charts: reviews, calendar"):
        view.export_png("pie", tmp_path / "pie.png")


def test_charts_follow_a_dark_palette(qtbot: QtBot, studied_window: MainWindow) -> None:
    win, view = studied_window, studied_window.stats_view
    open_stats(qtbot, win)
    figure = view.canvases["reviews"].figure
    assert QColor.fromRgbF(*figure.get_facecolor()).name() == LIGHT.background
    app = QApplication.instance()
    light = QGuiApplication.palette()
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    drawn = view.draw_count
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: view.draw_count > drawn)
        assert QColor.fromRgbF(*figure.get_facecolor()).name() == DARK.background
    finally:
        app.setPalette(light)


def test_empty_collection_says_no_reviews_yet(
    qtbot: QtBot, tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    win = make_window(qtbot, tmp_path / "data", decks_dir, clock)
    try:
        open_stats(qtbot, win)
        view = win.stats_view
        for plot in PLOTS:
            scroll_to(qtbot, win, plot)
            expected = "No drill runs yet" if plot == "drills" else "No reviews yet"
            assert texts(win, plot) == {expected}, plot
        assert "Current streak: 0 d" in view.summary.text()
        assert view.export_png("calendar", tmp_path / "empty.png").stat().st_size > 1000
    finally:
        win.close()


def bars_total(win: MainWindow) -> int:
    """What the reviews-per-day chart adds up to: the top of its stacked bars, day by day."""
    ax = win.stats_view.canvases["reviews"].figure.axes[0]
    top = ax.patches[-1].get_data()  # the last stack drawn holds every answer below it
    return round(float(sum(top.values)))


def test_the_answer_count_agrees_with_the_bars(qtbot: QtBot, studied_window: MainWindow) -> None:
    win, view = studied_window, studied_window.stats_view
    open_stats(qtbot, win)
    stats = view.stats
    assert stats is not None and stats.redrills_in_range > 0  # graded 3: re-drilled the same day
    total = bars_total(win)
    assert total == stats.reviews_in_range + stats.redrills_in_range
    assert (
        f"Answers in this range: {total} ({stats.reviews_in_range} reviews, "
        f"{stats.redrills_in_range} same-day re-drills)"
    ) in view.summary.text()
    assert "re-drill" in {
        t.get_text() for t in view.canvases["reviews"].figure.axes[0].get_legend().get_texts()
    }


def test_counts_are_whole_numbers_and_days_are_dates(
    qtbot: QtBot, studied_window: MainWindow
) -> None:
    win, view = studied_window, studied_window.stats_view
    open_stats(qtbot, win)
    for plot in ("reviews", "forecast", "ease", "intervals"):
        scroll_to(qtbot, win, plot)
        ticks = view.canvases[plot].figure.axes[0].get_yticks()
        assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks), (plot, ticks)
    stats = view.stats
    assert stats is not None
    today = date.fromordinal(stats.today)
    for plot, last in (("reviews", "today"), ("time", "today"), ("forecast", None)):
        scroll_to(qtbot, win, plot)
        labels = [t.get_text() for t in view.canvases[plot].figure.axes[0].get_xticklabels()]
        assert all(re.fullmatch(r"today|\d{1,2} [A-Z][a-z]{2}", label) for label in labels), labels
        assert (labels[-1] if last else labels[0]) == "today"
        assert not any(label.startswith(("-", "−")) for label in labels)
    week_ago = today.toordinal() - 7
    labels = [t.get_text() for t in view.canvases["reviews"].figure.axes[0].get_xticklabels()]
    assert labels[-2] == f"{date.fromordinal(week_ago).day} {date.fromordinal(week_ago):%b}"


def test_one_e_factor_bin_is_one_narrow_bar(qtbot: QtBot, studied_window: MainWindow) -> None:
    win, view = studied_window, studied_window.stats_view
    open_stats(qtbot, win)
    scroll_to(qtbot, win, "ease")
    assert view.stats is not None and len(view.stats.ef_histogram) <= 2
    ax = view.canvases["ease"].figure.axes[0]
    (bars,) = ax.collections
    assert len(bars.get_paths()) == len(view.stats.ef_histogram)
    for path in bars.get_paths():
        corners = ax.transData.transform(path.vertices)
        assert 0 < np.ptp(corners[:, 0]) < ax.bbox.width / 8
    low, high = ax.get_xlim()
    assert low <= 1.3 and high >= 2.6  # SM-2's whole E-Factor range


def test_the_mouse_wheel_over_a_chart_scrolls_the_page(
    qtbot: QtBot, studied_window: MainWindow
) -> None:
    win, view = studied_window, studied_window.stats_view
    win.resize(1024, 700)
    open_stats(qtbot, win)
    bar = view.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    assert bar.value() == 0
    canvas = view.canvases["forecast"]
    centre = QPointF(canvas.width() / 2, canvas.height() / 2)
    wheel = QWheelEvent(
        centre,
        canvas.mapToGlobal(centre),
        QPoint(0, 0),
        QPoint(0, -120),  # one notch towards the user: down the page
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas, wheel)
    assert bar.value() > 0


def test_chart_texts_are_painted_where_matplotlib_placed_them(
    qtbot: QtBot, studied_window: MainWindow
) -> None:
    win, view = studied_window, studied_window.stats_view
    open_stats(qtbot, win)
    canvas = view.canvases["reviews"]
    shown = {label.text for label in canvas.labels}
    assert {"Reviews per day", "today", "answers", "grade 3", "re-drill"} <= shown
    title = next(label for label in canvas.labels if label.text == "Reviews per day")
    ax = canvas.figure.axes[0]
    # Above the axes, at their left edge (Qt's y grows downwards).
    assert abs(title.x - ax.bbox.x0) < 2 and title.y < canvas.height() - ax.bbox.y1
    image = canvas.grab().toImage()
    dark = [
        (x, y)
        for x in range(int(title.x), int(title.x) + 80)
        for y in range(int(title.y) - 12, int(title.y) + 2)
        if QColor(image.pixel(x, y)).lightness() < 100
    ]
    assert len(dark) > 50  # the title's glyphs are on the screen


def test_coming_back_without_studying_keeps_the_charts(
    qtbot: QtBot, studied_window: MainWindow
) -> None:
    win, view = studied_window, studied_window.stats_view
    open_stats(qtbot, win)
    view.render_all()
    charts = view.charts_drawn
    qtbot.keyClick(win, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    open_stats(qtbot, win)
    view.render_all()
    assert view.charts_drawn == charts and not view.stale  # nothing drawn again
    # New statistics (here: the 90-day range) are drawn.
    drawn = view.draw_count
    view.set_span(90)
    qtbot.waitUntil(lambda: view.draw_count > drawn and win.worker.idle, timeout=15000)
    view.render_all()
    assert view.charts_drawn == charts + len(PLOTS)


def test_first_answers_are_not_retention_tests_and_the_page_says_so(
    qtbot: QtBot, tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    col = Collection.open(tmp_path / "data", clock=clock)
    assert sync_deck_folders(col, [decks_dir]).problems == []
    while (card := col.next_card()) is not None:
        col.answer(card, 4 if card.is_redrill else 3, seconds=10.0)
    col.close()
    win = make_window(qtbot, tmp_path / "data", decks_dir, clock)
    try:
        open_stats(qtbot, win)
        assert win.stats_view.stats is not None and win.stats_view.stats.total_answers > 0
        for plot in ("retention_interval", "retention_time"):
            scroll_to(qtbot, win, plot)
            (message,) = texts(win, plot)
            assert message.startswith("No retention tests yet: an item's first answers")
    finally:
        win.close()


def test_russian_month_names_stand_alone_in_the_nominative(
    qtbot: QtBot, studied_window: MainWindow
) -> None:
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
    try:
        text = studied_window.stats_view.plot_text()
    finally:
        QLocale.setDefault(previous)
    assert text.months[4] == "май" and text.day_months[4] == "мая"
    assert text.day(date(2026, 5, 12).toordinal()) == "12 мая"


@pytest.fixture
def russian() -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
    translators = install_translations(app, QLocale("ru_RU"))
    assert translators, "the Russian .qm file did not load"
    yield
    for translator in translators:
        app.removeTranslator(translator)
    QLocale.setDefault(previous)


def test_the_page_reads_in_russian(qtbot: QtBot, studied_window: MainWindow, russian: None) -> None:
    win, view = studied_window, studied_window.stats_view
    open_stats(qtbot, win)
    assert "Ответов за период:" in view.summary.text()
    assert "повторов в тот же день" in view.summary.text()
    shown = {label.text for label in view.canvases["reviews"].labels}
    assert {"Повторения по дням", "сегодня", "ответы", "повтор в тот же день"} <= shown
    assert not shown & {"today", "answers", "re-drill", "Reviews per day"}
    scroll_to(qtbot, win, "calendar")
    months = {t.get_text() for t in view.canvases["calendar"].figure.axes[0].get_xticklabels()}
    assert "мая" not in months and "май" in months  # a month alone, in the nominative


def test_page_chosen_while_the_collection_opens_is_drawn_once_it_is_open(
    qtbot: QtBot, tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    win = MainWindow(
        tmp_path / "data", deck_folders=[decks_dir], exercises_dir=tmp_path, clock=clock
    )
    qtbot.addWidget(win)
    win.show()
    try:
        win.nav.setCurrentRow(win.pages.indexOf(win.stats_view))
        assert win.session is None  # still opening on the worker
        qtbot.waitUntil(lambda: win.stats_view.draw_count > 0, timeout=15000)
        assert win.stats_view.stats is not None and win.stats_view.stats.total_answers == 0
    finally:
        win.close()
