"""The Attention page's left side: the inputs form, and the step list with Previous/Next.

Plain widgets without the page's logic: :class:`~studyapp.ui.attention.view.AttentionView`
connects their signals and decides what a change means. Their texts keep the page's translation
context (``AttentionView``), so the Russian translation follows them here unchanged.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.attention.steps import DEFAULT_TOKENS, MISTAKES

translate = QCoreApplication.translate


class InputControls(QWidget):
    """Tokens, sizes, mask, weights seed and mistake mode, and the message for a bad combination."""

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.batch = QSpinBox(minimum=1, maximum=4, value=1)
        self.seq_len = QSpinBox(minimum=1, maximum=32, value=len(DEFAULT_TOKENS))
        self.d_model = QSpinBox(minimum=1, maximum=128, value=6)
        self.heads_box = QSpinBox(minimum=1, maximum=16, value=3)
        self.causal = QCheckBox(translate("AttentionView", "Causal mask"))
        self.padding = QSpinBox(minimum=0, maximum=31, value=0)
        self.padding.setToolTip(
            translate(
                "AttentionView",
                "The last N positions of the last sequence are padding keys (masked)",
            )
        )
        self.seed = QSpinBox(minimum=0, maximum=99_999, value=0)
        self.tokens = QLineEdit(" ".join(DEFAULT_TOKENS))
        self.tokens.setToolTip(
            translate(
                "AttentionView", "Tokens separated by spaces; missing ones are named t4, t5, …"
            )
        )
        self.mistake_mode = QCheckBox(translate("AttentionView", "Mistake mode"))
        self.mistake = QComboBox()
        for key, mistake in MISTAKES.items():
            self.mistake.addItem(mistake.title.get(language, mistake.title["en"]), key)
        self.mistake.setEnabled(False)
        self.mistake_mode.toggled.connect(self.mistake.setEnabled)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828; font-weight: bold;")
        self.message.hide()

        form = QFormLayout()
        form.addRow(translate("AttentionView", "Tokens"), self.tokens)
        form.addRow(translate("AttentionView", "Batch"), self.batch)
        form.addRow(translate("AttentionView", "seq_len"), self.seq_len)
        form.addRow(translate("AttentionView", "d_model"), self.d_model)
        form.addRow(translate("AttentionView", "Heads"), self.heads_box)
        form.addRow(translate("AttentionView", "Padding keys"), self.padding)
        form.addRow(translate("AttentionView", "Weights seed"), self.seed)
        form.addRow(self.causal)
        form.addRow(self.mistake_mode)
        form.addRow(self.mistake)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.message)

    def spin_boxes(self) -> tuple[QSpinBox, ...]:
        """The number inputs; a change of any of them rebuilds the steps."""
        return (self.batch, self.seq_len, self.d_model, self.heads_box, self.padding, self.seed)

    def token_list(self) -> list[str]:
        """The typed tokens cut or filled (``t4``, ``t5``…) to ``seq_len``."""
        words = self.tokens.text().split()
        count = self.seq_len.value()
        return (words + [f"t{i}" for i in range(len(words), count)])[:count]

    def mistake_key(self) -> str | None:
        """The chosen mistake's key, or None outside mistake mode."""
        if not self.mistake_mode.isChecked():
            return None
        key = self.mistake.currentData()
        return str(key) if key is not None else None

    def masked(self) -> bool:
        """Whether a mask (causal or padding keys) is on."""
        return self.causal.isChecked() or bool(self.padding.value())

    def clear_mask(self) -> None:
        """Turn the mask off without a rebuild (a trace runs without one, as in the drill)."""
        for widget in (self.causal, self.padding):
            widget.blockSignals(True)
        self.causal.setChecked(False)
        self.padding.setValue(0)
        for widget in (self.causal, self.padding):
            widget.blockSignals(False)


class StepList(QWidget):
    """The steps by title and shape, with Previous and Next below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step_list = QListWidget()
        self.previous_button = QPushButton(translate("AttentionView", "◀ Previous"))
        self.next_button = QPushButton(translate("AttentionView", "Next ▶"))
        stepper = QHBoxLayout()
        stepper.addWidget(self.previous_button)
        stepper.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(translate("AttentionView", "<b>Steps</b> (← → keys)")))
        layout.addWidget(self.step_list, 1)
        layout.addLayout(stepper)
