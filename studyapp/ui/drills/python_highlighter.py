"""Python highlighting for the drill editor: Pygments' ``PythonLexer``, one line at a time.

A key press re-lexes one line, and the lines below only while their start state keeps changing
(see :class:`PythonHighlighter`); lexed lines are cached across editors.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
    Whitespace,
    _TokenType,
)
from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from studyapp.ui.drills.python_text import utf16_len

__all__ = ["PythonHighlighter"]

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
_Token = tuple[int, _TokenType, str]
#: Pygments' processed rule: (pattern.match, action, new state); actions and states vary.
_Rule = tuple[Callable[[str, int], re.Match[str] | None], Any, Any]

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
_STYLE_CACHE: dict[_TokenType, str | None] = {}


def _state_id(state: tuple[str, ...]) -> int:
    found = _STATE_IDS.get(state)
    if found is None:
        found = _STATE_IDS[state] = len(_STATES)
        _STATES.append(state)
    return found


def _style_of(ttype: _TokenType) -> str | None:
    try:
        return _STYLE_CACHE[ttype]
    except KeyError:
        style = next((name for parent, name in _TOKEN_STYLES if ttype in parent), None)
        _STYLE_CACHE[ttype] = style
        return style


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
    spans: list[_Span] = []

    def add(start: int, length: int, style: str) -> None:
        last = spans[-1] if spans else None
        if last is not None and last[2] == style and last[0] + last[1] == start:
            spans[-1] = (last[0], last[1] + length, style)  # one setFormat for a run of a style
        elif length > 0:
            spans.append((start, length, style))

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


def _to_utf16(text: str, spans: list[_Span]) -> tuple[_Span, ...]:
    if text.isascii():
        return tuple(spans)
    return tuple(
        (utf16_len(text[:start]), utf16_len(text[start : start + length]), style)
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
        document: QTextDocument,
        parent: QObject | None = None,
        *,
        dark: bool = False,
    ) -> None:
        # Owned by ``parent`` (the editor), else by the document, as with Qt's own constructor.
        super().__init__(parent if parent is not None else document)
        self._dark = dark
        self._formats = self._make_formats(dark)
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
