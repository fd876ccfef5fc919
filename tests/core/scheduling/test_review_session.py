"""The review session over a real collection: new cards across decks, the deck-order option,
studying one deck or one tag, answer and undo, same-day re-drills, and the summary at the end of
a sitting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from studyapp.core.collection import Collection
from studyapp.core.decks.sync import sync_deck_folders
from studyapp.core.rendering.math_render import MathRenderer
from studyapp.core.rendering.render import Renderer
from studyapp.core.scheduling.daily_queue import QueueSource
from studyapp.core.scheduling.review_session import ReviewSession, StudyScope
from tests.conftest import FakeClock, deck_text


@pytest.fixture
def session(tmp_path: Path, clock: FakeClock) -> Iterator[ReviewSession]:
    """Three decks of different sizes; the gamma deck tags one card 'hot'."""
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "alpha.md").write_text(deck_text("Alpha", ["a1", "a2", "a3", "a4"]))
    (folder / "beta.md").write_text(deck_text("Beta", ["b1", "b2"]))
    gamma = deck_text("Gamma", ["g1"]).replace("## g1\n", "## g1\ntags: hot\n")
    gamma += "\n## g2\ntags: hot, cold\n\n### Q\nQuestion g2?\n\n### A\nAnswer g2.\n"
    (folder / "gamma.md").write_text(gamma)
    col = Collection.open(tmp_path / "data", clock=clock)
    assert sync_deck_folders(col, [folder]).problems == []
    yield ReviewSession(col, Renderer(MathRenderer(tmp_path / "math")))
    col.close()


def answer_all(session: ReviewSession, quality: int = 5) -> list[str]:
    keys = []
    while (screen := session.screen()).card is not None:
        keys.append(screen.card.key)
        session.answer(screen.card, quality, 2.0)
    return keys


def test_new_cards_are_interleaved_across_decks_by_default(session: ReviewSession) -> None:
    assert session.collection.settings.new_order == "interleave"
    assert answer_all(session) == ["a1", "b1", "g1", "a2", "b2", "g2", "a3", "a4"]


def test_new_per_day_limit_keeps_the_mix(session: ReviewSession) -> None:
    session.collection.update_settings(new_per_day=4)
    assert answer_all(session) == ["a1", "b1", "g1", "a2"]


def test_deck_order_option(session: ReviewSession) -> None:
    session.collection.update_settings(new_order="deck")
    assert answer_all(session) == ["a1", "a2", "a3", "a4", "b1", "b2", "g1", "g2"]
    with pytest.raises(ValueError, match="new_order must be one of interleave, deck"):
        session.collection.update_settings(new_order="random")


def test_a_disabled_deck_drops_out_of_the_mix(session: ReviewSession) -> None:
    session.collection.set_deck_enabled("beta", False)
    assert answer_all(session) == ["a1", "g1", "a2", "g2", "a3", "a4"]


def test_study_one_deck_then_everything(session: ReviewSession) -> None:
    screen = session.set_scope(StudyScope(deck_key="beta"))
    assert screen.scope == StudyScope(deck_key="beta") and screen.counts.new == 2
    assert answer_all(session) == ["b1", "b2"]
    done = session.screen()
    assert done.card is None and done.done is not None and done.scope.deck_key == "beta"
    session.set_scope(StudyScope())
    assert answer_all(session) == ["g1", "a1", "g2", "a2", "a3", "a4"]  # Beta had the last turn


def test_study_one_tag(session: ReviewSession) -> None:
    session.set_scope(StudyScope(tag="hot"))
    assert answer_all(session) == ["g1", "g2"]
    session.set_scope(StudyScope(tag="cold"))
    assert answer_all(session) == []  # g2 was answered: due in a day


def test_scope_applies_to_redrills_and_due_reviews(
    session: ReviewSession, clock: FakeClock
) -> None:
    first = session.screen().card
    assert first is not None and first.key == "a1"
    session.answer(first, 1, 3.0)  # a1 back today as a re-drill
    session.set_scope(StudyScope(deck_key="beta"))
    assert session.screen().counts.redrill == 0
    session.set_scope(StudyScope(deck_key="alpha"))
    screen = session.screen()
    assert screen.counts.redrill == 1
    clock.advance(days=2)
    assert [k for k in answer_all(session) if k == "a1"] == ["a1"]  # due again, in scope


def test_summary_counts_answers_grades_time_and_next_due(session: ReviewSession) -> None:
    session.collection.update_settings(new_per_day=3)
    grades = iter([5, 3, 4])
    while (screen := session.screen()).card is not None and len(session.answers) < 3:
        session.answer(screen.card, next(grades), 4.5)
    screen = session.screen()
    # The grade 3 card comes back today as a re-drill: the queue is not done yet.
    assert screen.card is not None and screen.card.is_redrill
    session.answer(screen.card, 5, 1.5)
    done = session.screen().done
    assert done is not None
    summary = done.summary
    assert summary.answered == 4
    assert summary.grades == {3: 1, 4: 1, 5: 2}
    assert summary.seconds == pytest.approx(15.0)
    assert summary.next_due_day == session.collection.today() + 1
    session.undo()
    assert session.summary().answered == 3 and session.summary().grades == {3: 1, 4: 1, 5: 1}


def test_scope_options_list_enabled_decks_and_tags(session: ReviewSession) -> None:
    session.collection.set_deck_enabled("beta", False)
    options = session.scope_options("en")
    assert [(o.title, o.waiting) for o in options] == [
        ("Alpha", 4),
        ("Gamma", 2),
        ("cold", 1),
        ("hot", 2),
    ]
    assert options[0].scope == StudyScope(deck_key="alpha")
    assert options[-1].scope == StudyScope(tag="hot")


def test_the_turn_continues_after_a_restart(session: ReviewSession) -> None:
    first = session.screen().card
    assert first is not None and first.key == "a1"
    session.answer(first, 5, 2.0)
    session.collection.invalidate_queue()  # as after reopening the window or a deck sync
    assert answer_all(session) == ["b1", "g1", "a2", "b2", "g2", "a3", "a4"]


def test_answer_moves_on_and_undo_brings_the_card_back_unchanged(session: ReviewSession) -> None:
    first = session.screen()
    assert first.card is not None and first.card.queue == QueueSource.NEW
    assert not first.can_undo and first.counts.new == 8
    assert first.intervals == first.card.next_intervals() and first.intervals[5] == 1
    second = session.answer(first.card, 5, 3.0)
    assert second.card is not None and second.card.item_id != first.card.item_id
    assert second.can_undo and second.counts.new == 7
    back = session.undo()
    assert back.card is not None and back.card.item_id == first.card.item_id
    assert back.card.state == first.card.state and back.card.due_day is None
    assert back.counts.new == 8 and not back.can_undo and session.answers == []
    assert list(session.collection.history(first.card.item_id)) == []


def test_a_failed_card_is_a_redrill_with_no_interval_choices(session: ReviewSession) -> None:
    session.collection.update_settings(new_per_day=2)
    first = session.screen()
    assert first.card is not None
    session.answer(first.card, 2, 1.0)
    other = session.screen()
    assert other.card is not None and other.card.item_id != first.card.item_id
    assert other.counts.redrill == 1
    again = session.answer(other.card, 5, 1.0)
    assert again.card is not None and again.card.item_id == first.card.item_id
    assert again.card.queue == QueueSource.REDRILL and again.card.is_redrill
    assert set(again.intervals.values()) == {None}
    done = session.answer(again.card, 5, 1.0)
    assert done.card is None and done.done is not None
    assert done.done.answered_today == 3 and done.done.summary.answered == 3
