"""Coding drills as SM-2 items: the catalogue in the collection, drafts, attempts and grades.

Why drills share the flashcards' schedule: a drill you solved cleanly should come back in weeks,
one you struggled with tomorrow — the same judgement SM-2 makes for cards. A drill's grade
comes from how the attempt went, not from a button:

| grade | when |
| ----- | ---- |
| 5 | all tests passed on the first run since the drill came due |
| 4 | passed after one or two failed runs |
| 3 | passed after three or more failed runs |
| 1 | the reference solution was revealed before passing (gave up) |

Each drill track is a deck (``drills-<track>``) so it can be switched off like any deck.
Runs of a drill that is not due (practice) are stored but do not move its schedule.
"""

from __future__ import annotations

from dataclasses import dataclass

from studyapp.core.collection import Collection, QueueCard
from studyapp.core.drills.catalog import Exercise
from studyapp.core.drills.runner_protocol import RunReport
from studyapp.core.scheduling.daily_queue import QueueSource
from studyapp.core.scheduling.study_day import epoch_ms
from studyapp.core.storage import writes
from studyapp.core.storage.kinds import ItemKind

__all__ = ["DrillService", "DrillStatus", "grade_for"]


def grade_for(failed_runs: int, *, passed: bool, revealed: bool) -> int | None:
    """The SM-2 grade of a drill session, or None while it is still going."""
    if revealed and not passed:
        return 1
    if not passed:
        return None
    if failed_runs == 0:
        return 5
    return 4 if failed_runs <= 2 else 3


@dataclass(frozen=True, slots=True)
class DrillStatus:
    """One drill in the catalogue, as the Drills page lists it."""

    key: str
    title: str
    track: str
    difficulty: str
    needs_torch: bool
    attempts: int
    last_outcome: str
    ever_passed: bool
    due: bool
    item_id: int


def _track_title(track: str) -> str:
    return "Drills: " + track.replace("-", " ")


class DrillService:
    """Drills over one collection; used on the collection's thread like the collection itself."""

    def __init__(self, collection: Collection, exercises: list[Exercise]) -> None:
        self.collection = collection
        self.exercises = {e.key: e for e in exercises}

    # ------------------------------------------------------------------ catalogue
    def sync(self) -> None:
        """Make an SM-2 item for every exercise (progress kept) and retire removed ones."""
        now = epoch_ms(self.collection.clock())
        with self.collection.db.transaction() as conn:
            decks = dict(conn.execute("SELECT key, id FROM deck WHERE key LIKE 'drills-%'"))
            items = dict(conn.execute("SELECT key, id FROM item WHERE kind = 'drill'"))
            for position, exercise in enumerate(sorted(self.exercises.values(), key=_order)):
                deck_key = f"drills-{exercise.track}"
                if deck_key not in decks:
                    decks[deck_key] = writes.insert_deck(
                        conn, deck_key, _track_title(exercise.track), "Coding drills", tags="drill"
                    )
                statement = exercise.statement_path.read_text(encoding="utf-8")
                if exercise.key in items:
                    writes.update_drill(
                        conn, items[exercise.key], statement, decks[deck_key], position
                    )
                else:
                    writes.insert_item(
                        conn,
                        kind=ItemKind.DRILL,
                        key=exercise.key,
                        deck_id=decks[deck_key],
                        position=position,
                        front=statement,
                        tags=",".join(exercise.tags),
                        added_ms=now,
                    )
            writes.retire_drills(conn, [k for k in items if k not in self.exercises])
        self.collection.invalidate_queue()

    def exercise(self, key: str) -> Exercise:
        """The exercise with ``key`` ("track/slug"), or the only one whose slug is ``key``."""
        if key in self.exercises:
            return self.exercises[key]
        matches = [e for e in self.exercises.values() if e.slug == key]
        if len(matches) == 1:
            return matches[0]
        known = ", ".join(sorted(self.exercises))
        raise KeyError(f"no drill {key!r}; known drills: {known}")

    def _item_id(self, key: str) -> int:
        key = self.exercise(key).key
        row = self.collection.db.conn.execute(
            "SELECT id FROM item WHERE kind='drill' AND key = ?", (key,)
        ).fetchone()
        if row is None:
            raise KeyError(f"drill {key!r} is not in the collection; sync first")
        return row[0]

    def statuses(self) -> list[DrillStatus]:
        """Every drill with its attempts, last outcome and whether it is due today."""
        today = self.collection.today()
        rows = self.collection.db.conn.execute(
            "SELECT i.key, i.id, i.due_day, i.redrill_day, count(a.id), "
            "coalesce(sum(a.outcome = 'passed'), 0), "
            "(SELECT outcome FROM drill_attempt b WHERE b.item_id = i.id AND b.kind = 'run' "
            " ORDER BY b.id DESC LIMIT 1) "
            "FROM item i LEFT JOIN drill_attempt a ON a.item_id = i.id AND a.kind = 'run' "
            "WHERE i.kind = 'drill' AND NOT i.retired GROUP BY i.id"
        ).fetchall()
        out = []
        for key, item_id, due_day, redrill_day, attempts, passes, last in rows:
            exercise = self.exercises.get(key)
            if exercise is None:
                continue
            due = due_day is None or due_day <= today or redrill_day == today
            out.append(
                DrillStatus(
                    key=key,
                    title=exercise.title,
                    track=exercise.track,
                    difficulty=exercise.difficulty,
                    needs_torch=exercise.needs_torch,
                    attempts=attempts,
                    last_outcome=last or "",
                    ever_passed=passes > 0,
                    due=due,
                    item_id=item_id,
                )
            )
        return sorted(out, key=lambda s: (s.track, s.key))

    # ------------------------------------------------------------------ code
    def draft(self, key: str) -> str:
        """The learner's saved code, or the starter for a drill never touched."""
        row = self.collection.db.conn.execute(
            "SELECT code FROM drill_draft WHERE item_id = ?", (self._item_id(key),)
        ).fetchone()
        return row[0] if row else self.exercise(key).starter_path.read_text(encoding="utf-8")

    def save_draft(self, key: str, code: str) -> None:
        """Keep the code (one small transaction; called on Ctrl+S and by the autosave)."""
        item_id = self._item_id(key)
        with self.collection.db.transaction() as conn:
            writes.save_drill_draft(conn, item_id, code, epoch_ms(self.collection.clock()))

    def reset_draft(self, key: str) -> str:
        """Forget the saved code; returns the starter."""
        with self.collection.db.transaction() as conn:
            writes.delete_drill_draft(conn, self._item_id(key))
        return self.exercise(key).starter_path.read_text(encoding="utf-8")

    # ------------------------------------------------------------------ attempts and grades
    def _due_card(self, item_id: int) -> QueueCard | None:
        """The drill as a card to grade, if it is due today (new, due, or a re-drill)."""
        card = self.collection.card(item_id)
        today = self.collection.today()
        if card.redrill_day == today:
            return self.collection.card(item_id, queue=QueueSource.REDRILL)
        if card.due_day is None:
            return self.collection.card(item_id, queue=QueueSource.NEW)
        if card.due_day <= today:
            return self.collection.card(item_id, queue=QueueSource.DUE)
        return None

    def _failed_runs_since_graded(self, item_id: int) -> tuple[int, bool]:
        conn = self.collection.db.conn
        last_graded = conn.execute(
            "SELECT coalesce(max(reviewed_ms), 0) FROM review_log WHERE item_id = ?", (item_id,)
        ).fetchone()[0]
        failed, revealed = conn.execute(
            "SELECT coalesce(sum(kind = 'run' AND outcome != 'passed'), 0), "
            "coalesce(max(kind = 'reveal'), 0) FROM drill_attempt "
            "WHERE item_id = ? AND started_ms > ?",
            (item_id, last_graded),
        ).fetchone()
        return int(failed), bool(revealed)

    def record_run(self, key: str, code: str, report: RunReport) -> int | None:
        """Store the attempt; when it passes a due drill, grade it. Returns the grade given."""
        item_id = self._item_id(key)
        self._store_attempt(item_id, code, "run", report)
        if not report.passed:
            return None
        return self._grade(item_id, passed=True)

    def reveal(self, key: str) -> str:
        """The reference solution; revealing it before passing grades a due drill 1."""
        item_id = self._item_id(key)
        self._store_attempt(item_id, "", "reveal", None)
        self._grade(item_id, passed=False)
        return self.exercise(key).solution_path.read_text(encoding="utf-8")

    def _grade(self, item_id: int, *, passed: bool) -> int | None:
        card = self._due_card(item_id)
        if card is None:
            return None
        failed, revealed = self._failed_runs_since_graded(item_id)
        grade = grade_for(failed, passed=passed, revealed=revealed)
        if grade is not None:
            self.collection.answer(card, grade)
        return grade

    def _store_attempt(self, item_id: int, code: str, kind: str, report: RunReport | None) -> None:
        now = self.collection.clock()
        tests = report.tests if report else []
        with self.collection.db.transaction() as conn:
            writes.insert_drill_attempt(
                conn,
                item_id,
                epoch_ms(now),
                self.collection.today(),
                code,
                report.outcome if report else "revealed",
                message=report.message if report else "",
                duration_s=report.duration_s if report else 0.0,
                device=report.device if report else "",
                tests=(sum(t.status == "passed" for t in tests), len(tests)),
                kind=kind,
            )

    def attempts(self, key: str) -> list[tuple[int, str, str, float, str]]:
        """(time ms, kind, outcome, seconds, device) of every attempt, oldest first."""
        return self.collection.db.conn.execute(
            "SELECT started_ms, kind, outcome, duration_s, device FROM drill_attempt "
            "WHERE item_id = ? ORDER BY id",
            (self._item_id(key),),
        ).fetchall()


def _order(exercise: Exercise) -> tuple[int, str, str]:
    rank = {"easy": 0, "medium": 1, "hard": 2}[exercise.difficulty]
    return (rank, exercise.track, exercise.slug)
