"""Every event one device knows, held so a million reviews stay cheap.

Why columns: reviews are nearly all of the events (a year of study is 50,000-200,000 of them;
the target is a million replayed in seconds), and a Python object per review costs more than
the replay itself. Reviews are therefore kept as parallel integer columns, filled either one
event at a time or a whole snapshot at once, and turned into numpy arrays for sorting and
de-duplication. The few other events are kept as objects, de-duplicated by id as they come.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from studyapp.core.sync.events import Event, EventId, Review, Schedule

__all__ = ["NONE", "REVIEW_COLUMNS", "EventSet", "ReviewArrays", "sorted_rank"]

#: Stands for None (a new item's due day, no re-drill) in the integer columns; study days are
#: ordinals >= 1, so -1 is never a real day.
NONE: Final = -1
#: The review columns, in order: device index, device counter, stamp ms and counter, item
#: index, grade, answered-at ms, study day, seconds, kind (0 review, 1 re-drill), then the
#: schedule before (b0..b4) and after (f0..f4) as in ``Schedule``.
REVIEW_COLUMNS: Final = (
    "dev", "n", "h", "c", "i", "q", "a", "sd", "s", "k",
    "b0", "b1", "b2", "b3", "b4", "f0", "f1", "f2", "f3", "f4",
)  # fmt: skip
_KINDS: Final = ("review", "redrill")


def _sched(row: Sequence[int]) -> Schedule:
    due, redrill = row[3], row[4]
    return Schedule(
        row[0], row[1], row[2], None if due == NONE else due, None if redrill == NONE else redrill
    )


@dataclass(frozen=True, slots=True)
class ReviewArrays:
    """The reviews as numpy arrays (one per ``REVIEW_COLUMNS`` name), one row per review."""

    devices: tuple[str, ...]
    items: tuple[str, ...]
    columns: Mapping[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.columns["n"])


class EventSet:
    """A set of events: adding the same event twice (a conflict copy, a mirror) keeps one."""

    def __init__(self) -> None:
        self.devices: list[str] = []
        self._device_index: dict[str, int] = {}
        self.items: list[str] = []
        self._item_index: dict[str, int] = {}
        # array.array: 8 bytes a value, where a list of ints costs about 36.
        self._cols = {name: array("d" if name == "s" else "q") for name in REVIEW_COLUMNS}
        self._col_list = list(self._cols.values())
        self._chunks: list[dict[str, np.ndarray]] = []
        self.others: dict[EventId, Event] = {}

    def _device(self, device: str) -> int:
        index = self._device_index.get(device)
        if index is None:
            index = self._device_index[device] = len(self.devices)
            self.devices.append(device)
        return index

    def _item(self, item: str) -> int:
        index = self._item_index.get(item)
        if index is None:
            index = self._item_index[item] = len(self.items)
            self.items.append(item)
        return index

    def add(self, event: Event) -> None:
        """Add one event (a review goes to the columns; de-duplication happens on reading)."""
        if isinstance(event, Review):
            self._add_review(event)
            return
        known = self.others.get(event.id)
        # Two different events under one id only come from a damaged or restored device; keep
        # the same one everywhere, whatever the arrival order, so devices still agree.
        if known is None or repr(event) < repr(known):
            self.others[event.id] = event

    def add_all(self, events: Iterable[Event]) -> None:
        for event in events:
            self.add(event)

    def _add_review(self, r: Review) -> None:
        b, f = r.before, r.after
        self.add_review_values(r.device, (
            r.seq, r.ms, r.counter, r.item, r.grade, r.answered_ms, r.study_day, r.seconds,
            _KINDS.index(r.kind),
            b.repetitions, b.ef_hundredths, b.interval, b.due_day, b.redrill_day,
            f.repetitions, f.ef_hundredths, f.interval, f.due_day, f.redrill_day,
        ))  # fmt: skip

    def add_review_values(self, device: str, values: Sequence[Any]) -> None:
        """Add one review given as ``events.review_values`` returns it."""
        (seq, ms, counter, item, grade, answered, day, seconds, kind,
         b0, b1, b2, b3, b4, f0, f1, f2, f3, f4) = values  # fmt: skip
        row = (
            self._device(device), seq, ms, counter, self._item(item), grade, answered, day,
            seconds, kind, b0, b1, b2, NONE if b3 is None else b3, NONE if b4 is None else b4,
            f0, f1, f2, NONE if f3 is None else f3, NONE if f4 is None else f4,
        )  # fmt: skip
        for column, value in zip(self._col_list, row, strict=True):
            column.append(value)

    def add_review_columns(
        self, devices: Sequence[str], items: Sequence[str], columns: Mapping[str, np.ndarray]
    ) -> None:
        """Add many reviews at once (a snapshot): ``columns['dev']``/``['i']`` index the lists."""
        dev_map = np.array([self._device(d) for d in devices] or [0], dtype=np.int64)
        item_map = np.array([self._item(i) for i in items] or [0], dtype=np.int64)
        chunk = {name: np.asarray(columns[name]) for name in REVIEW_COLUMNS}
        chunk["dev"] = dev_map[chunk["dev"]]
        chunk["i"] = item_map[chunk["i"]]
        self._chunks.append(chunk)

    def update(self, other: EventSet) -> None:
        """Add every event of ``other`` (a file decoded on its own first)."""
        for chunk in [other._column_arrays(), *other._chunks]:
            if len(chunk["n"]):
                self.add_review_columns(other.devices, other.items, chunk)
        self.add_all(other.others.values())

    def of_devices(self, devices: Iterable[str]) -> EventSet:
        """A new set with only the events made by ``devices``."""
        wanted = set(devices)
        out = EventSet()
        arrays = self.review_arrays()
        mask = np.isin(arrays.columns["dev"], [k for k, d in enumerate(arrays.devices)
                                                if d in wanted])  # fmt: skip
        if mask.any():
            out.add_review_columns(
                arrays.devices, arrays.items, {n: c[mask] for n, c in arrays.columns.items()}
            )
        out.add_all(e for e in self.others.values() if e.device in wanted)
        return out

    def latest_stamp(self) -> tuple[int, int] | None:
        """The newest (ms, counter) of any event, or None for an empty set."""
        best = max(((e.ms, e.counter) for e in self.others.values()), default=None)
        for part in [self._column_arrays(), *self._chunks]:
            if len(part["h"]):
                key = part["h"] * (1 << 16) + part["c"]
                top = int(np.argmax(key))
                stamp = (int(part["h"][top]), int(part["c"][top]))
                best = stamp if best is None else max(best, stamp)
        return best

    def review_arrays(self) -> ReviewArrays:
        """Every review once, sorted by event id (device, counter)."""
        parts = [self._column_arrays(), *self._chunks]
        cols = {
            name: np.concatenate([p[name] for p in parts])
            if name != "s"
            else np.concatenate([p[name].astype(np.float64) for p in parts])
            for name in REVIEW_COLUMNS
        }
        # Sort by id; where an id occurs twice, ties are broken by every other column so the
        # copy kept is the same on every device; then keep the first row of each id.
        rank = sorted_rank(self.devices)[cols["dev"]]
        key = rank * (1 << 40) + cols["n"]
        order = np.argsort(key, kind="stable")
        if (key[order][1:] == key[order][:-1]).any():  # rare: one sort key per column
            ties = {**cols, "i": sorted_rank(self.items)[cols["i"]]}
            order = np.lexsort([ties[n] for n in reversed(REVIEW_COLUMNS[2:])] + [key])
        cols = {name: col[order] for name, col in cols.items()}
        rank = rank[order]
        keep = np.ones(len(rank), dtype=bool)
        keep[1:] = (rank[1:] != rank[:-1]) | (cols["n"][1:] != cols["n"][:-1])
        return ReviewArrays(
            tuple(self.devices), tuple(self.items), {n: c[keep] for n, c in cols.items()}
        )

    def _column_arrays(self) -> dict[str, np.ndarray]:
        return {
            name: np.frombuffer(values, dtype=np.float64 if name == "s" else np.int64).copy()
            for name, values in self._cols.items()
        }

    def reviews(self) -> Iterator[Review]:
        """Every review once, as events (for compaction and tests; slow for millions)."""
        arrays = self.review_arrays()
        c = {name: col.tolist() for name, col in arrays.columns.items()}
        for j in range(len(arrays)):
            row = [c[name][j] for name in REVIEW_COLUMNS]
            yield Review(
                arrays.devices[row[0]], row[1], row[2], row[3], arrays.items[row[4]], row[5],
                row[6], row[7], row[8], _KINDS[row[9]], _sched(row[10:15]), _sched(row[15:20]),
            )  # fmt: skip

    def __len__(self) -> int:
        return len(self.review_arrays()) + len(self.others)


def sorted_rank(names: Sequence[str]) -> np.ndarray:
    """Each index's rank among ``names`` in sorted order: the same on every device, unlike the
    indexes, which follow arrival order."""
    rank = np.empty(max(len(names), 1), dtype=np.int64)
    for position, index in enumerate(sorted(range(len(names)), key=names.__getitem__)):
        rank[index] = position
    return rank
