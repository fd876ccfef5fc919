"""The Attention page's right side: the current step's title, shape, code, explanation, the trace's
verdict on it and the mistake-mode note, above the tensor tabs and the timeline.

The texts keep the page's translation context (``AttentionView``), so the Russian translation
follows them here unchanged.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.attention.steps import Mistake, Step
from studyapp.core.attention.trace import StepVerdict, TraceResult

translate = QCoreApplication.translate

#: The colour of each trace verdict, in the step list and in the verdict line.
STATUS_COLOURS = {
    "match": "#2e7d32",
    "folded": "#66bb6a",
    "diverged": "#c62828",
    "after": "#9e9e9e",
}


def _verdict_texts() -> dict[str, str]:
    return {
        "match": translate("AttentionView", "your code computes this step"),
        "folded": translate(
            "AttentionView",
            "your code never holds this tensor on its own (folded into a later expression) — fine",
        ),
        "diverged": translate("AttentionView", "your code goes wrong here"),
        "after": translate("AttentionView", "not checked: it follows the first divergence"),
    }


class StepDetail(QWidget):
    """The current step in words and code; ``body`` (the tabs) and ``footer`` (the timeline) are
    the page's, placed below. Export grabs this whole widget."""

    def __init__(self, body: QWidget, footer: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.trace_banner = QLabel()
        self.trace_banner.setWordWrap(True)
        self.trace_banner.setTextFormat(Qt.TextFormat.RichText)
        self.trace_banner.hide()
        self.clear_trace_button = QPushButton(translate("AttentionView", "Clear trace"))
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
        self.export_button = QPushButton(translate("AttentionView", "Export step as PNG…"))
        self._build_mistake_box()
        self._lay_out(body, footer)

    def _build_mistake_box(self) -> None:
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

    def _lay_out(self, body: QWidget, footer: QWidget) -> None:
        layout = QVBoxLayout(self)
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.trace_banner, 1)
        banner_row.addWidget(self.clear_trace_button)
        layout.addLayout(banner_row)
        head_row = QHBoxLayout()
        head_row.addWidget(self.title)
        head_row.addWidget(self.badge)
        head_row.addStretch(1)
        head_row.addWidget(self.export_button)
        layout.addLayout(head_row)
        layout.addWidget(self.code)
        layout.addWidget(self.your_line)
        layout.addWidget(self.explanation)
        layout.addWidget(self.mistake_box)
        layout.addWidget(body, 1)
        layout.addWidget(footer)

    def show_step(self, number: int, step: Step, language: str) -> None:
        """Title, shape badge, explanation and the numpy and torch lines of one step."""
        self.title.setText(f"{number}. {step.title(language)}")
        self.badge.setText(step.badge())
        self.explanation.setText(step.explanation.get(language, step.explanation["en"]))
        self.code.setText(
            "<table cellspacing='2'>"
            f"<tr><td><b>numpy</b>&nbsp;</td><td><code>{html.escape(step.numpy_code)}</code></td></tr>"
            f"<tr><td><b>torch</b>&nbsp;</td><td><code>{html.escape(step.torch_code)}</code></td></tr>"
            "</table>"
        )

    def show_mistake_note(
        self, mistake: Mistake, step: Step, right: Step, *, masked: bool, language: str
    ) -> None:
        """What the mistake does, and how this step differs from the correct one."""
        if np.array_equal(step.array, right.array, equal_nan=True):
            note = translate("AttentionView", "This step is the same as without the mistake.")
        elif step.array.shape != right.array.shape:
            note = translate("AttentionView", "Shape {0} instead of {1}.").format(
                "×".join(map(str, step.shape)), "×".join(map(str, right.shape))
            )
        else:
            with np.errstate(invalid="ignore"):
                finite = np.isfinite(step.array) & np.isfinite(right.array)
                error = float(np.abs(step.array - right.array)[finite].max(initial=0.0))
            note = translate(
                "AttentionView", "Differs from the correct step (red cells): max |Δ| = {0:.3g}."
            ).format(error)
        if mistake.key == "mask_after_softmax" and not masked:
            note += " " + translate(
                "AttentionView", "Turn on the causal mask or padding to see this bug."
            )
        self.mistake_note.setText(
            f"{mistake.title.get(language, mistake.title['en'])}: "
            f"{mistake.why.get(language, mistake.why['en'])} {note}"
        )

    def show_verdict(self, verdict: StepVerdict | None, step: Step) -> None:
        """The trace's verdict on the step and the learner's line; hidden without a trace."""
        if verdict is None:
            self.your_line.hide()
            return
        colour, words = STATUS_COLOURS[verdict.status], _verdict_texts()[verdict.status]
        text = f"<b style='color:{colour}'>{words}</b>"
        if verdict.line:
            text += " — " + translate("AttentionView", "line {0}: <code>{1}</code>").format(
                verdict.line, html.escape(verdict.source)
            )
        if verdict.max_error is not None and verdict.status == "diverged":
            text += " " + translate("AttentionView", "(max |Δ| = {0:.3g})").format(
                verdict.max_error
            )
        if verdict.values is not None and verdict.values.shape == step.array.shape:
            text += "<br>" + translate(
                "AttentionView", "Numbers: your tensor; red cells differ from the correct step."
            )
        self.your_line.setText(text)
        self.your_line.show()

    # ------------------------------------------------------------------ the trace banner
    def show_tracing(self) -> None:
        """The trace is asked for; Clear trace comes back with the answer."""
        self.trace_banner.setText(
            translate("AttentionView", "Tracing your code in the drill runner…")
        )
        self.clear_trace_button.hide()

    def show_trace_failed(self, error: str) -> None:
        """The learner's code raised before it could be compared."""
        self.trace_banner.setText(
            "<b style='color:#c62828'>"
            + translate("AttentionView", "Your code could not be traced:")
            + "</b> "
            + html.escape(error)
        )

    def show_trace_result(self, trace: TraceResult, steps: Sequence[Step], language: str) -> None:
        """All steps match, or the first divergence and its diagnosis."""
        if trace.correct:
            banner = (
                "<b style='color:#2e7d32'>"
                + translate("AttentionView", "Your solution matches every step.")
                + "</b>"
            )
        else:
            step = next(s for s in steps if s.key == trace.first_divergence)
            banner = (
                "<b style='color:#c62828'>"
                + translate("AttentionView", "First divergence: {0}").format(
                    html.escape(step.title(language))
                )
                + "</b> — "
                + html.escape(trace.diagnosis.get(language, trace.diagnosis["en"]))
            )
        self.trace_banner.setText(
            banner + " " + translate("AttentionView", "(traced without a mask, as in the drill)")
        )
