"""Bring the collection in line with the deck files, keeping every card's progress.

Why by stable id: the id written in the file is the card's identity, so fixing a typo or moving a
card between decks updates the row in place and its SM-2 state and review log stay. A card that
disappears from the files is *retired* (hidden, history kept) rather than deleted, and comes back
with its progress if it reappears. Cards of a deck file with problems are never retired, so a
half-broken edit cannot hide cards.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from studyapp.core.collection import Collection
from studyapp.core.decks.format import DeckLoad, DeckProblem, load_decks
from studyapp.core.scheduling.study_day import epoch_ms
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


def sync_decks(collection: Collection, load: DeckLoad) -> SyncReport:
    """Apply a parsed set of decks to the collection in one transaction."""
    report = SyncReport(problems=list(load.problems))
    dirty_keys = {p.path.stem for p in load.problems}
    now_ms = epoch_ms(collection.clock())
    db = collection.db
    with db.transaction() as conn:
        deck_ids: dict[str, int] = dict(conn.execute("SELECT key, id FROM deck"))
        for deck in load.decks:
            values = (
                deck.title,
                deck.description,
                ",".join(deck.tags),
                deck.language,
                json.dumps(deck.titles, ensure_ascii=False),
                str(deck.path),
            )
            if deck.key in deck_ids:
                conn.execute(
                    "UPDATE deck SET title=?, description=?, tags=?, language=?, titles_json=?, "
                    "source_path=?, retired=0 WHERE key=?",
                    (*values, deck.key),
                )
            else:
                deck_ids[deck.key] = conn.execute(
                    "INSERT INTO deck(key, title, description, tags, language, titles_json, "
                    "source_path, enabled, retired) VALUES (?,?,?,?,?,?,?,1,0)",
                    (deck.key, *values),
                ).lastrowid
        # Only decks that came from files are managed here; decks made another way (an import,
        # the benchmark) have no source file and are never retired by a sync.
        existing = {
            key: (item_id, content_hash, deck_id, position, retired)
            for key, item_id, content_hash, deck_id, position, retired in conn.execute(
                "SELECT i.key, i.id, i.content_hash, i.deck_id, i.position, i.retired FROM item i "
                "JOIN deck d ON d.id = i.deck_id WHERE i.kind='card' AND d.source_path != ''"
            )
        }
        # Card ids already taken by decks that are not files (imports): a deck file reusing one
        # (an exported deck saved under another name) is reported, never a crash.
        # Only ids new to the file-backed decks are looked up (usually none): an import can hold
        # 100,000 cards, too many to read at every start.
        fresh = [c.id for d in load.decks for c in d.cards if c.id not in existing]
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
        seen: set[str] = set()
        for deck in load.decks:
            deck_id = deck_ids[deck.key]
            for position, card in enumerate(deck.cards):
                if card.id in taken and card.id not in existing:
                    report.problems.append(
                        DeckProblem(
                            deck.path,
                            card.line,
                            f"card id '{card.id}' is already used by the imported deck "
                            f"'{taken[card.id]}'; give this card another id (or name the file "
                            f"after that deck's key to take the deck over)",
                        )
                    )
                    continue
                seen.add(card.id)
                digest = card.content_hash()
                primary = card.primary
                texts = json.dumps(
                    {lang: [t.front, t.back] for lang, t in card.texts.items()},
                    ensure_ascii=False,
                )
                text_values = (
                    primary.front,
                    primary.back,
                    texts,
                    ",".join(card.tags),
                    card.source or "",
                    digest,
                )
                old = existing.get(card.id)
                if old is None:
                    conn.execute(
                        "INSERT INTO item(kind, key, deck_id, position, front, back, texts_json, "
                        "tags, source, content_hash, repetitions, ef_hundredths, interval, "
                        "suspended, retired, added_ms) "
                        "VALUES ('card',?,?,?,?,?,?,?,?,?,0,250,0,0,0,?)",
                        (card.id, deck_id, position, *text_values, now_ms),
                    )
                    report.added += 1
                    continue
                item_id, old_hash, old_deck, old_position, retired = old
                if old_hash != digest:
                    conn.execute(
                        "UPDATE item SET front=?, back=?, texts_json=?, tags=?, source=?, "
                        "content_hash=? WHERE id=?",
                        (*text_values, item_id),
                    )
                    report.updated += 1
                if (old_deck, old_position) != (deck_id, position):
                    conn.execute(
                        "UPDATE item SET deck_id=?, position=? WHERE id=?",
                        (deck_id, position, item_id),
                    )
                if retired:
                    conn.execute("UPDATE item SET retired=0 WHERE id=?", (item_id,))
                    report.restored += 1
        protected = {deck_ids[k] for k in dirty_keys if k in deck_ids}
        for key, (item_id, _, deck_id, _, retired) in existing.items():
            if key in seen or retired or deck_id in protected:
                continue
            conn.execute("UPDATE item SET retired=1 WHERE id=?", (item_id,))
            report.retired += 1
        live = [d.key for d in load.decks] + sorted(dirty_keys)
        conn.execute(
            f"UPDATE deck SET retired=1 WHERE source_path != '' AND key NOT IN "
            f"({','.join('?' * len(live))})",
            live,
        )
    if report.changed:
        collection.invalidate_queue()
    return report


def sync_deck_folders(collection: Collection, folders: Iterable[Path]) -> SyncReport:
    """Parse the deck folders and sync them (the start-up path)."""
    return sync_decks(collection, load_decks(folders))
