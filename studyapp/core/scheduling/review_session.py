"""What the review screen shows, computed off the GUI thread.

Why a core object: the window only paints; choosing the card, rendering both sides to HTML
(formulas included) and counting what is left all happen here, on the database worker, so the
screen can be tested without a display and never waits on SQLite or matplotlib.

A session also remembers what the learner chose to study (every deck, one deck or one tag) and
what was answered since the window opened, for the summary on the done page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from studyapp.core.collection import Collection, QueueCard, QueueCounts
from studyapp.core.rendering.render import Renderer, theme_for
from studyapp.core.scheduling.daily_queue import StudyScope
from studyapp.core.storage.queue_reads import LIVE as _LIVE

__all__ = [
    "DoneInfo",
    "ReviewScreen",
    "ReviewSession",
    "ScopeOption",
    "SessionSummary",
    "StudyScope",
]


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """What this sitting achieved: shown when the queue runs out."""

    answered: int = 0
    #: Answers per grade (0-5) in this session.
    grades: dict[int, int] = field(default_factory=dict)
    #: Time spent on the answered cards (question shown to grade given).
    seconds: float = 0.0
    #: The next study day with a review due (after today), or None when nothing is scheduled.
    next_due_day: int | None = None
    #: Today's study day, to say "tomorrow" or "in 5 days".
    today: int = 0


@dataclass(frozen=True, slots=True)
class ScopeOption:
    """One choice in "Study:": a deck or a tag, with the title the learner reads."""

    scope: StudyScope
    title: str
    #: Items due today plus new ones (ignoring daily limits), to show which choices have work.
    waiting: int = 0


@dataclass(frozen=True, slots=True)
class DoneInfo:
    """The "done for today" page: what waits tomorrow."""

    reviews_tomorrow: int
    new_tomorrow: int
    answered_today: int
    summary: SessionSummary = field(default_factory=SessionSummary)


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
    #: What the session studies now (every enabled deck unless narrowed).
    scope: StudyScope = field(default_factory=StudyScope)


class ReviewSession:
    """Drives the daily review over a collection; every method returns the next screen."""

    def __init__(self, collection: Collection, renderer: Renderer) -> None:
        self.collection = collection
        self.renderer = renderer
        #: (grade, seconds) of every answer in this session, newest last; undo removes one.
        self.answers: list[tuple[int, float]] = []

    @property
    def scope(self) -> StudyScope:
        return self.collection.scope

    def set_scope(
        self, scope: StudyScope, *, dark: bool = False, language: str | None = None
    ) -> ReviewScreen:
        """Study ``scope`` from now on and return its first screen."""
        self.collection.set_scope(scope)
        return self.screen(dark=dark, language=language)

    def summary(self) -> SessionSummary:
        """This session's answers, grades, time and the next day with reviews due."""
        col = self.collection
        today = col.today()
        next_due = col.db.conn.execute(
            f"SELECT min(i.due_day) FROM item i WHERE i.due_day > ? AND {_LIVE}", (today,)
        ).fetchone()[0]
        return SessionSummary(
            answered=len(self.answers),
            grades=dict(sorted(Counter(q for q, _ in self.answers).items())),
            seconds=sum(s for _, s in self.answers),
            next_due_day=next_due,
            today=today,
        )

    def scope_options(self, language: str) -> list[ScopeOption]:
        """Every enabled deck (titled in ``language``) and every tag of a live card, for the
        "Study:" choice. Disabled decks are left out: the learner left them out of reviews."""
        today = self.collection.today()
        options = [
            ScopeOption(StudyScope(deck_key=d.key), d.title(language), d.due + d.new)
            for d in self.collection.decks()
            if d.enabled and d.cards
        ]
        tags: Counter[str] = Counter()
        rows = self.collection.db.conn.execute(
            f"SELECT i.tags FROM item i WHERE i.tags != '' AND (i.due_day IS NULL "
            f"OR i.due_day <= ?) AND {_LIVE}",
            (today,),
        )
        for (text,) in rows:
            tags.update(t for t in text.split(",") if t)
        options.extend(ScopeOption(StudyScope(tag=t), t, n) for t, n in sorted(tags.items()))
        return options

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
                summary=self.summary(),
            )
            return ReviewScreen(
                None, "", "", counts, {}, col.can_undo, done, language, scope=col.scope
            )
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
            scope=col.scope,
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
        self.answers.append((quality, float(seconds)))
        return self.screen(dark=dark, language=language)

    def undo(self, *, dark: bool = False, language: str | None = None) -> ReviewScreen:
        """Undo the last answer; the undone card is shown again."""
        if self.collection.undo() is not None and self.answers:
            self.answers.pop()
        return self.screen(dark=dark, language=language)
