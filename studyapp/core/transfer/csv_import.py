"""CSV/TSV files (front, back and optional tags) read into the neutral import model.

Why strict: a spreadsheet export with a stray comma silently shifts text into the wrong column,
so every row must have the same number of columns as the first (2 or 3), and the first few rows
that do not are reported by line number. Nothing is written here; the writer in
:mod:`studyapp.core.transfer.importing` puts the cards into the collection in one transaction.

Card keys are a hash of the front within the deck, so importing an edited file again updates the
answers of the cards it already has instead of adding copies.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

from studyapp.core.transfer.import_model import (
    ImportedCard,
    ImportedDeck,
    ImportFailed,
    ImportPackage,
)

__all__ = ["CSV_SUFFIXES", "card_key", "deck_key_for_title", "read_csv_file", "read_csv_text"]

#: File name endings read as delimited text.
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
#: How many bad lines one message lists before "and N more".
_REPORTED = 5
_HEADER_NAMES = {
    "front": 0,
    "question": 0,
    "back": 1,
    "answer": 1,
    "tags": 2,
}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def deck_key_for_title(title: str) -> str:
    """A stable deck key for a title the user typed: ``csv-<slug>``.

    A title with no ASCII letters or digits (say, Cyrillic) is keyed by a hash of the title so
    that two such decks never share a key.
    """
    slug = _NOT_SLUG.sub("-", title.strip().lower()).strip("-")[:40].strip("-")
    if not slug:
        slug = hashlib.sha256(title.strip().encode()).hexdigest()[:12]
    return f"csv-{slug}"


def card_key(deck_key: str, front: str) -> str:
    """The card's key: the deck key and a hash of its front (stable across re-imports)."""
    digest = hashlib.sha256(front.strip().encode()).hexdigest()[:16]
    return f"{deck_key}-{digest}"


def read_csv_file(
    path: Path, *, deck_title: str | None = None, deck_key: str | None = None
) -> ImportPackage:
    """Read ``path`` into one deck titled ``deck_title`` (default: the file name).

    ``deck_key`` picks an existing deck by key (the title is then only its display name).
    Raises :class:`ImportFailed` naming the file and line for anything that is not a clean table.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot read the file: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFailed(
            f"{path}:{line}: the file is not UTF-8 text (save it as UTF-8 and import again)"
        ) from exc
    suffix = path.suffix.lower()
    delimiter = {".csv": ",", ".tsv": "\t"}.get(suffix) or _sniff_delimiter(text)
    title = (deck_title or "").strip() or path.stem
    return read_csv_text(text, source=str(path), delimiter=delimiter, title=title, key=deck_key)


def _sniff_delimiter(text: str) -> str:
    """Tab, comma or semicolon, whichever the first lines use consistently (tab if unsure)."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters="\t,;").delimiter
    except csv.Error:
        return "\t"


def read_csv_text(
    text: str, *, source: str, delimiter: str, title: str, key: str | None = None
) -> ImportPackage:
    """Parse delimited ``text`` (already decoded); ``source`` names it in messages."""
    if not text.strip():
        raise ImportFailed(f"{source}: the file is empty; there are no cards to import")
    rows = _rows(text, source, delimiter)
    if not rows:
        raise ImportFailed(f"{source}: the file is empty; there are no cards to import")
    first_line, first = rows[0]
    header = _header(first)
    if header is not None:
        rows = rows[1:]
        if not rows:
            raise ImportFailed(f"{source}: the file has a header row but no cards")
    width = len(first)
    if width not in (2, 3):
        raise ImportFailed(
            f"{source}:{first_line}: expected 2 or 3 columns (front, back, tags), "
            f"found {width}{_delimiter_hint(delimiter)}"
        )
    columns = header or (0, 1, 2)[:width]
    problems: list[str] = []
    for line, row in rows:
        if len(row) != width:
            problems.append(f"line {line} has {len(row)} column(s), expected {width}")
    if problems:
        raise ImportFailed(_listed(source, "wrong number of columns", problems))
    deck_key = key or deck_key_for_title(title)
    cards: list[ImportedCard] = []
    first_seen: dict[str, int] = {}
    warnings: list[str] = []
    for line, row in rows:
        values = dict(zip(columns, row, strict=True))
        front, back = values[0].strip(), values[1].strip()
        if not front or not back:
            side = "front" if not front else "back"
            problems.append(f"line {line} has an empty {side}")
            continue
        card = card_key(deck_key, front)
        if card in first_seen:
            warnings.append(
                f"{source}:{line}: same front as line {first_seen[card]}; the later row is skipped"
            )
            continue
        first_seen[card] = line
        tags = tuple(t for t in re.split(r"[\s,]+", values.get(2, "")) if t)
        cards.append(ImportedCard(key=card, front=front, back=back, tags=tags))
    if problems:
        raise ImportFailed(_listed(source, "a card needs both a front and a back", problems))
    deck = ImportedDeck(key=deck_key, title=title, cards=cards)
    return ImportPackage(source=source, decks=[deck], warnings=warnings)


def _rows(text: str, source: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Non-blank rows with the line each starts on (quoted fields may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFailed(f"{source}:{start}: cannot read this row: {exc}") from exc
    return rows


def _header(row: list[str]) -> tuple[int, ...] | None:
    """The column order if ``row`` is a header such as ``front,back,tags``, else None."""
    names = [cell.strip().lower() for cell in row]
    if len(names) not in (2, 3) or any(name not in _HEADER_NAMES for name in names):
        return None
    columns = tuple(_HEADER_NAMES[name] for name in names)
    return columns if sorted(columns) == list(range(len(columns))) else None


def _delimiter_hint(delimiter: str) -> str:
    name = {"\t": "tab", ",": "comma", ";": "semicolon"}.get(delimiter, repr(delimiter))
    return f" (columns separated by {name}; quote fields that contain one)"


def _listed(source: str, what: str, problems: list[str]) -> str:
    shown = "; ".join(problems[:_REPORTED])
    more = len(problems) - _REPORTED
    extra = f"; and {more} more" if more > 0 else ""
    return f"{source}: {what}: {shown}{extra}. Nothing was imported."
