"""The Python editor of the coding drills: highlighting, line numbers, indentation, run keys.

The drills are short functions typed under time pressure, so the editor does what a good Python
editor does for the hands (four-space indents, smart Enter and Backspace, comment toggling)
and shows where an exception happened (:meth:`CodeEditor.set_error_lines`,
:meth:`CodeEditor.go_to_line`). Running and saving are the page's business: the editor only
asks for them through :attr:`CodeEditor.run_requested` and :attr:`CodeEditor.save_requested`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pygments.lexer import RegexLexer
from pygments.lexers import PythonLexer
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    String,
    Token,
    Whitespace,
)
from PySide6.QtCore import QEvent, QObject, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from studyapp.ui.theme import is_dark

__all__ = ["FLASH_MS", "INDENT", "CodeEditor", "PythonHighlighter"]

#: Spaces per indentation level (PEP 8).
INDENT = 4
_INDENT_TEXT = " " * INDENT
#: A line starting with one of these ends its block, so the next line goes one level out.
_DEDENT_AFTER = re.compile(r"(return|pass|break|continue|raise)\b")
#: How long :meth:`CodeEditor.go_to_line` keeps the line lit, in milliseconds.
FLASH_MS = 1500

_TokenType = type(Token)

#: Pygments token types, most specific first, and the style each one gets.
_TOKEN_STYLES: tuple[tuple[_TokenType, str], ...] = (
    (String.Doc, "docstring"),
    (String.Escape, "escape"),
    (String.Interpol, "escape"),
    (String.Affix, "keyword"),
    (String, "string"),
    (Comment, "comment"),
    (Number, "number"),
    (Keyword.Constant, "constant"),
    (Keyword, "keyword"),
    (Operator.Word, "keyword"),
    (Name.Builtin.Pseudo, "self"),
    (Name.Builtin, "builtin"),
    (Name.Exception, "builtin"),
    (Name.Variable.Magic, "builtin"),
    (Name.Function, "function"),
    (Name.Class, "class"),
    (Name.Decorator, "decorator"),
)

#: style -> (colour, bold, italic); One Light / One Dark, darkened a little for contrast.
_LIGHT_STYLES: dict[str, tuple[str, bool, bool]] = {
    "keyword": ("#a626a4", False, False),
    "constant": ("#986801", False, False),
    "string": ("#3e8a3d", False, False),
    "docstring": ("#3e8a3d", False, True),
    "escape": ("#0184bc", False, False),
    "comment": ("#8a8b91", False, True),
    "number": ("#986801", False, False),
    "builtin": ("#0184bc", False, False),
    "self": ("#c4414a", False, True),
    "function": ("#3167d6", False, False),
    "class": ("#a86e00", True, False),
    "decorator": ("#c4414a", False, False),
}
_DARK_STYLES: dict[str, tuple[str, bool, bool]] = {
    "keyword": ("#c678dd", False, False),
    "constant": ("#d19a66", False, False),
    "string": ("#98c379", False, False),
    "docstring": ("#98c379", False, True),
    "escape": ("#56b6c2", False, False),
    "comment": ("#7f848e", False, True),
    "number": ("#d19a66", False, False),
    "builtin": ("#56b6c2", False, False),
    "self": ("#e06c75", False, True),
    "function": ("#61afef", False, False),
    "class": ("#e5c07b", True, False),
    "decorator": ("#e06c75", False, False),
}

_Span = tuple[int, int, str]  # start and length in UTF-16 units (as Qt counts), style
_Token = tuple[int, Any, str]
_Rule = tuple[Any, Any, Any]  # Pygments' processed rule: (pattern.match, action, new state)

#: The lexer state at a line start: Pygments' state stack, or ``(_DOC, quote)`` inside a
#: docstring that spans lines (see :func:`_lex_line`).
_ROOT: tuple[str, ...] = ("root",)
_DOC = "\x00docstring"
#: A triple-quoted string that opens a line is a docstring to Pygments (``String.Doc``).
_DOC_OPEN = re.compile(r"(\s*)([rRuUbB]{0,2})(\"\"\"|''')")

#: Block states are ints: indexes into this list of interned lexer states.
_STATES: list[tuple[str, ...]] = [_ROOT]
_STATE_IDS: dict[tuple[str, ...], int] = {_ROOT: 0}
#: (start state id, line text) -> (spans, end state id); shared by all editors.
_LINE_CACHE: dict[tuple[int, str], tuple[tuple[_Span, ...], int]] = {}
_LINE_CACHE_LIMIT = 20_000
_STYLE_CACHE: dict[Any, str | None] = {}


def _state_id(state: tuple[str, ...]) -> int:
    found = _STATE_IDS.get(state)
    if found is None:
        found = _STATE_IDS[state] = len(_STATES)
        _STATES.append(state)
    return found


def _style_of(ttype: Any) -> str | None:
    try:
        return _STYLE_CACHE[ttype]
    except KeyError:
        style = next((name for parent, name in _TOKEN_STYLES if ttype in parent), None)
        _STYLE_CACHE[ttype] = style
        return style


def _utf16_len(text: str) -> int:
    """Qt counts UTF-16 units: a character outside the BMP (an emoji) is two of them."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def _index_from_utf16(text: str, units: int) -> int:
    """The Python index of the character at Qt column ``units`` of ``text``."""
    if text.isascii():
        return units
    seen = 0
    for index, char in enumerate(text):
        if seen >= units:
            return index
        seen += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def _strip_comment(line: str) -> str:
    """``line`` without its ``#`` comment; a ``#`` inside a string literal is not a comment."""
    quote = ""
    i = 0
    while i < len(line):
        char = line[i]
        if quote:
            if char == "\\":
                i += 2
                continue
            if line.startswith(quote, i):
                i += len(quote)
                quote = ""
                continue
        elif char == "#":
            return line[:i]
        elif char in "\"'":
            quote = line[i : i + 3] if line[i : i + 3] in ('"""', "'''") else char
            i += len(quote)
            continue
        i += 1
    return line


def _leading_whitespace(text: str) -> str:
    return text[: len(text) - len(text.lstrip(" \t"))]


def _blend(base: QColor, tint: QColor, amount: float) -> QColor:
    """``tint`` laid over ``base`` at ``amount`` opacity, so tints follow any palette."""
    return QColor.fromRgbF(
        base.redF() + (tint.redF() - base.redF()) * amount,
        base.greenF() + (tint.greenF() - base.greenF()) * amount,
        base.blueF() + (tint.blueF() - base.blueF()) * amount,
    )


# -- lexing ----------------------------------------------------------------------------------


class _LineLexer:
    """Pygments' ``RegexLexer`` loop, run one line at a time with the state stack carried over.

    Pygments only lexes whole texts, and re-lexing a 300-line drill on every key press costs
    some 25 ms. This is ``RegexLexer.get_tokens_unprocessed`` with one change: it starts from
    a given stack and returns the stack it ends in, which becomes the block state, so a key
    press re-lexes only the lines whose text or start state changed.
    """

    def __init__(self, lexer: RegexLexer) -> None:
        self._lexer = lexer
        self._states: dict[str, list[_Rule]] = lexer._tokens

    def lex(self, text: str, stack: tuple[str, ...], pos: int = 0) -> tuple[list[_Token], tuple]:
        """Tokens of ``text`` from ``pos`` on, starting in ``stack``; and the final stack."""
        lexer = self._lexer
        tokendefs = self._states
        statestack = list(stack)
        statetokens = tokendefs[statestack[-1]]
        tokens: list[_Token] = []
        while True:
            for rexmatch, action, new_state in statetokens:
                m = rexmatch(text, pos)
                if not m:
                    continue
                if action is not None:
                    if type(action) is _TokenType:
                        tokens.append((pos, action, m.group()))
                    else:  # bygroups() and friends
                        tokens.extend(action(lexer, m))
                pos = m.end()
                if new_state is not None:
                    if isinstance(new_state, tuple):
                        for state in new_state:
                            if state == "#pop":
                                if len(statestack) > 1:
                                    statestack.pop()
                            elif state == "#push":
                                statestack.append(statestack[-1])
                            else:
                                statestack.append(state)
                    elif isinstance(new_state, int):
                        if abs(new_state) >= len(statestack):
                            del statestack[1:]
                        else:
                            del statestack[new_state:]
                    elif new_state == "#push":
                        statestack.append(statestack[-1])
                    statetokens = tokendefs[statestack[-1]]
                break
            else:  # no rule matched
                if pos >= len(text):
                    break
                if text[pos] == "\n":  # at a line end Pygments falls back to root
                    statestack = ["root"]
                    statetokens = tokendefs["root"]
                    tokens.append((pos, Whitespace, "\n"))
                else:
                    tokens.append((pos, Error, text[pos]))
                pos += 1
        return tokens, tuple(statestack)


_line_lexer: _LineLexer | None = None


def _lex_line(text: str, state: tuple[str, ...]) -> tuple[tuple[_Span, ...], tuple[str, ...]]:
    """The spans of one line lexed from ``state``, and the state the next line starts in."""
    global _line_lexer
    if _line_lexer is None:
        _line_lexer = _LineLexer(PythonLexer())
    spans: list[list[Any]] = []

    def add(start: int, length: int, style: str) -> None:
        last = spans[-1] if spans else None
        if last is not None and last[2] == style and last[0] + last[1] == start:
            last[1] += length  # one setFormat for a run of tokens of one style
        elif length > 0:
            spans.append([start, length, style])

    pos = 0
    stack = state
    if state[0] == _DOC:  # inside a docstring: it ends at the first closing quote
        close = text.find(state[1])
        if close < 0:
            add(0, len(text), "docstring")
            return _to_utf16(text, spans), state
        pos = close + 3
        add(0, pos, "docstring")
        stack = _ROOT
    elif state == _ROOT:
        opening = _DOC_OPEN.match(text)
        if opening and text.find(opening.group(3), opening.end()) < 0:
            add(opening.start(2), len(opening.group(2)), "keyword")  # an r/b/u prefix
            add(opening.start(3), len(text) - opening.start(3), "docstring")
            return _to_utf16(text, spans), (_DOC, opening.group(3))
    tokens, end_stack = _line_lexer.lex(text + "\n", stack, pos)
    limit = len(text)
    decorator = False
    for index, ttype, value in tokens:
        style = _style_of(ttype)
        if decorator and (ttype is Name or (ttype is Operator and value == ".")):
            style = "decorator"  # Pygments colours only "@functools" of "@functools.cache"
        else:
            decorator = style == "decorator"
        if style is not None and index < limit:
            add(index, min(len(value), limit - index), style)
    return _to_utf16(text, spans), end_stack


def _to_utf16(text: str, spans: list[list[Any]]) -> tuple[_Span, ...]:
    if text.isascii():
        return tuple((start, length, style) for start, length, style in spans)
    return tuple(
        (_utf16_len(text[:start]), _utf16_len(text[start : start + length]), style)
        for start, length, style in spans
    )


class PythonHighlighter(QSyntaxHighlighter):
    """Colours Python with the token stream of Pygments' ``PythonLexer``.

    Each block is lexed on its own, from the lexer state the block above ended in (kept as
    the block state), so a key press re-lexes one line, and the lines below only while their
    start state keeps changing: opening a triple-quoted string recolours the lines under it,
    closing it stops there. Pygments sees a docstring as a docstring only when it lexes the
    whole text at once, so a docstring that spans lines is followed here by hand.
    """

    def __init__(
        self,
        document: QTextDocument | None = None,
        parent: QObject | None = None,
        *,
        dark: bool = False,
    ) -> None:
        super().__init__(parent)
        self._dark = dark
        self._formats = self._make_formats(dark)
        if document is not None:
            self.setDocument(document)

    @property
    def dark(self) -> bool:
        """Whether the dark colour set is in use."""
        return self._dark

    def set_dark(self, dark: bool) -> None:
        """Switch between the light and dark colour sets and recolour the document."""
        if dark == self._dark:
            return
        self._dark = dark
        self._formats = self._make_formats(dark)
        self.rehighlight()

    def format_for(self, style: str) -> QTextCharFormat:
        """The format of a style (``"keyword"``, ``"string"``, ...), e.g. for a legend."""
        return QTextCharFormat(self._formats[style])

    def highlightBlock(self, text: str) -> None:
        state = self.previousBlockState()
        if not 0 <= state < len(_STATES):
            state = 0
        key = (state, text)
        lexed = _LINE_CACHE.get(key)
        if lexed is None:
            spans, end_state = _lex_line(text, _STATES[state])
            lexed = (spans, _state_id(end_state))
            if len(_LINE_CACHE) >= _LINE_CACHE_LIMIT:
                _LINE_CACHE.clear()
            _LINE_CACHE[key] = lexed
        formats = self._formats
        for start, length, style in lexed[0]:
            self.setFormat(start, length, formats[style])
        self.setCurrentBlockState(lexed[1])

    @staticmethod
    def _make_formats(dark: bool) -> dict[str, QTextCharFormat]:
        formats = {}
        for style, (colour, bold, italic) in (_DARK_STYLES if dark else _LIGHT_STYLES).items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(colour))
            if bold:
                fmt.setFontWeight(QFont.Weight.Bold)
            if italic:
                fmt.setFontItalic(True)
            formats[style] = fmt
        return formats


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


class _Gutter(QWidget):
    """The line-number strip; the editor lays it out and paints it."""

    def __init__(self, editor: CodeEditor) -> None:
        super().__init__(editor)
        self._editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self._editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._editor._paint_gutter(event)


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
        self._gutter = _Gutter(self)
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
        units = _utf16_len(text[: min(max(column, 0), len(text))])
        self.setTextCursor(self._cursor_at(block.position() + units))
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
        digits = max(2, len(str(max(1, self.blockCount()))))
        advance = QFontMetricsF(self.font()).horizontalAdvance("9")
        return int(self._marker_width() + 6 + digits * advance + 10)

    def indent_selection(self) -> None:
        """Indent every line the selection touches by one level (blank lines stay empty)."""
        first, last = self._selected_lines()

        def indent(text: str) -> tuple[int, int, str] | None:
            return (0, 0, _INDENT_TEXT) if text.strip() or first == last else None

        self._edit_lines(first, last, indent)

    def dedent_selection(self) -> None:
        """Take up to one level of indentation off the current or selected lines."""

        def dedent(text: str) -> tuple[int, int, str] | None:
            spaces = len(text) - len(text.lstrip(" "))
            if spaces:
                return (0, min(spaces, INDENT), "")
            return (0, 1, "") if text.startswith("\t") else None

        self._edit_lines(*self._selected_lines(), dedent)

    def toggle_comment(self) -> None:
        """Comment out the current or selected lines with ``# ``, or uncomment them when all
        non-blank ones are comments already; ``#`` goes at the smallest indentation so the
        block still reads as a block."""
        first, last = self._selected_lines()
        document = self.document()
        texts = [document.findBlockByNumber(n).text() for n in range(first, last + 1)]
        code = [t for t in texts if t.strip()]
        if not code:
            return
        if all(t.lstrip().startswith("#") for t in code):

            def edit(text: str) -> tuple[int, int, str] | None:
                if not text.strip():
                    return None
                column = len(_leading_whitespace(text))
                return (column, 2 if text.startswith("# ", column) else 1, "")

        else:
            column = min(len(_leading_whitespace(t)) for t in code)

            def edit(text: str) -> tuple[int, int, str] | None:
                return (column, 0, "# ") if text.strip() else None

        self._edit_lines(first, last, edit)

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
        if plain and (key == Qt.Key.Key_Backtab or (key == Qt.Key.Key_Tab and shift)):
            self.dedent_selection()
        elif plain and key == Qt.Key.Key_Tab:
            if self.textCursor().hasSelection():
                self.indent_selection()
            else:
                self._insert_indent()
        elif plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._newline()  # Shift+Enter too: a U+2028 line separator is no Python
        elif plain and key == Qt.Key.Key_Backspace and self._backspace_indent():
            pass
        elif plain and key == Qt.Key.Key_Home:
            self._smart_home(keep_anchor=shift)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

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

    def _insert_indent(self) -> None:
        """Spaces up to the next multiple of four, as Tab does in Python editors."""
        cursor = self.textCursor()
        before = cursor.block().text()
        column = _index_from_utf16(before, cursor.positionInBlock())
        cursor.insertText(" " * (INDENT - column % INDENT))
        self.setTextCursor(cursor)

    def _newline(self) -> None:
        """Enter with Python indentation: keep the level, one more after ``:`` or an open
        bracket, one less after ``return``/``pass``/``break``/``continue``/``raise``."""
        cursor = self.textCursor()
        cursor.beginEditBlock()
        if cursor.hasSelection():
            cursor.removeSelectedText()
        block = cursor.block()
        text = block.text()
        split = _index_from_utf16(text, cursor.positionInBlock())
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
            indent = _leading_whitespace(text)
            code = _strip_comment(before).rstrip()
            if code.endswith((":", "(", "[", "{")):
                indent += _INDENT_TEXT
            elif _DEDENT_AFTER.match(code.lstrip()):
                indent = indent[: max(0, len(indent) - INDENT)]
            # Trailing spaces before the break and leading spaces after it both go.
            trailing = len(before) - len(before.rstrip())
            leading = len(after) - len(after.lstrip(" \t"))
            position = cursor.position()
            cursor.setPosition(position - trailing)
            cursor.setPosition(position + leading, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText("\n" + indent)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def _backspace_indent(self) -> bool:
        """Backspace inside the indentation deletes back to the previous multiple of four."""
        cursor = self.textCursor()
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
        self.setTextCursor(cursor)
        return True

    def _smart_home(self, *, keep_anchor: bool) -> None:
        """Home goes to the first character of code, and from there to column 0."""
        cursor = self.textCursor()
        block = cursor.block()
        indent = len(_leading_whitespace(block.text()))
        target = 0 if cursor.positionInBlock() == indent else indent
        mode = QTextCursor.MoveMode.KeepAnchor if keep_anchor else QTextCursor.MoveMode.MoveAnchor
        cursor.setPosition(block.position() + target, mode)
        self.setTextCursor(cursor)

    # -- line edits --------------------------------------------------------------------------

    def _cursor_at(self, position: int) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        return cursor

    def _selected_lines(self) -> tuple[int, int]:
        """First and last block numbers the selection touches; a selection that ends at the
        start of a line does not take that line in (the usual Shift+Down selection)."""
        cursor = self.textCursor()
        document = self.document()
        first = document.findBlock(cursor.selectionStart()).blockNumber()
        end_block = document.findBlock(cursor.selectionEnd())
        last = end_block.blockNumber()
        if cursor.hasSelection() and last > first and cursor.selectionEnd() == end_block.position():
            last -= 1
        return first, last

    def _edit_lines(
        self, first: int, last: int, edit: Callable[[str], tuple[int, int, str] | None]
    ) -> None:
        """Apply ``edit(text) -> (column, chars_to_remove, text_to_insert)`` to each line as
        one undo step, then put the selection back over the same text."""
        document = self.document()
        old = self.textCursor()
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

        selection = self._cursor_at(moved(*marks[0]))
        selection.setPosition(moved(*marks[1]), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(selection)

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

    def _marker_width(self) -> int:
        return 4

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

    def _paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self._gutter)
        colours = self._colours
        painter.fillRect(event.rect(), colours.gutter_back)
        font = QFont(self.font())
        bold = QFont(font)
        bold.setWeight(QFont.Weight.Bold)
        line_height = QFontMetricsF(font).height()
        text_right = self._gutter.width() - 10
        current = self.textCursor().blockNumber()
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        clip_top, clip_bottom = event.rect().top(), event.rect().bottom()
        while block.isValid() and top <= clip_bottom:
            height = self.blockBoundingRect(block).height()
            if block.isVisible() and top + height >= clip_top:
                line = number + 1
                if line in self._error_lines:
                    painter.fillRect(
                        QRectF(0, top, self._marker_width(), height), colours.error_marker
                    )
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
