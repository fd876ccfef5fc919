"""Translated exercise statements: ``README.<lang>.md`` beside ``README.md``.

Why code blocks must be byte-identical: a statement's signatures, worked examples and doctest
outputs are the contract the tests enforce. A translator who "fixes" a number or renames an
argument in one language silently gives half the learners a different exercise, so the checker
compares every fenced and indented code block with the English one and reports the first place
they part.

The block finder follows CommonMark closely enough for statements: ```` ``` ```` and ``~~~``
fences (a closing fence uses the same character, at least as many of them), indented blocks
(four columns past the enclosing list item's content, after a blank line or a heading, never
interrupting a paragraph), and list items whose indented continuation lines are prose, not code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["code_blocks", "statement_path", "translation_problems"]

_FENCE = re.compile(r"^(?P<indent> *)(?P<marker>`{3,}|~{3,})(?P<info>.*)$")
_LIST_ITEM = re.compile(r"^(?P<indent> *)(?P<marker>[-*+]|\d{1,9}[.)])(?P<gap> +|$)")
_HEADING = re.compile(r"^ {0,3}#{1,6}(\s|$)")


@dataclass(frozen=True, slots=True)
class _Block:
    line: int  # 1-based line of the block's first line (the opening fence for fenced blocks)
    text: str  # the block exactly as written, fences included


def statement_path(exercise_dir: Path, lang: str) -> Path:
    """The statement to show in ``lang``: its translation when there is one, else the English.

    English is the source of truth, so a missing translation falls back rather than failing:
    the learner still gets the exercise, and ``translation_problems`` reports the gap.
    """
    code = lang.strip().lower()
    if code and code != "en":
        translated = exercise_dir / f"README.{code}.md"
        if translated.is_file():
            return translated
    return exercise_dir / "README.md"


def code_blocks(markdown: str) -> list[str]:
    """Every fenced and indented code block, in order, each exactly as written."""
    return [block.text for block in _blocks(markdown)]


def _expand_tabs(line: str) -> str:
    """Leading tabs advance to the next multiple of four columns, as in CommonMark."""
    head = len(line) - len(line.lstrip(" \t"))
    return line[:head].expandtabs(4) + line[head:]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blocks(markdown: str) -> Iterator[_Block]:
    lines = markdown.splitlines()
    expanded = [_expand_tabs(line) for line in lines]
    lists: list[int] = []  # content columns of the open list items, innermost last
    prev_blank, prev_opens_block = True, True
    i = 0
    while i < len(lines):
        line = expanded[i]
        if not line.strip():
            prev_blank, prev_opens_block = True, True
            i += 1
            continue
        indent = _indent(line)
        if prev_blank:  # after a blank line, a shallower line closes the deeper list items
            while lists and indent < lists[-1]:
                lists.pop()
        base = lists[-1] if lists else 0
        fence = _FENCE.match(line)
        if fence and indent < base + 4 and not _bad_backtick_info(fence):
            end = _fence_end(expanded, i, fence)
            yield _Block(i + 1, "\n".join(lines[i : end + 1]))
            i, prev_blank, prev_opens_block = end + 1, False, True
            continue
        if indent >= base + 4 and prev_opens_block:
            end = _indented_end(expanded, i, base + 4)
            yield _Block(i + 1, "\n".join(lines[i : end + 1]))
            i, prev_blank, prev_opens_block = end + 1, False, False
            continue
        item = _LIST_ITEM.match(line)
        if item and indent < base + 4:
            while lists and indent < lists[-1]:
                lists.pop()
            lists.append(_content_column(item))
        prev_opens_block = bool(_HEADING.match(line))
        prev_blank = False
        i += 1


def _bad_backtick_info(fence: re.Match[str]) -> bool:
    """A backtick fence's info string may not contain a backtick (then it is inline code)."""
    return fence["marker"][0] == "`" and "`" in fence["info"]


def _fence_end(lines: list[str], start: int, fence: re.Match[str]) -> int:
    """Index of the closing fence line, or the last line when the fence is never closed."""
    marker = fence["marker"]
    for j in range(start + 1, len(lines)):
        stripped = lines[j].strip()
        if (
            _indent(lines[j]) < len(fence["indent"]) + 4
            and stripped.startswith(marker[0] * len(marker))
            and set(stripped) == {marker[0]}
        ):
            return j
    return len(lines) - 1


def _indented_end(lines: list[str], start: int, column: int) -> int:
    """Last line of an indented block: indented lines, with blank lines only between them."""
    end = start
    for j in range(start + 1, len(lines)):
        if not lines[j].strip():
            continue
        if _indent(lines[j]) < column:
            break
        end = j
    return end


def _content_column(item: re.Match[str]) -> int:
    """Where a list item's text starts; five or more spaces after the marker count as one."""
    gap = len(item["gap"])
    if gap == 0 or gap > 4:
        gap = 1
    return len(item["indent"]) + len(item["marker"]) + gap


def translation_problems(exercise_dir: Path, languages: Iterable[str] = ("ru",)) -> list[str]:
    """One line per problem with the translated statements of one exercise folder.

    A problem is a missing or empty translation, a different number of code blocks, or a code
    block that differs from the English one; each line names the file and the first place where
    it parts from README.md, so the author can jump straight there.
    """
    english_path = exercise_dir / "README.md"
    english, problem = _read(english_path)
    if problem:
        return [problem]
    english_blocks = list(_blocks(english))
    problems = []
    for lang in languages:
        code = lang.strip().lower()
        if code == "en":
            continue
        path = exercise_dir / f"README.{code}.md"
        if not path.is_file():
            problems.append(f"{path}: missing (the {code!r} translation of README.md)")
            continue
        text, problem = _read(path)
        if problem:
            problems.append(problem)
            continue
        problems.extend(_compare(path, list(_blocks(text)), english_blocks))
    return problems


def _read(path: Path) -> tuple[str, str | None]:
    """The file's text, or a message naming it when it cannot be read or is empty."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return "", f"{path}: missing"
    except UnicodeDecodeError as exc:
        return "", f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
    except OSError as exc:
        return "", f"{path}: cannot read: {exc.strerror or exc}"
    if not text.strip():
        return "", f"{path}: empty"
    return text, None


def _compare(path: Path, translated: list[_Block], english: list[_Block]) -> list[str]:
    ours, theirs = [b.text for b in translated], [b.text for b in english]
    if len(ours) != len(theirs):
        pairs = enumerate(zip(ours, theirs, strict=False))
        first = next((k for k, (t, e) in pairs if t != e), min(len(ours), len(theirs)))
        return [
            f"{path}: {len(ours)} code blocks, README.md has {len(theirs)}; "
            f"the first that differs is block {first + 1} "
            f"({_where(first, translated, english)})"
        ]
    return [
        f"{path}:{t.line}: code block {k + 1} differs from README.md:{e.line} "
        f"({_first_line_difference(t.text, e.text)})"
        for k, (t, e) in enumerate(zip(translated, english, strict=True))
        if t.text != e.text
    ]


def _where(index: int, translated: list[_Block], english: list[_Block]) -> str:
    parts = []
    if index < len(translated):
        parts.append(f"line {translated[index].line} here")
    else:
        parts.append("missing here")
    if index < len(english):
        parts.append(f"README.md:{english[index].line}")
    else:
        parts.append("not in README.md")
    return ", ".join(parts)


def _first_line_difference(translated: str, english: str) -> str:
    """The first line of the block where the two texts part, quoted from both."""
    ours, theirs = translated.split("\n"), english.split("\n")
    for j in range(max(len(ours), len(theirs))):
        mine = ours[j] if j < len(ours) else None
        original = theirs[j] if j < len(theirs) else None
        if mine != original:
            return f"its line {j + 1}: {_show(mine)} here, {_show(original)} in README.md"
    return "they differ in line endings or trailing whitespace"


def _show(line: str | None) -> str:
    if line is None:
        return "nothing"
    return repr(line if len(line) <= 70 else line[:67] + "...")
