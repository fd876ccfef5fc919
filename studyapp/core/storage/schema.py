"""The collection's tables, declared once with SQLModel.

Why one ``item`` table rather than ``card``: flashcards and coding drills share the same SM-2
schedule and the same daily queue, so both are rows of ``item`` told apart by ``kind``; a drill
adds its own details in a table of its own, keyed by the item.

Importing this module costs SQLAlchemy's import (about half a second), so the answer path does not:
it is needed only to create a new file and for typed queries such as a card's history. When a table
changes, bump ``studyapp.core.storage.database.SCHEMA_VERSION`` and add a migration there.

The SM-2 state is stored exactly (EF in integer hundredths). ``due_day`` is a study-day ordinal
(``studyapp.core.scheduling.study_day``); NULL means the item is new. ``redrill_day`` marks an item
graded below 4 on that day, which is asked again the same day (SM-2 step 7).
"""

from __future__ import annotations

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

__all__ = [
    "FTS_SQL",
    "REVIEW_DAY_BACKFILL",
    "REVIEW_DAY_SQL",
    "Deck",
    "DrillAttempt",
    "DrillDraft",
    "Item",
    "Meta",
    "ReviewLog",
]


class Meta(SQLModel, table=True):
    """Key/value settings and the schema version."""

    key: str = Field(primary_key=True)
    value: str


class Deck(SQLModel, table=True):
    """A deck synced from a Markdown file; ``retired`` when its file is gone."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    title: str
    description: str = ""
    tags: str = ""
    language: str = "en"
    titles_json: str = "{}"
    source_path: str = ""
    enabled: bool = True
    retired: bool = False


class Item(SQLModel, table=True):
    """Something scheduled by SM-2: a flashcard (kind 'card') or a coding drill (kind 'drill')."""

    __table_args__ = (
        UniqueConstraint("kind", "key"),
        # Today's queue reads (due_day, id) in order over live items only; the partial index
        # answers it without touching the table rows.
        Index(
            "ix_item_queue",
            "due_day",
            "id",
            "deck_id",
            sqlite_where=text("NOT suspended AND NOT retired"),
        ),
        # The Statistics page's forecast and E-Factor/interval distributions read live items'
        # schedules from this index alone (schema 3), not from the rows with their texts.
        Index(
            "ix_item_stats",
            "due_day",
            "ef_hundredths",
            "interval",
            "deck_id",
            "suspended",
            "retired",
            sqlite_where=text("NOT suspended AND NOT retired"),
        ),
        Index("ix_item_deck", "deck_id"),
        Index("ix_item_redrill", "redrill_day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = "card"
    key: str
    deck_id: int | None = Field(default=None, foreign_key="deck.id")
    position: int = 0
    front: str = ""
    back: str = ""
    texts_json: str = "{}"
    tags: str = ""
    source: str = ""
    content_hash: str = ""
    repetitions: int = 0
    ef_hundredths: int = 250
    interval: int = 0
    due_day: int | None = None
    redrill_day: int | None = None
    suspended: bool = False
    retired: bool = False
    added_ms: int = 0


class ReviewLog(SQLModel, table=True):
    """One graded answer, with the full state before and after so undo is exact.

    ``kind`` is 'review' for an answer that moved the SM-2 state and 'redrill' for a same-day
    re-drill, which leaves the state as it was.
    """

    __tablename__ = "review_log"
    __table_args__ = (
        Index("ix_log_item", "item_id", "reviewed_ms"),
        Index("ix_log_day", "study_day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id")
    reviewed_ms: int
    study_day: int
    quality: int
    kind: str = "review"
    seconds: float = 0.0
    reps_before: int
    ef_before: int
    interval_before: int
    due_before: int | None = None
    redrill_before: int | None = None
    reps_after: int
    ef_after: int
    interval_after: int
    due_after: int | None = None
    redrill_after: int | None = None


class DrillAttempt(SQLModel, table=True):
    """One run of a learner's code against a drill's tests (added in schema 2)."""

    __tablename__ = "drill_attempt"
    __table_args__ = (Index("ix_attempt_item", "item_id", "started_ms"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id")
    started_ms: int
    study_day: int
    code: str
    outcome: str
    message: str = ""
    duration_s: float = 0.0
    device: str = "cpu"
    tests_passed: int = 0
    tests_total: int = 0
    #: "run" for a run, "reveal" when the learner opened the reference solution.
    kind: str = "run"


class DrillDraft(SQLModel, table=True):
    """The learner's current code for a drill, autosaved so a crash loses nothing."""

    __tablename__ = "drill_draft"

    item_id: int = Field(primary_key=True, foreign_key="item.id")
    code: str
    saved_ms: int


#: Full-text search over every language of a card. External-content FTS5 kept in step by
#: triggers; the update trigger fires only when text columns change, so answering (which updates
#: the schedule columns) never touches the index.
FTS_SQL = [
    (
        "CREATE VIRTUAL TABLE IF NOT EXISTS item_fts USING fts5("
        "key, front, back, texts_json, content='item', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')"
    ),
    (
        "CREATE TRIGGER IF NOT EXISTS item_fts_insert AFTER INSERT ON item BEGIN "
        "INSERT INTO item_fts(rowid, key, front, back, texts_json) "
        "VALUES (new.id, new.key, new.front, new.back, new.texts_json); END"
    ),
    (
        "CREATE TRIGGER IF NOT EXISTS item_fts_delete AFTER DELETE ON item BEGIN "
        "INSERT INTO item_fts(item_fts, rowid, key, front, back, texts_json) "
        "VALUES ('delete', old.id, old.key, old.front, old.back, old.texts_json); END"
    ),
    (
        "CREATE TRIGGER IF NOT EXISTS item_fts_update "
        "AFTER UPDATE OF key, front, back, texts_json ON item BEGIN "
        "INSERT INTO item_fts(item_fts, rowid, key, front, back, texts_json) "
        "VALUES ('delete', old.id, old.key, old.front, old.back, old.texts_json); "
        "INSERT INTO item_fts(rowid, key, front, back, texts_json) "
        "VALUES (new.id, new.key, new.front, new.back, new.texts_json); END"
    ),
]


def _bucket(interval: str) -> str:
    """The retention bucket of an ``interval_before``: 0 for a new item's first answer, then
    1 day, 2-6, 7-20, 21-59 and 60+ (``studyapp.core.stats.queries.RETENTION_BUCKETS``)."""
    return (
        f"CASE WHEN {interval} < 1 THEN 0 WHEN {interval} <= 1 THEN 1 WHEN {interval} <= 6 THEN 2 "
        f"WHEN {interval} <= 20 THEN 3 WHEN {interval} <= 59 THEN 4 ELSE 5 END"
    )


_DAY_KEY = "study_day = {r}.study_day AND graded = ({r}.kind = 'review') AND quality = {r}.quality "
_DAY_KEY += "AND bucket = " + _bucket("{r}.interval_before")
_DAY_ADD = (
    "INSERT INTO review_day(study_day, graded, quality, bucket, n, seconds) "
    "VALUES (new.study_day, new.kind = 'review', new.quality, "
    + _bucket("new.interval_before")
    + ", 1, new.seconds) ON CONFLICT(study_day, graded, quality, bucket) "
    "DO UPDATE SET n = n + 1, seconds = seconds + excluded.seconds; "
)
_DAY_REMOVE = (
    "UPDATE review_day SET n = n - 1, seconds = seconds - old.seconds WHERE "
    + _DAY_KEY.format(r="old")
    + "; DELETE FROM review_day WHERE study_day = old.study_day AND n <= 0; "
)

#: The review log counted per study day, kind (graded = a 'review', else a re-drill), grade and
#: retention bucket, kept in step with ``review_log`` by triggers (schema 3). The Statistics page
#: reads a few rows per day from it instead of every answer: a year of a million-answer log is
#: then as quick to show as a month.
REVIEW_DAY_SQL = [
    (
        "CREATE TABLE IF NOT EXISTS review_day (study_day INTEGER NOT NULL, "
        "graded INTEGER NOT NULL, quality INTEGER NOT NULL, bucket INTEGER NOT NULL, "
        "n INTEGER NOT NULL, seconds REAL NOT NULL, "
        "PRIMARY KEY (study_day, graded, quality, bucket)) WITHOUT ROWID"
    ),
    (
        "CREATE TRIGGER IF NOT EXISTS review_day_insert AFTER INSERT ON review_log BEGIN "
        f"{_DAY_ADD}END"
    ),
    (
        "CREATE TRIGGER IF NOT EXISTS review_day_delete AFTER DELETE ON review_log BEGIN "
        f"{_DAY_REMOVE}END"
    ),
    (
        "CREATE TRIGGER IF NOT EXISTS review_day_update AFTER UPDATE OF study_day, kind, "
        f"quality, interval_before, seconds ON review_log BEGIN {_DAY_REMOVE}{_DAY_ADD}END"
    ),
]
#: Fills ``review_day`` from the whole review log (when a file is upgraded to schema 3).
REVIEW_DAY_BACKFILL = [
    "DELETE FROM review_day",
    (
        "INSERT INTO review_day(study_day, graded, quality, bucket, n, seconds) "
        "SELECT study_day, kind = 'review', quality, "
        + _bucket("interval_before")
        + ", count(*), total(seconds) FROM review_log GROUP BY 1, 2, 3, 4"
    ),
]
