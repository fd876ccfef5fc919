"""The replay: every review once, in stamp order, through the app's own SM-2; the latest edit
wins and the others stay in the history; any arrival order gives the same state."""

from __future__ import annotations

import random

import numpy as np
import pytest

from studyapp.core.scheduling.sm2 import Sm2State, review
from studyapp.core.sync import (
    CardEdited,
    DeckEnabled,
    EventSet,
    ItemSuspended,
    Review,
    ReviewUndone,
    Schedule,
    SettingChanged,
    replay,
)
from studyapp.core.sync.eventset import REVIEW_COLUMNS
from studyapp.core.sync.replay import MAX_INTERVAL_DAYS

T0 = 1_772_445_600_000
DAY = 739_700


def rv(device: str, seq: int, ms: int, item: str, grade: int, kind: str = "review") -> Review:
    return Review(device, seq, ms, 0, item, grade, ms, DAY + (ms - T0) // 86_400_000, 2.0, kind,
                  Schedule(), Schedule())  # fmt: skip


def random_events(rng: random.Random) -> list:
    events, seqs = [], {"aaaa0001": 0, "bbbb0002": 0, "cccc0003": 0}
    for _ in range(300):
        dev = rng.choice(sorted(seqs))
        seqs[dev] += 1
        ms = T0 + rng.randrange(0, 40) * 86_400_000 + rng.randrange(0, 3)  # ties happen
        kind = "redrill" if rng.random() < 0.1 else "review"
        events.append(rv(dev, seqs[dev], ms, f"card:{rng.randrange(6)}", rng.randrange(6), kind))
    for target in rng.sample([e for e in events], 10):
        seqs["aaaa0001"] += 1
        events.append(ReviewUndone("aaaa0001", seqs["aaaa0001"], T0 + 99 * 86_400_000, 0,
                                   target.device, target.seq))  # fmt: skip
    return events


def oracle(events: list) -> dict[str, tuple]:
    """Straightforward replay, one Review at a time, for comparison."""
    undone = {(e.target_device, e.target_seq) for e in events if isinstance(e, ReviewUndone)}
    counted = sorted(
        {e.id: e for e in events if isinstance(e, Review) and (e.device, e.seq) not in undone}
        .values(),
        key=lambda e: e.order,
    )  # fmt: skip
    state: dict[str, tuple] = {}
    for e in counted:
        reps, ef, ivl, due, _red = state.get(e.item, (0, 250, 0, None, None))
        if e.kind == "review":
            s = review(Sm2State.from_hundredths(reps, ef, ivl), e.grade)
            reps, ef, ivl, due = (
                s.repetitions,
                s.ef_hundredths,
                s.interval,
                e.study_day + s.interval,
            )
        state[e.item] = (reps, ef, ivl, due, e.study_day if e.grade < 4 else None)
    return state


@pytest.mark.parametrize("seed", range(20))
def test_replay_matches_a_plain_replay_in_any_arrival_order(seed: int) -> None:
    rng = random.Random(seed)
    events = random_events(rng)
    prints = set()
    for _ in range(3):
        shuffled = events + rng.sample(events, 50)  # duplicates, as conflict copies give
        rng.shuffle(shuffled)
        result = replay(_set(shuffled))
        prints.add(result.fingerprint())
    assert len(prints) == 1
    expected = oracle(events)
    assert {k: tuple(v.schedule.encode()) for k, v in result.items.items()} == expected
    assert len(result.review_log) == sum(isinstance(e, Review) for e in events) - 10
    assert result.undone == 10


def test_thousands_of_distinct_states_replay_like_the_plain_loop() -> None:
    rng = random.Random(11)
    events = [
        rv("aaaa0001", seq, T0 + rng.randrange(0, 400) * 86_400_000 + seq, f"card:{seq % 400}",
           rng.choice([0, 2, 3, 3, 4, 4, 5, 5, 5]))
        for seq in range(1, 12_001)
    ]  # fmt: skip
    result = replay(_set(events))
    assert {k: tuple(v.schedule.encode()) for k, v in result.items.items()} == oracle(events)


def _set(events: list) -> EventSet:
    out = EventSet()
    out.add_all(events)
    return out


def test_snapshot_columns_and_single_events_give_the_same_state() -> None:
    events = random_events(random.Random(5))
    one = _set(events)
    arrays = one.review_arrays()
    two = EventSet()
    half = len(arrays) // 2
    for part in (slice(0, half), slice(half - 20, None)):  # overlapping halves
        two.add_review_columns(
            arrays.devices, arrays.items, {n: arrays.columns[n][part] for n in REVIEW_COLUMNS}
        )
    two.add_all(e for e in events if not isinstance(e, Review))
    assert replay(one).fingerprint() == replay(two).fingerprint()


def test_reviews_on_two_devices_before_they_met_are_both_kept() -> None:
    result = replay(
        _set([rv("laptop01", 1, T0, "card:a", 5), rv("desktop1", 1, T0 + 60_000, "card:a", 2)])
    )
    assert [(r[0], r[5]) for r in result.review_log.rows()] == [("laptop01", 5), ("desktop1", 2)]
    after_both = review(review(Sm2State(), 5), 2)
    state = result.items["card:a"]
    assert (state.schedule.repetitions, state.schedule.interval) == (0, after_both.interval)
    assert state.schedule.ef_hundredths == after_both.ef_hundredths
    assert state.schedule.redrill_day == DAY and state.answers == 2
    # The log's before/after are the replay's, chained.
    rows = list(result.review_log.rows())
    assert rows[1][8:11] == rows[0][13:16]


def test_latest_edit_wins_per_field_and_every_edit_stays_in_history() -> None:
    older = CardEdited("laptop01", 1, T0, 0, "card:a", (("back", "old"), ("front", "Q1")))
    newer = CardEdited("desktop1", 1, T0 + 5, 0, "card:a", (("back", "new"),))
    tie = CardEdited("aaaa0000", 1, T0 + 5, 0, "card:a", (("tags", "x"),))
    for order in ([older, newer, tie], [tie, newer, older]):
        card = replay(_set(order)).cards["card:a"]
        assert dict(card.fields) == {"front": "Q1", "back": "new", "tags": "x"}
        assert card.history == (older, tie, newer)  # by stamp, then device id


def test_flags_decks_and_settings_follow_the_latest_stamp() -> None:
    events = [
        ItemSuspended("laptop01", 1, T0 + 2, 0, "card:a", True),
        ItemSuspended("desktop1", 1, T0 + 1, 0, "card:a", False),
        DeckEnabled("laptop01", 2, T0 + 2, 0, "attention", False),
        DeckEnabled("desktop1", 2, T0 + 2, 0, "attention", True),  # same stamp: device id decides
        SettingChanged("laptop01", 3, T0, 0, "new_per_day", 10),
        SettingChanged("laptop01", 4, T0, 1, "new_per_day", 30),
    ]
    result = replay(_set(events[::-1]))
    assert result.suspended == {"card:a": True}
    assert result.decks_enabled == {"attention": False}  # 'laptop01' sorts after 'desktop1'
    assert result.settings == {"new_per_day": 30}


def test_an_undone_review_counts_nowhere() -> None:
    events = [rv("laptop01", 1, T0, "card:a", 5), rv("laptop01", 2, T0 + 1, "card:a", 1)]
    undo = ReviewUndone("laptop01", 3, T0 + 2, 0, "laptop01", 2)
    with_undo = replay(_set([*events, undo]))
    assert with_undo.items == replay(_set(events[:1])).items
    assert [r[1] for r in with_undo.review_log.rows()] == [1]
    assert with_undo.fingerprint() != replay(_set(events)).fingerprint()


def test_scheduler_hook_sees_each_items_answers_in_order() -> None:
    seen = {}

    def fold(item: str, answers) -> int:
        seen[item] = list(answers)
        return len(answers)

    events = [rv("laptop01", 2, T0 + 9, "card:a", 3), rv("desktop1", 1, T0 + 1, "card:a", 5)]
    result = replay(_set(events), extra={"fsrs": fold})
    assert result.extra["fsrs"] == {"card:a": 2}
    assert seen["card:a"] == [(T0 + 1, 5, "review"), (T0 + 9, 3, "review")]


def test_an_empty_folder_replays_to_nothing() -> None:
    result = replay(EventSet())
    assert not result.items and len(result.review_log) == 0 and result.fingerprint()
    assert isinstance(result.review_log.columns["n"], np.ndarray)


def test_a_very_long_run_of_correct_answers_stays_storable() -> None:
    """SM-2 has no cap; merged histories can hold 60 correct answers in a row."""
    events = [rv("laptop01", k, T0 + k, "card:a", 5) for k in range(1, 61)]
    state = replay(_set(events)).items["card:a"].schedule
    assert state.interval == MAX_INTERVAL_DAYS and state.repetitions == 60
    assert state.due_day < 2**63
