"""Anki card templates and cloze deletions, rendered to HTML for one card side.

Why our own renderer: an Anki note is only fields; the question and answer a learner saw come
from the note type's templates (``{{Front}}``, ``{{#Field}}…{{/Field}}``, ``{{cloze:Text}}``…).
StudyApp stores finished card texts, so an import has to render each card once. This is a small
Mustache-like renderer written from Anki's public template documentation; it covers the stock
note types and degrades gracefully (with a warning) on what it does not know.

Output is still Anki-style HTML (fields are HTML); :mod:`studyapp.core.transfer.anki.html` turns it
into card text afterwards.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

__all__ = [
    "CardContext",
    "Template",
    "TemplateError",
    "cloze_numbers",
    "has_content",
    "parse_template",
    "render_cloze",
]

#: Stands for {{FrontSide}} in an answer until the question is known, so the caller can cut it.
FRONT_SIDE: Final = "\ue010"
_TAG: Final = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_HTML_TAG: Final = re.compile(r"<[^>]*>")
_CLOZE_OPEN: Final = re.compile(r"\{\{c(\d+)::")
#: Filters whose output only makes sense inside Anki (text-to-speech): dropped.
_DROPPED_FILTERS: Final = frozenset({"tts", "tts-voices"})
#: Ruby readings ("漢字[かんじ]"), for the Japanese support filters.
_RUBY: Final = re.compile(r" ?([^ >\[]+)\[([^\]]+)\]")


class TemplateError(ValueError):
    """A template that cannot be parsed (an unclosed or mismatched ``{{#…}}`` section)."""


@dataclass(frozen=True, slots=True)
class _Text:
    text: str


@dataclass(frozen=True, slots=True)
class _Replace:
    field: str
    filters: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Section:
    field: str
    inverted: bool
    body: tuple[_Text | _Replace | _Section, ...]


@dataclass(slots=True)
class CardContext:
    """What a template can refer to besides fields; ``warnings`` collects what was skipped."""

    fields: Mapping[str, str]
    cloze_ord: int | None = None  # the active cloze number (1-based) on a cloze card
    answer: bool = False
    tags: str = ""
    notetype: str = ""
    deck: str = ""
    card_name: str = ""
    warnings: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Template:
    """A parsed template; parse once per note type, render once per card side."""

    nodes: tuple[_Text | _Replace | _Section, ...]

    def render(self, context: CardContext) -> str:
        out: list[str] = []
        _render(self.nodes, context, out)
        return "".join(out)


def parse_template(source: str) -> Template:
    """Parse ``source``; raises :class:`TemplateError` for unbalanced sections."""
    stack: list[tuple[str, bool, list[_Text | _Replace | _Section]]] = [("", False, [])]
    position = 0
    for match in _TAG.finditer(source):
        if match.start() > position:
            stack[-1][2].append(_Text(source[position : match.start()]))
        position = match.end()
        inner = match.group(1).strip()
        if inner[:1] in ("#", "^"):
            stack.append((inner[1:].strip(), inner[0] == "^", []))
        elif inner[:1] == "/":
            name = inner[1:].strip()
            if len(stack) == 1 or stack[-1][0] != name:
                raise TemplateError(f"{{{{/{name}}}}} closes a section that is not open")
            opened, inverted, body = stack.pop()
            stack[-1][2].append(_Section(opened, inverted, tuple(body)))
        elif inner:
            *filters, name = inner.split(":")
            stack[-1][2].append(_Replace(name.strip(), tuple(f.strip() for f in filters)))
    if len(stack) > 1:
        raise TemplateError(f"{{{{#{stack[-1][0]}}}}} is never closed")
    if position < len(source):
        stack[0][2].append(_Text(source[position:]))
    return Template(tuple(stack[0][2]))


def has_content(value: str) -> bool:
    """Whether a field counts as filled: visible text or a picture (Anki ignores bare markup)."""
    if "<img" in value.lower():
        return True
    return bool(html.unescape(_HTML_TAG.sub("", value)).replace("\xa0", " ").strip())


def _special(name: str, context: CardContext) -> str | None:
    if name == "Tags":
        return html.escape(context.tags.strip())
    if name == "Type":
        return html.escape(context.notetype)
    if name == "Deck":
        return html.escape(context.deck)
    if name == "Subdeck":
        return html.escape(context.deck.rsplit("::", 1)[-1])
    if name in ("Card", "CardFlag"):
        return html.escape(context.card_name) if name == "Card" else ""
    return None


def _render(
    nodes: tuple[_Text | _Replace | _Section, ...], context: CardContext, out: list[str]
) -> None:
    for node in nodes:
        if isinstance(node, _Text):
            out.append(node.text)
        elif isinstance(node, _Section):
            value = context.fields.get(node.field)
            if value is None:
                value = _special(node.field, context)  # {{#Tags}}…{{/Tags}}
            if value is None and _CLOZE_SECTION.fullmatch(node.field):
                # {{#c1}}…{{/c1}}: shown on the card of that cloze number
                filled = context.cloze_ord == int(node.field[1:])
            else:
                filled = value is not None and has_content(value)
            if filled != node.inverted:
                _render(node.body, context, out)
        else:
            out.append(_replacement(node, context))


_CLOZE_SECTION: Final = re.compile(r"c\d+")


def _replacement(node: _Replace, context: CardContext) -> str:
    if node.field == "FrontSide" and not node.filters:
        return FRONT_SIDE if context.answer else ""
    value = context.fields.get(node.field)
    if value is None:
        value = _special(node.field, context)
        if value is None:
            context.warnings.add(f"template refers to a missing field {{{{{node.field}}}}}")
            return ""
    if node.filters and node.filters[0] == "type":
        # the typing box: nothing on the question; the answer shows what was to be typed
        if not context.answer:
            return ""
        if "cloze" in node.filters:
            return _cloze_only(value, context.cloze_ord or 0)
        return value
    for name in reversed(node.filters):  # {{a:b:Field}} applies b first, then a
        if name in _DROPPED_FILTERS:
            return ""
        if name == "cloze":
            value = render_cloze(value, context.cloze_ord or 0, answer=context.answer)
        elif name == "text":
            value = html.escape(html.unescape(_HTML_TAG.sub("", value)), quote=False)
        elif name == "hint":
            value = f"<i>Hint: {value}</i>" if has_content(value) else ""
        elif name == "kanji":
            value = _RUBY.sub(r"\1", value)
        elif name == "kana":
            value = _RUBY.sub(r"\2", value)
        elif name == "furigana":
            value = _RUBY.sub(r"\1 (\2)", value)
        elif name == "cloze-only":
            value = _cloze_only(value, context.cloze_ord or 0)
        else:
            context.warnings.add(f"template filter {name!r} is not supported; its text is kept")
    return value


# -- cloze deletions --------------------------------------------------------------------------


@dataclass(slots=True)
class _Cloze:
    number: int
    parts: list[str | _Cloze]


def _parse_cloze(text: str) -> list[str | _Cloze]:
    """Split ``text`` into plain pieces and (possibly nested) ``{{cN::…}}`` deletions."""
    root: list[str | _Cloze] = []
    stack: list[_Cloze] = []
    position = 0
    while position < len(text):
        opening = _CLOZE_OPEN.search(text, position)
        closing = text.find("}}", position) if stack else -1
        target = stack[-1].parts if stack else root
        if closing != -1 and (opening is None or closing < opening.start()):
            target.append(text[position:closing])
            done = stack.pop()
            (stack[-1].parts if stack else root).append(done)
            position = closing + 2
        elif opening is not None:
            target.append(text[position : opening.start()])
            cloze = _Cloze(int(opening.group(1)), [])
            stack.append(cloze)
            position = opening.end()
        else:
            target.append(text[position:])
            break
    while stack:  # an unclosed deletion: keep its text as it was typed
        cloze = stack.pop()
        target = stack[-1].parts if stack else root
        target.append(f"{{{{c{cloze.number}::")
        target.extend(cloze.parts)
    return [part for part in root if part != ""]


def cloze_numbers(text: str) -> set[int]:
    """Every cloze number used in ``text`` (each is one card)."""
    found: set[int] = set()

    def walk(parts: list[str | _Cloze]) -> None:
        for part in parts:
            if isinstance(part, _Cloze):
                found.add(part.number)
                walk(part.parts)

    walk(_parse_cloze(text))
    return found


def _split_hint(parts: list[str | _Cloze]) -> tuple[list[str | _Cloze], str | None]:
    """``{{c1::answer::hint}}``: the hint follows the first "::" at this cloze's own level."""
    for index, part in enumerate(parts):
        if isinstance(part, str) and "::" in part:
            before, hint = part.split("::", 1)
            rest = "".join(p for p in parts[index + 1 :] if isinstance(p, str))
            return [*parts[:index], before], hint + rest
    return parts, None


def _flatten(parts: list[str | _Cloze], active: int, answer: bool) -> str:
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        body, hint = _split_hint(part.parts)
        if part.number != active:
            out.append(_flatten(body, active, answer))
        elif answer:
            out.append(f"<b>{_flatten(body, active, answer)}</b>")
        else:
            out.append(f"<b>[{hint if hint is not None else '...'}]</b>")
    return "".join(out)


def render_cloze(text: str, active: int, *, answer: bool) -> str:
    """Cloze ``active`` hidden as ``[...]``/``[hint]`` (question) or shown in bold (answer)."""
    return _flatten(_parse_cloze(text), active, answer)


def _cloze_only(text: str, active: int) -> str:
    """``{{cloze-only:Text}}``: just the active deletions' texts, comma-separated."""
    found: list[str] = []

    def walk(parts: list[str | _Cloze]) -> None:
        for part in parts:
            if isinstance(part, _Cloze):
                body, _ = _split_hint(part.parts)
                if part.number == active:
                    found.append(_flatten(body, active, True))
                walk(part.parts)

    walk(_parse_cloze(text))
    return ", ".join(found)
