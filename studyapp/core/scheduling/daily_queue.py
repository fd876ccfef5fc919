"""Today's queue: which item comes next.

Order: today's re-drills (items graded below 4 today, SM-2 step 7), then due reviews (most
overdue first), then new items, within the day's limits. Why in memory: the queue is built once
per day (a few indexed queries) and then each "next card" is a list operation, which keeps the
answer path well under a millisecond even on a 100,000-card collection.

One refinement over a strict order: an item just answered is not shown again straight away while
anything else is waiting, so a failed card comes back after at least one other card.

New items are interleaved across decks by default (one from each deck in turn, each deck in the
order its cards were added, as Anki's default), so a first session shows what every deck is about
instead of twenty cards of whichever deck sorts first; the "deck" order keeps the old deck-by-deck
file order. A study scope narrows the day to one deck or one tag for
the session (the daily limits still count every answer of the day).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "NEW_ORDERS",
    "DailyQueue",
    "QueueCounts",
    "QueueSource",
    "StudyScope",
    "interleave",
    "rotate_after",
]

#: How new items are introduced: "interleave" (round robin over decks) or "deck" (deck by deck).
NEW_ORDERS = ("interleave", "deck")


class QueueSource(StrEnum):
    """Which of today's lists an item is asked from, which says how an answer to it counts.

    Each member equals its old string ("due", ...), so callers comparing strings still work.
    """

    #: Graded below 4 today: asked again the same day, the SM-2 state left alone (step 7).
    REDRILL = "redrill"
    #: A review that is due (most overdue first).
    DUE = "due"
    #: An item never answered.
    NEW = "new"
    #: Shown from the browser, not from the queue: only for looking.
    BROWSE = "browse"


#: The lists in the order they are asked from.
_ORDER = (QueueSource.REDRILL, QueueSource.DUE, QueueSource.NEW)


def interleave(groups: Sequence[Sequence[int]], limit: int) -> list[int]:
    """Round robin over ``groups`` (each already in its own order): the first item of every group,
    then the second of every group, and so on, stopping after ``limit`` items. Stable: the same
    groups always give the same order, so a restart does not reshuffle the day."""
    out: list[int] = []
    depth = 0
    while len(out) < limit:
        layer = [group[depth] for group in groups if depth < len(group)]
        if not layer:
            break
        out.extend(layer[: limit - len(out)])
        depth += 1
    return out


def rotate_after(items: Sequence[int], last: int | None) -> list[int]:
    """``items`` starting just after ``last`` (unchanged when ``last`` is not among them), so the
    turn passes on from the deck whose new card was introduced last, across restarts and days,
    instead of always starting with the first deck."""
    if last not in items:
        return list(items)
    at = items.index(last) + 1
    return [*items[at:], *items[:at]]


def _literal(text: str) -> str:
    """An SQL string literal (SQLite has no backslash escapes: doubling the quote is enough)."""
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class StudyScope:
    """What this session studies: every enabled deck (the default), one deck, or one tag.

    Not stored: a scope lasts until the window closes or the learner picks another one.
    """

    deck_key: str = ""
    tag: str = ""

    def __post_init__(self) -> None:
        if self.deck_key and self.tag:
            raise ValueError("a study scope is one deck or one tag, not both")
        if "," in self.tag:
            raise ValueError(f"a tag has no comma in it, got {self.tag!r}")

    @property
    def is_all(self) -> bool:
        return not (self.deck_key or self.tag)

    def sql(self) -> str:
        """An extra ``AND ...`` condition on ``item i`` ("" for every deck). Built from literals
        so the queue's existing queries and their parameters stay as they are."""
        if self.deck_key:
            return f" AND i.deck_id = (SELECT id FROM deck WHERE key = {_literal(self.deck_key)})"
        if self.tag:
            return f" AND instr(',' || i.tags || ',', {_literal(',' + self.tag + ',')}) > 0"
        return ""


@dataclass(frozen=True, slots=True)
class QueueCounts:
    """What is left today, as shown above the card."""

    new: int
    due: int
    redrill: int

    @property
    def total(self) -> int:
        return self.new + self.due + self.redrill


@dataclass
class DailyQueue:
    """Item ids left today for one study day, in the order they will be asked."""

    day: int
    redrill: list[int] = field(default_factory=list)
    due: list[int] = field(default_factory=list)
    new: list[int] = field(default_factory=list)
    #: Due reviews left today within the limit; ``due`` holds the next page of them.
    due_left: int = 0
    last_answered: int | None = None
    #: An item to ask before anything else (the card an undo brought back).
    pinned: int | None = None

    def counts(self) -> QueueCounts:
        return QueueCounts(new=len(self.new), due=self.due_left, redrill=len(self.redrill))

    def peek(self) -> tuple[QueueSource, int] | None:
        """The next (source, item id) without removing it, or None when the day is done."""
        if self.pinned is not None:
            for source in _ORDER:
                if self.pinned in getattr(self, source):
                    return source, self.pinned
        for source in _ORDER:
            for item_id in getattr(self, source):
                if item_id != self.last_answered:
                    return source, item_id
        if self.last_answered is not None:
            for source in _ORDER:
                if self.last_answered in getattr(self, source):
                    return source, self.last_answered
        return None

    def answered(self, source: QueueSource, item_id: int, *, redrill_again: bool) -> None:
        """Remove an answered item; queue it as a re-drill when it was graded below 4."""
        getattr(self, source).remove(item_id)
        if source == QueueSource.DUE:
            self.due_left -= 1
        if self.pinned == item_id:
            self.pinned = None
        if redrill_again:
            self.redrill.append(item_id)
        self.last_answered = item_id
