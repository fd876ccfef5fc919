"""Study days: the calendar the scheduler counts in.

Why not calendar dates: a learner reviewing at 01:00 is still in "yesterday's" session, so, as in
Anki, a study day starts at a configurable hour (default 04:00 local time). Days are numbered by
``date.toordinal()`` so that intervals are plain integer arithmetic. The clock is always passed in,
so nothing in the core depends on today's date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

__all__ = ["DEFAULT_DAY_START_HOUR", "Clock", "epoch_ms", "local_now", "study_day"]

DEFAULT_DAY_START_HOUR = 4

#: A clock returns the current time as an aware datetime (local time zone).
Clock = Callable[[], datetime]


def local_now() -> datetime:
    """The real clock: now, in the machine's local time zone."""
    return datetime.now().astimezone()


def study_day(now: datetime, day_start_hour: int = DEFAULT_DAY_START_HOUR) -> int:
    """The ordinal of the study day that contains ``now`` (local wall time)."""
    if not 0 <= day_start_hour <= 23:
        raise ValueError(f"day start hour must be 0..23, got {day_start_hour}")
    return (now - timedelta(hours=day_start_hour)).date().toordinal()


def epoch_ms(now: datetime) -> int:
    """Milliseconds since the Unix epoch; naive datetimes are refused (they are ambiguous)."""
    if now.tzinfo is None:
        raise ValueError("the clock must return an aware datetime")
    return int(now.timestamp() * 1000)
