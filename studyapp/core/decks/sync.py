"""Bring the collection in line with the deck files, keeping every card's progress.

Why by stable id: the id written in the file is the card's identity, so fixing a typo or moving a
card between decks updates the row in place and its SM-2 state and review log stay. A card that
disappears from the files is *retired* (hidden, history kept) rather than deleted, and comes back
with its progress if it reappears. Cards of a deck file with problems are never retired, so a
half-broken edit cannot hide cards.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from studyapp.core.collection import Collection
from studyapp.core.decks.format import CardSpec, DeckLoad, DeckProblem, DeckSpec, load_decks
from studyapp.core.scheduling.study_day import epoch_ms
from studyapp.core.storage import writes
from studyapp.core.storage.kinds import ItemKind
from studyapp.resources import bundled

__all__ = ["SyncReport", "bundled_decks_dir", "sync_deck_folders", "sync_decks"]


@dataclass
class SyncReport:
    """What a sync changed, and the problems found in the files."""

    added: int = 0
    updated: int = 0
    retired: int = 0
    restored: int = 0
    problems: list[DeckProblem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.retired or self.restored)


def bundled_decks_dir() -> Path:
    """The decks shipped with the app (``decks/`` at the top of the source tree)."""
    return bundled("decks")


#: What a sync needs of a card already in a file-backed deck: (item id, content hash, deck id,
#: position, retired).
_Existing = tuple[int, str, int, int, int]


def sync_decks(collection: Collection, load: DeckLoad) -> SyncReport:
    """Apply a parsed set of decks to the collection in one transaction."""
    report = SyncReport(problems=list(load.problems))
    dirty_keys = {p.path.stem for p in load.problems}
    now_ms = epoch_ms(collection.clock())
    with collection.db.transaction() as conn:
        deck_ids = _upsert_decks(conn, load.decks)
        existing = _file_cards(conn)
        taken = _ids_taken_by_imports(conn, load.decks, existing)
        seen: set[str] = set()
        for deck in load.decks:
            for position, card in enumerate(deck.cards):
                if card.id in taken and card.id not in existing:
                    report.problems.append(_taken_problem(deck, card, taken[card.id]))
                    continue
                seen.add(card.id)
                place = (deck_ids[deck.key], position)
                _apply_card(conn, card, place, existing.get(card.id), now_ms, report)
        protected = {deck_ids[k] for k in dirty_keys if k in deck_ids}
        for key, (item_id, _, deck_id, _, retired) in existing.items():
            if key in seen or retired or deck_id in protected:
                continue
            writes.set_item_retired(conn, item_id, True)
            report.retired += 1
        writes.retire_file_decks_except(conn, [d.key for d in load.decks] + sorted(dirty_keys))
    if report.changed:
        collection.invalidate_queue()
    return report


def _upsert_decks(conn: sqlite3.Connection, decks: list[DeckSpec]) -> dict[str, int]:
    """Add or update every deck of the files; returns the id of every deck by key."""
    deck_ids: dict[str, int] = dict(conn.execute("SELECT key, id FROM deck"))
    for deck in decks:
        values = (
            deck.title,
            deck.description,
            ",".join(deck.tags),
            deck.language,
            json.dumps(deck.titles, ensure_ascii=False),
            str(deck.path),
        )
        if deck.key in deck_ids:
            writes.update_file_deck(conn, deck.key, *values)
        else:
            title, description, tags, language, titles_json, source_path = values
            deck_ids[deck.key] = writes.insert_deck(
                conn,
                deck.key,
                title,
                description,
                tags=tags,
                language=language,
                titles_json=titles_json,
                source_path=source_path,
            )
    return deck_ids


def _file_cards(conn: sqlite3.Connection) -> dict[str, _Existing]:
    """The cards of decks that came from files, by card id.

    Only decks that came from files are managed here; decks made another way (an import, the
    benchmark) have no source file and are never retired by a sync.
    """
    return {
        key: (item_id, content_hash, deck_id, position, retired)
        for key, item_id, content_hash, deck_id, position, retired in conn.execute(
            "SELECT i.key, i.id, i.content_hash, i.deck_id, i.position, i.retired FROM item i "
            "JOIN deck d ON d.id = i.deck_id WHERE i.kind='card' AND d.source_path != ''"
        )
    }


def _ids_taken_by_imports(
    conn: sqlite3.Connection, decks: list[DeckSpec], existing: dict[str, _Existing]
) -> dict[str, str]:
    """Card ids already taken by decks that are not files (imports), with that deck's title:
    a deck file reusing one (an exported deck saved under another name) is reported, never a
    crash. Only ids new to the file-backed decks are looked up (usually none): an import can
    hold 100,000 cards, too many to read at every start."""
    fresh = [c.id for d in decks for c in d.cards if c.id not in existing]
    taken: dict[str, str] = {}
    for start in range(0, len(fresh), 500):
        chunk = fresh[start : start + 500]
        taken.update(
            conn.execute(
                "SELECT i.key, d.title FROM item i JOIN deck d ON d.id = i.deck_id "
                f"WHERE i.kind='card' AND d.source_path = '' AND i.key IN "
                f"({','.join('?' * len(chunk))})",
                chunk,
            )
        )
    return taken


def _taken_problem(deck: DeckSpec, card: CardSpec, deck_title: str) -> DeckProblem:
    return DeckProblem(
        deck.path,
        card.line,
        f"card id '{card.id}' is already used by the imported deck "
        f"'{deck_title}'; give this card another id (or name the file "
        f"after that deck's key to take the deck over)",
    )


def _apply_card(
    conn: sqlite3.Connection,
    card: CardSpec,
    place: tuple[int, int],
    old: _Existing | None,
    now_ms: int,
    report: SyncReport,
) -> None:
    """Add one card of a file, or bring its row in line (text, place, retired) by its id."""
    deck_id, position = place
    digest = card.content_hash()
    primary = card.primary
    texts = json.dumps(
        {lang: [t.front, t.back] for lang, t in card.texts.items()},
        ensure_ascii=False,
    )
    tags = ",".join(card.tags)
    source = card.source or ""
    if old is None:
        writes.insert_item(
            conn,
            kind=ItemKind.CARD,
            key=card.id,
            deck_id=deck_id,
            position=position,
            front=primary.front,
            back=primary.back,
            texts_json=texts,
            tags=tags,
            source=source,
            content_hash=digest,
            added_ms=now_ms,
        )
        report.added += 1
        return
    item_id, old_hash, old_deck, old_position, retired = old
    if old_hash != digest:
        writes.update_item_texts(
            conn, item_id, primary.front, primary.back, texts, tags, source, digest
        )
        report.updated += 1
    if (old_deck, old_position) != place:
        writes.move_item(conn, item_id, deck_id, position)
    if retired:
        writes.set_item_retired(conn, item_id, False)
        report.restored += 1


def sync_deck_folders(collection: Collection, folders: Iterable[Path]) -> SyncReport:
    """Parse the deck folders and sync them (the start-up path)."""
    return sync_decks(collection, load_decks(folders))
