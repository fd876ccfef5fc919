"""FSRS-6 beside SM-2: memory states replayed from the review log, through py-fsrs.

Why py-fsrs (PyPI ``fsrs``) and not our own formulas: it is the maintained reference
implementation of FSRS-6, the one Anki's FSRS is ported from; every stability, difficulty and
interval here is computed by its ``Scheduler``. This module only decides what to feed it:

- **Grades.** SM-2's six grades map onto FSRS's four ratings: 0-2 (SM-2's failures) are Again,
  3 Hard, 4 Good, 5 Easy (:data:`GRADE_TO_RATING`).
- **Which answers count.** The first answer of an item on each study day, in time order. Same-day
  re-drills (review-log kind ``'redrill'``, SM-2 step 7) keep their meaning under FSRS: an item
  graded below 4 is asked again today and those answers change no schedule. Any later answer on
  the same study day (for example an imported Anki history's learning steps) is left out too.
  That is also how the public benchmark scores FSRS without same-day reviews.
- **Days.** Each answer is given to py-fsrs at midnight UTC of its study day
  (:func:`day_datetime`), so FSRS counts elapsed time in the same study days as the daily queue
  and its due dates are whole study days.
- **Scheduler settings.** No learning or relearning steps (the app's same-day repetition is the
  re-drill) and no fuzz (the same history always gives the same due days; the app's SM-2 has no
  fuzz either). Learning steps change only py-fsrs's minute-level due times, never stability or
  difficulty, so memory states equal those of py-fsrs's defaults for the same answers.

The SM-2 state stays in the ``item`` table; an FSRS state is always recomputed from the log
(:func:`memory_states`), so switching scheduler either way loses nothing, and imported Anki
history counts like any other.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Final

from fsrs import Card, Rating, Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS

from studyapp.core.scheduling.sm2 import check_quality

__all__ = [
    "DEFAULT_PARAMETERS",
    "DEFAULT_RETENTION",
    "GRADE_TO_RATING",
    "MAX_RETENTION",
    "MIN_RETENTION",
    "Answer",
    "FsrsConfig",
    "FsrsMemory",
    "daily_answers",
    "day_datetime",
    "load_answers",
    "memory_states",
    "next_intervals",
    "rating_for",
    "replay",
    "review",
]

DEFAULT_RETENTION: Final = 0.90
MIN_RETENTION: Final = 0.70
MAX_RETENTION: Final = 0.97

#: SM-2 grade -> FSRS rating. 0-2 are SM-2's failed recalls, so all three are Again.
GRADE_TO_RATING: Final[dict[int, Rating]] = {
    0: Rating.Again,
    1: Rating.Again,
    2: Rating.Again,
    3: Rating.Hard,
    4: Rating.Good,
    5: Rating.Easy,
}

_EPOCH_DAY: Final = datetime(1, 1, 1, tzinfo=UTC)


def rating_for(quality: int) -> Rating:
    """The FSRS rating of an SM-2 grade 0..5 (ValueError for anything else)."""
    return GRADE_TO_RATING[check_quality(quality)]


def day_datetime(day: int) -> datetime:
    """Midnight UTC of study day ``day`` (a ``date.toordinal()``): the time py-fsrs is given."""
    return _EPOCH_DAY + timedelta(days=day - 1)


def _day_of(moment: datetime) -> int:
    return (moment - _EPOCH_DAY).days + 1


@dataclass(frozen=True, slots=True)
class Answer:
    """One review-log row, as much of it as scheduling and evaluation need."""

    item_id: int
    reviewed_ms: int
    study_day: int
    quality: int
    redrill: bool = False
    seconds: float = 0.0
    #: SM-2's interval (days) before this answer, as the log recorded it.
    interval_before: int = 0


@dataclass(frozen=True, slots=True)
class FsrsConfig:
    """FSRS parameters (21 weights) and desired retention; validated on construction."""

    parameters: tuple[float, ...] = DEFAULT_PARAMETERS
    desired_retention: float = DEFAULT_RETENTION
    maximum_interval: int = 36500

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "parameters", tuple(float(p) for p in self.parameters))
        except (TypeError, ValueError):
            raise ValueError(
                f"FSRS parameters must be 21 numbers, got {self.parameters!r}"
            ) from None
        retention = self.desired_retention
        if isinstance(retention, bool) or not isinstance(retention, int | float):
            raise ValueError(f"desired_retention must be a number, got {retention!r}")
        if not MIN_RETENTION <= retention <= MAX_RETENTION:
            raise ValueError(
                f"desired_retention must be {MIN_RETENTION:.2f}-{MAX_RETENTION:.2f}, "
                f"got {retention}"
            )
        try:
            _scheduler(self.parameters, float(retention), self.maximum_interval)
        except ValueError as exc:
            raise ValueError("FSRS parameters: " + str(exc).replace("\n", " ")) from None

    @property
    def scheduler(self) -> Scheduler:
        """py-fsrs's scheduler for this configuration (shared, never changed)."""
        return _scheduler(self.parameters, float(self.desired_retention), self.maximum_interval)

    def to_json(self) -> str:
        """The form stored in settings."""
        return json.dumps(
            {"parameters": list(self.parameters), "desired_retention": self.desired_retention}
        )

    @classmethod
    def from_json(cls, text: str) -> FsrsConfig:
        """Read :meth:`to_json`'s form; ValueError naming the field that is wrong."""
        try:
            data = json.loads(text)
            parameters = data.get("parameters", DEFAULT_PARAMETERS)
            retention = data.get("desired_retention", DEFAULT_RETENTION)
        except (ValueError, AttributeError) as exc:
            raise ValueError(f"FSRS settings are not a JSON object: {exc}") from None
        return cls(tuple(parameters), retention)


@lru_cache(maxsize=16)
def _scheduler(parameters: tuple[float, ...], retention: float, maximum: int) -> Scheduler:
    return Scheduler(
        parameters=parameters,
        desired_retention=retention,
        learning_steps=(),
        relearning_steps=(),
        maximum_interval=maximum,
        enable_fuzzing=False,
    )


@dataclass(frozen=True, slots=True)
class FsrsMemory:
    """An item's FSRS memory state after its counted answers; all None for a new item."""

    stability: float | None = None
    difficulty: float | None = None
    last_day: int | None = None
    due_day: int | None = None
    #: How many answers were replayed (first answers of their study day).
    reviews: int = 0
    card: Card | None = field(default=None, compare=False, repr=False)

    @property
    def is_new(self) -> bool:
        return self.last_day is None

    @property
    def interval(self) -> int | None:
        """Days from the last counted answer to the due day."""
        if self.last_day is None or self.due_day is None:
            return None
        return self.due_day - self.last_day

    def retrievability(self, day: int, config: FsrsConfig) -> float:
        """Predicted probability of recall on study day ``day`` (0 for a new item)."""
        return config.scheduler.get_card_retrievability(self._card(0), day_datetime(day))

    def _card(self, item_id: int) -> Card:
        if self.card is not None:
            return self.card
        return Card(card_id=item_id, due=day_datetime(self.due_day or 1))


def _memory(card: Card, reviews: int) -> FsrsMemory:
    assert card.last_review is not None  # a reviewed card
    return FsrsMemory(
        stability=card.stability,
        difficulty=card.difficulty,
        last_day=_day_of(card.last_review),
        due_day=_day_of(card.due),
        reviews=reviews,
        card=card,
    )


def daily_answers(answers: Iterable[Answer]) -> list[Answer]:
    """The answers FSRS counts: per item, the first answer of each later study day, in time order.

    Re-drills and any later answer on a study day the item was already answered on are dropped.
    """
    ordered = sorted(answers, key=lambda a: (a.item_id, a.reviewed_ms))
    kept: list[Answer] = []
    last: dict[int, int] = {}
    for answer in ordered:
        seen = last.get(answer.item_id)
        if answer.redrill or (seen is not None and answer.study_day <= seen):
            continue
        last[answer.item_id] = answer.study_day
        kept.append(answer)
    return kept


def review(
    memory: FsrsMemory,
    quality: int,
    day: int,
    config: FsrsConfig,
    *,
    item_id: int = 0,
    redrill: bool = False,
) -> FsrsMemory:
    """The state after answering ``quality`` on study day ``day``; ``memory`` is not changed.

    A re-drill, or any answer on a day the item was already answered on, leaves the state as it
    is (same-day re-drills change no schedule, as under SM-2).
    """
    rating = rating_for(quality)
    if redrill or (memory.last_day is not None and day <= memory.last_day):
        return memory
    card, _ = config.scheduler.review_card(memory._card(item_id), rating, day_datetime(day))
    return _memory(card, memory.reviews + 1)


def replay(answers: Sequence[Answer], config: FsrsConfig) -> FsrsMemory:
    """One item's memory state from its answers (any order; re-drills are skipped)."""
    items = {a.item_id for a in answers}
    if len(items) > 1:
        raise ValueError(f"replay takes one item's answers, got items {sorted(items)}")
    memory = FsrsMemory()
    for answer in daily_answers(answers):
        memory = review(memory, answer.quality, answer.study_day, config, item_id=answer.item_id)
    return memory


def memory_states(conn: sqlite3.Connection, config: FsrsConfig) -> dict[int, FsrsMemory]:
    """Every answered item's memory state, replayed from the review log (read-only)."""
    states: dict[int, FsrsMemory] = {}
    for answer in daily_answers(load_answers(conn)):
        memory = states.get(answer.item_id, FsrsMemory())
        states[answer.item_id] = review(
            memory, answer.quality, answer.study_day, config, item_id=answer.item_id
        )
    return states


def next_intervals(
    memory: FsrsMemory, day: int, config: FsrsConfig, *, redrill: bool = False
) -> dict[int, int | None]:
    """Days until the next review for each of the six grades if answered on ``day``.

    None everywhere for a re-drill (its answers do not move the schedule), as for SM-2.
    """
    if redrill or (memory.last_day is not None and day <= memory.last_day):
        return dict.fromkeys(range(6))
    out: dict[int, int | None] = {}
    for quality in range(6):
        after = review(memory, quality, day, config)
        out[quality] = after.interval
    return out


def load_answers(conn: sqlite3.Connection, item_ids: Iterable[int] | None = None) -> list[Answer]:
    """Review-log rows as :class:`Answer` (SELECT only), ordered by item and time."""
    sql = (
        "SELECT item_id, reviewed_ms, study_day, quality, kind = 'redrill', seconds, "
        "interval_before FROM review_log"
    )
    params: list[int] = []
    if item_ids is not None:
        params = [int(i) for i in item_ids]
        sql += f" WHERE item_id IN ({','.join('?' * len(params))})"
    sql += " ORDER BY item_id, reviewed_ms, id"
    return [
        Answer(item, at_ms, day, quality, bool(redrill), float(seconds or 0.0), before or 0)
        for item, at_ms, day, quality, redrill, seconds, before in conn.execute(sql, params)
    ]
