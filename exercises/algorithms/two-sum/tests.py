import time

import numpy as np

from studyapp.core.judge import assert_true


def _check(result, nums, target, what):
    """Accept any valid answer: two distinct in-range indices whose values add up to target."""
    assert_true(result is not None, f"{what} returned None: return the list [i, j]")
    assert_true(
        isinstance(result, list | tuple) and len(result) == 2,
        f"{what} must return a list of two indices, got {result!r}"[:300],
    )
    i, j = result
    assert_true(
        all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in (i, j)),
        f"{what} must return integer indices, got {result!r}",
    )
    n = len(nums)
    assert_true(
        0 <= i < n and 0 <= j < n,
        f"{what} returned {result!r}, but indices must lie in 0..{n - 1}: "
        "did you return the values instead of their indices?",
    )
    assert_true(i != j, f"{what} returned {result!r}: the same element may not be used twice")
    assert_true(
        nums[i] + nums[j] == target,
        f"{what} returned {result!r}, but nums[{i}] + nums[{j}] = {nums[i]} + {nums[j]} "
        f"= {nums[i] + nums[j]}, not {target}",
    )


def test_example(sol, ctx):
    _check(sol.two_sum([2, 7, 11, 15], 9), [2, 7, 11, 15], 9, "two_sum([2, 7, 11, 15], 9)")


def test_equal_values_at_two_positions(sol, ctx):
    _check(sol.two_sum([3, 3], 6), [3, 3], 6, "two_sum([3, 3], 6)")
    nums = [5, 1, 8, 5]
    _check(sol.two_sum(nums, 10), nums, 10, "two_sum([5, 1, 8, 5], 10)")


def test_does_not_reuse_an_element(sol, ctx):
    _check(sol.two_sum([3, 2, 4], 6), [3, 2, 4], 6, "two_sum([3, 2, 4], 6)")
    nums = [4, 9, 1, 7]
    _check(sol.two_sum(nums, 8), nums, 8, "two_sum([4, 9, 1, 7], 8)")


def test_negative_numbers_and_zero(sol, ctx):
    cases = [
        ([-3, 4, 3, 90], 0),
        ([-1, -2, -3, -4, -5], -8),
        ([0, 4, 3, 0], 0),
        ([7, -10, 2, 25], 15),
    ]
    for nums, target in cases:
        _check(sol.two_sum(list(nums), target), nums, target, f"two_sum({nums}, {target})")


def test_random_unsorted_inputs(sol, ctx):
    rng = ctx.rng(5)
    checked = 0
    while checked < 25:
        n = int(rng.integers(2, 30))
        nums = rng.integers(-50, 51, size=n).tolist()
        i, j = rng.choice(n, size=2, replace=False)
        target = nums[i] + nums[j]
        pairs = {(a, b) for a in range(n) for b in range(a + 1, n) if nums[a] + nums[b] == target}
        if len(pairs) != 1:
            continue  # the statement promises exactly one solution
        _check(sol.two_sum(list(nums), target), nums, target, f"two_sum({nums}, {target})")
        checked += 1


def test_large_input_is_fast(sol, ctx):
    # 10^5 distinct multiples of 4, plus 1 at index 600 and 4m + 1 at the end: the only pair
    # that sums to 4m + 2. A double loop needs about 6 * 10^7 comparisons to find it.
    n = 100_000
    rng = ctx.rng(6)
    nums = (4 * (rng.permutation(n - 2) - n // 2)).tolist()
    m = 123_457
    nums.insert(600, 1)
    nums.append(4 * m + 1)
    target = 4 * m + 2

    started = time.perf_counter()
    seen = {}
    for index, value in enumerate(nums):  # one plain dictionary pass, to calibrate the budget
        seen.setdefault(value, index)
    budget = max(0.5, 10 * (time.perf_counter() - started))

    result, elapsed = ctx.timed(sol.two_sum, nums, target)
    what = f"two_sum(nums, {target}) with len(nums) = {len(nums)}"
    _check(result, nums, target, what)
    assert_true(
        elapsed < budget,
        f"{what} took {elapsed:.2f} s; the budget is {budget:.2f} s. Checking every pair is "
        "O(n^2); look each complement up in a dict instead (O(n)).",
    )
