"""Plain-text facts about a line of Python that the drill editor needs: columns in Qt's UTF-16
units, the code without its comment, the indentation, and where the next line's indentation goes.

No Qt here: the editor (:mod:`studyapp.ui.drills.code_editor`) and the highlighter
(:mod:`studyapp.ui.drills.python_highlighter`) both use these.
"""

from __future__ import annotations

import re

#: Spaces per indentation level (PEP 8).
INDENT = 4
INDENT_TEXT = " " * INDENT
#: A line starting with one of these ends its block, so the next line goes one level out.
DEDENT_AFTER = re.compile(r"(return|pass|break|continue|raise)\b")


def utf16_len(text: str) -> int:
    """Qt counts UTF-16 units: a character outside the BMP (an emoji) is two of them."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def index_from_utf16(text: str, units: int) -> int:
    """The Python index of the character at Qt column ``units`` of ``text``."""
    if text.isascii():
        return units
    seen = 0
    for index, char in enumerate(text):
        if seen >= units:
            return index
        seen += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def strip_comment(line: str) -> str:
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


def leading_whitespace(text: str) -> str:
    """The spaces and tabs a line starts with."""
    return text[: len(text) - len(text.lstrip(" \t"))]


def next_indent(text: str, before: str) -> str:
    """The indentation of the line Enter starts after ``before`` (the part of line ``text``
    left of the cursor): the same level, one more after ``:`` or an open bracket, one less
    after ``return``/``pass``/``break``/``continue``/``raise``."""
    indent = leading_whitespace(text)
    code = strip_comment(before).rstrip()
    if code.endswith((":", "(", "[", "{")):
        return indent + INDENT_TEXT
    if DEDENT_AFTER.match(code.lstrip()):
        return indent[: max(0, len(indent) - INDENT)]
    return indent
