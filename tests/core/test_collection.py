"""The collection: queue order, one-transaction answers, undo, limits and study days."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest

from studyapp.core.collection import Collection
from studyapp.core.errors import StaleAnswerError
from tests.conftest import FakeClock


def answer_all(col: Collection, quality: int) -> list[str]:
    keys = []
    while (card := col.next_card()) is not None:
        keys.append(card.key)
        col.answer(card, quality)
    return keys


def test_new_cards_come_in_file_order_and_answers_persist(
    collection: Collection, tmp_path: Path, clock: FakeClock
) -> None:
    collection.update_settings(new_order="deck")  # the "deck by deck" option
    assert collection.counts().new == 5
    assert answer_all(collection, 5) == ["a1", "a2", "a3", "b1", "b2"]
    assert collection.next_card() is None
    collection.close()
    reopened = Collection.open(tmp_path / "data", clock=clock)
    try:
        rows = reopened.db.conn.execute(
            "SELECT count(*), min(due_day), max(interval) FROM item"
        ).fetchone()
        assert rows == (5, reopened.today() + 1, 1)
        assert reopened.db.conn.execute("SELECT count(*) FROM review_log").fetchone()[0] == 5
    finally:
        reopened.close()


def test_worked_example_over_real_days(collection: Collection, clock: FakeClock) -> None:
    collection.update_settings(new_per_day=1)
    intervals = []
    for _ in range(4):
        card = collection.next_card()
        assert card is not None and card.key == "a1"
        collection.answer(card, 5)
        intervals.append(collection.card(card.item_id).state.interval)
        clock.advance(days=intervals[-1])
        collection.update_settings(new_per_day=0)
    assert intervals == [1, 6, 17, 48]


def test_due_reviews_most_overdue_first_then_new(collection: Collection, clock: FakeClock) -> None:
    collection.update_settings(new_per_day=2, new_order="deck")
    first = collection.next_card()
    assert first is not None
    collection.answer(first, 5)  # a1 due in 1 day
    second = collection.next_card()
    assert second is not None
    collection.answer(second, 5)  # a2 due in 1 day
    clock.advance(days=3)
    card = collection.next_card()
    assert card is not None and card.queue == "due"
    collection.answer(card, 5)  # a1: interval 6 now
    clock.advance(days=7)
    # a2 overdue since day+1, a1 due day+3+6: a2 first, then a1, then 2 new cards (a3, b1)
    assert answer_all(collection, 5) == ["a2", "a1", "a3", "b1"]


def test_low_grades_are_redrilled_same_day_without_moving_state(
    collection: Collection, clock: FakeClock
) -> None:
    collection.update_settings(new_per_day=2, new_order="deck")
    a1 = collection.next_card()
    assert a1 is not None
    collection.answer(a1, 3)  # passes SM-2 (interval 1) but < 4: re-drill today
    a2 = collection.next_card()
    assert a2 is not None and a2.key == "a2"  # the failed card is not shown twice in a row
    collection.answer(a2, 5)
    assert collection.counts().redrill == 1
    again = collection.next_card()
    assert again is not None and again.key == "a1" and again.is_redrill
    assert again.next_intervals() == dict.fromkeys(range(6))
    state_before = again.state
    collection.answer(again, 2)  # still < 4: asked again
    again2 = collection.next_card()
    assert again2 is not None and again2.key == "a1"
    collection.answer(again2, 4)
    assert collection.next_card() is None
    stored = collection.card(again.item_id)
    assert stored.state == state_before and stored.state.interval == 1
    kinds = collection.db.conn.execute(
        "SELECT kind, quality FROM review_log WHERE item_id=? ORDER BY id", (again.item_id,)
    ).fetchall()
    assert kinds == [("review", 3), ("redrill", 2), ("redrill", 4)]


def test_undo_several_levels_restores_exact_state(collection: Collection) -> None:
    snapshot = collection.db.conn.execute("SELECT * FROM item ORDER BY id").fetchall()
    answered = []
    for q in (5, 1, 4):
        card = collection.next_card()
        assert card is not None
        answered.append(card.key)
        collection.answer(card, q)
    assert collection.db.conn.execute("SELECT count(*) FROM review_log").fetchone()[0] == 3
    restored = []
    while collection.can_undo:
        card = collection.undo()
        assert card is not None
        restored.append(card.key)
        assert collection.next_card() == card  # the undone card is asked again
    assert restored == list(reversed(answered))
    assert collection.db.conn.execute("SELECT count(*) FROM review_log").fetchone()[0] == 0
    assert collection.db.conn.execute("SELECT * FROM item ORDER BY id").fetchall() == snapshot
    assert collection.undo() is None
    assert collection.counts().new == 5


def test_stale_answer_is_refused_and_writes_nothing(collection: Collection) -> None:
    card = collection.next_card()
    assert card is not None
    collection.answer(card, 5)
    with pytest.raises(StaleAnswerError, match="changed since it was shown"):
        collection.answer(card, 5)
    assert collection.db.conn.execute("SELECT count(*) FROM review_log").fetchone()[0] == 1


def test_daily_limits_count_what_was_done_today(collection: Collection, clock: FakeClock) -> None:
    collection.update_settings(new_per_day=2)
    assert collection.counts().new == 2
    answer_all(collection, 5)
    collection.invalidate_queue()
    assert collection.counts().new == 0  # the limit holds across a queue rebuild (restart)
    collection.update_settings(new_per_day=3)
    assert collection.counts().new == 1
    clock.advance(days=1)
    counts = collection.counts()
    assert (counts.new, counts.due) == (3, 2)
    collection.update_settings(reviews_per_day=1)
    assert collection.counts().due == 1


def test_day_starts_at_configured_hour(tmp_path: Path, decks_dir: Path) -> None:
    from datetime import datetime

    from studyapp.core.decks.sync import sync_deck_folders

    clock = FakeClock(datetime(2026, 3, 2, 3, 30, tzinfo=UTC))
    col = Collection.open(tmp_path / "d", clock=clock)
    try:
        sync_deck_folders(col, [decks_dir])
        day_at_0330 = col.today()
        clock.advance(minutes=40)  # 04:10: a new study day begins
        assert col.today() == day_at_0330 + 1
        col.update_settings(day_start_hour=5)
        assert col.today() == day_at_0330
    finally:
        col.close()


def test_disabled_deck_leaves_the_queue(collection: Collection) -> None:
    collection.set_deck_enabled("alpha", False)
    assert collection.counts().new == 2
    assert answer_all(collection, 5) == ["b1", "b2"]
    summary = {d.key: d for d in collection.decks()}
    assert summary["alpha"].enabled is False and summary["alpha"].new == 3
    assert (summary["beta"].cards, summary["beta"].due, summary["beta"].new) == (2, 0, 0)
    with pytest.raises(KeyError):
        collection.set_deck_enabled("nope", True)


def test_browse_searches_every_language_and_history(collection: Collection) -> None:
    card = collection.next_card()
    assert card is not None
    collection.answer(card, 4, seconds=3.5)
    assert [r.key for r in collection.browse("Вопрос a2")] == ["a2"]
    assert [r.key for r in collection.browse("answ", deck_key="beta")] == ["b1", "b2"]
    assert collection.browse("zzz") == []
    (log,) = collection.history(card.item_id)
    assert (log.quality, log.seconds, log.ef_after, log.interval_after) == (4, 3.5, 250, 1)


def test_large_backlog_is_paged_in_due_order(
    tmp_path: Path, clock: FakeClock, decks_dir: Path
) -> None:
    from studyapp.core.decks.sync import sync_deck_folders

    ids = "\n".join(f"## c{i}\n### Q\nq{i}\n### A\na{i}\n" for i in range(450))
    (decks_dir / "gamma.md").write_text(f"---\ntitle: Gamma\n---\n{ids}")
    col = Collection.open(tmp_path / "big", clock=clock)
    try:
        sync_deck_folders(col, [decks_dir])
        col.update_settings(new_per_day=1000)
        answer_all(col, 5)  # 455 cards, all due tomorrow
        with col.db.transaction() as conn:  # spread them: c449 most overdue ... c0 least
            conn.execute("UPDATE item SET due_day = due_day - 100 + id % 50")
        clock.advance(days=1)
        col.update_settings(new_per_day=0, reviews_per_day=300)
        assert col.counts().due == 300
        order = []
        for _ in range(300):
            card = col.next_card()
            assert card is not None and card.queue == "due"
            order.append((card.due_day, card.item_id))
            if len(order) == 250:  # undo deep in the backlog brings the card back first
                col.answer(card, 5)
                assert col.undo() == card and col.next_card() == card
            col.answer(card, 5)
        assert order == sorted(order)
        assert col.next_card() is None and col.counts().due == 0
    finally:
        col.close()
