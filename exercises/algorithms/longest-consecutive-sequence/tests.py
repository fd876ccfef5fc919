import time

import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_equal, assert_true


def _expected(nums):
    """Independent reference: walk the sorted distinct values."""
    ordered = sorted(set(nums))
    best = current = 0
    for i, x in enumerate(ordered):
        current = current + 1 if i > 0 and x == ordered[i - 1] + 1 else 1
        best = max(best, current)
    return best


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


def _check(sol, ctx, nums, expected=None, what=None):
    if expected is None:
        expected = _expected(nums)
    what = what or f"longest_consecutive({nums!r})"[:200]
    given = ctx.send(list(nums))
    result = sol.longest_consecutive(given)
    _check_unchanged(given, nums, what, "nums")
    assert_true(
        isinstance(result, int | np.integer) and not isinstance(result, bool),
        f"{what} must return an int, got {result!r}"[:300],
    )
    assert_equal(result, expected, what=what)


def test_example(sol, ctx):
    _check(sol, ctx, [100, 4, 200, 1, 3, 2], 4)
    _check(sol, ctx, [0, 3, 7, 2, 5, 8, 4, 6, 0, 1], 9)
    _check(sol, ctx, [9, 1, 8, 2, 7, 3], 3)


def test_empty_and_single(sol, ctx):
    _check(sol, ctx, [], 0)
    _check(sol, ctx, [5], 1)
    _check(sol, ctx, [7, 7, 7], 1)


def test_duplicates_count_once(sol, ctx):
    _check(sol, ctx, [1, 2, 2, 3], 3)
    _check(sol, ctx, [1, 2, 0, 1], 3)
    _check(sol, ctx, [5, 5, 6, 6, 7, 7, 8], 4)


def test_negative_numbers(sol, ctx):
    _check(sol, ctx, [-1, 0, 1], 3)
    _check(sol, ctx, [-3, -2, -1, 0, 1, 5], 5)
    _check(sol, ctx, [-10, -8, -9, 3, 4], 3)


def test_longest_run_after_a_gap(sol, ctx):
    _check(sol, ctx, [0, 5, 6, 7], 3)
    _check(sol, ctx, [1, 2, 10, 11, 12, 13, 20], 4)


def test_random_small_inputs(sol, ctx):
    rng = ctx.rng(51)
    for _ in range(50):
        n = int(rng.integers(0, 25))
        nums = rng.integers(-15, 16, size=n).tolist()
        _check(sol, ctx, nums)


def test_large_input_is_fast(sol, ctx):
    # 10^5 numbers in 100 runs of 1 000 (one of 1 001), with gaps, negatives and duplicates,
    # shuffled. Counting upwards from every value costs about 5 * 10^7 set look-ups.
    rng = ctx.rng(52)
    starts = -60_000 + 1_500 * rng.permutation(100)
    nums = []
    for run, start in enumerate(starts.tolist()):
        nums.extend(range(start, start + (1_001 if run == 37 else 1_000)))
    nums.extend(rng.choice(nums, size=500).tolist())  # duplicates
    nums = [nums[int(i)] for i in rng.permutation(len(nums))]

    started = time.perf_counter()
    seen = set()
    for value in nums:  # one plain pass building a set, to calibrate the budget
        seen.add(value)
    budget = max(0.5, 10 * (time.perf_counter() - started))

    result, elapsed = ctx.timed(sol.longest_consecutive, list(nums))
    what = f"longest_consecutive(nums) with len(nums) = {len(nums)}"
    assert_equal(result, 1_001, what=what)
    assert_true(
        elapsed < budget,
        f"{what} took {elapsed:.2f} s; the budget is {budget:.2f} s. Counting upwards from every "
        "value is O(n^2) on long runs; start counting only at x with x - 1 not in the set (O(n)).",
    )
