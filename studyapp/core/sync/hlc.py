"""A hybrid logical clock: wall-clock milliseconds plus a logical counter, per device.

Why not the wall clock alone: two machines disagree about the time (a laptop a day behind is
common after travel or a dead CMOS battery), and one machine's clock can jump backwards. Events
are ordered by their stamp, so a stamp must (1) never go backwards on one device, whatever the
wall clock does, and (2) be later than every stamp the device has already seen from others, so
an edit made after reading another device's edit wins over it. The hybrid clock (Kulkarni et
al., 2014) keeps the wall clock's milliseconds where it can and counts within a millisecond
where it must.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

__all__ = ["COUNTER_LIMIT", "HybridClock", "Stamp", "wall_ms"]

#: Counts within one millisecond stay below this; past it the clock borrows the next millisecond,
#: so a stamp always fits ``ms * COUNTER_LIMIT + counter`` in one integer key.
COUNTER_LIMIT: Final = 1 << 16


def wall_ms() -> int:
    """The machine's wall clock in milliseconds since the Unix epoch."""
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, slots=True, order=True)
class Stamp:
    """One hybrid-clock reading; stamps order by (ms, counter, device), a total order."""

    ms: int
    counter: int
    device: str

    def __post_init__(self) -> None:
        if type(self.ms) is not int or self.ms < 0:
            raise ValueError(f"stamp ms must be an int >= 0, got {self.ms!r}")
        if type(self.counter) is not int or not 0 <= self.counter < COUNTER_LIMIT:
            raise ValueError(f"stamp counter must be an int 0..{COUNTER_LIMIT - 1}")

    @property
    def key(self) -> int:
        """(ms, counter) as one integer, for sorting many stamps quickly."""
        return self.ms * COUNTER_LIMIT + self.counter


class HybridClock:
    """The hybrid clock of one device.

    ``last`` is the newest stamp this device has issued or seen (persist it with the
    collection, and seed it from the device's own segments on start), so the clock stays
    monotonic across restarts too. ``wall`` is injectable for tests.
    """

    def __init__(
        self, device: str, *, wall: Callable[[], int] = wall_ms, last: Stamp | None = None
    ) -> None:
        self.device = device
        self._wall = wall
        self._ms = last.ms if last else 0
        self._counter = last.counter if last else 0

    @property
    def last(self) -> Stamp:
        """The newest stamp issued or observed."""
        return Stamp(self._ms, self._counter, self.device)

    def now(self) -> Stamp:
        """A new stamp, later than every stamp this clock has issued or observed."""
        wall = self._wall()
        if wall > self._ms:
            self._ms, self._counter = wall, 0
        else:
            self._tick(self._ms, self._counter + 1)
        return Stamp(self._ms, self._counter, self.device)

    def observe(self, remote: Stamp | tuple[int, int]) -> None:
        """Merge a stamp read from another device, so what this device does next is later."""
        ms, counter = (remote.ms, remote.counter) if isinstance(remote, Stamp) else remote
        if (ms, counter) > (self._ms, self._counter):
            self._ms, self._counter = ms, counter

    def _tick(self, ms: int, counter: int) -> None:
        if counter >= COUNTER_LIMIT:  # 65,536 events in one millisecond: borrow the next one
            ms, counter = ms + 1, 0
        self._ms, self._counter = ms, counter
