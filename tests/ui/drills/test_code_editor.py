"""The drills' code editor, driven through real key presses: indentation, comments, run and
save keys, undo, go-to-line, error marks, highlighting (and its speed), gutter."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator

import pytest
from pygments.lexers import PythonLexer
from pygments.token import String
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QPalette, QTextCharFormat, QTextCursor
from pytestqt.qtbot import QtBot

from studyapp.ui.drills import python_highlighter
from studyapp.ui.drills.code_editor import CodeEditor

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier

SOFTMAX = '''import numpy as np


@functools.cache
def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Softmax along ``axis``.

    Subtracting the max keeps exp() finite.
    """
    # shift for stability
    z = x - np.max(x, axis=axis, keepdims=True)
    if not np.isfinite(z).all():
        raise ValueError(f"bad input: {x!r}")
    return np.exp(z) / np.exp(z).sum(axis=axis, keepdims=True)
'''


@pytest.fixture
def editor(qtbot: QtBot) -> Iterator[CodeEditor]:
    widget = CodeEditor()
    qtbot.addWidget(widget)
    widget.resize(640, 400)
    widget.show()
    widget.setFocus()
    yield widget


def type_lines(qtbot: QtBot, editor: CodeEditor, text: str) -> None:
    """Type ``text`` key by key; a newline is an Enter press (so auto-indent applies)."""
    for number, line in enumerate(text.split("\n")):
        if number:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(editor, line)


def put_cursor(editor: CodeEditor, line: int, column: int) -> None:
    block = editor.document().findBlockByNumber(line)
    cursor = editor.textCursor()
    cursor.setPosition(block.position() + column)
    editor.setTextCursor(cursor)


def select_lines(editor: CodeEditor, first: int, last: int) -> None:
    """Select from the start of ``first`` into the middle of ``last`` (0-based lines)."""
    document = editor.document()
    cursor = QTextCursor(document)
    cursor.setPosition(document.findBlockByNumber(first).position())
    cursor.setPosition(document.findBlockByNumber(last).position() + 2, QTextCursor.KeepAnchor)
    editor.setTextCursor(cursor)


def format_at(editor: CodeEditor, line: int, column: int) -> QTextCharFormat | None:
    """The highlighter's format over ``column`` of ``line`` (0-based), if any."""
    layout = editor.document().findBlockByNumber(line).layout()
    for span in layout.formats():
        if span.start <= column < span.start + span.length:
            return QTextCharFormat(span.format)  # a copy: the range dies with the list
    return None


def colour_at(editor: CodeEditor, line: int, column: int) -> str | None:
    fmt = format_at(editor, line, column)
    return fmt.foreground().color().name() if fmt is not None else None


def style_colour(editor: CodeEditor, style: str) -> str:
    return editor.highlighter.format_for(style).foreground().color().name()


# -- keys --------------------------------------------------------------------------------------


def test_tab_inserts_four_spaces_and_aligns_to_the_next_stop(
    qtbot: QtBot, editor: CodeEditor
) -> None:
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.text() == "    "
    qtbot.keyClicks(editor, "ab")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.text() == "    ab  "
    assert "\t" not in editor.text()


def test_tab_with_a_selection_indents_every_selected_line(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("a = 1\n\nif a:\n    b = 2\nc = 3\n")
    select_lines(editor, 0, 3)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.text() == "    a = 1\n\n    if a:\n        b = 2\nc = 3\n"
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # the selection still covers the same lines
    assert editor.text() == "        a = 1\n\n        if a:\n            b = 2\nc = 3\n"


def test_shift_tab_dedents_the_current_and_the_selected_lines(
    qtbot: QtBot, editor: CodeEditor
) -> None:
    editor.set_text("        x = 1\n  y = 2\n    z = 3\n")
    put_cursor(editor, 0, 10)
    qtbot.keyClick(editor, Qt.Key.Key_Backtab, SHIFT)
    assert editor.text() == "    x = 1\n  y = 2\n    z = 3\n"
    assert editor.textCursor().positionInBlock() == 6  # the cursor stays on its character
    select_lines(editor, 0, 2)
    qtbot.keyClick(editor, Qt.Key.Key_Tab, SHIFT)  # Shift+Tab as QTest sends it
    assert editor.text() == "x = 1\ny = 2\nz = 3\n"  # at most four spaces each


def test_enter_after_a_colon_indents_the_next_line(qtbot: QtBot, editor: CodeEditor) -> None:
    type_lines(qtbot, editor, "def f(x):")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "def f(x):\n    "
    qtbot.keyClicks(editor, "if x:  # a comment after the colon")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text().endswith("comment after the colon\n        ")


def test_enter_keeps_the_indentation_of_the_line(qtbot: QtBot, editor: CodeEditor) -> None:
    type_lines(qtbot, editor, "def f(x):\ny = x + 1\nz = y")
    assert editor.text() == "def f(x):\n    y = x + 1\n    z = y"


def test_enter_after_return_dedents(qtbot: QtBot, editor: CodeEditor) -> None:
    type_lines(qtbot, editor, "def f(x):\nif x:\nreturn x\nraise ValueError('no')\nz = 1")
    assert editor.text() == (
        "def f(x):\n    if x:\n        return x\n    raise ValueError('no')\nz = 1"
    )


def test_enter_in_the_middle_of_a_line_moves_the_rest_down(
    qtbot: QtBot, editor: CodeEditor
) -> None:
    editor.set_text("    total = a +   b")
    put_cursor(editor, 0, 15)  # after "+"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "    total = a +\n    b"
    put_cursor(editor, 1, 0)  # at the line start: the line keeps its indentation
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "    total = a +\n\n    b"


def test_shift_enter_is_a_plain_newline(qtbot: QtBot, editor: CodeEditor) -> None:
    qtbot.keyClicks(editor, "x = 1")
    qtbot.keyClick(editor, Qt.Key.Key_Return, SHIFT)
    assert editor.text() == "x = 1\n"
    assert "\u2028" not in editor.toPlainText()


def test_backspace_in_the_indentation_removes_one_level(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("        x")
    put_cursor(editor, 0, 8)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.text() == "    x"
    editor.set_text("      x")
    put_cursor(editor, 0, 6)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.text() == "    x"  # back to the previous multiple of four
    editor.set_text("ab  ")
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.text() == "ab "  # not in the indentation: one character


def test_home_goes_to_the_code_then_to_the_line_start(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("    return x")
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    assert editor.textCursor().positionInBlock() == 4
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    assert editor.textCursor().positionInBlock() == 0


def test_ctrl_slash_comments_and_uncomments_a_selection(qtbot: QtBot, editor: CodeEditor) -> None:
    code = "def f(x):\n    y = x\n\n    return y\n"
    editor.set_text(code)
    select_lines(editor, 1, 3)
    qtbot.keyClick(editor, Qt.Key.Key_Slash, CTRL)
    assert editor.text() == "def f(x):\n    # y = x\n\n    # return y\n"
    qtbot.keyClick(editor, Qt.Key.Key_Slash, CTRL)
    assert editor.text() == code


def test_ctrl_slash_comments_at_the_smallest_indentation(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("if a:\n    b()\n# note\n")
    select_lines(editor, 0, 2)
    qtbot.keyClick(editor, Qt.Key.Key_Slash, CTRL)  # not all commented: comment all
    assert editor.text() == "# if a:\n#     b()\n# # note\n"
    editor.set_text("    x = 1")
    qtbot.keyClick(editor, Qt.Key.Key_Slash, CTRL)  # no selection: the current line
    assert editor.text() == "    # x = 1"


def test_ctrl_enter_asks_to_run_without_typing_a_newline(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("print(1)")
    with qtbot.waitSignal(editor.run_requested, timeout=1000):
        qtbot.keyClick(editor, Qt.Key.Key_Return, CTRL)
    with qtbot.waitSignal(editor.run_requested, timeout=1000):
        qtbot.keyClick(editor, Qt.Key.Key_Enter, CTRL | Qt.KeyboardModifier.KeypadModifier)
    assert editor.text() == "print(1)"


def test_ctrl_s_asks_to_save(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("x = 1")
    with qtbot.waitSignal(editor.save_requested, timeout=1000):
        qtbot.keyClick(editor, Qt.Key.Key_S, CTRL)
    assert editor.text() == "x = 1"


def test_undo_and_redo_take_back_an_auto_indent(qtbot: QtBot, editor: CodeEditor) -> None:
    qtbot.keyClicks(editor, "def f(x):")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "def f(x):\n    "
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    assert editor.text() == "def f(x):"
    redo = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)[0][0]
    qtbot.keyClick(editor, redo.key(), redo.keyboardModifiers())
    assert editor.text() == "def f(x):\n    "


def test_undo_takes_back_a_comment_toggle_in_one_step(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("a = 1\nb = 2\n")
    select_lines(editor, 0, 1)
    qtbot.keyClick(editor, Qt.Key.Key_Slash, CTRL)
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    assert editor.text() == "a = 1\nb = 2\n"


def test_read_only_editor_ignores_editing_keys_but_still_asks_to_run(
    qtbot: QtBot, editor: CodeEditor
) -> None:
    editor.set_text("x = 1")
    editor.setReadOnly(True)
    qtbot.keyClick(editor, Qt.Key.Key_Slash, CTRL)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "x = 1"
    with qtbot.waitSignal(editor.run_requested, timeout=1000):
        qtbot.keyClick(editor, Qt.Key.Key_Return, CTRL)


# -- text, cursor, marks -----------------------------------------------------------------------


def test_set_text_resets_undo_and_the_cursor(qtbot: QtBot, editor: CodeEditor) -> None:
    qtbot.keyClicks(editor, "old code")
    editor.set_error_lines({1})
    editor.set_text("new = 1\nmore = 2\n")
    assert editor.text() == "new = 1\nmore = 2\n"
    assert editor.textCursor().position() == 0
    assert not editor.document().isUndoAvailable()
    assert not editor.document().isModified()
    assert editor.error_lines() == frozenset()
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    assert editor.text() == "new = 1\nmore = 2\n"


def test_go_to_line_moves_the_cursor_and_lights_the_line(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("\n".join(f"x{i} = {i}" for i in range(1, 201)))
    editor._flash_timer.setInterval(50)  # the light goes out by itself (FLASH_MS in real use)
    editor.go_to_line(150, 3)
    cursor = editor.textCursor()
    assert cursor.blockNumber() == 149
    assert cursor.positionInBlock() == 3
    assert editor.firstVisibleBlock().blockNumber() > 100  # scrolled there (and centred)
    flash = editor._colours.flash_line
    lit = [s for s in editor.extraSelections() if s.format.background().color() == flash]
    assert [s.cursor.blockNumber() for s in lit] == [149]
    qtbot.waitUntil(lambda: len(editor.extraSelections()) == 1, timeout=2000)
    editor.go_to_line(10_000)  # clamped to the last line
    assert editor.textCursor().blockNumber() == 199


def test_error_lines_are_marked_and_cleared(editor: CodeEditor) -> None:
    editor.set_text("a = 1\nb = 1 / 0\nc = 3\n")
    editor.set_error_lines({2})
    assert editor.error_lines() == frozenset({2})
    red = editor._colours.error_line
    marked = [s for s in editor.extraSelections() if s.format.background().color() == red]
    assert [s.cursor.blockNumber() for s in marked] == [1]
    editor.grab()  # paints the gutter marker without raising
    editor.set_error_lines(set())
    assert all(s.format.background().color() != red for s in editor.extraSelections())


def test_gutter_grows_with_a_hundred_lines(editor: CodeEditor) -> None:
    editor.set_text("\n".join("pass" for _ in range(99)))
    narrow = editor.viewportMargins().left()
    assert narrow == editor.gutter_width() > 0
    editor.set_text("\n".join("pass" for _ in range(100)))
    assert editor.viewportMargins().left() > narrow


def test_monospace_font_and_four_space_tab_stops(editor: CodeEditor) -> None:
    assert editor.font().fixedPitch() or editor.fontInfo().fixedPitch()
    space = editor.fontMetrics().horizontalAdvance(" ")
    assert editor.tabStopDistance() == pytest.approx(4 * space, abs=1)


# -- highlighting ------------------------------------------------------------------------------


def test_keywords_strings_and_comments_get_different_formats(editor: CodeEditor) -> None:
    editor.set_text(SOFTMAX)  # no event loop turn needed: formats are there at once
    lines = SOFTMAX.splitlines()

    def at(line: int, word: str) -> str | None:
        return colour_at(editor, line, lines[line].index(word))

    keyword = at(4, "def")
    function = at(4, "softmax")
    builtin = at(4, "int")
    number = at(4, "1")
    decorator = at(3, "@functools")
    comment = at(9, "# shift")
    string = at(12, "bad input")
    assert keyword == style_colour(editor, "keyword")
    assert string == style_colour(editor, "string")
    colours = [keyword, function, builtin, number, decorator, comment, string]
    assert None not in colours and len(set(colours)) == len(colours)
    assert at(3, "cache") == decorator  # ".cache" belongs to the decorator
    assert format_at(editor, 10, lines[10].index("z")) is None  # a plain name stays plain


def test_a_docstring_is_coloured_on_every_line_it_spans(editor: CodeEditor) -> None:
    editor.set_text(SOFTMAX)
    docstring = style_colour(editor, "docstring")
    for line in (5, 7, 8):  # line 6 is blank
        block = editor.document().findBlockByNumber(line)
        assert colour_at(editor, line, len(block.text()) - 1) == docstring, line
    assert colour_at(editor, 9, 4) == style_colour(editor, "comment")  # after it: code again


def test_opening_a_triple_quote_recolours_the_lines_below(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("x = 1\ndef f():\n    return 2\n")
    keyword = style_colour(editor, "keyword")
    string = style_colour(editor, "string")
    assert colour_at(editor, 1, 0) == keyword
    put_cursor(editor, 0, 4)
    qtbot.keyClicks(editor, '"""')  # x = """1 ... the rest is a string now
    assert colour_at(editor, 1, 0) == string
    assert colour_at(editor, 2, 4) == string
    for _ in range(3):
        qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.text() == "x = 1\ndef f():\n    return 2\n"
    assert colour_at(editor, 1, 0) == keyword
    assert colour_at(editor, 2, 4) == keyword


def test_per_line_lexing_agrees_with_pygments_on_the_whole_text() -> None:
    """The highlighter lexes line by line; outside docstrings it must see what Pygments sees."""
    text = SOFTMAX.replace('"""Softmax', "'''Softmax").replace('finite.\n    """', "finite.'''")
    text += 'S = f"""multi {1 + 2}\nline\\t""" + r"raw\\d"  # done\n'
    lexer = PythonLexer()
    expected = [
        (index, ttype, value)
        for index, ttype, value in lexer.get_tokens_unprocessed(text)
        if "\n" not in value and value.strip()
    ]
    line_lexer = python_highlighter._LineLexer(lexer)
    state = python_highlighter._ROOT
    got = []
    offset = 0
    for line in text.split("\n")[:-1]:
        tokens, state = line_lexer.lex(line + "\n", state)
        got += [(offset + i, t, v) for i, t, v in tokens if "\n" not in v and v.strip()]
        offset += len(line) + 1
    # Pygments takes a docstring spanning lines as one token; everything else matches.
    assert [tok for tok in got if tok[1] not in String] == [
        tok for tok in expected if tok[1] not in String
    ]


def test_emoji_in_a_string_keeps_the_spans_aligned(editor: CodeEditor) -> None:
    editor.set_text('s = "\U0001f600 hi"  # done\nif s:\n    pass\n')
    comment_start = len('s = "\U0001f600 hi"  ') + 1  # Qt counts the emoji as two units
    assert colour_at(editor, 0, comment_start) == style_colour(editor, "comment")
    assert colour_at(editor, 0, comment_start - 3) == style_colour(editor, "string")


def test_dark_palette_switches_the_colours(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("def f():\n    return 'x'\n")
    light = colour_at(editor, 0, 0)
    palette = QPalette(editor.palette())
    palette.setColor(QPalette.ColorRole.Base, QColor("#1e1f22"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#dcdcdc"))
    editor.setPalette(palette)
    assert editor.highlighter.dark
    dark = colour_at(editor, 0, 0)
    assert dark == style_colour(editor, "keyword") != light
    assert QColor(dark).lightness() > QColor(light).lightness()


def test_a_300_line_file_highlights_quickly(editor: CodeEditor) -> None:
    body = SOFTMAX.splitlines()
    lines = [f"{line}  # {n}" if line.strip() else line for n, line in enumerate(body * 30)]
    text = "\n".join(lines[:300])
    editor.set_text("x = 1")  # warm-up: Pygments builds its tables once per process
    python_highlighter._LINE_CACHE.clear()  # cold: every line lexed anew
    start = time.perf_counter()
    editor.set_text(text)
    elapsed = time.perf_counter() - start
    assert editor.document().blockCount() == 300
    assert lines[298].startswith("def") and colour_at(editor, 298, 0) == style_colour(
        editor, "keyword"
    )
    assert elapsed < 0.25, f"{elapsed * 1000:.0f} ms"
    start = time.perf_counter()
    put_cursor(editor, 150, 0)
    editor.textCursor().insertText("y = 2\n")  # a key press re-lexes a line, not the file
    assert time.perf_counter() - start < 0.05


def test_highlighting_many_times_does_not_wear_out_none(editor: CodeEditor) -> None:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None on every void call (setFormat...);
    the app's start-up guard (or a release without the bug) keeps this loop from ending the
    process with "deallocating None"."""
    from studyapp.ui.qt_compat import guard_none_refcount

    guard_none_refcount()
    editor.set_text("\n".join(SOFTMAX.splitlines() * 20))
    for _ in range(20):
        editor.highlighter.rehighlight()
    assert sys.getrefcount(None) > 0
