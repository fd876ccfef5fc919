"""The queue: the order of its lists, same-day re-drills, undo's pin, the round robin over decks
and the study scope's SQL condition."""

from __future__ import annotations

import sqlite3

import pytest

from studyapp.core.scheduling.daily_queue import (
    DailyQueue,
    QueueCounts,
    QueueSource,
    StudyScope,
    interleave,
    rotate_after,
)


def test_interleave_takes_one_from_each_group_in_turn() -> None:
    groups = [[1, 2, 3], [10, 11], [20]]
    assert interleave(groups, 10) == [1, 10, 20, 2, 11, 3]
    assert interleave(groups, 4) == [1, 10, 20, 2]
    assert interleave(groups, 0) == []
    assert interleave([], 5) == []


def test_interleave_is_stable() -> None:
    groups = [list(range(100)), list(range(100, 130)), list(range(200, 205))]
    assert interleave(groups, 60) == interleave(groups, 60)
    assert interleave(groups, 60)[:6] == [0, 100, 200, 1, 101, 201]


def test_the_turn_passes_on_from_the_last_deck() -> None:
    assert rotate_after([1, 2, 3, 4], 2) == [3, 4, 1, 2]
    assert rotate_after([1, 2, 3, 4], 4) == [1, 2, 3, 4]
    assert rotate_after([1, 2, 3, 4], None) == [1, 2, 3, 4]
    assert rotate_after([1, 2, 3, 4], 9) == [1, 2, 3, 4]  # that deck is gone or disabled


def test_scope_is_one_deck_or_one_tag() -> None:
    assert StudyScope().is_all and StudyScope().sql() == ""
    with pytest.raises(ValueError, match="not both"):
        StudyScope(deck_key="alpha", tag="x")
    with pytest.raises(ValueError, match="comma"):
        StudyScope(tag="a,b")


def _matching(scope: StudyScope) -> list[int]:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE deck (id INTEGER PRIMARY KEY, key TEXT)")
    conn.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, deck_id INTEGER, tags TEXT)")
    conn.executemany("INSERT INTO deck VALUES (?, ?)", [(1, "alpha"), (2, "o'brien")])
    conn.executemany(
        "INSERT INTO item VALUES (?, ?, ?)",
        [(1, 1, "rnn,attention"), (2, 1, "attention-masks"), (3, 2, "rnn"), (4, None, "it's")],
    )
    sql = "SELECT i.id FROM item i WHERE 1" + scope.sql() + " ORDER BY i.id"
    return [r[0] for r in conn.execute(sql)]


def test_scope_sql_matches_whole_tags_and_quotes_safely() -> None:
    assert _matching(StudyScope()) == [1, 2, 3, 4]
    assert _matching(StudyScope(deck_key="alpha")) == [1, 2]
    assert _matching(StudyScope(deck_key="o'brien")) == [3]
    assert _matching(StudyScope(tag="attention")) == [1]  # not "attention-masks"
    assert _matching(StudyScope(tag="rnn")) == [1, 3]
    assert _matching(StudyScope(tag="it's")) == [4]
    assert _matching(StudyScope(deck_key="x') OR 1=1 --")) == []


def test_queue_sources_are_the_stored_strings() -> None:
    assert [str(s) for s in QueueSource] == ["redrill", "due", "new", "browse"]
    assert QueueSource.DUE == "due" and QueueSource("redrill") is QueueSource.REDRILL


def test_redrills_come_first_then_due_then_new() -> None:
    queue = DailyQueue(day=10, redrill=[7], due=[3, 4], new=[9], due_left=2)
    assert queue.peek() == (QueueSource.REDRILL, 7)
    queue.answered(QueueSource.REDRILL, 7, redrill_again=False)
    assert queue.peek() == (QueueSource.DUE, 3)
    queue.answered(QueueSource.DUE, 3, redrill_again=False)
    queue.answered(QueueSource.DUE, 4, redrill_again=False)
    assert queue.counts() == QueueCounts(new=1, due=0, redrill=0)
    assert queue.peek() == (QueueSource.NEW, 9)
    queue.answered(QueueSource.NEW, 9, redrill_again=False)
    assert queue.peek() is None and queue.counts().total == 0


def test_a_low_grade_comes_back_the_same_day_but_not_straight_away() -> None:
    queue = DailyQueue(day=10, due=[3], new=[9], due_left=1)
    queue.answered(QueueSource.DUE, 3, redrill_again=True)
    assert queue.redrill == [3] and queue.counts() == QueueCounts(new=1, due=0, redrill=1)
    # The re-drill is first in order, but the card just answered waits for one other card.
    assert queue.peek() == (QueueSource.NEW, 9)
    queue.answered(QueueSource.NEW, 9, redrill_again=False)
    assert queue.peek() == (QueueSource.REDRILL, 3)
    queue.answered(QueueSource.REDRILL, 3, redrill_again=False)
    assert queue.peek() is None


def test_the_last_answered_card_is_asked_when_nothing_else_waits() -> None:
    queue = DailyQueue(day=10, due=[3], due_left=1)
    queue.answered(QueueSource.DUE, 3, redrill_again=True)
    assert queue.peek() == (QueueSource.REDRILL, 3)


def test_a_pinned_card_is_asked_before_anything_else() -> None:
    queue = DailyQueue(day=10, redrill=[7], due=[3], new=[9], due_left=1, pinned=9)
    assert queue.peek() == (QueueSource.NEW, 9)
    queue.answered(QueueSource.NEW, 9, redrill_again=False)
    assert queue.pinned is None and queue.peek() == (QueueSource.REDRILL, 7)
