"""What the review screen shows, computed off the GUI thread.

Why a core object: the window only paints; choosing the card, rendering both sides to HTML
(formulas included) and counting what is left all happen here, on the database worker, so the
screen can be tested without a display and never waits on SQLite or matplotlib.
"""

from __future__ import annotations

from dataclasses import dataclass

from studyapp.core.collection import Collection, QueueCard, QueueCounts
from studyapp.core.render import Renderer, theme_for

__all__ = ["DoneInfo", "ReviewScreen", "ReviewSession"]


@dataclass(frozen=True, slots=True)
class DoneInfo:
    """The "done for today" page: what waits tomorrow."""

    reviews_tomorrow: int
    new_tomorrow: int
    answered_today: int


@dataclass(frozen=True, slots=True)
class ReviewScreen:
    """Everything the review page needs for one card, or the done page."""

    card: QueueCard | None
    question_html: str
    answer_html: str
    counts: QueueCounts
    #: Days until the next review for each grade (None for a same-day re-drill).
    intervals: dict[int, int | None]
    can_undo: bool
    done: DoneInfo | None
    language: str
    #: The deck's title in ``language`` where it has one.
    deck_title: str = ""


class ReviewSession:
    """Drives the daily review over a collection; every method returns the next screen."""

    def __init__(self, collection: Collection, renderer: Renderer) -> None:
        self.collection = collection
        self.renderer = renderer

    def screen(self, *, dark: bool = False, language: str | None = None) -> ReviewScreen:
        """The current card (or the done page), rendered for the palette and language."""
        col = self.collection
        language = language or col.settings.language or "en"
        card = col.next_card()
        counts = col.counts()
        if card is None:
            today = col.today()
            done = DoneInfo(
                reviews_tomorrow=col.due_on(today + 1),
                new_tomorrow=min(col.new_available(), col.settings.new_per_day),
                answered_today=col.answered_on(today),
            )
            return ReviewScreen(None, "", "", counts, {}, col.can_undo, done, language)
        theme = theme_for(dark)
        if card.texts and language not in card.texts:
            language = next(iter(card.texts))  # the card's primary language
        front, back = card.text(language)
        intervals = card.next_intervals()
        return ReviewScreen(
            card=card,
            question_html=self.renderer.card_document(front, None, theme),
            answer_html=self.renderer.card_document(front, back, theme),
            counts=counts,
            intervals=intervals,
            can_undo=col.can_undo,
            done=None,
            language=language,
            deck_title=card.deck_titles.get(language) or card.deck_title or "",
        )

    def answer(
        self,
        card: QueueCard,
        quality: int,
        seconds: float,
        *,
        dark: bool = False,
        language: str | None = None,
    ) -> ReviewScreen:
        """Commit the grade, then return the next screen."""
        self.collection.answer(card, quality, seconds)
        return self.screen(dark=dark, language=language)

    def undo(self, *, dark: bool = False, language: str | None = None) -> ReviewScreen:
        """Undo the last answer; the undone card is shown again."""
        self.collection.undo()
        return self.screen(dark=dark, language=language)
