"""The kinds of rows the collection stores, as typed values.

Why ``StrEnum``: each member equals the string stored in SQLite ("card", "review", ...), so the
file format is unchanged while the code names the value instead of spelling it.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ItemKind", "ReviewKind"]


class ItemKind(StrEnum):
    """What an ``item`` row is: a flashcard or a coding drill (both scheduled by SM-2)."""

    CARD = "card"
    DRILL = "drill"


class ReviewKind(StrEnum):
    """What a ``review_log`` row records: an answer that moved the SM-2 state, or a same-day
    re-drill that left it as it was."""

    REVIEW = "review"
    REDRILL = "redrill"
