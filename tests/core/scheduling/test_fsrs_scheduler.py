"""FSRS through py-fsrs: grade mapping, replayed memory states equal py-fsrs's own, re-drills."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from fsrs import Card, Rating, ReviewLog, Scheduler

from studyapp.core.collection import Collection
from studyapp.core.scheduling.fsrs_scheduler import (
    DEFAULT_PARAMETERS,
    Answer,
    FsrsConfig,
    FsrsMemory,
    daily_answers,
    day_datetime,
    load_answers,
    memory_states,
    next_intervals,
    rating_for,
    replay,
    review,
)
from tests.conftest import FakeClock

DAY0 = date(2026, 3, 2).toordinal()  # a study-day ordinal
#: (day offset, grade): a realistic history with a lapse, a late review and a hard one.
SEQUENCE = [(0, 4), (2, 4), (7, 5), (20, 1), (21, 3), (25, 4), (60, 4), (61, 2), (62, 5)]


def reference_scheduler(**kwargs: object) -> Scheduler:
    """py-fsrs's Scheduler built here, independently of the module under test."""
    options = {"learning_steps": (), "relearning_steps": (), "enable_fuzzing": False}
    options.update(kwargs)
    return Scheduler(**options)  # type: ignore[arg-type]


def answers(seq: list[tuple[int, int]], item_id: int = 7) -> list[Answer]:
    return [
        Answer(item_id, (DAY0 + d) * 86_400_000 + n, DAY0 + d, q) for n, (d, q) in enumerate(seq)
    ]


def py_fsrs_replay(seq: list[tuple[int, int]], scheduler: Scheduler) -> list[Card]:
    """The same history fed straight to py-fsrs, one ``review_card`` per answer."""
    ratings = {0: 1, 1: 1, 2: 1, 3: 2, 4: 3, 5: 4}
    start = datetime(2026, 3, 2, tzinfo=UTC)
    card = Card(card_id=7, due=start)
    cards = []
    for offset, grade in seq:
        card, _ = scheduler.review_card(card, Rating(ratings[grade]), start + timedelta(offset))
        cards.append(card)
    return cards


def test_grades_map_onto_the_four_ratings() -> None:
    assert [rating_for(q) for q in range(6)] == [
        Rating.Again,
        Rating.Again,
        Rating.Again,
        Rating.Hard,
        Rating.Good,
        Rating.Easy,
    ]
    for bad in (-1, 6, 2.0, True, "4"):
        with pytest.raises(ValueError, match="quality must be an int from 0 to 5"):
            rating_for(bad)  # type: ignore[arg-type]


def test_study_days_are_midnight_utc() -> None:
    assert day_datetime(DAY0) == datetime(2026, 3, 2, tzinfo=UTC)
    assert day_datetime(DAY0 + 30) - day_datetime(DAY0) == timedelta(days=30)


def test_first_good_answer_gives_fsrs6_initial_state() -> None:
    memory = replay(answers([(0, 4)]), FsrsConfig())
    w = DEFAULT_PARAMETERS
    assert memory.stability == w[2]  # S0(Good) = w2 = 2.3065 days
    assert memory.difficulty == pytest.approx(w[4] - math.exp(w[5] * 2) + 1)
    # at 90% retention the interval is the stability, rounded: 2 days
    assert (memory.last_day, memory.due_day, memory.interval) == (DAY0, DAY0 + 2, 2)


@pytest.mark.parametrize("retention", [0.9, 0.8, 0.95])
def test_replay_equals_py_fsrs_review_by_review(retention: float) -> None:
    config = FsrsConfig(desired_retention=retention)
    expected = py_fsrs_replay(SEQUENCE, reference_scheduler(desired_retention=retention))
    for n in range(1, len(SEQUENCE) + 1):
        memory = replay(answers(SEQUENCE[:n]), config)
        card = expected[n - 1]
        assert (memory.stability, memory.difficulty) == (card.stability, card.difficulty)
        assert day_datetime(memory.due_day) == card.due
        assert day_datetime(memory.last_day) == card.last_review
        assert memory.reviews == n


def test_replay_equals_py_fsrs_reschedule_card_with_custom_parameters() -> None:
    params = list(DEFAULT_PARAMETERS)
    params[8], params[20] = 1.5, 0.3  # recall growth and decay both changed
    config = FsrsConfig(tuple(params), 0.85)
    scheduler = reference_scheduler(parameters=params, desired_retention=0.85)
    ratings = {0: 1, 1: 1, 2: 1, 3: 2, 4: 3, 5: 4}
    logs = [ReviewLog(7, Rating(ratings[q]), day_datetime(DAY0 + d), None) for d, q in SEQUENCE]
    card = scheduler.reschedule_card(Card(card_id=7, due=day_datetime(DAY0)), logs)
    memory = replay(answers(SEQUENCE), config)
    assert (memory.stability, memory.difficulty) == (card.stability, card.difficulty)
    assert day_datetime(memory.due_day) == card.due


def test_learning_steps_would_not_change_the_memory_state() -> None:
    """py-fsrs's default Scheduler (1m/10m steps) reaches the same stability and difficulty."""
    default = py_fsrs_replay(SEQUENCE, Scheduler(enable_fuzzing=False))[-1]
    memory = replay(answers(SEQUENCE), FsrsConfig())
    assert (memory.stability, memory.difficulty) == (default.stability, default.difficulty)


def test_redrills_and_later_same_day_answers_keep_their_meaning() -> None:
    plain = answers(SEQUENCE)
    noisy = list(plain)
    for answer in plain:
        if answer.quality < 4:  # SM-2 step 7: asked again the same day until graded >= 4
            noisy.append(Answer(7, answer.reviewed_ms + 60_000, answer.study_day, 2, True))
            noisy.append(Answer(7, answer.reviewed_ms + 120_000, answer.study_day, 4, True))
    # an imported Anki learning step: a second 'review' on the same study day
    noisy.append(Answer(7, plain[0].reviewed_ms + 600_000, plain[0].study_day, 5))
    assert daily_answers(noisy) == plain
    assert replay(noisy, FsrsConfig()) == replay(plain, FsrsConfig())
    memory = replay(plain, FsrsConfig())
    same_day = review(memory, 0, memory.last_day, FsrsConfig())
    assert same_day is memory
    assert review(memory, 0, memory.last_day + 5, FsrsConfig(), redrill=True) is memory


def test_replay_refuses_answers_of_several_items() -> None:
    with pytest.raises(ValueError, match=r"one item's answers, got items \[1, 2\]"):
        replay(answers([(0, 4)], 1) + answers([(0, 4)], 2), FsrsConfig())


def test_next_intervals_for_the_six_buttons_equal_py_fsrs() -> None:
    config = FsrsConfig()
    memory = replay(answers(SEQUENCE[:3]), config)
    today = memory.due_day
    shown = next_intervals(memory, today, config)
    scheduler = reference_scheduler()
    card = py_fsrs_replay(SEQUENCE[:3], scheduler)[-1]
    for quality, rating in [(0, 1), (1, 1), (2, 1), (3, 2), (4, 3), (5, 4)]:
        after, _ = scheduler.review_card(card, Rating(rating), day_datetime(today))
        assert shown[quality] == (after.due - day_datetime(today)).days
    assert shown[0] == shown[1] == shown[2] < shown[3] <= shown[4] < shown[5]
    assert next_intervals(memory, today, config, redrill=True) == dict.fromkeys(range(6))
    new = next_intervals(FsrsMemory(), today, config)
    assert new[4] == 2 and new[5] == round(DEFAULT_PARAMETERS[3])  # S0(Good), S0(Easy)


def test_lower_desired_retention_gives_longer_intervals() -> None:
    memory_90 = replay(answers(SEQUENCE[:4]), FsrsConfig(desired_retention=0.9))
    memory_70 = replay(answers(SEQUENCE[:4]), FsrsConfig(desired_retention=0.7))
    assert memory_70.stability == memory_90.stability  # the memory model does not depend on it
    assert memory_70.interval > memory_90.interval


@pytest.mark.parametrize("bad", [0.69, 0.98, 1.0, "0.9", True])
def test_desired_retention_outside_the_range_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="desired_retention must be"):
        FsrsConfig(desired_retention=bad)  # type: ignore[arg-type]


def test_config_round_trips_through_json_and_names_bad_parameters() -> None:
    config = FsrsConfig((*(p * 1.01 for p in DEFAULT_PARAMETERS[:20]), 0.2), 0.85)
    assert FsrsConfig.from_json(config.to_json()) == config
    with pytest.raises(ValueError, match=r"FSRS parameters: .*parameters\[4\] = 50"):
        FsrsConfig((*DEFAULT_PARAMETERS[:4], 50.0, *DEFAULT_PARAMETERS[5:]))
    with pytest.raises(ValueError, match="Expected 21 parameters, got 3"):
        FsrsConfig((1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="FSRS parameters must be 21 numbers"):
        FsrsConfig.from_json('{"parameters": "abc"}')
    with pytest.raises(ValueError, match="not a JSON object"):
        FsrsConfig.from_json("[1, 2]")


def study(collection: Collection, clock: FakeClock, grades: dict[str, int]) -> None:
    """Answer today's whole queue: ``grades`` by key (4 otherwise), 4 for every re-drill."""
    while (card := collection.next_card()) is not None:
        collection.answer(card, 4 if card.is_redrill else grades.get(card.key, 4))
        clock.advance(minutes=1)


def test_memory_states_replay_a_collection_answered_through_the_app(
    collection: Collection, clock: FakeClock
) -> None:
    """Real answers (with SM-2 re-drills) on days 0, 1 and 4; FSRS counts first answers only."""
    study(collection, clock, {"a1": 4, "a2": 2, "b1": 0, "b2": 5})
    clock.advance(days=1)
    study(collection, clock, {"a1": 5, "a2": 3, "a3": 1})
    clock.advance(days=3)
    study(collection, clock, {"a2": 1, "a3": 4})
    conn = collection.db.conn
    logged = load_answers(conn)
    assert sum(a.redrill for a in logged) >= 4  # every grade below 4 was re-drilled
    states = memory_states(conn, FsrsConfig())
    assert len(states) == 5
    for item_id, memory in states.items():
        firsts = daily_answers(a for a in logged if a.item_id == item_id)
        start = firsts[0].study_day
        seq = [(a.study_day - start, a.quality) for a in firsts]
        card = py_fsrs_replay(seq, reference_scheduler())[-1]
        assert (memory.stability, memory.difficulty) == (card.stability, card.difficulty)
        assert memory.due_day - start == (card.due - datetime(2026, 3, 2, tzinfo=UTC)).days
        assert memory.reviews == len(seq) < len([a for a in logged if a.item_id == item_id]) + 1
