"""What the drill editor's keys do to the text: four-space indents, smart Enter, Backspace and
Home, indenting and commenting the selected lines.

:class:`PythonEditing` works on any ``QPlainTextEdit`` through its cursor; the editor
(:class:`studyapp.ui.drills.code_editor.CodeEditor`) decides which key means what.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from studyapp.ui.drills.python_text import (
    INDENT,
    INDENT_TEXT,
    index_from_utf16,
    leading_whitespace,
    next_indent,
)

#: ``edit(text) -> (column, chars_to_remove, text_to_insert)``, or None to leave a line alone.
LineEdit = Callable[[str], tuple[int, int, str] | None]


class PythonEditing:
    """Python-aware text edits on ``editor``, each one undo step."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        self._editor = editor

    def handle_plain_key(self, key: Qt.Key, shift: bool) -> bool:
        """Do what ``key`` (without Ctrl, Alt or Meta) does in a Python editor; False for a key
        left to Qt."""
        if key == Qt.Key.Key_Backtab or (key == Qt.Key.Key_Tab and shift):
            self.dedent_selection()
        elif key == Qt.Key.Key_Tab:
            if self._editor.textCursor().hasSelection():
                self.indent_selection()
            else:
                self.insert_indent()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.newline()  # Shift+Enter too: a U+2028 line separator is no Python
        elif key == Qt.Key.Key_Backspace:
            return self.backspace_indent()
        elif key == Qt.Key.Key_Home:
            self.smart_home(keep_anchor=shift)
        else:
            return False
        return True

    # -- selected lines ----------------------------------------------------------------------

    def indent_selection(self) -> None:
        """Indent every line the selection touches by one level (blank lines stay empty)."""
        first, last = self.selected_lines()

        def indent(text: str) -> tuple[int, int, str] | None:
            return (0, 0, INDENT_TEXT) if text.strip() or first == last else None

        self.edit_lines(first, last, indent)

    def dedent_selection(self) -> None:
        """Take up to one level of indentation off the current or selected lines."""

        def dedent(text: str) -> tuple[int, int, str] | None:
            spaces = len(text) - len(text.lstrip(" "))
            if spaces:
                return (0, min(spaces, INDENT), "")
            return (0, 1, "") if text.startswith("\t") else None

        self.edit_lines(*self.selected_lines(), dedent)

    def toggle_comment(self) -> None:
        """Comment out the current or selected lines with ``# ``, or uncomment them when all
        non-blank ones are comments already; ``#`` goes at the smallest indentation so the
        block still reads as a block."""
        first, last = self.selected_lines()
        document = self._editor.document()
        texts = [document.findBlockByNumber(n).text() for n in range(first, last + 1)]
        code = [t for t in texts if t.strip()]
        if not code:
            return
        if all(t.lstrip().startswith("#") for t in code):

            def edit(text: str) -> tuple[int, int, str] | None:
                if not text.strip():
                    return None
                column = len(leading_whitespace(text))
                return (column, 2 if text.startswith("# ", column) else 1, "")

        else:
            column = min(len(leading_whitespace(t)) for t in code)

            def edit(text: str) -> tuple[int, int, str] | None:
                return (column, 0, "# ") if text.strip() else None

        self.edit_lines(first, last, edit)

    # -- keys --------------------------------------------------------------------------------

    def insert_indent(self) -> None:
        """Spaces up to the next multiple of four, as Tab does in Python editors."""
        cursor = self._editor.textCursor()
        before = cursor.block().text()
        column = index_from_utf16(before, cursor.positionInBlock())
        cursor.insertText(" " * (INDENT - column % INDENT))
        self._editor.setTextCursor(cursor)

    def newline(self) -> None:
        """Enter with Python indentation: keep the level, one more after ``:`` or an open
        bracket, one less after ``return``/``pass``/``break``/``continue``/``raise``."""
        cursor = self._editor.textCursor()
        cursor.beginEditBlock()
        if cursor.hasSelection():
            cursor.removeSelectedText()
        block = cursor.block()
        text = block.text()
        split = index_from_utf16(text, cursor.positionInBlock())
        before, after = text[:split], text[split:]
        if not before.strip():
            # In the indentation (or on a blank line): the line keeps its indentation and
            # moves down; the line left behind keeps no trailing spaces.
            cursor.setPosition(block.position())
            if after.strip():
                cursor.setPosition(block.position() + len(before), QTextCursor.MoveMode.KeepAnchor)
            else:
                cursor.movePosition(
                    QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
                )
            cursor.insertText("\n" + before)
        else:
            indent = next_indent(text, before)
            # Trailing spaces before the break and leading spaces after it both go.
            trailing = len(before) - len(before.rstrip())
            leading = len(after) - len(after.lstrip(" \t"))
            position = cursor.position()
            cursor.setPosition(position - trailing)
            cursor.setPosition(position + leading, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText("\n" + indent)
        cursor.endEditBlock()
        self._editor.setTextCursor(cursor)
        self._editor.ensureCursorVisible()

    def backspace_indent(self) -> bool:
        """Backspace inside the indentation deletes back to the previous multiple of four."""
        cursor = self._editor.textCursor()
        column = cursor.positionInBlock()
        if cursor.hasSelection() or column == 0:
            return False
        before = cursor.block().text()[:column]
        if before.strip(" "):
            return False
        cursor.movePosition(
            QTextCursor.MoveOperation.Left,
            QTextCursor.MoveMode.KeepAnchor,
            column % INDENT or INDENT,
        )
        cursor.removeSelectedText()
        self._editor.setTextCursor(cursor)
        return True

    def smart_home(self, *, keep_anchor: bool) -> None:
        """Home goes to the first character of code, and from there to column 0."""
        cursor = self._editor.textCursor()
        block = cursor.block()
        indent = len(leading_whitespace(block.text()))
        target = 0 if cursor.positionInBlock() == indent else indent
        mode = QTextCursor.MoveMode.KeepAnchor if keep_anchor else QTextCursor.MoveMode.MoveAnchor
        cursor.setPosition(block.position() + target, mode)
        self._editor.setTextCursor(cursor)

    # -- line edits --------------------------------------------------------------------------

    def cursor_at(self, position: int) -> QTextCursor:
        """A cursor of the editor's document at ``position``."""
        cursor = QTextCursor(self._editor.document())
        cursor.setPosition(position)
        return cursor

    def selected_lines(self) -> tuple[int, int]:
        """First and last block numbers the selection touches; a selection that ends at the
        start of a line does not take that line in (the usual Shift+Down selection)."""
        cursor = self._editor.textCursor()
        document = self._editor.document()
        first = document.findBlock(cursor.selectionStart()).blockNumber()
        end_block = document.findBlock(cursor.selectionEnd())
        last = end_block.blockNumber()
        if cursor.hasSelection() and last > first and cursor.selectionEnd() == end_block.position():
            last -= 1
        return first, last

    def edit_lines(self, first: int, last: int, edit: LineEdit) -> None:
        """Apply ``edit(text) -> (column, chars_to_remove, text_to_insert)`` to each line as
        one undo step, then put the selection back over the same text."""
        document = self._editor.document()
        old = self._editor.textCursor()
        marks = []
        for position in (old.anchor(), old.position()):
            block = document.findBlock(position)
            marks.append((block.blockNumber(), position - block.position()))
        changes: dict[int, tuple[int, int, str]] = {}
        cursor = QTextCursor(document)
        cursor.beginEditBlock()
        for number in range(first, last + 1):
            block = document.findBlockByNumber(number)
            change = edit(block.text())
            if change is None:
                continue
            column, remove, insert = change
            cursor.setPosition(block.position() + column)
            cursor.setPosition(block.position() + column + remove, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(insert)
            changes[number] = change
        cursor.endEditBlock()

        def moved(number: int, column: int) -> int:
            block = document.findBlockByNumber(number)
            if number in changes:
                at, remove, insert = changes[number]
                if column >= at + remove and (remove or column > at):
                    column += len(insert) - remove
                elif column > at:
                    column = at
            return block.position() + min(max(column, 0), block.length() - 1)

        selection = self.cursor_at(moved(*marks[0]))
        selection.setPosition(moved(*marks[1]), QTextCursor.MoveMode.KeepAnchor)
        self._editor.setTextCursor(selection)
