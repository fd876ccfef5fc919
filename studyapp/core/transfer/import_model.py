"""What an importer hands to the collection: decks, cards, their schedule and media, as plain data.

Why a neutral model: each source format (Anki packages, CSV/TSV) only has to *read* its file into
these records, and one writer puts any of them into the collection in a single transaction, so
"bad input leaves the collection exactly as it was" is enforced in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "ImportFailed",
    "ImportPackage",
    "ImportedCard",
    "ImportedDeck",
    "ImportedMedia",
    "ImportedReview",
    "ImportedSchedule",
]


class ImportFailed(ValueError):
    """A file that cannot be imported; the message names the file and, where known, the line."""


@dataclass(frozen=True, slots=True)
class ImportedSchedule:
    """A card's SM-2 state, already mapped from the source's own scheduler.

    ``due_in_days`` is relative to the importing day (0 = due today, negative = overdue), so the
    mapping does not depend on either app's notion of "today". ``None`` means a new card.
    """

    repetitions: int = 0
    ef_hundredths: int = 250
    interval: int = 0
    due_in_days: int | None = None
    suspended: bool = False
    lapses: int = 0


@dataclass(frozen=True, slots=True)
class ImportedReview:
    """One past answer, mapped onto an SM-2 quality 0-5, kept so statistics include it."""

    reviewed_ms: int
    quality: int
    seconds: float
    interval_after: int
    ef_after: int


@dataclass(frozen=True, slots=True)
class ImportedCard:
    """One card; ``key`` is stable across re-imports so importing twice updates, not duplicates."""

    key: str
    front: str
    back: str
    tags: tuple[str, ...] = ()
    schedule: ImportedSchedule = field(default_factory=ImportedSchedule)
    reviews: tuple[ImportedReview, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportedDeck:
    """A deck; ``key`` is stable across re-imports of the same source deck."""

    key: str
    title: str
    cards: list[ImportedCard] = field(default_factory=list)
    description: str = ""


@dataclass(frozen=True, slots=True)
class ImportedMedia:
    """A file referenced by cards (by ``name``), stored in the data folder's media folder."""

    name: str
    data: bytes


@dataclass(slots=True)
class ImportPackage:
    """Everything one file contributed."""

    source: str
    decks: list[ImportedDeck] = field(default_factory=list)
    media: list[ImportedMedia] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def card_count(self) -> int:
        return sum(len(deck.cards) for deck in self.decks)
