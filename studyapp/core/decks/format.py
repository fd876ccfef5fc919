"""Parser for the Markdown deck format described in ``decks/README.md``.

Why hand-written and line-based: every problem must be reported as ``file:line``, a malformed card
must be skipped without losing the rest of the deck, and headings inside fenced code must stay
code. A generic Markdown parser gives none of these.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = [
    "MAX_DECK_BYTES",
    "CardSpec",
    "CardText",
    "DeckLoad",
    "DeckProblem",
    "DeckReadError",
    "DeckSpec",
    "deck_files",
    "load_decks",
    "parse_deck",
    "parse_deck_text",
    "read_deck_text",
]

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_LANG = re.compile(r"^[a-z]{2}$")
_SECTION = re.compile(r"^###\s+([QA])(?:\s+([A-Za-z]+))?\s*$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_HEADER_KEYS = {"title", "description", "tags", "language", "translations", "factual"}
_LOCALISED_HEADER_KEYS = {"title", "description"}
_CARD_KEYS = {"tags", "source", "factual"}
_YES_NO = {"yes": True, "no": False}
#: The largest deck file read: the bundled decks are a few hundred kilobytes each.
MAX_DECK_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class DeckProblem:
    """One problem in a deck file, shown to authors as ``file:line: message``."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class CardText:
    """A card's question and answer in one language (Markdown)."""

    front: str
    back: str


@dataclass(frozen=True, slots=True)
class CardSpec:
    """A card as written in a deck file; ``texts`` starts with the deck's primary language."""

    id: str
    texts: dict[str, CardText]
    tags: tuple[str, ...]
    source: str | None
    path: Path
    line: int
    #: A factual card states a checkable fact and must name its source (the default).
    factual: bool = True

    @property
    def primary(self) -> CardText:
        return next(iter(self.texts.values()))

    def text(self, language: str) -> CardText:
        """The text in ``language``, falling back to the deck's primary language."""
        return self.texts.get(language, self.primary)

    def content_hash(self) -> str:
        """A digest of everything the author wrote, so a sync can skip unchanged cards."""
        h = hashlib.sha256()
        for lang, t in self.texts.items():
            h.update(f"{lang}\0{t.front}\0{t.back}\0".encode())
        h.update(("\0".join(self.tags) + f"\0{self.source or ''}").encode())
        return h.hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class DeckSpec:
    """A parsed deck file."""

    key: str
    path: Path
    title: str
    description: str
    tags: tuple[str, ...]
    language: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    cards: tuple[CardSpec, ...]
    #: Languages every card must also be written in (the checker enforces it).
    translations: tuple[str, ...] = ()


@dataclass
class DeckLoad:
    """The result of loading deck folders: the decks that loaded and every problem found."""

    decks: list[DeckSpec] = field(default_factory=list)
    problems: list[DeckProblem] = field(default_factory=list)

    def clean_deck_keys(self) -> set[str]:
        """Keys of decks whose files had no problem at all (safe to retire missing cards)."""
        dirty = {p.path for p in self.problems}
        return {d.key for d in self.decks if d.path not in dirty}


def _split_tags(value: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in value.split(",") if t.strip())


def _parse_header(
    lines: list[str], path: Path, problems: list[DeckProblem]
) -> tuple[dict[str, str], int] | None:
    """Return the header's fields and the index of the first line after it, or None if fatal."""
    if not lines or lines[0].strip() != "---":
        problems.append(DeckProblem(path, 1, "the file must start with a '---' header block"))
        return None
    fields: dict[str, str] = {}
    fatal = False
    for i in range(1, len(lines)):
        raw = lines[i].strip()
        if raw == "---":
            if "title" not in fields:
                problems.append(DeckProblem(path, 1, "the header has no 'title'"))
                fatal = True
            return None if fatal else (fields, i + 1)
        if not raw or raw.startswith("#"):
            continue
        key, sep, value = raw.partition(":")
        key, value = key.strip(), value.strip()
        base, dot, lang = key.partition(".")
        if not sep or not value:
            problems.append(DeckProblem(path, i + 1, f"expected 'key: value', got {raw!r}"))
            fatal = True
        elif dot and (base not in _LOCALISED_HEADER_KEYS or not _LANG.match(lang)):
            problems.append(DeckProblem(path, i + 1, f"unknown header key {key!r}"))
            fatal = True
        elif not dot and key not in _HEADER_KEYS:
            allowed = ", ".join(sorted(_HEADER_KEYS))
            problems.append(DeckProblem(path, i + 1, f"unknown header key {key!r} ({allowed})"))
            fatal = True
        elif key in fields:
            problems.append(DeckProblem(path, i + 1, f"header key {key!r} is given twice"))
            fatal = True
        else:
            fields[key] = value
    problems.append(DeckProblem(path, 1, "the header's closing '---' is missing"))
    return None


def _card_blocks(lines: list[str], start: int) -> Iterator[tuple[int, list[str]] | int]:
    """Yield (heading line index, body lines) per card, or the index of stray text.

    Fence-aware: a ``## `` line inside a fenced code block does not start a card.
    """
    fence: str | None = None
    current: tuple[int, list[str]] | None = None
    for i in range(start, len(lines)):
        line = lines[i]
        m = _FENCE.match(line)
        if m:
            marker = m.group(1)
            if fence is None:
                fence = marker
            elif (
                marker[0] == fence[0]
                and len(marker) >= len(fence)
                and not line.strip()[len(marker) :].strip()
            ):
                fence = None
        if fence is None and line.startswith("## "):
            if current is not None:
                yield current
            current = (i, [])
            continue
        if current is None:
            if line.strip():
                yield i
            continue
        current[1].append(line)
    if current is not None:
        yield current


@dataclass
class _CardBody:
    """A card's lines read into its metadata and its ``### Q`` / ``### A`` sections."""

    meta: dict[str, str] = field(default_factory=dict)
    #: (Q or A, language) -> the section's lines.
    sections: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    #: (Q or A, language) -> the line number of the section's heading.
    section_lines: dict[tuple[str, str], int] = field(default_factory=dict)
    ok: bool = True


def _parse_card(
    card_id: str,
    heading_index: int,
    body: list[str],
    path: Path,
    language: str,
    deck_tags: tuple[str, ...],
    deck_factual: bool,
    problems: list[DeckProblem],
) -> CardSpec | None:
    heading_line = heading_index + 1
    if not _ID.match(card_id):
        problems.append(
            DeckProblem(
                path,
                heading_line,
                f"card id {card_id!r} must be lowercase letters, digits, '-', '_' or '.'",
            )
        )
        return None
    read = _read_card_body(card_id, heading_line, body, path, language, problems)
    texts = _card_texts(card_id, heading_line, read, path, language, problems)
    if not read.ok or texts is None:
        return None
    meta = read.meta
    factual = _YES_NO.get(meta.get("factual", "yes" if deck_factual else "no"))
    if factual is None:
        problems.append(
            DeckProblem(path, heading_line, f"card {card_id!r}: 'factual:' must be yes or no")
        )
        return None
    tags = deck_tags + tuple(t for t in _split_tags(meta.get("tags", "")) if t not in deck_tags)
    return CardSpec(card_id, texts, tags, meta.get("source"), path, heading_line, factual)


def _read_card_body(
    card_id: str,
    heading_line: int,
    body: list[str],
    path: Path,
    language: str,
    problems: list[DeckProblem],
) -> _CardBody:
    """Split a card's lines into ``key: value`` metadata and its sections (a ``###`` inside a
    code fence is code, not a section); every line that is neither is a problem."""
    read = _CardBody()
    current: list[str] | None = None
    fence: str | None = None
    fence_line = 0
    for offset, line in enumerate(body):
        lineno = heading_line + 1 + offset
        m = _FENCE.match(line)
        if m and current is not None:
            marker = m.group(1)
            if fence is None:
                fence, fence_line = marker, lineno
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
        section = _SECTION.match(line) if fence is None else None
        if section:
            kind, lang = section.group(1), (section.group(2) or language)
            if not _LANG.match(lang):
                problems.append(DeckProblem(path, lineno, f"bad language code {lang!r}"))
                read.ok = False
                current = None
                continue
            where = (kind, lang)
            if where in read.sections:
                problems.append(DeckProblem(path, lineno, f"section '### {kind} {lang}' repeated"))
                read.ok = False
            read.sections[where] = current = []
            read.section_lines[where] = lineno
            continue
        if current is not None:
            current.append(line)
            continue
        stripped = line.strip()
        if not stripped:
            continue
        name, sep, value = stripped.partition(":")
        if sep and name.strip() in _CARD_KEYS and value.strip():
            read.meta[name.strip()] = value.strip()
        else:
            problems.append(
                DeckProblem(
                    path,
                    lineno,
                    f"card {card_id!r}: expected 'tags:', 'source:' or a '### Q' section, "
                    f"got {stripped[:40]!r}",
                )
            )
            read.ok = False
    if fence is not None:
        problems.append(
            DeckProblem(path, fence_line, f"card {card_id!r}: code fence is never closed")
        )
        read.ok = False
    return read


def _card_texts(
    card_id: str,
    heading_line: int,
    read: _CardBody,
    path: Path,
    language: str,
    problems: list[DeckProblem],
) -> dict[str, CardText] | None:
    """The card's (question, answer) in each language, the deck's language first; None when a
    language lacks a section or has an empty one (each such problem is reported)."""
    sections = read.sections
    languages = [language, *sorted({lang for _, lang in sections} - {language})]
    texts: dict[str, CardText] = {}
    ok = True
    for lang in languages:
        q, a = sections.get(("Q", lang)), sections.get(("A", lang))
        suffix = "" if lang == language else f" {lang}"
        for kind, body_lines in (("Q", q), ("A", a)):
            if body_lines is None:
                problems.append(
                    DeckProblem(path, heading_line, f"card {card_id!r} has no '### {kind}{suffix}'")
                )
                ok = False
            elif not "\n".join(body_lines).strip():
                line_no = read.section_lines[(kind, lang)]
                problems.append(
                    DeckProblem(path, line_no, f"card {card_id!r}: '### {kind}{suffix}' is empty")
                )
                ok = False
        if q is not None and a is not None:
            texts[lang] = CardText("\n".join(q).strip(), "\n".join(a).strip())
    return texts if ok else None


def parse_deck_text(text: str, path: Path) -> tuple[DeckSpec | None, list[DeckProblem]]:
    """Parse one deck's text; return the deck (None if its header is broken) and its problems."""
    problems: list[DeckProblem] = []
    key = path.stem
    if not _ID.match(key):
        problems.append(
            DeckProblem(path, 1, f"deck file name {key!r} must be lowercase letters, digits, -_.")
        )
        return None, problems
    lines = text.splitlines()
    header = _parse_header(lines, path, problems)
    if header is None:
        return None, problems
    fields, start = header
    language = fields.get("language", "en")
    if not _LANG.match(language):
        problems.append(DeckProblem(path, 1, f"bad language code {language!r}"))
        return None, problems
    deck_tags = _split_tags(fields.get("tags", ""))
    translations = _split_tags(fields.get("translations", ""))
    bad = [t for t in translations if not _LANG.match(t) or t == language]
    deck_factual = _YES_NO.get(fields.get("factual", "yes"))
    if bad or deck_factual is None:
        what = f"bad translation language {bad[0]!r}" if bad else "'factual:' must be yes or no"
        problems.append(DeckProblem(path, 1, what))
        return None, problems
    cards: list[CardSpec] = []
    seen: dict[str, int] = {}
    for block in _card_blocks(lines, start):
        if isinstance(block, int):
            problems.append(
                DeckProblem(path, block + 1, "text outside a card (cards start with '## card-id')")
            )
            continue
        index, body = block
        card_id = lines[index][3:].strip()
        card = _parse_card(card_id, index, body, path, language, deck_tags, deck_factual, problems)
        if card is None:
            continue
        if card.id in seen:
            problems.append(
                DeckProblem(
                    path,
                    card.line,
                    f"duplicate card id {card.id!r}: also at {path}:{seen[card.id]}",
                )
            )
            continue
        seen[card.id] = card.line
        cards.append(card)
    titles = {language: fields["title"]}
    descriptions = {language: fields.get("description", "")}
    for k, v in fields.items():
        base, dot, lang = k.partition(".")
        if dot:
            (titles if base == "title" else descriptions)[lang] = v
    deck = DeckSpec(
        key=key,
        path=path,
        title=fields["title"],
        description=fields.get("description", ""),
        tags=deck_tags,
        language=language,
        titles=titles,
        descriptions=descriptions,
        cards=tuple(cards),
        translations=translations,
    )
    return deck, problems


def parse_deck(path: Path) -> tuple[DeckSpec | None, list[DeckProblem]]:
    """Parse one deck file; an unreadable file is a problem, not an exception."""
    try:
        text = read_deck_text(path)
    except DeckReadError as exc:
        return None, [DeckProblem(path, exc.line, str(exc))]
    return parse_deck_text(text, path)


class DeckReadError(ValueError):
    """A deck file that cannot be read as a deck's text; ``line`` is where the problem is."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def read_deck_text(path: Path) -> str:
    """The text of a deck file: a regular file of at most MAX_DECK_BYTES, in UTF-8.

    Why so careful: deck files come from other people and are read at every start-up. A FIFO
    would block the reader forever and a link to /dev/zero would fill the memory, so anything
    that is not a regular file is refused before it is read (and the opened file is checked
    again, in case it was swapped), and no more than the cap is ever read. A UTF-8 byte order
    mark, which some Windows editors write, is accepted.
    """
    try:
        kind = _file_kind(os.stat(path).st_mode)  # follows links: the target is what is read
        if kind is not None:
            raise DeckReadError(f"not a regular file ({kind}); a deck must be a plain .md file")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise DeckReadError(f"cannot read the file: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as fh:
        kind = _file_kind(os.fstat(fh.fileno()).st_mode)
        if kind is not None:
            raise DeckReadError(f"not a regular file ({kind}); a deck must be a plain .md file")
        data = fh.read(MAX_DECK_BYTES + 1)
    if len(data) > MAX_DECK_BYTES:
        raise DeckReadError(
            f"the file is larger than {MAX_DECK_BYTES // 2**20} MB, the most a deck file may "
            "be; split it into several decks"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DeckReadError(
            f"line {line} is not valid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); "
            "save the file as UTF-8",
            line,
        ) from exc


def _file_kind(mode: int) -> str | None:
    """None for a regular file, else what it is, in words."""
    if stat.S_ISREG(mode):
        return None
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a plain file"


def deck_files(folder: Path) -> list[Path]:
    """The deck files in a folder, sorted: ``*.md`` except README.md and ``_``-prefixed files.

    Entries that are not regular files are listed too (folders excepted), so that reading them
    reports them instead of skipping them in silence.
    """
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.glob("*.md")
        if not p.is_dir() and p.name.lower() != "readme.md" and not p.name.startswith("_")
    )


def load_decks(paths: Iterable[Path]) -> DeckLoad:
    """Parse every deck in ``paths`` (folders or files, in order); later duplicates lose."""
    result = DeckLoad()
    deck_paths: dict[str, Path] = {}
    card_places: dict[str, tuple[Path, int]] = {}
    for folder in paths:
        if not folder.exists():
            if folder.suffix == ".md":  # a file that was named; a missing folder is just empty
                result.problems.append(DeckProblem(folder, 1, "no such file"))
            continue
        for path in deck_files(folder) if folder.is_dir() else [folder]:
            deck, problems = parse_deck(path)
            result.problems.extend(problems)
            if deck is None:
                continue
            if deck.key in deck_paths:
                result.problems.append(
                    DeckProblem(
                        path, 1, f"deck {deck.key!r} is already defined in {deck_paths[deck.key]}"
                    )
                )
                continue
            deck_paths[deck.key] = path
            kept: list[CardSpec] = []
            for card in deck.cards:
                if card.id in card_places:
                    first_path, first_line = card_places[card.id]
                    result.problems.append(
                        DeckProblem(
                            path,
                            card.line,
                            f"duplicate card id {card.id!r}: also at {first_path}:{first_line}",
                        )
                    )
                    continue
                card_places[card.id] = (path, card.line)
                kept.append(card)
            if len(kept) != len(deck.cards):
                deck = replace(deck, cards=tuple(kept))
            result.decks.append(deck)
    return result
