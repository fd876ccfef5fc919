"""Exports: one deck as this app's Markdown deck file or as an Anki package, or the whole
collection as one backup file.

Why these three: the Markdown file is the app's own source format (it parses back with every
card id and language, so it can be edited and shared); the ``.apkg`` opens in Anki and AnkiDroid
(written with genanki, which knows the package layout those apps accept); the collection backup
is the one file that holds everything, progress included.

Every file is written under a temporary name and renamed, so a failed export never leaves half a
file where the user asked for one.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import sqlite3
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from studyapp.core.collection import Collection
from studyapp.core.storage.paths import DataPaths

__all__ = [
    "DECK_EXPORT_SUFFIXES",
    "ExportFailed",
    "ExportSummary",
    "export_collection",
    "export_deck",
    "export_deck_apkg",
    "export_deck_markdown",
    "markdown_card_id",
]

DECK_EXPORT_SUFFIXES = (".apkg", ".md")
_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
_NOT_ID = re.compile(r"[^a-z0-9._-]+")
_HEADING = re.compile(r"^(?:##\s|###\s+[QA](?:\s+[A-Za-z]+)?\s*$)")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_MEDIA_SRC = re.compile(r'<img\b[^>]*\ssrc="([^":/\\]+)"')
#: Card CSS in the exported Anki note type: our renderer's inline styles do the rest.
_ANKI_CSS = """.card { font-family: sans-serif; font-size: 18px; text-align: left; }
pre { padding: 8px; border-radius: 4px; overflow-x: auto; }
code { font-family: monospace; }
table { border-collapse: collapse; }
th, td { border: 1px solid #888; padding: 4px 8px; }
img { max-width: 100%; }
"""


class ExportFailed(ValueError):
    """An export that cannot be done (unknown deck, unknown format); nothing was written."""


@dataclass
class ExportSummary:
    """What an export wrote."""

    path: Path
    cards: int = 0
    media: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Card:
    key: str
    texts: dict[str, tuple[str, str]]
    tags: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class _Deck:
    key: str
    title: str
    description: str
    tags: tuple[str, ...]
    language: str
    titles: dict[str, str]
    cards: list[_Card]


def _split(value: str) -> tuple[str, ...]:
    return tuple(t for t in value.split(",") if t)


def _load_deck(collection: Collection, deck_key: str) -> _Deck:
    conn = collection.db.conn
    row = conn.execute(
        "SELECT id, title, description, tags, language, titles_json FROM deck "
        "WHERE key = ? AND NOT retired",
        (deck_key,),
    ).fetchone()
    if row is None:
        keys = [r[0] for r in conn.execute("SELECT key FROM deck WHERE NOT retired ORDER BY key")]
        listed = ", ".join(keys) or "none"
        raise ExportFailed(f"there is no deck {deck_key!r} (decks: {listed})")
    deck_id, title, description, tags, language, titles_json = row
    cards = []
    for key, front, back, texts_json, card_tags, source in conn.execute(
        "SELECT key, front, back, texts_json, tags, source FROM item "
        "WHERE deck_id = ? AND kind = 'card' AND NOT retired ORDER BY position, id",
        (deck_id,),
    ):
        texts = {lang: (t[0], t[1]) for lang, t in json.loads(texts_json or "{}").items()}
        if language not in texts:  # imported cards keep only their primary text
            texts = {language: (front, back), **texts}
        cards.append(_Card(key, texts, _split(card_tags), source or ""))
    return _Deck(
        deck_key,
        title,
        description,
        _split(tags),
        language,
        json.loads(titles_json or "{}"),
        cards,
    )


def export_deck(collection: Collection, deck_key: str, dest: Path) -> ExportSummary:
    """Export a deck in the format its file name asks for (``.apkg`` or ``.md``)."""
    from studyapp.core.storage.paths import is_live_collection_file

    if is_live_collection_file(Path(dest), collection.path):
        raise ExportFailed(f"{dest} is the collection itself (or its WAL); choose another file")
    suffix = Path(dest).suffix.lower()
    if suffix == ".apkg":
        return export_deck_apkg(collection, deck_key, dest)
    if suffix == ".md":
        return export_deck_markdown(collection, deck_key, dest)
    raise ExportFailed(
        f"{dest}: cannot tell the format; name the file .apkg (Anki) or .md (Markdown deck)"
    )


def export_collection(collection_path: Path, dest: Path) -> Path:
    """The whole collection, progress included, as one compressed backup file.

    Refused (ExportFailed) when ``dest`` is the collection itself or its WAL: writing there would
    replace the live collection with a compressed copy."""
    from studyapp.core.storage.backups import write_backup_file
    from studyapp.core.storage.paths import is_live_collection_file

    if is_live_collection_file(Path(dest), Path(collection_path)):
        raise ExportFailed(
            f"{dest} is the collection itself (or its WAL); choose another file to export to"
        )
    return write_backup_file(Path(collection_path), Path(dest))


# -- Markdown ---------------------------------------------------------------------------------


def markdown_card_id(key: str) -> str:
    """The card's id in a deck file: its key when that is a valid id, else a stable slug.

    Anki keys carry upper case and punctuation; the slug keeps a hash of the key so that two
    keys that differ only there stay two ids.
    """
    if _ID.fullmatch(key):
        return key
    slug = _NOT_ID.sub("-", key.lower()).strip("-._")[:48]
    digest = hashlib.sha256(key.encode()).hexdigest()[:8]
    return f"{slug}-{digest}" if slug else f"card-{digest}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _body(text: str, warnings: list[str], where: str) -> str:
    """Card text safe to put under a ``### Q``/``### A`` heading.

    Lines outside code fences that the deck parser would read as a card or section heading are
    escaped with a backslash (Markdown then shows them as text).
    """
    text = text.strip()
    if not text:
        warnings.append(f"{where} is empty; written as '(empty)'")
        return "(empty)"
    out: list[str] = []
    fence: str | None = None
    for line in text.splitlines():
        match = _FENCE.match(line)
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
        if fence is None and not match and _HEADING.match(line):
            line = "\\" + line
        out.append(line)
    if fence is not None:
        out.append(fence)  # an unclosed fence would swallow the next cards
        warnings.append(f"{where} has an unclosed code fence; it is closed at the end")
    return "\n".join(out)


def _deck_markdown(deck: _Deck, warnings: list[str]) -> str:
    """The deck file's text."""
    header = ["---", f"title: {_one_line(deck.title) or deck.key}"]
    for lang, title in deck.titles.items():
        if lang != deck.language and _one_line(title):
            header.append(f"title.{lang}: {_one_line(title)}")
    if _one_line(deck.description):
        header.append(f"description: {_one_line(deck.description)}")
    if deck.tags:
        header.append(f"tags: {', '.join(deck.tags)}")
    header.append(f"language: {deck.language}")
    if any(not card.source for card in deck.cards):
        header.append("factual: no")  # imported cards name no source; the checker would insist
    header.append("---")
    parts = ["\n".join(header)]
    for card in deck.cards:
        card_id = markdown_card_id(card.key)
        lines = [f"## {card_id}"]
        own_tags = [t for t in card.tags if t not in deck.tags]
        if own_tags:
            lines.append(f"tags: {', '.join(own_tags)}")
        if card.source:
            lines.append(f"source: {_one_line(card.source)}")
        for lang, (front, back) in card.texts.items():
            suffix = "" if lang == deck.language else f" {lang}"
            lines += ["", f"### Q{suffix}", _body(front, warnings, f"card {card_id} Q{suffix}")]
            lines += ["", f"### A{suffix}", _body(back, warnings, f"card {card_id} A{suffix}")]
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def export_deck_markdown(collection: Collection, deck_key: str, dest: Path) -> ExportSummary:
    """Write the deck as a Markdown deck file (``decks/README.md``), every language kept.

    The file's name is the deck's key when it is parsed again, so save it as ``<key>.md`` to
    keep it the same deck.
    """
    deck = _load_deck(collection, deck_key)
    summary = ExportSummary(Path(dest), cards=len(deck.cards))
    text = _deck_markdown(deck, summary.warnings)
    _write_atomically(Path(dest), text.encode("utf-8"))
    return summary


# -- Anki package -----------------------------------------------------------------------------


def _stable_id(kind: str, key: str) -> int:
    """An Anki model/deck id derived from the deck key: the same deck exports the same ids, so
    importing a newer export into Anki updates the deck instead of adding another."""
    value = int.from_bytes(hashlib.sha256(f"studyapp:{kind}:{key}".encode()).digest()[:8], "big")
    return (1 << 30) + value % (1 << 30)


def export_deck_apkg(collection: Collection, deck_key: str, dest: Path) -> ExportSummary:
    """Write the deck as an Anki package that Anki and AnkiDroid open.

    Cards are this app's rendered HTML (code coloured inline, formulas as MathJax, which both
    apps typeset), in a two-field Basic note type; pictures from the media folder come along.
    Note guids derive from card keys, so re-importing a newer export into Anki updates notes.
    """
    import genanki  # only exports pay for it

    from studyapp.core.rendering.render import LIGHT, Renderer

    deck = _load_deck(collection, deck_key)
    media_dir = DataPaths(collection.path.parent).media
    renderer = Renderer(media_dir=media_dir, export=True)
    model = genanki.Model(
        _stable_id("model", deck.key),
        "StudyApp Basic",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Front}}",
                "afmt": '{{FrontSide}}\n\n<hr id="answer">\n\n{{Back}}',
            }
        ],
        css=_ANKI_CSS,
    )
    anki_deck = genanki.Deck(_stable_id("deck", deck.key), deck.title, deck.description)
    media: dict[str, Path] = {}
    for card in deck.cards:
        front, back = card.texts[deck.language]
        fields = [renderer.markdown_to_html(text, LIGHT) for text in (front, back)]
        for html in fields:
            for name in _MEDIA_SRC.findall(html):
                media[name] = media_dir / name
        tags = [re.sub(r"\s+", "_", t) for t in card.tags]
        anki_deck.add_note(
            genanki.Note(
                model=model, fields=fields, tags=tags, guid=genanki.guid_for("studyapp", card.key)
            )
        )
    package = genanki.Package(anki_deck)
    summary = ExportSummary(Path(dest), cards=len(deck.cards), media=len(media))
    _write_apkg(package, media, Path(dest))
    return summary


def _write_apkg(package: object, media: dict[str, Path], dest: Path) -> None:
    """The package's SQLite file and media in a zip, the layout Anki reads (legacy ``.apkg``)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        db_path = Path(scratch) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        try:
            timestamp = time.time()
            package.write_to_db(  # type: ignore[attr-defined]
                conn.cursor(), timestamp, itertools.count(int(timestamp * 1000))
            )
            conn.commit()
        finally:
            conn.close()
        partial = dest.with_name(f".{dest.name}.partial")
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(db_path, "collection.anki2")
                names = sorted(media)
                archive.writestr("media", json.dumps({str(i): n for i, n in enumerate(names)}))
                for i, name in enumerate(names):
                    archive.write(media[name], str(i))
            os.replace(partial, dest)
        finally:
            partial.unlink(missing_ok=True)


def _write_atomically(dest: Path, data: bytes) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
