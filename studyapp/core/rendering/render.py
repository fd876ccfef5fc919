"""Card Markdown to sanitised HTML that QTextBrowser can show.

Why this shape: QTextBrowser understands an HTML4/CSS2 subset, no JavaScript and no MathML, so code
is coloured by Pygments with inline styles and TeX is drawn to PNG ``data:`` images by
:mod:`studyapp.core.rendering.math_render`. Decks come from other people, so the final HTML goes
through nh3 with an allow-list: no scripts, no event handlers, no ``javascript:`` links and no
remote resources (the app must never touch the network, not even to fetch an image).

Images: besides formulas, a card may show a picture from the data folder's media folder (where
imports put them), referenced by its bare file name, ``![](name.png)`` or ``<img src="name.png">``.
The name must be a plain file name in that folder (no ``/``, ``..`` or scheme) and the file is
inlined as a ``data:`` URI, so QTextBrowser never opens a path or URL itself.

Maths is cut out of the text *before* Markdown runs, so ``_`` and ``*`` inside TeX are not read
as emphasis; fenced code blocks, indented code blocks and inline code spans are skipped, so a
``$`` in code stays literal. Dollar rules follow pandoc: ``\\$`` is a literal dollar, an opening
``$`` must not be followed by whitespace, and a closing ``$`` must not follow whitespace nor be
followed by a digit, so "costs $5 and $6" stays text.

Bounded work: cards are rendered on the database thread, and some of Python-Markdown's parsing
is quadratic (20 KB of "[" took about a minute). A side that is too long, nests too deep or would
make Markdown rescan too much (see :func:`plain_text_reason`) is shown escaped as plain text under
a line saying why, and at most MAX_FORMULAS formulas are drawn per side.
"""

from __future__ import annotations

import base64
import html
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Final
from urllib.parse import unquote

import markdown
import nh3
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import find_lexer_class_by_name
from pygments.styles import get_style_by_name
from pygments.token import Token
from pygments.util import ClassNotFound

from studyapp.core.rendering.math_render import MathError, MathRenderer

if TYPE_CHECKING:
    from pygments.lexer import Lexer

__all__ = [
    "DARK",
    "LIGHT",
    "MAX_FORMULAS",
    "MAX_FORMULA_CHARS",
    "PLAIN_TEXT_FROM",
    "Renderer",
    "Theme",
    "plain_text_reason",
    "theme_for",
]


@dataclass(frozen=True)
class Theme:
    """Colours for one palette (hashable, so derived CSS can be cached per theme)."""

    dark: bool
    text: str
    background: str
    muted: str
    code_background: str
    link: str
    pygments_style: str


#: Every token colour of "xcode" reaches WCAG AA (>= 4.5:1) on this code background.
LIGHT: Final = Theme(
    dark=False,
    text="#1d1d1f",
    background="#ffffff",
    muted="#6e6e73",
    code_background="#f5f5f7",
    link="#0066cc",
    pygments_style="xcode",
)
#: GitHub's dark palette; "github-dark" was designed for it (comments 5.6:1 on the code colour).
DARK: Final = Theme(
    dark=True,
    text="#e6edf3",
    background="#0d1117",
    muted="#8b949e",
    code_background="#161b22",
    link="#58a6ff",
    pygments_style="github-dark",
)

_FRAGMENT_CACHE_SIZE: Final = 128
#: A card side this long is shown as plain text: a few of Python-Markdown's inline patterns are
#: quadratic ("*a " runs: about 1 s at 20,000 characters), and a side that long is not a flash
#: card (the longest bundled side has about 1,000 characters, a drill statement 3,400).
PLAIN_TEXT_FROM: Final = 10_000
#: Formulas drawn per card side, and their total TeX; the rest is shown as TeX. Drawing one
#: takes up to a few tens of milliseconds, so this bounds the first showing of a hostile card.
MAX_FORMULAS: Final = 50
MAX_FORMULA_CHARS: Final = 4000
#: Bound on the scanning Markdown would do (see _markdown_work): Python-Markdown rescans to the
#: end of the paragraph for every unclosed "[" or "](" and the HTML parser for every unclosed
#: tag, so 20 KB of "[" took about a minute. This budget keeps the worst case near 0.2 s.
_MAX_MARKDOWN_WORK: Final = 200_000
#: Plain text shown for a side over the limits is cut here (a deck file may hold megabytes).
_PLAIN_TEXT_SHOWN: Final = 100_000
_WARNING_LIGHT: Final = "#b3261e"
_WARNING_DARK: Final = "#ff7b72"
_MONOSPACE: Final = '"Menlo", "Consolas", "DejaVu Sans Mono", "Liberation Mono", monospace'


def theme_for(dark: bool) -> Theme:
    """The built-in palette for a light or dark window."""
    return DARK if dark else LIGHT


class Renderer:
    """Renders card Markdown to sanitised HTML for QTextBrowser (HTML4/CSS2 subset).

    One instance can be shared: the Markdown parser is reused between calls (creating it costs
    more than converting a card) and calls are serialised by a lock.

    ``media_dir`` is where images named in cards are looked up. ``export=True`` makes HTML for
    another app (an Anki package): formulas stay TeX as MathJax ``\\(…\\)`` / ``\\[…\\]``, which
    Anki and AnkiDroid typeset themselves (sharp at any size, in their night mode too, and
    still editable), and images keep their file names, since the package carries the files.
    """

    def __init__(
        self,
        math: MathRenderer | None = None,
        *,
        media_dir: Path | None = None,
        export: bool = False,
    ) -> None:
        self._math = math if math is not None or export else MathRenderer()
        self._media_dir = Path(media_dir) if media_dir is not None else None
        self._export = export
        self._lock = threading.Lock()
        # State of the conversion in progress, read by the Markdown extension below.
        self._theme = LIGHT
        self._display_placeholders: set[str] = set()
        self._formulas = 0  # formulas met, TeX characters met and formulas not drawn, in this
        self._formula_chars = 0  # conversion (see MAX_FORMULAS)
        self._skipped_formulas = 0
        self._md = self._new_markdown()
        # Revealing an answer renders the question again, and so does a theme switch.
        self._fragments: OrderedDict[tuple[str, Theme], tuple[str, tuple[str, ...]]] = OrderedDict()

    def _new_markdown(self) -> markdown.Markdown:
        return markdown.Markdown(extensions=["tables", "sane_lists", _CardExtension(self)])

    def markdown_to_html(self, text: str, theme: Theme) -> str:
        """An HTML fragment for ``text``, sanitised (safe to show whatever the deck contains)."""
        return self._render(text, theme)[0]

    def limits(self, text: str, theme: Theme = LIGHT) -> tuple[str, ...]:
        """Why ``text`` is not shown in full as written (empty for an ordinary card side).

        The deck checker reports these, so that an author learns of them before a learner.
        """
        return self._render(text, theme)[1]

    def _render(self, text: str, theme: Theme) -> tuple[str, tuple[str, ...]]:
        key = (text, theme)
        with self._lock:
            cached = self._fragments.get(key)
            if cached is not None:
                self._fragments.move_to_end(key)
                return cached
            self._theme = theme
            fragment, limits = self._convert(text, theme)
            if _MEDIA_IMG.search(fragment):
                # Pictures depend on the media folder, which an import changes: not cached.
                return self._resolve_media(fragment), limits
            self._fragments[key] = (fragment, limits)
            if len(self._fragments) > _FRAGMENT_CACHE_SIZE:
                self._fragments.popitem(last=False)
            return fragment, limits

    def _convert(self, text: str, theme: Theme) -> tuple[str, tuple[str, ...]]:
        """Markdown to sanitised HTML, or the text escaped when Markdown would take too long.

        Every side costs bounded work: a side over the limits of :func:`plain_text_reason` is
        never given to Markdown, and the formulas drawn are capped, so no single card can hold
        the database thread (where cards are rendered) for more than a moment.
        """
        reason = plain_text_reason(text)
        if reason is None:
            self._display_placeholders = set()
            self._formulas = self._formula_chars = self._skipped_formulas = 0
            self._md.reset()
            try:
                fragment = _sanitise(self._md.convert(text))
            except Exception as exc:  # any failure shows the text as it is, never a crash
                # The parser keeps state (an open list) that reset() does not clear.
                self._md = self._new_markdown()
                reason = (
                    "it is nested too deeply to format"
                    if isinstance(exc, RecursionError)
                    else f"Markdown failed on it ({type(exc).__name__})"
                )
            else:
                skipped = self._skipped_formulas
                return fragment, (_formulas_skipped(skipped),) if skipped else ()
            finally:
                self._display_placeholders = set()
        return _plain_text_html(text, reason, theme), (f"shown as plain text: {reason}",)

    def card_document(self, question: str, answer: str | None, theme: Theme) -> str:
        """A whole HTML document: the question and, unless ``answer`` is None, an <hr> and it."""
        parts = [f'<div class="question">\n{self.markdown_to_html(question, theme)}\n</div>']
        if answer is not None:
            parts.append("<hr>")
            parts.append(f'<div class="answer">\n{self.markdown_to_html(answer, theme)}\n</div>')
        body = "\n".join(parts)
        return (
            '<html><head><meta charset="utf-8">'
            f'<style type="text/css">\n{self.stylesheet(theme)}\n</style>'
            f"</head><body>\n{body}\n</body></html>"
        )

    def stylesheet(self, theme: Theme) -> str:
        """The CSS for :meth:`card_document`, Pygments' style definitions included."""
        return _stylesheet(theme)

    def _resolve_media(self, fragment: str) -> str:
        """Inline each ``<img src="name">`` from the media folder (kept as a name for export)."""

        def resolve(match: re.Match[str]) -> str:
            name = html.unescape(match.group("src"))
            path = self._media_path(name)
            if path is not None and self._export:
                return match.group(0)
            image = _read_image(path) if path is not None else None
            if image is not None:
                mime, data = image
                uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
                return match.group(0).replace(match.group("attr"), f' src="{uri}"', 1)
            what = "not found" if path is None else "too large or not an image"
            colour = self._theme.muted
            return f'<span style="color: {colour}">[{html.escape(name)}: {what}]</span>'

        return _MEDIA_IMG.sub(resolve, fragment)

    def _media_path(self, name: str) -> Path | None:
        """The file ``name`` names in the media folder, or None (also for any path trickery)."""
        folder = self._media_dir
        if folder is None or not _MEDIA_NAME.fullmatch(name) or name.startswith("."):
            return None
        for candidate in dict.fromkeys((name, unquote(name))):  # "my%20pic.png" too
            path = folder / candidate
            if path.is_file() and path.resolve().parent == folder.resolve():
                return path
        return None

    # -- used by the Markdown extension ------------------------------------------------------

    def _code_html(self, code: str, language: str) -> str:
        return _highlight(code, language, self._theme)

    def _math_placeholder(self, md: markdown.Markdown, tex: str, display: bool) -> str:
        placeholder = md.htmlStash.store(self._math_html(tex, display))
        if display:
            self._display_placeholders.add(placeholder)
        return placeholder

    def _math_html(self, tex: str, display: bool) -> str:
        theme = self._theme
        if self._export or self._math is None:
            opening, closing = ("\\[", "\\]") if display else ("\\(", "\\)")
            inner = f"{opening}{html.escape(tex, quote=False)}{closing}"
            return f'<p style="text-align: center">{inner}</p>' if display else inner
        self._formulas += 1
        self._formula_chars += len(tex)
        try:
            if self._formulas > MAX_FORMULAS or self._formula_chars > MAX_FORMULA_CHARS:
                self._skipped_formulas += 1
                raise MathError(tex, _formulas_skipped(1))
            image = self._math.render(tex, display=display, color=theme.text)
        except MathError as exc:
            delimiter = "$$" if display else "$"
            tip = html.escape(f"could not render: {exc.reason}")
            warning = _WARNING_DARK if theme.dark else _WARNING_LIGHT
            inner = (
                f'<span class="math-error" style="color: {warning}" title="{tip}">'
                "⚠ could not render</span> "
                f'<code title="{tip}">{html.escape(delimiter + tex + delimiter)}</code>'
            )
        else:
            inner = (
                f'<img src="{image.data_uri()}" width="{image.width}" height="{image.height}"'
                f' style="vertical-align: middle" alt="{html.escape(tex)}">'
            )
        return f'<p style="text-align: center">{inner}</p>' if display else inner


# -- Markdown extension: code blocks and maths ------------------------------------------------


class _CardExtension(Extension):
    """Hooks the code-and-maths preprocessor and the display-maths postprocessor into Markdown."""

    def __init__(self, renderer: Renderer) -> None:
        super().__init__()
        self._renderer = renderer

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After normalize_whitespace (30: line endings, tabs) and before html_block (20), so
        # that a "<" in TeX is never read as raw HTML. Python-Markdown's fenced_code uses 25.
        md.preprocessors.register(_CodeMathPreprocessor(md, self._renderer), "studyapp_code", 25)
        # Before raw_html (30), which swaps the placeholders for the stored HTML.
        md.postprocessors.register(
            _DisplayMathPostprocessor(md, self._renderer), "studyapp_display_math", 35
        )


_FENCE_OPEN: Final = re.compile(r"(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>.*)")
_LIST_ITEM: Final = re.compile(r" *(?:[-*+]|\d{1,9}[.)])(?: |$)")


class _CodeMathPreprocessor(Preprocessor):
    """Replaces fenced code blocks by highlighted HTML and TeX by images (as stash placeholders).

    Indented code blocks are left for Markdown but are not searched for maths either.
    """

    def __init__(self, md: markdown.Markdown, renderer: Renderer) -> None:
        super().__init__(md)
        self._renderer = renderer

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        text: list[str] = []  # prose lines not yet searched for maths

        def flush_text() -> None:
            if text:
                out.extend(_extract_math("\n".join(text), self._store_math).split("\n"))
                text.clear()

        in_indented_code = False
        i = 0
        while i < len(lines):
            line = lines[i]
            indent = len(line) - len(line.lstrip(" "))
            blank = not line.strip()
            if in_indented_code and (blank or indent >= 4):
                out.append(line)
                i += 1
                continue
            in_indented_code = False
            previous_blank = i == 0 or not lines[i - 1].strip()
            if not blank and indent >= 4 and previous_blank:
                in_list = _in_list_item(lines, i)
                if not in_list or indent >= 8:
                    flush_text()
                    in_indented_code = True
                    out.append(line)
                    i += 1
                    continue
            fence = _FENCE_OPEN.fullmatch(line)
            if fence and not (fence["fence"][0] == "`" and "`" in fence["info"]):
                in_list = indent > 0 and _in_list_item(lines, i)
                if indent < 4 or in_list:
                    flush_text()
                    i = self._fenced_block(lines, i, fence, in_list, out)
                    continue
            text.append(line)
            i += 1
        flush_text()
        return out

    def _fenced_block(
        self, lines: list[str], start: int, fence: re.Match[str], in_list: bool, out: list[str]
    ) -> int:
        """Stash one fenced block's HTML; returns the index of the line after the block."""
        indent = len(fence["indent"])
        marker = fence["fence"]
        closing = re.compile(rf" *{re.escape(marker[0])}{{{len(marker)},}} *")
        end = start + 1
        while end < len(lines) and not closing.fullmatch(lines[end]):
            end += 1  # an unclosed fence runs to the end of the card, as in CommonMark
        body = [_dedent(line, indent) for line in lines[start + 1 : end]]
        words = fence["info"].strip().split()
        language = words[0].strip("{}").lstrip(".") if words else ""
        placeholder = self.md.htmlStash.store(self._renderer._code_html("\n".join(body), language))
        if in_list:  # stays inside the list item; blank lines would end it
            out.append(" " * indent + placeholder)
        else:  # a paragraph of its own, so that raw_html puts the <pre> outside any <p>
            out.extend(["", placeholder, ""])
        return end + 1

    def _store_math(self, tex: str, display: bool) -> str:
        return self._renderer._math_placeholder(self.md, tex, display)


class _DisplayMathPostprocessor(Postprocessor):
    """Lifts display maths out of the paragraph around it, and trims code blocks' last newline.

    A display formula is a paragraph of its own (``<p style="text-align: center">``); when the
    author wrote it inside running text, that paragraph is split around it rather than nested.
    """

    def __init__(self, md: markdown.Markdown, renderer: Renderer) -> None:
        super().__init__(md)
        self._renderer = renderer

    def run(self, text: str) -> str:
        # Markdown's indented code blocks end with "\n", which Qt shows as an empty shaded line.
        text = text.replace("\n</code></pre>", "</code></pre>")
        placeholders = self._renderer._display_placeholders
        if not placeholders:
            return text
        splitter = re.compile("(" + "|".join(map(re.escape, placeholders)) + ")")

        def split(match: re.Match[str]) -> str:
            inner = match.group(1)
            if not splitter.search(inner):
                return match.group(0)
            pieces = []
            for piece in splitter.split(inner):
                if piece in placeholders:
                    pieces.append(piece)  # raw_html puts the centred <p> here
                elif piece.strip():
                    pieces.append(f"<p>{piece.strip()}</p>")
            return "\n".join(pieces)

        return re.sub(r"<p>(.*?)</p>", split, text, flags=re.DOTALL)


def _dedent(line: str, indent: int) -> str:
    stripped = line.lstrip(" ")
    return line[min(indent, len(line) - len(stripped)) :]


def _in_list_item(lines: list[str], index: int) -> bool:
    """Whether line ``index`` continues a list item (looking back over indented lines)."""
    for k in range(index - 1, -1, -1):
        line = lines[k]
        if not line.strip():
            continue
        if _LIST_ITEM.match(line):
            return True
        if not line.startswith(" "):
            return False
    return False


# -- maths extraction -------------------------------------------------------------------------

_SPECIAL: Final = re.compile(r"[\\`$]")
_PARAGRAPH_BREAK: Final = re.compile(r"\n[ \t]*\n")
_BACKTICKS: Final = re.compile(r"`+")


def _extract_math(text: str, store: Callable[[str, bool], str]) -> str:
    """Replace ``$…$`` and ``$$…$$`` in prose by ``store(tex, display)``; code spans are kept.

    ``\\$`` becomes a literal ``$``. A formula never crosses a blank line (a paragraph break).
    """
    out: list[str] = []
    i, n = 0, len(text)
    limit = -1  # end of the paragraph around i, found lazily (cards may be long)
    while i < n:
        special = _SPECIAL.search(text, i)
        if special is None:
            out.append(text[i:])
            break
        j = special.start()
        out.append(text[i:j])
        char = text[j]
        if char == "\\":
            if text.startswith("\\$", j):
                out.append("$")
            else:  # keep Markdown's own escapes (\\, \`, \*, ...) for Markdown
                out.append(text[j : j + 2])
            i = j + 2
            continue
        if j >= limit:
            limit = _paragraph_end(text, j)
        if char == "`":
            run = _BACKTICKS.match(text, j)
            assert run is not None
            end = _code_span_end(text, run.end(), len(run.group()), limit)
            out.append(text[j:end])
            i = end
            continue
        if text.startswith("$$", j):
            close = _find_dollars(text, j + 2, limit, display=True)
            if close is not None and text[j + 2 : close].strip():
                out.append(store(text[j + 2 : close], True))
                i = close + 2
            else:
                out.append("$$")
                i = j + 2
            continue
        close = None
        if j + 1 < n and not text[j + 1].isspace():
            close = _find_dollars(text, j + 1, limit, display=False)
        if close is not None:
            out.append(store(text[j + 1 : close], False))
            i = close + 1
        else:
            out.append("$")
            i = j + 1
    return "".join(out)


def _paragraph_end(text: str, pos: int) -> int:
    match = _PARAGRAPH_BREAK.search(text, pos)
    return match.start() if match else len(text)


def _code_span_end(text: str, after_open: int, length: int, limit: int) -> int:
    """End of the code span opened by ``length`` backticks, or just past an unmatched run."""
    for run in _BACKTICKS.finditer(text, after_open, limit):
        if len(run.group()) == length:
            return run.end()
    return after_open


def _find_dollars(text: str, start: int, limit: int, *, display: bool) -> int | None:
    """Index of the closing ``$``/``$$`` at or after ``start`` and before ``limit``, or None."""
    k = start
    while k < limit:
        char = text[k]
        if char == "\\":
            k += 2
            continue
        if char == "$":
            if display:
                return k if text.startswith("$$", k) and k + 1 < limit else None
            # As in pandoc, the first "$" decides: "$5 and $6" is no formula, and neither is
            # "$2$3" (a closing "$" before a digit).
            if text[k - 1].isspace() or (k + 1 < len(text) and text[k + 1].isdigit()):
                return None
            return k
        k += 1
    return None


# -- bounding the work ------------------------------------------------------------------------

#: What makes Markdown scan ahead: brackets, parentheses (a link's "](" ), tag openers,
#: paragraph breaks (inline scanning stops there) and backslash escapes (which it skips).
_SCANNED: Final = re.compile(r"\\.|[\[\]()]|<[A-Za-z/!?]|\n[ \t]*\n")


#: "1. 1. 1. …" nests a list per marker and ">>>…" a quote per ">": thousands of them exhaust
#: Python-Markdown's recursion (caught, but late) or take seconds, so such a line is refused.
_MAX_NESTING: Final = 32
_DEEP_NESTING: Final = re.compile(
    rf"^[ \t]*(?:(?:>|(?:[-*+]|\d{{1,9}}[.)])[ \t])[ \t]*){{{_MAX_NESTING + 1},}}", re.MULTILINE
)


def plain_text_reason(text: str) -> str | None:
    """Why the renderer shows ``text`` as plain text instead of formatting it (None: it does not).

    The deck checker reports the same reason, so an author learns it before a learner does.
    """
    if len(text) >= PLAIN_TEXT_FROM:
        return f"it has {len(text):,} characters (formatted up to {PLAIN_TEXT_FROM - 1:,})"
    markers = sum(map(text.count, "-*+>.)"))  # counting is much cheaper than searching
    if markers > _MAX_NESTING and _DEEP_NESTING.search(text):
        return f"it nests more than {_MAX_NESTING} lists or quotes on one line"
    # Every opener costs at most the text's length: most sides are cleared without the model.
    openers = text.count("[") + text.count("](") + text.count("<")
    work = 0 if openers * len(text) <= _MAX_MARKDOWN_WORK else _markdown_work(text)
    if work > _MAX_MARKDOWN_WORK:
        return (
            "it has too many unclosed or nested '[', '](' or '<' to format "
            f"(about {work:,} characters to scan, more than {_MAX_MARKDOWN_WORK:,})"
        )
    return None


def _markdown_work(text: str) -> int:
    """Characters Python-Markdown would scan looking for closing brackets and tag ends.

    Modelled on its inline parser: every "[" (and every "(" right after "]") is scanned up to
    its partner, or to the end of the paragraph when it has none. Every tag opener ("<a", "<!")
    is charged the rest of the text, since the HTML parser's look-ahead can run through quoted
    values and other tags. Linear in the text, and cheap: only the characters above are visited.
    """
    work = 0
    tags = tag_positions = 0
    brackets: list[int] = []
    parens: list[tuple[int, bool]] = []
    for match in _SCANNED.finditer(text):
        char, pos = match.group()[0], match.start()
        if char == "[":
            brackets.append(pos)
        elif char == "]":
            work += pos - brackets.pop() if brackets else 0
        elif char == "(":
            parens.append((pos, pos > 0 and text[pos - 1] == "]"))
        elif char == ")" and parens:
            start, link = parens.pop()
            work += pos - start if link else 0
        elif char == "<":
            tags += 1
            tag_positions += pos
        elif char == "\n":  # a paragraph break: what is still open was scanned to here
            work += _unclosed(brackets, parens, pos)
            brackets, parens = [], []
    work += _unclosed(brackets, parens, len(text))
    return work + tags * len(text) - tag_positions


def _unclosed(brackets: list[int], parens: list[tuple[int, bool]], end: int) -> int:
    starts = brackets + [start for start, link in parens if link]
    return len(starts) * end - sum(starts)


def _formulas_skipped(count: int) -> str:
    return (
        f"{count} formula{'s' if count > 1 else ''} not drawn: a card side draws at most "
        f"{MAX_FORMULAS} formulas and {MAX_FORMULA_CHARS:,} characters of TeX"
    )


def _plain_text_html(text: str, reason: str, theme: Theme) -> str:
    """``text`` escaped, paragraphs and line breaks kept, under a line saying why."""
    warning = _WARNING_DARK if theme.dark else _WARNING_LIGHT
    shown = text[:_PLAIN_TEXT_SHOWN]
    paragraphs = [
        "<p>" + "<br>".join(html.escape(line) for line in block.split("\n")) + "</p>"
        for block in _PARAGRAPH_BREAK.split(shown.strip())
        if block.strip()
    ]
    if len(text) > len(shown):
        paragraphs.append(f"<p>… ({len(text) - len(shown):,} more characters)</p>")
    note = (
        f'<p class="render-limit" style="color: {warning}">'
        f"⚠ Shown as plain text: {html.escape(reason)}.</p>"
    )
    return "\n".join([note, *paragraphs])


# -- code highlighting ------------------------------------------------------------------------


@lru_cache(maxsize=128)
def _lexer_class(language: str) -> type[Lexer] | None:
    """Cached: an unknown name makes Pygments scan its plugin entry points every time."""
    if not language:
        return None
    try:
        return find_lexer_class_by_name(language.lower())
    except ClassNotFound:
        return None


@lru_cache(maxsize=16)
def _formatter(style_name: str) -> HtmlFormatter:
    # Inline styles, not classes: they survive sanitising and need no stylesheet in Qt.
    return HtmlFormatter(nowrap=True, noclasses=True, style=style_name)


@lru_cache(maxsize=16)
def _code_text_colour(theme: Theme) -> str:
    """The colour of plain tokens, which Pygments leaves unstyled; the theme's text if unset."""
    colour = get_style_by_name(theme.pygments_style).style_for_token(Token.Text)["color"]
    return f"#{colour}" if colour else theme.text


@lru_cache(maxsize=256)
def _highlight(code: str, language: str, theme: Theme) -> str:
    """A ``<pre>`` block; without a known language the code is shown plain."""
    code = code.strip("\n")
    lexer_class = _lexer_class(language)
    if lexer_class is None:
        body = html.escape(code, quote=False)
    else:
        lexer = lexer_class(stripnl=False, ensurenl=False)
        body = highlight(code, lexer, _formatter(theme.pygments_style))
        # Pygments may still end on a newline, which Qt shows as an extra empty shaded line.
        body = re.sub(r"\n((?:</span>)*)\Z", r"\1", body)
    return (
        f'<pre class="highlight" style="background-color: {theme.code_background};'
        f' color: {_code_text_colour(theme)}">{body}</pre>'
    )


# -- stylesheet -------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _stylesheet(theme: Theme) -> str:
    defs = HtmlFormatter(style=theme.pygments_style).get_style_defs(".highlight")
    # Only the token rules: Pygments' "pre { line-height: 125% }" makes Qt paint every code
    # line as a separate band, and the line-number rules are unused.
    pygments_css = "\n".join(line for line in defs.splitlines() if line.startswith(".highlight"))
    code_text = _code_text_colour(theme)
    warning = _WARNING_DARK if theme.dark else _WARNING_LIGHT
    ours = f"""
body {{ color: {theme.text}; background-color: {theme.background}; font-size: 16px; }}
.question {{ font-size: 18px; }}
p {{ margin-top: 0px; margin-bottom: 10px; }}
a {{ color: {theme.link}; }}
h1, h2, h3, h4, h5, h6 {{ margin-top: 12px; margin-bottom: 8px; }}
pre {{ font-family: {_MONOSPACE}; background-color: {theme.code_background}; color: {code_text};
      margin-top: 6px; margin-bottom: 10px; white-space: pre; }}
code {{ font-family: {_MONOSPACE}; background-color: {theme.code_background}; }}
pre code {{ background-color: transparent; }}
table {{ border-collapse: collapse; border-color: {theme.muted}; margin-bottom: 10px; }}
th, td {{ border: 1px solid {theme.muted}; padding: 4px 8px; }}
th {{ background-color: {theme.code_background}; font-weight: bold; }}
blockquote {{ color: {theme.muted}; margin-left: 16px; }}
hr {{ background-color: {theme.muted}; color: {theme.muted}; }}
.math-error {{ color: {warning}; }}
"""
    # Ours last, so that for equal selectors our colours win over the Pygments style's.
    return f"{pygments_css}\n{ours.strip()}\n"


# -- sanitising -------------------------------------------------------------------------------

_TAGS: Final = frozenset(
    {
        "a", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "img", "li", "ol", "p", "pre", "span", "strong", "sub", "sup", "table",
        "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_ATTRIBUTES: Final = {
    "a": {"href", "title"},
    "img": {"src", "width", "height", "style", "alt", "title"},
    "span": {"style", "class", "title"},
    "div": {"style", "class"},
    "p": {"style"},
    "pre": {"style", "class"},
    "code": {"class", "title"},
    "th": {"style", "colspan", "rowspan"},
    "td": {"style", "colspan", "rowspan"},
    "ol": {"start"},
}
#: Everything else in a style attribute (background-image, position, ...) is dropped.
_STYLE_PROPERTIES: Final = frozenset(
    {
        "background-color", "color", "font-family", "font-size", "font-style", "font-weight",
        "text-align", "text-decoration", "vertical-align", "white-space",
    }
)  # fmt: skip
#: Qt draws cell borders from these attributes more reliably than from CSS.
_TABLE_ATTRIBUTES: Final = {"table": {"border": "1", "cellspacing": "0", "cellpadding": "4"}}
_DATA_PNG: Final = re.compile(r"data:image/png;base64,[A-Za-z0-9+/]+={0,2}")
_LINK: Final = re.compile(r"\s*(?:https?|mailto):", re.IGNORECASE)
_STYLE_BANNED: Final = ("url(", "expression(", "\\", "@")
#: An <img> as nh3 writes it: attribute values always double-quoted, '"' escaped inside them.
_IMG_TAG: Final = re.compile(r'<img((?:\s+[^\s"\'>/=]+(?:="[^"]*")?)*)\s*/?>')
_SRC_ATTRIBUTE: Final = re.compile(r'(?:^|\s)src="')
_EMPTY_PARAGRAPH: Final = re.compile(r"<p>\s*</p>\n?")
#: A media file's name as a card may give it: one plain file name, no folder, drive or scheme.
_MEDIA_NAME: Final = re.compile(r"[^/\\:\x00-\x1f<>\"]+")
#: An <img> (after sanitising) whose src is not inline data, i.e. names a media file.
_MEDIA_IMG: Final = re.compile(r'<img\b[^>]*?(?P<attr>\ssrc="(?P<src>(?!data:)[^"]*)")[^>]*>')
#: Bigger pictures are not inlined into the card (they would bloat every render).
MEDIA_MAX_BYTES: Final = 5 * 1024 * 1024
_IMAGE_TYPES: Final = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
)


def _read_image(path: Path) -> tuple[str, bytes] | None:
    """(MIME type, bytes) of a raster image no bigger than the cap; None otherwise.

    The type comes from the file's first bytes, never from its name; SVG is refused (it can
    carry scripts and links).
    """
    try:
        if path.stat().st_size > MEDIA_MAX_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", data
    for magic, mime in _IMAGE_TYPES:
        if data.startswith(magic):
            return mime, data
    return None


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """nh3 callback for what its allow-lists cannot say; must never raise."""
    if attribute == "src":  # inline PNG data, or a media file's bare name: nothing is fetched
        ok = _DATA_PNG.fullmatch(value) or (
            _MEDIA_NAME.fullmatch(value) and not value.startswith(".")
        )
        return value if tag == "img" and ok else None
    if attribute == "href":  # no data:, file:, javascript: or relative links
        return value if _LINK.match(value) else None
    if attribute == "style":
        lowered = value.lower()
        return None if any(banned in lowered for banned in _STYLE_BANNED) else value
    return value


_CLEANER: Final = nh3.Cleaner(
    tags=set(_TAGS),
    clean_content_tags={"script", "style", "title", "noscript", "template", "textarea"},
    attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
    attribute_filter=_filter_attribute,
    link_rel=None,
    url_schemes={"http", "https", "mailto", "data"},
    # Relative URLs reach _filter_attribute, which lets through only media names in <img src>.
    url_relative="pass_through",
    filter_style_properties=set(_STYLE_PROPERTIES),
    set_tag_attribute_values=_TABLE_ATTRIBUTES,
)


def _sanitise(fragment: str) -> str:
    """nh3 with the allow-lists above, then drop the <img>s whose src was refused."""
    cleaned = _CLEANER.clean(fragment)
    cleaned = _IMG_TAG.sub(
        lambda m: m.group(0) if _SRC_ATTRIBUTE.search(m.group(1)) else "", cleaned
    )
    # Paragraphs emptied by sanitising (or by html5ever closing a <p> early) would still take
    # up a line in Qt.
    return _EMPTY_PARAGRAPH.sub("", cleaned).strip()
