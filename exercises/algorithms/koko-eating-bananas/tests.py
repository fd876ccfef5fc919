import signal
import threading
import time
from contextlib import contextmanager

import numpy as np

from studyapp.core.drills.sandbox.asserts import JudgeFailure, assert_equal, assert_true

CALL_LIMIT_S = 2.0  # per call; after one call has run out, later calls get AFTER_TIMEOUT_S
AFTER_TIMEOUT_S = 0.25  # so that the whole run still ends well inside time_limit_s = 5
_state = {"timed_out": False}


@contextmanager
def _deadline(what):
    """Stop a call that runs too long (a binary search whose lo/hi stop changing never ends)."""
    seconds = AFTER_TIMEOUT_S if _state["timed_out"] else CALL_LIMIT_S
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:  # the run's own time limit still stops it
        yield
        return

    def expired(signum, frame):
        _state["timed_out"] = True
        raise JudgeFailure(
            f"{what} did not return within {seconds:g} s. If lo or hi can stop changing, the "
            "loop never ends: with `while lo < hi`, set hi = mid when mid works and "
            "lo = mid + 1 when it does not. (Trying every speed one by one is also far too slow.)",
            {"kind": "timeout"},
        )

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _hours(piles, k):
    return sum(-(-p // k) for p in piles)  # ceil(p / k) in exact integers


def _brute_force(piles, h):
    """Independent reference for small piles: try every speed."""
    return next(k for k in range(1, max(piles) + 1) if _hours(piles, k) <= h)


def _check_unchanged(kept, original, what, name):
    """The argument was passed as a copy kept in the learner's process (a plain list argument
    arrives as a fresh copy, so a change to it would never show): compare it after the call."""
    after = kept.value()
    if after != original:
        change = "reordered (sorted?)" if sorted(after) == sorted(original) else "changed"
        assert_true(
            False,
            f"{what} modified {name}: it is {change} after the call, {after!r}"[:300]
            + f". The statement says not to modify {name}; work on a copy.",
        )


def _call(sol, ctx, piles, h, what=None):
    what = what or f"min_eating_speed({piles!r}, {h})"[:200]
    given = ctx.send(list(piles))
    with _deadline(what):
        result = sol.min_eating_speed(given, h)
    _check_unchanged(given, piles, what, "piles")
    assert_true(
        isinstance(result, int | np.integer) and not isinstance(result, bool),
        f"{what} must return an int, got {result!r}"[:300],
    )
    return result, what


def _check(sol, ctx, piles, h, expected=None):
    if expected is None:
        expected = _brute_force(piles, h)
    result, what = _call(sol, ctx, piles, h)
    assert_equal(result, expected, what=what)


def test_example(sol, ctx):
    _check(sol, ctx, [3, 6, 7, 11], 8, 4)
    _check(sol, ctx, [30, 11, 23, 4, 20], 6, 23)


def test_answer_is_max_pile(sol, ctx):
    # h == len(piles): one hour per pile, so the top end of the range is the answer
    _check(sol, ctx, [30, 11, 23, 4, 20], 5, 30)
    _check(sol, ctx, [7, 7, 7], 3, 7)
    _check(sol, ctx, [1, 2], 2, 2)


def test_answer_is_one(sol, ctx):
    # h >= sum(piles): the bottom end of the range is the answer
    _check(sol, ctx, [2, 1, 3], 10, 1)
    _check(sol, ctx, [2, 1, 3], 6, 1)
    _check(sol, ctx, [1, 1, 1, 1], 4, 1)


def test_single_pile(sol, ctx):
    _check(sol, ctx, [1], 1, 1)
    _check(sol, ctx, [30], 5, 6)
    _check(sol, ctx, [30], 4, 8)
    _check(sol, ctx, [10], 3, 4)


def test_partial_hours_round_up(sol, ctx):
    _check(sol, ctx, [7], 3, 3)  # ceil(7 / 3) = 3 hours; floor would claim 2 is enough
    _check(sol, ctx, [5, 5], 4, 3)
    _check(sol, ctx, [9, 4, 10], 6, 5)


def test_random_small_inputs(sol, ctx):
    rng = ctx.rng(71)
    for _ in range(60):
        n = int(rng.integers(1, 8))
        piles = rng.integers(1, 60, size=n).tolist()
        h = int(rng.integers(n, sum(piles) + 3))
        _check(sol, ctx, piles, h)


def test_large_input_is_fast(sol, ctx):
    rng = ctx.rng(72)
    n = 10_000
    piles = rng.integers(1, 10**9, size=n, endpoint=True).tolist()
    h = 3 * n + 12_345

    started = time.perf_counter()
    for k in range(1, 33):  # 32 plain passes over the piles, to calibrate the budget
        sum((p + k - 1) // k for p in piles)
    budget = max(0.5, 10 * (time.perf_counter() - started))

    (result, what), elapsed = ctx.timed(
        _call, sol, ctx, piles, h, f"min_eating_speed(piles, {h}) with {n} piles"
    )
    # checked by definition: result works and result - 1 does not
    assert_true(
        1 <= result <= max(piles),
        f"{what} returned {result}, outside 1..max(piles) = 1..{max(piles)}",
    )
    assert_true(
        _hours(piles, result) <= h,
        f"{what} returned {result}, but at that speed Koko needs {_hours(piles, result)} > {h} "
        "hours",
    )
    assert_true(
        result == 1 or _hours(piles, result - 1) > h,
        f"{what} returned {result}, but {result - 1} also finishes in time "
        f"({_hours(piles, result - 1)} <= {h} hours): return the smallest speed",
    )
    assert_true(
        elapsed < budget,
        f"{what} took {elapsed:.2f} s; the budget is {budget:.2f} s. Binary search over the "
        "speeds needs only about 30 passes over the piles.",
    )
