"""Today's queue: which item comes next.

Order: today's re-drills (items graded below 4 today, SM-2 step 7), then due reviews (most
overdue first), then new items, within the day's limits. Why in memory: the queue is built once
per day (a few indexed queries) and then each "next card" is a list operation, which keeps the
answer path well under a millisecond even on a 100,000-card collection.

One refinement over a strict order: an item just answered is not shown again straight away while
anything else is waiting, so a failed card comes back after at least one other card.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DailyQueue", "QueueCounts"]


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

    def peek(self) -> tuple[str, int] | None:
        """The next (source, item id) without removing it, or None when the day is done."""
        if self.pinned is not None:
            for source in ("redrill", "due", "new"):
                if self.pinned in getattr(self, source):
                    return source, self.pinned
        for source in ("redrill", "due", "new"):
            for item_id in getattr(self, source):
                if item_id != self.last_answered:
                    return source, item_id
        if self.last_answered is not None:
            for source in ("redrill", "due", "new"):
                if self.last_answered in getattr(self, source):
                    return source, self.last_answered
        return None

    def answered(self, source: str, item_id: int, *, redrill_again: bool) -> None:
        """Remove an answered item; queue it as a re-drill when it was graded below 4."""
        getattr(self, source).remove(item_id)
        if source == "due":
            self.due_left -= 1
        if self.pinned == item_id:
            self.pinned = None
        if redrill_again:
            self.redrill.append(item_id)
        self.last_answered = item_id
