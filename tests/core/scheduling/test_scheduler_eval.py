"""Scheduler evaluation on real collection files: metrics, FSRS equality, time split, refusal."""

from __future__ import annotations

import json
import math
import multiprocessing
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from fsrs import Card, Rating, Scheduler

from bench.simulate_learners import Learner, simulate, write_collection
from studyapp.core.collection import Collection
from studyapp.core.scheduling.evaluation import (
    MIN_OPTIMISE_REVIEWS,
    EvaluationCancelled,
    NotEnoughReviewsError,
    OptimiseFailed,
    auc,
    calibration,
    evaluate,
    fsrs_replay,
    load_history,
    log_loss,
    memory_states_fast,
    open_readonly,
    optimise,
    rmse_bins,
    sm2_predictions,
    split_day,
)
from studyapp.core.scheduling.fsrs_scheduler import FsrsConfig, day_datetime, memory_states
from studyapp.core.transfer.anki.package import read_anki_package
from studyapp.core.transfer.importing import import_package
from tests.conftest import FakeClock

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "anki"
KEYS = ("log_loss", "rmse_bins", "auc")


# -- metrics on cases small enough to compute by hand ----------------------------------------------


def test_log_loss_by_hand() -> None:
    y, p = np.array([1.0, 0.0]), np.array([0.8, 0.3])
    assert log_loss(y, p) == pytest.approx(-(math.log(0.8) + math.log(0.7)) / 2, rel=1e-12)
    # a certain, wrong prediction is clipped, not infinite
    assert log_loss(np.array([0.0]), np.array([1.0])) == pytest.approx(-math.log(1e-6))


def test_auc_by_hand() -> None:
    # pairs (recalled, forgotten): 0.9>0.6, 0.9>0.1, 0.4<0.6, 0.4>0.1 -> 3 of 4
    assert auc(np.array([1, 1, 0, 0]), np.array([0.9, 0.4, 0.6, 0.1])) == 0.75
    assert auc(np.array([1, 0]), np.array([0.5, 0.5])) == 0.5  # a tie counts half
    assert auc(np.array([1, 0, 1]), np.array([0.2, 0.7, 0.7])) == 0.25
    assert auc(np.array([1, 1]), np.array([0.2, 0.7])) is None  # one outcome only


def test_rmse_bins_groups_as_srs_benchmark_does() -> None:
    # t = 1, 1 share a bin (floor(ln 1 / ln 3.62) = 0); t = 10 is in bin 1
    y = np.array([1.0, 0.0, 1.0])
    p = np.array([0.9, 0.7, 0.6])
    ones = np.array([0, 0, 0])
    value = rmse_bins(y, p, np.array([1, 1, 10]), np.array([2, 2, 2]), ones)
    assert value == pytest.approx(math.sqrt((2 * 0.3**2 + 0.4**2) / 3), rel=1e-12)
    # the same reviews with different lapse counts (0 vs 1) no longer share a bin
    split = rmse_bins(y, p, np.array([1, 1, 10]), np.array([2, 2, 2]), np.array([0, 1, 0]))
    assert split == pytest.approx(math.sqrt((0.1**2 + 0.7**2 + 0.4**2) / 3), rel=1e-12)


def test_calibration_bins_predicted_against_observed() -> None:
    table = calibration(np.array([1.0, 0.0, 1.0, 1.0]), np.array([0.95, 0.91, 0.35, 1.0]))
    assert len(table) == 10 and table[9]["n"] == 3 and table[3]["n"] == 1
    assert table[9]["predicted"] == pytest.approx((0.95 + 0.91 + 1.0) / 3)
    assert table[9]["observed"] == pytest.approx(2 / 3)
    assert table[0] == {"low": 0.0, "high": 0.1, "n": 0, "predicted": None, "observed": None}


# -- which answers count ------------------------------------------------------------------------


def log_db(rows: list[tuple[int, int, int, int, str, int]]) -> sqlite3.Connection:
    """A bare review_log: (item, ms, day, quality, kind, interval_before)."""
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE TABLE review_log (id INTEGER PRIMARY KEY, item_id INT, reviewed_ms INT, "
        "study_day INT, quality INT, kind TEXT, interval_before INT)"
    )
    conn.executemany(
        "INSERT INTO review_log(item_id, reviewed_ms, study_day, quality, kind, interval_before) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    return conn


def test_history_keeps_first_answers_of_each_day_and_marks_recall_tests() -> None:
    conn = log_db(
        [
            (1, 100, 10, 2, "review", 0),  # first answer (not a test)
            (1, 101, 10, 4, "redrill", 1),  # same-day re-drill: not counted
            (1, 200, 11, 1, "review", 1),  # test, failed (t = 1)
            (1, 201, 11, 4, "review", 1),  # imported learning step the same day: not counted
            (1, 300, 17, 5, "review", 6),  # test, recalled (t = 6), one lapse before
            (2, 150, 10, 4, "review", 0),
            (2, 400, 40, 3, "review", 20),  # test, t = 30
        ]
    )
    h = load_history(conn)
    assert h.counts == {
        "answers": 7,
        "redrills": 1,
        "same_day": 1,
        "items": 2,
        "first_answers": 2,
        "recall_tests": 3,
        "recalled": 2,
    }
    assert h.day.tolist() == [10, 11, 17, 10, 40]
    assert h.elapsed.tolist() == [0, 1, 6, 0, 30]
    assert h.position.tolist() == [1, 2, 3, 1, 2]
    assert h.lapses.tolist() == [0, 0, 1, 0, 0]
    assert h.test.tolist() == [False, True, True, False, True]
    # SM-2's recall model: 0.9 ** (t / I), I at least one day
    p = sm2_predictions(h)
    assert np.isnan(p[0]) and p[1] == 0.9 and p[2] == 0.9 and p[4] == pytest.approx(0.9**1.5)


# -- on collections answered through the app ------------------------------------------------------


def study(collection: Collection, clock: FakeClock, grades: dict[str, int]) -> None:
    while (card := collection.next_card()) is not None:
        collection.answer(card, 4 if card.is_redrill else grades.get(card.key, 4))
        clock.advance(minutes=1)


@pytest.fixture
def studied(collection: Collection, clock: FakeClock) -> Collection:
    study(collection, clock, {"a1": 5, "a2": 2, "a3": 3, "b1": 0})
    clock.advance(days=1)
    study(collection, clock, {"a2": 4, "a3": 1, "b1": 3, "b2": 2})
    clock.advance(days=3)
    study(collection, clock, {"a3": 4, "b2": 5})
    clock.advance(days=9)
    study(collection, clock, {"a1": 1, "a2": 5, "b1": 4})
    return collection


def test_fsrs_predictions_equal_py_fsrs_retrievability(studied: Collection) -> None:
    """Each recall test's FSRS prediction is py-fsrs's own, from the earlier answers only."""
    result = evaluate(studied.db.conn, optimise_parameters=False, today=studied.today())
    scheduler = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    rows = studied.db.conn.execute(
        "SELECT item_id, study_day, quality FROM review_log WHERE kind = 'review' "
        "ORDER BY item_id, reviewed_ms"
    ).fetchall()
    cards: dict[int, Card] = {}
    y, p = [], []
    for item_id, day, quality in rows:
        when = day_datetime(day)
        if item_id in cards:
            p.append(scheduler.get_card_retrievability(cards[item_id], when))
            y.append(float(quality >= 3))
        card = cards.get(item_id, Card(card_id=item_id, due=when))
        rating = Rating(max(quality - 1, 1))
        cards[item_id], _ = scheduler.review_card(card, rating, when)
    assert result["reviews"]["recall_tests"] == len(y) == result["fsrs"]["n"] > 0
    expected = log_loss(np.array(y), np.array(p))
    assert result["fsrs"]["log_loss"] == pytest.approx(expected, rel=1e-12)
    assert result["fsrs"]["auc"] == pytest.approx(auc(np.array(y), np.array(p)), rel=1e-12)
    assert set(KEYS) <= result["sm2"].keys()
    json.dumps(result)  # the CLI's --json prints it as is


def test_workload_counts_good_answers_over_thirty_days(collection: Collection, clock) -> None:
    """One learned card: SM-2 asks it in 6 days, then 15 days after that (EF 2.5), then 38."""
    study(collection, clock, {})  # every card Good on day 0 (interval 1)
    clock.advance(days=1)
    study(collection, clock, {})  # interval 6
    result = evaluate(collection.db.conn, optimise_parameters=False, today=collection.today())
    sm2 = result["workload"]["sm2"]
    cards = result["reviews"]["items"]
    assert len(sm2) == 30 and sm2[6] == cards and sm2[21] == cards and sum(sm2) == 2 * cards
    fsrs = result["workload"]["fsrs"]
    assert sum(fsrs) > 0 and len(fsrs) == 30


def test_empty_history_gives_no_scores_and_no_error(collection: Collection) -> None:
    result = evaluate(collection.db.conn, today=collection.today())
    assert result["reviews"]["recall_tests"] == 0
    assert result["sm2"]["log_loss"] is None and result["fsrs"]["auc"] is None
    assert "skipped" in result["fsrs_optimised"]
    assert result["workload"]["sm2"] == [0] * 30


# -- simulated learners (bench/simulate_learners.py) -------------------------------------------


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One simulated learner with enough history to optimise, in a real collection file."""
    import random

    rng = random.Random(3)
    learner = Learner(0.7, 2.0, 6.0, 0.3, 0.2, 0.1, 12)
    path = write_collection(simulate(learner, 1600, rng), tmp_path_factory.mktemp("sim"))
    yield path


def test_fast_replay_equals_the_exact_one(simulated: Path) -> None:
    conn = open_readonly(simulated)
    h = load_history(conn)
    params = list(FsrsConfig().parameters)
    params[20] = 0.35
    for config in (FsrsConfig(), FsrsConfig(tuple(params), 0.8)):
        fast, exact = fsrs_replay(h, config), fsrs_replay(h, config, exact=True)
        assert np.allclose(fast.predictions, exact.predictions, rtol=1e-12, equal_nan=True)
        assert np.allclose(fast.stability, exact.stability, rtol=1e-12)
        assert np.allclose(fast.difficulty, exact.difficulty, rtol=1e-12)
    a = evaluate(conn, optimise_parameters=False)
    b = evaluate(conn, optimise_parameters=False, exact=True)
    for key in KEYS:
        assert a["fsrs"][key] == pytest.approx(b["fsrs"][key], rel=1e-9)
    assert a["workload"] == b["workload"]
    assert {"read", "sm2", "fsrs", "workload", "total"} <= a["seconds"].keys()
    conn.close()


def test_fast_memory_states_equal_the_exact_replay(simulated: Path) -> None:
    conn = open_readonly(simulated)
    config = FsrsConfig(desired_retention=0.85)
    exact, fast = memory_states(conn, config), memory_states_fast(conn, config)
    conn.close()
    assert exact.keys() == fast.keys() and len(exact) > 100
    for item_id, memory in exact.items():
        other = fast[item_id]
        assert other.stability == pytest.approx(memory.stability, rel=1e-12)
        assert other.difficulty == pytest.approx(memory.difficulty, rel=1e-12)
        assert (other.last_day, other.due_day, other.reviews) == (
            memory.last_day,
            memory.due_day,
            memory.reviews,
        )


def test_evaluation_only_reads_the_file(simulated: Path) -> None:
    before = simulated.read_bytes()
    conn = open_readonly(simulated)  # any write would raise "attempt to write a readonly database"
    result = evaluate(conn, optimise_parameters=False)
    conn.close()
    assert result["reviews"]["recall_tests"] >= MIN_OPTIMISE_REVIEWS
    assert simulated.read_bytes() == before


def test_optimised_parameters_never_see_the_scored_reviews(simulated: Path, tmp_path) -> None:
    """Changing every grade from the split day on changes the scores, not the fit."""
    conn = open_readonly(simulated)
    seen: list[int] = []
    first = evaluate(conn, max_fit_reviews=0, progress=lambda done, total: seen.append(done))
    conn.close()
    assert seen == [0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10]  # the optimiser's five epochs included
    assert MIN_OPTIMISE_REVIEWS <= first["fsrs_optimised"]["fit"]["recall_tests"] < 600
    split = first["time_split"]["split_day"]
    assert first["fsrs_optimised"]["fit"]["before_day"] == split
    assert first["fsrs_optimised"]["parameters"] != first["fsrs"]["parameters"]
    changed = tmp_path / "changed.sqlite"
    changed.write_bytes(simulated.read_bytes())
    with sqlite3.connect(changed) as rw:
        rw.execute("UPDATE review_log SET quality = 5 - quality WHERE study_day >= ?", (split,))
    conn = open_readonly(changed)
    second = evaluate(conn, max_fit_reviews=0)
    conn.close()
    assert second["time_split"]["split_day"] == split
    assert second["fsrs_optimised"]["parameters"] == first["fsrs_optimised"]["parameters"]
    assert second["fsrs_optimised"]["log_loss"] != first["fsrs_optimised"]["log_loss"]
    scored = first["time_split"]["fsrs_optimised"]
    assert scored["n"] == first["time_split"]["sm2"]["n"] == first["fsrs_optimised"]["n"]


def test_optimising_below_the_minimum_is_refused_with_the_reason(studied: Collection) -> None:
    h = load_history(studied.db.conn)
    with pytest.raises(NotEnoughReviewsError, match=r"at least 512 recall tests .* has \d+\."):
        optimise(h)
    result = evaluate(studied.db.conn, today=studied.today())
    assert "at least 512 recall tests" in result["fsrs_optimised"]["skipped"]


def test_missing_optimizer_extra_is_named(simulated: Path, monkeypatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a)
    )
    conn = open_readonly(simulated)
    with pytest.raises(
        OptimiseFailed, match=r"missing torch\): pip install 'studyapp\[optimizer\]'"
    ):
        optimise(load_history(conn))
    result = evaluate(conn)
    conn.close()
    assert "pip install 'studyapp[optimizer]'" in result["fsrs_optimised"]["skipped"]
    assert result["fsrs"]["log_loss"] is not None  # the rest of the evaluation still runs


def test_cancel_stops_the_optimiser_at_once(simulated: Path) -> None:
    conn = open_readonly(simulated)
    seen: list[tuple[int, int]] = []
    started = time.monotonic()
    # steps 1-3 are reading, SM-2 and FSRS; then the optimiser starts in a child process
    with pytest.raises(EvaluationCancelled, match="optimisation cancelled"):
        evaluate(conn, progress=lambda d, t: seen.append((d, t)), cancel=lambda: len(seen) >= 4)
    assert time.monotonic() - started < 15
    assert multiprocessing.active_children() == []
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and seen[-1][1] == 10
    with pytest.raises(EvaluationCancelled):
        evaluate(conn, cancel=lambda: True)
    conn.close()


def test_split_day_leaves_earlier_reviews_to_fit() -> None:
    h = load_history(log_db([(1, n, 10 + n, 4, "review", 1) for n in range(10)]))
    assert split_day(h, 0.5) == 15  # tests on days 11..19; half of them before day 15
    assert split_day(load_history(log_db([(1, 1, 10, 4, "review", 0)])), 0.5) is None


# -- an imported Anki history ----------------------------------------------------------------------


def test_evaluation_on_the_imported_anki_fixture(tmp_path: Path) -> None:
    expected = json.loads((FIXTURES / "expected.json").read_text())
    now = datetime.fromtimestamp(expected["today_ms"] / 1000, UTC)
    col = Collection.open(tmp_path / "data", clock=FakeClock(now))
    try:
        package = read_anki_package(FIXTURES / "current.apkg", today_ms=expected["today_ms"])
        summary = import_package(col, package)
        result = evaluate(col.db.conn, today=col.today())
    finally:
        col.close()
    counts = result["reviews"]
    assert counts["answers"] == summary.reviews > 0
    # Anki's learning steps are same-day answers: kept in the log, not counted as tests
    assert counts["same_day"] > 0 and counts["redrills"] == 0
    assert counts["recall_tests"] + counts["first_answers"] + counts["same_day"] == summary.reviews
    for name in ("sm2", "fsrs"):
        assert result[name]["n"] == counts["recall_tests"] > 0
        assert 0 < result[name]["log_loss"] < 5 and 0 <= result[name]["rmse_bins"] <= 1
    assert "at least 512" in result["fsrs_optimised"]["skipped"]
