"""Every SQL statement that writes the collection's items, decks, review log and drill rows.

Why one module: the deck files, the drill catalogue, imports and the answer path all change the
same tables, and each of those writes must keep the same invariants (a new item starts at the
SM-2 start state, a retired row is hidden but kept, an answer only applies to the state it was
computed from). With the statements in one place, a change to the schema or to one of those rules
is made once, and ``grep`` shows every writer.

Every function runs inside the caller's transaction (``Database.transaction()``) and commits
nothing itself. They take plain values, not row objects, so the answer path costs no more than
the statement it runs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from studyapp.core.storage.kinds import ItemKind, ReviewKind

__all__ = [
    "ReviewLogRow",
    "ScheduleRow",
    "delete_drill_draft",
    "delete_review_log",
    "insert_deck",
    "insert_drill_attempt",
    "insert_item",
    "insert_review_log",
    "move_item",
    "restore_item_schedule",
    "retire_drills",
    "retire_file_decks_except",
    "save_drill_draft",
    "save_meta",
    "set_deck_enabled",
    "set_item_retired",
    "set_item_schedule",
    "set_item_schedule_if",
    "update_drill",
    "update_file_deck",
    "update_imported_card",
    "update_imported_deck",
    "update_item_texts",
]


class ScheduleRow(NamedTuple):
    """An item's SM-2 schedule as stored: the five columns an answer changes."""

    repetitions: int
    ef_hundredths: int
    interval: int
    due_day: int | None
    redrill_day: int | None


class ReviewLogRow(NamedTuple):
    """One ``review_log`` row, in column order: the answer and the state before and after it."""

    item_id: int
    reviewed_ms: int
    study_day: int
    quality: int
    kind: ReviewKind
    seconds: float
    before: ScheduleRow
    after: ScheduleRow


# ---------------------------------------------------------------------- meta
def save_meta(conn: sqlite3.Connection, values: Iterable[tuple[str, str]]) -> None:
    """Store (key, value) pairs in ``meta``, replacing the old values."""
    conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", values)


# ---------------------------------------------------------------------- decks
def insert_deck(
    conn: sqlite3.Connection,
    key: str,
    title: str,
    description: str,
    *,
    tags: str = "",
    language: str = "en",
    titles_json: str = "{}",
    source_path: str = "",
) -> int:
    """Add an enabled, live deck and return its id. ``source_path`` is "" for a deck that does
    not come from a deck file (an import, a drill track): a sync never retires those."""
    deck_id = conn.execute(
        "INSERT INTO deck(key, title, description, tags, language, titles_json, "
        "source_path, enabled, retired) VALUES (?,?,?,?,?,?,?,1,0)",
        (key, title, description, tags, language, titles_json, source_path),
    ).lastrowid
    assert deck_id is not None  # an INSERT always has a row id
    return deck_id


def update_file_deck(
    conn: sqlite3.Connection,
    key: str,
    title: str,
    description: str,
    tags: str,
    language: str,
    titles_json: str,
    source_path: str,
) -> None:
    """Bring a deck in line with its file; a deck whose file came back is live again."""
    conn.execute(
        "UPDATE deck SET title=?, description=?, tags=?, language=?, titles_json=?, "
        "source_path=?, retired=0 WHERE key=?",
        (title, description, tags, language, titles_json, source_path, key),
    )


def update_imported_deck(
    conn: sqlite3.Connection, deck_id: int, title: str, description: str
) -> None:
    """Re-import of a deck: new title and description, live again (its enabled flag kept)."""
    conn.execute(
        "UPDATE deck SET title = ?, description = ?, retired = 0 WHERE id = ?",
        (title, description, deck_id),
    )


def retire_file_decks_except(conn: sqlite3.Connection, live_keys: Sequence[str]) -> None:
    """Retire every deck that came from a file and is not in ``live_keys`` (its file is gone)."""
    conn.execute(
        f"UPDATE deck SET retired=1 WHERE source_path != '' AND key NOT IN "
        f"({','.join('?' * len(live_keys))})",
        tuple(live_keys),
    )


def set_deck_enabled(conn: sqlite3.Connection, key: str, enabled: bool) -> bool:
    """Include or exclude a deck from reviews; False when there is no deck ``key``."""
    return conn.execute("UPDATE deck SET enabled=? WHERE key=?", (enabled, key)).rowcount == 1


# ---------------------------------------------------------------------- items
def insert_item(
    conn: sqlite3.Connection,
    *,
    kind: ItemKind,
    key: str,
    deck_id: int,
    position: int,
    front: str,
    added_ms: int,
    back: str = "",
    texts_json: str = "{}",
    tags: str = "",
    source: str = "",
    content_hash: str = "",
    schedule: tuple[int, int, int, int | None] = (0, 250, 0, None),
    suspended: bool = False,
) -> int:
    """Add a live item and return its id. ``schedule`` is (repetitions, E-Factor x 100,
    interval, due day): the SM-2 start state unless an import brings the card's progress."""
    item_id = conn.execute(
        "INSERT INTO item(kind, key, deck_id, position, front, back, texts_json, tags, source, "
        "content_hash, repetitions, ef_hundredths, interval, due_day, suspended, retired, "
        "added_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,?)",
        (
            kind,
            key,
            deck_id,
            position,
            front,
            back,
            texts_json,
            tags,
            source,
            content_hash,
            *schedule,
            suspended,
            added_ms,
        ),
    ).lastrowid
    assert item_id is not None  # an INSERT always has a row id
    return item_id


def update_item_texts(
    conn: sqlite3.Connection,
    item_id: int,
    front: str,
    back: str,
    texts_json: str,
    tags: str,
    source: str,
    content_hash: str,
) -> None:
    """A card's edited text (its schedule and history stay)."""
    conn.execute(
        "UPDATE item SET front=?, back=?, texts_json=?, tags=?, source=?, content_hash=? "
        "WHERE id=?",
        (front, back, texts_json, tags, source, content_hash, item_id),
    )


def move_item(conn: sqlite3.Connection, item_id: int, deck_id: int, position: int) -> None:
    """A card moved to another deck or place in its deck (progress kept)."""
    conn.execute("UPDATE item SET deck_id=?, position=? WHERE id=?", (deck_id, position, item_id))


def set_item_retired(conn: sqlite3.Connection, item_id: int, retired: bool) -> None:
    """Hide an item whose source is gone (history kept), or bring it back."""
    conn.execute("UPDATE item SET retired=? WHERE id=?", (int(retired), item_id))


def update_drill(
    conn: sqlite3.Connection, item_id: int, statement: str, deck_id: int, position: int
) -> None:
    """A drill still in the catalogue: its statement and place now, live again."""
    conn.execute(
        "UPDATE item SET front = ?, deck_id = ?, position = ?, retired = 0 WHERE id = ?",
        (statement, deck_id, position, item_id),
    )


def retire_drills(conn: sqlite3.Connection, keys: Iterable[str]) -> None:
    """Retire the drills whose exercises are gone (history kept)."""
    conn.executemany(
        "UPDATE item SET retired = 1 WHERE kind='drill' AND key = ?", [(k,) for k in keys]
    )


def update_imported_card(
    conn: sqlite3.Connection,
    item_id: int,
    front: str,
    back: str,
    tags: str,
    content_hash: str,
    deck_id: int,
    position: int,
) -> None:
    """A re-imported card's text and place; imported cards have one language, so no texts."""
    conn.execute(
        "UPDATE item SET front = ?, back = ?, texts_json = '{}', tags = ?, "
        "content_hash = ?, deck_id = ?, position = ?, retired = 0 WHERE id = ?",
        (front, back, tags, content_hash, deck_id, position, item_id),
    )


def set_item_schedule(
    conn: sqlite3.Connection,
    item_id: int,
    schedule: tuple[int, int, int, int | None],
    suspended: bool,
) -> None:
    """Replace a card's schedule (repetitions, E-Factor x 100, interval, due day) with an
    imported one that is newer; no re-drill is pending after it."""
    conn.execute(
        "UPDATE item SET repetitions = ?, ef_hundredths = ?, interval = ?, due_day = ?, "
        "redrill_day = NULL, suspended = ? WHERE id = ?",
        (*schedule, suspended, item_id),
    )


_SCHEDULE_IF = (
    "UPDATE item SET repetitions=?, ef_hundredths=?, interval=?, due_day=?, redrill_day=? "
    "WHERE id=? AND repetitions=? AND ef_hundredths=? AND interval=? AND due_day IS ? "
    "AND redrill_day IS ?"
)


def set_item_schedule_if(
    conn: sqlite3.Connection, item_id: int, before: ScheduleRow, after: ScheduleRow
) -> bool:
    """Store ``after`` only if the stored schedule still equals ``before``; False otherwise
    (a stale or doubled answer, which must not overwrite progress)."""
    return conn.execute(_SCHEDULE_IF, (*after, item_id, *before)).rowcount == 1


def restore_item_schedule(conn: sqlite3.Connection, item_id: int, schedule: ScheduleRow) -> None:
    """Put back the schedule an item had before an answer (undo)."""
    conn.execute(
        "UPDATE item SET repetitions=?, ef_hundredths=?, interval=?, due_day=?, "
        "redrill_day=? WHERE id=?",
        (*schedule, item_id),
    )


# ---------------------------------------------------------------------- review log
_LOG_INSERT = (
    "INSERT INTO review_log(item_id, reviewed_ms, study_day, quality, kind, seconds, "
    "reps_before, ef_before, interval_before, due_before, redrill_before, "
    "reps_after, ef_after, interval_after, due_after, redrill_after) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def insert_review_log(conn: sqlite3.Connection, row: ReviewLogRow) -> int:
    """Add one answer to the review log and return its id."""
    item_id, reviewed_ms, day, quality, kind, seconds, before, after = row
    log_id = conn.execute(
        _LOG_INSERT, (item_id, reviewed_ms, day, quality, kind, seconds, *before, *after)
    ).lastrowid
    assert log_id is not None  # an INSERT always has a row id
    return log_id


def delete_review_log(conn: sqlite3.Connection, log_id: int) -> None:
    """Remove one answer from the log (undo; the schema's triggers keep the day totals)."""
    conn.execute("DELETE FROM review_log WHERE id = ?", (log_id,))


# ---------------------------------------------------------------------- drills
def save_drill_draft(conn: sqlite3.Connection, item_id: int, code: str, saved_ms: int) -> None:
    """Keep the learner's code for a drill (one draft per drill, replaced)."""
    conn.execute(
        "INSERT INTO drill_draft(item_id, code, saved_ms) VALUES (?, ?, ?) "
        "ON CONFLICT(item_id) DO UPDATE SET code = excluded.code, saved_ms = excluded.saved_ms",
        (item_id, code, saved_ms),
    )


def delete_drill_draft(conn: sqlite3.Connection, item_id: int) -> None:
    """Forget a drill's saved code."""
    conn.execute("DELETE FROM drill_draft WHERE item_id = ?", (item_id,))


def insert_drill_attempt(
    conn: sqlite3.Connection,
    item_id: int,
    started_ms: int,
    study_day: int,
    code: str,
    outcome: str,
    *,
    message: str,
    duration_s: float,
    device: str,
    tests: tuple[int, int],
    kind: str,
) -> None:
    """Store one run (or reveal) of a drill; ``tests`` is (passed, total)."""
    conn.execute(
        "INSERT INTO drill_attempt(item_id, started_ms, study_day, code, outcome, message, "
        "duration_s, device, tests_passed, tests_total, kind) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (item_id, started_ms, study_day, code, outcome, message, duration_s, device, *tests, kind),
    )
