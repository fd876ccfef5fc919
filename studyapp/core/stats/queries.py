"""What the Statistics page and ``studyapp stats`` show, aggregated in SQL over the collection.

Why in SQL: a collection gathers a million review-log rows in a few years of daily study, and the
page must open in half a second. Every figure is a grouped query. The review log is not read row by
row: triggers keep ``review_day`` (answers counted per study day, kind, grade and retention bucket;
``studyapp.core.storage.schema``) in step with it, so a year costs a few thousand rows. Live items'
schedules are read from the index ``ix_item_stats`` rather than from the rows with their texts.

Definitions (shown in the README):

- **Reviews** are review-log rows of kind ``'review'`` (answers that moved the SM-2 state); the
  same-day re-drills of items graded below 4 (kind ``'redrill'``) are counted apart. Both count
  as study for the calendar, streaks and time spent.
- **Retention** is the share of reviews graded >= 3 among reviews of items already learned
  (``interval_before`` >= 1, so a new item's first answer is not a retention test), bucketed by
  the interval the item had before the review: 1, 2–6, 7–20, 21–59 and 60+ days; over time it is
  computed per week (the newest week ends today).
- A **streak** is a run of consecutive study days with at least one answer (review or re-drill).
  The current streak is still alive when today has no answer yet but yesterday had one.
- The **forecast** and the **distributions** count live items only: retired and suspended items,
  and items of retired or disabled decks, are left out; new items (never answered) have no due day
  and no meaningful E-Factor, so they are left out too. Overdue items count as due today.
- **Drills**: runs are drill attempts of kind ``'run'`` (revealing the reference is not a run);
  a *try* is the first run of a drill on a study day, passed or not, and the first-try pass rate is
  the share of tries whose first run passed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final

from studyapp.core.collection import Collection
from studyapp.core.storage.queue_reads import LIVE

__all__ = [
    "CALENDAR_DAYS",
    "FORECAST_DAYS",
    "GRADES",
    "INTERVAL_BUCKETS",
    "PASS_QUALITY",
    "RANGES",
    "RETENTION_BUCKETS",
    "Bucket",
    "Statistics",
    "Streak",
    "TrackDrills",
    "calendar_counts",
    "collect_statistics",
    "drills_per_track",
    "due_forecast",
    "item_distributions",
    "streak",
]

GRADES: Final = tuple(range(6))
#: A review graded at least this counts as remembered (SM-2's own line between pass and fail).
PASS_QUALITY: Final = 3
#: The page's range switch, in days.
RANGES: Final = (30, 90, 365)
FORECAST_DAYS: Final = 30
#: The calendar heatmap always shows the last year.
CALENDAR_DAYS: Final = 365
#: The retention curve over time groups reviews into weeks.
WEEK: Final = 7
#: E-Factors are grouped in steps of 0.1 (10 hundredths).
EF_STEP: Final = 10


@dataclass(frozen=True, slots=True)
class Bucket:
    """A closed interval of days; ``high`` None means "and more"."""

    low: int
    high: int | None

    @property
    def label(self) -> str:
        if self.high is None:
            return f"{self.low}+"
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


#: Retention is grouped by the interval an item had before the review (the same boundaries as
#: ``review_day.bucket`` in ``studyapp.core.storage.schema``).
RETENTION_BUCKETS: Final = (
    Bucket(1, 1),
    Bucket(2, 6),
    Bucket(7, 20),
    Bucket(21, 59),
    Bucket(60, None),
)
#: The distribution of current intervals goes further out.
INTERVAL_BUCKETS: Final = (
    Bucket(1, 1),
    Bucket(2, 6),
    Bucket(7, 20),
    Bucket(21, 59),
    Bucket(60, 179),
    Bucket(180, 364),
    Bucket(365, None),
)

#: Live items, as in the daily queue. Written as the partial index ``ix_item_queue`` is declared
#: (NOT suspended AND NOT retired), so SQLite reads that index instead of the table.
_LIVE_ITEM: Final = LIVE


def _bucket_case(column: str, buckets: tuple[Bucket, ...]) -> str:
    """A CASE expression giving the 1-based bucket of ``column`` (0 below the first bucket)."""
    parts = [f"WHEN {column} < {buckets[0].low} THEN 0"]
    parts += [
        f"WHEN {column} <= {b.high} THEN {n}"
        for n, b in enumerate(buckets, start=1)
        if b.high is not None
    ]
    return f"CASE {' '.join(parts)} ELSE {len(buckets)} END"


@dataclass(frozen=True, slots=True)
class Streak:
    """Consecutive study days: the current run (alive until a day is missed) and the longest."""

    current: int
    longest: int


@dataclass(frozen=True, slots=True)
class TrackDrills:
    """One drill track's runs in the range."""

    track: str
    runs: int
    passed: int
    tries: int
    first_try_passed: int

    @property
    def pass_rate(self) -> float:
        return self.passed / self.runs if self.runs else 0.0

    @property
    def first_try_rate(self) -> float:
        return self.first_try_passed / self.tries if self.tries else 0.0


@dataclass(frozen=True, slots=True)
class Statistics:
    """Everything the statistics overview draws, for ``span`` days ending ``today``.

    Per-day sequences are oldest first and have ``span`` entries: index ``i`` is the study day
    ``first_day + i`` (so the last entry is today).
    """

    today: int
    span: int
    #: ``reviews[g][i]``: reviews graded ``g`` on day ``first_day + i``.
    reviews: tuple[tuple[int, ...], ...]
    redrills: tuple[int, ...]
    seconds: tuple[float, ...]
    #: Items due on each of the next FORECAST_DAYS days (index 0 = today, overdue included).
    forecast: tuple[int, ...]
    #: (reviews, passed) per RETENTION_BUCKETS entry.
    retention_by_interval: tuple[tuple[int, int], ...]
    #: (first day of the week, reviews, passed), oldest first; weeks without reviews left out.
    retention_by_week: tuple[tuple[int, int, int], ...]
    #: (lowest E-Factor of the bin in hundredths, items), ascending.
    ef_histogram: tuple[tuple[int, int], ...]
    #: items per INTERVAL_BUCKETS entry.
    interval_histogram: tuple[int, ...]
    #: (study day, answers) for each day of the last CALENDAR_DAYS with at least one answer.
    calendar: tuple[tuple[int, int], ...]
    streak: Streak
    drills: tuple[TrackDrills, ...]
    #: Answers (reviews and re-drills) ever recorded: 0 means "No reviews yet".
    total_answers: int

    @property
    def first_day(self) -> int:
        return self.today - self.span + 1

    @property
    def reviews_in_range(self) -> int:
        return sum(map(sum, self.reviews))

    @property
    def redrills_in_range(self) -> int:
        return sum(self.redrills)

    @property
    def answers_in_range(self) -> int:
        """Reviews and re-drills: what the reviews-per-day bars add up to."""
        return self.reviews_in_range + self.redrills_in_range


def collect_statistics(collection: Collection, span: int = 30) -> Statistics:
    """Every aggregate of the overview for the last ``span`` days (today by the collection's
    clock and day-start hour)."""
    if span < 1:
        raise ValueError(f"the range must be at least 1 day, got {span}")
    conn = collection.db.conn
    today = collection.today()
    first = today - span + 1
    reviews, redrills, seconds, by_interval, by_week = _log_summary(conn, first, today)
    ef, intervals = item_distributions(conn)
    total = conn.execute("SELECT coalesce(sum(n), 0) FROM review_day").fetchone()[0]
    return Statistics(
        today=today,
        span=span,
        reviews=reviews,
        redrills=redrills,
        seconds=seconds,
        forecast=due_forecast(conn, today),
        retention_by_interval=by_interval,
        retention_by_week=by_week,
        ef_histogram=ef,
        interval_histogram=intervals,
        calendar=calendar_counts(conn, today),
        streak=streak(conn, today),
        drills=drills_per_track(conn, first, today),
        total_answers=total,
    )


@contextmanager
def _temp_table(
    conn: sqlite3.Connection, name: str, select: str, params: tuple[object, ...] = ()
) -> Iterator[str]:
    """A temporary table holding a small grouped result, queried again and then dropped."""
    conn.execute(f"DROP TABLE IF EXISTS temp.{name}")
    conn.execute(f"CREATE TEMP TABLE {name} AS {select}", params)
    try:
        yield f"temp.{name}"
    finally:
        conn.execute(f"DROP TABLE IF EXISTS temp.{name}")


def _log_summary(
    conn: sqlite3.Connection, first: int, last: int
) -> tuple[
    tuple[tuple[int, ...], ...],
    tuple[int, ...],
    tuple[float, ...],
    tuple[tuple[int, int], ...],
    tuple[tuple[int, int, int], ...],
]:
    """Reviews by grade, re-drills, seconds and retention between two study days.

    Read from ``review_day``, the review log counted per day, grade and retention bucket, which
    triggers keep in step with the log (see ``studyapp.core.storage.schema.REVIEW_DAY_SQL``).
    """
    span = last - first + 1
    days = "review_day WHERE study_day BETWEEN ? AND ?"
    reviews = [[0] * span for _ in GRADES]
    for day, quality, n in conn.execute(
        f"SELECT study_day, quality, sum(n) FROM {days} AND graded GROUP BY 1, 2", (first, last)
    ):
        reviews[quality][day - first] = n
    redrills = [0] * span
    seconds = [0.0] * span
    for day, n_redrill, secs in conn.execute(
        f"SELECT study_day, total(CASE WHEN NOT graded THEN n END), total(seconds) FROM {days} "
        "GROUP BY 1",
        (first, last),
    ):
        redrills[day - first] = int(n_redrill)
        seconds[day - first] = secs
    by_interval = [(0, 0)] * len(RETENTION_BUCKETS)
    for bucket, n, passed in conn.execute(
        f"SELECT bucket, sum(n), total(CASE WHEN quality >= ? THEN n END) FROM {days} "
        "AND graded AND bucket > 0 GROUP BY bucket",
        (PASS_QUALITY, first, last),
    ):
        by_interval[bucket - 1] = (n, int(passed))
    # Weeks are counted back from today, so the newest week is always a whole one.
    by_week = tuple(
        (last - WEEK * (week + 1) + 1, n, int(passed))
        for week, n, passed in conn.execute(
            "SELECT (? - study_day) / ? AS week, sum(n), total(CASE WHEN quality >= ? THEN n END) "
            f"FROM {days} AND graded AND bucket > 0 GROUP BY week ORDER BY week DESC",
            (last, WEEK, PASS_QUALITY, first, last),
        )
    )
    return (
        tuple(map(tuple, reviews)),
        tuple(redrills),
        tuple(seconds),
        tuple(by_interval),
        by_week,
    )


def due_forecast(
    conn: sqlite3.Connection, today: int, days: int = FORECAST_DAYS
) -> tuple[int, ...]:
    """Live items due on each of the next ``days`` days; overdue ones count on today."""
    counts = [0] * days
    for day, n in conn.execute(
        "SELECT max(i.due_day, ?) AS day, count(*) FROM item i "
        f"WHERE i.due_day < ? AND {_LIVE_ITEM} GROUP BY day",
        (today, today + days),
    ):
        counts[day - today] = n
    return tuple(counts)


def item_distributions(
    conn: sqlite3.Connection,
) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...]]:
    """The E-Factor histogram and the interval histogram of live items, in one pass over them.

    E-Factor bins are (lowest E-Factor of the bin in hundredths, items), 0.1 wide, ascending;
    interval counts follow INTERVAL_BUCKETS.
    """
    bucket = _bucket_case("i.interval", INTERVAL_BUCKETS)
    summary = (
        f"SELECT i.ef_hundredths / {EF_STEP} * {EF_STEP} AS ef, {bucket} AS bucket, "
        f"count(*) AS n FROM item i WHERE i.due_day IS NOT NULL AND {_LIVE_ITEM} GROUP BY 1, 2"
    )
    with _temp_table(conn, "stats_items", summary) as items:
        ef = tuple(conn.execute(f"SELECT ef, sum(n) FROM {items} GROUP BY ef ORDER BY ef"))
        intervals = [0] * len(INTERVAL_BUCKETS)
        for b, n in conn.execute(
            f"SELECT bucket, sum(n) FROM {items} WHERE bucket > 0 GROUP BY bucket"
        ):
            intervals[b - 1] = n
    return ef, tuple(intervals)


def calendar_counts(
    conn: sqlite3.Connection, today: int, days: int = CALENDAR_DAYS
) -> tuple[tuple[int, int], ...]:
    """(study day, answers) for each day of the last ``days`` that has any."""
    return tuple(
        conn.execute(
            "SELECT study_day, sum(n) FROM review_day WHERE study_day BETWEEN ? AND ? "
            "GROUP BY study_day ORDER BY study_day",
            (today - days + 1, today),
        ).fetchall()
    )


def streak(conn: sqlite3.Connection, today: int) -> Streak:
    """The current and the longest run of consecutive study days up to ``today``.

    The study days are grouped into runs: within a run of consecutive days, ``day - rank`` is
    constant.
    """
    current, longest = conn.execute(
        "WITH runs AS ("
        "  SELECT max(day) AS last, count(*) AS length FROM ("
        "    SELECT study_day AS day, study_day - row_number() OVER (ORDER BY study_day) AS run"
        "    FROM review_day WHERE study_day <= ? GROUP BY study_day"
        "  ) GROUP BY run"
        ") SELECT coalesce(max(CASE WHEN last >= ? THEN length END), 0), "
        "coalesce(max(length), 0) FROM runs",
        (today, today - 1),
    ).fetchone()
    return Streak(current=current, longest=longest)


def drills_per_track(conn: sqlite3.Connection, first: int, last: int) -> tuple[TrackDrills, ...]:
    """Runs, passes, tries and first-try passes per drill track between two study days."""
    rows = conn.execute(
        "SELECT substr(d.key, 8) AS track, count(*), total(a.outcome = 'passed'), "
        "total(a.first), total(a.first AND a.outcome = 'passed') "
        "FROM (SELECT item_id, outcome, row_number() OVER ("
        "  PARTITION BY item_id, study_day ORDER BY started_ms, id) = 1 AS first "
        "  FROM drill_attempt WHERE kind = 'run' AND study_day BETWEEN ? AND ?) a "
        "JOIN item i ON i.id = a.item_id JOIN deck d ON d.id = i.deck_id "
        "WHERE d.key LIKE 'drills-%' GROUP BY track ORDER BY track",
        (first, last),
    )
    return tuple(
        TrackDrills(track, runs, int(passed), int(tries), int(first_passed))
        for track, runs, passed, tries, first_passed in rows
    )
