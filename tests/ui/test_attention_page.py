"""The Attention page: stepping, sizes, invalid input, the split/merge mapping, mistake mode,
PNG export, and tracing a learner's MHA drill through the real drill worker."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from studyapp.core.exercise_catalog import bundled_exercises_dir
from studyapp.ui.attention_view import AttentionView
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


def test_heatmap_and_png_export(qtbot: QtBot, view: AttentionView, tmp_path: Path) -> None:
    view.show_step("weights")
    view.tabs.setCurrentWidget(view.heatmap_page)
    assert view._heatmap is not None
    texts = [t.get_text() for t in view._heatmap._texts if t.get_visible()]
    assert {"head 0", "head 1", "head 2", "Пиццу"} <= set(texts)
    path = view.export_png(tmp_path / "weights.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000


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
