"""The state every device converges to: a deterministic replay of all known events.

Why a replay instead of merging states: SM-2 is a function of an item's reviews in order, so if
every device replays the same set of reviews in the same order it reaches the same schedule,
whatever order the files arrived in and however often. The order is the hybrid-clock stamp,
then the device id, then that device's counter, the same on every device. Reviews made on two
devices before they met are both kept; the schedule is their replay. Everything else (card
texts, suspend/delete flags, deck enables, settings) is "the latest by stamp wins", and card
edits keep every version in the card's history.

The result is plain data (``ReplayResult``) describing the target state; applying it to the
SQLite collection in one transaction is the collection's job.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from studyapp.core.scheduling.sm2 import REDRILL_BELOW, Sm2State, review
from studyapp.core.sync.events import (
    CardEdited,
    DeckEnabled,
    DrillAttempted,
    Event,
    EventId,
    ItemDeleted,
    ItemSuspended,
    ReviewUndone,
    Schedule,
    SettingChanged,
)
from studyapp.core.sync.eventset import NONE, EventSet, ReviewArrays, sorted_rank

__all__ = [
    "MAX_INTERVAL_DAYS",
    "REVIEW_LOG_COLUMNS",
    "CardText",
    "ItemState",
    "ReplayResult",
    "ReviewFold",
    "ReviewLogTable",
    "replay",
]

#: The columns of ``ReviewLogTable.rows()``: the event id, the item, then the ``review_log``
#: columns of the same names (item_id is a local row id, so the item is named instead).
REVIEW_LOG_COLUMNS: Final = (
    "event_device", "event_seq", "item", "reviewed_ms", "study_day", "quality", "kind",
    "seconds", "reps_before", "ef_before", "interval_before", "due_before", "redrill_before",
    "reps_after", "ef_after", "interval_after", "due_after", "redrill_after",
)  # fmt: skip
_KIND_NAMES: Final = ("review", "redrill")
#: A hook for another scheduler (FSRS): item, its answers in order as (answered_ms, grade,
#: kind) -> that scheduler's state for the item, kept in ``ReplayResult.extra``.
ReviewFold = Callable[[str, Sequence[tuple[int, int, str]]], Any]
#: Intervals are held at this many days (about 3 billion years): SM-2 has no cap, and a
#: long run of correct answers (merged from several devices) would otherwise outgrow SQLite's
#: 64-bit integers.
MAX_INTERVAL_DAYS: Final = 1 << 40
#: SM-2 transitions already computed: (reps, ef, interval, grade) -> (reps, ef, interval).
_SM2_CACHE: dict[tuple[int, int, int, int], tuple[int, int, int]] = {}


@dataclass(frozen=True, slots=True)
class ItemState:
    """An item's replayed schedule, how many answers it has, and when the last one was."""

    schedule: Schedule
    answers: int
    last_answered_ms: int


@dataclass(frozen=True, slots=True)
class CardText:
    """A card's texts after every edit (per field, the latest wins) and every edit, oldest first."""

    fields: Mapping[str, str]
    history: tuple[CardEdited, ...]


@dataclass(frozen=True, slots=True)
class ReviewLogTable:
    """Every counted review in the agreed order, with the schedule before and after each one
    as the replay computed it (numpy columns; ``rows()`` gives plain tuples)."""

    devices: tuple[str, ...]
    items: tuple[str, ...]
    columns: Mapping[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.columns["n"])

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """One tuple per review in ``REVIEW_LOG_COLUMNS`` order, ready for ``executemany``."""
        c = {name: col.tolist() for name, col in self.columns.items()}
        dev, items, kinds = self.devices, self.items, _KIND_NAMES
        days = ("b3", "b4", "f3", "f4")
        for name in days:
            c[name] = [None if v == NONE else v for v in c[name]]
        for j in range(len(self)):
            yield (
                dev[c["dev"][j]], c["n"][j], items[c["i"][j]], c["a"][j], c["sd"][j],
                c["q"][j], kinds[c["k"][j]], c["s"][j],
                c["b0"][j], c["b1"][j], c["b2"][j], c["b3"][j], c["b4"][j],
                c["f0"][j], c["f1"][j], c["f2"][j], c["f3"][j], c["f4"][j],
            )  # fmt: skip

    def ids(self) -> list[EventId]:
        """The ids of the counted reviews, in order."""
        devs, seqs = self.columns["dev"].tolist(), self.columns["n"].tolist()
        return [EventId(self.devices[d], n) for d, n in zip(devs, seqs, strict=True)]


@dataclass(frozen=True)
class ReplayResult:
    """The target state: apply it to the collection in one transaction."""

    items: dict[str, ItemState]
    review_log: ReviewLogTable
    cards: dict[str, CardText]
    suspended: dict[str, bool]
    deleted: dict[str, bool]
    decks_enabled: dict[str, bool]
    settings: dict[str, Any]
    drill_attempts: list[DrillAttempted]
    #: Reviews taken back by an undo event (not in the log, not in the schedules).
    undone: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """A hash of everything devices must agree on; equal on two devices means converged."""
        digest = hashlib.sha256()
        digest.update(_canonical(self._plain()).encode())
        _hash_log(digest, self.review_log)
        return digest.hexdigest()

    def _plain(self) -> dict[str, Any]:
        return {
            "items": {k: [*v.schedule.encode(), v.answers, v.last_answered_ms]
                      for k, v in self.items.items()},
            "cards": {k: [dict(v.fields), [[e.device, e.seq] for e in v.history]]
                      for k, v in self.cards.items()},
            "suspended": self.suspended,
            "deleted": self.deleted,
            "decks": self.decks_enabled,
            "settings": self.settings,
            "drills": [[e.device, e.seq] for e in self.drill_attempts],
            "undone": self.undone,
        }  # fmt: skip


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _hash_log(digest: Any, log: ReviewLogTable) -> None:
    """Hash the log by names, not by the arrival-order indexes each device happens to use."""
    cols = dict(log.columns)
    for key, names in (("dev", log.devices), ("i", log.items)):
        used = np.unique(cols[key]).tolist()
        used_names = sorted(names[k] for k in used)
        rank = np.zeros(max(len(names), 1), dtype=np.int64)
        rank[used] = [used_names.index(names[k]) for k in used]
        cols[key] = rank[cols[key]]
        digest.update(_canonical(used_names).encode())
    for name, col in cols.items():
        digest.update(name.encode() + np.ascontiguousarray(col, dtype="<f8").tobytes())


# ---------------------------------------------------------------- replay


def replay(events: EventSet, *, extra: Mapping[str, ReviewFold] | None = None) -> ReplayResult:
    """The state that ``events`` describe, the same whatever order they were added in.

    ``extra`` maps a name to another scheduler's fold (FSRS, when it is on); its per-item
    results land in ``ReplayResult.extra[name]``.
    """
    others = sorted(events.others.values(), key=lambda e: e.order)
    undone = {EventId(e.target_device, e.target_seq) for e in others if type(e) is ReviewUndone}
    arrays, dropped = _without(events.review_arrays(), undone)
    log, items = _replay_reviews(arrays)
    result = ReplayResult(
        items=items,
        review_log=log,
        cards=_card_texts(others),
        suspended=_latest(others, ItemSuspended, "item", "suspended"),
        deleted=_latest(others, ItemDeleted, "item", "deleted"),
        decks_enabled=_latest(others, DeckEnabled, "deck", "enabled"),
        settings=_latest(others, SettingChanged, "name", "value"),
        drill_attempts=[e for e in others if type(e) is DrillAttempted],
        undone=dropped,
    )
    for name, fold in (extra or {}).items():
        result.extra[name] = _fold(log, fold)
    return result


def _without(arrays: ReviewArrays, undone: set[EventId]) -> tuple[ReviewArrays, int]:
    """Drop undone reviews; returns the rest and how many were dropped."""
    index = {d: k for k, d in enumerate(arrays.devices)}
    keys = [index[u.device] * (1 << 40) + u.seq for u in undone if u.device in index]
    if not keys:
        return arrays, 0
    cols = arrays.columns
    drop = np.isin(cols["dev"] * (1 << 40) + cols["n"], np.array(keys, dtype=np.int64))
    kept = {name: col[~drop] for name, col in cols.items()}
    return ReviewArrays(arrays.devices, arrays.items, kept), int(drop.sum())


def _replay_reviews(arrays: ReviewArrays) -> tuple[ReviewLogTable, dict[str, ItemState]]:
    """Replay each item's reviews in stamp order through SM-2; return the log in global order."""
    c = arrays.columns
    rank = sorted_rank(arrays.devices)[c["dev"]]
    order = np.lexsort((c["n"], rank, c["c"], c["h"], c["i"]))
    cols = {name: col[order] for name, col in c.items()}
    n = len(order)
    item, day = cols["i"], cols["sd"]
    first = np.ones(n, dtype=bool)
    first[1:] = item[1:] != item[:-1]
    starts = np.flatnonzero(first)
    group = np.cumsum(first) - 1  # dense item group of each row
    graded = cols["k"] == 0  # a re-drill (1) leaves SM-2 and the due day as they were
    rows = np.flatnonzero(graded)
    sm2 = _sm2_chain(group[rows], cols["q"][rows], len(starts))
    # Each row's schedule is that of the latest graded row of its item up to it, if any.
    latest = np.maximum.accumulate(np.where(graded, np.arange(n), -1)) if n else graded
    has = latest >= starts[group] if n else graded
    where = np.searchsorted(rows, latest)
    for j, (initial, values) in enumerate(zip((0, 250, 0), sm2, strict=True)):
        cols[f"f{j}"] = np.where(has, np.append(values, initial)[where], initial)
    due = day + cols["f2"]
    cols["f3"] = np.where(has, due[np.maximum(latest, 0)], NONE)
    cols["f4"] = np.where(cols["q"] < REDRILL_BELOW, day, NONE)
    for j, initial in enumerate((0, 250, 0, NONE, NONE)):
        before = np.empty_like(cols[f"f{j}"])
        before[1:] = cols[f"f{j}"][:-1]
        before[first] = initial  # each item starts new
        cols[f"b{j}"] = before
    glob = np.lexsort((cols["n"], rank[order], cols["c"], cols["h"]))
    log = ReviewLogTable(arrays.devices, arrays.items, {k: v[glob] for k, v in cols.items()})
    return log, _item_states(arrays.items, cols, starts)


def _item_states(
    names: Sequence[str], cols: Mapping[str, np.ndarray], starts: np.ndarray
) -> dict[str, ItemState]:
    """Each item's state after its last row (rows grouped by item, in time order)."""
    n = len(cols["i"])
    if not n:
        return {}
    ends = np.append(starts[1:], n) - 1
    last = {k: cols[k][ends].tolist() for k in ("i", "f0", "f1", "f2", "f3", "f4", "a")}
    counts = (ends - starts + 1).tolist()
    out = {}
    for g, it in enumerate(last["i"]):
        due, redrill = last["f3"][g], last["f4"][g]
        schedule = Schedule(
            last["f0"][g],
            last["f1"][g],
            last["f2"][g],
            None if due == NONE else due,
            None if redrill == NONE else redrill,
        )
        out[names[it]] = ItemState(schedule, counts[g], last["a"][g])  # fmt: skip
    return out


def _sm2_chain(
    groups: np.ndarray, grades: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(repetitions, EF, interval) after each graded review; ``groups`` is each review's item
    group, reviews of one group in time order.

    SM-2 itself is ``studyapp.core.scheduling.sm2.review``, the function the app answers with. A
    million reviews visit only a few thousand distinct (state, grade) pairs, so states are numbered,
    each new transition is computed once, and all items advance together: round r applies every
    item's r-th review at once (as many rounds as the most-reviewed item has reviews).
    """
    n = len(groups)
    states: list[tuple[int, int, int]] = [(0, 250, 0)]
    index = {states[0]: 0}
    table = np.full((64, 6), -1, dtype=np.int64)  # table[state, grade] -> next state
    current = np.zeros(max(n_groups, 1), dtype=np.int64)
    after = np.zeros(n, dtype=np.int64)
    if n:
        position = np.arange(n) - np.searchsorted(groups, groups)  # groups come sorted
        by_round = np.argsort(position, kind="stable")
        bounds = np.searchsorted(position[by_round], np.arange(position.max() + 2))
        for r in range(len(bounds) - 1):
            rows = by_round[bounds[r] : bounds[r + 1]]
            g, q = groups[rows], grades[rows]
            nxt = table[current[g], q]
            if (nxt < 0).any():
                table = _learn(table, states, index, current[g][nxt < 0], q[nxt < 0])
                nxt = table[current[g], q]
            current[g] = after[rows] = nxt
    values = np.array(states, dtype=np.int64).reshape(-1, 3)[after]
    return values[:, 0], values[:, 1], values[:, 2]


def _learn(
    table: np.ndarray,
    states: list[tuple[int, int, int]],
    index: dict[tuple[int, int, int], int],
    sids: np.ndarray,
    grades: np.ndarray,
) -> np.ndarray:
    """Add the transitions (state, grade) not yet in ``table``; returns the (grown) table."""
    for sid, grade in set(zip(sids.tolist(), grades.tolist(), strict=True)):
        key = (*states[sid], grade)
        nxt = _SM2_CACHE.get(key)
        if nxt is None:
            s = review(Sm2State.from_hundredths(*states[sid]), grade)
            nxt = _SM2_CACHE[key] = (
                s.repetitions, s.ef_hundredths, min(s.interval, MAX_INTERVAL_DAYS)
            )  # fmt: skip
        if nxt not in index:
            index[nxt] = len(states)
            states.append(nxt)
        table[sid, grade] = index[nxt]
    if len(states) > len(table):  # every numbered state needs its row
        grown = np.full((2 * len(states), 6), -1, dtype=np.int64)
        grown[: len(table)] = table
        table = grown
    return table


def _latest(events: list[Event], kind: type[Event], key: str, value: str) -> dict[str, Any]:
    """For each key, the value of the latest event of ``kind`` (events come sorted by order)."""
    return {getattr(e, key): getattr(e, value) for e in events if type(e) is kind}


def _card_texts(events: list[Event]) -> dict[str, CardText]:
    """Per card and field, the latest edit wins; every edit stays in the card's history."""
    fields_by_item: dict[str, dict[str, str]] = {}
    history: dict[str, list[CardEdited]] = {}
    for e in events:
        if type(e) is CardEdited:
            fields_by_item.setdefault(e.item, {}).update(e.fields)
            history.setdefault(e.item, []).append(e)
    return {k: CardText(fields_by_item[k], tuple(history[k])) for k in fields_by_item}


def _fold(log: ReviewLogTable, fold: ReviewFold) -> dict[str, Any]:
    """Run another scheduler over each item's answers, oldest first."""
    per_item: dict[int, list[tuple[int, int, str]]] = {}
    c = log.columns
    for it, ms, q, k in zip(
        c["i"].tolist(), c["a"].tolist(), c["q"].tolist(), c["k"].tolist(), strict=True
    ):
        per_item.setdefault(it, []).append((ms, q, _KIND_NAMES[k]))
    return {log.items[it]: fold(log.items[it], answers) for it, answers in per_item.items()}
