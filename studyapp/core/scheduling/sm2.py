"""SuperMemo-2 (Wozniak, 1987) as pure functions.

Why a module of its own: the scheduler is the one piece of maths every review depends on, so it
is kept free of I/O, of clocks and of floats. The E-Factor moves in steps of 0.02, so it is held
in integer hundredths; binary floats would drift (five 5s would give 3.0000000000000004 and the
sixth interval 421 instead of 420).

Where the original text is ambiguous, this module follows these rules (see ``docs`` in README):

1. q >= 3: n = repetitions + 1; interval 1 if n == 1, 6 if n == 2, else
   ceil(previous interval * EF) with the EF from *before* this review's update.
2. After every review, failures included, EF' = EF + (0.1 - (5-q)(0.08 + (5-q)0.02)),
   floored at 1.3, with no upper cap.
3. q < 3: repetitions = 0 and interval = 1 (EF is still updated by rule 2).

Rule 5 of the text (same-day re-drills of items graded below 4) does not change this state;
the daily queue handles it (``studyapp.core.scheduling.daily_queue``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from numbers import Real
from typing import Final

__all__ = [
    "INITIAL_EF_HUNDREDTHS",
    "MIN_EF_HUNDREDTHS",
    "REDRILL_BELOW",
    "Sm2State",
    "check_quality",
    "review",
]

INITIAL_EF_HUNDREDTHS: Final = 250
MIN_EF_HUNDREDTHS: Final = 130
#: Items graded below this are asked again the same day (rule 5 / step 7 of the text).
REDRILL_BELOW: Final = 4


def _ef_delta_hundredths(quality: int) -> int:
    """EF change in hundredths: 100*(0.1 - (5-q)(0.08 + (5-q)0.02)), exact in integers."""
    miss = 5 - quality
    return 10 - miss * (8 + 2 * miss)


def check_quality(quality: object) -> int:
    """Return ``quality`` if it is a plain int in 0..5, else raise ValueError.

    bool is rejected although it is an int subclass: ``True`` as a grade is always a bug.
    """
    if type(quality) is not int or not 0 <= quality <= 5:
        raise ValueError(f"quality must be an int from 0 to 5, got {quality!r}")
    return quality


@dataclass(frozen=True, slots=True)
class Sm2State:
    """The SM-2 state of one item; ``Sm2State()`` is a new item (0 repetitions, EF 2.5, interval 0).

    ``ef`` is kept as an exact Decimal with two places; a float or str given to the constructor
    is converted through its decimal text, so ``Sm2State(ef=2.36)`` is exactly 2.36.
    """

    repetitions: int = 0
    ef: Decimal = Decimal("2.50")
    interval: int = 0

    def __post_init__(self) -> None:
        if type(self.repetitions) is not int or self.repetitions < 0:
            raise ValueError(f"repetitions must be an int >= 0, got {self.repetitions!r}")
        if type(self.interval) is not int or self.interval < 0:
            raise ValueError(f"interval must be an int >= 0, got {self.interval!r}")
        if isinstance(self.ef, bool) or not isinstance(self.ef, Real | Decimal | str):
            raise ValueError(f"ef must be a number, got {self.ef!r}")
        ef = Decimal(str(self.ef)).quantize(Decimal("0.01"))
        if ef < Decimal(MIN_EF_HUNDREDTHS) / 100:
            raise ValueError(f"ef must be at least 1.3, got {self.ef!r}")
        object.__setattr__(self, "ef", ef)

    @classmethod
    def from_hundredths(cls, repetitions: int, ef_hundredths: int, interval: int) -> Sm2State:
        """Build a state from the integer form used in storage."""
        return cls(repetitions, Decimal(ef_hundredths) / 100, interval)

    @property
    def ef_hundredths(self) -> int:
        """The E-Factor in integer hundredths (250 for 2.5): the exact form used in storage."""
        return int(self.ef * 100)

    @property
    def is_new(self) -> bool:
        """True for an item that has never been reviewed."""
        return self.repetitions == 0 and self.interval == 0


def review(state: Sm2State, quality: int) -> Sm2State:
    """Return the state after one graded review; ``state`` is not changed."""
    q = check_quality(quality)
    if q >= 3:
        n = state.repetitions + 1
        if n == 1:
            interval = 1
        elif n == 2:
            interval = 6
        else:
            # ceil(I * EF) with EF in hundredths, in integers: ceil(a / 100) == -(-a // 100).
            interval = -(-(state.interval * state.ef_hundredths) // 100)
    else:
        n = 0
        interval = 1
    ef = max(MIN_EF_HUNDREDTHS, state.ef_hundredths + _ef_delta_hundredths(q))
    return Sm2State.from_hundredths(n, ef, interval)
