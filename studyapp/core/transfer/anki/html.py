"""Anki's field HTML to StudyApp card Markdown.

Why Markdown and not the HTML as it is: StudyApp cards are Markdown that people read and edit,
and Anki's editor leaves a lot of noise (``<div>`` per line, ``&nbsp;``, inline styles). The
simple structure (line breaks, bold, italics, lists, links, code, headings, tables) is turned
into Markdown; everything else keeps its text. Pictures become ``![alt](name)`` with the media
file's name (percent-encoded where it has spaces or brackets), which the renderer looks up in
the data folder's media folder.

Anki's MathJax delimiters ``\\(…\\)`` and ``\\[…\\]`` (and the old ``[$]``, ``[$$]`` and
``[latex]`` tags) become our ``$…$`` and ``$$…$$``; every ``$`` of ordinary text is escaped so it
is never read as maths, and so are the characters Markdown would otherwise take as markup.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from typing import Final
from urllib.parse import quote

__all__ = ["CardText", "html_to_markdown"]

_VOID: Final = frozenset({"br", "img", "hr", "wbr", "input", "meta", "link", "col", "source"})
_DROPPED: Final = frozenset({"style", "script", "head", "title", "template", "noscript", "object"})
_BLOCKS: Final = frozenset(
    {"div", "p", "section", "article", "header", "footer", "center", "figure", "li", "dd", "dt"}
)
# Private-use characters mark what the serialiser has already finished (placeholders) and the
# block/line breaks it has still to lay out; they are removed from the input first.
_PLACE_OPEN: Final = "\ue000"
_PLACE_CLOSE: Final = "\ue001"
_BLOCK: Final = "\ue002"
_LINE: Final = "\ue003"
_PARA: Final = "\ue004"
_BLOCK_OPEN: Final = "\ue005"  # opens the placeholder of a list, code block, table…
_MARKERS: Final = re.compile("([\ue002-\ue004])")
_OURS: Final = re.compile("[\ue000-\ue005\ue010]")
_PLACEHOLDER: Final = re.compile("[\ue000\ue005](\\d+)\ue001")
_MATH: Final = re.compile(
    r"\\\((.*?)\\\)|\[\$\](.*?)\[/\$\]"  # inline: MathJax \(…\), old LaTeX [$]…[/$]
    r"|\\\[(.*?)\\\]|\[\$\$\](.*?)\[/\$\$\]|\[latex\](.*?)\[/latex\]",  # display
    re.S | re.I,
)
#: A [latex] body that is itself one $…$ or $$…$$ formula.
_DOLLARS: Final = re.compile(r"\$\$?([^$]*)\$?\$")
_SOUND: Final = re.compile(r"\[sound:[^\]]*\]")
_TAG: Final = re.compile(r"<[^>]*>")
_SPACES: Final = re.compile(r"[ \t\r\n\f\xa0]+")
_ENTITY_LIKE: Final = re.compile(r"&(?=#?\w+;)")
_TAG_LIKE: Final = re.compile(r"<(?=[A-Za-z/!?])")
_LINE_START: Final = re.compile(r"(#|>|~~~|[-+*](?= |$)|\d+(?=[.)]( |$))|=+$|-+$)")
_LANGUAGE: Final = re.compile(r"\b(?:language|lang)-([\w+#-]+)")
_SAFE_URL: Final = re.compile(r"(?:https?|mailto):", re.I)
#: Characters kept as they are in a picture's name inside ``![](…)``.
_NAME_SAFE: Final = "!$&'*+,;=:@-._~"


@dataclass(slots=True)
class CardText:
    """A card side as Markdown, with the media files it shows and what could not be kept."""

    markdown: str
    images: list[str] = field(default_factory=list)
    warnings: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """A forgiving HTML tree: unclosed tags end with their parent, stray end tags are ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root", {})
        self._stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {name: value or "" for name, value in attrs})
        if tag in ("li", "tr", "td", "th", "p") and self._stack[-1].tag == tag:
            self._stack.pop()  # "<li>a<li>b": the second item closes the first
        self._stack[-1].children.append(node)
        if tag not in _VOID:
            self._stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack[-1].children.append(_Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._stack) - 1, 0, -1):
            if self._stack[depth].tag == tag:
                del self._stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._stack[-1].children.append(data)


def _tex(raw: str) -> str:
    """The TeX inside Anki's delimiters: what MathJax would see (markup gone, entities read)."""
    return _SPACES.sub(" ", html.unescape(_TAG.sub(" ", raw))).strip()


#: In plain text: Markdown's and our maths' markup characters; "_" unless inside a word
#: (snake_case stays readable, Markdown ignores it there); "\\" before punctuation or at the end.
_ESCAPED: Final = re.compile(r"[*`\[\]$|]|(?<![^\W_])_|_(?![^\W_])|\\(?=[!-/:-@\[-`{-~]|$)")


def _escape_text(text: str) -> str:
    """Escape what Markdown (or our maths) would take as markup in a piece of plain text."""
    escaped = _ESCAPED.sub(lambda m: "\\" + m.group(), text)
    escaped = _ENTITY_LIKE.sub("&amp;", escaped)
    return _TAG_LIKE.sub("&lt;", escaped)


def _escape_line_start(line: str) -> str:
    """Escape a line that Markdown would read as a heading, list, quote or heading underline."""
    match = _LINE_START.match(line)
    if match is None:
        return line
    if line.startswith(">"):
        return "&gt;" + line[1:]
    if line[0].isdigit():
        end = match.end()
        return line[:end] + "\\" + line[end:]
    if line[0] in "=~":  # not escapable in Markdown: an entity instead
        return f"&#{ord(line[0])};" + line[1:]
    return "\\" + line


class _Serialiser:
    """Walks the tree; finished Markdown (maths, code, lists…) waits in placeholders."""

    def __init__(self) -> None:
        self.finished: list[str] = []  # placeholder index -> finished Markdown
        self.images: list[str] = []
        self.warnings: set[str] = set()

    # -- placeholders ----------------------------------------------------------------------

    def place(self, markdown: str, *, block: bool = False) -> str:
        self.finished.append(markdown)
        opening = _BLOCK_OPEN if block else _PLACE_OPEN
        return f"{opening}{len(self.finished) - 1}{_PLACE_CLOSE}"

    def restore(self, text: str) -> str:
        while _PLACEHOLDER.search(text):
            text = _PLACEHOLDER.sub(lambda m: self.finished[int(m.group(1))], text)
        return text

    # -- layout ----------------------------------------------------------------------------

    def block(self, node: _Node, *, tight: bool = False) -> str:
        """The Markdown of ``node``'s children as a sequence of blocks (placeholders kept)."""
        inline = self.inline(node.children)
        return self.layout(inline, tight=tight)

    def layout(self, inline: str, *, tight: bool = False) -> str:
        """Turn the break markers into Markdown lines, escaping what each line starts with.

        ``<br>`` always ends a line, so two in a row leave an empty line: a paragraph break. A
        block (``<div>``) ends a line only if something is on it, as in a browser. Lists, code
        and tables are paragraphs of their own, as Markdown needs; in a ``tight`` list item
        they follow on the next line instead (a blank line there would end the list).
        """
        lines: list[str | None] = []  # None: a paragraph break
        current = ""
        for token in _MARKERS.split(inline):
            if token == _LINE:
                lines.append(current)
                current = ""
            elif token == _BLOCK:
                if current.strip():
                    lines.append(current)
                current = ""
            elif token == _PARA:
                if current.strip():
                    lines.append(current)
                lines.append(None)
                current = ""
            else:
                current += token
        if current.strip():
            lines.append(current)
        out: list[str] = []
        gap = ""
        for line in lines:
            text = _SPACES.sub(" ", line).strip() if line is not None else ""
            if not text:
                if out:
                    gap = "\n\n"
                continue
            if out:
                if tight and gap and (text[0] == _BLOCK_OPEN or out[-1][0] == _BLOCK_OPEN):
                    gap = "\n"
                out.append(gap or "  \n")
            out.append(_escape_line_start(text))
            gap = ""
        return "".join(out)

    # -- inline content --------------------------------------------------------------------

    def inline(self, children: list[_Node | str]) -> str:
        return "".join(self.node(child) for child in children)

    def node(self, node: _Node | str) -> str:
        if isinstance(node, str):
            return self.text(node)
        tag = node.tag
        if tag in _DROPPED:
            return ""
        if tag == "br":
            return _LINE
        if tag in ("b", "strong"):
            return self.emphasis(node, "**")
        if tag in ("i", "em"):
            return self.emphasis(node, "*")
        if tag in ("u", "ins", "sub", "sup", "del", "s", "strike"):
            inner = self.inline(node.children)
            if tag in ("u", "ins"):
                return inner  # Markdown has no underline; the text stays
            name = "del" if tag in ("s", "strike") else tag
            return f"<{name}>{inner}</{name}>" if inner.strip() else inner
        if tag == "img":
            return self.image(node)
        if tag == "a":
            return self.link(node)
        if tag == "code":
            return self.code_span(_plain_text(node))
        if tag == "pre":
            return _PARA + self.place(self.code_block(node), block=True) + _PARA
        if tag in ("ul", "ol"):
            return _PARA + self.place(self.listing(node), block=True) + _PARA
        if tag == "table":
            return _PARA + self.place(self.table(node), block=True) + _PARA
        if tag == "blockquote":
            body = self.restore(self.block(node))
            quoted = "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))
            return _PARA + self.place(quoted, block=True) + _PARA
        if re.fullmatch(r"h[1-6]", tag):
            text = _SPACES.sub(" ", self.inline(node.children).replace(_LINE, " ")).strip()
            text = _MARKERS.sub(" ", text)
            return _PARA + self.place(f"{'#' * int(tag[1])} {text}") + _PARA if text else ""
        if tag == "hr":
            return _PARA + self.place("* * *", block=True) + _PARA
        if tag == "p":
            return _PARA + self.inline(node.children) + _PARA
        if tag in _BLOCKS:
            return _BLOCK + self.inline(node.children) + _BLOCK
        return self.inline(node.children)  # span, font and the rest: their text only

    def text(self, text: str) -> str:
        pieces = re.split(r"(\ue000\d+\ue001)", text)  # maths placeholders pass through
        return "".join(
            piece if _PLACEHOLDER.fullmatch(piece) else _escape_text(piece) for piece in pieces
        )

    def emphasis(self, node: _Node, marker: str) -> str:
        inner = self.inline(node.children)
        # Markdown needs the markers right against the text: "**a **" is no bold.
        if _MARKERS.search(inner):
            return inner  # bold across lines: keep the text, lose the weight
        stripped = _SPACES.sub(" ", inner)
        core = stripped.strip()
        if not core:
            return stripped
        lead = " " if stripped[0] == " " else ""
        trail = " " if stripped[-1] == " " else ""
        return f"{lead}{marker}{core}{marker}{trail}"

    def image(self, node: _Node) -> str:
        src = node.attrs.get("src", "").strip()
        alt = _SPACES.sub(" ", node.attrs.get("alt", "")).strip()
        if not src or "/" in src or "\\" in src or src.startswith("data:"):
            if src:
                self.warnings.add(
                    f"picture {src[:60]!r} left out: only pictures inside the package are shown"
                )
            return self.text(alt)
        if src not in self.images:
            self.images.append(src)
        label = alt.replace("\\", "").replace("[", "").replace("]", "")
        return self.place(f"![{label}]({quote(src, safe=_NAME_SAFE)})")

    def link(self, node: _Node) -> str:
        text = self.inline(node.children)
        href = node.attrs.get("href", "").strip()
        if not _SAFE_URL.match(href) or _MARKERS.search(text) or not text.strip():
            return text
        return f"[{text.strip()}]({href.replace(' ', '%20').replace(')', '%29')})"

    def code_span(self, code: str) -> str:
        code = code.replace("\n", " ")
        if not code.strip():
            return self.text(code)
        fence = "`"
        while fence in code:
            fence += "`"
        pad = " " if code.startswith("`") or code.endswith("`") else ""
        return self.place(f"{fence}{pad}{code}{pad}{fence}")

    def code_block(self, node: _Node) -> str:
        """A fenced block, with the language that highlighters put in the class, if any."""
        code = _plain_text(node).strip("\n")
        fence = "```"
        while fence in code:
            fence += "`"
        classes = [node.attrs.get("class", "")]
        classes += [c.attrs.get("class", "") for c in node.children if isinstance(c, _Node)]
        language = next(filter(None, map(_LANGUAGE.search, classes)), None)
        info = language.group(1) if language else ""
        return f"{fence}{info}\n{code}\n{fence}"

    def listing(self, node: _Node) -> str:
        """A Markdown list; stray text or tags between the items become items of their own."""
        items: list[str] = []
        for child in node.children:
            if isinstance(child, _Node) and child.tag == "li":
                body = self.block(child, tight=True)
            else:
                body = self.layout(self.node(child), tight=True)
            body = self.restore(body)
            if not body.strip():
                continue
            marker = f"{len(items) + 1}. " if node.tag == "ol" else "- "
            lines = body.split("\n")
            indented = [lines[0]] + [f"    {line}" if line else "" for line in lines[1:]]
            items.append(marker + "\n".join(indented))
        return "\n".join(items)

    def table(self, node: _Node) -> str:
        rows: list[list[str]] = []

        def collect(parent: _Node) -> None:
            for child in parent.children:
                if isinstance(child, _Node) and child.tag == "tr":
                    cells = [
                        self.cell(cell)
                        for cell in child.children
                        if isinstance(cell, _Node) and cell.tag in ("td", "th")
                    ]
                    rows.append(cells)
                elif isinstance(child, _Node) and child.tag in ("thead", "tbody", "tfoot"):
                    collect(child)

        collect(node)
        if not rows:  # no rows: keep whatever text it has
            return self.restore(self.block(node))
        width = max(len(row) for row in rows) or 1
        rows = [row + [""] * (width - len(row)) for row in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        return "\n".join(lines)

    def cell(self, cell: _Node) -> str:
        inner = _MARKERS.sub(" ", self.inline(cell.children))
        return _SPACES.sub(" ", self.restore(inner)).strip().replace("\n", " ")


def _plain_text(node: _Node) -> str:
    """The text of ``node`` as code: <br> and blocks are newlines, &nbsp; is a space."""
    out: list[str] = []

    def walk(current: _Node | str) -> None:
        if isinstance(current, str):
            out.append(current.replace("\xa0", " "))
            return
        if current.tag in _DROPPED:
            return
        if current.tag == "br":
            out.append("\n")
            return
        if current.tag in _BLOCKS and out and not out[-1].endswith("\n"):
            out.append("\n")
        for child in current.children:
            walk(child)

    walk(node)
    return "".join(out)


def html_to_markdown(source: str) -> CardText:
    """Convert one card side from Anki HTML to Markdown (see the module docstring)."""
    markdown, images, warnings = _convert(source)
    return CardText(markdown, list(images), set(warnings))


@lru_cache(maxsize=1024)
def _convert(source: str) -> tuple[str, tuple[str, ...], frozenset[str]]:
    """Cached: a reversed card's sides, and a cloze note's cards, repeat the same HTML."""
    warnings: set[str] = set()
    source = _OURS.sub("", source)
    if _SOUND.search(source):
        warnings.add("sounds ([sound:…]) are not supported and were left out")
        source = _SOUND.sub("", source)
    serialiser = _Serialiser()

    def cut_math(match: re.Match[str]) -> str:
        index = next(i for i, group in enumerate(match.groups()) if group is not None)
        tex = _tex(match.group(index + 1))
        if index == 4:  # [latex]: a LaTeX body, usually one formula in dollars
            dollars = _DOLLARS.fullmatch(tex)
            if dollars is None and "$" in tex:
                return serialiser.place(tex)  # text with its own $…$ formulas
            tex = dollars.group(1).strip() if dollars else tex
        if not tex:
            return ""
        # "$" inside TeX would end our formula early; MathJax users write \$ there anyway.
        tex = re.sub(r"(?<!\\)\$", r"\\$", tex)
        return serialiser.place(f"$${tex}$$" if index >= 2 else f"${tex}$")

    source = _MATH.sub(cut_math, source)
    if "<" in source or "&" in source:
        builder = _TreeBuilder()
        builder.feed(source)
        builder.close()
        root = builder.root
    else:  # plain text (most fields): no parser needed
        root = _Node("root", {}, [source])
    markdown = serialiser.restore(serialiser.block(root)).strip()
    warnings |= serialiser.warnings
    return markdown, tuple(serialiser.images), frozenset(warnings)
