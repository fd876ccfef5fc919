import time

import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_equal, assert_true


def _brute_force(nums):
    """Every subset of houses with no two adjacent (small n only)."""
    best = 0
    for mask in range(1 << len(nums)):
        if mask & (mask >> 1) == 0:
            best = max(best, sum(v for i, v in enumerate(nums) if mask >> i & 1))
    return best


def _reference(nums):
    """Two states per house: the best total with house i robbed, and with it left alone."""
    robbed, skipped = float("-inf"), 0
    for money in nums:
        robbed, skipped = skipped + money, max(robbed, skipped)
    return max(robbed, skipped) if nums else 0


def _check(sol, nums, expected=None, label=None):
    if expected is None:
        expected = _brute_force(nums) if len(nums) <= 14 else _reference(nums)
    what = f"rob({label or nums})"
    try:
        result = sol.rob(list(nums))
    except RecursionError:
        assert_true(False, f"{what} raised RecursionError; use a loop instead of recursion")
    assert_true(
        isinstance(result, int | np.integer) and not isinstance(result, bool),
        f"{what} must return an int, got {type(result).__name__} {result!r}",
    )
    assert_equal(result, expected, what=what)


def test_example(sol, ctx):
    _check(sol, [1, 2, 3, 1], 4)
    _check(sol, [2, 7, 9, 3, 1], 12)


def test_base_cases(sol, ctx):
    _check(sol, [], 0)
    _check(sol, [5], 5)
    _check(sol, [0], 0)
    _check(sol, [2, 1], 2)
    _check(sol, [1, 2], 2)
    _check(sol, [2, 1, 3], 5)


def test_skipping_two_houses(sol, ctx):
    _check(sol, [2, 1, 1, 2], 4)
    _check(sol, [5, 1, 1, 5, 1, 1, 5], 15)
    _check(sol, [2, 3, 2], 4)  # the richest house (3) is not in the best choice
    _check(sol, [4, 5, 4, 0, 0, 6], 14)


def test_random_small_rows(sol, ctx):
    rng = ctx.rng(81)
    for _ in range(60):
        n = int(rng.integers(0, 13))
        _check(sol, rng.integers(0, 50, size=n).tolist())


def test_long_rows_are_fast(sol, ctx):
    rng = ctx.rng(82)
    for n in [*range(10, 60, 2), 500]:
        nums = rng.integers(0, 400, size=n).tolist()
        started = time.perf_counter()
        total = 0
        for money in nums:  # one plain pass over nums, to calibrate the budget
            total += money
        budget = max(0.5, 10 * (time.perf_counter() - started))

        _, elapsed = ctx.timed(_check, sol, nums, _reference(nums), label=f"{n} houses")
        assert_true(
            elapsed < budget,
            f"rob({n} houses) took {elapsed:.2f} s; the budget is {budget:.2f} s. Recursion "
            "without memoisation branches twice per house (exponential); keep the two previous "
            "best totals in a loop.",
        )
