"""The collection: today's queue, answering, undo, and the queries the screens need.

Why this shape (after Anki's answer path): an answer carries the state it was computed from; the
card's new state and its review-log row are written in one transaction, and the update only
applies if the stored state still equals that state, so a stale or doubled answer can never
overwrite progress. The instance is used by one thread at a time (the UI's database worker).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.core.errors import StaleAnswerError
from studyapp.core.scheduling.daily_queue import (
    NEW_ORDERS,
    DailyQueue,
    QueueCounts,
    QueueSource,
    StudyScope,
)
from studyapp.core.scheduling.sm2 import REDRILL_BELOW, Sm2State, check_quality, review
from studyapp.core.scheduling.study_day import (
    DEFAULT_DAY_START_HOUR,
    Clock,
    epoch_ms,
    local_now,
    study_day,
)
from studyapp.core.storage import writes
from studyapp.core.storage.database import Database
from studyapp.core.storage.instance_lock import InstanceLock
from studyapp.core.storage.kinds import ItemKind, ReviewKind
from studyapp.core.storage.paths import DataPaths
from studyapp.core.storage.queue_reads import LIVE, build_queue, refill_due

if TYPE_CHECKING:
    from studyapp.core.storage.schema import ReviewLog

__all__ = [
    "CardRow",
    "Collection",
    "DeckSummary",
    "ItemKind",
    "QueueCard",
    "QueueCounts",
    "QueueSource",
    "ReviewKind",
    "Settings",
]

#: Items that can be asked (see ``queue_reads.LIVE``); the name other core modules import.
_LIVE = LIVE
_CARD_SELECT = (
    "SELECT i.id, i.kind, i.key, i.front, i.back, i.texts_json, i.tags, i.source, "
    "i.repetitions, i.ef_hundredths, i.interval, i.due_day, i.redrill_day, "
    "d.key, d.title, d.titles_json FROM item i LEFT JOIN deck d ON d.id = i.deck_id "
    "WHERE i.id = ?"
)


@dataclass(frozen=True, slots=True)
class Settings:
    """Per-collection settings, stored in the ``meta`` table."""

    day_start_hour: int = DEFAULT_DAY_START_HOUR
    new_per_day: int = 20
    reviews_per_day: int = 200
    #: The language cards are shown in; "" follows the system locale (decided by the UI).
    language: str = ""
    #: How new items are introduced: "interleave" (across decks, the default) or "deck".
    new_order: str = "interleave"

    def validated(self) -> Settings:
        """Return self, or raise ValueError naming the field that is out of range."""
        if not 0 <= self.day_start_hour <= 23:
            raise ValueError(f"day_start_hour must be 0..23, got {self.day_start_hour}")
        for name in ("new_per_day", "reviews_per_day"):
            value = getattr(self, name)
            if not 0 <= value <= 100_000:
                raise ValueError(f"{name} must be 0..100000, got {value}")
        if self.language and (len(self.language) != 2 or not self.language.isalpha()):
            raise ValueError(f"language must be '' or a two-letter code, got {self.language!r}")
        if self.new_order not in NEW_ORDERS:
            raise ValueError(
                f"new_order must be one of {', '.join(NEW_ORDERS)}, got {self.new_order!r}"
            )
        return self


@dataclass(frozen=True, slots=True)
class QueueCard:
    """The item being asked, with everything the review screen shows."""

    item_id: int
    kind: ItemKind
    key: str
    deck_key: str | None
    deck_title: str | None
    front: str
    back: str
    texts: dict[str, tuple[str, str]]
    tags: tuple[str, ...]
    source_note: str
    #: The deck's title in each language it has one for.
    deck_titles: dict[str, str]
    state: Sm2State
    due_day: int | None
    redrill_day: int | None
    #: How an answer to it counts (a re-drill leaves the SM-2 state alone).
    queue: QueueSource

    def text(self, language: str) -> tuple[str, str]:
        """(front, back) in ``language``, falling back to the primary text."""
        return self.texts.get(language, (self.front, self.back))

    @property
    def is_redrill(self) -> bool:
        return self.queue == QueueSource.REDRILL

    def next_intervals(self) -> dict[int, int | None]:
        """Days until the next review for each grade; None where the state does not move.

        A re-drill never changes the SM-2 state (step 7), so all its grades map to None.
        """
        if self.is_redrill:
            return dict.fromkeys(range(6))
        return {q: review(self.state, q).interval for q in range(6)}


@dataclass(frozen=True, slots=True)
class DeckSummary:
    """One row of the Decks page and of ``studyapp decks list``."""

    key: str
    name: str
    description: str
    cards: int
    due: int
    new: int
    enabled: bool
    source_path: str
    #: The deck's title in each language it has one for (``name`` is the primary one).
    titles: dict[str, str] = field(default_factory=dict)

    def title(self, language: str) -> str:
        """The title in ``language`` where the deck has one, else the primary title."""
        return self.titles.get(language) or self.name


@dataclass(frozen=True, slots=True)
class CardRow:
    """One card in the browser's list."""

    item_id: int
    key: str
    deck_title: str
    front: str
    due_day: int | None
    interval: int
    ef: float
    reviews: int
    retired: bool
    #: A card or a coding drill (the browser finds coding drills too).
    kind: ItemKind = ItemKind.CARD
    #: The question in each other language the card has.
    fronts: dict[str, str] = field(default_factory=dict)


class Collection:
    """An open collection file. Use :meth:`open` for the app's data folder."""

    def __init__(self, path: Path, *, clock: Clock = local_now) -> None:
        self.db = Database(path)
        self.path = self.db.path
        self.clock = clock
        self.lock: InstanceLock | None = None
        #: Set by :meth:`open`: the data folder's marker that a review history exists.
        self.history_marker: Path | None = None
        self._settings = self._load_settings()
        self._queue: DailyQueue | None = None
        self._current: QueueCard | None = None
        #: Review-log ids answered in this session, newest last (what Ctrl+Z walks back).
        self._undo: list[int] = []
        #: What this session studies (every enabled deck unless the learner narrowed it).
        self.scope = StudyScope()
        self.closed = False

    @classmethod
    def open(
        cls,
        data_dir: Path,
        *,
        clock: Clock = local_now,
        lock: bool = True,
        check: bool = True,
        purpose: str = "the StudyApp window",
    ) -> Collection:
        """Open ``<data_dir>/collection.sqlite``, holding the folder's instance lock.

        ``lock=False`` is for a caller that already holds the lock (the window) or only reads.
        ``check`` first runs the cheap part of the start-up check (never writing): a damaged
        file, or a missing or empty one in a folder that had a collection, raises
        ``backups.DamagedCollectionError`` naming the newest good backup. ``purpose`` is what
        another process finding the folder busy is told holds it.
        """
        data_dir = Path(data_dir)
        instance = InstanceLock(data_dir, purpose).acquire() if lock else None
        try:
            if check:
                from studyapp.core.storage.backups import check_before_open

                check_before_open(data_dir, clock=clock)
            collection = cls(DataPaths(data_dir).collection, clock=clock)
            collection._mark_history(DataPaths(data_dir).history_marker)
        except BaseException:
            if instance:
                instance.release()
            raise
        collection.lock = instance
        collection.history_marker = DataPaths(data_dir).history_marker
        return collection

    def _mark_history(self, marker: Path) -> None:
        """Write the folder's history marker once the file holds answers or drill attempts."""
        if marker.exists():
            return
        has = self.db.conn.execute(
            "SELECT EXISTS(SELECT 1 FROM review_log) OR EXISTS(SELECT 1 FROM drill_attempt)"
        ).fetchone()[0]
        if has:
            with contextlib.suppress(OSError):  # a read-only folder: the backups still say so
                marker.write_text("This folder holds a StudyApp collection with history.\n")

    def close(self) -> None:
        """Close the file (every answer is already committed) and release the lock. Idempotent."""
        if self.closed:
            return
        self.closed = True
        try:
            if self.history_marker is not None and not self.db.conn.in_transaction:
                self._mark_history(self.history_marker)
        except sqlite3.Error:
            pass  # only a hint for later starts; closing must go on
        finally:
            self.db.close()
            if self.lock:
                self.lock.release()

    def close_damaged(self) -> None:
        """Close a file found damaged without copying the WAL into it; release the lock."""
        if self.closed:
            return
        self.closed = True
        self.db.close(checkpoint=False)
        if self.lock:
            self.lock.release()

    # ------------------------------------------------------------------ settings
    def _load_settings(self) -> Settings:
        rows = dict(self.db.conn.execute("SELECT key, value FROM meta WHERE key LIKE 'setting.%'"))
        base = Settings()
        values = {}
        for name in Settings.__slots__:
            raw = rows.get(f"setting.{name}")
            if raw is not None:
                values[name] = type(getattr(base, name))(raw)
        return replace(base, **values)

    @property
    def settings(self) -> Settings:
        return self._settings

    def update_settings(self, **changes: object) -> Settings:
        """Change settings (validated) and rebuild today's queue with the new limits."""
        new = replace(self._settings, **changes).validated()  # type: ignore[arg-type]
        with self.db.transaction() as conn:
            writes.save_meta(
                conn, [(f"setting.{name}", str(getattr(new, name))) for name in Settings.__slots__]
            )
        self._settings = new
        self.invalidate_queue()
        return new

    # ------------------------------------------------------------------ days
    def today(self) -> int:
        """Today's study-day ordinal, by the injected clock and the day-start hour."""
        return study_day(self.clock(), self._settings.day_start_hour)

    # ------------------------------------------------------------------ queue
    def invalidate_queue(self) -> None:
        """Forget today's queue (after a sync, a deck toggle or a settings change)."""
        self._queue = None
        self._current = None

    def set_scope(self, scope: StudyScope) -> None:
        """Study one deck, one tag, or everything (``StudyScope()``) from now on."""
        self.scope = scope
        self.invalidate_queue()

    def _build_queue(self, day: int) -> DailyQueue:
        s = self._settings
        return build_queue(
            self.db.conn,
            day,
            self.scope.sql(),
            new_per_day=s.new_per_day,
            reviews_per_day=s.reviews_per_day,
            new_order=s.new_order,
        )

    def _ensure_queue(self) -> DailyQueue:
        day = self.today()
        if self._queue is None or self._queue.day != day:
            self._queue = self._build_queue(day)
            self._current = None
        elif not self._queue.due and self._queue.due_left:
            refill_due(self.db.conn, self._queue, self.scope.sql())
        return self._queue

    def counts(self) -> QueueCounts:
        """New / due / re-drill items left today."""
        return self._ensure_queue().counts()

    def next_card(self) -> QueueCard | None:
        """The card to ask now, or None when today is done. Does not consume it."""
        queue = self._ensure_queue()
        head = queue.peek()
        if head is None:
            self._current = None
            return None
        source, item_id = head
        if self._current is None or self._current.item_id != item_id:
            self._current = self._load_card(item_id, source)
        return self._current

    def _load_card(self, item_id: int, source: QueueSource) -> QueueCard:
        (
            item_id,
            kind,
            key,
            front,
            back,
            texts_json,
            tags,
            source_note,
            repetitions,
            ef_hundredths,
            interval,
            due_day,
            redrill_day,
            deck_key,
            deck_title,
            deck_titles_json,
        ) = self.db.conn.execute(_CARD_SELECT, (item_id,)).fetchone()
        texts = {lang: (t[0], t[1]) for lang, t in json.loads(texts_json or "{}").items()}
        return QueueCard(
            item_id=item_id,
            kind=ItemKind(kind),
            key=key,
            front=front,
            back=back,
            texts=texts,
            tags=tuple(t for t in tags.split(",") if t),
            source_note=source_note,
            state=Sm2State.from_hundredths(repetitions, ef_hundredths, interval),
            due_day=due_day,
            redrill_day=redrill_day,
            deck_key=deck_key,
            deck_title=deck_title,
            deck_titles=json.loads(deck_titles_json or "{}"),
            queue=source,
        )

    # ------------------------------------------------------------------ answering
    def answer(self, card: QueueCard, quality: int, seconds: float = 0.0) -> int:
        """Record a grade for ``card`` in one transaction and return the review-log id.

        A normal answer moves the SM-2 state; a re-drill answer (same day, step 7) only decides
        whether the card is asked again today. Raises StaleAnswerError if the stored state is no
        longer the one ``card`` was shown with (nothing is written then).
        """
        q = check_quality(quality)
        now = self.clock()
        day = study_day(now, self._settings.day_start_hour)
        state = card.state
        before = writes.ScheduleRow(
            state.repetitions, state.ef_hundredths, state.interval, card.due_day, card.redrill_day
        )
        redrill_after = day if q < REDRILL_BELOW else None
        if card.is_redrill:
            kind = ReviewKind.REDRILL
            after = before._replace(redrill_day=redrill_after)
        else:
            kind, new = ReviewKind.REVIEW, review(state, q)
            after = writes.ScheduleRow(
                new.repetitions, new.ef_hundredths, new.interval, day + new.interval, redrill_after
            )
        log = writes.ReviewLogRow(
            card.item_id, epoch_ms(now), day, q, kind, float(seconds), before, after
        )
        with self.db.transaction() as conn:
            if not writes.set_item_schedule_if(conn, card.item_id, before, after):
                raise StaleAnswerError(
                    f"card {card.key!r} changed since it was shown; the answer was not recorded"
                )
            log_id = writes.insert_review_log(conn, log)
        self._undo.append(log_id)
        self._answered(card, day, again=redrill_after is not None)
        return log_id

    def _answered(self, card: QueueCard, day: int, *, again: bool) -> None:
        """Take an answered card off today's queue (or rebuild it when the day has turned)."""
        queue = self._queue
        if (
            queue is not None
            and queue.day == day
            and card.item_id in getattr(queue, card.queue, ())
        ):
            queue.answered(card.queue, card.item_id, redrill_again=again)
            self._current = None
        else:
            self.invalidate_queue()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> QueueCard | None:
        """Undo the last answer of this session exactly; the card becomes the current one.

        Returns the restored card, or None when there is nothing to undo.
        """
        if not self._undo:
            return None
        log_id = self._undo[-1]
        with self.db.transaction() as conn:
            row = conn.execute(
                "SELECT item_id, reps_before, ef_before, interval_before, due_before, "
                "redrill_before FROM review_log WHERE id = ?",
                (log_id,),
            ).fetchone()
            if row is None:
                raise StaleAnswerError("the answer to undo is no longer in the review log")
            item_id, *schedule = row
            before = writes.ScheduleRow(*schedule)
            writes.restore_item_schedule(conn, item_id, before)
            writes.delete_review_log(conn, log_id)
        self._undo.pop()
        queue = self._queue = self._build_queue(self.today())
        in_lists = item_id in queue.redrill or item_id in queue.new or item_id in queue.due
        if not in_lists and before.due_day is not None and before.due_day <= queue.day:
            queue.due.insert(0, item_id)  # due again, but beyond the first page of the backlog
        queue.pinned = item_id
        head = queue.peek()
        source = head[0] if head is not None and head[1] == item_id else QueueSource.DUE
        self._current = self._load_card(item_id, source)
        return self._current

    # ------------------------------------------------------------------ overviews
    def due_on(self, day: int) -> int:
        """Reviews that will be due on ``day`` (overdue ones included), not counting new cards."""
        return self.db.conn.execute(
            f"SELECT count(*) FROM item i WHERE i.due_day <= ? AND {_LIVE}", (day,)
        ).fetchone()[0]

    def new_available(self) -> int:
        """New items that could be introduced (live, in enabled decks), ignoring daily limits."""
        return self.db.conn.execute(
            f"SELECT count(*) FROM item i WHERE i.due_day IS NULL AND {_LIVE}"
        ).fetchone()[0]

    def answered_on(self, day: int) -> int:
        """Answers given on a study day (re-drills included)."""
        return self.db.conn.execute(
            "SELECT count(*) FROM review_log WHERE study_day = ?", (day,)
        ).fetchone()[0]

    def decks(self) -> list[DeckSummary]:
        """Every live deck with its card, due and new counts (due counts ignore daily limits)."""
        rows = self.db.conn.execute(
            "SELECT d.key, d.title, d.description, d.enabled, d.source_path, count(i.id), "
            "coalesce(sum(i.due_day <= ?), 0), coalesce(sum(i.due_day IS NULL), 0), d.titles_json "
            "FROM deck d LEFT JOIN item i ON i.deck_id = d.id AND NOT i.retired "
            "AND NOT i.suspended WHERE NOT d.retired GROUP BY d.id ORDER BY d.title",
            (self.today(),),
        ).fetchall()
        return [
            DeckSummary(
                key=key,
                name=title,
                description=description,
                enabled=bool(enabled),
                source_path=source_path,
                cards=cards,
                due=due,
                new=new,
                titles=json.loads(titles_json or "{}"),
            )
            for key, title, description, enabled, source_path, cards, due, new, titles_json in rows
        ]

    def set_deck_enabled(self, key: str, enabled: bool) -> None:
        """Include or exclude a deck from reviews; today's queue follows at once."""
        with self.db.transaction() as conn:
            if not writes.set_deck_enabled(conn, key, enabled):
                raise KeyError(f"no deck {key!r}")
        self.invalidate_queue()

    def browse(
        self, query: str = "", *, deck_key: str | None = None, limit: int = 500
    ) -> list[CardRow]:
        """Cards and coding drills matching a full-text query (every language, prefix match)."""
        where, params = ["NOT (i.kind = 'drill' AND i.retired)"], []
        if deck_key:
            where.append("d.key = ?")
            params.append(deck_key)
        match = _fts_query(query)
        if match:
            where.append("i.id IN (SELECT rowid FROM item_fts WHERE item_fts MATCH ?)")
            params.append(match)
        rows = self.db.conn.execute(
            "SELECT i.id, i.key, coalesce(d.title, ''), i.front, i.due_day, i.interval, "
            "i.ef_hundredths, (SELECT count(*) FROM review_log l WHERE l.item_id = i.id), "
            "i.retired, i.kind, i.texts_json FROM item i LEFT JOIN deck d ON d.id = i.deck_id "
            f"WHERE {' AND '.join(where)}"
            " ORDER BY i.retired, d.title, i.position, i.id LIMIT ?",
            (*params, limit),
        ).fetchall()
        return [_card_row(*row) for row in rows]

    def card(self, item_id: int, *, queue: QueueSource = QueueSource.BROWSE) -> QueueCard:
        """One item as the review screen would show it; ``queue`` says how an answer to it
        counts ('due', 'new' or 'redrill'); 'browse' is for looking only."""
        return self._load_card(item_id, QueueSource(queue))  # a caller passing "due" gets the enum

    def history(self, item_id: int) -> Sequence[ReviewLog]:
        """The review log of one item, oldest first."""
        from sqlmodel import Session, select

        from studyapp.core.storage.schema import ReviewLog

        with Session(self.db.engine) as session:
            statement = (
                select(ReviewLog)
                .where(ReviewLog.item_id == item_id)
                .order_by(ReviewLog.reviewed_ms, ReviewLog.id)  # type: ignore[arg-type]
            )
            return session.exec(statement).all()


def _card_row(
    item_id: int,
    key: str,
    deck_title: str,
    front: str,
    due_day: int | None,
    interval: int,
    ef_hundredths: int,
    reviews: int,
    retired: int,
    kind: str,
    texts_json: str | None,
) -> CardRow:
    """One row of ``Collection.browse``'s query, by column name."""
    return CardRow(
        item_id,
        key,
        deck_title,
        front,
        due_day,
        interval,
        ef_hundredths / 100,
        reviews,
        bool(retired),
        ItemKind(kind),
        fronts={lang: t[0] for lang, t in json.loads(texts_json or "{}").items()},
    )


def _fts_query(text: str) -> str:
    """Turn what a user types into an FTS5 query: every word must match as a prefix."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    return " AND ".join(f'"{w}"*' for w in words)
