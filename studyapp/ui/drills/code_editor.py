"""The Python editor of the coding drills: highlighting, line numbers, indentation, run keys.

The drills are short functions typed under time pressure, so the editor does what a good Python
editor does for the hands (four-space indents, smart Enter and Backspace, comment toggling)
and shows where an exception happened (:meth:`CodeEditor.set_error_lines`,
:meth:`CodeEditor.go_to_line`). Running and saving are the page's business: the editor only
asks for them through :attr:`CodeEditor.run_requested` and :attr:`CodeEditor.save_requested`.

Its collaborators: :mod:`~studyapp.ui.drills.python_highlighter` colours the code,
:mod:`~studyapp.ui.drills.python_editing` does what the keys do to the text (on top of the plain
text rules of :mod:`~studyapp.ui.drills.python_text`), and :mod:`~studyapp.ui.drills.editor_gutter`
draws the line numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from studyapp.ui.drills.editor_gutter import LineNumberGutter
from studyapp.ui.drills.python_editing import PythonEditing
from studyapp.ui.drills.python_highlighter import PythonHighlighter
from studyapp.ui.drills.python_text import INDENT, utf16_len
from studyapp.ui.theme import is_dark

__all__ = ["FLASH_MS", "INDENT", "CodeEditor", "PythonHighlighter"]

#: How long :meth:`CodeEditor.go_to_line` keeps the line lit, in milliseconds.
FLASH_MS = 1500


def _blend(base: QColor, tint: QColor, amount: float) -> QColor:
    """``tint`` laid over ``base`` at ``amount`` opacity, so tints follow any palette."""
    return QColor.fromRgbF(
        base.redF() + (tint.redF() - base.redF()) * amount,
        base.greenF() + (tint.greenF() - base.greenF()) * amount,
        base.blueF() + (tint.blueF() - base.blueF()) * amount,
    )


@dataclass(frozen=True)
class _Colours:
    """Editor colours derived from the palette, so light and dark themes both look right."""

    current_line: QColor
    error_line: QColor
    error_marker: QColor
    flash_line: QColor
    gutter_back: QColor
    gutter_text: QColor
    gutter_current: QColor

    @classmethod
    def from_palette(cls, base: QColor, text: QColor, dark: bool) -> _Colours:
        red = QColor("#e5484d")
        return cls(
            current_line=_blend(base, text, 0.07 if dark else 0.05),
            error_line=_blend(base, red, 0.32 if dark else 0.18),
            error_marker=red,
            flash_line=_blend(base, QColor("#f5c400"), 0.22 if dark else 0.30),
            gutter_back=_blend(base, text, 0.04),
            gutter_text=_blend(base, text, 0.42),
            gutter_current=text,
        )


class CodeEditor(QPlainTextEdit):
    """A Python editor for the coding drills.

    Keys: Tab / Shift+Tab indent and dedent (the selected lines when there is a selection),
    Enter keeps or adjusts the indentation, Backspace in the indentation goes back one level,
    Home toggles between the first character and the line start, Ctrl+/ toggles ``#``
    comments, Ctrl+Enter asks to run, Ctrl+S asks to save. Undo and redo are Qt's own.
    """

    #: Ctrl+Enter / Ctrl+Return: the page runs the code (the editor knows nothing of running).
    run_requested = Signal()
    #: Ctrl+S: the page saves the attempt.
    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ready = False
        self._error_lines: frozenset[int] = frozenset()
        self._flash_line: int | None = None
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.setInterval(FLASH_MS)
        self._flash_timer.timeout.connect(self._end_flash)
        self._gutter = LineNumberGutter(self)
        self._editing = PythonEditing(self)
        dark = is_dark(self.palette())
        self._colours = self._make_colours(dark)
        self.highlighter = PythonHighlighter(self.document(), self, dark=dark)

        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabChangesFocus(False)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setFixedPitch(True)
        if font.pointSizeF() < self.font().pointSizeF():
            font.setPointSizeF(self.font().pointSizeF())
        self.setFont(font)

        self.blockCountChanged.connect(self._update_gutter_width)
        self.updateRequest.connect(self._on_update_request)
        self.cursorPositionChanged.connect(self._on_cursor_moved)
        self._ready = True
        self._apply_font_metrics()
        self._refresh_extra_selections()

    # -- public API --------------------------------------------------------------------------

    def text(self) -> str:
        """The code as plain text (what gets run and saved)."""
        return self.toPlainText()

    def set_text(self, text: str) -> None:
        """Load new code: a fresh undo history, the cursor at the start, no old error marks.

        Undo must not walk back into the previous drill's code, and the old error lines
        belong to the old code.
        """
        self._error_lines = frozenset()
        self._flash_line = None
        self._flash_timer.stop()
        self.setPlainText(text)
        document = self.document()
        document.clearUndoRedoStacks()
        document.setModified(False)
        self.setTextCursor(QTextCursor(document))
        self.verticalScrollBar().setValue(0)
        self.horizontalScrollBar().setValue(0)
        self._refresh_extra_selections()
        self._gutter.update()

    def go_to_line(self, line: int, column: int = 0) -> None:
        """Put the cursor on ``line`` (1-based) at ``column`` (0-based characters), centre it
        and light the line briefly, so the eye finds the line a traceback points at.

        Out-of-range values are clamped. Focus is left to the caller.
        """
        document = self.document()
        number = min(max(line, 1), document.blockCount()) - 1
        block = document.findBlockByNumber(number)
        text = block.text()
        units = utf16_len(text[: min(max(column, 0), len(text))])
        self.setTextCursor(self._editing.cursor_at(block.position() + units))
        self.centerCursor()
        self._flash_line = number + 1
        self._flash_timer.start()
        self._refresh_extra_selections()

    def set_error_lines(self, lines: Iterable[int]) -> None:
        """Mark ``lines`` (1-based) in red, text and gutter: where the last run failed.

        ``set_error_lines(set())`` clears the marks; :meth:`set_text` clears them too.
        """
        self._error_lines = frozenset(lines)
        self._refresh_extra_selections()
        self._gutter.update()

    def error_lines(self) -> frozenset[int]:
        """The lines marked by :meth:`set_error_lines`."""
        return self._error_lines

    def gutter_width(self) -> int:
        """Width of the line-number gutter: it grows with the number of digits (min. two)."""
        return self._gutter.preferred_width()

    def colours(self) -> _Colours:
        """The line and gutter colours of the current palette."""
        return self._colours

    def indent_selection(self) -> None:
        """Indent every line the selection touches by one level (blank lines stay empty)."""
        self._editing.indent_selection()

    def dedent_selection(self) -> None:
        """Take up to one level of indentation off the current or selected lines."""
        self._editing.dedent_selection()

    def toggle_comment(self) -> None:
        """Comment out the current or selected lines with ``# ``, or uncomment them when all
        non-blank ones are comments already (see :meth:`PythonEditing.toggle_comment`)."""
        self._editing.toggle_comment()

    # -- keys --------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # Our keys beat window-level shortcuts while the editor has focus.
        if event.type() == QEvent.Type.ShortcutOverride and self._own_shortcut(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        mods = event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if ctrl and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.run_requested.emit()
            return
        if self._is_save(event):
            event.accept()
            self.save_requested.emit()
            return
        if self.isReadOnly():
            super().keyPressEvent(event)
            return
        if ctrl and key == Qt.Key.Key_Slash:
            event.accept()
            self.toggle_comment()
            return
        plain = not (
            mods
            & (
                Qt.KeyboardModifier.ControlModifier
                | Qt.KeyboardModifier.AltModifier
                | Qt.KeyboardModifier.MetaModifier
            )
        )
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        if plain and self._editing.handle_plain_key(key, shift):
            event.accept()
            return
        super().keyPressEvent(event)

    @staticmethod
    def _is_save(event: QKeyEvent) -> bool:
        if event.matches(QKeySequence.StandardKey.Save):
            return True
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        return event.key() == Qt.Key.Key_S and mods == Qt.KeyboardModifier.ControlModifier

    def _own_shortcut(self, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent):
            return False
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        key = event.key()
        return self._is_save(event) or (
            ctrl and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Slash)
        )

    # -- look --------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if not getattr(self, "_ready", False):
            return
        if event.type() == QEvent.Type.PaletteChange:
            dark = is_dark(self.palette())
            self._colours = self._make_colours(dark)
            self.highlighter.set_dark(dark)
            self._refresh_extra_selections()
            self._gutter.update()
        elif event.type() == QEvent.Type.FontChange:
            self._apply_font_metrics()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        rect = self.contentsRect()
        self._gutter.setGeometry(QRect(rect.left(), rect.top(), self.gutter_width(), rect.height()))

    def _make_colours(self, dark: bool) -> _Colours:
        palette = self.palette()
        return _Colours.from_palette(palette.base().color(), palette.text().color(), dark)

    def _apply_font_metrics(self) -> None:
        """Tab stops and the gutter follow the font."""
        self.setTabStopDistance(QFontMetricsF(self.font()).horizontalAdvance(" ") * INDENT)
        self._update_gutter_width()

    def _update_gutter_width(self, _count: int = 0) -> None:
        width = self.gutter_width()
        self.setViewportMargins(width, 0, 0, 0)
        rect = self.contentsRect()
        self._gutter.setGeometry(QRect(rect.left(), rect.top(), width, rect.height()))

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())
        if rect.contains(self.viewport().rect()):
            self._update_gutter_width()

    def _on_cursor_moved(self) -> None:
        self._refresh_extra_selections()
        self._gutter.update()  # the current line number is drawn stronger

    def _end_flash(self) -> None:
        self._flash_line = None
        self._refresh_extra_selections()

    def _line_selection(self, block: QTextBlock, colour: QColor) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(colour)
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selection.format = fmt
        selection.cursor = QTextCursor(block)
        return selection

    def _refresh_extra_selections(self) -> None:
        """Current line, then error lines, then the go-to flash: later ones paint on top."""
        document = self.document()
        colours = self._colours
        selections = [self._line_selection(self.textCursor().block(), colours.current_line)]
        for line in sorted(self._error_lines):
            block = document.findBlockByNumber(line - 1)
            if block.isValid():
                selections.append(self._line_selection(block, colours.error_line))
        if self._flash_line is not None:
            block = document.findBlockByNumber(self._flash_line - 1)
            if block.isValid():
                selections.append(self._line_selection(block, colours.flash_line))
        self.setExtraSelections(selections)
