"""Statistics over real collections answered through the real API on a fake clock."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from studyapp.core.collection import Collection
from studyapp.core.decks.sync import sync_deck_folders
from studyapp.core.drills.catalog import load_catalog
from studyapp.core.drills.runner_protocol import RunReport
from studyapp.core.drills.service import DrillService
from studyapp.core.stats.queries import (
    INTERVAL_BUCKETS,
    RETENTION_BUCKETS,
    Streak,
    TrackDrills,
    collect_statistics,
    streak,
)
from tests.conftest import FakeClock

#: The grade each card gets when it is asked normally, per study day of the scenario.
DAY0 = {"a1": 5, "a2": 4, "a3": 3, "b1": 2, "b2": 5}
DAY1 = {"a1": 5, "a2": 5, "a3": 4, "b1": 3, "b2": 1}
DAY3 = {"b1": 5, "b2": 4}


def study(col: Collection, clock: FakeClock, grades: dict[str, int]) -> None:
    """Answer today's whole queue: ``grades`` for normal answers, 4 for every re-drill, 10 s
    each, a minute apart."""
    while (card := col.next_card()) is not None:
        col.answer(card, 4 if card.is_redrill else grades[card.key], seconds=10.0)
        clock.advance(minutes=1)


@pytest.fixture
def studied(collection: Collection, clock: FakeClock) -> Collection:
    """Days 0, 1 and 3 studied, day 2 skipped; the clock is left on day 3."""
    study(collection, clock, DAY0)
    clock.advance(days=1)
    study(collection, clock, DAY1)
    clock.advance(days=2)
    study(collection, clock, DAY3)
    return collection


def test_empty_collection_has_zeros_everywhere(collection: Collection) -> None:
    stats = collect_statistics(collection, 30)
    assert stats.total_answers == 0 and stats.reviews_in_range == 0
    assert len(stats.reviews) == 6 and all(len(g) == 30 for g in stats.reviews)
    assert stats.forecast == (0,) * 30  # new cards are not due on any day
    assert stats.retention_by_interval == ((0, 0),) * len(RETENTION_BUCKETS)
    assert stats.retention_by_week == ()
    assert stats.ef_histogram == ()
    assert stats.interval_histogram == (0,) * len(INTERVAL_BUCKETS)
    assert stats.calendar == () and stats.drills == ()
    assert stats.streak == Streak(0, 0)


def test_reviews_per_day_by_grade_with_redrills_apart(studied: Collection) -> None:
    stats = collect_statistics(studied, 30)
    day3 = studied.today()
    assert stats.today == day3 and stats.first_day == day3 - 29
    d0, d1, d3 = 26, 27, 29  # indexes of days 0, 1 and 3 in the 30-day range
    expected = [[0] * 30 for _ in range(6)]
    for grade, n in {5: 2, 4: 1, 3: 1, 2: 1}.items():
        expected[grade][d0] = n
    for grade, n in {5: 2, 4: 1, 3: 1, 1: 1}.items():
        expected[grade][d1] = n
    expected[5][d3] = expected[4][d3] = 1
    assert [list(g) for g in stats.reviews] == expected
    # a3 and b1 were graded below 4 on day 0, b1 and b2 on day 1: each re-drilled once.
    assert stats.redrills[d0] == 2 and stats.redrills[d1] == 2 and sum(stats.redrills) == 4
    assert stats.seconds[d0] == 70.0 and stats.seconds[d1] == 70.0 and stats.seconds[d3] == 20.0
    assert sum(stats.seconds) == 160.0
    assert stats.reviews_in_range == 12 and stats.total_answers == 16


def test_range_only_counts_its_own_days(studied: Collection) -> None:
    stats = collect_statistics(studied, 2)  # days 2 and 3
    assert [sum(g) for g in stats.reviews] == [0, 0, 0, 0, 1, 1]
    assert stats.redrills == (0, 0) and stats.seconds == (0.0, 20.0)
    assert stats.calendar[-1] == (studied.today(), 2)  # the calendar is always a year
    with pytest.raises(ValueError, match="at least 1 day"):
        collect_statistics(studied, 0)


def test_retention_counts_learned_items_by_interval_before(studied: Collection) -> None:
    stats = collect_statistics(studied, 30)
    # Day 0 answers were first sights (interval 0): not retention tests. Day 1: five reviews at
    # interval 1, b2 failed; day 3: b1 and b2 at interval 1, both passed.
    assert stats.retention_by_interval == ((7, 6), (0, 0), (0, 0), (0, 0), (0, 0))
    assert stats.retention_by_week == ((studied.today() - 6, 7, 6),)


def test_forecast_and_distributions_of_live_items(
    studied: Collection, clock: FakeClock, decks_dir: Path
) -> None:
    stats = collect_statistics(studied, 30)
    # a1, a2, a3 passed twice (interval 6 from day 1), b1 twice (6 from day 3), b2 once (1).
    assert stats.forecast[4] == 3 and stats.forecast[6] == 1 and stats.forecast[1] == 1
    assert sum(stats.forecast) == 5
    # EF: a1 2.5 +.1 +.1; a2 +0 +.1; a3 -.14 +0; b1 -.32 -.14 +.1; b2 +.1 -.54 +0.
    assert stats.ef_histogram == ((200, 1), (210, 1), (230, 1), (260, 1), (270, 1))
    assert stats.interval_histogram == (1, 4, 0, 0, 0, 0, 0)
    # Deck beta's file is gone: its cards are retired and leave the forecast and distributions.
    (decks_dir / "beta.md").unlink()
    assert sync_deck_folders(studied, [decks_dir]).retired == 2
    stats = collect_statistics(studied, 30)
    assert stats.forecast[4] == 3 and sum(stats.forecast) == 3
    assert stats.ef_histogram == ((230, 1), (260, 1), (270, 1))
    assert stats.interval_histogram == (0, 3, 0, 0, 0, 0, 0)
    assert stats.reviews_in_range == 12  # their history still counts


def test_overdue_items_count_as_due_today(studied: Collection, clock: FakeClock) -> None:
    clock.advance(days=10)  # everything is overdue now
    assert collect_statistics(studied, 30).forecast[0] == 5


def test_streak_is_alive_until_a_whole_day_is_missed(studied: Collection, clock: FakeClock) -> None:
    conn = studied.db.conn
    today = studied.today()
    assert streak(conn, today) == Streak(current=1, longest=2)  # days 0-1, then day 3
    assert streak(conn, today + 1) == Streak(current=1, longest=2)  # not studied yet today
    assert streak(conn, today + 2) == Streak(current=0, longest=2)
    assert streak(conn, today - 2) == Streak(current=2, longest=2)  # as seen on day 1
    clock.advance(days=1)
    study(studied, clock, {"b2": 5})
    assert collect_statistics(studied, 30).streak == Streak(current=2, longest=2)
    assert collect_statistics(studied, 30).calendar[-2:] == ((today, 2), (today + 1, 1))


def test_day_start_hour_decides_the_study_day(collection: Collection, clock: FakeClock) -> None:
    collection.update_settings(day_start_hour=4)
    clock.advance(hours=15)  # 01:00 UTC the next night: still day 0
    study(collection, clock, DAY0)
    stats = collect_statistics(collection, 30)
    assert stats.calendar == ((stats.today, 7),)
    assert sum(g[-1] for g in stats.reviews) == 5


@pytest.fixture
def drills(tmp_path: Path, clock: FakeClock) -> Iterator[DrillService]:
    col = Collection.open(tmp_path / "drills", clock=clock)
    service = DrillService(col, load_catalog()[0])
    service.sync()
    yield service
    col.close()


def run(service: DrillService, clock: FakeClock, key: str, outcome: str) -> None:
    service.record_run(key, "code", RunReport(run_id="r", outcome=outcome))
    clock.advance(minutes=2)


def test_drills_per_track_runs_pass_rate_and_first_tries(
    drills: DrillService, clock: FakeClock
) -> None:
    run(drills, clock, "numpy-ml/softmax", "failed")
    run(drills, clock, "numpy-ml/softmax", "error")
    run(drills, clock, "numpy-ml/softmax", "passed")
    run(drills, clock, "numpy-ml/log-softmax", "passed")
    drills.reveal("algorithms/coin-change")  # revealing is not a run
    clock.advance(days=1)
    run(drills, clock, "numpy-ml/softmax", "passed")  # the next day: a new try
    run(drills, clock, "algorithms/coin-change", "failed")
    stats = collect_statistics(drills.collection, 30)
    assert stats.drills == (
        TrackDrills("algorithms", runs=1, passed=0, tries=1, first_try_passed=0),
        TrackDrills("numpy-ml", runs=5, passed=3, tries=3, first_try_passed=2),
    )
    numpy_ml = stats.drills[1]
    assert numpy_ml.pass_rate == 0.6 and numpy_ml.first_try_rate == pytest.approx(2 / 3)
    # Drills are graded on the schedule: day 0 log-softmax 5, softmax 4 (two failed runs),
    # coin-change 1 (revealed); day 1 softmax (due again after 1 day) 5. Reviews like any other.
    assert [sum(g) for g in stats.reviews] == [0, 1, 0, 0, 1, 2]
    assert collect_statistics(drills.collection, 1).drills == (
        TrackDrills("algorithms", 1, 0, 1, 0),
        TrackDrills("numpy-ml", 1, 1, 1, 1),
    )


def day_counts_from_the_log(conn: sqlite3.Connection) -> list[tuple]:
    """What ``review_day`` must hold, grouped afresh from the review log."""
    return conn.execute(
        "SELECT study_day, kind = 'review', quality, CASE WHEN interval_before < 1 THEN 0 "
        "WHEN interval_before = 1 THEN 1 WHEN interval_before <= 6 THEN 2 "
        "WHEN interval_before <= 20 THEN 3 WHEN interval_before <= 59 THEN 4 ELSE 5 END, "
        "count(*), total(seconds) FROM review_log GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
    ).fetchall()


def test_day_counts_follow_answers_and_undo(studied: Collection, clock: FakeClock) -> None:
    conn = studied.db.conn
    before = collect_statistics(studied, 30)
    assert conn.execute("SELECT * FROM review_day ORDER BY 1, 2, 3, 4").fetchall() == (
        day_counts_from_the_log(conn)
    )
    clock.advance(days=1)
    card = studied.next_card()
    assert card is not None and card.key == "b2"
    studied.answer(card, 1, seconds=7.5)
    assert collect_statistics(studied, 30).reviews[1][-1] == 1
    studied.undo()
    clock.advance(days=-1)
    assert collect_statistics(studied, 30) == before
    assert conn.execute("SELECT * FROM review_day ORDER BY 1, 2, 3, 4").fetchall() == (
        day_counts_from_the_log(conn)
    )


def test_retention_buckets_match_their_labels(collection: Collection) -> None:
    """Answers logged at each boundary of every bucket land in the bucket the chart names."""
    conn = collection.db.conn
    item = conn.execute("SELECT id FROM item LIMIT 1").fetchone()[0]
    today = collection.today()
    intervals = [0, 1, 2, 6, 7, 20, 21, 59, 60, 400]
    with collection.db.transaction():
        conn.executemany(
            "INSERT INTO review_log(item_id, reviewed_ms, study_day, quality, kind, seconds, "
            "reps_before, ef_before, interval_before, reps_after, ef_after, interval_after) "
            "VALUES (?, 0, ?, 4, 'review', 1.0, 1, 250, ?, 2, 250, 6)",
            [(item, today, interval) for interval in intervals],
        )
    stats = collect_statistics(collection, 30)
    labels = [b.label for b in RETENTION_BUCKETS]
    assert labels == ["1", "2–6", "7–20", "21–59", "60+"]
    assert stats.retention_by_interval == ((1, 1), (2, 2), (2, 2), (2, 2), (2, 2))
    assert sum(g[-1] for g in stats.reviews) == len(intervals)  # the first sight counts too


def test_schema_2_file_gains_the_statistics_index_and_day_counts(
    tmp_path: Path, clock: FakeClock, decks_dir: Path
) -> None:
    col = Collection.open(tmp_path, clock=clock)
    sync_deck_folders(col, [decks_dir])
    study(col, clock, DAY0)
    clock.advance(days=1)
    study(col, clock, DAY1)
    col.close()
    conn = sqlite3.connect(tmp_path / "collection.sqlite", isolation_level=None)
    conn.execute("DROP INDEX ix_item_stats")
    conn.execute("DROP TABLE review_day")  # its triggers go with it
    conn.execute("UPDATE meta SET value='2' WHERE key='schema_version'")
    conn.close()
    col = Collection.open(tmp_path, clock=clock)
    try:
        conn = col.db.conn
        assert conn.execute("SELECT * FROM review_day").fetchall() == (
            day_counts_from_the_log(conn)
        )
        stats = collect_statistics(col, 30)
        assert stats.reviews_in_range == 10 and stats.total_answers == 14  # days 0 and 1
        assert col.db.backup_path is not None
        assert col.db.backup_path.name.startswith("collection.sqlite.v2-")
        plan = col.db.conn.execute(
            "EXPLAIN QUERY PLAN SELECT ef_hundredths, interval, count(*) FROM item "
            "WHERE due_day IS NOT NULL AND NOT suspended AND NOT retired GROUP BY 1, 2"
        ).fetchall()
        assert "COVERING INDEX ix_item_stats" in " ".join(row[-1] for row in plan)
    finally:
        col.close()
