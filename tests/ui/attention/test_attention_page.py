"""The Attention page: stepping, sizes, invalid input, the split/merge mapping, mistake mode,
PNG export, and tracing a learner's MHA drill through the real drill worker."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from studyapp.core.drills.catalog import bundled_exercises_dir
from studyapp.ui.app import install_translations
from studyapp.ui.attention.tensor_views import Heatmap
from studyapp.ui.attention.view import AttentionView
from studyapp.ui.main_window import MainWindow

MHA_KEY = "attention/multi-head-self-attention-numpy"
MHA_DIR = bundled_exercises_dir() / MHA_KEY


@pytest.fixture
def view(qtbot: QtBot) -> AttentionView:
    page = AttentionView()
    qtbot.addWidget(page)
    page.resize(1100, 750)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_defaults_are_the_notes_example(view: AttentionView) -> None:
    assert view.token_list() == ["Я", "Хочу", "Пиццу", "<eos>"]
    assert view.current_step().key == "x"
    assert view.badge.text() == "batch 1 × seq 4 × d_model 6"
    model = view.table.model()
    assert model.headerData(1, Qt.Orientation.Vertical) == "Хочу"


def test_arrow_keys_buttons_and_timeline_step_through(qtbot: QtBot, view: AttentionView) -> None:
    view.step_list.setFocus()
    qtbot.keyClick(view.step_list, Qt.Key.Key_Right)
    assert view.current_step().key == "q"
    qtbot.keyClick(view.step_list, Qt.Key.Key_Right)
    qtbot.keyClick(view.step_list, Qt.Key.Key_Left)
    assert view.current_step().key == "q"
    assert view.timeline.value() == 1
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert view.current_step().key == "k"
    view.timeline.setValue(len(view.steps) - 1)
    step = view.current_step()
    assert step.key == "output" and not view.next_button.isEnabled()
    assert "y = o @ w_o" in view.code.text()
    assert "This is the layer's output." in view.explanation.text()


def test_changing_sizes_rebuilds_every_step(view: AttentionView) -> None:
    view.d_model.setValue(8)
    view.heads_box.setValue(2)
    view.batch.setValue(2)
    view.show_step("q_heads")
    assert view.current_step().shape == (2, 2, 4, 4)
    assert view.badge.text() == "batch 2 × head 2 × seq 4 × head_dim 4"
    assert view.table.model().rowCount() == 2 * 2 * 4
    view.seq_len.setValue(6)
    assert view.token_list()[-2:] == ["t4", "t5"]
    view.show_step("scores")
    assert view.current_step().shape == (2, 2, 6, 6)


def test_an_invalid_combination_shows_a_message_and_keeps_the_page(view: AttentionView) -> None:
    view.show_step("scaled")
    view.heads_box.setValue(4)  # 6 is not divisible by 4
    assert view.message.isVisible()
    assert "not divisible by heads = 4" in view.message.text()
    assert view.current_step().key == "scaled"  # the last valid steps stay on screen
    view.heads_box.setValue(2)
    assert not view.message.isVisible()
    assert view.current_step().shape == (1, 2, 4, 4)
    view.padding.setValue(4)  # every key of the sequence would be padding
    assert "padding must be between" in view.message.text()


def test_selecting_a_cell_highlights_where_it_comes_from(view: AttentionView) -> None:
    view.d_model.setValue(8)
    view.heads_box.setValue(2)  # head_dim 4
    view.show_step("q_heads")
    view.tabs.setCurrentWidget(view.mapping_page)
    # Q[b0, "Хочу", d=6] -> head 1, dim 2 of Q_heads (row = head 1 * 4 tokens + token 1).
    view.select_mapping_cell(True, 1, 6)
    assert view.heads_table.model().highlight == (1 * 4 + 1, 2)
    assert view.merged_table.model().highlight == (1, 6)
    text = view.mapping_text.text()
    assert "head 1" in text and "Same number" in text
    assert "W_Q[:, 4:8]" in text  # a head's projection is a column block of the fused W
    # And back: Q_heads[b0, head 0, "Пиццу", j=3] -> Q[b0, "Пиццу", d=3].
    view.select_mapping_cell(False, 0 * 4 + 2, 3)
    assert view.merged_table.model().highlight == (2, 3)
    # The merge pair follows the step.
    view.show_step("merged")
    assert view.mapping_pair.currentData() == ("merged", "context")
    view.select_mapping_cell(True, 3, 5)
    assert view.heads_table.model().highlight == (1 * 4 + 3, 1)


def test_mistake_mode_shows_what_each_bug_does(view: AttentionView) -> None:
    view.mistake_mode.setChecked(True)
    view.mistake.setCurrentIndex(view.mistake.findData("scale_by_d_model"))
    labels = [view.step_list.item(i).text() for i in range(view.step_list.count())]
    keys = [s.key for s in view.steps]
    assert not labels[keys.index("scores")].startswith("≠")
    assert labels[keys.index("scaled")].startswith("≠")
    assert labels[keys.index("output")].startswith("≠")
    view.show_step("scaled")
    assert "sqrt(D)" in view.code.text()
    assert view.mistake_note.isVisible() and "Differs from the correct step" in (
        view.mistake_note.text()
    )
    assert view.table.model().differs.any()
    # Mask after softmax needs a mask to show; the note says so, and with one it shows.
    view.mistake.setCurrentIndex(view.mistake.findData("mask_after_softmax"))
    view.show_step("weights")
    assert "Turn on the causal mask" in view.mistake_note.text()
    view.causal.setChecked(True)
    view.show_step("weights")
    weights = view.current_step().array
    assert not np.allclose(weights.sum(axis=-1), 1.0)
    view.mistake.setCurrentIndex(view.mistake.findData("merge_without_transpose"))
    view.show_step("merged")
    assert "≠" in view.step_list.currentItem().text()
    view.mistake_mode.setChecked(False)
    assert not any(
        view.step_list.item(i).text().startswith("≠") for i in range(view.step_list.count())
    )


def painted(qtbot: QtBot, view: AttentionView) -> Heatmap:
    """The heatmap tab's widget once it has been laid out and painted with the current step."""
    heatmap = view._heatmap
    assert heatmap is not None
    qtbot.waitUntil(lambda: heatmap.isVisible() and heatmap.drawn_labels != [])
    heatmap.repaint()
    return heatmap


def heatmap_pixels(view: AttentionView, panel: int, row: int, column: int) -> set[str]:
    """The colours painted inside one heatmap cell, as the screen shows them."""
    heatmap = view._heatmap
    assert heatmap is not None
    image = heatmap.grab().toImage()
    rect = heatmap.cell_rect(panel, row, column).toRect()
    return {
        QColor(image.pixel(x, y)).name()
        for x in range(rect.left(), rect.right() + 1)
        for y in range(rect.top(), rect.bottom() + 1)
    }


def test_heatmap_labels_colour_bars_values_and_png_export(
    qtbot: QtBot, view: AttentionView, tmp_path: Path
) -> None:
    view.show_step("weights")
    view.tabs.setCurrentWidget(view.heatmap_page)
    heatmap = painted(qtbot, view)
    labels = heatmap.drawn_labels
    # Query labels on the rows, key labels over every head's columns, a title per head.
    assert {"head 0", "head 1", "head 2"} <= set(labels)
    assert labels.count("Пиццу") == 1 + 3  # one row label, one key label per head
    assert heatmap.corner == "query ↓  key →"
    # A colour bar per head with its lowest and highest weight at the ends.
    low, high = heatmap.ranges[0]
    assert 0.0 <= low < high <= 1.0 and f"{high:.2f}" in labels
    # 3 heads × 4 × 4 weights: each cell is wide enough to carry its value.
    assert heatmap.values_drawn == 48
    assert heatmap.masked is None and heatmap.differs is None  # no mask, no mistake
    path = view.export_png(tmp_path / "weights.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000
    # 16 tokens and 8 heads: cells too small for numbers, so none is written; every head
    # keeps its title and some key labels.
    view.seq_len.setValue(16)
    view.d_model.setValue(64)
    view.heads_box.setValue(8)
    view.show_step("weights")
    painted(qtbot, view)
    assert heatmap.values_drawn == 0
    assert {f"head {h}" for h in range(8)} <= set(heatmap.drawn_labels)
    assert "Я" in heatmap.drawn_labels


def test_masked_cells_are_hatched_and_named(qtbot: QtBot, view: AttentionView) -> None:
    view.causal.setChecked(True)
    view.show_step("weights")
    view.tabs.setCurrentWidget(view.heatmap_page)
    heatmap = painted(qtbot, view)
    assert heatmap.masked is not None
    assert heatmap.masked[0][0, 1] and not heatmap.masked[0][1, 0]  # query 0 cannot see key 1
    assert "masked (left out of the softmax)" in heatmap.drawn_labels
    hatched = heatmap_pixels(view, 0, 0, 1)
    assert {"#969696", "#202020"} <= hatched  # grey cell, dark hatch lines
    assert "#969696" not in heatmap_pixels(view, 0, 1, 0)
    # Before the mask is applied, the scores are not hatched.
    view.show_step("scaled")
    painted(qtbot, view)
    assert heatmap.masked is None
    assert "masked (left out of the softmax)" not in heatmap.drawn_labels


def test_mistake_mode_outlines_the_differing_cells_on_the_heatmap(
    qtbot: QtBot, view: AttentionView
) -> None:
    view.mistake_mode.setChecked(True)
    view.mistake.setCurrentIndex(view.mistake.findData("scale_by_d_model"))
    view.tabs.setCurrentWidget(view.heatmap_page)
    view.show_step("scores")  # before the bug: nothing differs, nothing red
    heatmap = painted(qtbot, view)
    assert heatmap.differs is None and "#e53935" not in heatmap_pixels(view, 0, 0, 0)
    view.show_step("scaled")
    painted(qtbot, view)
    assert heatmap.differs is not None and heatmap.differs[0].all()
    assert "red cells" in view.mistake_note.text()
    assert "#e53935" in heatmap_pixels(view, 1, 2, 3)
    assert "differs from the correct step" in heatmap.drawn_labels


def test_the_mistake_note_never_moves_the_tabs(qtbot: QtBot, view: AttentionView) -> None:
    """Turning mistake mode on, choosing another mistake or stepping leaves the tabs where the
    pointer is, even in a narrow window where the notes wrap differently."""
    view.resize(1024, 700)
    qtbot.wait(10)

    def tabs_top() -> int:
        QApplication.processEvents()
        return view.tabs.mapTo(view, view.tabs.rect().topLeft()).y()

    tops = {tabs_top()}
    view.mistake_mode.setChecked(True)
    for index in range(view.mistake.count()):
        view.mistake.setCurrentIndex(index)
        for row in range(len(view.steps)):
            view.step_list.setCurrentRow(row)
            assert view.mistake_note.isVisible()
            tops.add(tabs_top())
    view.mistake_mode.setChecked(False)
    assert not view.mistake_note.isVisible()
    tops.add(tabs_top())
    assert len(tops) == 1, tops


def test_the_heatmap_reads_in_russian(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translators = install_translations(app, QLocale("ru_RU"))
    try:
        page = AttentionView(language="ru")
        qtbot.addWidget(page)
        page.resize(1100, 750)
        page.show()
        page.causal.setChecked(True)
        page.show_step("weights")
        page.tabs.setCurrentWidget(page.heatmap_page)
        heatmap = painted(qtbot, page)
        assert {"голова 0", "замаскировано (не входит в softmax)"} <= set(heatmap.drawn_labels)
        assert not {"head 0", "masked (left out of the softmax)"} & set(heatmap.drawn_labels)
    finally:
        for translator in translators:
            app.removeTranslator(translator)


# ---------------------------------------------------------------------- trace from the drill
@pytest.fixture
def window_exercises() -> Path:
    return bundled_exercises_dir()


def visualize(qtbot: QtBot, win: MainWindow, code: str) -> AttentionView:
    win.nav.setCurrentRow(2)
    qtbot.waitUntil(lambda: win.drills_view.catalogue.topLevelItemCount() > 0, timeout=5000)
    win.drills_view.select(MHA_KEY)
    qtbot.waitUntil(lambda: win.drills_view.key == MHA_KEY and win.worker.idle, timeout=5000)
    assert win.drills_view.visualize_button.isVisible()
    win.drills_view.set_code(code)
    qtbot.mouseClick(win.drills_view.visualize_button, Qt.MouseButton.LeftButton)
    view = win.attention_view
    assert win.pages.currentWidget() is win.attention_page
    qtbot.waitUntil(lambda: view.clear_trace_button.isVisible(), timeout=30000)
    return view


def test_after_ctrl_4_the_arrow_keys_step_at_once(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.attention_view is not None)
    view = window.attention_view
    qtbot.waitUntil(lambda: view.isAncestorOf(QApplication.focusWidget()))
    assert view.current_step().key == "x"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    assert view.current_step().key == "k"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left)
    assert view.current_step().key == "q"
    # Away and back: the page takes the keyboard again.
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.isAncestorOf(QApplication.focusWidget()))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    assert view.current_step().key == "k"


def test_a_correct_solution_is_green_everywhere(qtbot: QtBot, window: MainWindow) -> None:
    view = visualize(qtbot, window, (MHA_DIR / "solution.py").read_text())
    assert "matches every step" in view.trace_banner.text()
    labels = [view.step_list.item(i).text() for i in range(view.step_list.count())]
    assert all(label.startswith("✓") for label in labels)
    view.show_step("weights")
    assert view.your_line.isVisible() and "line " in view.your_line.text()


def test_buggy_solutions_get_their_diagnosis(qtbot: QtBot, window: MainWindow) -> None:
    view = visualize(qtbot, window, (MHA_DIR / "mutants" / "scale_by_d_model.py").read_text())
    assert "you scaled by √d_model" in view.trace_banner.text()
    assert view.current_step().key == "scaled"
    assert view.step_list.currentItem().text().startswith("✗")
    assert "your code goes wrong here" in view.your_line.text()
    # The table shows the learner's scores, red where they differ from the right ones.
    model = view.table.model()
    assert model.differs is not None and model.differs.all()
    assert np.allclose(model.step.array * np.sqrt(6), view.current_step().array * np.sqrt(2))
    view = visualize(
        qtbot, window, (MHA_DIR / "mutants" / "merge_without_transpose.py").read_text()
    )
    assert "a transpose is missing before the reshape" in view.trace_banner.text()
    assert view.current_step().key == "merge_transpose"
    # Changing the inputs traces the same code again.
    first_x = view.inputs.x.copy()
    view.seed.setValue(5)
    assert "Tracing" in view.trace_banner.text()
    qtbot.waitUntil(lambda: view.clear_trace_button.isVisible(), timeout=30000)
    assert not np.allclose(view.inputs.x, first_x)
    assert "a transpose is missing" in view.trace_banner.text()


def test_code_that_raises_says_why(qtbot: QtBot, window: MainWindow) -> None:
    code = (MHA_DIR / "solution.py").read_text().replace("@ v  #", "@ v.T  #")
    view = visualize(qtbot, window, code)
    assert "could not be traced" in view.trace_banner.text()
    assert "line" in view.trace_banner.text()
