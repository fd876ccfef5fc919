"""Which scheduler predicts this learner's memory better: SM-2 and FSRS-6 on their own history.

Why: SM-2 only says *when* to review; FSRS predicts the probability of recall. Scoring both
predictions against what the learner actually remembered, review by review, tells them which
one models their memory better, and what each would ask of them in the next 30 days.

Definitions (docs/scheduler-evaluation.md says the same with examples):

- **Answers counted.** Per item, the first answer of each study day, in time order. Re-drills
  (kind ``'redrill'``) and later answers on a day the item was already answered on (an imported
  Anki history's learning steps) are left out, as in the public benchmark (srs-benchmark)
  without same-day reviews.
- **Recall test.** A counted answer that is not the item's first: the learner had seen the item
  on an earlier day. Recalled means grade >= 3 (FSRS Hard/Good/Easy; SM-2's pass line).
- **SM-2's recall model** (SM-2 predicts no probability): the curve srs-benchmark uses for SM-2,
  ``R = 0.9 ** (t / I)`` with ``t`` the days since the item's previous counted answer and ``I``
  the interval SM-2 had scheduled (the log's ``interval_before``, at least 1 day): SM-2 is
  taken to schedule each review when recall has fallen to 90 %, with exponential forgetting.
- **FSRS's prediction** is py-fsrs's retrievability of the memory state replayed from the item's
  earlier counted answers only (``studyapp.core.scheduling.fsrs_scheduler``).
- **Log loss**: mean of ``-(y ln p + (1-y) ln(1-p))`` with p clipped to [1e-6, 1 - 1e-6].
- **AUC**: probability that a recalled review got a higher prediction than a forgotten one
  (ties count half); None when every test has the same outcome.
- **RMSE (bins)**, as srs-benchmark defines it: reviews are grouped by elapsed days ``t``
  (bin ``floor(ln t / ln 3.62)``), review number ``i`` of the item (``floor(ln i / ln 1.89)``)
  and earlier lapses ``l`` (0 alone, else ``floor(ln l / ln 1.73)``); the root of the
  count-weighted mean of (observed recall - mean prediction)^2 over the groups.
- **Calibration**: ten bins of predicted probability (0-0.1, ..., 0.9-1), each with its count,
  mean prediction and observed recall share.
- **Time split** for optimised FSRS parameters: the split day is the study day of the recall
  test at ``train_share`` (default half) of them in time order. The optimiser sees only answers
  before that day; the scores are over the recall tests on and after it, for all three
  schedulers alike (``time_split``). Predictions still use each item's earlier answers.
- **Workload**: reviews per day over the next 30 days for live, already-answered items, when
  every review is answered Good (grade 4); overdue items count today. FSRS uses the chosen
  desired retention.

Only SELECTs are run on the connection. FSRS replays are vectorised over items with numpy,
running py-fsrs's own formulas on arrays (``_replay_fast``), and checked against the plain
one-review-at-a-time replay before use; ``exact=True`` uses the plain one.
"""

from __future__ import annotations

import importlib.util
import math
import multiprocessing
import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

import numpy as np
from fsrs import Card, Rating, State

from studyapp.core.errors import Cancel, Cancelled, Progress
from studyapp.core.scheduling.fsrs_scheduler import (
    DEFAULT_RETENTION,
    FsrsConfig,
    FsrsMemory,
    day_datetime,
    review,
)
from studyapp.core.scheduling.sm2 import Sm2State
from studyapp.core.scheduling.sm2 import review as sm2_review
from studyapp.core.scheduling.study_day import DEFAULT_DAY_START_HOUR, local_now, study_day
from studyapp.core.storage.queue_reads import LIVE

__all__ = [
    "MAX_FIT_REVIEWS",
    "MIN_OPTIMISE_REVIEWS",
    "EvaluationCancelled",
    "History",
    "NotEnoughReviewsError",
    "OptimiseFailed",
    "evaluate",
    "format_table",
    "load_history",
    "memory_states_fast",
    "open_readonly",
    "optimise",
    "scores",
]


#: Fewer recall tests than this and py-fsrs's optimiser silently returns the defaults.
MIN_OPTIMISE_REVIEWS: Final = 512
#: The optimiser fits on at most this many counted answers (whole item histories drawn at
#: random): py-fsrs's optimiser runs review by review in torch, about 10-20 ms per answer.
MAX_FIT_REVIEWS: Final = 4000
#: py-fsrs's optimiser reads at most the first 64 answers of each item.
_FIT_SEQ_LEN: Final = 64
_EPS: Final = 1e-6
_SM2_RECALL_AT_INTERVAL: Final = 0.9
_CAL_BINS: Final = 10
HORIZON_DAYS: Final = 30


class EvaluationCancelled(Cancelled):
    """The learner pressed Cancel; nothing was changed."""


class NotEnoughReviewsError(ValueError):
    """Too little history to optimise FSRS parameters; the message says how much is needed."""


class OptimiseFailed(RuntimeError):
    """The optimiser could not run (extra not installed) or stopped; the message says why."""


def open_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection to a collection file (for a worker thread or the CLI)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such collection file")
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


# -- the history as arrays -----------------------------------------------------------------------


@dataclass(frozen=True)
class History:
    """Counted answers as arrays, sorted by item and time, with what the metrics need."""

    item: np.ndarray
    day: np.ndarray
    quality: np.ndarray
    interval_before: np.ndarray
    #: Index of each item's first answer, and each item's number of answers.
    starts: np.ndarray
    lengths: np.ndarray
    #: Days since the item's previous counted answer (0 for a first answer).
    elapsed: np.ndarray
    #: 1-based position of the answer in its item's history.
    position: np.ndarray
    #: Failed recall tests of the item before this answer.
    lapses: np.ndarray
    counts: dict[str, int]

    @property
    def test(self) -> np.ndarray:
        """Recall tests: every counted answer but an item's first."""
        return self.position > 1

    @property
    def recalled(self) -> np.ndarray:
        return self.quality >= 3

    @property
    def rating(self) -> np.ndarray:
        """FSRS ratings 1..4 (grades 0-2 Again, 3 Hard, 4 Good, 5 Easy)."""
        return np.maximum(self.quality.astype(np.int64) - 1, 1)


def load_history(conn: sqlite3.Connection) -> History:
    """Read the review log (SELECT only) and keep the counted answers."""
    rows = conn.execute(
        "SELECT item_id, study_day, quality, kind = 'redrill', coalesce(interval_before, 0) "
        "FROM review_log ORDER BY item_id, reviewed_ms, id"
    ).fetchall()
    raw = np.array(rows, dtype=np.int64).reshape(-1, 5)
    item, day, quality, redrill, interval = raw.T
    same_item = np.r_[False, item[1:] == item[:-1]]
    rank = np.cumsum(~same_item)
    # the latest study day of each item so far: a running max that restarts with every item
    keyed = rank * (1 << 24) + day
    seen = np.r_[np.int64(-1), np.maximum.accumulate(keyed)[:-1]]
    counted = (redrill == 0) & (~same_item | (keyed > seen))
    return _derive(
        item[counted],
        day[counted],
        quality[counted],
        interval[counted],
        {
            "answers": len(rows),
            "redrills": int(redrill.sum()),
            "same_day": int((~counted & (redrill == 0)).sum()),
        },
    )


def _derive(
    item: np.ndarray,
    day: np.ndarray,
    quality: np.ndarray,
    interval: np.ndarray,
    counts: dict[str, int],
) -> History:
    n = len(item)
    first = np.r_[True, item[1:] != item[:-1]] if n else np.zeros(0, bool)
    starts = np.flatnonzero(first)
    lengths = np.diff(np.r_[starts, n])
    row_start = np.repeat(starts, lengths)
    elapsed = np.where(first, 0, day - np.r_[day[:1], day[:-1]])
    position = np.arange(n) - row_start + 1
    failed = ((position > 1) & (quality < 3)).astype(np.int64)
    before = np.cumsum(failed) - failed
    lapses = before - before[row_start] if n else before
    tests = int((position > 1).sum())
    counts = {
        **counts,
        "items": len(starts),
        "first_answers": len(starts),
        "recall_tests": tests,
        "recalled": int(((position > 1) & (quality >= 3)).sum()),
    }
    return History(item, day, quality, interval, starts, lengths, elapsed, position, lapses, counts)


# -- predictions ---------------------------------------------------------------------------------


def sm2_predictions(h: History) -> np.ndarray:
    """SM-2's recall model for every counted answer (NaN for first answers)."""
    interval = np.maximum(h.interval_before, 1).astype(np.float64)
    p = _SM2_RECALL_AT_INTERVAL ** (h.elapsed / interval)
    return np.where(h.test, p, np.nan)


class _Clampable(np.ndarray):
    """A float array with torch's ``clamp``: py-fsrs's formulas accept tensors by calling
    ``.clamp``, so with it they run unchanged on numpy arrays."""

    def clamp(self, min: float | None = None, max: float | None = None) -> np.ndarray:
        return np.clip(self, min, max)


@dataclass(frozen=True)
class Replay:
    """FSRS over a history: the prediction for each counted answer, each item's final state."""

    predictions: np.ndarray
    stability: np.ndarray
    difficulty: np.ndarray


def _replay_exact(h: History, config: FsrsConfig) -> Replay:
    """One py-fsrs ``review_card`` per answer: the reference."""
    pred = np.full(len(h.item), np.nan)
    stability = np.empty(len(h.starts))
    difficulty = np.empty(len(h.starts))
    for k, (start, length) in enumerate(zip(h.starts.tolist(), h.lengths.tolist(), strict=True)):
        memory = FsrsMemory()
        for row in range(start, start + length):
            day = int(h.day[row])
            if row > start:
                pred[row] = memory.retrievability(day, config)
            memory = review(memory, int(h.quality[row]), day, config, item_id=int(h.item[row]))
        stability[k], difficulty[k] = memory.stability, memory.difficulty
    return Replay(pred, stability, difficulty)


def _replay_fast(h: History, config: FsrsConfig) -> Replay:
    """All items in lockstep, answer k of every item at once, with py-fsrs's own formulas."""
    sched = config.scheduler
    order = np.argsort(-h.lengths, kind="stable")  # longest first: active items are a prefix
    starts, lengths = h.starts[order], h.lengths[order]
    rating = h.rating
    init_s = np.array([0.0] + [sched._initial_stability(rating=Rating(r)) for r in range(1, 5)])
    init_d = np.array(
        [0.0] + [sched._initial_difficulty(rating=Rating(r), clamp=True) for r in range(1, 5)]
    )
    pred = np.full(len(h.item), np.nan)
    s = np.empty(len(starts))
    d = np.empty(len(starts))
    for k in range(int(lengths[0]) if len(lengths) else 0):
        m = int(np.count_nonzero(lengths > k))
        rows = starts[:m] + k
        r = rating[rows]
        if k == 0:
            s[:m], d[:m] = init_s[r], init_d[r]
            continue
        # py-fsrs's get_card_retrievability, on arrays
        retr = (1 + sched._FACTOR * h.elapsed[rows] / s[:m]) ** sched._DECAY
        pred[rows] = retr
        s[:m], d[:m] = _step(sched, s[:m], d[:m], retr, r)
    back = np.empty_like(order)
    back[order] = np.arange(len(order))
    return Replay(pred, s[back], d[back])


def _step(
    sched: Any, s: np.ndarray, d: np.ndarray, retr: np.ndarray, rating: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """One review for many items: py-fsrs's next stability and difficulty per rating group."""
    new_s, new_d = np.empty_like(s), np.empty_like(d)
    for value in (2, 3, 4):
        mask = rating == value
        if mask.any():
            args = {"difficulty": d[mask].view(_Clampable), "rating": Rating(value)}
            new_s[mask] = sched._next_stability(
                stability=s[mask].view(_Clampable), retrievability=retr[mask], **args
            )
            new_d[mask] = sched._next_difficulty(**args)
    again = np.flatnonzero(rating == 1)
    if len(again):
        # the forgetting formula takes min() of two terms, so it runs one item at a time
        new_s[again] = [
            sched._next_stability(
                difficulty=dd, stability=ss, retrievability=rr, rating=Rating.Again
            )
            for dd, ss, rr in zip(
                d[again].tolist(), s[again].tolist(), retr[again].tolist(), strict=True
            )
        ]
        new_d[again] = sched._next_difficulty(
            difficulty=d[again].view(_Clampable), rating=Rating.Again
        )
    return new_s, new_d


_FAST_CHECKED: dict[tuple[float, ...], bool] = {}


def fsrs_replay(h: History, config: FsrsConfig, *, exact: bool = False) -> Replay:
    """FSRS predictions and final states; the fast path only once it matched the exact one."""
    if exact or not _fast_path_agrees(config):
        return _replay_exact(h, config)
    return _replay_fast(h, config)


def _fast_path_agrees(config: FsrsConfig) -> bool:
    """Check the vectorised replay against py-fsrs's review_card on a small fixed history."""
    key = config.parameters
    if key not in _FAST_CHECKED:
        rng = random.Random(5)
        item, day, quality = [], [], []
        for n in range(40):
            d = 739_000
            for _ in range(1 + n % 9):
                item.append(n)
                day.append(d)
                quality.append(rng.choice((0, 2, 3, 4, 4, 4, 5)))
                d += rng.choice((1, 2, 5, 13, 40))
        zeros = np.zeros(len(item), np.int64)
        h = _derive(np.array(item), np.array(day), np.array(quality), zeros, {})
        try:
            fast, exact = _replay_fast(h, config), _replay_exact(h, config)
            ok = all(
                np.allclose(a, b, rtol=1e-9, atol=0, equal_nan=True)
                for a, b in zip(
                    (fast.predictions, fast.stability, fast.difficulty),
                    (exact.predictions, exact.stability, exact.difficulty),
                    strict=True,
                )
            )
        except (AttributeError, TypeError, ValueError):  # py-fsrs changed its internals
            ok = False
        _FAST_CHECKED[key] = ok
    return _FAST_CHECKED[key]


# -- metrics -------------------------------------------------------------------------------------


def log_loss(y: np.ndarray, p: np.ndarray) -> float:
    """Mean negative log-likelihood of outcomes ``y`` (0/1) under predictions ``p``."""
    p = np.clip(p, _EPS, 1 - _EPS)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def auc(y: np.ndarray, p: np.ndarray) -> float | None:
    """Area under the ROC curve (Mann-Whitney, ties half); None if only one outcome occurs."""
    y = y.astype(bool)
    positives, negatives = int(y.sum()), int((~y).sum())
    if not positives or not negatives:
        return None
    _, inverse, counts = np.unique(p, return_inverse=True, return_counts=True)
    average_rank = np.cumsum(counts) - (counts - 1) / 2.0  # 1-based, ties share their mean
    ranks = average_rank[inverse]
    return float((ranks[y].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def rmse_bins(
    y: np.ndarray, p: np.ndarray, elapsed: np.ndarray, position: np.ndarray, lapses: np.ndarray
) -> float:
    """srs-benchmark's RMSE(bins): see the module docstring."""
    t_bin = np.floor(np.log(np.maximum(elapsed, 1)) / math.log(3.62)).astype(np.int64)
    i_bin = np.floor(np.log(np.maximum(position, 1)) / math.log(1.89)).astype(np.int64)
    l_bin = np.floor(np.log(np.maximum(lapses, 1)) / math.log(1.73)).astype(np.int64)
    l_bin = np.where(lapses > 0, l_bin + 1, 0)  # 0 lapses is a bin of its own
    # one integer per (t, i, l) bin; each part is far below 2**20
    _, group = np.unique((t_bin << 40) | (i_bin << 20) | l_bin, return_inverse=True)
    n = np.bincount(group).astype(np.float64)
    observed = np.bincount(group, weights=y) / n
    predicted = np.bincount(group, weights=p) / n
    return float(math.sqrt(np.sum(n * (observed - predicted) ** 2) / n.sum()))


def calibration(y: np.ndarray, p: np.ndarray) -> list[dict[str, float | int | None]]:
    """Predicted against observed recall in ten bins of predicted probability."""
    which = np.minimum((p * _CAL_BINS).astype(np.int64), _CAL_BINS - 1)
    n = np.bincount(which, minlength=_CAL_BINS)
    pred = np.bincount(which, weights=p, minlength=_CAL_BINS)
    seen = np.bincount(which, weights=y, minlength=_CAL_BINS)
    return [
        {
            "low": b / _CAL_BINS,
            "high": (b + 1) / _CAL_BINS,
            "n": int(n[b]),
            "predicted": float(pred[b] / n[b]) if n[b] else None,
            "observed": float(seen[b] / n[b]) if n[b] else None,
        }
        for b in range(_CAL_BINS)
    ]


def scores(h: History, predictions: np.ndarray, rows: np.ndarray | None = None) -> dict[str, Any]:
    """Every metric over the recall tests (or the given subset of them)."""
    mask = h.test if rows is None else rows & h.test
    y = h.recalled[mask].astype(np.float64)
    p = predictions[mask]
    if not len(y):
        return {"n": 0, "log_loss": None, "rmse_bins": None, "auc": None, "calibration": []}
    return {
        "n": len(y),
        "log_loss": log_loss(y, p),
        "rmse_bins": rmse_bins(y, p, h.elapsed[mask], h.position[mask], h.lapses[mask]),
        "auc": auc(y, p),
        "mean_predicted": float(p.mean()),
        "observed_recall": float(y.mean()),
        "calibration": calibration(y, p),
    }


# -- optimising parameters -----------------------------------------------------------------------


def _fit_histories(
    h: History, before_day: int | None, max_reviews: int, seed: int
) -> list[tuple[int, list[tuple[int, int]]]]:
    """Whole item histories (answers before ``before_day``) for the optimiser, items drawn at
    random until ``max_reviews`` answers and the minimum of recall tests are both reached;
    refuses when the whole history has fewer tests than that minimum."""
    histories = []
    rating = h.rating
    for start, length in zip(h.starts.tolist(), h.lengths.tolist(), strict=True):
        rows = range(start, start + min(length, _FIT_SEQ_LEN))
        seq = [(int(h.day[r]), int(rating[r])) for r in rows]
        if before_day is not None:
            seq = [a for a in seq if a[0] < before_day]
        if len(seq) > 1:
            histories.append((int(h.item[start]), seq))
    tests = sum(len(seq) - 1 for _, seq in histories)
    if tests < MIN_OPTIMISE_REVIEWS:
        where = " before the split day" if before_day is not None else ""
        raise NotEnoughReviewsError(
            f"Optimising FSRS needs at least {MIN_OPTIMISE_REVIEWS} recall tests (answers to an "
            f"item on a later day than its first){where}; this history has {tests}."
        )
    random.Random(seed).shuffle(histories)
    chosen, answers, tests = [], 0, 0
    for item_id, seq in histories:
        if answers >= max_reviews and tests >= MIN_OPTIMISE_REVIEWS:
            break
        chosen.append((item_id, seq))
        answers += len(seq)
        tests += len(seq) - 1
    return sorted(chosen)


def _fit_child(histories: list[tuple[int, list[tuple[int, int]]]], out: Any) -> None:
    """Runs in a child process: py-fsrs's optimiser, reporting each epoch through ``out``."""
    try:
        import fsrs.optimizer as module
        import torch
        from fsrs import ReviewLog

        torch.set_num_threads(1)  # scalar steps: more threads only add overhead

        def epochs(iterable: Any, **_: Any) -> Any:
            steps = list(iterable)
            for n, step in enumerate(steps):
                out.send(("epoch", n, len(steps)))
                yield step

        module.tqdm = epochs  # only in this process: the optimiser's own progress loop
        logs = [
            ReviewLog(item_id, Rating(r), day_datetime(day), None)
            for item_id, seq in histories
            for day, r in seq
        ]
        params = module.Optimizer(logs).compute_optimal_parameters()
        out.send(("done", [float(p) for p in params]))
    except ImportError as exc:
        out.send(("unavailable", str(exc)))
    except Exception as exc:  # reported to the parent, which raises OptimiseFailed
        out.send(("error", f"{type(exc).__name__}: {exc}"))


def _run_fit(
    histories: list[tuple[int, list[tuple[int, int]]]],
    on_epoch: Callable[[int, int], None],
    cancel: Cancel | None,
) -> tuple[float, ...]:
    """The optimiser in a child process, so Cancel stops it at once and the GUI stays free."""
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_fit_child, args=(histories, send), daemon=True)
    proc.start()
    send.close()
    try:
        while True:
            if cancel is not None and cancel():
                raise EvaluationCancelled("FSRS optimisation cancelled; nothing was changed")
            if not receive.poll(0.1):
                continue
            try:
                kind, *rest = receive.recv()
            except EOFError:
                proc.join(1)
                raise OptimiseFailed(
                    f"the FSRS optimiser stopped (exit code {proc.exitcode})"
                ) from None
            if kind == "epoch":
                on_epoch(rest[0], rest[1])
            elif kind == "done":
                return tuple(rest[0])
            elif kind == "unavailable":
                raise OptimiseFailed(
                    "Optimise needs py-fsrs's optimizer (torch, pandas, tqdm): "
                    f"pip install 'studyapp[optimizer]' ({rest[0].splitlines()[0]})"
                )
            else:
                raise OptimiseFailed(f"the FSRS optimiser failed: {rest[0]}")
    finally:
        if proc.is_alive():
            proc.terminate()
            proc.join(5)
            if proc.is_alive():
                proc.kill()
        proc.join()
        receive.close()


@dataclass(frozen=True)
class Optimised:
    """Parameters fitted by py-fsrs's optimiser and what they were fitted on."""

    parameters: tuple[float, ...]
    items: int
    answers: int
    recall_tests: int
    seconds: float


def optimise(
    h: History,
    *,
    before_day: int | None = None,
    max_reviews: int = MAX_FIT_REVIEWS,
    seed: int = 0,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Optimised:
    """Fit FSRS parameters on the answers before ``before_day`` (all when None).

    Raises NotEnoughReviewsError below :data:`MIN_OPTIMISE_REVIEWS` recall tests,
    EvaluationCancelled when ``cancel()`` turns true, OptimiseFailed when it cannot run.
    ``progress(done, total)`` counts the optimiser's epochs.
    """
    histories = _fit_histories(h, before_day, max_reviews, seed)
    missing = [m for m in ("torch", "pandas", "tqdm") if importlib.util.find_spec(m) is None]
    if missing:
        raise OptimiseFailed(
            "Optimise needs py-fsrs's optimizer, which is not installed (missing "
            f"{', '.join(missing)}): pip install 'studyapp[optimizer]'"
        )
    started = time.perf_counter()
    params = _run_fit(histories, progress or (lambda done, total: None), cancel)
    return Optimised(
        parameters=params,
        items=len(histories),
        answers=sum(len(seq) for _, seq in histories),
        recall_tests=sum(len(seq) - 1 for _, seq in histories),
        seconds=time.perf_counter() - started,
    )


# -- workload ------------------------------------------------------------------------------------

_LIVE_SQL = (
    "SELECT i.id, i.repetitions, i.ef_hundredths, i.interval, i.due_day FROM item i "
    f"WHERE i.due_day IS NOT NULL AND {LIVE}"
)


def _sm2_workload(live: list[tuple[int, ...]], today: int, days: int) -> list[int]:
    counts = [0] * days
    for _, reps, ef, interval, due in live:
        state = Sm2State.from_hundredths(reps, ef, interval)
        day = max(due, today)
        while day < today + days:
            counts[day - today] += 1
            state = sm2_review(state, 4)
            day += state.interval
    return counts


def _fsrs_workload(
    live: list[tuple[int, ...]],
    h: History,
    replay: Replay,
    config: FsrsConfig,
    today: int,
    days: int,
) -> list[int]:
    """Good answers from each item's replayed state; an item with a schedule but no counted
    answers (imported without history) starts as new on its SM-2 due day."""
    index = {item_id: k for k, item_id in enumerate(h.item[h.starts].tolist())}
    sched = config.scheduler
    counts = [0] * days
    for item_id, *_, sm2_due in live:
        k = index.get(item_id)
        if k is None:
            memory, day = FsrsMemory(), max(sm2_due, today)
        else:
            memory = _memory_at(h, replay, k, sched)
            day = max(_due(memory), today)
        while day < today + days:
            counts[day - today] += 1
            memory = review(memory, 4, day, config, item_id=item_id)
            day = _due(memory)
    return counts


def _due(memory: FsrsMemory) -> int:
    """The due day of a memory with at least one answer replayed (always set then)."""
    if memory.due_day is None:
        raise TypeError("an FSRS memory with answers has no due day")
    return memory.due_day


def _memory_at(h: History, replay: Replay, k: int, sched: Any) -> FsrsMemory:
    """Item ``k``'s final state from a replay, due as py-fsrs schedules it."""
    last = int(h.day[h.starts[k] + h.lengths[k] - 1])
    s, d = float(replay.stability[k]), float(replay.difficulty[k])
    due = last + sched._next_interval(stability=s)
    item_id = int(h.item[h.starts[k]])
    card = Card(item_id, State.Review, None, s, d, day_datetime(due), day_datetime(last))
    return FsrsMemory(s, d, last, due, int(h.lengths[k]), card)


def memory_states_fast(conn: sqlite3.Connection, config: FsrsConfig) -> dict[int, FsrsMemory]:
    """``fsrs_scheduler.memory_states`` for large logs: the vectorised replay (read-only).

    Switching a collection of a million answers to FSRS takes seconds instead of a minute.
    """
    h = load_history(conn)
    replay = fsrs_replay(h, config)
    sched = config.scheduler
    return {int(h.item[start]): _memory_at(h, replay, k, sched) for k, start in enumerate(h.starts)}


def _today(conn: sqlite3.Connection) -> int:
    """Today's study day with the collection's day-start hour."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'setting.day_start_hour'").fetchone()
    return study_day(local_now(), int(row[0]) if row else DEFAULT_DAY_START_HOUR)


# -- the evaluation ------------------------------------------------------------------------------


class _Ticker:
    """Progress in steps and each step's wall time; checks Cancel at every step."""

    def __init__(self, total: int, progress: Progress | None, cancel: Cancel | None) -> None:
        self.total, self.done = total, 0
        self.progress, self.cancel = progress, cancel
        self.seconds: dict[str, float] = {}

    def __call__(self, steps: int = 1) -> None:
        self.done += steps
        if self.cancel is not None and self.cancel():
            raise EvaluationCancelled("scheduler evaluation cancelled; nothing was changed")
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)

    def step(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one step, time it, then count it done."""
        started = time.perf_counter()
        value = fn(*args, **kwargs)
        self.seconds[name] = round(time.perf_counter() - started, 3)
        if name != "optimise":  # the optimiser reports its own epochs
            self()
        return value


def split_day(h: History, share: float) -> int | None:
    """The first study day scored in the time split (None when the tests cannot be split)."""
    days = np.sort(h.day[h.test])
    if len(days) < 2:
        return None
    split = int(days[min(len(days) - 1, int(len(days) * share))])
    if split <= days[0]:
        later = days[days > days[0]]
        return int(later[0]) if len(later) else None
    return split


def evaluate(
    conn: sqlite3.Connection,
    *,
    desired_retention: float = DEFAULT_RETENTION,
    optimise_parameters: bool = True,
    train_share: float = 0.5,
    max_fit_reviews: int = MAX_FIT_REVIEWS,
    today: int | None = None,
    horizon_days: int = HORIZON_DAYS,
    exact: bool = False,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> dict[str, Any]:
    """Score SM-2 and FSRS on the history in ``conn`` (read only); see the module docstring.

    Keys: ``reviews`` (counts), ``sm2``, ``fsrs`` and ``fsrs_optimised`` (``log_loss``,
    ``rmse_bins``, ``auc``, ``calibration``...; ``fsrs_optimised`` has ``skipped`` with the
    reason instead when it could not be fitted), ``time_split`` (all three on the later
    reviews), ``workload`` (reviews per day) and ``seconds`` (wall time of each step and the
    total). Raises EvaluationCancelled.
    """
    started = time.perf_counter()
    epochs = 5 if optimise_parameters else 0
    tick = _Ticker(5 + epochs, progress, cancel)
    tick(0)
    h = tick.step("read", load_history, conn)
    default = FsrsConfig(desired_retention=desired_retention)
    sm2_p = tick.step("sm2", sm2_predictions, h)
    fsrs_default = tick.step("fsrs", fsrs_replay, h, default, exact=exact)
    split = split_day(h, train_share)
    args = (h, split, optimise_parameters, max_fit_reviews, desired_retention, tick)
    opt_entry, opt_config = tick.step("optimise", _optimised, *args)
    tick.done = 3 + epochs
    tick(0)
    opt_replay = None
    if opt_config is not None:
        opt_replay = tick.step("fsrs_optimised", fsrs_replay, h, opt_config, exact=exact)
    else:
        tick()
    day = _today(conn) if today is None else today
    replays = {"fsrs": (fsrs_default, default), "fsrs_optimised": (opt_replay, opt_config)}
    workload = tick.step("workload", _workload, conn, h, replays, day, horizon_days)
    scored = time.perf_counter()
    result = _result(h, split, sm2_p, fsrs_default, default, opt_entry, opt_replay)
    tick.seconds["scores"] = round(time.perf_counter() - scored, 3)
    tick.seconds["total"] = round(time.perf_counter() - started, 3)
    return {**result, "today": day, "workload": workload, "seconds": tick.seconds}


def _workload(
    conn: sqlite3.Connection,
    h: History,
    replays: dict[str, tuple[Replay | None, FsrsConfig | None]],
    day: int,
    days: int,
) -> dict[str, Any]:
    """Reviews per day over the next ``days`` for SM-2 and each FSRS configuration."""
    live = conn.execute(_LIVE_SQL).fetchall()
    out: dict[str, Any] = {"days": days, "sm2": _sm2_workload(live, day, days)}
    for name, (replay, config) in replays.items():
        if replay is not None and config is not None:
            out[name] = _fsrs_workload(live, h, replay, config, day, days)
    return out


def _result(
    h: History,
    split: int | None,
    sm2_p: np.ndarray,
    fsrs_default: Replay,
    default: FsrsConfig,
    opt_entry: dict[str, Any],
    opt_replay: Replay | None,
) -> dict[str, Any]:
    """Scores over all recall tests and over the time split's later part."""
    later = h.day >= split if split is not None else np.zeros(len(h.day), bool)
    time_split: dict[str, Any] = {
        "split_day": split,
        "split_date": date.fromordinal(split).isoformat() if split is not None else None,
        "fitted_answers_before": int((~later).sum()),
        "sm2": scores(h, sm2_p, later),
        "fsrs": scores(h, fsrs_default.predictions, later),
    }
    optimised = opt_entry
    if opt_replay is not None:
        optimised = {**scores(h, opt_replay.predictions, later), **opt_entry}
        time_split["fsrs_optimised"] = {k: v for k, v in optimised.items() if k != "fit"}
    return {
        "reviews": h.counts,
        "desired_retention": default.desired_retention,
        "sm2": {**scores(h, sm2_p), "recall_model": "R = 0.9 ** (t / interval)"},
        "fsrs": {**scores(h, fsrs_default.predictions), "parameters": list(default.parameters)},
        "fsrs_optimised": optimised,
        "time_split": time_split,
    }


def _optimised(
    h: History,
    split: int | None,
    wanted: bool,
    max_reviews: int,
    retention: float,
    tick: _Ticker,
) -> tuple[dict[str, Any], FsrsConfig | None]:
    """Fit on the answers before the split day: (entry for the result, config or None)."""
    if not wanted:
        return {"skipped": "optimisation not requested"}, None
    if split is None:
        return {"skipped": "too few recall tests to split the history in time"}, None
    base = tick.done

    def on_epoch(done: int, total: int) -> None:
        tick.done = base + done
        tick(0)

    try:
        fit = optimise(
            h, before_day=split, max_reviews=max_reviews, progress=on_epoch, cancel=tick.cancel
        )
    except (NotEnoughReviewsError, OptimiseFailed) as exc:
        return {"skipped": str(exc)}, None
    config = FsrsConfig(fit.parameters, retention)
    entry = {
        "parameters": list(fit.parameters),
        "fit": {
            "before_day": split,
            "items": fit.items,
            "answers": fit.answers,
            "recall_tests": fit.recall_tests,
            "seconds": round(fit.seconds, 3),
        },
    }
    return entry, config


# -- the table -----------------------------------------------------------------------------------

_NAMES: Final = {
    "sm2": "SM-2",
    "fsrs": "FSRS-6 (default parameters)",
    "fsrs_optimised": "FSRS-6 (optimised)",
}


def _row(name: str, entry: dict[str, Any]) -> str:
    def fmt(value: float | None) -> str:
        return "     n/a" if value is None else f"{value:8.4f}"

    if "skipped" in entry:
        return f"{name:<28} skipped: {entry['skipped']}"
    return (
        f"{name:<28} {entry['n']:>8} {fmt(entry['log_loss'])} {fmt(entry['rmse_bins'])} "
        f"{fmt(entry['auc'])}"
    )


def format_table(result: dict[str, Any]) -> str:
    """The evaluation as plain text (the CLI's and the simulator's output)."""
    counts = result["reviews"]
    head = f"{'scheduler':<28} {'reviews':>8} {'log loss':>8} {'RMSE(b)':>8} {'AUC':>8}"
    lines = [
        f"{counts['answers']} answers, {counts['recall_tests']} recall tests on "
        f"{counts['items']} items ({counts['redrills']} re-drills and {counts['same_day']} "
        "other same-day answers not counted)",
        head,
        _row(_NAMES["sm2"], result["sm2"]),
        _row(_NAMES["fsrs"], result["fsrs"]),
    ]
    split = result["time_split"]
    if split["split_day"] is not None:
        lines.append(
            f"time split: optimiser fitted on answers before {split['split_date']}, "
            f"scored on the {split['sm2']['n']} recall tests from then on"
        )
        lines.append(head)
        for key in ("sm2", "fsrs", "fsrs_optimised"):
            lines.append(_row(_NAMES[key], split.get(key, result[key])))
    else:
        lines.append(_row(_NAMES["fsrs_optimised"], result["fsrs_optimised"]))
    work = result["workload"]
    for key in ("sm2", "fsrs", "fsrs_optimised"):
        if key in work:
            lines.append(
                f"next {work['days']} days, {_NAMES[key]}: {sum(work[key])} reviews "
                f"(today {work[key][0]}, at retention {result['desired_retention']:.2f})"
                if key != "sm2"
                else f"next {work['days']} days, SM-2: {sum(work[key])} reviews "
                f"(today {work[key][0]})"
            )
    return "\n".join(lines)
