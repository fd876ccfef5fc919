"""The drill editor's line-number strip: numbers, the current line stronger, failed lines red.

The editor (:class:`studyapp.ui.drills.code_editor.CodeEditor`) lays the strip out beside its
viewport and tells it when to repaint; the strip reads the editor's blocks and colours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from studyapp.ui.drills.code_editor import CodeEditor

#: Width of the red bar that marks a failed line, in pixels.
MARKER_WIDTH = 4


class LineNumberGutter(QWidget):
    """The line-number strip of one editor."""

    def __init__(self, editor: CodeEditor) -> None:
        super().__init__(editor)
        self._editor = editor

    def preferred_width(self) -> int:
        """It grows with the number of digits (min. two)."""
        digits = max(2, len(str(max(1, self._editor.blockCount()))))
        advance = QFontMetricsF(self._editor.font()).horizontalAdvance("9")
        return int(MARKER_WIDTH + 6 + digits * advance + 10)

    def sizeHint(self) -> QSize:
        return QSize(self.preferred_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        editor = self._editor
        painter = QPainter(self)
        colours = editor.colours()
        error_lines = editor.error_lines()
        painter.fillRect(event.rect(), colours.gutter_back)
        font = QFont(editor.font())
        bold = QFont(font)
        bold.setWeight(QFont.Weight.Bold)
        line_height = QFontMetricsF(font).height()
        text_right = self.width() - 10
        current = editor.textCursor().blockNumber()
        block = editor.firstVisibleBlock()
        number = block.blockNumber()
        top = editor.blockBoundingGeometry(block).translated(editor.contentOffset()).top()
        clip_top, clip_bottom = event.rect().top(), event.rect().bottom()
        while block.isValid() and top <= clip_bottom:
            height = editor.blockBoundingRect(block).height()
            if block.isVisible() and top + height >= clip_top:
                line = number + 1
                if line in error_lines:
                    painter.fillRect(QRectF(0, top, MARKER_WIDTH, height), colours.error_marker)
                    painter.setPen(colours.error_marker)
                    painter.setFont(bold)
                elif number == current:
                    painter.setPen(colours.gutter_current)
                    painter.setFont(font)
                else:
                    painter.setPen(colours.gutter_text)
                    painter.setFont(font)
                painter.drawText(
                    QRectF(0, top, text_right, line_height),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    str(line),
                )
            block = block.next()
            top += height
            number += 1
        painter.end()
